"""The figure layer: pinned CJK font, file layout, metadata and byte-for-byte determinism."""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import struct
import subprocess
import sys
import textwrap
import warnings
from itertools import pairwise
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image

from analytics import plotting

CJK = "社区党委"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _cases(lang: str = "zh") -> pd.DataFrame:
    if lang == "zh":
        names = ["朝阳门社区", "南锣鼓巷社区", "望京街道花家地社区", "曹杨新村", "陆家嘴社区"]
    else:
        names = ["Chaoyangmen", "Nanluoguxiang", "Huajiadi (Wangjing)", "Caoyang", "Lujiazui"]
    return pd.DataFrame({"community": names, "cases": [12, 7.5, 23, 4, 15]})


def _draw(fig) -> None:
    fig.canvas.draw()


def _sample_figure(lang: str = "zh"):
    title = "各社区党建引领治理案例数" if lang == "zh" else "Cases per community"
    xlabel = "案例数（篇）" if lang == "zh" else "Cases"
    return plotting.barh(
        _cases(lang), y="community", x="cases", lang=lang, xlabel=xlabel, ylabel="", title=title
    ).figure


def _png_chunks(path: Path) -> list[tuple[bytes, bytes]]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


# ------------------------------------------------------------------------------------------
# Font


def test_font_file_is_the_pinned_noto_sans_cjk_sc():
    path = plotting.font_path()
    assert path.is_file()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.parent.parent.name == "mplfonts"
    assert FontProperties(fname=str(path)).get_name() == plotting.FONT_FAMILY == "Noto Sans CJK SC"


def test_house_font_resolves_to_the_shipped_file():
    path = str(plotting.font_path())
    assert findfont(FontProperties(family=plotting.FONT_FAMILY)) == path
    assert findfont(FontProperties()) == path  # rcParams default family
    assert findfont(FontProperties(family=["sans-serif"])) == path
    _fig, ax = plotting.new_figure()
    text = ax.set_title(CJK)
    assert findfont(text.get_fontproperties()) == path


def test_font_covers_the_characters_it_must_draw():
    font = mpl.ft2font.FT2Font(str(plotting.font_path()))
    for char in CJK + "党建引领基层治理（）：、ABCxyz0123456789-.%":
        assert font.get_char_index(ord(char)) != 0, char


def test_cjk_text_draws_without_missing_glyph_or_findfont_warnings(caplog):
    fig, ax = plotting.new_figure()
    ax.set_title(CJK)
    ax.set_xlabel("案例数（篇）$x^2$")
    ax.text(0.5, 0.5, "党建引领 Party building −1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with caplog.at_level(logging.WARNING, logger="matplotlib"):
            _draw(fig)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m], messages
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_missing_glyph_check_does_detect_a_font_without_cjk():
    # Control for the test above: the same check fires for a font lacking CJK glyphs.
    fig, ax = plotting.new_figure()
    ax.set_title(CJK, fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_register_font_hides_other_copies_of_the_family():
    manager = font_manager.fontManager
    ours = next(e for e in manager.ttflist if e.fname == str(plotting.font_path()))
    decoy_file = findfont(FontProperties(family="DejaVu Sans"))
    decoy = dataclasses.replace(ours, fname=decoy_file)  # e.g. a system-wide Noto CJK
    manager.ttflist.insert(0, decoy)
    manager._findfont_cached.cache_clear()
    try:
        assert findfont(FontProperties(family=plotting.FONT_FAMILY)) == decoy_file
        plotting.register_font()
        assert decoy not in manager.ttflist
        assert findfont(FontProperties(family=plotting.FONT_FAMILY)) == str(plotting.font_path())
    finally:
        if decoy in manager.ttflist:
            manager.ttflist.remove(decoy)
        plotting.register_font()


# ------------------------------------------------------------------------------------------
# Style and figures


def test_house_style_is_idempotent_and_sets_the_deterministic_keys():
    plotting.use_house_style()
    first = dict(mpl.rcParams)
    plotting.use_house_style()
    assert dict(mpl.rcParams) == first
    assert len(font_manager.fontManager.ttflist) == len(
        {(e.fname, e.name) for e in font_manager.fontManager.ttflist}
    )
    rc = mpl.rcParams
    assert rc["font.family"] == ["Noto Sans CJK SC"]
    assert rc["svg.fonttype"] == "path"
    assert rc["svg.hashsalt"]
    assert rc["pdf.fonttype"] == 42
    assert rc["axes.unicode_minus"] is False
    assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
    assert 8 <= rc["font.size"] <= 9
    assert [c.lower() for c in rc["axes.prop_cycle"].by_key()["color"]] == [
        c.lower() for c in plotting.PALETTE
    ]


def test_palette_is_okabe_ito():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73"}
    okabe_ito |= {"#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert len(plotting.PALETTE) == 8
    assert set(plotting.PALETTE) == okabe_ito


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [("single", None, (3.5, 2.5)), ("double", None, (7.2, 3.2)), (5.0, None, (5.0, 3.5))],
)
def test_new_figure_print_sizes(width, height, expected):
    fig, ax = plotting.new_figure(width, height)
    assert tuple(round(v, 3) for v in fig.get_size_inches()) == expected
    assert ax.figure is fig


@pytest.mark.parametrize("width", ["triple", 0, -1.0])
def test_new_figure_rejects_bad_widths(width):
    with pytest.raises(ValueError):
        plotting.new_figure(width)


# ------------------------------------------------------------------------------------------
# Languages and numbers


def test_check_lang_accepts_the_two_languages():
    assert plotting.LANGS == ("zh", "en")
    assert [plotting.check_lang(lang) for lang in plotting.LANGS] == ["zh", "en"]


@pytest.mark.parametrize("bad", ["fr", "ZH", "", None])
def test_bad_lang_raises_with_exact_message(bad, tmp_path):
    message = f"lang must be one of 'zh', 'en', got {bad!r}"
    with pytest.raises(ValueError) as info:
        plotting.check_lang(bad)
    assert str(info.value) == message
    with pytest.raises(ValueError) as info:
        plotting.barh(_cases(), y="community", x="cases", lang=bad)
    assert str(info.value) == message
    fig, _ = plotting.new_figure()
    with pytest.raises(ValueError) as info:
        plotting.save_figure(fig, "x", notebook="01-x", lang=bad, out_dir=tmp_path)
    assert str(info.value) == message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(12, "12"), (12.0, "12"), (3.5, "3.5"), (0.333, "0.33"), (-0.001, "0"), (-2.50, "-2.5")],
)
def test_format_number(value, text):
    assert plotting.format_number(value) == text


@given(st.integers(-(10**12), 10**12))
def test_format_number_integers_have_no_decimals(n):
    assert plotting.format_number(n) == str(n)
    assert plotting.format_number(float(n)) == str(n)


@given(st.floats(-1e9, 1e9, allow_nan=False))
def test_format_number_has_no_trailing_zeros(value):
    text = plotting.format_number(value)
    assert not text.endswith((".", ".0")) and "e" not in text
    assert math.isclose(float(text), round(value, 2), abs_tol=1e-9)


# ------------------------------------------------------------------------------------------
# save_figure


def test_save_figure_writes_exactly_the_expected_files(tmp_path):
    written = []
    for lang in plotting.LANGS:
        fig = _sample_figure(lang)
        written += plotting.save_figure(
            fig, "cases", notebook="01-corpus", lang=lang, out_dir=tmp_path
        )
    folder = tmp_path / "01-corpus"
    expected = [folder / f"cases.{lang}.{ext}" for lang in ("zh", "en") for ext in ("png", "svg")]
    assert written == expected
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["01-corpus", *(p.name for p in expected)]
    )


def test_save_figure_png_is_300_dpi_without_timestamps(tmp_path):
    (png, _svg) = plotting.save_figure(_sample_figure(), "cases", out_dir=tmp_path)
    with Image.open(png) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert set(image.text) == {"Software"}
        assert image.text["Software"].startswith(f"Matplotlib version{mpl.__version__}")
        width_in = image.size[0] / 300
    assert 3.0 < width_in <= plotting.SINGLE_COLUMN_IN + 0.01  # prints at column width
    kinds = [kind for kind, _ in _png_chunks(png)]
    assert b"tIME" not in kinds
    assert set(kinds) <= {b"IHDR", b"pHYs", b"tEXt", b"IDAT", b"IEND"}
    text = b"".join(data for kind, data in _png_chunks(png) if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert str(tmp_path).encode() not in text and b"/" + b"tmp" not in text


def test_save_figure_svg_has_no_date_no_path_no_fonts(tmp_path):
    (_png, svg) = plotting.save_figure(_sample_figure(), "cases", out_dir=tmp_path)
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text.lower()
    for needle in (str(tmp_path), str(Path.home()), str(plotting.FIGURES_DIR), "site-packages"):
        assert needle not in text
    assert "<text" not in text and "font-family" not in text  # glyphs are paths
    assert 'clip-path="url(#p' in text  # ids come from the fixed hash salt


def test_save_figure_pdf_has_no_dates(tmp_path):
    paths = plotting.save_figure(_sample_figure(), "c", out_dir=tmp_path, formats=("pdf",))
    assert [p.name for p in paths] == ["c.zh.pdf"]
    data = paths[0].read_bytes()
    assert data.startswith(b"%PDF")
    assert b"CreationDate" not in data and b"ModDate" not in data
    assert str(tmp_path).encode() not in data


def test_save_figure_defaults_to_figures_notebook_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(plotting, "FIGURES_DIR", tmp_path / "figures")
    paths = plotting.save_figure(_sample_figure("en"), "cases", notebook="02-x", lang="en")
    assert paths == [tmp_path / "figures" / "02-x" / f"cases.en.{ext}" for ext in ("png", "svg")]
    assert all(p.is_file() for p in paths)


def test_save_figure_requires_a_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(plotting, "FIGURES_DIR", tmp_path / "figures")
    with pytest.raises(ValueError) as info:
        plotting.save_figure(_sample_figure(), "cases")
    assert str(info.value) == (
        "save_figure: notebook= is required, e.g. notebook='01-corpus-overview'"
    )
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "a/b"},
        {"name": ".hidden"},
        {"name": ""},
        {"notebook": "../escape"},
        {"formats": ("jpg",)},
        {"formats": ()},
    ],
)
def test_save_figure_rejects_bad_arguments(tmp_path, kwargs):
    args = {"name": "cases", "notebook": "01-x", **kwargs}
    with pytest.raises(ValueError):
        plotting.save_figure(_sample_figure(), args.pop("name"), out_dir=tmp_path, **args)
    assert list(tmp_path.iterdir()) == []


def test_save_figure_refuses_a_language_other_than_the_drawn_one(tmp_path):
    fig = _sample_figure("zh")
    with pytest.raises(ValueError, match="drawn with lang"):
        plotting.save_figure(fig, "cases", lang="en", out_dir=tmp_path)


def test_save_figure_overwrites_its_outputs(tmp_path):
    (png,) = plotting.save_figure(_sample_figure(), "c", out_dir=tmp_path, formats=["png"])
    first = png.read_bytes()
    png.write_bytes(b"stale")
    (again,) = plotting.save_figure(_sample_figure(), "c", out_dir=tmp_path, formats=["png"])
    assert again == png and png.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.zh.png"]


# ------------------------------------------------------------------------------------------
# Determinism


def test_same_figure_twice_gives_identical_bytes(tmp_path):
    formats = ("png", "svg", "pdf")
    a = plotting.save_figure(_sample_figure(), "s", out_dir=tmp_path / "a", formats=formats)
    b = plotting.save_figure(_sample_figure(), "s", out_dir=tmp_path / "b", formats=formats)
    for first, second in zip(a, b, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


SCRIPT = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from analytics import plotting

    df = pd.DataFrame({"社区": ["朝阳门社区", "曹杨新村", "陆家嘴社区"], "案例数": [12, 3.5, 40]})
    ax = plotting.barh(df, y="社区", x="案例数", lang="zh", xlabel="案例数", title="党建引领")
    plotting.save_figure(ax.figure, "s", out_dir=sys.argv[1], formats=("png", "svg", "pdf"))
    m = pd.DataFrame([[1, 2], [3, 4]], index=["甲", "乙"], columns=["议事协商", "网格化管理"])
    ax = plotting.heatmap(m, lang="zh", annot=True, cbar=True)
    plotting.save_figure(ax.figure, "h", out_dir=sys.argv[1])
    """
)


def test_separate_processes_give_identical_bytes(tmp_path):
    script = tmp_path / "render.py"
    script.write_text(SCRIPT, encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
        subprocess.run(
            [sys.executable, str(script), str(out)], cwd=tmp_path, env=env, check=True, timeout=120
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == ["h.zh.png", "h.zh.svg", "s.zh.pdf", "s.zh.png", "s.zh.svg"]
    assert outputs[0] == outputs[1]


# ------------------------------------------------------------------------------------------
# Drawing helpers


def _inside(ax, texts) -> bool:
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = ax.bbox
    return all(
        box.x0 - 1 <= (e := t.get_window_extent(renderer)).x0 and e.x1 <= box.x1 + 1 for t in texts
    )


def test_barh_labels_bar_ends_without_trailing_zeros():
    ax = plotting.barh(_cases(), y="community", x="cases", lang="zh", xlabel="案例数", ylabel="")
    assert [t.get_text() for t in ax.texts] == ["12", "7.5", "23", "4", "15"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(_cases()["community"])
    assert ax.get_xlabel() == "案例数" and ax.get_ylabel() == ""
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([12, 7.5, 23, 4, 15])
    assert _inside(ax, ax.texts)


def test_barh_with_hue_log_and_negative_values():
    tidy = pd.DataFrame(
        {"c": ["甲", "甲", "乙", "乙"], "year": ["2019", "2023"] * 2, "n": [3, 120, 45, 1800]}
    )
    ax = plotting.barh(tidy, y="c", x="n", hue="year", log=True, lang="zh", legend_title="年份")
    assert ax.get_xscale() == "log"
    assert sorted(t.get_text() for t in ax.texts) == sorted(["3", "120", "45", "1800"])
    assert ax.get_legend().get_title().get_text() == "年份"
    bars = [rect for container in ax.containers for rect in container]
    assert len(bars) == 4 and ax.get_xlim()[0] > 0 and all(r.get_x() > 0 for r in bars)
    assert sorted(r.get_x() + r.get_width() for r in bars) == pytest.approx([3, 45, 120, 1800])
    assert _inside(ax, ax.texts)

    signed = pd.DataFrame({"c": ["a", "b", "c"], "d": [-5.25, 10, 0.5]})
    ax = plotting.barh(signed, y="c", x="d", lang="en")
    assert [t.get_text() for t in ax.texts] == ["-5.25", "10", "0.5"]
    assert _inside(ax, ax.texts)


def test_barh_rejects_bad_input():
    dup = pd.DataFrame({"c": ["a", "a"], "n": [1, 2]})
    with pytest.raises(ValueError, match="several rows share c='a'"):
        plotting.barh(dup, y="c", x="n")
    with pytest.raises(ValueError, match="no column"):
        plotting.barh(dup, y="c", x="missing")
    with pytest.raises(ValueError, match="positive"):
        plotting.barh(pd.DataFrame({"c": ["a"], "n": [0]}), y="c", x="n", log=True)


def test_barh_draws_on_a_given_axes():
    fig, ax = plotting.new_figure("double")
    assert plotting.barh(_cases("en"), y="community", x="cases", ax=ax, lang="en") is ax
    assert len(fig.axes) == 1


def _visible(labels):
    return [t for t in labels if t.get_text()]


def test_heatmap_short_labels_stay_horizontal_and_annotations_are_clean():
    m = pd.DataFrame([[3, 0], [1, 2.5]], index=["甲", "乙"], columns=["议事", "服务"])
    ax = plotting.heatmap(m, lang="zh", annot=True, title="机制")
    assert [t.get_text() for t in ax.texts] == ["3", "0", "1", "2.5"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["议事", "服务"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲", "乙"]
    assert {t.get_rotation() for t in ax.get_xticklabels() + ax.get_yticklabels()} == {0}
    assert ax.get_title() == "机制"


def test_heatmap_long_labels_rotate_without_overlapping():
    cols = [
        "党组织覆盖率",
        "议事协商机制",
        "网格化管理",
        "志愿服务队伍",
        "物业治理",
        "居民自治组织",
    ]
    m = pd.DataFrame([[1] * 6, [2] * 6], index=["朝阳门社区", "曹杨新村"], columns=cols)
    ax = plotting.heatmap(m, lang="zh")
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    labels = ax.get_xticklabels()
    assert [t.get_text() for t in labels] == cols  # all labelled
    (angle,) = {t.get_rotation() for t in labels}
    assert angle in (45, 90)
    # Neighbouring labels are parallel strips; they do not touch if the distance between their
    # anchors, measured across the strips, exceeds the height of one line of text.
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, cols[0], fontproperties=labels[0].get_fontproperties())
    line = probe.get_window_extent(renderer).height
    probe.remove()
    cell = ax.bbox.width / len(cols)
    assert cell * math.sin(math.radians(angle)) >= line


@pytest.mark.parametrize("n_cols", [30, 80])
def test_heatmap_many_columns_never_overlap(n_cols, tmp_path):
    names = [f"第{i}号机制" for i in range(n_cols)]
    m = pd.DataFrame([[float(i) for i in range(n_cols)]] * 3, columns=names)
    ax = plotting.heatmap(m, lang="zh")
    fig = ax.get_figure(root=True)
    # redraws: the fit must survive it (keep the figure open: it is drawn again below)
    plotting.save_figure(fig, "many", out_dir=tmp_path, close=False)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = _visible(ax.get_xticklabels())
    texts = [t.get_text() for t in labels]
    assert texts[0] == names[0] and set(texts) <= set(names)
    assert len(labels) == n_cols or len(labels) < n_cols / 2  # all, or thinned evenly
    assert {t.get_rotation() for t in labels} == {90}
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    assert all(a.x1 <= b.x0 for a, b in pairwise(boxes))
    assert all(t.get_fontsize() >= plotting.MIN_FONT_PT for t in labels)


def test_heatmap_rejects_empty_data():
    with pytest.raises(ValueError, match="non-empty DataFrame"):
        plotting.heatmap(pd.DataFrame())


def test_save_figure_returns_displayable_paths_and_closes(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plotting.new_figure()
    ax.plot([1, 2], [3, 4])
    saved = plotting.save_figure(fig, "shown", out_dir=tmp_path, lang="en")
    assert [p.name for p in saved] == ["shown.en.png", "shown.en.svg"]
    assert not plt.fignum_exists(fig.number)
    data, meta = saved._repr_png_()
    assert data == (tmp_path / "shown.en.png").read_bytes()
    width_px = int.from_bytes(data[16:20], "big")
    assert meta == {"width": round(width_px * 96 / plotting.DPI)}
    assert repr(saved) == "SavedFigure(shown.en.png, shown.en.svg)"

"""The figure layer: one pinned CJK font, one house style, deterministic PNG/SVG/PDF files.

Every figure, Chinese or English, is set in **Noto Sans CJK SC**, read from the file shipped by
the pip package ``mplfonts`` (pinned in pyproject.toml), so a fresh machine without any system
font draws the same glyphs. The font has Latin glyphs too, so both languages share one family.

Importing this module applies the house style (:func:`use_house_style`) to the global
``matplotlib.rcParams``; :func:`new_figure` applies it again (it is idempotent), and
:func:`save_figure` sets the save-time parameters (hash salt, font embedding) for the call only.

>>> import pandas as pd
>>> from analytics import plotting
>>> df = pd.DataFrame({"社区": ["甲社区", "乙社区"], "案例数": [12, 3]})
>>> ax = plotting.barh(df, y="社区", x="案例数", lang="zh", xlabel="案例数", ylabel="")
>>> plotting.save_figure(ax.figure, "cases", notebook="01-corpus-overview")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.resources
import math
import os
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, NullFormatter

from analytics.paths import FIGURES_DIR

__all__ = [
    "DEFAULT_CMAP",
    "DOUBLE_COLUMN_IN",
    "DPI",
    "FONT_FAMILY",
    "FONT_FILE",
    "LANGS",
    "PALETTE",
    "SINGLE_COLUMN_IN",
    "barh",
    "check_lang",
    "font_path",
    "format_number",
    "heatmap",
    "new_figure",
    "register_font",
    "save_figure",
    "use_house_style",
]

#: Languages a figure can be drawn in; also the ``.<lang>.`` part of figure file names.
LANGS: tuple[str, ...] = ("zh", "en")

#: File name of the pinned font inside ``mplfonts/fonts/``.
FONT_FILE = "NotoSansCJKsc-Regular.otf"
#: Family name matplotlib reads from that file (``FontProperties(fname=...).get_name()``).
FONT_FAMILY = "Noto Sans CJK SC"

#: Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), reordered so that the weak yellow
#: and the black come last: blue, orange, bluish green, vermillion, sky blue, reddish purple,
#: yellow, black.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
#: Sequential colour map for heatmaps: lightness rises monotonically (readable in greyscale and
#: with colour-vision deficiency), light = low.
DEFAULT_CMAP = "mako_r"

#: Print widths in inches (typical journal single and double column).
SINGLE_COLUMN_IN = 3.5
DOUBLE_COLUMN_IN = 7.2
#: Default heights in inches for the named widths; a numeric width gets ``width * 0.7``.
SINGLE_HEIGHT_IN = 2.5
DOUBLE_HEIGHT_IN = 3.2
#: Raster resolution of saved PNG files.
DPI = 300
#: Padding around the tight bounding box of saved figures, in inches.
PAD_INCHES = 0.03

BASE_FONT_PT = 8.0
SMALL_FONT_PT = 7.0
MIN_FONT_PT = 5.0

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
_SVG_HASHSALT = "analytics-plotting"
_NAME_RE = re.compile(r"^[^/\\\s.][^/\\]*$")

#: Style keys set on top of matplotlib's built-in defaults (a user matplotlibrc is ignored).
HOUSE_RC: dict[str, Any] = {
    # One pinned family for everything, Latin and CJK alike, text and mathtext.
    "font.family": [FONT_FAMILY],
    "font.sans-serif": [FONT_FAMILY],
    "font.size": BASE_FONT_PT,
    "font.weight": "normal",  # the shipped file has a single (Regular) weight
    "mathtext.fontset": "custom",
    "mathtext.rm": FONT_FAMILY,
    "mathtext.sf": FONT_FAMILY,
    "mathtext.it": FONT_FAMILY,
    "mathtext.bf": FONT_FAMILY,
    "mathtext.bfit": FONT_FAMILY,
    "mathtext.tt": FONT_FAMILY,
    "mathtext.cal": FONT_FAMILY,
    "mathtext.fallback": "stixsans",  # STIX ships inside matplotlib
    "axes.unicode_minus": False,  # ASCII hyphen-minus for negative numbers
    "axes.formatter.use_locale": False,
    "axes.titlesize": 9.0,
    "axes.titleweight": "normal",
    "axes.labelsize": BASE_FONT_PT,
    "axes.labelweight": "normal",
    "figure.titlesize": 9.0,
    "figure.titleweight": "normal",
    "xtick.labelsize": SMALL_FONT_PT + 0.5,
    "ytick.labelsize": SMALL_FONT_PT + 0.5,
    "legend.fontsize": SMALL_FONT_PT + 0.5,
    "legend.title_fontsize": BASE_FONT_PT,
    "legend.frameon": False,
    # Colours: Okabe–Ito cycle, white background, light grid, open top/right.
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "image.cmap": "viridis",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "lines.linewidth": 1.2,
    "patch.linewidth": 0.0,
    # Print geometry; figure.dpi only affects the on-screen preview.
    "figure.figsize": (SINGLE_COLUMN_IN, SINGLE_HEIGHT_IN),
    "figure.dpi": 150,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.pad_inches": PAD_INCHES,
    # Deterministic, font-independent vector output.
    "svg.hashsalt": _SVG_HASHSALT,
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}

#: The subset of parameters read at save time; save_figure enforces them for its own call.
_SAVE_RC: dict[str, Any] = {
    k: HOUSE_RC[k]
    for k in ("svg.hashsalt", "svg.fonttype", "svg.image_inline", "pdf.fonttype", "ps.fonttype")
}

# Language each Axes was drawn in by the helpers below; save_figure checks it against ``lang``.
_AX_LANG: weakref.WeakKeyDictionary[Axes, str] = weakref.WeakKeyDictionary()


# --------------------------------------------------------------------------------------------
# Font and style


def font_path() -> Path:
    """Path of the pinned font file shipped by ``mplfonts``.

    >>> font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    path = Path(os.fspath(importlib.resources.files("mplfonts") / "fonts" / FONT_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; reinstall the pinned pip package mplfonts")
    return path


def register_font() -> Path:
    """Make matplotlib find the pinned font, and only it, under :data:`FONT_FAMILY`.

    Adds the file with ``fontManager.addfont`` (mplfonts' own installer is never called: it
    writes into matplotlib's folders). Other copies of the same family known to matplotlib (a
    system Noto CJK, fonts copied by ``mplfonts init``) are dropped from this process's font
    list, so the output does not depend on what the machine has installed. Idempotent.

    >>> from matplotlib.font_manager import FontProperties, findfont
    >>> findfont(FontProperties(family=FONT_FAMILY)) == str(register_font())
    True
    """
    path = font_path()
    fname = os.fspath(path)
    manager = font_manager.fontManager
    ours = [e for e in manager.ttflist if e.fname == fname]
    if not ours:
        manager.addfont(fname)
        ours = [e for e in manager.ttflist if e.fname == fname]
    names = {e.name for e in ours}
    if any(e.name in names and e.fname != fname for e in manager.ttflist):
        manager.ttflist[:] = [e for e in manager.ttflist if e.name not in names]
        manager.addfont(fname)  # re-adds ours only and clears findfont's cache
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY))
    if os.path.realpath(found) != os.path.realpath(fname):
        raise RuntimeError(f"font {FONT_FAMILY!r} resolves to {found}, expected {fname}")
    return path


def use_house_style() -> None:
    """Register the pinned font and apply the house style to ``matplotlib.rcParams``.

    Starts from matplotlib's built-in defaults (a user matplotlibrc is ignored, so two machines
    render alike), then applies :data:`HOUSE_RC`. Idempotent; called on import and by
    :func:`new_figure` (hence by the drawing helpers when they create their own figure), so a
    later ``sns.set_theme()`` elsewhere cannot bring back a font without CJK glyphs. The flip
    side: rcParams changed by hand are reset by the next ``new_figure``; adjust the returned
    Figure/Axes instead.

    >>> use_house_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["font.family"], mpl.rcParams["svg.fonttype"]
    (['Noto Sans CJK SC'], 'path')
    """
    register_font()
    mpl.rcdefaults()
    mpl.rcParams.update(HOUSE_RC)


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGS`, else raise ``ValueError`` naming it.

    >>> check_lang("en")
    'en'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'zh', 'en', got 'fr'
    """
    if not isinstance(lang, str) or lang not in LANGS:
        raise ValueError(f"lang must be one of 'zh', 'en', got {lang!r}")
    return lang


def format_number(value: Any, digits: int = 2) -> str:
    """Format a value label: at most ``digits`` decimals, no trailing zeros, ``""`` for NaN.

    >>> [format_number(v) for v in (12, 12.0, 3.5, 0.333, -0.001, float("nan"))]
    ['12', '12', '3.5', '0.33', '0', '']
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(number):
        return ""
    text = f"{round(number, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --------------------------------------------------------------------------------------------
# Figures


def new_figure(
    width: Literal["single", "double"] | float = "single", height: float | None = None
) -> tuple[Figure, Axes]:
    """Create a figure of print size with one Axes, in the house style.

    ``width`` is ``"single"`` (3.5 in), ``"double"`` (7.2 in) or inches; ``height`` defaults to
    2.5 in, 3.2 in, or 0.7 × a numeric width. Uses constrained layout.

    >>> fig, ax = new_figure("double", height=3)
    >>> fig.get_size_inches().round(2).tolist()
    [7.2, 3.0]
    """
    if isinstance(width, str):
        sizes = {"single": (SINGLE_COLUMN_IN, SINGLE_HEIGHT_IN)}
        sizes["double"] = (DOUBLE_COLUMN_IN, DOUBLE_HEIGHT_IN)
        if width not in sizes:
            raise ValueError(f"width must be 'single', 'double' or inches, got {width!r}")
        w, default_h = sizes[width]
    else:
        w = float(width)
        default_h = w * 0.7
    h = default_h if height is None else float(height)
    if not (w > 0 and h > 0 and math.isfinite(w) and math.isfinite(h)):
        raise ValueError(f"figure size must be positive, got {w!r} x {h!r} in")
    use_house_style()
    fig, ax = plt.subplots(figsize=(w, h), layout="constrained")
    return fig, ax


class SavedFigure(list):
    """The paths :func:`save_figure` wrote. In Jupyter it displays as the saved PNG itself (no
    second rendering), shown at print size; its text form lists the files relative to the
    repository, so notebook outputs hold no machine-specific path.

    >>> SavedFigure([FIGURES_DIR / "01-corpus-overview" / "a.en.png"])
    SavedFigure(figures/01-corpus-overview/a.en.png)
    """

    def __repr__(self) -> str:
        shown = []
        for path in self:
            try:
                shown.append(Path(path).relative_to(FIGURES_DIR.parent).as_posix())
            except ValueError:
                shown.append(Path(path).name)
        return f"SavedFigure({', '.join(shown)})"

    def _repr_png_(self) -> tuple[bytes, dict[str, int]] | None:
        png = next((Path(p) for p in self if Path(p).suffix == ".png"), None)
        if png is None:
            return None
        data = png.read_bytes()
        width = int.from_bytes(data[16:20], "big")  # IHDR width in pixels
        return data, {"width": round(width * 96 / DPI)}  # CSS pixels at print size


def save_figure(
    fig: Figure,
    name: str,
    *,
    notebook: str | None = None,
    lang: str = "zh",
    formats: Iterable[str] = ("png", "svg"),
    out_dir: Path | str | None = None,
    close: bool = True,
) -> SavedFigure:
    """Write ``<name>.<lang>.<format>`` files byte-for-byte reproducibly; return their paths.

    With ``close=True`` (the default) the figure is then closed in pyplot, so a notebook cell
    that saves both languages does not display every one of them: the Figure object stays
    usable, and putting it last in the cell displays it once.

    The folder is ``figures/<notebook>/`` (``analytics.paths.FIGURES_DIR``); ``out_dir``
    replaces ``figures/`` (the ``notebook`` sub-folder is kept when given). PNG at 300 dpi,
    SVG with glyphs as paths, PDF when ``"pdf"`` is in ``formats``; tight bounding box with a
    fixed pad; no dates or paths in the metadata. Existing files are overwritten (only when
    their bytes change). Raises ``ValueError`` when ``lang`` differs from the language the
    helpers drew the figure in.

    PDF caveat: the font has CFF (PostScript) outlines; with ``pdf.fonttype = 42`` matplotlib
    embeds the subset as ``CIDFontType2``/``FontFile2``, which the PDF spec reserves for
    TrueType outlines (matplotlib issue #2869). Common viewers draw it, strict preflight
    checks may reject it: prefer the SVG or PNG for submission.

    >>> fig, ax = new_figure()
    >>> save_figure(fig, "cases", notebook="01-corpus-overview", lang="en")  # doctest: +SKIP
    [PosixPath('.../figures/01-corpus-overview/cases.en.png'), PosixPath('...cases.en.svg')]
    """
    lang = check_lang(lang)
    _check_name(name, "name")
    if notebook is not None:
        _check_name(notebook, "notebook")
    if out_dir is None:
        if notebook is None:
            raise ValueError(
                "save_figure: notebook= is required, e.g. notebook='01-corpus-overview'"
            )
        folder = FIGURES_DIR / notebook
    else:
        folder = Path(out_dir) / notebook if notebook is not None else Path(out_dir)
    if isinstance(formats, str):
        formats = (formats,)
    fmts = list(dict.fromkeys(formats))
    for fmt in fmts:
        if fmt not in FORMATS:
            raise ValueError(f"save_figure: format must be one of {FORMATS}, got {fmt!r}")
    if not fmts:
        raise ValueError("save_figure: formats= is empty")
    drawn = {_AX_LANG[ax] for ax in fig.axes if ax in _AX_LANG}
    if drawn and drawn != {lang}:
        raise ValueError(
            f"save_figure: figure was drawn with lang={'/'.join(sorted(drawn))!r}"
            f" but is saved as lang={lang!r}"
        )

    metadata: dict[str, Mapping[str, Any] | None] = {
        "png": None,  # matplotlib writes only "Software" (its version) to PNG: no time, no path
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }
    register_font()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with mpl.rc_context(_SAVE_RC):
        # Lay out and measure once, then write every format with that fixed layout and bounding
        # box: "tight" per format would lay out and draw each figure twice more per format.
        fig.draw_without_rendering()
        bbox = fig.get_tightbbox().padded(PAD_INCHES)
        engine = fig.get_layout_engine()
        fig._layout_engine = None  # positions are final; no engine means no extra draw per format
        try:
            for fmt in fmts:
                buffer = BytesIO()
                fig.savefig(
                    buffer,
                    format=fmt,
                    dpi=DPI,
                    bbox_inches=bbox,
                    facecolor="white",
                    metadata=metadata[fmt],
                    **({"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}),
                )
                path = folder / f"{name}.{lang}.{fmt}"
                _write_if_changed(path, buffer.getvalue())
                written.append(path)
        finally:
            fig._layout_engine = engine
    if close:
        plt.close(fig)
    return SavedFigure(written)


def _check_name(value: str, what: str) -> None:
    if not isinstance(value, str) or not _NAME_RE.match(value):
        raise ValueError(
            f"save_figure: {what} must be a plain file name (no '/', no leading dot), got {value!r}"
        )


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def case_label_lines(label: str) -> str:
    """Put a case label's bracketed place on its own line, for narrow column headers.

    >>> case_label_lines("红庙社区（朝阳）"), case_label_lines("Hongmiao (Chaoyang)")
    ('红庙社区\\n（朝阳）', 'Hongmiao\\n(Chaoyang)')
    """
    for opening in (" (", "（"):
        if opening in label:
            head, _, tail = label.partition(opening)
            return f"{head}\n{opening.strip()}{tail}"
    return label


def tag_lang(ax: Axes, lang: str) -> Axes:
    """Record that ``ax`` was drawn with ``lang`` labels (checked again by :func:`save_figure`).

    Every drawing function, here and in the ``analytics.plotting.*`` modules, calls it.

    >>> fig, ax = new_figure()
    >>> tag_lang(ax, "en") is ax
    True
    """
    _AX_LANG[ax] = check_lang(lang)
    return ax


# --------------------------------------------------------------------------------------------
# Drawing helpers


def barh(
    data: pd.DataFrame,
    *,
    y: str,
    x: str,
    hue: str | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    log: bool = False,
    legend_title: str | None = None,
) -> Axes:
    """Horizontal bars of ``x`` per ``y`` category (grouped by ``hue``), value at each bar end.

    One row per ``(y, hue)`` pair (aggregate first; duplicates raise ``ValueError``); bars keep
    the row order of ``data`` (or the categories' order). Labels are already translated
    strings for ``lang``; ``None`` keeps seaborn's default (the column name), ``""`` hides it.
    ``log=True`` uses a log x axis (values must be positive).

    >>> df = pd.DataFrame({"case": ["A", "B"], "n": [12, 3.5]})
    >>> ax = barh(df, y="case", x="n", lang="en", xlabel="Documents", ylabel="")
    >>> [t.get_text() for t in ax.texts]
    ['12', '3.5']
    """
    lang = check_lang(lang)
    keys = [y] if hue is None else [y, hue]
    _require_columns(data, [*keys, x], "barh")
    duplicated = data.duplicated(subset=keys)
    if duplicated.any():
        row = data.loc[duplicated, keys].iloc[0]
        pairs = ", ".join(f"{k}={row[k]!r}" for k in keys)
        raise ValueError(f"barh: several rows share {pairs}; aggregate the data first")
    values = pd.to_numeric(data[x], errors="raise")
    if log and not (values.dropna() > 0).all():
        raise ValueError(f"barh: log=True needs positive values in column {x!r}")
    if ax is None:
        _, ax = new_figure()

    colours: dict[str, Any] = {"color": PALETTE[0]}
    if hue is not None:
        levels = data[hue].dropna().unique()
        if len(levels) > len(PALETTE):
            raise ValueError(
                f"barh: hue {hue!r} has {len(levels)} levels, the palette {len(PALETTE)} colours"
            )
        colours = {"palette": list(PALETTE[: len(levels)])}
    sns.barplot(
        data=data,
        x=x,
        y=y,
        hue=hue,
        orient="h",
        errorbar=None,
        saturation=1.0,
        ax=ax,
        **colours,
    )
    if log:
        _log_bars(ax, float(values[values > 0].min()))
    labels: list[tuple[float, Text]] = []
    for container in ax.containers:
        texts = ax.bar_label(
            container,
            labels=[format_number(v) for v in container.datavalues],
            padding=2,
            fontsize=SMALL_FONT_PT,
        )
        labels.extend(zip(container.datavalues, texts, strict=True))
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    if hue is not None and ax.get_legend() is not None:
        sns.move_legend(ax, "best", frameon=False, title=legend_title or hue)
    _set_labels(ax, xlabel, ylabel, title)
    _fit_bar_labels(ax, labels)
    _fit_title(ax)
    _AX_LANG[ax] = lang
    return ax


def heatmap(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    cmap: str | Any = DEFAULT_CMAP,
    annot: bool | pd.DataFrame | np.ndarray | None = None,
    fmt: str = "",
    cbar: bool = False,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
) -> Axes:
    """Heatmap of a numeric matrix (index = rows, columns = columns) via ``seaborn.heatmap``.

    Every row and column is labelled; x tick labels turn 45° or 90° (and shrink, then thin out,
    as a last resort) when they would otherwise overlap. ``annot=True`` writes each value with
    :func:`format_number` unless ``fmt`` is given; a DataFrame/array of strings is written as
    is. Labels behave as in :func:`barh`.

    >>> m = pd.DataFrame([[3, 0], [1, 2]], index=["甲", "乙"], columns=["议事", "服务"])
    >>> ax = heatmap(m, lang="zh", annot=True)
    >>> [t.get_text() for t in ax.texts]
    ['3', '0', '1', '2']
    """
    lang = check_lang(lang)
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValueError("heatmap: data must be a non-empty DataFrame (index = rows)")
    if ax is None:
        _, ax = new_figure()
    if annot is True and fmt == "":
        annot = data.map(format_number).to_numpy(dtype=object)
    sns.heatmap(
        data,
        ax=ax,
        cmap=cmap,
        annot=annot if annot is not None else False,
        fmt=fmt,
        cbar=cbar,
        annot_kws={"fontsize": SMALL_FONT_PT},
        xticklabels=True,
        yticklabels=True,
        linewidths=0,
    )
    ax.grid(False)
    ax.tick_params(axis="both", length=0)
    _set_labels(ax, xlabel, ylabel, title)
    _fit_heatmap_ticklabels(ax, n_rows=data.shape[0], n_cols=data.shape[1])
    _fit_title(ax)
    _AX_LANG[ax] = lang
    return ax


def _require_columns(data: pd.DataFrame, columns: Sequence[str], who: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{who}: data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{who}: no column(s) {missing} in data (has {list(data.columns)})")


def _set_labels(ax: Axes, xlabel: str | None, ylabel: str | None, title: str | None) -> None:
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)


def _log_bars(ax: Axes, smallest: float) -> None:
    """Log x axis whose bars start at the power of ten below ``smallest`` (not at 0)."""
    baseline = 10.0 ** math.floor(math.log10(smallest))
    if baseline >= smallest:
        baseline /= 10
    ax.set_xscale("log")
    for container in ax.containers:
        for rect in container:
            end = rect.get_x() + rect.get_width()
            rect.set_x(baseline)
            rect.set_width(end - baseline)
    ax.set_xlim(left=baseline)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, digits=6)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _fit_bar_labels(ax: Axes, labels: list[tuple[float, Text]]) -> None:
    """Widen the x limits so that every bar-end label lies inside the Axes (linear or log)."""
    fig = ax.get_figure(root=True)
    scale = ax.xaxis.get_transform()  # data -> linear "scaled" space (log10 for log axes)
    labelled = [(float(v), t) for v, t in labels if t.get_text() and math.isfinite(float(v))]
    for _ in range(4):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        box = ax.bbox
        width = box.width
        margin = 2 * fig.dpi / 72  # keep labels 2 pt clear of the Axes edges
        lo, hi = (float(s) for s in scale.transform(np.array(ax.get_xlim(), dtype=float)))
        new_lo, new_hi = lo, hi
        for value, text in labelled:
            ext = text.get_window_extent(renderer)
            s_v = float(scale.transform(np.array([value]))[0])
            anchor = box.x0 + (s_v - lo) / (hi - lo) * width
            if ext.x1 > box.x1 - margin + 0.5:
                room = width - (ext.x1 - anchor) - margin
                if room > 0:
                    new_hi = max(new_hi, lo + (s_v - lo) * width / room)
            if ext.x0 < box.x0 + margin - 0.5:
                need = anchor - ext.x0 + margin
                if need < width:
                    new_lo = min(new_lo, (s_v * width - need * hi) / (width - need))
        if (new_lo, new_hi) == (lo, hi):
            return
        inverse = scale.inverted()
        ax.set_xlim(*(float(v) for v in inverse.transform(np.array([new_lo, new_hi]))))


def _fit_title(ax: Axes) -> None:
    """Keep a centred title inside the figure: shift it sideways, shrink it if still too wide."""
    title = ax.title
    if not title.get_text():
        return
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    pad = 2 * fig.dpi / 72
    room = fig.bbox.width - 2 * pad
    ext = title.get_window_extent(renderer)
    if ext.width > room:
        title.set_fontsize(max(MIN_FONT_PT, title.get_fontsize() * room / ext.width))
        ext = title.get_window_extent(renderer)
    shift = 0.0
    if ext.x1 > fig.bbox.x1 - pad:
        shift = fig.bbox.x1 - pad - ext.x1
    if ext.x0 + shift < fig.bbox.x0 + pad:
        shift = fig.bbox.x0 + pad - ext.x0
    if shift:
        title.set_x(title.get_position()[0] + shift / ax.bbox.width)


def _fit_heatmap_ticklabels(ax: Axes, *, n_rows: int, n_cols: int) -> None:
    """Rotate, shrink or thin out tick labels until neighbours do not overlap.

    Uses ``tick_params`` and ``set_ticks`` (not per-Text edits), so the result survives redraws.
    """
    fig = ax.get_figure(root=True)
    ax.tick_params(axis="both", labelrotation=0)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    xlabels = ax.get_xticklabels()
    if any(t.get_text() for t in xlabels):
        cell = ax.bbox.width / n_cols
        gap = 0.25 * xlabels[0].get_fontsize() * fig.dpi / 72
        widest = max(t.get_window_extent(renderer).width for t in xlabels)
        line = max(t.get_window_extent(renderer).height for t in xlabels)
        if widest + gap <= cell:
            angle, align = 0, {"ha": "center", "va": "top", "rotation_mode": "default"}
        elif cell >= 1.5 * line + gap:
            angle, align = 45, {"ha": "right", "va": "top", "rotation_mode": "anchor"}
        else:
            angle, align = 90, {"ha": "right", "va": "center", "rotation_mode": "anchor"}
            _shrink_or_thin(ax.xaxis, cell, line + gap)
        ax.tick_params(axis="x", labelrotation=angle)
        for t in ax.get_xticklabels():
            t.set(**align)
        fig.draw_without_rendering()
    ylabels = ax.get_yticklabels()
    if any(t.get_text() for t in ylabels):
        cell = ax.bbox.height / n_rows
        gap = 0.15 * ylabels[0].get_fontsize() * fig.dpi / 72
        line = max(t.get_window_extent(renderer).height for t in ylabels)
        _shrink_or_thin(ax.yaxis, cell, line + gap)


def _shrink_or_thin(axis: Any, cell: float, needed: float) -> None:
    """Fit tick labels ``needed`` px across into ``cell`` px: smaller font, then every k-th."""
    if needed <= cell:
        return
    labels = axis.get_ticklabels()
    size = labels[0].get_fontsize()
    new_size = max(MIN_FONT_PT, size * cell / needed)
    step = math.ceil(needed * new_size / size / cell - 1e-9)
    if step > 1:
        texts = [t.get_text() for t in labels]
        axis.set_ticks(axis.get_ticklocs()[::step], texts[::step])
    axis.set_tick_params(labelsize=new_size)


use_house_style()

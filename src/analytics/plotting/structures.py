"""Figures of organisational structures (notebook 02): trees on a shared tier axis, the tier
alignment, staffing, span rules and the similarity of cases.

The functions draw the tidy tables of :mod:`analytics.structures` they are given (never the
corpus itself); labels come from the glossary (tiers, structure kinds, staff roles) or from the
data (``name`` in Chinese figures, ``name_en`` in English ones, the Chinese name where a gloss
is missing).

>>> import analytics
>>> from analytics import structures
>>> corpus = analytics.load_corpus()
>>> layout = structures.level_layout(corpus.levels)
>>> ax = structure_trees(layout, glossary=corpus.glossary, case_labels=corpus.case_labels("en"),
...     lang="en")
>>> " ".join(ax.get_ylabel().split())
'Canonical tier'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle
from matplotlib.textpath import text_to_path

from analytics.glossary import Glossary
from analytics.plotting import (
    FONT_FAMILY,
    PALETTE,
    SMALL_FONT_PT,
    case_label_lines,
    check_lang,
    format_number,
    heatmap,
    new_figure,
    tag_lang,
)

_TEXT = {
    "zh": {
        "tier_axis": "规范层级",
        "next_tier": "相邻层级相连",
        "skip": "虚线：跨过无对应层级的层",
        "people": "人数（人）",
        "per_unit": "每个单位的人数",
        "total": "总人数（非按单位）",
        "not_stated": "未载明人数",
        "span": "每个单位联系的党员数（人）",
        "span_title": "明文规定的联系比例",
        "fan_out": "每个上级单位对应的下级数（个或人，平均）",
        "fan_out_title": "由层级数量推算",
        "no_data": "无数据",
        "tier_counts": "到达各层级的纵向结构数（个）",
        "jaccard": "层级重合度（Jaccard）",
        "edit": "树编辑相似度",
    },
    "en": {
        "tier_axis": "Canonical tier",
        "next_tier": "levels linked",
        "skip": "dashed: skips a tier",
        "people": "People (persons)",
        "per_unit": "per unit",
        "total": "in total (not per unit)",
        "not_stated": "number not stated",
        "span": "Party members per unit (persons)",
        "span_title": "Stated span rules",
        "fan_out": "Sub-units or members per parent unit (mean)",
        "fan_out_title": "Derived from stated counts",
        "no_data": "no data",
        "tier_counts": "Vertical structures reaching each tier (count)",
        "jaccard": "Tier overlap (Jaccard)",
        "edit": "Tree-edit similarity",
    },
}

_GREY = "#666666"
_BAND = "#f2f2f2"
_RULE = "#c8c8c8"
_POINTS_PER_INCH = 72.0

# Tree layout, in points.
_BOX_PT = {"zh": 5.5, "en": 5.0}
_HEADER_PT = 6.5
_TICK_PT = 6.5
_TICK_WRAP = 38.0
_PAD_X, _PAD_Y = 1.6, 1.4
_STACK_GAP = 2.5
_BAND_PAD = 3.5
_MIN_BAND = 12.0
_CASE_GAP, _SUB_GAP = 7.0, 2.5
_MIN_COLUMN = 22.0
_LINESPACING = 1.15


# --------------------------------------------------------------------------- helpers


def _names(data: pd.DataFrame, lang: str, zh: str = "name", en: str = "name_en") -> pd.Series:
    """``data[zh]`` for Chinese figures; ``data[en]`` for English ones, else the Chinese name."""
    if lang == "zh" or en not in data.columns:
        return data[zh].astype(str)
    english = data[en]
    return english.where(english.notna() & (english.astype(str) != ""), data[zh]).astype(str)


def _role_label(glossary: Glossary, role: str, lang: str) -> str:
    """A staff role in ``lang``: glossary ``staff_roles`` matched on the role as written."""
    if lang == "zh":
        return role
    for entry in glossary.entries.get("staff_roles", {}).values():
        if entry.get("zh") == role:
            return entry["en"]
    return role


def _kind_colours(glossary: Glossary) -> dict[str, str]:
    """One palette colour per structure kind, in glossary order (the same in every figure)."""
    return dict(zip(glossary.keys("structure_kinds"), PALETTE, strict=False))


def _tint(colour: str, amount: float = 0.82) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` = share of white)."""
    rgb = np.array(mcolors.to_rgb(colour))
    return tuple(float(v) for v in rgb + (1 - rgb) * amount)


@cache
def _width(text: str, size: float) -> float:
    """Advance width of one line of text, in points, in the house font."""
    if not text:
        return 0.0
    prop = FontProperties(family=FONT_FAMILY, size=size)
    return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])


_OPENING = set("“‘（《「『【(")
_CLOSING = set("”’）》」』】、，。：；！？)")


def _is_cjk(char: str) -> bool:
    """Chinese characters and punctuation, including the curly quotes Chinese text uses."""
    return ord(char) >= 0x2E80 or char in "“”‘’"


def _tokens(text: str) -> list[tuple[str, str]]:
    """Break points of a label: ``(token, separator before it)``.

    Latin words break at spaces and after hyphens; Chinese text between any two characters,
    except that opening quotes and brackets stay with the next character and closing ones
    (and 、，) with the previous one.
    """
    tokens: list[tuple[str, str]] = []
    word, sep, glue_next = "", "", False

    def push(token: str) -> None:
        nonlocal sep, glue_next
        if (glue_next and tokens) or (tokens and token[0] in _CLOSING and not sep):
            prev, prev_sep = tokens.pop()
            tokens.append((prev + token, prev_sep))
        elif tokens and token == "/":  # "Household /" stays together
            prev, prev_sep = tokens.pop()
            tokens.append((prev + sep + token, prev_sep))
        else:
            tokens.append((token, sep))
        sep, glue_next = "", False

    for char in text:
        if char.isspace():
            if word:
                push(word)
                word = ""
            sep = " " if tokens else ""
        elif _is_cjk(char):
            if word:
                push(word)
                word = ""
            push(char)
            if char in _OPENING:
                glue_next = True
        else:
            word += char
            if char == "-" and len(word) > 1:
                push(word)
                word = ""
    if word:
        push(word)
    return tokens


def _split_long(token: str, width: float, size: float) -> list[str]:
    """Cut a token wider than ``width`` into pieces (Latin pieces end with a hyphen)."""
    pieces, current = [], ""
    for char in token:
        hyphen = "" if _is_cjk(char) else "-"
        if current and _width(current + char + hyphen, size) > width:
            pieces.append(current + ("" if _is_cjk(current[-1]) else "-"))
            current = char
        else:
            current += char
    return [*pieces, current]


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines at most ``width`` points wide, as evenly as possible.

    Greedy breaking gives the fewest lines; the narrowest width that still gives that many
    lines (found by bisection) then evens them out, so no line ends with a lone character.
    """
    lines = _greedy(text, width, size)
    if len(lines) < 2 or any(_width(line, size) > width for line in lines):
        return lines
    lo, hi = min(_longest_token([text], size), width), width
    for _ in range(12):
        mid = (lo + hi) / 2
        if len(_greedy(text, mid, size)) == len(lines):
            hi = mid
        else:
            lo = mid
    return _greedy(text, hi, size)


def _greedy(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking of ``text`` into lines at most ``width`` points wide."""
    lines: list[str] = []
    current = ""
    for token, sep in _tokens(text):
        candidate = f"{current}{sep if current else ''}{token}"
        if _width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if _width(token, size) <= width:
            current = token
        else:
            *head, current = _split_long(token, width, size)
            lines.extend(head)
    if current:
        lines.append(current)
    return lines or [""]


def _longest_token(texts: Sequence[str], size: float) -> float:
    return max((_width(t, size) for text in texts for t, _ in _tokens(text)), default=0.0)


def _fill_widths(minimum: Sequence[float], total: float) -> list[float]:
    """Share ``total`` among columns: each gets at least its minimum, the rest equal shares.

    When the minimums do not fit, every column shrinks in proportion (long words then break).
    """
    n = len(minimum)
    if sum(minimum) >= total:
        return [m * total / sum(minimum) for m in minimum]
    fixed: set[int] = set()
    while True:
        share = (total - sum(minimum[i] for i in fixed)) / (n - len(fixed))
        grow = {i for i in range(n) if i not in fixed and minimum[i] > share}
        if not grow:
            return [minimum[i] if i in fixed else share for i in range(n)]
        fixed |= grow


def _measure(ax: Axes, text, renderer) -> float:
    """Height of a Text artist in points."""
    dpi = ax.get_figure(root=True).dpi
    return text.get_window_extent(renderer).height * _POINTS_PER_INCH / dpi


def _shown_tiers(glossary: Glossary, used: Sequence[str], tiers: Sequence[str] | None) -> list:
    if tiers is not None:
        return list(tiers)
    order = glossary.keys("tiers")
    ranks = [order.index(t) for t in used if t in order]
    if not ranks:
        return []
    return order[min(ranks) : max(ranks) + 1]


# --------------------------------------------------------------------------- trees


def structure_trees(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    tiers: Sequence[str] | None = None,
    connect: bool = True,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Every structure as a column of boxes on a shared tier axis, cases side by side.

    ``data`` is :func:`analytics.structures.level_layout` (one row per level with its
    ``case_pos``, ``column``, ``slot``). The y axis holds the canonical tiers top to bottom
    (``tiers``, default: the glossary's tiers from the highest to the lowest one used); each
    case is a group of columns under its label, each structure one column, each level a box
    at its tier labelled with its name (zh) or ``name_en`` (en), wrapped to the column. Levels
    of one structure at the same tier are stacked in depth order. With ``connect=True``
    consecutive levels are joined, by a dashed line where the link passes a tier at which the
    structure has no level (a skipped tier). Box colours show the structure kind. The figure
    is 7.2 in wide and as tall as its content; given ``ax``, its width is used and its
    figure's height is changed to fit.
    """
    lang = check_lang(lang)
    if data.empty:
        raise ValueError("structure_trees: no levels to draw")
    shown = _shown_tiers(glossary, list(dict.fromkeys(data["tier"])), tiers)
    rows = data[data["tier"].isin(shown)].copy()
    rows["label"] = _names(rows, lang).to_numpy()
    colours = _kind_colours(glossary)
    box_pt = _BOX_PT[lang]

    if ax is None:
        fig, ax = new_figure("double", height=4.0)
    fig = ax.get_figure(root=True)
    fig.set_layout_engine("none")
    tick_lines = {
        t: "\n".join(_wrap(glossary.label("tiers", t, lang), _TICK_WRAP, _TICK_PT)) for t in shown
    }
    axis_title = "\n".join(_wrap(_TEXT[lang]["tier_axis"], _TICK_WRAP, _TICK_PT))
    label_w = max(
        _width(line, _TICK_PT)
        for text in [*tick_lines.values(), axis_title]
        for line in text.split("\n")
    )
    left = label_w + 5.0
    fig_w = fig.get_figwidth() * _POINTS_PER_INCH
    axes_w = fig_w - left - 2.0

    # Column widths: at least the longest unbreakable word of the column's labels.
    columns = rows.drop_duplicates("column").sort_values("column")
    cases = columns.drop_duplicates("case_pos")[["case_pos", "case_id"]].to_numpy().tolist()
    n_cols = len(columns)
    gaps = _CASE_GAP * (len(cases) - 1) + _SUB_GAP * (n_cols - len(cases))
    own = {
        c: max(_MIN_COLUMN, _longest_token(rows.loc[rows["column"] == c, "label"], box_pt))
        + 2 * _PAD_X
        for c in columns["column"]
    }
    header_parts = {
        pos: case_label_lines(case_labels.get(case_id, case_id)).split("\n")
        for pos, case_id in cases
    }
    members = {pos: columns.loc[columns["case_pos"] == pos, "column"].tolist() for pos, _ in cases}

    def with_headers(size: float) -> dict[int, float]:
        """Column minimums widened so that each case label fits over its group."""
        minimum = dict(own)
        for pos, mine in members.items():
            need = 2.0 + max(_longest_token([p], size) if " " in p else _width(p, size)
                             for p in header_parts[pos])  # fmt: skip
            have = sum(minimum[c] for c in mine) + _SUB_GAP * (len(mine) - 1)
            for c in mine:
                minimum[c] += max(0.0, need - have) / len(mine)
        return minimum

    header_pt = _HEADER_PT  # the largest size (down to 5.5 pt) at which every label fits
    while header_pt > 5.5 and sum(with_headers(header_pt).values()) > axes_w - gaps:
        header_pt -= 0.5
    minimum = with_headers(header_pt)
    widths = dict(
        zip(columns["column"], _fill_widths(list(minimum.values()), axes_w - gaps), strict=True)
    )
    x0: dict[int, float] = {}
    x = 0.0
    group_span: dict[int, tuple[float, float]] = {}
    for case_pos, _case in cases:
        start = x
        for c in columns.loc[columns["case_pos"] == case_pos, "column"]:
            x0[c] = x
            x += widths[c] + _SUB_GAP
        group_span[case_pos] = (start, x - _SUB_GAP)
        x += _CASE_GAP - _SUB_GAP

    renderer = fig.canvas.get_renderer()
    # Case headers.
    headers = {}
    for case_pos, _case_id in cases:
        lo, hi = group_span[case_pos]
        parts = header_parts[case_pos]
        one_line = " ".join(parts) if parts[-1][:1] == "(" else "".join(parts)
        if _width(one_line, header_pt) <= hi - lo:
            lines = [one_line]
        else:
            lines = [line for part in parts for line in _wrap(part, hi - lo, header_pt)]
        text = ax.text(
            (lo + hi) / 2,
            0,
            "\n".join(lines),
            ha="center",
            va="bottom",
            fontsize=header_pt,
            linespacing=_LINESPACING,
        )
        headers[case_pos] = text
    header_h = max(_measure(ax, t, renderer) for t in headers.values())
    top = header_h + 6.0

    # Boxes: wrap, measure, stack.
    boxes = {}
    for row in rows.itertuples(index=False):
        inner = widths[row.column] - 2 * _PAD_X
        text = ax.text(
            0,
            0,
            "\n".join(_wrap(row.label, inner, box_pt)),
            ha="center",
            va="center",
            fontsize=box_pt,
            linespacing=_LINESPACING,
            zorder=4,
        )
        boxes[(row.column, row.depth)] = (row, text, _measure(ax, text, renderer) + 2 * _PAD_Y)
    stacks: dict[tuple[int, str], float] = {}
    for (column, _depth), (row, _text, height) in boxes.items():
        key = (column, row.tier)
        stacks[key] = stacks.get(key, -_STACK_GAP) + height + _STACK_GAP
    band_top, band_h = {}, {}
    y = top
    for tier in shown:
        used = [h for (_c, t), h in stacks.items() if t == tier]
        band_top[tier] = y
        band_h[tier] = max([_MIN_BAND, *used]) + 2 * _BAND_PAD
        y += band_h[tier]
    bottom = y

    # Tier bands, group rules, headers.
    for i, tier in enumerate(shown):
        if i % 2 == 0:
            ax.add_patch(
                Rectangle((0, band_top[tier]), x, band_h[tier], color=_BAND, lw=0, zorder=0)
            )
    for case_pos, _case in cases:
        lo, hi = group_span[case_pos]
        ax.plot([lo, hi], [header_h + 2.5] * 2, color="#444444", lw=0.6, zorder=2)
        headers[case_pos].set_y(header_h + 1.0)
        if case_pos != cases[0][0]:
            rule = lo - _CASE_GAP / 2
            ax.plot([rule, rule], [top, bottom], color=_RULE, lw=0.5, zorder=1)

    # Boxes at their tier, stacked in depth order and centred in the band.
    placed: dict[tuple[int, int], tuple[float, float]] = {}
    filled: dict[tuple[int, str], float] = {}
    for (column, depth), (row, text, height) in sorted(boxes.items()):
        key = (column, row.tier)
        start = band_top[row.tier] + (band_h[row.tier] - stacks[key]) / 2
        y_top = start + filled.get(key, 0.0)
        filled[key] = filled.get(key, 0.0) + height + _STACK_GAP
        colour = colours.get(row.kind, PALETTE[-1])
        ax.add_patch(
            FancyBboxPatch(
                (x0[column], y_top),
                widths[column],
                height,
                boxstyle="round,pad=0,rounding_size=1.5",
                facecolor=_tint(colour),
                edgecolor=colour,
                lw=0.6,
                zorder=3,
            )
        )
        text.set_position((x0[column] + widths[column] / 2, y_top + height / 2))
        placed[(column, depth)] = (y_top, y_top + height)

    # Links between consecutive levels: dashed where they pass a tier without a level.
    rank = {t: i for i, t in enumerate(shown)}
    if connect:
        for (column, depth), (row, _text, _h) in boxes.items():
            child = boxes.get((column, depth + 1))
            if child is None:
                continue
            upper, lower = placed[(column, depth)], placed[(column, depth + 1)]
            ys = [upper[1], lower[0]] if lower[0] >= upper[1] else [upper[0], lower[1]]
            skip = abs(rank[child[0].tier] - rank[row.tier]) > 1
            cx = x0[column] + widths[column] / 2
            ax.plot(
                [cx, cx],
                ys,
                color="#333333",
                lw=0.7,
                ls=(0, (2.0, 1.5)) if skip else "-",
                zorder=2,
                solid_capstyle="butt",
            )

    ax.set_xlim(0, x)
    ax.set_ylim(bottom, 0)
    ax.set_yticks([band_top[t] + band_h[t] / 2 for t in shown], [tick_lines[t] for t in shown])
    ax.tick_params(axis="y", length=0, labelsize=_TICK_PT, pad=3)
    ax.set_xticks([])
    ax.set_ylabel(axis_title, rotation=0, ha="right", va="bottom", fontsize=_TICK_PT)
    ax.yaxis.set_label_coords(-3.0 / x, 1 - (header_h + 2.5) / bottom)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)

    # Legend: kinds drawn (and line styles) below the plot.
    kinds = [k for k in glossary.keys("structure_kinds") if k in set(rows["kind"])]
    handles = [
        Patch(
            facecolor=_tint(colours[k]),
            edgecolor=colours[k],
            lw=0.6,
            label=glossary.label("structure_kinds", k, lang),
        )
        for k in kinds
    ]
    if connect:
        handles += [
            Line2D([], [], color="#333333", lw=0.7, label=_TEXT[lang]["next_tier"]),
            Line2D([], [], color="#333333", lw=0.7, ls=(0, (2.0, 1.5)), label=_TEXT[lang]["skip"]),
        ]
    legend_h = 16.0 if len(handles) > 1 else 0.0
    if len(handles) > 1:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=len(handles),
            fontsize=SMALL_FONT_PT,
            handlelength=1.6,
            columnspacing=1.2,
            borderaxespad=0.3,
        )

    # Size the figure to the content: 1 data unit = 1 point.
    fig_h = bottom + legend_h + 6.0
    fig.set_figheight(fig_h / _POINTS_PER_INCH)
    ax.set_position([left / fig_w, (legend_h + 4.0) / fig_h, x / fig_w, bottom / fig_h])
    return tag_lang(ax, lang)


# --------------------------------------------------------------------------- tier alignment


def tier_heatmap(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Case × tier counts (:func:`analytics.structures.tier_counts`) as an annotated heatmap.

    A cell counts the case's vertical structures with at least one level at the tier; 0 marks
    a tier the case's texts never reach.
    """
    lang = check_lang(lang)
    if ax is None:
        _, ax = new_figure("single", height=2.6)
    matrix = data.rename(
        index=lambda c: case_label_lines(case_labels.get(c, c)),
        columns=lambda t: glossary.label("tiers", t, lang),
    )
    heatmap(matrix, ax=ax, lang=lang, annot=True, xlabel=_TEXT[lang]["tier_axis"], ylabel="")
    ax.set_title(_TEXT[lang]["tier_counts"], fontsize=SMALL_FONT_PT + 0.5)
    return tag_lang(ax, lang)


# --------------------------------------------------------------------------- row charts


def _group_rows(
    data: pd.DataFrame, label: Callable[[pd.Series], str], case_labels: Mapping[str, str]
) -> tuple[list[tuple[str, str, object]], list[float]]:
    """Rows of a grouped chart: ``("case", label, None)`` headers then ``("row", label, row)``.

    Returns the rows and their y positions (headers get a little extra space above them).
    """
    out: list[tuple[str, str, object]] = []
    ys: list[float] = []
    y = 0.0
    for case_id in dict.fromkeys(data["case_id"]):
        if out:
            y += 0.4
        out.append(("case", case_labels.get(case_id, case_id), None))
        ys.append(y)
        y += 1
        previous = None
        for _, row in data[data["case_id"] == case_id].iterrows():
            if previous is not None and row["structure_id"] != previous:
                y += 0.25
            previous = row["structure_id"]
            out.append(("row", label(row), row))
            ys.append(y)
            y += 1
    return out, ys


def _draw_group_axis(ax: Axes, rows: list, ys: list[float]) -> None:
    """Y tick labels for data rows, case headers as text over the plot area, separators."""
    ticks = [(y, text) for (kind, text, _), y in zip(rows, ys, strict=True) if kind == "row"]
    ax.set_yticks([y for y, _ in ticks], [t for _, t in ticks])
    ax.tick_params(axis="y", length=0, labelsize=SMALL_FONT_PT)
    first = True
    for (kind, text, _), y in zip(rows, ys, strict=True):
        if kind != "case":
            continue
        ax.annotate(
            text,
            xy=(0, y),
            xycoords=("axes fraction", "data"),
            xytext=(2, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=SMALL_FONT_PT + 0.5,
            color="black",
        )
        if not first:
            ax.axhline(y - 0.7, color=_RULE, lw=0.5, zorder=0)
        first = False
    ax.set_ylim(max(ys) + 0.7, min(ys) - 0.7)
    ax.yaxis.grid(False)


def staffing_chart(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Posts named per level and the number of people, per unit (filled) or in total (open).

    ``data`` is :func:`analytics.structures.grid_staffing`. One row per post, grouped by case
    (header) and structure; rows read ``level › role`` (the role alone where it names the
    level). Posts the text names without a number are marked as such. Role labels in English
    come from the glossary ``staff_roles`` (the role as written where it has no entry).
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    levels = _names(data, lang, "level", "level_en").tolist()
    data = data.assign(_level=levels)

    def label(row: pd.Series) -> str:
        role = _role_label(glossary, row["role"], lang)
        return role if row["role"] == row["level"] else f"{row['_level']} › {role}"

    rows, ys = _group_rows(data, label, case_labels)
    if ax is None:
        n = len(rows)
        _, ax = new_figure("double", height=0.5 + 0.13 * n)
    counts = pd.to_numeric(data["count"], errors="coerce")
    top = float(counts.max()) if counts.notna().any() else 1.0
    colour = PALETTE[0]
    for (kind, _text, row), y in zip(rows, ys, strict=True):
        if kind != "row":
            continue
        if pd.isna(row["count"]):
            ax.text(0.02 * top, y, text["not_stated"], va="center", fontsize=6, color=_GREY)
            continue
        value = float(row["count"])
        face = colour if bool(row["per_unit"]) else "white"
        ax.plot([0, value], [y, y], color=_tint(colour, 0.5), lw=0.8, zorder=2)
        ax.plot(value, y, "o", ms=3.6, mfc=face, mec=colour, mew=0.9, zorder=3)
        ax.text(value + 0.02 * top, y, format_number(value), va="center", fontsize=6)
    _draw_group_axis(ax, rows, ys)
    ax.set_xlim(0, top * 1.12)
    ax.set_xlabel(text["people"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [
        Line2D([], [], ls="", marker="o", ms=3.6, mfc=colour, mec=colour, label=text["per_unit"]),
        Line2D([], [], ls="", marker="o", ms=3.6, mfc="white", mec=colour, label=text["total"]),
    ]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
              fontsize=SMALL_FONT_PT, borderaxespad=0.2)  # fmt: skip
    return tag_lang(ax, lang)


def _bars(
    ax: Axes,
    data: pd.DataFrame,
    value: str,
    label: Callable[[pd.Series], str],
    case_labels: Mapping[str, str],
    colour: str,
    xlabel: str,
    title: str,
    lang: str,
) -> None:
    ax.set_title(title, fontsize=SMALL_FONT_PT + 0.5, loc="left")
    ax.set_xlabel(xlabel)
    if data.empty:
        ax.text(0.5, 0.5, _TEXT[lang]["no_data"], transform=ax.transAxes, ha="center", va="center",
                color=_GREY, fontsize=SMALL_FONT_PT)  # fmt: skip
        ax.set_yticks([])
        ax.set_xticks([])
        return
    rows, ys = _group_rows(data, label, case_labels)
    top = float(data[value].max())
    for (kind, _text, row), y in zip(rows, ys, strict=True):
        if kind != "row":
            continue
        ax.barh(y, row[value], height=0.62, color=colour, zorder=2)
        ax.text(row[value] + 0.02 * top, y, format_number(row[value]), va="center", fontsize=6)
    _draw_group_axis(ax, rows, ys)
    ax.set_xlim(0, top * 1.18)


def span_chart(
    spans: pd.DataFrame,
    fan_out: pd.DataFrame,
    *,
    case_labels: Mapping[str, str],
    lang: str = "zh",
) -> Figure:
    """Two panels: span rules the texts state (party members per unit), and units per parent
    unit derived from stated counts (:func:`analytics.structures.spans`, ``fan_out``).
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    n = max(len(spans) + spans["case_id"].nunique(), len(fan_out) + fan_out["case_id"].nunique())
    fig, axes = new_figure("double", height=0.75 + 0.14 * max(n, 3))
    axes.remove()
    left, right = fig.subplots(1, 2)
    span_rows = spans.assign(_label=_names(spans, lang).to_numpy())
    _bars(
        left,
        span_rows,
        "members_per_unit",
        lambda r: r["_label"],
        case_labels,
        PALETTE[4],
        text["span"],
        text["span_title"],
        lang,
    )
    parents = _names(fan_out, lang, "parent", "parent_en").to_numpy()
    children = _names(fan_out, lang, "child", "child_en").to_numpy()
    fan_rows = fan_out.assign(_label=[f"{p} → {c}" for p, c in zip(parents, children, strict=True)])
    _bars(
        right,
        fan_rows,
        "per_parent",
        lambda r: r["_label"],
        case_labels,
        PALETTE[0],
        text["fan_out"],
        text["fan_out_title"],
        lang,
    )
    for ax in (left, right):
        tag_lang(ax, lang)
    return fig


# --------------------------------------------------------------------------- similarity


def _recolour_annotations(ax: Axes) -> None:
    """Dark or light annotation text by the luminance of the cell behind it."""
    mesh = ax.collections[0]
    mesh.update_scalarmappable()
    colours = mesh.get_facecolors()
    texts = [t for t in ax.texts if t.get_text()]
    for text, colour in zip(texts, colours, strict=False):
        luminance = 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]
        text.set_color("black" if luminance > 0.45 else "white")


def similarity_heatmaps(
    matrices: Mapping[str, pd.DataFrame],
    *,
    case_labels: Mapping[str, str],
    lang: str = "zh",
) -> Figure:
    """Side-by-side case × case heatmaps on one 0–1 colour scale.

    ``matrices`` maps a measure of :func:`analytics.structures.similarity` (``tier_jaccard``,
    ``edit_similarity``) to its :func:`~analytics.structures.similarity_matrix`. Rows carry the
    full case labels, columns their short names (the place in brackets is dropped: the matrix
    is symmetric).
    """
    lang = check_lang(lang)
    titles = {"tier_jaccard": _TEXT[lang]["jaccard"], "edit_similarity": _TEXT[lang]["edit"]}
    fig, first = new_figure("double", height=3.1)
    first.remove()
    axes = fig.subplots(1, len(matrices), squeeze=False)[0]
    for ax, (measure, matrix) in zip(axes, matrices.items(), strict=True):
        labelled = matrix.rename(
            index=lambda c: case_label_lines(case_labels.get(c, c)),
            columns=lambda c: case_label_lines(case_labels.get(c, c)).split("\n")[0],
        )
        heatmap(labelled, ax=ax, lang=lang, annot=True, xlabel="", ylabel="")
        ax.collections[0].set_clim(0, 1)
        _recolour_annotations(ax)
        ax.set_title(titles.get(measure, measure), fontsize=SMALL_FONT_PT + 1)
        tag_lang(ax, lang)
    for ax in axes[1:]:
        ax.tick_params(axis="y", labelleft=False)
    return fig


__all__ = [
    "similarity_heatmaps",
    "span_chart",
    "staffing_chart",
    "structure_trees",
    "tier_heatmap",
]

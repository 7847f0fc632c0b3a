"""Figures of outcome metrics (notebook 03): availability, category comparisons, derived
ratios, honours over time.

Approximate values are always drawn as such: in the availability heatmap by cell colour and a
mark (``≈``, ``≥``, ``≤``) before the value; in dot plots by the marker — filled circle: exact;
open circle: approximate; open right/left triangle: at least / at most (the true value lies in
the direction the triangle points). Qualifier labels come from the glossary's ``qualifiers``.

>>> import analytics
>>> from analytics import metrics
>>> corpus = analytics.load_corpus()
>>> ax = availability_heatmap(metrics.availability(corpus.metrics), glossary=corpus.glossary,
...     case_labels=corpus.case_labels("en"), lang="en")
>>> ax.get_xlabel()
''
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from analytics.glossary import Glossary
from analytics.plotting import (
    DOUBLE_COLUMN_IN,
    PALETTE,
    SMALL_FONT_PT,
    case_label_lines,
    check_lang,
    format_number,
    heatmap,
    new_figure,
    tag_lang,
    use_house_style,
)

_TEXT = {
    "zh": {
        "rows": "{n}条",
        "per_unit": "（每单位）",
        "value_log": "数值（对数刻度；单位见各行标签）",
        "value": "数值（单位见各行标签）",
        "undated": "年份不详",
        "year": "年份",
        "year_only": "仅知年份",
        "case": "案例",
        "qualifier": "数值性质",
        "level": "级别",
        "kind": "类型",
        "not_reported": "未报告",
        "reasons": {
            "no_data": "两项均未报告",
            "no_numerator": "未报告分子",
            "no_base": "缺基数（分母）",
            "ambiguous": "多条数据，未取舍",
            "range": "数值为区间",
            "per_unit": "按单位计，非总数",
            "share": "为占比，非计数",
            "zero_base": "基数为0",
        },
        "colon": "：",
        "paren": "（{}）",
    },
    "en": {
        "rows": "{n} rows",
        "per_unit": " per unit",
        "value_log": "Value (log scale; unit in each row label)",
        "value": "Value (unit in each row label)",
        "undated": "Undated",
        "year": "Year",
        "year_only": "Year only",
        "case": "Case",
        "qualifier": "Value",
        "level": "Level",
        "kind": "Kind",
        "not_reported": "Not reported",
        "reasons": {
            "no_data": "neither input reported",
            "no_numerator": "numerator not reported",
            "no_base": "no base (denominator)",
            "ambiguous": "several rows, none chosen",
            "range": "value is a range",
            "per_unit": "per unit, not a total",
            "share": "a share, not a count",
            "zero_base": "base is 0",
        },
        "colon": ": ",
        "paren": " ({})",
    },
}

#: Qualifier classes in legend order, and their cell tint (Okabe–Ito hue mixed with white).
_CLASSES = ("exact", "approx", "at_least", "at_most", "share", "mixed")
_CLASS_HUE = {
    "exact": PALETTE[0],
    "approx": PALETTE[1],
    "at_least": PALETTE[3],
    "at_most": PALETTE[5],
    "share": PALETTE[2],
    "mixed": "#999999",
}
_MARKS = {"approx": "≈", "at_least": "≥", "at_most": "≤"}
#: Dot-plot marker per qualifier: (marker, filled).
_MARKER = {
    "exact": ("o", True),
    "share": ("o", True),
    "approx": ("o", False),
    "at_least": (">", False),
    "at_most": ("<", False),
}
_LEVEL_COLOURS = (PALETTE[3], PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[4], PALETTE[1])
_KIND_MARKERS = ("o", "s", "^", "D", "v", "P")


def _tint(colour: str, amount: float = 0.38) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (1 - amount * (1 - r), 1 - amount * (1 - g), 1 - amount * (1 - b))


def _case_colours(case_labels: Mapping[str, str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(case_labels)}


def _metric_label(glossary: Glossary, key: str, unit: str | None, lang: str) -> str:
    label = glossary.label("metrics", key, lang)
    unit = unit or glossary.entries["metrics"].get(key, {}).get("unit")
    if not unit:
        return label
    return label + _TEXT[lang]["paren"].format(glossary.label("units", unit, lang))


def _label(glossary: Glossary, key: str, lang: str) -> str:
    return glossary.label("metrics", key, lang)


def _metric_order(glossary: Glossary) -> list[str]:
    """Metric keys by category (glossary order of categories), then glossary order."""
    cats = glossary.keys("metric_categories")
    entries = glossary.entries["metrics"]
    keys = glossary.keys("metrics")
    return sorted(keys, key=lambda k: (cats.index(entries[k]["category"]), keys.index(k)))


def _qualifier_legend(glossary: Glossary, present: Sequence[str], lang: str) -> list[Line2D]:
    handles = []
    for q in ("exact", "approx", "at_least", "at_most"):
        if q not in present:
            continue
        marker, filled = _MARKER[q]
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker=marker,
                markersize=5,
                markeredgewidth=1.0,
                color="#333333",
                markerfacecolor="#333333" if filled else "white",
                label=glossary.label("qualifiers", q, lang),
            )
        )
    return handles


def _dot(ax: Axes, x: float, y: float, qualifier: str, colour: str, size: float = 5.5) -> None:
    marker, filled = _MARKER.get(qualifier, ("o", False))
    ax.plot(
        [x],
        [y],
        linestyle="",
        marker=marker,
        markersize=size,
        markeredgewidth=1.1,
        color=colour,
        markerfacecolor=colour if filled else "white",
        zorder=3,
    )


def _log_axis(ax: Axes) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, digits=6)))
    ax.xaxis.set_minor_locator(NullLocator())  # minor ticks cost draw time and add little


# --------------------------------------------------------------------------- availability


def availability_heatmap(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Which metric each case reports, with its value and qualifier.

    ``data`` is :func:`analytics.metrics.availability` (``by="metric"``). Rows: metric keys
    (grouped by category, category named at the right; unit in the label); columns: the cases
    of ``case_labels`` in its order. A cell's colour is its qualifier (several rows with
    different qualifiers: "several rows"); its text the value with its mark (``≈``, ``≥``,
    ``≤``, ``%``), or the number of rows when there are more than two. Empty: not reported.
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    cases = list(case_labels)
    present = set(data["key"])
    keys = [k for k in _metric_order(glossary) if k in present]
    keys += sorted(present - set(keys))
    cells = data.set_index(["key", "case_id"])
    classes = [c for c in _CLASSES if c in set(data["qualifier"])]
    code = {c: i for i, c in enumerate(classes)}
    values = np.full((len(keys), len(cases)), np.nan)
    annot = np.full((len(keys), len(cases)), "", dtype=object)
    for i, key in enumerate(keys):
        for j, case in enumerate(cases):
            if (key, case) not in cells.index:
                continue
            cell = cells.loc[(key, case)]
            values[i, j] = code[cell["qualifier"]]
            n = int(cell["n_rows"])
            if n == 1:
                label = cell["display"]
                if int(cell["n_per_unit"]):
                    label += text["per_unit"]
            elif len(cell["display"]) <= 11:
                label = cell["display"]
            else:
                marks = "".join(mark for q, mark in _MARKS.items() if int(cell[f"n_{q}"]) and mark)
                label = text["rows"].format(n=n) + (f" {marks}" if marks else "")
            annot[i, j] = label
    rows = []
    for key in keys:
        units = set("+".join(data.loc[data["key"] == key, "units"]).split("+"))
        unit = units.pop() if len(units) == 1 else ""  # several units: none in the label
        rows.append(
            _metric_label(glossary, key, unit, lang) if unit else _label(glossary, key, lang)
        )
    columns = [case_label_lines(case_labels[c]) for c in cases]
    matrix = pd.DataFrame(values, index=rows, columns=columns)
    cmap = ListedColormap([_tint(_CLASS_HUE[c]) for c in classes])
    if ax is None:
        _, ax = new_figure("double", height=max(1.8, 0.62 + 0.165 * len(keys)))
    heatmap(matrix, ax=ax, lang=lang, cmap=cmap, annot=annot, xlabel="", ylabel="")
    for t in ax.texts:
        t.set_color("#111111")
    # category bands: separators and names on the right
    category = glossary.entries["metrics"]
    groups: list[tuple[str, int, int]] = []
    for i, key in enumerate(keys):
        cat = category.get(key, {}).get("category", "")
        if groups and groups[-1][0] == cat:
            groups[-1] = (cat, groups[-1][1], i + 1)
        else:
            groups.append((cat, i, i + 1))
    for cat, start, end in groups:
        if start:
            ax.axhline(start, color="#555555", linewidth=0.6)
        ax.text(
            len(cases) + 0.08,
            (start + end) / 2,
            glossary.label("metric_categories", cat, lang),
            va="center",
            ha="left",
            fontsize=SMALL_FONT_PT,
            color="#333333",
            clip_on=False,
        )
    ax.tick_params(
        axis="x", labelbottom=False, labeltop=True, bottom=False, top=False, labelrotation=0
    )
    for t in ax.get_xticklabels():
        t.set(ha="center", va="bottom", rotation_mode="default")
    handles = [
        Patch(
            facecolor=_tint(_CLASS_HUE[c]),
            edgecolor="#999999",
            linewidth=0.4,
            label=glossary.label("qualifiers", c, lang),
        )
        for c in classes
    ]
    handles.append(
        Patch(facecolor="white", edgecolor="#999999", linewidth=0.4, label=text["not_reported"])
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncols=len(handles),
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )
    return tag_lang(ax, lang)


# --------------------------------------------------------------------------- comparisons


def category_dots(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    log: bool | None = None,
) -> Axes:
    """Dot plot of reported values: one row per metric key and unit, one colour per case.

    ``data`` is :func:`analytics.metrics.comparison_rows`. Each row of ``data`` is one marker
    (several rows of a case appear side by side on one line); filled: exact, open circle:
    approximate, open triangle: at least (▷) / at most (◁); a range is a line. Colours follow
    the order of ``case_labels`` (the same in every figure). ``log=None``: log x axis when the
    values span more than two orders of magnitude. ``title=None``: the glossary labels of the
    categories in ``data``.
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    order = {k: i for i, k in enumerate(_metric_order(glossary))}
    groups = (
        data[["metric", "unit_canonical"]]
        .drop_duplicates()
        .assign(_o=lambda d: d["metric"].map(order).fillna(len(order)))
        .sort_values(["_o", "metric", "unit_canonical"])
    )
    lines = list(zip(groups["metric"], groups["unit_canonical"], strict=True))
    if ax is None:
        _, ax = new_figure("double", height=1.05 + 0.36 * max(len(lines), 1))
    colours = _case_colours(case_labels)
    present = set(data["case_id"])
    cases = [c for c in case_labels if c in present] + sorted(present - set(case_labels))
    step = 0.62 / max(len(cases), 1)
    values = pd.to_numeric(data["value"], errors="coerce")
    positive = values[values > 0]
    if log is None:
        log = bool(len(positive)) and positive.max() / positive.min() > 100
    for y, (metric, unit) in enumerate(lines):
        rows = data[(data["metric"] == metric) & (data["unit_canonical"] == unit)]
        for case, mine in rows.groupby("case_id", sort=False):
            yy = y + (cases.index(case) - (len(cases) - 1) / 2) * step
            colour = colours.get(case, "#555555")
            keys = ["value", "value_max", "qualifier", "display"]
            markers = mine.groupby(keys, dropna=False, sort=True)
            for (value, vmax, qualifier, shown), copies in markers:
                if not pd.isna(vmax):
                    ax.plot([value, vmax], [yy, yy], color=colour, linewidth=1.2)
                _dot(ax, value, yy, qualifier, colour)
                # value labels where they cannot crowd (≤ 3 markers); ×n: identical values
                label = shown if markers.ngroups <= 3 else ""
                label += f" ×{len(copies)}" if len(copies) > 1 else ""
                if label:
                    ax.annotate(
                        label.strip(),
                        (vmax if not pd.isna(vmax) else value, yy),
                        xytext=(4.5, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=SMALL_FONT_PT - 0.5,
                        color="#333333",
                    )
    ax.set_yticks(range(len(lines)), [_metric_label(glossary, m, u, lang) for m, u in lines])
    ax.set_ylim(len(lines) - 0.5, -0.5)
    for y in range(1, len(lines)):
        ax.axhline(y - 0.5, color="#e6e6e6", linewidth=0.5, zorder=0)
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    if log:
        _log_axis(ax)
        low, high = positive.min(), positive.max()
        ax.set_xlim(
            10 ** math.floor(math.log10(low)) * 0.8,
            max(10 ** math.ceil(math.log10(high)), high * 5),
        )
        ax.set_xlabel(text["value_log"])
    else:
        ax.set_xlim(0, max(float(values.max()), 1) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, digits=6)))
        ax.set_xlabel(text["value"])
    if title is None:  # the glossary labels of the categories shown
        shown_cats = set(data["category"]) if "category" in data.columns else set()
        cats = [c for c in glossary.keys("metric_categories") if c in shown_cats]
        title = " · ".join(glossary.label("metric_categories", c, lang) for c in cats)
    ax.set_title(title)
    shown = [c for c in cases if c in set(data["case_id"])]
    case_handles = [
        Line2D(
            [], [], linestyle="", marker="o", markersize=5, color=colours[c], label=case_labels[c]
        )
        for c in shown
    ]
    qual_handles = _qualifier_legend(glossary, set(data["qualifier"]), lang)
    _legend_below(ax, case_handles + qual_handles, ncols=4)
    return tag_lang(ax, lang)


def _legend_below(ax: Axes, handles: list, ncols: int) -> None:
    """A legend under the figure (constrained layout makes room), else the Axes' own."""
    fig = ax.get_figure(root=True)
    options = {"frameon": False, "handletextpad": 0.3, "columnspacing": 1.2}
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        ncols = min(len(handles), ncols)
        fig.legend(handles=handles, loc="outside lower center", ncols=ncols, **options)
    else:
        ax.legend(handles=handles, loc="best", **options)


# --------------------------------------------------------------------------- derived figures


def derived_panels(
    derived: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    case_labels: Mapping[str, str],
    glossary: Glossary,
    lang: str = "zh",
    keys: Sequence[str] | None = None,
    ncols: int = 3,
) -> Figure:
    """Small multiples, one panel per derivation rule: the derived value per case, or why not.

    ``derived`` and ``gaps`` are :func:`analytics.metrics.derive`'s tables. Each panel's title
    is the rule's label, its x axis the rule's unit; a derived value is a marker styled by its
    propagated qualifier with the value written beside it; a case not derived shows the gap
    reason in grey. ``keys``: the rules to draw, in order (default: as they appear in
    ``derived``, then ``gaps``). Returns the Figure (every Axes tagged with ``lang``).
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    if keys is None:
        keys = list(dict.fromkeys([*derived["key"], *gaps["key"]]))
    keys = list(keys)
    if not keys:
        raise ValueError("derived_panels: no rules in derived or gaps")
    labels = pd.concat([derived, gaps]).drop_duplicates("key").set_index("key")
    cases = list(case_labels)
    colours = _case_colours(case_labels)
    nrows = math.ceil(len(keys) / ncols)
    use_house_style()
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(DOUBLE_COLUMN_IN, 0.55 + nrows * (0.36 + 0.2 * len(cases))),
        layout="constrained",
        sharey=True,
        squeeze=False,
    )
    for ax in axes.flat[len(keys) :]:
        ax.set_visible(False)
    for ax, key in zip(axes.flat, keys, strict=False):
        mine = derived[derived["key"] == key].set_index("case_id")
        why = gaps[gaps["key"] == key].set_index("case_id")
        top = float(mine["value"].max()) if len(mine) else 1.0
        ax.set_xlim(0, top * 1.9)
        for y, case in enumerate(cases):
            if case in mine.index:
                row = mine.loc[case]
                _dot(ax, row["value"], y, row["qualifier"], colours[case])
                ax.annotate(
                    row["display"],
                    (row["value"], y),
                    xytext=(5, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=SMALL_FONT_PT,
                )
            elif case in why.index:
                ax.text(
                    0.02,
                    y,
                    text["reasons"].get(why.loc[case, "reason"], why.loc[case, "reason"]),
                    transform=ax.get_yaxis_transform(),
                    va="center",
                    ha="left",
                    fontsize=SMALL_FONT_PT - 0.5,
                    color="#888888",
                )
        title = labels.loc[key, f"label_{lang}"]
        title = textwrap.fill(title, 30) if lang == "en" else title
        ax.set_title(title, fontsize=SMALL_FONT_PT + 1)
        ax.set_xlabel(labels.loc[key, f"unit_{lang}"], fontsize=SMALL_FONT_PT)
        ax.tick_params(axis="x", labelsize=SMALL_FONT_PT - 0.5)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, digits=6)))
        ax.locator_params(axis="x", nbins=3)
        ax.yaxis.grid(False)
        ax.tick_params(axis="y", length=0)
        tag_lang(ax, lang)
    first = axes[0, 0]
    first.set_yticks(range(len(cases)), [case_labels[c] for c in cases])
    first.set_ylim(len(cases) - 0.5, -0.5)
    present = set(derived["qualifier"])
    handles = _qualifier_legend(glossary, present, lang)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    return fig


# --------------------------------------------------------------------------- honours


def honours_timeline(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    lang: str = "zh",
) -> Figure:
    """Honours over time, one panel per case, one line per honour.

    ``data`` is :func:`analytics.metrics.honours_timeline`. x: the year (a month places the
    marker inside the year; a year without month spans the year as a thin line); honours
    without a year sit in the "undated" column at the right. Colour: level (glossary
    ``honour_levels``), marker: kind (``honour_kinds``). Labels: ``title`` (zh) or
    ``title_en`` (en, falling back to the title).
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    cases = [c for c in case_labels if c in set(data["case_id"])]
    cases += sorted(set(data["case_id"]) - set(cases))
    if not cases:
        raise ValueError("honours_timeline: no honours")
    levels = glossary.keys("honour_levels")
    kinds = glossary.keys("honour_kinds")
    level_colour = {lvl: _LEVEL_COLOURS[i % len(_LEVEL_COLOURS)] for i, lvl in enumerate(levels)}
    kind_marker = {k: _KIND_MARKERS[i % len(_KIND_MARKERS)] for i, k in enumerate(kinds)}
    years = data["year"].dropna().astype(int)
    first_year = int(years.min()) if len(years) else 2000
    last_year = int(years.max()) if len(years) else 2000
    undated_x = last_year + 2.0
    counts = [int((data["case_id"] == c).sum()) for c in cases]
    use_house_style()
    fig, axes = plt.subplots(
        len(cases),
        1,
        figsize=(DOUBLE_COLUMN_IN, 0.75 + 0.42 * len(cases) + 0.155 * sum(counts)),
        layout="constrained",
        sharex=True,
        squeeze=False,
        height_ratios=[n + 1.2 for n in counts],
    )
    for ax, case in zip(axes[:, 0], cases, strict=True):
        rows = data[data["case_id"] == case].reset_index(drop=True)
        titles = []
        for y, row in rows.iterrows():
            colour = level_colour.get(row["level"], "#555555")
            marker = kind_marker.get(row["kind"], "o")
            if pd.isna(row["year"]):
                x = undated_x
            elif pd.isna(row["month"]):
                x = int(row["year"]) + 0.5
                ax.plot([int(row["year"]), int(row["year"]) + 1], [y, y], color=colour, lw=1.0)
            else:
                x = int(row["year"]) + (int(row["month"]) - 0.5) / 12
            ax.plot([x], [y], linestyle="", marker=marker, markersize=4.5, color=colour, zorder=3)
            title = row["title"]
            if lang == "en" and isinstance(row["title_en"], str) and row["title_en"]:
                title = row["title_en"]
            titles.append(title)
        ax.set_yticks(range(len(rows)), titles)
        ax.set_ylim(len(rows) - 0.5, -0.7)
        ax.tick_params(axis="y", length=0, labelsize=SMALL_FONT_PT - 0.5)
        ax.yaxis.grid(False)
        ax.axvline(last_year + 1.25, color="#999999", linewidth=0.6, linestyle=(0, (3, 2)))
        ax.set_title(case_labels.get(case, case), fontsize=SMALL_FONT_PT + 1, loc="left")
        tag_lang(ax, lang)
    bottom = axes[-1, 0]
    ticks = list(range(first_year, last_year + 2))
    bottom.set_xticks(
        [*ticks, undated_x], [*(str(t) for t in ticks), text["undated"]], fontsize=SMALL_FONT_PT
    )
    bottom.set_xlim(first_year - 0.25, undated_x + 0.75)
    bottom.set_xlabel(text["year"])
    for ax in axes[:, 0]:
        ax.xaxis.grid(True, color="#eeeeee")
    handles: list = [
        Patch(facecolor=level_colour[lvl], label=glossary.label("honour_levels", lvl, lang))
        for lvl in levels
        if lvl in set(data["level"])
    ]
    handles += [
        Line2D(
            [],
            [],
            linestyle="",
            marker=kind_marker[k],
            markersize=5,
            color="#333333",
            label=glossary.label("honour_kinds", k, lang),
        )
        for k in kinds
        if k in set(data["kind"])
    ]
    if (data["year"].notna() & data["month"].isna()).any():
        handles.append(Line2D([], [], color="#333333", lw=1.0, label=text["year_only"]))
    fig.legend(
        handles=handles, loc="outside lower center", ncols=min(len(handles), 5), frameon=False
    )
    return fig

"""Figures of practices across cases (notebook 05): the case × practice matrix, a case ×
condition table with its outcome, and case similarity ordered by clustering.

>>> import pandas as pd
>>> m = pd.DataFrame({"hotline": [1, 0], "grid_management": [1, 1]}, index=["a", "b"])
>>> from analytics import load_glossary
>>> ax = practice_heatmap(m, glossary=load_glossary(), case_labels={"a": "A", "b": "B"},
...     lang="en")
>>> [t.get_text() for t in ax.get_yticklabels()]
['Grid management  网格化', 'Hotline  热线']
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analytics.glossary import Glossary
from analytics.plotting import (
    DEFAULT_CMAP,
    PALETTE,
    SINGLE_COLUMN_IN,
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
        "present": "有记载",
        "absent": "未记载",
        "cases": "案例数",
        "outcome": "结果",
        "distance": "距离\n（1 - Jaccard）",
        "practices": "案例相似度：工作机制（Jaccard）",
        "conditions": "案例相似度：条件（Jaccard）",
    },
    "en": {
        "present": "recorded",
        "absent": "not recorded",
        "cases": "Cases",
        "outcome": "outcome",
        "distance": "Distance\n(1 - Jaccard)",
        "practices": "Case similarity: practices (Jaccard)",
        "conditions": "Case similarity: conditions (Jaccard)",
    },
}
_ABSENT = "#eeeeee"
_LINE = "white"


def _cell_lines(ax: Axes, n_rows: int, n_cols: int, width: float = 0.8) -> None:
    ax.hlines(np.arange(1, n_rows), 0, n_cols, colors=_LINE, linewidth=width)
    ax.vlines(np.arange(1, n_cols), 0, n_rows, colors=_LINE, linewidth=width)


def practice_heatmap(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
    gloss: bool = True,
) -> Axes:
    """Which case records which practice: one row per practice, one column per case.

    ``data`` is :func:`analytics.practices.practice_matrix` (cases × practices, 0/1). Rows are
    sorted by the number of cases that record the practice (most first), then by which cases
    (practices of the first case first, so equal rows sit together), then in the column order
    of ``data`` (the glossary order when it was built with ``keys``); columns keep the case
    order of ``data``. Labels come from the glossary; ``gloss=True`` adds the other
    language's term after each label. The number of cases is written at the end of each row.
    """
    lang = check_lang(lang)
    other = "en" if lang == "zh" else "zh"
    counts = data.sum(axis=0)
    rank = {k: i for i, k in enumerate(data.columns)}
    pattern = {k: tuple(-int(v) for v in data[k]) for k in data.columns}
    order = sorted(data.columns, key=lambda k: (-int(counts[k]), pattern[k], rank[k]))
    matrix = data[order].T
    labels = [
        glossary.label("practices", k, lang)
        + (f"  {glossary.label('practices', k, other)}" if gloss else "")
        for k in order
    ]
    matrix.index = labels
    matrix.columns = [case_label_lines(case_labels.get(c, c)) for c in data.index]
    if ax is None:
        _, ax = new_figure("double", height=max(1.6, 0.5 + 0.135 * len(order)))
    heatmap(
        matrix,
        ax=ax,
        lang=lang,
        cmap=ListedColormap([_ABSENT, PALETTE[0]]),
        xlabel="",
        ylabel="",
    )
    ax.collections[0].set_clim(0, 1)
    _cell_lines(ax, *matrix.shape)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelrotation=0, labelsize=SMALL_FONT_PT)
    for t in ax.get_xticklabels():
        t.set(ha="center", va="bottom")
    n_cols = matrix.shape[1]
    for i, k in enumerate(order):
        ax.text(n_cols + 0.25, i + 0.5, str(int(counts[k])), va="center", fontsize=SMALL_FONT_PT)
    ax.text(
        n_cols + 0.25, -0.3, _TEXT[lang]["cases"], va="bottom", ha="left", fontsize=SMALL_FONT_PT
    )
    handles = [
        Patch(facecolor=PALETTE[0], label=_TEXT[lang]["present"]),
        Patch(facecolor=_ABSENT, label=_TEXT[lang]["absent"]),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        ncols=2,
        frameon=False,
        fontsize=SMALL_FONT_PT,
        handlelength=1.0,
        handleheight=1.0,
    )
    return tag_lang(ax, lang)


def condition_heatmap(
    data: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    case_labels: Mapping[str, str],
    outcome: str | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """A case × condition 0/1 table drawn with conditions as rows (``LABEL · NAME``), cases
    as columns, each cell written 1 or 0; the ``outcome`` row comes last in its own colour.

    ``data`` is :func:`analytics.practices.condition_table`; ``labels`` maps condition names to
    labels in ``lang`` (:func:`analytics.practices.condition_labels`).
    """
    lang = check_lang(lang)
    names = [c for c in data.columns if c != outcome] + ([outcome] if outcome else [])
    matrix = data[names].T.astype(float)
    if outcome:
        matrix.loc[outcome] = matrix.loc[outcome] * 2  # 2 = outcome present: own colour
    matrix.index = [f"{labels.get(n, n)} · {n}" for n in names]
    matrix.columns = [case_label_lines(case_labels.get(c, c)) for c in data.index]
    annot = data[names].T.astype("int64").astype(str).to_numpy(dtype=object)
    if ax is None:
        _, ax = new_figure("double", height=max(1.6, 0.75 + 0.2 * len(names)))
    heatmap(
        matrix,
        ax=ax,
        lang=lang,
        cmap=ListedColormap([_ABSENT, PALETTE[0], PALETTE[1]]),
        annot=annot,
        xlabel="",
        ylabel="",
    )
    ax.collections[0].set_clim(-0.5, 2.5)
    _cell_lines(ax, *matrix.shape)
    if outcome:
        ax.axhline(len(names) - 1, color="#333333", linewidth=0.8)
        ax.text(
            matrix.shape[1] + 0.1,
            len(names) - 0.5,
            _TEXT[lang]["outcome"],
            va="center",
            fontsize=SMALL_FONT_PT,
            color=PALETTE[1],
        )
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelrotation=0, labelsize=SMALL_FONT_PT)
    for t in ax.get_xticklabels():
        t.set(ha="center", va="bottom")
    return tag_lang(ax, lang)


def _dendrogram_nodes(linkage: pd.DataFrame, n: int) -> tuple[list[int], dict[int, tuple]]:
    """Leaf order (left to right) and each node's (position, height) for drawing."""
    children = {n + i: (int(r.left), int(r.right)) for i, r in enumerate(linkage.itertuples())}
    heights = {n + i: float(d) for i, d in enumerate(linkage["distance"])}
    order: list[int] = []

    def visit(node: int) -> None:
        if node < n:
            order.append(node)
        else:
            for child in children[node]:
                visit(child)

    visit(n + len(linkage) - 1 if len(linkage) else 0)
    where = {leaf: (i + 0.5, 0.0) for i, leaf in enumerate(order)}
    for node in sorted(children):
        a, b = children[node]
        where[node] = ((where[a][0] + where[b][0]) / 2, heights[node])
    return order, {k: (*v, children.get(k)) for k, v in where.items()}


def _head(label: str) -> str:
    """A case label without its bracketed place: ``红庙社区``."""
    return case_label_lines(label).split("\n", 1)[0]


def similarity_clustermap(
    data: pd.DataFrame,
    linkage: pd.DataFrame,
    *,
    case_labels: Mapping[str, str],
    of: str = "practices",
    lang: str = "zh",
    width: float = SINGLE_COLUMN_IN,
) -> Figure:
    """Case × case similarity as an annotated heatmap ordered by a clustering, with its
    dendrogram on the left (as ``seaborn.clustermap``, which needs SciPy).

    ``data`` is a square similarity matrix in [0, 1] (:func:`analytics.practices.jaccard_matrix`)
    and ``linkage`` its :func:`analytics.practices.average_linkage`; ``of`` (``"practices"``
    or ``"conditions"``) picks the title. The diagonal (always 1) is left blank; colours run
    from 0 to 1 and the distance axis from 1 to 0 whatever the data, so figures compare.
    Returns the Figure; both Axes are tagged with ``lang``.
    """
    lang = check_lang(lang)
    if of not in ("practices", "conditions"):
        raise ValueError(
            f"similarity_clustermap: of must be 'practices' or 'conditions', not {of!r}"
        )
    n = len(data)
    if n < 2 or len(linkage) != n - 1:
        raise ValueError(
            f"similarity_clustermap: need two or more cases and n - 1 merges, got {n} cases "
            f"and {len(linkage)} merges"
        )
    order, nodes = _dendrogram_nodes(linkage, n)
    ordered = data.iloc[order, order].to_numpy(dtype=float)
    labels = [case_labels.get(c, c) for c in data.index[order]]
    diagonal = np.eye(n, dtype=bool)
    matrix = pd.DataFrame(
        np.where(diagonal, np.nan, ordered),
        index=[case_label_lines(lb) for lb in labels],
        columns=[_head(lb) for lb in labels],
    )
    annot = np.where(diagonal, "", matrix.map(format_number).to_numpy(dtype=object))
    use_house_style()
    fig = plt.figure(figsize=(width, 1.2 + 0.3 * n), layout="constrained")
    fig.get_layout_engine().set(wspace=0.0)
    grid = fig.add_gridspec(1, 2, width_ratios=[1, 0.3 * n / 0.55])
    dendro = fig.add_subplot(grid[0, 0])
    ax = fig.add_subplot(grid[0, 1])
    heatmap(matrix, ax=ax, lang=lang, cmap=DEFAULT_CMAP, annot=annot, xlabel="", ylabel="")
    ax.collections[0].set_clim(0, 1)
    _cell_lines(ax, n, n)
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", labelrotation=0, labelsize=SMALL_FONT_PT)
    ax.tick_params(axis="x", labelsize=SMALL_FONT_PT, labelrotation=45)
    for t in ax.get_xticklabels():
        t.set(ha="right", va="top", rotation_mode="anchor")

    for _, height, kids in nodes.values():
        if kids is None:
            continue
        (ya, ha, _), (yb, hb, _) = nodes[kids[0]], nodes[kids[1]]
        dendro.plot([ha, height, height, hb], [ya, ya, yb, yb], color="#333333", linewidth=0.8)
    dendro.set_ylim(n, 0)
    dendro.set_xlim(1.0, 0.0)
    dendro.set_xticks([1.0, 0.5, 0.0], ["1", "0.5", "0"])
    dendro.set_yticks([])
    dendro.grid(False)
    for side in ("left", "top", "right"):
        dendro.spines[side].set_visible(False)
    dendro.set_xlabel(_TEXT[lang]["distance"], fontsize=SMALL_FONT_PT)
    dendro.tick_params(axis="x", labelsize=SMALL_FONT_PT)
    fig.suptitle(_TEXT[lang][of])
    tag_lang(dendro, lang)
    tag_lang(ax, lang)
    return fig

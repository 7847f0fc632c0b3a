"""Figures of the corpus at a glance (notebook 01).

>>> import analytics
>>> from analytics.sources import normalisation_summary
>>> corpus = analytics.load_corpus()
>>> ax = text_sizes(normalisation_summary(), glossary=corpus.glossary,
...     case_labels=corpus.case_labels("en"), lang="en")
>>> ax.get_xlabel()
'Characters'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analytics.glossary import Glossary
from analytics.plotting import (
    PALETTE,
    SMALL_FONT_PT,
    check_lang,
    format_number,
    new_figure,
    tag_lang,
)

_TEXT = {
    "zh": {"chars": "字符数", "facts": "已编码事实数", "coverage": "覆盖率"},
    "en": {"chars": "Characters", "facts": "Curated facts", "coverage": "coverage"},
}


def text_sizes(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Raw and normalised text length per case, with what normalisation removed.

    ``data`` is :func:`analytics.sources.normalisation_summary`. Two bars per case (raw,
    normalised); the removed ruby annotations and chrome characters are written beside them.
    """
    lang = check_lang(lang)
    if ax is None:
        _, ax = new_figure("double", height=2.6)
    rows = data.sort_values("raw_chars").reset_index(drop=True)
    y = np.arange(len(rows))
    height = 0.38
    for offset, column, colour in (
        (height / 2, "raw_chars", PALETTE[1]),
        (-height / 2, "normalised_chars", PALETTE[0]),
    ):
        ax.barh(
            y + offset,
            rows[column],
            height=height,
            color=colour,
            label=glossary.label("normalisation_steps", column, lang),
        )
    ruby = glossary.label("normalisation_steps", "ruby_removed", lang)
    chrome = glossary.label("normalisation_steps", "chrome_chars", lang)
    for i, row in rows.iterrows():
        note = f"{ruby} {row.ruby_removed} · {chrome} {row.chrome_chars}"
        ax.text(
            max(row.raw_chars, row.normalised_chars) + 60,
            i,
            note,
            va="center",
            fontsize=SMALL_FONT_PT,
        )
    ax.set_yticks(y, [case_labels.get(c, c) for c in rows["case_id"]])
    ax.set_xlim(0, rows[["raw_chars", "normalised_chars"]].to_numpy().max() * 1.75)
    ax.set_xlabel(_TEXT[lang]["chars"])
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(frameon=False, loc="lower right")
    return tag_lang(ax, lang)


def fact_counts(
    data: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Stacked bars of curated facts per case by kind, with the sentence coverage at the end.

    ``data`` is :meth:`analytics.corpus.Corpus.coverage` (one row per case, one column per
    fact kind, plus ``coverage``).
    """
    lang = check_lang(lang)
    if ax is None:
        _, ax = new_figure("double", height=2.6)
    kinds = [k for k in glossary.keys("fact_kinds") if k in data.columns]
    rows = data.assign(total=data[kinds].sum(axis=1)).sort_values("total")
    left = np.zeros(len(rows))
    y = np.arange(len(rows))
    for kind, colour in zip(kinds, PALETTE, strict=False):
        ax.barh(
            y,
            rows[kind],
            left=left,
            color=colour,
            height=0.6,
            label=glossary.label("fact_kinds", kind, lang),
        )
        left += rows[kind].to_numpy()
    for i, (total, coverage) in enumerate(zip(rows["total"], rows["coverage"], strict=True)):
        text = f"{format_number(total)} · {_TEXT[lang]['coverage']} {coverage:.0%}"
        ax.text(total + 4, i, text, va="center", fontsize=SMALL_FONT_PT)
    ax.set_yticks(y, [case_labels.get(c, c) for c in rows.index])
    ax.set_xlim(0, rows["total"].max() * 1.35)
    ax.set_xlabel(_TEXT[lang]["facts"])
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    return tag_lang(ax, lang)

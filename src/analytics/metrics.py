"""Outcome metrics: what each case reports, comparable derived figures, honours over time.

Pure functions over the corpus's tidy ``metrics`` and ``honours`` tables (and the glossary).

>>> import analytics
>>> corpus = analytics.load_corpus()
>>> table = availability(corpus.metrics)
>>> list(table.columns[:4])
['case_id', 'key', 'n_rows', 'value']
>>> result = derive(corpus.metrics)
>>> set(result.derived["qualifier"]) <= set(QUALIFIERS)
True

**Qualifiers keep their meaning.** ``exact`` (a plain number), ``approx`` (约, 近, 左右),
``at_least`` (余, 多, 以上), ``at_most`` (不到, 不足) and ``share`` (a percentage) stay
distinguishable everywhere: tables carry the qualifier column and a ``display`` string with the
mark of :data:`MARKS` (``≈5000``, ``≥900``, ``≤3``, ``32%``); no function here sums or averages
values, so nothing turns an approximate figure into an exact one.

**Derived figures** (:func:`derive`) are computed only where the text gives a base, by the
rules of :data:`RULES` — data, not code: a researcher adds a :class:`DerivationRule`. A rule uses
one row of each metric key it names, and only a row that is unambiguous: the case has exactly
one row of that key (or of that key and the rule's ``subject``), the row is no range (no
``value_max``), not stated per unit (:func:`per_unit`), not a share (in a ratio), and a base is
not zero. Every case × rule that is not derived gets a row in the gaps table with the reason.
The qualifier of a derived value follows :func:`propagate`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import pandas as pd

from analytics.glossary import Glossary

#: The qualifiers of ``metrics.qualifier`` (see ``docs/curating-cases.md``), in display order.
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most", "share")
#: Marks written before a value (``≈``, ``≥``, ``≤``) or after it (``%``), per qualifier.
MARKS: dict[str, str] = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤", "share": "%"}
#: Metric keys that describe a structure (a span rule, a count of levels), not the place; they
#: are left out of the category comparisons (notebook 02 compares structures).
STRUCTURAL_KEYS: tuple[str, ...] = ("span_members", "span_units", "structure_levels")
#: The comparison figures of notebook 03: name -> glossary metric categories it shows.
CATEGORY_GROUPS: dict[str, tuple[str, ...]] = {
    "community-size": ("population",),
    "party-organisation": ("organisation", "staffing"),
    "facilities-services": ("facilities", "services"),
    "people-served": ("outcomes", "recognition"),
}

# A number stated per unit: 每 (每个网格, 每周) or 各 + verb (各有, 各设) in the quote, or a
# curator's note that starts with "per" ("per branch committee (各有)", "Per grid (每个网格)").
_PER_UNIT_QUOTE = re.compile(r"每|各(?:有|设|配|选|确定)")
_PER_UNIT_NOTE = re.compile(r"^\s*per\b", re.IGNORECASE)


def _fmt(value: float, digits: int = 2) -> str:
    """``1685.76``, ``5000``, ``0.17``: at most ``digits`` decimals, no trailing zeros."""
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return ""
    text = f"{round(float(value), digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_value(value: float, qualifier: str = "exact", value_max: float | None = None) -> str:
    """A value as text with its qualifier's mark: ``≈0.17``, ``≥5000``, ``32%``, ``160–255``.

    >>> [format_value(0.17, "approx"), format_value(5000, "at_least"), format_value(32, "share")]
    ['≈0.17', '≥5000', '32%']
    >>> format_value(160, "exact", 255.0)
    '160–255'
    """
    number = _fmt(value)
    if value_max is not None and not pd.isna(value_max):
        number = f"{number}–{_fmt(value_max)}"
    mark = MARKS.get(qualifier, "")
    return f"{number}{mark}" if qualifier == "share" else f"{mark}{number}"


def per_unit(metrics: pd.DataFrame) -> pd.Series:
    """Boolean Series: is the row a number stated per unit (每个网格1名, 各有委员3名, 每周5次)?

    Uses a ``per_unit`` column when the table has one; otherwise the quote (每, or 各 with a
    verb such as 各有) or a curator's ``note`` starting with "per". Such a row is not a total of
    the place, so derivations skip it.

    >>> m = pd.DataFrame({"quote": ["党员896人", "每个网格1名", "其中书记1名"],
    ...     "note": [None, None, "per branch committee"]})
    >>> per_unit(m).tolist()
    [False, True, True]
    """
    if "per_unit" in metrics.columns:
        return metrics["per_unit"].fillna(False).astype(bool)
    quote = metrics["quote"].fillna("").astype(str).str.contains(_PER_UNIT_QUOTE)
    note = metrics["note"].fillna("").astype(str).str.contains(_PER_UNIT_NOTE)
    return (quote | note).astype(bool).rename(None)


# --------------------------------------------------------------------------- catalogue


def catalogue(glossary: Glossary, metrics: pd.DataFrame) -> pd.DataFrame:
    """The glossary's metric keys with their labels, joined to how often the corpus reports them.

    One row per key (glossary order): category and its zh/en label, zh, en, canonical unit,
    definition, ``n_cases`` and ``n_rows`` in ``metrics`` (0 when unused).

    >>> from analytics.glossary import load_glossary
    >>> m = pd.DataFrame({"case_id": ["a", "a", "b"], "metric": ["residents"] * 3})
    >>> cat = catalogue(load_glossary(), m)
    >>> cat.loc["residents", ["category", "n_cases", "n_rows"]].astype(str).tolist()
    ['population', '2', '3']
    """
    table = glossary.table("metrics")
    table = table[["category", "zh", "en", "unit", "definition"]].copy()
    categories = glossary.entries["metric_categories"]
    table.insert(1, "category_zh", [categories[c]["zh"] for c in table["category"]])
    table.insert(2, "category_en", [categories[c]["en"] for c in table["category"]])
    used = metrics.groupby("metric")["case_id"]
    table["n_cases"] = used.nunique().reindex(table.index, fill_value=0).astype("int64")
    table["n_rows"] = used.size().reindex(table.index, fill_value=0).astype("int64")
    return table


# --------------------------------------------------------------------------- availability


def availability(
    metrics: pd.DataFrame, by: Literal["metric", "category"] = "metric"
) -> pd.DataFrame:
    """What each case reports: one row per (case, metric key or category) with at least one row.

    Columns: ``case_id``, ``key``, ``n_rows``; ``value``, ``value_max`` and ``unit_canonical``
    of the row when there is exactly one (NA otherwise: several rows are never reduced to one);
    ``units``, the canonical units of all rows (``"+"``-joined); ``n_per_unit``, rows stated
    per unit (:func:`per_unit`); ``qualifier`` — the rows' common qualifier, or ``"mixed"``;
    ``n_<q>``, rows per qualifier; ``display`` — the values with their marks, ``"; "``-joined
    in file order (``"≥900; ≥2000"``); ``metric_ids`` (``"+"``-joined). Sorted by case, key.

    >>> m = pd.DataFrame({"case_id": ["a", "a", "a"], "metric_id": ["r", "h1", "h2"],
    ...     "metric": ["residents", "households", "households"], "category": "population",
    ...     "value": [5000.0, 30.0, 18.0], "value_max": float("nan"),
    ...     "unit_canonical": ["person", "household", "household"],
    ...     "qualifier": ["at_least", "exact", "exact"], "quote": "q", "note": None})
    >>> availability(m)[["key", "n_rows", "value", "qualifier", "display"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'key': 'households', 'n_rows': 2, 'value': nan, 'qualifier': 'exact', 'display': '30; 18'},
     {'key': 'residents', 'n_rows': 1, 'value': 5000.0, 'qualifier': 'at_least',
      'display': '≥5000'}]
    """
    if by not in ("metric", "category"):
        raise ValueError(f"availability: by must be 'metric' or 'category', got {by!r}")
    columns = [
        "case_id",
        "key",
        "n_rows",
        "value",
        "value_max",
        "unit_canonical",
        "units",
        "n_per_unit",
        "qualifier",
        *(f"n_{q}" for q in QUALIFIERS),
        "display",
        "metric_ids",
    ]
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    rows = metrics.assign(
        _per_unit=per_unit(metrics).to_numpy(),
        _display=[
            format_value(v, q, m)
            for v, q, m in zip(
                metrics["value"], metrics["qualifier"], metrics["value_max"], strict=True
            )
        ],
    )
    out = []
    for (case_id, key), group in rows.groupby(["case_id", by], sort=True):
        single = len(group) == 1
        first = group.iloc[0]
        qualifiers = set(group["qualifier"])
        out.append(
            {
                "case_id": case_id,
                "key": key,
                "n_rows": len(group),
                "value": first["value"] if single else math.nan,
                "value_max": first["value_max"] if single else math.nan,
                "unit_canonical": first["unit_canonical"] if single else None,
                "units": "+".join(dict.fromkeys(group["unit_canonical"].astype(str))),
                "n_per_unit": int(group["_per_unit"].sum()),
                "qualifier": qualifiers.pop() if len(qualifiers) == 1 else "mixed",
                **{f"n_{q}": int((group["qualifier"] == q).sum()) for q in QUALIFIERS},
                "display": "; ".join(group["_display"]),
                "metric_ids": "+".join(group["metric_id"]),
            }
        )
    return pd.DataFrame(out, columns=columns)


def availability_matrix(
    metrics: pd.DataFrame,
    *,
    by: Literal["metric", "category"] = "metric",
    values: str = "n_rows",
    case_ids: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Case × key matrix of one column of :func:`availability` (``n_rows``, ``display``, …).

    Rows are ``case_ids`` (default: the cases in ``metrics``), columns ``keys`` (default: the
    keys reported, sorted); a cell a case does not report is 0 for counts, ``""`` otherwise.

    >>> m = pd.DataFrame({"case_id": ["a", "b"], "metric_id": ["r", "r"],
    ...     "metric": ["residents", "residents"], "category": "population",
    ...     "value": [5000.0, 5268.0], "value_max": float("nan"), "unit_canonical": "person",
    ...     "qualifier": ["at_least", "exact"], "quote": "q", "note": None})
    >>> availability_matrix(m, values="display", case_ids=["a", "b", "c"])["residents"].tolist()
    ['≥5000', '5268', '']
    """
    table = availability(metrics, by=by)
    if values not in table.columns:
        raise ValueError(f"availability_matrix: no column {values!r} in availability()")
    rows = list(case_ids) if case_ids is not None else sorted(table["case_id"].unique())
    cols = list(keys) if keys is not None else sorted(table["key"].unique())
    count = values == "n_rows" or values.startswith("n_")
    wide = table.pivot(index="case_id", columns="key", values=values)
    wide = wide.reindex(index=rows, columns=cols)
    empty = wide.isna()
    wide = wide.fillna(0).astype("int64") if count else wide.astype(object).where(~empty, "")
    wide.index.name, wide.columns.name = "case_id", "key"
    return wide


# --------------------------------------------------------------------------- qualifiers


_DIRECTION = {"exact": 0, "at_least": 1, "at_most": -1}


def propagate(
    numerator: str, denominator: str, op: Literal["divide", "multiply"] = "divide"
) -> str:
    """Qualifier of ``numerator / denominator`` (or ``×`` for ``op="multiply"``).

    Rule: ``approx`` or ``share`` on either side (a stated percentage is rounded) → ``approx``.
    Otherwise each bound points the result one way — ``at_least`` numerator: up; ``at_least``
    denominator of a division: down (a larger base gives a smaller ratio); ``at_most`` the
    reverse; ``exact`` not at all. No direction → ``exact``; one → ``at_least`` / ``at_most``;
    both (conflicting bounds) → ``approx``. Values must be positive (they are counts).

    >>> propagate("exact", "exact"), propagate("at_least", "exact"), propagate("exact", "at_least")
    ('exact', 'at_least', 'at_most')
    >>> propagate("at_least", "at_least"), propagate("at_least", "at_most")
    ('approx', 'at_least')
    >>> propagate("approx", "exact"), propagate("at_most", "exact")
    ('approx', 'at_most')
    >>> propagate("share", "exact", op="multiply"), propagate("at_least", "at_least", op="multiply")
    ('approx', 'at_least')
    """
    for q in (numerator, denominator):
        if q not in QUALIFIERS:
            raise ValueError(f"propagate: unknown qualifier {q!r} (one of {QUALIFIERS})")
    if op not in ("divide", "multiply"):
        raise ValueError(f"propagate: op must be 'divide' or 'multiply', got {op!r}")
    if {numerator, denominator} & {"approx", "share"}:
        return "approx"
    flip = -1 if op == "divide" else 1
    directions = {_DIRECTION[numerator], flip * _DIRECTION[denominator]} - {0}
    if not directions:
        return "exact"
    if len(directions) == 2:
        return "approx"
    return "at_least" if directions.pop() > 0 else "at_most"


# --------------------------------------------------------------------------- derivations


@dataclass(frozen=True)
class DerivationRule:
    """How to derive one comparable figure from two metric keys of a case.

    ``kind="ratio"``: ``numerator / denominator × scale`` (e.g. party members per 1,000
    residents: ``party_members / residents × 1000``). ``kind="share_count"``: a share turned
    into a count of its stated base, ``numerator (%) × base / 100`` — the base is the row the
    share's ``base`` field names; ``denominator`` is then the metric key that base row must have
    (``None``: any). ``numerator_subject`` / ``denominator_subject``, when set, keep only rows
    whose ``subject`` equals them — the documented way to choose among several rows of one key.
    ``unit_zh`` / ``unit_en`` name the unit of the result, for axes.
    """

    key: str
    zh: str
    en: str
    numerator: str
    denominator: str | None
    scale: float = 1.0
    unit_zh: str = ""
    unit_en: str = ""
    kind: Literal["ratio", "share_count"] = "ratio"
    numerator_subject: str | None = None
    denominator_subject: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("ratio", "share_count"):
            raise ValueError(f"{self.key}: kind must be 'ratio' or 'share_count'")
        if self.kind == "ratio" and not self.denominator:
            raise ValueError(f"{self.key}: a ratio needs a denominator metric key")
        if not (self.scale > 0 and math.isfinite(self.scale)):
            raise ValueError(f"{self.key}: scale must be positive")

    @property
    def formula(self) -> str:
        """The rule in metric keys: ``party_members / residents × 1000``.

        >>> RULES[0].formula
        'party_members / residents × 1000'
        """
        n = self.numerator + (f"[{self.numerator_subject}]" if self.numerator_subject else "")
        if self.kind == "share_count":
            base = self.denominator or "base"
            base += f"[{self.denominator_subject}]" if self.denominator_subject else ""
            return f"{n} % × {base}"
        d = self.denominator + (f"[{self.denominator_subject}]" if self.denominator_subject else "")
        scale = f" × {_fmt(self.scale, 6)}" if self.scale != 1 else ""
        return f"{n} / {d}{scale}"


#: The default derivations. Extend by passing ``rules=(*RULES, DerivationRule(...))``.
RULES: tuple[DerivationRule, ...] = (
    DerivationRule(
        "members_per_1000_residents",
        "每千名居民党员数",
        "Party members per 1,000 residents",
        "party_members",
        "residents",
        scale=1000,
        unit_zh="名/千人",
        unit_en="members per 1,000 residents",
    ),
    DerivationRule(
        "residents_per_household",
        "户均人口",
        "Residents per household",
        "residents",
        "households",
        unit_zh="人/户",
        unit_en="persons per household",
    ),
    DerivationRule(
        "households_per_building",
        "栋均户数",
        "Households per building",
        "households",
        "buildings",
        unit_zh="户/栋",
        unit_en="households per building",
    ),
    DerivationRule(
        "residents_per_km2",
        "人口密度",
        "Population density",
        "residents",
        "area",
        unit_zh="人/平方公里",
        unit_en="persons per km²",
    ),
    DerivationRule(
        "members_per_branch",
        "支部平均党员数",
        "Party members per branch",
        "party_members",
        "party_branches",
        unit_zh="名/个支部",
        unit_en="members per branch",
    ),
    DerivationRule(
        "served_per_member",
        "党员人均服务人次",
        "People served per party member",
        "people_served",
        "party_members",
        unit_zh="人次/名党员",
        unit_en="person-times per member",
    ),
    DerivationRule(
        "households_in_need_per_1000",
        "每千户困难家庭数",
        "Households in need per 1,000 households",
        "households_in_need",
        "households",
        scale=1000,
        unit_zh="户/千户",
        unit_en="per 1,000 households",
    ),
    DerivationRule(
        "elderly_count",
        "老年人数（由占比折算）",
        "Older residents (from share)",
        "elderly_share",
        None,
        scale=0.01,
        unit_zh="人",
        unit_en="persons",
        kind="share_count",
    ),
    DerivationRule(
        "unemployed_count",
        "无业人员数（由占比折算）",
        "Residents without work (from share)",
        "unemployed_share",
        None,
        scale=0.01,
        unit_zh="人",
        unit_en="persons",
        kind="share_count",
    ),
)


def rules_table(rules: Iterable[DerivationRule] = RULES) -> pd.DataFrame:
    """The rules as a table (one row each, with the formula), for export and display.

    >>> rules_table()[["key", "formula"]].iloc[0].tolist()
    ['members_per_1000_residents', 'party_members / residents × 1000']
    """
    fields = [
        "key",
        "zh",
        "en",
        "kind",
        "numerator",
        "denominator",
        "scale",
        "unit_zh",
        "unit_en",
        "numerator_subject",
        "denominator_subject",
    ]
    records = [{f: getattr(r, f) for f in fields} | {"formula": r.formula} for r in rules]
    table = pd.DataFrame(records, columns=[*fields, "formula"])
    text = [f for f in table.columns if f != "scale"]
    return table.astype(dict.fromkeys(text, "str") | {"scale": "float64"})


#: Reasons a rule is not applied to a case (``gaps.reason``).
GAP_REASONS: tuple[str, ...] = (
    "no_data",
    "no_numerator",
    "no_base",
    "ambiguous",
    "range",
    "per_unit",
    "share",
    "zero_base",
)

DERIVED_COLUMNS = [
    "case_id",
    "key",
    "label_zh",
    "label_en",
    "unit_zh",
    "unit_en",
    "value",
    "qualifier",
    "display",
    "formula",
    "calculation",
    "numerator_id",
    "denominator_id",
    "metric_ids",
]
GAP_COLUMNS = ["case_id", "key", "label_zh", "label_en", "unit_zh", "unit_en", "reason", "detail"]


class Derivation(NamedTuple):
    """:func:`derive`'s result: the derived figures and the (case, rule) pairs not derived."""

    derived: pd.DataFrame
    gaps: pd.DataFrame


class _Skip(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _pick(rows: pd.DataFrame, key: str, subject: str | None, side: str) -> pd.Series:
    """The one usable row of ``key`` in one case's rows, or raise _Skip with the reason."""
    mine = rows[rows["metric"] == key]
    if subject is not None:
        mine = mine[mine["subject"] == subject]
    what = key + (f" (subject {subject})" if subject is not None else "")
    if mine.empty:
        reason = "no_numerator" if side == "numerator" else "no_base"
        raise _Skip(reason, f"no {what} row")
    if len(mine) > 1:
        listed = ", ".join(
            f"{i} ({s})" if isinstance(s, str) else str(i)
            for i, s in zip(mine["metric_id"], mine["subject"], strict=True)
        )
        raise _Skip(
            "ambiguous",
            f"{len(mine)} rows of {what}: {listed}; give the rule a subject to choose one",
        )
    row = mine.iloc[0]
    vmax = row["value_max"]
    if not pd.isna(vmax):
        raise _Skip(
            "range",
            f"{row['metric_id']} is a range ({format_value(row['value'], 'exact', vmax)})",
        )
    if row["_per_unit"]:
        raise _Skip("per_unit", f"{row['metric_id']} is stated per unit, not as a total")
    return row


def _apply(rule: DerivationRule, rows: pd.DataFrame) -> dict:
    """Apply one rule to one case's rows: the derived record, or raise _Skip."""
    n_present = (rows["metric"] == rule.numerator).any()
    d_present = rule.denominator is None or (rows["metric"] == rule.denominator).any()
    if rule.kind == "ratio" and not n_present and not d_present:
        raise _Skip("no_data", f"neither {rule.numerator} nor {rule.denominator} reported")
    num = _pick(rows, rule.numerator, rule.numerator_subject, "numerator")
    if rule.kind == "ratio":
        if num["qualifier"] == "share":
            raise _Skip("share", f"{num['metric_id']} is a share, not a count")
        den = _pick(rows, rule.denominator, rule.denominator_subject, "denominator")
        if den["qualifier"] == "share":
            raise _Skip("share", f"{den['metric_id']} is a share, not a count")
        if den["value"] == 0:
            raise _Skip("zero_base", f"{den['metric_id']} is 0")
        value = num["value"] / den["value"] * rule.scale
        qualifier = propagate(num["qualifier"], den["qualifier"], "divide")
        scale = f" × {_fmt(rule.scale, 6)}" if rule.scale != 1 else ""
        left = format_value(num["value"], num["qualifier"])
        calc = f"{left} / {format_value(den['value'], den['qualifier'])}{scale}"
    else:
        if num["qualifier"] != "share":
            raise _Skip(
                "share", f"{num['metric_id']} is not a share (qualifier {num['qualifier']})"
            )
        base = num["base"]
        if pd.isna(base) or not base:
            raise _Skip("no_base", f"{num['metric_id']} names no base")
        found = rows[rows["metric_id"] == base]
        if found.empty:
            raise _Skip("no_base", f"base {base} of {num['metric_id']} not found")
        if rule.denominator is not None and found.iloc[0]["metric"] != rule.denominator:
            raise _Skip(
                "no_base",
                f"base {base} of {num['metric_id']} is {found.iloc[0]['metric']}, "
                f"not {rule.denominator}",
            )
        den = _pick(found, found.iloc[0]["metric"], rule.denominator_subject, "denominator")
        value = num["value"] * den["value"] * rule.scale
        qualifier = propagate(num["qualifier"], den["qualifier"], "multiply")
        left = format_value(num["value"], "share")
        calc = f"{left} × {format_value(den['value'], den['qualifier'])}"
    display = format_value(_shown(value, qualifier), qualifier)
    return {
        "value": float(value),
        "qualifier": qualifier,
        "display": display,
        "calculation": f"{calc} = {display}",
        "formula": rule.formula,
        "numerator_id": num["metric_id"],
        "denominator_id": den["metric_id"],
        "metric_ids": f"{num['metric_id']}+{den['metric_id']}",
    }


def _shown(value: float, qualifier: str, digits: int = 3) -> float:
    """A derived value as displayed: exact ones as computed, others to ``digits`` significant
    figures (``≈40523.08`` from an area of ``≈0.13`` would claim a precision it lacks).

    >>> _shown(40523.0769, "approx"), _shown(11.1607, "at_least"), _shown(170.0835, "exact")
    (40500.0, 11.2, 170.0835)
    """
    if qualifier == "exact" or value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def derive(
    metrics: pd.DataFrame,
    rules: Iterable[DerivationRule] = RULES,
    case_ids: Sequence[str] | None = None,
) -> Derivation:
    """Apply every rule to every case: ``(derived, gaps)``.

    ``derived``: one row per case × rule applied, with the value (full precision), its
    propagated qualifier, ``display`` (value with mark; a value that is not exact rounded to
    three significant figures), ``formula`` (in metric keys), ``calculation`` (in numbers),
    ``numerator_id`` / ``denominator_id`` and ``metric_ids`` (the source rows, ``"+"``-joined).
    ``gaps``: one row per case × rule *not* applied, with ``reason`` (one of
    :data:`GAP_REASONS`) and a one-line ``detail``. Both sorted by rule order, then case.
    ``case_ids`` defaults to the cases in ``metrics`` (pass all cases to list the rest as gaps).

    >>> m = pd.DataFrame({"case_id": ["a", "a", "b"], "metric_id": ["pm", "res", "res"],
    ...     "metric": ["party_members", "residents", "residents"], "subject": None,
    ...     "value": [896.0, 5268.0, 5000.0], "value_max": float("nan"),
    ...     "qualifier": ["exact", "exact", "at_least"], "base": None, "quote": "q",
    ...     "note": None})
    >>> d, gaps = derive(m, rules=RULES[:1])
    >>> d[["case_id", "display", "calculation"]].to_dict("records")
    [{'case_id': 'a', 'display': '170.08', 'calculation': '896 / 5268 × 1000 = 170.08'}]
    >>> gaps[["case_id", "reason", "detail"]].to_dict("records")
    [{'case_id': 'b', 'reason': 'no_numerator', 'detail': 'no party_members row'}]
    """
    rules = list(rules)
    keys = [r.key for r in rules]
    if len(set(keys)) != len(keys):
        raise ValueError(f"derive: rule keys repeat: {keys}")
    cases = list(case_ids) if case_ids is not None else sorted(metrics["case_id"].unique())
    rows = metrics.assign(_per_unit=per_unit(metrics).to_numpy()) if len(metrics) else metrics
    if "_per_unit" not in rows.columns:
        rows = rows.assign(_per_unit=pd.Series(dtype=bool))
    by_case = {c: rows[rows["case_id"] == c] for c in cases}
    derived, gaps = [], []
    for rule in rules:
        labels = {"key": rule.key, "label_zh": rule.zh, "label_en": rule.en}
        labels |= {"unit_zh": rule.unit_zh, "unit_en": rule.unit_en}
        for case_id in cases:
            try:
                record = _apply(rule, by_case[case_id])
            except _Skip as skip:
                gaps.append(
                    {"case_id": case_id, **labels, "reason": skip.reason, "detail": skip.detail}
                )
                continue
            derived.append({"case_id": case_id, **labels} | record)
    derived_table = pd.DataFrame(derived, columns=DERIVED_COLUMNS)
    derived_table["value"] = derived_table["value"].astype("float64")
    return Derivation(derived_table, pd.DataFrame(gaps, columns=GAP_COLUMNS))


def derivation_matrix(
    derived: pd.DataFrame,
    gaps: pd.DataFrame,
    case_ids: Sequence[str] | None = None,
    rules: Iterable[DerivationRule] = RULES,
) -> pd.DataFrame:
    """Rule × case overview of :func:`derive`: the derived value, or the reason in brackets.

    Rows in the order of ``rules`` (keys not among them after, in order of appearance);
    columns ``case_ids`` (default: the cases in either table, sorted).

    >>> d = pd.DataFrame({"case_id": ["a"], "key": ["r"], "display": ["≈0.5"]})
    >>> g = pd.DataFrame({"case_id": ["b"], "key": ["r"], "reason": ["no_base"]})
    >>> derivation_matrix(d, g).loc["r"].tolist()
    ['≈0.5', '(no_base)']
    """
    cells = pd.concat(
        [
            derived[["case_id", "key", "display"]].rename(columns={"display": "cell"}),
            gaps[["case_id", "key"]].assign(cell=[f"({r})" for r in gaps["reason"]]),
        ],
        ignore_index=True,
    )
    present = list(dict.fromkeys(cells["key"]))
    order = [r.key for r in rules if r.key in present]
    order += [k for k in present if k not in order]
    cases = list(case_ids) if case_ids is not None else sorted(cells["case_id"].unique())
    wide = cells.pivot(index="key", columns="case_id", values="cell")
    wide = wide.reindex(index=order, columns=cases).fillna("")
    wide.index.name, wide.columns.name = "key", "case_id"
    return wide


# --------------------------------------------------------------------------- comparisons


def comparison_rows(
    metrics: pd.DataFrame,
    categories: Iterable[str],
    *,
    exclude: Iterable[str] = STRUCTURAL_KEYS,
    include_per_unit: bool = False,
) -> pd.DataFrame:
    """Rows of ``metrics`` in the given glossary categories that count something of the place.

    Leaves out ``exclude`` keys (structure descriptors, :data:`STRUCTURAL_KEYS`) and, unless
    ``include_per_unit``, rows stated per unit (:func:`per_unit`), which are not totals. Adds
    ``display``; sorted by metric key, canonical unit, case and value.

    >>> m = pd.DataFrame({"case_id": ["a", "a"], "metric_id": ["g", "s"],
    ...     "metric": ["grid_staff", "stewards"], "category": "staffing", "value": [1.0, 20.0],
    ...     "value_max": float("nan"), "unit_canonical": "person", "qualifier": "exact",
    ...     "quote": ["每个网格1名", "20名"], "note": None})
    >>> comparison_rows(m, ["staffing"])["metric_id"].tolist()
    ['s']
    """
    wanted = set(categories)
    rows = metrics[metrics["category"].isin(wanted) & ~metrics["metric"].isin(set(exclude))]
    if not include_per_unit and len(rows):
        rows = rows[~per_unit(rows).to_numpy()]
    rows = rows.assign(
        display=[
            format_value(v, q, m)
            for v, q, m in zip(rows["value"], rows["qualifier"], rows["value_max"], strict=True)
        ]
    )
    order = ["metric", "unit_canonical", "case_id", "value"]
    return rows.sort_values(order, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- honours


def honours_timeline(
    honours: pd.DataFrame, level_order: Sequence[str] | None = None
) -> pd.DataFrame:
    """Honours in time order: year, month, level, title, title_en, kind, case_id, recipient.

    Sorted by year, then month (a year without month after that year's dated months; undated
    honours last), then level (``level_order``, e.g. ``glossary.keys("honour_levels")``: top
    first), case and title.

    >>> h = pd.DataFrame({"case_id": ["a", "a", "b", "b"], "year": [2019, None, 2015, 2015],
    ...     "month": [12, None, None, 2], "title": ["甲", "乙", "丙", "丁"],
    ...     "title_en": ["A", "B", "C", "D"], "kind": "award",
    ...     "level": ["national", "district", "provincial", "provincial"], "recipient": None})
    >>> honours_timeline(h)["title"].tolist()
    ['丁', '丙', '甲', '乙']
    """
    columns = ["year", "month", "level", "title", "title_en", "kind", "case_id", "recipient"]
    table = honours[columns].copy()
    for col in ("year", "month"):
        table[col] = table[col].astype("Int64")
    levels = list(level_order) if level_order is not None else sorted(table["level"].unique())
    rank = {lvl: i for i, lvl in enumerate(levels)}
    table = table.assign(
        _y=table["year"].fillna(10_000).astype("int64"),
        _m=table["month"].fillna(13).astype("int64"),
        _l=table["level"].map(rank).fillna(len(rank)).astype("int64"),
    )
    table = table.sort_values(["_y", "_m", "_l", "case_id", "title"], kind="stable")
    return table.drop(columns=["_y", "_m", "_l"]).reset_index(drop=True)

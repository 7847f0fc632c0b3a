"""analytics.metrics on small hand-built tables, with exact expected values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import analytics
from analytics import metrics
from analytics.glossary import load_glossary
from analytics.metrics import DerivationRule

COLUMNS = [
    "case_id",
    "metric_id",
    "metric",
    "category",
    "subject",
    "value",
    "value_max",
    "unit",
    "unit_canonical",
    "qualifier",
    "base",
    "year",
    "month",
    "note",
    "quote",
]
CATEGORY = {
    "residents": "population",
    "households": "population",
    "buildings": "population",
    "area": "population",
    "elderly_share": "population",
    "party_members": "organisation",
    "party_branches": "organisation",
    "grid_staff": "staffing",
    "span_members": "organisation",
    "people_served": "outcomes",
}
UNIT = {
    "residents": "person",
    "households": "household",
    "buildings": "building",
    "area": "km2",
    "elderly_share": "percent",
    "party_members": "person",
    "party_branches": "organisation",
    "grid_staff": "person",
    "span_members": "person",
    "people_served": "person_time",
}


def row(case_id: str, metric_id: str, metric: str, value: float, **extra) -> dict:
    base = {
        "case_id": case_id,
        "metric_id": metric_id,
        "metric": metric,
        "category": CATEGORY[metric],
        "subject": None,
        "value": float(value),
        "value_max": math.nan,
        "unit": "人",
        "unit_canonical": UNIT[metric],
        "qualifier": "exact",
        "base": None,
        "year": pd.NA,
        "month": pd.NA,
        "note": None,
        "quote": f"{metric}{value}",
    }
    return base | extra


def table(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    return frame.astype({"value": "float64", "value_max": "float64", "year": "Int64"})


def rule(key="ratio", numerator="party_members", denominator="residents", **kw) -> DerivationRule:
    return DerivationRule(key, "比", "Ratio", numerator, denominator, **kw)


PER_1000 = rule("per_1000", scale=1000)


# --------------------------------------------------------------------------- values


def test_format_value_marks_every_qualifier():
    assert metrics.format_value(0.17, "approx") == "≈0.17"
    assert metrics.format_value(5000, "at_least") == "≥5000"
    assert metrics.format_value(3, "at_most") == "≤3"
    assert metrics.format_value(32, "share") == "32%"
    assert metrics.format_value(896, "exact") == "896"
    assert metrics.format_value(1685.76, "approx") == "≈1685.76"
    assert metrics.format_value(160, "exact", 255) == "160–255"
    assert metrics.format_value(2 / 3, "exact") == "0.67"


def test_per_unit_reads_quote_markers_and_curator_notes():
    m = pd.DataFrame(
        {
            "quote": ["党员896人", "每个网格1名", "各有委员3名", "各类服务1000人次", "其中书记1名"],
            "note": [None, None, None, None, "per branch committee"],
        }
    )
    assert metrics.per_unit(m).tolist() == [False, True, True, False, True]
    assert metrics.per_unit(m.assign(per_unit=[True, False, False, False, None])).tolist() == [
        True,
        False,
        False,
        False,
        False,
    ]


# --------------------------------------------------------------------------- qualifiers

PROPAGATION = [
    # numerator, denominator, divide, multiply
    ("exact", "exact", "exact", "exact"),
    ("approx", "exact", "approx", "approx"),
    ("exact", "approx", "approx", "approx"),
    ("share", "exact", "approx", "approx"),
    ("at_least", "exact", "at_least", "at_least"),
    ("exact", "at_least", "at_most", "at_least"),
    ("at_most", "exact", "at_most", "at_most"),
    ("exact", "at_most", "at_least", "at_most"),
    ("at_least", "at_least", "approx", "at_least"),
    ("at_least", "at_most", "at_least", "approx"),
    ("at_most", "at_least", "at_most", "approx"),
    ("at_most", "at_most", "approx", "at_most"),
    ("approx", "at_least", "approx", "approx"),
]


@pytest.mark.parametrize(("num", "den", "divide", "multiply"), PROPAGATION)
def test_propagate(num, den, divide, multiply):
    assert metrics.propagate(num, den, "divide") == divide
    assert metrics.propagate(num, den, "multiply") == multiply


def test_propagate_rejects_unknown_qualifier():
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        metrics.propagate("roughly", "exact")


# --------------------------------------------------------------------------- derivations


def test_ratio_exact_value_formula_and_sources():
    m = table(row("a", "pm", "party_members", 896), row("a", "res", "residents", 5268))
    derived, gaps = metrics.derive(m, rules=[PER_1000])
    assert gaps.empty
    assert len(derived) == 1
    got = derived.iloc[0]
    assert got["value"] == pytest.approx(896 / 5268 * 1000)
    assert got["value"] == pytest.approx(170.0835232)
    assert got["qualifier"] == "exact"
    assert got["display"] == "170.08"
    assert got["formula"] == "party_members / residents × 1000"
    assert got["calculation"] == "896 / 5268 × 1000 = 170.08"
    assert (got["numerator_id"], got["denominator_id"], got["metric_ids"]) == (
        "pm",
        "res",
        "pm+res",
    )
    assert list(derived.columns) == metrics.DERIVED_COLUMNS


def test_nothing_is_derived_without_a_base():
    m = table(
        row("a", "pm", "party_members", 896),
        row("b", "pm", "party_members", 40),
        row("b", "res", "residents", 800),
    )
    derived, gaps = metrics.derive(m, rules=[PER_1000])
    assert derived["case_id"].tolist() == ["b"]
    assert derived["value"].tolist() == [50.0]
    assert gaps.to_dict("records") == [
        {
            "case_id": "a",
            "key": "per_1000",
            "label_zh": "比",
            "label_en": "Ratio",
            "unit_zh": "",
            "unit_en": "",
            "reason": "no_base",
            "detail": "no residents row",
        }
    ]


def test_gap_reasons_for_missing_numerator_and_no_data():
    m = table(row("a", "res", "residents", 5268))
    derived, gaps = metrics.derive(m, rules=[PER_1000], case_ids=["a", "z"])
    assert derived.empty
    assert gaps[["case_id", "reason", "detail"]].values.tolist() == [
        ["a", "no_numerator", "no party_members row"],
        ["z", "no_data", "neither party_members nor residents reported"],
    ]


@pytest.mark.parametrize(
    ("num_q", "den_q", "expected", "display"),
    [
        ("at_least", "exact", "at_least", "≥20"),
        ("exact", "exact", "exact", "20"),
        ("exact", "at_least", "at_most", "≤20"),
        ("at_least", "at_least", "approx", "≈20"),
        ("approx", "exact", "approx", "≈20"),
        ("at_most", "at_least", "at_most", "≤20"),
    ],
)
def test_derived_qualifier_is_propagated(num_q, den_q, expected, display):
    m = table(
        row("a", "pm", "party_members", 100, qualifier=num_q),
        row("a", "res", "residents", 5000, qualifier=den_q),
    )
    derived, _ = metrics.derive(m, rules=[PER_1000])
    assert derived[["value", "qualifier", "display"]].values.tolist() == [[20.0, expected, display]]


def test_several_rows_of_a_key_are_ambiguous_not_picked():
    m = table(
        row("a", "pm", "party_members", 896),
        row("a", "branches", "party_branches", 10, subject="党支部"),
        row("a", "temporary", "party_branches", 6, subject="临时党支部"),
    )
    per_branch = rule("per_branch", denominator="party_branches")
    derived, gaps = metrics.derive(m, rules=[per_branch])
    assert derived.empty
    assert gaps[["reason", "detail"]].values.tolist() == [
        [
            "ambiguous",
            "2 rows of party_branches: branches (党支部), temporary (临时党支部); "
            "give the rule a subject to choose one",
        ]
    ]
    chosen = rule("per_branch", denominator="party_branches", denominator_subject="党支部")
    derived, gaps = metrics.derive(m, rules=[chosen])
    assert gaps.empty
    assert derived[["value", "denominator_id", "formula"]].values.tolist() == [
        [89.6, "branches", "party_members / party_branches[党支部]"]
    ]


def test_subject_that_matches_nothing_is_no_base():
    m = table(row("a", "pm", "party_members", 896), row("a", "b", "party_branches", 10))
    chosen = rule("per_branch", denominator="party_branches", denominator_subject="党支部")
    _, gaps = metrics.derive(m, rules=[chosen])
    assert gaps[["reason", "detail"]].values.tolist() == [
        ["no_base", "no party_branches (subject 党支部) row"]
    ]


@pytest.mark.parametrize(
    ("extra", "reason", "detail"),
    [
        ({"value_max": 255.0}, "range", "res is a range (160–255)"),
        ({"quote": "每个网格160人"}, "per_unit", "res is stated per unit, not as a total"),
        ({"note": "Per grid (每个网格)."}, "per_unit", "res is stated per unit, not as a total"),
        ({"value": 0.0}, "zero_base", "res is 0"),
        ({"qualifier": "share"}, "share", "res is a share, not a count"),
    ],
)
def test_unusable_base_rows_are_skipped_with_reason(extra, reason, detail):
    m = table(row("a", "pm", "party_members", 10), row("a", "res", "residents", 160) | extra)
    derived, gaps = metrics.derive(m, rules=[PER_1000])
    assert derived.empty
    assert gaps[["reason", "detail"]].values.tolist() == [[reason, detail]]


def test_share_turned_into_a_count_of_its_base():
    share = rule("elderly", "elderly_share", None, scale=0.01, kind="share_count")
    m = table(
        row("a", "res", "residents", 5268),
        row("a", "old", "elderly_share", 32, qualifier="share", base="res"),
        row("b", "old", "elderly_share", 32, qualifier="share"),
        row("c", "old", "elderly_share", 32, qualifier="share", base="missing"),
        row("d", "res", "residents", 5000, qualifier="at_least"),
        row("d", "old", "elderly_share", 10, qualifier="share", base="res"),
    )
    derived, gaps = metrics.derive(m, rules=[share])
    assert derived[["case_id", "value", "qualifier", "calculation", "metric_ids"]].to_dict(
        "records"
    ) == [
        {
            "case_id": "a",
            "value": pytest.approx(1685.76),
            "qualifier": "approx",
            "calculation": "32% × 5268 = ≈1690",
            "metric_ids": "old+res",
        },
        {
            "case_id": "d",
            "value": pytest.approx(500.0),
            "qualifier": "approx",
            "calculation": "10% × ≥5000 = ≈500",
            "metric_ids": "old+res",
        },
    ]
    assert gaps[["case_id", "reason", "detail"]].values.tolist() == [
        ["b", "no_base", "old names no base"],
        ["c", "no_base", "base missing of old not found"],
    ]
    assert share.formula == "elderly_share % × base"


def test_display_of_inexact_values_is_rounded_to_three_significant_figures():
    m = table(
        row("a", "pm", "party_members", 896, qualifier="approx"),
        row("a", "res", "residents", 5268),
    )
    derived, _ = metrics.derive(m, rules=[PER_1000])
    assert derived["value"].iloc[0] == pytest.approx(170.0835232)
    assert derived[["display", "calculation"]].values.tolist() == [
        ["≈170", "≈896 / 5268 × 1000 = ≈170"]
    ]


def test_share_rule_checks_the_base_metric_key():
    share = rule("elderly", "elderly_share", "households", scale=0.01, kind="share_count")
    m = table(
        row("a", "res", "residents", 5268),
        row("a", "old", "elderly_share", 32, qualifier="share", base="res"),
    )
    derived, gaps = metrics.derive(m, rules=[share])
    assert derived.empty
    assert gaps["detail"].tolist() == ["base res of old is residents, not households"]


def test_default_rules_on_a_small_case():
    m = table(
        row("a", "pm", "party_members", 896),
        row("a", "res", "residents", 5268),
        row("a", "hh", "households", 2032),
        row("a", "bld", "buildings", 22),
        row("a", "area", "area", 0.13, qualifier="approx"),
        row("a", "served", "people_served", 10000, qualifier="at_least"),
    )
    derived, _ = metrics.derive(m)
    got = {k: (round(v, 4), q) for k, v, q in derived[["key", "value", "qualifier"]].values}
    assert got == {
        "members_per_1000_residents": (170.0835, "exact"),
        "residents_per_household": (2.5925, "exact"),
        "households_per_building": (92.3636, "exact"),
        "residents_per_km2": (40523.0769, "approx"),
        "served_per_member": (11.1607, "at_least"),
    }


def test_derive_validates_rules_and_handles_empty_input():
    with pytest.raises(ValueError, match="rule keys repeat"):
        metrics.derive(table(), rules=[PER_1000, PER_1000])
    with pytest.raises(ValueError, match="a ratio needs a denominator"):
        rule(denominator=None)
    with pytest.raises(ValueError, match="scale must be positive"):
        rule(scale=0)
    derived, gaps = metrics.derive(table(), rules=[PER_1000], case_ids=["a"])
    assert derived.empty and list(derived.columns) == metrics.DERIVED_COLUMNS
    assert gaps["reason"].tolist() == ["no_data"]
    derived, gaps = metrics.derive(table(), rules=[PER_1000])
    assert derived.empty and gaps.empty


def test_derivation_matrix_shows_value_or_reason_in_rule_order():
    m = table(
        row("a", "pm", "party_members", 896),
        row("a", "res", "residents", 5268),
        row("a", "hh", "households", 2032),
        row("b", "res", "residents", 5000, qualifier="at_least"),
    )
    rules = [rule("per_household", "residents", "households"), PER_1000]
    derived, gaps = metrics.derive(m, rules=rules, case_ids=["a", "b", "c"])
    got = metrics.derivation_matrix(derived, gaps, ["c", "b", "a"], rules=rules)
    assert got.index.tolist() == ["per_household", "per_1000"]
    assert got.to_dict("index") == {
        "per_household": {"c": "(no_data)", "b": "(no_base)", "a": "2.59"},
        "per_1000": {"c": "(no_data)", "b": "(no_numerator)", "a": "170.08"},
    }


def test_rules_table_lists_every_rule_with_its_formula():
    rules = metrics.rules_table()
    assert rules["key"].tolist() == [r.key for r in metrics.RULES]
    assert rules.loc[0, "formula"] == "party_members / residents × 1000"
    assert rules.loc[0, "scale"] == 1000.0


# --------------------------------------------------------------------------- availability

SMALL = table(
    row("a", "res", "residents", 5000, qualifier="at_least"),
    row("a", "area", "area", 0.17, qualifier="approx"),
    row("b", "res", "residents", 5268),
    row("b", "b1", "party_branches", 10),
    row("b", "b2", "party_branches", 6, quote="每个片区6个"),
)


def test_availability_by_metric_keeps_value_and_qualifier():
    got = metrics.availability(SMALL)
    assert got[
        ["case_id", "key", "n_rows", "qualifier", "display", "metric_ids"]
    ].values.tolist() == [
        ["a", "area", 1, "approx", "≈0.17", "area"],
        ["a", "residents", 1, "at_least", "≥5000", "res"],
        ["b", "party_branches", 2, "exact", "10; 6", "b1+b2"],
        ["b", "residents", 1, "exact", "5268", "res"],
    ]
    assert got["value"].tolist()[:2] == [0.17, 5000.0]
    assert math.isnan(got["value"].iloc[2])  # several rows: never reduced to one
    assert got["n_per_unit"].tolist() == [0, 0, 1, 0]
    assert got[["n_exact", "n_approx", "n_at_least"]].values.tolist() == [
        [0, 1, 0],
        [0, 0, 1],
        [2, 0, 0],
        [1, 0, 0],
    ]


def test_availability_by_category_marks_mixed_qualifiers():
    got = metrics.availability(SMALL, by="category")
    assert got[["case_id", "key", "n_rows", "qualifier", "display"]].values.tolist() == [
        ["a", "population", 2, "mixed", "≥5000; ≈0.17"],
        ["b", "organisation", 2, "exact", "10; 6"],
        ["b", "population", 1, "exact", "5268"],
    ]


def test_availability_matrix_cases_by_keys():
    counts = metrics.availability_matrix(SMALL, case_ids=["b", "a", "c"])
    assert counts.index.tolist() == ["b", "a", "c"]
    assert counts.columns.tolist() == ["area", "party_branches", "residents"]
    assert counts.values.tolist() == [[0, 2, 1], [1, 0, 1], [0, 0, 0]]
    shown = metrics.availability_matrix(SMALL, values="display", keys=["residents", "households"])
    assert shown.to_dict("index") == {
        "a": {"residents": "≥5000", "households": ""},
        "b": {"residents": "5268", "households": ""},
    }
    with pytest.raises(ValueError, match="no column 'colour'"):
        metrics.availability_matrix(SMALL, values="colour")


def test_availability_of_nothing_is_empty():
    assert metrics.availability(table()).empty
    with pytest.raises(ValueError, match="by must be"):
        metrics.availability(SMALL, by="unit")


def test_catalogue_joins_glossary_and_corpus():
    glossary = load_glossary()
    cat = metrics.catalogue(glossary, SMALL)
    assert cat.index.tolist() == glossary.keys("metrics")
    assert cat.loc["residents", ["n_cases", "n_rows"]].tolist() == [2, 1 + 1]
    assert cat.loc["party_branches", ["n_cases", "n_rows"]].tolist() == [1, 2]
    assert cat.loc["households", ["n_cases", "n_rows"]].tolist() == [0, 0]
    assert cat.loc["residents", "category_en"] == "Population and size"


def test_comparison_rows_leave_out_per_unit_and_structural_rows():
    m = table(
        row("a", "g", "grid_staff", 1, quote="每个网格1名"),
        row("a", "span", "span_members", 3),
        row("a", "pm", "party_members", 896),
        row("a", "b", "party_branches", 10),
    )
    got = metrics.comparison_rows(m, ["organisation", "staffing"])
    assert got["metric_id"].tolist() == ["b", "pm"]
    assert got["display"].tolist() == ["10", "896"]
    both = metrics.comparison_rows(m, ["staffing"], include_per_unit=True)
    assert both["metric_id"].tolist() == ["g"]


# --------------------------------------------------------------------------- honours


def test_honours_timeline_order():
    h = pd.DataFrame(
        {
            "case_id": ["b", "a", "a", "b", "a", "a"],
            "year": [2015, 2019, None, 2015, 2015, None],
            "month": [None, 12, None, 3, 3, None],
            "title": ["丙", "甲", "乙", "丁", "戊", "己"],
            "title_en": ["C", "A", "B", "D", "E", "F"],
            "kind": "award",
            "level": ["provincial", "national", "district", "district", "national", "national"],
            "recipient": None,
            "quote": "q",
        }
    )
    order = ["national", "provincial", "city", "district", "subdistrict"]
    got = metrics.honours_timeline(h, order)
    assert got["title"].tolist() == ["戊", "丁", "丙", "甲", "己", "乙"]
    assert got.columns.tolist() == [
        "year",
        "month",
        "level",
        "title",
        "title_en",
        "kind",
        "case_id",
        "recipient",
    ]
    assert str(got["year"].dtype) == "Int64"


# --------------------------------------------------------------------------- live corpus


def test_smoke_on_the_corpus():
    corpus = analytics.load_corpus()
    case_ids = list(corpus.cases["case_id"])
    derived, gaps = metrics.derive(corpus.metrics, case_ids=case_ids)
    assert len(derived) + len(gaps) == len(case_ids) * len(metrics.RULES)
    assert set(derived["qualifier"]) <= set(metrics.QUALIFIERS)
    assert set(gaps["reason"]) <= set(metrics.GAP_REASONS)
    ids = set(zip(corpus.metrics["case_id"], corpus.metrics["metric_id"], strict=True))
    for case_id, sources in zip(derived["case_id"], derived["metric_ids"], strict=True):
        assert all((case_id, i) in ids for i in sources.split("+"))
    table_ = metrics.availability(corpus.metrics)
    assert table_["n_rows"].sum() == len(corpus.metrics)
    timeline = metrics.honours_timeline(corpus.honours, corpus.glossary.keys("honour_levels"))
    assert len(timeline) == len(corpus.honours)
    for group in metrics.CATEGORY_GROUPS.values():
        assert set(group) <= set(corpus.glossary.keys("metric_categories"))


# --------------------------------------------------------------------------- figures


@pytest.fixture
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


CASE_LABELS = {"a": "甲社区", "b": "乙社区", "c": "丙社区"}


def test_availability_heatmap_marks_approximate_cells(close_figures):
    from analytics.plotting import metrics as plots

    ax = plots.availability_heatmap(
        metrics.availability(SMALL), glossary=load_glossary(), case_labels=CASE_LABELS, lang="en"
    )
    texts = [t.get_text() for t in ax.texts]
    assert "≈0.17" in texts and "≥5000" in texts and "5268" in texts
    assert "10; 6" in texts  # two rows: both values, none picked
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Exact", "Approximate (≈)", "At least (≥)", "Not reported"]


def test_category_dots_draw_bounds_as_open_markers(close_figures):
    from analytics.plotting import metrics as plots

    rows = metrics.comparison_rows(SMALL, ["population"])
    ax = plots.category_dots(rows, glossary=load_glossary(), case_labels=CASE_LABELS, lang="zh")
    styles = {
        (line.get_marker(), line.get_markerfacecolor() == "white")
        for line in ax.lines
        if line.get_marker() not in (None, "None", "")
    }
    assert styles == {(">", True), ("o", True), ("o", False)}  # ≥, ≈ open; exact filled
    assert ax.get_title() == "人口与规模"
    assert ax.get_xscale() == "log"  # 0.17 to 5268


def test_derived_panels_name_the_gap(close_figures):
    from analytics.plotting import metrics as plots

    derived, gaps = metrics.derive(
        table(
            row("a", "pm", "party_members", 896),
            row("a", "res", "residents", 5268),
            row("b", "pm", "party_members", 9),
        ),
        rules=[PER_1000],
    )
    fig = plots.derived_panels(
        derived, gaps, case_labels=CASE_LABELS, glossary=load_glossary(), lang="en"
    )
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["170.08", "no base (denominator)"]


def test_honours_timeline_has_an_undated_column(close_figures):
    from analytics.plotting import metrics as plots

    h = pd.DataFrame(
        {
            "case_id": ["a", "a"],
            "year": [2019, None],
            "month": [12, None],
            "title": ["甲", "乙"],
            "title_en": ["A", None],
            "kind": "award",
            "level": ["national", "district"],
            "recipient": None,
        }
    )
    fig = plots.honours_timeline(
        metrics.honours_timeline(h), glossary=load_glossary(), case_labels=CASE_LABELS, lang="en"
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "乙"]
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "Undated"

"""Tests of analytics.practices (and its figures) on small hand-built tables, plus smoke tests
on the live corpus."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import analytics
from analytics import load_glossary, qca
from analytics import practices as P
from analytics.plotting import practices as pp


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def practices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["b", "a", "a", "b", "c"],
            "practice": ["hotline", "grid_management", "hotline", "hotline", "mentoring"],
            "name": ["热线", "网格化", "热线站", "近邻热线", "师带徒"],
            "quote": ["q1", "q2", "q3", "q4", "q5"],
        }
    )


@pytest.fixture
def toy() -> SimpleNamespace:
    """A corpus-like object with four cases a..d and the tables the conditions read."""
    return SimpleNamespace(
        cases=pd.DataFrame({"case_id": ["d", "c", "b", "a"]}),
        practices=pd.DataFrame(
            {
                "case_id": ["a", "a", "b", "c"],
                "practice": ["whistle_reporting", "hotline", "whistle_reporting", "hotline"],
            }
        ),
        units=pd.DataFrame(
            {
                "case_id": ["a", "a", "a", "b", "b", "c"],
                "unit_type": [
                    "property_company",
                    "enterprise",
                    "enterprise",
                    "enterprise",
                    "residents",
                    "property_company",
                ],
            }
        ),
        structures=pd.DataFrame(
            {
                "case_id": ["a", "a", "b", "c"],
                "structure_id": ["chain", "grid", "grid", "roles"],
                "kind": ["hierarchy", "grid", "grid", "role_system"],
                "n_levels": [4, 3, 1, 5],
            }
        ),
        staffing=pd.DataFrame(
            {"case_id": ["a", "c"], "structure_id": ["grid", "roles"], "role": ["网格长", "书记"]}
        ),
        honours=pd.DataFrame(
            {
                "case_id": ["a", "b", "c"],
                "level": ["district", "provincial", "national"],
                "kind": ["award", "award", "publication"],
            }
        ),
        glossary=load_glossary(),
    )


# --------------------------------------------------------------------------- practice matrix


def test_practice_long_exact(practices):
    long = P.practice_long(
        practices, cases=["a", "b", "c", "d"], keys=["hotline", "grid_management", "mentoring"]
    )
    assert list(long.columns) == ["case_id", "practice", "present", "name", "quote"]
    assert long.values.tolist() == [
        ["a", "hotline", 1, "热线站", "q3"],
        ["a", "grid_management", 1, "网格化", "q2"],
        ["a", "mentoring", 0, "", ""],
        ["b", "hotline", 1, "热线 | 近邻热线", "q1 | q4"],
        ["b", "grid_management", 0, "", ""],
        ["b", "mentoring", 0, "", ""],
        ["c", "hotline", 0, "", ""],
        ["c", "grid_management", 0, "", ""],
        ["c", "mentoring", 1, "师带徒", "q5"],
        ["d", "hotline", 0, "", ""],
        ["d", "grid_management", 0, "", ""],
        ["d", "mentoring", 0, "", ""],
    ]
    assert long["present"].dtype == "int64"


def test_practice_long_defaults_sort_cases_and_keys(practices):
    long = P.practice_long(practices)
    assert list(dict.fromkeys(long["case_id"])) == ["a", "b", "c"]
    assert list(dict.fromkeys(long["practice"])) == ["grid_management", "hotline", "mentoring"]


def test_practice_long_rejects_unknown_practice_or_case(practices):
    with pytest.raises(ValueError, match="mentoring"):
        P.practice_long(practices, keys=["hotline", "grid_management"])
    with pytest.raises(ValueError, match=r"\['c'\]"):
        P.practice_long(practices, cases=["a", "b"])


def test_practice_matrix_exact(practices):
    keys = ["mentoring", "hotline", "grid_management"]
    m = P.practice_matrix(practices, cases=["d", "a", "b", "c"], keys=keys)
    assert m.index.tolist() == ["d", "a", "b", "c"]
    assert m.columns.tolist() == keys
    assert m.values.tolist() == [[0, 0, 0], [0, 1, 1], [0, 1, 0], [1, 0, 0]]
    assert (m.dtypes == "int64").all()
    assert (m.index.name, m.columns.name) == ("case_id", "practice")


def test_practice_matrix_without_any_practice():
    empty = pd.DataFrame({"case_id": [], "practice": [], "name": [], "quote": []}, dtype="str")
    m = P.practice_matrix(empty, cases=["a", "b"], keys=["hotline"])
    assert m.values.tolist() == [[0], [0]]


# --------------------------------------------------------------------------- conditions


def test_condition_builders(toy):
    expected = {
        "has_practice": (P.has_practice("whistle_reporting"), [True, True, False, False]),
        "has_unit_type": (P.has_unit_type("property_company"), [True, False, True, False]),
        "grid": (P.has_structure_kind("grid"), [True, True, False, False]),
        "grid_staffed": (P.has_structure_kind("grid", staffed=True), [True, False, False, False]),
        "depth4": (P.min_structure_depth(4), [True, False, False, False]),
        "depth5": (P.min_structure_depth(5), [False, False, False, False]),
        "depth5_roles": (
            P.min_structure_depth(5, kinds="role_system"),
            [False, False, True, False],
        ),
        "depth3_any": (
            P.min_structure_depth(3, ["grid", "role_system"]),
            [True, False, True, False],
        ),
        "types2": (P.min_unit_types(2), [True, True, False, False]),
        "types3": (P.min_unit_types(3), [False, False, False, False]),
        "provincial": (P.honour_at_least("provincial"), [False, True, True, False]),
        "city_award": (P.honour_at_least("city", kinds=["award"]), [False, True, False, False]),
        "district": (P.honour_at_least("district"), [True, True, True, False]),
    }
    for name, (condition, values) in expected.items():
        got = [condition(toy, case) for case in "abcd"]
        assert got == values, name
        assert all(type(v) is bool for v in got), name


def test_condition_table_exact(toy):
    conditions = {
        "WHISTLE": P.has_practice("whistle_reporting"),
        "CHAIN": P.min_structure_depth(4),
        "CUSTOM": lambda corpus, case_id: case_id in ("c", "d"),
    }
    table = P.condition_table(toy, conditions)
    assert table.index.tolist() == ["a", "b", "c", "d"]  # sorted case ids by default
    assert table.index.name == "case_id"
    assert table.columns.tolist() == ["WHISTLE", "CHAIN", "CUSTOM"]
    assert table.values.tolist() == [[1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 1]]
    assert (table.dtypes == "int64").all()
    subset = P.condition_table(toy, conditions, cases=["c", "a"])
    assert subset.index.tolist() == ["c", "a"]
    assert subset["CUSTOM"].tolist() == [1, 0]


def test_condition_table_rejects_bad_conditions(toy):
    with pytest.raises(ValueError, match="non-empty"):
        P.condition_table(toy, {})
    with pytest.raises(ValueError, match="'N' is not callable"):
        P.condition_table(toy, {"N": 3})
    with pytest.raises(ValueError, match=r"'COUNT' returned 2 for case 'a'"):
        P.condition_table(toy, {"COUNT": lambda corpus, case_id: 2})
    with pytest.raises(ValueError, match="unknown honour level 'county'"):
        P.condition_table(toy, {"H": P.honour_at_least("county")})


def test_condition_labels(toy):
    conditions = {
        "WHISTLE": P.has_practice("whistle_reporting"),
        "PROPERTY": P.has_unit_type("property_company"),
        "GRID": P.has_structure_kind("grid", staffed=True),
        "CHAIN4": P.min_structure_depth(4),
        "ANY3": P.min_structure_depth(3, kinds=["grid", "hierarchy"]),
        "NET": P.min_unit_types(15),
        "HONOUR": P.honour_at_least("city"),
        "OWN": P.Condition(lambda c, i: True, zh="自定义", en="Custom"),
        "PLAIN": lambda c, i: True,
    }
    assert P.condition_labels(conditions, toy.glossary, "zh") == {
        "WHISTLE": "吹哨报到",
        "PROPERTY": "物业企业参与",
        "GRID": "网格架构（有岗位配备）",
        "CHAIN4": "组织层级≥4级",
        "ANY3": "结构≥3级",
        "NET": "≥15类参与单位",
        "HONOUR": "市级及以上荣誉",
        "OWN": "自定义",
        "PLAIN": "PLAIN",
    }
    en = P.condition_labels(conditions, toy.glossary, "en")
    assert en["WHISTLE"] == "Whistle-and-report"
    assert en["GRID"] == "Grid setup with named posts"
    assert en["CHAIN4"] == "Party hierarchy of ≥ 4 levels"
    assert en["HONOUR"] == "City-level honour or higher"
    with pytest.raises(ValueError, match="lang"):
        P.has_practice("hotline").label(toy.glossary, "fr")


def test_condition_table_feeds_truth_table(toy):
    conditions = {
        "WHISTLE": P.has_practice("whistle_reporting"),
        "PROPERTY": P.has_unit_type("property_company"),
        "HONOUR": P.honour_at_least("provincial"),
    }
    table = P.condition_table(toy, conditions)
    tt = qca.truth_table(table, outcome="HONOUR", conditions=["WHISTLE", "PROPERTY"])
    # a: 11 -> 0, b: 10 -> 1, c: 01 -> 1, d: 00 -> 0; every configuration observed once
    assert tt.index.tolist() == [1, 2, 3, 4]
    assert tt["cases"].tolist() == ["d", "c", "b", "a"]
    assert tt["OUT"].tolist() == [0, 1, 1, 0]
    assert tt.attrs["remainders"].empty
    assert qca.minimize(tt).models == ["~WHISTLE*PROPERTY + WHISTLE*~PROPERTY"]


# --------------------------------------------------------------------------- similarity


def test_jaccard_matrix_exact():
    m = pd.DataFrame(
        {"x": [1, 1, 0, 0], "y": [1, 1, 1, 0], "z": [0, 1, 1, 0], "w": [1, 0, 0, 0]},
        index=pd.Index(["a", "b", "c", "d"], name="case_id"),
    )
    sim = P.jaccard_matrix(m)
    # a={x,y,w}, b={x,y,z}, c={y,z}, d={}
    expected = [
        [1, 2 / 4, 1 / 4, 0],
        [2 / 4, 1, 2 / 3, 0],
        [1 / 4, 2 / 3, 1, 0],
        [0, 0, 0, 1],  # d vs d: two empty sets count as identical
    ]
    np.testing.assert_allclose(sim.to_numpy(), expected)
    assert sim.index.tolist() == sim.columns.tolist() == ["a", "b", "c", "d"]
    assert sim.index.name == sim.columns.name == "case_id"


def test_jaccard_matrix_rejects_non_binary():
    with pytest.raises(ValueError, match="only 0 and 1"):
        P.jaccard_matrix(pd.DataFrame({"x": [1, 2]}))
    with pytest.raises(ValueError, match="only 0 and 1"):
        P.jaccard_matrix(pd.DataFrame({"x": [1, None]}))


def test_average_linkage_exact():
    labels = ["a", "b", "c", "d"]
    sim = pd.DataFrame(
        [[1, 0.9, 0.2, 0.1], [0.9, 1, 0.4, 0.3], [0.2, 0.4, 1, 0.6], [0.1, 0.3, 0.6, 1]],
        index=labels,
        columns=labels,
    )
    link = P.average_linkage(sim)
    assert link[["left", "right", "size"]].values.tolist() == [[0, 1, 2], [2, 3, 2], [4, 5, 4]]
    # {a,b}-{c,d}: mean distance of 0.8, 0.9, 0.6, 0.7
    np.testing.assert_allclose(link["distance"], [0.1, 0.4, 0.75])
    assert P.leaf_order(link, labels) == ["a", "b", "c", "d"]


def test_average_linkage_ties_and_order():
    labels = ["a", "b", "c"]
    sim = pd.DataFrame(np.full((3, 3), 0.5) + np.eye(3) * 0.5, index=labels, columns=labels)
    link = P.average_linkage(sim)  # all distances 0.5: merge a+b first, then {a,b}+c
    assert link[["left", "right"]].values.tolist() == [[0, 1], [3, 2]]
    sim2 = pd.DataFrame([[1, 0.1, 0.9], [0.1, 1, 0.2], [0.9, 0.2, 1]], index=labels, columns=labels)
    assert P.leaf_order(P.average_linkage(sim2), labels) == ["a", "c", "b"]


def test_average_linkage_rejects_bad_input():
    with pytest.raises(ValueError, match="square"):
        P.average_linkage(pd.DataFrame([[1, 0]]))
    with pytest.raises(ValueError, match="same cases"):
        P.average_linkage(pd.DataFrame([[1, 0], [0, 1]], index=["a", "b"], columns=["b", "a"]))
    with pytest.raises(ValueError, match="merges"):
        P.leaf_order(pd.DataFrame(columns=["left", "right", "distance", "size"]), ["a", "b"])


def test_single_case_linkage():
    sim = pd.DataFrame([[1.0]], index=["a"], columns=["a"])
    assert P.average_linkage(sim).empty
    assert P.leaf_order(P.average_linkage(sim), ["a"]) == ["a"]


# --------------------------------------------------------------------------- figures


def test_figures_use_glossary_labels(toy, practices):
    glossary = toy.glossary
    matrix = P.practice_matrix(practices, cases=["a", "b", "c"])
    ax = pp.practice_heatmap(matrix, glossary=glossary, case_labels={"a": "甲 (X)"}, lang="en")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    # most frequent first (hotline: 2 cases), then by which cases
    assert rows == ["Hotline  热线", "Grid management  网格化", "Mentoring  师带徒"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["甲\n(X)", "b", "c"]

    conditions = {"WHISTLE": P.has_practice("whistle_reporting"), "H": P.honour_at_least("city")}
    table = P.condition_table(toy, conditions)
    labels = P.condition_labels(conditions, glossary, "zh")
    ax = pp.condition_heatmap(table, labels=labels, case_labels={}, outcome="H", lang="zh")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "吹哨报到 · WHISTLE",
        "市级及以上荣誉 · H",
    ]
    assert [t.get_text() for t in ax.texts[:4]] == ["1", "1", "0", "0"]

    sim = P.jaccard_matrix(matrix)
    fig = pp.similarity_clustermap(sim, P.average_linkage(sim), case_labels={}, lang="en")
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="lang"):
        pp.similarity_clustermap(sim, P.average_linkage(sim), case_labels={}, lang="fr")


# --------------------------------------------------------------------------- live corpus


def test_live_corpus_smoke():
    corpus = analytics.load_corpus()
    keys = corpus.glossary.keys("practices")
    cases = corpus.cases["case_id"]
    matrix = P.practice_matrix(corpus.practices, cases, keys)
    assert matrix.shape == (len(cases), len(keys))
    assert int(matrix.to_numpy().sum()) == len(
        corpus.practices.drop_duplicates(["case_id", "practice"])
    )
    long = P.practice_long(corpus.practices, cases, keys)
    assert (long.loc[long["present"] == 1, "quote"] != "").all()

    conditions = {
        "WHISTLE": P.has_practice("whistle_reporting"),
        "GRID": P.has_structure_kind("grid", staffed=True),
        "CHAIN4": P.min_structure_depth(4),
        "PROPERTY": P.has_unit_type("property_company"),
        "NETWORK": P.min_unit_types(10),
        "HONOUR": P.honour_at_least("city"),
    }
    table = P.condition_table(corpus, conditions)
    assert table.index.tolist() == sorted(cases)
    assert set(np.unique(table.to_numpy())) <= {0, 1}
    if table["HONOUR"].any():
        tt = qca.truth_table(table, outcome="HONOUR", conditions=["WHISTLE", "GRID", "PROPERTY"])
        assert tt["n"].sum() == len(cases)

    for m in (matrix, table):
        sim = P.jaccard_matrix(m)
        np.testing.assert_allclose(np.diag(sim), 1.0)
        link = P.average_linkage(sim)
        assert len(link) == len(cases) - 1
        assert sorted(P.leaf_order(link, list(sim.index))) == sorted(cases)

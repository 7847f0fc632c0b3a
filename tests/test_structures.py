"""analytics.structures on small hand-built tables and trees, with exact expected values."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analytics import structures

TIERS = ["subdistrict", "community", "grid", "building", "entrance", "household"]
RANK = {t: i for i, t in enumerate(TIERS)}


def levels_table(spec: dict[tuple[str, str, str], list[str]]) -> pd.DataFrame:
    """{(case, structure, kind): [tier, ...]} -> a levels table like corpus.levels."""
    rows = []
    for (case, sid, kind), tiers in spec.items():
        for depth, tier in enumerate(tiers):
            rows.append(
                {
                    "case_id": case,
                    "structure_id": sid,
                    "kind": kind,
                    "depth": depth,
                    "name": f"{tier}-name",
                    "tier": tier,
                    "tier_rank": RANK[tier],
                    "count": pd.NA,
                    "span": pd.NA,
                    "quote": "q",
                }
            )
    return pd.DataFrame(rows).astype({"count": "Int64", "span": "Int64"})


def labelled_tree(edges: list[tuple[str, str]], labels: dict[str, str]) -> nx.DiGraph:
    tree = nx.DiGraph()
    for order, node in enumerate(labels):
        tree.add_node(node, tier=labels[node], order=order)
    tree.add_edges_from(edges)
    return tree


FOUR_LEVEL = ["community", "grid", "building", "household"]
THREE_LEVEL_GRID = ["grid", "building", "entrance"]
LEVELS = levels_table(
    {
        ("a", "chain", "hierarchy"): FOUR_LEVEL,
        ("a", "grid", "grid"): THREE_LEVEL_GRID,
        ("b", "chain", "hierarchy"): ["community", "grid", "household"],
        ("c", "council", "coordination"): ["community"],
    }
)


def test_structure_graph_is_a_top_down_chain():
    graph = structures.structure_graph(
        LEVELS[LEVELS["structure_id"].eq("chain") & LEVELS["case_id"].eq("a")]
    )
    assert list(graph.edges) == [(0, 1), (1, 2), (2, 3)]
    assert [graph.nodes[n]["tier"] for n in graph] == FOUR_LEVEL
    assert graph.graph == {"case_id": "a", "structure_id": "chain", "kind": "hierarchy"}


def test_structure_graph_rejects_mixed_structures():
    with pytest.raises(ValueError, match="more than one structure"):
        structures.structure_graph(LEVELS)


def test_tier_alignment_rows_by_case():
    table = structures.tier_alignment(LEVELS, TIERS)
    assert table.loc["a"].tolist() == [
        "",
        "community-name",
        "grid-name",
        "building-name",
        "entrance-name",
        "household-name",
    ]
    assert table.loc["b"].tolist() == ["", "community-name", "grid-name", "", "", "household-name"]
    # coordination bodies are not vertical structures: case c has no tier
    assert table.loc["c"].tolist() == [""] * 6


def test_tier_presence():
    presence = structures.tier_presence(LEVELS, TIERS)
    assert presence.loc["a"].tolist() == [0, 1, 1, 1, 1, 1]
    assert presence.loc["b"].tolist() == [0, 1, 1, 0, 0, 1]


def test_structure_measures_depth_and_skips():
    m = structures.structure_measures(LEVELS, TIERS).set_index(["case_id", "structure_id"])
    assert m.loc[("a", "chain"), "depth"] == 4
    assert m.loc[("a", "chain"), "tiers_skipped"] == "entrance"
    assert m.loc[("b", "chain"), "tiers_skipped"] == "building, entrance"
    assert m.loc[("b", "chain"), "n_skipped"] == 2
    assert m.loc[("a", "grid"), "top_tier"] == "grid"
    assert m.loc[("a", "grid"), "bottom_tier"] == "entrance"


def test_spans_from_span_rule():
    rows = levels_table({("h", "span", "span"): ["household", "entrance", "building"]})
    rows["span"] = pd.array([1, 3, 10], dtype="Int64")
    out = structures.spans(rows)
    assert out[["tier", "members_per_unit"]].values.tolist() == [
        ["building", 10],
        ["entrance", 3],
        ["household", 1],
    ]


def test_grid_staffing_joins_level_names():
    staffing = pd.DataFrame(
        {
            "case_id": ["a", "a"],
            "structure_id": ["grid", "grid"],
            "depth": [0, 0],
            "role": ["网格长", "网格员"],
            "count": pd.array([1, 3], dtype="Int64"),
            "per_unit": [True, True],
            "quote": ["q", "q"],
        }
    )
    out = structures.grid_staffing(staffing, LEVELS)
    assert out[["level", "tier", "role", "count"]].values.tolist() == [
        ["grid-name", "grid", "网格长", 1],
        ["grid-name", "grid", "网格员", 3],
    ]


def test_jaccard():
    assert structures.jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert structures.jaccard(set(), set()) == 1.0


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (FOUR_LEVEL, FOUR_LEVEL, 0),
        (FOUR_LEVEL, ["community", "grid", "household"], 1),  # delete building
        (FOUR_LEVEL, ["community", "grid", "entrance", "household"], 1),  # relabel
        (["community"], ["grid", "building", "entrance"], 3),
        (FOUR_LEVEL, THREE_LEVEL_GRID, 2),  # delete community, relabel household
    ],
)
def test_tree_edit_distance_of_chains(left, right, expected):
    def chain(tiers):
        return labelled_tree(
            [(str(i), str(i + 1)) for i in range(len(tiers) - 1)],
            {str(i): t for i, t in enumerate(tiers)},
        )

    assert structures.tree_edit_distance(chain(left), chain(right)) == expected
    assert structures.tree_edit_distance(chain(right), chain(left)) == expected


def test_tree_edit_distance_textbook_example():
    # Zhang & Shasha (1989), figure 1: f(d(a, c(b)), e) vs f(c(d(a, b)), e): distance 2.
    t1 = labelled_tree(
        [("f", "d"), ("f", "e"), ("d", "a"), ("d", "c"), ("c", "b")],
        {"f": "f", "d": "d", "a": "a", "c": "c", "b": "b", "e": "e"},
    )
    t2 = labelled_tree(
        [("f", "c"), ("f", "e"), ("c", "d"), ("d", "a"), ("d", "b")],
        {"f": "f", "c": "c", "d": "d", "a": "a", "b": "b", "e": "e"},
    )
    assert structures.tree_edit_distance(t1, t2) == 2


def test_case_tree_and_similarity():
    tree = structures.case_tree(LEVELS, "a")
    assert len(tree) == 1 + 4 + 3
    sim = structures.similarity(LEVELS).set_index(["case_a", "case_b"])
    # a: {community, grid, building, entrance, household}; b: {community, grid, household}
    assert sim.loc[("a", "b"), "tier_jaccard"] == pytest.approx(3 / 5)
    # b's tree = a's first chain minus building, and without a's grid chain (3 nodes)
    assert sim.loc[("a", "b"), "edit_distance"] == 4
    assert sim.loc[("a", "b"), "edit_similarity"] == pytest.approx(1 - 4 / 8)
    assert sim.loc[("b", "a"), "edit_distance"] == 4
    assert sim.loc[("a", "a"), "edit_distance"] == 0

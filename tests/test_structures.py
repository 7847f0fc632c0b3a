"""analytics.structures on small hand-built tables and trees, with exact expected values."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    # normalised by all levels of both trees (7 + 3), not by the larger tree
    assert sim.loc[("a", "b"), "edit_similarity"] == pytest.approx(1 - 4 / 10)
    assert sim.loc[("b", "a"), "edit_distance"] == 4
    assert sim.loc[("a", "a"), "edit_distance"] == 0


# --------------------------------------------------------------------------- additions

EN_LEVELS = LEVELS.assign(name_en=[f"{t} EN" for t in LEVELS["tier"]]).astype({"name_en": object})
EN_LEVELS.loc[EN_LEVELS["tier"].eq("grid"), "name_en"] = None  # gloss missing -> Chinese name


def test_structure_graph_carries_name_en():
    graph = structures.structure_graph(EN_LEVELS[EN_LEVELS["structure_id"].eq("grid")])
    assert [graph.nodes[n]["name_en"] for n in graph] == [None, "building EN", "entrance EN"]


def test_tier_alignment_english_glosses_fall_back_to_name():
    table = structures.tier_alignment(EN_LEVELS, ["grid", "building"], column="name_en")
    assert table.loc["a"].tolist() == ["grid-name", "building EN"]


def test_tier_alignment_keeps_only_given_tiers_and_joins_structures():
    table = structures.tier_alignment(LEVELS, ["grid", "household"], sep=" | ")
    assert list(table.columns) == ["grid", "household"]
    # case a has a grid level in both its chain and its grid setup (same name: joined once)
    assert table.loc["a"].tolist() == ["grid-name", "household-name"]
    everything = structures.tier_alignment(LEVELS, TIERS, kinds=None)
    assert everything.loc["c"].tolist() == ["", "community-name", "", "", "", ""]


def test_tier_alignment_on_no_levels():
    table = structures.tier_alignment(LEVELS.iloc[0:0], TIERS)
    assert table.shape == (0, 6)


def test_tier_counts_count_structures_not_levels():
    rows = levels_table(
        {
            ("a", "triad", "role_system"): ["grid", "grid", "household"],
            ("a", "chain", "hierarchy"): ["community", "grid"],
            ("b", "council", "coordination"): ["community"],
        }
    )
    counts = structures.tier_counts(rows, ["community", "grid", "household"])
    assert counts.to_dict("index") == {
        "a": {"community": 1, "grid": 2, "household": 1},
        "b": {"community": 0, "grid": 0, "household": 0},
    }
    assert counts.dtypes.unique().tolist() == ["int64"]


def test_level_layout_columns_and_slots():
    rows = levels_table(
        {
            ("a", "chain", "hierarchy"): ["community", "grid", "household"],
            ("a", "triad", "role_system"): ["grid", "grid", "household"],
            ("x", "council", "coordination"): ["community"],
            ("b", "modes", "span"): ["household", "household", "household"],
        }
    )
    out = structures.level_layout(rows)
    assert out[["case_id", "structure_id", "case_pos", "sub_column", "column"]].drop_duplicates(
        subset="structure_id"
    ).values.tolist() == [
        ["a", "chain", 0, 0, 0],
        ["a", "triad", 0, 1, 1],
        ["b", "modes", 1, 0, 2],
    ]
    assert out[["slot", "n_slots"]].values.tolist() == [
        [0, 1], [0, 1], [0, 1],  # chain: one level per tier
        [0, 2], [1, 2], [0, 1],  # triad: two at grid, one at household
        [0, 3], [1, 3], [2, 3],  # modes: three at household
    ]  # fmt: skip
    coordination = structures.level_layout(rows, kinds=["coordination"])
    assert coordination[["case_id", "case_pos", "column"]].values.tolist() == [["x", 0, 0]]


def test_structure_measures_rejects_unknown_tier_and_handles_empty():
    with pytest.raises(ValueError, match=r"tier\(s\) \['household'\] not in tiers"):
        structures.structure_measures(LEVELS, ["community", "grid", "building", "entrance"])
    empty = structures.structure_measures(LEVELS.iloc[0:0], TIERS)
    assert empty.empty
    assert list(empty.columns[:4]) == ["case_id", "structure_id", "kind", "depth"]


def test_structure_measures_role_triad_on_one_tier():
    rows = levels_table({("h", "triad", "role_system"): ["community", "community", "community"]})
    m = structures.structure_measures(rows, TIERS).iloc[0]
    assert (m["depth"], m["n_tiers"], m["tiers_skipped"], m["n_skipped"]) == (3, 1, "", 0)


def test_spans_keep_only_stated_rules_top_down():
    rows = levels_table(
        {
            ("h", "rule", "span"): ["building", "entrance", "household"],
            ("h", "modes", "span"): ["household", "household"],
        }
    )
    rows["span"] = pd.array([10, 3, 1, 1, pd.NA], dtype="Int64")
    rows["name_en"] = ["one building", "one entrance", "one household", "one for one", "x"]
    out = structures.spans(rows)
    assert out[["structure_id", "name_en", "members_per_unit"]].values.tolist() == [
        ["rule", "one building", 10],
        ["rule", "one entrance", 3],
        ["rule", "one household", 1],
        ["modes", "one for one", 1],
    ]
    assert structures.spans(LEVELS).empty


def test_fan_out_from_stated_counts_only():
    rows = levels_table(
        {
            ("f", "party", "hierarchy"): ["community", "grid", "household"],
            ("f", "zones", "hierarchy"): ["community", "grid"],
            ("g", "zero", "hierarchy"): ["community", "grid"],
        }
    )
    rows["count"] = pd.array([1, 10, 896, pd.NA, 3, 0, 4], dtype="Int64")
    out = structures.fan_out(rows)
    assert out[["structure_id", "parent_tier", "child_tier", "per_parent"]].values.tolist() == [
        ["party", "community", "grid", 10.0],
        ["party", "grid", "household", 89.6],
    ]
    assert out[["parent_count", "child_count"]].values.tolist() == [[1, 10], [10, 896]]
    assert structures.fan_out(LEVELS).empty  # no counts: nothing derived
    assert list(structures.fan_out(LEVELS).columns)[-1] == "per_parent"


def test_grid_staffing_order_kinds_and_missing_counts():
    rows = levels_table(
        {
            ("a", "grid", "grid"): ["grid", "building"],
            ("a", "posts", "role_system"): ["community"],
            ("a", "council", "coordination"): ["community"],
        }
    )
    rows["name_en"] = ["Grid", None, "Community", "Council"]
    staffing = pd.DataFrame(
        {
            "case_id": "a",
            "structure_id": ["council", "grid", "posts", "grid", "grid"],
            "depth": [0, 1, 0, 0, 0],
            "role": ["召集人", "楼栋长", "五岗", "网格长", "网格员"],
            "count": pd.array([pd.NA, 1, pd.NA, pd.NA, 1], dtype="Int64"),
            "per_unit": [False, True, False, True, True],
            "quote": "q",
        }
    )
    out = structures.grid_staffing(staffing, rows)
    # structures in file order, then depth, then staffing order
    assert out["role"].tolist() == ["网格长", "网格员", "楼栋长", "五岗", "召集人"]
    assert out["level_en"].tolist() == ["Grid", "Grid", "building-name", "Community", "Council"]
    assert out["count"].isna().tolist() == [True, False, False, True, True]
    vertical = structures.grid_staffing(staffing, rows, kinds=structures.VERTICAL_KINDS)
    assert vertical["role"].tolist() == ["网格长", "网格员", "楼栋长", "五岗"]
    assert structures.grid_staffing(staffing.iloc[0:0], rows).empty


def _chain(tiers: list[str]) -> nx.DiGraph:
    return labelled_tree(
        [(str(i), str(i + 1)) for i in range(len(tiers) - 1)],
        {str(i): t for i, t in enumerate(tiers)},
    )


def _levenshtein(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


TIER_CHAINS = st.lists(st.sampled_from(TIERS[1:]), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(TIER_CHAINS, TIER_CHAINS)
def test_tree_edit_distance_of_chains_is_sequence_edit_distance(left, right):
    distance = structures.tree_edit_distance(_chain(left), _chain(right))
    assert distance == _levenshtein(left, right)
    assert distance == structures.tree_edit_distance(_chain(right), _chain(left))


def test_edit_similarity_stays_in_unit_interval_for_chain_against_singletons():
    # x: one three-level chain; y: three one-level structures with other tiers.
    # Only one of x's nested levels can be matched to one of y's sibling levels:
    # relabel 1 + delete 2 + insert 2 = 5 (a larger-tree normalisation would give 1 - 5/4 < 0).
    rows = levels_table(
        {
            ("x", "chain", "hierarchy"): ["grid", "building", "entrance"],
            ("y", "s1", "role_system"): ["subdistrict"],
            ("y", "s2", "role_system"): ["community"],
            ("y", "s3", "role_system"): ["household"],
        }
    )
    sim = structures.similarity(rows).set_index(["case_a", "case_b"])
    assert sim.loc[("x", "y"), "edit_distance"] == 5
    assert sim.loc[("x", "y"), "edit_similarity"] == pytest.approx(1 - 5 / 6)
    assert sim.loc[("x", "y"), "tier_jaccard"] == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("pq"), st.sampled_from("rst")),
        TIER_CHAINS,
        min_size=1,
        max_size=5,
    )
)
def test_similarity_bounds_and_symmetry(spec):
    rows = levels_table({(case, sid, "hierarchy"): tiers for (case, sid), tiers in spec.items()})
    sim = structures.similarity(rows)
    assert sim["edit_similarity"].between(0, 1).all()
    assert sim["tier_jaccard"].between(0, 1).all()
    same = sim[sim["case_a"] == sim["case_b"]]
    assert (same["edit_distance"] == 0).all() and (same["edit_similarity"] == 1).all()
    matrix = structures.similarity_matrix(sim)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_similarity_matrix_is_square_in_case_order():
    matrix = structures.similarity_matrix(structures.similarity(LEVELS), "tier_jaccard")
    assert list(matrix.index) == ["a", "b"] == list(matrix.columns)
    assert matrix.to_numpy().tolist() == [[1.0, 0.6], [0.6, 1.0]]


def test_functions_run_on_the_corpus():
    import analytics

    corpus = analytics.load_corpus()
    tiers = corpus.glossary.keys("tiers")
    graphs = structures.corpus_structures(corpus.levels, corpus.staffing)
    assert len(graphs) == len(corpus.structures)
    assert structures.tier_counts(corpus.levels, tiers).shape == (len(corpus.cases), len(tiers))
    measures = structures.structure_measures(corpus.levels, tiers)
    assert (measures["depth"] >= measures["n_tiers"]).all()
    layout = structures.level_layout(corpus.levels)
    assert set(layout["kind"]) <= set(structures.VERTICAL_KINDS)
    sim = structures.similarity(corpus.levels)
    assert sim["edit_similarity"].between(0, 1).all()
    staffing = structures.grid_staffing(corpus.staffing, corpus.levels)
    assert len(staffing) == len(corpus.staffing)
    assert (structures.fan_out(corpus.levels)["per_parent"] > 0).all()


# --------------------------------------------------------------------------- figures


@pytest.fixture
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_label_tokens_keep_chinese_quotes_and_slashes_together():
    from analytics.plotting import structures as plots

    assert [t for t, _ in plots._tokens("社区“大党委”")] == ["社", "区", "“大", "党", "委”"]
    assert plots._tokens("Household / member") == [("Household /", ""), ("member", " ")]
    assert plots._tokens("Party-member households") == [
        ("Party-", ""),
        ("member", ""),
        ("households", " "),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="社区党委网格楼栋 abcdefgh-“”", min_size=1, max_size=30),
    st.floats(min_value=12, max_value=60),
)
def test_wrapped_lines_fit_and_keep_the_text(text, width):
    from analytics.plotting import structures as plots

    lines = plots._wrap(text, width, 5.5)
    assert all(plots._width(line, 5.5) <= width + 1e-6 for line in lines)
    squeeze = "".join(text.split())
    assert "".join("".join(lines).split()).replace("-", "") == squeeze.replace("-", "")


def test_fill_widths_gives_minimums_then_equal_shares():
    from analytics.plotting import structures as plots

    assert plots._fill_widths([10, 40, 10], 90) == [25.0, 40, 25.0]
    assert plots._fill_widths([10, 10], 60) == [30.0, 30.0]
    # too narrow: everyone shrinks in proportion
    assert plots._fill_widths([30, 60], 60) == [20.0, 40.0]


def _boxes(ax):
    from matplotlib.patches import FancyBboxPatch

    return [p.get_bbox() for p in ax.patches if isinstance(p, FancyBboxPatch)]


@pytest.mark.usefixtures("_close_figures")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_structure_trees_draws_every_level_without_overlap(lang):
    import analytics
    from analytics.plotting import structures as plots

    rows = levels_table(
        {
            ("a", "chain", "hierarchy"): ["community", "grid", "building", "household"],
            ("a", "triad", "role_system"): ["grid", "grid", "household"],
            ("b", "rule", "span"): ["building", "entrance", "household"],
        }
    )
    rows["name_en"] = [f"A rather long English gloss {i}" for i in range(len(rows))]
    glossary = analytics.load_glossary()
    ax = plots.structure_trees(
        structures.level_layout(rows),
        glossary=glossary,
        case_labels={"a": "甲社区（某区）", "b": "乙社区（某区）"},
        lang=lang,
    )
    boxes = _boxes(ax)
    assert len(boxes) == len(rows)
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not one.overlaps(other)
    # links: chain 3 (one skips entrance), triad 2 (one skips building+entrance), rule 2
    links = [line for line in ax.lines if len(line.get_xdata()) == 2 and line.get_zorder() == 2]
    dashed = [line for line in links if line.get_linestyle() != "-"]
    vertical = [line for line in links if line.get_xdata()[0] == line.get_xdata()[1]]
    assert len(vertical) == 7
    assert len([line for line in dashed if line in vertical]) == 2
    top_tick = ax.get_yticklabels()[0].get_text()
    assert top_tick == glossary.label("tiers", "community", lang)


@pytest.mark.usefixtures("_close_figures")
def test_staffing_chart_labels_roles_in_english_from_the_glossary():
    import analytics
    from analytics.plotting import structures as plots

    staffing = pd.DataFrame(
        {
            "case_id": "a",
            "structure_id": "grid",
            "kind": "grid",
            "depth": 0,
            "level": "网格",
            "level_en": "Grid",
            "tier": "grid",
            "role": ["网格长", "未知岗位"],
            "count": pd.array([1, pd.NA], dtype="Int64"),
            "per_unit": [True, False],
        }
    )
    ax = plots.staffing_chart(
        staffing, glossary=analytics.load_glossary(), case_labels={"a": "A"}, lang="en"
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Grid › Grid leader", "Grid › 未知岗位"]
    assert "number not stated" in [t.get_text() for t in ax.texts]

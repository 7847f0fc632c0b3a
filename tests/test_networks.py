"""analytics.networks (and its figures) on small hand-built tables and graphs, exact values."""

from __future__ import annotations

import copy
import math
from itertools import combinations
from types import SimpleNamespace

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import analytics
from analytics import networks
from analytics.plotting import networks as plots

GLOSSARY = analytics.load_glossary()


def units_table(rows: list[tuple[str, str, str, str | None, str]]) -> pd.DataFrame:
    """[(case, unit_id, name, name_en, unit_type)] -> a table like corpus.units."""
    frame = pd.DataFrame(rows, columns=["case_id", "unit_id", "name", "name_en", "unit_type"])
    return frame.assign(quote=lambda f: f["name"])


def ties_table(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    """[(case, source, target, relation, resource)] -> a table like corpus.ties."""
    frame = pd.DataFrame(rows, columns=["case_id", "source", "target", "relation", "resource"])
    return frame.assign(note=None, quote="q")


UNITS = units_table(
    [
        ("a", "p", "社区党委", "Community party committee", "community_party_committee"),
        ("a", "w", "物业公司", None, "property_company"),
        ("a", "r", "居民", "Residents", "residents"),
        ("a", "m", "党员", "Members", "party_group"),
        ("b", "q", "社区党总支", "General branch", "community_party_committee"),
        ("b", "v", "志愿者", "Volunteers", "volunteer_team"),
        ("b", "s", "居民", "Residents", "residents"),
        ("b", "t", "居民代表", "Representatives", "residents"),
    ]
)
TIES = ties_table(
    [
        ("a", "p", "w", "leads", None),
        ("a", "p", "w", "supervision", "information"),
        ("a", "w", "r", "service", "venue+services"),
        ("a", "m", "r", "service", None),
        ("a", "r", "m", "deliberation", None),
        ("b", "q", "v", "leads", None),
        ("b", "v", "s", "service", "services"),
        ("b", "s", "t", "deliberation", None),
    ]
)
CASES = pd.DataFrame({"case_id": ["a", "b"], "focal_unit": ["p", "q"]})
CORPUS = SimpleNamespace(cases=CASES, units=UNITS, ties=TIES, glossary=GLOSSARY)


# --------------------------------------------------------------------------- graphs


def test_case_graph_nodes_edges_and_attributes():
    g = networks.case_graph(CORPUS, "a")
    assert isinstance(g, nx.MultiDiGraph)
    assert g.graph == {"case_id": "a", "focal_unit": "p"}
    assert sorted(g.nodes) == ["m", "p", "r", "w"]
    assert g.nodes["w"] == {
        "name": "物业公司",
        "name_en": "Property company",  # no gloss: the unit type's English label
        "unit_type": "property_company",
        "unit_type_zh": "物业企业",
        "unit_type_en": "Property company",
        "unit_group": "market",
        "focal": False,
        "quote": "物业公司",
    }
    assert g.nodes["p"]["focal"] is True
    assert sorted(g.edges(keys=True, data="relation"), key=lambda e: e[2]) == [
        ("p", "w", 0, "leads"),
        ("p", "w", 1, "supervision"),
        ("w", "r", 2, "service"),
        ("m", "r", 3, "service"),
        ("r", "m", 4, "deliberation"),
    ]
    assert g.edges["w", "r", 2] == {
        "relation": "service",
        "relation_group": "service",
        "resource": "services+venue",  # sorted keys
        "quote": "q",
        "note": "",
    }
    assert g.edges["p", "w", 0]["resource"] == ""


def test_case_graph_ignores_other_cases_and_rejects_dangling_ties():
    assert sorted(networks.case_graph(CORPUS, "b").nodes) == ["q", "s", "t", "v"]
    with pytest.raises(KeyError, match="no case 'z'"):
        networks.case_graph(CORPUS, "z")
    bad = pd.concat([TIES, ties_table([("a", "p", "ghost", "leads", None)])])
    with pytest.raises(ValueError, match="tie 5 target 'ghost' is not a unit"):
        networks.graph_from_tables(UNITS, bad, case_id="a")


def test_graph_without_glossary_or_focal_still_builds():
    g = networks.graph_from_tables(UNITS, TIES, case_id="a")
    assert g.graph["focal_unit"] == ""
    assert g.nodes["w"]["name_en"] == "property_company"
    assert g.nodes["w"]["unit_group"] == ""
    assert not any(focal for _, focal in g.nodes(data="focal"))


def test_case_graphs_follow_the_cases_table():
    assert list(networks.case_graphs(CORPUS)) == ["a", "b"]


def test_pooled_graph_counts_cases_per_type_pair():
    pooled = networks.pooled_graph(CORPUS)
    assert isinstance(pooled, nx.DiGraph) and not pooled.is_multigraph()
    assert pooled.graph == {
        "case_ids": "a+b",
        "n_cases": 2,
        "focal_unit": "community_party_committee",
    }
    assert sorted(pooled.nodes) == [
        "community_party_committee",
        "party_group",
        "property_company",
        "residents",
        "volunteer_team",
    ]
    assert pooled.nodes["residents"] == {
        "name": "居民",
        "name_en": "Residents",
        "unit_type_zh": "居民",
        "unit_type_en": "Residents",
        "unit_group": "residents",
        "unit_type": "residents",
        "n_cases": 2,
        "n_units": 3,
    }
    edges = {(u, v): d for u, v, d in pooled.edges(data=True)}
    assert edges[("community_party_committee", "property_company")] == {
        "weight": 1,
        "n_ties": 2,
        "relations": "leads+supervision",
        "resources": "information",
        "cases": "a",
    }
    # residents -> residents (居民 -> 居民代表 in b) is a self-loop of the type graph
    assert edges[("residents", "residents")]["cases"] == "b"
    assert edges[("party_group", "residents")]["weight"] == 1
    assert edges[("residents", "party_group")]["relations"] == "deliberation"
    assert pooled.number_of_edges() == 7


def test_pool_graphs_weight_is_the_number_of_cases_and_focal_type_is_the_mode():
    def one(case_id: str, focal_type: str) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph(case_id=case_id, focal_unit="f")
        g.add_node("f", unit_type=focal_type)
        g.add_node("x", unit_type="residents")
        g.add_edge("f", "x", relation="service", resource="services")
        g.add_edge("f", "x", relation="service", resource="")
        return g

    pooled = networks.pool_graphs(
        [one("c1", "party_branch"), one("c2", "party_branch"), one("c3", "grid_team")]
    )
    assert pooled.edges["party_branch", "residents"]["weight"] == 2
    assert pooled.edges["party_branch", "residents"]["n_ties"] == 4
    assert pooled.edges["grid_team", "residents"]["weight"] == 1
    assert pooled.graph["focal_unit"] == "party_branch"
    # a tie between the counts is broken alphabetically
    tie = networks.pool_graphs([one("c1", "party_branch"), one("c2", "grid_team")])
    assert tie.graph["focal_unit"] == "grid_team"
    empty = networks.pool_graphs([])
    assert (empty.number_of_nodes(), empty.graph["focal_unit"], empty.graph["n_cases"]) == (
        0,
        "",
        0,
    )


# --------------------------------------------------------------------------- measures


def test_simple_projection_merges_direction_and_parallel_ties_and_drops_loops():
    g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "b"), ("c", "c"), ("b", "c")])
    s = networks.simple_projection(g)
    assert not s.is_directed() and not s.is_multigraph()
    assert sorted(map(sorted, s.edges)) == [["a", "b"], ["b", "c"]]
    assert sorted(s.nodes) == ["a", "b", "c"]


def star() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(case_id="star", focal_unit="p")
    for leaf in "abcd":
        g.add_node(leaf, unit_type="residents")
        g.add_edge("p", leaf, resource="services" if leaf == "a" else "")
    g.nodes["p"]["unit_type"] = "community_party_committee"
    return g


def meshed() -> nx.MultiDiGraph:
    """p - a twice (parallel ties), and a triangle a-b-c among the others."""
    g = nx.MultiDiGraph(case_id="mesh", focal_unit="p")
    g.add_nodes_from(["p", "a", "b", "c"], unit_type="residents")
    g.add_edge("p", "a", resource="funds")
    g.add_edge("p", "a", resource="")
    g.add_edge("a", "b", resource="")
    g.add_edge("b", "c", resource="")
    g.add_edge("c", "a", resource="")
    return g


def test_measures_of_a_star():
    m = networks.case_measures(star())
    assert m == {
        "units": 5,
        "ties": 4,
        "unit_types": 2,
        "density": 0.4,  # 4 of 10 pairs
        "centralization": 1.0,
        "focal_degree": 1.0,
        "focal_betweenness": 1.0,
        "focal_rank": 1,
        "resource_share": 0.25,
        "focal_tie_share": 1.0,
        "other_tie_share": 0.0,
        "pattern": "hub",
    }


def test_measures_of_a_meshed_graph_with_parallel_ties():
    m = networks.case_measures(meshed())
    assert m["units"] == 4 and m["ties"] == 5 and m["unit_types"] == 1
    assert m["density"] == pytest.approx(4 / 6)  # p-a, a-b, b-c, c-a of 6 pairs
    assert m["focal_degree"] == pytest.approx(1 / 3)
    assert m["focal_betweenness"] == 0.0  # p is a leaf
    assert m["focal_rank"] == 4  # a (3 partners), b and c (2) rank above p (1)
    assert m["centralization"] == pytest.approx(4 / 6)  # (2 + 0 + 1 + 1) / (3 * 2)
    assert m["resource_share"] == pytest.approx(1 / 5)
    assert m["focal_tie_share"] == pytest.approx(2 / 5)  # both parallel ties count
    assert m["other_tie_share"] == pytest.approx(3 / 5)
    assert m["pattern"] == "mesh"


def test_betweenness_ignores_direction():
    # a -> p <- b: no directed path a..b, but p lies on the undirected one
    g = nx.MultiDiGraph(focal_unit="p")
    g.add_edges_from([("a", "p"), ("b", "p")], resource="")
    assert networks.case_measures(g)["focal_betweenness"] == 1.0


def test_measures_edge_cases():
    empty = networks.case_measures(nx.MultiDiGraph(focal_unit="p"))
    assert (empty["units"], empty["ties"], empty["unit_types"], empty["pattern"]) == (0, 0, 0, "")
    assert all(
        math.isnan(empty[k])
        for k in ("density", "centralization", "focal_degree", "resource_share", "focal_tie_share")
    )
    no_focal = networks.case_measures(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    assert no_focal["density"] == pytest.approx(2 / 3)
    assert math.isnan(no_focal["focal_degree"]) and math.isnan(no_focal["focal_tie_share"])
    assert no_focal["pattern"] == ""
    missing_focal = networks.case_measures(nx.MultiDiGraph([("a", "b")], focal_unit="zz"))
    assert math.isnan(missing_focal["focal_betweenness"])
    pair = networks.case_measures(nx.MultiDiGraph([("p", "a")], focal_unit="p"))
    assert math.isnan(pair["centralization"])  # undefined below three units
    assert (pair["focal_betweenness"], pair["focal_degree"], pair["density"]) == (0.0, 1.0, 1.0)
    isolated = networks.case_measures(nx.MultiDiGraph(nx.empty_graph(3), focal_unit=0))
    assert isolated["density"] == 0.0 and isolated["centralization"] == 0.0
    assert math.isnan(isolated["focal_tie_share"]) and isolated["focal_rank"] == 1


def test_pattern_threshold():
    assert networks.pattern(0.5) == "hub"
    assert networks.pattern(0.49) == "mesh"
    assert networks.pattern(0.4, threshold=0.4) == "hub"
    assert networks.pattern(float("nan")) == ""
    assert networks.case_measures(meshed(), threshold=0.4)["pattern"] == "hub"


def test_measures_table():
    table = networks.measures([star(), meshed()])
    assert list(table.index) == ["star", "mesh"]
    assert table.index.name == "case_id"
    assert list(table.columns) == [
        "units",
        "ties",
        "unit_types",
        "density",
        "centralization",
        "focal_degree",
        "focal_betweenness",
        "focal_rank",
        "resource_share",
        "focal_tie_share",
        "other_tie_share",
        "pattern",
    ]
    assert table["units"].tolist() == [5, 4]
    assert str(table["units"].dtype) == "int64" and str(table["focal_rank"].dtype) == "Int64"
    assert table["pattern"].tolist() == ["hub", "mesh"]
    assert networks.measures([]).empty


# --------------------------------------------------------------------------- tables


def test_unit_type_matrix():
    matrix = networks.unit_type_matrix(UNITS, order=["residents", "community_party_committee"])
    assert matrix.index.tolist() == ["a", "b"]
    assert matrix.columns.tolist() == [
        "residents",
        "community_party_committee",
        "party_group",  # not in order: alphabetically after
        "property_company",
        "volunteer_team",
    ]
    assert matrix.to_numpy().tolist() == [[1, 1, 1, 1, 0], [2, 1, 0, 0, 1]]
    assert (matrix.index.name, matrix.columns.name) == ("case_id", "unit_type")


def test_type_recurrence_counts_cases_stably():
    matrix = networks.unit_type_matrix(UNITS, order=GLOSSARY.keys("unit_types"))
    recurrence = networks.type_recurrence(matrix)
    assert recurrence.to_dict() == {
        "community_party_committee": 2,
        "residents": 2,
        "party_group": 1,
        "property_company": 1,
        "volunteer_team": 1,
    }
    assert list(recurrence.index[:2]) == ["community_party_committee", "residents"]


def test_relation_resources_ties_and_cases():
    table = networks.relation_resources(
        TIES, relations=GLOSSARY.keys("relation_types"), resources=GLOSSARY.keys("resources")
    )
    assert table.index.tolist() == ["leads", "deliberation", "supervision", "service"]
    assert table.columns.tolist() == ["venue", "services", "information", "none"]
    assert table.loc["service"].tolist() == [1, 2, 0, 1]
    assert table.loc["leads"].tolist() == [0, 0, 0, 2]
    cases = networks.relation_resources(TIES, count="cases")
    assert cases.index.tolist() == ["deliberation", "leads", "service", "supervision"]
    assert cases.columns.tolist() == ["information", "services", "venue", "none"]
    assert cases.loc["service"].tolist() == [0, 2, 1, 1]
    assert cases.loc["leads", "none"] == 2
    with pytest.raises(ValueError, match="count must be 'ties' or 'cases'"):
        networks.relation_resources(TIES, count="units")


def test_relation_resources_without_any_resource_has_only_the_none_column():
    table = networks.relation_resources(ties_table([("a", "x", "y", "leads", None)]))
    assert table.to_dict("index") == {"leads": {"none": 1}}


# --------------------------------------------------------------------------- export


def _plain(graph: nx.Graph, drop: tuple[str, ...] = ()) -> tuple:
    nodes = {n: {k: v for k, v in d.items() if k not in drop} for n, d in graph.nodes(data=True)}
    if graph.is_multigraph():
        edges = {
            (u, v, k): {a: x for a, x in d.items() if a not in drop}
            for u, v, k, d in graph.edges(keys=True, data=True)
        }
    else:
        edges = {
            (u, v): {a: x for a, x in d.items() if a not in drop}
            for u, v, d in graph.edges(data=True)
        }
    return nodes, edges


@pytest.mark.parametrize("name", ["a", "pooled"])
def test_export_round_trip_keeps_nodes_edges_attributes_and_chinese(tmp_path, name):
    graph = networks.pooled_graph(CORPUS) if name == "pooled" else networks.case_graph(CORPUS, "a")
    graphml = networks.export_graph(graph, tmp_path / f"{name}.graphml")
    gexf = networks.export_graph(graph, tmp_path / f"{name}.gexf")
    for path in (graphml, gexf):
        raw = path.read_bytes()
        assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        assert "居民".encode() in raw and b"&#" not in raw
        assert b"lastmodifieddate" not in raw

    back = nx.read_graphml(graphml, force_multigraph=graph.is_multigraph())
    assert type(back) is type(graph)
    assert _plain(back) == _plain(graph)
    assert {k: back.graph[k] for k in graph.graph} == graph.graph

    back = nx.read_gexf(gexf)
    assert back.is_directed()
    assert _plain(back, drop=("label", "id")) == _plain(graph)
    if name == "a":
        assert back.nodes["w"]["label"] == "物业公司"  # Gephi shows the unit's name
        assert back.nodes["p"]["focal"] is True


def test_export_bytes_are_deterministic(tmp_path):
    graph = networks.case_graph(CORPUS, "a")
    shuffled = nx.MultiDiGraph(**graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    for suffix in (".graphml", ".gexf"):
        first = networks.export_graph(graph, tmp_path / f"one{suffix}").read_bytes()
        again = networks.export_graph(graph, tmp_path / f"one{suffix}").read_bytes()
        other = networks.export_graph(shuffled, tmp_path / f"two{suffix}").read_bytes()
        assert first == again == other


def test_export_makes_values_scalar_and_checks_the_suffix(tmp_path):
    g = nx.DiGraph(note=None)
    g.add_node("x", tags=["b", "a"], missing=float("nan"), n=3)
    path = networks.export_graph(g, tmp_path / "sub" / "g.graphml")
    back = nx.read_graphml(path)
    assert back.nodes["x"] == {"tags": "a+b", "missing": "", "n": 3}
    assert back.graph["note"] == ""
    with pytest.raises(ValueError, match=r"suffix must be \.graphml or \.gexf"):
        networks.export_graph(g, tmp_path / "g.json")


def test_export_graphs_names_the_files(tmp_path):
    paths = networks.export_graphs({"a": star(), "pooled": nx.DiGraph([(1, 2)])}, tmp_path)
    assert [p.name for p in paths] == ["a.graphml", "a.gexf", "pooled.graphml", "pooled.gexf"]
    assert all(p.is_file() for p in paths)


# --------------------------------------------------------------------------- figures


def test_every_unit_type_has_its_own_colour_and_marker():
    styles = plots.unit_styles(GLOSSARY)
    assert set(styles) == set(GLOSSARY.keys("unit_types"))
    assert len(set(styles.values())) == len(styles)
    assert styles["party_branch"][0] == styles["party_group"][0]  # same group, same colour


def test_wheel_layout_puts_the_focal_unit_at_the_centre():
    g = nx.Graph([("p", "c"), ("p", "a"), ("a", "b"), ("p", "d")])
    pos = plots.wheel_layout(g, "p")
    assert pos == {
        "p": (0.0, 0.0),
        "a": (0.0, 1.0),
        "b": (1.0, 0.0),
        "c": (0.0, -1.0),
        "d": (-1.0, 0.0),
    }
    assert plots.wheel_layout(g, "p") == pos  # deterministic
    assert set(plots.wheel_layout(g)) == set(g)  # no focal: all on the ring
    assert plots.wheel_layout(nx.Graph()) == {}


def test_place_labels_never_overlap_when_points_coincide():
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.set(xlim=(-1, 1), ylim=(-1, 1))
    texts = plots.place_labels(ax, [(0.0, 0.0, f"label {i}", 3.0) for i in range(8)])
    boxes = [t.get_window_extent() for t in texts]
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    plt.close(fig)


def _corners(text) -> np.ndarray:
    """The four corners (display px) of a possibly rotated text's own rectangle."""
    angle = math.radians(text.get_rotation())
    flat = copy.copy(text)
    flat.set_rotation(0)
    box = flat.get_window_extent()
    anchor = text.get_transform().transform(text.get_position())
    corners = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return (corners - anchor) @ turn.T + anchor


def _polygons_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test for two convex polygons."""
    for poly in (a, b):
        for i in range(len(poly)):
            edge = poly[(i + 1) % len(poly)] - poly[i]
            axis = np.array([-edge[1], edge[0]])
            pa, pb = a @ axis, b @ axis
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return False
    return True


def _boxes_overlap(texts) -> list[tuple[str, str]]:
    shapes = [(t.get_text(), _corners(t)) for t in texts]
    return [(a, b) for (a, x), (b, y) in combinations(shapes, 2) if _polygons_overlap(x, y)]


def test_overlap_check_sees_crossing_rotated_labels():
    fig, ax = plt.subplots()
    flat = ax.text(0.5, 0.5, "horizontal label", ha="center", va="center")
    upright = ax.text(0.5, 0.5, "vertical label", rotation=90, rotation_mode="anchor")
    apart = ax.text(0.05, 0.05, "far", rotation=45, rotation_mode="anchor")
    fig.draw_without_rendering()
    assert _boxes_overlap([flat, upright, apart]) == [("horizontal label", "vertical label")]
    plt.close(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_largest_case_figure_names_every_unit_without_overlaps(lang):
    corpus = analytics.load_corpus()
    graphs = networks.case_graphs(corpus)
    largest = max(graphs.values(), key=nx.number_of_nodes)
    fig = plots.network_figure(largest, glossary=corpus.glossary, lang=lang)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    assert len(ax.texts) == largest.number_of_nodes()
    assert _boxes_overlap(ax.texts) == []
    inside = fig.bbox
    assert all(inside.containsx(t.get_window_extent().x0) for t in ax.texts)
    plt.close(fig)


def test_small_multiples_label_the_focal_unit_and_top_k():
    graphs = networks.case_graphs(CORPUS)
    fig = plots.case_networks(graphs, glossary=GLOSSARY, case_labels={"a": "A"}, lang="en", top_k=1)
    panels = fig.axes[:2]
    assert [p.get_title().splitlines()[0] for p in panels] == ["A", "b"]
    # focal unit p, then the best-connected other (w and r have two partners; r sorts first)
    assert sorted(t.get_text() for t in panels[0].texts) == [
        "Community party\ncommittee",
        "Residents",
    ]
    for panel in panels:
        assert len(panel.texts) == 2
        assert _boxes_overlap(panel.texts) == []
    plt.close(fig)


def test_network_rejects_bad_labels():
    with pytest.raises(ValueError, match="labels must be 'all' or an int"):
        plots.network(star(), glossary=GLOSSARY, labels="some")


# --------------------------------------------------------------------------- smoke


def test_runs_on_the_corpus(tmp_path):
    corpus = analytics.load_corpus()
    graphs = networks.case_graphs(corpus)
    assert list(graphs) == corpus.cases["case_id"].tolist()
    for case_id, graph in graphs.items():
        assert graph.number_of_nodes() == (corpus.units["case_id"] == case_id).sum()
        assert graph.number_of_edges() == (corpus.ties["case_id"] == case_id).sum()
        assert graph.graph["focal_unit"] in graph
    table = networks.measures(graphs.values())
    assert table["focal_tie_share"].between(0, 1).all()
    pooled = networks.pooled_graph(corpus)
    assert pooled.number_of_nodes() == corpus.units["unit_type"].nunique()
    assert networks.unit_type_matrix(corpus.units).to_numpy().sum() == len(corpus.units)
    rr = networks.relation_resources(corpus.ties)
    assert rr["none"].sum() == corpus.ties["resource"].isna().sum()
    written = networks.export_graphs({**graphs, "pooled": pooled}, tmp_path)
    assert len(written) == 2 * (len(graphs) + 1)

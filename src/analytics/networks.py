"""Co-building networks: each case's units and ties as a graph, the pooled unit-type network,
measures of the party organisation's position, and GraphML/GEXF export for Gephi, Cytoscape or
igraph.

Pure functions over the corpus's tidy ``units`` and ``ties`` tables and over networkx graphs.

Conventions (they matter for every measure below):

- A **case graph** is a ``networkx.MultiDiGraph``: one node per unit (id = ``unit_id``), one
  edge per curated tie, directed as coded (actor → the one acted on or served), edge key = the
  tie's position in the case file. Two units can be joined by several ties (e.g. a committee
  that *leads*, *supervises* and *evaluates* the same branches).
- Missing text values are stored as ``""`` (GraphML and GEXF hold scalars only), multi-valued
  ones as ``'+'``-joined sorted keys (``resource = "information+services"``).
- **Structural measures** (density, degree, betweenness, centralisation) use the *simple
  undirected projection* (:func:`simple_projection`): a pair of units counts as tied when any
  tie joins them in either direction, parallel ties collapse into one, self-loops are dropped.
  Direction in these texts records who acts on whom, not whether a path exists for resources
  to travel, and parallel ties would otherwise count the same partner twice.
- **Tie shares** (resources, ties at the focal unit) count the ties themselves (multi-edges).

>>> import analytics
>>> corpus = analytics.load_corpus()
>>> graph = case_graph(corpus, "hefei-baohe-qingnian")
>>> graph.graph["focal_unit"], graph.number_of_nodes() == len(
...     corpus.units.query("case_id == 'hefei-baohe-qingnian'"))
('qingnian-committee', True)
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, Literal, Protocol

import networkx as nx
import numpy as np
import pandas as pd

from analytics.glossary import Glossary

__all__ = [
    "NO_RESOURCE",
    "PATTERNS",
    "case_graph",
    "case_graphs",
    "case_measures",
    "export_graph",
    "export_graphs",
    "graph_from_tables",
    "measures",
    "pattern",
    "pool_graphs",
    "pooled_graph",
    "relation_resources",
    "simple_projection",
    "type_recurrence",
    "unit_type_matrix",
]

#: Column of :func:`relation_resources` for ties whose text names no resource.
NO_RESOURCE = "none"
#: Keys of :func:`pattern`: the focal unit holds most ties (``hub``) or not (``mesh``).
PATTERNS: tuple[str, ...] = ("hub", "mesh")
#: File suffixes :func:`export_graph` writes.
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf")


class _CorpusLike(Protocol):
    cases: pd.DataFrame
    units: pd.DataFrame
    ties: pd.DataFrame
    glossary: Glossary


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str:
    """A table cell as graph text: missing (None, NaN, pd.NA) becomes ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _group_of(glossary: Glossary | None, vocabulary: str) -> dict[str, str]:
    """member key -> group key, from a glossary vocabulary whose entries list ``members``."""
    if glossary is None:
        return {}
    out: dict[str, str] = {}
    for group, entry in glossary.entries.get(vocabulary, {}).items():
        for member in entry.get("members", []) or []:
            out.setdefault(member, group)
    return out


def _split(joined: str) -> list[str]:
    return [part for part in joined.split("+") if part]


# --------------------------------------------------------------------------- graphs


def graph_from_tables(
    units: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    case_id: str,
    focal_unit: str | None = None,
    glossary: Glossary | None = None,
) -> nx.MultiDiGraph:
    """One case's units and ties (rows of ``corpus.units`` / ``corpus.ties``) as a MultiDiGraph.

    Node attributes: ``name``, ``name_en`` (the unit type's English label when the case file
    gives no gloss), ``unit_type``, ``unit_type_zh``, ``unit_type_en``, ``unit_group`` (glossary
    ``unit_groups``; ``""`` if none), ``focal`` (bool) and ``quote``. Edge attributes:
    ``relation``, ``relation_group`` (glossary ``relation_groups``), ``resource``, ``quote``,
    ``note``. Graph attributes: ``case_id`` and ``focal_unit`` (``""`` when unknown). Rows of
    other cases are ignored. Raises ``ValueError`` when a tie names a unit that is not there.

    >>> units = pd.DataFrame({"case_id": "c", "unit_id": ["p", "v"], "name": ["党委", "志愿者"],
    ...     "name_en": ["Party committee", None], "unit_type": ["community_party_committee",
    ...     "volunteer_team"]})
    >>> ties = pd.DataFrame({"case_id": "c", "source": ["p"], "target": ["v"],
    ...     "relation": ["leads"], "resource": [None]})
    >>> g = graph_from_tables(units, ties, case_id="c", focal_unit="p")
    >>> list(g.edges(keys=True, data="relation")), g.nodes["v"]["name_en"]
    ([('p', 'v', 0, 'leads')], 'volunteer_team')
    """
    mine_units = units[units["case_id"] == case_id]
    mine_ties = ties[ties["case_id"] == case_id]
    unit_groups = _group_of(glossary, "unit_groups")
    relation_groups = _group_of(glossary, "relation_groups")

    def type_label(key: str, lang: str) -> str:
        return glossary.label("unit_types", key, lang) if glossary is not None else key

    graph = nx.MultiDiGraph(case_id=case_id, focal_unit=_text(focal_unit))
    for row in mine_units.to_dict("records"):
        unit_type = _text(row.get("unit_type"))
        graph.add_node(
            row["unit_id"],
            name=_text(row.get("name")),
            name_en=_text(row.get("name_en")) or type_label(unit_type, "en"),
            unit_type=unit_type,
            unit_type_zh=type_label(unit_type, "zh"),
            unit_type_en=type_label(unit_type, "en"),
            unit_group=unit_groups.get(unit_type, ""),
            focal=row["unit_id"] == focal_unit,
            quote=_text(row.get("quote")),
        )
    for key, row in enumerate(mine_ties.to_dict("records")):
        for end in ("source", "target"):
            if row[end] not in graph:
                raise ValueError(f"case {case_id!r}: tie {key} {end} {row[end]!r} is not a unit")
        relation = _text(row.get("relation"))
        graph.add_edge(
            row["source"],
            row["target"],
            key=key,
            relation=relation,
            relation_group=relation_groups.get(relation, ""),
            resource="+".join(sorted(_split(_text(row.get("resource"))))),
            quote=_text(row.get("quote")),
            note=_text(row.get("note")),
        )
    return graph


def case_graph(corpus: _CorpusLike, case_id: str) -> nx.MultiDiGraph:
    """The co-building network of one case of a corpus (see :func:`graph_from_tables`).

    ``focal_unit`` comes from ``corpus.cases`` (the party organisation at the centre).

    >>> import analytics
    >>> g = case_graph(analytics.load_corpus(), "beijing-chaoyang-hongmiao")
    >>> g.nodes[g.graph["focal_unit"]]["unit_type"]
    'community_party_committee'
    """
    rows = corpus.cases[corpus.cases["case_id"] == case_id]
    if rows.empty:
        raise KeyError(f"no case {case_id!r}")
    focal = _text(rows.iloc[0].get("focal_unit")) or None
    return graph_from_tables(
        corpus.units, corpus.ties, case_id=case_id, focal_unit=focal, glossary=corpus.glossary
    )


def case_graphs(corpus: _CorpusLike) -> dict[str, nx.MultiDiGraph]:
    """Every case's network, keyed by case id in the order of ``corpus.cases``.

    >>> import analytics
    >>> len(case_graphs(analytics.load_corpus()))
    5
    """
    return {case_id: case_graph(corpus, case_id) for case_id in corpus.cases["case_id"]}


def pool_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.DiGraph:
    """Pool case graphs into one DiGraph of unit *types* (tie source type → target type).

    Node attributes: ``unit_type``, ``name`` / ``name_en`` (the type's zh / en label, as in a
    case graph), ``unit_type_zh``, ``unit_type_en``, ``unit_group``, ``n_cases`` (cases with a
    unit of that type) and ``n_units``. Edge attributes: ``weight``
    (number of cases with at least one such tie), ``n_ties`` (ties in all cases), and the
    ``relations``, ``resources`` and ``cases`` seen, as sorted ``'+'``-joined strings. A tie
    between two units of the same type is a self-loop. Graph attributes: ``case_ids``
    (``'+'``-joined), ``n_cases`` and ``focal_unit`` = the type of most cases' focal unit
    (ties broken alphabetically), so pooled and case graphs draw alike.

    >>> units = pd.DataFrame({"case_id": ["a", "a", "b", "b"], "unit_id": ["p", "v", "q", "w"],
    ...     "name": "x", "unit_type": ["community_party_committee", "volunteer_team"] * 2})
    >>> ties = pd.DataFrame({"case_id": ["a", "b", "b"], "source": ["p", "q", "q"],
    ...     "target": ["v", "w", "w"], "relation": ["leads", "leads", "service"],
    ...     "resource": [None, None, "services"]})
    >>> graphs = [graph_from_tables(units, ties, case_id=c, focal_unit=f)
    ...           for c, f in (("a", "p"), ("b", "q"))]
    >>> edge = pool_graphs(graphs).edges["community_party_committee", "volunteer_team"]
    >>> edge["weight"], edge["n_ties"], edge["relations"], edge["resources"]
    (2, 3, 'leads+service', 'services')
    """
    pooled = nx.DiGraph()
    node_cases: dict[str, set[str]] = {}
    node_units: Counter[str] = Counter()
    edge_cases: dict[tuple[str, str], set[str]] = {}
    edge_ties: Counter[tuple[str, str]] = Counter()
    edge_relations: dict[tuple[str, str], set[str]] = {}
    edge_resources: dict[tuple[str, str], set[str]] = {}
    focal_types: Counter[str] = Counter()
    labels: dict[str, dict[str, str]] = {}
    case_ids: list[str] = []
    for graph in graphs:
        case_id = str(graph.graph.get("case_id", len(case_ids)))
        case_ids.append(case_id)
        focal = graph.graph.get("focal_unit")
        if focal and focal in graph:
            focal_types[graph.nodes[focal]["unit_type"]] += 1
        for _, data in graph.nodes(data=True):
            unit_type = data["unit_type"]
            node_cases.setdefault(unit_type, set()).add(case_id)
            node_units[unit_type] += 1
            zh, en = data.get("unit_type_zh", unit_type), data.get("unit_type_en", unit_type)
            labels.setdefault(
                unit_type,
                {"name": zh, "name_en": en, "unit_type_zh": zh, "unit_type_en": en}
                | {"unit_group": data.get("unit_group", "")},
            )
        for u, v, data in graph.edges(data=True):
            pair = (graph.nodes[u]["unit_type"], graph.nodes[v]["unit_type"])
            edge_cases.setdefault(pair, set()).add(case_id)
            edge_ties[pair] += 1
            edge_relations.setdefault(pair, set()).add(data.get("relation", ""))
            edge_resources.setdefault(pair, set()).update(_split(data.get("resource", "")))
    for unit_type in sorted(node_cases):
        pooled.add_node(
            unit_type,
            **labels[unit_type],
            unit_type=unit_type,
            n_cases=len(node_cases[unit_type]),
            n_units=node_units[unit_type],
        )
    for pair in sorted(edge_cases):
        pooled.add_edge(
            *pair,
            weight=len(edge_cases[pair]),
            n_ties=edge_ties[pair],
            relations="+".join(sorted(r for r in edge_relations[pair] if r)),
            resources="+".join(sorted(edge_resources[pair])),
            cases="+".join(sorted(edge_cases[pair])),
        )
    top = sorted(focal_types.items(), key=lambda kv: (-kv[1], kv[0]))
    pooled.graph.update(
        case_ids="+".join(case_ids),
        n_cases=len(case_ids),
        focal_unit=top[0][0] if top else "",
    )
    return pooled


def pooled_graph(corpus: _CorpusLike) -> nx.DiGraph:
    """The unit-type network pooled over every case of a corpus (see :func:`pool_graphs`).

    >>> import analytics
    >>> pooled_graph(analytics.load_corpus()).graph["focal_unit"]
    'community_party_committee'
    """
    return pool_graphs(case_graphs(corpus).values())


# --------------------------------------------------------------------------- measures


def simple_projection(graph: nx.Graph) -> nx.Graph:
    """Undirected simple graph of the same nodes: parallel ties merged, self-loops dropped.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "b"), ("c", "c")])
    >>> s = simple_projection(g)
    >>> sorted(s.nodes), list(s.edges)
    (['a', 'b', 'c'], [('a', 'b')])
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


def pattern(focal_tie_share: float, threshold: float = 0.5) -> str:
    """``"hub"`` (hub-and-spoke) when at least ``threshold`` of a case's ties touch the focal
    unit, ``"mesh"`` (meshed) when fewer do, ``""`` when the share is unknown (NaN).

    >>> pattern(0.75), pattern(0.2), pattern(float("nan"))
    ('hub', 'mesh', '')
    """
    if focal_tie_share is None or math.isnan(focal_tie_share):
        return ""
    return PATTERNS[0] if focal_tie_share >= threshold else PATTERNS[1]


def case_measures(graph: nx.MultiDiGraph, *, threshold: float = 0.5) -> dict[str, Any]:
    """Size, density and the focal unit's position in one case graph.

    - ``units``, ``ties``: nodes and ties (parallel ties counted); ``unit_types``: distinct types.
    - ``density``: of the simple undirected projection (pairs tied / possible pairs; NaN below
      two units).
    - ``focal_degree``: normalised degree centrality of the focal unit on that projection
      (distinct partners / (units − 1)); ``focal_betweenness``: normalised betweenness
      centrality on it (share of shortest paths between other pairs through the focal unit,
      ``networkx.betweenness_centrality(normalized=True)``); ``focal_rank``: 1 + the number of
      units with more distinct partners (1 = best connected, ties share a rank).
    - ``centralization``: Freeman degree centralisation of the projection, Σ(max − degree) /
      ((n − 1)(n − 2)): 1 for a star, 0 when all units have equal degree (NaN below 3 units).
    - ``resource_share``: share of ties whose text names a resource.
    - ``focal_tie_share``: share of ties with the focal unit at either end; ``other_tie_share``:
      share of ties among the other units (the two add up to 1); ``pattern``: :func:`pattern`.

    Focal measures are NaN (``pattern`` ``""``) when the graph has no ``focal_unit``; shares
    are NaN for a graph without ties.

    >>> g = nx.MultiDiGraph(focal_unit="p")
    >>> _ = g.add_edges_from([("p", "a", {"resource": "funds"}), ("p", "b", {"resource": ""}),
    ...     ("a", "b", {"resource": ""})])
    >>> m = case_measures(g)
    >>> m["density"], m["focal_degree"], m["focal_tie_share"], m["pattern"]
    (1.0, 1.0, 0.6666666666666666, 'hub')
    """
    n = graph.number_of_nodes()
    m = graph.number_of_edges()
    simple = simple_projection(graph)
    focal = graph.graph.get("focal_unit")
    if focal is None or focal == "" or focal not in graph:
        focal = None
    types = {data.get("unit_type") for _, data in graph.nodes(data=True)}
    with_resource = sum(1 for *_, r in graph.edges(data="resource") if r)
    degrees = dict(simple.degree())
    nan = float("nan")
    out: dict[str, Any] = {
        "units": n,
        "ties": m,
        "unit_types": len(types - {None, ""}) if n else 0,
        "density": nx.density(simple) if n >= 2 else nan,
        "centralization": nan,
        "focal_degree": nan,
        "focal_betweenness": nan,
        "focal_rank": nan,
        "resource_share": with_resource / m if m else nan,
        "focal_tie_share": nan,
        "other_tie_share": nan,
        "pattern": "",
    }
    if n >= 3:
        top = max(degrees.values())
        out["centralization"] = sum(top - d for d in degrees.values()) / ((n - 1) * (n - 2))
    if focal is not None:
        out["focal_degree"] = degrees[focal] / (n - 1) if n >= 2 else nan
        out["focal_betweenness"] = (
            nx.betweenness_centrality(simple, normalized=True)[focal] if n >= 3 else 0.0
        )
        out["focal_rank"] = 1 + sum(1 for d in degrees.values() if d > degrees[focal])
        if m:
            at_focal = sum(1 for u, v in graph.edges() if focal in (u, v))
            out["focal_tie_share"] = at_focal / m
            out["other_tie_share"] = (m - at_focal) / m
            out["pattern"] = pattern(out["focal_tie_share"], threshold)
    return out


def measures(graphs: Iterable[nx.MultiDiGraph], *, threshold: float = 0.5) -> pd.DataFrame:
    """:func:`case_measures` of several case graphs: one row per case, indexed by ``case_id``.

    >>> g = nx.MultiDiGraph(case_id="c", focal_unit="p")
    >>> _ = g.add_edges_from([("p", "a"), ("p", "b")], resource="")
    >>> m = measures([g])
    >>> m["units"].item(), m["ties"].item(), m["focal_betweenness"].item(), m["pattern"].item()
    (3, 2, 1.0, 'hub')
    """
    rows = [
        {"case_id": g.graph.get("case_id", ""), **case_measures(g, threshold=threshold)}
        for g in graphs
    ]
    columns = ["case_id", *case_measures(nx.MultiDiGraph()).keys()]
    frame = pd.DataFrame(rows, columns=columns).set_index("case_id")
    return frame.astype(
        {"units": "int64", "ties": "int64", "unit_types": "int64", "focal_rank": "Int64"}
    )


# --------------------------------------------------------------------------- tables


def unit_type_matrix(units: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Case × unit-type matrix of unit counts (``corpus.units``); cases sorted by id.

    Only types that occur are columns, in ``order`` (e.g. ``glossary.keys("unit_types")``),
    unlisted types after them alphabetically.

    >>> units = pd.DataFrame({"case_id": ["b", "a", "a"], "unit_type": ["x", "y", "y"]})
    >>> unit_type_matrix(units, order=["y", "x"]).to_dict("index")
    {'a': {'y': 2, 'x': 0}, 'b': {'y': 0, 'x': 1}}
    """
    counts = pd.crosstab(units["case_id"], units["unit_type"]).astype("int64")
    present = list(counts.columns)
    ordered = [t for t in (order or []) if t in present]
    ordered += sorted(t for t in present if t not in ordered)
    counts = counts.reindex(columns=ordered).sort_index()
    counts.index.name, counts.columns.name = "case_id", "unit_type"
    return counts


def type_recurrence(matrix: pd.DataFrame) -> pd.Series:
    """Number of cases in which each unit type occurs, most recurrent first (stable order).

    >>> m = pd.DataFrame({"x": [1, 0], "y": [2, 3]}, index=["a", "b"])
    >>> type_recurrence(m).to_dict()
    {'y': 2, 'x': 1}
    """
    counts = (matrix > 0).sum(axis=0).astype("int64")
    return counts.sort_values(ascending=False, kind="stable").rename("n_cases")


def relation_resources(
    ties: pd.DataFrame,
    *,
    relations: Sequence[str] | None = None,
    resources: Sequence[str] | None = None,
    count: Literal["ties", "cases"] = "ties",
) -> pd.DataFrame:
    """Relation × resource table across cases: which resources flow along which relations.

    A tie naming two resources counts under both; ties naming none count under
    :data:`NO_RESOURCE` (the last column). ``count="cases"`` counts cases with at least one
    such tie instead of ties. Rows and columns follow ``relations`` / ``resources`` (glossary
    order), then any others alphabetically; only relations that occur are rows, only resources
    that occur are columns.

    >>> ties = pd.DataFrame({"case_id": ["a", "a", "b"], "relation": ["service"] * 2 + ["leads"],
    ...     "resource": ["services+venue", None, "services"]})
    >>> table = relation_resources(ties, relations=["leads", "service"])
    >>> table.columns.tolist(), table.loc["service"].tolist(), table.loc["leads"].tolist()
    (['services', 'venue', 'none'], [1, 1, 1], [1, 0, 0])
    """
    if count not in ("ties", "cases"):
        raise ValueError(f"count must be 'ties' or 'cases', not {count!r}")
    rows = ties[["case_id", "relation"]].copy()
    rows["resource"] = [_split(_text(r)) or [NO_RESOURCE] for r in ties["resource"]]
    rows = rows.explode("resource")
    if count == "cases":
        rows = rows.drop_duplicates(["case_id", "relation", "resource"])
    table = pd.crosstab(rows["relation"], rows["resource"]).astype("int64")
    row_order = [r for r in (relations or []) if r in table.index]
    row_order += sorted(r for r in table.index if r not in row_order)
    named = [c for c in table.columns if c != NO_RESOURCE]
    col_order = [c for c in (resources or []) if c in named]
    col_order += sorted(c for c in named if c not in col_order)
    if NO_RESOURCE in table.columns:
        col_order.append(NO_RESOURCE)
    table = table.reindex(index=row_order, columns=col_order)
    table.index.name, table.columns.name = "relation", "resource"
    return table


# --------------------------------------------------------------------------- export


def _scalar(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold: missing → ``""``, collections → ``'+'``-joined."""
    if isinstance(value, str | bool):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | tuple | set | frozenset):
        return "+".join(sorted(str(v) for v in value))
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, int | float):
        return value
    return str(value)


def _export_copy(graph: nx.Graph, *, label: bool = False) -> nx.Graph:
    """Same graph, nodes and edges in sorted order, every attribute a scalar; ``label=True``
    adds a ``label`` (the ``name``, else the id) to nodes that have none."""
    out = graph.__class__()
    out.graph.update({k: _scalar(v) for k, v in sorted(graph.graph.items())})
    for node in sorted(graph.nodes, key=str):
        data = {k: _scalar(v) for k, v in graph.nodes[node].items()}
        if label and not data.get("label"):
            data["label"] = data.get("name") or str(node)
        out.add_node(node, **data)
    if graph.is_multigraph():
        edges = sorted(graph.edges(keys=True, data=True), key=lambda e: tuple(map(str, e[:3])))
        for u, v, key, data in edges:
            out.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in data.items()})
    else:
        for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
            out.add_edge(u, v, **{k: _scalar(x) for k, x in data.items()})
    return out


_GEXF_DATE = re.compile(rb'\s+lastmodifieddate="[^"]*"')


def export_graph(graph: nx.Graph, path: Path | str) -> Path:
    """Write a graph as GraphML (``.graphml``) or GEXF (``.gexf``, version 1.2), UTF-8.

    Nodes and edges are written in sorted order with every attribute as a scalar (missing →
    ``""``, lists → ``'+'``-joined), and the GEXF ``lastmodifieddate`` is left out, so the
    same graph always gives the same bytes (the file is rewritten only when they change).
    GraphML keeps graph attributes (``case_id``, ``focal_unit``); GEXF has no place for them
    (use the node attribute ``focal`` there) but gives each node a ``label``: its ``name``,
    which Gephi shows. Edge ids are the tie keys in GraphML and running numbers in GEXF (which
    stores the key as ``networkx_key``). Returns the path.

    >>> import tempfile
    >>> g = nx.MultiDiGraph(case_id="c")
    >>> g.add_edge("党委", "居民", relation="service")
    0
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = export_graph(g, Path(d) / "c.gexf")
    ...     "党委" in p.read_text(encoding="utf-8"), "lastmodifieddate" in p.read_text("utf-8")
    (True, False)
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export_graph: suffix must be .graphml or .gexf, got {path.name!r}")
    copy = _export_copy(graph, label=fmt == "gexf")
    buffer = BytesIO()
    if fmt == "graphml":
        nx.write_graphml_xml(copy, buffer, encoding="utf-8", prettyprint=True)
        data = buffer.getvalue()
    else:
        nx.write_gexf(copy, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
        data = _GEXF_DATE.sub(b"", buffer.getvalue(), count=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.is_file() and path.read_bytes() == data):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def export_graphs(
    graphs: Mapping[str, nx.Graph],
    folder: Path | str,
    formats: Iterable[str] = EXPORT_FORMATS,
) -> list[Path]:
    """Write each graph as ``<folder>/<name>.<format>`` (:func:`export_graph`); return the paths.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export_graphs({"a": nx.DiGraph([(1, 2)])}, d)]
    ['a.graphml', 'a.gexf']
    """
    folder = Path(folder)
    return [
        export_graph(graph, folder / f"{name}.{fmt}")
        for name, graph in graphs.items()
        for fmt in formats
    ]

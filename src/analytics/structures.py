"""Organisational structures: level chains as graphs, alignment on canonical tiers, measures.

Pure functions over the corpus's tidy ``levels`` and ``staffing`` tables (and networkx graphs).

>>> import analytics
>>> corpus = analytics.load_corpus()
>>> table = tier_alignment(corpus.levels, tiers=corpus.glossary.keys("tiers"))
>>> table.index.name, list(table.columns[:3])
('case_id', ['district', 'subdistrict', 'community'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations, pairwise

import networkx as nx
import pandas as pd

#: Structure kinds that carry the party's reach down tiers (others are coordination bodies).
VERTICAL_KINDS: tuple[str, ...] = ("hierarchy", "grid", "span", "role_system")


# --------------------------------------------------------------------------- graphs


def structure_graph(levels: pd.DataFrame, staffing: pd.DataFrame | None = None) -> nx.DiGraph:
    """One structure's levels as a DiGraph, top → bottom (node = depth).

    ``levels`` holds the rows of one structure (``corpus.levels`` filtered); node attributes are
    name, tier, tier_rank, count, span, quote and ``staffing`` (a list of dicts).

    >>> rows = pd.DataFrame({"case_id": "c", "structure_id": "s", "kind": "grid",
    ...     "depth": [0, 1], "name": ["网格", "楼栋"], "tier": ["grid", "building"],
    ...     "tier_rank": [3, 4], "count": [None, None], "span": [None, None], "quote": "q"})
    >>> g = structure_graph(rows)
    >>> list(g.edges), g.nodes[1]["tier"], g.graph["structure_id"]
    ([(0, 1)], 'building', 's')
    """
    if levels.empty:
        raise ValueError("structure_graph: no levels given")
    ids = levels[["case_id", "structure_id"]].drop_duplicates()
    if len(ids) != 1:
        raise ValueError("structure_graph: levels of more than one structure given")
    rows = levels.sort_values("depth")
    graph = nx.DiGraph(
        case_id=ids.iloc[0]["case_id"],
        structure_id=ids.iloc[0]["structure_id"],
        kind=rows.iloc[0]["kind"],
    )
    for row in rows.itertuples(index=False):
        staff = []
        if staffing is not None and not staffing.empty:
            mine = staffing[
                (staffing["case_id"] == row.case_id)
                & (staffing["structure_id"] == row.structure_id)
                & (staffing["depth"] == row.depth)
            ]
            staff = mine[["role", "count", "per_unit", "quote"]].to_dict("records")
        graph.add_node(
            int(row.depth),
            name=row.name,
            tier=row.tier,
            tier_rank=int(row.tier_rank),
            count=None if pd.isna(row.count) else int(row.count),
            span=None if pd.isna(row.span) else int(row.span),
            quote=row.quote,
            staffing=staff,
        )
    depths = [int(d) for d in rows["depth"]]
    graph.add_edges_from(pairwise(depths))
    return graph


def case_structures(
    levels: pd.DataFrame, case_id: str, staffing: pd.DataFrame | None = None
) -> dict[str, nx.DiGraph]:
    """All structures of one case, keyed by structure id (in file order).

    >>> import analytics
    >>> c = analytics.load_corpus()
    >>> graphs = case_structures(c.levels, "fuzhou-changle-wenwusha", c.staffing)
    >>> all(nx.is_directed_acyclic_graph(g) for g in graphs.values())
    True
    """
    mine = levels[levels["case_id"] == case_id]
    if mine.empty:
        raise KeyError(f"no structures for case {case_id!r}")
    order = list(dict.fromkeys(mine["structure_id"]))
    return {sid: structure_graph(mine[mine["structure_id"] == sid], staffing) for sid in order}


def corpus_structures(
    levels: pd.DataFrame, staffing: pd.DataFrame | None = None
) -> dict[tuple[str, str], nx.DiGraph]:
    """Every structure of the corpus, keyed by ``(case_id, structure_id)``.

    >>> import analytics
    >>> c = analytics.load_corpus()
    >>> len(corpus_structures(c.levels)) == len(c.structures)
    True
    """
    out: dict[tuple[str, str], nx.DiGraph] = {}
    for case_id in dict.fromkeys(levels["case_id"]):
        for sid, graph in case_structures(levels, case_id, staffing).items():
            out[(case_id, sid)] = graph
    return out


# --------------------------------------------------------------------------- alignment


def tier_alignment(
    levels: pd.DataFrame,
    tiers: Sequence[str],
    kinds: Iterable[str] = VERTICAL_KINDS,
    sep: str = " / ",
) -> pd.DataFrame:
    """Case × tier table: which level of which structure sits at each tier.

    Cells join the level names found at that tier (in structure order) with ``sep``; empty
    string where a case has no level at the tier.

    >>> rows = pd.DataFrame({"case_id": ["a", "a", "b"], "structure_id": ["s", "s", "t"],
    ...     "kind": "hierarchy", "depth": [0, 1, 0], "name": ["社区党委", "楼栋长", "网格"],
    ...     "tier": ["community", "building", "grid"]})
    >>> tier_alignment(rows, ["community", "grid", "building"]).loc["a"].tolist()
    ['社区党委', '', '楼栋长']
    """
    rows = levels[levels["kind"].isin(list(kinds))]
    cases = list(dict.fromkeys(levels["case_id"]))
    table = pd.DataFrame("", index=pd.Index(cases, name="case_id"), columns=list(tiers))
    for (case_id, tier), group in rows.groupby(["case_id", "tier"], sort=False):
        table.loc[case_id, tier] = sep.join(dict.fromkeys(group["name"]))
    table.columns.name = "tier"
    return table


def tier_presence(
    levels: pd.DataFrame, tiers: Sequence[str], kinds: Iterable[str] = VERTICAL_KINDS
) -> pd.DataFrame:
    """Case × tier 0/1 matrix: does any structure of the case have a level at the tier?

    >>> rows = pd.DataFrame({"case_id": ["a", "b"], "structure_id": "s", "kind": "grid",
    ...     "depth": 0, "name": "x", "tier": ["grid", "building"]})
    >>> tier_presence(rows, ["grid", "building"]).values.tolist()
    [[1, 0], [0, 1]]
    """
    return (tier_alignment(levels, tiers, kinds) != "").astype("int64")


# --------------------------------------------------------------------------- measures


def structure_measures(levels: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Per structure: depth, tiers covered, tiers skipped between top and bottom, top/bottom tier.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "hierarchy",
    ...     "depth": [0, 1, 2], "tier": ["community", "building", "household"]})
    >>> m = structure_measures(rows, ["community", "grid", "building", "entrance", "household"])
    >>> m.loc[0, ["depth", "n_tiers", "tiers_skipped"]].tolist()
    [3, 3, 'grid, entrance']
    """
    rank = {tier: i for i, tier in enumerate(tiers)}
    out = []
    for (case_id, sid), group in levels.groupby(["case_id", "structure_id"], sort=False):
        covered = sorted(set(group["tier"]), key=rank.__getitem__)
        top, bottom = rank[covered[0]], rank[covered[-1]]
        skipped = [t for t in tiers[top : bottom + 1] if t not in covered]
        out.append(
            {
                "case_id": case_id,
                "structure_id": sid,
                "kind": group["kind"].iloc[0],
                "depth": len(group),
                "n_tiers": len(covered),
                "top_tier": covered[0],
                "bottom_tier": covered[-1],
                "tiers_covered": ", ".join(covered),
                "tiers_skipped": ", ".join(skipped),
                "n_skipped": len(skipped),
            }
        )
    return pd.DataFrame(out)


def spans(levels: pd.DataFrame) -> pd.DataFrame:
    """Span rules: party members per unit at each tier, where the text states it.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "name": ["一户", "一门"],
    ...     "tier": ["household", "entrance"], "tier_rank": [6, 5], "span": [1, 3]})
    >>> spans(rows)["members_per_unit"].tolist()
    [3, 1]
    """
    rows = levels[levels["span"].notna()]
    out = rows[["case_id", "structure_id", "name", "tier", "tier_rank", "span"]].rename(
        columns={"span": "members_per_unit"}
    )
    out = out.astype({"members_per_unit": "int64"})
    return out.sort_values(["case_id", "tier_rank"]).reset_index(drop=True)


def grid_staffing(staffing: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """Staffing of each level that names posts: role, count and whether it is per unit.

    >>> lv = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "grid", "depth": [0],
    ...     "name": ["网格"], "tier": ["grid"]})
    >>> st = pd.DataFrame({"case_id": "a", "structure_id": "s", "depth": [0, 0],
    ...     "role": ["网格长", "网格员"], "count": [1, 3], "per_unit": [False, False]})
    >>> grid_staffing(st, lv)[["level", "role", "count"]].values.tolist()
    [['网格', '网格长', 1], ['网格', '网格员', 3]]
    """
    keys = ["case_id", "structure_id", "depth"]
    merged = staffing.merge(
        levels[[*keys, "kind", "name", "tier"]].rename(columns={"name": "level"}), on=keys
    )
    cols = ["case_id", "structure_id", "kind", "level", "tier", "role", "count", "per_unit"]
    return merged[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- similarity


def jaccard(a: Iterable, b: Iterable) -> float:
    """Jaccard overlap of two sets (1.0 for two empty sets).

    >>> jaccard({"community", "grid"}, {"grid", "building"})
    0.3333333333333333
    """
    a, b = set(a), set(b)
    return 1.0 if not a | b else len(a & b) / len(a | b)


def _postorder(tree: nx.DiGraph, root) -> tuple[list, list[int]]:
    """Nodes in left-to-right postorder and, for each, the index of its leftmost leaf."""
    labels: list = []
    leftmost: list[int] = []

    def visit(node) -> int:
        first = None
        for child in sorted(tree.successors(node), key=lambda n: tree.nodes[n].get("order", n)):
            lm = visit(child)
            first = lm if first is None else first
        labels.append(tree.nodes[node].get("tier"))
        leftmost.append(len(labels) - 1 if first is None else first)
        return leftmost[-1]

    visit(root)
    return labels, leftmost


def _root(tree: nx.DiGraph):
    roots = [n for n in tree if tree.in_degree(n) == 0]
    if len(roots) != 1:
        raise ValueError(f"tree_edit_distance: a tree needs exactly one root, found {len(roots)}")
    return roots[0]


def tree_edit_distance(a: nx.DiGraph, b: nx.DiGraph) -> int:
    """Zhang–Shasha edit distance between two ordered trees labelled by ``tier``.

    Unit costs: deleting a node, inserting a node, or relabelling it to another tier each
    cost 1. Children are ordered by their ``order`` attribute (else their node id). For two
    chains this is the edit distance of their tier sequences.

    >>> chain = lambda *t: nx.DiGraph([(i, i + 1) for i in range(len(t) - 1)]) if len(t) > 1 \\
    ...     else nx.DiGraph()
    >>> def tree(*tiers):
    ...     g = chain(*tiers); g.add_nodes_from(range(len(tiers)))
    ...     nx.set_node_attributes(g, dict(enumerate(tiers)), "tier"); return g
    >>> tree_edit_distance(tree("community", "grid", "building"), tree("community", "building"))
    1
    """
    la, lma = _postorder(a, _root(a))
    lb, lmb = _postorder(b, _root(b))
    keyroots_a = [i for i in range(len(la)) if all(lma[j] != lma[i] for j in range(i + 1, len(la)))]
    keyroots_b = [j for j in range(len(lb)) if all(lmb[k] != lmb[j] for k in range(j + 1, len(lb)))]
    tree_dist = [[0] * len(lb) for _ in la]

    for i in keyroots_a:
        for j in keyroots_b:
            li, lj = lma[i], lmb[j]
            rows, cols = i - li + 2, j - lj + 2
            forest = [[0] * cols for _ in range(rows)]
            for x in range(1, rows):
                forest[x][0] = forest[x - 1][0] + 1
            for y in range(1, cols):
                forest[0][y] = forest[0][y - 1] + 1
            for x in range(1, rows):
                for y in range(1, cols):
                    node_a, node_b = li + x - 1, lj + y - 1
                    if lma[node_a] == li and lmb[node_b] == lj:
                        relabel = 0 if la[node_a] == lb[node_b] else 1
                        forest[x][y] = min(
                            forest[x - 1][y] + 1,
                            forest[x][y - 1] + 1,
                            forest[x - 1][y - 1] + relabel,
                        )
                        tree_dist[node_a][node_b] = forest[x][y]
                    else:
                        forest[x][y] = min(
                            forest[x - 1][y] + 1,
                            forest[x][y - 1] + 1,
                            forest[lma[node_a] - li][lmb[node_b] - lj] + tree_dist[node_a][node_b],
                        )
    return tree_dist[-1][-1]


def case_tree(levels: pd.DataFrame, case_id: str, kinds: Iterable[str] = VERTICAL_KINDS):
    """A case's vertical structures as one ordered tree under a virtual root (tier ``case``).

    Structures are ordered by their top tier and then their tier sequence, so two cases with
    the same chains get the same tree whatever order their files list them in.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "grid",
    ...     "depth": [0, 1], "tier": ["grid", "building"], "tier_rank": [3, 4]})
    >>> t = case_tree(rows, "a")
    >>> [t.nodes[n]["tier"] for n in nx.dfs_preorder_nodes(t, "root")]
    ['case', 'grid', 'building']
    """
    rows = levels[(levels["case_id"] == case_id) & levels["kind"].isin(list(kinds))]
    chains = [
        tuple(group.sort_values("depth")["tier"])
        for _, group in rows.groupby("structure_id", sort=False)
    ]
    rank = dict(zip(rows["tier"], rows["tier_rank"], strict=False))
    chains.sort(key=lambda chain: ([rank[t] for t in chain], chain))
    tree = nx.DiGraph()
    tree.add_node("root", tier="case", order=0)
    for i, chain in enumerate(chains):
        parent = "root"
        for depth, tier in enumerate(chain):
            node = (i, depth)
            tree.add_node(node, tier=tier, order=i)
            tree.add_edge(parent, node)
            parent = node
    return tree


def similarity(levels: pd.DataFrame, kinds: Iterable[str] = VERTICAL_KINDS) -> pd.DataFrame:
    """Pairwise structural similarity of cases (long table, one row per pair, both orders).

    ``tier_jaccard``: overlap of the tier sets; ``edit_distance``: :func:`tree_edit_distance`
    between the cases' :func:`case_tree`; ``edit_similarity`` = 1 − distance / larger tree size.

    >>> rows = pd.DataFrame({"case_id": ["a", "a", "b"], "structure_id": "s", "kind": "grid",
    ...     "depth": [0, 1, 0], "tier": ["grid", "building", "grid"], "tier_rank": [3, 4, 3]})
    >>> similarity(rows).query("case_a == 'a' and case_b == 'b'")["edit_distance"].item()
    1
    """
    kinds = tuple(kinds)
    rows = levels[levels["kind"].isin(list(kinds))]
    cases = list(dict.fromkeys(rows["case_id"]))
    trees = {c: case_tree(rows, c, kinds) for c in cases}
    tiers = {c: set(rows.loc[rows["case_id"] == c, "tier"]) for c in cases}
    out = []
    for a, b in [(a, a) for a in cases] + list(combinations(cases, 2)):
        distance = tree_edit_distance(trees[a], trees[b])
        size = max(len(trees[a]), len(trees[b]))
        record = {
            "tier_jaccard": jaccard(tiers[a], tiers[b]),
            "edit_distance": distance,
            "edit_similarity": 1 - distance / size,
        }
        out.append({"case_a": a, "case_b": b, **record})
        if a != b:
            out.append({"case_a": b, "case_b": a, **record})
    return pd.DataFrame(out)

"""Organisational structures: level chains as graphs, alignment on canonical tiers, measures.

Pure functions over the corpus's tidy ``levels`` and ``staffing`` tables (and networkx graphs).
Structures of the kinds in :data:`VERTICAL_KINDS` carry the party's reach down the canonical
tiers (glossary ``tiers``); ``coordination`` bodies are left out of the tier comparisons by
default: their members sit side by side at the table, not above one another.

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


def _of_kinds(levels: pd.DataFrame, kinds: Iterable[str] | None) -> pd.DataFrame:
    return levels if kinds is None else levels[levels["kind"].isin(list(kinds))]


def _structure_order(levels: pd.DataFrame) -> pd.DataFrame:
    """``(case_id, structure_id)`` pairs in the order of ``levels``, with their position."""
    order = levels[["case_id", "structure_id"]].drop_duplicates().reset_index(drop=True)
    return order.assign(structure_pos=range(len(order)))


def _names(levels: pd.DataFrame, column: str) -> pd.Series:
    """Level names from ``column`` (e.g. ``name_en``), falling back to ``name`` where missing."""
    if column == "name":
        return levels["name"]
    if column not in levels.columns:
        return levels["name"]
    return levels[column].where(levels[column].notna() & (levels[column] != ""), levels["name"])


# --------------------------------------------------------------------------- graphs


def structure_graph(levels: pd.DataFrame, staffing: pd.DataFrame | None = None) -> nx.DiGraph:
    """One structure's levels as a DiGraph, top → bottom (node = depth).

    ``levels`` holds the rows of one structure (``corpus.levels`` filtered); node attributes are
    name, name_en (when the table has it), tier, tier_rank, count, span, quote and ``staffing``
    (a list of dicts).

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
    has_en = "name_en" in rows.columns
    for row in rows.itertuples(index=False):
        staff = []
        if staffing is not None and not staffing.empty:
            mine = staffing[
                (staffing["case_id"] == row.case_id)
                & (staffing["structure_id"] == row.structure_id)
                & (staffing["depth"] == row.depth)
            ]
            staff = mine[["role", "count", "per_unit", "quote"]].to_dict("records")
        attrs = {
            "name": row.name,
            "tier": row.tier,
            "tier_rank": int(row.tier_rank),
            "count": None if pd.isna(row.count) else int(row.count),
            "span": None if pd.isna(row.span) else int(row.span),
            "quote": row.quote,
            "staffing": staff,
        }
        if has_en:
            attrs["name_en"] = None if pd.isna(row.name_en) else row.name_en
        graph.add_node(int(row.depth), **attrs)
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
    kinds: Iterable[str] | None = VERTICAL_KINDS,
    sep: str = " / ",
    column: str = "name",
) -> pd.DataFrame:
    """Case × tier table: which level of which structure sits at each tier.

    Cells join the level names found at that tier (in structure order) with ``sep``; empty
    string where a case has no level at the tier. Only the given ``tiers`` become columns
    (levels at other tiers are left out), so ``tiers`` may be a slice of the glossary's.
    ``column="name_en"`` gives the English glosses (the Chinese name where a gloss is missing);
    ``kinds=None`` keeps every kind. Rows: every case of ``levels``, in their order.

    >>> rows = pd.DataFrame({"case_id": ["a", "a", "b"], "structure_id": ["s", "s", "t"],
    ...     "kind": "hierarchy", "depth": [0, 1, 0], "name": ["社区党委", "楼栋长", "网格"],
    ...     "tier": ["community", "building", "grid"]})
    >>> tier_alignment(rows, ["community", "grid", "building"]).loc["a"].tolist()
    ['社区党委', '', '楼栋长']
    """
    tiers = list(tiers)
    rows = _of_kinds(levels, kinds)
    rows = rows.assign(_label=_names(rows, column))
    rows = rows[rows["tier"].isin(tiers)]
    cases = list(dict.fromkeys(levels["case_id"]))
    table = pd.DataFrame("", index=pd.Index(cases, name="case_id"), columns=tiers, dtype=object)
    for (case_id, tier), group in rows.groupby(["case_id", "tier"], sort=False):
        table.loc[case_id, tier] = sep.join(dict.fromkeys(group["_label"]))
    table.columns.name = "tier"
    return table


def tier_counts(
    levels: pd.DataFrame, tiers: Sequence[str], kinds: Iterable[str] | None = VERTICAL_KINDS
) -> pd.DataFrame:
    """Case × tier counts: how many structures of the case have a level at the tier.

    A structure with several levels at one tier (a role triad at the community) counts once.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": ["s", "s", "t"], "kind": "grid",
    ...     "depth": [0, 1, 0], "tier": ["grid", "grid", "grid"]})
    >>> tier_counts(rows, ["grid", "building"]).values.tolist()
    [[2, 0]]
    """
    tiers = list(tiers)
    rows = _of_kinds(levels, kinds)
    rows = rows[rows["tier"].isin(tiers)]
    cases = list(dict.fromkeys(levels["case_id"]))
    counts = rows.groupby(["case_id", "tier"])["structure_id"].nunique().unstack("tier")
    table = counts.reindex(index=cases, columns=tiers).fillna(0).astype("int64")
    table.index.name, table.columns.name = "case_id", "tier"
    return table


def tier_presence(
    levels: pd.DataFrame, tiers: Sequence[str], kinds: Iterable[str] | None = VERTICAL_KINDS
) -> pd.DataFrame:
    """Case × tier 0/1 matrix: does any structure of the case have a level at the tier?

    >>> rows = pd.DataFrame({"case_id": ["a", "b"], "structure_id": "s", "kind": "grid",
    ...     "depth": 0, "name": "x", "tier": ["grid", "building"]})
    >>> tier_presence(rows, ["grid", "building"]).values.tolist()
    [[1, 0], [0, 1]]
    """
    return (tier_counts(levels, tiers, kinds) > 0).astype("int64")


def level_layout(
    levels: pd.DataFrame, kinds: Iterable[str] | None = VERTICAL_KINDS
) -> pd.DataFrame:
    """Where each level goes when structures are drawn side by side on a tier axis.

    One row per level of the chosen kinds, with the level's own columns plus ``case_pos``
    (0-based, cases in the order of ``levels``), ``sub_column`` (the structure's place within
    its case), ``column`` (0-based over all drawn structures), ``slot`` (0-based place among
    the structure's levels at the same tier, top first by depth) and ``n_slots`` (how many
    levels the structure has at that tier). Rows are sorted by column and depth.

    >>> rows = pd.DataFrame({"case_id": ["a", "a", "a", "b"], "structure_id": ["s", "s", "t", "u"],
    ...     "kind": "role_system", "depth": [0, 1, 0, 0],
    ...     "tier": ["grid", "grid", "household", "grid"]})
    >>> level_layout(rows)[["case_pos", "column", "slot", "n_slots"]].values.tolist()
    [[0, 0, 0, 2], [0, 0, 1, 2], [0, 1, 0, 1], [1, 2, 0, 1]]
    """
    rows = _of_kinds(levels, kinds).reset_index(drop=True)
    order = _structure_order(rows)
    cases = list(dict.fromkeys(order["case_id"]))
    order["case_pos"] = order["case_id"].map({c: i for i, c in enumerate(cases)})
    order["sub_column"] = order.groupby("case_id", sort=False).cumcount()
    order["column"] = order["structure_pos"]
    out = rows.merge(order, on=["case_id", "structure_id"], how="left")
    out = out.sort_values(["column", "depth"], kind="stable").reset_index(drop=True)
    by_tier = out.groupby(["column", "tier"], sort=False)
    out["slot"] = by_tier.cumcount()
    out["n_slots"] = by_tier["depth"].transform("size")
    int_columns = ["case_pos", "sub_column", "column", "slot", "n_slots"]
    return out.drop(columns="structure_pos").astype(dict.fromkeys(int_columns, "int64"))


# --------------------------------------------------------------------------- measures

_MEASURE_COLUMNS = [
    "case_id",
    "structure_id",
    "kind",
    "depth",
    "n_tiers",
    "top_tier",
    "bottom_tier",
    "tiers_covered",
    "tiers_skipped",
    "n_skipped",
]


def structure_measures(levels: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Per structure: depth, tiers covered, tiers skipped between top and bottom, top/bottom tier.

    ``depth`` is the number of levels; ``n_tiers`` the number of distinct tiers they sit at
    (a role triad at one tier: depth 3, one tier). ``tiers_skipped`` lists the canonical tiers
    between the structure's top and bottom tier where it has no level. ``tiers`` is the
    canonical order (``glossary.keys("tiers")``); a level at a tier not in it raises
    ``ValueError``.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "hierarchy",
    ...     "depth": [0, 1, 2], "tier": ["community", "building", "household"]})
    >>> m = structure_measures(rows, ["community", "grid", "building", "entrance", "household"])
    >>> m.loc[0, "depth"].item(), m.loc[0, "n_tiers"].item(), m.loc[0, "tiers_skipped"]
    (3, 3, 'grid, entrance')
    """
    tiers = list(tiers)
    rank = {tier: i for i, tier in enumerate(tiers)}
    unknown = sorted(set(levels["tier"]) - set(rank))
    if unknown:
        raise ValueError(f"structure_measures: tier(s) {unknown} not in tiers {tiers}")
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
    frame = pd.DataFrame(out, columns=_MEASURE_COLUMNS)
    return frame.astype({"depth": "int64", "n_tiers": "int64", "n_skipped": "int64"})


def spans(levels: pd.DataFrame) -> pd.DataFrame:
    """Span rules: party members per unit at each tier, where the text states it.

    One row per level with a stated ``span`` (``1`` for 一个党员带一户, ``3`` for 三个党员带一门,
    ``10`` for 十个党员带一楼), structures in the order of ``levels``, each from its top tier
    down. Carries ``name_en`` when the table has it.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "name": ["一户", "一门"],
    ...     "tier": ["household", "entrance"], "tier_rank": [6, 5], "span": [1, 3]})
    >>> spans(rows)["members_per_unit"].tolist()
    [3, 1]
    """
    rows = levels[levels["span"].notna()]
    columns = ["case_id", "structure_id", "kind", "depth", "name", "name_en", "tier", "tier_rank"]
    columns = [c for c in columns if c in rows.columns]
    out = rows[[*columns, "span"]].rename(columns={"span": "members_per_unit"})
    out = out.astype({"members_per_unit": "int64"}).merge(
        _structure_order(rows), on=["case_id", "structure_id"]
    )
    keys = ["structure_pos", "tier_rank"] + (["depth"] if "depth" in out.columns else [])
    out = out.sort_values(keys, kind="stable").drop(columns="structure_pos")
    return out.reset_index(drop=True)


def fan_out(levels: pd.DataFrame) -> pd.DataFrame:
    """Units per parent unit, derived where two consecutive levels both state a ``count``.

    For each structure and each pair of consecutive levels (depth d, d + 1) whose counts are
    both given and the parent's is positive: ``per_parent = child_count / parent_count`` (e.g.
    1 党委, 10 党支部, 896 党员 → 10 branches per committee, 89.6 members per branch). An
    average, not a stated rule: nothing is derived where either count is missing.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "hierarchy",
    ...     "depth": [0, 1, 2], "name": ["党委", "党支部", "党员"],
    ...     "tier": ["community", "grid", "household"], "count": [1, 10, 896]})
    >>> fan_out(rows)["per_parent"].tolist()
    [10.0, 89.6]
    """
    columns = [
        "case_id",
        "structure_id",
        "kind",
        "parent",
        "child",
        "parent_en",
        "child_en",
        "parent_tier",
        "child_tier",
        "parent_count",
        "child_count",
        "per_parent",
    ]
    out = []
    for (case_id, sid), group in levels.groupby(["case_id", "structure_id"], sort=False):
        rows = group.sort_values("depth")
        english = _names(rows, "name_en").tolist()
        records = list(zip(rows.to_dict("records"), english, strict=True))
        for (up, up_en), (down, down_en) in pairwise(records):
            if down["depth"] != up["depth"] + 1:
                continue
            if pd.isna(up["count"]) or pd.isna(down["count"]) or up["count"] <= 0:
                continue
            out.append(
                {
                    "case_id": case_id,
                    "structure_id": sid,
                    "kind": up["kind"],
                    "parent": up["name"],
                    "child": down["name"],
                    "parent_en": up_en,
                    "child_en": down_en,
                    "parent_tier": up["tier"],
                    "child_tier": down["tier"],
                    "parent_count": int(up["count"]),
                    "child_count": int(down["count"]),
                    "per_parent": int(down["count"]) / int(up["count"]),
                }
            )
    frame = pd.DataFrame(out, columns=columns)
    return frame.astype({"parent_count": "int64", "child_count": "int64", "per_parent": float})


def grid_staffing(
    staffing: pd.DataFrame, levels: pd.DataFrame, kinds: Iterable[str] | None = None
) -> pd.DataFrame:
    """Staffing of each level that names posts: role, count and whether it is per unit.

    One row per post, in the order of the structures in ``levels``, then depth, then the
    order of ``staffing``. ``count`` stays missing where the text names a post without a
    number; ``per_unit`` is true where the count holds for each unit of the level (每个网格…).
    Counts of one level are not summed here: the texts often give a total and then a subset
    (委员7名，其中书记1名). ``kinds`` keeps only structures of those kinds (``None``: all).

    >>> lv = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "grid", "depth": [0],
    ...     "name": ["网格"], "tier": ["grid"]})
    >>> st = pd.DataFrame({"case_id": "a", "structure_id": "s", "depth": [0, 0],
    ...     "role": ["网格长", "网格员"], "count": [1, 3], "per_unit": [False, False]})
    >>> grid_staffing(st, lv)[["level", "role", "count"]].values.tolist()
    [['网格', '网格长', 1], ['网格', '网格员', 3]]
    """
    keys = ["case_id", "structure_id", "depth"]
    cols = ["case_id", "structure_id", "kind", "depth", "level", "level_en", "tier"]
    cols += ["role", "count", "per_unit"]
    lv = _of_kinds(levels, kinds)
    lv = lv.assign(level=lv["name"], level_en=_names(lv, "name_en"))
    lv = lv.merge(_structure_order(lv), on=["case_id", "structure_id"])
    staff = staffing.assign(_staff_pos=range(len(staffing)))
    merged = staff.merge(
        lv[[*keys, "kind", "level", "level_en", "tier", "structure_pos"]], on=keys, how="inner"
    )
    merged = merged.sort_values(["structure_pos", "depth", "_staff_pos"], kind="stable")
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


def case_tree(
    levels: pd.DataFrame, case_id: str, kinds: Iterable[str] | None = VERTICAL_KINDS
) -> nx.DiGraph:
    """A case's vertical structures as one ordered tree under a virtual root (tier ``case``).

    Structures are ordered by their top tier and then their tier sequence, so two cases with
    the same chains get the same tree whatever order their files list them in.

    >>> rows = pd.DataFrame({"case_id": "a", "structure_id": "s", "kind": "grid",
    ...     "depth": [0, 1], "tier": ["grid", "building"], "tier_rank": [3, 4]})
    >>> t = case_tree(rows, "a")
    >>> [t.nodes[n]["tier"] for n in nx.dfs_preorder_nodes(t, "root")]
    ['case', 'grid', 'building']
    """
    rows = _of_kinds(levels[levels["case_id"] == case_id], kinds)
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


def similarity(levels: pd.DataFrame, kinds: Iterable[str] | None = VERTICAL_KINDS) -> pd.DataFrame:
    """Pairwise structural similarity of cases (long table, one row per pair, both orders).

    Cases are those with at least one structure of ``kinds``, in the order of ``levels``.

    - ``tier_jaccard``: overlap of the sets of tiers the cases' structures reach.
    - ``edit_distance``: :func:`tree_edit_distance` between the cases' :func:`case_tree`.
    - ``edit_similarity`` = 1 − distance / (levels of a + levels of b). Deleting every level
      of one tree and inserting every level of the other always works (the virtual roots
      match), so the distance never exceeds that sum and the similarity lies in [0, 1]: 1 for
      the same chains, 0 when no level of one can be matched to a level of the other.

    >>> rows = pd.DataFrame({"case_id": ["a", "a", "b"], "structure_id": "s", "kind": "grid",
    ...     "depth": [0, 1, 0], "tier": ["grid", "building", "grid"], "tier_rank": [3, 4, 3]})
    >>> sim = similarity(rows).query("case_a == 'a' and case_b == 'b'")
    >>> sim["edit_distance"].item(), round(sim["edit_similarity"].item(), 3)
    (1, 0.667)
    """
    kinds = None if kinds is None else tuple(kinds)
    rows = _of_kinds(levels, kinds)
    cases = list(dict.fromkeys(rows["case_id"]))
    trees = {c: case_tree(rows, c, kinds) for c in cases}
    tiers = {c: set(rows.loc[rows["case_id"] == c, "tier"]) for c in cases}
    out = []
    for a, b in [(a, a) for a in cases] + list(combinations(cases, 2)):
        distance = tree_edit_distance(trees[a], trees[b])
        n_levels = (len(trees[a]) - 1) + (len(trees[b]) - 1)
        record = {
            "tier_jaccard": jaccard(tiers[a], tiers[b]),
            "edit_distance": distance,
            "edit_similarity": 1.0 if n_levels == 0 else 1 - distance / n_levels,
        }
        out.append({"case_a": a, "case_b": b, **record})
        if a != b:
            out.append({"case_a": b, "case_b": a, **record})
    columns = ["case_a", "case_b", "tier_jaccard", "edit_distance", "edit_similarity"]
    return pd.DataFrame(out, columns=columns)


def similarity_matrix(data: pd.DataFrame, value: str = "edit_similarity") -> pd.DataFrame:
    """Square case × case matrix of one column of :func:`similarity`, cases in input order.

    >>> sim = pd.DataFrame({"case_a": ["b", "a", "a", "b"], "case_b": ["b", "a", "b", "a"],
    ...     "tier_jaccard": [1.0, 1.0, 0.5, 0.5]})
    >>> similarity_matrix(sim, "tier_jaccard").values.tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    cases = list(dict.fromkeys([*data["case_a"], *data["case_b"]]))
    matrix = data.pivot(index="case_a", columns="case_b", values=value)
    matrix = matrix.reindex(index=cases, columns=cases)
    matrix.index.name, matrix.columns.name = "case_id", "case_id"
    return matrix

"""Figures of the co-building networks (notebook 04).

Graphs come from :mod:`analytics.networks` (a case graph: units and ties; the pooled graph:
unit types). Nodes are coloured by the glossary's ``unit_groups`` (party organisations, state
agencies, community bodies, residents and volunteers, area units and firms, civil society),
with one marker shape per unit type within its group, so every unit type has its own
colour-and-shape and the colours stay few enough to tell apart in print and in greyscale. Edge
line styles follow the glossary's ``relation_groups``; arrows point from actor to the one acted
on. Node area grows with the number of distinct partners.

Layouts are deterministic without any random seed (:func:`wheel_layout`): the focal party
organisation at the centre, every other unit on a ring around it, grouped by unit type; ties
at the focal unit are spokes, ties among the others chords. Ring labels are written radially
outside the ring (they cannot overlap); the few labels of small multiples are placed by a
greedy search (:func:`place_labels`) that keeps them clear of each other, of the nodes and of
the Axes edges, with a thin leader line when a label had to move away from its node.

>>> import analytics
>>> from analytics import networks
>>> corpus = analytics.load_corpus()
>>> g = networks.case_graph(corpus, "hefei-baohe-qingnian")
>>> ax = network(g, glossary=corpus.glossary, lang="en")
>>> len(ax.texts) == g.number_of_nodes()
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from analytics.glossary import Glossary
from analytics.plotting import (
    DOUBLE_COLUMN_IN,
    PALETTE,
    SMALL_FONT_PT,
    check_lang,
    format_number,
    heatmap,
    new_figure,
    tag_lang,
    use_house_style,
)

__all__ = [
    "case_networks",
    "network",
    "network_figure",
    "network_legend",
    "place_labels",
    "pooled_network",
    "relation_resource_heatmap",
    "relation_styles",
    "tie_shares",
    "unit_styles",
    "unit_type_heatmap",
    "wheel_layout",
]

#: Colours of the unit groups, in the glossary's group order: vermillion for the party, then
#: blue, bluish green, sky blue, orange, reddish purple (Okabe–Ito); ungrouped types are grey.
GROUP_COLOURS: tuple[str, ...] = (
    PALETTE[3],
    PALETTE[0],
    PALETTE[2],
    PALETTE[4],
    PALETTE[1],
    PALETTE[5],
    PALETTE[6],
    PALETTE[7],
)
OTHER_COLOUR = "#9a9a9a"
#: Marker shapes of the unit types within a group, in the group's member order.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "p", "h", "<", ">", "8")
#: Line styles of the relation groups, in the glossary's order (solid, dashed, dotted, dash-dot).
LINESTYLES: tuple[Any, ...] = ("-", (0, (4.0, 1.6)), (0, (1.0, 1.1)), (0, (4.0, 1.3, 1.0, 1.3)))
EDGE_COLOUR = "#4d4d4d"
LABEL_FONT_PT = 6.0
_OPENING = "“‘（(《「"
_CLOSING = "”’）)》」、，。；："

_TEXT = {
    "zh": {
        "units": "单位",
        "ties": "关系",
        "unit_types": "单位类型",
        "relations": "关系类型",
        "n_cases_tie": "{n} 个案例有此关系",
        "size_types": "节点面积：有此类单位的案例数",
        "size": "节点面积：合作单位数",
        "focal": "黑圈：案例中心党组织",
        "count_units": "单位数（个）",
        "count_resource_ties": "载有资源的关系数（条）",
        "none": "未说明",
        "share": "关系占比（%）",
        "at_focal": "与中心党组织相连",
        "among_others": "其他单位之间",
        "centralization": "度中心势",
        "hub": "中心辐射型",
        "mesh": "网状",
        "resources": "资源",
        "case": "案例",
    },
    "en": {
        "units": "units",
        "ties": "ties",
        "unit_types": "Unit types",
        "relations": "Relations",
        "n_cases_tie": "tie in {n} case(s)",
        "size_types": "Node area: cases with the unit type",
        "size": "Node area: number of partners",
        "focal": "Black ring: the case's focal party organisation",
        "count_units": "Units (count)",
        "count_resource_ties": "Ties carrying the resource (count)",
        "none": "not stated",
        "share": "Share of ties (%)",
        "at_focal": "at the focal party organisation",
        "among_others": "among the other units",
        "centralization": "centralisation",
        "hub": "hub-and-spoke",
        "mesh": "meshed",
        "resources": "Resources",
        "case": "Case",
    },
}


# --------------------------------------------------------------------------- styles


def unit_styles(glossary: Glossary) -> dict[str, tuple[str, str]]:
    """``{unit_type: (colour, marker)}`` for every glossary unit type.

    Colour from the type's ``unit_groups`` entry (:data:`GROUP_COLOURS` in group order), marker
    from its position in the group's ``members``; types in no group are grey.

    >>> import analytics
    >>> unit_styles(analytics.load_glossary())["community_party_committee"]
    ('#D55E00', '^')
    """
    styles: dict[str, tuple[str, str]] = {}
    groups = glossary.entries.get("unit_groups", {})
    for i, entry in enumerate(groups.values()):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        for j, member in enumerate(entry.get("members", []) or []):
            styles.setdefault(member, (colour, MARKERS[j % len(MARKERS)]))
    ungrouped = [t for t in glossary.keys("unit_types") if t not in styles]
    for j, unit_type in enumerate(ungrouped):
        styles[unit_type] = (OTHER_COLOUR, MARKERS[j % len(MARKERS)])
    return styles


def _unit_order(glossary: Glossary) -> dict[str, int]:
    """Unit types in legend order: by group, then member order; ungrouped last."""
    order: list[str] = []
    for entry in glossary.entries.get("unit_groups", {}).values():
        order += [m for m in entry.get("members", []) or [] if m not in order]
    order += [t for t in glossary.keys("unit_types") if t not in order]
    return {t: i for i, t in enumerate(order)}


def relation_styles(glossary: Glossary) -> dict[str, tuple[str, Any]]:
    """``{relation_group: (colour, linestyle)}`` in the glossary's ``relation_groups`` order,
    plus ``""`` (relations in no group: thin grey solid).

    >>> import analytics
    >>> relation_styles(analytics.load_glossary())["directive"]
    ('#4d4d4d', '-')
    """
    styles: dict[str, tuple[str, Any]] = {}
    for i, key in enumerate(glossary.entries.get("relation_groups", {})):
        styles[key] = (EDGE_COLOUR, LINESTYLES[i % len(LINESTYLES)])
    styles[""] = (OTHER_COLOUR, "-")
    return styles


def _relation_group_of(glossary: Glossary) -> dict[str, str]:
    out: dict[str, str] = {}
    for group, entry in glossary.entries.get("relation_groups", {}).items():
        for member in entry.get("members", []) or []:
            out.setdefault(member, group)
    return out


# --------------------------------------------------------------------------- layout


def _simple(graph: Any) -> dict[Hashable, set[Hashable]]:
    """Undirected neighbour sets without self-loops (parallel ties merged)."""
    nbrs: dict[Hashable, set[Hashable]] = {n: set() for n in graph.nodes}
    for u, v in graph.edges():
        if u != v:
            nbrs[u].add(v)
            nbrs[v].add(u)
    return nbrs


def wheel_layout(
    graph: Any,
    focal: Hashable | None = None,
    *,
    sort_key: Callable[[Hashable], Any] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """The focal unit at the centre, every other node evenly on the unit circle.

    Ties at the focal unit become spokes, ties among the other units chords, so a
    hub-and-spoke network and a meshed one look different at a glance. The ring is ordered by
    ``sort_key`` (default: the node id; :func:`network` uses unit group, unit type, name),
    clockwise from the top. Deterministic, no randomness. Without a ``focal`` in the graph all
    nodes go on the ring.

    >>> import networkx as nx
    >>> pos = wheel_layout(nx.star_graph(4), 0)
    >>> pos[0], pos[1], pos[3]
    ((0.0, 0.0), (0.0, 1.0), (0.0, -1.0))
    """
    key = sort_key or (lambda n: str(n))
    ring = sorted((n for n in graph.nodes if n != focal), key=lambda n: (key(n), str(n)))
    pos: dict[Hashable, tuple[float, float]] = {}
    if focal is not None and focal in graph:
        pos[focal] = (0.0, 0.0)
    for i, node in enumerate(ring):
        theta = math.pi / 2 - 2 * math.pi * i / len(ring)
        pos[node] = (round(math.cos(theta), 12) + 0.0, round(math.sin(theta), 12) + 0.0)
    return pos


# --------------------------------------------------------------------------- labels


def _settled_renderer(fig: Figure) -> Any:
    """The figure's renderer, after one draw if a layout engine may still move the Axes."""
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(
    ax: Axes,
    items: Sequence[tuple[float, float, str, float]],
    *,
    centre: tuple[float, float] = (0.0, 0.0),
    fontsize: float = LABEL_FONT_PT,
    obstacles: Sequence[tuple[float, float, float]] = (),
) -> list:
    """Place text labels near points without overlaps; return the Text artists.

    ``items`` are ``(x, y, text, radius_pt)`` in data coordinates, in priority order (earlier
    ones get the best spots); ``obstacles`` are further ``(x, y, radius_pt)`` discs (the
    nodes) that labels must not cover. Each label tries positions around its point — first
    pointing away from ``centre``, then turning both ways — at growing distances, and takes the
    first that overlaps no placed label, no disc and stays inside the Axes; a label moved
    further than a few points gets a thin leader line. If no position is free, the one with the
    least overlap is used. The Axes' position must be final (a figure whose layout engine may
    still move it is drawn once here to settle it).

    >>> fig, ax = new_figure()
    >>> ax.set(xlim=(0, 1), ylim=(0, 1))
    [(0.0, 1.0), (0.0, 1.0)]
    >>> texts = place_labels(ax, [(0.5, 0.5, "甲", 2), (0.5, 0.5, "乙", 2)])
    >>> a, b = (t.get_window_extent() for t in texts)
    >>> bool(a.overlaps(b))
    False
    """
    fig = ax.get_figure(root=True)
    renderer = _settled_renderer(fig)
    px = fig.dpi / 72.0
    to_px = ax.transData
    box = ax.bbox
    inner = Bbox.from_extents(box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1)
    pad = 0.6 * px
    cx, cy = to_px.transform(centre)
    discs = [(*to_px.transform((x, y)), r * px) for x, y, r in obstacles]
    discs += [(*to_px.transform((x, y)), r * px) for x, y, _, r in items]
    disc_boxes = [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y, r in discs]
    placed: list[Bbox] = []
    texts = []
    turns = [0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180]
    for x, y, label, radius in items:
        text = ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=6,
            clip_on=False,
            linespacing=1.05,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        text.set_in_layout(False)
        ext = text.get_window_extent(renderer)
        w, h = ext.width + 2 * pad, ext.height + 2 * pad
        nx_, ny_ = to_px.transform((x, y))
        if math.hypot(nx_ - cx, ny_ - cy) < 1e-6:
            base = -90.0  # the centre node: label below it
        else:
            base = math.degrees(math.atan2(ny_ - cy, nx_ - cx))
        r0 = radius * px
        best: tuple[float, Bbox, float] | None = None
        chosen: tuple[Bbox, float] | None = None
        for extra in (1.0, 3.0, 6.0, 10.0, 15.0, 22.0, 30.0):
            gap = r0 + extra * px
            for turn in turns:
                theta = math.radians(base + turn)
                ax_, ay_ = nx_ + gap * math.cos(theta), ny_ + gap * math.sin(theta)
                bx = ax_ + w / 2 * max(-1.0, min(1.0, 1.6 * math.cos(theta)))
                by = ay_ + h / 2 * max(-1.0, min(1.0, 1.6 * math.sin(theta)))
                cand = Bbox.from_extents(bx - w / 2, by - h / 2, bx + w / 2, by + h / 2)
                cost = sum(_overlap(cand, other) for other in placed)
                cost += sum(_overlap(cand, disc) for disc in disc_boxes)
                outside = (
                    max(0, inner.x0 - cand.x0)
                    + max(0, cand.x1 - inner.x1)
                    + max(0, inner.y0 - cand.y0)
                    + max(0, cand.y1 - inner.y1)
                )
                cost += outside * (w + h) * 4
                if cost == 0:
                    chosen = (cand, extra)
                    break
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, cand, extra)
            if chosen:
                break
        if chosen is None:
            assert best is not None
            chosen = (best[1], best[2])
        cand, extra = chosen
        placed.append(cand)
        mid = ((cand.x0 + cand.x1) / 2, (cand.y0 + cand.y1) / 2)
        text.set_position(tuple(float(v) for v in ax.transData.inverted().transform(mid)))
        texts.append(text)
        if extra >= 6.0:
            # leader line from the node's rim to the nearest point of the label box
            tx = min(max(nx_, cand.x0), cand.x1)
            ty = min(max(ny_, cand.y0), cand.y1)
            d = math.hypot(tx - nx_, ty - ny_)
            if d > r0:
                sx, sy = nx_ + (tx - nx_) * r0 / d, ny_ + (ty - ny_) * r0 / d
                (sx, sy), (tx, ty) = ax.transData.inverted().transform([(sx, sy), (tx, ty)])
                line = Line2D([sx, tx], [sy, ty], lw=0.3, color="#7f7f7f", zorder=5)
                line.set_in_layout(False)
                ax.add_line(line)
    return texts


# --------------------------------------------------------------------------- networks


def _wrap(label: str, lang: str) -> str:
    """Break a long node label into balanced lines (8 characters in zh, about 18 in en)."""
    if lang == "zh":
        width = 8
        if len(label) <= width + 1:
            return label
        lines = math.ceil(len(label) / width)
        per = math.ceil(len(label) / lines)
        out, start = [], 0
        while start < len(label):
            cut = min(start + per, len(label))
            while start + 1 < cut < len(label) and (
                label[cut - 1] in _OPENING or label[cut] in _CLOSING
            ):
                cut -= 1
            out.append(label[start:cut])
            start = cut
        return "\n".join(out)
    return "\n".join(textwrap.wrap(label, 18, break_on_hyphens=False)) or label


def _node_label(data: Mapping[str, Any], node: Hashable, lang: str, *, wrap: bool) -> str:
    text = str(data.get("name_en" if lang == "en" else "name") or data.get("name") or node)
    return _wrap(text, lang) if wrap else text


def _text_size(ax: Axes, label: str, fontsize: float, renderer: Any) -> tuple[float, float]:
    probe = ax.text(0, 0, label, fontsize=fontsize, linespacing=1.05)
    ext = probe.get_window_extent(renderer)
    probe.remove()
    return ext.width, ext.height


def _set_limits(
    ax: Axes, pos: Mapping, margins: tuple[float, ...], *, symmetric: bool = False
) -> None:
    """Limits holding every node with ``margins`` (left, right, bottom, top, in px) free;
    ``symmetric`` centres the nodes' extent on 0 (the wheel's centre)."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    if symmetric:
        xs = [*xs, *(-x for x in xs)]
        ys = [*ys, *(-y for y in ys)]
    box = ax.bbox
    limits = []
    for lo, hi, size, (m0, m1) in (
        (min(xs), max(xs), box.width, margins[:2]),
        (min(ys), max(ys), box.height, margins[2:]),
    ):
        if hi - lo < 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        if m0 + m1 > 0.8 * size:
            m0, m1 = (m * 0.8 * size / (m0 + m1) for m in (m0, m1))
        per_px = (hi - lo) / (size - m0 - m1)
        limits.append((lo - m0 * per_px, hi + m1 * per_px))
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])


def _edge_path(
    p0: np.ndarray, control: np.ndarray, p2: np.ndarray, cut0: float, cut2: float
) -> np.ndarray | None:
    """Quadratic Bézier p0 → p2 (display px) with both ends pulled in along their tangents by
    ``cut0`` / ``cut2`` (the node radii); None when the nodes touch."""
    if float(np.hypot(*(p2 - p0))) <= cut0 + cut2:
        return None
    t0 = control - p0
    t2 = control - p2
    n0, n2 = float(np.hypot(*t0)), float(np.hypot(*t2))
    start = p0 + t0 * (cut0 / n0) if n0 > 0 else p0
    end = p2 + t2 * (cut2 / n2) if n2 > 0 else p2
    return np.array([start, control, end])


def network(
    graph: Any,
    *,
    glossary: Glossary,
    ax: Axes | None = None,
    lang: str = "zh",
    labels: str | int = "all",
    title: str | None = None,
    pos: Mapping[Hashable, tuple[float, float]] | None = None,
    node_scale: float = 1.0,
    size_by: str | None = None,
    edge_width: str | None = None,
    fontsize: float = LABEL_FONT_PT,
) -> Axes:
    """Draw one network: a case graph (units and ties) or the pooled unit-type graph.

    Layout :func:`wheel_layout` (unless ``pos`` is given): the focal unit (graph attribute
    ``focal_unit``, black ring) at the centre, the other nodes around it ordered by unit group
    and type. Node colour and marker by unit type (:func:`unit_styles`), area by the number of
    distinct partners (or by the node attribute ``size_by``). Edges: arrows in the line style
    of their relation group (:func:`relation_styles`); chords bow towards the centre, parallel
    ties fan out. With ``edge_width`` set, solid lines whose width grows with that edge
    attribute (e.g. ``"weight"``; light grey at 1) instead. Self-loops are not drawn.

    ``labels="all"`` names every node, the ring's names written radially outside it (they
    cannot overlap); an integer ``k`` names the focal unit and the ``k`` best-connected others,
    horizontally, placed by :func:`place_labels`. Names are ``name`` (zh) or ``name_en`` (en).
    The Axes' position must be final before the call (labels are placed in display space).

    >>> import networkx as nx
    >>> import analytics
    >>> g = nx.MultiDiGraph(focal_unit="p")
    >>> g.add_node("p", name="党委", name_en="Committee", unit_type="community_party_committee")
    >>> g.add_node("r", name="居民", name_en="Residents", unit_type="residents")
    >>> _ = g.add_edge("p", "r", relation="service")
    >>> ax = network(g, glossary=analytics.load_glossary(), lang="en")
    >>> sorted(t.get_text() for t in ax.texts)
    ['Committee', 'Residents']
    """
    lang = check_lang(lang)
    if labels != "all" and (not isinstance(labels, int) or isinstance(labels, bool)):
        raise ValueError(f"network: labels must be 'all' or an int, got {labels!r}")
    if ax is None:
        _, ax = new_figure("double", height=5.0)
    fig = ax.get_figure(root=True)
    styles = unit_styles(glossary)
    order = _unit_order(glossary)
    rel_group = _relation_group_of(glossary)
    rel_styles = relation_styles(glossary)
    focal = graph.graph.get("focal_unit") or None
    focal = focal if focal in graph else None
    nbrs = _simple(graph)
    degree = {n: len(nbrs[n]) for n in nbrs}

    def sort_key(node: Hashable) -> tuple:
        data = graph.nodes[node]
        return (order.get(data.get("unit_type"), len(order)), -degree[node], str(node))

    default_layout = pos is None
    if pos is None:
        pos = wheel_layout(graph, focal, sort_key=sort_key)
    if size_by is None:
        size = {n: node_scale * min(10.0 + 4.0 * degree[n], 90.0) for n in graph.nodes}
    else:
        size = {
            n: node_scale * (10.0 + 14.0 * float(graph.nodes[n].get(size_by, 0) or 0))
            for n in graph.nodes
        }
    radius_pt = {n: math.sqrt(s) / 2 for n, s in size.items()}
    if focal is not None:
        radius_pt[focal] = math.sqrt(size[focal] * 1.7) / 2  # with its ring

    ranked = sorted(graph.nodes, key=lambda n: (n != focal, -degree[n], str(n)))
    radial = labels == "all"
    if radial:
        labelled = ranked
    else:
        labelled = [n for n in ranked if n == focal] + [n for n in ranked if n != focal][:labels]
    texts = {
        n: _node_label(graph.nodes[n], n, lang, wrap=not radial or n == focal) for n in labelled
    }

    # margins: room for each label in the direction it will be written
    renderer = _settled_renderer(fig)
    px = fig.dpi / 72.0
    gap = 2.0 * px
    margins = [2 * px] * 4  # left, right, bottom, top
    for node, label in texts.items():
        w, h = _text_size(ax, label, fontsize, renderer)
        x, y = pos[node]
        reach = radius_pt[node] * px + gap
        if radial and node != focal:
            norm = math.hypot(x, y) or 1.0
            c, s_ = x / norm, y / norm
            # a rotated label of length w and height h along the direction (c, s_)
            dx = abs(c) * (reach + w) + abs(s_) * h / 2
            dy = abs(s_) * (reach + w) + abs(c) * h / 2
            side_x, side_y = (0 if c < 0 else 1), (2 if s_ < 0 else 3)
            margins[side_x] = max(margins[side_x], dx)
            margins[side_y] = max(margins[side_y], dy)
        elif not radial and node != focal:
            # a horizontal label beside (left/right) or above/below its node, away from the
            # centre: room on that side only
            norm = math.hypot(x, y) or 1.0
            c, s_ = x / norm, y / norm
            if abs(c) > 0.35:
                side = 0 if c < 0 else 1
                margins[side] = max(margins[side], w + reach)
            else:
                side = 2 if s_ < 0 else 3
                margins[side] = max(margins[side], h + reach)
    _set_limits(ax, pos, tuple(margins), symmetric=default_layout and radial)

    to_px = ax.transData
    centre_px = to_px.transform(pos[focal] if focal is not None else (0.0, 0.0))

    # edges: chords bow towards the centre, parallel ties of a pair fan out
    pairs: dict[tuple[str, str], list] = {}
    edge_iter = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, 0, d) for u, v, d in graph.edges(data=True))
    )
    for u, v, _k, data in sorted(edge_iter, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        if u != v:
            pairs.setdefault(tuple(sorted((str(u), str(v)))), []).append((u, v, data))
    to_data = to_px.inverted()
    for ties in pairs.values():
        a, b = sorted((ties[0][0], ties[0][1]), key=str)
        pa, pb = to_px.transform(pos[a]), to_px.transform(pos[b])
        d = pb - pa
        length2 = float(d @ d) or 1.0
        mid = (pa + pb) / 2
        normal = np.array([d[1], -d[0]])
        bow = 0.0
        if focal not in (a, b):
            target = centre_px + 0.4 * (mid - centre_px)
            bow = float((target - mid) @ normal) / length2
        for i, (u, v, data) in enumerate(ties):
            rad = bow + (0.0 if len(ties) == 1 else 0.2 * (i - (len(ties) - 1) / 2))
            p0, p2 = (pa, pb) if str(u) == str(a) else (pb, pa)
            control = mid + rad * normal
            if edge_width is not None:
                value = float(data.get(edge_width, 1) or 1)
                colour, style = ("#b8b8b8" if value <= 1 else EDGE_COLOUR), "-"
                lw, arrow = 0.3 + 0.4 * (value - 1), "-"
            else:
                group = data.get("relation_group") or rel_group.get(data.get("relation", ""), "")
                colour, style = rel_styles.get(group, rel_styles[""])
                lw, arrow = 0.45, "-|>"
            path = _edge_path(p0, control, p2, (radius_pt[u] + 0.3) * px, (radius_pt[v] + 0.6) * px)
            if path is None:
                continue
            patch = FancyArrowPatch(
                path=Path(to_data.transform(path), [Path.MOVETO, Path.CURVE3, Path.CURVE3]),
                arrowstyle=arrow,
                mutation_scale=4.0,
                linewidth=lw,
                linestyle=style,
                color=colour,
                zorder=1,
            )
            patch.set_in_layout(False)
            ax.add_patch(patch)

    # nodes, one scatter per (colour, marker)
    by_style: dict[tuple[str, str], list] = {}
    for node in sorted(graph.nodes, key=sort_key):
        unit_type = graph.nodes[node].get("unit_type", "")
        by_style.setdefault(styles.get(unit_type, (OTHER_COLOUR, "o")), []).append(node)
    for (colour, marker), nodes in by_style.items():
        ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[size[n] for n in nodes],
            c=colour,
            marker=marker,
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
        )
    if focal is not None:
        ax.scatter(
            [pos[focal][0]],
            [pos[focal][1]],
            s=size[focal] * 1.7,
            facecolors="none",
            edgecolors="black",
            linewidths=0.8,
            zorder=4,
        )

    if radial:
        for node in labelled:
            if node == focal:
                continue
            npx = to_px.transform(pos[node])
            angle = math.atan2(npx[1] - centre_px[1], npx[0] - centre_px[0])
            reach = radius_pt[node] * px + gap
            anchor = npx + reach * np.array([math.cos(angle), math.sin(angle)])
            degrees = math.degrees(angle)
            right = math.cos(angle) >= -1e-9
            text = ax.text(
                *ax.transData.inverted().transform(anchor),
                texts[node],
                rotation=degrees if right else degrees - 180,
                rotation_mode="anchor",
                ha="left" if right else "right",
                va="center",
                fontsize=fontsize,
                zorder=6,
            )
            text.set_in_layout(False)
    items = [(*pos[n], texts[n], radius_pt[n]) for n in labelled if not radial or n == focal]
    others = [(*pos[n], radius_pt[n]) for n in graph.nodes if not any(n == m for m in labelled)]
    centre = pos[focal] if focal is not None else (0.0, 0.0)
    place_labels(ax, items, centre=centre, fontsize=fontsize, obstacles=others)
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title, fontsize=SMALL_FONT_PT + 0.5)
    return tag_lang(ax, lang)


def network_legend(
    target: Axes | Figure,
    graphs: Sequence[Any],
    *,
    glossary: Glossary,
    lang: str = "zh",
    nodes: bool = True,
    edges: bool = True,
    notes: bool = True,
    ncols: int = 1,
    **kwargs: Any,
) -> list:
    """Legends of the unit types and relation groups that occur in ``graphs``.

    ``target`` is an Axes (legends drawn in it, its frame hidden) or a Figure (one legend
    below the Axes, ``loc="outside lower center"``). ``notes`` adds what node area and the
    black ring mean. Returns the Legend artists.

    >>> import networkx as nx, analytics
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", unit_type="party_branch")
    >>> fig, ax = new_figure()
    >>> [len(lg.get_texts()) for lg in network_legend(ax, [g],
    ...     glossary=analytics.load_glossary(), lang="en", edges=False, notes=False)]
    [1]
    """
    lang = check_lang(lang)
    styles = unit_styles(glossary)
    order = _unit_order(glossary)
    rel_group = _relation_group_of(glossary)
    rel_styles = relation_styles(glossary)
    types: set[str] = set()
    groups: set[str] = set()
    for graph in graphs:
        types |= {d.get("unit_type", "") for _, d in graph.nodes(data=True)}
        for *_, d in graph.edges(data=True):
            group = d.get("relation_group") or rel_group.get(d.get("relation", ""), "")
            if d.get("relation") or d.get("relation_group"):
                groups.add(group)
    text = _TEXT[lang]
    legends = []
    sections: list[tuple[str, list, list[str]]] = []
    if nodes and types:
        ordered = sorted(types, key=lambda t: (order.get(t, len(order)), t))
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=styles.get(t, (OTHER_COLOUR, "o"))[1],
                color=styles.get(t, (OTHER_COLOUR, "o"))[0],
                markersize=4.5,
                markeredgecolor="white",
                markeredgewidth=0.3,
            )
            for t in ordered
        ]
        names = [glossary.label("unit_types", t, lang) for t in ordered]
        sections.append((text["unit_types"], handles, names))
    if edges and groups:
        keys = [g for g in rel_styles if g in groups]
        handles = [
            Line2D([], [], color=rel_styles[g][0], linestyle=rel_styles[g][1], linewidth=0.9)
            for g in keys
        ]
        names = [glossary.label("relation_groups", g, lang) if g else "—" for g in keys]
        sections.append((text["relations"], handles, names))
    if notes:
        handles = [
            Line2D([], [], linestyle="none", marker="o", color="#bbbbbb", markersize=5),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="none",
                markeredgecolor="black",
                markeredgewidth=0.8,
                markersize=6,
            ),
        ]
        sections.append(("", handles, [text["size"], text["focal"]]))
    options = {
        "fontsize": SMALL_FONT_PT - 0.5,
        "title_fontsize": SMALL_FONT_PT,
        "frameon": False,
        "handlelength": 1.6,
        "borderaxespad": 0.2,
        "labelspacing": 0.35,
        "columnspacing": 1.0,
        "alignment": "left",
    }
    options.update(kwargs)
    if isinstance(target, Figure):
        handles = [h for _, hs, _ in sections for h in hs]
        names = [n for _, _, ns in sections for n in ns]
        options.setdefault("loc", "outside lower center")
        legends.append(target.legend(handles, names, ncols=ncols, **options))
        return legends
    target.set_axis_off()
    y = 1.0
    for title, handles, names in sections:
        legend = target.legend(
            handles,
            names,
            title=title or None,
            ncols=ncols,
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            **options,
        )
        target.add_artist(legend)
        legends.append(legend)
        # stack the next legend below this one (in Axes fractions: no draw needed)
        renderer = target.get_figure(root=True).canvas.get_renderer()
        box = legend.get_window_extent(renderer).transformed(target.transAxes.inverted())
        y = box.y0 - 0.04
    tag_lang(target, lang)
    return legends


def _panel_title(graph: Any, label: str, lang: str) -> str:
    text = _TEXT[lang]
    counts = f"{graph.number_of_nodes()} {text['units']} · {graph.number_of_edges()} {text['ties']}"
    return f"{label}\n{counts}"


def case_networks(
    graphs: Mapping[str, Any],
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    lang: str = "zh",
    top_k: int = 3,
    ncols: int = 3,
    width: float = DOUBLE_COLUMN_IN,
    panel_height: float = 2.35,
) -> Figure:
    """Small multiples: one panel per case graph (keyed by case id), same styles and scale.

    Each panel names the focal unit and its ``top_k`` best-connected partners; the panel
    after the last case holds the relation and size legends, the unit-type legend runs below.

    >>> import analytics
    >>> from analytics import networks
    >>> corpus = analytics.load_corpus()
    >>> fig = case_networks(networks.case_graphs(corpus), glossary=corpus.glossary,
    ...     case_labels=corpus.case_labels("en"), lang="en")
    >>> len(fig.axes)
    6
    """
    lang = check_lang(lang)
    use_house_style()
    n = len(graphs)
    if n == 0:
        raise ValueError("case_networks: no graphs given")
    cells = n + 1
    nrows = math.ceil(cells / ncols)
    fig = plt.figure(figsize=(width, panel_height * nrows + 1.3), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax in axes[cells:]:
        ax.set_axis_off()
    legend_ax = axes[n]
    network_legend(legend_ax, list(graphs.values()), glossary=glossary, lang=lang, nodes=False)
    network_legend(
        fig,
        list(graphs.values()),
        glossary=glossary,
        lang=lang,
        edges=False,
        notes=False,
        ncols=4 if lang == "en" else 5,
    )
    for ax, (case_id, graph) in zip(axes, graphs.items(), strict=False):
        ax.set_title(
            _panel_title(graph, case_labels.get(case_id, case_id), lang),
            fontsize=SMALL_FONT_PT + 0.5,
        )
        ax.set_axis_off()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")  # freeze the panels before labels are placed
    for ax, graph in zip(axes, graphs.values(), strict=False):
        network(
            graph,
            glossary=glossary,
            ax=ax,
            lang=lang,
            labels=top_k,
            node_scale=0.8,
            fontsize=LABEL_FONT_PT - 0.5,
        )
    for ax in axes:
        tag_lang(ax, lang)
    return fig


def network_figure(
    graph: Any,
    *,
    glossary: Glossary,
    lang: str = "zh",
    title: str | None = None,
    labels: str | int = "all",
    width: float = DOUBLE_COLUMN_IN,
    height: float = 6.4,
    **kwargs: Any,
) -> Figure:
    """One network on its own figure with every node named, legends below (see :func:`network`).

    >>> import networkx as nx, analytics
    >>> g = nx.MultiDiGraph([("a", "b")])
    >>> nx.set_node_attributes(g, "residents", "unit_type")
    >>> fig = network_figure(g, glossary=analytics.load_glossary(), lang="en", height=3)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['a', 'b']
    """
    lang = check_lang(lang)
    use_house_style()
    fig = plt.figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title, fontsize=SMALL_FONT_PT + 1)
    network_legend(fig, [graph], glossary=glossary, lang=lang, ncols=4 if lang == "en" else 5)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    network(graph, glossary=glossary, ax=ax, lang=lang, labels=labels, **kwargs)
    return fig


def pooled_network(
    graph: Any,
    *,
    glossary: Glossary,
    lang: str = "zh",
    width: float = DOUBLE_COLUMN_IN,
    height: float = 5.2,
) -> Figure:
    """The pooled unit-type network (:func:`analytics.networks.pool_graphs`).

    Nodes are unit types, named; node area grows with the number of cases that have the type;
    line width with the number of cases that have a tie between the two types (light grey:
    one case only). The focal type (most cases' party organisation) is at the centre, every
    other type on the ring of its distance from it.

    >>> import analytics
    >>> from analytics import networks
    >>> corpus = analytics.load_corpus()
    >>> fig = pooled_network(networks.pooled_graph(corpus), glossary=corpus.glossary, lang="en")
    >>> len(fig.axes[0].texts) == networks.pooled_graph(corpus).number_of_nodes()
    True
    """
    lang = check_lang(lang)
    use_house_style()
    fig = plt.figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    text = _TEXT[lang]
    present = {d.get("unit_group", "") for _, d in graph.nodes(data=True)}
    groups = [g for g in glossary.entries.get("unit_groups", {}) if g in present]
    colours = dict(zip(glossary.entries.get("unit_groups", {}), GROUP_COLOURS * 2, strict=False))
    rows: list[list[tuple[Any, str]]] = [
        [
            (
                Line2D([], [], linestyle="none", marker="o", color=colours[g], markersize=5),
                glossary.label("unit_groups", g, lang),
            )
            for g in groups
        ]
    ]
    max_w = max((int(w) for *_, w in graph.edges(data="weight", default=1)), default=1)
    rows.append(
        [
            (
                Line2D(
                    [],
                    [],
                    color="#b8b8b8" if w <= 1 else EDGE_COLOUR,
                    linewidth=0.3 + 0.4 * (w - 1),
                ),
                text["n_cases_tie"].format(n=w),
            )
            for w in range(1, max_w + 1)
        ]
        + [
            (
                Line2D([], [], linestyle="none", marker="o", color="#bbbbbb", markersize=5),
                text["size_types"],
            )
        ]
    )
    ncols = max(len(r) for r in rows)
    blank = (Line2D([], [], linestyle="none"), "")
    padded = [r + [blank] * (ncols - len(r)) for r in rows]
    entries = [padded[r][c] for c in range(ncols) for r in range(len(padded))]  # row-major
    fig.legend(
        [h for h, _ in entries],
        [n for _, n in entries],
        loc="outside lower center",
        ncols=ncols,
        fontsize=SMALL_FONT_PT - 0.5,
        frameon=False,
        handlelength=2.0,
        columnspacing=1.2,
    )
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    network(
        graph,
        glossary=glossary,
        ax=ax,
        lang=lang,
        labels="all",
        size_by="n_cases",
        edge_width="weight",
    )
    return fig


# --------------------------------------------------------------------------- tables


def _blank_zeros(table: pd.DataFrame) -> np.ndarray:
    return table.map(lambda v: "" if v == 0 else format_number(v)).to_numpy(dtype=object)


def unit_type_heatmap(
    matrix: pd.DataFrame,
    *,
    glossary: Glossary,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Units per unit type (rows) and case (columns), counts written in the cells (0 blank).

    ``matrix`` is :func:`analytics.networks.unit_type_matrix` (cases × types); the rows keep
    its column order.

    >>> import analytics
    >>> m = pd.DataFrame({"residents": [2, 0]}, index=["a", "b"])
    >>> ax = unit_type_heatmap(m, glossary=analytics.load_glossary(), case_labels={}, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['Residents'], ['2', ''])
    """
    lang = check_lang(lang)
    data = matrix.T.rename(
        index=glossary.labels("unit_types", lang), columns=lambda c: case_labels.get(c, c)
    )
    if ax is None:
        _, ax = new_figure("single", height=0.6 + 0.16 * len(data))
    heatmap(
        data,
        ax=ax,
        lang=lang,
        annot=_blank_zeros(matrix.T),
        xlabel="",
        ylabel="",
        title=_TEXT[lang]["count_units"],
    )
    return tag_lang(ax, lang)


def relation_resource_heatmap(
    table: pd.DataFrame,
    *,
    glossary: Glossary,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Ties per relation (rows) and resource they carry (columns), counts in the cells (0 blank).

    ``table`` is :func:`analytics.networks.relation_resources`; its ``none`` column (ties that
    name no resource) is left out so the colours compare named resources, and so are relations
    that never carry one.

    >>> import analytics
    >>> t = pd.DataFrame({"services": [3, 0], "none": [1, 5]}, index=["service", "leads"])
    >>> ax = relation_resource_heatmap(t, glossary=analytics.load_glossary(), lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['Service'], ['3'])
    """
    lang = check_lang(lang)
    named = table.drop(columns=["none"], errors="ignore")
    named = named.loc[named.sum(axis=1) > 0]
    if named.empty:
        raise ValueError("relation_resource_heatmap: no tie names a resource")
    data = named.rename(
        index=glossary.labels("relation_types", lang), columns=glossary.labels("resources", lang)
    )
    if ax is None:
        _, ax = new_figure("single", height=0.9 + 0.17 * len(data))
    heatmap(
        data,
        ax=ax,
        lang=lang,
        annot=_blank_zeros(named),
        xlabel=_TEXT[lang]["resources"],
        ylabel="",
        title=_TEXT[lang]["count_resource_ties"],
    )
    return tag_lang(ax, lang)


def tie_shares(
    data: pd.DataFrame,
    *,
    case_labels: Mapping[str, str],
    ax: Axes | None = None,
    lang: str = "zh",
    threshold: float = 0.5,
) -> Axes:
    """Per case, the share of ties at the focal party organisation vs among the other units.

    ``data`` is :func:`analytics.networks.measures` (indexed by case id). Bars are stacked to
    100 %, sorted by the focal share; the dashed line marks ``threshold`` (the hub-and-spoke
    rule of :func:`analytics.networks.pattern`); the pattern and the degree centralisation are
    written beside each bar.

    >>> m = pd.DataFrame({"focal_tie_share": [0.6], "other_tie_share": [0.4],
    ...     "centralization": [0.8], "pattern": ["hub"]}, index=["a"])
    >>> ax = tie_shares(m, case_labels={"a": "A"}, lang="en")
    >>> ax.texts[0].get_text()
    'hub-and-spoke · centralisation 0.8'
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    rows = data.dropna(subset=["focal_tie_share"]).sort_values(["focal_tie_share"], kind="stable")
    if ax is None:
        _, ax = new_figure("double", height=0.7 + 0.32 * len(rows))
    y = np.arange(len(rows))
    focal = rows["focal_tie_share"].to_numpy(dtype=float) * 100
    other = rows["other_tie_share"].to_numpy(dtype=float) * 100
    ax.barh(y, focal, height=0.6, color=PALETTE[3], label=text["at_focal"])
    ax.barh(y, other, left=focal, height=0.6, color="#c8c8c8", label=text["among_others"])
    for i, row in enumerate(rows.itertuples()):
        note = f"{text.get(row.pattern, '')} · {text['centralization']} "
        ax.text(
            102,
            i,
            note + format_number(row.centralization),
            va="center",
            ha="left",
            fontsize=SMALL_FONT_PT,
        )
    for i, share in enumerate(focal):
        inside = share > 8
        ax.text(
            share - 1.5 if inside else share + 1.5,
            i,
            format_number(share, 0) + "%",
            va="center",
            ha="right" if inside else "left",
            fontsize=SMALL_FONT_PT,
            color="white" if inside else "black",
        )
    ax.axvline(threshold * 100, color="black", linestyle=(0, (3, 2)), linewidth=0.6)
    ax.set_yticks(y, [case_labels.get(c, c) for c in rows.index])
    ax.set_xlim(0, 150)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(text["share"])
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(frameon=False, ncols=2, loc="upper center", bbox_to_anchor=(0.35, -0.28))
    ax.spines["bottom"].set_bounds(0, 100)
    return tag_lang(ax, lang)

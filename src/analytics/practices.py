"""Practices across cases: the case × practice matrix, case × condition tables for csQCA, and
case similarity.

*Practices* are the named work methods a case file records (``corpus.practices``: one row per
case and practice, each with its verbatim quote). :func:`practice_long` lays them out as a long
table (every case × practice pair, present 0/1, with the quote that shows it) and
:func:`practice_matrix` as a wide 0/1 matrix.

*Conditions* are yes/no properties of a case that a researcher defines from any corpus table:
a mapping ``name -> predicate(corpus, case_id) -> bool``. :func:`condition_table` evaluates
them into a 0/1 DataFrame indexed by ``case_id`` that :func:`analytics.qca.truth_table` takes
as is. Plain functions work; the ready-made builders (:func:`has_practice`,
:func:`has_unit_type`, :func:`has_structure_kind`, :func:`min_structure_depth`,
:func:`min_unit_types`, :func:`honour_at_least`) return :class:`Condition` objects that also know
their zh/en label (:func:`condition_labels`). A condition reads only what the case file records:
"no" means "the text does not report it", not "the case does not do it".

*Similarity* is the Jaccard overlap of two cases' 1s in any 0/1 matrix
(:func:`jaccard_matrix`); :func:`average_linkage` and :func:`leaf_order` order cases by
average-linkage (UPGMA) clustering of ``1 - similarity``. The clustering is written here
because SciPy is not a dependency of the suite; on ties it merges the pair whose members come
first in the matrix order, so the result is deterministic.

>>> import analytics
>>> from analytics import qca
>>> corpus = analytics.load_corpus()
>>> table = condition_table(corpus, {
...     "WHISTLE": has_practice("whistle_reporting"),
...     "HONOUR": honour_at_least("city"),
... })
>>> table.index.name, list(table.columns)
('case_id', ['WHISTLE', 'HONOUR'])
>>> tt = qca.truth_table(table, outcome="HONOUR", conditions=["WHISTLE"])
>>> tt.attrs["conditions"]
['WHISTLE']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Condition",
    "average_linkage",
    "condition_labels",
    "condition_table",
    "has_practice",
    "has_structure_kind",
    "has_unit_type",
    "honour_at_least",
    "jaccard_matrix",
    "leaf_order",
    "min_structure_depth",
    "min_unit_types",
    "practice_long",
    "practice_matrix",
]

#: A predicate over the corpus: ``test(corpus, case_id) -> bool``. ``corpus`` is an
#: :class:`analytics.Corpus` or any object with the tables the predicate reads.
Predicate = Callable[[Any, str], bool]


# --------------------------------------------------------------------------- practice matrix


def _case_order(cases: Iterable[str] | None, observed: pd.Series) -> list[str]:
    if cases is None:
        return sorted(set(observed))
    order = list(dict.fromkeys(cases))
    extra = sorted(set(observed) - set(order))
    if extra:
        raise ValueError(f"practices: case(s) {extra} are not among the cases given")
    return order


def _key_order(keys: Iterable[str] | None, observed: pd.Series) -> list[str]:
    if keys is None:
        return sorted(set(observed))
    order = list(dict.fromkeys(keys))
    extra = sorted(set(observed) - set(order))
    if extra:
        raise ValueError(f"practices: practice(s) {extra} are not among the keys given")
    return order


def practice_long(
    practices: pd.DataFrame,
    cases: Iterable[str] | None = None,
    keys: Iterable[str] | None = None,
    sep: str = " | ",
) -> pd.DataFrame:
    """Every case × practice pair: ``case_id, practice, present`` (0/1), ``name``, ``quote``.

    ``practices`` is ``corpus.practices`` (or any table with ``case_id, practice, name,
    quote``). ``cases`` (e.g. ``corpus.cases["case_id"]``) keeps cases that record no practice;
    ``keys`` (e.g. ``glossary.keys("practices")``) fixes the practices and their order
    (default: the practices seen, sorted). Rows run case by case, practices in key order.
    When a case records a practice twice, names and quotes are joined with ``sep`` in file
    order; absent pairs have empty ``name`` and ``quote``.

    >>> p = pd.DataFrame({"case_id": ["a", "b"], "practice": ["hotline", "grid"],
    ...     "name": ["热线", "网格化"], "quote": ["建立热线", "网格化管理"]})
    >>> practice_long(p, cases=["a", "b"], keys=["grid", "hotline"]).values.tolist()
    [['a', 'grid', 0, '', ''], ['a', 'hotline', 1, '热线', '建立热线'], \
['b', 'grid', 1, '网格化', '网格化管理'], ['b', 'hotline', 0, '', '']]
    """
    case_order = _case_order(cases, practices["case_id"])
    key_order = _key_order(keys, practices["practice"])
    grid = pd.MultiIndex.from_product([case_order, key_order], names=["case_id", "practice"])
    joined = practices.groupby(["case_id", "practice"], sort=False).agg(
        name=("name", lambda s: sep.join(s.dropna().astype(str))),
        quote=("quote", lambda s: sep.join(s.dropna().astype(str))),
    )
    out = joined.reindex(grid)
    present = out["quote"].notna().astype("int64")
    out = out.fillna("").astype("str")
    out.insert(0, "present", present)
    return out.reset_index()


def practice_matrix(
    practices: pd.DataFrame,
    cases: Iterable[str] | None = None,
    keys: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Wide case × practice 0/1 matrix (index ``case_id``, one int64 column per practice).

    Arguments as :func:`practice_long`.

    >>> p = pd.DataFrame({"case_id": ["a", "a", "b"], "practice": ["x", "y", "y"],
    ...     "name": "n", "quote": "q"})
    >>> practice_matrix(p, cases=["a", "b", "c"]).values.tolist()
    [[1, 1], [0, 1], [0, 0]]
    """
    long = practice_long(practices, cases, keys)
    case_order = list(dict.fromkeys(long["case_id"]))
    key_order = list(dict.fromkeys(long["practice"]))
    wide = long.pivot(index="case_id", columns="practice", values="present")
    wide = wide.reindex(index=case_order, columns=key_order).astype("int64")
    wide.index.name, wide.columns.name = "case_id", "practice"
    return wide


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Condition:
    """A named yes/no property of a case, callable as ``condition(corpus, case_id) -> bool``.

    ``zh``/``en`` are label templates: ``{term}`` is filled with the glossary label of ``key``
    in ``vocabulary`` (when given) and any other ``{field}`` from ``params``. Wrap your own
    predicate to give it labels:

    >>> big = Condition(lambda corpus, case_id: len(corpus.units) > 10, zh="单位多",
    ...     en="Many units")
    >>> big.label(lang="en")
    'Many units'
    """

    test: Predicate
    zh: str
    en: str
    vocabulary: str | None = None
    key: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, corpus: Any, case_id: str) -> bool:
        return self.test(corpus, case_id)

    def label(self, glossary: Any = None, lang: str = "zh") -> str:
        """The condition's label in ``lang``; glossary terms need ``glossary``.

        >>> has_practice("hotline").label(lang="en")
        'hotline'
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        term = self.key or ""
        if glossary is not None and self.vocabulary is not None and self.key is not None:
            term = glossary.label(self.vocabulary, self.key, lang)
        template = self.zh if lang == "zh" else self.en
        return template.format(term=term, **self.params)


def _rows(table: pd.DataFrame, case_id: str) -> pd.DataFrame:
    return table[table["case_id"] == case_id]


def has_practice(key: str) -> Condition:
    """The case records the practice ``key`` (a glossary ``practices`` key).

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(practices=pd.DataFrame({"case_id": ["a"], "practice": ["hotline"]}))
    >>> has_practice("hotline")(c, "a"), has_practice("hotline")(c, "b")
    (True, False)
    """

    def test(corpus: Any, case_id: str) -> bool:
        return bool((_rows(corpus.practices, case_id)["practice"] == key).any())

    return Condition(test, zh="{term}", en="{term}", vocabulary="practices", key=key)


def has_unit_type(key: str) -> Condition:
    """A unit of type ``key`` (glossary ``unit_types``) takes part in the case's network.

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(units=pd.DataFrame({"case_id": ["a"], "unit_type": ["enterprise"]}))
    >>> has_unit_type("enterprise")(c, "a"), has_unit_type("police_station")(c, "a")
    (True, False)
    """

    def test(corpus: Any, case_id: str) -> bool:
        return bool((_rows(corpus.units, case_id)["unit_type"] == key).any())

    return Condition(
        test, zh="{term}参与", en="{term} takes part", vocabulary="unit_types", key=key
    )


def has_structure_kind(kind: str, staffed: bool = False) -> Condition:
    """The case has a structure of ``kind`` (glossary ``structure_kinds``); with
    ``staffed=True``, one whose levels name at least one staffed post (``corpus.staffing``).

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(
    ...     structures=pd.DataFrame({"case_id": "a", "structure_id": ["g", "h"],
    ...         "kind": ["grid", "hierarchy"]}),
    ...     staffing=pd.DataFrame({"case_id": ["a"], "structure_id": ["h"], "role": ["网格长"]}))
    >>> has_structure_kind("grid")(c, "a"), has_structure_kind("grid", staffed=True)(c, "a")
    (True, False)
    """

    def test(corpus: Any, case_id: str) -> bool:
        mine = _rows(corpus.structures, case_id)
        ids = set(mine.loc[mine["kind"] == kind, "structure_id"])
        if staffed:
            ids &= set(_rows(corpus.staffing, case_id)["structure_id"])
        return bool(ids)

    if staffed:
        return Condition(
            test,
            zh="{term}（有岗位配备）",
            en="{term} with named posts",
            vocabulary="structure_kinds",
            key=kind,
        )
    return Condition(test, zh="{term}", en="{term}", vocabulary="structure_kinds", key=kind)


def min_structure_depth(n: int, kinds: Sequence[str] = ("hierarchy",)) -> Condition:
    """A structure of one of ``kinds`` has at least ``n`` levels (``corpus.structures``'s
    ``n_levels``). The default, party hierarchies only, reads as "has an n-level chain".

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(structures=pd.DataFrame({"case_id": "a",
    ...     "kind": ["hierarchy", "grid"], "n_levels": [3, 4]}))
    >>> min_structure_depth(4)(c, "a"), min_structure_depth(4, kinds=["grid"])(c, "a")
    (False, True)
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)

    def test(corpus: Any, case_id: str) -> bool:
        mine = _rows(corpus.structures, case_id)
        return bool((mine.loc[mine["kind"].isin(kinds), "n_levels"] >= n).any())

    vocabulary, key = ("structure_kinds", kinds[0]) if len(kinds) == 1 else (None, None)
    zh = "{term}≥{n}级" if key else "结构≥{n}级"
    en = "{term} of ≥ {n} levels" if key else "Structure of ≥ {n} levels"
    return Condition(test, zh=zh, en=en, vocabulary=vocabulary, key=key, params={"n": n})


def min_unit_types(n: int) -> Condition:
    """The case's network has units of at least ``n`` distinct types (``corpus.units``).

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(units=pd.DataFrame({"case_id": "a",
    ...     "unit_type": ["enterprise", "enterprise", "residents"]}))
    >>> min_unit_types(2)(c, "a"), min_unit_types(3)(c, "a")
    (True, False)
    """

    def test(corpus: Any, case_id: str) -> bool:
        return _rows(corpus.units, case_id)["unit_type"].nunique() >= n

    return Condition(test, zh="≥{n}类参与单位", en="≥ {n} unit types", params={"n": n})


def honour_at_least(level: str, kinds: Iterable[str] | None = None) -> Condition:
    """The text reports an honour at ``level`` or higher (glossary ``honour_levels`` rank:
    0 is national), optionally only of ``kinds`` (glossary ``honour_kinds``).

    >>> from analytics import load_glossary
    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(glossary=load_glossary(), honours=pd.DataFrame({"case_id": "a",
    ...     "level": ["district", "provincial"], "kind": ["award", "publication"]}))
    >>> honour_at_least("city")(c, "a"), honour_at_least("city", kinds=["award"])(c, "a")
    (True, False)
    """
    kinds = None if kinds is None else tuple([kinds] if isinstance(kinds, str) else kinds)

    def test(corpus: Any, case_id: str) -> bool:
        ranks = {k: int(v["rank"]) for k, v in corpus.glossary.entries["honour_levels"].items()}
        if level not in ranks:
            raise ValueError(f"honour_at_least: unknown honour level {level!r}; use {list(ranks)}")
        mine = _rows(corpus.honours, case_id)
        if kinds is not None:
            mine = mine[mine["kind"].isin(kinds)]
        return bool((mine["level"].map(ranks) <= ranks[level]).any())

    return Condition(
        test,
        zh="{term}及以上荣誉",
        en="{term}-level honour or higher",
        vocabulary="honour_levels",
        key=level,
    )


def condition_table(
    corpus: Any, conditions: Mapping[str, Predicate], cases: Iterable[str] | None = None
) -> pd.DataFrame:
    """Evaluate ``conditions`` (name -> predicate) for every case: a 0/1 int64 DataFrame
    indexed by ``case_id`` (default: ``corpus.cases["case_id"]``, sorted), one column per
    condition in the given order. It is what :func:`analytics.qca.truth_table` takes.

    A predicate must return a bool (numpy bools count); anything else raises ``ValueError``
    naming the condition and case.

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(practices=pd.DataFrame({"case_id": ["a"], "practice": ["hotline"]}))
    >>> condition_table(c, {"HOT": has_practice("hotline")}, cases=["a", "b"])["HOT"].tolist()
    [1, 0]
    """
    if not isinstance(conditions, Mapping) or not conditions:
        raise ValueError("condition_table: give conditions as a non-empty dict name -> predicate")
    for name, test in conditions.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"condition_table: condition names must be strings, got {name!r}")
        if not callable(test):
            raise ValueError(f"condition_table: condition {name!r} is not callable")
    if cases is None:
        cases = sorted(corpus.cases["case_id"])
    cases = list(dict.fromkeys(cases))
    columns: dict[str, list[int]] = {}
    for name, test in conditions.items():
        values = []
        for case_id in cases:
            value = test(corpus, case_id)
            if not isinstance(value, bool | np.bool_):
                raise ValueError(
                    f"condition_table: condition {name!r} returned {value!r} for case "
                    f"{case_id!r}; a condition must return True or False"
                )
            values.append(int(value))
        columns[name] = values
    table = pd.DataFrame(columns, index=pd.Index(cases, name="case_id", dtype="str"))
    return table.astype("int64")


def condition_labels(
    conditions: Mapping[str, Predicate], glossary: Any = None, lang: str = "zh"
) -> dict[str, str]:
    """Label of each condition in ``lang``: :meth:`Condition.label`, or the name for a plain
    function.

    >>> condition_labels({"HOT": has_practice("hotline"), "X": lambda c, i: True}, lang="en")
    {'HOT': 'hotline', 'X': 'X'}
    """
    return {
        name: test.label(glossary, lang) if isinstance(test, Condition) else name
        for name, test in conditions.items()
    }


# --------------------------------------------------------------------------- similarity


def jaccard_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Case × case Jaccard similarity of the 1s of a 0/1 matrix (rows = cases).

    ``|A ∩ B| / |A ∪ B|`` of the columns where each row has 1; two rows without any 1 count as
    identical (1.0), as :func:`analytics.structures.jaccard`. Works for the practice matrix and
    for a condition table alike; 0/0 agreements do not count as similarity.

    >>> m = pd.DataFrame({"x": [1, 1, 0], "y": [1, 0, 0], "z": [0, 1, 0]}, index=["a", "b", "c"])
    >>> jaccard_matrix(m).round(3).values.tolist()
    [[1.0, 0.333, 0.0], [0.333, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError("jaccard_matrix: give a 0/1 DataFrame (rows = cases)")
    values = matrix.to_numpy(dtype=float)
    if values.size and not np.isin(values, (0.0, 1.0)).all():
        raise ValueError("jaccard_matrix: the matrix must hold only 0 and 1 (no missing values)")
    both = values @ values.T
    sizes = values.sum(axis=1)
    either = sizes[:, None] + sizes[None, :] - both
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(either > 0, both / np.where(either > 0, either, 1), 1.0)
    out = pd.DataFrame(sim, index=matrix.index.copy(), columns=matrix.index.copy())
    out.columns.name = matrix.index.name
    return out


def average_linkage(similarity: pd.DataFrame) -> pd.DataFrame:
    """Average-linkage (UPGMA) clustering of the rows of a square similarity matrix.

    Distance is ``1 - similarity``. One row per merge, as SciPy's linkage matrix: ``left`` and
    ``right`` (0..n-1 are the matrix rows in order, n+i the cluster made by merge i), the
    ``distance`` at which they merge and the ``size`` of the new cluster. The closest pair
    merges first; ties go to the pair whose first members come first in the matrix order;
    ``left`` is the cluster whose first member comes first.

    >>> s = pd.DataFrame([[1, .8, 0], [.8, 1, .2], [0, .2, 1]], index=list("abc"),
    ...     columns=list("abc"))
    >>> average_linkage(s).round(2).values.tolist()
    [[0.0, 1.0, 0.2, 2.0], [3.0, 2.0, 0.9, 3.0]]
    """
    if not isinstance(similarity, pd.DataFrame) or similarity.shape[0] != similarity.shape[1]:
        raise ValueError("average_linkage: give a square similarity DataFrame")
    if not similarity.index.equals(similarity.columns):
        raise ValueError("average_linkage: rows and columns must name the same cases in order")
    distance = 1.0 - similarity.to_numpy(dtype=float)
    if np.isnan(distance).any():
        raise ValueError("average_linkage: the similarity matrix has missing values")
    n = len(distance)
    # cluster id -> member row positions (sorted); ordered dict keeps creation order
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    merges = []
    for step in range(n - 1):
        best: tuple | None = None
        ids = sorted(clusters, key=lambda c: clusters[c][0])
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                d = float(distance[np.ix_(clusters[a], clusters[b])].mean())
                key = (round(d, 12), clusters[a][0], clusters[b][0])
                if best is None or key < best[0]:
                    best = (key, a, b, d)
        assert best is not None
        _, a, b, d = best
        members = sorted(clusters.pop(a) + clusters.pop(b))
        clusters[n + step] = members
        merges.append({"left": a, "right": b, "distance": d, "size": len(members)})
    frame = pd.DataFrame(merges, columns=["left", "right", "distance", "size"])
    return frame.astype({"left": "int64", "right": "int64", "distance": "float64", "size": "int64"})


def leaf_order(linkage: pd.DataFrame, labels: Sequence[str]) -> list[str]:
    """The labels in dendrogram order (left to right) of a linkage from :func:`average_linkage`.

    >>> s = pd.DataFrame([[1, 0, .9], [0, 1, 0], [.9, 0, 1]], index=list("abc"),
    ...     columns=list("abc"))
    >>> leaf_order(average_linkage(s), list("abc"))
    ['a', 'c', 'b']
    """
    labels = list(labels)
    n = len(labels)
    if len(linkage) != max(n - 1, 0):
        raise ValueError(f"leaf_order: a linkage of {n} labels has {n - 1} merges")
    if n == 1:
        return labels
    children = {n + i: (int(r.left), int(r.right)) for i, r in enumerate(linkage.itertuples())}
    order: list[str] = []
    stack = [n + len(linkage) - 1]
    while stack:
        node = stack.pop()
        if node < n:
            order.append(labels[node])
        else:
            left, right = children[node]
            stack.extend([right, left])
    return order

"""Crisp-set Qualitative Comparative Analysis (csQCA), following R's ``QCA`` package (Dusa).

The module knows nothing about any application domain: it takes a pandas DataFrame of 0/1
values, one row per case (the index holds the case names), and returns plain DataFrames.

Conventions, all taken from R's QCA 3.x (``truthTable()``, ``minimize()``, ``pof()``):

* **Row numbers.** A configuration ``(c1, ..., ck)`` of the conditions is truth-table row
  ``1 + sum(c_i * 2**(k - i))``: the first condition is the most significant bit, exactly as R
  numbers rows 1..2^k. Truth-table rows are sorted by that number, which is the index (``row``).
* **OUT.** ``incl_cut`` is one value or a pair ``(incl_cut1, incl_cut0)`` as R's ``incl.cut``:
  OUT is 1 when incl >= incl_cut1, ``"C"`` when incl_cut0 <= incl < incl_cut1, else 0. With one
  value there is no "C" band, so a crisp configuration whose cases disagree on the outcome
  (0 < incl < 1) gets OUT 0 with ``incl_cut=1``. Such disagreement is always reported anyway:
  the boolean column ``contradictory`` and ``tt.attrs["contradictions"]`` (row numbers) flag it,
  whatever OUT says.
* **Remainders** (configurations no case shows) are not rows of the truth table but are listed
  in ``tt.attrs["remainders"]``; a parsimonious solution reports the remainders it used as
  ``Solution.simplifying_assumptions``.
* **Minimisation.** Quine-McCluskey gives the prime implicants of the OUT == 1 configurations
  (plus the remainders as don't-cares when ``remainders=True``; OUT 0 and "C" rows are never
  covered). Every cover of the OUT == 1 rows with the minimum *number* of prime implicants is
  returned, as R does by default; there is no tie-break on the number of literals.
* **Order.** Prime implicants are sorted as R sorts them: by number of literals, then condition
  by condition (first condition first) with negated < present < absent. Models are listed in the
  lexicographic order of their sorted prime-implicant numbers (M1, M2, ...). Within a model the
  prime implicants shared by all models come first, then the others, each group in that order;
  R prints the second group in parentheses.

>>> df = pd.DataFrame(
...     {"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]}, index=["a", "b", "c", "d"]
... )
>>> tt = truth_table(df, outcome="Y", conditions=["A", "B"])
>>> minimize(tt).models
['A']

A truth table carries its data in ``attrs`` (pandas' metadata slot). pandas compares ``attrs``
when it concatenates or merges frames, which fails for frames that hold DataFrames: clear them
on copies first (``a, b = t1.copy(), t2.copy(); a.attrs = b.attrs = {}; pd.concat([a, b])``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

__all__ = ["Solution", "minimize", "truth_table"]

#: Tolerance of R's ``all.equal()``, which ``admisc::agteb()`` uses to compare with cut-offs.
_TOL = 1.5e-8

#: One value per condition: 1 present, 0 negated ("~"), -1 minimised away (absent).
Implicant = tuple[int, ...]


# --------------------------------------------------------------------------- input checks


def _is_binary(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return True
    if isinstance(value, int | float | np.integer | np.floating):
        return value == 0 or value == 1
    return False


def _py(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _check_data(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> pd.DataFrame:
    """Validate the input and return the outcome and conditions as an int 0/1 frame."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"qca: data must be a pandas DataFrame, not {type(data).__name__}")
    if isinstance(conditions, str):
        raise ValueError(
            f"qca: conditions must be a list of column names, not the string {conditions!r}"
        )
    conditions = list(conditions)
    if not conditions:
        raise ValueError("qca: conditions is empty; give at least one condition column")
    seen: set[str] = set()
    for name in conditions:
        if name in seen:
            raise ValueError(f"qca: condition {name!r} is listed more than once")
        seen.add(name)
    if outcome in seen:
        raise ValueError(f"qca: outcome {outcome!r} is also listed as a condition")
    for name in [*conditions, outcome]:
        if name not in data.columns:
            raise ValueError(f"qca: column {name!r} not found in data")
        if isinstance(data[name], pd.DataFrame):
            raise ValueError(f"qca: column {name!r} appears more than once in data")
    if len(data) == 0:
        raise ValueError("qca: data has no cases (rows)")
    repeated = data.index[data.index.duplicated()].unique()
    if len(repeated):
        raise ValueError(
            f"qca: case names (the index) must be unique; repeated: {[_py(c) for c in repeated]}"
        )
    columns = {}
    for name in [*conditions, outcome]:
        col = data[name]
        missing = col.isna().to_numpy()
        if missing.any():
            cases = [str(c) for c in data.index[missing]]
            raise ValueError(f"qca: column {name!r} has missing values in cases {cases}")
        bad = [_py(v) for v in pd.unique(col.to_numpy(dtype=object)) if not _is_binary(v)]
        if bad:
            with contextlib.suppress(TypeError):  # mixed types keep their order of appearance
                bad = sorted(bad)
            raise ValueError(f"qca: column {name!r} has non-binary values {bad}")
        columns[name] = np.asarray(col.to_numpy(dtype=object), dtype=float).astype(np.int64)
    out = pd.DataFrame(columns, index=data.index)
    if out[outcome].sum() == 0:
        raise ValueError(
            f"qca: outcome {outcome!r} has no case with the outcome (all values are 0)"
        )
    return out


def _check_incl_cut(incl_cut: float | Sequence[float]) -> tuple[float, float]:
    values = [incl_cut] if not isinstance(incl_cut, Sequence | np.ndarray) else list(incl_cut)
    ok = len(values) in (1, 2) and all(
        isinstance(v, int | float | np.integer | np.floating)
        and not isinstance(v, bool | np.bool_)
        and 0 <= v <= 1
        for v in values
    )
    if not ok:
        raise ValueError(
            f"qca: incl_cut must be a number in [0, 1] or a pair (incl_cut1, incl_cut0), "
            f"got {incl_cut!r}"
        )
    ic1 = float(values[0])
    ic0 = float(values[1]) if len(values) == 2 else ic1
    if ic0 > ic1:
        raise ValueError(f"qca: incl_cut0 ({ic0}) must not exceed incl_cut1 ({ic1})")
    return ic1, ic0


def _ge(a: float, b: float) -> bool:
    """``a >= b`` up to R's all.equal() tolerance, as ``admisc::agteb()``."""
    return a > b or abs(a - b) <= _TOL * max(1.0, abs(b))


# --------------------------------------------------------------------------- set measures


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Sufficiency inclusion, PRI and coverage of membership ``x`` in outcome ``y``."""
    sx, sy = float(x.sum()), float(y.sum())
    xy = np.minimum(x, y)
    sxy = float(xy.sum())
    sxyn = float(np.minimum(xy, 1 - y).sum())
    incl = sxy / sx if sx else float("nan")
    pri = (sxy - sxyn) / (sx - sxyn) if sx - sxyn else float("nan")
    cov = sxy / sy if sy else float("nan")
    return incl, pri, cov


def _row_number(config: Sequence[int]) -> int:
    row = 0
    for value in config:
        row = 2 * row + int(value)
    return row + 1


# --------------------------------------------------------------------------- truth table


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    incl_cut: float | Sequence[float] = 1.0,
) -> pd.DataFrame:
    """Build the crisp truth table of ``outcome`` on ``conditions``, as R's ``truthTable()``.

    One row per observed configuration, indexed by R's row number (``row``) and sorted by it:
    the condition columns, ``OUT`` (1, 0 or ``"C"``), ``n``, ``incl``, ``PRI``, ``cases``
    (comma-separated case names in data order) and ``contradictory`` (the cases disagree on the
    outcome). ``attrs`` keeps ``data`` (the checked 0/1 columns), ``outcome``, ``conditions``,
    ``incl_cut`` as ``(incl_cut1, incl_cut0)`` (equal when one value was given),
    ``remainders`` (a frame of the unobserved configurations, same index) and
    ``contradictions`` (row numbers). Bad input raises ``ValueError`` naming the column.

    >>> df = pd.DataFrame(
    ...     {"A": [1, 1, 1, 0], "B": [1, 1, 0, 0], "Y": [1, 0, 1, 0]}, index=["a", "b", "c", "d"]
    ... )
    >>> tt = truth_table(df, outcome="Y", conditions=["A", "B"], incl_cut=(1, 0.5))
    >>> tt[["OUT", "n", "incl", "cases"]].reset_index().to_numpy().tolist()
    [[1, 0, 1, 0.0, 'd'], [3, 1, 1, 1.0, 'c'], [4, 'C', 2, 0.5, 'a,b']]
    >>> tt.attrs["contradictions"], tt.attrs["remainders"].index.tolist()
    ([4], [2])
    """
    ic1, ic0 = _check_incl_cut(incl_cut)
    checked = _check_data(data, outcome, conditions)
    conditions = list(conditions)
    x = checked[conditions].to_numpy()
    y = checked[outcome].to_numpy(dtype=float)
    weights = 2 ** np.arange(len(conditions) - 1, -1, -1, dtype=np.int64)
    rows = x @ weights + 1
    names = np.array([str(c) for c in checked.index], dtype=object)

    records = []
    for row in np.unique(rows):
        member = rows == row
        incl, pri, _ = _fit(member.astype(float), y)
        out: int | str = 1 if _ge(incl, ic1) else ("C" if _ge(incl, ic0) else 0)
        positives = int(y[member].sum())
        records.append(
            {
                **dict(zip(conditions, x[member][0].tolist(), strict=True)),
                "OUT": out,
                "n": int(member.sum()),
                "incl": incl,
                "PRI": pri,
                "cases": ",".join(names[member]),
                "contradictory": 0 < positives < int(member.sum()),
                "row": int(row),
            }
        )
    tt = pd.DataFrame.from_records(records).set_index("row")
    tt["OUT"] = tt["OUT"].astype(object)

    observed = set(tt.index)
    unobserved = [
        c for c in product((0, 1), repeat=len(conditions)) if _row_number(c) not in observed
    ]
    remainders = pd.DataFrame(unobserved, columns=conditions, dtype=np.int64)
    remainders.index = pd.Index([_row_number(c) for c in unobserved], name="row", dtype=np.int64)

    tt.attrs["data"] = checked
    tt.attrs["outcome"] = outcome
    tt.attrs["conditions"] = conditions
    tt.attrs["incl_cut"] = (ic1, ic0)
    tt.attrs["remainders"] = remainders
    tt.attrs["contradictions"] = [int(r) for r in tt.index[tt["contradictory"]]]
    return tt


# --------------------------------------------------------------------------- minimisation


def _prime_implicants(on: set[Implicant], dont_care: set[Implicant]) -> set[Implicant]:
    """Quine-McCluskey: all prime implicants of ``on | dont_care`` (configurations of 0/1)."""
    current = on | dont_care
    primes: set[Implicant] = set()
    while current:
        merged: set[Implicant] = set()
        larger: set[Implicant] = set()
        for term in current:
            for i, value in enumerate(term):
                if value == -1:
                    continue
                partner = (*term[:i], 1 - value, *term[i + 1 :])
                if partner in current:
                    larger.add((*term[:i], -1, *term[i + 1 :]))
                    merged.add(term)
        primes |= current - merged
        current = larger
    return primes


def _covers(implicant: Implicant, config: Sequence[int]) -> bool:
    return all(v == -1 or v == c for v, c in zip(implicant, config, strict=True))


def _sort_key(implicant: Implicant) -> tuple[int, tuple[int, ...]]:
    """R's order: fewer literals first, then per condition negated < present < absent."""
    literals = sum(v != -1 for v in implicant)
    return literals, tuple({0: 0, 1: 1, -1: 2}[v] for v in implicant)


def _term(implicant: Implicant, conditions: Sequence[str]) -> str:
    return "*".join(
        ("~" if v == 0 else "") + str(name)
        for name, v in zip(conditions, implicant, strict=True)
        if v != -1
    )


def _minimal_covers(masks: list[int], n_targets: int) -> list[tuple[int, ...]]:
    """Every cover of ``n_targets`` bits by the fewest ``masks``, as sorted index tuples.

    Iterative deepening: at each depth, branch on the uncovered target with the fewest
    candidate masks (any cover holds one of them), so every cover of that size is found.
    """
    full = (1 << n_targets) - 1
    covering = [[p for p, m in enumerate(masks) if m >> t & 1] for t in range(n_targets)]

    def search(chosen: frozenset[int], covered: int, size: int, found: set) -> None:
        if covered == full:
            found.add(chosen)
            return
        if len(chosen) == size:
            return
        uncovered = (covering[t] for t in range(n_targets) if not covered >> t & 1)
        for p in min(uncovered, key=len):
            search(chosen | {p}, covered | masks[p], size, found)

    for size in range(1, len(masks) + 1):
        found: set[frozenset[int]] = set()
        search(frozenset(), 0, size, found)
        if found:
            return sorted(tuple(sorted(cover)) for cover in found)
    return []


@dataclass(frozen=True, eq=False)
class Solution:
    """The result of :func:`minimize`; print it for R-style ``M1: ... -> OUTCOME`` lines.

    As R, the arrow is ``<->`` when the model's coverage is 1 (also necessary), else ``->``.

    * ``models``: every tied minimal model, in R notation (``"DEV*~IND + URB*STB"``).
    * ``terms``: one row per model and term: ``model`` (label ``M1``, ``M2``, ...; ``M01``...
      when there are ten or more), ``term``, ``incl``, ``PRI``, ``cov_raw``, ``cov_unique``
      (NaN when the model has a single term, as R prints "-") and ``cases`` (the cases of the
      explained configurations the term covers, as R's ``show.cases``).
    * ``solution``: one row per model: ``model`` (label), ``expression``, ``incl``, ``PRI``,
      ``cov`` of the union of its terms.
    * ``primes`` (all prime implicants, R's order), ``pi_chart`` (primes x explained rows),
      ``essential`` (the primes in every model), ``simplifying_assumptions`` (label -> frame of
      the remainders the model covers; empty for a conservative solution).

    >>> df = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    >>> print(minimize(truth_table(df, "Y", ["A"])))
    M1: A <-> Y
    """

    outcome: str
    conditions: list[str]
    remainders: bool
    models: list[str]
    terms: pd.DataFrame
    solution: pd.DataFrame
    primes: list[str]
    pi_chart: pd.DataFrame
    essential: list[str]
    simplifying_assumptions: dict[str, pd.DataFrame]

    def __str__(self) -> str:
        lines = []
        for label, expression, cov in zip(
            self.solution["model"], self.solution["expression"], self.solution["cov"], strict=True
        ):
            arrow = "<->" if _ge(cov, 1.0) else "->"
            lines.append(f"{label}: {expression} {arrow} {self.outcome}")
        return "\n".join(lines)


def _context(tt: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]]:
    needed = ("data", "outcome", "conditions")
    if not isinstance(tt, pd.DataFrame) or any(key not in tt.attrs for key in needed):
        raise ValueError(
            "qca: minimize() needs a truth table made by qca.truth_table() "
            "(attrs 'data', 'outcome' and 'conditions' are missing)"
        )
    conditions = list(tt.attrs["conditions"])
    for name in [*conditions, "OUT"]:
        if name not in tt.columns:
            raise ValueError(f"qca: column {name!r} not found in the truth table")
    return tt.attrs["data"], tt.attrs["outcome"], conditions


def minimize(tt: pd.DataFrame, remainders: bool = False) -> Solution:
    """Minimise a truth table as R's ``minimize()``: all minimal models with their fit.

    ``remainders=False`` gives the conservative (complex) solution; ``remainders=True`` the
    parsimonious one, with the unobserved configurations as don't-cares. Configurations with
    OUT 0 or "C" are never covered; rows dropped from ``tt`` count as remainders. Raises
    ``ValueError`` when no row has OUT 1, or when the solution would be a tautology (every
    condition minimised away: no configuration left outside the outcome), as R does.

    >>> df = pd.DataFrame({"A": [1, 0], "B": [1, 0], "Y": [1, 0]}, index=["a", "b"])
    >>> tt = truth_table(df, outcome="Y", conditions=["A", "B"])
    >>> minimize(tt).models, minimize(tt, remainders=True).models
    (['A*B'], ['A', 'B'])
    >>> minimize(tt, remainders=True).simplifying_assumptions["M1"].index.tolist()
    [3]
    """
    data, outcome, conditions = _context(tt)
    k = len(conditions)
    configs = [tuple(int(v) for v in row) for row in tt[conditions].to_numpy()]
    outs = [str(v) for v in tt["OUT"]]
    positive = sorted({c for c, o in zip(configs, outs, strict=True) if o == "1"})
    negative = {c for c, o in zip(configs, outs, strict=True) if o != "1"}
    if not positive:
        raise ValueError(
            "qca: no configuration has OUT == 1, so there is nothing to explain "
            "(check incl_cut and the truth table)"
        )
    tautology = ValueError(
        "qca: all truth table configurations are used, all conditions are minimized "
        "(the solution would be a tautology); check the truth table"
    )
    if remainders and not negative:
        raise tautology
    dont_care: set[Implicant] = set()
    if remainders:
        dont_care = set(product((0, 1), repeat=k)) - set(positive) - negative

    primes = [
        p
        for p in _prime_implicants(set(positive), dont_care)
        if any(_covers(p, c) for c in positive)
    ]
    if any(all(v == -1 for v in p) for p in primes):
        raise tautology
    primes.sort(key=_sort_key)
    names = [_term(p, conditions) for p in primes]
    chart = [[_covers(p, c) for c in positive] for p in primes]
    masks = [sum(1 << j for j, hit in enumerate(row) if hit) for row in chart]
    covers = _minimal_covers(masks, len(positive))
    essential = [i for i in range(len(primes)) if all(i in cover for cover in covers)]
    width = len(str(len(covers)))
    labels = [f"M{i + 1:0{width}d}" for i in range(len(covers))]

    x = data[conditions].to_numpy()
    y = data[outcome].to_numpy(dtype=float)
    case_names = np.array([str(c) for c in data.index], dtype=object)
    members = [
        np.all(x[:, [j for j, v in enumerate(p) if v != -1]] == [v for v in p if v != -1], axis=1)
        for p in primes
    ]
    config_cases = {c: ",".join(case_names[np.all(x == np.array(c), axis=1)]) for c in positive}

    models, term_rows, solution_rows, assumptions = [], [], [], {}
    for label, cover in zip(labels, covers, strict=True):
        order = [i for i in essential] + [i for i in cover if i not in essential]
        expression = " + ".join(names[i] for i in order)
        models.append(expression)
        union = np.any([members[i] for i in order], axis=0).astype(float)
        incl, pri, cov = _fit(union, y)
        solution_rows.append(
            {"model": label, "expression": expression, "incl": incl, "PRI": pri, "cov": cov}
        )
        for i in order:
            t_incl, t_pri, t_cov = _fit(members[i].astype(float), y)
            if len(order) > 1:
                rest = np.any([members[j] for j in order if j != i], axis=0).astype(float)
                unique = cov - _fit(rest, y)[2]
            else:
                unique = float("nan")
            cases = "; ".join(
                config_cases[c] for c, hit in zip(positive, chart[i], strict=True) if hit
            )
            term_rows.append(
                {
                    "model": label,
                    "term": names[i],
                    "incl": t_incl,
                    "PRI": t_pri,
                    "cov_raw": t_cov,
                    "cov_unique": unique,
                    "cases": cases,
                }
            )
        used = sorted(
            (c for c in dont_care if any(_covers(primes[i], c) for i in cover)), key=_row_number
        )
        frame = pd.DataFrame(used, columns=conditions, dtype=np.int64)
        frame.index = pd.Index([_row_number(c) for c in used], name="row", dtype=np.int64)
        assumptions[label] = frame

    pi_chart = pd.DataFrame(
        chart, index=pd.Index(names, name="prime"), columns=[_row_number(c) for c in positive]
    )
    term_columns = ["model", "term", "incl", "PRI", "cov_raw", "cov_unique", "cases"]
    return Solution(
        outcome=outcome,
        conditions=conditions,
        remainders=remainders,
        models=models,
        terms=pd.DataFrame(term_rows, columns=term_columns),
        solution=pd.DataFrame(solution_rows, columns=["model", "expression", "incl", "PRI", "cov"]),
        primes=names,
        pi_chart=pi_chart,
        essential=[names[i] for i in essential],
        simplifying_assumptions=assumptions,
    )

"""Tests of analytics.qca against published R QCA results and hand-checked small cases.

Reference results come from R's QCA package (Dusa): the Lipset crisp data ``LC`` and the
Krook (2010) representation data ``d.represent`` as printed by ``truthTable()`` and
``minimize()`` in the package's own regression snapshots (tests/testthat/_snaps of QCA 3.x),
which agree with "QCA with R" (Dusa 2019, chapters 7-8).
"""

from __future__ import annotations

import math
from itertools import combinations, product

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analytics import qca

CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]

# R's LC, in R's row order. RO is 0 0 0 0 1 0: R prints truth-table row 2 (00001) with the
# cases "IT,RO" and row 5 (00100) with "HU,PL", and LM's negated solution lists
# "GR,IT,PT,RO,ES" for DEV[0]*URB[0]*IND[0] (RO between PT and ES in the data).
LC_ROWS = """
AU 1 0 1 1 0 0
BE 1 1 1 1 1 1
CZ 1 1 1 1 1 1
EE 0 0 1 0 1 0
FI 1 0 1 0 1 1
FR 1 0 1 1 1 1
DE 1 1 1 1 0 0
GR 0 0 0 0 0 0
HU 0 0 1 0 0 0
IE 1 0 1 0 1 1
IT 0 0 0 0 1 0
NL 1 1 1 1 1 1
PL 0 0 1 0 0 0
PT 0 0 0 0 0 0
RO 0 0 0 0 1 0
ES 0 0 0 0 0 0
SE 1 0 1 1 1 1
UK 1 1 1 1 1 1
"""


def _frame(text: str, columns: list[str]) -> pd.DataFrame:
    rows = [line.split() for line in text.strip().splitlines()]
    return pd.DataFrame(
        [[int(v) for v in row[1:]] for row in rows], index=[row[0] for row in rows], columns=columns
    )


@pytest.fixture
def lc() -> pd.DataFrame:
    return _frame(LC_ROWS, [*CONDITIONS, "SURV"])


def _terms(sol: qca.Solution) -> list[tuple]:
    """(model, term, incl, PRI, cov_raw, cov_unique) rounded to R's three printed decimals."""
    out = []
    for row in sol.terms.itertuples(index=False):
        unique = None if math.isnan(row.cov_unique) else round(row.cov_unique, 3)
        out.append(
            (
                row.model,
                row.term,
                round(row.incl, 3),
                round(row.PRI, 3),
                round(row.cov_raw, 3),
                unique,
            )
        )
    return out


def _fits(sol: qca.Solution) -> list[tuple]:
    return [
        (row.model, row.expression, round(row.incl, 3), round(row.PRI, 3), round(row.cov, 3))
        for row in sol.solution.itertuples(index=False)
    ]


# --------------------------------------------------------------------------- Lipset (LC)


def test_lc_is_r_lipset_crisp(lc):
    assert lc.shape == (18, 6)
    assert lc["SURV"].sum() == 8  # FI, IE, FR, SE, BE, CZ, NL, UK survived


def test_lc_truth_table_matches_r(lc):
    # R: truthTable(LC, outcome = "SURV", incl.cut = 1); print(ttLC, show.cases = TRUE)
    tt = qca.truth_table(lc, outcome="SURV", conditions=CONDITIONS, incl_cut=1)
    assert tt.index.name == "row"
    assert list(tt.columns) == [
        *CONDITIONS,
        *["OUT", "n", "incl", "PRI", "cases", "contradictory"],
    ]
    expected = [
        # row, DEV URB LIT IND STB, OUT, n, incl, PRI, cases
        (1, 0, 0, 0, 0, 0, 0, 3, 0.0, 0.0, "GR,PT,ES"),
        (2, 0, 0, 0, 0, 1, 0, 2, 0.0, 0.0, "IT,RO"),
        (5, 0, 0, 1, 0, 0, 0, 2, 0.0, 0.0, "HU,PL"),
        (6, 0, 0, 1, 0, 1, 0, 1, 0.0, 0.0, "EE"),
        (22, 1, 0, 1, 0, 1, 1, 2, 1.0, 1.0, "FI,IE"),
        (23, 1, 0, 1, 1, 0, 0, 1, 0.0, 0.0, "AU"),
        (24, 1, 0, 1, 1, 1, 1, 2, 1.0, 1.0, "FR,SE"),
        (31, 1, 1, 1, 1, 0, 0, 1, 0.0, 0.0, "DE"),
        (32, 1, 1, 1, 1, 1, 1, 4, 1.0, 1.0, "BE,CZ,NL,UK"),
    ]
    got = [
        (row, *(int(v) for v in r[:5]), r[5], r[6], r[7], r[8], r[9])
        for row, r in zip(tt.index, tt.drop(columns="contradictory").to_numpy(), strict=True)
    ]
    assert got == expected
    assert not tt["contradictory"].any()
    assert tt.attrs["outcome"] == "SURV"
    assert tt.attrs["conditions"] == CONDITIONS
    assert tt.attrs["incl_cut"] == (1.0, 1.0)
    assert tt.attrs["contradictions"] == []
    pd.testing.assert_frame_equal(tt.attrs["data"], lc)
    # The 23 "?" rows of print(ttLC, complete = TRUE):
    remainders = tt.attrs["remainders"]
    assert remainders.index.tolist() == [3, 4, *range(7, 22), *range(25, 31)]
    assert list(remainders.columns) == CONDITIONS
    assert remainders.loc[18].tolist() == [1, 0, 0, 0, 1]


def test_lc_conservative_solution_matches_r(lc):
    # R: minimize(ttLC, details = TRUE, show.cases = TRUE)
    #   M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB <-> SURV
    #                        inclS   PRI   covS   covU   cases
    #   1  DEV*~URB*LIT*STB  1.000  1.000  0.500  0.250  FI,IE; FR,SE
    #   2   DEV*LIT*IND*STB  1.000  1.000  0.750  0.500  FR,SE; BE,CZ,NL,UK
    #                    M1  1.000  1.000  1.000
    # By hand: 8 cases have SURV = 1 (FI IE FR SE BE CZ NL UK).
    # DEV*~URB*LIT*STB holds for 10101 (FI, IE) and 10111 (FR, SE): 4 cases, all SURV = 1, so
    #   incl = 4/4 = 1, cov.r = 4/8 = 0.5; without it the model covers FR SE BE CZ NL UK (6),
    #   so cov.u = 1 - 6/8 = 0.25 (FI, IE).
    # DEV*LIT*IND*STB holds for 10111 (FR, SE) and 11111 (BE, CZ, NL, UK): 6 cases, all SURV = 1,
    #   incl = 1, cov.r = 6/8 = 0.75, cov.u = 1 - 4/8 = 0.5 (BE, CZ, NL, UK).
    # Union: the 8 positive cases and nothing else: incl = 8/8 = 1, cov = 8/8 = 1.
    # Crisp data: min(X, Y, ~Y) = 0, so PRI = incl throughout.
    tt = qca.truth_table(lc, outcome="SURV", conditions=CONDITIONS, incl_cut=1.0)
    sol = qca.minimize(tt, remainders=False)
    assert sol.models == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]
    assert _terms(sol) == [
        ("M1", "DEV*~URB*LIT*STB", 1.0, 1.0, 0.5, 0.25),
        ("M1", "DEV*LIT*IND*STB", 1.0, 1.0, 0.75, 0.5),
    ]
    assert sol.terms["cases"].tolist() == ["FI,IE; FR,SE", "FR,SE; BE,CZ,NL,UK"]
    assert _fits(sol) == [("M1", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB", 1.0, 1.0, 1.0)]
    assert sol.essential == ["DEV*~URB*LIT*STB", "DEV*LIT*IND*STB"]
    assert sol.simplifying_assumptions["M1"].empty
    assert sol.pi_chart.columns.tolist() == [22, 24, 32]
    assert str(sol) == "M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB <-> SURV"


def test_lc_parsimonious_solution_matches_r(lc):
    # R: minimize(ttLC, include = "?", details = TRUE, show.cases = TRUE)
    #   M1: DEV*STB <-> SURV
    #               inclS   PRI   covS   covU   cases
    #   1  DEV*STB  1.000  1.000  1.000    -    FI,IE; FR,SE; BE,CZ,NL,UK
    #           M1  1.000  1.000  1.000
    # By hand: the cases with DEV = STB = 1 are FI IE FR SE BE CZ NL UK (AU and DE have
    # STB = 0), all 8 with SURV = 1: incl = 8/8, cov = 8/8; a one-term model has no unique
    # coverage in R's print ("-"), reported here as NaN.
    # pLC$SA$M1 (simplifying assumptions): rows 18, 20, 26, 28, 30.
    tt = qca.truth_table(lc, outcome="SURV", conditions=CONDITIONS, incl_cut=1.0)
    sol = qca.minimize(tt, remainders=True)
    assert sol.models == ["DEV*STB"]
    assert _terms(sol) == [("M1", "DEV*STB", 1.0, 1.0, 1.0, None)]
    assert sol.terms["cases"].tolist() == ["FI,IE; FR,SE; BE,CZ,NL,UK"]
    assert _fits(sol) == [("M1", "DEV*STB", 1.0, 1.0, 1.0)]
    sa = sol.simplifying_assumptions["M1"]
    assert sa.index.tolist() == [18, 20, 26, 28, 30]
    assert sa.to_numpy().tolist() == [
        [1, 0, 0, 0, 1],
        [1, 0, 0, 1, 1],
        [1, 1, 0, 0, 1],
        [1, 1, 0, 1, 1],
        [1, 1, 1, 0, 1],
    ]
    # Other prime implicants exist but are not needed: DEV*STB alone covers rows 22, 24, 32.
    assert sol.primes == ["DEV*~IND", "DEV*STB", "URB*STB", "IND*STB"]


def test_lc_negated_outcome_matches_r(lc):
    # R: ttLCn <- truthTable(LC, outcome = "~SURV"); minimize(ttLCn) and include = "?":
    #   M1: ~DEV*~URB*~IND + DEV*LIT*IND*~STB <-> ~SURV
    #   M1: ~DEV + ~STB <-> ~SURV
    #            inclS   PRI   covS   covU   cases
    #   1  ~DEV  1.000  1.000  0.800  0.300  GR,PT,ES; IT,RO; HU,PL; EE
    #   2  ~STB  1.000  1.000  0.700  0.200  GR,PT,ES; HU,PL; AU; DE
    # By hand: 10 cases have SURV = 0; ~DEV covers 8 of them, ~STB 7 (GR PT ES HU PL AU DE),
    # the union all 10; cov.u(~DEV) = 1 - 7/10, cov.u(~STB) = 1 - 8/10.
    data = lc.assign(NOSURV=1 - lc["SURV"]).drop(columns="SURV")
    tt = qca.truth_table(data, outcome="NOSURV", conditions=CONDITIONS)
    assert qca.minimize(tt).models == ["~DEV*~URB*~IND + DEV*LIT*IND*~STB"]
    sol = qca.minimize(tt, remainders=True)
    assert sol.models == ["~DEV + ~STB"]
    assert _terms(sol) == [
        ("M1", "~DEV", 1.0, 1.0, 0.8, 0.3),
        ("M1", "~STB", 1.0, 1.0, 0.7, 0.2),
    ]
    assert sol.terms["cases"].tolist() == [
        "GR,PT,ES; IT,RO; HU,PL; EE",
        "GR,PT,ES; HU,PL; AU; DE",
    ]
    assert _fits(sol) == [("M1", "~DEV + ~STB", 1.0, 1.0, 1.0)]


# --------------------------------------------------------------------------- Krook: R ties

# d.represent (Krook 2010) rebuilt from R's printed truth table with cases:
# conditions ES QU WS WM LP, outcome WNP; case order follows R's case strings.
KROOK_ROWS = """
NZ 0 0 0 1 1 1
DE 0 1 0 1 1 1
FI 1 0 1 0 0 1
DK 1 0 1 1 1 1
AT 1 1 0 0 1 1
ES 1 1 0 1 0 1
SE 1 1 1 0 0 1
NL 1 1 0 1 1 1
BE 1 1 0 1 1 1
NO 1 1 1 1 1 1
IS 1 1 1 1 1 1
IT 0 1 0 0 0 0
LU 1 0 0 0 1 0
CA 0 0 0 1 0 0
US 0 0 0 1 0 0
CH 1 1 0 0 0 0
PT 1 1 0 0 0 0
GR 1 1 0 0 0 0
AU 0 1 0 1 0 0
GB 0 1 0 1 0 0
FR 0 1 0 1 0 0
IE 0 1 0 1 0 0
"""
KROOK_CONDITIONS = ["ES", "QU", "WS", "WM", "LP"]


@pytest.fixture
def krook_tt() -> pd.DataFrame:
    data = _frame(KROOK_ROWS, [*KROOK_CONDITIONS, "WNP"])
    return qca.truth_table(data, outcome="WNP", conditions=KROOK_CONDITIONS)


def test_krook_truth_table_matches_r(krook_tt):
    assert krook_tt.index.tolist() == [3, 4, 9, 11, 12, 18, 21, 24, 25, 26, 27, 28, 29, 32]
    assert krook_tt["OUT"].tolist() == [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1]
    assert krook_tt["n"].tolist() == [2, 1, 1, 4, 1, 1, 1, 1, 3, 1, 1, 2, 1, 2]
    assert krook_tt.loc[[11, 25, 28], "cases"].tolist() == ["AU,GB,FR,IE", "CH,PT,GR", "NL,BE"]


def test_krook_conservative_matches_r(krook_tt):
    # R: minimize(d.represent, outcome = "WNP") and outcome = "~WNP"
    assert qca.minimize(krook_tt).models == [
        "~ES*~WS*WM*LP + ES*QU*~WS*WM + ES*QU*~WS*LP + ES*WS*~WM*~LP + ES*WS*WM*LP"
    ]
    data = krook_tt.attrs["data"].assign(NOWNP=lambda d: 1 - d["WNP"]).drop(columns="WNP")
    negated = qca.truth_table(data, outcome="NOWNP", conditions=KROOK_CONDITIONS)
    assert qca.minimize(negated).models == ["~ES*~WS*WM*~LP + QU*~WS*~WM*~LP + ES*~QU*~WS*~WM*LP"]


def test_krook_parsimonious_ties_match_r(krook_tt):
    # R: Kro.sp <- minimize(ttKro, include = "?", details = TRUE)
    #   M1: WS + ES*WM + QU*LP + (~ES*LP) <-> WNP
    #   M2: WS + ES*WM + QU*LP + (WM*LP) <-> WNP
    #              inclS   PRI   covS   covU   (M1)   (M2)
    #   1      WS  1.000  1.000  0.455  0.182  0.182  0.182
    #   2   ES*WM  1.000  1.000  0.545  0.091  0.091  0.091
    #   3   QU*LP  1.000  1.000  0.545  0.091  0.091  0.091
    #   4  ~ES*LP  1.000  1.000  0.182  0.000  0.091
    #   5   WM*LP  1.000  1.000  0.636  0.000         0.091
    #          M1  1.000  1.000  1.000
    #          M2  1.000  1.000  1.000
    # By hand (11 positive cases): WS covers FI DK SE NO IS (5/11 = .455) and alone FI, SE
    # (2/11 = .182); ES*WM covers DK ES NL BE NO IS (6/11), alone ES (1/11); QU*LP covers
    # DE AT NL BE NO IS (6/11), alone AT; ~ES*LP covers NZ DE (2/11), alone NZ; WM*LP covers
    # NZ DE DK NL BE NO IS (7/11 = .636), alone NZ. The R table's covU column is relative to
    # all five terms; per model (as here) it is the (M1)/(M2) column.
    sol = qca.minimize(krook_tt, remainders=True)
    assert sol.models == ["WS + ES*WM + QU*LP + ~ES*LP", "WS + ES*WM + QU*LP + WM*LP"]
    assert sol.essential == ["WS", "ES*WM", "QU*LP"]
    assert _terms(sol) == [
        ("M1", "WS", 1.0, 1.0, 0.455, 0.182),
        ("M1", "ES*WM", 1.0, 1.0, 0.545, 0.091),
        ("M1", "QU*LP", 1.0, 1.0, 0.545, 0.091),
        ("M1", "~ES*LP", 1.0, 1.0, 0.182, 0.091),
        ("M2", "WS", 1.0, 1.0, 0.455, 0.182),
        ("M2", "ES*WM", 1.0, 1.0, 0.545, 0.091),
        ("M2", "QU*LP", 1.0, 1.0, 0.545, 0.091),
        ("M2", "WM*LP", 1.0, 1.0, 0.636, 0.091),
    ]
    assert _fits(sol) == [
        ("M1", "WS + ES*WM + QU*LP + ~ES*LP", 1.0, 1.0, 1.0),
        ("M2", "WS + ES*WM + QU*LP + WM*LP", 1.0, 1.0, 1.0),
    ]
    # Kro.sp$PIchart
    assert sol.primes == ["WS", "~ES*LP", "ES*WM", "QU*LP", "WM*LP", "ES*~QU*~LP", "~QU*~WM*~LP"]
    assert sol.pi_chart.columns.tolist() == [4, 12, 21, 24, 26, 27, 28, 29, 32]
    assert sol.pi_chart.loc["WM*LP"].tolist() == [1, 1, 0, 1, 0, 0, 1, 0, 1]
    # Kro.sp$SA
    common = [5, 6, 7, 8, 10, 13, 14, 15, 16, 19, 20, 22, 23, 30, 31]
    assert sol.simplifying_assumptions["M1"].index.tolist() == [2, *common]
    assert sol.simplifying_assumptions["M2"].index.tolist() == common
    assert str(sol).splitlines() == [
        "M1: WS + ES*WM + QU*LP + ~ES*LP <-> WNP",
        "M2: WS + ES*WM + QU*LP + WM*LP <-> WNP",
    ]


# --------------------------------------------------------------------------- hand-checked


def test_one_condition():
    data = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    tt = qca.truth_table(data, outcome="Y", conditions=["A"])
    assert tt.index.tolist() == [1, 2]
    assert tt["OUT"].tolist() == [0, 1]
    assert tt["cases"].tolist() == ["c", "a,b"]
    assert tt.attrs["remainders"].empty
    for remainders in (False, True):
        sol = qca.minimize(tt, remainders=remainders)
        assert sol.models == ["A"]
        assert _terms(sol) == [("M1", "A", 1.0, 1.0, 1.0, None)]
    negated = qca.truth_table(data.assign(Y=1 - data["Y"]), outcome="Y", conditions=["A"])
    assert qca.minimize(negated).models == ["~A"]


def test_remainders_single_positive_configuration():
    # One positive (A=1, B=1) and one negative (0, 0) configuration; rows 2 (01) and 3 (10)
    # are remainders. Conservative: A*B. Parsimonious: A and B are both prime, each covers
    # row 4 alone and avoids row 1, so there are two tied one-term models, M1: A and M2: B,
    # using remainders 3 (10) and 2 (01) respectively.
    data = pd.DataFrame({"A": [1, 0], "B": [1, 0], "Y": [1, 0]}, index=["p", "q"])
    tt = qca.truth_table(data, outcome="Y", conditions=["A", "B"])
    assert tt.attrs["remainders"].index.tolist() == [2, 3]
    assert qca.minimize(tt).models == ["A*B"]
    sol = qca.minimize(tt, remainders=True)
    assert sol.models == ["A", "B"]
    assert sol.essential == []
    assert sol.simplifying_assumptions["M1"].index.tolist() == [3]
    assert sol.simplifying_assumptions["M2"].index.tolist() == [2]


def test_all_remainders_is_a_tautology_error():
    # Only a positive configuration is observed: with every other configuration a remainder,
    # the parsimonious solution would be the tautology, which R refuses ("All truth table
    # configurations are used, all conditions are minimized"); so does qca.
    data = pd.DataFrame({"A": [1], "B": [1], "Y": [1]}, index=["only"])
    tt = qca.truth_table(data, outcome="Y", conditions=["A", "B"])
    assert tt.attrs["remainders"].index.tolist() == [1, 2, 3]
    assert qca.minimize(tt).models == ["A*B"]
    with pytest.raises(ValueError, match="all conditions are minimized"):
        qca.minimize(tt, remainders=True)
    # The same when every configuration is observed and positive (conservative too).
    full = pd.DataFrame({"A": [0, 1], "Y": [1, 1]}, index=["a", "b"])
    with pytest.raises(ValueError, match="tautology"):
        qca.minimize(qca.truth_table(full, outcome="Y", conditions=["A"]))


def test_contradiction_is_reported_and_excluded():
    # Cases a (A=1, B=1, Y=1) and b (1, 1, 0) share row 4: incl = 1/2 = 0.5, a contradiction.
    data = pd.DataFrame(
        {"A": [1, 1, 1, 0], "B": [1, 1, 0, 0], "Y": [1, 0, 1, 0]}, index=["a", "b", "c", "d"]
    )
    tt = qca.truth_table(data, outcome="Y", conditions=["A", "B"])
    assert tt.attrs["incl_cut"] == (1.0, 1.0)
    assert tt["contradictory"].tolist() == [False, False, True]
    assert tt.attrs["contradictions"] == [4]
    assert tt.loc[4, ["OUT", "n", "incl", "PRI", "cases"]].tolist() == [0, 2, 0.5, 0.5, "a,b"]

    both = qca.truth_table(data, outcome="Y", conditions=["A", "B"], incl_cut=(1, 0.5))
    assert both["OUT"].tolist() == [0, 1, "C"]
    assert both.attrs["incl_cut"] == (1.0, 0.5)
    assert both.attrs["contradictions"] == [4]
    below = qca.truth_table(data, outcome="Y", conditions=["A", "B"], incl_cut=(1, 0.6))
    assert below["OUT"].tolist() == [0, 1, 0]
    lenient = qca.truth_table(data, outcome="Y", conditions=["A", "B"], incl_cut=0.5)
    assert lenient["OUT"].tolist() == [0, 1, 1]

    # "C" is never covered: only row 3 (c) is explained, by A*~B with or without remainders
    # (the remainder 01 cannot help: ~B would cover row 1, A would cover row 4).
    # A*~B: case c only, Y = 1: incl 1, cov 1/2 (a is not explained).
    for remainders in (False, True):
        sol = qca.minimize(both, remainders=remainders)
        assert sol.models == ["A*~B"]
        assert _terms(sol) == [("M1", "A*~B", 1.0, 1.0, 0.5, None)]
        assert _fits(sol) == [("M1", "A*~B", 1.0, 1.0, 0.5)]
        assert str(sol) == "M1: A*~B -> Y"
    # With incl_cut 0.5 row 4 is positive: A explains both rows (incl 2/3, cov 2/2).
    sol = qca.minimize(lenient)
    assert sol.models == ["A"]
    assert _fits(sol) == [("M1", "A", 0.667, 0.667, 1.0)]


def test_cyclic_chart_returns_both_minimal_models():
    # Positive rows 000 001 010 101 110 111 (negatives 011, 100): the six prime implicants
    # form a cycle, and exactly two covers use three of them. In R's order the primes are
    # ~A*~B, ~A*~C, A*B, A*C, ~B*C, B*~C (negated < present < absent, first condition first);
    # the covers are {1, 4, 6} and {2, 3, 5}, printed in that order.
    configs = ["000", "001", "010", "101", "110", "111", "011", "100"]
    data = pd.DataFrame(
        [[int(ch) for ch in c] + [int(i < 6)] for i, c in enumerate(configs)],
        index=[f"c{i}" for i in range(8)],
        columns=["A", "B", "C", "Y"],
    )
    tt = qca.truth_table(data, outcome="Y", conditions=["A", "B", "C"])
    sol = qca.minimize(tt)
    assert sol.primes == ["~A*~B", "~A*~C", "A*B", "A*C", "~B*C", "B*~C"]
    assert sol.models == ["~A*~B + A*C + B*~C", "~A*~C + A*B + ~B*C"]
    assert sol.essential == []
    assert sol.solution["model"].tolist() == ["M1", "M2"]
    assert sol.terms.groupby("model").size().tolist() == [3, 3]
    # each term covers 2 of the 6 positive cases, alone 2 of them
    assert set(sol.terms["cov_raw"].round(3)) == {0.333}
    assert set(sol.terms["cov_unique"].round(3)) == {0.333}


def test_model_labels_are_zero_padded_from_ten_models():
    # Rows 3 (0010) and 6 (0101) positive, 2 (0001) and 15 (1110) negative, 12 remainders:
    # no prime implicant covers both positives (their only common cube is the tautology), so
    # every model pairs one of several primes of row 3 with one of several of row 6. Labels
    # follow R's formatC(): M01, M02, ... once there are 10 or more models.
    data = pd.DataFrame(
        [[0, 0, 0, 1, 0], [0, 0, 1, 0, 1], [0, 1, 0, 1, 1], [1, 1, 1, 0, 0]],
        index=["a", "b", "c", "d"],
        columns=["A", "B", "C", "D", "Y"],
    )
    sol = qca.minimize(qca.truth_table(data, "Y", ["A", "B", "C", "D"]), remainders=True)
    labels = sol.solution["model"].tolist()
    assert labels == [f"M{i:02d}" for i in range(1, len(labels) + 1)]
    assert len(labels) == 12
    assert all(len(m.split(" + ")) == 2 for m in sol.models)
    assert len(set(sol.models)) == len(sol.models)
    assert sorted(set(sol.terms["model"])) == labels


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("change", "outcome", "conditions", "message"),
    [
        (lambda d: d.assign(DEV=d["DEV"].replace({0: 2})), "SURV", CONDITIONS, None),
        (lambda d: d, "SURV", ["DEV", "GDP"], "qca: column 'GDP' not found in data"),
        (lambda d: d, "SURVIVAL", CONDITIONS, "qca: column 'SURVIVAL' not found in data"),
        (
            lambda d: d.assign(SURV=0),
            "SURV",
            CONDITIONS,
            "qca: outcome 'SURV' has no case with the outcome (all values are 0)",
        ),
        (
            lambda d: d.assign(URB=d["URB"].astype(float).where(d.index != "EE")),
            "SURV",
            CONDITIONS,
            "qca: column 'URB' has missing values in cases ['EE']",
        ),
        (
            lambda d: d,
            "SURV",
            [],
            "qca: conditions is empty; give at least one condition column",
        ),
        (
            lambda d: d,
            "SURV",
            ["DEV", "DEV"],
            "qca: condition 'DEV' is listed more than once",
        ),
        (
            lambda d: d,
            "SURV",
            ["DEV", "SURV"],
            "qca: outcome 'SURV' is also listed as a condition",
        ),
        (
            lambda d: d,
            "SURV",
            "DEV",
            "qca: conditions must be a list of column names, not the string 'DEV'",
        ),
        (
            lambda d: d.assign(STB=d["STB"].map({0: "no", 1: "yes"})),
            "SURV",
            CONDITIONS,
            "qca: column 'STB' has non-binary values ['no', 'yes']",
        ),
        (
            lambda d: d.assign(LIT=d["LIT"] * 0.5),
            "SURV",
            CONDITIONS,
            "qca: column 'LIT' has non-binary values [0.5]",
        ),
        (
            lambda d: d.rename(index={"BE": "AU"}),
            "SURV",
            CONDITIONS,
            "qca: case names (the index) must be unique; repeated: ['AU']",
        ),
        (
            lambda d: d.iloc[:0],
            "SURV",
            CONDITIONS,
            "qca: data has no cases (rows)",
        ),
    ],
)
def test_bad_input_raises_value_error_naming_the_column(lc, change, outcome, conditions, message):
    message = message or "qca: column 'DEV' has non-binary values [2]"
    with pytest.raises(ValueError) as excinfo:
        qca.truth_table(change(lc), outcome=outcome, conditions=conditions)
    assert str(excinfo.value) == message


def test_non_binary_outcome_and_bad_cut(lc):
    with pytest.raises(ValueError, match=r"^qca: column 'SURV' has non-binary values \[-1\]$"):
        qca.truth_table(lc.assign(SURV=lc["SURV"].replace({0: -1})), "SURV", CONDITIONS)
    for cut in (1.5, -0.1, (0.5, 0.8), (1, 0.5, 0.2), "1", True):
        with pytest.raises(ValueError, match=r"^qca: incl_cut"):
            qca.truth_table(lc, "SURV", CONDITIONS, incl_cut=cut)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        qca.truth_table(lc.to_numpy(), "SURV", CONDITIONS)


def test_boolean_and_float_columns_are_accepted(lc):
    typed = lc.astype({"DEV": bool, "URB": float})
    tt = qca.truth_table(typed, outcome="SURV", conditions=CONDITIONS)
    assert tt.attrs["data"]["DEV"].dtype == "int64"
    assert qca.minimize(tt, remainders=True).models == ["DEV*STB"]


def test_minimize_needs_outcome_rows_and_a_truth_table(lc):
    tt = qca.truth_table(lc, outcome="SURV", conditions=CONDITIONS)
    with pytest.raises(ValueError, match="nothing to explain"):
        qca.minimize(tt[tt["OUT"] != 1])
    stripped = tt.copy()
    stripped.attrs.clear()
    with pytest.raises(ValueError, match=r"truth table made by qca\.truth_table"):
        qca.minimize(stripped)
    with pytest.raises(ValueError, match=r"truth table made by qca\.truth_table"):
        qca.minimize(lc)


# --------------------------------------------------------------------------- properties


def _holds(model: str, config: dict[str, int]) -> bool:
    """Evaluate a model in R notation on one configuration."""
    for term in model.split(" + "):
        literals = term.split("*")
        if all(config[lit.lstrip("~")] == (0 if lit.startswith("~") else 1) for lit in literals):
            return True
    return False


def _brute_force(k: int, names: list[str], on: set, off: set) -> tuple[set, set]:
    """All prime implicants covering an ON config, and all minimum covers, by enumeration."""

    def configs_of(cube):
        free = [i for i, v in enumerate(cube) if v == -1]
        for bits in product((0, 1), repeat=len(free)):
            config = list(cube)
            for i, b in zip(free, bits, strict=True):
                config[i] = b
            yield tuple(config)

    def consistent(cube):
        return not any(c in off for c in configs_of(cube))

    primes = set()
    for cube in product((0, 1, -1), repeat=k):
        if not consistent(cube) or not any(c in on for c in configs_of(cube)):
            continue
        widened = ((*cube[:i], -1, *cube[i + 1 :]) for i, v in enumerate(cube) if v != -1)
        if all(v == -1 for v in cube) or not any(consistent(w) for w in widened):
            primes.add(cube)
    labels = {
        cube: "*".join(
            ("~" if v == 0 else "") + n for n, v in zip(names, cube, strict=True) if v != -1
        )
        for cube in primes
    }
    covers: set = set()
    for size in range(1, len(primes) + 1):
        for combo in combinations(sorted(primes), size):
            if all(any(c in set(configs_of(p)) for p in combo) for c in on):
                covers.add(frozenset(labels[p] for p in combo))
        if covers:
            break
    return set(labels.values()), covers


@st.composite
def small_data(draw):
    k = draw(st.integers(min_value=1, max_value=4))
    n = draw(st.integers(min_value=1, max_value=12))
    rows = draw(
        st.lists(
            st.lists(st.integers(0, 1), min_size=k + 1, max_size=k + 1), min_size=n, max_size=n
        )
    )
    cut = draw(st.sampled_from([1.0, 0.75, (1.0, 0.5)]))
    names = [f"X{i}" for i in range(k)]
    data = pd.DataFrame(rows, columns=[*names, "Y"], index=[f"case{i}" for i in range(n)])
    return data, names, cut


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_data(), st.booleans())
def test_models_reproduce_the_truth_table_and_are_minimal(sample, remainders):
    data, names, cut = sample
    if data["Y"].sum() == 0:
        event("no case with the outcome")
        with pytest.raises(ValueError, match="no case with the outcome"):
            qca.truth_table(data, outcome="Y", conditions=names, incl_cut=cut)
        return
    tt = qca.truth_table(data, outcome="Y", conditions=names, incl_cut=cut)
    k = len(names)
    configs = {
        tuple(int(v) for v in row): out
        for row, out in zip(tt[names].to_numpy(), tt["OUT"], strict=True)
    }
    on = {c for c, out in configs.items() if out == 1}
    negative = set(configs) - on
    everything = set(product((0, 1), repeat=k))
    off = negative if remainders else everything - on
    if not on:
        event("no OUT == 1 row")
        with pytest.raises(ValueError, match="nothing to explain"):
            qca.minimize(tt, remainders=remainders)
        return
    if not off:
        event("tautology")
        with pytest.raises(ValueError, match="tautology"):
            qca.minimize(tt, remainders=remainders)
        return
    sol = qca.minimize(tt, remainders=remainders)
    event(f"{len(sol.models)} model(s)")

    # Every model is true on every OUT == 1 row and false on every other observed row
    # (OUT 0 and "C"); without remainders it is false on every remainder too.
    assert sol.models
    for model in sol.models:
        for config in configs:
            assert _holds(model, dict(zip(names, config, strict=True))) == (config in on)
        if not remainders:
            for config in everything - set(configs):
                assert not _holds(model, dict(zip(names, config, strict=True)))

    # Same prime implicants and same set of minimum covers as an exhaustive search.
    primes, covers = _brute_force(k, names, on, off)
    assert set(sol.primes) == primes
    assert {frozenset(m.split(" + ")) for m in sol.models} == covers
    assert len(sol.models) == len(covers)

    # Fit figures agree with the definitions on the case data.
    y = data["Y"].to_numpy()
    for row in sol.terms.itertuples(index=False):
        member = pd.Series(
            [_holds(row.term, dict(zip(names, v, strict=True))) for v in data[names].to_numpy()]
        ).to_numpy()
        assert row.incl == pytest.approx((member & (y == 1)).sum() / member.sum())
        assert row.cov_raw == pytest.approx((member & (y == 1)).sum() / y.sum())
    for row in sol.solution.itertuples(index=False):
        member = pd.Series(
            [
                _holds(row.expression, dict(zip(names, v, strict=True)))
                for v in data[names].to_numpy()
            ]
        ).to_numpy()
        assert row.incl == pytest.approx((member & (y == 1)).sum() / member.sum())
        assert row.cov == pytest.approx((member & (y == 1)).sum() / y.sum())

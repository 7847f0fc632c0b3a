"""Score ``analytics ingest`` against the curated case files (precision and recall).

    .venv/bin/python benchmarks/ingest_accuracy.py [--verbose]

Ingest runs in memory on the shipped raw texts (decode, normalise, extract) and its candidates
are scored against ``analytics.load_corpus()``:

* quantities: a candidate is a true positive when value, value_max, unit and qualifier all
  equal those of a curated metric whose quote span overlaps the candidate's span (each metric
  matched once). Everything else is a false positive, whether it hits a curated ``excluded``
  item (a gold negative) or nothing at all.
* structures: a candidate matches a curated structure when their level names are the same
  sequence (quotation marks ‘’ and “” treated alike); the softer row scores level names per
  case as multisets (level-level F1).
* partners: candidate unit names against curated unit names, exact or containment match.
* practices: practice keys per case.

The baseline peer is what one gets without rules: ``cn2an.transform(text, "cn2an")`` turns
Chinese numerals into Arabic ones, then a plain regular expression takes every Arabic number
with an optional measure word (value, unit; qualifier always exact, no ranges). It has no
structures, partners or practices. ``--verbose`` lists every miss and false positive.
"""

from __future__ import annotations

import argparse
import difflib
import math
import re
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cn2an
import pandas as pd

import analytics
from analytics import paths
from analytics.corpus import MEASURE_WORDS
from analytics.ingest import Candidates, ingest_bytes


@dataclass(frozen=True)
class Found:
    """A quantity reduced to what is scored."""

    value: float
    value_max: float | None
    unit: str
    qualifier: str
    start: int
    end: int
    quote: str


@dataclass
class Score:
    tp_found: int = 0  # candidates that match
    found: int = 0
    tp_gold: int = 0  # gold items matched
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_found / self.found if self.found else math.nan

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else math.nan

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else math.nan

    def add(self, other: Score) -> None:
        self.tp_found += other.tp_found
        self.found += other.found
        self.tp_gold += other.tp_gold
        self.gold += other.gold


def _same(a: float | None, b: float | None) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _quotes(name: str) -> str:
    return name.replace("‘", "“").replace("’", "”").strip()


# --------------------------------------------------------------------------- the two systems


def ours(case_id: str, raw: bytes) -> Candidates:
    """Ingest in memory, as ``analytics ingest`` does for one file."""
    _, found, _ = ingest_bytes(raw, case_id, stem=case_id, source_file=f"{case_id}.txt")
    return found


_MEASURE = "(?:" + MEASURE_WORDS + ")"
_BASELINE_RE = re.compile(rf"(?P<n>\d+(?:\.\d+)?)(?P<u>{_MEASURE})?")


def baseline(text: str) -> list[Found]:
    """cn2an's sentence transform, then Arabic digits with an optional measure word.

    Offsets are mapped back to the original text through a character alignment.
    """
    try:
        with warnings.catch_warnings():  # cn2an warns on every numeral it cannot read
            warnings.simplefilter("ignore")
            converted = cn2an.transform(text, "cn2an")
    except Exception:  # cn2an gives up on some inputs: fall back to the text as it is
        converted = text
    matcher = difflib.SequenceMatcher(None, converted, text, autojunk=False)
    blocks = matcher.get_opcodes()

    def back(i: int) -> int:
        for _, a0, a1, b0, b1 in blocks:
            if a0 <= i < a1 or (i == a1 and a0 == a1):
                return b0 + min(i - a0, max(0, b1 - b0 - 1)) if a1 > a0 else b0
        return len(text)

    out = []
    for m in _BASELINE_RE.finditer(converted):
        start, end = back(m.start()), back(m.end() - 1) + 1
        out.append(Found(float(m["n"]), None, m["u"] or "", "exact", start, end, text[start:end]))
    return out


# --------------------------------------------------------------------------- scoring


def score_quantities(
    found: list[Found], gold: pd.DataFrame, excluded: pd.DataFrame
) -> tuple[Score, list[str], list[str]]:
    """Greedy one-to-one matching in text order; returns the score, false positives and misses."""
    used: set[int] = set()
    false_pos: list[str] = []
    rows = list(gold.itertuples(index=False))
    for f in found:
        hit = None
        for i, g in enumerate(rows):
            if i in used:
                continue
            if (
                _same(f.value, g.value)
                and _same(f.value_max, g.value_max)
                and f.unit == g.unit
                and f.qualifier == g.qualifier
                and f.start < g.end
                and g.start < f.end
            ):
                hit = i
                break
        if hit is None:
            negative = excluded[(excluded["start"] < f.end) & (f.start < excluded["end"])]
            why = "gold negative " + negative.iloc[0]["text"] if len(negative) else "unmatched"
            false_pos.append(
                f"{f.quote!r} @{f.start} → {f.value:g}"
                f"{'–' + format(f.value_max, 'g') if f.value_max is not None else ''} "
                f"{f.unit} {f.qualifier} ({why})"
            )
        else:
            used.add(hit)
    misses = [
        f"{g.quote!r} @{g.start} → {g.value:g} {g.unit} {g.qualifier}"
        for i, g in enumerate(rows)
        if i not in used
    ]
    score = Score(len(used), len(found), len(used), len(rows))
    return score, false_pos, misses


def score_structures(
    found: list[list[str]], gold: list[list[str]]
) -> tuple[Score, Score, list[str], list[str]]:
    found_n = [[_quotes(n) for n in levels] for levels in found]
    gold_n = [[_quotes(n) for n in levels] for levels in gold]
    exact = Score(found=len(found_n), gold=len(gold_n))
    exact.tp_found = sum(levels in gold_n for levels in found_n)
    exact.tp_gold = sum(levels in found_n for levels in gold_n)
    a = Counter(n for levels in found_n for n in levels)
    b = Counter(n for levels in gold_n for n in levels)
    common = sum((a & b).values())
    soft = Score(common, sum(a.values()), common, sum(b.values()))
    false_pos = ["-".join(levels) for levels in found_n if levels not in gold_n]
    misses = ["-".join(levels) for levels in gold_n if levels not in found_n]
    return exact, soft, false_pos, misses


def _contains(a: str, b: str) -> bool:
    a, b = _quotes(a), _quotes(b)
    return a == b or a in b or b in a


def score_names(found: list[str], gold: list[str]) -> tuple[Score, list[str], list[str]]:
    tp_found = [f for f in found if any(_contains(f, g) for g in gold)]
    tp_gold = [g for g in gold if any(_contains(f, g) for f in found)]
    score = Score(len(tp_found), len(found), len(tp_gold), len(gold))
    return (
        score,
        [f for f in found if f not in tp_found],
        [g for g in gold if g not in tp_gold],
    )


def score_keys(found: list[str], gold: list[str]) -> tuple[Score, list[str], list[str]]:
    f, g = set(found), set(gold)
    return Score(len(f & g), len(f), len(f & g), len(g)), sorted(f - g), sorted(g - f)


# --------------------------------------------------------------------------- main


def _fmt(x: float) -> str:
    return "   –" if math.isnan(x) else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    args = parser.parse_args(argv)

    corpus = analytics.load_corpus()
    rows: dict[str, Score] = {
        k: Score()
        for k in (
            "quantities",
            "quantities (baseline)",
            "structures: exact chains",
            "structures: level names",
            "partners",
            "practices",
        )
    }
    report: list[str] = []
    for case_id in corpus.cases["case_id"]:
        raw_file = corpus.cases.set_index("case_id").loc[case_id, "raw_file"]
        raw = (paths.RAW_DIR / Path(raw_file).name).read_bytes()
        text = corpus.text(case_id)
        found = ours(case_id, raw)
        if found.text != text:
            print(f"{case_id}: ingest normalised the text differently", file=sys.stderr)
            return 1
        gold_m = corpus.metrics[corpus.metrics["case_id"] == case_id]
        gold_x = corpus.excluded[corpus.excluded["case_id"] == case_id]
        mine = [
            Found(q.value, q.value_max, q.unit, q.qualifier, q.start, q.end, q.quote)
            for q in found.quantities
        ]
        s, fp, miss = score_quantities(mine, gold_m, gold_x)
        rows["quantities"].add(s)
        report += [f"{case_id} quantities FP: {x}" for x in fp]
        report += [f"{case_id} quantities MISS: {x}" for x in miss]
        s, fp, miss = score_quantities(baseline(text), gold_m, gold_x)
        rows["quantities (baseline)"].add(s)

        levels = corpus.levels[corpus.levels["case_id"] == case_id].sort_values(
            ["structure_id", "depth"]
        )
        gold_s = [list(g["name"]) for _, g in levels.groupby("structure_id", sort=False)]
        mine_s = [[level.name for level in s.levels] for s in found.structures]
        exact, soft, fp, miss = score_structures(mine_s, gold_s)
        rows["structures: exact chains"].add(exact)
        rows["structures: level names"].add(soft)
        report += [f"{case_id} structures FP: {x}" for x in fp]
        report += [f"{case_id} structures MISS: {x}" for x in miss]

        gold_u = list(corpus.units[corpus.units["case_id"] == case_id]["name"])
        s, fp, miss = score_names([u.name for u in found.units], gold_u)
        rows["partners"].add(s)
        report += [f"{case_id} partners FP: {x}" for x in fp]
        report += [f"{case_id} partners MISS: {x}" for x in miss]

        gold_p = list(corpus.practices[corpus.practices["case_id"] == case_id]["practice"])
        s, fp, miss = score_keys([p.practice for p in found.practices], gold_p)
        rows["practices"].add(s)
        report += [f"{case_id} practices FP: {x}" for x in fp]
        report += [f"{case_id} practices MISS: {x}" for x in miss]

    print(f"ingest accuracy on {len(corpus.cases)} curated cases")
    head = (
        f"{'category':<26}{'found':>6}{'gold':>6}{'TP':>5}{'precision':>10}{'recall':>8}{'F1':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, s in rows.items():
        print(
            f"{name:<26}{s.found:>6}{s.gold:>6}{s.tp_gold:>5}"
            f"{_fmt(s.precision):>10}{_fmt(s.recall):>8}{_fmt(s.f1):>6}"
        )
    print("(TP: gold items matched; for partners precision counts matching candidates)")
    if args.verbose:
        print()
        print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load and validate the curated case files into tidy pandas tables.

>>> corpus = load_corpus()
>>> sorted(corpus.cases["case_id"])[:2]
['beijing-chaoyang-hongmiao', 'beijing-fangshan-xingcheng-7']
>>> row = corpus.metrics.iloc[0]
>>> corpus.text(row.case_id)[row.start:row.end] == row.quote
True

Validation collects *every* problem, each formatted ``file:line: field.path: reason``;
:func:`load_corpus` raises :class:`~analytics.errors.ValidationError` with all of them, and
``analytics validate`` prints them.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError as PydanticError

from analytics import paths
from analytics.errors import AnalyticsError, SourceError, ValidationError
from analytics.glossary import Glossary, load_glossary
from analytics.schema import CaseFile, Evidence, glossary_problems, iter_evidence
from analytics.sources import (
    Source,
    decode_bytes,
    load_manifest,
    normalise,
    normalised_text,
    read_text,
    sha256_file,
)

# --------------------------------------------------------------------------- problems


def _dotted(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<file>"


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once (safely, with libyaml when present): the node tree for line numbers and
    the plain data built from it."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, doc


def _line_map(node: yaml.Node | None) -> dict[tuple, int]:
    """Field path -> 1-based line of that node in the YAML source."""
    lines: dict[tuple, int] = {}

    def walk(n: yaml.Node, path: tuple) -> None:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[(*path, key.value)] = key.start_mark.line + 1
                    walk(value, (*path, key.value))
                    lines[(*path, key.value)] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return lines


def _line_of(lines: dict[tuple, int], path: tuple) -> int:
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return 1


_PYDANTIC_REASONS = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_pattern_mismatch": "invalid id {input!r}: use only a-z, 0-9, '-' and '_'",
}


def _pydantic_problems(exc: PydanticError) -> list[tuple[tuple, str]]:
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        template = _PYDANTIC_REASONS.get(error["type"])
        if template:
            reason = template.format(input=error.get("input"))
        else:
            got = error.get("input")
            shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
            reason = f"{error['msg'][:1].lower()}{error['msg'][1:]} (got {shown})"
        out.append((loc, reason))
    return out


# --------------------------------------------------------------------------- locating quotes


def find_occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote`` in ``text``.

    >>> find_occurrences("一户一户", "一户")
    [0, 2]
    """
    starts, i = [], text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def locate(text: str, item: Evidence) -> tuple[int, int] | str:
    """``(start, end)`` of an item's quote in ``text``, or the reason it cannot be located.

    >>> from analytics.schema import Evidence
    >>> locate("党员896人", Evidence(quote="896人"))
    (2, 6)
    """
    starts = find_occurrences(text, item.quote)
    if not starts:
        return "quote not found in the normalised text (check `analytics normalise`)"
    if item.occurrence is None:
        if len(starts) > 1:
            return f"quote occurs {len(starts)} times: say which with occurrence: 1..{len(starts)}"
        start = starts[0]
    elif item.occurrence > len(starts):
        return f"occurrence {item.occurrence} asked, but the quote occurs {len(starts)} time(s)"
    else:
        start = starts[item.occurrence - 1]
    return start, start + len(item.quote)


# --------------------------------------------------------------------------- completeness

#: Measure words after which a numeral counts something (longest first). Dates (年/月/日/号)
#: are included on purpose: a curated file must exclude them explicitly, with the reason.
MEASURE_WORDS = (
    "平方公里|平方米|万元|亿元|人次|场次|公里|"
    "人|户|名|位|个|栋|幢|处|块|面|支|次|场|件|起|项|家|所|座|条|间|辆|台|元|米|"
    "年|月|日|号|天|周|步|级|届|批|期|轮|组|队|颗|棵|本|份|张|门|楼|层|岁|倍|种|类|方|星|岗|%"
)
NUMBER_WITH_MEASURE_RE = re.compile(
    r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
    r"\s?(?:余|多)?\s?(?:" + MEASURE_WORDS + ")"
)


def uncovered_numbers(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, str]]:
    """Numerals followed by a measure word that no given span contains: ``(start, phrase)``.

    A curated case must account for each such phrase as a metric or an excluded number.

    >>> uncovered_numbers("党员896人，楼房22栋", [(0, 6)])
    [(9, '22栋')]
    """
    spans = list(spans)
    return [
        (m.start(), m.group())
        for m in NUMBER_WITH_MEASURE_RE.finditer(text)
        if not any(s <= m.start() and m.end() <= e for s, e in spans)
    ]


# --------------------------------------------------------------------------- one case file


@dataclass
class LoadedCase:
    """A validated case file with the offsets of every quote."""

    path: Path
    model: CaseFile
    source: Source
    text: str
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)


def _draft_source(path: Path, model: CaseFile, case_id: str) -> tuple[Source, str]:
    """The raw text a draft names in its ``source:`` block, hash-checked and normalised."""
    raw = (path.parent / model.source.file).resolve()
    if not raw.is_file():
        raise SourceError(f"{raw}: no such file (named in source.file)")
    digest = sha256_file(raw)
    if digest != model.source.sha256:
        raise SourceError(
            f"{raw}: sha256 {digest[:12]}… does not match source.sha256 "
            f"({model.source.sha256[:12]}…): the raw text was edited, and every quote depends on it"
        )
    text = read_text(raw)
    source = Source(
        case_id=case_id,
        label_zh=model.case.title,
        label_en=model.case.title_en,
        file=str(raw),
        original_file=raw.name,
        script="simplified" if normalise(text) == text else "traditional",
        encoding=decode_bytes(raw.read_bytes(), str(raw))[1],
        sha256=digest,
    )
    return source, normalise(text)


def check_case_file(
    path: Path,
    glossary: Glossary,
    manifest: dict[str, Source],
    data_dir: Path | None = None,
) -> tuple[LoadedCase | None, list[str]]:
    """Validate one case file; return the loaded case (None if unusable) and its problems.

    >>> from analytics.sources import load_manifest
    >>> case, problems = check_case_file(paths.CASES_DIR / "hefei-baohe-qingnian.yml",
    ...     load_glossary(), load_manifest())
    >>> problems
    []
    """
    shown = paths.display_path(path)
    problems: list[str] = []

    def problem(loc: tuple, reason: str, lines: dict | None = None) -> None:
        line = _line_of(lines or {}, loc)
        problems.append(f"{shown}:{line}: {_dotted(loc)}: {reason}")

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [f"{shown}:1: <file>: cannot read ({exc.strerror})"]
    try:
        source_text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            f"{shown}:1: <file>: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save case files as UTF-8"
        ]
    try:
        node, doc = _parse_yaml(source_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [f"{shown}:{line}: <file>: malformed YAML: {what}"]
    lines = _line_map(node)
    if not isinstance(doc, dict):
        return None, [f"{shown}:1: <file>: expected a mapping with a `case:` section"]
    try:
        model = CaseFile.model_validate(doc)
    except PydanticError as exc:
        for loc, reason in _pydantic_problems(exc):
            problem(loc, reason, lines)
        return None, problems

    for loc, reason in glossary_problems(model, glossary):
        problem(loc, reason, lines)

    case_id = model.case.id
    if path.stem != case_id and not model.draft:
        problem(("case", "id"), f"id {case_id!r} does not match the file name {path.name!r}", lines)
    for section in ("structures", "metrics", "units"):
        first_line: dict[str, int] = {}
        for i, item in enumerate(getattr(model, section)):
            if item.id in first_line:
                problem(
                    (section, i, "id"),
                    f"duplicate id {item.id!r} (first at line {first_line[item.id]})",
                    lines,
                )
            else:
                first_line[item.id] = _line_of(lines, (section, i, "id"))
    if not model.draft:
        for i, structure in enumerate(model.structures):
            for j, level in enumerate(structure.levels):
                if level.tier is None:
                    problem(
                        ("structures", i, "levels", j, "tier"),
                        "required in a curated file (only drafts may leave it empty)",
                        lines,
                    )
    unit_ids = {unit.id for unit in model.units}
    for i, tie in enumerate(model.ties):
        for end in ("source", "target"):
            if getattr(tie, end) not in unit_ids:
                problem(("ties", i, end), f"no unit with id {getattr(tie, end)!r}", lines)
    if model.case.focal_unit is not None and model.case.focal_unit not in unit_ids:
        problem(("case", "focal_unit"), f"no unit with id {model.case.focal_unit!r}", lines)
    metric_ids = {metric.id for metric in model.metrics}
    for i, metric in enumerate(model.metrics):
        if metric.base is not None and metric.base not in metric_ids:
            problem(("metrics", i, "base"), f"no metric with id {metric.base!r}", lines)
        if metric.value_max is not None and metric.value_max < metric.value:
            problem(("metrics", i, "value_max"), "smaller than value", lines)

    source = manifest.get(case_id)
    try:
        if source is not None:
            text = normalised_text(source, data_dir)
        elif model.source is not None:
            source, text = _draft_source(path, model, case_id)
        else:
            problem(("case", "id"), f"no raw source {case_id!r} in {paths.MANIFEST_NAME}", lines)
            return None, problems
    except AnalyticsError as exc:
        where = ("case", "id") if model.source is None else ("source", "file")
        problem(where, str(exc), lines)
        return None, problems

    loaded = LoadedCase(path=path, model=model, source=source, text=text)
    for loc, item in iter_evidence(model):
        where = locate(text, item)
        if isinstance(where, str):
            problem((*loc, "quote"), where, lines)
        else:
            loaded.spans[loc] = where
    if not model.draft:
        counted = [s for loc, s in loaded.spans.items() if loc[0] in ("metrics", "excluded")]
        for start, phrase in uncovered_numbers(text, counted):
            problem(
                ("excluded",),
                f"number {phrase!r} at offset {start} is neither a metric nor excluded",
                lines,
            )
    for i, method in enumerate(model.case.methods):
        for j, slogan in enumerate(method.slogans):
            if slogan not in text:
                problem(("case", "methods", i, "slogans", j), "slogan not found in the text", lines)
    return (loaded if not problems else None), problems


# --------------------------------------------------------------------------- corpus


def _case_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "cases").glob("*.yml"))


def check_data_dir(
    data_dir: Path | str | None = None,
    *,
    drafts: bool = False,
    files: Iterable[Path] | None = None,
) -> tuple[list[LoadedCase], list[str]]:
    """Validate every case file of a data directory; return loaded cases and all problems.

    ``drafts=True`` also checks ``cases/drafts/*.yml``; ``files`` checks just those files
    (against the data directory's glossary and manifest).

    >>> cases, problems = check_data_dir()
    >>> len(cases), problems
    (5, [])
    """
    data = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    problems: list[str] = []
    try:
        glossary = load_glossary(data)
        manifest = load_manifest(data)
    except AnalyticsError as exc:
        return [], [str(exc)]
    if files is not None:
        files = [Path(f) for f in files]
    else:
        files = _case_files(data)
        if not files:
            problems.append(f"{paths.display_path(data / 'cases')}: no case files (*.yml)")
        if drafts:
            files += sorted((data / "cases" / "drafts").glob("*.yml"))
    loaded: list[LoadedCase] = []
    for path in files:
        case, found = check_case_file(path, glossary, manifest, data)
        problems.extend(found)
        if case is not None:
            loaded.append(case)
    return loaded, problems


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns) if len(frame) else frame.astype(columns, errors="ignore")


_SPAN = {"quote": "str", "start": "int64", "end": "int64"}
COLUMNS: dict[str, dict[str, str]] = {
    "cases": {
        "case_id": "str",
        "label_zh": "str",
        "label_en": "str",
        "title": "str",
        "title_en": "str",
        "scope": "str",
        "province": "str",
        "city": "str",
        "district": "str",
        "subdistrict": "str",
        "community": "str",
        "method": "str",
        "focal_unit": "str",
        "author": "str",
        "outlet": "str",
        "date": "str",
        "script": "str",
        "raw_file": "str",
        "text_chars": "int64",
    },
    "structures": {
        "case_id": "str",
        "structure_id": "str",
        "kind": "str",
        "name": "str",
        "name_en": "str",
        "n_levels": "int64",
        **_SPAN,
    },
    "levels": {
        "case_id": "str",
        "structure_id": "str",
        "kind": "str",
        "depth": "int64",
        "name": "str",
        "name_en": "str",
        "tier": "str",
        "tier_rank": "int64",
        "count": "Int64",
        "span": "Int64",
        **_SPAN,
    },
    "staffing": {
        "case_id": "str",
        "structure_id": "str",
        "depth": "int64",
        "role": "str",
        "count": "Int64",
        "per_unit": "bool",
        **_SPAN,
    },
    "metrics": {
        "case_id": "str",
        "metric_id": "str",
        "metric": "str",
        "category": "str",
        "subject": "str",
        "value": "float64",
        "value_max": "float64",
        "unit": "str",
        "unit_canonical": "str",
        "qualifier": "str",
        "base": "str",
        "per_unit": "bool",
        "year": "Int64",
        "month": "Int64",
        "note": "str",
        **_SPAN,
    },
    "excluded": {"case_id": "str", "text": "str", "reason": "str", **_SPAN},
    "units": {
        "case_id": "str",
        "unit_id": "str",
        "name": "str",
        "name_en": "str",
        "unit_type": "str",
        **_SPAN,
    },
    "ties": {
        "case_id": "str",
        "source": "str",
        "target": "str",
        "relation": "str",
        "resource": "str",
        "note": "str",
        **_SPAN,
    },
    "practices": {"case_id": "str", "practice": "str", "name": "str", **_SPAN},
    "honours": {
        "case_id": "str",
        "year": "Int64",
        "month": "Int64",
        "title": "str",
        "title_en": "str",
        "kind": "str",
        "level": "str",
        "recipient": "str",
        **_SPAN,
    },
    "evidence": {"case_id": "str", "kind": "str", "field": "str", "label": "str", **_SPAN},
}


def _place(model: CaseFile, level: str) -> str | None:
    entry = getattr(model.case.place, level)
    return entry.name if entry else None


def _label(kind: str, item: Any) -> str:
    """A short human description of a fact, shown on hover in :meth:`Corpus.highlight`."""
    if kind == "metrics":
        bound = {"approx": "≈", "at_least": "≥", "at_most": "≤"}.get(item.qualifier, "")
        rng = f"–{item.value_max:g}" if item.value_max is not None else ""
        return f"{item.metric}: {bound}{item.value:g}{rng} {item.unit} ({item.qualifier})"
    if kind == "excluded":
        return f"excluded ({item.reason}): {item.text}"
    if kind == "units":
        return f"unit {item.id}: {item.unit_type}"
    if kind == "ties":
        res = f" [{', '.join(item.resources)}]" if item.resources else ""
        return f"tie {item.source} → {item.target}: {item.relation}{res}"
    if kind == "practices":
        return f"practice: {item.practice}"
    if kind == "honours":
        return f"honour ({item.level}, {item.year}): {item.title}"
    if kind == "structures":
        if hasattr(item, "tier"):
            return f"level {item.name}: {item.tier}"
        if hasattr(item, "role"):
            return f"staffing {item.role}: {item.count}"
        return f"structure {item.id}: {item.kind}"
    return f"case: {getattr(item, 'name', '') or getattr(item, 'id', '')}"


@dataclass
class Corpus:
    """Tidy tables of every curated case; offsets point into :meth:`text`.

    Tables (plain DataFrames; dtypes in :data:`COLUMNS`): ``cases``, ``structures``,
    ``levels``, ``staffing``, ``metrics``, ``excluded``, ``units``, ``ties``, ``practices``,
    ``honours`` and ``evidence`` (every quoted fact, one row each).
    """

    cases: pd.DataFrame
    structures: pd.DataFrame
    levels: pd.DataFrame
    staffing: pd.DataFrame
    metrics: pd.DataFrame
    excluded: pd.DataFrame
    units: pd.DataFrame
    ties: pd.DataFrame
    practices: pd.DataFrame
    honours: pd.DataFrame
    evidence: pd.DataFrame
    glossary: Glossary
    texts: dict[str, str]
    files: dict[str, CaseFile]

    TABLES = tuple(COLUMNS)

    def text(self, case_id: str) -> str:
        """The normalised text that every ``start``/``end`` of a case points into.

        >>> load_corpus().text("hefei-baohe-qingnian")[:6]
        '为进一步提升'
        """
        try:
            return self.texts[case_id]
        except KeyError:
            raise KeyError(f"no case {case_id!r}; cases: {', '.join(self.texts)}") from None

    def case_labels(self, lang: str = "zh") -> dict[str, str]:
        """Short figure labels of the cases in ``lang`` (from ``data/raw/sources.yml``).

        >>> load_corpus().case_labels("en")["beijing-chaoyang-hongmiao"]
        'Hongmiao (Chaoyang)'
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        return dict(zip(self.cases["case_id"], self.cases[f"label_{lang}"], strict=True))

    def highlight(self, case_id: str) -> Highlight:
        """The text with every curated fact marked by kind (HTML in JupyterLab).

        >>> h = load_corpus().highlight("hefei-baohe-qingnian")
        >>> 0 < h.coverage <= 1
        True
        """
        facts = self.evidence[self.evidence["case_id"] == case_id]
        return Highlight(case_id, self.text(case_id), facts)

    def coverage(self) -> pd.DataFrame:
        """Per case: facts of each kind and the share of sentences carrying at least one fact.

        >>> load_corpus().coverage().columns[-1]
        'coverage'
        """
        counts = (
            self.evidence.groupby(["case_id", "kind"]).size().unstack(fill_value=0).astype("int64")
        )
        counts = counts.reindex(index=self.cases["case_id"], fill_value=0)
        counts["coverage"] = [self.highlight(c).coverage for c in counts.index]
        counts.columns.name = None
        return counts


def _build(loaded: list[LoadedCase], glossary: Glossary) -> Corpus:
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    tier_rank = {k: v["rank"] for k, v in glossary.entries["tiers"].items()}
    category = {k: v["category"] for k, v in glossary.entries["metrics"].items()}
    for case in sorted(loaded, key=lambda c: c.model.case.id):
        m, cid, spans = case.model, case.model.case.id, case.spans

        def span(loc: tuple, item: Evidence, spans=spans) -> dict:
            start, end = spans[loc]
            return {"quote": item.quote, "start": start, "end": end}

        rows["cases"].append(
            {
                "case_id": cid,
                "label_zh": case.source.label_zh,
                "label_en": case.source.label_en,
                "title": m.case.title,
                "title_en": m.case.title_en,
                "scope": m.case.scope,
                **{lvl: _place(m, lvl) for lvl in ("province", "city", "district")},
                **{lvl: _place(m, lvl) for lvl in ("subdistrict", "community")},
                "method": "；".join(method.name for method in m.case.methods) or None,
                "focal_unit": m.case.focal_unit,
                "author": case.source.author,
                "outlet": case.source.outlet,
                "date": case.source.date.isoformat() if case.source.date else None,
                "script": case.source.script,
                "raw_file": case.source.file,
                "text_chars": len(case.text),
            }
        )
        for i, s in enumerate(m.structures):
            rows["structures"].append(
                {
                    "case_id": cid,
                    "structure_id": s.id,
                    "kind": s.kind,
                    "name": s.name,
                    "name_en": s.name_en,
                    "n_levels": len(s.levels),
                    **span(("structures", i), s),
                }
            )
            for depth, level in enumerate(s.levels):
                loc = ("structures", i, "levels", depth)
                rows["levels"].append(
                    {
                        "case_id": cid,
                        "structure_id": s.id,
                        "kind": s.kind,
                        "depth": depth,
                        "name": level.name,
                        "name_en": level.name_en,
                        "tier": level.tier,
                        "tier_rank": tier_rank[level.tier],
                        "count": level.count,
                        "span": level.span,
                        **span(loc, level),
                    }
                )
                for k, staff in enumerate(level.staffing):
                    rows["staffing"].append(
                        {
                            "case_id": cid,
                            "structure_id": s.id,
                            "depth": depth,
                            "role": staff.role,
                            "count": staff.count,
                            "per_unit": staff.per_unit,
                            **span((*loc, "staffing", k), staff),
                        }
                    )
        for i, x in enumerate(m.metrics):
            rows["metrics"].append(
                {
                    "case_id": cid,
                    "metric_id": x.id,
                    "metric": x.metric,
                    "category": category[x.metric],
                    "subject": x.subject,
                    "value": x.value,
                    "value_max": x.value_max,
                    "unit": x.unit,
                    "unit_canonical": x.unit_canonical,
                    "qualifier": x.qualifier,
                    "base": x.base,
                    "per_unit": x.per_unit,
                    "year": x.year,
                    "month": x.month,
                    "note": x.note,
                    **span(("metrics", i), x),
                }
            )
        for i, x in enumerate(m.excluded):
            rows["excluded"].append(
                {"case_id": cid, "text": x.text, "reason": x.reason, **span(("excluded", i), x)}
            )
        for i, x in enumerate(m.units):
            rows["units"].append(
                {
                    "case_id": cid,
                    "unit_id": x.id,
                    "name": x.name,
                    "name_en": x.name_en,
                    "unit_type": x.unit_type,
                    **span(("units", i), x),
                }
            )
        for i, x in enumerate(m.ties):
            rows["ties"].append(
                {
                    "case_id": cid,
                    "source": x.source,
                    "target": x.target,
                    "relation": x.relation,
                    "resource": "+".join(x.resources) or None,
                    "note": x.note,
                    **span(("ties", i), x),
                }
            )
        for i, x in enumerate(m.practices):
            rows["practices"].append(
                {
                    "case_id": cid,
                    "practice": x.practice,
                    "name": x.name,
                    **span(("practices", i), x),
                }
            )
        for i, x in enumerate(m.honours):
            rows["honours"].append(
                {
                    "case_id": cid,
                    "year": x.year,
                    "month": x.month,
                    "title": x.title,
                    "title_en": x.title_en,
                    "kind": x.kind,
                    "level": x.level,
                    "recipient": x.recipient,
                    **span(("honours", i), x),
                }
            )
        for loc, item in iter_evidence(m):
            start, end = spans[loc]
            rows["evidence"].append(
                {
                    "case_id": cid,
                    "kind": loc[0],
                    "field": _dotted(loc),
                    "label": _label(loc[0], item),
                    "quote": item.quote,
                    "start": start,
                    "end": end,
                }
            )
    tables = {name: _frame(rows[name], cols) for name, cols in COLUMNS.items()}
    return Corpus(
        **tables,
        glossary=glossary,
        texts={c.model.case.id: c.text for c in sorted(loaded, key=lambda c: c.model.case.id)},
        files={c.model.case.id: c.model for c in loaded},
    )


def load_corpus(data_dir: Path | str | None = None) -> Corpus:
    """Load and fully validate a data directory (the shipped ``data/`` by default).

    Raises :class:`~analytics.errors.ValidationError` listing every problem.

    >>> corpus = load_corpus()
    >>> len(corpus.cases)
    5
    """
    loaded, problems = check_data_dir(data_dir)
    if problems:
        raise ValidationError(problems)
    data = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    return _build(loaded, load_glossary(data))


# --------------------------------------------------------------------------- highlight

KIND_COLOURS = {
    "case": "#cccccc",
    "structures": "#56B4E9",
    "metrics": "#E69F00",
    "excluded": "#bbbbbb",
    "units": "#009E73",
    "ties": "#F0E442",
    "practices": "#CC79A7",
    "honours": "#D55E00",
}
_SENTENCE_RE = re.compile(r"[^。！？；\n]+[。！？；]?")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence (split at 。！？； and line breaks).

    >>> sentences("一。二！\\n\\n三")
    [(0, 2), (2, 4), (6, 7)]
    """
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group().strip()]


class Highlight:
    """A case text with its curated facts marked; renders as HTML in JupyterLab."""

    def __init__(self, case_id: str, text: str, facts: pd.DataFrame):
        self.case_id = case_id
        self.text = text
        self.facts = facts.reset_index(drop=True)
        spans = list(zip(self.facts["start"], self.facts["end"], strict=True))
        found = sentences(text)
        covered = sum(any(s < e2 and s2 < e for s2, e2 in spans) for s, e in found)
        self.sentences = len(found)
        self.covered = covered
        self.coverage = covered / len(found) if found else 0.0

    def __repr__(self) -> str:
        return (
            f"<Highlight {self.case_id}: {len(self.facts)} facts, "
            f"{self.covered}/{self.sentences} sentences covered ({self.coverage:.0%})>"
        )

    def _repr_html_(self) -> str:
        bounds = sorted({0, len(self.text), *self.facts["start"], *self.facts["end"]})
        parts = []
        starts = self.facts["start"].to_numpy()
        ends = self.facts["end"].to_numpy()
        for a, b in itertools.pairwise(bounds):
            segment = html.escape(self.text[a:b]).replace("\n", "<br>")
            inside = self.facts[(starts <= a) & (ends >= b)]
            if inside.empty:
                parts.append(segment)
                continue
            kinds = list(inside["kind"])
            colour = KIND_COLOURS.get(kinds[-1], "#dddddd")
            tip = html.escape("\n".join(inside["label"]), quote=True)
            parts.append(
                f'<mark style="background:{colour}66;border-bottom:2px solid {colour}" '
                f'title="{tip}">{segment}</mark>'
            )
        legend = " ".join(
            f'<span style="background:{c}66;padding:0 4px">{k}</span>'
            for k, c in KIND_COLOURS.items()
        )
        head = (
            f"<p><b>{html.escape(self.case_id)}</b>: {len(self.facts)} facts; "
            f"{self.covered} of {self.sentences} sentences carry at least one fact "
            f"({self.coverage:.0%}). {legend}</p>"
        )
        return head + f'<div style="line-height:1.9">{"".join(parts)}</div>'

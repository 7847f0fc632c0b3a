"""Turn raw case texts into draft case files (``analytics ingest FILE... [--out DIR]``).

A draft holds every candidate fact the rules find, each with its verbatim quote, so that a
researcher only confirms, corrects or deletes:

* ``metrics``: every quantity of :func:`analytics.quantities.extract` (``metric:
  unclassified``; ``unit_canonical`` from the glossary ``units``' ``measure_words``);
* ``excluded``: the numbers that are not measurements, with a glossary reason
  (:data:`EXCLUSION_REASONS`);
* ``structures``: chains joined by dashes or plus signs (网格-楼栋-单元), parallel clauses of
  actors and what they do (党委统筹、支部运作、党员参与), span rules (一个党员带一户…), lists
  of tiers before ``N级`` (街道、社区、小区三级…), a sentence counting organisations tier by
  tier (1个党委，10个党支部，党员896人) and units listed before a named mechanism; levels get
  a tier from the glossary ``tiers``' ``terms``, the kind is guessed;
* ``units``: glossary ``unit_types``' ``terms`` (with the place or quoted name before them:
  红庙社区党委, “老街坊”热线工作站) and organisation-like words the glossary lacks
  (``unclassified``: 税务所, 信息统计组);
* ``practices``: the first mention of each glossary ``practices`` key's ``terms``.

Every item says how it was found (``note: "found by ingest: …"``); quotes are widened within
their clause until unique, else carry ``occurrence``. Drafts name their raw text in a
``source:`` block and need no ``sources.yml`` entry; ``analytics validate`` accepts them.

>>> found = extract_candidates("构建“网格-楼栋-单元”三级架构，社区有党员896人，聘请了物业公司。")
>>> [(q.quote, q.unit) for q in found.quantities]
[('三级', '级'), ('896人', '人')]
>>> [[level.name for level in s.levels] for s in found.structures]
[['网格', '楼栋', '单元']]
>>> [(u.name, u.unit_type) for u in found.units]
[('党员', 'party_group'), ('物业公司', 'property_company')]

Layers: this module sits beside :mod:`analytics.corpus` (it reads sources, the glossary and
the schema, and writes files); nothing imports it but the CLI.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analytics import paths
from analytics.errors import AnalyticsError
from analytics.glossary import Glossary, load_glossary
from analytics.quantities import Exclusion, Quantity, extract
from analytics.sources import decode_bytes, normalise, read_bytes

__all__ = [
    "EXCLUSION_REASONS",
    "GOVERNANCE_VERBS",
    "NOT_ORGANISATIONS",
    "ORGANISATION_SUFFIXES",
    "PARTY_ORGANISATION_HEADS",
    "PLACE_SUFFIXES",
    "PLACE_WORDS",
    "PROGRESS_THRESHOLD",
    "UNIT_HINTS",
    "Candidates",
    "IngestResult",
    "LevelCandidate",
    "PracticeCandidate",
    "StructureCandidate",
    "UnitCandidate",
    "Vocabulary",
    "draft_document",
    "draft_id",
    "extract_candidates",
    "find_practices",
    "find_structures",
    "find_units",
    "ingest_bytes",
    "ingest_files",
    "render_draft",
]

#: How the extractor's exclusion reasons map to glossary ``exclusion_reasons`` keys.
EXCLUSION_REASONS: dict[str, str] = {
    "date": "date",
    "year": "date",
    "time": "time",
    "duration_clock": "time",
    "address": "address",
    "postal_code": "address",
    "phone": "phone",
    "document_number": "document_number",
    "citation": "citation",
    "list_marker": "list_marker",
    "ordinal": "ordinal",
    "name": "name",
    "title": "name",
    "indefinite": "idiom",
    "idiom": "idiom",
    "vague": "vague",
    "no_unit": "unclassified",
    "unparsed": "unclassified",
}

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN_RE = re.compile(f"[{_HAN}]")
_QUOTES = "“”‘’「」"

# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class LevelCandidate:
    """One level of a structure candidate; ``text[start:end] == name``."""

    name: str
    tier: str | None
    start: int
    end: int
    count: int | None = None
    span: int | None = None


@dataclass(frozen=True)
class StructureCandidate:
    """A structure: ``kind`` is guessed; ``text[start:end] == quote``."""

    name: str
    kind: str
    levels: tuple[LevelCandidate, ...]
    quote: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class UnitCandidate:
    """A partner unit: a glossary term (typed) or an organisation-like word (``unclassified``)."""

    name: str
    unit_type: str
    quote: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class PracticeCandidate:
    """A named practice found by one of the glossary's ``terms``."""

    practice: str
    name: str
    quote: str
    start: int
    end: int
    rule: str


@dataclass
class Candidates:
    """Everything found in one normalised text, each item with offsets into that text."""

    text: str
    quantities: list[Quantity] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    structures: list[StructureCandidate] = field(default_factory=list)
    units: list[UnitCandidate] = field(default_factory=list)
    practices: list[PracticeCandidate] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Candidates per draft section.

        >>> extract_candidates("党员896人").counts()["metrics"]
        1
        """
        return {
            "metrics": len(self.quantities),
            "excluded": len(self.exclusions),
            "structures": len(self.structures),
            "units": len(self.units),
            "practices": len(self.practices),
        }


# --------------------------------------------------------------------------- vocabulary

#: Verbs of governance roles; each actor of a parallel-clause list must do one (党委统筹).
GOVERNANCE_VERBS: tuple[str, ...] = (
    "统筹", "运作", "参与", "带领", "带动", "带头", "号召", "提议", "商议", "审议", "决议",
    "评议", "主导", "协同", "负责", "监督", "落实", "引领", "推动", "服务", "配合", "联动",
    "共治", "自治", "共享", "共建", "议事", "决策", "执行", "管理", "组织", "协调", "指导",
    "动员", "吹哨", "报到", "响应", "示范", "兜底", "保障", "支持", "联系", "包联", "把关",
    "牵头", "主抓", "履职", "认领", "回应", "反馈", "督办", "办理", "治理", "主责", "尽责",
    "领导", "主持", "参加", "协助", "实施", "决定", "引导", "掌舵", "把舵", "搭台", "唱戏",
)  # fmt: skip
_GOVERNANCE_VERB_RE = re.compile("|".join(GOVERNANCE_VERBS))
#: Heads of party-organisation names: with a place before them (村党支部, 社区党总支), the
#: organisation sits at that place's tier.
PARTY_ORGANISATION_HEADS: tuple[str, ...] = ("党支部", "支部", "党小组", "党总支", "党委", "党组织")
#: Words in a counted noun that settle a measure word listed under several canonical units.
UNIT_HINTS: dict[str, tuple[str, ...]] = {
    "household": ("户", "家庭", "居民", "住户", "人家"),
    "organisation": (
        "单位", "企业", "公司", "商户", "商家", "组织", "机构", "支部", "党委", "协会", "店",
        "队", "学校", "医院", "超市", "银行",
    ),
    "building": ("楼", "房", "宅", "公寓"),
}  # fmt: skip
#: Place words: as the first word of a clause they are modifiers (社区疫情防控), not actors.
PLACE_WORDS: frozenset[str] = frozenset(
    {"社区", "小区", "街道", "村", "区", "县", "镇", "乡", "街乡", "乡镇"}
)


def _by_length(words: Iterable[str]) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in _by_length(words))


@dataclass(frozen=True)
class Vocabulary:
    """The glossary's ``terms`` and ``measure_words`` as lookup tables and patterns.

    >>> v = Vocabulary.from_glossary(load_glossary())
    >>> v.tier_of("社区“大党委”"), v.tier_of("党员中心户"), v.tier_of("小区党建指导员")
    ('community', 'household', 'grid')
    >>> v.canonical_unit("户"), v.canonical_unit("个")
    ('household', 'other')
    """

    tier_terms: dict[str, str]
    unit_terms: dict[str, str]
    practice_terms: dict[str, str]
    measure_units: dict[str, list[str]]
    unit_re: re.Pattern[str] = field(repr=False)
    practice_re: re.Pattern[str] = field(repr=False)
    actor_re: re.Pattern[str] = field(repr=False)

    @classmethod
    def from_glossary(cls, glossary: Glossary) -> Vocabulary:
        def terms(vocabulary: str) -> dict[str, str]:
            out: dict[str, str] = {}
            for key, entry in glossary.entries.get(vocabulary, {}).items():
                for term in entry.get("terms") or []:
                    out.setdefault(str(term), key)
            return out

        tier_terms = terms("tiers")
        unit_terms = terms("unit_types")
        practice_terms = terms("practices")
        measure_units: dict[str, list[str]] = {}
        for key, entry in glossary.entries.get("units", {}).items():
            for word in entry.get("measure_words") or []:
                measure_units.setdefault(str(word), []).append(key)
        actors = {t for t in tier_terms | unit_terms if len(t) >= 2 and t not in PLACE_WORDS}
        never = "(?!x)x"
        return cls(
            tier_terms=tier_terms,
            unit_terms=unit_terms,
            practice_terms=practice_terms,
            measure_units=measure_units,
            unit_re=re.compile(_alternation(unit_terms) or never),
            practice_re=re.compile(_alternation(practice_terms) or never),
            # an actor may carry a place word (村党支部, 社区党委): 村 alone is no actor
            actor_re=re.compile(
                f"^(?:{_alternation(PLACE_WORDS)})?(?:{_alternation(actors) or never})"
            ),
        )

    def tier_of(self, name: str) -> str | None:
        """Tier of a level name: the glossary term that ends last in it (its head), longest
        first; one-character terms count only at the very end (一门, but not 部门)."""
        bare = name.translate({ord(q): None for q in _QUOTES})
        head = next((h for h in PARTY_ORGANISATION_HEADS if bare.endswith(h)), None)
        if head and len(bare) > len(head):  # 村党支部: a village's branch sits at its village
            place = self.tier_of(bare[: -len(head)])
            if place is not None and bare[: -len(head)] in self.tier_terms:
                return place
        best: tuple[int, int, str] | None = None
        for term, tier in self.tier_terms.items():
            end = bare.rfind(term)
            if end < 0:
                continue
            end += len(term)
            if len(term) == 1 and end != len(bare):
                continue
            key = (end, len(term), tier)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None

    def canonical_unit(self, measure_word: str, noun: str | None = None) -> str:
        """The glossary ``units`` key whose ``measure_words`` list the measure word, else
        ``other``; when several do (家: households or organisations), the counted noun
        decides (23家共建单位 → organisation), else the first listed.

        >>> v = Vocabulary.from_glossary(load_glossary())
        >>> v.canonical_unit("家", "困难家庭"), v.canonical_unit("家", "共建单位")
        ('household', 'organisation')
        """
        keys = self.measure_units.get(measure_word)
        if not keys:
            return "other"
        if noun and len(keys) > 1:
            for key in keys:
                if any(hint in noun for hint in UNIT_HINTS.get(key, ())):
                    return key
        return keys[0]


_VOCABULARIES: dict[int, tuple[Glossary, Vocabulary]] = {}


def _vocabulary_of(glossary: Glossary | None = None) -> Vocabulary:
    """The vocabulary of a glossary (the shipped one by default), built once per glossary."""
    glossary = glossary or load_glossary()
    cached = _VOCABULARIES.get(id(glossary))
    if cached is None or cached[0] is not glossary:
        cached = (glossary, Vocabulary.from_glossary(glossary))
        _VOCABULARIES[id(glossary)] = cached
    return cached[1]


# --------------------------------------------------------------------------- structures

_DASH = "-－—–→"
_CHAIN_PART = rf"[{_HAN}‘’“”]{{1,14}}"
_DASH_CHAIN_RE = re.compile(rf"{_CHAIN_PART}(?:[{_DASH}]{{1,2}}{_CHAIN_PART}){{1,8}}")
_PLUS_CHAIN_RE = re.compile(rf"{_CHAIN_PART}(?:[+＋]{_CHAIN_PART}){{2,8}}")
_LEVELS_AFTER_RE = re.compile(
    rf"[”’」]?(?:的|等)?(?P<n>[一二两三四五六七八九十0-9]{{1,2}})(?:级|层)"
    rf"(?P<noun>[{_HAN}]{{0,4}}?(?:架构|体系|网络|链条|格局|模式|机制|组织|管理|联动|平台|网格))"
)
_LEVELS_INSIDE_RE = re.compile(r"[一二两三四五六七八九十0-9]{1,2}(?:级|层)")
_LEVEL_NUMBERS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
_LIST_RE = re.compile(rf"(?P<list>[{_HAN}“”‘’]{{2,12}}(?:、[{_HAN}“”‘’]{{2,12}}){{2,7}})")
_SPAN_ITEM_RE = re.compile(
    rf"(?P<n>[一二两三四五六七八九十百0-9]{{1,3}})(?:个|名|位)?(?P<actor>[{_HAN}]{{1,4}}?)"
    rf"(?P<verb>带|包|联系|联|管|帮)(?P<unit>(?:[一二两三四五六七八九十0-9]{{1,3}})"
    r"(?:户|门|楼|栋|单元|家|人|片))"
)
_SPAN_ANON = re.sub(r"\(\?P<\w+>", "(?:", _SPAN_ITEM_RE.pattern)
_SPAN_LIST_RE = re.compile(rf"{_SPAN_ANON}(?:[、，；,]{_SPAN_ANON})+")
_SENTENCE_RE = re.compile(r"[^。！？；\n]+")


def _number(numeral: str) -> int | None:
    if numeral.isdigit():
        return int(numeral)
    if numeral in _LEVEL_NUMBERS:
        return _LEVEL_NUMBERS[numeral]
    if len(numeral) == 2 and numeral[0] == "十" and numeral[1] in _LEVEL_NUMBERS:
        return 10 + _LEVEL_NUMBERS[numeral[1]]
    return None


def _strip_quotes(segment: str, start: int) -> tuple[str, int]:
    """Drop quotation marks at the edges of a segment that do not pair inside it."""
    while segment and segment[0] in "“‘「" and _closing_of(segment, 0) is None:
        segment, start = segment[1:], start + 1
    while segment and segment[-1] in "”’」" and _unpaired_close(segment) == len(segment):
        segment = segment[:-1]
    return segment, start


def _kind_of(levels: Sequence[LevelCandidate], separator: str) -> str:
    tiers = [level.tier for level in levels]
    if separator == "+" or separator == "、":
        return "role_system"
    if (
        tiers
        and all(t in ("grid", "building", "entrance") for t in tiers)
        and any("网格" in level.name for level in levels)
    ):
        return "grid"
    return "hierarchy"


def _ordered(levels: list[LevelCandidate], ranks: dict[str, int]) -> list[LevelCandidate]:
    """Top first: sorted by tier rank (stable) when every level has a tier, else as written."""
    if levels and all(level.tier is not None for level in levels):
        return sorted(levels, key=lambda level: ranks[level.tier])  # type: ignore[index]
    return levels


def _levels_phrase(text: str, end: int) -> re.Match[str] | None:
    """A ``N级架构``-style phrase right after a chain (optionally after its closing quote)."""
    return _LEVELS_AFTER_RE.match(text, end, end + 12)


def _unpaired_close(segment: str) -> int:
    """Index just after the last closing quote whose opening quote is not in ``segment``."""
    depth, cut = 0, 0
    for i, char in enumerate(segment):
        if char in "“‘「":
            depth += 1
        elif char in "”’」":
            if depth:
                depth -= 1
            else:
                cut = i + 1
    return cut


def _unpaired_open(segment: str) -> int | None:
    """Index of the first opening quote that is not closed within ``segment``."""
    stack: list[int] = []
    for i, char in enumerate(segment):
        if char in "“‘「":
            stack.append(i)
        elif char in "”’」" and stack:
            stack.pop()
    return stack[0] if stack else None


#: Particles that never occur inside a name: an item of a chain or list ends before them.
_ITEM_STOPS = set("的了着等")
#: Where the first item of a list starts at the latest: after a particle, a list marker (三是)
#: or a quoted term and the word that defines it (“三带”指).
_FIRST_CUT_RE = re.compile(r".*(?:[的了着]|[一二三四五六七八九十]是|[”’」](?:指|即|是|就是))")


def _closing_of(segment: str, opening: int) -> int | None:
    """Index of the quotation mark closing the one at ``opening`` (None if unclosed)."""
    depth = 0
    for i in range(opening, len(segment)):
        if segment[i] in "“‘「":
            depth += 1
        elif segment[i] in "”’」":
            depth -= 1
            if depth == 0:
                return i
    return None


def _trim_first(segment: str, start: int, vocab: Vocabulary | None = None) -> tuple[str, int]:
    """The first item of a chain or list without the words before it (三是构建“社区… → 社区…)."""
    first_cut = _FIRST_CUT_RE.match(segment)
    cut = first_cut.end() if first_cut else 0
    cut += _unpaired_close(segment[cut:])
    opening = _unpaired_open(segment[cut:])
    if opening is not None:
        cut += opening + 1
    rest = segment[cut:]
    while (lead := _LEADING_WORDS.match(rest)) and lead.group():
        after = rest[lead.end() :]
        # 组织带领 keeps its 组织 (the actor); 建立区 loses 建立 (区 is a tier)
        if len(after) <= 2 and not (vocab and after in vocab.tier_terms):
            break
        rest = after
    return rest, start + len(segment) - len(rest)


def _trim_last(segment: str, start: int) -> tuple[str, int]:
    """The last item of a chain or list without what follows it (…中心户”四级组织架构 → …中心户)."""
    cut = next((i for i, c in enumerate(segment) if c in _ITEM_STOPS), len(segment))
    segment = segment[:cut]
    stack = 0
    for i, char in enumerate(segment):
        if char in "“‘「":
            stack += 1
        elif char in "”’」":
            if not stack:
                segment = segment[:i]
                break
            stack -= 1
    # a quoted name after a whole item is the name of the list (居民共同决议“四步”议事工作法),
    # a quote inside a short item is part of it (社区“两委”成员代表, 社区‘大党委’)
    opening = next((i for i, c in enumerate(segment) if c in "“‘「" and i >= 4), None)
    if opening is not None:
        closing = _closing_of(segment, opening)
        rest = segment[closing + 1 :] if closing is not None else ""
        if len(segment) > 12 or len(rest) >= 2:
            segment = segment[:opening]
    phrase = _LEVELS_INSIDE_RE.search(segment)
    if phrase and phrase.start() > 0:
        segment = segment[: phrase.start()]
    return segment, start


def _trim_items(
    items: list[tuple[str, int]], vocab: Vocabulary | None = None
) -> list[tuple[str, int]] | None:
    """Trim the first and last of a list's items; None when an item is no name (has stops)."""
    if not items:
        return None
    items = list(items)
    items[0] = _trim_first(*items[0], vocab)
    items[-1] = _trim_last(*items[-1])
    out = []
    for name, start in items:
        name, start = _strip_quotes(name, start)
        bare = name.strip(_QUOTES)
        if not bare or len(name) > 12 or any(c in _ITEM_STOPS for c in name):
            return None
        out.append((name, start))
    return out


def _ends_with_unit(name: str, vocab: Vocabulary) -> bool:
    bare = name.strip(_QUOTES)
    return any(bare.endswith(term) for term in vocab.unit_terms)


def _paragraphs_with(text: str, chars: str) -> Iterable[tuple[int, int]]:
    """``(start, end)`` of every line of ``text`` holding one of ``chars`` (a cheap gate)."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if any(c in line for c in chars):
            yield start, end
        start = end + 1


def _chain_structures(text: str, vocab: Vocabulary, ranks: dict[str, int]) -> list:
    found = []
    for rule, pattern, sep in (
        ("dash chain", _DASH_CHAIN_RE, "-"),
        ("plus chain", _PLUS_CHAIN_RE, "+"),
    ):
        separators = _DASH if sep == "-" else "+＋"
        matches = (
            match
            for lo, hi in _paragraphs_with(text, separators)
            for match in pattern.finditer(text, lo, hi)
        )
        for match in matches:
            parts = [
                (part.group(), match.start() + part.start())
                for part in re.finditer(rf"[^{_DASH}+＋]+", match.group())
            ]
            items = _trim_items(parts, vocab)
            if items is None or len(items) < 2:
                continue
            levels = [
                LevelCandidate(name, vocab.tier_of(name), at, at + len(name)) for name, at in items
            ]
            after = _levels_phrase(text, levels[-1].end)
            stated = _number(after["n"]) if after else None
            if sep == "-" and len(levels) < 3 and stated != len(levels):
                continue  # a two-part dash is too often a title or a range
            known = sum(
                level.tier is not None or _ends_with_unit(level.name, vocab) for level in levels
            )
            if known < 2 and stated is None:
                continue  # 舞动+规范+服务: no organisation in it
            start = levels[0].start
            end = after.end() if after else levels[-1].end
            name = text[levels[0].start : levels[-1].end]
            found.append(
                StructureCandidate(
                    name=name,
                    kind=_kind_of(levels, sep),
                    levels=tuple(levels),
                    quote=text[start:end],
                    start=start,
                    end=end,
                    rule=rule + (f" + {after.group().lstrip('”’」的等')}" if after else ""),
                )
            )
    return found


def _list_items(match: re.Match[str]) -> list[tuple[str, int]]:
    items, offset = [], match.start("list")
    for part in match.group("list").split("、"):
        items.append((part, offset))
        offset += len(part) + 1
    return items


def _common_verb(items: list[str]) -> str | None:
    """A two-character word written in every item after its first two characters (参与)."""
    first = items[0]
    for i in range(2, len(first) - 1):
        word = first[i : i + 2]
        if _HAN_RE.match(word[0]) and all(word in item[2:] for item in items[1:]):
            return word
    return None


def _parallel_structures(text: str, vocab: Vocabulary, ranks: dict[str, int]) -> list:
    """Parallel clauses naming actors and what they do: 党委统筹、支部运作、党员参与."""
    found = []
    for match in _LIST_RE.finditer(text):
        items = _trim_items(_list_items(match), vocab)
        if items is None:
            continue
        names = [name for name, _ in items]
        actors = [vocab.actor_re.match(name.strip(_QUOTES)) for name in names]
        known = [a for a in actors if a]
        if len(known) < 2 or len(known) * 3 < len(names) * 2 - 1:
            continue
        rests = [
            name.strip(_QUOTES)[a.end() :] if a else ""
            for name, a in zip(names, actors, strict=True)
        ]
        if any(a and not (2 <= len(r) <= 8) for a, r in zip(actors, rests, strict=True)):
            continue  # 网格长、网格员、民警: a list of actors, not of actors doing things
        if any(a and vocab.actor_re.match(r) for a, r in zip(actors, rests, strict=True)):
            continue  # 社区党员: a modifier and a noun
        if any(a and not _GOVERNANCE_VERB_RE.search(r) for a, r in zip(actors, rests, strict=True)):
            continue  # 楼栋故事汇、居民好声音: things, not actors doing something
        verb = _common_verb(names) if min(map(len, names)) > 6 else None
        levels = []
        for name, start in items:
            if verb:
                name = name[: name.index(verb)]
            levels.append(LevelCandidate(name, vocab.tier_of(name), start, start + len(name)))
        after = _levels_phrase(text, items[-1][1] + len(items[-1][0]))
        start = items[0][1]
        end = after.end() if after else items[-1][1] + len(items[-1][0])
        found.append(
            StructureCandidate(
                name=text[start : items[-1][1] + len(items[-1][0])],
                kind="role_system",
                levels=tuple(_ordered(levels, ranks)),
                quote=text[start:end],
                start=start,
                end=end,
                rule="parallel clauses"
                + (f" + {after.group().lstrip('”’」的等')}" if after else ""),
            )
        )
    return found


_NAMED_LIST_RE = re.compile(
    rf"(?P<list>[{_HAN}“”‘’]{{2,14}}(?:[、和及与][{_HAN}“”‘’]{{2,12}}){{1,7}})"
    rf"(?P<tail>的?[“「][^”」\n]{{1,12}}[”」][{_HAN}]{{0,6}}?"
    r"(?:机制|模式|体系|平台|品牌|格局|工作法|制度|圈))"
)


def _named_lists(text: str, vocab: Vocabulary, ranks: dict[str, int]) -> list:
    """Units listed right before a quoted mechanism: 街巷长、楼栋长、网格员“两长一员”机制."""
    found = []
    terms = set(vocab.unit_terms) | {t for t in vocab.tier_terms if len(t) > 1}
    matches = (
        m for lo, hi in _paragraphs_with(text, "“「") for m in _NAMED_LIST_RE.finditer(text, lo, hi)
    )
    for match in matches:
        parts, offset = [], match.start("list")
        for piece in re.split("([、和及与])", match.group("list")):
            if piece and piece not in "、和及与":
                parts.append((piece, offset))
            offset += len(piece)
        items = _trim_items(parts, vocab)
        if items is None or len(items) < 2:
            continue
        if not all(any(name.endswith(t) for t in terms) for name, _ in items):
            continue
        levels = _ordered(
            [LevelCandidate(name, vocab.tier_of(name), at, at + len(name)) for name, at in items],
            ranks,
        )
        start, end = items[0][1], match.end()
        found.append(
            StructureCandidate(
                name=match.group("tail").lstrip("的"),
                kind="coordination",
                levels=tuple(levels),
                quote=text[start:end],
                start=start,
                end=end,
                rule="units listed before a named mechanism",
            )
        )
    return found


def _span_structures(text: str, vocab: Vocabulary, ranks: dict[str, int]) -> list:
    """Span rules: 一个党员带一户、三个党员带一门、十个党员带一楼."""
    found = []
    for match in _SPAN_LIST_RE.finditer(text):
        levels = []
        for item in _SPAN_ITEM_RE.finditer(match.group()):
            unit = item.group("unit")
            start = match.start() + item.start("unit")
            levels.append(
                LevelCandidate(
                    unit,
                    vocab.tier_of(unit),
                    start,
                    start + len(unit),
                    span=_number(item.group("n")) if _number(item.group("n")) else None,
                )
            )
        found.append(
            StructureCandidate(
                name=match.group(),
                kind="span",
                levels=tuple(_ordered(levels, ranks)),
                quote=match.group(),
                start=match.start(),
                end=match.end(),
                rule="span rule",
            )
        )
    return found


def _counted_tiers(
    text: str, quantities: list[Quantity], vocab: Vocabulary, ranks: dict[str, int]
) -> list:
    """One sentence counting organisations tier by tier: 设1个党委，10个党支部，党员896人."""
    found = []
    by_sentence: dict[int, list[Quantity]] = {}
    sentences = [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text)]
    for q in quantities:
        for s, e in sentences:
            if s <= q.start < e:
                by_sentence.setdefault(s, []).append(q)
                break
    for inside in by_sentence.values():
        best: list[tuple[LevelCandidate, Quantity]] = []
        run: list[tuple[LevelCandidate, Quantity]] = []
        for q in inside:
            noun = (q.noun or "").strip(_QUOTES)
            tier = vocab.tier_terms.get(noun) if q.unit != "级" else None
            at = _noun_offset(text, q, noun) if noun else -1
            if tier is None or text[at : at + len(noun)] != noun:
                run = []
                continue
            if run and ranks[tier] <= ranks[run[-1][0].tier or ""]:
                run = []
            exact = q.qualifier == "exact" and q.value_max is None
            count = int(q.value) if exact and float(q.value).is_integer() else None
            run.append((LevelCandidate(noun, tier, at, at + len(noun), count=count), q))
            if len(run) > len(best):
                best = list(run)
        if len(best) >= 3:
            start = min(min(level.start, q.start) for level, q in best)
            end = max(max(level.end, q.end) for level, q in best)
            found.append(
                StructureCandidate(
                    name="-".join(level.name for level, _ in best),
                    kind="hierarchy",
                    levels=tuple(level for level, _ in best),
                    quote=text[start:end],
                    start=start,
                    end=end,
                    rule="counted tiers",
                )
            )
    return found


def _listed_levels(text: str, vocab: Vocabulary, ranks: dict[str, int]) -> list:
    """``X、Y、Z三级…`` : a list of N tier terms right before ``N级`` names the levels."""
    found = []
    pattern = re.compile(
        rf"(?P<list>[{_HAN}]{{1,8}}(?:[、和及与][{_HAN}]{{1,8}}){{1,6}})"
        rf"(?=(?P<n>[一二两三四五六七八九十0-9]{{1,2}})(?:级|层))"
    )
    matches = (
        m for lo, hi in _paragraphs_with(text, "级层") for m in pattern.finditer(text, lo, hi)
    )
    for match in matches:
        n = _number(match["n"])
        parts = re.split("[、和及与]", match["list"])
        if n is None or n < 2 or len(parts) != n:
            continue
        offset = match.start("list")
        levels = []
        for i, part in enumerate(parts):
            name, at = _trim_first(part, offset, vocab) if i == 0 else (part, offset)
            levels.append(LevelCandidate(name, vocab.tier_of(name), at, at + len(name)))
            offset += len(part) + 1
        if any(level.tier is None for level in levels):
            continue
        after = _levels_phrase(text, match.end())
        end = after.end() if after else match.end()
        found.append(
            StructureCandidate(
                name="-".join(level.name for level in levels),
                kind=_kind_of(levels, "-"),
                levels=tuple(_ordered(levels, ranks)),
                quote=text[levels[0].start : end],
                start=levels[0].start,
                end=end,
                rule="listed levels",
            )
        )
    return found


def _noun_offset(text: str, q: Quantity, noun: str) -> int:
    after = q.end + (len(text[q.end :]) - len(text[q.end :].lstrip(" \t")))
    if text.startswith(noun, after):
        return after
    before = text.rfind(noun, max(0, q.start - 24), q.start)
    return before if before >= 0 else q.start


def find_structures(
    text: str, vocab: Vocabulary, ranks: dict[str, int], quantities: list[Quantity]
) -> list[StructureCandidate]:
    """Structure candidates in text order, none overlapping another (the longer wins)."""
    candidates = (
        _span_structures(text, vocab, ranks)
        + _chain_structures(text, vocab, ranks)
        + _parallel_structures(text, vocab, ranks)
        + _named_lists(text, vocab, ranks)
        + _listed_levels(text, vocab, ranks)
        + _counted_tiers(text, quantities, vocab, ranks)
    )
    kept: list[StructureCandidate] = []
    for s in sorted(candidates, key=lambda s: (-(s.end - s.start), s.start)):
        if all(s.end <= k.start or k.end <= s.start for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


# --------------------------------------------------------------------------- units, practices

#: Endings of organisation-like words (suggested as ``unclassified`` units when the glossary
#: has no term for them), each with the characters that, right after it, make it another word.
ORGANISATION_SUFFIXES: dict[str, str] = {
    "委员会": "", "办公室": "", "联合会": "", "协会": "", "商会": "", "基金会": "", "公司": "",
    "合作社": "", "理事会": "", "联合社": "", "组织部": "", "宣传部": "", "统战部": "",
    "人武部": "",
    "集团": "", "联盟": "", "工作室": "", "医院": "", "学校": "", "站点": "",
    "中心": "户城工任思环区地点位内",
    "所": "", "局": "", "委": "", "办": "", "队": "", "站": "", "组": "",
}  # fmt: skip
#: One-character endings are organisations only before punctuation or a function word
#: (司法所等, 服务队的) — 所 and 办 are also particles and verbs (榜样所带来, 难事特办).
_SHORT_SUFFIX_NEXT = set("的和与及等、，。；：！？（）“”在对为将把由向从给是有也都并或共联\n")
#: The shortest stem before an ending (信息统计组, but not 小组).
_MIN_STEM: dict[str, int] = {"组": 3}
#: 办 ends an organisation only as the short form of an organ's office (街道办, 综治办), not in
#: slogans (难事特办, 民事民办).
_OFFICE_STEM_END = set("委府政道治党区市县局部")
#: Words ending like an organisation that are none (场所, 举办, 排队 …).
NOT_ORGANISATIONS: frozenset[str] = frozenset(
    {
        "场所", "住所", "处所", "厕所", "举办", "创办", "承办", "主办", "督办", "代办", "包办",
        "兴办", "开办", "交办", "转办", "查办", "领队", "排队", "插队", "站队", "车站", "网站",
        "团队", "格局", "布局", "大局", "全局", "结局", "当局", "中心", "重心", "核心", "小组",
        "帮办", "专办", "快办", "即办", "先办", "速办", "好办", "难办", "怎么办", "分组", "编组",
        "社会", "机会", "大会", "开会", "党委", "主委", "小站", "岗站", "上站", "进站",
    }
)  # fmt: skip
#: Place words: a proper name before them is part of a unit's name (红庙社区党委).
PLACE_SUFFIXES: tuple[str, ...] = (
    "社区", "街道", "小区", "花园", "家园", "村", "镇", "乡", "区", "县", "市", "苑", "园", "里",
    "庄", "湾",
)  # fmt: skip
_NAME_STOPS = set(
    "的了着在和与及由对将把为向从给是有等并或即而但以于到至被让使也都均各每该这那其、，。；：！？（）《》"
    "0123456789 \t\n"
)
_LEADING_WORDS = re.compile(
    r"^(?:全面|着力|大力|逐步|努力|建立|成立|组建|打造|搭建|建设|建成|依托|通过|发挥|推动|引导|"
    r"设立|联合|整合|协调|邀请|包括|深化|落实|完善|加强|指导|督促|帮助|推进|参与|配合|联系|对接|"
    r"聘请|引进|吸纳|成为|担任|纳入|作为|形成|开展|组织|动员|带领|带动|服务|依靠|借助|联动|会同|"
    r"支持|鼓励|号召|发动|召开|举办|率先|积极|主动|共同|定期|全体|广大|相关|各类|各级|其他|多个|"
    r"所有|抓住|发展|培育|培养|实现|构建|创建|提升|强化|明确|推行|探索|坚持|用好|做好|指派|选派|"
    r"派驻|入驻|下沉|进驻|走进|深入|结合|围绕|针对|面向|覆盖|涉及|组成|包含|设置|设有|配备|配齐|"
    r"全|各|个|名|支|家|位|批|让|使|"
    r"请|经|自|同|跟|向|对)"
)
#: Words that are never part of a unit's proper name (进一步提升社区党支部 → 社区党支部).
_NOT_NAME_RE = re.compile(
    r"进一步|下一步|同时|目前|近年|今年|去年|此外|其中|不断|持续|切实|扎实|深入|充分|有效|"
    r"提升|提高|加强|推进|推动|激活|优化|检验|运用|讨论|发挥|介绍|打造|首创|率先|"
    r"(?<!第)[一两二三四五六七八九十]"
)
_WORD_BEFORE_NAME_RE = re.compile(
    "(?:" + _NOT_NAME_RE.pattern + "|" + _LEADING_WORDS.pattern[4:-1] + ")$"
)
_SUFFIX_RE = re.compile(
    "(?:" + "|".join(re.escape(s) for s in _by_length(ORGANISATION_SUFFIXES)) + ")"
)
_OPENING_OF = {"”": "“", "’": "‘", "」": "「"}


def _quoted_before(text: str, start: int) -> int:
    """Start of a quoted phrase ending right before ``start`` (“老街坊”热线工作站), else start."""
    if start > 0 and text[start - 1] in _OPENING_OF:
        opening = text.rfind(_OPENING_OF[text[start - 1]], max(0, start - 14), start - 1)
        if opening != -1 and "\n" not in text[opening:start]:
            return opening
    return start


def _place_before(text: str, start: int, first: bool) -> int:
    """Start of a unit name once the place named before ``start`` is added to it.

    The place is a proper name and a place word (红庙 + 社区, 悦海湾 + 小区); a proper name is
    accepted when the text repeats it with the place word and it starts a word (after a
    function word, a verb or another place). ``first``: the term itself may begin with the
    place word (社区党委); a bare two-character place word right before the term is kept
    (街道社区党组织).
    """
    for step in range(3):
        anchor, word = None, ""
        for place in PLACE_SUFFIXES:
            if text.endswith(place, 0, start):
                anchor, word = start - len(place), place
                break
            if first and text.startswith(place, start):
                anchor, word = start, place
                break
        first = False
        if anchor is None:
            return start
        i = anchor
        while (
            i > 0
            and anchor - i < 6
            and _HAN_RE.match(text[i - 1])
            and text[i - 1] not in _NAME_STOPS
        ):
            i -= 1
        run = text[i:anchor]
        accepted = None
        for k in range(len(run), 1, -1):
            prefix = run[-k:]
            if _NOT_NAME_RE.search(prefix) or (_LEADING_WORDS.match(prefix) or [""])[0]:
                continue
            if (
                k < len(run)
                and not _WORD_BEFORE_NAME_RE.search(run[:-k])
                and not run[:-k].endswith(PLACE_SUFFIXES)
            ):
                continue  # 提高社区党组织: a name does not start inside a word
            if text.count(prefix + word) >= 2:
                accepted = anchor - k
                break
        if accepted is None:
            return anchor if anchor < start and step == 0 and len(word) == 2 else start
        start = accepted
    return start


#: Unit types whose glossary terms are names of organisations, so that a place named before
#: them belongs to the name (红庙社区党委, 悦海湾小区党支部); people (党员, 居民) are not extended.
_EXTENDED_TYPES = frozenset(
    {
        "subdistrict_party_committee", "district_party_committee", "community_party_committee",
        "party_branch", "secretary_studio", "property_company", "property_committee",
        "volunteer_team", "resident_council", "working_group", "service_station",
        "joint_committee", "judicial_office", "police_station", "unclassified",
    }
)  # fmt: skip


def _unit_start(text: str, start: int, unit_type: str) -> int:
    if unit_type in _EXTENDED_TYPES:
        start = _place_before(text, _quoted_before(text, start), first=True)
    return start


def _stem_start(text: str, end: int) -> int:
    """Start of the words before an organisation-like ending (组建信息统计组 → 信息统计)."""
    i = end
    while i > 0 and end - i < 8 and _HAN_RE.match(text[i - 1]) and text[i - 1] not in _NAME_STOPS:
        i -= 1
    stem = text[i:end]
    while (lead := _LEADING_WORDS.match(stem)) and lead.group() and len(stem) > lead.end():
        stem = stem[lead.end() :]
    bad = list(_NOT_NAME_RE.finditer(stem))
    if bad:
        stem = stem[bad[-1].end() :]
    return end - len(stem)


def _longest_matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Non-overlapping term matches in text order; a term starting inside a match wins when it
    is longer (老书记工作室: 书记工作室 beats 老书记)."""
    out: list[tuple[int, int]] = []
    pos = 0
    while match := pattern.search(text, pos):
        start, end = match.span()
        for k in range(start + 1, end):
            inner = pattern.match(text, k)
            if inner and inner.end() - k > end - start:
                start, end = k, inner.end()
                break
        out.append((start, end))
        pos = end
    return out


def find_units(text: str, vocab: Vocabulary) -> list[UnitCandidate]:
    """Partner units: glossary terms (with a quoted or place name before them) and
    organisation-like words the glossary lacks; one candidate per distinct name, at its first
    occurrence."""
    found: dict[str, UnitCandidate] = {}
    taken = bytearray(len(text) + 1)
    for term_start, term_end in _longest_matches(vocab.unit_re, text):
        term = text[term_start:term_end]
        unit_type = vocab.unit_terms[term]
        start = _unit_start(text, term_start, unit_type)
        taken[start:term_end] = b"\x01" * (term_end - start)
        name = text[start:term_end]
        if name not in found:
            rule = f"glossary term {term}" + (" with the name before it" if name != term else "")
            found[name] = UnitCandidate(name, unit_type, name, start, term_end, rule)
    for match in _SUFFIX_RE.finditer(text):
        suffix, end = match.group(), match.end()
        nxt = text[end : end + 1]
        if nxt and nxt in ORGANISATION_SUFFIXES[suffix]:
            continue
        if len(suffix) == 1 and nxt and nxt not in _SHORT_SUFFIX_NEXT:
            continue
        if any(taken[match.start() : end]):
            continue
        stem_start = _stem_start(text, match.start())
        stem = text[stem_start : match.start()]
        start = _unit_start(text, stem_start, "unclassified")
        quoted = start < stem_start
        if len(stem) < _MIN_STEM.get(suffix, 2) and not quoted:
            continue
        if suffix == "办" and stem[-1:] not in _OFFICE_STEM_END:
            continue
        word = (
            text[start:end].translate({ord(q): None for q in _QUOTES}) if quoted else stem + suffix
        )
        if word in NOT_ORGANISATIONS or any(
            word.endswith(w) for w in NOT_ORGANISATIONS if len(w) > len(suffix)
        ):
            continue
        name = text[start:end]
        taken[start:end] = b"\x01" * (end - start)
        if name not in found:
            found[name] = UnitCandidate(
                name, "unclassified", name, start, end, f"organisation-like ending {suffix}"
            )
    return sorted(found.values(), key=lambda u: u.start)


def find_practices(text: str, vocab: Vocabulary) -> list[PracticeCandidate]:
    """Named practices: the first occurrence of any glossary term of each practice key."""
    found: dict[str, PracticeCandidate] = {}
    for match in vocab.practice_re.finditer(text):
        term = match.group()
        key = vocab.practice_terms[term]
        if key not in found:
            found[key] = PracticeCandidate(
                key, term, term, match.start(), match.end(), f"glossary term {term}"
            )
    return sorted(found.values(), key=lambda p: p.start)


# --------------------------------------------------------------------------- extraction


def extract_candidates(text: str, glossary: Glossary | None = None) -> Candidates:
    """Every candidate fact of a *normalised* text (see :func:`analytics.sources.normalise`).

    >>> c = extract_candidates("实现“一个党员带一户、三个党员带一门”的目标。")
    >>> [(s.kind, [(lv.name, lv.tier, lv.span) for lv in s.levels]) for s in c.structures]
    [('span', [('一门', 'entrance', 3), ('一户', 'household', 1)])]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_candidates() needs a str, not {type(text).__name__}")
    glossary = glossary or load_glossary()
    vocab = _vocabulary_of(glossary)
    ranks = {key: int(entry["rank"]) for key, entry in glossary.entries["tiers"].items()}
    quantities, exclusions = extract(text, with_excluded=True)
    return Candidates(
        text=text,
        quantities=quantities,
        exclusions=exclusions,
        structures=find_structures(text, vocab, ranks, quantities),
        units=find_units(text, vocab),
        practices=find_practices(text, vocab),
    )


# --------------------------------------------------------------------------- the draft


def draft_id(stem: str, sha256: str) -> str:
    """Draft id: an ASCII slug of the file stem, or ``case-<8 hex>`` for a non-ASCII stem.

    >>> draft_id("Beijing Xicheng_2024 (v2)", "ab" * 32), draft_id("红庙社区", "0123abcd" * 8)
    ('beijing-xicheng-2024-v2', 'case-0123abcd')
    """
    if stem.isascii():
        slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
        if slug:
            return slug
    return f"case-{sha256[:8]}"


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """1-based index of the occurrence of ``quote`` at ``start`` (overlapping matches counted,
    as :func:`analytics.corpus.find_occurrences` does), None when the quote is unique."""
    starts, i = [], text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    if len(starts) <= 1:
        return None
    return starts.index(start) + 1


_CLAUSE_ENDS = "，。；：！？、（）《》\n"


def _widen(text: str, start: int, end: int, limit: int = 30) -> tuple[int, int]:
    """A span around ``text[start:end]`` that occurs only once, for a readable unique quote.

    Tried in turn: up to the end of the clause, from its start, the whole clause (each at most
    ``limit`` characters), then the shortest widening within the clause; the span itself when
    nothing is unique (the draft then gives ``occurrence``).
    """
    quote = text[start:end]
    others, i = [], text.find(quote)
    while i != -1:
        if i != start:
            others.append(i)
        i = text.find(quote, i + 1)
    if not others:
        return start, end

    def unique(s: int, e: int) -> bool:
        left, candidate = start - s, text[s:e]
        return all(o - left < 0 or text[o - left : o - left + e - s] != candidate for o in others)

    lo = max(text.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    ends = [j for j in (text.find(c, end) for c in _CLAUSE_ENDS) if j != -1]
    hi = min(ends) if ends else len(text)
    for s, e in ((start, hi), (lo, end), (lo, hi)):
        if (s, e) != (start, end) and e - s <= limit and unique(s, e):
            return s, e
    for total in range(1, 17):
        for left in range(total + 1):
            s, e = start - left, end + total - left
            if lo <= s and e <= hi and unique(s, e):
                return s, e
    return start, end


def _evidence(
    text: str, start: int, end: int, note: str | None = None, widen: bool = True
) -> dict[str, Any]:
    if widen:
        start, end = _widen(text, start, end)
    quote = text[start:end]
    out: dict[str, Any] = {"quote": quote}
    occurrence = _occurrence(text, quote, start)
    if occurrence is not None:
        out["occurrence"] = occurrence
    if note:
        out["note"] = note
    return out


def _number_out(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _metric(text: str, q: Quantity, index: int, vocab: Vocabulary) -> dict[str, Any]:
    start, end, rule = q.start, q.end, "numeral, measure word"
    if q.noun:
        at = _noun_offset(text, q, q.noun)
        if at >= q.end:
            end, rule = at + len(q.noun), "numeral first (noun after)"
        elif at < q.start and text[at : at + len(q.noun)] == q.noun:
            start, rule = at, "noun first"
    if q.unit == "级":
        rule = "N级 structure"
    notes = [f"found by ingest: rule {rule}"]
    if q.bound:
        notes.append(f"share bound: {q.bound}")
    keys = vocab.measure_units.get(q.unit, [])
    if len(keys) > 1:
        notes.append(f"measure word {q.unit} also maps to {', '.join(keys[1:])}")
    item: dict[str, Any] = {
        "id": f"q{index:03d}",
        "metric": "unclassified",
    }
    if q.noun:
        item["subject"] = q.noun
    item["value"] = _number_out(q.value)
    if q.value_max is not None:
        item["value_max"] = _number_out(q.value_max)
    item["unit"] = q.unit
    item["unit_canonical"] = vocab.canonical_unit(q.unit, q.noun)
    item["qualifier"] = q.qualifier
    item.update(_evidence(text, start, end, "; ".join(notes)))
    return item


def _case_block(text: str, stem: str, case_id: str) -> dict[str, Any]:
    first = text.split("\n", 1)[0]
    clause = re.match(r"[^，。；：！？]+", first)
    quote_end = clause.end() if clause else len(first)
    title = first[:60] if len(first) <= 60 else first[:59] + "…"
    block: dict[str, Any] = {
        "id": case_id,
        "title": title,
        "title_en": f"(draft) {stem}",
        "scope": "community",
    }
    block.update(
        _evidence(
            text, 0, quote_end, "scope guessed; title and quote are the first paragraph", False
        )
    )
    return block


class _Flow(dict):
    """A mapping written in YAML flow style (one line)."""


class _Quoted(str):
    """A string always written double-quoted."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
_Dumper.add_representer(
    _Quoted, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", data, style='"')
)


def draft_document(
    candidates: Candidates,
    *,
    case_id: str,
    stem: str,
    source_file: str,
    sha256: str,
    glossary: Glossary | None = None,
) -> dict[str, Any]:
    """The draft case file (a plain mapping in the schema of ``data/cases/``) of candidates.

    >>> doc = draft_document(extract_candidates("社区党员896人。"), case_id="x", stem="x",
    ...     source_file="x.txt", sha256="0" * 64)
    >>> doc["draft"], doc["metrics"][0]["quote"], doc["metrics"][0]["unit_canonical"]
    (True, '社区党员896人', 'person')
    """
    vocab = _vocabulary_of(glossary)
    text = candidates.text
    doc: dict[str, Any] = {
        "schema_version": 1,
        "draft": True,
        "source": {"file": source_file, "sha256": _Quoted(sha256)},
        "case": _case_block(text, stem, case_id),
    }
    structures = []
    for i, s in enumerate(candidates.structures, 1):
        levels = []
        for level in s.levels:
            entry: dict[str, Any] = {"name": level.name}
            if level.tier:
                entry["tier"] = level.tier
            if level.count is not None:
                entry["count"] = level.count
            if level.span is not None:
                entry["span"] = level.span
            entry.update(
                _evidence(text, level.start, level.end, None if level.tier else "tier unknown")
            )
            levels.append(entry)
        structure: dict[str, Any] = {"id": f"s{i:02d}", "kind": s.kind, "name": s.name}
        note = f"found by ingest: rule {s.rule}; kind guessed"
        structure.update(_evidence(text, s.start, s.end, note))
        structure["levels"] = levels
        structures.append(structure)
    doc["structures"] = structures
    doc["metrics"] = [_metric(text, q, i, vocab) for i, q in enumerate(candidates.quantities, 1)]
    doc["excluded"] = [
        _Flow(
            {
                "text": e.text,
                "reason": EXCLUSION_REASONS.get(e.reason, "unclassified"),
                **_evidence(text, e.start, e.end, f"found by ingest: rule {e.reason}"),
            }
        )
        for e in candidates.exclusions
    ]
    doc["units"] = [
        {
            "id": f"u{i:03d}",
            "name": u.name,
            "unit_type": u.unit_type,
            **_evidence(text, u.start, u.end, f"found by ingest: {u.rule}"),
        }
        for i, u in enumerate(candidates.units, 1)
    ]
    doc["practices"] = [
        {
            "practice": p.practice,
            "name": p.name,
            **_evidence(text, p.start, p.end, f"found by ingest: {p.rule}"),
        }
        for p in candidates.practices
    ]
    return {key: value for key, value in doc.items() if value != []}


def render_draft(doc: dict[str, Any], schema_ref: str = "../schema.json") -> str:
    """YAML text of a draft, headed by the YAML language server's schema line.

    >>> print(render_draft({"draft": True, "source": {"sha256": _Quoted("12")}}), end="")
    # yaml-language-server: $schema=../schema.json
    draft: true
    source:
      sha256: "12"
    """
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, indent=2)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"


# --------------------------------------------------------------------------- files


@dataclass
class IngestResult:
    """What ingesting one input gave: a draft (``yaml``) or an ``error`` message."""

    path: str
    draft_path: Path | None = None
    yaml: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def ingest_bytes(
    data: bytes, name: str, *, stem: str, source_file: str, glossary: Glossary | None = None
) -> tuple[str, Candidates, dict[str, Any]]:
    """Decode, normalise and extract one raw text; return ``(case_id, candidates, document)``.

    Raises :class:`~analytics.errors.AnalyticsError` for undecodable or empty input.

    >>> case_id, found, doc = ingest_bytes("党员896人".encode("gb18030"), "x.txt", stem="x",
    ...     source_file="x.txt")
    >>> case_id, found.counts()["metrics"], doc["source"]["file"]
    ('x', 1, 'x.txt')
    """
    raw, _ = decode_bytes(data, name)
    text = normalise(raw)
    if not text.strip():
        raise AnalyticsError(f"{name}: empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    case_id = draft_id(stem, sha256)
    found = extract_candidates(text, glossary)
    doc = draft_document(
        found, case_id=case_id, stem=stem, source_file=source_file, sha256=sha256,
        glossary=glossary,
    )  # fmt: skip
    return case_id, found, doc


def _ingest_one(path_name: str, out_dir: str) -> IngestResult:
    """Worker: read one file and build its draft text (writing is left to the caller)."""
    path = Path(path_name)
    result = IngestResult(path=path_name)
    try:
        data = read_bytes(path, path_name)
        if not data.strip():
            raise AnalyticsError(f"{path_name}: empty file")
        out = Path(out_dir)
        source_file = os.path.relpath(path.resolve(), out.resolve())
        case_id, found, doc = ingest_bytes(data, path_name, stem=path.stem, source_file=source_file)
        schema_ref = os.path.relpath(paths.CASES_DIR / "schema.json", out.resolve())
        result.draft_path = out / f"{case_id}.yml"
        result.yaml = render_draft(doc, schema_ref=Path(schema_ref).as_posix())
        result.counts = found.counts()
    except AnalyticsError as exc:
        result.error = str(exc)
    return result


def _results(files: list[str], out_dir: str, jobs: int) -> Iterable[IngestResult]:
    if jobs <= 1 or len(files) <= 1:
        for name in files:
            yield _ingest_one(name, out_dir)
        return
    chunk = max(1, min(32, len(files) // (jobs * 4) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_ingest_one, files, [out_dir] * len(files), chunksize=chunk)


#: More inputs than this show a progress bar (on stderr, when it is a terminal).
PROGRESS_THRESHOLD = 20


def ingest_files(
    files: list[Path],
    out_dir: Path | None = None,
    jobs: int = 1,
    force: bool = False,
) -> int:
    """Write one draft case file per raw text; return 0 if every file succeeded, else 1.

    Each failure (undecodable, empty, unreadable input; existing draft without ``force``) is
    reported on stderr as one line and the other files still complete. A summary goes to
    stdout; with more than :data:`PROGRESS_THRESHOLD` files and a terminal, a progress bar to
    stderr. ``jobs > 1`` extracts in a process pool; files are written in input order.

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.txt").write_text("社区党员896人。", encoding="utf-8")
    >>> ingest_files([tmp / "a.txt"], out_dir=tmp / "drafts")  # doctest: +ELLIPSIS
    ingest: 1 draft(s) written to ...drafts, 0 failed
    candidates: metrics 1, excluded 0, structures 0, units 1, practices 0
    0
    >>> (tmp / "drafts" / "a.yml").read_text(encoding="utf-8").splitlines()[0]  # doctest: +ELLIPSIS
    '# yaml-language-server: $schema=...data/cases/schema.json'
    """
    out = Path(out_dir) if out_dir is not None else paths.DRAFTS_DIR
    names = [str(f) for f in files]
    failures = 0
    written = 0
    totals: Counter[str] = Counter(
        {k: 0 for k in ("metrics", "excluded", "structures", "units", "practices")}
    )
    claimed: dict[Path, str] = {}
    results = _results(names, str(out), max(1, jobs))
    bar = None
    if len(names) > PROGRESS_THRESHOLD and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(names), unit="file", file=sys.stderr, leave=False)

    def fail(message: str) -> None:
        nonlocal failures
        failures += 1
        line = f"analytics: ingest: {message}"
        if bar is not None:
            bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    for result in results:
        if bar is not None:
            bar.update(1)
        if result.error is not None or result.draft_path is None or result.yaml is None:
            fail(result.error or f"{result.path}: no draft")
            continue
        target = result.draft_path
        if target in claimed:
            shown = paths.display_path(target)
            fail(f"{shown}: also the draft of {claimed[target]}; rename one input")
            continue
        claimed[target] = result.path
        if target.exists() and not force:
            fail(f"{paths.display_path(target)}: exists; use --force to overwrite")
            continue
        try:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(result.yaml, encoding="utf-8")
        except OSError as exc:
            fail(f"{paths.display_path(target)}: cannot write ({exc.strerror})")
            continue
        written += 1
        totals.update(result.counts)
    if bar is not None:
        bar.close()
    print(f"ingest: {written} draft(s) written to {paths.display_path(out)}, {failures} failed")
    print("candidates: " + ", ".join(f"{kind} {n}" for kind, n in totals.items()))
    return 1 if failures else 0

"""Pydantic models of a curated case file (``data/cases/<case_id>.yml``).

Every fact is an :class:`Evidence`: it carries a ``quote`` that must be a verbatim substring of
the case's normalised text (``occurrence`` says which one when the quote is not unique) and an
optional ``note`` for what the text leaves open. Fields marked with :class:`GlossaryKey` must
use a key of that vocabulary in ``data/glossary.yml``; :func:`glossary_problems` checks them and
:func:`json_schema` writes the glossary's keys into the JSON Schema as enums, so an editor with
a YAML language server completes them.

>>> case = CaseFile.model_validate({"case": {"id": "x", "title": "标题", "title_en": "Title",
...     "scope": "community", "quote": "标题"}})
>>> case.case.id, case.metrics
('x', [])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from analytics.glossary import Glossary

SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Qualifier = Literal["exact", "approx", "at_least", "at_most", "share"]


@dataclass(frozen=True)
class GlossaryKey:
    """Marks a string field whose value must be a key of a glossary vocabulary."""

    vocabulary: str


def _key(vocabulary: str, description: str) -> Any:
    return Annotated[
        str,
        GlossaryKey(vocabulary),
        Field(description=f"{description} (a key of glossary `{vocabulary}`)"),
    ]


Id = Annotated[str, Field(pattern=ID_PATTERN, description="stable id: a-z, 0-9, - and _")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Model):
    """A fact and the verbatim text that states it."""

    quote: str = Field(
        min_length=1,
        description="verbatim substring of the normalised text (`analytics normalise FILE`)",
    )
    occurrence: int | None = Field(
        None, ge=1, description="which occurrence of the quote, when it occurs more than once"
    )
    note: str | None = Field(None, description="what the text leaves open or ambiguous")


class PlaceName(Evidence):
    name: str = Field(min_length=1, description="the place name as the text gives it")


class Place(Model):
    province: PlaceName | None = None
    city: PlaceName | None = None
    district: PlaceName | None = None
    subdistrict: PlaceName | None = None
    community: PlaceName | None = None


class Method(Evidence):
    name: str = Field(min_length=1, description="the work method's name as written")
    slogans: list[str] = Field(
        default_factory=list, description="slogans of the method, each verbatim in the text"
    )


class CaseInfo(Evidence):
    """Who and where; ``quote`` is the text's own title or first naming sentence."""

    id: Id
    title: str = Field(min_length=1, description="title in Chinese (the text's, or descriptive)")
    title_en: str = Field(min_length=1, description="English gloss of the title")
    scope: _key("scopes", "what the case is")
    place: Place = Field(default_factory=Place)
    methods: list[Method] = Field(default_factory=list)
    focal_unit: str | None = Field(
        None, description="unit id of the party organisation at the centre of the case"
    )


class Staffing(Evidence):
    role: str = Field(min_length=1, description="post as written, e.g. 网格长")
    count: int | None = Field(None, ge=0, description="people in this role, if stated")
    per_unit: bool = Field(
        False, description="true when the count is per unit of the level (每个网格…1名)"
    )


class Level(Evidence):
    name: str = Field(min_length=1, description="the level's name as written")
    name_en: str | None = Field(None, description="English gloss of the name, for figures")
    tier: Annotated[
        str | None,
        GlossaryKey("tiers"),
        Field(
            description="canonical tier of the level (a key of glossary `tiers`); "
            "may be left empty only in a draft"
        ),
    ] = None
    count: int | None = Field(None, ge=0, description="how many units at this level, if stated")
    span: int | None = Field(
        None, ge=1, description="party members per unit at this level (三个党员带一门 → 3)"
    )
    staffing: list[Staffing] = Field(default_factory=list)


class Structure(Evidence):
    id: Id
    kind: _key("structure_kinds", "kind of structure")
    name: str = Field(min_length=1, description="the structure's name as written, or its chain")
    name_en: str | None = Field(None, description="English gloss of the name, for figures")
    levels: list[Level] = Field(min_length=1, description="levels in order, top first")


class Metric(Evidence):
    id: Id
    metric: _key("metrics", "what is measured")
    subject: str | None = Field(None, description="what is counted, as written (老年人, 黨支部)")
    value: float
    value_max: float | None = Field(None, description="upper end of a range (160户至255户)")
    unit: str = Field(min_length=1, description="the measure word exactly as written")
    unit_canonical: _key("units", "canonical unit")
    qualifier: Qualifier = Field(
        "exact",
        description="exact; approx (约/近/左右); at_least (余/多/以上); at_most (不到); share (%)",
    )
    base: str | None = Field(None, description="for a share: the metric id of its base")
    per_unit: bool = Field(
        False,
        description="true when stated per unit (每个网格1名, 各有委员3名, 每周5次), not a total",
    )
    year: int | None = Field(None, ge=1949, le=2100)
    month: int | None = Field(None, ge=1, le=12)


class Excluded(Evidence):
    text: str = Field(min_length=1, description="the numeral phrase as written (8号楼)")
    reason: _key("exclusion_reasons", "why the number is not a measurement")


class Unit(Evidence):
    id: Id
    name: str = Field(min_length=1, description="the unit's name as written")
    name_en: str | None = Field(None, description="English gloss of the name, for figures")
    unit_type: _key("unit_types", "kind of organisation or group")


class Tie(Evidence):
    source: str = Field(description="unit id")
    target: str = Field(description="unit id")
    relation: _key("relation_types", "kind of tie")
    resources: list[Annotated[str, GlossaryKey("resources")]] = Field(
        default_factory=list, description="what flows along the tie, when the text says"
    )


class Practice(Evidence):
    practice: _key("practices", "named practice or mechanism")
    name: str = Field(min_length=1, description="the practice's name as written")


class Honour(Evidence):
    title: str = Field(min_length=1, description="award, title or outlet as written")
    title_en: str | None = Field(None, description="English gloss of the title, for figures")
    kind: _key("honour_kinds", "award, publication or programme")
    level: _key("honour_levels", "level of the awarding or publishing body")
    year: int | None = Field(None, ge=1949, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    recipient: str | None = Field(None, description="unit id or person's name")


class SourceRef(Model):
    """The raw text of a case that is not (yet) in ``data/raw/sources.yml`` (drafts)."""

    file: str = Field(min_length=1, description="raw text, relative to this case file")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the raw bytes")


class CaseFile(Model):
    """One case file: the case and every fact curated from its text."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Case file")

    schema_version: Literal[1] = SCHEMA_VERSION
    draft: bool = Field(False, description="true for machine-made drafts awaiting curation")
    source: SourceRef | None = Field(
        None, description="raw text of a case without a data/raw/sources.yml entry (drafts)"
    )
    case: CaseInfo
    structures: list[Structure] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    excluded: list[Excluded] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    ties: list[Tie] = Field(default_factory=list)
    practices: list[Practice] = Field(default_factory=list)
    honours: list[Honour] = Field(default_factory=list)


def iter_evidence(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, Evidence]]:
    """Yield ``(field_path, item)`` for every :class:`Evidence` in a model, depth first.

    >>> case = CaseFile.model_validate({"case": {"id": "x", "title": "t", "title_en": "t",
    ...     "scope": "community", "quote": "t"}})
    >>> [p for p, _ in iter_evidence(case)]
    [('case',)]
    """
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, Evidence):
                yield here, item
            if isinstance(item, BaseModel):
                yield from iter_evidence(item, here)


def glossary_problems(model: BaseModel, glossary: Glossary, path: tuple = ()) -> list[tuple]:
    """``(field_path, reason)`` for every glossary-keyed field whose value the glossary lacks.

    >>> from analytics.glossary import load_glossary
    >>> case = CaseFile.model_validate({"case": {"id": "x", "title": "t", "title_en": "t",
    ...     "scope": "galaxy", "quote": "t"}})
    >>> glossary_problems(case, load_glossary())
    [(('case', 'scope'), "unknown key 'galaxy' (not in glossary scopes)")]
    """
    problems: list[tuple] = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        vocabulary = _vocabulary(field.metadata, field.annotation)
        if vocabulary:
            values = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, key in values:
                if key is not None and key not in glossary.entries[vocabulary]:
                    where = (*path, name) if index is None else (*path, name, index)
                    reason = f"unknown key {key!r} (not in glossary {vocabulary})"
                    problems.append((where, reason))
        children = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, child in children:
            if isinstance(child, BaseModel):
                where = (*path, name) if index is None else (*path, name, index)
                problems.extend(glossary_problems(child, glossary, where))
    return problems


def _vocabulary(metadata: list, annotation: Any) -> str | None:
    for item in metadata:
        if isinstance(item, GlossaryKey):
            return item.vocabulary
    for arg in getattr(annotation, "__args__", ()):  # list[Annotated[str, GlossaryKey]]
        for item in getattr(arg, "__metadata__", ()):
            if isinstance(item, GlossaryKey):
                return item.vocabulary
    return None


def json_schema(glossary: Glossary | None = None) -> dict:
    """The case-file JSON Schema; with a glossary, its keys become ``enum`` lists.

    >>> from analytics.glossary import load_glossary
    >>> s = json_schema(load_glossary())
    >>> "whistle_reporting" in s["$defs"]["Practice"]["properties"]["practice"]["enum"]
    True
    """
    schema = CaseFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    if glossary is None:
        return schema
    models = {cls.__name__: cls for cls in _all_models(CaseFile)}
    for name, definition in schema.get("$defs", {}).items():
        cls = models.get(name)
        if cls is None:
            continue
        for field_name, field in cls.model_fields.items():
            vocabulary = _vocabulary(field.metadata, field.annotation)
            if not vocabulary:
                continue
            prop = definition["properties"][field_name]
            enum = glossary.keys(vocabulary)
            if prop.get("type") == "array":
                prop["items"]["enum"] = enum
            elif "anyOf" in prop:  # optional key: the string branch gets the enum
                for branch in prop["anyOf"]:
                    if branch.get("type") == "string":
                        branch["enum"] = enum
            else:
                prop["enum"] = enum
    return schema


def _all_models(cls: type[BaseModel], seen: set | None = None) -> list[type[BaseModel]]:
    seen = set() if seen is None else seen
    if cls in seen:
        return []
    seen.add(cls)
    found = [cls]
    for field in cls.model_fields.values():
        for candidate in _types_in(field.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found.extend(_all_models(candidate, seen))
    return found


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _types_in(arg)

"""The canonical vocabularies (``data/glossary.yml``): tiers, unit and relation types, practices,
metric keys, … each with Chinese and English labels and a one-line definition.

>>> g = load_glossary()
>>> g.label("tiers", "building", "en")
'Building'
>>> g.label("tiers", "building", "zh")
'楼栋'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from analytics import paths
from analytics.errors import AnalyticsError

#: Vocabularies every glossary must define, and the extra fields their entries need.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "tiers": ("rank",),
    "structure_kinds": (),
    "scopes": (),
    "unit_types": (),
    "relation_types": (),
    "resources": (),
    "practices": (),
    "metric_categories": (),
    "units": (),
    "metrics": ("category", "unit"),
    "exclusion_reasons": (),
    "honour_levels": ("rank",),
    "honour_kinds": (),
    "fact_kinds": (),
    "normalisation_steps": (),
    "qualifiers": (),
    "staff_roles": (),
    "unit_groups": ("members",),
    "relation_groups": ("members",),
}
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Glossary:
    """All vocabularies: ``entries[vocabulary][key] -> {"zh", "en", "definition", ...}``."""

    entries: dict[str, dict[str, dict]]
    path: Path

    def keys(self, vocabulary: str) -> list[str]:
        """Keys of one vocabulary, in file order (tiers: top to bottom).

        >>> load_glossary().keys("tiers")[:2]
        ['district', 'subdistrict']
        """
        return list(self.entries[vocabulary])

    def label(self, vocabulary: str, key: str, lang: str = "zh") -> str:
        """The zh or en label of a key; an unknown key is returned unchanged.

        >>> load_glossary().label("practices", "whistle_reporting", "en")
        'Whistle-and-report'
        """
        if lang not in LANGS:
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        entry = self.entries.get(vocabulary, {}).get(key)
        return entry[lang] if entry else key

    def labels(self, vocabulary: str, lang: str = "zh") -> dict[str, str]:
        """Mapping key -> label for a whole vocabulary (handy for ``DataFrame.rename``).

        >>> load_glossary().labels("tiers", "en")["grid"]
        'Grid / branch'
        """
        return {key: self.label(vocabulary, key, lang) for key in self.entries[vocabulary]}

    def table(self, vocabulary: str) -> pd.DataFrame:
        """One vocabulary as a DataFrame indexed by key.

        >>> load_glossary().table("metrics").loc["party_members", "category"]
        'organisation'
        """
        frame = pd.DataFrame.from_dict(self.entries[vocabulary], orient="index")
        frame.index.name = "key"
        return frame


def _check(doc: object, path: Path) -> dict[str, dict[str, dict]]:
    if not isinstance(doc, dict):
        raise AnalyticsError(f"{path}: expected a mapping of vocabularies")
    for vocabulary, extra in VOCABULARIES.items():
        entries = doc.get(vocabulary)
        if not isinstance(entries, dict) or not entries:
            raise AnalyticsError(f"{path}: {vocabulary}: missing or empty vocabulary")
        for key, entry in entries.items():
            where = f"{path}: {vocabulary}.{key}"
            if not isinstance(entry, dict):
                raise AnalyticsError(f"{where}: expected a mapping with zh, en, definition")
            for field in ("zh", "en", "definition", *extra):
                if entry.get(field) in (None, ""):
                    raise AnalyticsError(f"{where}.{field}: required")
    for key, entry in doc["metrics"].items():
        if entry["category"] not in doc["metric_categories"]:
            raise AnalyticsError(
                f"{path}: metrics.{key}.category: unknown metric category {entry['category']!r}"
            )
        if entry["unit"] not in doc["units"]:
            raise AnalyticsError(f"{path}: metrics.{key}.unit: unknown unit {entry['unit']!r}")
    return doc


@cache
def _load(path: str, mtime_ns: int) -> Glossary:
    file = Path(path)
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalyticsError(f"{file}: no such file") from None
    except yaml.YAMLError as exc:
        raise AnalyticsError(f"{file}: malformed YAML ({' '.join(str(exc).split())})") from None
    return Glossary(entries=_check(doc, file), path=file)


def load_glossary(data_dir: Path | str | None = None) -> Glossary:
    """Load and check ``glossary.yml`` of a data directory (the shipped one by default).

    >>> "whistle_reporting" in load_glossary().keys("practices")
    True
    """
    path = Path(data_dir) / "glossary.yml" if data_dir is not None else paths.GLOSSARY_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise AnalyticsError(f"{path}: no such file") from None
    return _load(str(path), mtime)

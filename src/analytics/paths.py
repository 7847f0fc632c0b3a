"""Where things live. Every other module asks here instead of building paths itself.

The repository layout is fixed (``data/``, ``notebooks/``, ``figures/`` next to ``src/``); an
installed copy outside a checkout can point elsewhere with ``ANALYTICS_ROOT``.

>>> from analytics import paths
>>> paths.DATA_DIR.name
'data'
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root: ``ANALYTICS_ROOT`` if set, else three levels above this file (src/analytics/).
ROOT: Path = Path(os.environ.get("ANALYTICS_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR: Path = ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
CASES_DIR: Path = DATA_DIR / "cases"
DRAFTS_DIR: Path = CASES_DIR / "drafts"
GLOSSARY_FILE: Path = DATA_DIR / "glossary.yml"
MANIFEST_NAME = "sources.yml"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
FIGURES_DIR: Path = ROOT / "figures"


def display_path(path: Path | str) -> str:
    """A path as shown in messages: relative to the working directory when below it.

    >>> display_path(Path.cwd() / "data" / "x.yml") == str(Path("data") / "x.yml")
    True
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def raw_dir(data_dir: Path | str | None = None) -> Path:
    """The raw-text folder of a data directory (the shipped one by default).

    >>> raw_dir("/tmp/d").as_posix()
    '/tmp/d/raw'
    """
    return Path(data_dir) / "raw" if data_dir is not None else RAW_DIR

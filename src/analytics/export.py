"""Export every corpus table and every derived table as CSV, Parquet and Stata files.

``analytics export [--format csv|parquet|dta] [--force] [OUT_DIR]`` calls
:func:`export_corpus`. Files are ``<OUT_DIR>/<table>.<csv|parquet|dta>``:

- **CSV**: UTF-8 with a byte-order mark (Excel then opens Chinese text correctly), ``\\n`` line
  ends, no index; read back with ``pd.read_csv(path, encoding="utf-8-sig")``.
- **Parquet** (pyarrow): dtypes kept (nullable integers, strings); no timestamps are written.
- **Stata** ``.dta`` version 118 (Unicode strings, Stata 14+), via :func:`stata_frame`:
  column names made Stata-safe (ASCII letters, digits, ``_``; ≤ 32 characters; reserved words
  such as ``end`` get a trailing ``_``) with the original name as the variable label; missing
  strings become ``""`` (Stata has no missing string); booleans become 0/1 (``int8``);
  nullable integers become ``float64`` when they hold a missing value (Stata's ``.``); strings
  longer than 2,045 bytes are written as ``strL``. The file's time stamp is fixed
  (:data:`STATA_TIME_STAMP`), so re-running gives the same bytes. A table Stata cannot hold is
  skipped with a :class:`UserWarning` naming it and the reason, never a crash.

Nothing is overwritten without ``force=True``: every target is checked before any file is
written, and the first existing one is named in the error.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> paths = export_tables({"t": pd.DataFrame({"社区": ["红庙"], "n": [1]})}, out)
>>> [p.name for p in paths]
['t.csv', 't.parquet', 't.dta']
>>> (out / "t.csv").read_bytes()[:3] == "\\ufeff".encode()
True
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from io import BytesIO
from pathlib import Path

import pandas as pd

from analytics.errors import AnalyticsError

#: Formats in the order files are written, and their file extensions.
FORMATS: tuple[str, ...] = ("csv", "parquet", "dta")
#: The fixed time stamp written into every ``.dta`` file.
STATA_TIME_STAMP = dt.datetime(2000, 1, 1, 0, 0)
#: Longest string (UTF-8 bytes) Stata stores as ``str#``; longer ones become ``strL``.
STATA_STR_MAX = 2045
#: Stata's reserved words (they cannot be variable names).
STATA_RESERVED = frozenset(
    (  # noqa: SIM905 (a word list reads better as one string)
        "aggregate array boolean break byte case catch class colvector complex const continue "
        "default delegate delete do double else eltypedecl end enum explicit export external "
        "float for friend function global goto if inline int local long NULL pragma protected "
        "quad rowvector short typedef typename virtual _all _N _skip _b _pi str# in _pred strL "
        "_coef _rc using _cons _se with _n"
    ).split()
)


# --------------------------------------------------------------------------- tables


def corpus_tables(corpus=None) -> dict[str, pd.DataFrame]:
    """Every table to export, by name: the corpus tables, then the derived ones.

    Corpus: ``cases``, ``structures``, ``levels``, ``staffing``, ``metrics``, ``excluded``,
    ``units``, ``ties``, ``practices``, ``honours``, ``evidence``. Derived
    (:mod:`analytics.metrics`): ``metric_catalogue``, ``metric_availability``,
    ``category_availability``, ``derived_metrics``, ``derivation_gaps``,
    ``derivation_rules``, ``honours_timeline``.

    >>> list(corpus_tables())[-3:]
    ['derivation_gaps', 'derivation_rules', 'honours_timeline']
    """
    from analytics import metrics
    from analytics.corpus import load_corpus

    corpus = load_corpus() if corpus is None else corpus
    tables = {name: getattr(corpus, name) for name in corpus.TABLES}
    case_ids = list(corpus.cases["case_id"])
    derived, gaps = metrics.derive(corpus.metrics, case_ids=case_ids)
    tables["metric_catalogue"] = metrics.catalogue(corpus.glossary, corpus.metrics).reset_index()
    tables["metric_availability"] = metrics.availability(corpus.metrics, by="metric")
    tables["category_availability"] = metrics.availability(corpus.metrics, by="category")
    tables["derived_metrics"] = derived
    tables["derivation_gaps"] = gaps
    tables["derivation_rules"] = metrics.rules_table()
    tables["honours_timeline"] = metrics.honours_timeline(
        corpus.honours, corpus.glossary.keys("honour_levels")
    )
    return tables


# --------------------------------------------------------------------------- Stata


def stata_name(name: str, taken: Iterable[str] = ()) -> str:
    """A Stata-safe variable name: ASCII ``[A-Za-z0-9_]``, not starting with a digit, not
    reserved, at most 32 characters, not in ``taken``.

    >>> [stata_name("end"), stata_name("n rows"), stata_name("2x"), stata_name("社区")]
    ['end_', 'n_rows', '_2x', 'v_']
    >>> stata_name("a" * 40)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    """
    safe = re.sub(r"[^A-Za-z0-9_]", "_", str(name)).strip("_") or "v"
    if safe[0].isdigit():
        safe = "_" + safe
    safe = safe[:32]
    if safe in STATA_RESERVED:
        safe = (safe + "_")[:32]
    if safe == "v" and str(name) != "v":
        safe = "v_"
    taken = set(taken)
    base, k = safe, 1
    while safe in taken or safe in STATA_RESERVED:
        suffix = f"_{k}"
        safe = base[: 32 - len(suffix)] + suffix
        k += 1
    return safe


def stata_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as Stata will hold it, and ``{stata_name: original_name}`` labels.

    Strings: object dtype, missing → ``""``; booleans → ``int8``; nullable integers → ``int64``
    (``float64`` when a value is missing); floats unchanged; anything else → ``str``.

    >>> t = pd.DataFrame({"end": pd.array([1, None], dtype="Int64"), "ok": [True, False],
    ...     "s": pd.array(["甲", None], dtype="str")})
    >>> frame, labels = stata_frame(t)
    >>> frame.to_dict("list"), labels
    ({'end_': [1.0, nan], 'ok': [1, 0], 's': ['甲', '']}, {'end_': 'end', 'ok': 'ok', 's': 's'})
    """
    out: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    for column in table.columns:
        name = stata_name(column, labels)
        labels[name] = str(column)
        s = table[column]
        if pd.api.types.is_bool_dtype(s.dtype):
            s = s.astype("boolean").fillna(False).astype("int8")
        elif pd.api.types.is_integer_dtype(s.dtype):
            s = s.astype("float64") if s.isna().any() else s.astype("int64")
        elif pd.api.types.is_float_dtype(s.dtype):
            s = s.astype("float64")
        else:
            s = pd.Series(["" if pd.isna(v) else str(v) for v in s], index=s.index, dtype=object)
        out[name] = s
    return pd.DataFrame(out, index=table.index).reset_index(drop=True), labels


# --------------------------------------------------------------------------- writers


def _csv(table: pd.DataFrame, name: str) -> bytes:
    text = table.to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


def _parquet(table: pd.DataFrame, name: str) -> bytes:
    buffer = BytesIO()
    table.reset_index(drop=True).to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def _dta(table: pd.DataFrame, name: str) -> bytes:
    frame, labels = stata_frame(table)
    strl = [
        c
        for c in frame.columns
        if frame[c].dtype == object
        and frame[c].map(lambda v: len(v.encode("utf-8"))).max() > STATA_STR_MAX
    ]
    buffer = BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a silent rename or precision loss is a failure here
        frame.to_stata(
            buffer,
            write_index=False,
            version=118,
            time_stamp=STATA_TIME_STAMP,
            data_label=name[:80],
            variable_labels={k: v[:80] for k, v in labels.items()},
            convert_strl=strl,
        )
    return buffer.getvalue()


WRITERS: dict[str, Callable[[pd.DataFrame, str], bytes]] = {
    "csv": _csv,
    "parquet": _parquet,
    "dta": _dta,
}


def _formats(formats: Iterable[str] | str | None) -> list[str]:
    if formats is None:
        return list(FORMATS)
    if isinstance(formats, str):
        formats = [formats]
    chosen = list(dict.fromkeys(formats))
    for fmt in chosen:
        if fmt not in FORMATS:
            raise AnalyticsError(f"export: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if not chosen:
        raise AnalyticsError("export: no format given")
    return [f for f in FORMATS if f in chosen]


def export_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path | str,
    formats: Iterable[str] | str | None = None,
    force: bool = False,
) -> list[Path]:
    """Write each table as ``<out_dir>/<name>.<format>``; return the paths written.

    All files are rendered in memory first; a ``.dta`` Stata cannot hold is skipped with a
    ``UserWarning``. Then, unless ``force``, any existing target stops the export before a
    single file is written (:class:`~analytics.errors.AnalyticsError`
    ``<path>: exists; use --force to overwrite``). Files are replaced atomically.
    """
    out = Path(out_dir)
    chosen = _formats(formats)
    rendered: list[tuple[Path, bytes]] = []
    for name, table in tables.items():
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
            raise AnalyticsError(f"export: table name {name!r} is not a plain file name")
        for fmt in chosen:
            try:
                data = WRITERS[fmt](table, name)
            except Exception as exc:
                if fmt != "dta":
                    raise
                reason = " ".join(str(exc).split()) or type(exc).__name__
                warnings.warn(f"{out / f'{name}.dta'}: skipped: {reason}", stacklevel=2)
                continue
            rendered.append((out / f"{name}.{fmt}", data))
    if not force:
        for path, _ in rendered:
            if path.exists():
                raise AnalyticsError(f"{path}: exists; use --force to overwrite")
    if out.exists() and not out.is_dir():
        raise AnalyticsError(f"{out}: not a directory")
    out.mkdir(parents=True, exist_ok=True)
    for path, data in rendered:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return [path for path, _ in rendered]


def export_corpus(
    out_dir: Path | str = "exports",
    formats: Iterable[str] | str | None = None,
    force: bool = False,
    *,
    corpus=None,
) -> list[Path]:
    """Export every corpus and derived table (:func:`corpus_tables`); ``formats=None``: all.

    Refuses to overwrite an existing file unless ``force`` (nothing is written then).

    >>> import tempfile
    >>> written = export_corpus(tempfile.mkdtemp(), formats=["csv"])
    >>> sorted(p.name for p in written)[:2]
    ['cases.csv', 'category_availability.csv']
    """
    return export_tables(corpus_tables(corpus), out_dir, formats=formats, force=force)

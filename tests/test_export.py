"""analytics.export: round trips per format, BOM, refusal without --force, the CLI verb."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

import analytics
from analytics import export
from analytics.cli import main
from analytics.errors import AnalyticsError

LONG = "长" * 800  # 2,400 UTF-8 bytes: more than Stata's str2045, so written as strL


def sample_tables() -> dict[str, pd.DataFrame]:
    people = pd.DataFrame(
        {
            "case_id": pd.array(["红庙", "第七社区", "x"], dtype="str"),
            "note": pd.array(["约5000人", None, LONG], dtype="str"),
            "year": pd.array([2015, None, 2020], dtype="Int64"),
            "count": pd.array([1, 2, 3], dtype="Int64"),
            "value": [0.17, float("nan"), 5268.0],
            "per_unit": [True, False, True],
            "end": [3, 4, 5],
        }
    )
    empty_ish = pd.DataFrame({"key": pd.array(["a"], dtype="str"), "n": [0]})
    return {"people": people, "keys": empty_ish}


def read_back(path):
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig")
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_stata(path)


def test_each_format_reads_back_equal(tmp_path):
    tables = sample_tables()
    written = export.export_tables(tables, tmp_path)
    assert [p.name for p in written] == [
        "people.csv",
        "people.parquet",
        "people.dta",
        "keys.csv",
        "keys.parquet",
        "keys.dta",
    ]
    for name, table in tables.items():
        pd.testing.assert_frame_equal(read_back(tmp_path / f"{name}.parquet"), table)
        pd.testing.assert_frame_equal(read_back(tmp_path / f"{name}.csv"), table, check_dtype=False)
        stata, _ = export.stata_frame(table)
        pd.testing.assert_frame_equal(read_back(tmp_path / f"{name}.dta"), stata, check_dtype=False)
    people = read_back(tmp_path / "people.dta")
    assert people.columns.tolist() == [
        "case_id",
        "note",
        "year",
        "count",
        "value",
        "per_unit",
        "end_",
    ]
    assert people["note"].tolist() == ["约5000人", "", LONG]
    assert people["per_unit"].tolist() == [1, 0, 1]
    with pd.io.stata.StataReader(tmp_path / "people.dta") as reader:
        assert reader.variable_labels()["end_"] == "end"
        assert reader.data_label == "people"
        assert reader.time_stamp == "01 Jan 2000 00:00"


def test_csv_has_a_byte_order_mark_and_unix_lines(tmp_path):
    export.export_tables(sample_tables(), tmp_path, formats=["csv"])
    data = (tmp_path / "keys.csv").read_bytes()
    assert data == b"\xef\xbb\xbfkey,n\na,0\n"
    assert (tmp_path / "people.csv").read_bytes().startswith(b"\xef\xbb\xbfcase_id,note,")


def test_same_bytes_on_rerun(tmp_path):
    first = export.export_tables(sample_tables(), tmp_path / "a")
    second = export.export_tables(sample_tables(), tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "keys.parquet").write_bytes(b"old")
    with pytest.raises(AnalyticsError) as info:
        export.export_tables(sample_tables(), tmp_path)
    assert str(info.value) == f"{tmp_path}/keys.parquet: exists; use --force to overwrite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.parquet"]
    assert (tmp_path / "keys.parquet").read_bytes() == b"old"


def test_force_overwrites(tmp_path):
    (tmp_path / "keys.csv").write_bytes(b"old")
    export.export_tables(sample_tables(), tmp_path, formats="csv", force=True)
    assert (tmp_path / "keys.csv").read_bytes() == b"\xef\xbb\xbfkey,n\na,0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.csv", "people.csv"]


def test_formats_are_checked(tmp_path):
    with pytest.raises(AnalyticsError, match="unknown format 'xlsx'"):
        export.export_tables(sample_tables(), tmp_path, formats=["xlsx"])
    with pytest.raises(AnalyticsError, match="no format given"):
        export.export_tables(sample_tables(), tmp_path, formats=[])
    assert list(tmp_path.iterdir()) == []


def test_a_table_stata_cannot_hold_is_skipped_with_a_note(tmp_path):
    tables = {"big": pd.DataFrame({"n": [2**60, 1]})}  # beyond Stata's exact range
    with pytest.warns(UserWarning, match=r"big\.dta: skipped: "):
        written = export.export_tables(tables, tmp_path)
    assert [p.name for p in written] == ["big.csv", "big.parquet"]
    assert read_back(tmp_path / "big.csv")["n"].tolist() == [2**60, 1]


def test_stata_names():
    assert export.stata_name("end") == "end_"
    assert export.stata_name("case_id") == "case_id"
    assert export.stata_name("n rows") == "n_rows"
    assert export.stata_name("x" * 40) == "x" * 32
    assert export.stata_name("x" * 40, taken=["x" * 32]) == "x" * 30 + "_1"
    assert export.stata_name("社区", taken=["v_"]) == "v__1"
    frame, labels = export.stata_frame(pd.DataFrame({"a b": [1], "a_b": [2]}))
    assert frame.columns.tolist() == ["a_b", "a_b_1"]
    assert labels == {"a_b": "a b", "a_b_1": "a_b"}


def test_time_stamp_is_fixed():
    assert dt.datetime(2000, 1, 1) == export.STATA_TIME_STAMP


# --------------------------------------------------------------------------- corpus and CLI


def test_cli_export_round_trip_and_refusal(tmp_path, capsys):
    out = tmp_path / "exports"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["export", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    tables = export.corpus_tables()
    assert len(printed) == 3 * len(tables)
    assert printed[0] == f"{out}/cases.csv"
    corpus = analytics.load_corpus()
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "metrics.csv", encoding="utf-8-sig"), corpus.metrics, check_dtype=False
    )
    for name, table in tables.items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), table)
        pd.testing.assert_frame_equal(
            pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig"), table, check_dtype=False
        )
        pd.testing.assert_frame_equal(
            pd.read_stata(out / f"{name}.dta"), export.stata_frame(table)[0], check_dtype=False
        )

    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["export", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"analytics: {out}/cases.csv: exists; use --force to overwrite\n"
    assert captured.out == ""
    assert main(["export", "--force", str(out)]) == 0
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # deterministic: the same bytes again


def test_cli_export_one_format(tmp_path, capsys):
    assert main(["export", "--format", "csv", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names and all(n.endswith(".csv") for n in names)
    assert "derived_metrics.csv" in names and "derivation_gaps.csv" in names
    capsys.readouterr()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "metrics.dta").write_bytes(b"")
    assert main(["export", "--format", "dta", "--format", "parquet", str(tmp_path / "x")]) == 1
    assert capsys.readouterr().err == (
        f"analytics: {tmp_path}/x/metrics.dta: exists; use --force to overwrite\n"
    )
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["metrics.dta"]

"""`analytics validate`: every failure mode is reported as file:line: field.path: reason."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from analytics import paths
from analytics.cli import main
from analytics.corpus import check_data_dir, load_corpus
from analytics.errors import ValidationError
from analytics.sources import sha256_file

GOOD = """\
case:
  id: hefei-baohe-qingnian
  title: 青年社区
  title_en: Qingnian Community
  scope: community
  quote: 包公街道青年社区党委结合
  focal_unit: committee
metrics:
  - id: stewards
    metric: stewards
    value: 20
    unit: 名
    unit_canonical: person
    quote: 发挥20名“红色小管家”
  - id: three-star
    metric: branches_rated
    value: 15
    unit: 个
    unit_canonical: organisation
    quote: 15个“三星”党支部
  - id: two-star
    metric: branches_rated
    value: 2
    unit: 个
    unit_canonical: organisation
    quote: 2个“二星”党支部
excluded:
  - {text: 进一步, reason: idiom, quote: 为进一步提升}
  - {text: 进一步, reason: idiom, quote: 进一步加强社区党组织建设}
  - {text: 下一步, reason: idiom, quote: 下一步社区党委}
units:
  - id: committee
    name: 青年社区党委
    unit_type: community_party_committee
    quote: 青年社区党委
    occurrence: 1
  - id: stewards
    name: 红色小管家
    unit_type: residents
    quote: 发挥20名“红色小管家”积极作用
ties:
  - {source: committee, target: stewards, relation: leads, quote: 在小区党支部的引领下}
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(paths.RAW_DIR, data / "raw")
    shutil.copy(paths.GLOSSARY_FILE, data / "glossary.yml")
    (data / "cases").mkdir()
    (data / "cases" / "hefei-baohe-qingnian.yml").write_text(GOOD, encoding="utf-8")
    return data


def problems_for(data: Path, text: str | bytes, name: str = "hefei-baohe-qingnian.yml"):
    path = data / "cases" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return check_data_dir(data)[1], str(path)


def test_good_file_validates(data_dir):
    cases, problems = check_data_dir(data_dir)
    assert problems == []
    assert [c.model.case.id for c in cases] == ["hefei-baohe-qingnian"]
    corpus = load_corpus(data_dir)
    row = corpus.metrics.set_index("metric_id").loc["stewards"]
    assert corpus.text("hefei-baohe-qingnian")[row.start : row.end] == "发挥20名“红色小管家”"


def test_corrupted_quote(data_dir):
    problems, f = problems_for(
        data_dir, GOOD.replace("发挥20名“红色小管家”\n", "发挥21名“红色小管家”\n")
    )
    assert problems == [
        f"{f}:14: metrics[0].quote: quote not found in the normalised text "
        "(check `analytics normalise`)",
        f"{f}:27: excluded: number '20名' at offset 350 is neither a metric nor excluded",
    ]


def test_ambiguous_quote_needs_occurrence(data_dir):
    problems, f = problems_for(data_dir, GOOD.replace("    occurrence: 1\n", ""))
    assert problems == [
        f"{f}:35: units[0].quote: quote occurs 4 times: say which with occurrence: 1..4"
    ]


def test_unknown_unit_type(data_dir):
    problems, f = problems_for(data_dir, GOOD.replace("unit_type: residents", "unit_type: aliens"))
    assert problems == [
        f"{f}:39: units[1].unit_type: unknown key 'aliens' (not in glossary unit_types)"
    ]


def test_duplicate_id(data_dir):
    problems, f = problems_for(data_dir, GOOD.replace("id: two-star", "id: three-star"))
    assert problems == [f"{f}:21: metrics[2].id: duplicate id 'three-star' (first at line 15)"]


def test_tie_to_missing_unit(data_dir):
    problems, f = problems_for(data_dir, GOOD.replace("target: stewards", "target: nobody"))
    assert problems == [f"{f}:42: ties[0].target: no unit with id 'nobody'"]


def test_malformed_yaml(data_dir):
    problems, f = problems_for(
        data_dir, GOOD.replace("  title: 青年社区\n", "  title: [青年社区\n")
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{f}:4: <file>: malformed YAML: ")


def test_wrong_type(data_dir):
    problems, f = problems_for(data_dir, GOOD.replace("value: 20", "value: twenty"))
    assert problems == [
        f"{f}:11: metrics[0].value: input should be a valid number, "
        "unable to parse string as a number (got 'twenty')"
    ]


def test_unknown_key(data_dir):
    problems, f = problems_for(
        data_dir, GOOD.replace("    value: 20\n", "    value: 20\n    valu: 2\n")
    )
    assert problems == [f"{f}:12: metrics[0].valu: unknown field"]


def test_non_utf8_case_file(data_dir):
    problems, f = problems_for(data_dir, GOOD.encode("gb18030"))
    assert problems == [
        f"{f}:1: <file>: not UTF-8 (byte 0xc7 at offset 42); save case files as UTF-8"
    ]


def test_id_with_path_separator(data_dir):
    problems, f = problems_for(
        data_dir, GOOD.replace("id: stewards\n    metric", "id: ../x\n    metric")
    )
    assert problems == [f"{f}:9: metrics[0].id: invalid id '../x': use only a-z, 0-9, '-' and '_'"]


def test_uncounted_number(data_dir):
    problems, f = problems_for(
        data_dir, GOOD.replace("  - {text: 下一步, reason: idiom, quote: 下一步社区党委}\n", "")
    )
    assert problems == [
        f"{f}:27: excluded: number '一步' at offset 1580 is neither a metric nor excluded"
    ]


def test_all_problems_reported_together(data_dir):
    text = GOOD.replace("unit_type: residents", "unit_type: aliens").replace(
        "target: stewards", "target: nobody"
    )
    problems, _ = problems_for(data_dir, text)
    assert len(problems) == 2


def test_edited_raw_file_is_a_problem(data_dir):
    raw = data_dir / "raw" / "hefei-baohe-qingnian.txt"
    raw.write_bytes(raw.read_bytes().replace("20名".encode(), "21名".encode()))
    problems = check_data_dir(data_dir)[1]
    assert len(problems) == 1
    assert "hefei-baohe-qingnian.yml:2: case.id: " in problems[0]
    assert problems[0].endswith("the raw text was edited, and every quote depends on it")


def test_load_corpus_raises_with_every_problem(data_dir):
    problems_for(data_dir, GOOD.replace("unit_type: residents", "unit_type: aliens"))
    with pytest.raises(ValidationError) as error:
        load_corpus(data_dir)
    assert len(error.value.problems) == 1
    assert "unknown key 'aliens'" in str(error.value)


def test_cli_exit_codes(data_dir, capsys):
    assert main(["validate", str(data_dir)]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 case file(s)")
    problems_for(data_dir, GOOD.replace("target: stewards", "target: nobody"))
    assert main(["validate", str(data_dir)]) == 1
    out = capsys.readouterr()
    assert out.out.endswith("ties[0].target: no unit with id 'nobody'\n")
    assert out.err == "1 problem(s) found\n"


def test_shipped_data_validates():
    cases, problems = check_data_dir()
    assert problems == []
    assert len(cases) == 5


def _draft(raw_name: str, sha: str) -> str:
    return textwrap.dedent(
        f"""\
        draft: true
        source: {{file: ../../raw/{raw_name}, sha256: "{sha}"}}
        case:
          id: new-case
          title: 新案例
          title_en: New case
          scope: community
          quote: 青年社区党委
          occurrence: 1
        metrics:
          - id: m1
            metric: stewards
            value: 20
            unit: 名
            unit_canonical: person
            quote: 20名
        """
    )


def test_draft_with_its_own_source_validates(data_dir):
    raw = data_dir / "raw" / "hefei-baohe-qingnian.txt"
    drafts = data_dir / "cases" / "drafts"
    drafts.mkdir()
    (drafts / "new-case.yml").write_text(_draft(raw.name, sha256_file(raw)), encoding="utf-8")
    cases, problems = check_data_dir(data_dir, drafts=True)
    assert problems == []
    assert [c.model.case.id for c in cases] == ["hefei-baohe-qingnian", "new-case"]
    # drafts never enter the corpus
    assert list(load_corpus(data_dir).cases["case_id"]) == ["hefei-baohe-qingnian"]


def test_draft_with_edited_source_is_a_problem(data_dir):
    raw = data_dir / "raw" / "hefei-baohe-qingnian.txt"
    drafts = data_dir / "cases" / "drafts"
    drafts.mkdir()
    path = drafts / "new-case.yml"
    path.write_text(_draft(raw.name, "0" * 64), encoding="utf-8")
    problems = check_data_dir(data_dir, drafts=True)[1]
    assert problems == [
        f"{path}:2: source.file: {raw.resolve()}: sha256 {sha256_file(raw)[:12]}… does not "
        "match source.sha256 (000000000000…): the raw text was edited, and every quote "
        "depends on it"
    ]

"""`analytics ingest`: raw texts → draft case files that validate, failure modes, extraction."""

from __future__ import annotations

import doctest
import filecmp
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import ingest as I
from analytics import paths
from analytics.cli import main
from analytics.corpus import check_data_dir, locate
from analytics.glossary import load_glossary
from analytics.ingest import (
    EXCLUSION_REASONS,
    Vocabulary,
    draft_document,
    draft_id,
    extract_candidates,
    ingest_files,
    render_draft,
)
from analytics.schema import CaseFile, glossary_problems, iter_evidence
from analytics.sources import normalise

RAW_FILES = sorted(paths.RAW_DIR.glob("*.txt"))
GLOSSARY = load_glossary()
VOCAB = Vocabulary.from_glossary(GLOSSARY)


def _levels(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    return [
        (s.kind, [(level.name, level.tier) for level in s.levels])
        for s in extract_candidates(text, GLOSSARY).structures
    ]


def _copy_raw(tmp_path: Path, names: list[str] | None = None) -> list[Path]:
    """The shipped raw texts under new names (so their ids are not in the manifest)."""
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    out = []
    for path in RAW_FILES:
        if names is None or path.stem in names:
            target = raw / f"new-{path.stem}.txt"
            shutil.copyfile(path, target)
            out.append(target)
    return out


# --------------------------------------------------------------------------- drafts validate


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
def test_every_shipped_text_becomes_a_valid_draft(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    inputs = _copy_raw(tmp_path)
    out = tmp_path / "drafts"
    assert ingest_files(inputs, out_dir=out) == 0
    stdout = capsys.readouterr().out.splitlines()
    assert stdout[0] == f"ingest: {len(inputs)} draft(s) written to {out}, 0 failed"
    assert stdout[1].startswith("candidates: metrics ")
    drafts = sorted(out.glob("*.yml"))
    assert [d.stem for d in drafts] == sorted(f"new-{p.stem}" for p in RAW_FILES)
    loaded, problems = check_data_dir(None, files=drafts)
    assert problems == []
    assert len(loaded) == len(drafts)
    for draft in drafts:
        lines = draft.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# yaml-language-server: $schema=")
        assert lines[0].endswith("data/cases/schema.json")
        doc = yaml.safe_load("\n".join(lines))
        assert doc["draft"] is True
        assert doc["case"]["title_en"] == f"(draft) {draft.stem}"
        assert doc["case"]["scope"] == "community"
        assert (draft.parent / doc["source"]["file"]).resolve() == (
            tmp_path / "raw" / f"{draft.stem}.txt"
        ).resolve()
        sha = next(line for line in lines if "sha256:" in line)
        assert sha.split("sha256: ")[1] == f'"{doc["source"]["sha256"]}"'  # quoted in YAML
        assert all(m["metric"] == "unclassified" for m in doc["metrics"])
        assert all(m["note"].startswith("found by ingest: rule ") for m in doc["metrics"])
        assert all(u["note"].startswith("found by ingest: ") for u in doc["units"])
        assert all("kind guessed" in s["note"] for s in doc.get("structures", []))
    # and the CLI accepts each draft
    for draft in drafts:
        assert main(["validate", str(draft)]) == 0


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
def test_draft_facts_of_one_text(tmp_path: Path) -> None:
    (path,) = _copy_raw(tmp_path, ["fuzhou-changle-wenwusha"])
    assert ingest_files([path], out_dir=tmp_path / "d") == 0
    doc = yaml.safe_load((tmp_path / "d" / "new-fuzhou-changle-wenwusha.yml").read_text("utf-8"))
    chains = {
        s["name"]: [(lv["name"], lv.get("tier")) for lv in s["levels"]] for s in doc["structures"]
    }
    assert chains["社区‘大党委’-网格工作组-楼栋长-党员中心户"] == [
        ("社区‘大党委’", "community"), ("网格工作组", "grid"), ("楼栋长", "building"),
        ("党员中心户", "household"),
    ]  # fmt: skip
    assert chains["网格-楼栋-单元"] == [
        ("网格", "grid"),
        ("楼栋", "building"),
        ("单元", "entrance"),
    ]
    metrics = {m["quote"]: m for m in doc["metrics"]}
    platforms = next(m for q, m in metrics.items() if q.startswith("3个"))
    assert (platforms["value"], platforms["unit"], platforms["unit_canonical"]) == (
        3,
        "个",
        "other",
    )
    teams = next(m for q, m in metrics.items() if q.startswith("3支"))
    assert teams["unit_canonical"] == "organisation"
    units = {u["name"]: u["unit_type"] for u in doc["units"]}
    assert units["司法所"] == "judicial_office"
    assert units["悦海湾小区党支部"] == "party_branch"
    assert units["“近邻”矛盾纠纷调处中心"] == "unclassified"
    practices = {p["practice"] for p in doc["practices"]}
    assert {"whistle_reporting", "rotating_chair", "red_property", "dual_reporting"} <= practices
    reasons = {(e["text"], e["reason"]) for e in doc["excluded"]}
    assert ("一是", "list_marker") in reasons and ("“两委”", "name") in reasons


# --------------------------------------------------------------------------- failure modes


def test_failures_are_reported_by_name_and_the_rest_completes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.txt"
    good.write_text("社区党委设党员中心户45户。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xff\xff")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\u3000\n\t", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    out = tmp_path / "drafts"
    status = ingest_files([bad, good, empty, blank, missing, folder], out_dir=out)
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.splitlines() == [
        f"analytics: ingest: {bad}: cannot decode as UTF-8, GB18030 or Big5",
        f"analytics: ingest: {empty}: empty file",
        f"analytics: ingest: {blank}: empty file",
        f"analytics: ingest: {missing}: no such file",
        f"analytics: ingest: {folder}: is a directory, not a text file",
    ]
    assert captured.out.splitlines() == [
        f"ingest: 1 draft(s) written to {out}, 5 failed",
        "candidates: metrics 1, excluded 0, structures 0, units 2, practices 1",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["good.yml"]


def test_existing_draft_needs_force(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.txt"
    src.write_text("社区党员896人。", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("居民5000余人。", encoding="utf-8")
    out = tmp_path / "drafts"
    assert ingest_files([src], out_dir=out) == 0
    target = out / "a.yml"
    target.write_text("curated by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert ingest_files([src, other], out_dir=out) == 1
    captured = capsys.readouterr()
    assert captured.err == f"analytics: ingest: {target}: exists; use --force to overwrite\n"
    assert captured.out.startswith(f"ingest: 1 draft(s) written to {out}, 1 failed\n")
    assert target.read_text(encoding="utf-8") == "curated by hand\n"
    assert (out / "b.yml").exists()
    assert ingest_files([src], out_dir=out, force=True) == 0
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server:")


def test_two_inputs_with_one_draft_name(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first, second = tmp_path / "x" / "a.txt", tmp_path / "y" / "a.txt"
    first.write_text("党员896人。", encoding="utf-8")
    second.write_text("党员12人。", encoding="utf-8")
    assert ingest_files([first, second], out_dir=tmp_path / "d", force=True) == 1
    err = capsys.readouterr().err
    assert err == (
        f"analytics: ingest: {tmp_path / 'd' / 'a.yml'}: also the draft of {first}; "
        "rename one input\n"
    )
    assert "896" in (tmp_path / "d" / "a.yml").read_text(encoding="utf-8")


def test_cli_ingest(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "Case One.txt"
    src.write_text("红庙社区面积约0.17平方公里，常住居民5000余人。", encoding="utf-8")
    assert main(["ingest", str(src), "--out", str(tmp_path / "d")]) == 0
    assert capsys.readouterr().out.startswith("ingest: 1 draft(s) written")
    doc = yaml.safe_load((tmp_path / "d" / "case-one.yml").read_text(encoding="utf-8"))
    rows = [(m["value"], m["unit"], m["qualifier"], m["unit_canonical"]) for m in doc["metrics"]]
    assert rows == [(0.17, "平方公里", "approx", "km2"), (5000, "人", "at_least", "person")]
    assert main(["ingest", str(src), "--out", str(tmp_path / "d")]) == 1
    assert main(["ingest", str(src), "--out", str(tmp_path / "d"), "--force"]) == 0


def test_default_output_is_the_drafts_folder(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(paths, "DRAFTS_DIR", tmp_path / "cases" / "drafts")
    src = tmp_path / "a.txt"
    src.write_text("党员896人。", encoding="utf-8")
    assert ingest_files([src]) == 0
    assert (tmp_path / "cases" / "drafts" / "a.yml").exists()


# --------------------------------------------------------------------------- encodings, jobs


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
def test_gb18030_and_big5_give_the_same_facts(tmp_path: Path) -> None:
    text = (paths.RAW_DIR / "fuzhou-changle-wenwusha.txt").read_text(encoding="utf-8")
    docs = {}
    for encoding in ("utf-8", "gb18030", "big5"):
        folder = tmp_path / encoding
        folder.mkdir()
        path = folder / "case.txt"
        path.write_bytes(text.encode(encoding))
        assert ingest_files([path], out_dir=folder / "d") == 0
        doc = yaml.safe_load((folder / "d" / "case.yml").read_text(encoding="utf-8"))
        assert check_data_dir(None, files=[folder / "d" / "case.yml"])[1] == []
        doc.pop("source")
        docs[encoding] = doc
    assert docs["gb18030"] == docs["utf-8"]
    assert docs["big5"] == docs["utf-8"]
    assert len(docs["utf-8"]["metrics"]) >= 8


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
def test_jobs_2_writes_the_same_files_as_jobs_1(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    inputs = _copy_raw(tmp_path)
    inputs.append(tmp_path / "missing.txt")
    assert ingest_files(inputs, out_dir=tmp_path / "one", jobs=1) == 1
    one = capsys.readouterr()
    assert ingest_files(inputs, out_dir=tmp_path / "two", jobs=2) == 1
    two = capsys.readouterr()
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "two", names, False)
    assert (mismatch, errors) == ([], [])
    assert one.err == two.err
    assert one.out.splitlines()[1] == two.out.splitlines()[1]


# --------------------------------------------------------------------------- structures

STRUCTURE_CASES = [
    ("构建“社区‘大党委’-网格工作组-楼栋长-党员中心户”四级组织架构。",
     [("hierarchy", [("社区‘大党委’", "community"), ("网格工作组", "grid"),
                     ("楼栋长", "building"), ("党员中心户", "household")])]),
    ("按照“网格-楼栋-单元”三级架构。",
     [("grid", [("网格", "grid"), ("楼栋", "building"), ("单元", "entrance")])]),
    ("建立区—街道—社区三级联动机制。",
     [("hierarchy", [("区", "district"), ("街道", "subdistrict"), ("社区", "community")])]),
    ("完善“小区党建指导员+党支部书记+红色小管家”的社区治理体系。",
     [("role_system", [("小区党建指导员", "grid"), ("党支部书记", "grid"),
                       ("红色小管家", "household")])]),
    ("红庙社区构建了“党委统筹、支部运作、党员参与”的三级运行体系。",
     [("role_system", [("党委统筹", "community"), ("支部运作", "grid"),
                       ("党员参与", "household")])]),
    ("全面推行党委提议、两委商议、各界代表审议、居民共同决议“四步”议事工作法。",
     [("role_system", [("党委提议", "community"), ("两委商议", "community"),
                       ("各界代表审议", None), ("居民共同决议", "household")])]),
    ("构建“社工参与提高响应率、老街坊参与提高满意率、物业参与提高解决率”的机制。",
     [("role_system", [("社工", None), ("老街坊", None), ("物业", None)])]),
    ("实现“一个党员带一户、三个党员带一门、十个党员带一楼”的目标。",
     [("span", [("一楼", "building"), ("一门", "entrance"), ("一户", "household")])]),
    ("建立街道、社区、小区三级党组织体系。",
     [("hierarchy", [("街道", "subdistrict"), ("社区", "community"), ("小区", "grid")])]),
    ("第七社区设1个党委，10个党支部，党员896人。",
     [("hierarchy", [("党委", "community"), ("党支部", "grid"), ("党员", "household")])]),
    ("全面推行党员街巷长、楼栋长、网格员“两长一员”机制。",
     [("coordination", [("党员街巷长", "grid"), ("网格员", "grid"), ("楼栋长", "building")])]),
    # not structures: activities, places, slogans, a two-part title, a list of posts
    ("打造楼栋故事汇、居民好声音、贴心家书等活动载体。", []),
    ("建设了党建工作室、小区民情联络站、居民活动室等多个场所。", []),
    ("推出舞动+规范、舞动+共建、舞动+服务。", []),
    ("党建品牌展示–“微小”党建工作法", []),
    ("由网格长、网格员、民警、医务工作者和志愿者中的党员组成。", []),
    ("参与社区疫情防控、生活垃圾分类、居民自治等社区志愿服务。", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), STRUCTURE_CASES, ids=[c[0][:10] for c in STRUCTURE_CASES]
)
def test_structures(text: str, expected: list) -> None:
    assert _levels(text) == expected


def test_structure_details() -> None:
    text = "第七社区设1个党委，10个党支部，党员896人。实现“一个党员带一户、三个党员带一门”。"
    counted, span = extract_candidates(text, GLOSSARY).structures
    assert [(lv.name, lv.count) for lv in counted.levels] == [
        ("党委", 1),
        ("党支部", 10),
        ("党员", 896),
    ]
    assert counted.rule == "counted tiers"
    assert [(lv.name, lv.span) for lv in span.levels] == [("一门", 3), ("一户", 1)]
    chain = extract_candidates("构建“网格-楼栋-单元”三级架构", GLOSSARY).structures[0]
    assert chain.quote == "网格-楼栋-单元”三级架构"
    assert chain.rule == "dash chain + 三级架构"


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("社区“大党委”", "community"), ("党员中心户", "household"), ("小区党建指导员", "grid"),
        ("党支部书记", "grid"), ("一门", "entrance"), ("部门", "district"), ("楼栋长", "building"),
        ("街道党工委", "subdistrict"), ("社区党员", "household"), ("舞队代表", None),
        ("片区", "grid"), ("一楼", "building"), ("村党支部", "community"), ("小区党支部", "grid"),
        ("楼栋党小组", "building"), ("网格党支部", "grid"), ("村民参与", "household"),
    ],
)  # fmt: skip
def test_tier_of(name: str, tier: str | None) -> None:
    assert VOCAB.tier_of(name) == tier


# --------------------------------------------------------------------------- units, practices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("红庙社区党委带领居民，红庙社区完善了服务。",
         [("红庙社区党委", "community_party_committee"), ("居民", "residents")]),
        ("组建悦海湾小区党支部，悦海湾小区现有居民较少。",
         [("悦海湾小区党支部", "party_branch"), ("居民", "residents")]),
        ("进一步提升社区党支部建设水平。", [("社区党支部", "party_branch")]),
        ("打造了“老书记工作室”。", [("书记工作室", "secretary_studio")]),
        ("下庄社区是老社区，率先建立下庄社区“老街坊”热线工作站。",
         [("下庄社区“老街坊”热线工作站", "service_station")]),
        ("社区党支部、海防所、司法所等多方力量。",
         [("社区党支部", "party_branch"), ("海防所", "police_station"),
          ("司法所", "judicial_office")]),
        ("建成“近邻”矛盾纠纷调处中心，组成信息统计组。",
         [("“近邻”矛盾纠纷调处中心", "unclassified"), ("信息统计组", "unclassified")]),
        ("区市场监管局、街道办和税务所等参与，卫生所参与。",  # 所 + verb may be the particle
         [("区市场监管局", "unclassified"), ("街道办", "subdistrict_party_committee"),
          ("税务所", "unclassified")]),
        # not organisations: a place, a verb, a slogan, a particle, a set phrase
        ("活动场所，举办培训，难事特办，榜样所带来的，这是中心工作。", []),
    ],
)  # fmt: skip
def test_units(text: str, expected: list[tuple[str, str]]) -> None:
    found = extract_candidates(text, GLOSSARY).units
    assert [(u.name, u.unit_type) for u in found] == expected


def test_practices_first_occurrence_per_key() -> None:
    text = "推行“吹哨报到”，社区吹哨、部门报到；完善党员“双报到”制度和网格化管理。"
    found = extract_candidates(text, GLOSSARY).practices
    assert [(p.practice, p.name, p.start) for p in found] == [
        ("whistle_reporting", "吹哨报到", 3),
        ("dual_reporting", "双报到", 24),
        ("grid_management", "网格化管理", 31),
    ]


def test_exclusion_reasons_are_glossary_keys() -> None:
    from analytics.quantities import REASONS

    assert set(EXCLUSION_REASONS) == REASONS
    assert set(EXCLUSION_REASONS.values()) <= set(GLOSSARY.keys("exclusion_reasons"))


# --------------------------------------------------------------------------- the draft


def test_draft_id() -> None:
    assert draft_id("Hongmiao_2023 Case", "f" * 64) == "hongmiao-2023-case"
    assert draft_id("红庙社区", "0123abcd" + "0" * 56) == "case-0123abcd"
    assert draft_id("___", "abcdef12" + "0" * 56) == "case-abcdef12"
    assert draft_id("café", "12345678" + "0" * 56) == "case-12345678"


def test_quotes_are_widened_until_unique_and_occurrences_counted() -> None:
    text = "党员参与。党员带头。党员"
    assert I._widen(text, 0, 2) == (0, 4)  # to the end of the clause
    assert I._widen(text, 5, 7) == (5, 9)
    assert I._widen(text, 10, 12) == (10, 12)  # nothing to add: keeps the occurrence
    longer = "社区党员参与，社区党员带头和社区党员参加志愿服务活动的积极性很高很高很高很高很高"
    assert I._widen(longer, 0, 4) == (0, 6)  # to the clause end: 社区党员参与
    assert I._widen(longer, 16, 18) == (16, 40)  # 党员参加志愿服务…很高: 24 characters
    assert I._widen(longer, 7, 9) == (7, 12)  # clause too long: shortest unique 社区党员带
    assert I._evidence(text, 10, 12) == {"quote": "党员", "occurrence": 3}
    assert I._evidence("一户一户", 2, 4, widen=False) == {"quote": "一户", "occurrence": 2}


def test_rendered_yaml_round_trips() -> None:
    text = "标题：红庙社区\n\n面积约0.17平方公里，“三带”指组织带领、支部带动、党员带头。"
    found = extract_candidates(text, GLOSSARY)
    doc = draft_document(found, case_id="x", stem="x", source_file="x.txt", sha256="0" * 64)
    rendered = render_draft(doc)
    assert rendered.startswith("# yaml-language-server: $schema=../schema.json\nschema_version: 1")
    assert 'sha256: "' + "0" * 64 + '"' in rendered
    back = yaml.safe_load(rendered)
    assert back == json.loads(json.dumps(doc))
    assert back["case"]["title"] == "标题：红庙社区"
    assert back["case"]["quote"] == "标题"
    model = CaseFile.model_validate(back)
    assert glossary_problems(model, GLOSSARY) == []


# --------------------------------------------------------------------------- properties

TOKENS = st.sampled_from(
    list("0123456789一二两三四五六七八九十个户名人级-—+＋、，。“”‘’（）的了是指社区党委支部党员")
    + list("网格楼栋单元居民物业公司所站中心队办委会组带统筹运作参与号召小区街道红庙\n :#'\"%")
    + ["党委统筹", "三级架构", "楼栋长", "党员中心户", "司法所", "服务站", "- ", "&a", "*b", "!x"]
)
CHINESE = st.lists(TOKENS, max_size=60).map("".join)


def _check_candidates(text: str) -> None:
    found = extract_candidates(text, GLOSSARY)
    assert found.text == text
    for q in found.quantities:
        assert text[q.start : q.end] == q.quote
    for e in found.exclusions:
        assert text[e.start : e.end] == e.text
    for s in found.structures:
        assert text[s.start : s.end] == s.quote
        assert s.levels
        for level in s.levels:
            assert level.name and text[level.start : level.end] == level.name
    for u in found.units:
        assert text[u.start : u.end] == u.quote == u.name
    for p in found.practices:
        assert text[p.start : p.end] == p.quote == p.name


@given(st.text(max_size=200))
def test_never_crashes_and_quotes_point_into_arbitrary_text(text: str) -> None:
    _check_candidates(text)


@settings(max_examples=300, suppress_health_check=list(HealthCheck))
@given(CHINESE)
def test_quotes_point_into_chinese_heavy_text(text: str) -> None:
    _check_candidates(text)


@settings(max_examples=150, suppress_health_check=list(HealthCheck))
@given(CHINESE)
def test_drafts_of_any_text_are_valid_case_files(raw: str) -> None:
    text = normalise(raw)
    if not text.strip():
        return
    found = extract_candidates(text, GLOSSARY)
    doc = draft_document(found, case_id="x", stem="x", source_file="x.txt", sha256="0" * 64)
    model = CaseFile.model_validate(yaml.safe_load(render_draft(doc)))
    assert glossary_problems(model, GLOSSARY) == []
    for loc, item in iter_evidence(model):
        assert not isinstance(locate(text, item), str), loc


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        extract_candidates(b"123")  # type: ignore[arg-type]


def test_doctests() -> None:
    result = doctest.testmod(I, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

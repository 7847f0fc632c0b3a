"""Raw corpus, encoding detection and the normaliser."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analytics import paths
from analytics.cli import main
from analytics.errors import SourceError
from analytics.sources import (
    _converter,
    decode_bytes,
    load_manifest,
    normalise,
    normalise_report,
    read_text,
    sha256_file,
    verified_raw_text,
)

MANIFEST = load_manifest()
RAW = {case_id: read_text(paths.RAW_DIR / s.file) for case_id, s in MANIFEST.items()}
NORMALISED = {case_id: normalise(text) for case_id, text in RAW.items()}
SHARED_SEEDS = paths.ROOT.parent / "shared" / "seeds"

RUBY = re.compile(r"[(（][a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜü]{1,6}[)）]")
CHROME = [
    "扫码关注",
    "相关文章",
    "相关专题",
    "扫一扫",
    "文章下载",
    "返回顶部",
    "付费",
    "登录",
    "上传凭证",
    "再想想",
    "来源：人民网",
    "资料提供时间",
    "北京社区报 2023-8-3",
]


# ----------------------------------------------------------------------------- manifest


def test_manifest_lists_five_documents_with_descriptive_names():
    assert len(MANIFEST) == 5
    for case_id, source in MANIFEST.items():
        assert source.file == f"{case_id}.txt"
        assert (paths.RAW_DIR / source.file).is_file()


def test_manifest_hashes_match_the_raw_files():
    for source in MANIFEST.values():
        assert sha256_file(paths.RAW_DIR / source.file) == source.sha256


# sha256 of the five documents as collected (../shared/seeds/), recorded once by hand.
SEED_SHA256 = {
    "000_dbb9499f0435f18a.txt": "f37a32600cdd815c229e2df8ef8f1206ebdc8fc37e81a97246b7971cec282ef1",
    "001_a8b8514102cefd15.txt": "06e30e7485c4e8f28c192aa2f9ef8ea1381a88770681ab8b16c3adc63c1f83c1",
    "002_0404b47c22d3c0ee.txt": "bed9db1e3c75259595fcc1032becfb90881c03505d9b3649960f37d14ccb8d1f",
    "003_d3cd355a25a5fb1c.txt": "f65f0a1c3fe392adc3a3a58fdc344285c3faa21e35c2adc597afce3d6cf49001",
    "004_b9374700c17e8813.txt": "d6f01047b608a594c30e9ca9c432dc42acee2106d31a573f5f34832bb20470ef",
}


def test_raw_files_are_the_seeds_byte_for_byte():
    """Each raw file is its collected original: by bytes when ../shared/seeds is beside the
    clone (as in CI), and always by the recorded hash of the original."""
    assert sorted(s.original_file for s in MANIFEST.values()) == sorted(SEED_SHA256)
    for source in MANIFEST.values():
        raw = paths.RAW_DIR / source.file
        assert sha256_file(raw) == SEED_SHA256[source.original_file]
        seed = SHARED_SEEDS / source.original_file
        if seed.is_file():
            assert seed.read_bytes() == raw.read_bytes()


def test_edited_raw_file_fails_with_file_and_reason(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.RAW_DIR, data / "raw")
    raw = data / "raw" / "hefei-baohe-qingnian.txt"
    raw.write_bytes(raw.read_bytes() + b" ")
    source = load_manifest(data)["hefei-baohe-qingnian"]
    expected = source.sha256[:12]
    with pytest.raises(SourceError) as error:
        verified_raw_text(source, data)
    assert str(error.value) == (
        f"{raw}: sha256 {sha256_file(raw)[:12]}… does not match sources.yml ({expected}…): "
        "the raw text was edited, and every quote depends on it"
    )


def test_metadata_recorded_where_the_text_states_it():
    assert str(MANIFEST["fuzhou-changle-wenwusha"].date) == "2022-08-19"
    assert MANIFEST["fuzhou-changle-wenwusha"].outlet == "人民网-中国共产党新闻网"
    assert MANIFEST["beijing-chaoyang-hongmiao"].outlet == "北京社区报"
    assert MANIFEST["hefei-baohe-qingnian"].date is None


# ----------------------------------------------------------------------------- decoding


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_simplified_text_decodes_in_each_encoding(encoding):
    text = NORMALISED["beijing-fangshan-xingcheng-7"]
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_traditional_text_in_big5_is_detected():
    text = "星城街道第七社區設1個黨委，10個黨支部，黨員896人。社區常住居民2032戶。"
    assert decode_bytes(text.encode("big5")) == (text, "big5")


def test_utf8_bom_is_dropped():
    assert decode_bytes("\ufeff党委".encode()) == ("党委", "utf-8")


def test_undecodable_bytes_name_the_file(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\x81\x30\xff\xfe\x80")
    with pytest.raises(SourceError) as error:
        read_text(path)
    assert str(error.value) == f"{path}: cannot decode as UTF-8, GB18030 or Big5"


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(SourceError) as error:
        read_text(tmp_path / "nope.txt")
    assert str(error.value) == f"{tmp_path / 'nope.txt'}: no such file"


# ----------------------------------------------------------------------------- normaliser


@pytest.mark.parametrize("case_id", sorted(RAW))
def test_normalised_text_is_clean(case_id):
    text = NORMALISED[case_id]
    assert not RUBY.search(text), "pinyin ruby left"
    for chrome in CHROME:
        assert chrome not in text, f"site chrome left: {chrome}"
    assert _converter().convert(text) == text, "traditional characters left"
    assert "  " not in text and "\n\n\n" not in text
    assert not re.search(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]", text)
    assert normalise(text) == text


def test_ruby_removed_and_real_parentheses_kept():
    report = normalise_report(RAW["hefei-baohe-qingnian"])
    assert len(report.ruby_removed) == 195
    assert report.text.startswith("为进一步提升社区党支部标准化规范化建设水平")
    assert "《包公街道星级党支部创评实施办法（试行）》" in report.text
    assert report.text.endswith("树立典型。（高宾）")
    assert "专自（专业服务和自治服务）融合" in NORMALISED["beijing-chaoyang-hongmiao"]


def test_phrase_aware_conversion():
    text = NORMALISED["fuzhou-changle-wenwusha"]
    assert "面临着更多新挑战" in text and "着力破解" in text
    assert "效果更显著了" in NORMALISED["beijing-fangshan-xingcheng-7"]
    assert "为提升党建引领" in NORMALISED["beijing-shijingshan-xiazhuang"]


def test_paragraphs_kept():
    for case_id, raw in RAW.items():
        report = normalise_report(raw)
        lines = [line for line in raw.splitlines() if line.strip()]
        paragraphs = report.text.split("\n\n")
        assert len(paragraphs) == len(lines) - len(report.chrome_removed), case_id
    assert NORMALISED["beijing-fangshan-xingcheng-7"].split("\n\n")[:2] == [
        "党建品牌展示 – “微小”党建工作法（党建微创新工作方案）",
        "房山区第二批入库党建品牌展示",
    ]


def test_chrome_and_dialogs_removed_article_kept():
    report = normalise_report(RAW["beijing-chaoyang-hongmiao"])
    assert report.chrome_removed[:2] == ["扫码关注", "类别：社区治理"]
    assert report.chrome_removed[-1] == "取消"
    assert report.text.split("\n\n")[0] == "“三字”工作法解锁基层治理“幸福密码”"
    assert report.text.endswith("为打造幸福社区作出了积极努力。")
    assert (
        normalise_report(RAW["fuzhou-changle-wenwusha"])
        .chrome_removed[0]
        .startswith("2022年08月19日16:44 来源")
    )


def test_article_ending_on_a_purchase_sentence_is_not_cut():
    text = "第一段。\n\n居民可以在网上购买物资。"
    assert normalise(text) == text.replace("\n\n", "\n\n")


def test_width_and_whitespace():
    assert normalise("ＡＢＣ１２３ 号") == "ABC123 号"
    assert normalise("编 者 按") == "编者按"
    assert normalise("党员,群众:你好?\r\n\r\n\r\n下一段") == "党员，群众：你好？\n\n下一段"
    assert normalise("时间 16:44, 1+X") == "时间 16:44, 1+X"
    assert normalise("小区﹔街道") == "小区；街道"


def test_cli_normalise_prints_text(capsys):
    assert main(["normalise", str(paths.RAW_DIR / "hefei-baohe-qingnian.txt")]) == 0
    assert capsys.readouterr().out == NORMALISED["hefei-baohe-qingnian"] + "\n"


def test_cli_normalise_undecodable_is_one_line(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff\xfe\x80\x81\x30")
    assert main(["normalise", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"analytics: {path}: cannot decode as UTF-8, GB18030 or Big5\n"
    )


# ----------------------------------------------------------------------------- properties

_IDEOGRAPHS = sorted({c for t in NORMALISED.values() for c in t if "\u4e00" <= c <= "\u9fff"})
_sentence = st.text(alphabet=_IDEOGRAPHS + list("0123456789"), min_size=1, max_size=30)
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(lambda s: "，".join(s) + "。")
_clean_text = st.lists(_paragraph, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_never_crashes_and_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=1000, deadline=None)
@given(_clean_text)
def test_clean_simplified_text_is_unchanged(text):
    # "simplified" as OpenCC defines it: no traditional character or phrase (a random string
    # of simplified characters can spell a traditional phrase, e.g. 回覆 for 回复)
    assume(_converter()._detect.convert(text) == text)
    assert normalise(text) == text

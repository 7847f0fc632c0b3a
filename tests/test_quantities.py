"""Rule-based quantity extraction from normalised Chinese case texts."""

from __future__ import annotations

import doctest
import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import paths
from analytics import quantities as Q
from analytics.quantities import REASONS, Exclusion, Quantity, extract, parse_numeral
from analytics.sources import normalise, read_text

QUALIFIERS = {"exact", "approx", "at_least", "at_most", "share"}


def _rows(text: str) -> list[tuple[object, ...]]:
    return [(q.value, q.value_max, q.unit, q.qualifier, q.quote) for q in extract(text)]


def _excluded(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.reason) for e in extract(text, with_excluded=True)[1]]


def _check_invariants(text: str) -> None:
    found, excluded = extract(text, with_excluded=True)
    assert found == extract(text)
    spans = []
    for q in found:
        assert isinstance(q, Quantity)
        assert text[q.start : q.end] == q.quote != ""
        assert isinstance(q.value, int | float) and q.value == q.value
        assert q.value_max is None or q.value_max >= q.value
        assert q.qualifier in QUALIFIERS
        assert q.bound is None or q.qualifier == "share"
        assert set(q.unit) <= set(q.quote) or q.unit == "%"  # 1000余万元 → 万元, 百分之 → %
        spans.append((q.start, q.end))
    for e in excluded:
        assert isinstance(e, Exclusion)
        assert text[e.start : e.end] == e.text != ""
        assert e.reason in REASONS
        spans.append((e.start, e.end))
    spans.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "overlap"
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert [e.start for e in excluded] == sorted(e.start for e in excluded)


# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("896", 896), ("0.13", 0.13), ("1,200", 1200), ("三", 3), ("十五", 15), ("两", 2),
        ("一百二十", 120), ("1万", 10000), ("2.3万", 23000), ("两千", 2000), ("二十三点五", 23.5),
        ("百", 100), ("三四", 3), ("十七八", 17), ("二三十", 20), ("几", None), ("", None),
        ("十十", None),
    ],
)  # fmt: skip
def test_parse_numeral(numeral: str, value: float | None) -> None:
    assert parse_numeral(numeral) == value


# --------------------------------------------------------------------------- quantities

QUANTITY_CASES = [
    # Arabic, Chinese and mixed numerals; decimals; 万/亿 multipliers
    ("星城街道第七社区设1个党委，10个党支部，党员896人。",
     [(1, None, "个", "exact", "1个"), (10, None, "个", "exact", "10个"),
      (896, None, "人", "exact", "896人")]),
    ("五十六个民族，一百二十名党员，两千余户居民。",
     [(56, None, "个", "exact", "五十六个"), (120, None, "名", "exact", "一百二十名"),
      (2000, None, "户", "at_least", "两千余户")]),
    ("社区居民2.3万人，其中党员1万余名。",
     [(23000, None, "人", "exact", "2.3万人"), (10000, None, "名", "at_least", "1万余名")]),
    ("辖区面积2.5平方公里，常住人口1.2万人。",
     [(2.5, None, "平方公里", "exact", "2.5平方公里"), (12000, None, "人", "exact", "1.2万人")]),
    ("投入资金100万元，总投资4.5亿元，建成2,500平方米。",
     [(100, None, "万元", "exact", "100万元"), (4.5, None, "亿元", "exact", "4.5亿元"),
      (2500, None, "平方米", "exact", "2,500平方米")]),
    ("吸纳党员3000多人，服务人口2000多万人，投入1000余万元。",
     [(3000, None, "人", "at_least", "3000多人"), (20000000, None, "人", "at_least", "2000多万人"),
      (1000, None, "万元", "at_least", "1000余万元")]),
    # percentages and other shares
    ("老年人占总人口的32%，满意率达98.5%。",
     [(32, None, "%", "share", "32%"), (98.5, None, "%", "share", "98.5%")]),
    ("占比约百分之三十二，绿化率达32%以上。",
     [(32, None, "%", "share", "约百分之三十二"), (32, None, "%", "share", "32%以上")]),
    ("比例为30%-50%，占比百分之三十至四十。",
     [(30, 50, "%", "share", "30%-50%"), (30, 40, "%", "share", "百分之三十至四十")]),
    ("九成以上居民支持，约三分之一的家庭参与，较去年提高3个百分点。",
     [(9, None, "成", "share", "九成以上"), (0.333333, None, "分之", "share", "约三分之一"),
      (3, None, "个百分点", "exact", "3个百分点")]),
    # spaces inside the phrase
    ("全年开展活动20 余次，服务群众约1.2万人次。",
     [(20, None, "次", "at_least", "20 余次"), (12000, None, "人次", "approx", "约1.2万人次")]),
    # ranges
    ("该小区共有住户160户至255户不等。", [(160, 255, "户", "exact", "160户至255户")]),
    ("每个网格配备300-500户居民。", [(300, 500, "户", "exact", "300-500户")]),
    ("配备3至5个网格员、三到五名志愿者、1～2名专职人员。",
     [(3, 5, "个", "exact", "3至5个"), (3, 5, "名", "exact", "三到五名"),
      (1, 2, "名", "exact", "1～2名")]),
    ("经费5至10万元，补贴3万-5万元，孩子们3岁至6岁。",
     [(5, 10, "万元", "exact", "5至10万元"), (3, 5, "万元", "exact", "3万-5万元"),
      (3, 6, "岁", "exact", "3岁至6岁")]),
    ("辖区有三四个小区、十七八名网格员，组织二三十人参与。",
     [(3, 4, "个", "approx", "三四个"), (17, 18, "名", "approx", "十七八名"),
      (20, 30, "人", "approx", "二三十人")]),
    # qualifiers before and after
    ("面积约0.13平方公里，常住居民5000余人，志愿者120人左右。",
     [(0.13, None, "平方公里", "approx", "约0.13平方公里"),
      (5000, None, "人", "at_least", "5000余人"), (120, None, "人", "approx", "120人左右")]),
    ("不到10人，不少于5名，超过300户，逾千人，近百户，上百名党员，至少3个。",
     [(10, None, "人", "at_most", "不到10人"), (5, None, "名", "at_least", "不少于5名"),
      (300, None, "户", "at_least", "超过300户"), (1000, None, "人", "at_least", "逾千人"),
      (100, None, "户", "approx", "近百户"), (100, None, "名", "approx", "上百名"),
      (3, None, "个", "at_least", "至少3个")]),
    ("60周岁以上老人，18岁以下儿童，3个工作日内办结，不足20%。",
     [(60, None, "周岁", "at_least", "60周岁以上"), (18, None, "岁", "at_most", "18岁以下"),
      (3, None, "个工作日", "at_most", "3个工作日内"), (20, None, "%", "share", "不足20%")]),
    ("累计服务10000余人次，组建十多支队伍，约有200人参加。",
     [(10000, None, "人次", "at_least", "10000余人次"), (10, None, "支", "at_least", "十多支"),
      (200, None, "人", "approx", "约有200人")]),
    # durations; 近 before a time unit is "the last …", not a qualifier
    ("近三年来共化解矛盾纠纷200余起，3年内完成，1个月内办结，每周入户5次。",
     [(3, None, "年", "exact", "三年"), (200, None, "起", "at_least", "200余起"),
      (3, None, "年", "at_most", "3年内"), (1, None, "个月", "at_most", "1个月内"),
      (5, None, "次", "exact", "5次")]),
    ("每天24小时在线，每2周开展一次活动，连续两届当选。",
     [(24, None, "小时", "exact", "24小时"), (2, None, "周", "exact", "2周"),
      (1, None, "次", "exact", "一次"), (2, None, "届", "exact", "两届")]),
    # compound phrasing: one quantity per number
    ("组织1名网格长和3名网格员坚持每周入户5次。",
     [(1, None, "名", "exact", "1名"), (3, None, "名", "exact", "3名"),
      (5, None, "次", "exact", "5次")]),
    ("实现“一个党员带一户、三个党员带一门、十个党员带一楼”的目标。",
     [(1, None, "个", "exact", "一个"), (1, None, "户", "exact", "一户"),
      (3, None, "个", "exact", "三个"), (1, None, "门", "exact", "一门"),
      (10, None, "个", "exact", "十个"), (1, None, "楼", "exact", "一楼")]),
    # noun-first order
    ("社区现有楼栋长38个，片区网格6个，党员中心户45户。",
     [(38, None, "个", "exact", "38个"), (6, None, "个", "exact", "6个"),
      (45, None, "户", "exact", "45户")]),
    # levels of a structure
    ("构建“社区‘大党委’-网格工作组-楼栋长-党员中心户”四级组织架构。",
     [(4, None, "级", "exact", "四级")]),
    ("按照“网格-楼栋-单元”三级架构，形成“党委统筹、支部运作”的三级运行体系。",
     [(3, None, "级", "exact", "三级"), (3, None, "级", "exact", "三级")]),
    # 一 as a numeral
    ("一起案件，每月一次，一名网格员。",
     [(1, None, "起", "exact", "一起"), (1, None, "次", "exact", "一次"),
      (1, None, "名", "exact", "一名")]),
    # measure words from the list
    ("改造7处，建成9块彩绘墙、6栋高层、3所学校、2座桥、4条路、5间活动室、8辆车、10台设备。",
     [(7, None, "处", "exact", "7处"), (9, None, "块", "exact", "9块"),
      (6, None, "栋", "exact", "6栋"), (3, None, "所", "exact", "3所"),
      (2, None, "座", "exact", "2座"), (4, None, "条", "exact", "4条"),
      (5, None, "间", "exact", "5间"), (8, None, "辆", "exact", "8辆"),
      (10, None, "台", "exact", "10台")]),
    ("发放党旗200面、宣传册1000余份、海报200张，组建3支队伍，开展4场活动、6场次演出。",
     [(200, None, "面", "exact", "200面"), (1000, None, "份", "at_least", "1000余份"),
      (200, None, "张", "exact", "200张"), (3, None, "支", "exact", "3支"),
      (4, None, "场", "exact", "4场"), (6, None, "场次", "exact", "6场次")]),
    ("办理诉求120件，调解纠纷3起，完成8项任务，走访10位老人、5家单位，增长2倍。",
     [(120, None, "件", "exact", "120件"), (3, None, "起", "exact", "3起"),
      (8, None, "项", "exact", "8项"), (10, None, "位", "exact", "10位"),
      (5, None, "家", "exact", "5家"), (2, None, "倍", "exact", "2倍")]),
    ("分两批、3期、4轮培训，分成5组、2队，设3个宣传栏，赠书100本，种树50棵、花200株。",
     [(2, None, "批", "exact", "两批"), (3, None, "期", "exact", "3期"),
      (4, None, "轮", "exact", "4轮"), (5, None, "组", "exact", "5组"),
      (2, None, "队", "exact", "2队"), (3, None, "个", "exact", "3个"),
      (100, None, "本", "exact", "100本"), (50, None, "棵", "exact", "50棵"),
      (200, None, "株", "exact", "200株")]),
    # a count of a quoted noun is a count; so is an Arabic count of a quoted name
    ("发挥20名“红色小管家”作用，社区15个“三星”党支部，选出三名“好邻居”代表，5个“关键小事”。",
     [(20, None, "名", "exact", "20名"), (15, None, "个", "exact", "15个"),
      (3, None, "名", "exact", "三名"), (5, None, "个", "exact", "5个")]),
    # 代表 as a noun (representatives) does not make a sentence describe a symbol
    ("社区有党员12名，代表5名。",
     [(12, None, "名", "exact", "12名"), (5, None, "名", "exact", "5名")]),
    ("步道长1.5公里，宽3米，补贴500元，用时2天。",
     [(1.5, None, "公里", "exact", "1.5公里"), (3, None, "米", "exact", "3米"),
      (500, None, "元", "exact", "500元"), (2, None, "天", "exact", "2天")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), QUANTITY_CASES, ids=[c[0][:12] for c in QUANTITY_CASES]
)
def test_quantities(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _rows(text) == expected
    _check_invariants(text)


@pytest.mark.parametrize(
    ("text", "quote", "noun"),
    [
        ("组织1名网格长和3名网格员", "1名", "网格长"),
        ("组织1名网格长和3名网格员", "3名", "网格员"),
        ("第七社区成立了6个临时党支部，组成", "6个", "临时党支部"),
        ("10个党支部，党员896人。", "896人", "党员"),
        ("社区现有楼栋长38个，", "38个", "楼栋长"),
        ("片区网格6个。", "6个", "片区网格"),
        ("党委委员共7名，其中书记1名、副书记2名；", "7名", "党委委员"),
        ("党委委员共7名，其中书记1名、副书记2名；", "1名", "书记"),
        ("党委委员共7名，其中书记1名、副书记2名；", "2名", "副书记"),
        ("残疾人困难家庭有230户。", "230户", "残疾人困难家庭"),
        ("老年人占总人口的32%，", "32%", "老年人"),
        ("划分为三个片区，每个片区", "三个", "片区"),
        ("实现“一个党员带一户", "一个", "党员"),
        ("社区15个“三星”党支部、", "15个", "“三星”党支部"),
        ("搭建3个由社区党支部组成的平台", "3个", None),
        ("每周入户5次，", "5次", None),
        ("3年内完成", "3年内", None),
    ],
)
def test_nouns(text: str, quote: str, noun: str | None) -> None:
    assert {q.quote: q.noun for q in extract(text)}[quote] == noun


def test_fields_of_a_quantity() -> None:
    text = "星城街道有约300余户、2.3万人，覆盖率约95%。"
    households, people, share = extract(text)
    assert households == Quantity(300, None, "户", "at_least", None, "约300余户", 5, 11, "300")
    assert (people.value, people.numeral, people.unit) == (23000, "2.3万", "人")
    assert (share.qualifier, share.bound, share.noun) == ("share", "approx", "覆盖率")
    with pytest.raises(AttributeError):
        households.value = 1  # type: ignore[misc]


# --------------------------------------------------------------------------- exclusions

EXCLUSION_CASES = [
    # dates and years
    ("2015年成立，2022年5月封控，2019年12月获奖。",
     [("2015年", "year"), ("2022年5月", "date"), ("2019年12月", "date")]),
    ("2023-08-30召开，8月3日开会，每月15日活动，12月份总结，每月8号例会。",
     [("2023-08-30", "date"), ("8月3日", "date"), ("15日", "date"), ("12月份", "date"),
      ("8号", "date")]),
    ("2020年至2022年，2021—2023年，二〇二三年，2020年度，20世纪90年代，每周一。",
     [("2020年至2022年", "year"), ("2021—2023年", "year"), ("二〇二三年", "year"),
      ("2020年度", "year"), ("20世纪90年代", "year"), ("周一", "date")]),
    # clock times
    ("16:44结束，9:00-17:00开放，上午8点至下午5点值班，下午3点半开会，7×24小时服务。",
     [("16:44", "time"), ("9:00-17:00", "duration_clock"), ("8点至下午5点", "duration_clock"),
      ("3点半", "time"), ("7×24小时", "duration_clock")]),
    # addresses
    ("在四里8号楼南侧，家住3号院5号楼2单元301室，在三楼办公，3-2-101室。",
     [("四里8号楼", "address"), ("3号院5号楼2单元301室", "address"), ("三楼", "address"),
      ("3-2-101", "address")]),
    # postal codes and phone numbers
    ("邮编100020，电话010-65001234，手机13812345678，拨打12345热线，遇警情拨打110报警。",
     [("100020", "postal_code"), ("010-65001234", "phone"), ("13812345678", "phone"),
      ("12345", "phone"), ("110", "phone")]),
    ("在解决漏雨相关的12345诉求时，热线：96123。", [("12345", "phone"), ("96123", "phone")]),
    # document and page numbers, citations
    ("根据京政办发〔2021〕3号文件，见第3页，参见[1]和图1，附件2。",
     [("〔2021〕3号", "document_number"), ("第3页", "document_number"), ("[1]", "citation"),
      ("图1", "citation"), ("附件2", "citation")]),
    # list markers
    ("1、基本情况\n\n一、背景\n\n1\n\n党组织基本概况", [("1、", "list_marker"),
     ("一、", "list_marker"), ("1", "list_marker")]),
    ("一是组建队伍；二是完善机制；（1）建立制度；(2)完善机制；其一，加强领导。",
     [("一是", "list_marker"), ("二是", "list_marker"), ("（1）", "list_marker"),
      ("(2)", "list_marker"), ("其一", "list_marker")]),
    ("第一步，强化党建。第二，完善制度。", [("第一步", "list_marker"), ("第二", "list_marker")]),
    # ordinals
    ("第一书记、第六届、第二批、第七社区、第3次，获一等奖，建党100周年，三星级。",
     [("第一", "ordinal"), ("第六届", "ordinal"), ("第二批", "ordinal"), ("第七", "ordinal"),
      ("第3次", "ordinal"), ("一等", "ordinal"), ("100周年", "ordinal"), ("三星级", "ordinal")]),
    # names and slogans
    ("探索建立“三步工作法”，打造“三带三建三融合”工作模式，开展“三微”活动。",
     [("“三步工作法”", "name"), ("“三带三建三融合”工作模式", "name"), ("“三微”活动", "name")]),
    ("在社区“两委”换届中，两委商议，推行两议两评两公开，搭建“一厅一会”平台。",
     [("“两委”", "name"), ("两委", "name"), ("两议两评两公开", "name"),
      ("“一厅一会”平台", "name")]),
    ("建成四位一体格局，落实五有标准，推进三站四室建设，推行“两长一员”机制。",
     [("四位一体", "name"), ("五有标准", "name"), ("三站四室建设", "name"),
      ("“两长一员”机制", "name")]),
    ("增强“四个意识”，通过“四个一”服务，做到“一站式”“最多跑一次”，“一对一”培训。",
     [("“四个意识”", "name"), ("“四个一”服务", "name"), ("一站式", "name"),
      ("“最多跑一次”", "name"), ("“一对一”", "name")]),
    ("一人带全家、全家带四邻，以1+X模式，推出“365零休”，“六有”标准，三方协调机制。",
     [("一人带全家", "name"), ("1+X", "name"), ("“365零休”", "name"), ("“六有”标准", "name"),
      ("三方协调机制", "name")]),
    ("完善了三种服务模式，一名党员就是一面旗帜，学习《关于加强20个社区建设的意见》。",
     [("三种服务模式", "name"), ("一名党员就是一面旗帜", "name"),
      ("《关于加强20个社区建设的意见》", "title")]),
    # 一 as an indefinite article; vague numbers; numbers without a measure word
    ("这是一个好办法，形成一支队伍，有一处破旧墙面。",
     [("一个", "indefinite"), ("一支", "indefinite"), ("一处", "indefinite")]),
    ("数十名党员、几百户居民、数百人参加。",
     [("数十名", "vague"), ("几百户", "vague"), ("数百人", "vague")]),
    ("配发N95口罩，80后干部，数字7。",
     [("N95", "name"), ("80后", "name"), ("7", "no_unit")]),
    # symbols, slogans and formulas
    ("标识寓意：相连的两颗心图案，代表了连心桥。5颗小星星闪烁在数字7中，代表五小内容。",
     [("两颗", "name"), ("5颗", "name"), ("7", "no_unit"), ("五小", "name")]),
    ("解决好两个“关键小事”，坚持一个诉求解决一类问题，传递一种正能量，即一个社区与单位共建。",
     [("两个“关键小事”", "name"), ("一个诉求解决一类", "idiom"), ("一种", "indefinite"),
      ("一个", "indefinite")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), EXCLUSION_CASES, ids=[c[0][:12] for c in EXCLUSION_CASES]
)
def test_exclusions(text: str, expected: list[tuple[str, str]]) -> None:
    assert _excluded(text) == expected
    _check_invariants(text)


@pytest.mark.parametrize(
    "text",
    [
        "大家一起参加，统一部署，一直坚持，进一步加强，一系列举措，一线工作，打造一批工作室。",
        "这一问题是重点之一，唯一的办法，万一出现，千家万户，老百姓，十分重要，一件件小事。",
        "举一反三，一次性告知，党群一心，邻里一家亲，一条龙服务，千方百计，四面八方。",
    ],
)
def test_words_with_numeral_characters_are_not_numbers(text: str) -> None:
    assert extract(text, with_excluded=True) == ([], [])


def test_no_quantity_inside_an_exclusion() -> None:
    text = "2022年5月的疫情中，6栋高层，2个单元，共计900余户、2000余人被临时封控"
    assert [q.quote for q in extract(text)] == ["6栋", "2个", "900余户", "2000余人"]
    assert _excluded(text) == [("2022年5月", "date")]


def test_measure_words_can_be_extended(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "摆放鲜花200盆。"
    assert extract(text) == []
    monkeypatch.setattr(Q, "MEASURE_WORDS", [*Q.MEASURE_WORDS, "盆"])
    assert _rows(text) == [(200, None, "盆", "exact", "200盆")]


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        extract(b"123")  # type: ignore[call-overload]


def test_doctests() -> None:
    result = doctest.testmod(Q)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- properties

CHINESE_HEAVY = st.text(
    alphabet=st.sampled_from(
        list("0123456789一二两三四五六七八九十百千万亿零〇点余约近多个户年月日号%.,-至到")
        + list("“”《》（）第是、，。\n 名人次级楼带元平方公里岁以上左右不到超过百分之几数党员社区")
    ),
    max_size=80,
)


@given(st.text(max_size=200))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=500)
@given(CHINESE_HEAVY)
def test_never_crashes_on_chinese_heavy_text(text: str) -> None:
    _check_invariants(text)


@given(st.lists(st.sampled_from([c[0] for c in QUANTITY_CASES + EXCLUSION_CASES]), max_size=6))
def test_quotes_point_into_concatenated_cases(parts: list[str]) -> None:
    _check_invariants("".join(parts))


# --------------------------------------------------------------------------- the five texts

RAW_FILES = sorted(paths.RAW_DIR.glob("*.txt"))
EXPECTED_QUOTES = {
    "beijing-chaoyang-hongmiao": [
        "约0.17平方公里", "5000余人", "一个", "一户", "三个", "一门", "十个", "一楼", "三级",
        "30户", "18户", "85户",
    ],
    "beijing-fangshan-xingcheng-7": [
        "1个", "10个", "896人", "7名", "1名", "1名", "10个", "3名", "1名",
        "约0.13平方公里", "22栋", "18个", "2032户", "5268人", "32%", "21%", "230户", "1名", "3名",
        "5次", "7处", "3处", "2个", "16个", "18处", "9块", "一次", "6栋", "2个", "900余户",
        "2000余人", "6个", "10000余人次",
    ],
    "beijing-shijingshan-xiazhuang": ["13个", "1名", "5名", "11名"],
    "fuzhou-changle-wenwusha": ["四级", "三级", "1名", "1名", "3个", "3支", "三个", "一个"],
    "hefei-baohe-qingnian": ["20名", "15个", "2个"],
}  # fmt: skip


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
@pytest.mark.parametrize("path", RAW_FILES, ids=[p.stem for p in RAW_FILES])
def test_case_texts(path) -> None:  # type: ignore[no-untyped-def]
    text = normalise(read_text(path))
    _check_invariants(text)
    if path.stem in EXPECTED_QUOTES:
        assert [q.quote for q in extract(text)] == EXPECTED_QUOTES[path.stem]


@pytest.mark.skipif(not RAW_FILES, reason="no raw texts")
def test_speed() -> None:
    """Well under 5 ms for a 4,000-character text on a quiet machine; the bound is loose."""
    texts = [normalise(read_text(p)) for p in RAW_FILES]
    extract(texts[0])
    start = time.perf_counter()
    for text in texts:
        extract(text, with_excluded=True)
    per_4000 = (time.perf_counter() - start) / sum(map(len, texts)) * 4000
    assert per_4000 < 0.05

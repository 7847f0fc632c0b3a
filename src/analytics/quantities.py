"""Rule-based extraction of quantities (counts, areas, shares …) from normalised Chinese text.

The rules are written from the language, not from any particular case text:

* A number is a **measurement** only when a measure word follows it (``896人``, ``三个``,
  ``0.13平方公里``, ``32%``), possibly with a qualifier (``约``, ``近``, ``余``, ``多``,
  ``左右``, ``以上``, ``不到`` …), a range (``160户至255户``, ``300-500户``, ``三到五名``) or a
  ``百分之`` prefix. Chinese numerals never count on their own: ``一起``, ``统一``, ``三带三建``
  have no measure word (or are listed lexical words) and are skipped.
* Before that, spans that merely *contain* digits are masked and reported as
  :class:`Exclusion`: dates, years, clock times, addresses, postal codes, phone and hotline
  numbers, document and page numbers, citation marks, list markers (``一是``, ``1、``, a bare
  ``1`` line, ``第一步，``), ordinals (``第六届``, ``第一书记``), and names/slogans: short
  quoted names (``“三微”``, ``“365零休”``), quotes followed by a name word (``“…”工作法``),
  numeral patterns such as ``两议两评两公开`` / ``一厅一会``, set phrases (:data:`SET_PHRASES`),
  and a Chinese ``N+measure word+noun`` whose noun ends in a name word (``三种服务模式``).
* A number in a sentence that describes a symbol or logo (``SYMBOL_WORDS``: 寓意, 图案, a
  clause opening with 代表) is part of the picture (``两颗心图案``, ``5颗小星星``): ``name``.
  So is a Chinese count of a quoted slogan (``两个“关键小事”``), and a formula pairing one
  thing with one kind of another (``一个诉求解决一类问题``: ``idiom``).
* Numbers left over without a measure word are reported too (``no_unit`` for Arabic
  numerals, ``name`` for Chinese ones such as ``三方协调机制``); a lone ``一``/``十``/``万`` …
  without a measure word is part of a word and is not reported.

Decisions worth knowing:

* ``unit`` is the measure word as written, longest match first (``人次`` before ``人``).
  ``万``/``亿`` before a measure word multiply the value (``2.3万人`` → 23000 人, numeral
  ``2.3万``) unless ``万元``/``亿元``/``千米``/… is itself a listed unit (``100万元`` → 100 万元).
* ``N级`` counts the levels of a structure (``三级架构``, ``四级组织架构``, ``三级运行体系``):
  unit ``级``, noun the structure; other ``N级`` (``一级响应``) are not quantities.
* Compound phrases give one quantity per number: ``一个党员带一户`` → 1 个 (noun 党员) and
  1 户 (``带一户`` counts one household; ``楼`` only counts after 带/包/联/管, else a floor).
* ``N年`` with a four-digit year is a year; otherwise a duration (``3年内`` → 3 年 at_most).
  ``近`` before a time unit means "the last …" and is not a qualifier (``近三年`` exact).
* Shares (``%``, ``‰``, ``成``, ``百分之…``) have qualifier ``share``; a bound written with them
  goes to ``bound`` (``约32%`` → share, bound ``approx``). ``bound`` is ``None`` otherwise.
* Adjacent digits are an approximate range: ``三四个`` → 3–4, ``十七八人`` → 17–18.
* ``一`` + measure word after 是/有/形成/成为/即/… is an indefinite article (``形成一支队伍``,
  ``即一个社区与…``), and so is ``一类``/``一种``/``一样`` ("a kind of").
* Extend :data:`MEASURE_WORDS`, :data:`UNIT_BLOCKERS`, :data:`SET_PHRASES`,
  :data:`LEXICAL_WORDS` … in place; patterns are rebuilt on the next call.

>>> [(q.quote, q.value, q.unit, q.qualifier) for q in extract("居民5000余人，面积约0.17平方公里")]
[('5000余人', 5000, '人', 'at_least'), ('约0.17平方公里', 0.17, '平方公里', 'approx')]
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, overload

import cn2an

__all__ = [
    "FREQUENCY_UNITS",
    "INDEFINITE_BEFORE",
    "LEVEL_NOUNS",
    "LEXICAL_WORDS",
    "MEASURE_WORDS",
    "NAME_NOUN_SUFFIXES",
    "NAME_SUFFIXES",
    "REASONS",
    "SET_PHRASES",
    "SHARE_UNITS",
    "TIME_UNITS",
    "UNIT_BLOCKERS",
    "WEAK_UNITS",
    "Exclusion",
    "Quantity",
    "extract",
    "parse_numeral",
]

# --------------------------------------------------------------------------- vocabulary

# fmt: off
#: Measure words (量词 and units). Order does not matter: longest match wins.
MEASURE_WORDS: list[str] = [
    # people and households
    "人次", "人", "户次", "户", "名", "位", "口",
    # things
    "个", "家", "所", "座", "栋", "幢", "处", "块", "面", "支", "件次", "件", "起", "项", "条",
    "间", "辆", "台", "套", "张", "本", "份", "棵", "株", "盏", "颗", "门", "种", "类", "篇",
    "册", "部", "架", "艘", "根", "幅", "首", "封", "箱", "袋", "桶", "包", "床",
    # events and groups
    "场次", "场", "次", "批次", "批", "期", "届", "轮", "组", "队", "栏", "节", "堂", "趟", "遍",
    "倍",
    # money
    "元", "千元", "万元", "亿元",
    # area, length, weight, volume
    "平方公里", "平方千米", "平方米", "平米", "立方米", "公顷", "亩", "公里", "千米", "米", "厘米",
    "吨", "公斤", "千克", "斤", "升",
    # time spans and age
    "小时", "分钟", "秒", "天", "周", "个月", "个多月", "个半月", "个工作日", "工作日", "个星期",
    "年", "岁", "周岁",
    # shares and differences of shares
    "%", "‰", "成", "个百分点", "百分点",
]

#: Characters that, right after a measure word, make it part of an ordinary word (家庭, 人口,
#: 项目, 支部, 年龄 …): the number then has no measure word. Keyed by measure word.
UNIT_BLOCKERS: dict[str, str] = {
    "人": "口员民才士均大心气工类生身格文事", "户": "口籍外型主", "名": "单称义额字片誉牌",
    "个": "性别", "家": "庭长属园乡里中门务政风境", "所": "以有在属谓需", "处": "理置长于在",
    "面": "积貌对向临", "支": "部委持援撑出书", "起": "来点步草", "项": "目", "条": "件例款幅",
    "间": "隔断", "台": "账阶风词", "座": "谈位右", "套": "餐", "本": "地人身领届科土",
    "份": "额子", "张": "贴", "门": "口户前牌诊岗", "种": "植类子", "类": "似型别",
    "部": "门署分长", "次": "数日要序", "场": "所地景馆合", "期": "间待望刊限满盼", "届": "时",
    "批": "准评复示", "轮": "流值换", "组": "织长建成合员", "队": "伍员长列", "栏": "目杆",
    "节": "日约点能", "倍": "增", "元": "素旦宵化", "天": "然气地下", "周": "年边末围",
    "年": "级度代龄轻底初末华会终", "岁": "月", "栋": "长", "位": "置于列数",
    "成": "员立为果功本熟长", "楼": "栋道宇房层", "口": "号径岸子",
}

#: Measure words that count only right after 带/包/联/管 (十个党员带一楼); elsewhere 三楼 is a
#: floor (an address).
WEAK_UNITS: list[str] = ["楼"]

#: Units that are spans of time: no noun is attached, and 近 before them is not a qualifier.
TIME_UNITS: frozenset[str] = frozenset(
    {"小时", "分钟", "秒", "天", "周", "个月", "个多月", "个半月", "个工作日", "工作日", "个星期",
     "年"}
)
#: Units counting occurrences: no noun is attached.
FREQUENCY_UNITS: frozenset[str] = frozenset(
    {"次", "人次", "户次", "件次", "场次", "批次", "倍", "轮", "遍", "趟"}
)
#: Units whose quantities are shares (qualifier ``share``).
SHARE_UNITS: frozenset[str] = frozenset({"%", "‰", "成"})

#: Nouns after ``N级`` that make it a count of the levels of a structure (三级架构).
LEVEL_NOUNS: list[str] = ["架构", "体系", "网络", "联动", "网格", "链条", "平台", "阵地", "书记"]

#: Words that make a quoted phrase right before them a name (“三带三建三融合”工作模式).
NAME_SUFFIXES: list[str] = [
    "工作法", "工作模式", "工作机制", "工作方法", "工作体系", "服务模式", "治理模式", "法", "机制",
    "模式", "体系", "平台", "品牌", "理念", "工程", "行动", "标准", "服务", "活动", "制度", "战略",
    "格局", "思路", "策略", "方针", "原则", "精神", "举措", "措施", "做法", "经验", "计划", "规划",
    "战法", "口诀", "清单",
]
#: Endings of the noun after a *Chinese* ``N+measure word`` that make the phrase a name
#: (三种服务模式, 四步工作法); with Arabic numerals (3个调解平台) it stays a count.
NAME_NOUN_SUFFIXES: list[str] = ["工作法", "战法", "口诀", "机制", "模式", "体系"]

#: Set phrases and slogans with numerals (regular-expression fragments): reason ``name``.
SET_PHRASES: list[str] = [
    "四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "五位一体", "四位一体", "两学一做",
    "三会一课", "四议两公开", "八项规定", "两新组织", "两代表一委员", "两委", "一人带全家",
    "一个支部就是一个堡垒", "三重一大", "一岗双责", "十四五", "一带一路", "一国两制",
    "两个一百年", "三严三实", "三个代表", "两个务必", "最多跑一次", "一网通办", "一网统管",
    "一站式", "一门式", "一对一", "一件事一次办", "三务公开", "三供一业", "一老一小", "五社联动",
    "三社联动", "千条线", "一根针", "一刻钟[^，。；、”\\n]{0,6}?圈",
    "[0-9]+分钟[^，。；、”\\n]{0,6}?圈",
    "[0-9]+[+＋][0-9]+",
]

#: Ordinary words with numeral characters (regular-expression fragments): not numbers at all,
#: so not reported. ``(?<=x)`` limits a word to a context (之一, but not 三分之一).
LEXICAL_WORDS: list[str] = [
    "统一", "唯一", "万一", "单一", "专一", "逐一", "同一", "某一", "每一", "任一", "另一", "这一",
    "那一", "哪一", "(?<=[^分]之)一", "一一", "如一", "不一", "划一", "合一", "归一",
    "一起(?!案|事故|事件|纠纷|矛盾|火灾|交通|诈骗|盗窃|刑事|治安|警情)", "一批(?!次)", "一次性",
    "进一步", "下一步", "一系列", "一大批",
    "再一次", "又一次", "一家人", "一家亲", "一家之", "一条龙", "一条心", "一门心思", "一块儿",
    "一份力", "一份子", "一场空", "一本正经", "一张蓝图", "一年四季", "一天到晚", "一年一度",
    "一五一十", "一心一意", "一模一样", "一举两得", "一干二净", "一清二楚", "一口气", "一把手",
    "一肩挑", "一成不变", "一个不漏", "一个不少", "一个都不能少", "一次又一次", "独一无二",
    "举一反三", "万无一失", "九死一生", "九牛一毛", "三心二意", "三番五次", "三天两头", "三三两两",
    "三五成群", "四面八方", "四处", "四周(?![年内后来以])", "四邻", "五湖四海", "五花八门",
    "五颜六色", "七上八下", "七嘴八舌", "十全十美", "十分(?!钟)", "十足", "万分", "百分之百",
    "百分百", "千方百计", "千家万户", "千千万万", "成千上万", "成百上千", "千万", "万众",
    "万家灯火", "老百姓", "百姓", "两全其美", "零距离", "零容忍", "二维码", "二手",
]

#: Words after which ``一`` + measure word is an indefinite article (形成一支队伍, 有一处).
INDEFINITE_BEFORE: tuple[str, ...] = (
    "是", "有", "形成", "成为", "作为", "营造", "传递", "具有", "起到", "有着", "构筑", "像",
    "即",
)

#: Measure words of kinds: ``一`` before them is "a kind of" (一类问题, 一种正能量), not a count.
GENERIC_UNITS: frozenset[str] = frozenset({"类", "种", "样"})

#: Words that make a sentence describe a symbol or logo (标识寓意：两颗心图案，代表…); numbers in
#: such a sentence are part of the picture, not measurements. ``代表`` counts only as the verb
#: that opens a clause (，代表了…), not as the noun (居民代表5名, ，代表5名).
SYMBOL_WORDS: list[str] = [
    "寓意", "象征", "图案", "徽标", "图标", "logo", "LOGO", "Logo",
    "(?:^|(?<=[，：:；]))代表(?:了|着)?(?![0-9]|[一二两三四五六七八九十百]+[名人位个])",
]

#: Reasons used for :class:`Exclusion`.
REASONS: frozenset[str] = frozenset({
    "date", "year", "time", "duration_clock", "address", "postal_code", "phone",
    "document_number", "citation", "list_marker", "ordinal", "name", "title", "indefinite",
    "vague", "no_unit", "unparsed", "idiom",
})

_PRE_QUALIFIERS: dict[str, str] = {
    "约为": "approx", "约有": "approx", "约": "approx", "大约": "approx", "大概": "approx",
    "近乎": "approx", "将近": "approx", "接近": "approx", "近": "approx", "上": "approx",
    "超过": "at_least", "超": "at_least", "逾": "at_least", "不少于": "at_least",
    "不低于": "at_least", "至少": "at_least", "最少": "at_least", "多于": "at_least",
    "高于": "at_least", "突破": "at_least",
    "不到": "at_most", "不足": "at_most", "不超过": "at_most", "不多于": "at_most",
    "至多": "at_most", "最多": "at_most", "少于": "at_most", "低于": "at_most",
}
_MID_QUALIFIERS: dict[str, str] = {
    "余": "at_least", "多": "at_least", "来": "approx", "几": "at_least",
}
_UNIT_VARIANTS: dict[str, tuple[str, str | None]] = {  # 三个多月 → 3 个月 at_least
    "个多月": ("个月", "at_least"), "个半月": ("个月", None),
}
_POST_QUALIFIERS: dict[str, str] = {
    "左右": "approx", "上下": "approx", "以上": "at_least", "开外": "at_least",
    "有余": "at_least", "多": "at_least",
    "以下": "at_most", "以内": "at_most", "之内": "at_most", "内": "at_most",
}
# fmt: on

Qualifier = Literal["exact", "approx", "at_least", "at_most", "share"]

# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Quantity:
    """A measurement: ``text[start:end] == quote`` always.

    ``value``/``value_max`` are numbers (``value_max`` only for ranges), ``unit`` the measure
    word as written (but ``%`` for 百分之…, ``万元`` for 1000余万元, ``个月`` for 三个多月),
    ``qualifier`` one of exact/approx/at_least/at_most/share, ``bound`` the approx/at_least/
    at_most written with a share, ``noun`` the counted noun when adjacent, ``numeral`` the
    first number as written.
    """

    value: int | float
    value_max: int | float | None
    unit: str
    qualifier: Qualifier
    noun: str | None
    quote: str
    start: int
    end: int
    numeral: str
    bound: str | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A number that is not a measurement; ``reason`` is one of :data:`REASONS`."""

    text: str
    reason: str
    start: int
    end: int


# --------------------------------------------------------------------------- numerals

_CNDIG = "〇零一二两三四五六七八九"
_CN = _CNDIG + "十百千万亿"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_NUM_AR = (
    r"(?<![0-9.A-Za-z])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
    r"(?:[百千万亿]+(?:[0-9]+[百千]?)?)?(?![0-9])"
)
_NUM_CN = rf"[{_CN}]+(?:点[〇零一二三四五六七八九]+)?"
_NUM = rf"(?:{_NUM_AR}|{_NUM_CN})"
_AR_ONLY = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_PAIR = re.compile(
    r"(?P<head>.*十)?(?P<a>[一二两三四五六七八])(?P<b>[二两三四五六七八九])(?P<mul>[十百千万亿]?)"
)
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}


def _tidy(value: float) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


@lru_cache(maxsize=8192)
def _parse(numeral: str) -> tuple[int | float, int | float | None] | None:
    """``(value, value_max)`` of a numeral, ``value_max`` for ``三四``-style pairs; or None."""
    text = numeral.replace(",", "").replace(" ", "")
    if not text or len(text) > 24:
        return None
    if _AR_ONLY.fullmatch(text):
        return _tidy(float(text)), None
    pair = _PAIR.fullmatch(text)
    if pair:
        a, b = _DIGIT_VALUE[pair["a"]], _DIGIT_VALUE[pair["b"]]
        if 0 < b - a <= 2:
            head = _parse(pair["head"]) if pair["head"] else (0, None)
            scale = _parse("一" + pair["mul"]) if pair["mul"] else (1, None)
            if head is None or scale is None:
                return None
            return _tidy((head[0] + a) * scale[0]), _tidy((head[0] + b) * scale[0])
    if text[0] in "百千万亿":
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "smart")
    except Exception:  # cn2an raises ValueError and friends on malformed numerals
        return None
    if not isinstance(value, int | float) or value != value:
        return None
    return _tidy(value), None


def parse_numeral(numeral: str) -> int | float | None:
    """Value of an Arabic, Chinese or mixed numeral via cn2an (lower end of ``三四``); or None.

    >>> [parse_numeral(s) for s in ["896", "十五", "两", "1万", "2.3万", "一百二十", "三四", "x"]]
    [896, 15, 2, 10000, 23000, 120, 3, None]
    """
    parsed = _parse(numeral)
    return None if parsed is None else parsed[0]


# --------------------------------------------------------------------------- patterns


def _alt(words: list[str] | tuple[str, ...], escape: bool = True) -> str:
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)


def _numeral_first(fragment: str) -> str:
    """Rewrite a word so that its match starts at its first numeral: 统一 → (?<=统)一."""
    index = next((i for i, char in enumerate(fragment) if char in _CN or char.isdigit()), 0)
    prefix = fragment[:index]
    if not prefix or not all("\u4e00" <= char <= "\u9fff" for char in prefix):
        return fragment
    return f"(?<={prefix}){fragment[index:]}"


def _first_chars(fragment: str) -> set[str]:
    """Characters a fragment can start with; {""} when unknown (no gate is then used)."""
    if fragment.startswith("(?<="):
        fragment = fragment[fragment.index(")") + 1 :]
    if fragment.startswith("[0-9]"):
        return set("0123456789")
    if fragment.startswith("[") and "]" in fragment:
        chars = fragment[1 : fragment.index("]")]
        return set(chars) if chars.isalnum() else {""}
    return {fragment[:1]} if fragment[:1] not in "(\\.^$|" else {""}


def _units_pattern(units: list[str], blockers: dict[str, str]) -> str:
    parts = []
    for unit in sorted(set(units), key=len, reverse=True):
        block = blockers.get(unit[-1] if len(unit) == 1 else unit, "")
        parts.append(re.escape(unit) + (f"(?![{re.escape(block)}])" if block else ""))
    return "(?:" + "|".join(parts) + ")"


class _Patterns:
    """All regular expressions, compiled from the module vocabulary."""

    def __init__(self) -> None:
        units = _units_pattern(MEASURE_WORDS, UNIT_BLOCKERS)
        weak = _units_pattern(WEAK_UNITS, UNIT_BLOCKERS)
        self.units = set(MEASURE_WORDS)
        cn, num, han = _CN, _NUM, _HAN
        sp = r"[ \t]*"
        day = r"(?:[12][0-9]|3[01]|0?[1-9])"
        month = r"(?:1[0-2]|0?[1-9])"
        year = r"(?:1[5-9]|20)[0-9]{2}"
        dash = r"[-—–~～至到]"
        clock = r"(?:[01]?[0-9]|2[0-4])[:：][0-5][0-9](?:[:：][0-5][0-9])?"
        cnsmall = r"[一二三四五六七八九十]{1,3}"
        daytime = r"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|早晨|晚|早)"
        after_daytime = r"(?:(?<=上午|下午|晚上|早上|凌晨|中午|傍晚|早晨)|(?<=[早晚]))"
        after_phone = "|".join(
            f"(?<={word}{colon})"
            for word in ("电话", "热线", "手机", "拨打", "联系方式", "TEL", "Tel", "tel")
            for colon in ("", ":", "：", " ")
        )
        hour = (
            rf"(?:[0-9]{{1,2}}|{cnsmall}){sp}[点时](?:{sp}(?:[0-9]{{1,2}}|{cnsmall})分|半|整|钟)?"
        )
        opening, closing = '“「‘"', '”」’"'
        quoted_body = r"[^“”「」‘’\"\n]"
        nonnum_mid = rf"(?:(?![{cn}到至或和与及比年月周天日时分秒、])[{han}])"
        nonnum = rf"(?:(?![{cn}])[{han}])"
        name_suffix = _alt(NAME_SUFFIXES)
        # a quote holds a number: a digit, a numeral other than 一, 一 + measure word, 一…一
        quoted_number = (
            rf"(?=[^”」’\"\n]{{0,40}}?(?:[0-9二两三四五六七八九十百千万亿〇零]|一{sp}{units}"
            rf"|一[^”」’\"\n]{{0,2}}一))"
        )
        rules: list[tuple[str, str, str]] = [  # (reason, first characters, pattern)
            ("lex", "*lex", _alt([_numeral_first(w) for w in LEXICAL_WORDS], escape=False)),
            ("name", "一", rf"一{units}[^，。；！？\n]{{1,8}}?就是一{units}[{han}]{{0,4}}"),
            # one X … one kind of Y (一个诉求解决一类问题): a formula, not two counts
            ("idiom", "一", rf"(?<![{cn}])一{units}[{han}]{{1,6}}?一(?:类|种)"),
            ("name", "*set", _alt(SET_PHRASES, escape=False)),
            (
                "title",
                "《",
                rf"《(?=[^《》\n]{{0,60}}?(?:[0-9]|[{cn}]{sp}{units}))[^《》\n]{{1,60}}》",
            ),
            (
                "name",
                "*q",
                rf"[{opening}]{quoted_number}{quoted_body}{{1,40}}[{closing}]"
                rf"(?:{name_suffix})",
            ),
            (
                "name",
                "*q",
                rf"[{opening}](?={quoted_body}{{1,6}}[{closing}]){quoted_number}"
                rf"{quoted_body}{{1,6}}[{closing}]",
            ),
            (
                "name",
                "一",
                rf"(?<![{cn}])[{cn}]{{1,2}}{nonnum_mid}{{1,3}}(?:[{cn}]{{1,2}}{nonnum}{{0,3}})+",
            ),
            (
                "name",
                "0*L",
                r"(?<![0-9A-Za-z])[0-9]+[ \t]*[+＋][ \t]*[A-Za-z0-9]+|[A-Za-z]+[+＋][0-9]+",
            ),
            ("name", "0*L", r"(?<![0-9.])(?:[A-Za-z]+[0-9]+[A-Za-z0-9]*|[0-9]+[A-Za-z]+)"),
            ("name", "0", r"(?<![0-9.])[0-9]{2}后(?![0-9])"),
            (
                "postal_code",
                "0",
                r"(?:(?<=邮编)|(?<=邮编[:：])|(?<=邮政编码)|(?<=邮政编码[:：]))"
                r"[0-9]{6}(?![0-9])",
            ),
            (
                "phone",
                "0",
                rf"(?:{after_phone})[0-9][0-9\- ]{{2,}}[0-9]",
            ),
            ("phone", "0", r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])"),
            ("phone", "0", r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"),
            (
                "phone",
                "0",
                rf"(?<![0-9.])(?:[0-9]{{7,}}|123[0-9]{{2}})(?![0-9.])(?!{sp}[余多]?{sp}{units})",
            ),
            (
                "phone",
                "0",
                rf"(?<![0-9.])(?:110|119|120|122|96[0-9]{{3,4}})(?![0-9])"
                rf"(?={sp}(?:热线|电话|报警|急救|指挥|平台|接警|服务台))",
            ),
            (
                "document_number",
                "〔[［【(（",
                rf"[〔\[［【(（][0-9]{{4}}[〕\]］】)）]{sp}(?:第{sp})?[0-9]+{sp}号",
            ),
            ("document_number", "0一", rf"(?:[0-9]+|[{cn}]+){sp}号(?=文)"),
            ("document_number", "第", rf"第{sp}[0-9]+{sp}页"),
            ("citation", "[［", r"[\[［][0-9]+(?:[-–,，、][0-9]+)*[\]］]"),
            (
                "citation",
                "图表附注",
                rf"(?:图|表|附件|注){sp}[0-9]+(?:[-.][0-9]+)?(?!{sp}[0-9]*{units})",
            ),
            ("date", "0", rf"(?<![0-9.]){year}[-/.]{month}[-/.]{day}(?![0-9])[日号]?"),
            (
                "date",
                "0",
                rf"(?<![0-9.]){year}{sp}年{sp}{month}{sp}月(?:{sp}{day}{sp}[日号])?"
                rf"(?:{sp}{dash}{sp}(?:{year}{sp}年)?{sp}{month}{sp}月(?:{sp}{day}{sp}[日号])?)?",
            ),
            ("date", "一", r"[〇零一二三四五六七八九]{4}年(?:十[一二]?|[一二三四五六七八九])月"),
            (
                "year",
                "0",
                rf"(?<![0-9.]){year}{sp}(?:年{sp})?{dash}{sp}{year}{sp}年?(?:度|代|底|初|末|中|间)?",
            ),
            ("year", "0", rf"(?<![0-9.]){year}{sp}年(?:度|代|底|初|末|中|间)?"),
            ("year", "0", rf"(?<![0-9.])(?:{year}|[0-9]0)年代"),
            ("year", "0一", rf"(?<![0-9.])(?:[0-9]{{1,2}}|{cnsmall}){sp}世纪(?:[0-9]0年代)?"),
            ("year", "一", r"[〇零一二三四五六七八九]{4}年(?:度|代|底|初|末)?"),
            (
                "date",
                "0",
                rf"(?<![0-9.]){month}{sp}月(?:{sp}{day}{sp}[日号])?份?"
                rf"(?:{sp}{dash}{sp}(?:{month}{sp}月)?{sp}{day}?{sp}[日号]?)?",
            ),
            (
                "date",
                "一",
                r"(?<![一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])月"
                r"(?:(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?",
            ),
            ("date", "0", rf"(?<![0-9.]){day}{sp}日(?!常|益|子|用|夜|报|前|后)"),
            (
                "date",
                "0一",
                rf"(?<=月)(?:{day}|(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])){sp}[日号]",
            ),
            ("date", "周星礼", r"(?:周|星期|礼拜)[一二三四五六日天](?![次个回遍场])"),
            ("duration_clock", "0", rf"(?<![0-9]){clock}{sp}{dash}{sp}{clock}"),
            ("duration_clock", "0一", rf"{after_daytime}{hour}{sp}{dash}{sp}{daytime}?{sp}{hour}"),
            ("duration_clock", "0", rf"[0-9]+{sp}天?{sp}[×xX*]{sp}24{sp}小时"),
            ("time", "0", rf"(?<![0-9.]){clock}(?![0-9])"),
            ("time", "0一", rf"{after_daytime}{hour}"),
            (
                "time",
                "0",
                rf"(?<![0-9.])[0-9]{{1,2}}{sp}(?:[点时]{sp}(?:[0-9]{{1,2}}分|半|整|钟)|时)",
            ),
            ("address", "0", r"(?<![0-9])[0-9]+-[0-9]+-[0-9]+(?![0-9])"),
            (
                "address",
                "0一",
                rf"(?:[{cn}0-9]+{sp}[里区街巷弄期排]{sp})?(?:[0-9]+|[{cn}]+){sp}号"
                rf"(?:楼|院|门|线|地块)?"
                rf"(?:{sp}(?:[0-9]+|[{cn}]+){sp}(?:号楼|号院|号|栋|幢|单元|层|室|楼))*",
            ),
            (
                "address",
                "0",
                rf"(?<![0-9.])[0-9]+{sp}(?:栋|幢|号楼){sp}[0-9]+{sp}(?:单元|层|室|号)?",
            ),
            ("address", "0", rf"(?<![0-9.])[0-9]+{sp}(?:单元|室|层|弄)(?![0-9])"),
            ("address", "0", rf"(?<![0-9.])[0-9]+{sp}楼(?![栋道宇房层])"),
            ("address", "一", rf"(?<![带包联管{cn}])[{cn}]+楼(?![栋道宇房层])"),
            ("list_marker", "0一 ", rf"^[ \t]*(?:[0-9]{{1,2}}|{cnsmall}){sp}[、.．](?![0-9])"),
            ("list_marker", "0 ", r"^[ \t]*[0-9]{1,2}[ \t]*$"),
            ("list_marker", "（(", rf"[（(]{sp}(?:[0-9]{{1,2}}|{cnsmall}){sp}[)）]"),
            ("list_marker", "一", rf"(?<![{cn}尤极]){cnsmall}是"),
            ("list_marker", "其", r"(?<![尤极])其[一二三四五六七八九十]"),
            (
                "list_marker",
                "第",
                rf"(?<![^\n。；！？ \t])第{sp}(?:[0-9]{{1,2}}|[{cn}]{{1,3}}){sp}"
                rf"(?:步|条|点|部分|章|节|篇|项|是)?(?={sp}[，,、：:．.])",
            ),
            ("ordinal", "第", rf"第{sp}(?:[0-9]+|[{cn}]+)(?:{sp}{units})?"),
            (
                "ordinal",
                "0一",
                rf"(?:[0-9]+|[{cn}]+){sp}(?:周年|等(?=奖|功|级)|星级|星(?!星)|年级|"
                rf"届(?=中央|[{cn}]中全会|全会|全国|人大|党代会|委员会)|期(?=工程|项目|小区|改造))",
            ),
            ("vague", "几数", rf"[几数]{sp}[十百千万]+(?:[余多])?(?:{sp}{units})?"),
        ]
        self.reasons: dict[str, str] = {}
        self.exclusions = re.compile(self._dispatch(rules), re.M)

        special = {  # 上千人, but not 线上万人; 近百户, but not 附近3个; 约300人, but not 签约3户
            "上": "(?<![线网以])上(?=[百千万])",
            "近": "(?<![附就最临邻亲远])近",
            "约": "(?<![预签契履制节条公相邀])约",
        }
        pre = "|".join(
            special.get(word, re.escape(word))
            for word in sorted(_PRE_QUALIFIERS, key=len, reverse=True)
        )
        mid = r"(?:[余多来几][万亿]?)"
        post = _alt([w for w in _POST_QUALIFIERS if w != "多"]).replace("上下", "上下(?![班楼车])")
        post += r"|多(?=[，。；、：！？）)”\n]|$)"  # 一年多。
        sep = r"(?:至|到|~|～|-|－|—|–)"
        level = _alt(LEVEL_NOUNS)
        gate = "".join(sorted(set(_CN + "0123456789" + "".join(w[0] for w in _PRE_QUALIFIERS))))
        self.quantities = re.compile(
            rf"(?=[{gate}])(?:(?:(?P<pre>{pre}){sp})?"
            rf"(?:(?P<pct>百分之)(?P<pn>{num})(?:{sp}(?P<psep>{sep}){sp}(?:百分之)?(?P<pn2>{num}))?"
            rf"|(?P<fd>{num})分之(?P<fn>{num})"
            rf"|(?P<n1>{num}){sp}(?:(?P<m1>{mid}){sp})?"
            rf"(?:(?P<u1>{units})(?!(?P=u1))"
            rf"(?:{sp}{sep}{sp}(?P<n2>{num}){sp}(?:(?P<m2>{mid}){sp})?(?P=u1))?"
            rf"|{sep}{sp}(?P<n2b>{num}){sp}(?:(?P<m2b>{mid}){sp})?(?P<u2>{units})(?!(?P=u2))))"
            rf"(?:{sp}(?P<post>{post}))?"
            rf"|(?P<ln>{num})(?P<lu>级)(?=[{han}]{{0,4}}?(?:{level}))"
            rf"|(?<=[带包联管])(?P<wn>{num})(?P<wu>{weak})"
            ")"
        )
        self.level_noun = re.compile(rf"[{han}]{{0,4}}?(?:{level})")
        self.leftover = re.compile(rf"(?=[0-9{cn}])(?:(?P<ar>{_NUM_AR})|(?P<cn>{_NUM_CN}))")
        self.name_tail = re.compile(rf"{nonnum}{{0,6}}?(?:{name_suffix})|{nonnum}")
        self.name_noun_suffixes = tuple(NAME_NOUN_SUFFIXES)
        self.symbol = re.compile("|".join(SYMBOL_WORDS)) if SYMBOL_WORDS else None

    def _dispatch(self, rules: list[tuple[str, str, str]]) -> str:
        """One pattern that tries, at each position, only the rules that can start there.

        A rule's first characters: ``0`` a digit, ``一`` a numeral, a space an indented line,
        ``*q`` a quotation mark, ``*L`` a letter, ``*lex``/``*set`` the first characters of
        :data:`LEXICAL_WORDS`/:data:`SET_PHRASES`, anything else itself. Digit and numeral rules
        start at the first character of a run. Within a group the order of the rules is kept,
        so the first listed rule wins at a position.
        """
        groups: dict[str, list[str]] = {"digit": [], "numeral": [], "indent": [], "other": []}
        others: set[str] = set()
        for index, (reason, starts, pattern) in enumerate(rules):
            chars = set()
            for token, expansion in (("*q", '“「‘"'), ("*L", string.ascii_letters)):
                if token in starts:
                    starts = starts.replace(token, "")
                    chars |= set(expansion)
            for token, words in (("*lex", LEXICAL_WORDS), ("*set", SET_PHRASES)):
                if token in starts:
                    starts = starts.replace(token, "")
                    for word in words:
                        first = _first_chars(_numeral_first(word))
                        chars |= first if "" not in first else {"0", "一", ""}
            chars |= set(starts)
            for group, members in (("digit", "0123456789"), ("numeral", _CN), ("indent", " ")):
                if chars & set(members):
                    self.reasons[f"{group}{index}"] = reason
                    groups[group].append(f"(?P<{group}{index}>{pattern})")
            rest = chars - set("0123456789 " + _CN)
            if rest:
                others |= rest
                self.reasons[f"other{index}"] = reason
                groups["other"].append(f"(?P<other{index}>{pattern})")
        escaped = re.escape("".join(sorted(others - {""})))
        guard = {
            "digit": "(?<![0-9])(?=[0-9])",
            "numeral": f"(?<![{_CN}])(?=[{_CN}])",
            "indent": r"(?<![^\n])(?=[ \t])",
            "other": "" if "" in others else f"(?=[{escaped}])",  # unknown first characters
        }
        return "|".join(f"{guard[g]}(?:{'|'.join(b)})" for g, b in groups.items() if b)


_FUNCTION_WORDS = (
    r"以及|其中|不等|以上|以下|以内|之内|左右|(?<![行作认成因])为|有(?![限机效序关])|和(?![谐睦平])|及(?!时)|等(?!级)|"
    r"就(?![业医近餐读])|共(?![产建治享])|各(?![类种项级界方])|带(?![头领动])|(?<![结面派配针绝应相])对|"
    r"在(?![职岗册校读编])|"
    r"[的了着与或被由让使把将向从给跟是均都也已并而但以于到至内每又再还才即这那该"
    rf"{_CN}]"
)
_BEFORE_ONLY_STOPS = (
    r"今年|去年|全年|当年|本年|上半年|下半年|近年来|年内|目前|现在|当前|如今|前(?![沿期])|"
)
_STOP = (
    r"进行|开展|参与|参加|组成|成立|组建|担任|负责|坚持|积极|主动|共同|分别|全部|发挥|提供|"
    r"实现|召开|举办|通过|获得|位于|覆盖|帮助|解决|完成|协助|配合|落实|建立|深入|定期|持续|"
    r"累计|合计|总计|共计|达到|超过|不足|左右|以上|以下|以内|之内|闪烁|入户|走访|慰问|巡查|值守|"
    r"上门|签约|签订|签署|报到|增加|增长|减少|下降|提高|提升|上升|降低|扩大|" + _FUNCTION_WORDS
)
_BEFORE_STOP_RE = re.compile(_BEFORE_ONLY_STOPS + _FUNCTION_WORDS)
_LEADING_VERBS_RE = re.compile(
    r"^(?:吸纳|配备|配齐|选配|发放|张贴|投入|改造|建成|新建|改建|扩建|组织|化解|调解|投资|"
    r"接待|走访|慰问|帮扶|救助|培养|培训|培育|发展|招募|动员|发动|覆盖|惠及|收集|征集|"
    r"受理|办理|解决|开展|举办|召开|设立|成立|组建|建立|建设|设置|增设|增加|新增|累计|现有|"
    r"拥有|提高|提升|减少|下降|达到|涉及|打造|搭建|安装|铺设|种植|补种|吸引|带动|联系|包联|"
    r"结对|帮助|完成|实现|较去年|同比|连续|先后|分别|已经|已|均|再|又|还|入户|走访|签约|评选出|"
    r"评出|选出|"
    r"各类|各种|各项|各级|签订|认领|引进|加装|带领|聘请|选派|评选|表彰|整合)"
)
_STOP_RE = re.compile(_STOP)
_NOUN_AFTER_RE = re.compile(rf"[ \t]*((?:[{_HAN}]|[“「][^”」\n]{{1,12}}[”」])+)")
_RUN_BEFORE_RE = re.compile(rf"(?:[{_HAN}]|[“「][^”」\n]{{1,12}}[”」])+$")
_CONNECTOR_END_RE = re.compile(r"(?:共有|共计|合计|总计|累计|共|计|达到|达|有|为|是)$")
_VERB_END = set("建造设增办访助解放展举养购配聘募捐修装扶纳盖训待慰问")
_PUNCT_OR_END = set("，。；：、！？,;:.!?）)”」\n")
_NOUN_MAX = 10
_NOUN_BEFORE_MAX = 8
_PLACE_RE = re.compile(r"社区|街道|小区|[村镇乡县市区]")
_PLACE_END_RE = re.compile(r"(?:社区|街道|小区|[村镇乡县市区])$")
_TOWN_RE = re.compile(r"社区|街道")
_NO_NOUN = TIME_UNITS | SHARE_UNITS | {"个百分点", "百分点"}
_NO_NOUN_BEFORE = TIME_UNITS | FREQUENCY_UNITS | {"个百分点", "百分点"}
_FIRST_DIGIT = re.compile(r"[0-9]")

_CACHE: dict[str, object] = {}


def _config_key() -> tuple[object, ...]:
    return (
        tuple(MEASURE_WORDS),
        tuple(sorted(UNIT_BLOCKERS.items())),
        tuple(WEAK_UNITS),
        tuple(LEVEL_NOUNS),
        tuple(NAME_SUFFIXES),
        tuple(NAME_NOUN_SUFFIXES),
        tuple(SET_PHRASES),
        tuple(LEXICAL_WORDS),
        tuple(SYMBOL_WORDS),
    )


def _patterns() -> _Patterns:
    key = _config_key()
    if _CACHE.get("key") != key:
        _CACHE["patterns"] = _Patterns()
        _CACHE["key"] = key
    return _CACHE["patterns"]  # type: ignore[return-value]


_patterns()

# --------------------------------------------------------------------------- helpers


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            start = last
        if end <= start:
            continue
        pieces.append(text[last:start])
        pieces.append("\x00" * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _noun_after(text: str, end: int) -> tuple[str, int] | None:
    """The noun right after a measure word (cut at the first stop word) and its end."""
    match = _NOUN_AFTER_RE.match(text, end, end + 40)
    if not match:
        return None
    run = match.group(1)
    for stop in _STOP_RE.finditer(run):
        head = run[: stop.start()]
        if head.count("“") + head.count("「") <= head.count("”") + head.count("」"):
            run = head
            break
    limit = _NOUN_MAX + 4 * (run[:1] in "“「")
    return (run, match.start(1) + len(run)) if 0 < len(run) <= limit else None


def _noun_before(text: str, start: int, unit: str, units: set[str]) -> str | None:
    """The noun of a noun-first quantity (党员896人, 楼栋长38个), or None."""
    match = _RUN_BEFORE_RE.search(text, max(0, start - 24), start)
    if not match:
        return None
    run = match.group()
    if match.start() > 0 and text[match.start() - 1].isdigit():  # 2025年村集体经济收入 → 村…
        run = run.lstrip("年月日号")
    has = False  # 残疾人困难家庭有230户
    if unit in SHARE_UNITS and "占" in run:
        run = run[: run.rindex("占")]
    else:
        connector = _CONNECTOR_END_RE.search(run)
        has = connector is not None
        run = run[: connector.start()] if connector else run
    cut, after_numeral = 0, False
    for stop in _BEFORE_STOP_RE.finditer(run):
        head = run[: stop.start()]
        if head.count("“") + head.count("「") <= head.count("”") + head.count("」"):
            cut, after_numeral = stop.end(), stop.group() in _CN
    run = run[cut:]
    if after_numeral and run.startswith(tuple(units)):  # 一支100人: another quantity precedes
        return None
    if _length(run) > _NOUN_BEFORE_MAX:  # 朝阳区八里庄街道红庙社区面积 → 面积
        places = [place.end() for place in _PLACE_RE.finditer(run)]
        run = run[places[-1] :] if places and places[-1] < len(run) else run
    town = _TOWN_RE.match(run)
    if town and _LEADING_VERBS_RE.match(run[town.end() :]):  # 社区先后投入资金 → 先后投入资金
        run = run[town.end() :]
    while verb := _LEADING_VERBS_RE.match(run):  # 举办培训班 → 培训班, but 覆盖率 stays
        if len(run) - verb.end() == 1:
            break
        run = run[verb.end() :]
    if not run or _length(run) > _NOUN_BEFORE_MAX or run[-1] in _VERB_END or run in units:
        return None
    if has and _PLACE_END_RE.search(run):  # 星城街道有300户: the place, not what is counted
        return None
    return run


def _disjoint(excluded: list[Exclusion], found: list[Quantity]) -> list[Exclusion]:
    """Exclusions in text order, none overlapping another one or a quantity."""
    spans = sorted((q.start, q.end) for q in found)
    kept: list[Exclusion] = []
    last, index = 0, 0
    for item in sorted(excluded, key=lambda e: (e.start, -e.end)):
        while index < len(spans) and spans[index][1] <= item.start:
            index += 1
        if item.start < last or (index < len(spans) and spans[index][0] < item.end):
            continue
        kept.append(item)
        last = item.end
    return kept


def _length(noun: str) -> int:
    return len(noun) - sum(noun.count(q) for q in "“”「」")


def _combine(qualifiers: list[str | None]) -> str:
    found = [q for q in qualifiers if q]
    for q in found:
        if q in ("at_least", "at_most"):
            return q
    return found[0] if found else "exact"


# --------------------------------------------------------------------------- extraction


@overload
def extract(text: str, with_excluded: Literal[False] = ...) -> list[Quantity]: ...
@overload
def extract(text: str, with_excluded: Literal[True]) -> tuple[list[Quantity], list[Exclusion]]: ...


def extract(
    text: str, with_excluded: bool = False
) -> list[Quantity] | tuple[list[Quantity], list[Exclusion]]:
    """Quantities in normalised Chinese ``text``, in order; optionally also the exclusions.

    >>> [(q.value, q.unit, q.qualifier, q.noun) for q in extract("设1个党委，楼栋长38个")]
    [(1, '个', 'exact', '党委'), (38, '个', 'exact', '楼栋长')]
    >>> found, excluded = extract("2015年成立，160户至255户。", with_excluded=True)
    >>> [(q.quote, q.value, q.value_max) for q in found], [(e.text, e.reason) for e in excluded]
    ([('160户至255户', 160, 255)], [('2015年', 'year')])
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, not {type(text).__name__}")
    pats = _patterns()
    excluded: list[Exclusion] = []
    blocked: list[tuple[int, int]] = []
    for match in pats.exclusions.finditer(text):
        start, end = match.span()
        if end <= start:
            continue
        reason = pats.reasons[match.lastgroup or ""]
        blocked.append((start, end))
        if reason in ("phone", "postal_code"):  # 拨打12345 → 12345
            digit = _FIRST_DIGIT.search(text, start, end)
            start = digit.start() if digit else start
        while start < end - 1 and text[start] in " \t":  # an indented list marker
            start += 1
        if reason != "lex":
            excluded.append(Exclusion(text[start:end], reason, start, end))
    masked = _mask(text, blocked)

    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in pats.quantities.finditer(masked):
        item = _build(text, match, pats)
        if item is None:
            continue
        if isinstance(item, Quantity):
            taken.append((match.start(), match.end()))
            found.append(item)
        else:
            taken.append((min(match.start(), item.start), max(match.end(), item.end)))
            excluded.append(item)

    if pats.symbol is not None and found:
        found, symbolic = _symbolic(text, found, pats.symbol)
        excluded.extend(symbolic)

    if with_excluded:
        masked = _mask(masked, taken)
        for match in pats.leftover.finditer(masked):
            start, end = match.span()
            if match.lastgroup == "ar":
                excluded.append(Exclusion(text[start:end], "no_unit", start, end))
                continue
            numeral = match.group()
            if len(numeral) == 1 and numeral in "一零〇十百千万亿":
                continue
            tail = pats.name_tail.match(masked, end)
            if tail:
                end = tail.end()
            excluded.append(Exclusion(text[start:end], "name", start, end))
        return found, _disjoint(excluded, found)
    return found


def _symbolic(
    text: str, found: list[Quantity], symbol: re.Pattern[str]
) -> tuple[list[Quantity], list[Exclusion]]:
    """Split off the quantities of sentences that describe a symbol (两颗心图案，代表…)."""
    kept: list[Quantity] = []
    moved: list[Exclusion] = []
    for q in found:
        start = max(text.rfind(c, 0, q.start) for c in "。！？\n") + 1
        ends = [i for i in (text.find(c, q.end) for c in "。！？\n") if i != -1]
        sentence = text[start : min(ends) if ends else len(text)]
        if symbol.search(sentence):
            moved.append(Exclusion(q.quote, "name", q.start, q.end))
        else:
            kept.append(q)
    return kept, moved


def _build(text: str, m: re.Match[str], pats: _Patterns) -> Quantity | Exclusion | None:
    """Turn one match of the quantity pattern into a Quantity, an Exclusion, or nothing."""
    start, end = m.span()
    quote = text[start:end]
    if m["ln"] is not None:  # N级 + structure noun
        parsed = _parse(m["ln"])
        if parsed is None or parsed[0] < 2:
            return Exclusion(quote, "ordinal", start, end)
        noun = pats.level_noun.match(text, end)
        return Quantity(
            parsed[0], parsed[1], "级", "exact", noun.group() if noun else None, quote, start,
            end, m["ln"],
        )  # fmt: skip
    if m["wn"] is not None:  # 带一楼
        parsed = _parse(m["wn"])
        if parsed is None:
            return Exclusion(quote, "unparsed", start, end)
        return Quantity(parsed[0], parsed[1], m["wu"], "exact", None, quote, start, end, m["wn"])

    pre = m["pre"]
    post = m["post"]
    if m["fd"] is not None:  # 三分之二 → 2/3
        denominator, numerator = _parse(m["fd"]), _parse(m["fn"])
        if not denominator or not numerator or not denominator[0]:
            return Exclusion(quote, "unparsed", start, end)
        value = _tidy(round(numerator[0] / denominator[0], 6))
        bound = _combine([_PRE_QUALIFIERS.get(pre or ""), _POST_QUALIFIERS.get(post or "")])
        numeral = text[m.start("fd") : m.end("fn")]
        return Quantity(
            value, None, "分之", "share", None, quote, start, end, numeral,
            None if bound == "exact" else bound,
        )  # fmt: skip
    if m["pct"] is not None:
        n1, n2, unit, mids = m["pn"], m["pn2"], "%", [None]
    else:
        n1 = m["n1"]
        n2 = m["n2"] or m["n2b"]
        unit = m["u1"] or m["u2"]
        mids = [m["m1"], m["m2"] or m["m2b"]]
    numeral = n1
    # a multiplier that is part of a listed unit: 100万元 → 100 万元, 3千米 → 3 千米
    multiplier = ""
    last = n2 or n1
    if last and last[-1] in "万亿千" and len(last) > 1 and last[-1] + unit in pats.units:
        multiplier = last[-1]
    for i, mid in enumerate(mids):
        if mid and len(mid) == 2:
            if mid[1] + unit in pats.units:
                multiplier = mid[1]
            mids[i] = mid[0]
    if multiplier:
        unit = multiplier + unit
        if n1.endswith(multiplier) and len(n1) > 1:
            n1 = n1[:-1]
        if n2 and n2.endswith(multiplier) and len(n2) > 1:
            n2 = n2[:-1]
        numeral = n1
    first = _parse(n1)
    second = _parse(n2) if n2 else None
    if first is None or (n2 and second is None):
        return Exclusion(quote, "unparsed", start, end)
    value, value_max = first
    if second is not None:
        value_max = second[1] if second[1] is not None else second[0]
    # 多万/余万 written between number and a unit that is not 万元: 2000多万人
    raw_mids = [] if m["pct"] is not None else [x for x in (m["m1"], m["m2"] or m["m2b"]) if x]
    if not multiplier and any(len(x) == 2 for x in raw_mids):
        scale = 10_000 if "万" in "".join(raw_mids) else 100_000_000
        value = _tidy(value * scale)
        value_max = _tidy(value_max * scale) if value_max is not None else None

    if value_max is not None and value_max < value:  # 5至3人 is no range
        return Exclusion(quote, "unparsed", start, end)
    num_start = m.start("pn") if m["pct"] is not None else m.start("n1")
    head = text[num_start]
    bare = n1 in ("百", "千", "万", "亿")
    if num_start > 0 and text[num_start - 1] in "几数" and n1[0] in "十百千万":
        return Exclusion(text[num_start - 1 : end], "vague", num_start - 1, end)
    if bare and not pre and not any(mids):
        return Exclusion(quote, "name", start, end)
    if n1 == "一" and text.endswith(INDEFINITE_BEFORE, max(0, start - 2), start):
        return Exclusion(quote, "indefinite", start, end)
    if n1 == "一" and unit in GENERIC_UNITS and not n2:  # 一类问题: "a kind of"
        return Exclusion(quote, "indefinite", start, end)

    qualifiers = [
        _PRE_QUALIFIERS.get(pre) if pre else None,
        *[_MID_QUALIFIERS.get(x) if x else None for x in mids],
        _POST_QUALIFIERS.get(post) if post else None,
    ]
    if unit in _UNIT_VARIANTS:  # 三个多月, 一个半月
        unit, variant = _UNIT_VARIANTS[unit]
        qualifiers.append(variant)
        if m["u1"] == "个半月" or m["u2"] == "个半月":
            value = _tidy(value + 0.5)
            value_max = _tidy(value_max + 0.5) if value_max is not None else None
    if pre == "近" and unit in TIME_UNITS:
        # 近三年 = the last three years
        start = num_start
        quote = text[start:end]
        qualifiers[0] = None
    if _PAIR.fullmatch(n1) and first[1] is not None and second is None:
        qualifiers.append("approx")
    qualifier = _combine(qualifiers)
    bound = None
    if m["pct"] is not None or unit in SHARE_UNITS:
        bound = None if qualifier == "exact" else qualifier
        qualifier = "share"

    noun = None
    if unit not in _NO_NOUN | FREQUENCY_UNITS and m["pct"] is None:
        after = _noun_after(text, end)
        if after is not None:
            noun, noun_end = after
            if (
                "\u4e00" <= head <= "\u9fff"
                and noun[:1] not in "“「"
                and any(
                    noun.endswith(suffix) and len(noun) > len(suffix)
                    for suffix in pats.name_noun_suffixes
                )
            ):
                # 三种服务模式: a Chinese N + measure word + name word is part of a name
                return Exclusion(text[start:noun_end], "name", start, noun_end)
            if (
                "\u4e00" <= head <= "\u9fff"
                and noun[:1] in "“「"
                and noun[-1:] in "”」"
                and _length(noun) == len(noun) - 2
            ):
                # 两个“关键小事”: a Chinese count of a quoted slogan names the slogan set
                return Exclusion(text[start:noun_end], "name", start, noun_end)
    if noun is None and unit not in _NO_NOUN_BEFORE:
        nxt = text[end : end + 1]
        if not nxt or nxt in _PUNCT_OR_END or _STOP_RE.match(text, end):
            noun = _noun_before(text, start, unit, pats.units)
    return Quantity(
        value, value_max, unit, qualifier, noun, quote, start, end, numeral,  # type: ignore[arg-type]
        bound,
    )  # fmt: skip

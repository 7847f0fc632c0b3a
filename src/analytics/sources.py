"""Raw source texts: read bytes, detect the encoding, check the manifest hash, normalise.

Every quote in ``data/cases/`` points into the *normalised* text of a raw file, so the raw bytes
are pinned by sha256 in ``data/raw/sources.yml`` and normalisation is deterministic and
idempotent:

>>> normalise("社區(qū)黨委,進(jìn)一步")
'社区党委，进一步'
>>> normalise(normalise("社區(qū)黨委")) == normalise("社區(qū)黨委")
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field

from analytics import paths
from analytics.errors import SourceError

ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030", "big5")

# --------------------------------------------------------------------------- decoding

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")


def _common_share(text: str) -> float:
    """Share of non-ASCII characters that are common ideographs (GB2312 level 1, simplified).

    A wrong decoding of Chinese bytes still yields characters, but rare ideographs, private-use
    code points and stray symbols; the right decoding of real prose is dominated by the 3,755
    most common characters (and CJK punctuation, which counts against neither).
    """
    simplified = _converter().convert(text)
    wide = [c for c in simplified if ord(c) > 0x7F and not ("\u3000" <= c <= "\u3002")]
    wide = [c for c in wide if c not in "，；：？！（）“”‘’《》、…—·"]
    if not wide:
        return 0.0
    common = 0
    for char in wide:
        try:
            lead = char.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= lead <= 0xD7 and len(char.encode("gb2312")) == 2
    return common / len(wide)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a Chinese web text saved as UTF-8, GB18030 or Big5; return ``(text, encoding)``.

    Strict UTF-8 wins when it decodes (it almost never does by accident). Otherwise every
    legacy encoding that decodes strictly is scored by how common its characters are.

    >>> decode_bytes("社区党委".encode("gb18030"))
    ('社区党委', 'gb18030')
    >>> decode_bytes("社區黨委".encode("big5"))
    ('社區黨委', 'big5')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, int, str, str]] = []
    for preference, encoding in enumerate(ENCODINGS[1:]):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), -preference, encoding, text))
    if not candidates:
        raise SourceError(f"{name}: cannot decode as UTF-8, GB18030 or Big5")
    _, _, encoding, text = max(candidates)  # ties go to GB18030
    return text, encoding


def read_text(path: Path | str) -> str:
    """Read and decode a raw text file (see :func:`decode_bytes`).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes("党委".encode("gb18030"))
    >>> read_text(p)
    '党委'
    """
    return decode_bytes(read_bytes(path), str(path))[0]


def read_bytes(path: Path | str, name: str | None = None) -> bytes:
    """The raw bytes of a file, or a one-line :class:`SourceError` naming it (``name``, or the
    path) when it is missing, a directory or unreadable.

    >>> read_bytes("/no/such/file.txt")
    Traceback (most recent call last):
    ...
    analytics.errors.SourceError: /no/such/file.txt: no such file
    """
    shown = str(path) if name is None else name
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{shown}: is a directory, not a text file") from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read ({exc.strerror})") from None


# --------------------------------------------------------------------------- normalising


class _Simplifier:
    """Traditional → Simplified with OpenCC, phrase-aware, idempotent, and a no-op on text
    that is already simplified.

    OpenCC's ``tw2s`` knows the Taiwan variants in these texts (爲, 羣, 著 as a particle) and
    converts 面臨著 → 面临着 while keeping 顯著 → 显著; plain ``t2s`` leaves every 著 alone.
    But ``tw2s`` alone is not idempotent: run on simplified 显著 it yields 显着, because its
    phrase table is keyed on traditional phrases. Lifting the text to traditional first
    (``s2t``) gives ``tw2s`` that context back. The lift can itself "correct" simplified text
    (慰借 → 慰藉), so a text without any traditional character is returned unchanged, and in a
    traditional text only the clauses that ``t2s`` or ``tw2s`` would change are converted.
    ``tw2sp`` is not used: it also swaps regional vocabulary (线上 → 在线).
    """

    _CLAUSE = re.compile(r"([^，。；：？！、“”‘’（）《》…—,.;:?!()\s]+)")

    def __init__(self) -> None:
        import opencc

        self._detect = opencc.OpenCC("t2s")
        self._lift = opencc.OpenCC("s2t")
        self._lower = opencc.OpenCC("tw2s")

    def _is_simplified(self, text: str) -> bool:
        # t2s catches traditional characters; tw2s also catches Taiwan usage such as 著 for 着
        return self._detect.convert(text) == text and self._lower.convert(text) == text

    def _clause(self, match: re.Match[str]) -> str:
        clause = match.group()
        if self._is_simplified(clause):
            return clause
        return self._lower.convert(self._lift.convert(clause))

    def convert(self, text: str) -> str:
        # A text without any traditional character is simplified as it stands: leave it alone
        # (a lone 著 there is 著作's 著). Otherwise convert the clauses that need it.
        if self._detect.convert(text) == text:
            return text
        return self._CLAUSE.sub(self._clause, text)


@cache
def _converter() -> _Simplifier:
    return _Simplifier()


_TONED = "āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜ"
_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüvê{_TONED}]{{1,4}}(?:ng|n|r)?"
# A pinyin syllable in (half- or full-width) parentheses, glued to the ideograph it annotates.
_RUBY_RE = re.compile(rf"(?<=[{_CJK}])[(（]\s*{_SYLLABLE}\s*[)）]")

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Full-width ASCII (letters, digits, ％ ＋ …) folds to half-width; the full-width punctuation
# of Chinese prose (，；：？！（）) is kept as it is.
_WIDTH_TABLE = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _FULL.values()
}
_WIDTH_TABLE.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0xFE50: ord(","),
        0xFE51: ord("、"),
        0xFE52: ord("."),
        0xFE54: ord(";"),
        0xFE55: ord(":"),
        0xFE56: ord("?"),
        0xFE57: ord("!"),
        0xFE59: ord("("),
        0xFE5A: ord(")"),
    }
)
_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
_CJK_CONTEXT = f"{_CJK}\u3000-\u303f\uff00-\uffef“”‘’…—"
_HALF_PUNCT_RE = re.compile(r"[,;:?!()]")
_CJK_CONTEXT_RE = re.compile(f"[{_CJK_CONTEXT}]")
_SPACE_BETWEEN_CJK_RE = re.compile(f"(?<=[{_CJK_CONTEXT}]) (?=[{_CJK_CONTEXT}])")

# Site chrome, matched against whole lines of simplified text.
_CHROME_LINE_RES = [
    re.compile(p)
    for p in (
        r"^扫码关注",
        r"扫一扫",
        r"二维码",
        r"^(分享到|分享至|点击(上方|下方|右上角|蓝字)|长按(识别|关注)|关注(我们|公众号))",
        r"^相关(文章|专题|阅读|新闻|链接|推荐)",
        r"\|\s*$",  # navigation links such as "· 第六届……征集 |"
        r"文章下载$",
        r"^(返回顶部|上一篇|下一篇|责任编辑|打印本页|关闭窗口)",
        r"^(类别|提出单位|题目|资料提供时间)：",  # the platform's record header
        # a dateline (outlet + date + optional time and source), kept in sources.yml instead
        r"^[^。，；]{0,30}?\s*\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
        r"\s*(\d{1,2}：?:?\d{2})?\s*(来源：.*)?$",
    )
]
# Login / payment / upload dialogs that some sites append after the article body.
_DIALOG_RE = re.compile(
    r"付费|购买|登录|注册|上传|凭证|跳转|返回顶部|信息已完善|只支持.*格式|状态变更"
)
_BUTTON_RE = re.compile(f"^[{_CJK}]{{1,6}}[？?]?$")


@dataclass
class Normalisation:
    """What :func:`normalise_report` did to one text."""

    text: str
    ruby_removed: list[str] = field(default_factory=list)
    chrome_removed: list[str] = field(default_factory=list)
    characters_converted: int = 0


def _to_full_width(line: str) -> str:
    def replace(match: re.Match[str]) -> str:
        i = match.start()
        before = line[i - 1] if i > 0 else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        if _CJK_CONTEXT_RE.match(before) or _CJK_CONTEXT_RE.match(after):
            return _FULL[match.group()]
        return match.group()

    return _HALF_PUNCT_RE.sub(replace, line)


def _clean_line(line: str) -> str:
    line = " ".join(line.split())
    line = _SPACE_BETWEEN_CJK_RE.sub("", line)
    # widening one mark can put its neighbour next to full-width text (?) 㐀 → ?）㐀 → ？）㐀):
    # repeat to the fixed point so that normalising twice changes nothing
    while (wider := _to_full_width(line)) != line:
        line = wider
    return _SPACE_BETWEEN_CJK_RE.sub("", line)


def _is_chrome(line: str) -> bool:
    """Site chrome is a short line that is no sentence of the article (does not end in 。)."""
    if len(line) > 40 or line.endswith("。"):
        return False
    return any(p.search(line) for p in _CHROME_LINE_RES)


def _trailing_dialog_start(lines: list[str]) -> int:
    """Index where a trailing block of dialog text starts (``len(lines)`` when none).

    The block is a run of at least three final lines, each a button label (确认, 取消, 再想想)
    or a short line naming a dialog action (login, payment, upload), at least one of the
    latter: an article that merely ends on a sentence about 购买 is left alone.
    """
    start = len(lines)
    seen_dialog = False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if len(line) <= 60 and _DIALOG_RE.search(line):
            seen_dialog = True
        elif not _BUTTON_RE.match(line):
            break
        start = i
    return start if seen_dialog and len(lines) - start >= 3 else len(lines)


def normalise_report(text: str) -> Normalisation:
    """Normalise ``text`` and report what was removed or converted.

    >>> r = normalise_report("扫码关注\\n\\n社區(qū)黨委")
    >>> r.text, r.ruby_removed, r.chrome_removed
    ('社区党委', ['(qū)'], ['扫码关注'])
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    ruby = _RUBY_RE.findall(text)
    text = _RUBY_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    simplified = _converter().convert(text)
    converted = sum(a != b for a, b in zip(text, simplified, strict=False))
    text = simplified.translate(_WIDTH_TABLE)

    lines = [_clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    chrome = [line for line in lines if _is_chrome(line)]
    lines = [line for line in lines if not _is_chrome(line)]
    cut = _trailing_dialog_start(lines)
    chrome.extend(lines[cut:])
    lines = lines[:cut]
    return Normalisation(
        text="\n\n".join(lines),
        ruby_removed=ruby,
        chrome_removed=chrome,
        characters_converted=converted,
    )


def normalise(text: str) -> str:
    """Return the normalised form of a raw case text.

    Deterministic and idempotent: Traditional → Simplified with OpenCC (phrase-aware),
    inline pinyin ruby such as ``進(jìn)`` removed (real parentheses kept), site chrome
    (QR prompts, related-article links, share prompts, datelines, trailing login/payment
    dialogs) dropped, whitespace collapsed, full-width ASCII folded to half-width and
    ``, ; : ? ! ( )`` written full-width next to Chinese; one paragraph per block, blocks
    separated by a blank line.

    >>> normalise("（试行）  文件\\n\\n\\n第二段")
    '（试行）文件\\n\\n第二段'
    """
    return normalise_report(text).text


# --------------------------------------------------------------------------- manifest


class Source(BaseModel):
    """One raw document as recorded in ``data/raw/sources.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label_zh: str = Field(description="short Chinese label of the case for figures")
    label_en: str = Field(description="short English label of the case for figures")
    file: str = Field(description="file name under data/raw/")
    original_file: str = Field(description="the file name the document was collected under")
    title: str | None = Field(None, description="title as the text states it (simplified)")
    author: str | None = Field(None, description="author or submitting unit, as stated")
    outlet: str | None = Field(None, description="outlet or publisher, as stated")
    published_via: str | None = Field(None, description="platform the copy was taken from")
    date: dt.date | None = Field(None, description="publication date, as stated")
    script: str = Field(pattern=r"^(traditional|simplified)$")
    encoding: str = Field(pattern=r"^(utf-8|gb18030|big5)$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    note: str | None = None


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file's bytes.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a"; _ = p.write_bytes(b"")
    >>> sha256_file(p)[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_manifest(data_dir: Path | str | None = None) -> dict[str, Source]:
    """The manifest of raw sources, keyed by case id.

    >>> sorted(load_manifest())[0]
    'beijing-chaoyang-hongmiao'
    """
    raw = paths.raw_dir(data_dir)
    manifest = raw / paths.MANIFEST_NAME
    try:
        doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{manifest}: no such file") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"{manifest}: malformed YAML ({' '.join(str(exc).split())})") from None
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise SourceError(f"{manifest}: sources: expected a list of documents")
    out: dict[str, Source] = {}
    for i, entry in enumerate(entries):
        try:
            source = Source.model_validate(entry)
        except Exception as exc:  # pydantic's message is multi-line: keep its first error
            first = str(exc).splitlines()
            detail = " ".join(first[1:3]) if len(first) > 2 else str(exc)
            raise SourceError(f"{manifest}: sources[{i}]: {' '.join(detail.split())}") from None
        if source.case_id in out:
            raise SourceError(f"{manifest}: sources[{i}].case_id: duplicate id {source.case_id!r}")
        out[source.case_id] = source
    return out


def verified_raw_text(source: Source, data_dir: Path | str | None = None) -> str:
    """Decoded raw text of a manifest entry, after checking its sha256.

    >>> src = load_manifest()["hefei-baohe-qingnian"]
    >>> "(qū)" in verified_raw_text(src)
    True
    """
    path = paths.raw_dir(data_dir) / source.file
    if not path.is_file():
        raise SourceError(f"{path}: no such file (listed in {paths.MANIFEST_NAME})")
    digest = sha256_file(path)
    if digest != source.sha256:
        raise SourceError(
            f"{path}: sha256 {digest[:12]}… does not match {paths.MANIFEST_NAME} "
            f"({source.sha256[:12]}…): the raw text was edited, and every quote depends on it"
        )
    return read_text(path)


@cache
def _normalised_cached(path: str, sha256: str) -> str:
    return normalise(read_text(path))


def normalised_text(source: Source, data_dir: Path | str | None = None) -> str:
    """Normalised text of a manifest entry (hash-checked; cached per file and hash).

    >>> normalised_text(load_manifest()["hefei-baohe-qingnian"]).startswith("为进一步")
    True
    """
    verified_raw_text(source, data_dir)
    path = paths.raw_dir(data_dir) / source.file
    return _normalised_cached(str(path), source.sha256)


def iter_sources(data_dir: Path | str | None = None) -> Iterable[tuple[Source, str, str]]:
    """Yield ``(source, raw_text, normalised_text)`` for every manifest entry.

    >>> len(list(iter_sources()))
    5
    """
    for source in load_manifest(data_dir).values():
        raw = verified_raw_text(source, data_dir)
        yield source, raw, normalised_text(source, data_dir)


def normalisation_summary(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Per raw document: size before and after normalisation and what was removed.

    Columns: case_id, encoding, script, raw_chars, normalised_chars, paragraphs,
    ruby_removed, chrome_lines, chrome_chars, characters_converted.

    >>> normalisation_summary().set_index("case_id").loc["hefei-baohe-qingnian", "ruby_removed"]
    np.int64(195)
    """
    rows = []
    for source, raw, _ in iter_sources(data_dir):
        report = normalise_report(raw)
        rows.append(
            {
                "case_id": source.case_id,
                "encoding": source.encoding,
                "script": source.script,
                "raw_chars": len(raw),
                "normalised_chars": len(report.text),
                "paragraphs": report.text.count("\n\n") + 1,
                "ruby_removed": len(report.ruby_removed),
                "chrome_lines": len(report.chrome_removed),
                "chrome_chars": sum(len(line) for line in report.chrome_removed),
                "characters_converted": report.characters_converted,
            }
        )
    return pd.DataFrame(rows).sort_values("case_id", ignore_index=True)

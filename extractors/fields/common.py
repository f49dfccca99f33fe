"""The mechanics every form extractor shares: find a label, take the value beside or below it.

A form prints a label and its value in one of a few ways, all handled here:

* on one line, the value right of the label (``資本金 1,000万円``, ``資本金：1,000万円``, ``資本金1,000万円``);
* in the table cell to the right (the next column segment of the same line);
* in the cell below (``資本金`` over ``1,000万円``): the segment of the next line under the label.

Each value becomes a ``Field`` with its evidence: page number, the box of the value's characters
(``Line.span_bbox``), the page's text source, the raw characters, and a confidence = base × the confidence
of the characters read (``Line.span_confidence``), lowered when the read was doubtful (two different values
for one field).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from functools import lru_cache
from statistics import median
from typing import Any

from extractors import normalize
from extractors import nlp
from pipeline.model import BBox, Field, Line, Page

log = logging.getLogger(__name__)

BASE = 0.95  # confidence of a clean labelled read on a text layer
LEXICON_WORD = 0.9  # at least, for a value that is wholly a word of a closed list (設備資金 or 運転資金)
CONFLICT = 0.6  # factor applied when another label of the same field gave a different value
GAP_FACTOR = 1.2  # a horizontal gap wider than this × the character height separates two cells

_LABEL_NAMES: dict[str, tuple[str, ...]] = {}  # label pattern source → the names it was built from
_LABEL_MISREAD: dict[str, re.Pattern[str] | None] = {}  # label pattern source → its OCR-misread form
# How Tesseract's jpn model misreads label characters on this project's scans (benchmarks: OCR page text
# aligned with the text layer it was printed from; each pair seen several times): a label printed with one
# of these characters is looked for on an OCR page with any of them, once the label itself is not found.
OCR_MISREADS: dict[str, str] = {
    "額": "客", "間": "周問", "使": "合", "称": "移", "未": "末", "期": "其", "据": "握", "置": "徹軒", "資": "次", "賃": "任",
    "様": "欄", "号": "呈", "氏": "民", "綱": "繝", "受": "愛", "酬": "本", "賞": "賢", "息": "皿", "宣": "宮",
}
MISREAD_LABEL = 0.95  # factor on a value found beside a label found in its misread form
_LABEL_HEAD = re.compile(r"[^\d:：=()（）\[\]【】¥\\]{2,16}")
_PARTICLE = re.compile(r"[のはをがにでもへ](?![0-9])|と(?:し|な|の|する)")
_WORD_CHAR = re.compile(r"[\u4e00-\u9fff々ァ-ヶー]")  # a kanji or katakana: a word may run on across it
MAX_LABEL_TAIL = 3  # characters a label may be widened by to end on a word boundary
_SEP = re.compile(r"^[\s:：=＝・…\.)）]*")
_SEP_ONLY = re.compile(r"[\s:：=＝・…\.\-−―－~〜]+")  # a cell that only separates a label from its value
_PREFIX_ONLY = re.compile(r"\s*[金¥￥\\]\s*")  # a cell holding only the 金 / ¥ printed before an amount's blank
# a bracketed note right after a label: 「(千円)」, 「(単位:円)」, 「(出資金)」; never 「(株)」 nor 「(2)」, which are values
_UNIT_NOTE = re.compile(
    r"^(?!\s*\((?:株|有|合|資|名|\s*\d+\s*)\))\s*[(（\[【]\s*(?:単位\s*[:：]?\s*)?"
    r"(円|千円|万円|百万円|人|名|か月|ヶ月|月|年)?[^)）\]】]{0,12}[)）\]】]"
)
_UNIT_OF = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000}

# -- value locators: the span of a candidate value inside a cell's text -------------------------------
_NUM = r"(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?"
AMOUNT_RX = re.compile(
    rf"(?:金\s*)?[¥\\]?\s*[△▲\-−]?\(?\s*{_NUM}\s*"
    rf"(?:億\s*(?:{_NUM}\s*)?)?(?:万\s*(?:{_NUM}\s*)?)?(?:千|百万)?\s*円?\)?"
    r"|金?\s*[〇一二三四五六七八九十百千万億壱弐参拾萬阡佰零]+\s*円"
)
_ERA = r"(?:令和|平成|昭和|大正|明治|[RHS]\.?)"
_KNUM = r"(?:\d{1,2}|[元〇一二三四五六七八九十]{1,3})"
DATE_RX = re.compile(
    rf"{_ERA}\s*{_KNUM}\s*年\s*{_KNUM}\s*月(?:\s*{_KNUM}\s*日)?"
    rf"|\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?"
    rf"|{_ERA}\s*\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{1,2}})?"
    r"|\d{4}[/.\-]\d{1,2}(?:[/.\-]\d{1,2})?"
)
_N = r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})"
_KAGETSU = r"(?:か|ヶ|ケ|カ|ヵ|箇|個)"
_MONTHS_AFTER = re.compile(rf"\s*{_KAGETSU}?\s*月\s*間?|\s*年\s*間?")  # a duration's unit, after its number
_BARE_COUNT = re.compile(r"\s*\d{1,3}\s*")
MONTHS_RX = re.compile(  # 「5年」, 「5年間」, 「5年6か月」, 「60ヶ月」, 「6月」; never a date's 「6年4月1日」
    rf"(?<![\d年和成和正治RHS.]){_N}\s*年\s*間?(?:\s*{_N}\s*{_KAGETSU}?\s*月\s*間?)?(?!\s*\d{{1,2}}\s*[日月])"
    rf"|(?<![\d年月]){_N}\s*{_KAGETSU}?\s*月\s*間?(?!\s*\d{{1,2}}\s*日)"
)
NONE_RX = re.compile(r"^\s*(?:なし|無し|無|ナシ|該当なし|0\s*(?:か|ヶ|ケ|カ|ヵ|箇)?\s*月|-|−|―)\s*")
_NOT_AMOUNT_AFTER = re.compile(r"\s?[年月日期号条項回名人社件台%個歳ヵかヶケカ箇/:式点本枚]")
_ENUMERATOR = re.compile(r"\(?\d{1,2}\)?")
_WORD_AFTER = re.compile(r"\s?[^\d\s,.円万億千]")
# OCR amounts (a misread unit or digit must never read as a confident, smaller amount)
_UNIT_AFTER = re.compile(r"\s*(百万円|千円|万円|億円|円)")
_LOST_UNIT = re.compile(r"([^\s\d,.円万億千百])円")  # 「1,000亡円」
_MAN_MISREAD = "亡方"  # how jpn reads a degraded 万
_GLUED_BEFORE = re.compile(r"[\u4e00-\u9fff々ぁ-ゖァ-ヶ](?<![金約計額])")  # a kanji glued to the digits
BARE_OCR = 0.8  # a bare OCR number with no unit anywhere near
MISREAD_UNIT = 0.8  # the repaired value, still for a person to confirm
DOUBTFUL_AMOUNT = 0.5
COUNT_RX = re.compile(r"\d[\d,]*\s*(?:人|名)|\d[\d,]*")

# -- names ---------------------------------------------------------------------------------------------
LEGAL_FORM = (r"(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|"
              r"公益財団法人|社会福祉法人|医療法人社団|医療法人|特定非営利活動法人|NPO法人|事業協同組合|"
              r"協同組合|企業組合|協業組合|\(株\)|\(有\)|\(合\))")
_NAME_CHARS = r"(?:(?!御中|様|殿)[^\s、。,，:：()（）「」\[\]【】〒])"
_NAME_HEAD = r"(?:(?!御中|様|殿)[^\s\d\-、。,，:：()（）「」\[\]【】〒])"  # no digits: an address never joins
# 「株式会社福井精密」 or 「福井精密工業株式会社」; the leftmost reading wins
COMPANY_RX = re.compile(rf"{LEGAL_FORM}\s?{_NAME_CHARS}{{1,30}}|{_NAME_HEAD}{{1,30}}?{LEGAL_FORM}")
# where a name stops: a title, a seal, an honorific, a telephone number
NAME_STOP = re.compile(
    r"\s{2,}|代表取締役|取締役社長|代表社員|代表理事|代表者|理事長|会長|社長|店主|代表|氏名|職名|"
    r"様|殿|御中|印(?=\s|$)|㊞|\(印\)|TEL|Tel|tel|電話|℡|FAX|〒|住所|所在地|第\s?\d{1,3}\s?期"
)
# a company officer's title: the person named after it represents the applicant, it is not the applicant
_OFFICER = re.compile(r"\s*(?:代表取締役|取締役|代表社員|代表理事|代表執行役|執行役員|理事長|社長|会長|代表者|専務|常務)")
# organisations that sign or receive a form but are never its applicant
NOT_APPLICANT = re.compile(
    r"知事|市長|町長|村長|支援センター|振興センター|財団法人|振興財団|銀行|信用金庫|信用組合|金融公庫|政策金融|保証協会|商工会|税務署|県税事務所|"
    r"財務事務所|振興局|経済産業|中小企業庁|産業支援|支援機関|応援隊|推進機構"
)
_PREF_OR_CITY = re.compile(r"(?:都|道|府|県|市|区|町|村|郡|丁目|番地|\d+-\d+)")
_PROSE = re.compile(r"[、。]|^[のはをがにでと]|ます|について")
_POSTCODE = re.compile(r"^〒?\s*\d{3}\s*[-−一ー]\s*\d{4}\s*")  # OCR reads the dash as 一 or ー

CHECKED = "■☑✓✔●◉○◎☒✅"
MARK_LOOKBACK = 8  # characters between a tick and its option (「■ 要綱2(1)」)
_TICK_AFTER = re.compile(r"\s?[✓✔]")
UNCHECKED = "□☐◯"


@dataclass(frozen=True, slots=True)
class Cell:
    """A span of one line of one page: a label or a value."""

    page: Page = dc_field(repr=False)
    line_index: int
    start: int
    end: int
    misread: bool = False  # a label found in its OCR-misread form (``OCR_MISREADS``)

    @property
    def line(self) -> Line:
        return self.page.lines[self.line_index]

    @property
    def text(self) -> str:
        return self.line.text[self.start:self.end]

    @property
    def bbox(self) -> BBox:
        return self.line.span_bbox(self.start, self.end)

    def sub(self, start: int, end: int) -> Cell:
        """The part ``[start:end]`` of this cell's text, as a cell."""
        return Cell(self.page, self.line_index, self.start + start, self.start + end)


@dataclass(frozen=True, slots=True)
class Read:
    """A value found in a cell, before it becomes a Field."""

    value: Any
    cell: Cell
    confidence: float = 1.0  # the parse's own doubt (year-month only date, bare number)
    # characters at the start or end of the cell read as a closed-class word (a legal form, 「株式会社」): its
    # reading is checked by the word list, so the value is as sure as its other characters are
    lexicon: tuple[int, int] = (0, 0)


Parser = Callable[[Cell, int], Read | None]  # (cell, unit) → read


def labels(*names: str, not_after: tuple[str, ...] = (), not_before: str = "") -> re.Pattern[str]:
    """A label pattern: any of ``names`` (tolerant of okurigana and spaces), not preceded by any of
    the literal strings ``not_after`` (「補助事業の」 before 「名称」) nor followed by the regex ``not_before``."""
    body = "|".join(nlp.tolerant(n) for n in sorted(names, key=len, reverse=True))
    src = "".join(f"(?<!{re.escape(w)})" for w in not_after) + f"(?:{body})"
    if not_before:
        src += f"(?!{not_before})"
    _LABEL_NAMES[src] = names
    misread = "|".join(_misread(nlp.tolerant(n)) for n in sorted(names, key=len, reverse=True)
                       if len(n) >= 3 and any(c in OCR_MISREADS for c in n))
    _LABEL_MISREAD[src] = None if not misread else re.compile(
        src.replace(f"(?:{body})", f"(?:{misread})", 1))
    return re.compile(src)


def _misread(tolerant_src: str) -> str:
    """A tolerant label source with each misread-prone character widened to its OCR misreadings."""
    return "".join(f"[{c}{OCR_MISREADS[c]}]" if c in OCR_MISREADS else c for c in tolerant_src)


@lru_cache(maxsize=256)
def _label_keys(src: str) -> tuple[str, ...]:
    """Sudachi keys of a label pattern's names (computed on first use: it loads the dictionary)."""
    keys = {nlp.normalized_form_key(n).lstrip("御") for n in _LABEL_NAMES.get(src, ())}
    return tuple(sorted((k for k in keys if len(k) >= 2), key=len, reverse=True))


def _key_labels(pages: Iterable[Page], rx: re.Pattern[str]) -> Iterator[Cell]:
    """Labels the regex missed but Sudachi's normalised forms match: the head of a cell (up to a digit
    or a separator) whose key starts with a label's key (「すえ置き期間」 → 据置期間, 「年令」 → 年齢)."""
    keys = _label_keys(rx.pattern)
    if not keys:
        return
    for page in pages:
        for i, line in enumerate(page.lines):
            for a, b in segments(line):
                head = _LABEL_HEAD.match(line.text, a, b)
                if head is None:
                    continue
                text = head.group()
                if not any(ch in text for k in keys for ch in k):
                    continue  # shares no kanji with any label: not worth a tokenizer call
                lead = len(text) - len(text.lstrip("御おご"))
                hk = nlp.normalized_form_key(text[lead:])
                for k in keys:
                    if hk.startswith(k):
                        n = nlp.key_prefix_length(text[lead:], k)
                        if n:
                            yield Cell(page, i, a + lead, a + lead + n)
                        break


def any_of(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """One pattern matching any of several label patterns (a document's stop labels)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


# -- geometry -------------------------------------------------------------------------------------------

def _char_height(line: Line) -> float:
    heights = [b[3] - b[1] for ch, b in zip(line.text, line.boxes) if not ch.isspace() and b[3] > b[1]]
    return median(heights) if heights else 10.0


def segments(line: Line) -> list[tuple[int, int]]:
    """The line cut into cells at column gaps: a space or a jump wider than ``GAP_FACTOR`` × char height."""
    text, boxes = line.text, line.boxes
    if not text:
        return []
    if len(boxes) != len(text):
        return [(0, len(text))]
    gap = GAP_FACTOR * _char_height(line)
    cuts: list[tuple[int, int]] = []
    start = 0
    prev_x1: float | None = None
    i = 0
    while i < len(text):
        if text[i].isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            x0 = boxes[i][0] if prev_x1 is None else prev_x1
            x1 = boxes[j][0] if j < len(text) else boxes[j - 1][2]
            if x1 - x0 >= gap:
                if i > start:
                    cuts.append((start, i))
                start = j
            i = j
            prev_x1 = None
            continue
        if prev_x1 is not None and boxes[i][0] - prev_x1 >= gap and i > start:
            cuts.append((start, i))
            start = i
        prev_x1 = boxes[i][2]
        i += 1
    if start < len(text):
        cuts.append((start, len(text)))
    return [(a, b) for a, b in cuts if text[a:b].strip()]


def overlap(a: BBox, b: BBox) -> float:
    """Horizontal overlap of two boxes, in points (0 when apart)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


# -- finding labels and their values --------------------------------------------------------------------

def find_labels(pages: Iterable[Page], rx: re.Pattern[str], *, prose: bool = False) -> Iterator[Cell]:
    """Every match of a label pattern, page by page, top to bottom.

    A match followed by a particle (「下記の事業者の事業計画」, 「資本金は」) is prose, not a label, and
    is skipped unless ``prose`` (for phrases such as 「滞納がない」 that are sentences by nature).
    When the regex finds nothing, labels built by ``labels`` are looked up once more by their
    Sudachi normalised forms (spelling variants a regex cannot foresee).
    """
    pages = list(pages)
    found = False
    for cell in _matches(pages, rx, prose):
        found = True
        yield cell
    if not found and not prose:
        for cell in _key_labels(pages, rx):
            found = True
            yield cell
    misread = _LABEL_MISREAD.get(rx.pattern)
    if not found and not prose and misread is not None:  # 「借入希望客」 on a scan: 借入希望額 misread
        for cell in _matches([p for p in pages if p.source == "ocr"], misread, prose):
            yield dataclasses.replace(cell, misread=True)


def _matches(pages: Iterable[Page], rx: re.Pattern[str], prose: bool) -> Iterator[Cell]:
    for page in pages:
        for i, line in enumerate(page.lines):
            taken = 0  # a label widened over the next match swallows it
            for m in rx.finditer(line.text):
                if m.end() <= m.start() or m.start() < taken:
                    continue
                end = m.end() if prose else label_end(line.text, rx, m.start(), m.end())
                if not prose and _PARTICLE.match(line.text, end):
                    continue
                taken = end
                yield Cell(page, i, m.start(), end)


def label_end(text: str, rx: re.Pattern[str], start: int, end: int) -> int:
    """Where a label that matched ``text[start:end]`` really ends: never inside a word.

    A tolerant label may stop in the middle of the form's own, longer label (「申込者名」 matches
    「申込者の名」 of 「申込者の名称」), which would leave 「称」 as the value. The label is widened
    (1) over any other match of the same pattern that starts inside it and ends later (「名称」), then
    (2) to the end of the word its last character belongs to when Sudachi reads that word as running
    on past the match (「申込者の名」 + 「前」 → 「名前」) — only a common noun, by at most
    ``MAX_LABEL_TAIL`` characters, and never into a proper noun or a number (「氏名福井太郎」 stays
    「氏名」 + 「福井太郎」).
    """
    for k in range(start + 1, end):
        m = rx.match(text, k)
        if m is not None and m.end() > end:
            end = m.end()
    if end >= len(text) or not _WORD_CHAR.match(text, end) or not _WORD_CHAR.match(text, end - 1):
        return end
    tail = nlp.word_overrun(text[start:end + MAX_LABEL_TAIL + 4], end - start)
    return end + tail if 0 < tail <= MAX_LABEL_TAIL else end


def label_unit(label: Cell) -> tuple[int, int | None]:
    """Skip a unit note right after a label (``資本金(千円)``): its end offset in the line and its unit."""
    rest = label.line.text[label.end:]
    m = _UNIT_NOTE.match(rest)
    if not m:
        return label.end, None
    return label.end + m.end(), _UNIT_OF.get(m.group(1) or "")


def value_cells(label: Cell, stop: re.Pattern[str] | None = None) -> Iterator[Cell]:
    """Where a label's value may be, nearest first: right of it in its cell, the next cell, the cell below."""
    line = label.line
    text = line.text
    after, _ = label_unit(label)
    after += _SEP.match(text[after:]).end()  # type: ignore[union-attr]
    segs = segments(line)
    own = next(((a, b) for a, b in segs if a <= label.start < b), (label.start, len(text)))
    # a cell that opens with another field's label is that field's, not this one's value
    beside = False
    right = Cell(label.page, label.line_index, after, own[1])
    if after < own[1]:
        if stop is not None and stop.match(right.text):
            after = own[1]  # the next label follows at once: nothing beside this one
        else:
            beside = True
            yield _cut(right, stop)
    nxt = next(((a, b) for a, b in segs if a >= max(after, own[1]) and not _SEP_ONLY.fullmatch(text[a:b])), None)
    if nxt is not None and _PREFIX_ONLY.fullmatch(text[nxt[0]:nxt[1]]):
        # 「金 | 150,000,000 | 円」: the form's 金 stands apart from the amount written in its blank
        nxt = next(((nxt[0], b) for a, b in segs if a >= nxt[1]), nxt)
    if nxt is not None:
        cell = Cell(label.page, label.line_index, nxt[0], nxt[1])
        if stop is None or not stop.match(cell.text):
            beside = True
            yield _cut(cell, stop)
    if beside:
        return  # a value beside the label: the line below belongs to another row
    # the cell below: the segment of the next line in the label's column (from the label to the next cell)
    if label.line_index + 1 < len(label.page.lines):
        below = label.page.lines[label.line_index + 1]
        lbox = line.span_bbox(own[0], own[1])
        nxt_x0 = next((line.span_bbox(a, b)[0] for a, b in segs if a >= own[1]), label.page.width or 1e9)
        col = (lbox[0] - (lbox[2] - lbox[0]), lbox[1], nxt_x0, lbox[3])
        lc = (lbox[0] + lbox[2]) / 2
        best: tuple[float, float, tuple[int, int]] | None = None
        for a, b in segments(below):
            box = below.span_bbox(a, b)
            centre = (box[0] + box[2]) / 2
            ov = overlap(lbox, box)
            if ov <= 0 and not col[0] <= centre < col[2]:
                continue
            key = (ov, -abs(centre - lc))
            if best is None or key > best[:2]:
                best = (ov, -abs(centre - lc), (a, b))
        if best is not None:
            cell = Cell(label.page, label.line_index + 1, *best[2])
            if stop is None or not stop.match(cell.text):
                yield _cut(cell, stop)


def _cut(cell: Cell, stop: re.Pattern[str] | None) -> Cell:
    """The cell up to the next label of another field, trailing spaces dropped."""
    text = cell.text
    end = len(text)
    if stop is not None:
        m = stop.search(text, 1)
        if m:
            end = m.start()
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return cell.sub(0, end)


def to_field(read: Read, base: float = BASE) -> Field:
    """A Field from a read: page, the value's box, source, raw text; confidence = base × parse × line."""
    cell = read.cell
    start, end = cell.start, cell.end
    a, b = read.lexicon
    if b > a and a == 0 and cell.start + b < end:
        start = cell.start + b
    elif b > a and cell.start + b == end and cell.start + a > start:
        end = cell.start + a
    characters = cell.line.span_confidence(start, end)
    if b > a and a == 0 and cell.start + b >= end:  # the whole value is a word of a closed list
        characters = max(characters, LEXICON_WORD)
    return Field(
        value=read.value,
        confidence=round(base * read.confidence * characters, 3),
        page=cell.page.number,
        bbox=cell.bbox,
        source=cell.page.source,
        raw=cell.text,
    )


def read_field(pages: list[Page], label_rx: re.Pattern[str], parser: Parser, *, unit: int = 1,
               stop: re.Pattern[str] | None = None, base: float = BASE) -> Field | None:
    """The value of the first label that has one; confidence lowered if another label disagrees."""
    reads: list[Read] = []
    for label in find_labels(pages, label_rx):
        _, note_unit = label_unit(label)
        for cell in value_cells(label, stop):
            read = parser(cell, note_unit or unit)
            if read is not None:
                if label.misread:
                    read = dataclasses.replace(read, confidence=read.confidence * MISREAD_LABEL)
                reads.append(read)
                break
    return best_of(reads, base)


def read_first(pages: list[Page], label_groups: Iterable[re.Pattern[str]], parser: Parser, *, unit: int = 1,
               stop: re.Pattern[str] | None = None, base: float = BASE) -> Field | None:
    """``read_field`` over label groups in order of preference: the first group that gives a value wins,
    and only labels of one group can contradict each other (業種 before 事業内容)."""
    for rx in label_groups:
        f = read_field(pages, rx, parser, unit=unit, stop=stop, base=base)
        if f is not None:
            return f
    return None


def best_of(reads: list[Read], base: float = BASE) -> Field | None:
    """The first read as a Field; doubtful (× ``CONFLICT``) when another read gave another value."""
    if not reads:
        return None
    first = reads[0]
    f = to_field(first, base)
    if any(r.value != first.value for r in reads[1:]):
        log.debug("conflicting values for one field on %s page %d", first.cell.page.file, f.page)
        f = f.model_copy(update={"confidence": round(f.confidence * CONFLICT, 3)})
    return f


# -- parsers: (cell, unit) → Read of the value's own characters ----------------------------------------

def amount(cell: Cell, unit: int = 1) -> Read | None:
    """The first amount in the cell, in yen (a bare number × the table's unit)."""
    for m in AMOUNT_RX.finditer(cell.text):
        raw = m.group().strip()
        if not any(c.isdigit() for c in raw) and "円" not in raw:
            continue
        if _NOT_AMOUNT_AFTER.match(cell.text, m.end()) or (m.start() and cell.text[m.start() - 1] == "第"):
            continue  # 「25人」, 「2024年」, 「第3号」: a count, a date, a number, not money
        if _ENUMERATOR.fullmatch(raw) and _WORD_AFTER.match(cell.text, m.end()):
            continue  # 「5 補助事業の完了予定日」: a list number before a label
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        end = start + len(raw)
        own_unit = any(k in raw for k in ("円", "万", "億", "千", "¥", "金"))
        confidence = 1.0 if own_unit or unit != 1 else 0.9
        ocr = cell.page.source == "ocr"
        line_text = cell.line.text
        if not own_unit:
            # the unit in the next cell (「3,000 | 万円」): it belongs to the number, whatever the gap
            after = _UNIT_AFTER.match(line_text, cell.start + end)
            if after is not None and not cell.text[end:].strip():
                raw = raw + after.group(1)
                end = after.end() - cell.start
                own_unit, confidence = True, 1.0
            elif ocr and unit == 1:
                confidence = BARE_OCR  # a bare number read by OCR: its 万 may be the character OCR lost
        if ocr:
            lost = _LOST_UNIT.match(cell.text, end)
            if lost is not None and "円" not in raw and "万" not in raw:
                if lost.group(1) in _MAN_MISREAD:  # 「1,000亡円」: 万 read as 亡 (its value, doubted a little)
                    raw = raw + "万円"
                    end = lost.end()
                    confidence = MISREAD_UNIT
                else:  # another character between the number and 円: a unit OCR lost
                    confidence = min(confidence, DOUBTFUL_AMOUNT)
            if start > 0 and _GLUED_BEFORE.match(cell.text, start - 1):
                confidence = min(confidence, DOUBTFUL_AMOUNT)  # 「包800万円」: a digit read as a kanji
        value = normalize.parse_amount(raw, unit)
        if value is None:
            continue
        if ocr and not any(c.isdigit() for c in raw):
            confidence *= _numeral_share(cell.line, cell.start + start, cell.start + end)
        return Read(int(value), cell.sub(start, end), confidence)
    return None


_KANJI_NUMERAL = frozenset(normalize.KANJI_NUMERALS)


def _numeral_share(line: Line, start: int, end: int) -> float:
    """For an amount written in kanji numerals (「金壱千弐百万円」), its worst numeral's confidence over the span's:
    like a digit, one wrong numeral is a wrong amount, which the mean of a word's characters would hide
    (「壱」 read at 0.04 beside 「弐百万円」 at 0.9). 1 when the amount has no kanji numeral."""
    confs = line.char_confidence
    if len(confs) != len(line.text):
        return 1.0
    numerals = [confs[i] for i in range(start, end) if line.text[i] in _KANJI_NUMERAL]
    span = line.span_confidence(start, end)
    if not numerals or span <= 0:
        return 1.0
    return min(1.0, min(numerals) / span)


def a_date(cell: Cell, unit: int = 1) -> Read | None:
    """The first date in the cell (和暦 or 西暦); a year-and-month only date reads as its 1st, doubtful."""
    for m in DATE_RX.finditer(cell.text):
        raw = m.group()
        value = normalize.parse_date(raw)
        confidence = 1.0
        if value is None and not raw.rstrip().endswith("日"):
            ym = normalize.parse_year_month(raw)
            value = date(ym[0], ym[1], 1) if ym else None
            confidence = 0.85
        if isinstance(value, date):
            return Read(value, cell.sub(m.start(), m.end()), confidence)
    return None


def months(cell: Cell, unit: int = 1) -> Read | None:
    """A duration in months (「5年」 → 60, 「6か月」 → 6, 「なし」 → 0)."""
    m0 = NONE_RX.match(cell.text)
    if m0 and not MONTHS_RX.match(cell.text):
        end = m0.end() - (len(m0.group()) - len(m0.group().rstrip()))
        return Read(0, cell.sub(m0.start() + (len(m0.group()) - len(m0.group().lstrip())), end))
    m = MONTHS_RX.search(cell.text)
    if not m and _BARE_COUNT.fullmatch(cell.text):
        # the unit in the next cell (「6 | ヵ月)」, a gap OCR left inside 「6ヵ月」): it belongs to the number
        after = _MONTHS_AFTER.match(cell.line.text, cell.end)
        if after is not None:
            cell = Cell(cell.page, cell.line_index, cell.start, after.end())
            m = MONTHS_RX.search(cell.text)
    if not m:
        return None
    value = normalize.parse_months(m.group())
    if value is None:
        return None
    return Read(int(value), cell.sub(m.start(), m.end()))


def count(cell: Cell, unit: int = 1) -> Read | None:
    """A head count (「25人」, 「25名」, a bare 「25」 in a cell labelled 人)."""
    m = COUNT_RX.search(cell.text)
    if not m:
        return None
    value = normalize.parse_count(m.group())
    if value is None:
        return None
    bare = not m.group().rstrip().endswith(("人", "名"))
    return Read(int(value), cell.sub(m.start(), m.end()), 0.9 if bare else 1.0)


def text(cell: Cell, unit: int = 1) -> Read | None:
    """The cell's text, without leading separators; None for an empty or placeholder cell."""
    raw = cell.text
    lead = len(raw) - len(raw.lstrip(" :：・"))
    value = raw[lead:].strip()
    if not value or value in ("-", "−", "―", "ー", "なし"):
        return None
    return Read(value, cell.sub(lead, lead + len(value)))


def name(cell: Cell, unit: int = 1) -> Read | None:
    """A company or person name: a legal-form name if the cell holds one, else the text before a
    title, seal or honorific (「福井太郎」), doubtful; never an organisation that is not an applicant, and
    never a lone character (the tail of a label cut short, 「称」 of 「名称」)."""
    raw = cell.text
    m = COMPANY_RX.search(raw)
    if m:
        start, end = m.start(), m.end()
        stop = NAME_STOP.search(raw, start + 1, end)
        if stop:
            end = stop.start()
        value = raw[start:end].strip()
        if value and not NOT_APPLICANT.search(value):
            return Read(value, cell.sub(start, start + len(value)), lexicon=legal_form_span(value))
        return None
    lead = len(raw) - len(raw.lstrip(" :：・"))
    if _OFFICER.match(raw, lead):
        return None  # 「代表取締役 清水大輔」: the representative (a 「代表者の役職・氏名」 row), not the applicant
    stop = NAME_STOP.search(raw, lead + 1)
    end = stop.start() if stop else len(raw)
    value = raw[lead:end].strip()
    if (len(value) < 2 or len(value) > 30 or any(ch.isdigit() for ch in value) or _PROSE.search(value)
            or NOT_APPLICANT.search(value) or _PREF_OR_CITY.search(value[-3:] if len(value) > 6 else "")):
        return None
    return Read(value, cell.sub(lead, lead + len(value)), 0.85)


_LEGAL_HEAD = re.compile(LEGAL_FORM + r"\s?")
_LEGAL_TAIL = re.compile(r"\s?" + LEGAL_FORM + "$")


def legal_form_span(value: str) -> tuple[int, int]:
    """Where the legal form of a company name is (「株式会社」 of 「株式会社越前ロジテック」), (0, 0) if none."""
    m = _LEGAL_HEAD.match(value) or _LEGAL_TAIL.search(value)
    return (m.start(), m.end()) if m and m.end() - m.start() < len(value) else (0, 0)


def address(cell: Cell, unit: int = 1) -> Read | None:
    """An address (post code dropped); doubtful unless it names a prefecture or municipality."""
    raw = cell.text
    lead = len(raw) - len(raw.lstrip(" :：・"))
    pc = _POSTCODE.match(raw[lead:])
    if pc:
        lead += pc.end()
    value = raw[lead:].strip()
    if pc and not value:  # 「〒425-0052 | 静岡県焼津市…」: the post code in a cell of its own
        nxt = next(((a, b) for a, b in segments(cell.line) if a >= cell.end), None)
        if nxt is not None:
            return address(Cell(cell.page, cell.line_index, *nxt), unit)
    if not value or len(value) < 4:
        return None
    return Read(value, cell.sub(lead, lead + len(value)), 1.0 if _PREF_OR_CITY.search(value) else 0.7)


# -- marks -----------------------------------------------------------------------------------------------

def _mark_before(text: str, start: int) -> int | None:
    """Index of the tick mark governing an option at ``start``: the nearest mark within
    ``MARK_LOOKBACK`` characters before it (「■ 要綱2(1)」), if that mark is a ticked one."""
    for k in range(start - 1, max(-1, start - 1 - MARK_LOOKBACK), -1):
        ch = text[k]
        if ch in CHECKED:
            return k
        if ch in UNCHECKED:
            return None
    return None


def marked_option(pages: list[Page], options: dict[str, re.Pattern[str]], near: re.Pattern[str] | None = None,
                  window: int = 6) -> Read | None:
    """The option ticked with ■/☑/✓/●/○ (vs □) among ``options`` (value → pattern).

    With ``near``, only lines from two above a ``near`` label (a label centred beside its options) to
    ``window`` lines below it are searched. A mark counts when it is the nearest mark before the option,
    a few characters at most, or a ✓ right after it. Two different ticked options read as doubtful.
    """
    reads: list[Read] = []
    for page in pages:
        rows: list[int] = []
        if near is None:
            rows = list(range(len(page.lines)))
        else:
            for i, line in enumerate(page.lines):
                if near.search(line.text):
                    span = range(max(0, i - 2), min(len(page.lines), i + window))
                    rows += [j for j in span if j not in rows]
        for i in sorted(rows):
            line = page.lines[i]
            for value, rx in options.items():
                for m in rx.finditer(line.text):
                    k = _mark_before(line.text, m.start())
                    if k is not None:
                        reads.append(Read(value, Cell(page, i, k, m.end())))
                    elif _TICK_AFTER.match(line.text, m.end()):
                        reads.append(Read(value, Cell(page, i, m.start(), m.end() + 2)))
    if not reads:
        return None
    values = {r.value for r in reads}
    first = reads[0]
    return first if len(values) == 1 else dataclasses.replace(first, confidence=CONFLICT)


def company_names(page: Page, lines: Iterable[int] | None = None) -> Iterator[Read]:
    """Legal-form company names on a page (or some of its lines), never an organisation that signs."""
    idx = range(len(page.lines)) if lines is None else lines
    for i in idx:
        line = page.lines[i]
        for a, b in segments(line):  # one cell at a time: an address cell never joins the name
            for m in COMPANY_RX.finditer(line.text, a, b):
                start, end = m.start(), m.end()
                stop = NAME_STOP.search(line.text, start + 1, end)
                if stop:
                    end = stop.start()
                value = line.text[start:end].strip()
                if value and not NOT_APPLICANT.search(value):
                    yield Read(value, Cell(page, i, start, start + len(value)), lexicon=legal_form_span(value))


def addressed(read: Read) -> bool:
    """Whether a name is written as an addressee (「…御中」, 「…様」, 「…殿」)."""
    rest = read.cell.line.text[read.cell.end:].lstrip()
    return rest.startswith(("御中", "様", "殿", "宛"))


def first_company(page: Page, confidence: float = 0.75) -> Field | None:
    """No labelled name: the first company named on the page that is neither addressee nor signer."""
    found = next((r for r in company_names(page) if not addressed(r)), None)
    return to_field(dataclasses.replace(found, confidence=confidence)) if found else None


def page_unit(pages: list[Page]) -> int:
    """The unit a page declares for its amounts (「(単位：千円)」), 1 when none."""
    for page in pages:
        for line in page.lines:
            if "単位" in line.text:
                unit = normalize.detect_unit(line.text)
                if unit:
                    return int(unit)
    return 1


def put(fields: dict[str, Field], key: str, value: Field | None) -> None:
    """Store a field when it was read (absent fields stay absent)."""
    if value is not None:
        fields[key] = value

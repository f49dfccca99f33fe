"""The one module where raw text becomes values: text normalisation and the value parsers.

Every parser takes a short string (a cell, a field's raw text), returns a value or ``None`` when the text
does not hold exactly one value, and never raises. Money is ``int`` yen, dates are ``datetime.date``.

Text
====

``normalize_text(s)`` and ``normalize_chars(chars)`` apply the same steps, in order (the second keeps one box
per output character):

1. NFKC: ``１，２３４`` → ``1,234``, ``ｶﾞ`` → ``ガ``, ``㈱`` → ``(株)``, ``㍻`` → ``平成``, the ideographic space → a space.
   Circled numbers are kept (``①売上高`` stays): NFKC would glue a list marker ``1`` onto what follows.
2. ``〜`` (and ``～`` by NFKC) → ``~``; zero-width characters and the soft hyphen go; tab and other
   line-internal blanks become a space.
3. A dash or minus directly before a digit (one space allowed) becomes ``-``: ``−1,234`` ``‐1`` ``―1``,
   and ``ー1`` when the ``ー`` does not follow kana (``データー 1`` keeps it). A lone dash is left alone.
4. Spaces whose neighbours are both *J characters* are removed: ``融 資 申 込 書`` → ``融資申込書``,
   ``住　　所`` → ``住所``.
5. A *spaced letter run* is joined: ``福井県 I o T ・ A I 等`` → ``福井県IoT・AI等``.
6. Other runs of spaces collapse to one; spaces at the start and end of each line go (newlines stay).

A *J character* is a CJK ideograph (incl. 々〆〇), hiragana, katakana (incl. ー・) or CJK punctuation
(、。「」『』【】〔〕 etc., U+3001–U+303F except 〒). Spaces next to a digit, a latin letter, ``(``, ``△``,
``※`` … are never removed, so ``売上高 10,000``, ``10,000 12,000``, ``令和 5 年`` and ``1, 5 0 0 万円`` keep
their spaces (the parsers below cope with them). Japanese labels in two columns (``科目 金額``) do merge
(``科目金額``): the boxes keep the gap, so a cell splitter should look at box gaps, not at spaces.

A *spaced letter run* is two or more single ASCII letters each separated by one space (``I o T``). It is
joined when neither neighbour (across one run of spaces) is an ASCII letter or digit and at least one
neighbour is a J character; the spaces between the run and a J neighbour go too.

Values
======

Each parser, what it accepts, what it gives:

* ``parse_amount`` → int yen: ``1,234,567`` ``1，234`` ``１２３４円`` ``1,234千円`` ``1,500万円`` ``1億2,000万円``
  ``12.5百万円`` ``金壱千五百万円`` ``金15,000,000円也`` ``¥1,500,000-`` ``△1,234`` ``▲ 1,234`` ``(1,234)``
  ``-1,234`` ``1,234 ※2``, a label before the number (``売上高 1,234``).
* ``is_nil`` → bool: ``-`` ``−`` ``―`` ``ー`` ``—`` (a nil cell in a table).
* ``detect_unit`` → 1 / 1,000 / 10,000 / 1,000,000 / 100,000,000: ``(単位：千円)`` ``単位 千円``
  ``[単位:百万円]`` ``(千円)`` ``(円)``.
* ``parse_date`` → date: ``2024年3月31日`` ``2024/3/31`` ``2024-03-31`` ``2024.3.31`` ``令和5年3月31日``
  ``令和元年5月1日`` ``R5.3.31`` ``H31.4.30`` ``令5.3.31`` ``令和五年三月三十一日`` ``令 和 5 年 3 月 3 1 日``;
  all five eras (明治 大正 昭和 平成 令和, M T S H R, 明 大 昭 平 令).
* ``parse_year_month`` → (year, month): ``令和5年4月`` ``2023年4月`` ``R5.4`` ``2023/4``.
* ``parse_period`` → (first day, last day): ``自 令和5年4月1日 至 令和6年3月31日`` ``…から…まで``
  ``…～…`` ``R5.4.1〜R6.3.31``, and ``令和5年4月1日～6年3月31日`` (the era carries over).
* ``parse_term_number`` → int: ``第12期`` ``第十二期``.
* ``parse_months`` → int months: ``5年`` ``60か月`` ``60ヶ月`` ``6ケ月`` ``5年6か月`` ``据置6か月`` ``7年以内``
  ``半年`` ``1年半``.
* ``parse_count`` → int: ``25名`` ``25人`` ``従業員数 1,200 人`` ``25 名(うちパート5名)`` ``25``.
* ``parse_percent`` → Decimal (precision kept): ``0.80%`` ``15％`` ``年率 1.5 %`` ``0.8パーセント``.
* ``kanji_to_int`` → int: ``三十一`` ``二〇二四`` ``二千二十四`` ``壱千五百萬`` ``1億2千万``.

Decisions worth knowing:

* Ambiguity is ``None``: a string holding two amounts, two dates, two durations … gives ``None``
  (``前期 1,234 当期 5,678``, ``5年以内(据置6か月…)``). A count ignores a parenthesised breakdown.
* ``parse_amount``: an explicit unit in the string (``円``, ``千円``, ``万``, ``金…``, ``¥``) wins over
  ``unit``; a declaration inside the string (``売上高(千円) 1,234``) wins over ``unit`` too. A bare
  decimal with exactly three decimals (``1.234``) is ``None``: OCR reads ``,`` as ``.``. A result that
  is not a whole yen is ``None``. A trailing ``-`` is ``也`` after ``¥``/``金``/``円``, else doubtful (None).
  A lone dash is ``None`` unless ``nil_is_zero=True``; ask ``is_nil`` to tell a nil cell from junk.
  Kanji-only numbers need ``金`` or ``円`` (or to be the whole string): ``一般管理費`` holds no amount.
* Eras: 明治 1868-01-01 (the era was applied to the whole of 1868; dates before 明治6年 are lunisolar in
  the source and are read here as Gregorian), 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
  令和 2019-05-01. Dates before an era's start are ``None`` (``令和元年4月30日``, ``平成元年1月7日``), as are
  dates after the end of 明治/大正/昭和 (``昭和64年1月8日``). 平成 has no end: forms printed before the
  change of era say ``平成31年5月…`` or ``平成32年3月31日`` and mean 2019-05…, 2020-03-31, so they are read
  by counting on. Western years are accepted from 1800 to 2200; two-digit years are not dates.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Literal

from pipeline.model import BBox, union_bbox

log = logging.getLogger(__name__)

__all__ = [
    "normalize_text",
    "normalize_chars",
    "parse_amount",
    "is_nil",
    "detect_unit",
    "parse_date",
    "parse_year_month",
    "parse_period",
    "parse_term_number",
    "parse_months",
    "parse_count",
    "parse_percent",
    "kanji_to_int",
]

# ======================================================================================================
# Text
# ======================================================================================================

# circled numbers keep their shape (NFKC would turn the list marker ① into the digit 1)
_CIRCLED = "[\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf]"
_CIRCLED_RE = re.compile(_CIRCLED)
_DELETED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# combining marks and the kana voicing marks that NFKC composes with the character before them
_JOINERS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099-\u309c\uff9e\uff9f"
# anything that makes a per-character, one-to-one NFKC unsafe
_SPECIAL_RE = re.compile(f"[{_JOINERS}{_DELETED}]|{_CIRCLED}")
_JOINER_RE = re.compile(f"[{_JOINERS}]")

# one-to-one maps applied after NFKC
_POST_1TO1 = str.maketrans({
    "\u301c": "~",  # 〜 WAVE DASH (NFKC already maps ～ FULLWIDTH TILDE to ~)
    "\t": " ", "\v": " ", "\f": " ", "\r": " ", "\x85": " ", "\u2028": " ", "\u2029": " ",
    "\x1c": " ", "\x1d": " ", "\x1e": " ", "\x1f": " ",
})
_POST_TEXT = str.maketrans({**{ord(c): None for c in _DELETED}, **_POST_1TO1})

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_DASH_RE = re.compile(f"[{_DASHES}](?= ?[0-9])|(?<![\u3041-\u30ff])\u30fc(?= ?[0-9])")
_DASH_ANY_RE = re.compile(f"[{_DASHES}\u30fc]")

_SPACE_RUN_RE = re.compile(" +")
_LETTER_RUN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?: [A-Za-z])+(?![A-Za-z0-9])")
_ASCII_LETTER_RE = re.compile("[A-Za-z] [A-Za-z]")

_fold_cache: dict[str, str] = {}


def _is_j(c: str) -> bool:
    """A Japanese character between which and another a space is an artefact (see the module table)."""
    if not c:
        return False
    o = ord(c)
    if o < 0x3001:
        return False
    return (
        (o <= 0x30FF and o != 0x3012 and o != 0x3020)
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0x31F0 <= o <= 0x31FF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
    )


def _is_alnum(c: str) -> bool:
    return c != "" and c.isascii() and c.isalnum()


def _fold_piece(s: str) -> str:
    """NFKC of one character or one base+combining cluster, with this module's exceptions."""
    if len(s) == 1:
        cached = _fold_cache.get(s)
        if cached is not None:
            return cached
    if _CIRCLED_RE.fullmatch(s):
        out = s
    else:
        out = unicodedata.normalize("NFKC", s).translate(_POST_TEXT)
    if len(s) == 1 and len(_fold_cache) < 65536:
        _fold_cache[s] = out
    return out


def _fold_text(s: str) -> str:
    if s.isascii():
        return s.translate(_POST_1TO1)
    if _CIRCLED_RE.search(s) is None:
        return unicodedata.normalize("NFKC", s).translate(_POST_TEXT)
    out: list[str] = []
    pos = 0
    for m in _CIRCLED_RE.finditer(s):
        out.append(unicodedata.normalize("NFKC", s[pos:m.start()]).translate(_POST_TEXT))
        out.append(m.group())
        pos = m.end()
    out.append(unicodedata.normalize("NFKC", s[pos:]).translate(_POST_TEXT))
    return "".join(out)


def _fold_boxes(text: str, boxes: list[BBox]) -> tuple[str, list[BBox]]:
    """``_fold_text`` that carries one box per character through NFKC."""
    if text.isascii():
        return text.translate(_POST_1TO1), boxes
    if _SPECIAL_RE.search(text) is None:
        folded = unicodedata.normalize("NFKC", text)
        if len(folded) == len(text):  # no expansion, no composition: still one char per box
            return folded.translate(_POST_1TO1), boxes
    out: list[str] = []
    out_boxes: list[BBox] = []
    has_joiners = _JOINER_RE.search(text) is not None
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if has_joiners:
            while j < n and _JOINER_RE.match(text[j]):
                j += 1
        piece = _fold_piece(text[i:j])
        if piece:
            box = boxes[i] if j == i + 1 else union_bbox(boxes[i:j])
            out.append(piece)
            out_boxes.extend([box] * len(piece))
        i = j
    return "".join(out), out_boxes


def _map_dashes(t: str) -> str:
    if _DASH_ANY_RE.search(t) is None:
        return t
    return _DASH_RE.sub("-", t)  # one char for one char: boxes stay aligned


def _space_drops(t: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` ranges of ``t`` to delete, in order (see the module table for the rules)."""
    if " " not in t:
        return []
    n = len(t)
    forced: set[int] = set()  # space positions that a joined letter run removes
    if _ASCII_LETTER_RE.search(t):
        for m in _LETTER_RUN_RE.finditer(t):
            s, e = m.span()
            a = s
            while a > 0 and t[a - 1] == " ":
                a -= 1
            b = e
            while b < n and t[b] == " ":
                b += 1
            left = t[a - 1] if a > 0 else ""
            right = t[b] if b < n else ""
            if _is_alnum(left) or _is_alnum(right):
                continue
            j_left, j_right = _is_j(left), _is_j(right)
            if not (j_left or j_right):
                continue
            forced.update(range(s + 1, e, 2))  # "I o T": the spaces sit at every other position
            if j_left and a < s:
                forced.add(a)
            if j_right and e < b:
                forced.add(e)
    drops: list[tuple[int, int]] = []
    for m in _SPACE_RUN_RE.finditer(t):
        a, b = m.span()
        if (a == 0 or b == n or a in forced or t[a - 1] == "\n" or t[b] == "\n"
                or (_is_j(t[a - 1]) and _is_j(t[b]))):
            drops.append((a, b))
        elif b - a > 1:
            drops.append((a + 1, b))
    return drops


COLUMN_GAP_EM = 1.6  # a space wider than this many character heights separates columns: it is kept


def _column_gaps_kept(t: str, boxes: list[BBox], drops: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep one space where a dropped run between Japanese characters is really a column gap.

    Text alone cannot tell 「融 資 申 込 書」 (letter-spaced title: remove) from 「業種    製造業」 (label and
    value cells: keep a separator); the boxes can. A run of spaces wider than ``COLUMN_GAP_EM`` times the
    neighbouring characters' height stays as a single space.
    """
    out: list[tuple[int, int]] = []
    n = len(t)
    for a, b in drops:
        if 0 < a and b < n and t[a] == " " and t[a - 1] != "\n" and t[b] != "\n":
            width = boxes[b][0] - boxes[a - 1][2]
            height = max(boxes[a - 1][3] - boxes[a - 1][1], boxes[b][3] - boxes[b][1], 1.0)
            if width > COLUMN_GAP_EM * height:
                if b - a > 1:
                    out.append((a + 1, b))
                continue
        out.append((a, b))
    return out


def _cut(seq: str, drops: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    pos = 0
    for a, b in drops:
        parts.append(seq[pos:a])
        pos = b
    parts.append(seq[pos:])
    return "".join(parts)


def normalize_text(s: str) -> str:
    """NFKC, dashes, artefact spaces removed, spaces collapsed, stripped (see the module table)."""
    if not isinstance(s, str) or not s:
        return ""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    t = _map_dashes(_fold_text(s))
    return _cut(t, _space_drops(t)).strip()


def normalize_chars(chars: Sequence[tuple[str, BBox]]) -> tuple[str, tuple[BBox, ...]]:
    """``normalize_text`` over (character, box) pairs: the text and exactly one box per output character.

    A character that NFKC expands (``㈱`` → ``(株)``) gives its box to every output character; a base with
    combining marks (``ｶﾞ`` → ``ガ``) gives the union of their boxes; a removed space drops its box.
    An entry may hold several characters (a ligature) or none; each of its characters gets its box.
    """
    n = len(chars)
    if n == 0:
        return "", ()
    texts = [c[0] for c in chars]
    text = "".join(texts)
    if len(text) == n and max(map(len, texts)) == 1:  # one character per entry
        boxes = [c[1] for c in chars]
    else:
        boxes = []
        for c, box in chars:
            boxes.extend([box] * len(c))
    t, boxes = _fold_boxes(text, boxes)
    t = _map_dashes(t)
    drops = _column_gaps_kept(t, boxes, _space_drops(t))
    if not drops:
        return t, tuple(boxes)
    kept: list[BBox] = []
    pos = 0
    for a, b in drops:
        kept.extend(boxes[pos:a])
        pos = b
    kept.extend(boxes[pos:])
    return _cut(t, drops), tuple(kept)


# ======================================================================================================
# Numerals
# ======================================================================================================

_KDIGIT = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "弍": 2, "三": 3, "参": 3,
    "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陸": 6, "七": 7, "漆": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}
_SMALL = {"十": 10, "拾": 10, "什": 10, "百": 100, "佰": 100, "陌": 100, "千": 1000, "阡": 1000, "仟": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12}
KANJI_NUMERALS = "".join(_KDIGIT) + "".join(_SMALL) + "".join(_BIG)  # every kanji an amount may be written in
_NUMERAL_CHARS = "0-9" + KANJI_NUMERALS
_K = "[〇一二三四五六七八九十]"  # the kanji of dates and terms
_ARABIC_RUN_RE = re.compile(r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?")
_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
# 「1, 5 0 0」: single digits (each may carry a comma) separated by single spaces
# 「1, 500」: a space after a thousands comma
_SPACED_DIGITS_RE = re.compile(r"(?<![0-9,])[0-9],?(?: [0-9],?)+(?![0-9,])")
_COMMA_SPACE_RE = re.compile(r"(?<=[0-9],) (?=[0-9]{3}(?![0-9]))")


def _numeral(body: str) -> Fraction | None:
    """Value of a numeral mixing Arabic digit runs, kanji digits and multipliers (十百千, 万億兆)."""
    total = Fraction(0)
    section = Fraction(0)
    num: Fraction | None = None
    arabic = False  # the pending num came from an Arabic run (no kanji digit may follow it)
    last_small = 10**5
    last_big = 10**13
    i, n = 0, len(body)
    seen = False
    while i < n:
        ch = body[i]
        if "0" <= ch <= "9":
            m = _ARABIC_RUN_RE.match(body, i)
            assert m is not None
            run = m.group()
            if num is not None or not _GROUPED_RE.fullmatch(run):
                return None
            num, arabic, seen = Fraction(run.replace(",", "")), True, True
            i = m.end()
            continue
        if ch in _KDIGIT:
            if arabic:
                return None
            num = (num or 0) * 10 + _KDIGIT[ch]
            seen = True
        elif ch in _SMALL:
            mult = _SMALL[ch]
            if mult >= last_small:
                return None
            section += (num if num is not None else 1) * mult
            last_small, num, arabic, seen = mult, None, False, True
        elif ch in _BIG:
            mult = _BIG[ch]
            if mult >= last_big:
                return None
            part = section + (num or 0)
            if section == 0 and num is None:
                part = Fraction(1)
            total += part * mult
            section, num, arabic, seen = Fraction(0), None, False, True
            last_small, last_big = 10**5, mult
        else:
            return None
        i += 1
    if not seen:
        return None
    return total + section + (num or 0)


def kanji_to_int(s: str) -> int | None:
    """A 漢数字 (positional 二〇二四 or counted 二千二十四, 大字 壱弐参拾阡萬, mixed 1億2千万) as int."""
    if not isinstance(s, str):
        return None
    t = normalize_text(s).replace(" ", "")
    if not t:
        return None
    value = _numeral(t)
    if value is None or value.denominator != 1:
        return None
    return int(value)


def _join_spaced_digits(t: str) -> str:
    """``1, 5 0 0`` → ``1,500``; ``1, 500`` → ``1,500``; ``10,000 12,000`` stays two numbers."""
    if " " not in t:
        return t
    t = _SPACED_DIGITS_RE.sub(lambda m: m.group().replace(" ", ""), t)
    return _COMMA_SPACE_RE.sub("", t)


# ======================================================================================================
# Amounts
# ======================================================================================================

_UNIT_WORDS = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}
_UNIT_ALT = "百万円|千円|万円|億円|円"
_UNIT_DECL_RE = re.compile(
    rf"[(\[【〔<〈《]? ?単位 ?[:;]? ?({_UNIT_ALT}) ?[)\]】〕>〉》]?"
    rf"|[(\[【〔<〈《] ?({_UNIT_ALT}) ?[)\]】〕>〉》]"
)
_UNIT_SPACE_RE = re.compile(r"(?<=[0-9]) (?=[十百千万億兆円])")  # 「1,500 万円」
_NOTE_RE = re.compile(r"※ ?[0-9]{0,2}|\(注 ?[0-9]{0,2}\)|\*[0-9]{1,2}")
_AMOUNT_RE = re.compile(
    r"(?P<sign>[△▲▽▼]|-|マイナス)? ?"
    r"(?P<open>\()? ?"
    r"(?P<kin>(?<![\u3040-\u30ff\u3400-\u9fff])金)? ?"
    r"(?P<yen>[¥\\])? ?"
    rf"(?P<body>[{_NUMERAL_CHARS}](?:[{_NUMERAL_CHARS},.]*[{_NUMERAL_CHARS}])?)"
    r"(?P<en> ?円)?"
    r"(?P<tail>也|整|-)?"
    r"(?P<close> ?\))?"
)
# after a number, these make it a date, a count, a rate, a code: not an amount
_NOT_AMOUNT_AFTER_RE = re.compile(r" ?[年月日期号条項回名人社件台%個歳ヵかヶケカ箇/:-]")
_COMMA_AS_DOT_RE = re.compile(r"[0-9]{1,3}\.[0-9]{3}")
_NIL_RE = re.compile(f"[-{_DASHES}\u30fc\u2500\u2501]{{1,3}}")


def detect_unit(text: str) -> int | None:
    """The table unit a text declares: ``(単位：千円)`` → 1000, ``(円)`` → 1; None when none is declared."""
    if not isinstance(text, str) or not text:
        return None
    m = _UNIT_DECL_RE.search(normalize_text(text))
    if m is None:
        return None
    return _UNIT_WORDS[m.group(1) or m.group(2)]


def is_nil(s: str) -> bool:
    """A lone dash (``-`` ``−`` ``―`` ``ー`` ``—``, up to three): a nil (zero) cell in a table."""
    if not isinstance(s, str):
        return False
    return _NIL_RE.fullmatch(normalize_text(s).replace(" ", "")) is not None


def parse_amount(s: str, unit: int = 1, *, nil_is_zero: bool = False) -> int | None:
    """Yen as int; ``unit`` multiplies a bare number (a 千円 table passes 1000). None when not one amount."""
    if not isinstance(s, str):
        return None
    t = normalize_text(s)
    if not t:
        return None
    if is_nil(t):
        return 0 if nil_is_zero else None
    declared = None
    if "単位" in t or "円" in t:
        m = _UNIT_DECL_RE.search(t)
        if m is not None:
            declared = _UNIT_WORDS[m.group(1) or m.group(2)]
            t = (t[:m.start()] + " " + t[m.end():]).strip()
    t = _UNIT_SPACE_RE.sub("", _join_spaced_digits(_NOTE_RE.sub(" ", t))).strip()
    found: list[int] = []
    for m in _AMOUNT_RE.finditer(t):
        value = _amount_candidate(t, m, declared if declared is not None else unit)
        if value is _Doubtful.AMOUNT:
            return None
        if value is not None:
            found.append(value)
    if len(found) != 1:
        return None
    return found[0]


class _Doubtful(Enum):
    AMOUNT = "a number that looks like an amount but cannot be read safely: the whole cell is None"


def _amount_candidate(t: str, m: re.Match[str], unit: int) -> int | None | Literal[_Doubtful.AMOUNT]:
    """The value of one regex match: None when it is not an amount, DOUBTFUL when it is a broken one."""
    body = m.group("body")
    has_arabic = any("0" <= c <= "9" for c in body)
    explicit = bool(m.group("en") or m.group("kin") or m.group("yen"))
    if not has_arabic and not explicit and m.group().strip() != t:
        return None  # 「一般管理費」: kanji in a label
    start, end = m.start("body"), m.end("body")
    if not m.group("en"):
        if _NOT_AMOUNT_AFTER_RE.match(t, end) and not m.group("tail"):
            return None
        before = t[:m.start()].rstrip()
        if not m.group("sign") and not m.group("open") and not m.group("kin") and not m.group("yen"):
            prev = t[start - 1] if start > 0 else ""
            if (prev.isascii() and prev.isalpha()) or before.endswith(("第", "No", "No.", "#", "№")):
                return None  # R5, No.12, 第12
    if m.group("tail") == "-" and not explicit:
        return _Doubtful.AMOUNT  # 「1,234-」: a trailing minus or a range; doubtful
    if m.group("open") and not m.group("close"):
        return _Doubtful.AMOUNT  # 「(1,234」; a lone ")" after a number belongs to the text around it
    value = _numeral(body)
    if value is None:
        return _Doubtful.AMOUNT if has_arabic else None
    multiplied = any(c in _SMALL or c in _BIG for c in body)
    if not explicit and not multiplied:
        if _COMMA_AS_DOT_RE.fullmatch(body):
            return _Doubtful.AMOUNT  # 「1.234」: an OCR'd comma as often as a decimal
        value *= unit
    if value.denominator != 1:
        return _Doubtful.AMOUNT
    negative = m.group("sign") is not None or (m.group("open") is not None and m.group("close") is not None)
    return -int(value) if negative else int(value)


# ======================================================================================================
# Dates
# ======================================================================================================

_ERAS: dict[str, tuple[int, date, date | None]] = {
    # name: (western year of 元年, first day, last day or None when open-ended)
    "明治": (1868, date(1868, 1, 1), date(1912, 7, 29)),
    "大正": (1912, date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (1926, date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (1989, date(1989, 1, 8), None),  # counted on past 2019-04-30: 平成32年 = 2020 (module doc)
    "令和": (2019, date(2019, 5, 1), None),
}
_ERA_OF = {
    "明治": "明治", "M": "明治", "明": "明治", "大正": "大正", "T": "大正", "大": "大正",
    "昭和": "昭和", "S": "昭和", "昭": "昭和", "平成": "平成", "H": "平成", "平": "平成",
    "令和": "令和", "R": "令和", "令": "令和",
}
_ERA_RX = r"明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR]\.?|(?<![\u3040-\u30ff\u3400-\u9fff])[明大昭平令]"
_N2 = rf"(?:[0-9]{{1,2}}(?![0-9])|{_K}{{1,3}})"
_EY = rf"(?:元|[0-9]{{1,2}}(?![0-9])|{_K}{{1,3}})"


def _ymd(p: str, seps: str = "./-") -> str:
    """Month and day after a year, group names prefixed by ``p``: 「年3月31日」 or 「.3.31」 (same separator)."""
    return (rf"(?:年(?P<{p}m>{_N2})月(?P<{p}d>{_N2})日?"
            rf"|(?P<{p}s>[{seps}])(?P<{p}m2>[0-9]{{1,2}})(?P={p}s)(?P<{p}d2>[0-9]{{1,2}})(?![0-9]))")


def _ym(p: str) -> str:
    return rf"(?:年(?P<{p}m>{_N2})月|[./-](?P<{p}m2>[0-9]{{1,2}})(?![0-9./-]))"


_WESTERN_YEAR = r"(?<![0-9])(?P<wy>[0-9]{4}|[〇一二三四五六七八九]{4})"
_DATE_RE = re.compile(rf"(?P<era>{_ERA_RX})(?P<ey>{_EY}){_ymd('e')}|{_WESTERN_YEAR}{_ymd('w')}")
_YEAR_MONTH_RE = re.compile(
    rf"(?P<era>{_ERA_RX})(?P<ey>{_EY}){_ym('e')}|(?<![0-9])(?P<wy>[0-9]{{4}}){_ym('w')}"
)
# an era-less second date of a period: 「令和5年4月1日～6年3月31日」
_ERALESS_RE = re.compile(rf"(?P<ey>{_EY}){_ymd('e', './')}")
_CONNECTORS = {"至", "~", "から", "より", "-", "−", "―", "‐", "–", "—", "ー", "〜", "～"}
_MIN_YEAR, _MAX_YEAR = 1800, 2200


def era_year(era: str, year: str) -> int | None:
    """The western year of an era year: (「令和」 or 「R」, 「5」 or 「元」) → 2023; None for an unknown era."""
    name = _ERA_OF.get(era.rstrip("."))
    n = _small_int(year)
    return None if name is None or n is None else _ERAS[name][0] + n - 1


def _small_int(s: str | None) -> int | None:
    if s is None:
        return None
    if s == "元":
        return 1
    if s.isascii():
        return int(s)
    return kanji_to_int(s)


def _era_date(era: str, year: int | None, month: int | None, day: int | None) -> date | None:
    if year is None or month is None or day is None or year < 1:
        return None
    first_year, first, last = _ERAS[era]
    try:
        d = date(first_year + year - 1, month, day)
    except (ValueError, OverflowError):
        return None
    if d < first or (last is not None and d > last):
        return None
    return d


def _western_date(year: int | None, month: int | None, day: int | None) -> date | None:
    if year is None or month is None or day is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _western_year(s: str) -> int | None:
    if s.isascii():
        return int(s)
    digits = [_KDIGIT.get(c) for c in s]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def _date_of(m: re.Match[str]) -> tuple[date | None, str | None]:
    """The date a ``_DATE_RE`` match names (None when invalid) and its era (None for 西暦)."""
    if m.group("era"):
        era = _ERA_OF[m.group("era").rstrip(".")]
        month = m.group("em") or m.group("em2")
        day = m.group("ed") or m.group("ed2")
        return _era_date(era, _small_int(m.group("ey")), _small_int(month), _small_int(day)), era
    month = m.group("wm") or m.group("wm2")
    day = m.group("wd") or m.group("wd2")
    return _western_date(_western_year(m.group("wy")), _small_int(month), _small_int(day)), None


def _compact(s: str) -> str:
    """Normalised text without any spaces: dates and terms are read from it."""
    if not isinstance(s, str):
        return ""
    return normalize_text(s).replace(" ", "").replace("\n", "")


def parse_date(s: str) -> date | None:
    """A 西暦 or 和暦 date (see the module table); None when the text holds no date, a bad one, or several."""
    t = _compact(s)
    if not t:
        return None
    found = {_date_of(m)[0] for m in _DATE_RE.finditer(t)}
    if len(found) != 1:
        return None
    return found.pop()


def parse_year_month(s: str) -> tuple[int, int] | None:
    """``令和5年4月`` → (2023, 4); a full date gives its year and month. None when not exactly one."""
    t = _compact(s)
    if not t:
        return None
    dates = {_date_of(m)[0] for m in _DATE_RE.finditer(t)}
    if len(dates) == 1:
        d = dates.pop()
        return None if d is None else (d.year, d.month)
    if dates:
        return None
    found: set[tuple[int, int] | None] = set()
    for m in _YEAR_MONTH_RE.finditer(t):
        month = _small_int(m.group("em") or m.group("em2") or m.group("wm") or m.group("wm2"))
        if month is None or not 1 <= month <= 12:
            found.add(None)
            continue
        if m.group("era"):
            era = _ERA_OF[m.group("era").rstrip(".")]
            year = _small_int(m.group("ey"))
            first_year, first, last = _ERAS[era]
            if year is None or year < 1:
                found.add(None)
                continue
            y = first_year + year - 1
            month_first = date(y, month, 1)
            month_last = (date(y + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
            ok = month_last >= first and (last is None or month_first <= last)
            found.add((y, month) if ok else None)
        else:
            y = int(m.group("wy"))
            found.add((y, month) if _MIN_YEAR <= y <= _MAX_YEAR else None)
    if len(found) != 1:
        return None
    return found.pop()


def parse_period(s: str) -> tuple[date, date] | None:
    """A fiscal period ``自 … 至 …`` / ``…から…まで`` / ``… ～ …`` as (first day, last day); None otherwise."""
    t = _compact(s)
    if not t:
        return None
    matches = list(_DATE_RE.finditer(t))
    pairs: list[tuple[date, date]] = []
    for a, b in zip(matches, matches[1:]):
        if t[a.end():b.start()] in _CONNECTORS:
            d1, d2 = _date_of(a)[0], _date_of(b)[0]
            if d1 is None or d2 is None or d1 > d2:
                return None
            pairs.append((d1, d2))
    if len(pairs) == 1:
        return pairs[0]
    if pairs or len(matches) != 1:
        return None
    # one dated start and an era-less end: 「令和5年4月1日～6年3月31日」
    first = matches[0]
    d1, era = _date_of(first)
    if d1 is None or era is None:
        return None
    rest = t[first.end():]
    for conn in sorted(_CONNECTORS, key=len, reverse=True):
        if rest.startswith(conn):
            m = _ERALESS_RE.match(rest, len(conn))
            if m is None:
                return None
            d2 = _era_date(era, _small_int(m.group("ey")), _small_int(m.group("em") or m.group("em2")),
                           _small_int(m.group("ed") or m.group("ed2")))
            if d2 is None or d1 > d2:
                return None
            return d1, d2
    return None


_TERM_RE = re.compile(rf"第([0-9]+|{_K}+)期")


def parse_term_number(s: str) -> int | None:
    """``第12期`` → 12, ``第十二期`` → 12; None when not exactly one."""
    t = _compact(s)
    found = {_small_int(m.group(1)) for m in _TERM_RE.finditer(t)}
    if len(found) != 1:
        return None
    return found.pop()


# ======================================================================================================
# Durations, counts, rates
# ======================================================================================================

_COUNTER = "[かヶカケヵ箇个]"
_MONTHS_RE = re.compile(
    rf"(?<![0-9〇一二三四五六七八九十元])(?:"
    rf"(?P<half>半)年"
    rf"|(?P<y>[0-9]{{1,2}}|{_K}{{1,3}})年(?!度)(?P<yhalf>半)?"
    rf"(?:(?P<ym>[0-9]{{1,3}}|{_K}{{1,3}}){_COUNTER}月|(?![0-9]{{1,2}}月|{_K}{{1,3}}月))"
    rf"|(?P<m>[0-9]{{1,3}}|{_K}{{1,3}}){_COUNTER}月"
    rf")"
)
_ERA_BEFORE_RE = re.compile(r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?|[明大昭平令])$")


def parse_months(s: str) -> int | None:
    """A loan term in months: ``5年`` → 60, ``5年6か月`` → 66, ``半年`` → 6; None when not exactly one."""
    t = _compact(s)
    found: set[int | None] = set()
    for m in _MONTHS_RE.finditer(t):
        if m.group("half"):
            found.add(6)
            continue
        if m.group("y") is not None:
            if _ERA_BEFORE_RE.search(t, 0, m.start()):
                found.add(None)  # 「令和5年」 is a year, not a term
                continue
            years = _small_int(m.group("y"))
            extra = _small_int(m.group("ym")) if m.group("ym") else 0
            if years is None or extra is None:
                found.add(None)
                continue
            found.add(years * 12 + extra + (6 if m.group("yhalf") else 0))
        else:
            found.add(_small_int(m.group("m")))
    if len(found) != 1:
        return None
    return found.pop()


_COUNT_RE = re.compile(
    rf"(?<![0-9,.])(?P<n>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+|{_K}+) ?(?:名|人)(?!当|あたり|につき|分)"
)
_PAREN_RE = re.compile(r"\([^()]*\)")


def parse_count(s: str) -> int | None:
    """A head count: ``25名``, ``従業員数 1,200 人``, a bare ``25``; a parenthesised breakdown is ignored."""
    if not isinstance(s, str):
        return None
    t = _join_spaced_digits(normalize_text(s))
    if not t:
        return None
    outer = _PAREN_RE.sub(" ", t)
    found = {_small_int(m.group("n").replace(",", "")) for m in _COUNT_RE.finditer(outer)}
    if not found:
        found = {_small_int(m.group("n").replace(",", "")) for m in _COUNT_RE.finditer(t)}
    if not found and _GROUPED_RE.fullmatch(t) and "." not in t:
        return int(t.replace(",", ""))
    if len(found) != 1:
        return None
    return found.pop()


_PERCENT_RE = re.compile(r"(?P<sign>[△▲]|-)? ?(?<![0-9.])(?P<n>[0-9]+(?:\.[0-9]+)?) ?(?:%|パーセント)")


def parse_percent(s: str) -> Decimal | None:
    """``0.80%`` → Decimal("0.80"), ``15％`` → Decimal("15"); None when not exactly one."""
    if not isinstance(s, str):
        return None
    t = _join_spaced_digits(normalize_text(s))
    found = {Decimal(("-" if m.group("sign") else "") + m.group("n")) for m in _PERCENT_RE.finditer(t)}
    if len(found) != 1:
        return None
    return found.pop()

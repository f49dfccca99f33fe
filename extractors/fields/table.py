"""Rows and columns of a printed table: a line's label, its numbers, and the column each number sits under.

Statements and plans print a label on the left and numbers on the right, in x order. ``tokens`` cuts a
line at spaces and at wide gaps between character boxes (normalisation glues two Japanese cells,
「科目 金額」 → 「科目金額」, but their boxes keep the gap). ``split_row`` cuts a normalised ``Line`` into label/number segments (a balance sheet prints two of them
side by side); ``assign_columns`` puts each number under the nearest column header by x position.
Nothing here knows what a label means: the field modules do.

Amount tokens: ``1,234``, ``△1,234`` / ``▲ 1,234`` / ``(1,234)`` / ``-1,234`` (negative), a lone dash
(``-``, ``−``, ``―``: nil, read as 0), an optional trailing ``円``. Note marks (``※2``, ``(注2)``, ``*1``)
are blanked out before the line is cut, so they never read as numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from extractors.normalize import detect_unit, is_nil, parse_amount
from pipeline.model import BBox, Line, union_bbox

_NOTE_MARK = re.compile(r"※\s?\d{1,2}(?![\d,])|※|\(\s?注\s?\d{1,2}\s?\)|注\s?\d{1,2}(?=\s|$)|\*\s?\d{1,2}(?![\d,])")
GAP_FACTOR = 1.2  # a jump between two character boxes wider than this × the character height cuts a token
_AMOUNT = re.compile(r"[△▲\-−]?\(?[△▲\-−]?\d[\d,.]*\)?円?")
_PLAIN = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,15}")
_DOTTED = re.compile(r"[△▲\-−]?\d{1,3}(?:[.,]{1,2}\d{3})+")  # 「30.000」, 「25,.906」: separators OCR misread
DOUBTFUL_NUM = 0.5  # confidence of such a number: which separator was printed is unknown
_SIGN_ONLY = re.compile(r"[△▲(\-−]")
_CLOSE_ONLY = re.compile(r"\)")
_ENUMERATOR_NUM = re.compile(r"\(?\d{1,2}[.)]?")
# Leading enumerators and decorations of a label: "I", "II", "IV." (NFKC of Ⅰ Ⅱ Ⅳ; Ⅰ-Ⅻ themselves too), "1.",
# "(1)", circled "①", "【売上高】", and an enumerator inside the brackets: "【II 労務費】", "[3]経費".
_LABEL_LEAD = re.compile(
    r"^(?:[IVX]{1,4}(?=[\s.、．]|[^\x00-\x7f])[.、．]?|[\u2160-\u217f][.、．]?|\(?\d{1,2}[.)、．]|\d{1,2}(?=\s)"
    r"|\(\d{1,2}\)|[a-zA-Z][.)]|[\u2460-\u2473\u2776-\u2793]|[・●○◆◇■□▼▽-])\s*")
_LABEL_BRACKETS = re.compile(r"[【】\[\]〔〕<>《》「」『』]")
_LABEL_DROP = re.compile(r"[\s【】\[\]〔〕<>《》「」『』:：]")
_PAREN = re.compile(r"\([^()]*\)")
_UNIT_DECL = re.compile(r"単位|^\(?(?:千円|百万円|円)\)?$|金額\s*\((?:千円|百万円|円)\)")


@dataclass(frozen=True, slots=True)
class Num:
    """One amount read from a line: its value in yen and where it was printed."""

    value: int  # yen (printed value × the table's unit); 0 for a nil dash
    raw: str  # the characters as printed
    page: int
    bbox: BBox
    confidence: float
    nil: bool = False
    unit: int = 1  # the table unit the value was printed in (for rounding tolerances)

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def xc(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2


@dataclass(frozen=True, slots=True)
class Row:
    """One label and the numbers printed after it, on one line (a line may hold several rows)."""

    label: str  # cleaned: no spaces, brackets, leading enumerators, note marks
    nums: tuple[Num, ...]
    page: int
    line_index: int
    label_bbox: BBox
    confidence: float
    extra: tuple[str, ...] = field(default_factory=tuple)  # non-amount tokens after the numbers (%, 円, text)


def clean_label(text: str) -> str:
    """``"II 営業外収益"`` → ``"営業外収益"``; ``"【売上高】"`` → ``"売上高"``; ``"【II 労務費】"`` → ``"労務費"``;
    parentheses are kept."""
    s = _LABEL_BRACKETS.sub(" ", text).strip()
    for _ in range(2):
        s = _LABEL_LEAD.sub("", s, count=1)
    return _LABEL_DROP.sub("", s)


def label_head(label: str) -> str:
    """The label without parenthesised asides: ``人件費(労務費を含む)`` → ``人件費``."""
    prev = None
    s = label
    while prev != s:
        prev, s = s, _PAREN.sub("", s)
    return s


def char_height(line: Line) -> float:
    """Median height of the line's character boxes (10 when it has none)."""
    heights = [b[3] - b[1] for ch, b in zip(line.text, line.boxes) if not ch.isspace() and b[3] > b[1]]
    return median(heights) if heights else 10.0


def tokens(line: Line) -> list[tuple[int, int]]:
    """``(start, end)`` of each token of the line: runs of characters cut at spaces and at wide box gaps."""
    text, boxes = line.text, line.boxes
    if len(boxes) != len(text):
        return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    gap = GAP_FACTOR * char_height(line)
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if ch.isspace():
            if start is not None:
                out.append((start, i))
                start = None
        elif start is None:
            start = i
        elif boxes[i][0] - boxes[i - 1][2] >= gap:
            out.append((start, i))
            start = i
    if start is not None:
        out.append((start, len(text)))
    return out


def _is_amount(token: str) -> bool:
    return bool(_AMOUNT.fullmatch(token)) and any(c.isdigit() for c in token)


def split_row(line: Line, page: int, line_index: int, unit: int) -> list[Row]:
    """Cut one line into rows: a label followed by its amounts; amounts in yen (× ``unit``)."""
    text = _NOTE_MARK.sub(lambda m: " " * len(m.group()), line.text)
    toks: list[tuple[int, int, str]] = []
    for start, end in tokens(line):
        # a note mark blanked inside a token splits it
        toks.extend((start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"\S+", text[start:end]))
    # Merge a lone sign ("△", "(", "-") with the amount right after it, and a lone ")" with the amount before
    # it; a dash far left of a number is a nil cell of another column, not a minus.
    near = GAP_FACTOR * char_height(line) if len(line.boxes) == len(line.text) else None
    merged: list[tuple[int, int, str]] = []
    for piece in toks:
        sign_before = bool(merged) and bool(_SIGN_ONLY.fullmatch(merged[-1][2])) and _is_amount(piece[2]) and (
            near is None or line.boxes[piece[0]][0] - line.boxes[merged[-1][1] - 1][2] < near)
        close_after = bool(merged) and bool(_CLOSE_ONLY.fullmatch(piece[2])) and _is_amount(merged[-1][2])
        if sign_before or close_after:
            start = merged.pop()[0]
            merged.append((start, piece[1], line.text[start:piece[1]].replace(" ", "")))
        else:
            merged.append(piece)

    rows: list[Row] = []
    label_toks: list[tuple[int, int, str]] = []
    nums: list[Num] = []
    extra: list[str] = []

    def close() -> None:
        if not label_toks and not nums:
            return
        label = clean_label(" ".join(t[2] for t in label_toks))
        lbox = line.span_bbox(label_toks[0][0], label_toks[-1][1]) if label_toks else (0.0, 0.0, 0.0, 0.0)
        rows.append(Row(label, tuple(nums), page, line_index, lbox, line.confidence, tuple(extra)))

    for i, (start, end, tok) in enumerate(merged):
        amount = _is_amount(tok)
        nil = not amount and is_nil(tok) and (bool(nums) or bool(label_toks))
        if amount and not nums and not label_toks and _ENUMERATOR_NUM.fullmatch(tok) and i + 1 < len(merged) \
                and not _is_amount(merged[i + 1][2]) and not is_nil(merged[i + 1][2]):
            amount = False  # "1 売上高", "(2) 営業外費用": an enumerator, part of the label
        if amount or nil:
            if nil:
                value: int | None = 0
            elif _PLAIN.fullmatch(tok):  # the common case, without the general parser's cost
                value = int(tok.replace(",", "")) * unit
            else:
                value = parse_amount(tok, unit)
            if value is None and _DOTTED.fullmatch(tok):  # 「30.000」: OCR's point for a comma, or a decimal
                digits = int(re.sub(r"\D", "", tok)) * unit
                sign = -1 if tok[0] in "△▲-−" else 1
                nums.append(Num(sign * digits, tok, page, line.span_bbox(start, end),
                                min(line.confidence, DOUBTFUL_NUM), False, unit))
                continue  # a number of its row, doubtful: never a label of a row of its own
            if value is None:
                amount = nil = False
            else:
                nums.append(Num(value, tok, page, line.span_bbox(start, end), line.confidence, nil, unit))
                continue
        if nums:
            if tok in ("円", "千円", "百万円") or tok.endswith(("%", "％")):
                extra.append(tok)
                continue
            close()
            label_toks, nums, extra = [], [], []
        label_toks.append((start, end, tok))
    close()
    return rows


def line_unit(line: Line) -> int | None:
    """The table unit a line declares (``(単位：千円)`` → 1000), or None when it declares none."""
    text = line.text.strip()
    if not _UNIT_DECL.search(text):
        return None
    return detect_unit(text)


def nearest(x: float, centers: list[float]) -> int:
    """Index of the center nearest to x."""
    return min(range(len(centers)), key=lambda i: abs(centers[i] - x))


def assign_columns(nums: tuple[Num, ...] | list[Num], centers: list[float]) -> dict[int, list[Num]]:
    """Put each number under the nearest column center; numbers of one column stay in x order."""
    out: dict[int, list[Num]] = {}
    for n in nums:
        out.setdefault(nearest(n.xc, centers), []).append(n)
    return out


def subcolumn_split(groups: list[list[Num]]) -> tuple[float, float] | None:
    """Right edges (inner, outer) of a column printed in two sub-columns (items left, totals right).

    Decided from the rows that print two numbers in the column; None when no row does.
    """
    pairs = [g for g in groups if len(g) >= 2]
    if not pairs:
        return None
    return median(g[0].x1 for g in pairs), median(g[-1].x1 for g in pairs)


def is_outer(num: Num, split: tuple[float, float] | None) -> bool:
    """Whether a lone number sits in the right-hand (totals) sub-column."""
    if split is None:
        return False
    inner, outer = split
    return abs(num.x1 - outer) < abs(num.x1 - inner)


def evidence(nums: list[Num]) -> tuple[int, BBox, str, float]:
    """Page, box, raw text and confidence of a value made of one or more numbers (a sum)."""
    if not nums:
        return 0, (0.0, 0.0, 0.0, 0.0), "", 0.0
    first_page = nums[0].page
    on_page = [n for n in nums if n.page == first_page]
    raw = nums[0].raw if len(nums) == 1 else "+".join(n.raw for n in nums)
    return first_page, union_bbox([n.bbox for n in on_page]), raw, min(n.confidence for n in nums)

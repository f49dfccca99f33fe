"""Fields of a 収支計画書 (様式第4号): the plan table, one entry per year, base year first.

The table's columns are years (基準年度 / 直近期 / 実績, 1年目…5年目, 令和6年度, 2025年3月期, 第13期) and its
rows are items (売上高, 営業利益, 人件費(労務費を含む), 減価償却費, 付加価値額, 営業外費用(支払利息等), 経常利益).
The header line with the most year labels gives the columns; every number of an item row goes to the nearest
year column by x, so an empty cell stays empty. A header printed over two lines (「基準年度」 above 「1年目 …」)
gives its columns from both; a number line without a label takes the item of a wrapped label cell just above
or below it (「付加価値額」 / 「(営業利益+人件費+減価償却費)」). The transposed layout (years as rows, items as
columns) is read the same way with the roles swapped.

``plan_years`` is a list of dicts ``{year, sales, operating_profit, personnel_cost, depreciation, value_added,
non_operating_expenses, ordinary_profit, value_added_consistent}`` (yen; None where the row is absent), plus
``employees`` (a head count) and ``value_added_per_head`` (yen) when the table prints those rows (JFC IoT活用融資
※4 judges 一人当たり付加価値額). The same table in a 事業計画書 is read by ``plans.extract_business_plan``.
``value_added_consistent`` says whether the printed 付加価値額 equals 営業利益 + 人件費 + 減価償却費 within one printed
unit per summand (None when a term is missing); the printed value is kept either way. Each cell has its own
confidence (``Field.cell_confidence``), lower in a row whose count of numbers differs from the column count and
for the amounts of a year whose 付加価値額 disagrees; the field's confidence is the lowest cell's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any

from extractors.fields.financial_statements import find_company_name
from extractors.fields.table import (
    GAP_FACTOR,
    Num,
    Row,
    char_height,
    label_head,
    line_unit,
    nearest,
    split_row,
)
from extractors.normalize import era_year
from pipeline.model import BBox, Field, Line, Page, union_bbox

log = logging.getLogger(__name__)

ITEM_KEYS: tuple[str, ...] = (
    "sales", "operating_profit", "personnel_cost", "depreciation", "value_added",
    "non_operating_expenses", "ordinary_profit",
)
DIRECT, MISCOUNT, INCONSISTENT = 0.92, 0.7, 0.6

# Order matters: 付加価値額's label often quotes 営業利益 etc. in its parentheses (removed first anyway).
_ITEMS: tuple[tuple[str, str], ...] = (
    ("value_added", r"付加価値(?:額|[^\s\d(（の])?"),
    ("non_operating_expenses", r"営業外(?:費用|.用|費.)"),
    ("ordinary_profit", r"経常(?:利益|損益|損失|利.)(?:額)?"),
    ("operating_profit", r"営業(?:利益|損益|損失|利.)(?:額)?"),
    ("personnel_cost", r"人件(?:費|[^\s\d(（])"),
    ("depreciation", r"減価(?:償却|.却|償.)(?:費)?"),
    ("sales", r"売上(?:高|金額|収益)?|営業収益|完成工事高"),
)
# (a label may have one character misread by OCR: 「営業利半」, 「減価償加費」, 「人件殴」, 「営業外人用」 is too far)
# a row label may open with a list marker: 「1」, 「(1)」, 「①」 (normalisation keeps circled numbers)
_ITEM_ROW = [(key, re.compile(r"[\d.()\s\u2460-\u2473]*(?:" + pat + r")")) for key, pat in _ITEMS]
# Rows that are not amounts of the base items, read only when the table prints them (keys left out otherwise).
_EXTRA_ITEMS: tuple[tuple[str, str], ...] = (
    ("value_added_per_head", r"(?:一人|1人|従業員一人|従業員1人)当た?り(?:の)?付加価値(?:額)?"),
    ("employees", r"(?:常時使用する)?(?:従業員|従業者|社員|職員)(?:数)?|人員(?:数)?"),
)
EXTRA_KEYS: tuple[str, ...] = tuple(key for key, _ in _EXTRA_ITEMS)
_EXTRA_ROW = [(key, re.compile(r"[\d.()\s\u2460-\u2473]*(?:" + pat + r")")) for key, pat in _EXTRA_ITEMS]
_ITEM_KEYS = {"売上高": "sales", "営業利益": "operating_profit", "人件費": "personnel_cost", "減価償却費": "depreciation",
              "付加価値額": "value_added", "営業外費用": "non_operating_expenses", "経常利益": "ordinary_profit"}
_ITEM_NAME = re.compile("|".join(sorted(_ITEM_KEYS, key=len, reverse=True)))
_ITEM_ANY = re.compile("|".join(f"(?P<{key}>{pat})" for key, pat in (*_EXTRA_ITEMS, *_ITEMS)))
# circled / parenthesised / full-stop numbers and letters (①, ⑴, ⒈, Ⓐ, ❶, ㉑), and formula signs between them
_MARK = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]|(?<=[\u2460-\u24ff\u2776-\u2793])[+\-−=]")
# a mark or a ruled line read as 「/」 or 「|」 closing a label (「付加価値額①+②+③/」, once the marks are gone), or
# as a few letters and strokes (「営業利半o_」)
_TRAILING_MARK = re.compile(r"(?<=[^\x00-\x7f])(?:[=+\-−]?[A-Za-z*]|[=:/|\\_.\s])+$")
_A_RATE = re.compile(r"率|伸び|増加|増減|%")
_UNCLOSED = re.compile(r"\s*[(（][^()（）]*$")  # a bracket OCR never closed (「付加価値額 (⑳⑥+@+@ ーー」): an aside
_NOT_AN_AMOUNT = re.compile(r"率|伸び|増加|増減|一人当|1人当|%|従業員数|人数")
_HEADS_LINE = re.compile(r"従業員|従業者|社員|職員|人員")
_HEADS_SUFFIX = re.compile(r"(?<=\d)\s?[人名]")  # 「80人」 in a head-count row: the number alone
_HEADS_CELL = re.compile(r"(?<=\d)\s?[人名](?=\s|$)")  # 「12人」 ending a cell of a head-count column
_YEAR = re.compile(
    r"基準(?:年度|年|期)|直近(?:期末?|決算期?|年度)|(?:前期|当期)?実績|現状|申請時"
    r"|(?:計画)?\d{1,2}\s?(?:年目|期目)"
    r"|(?:令和|平成|R|H)\s?(?:\d{1,2}|元)(?:\s?年(?:度|\s?\d{1,2}\s?月期)?)?(?![\d.])"
    r"|\d{4}\s?年(?:度|\s?\d{1,2}\s?月期)?|\d{4}/\d{1,2}期|第\s?\d{1,3}\s?期"
)
_PAREN_SPAN = re.compile(r"\([^()]*\)")
_FISCAL = re.compile(r"(?:令和|平成|R|H)\s?(?:\d{1,2}|元)|\d{4}\s?年|第\s?\d{1,3}\s?期")
_LEADING_ASIDE = re.compile(r"\([^()]{1,8}\)")
_GARBLED_NUMBER = re.compile(r"[\d.,:;'`<>|]*\d[\d.,:;'`<>|]*")  # a number cell OCR garbled past reading (「.18.344」)


@dataclass(frozen=True, slots=True)
class _Table:
    page: Page
    header: Line
    years: list[str]  # year labels as printed, in table order (base year first)
    cells: dict[tuple[int, str], Num]  # (year index, item key) → number
    found_items: int
    # the cells of a row whose count of numbers differs from the column count, or with two numbers in one cell
    doubtful: frozenset[tuple[int, str]] = frozenset()
    labels_confidence: float = 1.0  # the year labels' (a column header's; a row's own are in its numbers')


def extract(pages: list[Page]) -> dict[str, Field]:
    """``plan_years`` (and ``applicant_name`` when a name is printed) of one 収支計画書."""
    fields: dict[str, Field] = {}
    name = find_company_name(pages)
    if name is not None:
        fields["applicant_name"] = name
    best: _Table | None = None
    for page in pages:
        rows = _rows(page)
        for table in (_years_as_columns(page, rows), _years_as_rows(page, rows)):
            if table is not None and (best is None or table.found_items > best.found_items):
                best = table
    if best is not None:
        fields["plan_years"] = _plan_field(best)
    else:
        log.info("income_plan: no plan table found in %s", pages[0].file if pages else "(no pages)")
    return fields


def _rows(page: Page) -> list[list[Row]]:
    """The rows of each line, amounts in yen under the unit in force (a declaration applies from its line on)."""
    unit, out = 1, []
    heads_column = any(_HEADS_LINE.search(line.text) for line in page.lines)
    for index, line in enumerate(page.lines):
        declared = line_unit(line)
        if declared is not None:
            unit = declared
        if _HEADS_LINE.search(line.text):  # 「80人」: blank the 人 so the count reads as a number (boxes kept)
            line = Line(_HEADS_SUFFIX.sub(lambda m: " " * len(m.group()), line.text), line.boxes, line.confidence,
                        line.char_confidence)
        elif heads_column:  # years down the page, a 従業員 column: 「12人」 closes a year's row
            line = Line(_HEADS_CELL.sub(lambda m: " " * len(m.group()), line.text), line.boxes, line.confidence,
                        line.char_confidence)
        out.append(split_row(line, page.number, index, unit))
    return out


def _named(label: str) -> bool:
    """Whether a row label holds a name: not only the formula of a label wrapped above it (「(①+②+③)」 under
    「付加価値額」), nor nothing."""
    return bool(_MARK.sub("", label_head(label)).strip(" ()（）+-=@"))


def _item_of(label: str) -> str | None:
    """The item a row label names; reference marks around it are ignored (「営業利益 ①」, 「人件費(労務費を含む)②」,
    「付加価値額 ①+②+③」, 「経常利益 A」)."""
    head = _head(label)
    if not _A_RATE.search(label):
        for key, pattern in _EXTRA_ROW:
            if pattern.fullmatch(head):
                return key
    if _NOT_AN_AMOUNT.search(label):
        return None
    for key, pattern in _ITEM_ROW:
        if pattern.fullmatch(head):
            return key
    # an item's whole name followed by what OCR made of its aside (「人件費務雪を合 ) る」 for
    # 「人件費(労務費を含む)」), when no other item is named after it
    m = _ITEM_NAME.match(head)
    if m is not None and not _ITEM_ANY.search(head, m.end()):
        return _ITEM_KEYS[m.group()]
    return None


def _head(label: str) -> str:
    """A row label's name: no aside (closed or not), reference marks or what a ruled line read as after it."""
    return _TRAILING_MARK.sub("", _MARK.sub("", label_head(_UNCLOSED.sub("", label))))


def _marks(line: Line) -> list[tuple[str, float]]:
    """The year labels of a line with their x centers; a parenthesised qualifier printed right after a
    label (「令和6年度(実績)」) is part of it, and parentheses around a label are kept (「(実績)」)."""
    text = line.text
    spans: list[tuple[int, int]] = []
    for m in _YEAR.finditer(text):
        start, end = m.start(), m.end()
        if start > 0 and end < len(text) and text[start - 1] == "(" and text[end] == ")":
            start, end = start - 1, end + 1
        if spans and text[start] == "(" and not text[spans[-1][1]:start].strip():
            near = GAP_FACTOR * char_height(line)
            if len(line.boxes) != len(text) or line.boxes[start][0] - line.boxes[spans[-1][1] - 1][2] < near:
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    out = []
    for start, end in spans:
        box = line.span_bbox(start, end)
        out.append((text[start:end].replace(" ", ""), (box[0] + box[2]) / 2))
    return out


def _has_numbers(rows: list[list[Row]], index: int) -> bool:
    return any(r.nums for r in rows[index])


def _year_header(page: Page, rows: list[list[Row]]) -> tuple[int, list[tuple[str, float]]] | None:
    """The line with the most year labels (at least three), and each column's label with its x center.

    A header cell may span lines (「基準年度」 / 「令和6年度」 / 「(実績)」 stacked, or 「1年目」 over
    「令和7年度」): the lines printed right above and below the header line (no numbers, no wide vertical
    gap) add their labels to the column under which they sit, or make a new column one column-spacing left
    or right of the others (see ``_column_label`` for the label a column gets).
    """
    best: tuple[int, list[tuple[str, float]]] | None = None
    for index, line in enumerate(page.lines):
        marks = _marks(line)
        if len(marks) >= 3 and (best is None or len(marks) > len(best[1])) and not _has_numbers(rows, index):
            best = (index, marks)
    if best is None:
        return None
    index, marks = best
    centers = sorted(x for _, x in marks)
    spacing = min(b - a for a, b in pairwise(centers))
    # each column: its x center and its pieces (line index, text)
    columns: list[tuple[float, list[tuple[int, str]]]] = [(x, [(index, label)]) for label, x in marks]
    for j in _header_band(page, rows, index):
        placed = _place_pieces(columns, _marks(page.lines[j]), spacing)
        if placed is None:
            continue  # a line that does not fit the columns (a 計画期間 line, a note): none of it
        for k, label, x in placed:
            if k is None:
                columns.append((x, [(j, label)]))
            else:
                columns[k][1].append((j, label))
    columns.sort(key=lambda col: col[0])
    return index, [(_column_label(pieces), x) for x, pieces in columns]


def _column_label(pieces: list[tuple[int, str]]) -> str:
    """A column's label: the piece naming its fiscal year (「令和6年度」 of 「基準年度 / 令和6年度 / (実績)」),
    else its pieces top to bottom, joined with a space (「基準年度 (実績)」)."""
    fiscal = [text for _, text in pieces if _FISCAL.search(text)]
    if len(fiscal) == 1:
        return fiscal[0]
    return " ".join(text for _, text in sorted(pieces))


def _place_pieces(columns: list[tuple[float, list[tuple[int, str]]]], marks: list[tuple[str, float]],
                  spacing: float) -> list[tuple[int | None, str, float]] | None:
    """Where each year label of another header line goes: under a column (its index) or as a new column
    one spacing beyond the outermost (None). None for the whole line when a label fits nowhere, when two
    labels of the line fall under one column, or when a column would name two fiscal years."""
    xs = [c for c, _ in columns]
    out: list[tuple[int | None, str, float]] = []
    taken: set[int] = set()
    for label, x in marks:
        k = nearest(x, xs)
        if abs(x - xs[k]) < spacing / 2:
            if k in taken or (_FISCAL.search(label) and any(_FISCAL.search(t) for _, t in columns[k][1])):
                return None
            taken.add(k)
            out.append((k, label, x))
        elif abs(x - (min(xs) - spacing)) < spacing / 2 or abs(x - (max(xs) + spacing)) < spacing / 2:
            xs.append(x)
            taken.add(len(xs) - 1)
            out.append((None, label, x))
        else:
            return None
    return out


def _header_band(page: Page, rows: list[list[Row]], index: int) -> list[int]:
    """Lines of a header printed over several lines: up to three each side of the header line, without
    numbers, each within one and a half character heights of the next; nearest first."""
    band: list[tuple[int, int]] = []
    for step in (-1, 1):
        prev = page.lines[index]
        j = index + step
        while 0 <= j < len(page.lines) and abs(j - index) <= 3 and not _has_numbers(rows, j):
            line = page.lines[j]
            upper, lower = (line, prev) if step < 0 else (prev, line)
            if lower.bbox[1] - upper.bbox[3] > 1.5 * max(char_height(line), char_height(prev)):
                break
            band.append((abs(j - index), j))
            prev = line
            j += step
    return [j for _, j in sorted(band)]


def _years_as_columns(page: Page, rows: list[list[Row]]) -> _Table | None:
    header = _year_header(page, rows)
    if header is None:
        return None
    index, marks = header
    centers = [x for _, x in marks]
    cells: dict[tuple[int, str], Num] = {}
    doubtful: set[tuple[int, str]] = set()
    unnamed: list[tuple[str, tuple[Num, ...]]] = []  # number rows whose label OCR garbled past recognition
    found = 0
    for i in range(index + 1, len(page.lines)):
        if _year_header_line(page.lines[i]) and found:
            break  # a second table below
        placed: str | None = None  # the item this line's row was read as
        for row in rows[i]:
            nums = _in_columns(row.nums, centers)
            if placed is not None and _GARBLED_NUMBER.fullmatch(row.label):
                # a number OCR garbled (「16,379 17,362 .18.344 19,327」) cut the item's row: the rest is still its,
                # in their columns; the row is doubtful (a cell short)
                _place(cells, nums, centers, placed)
                doubtful.update((y, placed) for y in range(len(centers)))
                continue
            key = _item_of(row.label) if _named(row.label) else _wrapped_label(rows, i)
            if key is None and len(nums) == len(centers):
                unnamed.append((row.label, nums))
            if key is None or not row.nums or any(k == key for _, k in cells):
                continue
            found += 1
            placed = key
            clash = _place(cells, nums, centers, key)
            if clash or len(nums) != len(centers):
                doubtful.update((y, key) for y in range(len(centers)))
    if not found:
        return None
    guessed = _items_by_likeness(cells, unnamed, len(centers))
    found += len(guessed)
    if _value_added_by_identity(cells, [nums for label, nums in unnamed if label not in guessed.values()],
                                centers):
        found += 1
    # a row named by its likeness alone stands in a column where an identity with it holds, else is doubtful
    doubtful.update((y, key) for key in guessed for y in range(len(centers)) if not _verified(cells, y, key))
    header = page.lines[index]
    years = [label for label, _ in marks]
    # year labels that count on by one (令和5年度 … 令和10年度, 1年目 … 5年目) are verified by their sequence,
    # whatever OCR's confidence in their digits
    return _Table(page, header, years, cells, found, frozenset(doubtful),
                  1.0 if _consecutive(years) else header.confidence)


_YEAR_NUMBER = re.compile(r"(令和|平成|R|H)\s?(\d{1,2}|元)|(\d{4})\s?年|(\d{1,2})\s?(?:年目|期目)|第\s?(\d{1,3})\s?期")


def _consecutive(labels: list[str]) -> bool:
    """Whether the year labels count on by one, each after the first naming a year (a base year may be
    「基準年度」 or 「実績」): at least three in a row, in one kind of numbering."""
    numbers: list[tuple[int, int]] = []  # (kind, number)
    for k, label in enumerate(labels):
        m = _YEAR_NUMBER.search(label)
        if m is None:
            if k == 0:
                continue
            return False
        if m.group(1):
            numbers.append((0, era_year(m.group(1), m.group(2)) or 0))
        elif m.group(3):
            numbers.append((0, int(m.group(3))))
        else:
            numbers.append((1 if m.group(4) else 2, int(m.group(4) or m.group(5))))
    return (len(numbers) >= 3 and len({kind for kind, _ in numbers}) == 1
            and all(b[1] - a[1] == 1 for a, b in pairwise(numbers)))


_ITEM_NAMES = {key: name for name, key in _ITEM_KEYS.items()}
# rows a plan may print beside its items, read right: never a garbled item (営業外収益 is as like 営業外費用 as 0.6)
_OTHER_ROW = re.compile(r"営業外収益|売上原価|売上総利益|販売費|一般管理費|販管費|(?:当期)?純利益|特別(?:利益|損失)|税引前")
LIKENESS = 0.5  # a garbled row label is the item whose name it is most like, at least this (difflib's ratio)
LIKENESS_MARGIN = 0.1  # ... and by this much more than it is like any other item not yet found


def _items_by_likeness(cells: dict[tuple[int, str], Num], unnamed: list[tuple[str, tuple[Num, ...]]],
                       columns: int) -> dict[str, str]:
    """Rows whose label OCR garbled beyond the one misread character the item patterns allow (「秋業外人用の④」,
    「幣利益(ゆー④)」, 「減価筐却費人ざ」, 「人伯費」), named by the item not yet found whose name each is most like:
    clearly more than any other, and more than any other such row is. Their numbers go in as read; whether they
    stand is for the identities to say (:func:`_verified`). Returns item key → the row's label."""
    missing = [key for key in ITEM_KEYS if not any(k == key for _, k in cells)]
    scores: list[tuple[float, str, str, tuple[Num, ...]]] = []
    for label, nums in unnamed:
        head = _head(label).strip()
        if not head or _NOT_AN_AMOUNT.search(label) or _OTHER_ROW.match(head) or len(nums) != columns:
            continue
        ranked = sorted(((_likeness(head, _ITEM_NAMES[key]), key) for key in missing), reverse=True)
        if ranked and ranked[0][0] >= LIKENESS and (len(ranked) == 1
                                                    or ranked[0][0] - ranked[1][0] >= LIKENESS_MARGIN):
            scores.append((ranked[0][0], ranked[0][1], label, nums))
    guessed: dict[str, str] = {}
    for score, key, label, nums in sorted(scores, key=lambda t: t[0], reverse=True):
        if key in guessed or any(k == key and other != label and abs(sc - score) < LIKENESS_MARGIN
                                 for sc, k, other, _ in scores):
            continue  # two rows alike to one item: neither is named by likeness
        guessed[key] = label
        for y, num in enumerate(sorted(nums, key=lambda n: n.xc)):
            cells[(y, key)] = num
    return guessed


def _likeness(head: str, name: str) -> float:
    """How like an item's name a garbled label head is: difflib's ratio of the name to the head's start as long
    as the name, a character less or more (what follows is OCR's reading of an aside or a rule)."""
    return max(SequenceMatcher(None, head[:n], name).ratio() for n in range(max(1, len(name) - 1), len(name) + 2))


_VALUE_ADDED_PARTS = ("operating_profit", "personnel_cost", "depreciation")
# the plan's identities: total = Σ plus − Σ minus
_IDENTITIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("value_added", _VALUE_ADDED_PARTS, ()),
    ("ordinary_profit", ("operating_profit",), ("non_operating_expenses",)),
)


def _sums(total: Num, plus: Sequence[Num], minus: Sequence[Num] = ()) -> bool:
    """Whether ``total`` = Σ ``plus`` − Σ ``minus``, within one printed unit per summand (rounding)."""
    parts = [*plus, *minus]
    got = sum(n.value for n in plus) - sum(n.value for n in minus)
    return abs(total.value - got) <= sum(max(n.unit, 1) for n in parts)


def _verified(cells: dict[tuple[int, str], Num], y: int, key: str) -> bool:
    """Whether an identity of the plan holds in column ``y`` with ``key``'s cell among its terms: 付加価値額 =
    営業利益 + 人件費 + 減価償却費, or 経常利益 = 営業利益 − 営業外費用."""
    for total, plus, minus in _IDENTITIES:
        if key not in (total, *plus, *minus):
            continue
        t, p, m = cells.get((y, total)), [cells.get((y, k)) for k in plus], [cells.get((y, k)) for k in minus]
        if t is not None and None not in p and None not in m \
                and _sums(t, [n for n in p if n], [n for n in m if n]):
            return True
    return False


def _value_added_by_identity(cells: dict[tuple[int, str], Num], unnamed: list[tuple[Num, ...]],
                             centers: list[float]) -> bool:
    """A 付加価値額 row whose label OCR garbled past recognition (「付吉仙付 (0Tの1」): the one unnamed row whose
    every number is 営業利益 + 人件費 + 減価償却費 of its column (within a printed unit per term). Each of its
    numbers is then as sure as the three it equals, whatever its line's garbled label did to its confidence."""
    if any(k == "value_added" for _, k in cells) or not unnamed:
        return False
    found = [[cells.get((y, k)) for k in _VALUE_ADDED_PARTS] for y in range(len(centers))]
    parts = [[p for p in column if p] for column in found]
    if any(len(column) < len(_VALUE_ADDED_PARTS) for column in parts):
        return False
    matches = []
    for nums in unnamed:
        ordered = sorted(nums, key=lambda n: n.xc)
        if all(_sums(n, column) for n, column in zip(ordered, parts)):
            matches.append(ordered)
    if len(matches) != 1:
        return False
    for y, (num, column) in enumerate(zip(matches[0], parts)):
        sure = min(p.confidence for p in column)
        cells[(y, "value_added")] = replace(num, confidence=max(num.confidence, sure))
    return True


def _wrapped_label(rows: list[list[Row]], i: int) -> str | None:
    """The item of a number line printed without its label: a two-line label cell (「付加価値額」 over
    「(営業利益+人件費+減価償却費)」) centres its numbers between, so the label is on the line above or below."""
    bare = [j for j in (i - 1, i + 1) if 0 <= j < len(rows) and rows[j] and not any(r.nums for r in rows[j])]
    if len(bare) == 2:  # the label itself wrapped over both lines: 「一人当たり」 / 「付加価値額」
        key = _item_of(rows[bare[0]][0].label + rows[bare[1]][0].label)
        if key is not None:
            return key
    for j in bare:
        key = _item_of(rows[j][0].label)
        if key is not None:
            return key
    return None


def _year_header_line(line: Line) -> bool:
    return len(_YEAR.findall(line.text)) >= 3


def _in_columns(nums: tuple[Num, ...], centers: list[float]) -> tuple[Num, ...]:
    """A row's numbers but a dash left of the first year column by more than half a column: OCR's reading of
    the label cell's closing mark or rule (「付加価値額 (⑳⑥+@+@ ーー」), not an empty cell."""
    if len(centers) < 2:
        return nums
    half = min(b - a for a, b in pairwise(sorted(centers))) / 2
    return tuple(n for n in nums if not (n.nil and n.xc < min(centers) - half))


def _place(cells: dict[tuple[int, str], Num], nums: tuple[Num, ...], centers: list[float], key: str) -> bool:
    """Put a row's numbers under their nearest year columns; True when two land in the same cell."""
    clash = False
    for num in nums:
        col = nearest(num.xc, centers)
        clash |= (col, key) in cells
        cells.setdefault((col, key), num)
    return clash


def _years_as_rows(page: Page, rows: list[list[Row]]) -> _Table | None:
    """Transposed layout: a header line naming the items, one row per year."""
    for index, line in enumerate(page.lines):
        text = _PAREN_SPAN.sub(lambda m: " " * len(m.group()), line.text)
        items: list[tuple[str, float]] = []
        for m in _ITEM_ANY.finditer(text):
            key = m.lastgroup
            if key is None or any(k == key for k, _ in items):
                continue
            box = line.span_bbox(m.start(), m.end())
            items.append((key, (box[0] + box[2]) / 2))
        if len(items) < 3:
            continue
        centers = [x for _, x in items]
        years: list[str] = []
        cells: dict[tuple[int, str], Num] = {}
        doubtful: set[tuple[int, str]] = set()
        for i in range(index + 1, len(page.lines)):
            y: int | None = None  # the year this line's row is, once its label is read
            line_nums: list[Num] = []
            for row in rows[i]:
                year = _YEAR.match(row.label)
                if year is None:
                    if y is not None:  # a cell OCR garbled (「和44633.814」) cut the year's row: the rest is still its
                        line_nums.extend(row.nums)
                    continue
                if y is not None or not row.nums:
                    break
                y = len(years)
                aside = _LEADING_ASIDE.match(row.label, year.end())  # 「令和6年度(実績)」
                years.append(row.label[:aside.end() if aside else year.end()].replace(" ", ""))
                line_nums.extend(row.nums)
            if y is None:
                continue
            clash = False
            for num in line_nums:
                key = items[nearest(num.xc, centers)][0]
                clash |= (y, key) in cells
                cells.setdefault((y, key), num)
            if clash or len(line_nums) != len(centers):
                doubtful.update((y, key) for key, _ in items)
        if len(years) >= 2:
            # the item header only says which column is which item, by name (「人件殴」 is still 人件費); each
            # row's year label is read with its numbers, in their line's confidence
            return _Table(page, line, years, cells, len(items), frozenset(doubtful))
    return None


def _plan_field(table: _Table) -> Field:
    """The plan as a list of years, with each cell's own confidence: its number's (the line it was read
    on), × MISCOUNT in a row whose numbers do not fit the columns, × INCONSISTENT for the four amounts of
    a year whose printed 付加価値額 disagrees with its parts, × the year labels' confidence; the field's
    confidence is the lowest cell's, so a table with one doubtful cell is doubtful as a whole, and a
    rule may still use the cells read well (``checks.engine``)."""
    years: list[dict[str, Any]] = []
    cell_confidence: list[dict[str, float]] = []
    extra = [key for key in EXTRA_KEYS if any(k == key for _, k in table.cells)]
    for y, label in enumerate(table.years):
        entry: dict[str, Any] = {"year": label}
        for key in ITEM_KEYS:
            num = table.cells.get((y, key))
            entry[key] = num.value if num is not None else None
        for key in extra:
            num = table.cells.get((y, key))
            entry[key] = None if num is None else num.value // max(num.unit, 1) if key == "employees" else num.value
        consistent = _value_added_consistent(table, y)
        entry["value_added_consistent"] = consistent
        if consistent is False:
            log.info("income_plan: printed value added disagrees with its parts (year column %d)", y)
        confs: dict[str, float] = {}
        for key in (*ITEM_KEYS, *extra):
            num = table.cells.get((y, key))
            if num is None:
                continue
            conf = DIRECT * num.confidence * table.labels_confidence
            if (y, key) in table.doubtful:
                conf *= MISCOUNT
            if consistent is False and key in _VALUE_ADDED_TERMS:
                conf *= INCONSISTENT
            confs[key] = round(conf, 3)
        years.append(entry)
        cell_confidence.append(confs)
    nums = list(table.cells.values())
    lowest = min((c for confs in cell_confidence for c in confs.values()), default=0.0)
    bbox: BBox = union_bbox([n.bbox for n in nums if n.page == table.page.number] + [table.header.bbox])
    return Field(value=years, confidence=lowest, page=table.page.number, bbox=bbox,
                 source=table.page.source, raw=table.header.text, cell_confidence=cell_confidence)


_VALUE_ADDED_TERMS = frozenset({*_VALUE_ADDED_PARTS, "value_added"})


def _value_added_consistent(table: _Table, y: int) -> bool | None:
    parts = [table.cells.get((y, k)) for k in _VALUE_ADDED_PARTS]
    printed = table.cells.get((y, "value_added"))
    if printed is None or None in parts:
        return None
    return _sums(printed, [p for p in parts if p])

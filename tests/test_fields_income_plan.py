"""extractors.fields.income_plan: the 収支計画書 table in several layouts.

Pages are grids: ``"label | c1 | c2 ..."`` puts the label at the left margin and each cell right-aligned
at the column edges given (an empty cell stays empty), as a form's text layer does.
"""

from __future__ import annotations

import dataclasses

import pytest

from extractors.fields import income_plan
from pipeline.model import BBox, Line, Page
from tests.pagekit import grid_line

CHAR = 10.0
SIX = [220.0 + 80.0 * i for i in range(6)]  # right edges of six year columns


def grid_page(rows: list[str], edges: list[float], confidence: float = 1.0) -> Page:
    lines = tuple(grid_line(r, 40.0 + 14.0 * i, edges, confidence) for i, r in enumerate(rows))
    return Page(file="plan.pdf", number=1, source="text", width=842.0, height=595.0, lines=lines)


def column(years: list[dict], key: str) -> list:
    return [y[key] for y in years]


# 基準年度 + 5 plan years, 千円, the form's own row labels.
STANDARD = grid_page([
    "様式第4号",
    "収支計画書",
    "申込者名 株式会社福井精機",
    "(単位：千円)",
    "項目 | 基準年度 | 1年目 | 2年目 | 3年目 | 4年目 | 5年目",
    "売上高 | 100,000 | 103,000 | 106,000 | 110,000 | 113,000 | 117,000",
    "営業利益 | 5,000 | 5,300 | 5,600 | 6,000 | 6,300 | 6,700",
    "人件費(労務費を含む) | 20,000 | 20,500 | 21,000 | 21,500 | 22,000 | 22,500",
    "減価償却費 | 3,000 | 3,500 | 3,500 | 3,400 | 3,300 | 3,200",
    "付加価値額(営業利益+人件費+減価償却費) | 28,000 | 29,300 | 30,100 | 30,900 | 31,600 | 32,400",
    "営業外費用(支払利息等) | 1,000 | 1,050 | 1,000 | 950 | 900 | 850",
    "経常利益(営業利益-営業外費用) | 4,000 | 4,250 | 4,600 | 5,050 | 5,400 | 5,850",
    "付加価値額の伸び率 | | 4.6% | 7.5% | 10.4% | 12.9% | 15.7%",
], SIX)

FISCAL_YEARS = grid_page([
    "収支計画書",
    "(単位：円)",
    "区分 | 令和5年度 | 令和6年度 | 令和7年度 | 令和8年度",
    "1 営業利益 | 1,000,000 | 1,100,000 | 1,200,000 | 1,300,000",
    "2 人件費 | 4,000,000 | 4,100,000 | 4,200,000 | 4,300,000",
    "③減価償却費 | 500,000 | 600,000 | 600,000 | 600,000",
    "付加価値額 | 5,500,000 | 5,800,000 | 6,000,000 | 6,200,000",
    "経常利益 | 900,000 | 1,000,000 | 1,100,000 | 1,200,000",
], SIX[:4])

TRANSPOSED_ROWS = [
    "収支計画書",
    "(単位：千円)",
    "年度 | 営業利益 | 人件費 | 減価償却費 | 付加価値額 | 営業外費用 | 経常利益",
    "基準年度 | 5,000 | 20,000 | 3,000 | 28,000 | 1,000 | 4,000",
    "1年目 | 5,300 | 20,500 | 3,500 | 29,300 | 1,050 | 4,250",
    "2年目 | 5,600 | 21,000 | 3,500 | 30,100 | 1,000 | 4,600",
]
TRANSPOSED = grid_page(TRANSPOSED_ROWS, SIX)

# 付加価値額 printed wrong in 2年目 (30,000 instead of 30,100); 営業外費用 row absent.
INCONSISTENT = grid_page([
    "収支計画書",
    "(単位：千円)",
    "項目 | 直近期 | 1年目 | 2年目",
    "営業利益 | 5,000 | 5,300 | 5,600",
    "人件費 | 20,000 | 20,500 | 21,000",
    "減価償却費 | 3,000 | 3,500 | 3,500",
    "付加価値額 | 28,000 | 29,300 | 30,000",
    "経常利益 | 4,000 | 4,250 | 4,600",
], SIX[:3])

# one cell left empty (1年目 減価償却費): the row has fewer numbers than columns.
EMPTY_CELL = grid_page([
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目",
    "営業利益 | 500 | 530 | 560",
    "人件費 | 2,000 | 2,050 | 2,100",
    "減価償却費 | 300 | | 350",
    "付加価値額 | 2,800 | 2,580 | 3,010",
], SIX[:3])


# OCR's forms of the 付加価値額 row: its label misread (額 → 客) with the formula wrapped onto the number line;
# the marks closed by a stray 「/」 with the numbers on the next line; a bracket never closed.
WRAPPED_FORMULA = grid_page([
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目",
    "営業利益 | 500 | 530 | 560",
    "人件費 | 2,000 | 2,050 | 2,100",
    "減価償却費 | 300 | 320 | 350",
    "付加価値客",
    "(①+@+③) | 2,800 | 2,900 | 3,010",
], SIX[:3])
SLASHED_MARKS = grid_page([
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目",
    "営業利益 | 500 | 530 | 560",
    "付加価値額①+②+⑨/",
    "| 2,800 | 2,900 | 3,010",
    "経常利益 | 400 | 430 | 460",
], SIX[:3])
UNCLOSED = grid_page([
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目",
    "営業利益 | 500 | 530 | 560",
    "付加価値額 (⑳⑥+@+@ ーー | 2,800 | 2,900 | 3,010",  # the dash: the cell's 「)」 or rule, not a nil cell
], [340.0, 420.0, 500.0])  # a wide label column, as printed


GARBLED_VALUE_ADDED = [
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目",
    "営業利益 | 500 | 530 | 560",
    "人件費 | 2,000 | 2,050 | 2,100",
    "減価償却費 | 300 | 320 | 350",
    "付吉仙付 (0Tの1 | 2,800 | 2,900 | 3,010",
    "営業外費用 | 100 | 100 | 100",
]


def test_value_added_row_with_a_garbled_label_is_found_by_its_sums() -> None:
    page = grid_page(GARBLED_VALUE_ADDED, SIX[:3])
    garbled = dataclasses.replace(page.lines[5], confidence=0.1)  # the garbled label's characters
    page = dataclasses.replace(page, lines=page.lines[:5] + (garbled,) + page.lines[6:])
    field = income_plan.extract([page])["plan_years"]
    assert column(field.value, "value_added") == [2_800, 2_900, 3_010]
    assert field.cell_confidence is not None
    assert all(c["value_added"] == c["operating_profit"] >= 0.8 for c in field.cell_confidence), \
        "as sure as the three numbers each one equals"


def test_a_garbled_row_that_is_not_the_sum_is_no_value_added() -> None:
    rows = [r.replace("2,800 | 2,900", "2,800 | 2,950") for r in GARBLED_VALUE_ADDED]
    years = income_plan.extract([grid_page(rows, SIX[:3])])["plan_years"].value
    assert column(years, "value_added") == [None, None, None]


@pytest.mark.parametrize("page", [
    pytest.param(WRAPPED_FORMULA, id="misread-label-formula-on-the-number-line"),
    pytest.param(SLASHED_MARKS, id="marks-closed-by-a-slash"),
    pytest.param(UNCLOSED, id="bracket-never-closed"),
])
def test_value_added_row_as_ocr_reads_it(page: Page) -> None:
    years = income_plan.extract([page])["plan_years"].value
    assert column(years, "value_added") == [2_800, 2_900, 3_010]


@pytest.mark.parametrize("page, key, expected", [
    pytest.param(STANDARD, "year", ["基準年度", "1年目", "2年目", "3年目", "4年目", "5年目"], id="six-columns-years"),
    pytest.param(STANDARD, "operating_profit", [5_000_000, 5_300_000, 5_600_000, 6_000_000, 6_300_000, 6_700_000],
                 id="six-columns-operating-profit-thousands"),
    pytest.param(STANDARD, "personnel_cost", [20_000_000, 20_500_000, 21_000_000, 21_500_000, 22_000_000,
                                              22_500_000], id="six-columns-personnel-label-with-aside"),
    pytest.param(STANDARD, "value_added", [28_000_000, 29_300_000, 30_100_000, 30_900_000, 31_600_000,
                                           32_400_000], id="six-columns-value-added-not-operating-profit"),
    pytest.param(STANDARD, "ordinary_profit", [4_000_000, 4_250_000, 4_600_000, 5_050_000, 5_400_000,
                                               5_850_000], id="six-columns-ordinary-not-operating"),
    pytest.param(STANDARD, "non_operating_expenses", [1_000_000, 1_050_000, 1_000_000, 950_000, 900_000, 850_000],
                 id="six-columns-non-operating-expenses"),
    pytest.param(STANDARD, "sales", [100_000_000, 103_000_000, 106_000_000, 110_000_000, 113_000_000,
                                     117_000_000], id="six-columns-sales"),
    pytest.param(STANDARD, "value_added_consistent", [True] * 6, id="six-columns-consistent"),
    pytest.param(FISCAL_YEARS, "year", ["令和5年度", "令和6年度", "令和7年度", "令和8年度"], id="fiscal-year-headers"),
    pytest.param(FISCAL_YEARS, "depreciation", [500_000, 600_000, 600_000, 600_000], id="fiscal-years-enumerated-rows"),
    pytest.param(FISCAL_YEARS, "sales", [None] * 4, id="missing-sales-row-is-none"),
    pytest.param(TRANSPOSED, "year", ["基準年度", "1年目", "2年目"], id="transposed-years"),
    pytest.param(TRANSPOSED, "value_added", [28_000_000, 29_300_000, 30_100_000], id="transposed-value-added"),
    pytest.param(TRANSPOSED, "non_operating_expenses", [1_000_000, 1_050_000, 1_000_000],
                 id="transposed-non-operating"),
    pytest.param(INCONSISTENT, "value_added", [28_000_000, 29_300_000, 30_000_000], id="printed-value-added-kept"),
    pytest.param(INCONSISTENT, "value_added_consistent", [True, True, False], id="value-added-flag-per-year"),
    pytest.param(INCONSISTENT, "non_operating_expenses", [None, None, None], id="absent-row-is-none"),
    pytest.param(EMPTY_CELL, "depreciation", [300, None, 350], id="empty-cell-stays-empty"),
    pytest.param(EMPTY_CELL, "value_added_consistent", [True, None, True], id="flag-none-when-a-term-is-missing"),
])
def test_plan_years(page: Page, key: str, expected: list) -> None:
    years = income_plan.extract([page])["plan_years"].value
    assert column(years, key) == expected


@pytest.mark.parametrize("page, low", [
    pytest.param(STANDARD, False, id="standard"),
    pytest.param(FISCAL_YEARS, False, id="fiscal-years"),
    pytest.param(TRANSPOSED, False, id="transposed"),
    pytest.param(INCONSISTENT, True, id="value-added-disagrees"),
    pytest.param(EMPTY_CELL, True, id="row-count-mismatch"),
])
def test_confidence(page: Page, low: bool) -> None:
    confidence = income_plan.extract([page])["plan_years"].confidence
    assert (confidence < 0.8) == low, confidence


# Each cell's own confidence: low only where the table gives a reason to doubt that cell.
@pytest.mark.parametrize("page, year, key, low", [
    pytest.param(INCONSISTENT, 2, "value_added", True, id="disagreeing-value-added"),
    pytest.param(INCONSISTENT, 2, "operating_profit", True, id="a-term-of-the-disagreeing-sum"),
    pytest.param(INCONSISTENT, 2, "ordinary_profit", False, id="other-item-of-that-year"),
    pytest.param(INCONSISTENT, 1, "value_added", False, id="consistent-year"),
    pytest.param(EMPTY_CELL, 2, "depreciation", True, id="row-with-a-missing-cell"),
    pytest.param(EMPTY_CELL, 2, "operating_profit", False, id="full-row"),
    pytest.param(TRANSPOSED, 1, "ordinary_profit", False, id="transposed-cell"),
])
def test_cell_confidence(page: Page, year: int, key: str, low: bool) -> None:
    field = income_plan.extract([page])["plan_years"]
    assert field.cell_confidence is not None
    assert (field.cell_confidence[year][key] < 0.8) == low, field.cell_confidence[year]
    assert field.confidence == min(c for cells in field.cell_confidence for c in cells.values())


def test_cell_confidence_has_only_read_cells() -> None:
    field = income_plan.extract([EMPTY_CELL])["plan_years"]
    assert field.cell_confidence is not None
    assert "sales" not in field.cell_confidence[0] and "depreciation" in field.cell_confidence[0]


def test_every_year_has_every_key() -> None:
    years = income_plan.extract([STANDARD])["plan_years"].value
    assert all(set(y) == {"year", *income_plan.ITEM_KEYS, "value_added_consistent"} for y in years)


def test_applicant_name() -> None:
    assert income_plan.extract([STANDARD])["applicant_name"].value == "株式会社福井精機"


def test_evidence_is_the_table() -> None:
    field = income_plan.extract([STANDARD])["plan_years"]
    assert field.page == 1 and field.source == "text"
    header = STANDARD.lines[4]
    assert field.bbox[1] <= header.bbox[1] and field.bbox[3] >= STANDARD.lines[11].bbox[3]


def test_no_table_no_plan() -> None:
    page = grid_page(["収支計画書", "別紙のとおり"], SIX)
    assert "plan_years" not in income_plan.extract([page])


def test_line_confidence_carries_into_field() -> None:
    page = grid_page([
        "項目 | 基準年度 | 1年目 | 2年目",
        "営業利益 | 500 | 530 | 560",
    ], SIX[:3], confidence=0.6)
    assert income_plan.extract([page])["plan_years"].confidence <= 0.6


# The form's own shape: 「基準年度」 on the line above the other year labels, and two-line label cells
# (「付加価値額」 over 「(営業利益+人件費+減価償却費)」) whose numbers sit on a line of their own between them.
SPLIT_HEADER_WRAPPED_LABELS = grid_page([
    "収支計画書",
    "(単位:円)",
    "| 基準年度",
    "区分 | | 1年目 | 2年目 | 3年目",
    "営業利益 | 1,000 | 1,100 | 1,200 | 1,300",
    "人件費(労務費を含む) | 4,000 | 4,100 | 4,200 | 4,300",
    "減価償却費 | 500 | 600 | 600 | 600",
    "付加価値額",
    "| 5,500 | 5,800 | 6,000 | 6,200",
    "(営業利益+人件費+減価償却費)",
    "経常利益",
    "| 900 | 1,000 | 1,100 | 1,200",
    "(営業利益-営業外費用)",
], SIX[:4])


@pytest.mark.parametrize("key, expected", [
    pytest.param("year", ["基準年度", "1年目", "2年目", "3年目"], id="base-year-from-line-above"),
    pytest.param("operating_profit", [1_000, 1_100, 1_200, 1_300], id="base-column-kept"),
    pytest.param("value_added", [5_500, 5_800, 6_000, 6_200], id="wrapped-label-value-added"),
    pytest.param("ordinary_profit", [900, 1_000, 1_100, 1_200], id="wrapped-label-ordinary"),
    pytest.param("value_added_consistent", [True] * 4, id="wrapped-consistent"),
])
def test_split_header_and_wrapped_labels(key: str, expected: list) -> None:
    field = income_plan.extract([SPLIT_HEADER_WRAPPED_LABELS])["plan_years"]
    assert column(field.value, key) == expected
    assert field.confidence >= 0.9


def test_short_era_year_headers() -> None:
    page = grid_page([
        "収支計画書",
        "項目 | R5 | R6 | R7 | R8",
        "営業利益 | 100 | 110 | 120 | 130",
        "経常利益 | 90 | 100 | 110 | 120",
    ], SIX[:4])
    years = income_plan.extract([page])["plan_years"].value
    assert [(y["year"], y["ordinary_profit"]) for y in years] == [("R5", 90), ("R6", 100), ("R7", 110), ("R8", 120)]


# Header cells spanning lines, and row labels carrying reference marks (①, A) after the item name.
STACKED_BASE_ABOVE = grid_page([
    "収支計画書",
    "(単位:千円)",
    "| 基準年度",
    "項目 | | 1年目 | 2年目 | 3年目",
    "| 令和5年度 | 令和6年度 | 令和7年度 | 令和8年度",
    "| (実績)",
    "売上高 | 90,000 | 92,000 | 94,000 | 96,000",
    "営業利益 ① | 1,000 | 1,100 | 1,200 | 1,300",
    "人件費(労務費を含む)② | 4,000 | 4,100 | 4,200 | 4,300",
    "減価償却費 ③ | 500 | 600 | 600 | 600",
    "付加価値額 ①+②+③ | 5,500 | 5,800 | 6,000 | 6,200",
    "営業外費用 ④ | 100 | 100 | 90 | 90",
    "経常利益 ①-④ | 900 | 1,000 | 1,110 | 1,210",
], SIX[:4])

FISCAL_OVER_RELATIVE = grid_page([
    "収支計画書",
    "項目 | 令和6年度 | 令和7年度 | 令和8年度 | 令和9年度",
    "| (直近期) | (1年目) | (2年目) | (3年目)",
    "営業利益 A | 1,000 | 1,100 | 1,200 | 1,300",
    "人件費 B | 4,000 | 4,100 | 4,200 | 4,300",
    "減価償却費 C | 500 | 600 | 600 | 600",
    "付加価値額(A+B+C) | 5,500 | 5,800 | 6,000 | 6,200",
    "営業外費用 D | 100 | 100 | 90 | 90",
    "経常利益(A-D) | 900 | 1,000 | 1,110 | 1,210",
], SIX[:4])

RELATIVE_OVER_QUALIFIER = grid_page([
    "収支計画書",
    "項目 | 基準年度 | 1年目 | 2年目 | 3年目",
    "| (実績)",
    "営業利益① | 1,000 | 1,100 | 1,200 | 1,300",
    "経常利益② | 900 | 1,000 | 1,110 | 1,210",
], SIX[:4])

# A 計画期間 line right above the header names years too, but not one per column: it is not header.
PERIOD_LINE_ABOVE = grid_page([
    "計画期間 令和5年度から令和8年度",
    "項目 | 令和5年度 | 令和6年度 | 令和7年度 | 令和8年度",
    "営業利益 | 1,000 | 1,100 | 1,200 | 1,300",
    "経常利益 | 900 | 1,000 | 1,110 | 1,210",
], SIX[:4])


@pytest.mark.parametrize("page, key, expected", [
    pytest.param(STACKED_BASE_ABOVE, "year", ["令和5年度", "令和6年度", "令和7年度", "令和8年度"],
                 id="stacked-header-cells-named-by-fiscal-year"),
    pytest.param(STACKED_BASE_ABOVE, "operating_profit", [1_000_000, 1_100_000, 1_200_000, 1_300_000],
                 id="circled-mark-after-operating-profit"),
    pytest.param(STACKED_BASE_ABOVE, "personnel_cost", [4_000_000, 4_100_000, 4_200_000, 4_300_000],
                 id="circled-mark-after-aside"),
    pytest.param(STACKED_BASE_ABOVE, "depreciation", [500_000, 600_000, 600_000, 600_000],
                 id="circled-mark-after-depreciation"),
    pytest.param(STACKED_BASE_ABOVE, "value_added", [5_500_000, 5_800_000, 6_000_000, 6_200_000],
                 id="formula-of-marks-without-parentheses"),
    pytest.param(STACKED_BASE_ABOVE, "non_operating_expenses", [100_000, 100_000, 90_000, 90_000],
                 id="circled-mark-after-non-operating"),
    pytest.param(STACKED_BASE_ABOVE, "ordinary_profit", [900_000, 1_000_000, 1_110_000, 1_210_000],
                 id="ordinary-with-mark-formula"),
    pytest.param(STACKED_BASE_ABOVE, "value_added_consistent", [True] * 4, id="stacked-consistent"),
    pytest.param(FISCAL_OVER_RELATIVE, "year", ["令和6年度", "令和7年度", "令和8年度", "令和9年度"],
                 id="fiscal-years-over-parenthesised-relative"),
    pytest.param(RELATIVE_OVER_QUALIFIER, "year", ["基準年度 (実績)", "1年目", "2年目", "3年目"],
                 id="no-fiscal-year-pieces-joined"),
    pytest.param(RELATIVE_OVER_QUALIFIER, "operating_profit", [1_000, 1_100, 1_200, 1_300],
                 id="no-fiscal-year-values"),
    pytest.param(FISCAL_OVER_RELATIVE, "operating_profit", [1_000, 1_100, 1_200, 1_300],
                 id="letter-mark-label"),
    pytest.param(FISCAL_OVER_RELATIVE, "non_operating_expenses", [100, 100, 90, 90],
                 id="letter-mark-non-operating"),
    pytest.param(FISCAL_OVER_RELATIVE, "value_added_consistent", [True] * 4, id="letter-marks-consistent"),
    pytest.param(PERIOD_LINE_ABOVE, "year", ["令和5年度", "令和6年度", "令和7年度", "令和8年度"],
                 id="period-line-above-is-not-header"),
])
def test_multi_line_headers_and_marked_labels(page: Page, key: str, expected: list) -> None:
    field = income_plan.extract([page])["plan_years"]
    assert column(field.value, key) == expected
    assert field.confidence >= 0.9


@pytest.mark.parametrize("label, key", [
    pytest.param("営業利益①", "operating_profit", id="circled-after"),
    pytest.param("①営業利益", "operating_profit", id="circled-before"),
    pytest.param("⑴売上高", "sales", id="parenthesised-number-before"),
    pytest.param("付加価値額=①+②+③", "value_added", id="equals-formula"),
    pytest.param("経常利益A", "ordinary_profit", id="letter-after"),
    pytest.param("営業利益率①", None, id="a-rate-is-not-an-amount"),
    pytest.param("付加価値額の伸び率", None, id="growth-rate-is-not-an-amount"),
    pytest.param("営業外収益", None, id="non-operating-income-is-not-expenses"),
])
def test_item_labels_with_marks(label: str, key: str | None) -> None:
    assert income_plan._item_of(label) == key


# 一人当たり付加価値額 with its label wrapped over two lines around the numbers (「一人当たり」 / 「付加価値額」).
PER_HEAD_WRAPPED = grid_page([
    "事業計画書",
    "(単位:千円、従業員数は人)",
    "項目 | 基準年度 | 1年目 | 2年目 | 3年目",
    "営業利益 | 1,000 | 1,100 | 1,200 | 1,300",
    "人件費 | 4,000 | 4,100 | 4,200 | 4,300",
    "減価償却費 | 500 | 600 | 600 | 600",
    "付加価値額 | 5,500 | 5,800 | 6,000 | 6,200",
    "従業員数 | 10 | 10 | 10 | 10",
    "一人当たり",
    "| 550 | 580 | 600 | 620",
    "付加価値額",
], SIX[:4])

# Years down the page with a 従業員 column printed 「12人」 (the header names the column, the rows carry 人).
YEARS_DOWN_WITH_HEADS = grid_page([
    "事業計画書",
    "(単位:円)",
    "年 | 売上高 | 営業利益 | 人件費 | 減価償却費 | 経常利益 | 従業員",
    "2023年(実績) | 104,000 | 4,600 | 32,800 | 2,000 | 4,200 | 12人",
    "2024年(計画) | 106,000 | 4,700 | 32,900 | 2,600 | 4,300 | 12人",
    "2025年(計画) | 109,000 | 4,800 | 33,000 | 2,600 | 4,400 | 13人",
], SIX)


@pytest.mark.parametrize("page, key, expected", [
    pytest.param(PER_HEAD_WRAPPED, "value_added_per_head", [550_000, 580_000, 600_000, 620_000],
                 id="per-head-label-over-two-lines"),
    pytest.param(PER_HEAD_WRAPPED, "value_added", [5_500_000, 5_800_000, 6_000_000, 6_200_000],
                 id="value-added-kept-beside-the-wrapped-per-head"),
    pytest.param(YEARS_DOWN_WITH_HEADS, "employees", [12, 12, 13], id="head-count-with-nin-in-year-rows"),
])
def test_per_head_rows(page: Page, key: str, expected: list) -> None:
    field = income_plan.extract([page])["plan_years"]
    assert column(field.value, key) == expected
    assert field.confidence >= 0.8, field.confidence


@pytest.mark.parametrize("labels, verified", [
    (["令和5年度", "令和6年度", "令和7年度", "令和8年度"], True),
    (["基準年度", "1年目", "2年目", "3年目"], True),
    (["基準年度 (実績)", "令和6年度", "令和7年度", "令和8年度"], True),
    (["平成30年度", "平成31年度", "令和2年度"], True),  # the era changed: 2018, 2019, 2020
    (["令和5年度", "令和6年度", "令和8年度"], False),  # a year skipped: a digit misread
    (["令和5年度", "2年目", "令和7年度"], False),  # two kinds of numbering
    (["基準年度", "1年目"], False),  # too short to tell
])
def test_year_labels_verified_by_their_sequence(labels: list[str], verified: bool) -> None:
    assert income_plan._consecutive(labels) == verified


def test_year_labels_counting_on_make_a_doubtful_header_sure() -> None:
    page = grid_page([
        "収支計画書",
        "項目 | 令和5年度 | 令和6年度 | 令和7年度",
        "営業利益 | 500 | 530 | 560",
    ], SIX[:3])
    header = dataclasses.replace(page.lines[1], confidence=0.5)  # its digits doubted by OCR
    page = dataclasses.replace(page, lines=(page.lines[0], header, page.lines[2]))
    field = income_plan.extract([page])["plan_years"]
    assert field.confidence >= 0.8, field.confidence


@pytest.mark.parametrize("label, key", [
    ("人件費務雪を合 ) る", "personnel_cost"),  # 「人件費(労務費を含む)」 as OCR read it
    ("経常利益(ゆー④)", "ordinary_profit"),
    ("人伯費", None),  # too far from any item
    ("営業利益率", None),  # a rate, not an amount
    ("売上高営業利益", None),  # names two items: which one is unknown
    ("付加価値額一営業利益す人件費十減価償却費", None),
])
def test_item_of_a_label_as_ocr_reads_it(label: str, key: str | None) -> None:
    assert income_plan._item_of(label) == key


# 様式第4号 as a scan read it (hold-out 「wareki-senen-mix」): four row labels garbled past the one misread character
# the item patterns allow; the plan's identities say the likeness is right
GARBLED_LABELS = [
    "収支計画書",
    "(単位：千円)",
    "項目 | 令和6年度 | 令和7年度 | 令和8年度",
    "営業利半o_ | 20,889 | 21,808 | 22,727",
    "人件費(半季爆を含む) | 210,700 | 217,442 | 224,185",
    "減価筐却費人ざ | 24,352 | 26,544 | 28,735",
    "付加価値(①ゆ②③) | 255,941 | 265,794 | 275,647",
    "秋業外人用の④ | 3,421 | 3,353 | 3,284",
    "幣利益(ゆー④) | 17,468 | 18,455 | 19,443",
]


@pytest.mark.parametrize("key, expected", [
    ("operating_profit", [20_889_000, 21_808_000, 22_727_000]),  # 「o_」 after the label: a stroke and a letter
    ("depreciation", [24_352_000, 26_544_000, 28_735_000]),
    ("non_operating_expenses", [3_421_000, 3_353_000, 3_284_000]),
    ("ordinary_profit", [17_468_000, 18_455_000, 19_443_000]),
])
def test_garbled_row_labels_named_by_likeness_and_verified(key: str, expected: list) -> None:
    field = income_plan.extract([grid_page(GARBLED_LABELS, SIX[:3])])["plan_years"]
    assert column(field.value, key) == expected
    assert field.cell_confidence is not None
    assert all(c[key] >= 0.8 for c in field.cell_confidence), "the identities hold: the cells stand"


def test_a_row_named_by_likeness_that_no_identity_verifies_is_doubtful() -> None:
    rows = [r.replace("17,468 | 18,455", "17,468 | 18,955") for r in GARBLED_LABELS]  # 経常利益 ≠ ① − ④ in 令和7年度
    field = income_plan.extract([grid_page(rows, SIX[:3])])["plan_years"]
    assert column(field.value, "ordinary_profit") == [17_468_000, 18_955_000, 19_443_000]
    assert field.cell_confidence is not None
    confs = [(c["ordinary_profit"], c["non_operating_expenses"]) for c in field.cell_confidence]
    assert confs[0][0] >= 0.8 and confs[2][0] >= 0.8
    assert confs[1][0] < 0.8 and confs[1][1] < 0.8, "the column where 経常利益 = ① − ④ breaks is in doubt"


def test_a_garbled_personnel_row_and_a_garbled_value_added_row_are_found_together() -> None:
    """「人伯費」 is like 人件費; 「付吉仙付 (0Tの1」 like nothing, but it is 営業利益 + that row + 減価償却費."""
    rows = [
        "収支計画書",
        "(単位：千円)",
        "項目 | 令和6年度 | 令和7年度 | 令和8年度",
        "営業利益① | 13,100 | 13,179 | 13,257",
        "人伯費(労務間を含む)(の) | 43,682 | 45,255 | 46,827",
        "減価償却費③ | 2,720 | 2,992 | 3,264",
        "付吉仙付 (0Tの1 | 59,502 | 61,426 | 63,348",
        "営業外収益. | 1,221 | 1,465 | 1,709",
    ]
    field = income_plan.extract([grid_page(rows, SIX[:3])])["plan_years"]
    assert column(field.value, "personnel_cost") == [43_682_000, 45_255_000, 46_827_000]
    assert column(field.value, "value_added") == [59_502_000, 61_426_000, 63_348_000]
    assert field.cell_confidence is not None and all(c["personnel_cost"] >= 0.8 for c in field.cell_confidence)


@pytest.mark.parametrize("head, name, like", [
    ("秋業外人用の", "営業外費用", True),
    ("幣利益", "経常利益", True),
    ("減価筐却費人ざ", "減価償却費", True),
    ("人伯費", "人件費", True),
    ("上席", "売上高", False),
    ("付吉仙付", "付加価値額", False),
])
def test_likeness_of_a_garbled_label(head: str, name: str, like: bool) -> None:
    assert (income_plan._likeness(head, name) >= income_plan.LIKENESS) is like


def test_a_row_a_plan_prints_beside_its_items_is_never_a_garbled_item() -> None:
    """営業外費用's row garbled past recognition: 営業外収益 (as like it as 0.6) does not take its place."""
    rows = [r for r in GARBLED_LABELS if not r.startswith("秋業外")] + ["営業外収益 | 100 | 100 | 100"]
    years = income_plan.extract([grid_page(rows, SIX[:3])])["plan_years"].value
    assert column(years, "non_operating_expenses") == [None, None, None]


def test_transposed_row_cut_by_a_garbled_cell_keeps_the_rest_of_its_year() -> None:
    """「2024年(計画) | 106,979 | 和44633.814 | 32,625 …」: the cells after the garbled one are still 2024's, in their
    columns; the row is doubtful (a cell short)."""
    rows = [r.replace("5,300 | 20,500", "和5300.x | 20,500") for r in TRANSPOSED_ROWS]
    field = income_plan.extract([grid_page(rows, SIX)])["plan_years"]
    assert column(field.value, "year") == ["基準年度", "1年目", "2年目"]
    assert field.value[1]["operating_profit"] is None
    assert [field.value[1][k] for k in ("personnel_cost", "value_added", "ordinary_profit")] == \
        [20_500_000, 29_300_000, 4_250_000]
    assert field.cell_confidence is not None
    assert all(c < 0.8 for c in field.cell_confidence[1].values())
    assert all(c >= 0.8 for c in field.cell_confidence[2].values())


def test_item_row_cut_by_a_garbled_number_keeps_the_rest_of_its_columns() -> None:
    """「減価償却費③ 16,379 17,362 .18.344 19,327」: OCR's 「.18.344」 split the row; the numbers after it are still
    減価償却費's, in their columns; the garbled cell is left out and the row is doubtful."""
    rows = [r.replace("3,500 | 3,400", ".3.500 | 3,400") if r.startswith("減価償却費") else r for r in [
        "収支計画書",
        "(単位：千円)",
        "項目 | 基準年度 | 1年目 | 2年目 | 3年目",
        "営業利益 | 5,000 | 5,300 | 5,600 | 6,000",
        "減価償却費 | 3,000 | 3,500 | 3,500 | 3,400",
        "経常利益 | 4,000 | 4,250 | 4,600 | 5,050",
    ]]
    field = income_plan.extract([grid_page(rows, SIX[:4])])["plan_years"]
    assert column(field.value, "depreciation") == [3_000_000, 3_500_000, None, 3_400_000]
    assert field.cell_confidence is not None
    assert all(c["depreciation"] < 0.8 for c in field.cell_confidence if "depreciation" in c)
    assert all(c["ordinary_profit"] >= 0.8 for c in field.cell_confidence)

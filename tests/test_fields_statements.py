"""extractors.fields.financial_statements: P/L figures of a 決算書 in several layouts.

Pages are built as grids: ``"label | n1 | n2"`` puts the label at the left margin and each number
right-aligned at the column edges given (an empty cell stays empty), as a statement's text layer does.
"""

from __future__ import annotations

import dataclasses

import pytest

from extractors.fields import financial_statements as fs
from pipeline.model import BBox, Line, Page
from tests.pagekit import grid_line

CHAR = 10.0


def grid_page(rows: list[str], edges: list[float], number: int = 1, confidence: float = 1.0) -> Page:
    lines = tuple(grid_line(r, 40.0 + 14.0 * i, edges, confidence) for i, r in enumerate(rows))
    return Page(file="kessan.pdf", number=number, source="text", width=595.0, height=842.0, lines=lines)


def values(fields: dict) -> dict:
    return {k: f.value for k, f in fields.items()}


# --- layouts ---------------------------------------------------------------------------------------------

SINGLE_YEN = [
    grid_page([
        "株式会社テスト製作所",
        "損益計算書",
        "自 令和5年4月1日 至 令和6年3月31日",
        "(単位：円)",
        "科目 | 金額",
        "売上高 | 50,000,000",
        "売上原価 | 30,000,000",
        "売上総利益 | 20,000,000",
        "販売費及び一般管理費 | 15,000,000",
        "営業利益 | 5,000,000",
        "営業外収益 | 300,000",
        "営業外費用 | 500,000",
        "経常利益 | 4,800,000",
        "当期純利益 | 3,000,000",
    ], [450.0]),
    grid_page([
        "販売費及び一般管理費内訳書",
        "(単位：円)",
        "役員報酬 | 6,000,000",
        "給料手当 | 4,000,000",
        "法定福利費 | 1,000,000",
        "減価償却費 | 2,000,000",
        "雑費 | 2,000,000",
        "合計 | 15,000,000",
    ], [450.0], number=2),
]

PRIOR_CURRENT_THOUSANDS = [grid_page([
    "第12期 損益計算書",
    "株式会社前後商事",
    "(単位：千円)",
    "科目 | 前期 | 当期",
    "売上高 | 40,000 | 50,000",
    "売上原価 | 25,000 | 30,000",
    "売上総利益 | 15,000 | 20,000",
    "販売費及び一般管理費 | 12,000 | 13,000",
    "役員報酬 | 5,000 | 5,500",
    "給料手当 | 3,000 | 3,200",
    "減価償却費 | 1,000 | 1,100",
    "その他 | 3,000 | 3,200",
    "営業利益 | 3,000 | 7,000",
    "営業外収益 | 100 | 200",
    "営業外費用 | 400 | 300",
    "経常利益 | 2,700 | 6,900",
], [300.0, 450.0])]

# 営業損失 printed as a positive number; 経常損失 likewise; no 営業外収益.
OPERATING_LOSS = [grid_page([
    "損益計算書",
    "自 2023年4月1日 至 2024年3月31日",
    "売上高 | 10,000,000",
    "売上原価 | 8,000,000",
    "売上総利益 | 2,000,000",
    "販売費及び一般管理費 | 3,200,000",
    "営業損失 | 1,200,000",
    "営業外費用 | 300,000",
    "経常損失 | 1,500,000",
], [450.0])]

TRIANGLES = [grid_page([
    "損益計算書",
    "売上高 | 10,000,000",
    "売上原価 | 8,000,000",
    "売上総利益 | 2,000,000",
    "販売費及び一般管理費 | 3,200,000",
    "営業利益 | △1,200,000",
    "営業外収益 | 100,000",
    "営業外費用 | 300,000",
    "経常利益 | ▲ 1,400,000",
], [450.0])]

# Japanese two-sub-column layout: items in the inner column, section totals in the outer one.
# 営業外収益: total on the header line; 営業外費用: total on the last item's line (right sub-column);
# 販管費: a 合計 line; 売上原価: a bare 合計 (期首+仕入) that is NOT the section total.
SUBCOLUMNS = [grid_page([
    "損益計算書",
    "(単位：千円)",
    "【売上高】",
    "製品売上高 | 30,000 |",
    "商品売上高 | 20,000 | 50,000",
    "【売上原価】",
    "期首商品棚卸高 | 1,000 |",
    "当期商品仕入高 | 30,000 |",
    "合計 | 31,000 |",
    "期末商品棚卸高 | 2,000 | 29,000",
    "売上総利益 | | 21,000",
    "【販売費及び一般管理費】",
    "役員報酬 | 6,000 |",
    "給与手当 | 5,000 |",
    "賞与 | 1,000 |",
    "法定福利費 | 1,500 |",
    "減価償却費 | 500 |",
    "地代家賃 | 1,000 |",
    "販売費及び一般管理費合計 | | 15,000",
    "営業利益 | | 6,000",
    "【営業外収益】 | | 300",
    "受取利息 | 100 |",
    "雑収入 | 200 |",
    "【営業外費用】",
    "支払利息 | 700 |",
    "雑損失 | 100 | 800",
    "経常利益 | | 5,500",
], [300.0, 450.0])]

MANUFACTURER = [
    grid_page([
        "株式会社ものづくり",
        "損益計算書 自 令和5年4月1日 至 令和6年3月31日",
        "(単位：千円)",
        "I 売上高 | 100,000",
        "II 売上原価 | 70,000",
        "売上総利益 | 30,000",
        "III 販売費及び一般管理費 | 20,000",
        "営業利益 | 10,000",
        "IV 営業外収益",
        "受取利息 | 50",
        "雑収入 | 150",
        "営業外収益合計 | 200",
        "V 営業外費用",
        "支払利息 | 1,000",
        "営業外費用合計 | 1,000",
        "経常利益 | 9,200",
    ], [450.0]),
    grid_page([
        "販売費及び一般管理費明細",
        "(単位：千円)",
        "役員報酬 | 8,000",
        "給料及び手当 | 4,000",
        "雑給 | 500",
        "賞与引当金繰入額 | 300",
        "退職給付費用 | 200",
        "法定福利費 | 1,000",
        "福利厚生費 | 500",
        "減価償却費 | 1,500",
        "旅費交通費 | 4,000",
        "販売費及び一般管理費合計 | 20,000",
    ], [450.0], number=2),
    grid_page([
        "製造原価報告書",
        "(単位：千円)",
        "I 材料費 | 30,000",
        "II 労務費",
        "賃金 | 12,000",
        "賞与 | 2,000",
        "法定福利費 | 2,000",
        "労務費計 | 16,000",
        "III 経費",
        "外注加工費 | 10,000",
        "減価償却費 | 3,000",
        "電力費 | 11,000",
        "経費計 | 24,000",
        "当期総製造費用 | 70,000",
        "当期製品製造原価 | 70,000",
    ], [450.0], number=3),
]

# 営業利益 misread (8,000 instead of 3,000): both identities through it break.
BROKEN = [grid_page([
    "損益計算書",
    "(単位：千円)",
    "売上高 | 50,000",
    "売上原価 | 30,000",
    "売上総利益 | 20,000",
    "販売費及び一般管理費 | 17,000",
    "営業利益 | 8,000",
    "営業外収益 | 200",
    "営業外費用 | 300",
    "経常利益 | 2,900",
], [450.0])]

# note marks in the label and number columns; a nil dash; 第11期/第12期 column headers.
MARKS_AND_TERMS = [grid_page([
    "損益計算書",
    "(単位：千円)",
    "科目 | 第11期 | 第12期",
    "売上高 | 9,000 | 10,000",
    "売上原価 ※1 | 6,000 | 7,000",
    "売上総利益 | 3,000 | 3,000",
    "販売費及び一般管理費 ※2 | 2,500 | 2,600",
    "営業利益 | 500 | 400",
    "営業外収益 | − | 100",
    "営業外費用 | 50 | −",
    "経常利益 | 450 | 500",
], [300.0, 450.0])]


CASES = [
    pytest.param(SINGLE_YEN, {
        "company_name": "株式会社テスト製作所", "sales": 50_000_000, "operating_profit": 5_000_000,
        "non_operating_income": 300_000, "non_operating_expenses": 500_000, "ordinary_profit": 4_800_000,
        "personnel_cost": 11_000_000, "depreciation": 2_000_000,
    }, id="single-column-yen-with-sga-breakdown"),
    pytest.param(PRIOR_CURRENT_THOUSANDS, {
        "sales": 50_000_000, "operating_profit": 7_000_000, "ordinary_profit": 6_900_000,
        "non_operating_income": 200_000, "non_operating_expenses": 300_000,
        "personnel_cost": 8_700_000, "depreciation": 1_100_000, "fiscal_term": 12,
        "prior_sales": 40_000_000, "prior_operating_profit": 3_000_000, "prior_ordinary_profit": 2_700_000,
        "prior_personnel_cost": 8_000_000, "prior_depreciation": 1_000_000,
    }, id="prior-current-columns-thousand-yen"),
    pytest.param(OPERATING_LOSS, {
        "operating_profit": -1_200_000, "ordinary_profit": -1_500_000, "non_operating_expenses": 300_000,
    }, id="loss-labels-positive-numbers"),
    pytest.param(TRIANGLES, {
        "operating_profit": -1_200_000, "ordinary_profit": -1_400_000,
    }, id="triangle-negatives"),
    pytest.param(SUBCOLUMNS, {
        "sales": 50_000_000, "operating_profit": 6_000_000, "non_operating_income": 300_000,
        "non_operating_expenses": 800_000, "ordinary_profit": 5_500_000,
        "personnel_cost": 13_500_000, "depreciation": 500_000,
    }, id="section-totals-header-line-subcolumn-and-goukei"),
    pytest.param(MANUFACTURER, {
        "company_name": "株式会社ものづくり", "sales": 100_000_000, "operating_profit": 10_000_000,
        "non_operating_income": 200_000, "non_operating_expenses": 1_000_000, "ordinary_profit": 9_200_000,
        "personnel_cost": 14_500_000 + 16_000_000, "depreciation": 1_500_000 + 3_000_000,
    }, id="manufacturing-cost-report-labour-and-depreciation"),
    pytest.param(MANUFACTURER[:-1] + [dataclasses.replace(MANUFACTURER[-1], lines=(
        dataclasses.replace(MANUFACTURER[-1].lines[0], text="衣造原価報告書"),) + MANUFACTURER[-1].lines[1:])], {
        "personnel_cost": 14_500_000 + 16_000_000, "depreciation": 1_500_000 + 3_000_000,
    }, id="manufacturing-cost-report-title-misread-by-ocr"),
    pytest.param(MANUFACTURER[:-1] + [dataclasses.replace(MANUFACTURER[-1], lines=(
        dataclasses.replace(MANUFACTURER[-1].lines[0], text="製造原価報和汗"),) + MANUFACTURER[-1].lines[1:])], {
        "personnel_cost": 14_500_000 + 16_000_000, "depreciation": 1_500_000 + 3_000_000,
    }, id="manufacturing-cost-report-known-by-its-sections"),
    pytest.param(MANUFACTURER[:-1] + [dataclasses.replace(MANUFACTURER[-1], lines=(
        dataclasses.replace(MANUFACTURER[-1].lines[0], text="製造原価報和汗"),) + MANUFACTURER[-1].lines[1:2] + (
        dataclasses.replace(MANUFACTURER[-1].lines[2], text="I 和料費 30,000"),
        dataclasses.replace(MANUFACTURER[-1].lines[3], text="T  労務費")) + MANUFACTURER[-1].lines[4:])], {
        "personnel_cost": 14_500_000 + 16_000_000, "depreciation": 1_500_000 + 3_000_000,
    }, id="manufacturing-cost-report-known-by-a-labour-section-whose-numeral-ocr-misread"),
    pytest.param(MARKS_AND_TERMS, {
        "sales": 10_000_000, "operating_profit": 400_000, "non_operating_income": 100_000,
        "non_operating_expenses": 0, "ordinary_profit": 500_000,
        "prior_sales": 9_000_000, "prior_non_operating_income": 0, "prior_non_operating_expenses": 50_000,
    }, id="note-marks-nil-dashes-term-columns"),
]


@pytest.mark.parametrize("pages, expected", CASES)
def test_values(pages: list[Page], expected: dict) -> None:
    got = values(fs.extract(pages))
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"(got, expected): {wrong}"


@pytest.mark.parametrize("pages", [c.values[0] for c in CASES], ids=[c.id for c in CASES])
def test_consistent_statements_are_confident(pages: list[Page]) -> None:
    fields = fs.extract(pages)
    low = {k: f.confidence for k, f in fields.items()
           if k in ("sales", "operating_profit", "ordinary_profit") and f.confidence < 0.8}
    assert not low


def test_single_column_has_no_prior_fields() -> None:
    assert not [k for k in fs.extract(SINGLE_YEN) if k.startswith("prior_")]


def test_broken_identity_lowers_confidence() -> None:
    fields = fs.extract(BROKEN)
    assert fields["operating_profit"].value == 8_000_000  # kept as printed
    assert fields["operating_profit"].confidence < 0.8
    assert fields["ordinary_profit"].confidence < 0.8
    assert fields["sales"].confidence >= 0.9  # 売上総利益 = 売上高 − 売上原価 holds


def test_value_printed_twice_differently_is_doubtful() -> None:
    page = grid_page([
        "損益計算書",
        "営業外収益 | 300",
        "受取利息 | 100",
        "雑収入 | 200",
        "営業外収益合計 | 350",
    ], [450.0])
    fields = fs.extract([page])
    assert fields["non_operating_income"].confidence < 0.8


def test_sga_items_not_summing_to_total_lower_personnel_confidence() -> None:
    page = grid_page([
        "販売費及び一般管理費内訳書",
        "役員報酬 | 6,000",
        "給料手当 | 4,000",
        "減価償却費 | 2,000",
        "合計 | 15,000",
    ], [450.0])
    fields = fs.extract([page])
    assert fields["personnel_cost"].value == 10_000
    assert fields["personnel_cost"].confidence < 0.8
    assert fields["depreciation"].confidence < 0.8


def test_labour_subtotal_and_items_not_double_counted() -> None:
    page = grid_page([
        "製造原価報告書",
        "労務費 | 16,000",
        "賃金 | 12,000",
        "法定福利費 | 4,000",
        "経費",
        "減価償却費 | 3,000",
    ], [450.0])
    fields = fs.extract([page])
    assert fields["personnel_cost"].value == 16_000
    assert fields["depreciation"].value == 3_000


def test_sga_items_on_pl_and_breakdown_not_double_counted() -> None:
    pl = grid_page([
        "損益計算書",
        "販売費及び一般管理費",
        "役員報酬 | 6,000",
        "減価償却費 | 1,000",
        "その他 | 3,000",
        "販売費及び一般管理費合計 | 10,000",
    ], [450.0])
    breakdown = grid_page([
        "販売費及び一般管理費内訳書",
        "役員報酬 | 6,000",
        "減価償却費 | 1,000",
        "その他 | 3,000",
        "合計 | 10,000",
    ], [450.0], number=2)
    fields = fs.extract([pl, breakdown])
    assert (fields["personnel_cost"].value, fields["depreciation"].value) == (6_000, 1_000)
    assert fields["personnel_cost"].confidence >= 0.9


def test_evidence_points_at_the_number() -> None:
    fields = fs.extract(SINGLE_YEN)
    f = fields["sales"]
    line = SINGLE_YEN[0].lines[5]
    start = line.text.index("50,000,000")
    assert (f.page, f.raw) == (1, "50,000,000")
    assert f.bbox == line.span_bbox(start, start + len("50,000,000"))
    assert f.source == "text"


@pytest.mark.parametrize("lines, start, end", [
    pytest.param(["損益計算書", "自 令和5年4月1日 至 令和6年3月31日"], "2023-04-01", "2024-03-31", id="reiwa-one-line"),
    pytest.param(["損益計算書", "自 2022年10月1日", "至 2023年9月30日"], "2022-10-01", "2023-09-30",
                 id="seireki-two-lines"),
    pytest.param(["損益計算書", "令和4年4月1日から令和5年3月31日まで"], "2022-04-01", "2023-03-31", id="kara-made"),
    pytest.param(["損益計算書 | 前期 | 当期",
                  "| 自 令和4年4月1日 至 令和5年3月31日 | 自 令和5年4月1日 至 令和6年3月31日"],
                 "2023-04-01", "2024-03-31", id="two-periods-latest-wins"),
    pytest.param(["損益計算書", "R5.4.1 ~ R6.3.31"], "2023-04-01", "2024-03-31", id="tilde-short-era"),
    pytest.param(["損益計算書", "令和6年1月1日 至令和6年12月31日"], "2024-01-01", "2024-12-31", id="ocr-lost-ji"),
    pytest.param(["損益計算書", "令和5年4月1日一令和6年3月31日"], "2023-04-01", "2024-03-31", id="ocr-tilde-as-ichi"),
    pytest.param(["損益計算書 | 前期 | 当期", "| 自令和4年4月1日 | 自令和5年4月1日", "| 至令和5年3月31日 | 至令和6年3月31日"],
                 "2023-04-01", "2024-03-31", id="two-columns-of-ji-dates"),
])
def test_period(lines: list[str], start: str, end: str) -> None:
    fields = fs.extract([grid_page(lines, [420.0, 800.0])])
    assert (fields["period_start"].value.isoformat(), fields["period_end"].value.isoformat()) == (start, end)


def test_fiscal_term_and_company() -> None:
    page = grid_page(["第12期 決算報告書", "株式会社 福井テック", "損益計算書", "売上高 | 1,000"], [450.0])
    fields = fs.extract([page])
    assert fields["fiscal_term"].value == 12
    assert "福井テック" in fields["company_name"].value
    assert fields["sales"].value == 1_000


@pytest.mark.parametrize("names, name, sure", [
    # a cover's title garbled, both statement pages' heads read well: their name, sure
    ([("株式会社あさMM", 0.55), ("株式会社あさひ精密", 0.9), ("株式会社あさひ精密", 0.9)], "株式会社あさひ精密", True),
    # one page's head misread, more surely than the others (still below the threshold): the name most pages read
    ([("株式会社加賀精工", 0.75), ("株式会社加貨精工", 0.79), ("株式会社加賀精工", 0.75)], "株式会社加賀精工", False),
    # all alike
    ([("株式会社あさひ精密", 0.95)] * 3, "株式会社あさひ精密", True),
    # two names, each read surely: doubtful whichever is taken
    ([("株式会社あさひ精密", 0.95), ("株式会社ひかり精機", 0.95)], "株式会社あさひ精密", False),
])
def test_company_name_as_most_pages_read_it(names: list[tuple[str, float]], name: str, sure: bool) -> None:
    pages = [grid_page(["損益計算書", head, "売上高 | 1,000"], [450.0], number=k + 1, confidence=conf)
             for k, (head, conf) in enumerate(names)]
    field = fs.extract(pages)["company_name"]
    assert field.value == name
    assert (field.confidence >= 0.8) == sure, field.confidence


def test_ocr_line_confidence_carries_into_field() -> None:
    page = grid_page(["損益計算書", "売上高 | 1,000"], [450.0], confidence=0.7)
    assert fs.extract([page])["sales"].confidence <= 0.7


def test_no_pages_no_fields() -> None:
    assert fs.extract([]) == {}


def test_balance_sheet_only_gives_no_pl_fields() -> None:
    page = grid_page([
        "貸借対照表",
        "令和6年3月31日現在",
        "現金及び預金 | 1,000",
        "減価償却累計額 | △500",
        "賞与引当金 | 300",
    ], [450.0])
    fields = fs.extract([page])
    assert not {"sales", "depreciation", "personnel_cost"} & set(fields)
    assert fields["period_end"].value.isoformat() == "2024-03-31"


def test_glued_period_header_still_gives_columns() -> None:
    page = grid_page(["損益計算書", "(単位：千円)", "売上高 | 40,000 | 50,000"], [300.0, 450.0])
    header = grid_line("科目 | 前期 | 当期", 0.0, [300.0, 450.0], glue=True)
    assert header.text == "科目前期当期"
    page = Page(page.file, 1, "text", page.width, page.height, (page.lines[0], page.lines[1], header, page.lines[2]))
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["prior_sales"].value) == (50_000_000, 40_000_000)


def test_sga_breakdown_in_two_parts_counts_both() -> None:
    page = grid_page([
        "販売費及び一般管理費内訳書",
        "販売費",
        "給料手当 | 2,000",
        "広告宣伝費 | 1,000",
        "一般管理費",
        "役員報酬 | 5,000",
        "減価償却費 | 700",
        "合計 | 8,700",
    ], [450.0])
    fields = fs.extract([page])
    assert (fields["personnel_cost"].value, fields["depreciation"].value) == (7_000, 700)
    assert fields["personnel_cost"].confidence >= 0.9


def test_touki_section_total_closes_labour_without_double_count() -> None:
    page = grid_page([
        "製造原価報告書",
        "I 材料費",
        "期首材料棚卸高 | 400",
        "当期材料仕入高 | 5,000",
        "合計 | 5,400",
        "期末材料棚卸高 | 500",
        "当期材料費 | 4,900",
        "II 労務費",
        "賃金 | 2,700",
        "賞与 | 300",
        "当期労務費 | 3,000",
        "III 経費",
        "減価償却費 | 450",
        "当期経費 | 450",
    ], [450.0])
    fields = fs.extract([page])
    assert (fields["personnel_cost"].value, fields["depreciation"].value) == (3_000, 450)


# --- table rows (extractors.fields.table) ----------------------------------------------------------------

@pytest.mark.parametrize("cells, label, amounts", [
    pytest.param("売上高 | 1,234", "売上高", [1_234], id="plain"),
    pytest.param("営業利益 | (1,234)", "営業利益", [-1_234], id="parenthesised-negative"),
    pytest.param("営業利益 | △ 1,234", "営業利益", [-1_234], id="triangle-with-space"),
    pytest.param("営業利益 | - 1,234", "営業利益", [-1_234], id="minus-with-space"),
    pytest.param("営業外費用 | - | 1,234", "営業外費用", [0, 1_234], id="nil-dash-in-other-column"),
    pytest.param("減価償却費 ※2 | 1,234", "減価償却費", [1_234], id="note-mark-in-label"),
    pytest.param("減価償却費 | ※2 1,234", "減価償却費", [1_234], id="note-mark-in-number-column"),
    pytest.param("1 売上高 | 500", "売上高", [500], id="enumerator-digit"),
    pytest.param("(2) 営業外費用 | 500", "営業外費用", [500], id="enumerator-parenthesised"),
    pytest.param("II 営業外収益 | 500", "営業外収益", [500], id="roman-numeral"),
    pytest.param("【売上原価】 | 500", "売上原価", [500], id="brackets"),
    pytest.param("売上高 | 1,234円", "売上高", [1_234], id="yen-suffix"),
])
def test_split_row(cells: str, label: str, amounts: list[int]) -> None:
    from extractors.fields.table import split_row

    rows = split_row(grid_line(cells, 0.0, [300.0, 450.0]), 1, 0, 1)
    assert [(r.label, [n.value for n in r.nums]) for r in rows] == [(label, amounts)]


def test_split_row_side_by_side_balance_sheet() -> None:
    from extractors.fields.table import split_row

    line = grid_line("現金及び預金 | 7,752,510 | 買掛金 | 14,405,533", 0.0, [200.0, 300.0, 450.0])
    rows = split_row(line, 1, 0, 1)
    assert [(r.label, [n.value for n in r.nums]) for r in rows] == [("現金及び預金", [7_752_510]),
                                                                    ("買掛金", [14_405_533])]


def test_change_column_is_not_taken_for_the_current_period() -> None:
    page = grid_page([
        "損益計算書",
        "(単位：千円)",
        "科目 | 前期 | 当期 | 増減",
        "売上高 | 40,000 | 50,000 | 10,000",
        "売上原価 | 25,000 | 30,000 | 5,000",
        "売上総利益 | 15,000 | 20,000 | 5,000",
        "販売費及び一般管理費 | 12,000 | 13,000 | 1,000",
        "営業利益 | 3,000 | 7,000 | 4,000",
    ], [300.0, 420.0, 540.0])
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["prior_sales"].value) == (50_000_000, 40_000_000)
    assert (fields["operating_profit"].value, fields["operating_profit"].confidence >= 0.9) == (7_000_000, True)


@pytest.mark.parametrize("header", [
    pytest.param(["| 前期 | 当期", "科目 | | | 増減", "| (第55期) | (第56期)"], id="change-named-between-two-period-lines"),
    pytest.param(["科目 | | | 増減", "| (第55期) | (第56期)"], id="change-named-above-the-terms"),
    pytest.param(["| (第55期) | (第56期)", "科目 | | | 増減"], id="change-named-below-the-terms"),
])
def test_change_column_of_a_header_over_several_lines(header: list[str]) -> None:
    page = grid_page([
        "比較損益計算書",
        "(単位：千円)",
        *header,
        "売上高 | 40,000 | 50,000 | 10,000",
        "売上原価 | 25,000 | 30,000 | 5,000",
        "売上総利益 | 15,000 | 20,000 | 5,000",
        "販売費及び一般管理費 | 12,000 | 13,000 | 1,000",
        "営業利益 | 3,000 | 7,000 | 4,000",
        "営業外費用 | 1,000 | 800 | ▲200",
        "経常利益 | 2,000 | 6,200 | 4,200",
    ], [300.0, 420.0, 540.0])
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["prior_sales"].value) == (50_000_000, 40_000_000)
    assert (fields["non_operating_expenses"].value, fields["prior_non_operating_expenses"].value) == \
        (800_000, 1_000_000)


def test_period_header_on_the_title_line() -> None:
    page = grid_page(["損益計算書 | 前期 | 当期", "売上高 | 40,000 | 50,000"], [300.0, 450.0])
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["prior_sales"].value) == (50_000, 40_000)


@pytest.mark.parametrize("left, right, current, prior", [
    pytest.param("令和5年3月期", "令和6年3月期", 50_000, 40_000, id="month-terms"),
    pytest.param("2022年度", "2023年度", 50_000, 40_000, id="fiscal-years"),
    pytest.param("第12期", "第11期", 40_000, 50_000, id="current-printed-left"),
    pytest.param("当期", "前期", 40_000, 50_000, id="touki-printed-left"),
])
def test_period_header_variants(left: str, right: str, current: int, prior: int) -> None:
    page = grid_page(["損益計算書", f"科目 | {left} | {right}", "売上高 | 40,000 | 50,000"], [300.0, 450.0])
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["prior_sales"].value) == (current, prior)


def test_service_company_without_cost_of_sales() -> None:
    page = grid_page([
        "損益計算書",
        "営業収益 | 30,000",
        "営業費用 | 27,000",
        "営業利益 | 3,000",
        "経常利益 | 3,000",
    ], [450.0])
    fields = fs.extract([page])
    assert (fields["sales"].value, fields["operating_profit"].value) == (30_000, 3_000)
    assert fields["operating_profit"].confidence >= 0.95  # verified by 営業収益 − 営業費用


# Accounting-software print: 【】 sections, 「…合計」 and 「…金額」 labels, 販売管理費, a bare 合計 inside 売上原価.
SOFTWARE_PRINT = [grid_page([
    "損 益 計 算 書",
    "株式会社ソフト印刷",
    "自 令和5年1月1日 至 令和5年12月31日",
    "[税込] (単位:円)",
    "科 目 | 金 額",
    "【売上高】",
    "売上高 | 20,000,000 |",
    "売上高合計 | | 20,000,000",
    "【売上原価】",
    "期首商品棚卸高 | 500,000 |",
    "仕入高 | 12,000,000 |",
    "合計 | 12,500,000 |",
    "期末商品棚卸高 | 600,000 |",
    "売上原価 | | 11,900,000",
    "売上総利益金額 | | 8,100,000",
    "【販売管理費】",
    "役員報酬 | 3,000,000 |",
    "給料手当 | 2,000,000 |",
    "法定福利費 | 600,000 |",
    "減価償却費 | 400,000 |",
    "雑費 | 100,000 |",
    "販売管理費計 | | 6,100,000",
    "営業利益金額 | | 2,000,000",
    "【営業外収益】",
    "受取利息 | 1,000 |",
    "営業外収益合計 | | 1,000",
    "【営業外費用】",
    "支払利息 | 101,000 |",
    "営業外費用合計 | | 101,000",
    "経常利益金額 | | 1,900,000",
], [330.0, 480.0])]


def test_accounting_software_print() -> None:
    fields = fs.extract(SOFTWARE_PRINT)
    assert values(fields) | {"period_start": None, "period_end": None} == {
        "company_name": "株式会社ソフト印刷", "period_start": None, "period_end": None,
        "sales": 20_000_000, "operating_profit": 2_000_000, "non_operating_income": 1_000,
        "non_operating_expenses": 101_000, "ordinary_profit": 1_900_000, "depreciation": 400_000,
        "personnel_cost": 5_600_000,
    }
    assert min(f.confidence for f in fields.values()) >= 0.85


# --- 労務費 of a 製造原価報告書 printed by accounting software -------------------------------------------------
# 【II 労務費】: the enumerator inside the brackets; no 労務費計 / 当期労務費 line: the section total sits in the
# right sub-column of the section's last item (法定福利費). The P/L page before it prints its 販管費内訳 in two
# halves side by side, the right half's numbers where the totals sub-column is.

def mixed_page(blocks: list[tuple[list[str], list[float]]], number: int = 1) -> Page:
    """Lines with their own column edges (a P/L in sub-columns, then a 内訳 printed in two halves)."""
    lines: list[Line] = []
    for rows, edges in blocks:
        for row in rows:
            lines.append(grid_line(row, 40.0 + 14.0 * len(lines), edges))
    return Page(file="kessan.pdf", number=number, source="text", width=595.0, height=842.0, lines=tuple(lines))


SOFTWARE_PL = mixed_page([
    ([
        "株式会社ものづくり工房",
        "損益計算書",
        "(単位:千円)",
        "【売上高】",
        "売上高 | | 100,000",
        "【売上原価】",
        "期首製品棚卸高 | 2,000 |",
        "当期製品製造原価 | 70,000 |",
        "合計 | 72,000 |",
        "期末製品棚卸高 | 2,000 | 70,000",
        "売上総利益 | | 30,000",
        "【販売費及び一般管理費】 | | 20,000",
        "営業利益 | | 10,000",
        "【営業外収益】",
        "受取利息 | 50 |",
        "雑収入 | 150 | 200",
        "【営業外費用】",
        "支払利息 | 1,000 | 1,000",
        "経常利益 | | 9,200",
        "販売費及び一般管理費内訳",
    ], [300.0, 450.0]),
    ([
        "役員報酬 | 8,000 | 減価償却費 | 1,500",
        "給料手当 | 4,000 | 地代家賃 | 2,000",
        "法定福利費 | 1,000 | 旅費交通費 | 3,500",
    ], [300.0, 390.0, 450.0]),
    (["販売費及び一般管理費合計 | | 20,000"], [300.0, 450.0]),
])


def mfg_page(labour_header: str, labour_rows: list[str], number: int = 2) -> Page:
    return grid_page([
        "製造原価報告書",
        "(単位:千円)",
        "【I 材料費】",
        "期首材料棚卸高 | 1,000 |",
        "当期材料仕入高 | 30,000 |",
        "合計 | 31,000 |",
        "期末材料棚卸高 | 1,000 | 30,000",
        labour_header,
        *labour_rows,
        "【III 経費】",
        "外注加工費 | 10,000 |",
        "減価償却費 | 3,000 |",
        "電力費 | 11,000 | 24,000",
        "当期総製造費用 | | 70,000",
        "当期製品製造原価 | | 70,000",
    ], [300.0, 450.0], number=number)


LABOUR_ROWS = ["賃金 | 12,000 |", "賞与 | 2,000 |", "法定福利費 | 2,000 | 16,000"]


@pytest.mark.parametrize("pages, personnel, depreciation, sure", [
    pytest.param([SOFTWARE_PL, mfg_page("【II 労務費】", LABOUR_ROWS)], 13_000_000 + 16_000_000,
                 1_500_000 + 3_000_000, True, id="bracketed-enumerated-header-total-in-last-item-subcolumn"),
    pytest.param([SOFTWARE_PL, mfg_page("Ⅱ．労務費", LABOUR_ROWS)], 29_000_000, 4_500_000, True,
                 id="roman-numeral-character-with-full-stop"),
    pytest.param([SOFTWARE_PL, mfg_page("[2] 労務費", LABOUR_ROWS)], 29_000_000, 4_500_000, True,
                 id="square-bracket-number"),
    pytest.param([SOFTWARE_PL, mfg_page("【II 労務費】", ["賃金 | 12,000 |", "賞与 | 2,000 |",
                                                         "法定福利費 | 2,000 | 61,000"])],
                 13_000_000 + 61_000_000, 4_500_000, False, id="labour-total-not-the-sum-of-its-items"),
    pytest.param([SOFTWARE_PL, mfg_page("【II 直接工賃】", LABOUR_ROWS)], 13_000_000 + 16_000_000, 4_500_000,
                 False, id="labour-section-not-recognised-items-summed-doubtful"),
])
def test_manufacturing_labour_in_personnel_cost(pages: list[Page], personnel: int, depreciation: int,
                                                sure: bool) -> None:
    fields = fs.extract(pages)
    assert (fields["personnel_cost"].value, fields["depreciation"].value) == (personnel, depreciation)
    assert (fields["personnel_cost"].confidence >= 0.8) == sure, fields["personnel_cost"].confidence
    assert fields["depreciation"].confidence >= 0.9  # 販管費 = Σ its items, both halves of the 内訳


def test_side_by_side_breakdown_is_not_a_totals_subcolumn() -> None:
    """Read with its 製造原価報告書 the side-by-side 内訳 verifies (both halves summed); without it, the P/L's
    当期製品製造原価 says the 販管費 parts are not the whole 人件費 and 減価償却費: doubtful, same values."""
    alone = fs.extract([SOFTWARE_PL])
    assert (alone["personnel_cost"].value, alone["depreciation"].value) == (13_000_000, 1_500_000)
    assert max(alone["personnel_cost"].confidence, alone["depreciation"].confidence) < 0.8
    full = fs.extract([SOFTWARE_PL, mfg_page("II 労務費", LABOUR_ROWS)])
    assert min(full["personnel_cost"].confidence, full["depreciation"].confidence) >= 0.9


@pytest.mark.parametrize("text, label", [
    pytest.param("【II 労務費】", "労務費", id="enumerator-inside-brackets"),
    pytest.param("Ⅲ 経費", "経費", id="roman-numeral-character"),
    pytest.param("[3]経費", "経費", id="number-in-square-brackets"),
    pytest.param("① 営業利益", "営業利益", id="circled-number"),
    pytest.param("IT導入費", "IT導入費", id="latin-word-kept"),
    pytest.param("【資産の部】", "資産の部", id="plain-brackets"),
])
def test_clean_label(text: str, label: str) -> None:
    from extractors.fields.table import clean_label

    assert clean_label(text) == label


def _ocr_period_page(text: str, digit_conf: float) -> Page:
    line = grid_page([text], [800.0]).lines[0]
    confs = tuple(digit_conf if ch.isdigit() else 0.9 for ch in line.text)
    ocr_line = Line(line.text, line.boxes, min(confs), confs)
    return Page("scan.pdf", 1, "ocr", 595.0, 842.0, (Line("損益計算書", line.boxes[:5], 0.9, (0.9,) * 5), ocr_line))


@pytest.mark.parametrize("text, verified", [
    ("自令和6年1月1日 至令和6年12月31日", True),  # a whole fiscal year: the two dates' digits agree
    ("自令和6年4月1日 至令和6年12月31日", False),  # nine months (a first year, or a misread digit)
    ("自令和6年1月1日 至令和8年12月31日", False),  # 6 or 8: one of them misread
])
def test_ocr_period_is_verified_only_as_a_whole_year(text: str, verified: bool) -> None:
    fields = fs.extract([_ocr_period_page(text, digit_conf=0.5)])
    for name in ("period_start", "period_end"):
        assert (fields[name].confidence >= 0.8) is verified, name


@pytest.mark.parametrize("text, start, end, verified", [
    ("自人和4年7月1日 令和5年6月30日", "2022-07-01", "2023-06-30", True),  # 令 read as 人, and 至 lost
    ("自令和4年7月1日 令和5年6月30日", "2022-07-01", "2023-06-30", True),  # 至 lost
    ("自今和4年7月1日 至令和5年3月31日", "2022-07-01", "2023-03-31", False),  # not a whole year: the era stays doubtful
])
def test_ocr_period_with_a_misread_era_or_a_lost_ji(text: str, start: str, end: str, verified: bool) -> None:
    fields = fs.extract([_ocr_period_page(text, digit_conf=0.9)])
    assert (fields["period_start"].value.isoformat(), fields["period_end"].value.isoformat()) == (start, end)
    assert (fields["period_start"].confidence >= 0.8) is verified


def test_a_misread_era_is_read_on_ocr_pages_only() -> None:
    fields = fs.extract([grid_page(["損益計算書", "自人和4年7月1日 至令和5年6月30日"], [800.0])])
    assert "period_start" not in fields or fields["period_start"].value is None


def test_two_end_dates_on_one_line_are_not_a_period() -> None:
    """「至令和5年3月31日 至令和6年3月31日」 (two columns' ends) is no 令和5年3月31日 至 令和6年3月31日 period."""
    page = grid_page(["損益計算書 | 前期 | 当期", "科目 | 自令和4年4月1日 | 自令和5年4月1日",
                      "| 至令和5年3月31日 | 至令和6年3月31日"], [420.0, 800.0])
    fields = fs.extract([page])
    assert fields["period_start"].value.isoformat() == "2023-04-01"
    assert fields["period_start"].confidence >= 0.9


@pytest.mark.parametrize("read, name", [
    ("賢与", "給与"),  # 賞与 or 給与: 人件費 either way
    ("荷造運任", "荷造運賃"),
    ("役員報本", "役員報酬"),
    ("雑絵", "雑絵"),  # 雑給 (人件費) or 雑費 (not): left as read
    ("売上高", "売上高"),
    ("システム保守料", "システム保守料"),
])
def test_item_name_reads_a_misread_label_back(read: str, name: str) -> None:
    assert fs.item_name(read) == name


def test_a_dotted_number_stays_in_its_row_and_is_doubtful() -> None:
    """「役員報酬 30.000 30,750」: OCR's point for a comma neither makes 30.000 a label of a row of its own (which
    took 30,750 out of 人件費 while the items still summed to their total) nor a confident value."""
    page = grid_page(["販売費及び一般管理費明細 | 前其 | 当期", "役員報酬 | 30.000 | 30,750", "給料手当 | 48,210 | 49,415",
                      "合計 | 78,210 | 80,165"], [420.0, 800.0])
    fields = fs.extract([page])
    assert fields["personnel_cost"].value == 80_165
    assert fields["prior_personnel_cost"].value == 78_210
    assert fields["prior_personnel_cost"].confidence < 0.8


@pytest.mark.parametrize("label, doubtful", [
    ("しを3", True),  # 賞与 garbled past naming: its amount is in 販管費's total, not in 人件費
    ("賞与", False),
    ("広告宣伝費", False),  # a known item that is not 人件費
    ("販売奨励金", False),  # an item this module does not list, printed as item names are
])
def test_an_unreadable_sga_label_makes_personnel_cost_doubtful(label: str, doubtful: bool) -> None:
    """販管費 = Σ its items holds whatever the items' names read as: an OCR'd item whose name is lost may be a
    人件費 (or 減価償却費) item the sums leave out, so they cannot be confident (scanned-jfc-missing-expert read
    「賞与」 as 「しを3」 and its 人件費 70,676,342 for 72,996,320 at 0.94)."""
    rows = ["損益計算書", "自 令和5年4月1日 至 令和6年3月31日", "売上高 | 100,000", "売上原価 | 60,000",
            "売上総利益 | 40,000", "販売費及び一般管理費 | 30,000", "営業利益 | 10,000",
            "販売費及び一般管理費内訳書", "役員報酬 | 12,000", "給料手当 | 9,000", f"{label} | 2,000",
            "減価償却費 | 3,000", "雑費 | 4,000", "合計 | 30,000"]
    page = grid_page(rows, [800.0], confidence=0.97)
    page = Page(file=page.file, number=1, source="ocr", width=page.width, height=page.height, lines=page.lines)
    fields = fs.extract([page])
    assert (fields["personnel_cost"].confidence < 0.8) is doubtful
    assert (fields["depreciation"].confidence < 0.8) is doubtful

"""決算書 (貸借対照表, 損益計算書, 販売費及び一般管理費内訳書, 製造原価報告書) of one fiscal period, and
the 収支計画書 様式第4号.

Statement rows are built from the period's items, so the printed subtotals are the ground truth's.
A P/L row is (label, indent, inner, outer): ``inner`` is the item sub-column, ``outer`` the total column;
with 前期/当期 columns a row is (label, indent, prior, current).
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.docs import PacketTruth, Period
from samples.layouts.pen import (GOTHIC, MINCHO, PAGE_W, Cell, Pen, amount, fiscal_year_label, fmt_date,
                                 spaced)

LEFT = 50.0
RIGHT = PAGE_W - 50.0


@dataclass(frozen=True)
class Row:
    label: str
    indent: int = 0
    inner: int | None = None  # item column (single-column layout) / 前期 (two-column layout)
    outer: int | None = None  # total column / 当期
    header: bool = False  # a section heading such as 営業外収益 with no amount of its own


def _title(t: PacketTruth, s: str) -> str:
    return spaced(s, t.style.title_sep) if t.style.spaced_titles else s


def _unit_label(t: PacketTruth) -> str:
    return "（単位：千円）" if t.style.unit == 1000 else "（単位：円）"


def _header(pen: Pen, t: PacketTruth, p: Period, title: str) -> float:
    s = t.style
    pen.title(_title(t, title), 62, 16)
    pen.text(PAGE_W / 2, 84, f"第{p.term}期", 10.5, align="c")
    pen.text(PAGE_W / 2, 102, f"自　{fmt_date(p.start, s.wareki)}　　至　{fmt_date(p.end, s.wareki)}", 10.5,
             align="c")
    pen.text(LEFT, 128, t.company.name, 11)
    pen.text(RIGHT, 128, _unit_label(t), 9.5, align="r")
    return 136.0


def _profit_label(base: str, loss: str, value: int, t: PacketTruth) -> tuple[str, int]:
    """「営業利益」, or for a loss 「営業損失」 with a positive amount when the packet prints losses that way."""
    if value < 0 and t.style.loss_label and not t.style.two_column_pl:
        return loss, -value
    return base, value


def _section(t: PacketTruth, name: str, items: tuple[tuple[str, int], ...], prior: tuple[tuple[str, int], ...]
             | None, total_style: str) -> list[Row]:
    """営業外収益 and its kin: items, then the total where the packet's style puts it."""
    total = sum(v for _, v in items)
    if prior is not None:  # two columns: items then a 合計 line
        ptotal = sum(v for _, v in prior)
        rows = [Row(name, 0, header=True)]
        rows += [Row(k, 1, pv, v) for (k, v), (_, pv) in zip(items, prior)]
        return rows + [Row(f"{name}合計", 1, ptotal, total)]
    if total_style == "header":
        return [Row(name, 0, None, total)] + [Row(k, 1, v, None) for k, v in items]
    if total_style == "last_item":
        rows = [Row(name, 0, header=True)] + [Row(k, 1, v, None) for k, v in items]
        rows[-1] = Row(rows[-1].label, 1, rows[-1].inner, total)
        return rows
    return [Row(name, 0, header=True)] + [Row(k, 1, v, None) for k, v in items] + [Row(f"{name}合計", 1, None, total)]


def _pl_rows(t: PacketTruth, p: Period, q: Period | None) -> list[Row]:
    """The 損益計算書 rows; ``q`` is the prior period when the packet prints 前期/当期 columns."""
    c = t.company
    sales_l, cogs_l, gross_l = (("完成工事高", "完成工事原価", "完成工事総利益") if c.construction
                                else ("売上高", "売上原価", "売上総利益"))
    sga_l = "販売費及び一般管理費" + ("　※1" if t.style.note_marks else "")
    style = ("header", "closing", "last_item")[t.seed % 3]
    two = q is not None

    def line(label: str, indent: int, cur: int, prev: int | None = None) -> Row:
        return Row(label, indent, prev, cur) if two else Row(label, indent, None, cur)

    rows = [line(sales_l, 0, p.sales, q.sales if q else None)]
    if p.cogs_items and not two:
        rows.append(Row(cogs_l, 0, header=True))
        (b_l, b), (m_l, m), (e_l, e) = p.cogs_items
        rows += [Row(b_l, 1, b), Row(m_l, 1, m), Row("合計", 2, b + m), Row(e_l, 1, e, p.cogs)]
    else:
        rows.append(line(cogs_l, 0, p.cogs, q.cogs if q else None))
    rows.append(line(gross_l, 1, p.gross, q.gross if q else None))
    rows.append(line(sga_l, 0, p.sga_total, q.sga_total if q else None))
    label, v = _profit_label("営業利益", "営業損失", p.operating, t)
    rows.append(line(label, 1, v, q.operating if q else None))
    rows += _section(t, "営業外収益", p.noi_items, q.noi_items if q else None, style)
    rows += _section(t, "営業外費用", p.noe_items, q.noe_items if q else None, style)
    label, v = _profit_label("経常利益", "経常損失", p.ordinary, t)
    rows.append(line(label, 1, v, q.ordinary if q else None))
    rows += _section(t, "特別利益", p.gain_items, q.gain_items if q else None, style)
    rows += _section(t, "特別損失", p.loss_items, q.loss_items if q else None, style)
    label, v = _profit_label("税引前当期純利益", "税引前当期純損失", p.pretax, t)
    rows.append(line(label, 1, v, q.pretax if q else None))
    rows.append(line("法人税、住民税及び事業税", 1, p.tax, q.tax if q else None))
    label, v = _profit_label("当期純利益", "当期純損失", p.net, t)
    rows.append(line(label, 1, v, q.net if q else None))
    return rows


def _num(t: PacketTruth, n: int | None) -> Cell:
    zero = "−" if t.style.nil_dash else "0"
    return Cell(amount(n, t.style.unit, t.style.neg_mark, zero), "r")


def _draw_rows(pen: Pen, t: PacketTruth, y: float, rows: list[Row], head: tuple[str, str, str] | None,
               widths: tuple[float, float, float] = (255, 120, 120), row_h: float = 19) -> float:
    table: list[list[Cell | str]] = []
    if head and not head[2]:  # single column: 「金額」 spans the item and total columns
        table.append([Cell(head[0], "c"), Cell(head[1], "c", span=2)])
    elif head:
        table.append([Cell(h, "c") for h in head])
    for r in rows:
        label = "　" * r.indent + r.label
        if r.header:
            table.append([label, "", ""])
        else:
            table.append([label, _num(t, r.inner) if r.inner is not None else "",
                          _num(t, r.outer) if r.outer is not None else ""])
    return pen.table(LEFT, y, list(widths), table, row_h, size=9.5)


# ---------------------------------------------------------------- one period's 決算書


def financial_statements(pen: Pen, t: PacketTruth, index: int) -> None:
    """The 決算書 of ``t.periods[index]``: 貸借対照表, 損益計算書, 販管費内訳書 (+ 製造原価報告書)."""
    p = t.periods[index]
    prior = t.periods[index - 1] if t.style.two_column_pl and index > 0 else None
    _balance_sheet(pen, t, p)
    pen.new_page()
    y = _header(pen, t, p, "損益計算書")
    if prior is not None:
        head = ("科目", "前事業年度", "当事業年度") if t.seed % 2 else ("科目", "前期", "当期")
    else:
        head = ("科目", "金額", "")
    _draw_rows(pen, t, y + 6, _pl_rows(t, p, prior), head)
    _sga_schedule(pen, t, p)
    if p.mfg is not None:
        _manufacturing(pen, t, p)


def _balance_sheet(pen: Pen, t: PacketTruth, p: Period) -> None:
    pen.new_page()
    s = t.style
    pen.title(_title(t, "貸借対照表"), 62, 16)
    pen.text(PAGE_W / 2, 84, f"{fmt_date(p.end, s.wareki)}現在", 10.5, align="c")
    pen.text(LEFT, 110, t.company.name, 11)
    pen.text(RIGHT, 110, _unit_label(t), 9.5, align="r")
    b = dict(p.bs)
    ca = ("現金及び預金", "売掛金", "棚卸資産", "その他流動資産")
    fa = ("有形固定資産", "無形固定資産", "投資その他の資産")
    cl = ("買掛金", "短期借入金", "未払法人税等", "その他流動負債")
    total_ca, total_fa = sum(b[k] for k in ca), sum(b[k] for k in fa)
    total_cl, total_fl = sum(b[k] for k in cl), b["長期借入金"]
    equity = b["資本金"] + b["利益剰余金"]
    left: list[tuple[str, int | None]] = [("【資産の部】", None), ("流動資産", total_ca)]
    left += [("　" + k.replace("その他流動資産", "その他"), b[k]) for k in ca]
    left += [("固定資産", total_fa)] + [("　" + k, b[k]) for k in fa]
    right: list[tuple[str, int | None]] = [("【負債の部】", None), ("流動負債", total_cl)]
    right += [("　" + k.replace("その他流動負債", "その他"), b[k]) for k in cl]
    right += [("固定負債", total_fl), ("　長期借入金", b["長期借入金"]), ("負債合計", total_cl + total_fl),
              ("【純資産の部】", None), ("株主資本", equity), ("　資本金", b["資本金"]),
              ("　利益剰余金", b["利益剰余金"]), ("純資産合計", equity)]
    n = max(len(left), len(right))
    left += [("", None)] * (n - len(left))
    right += [("", None)] * (n - len(right))
    left.append(("資産合計", total_ca + total_fa))
    right.append(("負債・純資産合計", total_cl + total_fl + equity))
    rows: list[list[Cell | str]] = [[Cell(h, "c") for h in ("科目", "金額", "科目", "金額")]]
    for (lk, lv), (rk, rv) in zip(left, right):
        rows.append([lk, _num(t, lv) if lv is not None else "", rk, _num(t, rv) if rv is not None else ""])
    pen.table(LEFT, 122, [150, 97, 150, 98], rows, 19, size=9)


def _sga_schedule(pen: Pen, t: PacketTruth, p: Period) -> None:
    pen.new_page()
    title = "販売費及び一般管理費内訳書" if t.seed % 2 == 0 else "販売費及び一般管理費明細書"
    y = _header(pen, t, p, title)
    rows = [Row(k, 0, None, v) for k, v in p.sga] + [Row("合計", 0, None, p.sga_total)]
    table: list[list[Cell | str]] = [[Cell("科目", "c"), Cell("金額", "c")]]
    table += [[r.label if r.label != "合計" else Cell("合計", "c"), _num(t, r.outer)] for r in rows]
    pen.table(LEFT + 60, y + 6, [230, 145], table, 19, size=9.5)


def _manufacturing(pen: Pen, t: PacketTruth, p: Period) -> None:
    m = p.mfg
    assert m is not None
    pen.new_page()
    y = _header(pen, t, p, "製造原価報告書")
    labor_total = "当期労務費" if t.seed % 2 else "労務費計"
    (b_l, b), (u_l, u), (e_l, e) = m.material_items
    rows = [Row("Ⅰ　材料費", 0, header=True), Row(b_l, 1, b), Row(u_l, 1, u), Row("合計", 2, b + u),
            Row(e_l, 1, e), Row("当期材料費", 1, None, m.material),
            Row("Ⅱ　労務費", 0, header=True)]
    rows += [Row(k, 1, v) for k, v in m.labor_items] + [Row(labor_total, 1, None, m.labor)]
    rows += [Row("Ⅲ　経費", 0, header=True)] + [Row(k, 1, v) for k, v in m.overhead_items]
    rows += [Row("当期経費", 1, None, m.overhead),
             Row("当期総製造費用", 0, None, m.total), Row("期首仕掛品棚卸高", 0, None, m.wip_begin),
             Row("合計", 1, None, m.total + m.wip_begin), Row("期末仕掛品棚卸高", 0, None, m.wip_end),
             Row("当期製品製造原価", 0, None, m.product_cost)]
    _draw_rows(pen, t, y + 6, rows, ("科目", "金額", ""))


# ---------------------------------------------------------------- 収支計画書 様式第4号


def income_expenditure_plan(pen: Pen, t: PacketTruth) -> None:
    s, plan = t.style, t.plan
    pen.new_page()
    pen.text(LEFT, 50, "様式第4号", 10)
    pen.title(_title(t, "収支計画書"), 92, 17)
    pen.text(LEFT, 130, f"申請者名　{t.company.name}", 10.5)
    pen.text(RIGHT, 130, _unit_label(t), 9.5, align="r")
    years = plan.years
    labels = [fiscal_year_label(y.fiscal_year, s.wareki) for y in years]
    if t.seed % 2:
        head1: list[Cell | str] = [Cell("区分", "c"), Cell("基準年度\n（直近期）", "c", size=8)]
        head1 += [Cell(f"{i}年目", "c") for i in range(1, len(years))]
    else:
        head1 = [Cell("区分", "c"), Cell("実績", "c"), Cell("計画", "c", span=len(years) - 1)]
    head2: list[Cell | str] = [""] + [Cell(lab, "c", size=8) for lab in labels]
    ordinary_label = "経常利益" if plan.noi_row else "経常利益\n（営業利益－営業外費用）"
    body: list[tuple[str, list[int]]] = [
        ("売上高", [y.sales for y in years]),
        ("営業利益", [y.operating for y in years]),
        ("人件費（労務費を含む）", [y.personnel for y in years]),
        ("減価償却費", [y.depreciation for y in years]),
        ("付加価値額\n（営業利益＋人件費＋減価償却費）", [y.value_added for y in years]),
    ]
    if plan.noi_row:
        body.append(("営業外収益", [y.noi for y in years]))
    body += [("営業外費用（支払利息等）", [y.noe for y in years]),
             (ordinary_label, [plan.printed_ordinary(y) for y in years])]
    rows: list[list[Cell | str]] = [head1, head2]
    heights: list[float] = [30, 18]
    for label, values in body:
        rows.append([Cell(label, size=8 if "\n" in label else 9)]
                    + [Cell(amount(v, s.unit, s.neg_mark), "r", size=8.5) for v in values])
        heights.append(30 if "\n" in label else 22)
    if s.plan_growth_rows:
        va0, op0 = years[0].value_added, plan.printed_ordinary(years[0])
        for label, base, vals in (("付加価値額の伸び率", va0, [y.value_added for y in years]),
                                  ("経常利益の伸び率", op0, [plan.printed_ordinary(y) for y in years])):
            cells: list[Cell | str] = [Cell(label, size=9), Cell("−", "c")]
            cells += [Cell(f"{(v - base) / base * 100:.1f}%", "r", size=8.5) for v in vals[1:]]
            rows.append(cells)
            heights.append(22)
    widths = [135] + [60] * len(years)
    y = pen.table(LEFT, 142, widths, rows, heights, size=9)
    notes = ["（注）付加価値額＝営業利益＋人件費（労務費を含む）＋減価償却費",
             "　　　経常利益＝営業利益－営業外費用（支払利息等）" if not plan.noi_row
             else "　　　経常利益＝営業利益＋営業外収益－営業外費用",
             "　　　基準年度は直近の決算期の実績を記入すること。"]
    for i, n in enumerate(notes):
        pen.text(LEFT, y + 22 + i * 15, n, 8.5, MINCHO)
    pen.text(LEFT, y + 90, "主な設備投資計画", 10.5, GOTHIC)
    pen.text(LEFT + 10, y + 110, f"1年目：{t.loan.equipment}", 9.5)

"""Hold-out 福井県 IoT・AI等導入支援資金 packets, drawn the way *other* offices draw their papers.

The acceptance tests promise that the pipeline reads packets "made by others with other layouts and
wording". This module is those others: it was written without looking at the project's own sample
generator or extractors, from the 要綱, the contract and the domain notes only. Its papers use
bordered forms with shaded label cells, other label wording (お申込金額 / ご融資希望額 / 借入希望額,
本店所在地 / 住所, 従業者数 / 従業員数(常用), 創業 / 設立 / 開業), 和暦 with 元年 and with 漢数字, 西暦 with
slashes, accounting-software statements (科目/金額 with a right sub-column for section totals, 千円,
△, the 販管費 detail on the P/L page, 製造原価報告書, cover pages, 「…金額」 labels, 前期/当期 columns),
other certificate wording, a 交付決定通知書 with 大字 amounts, a 収支計画書 by fiscal year with a
基準年度 column, and whole packets in one PDF.

Every expected result is computed from the ground truth held here (the statement items, the plan,
the loan terms), never by running the pipeline.

    python -m samples.holdout.generate                 # rewrite packets/ and expected/
    python -m samples.holdout.generate --out /tmp/h    # somewhere else
    python -m samples.holdout.generate holdout-single-pdf
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import re
import shutil
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from pathlib import Path
from typing import Any, Literal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PROGRAM = "fukui-iot-ai"

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"
_FONT_FILES = {
    GOTHIC: "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    MINCHO: "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
}
PAGE_W, PAGE_H = A4


def _register_fonts() -> None:
    for name, path in _FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))


# --------------------------------------------------------------------------------------------
# Numbers and dates as these offices print them
# --------------------------------------------------------------------------------------------

_KANJI = "〇一二三四五六七八九"
_DAIJI = "〇壱弐参四五六七八九"
_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def kanji_number(n: int) -> str:
    """1..9999 in plain 漢数字 as dates are written (十, 二十三, 千九百)."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else _KANJI[q]) + unit
    return out + (_KANJI[n] if n else "")


def _era(d: date) -> tuple[str, int]:
    for start, name in _ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise ValueError(f"date {d} is before 昭和")


def wareki(d: date, kanji: bool = False) -> str:
    """令和元年5月20日 / 平成二十七年十月一日 (元年 for year 1 either way)."""
    era, year = _era(d)
    num: Callable[[int], str] = kanji_number if kanji else str
    return f"{era}{'元' if year == 1 else num(year)}年{num(d.month)}月{num(d.day)}日"


def wareki_fy(year: int) -> str:
    """The fiscal year that starts in April of ``year``: 令和6年度."""
    era, y = _era(date(year, 4, 1))
    return f"{era}{'元' if y == 1 else y}年度"


def seireki(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def slash(d: date) -> str:
    return f"{d.year}/{d.month:02d}/{d.day:02d}"


def comma(n: int) -> str:
    return f"{n:,}"


def tri(n: int) -> str:
    """An amount as accounting software prints it: △ before a negative."""
    return f"△{-n:,}" if n < 0 else f"{n:,}"


def daiji_yen(n: int) -> str:
    """金壱千弐百万円: an amount in 大字, as on a 交付決定通知書."""

    def four(x: int) -> str:
        s = ""
        for value, unit in ((1000, "千"), (100, "百"), (10, "拾")):
            q, x = divmod(x, value)
            if q:
                s += _DAIJI[q] + unit
        return s + (_DAIJI[x] if x else "")

    oku, rest = divmod(n, 10**8)
    man, ichi = divmod(rest, 10**4)
    body = (four(oku) + "億" if oku else "") + (four(man) + "万" if man else "") + four(ichi)
    return f"金{body}円"


# --------------------------------------------------------------------------------------------
# Drawing: a canvas with a top-left origin, bordered grids and ledger columns
# --------------------------------------------------------------------------------------------

SPAN = None  # a grid cell that joins the cell on its left
Align = Literal["l", "c", "r"]


class Sheet:
    """One PDF file being drawn; several documents may share it (a whole packet scanned as one)."""

    def __init__(self) -> None:
        _register_fonts()
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=A4, invariant=1, pageCompression=1)
        self.pages = 0

    # text -----------------------------------------------------------------------------------
    def text(self, x: float, top: float, s: str, size: float = 10.0, font: str = MINCHO,
             align: Align = "l") -> None:
        self.c.setFont(font, size)
        y = PAGE_H - top - size * 0.88
        if align == "r":
            self.c.drawRightString(x, y, s)
        elif align == "c":
            self.c.drawCentredString(x, y, s)
        else:
            self.c.drawString(x, y, s)

    def title(self, s: str, top: float, size: float = 18.0, font: str = MINCHO, spaced: bool = False) -> None:
        self.text(PAGE_W / 2, top, "　".join(s) if spaced else s, size=size, font=font, align="c")

    def paragraph(self, x: float, top: float, s: str, width: float, size: float = 10.5,
                  font: str = MINCHO, leading: float = 1.7) -> float:
        """Wrap Japanese text by character width; returns the top of the next line."""
        line = ""
        for ch in s:
            if pdfmetrics.stringWidth(line + ch, font, size) > width:
                self.text(x, top, line, size, font)
                top += size * leading
                line = ""
            line += ch
        if line:
            self.text(x, top, line, size, font)
            top += size * leading
        return top

    # lines and boxes --------------------------------------------------------------------------
    def rect(self, x: float, top: float, w: float, h: float, lw: float = 0.6,
             fill: float | None = None) -> None:
        self.c.setLineWidth(lw)
        if fill is not None:
            self.c.setFillGray(fill)
            self.c.rect(x, PAGE_H - top - h, w, h, stroke=1, fill=1)
            self.c.setFillGray(0)
        else:
            self.c.rect(x, PAGE_H - top - h, w, h, stroke=1, fill=0)

    def hline(self, x0: float, x1: float, top: float, lw: float = 0.6) -> None:
        self.c.setLineWidth(lw)
        self.c.line(x0, PAGE_H - top, x1, PAGE_H - top)

    def vline(self, x: float, top0: float, top1: float, lw: float = 0.6) -> None:
        self.c.setLineWidth(lw)
        self.c.line(x, PAGE_H - top0, x, PAGE_H - top1)

    def seal(self, x: float, top: float, s: str, r: float = 20.0) -> None:
        """A round red official seal with its text (印影) inside."""
        self.c.setStrokeColorRGB(0.8, 0.1, 0.1)
        self.c.setFillColorRGB(0.8, 0.1, 0.1)
        self.c.setLineWidth(1.2)
        self.c.circle(x, PAGE_H - top, r, stroke=1, fill=0)
        self.c.circle(x, PAGE_H - top, r - 3, stroke=1, fill=0)
        # the seal's characters are part of its image on a real scan, not text: strokes only
        self.c.setLineWidth(0.8)
        for i in range(min(len(s), 4)):
            cx = x + (5 if i < 2 else -5)
            cy = PAGE_H - top + (5 if i % 2 == 0 else -5)
            self.c.rect(cx - 3, cy - 3, 6, 6, stroke=1, fill=0)
        self.c.setStrokeColorRGB(0, 0, 0)
        self.c.setFillColorRGB(0, 0, 0)

    # tables -----------------------------------------------------------------------------------
    def cell_text(self, x: float, top: float, w: float, h: float, s: str, align: Align, size: float,
                  font: str, pad: float = 4.0) -> None:
        lines = s.split("\n")
        block = len(lines) * size * 1.3
        t = top + (h - block) / 2 + size * 0.15
        for ln in lines:
            if align == "r":
                self.text(x + w - pad, t, ln, size, font, "r")
            elif align == "c":
                self.text(x + w / 2, t, ln, size, font, "c")
            else:
                self.text(x + pad, t, ln, size, font)
            t += size * 1.3

    def grid(self, x: float, top: float, widths: Sequence[float], rows: Sequence[Sequence[str | None]],
             heights: float | Sequence[float] = 22.0, size: float = 10.0, font: str = MINCHO,
             aligns: Sequence[Align] | None = None, shade: Sequence[int] = (), lw: float = 0.6,
             header: bool = False) -> float:
        """A fully ruled table; ``SPAN`` joins a cell to its left neighbour; a ``header`` first row is
        centred. Returns the bottom."""
        xs = [x]
        for w in widths:
            xs.append(xs[-1] + w)
        al: Sequence[Align] = aligns or ["l"] * len(widths)
        y = top
        for r, row in enumerate(rows):
            h = heights if isinstance(heights, (int, float)) else heights[r]
            row_aligns: Sequence[Align] = ["c"] * len(widths) if (r == 0 and header) else al
            col = 0
            while col < len(widths):
                span = 1
                while col + span < len(widths) and row[col + span] is SPAN:
                    span += 1
                w = xs[col + span] - xs[col]
                self.rect(xs[col], y, w, h, lw=lw, fill=0.88 if col in shade else None)
                cell = row[col] or ""
                self.cell_text(xs[col], y, w, h, cell,
                               row_aligns[col] if span == 1 else ("l" if row_aligns[col] == "l" else "c"),
                               size, font)
                col += span
            y += h
        return y

    def ledger(self, x: float, top: float, widths: Sequence[float], header: Sequence[str | None],
               rows: Sequence[LedgerRow], h: float = 15.0, size: float = 9.0, font: str = GOTHIC) -> float:
        """Accounting-software columns: a ruled header, vertical rules, no rule between rows."""
        xs = [x]
        for w in widths:
            xs.append(xs[-1] + w)
        self.grid(x, top, widths, [header], heights=h + 3, size=size, font=font, aligns=["c"] * len(widths),
                  shade=list(range(len(widths))))
        y0 = top + h + 3
        y = y0
        for row in rows:
            self.text(xs[0] + 6 + row.indent * 11, y + (h - size) / 2, row.label, size, font)
            for i, v in enumerate(row.values):
                if v:
                    self.text(xs[i + 2] - 5, y + (h - size) / 2, v, size, font, "r")
            if row.rule_above:
                self.hline(xs[1], xs[-1], y, lw=0.4)
            y += h
        self.rect(x, top, xs[-1] - x, y - top, lw=0.8)
        for xv in xs[1:-1]:
            self.vline(xv, y0, y, lw=0.4)
        return y

    def end_page(self) -> None:
        self.c.showPage()
        self.pages += 1

    def save(self) -> bytes:
        self.c.save()
        return self.buffer.getvalue()


@dataclass(frozen=True)
class LedgerRow:
    label: str
    values: tuple[str, ...] = ()  # one per amount column, "" for none
    indent: int = 0
    rule_above: bool = False


# --------------------------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------------------------

PERSONNEL_ITEMS = frozenset({"役員報酬", "給料手当", "給与手当", "雑給", "賞与", "賞与引当金繰入額",
                             "退職金", "法定福利費", "福利厚生費"})
Items = tuple[tuple[str, int], ...]


def total(items: Items) -> int:
    return sum(v for _, v in items)


@dataclass(frozen=True)
class Company:
    name: str
    rep: str  # 代表取締役 山田太郎
    postal: str
    address: str  # as it should be read: no postal code
    tel: str
    capital: int
    capital_text: str
    employees: int
    employees_text: str
    industry: str  # printed and expected
    start: date
    start_label: str  # 設立年月日 / 創業年月日 / 開業年月日
    start_text: str
    bank: str
    bank_branch: str
    fy_end_month: int


@dataclass(frozen=True)
class Loan:
    track: str
    applied: date
    amount: int
    amount_text: str
    amount_label: str
    term_months: int
    term_text: str
    term_label: str
    grace_months: int
    grace_text: str
    use: str


@dataclass(frozen=True)
class Manufacturing:
    """製造原価報告書."""

    materials_open: int
    materials_bought: int
    materials_close: int
    labor: Items
    overhead: Items
    wip_open: int
    wip_close: int

    @property
    def materials(self) -> int:
        return self.materials_open + self.materials_bought - self.materials_close

    @property
    def total_cost(self) -> int:  # 当期総製造費用
        return self.materials + total(self.labor) + total(self.overhead)

    @property
    def product_cost(self) -> int:  # 当期製品製造原価
        return self.total_cost + self.wip_open - self.wip_close


@dataclass(frozen=True)
class BalanceSheet:
    current_assets: Items
    fixed_assets: Items
    current_liabilities: Items
    fixed_liabilities: Items
    capital: int
    retained: int  # 繰越利益剰余金 (the plug; may be negative)

    @property
    def assets(self) -> int:
        return total(self.current_assets) + total(self.fixed_assets)

    @property
    def liabilities(self) -> int:
        return total(self.current_liabilities) + total(self.fixed_liabilities)

    @property
    def equity(self) -> int:
        return self.capital + self.retained


@dataclass(frozen=True)
class Statement:
    """One fiscal period's 決算書, built from its items so every subtotal identity holds."""

    company: str
    term_no: int
    start: date
    end: date
    unit: Literal["円", "千円"]
    sales: int
    inventory_open: int
    bought: int  # 当期商品仕入高 (ignored for a manufacturer, whose cost is mfg.product_cost)
    inventory_close: int
    sga: Items
    non_op_income: Items
    non_op_expenses: Items
    special_gains: Items
    special_losses: Items
    income_tax: int
    bs: BalanceSheet
    mfg: Manufacturing | None = None

    @property
    def cogs(self) -> int:
        inflow = self.mfg.product_cost if self.mfg else self.bought
        return self.inventory_open + inflow - self.inventory_close

    @property
    def gross(self) -> int:
        return self.sales - self.cogs

    @property
    def operating(self) -> int:
        return self.gross - total(self.sga)

    @property
    def ordinary(self) -> int:
        return self.operating + total(self.non_op_income) - total(self.non_op_expenses)

    @property
    def pretax(self) -> int:
        return self.ordinary + total(self.special_gains) - total(self.special_losses)

    @property
    def net(self) -> int:
        return self.pretax - self.income_tax

    @property
    def personnel(self) -> int:
        sga = sum(v for k, v in self.sga if k in PERSONNEL_ITEMS)
        return sga + (total(self.mfg.labor) if self.mfg else 0)

    @property
    def depreciation(self) -> int:
        sga = sum(v for k, v in self.sga if k == "減価償却費")
        return sga + (sum(v for k, v in self.mfg.overhead if k == "減価償却費") if self.mfg else 0)

    def fields(self) -> dict[str, Any]:
        return {
            "company_name": self.company,
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "sales": self.sales,
            "operating_profit": self.operating,
            "non_operating_income": total(self.non_op_income),
            "non_operating_expenses": total(self.non_op_expenses),
            "ordinary_profit": self.ordinary,
            "depreciation": self.depreciation,
            "personnel_cost": self.personnel,
        }


def make_statement(seed: str, company: str, term_no: int, start: date, end: date,
                   unit: Literal["円", "千円"], sales: int, op_margin: float, capital: int,
                   manufacturer: bool = False, salary_label: str = "給料手当", extra_personnel: bool = False,
                   ) -> Statement:
    """A plausible period: items drawn around ratios of sales, the cost of sales set so that the
    operating margin is about ``op_margin``; every amount a whole number of the statement's unit."""
    rng = random.Random(f"{seed}/{term_no}")
    q = 1000 if unit == "千円" else 1

    def amt(x: float, jitter: float = 0.08) -> int:
        v = x * rng.uniform(1 - jitter, 1 + jitter)
        return max(q, int(round(v / q)) * q)

    sales = amt(sales, 0.0)
    sga_ratios: list[tuple[str, float]] = [
        ("役員報酬", 0.045), (salary_label, 0.085), ("賞与", 0.012), ("法定福利費", 0.019),
        ("福利厚生費", 0.004), ("荷造運賃", 0.006), ("旅費交通費", 0.005), ("通信費", 0.003),
        ("広告宣伝費", 0.004), ("減価償却費", 0.011), ("地代家賃", 0.013), ("修繕費", 0.003),
        ("水道光熱費", 0.004), ("消耗品費", 0.005), ("租税公課", 0.003), ("支払手数料", 0.003),
        ("保険料", 0.004), ("雑費", 0.002),
    ]
    if extra_personnel:
        sga_ratios.insert(2, ("雑給", 0.006))
        sga_ratios.insert(5, ("賞与引当金繰入額", 0.004))
    sga: Items = tuple((k, amt(sales * r)) for k, r in sga_ratios)
    odd_yen = rng.randint(-49_999, 49_999) if q == 1 else 0  # a real operating profit is not a round number
    target_cogs = sales - total(sga) - int(sales * op_margin) + odd_yen
    inv_open, inv_close = amt(sales * 0.04), amt(sales * 0.042)
    mfg = None
    bought = 0
    if manufacturer:
        labor: Items = (("賃金", amt(sales * 0.13)), ("賞与", amt(sales * 0.018)), ("法定福利費", amt(sales * 0.022)))
        overhead_other: list[tuple[str, int]] = [
            ("電力費", amt(sales * 0.021)), ("減価償却費", amt(sales * 0.028)), ("修繕費", amt(sales * 0.007)),
            ("消耗工具器具備品費", amt(sales * 0.009)), ("雑費", amt(sales * 0.002))]
        m_open, m_close, wip_open, wip_close = (amt(sales * 0.025), amt(sales * 0.027),
                                                amt(sales * 0.015), amt(sales * 0.016))
        bought_m = amt(sales * 0.30)
        # 外注加工費 is the plug that lands the cost of sales on target
        partial = Manufacturing(m_open, bought_m, m_close, labor, tuple(overhead_other), wip_open, wip_close)
        outsourcing = target_cogs - (inv_open + partial.product_cost - inv_close)
        outsourcing = max(q, int(round(outsourcing / q)) * q)
        mfg = Manufacturing(m_open, bought_m, m_close, labor,
                            (("外注加工費", outsourcing), *overhead_other), wip_open, wip_close)
    else:
        bought = int(round((target_cogs - inv_open + inv_close) / q)) * q
    noi: Items = (("受取利息", amt(sales * 0.0002, 0.3)), ("受取配当金", amt(sales * 0.0004, 0.3)),
                  ("雑収入", amt(sales * 0.004, 0.3)))
    noe: Items = (("支払利息", amt(sales * 0.005, 0.2)), ("雑損失", amt(sales * 0.0006, 0.5)))
    gains: Items = (("固定資産売却益", amt(sales * 0.002, 0.3)),) if term_no % 2 == 0 else ()
    losses: Items = (("固定資産除却損", amt(sales * 0.0015, 0.3)),) if term_no % 3 == 0 else ()
    draft = Statement(company, term_no, start, end, unit, sales, inv_open, bought, inv_close, sga, noi, noe,
                      gains, losses, 0, _empty_bs(), mfg)
    tax = max(amt(70000, 0.0), int(round(max(draft.pretax, 0) * 0.3 / q)) * q)
    bs = make_balance_sheet(rng, sales, capital, q)
    return Statement(company, term_no, start, end, unit, sales, inv_open, bought, inv_close, sga, noi, noe,
                     gains, losses, tax, bs, mfg)


def _empty_bs() -> BalanceSheet:
    return BalanceSheet((), (), (), (), 0, 0)


def make_balance_sheet(rng: random.Random, sales: int, capital: int, q: int) -> BalanceSheet:
    def amt(x: float) -> int:
        return max(q, int(round(x * rng.uniform(0.9, 1.1) / q)) * q)

    ca: Items = (("現金及び預金", amt(sales * 0.18)), ("受取手形", amt(sales * 0.03)),
                 ("売掛金", amt(sales * 0.14)), ("棚卸資産", amt(sales * 0.05)),
                 ("前払費用", amt(sales * 0.004)), ("その他", amt(sales * 0.002)))
    fa: Items = (("建物", amt(sales * 0.12)), ("機械及び装置", amt(sales * 0.09)),
                 ("車両運搬具", amt(sales * 0.015)), ("工具器具備品", amt(sales * 0.01)),
                 ("土地", amt(sales * 0.10)), ("ソフトウェア", amt(sales * 0.004)),
                 ("保険積立金", amt(sales * 0.02)))
    cl: Items = (("買掛金", amt(sales * 0.09)), ("短期借入金", amt(sales * 0.05)),
                 ("未払金", amt(sales * 0.02)), ("未払法人税等", amt(sales * 0.006)),
                 ("預り金", amt(sales * 0.003)))
    fl: Items = (("長期借入金", amt(sales * 0.22)),)
    capital = int(round(capital / q)) * q
    retained = total(ca) + total(fa) - total(cl) - total(fl) - capital
    return BalanceSheet(ca, fa, cl, fl, capital, retained)


@dataclass(frozen=True)
class PlanYear:
    label: str  # as printed in the column or row head
    fy: int  # the fiscal year it stands for (2024 for 令和6年度)
    sales: int
    operating_profit: int
    personnel_cost: int
    depreciation: int
    non_operating_income: int
    non_operating_expenses: int

    @property
    def year(self) -> str:
        return f"{self.fy}年度"

    @property
    def value_added(self) -> int:
        return self.operating_profit + self.personnel_cost + self.depreciation

    @property
    def ordinary_yoko(self) -> int:  # 要綱: 営業利益 − 営業外費用
        return self.operating_profit - self.non_operating_expenses


@dataclass(frozen=True)
class Plan:
    years: tuple[PlanYear, ...]  # base year first
    accounting_ordinary: bool  # the printed 経常利益 adds 営業外収益 (as an accountant would)

    def printed_ordinary(self, y: PlanYear) -> int:
        return y.ordinary_yoko + (y.non_operating_income if self.accounting_ordinary else 0)

    def growth(self, what: Callable[[PlanYear], int]) -> float:
        return (what(self.years[5]) - what(self.years[0])) / what(self.years[0])

    def expected(self) -> list[dict[str, Any]]:
        return [{"year": y.year, "operating_profit": y.operating_profit, "personnel_cost": y.personnel_cost,
                 "depreciation": y.depreciation, "value_added": y.value_added,
                 "non_operating_expenses": y.non_operating_expenses,
                 "ordinary_profit": self.printed_ordinary(y)}
                for y in self.years]


def make_plan(base: Statement, labels: Sequence[tuple[str, int]], *, op: float, personnel: float,
              depreciation: float, noi: float = 0.0, noe: float = 0.0,
              accounting_ordinary: bool = False) -> Plan:
    """Six years in 千円 multiples: the base year from the latest statement, then straight-line growth to
    ``1 + rate`` of each base figure in year 5."""

    def k(v: float) -> int:
        return int(round(v / 1000)) * 1000

    b = (k(base.sales), k(base.operating), k(base.personnel), k(base.depreciation),
         k(total(base.non_op_income)), k(total(base.non_op_expenses)))
    years = []
    for i, (label, year) in enumerate(labels):
        f = i / 5
        years.append(PlanYear(label, year, k(b[0] * (1 + 0.12 * f)), k(b[1] * (1 + op * f)),
                              k(b[2] * (1 + personnel * f)), k(b[3] * (1 + depreciation * f)),
                              k(b[4] * (1 + noi * f)), k(b[5] * (1 + noe * f))))
    return Plan(tuple(years), accounting_ordinary)


@dataclass(frozen=True)
class Subsidy:
    doc_no: str
    applied: date
    decided: date
    project: str
    cost: int  # 補助事業に要する経費
    eligible_cost: int  # 補助対象経費
    amount: int  # 補助金の額 (交付決定額)
    kanji_date: bool = True


@dataclass(frozen=True)
class TaxCert:
    issued: date
    arrears: tuple[tuple[str, str, int, int], ...] = ()  # (税目, 年度, 税額, 未納額)
    period: tuple[date, date] | None = None  # the business year a その1 certificate shows

    @property
    def has_arrears(self) -> bool:
        return any(unpaid > 0 for *_, unpaid in self.arrears)


@dataclass(frozen=True)
class Quote:
    vendor: str
    vendor_address: str
    date: date
    items: tuple[tuple[str, int, int], ...]  # (品名, 数量, 単価)

    @property
    def subtotal(self) -> int:
        return sum(n * p for _, n, p in self.items)

    @property
    def tax(self) -> int:
        return self.subtotal // 10

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


# --------------------------------------------------------------------------------------------
# Papers
# --------------------------------------------------------------------------------------------

TRACK_BOXES = {
    "1": ("■", "□"),
    "2": ("□", "■"),
}
TRACK_TEXT = ("要綱2(1) 導入促進事業の補助事業を実施した者",
              "要綱2(2) ふくい産業支援センターの支援を受けた事業計画")


def _track_cell(track: str) -> str:
    a, b = TRACK_BOXES[track]
    return f"{a} {TRACK_TEXT[0]}\n{b} {TRACK_TEXT[1]}"


def draw_loan_application(sh: Sheet, co: Company, ln: Loan, quote: Quote, style: str,
                          subsidy: Subsidy | None = None) -> None:
    """融資申込書 様式第1号-1 (the applicant) and 第1号-2 (equipment and funding)."""
    date_text = wareki(ln.applied)
    if style == "A":  # two columns, shaded labels, the postal code in the address cell
        sh.text(PAGE_W - 50, 40, "（様式第1号-1）", 9.5, MINCHO, "r")
        sh.title("福井県IoT・AI等導入支援資金融資申込書", 70, 16)
        sh.text(PAGE_W - 50, 105, date_text, 10.5, MINCHO, "r")
        sh.text(55, 125, "福井県知事　様", 11)
        sh.paragraph(55, 155, "福井県IoT・AI等導入支援資金要綱に基づき、下記のとおり融資を申し込みます。"
                     "なお、この申込書及び添付書類の記載事項は事実と相違ありません。", 485, 10)
        rows = [
            ["申込者の名称", co.name],
            ["代表者の役職・氏名", co.rep],
            ["本店所在地", f"〒{co.postal}\n{co.address}"],
            ["電話番号", co.tel],
            ["資本金の額", co.capital_text],
            ["従業員数（常用）", co.employees_text],
            ["業種（日本標準産業分類）", co.industry],
            [co.start_label, co.start_text],
            [ln.amount_label, ln.amount_text],
            [ln.term_label, ln.term_text],
            ["うち据置期間", ln.grace_text],
            ["資金使途", ln.use],
            ["融資対象者の区分", _track_cell(ln.track)],
            ["取扱金融機関", f"{co.bank}　{co.bank_branch}"],
        ]
        heights = [24, 24, 34, 22, 22, 22, 24, 22, 24, 22, 22, 24, 36, 22]
        bottom = sh.grid(55, 200, [150, 335], rows, heights, 10, MINCHO, shade=[0])
        sh.rect(PAGE_W - 150, bottom + 25, 95, 80)
        sh.text(PAGE_W - 102, bottom + 30, "県受付印", 8, MINCHO, "c")
    elif style == "B":  # four columns, label and value pairs
        sh.text(50, 40, "様式第1号－1", 9.5, GOTHIC)
        sh.title("融資申込書", 68, 17, GOTHIC, spaced=True)
        sh.text(PAGE_W / 2, 96, "（福井県IoT・AI等導入支援資金）", 10.5, GOTHIC, "c")
        sh.text(PAGE_W - 50, 125, date_text, 10, GOTHIC, "r")
        sh.text(50, 140, "福井県知事　殿", 11, GOTHIC)
        sh.text(50, 170, "下記のとおり、福井県IoT・AI等導入支援資金の融資を申し込みます。", 10, GOTHIC)
        rows = [
            ["商号又は名称", co.name, SPAN, SPAN],
            ["住所", co.address, SPAN, SPAN],
            ["代表者", co.rep, "電話番号", co.tel],
            ["資本金", co.capital_text, "従業者数", co.employees_text],
            ["業種", co.industry, SPAN, SPAN],
            [co.start_label, co.start_text, "決算期", f"{co.fy_end_month}月"],
            [ln.amount_label, ln.amount_text, ln.term_label, ln.term_text],
            ["据置期間", ln.grace_text, "返済方法", "元金均等月賦返済"],
            ["資金使途", ln.use, SPAN, SPAN],
            ["融資対象者", _track_cell(ln.track), SPAN, SPAN],
            ["取扱金融機関", co.bank, "店舗名", co.bank_branch],
        ]
        heights = [26, 26, 24, 24, 24, 24, 26, 24, 26, 38, 24]
        sh.grid(50, 195, [90, 170, 80, 155], rows, heights, 9.5, GOTHIC, shade=[0, 2])
    else:  # "C": 借入申込書 with group labels spanning rows and spaced labels
        sh.text(PAGE_W - 50, 38, "様式第1号-1", 9, MINCHO, "r")
        sh.title("借入申込書", 62, 18, MINCHO, spaced=True)
        sh.text(PAGE_W / 2, 92, "福井県IoT・AI等導入支援資金", 11, MINCHO, "c")
        sh.text(PAGE_W - 50, 118, date_text, 10.5, MINCHO, "r")
        sh.text(50, 135, f"{co.bank}　御中", 11)
        groups = [
            ("申込人", [["所　在　地", co.address], ["名　　称", co.name], ["代　表　者", co.rep],
                       ["電話番号", co.tel]]),
            ("企業概要", [["資本金の額", co.capital_text], ["従業員数", co.employees_text],
                        ["業種（日本標準産業分類）", co.industry], [co.start_label, co.start_text]]),
            ("借入内容", [[ln.amount_label, ln.amount_text], [ln.term_label, ln.term_text],
                        ["据　置　期　間", ln.grace_text], ["資　金　使　途", ln.use],
                        ["区　　分", _track_cell(ln.track)]]),
        ]
        top = 165.0
        for label, rows in groups:
            hs = [38.0 if "\n" in r[1] else 25.0 for r in rows]
            sh.rect(50, top, 28, sum(hs), fill=0.88)
            for i, ch in enumerate(label):
                sh.text(64, top + sum(hs) / 2 - len(label) * 7 + i * 14, ch, 11, MINCHO, "c")
            top = sh.grid(78, top, [130, 287], rows, hs, 10, MINCHO, shade=[0])
        sh.paragraph(50, top + 20, "上記のとおり借入を申し込みます。申込みに当たり、県及び保証協会が本申込みに"
                     "係る情報を相互に提供することに同意します。", 495, 9.5)
    sh.end_page()

    # 様式第1号-2: what the money buys and where it comes from
    f = GOTHIC if style == "B" else MINCHO
    sh.text(PAGE_W - 50 if style != "B" else 50, 40, "（様式第1号-2）" if style == "A" else "様式第1号-2",
            9.5, f, "r" if style != "B" else "l")
    sh.title("設備導入計画及び資金計画", 70, 15, f)
    sh.text(50, 110, f"申込者　{co.name}", 10.5, f)
    sh.text(50, 140, "1　導入する設備", 11, f)
    rows: list[list[str | None]] = [["設備の名称・型式", "数量", "金額（税抜・円）"]]
    rows += [[name, str(n), comma(n * p)] for name, n, p in quote.items]
    rows += [["合計", "", comma(quote.subtotal)]]
    bottom = sh.grid(50, 160, [300, 60, 135], rows, 22, 9.5, f, header=True, aligns=["l", "r", "r"])
    sh.text(50, bottom + 25, "2　資金調達計画", 11, f)
    own = quote.total - ln.amount - (subsidy.amount if subsidy else 0)
    fund: list[list[str | None]] = [["調達区分", "金額（円）", "備考"],
                                    ["本資金借入", comma(ln.amount), co.bank]]
    if subsidy:
        fund.append(["補助金", comma(subsidy.amount), "IoT・AI・ロボット等導入促進事業"])
    fund.append(["自己資金", comma(own), ""])
    fund.append(["合計", comma(quote.total), "消費税等を含む"])
    bottom = sh.grid(50, bottom + 45, [150, 140, 205], fund, 22, 9.5, f, header=True, aligns=["l", "r", "l"])
    sh.text(50, bottom + 25, "3　設置場所　本社事業所", 10.5, f)
    sh.text(50, bottom + 45, f"4　設置予定時期　{wareki(date(ln.applied.year, ln.applied.month, 1))[:-2]}頃", 10.5, f)
    sh.end_page()


def draw_pref_tax_cert(sh: Sheet, co: Company, cert: TaxCert, style: str) -> None:
    """県税の納税証明書: "P1" 滞納がないことを証明する / "P2" a table of 未納額 / "P3" 未納税額はありません."""
    if style == "P1":
        sh.text(PAGE_W - 60, 45, "第　　　　　号", 10, MINCHO, "r")
        sh.title("納税証明書", 85, 20, spaced=True)
        rows = [["住所（所在地）", co.address],
                ["氏名（名称）", co.name],
                ["代表者氏名", co.rep.split("　", 1)[-1]],
                ["証明を受ける事項", "県税に滞納がないこと"],
                ["使用目的", "福井県IoT・AI等導入支援資金の申込み"]]
        bottom = sh.grid(60, 130, [130, 345], rows, 30, 11, MINCHO, shade=[0])
        sh.text(60, bottom + 30, "下記の県税について滞納がないことを証明する。", 11)
        sh.text(PAGE_W / 2, bottom + 60, "記", 11, MINCHO, "c")
        sh.text(80, bottom + 90, "法人県民税、法人事業税、特別法人事業税、不動産取得税、自動車税（種別割）", 10.5)
        sh.text(80, bottom + 130, wareki(cert.issued), 11)
        sh.text(300, bottom + 170, "福井県福井県税事務所長", 12)
        sh.seal(480, bottom + 176, "福井県印")
    elif style == "P2":
        sh.title("納　税　証　明　書", 70, 19)
        sh.text(60, 120, f"所在地　　{co.address}", 11)
        sh.text(60, 145, f"名　称　　{co.name}", 11)
        sh.text(60, 170, "証明事項　県税の納付状況", 11)
        rows: list[list[str | None]] = [["税目", "年度", "税額（円）", "納付済額（円）", "未納額（円）"]]
        for name, fy, amount, unpaid in cert.arrears:
            rows.append([name, fy, comma(amount), comma(amount - unpaid), comma(unpaid)])
        unpaid_total = sum(u for *_, u in cert.arrears)
        rows.append(["計", "", "", "", comma(unpaid_total)])
        bottom = sh.grid(60, 200, [130, 80, 90, 90, 85], rows, 26, 10, MINCHO, header=True,
                         aligns=["l", "c", "r", "r", "r"],
                         shade=[])
        sh.text(60, bottom + 30, "上記のとおり相違ないことを証明します。", 11)
        sh.text(60, bottom + 70, wareki(cert.issued), 11)
        sh.text(300, bottom + 110, "福井県奥越県税事務所長", 12)
        sh.seal(480, bottom + 116, "福井県印")
    else:  # P3
        sh.text(60, 45, "県税証明第　　号", 9, MINCHO)
        sh.title("証　　明　　書", 80, 20)
        sh.text(PAGE_W / 2, 112, "（県税の未納がないことの証明）", 11, MINCHO, "c")
        rows = [["申請者", "住所", co.address], [SPAN, "氏名又は名称", co.name]]
        # a vertical label: draw the first column as one tall cell
        sh.rect(60, 150, 70, 60, fill=0.88)
        sh.text(95, 172, "申請者", 11, MINCHO, "c")
        sh.grid(130, 150, [110, 295], [r[1:] for r in rows], 30, 11, MINCHO, shade=[0])
        sh.paragraph(60, 245, f"上記の者については、{wareki(cert.issued)}現在、福井県税の未納税額はありません。",
                     475, 11)
        sh.text(60, 300, "（証明の対象とした税目）　法人県民税・法人事業税・個人事業税・不動産取得税", 9.5)
        sh.text(60, 350, wareki(cert.issued), 11)
        sh.text(310, 390, "福井県丹南県税事務所長", 12)
        sh.seal(485, 396, "福井県印")
    sh.end_page()


def draw_consumption_tax_cert(sh: Sheet, co: Company, cert: TaxCert, style: str) -> None:
    """国税の納税証明書: "C1" e-Tax その3の3 / "C2" その1 with 「未納税額はありません」."""
    office = "福井税務署長" if "福井市" in co.address or "坂井市" in co.address else "武生税務署長"
    if style == "C1":
        sh.text(PAGE_W - 50, 35, "電子納税証明書", 9, GOTHIC, "r")
        sh.title("納 税 証 明 書", 70, 20, MINCHO)
        sh.text(PAGE_W / 2, 102, "（その３の３「法人税」及び「消費税及地方消費税」について未納の税額がないこと用）",
                9.5, MINCHO, "c")
        rows = [["納 税 地", co.address], ["氏名又は名称", co.name], ["代表者氏名", co.rep.split("　", 1)[-1]]]
        bottom = sh.grid(60, 135, [120, 355], rows, 30, 11, MINCHO, shade=[0])
        sh.paragraph(60, bottom + 30, f"上記の者について、{wareki(cert.issued)}現在において、「法人税」及び"
                     "「消費税及地方消費税」について未納の税額はありません。", 475, 11)
        sh.text(60, bottom + 100, f"証明書番号　{zlib.crc32(co.name.encode()):010d}", 9, GOTHIC)
        sh.text(60, bottom + 130, wareki(cert.issued), 11)
        sh.text(300, bottom + 165, office, 12)
        sh.text(300, bottom + 185, "財務事務官　　北　村　　　誠", 11)
        sh.rect(60, bottom + 220, 70, 70)  # the QR code's place
        sh.text(140, bottom + 245, "この証明書は電子署名付きの電子納税証明書を印刷したものです。", 8, GOTHIC)
    else:  # C2
        sh.title("納 税 証 明 書", 60, 20)
        sh.text(PAGE_W / 2, 92, "（その１　納付すべき税額等の証明用）", 10, MINCHO, "c")
        sh.text(60, 125, f"住所（納税地）　{co.address}", 10.5)
        sh.text(60, 148, f"氏名（名称）　　{co.name}", 10.5)
        assert cert.period is not None, "a その1 certificate shows a business year"
        fy_start, fy_end = cert.period
        amount = 2_000_000 + zlib.crc32(co.name.encode()) % 300 * 10_000
        rows: list[list[str | None]] = [
            ["年度", "税目", "納付すべき税額", "納付済額", "未納税額", "法定納期限等"],
            [f"{wareki(fy_start)}～\n{wareki(fy_end)}", "消費税及び\n地方消費税", comma(amount), comma(amount),
             "0", wareki(_add_months_end(fy_end, 2))],
            ["以下余白", SPAN, SPAN, SPAN, SPAN, SPAN],
        ]
        bottom = sh.grid(40, 175, [130, 75, 75, 75, 60, 100], rows, [26, 44, 24], 8.5, MINCHO,
                         header=True, aligns=["c", "c", "r", "r", "r", "c"])
        sh.text(60, bottom + 30, "上記のとおり、未納税額はありません。", 11)
        sh.text(60, bottom + 70, wareki(cert.issued), 11)
        sh.text(300, bottom + 105, office, 12)
        sh.seal(480, bottom + 110, "税務署印")
    sh.end_page()


def _add_months_end(d: date, months: int) -> date:
    """The last day of the month ``months`` after ``d``'s month (法定納期限: two months after the year end)."""
    y, m = divmod(d.month - 1 + months + 1, 12)
    first_next = date(d.year + y, m + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


# --- 決算書 ------------------------------------------------------------------------------------

Kind = Literal["head", "item", "sectotal", "result", "line"]
StLine = tuple[str, str, Kind, int | None]  # key, label, kind, value in yen


def pl_lines(st: Statement) -> list[StLine]:
    mfg = st.mfg is not None
    inflow = st.mfg.product_cost if st.mfg else st.bought
    goods = "製品" if mfg else "商品"
    out: list[StLine] = [
        ("h:sales", "売上高", "head", None), ("i:sales", "売上高", "item", st.sales),
        ("t:sales", "売上高合計", "sectotal", st.sales),
        ("h:cogs", "売上原価", "head", None),
        ("i:open", f"期首{goods}棚卸高", "item", st.inventory_open),
        ("i:in", "当期製品製造原価" if mfg else "当期商品仕入高", "item", inflow),
        ("i:sum", "合計", "item", st.inventory_open + inflow),
        ("i:close", f"期末{goods}棚卸高", "item", st.inventory_close),
        ("t:cogs", "売上原価", "sectotal", st.cogs),
        ("r:gross", "売上総利益", "result", st.gross),
        ("h:sga", "販売費及び一般管理費", "head", total(st.sga)),
        ("r:op", "営業利益", "result", st.operating),
        ("h:noi", "営業外収益", "head", None),
        *[(f"i:noi:{k}", k, "item", v) for k, v in st.non_op_income],  # type: ignore[misc]
        ("t:noi", "営業外収益合計", "sectotal", total(st.non_op_income)),
        ("h:noe", "営業外費用", "head", None),
        *[(f"i:noe:{k}", k, "item", v) for k, v in st.non_op_expenses],  # type: ignore[misc]
        ("t:noe", "営業外費用合計", "sectotal", total(st.non_op_expenses)),
        ("r:ord", "経常利益", "result", st.ordinary),
    ]
    for key, title, items in (("sg", "特別利益", st.special_gains), ("sl", "特別損失", st.special_losses)):
        if items:
            out.append((f"h:{key}", title, "head", None))
            out += [(f"i:{key}:{k}", k, "item", v) for k, v in items]
            out.append((f"t:{key}", f"{title}合計", "sectotal", total(items)))
    out += [("r:pretax", "税引前当期純利益", "result", st.pretax),
            ("l:tax", "法人税、住民税及び事業税", "line", st.income_tax),
            ("r:net", "当期純利益", "result", st.net)]
    return out


def mfg_lines(m: Manufacturing) -> list[StLine]:
    return [
        ("h:mat", "Ⅰ　材料費", "head", None),
        ("i:mo", "期首材料棚卸高", "item", m.materials_open),
        ("i:mb", "当期材料仕入高", "item", m.materials_bought),
        ("i:ms", "合計", "item", m.materials_open + m.materials_bought),
        ("i:mc", "期末材料棚卸高", "item", m.materials_close),
        ("t:mat", "当期材料費", "sectotal", m.materials),
        ("h:lab", "Ⅱ　労務費", "head", None),
        *[(f"i:lab:{k}", k, "item", v) for k, v in m.labor],  # type: ignore[misc]
        ("t:lab", "当期労務費", "sectotal", total(m.labor)),
        ("h:ovh", "Ⅲ　経費", "head", None),
        *[(f"i:ovh:{k}", k, "item", v) for k, v in m.overhead],  # type: ignore[misc]
        ("t:ovh", "当期経費", "sectotal", total(m.overhead)),
        ("r:tot", "当期総製造費用", "result", m.total_cost),
        ("l:wo", "期首仕掛品棚卸高", "line", m.wip_open),
        ("l:ws", "合計", "line", m.total_cost + m.wip_open),
        ("l:wc", "期末仕掛品棚卸高", "line", m.wip_close),
        ("r:pc", "当期製品製造原価", "result", m.product_cost),
    ]


def bs_lines(bs: BalanceSheet) -> tuple[list[StLine], list[StLine]]:
    left: list[StLine] = [("h:a", "資産の部", "head", None), ("h:ca", "流動資産", "head", None),
                          *[(f"i:ca:{k}", k, "item", v) for k, v in bs.current_assets],  # type: ignore[misc]
                          ("t:ca", "流動資産合計", "sectotal", total(bs.current_assets)),
                          ("h:fa", "固定資産", "head", None),
                          *[(f"i:fa:{k}", k, "item", v) for k, v in bs.fixed_assets],  # type: ignore[misc]
                          ("t:fa", "固定資産合計", "sectotal", total(bs.fixed_assets)),
                          ("r:a", "資産合計", "result", bs.assets)]
    right: list[StLine] = [("h:l", "負債の部", "head", None), ("h:cl", "流動負債", "head", None),
                           *[(f"i:cl:{k}", k, "item", v)  # type: ignore[misc]
                             for k, v in bs.current_liabilities],
                           ("t:cl", "流動負債合計", "sectotal", total(bs.current_liabilities)),
                           ("h:fl", "固定負債", "head", None),
                           *[(f"i:fl:{k}", k, "item", v)  # type: ignore[misc]
                             for k, v in bs.fixed_liabilities],
                           ("t:fl", "固定負債合計", "sectotal", total(bs.fixed_liabilities)),
                           ("r:l", "負債合計", "result", bs.liabilities),
                           ("h:e", "純資産の部", "head", None),
                           ("i:cap", "資本金", "item", bs.capital),
                           ("i:ret", "繰越利益剰余金", "item", bs.retained),
                           ("t:e", "純資産合計", "sectotal", bs.equity),
                           ("r:le", "負債・純資産合計", "result", bs.liabilities + bs.equity)]
    return left, right


def _unit(st: Statement, v: int) -> int:
    q = 1000 if st.unit == "千円" else 1
    assert v % q == 0, "a 千円 statement holds whole thousands"
    return v // q


def _software_rows(st: Statement, lines: list[StLine]) -> list[LedgerRow]:
    """The S1 look: items in the inner column, a section's total on its last item's row, outside."""
    rows: list[LedgerRow] = []
    items_in_section = 0
    for key, label, kind, value in lines:
        text = tri(_unit(st, value)) if value is not None else ""
        if kind == "head":
            rows.append(LedgerRow(f"【{label}】", ("", text)))
            items_in_section = 0
        elif kind == "item":
            rows.append(LedgerRow(label, (text, ""), 1, rule_above=label == "合計"))
            items_in_section += 1
        elif kind == "sectotal":
            last = rows[-1]
            inner = "" if items_in_section == 1 else last.values[0]
            rows[-1] = LedgerRow(last.label, (inner, text), last.indent, last.rule_above)
        elif kind == "line":
            rows.append(LedgerRow(label, ("", text), 1))
        else:
            rows.append(LedgerRow(label, ("", text), 2))
    return rows


def _bs_rows(st: Statement, lines: list[StLine]) -> list[LedgerRow]:
    rows: list[LedgerRow] = []
    for _, label, kind, value in lines:
        text = tri(_unit(st, value)) if value is not None else ""
        if kind == "head":
            rows.append(LedgerRow(f"【{label}】", (text,)))
        elif kind == "item":
            rows.append(LedgerRow(label, (text,), 1))
        else:
            rows.append(LedgerRow(label, (text,), 1 if kind == "sectotal" else 0, rule_above=True))
    return rows


def _statement_header(sh: Sheet, st: Statement, title: str, period: str, font: str = GOTHIC) -> None:
    sh.text(50, 40, st.company, 10.5, font)
    sh.title(title, 62, 16, font, spaced=True)
    sh.text(PAGE_W / 2, 90, period, 10, font, "c")
    sh.text(PAGE_W - 50, 92, f"（単位：{st.unit}）", 9, font, "r")


def draw_statement_software(sh: Sheet, st: Statement, kanji_dates: bool = False) -> None:
    """S1: what a packaged accounting program prints (千円, 科目/金額, right sub-column for totals)."""
    start, end = wareki(st.start, kanji_dates), wareki(st.end, kanji_dates)
    _statement_header(sh, st, "貸借対照表", f"{end}現在")
    left, right = bs_lines(st.bs)
    sh.ledger(45, 115, [150, 100], ["科　目", "金　額"], _bs_rows(st, left))
    sh.ledger(305, 115, [150, 100], ["科　目", "金　額"], _bs_rows(st, right))
    sh.end_page()

    _statement_header(sh, st, "損益計算書", f"自　{start}　　至　{end}")
    bottom = sh.ledger(60, 110, [245, 115, 115], ["科　　　目", "金　　　額", SPAN],
                       _software_rows(st, pl_lines(st)), h=13.5, size=8.8)
    sh.text(PAGE_W / 2, bottom + 18, "販売費及び一般管理費内訳", 11, GOTHIC, "c")
    half = (len(st.sga) + 1) // 2
    cols = [list(st.sga[:half]), list(st.sga[half:])]
    sh.ledger(60, bottom + 40, [140, 97], ["科　目", "金　額"],
              [LedgerRow(k, (comma(_unit(st, v)),)) for k, v in cols[0]], h=13.5, size=8.8)
    sh.ledger(298, bottom + 40, [140, 97], ["科　目", "金　額"],
              [LedgerRow(k, (comma(_unit(st, v)),)) for k, v in cols[1]]
              + [LedgerRow("販売費及び一般管理費合計", (comma(_unit(st, total(st.sga))),), rule_above=True)],
              h=13.5, size=8.8)
    sh.end_page()

    if st.mfg:
        _statement_header(sh, st, "製造原価報告書", f"自　{start}　　至　{end}")
        sh.ledger(60, 115, [245, 115, 115], ["科　　　目", "金　　　額", SPAN],
                  _software_rows(st, mfg_lines(st.mfg)), h=15, size=9)
        sh.end_page()


_LOSS_LABELS = {"営業利益": "営業損失", "経常利益": "経常損失", "税引前当期純利益": "税引前当期純損失",
                "当期純利益": "当期純損失", "売上総利益": "売上総損失"}


def _ruled_rows(st: Statement, lines: list[StLine], amount_suffix: bool) -> list[list[str | None]]:
    """The S3 look: one amount column; a loss as a positive number under a 「…損失」 label."""
    rows: list[list[str | None]] = []
    for key, label, kind, value in lines:
        if key in ("h:sales", "t:sales"):
            continue
        if kind == "head":
            rows.append([f"【{label}】", comma(_unit(st, value)) if value is not None else ""])
        elif kind == "item":
            rows.append([f"　　{label}", tri(_unit(st, value or 0))])
        elif kind in ("sectotal", "line"):
            rows.append([f"　{label}", tri(_unit(st, value or 0))])
        else:
            v = value or 0
            name = _LOSS_LABELS.get(label, label) if v < 0 else label
            rows.append([name + ("金額" if amount_suffix else ""), comma(_unit(st, abs(v)))])
    return rows


def draw_statement_booklet(sh: Sheet, st: Statement, date_fmt: Callable[[date], str] = seireki) -> None:
    """S3: a bound 決算報告書 (cover, B/S, P/L with 「…金額」 labels, 販管費内訳書, 製造原価報告書), in 円."""
    sh.text(PAGE_W / 2, 200, f"第　{st.term_no}　期", 20, MINCHO, "c")
    sh.text(PAGE_W / 2, 260, "決　算　報　告　書", 28, MINCHO, "c")
    sh.text(PAGE_W / 2, 350, f"自　{date_fmt(st.start)}", 13, MINCHO, "c")
    sh.text(PAGE_W / 2, 375, f"至　{date_fmt(st.end)}", 13, MINCHO, "c")
    sh.text(PAGE_W / 2, 600, st.company, 17, MINCHO, "c")
    sh.end_page()

    sh.text(PAGE_W / 2, 50, "貸　借　対　照　表", 16, MINCHO, "c")
    sh.text(PAGE_W / 2, 78, f"{date_fmt(st.end)}現在", 10, MINCHO, "c")
    sh.text(50, 95, st.company, 10)
    sh.text(PAGE_W - 50, 95, "（単位：円）", 9, MINCHO, "r")
    left, right = bs_lines(st.bs)
    rows = [["科　　目", "金　　額"]] + _ruled_rows(st, left + right, False)
    sh.grid(70, 112, [300, 155], rows, 17.5, 9, MINCHO, header=True, aligns=["l", "r"], shade=[])
    sh.end_page()

    sh.text(PAGE_W / 2, 50, "損　益　計　算　書", 16, MINCHO, "c")
    sh.text(PAGE_W / 2, 78, f"自　{date_fmt(st.start)}　　至　{date_fmt(st.end)}", 10, MINCHO, "c")
    sh.text(50, 95, st.company, 10)
    sh.text(PAGE_W - 50, 95, "（単位：円）", 9, MINCHO, "r")
    rows = [["科　　目", "金　　額"]] + _ruled_rows(st, pl_lines(st), True)
    sh.grid(70, 112, [300, 155], rows, 19, 9.5, MINCHO, header=True, aligns=["l", "r"])
    sh.end_page()

    sh.text(PAGE_W / 2, 50, "販売費及び一般管理費内訳書", 15, MINCHO, "c")
    sh.text(PAGE_W / 2, 78, f"自　{date_fmt(st.start)}　　至　{date_fmt(st.end)}", 10, MINCHO, "c")
    sh.text(50, 95, st.company, 10)
    sh.text(PAGE_W - 50, 95, "（単位：円）", 9, MINCHO, "r")
    rows = [["科　　目", "金　　額"]] + [[k, comma(v)] for k, v in st.sga] + [["合　　計", comma(total(st.sga))]]
    sh.grid(70, 112, [300, 155], rows, 20, 9.5, MINCHO, header=True, aligns=["l", "r"])
    sh.end_page()

    if st.mfg:
        sh.text(PAGE_W / 2, 50, "製　造　原　価　報　告　書", 15, MINCHO, "c")
        sh.text(PAGE_W / 2, 78, f"自　{date_fmt(st.start)}　　至　{date_fmt(st.end)}", 10, MINCHO, "c")
        sh.text(50, 95, st.company, 10)
        sh.text(PAGE_W - 50, 95, "（単位：円）", 9, MINCHO, "r")
        rows = [["科　　目", "金　　額"]] + _ruled_rows(st, mfg_lines(st.mfg), False)
        sh.grid(70, 112, [300, 155], rows, 20, 9.5, MINCHO, header=True, aligns=["l", "r"])
        sh.end_page()


def draw_statement_comparative(sh: Sheet, st: Statement, prior: Statement) -> None:
    """S2: 比較 statements with 前期 and 当期 columns (the document is the 当期 one), in 円, △ for negatives."""

    def table(lines_now: list[StLine], lines_before: list[StLine]) -> list[list[str | None]]:
        before = {k: v for k, _, _, v in lines_before}
        rows: list[list[str | None]] = []
        for key, label, kind, value in lines_now:
            if key in ("h:sales", "t:sales"):
                continue
            pv = before.get(key)
            if kind == "head":
                rows.append([f"〔{label}〕", tri(pv) if pv is not None else "",
                             tri(value) if value is not None else ""])
            else:
                indent = {"item": "　　", "sectotal": "　", "line": "　"}.get(kind, "")
                rows.append([indent + label, tri(pv) if pv is not None else "－", tri(value or 0)])
        return rows

    heads = ["科　　目",
             f"前　期\n自 {wareki(prior.start)}\n至 {wareki(prior.end)}",
             f"当　期\n自 {wareki(st.start)}\n至 {wareki(st.end)}"]
    period = f"第{st.term_no}期　自 {wareki(st.start)}　至 {wareki(st.end)}"

    _statement_header(sh, st, "比較貸借対照表", period, MINCHO)
    l_now, r_now = bs_lines(st.bs)
    l_before, r_before = bs_lines(prior.bs)
    bs_heads = ["科　　目", f"前期末\n{wareki(prior.end)}", f"当期末\n{wareki(st.end)}"]
    rows = [bs_heads] + table(l_now + r_now, l_before + r_before)
    sh.grid(50, 110, [215, 140, 140], rows, [30] + [17.0] * (len(rows) - 1), 8.8, MINCHO, header=True,
            aligns=["l", "r", "r"])
    sh.end_page()

    _statement_header(sh, st, "比較損益計算書", period, MINCHO)
    rows = [heads] + table(pl_lines(st), pl_lines(prior))
    sh.grid(50, 110, [215, 140, 140], rows, [40] + [18.5] * (len(rows) - 1), 9, MINCHO, header=True,
            aligns=["l", "r", "r"])
    sh.end_page()

    _statement_header(sh, st, "販売費及び一般管理費内訳書", period, MINCHO)
    sga_now: list[StLine] = [(f"i:{k}", k, "item", v) for k, v in st.sga]
    sga_now.append(("t", "販売費及び一般管理費合計", "sectotal", total(st.sga)))
    sga_before: list[StLine] = [(f"i:{k}", k, "item", v) for k, v in prior.sga]
    sga_before.append(("t", "販売費及び一般管理費合計", "sectotal", total(prior.sga)))
    rows = [heads] + table(sga_now, sga_before)
    sh.grid(50, 110, [215, 140, 140], rows, [40] + [19.0] * (len(rows) - 1), 9, MINCHO, header=True,
            aligns=["l", "r", "r"])
    sh.end_page()


# --- the other papers --------------------------------------------------------------------------


def draw_subsidy_notice(sh: Sheet, co: Company, sub: Subsidy) -> None:
    """補助金交付決定通知書 with its amounts in 大字 (金壱千弐百万円)."""
    d = (lambda x: wareki(x, kanji=True)) if sub.kanji_date else wareki
    fy = wareki_fy(sub.decided.year if sub.decided.month >= 4 else sub.decided.year - 1)
    sh.text(PAGE_W - 60, 50, sub.doc_no, 10.5, MINCHO, "r")
    sh.text(PAGE_W - 60, 70, d(sub.decided), 10.5, MINCHO, "r")
    sh.text(60, 110, co.name, 11.5)
    sh.text(60, 130, f"{co.rep}　様", 11.5)
    sh.text(PAGE_W - 110, 170, "福井県知事", 12, MINCHO, "r")
    sh.seal(PAGE_W - 80, 176, "福井県知")
    sh.title(f"{fy}IoT・AI・ロボット等導入促進事業補助金交付決定通知書", 220, 13.5)
    top = sh.paragraph(60, 260, f"{d(sub.applied)}付けで申請のあった{fy}IoT・AI・ロボット等導入促進事業補助金に"
                       "ついては、福井県補助金等交付規則第5条の規定により、下記のとおり交付することに決定したので"
                       "通知します。", 475, 11)
    sh.text(PAGE_W / 2, top + 15, "記", 11, MINCHO, "c")
    items = [("１　補助事業の名称", sub.project),
             ("２　補助事業に要する経費", daiji_yen(sub.cost)),
             ("３　補助対象経費", daiji_yen(sub.eligible_cost)),
             ("４　補助金の額", daiji_yen(sub.amount))]
    top += 50
    for label, value in items:
        sh.text(70, top, label, 11)
        sh.text(250, top, value, 11)
        top += 30
    sh.text(70, top, "５　交付の条件", 11)
    sh.paragraph(90, top + 22, "（１）補助事業の内容を変更する場合には、あらかじめ知事の承認を受けること。", 440, 10)
    sh.paragraph(90, top + 44, "（２）補助事業が完了したときは、その日から起算して30日以内に実績報告書を提出すること。", 440, 10)
    sh.end_page()


def draw_approved_plan(sh: Sheet, co: Company, sub: Subsidy, quote: Quote) -> None:
    """The plan approved under the subsidy (認定を受けた事業計画書)."""
    fy = wareki_fy(sub.applied.year if sub.applied.month >= 4 else sub.applied.year - 1)
    sh.text(50, 40, "（別紙１）", 10, MINCHO)
    sh.rect(PAGE_W - 150, 32, 100, 26, lw=1.2)
    sh.text(PAGE_W - 100, 38, "認　定　済", 11, GOTHIC, "c")
    sh.text(PAGE_W - 50, 66, f"認定番号　第{sub.decided.year % 100}IoT-{zlib.crc32(co.name.encode()) % 900 + 100}号",
            9, MINCHO, "r")
    sh.title(f"{fy}　IoT・AI・ロボット等導入促進事業", 92, 14)
    sh.title("事　業　計　画　書", 118, 17)
    rows: list[list[str | None]] = [
        ["１　申請者", "名称", co.name],
        ["", "所在地", co.address],
        ["", "代表者", co.rep],
        ["２　補助事業の名称", SPAN, sub.project],
        ["３　実施期間", SPAN, f"交付決定日　～　{wareki(date(sub.decided.year + 1, 1, 31))}"],
    ]
    bottom = sh.grid(50, 150, [110, 70, 315], rows, 26, 10, MINCHO, shade=[0])
    sh.text(50, bottom + 20, "４　事業の目的及び内容", 11)
    top = sh.paragraph(65, bottom + 42, "生産・業務の各工程に設置したセンサー及び機器をネットワークで接続し、"
                       "稼働状況を常時監視（モニタリング）するとともに、収集したデータを分析（アナライズ）して"
                       "工程の改善と省人化を図る。", 475, 10)
    sh.text(50, top + 10, "５　経費の内訳", 11)
    rows = [["区分", "内容", "金額（円）"]]
    rows += [["機械装置等費" if i < 2 else "システム構築費", name, comma(n * p)]
             for i, (name, n, p) in enumerate(quote.items)]
    rows += [["合計", SPAN, comma(sub.cost)]]
    bottom = sh.grid(50, top + 30, [110, 265, 120], rows, 22, 9.5, MINCHO, header=True,
                     aligns=["l", "l", "r"])
    sh.text(50, bottom + 20, "６　期待される効果", 11)
    sh.paragraph(65, bottom + 42, "作業時間の削減（年間約1,200時間）、不良率の低減、熟練者のノウハウのデータ化による"
                 "技能承継。", 475, 10)
    sh.end_page()


def draw_business_plan(sh: Sheet, co: Company, ln: Loan, quote: Quote, subsidy: Subsidy | None,
                       font: str = MINCHO) -> None:
    """事業計画書 様式第2号."""
    sh.text(50, 40, "様式第2号", 10, font)
    sh.title("事 業 計 画 書", 70, 18, font)
    sh.text(PAGE_W - 50, 100, wareki(ln.applied), 10.5, font, "r")
    sh.text(50, 118, "福井県知事　様", 11, font)
    sh.text(300, 145, f"住　所　{co.address}", 9.5, font)
    sh.text(300, 162, f"名　称　{co.name}", 9.5, font)
    sh.text(300, 179, f"代表者　{co.rep}", 9.5, font)
    sh.text(50, 210, "１　企業の概要", 11, font)
    rows: list[list[str | None]] = [
        ["業種", co.industry, "資本金", co.capital_text],
        ["従業員数", co.employees_text, co.start_label.replace("年月日", ""), co.start_text],
    ]
    bottom = sh.grid(50, 228, [80, 175, 70, 170], rows, 24, 9.5, font, shade=[0, 2])
    sh.text(50, bottom + 20, "２　IoT・AI等を用いた設備導入の内容", 11, font)
    top = sh.paragraph(65, bottom + 42, "現状の課題：受注から出荷までの情報が紙と表計算で管理されており、"
                       "進捗の把握と段取り替えに多くの時間を要している。", 475, 10, font)
    top = sh.paragraph(65, top, "導入内容：" + "、".join(n for n, _, _ in quote.items) + "を導入し、"
                       "設備の稼働データを収集・分析して生産計画に反映する。", 475, 10, font)
    sh.text(50, top + 10, "３　資金計画", 11, font)
    rows = [["所要資金", SPAN, "調達方法", SPAN],
            ["設備資金", comma(quote.total), "本資金借入", comma(ln.amount)]]
    if subsidy:
        rows.append(["", "", "補助金", comma(subsidy.amount)])
    rows.append(["", "", "自己資金", comma(quote.total - ln.amount - (subsidy.amount if subsidy else 0))])
    rows.append(["合計", comma(quote.total), "合計", comma(quote.total)])
    bottom = sh.grid(50, top + 28, [100, 147, 100, 148], rows, 22, 9.5, font, header=True,
                     aligns=["l", "r", "l", "r"])
    sh.text(50, bottom + 20, "４　導入による効果と今後の見通し", 11, font)
    sh.paragraph(65, bottom + 42, "設備稼働率の向上と間接作業の削減により、付加価値額の増加を見込む。詳細は"
                 "収支計画書のとおり。", 475, 10, font)
    sh.end_page()


def draw_quote(sh: Sheet, co: Company, q: Quote) -> None:
    """御見積書 (the evidence of the funding need)."""
    sh.title("御　見　積　書", 60, 20, GOTHIC)
    number = f"Q{q.date:%y%m%d}-{zlib.crc32(q.vendor.encode()) % 1000:03d}"
    sh.text(PAGE_W - 50, 95, f"見積番号　{number}", 9, GOTHIC, "r")
    sh.text(PAGE_W - 50, 110, f"見積日　{seireki(q.date)}", 9, GOTHIC, "r")
    sh.text(50, 120, f"{co.name}　御中", 13, GOTHIC)
    sh.hline(50, 300, 138)
    sh.text(50, 155, "下記のとおりお見積り申し上げます。", 10, GOTHIC)
    sh.text(330, 150, q.vendor, 11, GOTHIC)
    sh.text(330, 168, q.vendor_address, 8.5, GOTHIC)
    sh.grid(50, 185, [110, 160], [["御見積金額", f"¥{comma(q.total)}－（税込）"]], 30, 12, GOTHIC, shade=[0])
    rows: list[list[str | None]] = [["品名・仕様", "数量", "単位", "単価", "金額"]]
    rows += [[name, str(n), "式" if n == 1 else "台", comma(p), comma(n * p)] for name, n, p in q.items]
    rows += [["小計", SPAN, SPAN, SPAN, comma(q.subtotal)], ["消費税（10%）", SPAN, SPAN, SPAN, comma(q.tax)],
             ["合計", SPAN, SPAN, SPAN, comma(q.total)]]
    bottom = sh.grid(50, 240, [235, 45, 40, 85, 90], rows, 22, 9, GOTHIC, header=True,
                     aligns=["l", "r", "c", "r", "r"])
    sh.text(50, bottom + 20, "有効期限：見積日より3か月　　納期：ご注文後約2か月　　支払条件：別途協議", 9, GOTHIC)
    sh.end_page()


def draw_income_plan(sh: Sheet, co: Company, plan: Plan, style: str) -> None:
    """収支計画書 様式第4号: "cols" fiscal years across with a 基準年度 column, or "rows" one year a line."""
    sh.text(50, 40, "（様式第4号）", 10, MINCHO)
    sh.title("収　支　計　画　書", 72, 18)
    sh.text(50, 110, f"事業者名　{co.name}", 11)
    sh.text(PAGE_W - 50, 112, "（単位：千円）", 9, MINCHO, "r")
    ys = plan.years
    va0, op0 = ys[0].value_added, plan.printed_ordinary(ys[0])

    def k(v: int) -> str:
        return tri(v // 1000)

    def pct(v: int, base: int, i: int) -> str:
        return "－" if i == 0 else f"{(v - base) / base * 100:.1f}%"

    if style == "cols":
        head: list[str | None] = ["項　目"] + [y.label for y in ys]
        ord_label = "経常利益" if plan.accounting_ordinary else "経常利益（①－④）"
        body: list[list[str | None]] = [
            ["売上高"] + [k(y.sales) for y in ys],
            ["営業利益　①"] + [k(y.operating_profit) for y in ys],
            ["人件費（労務費を含む）②"] + [k(y.personnel_cost) for y in ys],
            ["減価償却費　③"] + [k(y.depreciation) for y in ys],
            ["付加価値額（①＋②＋③）"] + [k(y.value_added) for y in ys],
        ]
        if plan.accounting_ordinary:
            body.append(["営業外収益"] + [k(y.non_operating_income) for y in ys])
        body += [
            ["営業外費用　④"] + [k(y.non_operating_expenses) for y in ys],
            [ord_label] + [k(plan.printed_ordinary(y)) for y in ys],
            ["付加価値額の伸び率"] + [pct(y.value_added, va0, i) for i, y in enumerate(ys)],
            ["経常利益の伸び率"] + [pct(plan.printed_ordinary(y), op0, i) for i, y in enumerate(ys)],
        ]
        sh.grid(40, 135, [145] + [58.0] * 6, [head] + body, [46] + [26] * len(body), 8.5, MINCHO,
                header=True, aligns=["l"] + ["r"] * 6, shade=[0])
    else:
        head = ["年　度", "売上高", "営業利益", "人件費", "減価償却費", "付加価値額", "営業外費用", "経常利益"]
        body = [[y.label, k(y.sales), k(y.operating_profit), k(y.personnel_cost), k(y.depreciation),
                 k(y.value_added), k(y.non_operating_expenses), k(plan.printed_ordinary(y))] for y in ys]
        bottom = sh.grid(40, 135, [95] + [57.0] * 7, [head] + body, [30] + [28] * len(body), 8.8, MINCHO,
                         header=True, aligns=["c"] + ["r"] * 7)
        sh.text(40, bottom + 15, "注）付加価値額＝営業利益＋人件費（労務費を含む）＋減価償却費", 9)
        sh.text(40, bottom + 32, "　　経常利益＝営業利益－営業外費用", 9)
        va5, op5 = ys[5].value_added, plan.printed_ordinary(ys[5])
        sh.text(40, bottom + 55, f"5年後の伸び率　付加価値額 {(va5 - va0) / va0 * 100:.1f}%　"
                f"経常利益 {(op5 - op0) / op0 * 100:.1f}%", 10)
    sh.end_page()


def draw_opinion(sh: Sheet, co: Company, when: date, plan_name: str) -> None:
    """意見書 様式第3号 (ふくい産業支援センター)."""
    sh.text(50, 40, "様式第3号", 10)
    sh.text(PAGE_W - 50, 70, wareki(when), 10.5, MINCHO, "r")
    sh.text(50, 95, "福井県知事　様", 11)
    sh.text(290, 125, "公益財団法人ふくい産業支援センター", 11)
    sh.text(290, 145, "理事長　　高　橋　　正　和", 11)
    sh.seal(510, 150, "理事長印")
    sh.title("意　　見　　書", 190, 18)
    sh.paragraph(50, 230, "福井県IoT・AI等導入支援資金要綱２（２）に規定する事業計画について、当センターの"
                 "支援内容及び意見を下記のとおり提出します。", 495, 10.5)
    sh.text(PAGE_W / 2, 280, "記", 11, MINCHO, "c")
    rows: list[list[str | None]] = [
        ["事業者名", co.name], ["所在地", co.address], ["事業計画の名称", plan_name],
        ["支援の内容", "専門家派遣（3回）による設備選定及び導入効果の試算に係る助言"],
        ["意見", "本計画は、IoT機器による稼働監視とデータ分析により生産性の向上を図るものであり、\n"
                 "5年後の付加価値額及び経常利益の目標は実現可能なものと認められる。"],
    ]
    sh.grid(50, 305, [110, 385], rows, [26, 26, 26, 34, 60], 9.5, MINCHO, shade=[0])
    sh.end_page()


def draw_approval_application(sh: Sheet, co: Company, when: date, plan_name: str, plan: Plan) -> None:
    """事業計画承認申請書 様式第5号."""
    sh.text(50, 40, "様式第5号", 10)
    sh.text(PAGE_W - 50, 70, wareki(when), 10.5, MINCHO, "r")
    sh.text(50, 95, "福井県知事　様", 11)
    sh.text(290, 125, f"所在地　{co.address}", 9.5)
    sh.text(290, 143, f"名　称　{co.name}", 9.5)
    sh.text(290, 161, f"代表者　{co.rep}", 9.5)
    sh.title("福井県IoT・AI等導入支援資金に係る事業計画承認申請書", 205, 13)
    sh.paragraph(50, 245, "福井県IoT・AI等導入支援資金要綱２（２）に基づき、事業計画の承認を受けたいので、"
                 "関係書類を添えて申請します。", 495, 10.5)
    sh.text(PAGE_W / 2, 295, "記", 11, MINCHO, "c")
    last = plan.years[-1]
    rows: list[list[str | None]] = [
        ["１　事業計画の名称", plan_name],
        ["２　計画期間", f"{wareki_fy(plan.years[1].fy)}から{wareki_fy(last.fy)}までの5年間"],
        ["３　添付書類", "事業計画書（様式第2号）、意見書（様式第3号）、\n収支計画書（様式第4号）、決算書（直近2期分）"],
    ]
    sh.grid(50, 320, [140, 355], rows, [28, 28, 40], 10, MINCHO, shade=[0])
    sh.end_page()


def draw_cover_letter(sh: Sheet, co: Company, when: date, titles: Sequence[str]) -> None:
    """送付状: a cover sheet scanned with the packet (not a required document)."""
    sh.text(PAGE_W - 50, 50, wareki(when), 10.5, MINCHO, "r")
    sh.text(50, 80, "福井県産業労働部産業政策課　御中", 11)
    sh.text(PAGE_W - 50, 110, co.name, 10.5, MINCHO, "r")
    sh.text(PAGE_W - 50, 128, "総務課　担当　西川", 10.5, MINCHO, "r")
    sh.title("書類送付のご案内", 170, 16)
    sh.paragraph(50, 210, "拝啓　時下ますますご清栄のこととお慶び申し上げます。平素は格別のご高配を賜り、"
                 "厚く御礼申し上げます。さて、福井県IoT・AI等導入支援資金の事前確認につきまして、下記の書類を"
                 "お送りいたしますので、ご査収のほどよろしくお願い申し上げます。", 495, 10.5)
    sh.text(PAGE_W - 60, 290, "敬具", 10.5, MINCHO, "r")
    sh.text(PAGE_W / 2, 320, "記", 11, MINCHO, "c")
    top = 350.0
    for i, t in enumerate(titles, 1):
        sh.text(90, top, f"{i}．{t}", 10.5)
        top += 22
    sh.text(PAGE_W - 60, top + 10, "以上", 10.5, MINCHO, "r")
    sh.end_page()


# --------------------------------------------------------------------------------------------
# Packets: the ground truth, the papers drawn from it, and the expected result computed from it
# --------------------------------------------------------------------------------------------

StatementStyle = Callable[[Sheet], None]


@dataclass
class Truth:
    """Everything one applicant submitted, and how it was printed."""

    name: str
    as_of: date
    why: str
    co: Company
    ln: Loan
    loan_style: str
    statements: list[tuple[Statement, StatementStyle]]  # older first
    quote: Quote
    plan: Plan
    plan_style: str
    pref: tuple[TaxCert, str] | None
    cons: tuple[TaxCert, str] | None
    subsidy: Subsidy | None = None  # track 1
    opinion_date: date | None = None  # track 2
    approval_date: date | None = None  # track 2
    plan_name: str = ""
    bp_font: str = MINCHO
    file_names: Callable[[int], str] = lambda i: f"scan{i:04d}.pdf"
    together: list[list[str]] = field(default_factory=list)  # documents that share one file
    single_file: str | None = None  # the whole packet in one PDF, behind a cover letter
    named: dict[str, str] = field(default_factory=dict)  # file names the applicant chose, by first document
    intent: dict[str, str] = field(default_factory=dict)  # the checks that do not pass, and how


@dataclass(frozen=True)
class Doc:
    key: str
    type: str
    draw: Callable[[Sheet], None]
    fields: dict[str, Any] | None


def _documents(t: Truth) -> list[Doc]:
    co, ln = t.co, t.ln
    docs = [Doc("loan", "loan_application",
                lambda sh: draw_loan_application(sh, co, ln, t.quote, t.loan_style, t.subsidy),
                {"applicant_name": co.name, "address": co.address, "capital": co.capital,
                 "employees": co.employees, "industry": co.industry,
                 "business_start_date": co.start.isoformat(),
                 "loan_amount": ln.amount, "loan_term_months": ln.term_months,
                 "grace_months": ln.grace_months,
                 "use_of_funds": ln.use})]
    certs = (("pref", t.pref, draw_pref_tax_cert), ("cons", t.cons, draw_consumption_tax_cert))
    for kind, cert, drawer in certs:
        if cert:
            c, style = cert
            docs.append(Doc(kind, f"tax_certificate_{'prefectural' if kind == 'pref' else 'consumption'}",
                            lambda sh, c=c, style=style, drawer=drawer: drawer(sh, co, c, style),
                            {"taxpayer_name": co.name, "issue_date": c.issued.isoformat(),
                             "has_arrears": c.has_arrears}))
    for i, (st, draw) in enumerate(t.statements):
        docs.append(Doc(f"fs{i}", "financial_statements", draw, st.fields()))
    if t.subsidy:
        sub = t.subsidy
        docs.append(Doc("subsidy", "subsidy_decision_notice", lambda sh: draw_subsidy_notice(sh, co, sub),
                        {"recipient_name": co.name, "decision_date": sub.decided.isoformat(),
                         "project_name": sub.project, "project_cost": sub.cost,
                         "subsidy_amount": sub.amount}))
        docs.append(Doc("approved", "approved_plan",
                        lambda sh: draw_approved_plan(sh, co, sub, t.quote), None))
    docs.append(Doc("bp", "business_plan",
                    lambda sh: draw_business_plan(sh, co, ln, t.quote, t.subsidy, t.bp_font), None))
    docs.append(Doc("quote", "funding_evidence", lambda sh: draw_quote(sh, co, t.quote), None))
    docs.append(Doc("plan", "income_expenditure_plan",
                    lambda sh: draw_income_plan(sh, co, t.plan, t.plan_style),
                    {"plan_years": t.plan.expected()}))
    if t.opinion_date:
        when = t.opinion_date
        docs.append(Doc("opinion", "opinion_letter",
                        lambda sh: draw_opinion(sh, co, when, t.plan_name), None))
    if t.approval_date:
        when2 = t.approval_date
        docs.append(Doc("approval", "plan_approval_application",
                        lambda sh: draw_approval_application(sh, co, when2, t.plan_name, t.plan), None))
    return docs


REQUIRED = {
    "1": ["loan_application", "tax_certificate_prefectural", "tax_certificate_consumption",
          "financial_statements", "subsidy_decision_notice", "approved_plan", "business_plan",
          "funding_evidence", "income_expenditure_plan"],
    "2": ["loan_application", "tax_certificate_prefectural", "tax_certificate_consumption",
          "financial_statements", "business_plan", "funding_evidence", "opinion_letter",
          "income_expenditure_plan", "plan_approval_application"],
}
SME_LIMITS = (("卸売", 100_000_000, 100), ("小売", 50_000_000, 50), ("サービス", 50_000_000, 100),
              ("製造", 300_000_000, 300), ("建設", 300_000_000, 300), ("運輸", 300_000_000, 300))


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    last = _add_months_end(date(d.year + y, m + 1, 1), 0)
    return date(d.year + y, m + 1, min(d.day, last.day))


def expected_checks(t: Truth, present: set[str]) -> dict[str, str]:
    """The checks of the program, worked out by hand from the truth (要綱 2, 3, 4, 9 and the notes)."""
    co, ln, track = t.co, t.ln, t.ln.track

    def ok(cond: bool) -> str:
        return "pass" if cond else "fail"

    limits = next(((c, e) for k, c, e in SME_LIMITS if k in co.industry), (50_000_000, 50))
    sts = sorted((s for s, _ in t.statements), key=lambda s: s.end)
    prior, latest = sts[-2], sts[-1]
    checks = {
        "track": "pass",
        "sme": ok(co.capital <= limits[0] or co.employees <= limits[1]),
        "in_prefecture": ok(co.address.startswith("福井県")),
        "years_in_business": ok(date(co.start.year + 1, co.start.month, co.start.day) <= t.as_of),
        "plan_value_added_growth": "not_applicable",
        "plan_ordinary_profit_growth": "not_applicable",
        "loan_limit": ok(ln.amount <= 15_000_000),
        "loan_limit_subsidy": "not_applicable",
        "loan_term": ok(ln.term_months <= 60),
        "grace_period": ok(ln.grace_months <= 6),
        "use_of_funds": "fail" if "運転" in ln.use else ("pass" if "設備" in ln.use else "review"),
        "no_tax_arrears_prefectural": ("review" if not t.pref else ok(not t.pref[0].has_arrears)),
        "no_tax_arrears_consumption": ("review" if not t.cons else ok(not t.cons[0].has_arrears)),
        "latest_two_periods": ok(date.fromordinal(prior.end.toordinal() + 1) == latest.start
                                 and latest.end <= t.as_of and _add_months(latest.end, 15) >= t.as_of),
        "names_consistent": "pass",
    }
    if track == "2":
        checks["plan_value_added_growth"] = ok(t.plan.growth(lambda y: y.value_added) >= 0.15)
        checks["plan_ordinary_profit_growth"] = ok(t.plan.growth(lambda y: y.ordinary_yoko) >= 0.05)
    else:
        assert t.subsidy is not None
        checks["loan_limit_subsidy"] = ok(ln.amount <= t.subsidy.cost - t.subsidy.amount)
    return checks


def verdict(checks: dict[str, str], missing: list[str]) -> str:
    if "fail" in checks.values():
        return "ineligible"
    if missing:
        return "incomplete"
    return "review" if "review" in checks.values() else "eligible"


def build(t: Truth, out: Path) -> dict[str, Any]:
    """Draw the packet's files into ``out/packets/<name>`` and return its expected result."""
    docs = _documents(t)
    by_key = {d.key: d for d in docs}
    if t.single_file:
        order = ["cover"] + [d.key for d in docs]
        groups = [order]
    else:
        grouped = {k for g in t.together for k in g}
        groups = [list(g) for g in t.together] + [[d.key] for d in docs if d.key not in grouped]
        random.Random(t.name).shuffle(groups)
    folder = out / "packets" / t.name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    documents: list[dict[str, Any]] = []
    files: dict[str, str] = {}
    for i, group in enumerate(groups, 1):
        fname = t.single_file or t.named.get(group[0]) or t.file_names(i)
        sh = Sheet()
        for key in group:
            first = sh.pages + 1
            if key == "cover":
                draw_cover_letter(sh, t.co, t.ln.applied, list(dict.fromkeys(TITLES[d.type] for d in docs)))
                documents.append({"type": "unknown", "file": fname, "pages": [first]})
                continue
            by_key[key].draw(sh)
            pages = list(range(first, sh.pages + 1))
            documents.append({"type": by_key[key].type, "file": fname, "pages": pages})
        (folder / fname).write_bytes(sh.save())
        files[fname] = "ok"

    present = {d.type for d in docs}
    missing = [r for r in REQUIRED[t.ln.track] if r not in present]
    checks = expected_checks(t, present)
    not_passing = {k: v for k, v in checks.items() if v not in ("pass", "not_applicable")}
    if not_passing != t.intent:
        raise AssertionError(f"{t.name}: the truth gives {not_passing}, "
                             f"the packet was meant to give {t.intent}")
    fields: dict[str, Any] = {}
    for d in docs:
        if d.fields is None:
            continue
        if d.type == "financial_statements":
            fields.setdefault(d.type, []).append(d.fields)
        else:
            fields[d.type] = d.fields
    fields["financial_statements"].sort(key=lambda f: f["period_end"])
    return {
        "packet": t.name,
        "program": PROGRAM,
        "as_of": t.as_of.isoformat(),
        "why": t.why,
        "verdict": verdict(checks, missing),
        "track": t.ln.track,
        "missing_documents": missing,
        "checks": checks,
        "files": files,
        "documents": documents,
        "fields": fields,
    }


TITLES = {
    "loan_application": "融資申込書（様式第1号-1、2）",
    "tax_certificate_prefectural": "県税の納税証明書",
    "tax_certificate_consumption": "消費税の納税証明書",
    "financial_statements": "決算書（直近2期分）",
    "subsidy_decision_notice": "補助金交付決定通知書（写し）",
    "approved_plan": "認定を受けた事業計画書（写し）",
    "business_plan": "事業計画書（様式第2号）",
    "funding_evidence": "見積書",
    "income_expenditure_plan": "収支計画書（様式第4号）",
    "opinion_letter": "意見書（様式第3号）",
    "plan_approval_application": "事業計画承認申請書（様式第5号）",
}


# --- the catalogue -----------------------------------------------------------------------------


def period(end_year: int, end_month: int) -> tuple[date, date]:
    """A twelve-month business year ending with ``end_month`` of ``end_year``."""
    end = _add_months_end(date(end_year, end_month, 1), 0)
    start = date.fromordinal(_add_months_end(date(end_year - 1, end_month, 1), 0).toordinal() + 1)
    return start, end


def term_no(co: Company, end: date) -> int:
    """第N期: the first period ends at the first year end after the company's start."""
    first_end_year = co.start.year if co.start.month <= co.fy_end_month else co.start.year + 1
    return end.year - first_end_year + 1


def statement(co: Company, end_year: int, unit: Literal["円", "千円"], sales: int, margin: float,
              manufacturer: bool = False, **kw: Any) -> Statement:
    start, end = period(end_year, co.fy_end_month)
    return make_statement(co.name, co.name, term_no(co, end), start, end, unit, sales, margin, co.capital,
                          manufacturer, **kw)


def quote(vendor: str, address: str, when: date, items: list[tuple[str, int, int]], plug: str,
          subtotal: int) -> Quote:
    rest = subtotal - sum(n * p for _, n, p in items)
    assert rest > 0, "the last line of a quote is what is left of the subtotal"
    return Quote(vendor, address, when, (*items, (plug, 1, rest)))


def cols_labels(base_fy: int) -> list[tuple[str, int]]:
    return [(f"基準年度\n{wareki_fy(base_fy)}\n（実績）", base_fy)] + [
        (f"{i}年目\n{wareki_fy(base_fy + i)}", base_fy + i) for i in range(1, 6)]


def rows_labels(base_fy: int, western: bool = False) -> list[tuple[str, int]]:
    def name(fy: int) -> str:
        return f"{fy}年度" if western else wareki_fy(fy)

    return [(f"{name(base_fy)}（実績）", base_fy)] + [(name(base_fy + i), base_fy + i) for i in range(1, 6)]


GROWING = dict(op=0.22, personnel=0.16, depreciation=0.45, noe=-0.10)  # +15 % VA, +5 % 経常利益 with room


def catalogue() -> list[Truth]:
    out: list[Truth] = []

    # 1 ------------------------------------------------------------------------------------------
    co = Company("株式会社越前ロジテック", "代表取締役　坪川　健一", "919-0476", "福井県坂井市春江町江留上緑8番地5",
                 "0776-51-2284", 20_000_000, "20,000,000円", 45, "45名", "運輸業（一般貨物自動車運送業）",
                 date(2019, 5, 20), "設立年月日", "令和元年5月20日", "福井北陸信用金庫", "春江支店", 12)
    s0 = statement(co, 2023, "千円", 380_000_000, -0.006)
    s1 = statement(co, 2024, "千円", 402_000_000, 0.025)
    sub = Subsidy("福産政第1187号", date(2024, 7, 10), date(2024, 8, 23),
                  "IoT動態管理システム導入による配送効率化事業", 12_000_000, 12_000_000, 4_000_000)
    out.append(Truth(
        "holdout-t1-eligible", date(2025, 4, 1),
        "track 1 baseline: bordered two-column form with 〒 in the address cell, 設立 令和元年 (元年), "
        "千円 statements with △ (older period an operating loss), 12月決算, 大字 amounts in the notice; "
        "loan equals 経費 − 交付決定額 exactly",
        co, Loan("1", date(2025, 3, 14), 8_000_000, "8,000,000円", "お申込金額", 60, "60ヶ月", "返済期間",
                 6, "6ヶ月", "設備資金（IoT機器導入）"), "A",
        [(s0, partial(draw_statement_software, st=s0)), (s1, partial(draw_statement_software, st=s1))],
        quote("株式会社ほくりくシステムズ", "福井県福井市大手3丁目4番1号", date(2024, 6, 20),
              [("車載IoT端末 DT-500", 30, 180_000), ("動態管理クラウドサーバ構築", 1, 3_800_000),
               ("倉庫内温湿度センサー", 20, 60_000)], "システム導入・設定作業", 12_000_000),
        make_plan(s1, rows_labels(2024, western=True), op=0.2, personnel=0.1, depreciation=0.3), "rows",
        (TaxCert(date(2025, 3, 7)), "P1"), (TaxCert(date(2025, 3, 10), period=(s1.start, s1.end)), "C2"),
        subsidy=sub, file_names=lambda i: f"SKM_C258250314{93000 + 7 * i:06d}.pdf",
    ))

    # 2 ------------------------------------------------------------------------------------------
    co = Company("有限会社たけふ精工", "取締役　山内　由美子", "915-0071", "福井県越前市府中一丁目12番8号",
                 "0778-22-3516", 3_000_000, "300万円", 28, "28人", "製造業（金属製品製造業）",
                 date(2000, 10, 2), "設立年月日", "平成十二年十月二日", "越前たけふ信用組合", "本店営業部", 6)
    s0 = statement(co, 2023, "千円", 520_000_000, 0.03, manufacturer=True)
    s1 = statement(co, 2024, "千円", 548_000_000, 0.034, manufacturer=True)
    out.append(Truth(
        "holdout-t2-eligible-mfg", date(2024, 10, 1),
        "track 2 baseline, manufacturer: 製造原価報告書 (労務費 and 製造 減価償却費 count), four-column form, "
        "設立 in 漢数字 和暦, ご融資希望額 1,500万円 (the limit exactly), 融資期間 5年, 6月決算, e-Tax その3の3",
        co, Loan("2", date(2024, 9, 12), 15_000_000, "1,500万円", "ご融資希望額", 60, "5年", "融資期間",
                 3, "3ヶ月", "設備資金（IoT機器導入）"), "B",
        [(s0, partial(draw_statement_software, st=s0)), (s1, partial(draw_statement_software, st=s1))],
        quote("株式会社ファクトリーネット福井", "福井県鯖江市西山町2番8号", date(2024, 8, 1),
              [("稼働監視IoTセンサーユニット", 24, 250_000), ("エッジコンピュータ", 4, 850_000),
               ("画像検査AIシステム", 1, 5_200_000)], "設置・調整作業", 16_500_000),
        make_plan(s1, cols_labels(2023), **GROWING), "cols",
        (TaxCert(date(2024, 9, 5)), "P3"), (TaxCert(date(2024, 9, 6)), "C1"),
        opinion_date=date(2024, 8, 20), approval_date=date(2024, 9, 2),
        plan_name="IoTによる加工設備の稼働監視及び品質データ分析による生産性向上計画",
        file_names=lambda i: f"DOC240912-{i:03d}.pdf",
    ))

    # 3 ------------------------------------------------------------------------------------------
    co = Company("株式会社ふくいデータワークス", "代表取締役　前田　陽介", "910-0006", "福井県福井市中央一丁目3番10号",
                 "0776-89-1204", 10_000_000, "1,000万円", 22, "22名", "情報通信業（ソフトウェア業）",
                 date(2016, 4, 1), "創業年月日", "2016/04/01", "福井みらい銀行", "県庁前支店", 3)
    s0 = statement(co, 2024, "千円", 250_000_000, 0.045)
    s1 = statement(co, 2025, "千円", 262_000_000, 0.05)
    out.append(Truth(
        "holdout-t2-ordinary-profit-yoko", date(2025, 6, 2),
        "track 2: the printed 経常利益 (営業利益+営業外収益−営業外費用) grows well over 5 %, but by the 要綱's "
        "definition (営業利益−営業外費用) it grows under 5 %; plan by 令和6年度…令和11年度 with a 基準年度 column",
        co, Loan("2", date(2025, 5, 16), 12_000_000, "12,000,000円", "借入希望額", 60, "60ヶ月", "借入期間",
                 6, "6ヶ月", "設備資金（IoT機器導入）"), "C",
        [(s0, partial(draw_statement_software, st=s0)), (s1, partial(draw_statement_software, st=s1))],
        quote("株式会社北陸ネットワークサービス", "石川県金沢市広岡1丁目5番3号", date(2025, 4, 10),
              [("IoTゲートウェイ", 10, 280_000), ("AI需要予測システム ライセンス", 1, 6_500_000),
               ("サーバ機器一式", 1, 2_400_000)], "導入支援・設定作業", 12_800_000),
        make_plan(s1, cols_labels(2024), op=0.03, personnel=0.18, depreciation=0.5, noi=1.0, noe=0.0,
                  accounting_ordinary=True), "cols",
        (TaxCert(date(2025, 5, 9)), "P1"), (TaxCert(date(2025, 5, 12)), "C1"),
        opinion_date=date(2025, 4, 25), approval_date=date(2025, 5, 8),
        plan_name="AI需要予測とIoTデータ基盤による受託開発の生産性向上計画", bp_font=GOTHIC,
        file_names=lambda i: f"scan_{i:04d}.pdf",
        intent={"plan_ordinary_profit_growth": "fail"},
    ))

    # 4 ------------------------------------------------------------------------------------------
    co = Company("株式会社鯖江オプティクス", "代表取締役社長　竹内　隆", "916-0016", "福井県鯖江市神明町2丁目7番21号",
                 "0778-51-7730", 48_000_000, "4,800万円", 60, "60名", "製造業（眼鏡枠製造業）",
                 date(1987, 4, 1), "設立年月日", "昭和62年4月1日", "福井みらい銀行", "鯖江支店", 3)
    s0 = statement(co, 2023, "円", 690_000_000, 0.028, manufacturer=True, salary_label="給与手当")
    s1 = statement(co, 2024, "円", 713_500_000, 0.031, manufacturer=True, salary_label="給与手当")
    out.append(Truth(
        "holdout-t2-over-limit", date(2024, 12, 1),
        "track 2: 借入希望額 1,800万円 > 1,500万円; 円 決算報告書 with a cover page, 「…金額」 labels and a "
        "製造原価報告書, 西暦 periods; 昭和 設立",
        co, Loan("2", date(2024, 11, 8), 18_000_000, "1,800万円", "借入希望額", 60, "60ヶ月", "借入期間",
                 6, "6か月", "設備資金（IoT機器導入）"), "A",
        [(s0, partial(draw_statement_booklet, st=s0)), (s1, partial(draw_statement_booklet, st=s1))],
        quote("株式会社丹南ファクトリーオートメーション", "福井県越前市家久町18番地3", date(2024, 10, 3),
              [("AI外観検査装置", 2, 6_800_000), ("IoT稼働監視システム", 1, 4_200_000)], "ネットワーク工事",
              20_000_000),
        make_plan(s1, cols_labels(2023), **GROWING), "cols",
        (TaxCert(date(2024, 11, 1)), "P1"), (TaxCert(date(2024, 11, 5), period=(s1.start, s1.end)), "C2"),
        opinion_date=date(2024, 10, 18), approval_date=date(2024, 11, 1),
        plan_name="AI外観検査による眼鏡枠の品質向上と省人化計画",
        file_names=lambda i: f"20241108_{i:03d}.pdf",
        intent={"loan_limit": "fail"},
    ))

    # 5 ------------------------------------------------------------------------------------------
    co = Company("株式会社敦賀マリンサプライ", "代表取締役　中村　和也", "914-0079", "福井県敦賀市蓬莱町3番15号",
                 "0770-22-4815", 10_000_000, "1,000万円", 12, "12名", "卸売業（船舶用品卸売業）",
                 date(2013, 6, 3), "開業年月日", "平成25年6月3日", "敦賀湾信用金庫", "本店営業部", 3)
    s0 = statement(co, 2023, "円", 310_000_000, 0.021)
    s1 = statement(co, 2024, "円", 326_000_000, 0.024)
    out.append(Truth(
        "holdout-t1-working-capital", date(2024, 9, 2),
        "track 1: 資金使途 運転資金; 借入申込書 with group labels and spaced labels, 据置 なし, 借入期間 5年; "
        "both 決算報告書 (円, 和暦) in one PDF",
        co, Loan("1", date(2024, 8, 9), 5_000_000, "金5,000,000円", "借入希望額", 60, "5年", "借入期間",
                 0, "なし", "運転資金（IoT在庫管理システム導入に伴う在庫調整資金）"), "C",
        [(s0, partial(draw_statement_booklet, st=s0, date_fmt=wareki)),
         (s1, partial(draw_statement_booklet, st=s1, date_fmt=wareki))],
        quote("株式会社ほくりくシステムズ", "福井県福井市大手3丁目4番1号", date(2024, 4, 22),
              [("RFIDリーダー・タグ一式", 1, 2_600_000), ("在庫管理クラウドシステム", 1, 4_500_000),
               ("ハンディターミナル", 8, 125_000)], "導入作業", 8_800_000),
        make_plan(s1, rows_labels(2023), op=0.15, personnel=0.08, depreciation=0.3), "rows",
        (TaxCert(date(2024, 8, 1)), "P3"), (TaxCert(date(2024, 8, 5), period=(s1.start, s1.end)), "C2"),
        subsidy=Subsidy("福産政第842号", date(2024, 5, 20), date(2024, 6, 28),
                        "IoT在庫管理システム導入による受発注業務効率化事業", 8_800_000, 8_800_000, 2_933_000,
                        kanji_date=False),
        named={"loan": "融資申込書.pdf", "fs0": "決算書2期分.pdf", "pref": "納税証明書（県税）.pdf",
               "cons": "納税証明書（国税）.pdf", "subsidy": "交付決定通知書.pdf", "approved": "事業計画書（認定）.pdf",
               "bp": "事業計画書.pdf", "quote": "見積書.pdf", "plan": "収支計画書.pdf"},
        together=[["fs0", "fs1"]],
        intent={"use_of_funds": "fail"},
    ))

    # 6 ------------------------------------------------------------------------------------------
    co = Company("株式会社勝山ウッドワークス", "代表取締役　松田　翔", "911-0803", "福井県勝山市旭町1丁目5番3号",
                 "0779-88-1450", 5_000_000, "5,000,000円", 9, "9名", "製造業（木製品製造業）",
                 date(2018, 4, 2), "創業年月日", "平成30年4月2日", "奥越信用組合", "勝山支店", 12)
    s0 = statement(co, 2023, "千円", 98_000_000, 0.04)
    s1 = statement(co, 2024, "千円", 104_000_000, 0.045)
    out.append(Truth(
        "holdout-pref-tax-arrears", date(2025, 4, 1),
        "track 2: the 県税 certificate is a 納付状況 table with 未納額 206,100 (法人事業税), no no-arrears wording",
        co, Loan("2", date(2025, 3, 10), 10_000_000, "10,000,000円", "ご融資希望額", 60, "60ヶ月", "融資期間",
                 6, "6ヶ月", "設備資金（IoT機器導入）"), "B",
        [(s0, partial(draw_statement_software, st=s0)), (s1, partial(draw_statement_software, st=s1))],
        quote("株式会社奥越テクノ", "福井県大野市元町6番12号", date(2025, 1, 28),
              [("NCルーター用IoT稼働監視ユニット", 3, 1_200_000), ("AI木目検査カメラシステム", 1, 5_800_000),
               ("生産管理タブレット", 6, 150_000)], "設置調整費", 11_500_000),
        make_plan(s1, cols_labels(2024), **GROWING), "cols",
        (TaxCert(date(2025, 3, 4), arrears=(("法人事業税", "令和5年度", 412_300, 206_100),
                                            ("法人県民税", "令和5年度", 98_000, 0))), "P2"),
        (TaxCert(date(2025, 3, 5)), "C1"),
        opinion_date=date(2025, 2, 14), approval_date=date(2025, 3, 3),
        plan_name="AI木目検査とIoT稼働監視による木製品加工の生産性向上計画",
        file_names=lambda i: f"img20250310_{i:04d}.pdf",
        intent={"no_tax_arrears_prefectural": "fail"},
    ))

    # 7 ------------------------------------------------------------------------------------------
    co = Company("株式会社奥越建設", "代表取締役　清水　大輔", "912-0087", "福井県大野市城町8番2号",
                 "0779-66-2071", 20_000_000, "2,000万円", 35, "35名", "建設業（土木工事業）",
                 date(1995, 11, 1), "設立年月日", "平成7年11月1日", "福井北陸信用金庫", "大野支店", 9)
    s0 = statement(co, 2023, "円", 455_000_000, 0.035)
    s1 = statement(co, 2024, "円", 471_000_000, 0.038)
    out.append(Truth(
        "holdout-missing-pref-cert", date(2025, 4, 1),
        "track 1, otherwise eligible, but no 県税 certificate in the packet; 9月決算, 円 決算報告書 in 和暦",
        co, Loan("1", date(2025, 3, 18), 7_000_000, "700万円", "お申込金額", 60, "5年", "返済期間",
                 6, "6ヶ月", "設備資金（ICT建機・IoT機器導入）"), "A",
        [(s0, partial(draw_statement_booklet, st=s0, date_fmt=wareki)),
         (s1, partial(draw_statement_booklet, st=s1, date_fmt=wareki))],
        quote("株式会社越前建機リース", "福井県福井市高木中央2丁目1304番地", date(2024, 8, 5),
              [("ICT建機後付けマシンガイダンス装置", 2, 3_200_000), ("IoT施工管理クラウド", 1, 2_100_000)],
              "測量用ドローン及び設定作業", 11_000_000),
        make_plan(s1, rows_labels(2024), op=0.12, personnel=0.06, depreciation=0.4), "rows",
        None, (TaxCert(date(2025, 3, 11), period=(s1.start, s1.end)), "C2"),
        subsidy=Subsidy("福産政第1520号", date(2024, 9, 2), date(2024, 10, 11),
                        "ICT建機とIoT施工管理システム導入による現場生産性向上事業", 11_000_000, 11_000_000,
                        3_666_000),
        file_names=lambda i: f"書類{i}.pdf",
        intent={"no_tax_arrears_prefectural": "review"},
    ))

    # 8 ------------------------------------------------------------------------------------------
    co = Company("株式会社美浜エナジーサービス", "代表取締役　小林　直人", "919-1141", "福井県三方郡美浜町郷市25号1番地",
                 "0770-32-0876", 30_000_000, "3,000万円", 40, "40名", "サービス業（発電設備保守サービス業）",
                 date(2012, 4, 1), "設立年月日", "平成24年4月1日", "敦賀湾信用金庫", "美浜支店", 3)
    s9 = statement(co, 2021, "円", 270_000_000, 0.03, extra_personnel=True)
    s10 = statement(co, 2022, "円", 281_000_000, 0.032, extra_personnel=True)
    s11 = statement(co, 2023, "円", 290_000_000, 0.033, extra_personnel=True)
    s12 = statement(co, 2024, "円", 305_000_000, 0.036, extra_personnel=True)
    out.append(Truth(
        "holdout-periods-not-consecutive", date(2024, 8, 1),
        "track 2: the 決算書 are 第10期 and 第12期 (第11期 skipped), both 前期/当期 comparative in 円 with △",
        co, Loan("2", date(2024, 7, 5), 9_000_000, "900万円", "ご融資希望額", 48, "4年", "融資期間",
                 3, "3ヶ月", "設備資金（IoT機器導入）"), "B",
        [(s10, partial(draw_statement_comparative, st=s10, prior=s9)),
         (s12, partial(draw_statement_comparative, st=s12, prior=s11))],
        quote("株式会社若狭電設", "福井県敦賀市若葉町1丁目1055番地", date(2024, 5, 30),
              [("振動・温度IoTセンサー", 40, 95_000), ("遠隔監視システム", 1, 3_600_000)],
              "設置工事", 9_500_000),
        make_plan(s12, cols_labels(2023), **GROWING), "cols",
        (TaxCert(date(2024, 6, 20)), "P1"), (TaxCert(date(2024, 6, 24)), "C1"),
        opinion_date=date(2024, 6, 10), approval_date=date(2024, 7, 1),
        plan_name="IoT遠隔監視による発電設備保守の効率化計画",
        file_names=lambda i: f"MX-3140_20240705_10{i:02d}00.pdf",
        intent={"latest_two_periods": "fail"},
    ))

    # 9 ------------------------------------------------------------------------------------------
    co = Company("株式会社あさひ精密", "代表取締役　吉田　誠", "916-0146", "福井県丹生郡越前町朝日17号22番地",
                 "0778-34-1020", 8_000_000, "8,000,000円", 16, "16名", "製造業（精密機械器具製造業）",
                 date(2005, 7, 15), "設立年月日", "平成17年7月15日", "福井みらい銀行", "朝日支店", 3)
    s0 = statement(co, 2023, "円", 188_000_000, 0.03)
    s1 = statement(co, 2024, "円", 196_000_000, 0.034)
    out.append(Truth(
        "holdout-single-pdf", date(2024, 7, 1),
        "track 1, eligible, the whole packet scanned as one PDF behind a 送付状 that lists every document",
        co, Loan("1", date(2024, 6, 14), 6_000_000, "6,000,000円", "お申込金額", 48, "4年", "返済期間",
                 3, "3ヶ月", "設備資金（IoT機器導入）"), "A",
        [(s0, partial(draw_statement_booklet, st=s0)), (s1, partial(draw_statement_booklet, st=s1))],
        quote("株式会社ファクトリーネット福井", "福井県鯖江市西山町2番8号", date(2023, 5, 25),
              [("加工機IoTデータ収集ユニット", 12, 320_000), ("段取り支援モニター", 6, 180_000)],
              "データ分析ソフトウェア及び設定", 9_900_000),
        make_plan(s1, cols_labels(2023), op=0.15, personnel=0.08, depreciation=0.3), "cols",
        (TaxCert(date(2024, 6, 3)), "P3"), (TaxCert(date(2024, 6, 5)), "C1"),
        subsidy=Subsidy("福産政第655号", date(2023, 6, 15), date(2023, 8, 4),
                        "IoT加工データ収集による段取り時間短縮事業", 9_900_000, 9_900_000, 3_300_000),
        single_file="scan.pdf",
    ))

    # 10 -----------------------------------------------------------------------------------------
    co = Company("株式会社みくにマテリアル", "代表取締役　酒井　美穂", "913-0046",
                 "福井県坂井市三国町北本町4丁目1番27号", "0776-82-5120", 25_000_000, "25,000,000円", 55, "55名",
                 "製造業（プラスチック製品製造業）", date(1998, 4, 1), "設立年月日", "1998/04/01",
                 "福井北陸信用金庫", "三国支店", 9)
    s0 = statement(co, 2023, "円", 610_000_000, 0.029, manufacturer=True)
    s1 = statement(co, 2024, "千円", 633_000_000, 0.033, manufacturer=True)
    out.append(Truth(
        "holdout-wareki-senen-mix", date(2025, 4, 1),
        "track 2, eligible: older 決算書 in 円 with 西暦 slashes (2022/10/01), newer one in 千円 with 漢数字 和暦; "
        "both tax certificates in one PDF; 設立 1998/04/01; 据置 なし",
        co, Loan("2", date(2025, 3, 21), 13_500_000, "13,500,000円", "借入希望額", 60, "60ヶ月", "借入期間",
                 0, "なし", "設備資金（IoT機器導入）"), "C",
        [(s0, partial(draw_statement_booklet, st=s0, date_fmt=slash)),
         (s1, partial(draw_statement_software, st=s1, kanji_dates=True))],
        quote("株式会社丹南ファクトリーオートメーション", "福井県越前市家久町18番地3", date(2025, 1, 15),
              [("射出成形機IoT監視ユニット", 14, 420_000), ("AI成形条件最適化システム", 1, 6_400_000)],
              "設置・教育費", 15_000_000),
        make_plan(s1, cols_labels(2024), **GROWING), "cols",
        (TaxCert(date(2025, 3, 6)), "P1"), (TaxCert(date(2025, 3, 7), period=(s1.start, s1.end)), "C2"),
        opinion_date=date(2025, 2, 27), approval_date=date(2025, 3, 14),
        plan_name="IoT監視とAIによる射出成形の不良削減計画", bp_font=GOTHIC,
        file_names=lambda i: f"ScanFile_{i:04d}.pdf",
        together=[["pref", "cons"]],
    ))

    # 11 -----------------------------------------------------------------------------------------
    co = Company("株式会社南越リネンサービス", "代表取締役　川端　恵子", "919-0131", "福井県南条郡南越前町今庄74号5番地",
                 "0778-45-0981", 9_000_000, "900万円", 70, "70人", "サービス業（リネンサプライ業）",
                 date(2008, 9, 1), "開業年月日", "平成二十年九月一日", "越前たけふ信用組合", "今庄支店", 8)
    s0 = statement(co, 2023, "円", 220_000_000, -0.012, extra_personnel=True)
    s1 = statement(co, 2024, "円", 236_000_000, 0.028, extra_personnel=True)
    out.append(Truth(
        "holdout-term-84-months", date(2024, 11, 15),
        "track 1: 融資期間 7年（84ヶ月） > 60か月; older 決算報告書 shows 営業損失金額 (a loss as a positive number), "
        "newer one is 前期/当期 comparative with △; 8月決算; 開業 in 漢数字",
        co, Loan("1", date(2024, 10, 18), 10_000_000, "1,000万円", "ご融資希望額", 84, "7年（84ヶ月）", "融資期間",
                 6, "6ヶ月", "設備資金（IoT機器導入）"), "B",
        [(s0, partial(draw_statement_booklet, st=s0, date_fmt=wareki)),
         (s1, partial(draw_statement_comparative, st=s1, prior=s0))],
        quote("株式会社北陸ネットワークサービス", "石川県金沢市広岡1丁目5番3号", date(2024, 4, 12),
              [("リネン用RFIDタグ", 20000, 320), ("RFID一括読取りトンネル", 2, 3_500_000)],
              "リネン品管理システム構築", 15_400_000),
        make_plan(s1, rows_labels(2023), op=0.3, personnel=0.08, depreciation=0.3), "rows",
        (TaxCert(date(2024, 10, 4)), "P1"), (TaxCert(date(2024, 10, 7)), "C1"),
        subsidy=Subsidy("福産政第1033号", date(2024, 5, 13), date(2024, 7, 19), "IoTタグによるリネン品管理システム導入事業",
                        15_400_000, 15_400_000, 5_133_000),
        file_names=lambda i: f"doc{i:05d}.pdf",
        intent={"loan_term": "fail"},
    ))

    # 12 -----------------------------------------------------------------------------------------
    co = Company("株式会社若狭シーフーズ", "代表取締役　浜田　勝", "919-1331", "福井県三方上中郡若狭町鳥浜12号8番地",
                 "0770-45-3310", 15_000_000, "1,500万円", 38, "38名", "製造業（水産食料品製造業）",
                 date(1989, 4, 1), "設立年月日", "平成元年4月1日", "福井みらい銀行", "上中支店", 12)
    s0 = statement(co, 2023, "円", 415_000_000, 0.026, manufacturer=True)
    s1 = statement(co, 2024, "円", 428_000_000, 0.029, manufacturer=True)
    out.append(Truth(
        "holdout-t1-over-subsidy-gap", date(2025, 4, 1),
        "track 1: loan 9,000,000 > 経費 金壱千弐百参拾四万五千円 − 交付決定額 金四百壱拾壱万五千円 = 8,230,000; "
        "設立 平成元年; 円 決算報告書 in 和暦 with 製造原価報告書",
        co, Loan("1", date(2025, 3, 12), 9_000_000, "9,000,000円", "お申込金額", 60, "60ヶ月", "返済期間",
                 6, "6ヶ月", "設備資金（IoT機器導入）"), "A",
        [(s0, partial(draw_statement_booklet, st=s0, date_fmt=wareki)),
         (s1, partial(draw_statement_booklet, st=s1, date_fmt=wareki))],
        quote("株式会社若狭電設", "福井県敦賀市若葉町1丁目1055番地", date(2024, 7, 8),
              [("IoT温度管理システム", 1, 3_850_000), ("AI画像選別機", 1, 6_900_000)], "設置工事", 12_345_000),
        make_plan(s1, cols_labels(2024), op=0.15, personnel=0.08, depreciation=0.3), "cols",
        (TaxCert(date(2025, 3, 3)), "P3"), (TaxCert(date(2025, 3, 4), period=(s1.start, s1.end)), "C2"),
        subsidy=Subsidy("福産政第1304号", date(2024, 8, 1), date(2024, 9, 13),
                        "IoT温度管理とAI選別機導入による水産加工の品質向上事業", 12_345_000, 12_345_000, 4_115_000),
        file_names=lambda i: f"申込書類_{i:02d}.pdf",
        intent={"loan_limit_subsidy": "fail"},
    ))
    return out


_NUMBER_LIST = re.compile(r"\[\s+((?:-?\d+,\s+)*-?\d+)\s+\]")


def to_json(obj: Any) -> str:
    """Indented JSON with lists of numbers (page lists) kept on one line."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)

    def flat(m: re.Match[str]) -> str:
        return "[" + ", ".join(m.group(1).replace(",", " ").split()) + "]"

    return _NUMBER_LIST.sub(flat, text) + "\n"


def generate(out: Path, only: Sequence[str] = ()) -> list[str]:
    """Write the packets and their expected results under ``out``; returns the packet names written."""
    (out / "expected").mkdir(parents=True, exist_ok=True)
    written = []
    for t in catalogue():
        if only and t.name not in only:
            continue
        exp = build(t, out)
        (out / "expected" / f"{t.name}.json").write_text(to_json(exp), encoding="utf-8")
        log.info("wrote %s (%s, %d files)", t.name, exp["verdict"], len(exp["files"]))
        written.append(t.name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("packets", nargs="*", help="only these packets (default: all)")
    parser.add_argument("--out", type=Path, default=HERE, help="where packets/ and expected/ go")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate(args.out, args.packets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

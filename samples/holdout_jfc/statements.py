"""決算書: the numbers of a fiscal period (P/L, 製造原価, B/S, all consistent) and three ways to print them.

Layouts (each a different accountant's software, none copied from the project's own samples):

* ``print_ledger``  – 円, a separate 貸借対照表 (two halves side by side), 損益計算書 with an inner and a
  total column, 販売費及び一般管理費内訳書 and, for a maker, 製造原価報告書 (△ negatives).
* ``print_compact`` – 円, a small company's two pages: a one-column 貸借対照表 and a 損益計算書 that lists its
  販管費 inline (西暦 dates, △ negatives).
* ``print_comparative`` – 千円, 前期・当期・増減 columns on every page (▲ negatives): 比較貸借対照表,
  比較損益計算書, 販売費及び一般管理費明細 and, for a maker, 比較製造原価報告書.

``Period.truth()`` is the ground truth of the contract's core fields for a document of that period.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from samples.holdout_jfc.draw import MINCHO, Sheet, amount, seireki, wareki

Items = tuple[tuple[str, int], ...]

PERSONNEL_SGA = ("役員報酬", "給料手当", "賞与", "法定福利費", "福利厚生費")


def _total(items: Items) -> int:
    return sum(v for _, v in items)


@dataclass(frozen=True)
class Manufacturing:
    material_open: int
    material_buy: int
    material_close: int
    labour: Items        # 賃金, 賞与, 法定福利費 … (the whole of 労務費)
    overhead: Items      # 外注加工費, 減価償却費 … (経費)
    wip_open: int
    wip_close: int

    @property
    def material(self) -> int:
        return self.material_open + self.material_buy - self.material_close

    @property
    def total_cost(self) -> int:
        return self.material + _total(self.labour) + _total(self.overhead)

    @property
    def cost_of_goods_made(self) -> int:
        return self.total_cost + self.wip_open - self.wip_close


@dataclass(frozen=True)
class Period:
    company: str
    term_no: int
    start: date
    end: date
    sales: int
    stock_open: int            # 期首商品(製品)棚卸高
    bought: int                # 当期商品仕入高 (0 for a maker)
    stock_close: int
    mfg: Manufacturing | None
    sga: Items
    noi: Items                 # 営業外収益
    noe: Items                 # 営業外費用
    special_gain: Items
    special_loss: Items
    tax: int
    bs_assets: Items           # every asset but cash, grouped by the printers
    bs_liabilities: Items
    capital: int
    legal_reserve: int
    retained: int              # 繰越利益剰余金 at the end of the period
    fixed_liabilities: tuple[str, ...] = ("長期借入金", "退職給付引当金")

    # -- P/L ---------------------------------------------------------------------------------------------
    @property
    def made(self) -> int:
        return self.mfg.cost_of_goods_made if self.mfg else 0

    @property
    def cogs(self) -> int:
        return self.stock_open + self.bought + self.made - self.stock_close

    @property
    def gross(self) -> int:
        return self.sales - self.cogs

    @property
    def sga_total(self) -> int:
        return _total(self.sga)

    @property
    def operating(self) -> int:
        return self.gross - self.sga_total

    @property
    def ordinary(self) -> int:
        return self.operating + _total(self.noi) - _total(self.noe)

    @property
    def pretax(self) -> int:
        return self.ordinary + _total(self.special_gain) - _total(self.special_loss)

    @property
    def net(self) -> int:
        return self.pretax - self.tax

    @property
    def depreciation(self) -> int:
        d = sum(v for k, v in self.sga if k == "減価償却費")
        if self.mfg:
            d += sum(v for k, v in self.mfg.overhead if k == "減価償却費")
        return d

    @property
    def personnel(self) -> int:
        p = sum(v for k, v in self.sga if k in PERSONNEL_SGA)
        return p + (_total(self.mfg.labour) if self.mfg else 0)

    # -- B/S ---------------------------------------------------------------------------------------------
    @property
    def equity(self) -> int:
        return self.capital + self.legal_reserve + self.retained

    @property
    def liabilities(self) -> int:
        return _total(self.bs_liabilities)

    @property
    def cash(self) -> int:
        return self.liabilities + self.equity - _total(self.bs_assets)

    def truth(self) -> dict[str, object]:
        return {
            "company_name": self.company,
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "sales": self.sales,
            "operating_profit": self.operating,
            "non_operating_income": _total(self.noi),
            "non_operating_expenses": _total(self.noe),
            "ordinary_profit": self.ordinary,
            "depreciation": self.depreciation,
            "personnel_cost": self.personnel,
        }


# -- making consistent numbers --------------------------------------------------------------------------
@dataclass
class Profile:
    """What an accountant would know of a company's year; the rest is drawn from ``rng``."""

    sales: int
    cogs_ratio: float
    operating: int                     # 営業利益 wanted (negative: a loss)
    personnel_sga: dict[str, int]      # 役員報酬 … in 販管費
    dep_sga: int
    labour: dict[str, int] = field(default_factory=dict)  # 労務費 of a maker
    dep_mfg: int = 0
    noi: dict[str, int] = field(default_factory=dict)
    noe: dict[str, int] = field(default_factory=dict)
    special_gain: dict[str, int] = field(default_factory=dict)
    special_loss: dict[str, int] = field(default_factory=dict)


def _r(value: float, unit: int) -> int:
    return int(round(value / unit)) * unit


def make_periods(company: str, first_term: int, starts: list[date], profiles: list[Profile], *,
                 capital: int, retained_open: int, unit: int, seed: int, maker: bool,
                 fixed_assets: int, debt: int, pay_rise: float = 0.025) -> list[Period]:
    """Consecutive periods (each closing stock is the next opening stock); amounts are multiples of ``unit``.

    The 販管費 personnel lines of a profile are those of the first period; each later period pays
    ``pay_rise`` more a year (so that no two periods print the same figures).
    """
    rng = random.Random(seed)
    periods: list[Period] = []
    stock = _r(profiles[0].sales * 0.05, unit)
    wip = _r(profiles[0].sales * 0.02, unit) if maker else 0
    material = _r(profiles[0].sales * 0.03, unit) if maker else 0
    retained = retained_open
    reserve = _r(capital * 0.05, unit)
    for i, (start, p) in enumerate(zip(starts, profiles)):
        end = date(start.year + 1, start.month, start.day).replace(day=1)
        end = date.fromordinal(end.toordinal() - 1)
        cogs = _r(p.sales * p.cogs_ratio, unit)
        stock_close = _r(p.sales * rng.uniform(0.04, 0.06), unit)
        mfg = None
        bought = 0
        if maker:
            labour = tuple(p.labour.items())
            overhead_other = (("外注加工費", _r(p.sales * rng.uniform(0.05, 0.08), unit)),
                              ("電力費", _r(p.sales * rng.uniform(0.01, 0.02), unit)),
                              ("修繕費", _r(p.sales * rng.uniform(0.005, 0.01), unit)),
                              ("消耗工具費", _r(p.sales * rng.uniform(0.004, 0.008), unit)))
            overhead = overhead_other[:1] + (("減価償却費", p.dep_mfg),) + overhead_other[1:]
            wip_close = _r(p.sales * rng.uniform(0.015, 0.025), unit)
            material_close = _r(p.sales * rng.uniform(0.025, 0.035), unit)
            made = cogs + stock_close - stock
            conversion = sum(v for _, v in labour) + sum(v for _, v in overhead)
            material_cost = made - wip + wip_close - conversion
            if material_cost <= 0:
                raise ValueError(f"{company} period {i}: no room for material cost ({material_cost})")
            mfg = Manufacturing(material, material_cost + material_close - material, material_close,
                                labour, overhead, wip, wip_close)
            wip, material = wip_close, material_close
        else:
            bought = cogs + stock_close - stock
        gross = p.sales - cogs
        sga_total = gross - p.operating
        pay = tuple((k, _r(v * (1 + pay_rise) ** i + rng.uniform(-0.4, 0.4) * 1000, unit))
                    for k, v in p.personnel_sga.items())
        fixed_part = pay + (("減価償却費", p.dep_sga),)
        rest = sga_total - sum(v for _, v in fixed_part)
        shares = (("旅費交通費", 0.09), ("通信費", 0.05), ("地代家賃", 0.16), ("水道光熱費", 0.06),
                  ("消耗品費", 0.07), ("租税公課", 0.05), ("支払手数料", 0.08), ("広告宣伝費", 0.06),
                  ("保険料", 0.04), ("荷造運賃", 0.12), ("リース料", 0.07))
        others = [(k, _r(rest * s * rng.uniform(0.9, 1.1), unit)) for k, s in shares]
        misc = rest - sum(v for _, v in others)
        if misc <= 0:
            raise ValueError(f"{company} period {i}: 販管費 too small for its items ({misc})")
        sga = fixed_part[:len(p.personnel_sga)] + tuple(others[:4]) + (fixed_part[-1],) + \
            tuple(others[4:]) + (("雑費", misc),)
        pretax_guess = p.operating + sum(p.noi.values()) - sum(p.noe.values()) + \
            sum(p.special_gain.values()) - sum(p.special_loss.values())
        tax = _r(max(pretax_guess * 0.3, 70_000), unit)
        provisional = Period(company, first_term + i, start, end, p.sales, stock, bought, stock_close, mfg,
                             sga, tuple(p.noi.items()), tuple(p.noe.items()), tuple(p.special_gain.items()),
                             tuple(p.special_loss.items()), tax, (), (), capital, reserve, 0)
        retained += provisional.net
        receivable = _r(p.sales * rng.uniform(0.12, 0.16), unit)
        bills = _r(p.sales * rng.uniform(0.01, 0.03), unit)
        stocks: Items = ((("製品", stock_close), ("仕掛品", wip), ("原材料", material)) if maker
                         else (("商品", stock_close),))
        share = (0.34, 0.30, 0.05, 0.08, 0.18, 0.02, 0.03)
        fixed = tuple((k, _r(fixed_assets * s * (1 - 0.04 * i), unit)) for k, s in zip(
            ("建物", "機械及び装置", "車両運搬具", "工具器具及び備品", "土地", "ソフトウェア", "投資有価証券"),
            share))
        assets: Items = (("受取手形", bills), ("売掛金", receivable)) + stocks + \
            (("前払費用", _r(p.sales * 0.004, unit)),) + fixed + (("差入保証金", _r(fixed_assets * 0.01, unit)),)
        liabilities: Items = (
            ("支払手形", _r(p.sales * rng.uniform(0.01, 0.02), unit)),
            ("買掛金", _r(p.sales * rng.uniform(0.06, 0.09), unit)),
            ("短期借入金", _r(debt * 0.25, unit)),
            ("未払金", _r(p.sales * 0.015, unit)),
            ("未払法人税等", _r(tax * 0.6, unit)),
            ("預り金", _r(p.sales * 0.002, unit)),
            ("長期借入金", _r(debt * (0.75 - 0.05 * i), unit)),
            ("退職給付引当金", _r(p.sales * 0.01, unit)),
        )
        period = Period(company, first_term + i, start, end, p.sales, stock, bought, stock_close, mfg, sga,
                        tuple(p.noi.items()), tuple(p.noe.items()), tuple(p.special_gain.items()),
                        tuple(p.special_loss.items()), tax, assets, liabilities, capital, reserve, retained)
        if period.cash <= 0:
            raise ValueError(f"{company} period {i}: the balance sheet needs negative cash ({period.cash})")
        periods.append(period)
        stock = stock_close
    return periods


# -- shared row builders ----------------------------------------------------------------------------------
def _pl_rows(p: Period) -> list[tuple[str, int, int | None, int | None]]:
    """(label, indent, inner amount, total amount) for a P/L printed with an inner and a total column."""
    rows: list[tuple[str, int, int | None, int | None]] = [("Ⅰ　売上高", 0, None, p.sales), ("Ⅱ　売上原価", 0, None, None)]
    if p.mfg:
        rows += [("期首製品棚卸高", 1, p.stock_open, None), ("当期製品製造原価", 1, p.made, None)]
        rows += [("合　計", 1, p.stock_open + p.made, None), ("期末製品棚卸高", 1, p.stock_close, None)]
    else:
        rows += [("期首商品棚卸高", 1, p.stock_open, None), ("当期商品仕入高", 1, p.bought, None)]
        rows += [("合　計", 1, p.stock_open + p.bought, None), ("期末商品棚卸高", 1, p.stock_close, None)]
    rows += [("売上原価", 1, None, p.cogs), ("売上総利益", 0, None, p.gross),
             ("Ⅲ　販売費及び一般管理費", 0, None, p.sga_total),
             ("営業利益" if p.operating >= 0 else "営業損失", 0, None, p.operating),
             ("Ⅳ　営業外収益", 0, None, None)]
    rows += [(k, 1, v, None) for k, v in p.noi] + [("営業外収益合計", 1, None, _total(p.noi))]
    rows += [("Ⅴ　営業外費用", 0, None, None)] + [(k, 1, v, None) for k, v in p.noe]
    rows += [("営業外費用合計", 1, None, _total(p.noe)),
             ("経常利益" if p.ordinary >= 0 else "経常損失", 0, None, p.ordinary)]
    if p.special_gain:
        rows += [("Ⅵ　特別利益", 0, None, None)] + [(k, 1, v, None) for k, v in p.special_gain]
        rows += [("特別利益合計", 1, None, _total(p.special_gain))]
    if p.special_loss:
        rows += [("Ⅶ　特別損失", 0, None, None)] + [(k, 1, v, None) for k, v in p.special_loss]
        rows += [("特別損失合計", 1, None, _total(p.special_loss))]
    rows += [("税引前当期純利益", 0, None, p.pretax), ("法人税、住民税及び事業税", 1, None, p.tax),
             ("当期純利益" if p.net >= 0 else "当期純損失", 0, None, p.net)]
    return rows


def _bs_sides(p: Period) -> tuple[list[tuple[str, int | None]], list[tuple[str, int | None]]]:
    a = dict(p.bs_assets)
    current = ["受取手形", "売掛金", "商品", "製品", "仕掛品", "原材料", "前払費用"]
    tangible = ["建物", "機械及び装置", "車両運搬具", "工具器具及び備品", "土地"]
    cur_total = p.cash + sum(a.get(k, 0) for k in current)
    tan_total = sum(a[k] for k in tangible)
    inv_total = a["投資有価証券"] + a["差入保証金"]
    fixed_total = tan_total + a["ソフトウェア"] + inv_total
    left: list[tuple[str, int | None]] = [("【資産の部】", None), ("流動資産", cur_total), ("　現金及び預金", p.cash)]
    left += [(f"　{k}", a[k]) for k in current if k in a]
    left += [("固定資産", fixed_total), ("　有形固定資産", tan_total)]
    left += [(f"　　{k}", a[k]) for k in tangible]
    left += [("　無形固定資産", a["ソフトウェア"]), ("　　ソフトウェア", a["ソフトウェア"]),
             ("　投資その他の資産", inv_total), ("　　投資有価証券", a["投資有価証券"]),
             ("　　差入保証金", a["差入保証金"]), ("資産合計", cur_total + fixed_total)]
    li = dict(p.bs_liabilities)
    cur_l = [k for k, _ in p.bs_liabilities if k not in p.fixed_liabilities]
    right: list[tuple[str, int | None]] = [("【負債の部】", None), ("流動負債", sum(li[k] for k in cur_l))]
    right += [(f"　{k}", li[k]) for k in cur_l]
    right += [("固定負債", sum(li[k] for k in p.fixed_liabilities))]
    right += [(f"　{k}", li[k]) for k in p.fixed_liabilities]
    right += [("負債合計", p.liabilities), ("【純資産の部】", None), ("株主資本", p.equity),
              ("　資本金", p.capital), ("　利益剰余金", p.legal_reserve + p.retained),
              ("　　利益準備金", p.legal_reserve), ("　　その他利益剰余金", p.retained),
              ("　　　繰越利益剰余金", p.retained), ("純資産合計", p.equity),
              ("負債及び純資産合計", p.liabilities + p.equity)]
    return left, right


# -- layout 1: the ledger (円, inner and total columns, one statement a page) --------------------------------
def print_ledger(sheet: Sheet, p: Period, *, bs_first: bool = True) -> None:
    head = f"第{p.term_no}期　自 {wareki(p.start)}　至 {wareki(p.end)}"

    def header(title: str, note: str) -> None:
        sheet.text(105, 22, title, 16, "center")
        sheet.text(105, 30, note, 9, "center")
        sheet.text(20, 40, p.company, 10)
        sheet.text(190, 40, "（単位：円）", 8, "right")

    def bs() -> None:
        header("貸　借　対　照　表", f"{wareki(p.end)} 現在")
        left, right = _bs_sides(p)
        rows = max(len(left), len(right))
        left += [("", None)] * (rows - len(left))
        right += [("", None)] * (rows - len(right))
        body = [[lk, amount(lv) if lv is not None else "", rk, amount(rv) if rv is not None else ""]
                for (lk, lv), (rk, rv) in zip(left, right)]
        sheet.table(15, 44, [52, 33, 52, 33], [["科　目", "金　額", "科　目", "金　額"]] + body,
                    row_h=6.2, size=8, aligns="lrlr", shade_rows=[0])

    def pl() -> None:
        header("損　益　計　算　書", head)
        body = []
        for label, indent, inner, total in _pl_rows(p):
            if label.endswith("損失") and total is not None:
                total = -total  # a loss is printed as a positive amount under its 「…損失」 label
            body.append(["　" * indent + label, amount(inner) if inner is not None else "",
                         amount(total) if total is not None else ""])
        sheet.table(20, 44, [80, 40, 40], [["科　目", "金　額", None]] + body, row_h=6.0, size=8.5,
                    aligns="lrr", shade_rows=[0])

    def sga() -> None:
        header("販売費及び一般管理費内訳書", head)
        body = [[k, amount(v)] for k, v in p.sga] + [["販売費及び一般管理費合計", amount(p.sga_total)]]
        sheet.table(35, 44, [80, 50], [["科　目", "金　額"]] + body, row_h=7.0, size=9, aligns="lr",
                    shade_rows=[0])

    def mfg() -> None:
        assert p.mfg is not None
        m = p.mfg
        header("製　造　原　価　報　告　書", head)
        rows: list[list[str | None]] = [["科　目", "金　額", None], ["Ⅰ　材料費", "", ""],
                                        ["　期首材料棚卸高", amount(m.material_open), ""],
                                        ["　当期材料仕入高", amount(m.material_buy), ""],
                                        ["　期末材料棚卸高", amount(m.material_close), ""],
                                        ["　当期材料費", "", amount(m.material)], ["Ⅱ　労務費", "", ""]]
        rows += [[f"　{k}", amount(v), ""] for k, v in m.labour]
        rows += [["　当期労務費", "", amount(_total(m.labour))], ["Ⅲ　経費", "", ""]]
        rows += [[f"　{k}", amount(v), ""] for k, v in m.overhead]
        rows += [["　当期経費", "", amount(_total(m.overhead))],
                 ["当期総製造費用", "", amount(m.total_cost)], ["期首仕掛品棚卸高", "", amount(m.wip_open)],
                 ["合　計", "", amount(m.total_cost + m.wip_open)], ["期末仕掛品棚卸高", "", amount(m.wip_close)],
                 ["当期製品製造原価", "", amount(m.cost_of_goods_made)]]
        sheet.table(20, 44, [80, 40, 40], rows, row_h=6.4, size=8.5, aligns="lrr", shade_rows=[0])

    pages = [bs, pl] if bs_first else [pl, bs]
    pages.append(sga)
    if p.mfg:
        pages.append(mfg)
    for i, draw in enumerate(pages):
        if i:
            sheet.next_page()
        draw()
        sheet.page_no(f"- {i + 1} -")


# -- layout 2: compact (円, a small company's two pages, 西暦) -------------------------------------------
def print_compact(sheet: Sheet, p: Period) -> None:
    if min(p.operating, p.ordinary, p.net) < 0:
        raise ValueError(f"{p.company}: the compact layout prints no losses")
    sheet.text(105, 20, "貸借対照表", 15, "center")
    sheet.text(105, 27, f"（{seireki(p.end)}現在）", 9, "center")
    sheet.text(20, 35, f"{p.company}　第{p.term_no}期", 10)
    sheet.text(190, 35, "単位：円", 8, "right")
    left, right = _bs_sides(p)
    rows = [[k.strip("【】"), amount(v) if v is not None else ""] for k, v in left + right]
    sheet.table(40, 39, [80, 45], rows, row_h=5.6, size=8, aligns="lr", grid=False)
    sheet.line(40, 39, 165, 39)
    sheet.next_page()
    sheet.text(105, 20, "損益計算書", 15, "center")
    sheet.text(105, 27, f"{seireki(p.start)}から{seireki(p.end)}まで", 9, "center")
    sheet.text(20, 35, f"{p.company}　第{p.term_no}期", 10)
    sheet.text(190, 35, "単位：円", 8, "right")
    body: list[list[str | None]] = [["売上高", "", amount(p.sales)]]
    body += [["売上原価", "", ""], ["　期首商品棚卸高", amount(p.stock_open), ""],
             ["　仕入高" if not p.mfg else "　当期製品製造原価", amount(p.bought or p.made), ""],
             ["　期末商品棚卸高", amount(p.stock_close), ""], ["　売上原価計", "", amount(p.cogs)],
             ["売上総利益", "", amount(p.gross)], ["販売費及び一般管理費", "", ""]]
    body += [[f"　{k}", amount(v), ""] for k, v in p.sga]
    body += [["　販売費及び一般管理費計", "", amount(p.sga_total)], ["営業利益", "", amount(p.operating)],
             ["営業外収益", "", ""]]
    body += [[f"　{k}", amount(v), ""] for k, v in p.noi] + [["　営業外収益計", "", amount(_total(p.noi))]]
    body += [["営業外費用", "", ""]] + [[f"　{k}", amount(v), ""] for k, v in p.noe]
    body += [["　営業外費用計", "", amount(_total(p.noe))], ["経常利益", "", amount(p.ordinary)]]
    for title, items in (("特別利益", p.special_gain), ("特別損失", p.special_loss)):
        if items:
            body += [[title, "", ""]] + [[f"　{k}", amount(v), ""] for k, v in items]
            body += [[f"　{title}計", "", amount(_total(items))]]
    body += [["税引前当期純利益", "", amount(p.pretax)], ["法人税等", "", amount(p.tax)],
             ["当期純利益", "", amount(p.net)]]
    sheet.table(30, 39, [75, 35, 35], body, row_h=5.0, size=8, aligns="lrr", grid=False)
    sheet.line(30, 39, 175, 39)


# -- layout 3: comparative (千円, 前期・当期, ▲) -------------------------------------------------------------
def print_comparative(sheet: Sheet, prior: Period, p: Period) -> None:
    def k(v: int | None) -> str:
        return "" if v is None else amount(v, 1000, "▲")

    def header(title: str) -> None:
        sheet.text(105, 20, title, 15, "center", MINCHO)
        sheet.text(20, 30, p.company, 10, font=MINCHO)
        sheet.text(20, 36, f"第{p.term_no}期（{wareki(p.start)}～{wareki(p.end)}）", 9, font=MINCHO)
        sheet.text(190, 36, "（単位：千円）", 8, "right", MINCHO)

    def cols() -> list[str | None]:
        return ["科目", f"前期\n（第{prior.term_no}期）", f"当期\n（第{p.term_no}期）", "増減"]

    header("比較貸借対照表")
    (pl_, pr_), (cl_, cr_) = _bs_sides(prior), _bs_sides(p)
    rows: list[list[str | None]] = [cols()]
    for (label, a), (_, b) in zip(pl_ + pr_, cl_ + cr_):
        diff = None if a is None or b is None else b - a
        rows.append([label.strip("【】"), k(a), k(b), k(diff)])
    heights = [9.0] + [5.0] * (len(rows) - 1)
    sheet.table(22, 40, [62, 34, 34, 34], rows, row_h=heights, size=7.8, aligns="lrrr", font=MINCHO,
                shade_rows=[0])
    sheet.next_page()
    header("比較損益計算書")
    rows = [cols()]
    profit = {"営業損失": "営業利益", "経常損失": "経常利益", "当期純損失": "当期純利益"}
    pl_prior, pl_now = _pl_rows(prior), _pl_rows(p)
    if [profit.get(r[0], r[0]) for r in pl_prior] != [profit.get(r[0], r[0]) for r in pl_now]:
        raise ValueError(f"{p.company}: the two periods' P/L lines differ; a comparative print needs the same")
    for (label, _, ia, ta), (_, _, ib, tb) in zip(pl_prior, pl_now):
        a = ta if ta is not None else ia
        b = tb if tb is not None else ib
        label = profit.get(label, label)
        rows.append([label, k(a), k(b), k(None if a is None or b is None else b - a)])
    heights = [9.0] + [5.6] * (len(rows) - 1)
    sheet.table(22, 40, [62, 34, 34, 34], rows, row_h=heights, size=8, aligns="lrrr", font=MINCHO,
                shade_rows=[0])
    sheet.next_page()
    header("販売費及び一般管理費明細")
    prior_sga = dict(prior.sga)
    rows = [cols()]
    for name, v in p.sga:
        a = prior_sga.get(name)
        rows.append([name, k(a), k(v), k(None if a is None else v - a)])
    rows.append(["合計", k(prior.sga_total), k(p.sga_total), k(p.sga_total - prior.sga_total)])
    heights = [9.0] + [6.5] * (len(rows) - 1)
    sheet.table(22, 40, [62, 34, 34, 34], rows, row_h=heights, size=8.5, aligns="lrrr", font=MINCHO,
                shade_rows=[0])
    if p.mfg is None:
        return
    sheet.next_page()
    header("比較製造原価報告書")
    rows = [cols()]
    for label, a, b in _mfg_rows(prior.mfg, p.mfg):
        rows.append([label, k(a), k(b), k(None if a is None or b is None else b - a)])
    heights = [9.0] + [5.8] * (len(rows) - 1)
    sheet.table(22, 40, [62, 34, 34, 34], rows, row_h=heights, size=8.5, aligns="lrrr", font=MINCHO,
                shade_rows=[0])


def _mfg_rows(prior: Manufacturing | None, m: Manufacturing) -> list[tuple[str, int | None, int | None]]:
    """(label, 前期, 当期) of a comparative 製造原価報告書; a heading has neither, a line the 前期 lacks has no 前期."""
    def both(label: str, get: Callable[[Manufacturing], int]) -> tuple[str, int | None, int | None]:
        return label, get(prior) if prior else None, get(m)

    def items(title: str, now: Items, before: Items | None, total: str) -> list[tuple[str, int | None, int | None]]:
        old = dict(before or ())
        out: list[tuple[str, int | None, int | None]] = [(title, None, None)]
        out += [(f"　{name}", old.get(name), v) for name, v in now]
        return out + [(f"　{total}", _total(before) if before is not None else None, _total(now))]

    rows: list[tuple[str, int | None, int | None]] = [
        ("Ⅰ　材料費", None, None), both("　期首材料棚卸高", lambda x: x.material_open),
        both("　当期材料仕入高", lambda x: x.material_buy), both("　期末材料棚卸高", lambda x: x.material_close),
        both("　当期材料費", lambda x: x.material)]
    rows += items("Ⅱ　労務費", m.labour, prior.labour if prior else None, "当期労務費")
    rows += items("Ⅲ　経費", m.overhead, prior.overhead if prior else None, "当期経費")
    rows += [both("当期総製造費用", lambda x: x.total_cost), both("期首仕掛品棚卸高", lambda x: x.wip_open),
             both("合計", lambda x: x.total_cost + x.wip_open), both("期末仕掛品棚卸高", lambda x: x.wip_close),
             both("当期製品製造原価", lambda x: x.cost_of_goods_made)]
    return rows

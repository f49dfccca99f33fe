"""事業計画書: a multi-year plan built on the latest 決算書, the ※4 growth it shows, and three layouts.

* ``print_plan_grid``   – two pages: the narrative, then items down and years across (千円).
* ``print_plan_rows``   – one page: years down and items across (円), no per-head column.
* ``print_plan_mincho`` – one page in 明朝: items down, 第N期 across, 伸び率 rows (千円).

The plan's 付加価値額 is printed as 営業利益 + 人件費 + 減価償却費 (the figures add up on the page).
``Plan.routes()`` is the ground truth of ※4, computed from the printed figures the way the leaflet says.
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.holdout_jfc.draw import MINCHO, Sheet, amount, wareki_year
from samples.holdout_jfc.statements import Period


@dataclass(frozen=True)
class PlanYear:
    label: str          # the year as the ground truth names it (the printed column or row label)
    sales: int
    operating: int
    personnel: int
    depreciation: int
    ordinary: int
    employees: int

    @property
    def value_added(self) -> int:
        return self.operating + self.personnel + self.depreciation

    def per_head(self, unit: int) -> int:
        return int(round(self.value_added / self.employees / unit)) * unit


@dataclass(frozen=True)
class Plan:
    company: str
    unit: int
    years: tuple[PlanYear, ...]
    base_fy: int            # the fiscal year (April start) or calendar year of the base column
    first_term: int         # 第N期 of the base year (for the 明朝 layout)
    fy_end_month: int

    def routes(self) -> dict[str, bool]:
        """Which of ※4's six routes the plan meets (from the printed figures)."""
        va = [y.value_added for y in self.years]
        pva = [y.value_added / y.employees for y in self.years]
        op = [y.ordinary for y in self.years]

        def reaches(series: list[float], n: int, rate: float) -> bool:
            return any(series[t] >= series[0] * (1 + rate) for t in range(1, min(n, len(series) - 1) + 1))

        return {"va3": reaches(va, 3, 0.09), "va5": len(va) > 5 and reaches(va, 5, 0.15),
                "pva3": reaches(pva, 3, 0.09), "pva5": len(va) > 5 and reaches(pva, 5, 0.15),
                "op3": reaches(op, 3, 0.03), "op5": len(va) > 5 and reaches(op, 5, 0.05)}

    def truth(self, per_head: bool) -> list[dict[str, object]]:
        rows = []
        for y in self.years:
            row: dict[str, object] = {"year": y.label, "sales": y.sales, "operating_profit": y.operating,
                                      "personnel_cost": y.personnel, "depreciation": y.depreciation,
                                      "value_added": y.value_added, "ordinary_profit": y.ordinary,
                                      "employees": y.employees}
            if per_head:
                row["value_added_per_head"] = y.per_head(self.unit)
            rows.append(row)
        return rows


def _trunc(v: int, unit: int) -> int:
    return int(v / unit) * unit


def make_plan(base: Period, labels: list[str], *, va: list[float], ordinary: list[float], employees: list[int],
              dep_add: list[int], sales: list[float], unit: int, base_fy: int) -> Plan:
    """Years 1..n from growth factors over the base year (the latest 決算書, cut to ``unit``).

    ``va``, ``ordinary`` and ``sales`` are growth rates for years 1..n; ``dep_add`` the extra depreciation of
    the new equipment; 営業利益 keeps the base year's non-operating balance and 人件費 is what is left of
    付加価値額.
    """
    op0, pc0, dep0 = (_trunc(base.operating, unit), _trunc(base.personnel, unit), _trunc(base.depreciation, unit))
    ord0 = _trunc(base.ordinary, unit)
    years = [PlanYear(labels[0], _trunc(base.sales, unit), op0, pc0, dep0, ord0, employees[0])]
    va0 = op0 + pc0 + dep0
    for t in range(1, len(labels)):
        ord_t = _trunc(int(ord0 * (1 + ordinary[t - 1])), unit)
        op_t = ord_t + (op0 - ord0)
        dep_t = dep0 + dep_add[t - 1]
        va_t = _trunc(int(va0 * (1 + va[t - 1])), unit)
        years.append(PlanYear(labels[t], _trunc(int(years[0].sales * (1 + sales[t - 1])), unit), op_t,
                              va_t - op_t - dep_t, dep_t, ord_t, employees[t]))
    return Plan(base.company, unit, tuple(years), base_fy, base.term_no, base.end.month)


# -- layouts ---------------------------------------------------------------------------------------------
def grid_labels(base_fy: int, n: int) -> tuple[list[str], list[str]]:
    """(printed headers, truth labels) for the grid layout: 基準年度（実績）令和6年度, 1年目 令和7年度 …"""
    printed = [f"基準年度\n（実績）\n{wareki_year(base_fy)}"]
    printed += [f"{t}年目\n（計画）\n{wareki_year(base_fy + t)}" for t in range(1, n + 1)]
    return printed, [wareki_year(base_fy + t) for t in range(n + 1)]


def rows_labels(base_year: int, n: int, word: str = "年") -> tuple[list[str], list[str]]:
    """2023年（実績）, 2024年（計画）… (``word`` 年度 for a company whose year starts in April)."""
    printed = [f"{base_year}{word}（実績）"] + [f"{base_year + t}{word}（計画）" for t in range(1, n + 1)]
    return printed, [f"{base_year + t}{word}" for t in range(n + 1)]


def mincho_labels(first_term: int, end_year: int, end_month: int, n: int) -> tuple[list[str], list[str]]:
    printed = [f"第{first_term}期\n{end_year}年{end_month}月期\n（実績）"]
    printed += [f"第{first_term + t}期\n{end_year + t}年{end_month}月期\n（計画）" for t in range(1, n + 1)]
    truth = [f"第{first_term + t}期（{end_year + t}年{end_month}月期）" for t in range(n + 1)]
    return printed, truth


def _narrative(sheet: Sheet, y: float, sections: list[tuple[str, list[str]]], size: float = 9.5,
               font: str | None = None) -> float:
    for head, body in sections:
        sheet.text(18, y, head, size + 1, font=font)
        y = sheet.lines(24, y + 6.5, body, size=size, leading=5.6, font=font) + 3
    return y


def print_plan_grid(sheet: Sheet, plan: Plan, printed: list[str], applicant: str, made_on: str,
                    sections: list[tuple[str, list[str]]]) -> None:
    sheet.text(105, 22, "事　業　計　画　書", 17, "center")
    sheet.text(190, 32, made_on, 9, "right")
    sheet.text(110, 40, f"申込人　{applicant}", 10)
    _narrative(sheet, 52, sections)
    sheet.page_no("1 / 2")
    sheet.next_page()
    sheet.text(18, 20, "５．数値計画（IoT設備導入後の見通し）", 11)
    sheet.text(192, 27, "（単位：千円、従業員数は人）", 8, "right")
    u = plan.unit
    items = [("売上高", [y.sales for y in plan.years]), ("営業利益　①", [y.operating for y in plan.years]),
             ("人件費　②", [y.personnel for y in plan.years]),
             ("減価償却費　③", [y.depreciation for y in plan.years]),
             ("付加価値額\n（①＋②＋③）", [y.value_added for y in plan.years]),
             ("経常利益", [y.ordinary for y in plan.years])]
    rows: list[list[str | None]] = [["項　目"] + printed]
    rows += [[name] + [amount(v, u) for v in values] for name, values in items]
    rows += [["従業員数"] + [f"{y.employees}" for y in plan.years]]
    rows += [["一人当たり\n付加価値額"] + [amount(y.per_head(u), u) for y in plan.years]]
    n = len(plan.years)
    width = (174 - 34) / n
    heights = [15.0] + [9.0] * (len(rows) - 1)
    bottom = sheet.table(18, 30, [34] + [width] * n, rows, row_h=heights, size=8.5 if n > 4 else 9,
                         aligns="l" + "r" * n, shade_rows=[0])
    sheet.lines(18, bottom + 7, ["※ 人件費には役員報酬・給料手当・賞与・法定福利費等、製造原価の労務費を含みます。",
                                 "※ 基準年度は直近決算期の実績です。"], size=8, leading=5)
    sheet.page_no("2 / 2")


def print_plan_rows(sheet: Sheet, plan: Plan, printed: list[str], applicant: str, made_on: str,
                    title: str, sections: list[tuple[str, list[str]]]) -> None:
    sheet.text(105, 20, title, 14, "center")
    sheet.text(190, 29, made_on, 9, "right")
    sheet.text(18, 36, f"事業者名：{applicant}", 10)
    y = _narrative(sheet, 47, sections, size=9)
    sheet.text(18, y + 4, "【今後の収支見通し】", 10.5)
    sheet.text(192, y + 4, "（単位：円）", 8, "right")
    head = ["年", "売上高", "営業利益", "人件費", "減価償却費", "付加価値額", "経常利益", "従業員"]
    rows: list[list[str | None]] = [head]
    for label, yr in zip(printed, plan.years):
        rows.append([label, amount(yr.sales), amount(yr.operating), amount(yr.personnel), amount(yr.depreciation),
                     amount(yr.value_added), amount(yr.ordinary), f"{yr.employees}人"])
    bottom = sheet.table(12, y + 7, [29, 25, 22, 23, 21, 23, 21, 13], rows, row_h=8.0, size=7.5,
                         aligns="lrrrrrrr", shade_rows=[0])
    sheet.text(12, bottom + 6, "付加価値額＝営業利益＋人件費＋減価償却費", 8)


def print_plan_mincho(sheet: Sheet, plan: Plan, printed: list[str], applicant: str, made_on: str,
                      sections: list[tuple[str, list[str]]]) -> None:
    sheet.text(105, 20, "事業計画書（IoT活用による生産性向上）", 14, "center", MINCHO)
    sheet.text(190, 29, made_on, 9, "right", MINCHO)
    sheet.text(18, 36, f"申込者名　{applicant}", 10, font=MINCHO)
    y = _narrative(sheet, 47, sections, size=9, font=MINCHO)
    sheet.text(18, y + 3, "３．計数計画", 10.5, font=MINCHO)
    sheet.text(192, y + 3, "（単位：千円）", 8, "right", MINCHO)
    u = plan.unit
    base = plan.years[0]

    def growth(v: float, b: float) -> str:
        return f"{(v / b - 1) * 100:+.1f}%"

    rows: list[list[str | None]] = [["区分"] + printed]
    rows += [["売上高"] + [amount(y.sales, u) for y in plan.years]]
    rows += [["営業利益"] + [amount(y.operating, u) for y in plan.years]]
    rows += [["人件費"] + [amount(y.personnel, u) for y in plan.years]]
    rows += [["減価償却費"] + [amount(y.depreciation, u) for y in plan.years]]
    rows += [["付加価値額"] + [amount(y.value_added, u) for y in plan.years]]
    rows += [["　伸び率（対基準年）"] + ["－"] + [growth(y.value_added, base.value_added) for y in plan.years[1:]]]
    rows += [["経常利益"] + [amount(y.ordinary, u) for y in plan.years]]
    rows += [["　伸び率（対基準年）"] + ["－"] + [growth(y.ordinary, base.ordinary) for y in plan.years[1:]]]
    rows += [["従業員数（人）"] + [str(y.employees) for y in plan.years]]
    rows += [["一人当たり付加価値額"] + [amount(y.per_head(u), u) for y in plan.years]]
    n = len(plan.years)
    width = (176 - 40) / n
    heights = [14.0] + [7.5] * (len(rows) - 1)
    sheet.table(16, y + 6, [40] + [width] * n, rows, row_h=heights, size=8, aligns="l" + "r" * n,
                font=MINCHO)

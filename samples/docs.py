"""The ground truth of a sample packet: the applicant, the loan asked for, the fiscal periods, the plan,
the subsidy, the certificates, and the style a packet is printed in.

The PDFs are drawn FROM these objects (``samples.layouts``) and the expected results are computed FROM
them (``samples.generate``), never by running the pipeline. Every statement is built from its items,
so every subtotal identity holds by construction (売上総利益 = 売上高 − 売上原価, …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

Items = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Style:
    """How one packet is printed: the variants an extractor must not overfit to."""

    wareki: bool = False  # 和暦 (令和6年) or 西暦 (2024年) dates
    unit: int = 1  # statements and plan in 円 (1) or 千円 (1000)
    spaced_titles: bool = False  # 「融 資 申 込 書」
    title_sep: str = " "  # " " or "　" between spaced title characters
    fullwidth: bool = False  # 全角 digits on the forms
    two_column_pl: bool = False  # 損益計算書 with 前期 / 当期 columns
    neg_mark: str = "△"  # or "▲"
    loss_label: bool = True  # a loss as 「営業損失 1,234」 (True) or 「営業利益 △1,234」 (False)
    older_loss: bool = False  # the older of the two periods made an operating loss
    amount_label: str = "融資申込額"  # 申込金額 / 借入申込額 / 融資申込額
    employees_label: str = "従業員数"  # or 常時使用する従業員
    start_label: str = "創業年月日"  # or 設立年月日
    money_style: str = "yen"  # amounts on forms: yen 12,000,000円 / man 1,200万円 / sen 12,000千円
    term_in_years: bool = False  # 融資期間 「5年」 instead of 「60か月」
    months_word: str = "か月"  # or ヶ月
    statements_one_file: bool = False  # both 決算書 in one PDF
    consumption_form: str = "sono3_3"  # 納税証明書 その3の3, or "sono1" (a table with 未納税額)
    names: str = "scan"  # file name scheme: scan0001.pdf / doc_01.pdf / IMG_20240512_0001.pdf
    plan_growth_rows: bool = False  # 収支計画書 with 伸び率 rows under the amounts
    nil_dash: bool = False  # a zero in a statement printed as 「−」
    note_marks: bool = False  # 「※1」 note marks beside statement labels
    short_names_on_certs: bool = False  # 「(株)…」 on the certificates instead of 「株式会社…」
    gothic: bool = False  # the whole packet in IPAexGothic instead of IPAexMincho (one font per file keeps PDFs small)


@dataclass(frozen=True)
class Company:
    name: str
    cert_name: str  # the name as a 税務署 prints it (may abbreviate 株式会社 to (株))
    representative: str
    address: str
    capital: int
    employees: int
    industry: str  # 製造業 / 卸売業 / サービス業 / 小売業 / 建設業
    business: str  # 事業内容
    business_start: date
    founded: date  # first day of 第1期 (term numbers count from here)
    fy_end_month: int  # 3 → April–March fiscal years
    manufacturing: bool
    construction: bool
    sales_base: int  # latest year's sales, yen
    bank: str
    pref_tax_office: str  # 福井県税事務所 / 丹南県税事務所 / …
    tax_office: str  # 福井税務署 / 武生税務署 / …
    phone: str


@dataclass(frozen=True)
class Loan:
    amount: int
    term_months: int
    grace_months: int
    use_of_funds: str  # 設備資金 / 運転資金
    equipment: str  # what the money buys
    application_date: date


@dataclass(frozen=True)
class Manufacturing:
    """製造原価報告書."""

    material_items: Items  # 期首材料棚卸高, 当期材料仕入高, 期末材料棚卸高 (the last one subtracted)
    labor_items: Items  # 賃金, 賞与, 法定福利費
    overhead_items: Items  # 外注加工費, 電力費, 減価償却費, 修繕費, 消耗品費, …
    wip_begin: int
    wip_end: int

    @property
    def material(self) -> int:
        (_, begin), (_, bought), (_, end) = self.material_items
        return begin + bought - end

    @property
    def labor(self) -> int:
        return sum(v for _, v in self.labor_items)

    @property
    def overhead(self) -> int:
        return sum(v for _, v in self.overhead_items)

    @property
    def total(self) -> int:  # 当期総製造費用
        return self.material + self.labor + self.overhead

    @property
    def product_cost(self) -> int:  # 当期製品製造原価
        return self.total + self.wip_begin - self.wip_end

    @property
    def depreciation(self) -> int:
        return sum(v for k, v in self.overhead_items if k == "減価償却費")


PERSONNEL_SGA = ("役員報酬", "給料手当", "雑給", "賞与", "法定福利費", "福利厚生費")


@dataclass(frozen=True)
class Period:
    """One fiscal period's 決算書. Amounts are yen, already multiples of the packet's unit."""

    start: date
    end: date
    term: int  # 第N期
    sales: int
    cogs_items: Items  # (期首製品棚卸高, 当期製品製造原価, 期末製品棚卸高) or empty for a single 売上原価 line
    cogs_single: int  # used when cogs_items is empty
    sga: Items
    noi_items: Items
    noe_items: Items
    gain_items: Items
    loss_items: Items
    tax: int
    mfg: Manufacturing | None
    bs: Items  # 貸借対照表 lines, see build_balance_sheet

    @property
    def cogs(self) -> int:
        if not self.cogs_items:
            return self.cogs_single
        (_, begin), (_, made), (_, end) = self.cogs_items
        return begin + made - end

    @property
    def gross(self) -> int:
        return self.sales - self.cogs

    @property
    def sga_total(self) -> int:
        return sum(v for _, v in self.sga)

    @property
    def operating(self) -> int:
        return self.gross - self.sga_total

    @property
    def noi(self) -> int:
        return sum(v for _, v in self.noi_items)

    @property
    def noe(self) -> int:
        return sum(v for _, v in self.noe_items)

    @property
    def ordinary(self) -> int:  # accounting's 経常利益 (with 営業外収益)
        return self.operating + self.noi - self.noe

    @property
    def gains(self) -> int:
        return sum(v for _, v in self.gain_items)

    @property
    def losses(self) -> int:
        return sum(v for _, v in self.loss_items)

    @property
    def pretax(self) -> int:
        return self.ordinary + self.gains - self.losses

    @property
    def net(self) -> int:
        return self.pretax - self.tax

    @property
    def depreciation(self) -> int:
        sga_dep = sum(v for k, v in self.sga if k == "減価償却費")
        return sga_dep + (self.mfg.depreciation if self.mfg else 0)

    @property
    def personnel(self) -> int:
        """人件費 as the 要綱 counts it: the 販管費 personnel lines plus 労務費 (製造原価)."""
        sga = sum(v for k, v in self.sga if k in PERSONNEL_SGA)
        return sga + (self.mfg.labor if self.mfg else 0)


@dataclass(frozen=True)
class PlanYear:
    fiscal_year: int
    sales: int
    operating: int
    personnel: int
    depreciation: int
    noi: int  # 0 unless the plan prints a 営業外収益 row
    noe: int

    @property
    def value_added(self) -> int:
        return self.operating + self.personnel + self.depreciation

    @property
    def ordinary_youkou(self) -> int:
        """経常利益 by the 要綱's note: 営業利益 − 営業外費用."""
        return self.operating - self.noe


@dataclass(frozen=True)
class Plan:
    years: tuple[PlanYear, ...]  # base year first, then 1年目 … 5年目
    noi_row: bool = False  # print 営業外収益 and an accounting 経常利益 (営業利益 + 営業外収益 − 営業外費用)

    def printed_ordinary(self, y: PlanYear) -> int:
        return y.operating + y.noi - y.noe if self.noi_row else y.ordinary_youkou


@dataclass(frozen=True)
class Subsidy:
    doc_no: str
    decision_date: date
    applied_date: date
    approved_date: date  # 認定 of the plan
    project_name: str
    project_cost: int  # 補助事業に要する経費
    eligible_cost: int  # 補助対象経費
    amount: int  # 補助金の額 (交付決定額)


@dataclass(frozen=True)
class TaxCert:
    issue_date: date
    has_arrears: bool = False
    arrears: Items = ()  # (税目, 滞納額) when has_arrears


@dataclass(frozen=True)
class Quote:
    vendor: str
    vendor_address: str
    number: str
    issue_date: date
    items: tuple[tuple[str, int, str, int], ...]  # 品名, 数量, 単位, 単価

    @property
    def subtotal(self) -> int:
        return sum(q * p for _, q, _, p in self.items)

    @property
    def tax(self) -> int:
        return self.subtotal // 10

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


@dataclass(frozen=True)
class JfcPlanYear:
    """One column of the 事業計画書's plan table (日本政策金融公庫 IoT活用融資 ※4). Amounts in yen, round thousands."""

    offset: int  # 0 for the base year, then years after it
    sales: int
    operating: int
    personnel: int
    depreciation: int
    ordinary: int  # 経常利益 as the plan prints it
    employees: int

    @property
    def value_added(self) -> int:
        return self.operating + self.personnel + self.depreciation


@dataclass(frozen=True)
class JfcPlan:
    base_fy: int  # the fiscal year of the base column (the latest period)
    years: tuple[JfcPlanYear, ...]  # base year first
    columns: tuple[int, ...] = (0, 1, 2, 3, 4, 5)  # the offsets printed (0, 3, 5 for a short table)
    heads: bool = True  # print 従業員数 and 一人当たり付加価値額

    @property
    def printed(self) -> tuple[JfcPlanYear, ...]:
        return tuple(y for y in self.years if y.offset in self.columns)


@dataclass(frozen=True)
class Jfc:
    """What a JFC IoT活用融資 application says beyond the common truth."""

    business_unit: str  # 中小企業事業 / 国民生活事業
    programme: str  # the expert programme of ※2 (or another name: not one of them)
    expert_issuer: str  # who signs the evidence of the advice
    funds_detail: str  # 資金の内容 on the 借入申込書
    plan: JfcPlan


@dataclass(frozen=True)
class PacketTruth:
    """Everything a packet says, and which documents it holds."""

    name: str
    why: str
    track: str | None  # "1" / "2": the track the documents make it (None: a program without tracks)
    as_of: date
    company: Company
    loan: Loan
    periods: tuple[Period, ...]  # oldest first; the last two are the packet's 決算書
    plan: Plan
    subsidy: Subsidy
    pref_cert: TaxCert
    consumption_cert: TaxCert
    quote: Quote
    style: Style
    omit: frozenset[str] = frozenset()  # document keys left out of the packet
    layout: str = "files"  # "files" (one document per file), "single" (one PDF), "zip"
    bad_files: bool = False
    seed: int = 0
    program: str = "fukui-iot-ai"
    jfc: Jfc | None = None  # the JFC application's own truth (program jfc-iot)

    @property
    def statements(self) -> tuple[Period, ...]:
        """The 決算書 in the packet (the two latest periods unless one is omitted), oldest first."""
        docs = self.periods[-2:]
        if "statement_older" in self.omit:
            docs = docs[1:]
        return docs


# ---------------------------------------------------------------- builders


def _r(value: float, unit: int) -> int:
    """Round a yen amount to the packet's unit (千円 tables hold whole thousands)."""
    return int(round(value / unit)) * unit


def period_dates(company: Company, fy: int) -> tuple[date, date]:
    """First and last day of the fiscal year that ends in fiscal year ``fy``'s closing month."""
    m = company.fy_end_month
    end_year = fy + 1 if m <= 3 else fy
    end = (date(end_year, m % 12 + 1, 1) if m < 12 else date(end_year + 1, 1, 1)) - timedelta(days=1)
    start = date(end.year - 1, end.month, end.day) + timedelta(days=1) if m != 2 else date(end.year - 1, 3, 1)
    return start, end


def term_number(company: Company, end: date) -> int:
    return end.year - company.founded.year + (0 if end.month < company.founded.month else 1)


def build_periods(company: Company, fys: tuple[int, ...], unit: int, rng: random.Random,
                  loss_fy: int | None = None) -> tuple[Period, ...]:
    """Consecutive periods (oldest first) whose items are multiples of ``unit``; inventories carry over."""
    periods: list[Period] = []
    fg_end = _r(company.sales_base * 0.05, unit)
    wip_end = _r(company.sales_base * 0.02, unit)
    mat_end = _r(company.sales_base * 0.03, unit)
    latest = fys[-1]
    for fy in fys:
        scale = 1.06 ** (fy - latest) * (1 + rng.uniform(-0.01, 0.01))
        s = _r(company.sales_base * scale, unit)

        def part(ratio: float, jitter: float = 0.08) -> int:
            return _r(s * ratio * (1 + rng.uniform(-jitter, jitter)), unit)

        salaries = part(0.075)
        sga: list[tuple[str, int]] = [
            ("役員報酬", _r(18_000_000 * scale, unit)),
            ("給料手当", salaries),
            ("賞与", part(0.012)),
            ("法定福利費", _r(salaries * 0.145, unit)),
            ("福利厚生費", part(0.004)),
            ("旅費交通費", part(0.006)),
            ("通信費", part(0.002)),
            ("減価償却費", part(0.009)),
            ("地代家賃", part(0.011)),
            ("水道光熱費", part(0.003)),
            ("消耗品費", part(0.004)),
            ("支払手数料", part(0.003)),
            ("租税公課", part(0.002)),
            ("雑費", part(0.001)),
        ]
        if company.construction:
            sga.insert(2, ("雑給", part(0.004)))
        sga_total = sum(v for _, v in sga)
        target_op = part(-0.025 if fy == loss_fy else 0.045, 0.2)
        cogs = s - sga_total - target_op
        noi_items = (("受取利息", _r(rng.uniform(2_000, 40_000), unit) or unit),
                     ("受取配当金", _r(rng.uniform(20_000, 90_000), unit)),
                     ("雑収入", part(0.002)))
        noe_items = (("支払利息", part(0.004)), ("雑損失", _r(rng.uniform(10_000, 80_000), unit)))
        gain_items = (("固定資産売却益", _r(rng.uniform(0, 400_000), unit)),)
        loss_items = (("固定資産除却損", part(0.001)),)
        mfg = None
        cogs_items: Items = ()
        if company.manufacturing:
            fg_begin, fg_end = fg_end, part(0.05)
            wip_begin, wip_end = wip_end, part(0.02)
            mat_begin, mat_end = mat_end, part(0.03)
            product_cost = cogs - fg_begin + fg_end
            total_mfg = product_cost - wip_begin + wip_end
            wages = part(0.16)
            labor = (("賃金", wages), ("賞与", part(0.02)), ("法定福利費", _r(wages * 0.145, unit)))
            overhead = [("外注加工費", part(0.06)), ("電力費", part(0.025)), ("減価償却費", part(0.03)),
                        ("修繕費", part(0.008)), ("消耗品費", part(0.01)), ("雑費", part(0.002))]
            material = total_mfg - sum(v for _, v in labor) - sum(v for _, v in overhead)
            bought = material - mat_begin + mat_end
            mfg = Manufacturing(
                material_items=(("期首材料棚卸高", mat_begin), ("当期材料仕入高", bought), ("期末材料棚卸高", mat_end)),
                labor_items=labor, overhead_items=tuple(overhead), wip_begin=wip_begin, wip_end=wip_end)
            cogs_items = (("期首製品棚卸高", fg_begin), ("当期製品製造原価", mfg.product_cost),
                          ("期末製品棚卸高", fg_end))
        p = Period(start=date(1, 1, 1), end=date(1, 1, 1), term=0, sales=s, cogs_items=cogs_items,
                   cogs_single=cogs, sga=tuple(sga), noi_items=noi_items, noe_items=noe_items,
                   gain_items=gain_items, loss_items=loss_items, tax=0, mfg=mfg, bs=())
        tax = max(_r(70_000, unit) or unit, _r(p.pretax * 0.3, unit)) if p.pretax > 0 else (_r(70_000, unit) or unit)
        start, end = period_dates(company, fy)
        p = replace(p, start=start, end=end, term=term_number(company, end), tax=tax)
        periods.append(replace(p, bs=build_balance_sheet(company, p, unit, rng)))
    return tuple(periods)


def build_balance_sheet(company: Company, p: Period, unit: int, rng: random.Random) -> Items:
    """A short 貸借対照表 that balances: 現金及び預金 is the plug."""
    s = p.sales

    def part(ratio: float) -> int:
        return _r(s * ratio * (1 + rng.uniform(-0.1, 0.1)), unit)

    receivable, inventory, other_ca = part(0.16), part(0.08), part(0.01)
    tangible, intangible, invest = part(0.35), part(0.01), part(0.03)
    payable, short_loan, accrued, other_cl = part(0.09), part(0.05), _r(p.tax * 0.6, unit), part(0.02)
    long_loan = part(0.22)
    capital = company.capital
    retained = max(part(0.18), _r(s * 0.05, unit))
    liabilities = payable + short_loan + accrued + other_cl + long_loan
    total = liabilities + capital + retained
    cash = total - (receivable + inventory + other_ca + tangible + intangible + invest)
    if cash < part(0.05):
        retained += part(0.05) - cash
        cash = part(0.05)
        total = liabilities + capital + retained
        cash = total - (receivable + inventory + other_ca + tangible + intangible + invest)
    return (("現金及び預金", cash), ("売掛金", receivable), ("棚卸資産", inventory), ("その他流動資産", other_ca),
            ("有形固定資産", tangible), ("無形固定資産", intangible), ("投資その他の資産", invest),
            ("買掛金", payable), ("短期借入金", short_loan), ("未払法人税等", accrued), ("その他流動負債", other_cl),
            ("長期借入金", long_loan), ("資本金", capital), ("利益剰余金", retained))


def build_plan(base: Period, base_fy: int, unit: int, va_growth: float, ord_growth: float,
               acc_ord_growth: float | None = None) -> Plan:
    """A five-year 収支計画 from the latest period, reaching the given 5th-year growth rates.

    ``va_growth`` is 付加価値額's 5-year growth, ``ord_growth`` 経常利益's by the 要綱 (営業利益 − 営業外費用).
    With ``acc_ord_growth`` the plan also prints 営業外収益 and an accounting 経常利益 growing by that rate.
    """
    op0, pers0, dep0, noe0, noi0 = base.operating, base.personnel, base.depreciation, base.noe, base.noi
    va0 = op0 + pers0 + dep0
    unit = max(unit, 1000)  # planned figures are round thousands even on a 円 form; the base year is actual
    dep5 = _r(dep0 * 1.45, unit)
    noe5 = _r(noe0 * 0.9, unit)
    op5 = _r((op0 - noe0) * (1 + ord_growth) + noe5, unit)
    pers5 = _r(va0 * (1 + va_growth), unit) - op5 - dep5
    sales5 = _r(base.sales * 1.2, unit)
    noi5 = noi0
    if acc_ord_growth is not None:
        noi5 = _r((op0 + noi0 - noe0) * (1 + acc_ord_growth), unit) - op5 + noe5
    years = [PlanYear(fiscal_year=base_fy, sales=base.sales, operating=op0, personnel=pers0, depreciation=dep0,
                      noi=noi0 if acc_ord_growth is not None else 0, noe=noe0)]
    for i in range(1, 6):
        f = i / 5
        years.append(PlanYear(
            fiscal_year=base_fy + i,
            sales=_r(base.sales + (sales5 - base.sales) * f, unit),
            operating=_r(op0 + (op5 - op0) * f, unit),
            personnel=_r(pers0 + (pers5 - pers0) * f, unit),
            depreciation=_r(dep0 + (dep5 - dep0) * f, unit),
            noi=_r(noi0 + (noi5 - noi0) * f, unit) if acc_ord_growth is not None else 0,
            noe=_r(noe0 + (noe5 - noe0) * f, unit),
        ))
    return Plan(years=tuple(years), noi_row=acc_ord_growth is not None)


def build_jfc_plan(base: Period, base_fy: int, employees: int, va: tuple[float, ...], ordinary: tuple[float, ...],
                   heads: tuple[float, ...], columns: tuple[int, ...] = (0, 1, 2, 3, 4, 5),
                   print_heads: bool = True) -> JfcPlan:
    """A five-year plan from the latest period: ``va`` and ``ordinary`` are the growth of 付加価値額 and
    経常利益 over the base year in years 1–5 (0.10 = +10%), ``heads`` the head count's factor in years 0–5.

    Every amount is a round thousand (the table is printed in 千円); 付加価値額 = 営業利益 + 人件費 + 減価償却費
    holds exactly in every year.
    """
    unit = 1000
    dep0 = _r(base.depreciation, unit)
    op0 = _r(base.operating, unit)
    ord0 = _r(base.ordinary, unit)
    pers0 = _r(base.personnel, unit)
    va0 = op0 + pers0 + dep0
    years = [JfcPlanYear(0, _r(base.sales, unit), op0, pers0, dep0, ord0, round(employees * heads[0]))]
    for k in range(1, 6):
        ordinary_k = _r(ord0 * (1 + ordinary[k - 1]), unit)
        operating_k = ordinary_k + op0 - ord0  # 営業外損益 held at the base year's
        dep_k = _r(dep0 * (1 + 0.08 * k), unit)
        value_added_k = _r(va0 * (1 + va[k - 1]), unit)
        years.append(JfcPlanYear(k, _r(base.sales * (1 + 0.03 * k), unit), operating_k,
                                 value_added_k - operating_k - dep_k, dep_k, ordinary_k, round(employees * heads[k])))
    return JfcPlan(base_fy=base_fy, years=tuple(years), columns=columns, heads=print_heads)

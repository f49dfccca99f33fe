"""The documents of a 日本政策金融公庫 IoT活用融資 packet that the 福井県 packets do not have: the 借入申込書
(with 事業区分, 資金使途 and 資金の内容), the evidence of the expert advice of ※2 (one layout per programme), and
the 事業計画書 whose table carries the plan of ※4 (付加価値額, 経常利益, 従業員数 by year, in 千円).

The 見積書 and the 決算書 are the ones in ``forms`` and ``statements``. Each renderer starts its own page.
"""

from __future__ import annotations

from datetime import timedelta

from samples.docs import Jfc, PacketTruth
from samples.layouts.forms import _applicant_block, _d, _m, _term, _title
from samples.layouts.pen import GOTHIC, MINCHO, PAGE_W, Cell, Pen, amount, fiscal_year_label

LEFT = 50.0
RIGHT = PAGE_W - 50.0
WIDTH = RIGHT - LEFT

EXPERT_LAYOUTS = {  # programme → (title, subtitle, signer, recipient label); the issuer is Jfc.expert_issuer
    "スマートものづくり応援隊": ("専門家派遣実績証明書", "スマートものづくり応援隊",
                        "スマートものづくり応援隊拠点　事業責任者　加藤　正", "派遣先企業名"),
    "戦略的CIO育成支援事業": ("専門家の支援を受けたことを証する書類", "ハンズオン支援事業（戦略的CIO育成支援事業）",
                      "経営支援部長　佐々木　亮", "支援先企業名"),
    "ミラサポ専門家派遣": ("専門家派遣実施証明書", "ミラサポ専門家派遣（IT）", "事務局長　田村　恵子", "派遣先企業名"),
    "スマートSMEサポーター": ("IT導入支援実績証明書", "スマートSMEサポーター（認定情報処理支援機関）", "代表取締役　森本　誠",
                       "支援先企業名"),
}
OTHER_LAYOUT = ("支援実績証明書", "経営相談の記録", "チーフコーディネーター　石井　学", "支援先企業名")


def _j(t: PacketTruth) -> Jfc:
    if t.jfc is None:
        raise ValueError(f"packet {t.name} has no JFC application truth")
    return t.jfc


def _tick(on: bool) -> str:
    return "■" if on else "□"


# ---------------------------------------------------------------- 借入申込書


def loan_application(pen: Pen, t: PacketTruth) -> None:
    c, loan, s, j = t.company, t.loan, t.style, _j(t)
    pen.new_page()
    pen.text(LEFT, 50, "IT活用促進資金（IoT活用融資）", 9.5)
    pen.text(RIGHT, 50, f"申込日　{_d(t, loan.application_date)}", 10.5, align="r")
    pen.title(_title(t, "借入申込書"), 92, 18)
    pen.text(LEFT, 128, "日本政策金融公庫　御中", 11)
    y = _applicant_block(pen, t, 156, "申込人")
    pen.text(290, y, "電話", 10.5)
    pen.text(338, y, c.phone, 10.5)
    y = pen.para(LEFT, y + 32, "下記のとおり借入を申し込みます。なお、審査のため必要な書類を提出し、"
                 "専門家から助言・指導を受けた内容を公庫に提供することに同意します。", WIDTH)
    working = "運転" in loan.use_of_funds
    amount_label = ("借入申込額", "借入希望額", "申込金額")[t.seed % 3]
    rows: list[list[Cell | str]] = [
        ["事業区分", Cell(f"{_tick(j.business_unit == '中小企業事業')} 中小企業事業　　"
                         f"{_tick(j.business_unit == '国民生活事業')} 国民生活事業", span=3)],
        ["資本金", _m(t, c.capital), s.employees_label, f"{c.employees}名"],
        ["業種", c.industry, s.start_label, _d(t, c.business_start)],
        ["事業内容", Cell(c.business, span=3)],
        [amount_label, Cell(_m(t, loan.amount), span=3)],
        ["借入期間", _term(t, loan.term_months), "うち据置期間", _term(t, loan.grace_months)],
        ["資金使途", Cell(f"{_tick(not working)} 設備資金　　{_tick(working)} 運転資金", span=3)],
        ["資金の内容", Cell(j.funds_detail, span=3, size=9)],
        ["助言を受けた専門家", Cell(j.programme, span=3)],
    ]
    bottom = pen.table(LEFT, y + 12, [105, 150, 105, 135], rows, 24, size=10)
    pen.text(LEFT, bottom + 24, "※ 土地に係る資金は融資の対象となりません。運転資金は特定の用途に限ります。", 8.5)
    pen.text(LEFT, bottom + 44, "（公庫記入欄）", 9)
    pen.table(LEFT, bottom + 52, [105, 150], [["受付店", ""], ["受付日", ""]], [22, 22], size=9)


# ---------------------------------------------------------------- the evidence of the expert advice (※2)


def expert_support_certificate(pen: Pen, t: PacketTruth) -> None:
    c, j = t.company, _j(t)
    title, subtitle, signer, recipient_label = EXPERT_LAYOUTS.get(j.programme, OTHER_LAYOUT)
    first = t.loan.application_date - timedelta(days=120)
    last = t.loan.application_date - timedelta(days=30)
    pen.new_page()
    pen.text(RIGHT, 50, f"第{300 + t.seed % 600}号", 10, align="r")
    pen.text(RIGHT, 68, _d(t, last + timedelta(days=7)), 10.5, align="r")
    pen.text(PAGE_W / 2, 100, subtitle, 11, GOTHIC, align="c")
    pen.title(_title(t, title) if len(title) <= 12 else title, 128, 17 if len(title) <= 12 else 15)
    rows: list[list[Cell | str]] = [
        [recipient_label, c.name],
        ["所在地", c.address],
        ["代表者", c.representative],
        ["支援事業名", j.programme],
        ["支援期間", f"{_d(t, first)}　～　{_d(t, last)}（3回）"],
        ["支援内容", Cell("IoT導入に関する助言・指導（設備の選定、データ活用の方法、\n導入効果の測定方法、付加価値額の向上計画の策定）",
                          size=9)],
    ]
    y = pen.table(LEFT, 160, [120, 375], rows, [26, 26, 26, 26, 26, 40], size=10.5)
    y = pen.para(LEFT + 10, y + 30, "　上記の企業に対し、専門家による助言・指導を行ったことを証明します。", WIDTH - 10, 11)
    pen.text(RIGHT - 40, y + 30, j.expert_issuer, 11, align="r")
    pen.text(RIGHT - 40, y + 50, signer, 10.5, align="r")
    pen.stamp(RIGHT - 12, y + 40, "印", 12)


# ---------------------------------------------------------------- 事業計画書 (the plan of ※4)


def _year_labels(t: PacketTruth, offsets: tuple[int, ...]) -> list[str]:
    """「基準年度」「1年目」… or fiscal years 「令和5年度」… (chosen per packet)."""
    plan = _j(t).plan
    if t.seed % 2:
        return [fiscal_year_label(plan.base_fy + k, t.style.wareki) for k in offsets]
    return ["基準年度" if k == 0 else f"{k}年目" for k in offsets]


def business_plan(pen: Pen, t: PacketTruth) -> None:
    c, loan, j = t.company, t.loan, _j(t)
    plan = j.plan
    pen.new_page()
    pen.text(RIGHT, 50, _d(t, loan.application_date), 10.5, align="r")
    pen.title(_title(t, "事業計画書"), 88, 17)
    pen.text(PAGE_W / 2, 110, "（IoT活用融資　付加価値額等の向上計画）", 10.5, align="c")
    pen.text(LEFT, 140, f"申込者名　{c.name}", 10.5)
    pen.text(LEFT, 168, "1　IoT導入の概要", 11, GOTHIC)
    y = pen.para(LEFT + 10, 188,
                 f"{loan.equipment}をネットワークに接続し、稼働状況をセンサーで監視して遠隔で把握する。収集したデータを"
                 f"分析して生産計画と保守の時期を最適化し、生産性の向上を図る。導入にあたり{j.programme}の専門家から"
                 "助言・指導を受けた。", WIDTH - 10, 10)
    pen.text(LEFT, y + 12, "2　付加価値額等の計画", 11, GOTHIC)
    pen.text(RIGHT, y + 12, "（単位：千円）", 9.5, align="r")
    years = plan.printed
    head: list[Cell | str] = [Cell("区分", "c")]
    head += [Cell(lab, "c", size=8.5) for lab in _year_labels(t, plan.columns)]
    body: list[tuple[str, list[str]]] = [
        ("売上高", [amount(v.sales, 1000) for v in years]),
        ("営業利益", [amount(v.operating, 1000) for v in years]),
        ("人件費", [amount(v.personnel, 1000) for v in years]),
        ("減価償却費", [amount(v.depreciation, 1000) for v in years]),
        ("付加価値額\n（営業利益＋人件費＋減価償却費）", [amount(v.value_added, 1000) for v in years]),
        ("経常利益", [amount(v.ordinary, 1000) for v in years]),
    ]
    if plan.heads:
        body += [("従業員数（人）", [str(v.employees) for v in years]),
                 ("一人当たり付加価値額", [amount(v.value_added // v.employees // 1000 * 1000, 1000) for v in years])]
    rows: list[list[Cell | str]] = [head]
    heights: list[float] = [22]
    for label, values in body:
        rows.append([Cell(label, size=8 if "\n" in label else 9)] + [Cell(v, "r", size=8.5) for v in values])
        heights.append(30 if "\n" in label else 22)
    if t.style.plan_growth_rows:
        va0, op0 = years[0].value_added, years[0].ordinary
        for label, base, vals in (("付加価値額の伸び率", va0, [v.value_added for v in years]),
                                  ("経常利益の伸び率", op0, [v.ordinary for v in years])):
            rows.append([Cell(label, size=9), Cell("−", "c")]
                        + [Cell(f"{(v - base) / base * 100:.1f}%", "r", size=8.5) for v in vals[1:]])
            heights.append(22)
    col = 60.0 if len(years) > 3 else 100.0
    y = pen.table(LEFT, y + 20, [135] + [col] * len(years), rows, heights, size=9)
    notes = ["（注）付加価値額＝営業利益＋人件費＋減価償却費　一人当たり付加価値額＝付加価値額÷従業員数",
             "　　　基準年度は直近の決算期の実績。"]
    for i, n in enumerate(notes):
        pen.text(LEFT, y + 20 + i * 15, n, 8.5, MINCHO)
    pen.text(LEFT, y + 64, "3　資金計画", 11, GOTHIC)
    rows = [[Cell("内容", "c"), Cell("金額（円）", "c")],
            [loan.equipment, Cell(f"{t.quote.total:,}", "r")],
            ["うち日本政策金融公庫からの借入", Cell(f"{loan.amount:,}", "r")]]
    pen.table(LEFT, y + 74, [330, 165], rows, 20, size=9.5)


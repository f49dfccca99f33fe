"""The form-like documents of a 福井県 IoT・AI等導入支援資金 packet: 融資申込書, the two 納税証明書,
補助金交付決定通知書, the approved plan, 事業計画書, 御見積書, 意見書 and 事業計画承認申請書.

Each renderer starts its own page(s) on the pen and draws from the packet's ground truth only.
"""

from __future__ import annotations

from datetime import date, timedelta

from samples.docs import PacketTruth
from samples.layouts.pen import GOTHIC, MINCHO, PAGE_W, Cell, Pen, fiscal_year_label, fmt_date, money, spaced, yen

LEFT = 50.0
RIGHT = PAGE_W - 50.0
WIDTH = RIGHT - LEFT


def _title(t: PacketTruth, s: str) -> str:
    return spaced(s, t.style.title_sep) if t.style.spaced_titles else s


def _d(t: PacketTruth, d: date) -> str:
    return fmt_date(d, t.style.wareki)


def _m(t: PacketTruth, n: int) -> str:
    return money(n, t.style.money_style)


def _term(t: PacketTruth, months: int) -> str:
    if t.style.term_in_years and months % 12 == 0:
        return f"{months // 12}年"
    return f"{months}{t.style.months_word}"


def _month_end(d: date, months_after: int) -> date:
    y, m = divmod(d.month - 1 + months_after, 12)
    first_of_next = date(d.year + y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _applicant_block(pen: Pen, t: PacketTruth, y: float, label: str = "申込者") -> float:
    """The 所在地 / 名称 / 代表者 block on the right half, with a seal; returns the y below it."""
    c = t.company
    x = 290.0
    pen.text(x - 48, y, label, 10.5)
    for key, value in (("所在地", c.address), ("名称", c.name), ("代表者", c.representative)):
        pen.text(x, y, key, 10.5)
        pen.text(x + 48, y, value, 10.5)
        y += 20
    pen.stamp(RIGHT - 14, y - 28, "印", 11)
    return y


# ---------------------------------------------------------------- 融資申込書


def loan_application(pen: Pen, t: PacketTruth) -> None:
    c, loan, s = t.company, t.loan, t.style
    pen.new_page()
    pen.text(LEFT, 50, "様式第1号-1", 10)
    pen.text(RIGHT, 50, _d(t, loan.application_date), 10.5, align="r")
    pen.title("福井県IoT・AI等導入支援資金", 88, 12, MINCHO)
    pen.title(_title(t, "融資申込書"), 114, 17)
    pen.text(LEFT, 150, "福井県知事　様", 11)
    y = _applicant_block(pen, t, 178)
    pen.text(290, y, "電話", 10.5)
    pen.text(338, y, c.phone, 10.5)
    y = pen.para(LEFT, y + 34, "福井県IoT・AI等導入支援資金要綱に基づき、下記のとおり融資を申し込みます。"
                 "なお、審査のため県および取扱金融機関が必要な情報を相互に提供することに同意します。", WIDTH)
    pen.text(PAGE_W / 2, y + 8, "記", 11, align="c")
    track1 = t.track == "1"
    tick1, tick2 = ("■", "□") if track1 else ("□", "■")
    rows: list[list[Cell | str]] = [
        ["資本金", _m(t, c.capital), s.employees_label, f"{c.employees}名"],
        ["業種", c.industry, s.start_label, _d(t, c.business_start)],
        ["事業内容", Cell(c.business, span=3)],
        [s.amount_label, Cell(_m(t, loan.amount), span=3)],
        ["融資期間", _term(t, loan.term_months), "据置期間", _term(t, loan.grace_months)],
        ["資金使途", Cell(loan.use_of_funds, span=3)],
        ["導入設備", Cell(loan.equipment, span=3)],
        ["融資対象者の区分",
         Cell(f"{tick1} 要綱2(1)　IoT・AI・ロボット等導入促進事業に基づく補助事業を実施した者\n"
              f"{tick2} 要綱2(2)　ふくい産業支援センターの支援を受けて作成した事業計画による者", span=3, size=8.5)],
        ["取扱金融機関", Cell(c.bank, span=3)],
    ]
    heights = [24.0] * len(rows)
    heights[7] = 38.0
    bottom = pen.table(LEFT, y + 20, [105, 150, 105, 135], rows, heights, size=10)
    pen.text(LEFT, bottom + 24, "（県記入欄）", 9)
    pen.table(LEFT, bottom + 32, [105, 150], [["事前確認", ""], ["受付印", ""]], [22, 48], size=9)
    pen.text(RIGHT, bottom + 40, "（裏面に続く）", 9, align="r")

    # 様式第1号-2: the second page of the same form
    pen.new_page()
    pen.text(LEFT, 50, "様式第1号-2", 10)
    pen.title("資金計画および返済計画", 92, 14)
    pen.text(LEFT, 130, f"申込者名　{c.name}", 10.5)
    pen.text(LEFT, 160, "1　所要資金の内訳", 11, GOTHIC)
    q = t.quote
    rows = [[Cell("内容", "c"), Cell("金額（円）", "c")]]
    rows += [[name, Cell(yen(qty * price), "r")] for name, qty, _, price in q.items]
    rows += [["消費税", Cell(yen(q.tax), "r")], [Cell("合計", "c"), Cell(yen(q.total), "r")]]
    y = pen.table(LEFT, 170, [330, 165], rows, 20, size=9.5)
    pen.text(LEFT, y + 30, "2　調達方法", 11, GOTHIC)
    own = max(q.total - loan.amount, 0)
    rows = [[Cell("区分", "c"), Cell("金額（円）", "c")],
            ["本資金からの借入", Cell(yen(loan.amount), "r")],
            ["自己資金", Cell(yen(own), "r")],
            [Cell("合計", "c"), Cell(yen(loan.amount + own), "r")]]
    y = pen.table(LEFT, y + 40, [330, 165], rows, 20, size=9.5)
    pen.text(LEFT, y + 30, "3　返済計画", 11, GOTHIC)
    rows = [["返済方法", "元金均等月賦返済"], ["返済財源", "IoT導入による生産性向上で得られる利益および減価償却費"],
            ["保証の有無", "福井県信用保証協会の保証を希望する"]]
    y = pen.table(LEFT, y + 40, [110, 385], rows, 22, size=9.5)
    pen.text(LEFT, y + 30, "4　添付書類（該当するものに■）", 11, GOTHIC)
    docs = ["県税および消費税の納税証明書", "直近2期分の決算書", "事業計画書（様式第2号）・見積書",
            "収支計画書（様式第4号）"]
    docs += (["補助金交付決定通知書の写し", "認定を受けた事業計画書の写し"] if track1
             else ["意見書（様式第3号）", "事業計画承認申請書（様式第5号）"])
    yy = y + 52
    for i, name in enumerate(docs):
        pen.text(LEFT + 10 + (i % 2) * 250, yy + (i // 2) * 18, f"■ {name}", 9.5)


# ---------------------------------------------------------------- 納税証明書 (県税)


def tax_certificate_prefectural(pen: Pen, t: PacketTruth) -> None:
    c, cert = t.company, t.pref_cert
    name = c.cert_name if t.style.short_names_on_certs else c.name
    pen.new_page()
    pen.text(RIGHT, 50, f"証明番号　第{2000 + t.seed % 900}号", 10, align="r")
    pen.title(_title(t, "納税証明書"), 100, 18)
    rows: list[list[Cell | str]] = [["住所（所在地）", c.address], ["氏名（名称）", f"{name}　{c.representative}"]]
    if not cert.has_arrears:
        rows += [["証明事項", "県税に滞納がないこと"], ["使用目的", "融資申込みのため"]]
        y = pen.table(LEFT, 140, [120, 375], rows, 30, size=10.5)
        pen.text(LEFT + 20, y + 40, "上記のとおり相違ないことを証明します。", 11)
        y += 40
    else:
        rows += [["証明事項", "県税の納付状況"], ["使用目的", "融資申込みのため"]]
        y = pen.table(LEFT, 140, [120, 375], rows, 30, size=10.5)
        label = fiscal_year_label(t.loan.application_date.year - 1, t.style.wareki)
        head = [Cell(h, "c") for h in ("税目", "年度", "税額", "納付済額", "滞納額")]
        body: list[list[Cell | str]] = [head]
        tot = [0, 0, 0]
        for tax_name, unpaid in (("法人県民税", 0),) + tuple(cert.arrears):
            assessed = 180_000 if unpaid == 0 else unpaid * 2
            paid = assessed - unpaid
            tot = [tot[0] + assessed, tot[1] + paid, tot[2] + unpaid]
            body.append([tax_name, Cell(label, "c"), Cell(yen(assessed), "r"), Cell(yen(paid), "r"),
                         Cell(yen(unpaid), "r")])
        body.append([Cell("計", "c"), "", Cell(yen(tot[0]), "r"), Cell(yen(tot[1]), "r"), Cell(yen(tot[2]), "r")])
        y = pen.table(LEFT, y + 24, [110, 95, 100, 95, 95], body, 22, size=10)
        pen.text(LEFT + 20, y + 40, "上記のとおり証明します。", 11)
        y += 40
    pen.text(LEFT + 20, y + 40, _d(t, cert.issue_date), 11)
    pen.text(RIGHT - 60, y + 90, f"福井県{c.pref_tax_office}長", 12, align="r")
    pen.stamp(RIGHT - 25, y + 85, "福井県\n之印", 20)
    pen.text(LEFT, 780, "（注）この証明書は、証明日現在において確認できる県税の納付状況を証明するものです。", 8)


# ---------------------------------------------------------------- 納税証明書 (国税: 消費税)


def tax_certificate_consumption(pen: Pen, t: PacketTruth) -> None:
    c, cert, s = t.company, t.consumption_cert, t.style
    name = c.cert_name if s.short_names_on_certs else c.name
    pen.new_page()
    if s.consumption_form == "sono3_3":
        pen.text(LEFT, 50, "（その３の３）", 10)
        pen.text(RIGHT, 50, f"証明書番号　{24000 + t.seed % 1000}", 10, align="r")
        pen.title(_title(t, "納税証明書"), 100, 18)
        rows: list[list[Cell | str]] = [["住所（納税地）", c.address], ["氏名（名称）", name],
                                        ["代表者氏名", c.representative]]
        y = pen.table(LEFT, 130, [120, 375], rows, 28, size=10.5)
        rows = [["証明を受けようとする税目", "法人税　及び　消費税及地方消費税"]]
        y = pen.table(LEFT, y + 16, [170, 325], rows, 28, size=10.5)
        pen.text(LEFT + 20, y + 36, "上記の税目について、証明日現在において未納の税額はありません。", 11)
        pen.text(LEFT + 20, y + 70, "上記のとおり、相違ないことを証明します。", 11)
        y += 70
    else:
        pen.text(LEFT, 50, "（その１　納付すべき税額等の証明用）", 10)
        pen.title(_title(t, "納税証明書"), 100, 18)
        rows = [["住所（納税地）", c.address], ["氏名（名称）", f"{name}　{c.representative}"]]
        y = pen.table(LEFT, 130, [120, 375], rows, 28, size=10.5)
        # the latest period whose 法定納期限 (two months after it closes) has passed on the issue date
        latest = [p for p in t.periods if _month_end(p.end, 2) < cert.issue_date][-1]
        period = f"自{fmt_date(latest.start, s.wareki)}\n至{fmt_date(latest.end, s.wareki)}"
        due = _month_end(latest.end, 2)
        owed = 3_240_000 + (t.seed % 97) * 10_000
        unpaid = sum(v for _, v in cert.arrears) if cert.has_arrears else 0
        head = [Cell(h, "c", size=8.5) for h in ("年度", "税目", "納付すべき税額", "納付済額", "未納税額", "法定納期限等")]
        body: list[list[Cell | str]] = [head, [
            Cell(period, "c", size=8), Cell("消費税及び\n地方消費税", "c", size=8.5), Cell(yen(owed), "r"),
            Cell(yen(owed - unpaid), "r"), Cell(yen(unpaid), "r"), Cell(fmt_date(due, s.wareki), "c", size=8)]]
        y = pen.table(LEFT, y + 20, [95, 75, 85, 80, 70, 90], body, [24, 40], size=9.5)
        pen.text(LEFT + 20, y + 24, "以下余白", 9)
        pen.text(LEFT + 20, y + 60, "上記のとおり、相違ないことを証明します。", 11)
        y += 60
    pen.text(LEFT + 20, y + 40, _d(t, cert.issue_date), 11)
    pen.text(RIGHT - 60, y + 86, f"{c.tax_office}長", 12, align="r")
    pen.text(RIGHT - 60, y + 106, "財務事務官　北川　誠一", 10.5, align="r")
    pen.stamp(RIGHT - 25, y + 92, "税務\n署長", 20)


# ---------------------------------------------------------------- 補助金交付決定通知書 (track 1)


def subsidy_decision_notice(pen: Pen, t: PacketTruth) -> None:
    c, sub = t.company, t.subsidy
    pen.new_page()
    pen.text(RIGHT, 50, sub.doc_no, 10.5, align="r")
    pen.text(RIGHT, 68, _d(t, sub.decision_date), 10.5, align="r")
    pen.text(LEFT, 100, c.name, 11)
    pen.text(LEFT, 118, f"{c.representative}　様", 11)
    pen.text(RIGHT - 40, 150, "福井県知事", 11, align="r")
    pen.stamp(RIGHT - 15, 146, "知事\n之印", 17)
    pen.title("IoT・AI・ロボット等導入促進事業補助金交付決定通知書", 200, 13.5)
    y = pen.para(LEFT + 10, 240,
                 f"　{_d(t, sub.applied_date)}付けで申請のあったIoT・AI・ロボット等導入促進事業補助金については、"
                 f"金{yen(sub.amount)}円を交付することに決定したので通知します。", WIDTH - 10, 11)
    pen.text(PAGE_W / 2, y + 14, "記", 11, align="c")
    rows: list[list[Cell | str]] = [
        ["1　補助事業の名称", sub.project_name],
        ["2　補助事業に要する経費", f"{yen(sub.project_cost)}円"],
        ["3　補助対象経費", f"{yen(sub.eligible_cost)}円"],
        ["4　補助金の額（交付決定額）", f"{yen(sub.amount)}円"],
        ["5　補助事業の完了予定日", _d(t, sub.decision_date.replace(year=sub.decision_date.year + 1, month=2,
                                                                 day=28))],
        ["6　交付の条件", Cell("福井県補助金等交付規則およびIoT・AI・ロボット等導入促進事業\n補助金交付要綱に定めるところによる。",
                               size=9)],
    ]
    pen.table(LEFT, y + 30, [165, 330], rows, [26, 26, 26, 26, 26, 36], size=10.5)


# ---------------------------------------------------------------- 認定を受けた事業計画書 (track 1)


def approved_plan(pen: Pen, t: PacketTruth) -> None:
    c, sub = t.company, t.subsidy
    pen.new_page()
    pen.text(LEFT, 50, "（別紙）", 10)
    pen.title("IoT・AI・ロボット等導入促進事業", 90, 13)
    pen.title(_title(t, "事業計画書"), 116, 17)
    rows: list[list[Cell | str]] = [
        ["事業者名", c.name], ["所在地", c.address], ["代表者", c.representative],
        ["事業名", sub.project_name],
        ["事業の目的", Cell("生産設備をネットワークに接続し、稼働データを収集・分析することで\n"
                            "段取り時間の短縮と不良率の低減を図る。", size=9.5)],
        ["導入する設備", t.loan.equipment],
        ["事業費", f"{yen(sub.project_cost)}円（うち補助対象経費 {yen(sub.eligible_cost)}円）"],
        ["実施期間", f"{_d(t, sub.decision_date)}　～　"
                     f"{_d(t, sub.decision_date.replace(year=sub.decision_date.year + 1, month=2, day=28))}"],
        ["期待される効果", Cell("設備稼働率の10%向上、不良率の半減、\n月40時間の間接作業時間削減", size=9.5)],
    ]
    y = pen.table(LEFT, 150, [110, 385], rows, [26, 26, 26, 26, 40, 26, 26, 26, 40], size=10)
    pen.text(LEFT + 20, y + 50, "上記計画を認定する。", 12)
    pen.text(LEFT + 20, y + 80, _d(t, sub.approved_date), 11)
    pen.text(RIGHT - 60, y + 110, "福井県知事", 12, align="r")
    pen.stamp(RIGHT - 25, y + 106, "認定", 18)


# ---------------------------------------------------------------- 事業計画書 様式第2号


def business_plan(pen: Pen, t: PacketTruth) -> None:
    c, loan, q = t.company, t.loan, t.quote
    pen.new_page()
    pen.text(LEFT, 50, "様式第2号", 10)
    pen.text(RIGHT, 50, _d(t, loan.application_date), 10.5, align="r")
    pen.title(_title(t, "事業計画書"), 92, 17)
    y = _applicant_block(pen, t, 126, "申請者")
    pen.text(LEFT, y + 20, "1　企業の概要", 11, GOTHIC)
    rows: list[list[Cell | str]] = [
        ["資本金", _m(t, c.capital), "従業員数", f"{c.employees}名"],
        ["業種", c.industry, "主な事業", c.business],
    ]
    y = pen.table(LEFT, y + 28, [80, 150, 80, 185], rows, 22, size=9.5)
    pen.text(LEFT, y + 26, "2　事業計画の概要", 11, GOTHIC)
    y = pen.para(LEFT + 10, y + 46,
                 f"{loan.equipment}を導入し、設備の稼働状況をネットワーク経由で常時監視する。収集したデータを"
                 "分析して段取り替えと保守の時期を最適化し、生産性の向上を図る。設備の価格は添付の見積書のとおり。",
                 WIDTH - 10, 10)
    pen.text(LEFT, y + 14, "3　導入する設備", 11, GOTHIC)
    rows = [[Cell(h, "c") for h in ("設備名", "数量", "金額（円）")]]
    rows += [[name, Cell(f"{qty}{unit}", "c"), Cell(yen(qty * price), "r")] for name, qty, unit, price in q.items]
    rows.append([Cell("合計（税込）", "c"), "", Cell(yen(q.total), "r")])
    y = pen.table(LEFT, y + 22, [300, 60, 135], rows, 20, size=9.5)
    pen.text(LEFT, y + 26, "4　導入による効果", 11, GOTHIC)
    pen.para(LEFT + 10, y + 46, "5年後に付加価値額を基準年度比15%以上、経常利益を5%以上向上させる。"
             "詳細は収支計画書のとおり。", WIDTH - 10, 10)


# ---------------------------------------------------------------- 御見積書 (資金需要を証する書類)


def funding_evidence(pen: Pen, t: PacketTruth) -> None:
    c, q = t.company, t.quote
    pen.new_page()
    pen.text(RIGHT, 50, f"No. {q.number}", 10, align="r")
    pen.text(RIGHT, 66, _d(t, q.issue_date), 10, align="r")
    pen.title(_title(t, "御見積書"), 104, 20, MINCHO)
    pen.text(LEFT, 150, f"{c.name}　御中", 13)
    pen.hline(LEFT, LEFT + 240, 154, 0.8)
    pen.text(330, 180, q.vendor, 11, GOTHIC)
    pen.text(330, 196, q.vendor_address, 9)
    pen.text(330, 210, "TEL 076-231-0000", 9)
    pen.stamp(RIGHT - 10, 190, "社印", 15)
    pen.text(LEFT, 200, "下記のとおり御見積申し上げます。", 10.5)
    pen.box(LEFT, 214, 260, 28, 1.0)
    pen.text(LEFT + 8, 233, "御見積金額", 11)
    pen.text(LEFT + 252, 234, f"¥{yen(q.total)}-（税込）", 13, GOTHIC, align="r", raw=True)
    pen.text(LEFT, 264, "納期：受注後60日　　受渡場所：貴社工場　　有効期限：御見積日より3か月", 9.5)
    rows: list[list[Cell | str]] = [[Cell(h, "c") for h in ("No.", "品名・仕様", "数量", "単位", "単価", "金額")]]
    for i, (name, qty, unit, price) in enumerate(q.items, 1):
        rows.append([Cell(str(i), "c"), name, Cell(str(qty), "r"), Cell(unit, "c"), Cell(yen(price), "r"),
                     Cell(yen(qty * price), "r")])
    rows += [["", Cell("小計", "c"), "", "", "", Cell(yen(q.subtotal), "r")],
             ["", Cell("消費税（10%）", "c"), "", "", "", Cell(yen(q.tax), "r")],
             ["", Cell("合計", "c"), "", "", "", Cell(yen(q.total), "r")]]
    y = pen.table(LEFT, 280, [30, 215, 40, 35, 85, 90], rows, 22, size=9.5)
    pen.text(LEFT, y + 24, "備考：据付・試運転調整費を含みます。", 9)


# ---------------------------------------------------------------- 意見書 様式第3号 (track 2)


def opinion_letter(pen: Pen, t: PacketTruth) -> None:
    c = t.company
    pen.new_page()
    pen.text(LEFT, 50, "様式第3号", 10)
    pen.text(RIGHT, 50, _d(t, t.loan.application_date.replace(day=1)), 10.5, align="r")
    pen.text(LEFT, 90, "福井県知事　様", 11)
    pen.text(RIGHT - 40, 124, "公益財団法人ふくい産業支援センター", 10.5, align="r")
    pen.text(RIGHT - 40, 142, "理事長　大野　和彦", 10.5, align="r")
    pen.stamp(RIGHT - 12, 136, "理事\n長印", 16)
    pen.title(_title(t, "意見書"), 190, 17)
    y = pen.para(LEFT + 10, 226, f"　{c.name}（{c.representative}）が当センターの支援を受けて作成した事業計画について、"
                 "下記のとおり意見を提出します。", WIDTH - 10, 10.5)
    pen.text(PAGE_W / 2, y + 10, "記", 11, align="c")
    rows: list[list[Cell | str]] = [
        ["1　申請者名", c.name],
        ["2　事業計画名", f"IoTを活用した{c.business.split('（')[0]}の生産性向上計画"],
        ["3　支援の内容", Cell("専門家派遣（3回）による設備選定および効果測定方法の助言、\n収支計画の策定支援", size=9.5)],
        ["4　意見", Cell("本計画は、IoTを用いた設備の導入により、5年計画で付加価値額の年率3%\n"
                        "および経常利益の年率1%の向上が見込まれるものと認められる。", size=9.5)],
    ]
    pen.table(LEFT, y + 26, [110, 385], rows, [26, 26, 40, 40], size=10.5)


# ---------------------------------------------------------------- 事業計画承認申請書 様式第5号 (track 2)


def plan_approval_application(pen: Pen, t: PacketTruth) -> None:
    c = t.company
    pen.new_page()
    pen.text(LEFT, 50, "様式第5号", 10)
    pen.text(RIGHT, 50, _d(t, t.loan.application_date.replace(day=8)), 10.5, align="r")
    pen.text(LEFT, 90, "福井県知事　様", 11)
    y = _applicant_block(pen, t, 120, "申請者")
    pen.title(_title(t, "事業計画承認申請書"), y + 40, 16)
    y = pen.para(LEFT + 10, y + 80, "　福井県IoT・AI等導入支援資金要綱2(2)に規定する事業計画について承認を受けたいので、"
                 "関係書類を添えて申請します。", WIDTH - 10, 10.5)
    pen.text(PAGE_W / 2, y + 10, "記", 11, align="c")
    start = t.loan.application_date.replace(day=1)
    end = start.replace(year=start.year + 5) - timedelta(days=1)
    rows: list[list[Cell | str]] = [
        ["1　事業計画の名称", f"IoTを活用した{c.business.split('（')[0]}の生産性向上計画"],
        ["2　計画期間", f"{_d(t, start)}　～　{_d(t, end)}"],
        ["3　導入する設備", t.loan.equipment],
        ["4　添付書類", Cell("事業計画書（様式第2号）、意見書（様式第3号）、\n収支計画書（様式第4号）、見積書の写し", size=9.5)],
    ]
    pen.table(LEFT, y + 26, [120, 375], rows, [26, 26, 26, 40], size=10.5)

"""The forms of a packet other than 決算書 and 事業計画書: 借入申込書 (three layouts), the expert's certificate
(one per programme, and one for a programme that is not in the leaflet), 見積書 (two layouts), 送付状.

Each ``print_*`` draws on a ``Sheet``; the data classes carry what the ground truth needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from samples.holdout_jfc.draw import MINCHO, Sheet, amount, seireki, wareki, zen


@dataclass(frozen=True)
class Applicant:
    name: str
    kana: str
    zip: str
    address: str
    representative: str
    phone: str
    industry: str
    founded: date
    capital: int
    employees: int
    banks: tuple[str, ...]


@dataclass(frozen=True)
class FundItem:
    kind: str          # 設備資金 / 運転資金
    detail: str
    amount: int        # yen, tax included
    payee: str = ""
    when: str = ""
    land: bool = False               # ground truth: money for land (資金使途 excludes it)
    working_kind: str = ""           # ground truth for 運転資金: which of ※3's four kinds, or "other"


@dataclass(frozen=True)
class Loan:
    amount: int
    term_months: int
    grace_months: int
    unit: str                       # 中小企業事業 / 国民生活事業
    items: tuple[FundItem, ...]
    own_funds: int
    applied_on: date
    branch: str
    expert_line: str                # how the form mentions the expert ("" for nothing)
    collateral: str = "なし"

    @property
    def kinds(self) -> list[str]:
        return sorted({i.kind for i in self.items}, key=["設備資金", "運転資金"].index)

    def truth(self, a: Applicant) -> dict[str, object]:
        t: dict[str, object] = {
            "applicant_name": a.name, "address": a.address, "capital": a.capital, "employees": a.employees,
            "industry": a.industry, "business_start_date": a.founded.isoformat(), "loan_amount": self.amount,
            "loan_term_months": self.term_months, "grace_months": self.grace_months,
            "use_of_funds": "・".join(self.kinds), "business_unit": self.unit,
        }
        if len(self.items) == 1:
            t["funds_detail"] = self.items[0].detail
        return t


def _months(m: int, month_word: str = "ヶ月") -> str:
    return f"{m // 12}年" if m % 12 == 0 else f"{m}{month_word}"


# -- 借入申込書 1: a two-page ruled form (中小企業事業) ---------------------------------------------------
def print_loan_grid(sheet: Sheet, a: Applicant, loan: Loan) -> None:
    sheet.text(15, 16, "株式会社日本政策金融公庫　御中", 10)
    sheet.text(195, 16, f"申込日　{wareki(loan.applied_on)}", 9, "right")
    sheet.text(105, 30, "借　入　申　込　書", 18, "center")
    sheet.text(15, 42, "１．申込人の概要", 10.5)
    rows = [["フリガナ", a.kana], ["商号又は名称", a.name], ["本店所在地", f"〒{a.zip}　{a.address}"],
            ["代表者", a.representative], ["電話番号", a.phone], ["業種", a.industry],
            ["設立年月日", wareki(a.founded)], ["資本金", f"{a.capital:,}円"], ["従業員数", f"{a.employees}名"]]
    y = sheet.table(15, 45, [38, 142], rows, row_h=8.0, size=9.5, aligns="ll")
    sheet.text(15, y + 10, "２．お申込みの内容", 10.5)
    term = f"{_months(loan.term_months)}（うち据置期間　{_months(loan.grace_months)}）"
    rows = [["借入申込金額", f"金　{loan.amount:,}　円"], ["借入期間", term],
            ["返済方法", "元金均等返済（毎月）"], ["ご利用の制度", "IT活用促進資金（IoT関連）"],
            ["ご利用事業", loan.unit], ["担保", loan.collateral], ["保証人", f"{a.representative.split('　', 1)[1]}（代表者）"]]
    sheet.table(15, y + 13, [38, 142], rows, row_h=8.0, size=9.5, aligns="ll")
    sheet.text(195, 285, "（1／2）", 8, "right")
    sheet.next_page()
    sheet.text(195, 16, "借入申込書（2／2）", 8, "right")
    sheet.text(105, 28, "資　金　計　画", 15, "center")
    sheet.text(15, 40, "３．資金使途の明細", 10.5)
    body: list[list[str | None]] = [["区分", "内容", "金額（円）", "支払先", "支払予定"]]
    body += [[i.kind, i.detail, f"{i.amount:,}", i.payee, i.when] for i in loan.items]
    total = sum(i.amount for i in loan.items)
    body += [["合計", None, f"{total:,}", "", ""]]
    y = sheet.table(15, 43, [20, 78, 28, 34, 20], body, row_h=9.0, size=8, aligns="llrll", shade_rows=[0])
    sheet.text(15, y + 10, "４．調達方法", 10.5)
    rows = [["当公庫借入", f"{loan.amount:,}円"], ["自己資金", f"{loan.own_funds:,}円"],
            ["合計", f"{loan.amount + loan.own_funds:,}円"]]
    y = sheet.table(15, y + 13, [38, 60], rows, row_h=8.0, size=9.5, aligns="lr")
    if loan.expert_line:
        sheet.text(15, y + 10, "５．IoT導入に係る専門家の助言・指導", 10.5)
        y = sheet.lines(20, y + 17, [loan.expert_line], size=9.5)
    sheet.text(15, y + 10, "６．お取引金融機関", 10.5)
    y = sheet.lines(20, y + 17, ["、".join(a.banks)], size=9.5)
    sheet.text(15, y + 12, "上記のとおり借入を申し込みます。", 10)
    sheet.text(110, y + 24, a.name, 10.5)
    sheet.text(110, y + 31, a.representative, 10.5)
    sheet.text(185, y + 31, "印", 10)
    sheet.text(195, 285, "（2／2）", 8, "right")


# -- 借入申込書 2: 国民生活事業, one page, 万円 ---------------------------------------------------------------
def print_loan_kokumin(sheet: Sheet, a: Applicant, loan: Loan) -> None:
    man = 10_000
    sheet.text(195, 15, "日本政策金融公庫（国民生活事業）", 9, "right")
    sheet.text(195, 21, seireki(loan.applied_on), 9, "right")
    sheet.text(15, 24, f"{loan.branch}支店長　殿", 10.5)
    sheet.text(105, 36, "借入申込書", 18, "center")
    sheet.text(15, 46, "■ お申込人", 10)
    rows = [["お名前（法人名）", a.name], ["本店所在地", a.address], ["代表者", a.representative],
            ["お電話番号", a.phone], ["ご商売の内容（業種）", a.industry], ["設立年月日", wareki(a.founded)],
            ["資本金", f"{a.capital // man:,}万円"], ["従業員", f"{a.employees}人"]]
    y = sheet.table(15, 49, [45, 135], rows, row_h=7.5, size=9.5, aligns="ll", shade_rows=[])
    sheet.text(15, y + 9, "■ お借入のお申込み", 10)
    rows = [["お借入希望額", f"{loan.amount // man:,}　万円"],
            ["ご返済期間", f"{loan.term_months // 12}年（うち据置期間 {loan.grace_months}ヵ月）"
             if loan.term_months % 12 == 0 else f"{loan.term_months}ヵ月（うち据置期間 {loan.grace_months}ヵ月）"],
            ["ご返済方法", "元金均等（毎月）"], ["ご利用予定の制度", "IoT活用融資（IT活用促進資金）"]]
    y = sheet.table(15, y + 12, [45, 135], rows, row_h=7.5, size=9.5, aligns="ll")
    sheet.text(15, y + 9, "■ 資金のお使いみち", 10)
    body: list[list[str | None]] = [["区分", "内容（購入先）", "金額（万円）"]]
    body += [[i.kind, f"{i.detail}（{i.payee}）" if i.payee else i.detail, f"{i.amount // man:,}"] for i in loan.items]
    body += [["合計", None, f"{sum(i.amount for i in loan.items) // man:,}"]]
    y = sheet.table(15, y + 12, [25, 125, 30], body, row_h=8.0, size=8.5, aligns="llr", shade_rows=[0])
    sheet.text(15, y + 6, f"※ 上記のうち自己資金　{loan.own_funds // man:,}万円", 8.5)
    if loan.expert_line:
        sheet.text(15, y + 14, "■ 専門家の支援", 10)
        sheet.text(20, y + 20, loan.expert_line, 9)
        y += 12
    sheet.text(15, y + 16, "■ お取引金融機関　" + "、".join(a.banks), 9.5)
    sheet.text(15, y + 28, "以上のとおり申し込みます。", 9.5)
    sheet.text(110, y + 36, f"{a.name}　{a.representative}　㊞", 10)


# -- 借入申込書 3: typed by an accountant, 明朝, full-width figures, check boxes for the unit ------------------
def print_loan_letter(sheet: Sheet, a: Applicant, loan: Loan) -> None:
    f = MINCHO
    sheet.text(195, 18, zen(seireki(loan.applied_on)), 10, "right", f)
    sheet.text(15, 28, f"日本政策金融公庫　{loan.branch}支店　御中", 10.5, font=f)
    sheet.text(105, 42, "ご 融 資 申 込 書", 17, "center", f)
    sheet.text(15, 54, "下記のとおり融資を申し込みます。", 10, font=f)
    lines = [
        "１．申込者",
        f"　　商　　号　　{a.name}",
        f"　　所 在 地　　〒{zen(a.zip)}　{a.address}",
        f"　　代 表 者　　{a.representative}",
        f"　　業　　種　　{a.industry}",
        f"　　設　　立　　{zen(seireki(a.founded))}",
        f"　　資 本 金　　{zen(f'{a.capital:,}')}円",
        f"　　従業員数　　{zen(str(a.employees))}名",
        "２．お申込内容",
        "　　事業区分　　" + "　".join(("■" if u == loan.unit else "□") + u for u in ("国民生活事業", "中小企業事業")),
        f"　　ご融資希望額　　金{zen(f'{loan.amount:,}')}円",
        f"　　ご返済期間　　{zen(str(loan.term_months))}ヶ月（うち据置期間{zen(str(loan.grace_months))}ヶ月）",
        "　　ご返済方法　　元利均等月賦",
        "３．資金使途",
    ]
    y = sheet.lines(15, 66, lines, size=10, leading=7.2, font=f)
    body: list[list[str | None]] = [["区分", "内容", "金額（円）"]]
    body += [[i.kind, i.detail, zen(f"{i.amount:,}")] for i in loan.items]
    body += [["所要資金合計", None, zen(f"{sum(i.amount for i in loan.items):,}")],
             ["（うち自己資金）", None, zen(f"{loan.own_funds:,}")]]
    y = sheet.table(22, y - 2, [26, 100, 44], body, row_h=8.0, size=9, aligns="llr", font=f)
    tail = ["４．IoT導入に関する専門家の助言", f"　　{loan.expert_line or '（なし）'}",
            "５．お取引金融機関", "　　" + "、".join(a.banks), "", f"　　　　　　　　　　　　　　　{a.name}",
            f"　　　　　　　　　　　　　　　{a.representative}　　印"]
    sheet.lines(15, y + 9, tail, size=10, leading=7.2, font=f)


# -- the expert's certificate ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Expert:
    kind: str              # ouentai / cio / mirasapo / smartsme / other
    programme: str         # the ground truth: one of ※2's four, or the programme the paper names
    issuer: tuple[str, ...]
    expert: str
    period: str
    visits: int
    issued: date
    addressed: str         # the recipient as printed (with its honorific)
    content: tuple[str, ...]


def print_expert(sheet: Sheet, e: Expert, a: Applicant) -> None:
    if e.kind == "ouentai":
        title, intro, closing = ("専門家派遣実施証明書", "スマートものづくり応援隊　専門家派遣事業",
                                 "上記のとおり、スマートものづくり応援隊事業による専門家派遣を実施したことを証明します。")
    elif e.kind == "cio":
        title, intro, closing = ("支援実施報告書", "ハンズオン支援事業（戦略的CIO育成支援事業）",
                                 "上記のとおり、戦略的CIO育成支援事業によるアドバイザー派遣を実施したことを報告します。")
    elif e.kind == "mirasapo":
        title, intro, closing = ("専門家派遣 実施確認書", "ミラサポ専門家派遣事業",
                                 "上記の企業に対し、ミラサポ専門家派遣により専門家を派遣したことを確認します。")
    elif e.kind == "smartsme":
        title, intro, closing = ("ITツール導入支援 実施証明書", "スマートSMEサポーター（認定情報処理支援機関）",
                                 "当社は、スマートSMEサポーターとして上記の支援を行ったことを証明します。")
    else:
        title, intro, closing = ("アドバイザー派遣完了通知書", e.programme,
                                 "上記のとおりアドバイザーの派遣を完了しましたので通知します。")
    font = MINCHO if e.kind in ("cio", "other") else None
    sheet.text(195, 18, wareki(e.issued), 10, "right", font)
    sheet.text(18, 30, e.addressed, 11.5, font=font)
    y = sheet.lines(118, 42, list(e.issuer), size=10, leading=6, font=font)
    sheet.text(105, y + 14, title, 16, "center", font)
    sheet.text(105, y + 23, f"（{intro}）", 10, "center", font)
    rows = [["事業名", intro], ["支援先企業", a.name], ["所在地", a.address], ["派遣専門家", e.expert],
            ["支援期間", e.period], ["派遣回数", f"{e.visits}回"], ["支援内容", "\n".join(e.content)]]
    heights = [9.0] * 6 + [8.0 + 5.0 * len(e.content)]
    y = sheet.table(20, y + 31, [35, 135], rows, row_h=heights, size=9.5, aligns="ll", font=font)
    sheet.lines(20, y + 12, [closing], size=10, font=font)


# -- 見積書 -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quote:
    vendor: tuple[str, ...]
    number: str
    issued: date
    to: str
    subject: str
    lines: tuple[tuple[str, int, str, int], ...]   # 品名, 数量, 単位, 単価 (tax excluded)
    delivery: str

    @property
    def subtotal(self) -> int:
        return sum(q * p for _, q, _, p in self.lines)

    @property
    def tax(self) -> int:
        return self.subtotal // 10

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


def print_quote(sheet: Sheet, q: Quote, style: int) -> None:
    if style == 1:
        sheet.text(105, 24, "御　見　積　書", 18, "center")
        sheet.text(195, 34, f"見積番号　{q.number}", 8.5, "right")
        sheet.text(195, 40, f"見積日　{wareki(q.issued)}", 8.5, "right")
        sheet.text(15, 40, q.to, 12)
        sheet.line(15, 42, 95, 42)
        sheet.lines(15, 52, [f"件名：{q.subject}", f"納期：{q.delivery}", "有効期限：見積日より3ヶ月"], 9)
        sheet.lines(125, 52, list(q.vendor), 9)
        sheet.text(15, 78, "御見積金額（税込）", 11)
        sheet.text(95, 78, f"¥{q.total:,}-", 14, "right")
        sheet.line(15, 80, 95, 80, 1.0)
        rows: list[list[str | None]] = [["No.", "品名・仕様", "数量", "単価", "金額"]]
        rows += [[str(i + 1), n, f"{qty:,}{u}", f"{p:,}", f"{qty * p:,}"]
                 for i, (n, qty, u, p) in enumerate(q.lines)]
        rows += [["", "小計", None, None, f"{q.subtotal:,}"], ["", "消費税（10%）", None, None, f"{q.tax:,}"],
                 ["", "合計", None, None, f"{q.total:,}"]]
        sheet.table(15, 88, [10, 100, 14, 28, 28], rows, row_h=8.5, size=8.5, aligns="clrrr", shade_rows=[0])
    else:
        f = MINCHO
        sheet.text(105, 22, "見　積　書", 18, "center", f)
        sheet.text(15, 36, q.to, 11.5, font=f)
        sheet.text(195, 36, f"No. {q.number}", 9, "right", f)
        sheet.text(195, 42, zen(seireki(q.issued)), 9, "right", f)
        sheet.lines(15, 48, ["下記のとおりお見積り申し上げます。", f"件名　{q.subject}"], 9.5, font=f)
        sheet.lines(125, 50, list(q.vendor), 9, font=f)
        rows = [["品名", "数量", "単価（円）", "金額（円）"]]
        rows += [[n, f"{qty:,}{u}", f"{p:,}", f"{qty * p:,}"] for n, qty, u, p in q.lines]
        y = sheet.table(15, 78, [100, 16, 32, 32], rows, row_h=8.0, size=8.5, aligns="lrrr", font=f)
        rows = [["税抜合計", f"{q.subtotal:,}"], ["消費税等", f"{q.tax:,}"], ["総合計（税込）", f"{q.total:,}"]]
        y = sheet.table(115, y + 4, [36, 44], rows, row_h=8.0, size=9, aligns="lr", font=f)
        sheet.lines(15, y + 10, [f"納入予定：{q.delivery}", "お支払条件：納品後翌月末現金振込"], 9, font=f)


# -- 送付状 -----------------------------------------------------------------------------------------------------
def print_cover(sheet: Sheet, a: Applicant, to: str, sent: date, enclosed: list[tuple[str, str]]) -> None:
    sheet.text(195, 20, wareki(sent), 10, "right")
    sheet.text(18, 32, to, 11)
    sheet.lines(120, 44, [a.name, a.representative, f"TEL {a.phone}"], 10)
    sheet.text(105, 72, "送　付　状", 18, "center")
    sheet.lines(18, 86, ["拝啓　時下ますますご清栄のこととお慶び申し上げます。",
                         "平素は格別のご高配を賜り、厚く御礼申し上げます。",
                         "さて、IoT活用融資のお申込みにあたり、下記の書類をお送りいたしますので、",
                         "ご査収くださいますようお願い申し上げます。", "　　　　　　　　　　　　　　　　　　　　　　　　　　　　　　　　敬具"],
                10.5, leading=7)
    sheet.text(105, 130, "記", 11, "center")
    rows: list[list[str | None]] = [["書類名", "部数"]] + [[n, c] for n, c in enclosed]
    y = sheet.table(40, 138, [100, 30], rows, row_h=8.5, size=10, aligns="lc", shade_rows=[0])
    sheet.text(170, y + 10, "以上", 10.5, "right")

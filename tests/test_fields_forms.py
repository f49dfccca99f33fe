"""extractors.fields (form-like documents): values, and that page and bbox point at the value read.

Each case is a page written as rows of cells (a cell is text, or (text, x) to pin its column);
cells sit 40 pt apart, and the gap reaches the text layer as one space (``gap-space``) or not at all
(``gap-merged``: the normaliser joins Japanese text across a gap, only the boxes keep it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from extractors import nlp
from extractors.fields import extract_fields
from extractors.fields.common import find_labels, labels, segments
from pipeline.model import BBox, Field, Line, Page

Cell = str | tuple[str, float]
Row = str | tuple[Cell, ...]


def _line(cells: tuple[Cell, ...], top: float, sep: str, confidence: float) -> Line:
    text: list[str] = []
    boxes: list[BBox] = []
    x = 50.0
    for k, cell in enumerate(cells):
        content, pinned = (cell, None) if isinstance(cell, str) else cell
        if k:
            start = x + 40.0 if pinned is None else pinned
            if sep:
                text.append(sep)
                boxes.append((x, top, start, top + 10.0))
            x = start
        elif pinned is not None:
            x = pinned
        for ch in content:
            text.append(ch)
            boxes.append((x, top, x + 10.0, top + 10.0))
            x += 10.0
    return Line("".join(text), tuple(boxes), confidence)


def page(rows: list[Row], number: int = 1, sep: str = " ", source: str = "text",
         confidence: float = 1.0) -> Page:
    lines = tuple(_line(r if isinstance(r, tuple) else (r,), 40.0 + 14.0 * i, sep, confidence)
                  for i, r in enumerate(rows))
    return Page("scan0001.pdf", number, source, 595.0, 842.0, lines)  # type: ignore[arg-type]


def assert_points_at(field: Field, pages: list[Page], raw: str) -> None:
    """The field's page and bbox are those of the characters ``raw`` on that page."""
    assert field.raw == raw
    pg = next(p for p in pages if p.number == field.page)
    spans = [line.span_bbox(i, i + len(raw)) for line in pg.lines
             for i in range(len(line.text)) if line.text.startswith(raw, i)]
    assert field.bbox in spans, f"bbox {field.bbox} is not on {raw!r} (candidates {spans})"


# id, document type, rows, {field: (value, raw)}
Case = tuple[str, str, list[Row], dict[str, tuple[Any, str]]]

LOAN: list[Case] = [
    ("loan-label-left-value-right", "loan_application", [
        "融資申込書",
        ("株式会社福井銀行", "御中"),
        ("住所", "〒910-0005 福井県福井市大手3丁目17番1号"),
        ("名称", "株式会社福井精密"),
        ("代表者", "代表取締役 福井太郎"),
        ("資本金", "1,000万円", "従業員数", "25人"),
        ("業種", "金属製品製造業"),
        ("創業年月日", "平成10年4月1日"),
        ("融資申込額", "金15,000,000円"),
        ("融資期間", "5年(うち据置期間6か月)"),
        ("資金使途", "■設備資金", "□運転資金"),
        ("融資対象者", "■(1)補助事業を実施した者", "□(2)センターの支援を受けた者"),
    ], {
        "applicant_name": ("株式会社福井精密", "株式会社福井精密"),
        "address": ("福井県福井市大手3丁目17番1号", "福井県福井市大手3丁目17番1号"),
        "capital": (10_000_000, "1,000万円"),
        "employees": (25, "25人"),
        "industry": ("金属製品製造業", "金属製品製造業"),
        "business_start_date": (date(1998, 4, 1), "平成10年4月1日"),
        "loan_amount": (15_000_000, "金15,000,000円"),
        "loan_term_months": (60, "5年"),
        "grace_months": (6, "6か月"),
        "use_of_funds": ("設備資金", "■設備資金"),
        "track": ("1", "■(1)"),
    }),
    ("loan-colon-western-dates-kanji-amount", "loan_application", [
        "借入申込書",
        "商号又は名称:福井精密工業株式会社",
        "本店所在地:福井県坂井市丸岡町1-2",
        "資本金:3億円",
        "常時使用する従業員数:120名",
        "設立年月日:1985年10月1日",
        "借入申込額:金壱千五百万円",
        "返済期間:60ヶ月",
        "据置期間:なし",
        "資金の使途:IoT設備の導入",
        "□中小企業事業 ■国民生活事業",
    ], {
        "applicant_name": ("福井精密工業株式会社", "福井精密工業株式会社"),
        "address": ("福井県坂井市丸岡町1-2", "福井県坂井市丸岡町1-2"),
        "capital": (300_000_000, "3億円"),
        "employees": (120, "120名"),
        "business_start_date": (date(1985, 10, 1), "1985年10月1日"),
        "loan_amount": (15_000_000, "金壱千五百万円"),
        "loan_term_months": (60, "60ヶ月"),
        "grace_months": (0, "なし"),
        "use_of_funds": ("IoT設備の導入", "IoT設備の導入"),
        "business_unit": ("国民生活事業", "■国民生活事業"),
    }),
    ("loan-label-above-value", "loan_application", [
        "福井県IoT・AI等導入支援資金融資申込書",
        (("資本金", 50.0), ("従業員数", 250.0), ("創業年月日", 400.0)),
        (("10,000千円", 50.0), ("18人", 250.0), ("令和2年6月15日", 400.0)),
        (("融資申込額", 50.0), ("融資期間", 250.0), ("据置期間", 400.0)),
        (("1,500万円", 50.0), ("7年", 250.0), ("6ヶ月", 400.0)),
        "融資対象者 □(1) ☑(2)",
    ], {
        "capital": (10_000_000, "10,000千円"),
        "employees": (18, "18人"),
        "business_start_date": (date(2020, 6, 15), "令和2年6月15日"),
        "loan_amount": (15_000_000, "1,500万円"),
        "loan_term_months": (84, "7年"),
        "grace_months": (6, "6ヶ月"),
        "track": ("2", "☑(2)"),
    }),
    ("loan-declared-unit-and-fullwidth-era", "loan_application", [
        "融資申込書 (単位:千円)",
        ("資本金", "20,000"),
        ("融資申込額", "12,000"),
        ("設立年月", "令和元年7月"),
        ("融資対象者の区分", "(2)"),
    ], {
        "capital": (20_000_000, "20,000"),
        "loan_amount": (12_000_000, "12,000"),
        "business_start_date": (date(2019, 7, 1), "令和元年7月"),
        "track": ("2", "(2)"),
    }),
    ("loan-jfc-honorific-labels", "loan_application", [
        "借入申込書",
        "日本政策金融公庫 御中",
        ("お名前(法人名)", "合同会社若狭データ工房"),
        ("ご住所", "〒917-0069 福井県小浜市小浜白鬚112"),
        ("業種", "情報処理サービス業"),
        ("創業(設立)年月", "平成28年10月"),
        ("お借入希望額", "30,000千円"),
        ("ご返済期間", "10年", "うち据置期間", "1年"),
        ("資金のお使いみち", "IoT機器の購入(設備資金)"),
        "■中小企業事業 □国民生活事業",
    ], {
        "applicant_name": ("合同会社若狭データ工房", "合同会社若狭データ工房"),
        "address": ("福井県小浜市小浜白鬚112", "福井県小浜市小浜白鬚112"),
        "industry": ("情報処理サービス業", "情報処理サービス業"),
        "business_start_date": (date(2016, 10, 1), "平成28年10月"),
        "loan_amount": (30_000_000, "30,000千円"),
        "loan_term_months": (120, "10年"),
        "grace_months": (12, "1年"),
        "use_of_funds": ("IoT機器の購入(設備資金)", "IoT機器の購入(設備資金)"),
        "business_unit": ("中小企業事業", "■中小企業事業"),
    }),
    ("loan-jfc-unit-use-and-detail", "loan_application", [
        "借入申込書",
        "株式会社日本政策金融公庫 御中",
        ("事業区分", "□中小企業事業", "■国民生活事業"),
        ("お名前", "株式会社中部精機"),
        ("借入申込額", "60,000,000円", "借入期間", "10年"),
        ("資金使途", "■設備資金", "□運転資金"),
        ("資金の内容", "新工場用地の取得およびIoT設備の購入"),
    ], {
        "business_unit": ("国民生活事業", "■国民生活事業"),
        "use_of_funds": ("設備資金", "■設備資金"),
        "funds_detail": ("新工場用地の取得およびIoT設備の購入", "新工場用地の取得およびIoT設備の購入"),
        "loan_term_months": (120, "10年"),
        "loan_amount": (60_000_000, "60,000,000円"),
    }),
    ("loan-jfc-working-capital-detail", "loan_application", [
        "借入申込書",
        ("資金使途", "□設備資金", "■運転資金"),
        ("資金使途の内容", "クラウドサービスの利用料(運転資金)"),
    ], {
        "use_of_funds": ("運転資金", "■運転資金"),
        "funds_detail": ("クラウドサービスの利用料(運転資金)", "クラウドサービスの利用料(運転資金)"),
    }),
    ("loan-equipment-row-is-the-funds-detail", "loan_application", [
        "融資申込書",
        ("資金使途", "設備資金"),
        ("導入設備", "IoT対応CNC複合旋盤および稼働監視システム"),
    ], {
        "use_of_funds": ("設備資金", "設備資金"),
        "funds_detail": ("IoT対応CNC複合旋盤および稼働監視システム", "IoT対応CNC複合旋盤および稼働監視システム"),
    }),
    ("loan-track-mark-on-the-line-above-its-label", "loan_application", [
        "融資申込書",
        "■ 要綱2(1) IoT・AI・ロボット等導入促進事業に基づく補助事業を実施した者",
        "融資対象者の区分",
        "□ 要綱2(2) ふくい産業支援センターの支援を受けて作成した事業計画による者",
    ], {"track": ("1", "■ 要綱2(1)")}),
    ("loan-spelling-only-sudachi-knows", "loan_application", [
        "融資申込書",
        ("すえ置き期間", "3か月"),
    ], {"grace_months": (3, "3か月")}),
    ("loan-spaced-labels-okurigana", "loan_application", [
        "融資申込書",
        ("申 込 者 名", "株式会社越前テック"),
        ("融資申し込み額", "8,000,000円"),
        ("据え置き期間", "3か月"),
    ], {
        "applicant_name": ("株式会社越前テック", "株式会社越前テック"),
        "loan_amount": (8_000_000, "8,000,000円"),
        "grace_months": (3, "3か月"),
    }),
]

TAX: list[Case] = [
    ("tax-pref-standalone-date", "tax_certificate_prefectural", [
        "納税証明書",
        ("住所", "福井県福井市大手3-17-1"),
        ("氏名又は名称", "株式会社福井精密"),
        ("証明を受けようとする事項", "県税に滞納がないこと"),
        "上記のとおり相違ないことを証明します。",
        "令和6年5月10日",
        ("福井県福井県税事務所長", "福井花子"),
    ], {
        "taxpayer_name": ("株式会社福井精密", "株式会社福井精密"),
        "issue_date": (date(2024, 5, 10), "令和6年5月10日"),
        "issuer": ("福井県福井県税事務所長", "福井県福井県税事務所長"),
        "has_arrears": (False, "滞納がない"),
    }),
    ("tax-consumption-labelled-western-date", "tax_certificate_consumption", [
        "納税証明書(その3の3)",
        ("氏名(名称)", "福井精密工業株式会社"),
        "消費税及地方消費税について未納の税額はありません。",
        ("証明日", "2024年5月8日"),
        ("福井税務署長", "財務事務官 山田太郎"),
    ], {
        "taxpayer_name": ("福井精密工業株式会社", "福井精密工業株式会社"),
        "issue_date": (date(2024, 5, 8), "2024年5月8日"),
        "issuer": ("福井税務署長", "福井税務署長"),
        "has_arrears": (False, "未納の税額はありません"),
    }),
    ("tax-sono1-column-all-zero", "tax_certificate_consumption", [
        "納税証明書(その1)",
        ("名称", "株式会社福井精密"),
        (("年度", 50.0), ("税目", 120.0), ("納付すべき税額", 220.0), ("未納税額", 400.0)),
        (("令和5年度", 50.0), ("消費税及地方消費税", 120.0), ("3,200,000", 220.0), ("0", 400.0)),
        (("令和4年度", 50.0), ("消費税及地方消費税", 120.0), ("2,900,000", 220.0), ("-", 400.0)),
        "令和6年5月8日",
        "福井税務署長",
    ], {
        "has_arrears": (False, "0"),
        "issue_date": (date(2024, 5, 8), "令和6年5月8日"),
    }),
    ("tax-pref-nested-labels-unpaid-wording", "tax_certificate_prefectural", [
        "県税の納税証明書",
        ("納税者", "住所", "福井県鯖江市新横江2-3-4"),
        ("", "氏名", "株式会社鯖江メガネ工業"),
        ("税目", "法人県民税・法人事業税"),
        "上記の者については、証明日現在において県税の未納がないことを証明します。",
        ("証明日", "令和6年4月30日"),
        "福井県丹南県税事務所長 印",
    ], {
        "taxpayer_name": ("株式会社鯖江メガネ工業", "株式会社鯖江メガネ工業"),
        "issue_date": (date(2024, 4, 30), "令和6年4月30日"),
        "issuer": ("福井県丹南県税事務所長", "福井県丹南県税事務所長"),
        "has_arrears": (False, "未納がない"),
    }),
    ("tax-wrapped-table-rows", "tax_certificate_consumption", [
        "納税証明書",
        (("年度", 50.0), ("税目", 120.0), ("納付すべき税額", 220.0), ("納付済額", 330.0), ("未納税額", 400.0),
         ("法定納期限等", 470.0)),
        (("自2022年4月1日", 50.0), ("消費税及び", 200.0)),
        (("3,530,000", 220.0), ("3,530,000", 330.0), ("0 2023年5月31日", 440.0)),
        (("至2023年3月31日", 50.0), ("地方消費税", 200.0)),
        "以下余白",
        "上記のとおり、相違ないことを証明します。",
        "2024年5月13日",
        "三国税務署長",
    ], {
        "has_arrears": (False, "0"),
        "issue_date": (date(2024, 5, 13), "2024年5月13日"),
        "issuer": ("三国税務署長", "三国税務署長"),
    }),
    ("tax-arrears-stated", "tax_certificate_prefectural", [
        "納税証明書",
        ("氏名", "株式会社福井精密"),
        ("税目", "法人事業税"),
        ("未納税額", "12,300円"),
        "令和6年5月10日 福井県福井県税事務所長",
    ], {
        "has_arrears": (True, "12,300円"),
        "issuer": ("福井県福井県税事務所長", "福井県福井県税事務所長"),
    }),
]

NOTICE: list[Case] = [
    ("notice-addressee-line", "subsidy_decision_notice", [
        ("", ("福産第123号", 400.0)),
        ("", ("令和5年8月1日", 400.0)),
        ("株式会社福井精密", "代表取締役 福井太郎 様"),
        ("", ("福井県知事 杉本達治", 400.0)),
        "令和5年度IoT・AI・ロボット等導入促進事業補助金交付決定通知書",
        "令和5年7月1日付けで申請のあった標記補助金については、金3,000,000円を",
        "交付することに決定したので通知します。",
        "記",
        ("1 補助事業の名称", "生産ラインIoT化事業"),
        ("2 補助事業に要する経費", "9,000,000円"),
        ("3 補助対象経費", "8,000,000円"),
        ("4 補助金の額", "3,000,000円"),
    ], {
        "recipient_name": ("株式会社福井精密", "株式会社福井精密"),
        "decision_date": (date(2023, 8, 1), "令和5年8月1日"),
        "project_name": ("生産ラインIoT化事業", "生産ラインIoT化事業"),
        "project_cost": (9_000_000, "9,000,000円"),
        "subsidy_amount": (3_000_000, "3,000,000円"),
    }),
    ("notice-two-line-addressee-phrase-amount", "subsidy_decision_notice", [
        "2023年9月15日",
        "福井精密工業株式会社",
        "代表取締役 福井太郎 殿",
        "補助金交付決定通知書",
        "2023年8月1日付けで申請のあった補助金は、金2,500,000円を交付することに決定した。",
        ("補助事業名", "検査工程AI導入"),
        ("補助事業に要する経費の額", "金7,500,000円"),
    ], {
        "recipient_name": ("福井精密工業株式会社", "福井精密工業株式会社"),
        "decision_date": (date(2023, 9, 15), "2023年9月15日"),
        "project_name": ("検査工程AI導入", "検査工程AI導入"),
        "project_cost": (7_500_000, "金7,500,000円"),
        "subsidy_amount": (2_500_000, "金2,500,000円"),
    }),
]

NOTICE.append(("notice-labelled-table-spaced-yen", "subsidy_decision_notice", [
    "IoT・AI・ロボット等導入促進事業補助金の交付決定について(通知)",
    ("文書番号", "新産第45号"),
    ("交付決定日", "令和5年10月2日"),
    ("補助事業者名", "株式会社越前ロジテック"),
    ("補助事業名", "倉庫管理AIシステム導入"),
    ("補助事業に要する経費", "金 12,000,000 円"),
    ("交付決定額", "金 4,000,000 円"),
], {
    "recipient_name": ("株式会社越前ロジテック", "株式会社越前ロジテック"),
    "decision_date": (date(2023, 10, 2), "令和5年10月2日"),
    "project_name": ("倉庫管理AIシステム導入", "倉庫管理AIシステム導入"),
    "project_cost": (12_000_000, "金 12,000,000 円"),
    "subsidy_amount": (4_000_000, "金 4,000,000 円"),
}))
NOTICE.append(("notice-enumerated-rows-wrapped-amount", "subsidy_decision_notice", [
    "新産第321号",
    "令和5年9月15日",
    "株式会社福井精密工業",
    "代表取締役山田一郎様",
    "IoT・AI・ロボット等導入促進事業補助金交付決定通知書",
    "令和5年8月1日付けで申請のあった補助金については、金4,8",
    "33,000円を交付することに決定したので通知します。",
    ("4 補助金の額(交付決定額)", "4,833,000円"),
    ("5 補助事業の完了予定日", "令和6年2月28日"),
], {
    "recipient_name": ("株式会社福井精密工業", "株式会社福井精密工業"),
    "decision_date": (date(2023, 9, 15), "令和5年9月15日"),
    "subsidy_amount": (4_833_000, "4,833,000円"),
}))

PLANS: list[Case] = [
    ("business-plan-labelled", "business_plan", [
        "様式第2号", "事業計画書", ("申請者名", "株式会社福井精密"), "ふくい産業支援センターの支援を受けて作成した。",
    ], {"applicant_name": ("株式会社福井精密", "株式会社福井精密")}),
    ("approved-plan-company-only", "approved_plan", [
        "IoT・AI・ロボット等導入促進事業 事業計画書", ("株式会社福井銀行", "御中"), ("", "有限会社越前加工"),
    ], {"applicant_name": ("有限会社越前加工", "有限会社越前加工")}),
    ("opinion-not-the-center", "opinion_letter", [
        "様式第3号", "意見書", ("福井県知事", "様"), ("公益財団法人ふくい産業支援センター", "理事長 山田一郎"),
        "下記の事業者の事業計画について、次のとおり意見を述べます。", ("1 事業者名", "株式会社福井精密"),
    ], {"applicant_name": ("株式会社福井精密", "株式会社福井精密"),
        "issuer": ("公益財団法人ふくい産業支援センター", "公益財団法人ふくい産業支援センター")}),
    ("plan-approval-not-the-governor", "plan_approval_application", [
        "様式第5号", "事業計画承認申請書", ("福井県知事", "様"),
        ("申請者", "住所", "福井県福井市大手3-17-1"), ("", "名称", "株式会社福井精密"),
        "事業計画の承認を申請します。",
    ], {"applicant_name": ("株式会社福井精密", "株式会社福井精密")}),
]

FUNDING: list[Case] = [
    ("quote-headline-and-total-agree", "funding_evidence", [
        "御見積書",
        ("株式会社福井精密", "御中"),
        ("", ("北陸機械株式会社", 350.0)),
        ("御見積金額", "¥16,500,000-", "(税込)"),
        ("品名", "数量", "単価", "金額"),
        ("IoTセンサー", "10", "500,000", "5,000,000"),
        ("小計", "15,000,000"),
        ("消費税", "1,500,000"),
        ("合計", "16,500,000"),
    ], {
        "total_amount": (16_500_000, "¥16,500,000"),
        "vendor": ("北陸機械株式会社", "北陸機械株式会社"),
    }),
    ("quote-tax-included-line-wins", "funding_evidence", [
        "見積書",
        ("見積者", "株式会社ミライ制御"),
        ("合計(税抜)", "2,000,000円"),
        ("税込合計", "2,200,000円"),
    ], {
        "total_amount": (2_200_000, "2,200,000円"),
        "vendor": ("株式会社ミライ制御", "株式会社ミライ制御"),
    }),
    ("order-total-row-with-quantity", "funding_evidence", [
        "注文書",
        ("合計", "1式", "3,300,000円"),
    ], {"total_amount": (3_300_000, "3,300,000円")}),
]

EXPERT: list[Case] = [
    ("expert-named-programme-addressee", "expert_support_certificate", [
        "専門家派遣実績証明書",
        ("株式会社福井精密", "様"),
        "貴社に対し、スマートものづくり応援隊の専門家を派遣したことを証明します。",
        ("一般財団法人福井県産業振興財団", "スマートものづくり応援隊拠点"),
    ], {
        "programme": ("スマートものづくり応援隊", "スマートものづくり応援隊"),
        "recipient_name": ("株式会社福井精密", "株式会社福井精密"),
    }),
    ("expert-ticked-list", "expert_support_certificate", [
        "支援実績証明書",
        ("支援先企業名", "合同会社越前IoT"),
        "□スマートものづくり応援隊 □戦略的CIO育成支援事業",
        "■ミラサポ専門家派遣 □スマートSMEサポーター",
    ], {
        "programme": ("ミラサポ専門家派遣", "■ミラサポ"),
        "recipient_name": ("合同会社越前IoT", "合同会社越前IoT"),
    }),
]

EXPERT += [
    ("expert-dispatch-record-with-labels", "expert_support_certificate", [
        "スマートものづくり応援隊",
        "専門家派遣実績証明書",
        ("派遣先企業名", "株式会社中部精機"),
        ("所在地", "愛知県名古屋市中川区富田町千音寺2丁目10番地"),
        ("支援内容", "IoT導入に関する助言・指導(3回)"),
        "上記のとおり、専門家による助言・指導を行ったことを証明します。",
        ("公益財団法人あいち産業振興機構", "スマートものづくり応援隊拠点"),
    ], {
        "programme": ("スマートものづくり応援隊", "スマートものづくり応援隊"),
        "recipient_name": ("株式会社中部精機", "株式会社中部精機"),
    }),
    ("expert-other-programme-by-its-label", "expert_support_certificate", [
        "支援実績証明書",
        ("支援先企業名", "株式会社なにわデータサービス"),
        ("支援事業名", "よろず支援拠点(経営相談)"),
        ("支援内容", "IoT導入に関する助言"),
    ], {
        "programme": ("よろず支援拠点(経営相談)", "よろず支援拠点(経営相談)"),
        "recipient_name": ("株式会社なにわデータサービス", "株式会社なにわデータサービス"),
    }),
    ("expert-sme-supporter", "expert_support_certificate", [
        "支援実績証明書",
        ("株式会社なにわデータ", "御中"),
        "当社はスマートSMEサポーター(認定情報処理支援機関)として、貴社のIoT導入について助言を行いました。",
        ("株式会社関西ITサポート", "代表取締役 山本一郎"),
    ], {
        "programme": ("スマートSMEサポーター", "SMEサポーター"),
        "recipient_name": ("株式会社なにわデータ", "株式会社なにわデータ"),
    }),
]

# JFC forms whose 資金使途 is a table (区分 | 内容 | 金額) under a heading: the kinds come from the 区分 column,
# never the column header; the 内容 of every row is the detail (so a land item is never lost).
FUNDS_TABLES: list[Case] = [
    ("loan-funds-table-two-kinds", "loan_application", [
        "借入申込書",
        ("商号又は名称", "株式会社加賀精工"),
        ("ご利用事業", "中小企業事業"),
        "3.資金使途の明細",
        ("区分", "内容", "金額(円)"),
        ("設備資金", "IoT対応複合加工機", "99,000,000"),
        ("運転資金", "クラウド利用料", "6,600,000"),
        ("合計", "105,600,000"),
    ], {
        "use_of_funds": ("設備資金・運転資金", "設備資金"),
        "funds_detail": ("IoT対応複合加工機、クラウド利用料", "IoT対応複合加工機"),
        "business_unit": ("中小企業事業", "中小企業事業"),
    }),
    ("loan-funds-table-one-row", "loan_application", [
        "ご融資申込書",
        ("商号", "株式会社鳴門テキスタイル"),
        "3.資金使途",
        ("区分", "内容", "金額(円)"),
        ("運転資金", "原材料(綿糸)の仕入資金", "20,000,000"),
        ("所要資金合計", "20,000,000"),
    ], {
        "use_of_funds": ("運転資金", "運転資金"),
        "funds_detail": ("原材料(綿糸)の仕入資金", "原材料(綿糸)の仕入資金"),
    }),
    ("loan-funds-table-land-row-kept", "loan_application", [
        "借入申込書",
        ("お名前(法人名)", "株式会社ひだ木工"),
        "■ 資金のお使いみち",
        ("区分", "内容(購入先)", "金額(万円)"),
        ("設備資金", "木材乾燥機", "3,080"),
        ("設備資金", "新工場用地の取得", "2,400"),
        ("合計", "5,480"),
    ], {
        "use_of_funds": ("設備資金", "設備資金"),
        "funds_detail": ("木材乾燥機、新工場用地の取得", "木材乾燥機"),
    }),
    ("expert-programme-not-in-the-leaflet", "expert_support_certificate", [
        "アドバイザー派遣完了通知書",
        ("事業名", "IoT導入アドバイザー派遣事業"),
        ("支援先企業", "有限会社秋田フラワーガーデン"),
        ("所在地", "秋田県秋田市山王臨海町3番22号"),
    ], {
        "programme": ("IoT導入アドバイザー派遣事業", "IoT導入アドバイザー派遣事業"),
        "recipient_name": ("有限会社秋田フラワーガーデン", "有限会社秋田フラワーガーデン"),
    }),
    ("plan-applicant-label-glued-to-the-name", "business_plan", [
        "事業計画書",
        "申込人株式会社みなと産業資材",
    ], {
        "applicant_name": ("株式会社みなと産業資材", "株式会社みなと産業資材"),
    }),
]

CASES = LOAN + TAX + NOTICE + PLANS + FUNDING + EXPERT + FUNDS_TABLES


@pytest.mark.parametrize("doc_type,rows,expected", [(t, r, e) for _, t, r, e in CASES],
                         ids=[i for i, _, _, _ in CASES])
@pytest.mark.parametrize("sep", [" ", ""], ids=["gap-space", "gap-merged"])
def test_fields(doc_type: str, rows: list[Row], expected: dict[str, tuple[Any, str]], sep: str) -> None:
    pages = [page(rows, number=2, sep=sep)]
    fields = extract_fields(doc_type, pages)
    for name, (value, raw) in expected.items():
        assert name in fields, f"{name} not read"
        f = fields[name]
        assert f.value == value, f"{name}: {f.value!r} != {value!r}"
        assert f.page == 2
        assert f.source == "text"
        assert f.confidence >= 0.7, f"{name}: confidence {f.confidence}"
        assert_points_at(f, pages, raw)


@pytest.mark.parametrize("sep, raw", [(" ", "金 150,000,000"), ("", "金150,000,000")], ids=["gap-space", "gap-merged"])
def test_amount_in_the_blank_after_a_printed_kin(sep: str, raw: str) -> None:
    """「借入申込金額 | 金 | 150,000,000 | 円」: the form's 金 stands in a cell of its own before the amount."""
    pages = [page(["借入申込書", ("借入申込金額", "金", "150,000,000", "円")], sep=sep)]
    field = extract_fields("loan_application", pages)["loan_amount"]
    assert (field.value, field.raw) == (150_000_000, raw)
    assert field.confidence >= 0.8


@pytest.mark.parametrize("programme, doubtful", [
    ("IoT導入アドバイザー派遣事業", False),  # none of the four, nowhere near one: as sure as its reading
    ("よろず支援拠点(経営相談)", False),
    ("スマートものづくリ応援隊", True),  # 「り」 read 「リ」: the pattern misses it, but it is near 応援隊
    ("スマートSMEサポ一タ一", True),  # 「ー」 read 「一」
])
def test_other_programme_on_a_scan_is_doubtful_only_near_one_of_the_four(programme: str, doubtful: bool) -> None:
    pages = [page(["支援実施報告書", ("事業名", programme), ("支援先企業", "株式会社中部精機")],
                  source="ocr", confidence=0.9)]
    field = extract_fields("expert_support_certificate", pages)["programme"]
    assert field.value == programme
    assert (field.confidence < 0.8) == doubtful, field.confidence


def test_fields_on_a_later_page_point_at_that_page() -> None:
    pages = [page(["融資申込書", ("名称", "株式会社福井精密")], number=1),
             page(["様式第1号-2", ("融資申込額", "1,500万円")], number=2)]
    fields = extract_fields("loan_application", pages)
    assert (fields["applicant_name"].page, fields["loan_amount"].page) == (1, 2)
    assert_points_at(fields["loan_amount"], pages, "1,500万円")


CONFLICTS: list[tuple[str, str, list[Row], str]] = [
    ("loan-two-amounts", "loan_application",
     ["融資申込書", ("融資申込額", "1,500万円"), ("申込金額", "1,000万円")], "loan_amount"),
    ("notice-label-vs-phrase", "subsidy_decision_notice",
     ["交付決定通知書", "金3,000,000円を交付することに決定したので通知します。", ("補助金の額", "2,000,000円")],
     "subsidy_amount"),
    ("tax-phrase-vs-amount", "tax_certificate_prefectural",
     ["納税証明書", "県税に滞納がないことを証明します。", ("未納税額", "5,000円")], "has_arrears"),
    ("expert-untick-list", "expert_support_certificate",
     ["証明書", "スマートものづくり応援隊 戦略的CIO育成支援事業 ミラサポ スマートSMEサポーター"], "programme"),
]


@pytest.mark.parametrize("doc_type,rows,name", [(t, r, n) for _, t, r, n in CONFLICTS],
                         ids=[i for i, _, _, _ in CONFLICTS])
def test_doubtful_read_lowers_confidence(doc_type: str, rows: list[Row], name: str) -> None:
    fields = extract_fields(doc_type, [page(rows)])
    assert name in fields
    assert fields[name].confidence < 0.8


ABSENT: list[tuple[str, str, list[Row], str]] = [
    ("tax-no-statement-no-amount", "tax_certificate_prefectural",
     ["納税証明書", ("氏名", "株式会社福井精密"), "令和6年5月10日"], "has_arrears"),
    ("loan-untouched-tick-list", "loan_application", ["融資申込書", ("資金使途", "□設備資金", "□運転資金")], "use_of_funds"),
    ("loan-no-track-mark", "loan_application", ["融資申込書", "融資対象者 □(1) □(2)"], "track"),
    ("loan-applicant-is-not-the-bank", "loan_application", ["融資申込書", ("株式会社福井銀行", "御中")], "applicant_name"),
    ("opinion-center-is-not-applicant", "opinion_letter", ["意見書", ("公益財団法人ふくい産業支援センター", "理事長")],
     "applicant_name"),
]


@pytest.mark.parametrize("doc_type,rows,name", [(t, r, n) for _, t, r, n in ABSENT],
                         ids=[i for i, _, _, _ in ABSENT])
def test_missing_value_is_absent(doc_type: str, rows: list[Row], name: str) -> None:
    assert name not in extract_fields(doc_type, [page(rows)])


def test_ocr_source_and_line_confidence_carry_into_the_field() -> None:
    pages = [page(["融資申込書", ("融資申込額", "1,500万円")], source="ocr", confidence=0.8)]
    f = extract_fields("loan_application", pages)["loan_amount"]
    assert f.source == "ocr"
    assert f.confidence <= 0.8


def test_recipient_without_legal_form_uses_ginza() -> None:
    pages = [page(["令和5年8月1日", "越前商店 越前花子 様", "補助金交付決定通知書"], sep="")]
    f = extract_fields("subsidy_decision_notice", pages)["recipient_name"]
    assert "越前商店" in f.value
    assert f.confidence < 0.8


@pytest.mark.parametrize("doc_type", ["unknown", "loan_application"])
def test_no_pages_no_fields(doc_type: str) -> None:
    assert extract_fields(doc_type, []) == {}


COMPANIES = [
    ("prefix-form", "株式会社福井精密", "株式会社福井精密"),
    ("suffix-form", "福井精密工業株式会社", "福井精密工業株式会社"),
    ("representative-cut", "株式会社福井精密代表取締役福井太郎", "株式会社福井精密"),
    ("address-before-name", "福井県福井市大手3-1-1株式会社福井精密", "株式会社福井精密"),
    ("branch-after-name", "北陸機械株式会社営業部", "北陸機械株式会社"),
    ("abbreviated", "(株)福井精密", "(株)福井精密"),
    ("space-after-legal-form", "株式会社 福井テック", "株式会社 福井テック"),
    ("space-before-branch", "北陸機械株式会社 営業部", "北陸機械株式会社"),
    ("fiscal-term-after-name", "株式会社やまびこ庵第8期", "株式会社やまびこ庵"),
]


@pytest.mark.parametrize("rows", [
    pytest.param(["借入申込書", "資金使途", ("区分", "内容(購入先)", "金額(万円)"), ("合計", "3,410")], id="header-below"),
    pytest.param(["借入申込書", ("資金使途", "区分"), ("内容", "金額")], id="header-beside"),
    pytest.param(["借入申込書", ("資金の内容", "内容(購入先)")], id="detail-header"),
])
def test_a_column_header_is_never_the_use_of_funds(rows: list[Row]) -> None:
    fields = extract_fields("loan_application", [page(rows)])
    assert "use_of_funds" not in fields, fields.get("use_of_funds")
    assert "funds_detail" not in fields, fields.get("funds_detail")


@pytest.mark.parametrize("label", ["ご利用事業", "事業区分", "利用事業"])
def test_labelled_business_unit_is_confident(label: str) -> None:
    fields = extract_fields("loan_application", [page(["借入申込書", (label, "国民生活事業")])])
    assert fields["business_unit"].value == "国民生活事業"
    assert fields["business_unit"].confidence >= 0.8


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in COMPANIES], ids=[i for i, *_ in COMPANIES])
def test_company_name_keeps_its_legal_form(text: str, expected: str) -> None:
    pages = [page(["融資申込書", ("名称", text)])]
    f = extract_fields("loan_application", pages)["applicant_name"]
    assert f.value == expected
    assert_points_at(f, pages, expected)


SEGMENTS: list[tuple[str, tuple[str, ...], str, list[str]]] = [
    ("space-gap", ("資本金", "1,000万円"), " ", ["資本金", "1,000万円"]),
    ("merged-gap", ("資本金", "1,000万円"), "", ["資本金", "1,000万円"]),
    ("one-cell", ("株式会社 福井精密",), " ", ["株式会社 福井精密"]),
]


@pytest.mark.parametrize("cells,sep,expected", [(c, s, e) for _, c, s, e in SEGMENTS],
                         ids=[i for i, *_ in SEGMENTS])
def test_segments(cells: tuple[str, ...], sep: str, expected: list[str]) -> None:
    line = _line(cells, 40.0, sep, 1.0)
    assert [line.text[a:b] for a, b in segments(line)] == expected


# -- extractors.nlp: the label matching every extractor relies on ---------------------------------------
KEYS = [
    ("okurigana", "融資申し込み書", "融資申込書"),
    ("or-kana", "氏名または名称", "氏名又は名称"),
    ("and-kana", "消費税および地方消費税", "消費税及地方消費税"),
    ("kana-spelling", "すえ置き期間", "据置期間"),
    ("old-kanji", "年令", "年齢"),
]


@pytest.mark.parametrize("a,b", [(a, b) for _, a, b in KEYS], ids=[i for i, _, _ in KEYS])
def test_normalized_form_key_unifies_variants(a: str, b: str) -> None:
    assert nlp.normalized_form_key(a) == nlp.normalized_form_key(b)


def test_normalized_form_key_keeps_different_labels_apart() -> None:
    assert nlp.normalized_form_key("資本金") != nlp.normalized_form_key("従業員数")


TOLERANT = [
    ("okurigana", "融資申込額", "融資申し込み額", True),
    ("spaced", "融資申込額", "融 資 申 込 額", True),
    ("or", "氏名又は名称", "氏名または名称", True),
    ("honorific", "御見積書", "お見積書", True),
    ("other-label", "融資申込額", "資本金", False),
]


@pytest.mark.parametrize("name,text,hit", [(n, t, h) for _, n, t, h in TOLERANT],
                         ids=[i for i, *_ in TOLERANT])
def test_label_pattern(name: str, text: str, hit: bool) -> None:
    assert bool(nlp.label_pattern(name).search(text)) is hit


# A label must not end inside the form's own longer label: 「申込者名」 matching 「申込者の名」 of 「申込者の名称」
# left 「称」 as the applicant's name. (id, rows with the applicant's row, the name, its raw characters)
APPLICANT_ROWS: list[tuple[str, list[Row], str]] = [
    ("two-column-shaded-label-cells", [
        "福井県IoT・AI等導入支援資金融資申込書",
        (("申込者の名称", 59.0), ("株式会社奥越建設", 209.0)),
        (("代表者の役職・氏名", 59.0), ("代表取締役 清水大輔", 209.0)),
        (("資本金の額", 59.0), ("2,000万円", 209.0)),
    ], "株式会社奥越建設"),
    ("word-only-sudachi-ends-representative-first", [
        "借入申込書",
        ("代表者役職氏名", "代表取締役社長 山田花子"),
        ("申込者の名前", "有限会社若狭テック"),
        ("お申込金額", "700万円"),
    ], "有限会社若狭テック"),
    ("name-label-tail-then-sole-proprietor", [
        "融資申込書",
        ("申込人名義", "越前屋商店"),
        ("住所", "福井県越前市府中1-2-3"),
    ], "越前屋商店"),
]


@pytest.mark.parametrize("rows,name", [(r, n) for _, r, n in APPLICANT_ROWS],
                         ids=[i for i, *_ in APPLICANT_ROWS])
@pytest.mark.parametrize("sep", [" ", ""], ids=["gap-space", "gap-merged"])
def test_applicant_label_is_read_to_its_end(rows: list[Row], name: str, sep: str) -> None:
    pages = [page(rows, sep=sep)]
    f = extract_fields("loan_application", pages)["applicant_name"]
    assert f.value == name
    assert_points_at(f, pages, name)
    assert f.confidence >= 0.8, f"confidence {f.confidence}: the representative's row read as another name?"


LABEL_ENDS = [  # (id, label names, line, the label as found)
    ("widened-over-a-longer-match", ("申込者名", "名称"), "申込者の名称 株式会社奥越建設", "申込者の名称"),
    ("widened-to-sudachi-word-end", ("申込者名",), "申込者の名前 株式会社奥越建設", "申込者の名前"),
    ("project-name-label", ("補助事業名",), "補助事業の名称 生産ラインIoT化事業", "補助事業の名称"),
    ("proper-noun-value-kept", ("氏名",), "氏名福井太郎", "氏名"),
    ("era-value-kept", ("設立",), "設立平成7年11月1日", "設立"),
    ("legal-form-value-kept", ("名称",), "名称株式会社福井精密", "名称"),
    ("common-noun-value-kept", ("業種",), "業種製造業", "業種"),
]


@pytest.mark.parametrize("names,text,found", [(n, t, f) for _, n, t, f in LABEL_ENDS],
                         ids=[i for i, *_ in LABEL_ENDS])
def test_label_ends_on_a_word_boundary(names: tuple[str, ...], text: str, found: str) -> None:
    cells = list(find_labels([page([text])], labels(*names)))
    assert [c.text for c in cells] == [found]


def test_key_prefix_length() -> None:
    assert nlp.key_prefix_length("すえ置き期間6か月", nlp.normalized_form_key("据置期間")) == len("すえ置き期間")
    assert nlp.key_prefix_length("資本金1,000万円", nlp.normalized_form_key("据置期間")) is None


# ---------------------------------------------------------------- a business plan with a plan table (JFC ※4)

def _grid(label: str, cells: list[str]) -> tuple[Cell, ...]:
    return ((label, 50.0), *((c, 200.0 + 70.0 * k) for k, c in enumerate(cells)))


def test_business_plan_reads_its_plan_table_with_head_counts() -> None:
    rows: list[Row] = [
        "事業計画書",
        ("申込者名", "株式会社中部精機"),
        "(単位：千円)",
        _grid("項目", ["基準年度", "1年目", "2年目", "3年目", "4年目", "5年目"]),
        _grid("付加価値額", ["200,000", "202,000", "206,000", "220,000", "222,000", "226,000"]),
        _grid("経常利益", ["18,000", "18,100", "18,200", "18,300", "18,400", "18,500"]),
        _grid("従業員数(人)", ["80人", "82人", "85人", "90人", "92人", "95人"]),
        _grid("一人当たり付加価値額", ["2,500", "2,463", "2,423", "2,444", "2,413", "2,378"]),
        _grid("付加価値額の伸び率", ["-", "1.0%", "3.0%", "10.0%", "11.0%", "13.0%"]),
    ]
    fields = extract_fields("business_plan", [page(rows)])
    assert fields["applicant_name"].value == "株式会社中部精機"
    years = fields["plan_years"].value
    assert [y["year"] for y in years] == ["基準年度", "1年目", "2年目", "3年目", "4年目", "5年目"]
    assert [y["value_added"] for y in years][::5] == [200_000_000, 226_000_000]
    assert [y["employees"] for y in years] == [80, 82, 85, 90, 92, 95]
    assert years[0]["value_added_per_head"] == 2_500_000 and years[3]["ordinary_profit"] == 18_300_000
    assert fields["plan_years"].confidence >= 0.8


def test_business_plan_without_a_table_has_no_plan_years() -> None:
    fields = extract_fields("business_plan", [page(["事業計画書", ("申請者名", "株式会社福井精密"),
                                                    "5年後に付加価値額を基準年度比15%以上向上させる。"])])
    assert "plan_years" not in fields and fields["applicant_name"].value == "株式会社福井精密"


@pytest.mark.parametrize("line", [
    pytest.param(("事業区分", "口中小企業事業還国民生活事業"), id="ocr-marks-as-kanji"),
    pytest.param(("中小企業事業", "国民生活事業"), id="no-marks-at-all"),
])
def test_a_tick_list_whose_marks_were_not_read_names_no_unit(line: tuple[str, ...]) -> None:
    """Both units on one line and no mark read: the unit is unknown (its check review), never the first name."""
    fields = extract_fields("loan_application", [page(["借入申込書", line, ("中小企業事業の取扱店", "福岡支店")])])
    unit = fields.get("business_unit")
    assert unit is None or unit.confidence < 0.8, unit


def test_a_labelled_tick_list_read_as_one_line_names_no_unit() -> None:
    """The OCR line 「事業区分 口中小企業事業還国民生活事業」 (■/□ read as kanji) is no labelled value."""
    fields = extract_fields("loan_application", [page(["借入申込書", "事業区分 口中小企業事業還国民生活事業",
                                                       ("借入申込額", "80,000,000円")])])
    unit = fields.get("business_unit")
    assert unit is None or unit.confidence < 0.8, unit


# OCR amounts on a form: a unit in the next cell belongs to the number; a unit or digit OCR misread never
# reads as a confident, smaller amount (the review threshold of a rule is 0.8)
OCR_AMOUNTS = [
    ("unit-next-cell", ("資本金", "3,000", "万円"), 30_000_000, 0.8, None),
    ("unit-misread-as-亡", ("資本金", "1,000亡円"), 10_000_000, None, 0.8),
    ("unit-misread-other", ("資本金", "1,000吉円"), 1_000, None, 0.8),
    ("digit-read-as-kanji", ("資本金", "包800万円"), 8_000_000, None, 0.8),
    ("bare-number", ("資本金", "3,000"), 3_000, None, 0.8),
    ("clean", ("資本金", "1,500万円"), 15_000_000, 0.9, None),
]


@pytest.mark.parametrize("row,value,at_least,below", [c[1:] for c in OCR_AMOUNTS], ids=[c[0] for c in OCR_AMOUNTS])
def test_ocr_amounts_are_doubtful_when_a_unit_or_digit_was_misread(
        row: tuple[str, ...], value: int, at_least: float | None, below: float | None) -> None:
    f = extract_fields("loan_application", [page(["借入申込書", row], source="ocr")])["capital"]
    assert f.value == value
    if at_least is not None:
        assert f.confidence >= at_least
    if below is not None:
        assert f.confidence < below


def test_a_unit_in_the_next_cell_counts_on_a_text_layer_too() -> None:
    f = extract_fields("loan_application", [page(["借入申込書", ("借入希望額", "3,000", "万円")])])["loan_amount"]
    assert f.value == 30_000_000
    assert f.raw.replace(" ", "") == "3,000万円"


# labels OCR misread by a character it is known to misread (common.OCR_MISREADS): found on OCR pages only,
# only when the label itself is nowhere, and their values a little less certain
MISREAD_LABELS = [
    ("額-read-客", ("借入希望客", "13,500,000円"), "loan_amount", 13_500_000),
    ("使-read-合", ("資金合途", "設備資金"), "use_of_funds", "設備資金"),
    ("置-read-徹", ("据徹期間", "6ヵ月"), "grace_months", 6),
    ("置-read-軒", ("据軒期間", "なし"), "grace_months", 0),
]


@pytest.mark.parametrize("row,name,value", [c[1:] for c in MISREAD_LABELS], ids=[c[0] for c in MISREAD_LABELS])
def test_misread_labels_are_found_on_ocr_pages_only(row: tuple[str, str], name: str, value: Any) -> None:
    clean = extract_fields("loan_application", [page(["借入申込書", (row[0], row[1])], source="ocr")])
    assert clean[name].value == value
    assert clean[name].confidence < 0.95 * 0.96  # the misread label's doubt
    assert name not in extract_fields("loan_application", [page(["借入申込書", (row[0], row[1])])])


@pytest.mark.parametrize("cells, months", [
    (("据置期間", "6", "ヵ月)"), 6),  # a gap OCR left inside 「6ヵ月」
    (("融資期間", "5", "年"), 60),
    (("据置期間", "6", "回"), None),  # no unit of time after it: no duration
])
def test_a_duration_whose_unit_is_in_the_next_cell(cells: tuple[str, ...], months: int | None) -> None:
    fields = extract_fields("loan_application", [page(["融資申込書", cells], source="ocr")])
    name = "grace_months" if cells[0] == "据置期間" else "loan_term_months"
    assert (fields[name].value if name in fields else None) == months


def test_a_misread_label_is_not_used_when_the_label_is_there() -> None:
    rows = ["借入申込書", ("借入希望額", "10,000,000円"), ("借入希望客", "99,000,000円")]
    assert extract_fields("loan_application", [page(rows, source="ocr")])["loan_amount"].value == 10_000_000


@pytest.mark.parametrize("confs, sure", [
    ({"会": 0.0}, True),  # one character of 「株式会社」 read with no confidence: the word list vouches for it
    ({"越": 0.3, "前": 0.3, "ロ": 0.3}, False),  # the name's own characters doubtful: review
])
def test_a_legal_form_is_checked_by_its_word_list(confs: dict[str, float], sure: bool) -> None:
    text = "株式会社越前ロジテック"
    boxes = tuple((100.0 + 10 * i, 40.0, 110.0 + 10 * i, 50.0) for i in range(len(text)))
    char_conf = tuple(confs.get(ch, 0.93) for ch in text)
    line = Line(text, boxes, min(char_conf), char_conf)
    title = Line("決算報告書", boxes[:5], 0.93, (0.93,) * 5)
    pages = [Page("scan.pdf", 1, "ocr", 595.0, 842.0, (title, line))]  # type: ignore[arg-type]
    f = extract_fields("financial_statements", pages)["company_name"]
    assert f.value == text
    assert (f.confidence >= 0.8) is sure


@pytest.mark.parametrize("label", ["名 .称", "名^称", "名称"])
def test_a_label_spread_by_ocr_specks_is_found(label: str) -> None:
    rows = ["借入申込書", (label, "株式会社みくにマテリアル")]
    f = extract_fields("loan_application", [page(rows, source="ocr")])["applicant_name"]
    assert f.value == "株式会社みくにマテリアル"
    assert f.confidence >= 0.9  # the labelled read, not the first company on the page (0.75)


@pytest.mark.parametrize("cells", [("所在地", "〒425-0052", "静岡県焼津市田尻北1204番地"),
                                   ("所在地", "〒425一0052 静岡県焼津市田尻北1204番地")])
def test_an_address_after_its_post_code(cells: tuple[str, ...]) -> None:
    f = extract_fields("loan_application", [page(["借入申込書", cells], source="ocr")])["address"]
    assert f.value == "静岡県焼津市田尻北1204番地"


def test_a_funds_table_kind_is_checked_by_its_word_list() -> None:
    rows = ["借入申込書", "資金使途", ("区分", "内容", "金額"), ("設備資金", "IoT計量ライン", "48,400,000")]
    pg = page(rows, source="ocr", confidence=0.7)
    f = extract_fields("loan_application", [pg])["use_of_funds"]
    assert f.value == "設備資金"
    assert f.confidence >= 0.8


def test_a_separator_cell_between_label_and_value_is_skipped() -> None:
    f = extract_fields("loan_application", [page(["借入申込書", ("名称", "-", "株式会社みくにマテリアル")], source="ocr")])
    assert f["applicant_name"].value == "株式会社みくにマテリアル"
    assert f["applicant_name"].confidence >= 0.9


@pytest.mark.parametrize("amount, worst, sure", [
    ("金壱千弐百万円", 0.9, True),
    ("金壱千弐百万円", 0.3, False),  # 「壱」 read at 0.3 among sure characters: the amount is as doubtful
    ("1,500万円", 0.3, False),  # 万 read at 0.3: 亡 or 方 may have been printed
])
def test_a_doubtful_numeral_makes_an_ocr_amount_doubtful(amount: str, worst: float, sure: bool) -> None:
    """Kanji numerals count like digits: the worst one is the amount's confidence, not the mean."""
    label = "補助事業に要する経費 "
    text = label + amount
    confs = [0.95] * len(text)
    numeral = next(i for i, ch in enumerate(text) if i >= len(label) and ch in "壱万")
    confs[numeral] = worst
    line = Line(text, tuple((10.0 * i, 40.0, 10.0 * i + 10.0, 50.0) for i in range(len(text))), 0.9, tuple(confs))
    pages = [Page("scan0001.pdf", 1, "ocr", 595.0, 842.0, (Line("交付決定通知書", line.boxes[:7], 0.95), line))]
    field = extract_fields("subsidy_decision_notice", pages)["project_cost"]
    assert (field.confidence >= 0.8) == sure, field.confidence


def test_no_arrears_stated_twice_stands_on_its_better_reading() -> None:
    """A certificate states 「滞納がない」 in its 証明を受ける事項 and in its statement: a scan that reads the
    first doubtfully and the second well is as sure as the second (the first match alone made a review)."""
    from tests.pagekit import make_line

    lines = (make_line("納税証明書", 40.0, 0.95), make_line("証明を受ける事項 県税に滞納がないこと", 60.0, 0.6),
             make_line("下記の県税について滞納がないことを証明する。", 80.0, 0.93))
    ocr_page = Page(file="scan.pdf", number=1, source="ocr", width=595.0, height=842.0, lines=lines)
    field = extract_fields("tax_certificate_prefectural", [ocr_page])["has_arrears"]
    assert field.value is False
    assert field.confidence >= 0.8
    assert field.bbox[1] == 80.0  # the statement read well is the evidence
    doubtful = Page(file="scan.pdf", number=1, source="ocr", width=595.0, height=842.0, lines=lines[:2])
    assert extract_fields("tax_certificate_prefectural", [doubtful])["has_arrears"].confidence < 0.8

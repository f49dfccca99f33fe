"""extractors.classify: page types by content (title, form number, body cues) and document splitting."""

from __future__ import annotations


import pytest

from extractors.classify import classify_page, split_documents
from pipeline.model import DOCUMENT_TYPES, BBox, Line, Page

Row = str | tuple[str, ...]


def _line(cells: tuple[str, ...], top: float, sep: str) -> Line:
    """One line of cells 40 pt apart (a column gap); ``sep`` is what the text layer puts in the gap."""
    text: list[str] = []
    boxes: list[BBox] = []
    x = 50.0
    for k, cell in enumerate(cells):
        if k:
            if sep:
                text.append(sep)
                boxes.append((x, top, x + 40.0, top + 10.0))
            x += 40.0
        for ch in cell:
            text.append(ch)
            boxes.append((x, top, x + 10.0, top + 10.0))
            x += 10.0
    return Line("".join(text), tuple(boxes))


def page(rows: list[Row], number: int = 1, sep: str = " ") -> Page:
    lines = tuple(_line(r if isinstance(r, tuple) else (r,), 40.0 + 14.0 * i, sep)
                  for i, r in enumerate(rows))
    return Page("scan0001.pdf", number, "text", 595.0, 842.0, lines)


EXPERT_OTHER = ["令和7年1月17日", ("有限会社秋田フラワーガーデン", "様"), "公益財団法人あきた産業創造機構",
                "アドバイザー派遣完了通知書", "(IoT導入アドバイザー派遣事業)", ("事業名", "IoT導入アドバイザー派遣事業"),
                ("支援先企業", "有限会社秋田フラワーガーデン"), ("派遣専門家", "IoTアドバイザー工藤亮")]
EXPERT_REPORT = [("(株)やまびこ庵", "様"), "独立行政法人中小企業基盤整備機構", "支援実施報告書",
                 ("事業名", "ハンズオン支援事業"), ("支援先企業", "株式会社やまびこ庵")]


# -- one page, one type ---------------------------------------------------------------------------------
PAGES: list[tuple[str, list[Row], str]] = [
    ("expert-from-a-programme-not-in-the-leaflet", EXPERT_OTHER, "expert_support_certificate"),
    ("expert-support-implementation-report", EXPERT_REPORT, "expert_support_certificate"),
    ("loan-title", ["様式第1号-1", "福井県IoT・AI等導入支援資金融資申込書", ("融資申込額", "15,000,000円")],
     "loan_application"),
    ("loan-jfc-borrowing", ["借入申込書", ("お名前", "株式会社福井精密"), ("借入希望額", "3,000万円")], "loan_application"),
    ("loan-okurigana", ["融資申し込み書", ("資金使途", "設備資金")], "loan_application"),
    ("loan-spaced-title", ["融 資 申 込 書", ("融資期間", "5年")], "loan_application"),
    ("loan-lists-required-documents",
     ["融資申込書", "必要書類", "・事業計画書[様式第2号]", "・収支計画書[様式第4号]", "・見積書", "・納税証明書"],
     "loan_application"),
    ("loan-form-number-only", ["様式第1号-2", ("資金使途", "設備資金"), ("融資期間", "5年"), ("据置期間", "6か月")],
     "loan_application"),
    ("tax-pref-office", ["納税証明書", ("氏名又は名称", "株式会社福井精密"), "県税に滞納がないことを証明します。",
                         ("福井県福井県税事務所長", "福井花子")], "tax_certificate_prefectural"),
    ("tax-pref-kannou", ["完納証明書", ("氏名", "株式会社福井精密"), "福井県知事"], "tax_certificate_prefectural"),
    ("tax-pref-title", ["県税の納税証明書", ("名称", "株式会社福井精密")], "tax_certificate_prefectural"),
    ("tax-consumption-sono33", ["納税証明書(その3の3)", ("氏名(名称)", "株式会社福井精密"),
                                "「法人税」及び「消費税及地方消費税」について未納の税額はありません。"],
     "tax_certificate_consumption"),
    ("tax-consumption-body", ["納税証明書", "税目 消費税及び地方消費税", ("未納税額", "0円"), "福井税務署長"],
     "tax_certificate_consumption"),
    ("tax-consumption-sono1", ["納税証明書", "(その1 納税額等証明用)", "消費税及地方消費税", "税務署長"],
     "tax_certificate_consumption"),
    ("fs-pl", ["損益計算書", "自令和5年4月1日 至令和6年3月31日", ("売上高", "100,000,000"),
               ("売上総利益", "40,000,000")], "financial_statements"),
    ("fs-bs", ["貸借対照表", "令和6年3月31日現在", ("資産の部", "負債の部"), ("流動資産", "30,000,000")],
     "financial_statements"),
    ("fs-sga", ["販売費及び一般管理費内訳書", ("役員報酬", "12,000,000"), ("給料手当", "30,000,000")],
     "financial_statements"),
    ("fs-manufacturing", ["製造原価報告書", ("労務費", "20,000,000")], "financial_statements"),
    ("fs-equity", ["株主資本等変動計算書", ("資本金", "10,000,000")], "financial_statements"),
    ("notice-title", ["福産第123号", "令和5年8月1日", ("株式会社福井精密", "様"),
                      "令和5年度福井県IoT・AI・ロボット等導入促進事業補助金交付決定通知書",
                      "令和5年7月1日付けで申請のあった標記補助金については、交付することに決定したので通知します。"],
     "subsidy_decision_notice"),
    ("notice-body-only", ["福産第123号", "標記補助金について、下記のとおり交付することに決定したので通知します。",
                          ("補助事業に要する経費", "9,000,000円"), ("補助金の額", "3,000,000円")],
     "subsidy_decision_notice"),
    ("approved-robot-title", ["IoT・AI・ロボット等導入促進事業", "事業計画書", ("事業者名", "株式会社福井精密"),
                              "補助事業の内容"], "approved_plan"),
    ("approved-with-the-subsidy-form-number", ["様式第1号(第5条関係)", "IoT・AI・ロボット等導入促進事業", "事業計画書",
                                               ("事業者名", "株式会社福井精密")], "approved_plan"),
    ("approved-hojo-title", ["補助事業計画書", ("補助対象経費", "8,000,000円")], "approved_plan"),
    ("business-plan-form2", ["様式第2号", "事業計画書", ("申請者名", "株式会社福井精密")], "business_plan"),
    ("business-plan-subtitle-names-the-subsidy", ["様式第2号", "(融資対象者(1)補助事業実施者用)", "事業計画書",
                                                 ("申請者名", "株式会社福井精密")], "business_plan"),
    ("business-plan-cross-mentions", ["(様式第2号)", "事業計画書",
                                      "導入する設備の見積書は別添のとおり。収支計画書は様式第4号のとおり。",
                                      "意見書", "ふくい産業支援センターの支援を受けて作成した。"], "business_plan"),
    ("quote", ["御見積書", ("株式会社福井精密", "御中"), ("御見積金額", "¥16,500,000-")], "funding_evidence"),
    ("quote-o", ["お見積書", ("合計", "1,000,000円")], "funding_evidence"),
    # OCR of 「事業計画承認申請書」 that lost 「承」: an application, not a 請書
    ("approval-title-without-sho", ["様式第5号", "福井県IoT・AI等導入支援資金に係る事業計画認申請書",
                                    "事業計画の承認を受けたいので、関係書類を添えて申請します。"], "plan_approval_application"),
    ("ukesho", ["注文請書", ("株式会社福井精密", "御中"), ("合計", "1,000,000円")], "funding_evidence"),
    ("ukesho-bare", ["請書", ("株式会社福井精密", "御中"), ("合計", "1,000,000円")], "funding_evidence"),
    # OCR of a letter-spaced 「御　見　積　書」 that lost its last character
    ("quote-title-cut", ["見積", ("駿河デリカ工業株式会社御中", "No.TK-250112"), "下記のとおりお見積り申し上げます。"],
     "funding_evidence"),
    ("order-acceptance", ["注文請書", ("金額", "5,000,000円")], "funding_evidence"),
    ("contract", ["機械装置売買契約書", "売主と買主は次のとおり契約を締結する。"], "funding_evidence"),
    ("income-plan", ["様式第4号", "収支計画書", "(単位:千円)", ("", "基準年度", "1年後", "5年後")],
     "income_expenditure_plan"),
    ("opinion", ["様式第3号", "意見書", ("公益財団法人ふくい産業支援センター", "理事長")], "opinion_letter"),
    ("plan-approval", ["様式第5号", "事業計画承認申請書", ("福井県知事", "様"), "事業計画の承認を申請します。"],
     "plan_approval_application"),
    ("expert-dispatch", ["専門家派遣実績証明書", "スマートものづくり応援隊の専門家を派遣したことを証明します。"],
     "expert_support_certificate"),
    ("expert-sme", ["支援実績証明書", "スマートSMEサポーターとして助言・指導を行ったことを証明します。"],
     "expert_support_certificate"),
    ("jfc-loan-mentions-expert", ["借入申込書", "専門家:スマートものづくり応援隊", ("借入希望額", "3,000万円")],
     "loan_application"),
    ("unknown-cover", ["提出書類一覧", "よろしくお願いいたします。"], "unknown"),
    # a cover letter names every document of the packet; it is none of them (the 交付決定通知書 it lists
    # must not make it a notice)
    ("unknown-cover-letter-titled-numbered-list",
     ["令和6年6月14日", ("福井県産業労働部産業政策課", "御中"), "書類送付のご案内",
      "下記の書類をお送りしますので、ご査収ください。", "記", "1.融資申込書(様式第1号-1、2)", "2.県税の納税証明書",
      "3.決算書(直近2期分)", "4.補助金交付決定通知書(写し)", "5.認定を受けた事業計画書(写し)", "以上"], "unknown"),
    ("unknown-cover-letter-untitled-bullets",
     ["令和6年6月14日", ("福井県産業政策課", "御中"), "下記の書類を提出します。", "・融資申込書", "・補助金交付決定通知書の写し",
      "・納税証明書(その3の3)", "・御見積書"], "unknown"),
    ("unknown-cover-letter-plain-list-with-counts",
     [("福井県知事", "様"), "次の書類を提出いたします。", ("融資申込書(様式第1号)", "1部"), ("納税証明書(その3の3)", "1部"),
      ("補助金交付決定通知書の写し", "1部"), ("見積書", "1部")], "unknown"),
    ("unknown-cover-letter-two-items-no-notice-cue",
     [("福井県産業政策課", "御中"), "下記の書類を提出します。", "・補助金交付決定通知書の写し", "・見積書"], "unknown"),
    # a bare 「証明書」 takes its subject from the subtitle under it, or from the body
    ("tax-pref-bare-title-spaced-subtitle",
     [("県税証明第", "号"), ("証", "明", "書"), "(県税の未納がないことの証明)", ("住所", "福井県丹生郡越前町朝日17号22番地"),
      ("氏名又は名称", "株式会社あさひ精密"), "上記の者については、令和6年6月3日現在、福井県税の未納税額はありません。",
      "福井県丹南県税事務所長"], "tax_certificate_prefectural"),
    ("tax-pref-bare-title-cues-only",
     ["証明書", ("氏名又は名称", "株式会社あさひ精密"), "県税の滞納がないことを証明します。", "福井県福井県税事務所長"],
     "tax_certificate_prefectural"),
    ("expert-bare-title-cues-only",
     ["証明書", "スマートものづくり応援隊の専門家を派遣したことを証明します。"], "expert_support_certificate"),
    ("unknown-bare-certificate-of-something-else",
     ["証明書", ("商号", "株式会社福井精密"), "上記のとおり相違ないことを証明する。"], "unknown"),
    ("unknown-empty", [], "unknown"),
]


@pytest.mark.parametrize("rows,expected", [(r, e) for _, r, e in PAGES], ids=[i for i, _, _ in PAGES])
@pytest.mark.parametrize("sep", [" ", ""], ids=["gap-space", "gap-merged"])
def test_classify_page(rows: list[Row], expected: str, sep: str) -> None:
    kind, confidence = classify_page(page(rows, sep=sep))
    assert kind == expected
    assert kind in DOCUMENT_TYPES
    assert 0.0 <= confidence <= 1.0


TITLED = [(i, r) for i, r, e in PAGES if e != "unknown" and not i.endswith("only")]


@pytest.mark.parametrize("rows", [r for _, r in TITLED], ids=[i for i, _ in TITLED])
def test_titled_page_is_confident(rows: list[Row]) -> None:
    _, confidence = classify_page(page(rows))
    assert confidence >= 0.85


def test_body_only_page_is_less_confident_than_titled() -> None:
    body_only = classify_page(page(next(r for i, r, _ in PAGES if i == "notice-body-only")))
    titled = classify_page(page(next(r for i, r, _ in PAGES if i == "notice-title")))
    assert body_only[0] == titled[0] == "subsidy_decision_notice"
    assert body_only[1] < titled[1]


def test_ambiguous_tax_certificate_is_doubtful() -> None:
    kind, confidence = classify_page(page(["納税証明書", ("氏名", "株式会社福井精密")]))
    assert kind in ("tax_certificate_prefectural", "tax_certificate_consumption")
    assert confidence < 0.8


# -- splitting --------------------------------------------------------------------------------------------
LOAN_1 = ["様式第1号-1", "融資申込書", ("融資申込額", "15,000,000円")]
LOAN_2 = ["様式第1号-2", ("資金使途", "設備資金"), ("据置期間", "6か月")]
TAX = ["納税証明書(その3の3)", "消費税及地方消費税", "福井税務署長"]
BS_5 = ["貸借対照表", "令和5年3月31日現在", ("資産の部", "負債の部")]
PL_5 = ["損益計算書", "自令和4年4月1日 至令和5年3月31日", ("売上高", "90,000,000")]
BS_6 = ["貸借対照表", "令和6年3月31日現在", ("資産の部", "負債の部")]
PL_6 = ["損益計算書", "自令和5年4月1日 至令和6年3月31日", ("売上高", "100,000,000")]
SGA_6 = ["販売費及び一般管理費内訳書", "自令和5年4月1日 至令和6年3月31日", ("役員報酬", "12,000,000")]
PLAN_1 = ["様式第2号", "事業計画書", ("申請者名", "株式会社福井精密")]
PLAN_2 = ["4 収支計画", "導入設備の見積書は別添のとおり。", ("売上高", "100,000")]
QUOTE = ["御見積書", ("株式会社福井精密", "御中"), ("合計", "5,500,000円")]
QUOTE_B = ["見積書", ("株式会社福井精密御中", "見積日令和6年3月6日"), ("御見積金額(税込)", "¥19,800,000-"),
           ("合計", "19,800,000")]
QUOTE_CONTINUED = ["御見積書(2/2)", ("品名", "数量", "金額"), ("設置工事", "1式", "500,000"), ("合計", "6,050,000円")]
COVER = ["提出書類一覧", "よろしくお願いいたします。"]
TAX_PREF = ["納税証明書", "県税に滞納がないことを証明します。", "福井県福井県税事務所長"]
APPROVED_1 = ["様式第1号(第5条関係)", "IoT・AI・ロボット等導入促進事業", "事業計画書", ("事業者名", "株式会社福井精密")]
APPROVED_2 = ["事業計画書(続き)", "3 導入スケジュール"]
COVER_LETTER = ["令和6年6月14日", ("福井県産業政策課", "御中"), "書類送付のご案内", "記", "1.融資申込書(様式第1号-1、2)",
                "2.県税の納税証明書", "3.補助金交付決定通知書(写し)", "4.見積書", "以上"]
CERT_PREF = [("証", "明", "書"), "(県税の未納がないことの証明)", ("氏名又は名称", "株式会社福井精密"),
             "上記の者については、福井県税の未納税額はありません。", "福井県丹南県税事務所長"]
CERT_PREF_NO_TITLE = [("氏名又は名称", "株式会社福井精密"), "上記の者については、福井県税の未納税額はありません。",
                      "(証明の対象とした税目) 法人県民税・法人事業税", "福井県丹南県税事務所長"]
NOTICE = ["令和5年度IoT・AI・ロボット等導入促進事業補助金交付決定通知書", "交付することに決定したので通知します。",
          ("補助金の額", "3,000,000円")]
LOAN_2_LISTS = ["様式第1号-2", ("資金使途", "設備資金"), "添付書類", "・事業計画書", "・収支計画書", "・見積書", "・納税証明書"]
LOAN_3_LISTS = ["添付書類", "・事業計画書", "・収支計画書", "・見積書", "・県税の納税証明書"]
TERM_11 = ["第11期 決算報告書", ("売上高", "90,000,000")]
TERM_12 = ["第12期 決算報告書", ("売上高", "100,000,000")]
# a statement's cover as OCR read it: 自 misread (目), its 至 date on a line of its own
COVER_6_OCR = ["決算報告書", "目 令和5年4月1日", "至 令和6年3月31日", "株式会社福井精密"]

SPLITS: list[tuple[str, list[list[Row]], list[tuple[str, list[int]]]]] = [
    ("two-quotes-from-two-vendors-in-one-file", [QUOTE, QUOTE_B],
     [("funding_evidence", [1]), ("funding_evidence", [2])]),
    ("quote-continued-without-addressee-stays-one", [QUOTE, QUOTE_CONTINUED], [("funding_evidence", [1, 2])]),
    ("loan-two-forms-one-document", [LOAN_1, LOAN_2], [("loan_application", [1, 2])]),
    ("whole-packet-in-one-pdf", [LOAN_1, LOAN_2, TAX, BS_6, PL_6, BS_5, PL_5, PLAN_1, PLAN_2, QUOTE],
     [("loan_application", [1, 2]), ("tax_certificate_consumption", [3]), ("financial_statements", [4, 5]),
      ("financial_statements", [6, 7]), ("business_plan", [8, 9]), ("funding_evidence", [10])]),
    ("two-periods-back-to-back", [PL_5, PL_6],
     [("financial_statements", [1]), ("financial_statements", [2])]),
    ("one-period-three-statements", [BS_6, PL_6, SGA_6], [("financial_statements", [1, 2, 3])]),
    ("untitled-page-continues-plan", [PLAN_1, PLAN_2], [("business_plan", [1, 2])]),
    ("cover-then-documents", [COVER, QUOTE], [("unknown", [1]), ("funding_evidence", [2])]),
    ("two-tax-certificates", [TAX_PREF, TAX], [("tax_certificate_prefectural", [1]),
                                              ("tax_certificate_consumption", [2])]),
    ("approved-plan-continued-under-a-bare-title", [APPROVED_1, APPROVED_2], [("approved_plan", [1, 2])]),
    ("next-period-cover-with-its-end-on-a-line-of-its-own", [PL_5, COVER_6_OCR, PL_6],
     [("financial_statements", [1]), ("financial_statements", [2, 3])]),
    ("terms-without-dates", [TERM_11, TERM_12],
     [("financial_statements", [1]), ("financial_statements", [2])]),
    ("cover-letter-listing-titles-heads-a-one-pdf-packet",
     [COVER_LETTER, LOAN_1, LOAN_2, CERT_PREF, TAX, NOTICE],
     [("unknown", [1]), ("loan_application", [2, 3]), ("tax_certificate_prefectural", [4]),
      ("tax_certificate_consumption", [5]), ("subsidy_decision_notice", [6])]),
    ("bare-certificate-title-is-not-absorbed-by-the-loan", [LOAN_1, LOAN_2, CERT_PREF],
     [("loan_application", [1, 2]), ("tax_certificate_prefectural", [3])]),
    ("certificate-with-no-title-read-leaves-the-loan", [LOAN_1, LOAN_2, CERT_PREF_NO_TITLE],
     [("loan_application", [1, 2]), ("tax_certificate_prefectural", [3])]),
    ("loan-pages-listing-attachments-stay-one-document", [LOAN_1, LOAN_2_LISTS, LOAN_3_LISTS],
     [("loan_application", [1, 2, 3])]),
    ("cover-letter-mid-file-starts-its-own-document", [QUOTE, COVER_LETTER, TAX],
     [("funding_evidence", [1]), ("unknown", [2]), ("tax_certificate_consumption", [3])]),
]


@pytest.mark.parametrize("docs,expected", [(d, e) for _, d, e in SPLITS], ids=[i for i, _, _ in SPLITS])
def test_split_documents(docs: list[list[Row]], expected: list[tuple[str, list[int]]]) -> None:
    pages = [page(rows, number=n) for n, rows in enumerate(docs, start=1)]
    spans = split_documents(pages)
    assert [(s.type, [p.number for p in s.pages]) for s in spans] == expected
    assert all(0.0 <= s.confidence <= 1.0 for s in spans)


def test_split_keeps_every_page_once() -> None:
    pages = [page(rows, number=n) for n, rows in enumerate([COVER, LOAN_1, COVER, TAX, PLAN_2], start=1)]
    spans = split_documents(pages)
    assert [p.number for s in spans for p in s.pages] == [1, 2, 3, 4, 5]


def test_split_empty() -> None:
    assert split_documents([]) == []

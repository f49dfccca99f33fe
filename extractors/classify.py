"""Which document a page belongs to, decided by its content, and where one document ends.

File names mean nothing (clerks receive ``scan0001.pdf``), so a page is typed by what it says:

1. its **title**: the topmost short, noun-phrase line near the top of the page that names a document
   (「融資申込書」, 「納税証明書(その3の3)」, 「損益計算書」). The title wins over anything the body mentions:
   a loan application listing 必要書類 stays a loan application.
2. its **form number** (「様式第2号」 on a line of its own near the top) when no title is readable.
3. weighted **body cues** (「交付することに決定」, 「消費税及地方消費税」, 「税務署長」, 「売上総利益」), which also
   settle the titles two types share (納税証明書: 県税 or 消費税; 事業計画書: 様式第2号 or the approved
   subsidy plan) and type a page that has no title at all.

A page that names other documents is none of them: a cover letter titled as one (「送付状」,
「書類送付のご案内」, 「提出書類一覧」) is ``unknown``, and so is an untitled page listing several document
types; list items that name documents (「4.補助金交付決定通知書(写し)」) are never a title, a form number
or a body cue. A bare 「証明書」 takes its subject from the subtitle under it (「(県税の未納がないことの証明)」)
or, failing that, from the body.

``split_documents`` cuts a file's pages into documents: a page titled with another type starts a new
document, an untitled page continues the previous one unless it carries strong cues of another type
and none of the open document's (a certificate whose title was not read), two financial
statements of different fiscal periods are two documents, and a titled 見積書 page that names its
addressee (「…御中」) opens a new quote (two vendors' quotes in one file are two documents).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from extractors import normalize
from extractors.nlp import tolerant
from pipeline.model import Page

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
TAX_GROUP = ("tax_certificate_prefectural", "tax_certificate_consumption")
PLAN_GROUP = ("business_plan", "approved_plan")

TITLE_REGION_LINES = 12  # a title sits in the first lines ...
TITLE_REGION_FRACTION = 0.3  # ... or in the top 30 % of the page
MAX_TITLE_PREFIX = 40  # chars before the title word (「令和5年度福井県…補助金」交付決定通知書)
MAX_TITLE_SUFFIX = 20  # chars after it, brackets removed (「様式第1号-1」, 「令和6年3月31日現在」)
BODY_THRESHOLD = 4.0  # body cues needed to type an untitled page
GROUP_DECISIVE = 0.85  # a shared title (納税証明書, 事業計画書) resolved below this may continue its sibling
LISTED_TYPES = 3  # an untitled page listing this many document types is a cover letter or checklist
STRONG_BODY = 6.0  # body cues that let an untitled page leave a document with none of its own cues
MAX_LISTED_LINE = 40  # a line of a list of documents without bullets: short, a document name and a count
CERTIFICATE_LOOKAHEAD = 3  # lines after a bare 「証明書」 where its subtitle (「(県税の未納がないことの証明)」) sits


class DocumentSpan(NamedTuple):
    """Consecutive pages of one file that form one document."""

    type: str
    pages: list[Page]
    confidence: float


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """What ``classify_page`` saw on one page; ``titled`` pages may start a new document."""

    type: str
    confidence: float
    titled: bool
    period_end: date | None = None  # financial statements: the 当期's last day, if printed
    term: int | None = None  # financial statements: 「第12期」, if printed
    body: tuple[tuple[str, float], ...] = ()  # body cue scores per type (listed titles left out)
    addressed: bool = False  # a 見積書 page naming its addressee (「…御中」) at the top: the first page of a quote

    def score(self, kind: str) -> float:
        return next((v for k, v in self.body if k == kind), 0.0)


def _rx(*names: str) -> str:
    return "(?:" + "|".join(tolerant(n) for n in sorted(names, key=len, reverse=True)) + ")"


# -- titles -------------------------------------------------------------------------------------------
# Order matters only for overlapping words: the longest, most specific title is tried first on a line.
_TITLES: list[tuple[str, re.Pattern[str]]] = [
    # a cover letter or a checklist names other documents but is none of them
    ("cover", re.compile(_rx("送付状", "送付書", "送り状", "書類送付のご案内", "送付のご案内", "書類の送付について",
                             "書類送付について", "提出書類一覧", "添付書類一覧", "提出書類一覧表", "書類一覧",
                             "提出書類チェックリスト", "チェックリスト"))),
    # 「計画承認申請書」, also as OCR reads it with 「承」 lost (「事業計画認申請書」)
    ("plan_approval_application", re.compile(_rx("事業計画承認申請書", "事業計画の承認申請書", "計画承認申請書")
                                             + r"|計\s*画\s*認\s*申\s*請\s*書")),
    ("subsidy_decision_notice", re.compile(
        _rx("交付決定通知書", "交付決定通知", "交付決定について", "交付決定のお知らせ", "交付決定書"))),
    ("income_expenditure_plan", re.compile(_rx("収支計画書", "収支計画表"))),
    ("opinion_letter", re.compile(_rx("意見書"))),
    ("loan_application", re.compile(
        _rx("融資申込書", "借入申込書", "融資申込", "借入申込", "資金申込書", "融資申請書", "借入申請書"))),
    ("tax_certificate_prefectural", re.compile(
        _rx("県税納税証明書", "県税の納税証明書", "完納証明書", "滞納がないことの証明書",
            "未納がないことの証明書", "滞納のないことの証明書"))),
    ("tax_certificate_consumption", re.compile(
        r"納\s*税\s*証\s*明\s*書\s*[(\[（]?\s*その\s*[134]|" + _rx("消費税及び地方消費税の納税証明書"))),
    ("tax", re.compile(_rx("納税証明書", "納税証明", "未納がないことの証明", "滞納がないことの証明",
                           "未納のないことの証明", "滞納のないことの証明", "完納の証明", "未納税額がないことの証明"))),
    ("financial_statements", re.compile(
        _rx("貸借対照表", "損益計算書", "販売費及び一般管理費内訳書", "販売費及び一般管理費明細書",
            "販売費及び一般管理費内訳", "販売費及び一般管理費明細", "販売費及び一般管理費の内訳",
            "製造原価報告書", "製造原価明細書", "株主資本等変動計算書", "個別注記表", "決算報告書", "決算書"))),
    ("expert_support_certificate", re.compile(
        r"(?:専門家|応援隊|CIO|ミラサポ|サポーター|アドバイザー|コンサルタント|派遣|支援|指導|助言)[^。、]{0,16}?"
        + _rx("証明書", "確認書", "実績報告書", "実施報告書", "完了報告書", "結果報告書", "実績書", "完了通知書",
              "実施通知書", "修了証"))),
    ("approved_plan", re.compile(_rx("補助事業計画書", "認定事業計画書", "認定を受けた事業計画書"))),
    ("plan", re.compile(_rx("事業計画書"))),
    ("funding_evidence", re.compile(
        _rx("御見積書", "見積書", "見積明細書", "御見積", "見積", "注文書", "発注書", "注文請書", "売買契約書",
            "請負契約書", "契約書") + r"|(?<!申)(?<!申\s)請\s*書")),  # 請書, never an 申請書 read without its 承
    # a bare 「証明書」 (its subject in a subtitle or only in the body); not 「証明書番号」, not a request for one
    ("certificate", re.compile(r"証\s*明\s*書(?!\s*(?:番\s*号|発\s*行|交\s*付|申\s*請|請\s*求|等))")),
]

_FORM = re.compile(r"(?:様\s*式\s*(?:第\s*)?([1-5一二三四五])\s*号?|第\s*([1-5一二三四五])\s*号\s*様\s*式)")
_FORM_TYPES = {"1": "loan_application", "2": "business_plan", "3": "opinion_letter",
               "4": "income_expenditure_plan", "5": "plan_approval_application"}
_KANJI_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}

_LIST_ITEM = re.compile(
    r"^\s*(?:[・\-−*※●○■□☑✓✔◆◇]|\(?\d{1,2}(?:[).．、]|\s)|[(（]\d{1,2}[)）]|[①-⑳]|[ア-オ][.)、]|第\d+\s)")
_BRACKETED = re.compile(r"[(\[（【〔「<][^)\]）】〕」>]*[)\]）】〕」>]?")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_AMOUNT = re.compile(r"\d,\d{3}")
_SPACE = re.compile(r"\s+")
_ADDRESSEE = re.compile(r"御\s*中|[^\s\d]\s*(?:様|殿)(?:\s|$)")
ADDRESSED_TYPES = ("funding_evidence",)  # types whose every new document opens by naming its addressee

# -- body cues: (type, pattern, weight), each counted once per page -----------------------------------
_PROGRAMMES = r"(?:スマートものづくり応援隊|戦略的CIO育成支援事業|ミラサポ|スマートSMEサポーター)"
_BODY: list[tuple[str, re.Pattern[str], float]] = [
    ("loan_application", re.compile(_rx("融資申込額", "借入申込額", "申込金額", "融資希望額", "借入希望額")), 2.0),
    ("loan_application", re.compile(_rx("据置期間")), 1.0),
    ("loan_application", re.compile(_rx("資金使途", "資金の使途")), 1.0),
    ("loan_application", re.compile(_rx("融資期間", "借入期間", "返済期間")), 1.0),
    ("loan_application", re.compile(_rx("取扱金融機関", "融資対象者")), 1.0),
    ("tax_certificate_prefectural", re.compile(_rx("県税事務所", "県税事務所長", "県税務")), 4.0),
    ("tax_certificate_prefectural", re.compile(r"県\s*税"), 2.0),
    ("tax_certificate_prefectural", re.compile(r"知\s*事"), 1.0),
    ("tax_certificate_prefectural", re.compile(_rx("法人県民税", "法人事業税", "県民税", "自動車税", "不動産取得税")), 2.0),
    ("tax_certificate_prefectural", re.compile(_rx("滞納がないこと", "滞納のないこと", "完納", "未納がないこと")), 1.0),
    # 「消費税及び」 alone: a certificate's table cell often breaks 「消費税及び／地方消費税」 over two lines
    ("tax_certificate_consumption", re.compile(_rx("消費税及び")), 4.0),
    # 「署」 is often read by OCR as a look-alike (「税務賭長」); 「税務課長」 (a city's) is not among them
    ("tax_certificate_consumption", re.compile(r"税\s*務\s*[署暑著賭箸緒]"), 4.0),
    ("tax_certificate_consumption", re.compile(r"その\s*(?:1|3|3\s*の\s*[23])(?![0-9])"), 2.0),
    ("tax_certificate_consumption", re.compile(_rx("国税", "法人税", "源泉所得税")), 1.0),
    ("tax_certificate_consumption", re.compile(r"消\s*費\s*税"), 1.0),
    ("financial_statements", re.compile(_rx("売上総利益", "売上総損失")), 1.5),
    ("financial_statements", re.compile(_rx("営業外収益")), 1.0),
    ("financial_statements", re.compile(_rx("特別利益", "特別損失", "税引前当期純利益", "当期純利益")), 1.5),
    ("financial_statements", re.compile(_rx("資産の部", "負債の部", "純資産の部", "流動資産", "固定負債")), 2.0),
    ("financial_statements", re.compile(_rx("役員報酬", "給料手当", "法定福利費", "旅費交通費", "地代家賃")), 1.5),
    ("financial_statements", re.compile(r"自\s*(?:令和|平成|昭和|\d{4}).{0,16}至"), 1.0),
    ("subsidy_decision_notice", re.compile(_rx("交付することに決定", "交付することと決定", "交付決定")), 4.0),
    ("subsidy_decision_notice", re.compile(_rx("補助事業に要する経費")), 1.0),
    ("subsidy_decision_notice", re.compile(_rx("補助金の額", "交付決定額")), 1.5),
    ("subsidy_decision_notice", re.compile(_rx("通知します")), 1.0),
    ("approved_plan", re.compile(r"ロ\s*ボ\s*ッ\s*ト\s*等\s*導\s*入\s*促\s*進\s*事\s*業"), 2.0),
    ("approved_plan", re.compile(_rx("補助事業計画", "補助事業の内容", "補助対象経費", "補助金交付申請")), 1.5),
    ("approved_plan", re.compile(r"認\s*定"), 1.0),
    ("business_plan", re.compile(_rx("事業計画")), 1.0),
    ("business_plan", re.compile(_rx("導入する設備", "導入設備", "設備の内容", "導入計画")), 1.0),
    ("business_plan", re.compile(_rx("付加価値額")), 1.0),
    ("business_plan", re.compile(_rx("融資", "借入", "支援資金")), 0.5),
    ("funding_evidence", re.compile(_rx("御見積金額", "見積金額", "見積合計", "見積有効期限", "有効期限")), 2.0),
    ("funding_evidence", re.compile(_rx("小計", "消費税額", "税込合計", "合計金額")), 1.0),
    ("funding_evidence", re.compile(_rx("納期", "納入場所", "受渡場所", "支払条件", "御中")), 1.0),
    ("funding_evidence", re.compile(_rx("数量", "単価")), 1.0),
    ("income_expenditure_plan", re.compile(_rx("付加価値額")), 1.5),
    ("income_expenditure_plan", re.compile(r"(?:[1-5]\s*年\s*後|[1-5]\s*年\s*目|基準年度?|計画[1-5]年)"), 2.0),
    ("income_expenditure_plan", re.compile(_rx("伸び率", "伸率", "増加率")), 1.0),
    ("opinion_letter", re.compile(_rx("ふくい産業支援センター", "産業支援センター")), 3.0),
    ("opinion_letter", re.compile(_rx("意見", "所見", "評価")), 1.0),
    ("plan_approval_application", re.compile(_rx("承認を申請", "承認を受けたい", "承認を受けたく", "承認申請")), 3.0),
    ("expert_support_certificate", re.compile(_PROGRAMMES), 3.0),
    ("expert_support_certificate", re.compile(_rx("専門家")), 1.0),
    ("expert_support_certificate", re.compile(_rx("派遣", "助言", "指導")), 1.0),
    ("expert_support_certificate", re.compile(_rx("アドバイザー", "派遣専門家", "支援先企業", "派遣回数")), 1.0),
    ("expert_support_certificate", re.compile(_rx("証明します", "相違ないことを証明", "支援実績")), 1.0),
]
_BODY_CAP = 8.0  # body cues never outweigh a title (weight 10)


def _compact(s: str) -> str:
    return _SPACE.sub("", s)


def _title_region(page: Page) -> list[int]:
    """Indices of the lines where a title may sit: the first lines or the top of the page."""
    limit = page.height * TITLE_REGION_FRACTION if page.height else 0.0
    return [i for i, line in enumerate(page.lines)
            if i < TITLE_REGION_LINES or (line.boxes and line.bbox[1] <= limit)]


def _title_on_line(text: str) -> str | None:
    """The title type named by this line, if the line reads as a title (not a list item, not prose)."""
    if _LIST_ITEM.match(text) or "。" in text or _AMOUNT.search(text):
        return None
    compact = _compact(text)
    for kind, rx in _TITLES:
        m = rx.search(compact)
        if not m:
            continue
        prefix, suffix = compact[: m.start()], _BRACKETED.sub("", compact[m.end():])
        if len(prefix) > MAX_TITLE_PREFIX or "、" in prefix or len(suffix) > MAX_TITLE_SUFFIX:
            continue
        if _HIRAGANA.search(suffix.replace("の", "")) or prefix.endswith(("は", "を", "が", "に", "と")):
            continue  # 「収支計画書は別紙のとおり」 is prose, not a title
        return kind
    return None


def _form_on_line(text: str) -> str | None:
    if _LIST_ITEM.match(text):
        return None
    compact = _compact(text)
    m = _FORM.search(compact)
    if not m or len(compact) > 30 or "。" in compact:
        return None
    # 「事業計画書[様式第2号]」 inside a sentence or a list names another document: only a form number
    # that opens its line, or follows a title word on it, is this page's.
    digit = m.group(1) or m.group(2)
    return _FORM_TYPES.get(_KANJI_DIGIT.get(digit, digit))


def _body_scores(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for kind, rx, weight in _BODY:
        if rx.search(text):
            scores[kind] = scores.get(kind, 0.0) + weight
    return {k: min(v, _BODY_CAP) for k, v in scores.items()}


def _resolve_tax(body: dict[str, float]) -> tuple[str, float]:
    pref, cons = body.get(TAX_GROUP[0], 0.0), body.get(TAX_GROUP[1], 0.0)
    kind = TAX_GROUP[0] if pref > cons else TAX_GROUP[1] if cons > pref else TAX_GROUP[0]
    margin = abs(pref - cons)
    return kind, 0.97 if margin >= 4 else 0.9 if margin >= 2 else 0.6 if margin > 0 else 0.45


_APPROVED_CUE = re.compile(r"ロ\s*ボ\s*ッ\s*ト\s*等\s*導\s*入\s*促\s*進|導\s*入\s*促\s*進\s*事\s*業|補\s*助\s*事\s*業|認\s*定")


def _resolve_plan(title_line: str, region_text: str, forms: set[str],
                  body: dict[str, float]) -> tuple[str, float]:
    """事業計画書: 様式第2号 for the loan, or the plan approved under the subsidy (approved_plan).

    Decisive (≥ 0.9) when the title line names the subsidy programme or 認定, or the page carries
    様式第2号, or the title's surroundings name the programme; otherwise the body decides, doubtfully.
    """
    if _APPROVED_CUE.search(title_line):
        return "approved_plan", 0.95
    if "business_plan" in forms:
        return "business_plan", 0.97
    if _APPROVED_CUE.search(region_text):
        return "approved_plan", 0.9
    approved, business = body.get("approved_plan", 0.0), body.get("business_plan", 0.0)
    if approved >= 3 and approved > business:
        return "approved_plan", 0.7
    return "business_plan", 0.8 if business > approved else 0.65


_PERIOD = re.compile(r"自\s*(\S{6,16}?日)\s*(?:\S{0,2}\s*)?至\s*(\S{6,16}?日)")
_AS_AT = re.compile(r"(\S{6,16}?日)\s*現在")
_TO = re.compile(r"至\s*(\S{6,16}?日)")


def _period_end(page: Page) -> date | None:
    """The latest fiscal period end printed on a financial statement page (its 当期).

    「自令和5年4月1日 至令和6年3月31日」 gives its 至 date; a balance sheet's 「令和6年3月31日現在」 its date.
    With 前期 and 当期 columns the later end is the statement's own.
    """
    ends: list[date] = []
    for line in page.lines:
        text = line.text
        if "至" not in text and "現在" not in text:
            continue
        for m in _PERIOD.finditer(text):
            end = normalize.parse_date(m.group(2))
            if end is not None:
                ends.append(end)
        for m in _TO.finditer(text):  # 「至2024年3月31日」 on a line of its own, or its 自 lost by OCR
            end = normalize.parse_date(m.group(1))
            if end is not None:
                ends.append(end)
        for m in _AS_AT.finditer(text):
            end = normalize.parse_date(m.group(1))
            if end is not None:
                ends.append(end)
    return max(ends) if ends else None


def _listed(page: Page) -> tuple[set[str], set[int]]:
    """The document types a page names in a list, and the lines of that list.

    A list item naming a document (「1.融資申込書(様式第1号-1、2)」, 「・補助金交付決定通知書の写し」), or a
    run of ``LISTED_TYPES`` or more consecutive title-like lines naming as many different documents (a
    送付状 whose list has no bullets), refers to those documents: it is neither this page's title nor
    its form number nor a body cue.
    """
    kinds: set[str] = set()
    lines: set[int] = set()
    run: list[tuple[int, str]] = []

    def close_run() -> None:
        if len(run) >= LISTED_TYPES and len({k for _, k in run}) >= LISTED_TYPES:
            kinds.update(k for _, k in run)
            lines.update(i for i, _ in run)
        run.clear()

    for i, line in enumerate(page.lines):
        m = _LIST_ITEM.match(line.text)
        if m and "。" not in line.text:
            kind = _mentioned_title(line.text[m.end():])
            if kind is not None:
                kinds.add(kind)
                lines.add(i)
                run.append((i, kind))
                continue
        plain = not m and "。" not in line.text and len(_compact(line.text)) <= MAX_LISTED_LINE
        kind = _mentioned_title(line.text) if plain else None
        if kind is not None:
            run.append((i, kind))
        else:
            close_run()
    close_run()
    return kinds, lines


def _mentioned_title(text: str) -> str | None:
    """The document a list item names (「補助金交付決定通知書の写し」, 「県税の納税証明書」), if any."""
    compact = _compact(text)
    for kind, rx in _TITLES:
        m = rx.search(compact)
        if m and m.start() <= MAX_TITLE_PREFIX and kind not in ("certificate", "cover"):
            return kind
    return None


def _find_title(page: Page, region: list[int], skip: set[int]) -> tuple[str | None, int]:
    """The first title in the title region (lines of a list of documents skipped) and its line; a bare
    「証明書」 gives way to a subtitle right under it that names the certificate (「(県税の未納がないことの証明)」)."""
    lines = [i for i in region if i not in skip]
    for n, i in enumerate(lines):
        title = _title_on_line(page.lines[i].text)
        if title is None:
            continue
        if title == "certificate":
            for j in lines[n + 1:n + 1 + CERTIFICATE_LOOKAHEAD]:
                sub = _title_on_line(page.lines[j].text)
                if sub is not None and sub not in ("certificate", "cover"):
                    return sub, j
        return title, i
    return None, 0


def _resolve_certificate(body: dict[str, float]) -> tuple[str, float]:
    """A bare 「証明書」: a tax certificate or an expert support one when the body says so, else unknown."""
    tax = max(body.get(k, 0.0) for k in TAX_GROUP)
    expert = body.get("expert_support_certificate", 0.0)
    if tax >= BODY_THRESHOLD and tax > expert:
        kind, confidence = _resolve_tax(body)
        return kind, min(confidence, 0.85)
    if expert >= BODY_THRESHOLD and expert > tax:
        return "expert_support_certificate", 0.8
    return UNKNOWN, 0.5


def analyse_page(page: Page) -> PageVerdict:
    """The page's type, confidence, whether a title or form number was found, and a period end.

    A page titled as a cover letter (「送付状」, 「提出書類一覧」) is ``unknown``, and so is an untitled page
    that lists several document types (a 送付状 read without its title); a list of documents is never
    a title, a form number or a body cue.
    """
    region = _title_region(page)
    listed, listed_lines = _listed(page)
    title, title_at = _find_title(page, region, listed_lines)
    forms: set[str] = set()
    for i in region:
        form = _form_on_line(page.lines[i].text) if i not in listed_lines else None
        if form:
            forms.add(form)
    body_text = page.text if not listed_lines else "\n".join(
        line.text for i, line in enumerate(page.lines) if i not in listed_lines)
    body = _body_scores(body_text)
    region_text = "\n".join(page.lines[i].text for i in region)

    kind: str
    confidence: float
    if title == "cover":
        kind, confidence = UNKNOWN, 0.8
    elif title == "certificate":
        kind, confidence = _resolve_certificate(body)
    elif title == "tax":
        kind, confidence = _resolve_tax(body)
    elif title == "plan":
        kind, confidence = _resolve_plan(page.lines[title_at].text, region_text, forms, body)
    elif title is not None:
        kind = title
        confidence = 0.9 + 0.09 * min(1.0, body.get(kind, 0.0) / 4.0)
        if title in TAX_GROUP:
            other = TAX_GROUP[1] if title == TAX_GROUP[0] else TAX_GROUP[0]
            if body.get(other, 0.0) > body.get(title, 0.0) + 2:
                confidence = 0.6  # 「納税証明書(その3)」 yet issued by a 県税事務所: doubtful
    elif forms:
        kind = max(sorted(forms), key=lambda k: body.get(k, 0.0))
        confidence = 0.55 if len(forms) > 1 else 0.75 + 0.2 * min(1.0, body.get(kind, 0.0) / 4.0)
    elif len(listed) >= LISTED_TYPES:
        kind, confidence = UNKNOWN, 0.7  # a list of the packet's documents, not one of them
    else:
        ranked = sorted(body.items(), key=lambda kv: kv[1], reverse=True)
        best, score = ranked[0] if ranked else (UNKNOWN, 0.0)
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= BODY_THRESHOLD:
            kind = best
            confidence = min(0.75, 0.35 + 0.05 * score) * (1.0 if score - second >= 2 else 0.8)
        else:
            kind, confidence = UNKNOWN, 0.5 if score == 0 else 0.4
    titled = title is not None or bool(forms)
    period_end = term = None
    if kind == "financial_statements":
        period_end = _period_end(page)
        terms = (normalize.parse_term_number(page.lines[i].text) for i in region)
        term = next((t for t in terms if t is not None), None)
    addressed = kind in ADDRESSED_TYPES and titled and any(_ADDRESSEE.search(page.lines[i].text) for i in region)
    return PageVerdict(kind, round(confidence, 3), titled, period_end, term, tuple(sorted(body.items())), addressed)


def classify_page(page: Page) -> tuple[str, float]:
    """The page's document type (one of ``DOCUMENT_TYPES``) and a confidence in 0..1."""
    verdict = analyse_page(page)
    return verdict.type, verdict.confidence


@dataclass(slots=True)
class _Open:
    """The document being assembled: its type, pages, confidence and the fiscal period seen so far."""

    type: str
    pages: list[Page]
    confidence: float
    period_end: date | None
    term: int | None


def _continues(doc: _Open, v: PageVerdict) -> bool:
    """Whether a page (its verdict ``v``) continues the open document."""
    if not v.titled:
        if v.type not in (UNKNOWN, doc.type) and v.score(v.type) >= STRONG_BODY and v.score(doc.type) == 0:
            return False  # none of the open document's cues, strong cues of another: an unread title
        return doc.type != UNKNOWN or v.type == UNKNOWN
    if v.type == doc.type:
        if doc.type in ADDRESSED_TYPES:
            return not v.addressed  # a second quote in the file opens with its own title and addressee
        if doc.type != "financial_statements":
            return True
        # another 当期 end or another 第N期: the next period's statement
        if v.period_end and doc.period_end and v.period_end != doc.period_end:
            return False
        return not (v.term and doc.term and v.term != doc.term)
    # a title two types share, read without a decisive cue on this page, keeps the open document's type
    return any(v.type in group and doc.type in group and v.confidence < GROUP_DECISIVE
               for group in (TAX_GROUP, PLAN_GROUP))


def split_documents(pages: list[Page]) -> list[DocumentSpan]:
    """Cut one file's pages (in order) into documents.

    A titled page of another type starts a new document; an untitled page continues the previous
    one (or starts one of its body's type after an unknown page, or when its body cues of another type
    reach ``STRONG_BODY`` with none of the open document's); a financial statement page whose
    fiscal period (当期 end, or 第N期) differs from the current statement's starts a new statement. The
    document's confidence is its first page's, lowered a little by a doubtful page it took in.
    """
    docs: list[_Open] = []
    for page in pages:
        v = analyse_page(page)
        doc = docs[-1] if docs else None
        if doc is not None and _continues(doc, v):
            doc.pages.append(page)
            if v.type == doc.type and v.confidence < doc.confidence:
                doc.confidence = max(v.confidence, doc.confidence - 0.05)
            doc.period_end = doc.period_end or v.period_end
            doc.term = doc.term or v.term
        else:
            docs.append(_Open(v.type, [page], v.confidence, v.period_end, v.term))
    log.debug("split %d pages into %d documents", len(pages), len(docs))
    return [DocumentSpan(d.type, d.pages, round(d.confidence, 3)) for d in docs]

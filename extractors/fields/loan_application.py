"""Fields of a loan application (融資申込書 様式第1号-1・2, 借入申込書).

Contract fields: applicant_name, address, capital, employees, industry, business_start_date,
loan_amount, loan_term_months, grace_months, use_of_funds; plus track (「1」/「2」 when the form ticks
融資対象者 (1) or (2)), business_unit (JFC: 中小企業事業 / 国民生活事業) and funds_detail (what the money buys or
pays for: 「資金の内容」, 「導入設備」; JFC's rules look there for 土地 and for the kind of 運転資金) when printed.

A 資金使途 printed as a table (「区分 | 内容 | 金額」 under a 資金使途 heading) gives use_of_funds from the kinds
in its 区分 column (「設備資金・運転資金」) and funds_detail from every row's 内容 joined by 「、」. A column header
(「区分」, 「内容(購入先)」) is never a value: nothing read is better than a header read as the use of funds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extractors.fields import common
from extractors.fields.common import Read, labels, put, read_field
from pipeline.model import Field, Page

APPLICANT = labels("申込者名", "申込人名", "商号又は名称", "氏名又は名称", "名称又は氏名", "名称(商号)",
                   "企業名", "会社名", "法人名", "事業者名", "申請者名", "お名前", "商号", "名称", "氏名",
                   not_after=("事業の", "事業所", "金融機関", "機関", "設備の", "設備", "機械の", "補助事業", "店舗",
                              "工場", "代表者", "代表者の", "担当者", "担当者の", "連絡先", "保証人"))
ADDRESS = labels("本店所在地", "本社所在地", "主たる事務所の所在地", "住所又は所在地", "所在地", "本店住所", "住所",
                 not_after=("工場", "設置場所", "場所の", "事業所", "設置", "代表者", "代表者の", "設備の", "担当者"))
CAPITAL = labels("資本金又は出資の額", "資本金又は出資金", "資本金の額", "資本金", "出資金", "資本の額", "出資の総額")
EMPLOYEES = labels("常時使用する従業員数", "常時使用する従業員", "常用従業員数", "従業員数", "従業者数", "従業員",
                   "社員数")
INDUSTRY = labels("主たる業種", "主な業種", "業種")
BUSINESS = labels("主な事業内容", "事業内容", "営業種目", "業務内容")  # the 業種 when no 業種 is printed
START = labels("創業年月日", "設立年月日", "創業(設立)年月日", "設立(創業)年月日", "創業・設立年月日", "事業開始年月日",
               "開業年月日", "設立年月", "創業年月", "創業日", "設立日", "創業", "設立", "開業")
LOAN_AMOUNT = labels("融資申込額", "融資申込金額", "借入申込額", "借入申込金額", "申込金額", "申込額", "融資希望額",
                     "借入希望額", "融資希望金額", "借入希望金額", "融資金額", "借入金額", "融資額", "借入額")
TERM = labels("融資期間", "借入期間", "返済期間", "貸付期間", "償還期間")
GRACE = labels("据置期間", "据置")
USE = labels("資金使途", "資金の使途", "融資使途", "使途", "資金の種類", "資金種類", "資金区分", "資金のお使いみち",
             "お使いみち", "使いみち")
DETAIL = labels("資金使途の内容", "資金使途の詳細", "資金の内容", "資金の明細", "使途の内容", "使途の詳細", "使途明細",
                "具体的な使途", "お使いみちの内容", "使いみちの内容", "導入設備", "導入する設備", "導入予定設備",
                "購入設備", "設備の内容")
# the heading over a funds table (区分 | 内容 | 金額)
FUNDS_TABLE = labels("資金使途の明細", "資金使途の内訳", "資金使途明細", "資金使途内訳", "資金の明細", "資金の内訳",
                     "使途明細", "使途の明細", "資金使途", "資金の使途", "融資使途", "使途", "資金のお使いみち",
                     "お使いみち", "使いみち")
UNIT_FIELD = labels("ご利用事業", "利用事業", "ご利用の事業", "利用する事業", "事業区分", "申込事業", "取扱事業")
TRACK_LABEL = labels("融資対象者の区分", "融資対象者", "対象者の区分", "対象者区分", "該当区分", "融資対象")
UNIT_LABEL = labels("中小企業事業", "国民生活事業")
REPRESENTATIVE = labels("代表者", "代表者名", "代表者氏名", "電話番号", "電話", "TEL", "FAX")

STOP = common.any_of(APPLICANT, ADDRESS, CAPITAL, EMPLOYEES, INDUSTRY, BUSINESS, START, LOAN_AMOUNT, TERM, GRACE,
                     USE, DETAIL, REPRESENTATIVE)

_TRACK_OPTIONS = {"1": re.compile(r"\(\s*1\s*\)|①"), "2": re.compile(r"\(\s*2\s*\)|②")}
_TRACK_VALUE = re.compile(r"^\s*(?:\(\s*([12])\s*\)|([①②])|([12])(?!\d))")
_USE_OPTIONS = {"設備資金": re.compile(r"設\s*備\s*資\s*金"), "運転資金": re.compile(r"運\s*転\s*資\s*金")}
_SPACES = re.compile(r"\s+")
# a column header of a funds table: 「区分」, 「内容(購入先)」, 「金額(万円)」, 「支払先」 (with an optional note in brackets)
_COLUMN_HEADER = re.compile(r"(?:資金)?(?:区分|内容|金額|項目|種類|種別|摘要|明細|支払先|購入先|支払予定|数量|単価|備考)"
                            r"(?:\([^()]{0,10}\))?")
_KIND_CELL = re.compile(r"(設備|運転)資金")
_TOTAL = re.compile(r"(?:所要資金)?合計|計$|小計")
_AMOUNT_ONLY = re.compile(r"[金¥\\\s]*[\d,，.]+\s*(?:円|万円|千円)?")
_TRAILING_AMOUNT = re.compile(r"\s+[¥\\]?\d{1,3}(?:,\d{3})+.*$")
_TABLE_WINDOW = 12  # lines after a 資金使途 label in which its table's rows may be printed
_UNIT_OPTIONS = {"中小企業事業": re.compile("中小企業事業"), "国民生活事業": re.compile("国民生活事業")}


def _track(cell: common.Cell, unit: int = 1) -> Read | None:
    m = _TRACK_VALUE.match(cell.text)
    if not m:
        return None
    digit = m.group(1) or m.group(3) or ("1" if m.group(2) == "①" else "2")
    return Read(digit, cell.sub(m.start(), m.end()), 0.9)


def _unit(cell: common.Cell, unit: int = 1) -> Read | None:
    """The one business unit a labelled cell names (「ご利用事業 中小企業事業」); None for a tick list."""
    if any(ch in cell.text for ch in common.UNCHECKED):
        return None
    found = [(m.start(), m.end(), name) for name, rx in _UNIT_OPTIONS.items() for m in rx.finditer(cell.text)]
    if len({name for _, _, name in found}) != 1:
        return None
    start, end, name = found[0]
    return Read(name, cell.sub(start, end))


def _is_header(value: str) -> bool:
    """Whether a cell is a table's column header (「区分」, 「内容(購入先)」, 「金額(円)」), never a value."""
    return _COLUMN_HEADER.fullmatch(_SPACES.sub("", unicodedata.normalize("NFKC", value))) is not None


def _use_text(cell: common.Cell, unit: int = 1) -> Read | None:
    """Free text of 資金使途, unless it is an untouched tick list (「□設備資金 □運転資金」) or a column header."""
    if any(ch in cell.text for ch in common.UNCHECKED):
        return None
    read = common.text(cell, unit)
    return None if read is None or _is_header(read.value) else read


def _detail_text(cell: common.Cell, unit: int = 1) -> Read | None:
    """Free text of 資金の内容, never a column header."""
    read = common.text(cell, unit)
    return None if read is None or _is_header(read.value) else read


@dataclass(frozen=True, slots=True)
class FundsTable:
    """The rows of a 資金使途 table (区分 | 内容 | 金額): the kinds named in the 区分 column and each row's 内容."""

    kinds: Read  # 「設備資金」 or 「設備資金・運転資金」, at the first row's 区分 cell
    detail: Read | None  # the 内容 of every row, joined by 「、」 (one row: its text), at the first 内容 cell


def funds_table(pages: list[Page]) -> FundsTable | None:
    """The 資金使途 table printed under a 資金使途 label: rows whose first cell is a kind of funds.

    Rows are read from the lines after the label (a header row such as 「区分 内容 金額」 is skipped)
    until a total (「合計」) or a line that is not a row once rows have begun.
    """
    for label in common.find_labels(pages, FUNDS_TABLE):
        page = label.page
        kinds: list[str] = []
        details: list[Read] = []
        first: common.Cell | None = None
        for i in range(label.line_index + 1, min(len(page.lines), label.line_index + 1 + _TABLE_WINDOW)):
            line = page.lines[i]
            segs = common.segments(line)
            if not segs:
                continue
            a, b = segs[0]
            head = _SPACES.sub("", line.text[a:b])
            m = _KIND_CELL.match(head)
            if m is None:
                if kinds and (_TOTAL.match(head) or not _is_header(head)):
                    break
                continue
            kind = m.group(1) + "資金"
            cell = common.Cell(page, i, a, b)
            first = first or cell.sub(0, _unspaced_end(line.text[a:b], m.end()))
            if kind not in kinds:
                kinds.append(kind)
            rest = [common.Cell(page, i, c, d) for c, d in segs[1:]]
            if len(_SPACES.sub("", line.text[a:b])) > m.end():  # 「設備資金 IoT…」 glued in one cell
                rest.insert(0, cell.sub(_unspaced_end(line.text[a:b], m.end()), b - a))
            for c in rest:
                read = _detail_text(c)
                if read is not None and not _AMOUNT_ONLY.fullmatch(read.value):
                    cut = _TRAILING_AMOUNT.search(read.value)  # 「… 15,400,000 株式会社…」: the next columns glued on
                    details.append(Read(read.value[:cut.start()], read.cell.sub(0, cut.start())) if cut else read)
                    break
        if kinds and first is not None:
            ordered = [k for k in _USE_OPTIONS if k in kinds]
            detail = None
            if details:
                detail = Read("、".join(r.value for r in details), details[0].cell)
            # each kind read is one of two words (設備資金, 運転資金): the word list checks its characters
            return FundsTable(Read("・".join(ordered), first, lexicon=(0, first.end - first.start)), detail)
    return None


def _unspaced_end(text: str, n: int) -> int:
    """The offset in ``text`` just after its first ``n`` non-space characters."""
    seen = 0
    for k, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == n:
                return k + 1
    return len(text)


def extract(pages: list[Page]) -> dict[str, Field]:
    unit = common.page_unit(pages)
    fields: dict[str, Field] = {}
    put(fields, "applicant_name", read_field(pages, APPLICANT, common.name, stop=STOP)
        or common.first_company(pages[0]))
    put(fields, "address", read_field(pages, ADDRESS, common.address, stop=STOP))
    put(fields, "capital", read_field(pages, CAPITAL, common.amount, unit=unit, stop=STOP))
    put(fields, "employees", read_field(pages, EMPLOYEES, common.count, stop=STOP))
    put(fields, "industry", common.read_first(pages, (INDUSTRY, BUSINESS), common.text, stop=STOP))
    put(fields, "business_start_date", read_field(pages, START, common.a_date, stop=STOP))
    put(fields, "loan_amount", read_field(pages, LOAN_AMOUNT, common.amount, unit=unit, stop=STOP))
    put(fields, "loan_term_months", read_field(pages, TERM, common.months, stop=STOP))
    put(fields, "grace_months", read_field(pages, GRACE, common.months, stop=STOP))

    ticked = common.marked_option(pages, _USE_OPTIONS, near=USE, window=3)
    table = funds_table(pages)
    if ticked is not None:
        put(fields, "use_of_funds", common.to_field(ticked))
    elif table is not None:
        put(fields, "use_of_funds", common.to_field(table.kinds))
    else:
        put(fields, "use_of_funds", read_field(pages, USE, _use_text, stop=STOP))

    detail = read_field(pages, DETAIL, _detail_text, stop=STOP)
    if detail is None and table is not None and table.detail is not None:
        detail = common.to_field(table.detail)
    put(fields, "funds_detail", detail)

    track = common.marked_option(pages, _TRACK_OPTIONS, near=TRACK_LABEL, window=6)
    put(fields, "track",
        common.to_field(track) if track else read_field(pages, TRACK_LABEL, _track, stop=STOP))

    business_unit = common.marked_option(pages, _UNIT_OPTIONS)
    # a line naming both units is a tick list whose marks were not read (「□中小企業事業 ■国民生活事業」 by OCR
    # as 「口中小企業事業還国民生活事業」): the unit is not known, whichever name a label or the page offers
    choice_list = any(all(rx.search(line.text) for rx in _UNIT_OPTIONS.values())
                      for page in pages for line in page.lines)
    if business_unit is None and not choice_list:
        labelled = read_field(pages, UNIT_FIELD, _unit, stop=STOP)
        if labelled is not None:
            put(fields, "business_unit", labelled)
            return fields
        named = {c.text for c in common.find_labels(pages, UNIT_LABEL, prose=True)}
        if len(named) == 1:
            cell = next(common.find_labels(pages, UNIT_LABEL, prose=True))
            business_unit = Read(cell.text, cell, 0.8)
    if business_unit is not None:
        put(fields, "business_unit", common.to_field(business_unit))
    return fields

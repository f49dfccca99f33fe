"""Fields of a subsidy decision notice (補助金交付決定通知書).

recipient_name (the 宛先 before 様/殿), decision_date (the notice's date, not the 「…付けで申請のあった」
application date), project_name (補助事業の名称), project_cost (補助事業に要する経費), subsidy_amount
(補助金の額 / 交付決定額 / 「金…円を交付することに決定」).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors import nlp
from extractors.fields import common
from extractors.fields.common import Cell, Read, labels, put, read_field
from pipeline.model import Field, Page

RECIPIENT = labels("補助事業者名", "補助事業者", "交付先", "申請者名", "申請者", "宛先")
DECISION_DATE = labels("交付決定年月日", "交付決定日", "決定年月日", "決定日")
PROJECT_NAME = labels("補助事業の名称", "補助事業名称", "補助事業名", "事業の名称", "事業名", "件名")
PROJECT_COST = labels("補助事業に要する経費の額", "補助事業に要する経費", "補助事業費", "総事業費", "事業費",
                      not_after=("補助対象",))
SUBSIDY = labels("補助金交付決定額", "交付決定額", "補助金の額", "補助金額", "補助金交付額", "交付額",
                 not_after=("申請",), not_before=r"の確定|確定")
OTHER = labels("補助対象経費", "補助率", "条件", "補助事業の期間", "事業期間", "交付の条件", "文書番号")
STOP = common.any_of(RECIPIENT, DECISION_DATE, PROJECT_NAME, PROJECT_COST, SUBSIDY, OTHER)

_HONORIFIC = re.compile(r"(?:様|殿)\s*$")
_DECIDED = re.compile(r"金\s*(?P<amt>[^\s、。]{1,24}?円)\s*(?:也)?\s*(?:を|の)?[^。]{0,30}?交付(?:する)?こと(?:に|と)決定")
_APPLIED_ON = re.compile(r"付け|付で|付にて|申請|から|まで|以内|期限|期間")
TOP_LINES = 12  # the notice's own date and its addressee sit above the body


def _recipient(pages: list[Page]) -> Field | None:
    labelled = read_field(pages, RECIPIENT, common.name, stop=STOP)
    if labelled is not None:
        return labelled
    page = pages[0]
    for i, line in enumerate(page.lines[:TOP_LINES]):
        if not _HONORIFIC.search(line.text) or common.NOT_APPLICANT.search(line.text):
            continue
        # 「株式会社福井精密 代表取締役 福井太郎 様」, or the company on the line above 「代表取締役 … 様」
        for j in (i, i - 1, i - 2):
            if j < 0:
                continue
            found = next(common.company_names(page, [j]), None)
            if found is not None:
                return common.to_field(replace(found, confidence=0.95 if j == i else 0.85))
        # no legal form: GiNZA picks the organisation or person out of the line (a sole proprietor)
        cell = Cell(page, i, 0, _HONORIFIC.search(line.text).start())  # type: ignore[union-attr]
        names = nlp.org_or_person_names(cell.text)
        if names:
            start = cell.text.find(names[0])
            if start >= 0:
                return common.to_field(Read(names[0], cell.sub(start, start + len(names[0])), 0.7))
        read = common.name(cell)
        if read is not None:
            return common.to_field(replace(read, confidence=0.6))
    return None


def _decision_date(pages: list[Page]) -> Field | None:
    labelled = read_field(pages, DECISION_DATE, common.a_date, stop=STOP)
    if labelled is not None:
        return labelled
    # the notice's own date: the first date above the body, else a line that is a date and little else
    page = pages[0]
    for i, line in enumerate(page.lines):
        if _APPLIED_ON.search(line.text):
            continue  # 「令和5年6月1日付けで申請のあった…」 is the application's date
        for m in common.DATE_RX.finditer(line.text):
            standalone = len(line.text.replace(" ", "")) - len(m.group().replace(" ", "")) <= 5
            if i >= TOP_LINES and not standalone:
                continue
            read = common.a_date(Cell(page, i, m.start(), m.end()))
            if read is not None:
                factor = 0.95 if i < TOP_LINES else 0.8
                return common.to_field(replace(read, confidence=read.confidence * factor))
    return None


def _subsidy_amount(pages: list[Page]) -> Field | None:
    reads: list[Read] = []
    for label in common.find_labels(pages, SUBSIDY):
        _, note_unit = common.label_unit(label)
        for cell in common.value_cells(label, STOP):
            read = common.amount(cell, note_unit or 1)
            if read is not None:
                reads.append(read)
                break
    for page in pages:
        for i, line in enumerate(page.lines):
            # the sentence may wrap: 「…金3,000,000円を」 / 「交付することに決定したので…」
            joined = line.text + (page.lines[i + 1].text if i + 1 < len(page.lines) else "")
            for m in _DECIDED.finditer(joined):
                if m.end("amt") > len(line.text):
                    continue
                cell = Cell(page, i, m.start(), m.end("amt"))
                read = common.amount(cell)
                if read is not None:
                    reads.append(read)
    return common.best_of(reads)


def extract(pages: list[Page]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    put(fields, "recipient_name", _recipient(pages))
    put(fields, "decision_date", _decision_date(pages))
    put(fields, "project_name", read_field(pages, PROJECT_NAME, common.text, stop=STOP))
    put(fields, "project_cost", read_field(pages, PROJECT_COST, common.amount, stop=STOP))
    put(fields, "subsidy_amount", _subsidy_amount(pages))
    return fields

"""Fields of a tax certificate (県税 no-arrears certificate; 国税 消費税及地方消費税 その1/その3/その3の2/その3の3).

taxpayer_name, issue_date, issuer, has_arrears. has_arrears is False when the certificate states that
nothing is outstanding (滞納がない, 未納の税額はありません, 未納税額 0円, 完納), True when it states an
outstanding amount above zero, and absent otherwise (the check then goes to review).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors import normalize
from extractors.fields import common
from extractors.fields.common import Cell, Read, labels, put, read_field
from pipeline.model import Field, Page

TAXPAYER = labels("氏名又は名称", "氏名(名称)", "名称(氏名)", "商号又は名称", "納税者氏名", "納税者名", "納税者", "法人名",
                  "氏名", "名称", not_after=("代表者", "事務所", "税務署", "事業の"))
ADDRESS = labels("住所又は所在地", "住所(所在地)", "所在地", "住所")
ISSUE_DATE = labels("証明年月日", "発行年月日", "交付年月日", "証明日", "発行日", "交付日")
ARREARS = labels("未納税額", "未納の税額", "未納額", "滞納額", "滞納税額")
ISSUER_LABEL = labels("証明者", "発行者")
STOP = common.any_of(TAXPAYER, ADDRESS, ISSUE_DATE, ARREARS, ISSUER_LABEL,
                     re.compile(r"代表者|税目|年度|証明書の使用目的|使用目的|証明を受けようとする"))

ISSUER_RX = re.compile(
    r"[^\s、。:：()ぁ-ゖ]{0,16}?(?:税務署長|県税事務所長|税事務所長|総合事務所長|財務事務所長|振興局長|県知事|都知事|府知事|"
    r"道知事|知事|税務署|県税事務所)"
)
NO_ARREARS = re.compile(
    r"滞納(?:が|は)?(?:ない|無い|ありません|なし)|滞納のないこと|未納(?:の)?(?:税額|額)?(?:が|は)?(?:ない|無い|ありません|なし)"
    r"|完納|滞納処分を受けたことがない|課税(?:が|は)?(?:ない|ありません)"
)
ARREARS_STATED = re.compile(r"滞納(?:が|は)?(?:あります|あり|ある)(?!ません)|未納(?:の)?(?:税額)?(?:が|は)?(?:あります|あり)(?!ません)")
COLUMN_LINES = 16  # a tax table's rows under its header
_TABLE_END = re.compile(r"以下余白|証明します|相違ない")
_ISSUER_LEAD = re.compile(r"(?:証明者|発行者|発行元)[\s:：]*")
_STANDALONE_SLACK = 5  # a 「date line」 may carry this many other characters (「発行日:」)
_NOT_ISSUE = re.compile(r"自|至|から|まで|期限|納期|年度|事業年度|課税期間")


def _issuer(pages: list[Page]) -> Read | None:
    """The issuing office: 「福井税務署長」, 「福井県福井県税事務所長」; an addressee (…様) is skipped."""
    found: list[Read] = []
    for page in pages:
        for i, line in enumerate(page.lines):
            for m in ISSUER_RX.finditer(line.text):
                rest = line.text[m.end():].lstrip()
                if rest.startswith(("様", "殿", "あて", "宛")):
                    continue
                start = m.start()
                lab = _ISSUER_LEAD.match(line.text, start)
                if lab:
                    start = lab.end()
                found.append(Read(line.text[start:m.end()], Cell(page, i, start, m.end())))
    if not found:
        return None
    # the office that signs prints its title with 長 or 知事; prefer it, and the last one (the signature)
    signed = [r for r in found if r.value.endswith(("長", "知事"))]
    return (signed or found)[-1]


def _issue_date(pages: list[Page], issuer: Read | None) -> Field | None:
    labelled = read_field(pages, ISSUE_DATE, common.a_date, stop=STOP)
    if labelled is not None:
        return labelled
    candidates: list[tuple[int, Read]] = []  # (distance to the issuer line, read)
    for page in pages:
        for i, line in enumerate(page.lines):
            for m in common.DATE_RX.finditer(line.text):
                other = len(line.text.replace(" ", "")) - len(m.group().replace(" ", ""))
                certifies = "証明" in line.text or (issuer is not None and issuer.cell.page is page
                                                     and issuer.cell.line_index == i)
                if (other > _STANDALONE_SLACK and not certifies) or _NOT_ISSUE.search(line.text):
                    continue  # a date inside a sentence or a table row (a period, a due date)
                read = common.a_date(Cell(page, i, m.start(), m.end()))
                if read is None:
                    continue
                dist = abs(issuer.cell.line_index - i) if issuer and issuer.cell.page is page else 99
                candidates.append((dist, read))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    best = candidates[0][1]
    doubtful = any(r.value != best.value for _, r in candidates[1:])
    return common.to_field(replace(best, confidence=best.confidence * (0.85 if doubtful else 0.95)))


def _arrears_amounts(pages: list[Page]) -> list[Read]:
    """Amounts printed under or beside a 未納税額 / 滞納額 label (a table column, or one value)."""
    reads: list[Read] = []
    for label in common.find_labels(pages, ARREARS):
        line = label.line
        after, _ = common.label_unit(label)
        right = Cell(label.page, label.line_index, after, len(line.text))
        r = _amount_or_nil(right)
        if r is not None:
            reads.append(r)
            continue
        # a column: the cells under the label (rows may wrap over several lines), down to the table's end
        lbox = line.span_bbox(label.start, label.end)
        # the column runs from the label to the next header cell (numbers are right-aligned in it)
        right_edge = next((line.span_bbox(a, b)[0] for a, b in common.segments(line) if a >= label.end),
                          label.page.width or 1e9)
        for j in range(label.line_index + 1, min(len(label.page.lines), label.line_index + 1 + COLUMN_LINES)):
            below = label.page.lines[j]
            if _TABLE_END.search(below.text):
                break
            cell = _in_column(label.page, j, lbox[0], right_edge)
            if cell is not None:
                r = _amount_or_nil(cell)
                if r is not None:
                    reads.append(r)
    return reads


def _in_column(page: Page, j: int, x0: float, x1: float) -> Cell | None:
    """The cell of line ``j`` in the column [x0, x1): one that starts in it, else one centred in it."""
    line = page.lines[j]
    segs = [(a, b, line.span_bbox(a, b)) for a, b in common.segments(line)]
    for a, b, box in segs:
        if x0 - 2 <= box[0] < x1:
            return Cell(page, j, a, b)
    for a, b, box in segs:
        if x0 <= (box[0] + box[2]) / 2 < x1:
            return Cell(page, j, a, b)
    return None


def _amount_or_nil(cell: Cell) -> Read | None:
    text = cell.text.strip()
    if not text:
        return None
    if normalize.is_nil(text) or re.fullmatch(r"なし|無し|0", text):
        return Read(0, cell)
    return common.amount(cell)


def _has_arrears(pages: list[Page]) -> Field | None:
    amounts = _arrears_amounts(pages)
    positive = [r for r in amounts if r.value > 0]
    # a certificate states it twice as a rule (証明を受ける事項 「県税に滞納がないこと」, and the statement
    # 「…について滞納がないことを証明する」): the best-read statement stands for both
    no_phrase = max(common.find_labels(pages, NO_ARREARS, prose=True),
                    key=lambda c: c.line.span_confidence(c.start, c.end), default=None)
    yes_phrase = next(common.find_labels(pages, ARREARS_STATED, prose=True), None)
    if positive:
        doubtful = no_phrase is not None
        return common.to_field(Read(True, positive[0].cell, 0.5 if doubtful else 0.95))
    if yes_phrase is not None:
        return common.to_field(Read(True, yes_phrase, 0.5 if no_phrase else 0.9))
    if no_phrase is not None:
        return common.to_field(Read(False, no_phrase))
    if amounts:
        return common.to_field(Read(False, amounts[0].cell, 0.9))
    return None


def extract(pages: list[Page]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    put(fields, "taxpayer_name", read_field(pages, TAXPAYER, common.name, stop=STOP))
    issuer = _issuer(pages)
    if issuer is not None:
        put(fields, "issuer", common.to_field(issuer))
    put(fields, "issue_date", _issue_date(pages, issuer))
    put(fields, "has_arrears", _has_arrears(pages))
    return fields

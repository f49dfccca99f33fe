"""Fields of the evidence of IoT expert advice (JFC IoT活用融資 ※2): programme and recipient_name.

programme is the canonical name of whichever of the four programmes the certificate names (ticked,
if it lists all four as a choice); when it names none of them, the text of its labelled 支援事業名 (「よろず支援
拠点(経営相談)」), so that a rule can say the advice came from another body: as sure as its reading, unless a line
of a scanned page comes near one of the four (most of its characters in order), which a misread character may
have hidden from the patterns. recipient_name is the company advised, not the issuing body.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from extractors.fields import common
from extractors.fields.common import Read, labels, put, read_field
from pipeline.model import Field, Page

PROGRAMMES: dict[str, re.Pattern[str]] = {
    "スマートものづくり応援隊": re.compile(r"(?:スマート\s*)?も\s*の\s*づ\s*く\s*り\s*応\s*援\s*隊"),
    "戦略的CIO育成支援事業": re.compile(r"(?:戦\s*略\s*的\s*)?C\s*I\s*O\s*育\s*成(?:\s*支\s*援\s*事\s*業)?"),
    "ミラサポ専門家派遣": re.compile(r"ミ\s*ラ\s*サ\s*ポ"),
    "スマートSMEサポーター": re.compile(r"S\s*M\s*E\s*サ\s*ポ\s*ー\s*タ\s*ー"),
}
RECIPIENT = labels("支援先企業名", "支援先企業", "支援先事業者", "支援先", "派遣先企業名", "派遣先企業", "派遣先", "支援対象企業", "対象企業名", "対象企業", "企業名",
                   "事業者名", "被支援者", "受援企業", "相談企業", "相談者", "会社名", "名称", "氏名又は名称",
                   not_after=("事業の", "専門家の", "機関", "派遣機関", "支援機関", "センター", "代表者"))
STOP = common.any_of(RECIPIENT, labels("住所", "所在地", "代表者", "専門家名", "専門家", "支援内容", "派遣日",
                                       "支援期間", "実施日", "支援日"))
PROGRAMME_LABEL = labels("支援事業名", "派遣事業名", "支援制度名", "支援制度", "制度名", "支援事業", "事業名",
                         not_after=("補助", "計画の"))
STOP = common.any_of(STOP, PROGRAMME_LABEL)
TITLE_LINES = 10
# a labelled programme that is none of the four while a line of an OCR'd page comes near one of them (a name
# the patterns missed through a misread character, 「ものづくリ応援隊」): read, but doubtful
NEAR_PROGRAMME = 0.6
NEAR = 0.6  # the share of a programme's characters, in order, that makes a line come near it
_SPACE = re.compile(r"\s")


def _programme(pages: list[Page]) -> Field | None:
    ticked = common.marked_option(pages, PROGRAMMES)
    if ticked is not None:
        return common.to_field(ticked)
    hits: list[tuple[bool, Read]] = []  # (in the title lines, read)
    for page in pages:
        for i, line in enumerate(page.lines):
            for value, rx in PROGRAMMES.items():
                m = rx.search(line.text)
                if m:
                    hits.append((i < TITLE_LINES, Read(value, common.Cell(page, i, m.start(), m.end()))))
    if not hits:
        labelled = read_field(pages, PROGRAMME_LABEL, common.text, stop=STOP)
        if labelled is not None and _near_a_programme(pages):
            return labelled.model_copy(update={"confidence": min(labelled.confidence, NEAR_PROGRAMME)})
        return labelled
    names = {r.value for _, r in hits}
    if len(names) == 1:
        return common.to_field(hits[0][1])
    in_title = [r for top, r in hits if top]
    if len({r.value for r in in_title}) == 1:
        return common.to_field(replace(in_title[0], confidence=0.85))
    return common.to_field(replace(hits[0][1], confidence=0.6))  # a list of all four, none ticked


def _near_a_programme(pages: list[Page]) -> bool:
    """Whether a line of an OCR'd page holds most of one programme's characters in order: a name the
    patterns may have missed through a misread character. A text layer's characters are as printed."""
    names = [_SPACE.sub("", name) for name in PROGRAMMES]
    for page in pages:
        if page.source != "ocr":
            continue
        for line in page.lines:
            text = _SPACE.sub("", line.text)
            for name in names:
                blocks = SequenceMatcher(None, name, text, autojunk=False).get_matching_blocks()
                if sum(b.size for b in blocks) >= NEAR * len(name):
                    return True
    return False


_GENERIC = re.compile(r"(?:企業|会社|事業者|法人|企業名|会社名|名称)(?:名)?")  # the tail of a label, never a name


def _name(cell: common.Cell, unit: int = 1) -> Read | None:
    """A recipient name, never a generic word left over from a longer label (「企業」 of 「支援先企業」)."""
    read = common.name(cell, unit)
    return None if read is None or _GENERIC.fullmatch(read.value) else read


def _recipient(pages: list[Page]) -> Field | None:
    labelled = read_field(pages, RECIPIENT, _name, stop=STOP)
    if labelled is not None:
        return labelled
    page = pages[0]
    for read in common.company_names(page):
        if common.addressed(read):
            return common.to_field(replace(read, confidence=0.8))  # addressed to the advised company
    first = next(common.company_names(page), None)
    return common.to_field(replace(first, confidence=0.6)) if first else None


def extract(pages: list[Page]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    put(fields, "programme", _programme(pages))
    put(fields, "recipient_name", _recipient(pages))
    return fields

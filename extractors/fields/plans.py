"""Fields of the plan-like forms: business_plan (様式第2号), approved_plan, opinion_letter (様式第3号),
plan_approval_application (様式第5号).

All give applicant_name: the company the plan is about, never the センター that writes an opinion nor
the 知事 a form is addressed to. The opinion letter also gives its issuer (ふくい産業支援センター).
A business plan that prints a plan table (JFC IoT活用融資 ※4: 付加価値額, 経常利益, 従業員数 by year) also gives
plan_years, read as a 収支計画書's table is (``income_plan``).
"""

from __future__ import annotations

import re

from extractors.fields import common, income_plan
from extractors.fields.common import Cell, Read, labels, put, read_field
from pipeline.model import Field, Page

APPLICANT = labels("申請者名", "申込者名", "申込人名", "申込人", "申込者", "事業者名", "企業名", "会社名", "法人名", "商号又は名称", "氏名又は名称",
                   "名称又は氏名", "対象企業名", "対象事業者名", "対象企業", "支援先企業名", "支援先", "補助事業者名",
                   "申請者", "事業者", "名称", "商号", "氏名",
                   not_after=("事業の", "補助事業の", "設備の", "設備", "機械の", "代表者", "代表者の", "事業所", "機関",
                              "計画の", "システムの", "センター", "支援機関"))
OTHER = labels("住所", "所在地", "代表者", "電話", "業種", "資本金", "従業員数", "設立", "創業", "事業計画の名称",
               "計画の名称", "事業名")
STOP = common.any_of(APPLICANT, OTHER)
_CENTER = re.compile(r"(?:公益財団法人)?\s*[^\s、。:：()]{0,12}?産業支援センター")


def _applicant(pages: list[Page]) -> Field | None:
    return read_field(pages, APPLICANT, common.name, stop=STOP) or common.first_company(pages[0])


def extract(pages: list[Page]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    put(fields, "applicant_name", _applicant(pages))
    return fields


def extract_business_plan(pages: list[Page]) -> dict[str, Field]:
    fields = extract(pages)
    put(fields, "plan_years", income_plan.extract(pages).get("plan_years"))
    return fields


def extract_opinion_letter(pages: list[Page]) -> dict[str, Field]:
    fields = extract(pages)
    for page in pages:
        for i, line in enumerate(page.lines):
            m = _CENTER.search(line.text)
            if m:
                start = m.start() + len(m.group()) - len(m.group().lstrip())
                put(fields, "issuer", common.to_field(Read(m.group().strip(), Cell(page, i, start, m.end()))))
                return fields
    return fields

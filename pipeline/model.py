"""The vocabulary shared by every stage: pages, fields with evidence, documents, checks, the report.

Two kinds of objects live here:

* ``Line`` and ``Page`` are plain frozen dataclasses: they are built for every line of every page
  on the hot path, where pydantic validation would cost more than the text extraction itself.
* Everything that crosses into the report (``Field``, ``Document``, ``FileEntry``, ``Requirement``,
  ``CheckResult``, ``Report``) is a frozen pydantic model whose ``model_dump(mode="json")`` is the
  contract's JSON (``../shared/spec/contract.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer
from pydantic import Field as ModelField

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left
TextSource = Literal["text", "ocr"]

DOCUMENT_TYPES: tuple[str, ...] = (
    "loan_application",
    "tax_certificate_prefectural",
    "tax_certificate_consumption",
    "financial_statements",
    "subsidy_decision_notice",
    "approved_plan",
    "business_plan",
    "funding_evidence",
    "income_expenditure_plan",
    "opinion_letter",
    "plan_approval_application",
    "expert_support_certificate",
    "unknown",
)


def union_bbox(boxes: list[BBox] | tuple[BBox, ...]) -> BBox:
    """The smallest box holding every box given; (0, 0, 0, 0) for none."""
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One line of normalised text, with one box per character of ``text``."""

    text: str
    boxes: tuple[BBox, ...]
    confidence: float = 1.0  # 1.0 for a text layer; the OCR engine's word confidence otherwise
    char_confidence: tuple[float, ...] = ()  # OCR: one per character of ``text``, its word's confidence

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.boxes)

    def span_confidence(self, start: int, end: int) -> float:
        """Confidence of ``text[start:end]``: OCR's for those characters, else the line's.

        As for a whole line (see ``extractors.ocr``): the lowest of its digits' words' confidences, since one
        wrong digit makes a wrong value, and the mean of its other characters' words', since a wrong letter
        in a name shows as a name that does not match. A name read well beside a cell read badly
        (「株式会社越前ロジテック　(単位: 千円)」) is as sure as its own words are, not as the line's mean.
        """
        if len(self.char_confidence) != len(self.text):
            return self.confidence
        pairs = [(ch, c) for ch, c in zip(self.text[start:end], self.char_confidence[start:end]) if not ch.isspace()]
        if not pairs:
            return self.confidence
        digits = [c for ch, c in pairs if ch.isdigit()]
        text = [c for ch, c in pairs if not ch.isdigit()]
        return min(digits + ([sum(text) / len(text)] if text else []))

    def span_bbox(self, start: int, end: int) -> BBox:
        """Box of the characters ``text[start:end]`` (e.g. a regex match span)."""
        return union_bbox(self.boxes[start:end])


@dataclass(frozen=True, slots=True)
class Page:
    """One page of one file, its lines in reading order (top to bottom, left to right)."""

    file: str
    number: int  # 1-based
    source: TextSource
    width: float
    height: float
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Field(_Frozen):
    """One value read from a document, with the evidence of where and how it was read."""

    value: Any
    confidence: float
    page: int
    bbox: BBox
    source: TextSource
    raw: str = ""  # the text as read, before it became a value
    # a table's value (a list of rows): each cell's own confidence, row by row (``{"ordinary_profit": 0.88}``);
    # ``confidence`` is then the lowest of them, and a rule may use the cells read well when others are doubtful
    cell_confidence: list[dict[str, float]] | None = None

    @model_serializer(mode="wrap")
    def _drop_absent_cells(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("cell_confidence") is None:
            data.pop("cell_confidence", None)
        return data


class Document(_Frozen):
    type: str
    file: str
    pages: list[int]
    text_source: Literal["text", "ocr", "mixed"]
    confidence: float
    fields: dict[str, Field] = {}


FileStatus = Literal["ok", "unreadable", "unsupported"]


class FileEntry(_Frozen):
    file: str
    sha256: str | None
    pages: int
    status: FileStatus
    error: str | None = None


class Requirement(_Frozen):
    id: str
    document_type: str | None
    label: str
    reference: str
    status: Literal["present", "missing", "unreadable"]
    documents: list[int] = []


CheckStatus = Literal["pass", "fail", "review", "not_applicable"]


class CheckResult(_Frozen):
    id: str
    label: str
    reference: str
    status: CheckStatus
    message: str
    inputs: dict[str, Any] = {}


Verdict = Literal["eligible", "ineligible", "incomplete", "review"]


class Report(_Frozen):
    schema_: str = ModelField("shinsa.report/1", alias="schema")
    packet: str
    program: str
    edition: str
    as_of: date
    verdict: Verdict
    track: str | None
    files: list[FileEntry]
    documents: list[Document]
    requirements: list[Requirement]
    checks: list[CheckResult]
    missing_documents: list[str]

    # "schema" shadows a BaseModel attribute, so the Python name is schema_ and the JSON key "schema".
    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, serialize_by_alias=True)


def decide_verdict(requirements: list[Requirement], checks: list[CheckResult]) -> Verdict:
    """contract.md: ineligible > incomplete > review > eligible."""
    if any(c.status == "fail" for c in checks):
        return "ineligible"
    if any(r.status != "present" for r in requirements):
        return "incomplete"
    if any(c.status == "review" for c in checks):
        return "review"
    return "eligible"

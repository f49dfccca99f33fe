"""The schema of a program rule file (``checks/programs/<id>.yaml``), as frozen pydantic models.

A program is data: its editions, its parameters (each value keyed by the date it takes effect and
carrying its legal reference, as in openfisca's country-template), how the track is decided, the
documents it requires and the checks it makes. Every ``reference`` must be a key of ``sections``,
which quotes the passage of the program's source text it points to (a test checks each quote is
really in the source). Loading a file that breaks the schema fails loudly, naming file and rule.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.model import DOCUMENT_TYPES

__all__ = [
    "ASSUMPTION_LABEL",
    "CheckSpec",
    "Clause",
    "DerivedSpec",
    "DocumentSpec",
    "Edition",
    "FieldSpec",
    "InputSpec",
    "Note",
    "Parameter",
    "ParameterValue",
    "ProgramFile",
    "ProgramMeta",
    "RequirementSpec",
    "RuleFileError",
    "Section",
    "Selector",
    "TrackRules",
    "UnknownProgram",
    "parse_selector",
]


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule."""

    def __init__(self, file: str, problem: str, rule: str | None = None) -> None:
        self.file = file
        self.rule = rule
        self.problem = problem
        super().__init__(f"{file}: {rule}: {problem}" if rule else f"{file}: {problem}")


class UnknownProgram(ValueError):
    """No rule file has this program id."""

    def __init__(self, program_id: str, known: list[str] | None = None) -> None:
        self.program_id = program_id
        self.known = known or []
        super().__init__(f"unknown program {program_id!r} (known: {', '.join(self.known) or 'none'})")


# ---------------------------------------------------------------- selectors

class Selector(NamedTuple):
    """``financial_statements[latest].period_end`` → (financial_statements, latest, period_end)."""

    type: str
    pick: Literal["first", "latest", "prior", "all"]
    field: str


_SELECTOR = re.compile(r"^(?P<type>[a-z_]+)(?:\[(?P<pick>latest|prior|\*)\])?\.(?P<field>[a-z_0-9]+)$")


def parse_selector(text: str) -> Selector:
    """Parse ``type.field``, ``type[latest].field``, ``type[prior].field`` or ``type[*].field``."""
    match = _SELECTOR.match(text.strip())
    if not match:
        raise ValueError(f"bad selector {text!r} (expected type.field, type[latest|prior|*].field)")
    pick = {"latest": "latest", "prior": "prior", "*": "all", None: "first"}[match["pick"]]
    return Selector(match["type"], pick, match["field"])  # type: ignore[arg-type]


# ---------------------------------------------------------------- models

TrackList = Literal["all"] | list[str]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _as_str_list(value: Any) -> Any:
    """Track ids are strings; a clerk writing ``[1, 2]`` in YAML means ``["1", "2"]``."""
    if isinstance(value, list):
        return [str(v) if isinstance(v, int) else v for v in value]
    return value


class Source(_Spec):
    file: str
    title: str


class Edition(_Spec):
    edition: str
    effective_from: date
    effective_to: date | None = None
    reference: str

    @field_validator("edition", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


class ProgramMeta(_Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    issuer: str
    source: Source
    editions: list[Edition] = Field(min_length=1)


class Section(_Spec):
    excerpt: str  # the passage of the source text, verbatim (spaces aside)
    note: str = ""  # e.g. where a cited law lies outside the source


class DocumentSpec(_Spec):
    label: str
    order_by: str | None = None  # the field that orders documents of this type for [latest] / [prior]


FieldType = Literal["int", "number", "bool", "date", "str", "list"]


class FieldSpec(_Spec):
    label: str
    type: FieldType | None = None  # checked when read; a value of another type is unknown


class ParameterValue(_Spec):
    from_: date = Field(alias="from")
    value: Any
    reference: str
    note: str = ""


class Parameter(_Spec):
    label: str
    values: list[ParameterValue] = Field(min_length=1)
    note: str = ""

    @field_validator("values")
    @classmethod
    def _by_date(cls, values: list[ParameterValue]) -> list[ParameterValue]:
        dates = [v.from_ for v in values]
        if len(set(dates)) != len(dates):
            raise ValueError("two values take effect on the same date")
        return sorted(values, key=lambda v: v.from_)


class UndeterminedTrack(_Spec):
    id: str
    label: str
    reference: str


class TrackRules(_Spec):
    ids: list[str] = Field(min_length=1)
    labels: dict[str, str] = {}
    by_documents: dict[str, list[str]] = {}  # track → document types that show it
    by_field: str | None = None  # selector of the form's own answer
    min_confidence: float = Field(0.8, ge=0, le=1)
    undetermined: UndeterminedTrack  # stands for the track-only requirements while the track is unknown

    @field_validator("ids", mode="before")
    @classmethod
    def _str_ids(cls, value: Any) -> Any:
        return _as_str_list(value)

    @field_validator("by_documents", "labels", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


ASSUMPTION_LABEL = "想定: 出典に必要書類の定めなし"


class RequirementSpec(_Spec):
    id: str
    label: str
    reference: str
    document_type: str
    min_count: int = Field(1, ge=1)
    tracks: TrackList = "all"
    editions: list[str] | None = None
    # The source does not ask for this document: the rule file assumes it. True, or the words the report
    # adds to the label (default ASSUMPTION_LABEL); say why in ``note``.
    assumption: bool | str = False
    note: str = ""  # e.g. "assumption: the source lists no documents"

    @property
    def report_label(self) -> str:
        """The label as the report shows it: an assumed requirement says so."""
        if self.assumption is False or self.assumption == "":
            return self.label
        words = ASSUMPTION_LABEL if self.assumption is True else self.assumption
        return f"{self.label}（{words}）"

    @field_validator("tracks", mode="before")
    @classmethod
    def _str_tracks(cls, value: Any) -> Any:
        return _as_str_list(value)


class DerivedSpec(_Spec):
    label: str
    reference: str
    params: list[str] = Field(min_length=1)
    expr: str
    note: str = ""


class InputSpec(_Spec):
    select: str | list[str]  # a list makes a list input (values of all selectors, in order)
    min_confidence: float | None = Field(None, ge=0, le=1)
    # a list input's reading below min_confidence (but at least this) counts when another reading of the
    # input, at or above min_confidence, from another document is exactly the same value: two independent
    # readings agree (a name read twice the same on two documents is that name)
    corroborate_from: float | None = Field(None, ge=0, le=1)
    # when at least three documents read a list input and every reading is the same value, each at least
    # this, the readings below min_confidence stand (OCR's slips differ page to page; many pages agreeing
    # letter for letter is the value)
    unanimous_from: float | None = Field(None, ge=0, le=1)


class Clause(_Spec):
    that: str  # an expression that must hold
    message: str  # the message when it does not
    on_false: Literal["fail", "review"] = "fail"


class Note(_Spec):
    when: str
    text: str


class CheckSpec(_Spec):
    id: str
    label: str
    reference: str
    applies: TrackList = "all"
    editions: list[str] | None = None
    inputs: dict[str, str | list[str] | InputSpec] = {}
    min_confidence: float = Field(0.8, ge=0, le=1)
    let: dict[str, str] = {}  # named intermediate values, in order; shown in messages and inputs
    condition: str | None = None  # shorthand for one clause: condition + fail
    fail: str | None = None
    require: list[Clause] = []
    pass_: str = Field(alias="pass")
    review: str | None = None  # said before the reasons of a review
    notes: list[Note] = []  # appended to the message whenever `when` is true
    note: str = ""  # for the reader of the rule file (a reading of the source, an assumption)

    @field_validator("applies", mode="before")
    @classmethod
    def _str_applies(cls, value: Any) -> Any:
        return _as_str_list(value)

    @model_validator(mode="after")
    def _one_form(self) -> CheckSpec:
        if self.condition is not None and self.require:
            raise ValueError("give either condition (+ fail) or require, not both")
        if self.condition is None and not self.require:
            raise ValueError("a check needs a condition or a require list")
        if self.condition is not None and self.fail is None:
            raise ValueError("condition needs a fail message")
        return self

    @property
    def clauses(self) -> list[Clause]:
        if self.condition is not None:
            return [Clause(that=self.condition, message=self.fail or "")]
        return list(self.require)

    @property
    def can_fail(self) -> bool:
        return any(c.on_false == "fail" for c in self.clauses)

    def input_specs(self) -> dict[str, InputSpec]:
        return {
            name: spec if isinstance(spec, InputSpec) else InputSpec(select=spec, min_confidence=None)
            for name, spec in self.inputs.items()
        }


def _kind(rule: RequirementSpec | CheckSpec) -> str:
    return "requirement" if isinstance(rule, RequirementSpec) else "check"


class ProgramFile(_Spec):
    program: ProgramMeta
    sections: dict[str, Section]
    documents: dict[str, DocumentSpec]
    fields: dict[str, FieldSpec]
    parameters: dict[str, Parameter] = {}
    tracks: TrackRules | None = None
    requirements: list[RequirementSpec] = []
    derived: dict[str, DerivedSpec] = {}
    checks: list[CheckSpec] = []

    @field_validator("sections", mode="before")
    @classmethod
    def _section_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"excerpt": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("fields", mode="before")
    @classmethod
    def _field_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"label": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ProgramFile:
        problems: list[str] = []
        self._check_references(problems)
        self._check_ids(problems)
        self._check_documents(problems)
        self._check_tracks(problems)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- the parts of _consistent
    def _check_references(self, problems: list[str]) -> None:
        cited: list[tuple[str, str]] = [(f"edition {e.edition!r}", e.reference) for e in self.program.editions]
        cited += [(f"parameter {n!r}", v.reference) for n, p in self.parameters.items() for v in p.values]
        cited += [(f"requirement {r.id!r}", r.reference) for r in self.requirements]
        cited += [(f"derived {n!r}", d.reference) for n, d in self.derived.items()]
        cited += [(f"check {c.id!r}", c.reference) for c in self.checks]
        if self.tracks:
            cited.append((f"requirement {self.tracks.undetermined.id!r}", self.tracks.undetermined.reference))
        for rule, reference in cited:
            if reference not in self.sections:
                problems.append(f"{rule}: reference {reference!r} is not in sections")

    def _check_ids(self, problems: list[str]) -> None:
        editions = [e.edition for e in self.program.editions]
        if len(set(editions)) != len(editions):
            problems.append("program: two editions have the same id")
        starts = [e.effective_from for e in self.program.editions]
        if starts != sorted(starts):
            problems.append("program: editions must be listed oldest first")
        for kind, ids in (("requirement", [r.id for r in self.requirements]), ("check", [c.id for c in self.checks])):
            seen: set[str] = set()
            for rule_id in ids:
                if rule_id in seen:
                    problems.append(f"{kind} {rule_id!r}: the id is used twice")
                seen.add(rule_id)
        rules: list[RequirementSpec | CheckSpec] = [*self.requirements, *self.checks]
        for rule in rules:
            unknown = sorted(set(rule.editions or []) - set(editions))
            if unknown:
                problems.append(f"{_kind(rule)} {rule.id!r}: unknown editions {unknown}")

    def _check_documents(self, problems: list[str]) -> None:
        for doc_type, doc in self.documents.items():
            if doc_type not in DOCUMENT_TYPES:
                problems.append(f"documents: {doc_type!r} is not a document type")
            if doc.order_by and doc.order_by not in self.fields:
                problems.append(f"documents: {doc_type!r} is ordered by unknown field {doc.order_by!r}")
        for req in self.requirements:
            if req.document_type not in self.documents:
                problems.append(f"requirement {req.id!r}: document type {req.document_type!r} is not in documents")
        for check in self.checks:
            for name, spec in check.input_specs().items():
                selectors = spec.select if isinstance(spec.select, list) else [spec.select]
                for text in selectors:
                    problem = self.selector_problem(text)
                    if problem:
                        problems.append(f"check {check.id!r}: input {name!r}: {problem}")

    def selector_problem(self, text: str) -> str | None:
        try:
            sel = parse_selector(text)
        except ValueError as exc:
            return str(exc)
        if sel.type not in self.documents:
            return f"document type {sel.type!r} is not in documents"
        if sel.field not in self.fields:
            return f"field {sel.field!r} is not in fields"
        if sel.pick in ("latest", "prior") and not self.documents[sel.type].order_by:
            return f"[{sel.pick}] needs documents.{sel.type}.order_by"
        return None

    def _check_tracks(self, problems: list[str]) -> None:
        ids = set(self.tracks.ids) if self.tracks else set()
        if self.tracks:
            for track, types in self.tracks.by_documents.items():
                if track not in ids:
                    problems.append(f"tracks: by_documents names unknown track {track!r}")
                problems += [f"tracks: {t!r} is not in documents" for t in types if t not in self.documents]
            if self.tracks.by_field:
                problem = self.selector_problem(self.tracks.by_field)
                if problem:
                    problems.append(f"tracks: by_field: {problem}")
        rules: list[RequirementSpec | CheckSpec] = [*self.requirements, *self.checks]
        for rule in rules:
            tracks = rule.tracks if isinstance(rule, RequirementSpec) else rule.applies
            if tracks != "all" and not set(tracks) <= ids:
                problems.append(f"{_kind(rule)} {rule.id!r}: unknown tracks {tracks}")

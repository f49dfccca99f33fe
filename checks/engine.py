"""Find, load and evaluate program rule files.

A program is a YAML file (schema in ``checks.schema``) found in the package's ``checks/programs/``
(via importlib.resources, so an installed package works) or in a directory listed in the
environment variable ``SHINSA_PROGRAMS_PATH`` (``os.pathsep``-separated; searched first, so a
fixture program can stand beside or in place of a packaged one).

Evaluation, in order:

* **Edition.** The edition in force on ``as_of`` (the latest whose ``effective_from`` ≤ as_of). If
  ``as_of`` is before the first edition, the first edition is used and an extra check ``edition``
  (status review) says so; likewise when ``as_of`` is after the edition's ``effective_to``.
  Parameter values are picked the same way, each by its own ``from`` dates.
* **Track.** From the documents present (``tracks.by_documents``) when they show exactly one track;
  otherwise from the form's own answer (``tracks.by_field``); otherwise unknown (``None``).
* **Requirements.** ``present`` when at least ``min_count`` documents of the type were found; else
  ``unreadable`` if some packet file could not be read (the document may be in it); else ``missing``.
  A requirement the source does not state (``assumption:``) says so in its label.
  While the track is unknown, requirements shared by every track still apply, and the track-only
  ones are stood for by one requirement ``tracks.undetermined`` (document_type None), present only
  if every track's own documents are all present.
* **Checks.** Inputs are read from documents (absent, unreadable, or below ``min_confidence`` →
  ``Unknown``), then ``let`` values, then each clause of ``require`` in three-valued logic: a false
  clause whose ``on_false`` is fail → ``fail``; else any false (review) or unknown clause → ``review``;
  else ``pass``. A check for other tracks is ``not_applicable``; while the track is unknown, a
  track-only check is evaluated for information but its status is ``review``.

``CheckResult.inputs`` holds, for each input, ``{"value", "document", "type", "field", "file", "page",
"bbox", "source", "confidence"}`` (plus ``below_min_confidence`` / ``unexpected_type`` when so, and
``corroborated_by``: the document whose confident reading of a list input's value matched this one's, when the
input allows it with ``corroborate_from``; ``agreed_by``: the other documents of a unanimous reading, with
``unanimous_from``), or
``{"value": None, "missing": True, …}``; a list input (several selectors, or ``type[*].field``) is
``{"value": [...], "items": [one of the above per value]}``. Parameters are ``{"value", "reference"}``
and ``let`` values ``{"value", "computed": <expression>}``.
"""

from __future__ import annotations

import ast
import functools
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from checks import expr
from checks.expr import Evaluator, ExpressionError, Items, Record, Unknown, truth
from checks.schema import (
    CheckSpec,
    Edition,
    ParameterValue,
    ProgramFile,
    RuleFileError,
    Selector,
    UnknownProgram,
    parse_selector,
)
from pipeline.model import CheckResult, Document, Field, FileEntry, Requirement, Verdict, decide_verdict

__all__ = [
    "PROGRAMS_PATH_ENV",
    "Evaluation",
    "Program",
    "ProgramInfo",
    "RuleFileError",
    "UnknownProgram",
    "evaluate",
    "list_programs",
    "load_program",
]

log = logging.getLogger(__name__)
_SPACES = re.compile(r"\s+")
UNANIMOUS_DOCUMENTS = 3  # documents that must read a list input alike for ``unanimous_from`` to lift them

RequirementStatus = Literal["present", "missing", "unreadable"]
PROGRAMS_PATH_ENV = "SHINSA_PROGRAMS_PATH"
EDITION_CHECK_ID = "edition"  # the extra check added when as_of lies outside every edition
BUILTIN_NAMES = frozenset({"as_of", "track", "track_by_documents", "track_by_form", "track_basis"})
_PICK_LABELS = {"latest": "最新期", "prior": "前期"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProgramInfo(_Frozen):
    id: str
    name: str
    issuer: str
    editions: list[str]
    source: str  # the source text's file name
    source_title: str
    rule_file: str
    rules: int  # number of checks
    requirements: int


class Evaluation(_Frozen):
    edition: str
    track: str | None
    requirements: list[Requirement]
    checks: list[CheckResult]
    missing_documents: list[str]
    verdict: Verdict


# ---------------------------------------------------------------- compiled program

@dataclass(frozen=True)
class _Input:
    name: str
    selectors: tuple[Selector, ...]
    is_list: bool
    min_confidence: float
    corroborate_from: float | None = None
    unanimous_from: float | None = None


@dataclass(frozen=True)
class _Clause:
    that: ast.expr
    message: ast.expr
    on_false: str


@dataclass(frozen=True)
class _Check:
    spec: CheckSpec
    inputs: tuple[_Input, ...]
    lets: tuple[tuple[str, str, ast.expr], ...]  # name, source text, compiled
    clauses: tuple[_Clause, ...]
    passed: ast.expr
    review: ast.expr | None
    notes: tuple[tuple[ast.expr, ast.expr], ...]
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class _Derived:
    params: tuple[str, ...]
    body: ast.expr


@dataclass(frozen=True, eq=False)
class Program:
    """A validated, compiled rule file."""

    spec: ProgramFile
    file: str
    checks: tuple[_Check, ...]
    derived: dict[str, _Derived]

    @property
    def id(self) -> str:
        return self.spec.program.id

    @property
    def name(self) -> str:
        return self.spec.program.name

    def edition_on(self, as_of: date) -> Edition:
        """The edition in force on ``as_of``; the first edition if ``as_of`` precedes them all."""
        editions = self.spec.program.editions
        in_force = [e for e in editions if e.effective_from <= as_of]
        return in_force[-1] if in_force else editions[0]

    def parameter_on(self, name: str, as_of: date) -> ParameterValue:
        """The value of a parameter in effect on ``as_of`` (the earliest if none yet)."""
        values = self.spec.parameters[name].values
        in_force = [v for v in values if v.from_ <= as_of]
        return in_force[-1] if in_force else values[0]

    @property
    def info(self) -> ProgramInfo:
        meta = self.spec.program
        return ProgramInfo(
            id=meta.id, name=meta.name, issuer=meta.issuer, editions=[e.edition for e in meta.editions],
            source=meta.source.file, source_title=meta.source.title, rule_file=self.file,
            rules=len(self.checks), requirements=len(self.spec.requirements),
        )


def _compile_expr(text: str, scope: set[str], callables: set[str], rule: str, what: str, file: str,
                  template: bool = False) -> ast.expr:
    try:
        node = expr.compile_template(text) if template else expr.compile_expression(text)
    except ExpressionError as exc:
        raise RuleFileError(file, f"{what}: {exc}", rule) from None
    names, calls = expr.names_used(node)
    if names - scope:
        raise RuleFileError(file, f"{what}: unknown names {sorted(names - scope)}", rule)
    if calls - callables:
        raise RuleFileError(file, f"{what}: unknown functions {sorted(calls - callables)}", rule)
    return node


def _compile_check(spec: ProgramFile, check: CheckSpec, derived: set[str], file: str) -> _Check:
    rule = f"check {check.id!r}"
    if check.id == EDITION_CHECK_ID:
        raise RuleFileError(file, f"the id {EDITION_CHECK_ID!r} is reserved for the engine", rule)
    params = set(spec.parameters)
    callables = set(expr.FUNCTIONS) | derived
    inputs: list[_Input] = []
    for name, ispec in check.input_specs().items():
        texts = ispec.select if isinstance(ispec.select, list) else [ispec.select]
        inputs.append(_Input(name, tuple(parse_selector(t) for t in texts), isinstance(ispec.select, list),
                             ispec.min_confidence if ispec.min_confidence is not None else check.min_confidence,
                             ispec.corroborate_from, ispec.unanimous_from))
    declared = [i.name for i in inputs] + list(check.let)
    clash = (set(declared) & (params | BUILTIN_NAMES | callables)) | {n for n in declared if declared.count(n) > 1}
    if clash:
        raise RuleFileError(file, f"names {sorted(clash)} are declared twice or shadow a parameter, "
                                  "built-in or function", rule)
    scope = params | BUILTIN_NAMES | {i.name for i in inputs}
    nodes: list[ast.expr] = []
    lets: list[tuple[str, str, ast.expr]] = []
    for name, text in check.let.items():
        node = _compile_expr(text, scope, callables, rule, f"let {name!r}", file)
        lets.append((name, text, node))
        nodes.append(node)
        scope = scope | {name}

    def compile_one(text: str, what: str, template: bool = False) -> ast.expr:
        node = _compile_expr(text, scope, callables, rule, what, file, template)
        nodes.append(node)
        return node

    shorthand = check.condition is not None
    clauses = tuple(
        _Clause(compile_one(c.that, "condition" if shorthand else f"require[{i + 1}]"),
                compile_one(c.message, "fail message" if shorthand else f"require[{i + 1}] message", True),
                c.on_false)
        for i, c in enumerate(check.clauses)
    )
    passed = compile_one(check.pass_, "pass message", True)
    review = compile_one(check.review, "review message", True) if check.review else None
    notes = tuple((compile_one(n.when, f"note {i + 1}"), compile_one(n.text, f"note {i + 1} text", True))
                  for i, n in enumerate(check.notes))
    used = set().union(*(expr.names_used(n)[0] for n in nodes)) if nodes else set()
    return _Check(check, tuple(inputs), tuple(lets), clauses, passed, review, notes,
                  tuple(p for p in spec.parameters if p in used))


def _compile(spec: ProgramFile, file: str) -> Program:
    derived: dict[str, _Derived] = {}
    for name, d in spec.derived.items():
        rule = f"derived {name!r}"
        if name in expr.FUNCTIONS or name in spec.parameters:
            raise RuleFileError(file, "the name shadows a function or parameter", rule)
        scope = set(d.params) | set(spec.parameters) | {"as_of"}
        body = _compile_expr(d.expr, scope, set(expr.FUNCTIONS) | set(derived), rule, "expr", file)
        derived[name] = _Derived(tuple(d.params), body)
    checks = tuple(_compile_check(spec, c, set(derived), file) for c in spec.checks)
    return Program(spec=spec, file=file, checks=checks, derived=derived)


# ---------------------------------------------------------------- finding and loading

def _describe(exc: ValidationError, data: dict[str, Any]) -> str:
    """Pydantic's errors, with list positions turned into rule ids (``check 'loan_limit'``)."""
    parts: list[str] = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] in ("checks", "requirements") and isinstance(loc[1], int):
            items = data.get(str(loc[0])) or []
            item = items[loc[1]] if loc[1] < len(items) and isinstance(items[loc[1]], dict) else {}
            where = f"{str(loc[0])[:-1]} {item.get('id', '#' + str(loc[1] + 1))!r}"
            loc = loc[2:]
        elif len(loc) >= 2 and loc[0] in ("parameters", "derived", "sections", "documents", "fields"):
            where = f"{str(loc[0]).rstrip('s')} {loc[1]!r}"
            loc = loc[2:]
        msg = str(err["msg"]).removeprefix("Value error, ")
        field = ".".join(str(p) for p in loc)
        parts.append(": ".join(p for p in (where, f"field {field!r}" if field else "", msg) if p))
    return "; ".join(parts)


@functools.lru_cache(maxsize=32)
def _parse(file: str, text: str) -> Program:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RuleFileError(file, f"not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise RuleFileError(file, "the file must be a mapping (program:, sections:, checks: …)")
    try:
        spec = ProgramFile.model_validate(data)
    except ValidationError as exc:
        raise RuleFileError(file, _describe(exc, data)) from None
    return _compile(spec, file)


def _directories() -> list[Traversable]:
    extra = [Path(p) for p in os.environ.get(PROGRAMS_PATH_ENV, "").split(os.pathsep) if p.strip()]
    return [*extra, resources.files("checks") / "programs"]


def _program_files() -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for directory in _directories():
        if not directory.is_dir():
            log.warning("programs directory %s does not exist", directory)
            continue
        for entry in sorted(directory.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml") and entry.is_file():
                found.setdefault(entry.name.removesuffix(".yaml"), entry)
    return found


def _load(program_id: str, entry: Traversable) -> Program:
    program = _parse(str(entry), entry.read_text(encoding="utf-8"))
    if program.id != program_id:
        raise RuleFileError(str(entry), f"program.id {program.id!r} does not match the file name")
    return program


def load_program(program_id: str) -> Program:
    """The program with this id; UnknownProgram if none, RuleFileError if its file is malformed."""
    files = _program_files()
    if program_id not in files:
        raise UnknownProgram(program_id, sorted(files))
    return _load(program_id, files[program_id])


def list_programs() -> list[ProgramInfo]:
    """Every program found, by id; a malformed rule file raises RuleFileError."""
    return [_load(pid, entry).info for pid, entry in sorted(_program_files().items())]


# ---------------------------------------------------------------- reading documents

def _jsonable(value: Any) -> Any:
    if isinstance(value, Unknown):
        return None
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else round(float(value), 6)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


_WRONG_TYPE = object()


def _coerce(value: Any, kind: str | None) -> Any:
    """The value as the field's declared type, or _WRONG_TYPE."""
    if kind is None:
        return value
    if kind == "date":
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                return _WRONG_TYPE
        return _WRONG_TYPE
    if kind == "bool":
        return value if isinstance(value, bool) else _WRONG_TYPE
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else _WRONG_TYPE
    if kind == "number":
        if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
            return expr._exact(value)
        return _WRONG_TYPE
    if kind == "str":
        return value if isinstance(value, str) else _WRONG_TYPE
    if kind == "list":
        return value if isinstance(value, list) else _WRONG_TYPE
    return value


class _Packet:
    """The documents of a packet as a rule file sees them: by type, labelled, with evidence."""

    def __init__(self, spec: ProgramFile, documents: list[Document]) -> None:
        self.spec = spec
        self.documents = documents
        self.by_type: dict[str, list[int]] = {}
        for i, doc in enumerate(documents):
            self.by_type.setdefault(doc.type, []).append(i)

    def doc_label(self, doc_type: str) -> str:
        spec = self.spec.documents.get(doc_type)
        return spec.label if spec else doc_type

    def field_label(self, name: str) -> str:
        spec = self.spec.fields.get(name)
        return spec.label if spec else name

    def labels(self) -> dict[str, str]:
        return {name: f.label for name, f in self.spec.fields.items()}

    def read_field(self, index: int, name: str, min_confidence: float, suffix: str = "") -> tuple[Any, dict[str, Any]]:
        doc = self.documents[index]
        label = self.doc_label(doc.type) + suffix
        what = self.field_label(name)
        where: dict[str, Any] = {"document": index, "type": doc.type, "field": name, "file": doc.file}
        field = doc.fields.get(name)
        if field is None or field.value is None:
            return (Unknown.because(f"{label}の{what}が読み取れていません", "input"),
                    {"value": None, "missing": True, **where})
        evidence = {"value": _jsonable(field.value), **where, "page": field.page, "bbox": list(field.bbox),
                    "source": field.source, "confidence": field.confidence}
        spec = self.spec.fields.get(name)
        value = _coerce(field.value, spec.type if spec else None)
        if value is _WRONG_TYPE:
            evidence["unexpected_type"] = True
            return Unknown.because(f"{label} p.{field.page} の{what}の値の形式が想定と異なります", "input"), evidence
        by_cell = field.cell_confidence is not None and isinstance(value, list)
        if field.confidence < min_confidence and not by_cell:
            evidence["below_min_confidence"] = True
            return (Unknown.because(f"{label} p.{field.page} の{what}の読み取り信頼度 {field.confidence:.2f} "
                                    f"が基準 {min_confidence:.2f} 未満", "input"), evidence)
        if isinstance(value, list):
            rows = [self._doubtful_cells(row, field, k, min_confidence, f"{label} p.{field.page} の{what}", evidence)
                    if by_cell else row for k, row in enumerate(value)]
            value = Items(
                (Record(row, f"{label}の{what}[{k}]") if isinstance(row, dict) else row for k, row in enumerate(rows)),
                label=f"{label}の{what}",
            )
        return value, evidence

    def _doubtful_cells(self, row: Any, field: Field, k: int, min_confidence: float, where: str,
                        evidence: dict[str, Any]) -> Any:
        """A table row with its cells read below ``min_confidence`` made Unknown (each named in the evidence's
        ``doubtful_cells``); the cells read well stand, so a rule's Kleene logic can still decide on them (a
        growth route that passes on good cells passes; one that needs a doubtful cell is a review)."""
        if not isinstance(row, dict) or not field.cell_confidence or k >= len(field.cell_confidence):
            return row
        confidences = field.cell_confidence[k]
        out = dict(row)
        for key, value in row.items():
            conf = confidences.get(key)
            if value is None or conf is None or conf >= min_confidence:
                continue
            out[key] = Unknown.because(f"{where}[{k}]の{self.field_label(key)}の読み取り信頼度 {conf:.2f} "
                                       f"が基準 {min_confidence:.2f} 未満", "input")
            evidence.setdefault("doubtful_cells", []).append({"row": k, "item": key, "confidence": conf})
        return out

    def ordered(self, doc_type: str, min_confidence: float) -> list[int] | Unknown:
        """Documents of the type sorted by their ``order_by`` field; Unknown if one is not known."""
        order_by = self.spec.documents[doc_type].order_by or ""
        keyed: list[tuple[Any, int]] = []
        for index in self.by_type.get(doc_type, []):
            key, _ = self.read_field(index, order_by, min_confidence)
            if isinstance(key, Unknown):
                return Unknown.merge(key, Unknown.because(
                    f"{self.doc_label(doc_type)}の{self.field_label(order_by)}が分からないため、どれが最新期か決められません",
                    "input"))
            keyed.append((key, index))
        try:
            keyed.sort(key=lambda pair: pair[0])
        except TypeError:
            return Unknown.because(f"{self.doc_label(doc_type)}の{self.field_label(order_by)}を比べられません", "input")
        # two copies of one period (a statement submitted twice) are one period: keep the better read
        best: dict[Any, int] = {}
        for key, index in keyed:
            if key not in best or self._quality(index) > self._quality(best[key]):
                best[key] = index
        return [best[key] for key in sorted(best)]

    def _quality(self, index: int) -> tuple[float, int]:
        doc = self.documents[index]
        return (doc.confidence, len(doc.fields))

    def _select_one(self, indices: list[int], sel: Selector, min_confidence: float) -> tuple[Any, dict[str, Any]]:
        """The value from the best-read document of the type; Unknown if two documents disagree."""
        reads = [self.read_field(i, sel.field, min_confidence) for i in indices]
        known = [(value, ev) for value, ev in reads if not isinstance(value, Unknown)]
        if not known:
            return reads[0]
        distinct = {repr(value) for value, _ in known}
        if len(distinct) > 1:
            label = self.doc_label(sel.type)
            _, ev = known[0]
            return (Unknown.because(f"{label}が{len(indices)}通あり、{self.field_label(sel.field)}の値が一致しません",
                                    "input"), {**ev, "conflicting_documents": [e["document"] for _, e in known]})
        return max(known, key=lambda pair: (pair[1].get("confidence", 0.0), -pair[1]["document"]))

    def select(self, sel: Selector, min_confidence: float) -> tuple[Any, dict[str, Any]]:
        """One value: the first document of the type, or the latest / prior by order."""
        indices = self.by_type.get(sel.type, [])
        absent = {"value": None, "missing": True, "type": sel.type, "field": sel.field}
        if sel.pick in ("first", "all"):
            if not indices:
                return Unknown.because(f"{self.doc_label(sel.type)}がありません", "input"), absent
            if len(indices) == 1:
                return self.read_field(indices[0], sel.field, min_confidence)
            return self._select_one(indices, sel, min_confidence)
        ordered = self.ordered(sel.type, min_confidence)
        if isinstance(ordered, Unknown):
            return ordered, absent
        position = 1 if sel.pick == "latest" else 2
        suffix = f"({_PICK_LABELS[sel.pick]})"
        if len(ordered) < position:
            return Unknown.because(f"{self.doc_label(sel.type)}{suffix}がありません", "input"), absent
        return self.read_field(ordered[-position], sel.field, min_confidence, suffix)

    def read_input(self, inp: _Input) -> tuple[Any, dict[str, Any]]:
        if not inp.is_list and inp.selectors[0].pick != "all":
            return self.select(inp.selectors[0], inp.min_confidence)
        values: list[Any] = []
        items: list[dict[str, Any]] = []
        for sel in inp.selectors:
            if sel.pick == "all":
                pairs = [self.read_field(i, sel.field, inp.min_confidence) for i in self.by_type.get(sel.type, [])]
            else:
                pairs = [self.select(sel, inp.min_confidence)]
            for value, evidence in pairs:
                values.append(value)
                items.append(evidence)
        if inp.corroborate_from is not None:
            self._corroborate(inp, values, items)
        if inp.unanimous_from is not None:
            self._unanimous(inp, values, items)
        return Items(values, label=inp.name), {"value": [_jsonable(v) for v in values], "items": items}

    def _corroborate(self, inp: _Input, values: list[Any], items: list[dict[str, Any]]) -> None:
        """Readings below ``min_confidence`` (not below ``corroborate_from``) that another document's confident
        reading matches exactly: the value stands, its evidence names the reading that corroborates it."""
        confident = [(ev["value"], ev["document"]) for v, ev in zip(values, items)
                     if not isinstance(v, Unknown) and "document" in ev]
        for k, ev in enumerate(items):
            if not ev.get("below_min_confidence") or ev.get("confidence", 0.0) < (inp.corroborate_from or 1.0):
                continue
            same = _SPACES.sub("", str(ev["value"]))
            by = next((doc for value, doc in confident
                       if _SPACES.sub("", str(value)) == same and doc != ev["document"]), None)
            if by is not None:
                self._stand(k, values, items, corroborated_by=by)

    def _unanimous(self, inp: _Input, values: list[Any], items: list[dict[str, Any]]) -> None:
        """When at least :data:`UNANIMOUS_DOCUMENTS` documents read the input and every reading is the same
        value (spaces aside), each at least ``unanimous_from``, the readings below ``min_confidence`` stand:
        OCR's slips differ from page to page, so many pages agreeing letter for letter is the value. Their
        evidence names the documents that agree (``agreed_by``)."""
        read = [(k, ev) for k, ev in enumerate(items)
                if "document" in ev and ev.get("value") is not None and not ev.get("unexpected_type")]
        documents = {ev["document"] for _, ev in read}
        if (len(documents) < UNANIMOUS_DOCUMENTS or len(read) < len(items)
                or len({_SPACES.sub("", str(ev["value"])) for _, ev in read}) != 1
                or any(ev.get("confidence", 0.0) < (inp.unanimous_from or 1.0) for _, ev in read)):
            return
        for k, ev in read:
            if ev.get("below_min_confidence"):
                self._stand(k, values, items, agreed_by=sorted(documents - {ev["document"]}))

    def _stand(self, k: int, values: list[Any], items: list[dict[str, Any]], **why: Any) -> None:
        """Reading ``k`` of a list input, below its threshold, stands: its value, its evidence with the reason."""
        ev = items[k]
        values[k], _ = self.read_field(ev["document"], ev["field"], 0.0)
        items[k] = {**{key: val for key, val in ev.items() if key != "below_min_confidence"}, **why}


# ---------------------------------------------------------------- track and requirements

@dataclass(frozen=True)
class _Track:
    track: str | None
    value: Any  # the track, or Unknown with the reasons
    by_documents: Any
    by_form: Any
    basis: str


def _resolve_track(spec: ProgramFile, packet: _Packet) -> _Track:
    rules = spec.tracks
    if rules is None:
        none = Unknown.because("この制度には区分がありません")
        return _Track(None, none, none, none, "")
    shown = {t: [d for d in rules.by_documents.get(t, []) if packet.by_type.get(d)] for t in rules.ids}
    shown = {t: docs for t, docs in shown.items() if docs}
    by_documents: Any
    if len(shown) == 1:
        by_documents = next(iter(shown))
    elif not shown:
        by_documents = Unknown.because("区分を示す書類がありません", "input")
    else:
        by_documents = Unknown.because(f"複数の区分（{'・'.join(shown)}）の書類があります", "input")
    by_form: Any = Unknown.because("申込書に区分の欄がありません", "input")
    if rules.by_field:
        by_form, _ = packet.select(parse_selector(rules.by_field), rules.min_confidence)
        if not isinstance(by_form, Unknown):
            by_form = expr.clean_text(str(by_form)).strip("()")  # "2", "(2)", "（２）"
            if by_form not in rules.ids:
                by_form = Unknown.because("申込書の区分の記載が区分のどれにも当たりません", "input")
    if not isinstance(by_documents, Unknown):
        docs = "・".join(packet.doc_label(d) for d in shown[by_documents])
        return _Track(by_documents, by_documents, by_documents, by_form, f"書類（{docs}）から判定")
    if not isinstance(by_form, Unknown):
        return _Track(by_form, by_form, by_documents, by_form, "融資申込書の記載から判定")
    return _Track(None, Unknown.merge(by_documents, by_form), by_documents, by_form, "")


def _requirements(spec: ProgramFile, edition: str, track: str | None, packet: _Packet,
                  files: list[FileEntry]) -> list[Requirement]:
    not_found: RequirementStatus = "unreadable" if any(f.status != "ok" for f in files) else "missing"
    every_track = set(spec.tracks.ids) if spec.tracks else set()
    out: list[Requirement] = []
    folded: list[tuple[str, bool, list[int]]] = []  # (track-only requirement) → tracks, present, documents
    placeholder_at: int | None = None
    for req in spec.requirements:
        if req.editions and edition not in req.editions:
            continue
        found = packet.by_type.get(req.document_type, [])
        present = len(found) >= req.min_count
        if req.tracks != "all":
            if track is None and not set(req.tracks) >= every_track:
                placeholder_at = len(out) if placeholder_at is None else placeholder_at
                folded += [(t, present, found) for t in req.tracks]
                continue
            if track is not None and track not in req.tracks:
                continue
        out.append(Requirement(id=req.id, document_type=req.document_type, label=req.report_label,
                               reference=req.reference, status="present" if present else not_found,
                               documents=list(found)))
    if placeholder_at is not None and spec.tracks is not None:
        undetermined = spec.tracks.undetermined
        all_present = all(present for _, present, _ in folded)
        documents = sorted({i for _, _, found in folded for i in found})
        out.insert(placeholder_at, Requirement(
            id=undetermined.id, document_type=None, label=undetermined.label, reference=undetermined.reference,
            status="present" if all_present else not_found, documents=documents))
    return out


# ---------------------------------------------------------------- checks

def _derived_functions(program: Program, names: dict[str, Any], labels: dict[str, str]) -> dict[str, Callable[..., Any]]:
    functions: dict[str, Callable[..., Any]] = dict(expr.FUNCTIONS)

    def make(name: str, derived: _Derived) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            if len(args) != len(derived.params):
                raise TypeError(f"{name} takes {len(derived.params)} arguments")
            scope = {**names, **dict(zip(derived.params, args))}
            return Evaluator(scope, functions, labels).eval_node(derived.body)

        return call

    for name, derived in program.derived.items():
        functions[name] = make(name, derived)
    return functions


def _dedupe(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))


def _run_check(program: Program, check: _Check, packet: _Packet, params: dict[str, ParameterValue],
               track: _Track, as_of: date) -> CheckResult:
    spec = check.spec
    head: dict[str, Any] = {"id": spec.id, "label": spec.label, "reference": spec.reference}
    tracks = program.spec.tracks
    if spec.applies != "all" and track.track is not None and track.track not in spec.applies:
        label = tracks.labels.get(track.track, f"区分({track.track})") if tracks else track.track
        return CheckResult(**head, status="not_applicable", message=f"{label}には適用されません")

    names: dict[str, Any] = {"as_of": as_of, "track": track.value, "track_by_documents": track.by_documents,
                             "track_by_form": track.by_form, "track_basis": track.basis}
    names.update({name: expr._exact(value.value) for name, value in params.items()})
    labels = packet.labels()
    evidence: dict[str, Any] = {}
    for inp in check.inputs:
        names[inp.name], evidence[inp.name] = packet.read_input(inp)
    ev = Evaluator(names, _derived_functions(program, {n: names[n] for n in params} | {"as_of": as_of}, labels),
                   labels)
    for name, text, node in check.lets:
        names[name] = ev.eval_node(node)
    outcomes = [(clause, truth(ev.eval_node(clause.that))) for clause in check.clauses]
    failed = [c for c, r in outcomes if r is False and c.on_false == "fail"]
    doubtful = [c for c, r in outcomes if r is False and c.on_false == "review"]
    unknown = [r for _, r in outcomes if isinstance(r, Unknown)]

    if failed:
        status, message = "fail", "; ".join(_dedupe([ev.render(c.message) for c in failed]))
    elif doubtful or unknown:
        status = "review"
        reasons = [reason for u in unknown for reason in u.reasons]
        parts = [ev.render(c.message) for c in doubtful] + [r.text for r in reasons if r.kind == "input"]
        if not parts:  # a computation failed for no input's fault: say which
            parts = [r.text for r in reasons]
        lead = ev.render(check.review) if check.review is not None else ""
        message = (f"{lead}: " if lead else "") + "; ".join(_dedupe(parts))
    else:
        status, message = "pass", ev.render(check.passed)
    notes = [ev.render(text) for when, text in check.notes if truth(ev.eval_node(when)) is True]
    if notes:
        message = "; ".join([message, *_dedupe(notes)])
    if spec.applies != "all" and track.track is None:
        only = "・".join(tracks.labels.get(t, t) for t in spec.applies) if tracks else ""
        status, message = "review", f"区分が決まらないため判定できません（{only}のみ対象）。参考: {message}"

    for name in check.parameters:
        value = params[name]
        evidence[name] = {"value": _jsonable(value.value), "reference": value.reference}
    for name, text, _ in check.lets:
        evidence[name] = {"value": _jsonable(names[name]), "computed": text}
    return CheckResult(**head, status=status, message=message, inputs=evidence)  # type: ignore[arg-type]


def _edition_check(program: Program, edition: Edition, as_of: date) -> CheckResult | None:
    first = program.spec.program.editions[0]
    if as_of < first.effective_from:
        message = (f"判定日 {as_of} は最初の版 {first.edition}（{first.effective_from} 施行）より前です。"
                   f"版 {edition.edition} で判定しました")
    elif edition.effective_to is not None and as_of > edition.effective_to:
        message = f"判定日 {as_of} は版 {edition.edition} の適用期間（{edition.effective_to} まで）の後です"
    else:
        return None
    return CheckResult(
        id=EDITION_CHECK_ID, label="要綱の適用期間", reference=edition.reference, status="review", message=message,
        inputs={"as_of": {"value": as_of},
                "edition": {"value": edition.edition, "effective_from": edition.effective_from,
                            "effective_to": edition.effective_to, "reference": edition.reference}},
    )


def evaluate(program: Program, documents: list[Document], files: list[FileEntry], as_of: date) -> Evaluation:
    """Judge a packet's documents against the program on ``as_of``."""
    edition = program.edition_on(as_of)
    packet = _Packet(program.spec, documents)
    params = {name: program.parameter_on(name, as_of) for name in program.spec.parameters}
    track = _resolve_track(program.spec, packet)
    requirements = _requirements(program.spec, edition.edition, track.track, packet, files)
    checks: list[CheckResult] = []
    note = _edition_check(program, edition, as_of)
    if note is not None:
        checks.append(note)
    for check in program.checks:
        if check.spec.editions and edition.edition not in check.spec.editions:
            continue
        try:
            checks.append(_run_check(program, check, packet, params, track, as_of))
        except Exception as exc:  # noqa: BLE001  # an engine bug in one check must not lose the packet
            log.warning("check %s of program %s failed: %s", check.spec.id, program.id, type(exc).__name__)
            checks.append(CheckResult(id=check.spec.id, label=check.spec.label, reference=check.spec.reference,
                                      status="review",
                                      message=f"内部エラーのため判定できません（{type(exc).__name__}）"))
    missing = list(dict.fromkeys(
        r.document_type for r in requirements if r.status != "present" and r.document_type is not None
    ))
    log.debug("program %s edition %s: %d requirements, %d checks", program.id, edition.edition,
              len(requirements), len(checks))
    return Evaluation(edition=edition.edition, track=track.track, requirements=requirements, checks=checks,
                      missing_documents=missing, verdict=decide_verdict(requirements, checks))

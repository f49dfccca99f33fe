"""Rule tests written in YAML (tests/rules/<program>.yaml): one pytest test per case, named after it.

Also: every check of every program is exercised to each status it can reach, and every
``reference`` of a rule file quotes (in ``sections:``) a passage that is really in the program's
source text.
"""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from checks.engine import EDITION_CHECK_ID, Evaluation, evaluate, list_programs, load_program
from pipeline.model import Document, Field, FileEntry

RULES = Path(__file__).resolve().parent / "rules"
REPO = Path(__file__).resolve().parent.parent
SEED_DIRS = [Path(p) for p in os.environ.get("SHINSA_SEEDS", "").split(os.pathsep) if p] + [
    REPO / "seeds",
    REPO.parent / "shared" / "seeds",
    Path("/work/shared/seeds"),
]
DEFAULT_FILE = "packet.pdf"
DEFAULT_CONFIDENCE = 0.99


def _suites() -> list[dict[str, Any]]:
    suites = []
    for path in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        suites.append(data)
    return suites


SUITES = _suites()
CASES = [(suite, case) for suite in SUITES for case in suite["cases"]]


# ---------------------------------------------------------------- building a packet from a case

def _field(spec: Any) -> Field:
    if isinstance(spec, dict) and "value" in spec:
        return Field(value=spec["value"], confidence=spec.get("confidence", DEFAULT_CONFIDENCE),
                     page=spec.get("page", 1), bbox=(0, 0, 0, 0), source=spec.get("source", "text"),
                     cell_confidence=spec.get("cell_confidence"))
    return Field(value=spec, confidence=DEFAULT_CONFIDENCE, page=1, bbox=(0, 0, 0, 0), source="text")


def _apply(fields: dict[str, Any], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value


def _packet(suite: dict[str, Any], case: dict[str, Any]) -> tuple[list[Document], list[FileEntry]]:
    raw = copy.deepcopy(suite["packets"][case["packet"]]) if "packet" in case else []
    raw = [d for d in raw if d["type"] not in case.get("remove", [])]
    for target, changes in case.get("change", {}).items():
        match = re.fullmatch(r"([a-z_]+)(?:\[(\d+)\])?", target)
        assert match, f"bad change target {target!r}"
        of_type = [d for d in raw if d["type"] == match[1]]
        chosen = [of_type[int(match[2])]] if match[2] is not None else of_type
        assert chosen, f"change names {target!r}, which the packet does not have"
        for doc in chosen:
            _apply(doc.setdefault("fields", {}), changes)
    raw += copy.deepcopy(case.get("documents", []))
    documents = [
        Document(type=d["type"], file=d.get("file", DEFAULT_FILE), pages=d.get("pages", [1]), text_source="text",
                 confidence=0.95, fields={k: _field(v) for k, v in (d.get("fields") or {}).items()})
        for d in raw
    ]
    named = {f["file"]: f.get("status", "ok") for f in case.get("files", [])}
    for doc in documents:
        named.setdefault(doc.file, "ok")
    files = [FileEntry(file=name, sha256=None, pages=1, status=status) for name, status in named.items()]
    return documents, files


def _run(suite: dict[str, Any], case: dict[str, Any]) -> Evaluation:
    documents, files = _packet(suite, case)
    as_of = case.get("as_of", suite.get("as_of"))
    assert isinstance(as_of, date), "as_of must be a date (YYYY-MM-DD)"
    return evaluate(load_program(suite["program"]), documents, files, as_of)


def _differences(result: Evaluation, expect: dict[str, Any]) -> list[str]:
    diffs: list[str] = []
    checks = {c.id: c for c in result.checks}
    for check_id, want in expect.get("checks", {}).items():
        got = checks.get(check_id)
        if got is None or got.status != want:
            diffs.append(f"check {check_id}: expected {want}, got "
                         + (f"{got.status} ({got.message})" if got else "no such check"))
    for check_id, text in expect.get("messages", {}).items():
        got = checks.get(check_id)
        if got is None or text not in got.message:
            diffs.append(f"check {check_id}: message should contain {text!r}, is "
                         + (repr(got.message) if got else "absent"))
    requirements = {r.id: r for r in result.requirements}
    for req_id, want in expect.get("requirements", {}).items():
        got_req = requirements.get(req_id)
        if got_req is None or got_req.status != want:
            diffs.append(f"requirement {req_id}: expected {want}, got {got_req.status if got_req else 'absent'}")
    if "track" in expect and result.track != expect["track"]:
        diffs.append(f"track: expected {expect['track']!r}, got {result.track!r}")
    if "verdict" in expect and result.verdict != expect["verdict"]:
        diffs.append(f"verdict: expected {expect['verdict']}, got {result.verdict}")
    if "missing_documents" in expect and result.missing_documents != expect["missing_documents"]:
        diffs.append(f"missing_documents: expected {expect['missing_documents']}, got {result.missing_documents}")
    return diffs


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize(("suite", "case"), CASES, ids=[case["name"] for _, case in CASES])
def test_rule_case(suite: dict[str, Any], case: dict[str, Any]) -> None:
    diffs = _differences(_run(suite, case), case["expect"])
    assert not diffs, f"{suite['_file']}: {case['name']}:\n  " + "\n  ".join(diffs)


def test_case_names_are_unique() -> None:
    names = [case["name"] for _, case in CASES]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


PROGRAM_IDS = [p.id for p in list_programs()]


@pytest.mark.parametrize("program_id", PROGRAM_IDS)
def test_every_check_reaches_each_of_its_statuses(program_id: str) -> None:
    program = load_program(program_id)
    seen: dict[str, set[str]] = {}
    for suite, case in CASES:
        if suite["program"] == program_id:
            for check_id, status in case["expect"].get("checks", {}).items():
                seen.setdefault(check_id, set()).add(status)
    gaps = []
    for check in program.spec.checks:
        needed = {"pass", "review"} | ({"fail"} if check.can_fail else set())
        needed |= {"not_applicable"} if check.applies != "all" else set()
        missing = needed - seen.get(check.id, set())
        if missing:
            gaps.append(f"{check.id}: no case expects {sorted(missing)}")
    unknown = set(seen) - {c.id for c in program.spec.checks} - {EDITION_CHECK_ID}
    assert not gaps and not unknown, "\n".join(gaps + [f"cases name unknown checks {sorted(unknown)}"])


def _seed_text(file_name: str) -> str:
    for directory in SEED_DIRS:
        if (directory / file_name).is_file():
            return (directory / file_name).read_text(encoding="utf-8")
    pytest.skip(f"source text {file_name} not found in {[str(d) for d in SEED_DIRS]} (set SHINSA_SEEDS)")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("program_id", PROGRAM_IDS)
def test_every_section_quotes_the_source(program_id: str) -> None:
    program = load_program(program_id)
    seed = _squash(_seed_text(program.spec.program.source.file))
    absent = [key for key, section in program.spec.sections.items() if _squash(section.excerpt) not in seed]
    assert not absent, f"sections not found in {program.spec.program.source.file}: {absent}"


@pytest.mark.parametrize("program_id", PROGRAM_IDS)
def test_every_section_is_cited(program_id: str) -> None:
    spec = load_program(program_id).spec
    cited = {e.reference for e in spec.program.editions}
    cited |= {v.reference for p in spec.parameters.values() for v in p.values}
    cited |= {r.reference for r in spec.requirements} | {c.reference for c in spec.checks}
    cited |= {d.reference for d in spec.derived.values()}
    if spec.tracks:
        cited.add(spec.tracks.undetermined.reference)
    assert set(spec.sections) <= cited, f"sections cited by nothing: {sorted(set(spec.sections) - cited)}"


@pytest.mark.parametrize("program_id", PROGRAM_IDS)
def test_every_program_has_rule_cases(program_id: str) -> None:
    assert any(suite["program"] == program_id for suite in SUITES), f"no tests/rules file for {program_id}"

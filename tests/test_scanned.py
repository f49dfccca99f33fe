"""Scanned sample packets replayed by name (samples/scanned/, made by `python -m samples.scan`).

Each packet is checked against its expected file (verdict, checks, files, documents), and against the rule
that matters most: OCR never makes a false pass. A check the text packet fails, or that needs a document
that is missing, is never `pass`; a packet that is not eligible is never `eligible`; a number, date or
yes/no field read with a confidence at or above the checks' threshold holds the true value.

Three packets run by default (each OCR page costs about 1.5 s of one core); the rest are `slow`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractors import ocr
from pipeline.packet import check_packet

SCANNED = Path(__file__).resolve().parent.parent / "samples" / "scanned"
EXPECTED = sorted((SCANNED / "expected").glob("*.json"))
DEFAULT = {"scanned-t1-eligible", "scanned-over-limit", "mixed-t2-manufacturing"}
THRESHOLD = 0.8  # the checks' min_confidence (checks/schema.py)

pytestmark = pytest.mark.skipif(not ocr.tesseract_available(), reason="no tesseract command")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh OCR cache for this module: the packets are really OCR'd, once each."""
    cache = tmp_path_factory.mktemp("ocr-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("SHINSA_CACHE_DIR", str(cache))
    yield cache
    mp.undo()


def _params() -> list[Any]:
    out = []
    for path in EXPECTED:
        marks = [] if path.stem in DEFAULT else [pytest.mark.slow]
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


_REPORTS: dict[str, dict[str, Any]] = {}


def _report(exp: dict[str, Any]) -> dict[str, Any]:
    if exp["packet"] not in _REPORTS:
        report = check_packet(SCANNED / "packets" / exp["packet"], program=exp["program"],
                              as_of=date.fromisoformat(exp["as_of"]))
        _REPORTS[exp["packet"]] = report.model_dump(mode="json")
    return _REPORTS[exp["packet"]]


def _critical(value: Any) -> bool:
    """A value a check compares (an amount, a count, a date, a yes/no, a plan), not a name or a text."""
    if isinstance(value, bool | int | list):
        return True
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


@pytest.mark.parametrize("expected_file", _params())
def test_scanned_packet(expected_file: Path) -> None:
    exp = json.loads(expected_file.read_text(encoding="utf-8"))
    got = _report(exp)
    diffs: list[str] = []
    if got["verdict"] != exp["verdict"]:
        diffs.append(f"verdict: expected {exp['verdict']}, got {got['verdict']}")
    if sorted(got["missing_documents"]) != sorted(exp["missing_documents"]):
        diffs.append(f"missing_documents: expected {exp['missing_documents']}, "
                     f"got {got['missing_documents']}")
    statuses = {c["id"]: c for c in got["checks"]}
    for check_id, want in exp["checks"].items():
        c = statuses.get(check_id)
        if c is None or c["status"] != want:
            diffs.append(f"check {check_id}: expected {want}, got {c['status'] if c else 'absent'}"
                         + (f" ({c['message']})" if c else ""))
    files = {f["file"]: f["status"] for f in got["files"]}
    for name, want in exp["files"].items():
        if files.get(name) != want:
            diffs.append(f"file {name}: expected {want}, got {files.get(name)}")
    placed = sorted((d["type"], d["file"], d["pages"]) for d in got["documents"])
    want_placed = sorted((d["type"], d["file"], d["pages"]) for d in exp["documents"])
    if placed != want_placed:
        diffs.append(f"documents: expected {want_placed}, got {placed}")
    assert not diffs, f"{exp['packet']}:\n  " + "\n  ".join(diffs)


@pytest.mark.parametrize("expected_file", _params())
def test_scanned_packet_is_never_a_false_pass(expected_file: Path) -> None:
    exp = json.loads(expected_file.read_text(encoding="utf-8"))
    got = _report(exp)
    if exp["truth_verdict"] != "eligible":
        assert got["verdict"] != "eligible", f"{exp['packet']} is {exp['truth_verdict']}, called eligible"
    for c in got["checks"]:
        if exp["truth_checks"].get(c["id"]) == "fail":
            assert c["status"] != "pass", f"{exp['packet']}: {c['id']} passed, its truth is fail"


@pytest.mark.parametrize("expected_file", _params())
def test_scanned_packet_confident_values_are_true(expected_file: Path) -> None:
    exp = json.loads(expected_file.read_text(encoding="utf-8"))
    got = _report(exp)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for d in got["documents"]:
        by_type.setdefault(d["type"], []).append(d)
    wrong: list[str] = []
    for kind, want in exp["fields"].items():
        docs = by_type.get(kind, [])
        wants = want if isinstance(want, list) else [want]
        if isinstance(want, list):
            docs = sorted(docs, key=lambda d: str(d["fields"].get("period_end", {}).get("value")))
            if len(docs) != len(wants):
                continue  # a statement not found or split: its fields are not compared one to one
        for w, d in zip(wants, docs):
            for key, value in w.items():
                f = d["fields"].get(key)
                if f is None or f["confidence"] < THRESHOLD or not _critical(value):
                    continue
                got_value = f["value"]
                if key == "plan_years":  # the checks read these keys of each year
                    keys = ("operating_profit", "personnel_cost", "depreciation", "non_operating_expenses")
                    got_value = [{k: y.get(k) for k in keys} for y in got_value]
                    value = [{k: y.get(k) for k in keys} for y in value]
                if key == "plan_years":  # a value not read (None) is unknown to the checks, not wrong
                    got_value = [{k: v for k, v in y.items() if v is not None} for y in got_value]
                    value = [{k: v for k, v in y.items() if k in got_value[i]} for i, y in enumerate(value)] \
                        if len(value) == len(got_value) else value
                if got_value != value:
                    wrong.append(f"{kind}.{key}: read {got_value!r} at {f['confidence']}, truth {value!r}")
    assert not wrong, f"{exp['packet']}: confident and wrong:\n  " + "\n  ".join(wrong)

"""Golden sample packets replayed by name: one test per packet in samples/expected/.

Each expected file was written by the sample generator from its own ground truth (not by running
the pipeline); a failure lists every difference, so it says which packet and which value broke.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.packet import check_packet

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPECTED = sorted((SAMPLES / "expected").glob("*.json"))


def _packet_path(name: str) -> Path:
    folder = SAMPLES / "packets" / name
    return folder if folder.exists() else SAMPLES / "packets" / f"{name}.zip"


def _compare_fields(kind: str, expected: dict[str, Any], doc_fields: dict[str, Any], diffs: list[str]) -> None:
    for key, want in expected.items():
        got = doc_fields.get(key, {}).get("value") if key in doc_fields else None
        if got != want:
            diffs.append(f"{kind}.{key}: expected {want!r}, got {got!r}")


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_sample_packet(expected_file: Path) -> None:
    exp = json.loads(expected_file.read_text(encoding="utf-8"))
    report = check_packet(_packet_path(exp["packet"]), program=exp["program"],
                          as_of=date.fromisoformat(exp["as_of"]))
    got = report.model_dump(mode="json")
    diffs: list[str] = []
    if got["verdict"] != exp["verdict"]:
        diffs.append(f"verdict: expected {exp['verdict']}, got {got['verdict']}")
    if "track" in exp and got["track"] != exp["track"]:
        diffs.append(f"track: expected {exp['track']}, got {got['track']}")
    if sorted(got["missing_documents"]) != sorted(exp["missing_documents"]):
        diffs.append(f"missing_documents: expected {sorted(exp['missing_documents'])}, "
                     f"got {sorted(got['missing_documents'])}")
    statuses = {c["id"]: c for c in got["checks"]}
    for check_id, want in exp.get("checks", {}).items():
        c = statuses.get(check_id)
        if c is None or c["status"] != want:
            diffs.append(f"check {check_id}: expected {want}, got "
                         f"{c['status'] if c else 'absent'}" + (f" ({c['message']})" if c else ""))
    files = {f["file"]: f["status"] for f in got["files"]}
    for name, want in exp.get("files", {}).items():
        if files.get(name) != want:
            diffs.append(f"file {name}: expected {want}, got {files.get(name)}")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for d in got["documents"]:
        by_type.setdefault(d["type"], []).append(d)
    for kind, want in exp.get("fields", {}).items():
        docs = by_type.get(kind, [])
        if isinstance(want, list):
            docs = sorted(docs, key=lambda d: str(d["fields"].get("period_end", {}).get("value")))
            if len(docs) != len(want):
                diffs.append(f"{kind}: expected {len(want)} documents, got {len(docs)}")
            for i, (w, d) in enumerate(zip(want, docs)):
                _compare_fields(f"{kind}[{i}]", w, d["fields"], diffs)
        elif not docs:
            diffs.append(f"{kind}: no such document")
        else:
            _compare_fields(kind, want, docs[0]["fields"], diffs)
    assert not diffs, f"{exp['packet']}:\n  " + "\n  ".join(diffs)

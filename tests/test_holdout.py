"""Hold-out packets (samples/holdout/) replayed by name: one test per packet.

These packets were drawn by a generator written apart from the project's own samples and extractors
("others with other layouts and wording"); their expected results come from that generator's ground
truth, never from running the pipeline. A failure lists every difference: verdict, track, missing
documents, check statuses, documents found (type, file, pages) and core field values.

Strings are compared after NFKC and with white space removed (「（」 and 「(」 are the same text); a
plan year's label is compared as the fiscal year it names (令和6年度 == 2024年度). Nothing else is
relaxed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.packet import check_packet

HOLDOUT = Path(__file__).resolve().parent.parent / "samples" / "holdout"
EXPECTED = sorted((HOLDOUT / "expected").glob("*.json"))

_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925}
_FY = re.compile(r"(令和|平成|昭和)(元|\d+)年度|(\d{4})年(?:度|(\d{1,2})月期)?")


def _canon(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return value


def _fiscal_year(value: Any) -> Any:
    """The fiscal year a plan column names: 「基準年度 令和6年度（実績）」 → 2024年度, 「2024年(実績)」 → 2024年度,
    「第21期（2025年9月期）」 → 2025年9月期 (「第21期」 alone names no year: itself)."""
    if not isinstance(value, str):
        return value
    m = _FY.search(_canon(value))
    if not m:
        return _canon(value)
    if m.group(3):  # 「2024年度」, 「2024年」, 「2024年(実績)」: 2024年度; 「第21期（2025年9月期）」: 2025年9月期
        return f"{m.group(3)}年{m.group(4)}月期" if m.group(4) else f"{m.group(3)}年度"
    year = 1 if m.group(2) == "元" else int(m.group(2))
    return f"{_ERA_START[m.group(1)] + year}年度"


def _value(doc_fields: dict[str, Any], key: str) -> Any:
    entry = doc_fields.get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def _compare_plan(kind: str, want: list[dict[str, Any]], got: Any, diffs: list[str]) -> None:
    if not isinstance(got, list):
        diffs.append(f"{kind}.plan_years: expected {len(want)} years, got {got!r}")
        return
    if len(got) != len(want):
        diffs.append(f"{kind}.plan_years: expected {len(want)} years, got {len(got)}")
    for i, (w, g) in enumerate(zip(want, got)):
        g = g if isinstance(g, dict) else {}
        for key, wv in w.items():
            gv = g.get(key)
            if key == "year":
                same = _fiscal_year(gv) == _fiscal_year(wv)
            else:
                same = _canon(gv) == _canon(wv)
            if not same:
                diffs.append(f"{kind}.plan_years[{i}].{key}: expected {wv!r}, got {gv!r}")


def _compare_fields(kind: str, expected: dict[str, Any], doc_fields: dict[str, Any], diffs: list[str]) -> None:
    for key, want in expected.items():
        got = _value(doc_fields, key)
        if key == "plan_years":
            _compare_plan(kind, want, got, diffs)
        elif _canon(got) != _canon(want):
            diffs.append(f"{kind}.{key}: expected {want!r}, got {got!r}")


def _differences(exp: dict[str, Any], got: dict[str, Any]) -> list[str]:
    diffs: list[str] = []
    if got["verdict"] != exp["verdict"]:
        diffs.append(f"verdict: expected {exp['verdict']}, got {got['verdict']}")
    if got["track"] != exp["track"]:
        diffs.append(f"track: expected {exp['track']}, got {got['track']}")
    if sorted(got["missing_documents"]) != sorted(exp["missing_documents"]):
        diffs.append(f"missing_documents: expected {sorted(exp['missing_documents'])}, "
                     f"got {sorted(got['missing_documents'])}")
    checks = {c["id"]: c for c in got["checks"]}
    for check_id, want in exp["checks"].items():
        c = checks.get(check_id)
        if c is None or c["status"] != want:
            diffs.append(f"check {check_id}: expected {want}, got "
                         + (f"{c['status']} ({c['message']})" if c else "absent"))
    files = {f["file"]: f["status"] for f in got["files"]}
    for name, want in exp["files"].items():
        if files.get(name) != want:
            diffs.append(f"file {name}: expected {want}, got {files.get(name)}")
    want_docs = {(d["type"], d["file"], tuple(d["pages"])) for d in exp["documents"]}
    got_docs = {(d["type"], d["file"], tuple(d["pages"])) for d in got["documents"]}
    for t, f, p in sorted(want_docs - got_docs):
        diffs.append(f"document not found: {t} in {f} pages {list(p)}")
    for t, f, p in sorted(got_docs - want_docs):
        diffs.append(f"document not expected: {t} in {f} pages {list(p)}")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for d in got["documents"]:
        by_type.setdefault(d["type"], []).append(d)
    for kind, want in exp["fields"].items():
        docs = by_type.get(kind, [])
        if isinstance(want, list):
            docs = sorted(docs, key=lambda d: str(_value(d["fields"], "period_end")))
            if len(docs) != len(want):
                diffs.append(f"{kind}: expected {len(want)} documents, got {len(docs)}")
            for i, (w, d) in enumerate(zip(want, docs)):
                _compare_fields(f"{kind}[{i}]", w, d["fields"], diffs)
        elif not docs:
            diffs.append(f"{kind}: no such document")
        else:
            _compare_fields(kind, want, docs[0]["fields"], diffs)
    return diffs


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_holdout_packet(expected_file: Path) -> None:
    exp = json.loads(expected_file.read_text(encoding="utf-8"))
    report = check_packet(HOLDOUT / "packets" / exp["packet"], program=exp["program"],
                          as_of=date.fromisoformat(exp["as_of"]))
    diffs = _differences(exp, report.model_dump(mode="json"))
    assert not diffs, f"{exp['packet']}:\n  " + "\n  ".join(diffs)


def test_holdout_set_is_there() -> None:
    assert len(EXPECTED) >= 10, "the hold-out set has gone missing (run python -m samples.holdout.generate)"


def test_committed_holdout_matches_its_generator(tmp_path: Path) -> None:
    """The committed packets and expected files are what the generator writes today (byte for byte)."""
    from samples.holdout import generate

    generate.generate(tmp_path)
    stale = []
    for fresh in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        rel = fresh.relative_to(tmp_path)
        committed = HOLDOUT / rel
        if not committed.exists() or committed.read_bytes() != fresh.read_bytes():
            stale.append(str(rel))
    assert not stale, f"regenerate the hold-out set; stale or missing: {stale}"


@pytest.mark.parametrize(("label", "year"), [
    ("令和6年度", "2024年度"),
    ("基準年度\n令和元年度\n（実績）", "2019年度"),
    ("2024年度（実績）", "2024年度"),
    ("平成30年度", "2018年度"),
], ids=["reiwa", "gannen-in-base-column", "western", "heisei"])
def test_fiscal_year_labels_compare_as_years(label: str, year: str) -> None:
    assert _fiscal_year(label) == year

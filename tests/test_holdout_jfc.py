"""JFC hold-out packets (samples/holdout_jfc/) replayed by name against ``jfc-iot``: one test per packet.

The packets were drawn by samples/holdout_jfc/generate.py, written apart from the project's own samples and
extractors (other applicants, accountants and layouts); the expected results are that generator's ground
truth from the leaflet and the printed figures, never the pipeline's output. A failure lists every
difference: verdict, missing documents, check statuses (and required message parts), documents found
(type, file, pages) and core field values.

Comparison rules (nothing else is relaxed):
- text is compared after NFKC with white space removed;
- names (applicant, company, recipient) also without the company type (株式会社, (株), 有限会社 …) and the
  honorific (御中, 様, 殿): 「（株）やまびこ庵 様」 names the same company as 「株式会社やまびこ庵」;
- ``address`` without a leading postal code (〒923-0874);
- ``use_of_funds`` as the kinds it names (設備資金, 運転資金), whatever the separator;
- ``funds_detail`` and ``programme`` must contain the expected text (a programme may be printed with 事業);
- a plan year's label is compared as the year it names (令和6年度 == 2024年度; 第21期（2025年9月期） == 2025);
  a label read without its year must be part of the expected label (「第21期」 names 第21期（2025年9月期）).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pipeline.packet import check_packet

HOLDOUT = Path(__file__).resolve().parent.parent / "samples" / "holdout_jfc"
EXPECTED = sorted((HOLDOUT / "expected").glob("*.json"))

_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925}
_YEAR = re.compile(r"(令和|平成|昭和)(元|\d+)年|(\d{4})年")
_AFFIXES = ("株式会社", "(株)", "有限会社", "(有)", "合同会社", "(同)", "御中", "様", "殿")
_POSTCODE = re.compile(r"^〒?\d{3}-\d{4}")
_NAME_FIELDS = {"applicant_name", "company_name", "recipient_name"}


def _canon(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return value


def _name(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = _canon(value)
    for affix in _AFFIXES:
        text = text.replace(affix, "")
    return text


def _year(value: Any) -> Any:
    """The year a plan label names: 「基準年度（実績）令和6年度」 → 2024, 「第21期 2025年9月期」 → 2025."""
    if not isinstance(value, str):
        return value
    m = _YEAR.search(_canon(value))
    if not m:
        return _canon(value)
    if m.group(3):
        return int(m.group(3))
    return _ERA_START[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))


def _kinds(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = _canon(value)
    return sorted(k for k in ("設備資金", "運転資金") if k in text)


def _same(key: str, want: Any, got: Any) -> bool:
    if key in _NAME_FIELDS:
        return _name(got) == _name(want)
    if key == "address":
        return isinstance(got, str) and _POSTCODE.sub("", _canon(got)) == _canon(want)
    if key == "use_of_funds":
        return _kinds(got) == _kinds(want)
    if key in ("funds_detail", "programme"):
        return isinstance(got, str) and _canon(want) in _canon(got)
    if key == "year":
        if isinstance(got, str) and isinstance(_year(got), str):  # no year in what was read: 「第21期」
            return bool(_canon(got)) and _canon(got) in _canon(want)
        return _year(got) == _year(want)
    return _canon(got) == _canon(want)


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
            if not _same(key, wv, g.get(key)):
                diffs.append(f"{kind}.plan_years[{i}].{key}: expected {wv!r}, got {g.get(key)!r}")


def _compare_fields(kind: str, expected: dict[str, Any], doc_fields: dict[str, Any], diffs: list[str]) -> None:
    for key, want in expected.items():
        got = _value(doc_fields, key)
        if key == "plan_years":
            _compare_plan(kind, want, got, diffs)
        elif not _same(key, want, got):
            diffs.append(f"{kind}.{key}: expected {want!r}, got {got!r}")


def _order(kind: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    key = "total_amount" if kind == "funding_evidence" else "period_end"
    return sorted(docs, key=lambda d: str(_value(d["fields"], key)).zfill(20))


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
    for check_id, part in exp.get("messages", {}).items():
        c = checks.get(check_id)
        if c is None or _canon(part) not in _canon(c["message"]):
            diffs.append(f"check {check_id}: message should say {part!r}, got "
                         + (repr(c["message"]) if c else "no such check"))
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
            docs = _order(kind, docs)
            want = sorted(want, key=lambda w: str(w.get("total_amount", w.get("period_end"))).zfill(20))
            if len(docs) != len(want):
                diffs.append(f"{kind}: expected {len(want)} documents, got {len(docs)}")
            for i, (w, d) in enumerate(zip(want, docs)):
                _compare_fields(f"{kind}[{i}]", w, d["fields"], diffs)
        elif not docs:
            diffs.append(f"{kind}: no such document")
        else:
            _compare_fields(kind, want, docs[0]["fields"], diffs)
    return diffs


def _expected(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _report(packet: str, as_of: str) -> dict[str, Any]:
    """The pipeline's report for one packet (read once per test session)."""
    report = check_packet(HOLDOUT / "packets" / packet, program="jfc-iot", as_of=date.fromisoformat(as_of))
    return report.model_dump(mode="json")


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_holdout_jfc_packet(expected_file: Path) -> None:
    exp = _expected(expected_file)
    diffs = _differences(exp, _report(exp["packet"], exp["as_of"]))
    assert not diffs, f"{exp['packet']} ({exp['why']}):\n  " + "\n  ".join(diffs)


def test_no_packet_is_called_eligible_that_is_not() -> None:
    """The one mistake a clerk cannot afford: a packet the truth refuses (or cannot decide) called eligible."""
    wrong = []
    for path in EXPECTED:
        exp = _expected(path)
        if exp["verdict"] != "eligible":
            got = _report(exp["packet"], exp["as_of"])["verdict"]
            if got == "eligible":
                wrong.append(f"{exp['packet']} (truth: {exp['verdict']})")
    assert not wrong, f"called eligible but are not: {wrong}"


def test_holdout_jfc_set_is_there() -> None:
    assert len(EXPECTED) >= 8, "the JFC hold-out set has gone missing (run python -m samples.holdout_jfc.generate)"
    verdicts = {_expected(p)["verdict"] for p in EXPECTED}
    assert verdicts >= {"eligible", "ineligible", "incomplete"}, f"the set lost a kind of verdict: {verdicts}"


def test_committed_holdout_jfc_matches_its_generator(tmp_path: Path) -> None:
    """The committed packets and expected files are what the generator writes today (byte for byte)."""
    from samples.holdout_jfc import generate

    generate.generate(tmp_path)
    fresh = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(HOLDOUT) for d in ("packets", "expected") for p in (HOLDOUT / d).rglob("*")
                 if p.is_file()}
    stale = sorted(str(rel) for rel in fresh
                   if rel not in committed or (HOLDOUT / rel).read_bytes() != (tmp_path / rel).read_bytes())
    extra = sorted(str(rel) for rel in committed - fresh)
    assert not stale and not extra, f"regenerate the JFC hold-out set; stale or missing: {stale}; left over: {extra}"


@pytest.mark.parametrize(("label", "year"), [
    ("令和6年度", 2024),
    ("基準年度\n（実績）\n令和元年度", 2019),
    ("2023年（実績）", 2023),
    ("第21期\n2025年9月期\n（実績）", 2025),
    ("平成30年度", 2018),
], ids=["reiwa", "gannen-in-base-column", "western-calendar-year", "term-with-month", "heisei"])
def test_plan_labels_compare_as_years(label: str, year: int) -> None:
    assert _year(label) == year


@pytest.mark.parametrize(("key", "want", "got", "same"), [
    ("recipient_name", "（株）やまびこ庵", "株式会社やまびこ庵 様", True),
    ("recipient_name", "株式会社やまびこ庵", "株式会社やまびこ", False),
    ("address", "石川県小松市工業団地一丁目48番地", "〒923-0874 石川県小松市工業団地一丁目48番地", True),
    ("address", "石川県小松市工業団地一丁目48番地", "石川県小松市", False),
    ("use_of_funds", "設備資金・運転資金", "運転資金、設備資金", True),
    ("use_of_funds", "設備資金・運転資金", "設備資金", False),
    ("programme", "ミラサポ専門家派遣", "ミラサポ専門家派遣事業", True),
    ("programme", "スマートものづくり応援隊", None, False),
    ("loan_amount", 85000000, 8500000, False),
    ("year", "第21期（2025年9月期）", "第21期", True),
    ("year", "第21期（2025年9月期）", "第22期", False),
    ("year", "令和7年度", "2025年度（計画）", True),
    ("year", "令和7年度", "2026年度", False),
], ids=["name-affixes", "name-cut-short", "postcode", "address-cut-short", "fund-kinds-order",
        "fund-kind-lost", "programme-with-jigyo", "programme-absent", "amount-off-by-ten",
        "term-without-year", "other-term", "era-and-western", "year-off-by-one"])
def test_comparison_rules(key: str, want: Any, got: Any, same: bool) -> None:
    assert _same(key, want, got) is same

"""The sample generator: deterministic output, committed packets up to date, expected files that agree
with the contract's verdict rule and with what the PDFs actually print."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from samples import generate
from samples.docs import PacketTruth
from samples.layouts.pen import amount, fmt_date, money

SAMPLES = Path(generate.__file__).resolve().parent
TRUTHS = {t.name: t for t in generate.packets()}
NAMES = sorted(TRUTHS)
FUKUI = [n for n in NAMES if TRUTHS[n].program == generate.PROGRAM]
JFC = [n for n in NAMES if TRUTHS[n].program == generate.JFC_PROGRAM]
CHECK_IDS = {generate.PROGRAM: generate.CHECK_IDS, generate.JFC_PROGRAM: generate.JFC_CHECK_IDS}
STATUSES = {"pass", "fail", "review", "not_applicable"}


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    generate.generate(out)
    return out


def _expected(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def _packet_files(name: str) -> dict[str, bytes]:
    folder = SAMPLES / "packets" / name
    if folder.is_dir():
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    with zipfile.ZipFile(SAMPLES / "packets" / f"{name}.zip") as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _page_text(data: bytes, pages: list[int]) -> str:
    """The text layer of ``pages`` (1-based), NFKC-normalised with spaces removed."""
    pdf = pdfium.PdfDocument(data)
    try:
        text = "".join(pdf[n - 1].get_textpage().get_text_range() for n in pages)
    finally:
        pdf.close()
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _plain(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


# ---------------------------------------------------------------- the generator


# one packet of each kind of output: encrypted and truncated files, a zip, a two-column P/L, one PDF, JFC forms
DETERMINISM = ["fukui-bad-files", "fukui-zip", "fukui-t2-eligible-manufacturing", "jfc-va5-eligible", "jfc-single-pdf"]


def test_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    """A second run writes the same bytes (checked on a sample of packets that covers every code path
    that could draw on randomness: the whole set is compared with the committed files below)."""
    generate.generate(tmp_path, DETERMINISM)
    second = _digest(tmp_path)
    first = {k: v for k, v in _digest(generated).items() if k in second}
    assert len(second) > len(DETERMINISM) * 2 and first.keys() == second.keys()
    differ = sorted(k for k in first if first[k] != second[k])
    assert not differ, f"files differ between two runs: {differ}"


def test_committed_samples_match_the_generator(generated: Path) -> None:
    committed = {k: v for k, v in _digest(SAMPLES).items() if k.startswith(("packets/", "expected/"))}
    fresh = _digest(generated)
    stale = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
    assert not stale, f"run `python -m samples.generate` and commit: stale or extra files {stale}"


def test_at_least_fourteen_packets_each_with_an_expected_file() -> None:
    assert len(NAMES) >= 14
    missing = [n for n in NAMES if not (SAMPLES / "expected" / f"{n}.json").is_file()]
    assert not missing, f"packets without an expected file: {missing}"
    orphans = sorted({p.stem for p in (SAMPLES / "expected").glob("*.json")} - set(NAMES))
    assert not orphans, f"expected files without a packet: {orphans}"


# ---------------------------------------------------------------- expected files


@pytest.mark.parametrize("name", NAMES)
def test_verdict_follows_from_checks_and_missing_documents(name: str) -> None:
    exp = _expected(name)
    checks, missing = exp["checks"], exp["missing_documents"]
    assert set(checks) == set(CHECK_IDS[exp["program"]]), "every check id has an expected status"
    assert set(checks.values()) <= STATUSES
    assert missing == sorted(missing), "missing_documents is sorted"
    if "fail" in checks.values():
        want = "ineligible"
    elif missing:
        want = "incomplete"
    elif "review" in checks.values():
        want = "review"
    else:
        want = "eligible"
    assert exp["verdict"] == want
    assert exp["why"], "every packet says in one line how it differs from the baseline"
    assert exp["program"] == TRUTHS[name].program and name.startswith(exp["program"].split("-")[0] + "-")
    assert date.fromisoformat(exp["as_of"])


@pytest.mark.parametrize("name", FUKUI)
def test_track_specific_checks(name: str) -> None:
    exp = _expected(name)
    checks = exp["checks"]
    if exp["track"] == "1":
        assert checks["plan_value_added_growth"] == checks["plan_ordinary_profit_growth"] == "not_applicable"
        assert checks["loan_limit_subsidy"] != "not_applicable"
    else:
        assert checks["loan_limit_subsidy"] == "not_applicable"
        assert checks["plan_value_added_growth"] != "not_applicable"


@pytest.mark.parametrize("name", NAMES)
def test_expected_files_are_the_packet_files(name: str) -> None:
    exp, files = _expected(name), _packet_files(name)
    assert sorted(exp["files"]) == sorted(files)
    for doc in exp["documents"]:
        assert exp["files"][doc["file"]] == "ok"
        assert len(pdfium.PdfDocument(files[doc["file"]])) >= max(doc["pages"])


@pytest.mark.parametrize("name", NAMES)
def test_names_carry_no_meaning(name: str) -> None:
    words = ("loan", "tax", "plan", "statement", "kessan", "notice", "opinion", "quote", "mitsumori", "申込", "決算")
    bad = [f for f in _expected(name)["files"] if any(w in f.lower() for w in words)]
    assert not bad


# ---------------------------------------------------------------- the PDFs print what the expected file says


@pytest.mark.parametrize("name", NAMES)
def test_pdfs_print_the_expected_values(name: str) -> None:
    """Each expected core value (formatted as the packet prints it) is in its document's text layer."""
    t: PacketTruth = TRUTHS[name]
    exp, files = _expected(name), _packet_files(name)
    unit, neg = t.style.unit, t.style.neg_mark
    texts: dict[str, list[str]] = {}
    for doc in exp["documents"]:
        texts.setdefault(doc["type"], []).append(_page_text(files[doc["file"]], doc["pages"]))
    fields = exp["fields"]
    problems: list[str] = []

    def need(kind: str, needle: str, index: int = 0) -> None:
        if _plain(needle) not in texts[kind][index]:
            problems.append(f"{kind}[{index}] lacks {needle!r}")

    la = fields["loan_application"]
    for key in ("applicant_name", "address", "industry", "use_of_funds") + (
            ("business_unit", "funds_detail") if t.program == generate.JFC_PROGRAM else ()):
        need("loan_application", la[key])
    need("loan_application", money(la["loan_amount"], t.style.money_style))
    need("loan_application", fmt_date(date.fromisoformat(la["business_start_date"]), t.style.wareki))
    for st in fields["financial_statements"]:
        end_date = _plain(fmt_date(date.fromisoformat(st["period_end"]), t.style.wareki))
        matches = [txt for txt in texts["financial_statements"] if end_date in txt]
        if len(matches) != 1:
            problems.append(f"statement {st['period_end']}: {len(matches)} documents print its closing date")
            continue
        for key in ("sales", "non_operating_expenses"):
            if _plain(amount(st[key], unit, neg)) not in matches[0]:
                problems.append(f"statement {st['period_end']} lacks {key} {st[key]}")
        op = st["operating_profit"]
        shown = amount(abs(op), unit) if t.style.loss_label and not t.style.two_column_pl else amount(op, unit, neg)
        if _plain(shown) not in matches[0]:
            problems.append(f"statement {st['period_end']} lacks operating_profit {op}")
    for kind in ("tax_certificate_prefectural", "tax_certificate_consumption"):
        if kind in fields:
            need(kind, fields[kind]["taxpayer_name"])
            need(kind, fmt_date(date.fromisoformat(fields[kind]["issue_date"]), t.style.wareki))
    if "subsidy_decision_notice" in fields:
        n = fields["subsidy_decision_notice"]
        need("subsidy_decision_notice", f"金{n['subsidy_amount']:,}円を交付することに決定")
        need("subsidy_decision_notice", f"{n['project_cost']:,}円")
        need("subsidy_decision_notice", n["project_name"])
    need("funding_evidence", f"{fields['funding_evidence']['total_amount']:,}")
    if "income_expenditure_plan" in fields:
        for year in fields["income_expenditure_plan"]["plan_years"]:
            need("income_expenditure_plan", year["year"])
            need("income_expenditure_plan", amount(year["value_added"], unit, neg))
    if "expert_support_certificate" in fields:
        need("expert_support_certificate", fields["expert_support_certificate"]["programme"])
        need("expert_support_certificate", fields["expert_support_certificate"]["recipient_name"])
    if t.program == generate.JFC_PROGRAM:  # the JFC plan table is printed in 千円, head counts as they are
        for year in fields["business_plan"]["plan_years"]:
            need("business_plan", year["year"])
            need("business_plan", amount(year["value_added"], 1000))
            need("business_plan", amount(year["ordinary_profit"], 1000))
    assert not problems, problems


def test_jfc_packets_cover_every_route_and_every_failure() -> None:
    """At least 8 JFC packets: one eligible by each route of ※4, each check failed once, the expert evidence
    missing once, and a loan over each business unit's limit."""
    assert len(JFC) >= 8
    routes: set[str] = set()
    failed: set[str] = set()
    for name in JFC:
        t, exp = TRUTHS[name], _expected(name)
        assert t.jfc is not None
        if exp["verdict"] == "eligible":
            routes |= {k for k, v in generate.jfc_routes(t.jfc.plan).items() if v}
        failed |= {k for k, v in exp["checks"].items() if v == "fail"}
        assert exp["track"] is None
    assert {"va3", "va5", "pva3", "op3", "op5"} <= routes
    assert set(generate.JFC_CHECK_IDS) - {"names_consistent"} <= failed
    assert any(_expected(n)["missing_documents"] == ["expert_support_certificate"] for n in JFC)
    units = {TRUTHS[n].jfc.business_unit for n in JFC  # type: ignore[union-attr]
             if _expected(n)["checks"]["loan_limit"] == "fail"}
    assert units == {"中小企業事業", "国民生活事業"}
    assert any(_expected(n)["checks"]["plan_growth"] == "review" and _expected(n)["verdict"] == "review" for n in JFC)


def test_statement_identities_hold() -> None:
    """Subtotals are built from items; the P/L identities hold for every period of every packet."""
    for t in TRUTHS.values():
        for p in t.periods:
            assert p.gross == p.sales - p.cogs
            assert p.operating == p.gross - p.sga_total
            assert p.ordinary == p.operating + p.noi - p.noe
            assert p.net == p.pretax - p.tax
            assert all(v % t.style.unit == 0 for _, v in p.sga), t.name
            if p.mfg:
                assert p.mfg.product_cost == p.cogs_items[1][1]
                assert p.personnel > p.mfg.labor > 0 and p.depreciation > p.mfg.depreciation > 0
            bs = dict(p.bs)
            assets = sum(bs[k] for k in ("現金及び預金", "売掛金", "棚卸資産", "その他流動資産", "有形固定資産",
                                         "無形固定資産", "投資その他の資産"))
            claims = sum(v for k, v in p.bs) - assets
            assert assets == claims and bs["現金及び預金"] > 0, t.name
        assert all(b.start.toordinal() - a.end.toordinal() == 1 for a, b in zip(t.periods, t.periods[1:]))


# ---------------------------------------------------------------- packets that test one thing


def _growth(years: list[dict[str, int]], value: Any) -> float:
    return value(years[5]) / value(years[0]) - 1


@pytest.mark.parametrize("name, lo, hi", [
    ("fukui-t2-eligible", 0.15, 1.0),
    ("fukui-t2-value-added-short", 0.11, 0.13),
])
def test_value_added_growth(name: str, lo: float, hi: float) -> None:
    years = _expected(name)["fields"]["income_expenditure_plan"]["plan_years"]
    assert lo <= _growth(years, lambda y: y["operating_profit"] + y["personnel_cost"] + y["depreciation"]) < hi
    assert all(y["value_added"] == y["operating_profit"] + y["personnel_cost"] + y["depreciation"] for y in years)


def test_ordinary_profit_short_by_the_youkou_but_not_by_accounting() -> None:
    years = _expected("fukui-t2-ordinary-profit-short")["fields"]["income_expenditure_plan"]["plan_years"]
    assert _growth(years, lambda y: y["operating_profit"] - y["non_operating_expenses"]) < 0.05
    assert _growth(years, lambda y: y["ordinary_profit"]) > 0.05


def test_manufacturing_counts_labour_and_factory_depreciation() -> None:
    t = TRUTHS["fukui-t2-eligible-manufacturing"]
    latest = t.periods[-1]
    assert latest.mfg is not None
    base = _expected(t.name)["fields"]["income_expenditure_plan"]["plan_years"][0]
    assert base["personnel_cost"] == latest.personnel and base["depreciation"] == latest.depreciation
    assert latest.personnel - latest.mfg.labor > 0  # 販管費 personnel lines are there too


def test_bad_files_are_bad_in_the_way_expected() -> None:
    exp, files = _expected("fukui-bad-files"), _packet_files("fukui-bad-files")
    assert exp["verdict"] == "eligible"
    bad = {k: v for k, v in exp["files"].items() if v != "ok"}
    kinds = {}
    for name, status in bad.items():
        data = files[name]
        if not data:
            kinds["empty"] = status
        elif not data.startswith(b"%PDF-"):
            kinds["not_pdf"] = status
        else:
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument(data)
            try:
                pdfium.PdfDocument(data, password="pw")
                kinds["encrypted"] = status
            except pdfium.PdfiumError:
                kinds["truncated"] = status
    assert kinds == {"empty": "unreadable", "not_pdf": "unsupported", "encrypted": "unreadable",
                     "truncated": "unreadable"}


def test_zip_packet_is_a_flat_archive() -> None:
    with zipfile.ZipFile(SAMPLES / "packets" / "fukui-zip.zip") as zf:
        names = zf.namelist()
    assert names and all("/" not in n for n in names)
    assert sorted(names) == sorted(_expected("fukui-zip")["files"])


def test_single_pdf_holds_the_whole_packet() -> None:
    exp = _expected("fukui-single-pdf")
    assert len(exp["files"]) == 1
    assert len(exp["documents"]) == sum(generate.REQUIRED[exp["track"]].values())
    assert exp["verdict"] == "eligible"

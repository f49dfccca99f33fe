"""Write the JFC hold-out packets and their expected results: ``python -m samples.holdout_jfc.generate [OUT]``.

OUT defaults to this package's folder (``packets/<name>/*.pdf`` and ``expected/<name>.json``). The expected
results are the generator's own ground truth, worked out from the leaflet (000_dbda382197a60f5d.txt) and
the figures printed on the pages; nothing here runs or imports the pipeline.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from samples.holdout_jfc import specs
from samples.holdout_jfc.draw import GOTHIC, Sheet
from samples.holdout_jfc.forms import print_cover, print_expert, print_loan_grid, print_loan_kokumin, \
    print_loan_letter, print_quote
from samples.holdout_jfc.plans import print_plan_grid, print_plan_mincho, print_plan_rows
from samples.holdout_jfc.statements import Period, print_comparative, print_compact, print_ledger

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PROGRAM = "jfc-iot"
CHECK_IDS = ("sme", "expert_support", "plan_growth", "loan_limit", "loan_term", "use_of_funds",
             "working_capital", "names_consistent")
EXPERT_PROGRAMMES = ("スマートものづくり応援隊", "戦略的CIO育成支援事業", "ミラサポ専門家派遣", "スマートSMEサポーター")
UNIT_LIMITS = {"中小企業事業": 720_000_000, "国民生活事業": 72_000_000}
SME_LIMITS = {"製造業その他": (300_000_000, 300), "卸売業": (100_000_000, 100), "サービス業": (50_000_000, 100),
              "小売業": (50_000_000, 50)}
REQUIRED = {"loan_application": 1, "financial_statements": 2, "expert_support_certificate": 1,
            "business_plan": 1, "funding_evidence": 1}
DOC_TYPES = {"cover": "unknown", "loan": "loan_application", "expert": "expert_support_certificate",
             "plan": "business_plan", "fs": "financial_statements", "quote": "funding_evidence"}


def _fs_documents(spec: specs.Spec) -> list[tuple[Period | None, Period]]:
    """(前期 or None, the period the document is of) for every 決算書 in the packet, oldest first."""
    if spec.fs_layout == "comparative":
        return list(zip(spec.periods[:-1], spec.periods[1:]))
    return [(None, p) for p in spec.periods]


def _draw(sheet: Sheet, spec: specs.Spec, key: str) -> None:
    a, fs = spec.applicant, _fs_documents(spec)
    if key == "cover":
        assert spec.cover is not None
        print_cover(sheet, a, *spec.cover)
    elif key == "loan":
        {"grid": print_loan_grid, "kokumin": print_loan_kokumin, "letter": print_loan_letter}[spec.loan_layout](
            sheet, a, spec.loan)
    elif key == "expert":
        assert spec.expert is not None
        print_expert(sheet, spec.expert, a)
    elif key.startswith("fs"):
        prior, period = fs[int(key[2:])]
        if spec.fs_layout == "ledger":
            print_ledger(sheet, period, bs_first=spec.ledger_bs_first)
        elif spec.fs_layout == "compact":
            print_compact(sheet, period)
        else:
            assert prior is not None
            print_comparative(sheet, prior, period)
    elif key == "plan":
        made_on = f"作成日　{spec.loan.applied_on.year}年{spec.loan.applied_on.month}月"
        if spec.plan_layout == "grid":
            print_plan_grid(sheet, spec.plan, spec.plan_printed, a.name, made_on, spec.plan_sections)
        elif spec.plan_layout == "rows":
            print_plan_rows(sheet, spec.plan, spec.plan_printed, a.name, made_on, "事業計画書", spec.plan_sections)
        else:
            print_plan_mincho(sheet, spec.plan, spec.plan_printed, a.name, made_on, spec.plan_sections)
    elif key.startswith("quote"):
        quote, style = spec.quotes[int(key[5:])]
        print_quote(sheet, quote, style)
    else:
        raise ValueError(f"unknown document key {key!r} in packet {spec.name}")


def _checks(spec: specs.Spec) -> dict[str, str]:
    """Each check's status as the leaflet decides it for this packet (our ground truth, not the engine's)."""
    a, loan = spec.applicant, spec.loan
    cap_limit, emp_limit = SME_LIMITS[spec.sme_class]
    working = [i for i in loan.items if i.kind == "運転資金"]
    equipment = [i for i in loan.items if i.kind == "設備資金"]
    if loan.term_months > 240 or (working and not equipment and loan.term_months > 84):
        term = "fail"
    elif working and equipment and loan.term_months > 84:
        term = "review"  # 運転資金 ≤ 7 years, 設備資金 ≤ 20: the form does not split the term
    else:
        term = "pass"
    if spec.expert is None:
        expert = "review"
    else:
        expert = "pass" if spec.expert.programme in EXPERT_PROGRAMMES else "fail"
    return {
        "sme": "pass" if a.capital <= cap_limit or a.employees <= emp_limit else "fail",
        "expert_support": expert,
        "plan_growth": "pass" if any(spec.plan.routes().values()) else "fail",
        "loan_limit": "pass" if loan.amount <= UNIT_LIMITS[loan.unit] else "fail",
        "loan_term": term,
        "use_of_funds": "fail" if any(i.land for i in loan.items) else "pass",
        "working_capital": "fail" if any(i.working_kind == "other" for i in working) else "pass",
        "names_consistent": "pass",
    }


def _verdict(checks: dict[str, str], missing: list[str]) -> str:
    if "fail" in checks.values():
        return "ineligible"
    if missing:
        return "incomplete"
    return "review" if "review" in checks.values() else "eligible"


def _one_or_list(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    return rows[0] if len(rows) == 1 else rows


def write_packet(spec: specs.Spec, out: Path) -> dict[str, Any]:
    folder = out / "packets" / spec.name
    folder.mkdir(parents=True, exist_ok=True)
    documents: list[dict[str, Any]] = []
    for file_name, keys in spec.files:
        sheet = Sheet(folder / file_name, GOTHIC)
        for i, key in enumerate(keys):
            if i:
                sheet.next_page()
            first = sheet.page
            _draw(sheet, spec, key)
            kind = DOC_TYPES[key.rstrip("0123456789")]
            documents.append({"type": kind, "file": file_name, "pages": list(range(first, sheet.page + 1))})
        sheet.save()
    counts = {t: sum(d["type"] == t for d in documents) for t in REQUIRED}
    missing = [t for t, n in REQUIRED.items() if counts[t] < n]
    checks = _checks(spec)
    verdict = _verdict(checks, missing)
    if verdict != spec.intended:
        raise ValueError(f"packet {spec.name}: designed to be {spec.intended}, its truth says {verdict} ({checks})")
    fields: dict[str, Any] = {"loan_application": spec.loan.truth(spec.applicant)}
    fields["financial_statements"] = [p.truth() for _, p in _fs_documents(spec)]
    fields["business_plan"] = {"applicant_name": spec.applicant.name,
                               "plan_years": spec.plan.truth(per_head=spec.plan_layout != "rows")}
    fields["funding_evidence"] = _one_or_list([{"total_amount": q.total} for q, _ in spec.quotes])
    if spec.expert is not None:
        recipient = spec.expert.addressed.split("　")[0]
        fields["expert_support_certificate"] = {"programme": spec.expert.programme, "recipient_name": recipient}
    expected = {
        "packet": spec.name, "program": PROGRAM, "as_of": spec.as_of.isoformat(), "why": spec.why,
        "verdict": verdict, "track": None, "missing_documents": missing,
        "checks": {c: checks[c] for c in CHECK_IDS}, "messages": spec.messages,
        "plan_routes": spec.plan.routes(),
        "files": {f: "ok" for f, _ in spec.files}, "documents": documents, "fields": fields,
    }
    return expected


def generate(out: Path = HERE) -> list[str]:
    """Write every packet and its expected result under ``out``; returns the packet names."""
    names = []
    for spec in specs.ALL():
        expected = write_packet(spec, out)
        path = out / "expected" / f"{spec.name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        log.info("wrote packet %s", spec.name)
        names.append(spec.name)
    return names


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = sys.argv[1:] if argv is None else argv
    generate(Path(args[0]) if args else HERE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scanned packets as a measurement (issue 3): hold-out packets scanned, checked and judged against the truth.

Scans every hold-out text packet (samples/holdout/packets/*, and samples/holdout_jfc/packets/* when there)
with samples.scan — every page a 300 dpi grayscale JPEG, turned by up to 1°, noisy, no text layer — into a
cache folder (deterministic; a packet already scanned from the same source is not scanned again), or with
`--set samples` takes samples/scanned as it is. Then runs `check_packet` on each with a fresh OCR cache
(SHINSA_CACHE_DIR set to a temporary folder unless --keep-cache) and prints, per packet: the truth verdict and
the verdict got, core fields exact / total and each field wrong or missing (name, truth, got, confidence —
synthetic sample values), the checks that are not their truth, and any FALSE PASS; then the totals: verdicts
exact, verdicts right or review, core fields exact, false passes, pages OCR'd, seconds, against the targets.

The judging is tests/test_scanned.py's (false passes, checks true or review, verdict true or review, core
fields compared as tests/test_holdout.py compares them); the targets are its VERDICT_TARGET and FIELD_TARGET.

Usage: .venv/bin/python benchmarks/eval_scanned.py [--set holdout|samples] [--packets a,b] [--scans DIR]
                                                   [--json PATH] [--keep-cache]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import ocr  # noqa: E402
from pipeline.packet import check_packet  # noqa: E402
from samples import scan  # noqa: E402
from tests.test_scanned import (  # noqa: E402
    FIELD_TARGET,
    VERDICT_TARGET,
    FieldResult,
    false_passes,
    field_results,
    verdict_problem,
    wrong_checks,
)

HOLDOUT_SETS = (ROOT / "samples" / "holdout", ROOT / "samples" / "holdout_jfc")
DEFAULT_SCANS = Path(tempfile.gettempdir()) / "shinsa-eval-scans"


@dataclass
class OcrCount:
    """Pages sent to OCR while one packet was checked: read now, or found in the OCR cache."""

    read: int = 0
    cached: int = 0
    seconds: float = 0.0

    def wrap(self) -> None:
        """Count through ``extractors.ocr.ocr_pages`` (which ingest calls through the module)."""
        inner = ocr.ocr_pages

        def counted(sources: Any, workers: int | None = None) -> list[ocr.OcrResult]:
            results = inner(sources, workers)
            for r in results:
                self.cached += r.cached
                self.read += not r.cached
                self.seconds += r.seconds
            return results

        ocr.ocr_pages = counted  # type: ignore[assignment]


@dataclass
class PacketResult:
    packet: str
    program: str
    truth_verdict: str
    verdict: str
    verdict_ok: bool  # the truth or review (tests/test_scanned.py, rule c)
    false_passes: list[str]
    checks_not_true: list[str]  # wrong, and review where the truth is not
    pages: int
    ocr_pages: int
    ocr_cached: int
    seconds: float
    fields: list[FieldResult] = field(default_factory=list)

    @property
    def exact(self) -> int:
        return sum(f.exact for f in self.fields)


def holdout_sources(sets: tuple[Path, ...] = HOLDOUT_SETS) -> list[Path]:
    """Every committed hold-out text packet folder that has an expected file."""
    out: list[Path] = []
    for root in sets:
        packets = root / "packets"
        if packets.is_dir():
            out += [p for p in sorted(packets.iterdir()) if p.is_dir() and scan.expected_path(p).is_file()]
    return out


def scanned_holdout(scans: Path, only: set[str]) -> list[tuple[Path, Path]]:
    """(packet folder, expected file) of each hold-out packet scanned under ``scans`` (scanned if need be)."""
    out = []
    for folder in holdout_sources():
        if only and folder.name not in only:
            continue
        t0 = time.perf_counter()
        packet, expected, written = scan.ensure(scan.folder_spec(folder), scans)
        if written:
            print(f"scanned {folder.name} into {packet} in {time.perf_counter() - t0:.1f} s", flush=True)
        out.append((packet, expected))
    return out


def sample_scans(only: set[str]) -> list[tuple[Path, Path]]:
    expected = sorted((scan.SCANNED / "expected").glob("*.json"))
    return [(scan.SCANNED / "packets" / e.stem, e) for e in expected if not only or e.stem in only]


def evaluate(packet: Path, expected: Path) -> PacketResult:
    exp = json.loads(expected.read_text(encoding="utf-8"))
    count = OcrCount()
    saved = ocr.ocr_pages
    count.wrap()
    t0 = time.perf_counter()
    try:
        report = check_packet(packet, program=exp["program"], as_of=date.fromisoformat(exp["as_of"]))
    finally:
        ocr.ocr_pages = saved  # type: ignore[assignment]
    seconds = time.perf_counter() - t0
    got = report.model_dump(mode="json")
    return PacketResult(
        packet=exp["packet"], program=exp["program"], truth_verdict=exp["verdict"], verdict=got["verdict"],
        verdict_ok=verdict_problem(exp, got) is None, false_passes=false_passes(exp, got),
        checks_not_true=wrong_checks(exp, got) + [f"check {c['id']} review, truth {exp['checks'][c['id']]}"
                                                for c in got["checks"] if c["status"] == "review"
                                                and exp["checks"].get(c["id"]) not in (None, "review")],
        pages=sum(f["pages"] for f in got["files"]), ocr_pages=count.read, ocr_cached=count.cached,
        seconds=seconds, fields=field_results(exp, got))


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def print_packet(r: PacketResult) -> None:
    mark = "" if r.verdict == r.truth_verdict else ("  (review)" if r.verdict_ok else "  WRONG VERDICT")
    print(f"\n{r.packet} [{r.program}]  truth {r.truth_verdict}  got {r.verdict}{mark}  "
          f"fields {r.exact}/{len(r.fields)}  pages {r.pages} ({r.ocr_pages} OCR'd, {r.ocr_cached} cached)  "
          f"{r.seconds:.1f} s", flush=True)
    for fp in r.false_passes:
        print(f"  !!! FALSE PASS: {fp}")
    for c in r.checks_not_true:
        print(f"  {c}")
    for f in r.fields:
        if not f.exact:
            conf = "not read" if f.confidence is None else f"conf {f.confidence:.2f}"
            print(f"  field {f.field}: truth {_show(f.truth)}  got {_show(f.got)}  {conf}")


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.1f} %" if d else "0/0"


def totals(results: list[PacketResult], seconds: float) -> dict[str, Any]:
    fields = [f for r in results for f in r.fields]
    return {
        "packets": len(results),
        "verdicts_exact": sum(r.verdict == r.truth_verdict for r in results),
        "verdicts_right_or_review": sum(r.verdict_ok for r in results),
        "fields_exact": sum(f.exact for f in fields),
        "fields": len(fields),
        "false_passes": sum(len(r.false_passes) for r in results),
        "packets_with_false_pass": [r.packet for r in results if r.false_passes],
        "pages": sum(r.pages for r in results),
        "ocr_pages": sum(r.ocr_pages for r in results),
        "seconds": round(seconds, 1),
    }


def print_totals(t: dict[str, Any]) -> None:
    n = t["packets"]
    print(f"\n{n} packets, {t['pages']} pages, {t['ocr_pages']} OCR'd, {t['seconds']:.1f} s")
    print(f"  verdicts exact          {_pct(t['verdicts_exact'], n)}  (target {VERDICT_TARGET:.0%})")
    print(f"  verdicts right/review   {_pct(t['verdicts_right_or_review'], n)}  (target 100 %)")
    print(f"  core fields exact       {_pct(t['fields_exact'], t['fields'])}  (target {FIELD_TARGET:.0%})")
    if t["false_passes"]:
        print(f"  !!! FALSE PASSES: {t['false_passes']} in {', '.join(t['packets_with_false_pass'])}")
    else:
        print("  false passes            0")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("holdout", "samples"), default="holdout",
                    help="holdout: scan samples/holdout (and samples/holdout_jfc) packets; "
                         "samples: samples/scanned")
    ap.add_argument("--packets", default="", help="comma-separated packet names (default: all of the set)")
    ap.add_argument("--scans", type=Path, default=DEFAULT_SCANS,
                    help=f"scan cache folder (default {DEFAULT_SCANS})")
    ap.add_argument("--json", type=Path, help="write the per-packet and per-field results here")
    ap.add_argument("--keep-cache", action="store_true",
                    help="use the OCR cache as it is (default: a fresh one, so every page is OCR'd)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    only = {p.strip() for p in args.packets.split(",") if p.strip()}

    pairs = scanned_holdout(args.scans, only) if args.set == "holdout" else sample_scans(only)
    unknown = only - {p.name for p, _ in pairs}
    if unknown:
        print(f"Error: no such packet in the {args.set} set: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    fresh = None if args.keep_cache else tempfile.TemporaryDirectory(prefix="shinsa-eval-ocr-")
    if fresh is not None:
        os.environ["SHINSA_CACHE_DIR"] = fresh.name
    cache = os.environ.get("SHINSA_CACHE_DIR", "default")
    print(f"{len(pairs)} packets ({args.set}); OCR {ocr.VERSION}; cache {cache}", flush=True)
    results: list[PacketResult] = []
    t0 = time.perf_counter()
    try:
        for packet, expected in pairs:
            results.append(evaluate(packet, expected))
            print_packet(results[-1])
    finally:
        if fresh is not None:
            fresh.cleanup()
    summary = totals(results, time.perf_counter() - t0)
    print_totals(summary)
    if args.json:
        data = {"set": args.set, "ocr_version": ocr.VERSION, "totals": summary,
                "packets": [{**{k: v for k, v in asdict(r).items() if k != "fields"},
                             "fields": [asdict(f) for f in r.fields]} for r in results]}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

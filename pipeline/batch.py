"""A batch of packets (an inbox: one packet per sub-folder or .zip), in plain Python.

The Prefect batch flow (``flows/batch.py``) maps :func:`check_one` over :func:`list_packets` and
finishes with :func:`write_summary`; nothing here imports Prefect.
"""

from __future__ import annotations

import csv
import json
import logging
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pipeline.packet import check_packet, packet_name
from pipeline.summary import render_summary

log = logging.getLogger(__name__)


class BatchRow(BaseModel):
    """One line of ``summary.csv``: what a clerk scans first."""

    model_config = ConfigDict(frozen=True)

    packet: str
    verdict: str  # eligible | ineligible | incomplete | review | error
    track: str | None = None
    missing_documents: list[str] = []
    failed_checks: list[str] = []
    review_count: int = 0
    error: str | None = None


def list_packets(inbox: Path) -> list[Path]:
    """Sub-folders and ``.zip`` files of the inbox, sorted by name; hidden entries skipped."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise NotADirectoryError(f"inbox is not a folder: {inbox}")
    return sorted(
        (p for p in inbox.iterdir()
         if not p.name.startswith((".", "__")) and (p.is_dir() or p.suffix.lower() == ".zip")),
        key=lambda p: p.name,
    )


def check_one(packet: Path, program: str, as_of: date, out_dir: Path) -> BatchRow:
    """Check one packet and write ``out_dir/<packet>/report.json`` and ``summary.txt``; never raises."""
    name = packet_name(packet)
    target = Path(out_dir) / name
    try:
        report = check_packet(packet, program=program, as_of=as_of)
    except Exception as exc:  # one bad packet never stops the batch
        log.warning("packet %s failed: %s", name, type(exc).__name__)
        target.mkdir(parents=True, exist_ok=True)
        reason = f"内部エラー ({type(exc).__name__})"
        (target / "error.txt").write_text(reason + "\n", encoding="utf-8")
        return BatchRow(packet=name, verdict="error", error=reason)
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.json").write_text(
        json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (target / "summary.txt").write_text(render_summary(report), encoding="utf-8")
    return BatchRow(
        packet=name,
        verdict=report.verdict,
        track=report.track,
        missing_documents=report.missing_documents,
        failed_checks=[c.id for c in report.checks if c.status == "fail"],
        review_count=sum(1 for c in report.checks if c.status == "review"),
    )


def write_summary(rows: list[BatchRow], out_dir: Path) -> dict[str, int]:
    """``summary.csv`` (UTF-8 with BOM so Excel keeps the Japanese) and ``summary.json``; returns counts per verdict."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=lambda r: r.packet)
    with (out_dir / "summary.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["packet", "verdict", "track", "missing_documents", "failed_checks", "review_count", "error"])
        for r in rows:
            writer.writerow([r.packet, r.verdict, r.track or "", " ".join(r.missing_documents),
                             " ".join(r.failed_checks), r.review_count, r.error or ""])
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    (out_dir / "summary.json").write_text(
        json.dumps({"packets": [r.model_dump() for r in rows], "counts": counts}, ensure_ascii=False, indent=2)
        + "\n", encoding="utf-8")
    return counts

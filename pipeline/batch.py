"""A batch of packets (an inbox: one packet per sub-folder or .zip), in plain Python.

* :func:`list_packets` — the inbox's packets, by name.
* :func:`check_one` — check one packet in this process; never raises. Extraction goes through the
  content-hash cache (``pipeline.cache``), and a packet whose report is already there for the same
  inputs is skipped (resume).
* :class:`PacketPool` — worker processes that run :func:`check_one`, one packet at a time each, each
  packet with a time limit: a worker that hangs is killed, one that dies is replaced, and either way
  the packet becomes an ``error`` row.
* :func:`write_summary` — ``summary.csv`` and ``summary.json``.

The Prefect batch flow (``flows/batch.py``) puts these together; nothing here imports Prefect.

What one packet leaves in ``OUT/<packet>/``:

* ``report.json`` and ``summary.txt``, each written atomically (temporary file, then rename);
* ``manifest.json``, written last, so its presence means the two above are complete: what the report
  was made from (sha256 of every input file, the program and the hash of its rule file, ``as_of``,
  a fingerprint of the code). A later run that computes the same manifest reuses the report: a batch
  killed halfway and started again continues where it stopped and ends with the same summary;
* or, when the packet could not be checked, ``error.json``: the reason and the packet's files (name
  and sha256), so that every input file is accounted for somewhere.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checks import engine
from extractors import ingest
from pipeline.cache import ExtractionCache, code_fingerprint, extractor_key, file_sha256, write_atomic
from pipeline.model import Report
from pipeline.packet import build_report, extract_files, packet_name
from pipeline.summary import render_summary

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds for one packet; a scanned packet of 30 pages needs well under a minute
WORKER_MEMORY = 768 * 2**20  # what one worker may need at its peak (OCR of a large page); sizes the pool
MAX_WORKERS = 16
TASKS_PER_WORKER = 200  # a worker is replaced after this many packets, so nothing it leaks accumulates

REPORT, SUMMARY, MANIFEST, ERROR = "report.json", "summary.txt", "manifest.json", "error.json"
OUTPUTS = (REPORT, SUMMARY, MANIFEST, ERROR, "error.txt")


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
    # pages this run had to OCR (0 for a reused report or cached files): progress only, not in the summary
    ocr_pages: int = Field(default=0, exclude=True)


@dataclass(frozen=True)
class BatchJob:
    """What every packet of a batch is checked against, and how (picklable: it travels to workers)."""

    program: str
    as_of: date
    out_dir: Path
    cache_dir: Path | None = None  # None: $SHINSA_CACHE_DIR or ~/.cache/shinsa
    use_cache: bool = True
    resume: bool = True  # reuse a report whose manifest matches
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per packet; None: no limit


class Manifest(BaseModel):
    """What a packet's report was made from; equal manifests give equal reports."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    packet: str
    program: str
    rules: str  # sha256 of the program's rule file
    as_of: date
    code: str  # extractor key and a fingerprint of pipeline/ and checks/
    inputs: dict[str, str]  # file name in the packet → sha256


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


def _usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_workers() -> int:
    """Worker processes for this machine: one per usable CPU, as many as its memory allows, at most 16."""
    cpus = _usable_cpus()
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        memory = 0
    by_memory = memory * 3 // 4 // WORKER_MEMORY if memory > 0 else cpus
    return max(1, min(cpus, by_memory, MAX_WORKERS))


def packet_inputs(packet: Path) -> dict[str, str]:
    """sha256 of every file of the packet by its name in the packet (a zip: the zip itself)."""
    packet = Path(packet)
    files = sorted(p for p in packet.rglob("*") if p.is_file()) if packet.is_dir() else [packet]
    inputs: dict[str, str] = {}
    for f in files:
        name = f.relative_to(packet).as_posix() if packet.is_dir() else f.name
        try:
            inputs[name] = file_sha256(f)
        except OSError as exc:
            inputs[name] = f"unreadable:{type(exc).__name__}"
    return inputs


@lru_cache(maxsize=1)
def _code() -> str:
    return f"{extractor_key()}+{code_fingerprint('pipeline', 'checks')[:16]}"


@lru_cache(maxsize=8)
def _rule_file(program: str, search_path: str) -> Path:
    return Path(engine.load_program(program).file)


def make_manifest(packet: Path, job: BatchJob) -> Manifest:
    rule_file = _rule_file(job.program, os.environ.get(engine.PROGRAMS_PATH_ENV, ""))
    return Manifest(packet=packet_name(packet), program=job.program, rules=file_sha256(rule_file),
                    as_of=job.as_of, code=_code(), inputs=packet_inputs(packet))


def row_from_report(report: Report, ocr_pages: int = 0) -> BatchRow:
    return BatchRow(
        packet=report.packet,
        verdict=report.verdict,
        track=report.track,
        missing_documents=report.missing_documents,
        failed_checks=[c.id for c in report.checks if c.status == "fail"],
        review_count=sum(1 for c in report.checks if c.status == "review"),
        ocr_pages=ocr_pages,
    )


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _finished_row(target: Path, manifest: Manifest) -> BatchRow | None:
    """The row of a report already made from these very inputs, or None."""
    try:
        done = Manifest.model_validate_json((target / MANIFEST).read_bytes())
        if done != manifest:
            return None
        return row_from_report(Report.model_validate_json((target / REPORT).read_bytes()))
    except (OSError, ValidationError, ValueError):
        return None


def _clear(target: Path, keep: tuple[str, ...] = ()) -> None:
    for name in OUTPUTS:
        if name not in keep:
            (target / name).unlink(missing_ok=True)


def check_one(packet: Path, job: BatchJob) -> BatchRow:
    """Check one packet and write its outputs under ``job.out_dir/<packet>/``; never raises."""
    packet = Path(packet)
    name = packet_name(packet)
    target = Path(job.out_dir) / name
    try:
        manifest = make_manifest(packet, job)
        if job.resume and (row := _finished_row(target, manifest)) is not None:
            log.info("packet %s: report up to date, reused", name)
            return row
        target.mkdir(parents=True, exist_ok=True)
        _clear(target, keep=(REPORT, SUMMARY))  # the manifest goes first: from now on the report is stale
        cache = ExtractionCache(job.cache_dir) if job.use_cache else None
        with ingest.open_packet(packet) as sources:
            results = extract_files(list(sources), cache)
        report = build_report(name, job.program, results, job.as_of)
        write_atomic(target / REPORT, _json_bytes(report.model_dump(mode="json")))
        write_atomic(target / SUMMARY, render_summary(report).encode("utf-8"))
        write_atomic(target / MANIFEST, _json_bytes(manifest.model_dump(mode="json")))
        if cache is not None:
            log.info("packet %s: %d files from the cache, %d read", name, cache.hits, cache.misses)
        return row_from_report(report, ocr_pages=sum(p.source == "ocr" for r in results for p in r.pages))
    except Exception as exc:  # one bad packet never stops the batch
        log.warning("packet %s failed: %s", name, type(exc).__name__)
        return record_error(packet, job.out_dir, f"内部エラー ({type(exc).__name__})")


def record_error(packet: Path, out_dir: Path, reason: str) -> BatchRow:
    """The ``error`` row of a packet that could not be checked, and its ``error.json``; never raises.

    ``reason`` must not quote document text (it is shown in summaries and logs).
    """
    name = packet_name(packet)
    target = Path(out_dir) / name
    try:
        files = [{"file": f, "sha256": h} for f, h in packet_inputs(packet).items()]
    except Exception as exc:
        log.warning("packet %s: files not listed (%s)", name, type(exc).__name__)
        files = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        _clear(target)
        write_atomic(target / ERROR, _json_bytes({"packet": name, "verdict": "error", "error": reason,
                                                  "files": files}))
    except OSError as exc:
        log.warning("packet %s: error.json not written (%s)", name, type(exc).__name__)
    return BatchRow(packet=name, verdict="error", error=reason)


Work = Callable[[Path, BatchJob], BatchRow]


def timeout_reason(seconds: float) -> str:
    return f"時間切れ: {seconds:g} 秒以内に終わりませんでした (timed out after {seconds:g} s)"


def check_with_deadline(packet: Path, job: BatchJob, work: Work = check_one) -> BatchRow:
    """``work`` in a thread of this process, given up on after ``job.timeout`` (the packet is then an error).

    For a Dask worker, which may not start processes of its own: the row comes at once, but a thread
    cannot be killed, so the abandoned work runs on until it ends by itself (restart the worker if it
    never does). On this machine, :class:`PacketPool` kills the worker process instead.
    """
    packet = Path(packet)
    if job.timeout is None:
        return work(packet, job)
    done: list[BatchRow] = []
    thread = threading.Thread(target=lambda: done.append(work(packet, job)), daemon=True,
                              name=f"shinsa-packet-{packet_name(packet)}")
    thread.start()
    thread.join(job.timeout)
    if done:
        return done[0]
    reason = timeout_reason(job.timeout) if thread.is_alive() else "内部エラー (no result)"
    log.warning("packet %s: %s", packet_name(packet), reason)
    return record_error(packet, job.out_dir, reason)


def _start_worker(workers: int) -> None:
    """In each worker process: share the cores with the other workers instead of each taking them all.

    OCR runs one Tesseract per core of its own (``extractors.ocr``): with several workers each gets its
    share, so that there are never more Tesseracts (and their memory) than cores; a value the user set
    is kept. Tesseract's OpenMP threads are held to one for the same reason, and the pages are read in
    threads of the worker, not in processes of its own (a packet over its time is one process to stop).
    """
    os.environ.setdefault("SHINSA_OCR_WORKERS", str(max(1, _usable_cpus() // max(1, workers))))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ.setdefault("SHINSA_OCR_PROCESSES", "0")  # a packet is one process: its pages in threads


class PacketPool:
    """Worker processes that check packets (``work``, default :func:`check_one`) with a timeout each.

    :meth:`check` blocks until the packet is done and never raises: call it from at least as many
    threads as there are workers (more queue packets for the next free worker; the time limit counts
    from when a worker takes the packet). A worker killed at its time limit may leave a Tesseract it
    started to finish its page (``extractors.ocr`` gives each page a time limit of its own). Workers
    are started by a fork server that has already imported the pipeline (spawned, where there is
    none), never forked from a process running threads.
    """

    def __init__(self, workers: int | None = None, work: Work = check_one) -> None:
        from pebble import ProcessPool  # imported here: only a batch needs it

        self.workers = workers or default_workers()
        self._work = work
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["pipeline.batch"])
        else:
            context = multiprocessing.get_context("spawn")
        self._pool = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_WORKER,
                                 initializer=_start_worker, initargs=(self.workers,), context=context)

    def check(self, packet: Path, job: BatchJob) -> BatchRow:
        from concurrent.futures import TimeoutError as FutureTimeout

        from pebble import ProcessExpired

        name = packet_name(packet)
        future = self._pool.schedule(self._work, args=(Path(packet), job), timeout=job.timeout)
        try:
            return future.result()
        except FutureTimeout:
            reason = timeout_reason(job.timeout or 0.0)
        except ProcessExpired as exc:
            reason = f"処理が異常終了しました (worker process died, exit code {exc.exitcode})"
        except Exception as exc:
            reason = f"内部エラー ({type(exc).__name__})"
        log.warning("packet %s: %s", name, reason)
        return record_error(packet, job.out_dir, reason)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join()

    def __enter__(self) -> PacketPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def write_summary(rows: list[BatchRow], out_dir: Path) -> dict[str, int]:
    """``summary.csv`` (UTF-8 with BOM so Excel keeps the Japanese) and ``summary.json``; counts per verdict.

    Both are written atomically, so a reader never sees half a summary.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=lambda r: r.packet)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["packet", "verdict", "track", "missing_documents", "failed_checks", "review_count",
                     "error"])
    for r in rows:
        writer.writerow([r.packet, r.verdict, r.track or "", " ".join(r.missing_documents),
                         " ".join(r.failed_checks), r.review_count, r.error or ""])
    write_atomic(out_dir / "summary.csv", text.getvalue().encode("utf-8-sig"))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    write_atomic(out_dir / "summary.json",
                 _json_bytes({"packets": [r.model_dump() for r in rows], "counts": counts}))
    return counts


# Fingerprint the code now, right after importing it: a worker forked from this process inherits the
# value, so the cache key always describes the code that runs even if the files change meanwhile.
_code()

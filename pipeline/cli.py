"""The ``shinsa`` command: check, batch, extract, programs.

Exit codes (contract.md): 0 whenever a report was produced, whatever the verdict; 2 on a usage error
(unknown program, no such path) with a one-line ``Error: …`` message; 1 on an internal failure.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

log = logging.getLogger(__name__)

EXIT_USAGE = 2
EXIT_INTERNAL = 1


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of は YYYY-MM-DD で指定してください (invalid date: {value!r})")


def _require_program(program: str) -> None:
    from checks import engine

    try:
        engine.load_program(program)
    except engine.UnknownProgram:
        known = ", ".join(p.id for p in engine.list_programs())
        _fail(f"unknown program {program!r} (known: {known})")


def _write_json(data: Any, target: str) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(text, encoding="utf-8")


def _guard(fn: Any) -> Any:
    """Turn an unexpected exception into a one-line message and exit 1 (no traceback for clerks)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("SHINSA_DEBUG"):
                raise
            log.debug("internal failure", exc_info=True)
            _fail(f"内部エラーが発生しました ({type(exc).__name__}); SHINSA_DEBUG=1 で詳細を表示します",
                  EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shinsa")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr (never document text).")
def cli(verbose: bool) -> None:
    """shinsa (審査): check a loan or subsidy application packet against a program's rules.

    Every finding shows where it was read: file, page, box, text layer or OCR, confidence.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _check_with_progress(packet: Path, program: str, day: date) -> Any:
    """Check a packet; on a terminal, show a transient bar of files read (scans can take a while)."""
    from pipeline.packet import check_packet

    if not sys.stderr.isatty():
        return check_packet(packet, program=program, as_of=day)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("読み取り中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[file]}"), console=Console(stderr=True), transient=True) as bar:
        job = bar.add_task("files", total=None, file="")

        def hook(name: str, done: int, total: int) -> None:
            bar.update(job, completed=done, total=total, file=name)

        return check_packet(packet, program=program, as_of=day, progress=hook)


@cli.command()
@click.argument("packet", type=click.Path(path_type=Path))
@click.option("--program", "-p", required=True, help="Program id, e.g. fukui-iot-ai (see `shinsa programs`).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date the packet is judged on (default: today).")
@click.option("--json", "json_target", metavar="FILE|-", help="Write the report JSON to FILE, or stdout with '-'.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Write report.json and summary.txt here.")
@click.option("--all-checks", is_flag=True, help="List every check in the summary, not only failures and reviews.")
@_guard
def check(packet: Path, program: str, as_of: str | None, json_target: str | None, out_dir: Path | None,
          all_checks: bool) -> None:
    """Check one PACKET (a folder or a .zip of files) and print a Japanese summary.

    Exit 0 whenever a report was produced (whatever the verdict), 2 on a usage error, 1 on an internal failure.
    """
    day = _parse_as_of(as_of)
    if not packet.exists():
        _fail(f"no such packet: {packet}")
    _require_program(program)
    from pipeline.summary import render_summary

    report = _check_with_progress(packet, program, day)
    data = report.model_dump(mode="json")
    summary = render_summary(report, verbose=all_checks)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_json(data, str(out_dir / "report.json"))
        (out_dir / "summary.txt").write_text(summary, encoding="utf-8")
    if json_target:
        _write_json(data, json_target)
    # with --json - stdout carries only JSON; the summary then goes to stderr
    click.echo(summary, nl=False, err=json_target == "-")


@cli.command()
@click.argument("inbox", type=click.Path(path_type=Path))
@click.option("--program", "-p", required=True, help="Program id (see `shinsa programs`).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date the packets are judged on (default: today).")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Output folder: <packet>/report.json, summary.csv, summary.json.")
@click.option("--fail-on", type=click.Choice(["none", "error", "ineligible", "incomplete", "review"]),
              default="none", show_default=True,
              help="Exit 3 if any packet has this outcome (error < ineligible < incomplete < review).")
@click.option("--workers", "-j", type=click.IntRange(min=1), metavar="N",
              help="Packets checked at once on this machine (default: one per CPU, as memory allows).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True,
              metavar="SECONDS", help="Time limit per packet; a packet over it becomes an error row.")
@click.option("--dask", "dask_address", metavar="ADDRESS", envvar="SHINSA_DASK_ADDRESS",
              help="Run the packets on this Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                   "[env SHINSA_DASK_ADDRESS].")
@click.option("--fresh", is_flag=True,
              help="Check every packet again, even one whose report was made from the same files.")
@click.option("--no-cache", is_flag=True,
              help="Read every file again instead of reusing earlier extractions.")
@click.option("--cache-dir", type=click.Path(path_type=Path), envvar="SHINSA_CACHE_DIR",
              help="Extraction cache folder [env SHINSA_CACHE_DIR; default ~/.cache/shinsa].")
@_guard
def batch(inbox: Path, program: str, as_of: str | None, out_dir: Path, fail_on: str, workers: int | None,
          timeout: float, dask_address: str | None, fresh: bool, no_cache: bool,
          cache_dir: Path | None) -> None:
    """Check every packet in INBOX (one per sub-folder or .zip) through the Prefect batch flow.

    Packets run in parallel worker processes (or on a Dask cluster with --dask), each within --timeout.
    Run it again on the same --out and it continues where it stopped: a packet whose report was made
    from the same files, program and date is not checked twice, and files read before are not read again.
    Runs on a local temporary Prefect server unless PREFECT_API_URL names one; nothing to start by hand.
    """
    day = _parse_as_of(as_of)
    if not inbox.is_dir():
        _fail(f"no such inbox folder: {inbox}")
    _require_program(program)
    from pipeline.batch import list_packets
    from pipeline.prefect_env import quiet_prefect

    packets = list_packets(inbox)
    if not packets:
        _fail(f"no packets (sub-folders or .zip files) in {inbox}")
    with quiet_prefect():
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        from flows.batch import add_listener, batch_flow, remove_listener

        console = Console(stderr=True)
        with Progress(TextColumn("審査中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("残り"), TimeRemainingColumn(), TextColumn("OCR {task.fields[ocr]} 頁"),
                      TextColumn("{task.fields[last]}"), console=console, transient=False) as bar:
            job = bar.add_task("batch", total=len(packets), last="", ocr=0)
            ocr_pages = 0

            def on_row(row: Any) -> None:
                nonlocal ocr_pages
                ocr_pages += row.ocr_pages
                bar.update(job, advance=1, last=f"{row.packet}: {row.verdict}", ocr=ocr_pages)

            add_listener(on_row)
            try:
                rows = batch_flow(str(inbox), program, day, str(out_dir), workers=workers, timeout=timeout,
                                  dask_address=dask_address, resume=not fresh, use_cache=not no_cache,
                                  cache_dir=str(cache_dir) if cache_dir else None)
            finally:
                remove_listener(on_row)
    from pipeline.labels import VERDICT_LABELS

    click.echo(f"{len(rows)} 件の申請書類を審査しました → {out_dir / 'summary.csv'}")
    for row in rows:
        label = VERDICT_LABELS.get(row.verdict, "エラー: " + (row.error or ""))
        missing = f"  不足: {', '.join(row.missing_documents)}" if row.missing_documents else ""
        failed = f"  不適合: {', '.join(row.failed_checks)}" if row.failed_checks else ""
        click.echo(f"  {row.packet}: {label}{missing}{failed}")
    order = ["error", "ineligible", "incomplete", "review"]
    if fail_on != "none":
        bad = set(order[: order.index(fail_on) + 1])
        if any(r.verdict in bad for r in rows):
            sys.exit(3)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "json_target", metavar="FILE|-", default="-", show_default=True,
              help="Write the extraction JSON to FILE, or stdout with '-'.")
@_guard
def extract(file: Path, json_target: str) -> None:
    """Show what was read from one FILE: pages (text source and text), documents, fields with evidence."""
    if not file.is_file():
        _fail(f"no such file: {file}")
    from extractors.ingest import SourceFile
    from pipeline.packet import extract_file

    result = extract_file(SourceFile(name=file.name, path=file))
    data = {
        "file": result.entry.file,
        "sha256": result.entry.sha256,
        "status": result.entry.status,
        "error": result.entry.error,
        "pages": [{"number": p.number, "source": p.source, "text": p.text} for p in result.pages],
        "documents": [d.model_dump(mode="json") for d in result.documents],
    }
    _write_json(data, json_target)


@cli.command()
@_guard
def programs() -> None:
    """List the programs: id, name, editions, source document, number of rules."""
    from checks import engine

    for p in engine.list_programs():
        editions = ", ".join(str(e) for e in p.editions)
        click.echo(f"{p.id}\t{p.name}\teditions: {editions}\tsource: {p.source}\trules: {p.rules}")


def main() -> None:
    cli(prog_name="shinsa")


if __name__ == "__main__":
    main()

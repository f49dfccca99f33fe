"""Prefect flow for a batch: one task per packet, bounded concurrency, then the summary files.

Thin by design: the work is ``pipeline.batch``; this module adds Prefect's task runner, per-packet
tasks (so a crash is one ``error`` row) and a table artifact of counts per verdict, with no names
or amounts in it (artifacts outlive the packets).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.batch import BatchRow, check_one, list_packets, write_summary

OnRow = Callable[[BatchRow], None]
_listeners: list[OnRow] = []  # in-process progress listeners (the CLI's progress bar)


def add_listener(fn: OnRow) -> None:
    _listeners.append(fn)


def remove_listener(fn: OnRow) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


@task(name="check-packet", retries=0)
def check_packet_task(packet: str, program: str, as_of: date, out_dir: str) -> BatchRow:
    return check_one(Path(packet), program, as_of, Path(out_dir))


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@flow(name="shinsa-batch", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))
def batch_flow(inbox: str, program: str, as_of: date, out_dir: str) -> list[BatchRow]:
    packets = list_packets(Path(inbox))
    futures = [check_packet_task.submit(str(p), program, as_of, out_dir) for p in packets]
    rows: list[BatchRow] = []
    for fut in as_completed(futures):
        row = fut.result()
        rows.append(row)
        for fn in list(_listeners):
            fn(row)
    counts = write_summary(rows, Path(out_dir))
    create_table_artifact(
        key="shinsa-batch-verdicts",
        table=[{"verdict": k, "packets": v} for k, v in sorted(counts.items())],
        description="Packets per verdict (no names or amounts).",
    )
    return sorted(rows, key=lambda r: r.packet)

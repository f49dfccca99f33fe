"""Prefect flow for a batch: one task per packet, bounded concurrency, then the summary files.

Thin by design: the work is ``pipeline.batch``. Where the packets run:

* **On this machine** (default): one Prefect task per packet in a thread pool, each handing its packet
  to a pool of worker processes (``pipeline.batch.PacketPool``) and waiting for it. The CPU-bound
  reading runs in processes (the GIL would serialise threads), Prefect's own bookkeeping stays in
  this process where it costs a few ms a packet, and a packet that hangs is killed at its timeout.
* **On a Dask cluster** (``dask_address``, or ``$SHINSA_DASK_ADDRESS``): the same tasks through
  prefect-dask's ``DaskTaskRunner``, each running its packet on a Dask worker and giving up on it at
  its timeout (``pipeline.batch.check_with_deadline``). Prefect's own bookkeeping costs far more
  there (a task run rebuilds Prefect's settings on the worker: ≈ 0.3 s of worker CPU each in
  Prefect 3.8), so a cluster pays off for scanned packets, whose OCR takes seconds a page. The
  workers need the project installed, the inbox, output and cache folders at the same paths, and a
  Prefect API they can reach: a team server (``PREFECT_API_URL``) for a remote cluster; a cluster on
  this machine is given this process's temporary server.

A Prefect table artifact records counts per verdict, with no names or amounts in it (artifacts
outlive the packets).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.batch import (DEFAULT_TIMEOUT, BatchJob, BatchRow, PacketPool, check_with_deadline,
                            default_workers, list_packets, record_error, write_summary)
from pipeline.cache import default_cache_dir

log = logging.getLogger(__name__)

DASK_ADDRESS_ENV = "SHINSA_DASK_ADDRESS"

OnRow = Callable[[BatchRow], None]
_listeners: list[OnRow] = []  # in-process progress listeners (the CLI's progress bar)
_pools: dict[str, PacketPool] = {}  # the running batches' worker pools, by an id the tasks are given


def add_listener(fn: OnRow) -> None:
    _listeners.append(fn)


def remove_listener(fn: OnRow) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


@task(name="check-packet", retries=0, cache_policy=NO_CACHE)
def pooled_check_task(packet: str, job: BatchJob, pool_id: str) -> BatchRow:
    """Run one packet in this machine's worker pool (timeout and crashes handled by the pool)."""
    return _pools[pool_id].check(Path(packet), job)


@task(name="check-packet", retries=0, cache_policy=NO_CACHE)
def check_packet_task(packet: str, job: BatchJob) -> BatchRow:
    """Run one packet where the task runs (a Dask worker), given up on after the job's timeout."""
    return check_with_deadline(Path(packet), job)


@contextmanager
def _api_for_workers() -> Iterator[None]:
    """Hand this flow's Prefect API to tasks that run in other processes (they would start their own)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    context = FlowRunContext.get()
    url = str(context.client.api_url).rstrip("/") if context is not None else ""
    if PREFECT_API_URL.value() or not url:
        yield
        return
    with temporary_settings({PREFECT_API_URL: url}):
        yield


def _collect(futures: dict[PrefectFuture[BatchRow], Path], job: BatchJob) -> list[BatchRow]:
    rows: list[BatchRow] = []
    for fut in as_completed(list(futures)):
        try:
            row = fut.result()
        except Exception as exc:  # e.g. a Dask worker lost three times over: one error row, the batch goes on
            row = record_error(futures[fut], job.out_dir, f"内部エラー ({type(exc).__name__})")
        rows.append(row)
        for fn in list(_listeners):
            fn(row)
    return rows


def _run_locally(packets: list[Path], job: BatchJob, workers: int) -> list[BatchRow]:
    pool_id = uuid.uuid4().hex
    # twice as many tasks as workers: while Prefect records one packet's end, the next is already queued
    with PacketPool(workers) as pool, ThreadPoolTaskRunner(max_workers=2 * workers) as runner:
        _pools[pool_id] = pool
        try:
            futures = {runner.submit(pooled_check_task, {"packet": str(p), "job": job, "pool_id": pool_id}): p
                       for p in packets}
            return _collect(futures, job)
        finally:
            del _pools[pool_id]


def _run_on_dask(packets: list[Path], job: BatchJob, address: str) -> list[BatchRow]:
    from prefect_dask import DaskTaskRunner

    with _api_for_workers(), DaskTaskRunner(address=address) as runner:
        futures = {runner.submit(check_packet_task, {"packet": str(p), "job": job}): p for p in packets}
        return _collect(futures, job)


@flow(name="shinsa-batch", log_prints=False, validate_parameters=False)
def batch_flow(
    inbox: str,
    program: str,
    as_of: date,
    out_dir: str,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    dask_address: str | None = None,
    resume: bool = True,
    use_cache: bool = True,
    cache_dir: str | None = None,
) -> list[BatchRow]:
    """Check every packet of ``inbox``; write ``out_dir/<packet>/…``, ``summary.csv`` and ``summary.json``.

    ``workers``: processes on this machine (default: sized to it); ``timeout``: seconds per packet;
    ``dask_address``: run on that Dask scheduler instead (default ``$SHINSA_DASK_ADDRESS``);
    ``resume``: reuse reports made from the same inputs; ``use_cache``/``cache_dir``: the extraction cache.
    """
    packets = list_packets(Path(inbox))
    job = BatchJob(program=program, as_of=as_of, out_dir=Path(out_dir),
                   cache_dir=Path(cache_dir) if cache_dir else default_cache_dir(),  # one for all workers
                   use_cache=use_cache, resume=resume, timeout=timeout)
    address = dask_address or os.environ.get(DASK_ADDRESS_ENV)
    if not packets:
        rows: list[BatchRow] = []
    elif address:
        rows = _run_on_dask(packets, job, address)
    else:
        rows = _run_locally(packets, job, max(1, min(workers or default_workers(), len(packets))))
    counts = write_summary(rows, Path(out_dir))
    create_table_artifact(
        key="shinsa-batch-verdicts",
        table=[{"verdict": k, "packets": v} for k, v in sorted(counts.items())],
        description="Packets per verdict (no names or amounts).",
    )
    return sorted(rows, key=lambda r: r.packet)


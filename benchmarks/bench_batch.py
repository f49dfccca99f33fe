"""A batch at scale: ≥ 200 packets through the Prefect batch flow, as `shinsa batch` runs them.

Builds an inbox of distinct packets (each a variant of a sample packet: the same documents, other
bytes, so the extraction cache cannot recognise one packet in another) — text-layer ones from
samples/packets and, with --scanned-dir, about a fifth scanned ones — and prints, in one run:

  - packets per minute with 1 worker and with 2 (target: ≥ 1.8× with two), each from a cold cache
    (and with the OCR page cache turned off, so that every page is really read), each worker OCR-ing
    one page at a time (a lone worker would otherwise OCR one page per core);
  - a re-run of the unchanged batch (extraction from the cache, rules evaluated again) as a fraction
    of the first (target ≤ 5 %), and a resumed run with nothing left to do;
  - peak memory: the whole process tree (this process, the Prefect server, the workers, Tesseract)
    sampled every 0.25 s, with its parts (target ≤ 2 GB);
  - Prefect's own overhead per packet: the same batch through the flow and through the same worker
    pool called directly (target ≤ 50 ms), split into what a flow run costs once (an empty inbox)
    and what is left per task;
  - CPU time per run, as cores kept busy: on a machine shared with other work, wall time alone
    misleads about the speed-up;
  - faults: one corrupt and one hanging packet among 50 leave the other 48 reports as in the clean
    run, and every input file appears in a report.

Usage: .venv/bin/python benchmarks/bench_batch.py [--packets 200] [--scanned-dir DIR] [--work DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch import BatchJob, BatchRow, PacketPool, check_one, list_packets  # noqa: E402
from pipeline.packet import packet_name  # noqa: E402

PROGRAM = "fukui-iot-ai"
AS_OF = date(2024, 6, 1)
SCANNED_SHARE = 0.2


# ---------------------------------------------------------------- the inbox


def _vary(data: bytes, n: int) -> bytes:
    """Other bytes, same content: PDF, PNG, JPEG and TIFF readers ignore what follows the end of the file."""
    return data + f"\n% shinsa-bench variant {n}\n".encode() if data else data


def _variant(src: Path, dst: Path, n: int) -> None:
    if src.is_dir():
        for f in sorted(src.rglob("*")):
            if f.is_file():
                out = dst / f.relative_to(src)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(_vary(f.read_bytes(), n))
    else:  # a zip packet: the same members, each varied
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if not info.is_dir():
                    zout.writestr(info.filename, _vary(zin.read(info), n))


def build_inbox(inbox: Path, total: int, scanned_dir: Path | None) -> tuple[int, int]:
    text = list_packets(ROOT / "samples" / "packets")
    scanned = list_packets(scanned_dir) if scanned_dir else []
    n_scanned = round(total * SCANNED_SHARE) if scanned else 0
    inbox.mkdir(parents=True)
    plan = [(text[i % len(text)], "t") for i in range(total - n_scanned)]
    plan += [(scanned[i % len(scanned)], "s") for i in range(n_scanned)]
    for i, (src, kind) in enumerate(plan):
        name = f"{kind}{i:04d}-{packet_name(src)}" + (".zip" if src.suffix.lower() == ".zip" else "")
        _variant(src, inbox / name, i)
    return total - n_scanned, n_scanned


# ---------------------------------------------------------------- measuring


def _kind(proc: object) -> str:
    """What a process of the tree is, for the memory breakdown (never its arguments: they name files)."""
    try:
        cmd = " ".join(proc.cmdline())  # type: ignore[attr-defined]
    except Exception:
        return "gone"
    if "uvicorn" in cmd:
        return "prefect-server"
    if "tesseract" in cmd:
        return "tesseract"
    if "forkserver" in cmd:
        return "workers"  # the fork server and the workers forked from it
    if "resource_tracker" in cmd:
        return "other"
    return "batch" if proc.pid == os.getpid() else "other"  # type: ignore[attr-defined]


class TreeMonitor:
    """This process and all its descendants, sampled in a thread: peak memory and CPU time by kind.

    Memory is summed as PSS (each shared page counted once, split between the processes sharing it):
    RSS would count the fork server's pages once more in every worker forked from it. CPU time tells
    how many cores a run really had: on a machine shared with other work, wall time alone misleads.
    """

    def __init__(self, every: float = 0.25) -> None:
        import psutil

        self._me = psutil.Process()
        self._every = every
        self.peak = 0
        self.breakdown: dict[str, int] = {}
        self._cpu_start: dict[int, float] = {}
        self._cpu_last: dict[int, tuple[str, float]] = {}
        self._started = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        parts: dict[str, int] = {}
        for proc in [self._me, *self._me.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
                times = proc.cpu_times()
                parent = proc.ppid()
            except Exception:  # gone between listing and reading
                continue
            kind = _kind(proc)
            parts[kind] = parts.get(kind, 0) + getattr(info, "pss", info.rss)
            if kind == "tesseract":  # short-lived: counted in its parent's children_* once waited for
                continue
            used = times.user + times.system
            if not (kind == "workers" and parent == os.getpid()):
                # a worker's children (the Tesseract command, when used) count in it once waited for; the fork
                # server's children are the workers, which are sampled themselves: counting them again in
                # it when they exit counted a lone worker's run as two cores busy
                used += times.children_user + times.children_system
            # a process there at the start counts from then on; one started later, all of it
            self._cpu_start.setdefault(proc.pid, used if not self._started else 0.0)
            self._cpu_last[proc.pid] = (kind, used)
        if sum(parts.values()) > self.peak:
            self.peak, self.breakdown = sum(parts.values()), parts

    def cpu(self) -> dict[str, float]:
        """CPU seconds by kind since the monitor started (a process's last sample counts)."""
        out: dict[str, float] = {}
        for pid, (kind, total) in self._cpu_last.items():
            out[kind] = out.get(kind, 0.0) + total - self._cpu_start.get(pid, 0.0)
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self._every)

    def __enter__(self) -> TreeMonitor:
        self._sample()  # the processes there before the run: only their CPU from now on counts
        self._started = True
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def timed_flow(inbox: Path, out: Path, cache: Path, **kwargs: object) -> tuple[float, list[BatchRow]]:
    from flows.batch import batch_flow

    t0 = time.perf_counter()
    rows = batch_flow(str(inbox), PROGRAM, AS_OF, str(out), cache_dir=str(cache),
                      **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - t0, rows


def timed_direct(inbox: Path, out: Path, cache: Path, workers: int) -> float:
    """The same pool the flow uses, driven by plain threads: the batch without Prefect."""
    from pipeline.batch import write_summary

    packets = list_packets(inbox)
    job = BatchJob(program=PROGRAM, as_of=AS_OF, out_dir=out, cache_dir=cache)
    t0 = time.perf_counter()
    with PacketPool(workers) as pool, ThreadPoolExecutor(workers) as threads:
        rows = list(threads.map(lambda p: pool.check(p, job), packets))
    write_summary(rows, out)
    return time.perf_counter() - t0


def hang_or_check(packet: Path, job: BatchJob) -> BatchRow:
    """A packet named hang-* never finishes; any other is checked."""
    if packet.name.startswith("hang"):
        while True:
            time.sleep(1)
    return check_one(packet, job)


def fault_run(inbox: Path, clean_out: Path, work: Path, timeout: float) -> tuple[int, int, bool, list[str]]:
    """48 packets of the batch plus a corrupt zip and a hanging packet; compare with the clean run."""
    import functools

    import flows.batch

    box = work / "faults-inbox"
    box.mkdir()
    packets = list_packets(inbox)[:48]
    for p in packets:
        (box / p.name).symlink_to(p, target_is_directory=p.is_dir())
    (box / "corrupt.zip").write_bytes(b"PK\x03\x04" + os.urandom(4096))
    (box / "hang-forever").mkdir()
    (box / "hang-forever" / "scan0001.pdf").write_bytes(b"%PDF-1.4\n")  # hang_or_check never opens it
    out = work / "faults-out"
    saved = flows.batch.PacketPool
    flows.batch.PacketPool = functools.partial(PacketPool, work=hang_or_check)  # type: ignore[misc]
    try:
        _, rows = timed_flow(box, out, work / "cache-2", workers=2, timeout=timeout)
    finally:
        flows.batch.PacketPool = saved  # type: ignore[misc]
    def report(folder: Path, p: Path) -> bytes:
        return (folder / packet_name(p) / "report.json").read_bytes()

    same = sum(report(out, p) == report(clean_out, p) for p in packets)
    problems: list[str] = []
    for p in box.iterdir():
        name = packet_name(p)
        row = next(r for r in rows if r.packet == name)
        record = out / name / ("error.json" if row.verdict == "error" else "report.json")
        listed = {f["file"] for f in json.loads(record.read_text("utf-8"))["files"]}
        real = p.resolve()
        files = ({f.relative_to(real).as_posix() for f in real.rglob("*") if f.is_file()}
                 if real.is_dir() else listed)
        if not listed or not files <= listed:
            problems.append(name)
    hang_ok = any(r.packet == "hang-forever" and r.verdict == "error" for r in rows)
    return same, len(packets), hang_ok, problems


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=200)
    ap.add_argument("--scanned-dir", type=Path, help="a folder of scanned packets; about 20 %% of the batch")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-packet timeout in the fault run")
    args = ap.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="shinsa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect-home"))
    # Every cold run must really read (and OCR) every page: the OCR module's own page cache, found through
    # $SHINSA_CACHE_DIR, would recognise the pages of one variant in another. Pointing the variable at a
    # file turns that cache off; the extraction cache measured here is given its folder explicitly.
    blocker = work / "no-page-cache"
    blocker.write_text("not a folder: turns the OCR page cache off for this benchmark\n")
    os.environ["SHINSA_CACHE_DIR"] = str(blocker)
    # One worker is one core's work: OCR would otherwise give a lone worker one Tesseract per core, and
    # the runs would not compare cores. With two workers on two cores this is what `shinsa batch` does.
    os.environ.setdefault("SHINSA_OCR_WORKERS", "1")
    from pipeline.prefect_env import quiet_prefect

    try:
        with quiet_prefect():
            run(args, work)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    inbox = work / "inbox"
    n_text, n_scanned = build_inbox(inbox, args.packets, args.scanned_dir)
    n = n_text + n_scanned
    print(f"inbox: {n} packets ({n_text} text-layer, {n_scanned} scanned) in {inbox}", flush=True)

    t0 = time.perf_counter()
    warm = work / "warm-inbox"
    warm.mkdir()
    shutil.copytree(ROOT / "samples" / "packets" / "fukui-t1-eligible", warm / "warm")
    timed_flow(warm, work / "warm-out", work / "warm-cache", workers=1)  # starts the Prefect server once
    print(f"Prefect server start + first flow: {time.perf_counter() - t0:.1f} s (not counted below)",
          flush=True)

    results: dict[int, float] = {}
    peak, breakdown = 0, {}
    for workers in (1, 2):
        load = os.getloadavg()[0]
        with TreeMonitor() as monitor:
            dt, rows = timed_flow(inbox, work / f"out-{workers}", work / f"cache-{workers}", workers=workers)
        results[workers] = dt
        if monitor.peak > peak:
            peak, breakdown = monitor.peak, monitor.breakdown
        cpu = monitor.cpu()
        pages = sum(f["pages"] for r in rows if r.verdict != "error" for f in json.loads(
            (work / f"out-{workers}" / r.packet / "report.json").read_text("utf-8"))["files"])
        label = f"{workers} worker{'s' if workers > 1 else ' '}"
        print(f"{label}: {dt:7.1f} s   {60 * n / dt:6.1f} packets/min   ({pages} pages, "
              f"{sum(r.verdict == 'error' for r in rows)} error rows; CPU {sum(cpu.values()):.0f} s = "
              f"{sum(cpu.values()) / dt:.2f} cores busy, load average before {load:.1f})", flush=True)
    speedup = results[1] / results[2]
    print(f"speed-up with 2 workers: {speedup:.2f}×   target ≥ 1.8× (cpus: {os.cpu_count()}; "
          "other work on the machine shows as fewer cores busy)")

    rerun, _ = timed_flow(inbox, work / "out-rerun", work / "cache-2", workers=2)
    print(f"re-run, unchanged batch (files from the cache, rules again): {rerun:6.2f} s = "
          f"{100 * rerun / results[2]:.1f} % of the first   target ≤ 5 %")
    resume, _ = timed_flow(inbox, work / "out-2", work / "cache-2", workers=2)
    print(f"resume, nothing left to do (reports reused):               {resume:6.2f} s = "
          f"{100 * resume / results[2]:.1f} % of the first")

    parts = ", ".join(f"{k} {v / 2**20:.0f}" for k, v in sorted(breakdown.items(), key=lambda kv: -kv[1]))
    print(f"peak memory: {peak / 2**20:.0f} MB for the whole process tree (PSS, MB: {parts})"
          "   target ≤ 2048 MB")

    # Prefect's overhead: both runs only evaluate rules (files from the cache), into fresh folders
    direct = min(timed_direct(inbox, work / f"out-direct-{i}", work / "cache-2", 2) for i in range(2))
    flowed = min(timed_flow(inbox, work / f"out-flow-{i}", work / "cache-2", workers=2)[0] for i in range(2))
    empty = work / "empty-inbox"
    empty.mkdir()
    fixed = min(timed_flow(empty, work / f"out-empty-{i}", work / "cache-2")[0] for i in range(2))
    print(f"Prefect overhead: {1000 * (flowed - direct) / n:.1f} ms per packet "
          f"(flow {flowed:.2f} s, direct {direct:.2f} s for {n} packets; of it, {fixed:.2f} s once per batch "
          f"for the flow run itself, {1000 * (flowed - direct - fixed) / n:.1f} ms per task)"
          "   target ≤ 50 ms")

    same, total, hang_ok, problems = fault_run(inbox, work / "out-2", work, args.timeout)
    print(f"faults: {same}/{total} reports identical to the clean run; hanging packet an error row: "
          f"{'yes' if hang_ok else 'NO'}; every input file in a report: "
          f"{'yes' if not problems else problems}")


if __name__ == "__main__":
    main()

"""Prefect flows and `shinsa batch`: thin wrappers over the pipeline, quiet on the terminal, resumable,
fault-tolerant, and the same on a Dask cluster.

Each start of a Prefect server costs 6–20 s, so one temporary server is shared by the tests of a test
process (``prefect_api``); only the clerk's-eye CLI test starts its own, as a clerk's run does.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "packets"
PICK = ["fukui-t1-eligible", "fukui-t2-eligible"]
INBOX = ["fukui-bad-files", "fukui-missing-one-statement", "fukui-not-sme", "fukui-t1-eligible",
         "fukui-t2-eligible", "fukui-zip.zip"]
AS_OF = date(2024, 6, 1)


def _fill(box: Path, names: list[str]) -> Path:
    box.mkdir(parents=True, exist_ok=True)
    for name in names:
        if not (SAMPLES / name).exists():
            pytest.skip("sample packets not generated")
        if (SAMPLES / name).is_dir():
            shutil.copytree(SAMPLES / name, box / name)
        else:
            shutil.copy(SAMPLES / name, box / name)
    return box


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


_held: list[object] = []  # open lock files: a slot stays ours until this test process ends


def _prefect_home(config: pytest.Config, name: str) -> Path:
    """A Prefect home kept between test runs (in .pytest_cache): a server on an existing database starts
    about twice as fast as one that must first create it. SQLite is not to be shared by two servers, so
    each test process locks a slot of its own (other xdist workers, or a suite run alongside this one)."""
    import fcntl

    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if cache is None:
        return Path(tempfile.mkdtemp(prefix=f"{name}-"))
    for slot in range(8):
        home = Path(cache.mkdir(f"{name}-{slot}"))
        lock = open(home / ".lock", "w")  # noqa: SIM115 - held open on purpose
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        _held.append(lock)
        return home
    return Path(tempfile.mkdtemp(prefix=f"{name}-"))


@pytest.fixture(scope="session")
def prefect_api(pytestconfig: pytest.Config) -> Iterator[str]:
    """A temporary Prefect server for this test process; in-process flows and child processes use it."""
    os.environ["PREFECT_HOME"] = str(_prefect_home(pytestconfig, "prefect-home"))
    from pipeline.prefect_env import apply_quiet_defaults

    apply_quiet_defaults()
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        del os.environ["PREFECT_API_URL"]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHINSA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Path:
    """An uninterrupted batch of INBOX, in process: the outputs every other run must reproduce."""
    from flows.batch import batch_flow

    base = tmp_path_factory.mktemp("reference")
    inbox = _fill(base / "inbox", INBOX)
    batch_flow(str(inbox), "fukui-iot-ai", AS_OF, str(base / "out"), workers=2, cache_dir=str(base / "cache"))
    return base / "out"


def _reports(out: Path) -> dict[str, dict[str, object]]:
    return {p.parent.name: json.loads(p.read_text("utf-8")) for p in sorted(out.glob("*/report.json"))}


def test_cli_batch_is_quiet_and_writes_every_report(tmp_path: Path, pytestconfig: pytest.Config) -> None:
    inbox = _fill(tmp_path / "inbox", PICK)
    (inbox / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # its own temporary server
    env.update(PREFECT_HOME=str(_prefect_home(pytestconfig, "prefect-home-cli")),
               SHINSA_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        _cli("batch", str(inbox), "--program", "fukui-iot-ai", "--as-of", "2024-06-01", "--out", str(out)),
        capture_output=True, text=True, env=env, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both and "| INFO" not in both, both[-2000:]
    for name in PICK:
        report = json.loads((out / name / "report.json").read_text(encoding="utf-8"))
        assert report["packet"] == name
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "summary.csv must carry a BOM for Excel"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["packet"] for r in rows] == ["broken", *PICK]
    # a corrupt .zip is still a packet: its one file is listed as unreadable, and nothing else stops
    assert rows[0]["verdict"] == "incomplete"
    broken = json.loads((out / "broken" / "report.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in broken["files"]] == ["unreadable"] and broken["files"][0]["error"]
    assert json.loads((out / "summary.json").read_text("utf-8"))["counts"]["incomplete"] == 1


def test_packet_flow_returns_the_same_report_as_the_pipeline(prefect_api: str) -> None:
    if not (SAMPLES / PICK[0]).exists():
        pytest.skip("sample packets not generated")
    from flows.packet import packet_flow
    from pipeline.packet import check_packet

    via_flow = packet_flow(str(SAMPLES / PICK[0]), "fukui-iot-ai", AS_OF)
    direct = check_packet(SAMPLES / PICK[0], "fukui-iot-ai", AS_OF).model_dump(mode="json")
    assert via_flow == direct


def test_killed_batch_resumes_to_the_same_summary(reference: Path, tmp_path: Path, prefect_api: str) -> None:
    inbox = _fill(tmp_path / "inbox", INBOX)
    out = tmp_path / "out"
    env = {**os.environ, "SHINSA_CACHE_DIR": str(tmp_path / "cache")}
    args = _cli("batch", str(inbox), "-p", "fukui-iot-ai", "--as-of", AS_OF.isoformat(), "--out", str(out))
    run = subprocess.Popen([*args, "--workers", "1"], env=env, cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not list(out.glob("*/manifest.json")) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(run.pid, signal.SIGKILL)  # as the OOM killer or a `kill -9` would
        run.wait(timeout=30)
    finally:
        time.sleep(0.5)
        try:
            os.killpg(run.pid, signal.SIGKILL)  # the worker processes it left, if any are still there
        except ProcessLookupError:
            pass
    finished = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/manifest.json")}
    assert finished, "the run was killed before any packet was finished"
    assert len(finished) < len(INBOX) and not (out / "summary.json").exists(), "the run was not interrupted"

    proc = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary == json.loads((reference / "summary.json").read_text("utf-8"))
    assert (out / "summary.csv").read_bytes() == (reference / "summary.csv").read_bytes()
    assert _reports(out) == _reports(reference)
    redone = [n for n, mtime in finished.items() if (out / n / "manifest.json").stat().st_mtime_ns != mtime]
    assert redone == [], "packets finished before the kill must not be checked again"
    assert not list(out.rglob("*.tmp")), "no temporary file survives"


def test_a_corrupt_and_a_hanging_packet_among_50_leave_the_other_48_intact(
        reference: Path, tmp_path: Path, cache_dir: Path, prefect_api: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import flows.batch
    from pipeline.batch import PacketPool
    from pipeline.cli import cli
    from tests.test_batch import by_name

    inbox = _fill(tmp_path / "inbox", INBOX)
    source = {Path(n).stem: Path(n).stem for n in INBOX}
    for i in range(48 - len(INBOX)):  # copies under other names: the cache reads each content once
        original = INBOX[i % len(INBOX)]
        name = f"copy-{i:02d}-{original}"
        (shutil.copytree if (inbox / original).is_dir() else shutil.copy)(inbox / original, inbox / name)
        source[Path(name).stem] = Path(original).stem
    shutil.copytree(inbox / "fukui-t2-eligible", inbox / "hang-forever")  # by_name: a packet that never ends
    (inbox / "corrupt.zip").write_bytes(b"PK\x03\x04" + os.urandom(200))
    monkeypatch.setattr(flows.batch, "PacketPool", functools.partial(PacketPool, work=by_name))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(inbox), "-p", "fukui-iot-ai", "--as-of", AS_OF.isoformat(),
                                      "--out", str(out), "--timeout", "3", "--fail-on", "error"])
    assert result.exit_code == 3, result.output
    rows = {r["packet"]: r for r in json.loads((out / "summary.json").read_text("utf-8"))["packets"]}
    assert len(rows) == 50
    hang = rows["hang-forever"]
    assert hang["verdict"] == "error" and "timed out after 3 s" in hang["error"]
    assert rows["corrupt"]["verdict"] == "incomplete"
    expected, got = _reports(reference), _reports(out)
    for name, original in source.items():
        assert got[name] == {**expected[original], "packet": name}, name
    for packet in inbox.iterdir():  # every input file appears in a report (or in the error record)
        name = packet.stem if packet.suffix == ".zip" else packet.name
        record = out / name / ("error.json" if rows[name]["verdict"] == "error" else "report.json")
        listed = {f["file"] for f in json.loads(record.read_text("utf-8"))["files"]}
        files = ({p.relative_to(packet).as_posix() for p in packet.rglob("*") if p.is_file()}
                 if packet.is_dir() else listed)
        assert files <= listed and listed, name


def test_dask_cluster_gives_the_same_reports(reference: Path, tmp_path: Path, cache_dir: Path,
                                             prefect_api: str) -> None:
    from distributed import LocalCluster

    from flows.batch import batch_flow

    names = ["fukui-t1-eligible", "fukui-zip.zip", "fukui-bad-files"]
    inbox = _fill(tmp_path / "inbox", names)
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        rows = batch_flow(str(inbox), "fukui-iot-ai", AS_OF, str(out), dask_address=cluster.scheduler_address)
    assert [r.packet for r in rows] == sorted(Path(n).stem for n in names)
    expected = _reports(reference)
    assert _reports(out) == {k: v for k, v in expected.items() if k in _reports(out)}
    assert len(_reports(out)) == len(names)

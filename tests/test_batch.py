"""pipeline.batch without Prefect: one packet's outputs, resume by manifest, error rows, the worker pool
(timeout, crash), the summary files."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import (BatchJob, BatchRow, PacketPool, check_one, list_packets, record_error,
                            write_summary)

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "packets"
GOOD = "fukui-t2-eligible"


def _copy(name: str, to: Path) -> Path:
    if not (SAMPLES / name).exists():
        pytest.skip("sample packets not generated")
    return Path(shutil.copytree(SAMPLES / name, to / name))


@pytest.fixture()
def job(tmp_path: Path) -> BatchJob:
    return BatchJob(program="fukui-iot-ai", as_of=date(2024, 6, 1), out_dir=tmp_path / "out",
                    cache_dir=tmp_path / "cache", timeout=60)


@pytest.fixture()
def packet(tmp_path: Path) -> Path:
    return _copy(GOOD, tmp_path / "inbox")


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = batch.build_report

    def counting(name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "build_report", counting)
    return calls


# ---------------------------------------------------------------- one packet


def test_check_one_writes_report_summary_and_manifest(packet: Path, job: BatchJob) -> None:
    row = check_one(packet, job)
    target = job.out_dir / GOOD
    assert row.verdict == "eligible" and row.packet == GOOD
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "report.json", "summary.txt"]
    report = json.loads((target / "report.json").read_text("utf-8"))
    manifest = json.loads((target / "manifest.json").read_text("utf-8"))
    assert report["verdict"] == "eligible"
    assert sorted(manifest["inputs"]) == sorted(f["file"] for f in report["files"])
    assert manifest["as_of"] == "2024-06-01" and manifest["program"] == "fukui-iot-ai"


def test_an_unchanged_packet_is_not_checked_twice(packet: Path, job: BatchJob,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_one(packet, job)
    calls = _count_builds(monkeypatch)
    assert check_one(packet, job) == first
    assert calls == []


def _touch_a_file(packet: Path, job: BatchJob) -> BatchJob:
    victim = sorted(packet.glob("*.pdf"))[0]
    victim.write_bytes(victim.read_bytes() + b"\n% appended\n")
    return job


def _add_a_file(packet: Path, job: BatchJob) -> BatchJob:
    (packet / "extra.txt").write_text("added later\n")
    return job


@pytest.mark.parametrize(
    "change",
    [
        _touch_a_file,
        _add_a_file,
        lambda packet, job: replace(job, as_of=date(2024, 7, 1)),
        lambda packet, job: replace(job, resume=False),
    ],
    ids=["file-changed", "file-added", "other-as-of", "fresh"],
)
def test_a_changed_input_is_checked_again(packet: Path, job: BatchJob, monkeypatch: pytest.MonkeyPatch,
                                          change: object) -> None:
    check_one(packet, job)
    new_job = change(packet, job)  # type: ignore[operator]
    calls = _count_builds(monkeypatch)
    check_one(packet, new_job)
    assert calls == [GOOD]


def test_a_changed_rule_file_is_checked_again(packet: Path, job: BatchJob, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from checks import engine

    programs = tmp_path / "programs"
    programs.mkdir()
    rules = programs / "fukui-iot-ai.yaml"
    rules.write_text(Path(engine.load_program("fukui-iot-ai").file).read_text("utf-8"), "utf-8")
    monkeypatch.setenv(engine.PROGRAMS_PATH_ENV, str(programs))
    check_one(packet, job)
    rules.write_text(rules.read_text("utf-8") + "\n# a comment is a change too\n", "utf-8")
    calls = _count_builds(monkeypatch)
    check_one(packet, job)
    assert calls == [GOOD]


def test_a_report_without_its_manifest_is_not_trusted(packet: Path, job: BatchJob,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    check_one(packet, job)
    (job.out_dir / GOOD / "manifest.json").unlink()  # as if killed between report and manifest
    calls = _count_builds(monkeypatch)
    check_one(packet, job)
    assert calls == [GOOD]


def test_a_second_run_reads_no_file_again(packet: Path, job: BatchJob,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_one(packet, job)
    reads: list[str] = []
    from extractors import ingest

    real = ingest.read_files  # where every uncached file is read (pipeline.packet.extract_files)
    monkeypatch.setattr(ingest, "read_files",
                        lambda sources, *a, **k: reads.extend(s.name for s in sources) or real(sources, *a, **k))
    again = check_one(packet, replace(job, as_of=date(2024, 6, 1), resume=False))
    assert again == first
    assert reads == []


def test_a_failing_packet_is_an_error_row_listing_its_files(packet: Path, job: BatchJob,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    check_one(packet, job)  # a report from an earlier run must not survive the failure

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("秘密の売上高 123,456,789")

    monkeypatch.setattr(batch, "build_report", boom)
    row = check_one(packet, replace(job, as_of=date(2024, 7, 1)))
    target = job.out_dir / GOOD
    assert row.verdict == "error" and row.error == "内部エラー (RuntimeError)"
    assert sorted(p.name for p in target.iterdir()) == ["error.json"]
    error = json.loads((target / "error.json").read_text("utf-8"))
    assert sorted(f["file"] for f in error["files"]) == sorted(p.name for p in packet.iterdir())
    assert "秘密" not in (target / "error.json").read_text("utf-8")


def test_unknown_program_is_an_error_row_not_an_exception(packet: Path, job: BatchJob) -> None:
    row = check_one(packet, replace(job, program="no-such-program"))
    assert row.verdict == "error" and "UnknownProgram" in (row.error or "")


def test_record_error_of_a_vanished_packet_still_writes_the_row(tmp_path: Path) -> None:
    row = record_error(tmp_path / "gone", tmp_path / "out", "時間切れ")
    assert row == BatchRow(packet="gone", verdict="error", error="時間切れ")
    files = json.loads((tmp_path / "out" / "gone" / "error.json").read_text("utf-8"))["files"]
    assert files == [{"file": "gone", "sha256": "unreadable:FileNotFoundError"}]


# ---------------------------------------------------------------- the worker pool


def sleeps_forever(packet: Path, job: BatchJob) -> BatchRow:
    while True:
        time.sleep(1)


def dies(packet: Path, job: BatchJob) -> BatchRow:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def raises(packet: Path, job: BatchJob) -> BatchRow:
    raise ValueError("秘密")


def by_name(packet: Path, job: BatchJob) -> BatchRow:
    """A packet named hang-* hangs, crash-* kills its worker, anything else is checked."""
    if packet.name.startswith("hang"):
        return sleeps_forever(packet, job)
    if packet.name.startswith("crash"):
        return dies(packet, job)
    return check_one(packet, job)


@pytest.mark.parametrize(
    ("work", "needle"),
    [
        (sleeps_forever, "timed out after 1 s"),
        (dies, "worker process died, exit code -9"),
        (raises, "内部エラー (ValueError)"),
    ],
    ids=["hang", "crash", "exception"],
)
def test_pool_turns_a_bad_packet_into_an_error_row(packet: Path, job: BatchJob, work: batch.Work,
                                                   needle: str) -> None:
    with PacketPool(1, work=work) as pool:
        started = time.monotonic()
        row = pool.check(packet, replace(job, timeout=1))
    assert row.verdict == "error" and needle in (row.error or ""), row
    assert time.monotonic() - started < 30
    assert (job.out_dir / GOOD / "error.json").exists()


def test_pool_goes_on_after_a_hang_and_a_crash(tmp_path: Path, job: BatchJob) -> None:
    from concurrent.futures import ThreadPoolExecutor

    inbox = tmp_path / "inbox"
    good = [_copy(GOOD, inbox), _copy("fukui-t1-eligible", inbox)]
    bad = [Path(shutil.copytree(good[0], inbox / name)) for name in ("hang-1", "crash-1")]
    quick = replace(job, timeout=5)
    with PacketPool(2, work=by_name) as pool, ThreadPoolExecutor(2) as threads:
        rows = {r.packet: r for r in threads.map(lambda p: pool.check(p, quick), [*bad, *good])}
    assert rows["hang-1"].verdict == "error" and "timed out" in (rows["hang-1"].error or "")
    assert rows["crash-1"].verdict == "error" and "died" in (rows["crash-1"].error or "")
    assert rows[GOOD].verdict == "eligible" and rows["fukui-t1-eligible"].verdict == "eligible"


def ocr_share(packet: Path, job: BatchJob) -> BatchRow:
    return BatchRow(packet=packet.name, verdict="eligible", error=os.environ.get("SHINSA_OCR_WORKERS"))


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_workers_share_the_cores_for_ocr(packet: Path, job: BatchJob, workers: int,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHINSA_OCR_WORKERS", raising=False)
    cpus = len(os.sched_getaffinity(0))
    with PacketPool(workers, work=ocr_share) as pool:
        seen = pool.check(packet, job).error
    assert seen == str(max(1, cpus // workers))


def test_default_workers_is_sized_to_the_machine() -> None:
    n = batch.default_workers()
    assert 1 <= n <= min(batch.MAX_WORKERS, os.cpu_count() or 1)


# ---------------------------------------------------------------- inbox and summary


def test_list_packets_takes_folders_and_zips_by_name(tmp_path: Path) -> None:
    for name in ["b", "a", ".hidden", "__MACOSX"]:
        (tmp_path / name).mkdir()
    (tmp_path / "c.ZIP").write_bytes(b"PK")
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in list_packets(tmp_path)] == ["a", "b", "c.ZIP"]


def test_summary_csv_has_a_bom_and_json_counts(tmp_path: Path) -> None:
    rows = [BatchRow(packet="b-2", verdict="ineligible", failed_checks=["loan_term", "use_of_funds"],
                     ocr_pages=7),
            BatchRow(packet="a-1", verdict="incomplete", missing_documents=["opinion_letter"], track="2"),
            BatchRow(packet="c-3", verdict="error", error="時間切れ")]
    counts = write_summary(rows, tmp_path)
    raw = (tmp_path / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["packet"] for r in table] == ["a-1", "b-2", "c-3"]
    assert table[1]["failed_checks"] == "loan_term use_of_funds" and table[2]["error"] == "時間切れ"
    assert counts == {"incomplete": 1, "ineligible": 1, "error": 1}
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert summary["counts"] == counts
    assert "ocr_pages" not in summary["packets"][1], "a resumed run must end with the same summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv", "summary.json"]


@pytest.mark.parametrize(
    ("work", "verdict"),
    [(sleeps_forever, "error"), (check_one, "eligible")],
    ids=["hang-is-given-up", "quick-packet-passes"],
)
def test_check_with_deadline(packet: Path, job: BatchJob, work: batch.Work, verdict: str) -> None:
    started = time.monotonic()
    row = batch.check_with_deadline(packet, replace(job, timeout=0.5 if work is sleeps_forever else 60), work)
    assert row.verdict == verdict, row
    assert time.monotonic() - started < 30
    if verdict == "error":
        assert "timed out after 0.5 s" in (row.error or "")

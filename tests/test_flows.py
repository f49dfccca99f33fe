"""Prefect flows and `shinsa batch`: thin wrappers over the pipeline, quiet on the terminal.

These start Prefect's ephemeral server (≈ 6 s), so the batch is exercised once through the CLI
in a subprocess (as a clerk runs it) and once through the flow function.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "packets"
PICK = ["fukui-t1-eligible", "fukui-t2-eligible"]


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    box.mkdir()
    for name in PICK:
        if not (SAMPLES / name).exists():
            pytest.skip("sample packets not generated")
        shutil.copytree(SAMPLES / name, box / name)
    (box / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    return box


def test_cli_batch_is_quiet_and_writes_every_report(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "batch", str(inbox), "--program", "fukui-iot-ai",
         "--as-of", "2024-06-01", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
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


def test_packet_flow_returns_the_same_report_as_the_pipeline(tmp_path: Path) -> None:
    from pipeline.prefect_env import apply_quiet_defaults

    if not (SAMPLES / PICK[0]).exists():
        pytest.skip("sample packets not generated")
    os.environ.setdefault("PREFECT_HOME", str(tmp_path / "prefect-home"))
    apply_quiet_defaults()
    from flows.packet import packet_flow
    from pipeline.packet import check_packet

    via_flow = packet_flow(str(SAMPLES / PICK[0]), "fukui-iot-ai", date(2024, 6, 1))
    direct = check_packet(SAMPLES / PICK[0], "fukui-iot-ai", date(2024, 6, 1)).model_dump(mode="json")
    assert via_flow == direct

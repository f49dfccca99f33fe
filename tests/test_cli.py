"""The command line: help everywhere, the contract's exit codes, one-line errors, JSON on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
COMMANDS = ["check", "batch", "extract", "programs"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"shinsa {command}" in readme, command


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "no/such/packet", "--program", "fukui-iot-ai"], "no such packet"),
        (["check", str(SAMPLES), "--program", "no-such-program"], "unknown program"),
        (["check", str(SAMPLES), "--program", "fukui-iot-ai", "--as-of", "2024-13-01"], "--as-of"),
        (["batch", "no/such/inbox", "--program", "fukui-iot-ai", "--out", "x"], "no such inbox"),
        (["extract", "no/such/file.pdf"], "no such file"),
    ],
    ids=["missing-packet", "unknown-program", "bad-date", "missing-inbox", "missing-file"],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], needle: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], result.output


def test_programs_lists_fukui() -> None:
    result = CliRunner().invoke(cli, ["programs"])
    assert result.exit_code == 0
    assert "fukui-iot-ai" in result.output and "2019-04-01" in result.output


def test_check_json_to_stdout_is_the_report(tmp_path: Path) -> None:
    packet = SAMPLES / "packets" / "fukui-t1-eligible"
    if not packet.exists():
        pytest.skip("sample packet not generated")
    result = CliRunner().invoke(cli, ["check", str(packet), "--program", "fukui-iot-ai",
                                      "--as-of", "2024-06-01", "--json", "-", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "shinsa.report/1"
    assert data["packet"] == "fukui-t1-eligible" and data["as_of"] == "2024-06-01"
    assert set(data) >= {"program", "edition", "verdict", "track", "files", "documents", "requirements",
                         "checks", "missing_documents"}
    assert (tmp_path / "report.json").exists() and "判定" in (tmp_path / "summary.txt").read_text("utf-8")


def test_extract_shows_pages_and_documents(tmp_path: Path) -> None:
    pdfs = sorted((SAMPLES / "packets" / "fukui-t1-eligible").glob("*.pdf"))
    if not pdfs:
        pytest.skip("sample packet not generated")
    result = CliRunner().invoke(cli, ["extract", str(pdfs[0]), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"file", "sha256", "status", "pages", "documents"}
    assert data["pages"] and {"number", "source", "text"} <= set(data["pages"][0])
    assert data["documents"] and data["documents"][0]["type"] != "unknown"

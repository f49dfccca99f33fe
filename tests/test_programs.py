"""Programs as data: a program added with YAML only, editions picked by ``--as-of``, ``shinsa programs``,
and the JFC rule file's citations and assumptions.

The fixture program is the example of docs/adding-a-program.md (step 9), copied from the page: if the
page's example stops working, this test says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from checks import engine
from checks.schema import ASSUMPTION_LABEL
from pipeline.cli import cli
from pipeline.packet import FileResult, build_report, extract_packet

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "adding-a-program.md"
PACKETS = REPO / "samples" / "packets"
SEEDS = [REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")]


def _doc_program() -> str:
    """The YAML block of the page's step 9 (the one that starts with its file name)."""
    blocks = re.findall(r"```yaml\n(# demo-equipment-loan\.yaml\n.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/adding-a-program.md lost its complete example program"
    return blocks[0]


DATED = """
program:
  id: demo-dated
  name: 日付で変わる制度（試験用）
  issuer: 例
  source: {file: demo.txt, title: 試験用の要綱}
  editions:
    - {edition: "2019-04-01", effective_from: 2019-04-01, effective_to: 2024-03-31, reference: 附則}
    - {edition: "2024-04-01", effective_from: 2024-04-01, reference: 改正附則}
sections:
  附則: "この要綱は、2019年4月1日から施行する。"
  改正附則: "この改正は、2024年4月1日から施行する。"
  第3条: "融資限度額"
  第5条: "添付書類"
documents:
  loan_application: {label: 融資申込書}
  opinion_letter: {label: 意見書}
fields:
  loan_amount: {label: 融資額, type: int}
parameters:
  loan_limit:
    label: 融資限度額
    values:
      - {from: 2019-04-01, value: 15000000, reference: 第3条}
      - {from: 2024-04-01, value: 10000000, reference: 第3条}
requirements:
  - {id: loan_application, document_type: loan_application, label: 融資申込書, reference: 第5条}
  - {id: opinion_letter, document_type: opinion_letter, label: 意見書, reference: 第5条, editions: ["2024-04-01"]}
checks:
  - id: loan_limit
    label: 融資限度額
    reference: 第3条
    inputs:
      loan_amount: loan_application.loan_amount
    condition: loan_amount <= loan_limit
    fail: 融資額 {yen(loan_amount)} が限度額 {yen(loan_limit)} を超えています
    pass: 融資額 {yen(loan_amount)} は限度額 {yen(loan_limit)} 以内です
"""


@pytest.fixture
def programs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "demo-equipment-loan.yaml").write_text(_doc_program(), encoding="utf-8")
    (folder / "demo-dated.yaml").write_text(DATED, encoding="utf-8")
    monkeypatch.setenv(engine.PROGRAMS_PATH_ENV, str(folder))
    yield folder


@pytest.fixture(scope="module")
def read_packets() -> dict[str, list[FileResult]]:
    """Two Fukui sample packets, read once: loan 12,000,000 設備資金 (t2-eligible) and 運転資金."""
    names = ["fukui-t2-eligible", "fukui-working-capital"]
    if not all((PACKETS / n).is_dir() for n in names):
        pytest.skip("sample packets not generated")
    return {n: extract_packet(PACKETS / n) for n in names}


# ---------------------------------------------------------------- a program with no Python


@pytest.mark.parametrize(("packet", "verdict", "statuses"), [
    ("fukui-t2-eligible", "eligible", {"loan_limit": "pass", "use_of_funds": "pass"}),
    ("fukui-working-capital", "ineligible", {"loan_limit": "pass", "use_of_funds": "fail"}),
], ids=["equipment-loan-eligible", "working-capital-ineligible"])
def test_a_program_written_in_yaml_only_checks_a_packet(programs_dir: Path, read_packets: dict[str, list[FileResult]],
                                                        packet: str, verdict: str, statuses: dict[str, str]) -> None:
    report = build_report(packet, "demo-equipment-loan", read_packets[packet], date(2024, 6, 1))
    assert report.program == "demo-equipment-loan" and report.edition == "2024-04-01"
    assert report.verdict == verdict, [(c.id, c.status, c.message) for c in report.checks]
    assert {c.id: c.status for c in report.checks} == statuses
    assert [(r.id, r.status) for r in report.requirements] == [("loan_application", "present"),
                                                               ("funding_evidence", "present")]
    loan = next(c for c in report.checks if c.id == "loan_limit")
    assert loan.inputs["loan_amount"]["value"] == 12_000_000 and loan.inputs["loan_limit"]["reference"] == "第3条"


def test_the_yaml_program_is_listed_and_usable_from_the_command_line(programs_dir: Path) -> None:
    listed = CliRunner().invoke(cli, ["programs"])
    assert listed.exit_code == 0 and "demo-equipment-loan" in listed.output
    if not (PACKETS / "fukui-over-limit").is_dir():
        pytest.skip("sample packets not generated")
    result = CliRunner().invoke(cli, ["check", str(PACKETS / "fukui-over-limit"), "--program", "demo-equipment-loan",
                                      "--as-of", "2024-06-01", "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 20,000,000 is over this program's 15,000,000 limit
    assert data["program"] == "demo-equipment-loan" and data["verdict"] == "ineligible"
    assert {c["id"]: c["status"] for c in data["checks"]}["loan_limit"] == "fail"


# ---------------------------------------------------------------- editions follow --as-of


@pytest.mark.parametrize(("as_of", "edition", "loan_limit", "limit", "requirements", "verdict"), [
    (date(2024, 3, 31), "2019-04-01", "pass", 15_000_000, ["loan_application"], "eligible"),
    (date(2024, 4, 1), "2024-04-01", "fail", 10_000_000, ["loan_application", "opinion_letter"], "ineligible"),
], ids=["day-before-the-new-edition", "first-day-of-the-new-edition"])
def test_as_of_picks_the_edition_and_its_values(programs_dir: Path, read_packets: dict[str, list[FileResult]],
                                                as_of: date, edition: str, loan_limit: str, limit: int,
                                                requirements: list[str], verdict: str) -> None:
    report = build_report("fukui-t2-eligible", "demo-dated", read_packets["fukui-t2-eligible"], as_of)
    assert report.edition == edition and report.as_of == as_of
    check = next(c for c in report.checks if c.id == "loan_limit")
    assert check.status == loan_limit and check.inputs["loan_limit"]["value"] == limit
    assert [r.id for r in report.requirements] == requirements
    assert report.verdict == verdict


def test_the_report_names_the_edition_picked_on_the_command_line(programs_dir: Path) -> None:
    if not (PACKETS / "fukui-t2-eligible").is_dir():
        pytest.skip("sample packets not generated")
    editions = {}
    for as_of in ("2024-03-31", "2024-04-01"):
        result = CliRunner().invoke(cli, ["check", str(PACKETS / "fukui-t2-eligible"), "--program", "demo-dated",
                                          "--as-of", as_of, "--json", "-"])
        assert result.exit_code == 0, result.output
        editions[as_of] = json.loads(result.stdout)["edition"]
    assert editions == {"2024-03-31": "2019-04-01", "2024-04-01": "2024-04-01"}


# ---------------------------------------------------------------- shinsa programs


@pytest.mark.parametrize(("program_id", "source"), [
    ("fukui-iot-ai", "001_cb97b60ca62a61e4.txt"),
    ("jfc-iot", "000_dbda382197a60f5d.txt"),
])
def test_shinsa_programs_lists_id_editions_source_and_rule_count(program_id: str, source: str) -> None:
    result = CliRunner().invoke(cli, ["programs"])
    assert result.exit_code == 0
    line = next((ln for ln in result.output.splitlines() if ln.startswith(program_id + "\t")), None)
    assert line is not None, result.output
    rules = engine.load_program(program_id).info.rules
    assert "2019-04-01" in line and source in line and f"rules: {rules}" in line and rules >= 8


# ---------------------------------------------------------------- the JFC rule file


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_jfc_sections_are_the_leaflets_own_headings_and_notes() -> None:
    seed = next((d / "000_dbda382197a60f5d.txt" for d in SEEDS if (d / "000_dbda382197a60f5d.txt").is_file()), None)
    if seed is None:
        pytest.skip("JFC leaflet not found")
    text = _squash(seed.read_text(encoding="utf-8"))
    sections = engine.load_program("jfc-iot").spec.sections
    assert {"貸付対象", "資金使途", "貸付限度額", "貸付期間", "※1", "※2", "※3", "※4",
            "特別利率を適用するための主な条件"} <= set(sections)
    assert [key for key in sections if _squash(key) not in text] == []


def test_jfc_requirements_are_marked_as_assumptions_in_the_report_label() -> None:
    program = engine.load_program("jfc-iot")
    result = engine.evaluate(program, [], [], date(2024, 6, 1))
    assert result.requirements and all(ASSUMPTION_LABEL in r.label for r in result.requirements)
    assert all(r.assumption for r in program.spec.requirements)
    assert result.verdict == "incomplete"
    fukui = engine.evaluate(engine.load_program("fukui-iot-ai"), [], [], date(2024, 6, 1))
    assert not any("想定" in r.label for r in fukui.requirements)

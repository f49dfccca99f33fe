"""The report's verdict order and JSON shape (contract.md)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.model import CheckResult, Report, Requirement, decide_verdict


def _req(status: str) -> Requirement:
    return Requirement(id="r", document_type="loan_application", label="l", reference="要綱 9(1)",
                       status=status)  # type: ignore[arg-type]


def _chk(status: str) -> CheckResult:
    return CheckResult(id="c", label="l", reference="要綱 3", status=status, message="m")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reqs", "checks", "verdict"),
    [
        (["present"], ["pass", "not_applicable"], "eligible"),
        (["present"], ["pass", "review"], "review"),
        (["missing"], ["pass", "review"], "incomplete"),
        (["unreadable"], ["pass"], "incomplete"),
        (["missing"], ["fail", "review"], "ineligible"),
        (["present"], ["fail"], "ineligible"),
        ([], [], "eligible"),
    ],
    ids=["all-pass", "a-review", "missing-beats-review", "unreadable-is-incomplete", "fail-beats-missing",
         "fail", "nothing-to-check"],
)
def test_verdict_order(reqs: list[str], checks: list[str], verdict: str) -> None:
    assert decide_verdict([_req(s) for s in reqs], [_chk(s) for s in checks]) == verdict


def test_report_json_uses_schema_key() -> None:
    report = Report(packet="p", program="fukui-iot-ai", edition="2019-04-01", as_of=date(2024, 6, 1),
                    verdict="eligible", track=None, files=[], documents=[], requirements=[], checks=[],
                    missing_documents=[])
    data = report.model_dump(mode="json")
    assert list(data)[0] == "schema" and data["schema"] == "shinsa.report/1"
    assert data["as_of"] == "2024-06-01"
    assert Report.model_validate(data) == report

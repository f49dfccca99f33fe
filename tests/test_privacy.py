"""No document text in logs: names, addresses and amounts read from a packet never reach a log record."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from pipeline.packet import check_packet

PACKETS = Path(__file__).resolve().parent.parent / "samples" / "packets"


@pytest.mark.parametrize("name", ["fukui-t1-eligible", "fukui-bad-files", "fukui-single-pdf"])
def test_logs_hold_no_document_text(name: str, caplog: pytest.LogCaptureFixture) -> None:
    if not (PACKETS / name).exists():
        pytest.skip("sample packets not generated")
    with caplog.at_level(logging.DEBUG):
        report = check_packet(PACKETS / name, "fukui-iot-ai", date(2024, 6, 1))
    secrets: set[str] = set()
    for doc in report.documents:
        for field in doc.fields.values():
            if isinstance(field.value, str) and len(field.value) >= 4:
                secrets.add(field.value)
            elif isinstance(field.value, int) and not isinstance(field.value, bool) and field.value >= 100_000:
                secrets.update({str(field.value), f"{field.value:,}"})
    assert secrets, "the packet should have yielded names and amounts"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    leaked = sorted(s for s in secrets if s in logged)
    assert not leaked, f"document text in logs: {len(leaked)} values"

"""Prefect flow for one packet: a thin wrapper over ``pipeline.packet.check_packet``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow

from pipeline.packet import check_packet


@flow(name="shinsa-packet", log_prints=False, validate_parameters=False)
def packet_flow(packet: str, program: str = "fukui-iot-ai", as_of: date | None = None) -> dict[str, Any]:
    """Check one packet; returns the report as the contract's JSON dict."""
    report = check_packet(Path(packet), program=program, as_of=as_of or date.today())
    return report.model_dump(mode="json")

"""shinsa (審査): check Japanese loan and subsidy application packets against a program's rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["check_packet"]

if TYPE_CHECKING:
    from pipeline.packet import check_packet


def __getattr__(name: str) -> Any:  # lazy, so `import pipeline.model` stays light
    if name == "check_packet":
        from pipeline.packet import check_packet

        return check_packet
    raise AttributeError(name)

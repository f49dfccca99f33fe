"""Settings that keep Prefect's ephemeral server quiet on a clerk's terminal.

Set before Prefect is imported: INFO lines, the telemetry heartbeat (which races the server's
SQLite database at start and prints a traceback) and the server's own logs go; errors stay.
No Prefect import here, so the library keeps working without it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

QUIET_SETTINGS = {
    "PREFECT_LOGGING_LEVEL": "ERROR",
    # CRITICAL: at exit, the temporary server logs the task-run events it had no time to store as ERROR
    # tracebacks (the runs are over and their results written: nothing a clerk can act on)
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    # the ephemeral server migrates its SQLite database on first start; on a busy 2-core machine that
    # can take longer than Prefect's default 20 s, which then fails the whole batch with a RuntimeError
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Dask (--dask) configures its "distributed" logger at INFO with a handler of its own when imported
    "DASK_LOGGING__DISTRIBUTED": "error",
}


# the temporary server's own loggers, and Dask's client (which logs connections at INFO with its own handler)
NOISY_LOGGERS = {
    "uvicorn": logging.CRITICAL,
    "uvicorn.error": logging.CRITICAL,
    "docket": logging.CRITICAL,
    "docket.dependencies": logging.CRITICAL,
    "prefect.server": logging.CRITICAL,
    "distributed": logging.ERROR,
}


def apply_quiet_defaults() -> None:
    """Fill in the quiet settings unless the user set them (a team's PREFECT_API_URL is left alone)."""
    for key, value in QUIET_SETTINGS.items():
        os.environ.setdefault(key, value)


@contextmanager
def quiet_prefect() -> Iterator[None]:
    apply_quiet_defaults()
    saved = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name, level in NOISY_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)

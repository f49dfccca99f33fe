#!/usr/bin/env bash
# The test command (README): the whole suite except tests marked slow; pass -m "" to run everything.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q -n 2 -m "not slow" "$@"

#!/usr/bin/env bash
# Set up shinsa on a fresh Debian 12 machine (Python 3.11) and run the main job on the bundled samples.
#   bash scripts/setup.sh            # install + run `shinsa batch` on samples/packets
#   bash scripts/setup.sh --no-run   # install only (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-script-jpan
              poppler-utils fonts-ipaexfont)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "==> apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), f"shinsa needs Python 3.11, found {sys.version}"'
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> pip: installing shinsa and its pinned dependencies"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

if [ "${1:-}" != "--no-run" ]; then
  # the bundled sample packets, one inbox per program (links, so nothing is copied)
  for program in fukui-iot-ai jfc-iot; do
    prefix=${program%%-*}
    inbox="out/inbox/$program"
    rm -rf "$inbox" && mkdir -p "$inbox"
    for p in samples/packets/"$prefix"-*; do ln -s "$(pwd)/$p" "$inbox/$(basename "$p")"; done
    echo "==> shinsa batch $inbox --program $program --as-of 2024-06-01 --out out/$program"
    .venv/bin/shinsa batch "$inbox" --program "$program" --as-of 2024-06-01 --out "out/$program"
  done
fi

"""Text-layer packets: time per page and per packet, end to end, against the raw library floors.

Prints, in one run on the same PDFs:
  - floor A: pypdfium2 text extraction (ms/page)
  - floor B: pdfplumber extract_text (ms/page)
  - shinsa: extract + classify + fields + rules per packet, models loaded (ms/page, ms/packet)
  - a cold `shinsa check` of one packet in a fresh process (s)

Usage: .venv/bin/python benchmarks/bench_text.py [PACKETS_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.packet import check_packet  # noqa: E402


def text_pdfs(packets: list[Path]) -> list[Path]:
    out = []
    for p in packets:
        for f in sorted(p.rglob("*.pdf")):
            try:
                with pdfplumber.open(f) as pdf:
                    if pdf.pages and pdf.pages[0].chars:
                        out.append(f)
            except Exception:
                continue
    return out


def floor_pdfium(pdfs: list[Path]) -> tuple[float, int]:
    pages = 0
    t0 = time.perf_counter()
    for f in pdfs:
        doc = pdfium.PdfDocument(f)
        for page in doc:
            page.get_textpage().get_text_range()
            pages += 1
        doc.close()
    return time.perf_counter() - t0, pages


def floor_pdfplumber(pdfs: list[Path]) -> tuple[float, int]:
    pages = 0
    t0 = time.perf_counter()
    for f in pdfs:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return time.perf_counter() - t0, pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("packets_dir", nargs="?", default=str(ROOT / "samples" / "packets"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    packets = sorted(p for p in Path(args.packets_dir).iterdir() if p.is_dir())
    pdfs = text_pdfs(packets)
    as_of = date(2024, 6, 1)

    check_packet(packets[0], "fukui-iot-ai", as_of)  # warm-up: imports, dictionaries, models

    a = min(floor_pdfium(pdfs)[0] for _ in range(args.repeat))
    b_runs = [floor_pdfplumber(pdfs) for _ in range(args.repeat)]
    b, n_pages = min(r[0] for r in b_runs), b_runs[0][1]
    per_packet: list[float] = []
    total_pages = 0
    best_total = float("inf")
    for _ in range(args.repeat):
        t_all = 0.0
        for p in packets:
            t0 = time.perf_counter()
            report = check_packet(p, "fukui-iot-ai", as_of)
            dt = time.perf_counter() - t0
            per_packet.append(dt)
            t_all += dt
            total_pages += sum(f.pages for f in report.files)
        best_total = min(best_total, t_all)
    pages_per_run = total_pages // args.repeat

    print(f"packets: {len(packets)}   text-layer PDFs: {len(pdfs)}   pages: {n_pages}")
    print(f"floor A  pypdfium2 text        {1000 * a / n_pages:7.1f} ms/page")
    print(f"floor B  pdfplumber extract    {1000 * b / n_pages:7.1f} ms/page")
    ours = 1000 * best_total / max(1, pages_per_run)
    print(f"shinsa   end to end (warm)     {ours:7.1f} ms/page   "
          f"({ours / (1000 * b / n_pages):.2f}× pdfplumber, {ours / (1000 * a / n_pages):.1f}× pdfium)   target ≤ 50")
    print(f"shinsa   per packet (warm)     {1000 * statistics.median(per_packet):7.1f} ms median, "
          f"{1000 * max(per_packet):.1f} ms max")

    cmd = [str(ROOT / ".venv" / "bin" / "shinsa"), "check", str(packets[0]), "--program", "fukui-iot-ai",
           "--as-of", "2024-06-01", "--json", "/dev/null"]
    colds = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        colds.append(time.perf_counter() - t0)
    print(f"cold `shinsa check` one packet  {min(colds):6.2f} s   target < 5 s")


if __name__ == "__main__":
    main()

"""Per-stage costs on the text-layer sample pages (replaces timed unit tests: figures, not assertions).

Prints, for the same pages in one run: pdfplumber page parsing (the floor), our page building
(lines + boxes + normalisation), classification, and field extraction, in ms per page; and
normalize_chars in µs per character.

Usage: .venv/bin/python benchmarks/bench_stages.py [PACKETS_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import classify  # noqa: E402
from extractors.fields import extract_fields  # noqa: E402
from extractors.normalize import normalize_chars  # noqa: E402
from extractors.pdf import pdf_pages  # noqa: E402


def main() -> None:
    packets_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples" / "packets"
    pdfs = []
    for f in sorted(packets_dir.rglob("*.pdf")):
        try:
            with pdfplumber.open(f) as pdf:
                if pdf.pages and pdf.pages[0].chars:
                    pdfs.append(f)
        except Exception:
            continue
    t0 = time.perf_counter()
    n_pages = 0
    for f in pdfs:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.chars  # noqa: B018  (parse the page: the floor every text-layer reader pays)
                n_pages += 1
    floor = time.perf_counter() - t0

    t0 = time.perf_counter()
    pages_by_file = [pdf_pages(f, f.name) for f in pdfs]
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    spans = [s for pages in pages_by_file for s in classify.split_documents(pages)]
    cls = time.perf_counter() - t0

    t0 = time.perf_counter()
    for s in spans:
        if s.type != "unknown":
            extract_fields(s.type, s.pages)
    fields = time.perf_counter() - t0

    chars = [[(ch, (float(i), 0.0, float(i) + 9.0, 10.0)) for i, ch in enumerate(line.text)]
             for pages in pages_by_file for p in pages for line in p.lines]
    n_chars = sum(len(c) for c in chars)
    t0 = time.perf_counter()
    for c in chars:
        normalize_chars(c)
    norm = time.perf_counter() - t0

    ms = lambda t: 1000 * t / n_pages  # noqa: E731
    print(f"text-layer PDFs: {len(pdfs)}  pages: {n_pages}  documents: {len(spans)}")
    print(f"floor  pdfplumber page.chars           {ms(floor):6.1f} ms/page")
    print(f"pages  lines+boxes+normalise (incl.)   {ms(build):6.1f} ms/page  ({build / floor:.2f}× floor)")
    print(f"classify + split                       {ms(cls):6.2f} ms/page")
    print(f"fields                                 {ms(fields):6.2f} ms/page")
    print(f"normalize_chars                        {1e6 * norm / max(1, n_chars):6.2f} µs/char over {n_chars} chars")


if __name__ == "__main__":
    main()

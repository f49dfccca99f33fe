"""Scanned versions of sample packets, to test the OCR path: image-only PDFs as an office scanner makes them.

    python -m samples.scan                      # rewrite samples/scanned/packets/ and samples/scanned/expected/
    python -m samples.scan --out /tmp/x NAME    # some packets, somewhere else

Each scanned packet is built from a text packet of :mod:`samples.generate` (rendered afresh from its ground
truth, not read from the committed files): every page is rendered at 300 dpi, its ink greyed, turned by up to
±1°, given sensor noise, a slight blur, the scanner's white point, a sprinkle of dust, and saved as a grayscale
JPEG inside a PDF with no text layer. :data:`SCANS` says which packets, and how: every file scanned, some
files scanned (a mixed packet, one of its PDFs text on some pages and scanned on others), or the whole packet
scanned into one PDF. The output is deterministic except the mixed file, which PDFium assembles.

The expected file of a scanned packet is the text packet's (same documents, fields and verdict), with the
packet's name and ``why``, plus ``scan`` (how it was made) and ``truth_verdict``. Where OCR is expected to
leave a value in doubt, the expected verdict and checks say ``review`` and ``review_why`` says why.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import random
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from samples import generate

log = logging.getLogger(__name__)

DPI = 300
JPEG_QUALITY = 55
MAX_ANGLE = 1.0  # degrees

Mode = Literal["all", "mixed", "single"]


@dataclass(frozen=True)
class ScanSpec:
    """One scanned packet: its name, the text packet it scans, and how."""

    name: str
    source: str
    mode: Mode
    why: str
    text_files: tuple[str, ...] = ()  # mixed: files kept as text
    mixed_file: str | None = None  # mixed: a file whose odd pages stay text and even pages are scanned
    review: dict[str, str] = field(default_factory=dict)  # check id → why OCR leaves it in review


SCANS: tuple[ScanSpec, ...] = (
    ScanSpec("scanned-t1-eligible", "fukui-t1-eligible", "all",
             "every file of the track 1 baseline scanned (円 tables, 西暦)"),
    ScanSpec("scanned-over-limit", "fukui-over-limit", "all",
             "every file scanned; the loan amount 20,000,000 over the limit must still fail"),
    ScanSpec("mixed-t2-manufacturing", "fukui-t2-eligible-manufacturing", "mixed",
             "track 2 manufacturer: loan application, certificates and plan scanned, the rest text; "
             "the 決算書 PDF text on odd pages and scanned on even ones",
             text_files=("IMG_20240512_097706.pdf", "IMG_20240512_127709.pdf", "IMG_20240512_146730.pdf",
                         "IMG_20240512_160228.pdf"),
             mixed_file="IMG_20240512_161846.pdf"),
    ScanSpec("scanned-t2-eligible", "fukui-t2-eligible", "all",
             "every file of the track 2 baseline scanned (千円 tables, 和暦, spaced titles)"),
    ScanSpec("scanned-single-pdf", "fukui-single-pdf", "single",
             "the whole track 1 packet scanned into one PDF"),
    ScanSpec("scanned-tax-arrears", "fukui-tax-arrears", "all",
             "every file scanned; the 県税 certificate shows arrears, which must still fail"),
)


# ------------------------------------------------------------------------------------------ scanning

def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """A clean 8-bit grayscale rendering as a 300 dpi office scan of it."""
    nrng = np.random.default_rng(rng.getrandbits(32))
    paper, ink = rng.uniform(236, 244), rng.uniform(25, 45)
    a = np.asarray(page, dtype=np.float32)
    a = paper - (255.0 - a) * (paper - ink) / 255.0
    angle = rng.uniform(0.2, MAX_ANGLE) * rng.choice((-1, 1))
    img = Image.fromarray(a.clip(0, 255).astype(np.uint8)).rotate(
        angle, resample=Image.Resampling.BICUBIC, fillcolor=int(paper))
    a = np.asarray(img, dtype=np.float32) + nrng.normal(0, rng.uniform(5, 9), (img.height, img.width)).astype(
        np.float32)
    img = Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.8)))
    a = np.asarray(img, dtype=np.float32)
    white = paper - rng.uniform(12, 20)  # the scanner's white point: paper and its noise become white
    a = (a - 15.0) * 255.0 / (white - 15.0)
    for _ in range(rng.randint(10, 40)):  # dust
        y, x, r = rng.randrange(img.height), rng.randrange(img.width), rng.randint(1, 2)
        a[max(0, y - r):y + r, max(0, x - r):x + r] = rng.uniform(40, 160)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def render_pages(pdf: bytes) -> Iterator[tuple[Image.Image, tuple[float, float]]]:
    """Each page of a PDF rendered at :data:`DPI` in grayscale, with its size in points."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            size = page.get_size()
            yield page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), size
            page.close()
    finally:
        doc.close()


@contextlib.contextmanager
def _raw_jpeg() -> Iterator[None]:
    """reportlab wraps an embedded JPEG in ASCII85 unless told not to (a quarter more bytes)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def image_pdf(pages: list[tuple[Image.Image, tuple[float, float]]]) -> bytes:
    """An image-only PDF: one grayscale JPEG per page, no text layer."""
    buf = io.BytesIO()
    with _raw_jpeg():
        canvas = Canvas(buf, invariant=1, pageCompression=1)
        for img, (w, h) in pages:
            jpeg = io.BytesIO()
            img.save(jpeg, "JPEG", quality=JPEG_QUALITY, optimize=True)
            jpeg.seek(0)
            canvas.setPageSize((w, h))
            canvas.drawImage(ImageReader(jpeg), 0, 0, w, h)
            canvas.showPage()
        canvas.save()
    return buf.getvalue()


def scan_pdf(pdf: bytes, rng: random.Random) -> bytes:
    return image_pdf([(degrade(img, rng), size) for img, size in render_pages(pdf)])


def mixed_pdf(pdf: bytes, rng: random.Random) -> bytes:
    """Odd pages kept as text, even pages scanned (PDFium copies the text pages over)."""
    scanned = pdfium.PdfDocument(scan_pdf(pdf, rng))
    text = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(text)):
            out.import_pages(text if i % 2 == 0 else scanned, [i])
        buf = io.BytesIO()
        out.save(buf)
    finally:
        for doc in (out, text, scanned):
            doc.close()
    return buf.getvalue()


def single_pdf(files: dict[str, bytes], rng: random.Random) -> bytes:
    """Every PDF of a packet, in name order, scanned into one PDF."""
    pages = [(degrade(img, rng), size) for name in sorted(files) for img, size in render_pages(files[name])]
    return image_pdf(pages)


# ------------------------------------------------------------------------------------------ packets

def build(spec: ScanSpec) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The scanned packet's files and its expected result."""
    truth = next(t for t in generate.packets() if t.name == spec.source)
    files, expected = generate.build_packet(truth)
    rng = random.Random(zlib.crc32(spec.name.encode("utf-8")))
    out: dict[str, bytes] = {}
    if spec.mode == "single":
        out["scan0001.pdf"] = single_pdf(files, rng)
        expected = _single_expected(expected, files)
    else:
        for name in sorted(files):
            if spec.mode == "mixed" and name in spec.text_files:
                out[name] = files[name]
            elif spec.mode == "mixed" and name == spec.mixed_file:
                out[name] = mixed_pdf(files[name], rng)
            else:
                out[name] = scan_pdf(files[name], rng)
    return out, _expected(spec, expected)


def _single_expected(expected: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """Documents renumbered onto the pages of the one PDF."""
    offset: dict[str, int] = {}
    n = 0
    for name in sorted(files):
        offset[name] = n
        n += len(pdfium.PdfDocument(files[name]))
    docs = [{"type": d["type"], "file": "scan0001.pdf", "pages": [p + offset[d["file"]] for p in d["pages"]]}
            for d in expected["documents"]]
    return {**expected, "files": {"scan0001.pdf": "ok"}, "documents": sorted(docs, key=lambda d: d["pages"])}


def _expected(spec: ScanSpec, text_expected: dict[str, Any]) -> dict[str, Any]:
    checks = dict(text_expected["checks"])
    for check_id in spec.review:
        checks[check_id] = "review"
    verdict = generate.verdict(checks, text_expected["missing_documents"])
    out = {
        "packet": spec.name,
        "program": text_expected["program"],
        "as_of": text_expected["as_of"],
        "why": spec.why,
        "scan": {"source": spec.source, "mode": spec.mode, "dpi": DPI, "jpeg_quality": JPEG_QUALITY,
                 "max_angle": MAX_ANGLE},
        "truth_verdict": text_expected["verdict"],
        "verdict": verdict,
        "review_why": dict(spec.review),
    }
    out.update({k: v for k, v in text_expected.items() if k not in out and k != "why"})
    out["checks"] = checks
    return out


def write(spec: ScanSpec, out: Path) -> Path:
    files, expected = build(spec)
    folder = out / "packets" / spec.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    exp = out / "expected"
    exp.mkdir(parents=True, exist_ok=True)
    (exp / f"{spec.name}.json").write_text(generate.dump_expected(expected), encoding="utf-8")
    log.info("wrote %s: %d files, %d KB", spec.name, len(files), sum(map(len, files.values())) // 1024)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.scan", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "scanned",
                        help="folder that receives packets/ and expected/ (default: samples/scanned)")
    parser.add_argument("packets", nargs="*", help="scanned packet names to write (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for spec in SCANS:
        if not args.packets or spec.name in args.packets:
            write(spec, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scanned versions of sample packets, to test the OCR path: image-only PDFs as an office scanner makes them.

    python -m samples.scan                      # rewrite samples/scanned/packets/ and .../expected/
    python -m samples.scan --out /tmp/x NAME    # some packets, somewhere else

Each scanned packet is built from a text packet of :mod:`samples.generate` (rendered afresh from its ground
truth, not read from the committed files): every page is rendered at 300 dpi, its ink greyed, turned by up to
±1°, given sensor noise, a slight blur, the scanner's white point, a sprinkle of dust, and saved as a
grayscale JPEG inside a PDF with no text layer. :data:`SCANS` says which packets, and how: every file scanned,
some files scanned (a mixed packet, one of its PDFs text on some pages and scanned on others), or the whole
packet scanned into one PDF. The output is deterministic except the mixed file, which PDFium assembles.

The expected file of a scanned packet is the text packet's (same documents, fields and verdict), with the
packet's name and ``why``, plus ``scan`` (how it was made) and the text packet's ``truth_verdict``,
``truth_checks`` and ``truth_documents``. Where OCR leaves a value in doubt, the expected check says
``review`` and ``review_why`` says which value and why; where a page's title is misread so that the page is
not classified, ``documents`` says so and ``documents_why`` says why. The verdict follows from these by the
contract's rule.
``python -m samples.scan --expected-only`` rewrites the expected files alone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
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
    # file → its documents as OCR is expected to classify them (type, pages)
    documents: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = field(default_factory=dict)
    why_documents: str = ""  # why some pages are not classified as they are in truth


_DATE = ("設立年月日 on the 融資申込書: a full-width date whose page reading holds a stray glyph or a digit the "
         "digits reading does not confirm, so the date is not used as certain")
_NAME = "a company name misread by a kana, or cut at 「オー」, or read with low confidence on one document"
_PERIOD_END = "the 至 date of a scanned P/L: a digit the two readings disagree on"
_ARREARS_LINE = "the 未納税額 line of the 消費税 certificate is read with low confidence"

SCANS: tuple[ScanSpec, ...] = (
    ScanSpec("scanned-t1-eligible", "fukui-t1-eligible", "all",
             "every file of the track 1 baseline scanned (円 tables, 西暦)",
             review={"years_in_business": _DATE,
                     "loan_limit_subsidy": "補助事業に要する経費 on the notice: the two readings disagree",
                     "no_tax_arrears_consumption": _ARREARS_LINE,
                     "names_consistent": _NAME}),
    ScanSpec("scanned-over-limit", "fukui-over-limit", "all",
             "every file scanned; the loan amount 20,000,000 over the limit must still fail",
             review={"no_tax_arrears_prefectural": "the no-arrears statement of the 県税 certificate: misread",
                     "names_consistent": "the 決算書 whose balance sheet title is misread: no company name"},
             documents={"scan0032.pdf": (("unknown", (1,)), ("financial_statements", (2, 3)))}),
    ScanSpec("mixed-t2-manufacturing", "fukui-t2-eligible-manufacturing", "mixed",
             "track 2 manufacturer: loan application, certificates and plan scanned, the rest text; "
             "the 決算書 PDF text on odd pages and scanned on even ones",
             text_files=("IMG_20240512_097706.pdf", "IMG_20240512_127709.pdf", "IMG_20240512_146730.pdf",
                         "IMG_20240512_160228.pdf"),
             mixed_file="IMG_20240512_161846.pdf",
             review={"years_in_business": _DATE,
                     "plan_value_added_growth": "収支計画書: a plan number the two readings disagree on",
                     "plan_ordinary_profit_growth": "収支計画書: a plan number the two readings disagree on",
                     "loan_limit": "融資申込額 「１，２００万円」: the comma is lost in the page reading (1 and 200)",
                     "loan_term": "融資期間 「６０か月」: か read as 九, no period read",
                     "grace_period": "据置期間: its cell is misread",
                     "latest_two_periods": _PERIOD_END}),
    ScanSpec("scanned-t2-eligible", "fukui-t2-eligible", "all",
             "every file of the track 2 baseline scanned (千円 tables, 和暦, spaced titles)",
             review={"years_in_business": _DATE,
                     "loan_limit": "借入申込額 「１，２００万円」: the comma is lost in the page reading (1 and 200)",
                     "loan_term": "融資期間 shares its line with 据置期間, whose 「６」 is in doubt",
                     "grace_period": "据置期間 「６ヶ月」: read 9 by jpn and 8 by the digits model",
                     "latest_two_periods": _PERIOD_END,
                     "names_consistent": _NAME,
                     "no_tax_arrears_consumption": "the 消費税 certificate is not found (see documents_why)"},
             documents={"doc_10.pdf": (("unknown", (1,)),)},
             why_documents="the 消費税 certificate's spaced title 「納 税 証 明 書」 is read 「証明 書」: unclassified, "
                           "so the certificate is missing and the packet incomplete"),
    ScanSpec("scanned-single-pdf", "fukui-single-pdf", "single",
             "the whole track 1 packet scanned into one PDF",
             review={"years_in_business": _DATE,
                     "loan_term": "融資期間 「５年」 misread",
                     "latest_two_periods": _PERIOD_END,
                     "names_consistent": _NAME}),
    ScanSpec("scanned-tax-arrears", "fukui-tax-arrears", "all",
             "every file scanned; the 県税 certificate shows arrears, which must still fail",
             review={"years_in_business": _DATE,
                     "no_tax_arrears_consumption": _ARREARS_LINE,
                     "names_consistent": _NAME}),
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
    blur = ImageFilter.GaussianBlur(rng.uniform(0.5, 0.8))
    img = Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(blur)
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
    """The text packet's expected result, with the reviews and misread pages OCR is expected to cause."""
    checks = dict(text_expected["checks"])
    for check_id in spec.review:
        checks[check_id] = "review"
    documents = [d for d in text_expected["documents"] if d["file"] not in spec.documents]
    for name, docs in spec.documents.items():
        documents += [{"type": t, "file": name, "pages": list(pages)} for t, pages in docs]
    documents.sort(key=lambda d: (d["file"], d["pages"]))
    present = {d["type"] for d in documents}
    lost = sorted({d["type"] for d in text_expected["documents"]} - present)
    missing = sorted(set(text_expected["missing_documents"]) | set(lost))
    verdict = generate.verdict(checks, missing)
    out = {
        "packet": spec.name,
        "program": text_expected["program"],
        "as_of": text_expected["as_of"],
        "why": spec.why,
        "scan": {"source": spec.source, "mode": spec.mode, "dpi": DPI, "jpeg_quality": JPEG_QUALITY,
                 "max_angle": MAX_ANGLE},
        "truth_verdict": text_expected["verdict"],
        "verdict": verdict,
        "track": text_expected["track"],
        "missing_documents": missing,
        "review_why": dict(spec.review),
        "documents_why": spec.why_documents,
        "checks": checks,
        "truth_checks": text_expected["checks"],
        "files": text_expected["files"],
        "documents": documents,
        "truth_documents": text_expected["documents"],
        "fields": text_expected["fields"],
    }
    return out


def write(spec: ScanSpec, out: Path, expected_only: bool = False) -> Path:
    folder = out / "packets" / spec.name
    if expected_only:
        truth = next(t for t in generate.packets() if t.name == spec.source)
        files, text_expected = generate.build_packet(truth)
        if spec.mode == "single":
            text_expected = _single_expected(text_expected, files)
        expected = _expected(spec, text_expected)
    else:
        files, expected = build(spec)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    exp = out / "expected"
    exp.mkdir(parents=True, exist_ok=True)
    (exp / f"{spec.name}.json").write_text(generate.dump_expected(expected), encoding="utf-8")
    log.info("wrote %s%s", spec.name, " (expected only)" if expected_only else f": {len(files)} files")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.scan", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "scanned",
                        help="folder that receives packets/ and expected/ (default: samples/scanned)")
    parser.add_argument("--expected-only", action="store_true",
                        help="rewrite the expected files only (the scans stay as they are)")
    parser.add_argument("packets", nargs="*", help="scanned packet names to write (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for spec in SCANS:
        if not args.packets or spec.name in args.packets:
            write(spec, args.out, args.expected_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scanned versions of text packets, to measure the OCR path: image-only PDFs as an office scanner makes them.

    python -m samples.scan                               # rewrite samples/scanned/packets/ and .../expected/
    python -m samples.scan --out /tmp/x NAME             # some of :data:`SCANS`, somewhere else
    python -m samples.scan --out /tmp/x --from samples/holdout/packets/holdout-t1-eligible
                                                         # any committed text packet, every file scanned

A scanned packet is made from a text packet whose truth is known, either

* a packet of :mod:`samples.generate` (Fukui or JFC), named by its generator name and rendered afresh from its
  ground truth (not read from the committed files), or
* a folder of a committed text packet with its expected file beside it (``<set>/packets/<name>`` and
  ``<set>/expected/<name>.json``, e.g. ``samples/holdout``): read as committed.

Every page is rendered at 300 dpi, its ink greyed, turned by up to ±1°, given sensor noise, a slight blur,
the scanner's white point, a sprinkle of dust, and saved as a grayscale JPEG inside a PDF with no text layer.
:data:`SCANS` says which packets go to ``samples/scanned`` and how: every file scanned, some files scanned (a
mixed packet, one of its PDFs text on some pages and scanned on others), or the whole packet scanned into one
PDF. A file that is not a readable PDF in the text packet (a ``.docx``, a corrupt PDF) is copied as it is.
The output is deterministic (the noise is seeded by the scanned packet's name) except the mixed file, which
PDFium assembles with a fresh document id.

The expected file of a scanned packet is the **truth**: the text packet's verdict, track, checks, missing
documents, files, documents (renumbered onto the one PDF for a single-PDF scan) and fields, with the scanned
packet's name and ``why``, plus ``scan`` (how it was made: source, mode, dpi, JPEG quality, angle, and for
a folder source the sha256 of its files). What OCR may do to it (a check in ``review`` where a value is in
doubt, never a false pass) is judged by ``tests/test_scanned.py`` and measured by
``benchmarks/eval_scanned.py``.
``python -m samples.scan --expected-only`` rewrites the expected files alone.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import logging
import random
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
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

ROOT = Path(__file__).resolve().parent.parent  # the repository
SCANNED = Path(__file__).resolve().parent / "scanned"
DPI = 300
JPEG_QUALITY = 55
MAX_ANGLE = 1.0  # degrees
SINGLE_NAME = "scan0001.pdf"  # the one file of a packet scanned into one PDF

Mode = Literal["all", "mixed", "single"]


@dataclass(frozen=True)
class ScanSpec:
    """One scanned packet: its name, the text packet it scans, and how.

    ``source`` is a :mod:`samples.generate` packet name (a ``str``), or the folder of a committed text packet
    (a ``Path``, relative to the repository or absolute) whose expected file is
    ``../../expected/<name>.json``.
    """

    name: str
    source: str | Path
    mode: Mode
    why: str
    text_files: tuple[str, ...] = ()  # mixed: files kept as text
    mixed_file: str | None = None  # mixed: a file whose odd pages stay text and even pages are scanned


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
    ScanSpec("scanned-jfc-va3-eligible", "jfc-va3-eligible", "all",
             "JFC: every file of the eligible packet scanned (付加価値額 route over 3 years)"),
    ScanSpec("scanned-jfc-kokumin-over-limit", "jfc-kokumin-over-limit", "all",
             "JFC: every file scanned; the 国民生活事業 loan over its limit must still fail"),
    ScanSpec("scanned-jfc-missing-expert", "jfc-missing-expert", "all",
             "JFC: every file scanned; no evidence of IoT expert support, which must still be missing"),
    ScanSpec("scanned-jfc-single-pdf", "jfc-single-pdf", "all",
             "JFC: the eligible packet that is one PDF, scanned"),
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


# ------------------------------------------------------------------------------------------ sources

def resolve(source: str | Path) -> Path:
    """A folder source as an absolute path (a relative one is taken from the repository)."""
    path = Path(source)
    return path if path.is_absolute() else ROOT / path


def expected_path(folder: Path) -> Path:
    """The expected file of a committed text packet: ``<set>/expected/<name>.json`` by ``<set>/packets``."""
    return folder.parent.parent / "expected" / f"{folder.name}.json"


def source_packet(source: str | Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The text packet a scan is made from: its files (name → bytes) and its expected result (the truth)."""
    if isinstance(source, str):
        truth = next((t for t in generate.packets() if t.name == source), None)
        if truth is None:
            raise KeyError(f"no samples.generate packet named {source!r}")
        return generate.build_packet(truth)
    folder = resolve(source)
    exp = expected_path(folder)
    if not folder.is_dir() or not exp.is_file():
        raise FileNotFoundError(f"a folder source needs {folder} and {exp}")
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    return files, json.loads(exp.read_text(encoding="utf-8"))


def source_digest(files: dict[str, bytes], expected: dict[str, Any]) -> str:
    """sha256 over a text packet's files (names and bytes) and its expected result: changes with either."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    h.update(json.dumps(expected, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return h.hexdigest()


def _source_label(source: str | Path) -> str:
    if isinstance(source, str):
        return source
    path = resolve(source)
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _scannable(name: str, text_expected: dict[str, Any]) -> bool:
    """A readable PDF of the text packet (others — a .docx, a corrupt PDF — are copied as they are)."""
    return name.lower().endswith(".pdf") and text_expected["files"].get(name, "ok") == "ok"


# ------------------------------------------------------------------------------------------ packets

def build(spec: ScanSpec) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The scanned packet's files and its expected result (the truth)."""
    files, text_expected = source_packet(spec.source)
    rng = random.Random(zlib.crc32(spec.name.encode("utf-8")))
    out: dict[str, bytes] = {}
    if spec.mode == "single":
        out[SINGLE_NAME] = single_pdf({n: b for n, b in files.items() if _scannable(n, text_expected)}, rng)
    for name in sorted(files):
        if not _scannable(name, text_expected) or (spec.mode == "mixed" and name in spec.text_files):
            out[name] = files[name]
        elif spec.mode == "mixed" and name == spec.mixed_file:
            out[name] = mixed_pdf(files[name], rng)
        elif spec.mode != "single":
            out[name] = scan_pdf(files[name], rng)
    return out, expected_of(spec, files, text_expected)


def _single_expected(expected: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """The readable PDFs in name order became one: their documents renumbered onto its pages."""
    pdfs = sorted(n for n in files if _scannable(n, expected))
    offset: dict[str, int] = {}
    n = 0
    for name in pdfs:
        offset[name] = n
        doc = pdfium.PdfDocument(files[name])
        n += len(doc)
        doc.close()
    docs = [{"type": d["type"], "file": SINGLE_NAME, "pages": [p + offset[d["file"]] for p in d["pages"]]}
            if d["file"] in offset else d for d in expected["documents"]]
    statuses = {k: v for k, v in expected["files"].items() if k not in offset} | {SINGLE_NAME: "ok"}
    return {**expected, "files": dict(sorted(statuses.items())),
            "documents": sorted(docs, key=lambda d: (d["file"], d["pages"]))}


def expected_of(spec: ScanSpec, files: dict[str, bytes], text_expected: dict[str, Any]) -> dict[str, Any]:
    """The scanned packet's expected result: the text packet's truth, and how the scan was made."""
    scan: dict[str, Any] = {"source": _source_label(spec.source), "mode": spec.mode, "dpi": DPI,
                            "jpeg_quality": JPEG_QUALITY, "max_angle": MAX_ANGLE}
    if spec.mode == "mixed":
        scan |= {"text_files": list(spec.text_files), "mixed_file": spec.mixed_file}
    if not isinstance(spec.source, str):
        scan["source_sha256"] = source_digest(files, text_expected)
    if spec.mode == "single":
        text_expected = _single_expected(text_expected, files)
    return {
        "packet": spec.name,
        "program": text_expected["program"],
        "as_of": text_expected["as_of"],
        "why": spec.why,
        "scan": scan,
        "verdict": text_expected["verdict"],
        "track": text_expected["track"],
        "missing_documents": text_expected["missing_documents"],
        "checks": text_expected["checks"],
        "files": text_expected["files"],
        "documents": text_expected["documents"],
        "fields": text_expected["fields"],
    }


def write(spec: ScanSpec, out: Path, expected_only: bool = False) -> Path:
    """Write the scanned packet under ``out/packets/<name>`` and its expected file under ``out/expected``."""
    folder = out / "packets" / spec.name
    if expected_only:
        files, text_expected = source_packet(spec.source)
        expected = expected_of(spec, files, text_expected)
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


def folder_spec(folder: Path, mode: Mode = "all", name: str | None = None) -> ScanSpec:
    """Every file of a committed text packet scanned (or all in one PDF with ``mode="single"``)."""
    return ScanSpec(name or folder.name, folder, mode, f"{folder.name} scanned ({mode})")


def ensure(spec: ScanSpec, out: Path) -> tuple[Path, Path, bool]:
    """The scanned packet under ``out``, written unless it is there already from the same source and settings.

    Returns (packet folder, expected file, whether it was written now). Only for folder sources (a generated
    source is rebuilt to be compared, which costs as much as writing it).
    """
    folder, exp = out / "packets" / spec.name, out / "expected" / f"{spec.name}.json"
    if folder.is_dir() and exp.is_file():
        files, text_expected = source_packet(spec.source)
        want = expected_of(spec, files, text_expected)
        if json.loads(exp.read_text(encoding="utf-8")) == want:
            return folder, exp, False
    write(spec, out)
    return folder, exp, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.scan", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=SCANNED,
                        help="folder that receives packets/ and expected/ (default: samples/scanned)")
    parser.add_argument("--expected-only", action="store_true",
                        help="rewrite the expected files only (the scans stay as they are)")
    parser.add_argument("--from", dest="folders", type=Path, action="append", default=[], metavar="DIR",
                        help="a committed text packet folder (its expected file in ../../expected/) to scan, "
                             "every file; repeatable; instead of SCANS")
    parser.add_argument("--mode", choices=("all", "single"), default="all", help="with --from: how to scan")
    parser.add_argument("packets", nargs="*", help="scanned packet names of SCANS to write (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.folders:
        for folder in args.folders:
            write(folder_spec(folder.resolve(), args.mode), args.out, args.expected_only)
        return 0
    unknown = set(args.packets) - {s.name for s in SCANS}
    if unknown:
        parser.error(f"no such scanned packet: {', '.join(sorted(unknown))}")
    for spec in SCANS:
        if not args.packets or spec.name in args.packets:
            write(spec, args.out, args.expected_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

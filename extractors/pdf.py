"""Pages of a file: text-layer lines with one box per character (pdfplumber), or pages marked for OCR.

A PDF is opened once with pdfplumber; a PDF that pdfminer rejects but PDFium can open (a truncated
file, a broken cross-reference table) is rewritten by PDFium into memory and read from there.
Words come from pdfplumber's own ``WordExtractor``; words are then grouped into lines by their
vertical middle, so a table row whose label is centred a point or two off its numbers (or set in a
larger font on the same baseline) stays one line with its columns in x order. Between two words of a
line a single space is inserted whose box is the gap, so a column gap stays visible to the field
extractors (a wide space box) and ``売上高 10,000 12,000`` stays three tokens.

A page whose text layer is empty, thin over a scanned image, or mojibake (``(cid:123)``, U+FFFD,
private-use characters, Shift-JIS read as Latin-1) comes back as ``Page(source="ocr", lines=())``;
:func:`ocr_page` reads such a page by OCR (:mod:`extractors.ocr`).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils import cluster_objects, dedupe_chars
from pdfplumber.utils.text import WordExtractor
from PIL import Image, UnidentifiedImageError

from extractors.errors import UnreadableFile
from extractors.normalize import normalize_chars
from pipeline.model import BBox, Line, Page

log = logging.getLogger(__name__)

# Two characters closer than this (points) belong to one word (pdfplumber's default).
X_TOLERANCE = 3.0
# Characters whose tops differ by at most this (points) may form one word (pdfplumber's default).
Y_TOLERANCE = 3.0
# Words whose vertical middles differ by at most this (points) are one line. Middles, not tops: a
# label in a larger font, or one centred in its cell, sits off its numbers' tops but not their middle.
LINE_TOLERANCE = 3.0

MIN_TEXT_CHARS = 8  # fewer non-space characters than this: no usable text layer
THIN_TEXT_CHARS = 50  # a page mostly covered by an image with fewer characters than this is a scan
SCAN_IMAGE_COVER = 0.5  # share of the page an image must cover to make the page a scan
MAX_BAD_RATIO = 0.10  # share of (cid:n) / U+FFFD / private-use / control characters above which: mojibake
MAX_LATIN_RATIO = 0.30  # share of accented Latin characters above which: mojibake (Shift-JIS read as Latin-1)

DEFAULT_IMAGE_DPI = 300.0  # an image without a plausible resolution is taken as a 300 dpi scan

_CID = re.compile(r"\(cid:\d+\)")
_SPACE = re.compile(r"\s")
# Replacement character, private use (BMP and planes 15-16), control characters: glyphs without a meaning.
_BAD = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f]")
_WORDS = WordExtractor(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE, keep_blank_chars=False)
# What Shift-JIS bytes read as Latin-1 or cp1252 turn into: C1 controls, accented Latin letters (not the
# symbols × ÷ ° ± a Japanese form uses) and cp1252's punctuation in 0x80-0x9F (‚ „ † ‡ ‰ ‹ › • ™ ...).
_LATIN = re.compile("[\u0080-\u009f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u02c6\u02dc"
                    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


@dataclass(frozen=True, slots=True)
class PdfRead:
    """The pages of one PDF, and whether PDFium had to repair the file before it could be read."""

    pages: list[Page]
    repaired: bool = False


def pdf_pages(path: Path, name: str) -> list[Page]:
    """Every page of the PDF at ``path``, named ``name`` in pages and messages; see :func:`read_pdf`."""
    return read_pdf(path, name).pages


def read_pdf(path: Path, name: str) -> PdfRead:
    """Read a PDF's pages; raises :class:`UnreadableFile` for an encrypted or unrecoverable file."""
    with _open_pdf(path, name) as (pdf, repaired):
        pages = [_read_page(page, name, i) for i, page in enumerate(pdf.pages, start=1)]
    if not pages:
        raise UnreadableFile(name, "ページがありません (PDF has no pages)")
    return PdfRead(pages=pages, repaired=repaired)


def image_pages(path: Path, name: str) -> list[Page]:
    """One page per frame of a PNG/JPEG/TIFF, marked for OCR; size in points at the image's resolution."""
    try:
        with Image.open(path) as im:
            pages = []
            for i in range(getattr(im, "n_frames", 1)):
                im.seek(i)
                scale = 72.0 / _dpi(im)
                pages.append(Page(file=name, number=i + 1, source="ocr",
                                  width=im.width * scale, height=im.height * scale))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(name, f"画像を読み込めません (cannot read image: {type(exc).__name__})") from None
    return pages


def needs_ocr(page: Page) -> bool:
    """True for a page the text layer could not fill: the OCR stage reads it through :func:`ocr_page`."""
    return page.source == "ocr" and not page.lines


def ocr_page(path: Path, page: Page) -> tuple[Line, ...]:
    """OCR hook: the lines of ``page`` (of the PDF or image at ``path``) read by OCR; () when it cannot be.

    One page at a time; :func:`extractors.ingest.read_file` OCRs a file's pages in parallel instead.
    """
    from extractors import ocr

    try:
        with open(path, "rb") as f:
            kind: ocr.Kind = "pdf" if b"%PDF-" in f.read(1024) else "image"
    except OSError:
        return ()
    src = ocr.PageSource(path=path, kind=kind, index=page.number - 1, width=page.width, height=page.height,
                         name=page.file)
    return ocr.ocr_source(src).lines


@contextmanager
def _open_pdf(path: Path, name: str) -> Iterator[tuple[Any, bool]]:
    """Open with pdfplumber; on failure, let PDFium repair the file in memory and open that."""
    pdf = None
    repaired = False
    try:
        pdf = pdfplumber.open(path)
        if len(pdf.pages) == 0:  # the page tree is parsed here; a broken one raises or comes back empty
            raise ValueError("no pages")
    except Exception as exc:
        _close(pdf)
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableFile(name, "暗号化されたPDF (encrypted PDF, password required)") from None
        log.info("%s: pdfminer cannot parse the file (%s); trying PDFium repair", name, type(cause).__name__)
        repaired = True
        try:
            pdf = pdfplumber.open(_repair(path, name))
        except UnreadableFile:
            raise
        except Exception:
            raise UnreadableFile(name, "壊れたPDF (damaged PDF: repaired copy cannot be parsed)") from None
    try:
        yield pdf, repaired
    finally:
        _close(pdf)


def _close(pdf: Any) -> None:
    if pdf is None:
        return
    try:
        pdf.close()
    except Exception:  # closing walks the page tree, which may be what is broken
        pdf.stream.close()


def _repair(path: Path, name: str) -> io.BytesIO:
    """PDFium's reading of a damaged PDF, saved as a fresh PDF in memory."""
    from extractors.ocr import PDFIUM_LOCK  # PDFium is not thread-safe: OCR renders pages in threads

    with PDFIUM_LOCK:
        return _repair_locked(path, name)


def _repair_locked(path: Path, name: str) -> io.BytesIO:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise UnreadableFile(name, "暗号化されたPDF (encrypted PDF, password required)") from None
        raise UnreadableFile(name, "壊れたPDF (damaged PDF: cannot be parsed, not recoverable)") from None
    try:
        if len(doc) == 0:
            raise UnreadableFile(name, "壊れたPDF (damaged PDF: no readable pages)")
        buf = io.BytesIO()
        doc.save(buf)
    finally:
        doc.close()
    buf.seek(0)
    return buf


def _read_page(page: Any, name: str, number: int) -> Page:
    width, height = float(page.width), float(page.height)
    try:
        chars = page.chars
        usable = text_layer_usable(chars, page.images, width * height)
        lines = _lines(chars) if usable else ()
    except Exception as exc:  # a broken content stream: leave the page to OCR, which renders with PDFium
        log.warning("%s page %d: text layer unreadable (%s); page left for OCR",
                    name, number, type(exc).__name__)
        lines, usable = (), False
    finally:
        page.close()  # drop pdfplumber's per-page caches
    if not usable or not lines:
        return Page(file=name, number=number, source="ocr", width=width, height=height)
    return Page(file=name, number=number, source="text", width=width, height=height, lines=lines)


def text_layer_usable(chars: Sequence[dict[str, Any]], images: Sequence[dict[str, Any]],
                      area: float) -> bool:
    """Whether pdfplumber's ``chars`` are worth reading, or the page (of ``area`` square points) needs OCR.

    Unusable: fewer than :data:`MIN_TEXT_CHARS` characters; mojibake (unmapped ``(cid:n)`` glyphs,
    U+FFFD, private-use or control characters, Shift-JIS read as Latin-1/cp1252); or a thin text layer
    (a fax header, a scanner's stamp) over an image covering most of the page.
    """
    text = _CID.sub("\ufffd", "".join(c["text"] for c in chars))  # a (cid:n) token is one unmapped glyph
    n = len(text) - len(_SPACE.findall(text))
    if n < MIN_TEXT_CHARS:
        return False
    bad = len(_BAD.findall(text))
    if bad > MAX_BAD_RATIO * n or len(_LATIN.findall(text)) > MAX_LATIN_RATIO * n:
        return False
    if n < THIN_TEXT_CHARS and area > 0:
        cover = max(((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) for i in images), default=0.0)
        if cover >= SCAN_IMAGE_COVER * area:
            return False
    return True


def _lines(chars: list[dict[str, Any]]) -> tuple[Line, ...]:
    if _has_overprint(chars):  # fake bold: every glyph drawn twice, a fraction of a point apart
        chars = dedupe_chars(chars)
    upright: list[dict[str, Any]] = []
    rows: list[tuple[float, float, list[dict[str, Any]]]] = []  # (top, x0, words) of each line
    for word, word_chars in _WORDS.iter_extract_tuples(chars):
        word["chars"] = word_chars
        if word["upright"]:
            word["middle"] = (word["top"] + word["bottom"]) / 2
            upright.append(word)
        else:  # vertical text: each word its own line
            rows.append((word["top"], word["x0"], [word]))
    for cluster in cluster_objects(upright, "middle", LINE_TOLERANCE):
        cluster.sort(key=lambda w: w["x0"])
        rows.append((min(w["top"] for w in cluster), cluster[0]["x0"], cluster))
    rows.sort(key=lambda r: (r[0], r[1]))
    lines = []
    for _, _, words in rows:
        text, boxes = normalize_chars(_line_chars(words))
        if text.strip():
            lines.append(Line(text=text, boxes=boxes))
    return tuple(lines)


def _line_chars(words: list[dict[str, Any]]) -> list[tuple[str, BBox]]:
    """The characters of a line's words in order, a space between words whose box is the gap."""
    out: list[tuple[str, BBox]] = []
    prev: dict[str, Any] | None = None
    for word in words:
        if prev is not None:
            x0 = prev["x1"]
            out.append((" ", (x0, min(prev["top"], word["top"]), max(x0, word["x0"]),
                              max(prev["bottom"], word["bottom"]))))
        for c in word["chars"]:
            text = c["text"]
            if len(text) > 1:  # a ligature (normalize_chars shares the box out) or an unmapped (cid:n) glyph
                text = _CID.sub("\ufffd", text)
            out.append((text, (c["x0"], c["top"], c["x1"], c["bottom"])))
        prev = word
    return out


def _has_overprint(chars: list[dict[str, Any]]) -> bool:
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen and not c["text"].isspace():
            return True
        seen.add(key)
    return False


def _dpi(im: Image.Image) -> float:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 50.0 <= value <= 2400.0 else DEFAULT_IMAGE_DPI

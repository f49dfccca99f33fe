"""OCR of the pages a text layer could not fill: Tesseract ``jpn`` over rendered, cleaned page images.

One page goes through these steps (:func:`ocr_pages` runs pages in parallel, one Tesseract per core):

1. **Image.** A PDF page is rendered with PDFium at :data:`DPI` (grayscale); an image file's frame is read
   with Pillow (EXIF rotation applied) and brought down to about :data:`DPI` when it is finer. A page larger
   than :data:`MAX_PIXELS` is a reported problem, never decoded whole.
2. **Cache.** The sha256 of the page image (and of this module's settings) names a cache entry under
   ``$SHINSA_CACHE_DIR`` (default ``~/.cache/shinsa/ocr``): a re-run reads the lines from there.
3. **Cleaning.** Shaded cells (a form's grey label column) have their background brought to the paper's level
   (:func:`unshade`; a page with none is left alone). Ink is cut from paper at Otsu's threshold, raised towards
   the paper on a blurred scan (whose thin Mincho strokes are lighter than Otsu's cut); a page with no ink is blank (a reported problem, no OCR);
   the skew is measured on a reduced image by projection profiles and undone; isolated specks (dust) go; a
   form's or table's ruled lines go (runs of ink :data:`RULE_LENGTH` points long, found by OpenCV's opening
   with a line): they split a row's words into pieces and make Tesseract drop spaced full-width numbers.
   The result is sent to Tesseract as one bit per pixel, which skips Tesseract's own thresholding.
4. **Orientation.** A page read with a mean word confidence below :data:`LOW_PAGE_CONF` is asked for its
   orientation (``--psm 0 -l osd``) and read again turned upright when Tesseract is sure enough; the boxes
   are given on the page as it was.
5. **Reading.** Tesseract ``-l jpn --psm 11 -c hocr_char_boxes=1`` over the part of the page that holds ink
   (:func:`read_page`), through tesserocr (one engine per thread,
   kept; the ``tesseract`` command when tesserocr is missing; pages in worker processes when there are several
   cores and pages, see :func:`ocr_pages`), one core each
   (``OMP_THREAD_LIMIT=1``) with a time limit (:data:`PAGE_TIMEOUT` per page). Sparse-text mode reads a form's
   or table's cells where the page layout mode drops whole regions of a form; the lines are rebuilt here
   (step 7). hOCR rather than TSV for its character boxes: Tesseract's jpn word boxes are loose (a word's box
   may run over the next words); its character boxes are good but for the last one of a word, which is
   clipped at what follows.
6. **Rows read again.** Ink no word of the page's reading covers, in bands as tall as the text, is read as one
   line each (:func:`read_unread`: Tesseract 5.5 drops some rows of heavy print as noise). Every row that holds
   a digit, and every short row (a title, a label, a name) read with a mean confidence below
   :data:`REREAD_CONF`, is cut out (ruled lines gone) and read again as one line (``--psm 7``); that reading
   replaces the page's when it keeps the row's characters. The sparse page reading breaks spaced full-width
   numbers (「１，２００万円」 → 「1」 「200万円」); the line reading reads them whole. When the two readings'
   digits differ, the row's numbers stand only with the digits model's agreement (at most :data:`MAJORITY`).
7. **Numbers, read twice.** Every word that is a number (``1,234``, ``▲5,000``, ``2024``, ``60``; not the
   ``5`` of 「5番」 or 「第5号」) is cut out of the grey page at its character boxes, all of a page's numbers
   stacked one per row on a strip, and the strip read again by the ``eng`` model with a digits whitelist
   (``--psm 6``; character boxes tell which crop each digit came from). The ``jpn`` model often reads the
   comma of an amount as a period; the ``eng`` model rarely does, and being another model its errors are not
   the first one's. When both readings give the same digits (and the same minus sign) the number stands, with
   the second reading's commas, at :data:`AGREED` confidence or better. When they differ, or the second saw
   nothing, the digits model reads the crops in doubt again, enlarged twice: if that agrees with the page's
   reading the number stands at :data:`MAJORITY`; otherwise its confidence drops to at most :data:`DISAGREED`
   (:data:`UNVERIFIED` when neither crop reading saw a digit). Only the other model's agreement counts:
   ``jpn`` reading the crop again makes the page's mistakes again (a 6 read as 9 twice). Capped at
   :data:`DOUBTFUL`: a number still holding a ``.`` before a group of three digits; one opening with a ``4``
   whose glyph is wider than a digit on a page or line where ``▲``/``△`` is likely (``▲`` read as ``4``
   turns a loss into a profit); two numbers side by side with ink between them that the page's reading
   dropped (「１，２００万円」 read as 「1」 「200万円」: each part is true, the value read would be 1).
   **Kanji amounts, read twice.** An amount in kanji numerals (「金参百参拾万円」) is cut out the same way and
   read by the Japanese script model (``-l Japanese``, numerals only): the same numerals raise its words to
   :data:`KANJI_AGREED`; others drop them to at most :data:`DISAGREED`.
8. **Lines.** Tesseract's lines whose vertical middles are within :data:`LINE_TOLERANCE` points are one line
   (a table row whose label and numbers Tesseract put in different blocks), words in x order, a space between
   two words only where there is a gap; :func:`extractors.normalize.normalize_chars` then removes the spaces
   between Japanese characters, exactly as for a text layer.

A line's confidence is the **lowest** confidence of its number words when it has any, else the **mean** of
its words' confidences. Lowest for numbers, because one wrong digit makes a wrong value and a check may use
any number of the line; mean for text, because a wrong character in a label makes the label not match
(a missing field, so review) rather than a wrong value, and a single low-confidence kana would otherwise
send every field of the line to review.

Nothing here raises for a bad page: :class:`OcrResult` carries the lines, or a ``problem`` (a short
message naming the page and what went wrong, never the text read) that the caller reports.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Literal

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from extractors.normalize import KANJI_NUMERALS, normalize_chars

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract; pages run in parallel instead
cv2.setNumThreads(1)  # and one for OpenCV: its threads on a page cost a third more CPU than they save in time
try:  # Tesseract's C++ API in this process: no process or model load per call (see tesseract())
    import tesserocr as _tesserocr
except ImportError:  # pragma: no cover - the command is used instead
    _tesserocr = None
from pipeline.model import BBox, Line

log = logging.getLogger(__name__)

VERSION = "19"  # part of the cache key: bump when a change here changes what a page reads as

DPI = 300
LANG = "jpn"
PSM = "11"  # sparse text: forms and tables read cell by cell; lines are rebuilt here (build_lines)
DIGITS_LANG = "eng"
DIGITS_WHITELIST = "0123456789,.-"
TESSERACT = "tesseract"

PAGE_TIMEOUT = 60.0  # seconds for one page, all Tesseract runs included (SHINSA_OCR_TIMEOUT)
MAX_PIXELS = 100_000_000  # a page image larger than this is not decoded (a 20,000 × 20,000 scan)
MIN_SCALE_DPI = 100  # a PDF page so large that it fits MAX_PIXELS only below this resolution is refused
MIN_INK = 300  # pixels of ink (specks aside) below which a page is blank: less than a character
MAX_CHAR_WIDTH = 1.5  # × its height: a character's box wider than this took in what follows it
MAX_SKEW = 5.0  # degrees searched when measuring the skew
MIN_SKEW = 0.15  # a skew smaller than this (degrees) is left alone
CUT_SHIFT = 0.7  # on a blurred scan, the ink threshold is this far from Otsu's towards the paper's level
LOW_PAGE_CONF = 0.55  # mean word confidence below which the page's orientation is questioned
MIN_OSD_CONF = 2.0  # Tesseract's orientation confidence needed to turn a page

GLYPH_MAX = 3.0  # × RULE_LENGTH: a shape larger than this either way is no character (a table, a frame)
GLYPH_RULE_SHARE = 0.6  # a shape with less than this share of its ink in line runs is a character, not a rule
GLYPH_INNER = 0.3  # ... and so is one with this share of its ink inside its box's edges (a frame has none)
RULE_LENGTH = 20.0  # points: a run of ink this long is a ruled line (a character is at most about 14 points)
LINE_TOLERANCE = 3.0  # points: Tesseract lines whose middles are this close are one line
SPACE_GAP = 0.4  # a gap between two words wider than this × the line's height is a space
JAPANESE_GAP = 1.0  # the same between two Japanese characters (a column gap is an em or more)
DIGIT_WIDTH = 0.8  # a digit's width at most, × its height (Tesseract's box may hold more than its text)
SLIVER = 0.35  # × a digit's height: at most this much of a glyph cut by a crop's edge is taken in
NARROW_GLYPH = 0.95  # a first glyph narrower than this × the word's height is a digit, not 「▲」
DIGIT_GAP = 0.9  # the same between two digits, × the digits' height (see _spaced)

KANJI_LANG = "Japanese"  # Tesseract's Japanese script model (tesseract-ocr-script-jpan): another network than jpn
KANJI_AGREED = 0.9  # confidence of an amount in kanji numerals both models read alike (at least)
AGREED = 0.97  # confidence of a number both readings agree on (at least)
DISAGREED = 0.5  # at most, for a number the two readings disagree on
MAJORITY = 0.9  # a number two readings of three agree on
UNVERIFIED = 0.75  # at most, for a number the second reading did not see
SHORT_NUMBER = 4  # digits: a number this short whose strip readings did not confirm it is read again alone
DOUBTFUL = 0.6  # at most, for a number that looks like a known confusion (4 for ▲, . for ,)

Kind = Literal["pdf", "image"]

_NUMBER_WORD = re.compile(r"[▲△\-(¥\\]?\d[\d,.]*\)?")
_SEPARATED = re.compile(r"\d+(?:[.,]+\d+)*[.,]*")  # digits and separators, read well or not ("1.234,.")
_COMMA_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*,|\d{1,3}(?:,\d{3})+")  # grouped by commas (a part: "10,")
_DOT_IN_AMOUNT = re.compile(r"\d[,.]*\.[,.]*\d{3}|\d[,.]{2,}")  # 「1.234」, 「3,.000」, 「3,,000」, 「3,.」
_CIRCLED = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
_REFERENCE_AFTER = re.compile(r"[番号丁条項]|地割")
_NEGATIVE_LIKELY = re.compile(r"[▲△]|損失|損益|純損|差引|増減|利益")
_DIGITS_ONLY = re.compile(r"\D")
_HOCR_ITEM = re.compile(
    r"<span class='(ocr_line|ocr_header|ocr_textfloat|ocr_caption|ocrx_word|ocrx_cinfo)'[^>]*?"
    r"title=[\"']([^\"']*)[\"'][^>]*>([^<]*)")
_HOCR_NUMS = re.compile(r"(?:bbox|x_bboxes) (-?\d+) (-?\d+) (-?\d+) (-?\d+)(?:.*?x_wconf (-?[\d.]+))?")
_CHAR_BOX = re.compile(r"x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf ([\d.]+)'>([^<]*)</span>")


class OcrFailure(Exception):
    """A page that could not be OCR'd; ``reason`` is the message reported for the file (no page text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PageSource:
    """Where a page's image is: page ``index`` (0-based) of a PDF, or frame ``index`` of an image file.

    ``width`` and ``height`` are the page's size in points (the ``Page``'s), the unit of every box.
    """

    path: Path
    kind: Kind
    index: int
    width: float
    height: float
    name: str = ""

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The lines read on one page, or the problem that stopped it (then ``lines`` is empty)."""

    lines: tuple[Line, ...] = ()
    problem: str | None = None
    cached: bool = False
    seconds: float = 0.0


@dataclass(slots=True)
class _Word:
    text: str
    box: tuple[int, int, int, int]  # pixels: left, top, right, bottom (upright image)
    conf: float  # 0..1
    line_key: int
    chars: list[tuple[int, int, int, int]] = field(default_factory=list)  # one box per character of text
    number: bool = False
    disputed: bool = False  # read again with its row, whose digits differ from the page's (reread_rows)

    def char_boxes(self) -> list[tuple[float, float, float, float]]:
        """One box per character: Tesseract's, or the word's box shared evenly when they do not match."""
        if len(self.chars) == len(self.text):
            return [tuple(map(float, b)) for b in self.chars]  # type: ignore[misc]
        x0, y0, x1, y1 = self.box
        step = (x1 - x0) / max(1, len(self.text))
        return [(x0 + i * step, y0, x0 + (i + 1) * step, y1) for i in range(len(self.text))]


@dataclass(slots=True)
class _Prepared:
    image: Image.Image  # cleaned, upright, deskewed; what Tesseract reads
    angle: float  # degrees the original was turned (counter-clockwise, as PIL's rotate) to make ``image``
    size: tuple[int, int]  # the size in pixels of the image cleaned (the page, turned upright if it was)
    px_per_pt: float
    turn: int = 0  # degrees the page was turned clockwise to be upright before cleaning
    gray: Image.Image | None = None  # the grey page, turned and deskewed as ``image`` (crops for numbers)
    shapes: tuple[np.ndarray, np.ndarray] | None = None  # connected shapes of the ink before rules went (labels, stats)
    # the part of the page that holds ink (left, top, right, bottom): ``shapes`` are those of this part, in its
    # own pixels; outside it the cleaned page is blank
    inked: tuple[int, int, int, int] | None = None
    ink: np.ndarray | None = None  # ``image``'s ink (True) as an array, kept: the page's pixels are looked at again


def _ink(prep: _Prepared) -> np.ndarray:
    return prep.ink if prep.ink is not None else np.asarray(prep.image) < 128


# ----------------------------------------------------------------------------------------------- API

def ocr_pages(sources: Sequence[PageSource], workers: int | None = None) -> list[OcrResult]:
    """OCR every page in ``sources``, in parallel (one Tesseract per worker); results in the same order."""
    if not sources:
        return []
    n = min(workers or worker_count(), len(sources))
    if n <= 1:
        return [ocr_source(s) for s in sources]
    if _processes_allowed():
        env = {k: os.environ[k] for k in _WORKER_ENV if k in os.environ}
        try:
            return list(_process_pool(n).map(_ocr_in_worker, sources, [env] * len(sources)))
        except (BrokenProcessPool, OSError, RuntimeError) as exc:  # a worker died (killed, out of memory), or
            # processes cannot be started here: the pages are read in threads instead
            log.warning("OCR worker processes unavailable (%s): pages read in threads", type(exc).__name__)
            _reset_pool()
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="ocr") as pool:
        return list(pool.map(ocr_source, sources))


# Pages in worker processes: the page reading's own Python (parsing, lines, numbers) holds the GIL, so two
# threads read 1.7× as fast as one and two processes 1.9× (benchmarks/bench_ocr.py). The pool is kept for
# the life of the process. SHINSA_OCR_PROCESSES=0 (set in batch workers, which have their share of the cores
# already) or a daemonic process uses threads. The settings a page is read with go along with every page: a worker
# keeps the environment it was started with.
_WORKER_ENV = ("SHINSA_CACHE_DIR", "SHINSA_OCR_TIMEOUT", "XDG_CACHE_HOME", "HOME")
_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0
_POOL_LOCK = threading.Lock()


def _processes_allowed() -> bool:
    import multiprocessing

    return os.environ.get("SHINSA_OCR_PROCESSES", "1") != "0" and not multiprocessing.current_process().daemon


def _process_pool(n: int) -> ProcessPoolExecutor:
    import multiprocessing

    global _POOL, _POOL_SIZE
    with _POOL_LOCK:
        if _POOL is None or _POOL_SIZE != n:
            if _POOL is not None:
                _POOL.shutdown(wait=False, cancel_futures=True)
            if "forkserver" in multiprocessing.get_all_start_methods():  # never fork a process running threads
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["extractors.ocr"])
            else:
                context = multiprocessing.get_context("spawn")
            _POOL = ProcessPoolExecutor(max_workers=n, mp_context=context, initializer=_start_ocr_worker)
            _POOL_SIZE = n
        return _POOL


def _reset_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


def _start_ocr_worker() -> None:
    """In an OCR worker: no logging of its own (the caller reports every page's problem; Python's last-resort
    handler would print warnings on the terminal), one core per Tesseract."""
    logging.getLogger().addHandler(logging.NullHandler())
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _ocr_in_worker(src: PageSource, env: dict[str, str]) -> OcrResult:
    for key in _WORKER_ENV:
        if key in env:
            os.environ[key] = env[key]
        else:
            os.environ.pop(key, None)
    return ocr_source(src)


def worker_count() -> int:
    """``$SHINSA_OCR_WORKERS``, else the cores this process may use."""
    env = os.environ.get("SHINSA_OCR_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ocr_source(src: PageSource) -> OcrResult:
    """OCR one page; never raises: a failure is an :class:`OcrResult` with its ``problem``."""
    t0 = time.perf_counter()
    deadline = t0 + page_timeout()
    try:
        gray, px_per_pt = load_image(src)
        key = cache_key(gray, src)
        cached = cache_get(key)
        if cached is not None:
            return OcrResult(lines=cached, cached=True, seconds=time.perf_counter() - t0)
        lines = read_image(gray, px_per_pt, deadline)
        cache_put(key, lines)
        log.info("%s page %d: %d lines by OCR in %.2f s", src.name, src.number, len(lines),
                 time.perf_counter() - t0)
        return OcrResult(lines=lines, seconds=time.perf_counter() - t0)
    except OcrFailure as exc:
        log.warning("%s page %d: %s", src.name, src.number, exc.reason)
        return OcrResult(problem=f"{src.number}ページ目: {exc.reason}", seconds=time.perf_counter() - t0)
    except Exception as exc:  # a bug or a library error: the page is a problem, the packet goes on
        log.warning("%s page %d: OCR failed (%s)", src.name, src.number, type(exc).__name__)
        return OcrResult(problem=f"{src.number}ページ目: OCRに失敗しました (OCR failed: {type(exc).__name__})",
                         seconds=time.perf_counter() - t0)


def page_timeout() -> float:
    env = os.environ.get("SHINSA_OCR_TIMEOUT", "")
    try:
        value = float(env) if env else PAGE_TIMEOUT
    except ValueError:
        value = PAGE_TIMEOUT
    return value if value > 0 else PAGE_TIMEOUT


# ------------------------------------------------------------------------------------------ images

# PDFium is not thread-safe, even across documents: every call into it holds this lock.
PDFIUM_LOCK = threading.RLock()


def load_image(src: PageSource) -> tuple[Image.Image, float]:
    """The page as an 8-bit grayscale image near :data:`DPI`, and its pixels per point."""
    if src.kind == "pdf":
        return _render_pdf_page(src)
    return _read_image_frame(src)


def _render_pdf_page(src: PageSource) -> tuple[Image.Image, float]:
    scale = DPI / 72.0
    area = max(src.width, 1.0) * max(src.height, 1.0)
    if area * scale * scale > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / area)
        if scale * 72.0 < MIN_SCALE_DPI:
            raise OcrFailure(f"ページが大きすぎます (page of {src.width:.0f} × {src.height:.0f} points is too large "
                             f"to OCR at {MIN_SCALE_DPI} dpi within {MAX_PIXELS} pixels)")
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(src.path)
        try:
            page = doc[src.index]
            try:
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil().convert("L")  # a copy that owns its pixels
                width_pt = page.get_width()
            finally:
                page.close()
        finally:
            doc.close()
    return image, image.width / max(width_pt, 1.0)


def _read_image_frame(src: PageSource) -> tuple[Image.Image, float]:
    with Image.open(src.path) as im:
        im.seek(src.index)
        if im.width * im.height > MAX_PIXELS:
            raise OcrFailure(f"画像が大きすぎます (image of {im.width} × {im.height} pixels; "
                             f"the limit is {MAX_PIXELS} pixels)")
        target = max(src.width, 1.0) * DPI / 72.0  # the frame's width in pixels at DPI
        if im.format == "JPEG" and im.width > 1.5 * target:
            im.draft("L", (int(target), int(im.height * target / im.width)))  # DCT scaling: decode less
        frame = ImageOps.exif_transpose(im) if src.index == 0 else im.copy()
        if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
            rgba = frame.convert("RGBA")
            frame = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            frame.alpha_composite(rgba)
        gray = frame.convert("L")
    if gray.width > 1.5 * target:
        factor = max(1, int(gray.width // target))
        gray = gray.reduce(factor) if factor > 1 else gray
    # points are the Page's: the frame's size at its resolution (pdf.image_pages)
    return gray, gray.width / max(src.width, 1.0)


# ------------------------------------------------------------------------------------------- cache

def cache_dir() -> Path:
    env = os.environ.get("SHINSA_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "shinsa" / "ocr"


def cache_key(image: Image.Image, src: PageSource) -> str:
    h = hashlib.sha256()
    h.update(f"{VERSION}|{LANG}|{DIGITS_LANG}|{DPI}|{image.mode}|{image.width}x{image.height}|"
             f"{src.width:.2f}x{src.height:.2f}|".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def cache_get(key: str) -> tuple[Line, ...] | None:
    path = cache_dir() / key[:2] / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Line(text=t, boxes=tuple(tuple(b) for b in boxes), confidence=c,  # type: ignore[misc]
                          char_confidence=tuple(cc)) for t, c, boxes, cc in data["lines"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("OCR cache entry %s unreadable (%s): read again", key[:12], type(exc).__name__)
        return None


def cache_put(key: str, lines: tuple[Line, ...]) -> None:
    folder = cache_dir() / key[:2]
    data = {"version": VERSION,
            "lines": [[ln.text, ln.confidence, [list(b) for b in ln.boxes], list(ln.char_confidence)]
                      for ln in lines]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, folder / f"{key}.json")
    except OSError as exc:
        log.info("OCR cache not written (%s)", type(exc).__name__)


# ---------------------------------------------------------------------------------------- cleaning

def otsu(hist: np.ndarray) -> int:
    """Otsu's threshold of a 256-bin histogram: pixels ``< t`` are ink."""
    hist = hist.astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mt = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 - m0 * total) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between)) + 1


def skew_angle(ink: np.ndarray, max_angle: float = MAX_SKEW) -> float:
    """The skew of text lines in a boolean ink image, in degrees (positive: lines rise to the right).

    Projection profiles: the ink's row histogram is sharpest when the rows are sheared by the true angle.
    Coarse steps of 0.5°, then 0.05° around the best.
    """
    ys, xs = np.nonzero(ink)
    if len(ys) < 50:
        return 0.0
    if len(ys) > 200_000:  # enough for the profile; keeps this a few ms
        pick = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs.astype(np.float64) - ink.shape[1] / 2
    ys = ys.astype(np.float64)

    def score(angle: float) -> float:
        rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        return float(np.dot(counts, counts))

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    return float(max(fine, key=score))


def erase_specks(ink: np.ndarray, cell: int = 4, max_ink: int = 20) -> np.ndarray:
    """``ink`` without specks: at most ``max_ink`` pixels of ink with no other ink within two ``cell``s.

    Dust on the glass and toner dots, found on a grid of ``cell``-pixel squares (fast on a whole page): a
    cell with ink whose 3 × 3 cells hold all the ink of its 7 × 7 cells, and little of it. A comma or a
    decimal point is as small but sits next to its digits; a 「・」 holds more ink than a speck.
    """
    h, w = (ink.shape[0] // cell) * cell, (ink.shape[1] // cell) * cell
    # the ink of each cell: OpenCV's area resize averages over whole cells (3× numpy's reshape-sum); ink worth
    # cell² a pixel averages to its count exactly
    counts = cv2.resize(ink[:h, :w].view(np.uint8) * np.uint8(cell * cell), (w // cell, h // cell),
                        interpolation=cv2.INTER_AREA).astype(np.int32)
    padded = np.pad(counts, 3)
    sat = np.zeros((padded.shape[0] + 1, padded.shape[1] + 1), dtype=np.int32)
    np.cumsum(np.cumsum(padded, axis=0), axis=1, out=sat[1:, 1:])
    ch, cw = counts.shape

    def box(r: int) -> np.ndarray:  # ink in the (2r + 1)² cells around each cell
        a, b = 3 - r, 3 + r + 1
        return (sat[b:b + ch, b:b + cw] - sat[a:a + ch, b:b + cw]
                - sat[b:b + ch, a:a + cw] + sat[a:a + ch, a:a + cw])

    near = box(1)
    speck = (counts > 0) & (near == box(3)) & (near <= max_ink)
    if not speck.any():
        return ink
    grown = speck.copy()  # the speck's own 3 × 3 cells
    grown[1:] |= speck[:-1]
    grown[:-1] |= speck[1:]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    gy, gx = np.nonzero(grown)  # few cells: their pixels are cleared one offset at a time, not a page-sized mask
    out = ink.copy()
    for dy in range(cell):
        for dx in range(cell):
            out[gy * cell + dy, gx * cell + dx] = False
    return out


def connected_shapes(u8: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The 8-connected shapes of a 0/1 image: their count, labels and OpenCV's stats. Labels are 16-bit while
    the shapes are fewer than 65,536 (a page holds a few thousand): a third of the time of 32-bit labels, which
    a page of noise falls back to (OpenCV refuses a label type that would overflow)."""
    try:
        count, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(u8, 8, cv2.CV_16U, cv2.CCL_DEFAULT)
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(u8, connectivity=8)
    return count, labels, stats


def rule_mask(ink: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ruled lines of a form or table: horizontal and vertical runs of ink at least ``length`` pixels
    long (a morphological opening by a line), grown by a pixel so that their rough edges go too; and the
    connected shapes of ``ink`` they were judged with (labels, OpenCV's stats), which check boxes reuse."""
    u8 = ink.view(np.uint8)
    hor = cv2.morphologyEx(u8, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    ver = cv2.morphologyEx(u8, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    lines = cv2.dilate(hor | ver, np.ones((3, 3), np.uint8))
    count, labels, stats = connected_shapes(u8)
    if not lines.any():
        return lines.view(bool), labels, stats
    # A large character's long stroke (the bars of 「書」 in a 28-point 「決 算 報 告 書」) is as long as a short
    # rule: a shape no larger than a glyph whose ink is mostly not in line runs is a character; it stays.
    in_lines = np.bincount(labels[(lines > 0) & (u8 > 0)], minlength=count)
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    glyph = (w <= GLYPH_MAX * length) & (h <= GLYPH_MAX * length) & (w >= length // 2) & (h >= length // 2) \
        & (in_lines > 0)
    glyph[0] = False
    for i in np.flatnonzero(glyph & (in_lines >= GLYPH_RULE_SHARE * area)):
        # all in long runs: a frame (its runs on its edges) or a glyph of long strokes (「井」: across its middle)
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        own = labels[y:y + bh, x:x + bw] == i
        by, bx = max(1, int(0.15 * bh)), max(1, int(0.15 * bw))
        inner = own[by:bh - by, bx:bw - bx].sum()
        glyph[i] = inner >= GLYPH_INNER * own.sum()
    for i in np.flatnonzero(glyph):  # few: glyphs larger than half a rule's length, with long strokes
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        y0, x0 = max(0, y - 1), max(0, x - 1)
        own = cv2.dilate((labels[y0:y + bh + 1, x0:x + bw + 1] == i).view(np.uint8), np.ones((3, 3), np.uint8))
        lines[y0:y + bh + 1, x0:x + bw + 1][own > 0] = 0
    return lines.view(bool), labels, stats


def cut_shift(small: np.ndarray, threshold: int, paper: float) -> float:
    """How far above Otsu's threshold to cut ink from paper: 0 for a sharp page, up to :data:`CUT_SHIFT` for
    a blurred scan, whose thin strokes (a Mincho's horizontals) are lighter than Otsu's cut and would break.
    Blur is the share of mid-grey pixels to ink: about 0.2 for a clean rendering, 0.4 and up for a scan."""
    ink = int((small < threshold).sum())
    if ink == 0:
        return 0.0
    mid = int(((small >= threshold) & (small < paper - 0.3 * (paper - threshold))).sum())
    return CUT_SHIFT * min(1.0, max(0.0, (mid / ink - 0.2) / 0.25))


SHADE_DEPTH = 12  # grey levels: background this much darker than the paper is a shaded cell (a form's label column)
SHADE_MAX = 90  # ... and at most this much (darker is a filled bar or a photo, left as it is)
SHADE_SHARE = 0.01  # share of the page shaded below which nothing is changed


def unshade(a: np.ndarray) -> np.ndarray:
    """The grey page with its shaded cells' background brought to the paper's level (the ink in them scaled
    alike), for one threshold to cut ink from paper and from shading: a form's grey label column, noisy on a
    scan, otherwise reads as specks around bold labels (「代役 代表取締役」, 「ーー0。抽時「陣福井県…」). The background
    is the page reduced four times, smoothed, and closed over about 16 points (wider than a character); a page
    with no shading is returned as it is."""
    small = np.ascontiguousarray(a[::4, ::4])
    paper = float(np.median(small))
    # a closing (the lightest level around, then the darkest of those) takes the characters away and keeps the
    # shading's edges where they are; the blur first takes the noise's peaks away
    bg = cv2.morphologyEx(cv2.blur(small, (5, 5)), cv2.MORPH_CLOSE, np.ones((17, 17), np.uint8))
    shaded = (bg < paper - SHADE_DEPTH) & (bg > paper - SHADE_MAX)
    if float(shaded.mean()) < SHADE_SHARE:
        return a
    white = np.uint8(min(255, round(paper)))
    big = cv2.resize(np.where(shaded, bg, white), (a.shape[1], a.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(a, big, scale=float(white))  # exactly ``a`` where there is no shading


def prepare(gray: Image.Image, px_per_pt: float, turn: int = 0) -> _Prepared:
    """Shading, threshold, blank test, deskew and rule removal: the image Tesseract reads."""
    a = np.asarray(gray)
    flat = unshade(a)
    if flat is not a:
        gray, a = Image.fromarray(flat), flat
    small = a[::4, ::4]
    threshold = otsu(np.bincount(small.ravel(), minlength=256))
    if float(small.max()) - float(small.min()) < 48:
        raise OcrFailure("空白ページ (blank page: no text to read)")
    paper = float(np.median(small))
    if paper < threshold:
        raise OcrFailure("文字のないページ (page is mostly dark: no text to read)")
    skew = skew_angle(a[::2, ::2] < threshold)
    cut = threshold + cut_shift(small, threshold, paper) * (paper - threshold)
    applied = 0.0
    upright = gray
    if abs(skew) >= MIN_SKEW:
        applied = -skew  # PIL turns counter-clockwise; a page rising to the right is turned back clockwise
        upright = gray.rotate(applied, resample=Image.Resampling.NEAREST, fillcolor=255)
    # cut after turning: nearest-pixel turning and a threshold commute, and the grey page is turned anyway
    ink = erase_specks(np.asarray(upright) < cut)
    inked = ink_box(ink)
    if inked is None:
        raise OcrFailure("空白ページ (blank page: no text to read)")
    x0, y0, x1, y1 = inked
    part = ink[y0:y1, x0:x1]  # a view: the rules go from ``ink`` too
    rules, labels, stats = rule_mask(part, max(40, int(RULE_LENGTH * px_per_pt)))
    part &= ~rules
    if int(part.sum()) < MIN_INK:
        raise OcrFailure("空白ページ (blank page: no text to read)")
    clean = Image.fromarray((~ink).view(np.uint8) * np.uint8(255), mode="L")
    return _Prepared(image=clean, angle=applied, size=gray.size, px_per_pt=px_per_pt, turn=turn, gray=upright,
                     shapes=(labels, stats), inked=inked, ink=ink)


INKED_MARGIN = 32  # pixels of paper kept around the page's ink (a multiple of erase_specks' cell)
READ_MARGIN = 128  # ... and around what the page's reading is given (32: a tick list's 「■設備資金」 lost its 「設」)


def ink_box(ink: np.ndarray, margin: int = INKED_MARGIN) -> tuple[int, int, int, int] | None:
    """The part of the page that holds ink, with ``margin`` pixels of paper around it, its corner on a multiple of
    four pixels; None for no ink. A scan's margins are a third of its pixels or more: the page's shapes and rules
    are found in this part only (the same shapes: nothing lies outside it)."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    x0, y0 = max(0, (int(cols[0]) - margin) // 4 * 4), max(0, (int(rows[0]) - margin) // 4 * 4)
    return x0, y0, min(ink.shape[1], int(cols[-1]) + 1 + margin), min(ink.shape[0], int(rows[-1]) + 1 + margin)


# ----------------------------------------------------------------------------------------- reading

def read_image(gray: Image.Image, px_per_pt: float, deadline: float) -> tuple[Line, ...]:
    """The lines of one page image (see the module's steps 3 to 8)."""
    prep = prepare(gray, px_per_pt)
    words = read_page(prep, deadline)
    if _mean_conf(words) < LOW_PAGE_CONF:
        turn = _orientation(prep.image, deadline)
        if turn:
            upright = prepare(gray.rotate(-turn, expand=True), px_per_pt, turn=turn)
            again = read_page(upright, deadline)
            if _mean_conf(again) > _mean_conf(words):
                log.info("page read turned by %d degrees", turn)
                prep, words = upright, again
    words = read_unread(prep, words, deadline)
    words = reread_rows(prep, words, deadline)
    words = mark_boxes(prep, words)
    second_reading(prep, words, deadline)
    kanji_second_reading(prep, words, deadline)
    return build_lines(words, prep)


def read_page(prep: _Prepared, deadline: float) -> list[_Word]:
    """The page's own reading (sparse text, :data:`PSM`), of the part of it that holds ink: Tesseract's line
    finding and layout go over every pixel it is given, and a scan's margins are a third of them or more (13 %
    less time on the sample pages; its layout of the same ink moves a little with the page's edges, so a few
    words read otherwise). The words' boxes are the page's."""
    if prep.inked is None:
        return parse_hocr(tesseract(prep.image, _MAIN_ARGS, deadline))
    grow = READ_MARGIN - INKED_MARGIN
    x0, y0 = max(0, prep.inked[0] - grow), max(0, prep.inked[1] - grow)
    x1, y1 = min(prep.image.width, prep.inked[2] + grow), min(prep.image.height, prep.inked[3] + grow)
    return _moved(parse_hocr(tesseract(prep.image.crop((x0, y0, x1, y1)), _MAIN_ARGS, deadline)), x0, y0)


# Tesseract 5.5 (tesserocr's wheel) rejects some rows of clean, heavy print as noise: 「※資金需要を証する書類を
# 添付」 vanishes from the page's reading and reads empty even cut out alone (5.3's command reads both). The
# cleaning step took the specks away already; a band of ink the page's reading left unread is read without that
# test (not the whole page: there, rows it keeps also change their words and grouping)
_UNREAD_ARGS = ["-l", LANG, "--psm", "7", "-c", "hocr_char_boxes=1", "-c", "textord_noise_rejrows=0"]
UNREAD_CONF = 0.6  # a band's reading is kept when its mean word confidence is at least this
UNREAD_SCALE = 4  # bands of unread ink are found on the page reduced this many times (a character: ~10 pixels)
MAX_UNREAD = 24  # bands read at most on one page (a photo or a seal makes many; the time stays bounded)
_UNREAD_KEY = 2_000_000  # line keys of bands read here start here


def read_unread(prep: _Prepared, words: list[_Word], deadline: float) -> list[_Word]:
    """The page's words, and those of the bands of ink none of them covers, each read as one line.

    A band is ink left once every word's box (and a margin around it) is blanked, joined along its row: as
    tall as the page's characters, at least two of them long, not a speck. Bands are found on the page reduced
    :data:`UNREAD_SCALE` times (a whole page's shapes at full size cost more than the reading of a band); each
    is read from the page with the words blanked, so that no covered character is read twice; its reading
    stands only when Tesseract is sure enough of it (:data:`UNREAD_CONF`: a seal, a signature or a photo reads
    as low-confidence junk).
    """
    if not words:
        return words
    height = median([w.box[3] - w.box[1] for w in words])
    pad, r = max(2, int(0.3 * height)), UNREAD_SCALE
    covered = [(max(0, w.box[0] - pad), max(0, w.box[1] - pad), w.box[2] + pad, w.box[3] + pad) for w in words]
    small = (np.asarray(prep.image.reduce(r)) < 250).astype(np.uint8)  # a block holding any ink
    for x0, y0, x1, y1 in covered:
        small[y0 // r:-(-y1 // r), x0 // r:-(-x1 // r)] = 0
    joined = cv2.dilate(small, np.ones((1, max(3, int(0.8 * height / r))), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    page_ink = _ink(prep)
    bands: list[tuple[int, tuple[int, int, int, int], np.ndarray]] = []
    for x, y, bw, bh, _ in (stats[1:] * r).tolist():
        if 0.5 * height <= bh <= 2 * height and bw >= 1.5 * bh + 0.8 * height:
            py, px = max(4, int(0.35 * height)), max(8, int(0.4 * height))
            box = (max(0, x - px), max(0, y - py), min(page_ink.shape[1], x + bw + px),
                   min(page_ink.shape[0], y + bh + py))
            ink = page_ink[box[1]:box[3], box[0]:box[2]].copy()
            for x0, y0, x1, y1 in covered:
                if x0 < box[2] and x1 > box[0] and y0 < box[3] and y1 > box[1]:
                    ink[max(0, y0 - box[1]):max(0, y1 - box[1]), max(0, x0 - box[0]):max(0, x1 - box[0])] = False
            area = int(ink.sum())
            if area >= 0.1 * bw * bh:
                bands.append((area, box, ink))
    out = list(words)
    for n, (_, (x0, y0, _, _), ink) in enumerate(sorted(bands, key=lambda b: b[0], reverse=True)[:MAX_UNREAD]):
        crop = Image.fromarray((~ink).view(np.uint8) * np.uint8(255), mode="L")
        again = parse_hocr(tesseract(crop, _UNREAD_ARGS, deadline))
        if _ink_chars(again) < 2 or _mean_conf(again) < UNREAD_CONF:
            continue
        out.extend(_on_page(again, x0, y0, _UNREAD_KEY + n))
    return out


def _moved(words: list[_Word], x0: int, y0: int) -> list[_Word]:
    """A crop's words moved onto the page (the crop's corner at ``x0``, ``y0``)."""
    for w in words:
        w.box = (w.box[0] + x0, w.box[1] + y0, w.box[2] + x0, w.box[3] + y0)
        w.chars = [(a + x0, b + y0, c + x0, d + y0) for a, b, c, d in w.chars]
    return words


def _on_page(words: list[_Word], x0: int, y0: int, line_key: int) -> list[_Word]:
    """A crop's words moved onto the page (the crop's corner at ``x0``, ``y0``), as one line of their own."""
    for w in _moved(words, x0, y0):
        w.line_key = line_key
    return words


_ROW_ARGS = ["-l", LANG, "--psm", "7", "-c", "hocr_char_boxes=1"]
REREAD_CONF = 0.85  # a row without numbers is read again when its words' mean confidence is below this
REREAD_CHARS = 16  # ... and it is short: a title, a label, a name (a line of prose reads better on the page)
ROW_KEEP = 0.85  # a row's own reading replaces the page's only when it holds at least this share of its characters
_ROW_KEY = 1_000_000  # line keys of rows read again start here (the page's own are below)


def reread_rows(prep: _Prepared, words: list[_Word], deadline: float) -> list[_Word]:
    """Read every row that holds a number again, alone (``--psm 7``, one line), and keep that reading.

    The page's sparse reading splits a form's rows into pieces and often breaks a spaced full-width number
    (「１，２００万円」 → 「1」 「200万円」, 「２０１０年」 → 「2010人年」); read as one line, cut out of the page
    without its ruled lines, the same row reads whole. The row's reading replaces the page's words when it
    holds digits; when the two readings' digits differ, the row's numbers are marked ``disputed``, so that a
    number stands only if the digits model agrees with it (:func:`second_reading`).
    """
    rows = _rows(words, prep)
    out: list[_Word] = []
    titles: list[tuple[tuple[int, int, int, int], int]] = []  # letter-spaced rows read whole: crop, line key
    image = prep.image
    for n, row in enumerate(rows):
        has_digits = any(ch.isdigit() for w in row for ch in w.text)
        height = median([w.box[3] - w.box[1] for w in row])
        pad_y, pad_x = max(4, int(0.35 * height)), max(8, int(0.8 * height))
        x0 = max(0, min(w.box[0] for w in row) - pad_x)
        y0 = max(0, min(w.box[1] for w in row) - pad_y)
        x1 = min(image.width, max(w.box[2] for w in row) + pad_x)
        y1 = min(image.height, max(w.box[3] for w in row) + pad_y)
        widened = False
        if has_digits:  # a label the page's reading did not see (「給料手当」 left of its amount): read it too
            left = _unread_ink_left(prep, words, x0, y0, y1, pad_x)
            widened, x0 = left < x0, min(x0, left)
        crop = image.crop((x0, y0, x1, y1))
        glyphs = _letter_spaced(crop, height)
        if not has_digits and not glyphs and (_mean_conf(row) >= REREAD_CONF or _ink_chars(row) > REREAD_CHARS):
            out.extend(row)
            continue
        try:
            again = parse_hocr(tesseract(crop, _ROW_ARGS, deadline))
        except OcrFailure as exc:
            if "時間切れ" in exc.reason:
                raise
            again = []
        digits_page = "".join(ch for w in row for ch in unicodedata.normalize("NFKC", w.text) if ch.isdigit())
        digits_row = "".join(ch for w in again for ch in unicodedata.normalize("NFKC", w.text) if ch.isdigit())
        same_digits = digits_row == digits_page
        spaced_whole = bool(again) and bool(glyphs) and abs(_ink_chars(again) - glyphs) <= 1  # a glyph a character
        page_whole = _ink_chars(row) == glyphs
        found_more = widened and same_digits and _ink_chars(again) > _ink_chars(row)
        if not again or has_digits and not digits_row and not spaced_whole \
                or same_digits and _worse(again, row) and not (spaced_whole and not page_whole) and not found_more:
            out.extend(row)
            continue
        disputed = not same_digits and bool(digits_row)
        if _ink_chars(again) < ROW_KEEP * _ink_chars(row) and not spaced_whole:  # it lost words: keep the page's
            for w in row:
                w.disputed = disputed
            out.extend(row)
            continue
        if spaced_whole:
            titles.append(((x0, y0, x1, y1), _ROW_KEY + n))
        for w in _on_page(again, x0, y0, _ROW_KEY + n):
            w.disputed = disputed
            out.append(w)
    if titles:  # pieces of a title's characters the page's reading put on a row of their own go
        def inside(w: _Word, box: tuple[int, int, int, int]) -> bool:
            cx, cy = (w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2
            return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

        out = [w for w in out if not any(inside(w, box) and w.line_key != key for box, key in titles)]
    return out


# ----------------------------------------------------------------------------------------- check boxes

BOX_SIDE = (4.0, 14.0)  # points: a check box's side (□ is about 0.74 em: a 6 to 18 point font)
BOX_SQUARE = 0.12  # a box's width and height differ by at most this share of its side
BOX_FILLED = 0.88  # at least this share of a ■'s box is ink (● fills π/4 of its box: 0.79)
BOX_EDGE = 0.9  # each side of a □ is ink along at least this share of its length
BOX_HOLLOW = 0.02  # at most this share of a □'s inner half is ink (口 is hollow too: see find_boxes)
BOX_COLUMN = 8.0  # × a box's side: two boxes one above the other at most this far apart are one tick list
BOX_OF_CHAR = 0.7  # a box is at least this share of the height of the characters beside it
MARK_CONF = 0.95  # confidence of a mark found on the image
DOT_FILLED = (0.72, 0.86)  # share of its box a filled circle (●, π/4 ≈ 0.785) inks


def _round(shape: np.ndarray) -> bool:
    """Whether a shape is a filled disc: ink everywhere within 0.85 of its radius, none in its box's corners."""
    h, w = shape.shape
    yy, xx = np.mgrid[0:h, 0:w]
    r = ((yy - (h - 1) / 2) / (h / 2)) ** 2 + ((xx - (w - 1) / 2) / (w / 2)) ** 2
    return bool(shape[r <= 0.72].mean() >= 0.97 and shape[r >= 1.3].mean() <= 0.05)


def find_boxes(prep: _Prepared) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Check boxes on the cleaned page: filled squares (■) and, beside or above another box, hollow ones (□).

    Tesseract's ``jpn`` model reads the marks of a tick list as kanji (■ as 「還」 「田」 「一」, □ as 「口」), which
    makes 「■国民生活事業」 unreadable as a choice; the image tells them apart without doubt: one connected
    component, square, either full of ink or inked along its four sides and empty inside. A hollow square alone
    is not taken for □: the kanji 「口」 is one too (「口座」), about as large; two boxes on a row, or a box above or
    below a ticked one (options listed down the page), make a tick list.
    """
    ink = _ink(prep)
    ox = oy = 0
    if prep.shapes is not None:  # a box does not touch a rule: its shape is the same before the rules went
        labels, stats = prep.shapes
        if prep.inked is not None:  # shapes of the inked part: boxes found in its pixels, then put on the page
            ox, oy, x1, y1 = prep.inked
            ink = ink[oy:y1, ox:x1]
    else:
        _, labels, stats = connected_shapes(ink.view(np.uint8))
    lo, hi = BOX_SIDE[0] * prep.px_per_pt, BOX_SIDE[1] * prep.px_per_pt
    found: list[tuple[str, tuple[int, int, int, int]]] = []
    ws, hs = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    square = (ws >= lo) & (ws <= hi) & (hs >= lo) & (hs <= hi) & (np.abs(ws - hs) <= BOX_SQUARE * np.maximum(ws, hs))
    square[0] = False  # the background
    # shapes a box may sit inside: glyphs (the inner square of 「回」), never a table's frame, far larger
    glyphs = np.flatnonzero((ws <= 2 * hi) & (hs <= 2 * hi))
    gx, gy = stats[glyphs, 0], stats[glyphs, 1]
    gx1, gy1 = gx + ws[glyphs], gy + hs[glyphs]
    for i in np.flatnonzero(square):
        x, y, w, h, area = (int(v) for v in stats[i])
        box = (x, y, x + w, y + h)
        around = (gx <= x) & (gy <= y) & (gx1 >= x + w) & (gy1 >= y + h) & (glyphs != i) & (glyphs != 0)
        if around.any():  # inside another glyph
            continue
        if area >= BOX_FILLED * w * h:
            found.append(("■", box))
            continue
        if DOT_FILLED[0] <= area / (w * h) <= DOT_FILLED[1] and _round(labels[y:y + h, x:x + w] == i):
            found.append(("●", box))
            continue
        own = labels[y:y + h, x:x + w] == i
        band = max(1, round(0.2 * min(w, h)))
        edges = (own[:band].any(axis=0).mean(), own[-band:].any(axis=0).mean(),
                 own[:, :band].any(axis=1).mean(), own[:, -band:].any(axis=1).mean())
        inside = ink[y + h // 4:y + h - h // 4, x + w // 4:x + w - w // 4]
        if min(edges) >= BOX_EDGE and inside.size and inside.mean() <= BOX_HOLLOW:
            found.append(("□", box))

    def listed(a: tuple[int, int, int, int], b: tuple[str, tuple[int, int, int, int]]) -> bool:
        """Whether ``a`` is a box of the tick list ``b`` is in: side by side on a row, or one above the other
        in a column when ``b`` is ticked (「口座番号」 above 「口座名義」 is a column of 口 too)."""
        mark, box = b
        side = max(a[3] - a[1], box[3] - box[1])
        on_row = abs((a[1] + a[3]) - (box[1] + box[3])) / 2 <= 0.5 * side
        in_column = abs(a[0] - box[0]) <= 0.5 * side and abs(a[1] - box[1]) <= BOX_COLUMN * side
        return on_row or in_column and mark == "■"

    return [(mark, (box[0] + ox, box[1] + oy, box[2] + ox, box[3] + oy)) for mark, box in found
            if mark != "□" or any(other[1] is not box and listed(box, other) for other in found)]


def mark_boxes(prep: _Prepared, words: list[_Word]) -> list[_Word]:
    """The page's words with every check box found on the image (:func:`find_boxes`) read as ■ or □.

    A character whose box lies mostly on a check box is taken out of its word, and the mark stands as a word
    of its own at :data:`MARK_CONF` (the rest of the word keeps its reading); a box Tesseract read nothing on
    becomes a word on the row beside it. Characters are compared by their boxes, never by what they read.
    """
    marks = find_boxes(prep)
    if not marks:
        return words

    def overlap(a: tuple[float, float, float, float], b: tuple[int, int, int, int]) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        if w <= 0 or h <= 0:
            return 0.0
        return w * h / max(1.0, min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])))

    used: set[int] = set()
    out: list[_Word] = []
    for w in words:
        boxes = w.char_boxes()
        hits = [next((k for k, (_, mb) in enumerate(marks)
                      if overlap(cb, mb) >= 0.5 and mb[3] - mb[1] >= BOX_OF_CHAR * (cb[3] - cb[1])), -1)
                for cb in boxes]
        if all(k < 0 for k in hits):
            out.append(w)
            continue
        part: list[int] = []

        def flush() -> None:
            if part:
                text = "".join(w.text[j] for j in part)
                chars = [tuple(int(v) for v in boxes[j]) for j in part]
                out.append(_Word(text=text, box=(min(c[0] for c in chars), min(c[1] for c in chars),
                                                 max(c[2] for c in chars), max(c[3] for c in chars)),
                                 conf=w.conf, line_key=w.line_key, chars=chars,  # type: ignore[arg-type]
                                 disputed=w.disputed))
                part.clear()

        for j, k in enumerate(hits):
            if k < 0:
                part.append(j)
            elif k not in used:  # a box read as two characters (「ロ一」) is one mark
                flush()
                used.add(k)
                mark, mb = marks[k]
                out.append(_Word(text=mark, box=mb, conf=MARK_CONF, line_key=w.line_key, chars=[mb]))
        flush()
    for k, (mark, mb) in enumerate(marks):
        if k in used:
            continue
        mid, side = (mb[1] + mb[3]) / 2, mb[3] - mb[1]
        row = [i for i, w in enumerate(out)
               if abs((w.box[1] + w.box[3]) / 2 - mid) <= 0.6 * max(side, w.box[3] - w.box[1])]
        if not row or side < BOX_OF_CHAR * median([out[i].box[3] - out[i].box[1] for i in row]):
            continue  # a box with no words beside it chooses nothing; one far smaller than its row is no mark
        after = [i for i in row if out[i].box[0] >= mb[2] - 1]
        at = min(after, key=lambda i: out[i].box[0]) if after else max(row, key=lambda i: out[i].box[2]) + 1
        key = out[min(row, key=lambda i: abs(out[i].box[0] - mb[2]))].line_key
        out.insert(at, _Word(text=mark, box=mb, conf=MARK_CONF, line_key=key, chars=[mb]))
    return out


SPACED_GAP = 0.5  # × the row's height: a title whose characters stand this far apart is letter-spaced


def _ink_runs(cols: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in a column profile, as (first, past the last) pairs."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], cols, [False])).astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _letter_spaced(crop: Image.Image, height: float) -> int:
    """How many characters a row set far apart (「決　算　報　告　書」, 「第　10　期」) shows by its ink, 0 for any
    other row: three glyphs or more, none wider than a character, most gaps between them wider than
    :data:`SPACED_GAP` × ``height``. The page's sparse reading takes such a title's characters one by one and
    reads them as junk (「決算幸 F| 記=ミ3」), longer than the true text; the row's own reading is whole when it
    has as many characters as the row has glyphs."""
    ink = np.asarray(crop) < 128
    cols = ink.any(axis=0)
    lines = np.flatnonzero(ink.any(axis=1))
    if len(lines):  # the ink's height: Tesseract's boxes of a large title's characters may be pieces of them
        height = max(height, 0.9 * (lines[-1] - lines[0] + 1))
    runs: list[list[int]] = []
    for x, end in _ink_runs(cols):
        if runs and x - runs[-1][1] < 0.15 * height:  # strokes of one character (「川」)
            runs[-1][1] = end
        else:
            runs.append([x, end])
    if len(runs) < 3 or any(b - a > 1.4 * height for a, b in runs):
        return 0
    return len(runs) if median([b[0] - a[1] for a, b in zip(runs, runs[1:])]) > SPACED_GAP * height else 0


# 「IoT」 as the jpn model reads it on a scan: 「1oT」, 「loT」, 「|oT」, 「ToT」 (a word no document spells so); being
# 「IoT」 whichever of them was read, its letters are at least IOT_REPAIRED sure (「設備資金(1oT機器導入)」 read at
# 0.6 for its 「1」 is not a doubtful 資金使途)
IOT_REPAIRED = 0.9
_IOT = re.compile(r"(?<![A-Za-z0-9])(?:[1lI|]o|To)T(?![A-Za-z])")
# katakana that jpn reads for the kanji they look like (「有限会社たけふ精エ」, 「ひだ木エ」, 「ロ座」): one standing
# beside a kanji with no katakana on either side is the kanji (never カ/ケ, which 「3カ月」 writes as kana)
_KANA_FOR_KANJI = {"エ": "工", "ロ": "口", "ニ": "二", "ハ": "八"}
_KANA_AMONG_KANJI = re.compile(
    r"(?<=[\u4e00-\u9fff々])[エロニハ](?![ァ-ヶー])|(?<![ァ-ヶー])[エロニハ](?=[\u4e00-\u9fff々])")

_DIGIT_RUN = re.compile(r"\d(?:[\d,.]*\d)?")


def _unread_ink_left(prep: _Prepared, words: list[_Word], x0: int, y0: int, y1: int, pad: int) -> int:
    """Where ink no word of the page's reading covers begins, left of ``x0`` in the band ``y0``..``y1``
    (ruled lines and specks are gone from the cleaned image); ``x0`` when there is none."""
    if x0 <= 0:
        return x0
    cols = (np.asarray(prep.image.crop((0, y0, x0, y1))) < 128).sum(axis=0) > 0
    for w in words:
        if w.box[1] < y1 and w.box[3] > y0 and w.box[0] < x0:
            cols[max(0, w.box[0] - pad):min(x0, w.box[2] + pad)] = False
    ink = np.flatnonzero(cols)
    if len(ink) < 0.5 * (y1 - y0):  # a dot or two: not a word
        return x0
    return max(0, int(ink[0]) - pad)


def _worse(again: list[_Word], row: list[_Word]) -> bool:
    """Whether the row's own reading, whose digits are the page's, is the worse one: it breaks the digits
    into more numbers (「10,000.」 000円」 against 「10,000,000円」), or, as many, reads with less confidence."""
    def runs(ws: list[_Word]) -> int:
        return len(_DIGIT_RUN.findall(unicodedata.normalize("NFKC", "".join(w.text for w in ws))))
    a, b = runs(again), runs(row)
    return a > b or a == b and _mean_conf(again) < _mean_conf(row)


def _ink_chars(words: list[_Word]) -> int:
    return sum(len(w.text.strip()) for w in words)


def _rows(words: list[_Word], prep: _Prepared) -> list[list[_Word]]:
    """Tesseract's lines grouped into the page's rows (by vertical middle), each row's words in x order."""
    groups: dict[int, list[_Word]] = {}
    for w in words:
        groups.setdefault(w.line_key, []).append(w)
    floor = LINE_TOLERANCE * prep.px_per_pt
    tlines = sorted(groups.values(), key=_middle)
    rows: list[list[list[_Word]]] = []
    for tl in tlines:
        if rows:
            row = rows[-1]
            mid = sum(_middle(t) for t in row) / len(row)
            height = median([w.box[3] - w.box[1] for t in row + [tl] for w in t])
            if abs(_middle(tl) - mid) <= max(floor, 0.5 * height):
                row.append(tl)
                continue
        rows.append([tl])
    return [sorted((w for tl in row for w in tl), key=lambda w: w.box[0]) for row in rows]


_MAIN_ARGS = ["-l", LANG, "--psm", PSM, "-c", "hocr_char_boxes=1"]


def tesseract(image: Image.Image, args: list[str], deadline: float, config: str = "hocr",
              bilevel: bool = True) -> str:
    """Read ``image`` with Tesseract as ``tesseract stdin stdout ARGS CONFIG`` would: its hOCR (``config``
    ``"hocr"``) or, for orientation detection (``--psm 0``), its report.

    In this process through tesserocr's API when it is installed (one engine per thread and settings, kept:
    no process to start, no model to load again, no image to encode), else the ``tesseract`` command.
    """
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        raise OcrFailure(f"時間切れ (OCR timed out after {page_timeout():.0f} s)")
    if _tesserocr is not None and config == "hocr":
        return _api_hocr(image, args, remaining, bilevel)
    return _command(image, args, remaining, config, bilevel)


def _command(image: Image.Image, args: list[str], remaining: float, config: str, bilevel: bool) -> str:
    buf = io.BytesIO()
    # one bit per pixel (PBM): Tesseract skips its own thresholding, a third of its time on a page
    (image.convert("1", dither=Image.Dither.NONE) if bilevel else image.convert("L")).save(buf, format="PPM")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = [TESSERACT, "stdin", "stdout", "--dpi", str(DPI), *args, *([config] if config else [])]
    try:
        proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=remaining, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        raise OcrFailure(f"時間切れ (OCR timed out after {page_timeout():.0f} s)") from None
    except FileNotFoundError:
        raise OcrFailure("OCRエンジンがありません (the tesseract command is not installed)") from None
    if proc.returncode != 0:
        raise OcrFailure(f"OCRエンジンのエラー (tesseract exited with status {proc.returncode})")
    return proc.stdout.decode("utf-8", errors="replace")


_ENGINES = threading.local()


def _engine(args: tuple[str, ...]) -> "_tesserocr.PyTessBaseAPI":
    """This thread's Tesseract engine for ``args`` (``-l``, ``--psm``, ``-c name=value``), made once."""
    engines: dict[tuple[str, ...], _tesserocr.PyTessBaseAPI] = getattr(_ENGINES, "engines", None) or {}
    _ENGINES.engines = engines
    api = engines.get(args)
    if api is None:
        lang, psm, variables = "eng", 3, {}
        it = iter(args)
        for a in it:
            if a == "-l":
                lang = next(it)
            elif a == "--psm":
                psm = int(next(it))
            elif a == "-c":
                name, _, value = next(it).partition("=")
                variables[name] = value
        try:
            api = _tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, psm=psm,
                                           oem=_tesserocr.OEM.LSTM_ONLY)
        except RuntimeError:
            raise OcrFailure(f"OCRの言語データがありません (Tesseract data for {lang} not found)") from None
        for name, value in variables.items():
            api.SetVariable(name, value)
        engines[args] = api
    return api


def _api_hocr(image: Image.Image, args: list[str], remaining: float, bilevel: bool) -> str:
    api = _engine(tuple(args))
    api.SetImage(image.convert("1", dither=Image.Dither.NONE) if bilevel else image.convert("L"))
    api.SetSourceResolution(DPI)
    t0 = time.perf_counter()
    if not api.Recognize(timeout=max(1, int(remaining * 1000))):
        api.Clear()
        if time.perf_counter() - t0 >= 0.9 * remaining:
            raise OcrFailure(f"時間切れ (OCR timed out after {page_timeout():.0f} s)")
        raise OcrFailure("OCRエンジンのエラー (Tesseract could not read the page)")
    hocr = api.GetHOCRText(0)
    api.Clear()
    return hocr


def tessdata_dir() -> str:
    """Where Tesseract's models are: ``$TESSDATA_PREFIX``, else Debian's folder, else tesserocr's guess."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        return env.rstrip("/") + "/"
    for folder in ("/usr/share/tesseract-ocr/5/tessdata/", "/usr/share/tesseract-ocr/4.00/tessdata/",
                   "/usr/share/tessdata/"):
        if Path(folder, f"{LANG}.traineddata").exists():
            return folder
    return _tesserocr.get_languages()[0] if _tesserocr is not None else ""


def tesseract_available() -> bool:
    """Whether pages can be OCR'd here: Tesseract (its API or its command) with the ``jpn`` model."""
    if _tesserocr is not None:
        return Path(tessdata_dir(), f"{LANG}.traineddata").exists()
    return shutil.which(TESSERACT) is not None


def parse_hocr(hocr: str) -> list[_Word]:
    """Tesseract's hOCR words with their characters' boxes (``hocr_char_boxes``), pixels of the image read.

    Tesseract's jpn word boxes are loose (a word's box may run over the next words) and the last character
    of a word may take the rest of the line: a character's box is clipped at the next character or word,
    and the word's box is the union of its characters'.
    """
    words: list[_Word] = []
    line = -1
    for m in _HOCR_ITEM.finditer(hocr):
        kind, title, text = m.group(1), m.group(2), m.group(3)
        nums = _HOCR_NUMS.match(title)
        if nums is None:
            continue
        box = (int(nums.group(1)), int(nums.group(2)), int(nums.group(3)), int(nums.group(4)))
        if kind == "ocrx_word":
            conf = float(nums.group(5)) / 100.0 if nums.group(5) else 0.0
            words.append(_Word(text="", box=box, conf=min(max(conf, 0.0), 1.0), line_key=line))
        elif kind == "ocrx_cinfo":
            if words and text:
                words[-1].text += html.unescape(text)
                words[-1].chars.append(box)
        else:
            line += 1
    words = [w for w in words if w.text.strip() and len(w.chars) == len(w.text)]
    for i, w in enumerate(words):
        nxt = words[i + 1].box[0] if i + 1 < len(words) and words[i + 1].line_key == w.line_key else None
        chars = w.chars
        for j, (x0, y0, x1, y1) in enumerate(chars):
            limit = chars[j + 1][0] if j + 1 < len(chars) else nxt
            if limit is not None and x0 < limit < x1:
                x1 = limit
            x1 = min(x1, x0 + int(MAX_CHAR_WIDTH * (y1 - y0)) + 1)
            chars[j] = (x0, y0, x1, y1)
        w.box = (min(c[0] for c in chars), min(c[1] for c in chars), max(c[2] for c in chars),
                 max(c[3] for c in chars))
        w.text = w.text.strip() if w.text.strip() == w.text else w.text
    return words


def _mean_conf(words: list[_Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _orientation(image: Image.Image, deadline: float) -> int:
    """Degrees (0, 90, 180, 270) to turn the page clockwise to make it upright, when Tesseract's orientation
    detection (``--psm 0``, the ``osd`` model) is sure enough."""
    try:
        out = tesseract(image, ["--psm", "0", "-l", "osd"], deadline, config="")
    except OcrFailure:
        return 0
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate or not conf or float(conf.group(1)) < MIN_OSD_CONF:
        return 0
    return int(rotate.group(1)) % 360


# ----------------------------------------------------------------------------------------- numbers

def is_number_word(text: str) -> bool:
    """A word made of a number: digits with separators, a sign or brackets (not 「⑱」, a seal read as one)."""
    if _CIRCLED.search(text):
        return False
    return _NUMBER_WORD.fullmatch(unicodedata.normalize("NFKC", text)) is not None


def second_reading(prep: _Prepared, words: list[_Word], deadline: float) -> None:
    """Read every number word again, alone, with the digits model; adjust its text and confidence.

    A number the ``eng`` reading missed or read otherwise is read once more, enlarged. A number that is
    part of a reference (「5番1号」, 「第3号」, 「4丁目」) is not a quantity: it is left as text.
    """
    numbers: list[_Word] = []
    for i, w in enumerate(words):
        if not is_number_word(w.text):
            continue
        before = words[i - 1].text if i and words[i - 1].line_key == w.line_key else ""
        after = words[i + 1].text if i + 1 < len(words) and words[i + 1].line_key == w.line_key else ""
        if before.endswith("第") or _REFERENCE_AFTER.match(after):
            continue
        w.number = True
        numbers.append(w)
    if not numbers:
        return
    image = prep.image
    second = [_joined(r) for r in _read_digits(prep, numbers, DIGITS_LANG, deadline)]
    third: list[str | None] = [None] * len(numbers)
    doubt = [i for i, (w, r) in enumerate(zip(numbers, second)) if not _same_number(w.text, r)]
    if doubt:  # the tie-break: the digits model again, on the crops enlarged (another input, same model)
        again = _read_digits(prep, [numbers[i] for i in doubt], DIGITS_LANG, deadline, scale=2)
        for i, r in zip(doubt, again):
            third[i] = _joined(r)
        # a short number (a date's 「6」, 「17」) a strip of many rows drops as noise: its crop read alone
        short = [i for i in doubt if not _same_number(numbers[i].text, third[i])
                 and len(_DIGITS_ONLY.sub("", numbers[i].text)) <= SHORT_NUMBER]
        for i, alone in zip(short, _read_alone(prep, [numbers[i] for i in short], deadline)):
            if _same_number(numbers[i].text, alone):
                third[i] = alone
    negative_page = any(ch in w.text for w in words for ch in "▲△")
    line_text: dict[int, str] = {}
    for w in words:
        line_text[w.line_key] = line_text.get(w.line_key, "") + w.text
    split = _split_numbers(_ink(prep), words)
    for word, r2, r3 in zip(numbers, second, third):
        negative_likely = negative_page or bool(_NEGATIVE_LIKELY.search(line_text.get(word.line_key, "")))
        if negative_likely and word.text.startswith("4"):
            negative_likely = not _narrow_first_glyph(image, word)
        text, word.conf = judge_number(word.text, word.conf, r2, r3, negative_likely)
        if id(word) in split:
            word.conf = min(word.conf, DOUBTFUL)
        if word.disputed:  # the page's reading and the row's differ: two readings of three at best
            word.conf = min(word.conf, MAJORITY)
        if len(text) != len(word.text):
            word.chars = []  # boxes shared evenly over the new text
        word.text = text


_KANJI_AMOUNT = re.compile(f"金?[{KANJI_NUMERALS}]{{2,}}円")
_NOT_NUMERAL = re.compile(f"[^{KANJI_NUMERALS}]")


def kanji_second_reading(prep: _Prepared, words: list[_Word], deadline: float) -> None:
    """Read every amount written in kanji numerals (「金壱千弐百万円」) again, its crop alone, by the Japanese
    script model restricted to numerals: as digits by the ``eng`` model (step 7), another network's agreement
    is the check, and one wrong numeral is a wrong amount. The same numerals: the amount's words stand at
    :data:`KANJI_AGREED` or better; other numerals: at most :data:`DISAGREED`; nothing read, or no script
    model installed: as they were (the amount is then as sure as its worst numeral, see ``fields.common``)."""
    if not kanji_model_available():
        return
    rows: dict[int, list[_Word]] = {}
    for w in words:
        rows.setdefault(w.line_key, []).append(w)
    for row in rows.values():
        row.sort(key=lambda w: w.box[0])
        ends = list(itertools.accumulate(len(w.text) for w in row))
        for m in _KANJI_AMOUNT.finditer("".join(w.text for w in row)):
            span = [(w, end - len(w.text) >= m.start() and end <= m.end())
                    for w, end in zip(row, ends) if end > m.start() and end - len(w.text) < m.end()]
            again = _NOT_NUMERAL.sub("", _read_kanji(prep, [w for w, _ in span], deadline))
            if not again:
                continue
            agreed = again == _NOT_NUMERAL.sub("", m.group())
            for w, inside in span:
                if agreed and inside:  # a word reaching beyond the amount keeps its own confidence
                    w.conf = max(w.conf, KANJI_AGREED)
                elif not agreed:
                    w.conf = min(w.conf, DISAGREED)


def kanji_model_available() -> bool:
    """Whether the Japanese script model (the second reading of kanji amounts) is installed."""
    return Path(tessdata_dir(), f"{KANJI_LANG}.traineddata").exists()


def _read_kanji(prep: _Prepared, span: list[_Word], deadline: float) -> str:
    """The numerals the script model reads in the words' crop of the cleaned page."""
    x0, y0 = min(w.box[0] for w in span), min(w.box[1] for w in span)
    x1, y1 = max(w.box[2] for w in span), max(w.box[3] for w in span)
    pad = (y1 - y0) // 4 + 2
    # the cleaned page, not the grey one cut again at its crop's Otsu threshold: that cut thins a light Mincho
    # numeral's strokes away (「金壱千弐百万円」 read 「金弐百万円」, or nothing)
    crop = prep.image.crop((max(0, x0 - pad), max(0, y0 - pad), x1 + pad, y1 + pad))
    return _read_crop(crop, deadline, ["-l", KANJI_LANG, "--psm", "7", "-c",
                                       f"tessedit_char_whitelist=金円{KANJI_NUMERALS}", "-c", "hocr_char_boxes=1"])


def _split_numbers(ink: np.ndarray, words: list[_Word]) -> set[int]:
    """Number words that may be parts of one number whose separator the page's reading dropped: a number
    whose next word to the right on its row is a number close by, with ink (``ink``: the cleaned page's, True)
    between them that is not a ruled line (「１，２００万円」 read as 「1」 「200万円」: each part reads true twice,
    yet the value read is 1)."""
    out: set[int] = set()
    for a in words:
        if not a.number:
            continue
        middle, height = (a.box[1] + a.box[3]) / 2, a.box[3] - a.box[1]
        right = [w for w in words if w is not a and w.box[0] >= a.box[2] - 2
                 and abs((w.box[1] + w.box[3]) / 2 - middle) < 0.5 * height]
        if not right:
            continue
        b = min(right, key=lambda w: w.box[0])
        x0, x1 = a.box[2] + 1, b.box[0] - 1
        if not b.number or x1 <= x0 or x1 - x0 > 3 * height or not _spaced(a, b, height):
            continue  # far apart, or joined into one number by build_lines anyway
        top, bottom = min(a.box[1], b.box[1]), max(a.box[3], b.box[3])
        above = ink[max(0, top - 4):top, x0:x1].any(axis=0)
        below = ink[bottom:bottom + 4, x0:x1].any(axis=0)
        glyph = ink[top:bottom, x0:x1][:, ~(above & below)]  # a ruled line runs on above and below the words
        if int(glyph.sum()) > 4:
            out.update((id(a), id(b)))
    return out


def _read_alone(prep: _Prepared, numbers: list[_Word], deadline: float) -> list[str]:
    """Each number's crop read by itself as one line (``--psm 7``) with the digits model; a reading that is not
    the page's is tried again from the glyph before, then after (Tesseract's box may be one glyph off)."""
    if not numbers:
        return []
    gray = prep.gray or prep.image
    out = [_read_crop(crop, deadline) for crop in _number_crops(prep.image, gray, numbers)]
    first = list(out)
    for shift in (-1, 1):
        # one glyph later only when the crop showed no digit at all (a kanji's part): never past a digit the
        # page's reading may have dropped (「86」 read 「6」 must not find its 6 one glyph on)
        off = [i for i, (w, r) in enumerate(zip(numbers, out)) if not _same_number(w.text, r)
               and (shift < 0 or not any(ch.isdigit() for ch in first[i]))]
        if not off:
            break
        for i, crop in zip(off, _number_crops(prep.image, gray, [numbers[i] for i in off], shift=shift)):
            again = _read_crop(crop, deadline) if crop is not None else ""
            if _same_number(numbers[i].text, again):
                out[i] = again
    return out


def _digit_args(lang: str, psm: int) -> list[str]:
    """Tesseract's settings for reading numbers: digits and separators only (▲△ too where the model has them)."""
    whitelist = DIGITS_WHITELIST + ("▲△" if lang == LANG else "")  # the eng model has no triangles
    return ["-l", lang, "--psm", str(psm), "-c", f"tessedit_char_whitelist={whitelist}", "-c", "hocr_char_boxes=1"]


def _read_crop(crop: Image.Image, deadline: float, args: list[str] | None = None) -> str:
    """One crop's reading, cut at its plain Otsu threshold, alone on a white field, as one line: by the digits
    model (a number's crop), or with the ``args`` given."""
    cut = otsu(np.asarray(crop.histogram(), dtype=np.int64))
    pad = crop.height
    framed = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
    framed.paste(crop.point(lambda v: 0 if v < cut else 255), (pad, pad))
    try:
        hocr = tesseract(framed, args or _digit_args(DIGITS_LANG, 7), deadline, config="hocr")
    except OcrFailure as exc:
        if "時間切れ" in exc.reason:
            raise
        return ""
    return "".join(html.unescape(m.group(6)) for m in _CHAR_BOX.finditer(hocr)).strip()


def _joined(reading: list[tuple[float, str, float]]) -> str:
    """A crop's characters in the order Tesseract read them: its character boxes are no order (a digit's box
    may span the whole number, so sorting by box read 「95,175」 as 「195,75」)."""
    return "".join(ch for _, ch, _ in reading).strip()


def _same_number(first: str, other: str | None) -> bool:
    """The same digits, and a minus sign in both or neither."""
    if not other:
        return False
    text = unicodedata.normalize("NFKC", first)
    return (_DIGITS_ONLY.sub("", text) == _DIGITS_ONLY.sub("", other)
            and text.startswith("-") == other.startswith("-"))


def _read_digits(prep: _Prepared, numbers: list[_Word], lang: str, deadline: float,
                 scale: int = 1) -> list[list[tuple[float, str, float]]]:
    """The digits read in each number's crop (x, character, confidence), all crops on one strip, one run.

    The crops are cut from the page's grey image and cut at the plain Otsu threshold, not the page's raised
    one, so a stroke the raised cut thickened (a 6 whose loop closed into an 8) is not misread twice.
    """
    strip, rows = _number_strip(prep.image, prep.gray or prep.image, numbers)
    if scale != 1:
        strip = strip.resize((strip.width * scale, strip.height * scale), Image.Resampling.BILINEAR)
        rows = [(a * scale, b * scale) for a, b in rows]
    cut = otsu(np.asarray(strip.histogram(), dtype=np.int64))  # the plain cut, not the page's raised one
    strip = strip.point(lambda v: 0 if v < cut else 255)
    try:
        hocr = tesseract(strip, _digit_args(lang, 6), deadline, config="hocr")
    except OcrFailure as exc:
        if "時間切れ" in exc.reason:
            raise
        hocr = ""
    readings: list[list[tuple[float, str, float]]] = [[] for _ in numbers]
    for m in _CHAR_BOX.finditer(hocr):
        mid = (int(m.group(2)) + int(m.group(4))) / 2
        for i, (top, bottom) in enumerate(rows):
            if top <= mid < bottom:
                readings[i].append((int(m.group(1)), html.unescape(m.group(6)), float(m.group(5)) / 100.0))
                break
    return readings


def judge_number(first: str, conf: float, second: str, third: str | None,
                 negative_likely: bool) -> tuple[str, float]:
    """The text and confidence of a number word: ``first`` read by ``jpn`` on the page (its confidence
    ``conf``), ``second`` by the digits model on the crop, ``third`` by the digits model on the crop enlarged
    (only when the first two differ; None otherwise).

    The page's reading stands only when a reading by the other model agrees with it: ``jpn`` twice (the page,
    then the crop) makes the same mistakes twice (a 6 read as 9 both times), so it is no check. Two crop
    readings that agree against the page's do not outvote it either: a crop that took in a neighbour's
    glyph misleads both the same way.
    """
    text = unicodedata.normalize("NFKC", first)
    sign = text[0] if text[0] in "▲△-(¥\\" else ""
    body = text[len(sign):]
    digits = _DIGITS_ONLY.sub("", text)
    if _same_number(first, second):
        chosen, conf = second, max(conf, AGREED)
    elif _same_number(first, third):  # the digits model, on the enlarged crop, agrees with the page
        chosen, conf = third or "", MAJORITY
    elif not second and not third:
        chosen, conf = "", min(conf, UNVERIFIED)
    else:
        chosen, conf = "", min(conf, DISAGREED)
    core = body.rstrip(")")
    # the jpn model's "1.234,567" against a digits reading's "1,234,567": the separators are the latter's
    if chosen and _SEPARATED.fullmatch(core) and _COMMA_AMOUNT.fullmatch(chosen.lstrip("-")) \
            and _DIGITS_ONLY.sub("", chosen) == digits:
        body = chosen.lstrip("-") + body[len(core):]
    text = sign + body
    if _DOT_IN_AMOUNT.search(text):
        conf = min(conf, DOUBTFUL)
    if text.startswith("4") and len(digits) > 1 and negative_likely:
        conf = min(conf, DOUBTFUL)
    return text, conf


def _narrow_first_glyph(image: Image.Image, word: _Word) -> bool:
    """Whether the first glyph of a number word is as narrow as a digit: a 「4」, not a full-width 「▲」
    that the jpn model read as 「4」 (the triangle is about 1.2 digit heights wide, a 4 about 0.7)."""
    x0, y0, x1, y1 = word.box
    height = y1 - y0
    if height <= 0:
        return False
    cols = (np.asarray(image.crop((x0, y0, x1, y1))) < 128).any(axis=0)
    runs = np.flatnonzero(np.diff(np.concatenate(([0], cols.view(np.int8), [0]))))
    if len(runs) < 4:  # one run: the glyphs touch, nothing to measure
        return False
    return (runs[1] - runs[0]) <= NARROW_GLYPH * height


def _glyph_edges(image: Image.Image, left: int, right: int, top: int, bottom: int,
                 digit_height: float) -> tuple[int, int]:
    """Where to cut a number out of its line: Tesseract's box, moved to blank columns at both ends.

    A glyph cut by an edge is the number's own when the rest of it is a sliver (the box fell short of its
    first or last digit): the cut moves out to take it. Past that it is a neighbour (「年」 right after
    「2024」): the cut moves in, leaving it out.
    """
    band = np.asarray(image.crop((0, top, image.width, bottom))) < 128
    cols = band.any(axis=0)
    sliver = max(2, int(SLIVER * digit_height))
    if cols[left]:  # ink on the left edge
        blank = np.flatnonzero(~cols[max(0, left - sliver):left])
        if len(blank):
            left = max(0, left - sliver) + int(blank[-1])
        else:
            inner = np.flatnonzero(~cols[left:right])
            left = left + int(inner[0]) if len(inner) and inner[0] < (right - left) // 3 else left
    if cols[right - 1]:  # ink on the right edge
        blank = np.flatnonzero(~cols[right:min(len(cols), right + sliver)])
        if len(blank):
            right = right + int(blank[0]) + 1
        else:
            inner = np.flatnonzero(~cols[left:right])
            right = left + int(inner[-1]) + 1 if len(inner) and inner[-1] > (right - left) // 3 else right
    return left, right


def _digit_glyphs(image: Image.Image, word: _Word, top: int, bottom: int,
                  digit_height: float, shift: int = 0) -> tuple[int, int] | None:
    """Where a number's glyphs are on its line: from its first glyph, as many digit-sized glyphs as it has
    digits (and the commas and points between), by the blank columns between glyphs; None when the ink
    does not show them so (a glyph wider than a digit comes first, one touches its neighbour).

    Tesseract's boxes of a number's characters are its line model's estimate: for a full-width number
    (「３５名」, 「２，０００万円」, an em per digit) they often cover only the first digits, and a crop cut at them
    reads 「3」 for 「35」. The glyphs themselves are plain to see once the ruled lines are gone.
    """
    digits = sum(ch.isdigit() for ch in unicodedata.normalize("NFKC", word.text))
    if digits == 0:
        return None
    band = np.asarray(image.crop((0, top, image.width, bottom))) < 128
    cols = band.any(axis=0)
    h = digit_height
    start = max(0, word.box[0] - int(SLIVER * h))
    if cols[start]:  # the box starts inside a glyph: go back to its first column
        while start > 0 and cols[start - 1]:
            start -= 1
    if shift < 0:  # the box may start one glyph late (「金55,000」 boxed from its second 5): from the glyph before
        before = _ink_runs(cols[max(0, start - int(1.2 * h)):start])
        if not before or before[-1][1] - before[-1][0] > DIGIT_WIDTH * h:
            return None
        start = max(0, start - int(1.2 * h)) + before[-1][0]
    elif shift > 0:  # ... or one glyph early (「令和6年」 boxed from 和's right part): from the glyph after
        first = _ink_runs(cols[start:start + int(1.2 * h)])
        if not first:
            return None
        start += first[0][1]
    limit = min(len(cols), word.box[0] + int(digits * 1.6 * h) + int(2 * h))
    runs = [(a, b) for a, b in _ink_runs(cols[start:]) if a + start < limit]
    runs = [(a + start, b + start) for a, b in runs]
    taken: list[tuple[int, int]] = []
    count = 0
    for a, b in runs:
        if taken and a - taken[-1][1] > 1.2 * h:  # a gap wider than full-width digits leave: the number ended
            break
        if not taken and a < word.box[0] and b - a > DIGIT_WIDTH * h and b - word.box[0] < 0.4 * h:
            continue  # the box began at the end of the kanji before the number (「成」 of 「平成17年」)
        if b - a > DIGIT_WIDTH * h:  # wider than a digit: a kanji, or glyphs run together
            break
        rows = np.flatnonzero(band[:, a:b].any(axis=1))
        tall = len(rows) and rows[-1] - rows[0] + 1 >= 0.5 * h
        taken.append((a, b))
        if tall:
            count += 1
            if count == digits:
                break
    if count != digits:
        return None
    pad = max(2, int(0.15 * h))
    return max(0, taken[0][0] - pad), min(image.width, taken[-1][1] + pad)


def _number_strip(image: Image.Image, gray: Image.Image,
                  numbers: list[_Word]) -> tuple[Image.Image, list[tuple[int, int]]]:
    """Every number word cut out (with a margin) and stacked one per row, rows far apart; each row's y range
    (a row's reading is told by where its characters are: a dropped or merged row misleads nothing)."""
    crops = [c for c in _number_crops(image, gray, numbers) if c is not None]  # never None unshifted
    gap = int(1.5 * max(c.height for c in crops))
    width = max(c.width for c in crops) + 2 * gap
    strip = Image.new("L", (width, sum(c.height for c in crops) + gap * (len(crops) + 1)), 255)
    rows: list[tuple[int, int]] = []
    y = gap
    for c in crops:
        strip.paste(c, (gap, y))
        rows.append((y - gap // 2, y + c.height + gap // 2))
        y += c.height + gap
    return strip, rows


def _number_crops(image: Image.Image, gray: Image.Image, numbers: list[_Word],
                  shift: int = 0) -> list[Image.Image | None]:
    """Every number word cut out of the grey page, with a margin, at its glyphs' edges; with ``shift`` ±1, from
    one glyph before or after where its box starts (None where there is no such glyph)."""
    if not numbers:
        return []
    crops: list[Image.Image | None] = []
    # a digit's height on this page: Tesseract's box of 「2」 in 「2月」 may be 「月」's height, or hold 「月」
    digit_height = median([w.box[3] - w.box[1] for w in numbers])
    for w in numbers:
        x0, y0, x1, y1 = w.box
        pad = max(4, (y1 - y0) // 4)  # above and below; sideways only a little: the next glyph is close
        x1 = min(x1, x0 + int(1.3 * len(w.text) * DIGIT_WIDTH * digit_height) + 1)  # box wider than digits
        top, bottom = max(0, y0 - pad), min(image.height, y1 + pad)
        span = _digit_glyphs(image, w, top, bottom, digit_height, shift)
        if shift:
            crops.append(None if span is None else gray.crop((span[0], top, span[1], bottom)))
            continue
        if span is not None:
            left, right = span
        else:
            left, right = _glyph_edges(image, max(0, x0 - 2), min(image.width, x1 + 2), top, bottom, digit_height)
        crops.append(gray.crop((left, top, right, bottom)))
    return crops


# ------------------------------------------------------------------------------------------- lines

def build_lines(words: list[_Word], prep: _Prepared) -> tuple[Line, ...]:
    """Tesseract lines merged into page lines (by vertical middle), words in x order, boxes in points."""
    out: list[tuple[float, float, Line]] = []
    for ws in _rows(words, prep):
        line = _line(ws, prep)
        if line is not None and line.text.strip():
            out.append((min(w.box[1] for w in ws), ws[0].box[0], line))
    out.sort(key=lambda r: (r[0], r[1]))
    return tuple(line for _, _, line in out)


def _middle(ws: list[_Word]) -> float:
    return (min(w.box[1] for w in ws) + max(w.box[3] for w in ws)) / 2


def _line(ws: list[_Word], prep: _Prepared) -> Line | None:
    height = median([w.box[3] - w.box[1] for w in ws])
    chars: list[tuple[str, BBox]] = []
    confs: list[float] = []  # the word's confidence for each of ``chars``
    prev: _Word | None = None
    for w in ws:
        if prev is not None and _spaced(prev, w, height):
            chars.append((" ", _to_points((prev.box[2], min(prev.box[1], w.box[1]), w.box[0],
                                           max(prev.box[3], w.box[3])), prep)))
            confs.append(min(prev.conf, w.conf))
        elif prev is not None and chars:  # joined: no gap between their boxes, or a cell splitter cuts there
            ch, box = chars[-1]
            chars[-1] = (ch, (box[0], box[1], max(box[2], _to_points(w.box, prep)[0]), box[3]))
        boxes = w.char_boxes()
        for i, (ch, box) in enumerate(zip(w.text, boxes)):
            if i + 1 < len(boxes) and boxes[i + 1][0] > box[2]:  # one word: no gap between its characters
                box = (box[0], box[1], boxes[i + 1][0], box[3])
            chars.append((ch, _to_points(box, prep)))
            confs.append(w.conf)
        prev = w
    text, boxes = normalize_chars(chars)
    if not text.strip():
        return None
    repaired = [m.span() for m in _IOT.finditer(text)]
    text = _IOT.sub("IoT", text)  # same length: the boxes stay the characters'
    text = _KANA_AMONG_KANJI.sub(lambda m: _KANA_FOR_KANJI[m.group()], text)
    numbers = [w.conf for w in ws if w.number]
    conf = min(numbers) if numbers else sum(w.conf for w in ws) / len(ws)
    char_conf = _char_confs(chars, confs, boxes, conf)
    if repaired:  # letters of this shape are 「IoT」 whatever Tesseract doubted in them (see _IOT)
        char_conf = tuple(max(c, IOT_REPAIRED) if any(a <= i < b for a, b in repaired) else c
                          for i, c in enumerate(char_conf))
    return Line(text=text, boxes=boxes, confidence=round(conf, 3), char_confidence=char_conf)


def _char_confs(chars: list[tuple[str, BBox]], confs: list[float], boxes: tuple[BBox, ...],
                default: float) -> tuple[float, ...]:
    """Each normalised character's word confidence: normalisation keeps the boxes of the characters it keeps
    (in order; a character NFKC expands gives its box to each of its parts), so a box finds its character."""
    out: list[float] = []
    j = 0
    for box in boxes:
        k = j
        while k < len(chars) and chars[k][1] != box:
            k += 1
        if k < len(chars):
            j = k
        out.append(round(confs[j] if j < len(confs) else default, 3))
    return tuple(out)


def _spaced(a: _Word, b: _Word, height: float) -> bool:
    """Whether a space stands between two words of a line, from the gap between their boxes.

    Parts of one number are joined more readily than other words: ``１０，０００`` in full-width digits comes
    out of Tesseract as ``10,`` ``000`` with a gap as wide as a table's column gap. A number never ends in a
    comma, so a comma followed by a digit is joined across up to two heights; two digit runs across
    :data:`DIGIT_GAP` × the digits' height (full-width digits sit about 0.7 apart, table columns 1.5).
    """
    gap = b.box[0] - a.box[2]
    left, right = a.text[-1:], b.text[:1]
    if right.isdigit() and left in ",，.":
        return gap > 2.0 * height
    if left.isdigit() != right.isdigit():  # 「三丁目 5 番」: a digit beside a kanji is closer than a space
        return gap > DIGIT_GAP * height
    if right.isdigit() and left.isdigit():
        digit_height = min(a.box[3] - a.box[1], b.box[3] - b.box[1])
        return gap > DIGIT_GAP * digit_height
    if (_japanese(left) or left in "□■●") and (_japanese(right) or right in "□■●"):
        # 「オー」「トサービス」: ink boxes of ー, 一, 、 leave wide gaps; a tick box's mark is as wide as a character
        thin = left in "ー一、。・" or right in "ー一、。・"  # a thin glyph's box is far narrower than its em
        return gap > (2 * JAPANESE_GAP if thin else JAPANESE_GAP) * height
    return gap > SPACE_GAP * height


def _japanese(ch: str) -> bool:
    o = ord(ch) if ch else 0
    return 0x3000 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF01 <= o <= 0xFF9F


def _to_points(box: tuple[float, float, float, float], prep: _Prepared) -> BBox:
    """A box on the cleaned image → the box on the page as it was given, in points."""
    x0, y0, x1, y1 = box
    w, h = prep.size
    if prep.angle:
        cx, cy = w / 2, h / 2
        # PIL turned the page counter-clockwise by angle: undo by turning the corners back
        t = math.radians(prep.angle)
        cos, sin = math.cos(t), math.sin(t)
        xs, ys = [], []
        for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            dx, dy = x - cx, y - cy
            xs.append(cx + dx * cos - dy * sin)
            ys.append(cy + dx * sin + dy * cos)
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    if prep.turn == 90:  # upright = the page turned clockwise: page (x, y) = (y', H - x'), H = w here
        x0, y0, x1, y1 = y0, w - x1, y1, w - x0
    elif prep.turn == 180:
        x0, y0, x1, y1 = w - x1, h - y1, w - x0, h - y0
    elif prep.turn == 270:
        x0, y0, x1, y1 = h - y1, x0, h - y0, x1
    s = prep.px_per_pt
    return (round(x0 / s, 2), round(y0 / s, 2), round(x1 / s, 2), round(y1 / s, 2))
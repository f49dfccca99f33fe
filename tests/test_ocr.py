"""extractors.ocr: lines, spacing, boxes and confidence from Tesseract; numbers read twice; limits and cache.

Images are drawn here with Pillow and the IPAex fonts at 300 dpi; nothing binary is committed.
"""

from __future__ import annotations

import logging
import os
import random
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import ocr
from extractors.ingest import SourceFile, read_file
from pipeline.model import Line
from samples.scan import degrade

MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
PX = 300 / 72  # pixels per point at 300 dpi
A4_PX = (2480, 3508)

pytestmark = pytest.mark.skipif(not ocr.tesseract_available(), reason="no tesseract command")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "ocr-cache"
    monkeypatch.setenv("SHINSA_CACHE_DIR", str(cache))
    return cache


def draw_page(rows: list[tuple[float, float, str]], font: str = MINCHO, size_pt: float = 10.5,
              angle: float = 0.0) -> Image.Image:
    """An A4 page at 300 dpi with ``text`` drawn at (x, top) in points, optionally turned ``angle``°."""
    im = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(im)
    face = ImageFont.truetype(font, round(size_pt * PX))
    for x, top, text in rows:
        draw.text((x * PX, top * PX), text, font=face, fill=0)
    if angle:
        im = im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return im


FORM = [
    (60, 60, "融資申込書"),
    (60, 110, "申込金額"), (200, 110, "12,500,000円"),
    (60, 150, "融資期間"), (200, 150, "60ヶ月"),
    (60, 190, "設立年月日"), (200, 190, "2010年2月15日"),
    (60, 230, "売上高"), (260, 230, "149,715,318"), (400, 230, "155,704,000"),
]


@pytest.fixture(scope="module")
def form_lines() -> tuple[Line, ...]:
    return ocr.read_image(draw_page(FORM), PX, time.perf_counter() + 120)


@pytest.mark.parametrize(
    ("index", "text"),
    [(0, "融資申込書"), (1, "申込金額 12,500,000円"), (2, "融資期間 60ヶ月"), (3, "設立年月日 2010年2月15日"),
     (4, "売上高 149,715,318 155,704,000")],
    ids=["title", "amount-cell", "months-cell", "date-cell", "table-row-two-columns"],
)
def test_form_lines_read_in_order_with_cells_apart(form_lines: tuple[Line, ...], index: int,
                                                   text: str) -> None:
    assert [line.text for line in form_lines][index] == text


def test_every_character_has_a_box_where_it_was_drawn(form_lines: tuple[Line, ...]) -> None:
    for line in form_lines:
        assert len(line.boxes) == len(line.text)
    title = form_lines[0]
    x0, top, x1, bottom = title.bbox
    assert 55 <= x0 <= 65 and 58 <= top <= 66 and 105 <= x1 <= 120 and 66 <= bottom <= 76
    amount = form_lines[1]
    start = amount.text.index("12,500,000")
    ax0 = amount.span_bbox(start, start + 10)[0]
    assert 195 <= ax0 <= 206, "the amount's box starts where it was drawn (x = 200 pt)"


def test_numbers_read_twice_are_confident(form_lines: tuple[Line, ...]) -> None:
    for line in form_lines[1:]:
        assert line.confidence >= ocr.MAJORITY, line.text


def test_skewed_noisy_page_reads_the_same(form_lines: tuple[Line, ...]) -> None:
    page = draw_page(FORM, angle=0.8)
    a = np.asarray(page).astype(np.int16) + np.random.default_rng(1).normal(0, 8, (A4_PX[1], A4_PX[0]))
    lines = ocr.read_image(Image.fromarray(a.clip(0, 255).astype(np.uint8)), PX, time.perf_counter() + 120)
    assert [line.text for line in lines] == [line.text for line in form_lines]


@pytest.mark.parametrize("turn", [90, 180, 270], ids=lambda t: f"page-turned-{t}")
def test_turned_page_is_read_upright_with_boxes_on_the_page_as_given(turn: int) -> None:
    page = draw_page(FORM).rotate(turn, expand=True, fillcolor=255)
    lines = ocr.read_image(page, PX, time.perf_counter() + 120)
    assert [line.text for line in lines][:2] == ["融資申込書", "申込金額 12,500,000円"]
    x0, top, x1, bottom = lines[0].bbox
    w, h = A4_PX[0] / PX, A4_PX[1] / PX
    expected = {90: (60, w - 115, 72, w - 58), 180: (w - 115, h - 72, w - 58, h - 58),
                270: (h - 72, 58, h - 58, 115)}[turn]
    assert (x0, top, x1, bottom) == pytest.approx(expected, abs=4)


# --- numbers read twice: the rules, as a table ----------------------------------------------------------

@pytest.mark.parametrize(
    ("first", "conf", "second", "third", "negative", "text", "at_least", "at_most"),
    [
        ("1,234,567", 0.6, "1,234,567", None, False, "1,234,567", ocr.AGREED, 1.0),
        ("1.234.567", 0.6, "1,234,567", None, False, "1,234,567", ocr.AGREED, 1.0),
        ("155,.704.000", 0.4, "155,704,000", None, False, "155,704,000", ocr.AGREED, 1.0),
        ("12.5", 0.9, "125", None, False, "12.5", ocr.AGREED, 1.0),
        ("39,808,000", 0.9, "39,808,006", "39,808,000", False, "39,808,000", ocr.MAJORITY, ocr.MAJORITY),
        ("5,877,524", 0.9, "5,877,024", "5,877,624", False, "5,877,524", 0.0, ocr.DISAGREED),
        ("2022", 0.9, "1022", "1022", False, "2022", 0.0, ocr.DISAGREED),
        ("60", 0.95, "", None, False, "60", 0.0, ocr.UNVERIFIED),
        ("-6", 0.9, "6", "6", False, "-6", 0.0, ocr.DISAGREED),
        ("-6", 0.9, "6", "-6", False, "-6", 0.0, ocr.MAJORITY),
        ("1.234", 0.9, "1.234", None, False, "1.234", 0.0, ocr.DOUBTFUL),
        ("3,.000,000", 0.97, "3,.000,000", None, False, "3,.000,000", 0.0, ocr.DOUBTFUL),
        ("3,,000", 0.97, "3000", None, False, "3,,000", 0.0, ocr.DOUBTFUL),
        ("3,.", 0.28, "3", None, False, "3,.", 0.0, ocr.DOUBTFUL),
        ("41,234", 0.95, "41,234", None, True, "41,234", 0.0, ocr.DOUBTFUL),
        ("41,234", 0.95, "41,234", None, False, "41,234", ocr.AGREED, 1.0),
        ("▲1,234", 0.9, "1,234", None, True, "▲1,234", ocr.AGREED, 1.0),
    ],
    ids=["agree", "periods-repaired-by-digits-reading", "junk-separators-repaired", "decimal-kept",
         "third-sides-with-page", "three-different", "crops-agree-do-not-outvote-page", "second-missed",
         "minus-not-seen-again", "minus-seen-by-third", "dot-in-amount-doubtful", "comma-dot-doubtful",
         "two-commas-doubtful", "part-ending-in-two-separators-doubtful",
         "leading-4-where-loss-likely",
         "leading-4-elsewhere", "triangle-kept"],
)
def test_judge_number(first: str, conf: float, second: str, third: str | None, negative: bool, text: str,
                      at_least: float, at_most: float) -> None:
    got, got_conf = ocr.judge_number(first, conf, second, third, negative)
    assert got == text
    assert at_least <= got_conf <= at_most


def test_a_number_the_readings_disagree_on_lowers_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong_digits(image: Image.Image, numbers: list, lang: str, deadline: float, scale: int = 1) -> list:
        return [[(0.0, "9" * len(n.text), 0.99)] for n in numbers]

    monkeypatch.setattr(ocr, "_read_digits", wrong_digits)
    lines = ocr.read_image(draw_page(FORM[:3]), PX, time.perf_counter() + 120)
    amount = next(line for line in lines if "申込金額" in line.text)
    assert amount.confidence <= ocr.DISAGREED
    title = next(line for line in lines if "融資申込書" in line.text)
    assert title.confidence > ocr.DISAGREED, "a line without numbers keeps Tesseract's confidence"


@pytest.mark.parametrize(
    ("between", "split"),
    [("comma", True), ("nothing", False), ("ruled-line", False)],
    ids=["dropped-comma-between-numbers", "column-gap", "table-rule-between-columns"],
)
def test_numbers_with_a_dropped_separator_between_are_doubtful(between: str, split: bool) -> None:
    ink = np.full((200, 600), 255, dtype=np.uint8)
    if between == "comma":
        ink[128:136, 150:156] = 0  # a comma the page's reading left out
    if between == "ruled-line":
        ink[0:200, 150:153] = 0
    words = [_word("1", 100, 120, 100, 140, number=True), _word("200", 190, 300, 100, 140, number=True)]
    got = ocr._split_numbers(ink < 128, words)
    assert (len(got) == 2) is split


# --- words to lines -------------------------------------------------------------------------------------

def _word(text: str, x0: int, x1: int, top: int = 100, bottom: int = 140, line: int = 0,
          conf: float = 0.9, number: bool = False) -> ocr._Word:
    return ocr._Word(text=text, box=(x0, top, x1, bottom), conf=conf, line_key=line, number=number)


PREP = ocr._Prepared(image=Image.new("L", (10, 10)), angle=0.0, size=A4_PX, px_per_pt=PX)


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ([_word("融", 100, 140), _word("資", 150, 190), _word("申込書", 200, 320)], "融資申込書"),
        ([_word("1", 100, 112), _word("0,", 136, 170), _word("000,", 214, 330), _word("000", 370, 480)],
         "10,000,000"),
        ([_word("6", 100, 120), _word("0", 142, 162), _word("ヶ月", 170, 250)], "60ヶ月"),
        ([_word("149,715,318", 100, 305), _word("155,704,000", 350, 555)], "149,715,318 155,704,000"),
        ([_word("売上高", 100, 220), _word("1,234", 600, 700)], "売上高 1,234"),
        ([_word("三丁目", 100, 220), _word("5", 230, 250), _word("番", 255, 295)], "三丁目5番"),
    ],
    ids=["spaces-between-kanji-removed", "full-width-amount-joined", "full-width-months-joined",
         "table-columns-kept-apart", "label-and-value-cells", "digit-beside-kanji-joined"],
)
def test_words_to_line_text(words: list[ocr._Word], text: str) -> None:
    (line,) = ocr.build_lines(words, PREP)
    assert line.text == text


def test_joined_words_leave_no_gap_in_the_boxes() -> None:
    words = [_word("1", 100, 112), _word("0,", 136, 170), _word("000", 214, 330)]
    (line,) = ocr.build_lines(words, PREP)
    for a, b in zip(line.boxes, line.boxes[1:]):
        assert b[0] - a[2] < 1.0, "a cell splitter must not cut a number"


def test_tesseract_lines_of_one_row_are_one_line() -> None:
    words = [_word("売上高", 100, 220, 100, 140, line=0), _word("1,234", 900, 1000, 108, 138, line=1),
             _word("営業利益", 100, 260, 200, 240, line=2)]
    lines = ocr.build_lines(words, PREP)
    assert [line.text for line in lines] == ["売上高 1,234", "営業利益"]


@pytest.mark.parametrize(
    ("confs", "numbers", "expected"),
    [([0.9, 0.5, 0.7], [False, False, False], 0.7), ([0.9, 0.97, 0.6], [False, True, True], 0.6),
     ([0.3, 0.97], [False, True], 0.97)],
    ids=["text-line-mean", "number-line-lowest-number", "a-bad-label-word-does-not-sink-a-number"],
)
def test_line_confidence(confs: list[float], numbers: list[bool], expected: float) -> None:
    words = [_word(str(i) if n else "字", 100 + 200 * i, 150 + 200 * i, conf=c, number=n)
             for i, (c, n) in enumerate(zip(confs, numbers))]
    (line,) = ocr.build_lines(words, PREP)
    assert line.confidence == pytest.approx(expected, abs=0.001)


def test_hocr_character_box_running_over_the_next_word_is_clipped() -> None:
    hocr = """
    <span class='ocr_line' id='line_1_1' title="bbox 10 10 500 50; baseline 0 0">
     <span class='ocrx_word' id='word_1_1' title='bbox 10 10 500 50; x_wconf 91'>
      <span class='ocrx_cinfo' title='x_bboxes 10 12 30 48; x_conf 99'>2</span>
      <span class='ocrx_cinfo' title='x_bboxes 40 12 400 48; x_conf 99'>0</span>
     </span>
     <span class='ocrx_word' id='word_1_2' title='bbox 70 10 110 50; x_wconf 80'>
      <span class='ocrx_cinfo' title='x_bboxes 70 10 110 50; x_conf 99'>&lt;</span>
     </span>
    </span>"""
    first, second = ocr.parse_hocr(hocr)
    assert (first.text, first.box, first.conf) == ("20", (10, 12, 70, 48), pytest.approx(0.91))
    assert second.text == "<" and second.line_key == first.line_key


# --- images: skew, specks, blank, limits ------------------------------------------------------------------

@pytest.mark.parametrize("angle", [-1.0, -0.4, 0.6, 1.0], ids=lambda a: f"{a:+.1f}deg")
def test_skew_is_measured(angle: float) -> None:
    page = draw_page([(60, 80 + 20 * i, "融資申込書に記載された金額を確認します。") for i in range(20)], angle=angle)
    small = np.asarray(page)[::2, ::2] < 128
    assert ocr.skew_angle(small) == pytest.approx(angle, abs=0.15)


def test_specks_go_and_commas_stay() -> None:
    ink = np.zeros((200, 300), dtype=bool)
    ink[20:23, 20:23] = True  # dust, far from anything
    ink[100:130, 100:115] = True  # a digit
    ink[126:131, 118:121] = True  # its comma
    ink[100:130, 124:139] = True  # the next digit
    out = ocr.erase_specks(ink)
    assert not out[20:23, 20:23].any()
    assert out[126:131, 118:121].all() and out[100:130, 100:115].all()


def test_blank_page_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (850, 1100), 255).save(path, dpi=(100, 100))
    result = ocr.ocr_source(ocr.PageSource(path=path, kind="image", index=0, width=612, height=792, name="x"))
    assert result.lines == () and "blank page" in (result.problem or "")


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_huge_image_is_reported_quickly(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(_png_header(20_000, 20_000))
    t0 = time.perf_counter()
    entry, pages = read_file(SourceFile(name="scan.png", path=path))
    assert time.perf_counter() - t0 < 5
    assert entry.status == "unreadable" and pages == []


def test_page_over_the_pixel_limit_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_PIXELS", 1_000_000)
    path = tmp_path / "scan.png"
    draw_page(FORM[:2]).save(path, dpi=(300, 300))
    result = ocr.ocr_source(ocr.PageSource(path=path, kind="image", index=0, width=595, height=842, name="x"))
    assert result.lines == () and "limit is 1000000 pixels" in (result.problem or "")


def test_page_over_its_time_is_a_problem_within_the_time(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHINSA_OCR_TIMEOUT", "0.3")
    path = tmp_path / "scan.png"
    draw_page(FORM).save(path, dpi=(300, 300))
    t0 = time.perf_counter()
    result = ocr.ocr_source(ocr.PageSource(path=path, kind="image", index=0, width=595, height=842, name="x"))
    assert time.perf_counter() - t0 < 3
    assert result.lines == () and "timed out" in (result.problem or "")


def test_missing_tesseract_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_tesserocr", None)  # neither the API in this process nor the command
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract")
    path = tmp_path / "scan.png"
    draw_page(FORM[:2]).save(path, dpi=(300, 300))
    result = ocr.ocr_source(ocr.PageSource(path=path, kind="image", index=0, width=595, height=842, name="x"))
    assert "not installed" in (result.problem or "")


# --- cache, parallel pages, files ------------------------------------------------------------------------

def test_second_run_reads_from_the_cache(tmp_path: Path, _cache: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scan.png"
    draw_page(FORM[:2]).save(path, dpi=(300, 300))
    src = ocr.PageSource(path=path, kind="image", index=0, width=595.2, height=841.92, name="scan.png")
    first = ocr.ocr_source(src)
    assert not first.cached and first.lines
    assert len(list(_cache.rglob("*.json"))) == 1

    def no_tesseract(*args: object, **kwargs: object) -> str:
        raise AssertionError("OCR ran again")

    monkeypatch.setattr(ocr, "tesseract", no_tesseract)
    again = ocr.ocr_source(src)
    assert again.cached and again.lines == first.lines


def test_pages_in_parallel_keep_their_order(tmp_path: Path) -> None:
    sources = []
    for i, text in enumerate(["融資申込書", "納税証明書", "損益計算書"]):
        path = tmp_path / f"p{i}.png"
        draw_page([(60, 60, text)], font=GOTHIC, size_pt=16).save(path, dpi=(300, 300))
        sources.append(ocr.PageSource(path=path, kind="image", index=0, width=595.2, height=841.92,
                                      name=path.name))
    results = ocr.ocr_pages(sources, workers=2)
    assert [r.lines[0].text for r in results] == ["融資申込書", "納税証明書", "損益計算書"]


def test_scanned_image_file_is_read_by_ocr(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "IMG_0001.jpg"
    draw_page(FORM).save(path, "JPEG", quality=80, dpi=(300, 300))
    with caplog.at_level(logging.DEBUG):
        entry, pages = read_file(SourceFile(name="IMG_0001.jpg", path=path))
    assert (entry.status, entry.error, len(pages), pages[0].source) == ("ok", None, 1, "ocr")
    assert "申込金額 12,500,000円" in pages[0].text
    assert not any("申込" in r.getMessage() or "12,500" in r.getMessage() for r in caplog.records), \
        "no document text in logs"


def test_mixed_pdf_is_read_page_by_page(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("IPAexG", GOTHIC))
    path = tmp_path / "scan0001.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont("IPAexG", 12)
    c.drawString(60, A4[1] - 80, "損益計算書 売上高 1,234,567円 営業利益 234,567円")
    c.showPage()
    scan = draw_page([(60, 60, "納税証明書"), (60, 100, "滞納がないことを証明します。")])
    c.drawImage(ImageReader(scan), 0, 0, A4[0], A4[1])
    c.showPage()
    c.save()
    entry, pages = read_file(SourceFile(name="scan0001.pdf", path=path))
    assert entry.status == "ok"
    assert [p.source for p in pages] == ["text", "ocr"]
    assert [line.text for line in pages[1].lines] == ["納税証明書", "滞納がないことを証明します。"]


def test_cache_dir_defaults_under_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHINSA_CACHE_DIR")
    assert ocr.cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "shinsa" / "ocr"


# -- check boxes (find_boxes, mark_boxes) ----------------------------------------------------------------

TICKS = [
    (60, 60, "事業区分　□中小企業事業　■国民生活事業"),
    (60, 110, "資金使途　■設備資金　□運転資金"),
    (60, 160, "振込口座　普通預金"),
]


@pytest.mark.parametrize("font", [MINCHO, GOTHIC], ids=["mincho", "gothic"])
@pytest.mark.parametrize("size_pt", [9.5, 11.0], ids=["9.5pt", "11pt"])
def test_tick_list_marks_are_read_from_the_image(font: str, size_pt: float) -> None:
    lines = [line.text for line in ocr.read_image(draw_page(TICKS, font, size_pt, angle=0.4), PX,
                                                  time.perf_counter() + 120)]
    assert any("□中小企業事業" in t and "■国民生活事業" in t for t in lines), lines
    assert any("■設備資金" in t and "□運転資金" in t for t in lines), lines
    assert any("口座" in t for t in lines), lines  # a lone 口 is the kanji, not a box


@pytest.mark.parametrize(
    ("text", "marks"),
    [("■設備資金", ["■"]), ("□設備　□運転", ["□", "□"]), ("□設備　■運転", ["□", "■"]),
     ("口座番号", []), ("□設備資金", []), ("●設備資金", ["●"]), ("回田国日", [])],
    ids=["filled", "two-hollow", "hollow-and-filled", "kanji-kuchi", "lone-hollow", "bullet-a-dot-not-a-box",
         "boxed-kanji"],
)
def test_find_boxes(text: str, marks: list[str]) -> None:
    prep = ocr.prepare(draw_page([(60, 60, text)], GOTHIC, 10.5), PX)
    found = sorted(ocr.find_boxes(prep), key=lambda m: m[1][0])
    assert [m for m, _ in found] == marks
    for _, (x0, y0, x1, y1) in found:
        assert y0 >= 60 * PX - 5 and y1 <= 80 * PX  # on the row drawn


def test_a_mark_tesseract_read_as_a_kanji_is_its_own_confident_word() -> None:
    image = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 400, 440, 440), fill=0)  # ■ at 40 px (9.6 pt)
    prep = ocr._Prepared(image=image, angle=0.0, size=A4_PX, px_per_pt=PX)
    word = ocr._Word(text="還国民", box=(398, 398, 560, 442), conf=0.6, line_key=3,
                     chars=[(398, 398, 442, 442), (446, 398, 500, 442), (504, 398, 560, 442)])
    out = ocr.mark_boxes(prep, [word])
    assert [(w.text, w.conf, w.line_key) for w in out] == [("■", ocr.MARK_CONF, 3), ("国民", 0.6, 3)]
    assert out[1].box == (446, 398, 560, 442)


@pytest.mark.parametrize(
    ("rows", "marks"),
    [([(60, 60, "□要綱2(1)の者"), (60, 80, "■要綱2(2)の者")], ["□", "■"]),
     ([(60, 60, "□要綱2(1)の者"), (60, 80, "□要綱2(2)の者")], []),  # nothing ticked: read as it is
     ([(60, 60, "振込口座"), (60, 80, "口座番号")], []),
     ([(60, 60, "□要綱2(1)の者"), (60, 200, "□要綱2(2)の者")], [])],
    ids=["column-hollow-and-filled", "column-none-ticked", "kuchi-above-kuchi-not-a-list", "too-far-apart"],
)
def test_find_boxes_in_a_column(rows: list[tuple[float, float, str]], marks: list[str]) -> None:
    prep = ocr.prepare(draw_page(rows, GOTHIC, 10.5), PX)
    assert [m for m, _ in sorted(ocr.find_boxes(prep), key=lambda m: m[1][1])] == marks


@pytest.mark.parametrize("font", [MINCHO, GOTHIC], ids=["mincho", "gothic"])
def test_large_letter_spaced_title_is_read_whole(font: str) -> None:
    # a statement's cover: 28-point characters two ems apart, whose long strokes are as long as a short rule
    rows = [(170 + 56 * i, 200, ch) for i, ch in enumerate("決算報告書")] + [(60, 300, "株式会社福井精密")]
    lines = ocr.read_image(draw_page(rows, font, 28.0, angle=0.3), PX, time.perf_counter() + 120)
    assert "".join(lines[0].text.split()) == "決算報告書", [line.text for line in lines]


def test_a_large_characters_strokes_are_not_taken_for_rules() -> None:
    prep = ocr.prepare(draw_page([(100, 100, "書")], MINCHO, 30.0), PX)
    original = np.asarray(draw_page([(100, 100, "書")], MINCHO, 30.0)) < 128
    cleaned = np.asarray(prep.image) < 128
    assert cleaned.sum() >= 0.97 * original.sum()  # its bars, 26 points long, are still there


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1oTを活用した", "IoTを活用した"), ("loT機器", "IoT機器"), ("|oT・AI", "IoT・AI"), ("ToT施工管理", "IoT施工管理"),
     ("IoT", "IoT"), ("TOTAL", "TOTAL"), ("ToTAL", "ToTAL"), ("10T", "10T"), ("PhotoT", "PhotoT")],
    ids=["one", "ell", "bar", "tee", "right", "caps-word", "mixed-word", "digits", "inside-a-word"],
)
def test_iot_as_ocr_misreads_it(text: str, expected: str) -> None:
    assert ocr._IOT.sub("IoT", text) == expected


@pytest.mark.parametrize("read", ["(1oT", "(IoT"], ids=["misread", "read-right"])
def test_iot_letters_are_sure_whatever_tesseract_doubted(read: str) -> None:
    """「1oT」 at 0.6 for its 「1」 is 「IoT」, sure; the characters around it keep their words' confidences."""
    words = [_word("設備資金", 100, 260, conf=0.96), _word(read, 262, 400, conf=0.6), _word("機器", 402, 480, conf=0.93)]
    (line,) = ocr.build_lines(words, PREP)
    assert line.text == "設備資金(IoT機器"
    assert line.char_confidence == pytest.approx((0.96,) * 4 + (0.6,) + (ocr.IOT_REPAIRED,) * 3 + (0.93,) * 2)


def test_filled_circle_is_a_bullet_mark() -> None:
    prep = ocr.prepare(draw_page([(60, 60, "●設備資金　●運転資金")], GOTHIC, 10.5), PX)
    assert [m for m, _ in sorted(ocr.find_boxes(prep), key=lambda m: m[1][0])] == ["●", "●"]


def test_pages_are_read_in_threads_when_worker_processes_cannot_start(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(n: int) -> object:
        raise OSError("no semaphores here")

    monkeypatch.setattr(ocr, "_process_pool", no_processes)
    monkeypatch.setenv("SHINSA_OCR_PROCESSES", "1")
    paths = []
    for i, text in enumerate(["融資申込書", "納税証明書"]):
        path = tmp_path / f"p{i}.png"
        draw_page([(60, 60, text)], GOTHIC, 14.0).save(path, dpi=(300, 300))
        paths.append(path)
    sources = [ocr.PageSource(path=p, kind="image", index=0, width=595.0, height=842.0, name=p.name) for p in paths]
    results = ocr.ocr_pages(sources, workers=2)
    assert [r.lines[0].text for r in results] == ["融資申込書", "納税証明書"]


@pytest.mark.parametrize("text, expected", [
    ("有限会社たけふ精エ", "有限会社たけふ精工"), ("株式会社ひだ木エ 住所", "株式会社ひだ木工 住所"), ("エ場", "工場"),
    ("ロ座", "口座"), ("第ニ期", "第二期"), ("エネルギー", "エネルギー"), ("ロボット", "ロボット"),
    ("3カ月", "3カ月"), ("ハンズオン", "ハンズオン"), ("システムエ学", "システムエ学"),
])
def test_katakana_read_for_a_kanji_beside_kanji_is_the_kanji(text: str, expected: str) -> None:
    assert ocr._KANA_AMONG_KANJI.sub(lambda m: ocr._KANA_FOR_KANJI[m.group()], text) == expected


def test_ink_no_word_covers_left_of_a_row_is_found() -> None:
    """A label the page's reading missed (「給料手当」 left of its amount) widens its row's second reading."""
    prep = ocr.prepare(draw_page([(60, 100, "給料手当"), (400, 100, "42,201,742")], GOTHIC, 10.5), PX)
    y0, y1 = int(95 * PX), int(115 * PX)
    amount = ocr._Word("42,201,742", (int(400 * PX), int(100 * PX), int(470 * PX), int(111 * PX)), 0.9, 0)
    x0 = int(395 * PX)
    left = ocr._unread_ink_left(prep, [amount], x0, y0, y1, 8)
    assert int(50 * PX) < left < int(62 * PX)
    label = ocr._Word("給料手当", (int(60 * PX), int(100 * PX), int(102 * PX), int(111 * PX)), 0.9, 0)
    assert ocr._unread_ink_left(prep, [label, amount], x0, y0, y1, 8) == x0  # read already: nothing to add


def _page_words(prep: ocr._Prepared) -> list[ocr._Word]:
    return ocr.read_page(prep, time.perf_counter() + 60)


def test_a_row_the_pages_reading_left_out_is_read() -> None:
    """A row the page's reading dropped (Tesseract 5.5 takes some rows of heavy print for noise) is found as
    ink no word covers and read; the rows read already are not read twice."""
    prep = ocr.prepare(draw_page([(60, 100, "・事業計画書[様式第2号]"), (70, 116, "※資金需要を証する書類を添付")]), PX)
    words = _page_words(prep)
    first = [w for w in words if w.box[3] < 116 * PX]
    out = ocr.read_unread(prep, first, time.perf_counter() + 60)
    assert out[:len(first)] == first
    assert "".join(w.text for w in out[len(first):]) == "※資金需要を証する書類を添付"
    assert {w.line_key for w in out[len(first):]} == {ocr._UNREAD_KEY}
    assert ocr.read_unread(prep, words, time.perf_counter() + 60) == words  # all read: nothing to add


def test_a_scribble_the_pages_reading_did_not_cover_is_not_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signature's scribble beside a name, as tall as the text: Tesseract reads it as junk, unsure; no words
    come of it (and it is the confidence that turns the junk away: the band itself is found)."""
    image = draw_page([(60, 100, "代表者氏名 山田太郎")])
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(2)
    for x, y, dx, dy in zip(rng.integers(int(300 * PX), int(340 * PX), 120),
                            rng.integers(int(101 * PX), int(109 * PX), 120),
                            rng.integers(-12, 12, 120), rng.integers(-12, 12, 120)):
        draw.line([(int(x), int(y)), (int(x + dx), int(y + dy))], fill=0, width=3)
    prep = ocr.prepare(image, PX)
    name = [w for w in _page_words(prep) if w.box[2] < 270 * PX]
    assert "".join(w.text for w in name).startswith("代表者氏名山田")
    assert ocr.read_unread(prep, name, time.perf_counter() + 60) == name
    monkeypatch.setattr(ocr, "UNREAD_CONF", 0.0)
    assert len(ocr.read_unread(prep, name, time.perf_counter() + 60)) > len(name)


def _glyph_word(prep: ocr._Prepared, text: str, x_pt: float, width_pt: float) -> ocr._Word:
    return ocr._Word(text, (int(x_pt * PX), int(100 * PX), int((x_pt + width_pt) * PX), int(111 * PX)), 0.9, 0)


def test_a_short_number_boxed_one_glyph_late_is_read_from_the_glyph_before() -> None:
    """「金55,000」 whose 「55,」 Tesseract boxed from its second 5: read alone from the glyph before, it agrees."""
    prep = ocr.prepare(draw_page([(100, 100, "金55,000,000円")], GOTHIC, 10.5), PX)
    late = _glyph_word(prep, "55,", 124.0, 4.0)  # its glyphs: 金 102.7-112.1, 5 113.5-118.6, 5 120.0-125.0, 「,」
    assert ocr._same_number("55,", ocr._read_alone(prep, [late], time.perf_counter() + 30)[0])


def test_a_number_never_borrows_the_digit_after_the_one_its_box_shows() -> None:
    """「86」 read as 「6」 with its box on the 8: the crop reads 8, and the 6 one glyph on must not confirm 「6」."""
    prep = ocr.prepare(draw_page([(100, 100, "第86期")], GOTHIC, 10.5), PX)
    word = _glyph_word(prep, "6", 113.0, 5.0)  # its glyphs: 第 98.6-107.3, 8 108.7-114.2, 6 115.4-120.7
    assert not ocr._same_number("6", ocr._read_alone(prep, [word], time.perf_counter() + 30)[0])


def test_reading_no_numbers_alone_reads_nothing() -> None:
    prep = ocr.prepare(draw_page([(100, 100, "金額")], GOTHIC, 10.5), PX)
    assert ocr._read_alone(prep, [], time.perf_counter() + 30) == []


def test_boxes_in_a_ruled_table_are_found() -> None:
    """A tick list inside a table: the table's ruled frame is one shape around everything in it, and no glyph
    (the test that keeps 「回」's inner square from being a box must not take the frame for one)."""
    image = draw_page([(100, 104, "■設備資金　□運転資金")], GOTHIC, 10.5)
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in [(40, 90, 500, 90), (40, 130, 500, 130), (40, 90, 40, 130), (500, 90, 500, 130),
                           (90, 90, 90, 130)]:
        draw.line([(x0 * PX, y0 * PX), (x1 * PX, y1 * PX)], fill=0, width=4)
    prep = ocr.prepare(image, PX)
    assert [m for m, _ in sorted(ocr.find_boxes(prep), key=lambda m: m[1][0])] == ["■", "□"]


KANJI_NOTICE = [(60, 60, "交付決定通知書"), (60, 110, "補助金の額"), (200, 110, "金参百参拾万円")]


def _kanji_confidences(lines: tuple[Line, ...]) -> list[float]:
    line = next(line for line in lines if "補助金の額" in line.text)
    return [c for ch, c in zip(line.text, line.char_confidence) if ch in ocr.KANJI_NUMERALS]


@pytest.mark.skipif(not ocr.kanji_model_available(), reason="no Japanese script model")
def test_kanji_amount_both_models_read_alike_is_sure(monkeypatch: pytest.MonkeyPatch) -> None:
    readings: list[str] = []
    real = ocr._read_kanji
    monkeypatch.setattr(ocr, "_read_kanji", lambda *args: readings.append(real(*args)) or readings[-1])
    lines = ocr.read_image(draw_page(KANJI_NOTICE), PX, time.perf_counter() + 120)
    assert "金参百参拾万円" in next(line.text for line in lines if "補助金の額" in line.text)
    assert readings == ["金参百参拾万円"], "the script model read the amount's crop alone"
    assert min(_kanji_confidences(lines)) >= ocr.KANJI_AGREED


def test_kanji_amount_the_script_model_reads_otherwise_is_doubtful(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_read_kanji", lambda prep, span, deadline: "金参百万円")
    monkeypatch.setattr(ocr, "kanji_model_available", lambda: True)
    lines = ocr.read_image(draw_page(KANJI_NOTICE), PX, time.perf_counter() + 120)
    assert max(_kanji_confidences(lines)) <= ocr.DISAGREED


@pytest.mark.skipif(not ocr.kanji_model_available(), reason="no Japanese script model")
@pytest.mark.parametrize("seed", [0, 2, 4])
def test_light_mincho_kanji_amount_is_read_again_from_the_cleaned_page(seed: int) -> None:
    """A scanned, light Mincho 「金壱千弐百万円」: the script model reads it whole from the page as cleaned (cut
    again at its crop's own Otsu threshold, 「壱」 lost its thin strokes and the reading dropped it)."""
    image = degrade(draw_page([(60, 100, "補助対象経費"), (250, 100, "金壱千弐百万円")], MINCHO, 10.5),
                    random.Random(seed))
    prep = ocr.prepare(image, PX)
    amount = [w for w in _page_words(prep) if w.box[0] > 240 * PX]
    assert ocr._read_kanji(prep, amount, time.perf_counter() + 30) == "金壱千弐百万円"


def _form_with_label_column(shade: int | None) -> Image.Image:
    """A form's rows, labels in a grey column (``shade``; None: none), scanned noisy."""
    image = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(MINCHO, round(10.5 * PX))
    for i, (label, value) in enumerate(SHADED_FORM):
        top = (100 + 24 * i) * PX
        if shade is not None:
            draw.rectangle([60 * PX, top - 6 * PX, 200 * PX, top + 18 * PX], fill=shade)
        draw.text((66 * PX, top), label, font=face, fill=20)
        draw.text((210 * PX, top), value, font=face, fill=20)
    noisy = np.asarray(image).astype(np.float32) + np.random.default_rng(0).normal(0, 9, (image.height, image.width))
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))


SHADED_FORM = [("本店所在地", "福井県三方上中郡若狭町鳥浜12号8番地"), ("従業員数（常用）", "38名"),
               ("うち据置期間", "6ヶ月"), ("資金使途", "設備資金")]


def test_labels_in_a_shaded_column_are_read() -> None:
    """A grey label column, noisy on a scan, cut at one threshold reads as junk (「14 人ei県ー上中邦…」, 「和0」);
    its background brought to the paper's level, the rows read whole."""
    lines = ocr.read_image(_form_with_label_column(222), PX, time.perf_counter() + 60)
    assert [line.text for line in lines] == ["本店所在地 福井県三方上中郡若狭町鳥浜12号8番地", "従業員数 (常用) 38名",
                                             "うち据置期間 6ヶ月", "資金使途 設備資金"]


def test_a_page_without_shading_is_left_as_it_is() -> None:
    page = np.asarray(_form_with_label_column(None))
    assert ocr.unshade(page) is page
    shaded = np.asarray(_form_with_label_column(222))
    flat = ocr.unshade(shaded)
    assert flat is not shaded
    assert (flat[:, int(230 * PX):] == shaded[:, int(230 * PX):]).all(), "the white cells' pixels are untouched"

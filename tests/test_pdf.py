"""extractors.pdf: text-layer lines with boxes, reading order, table rows, pages left for OCR.

Every PDF is drawn here with reportlab and the IPAex fonts; nothing binary is committed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extractors import pdf
from extractors.errors import UnreadableFile
from pipeline.model import Page

GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
pdfmetrics.registerFont(TTFont("IPAexG", GOTHIC))
pdfmetrics.registerFont(TTFont("IPAexM", MINCHO))

W, H = A4
Draw = Callable[[Canvas], None]


def write_pdf(path: Path, *pages: Draw, encrypt: object = None) -> Path:
    """A PDF with one page per drawing function."""
    c = Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return path


def text_at(c: Canvas, x: float, top: float, text: str, font: str = "IPAexG", size: float = 10.5) -> None:
    """Draw ``text`` with its baseline ``top`` points below the top edge."""
    c.setFont(font, size)
    c.drawString(x, H - top, text)


def application_page(c: Canvas) -> None:
    """Page 1: a spaced heading, a dated line, a two-column P/L table with labels off their numbers."""
    text_at(c, 200, 60, "融 資 申 込 書", font="IPAexM", size=16)
    text_at(c, 400, 90, "令和6年5月10日")
    text_at(c, 60, 120, "申込者 株式会社福井精機")
    rows = [("売上高", "100,000", "120,000", 0.0), ("売上原価", "60,000", "70,000", -1.5),
            ("営業利益", "12,000", "15,500", 2.0)]
    for i, (label, prior, current, offset) in enumerate(rows):
        top = 160 + 20 * i
        text_at(c, 60, top + offset, label, size=11)  # the label sits a point or two off its numbers
        c.setFont("IPAexG", 9)
        c.drawRightString(300, H - top, prior)
        c.drawRightString(420, H - top, current)
    for i in range(50):  # a full page: ~60 lines in all
        text_at(c, 60, 240 + 11.5 * i, f"第{i + 1}項 設備資金として機械装置を導入する。", size=9)


def statement_page(c: Canvas) -> None:
    """Page 2: a heading and two lines, the second written right to left on the canvas."""
    text_at(c, 240, 60, "損益計算書", size=14)
    text_at(c, 300, 100, "2024年3月期")  # drawn before the left column: reading order must still be x order
    text_at(c, 60, 100, "科目")
    text_at(c, 60, 130, "経常利益 9,800")


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    path = write_pdf(tmp_path_factory.mktemp("pdf") / "application.pdf", application_page, statement_page)
    return pdf.pdf_pages(path, "application.pdf")


def test_two_pages_read_from_text_layer(two_pages: list[Page]) -> None:
    assert [(p.number, p.source, p.file) for p in two_pages] == [
        (1, "text", "application.pdf"), (2, "text", "application.pdf")]
    assert two_pages[0].width == pytest.approx(W) and two_pages[0].height == pytest.approx(H)
    assert len(two_pages[0].lines) == 56


def test_spaced_heading_is_joined(two_pages: list[Page]) -> None:
    assert two_pages[0].lines[0].text == "融資申込書"


def test_lines_in_reading_order(two_pages: list[Page]) -> None:
    first = [line.text for line in two_pages[0].lines[:6]]
    assert first[1] == "令和6年5月10日"
    # whether a space stays between two kanji words is normalize's call, not this module's
    assert first[2].replace(" ", "") == "申込者株式会社福井精機"
    assert [line.text.split()[0] for line in two_pages[0].lines[3:6]] == ["売上高", "売上原価", "営業利益"]
    assert two_pages[0].lines[6].text.startswith("第1項")
    assert two_pages[0].lines[-1].text.startswith("第50項")
    assert [line.text for line in two_pages[1].lines] == ["損益計算書", "科目 2024年3月期", "経常利益 9,800"]


@pytest.mark.parametrize(
    ("index", "tokens"),
    [(3, ["売上高", "100,000", "120,000"]),
     (4, ["売上原価", "60,000", "70,000"]),
     (5, ["営業利益", "12,000", "15,500"])],
    ids=["label-level-with-numbers", "label-1.5pt-below-numbers", "label-2pt-above-numbers"],
)
def test_table_row_is_one_line_with_numbers_in_x_order(two_pages: list[Page], index: int,
                                                       tokens: list[str]) -> None:
    line = two_pages[0].lines[index]
    assert line.text.split() == tokens
    starts = [line.bbox[0]]
    for token in tokens[1:]:
        start = line.text.index(token)
        box = line.span_bbox(start, start + len(token))
        starts.append(box[0])
    assert starts == sorted(starts)
    last = line.text.index(tokens[-1])
    # the current-period column is right-aligned at x = 420
    assert line.span_bbox(last, last + len(tokens[-1]))[2] == pytest.approx(420, abs=0.5)


def test_every_character_has_a_box_inside_the_page(two_pages: list[Page]) -> None:
    for page in two_pages:
        for line in page.lines:
            assert len(line.boxes) == len(line.text), line.text
            for x0, top, x1, bottom in line.boxes:
                assert 0 <= x0 <= x1 <= page.width and 0 <= top <= bottom <= page.height


def test_word_box_matches_where_it_was_drawn(two_pages: list[Page]) -> None:
    line = two_pages[0].lines[2]
    start = line.text.index("株式会社")
    x0, top, x1, bottom = line.span_bbox(start, start + 4)
    assert x0 > 60 and x1 < 60 + 13 * 10.5  # within the drawn string
    assert top < 120 < bottom + 3  # the baseline sits at 120 points from the top


def test_space_between_words_has_the_gap_as_its_box(two_pages: list[Page]) -> None:
    line = two_pages[0].lines[3]  # 売上高 100,000 120,000
    gap = line.text.index(" ")
    gx0, _, gx1, _ = line.boxes[gap]
    assert gx0 == pytest.approx(line.boxes[gap - 1][2]) and gx1 == pytest.approx(line.boxes[gap + 1][0])
    assert gx1 - gx0 > 50  # a column gap, not a word space


def blank(c: Canvas) -> None:
    pass


def few_chars(c: Canvas) -> None:
    text_at(c, 60, 60, "別紙")


def private_use(c: Canvas) -> None:
    text_at(c, 60, 60, "\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009 決算書")


def cp1252_mojibake(c: Canvas) -> None:  # Shift-JIS bytes read as cp1252: Š”Ž®‰ïŽÐ•...
    text_at(c, 60, 60, "株式会社福井精機 決算書 損益計算書".encode("cp932").decode("cp1252", errors="ignore"))


def _scan_image() -> ImageReader:
    buf = io.BytesIO()
    Image.new("L", (500, 700), 255).save(buf, format="PNG")
    buf.seek(0)
    return ImageReader(buf)


def scanned(c: Canvas) -> None:
    c.drawImage(_scan_image(), 0, 0, width=W, height=H)


def scanned_with_fax_header(c: Canvas) -> None:
    scanned(c)
    text_at(c, 20, 15, "2024/06/01 10:15 FAX 0776", size=7)


def text_over_small_logo(c: Canvas) -> None:
    c.drawImage(_scan_image(), 40, H - 100, width=60, height=60)
    text_at(c, 120, 60, "株式会社福井精機 代表取締役 福井太郎")


@pytest.mark.parametrize(
    ("draw", "source"),
    [(blank, "ocr"), (few_chars, "ocr"), (private_use, "ocr"), (cp1252_mojibake, "ocr"), (scanned, "ocr"),
     (scanned_with_fax_header, "ocr"), (text_over_small_logo, "text")],
    ids=["empty-page", "two-characters", "private-use-glyphs", "shift-jis-read-as-cp1252", "scanned-image",
         "scan-with-fax-header-text", "text-beside-small-logo"],
)
def test_page_without_usable_text_layer_is_left_for_ocr(tmp_path: Path, draw: Draw, source: str) -> None:
    [page] = pdf.pdf_pages(write_pdf(tmp_path / "p.pdf", draw), "p.pdf")
    assert page.source == source
    assert pdf.needs_ocr(page) is (source == "ocr")
    if source == "ocr":
        assert page.lines == ()


def test_mixed_pdf_is_decided_page_by_page(tmp_path: Path) -> None:
    pages = pdf.pdf_pages(write_pdf(tmp_path / "m.pdf", statement_page, scanned, statement_page), "m.pdf")
    assert [p.source for p in pages] == ["text", "ocr", "text"]


def test_overprinted_fake_bold_is_read_once(tmp_path: Path) -> None:
    def bold(c: Canvas) -> None:
        for dx in (0, 0.3):
            text_at(c, 60 + dx, 60, "資産合計 1,500,000")

    [page] = pdf.pdf_pages(write_pdf(tmp_path / "b.pdf", bold), "b.pdf")
    assert [line.text for line in page.lines] == ["資産合計 1,500,000"]


def test_encrypted_pdf_raises_unreadable(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "e.pdf", statement_page, encrypt="secret")
    with pytest.raises(UnreadableFile, match="暗号化") as info:
        pdf.pdf_pages(path, "e.pdf")
    assert info.value.file == "e.pdf"


def test_truncated_pdf_without_xref_is_repaired(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "full.pdf", statement_page, statement_page).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: data.rindex(b"xref")])  # cross-reference table and trailer lost
    read = pdf.read_pdf(path, "cut.pdf")
    assert read.repaired
    assert [p.lines[0].text for p in read.pages] == ["損益計算書", "損益計算書"]


def test_pdf_cut_in_half_raises_unreadable(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "full.pdf", application_page, statement_page).read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableFile, match="壊れたPDF"):
        pdf.pdf_pages(path, "half.pdf")


@pytest.mark.parametrize(
    ("frames", "dpi", "width"),
    [(1, (300, 300), 595.2), (3, (200, 200), 892.8), (1, None, 595.2)],
    ids=["one-frame-300dpi", "three-frames-200dpi", "no-dpi-taken-as-300"],
)
def test_image_pages_are_marked_for_ocr(tmp_path: Path, frames: int, dpi: tuple[int, int] | None,
                                        width: float) -> None:
    path = tmp_path / "scan.tif"
    images = [Image.new("L", (2480, 3508), 255) for _ in range(frames)]
    extra = {"dpi": dpi} if dpi else {}
    images[0].save(path, format="TIFF", save_all=True, append_images=images[1:], **extra)
    pages = pdf.image_pages(path, "scan.tif")
    assert [(p.number, p.source, p.lines) for p in pages] == [(i + 1, "ocr", ()) for i in range(frames)]
    assert pages[0].width == pytest.approx(width, abs=0.5)


def test_ocr_hook_reads_no_lines_from_a_missing_or_blank_image(tmp_path: Path) -> None:
    page = Page(file="scan.png", number=1, source="ocr", width=595.0, height=842.0)
    assert pdf.ocr_page(tmp_path / "scan.png", page) == ()
    Image.new("L", (850, 1100), 255).save(tmp_path / "scan.png")
    assert pdf.ocr_page(tmp_path / "scan.png", page) == ()


def _chars(texts: list[str]) -> list[dict[str, object]]:
    return [{"text": t} for t in texts]


@pytest.mark.parametrize(
    ("texts", "usable"),
    [(list("株式会社福井精機決算書"), True),
     (["(cid:12)"] * 8 + list("決算書"), False),
     (["(cid:12)"] + list("株式会社福井精機決算書"), True),
     (list("\ufffd\ufffd株式会社福井精機決算書"), False),
     (list("   株式会社 "), False)],
    ids=["clean-text", "mostly-unmapped-cid-glyphs", "one-cid-glyph-in-eleven", "replacement-characters",
         "spaces-do-not-count"],
)
def test_text_layer_usable(texts: list[str], usable: bool) -> None:
    assert pdf.text_layer_usable(_chars(texts), [], W * H) is usable

"""Drawing on A4 with reportlab: IPAex fonts, text, rules and ruled tables, measured in mm from the top left.

Everything here is layout only; what a page says is decided in ``forms``, ``statements`` and ``plans``.
Canvases are made with ``invariant=1`` so that a packet is the same bytes every time it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

GOTHIC = "JHGothic"
MINCHO = "JHMincho"
_FONT_FILES = {
    GOTHIC: Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    MINCHO: Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
}
PAGE_W_MM = A4[0] / mm
PAGE_H_MM = A4[1] / mm
_PT_MM = 25.4 / 72  # one point in mm

Cell = str | None  # None: this cell is merged into the cell on its left


def register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))


class Sheet:
    """One PDF file, drawn page by page; coordinates are mm from the page's top-left corner."""

    def __init__(self, path: Path, font: str = GOTHIC, producer: str = "") -> None:
        register_fonts()
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1)
        if producer:
            self.canvas.setCreator(producer)
        self.font = font
        self.page = 1  # the page being drawn (1-based)

    # -- text -------------------------------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, size: float = 10, align: str = "left",
             font: str | None = None) -> None:
        """Draw ``s`` with its baseline at ``y`` mm from the top."""
        c = self.canvas
        c.setFont(font or self.font, size)
        px, py = x * mm, (PAGE_H_MM - y) * mm
        if align == "right":
            c.drawRightString(px, py, s)
        elif align == "center":
            c.drawCentredString(px, py, s)
        else:
            c.drawString(px, py, s)

    def lines(self, x: float, y: float, texts: Sequence[str], size: float = 10, leading: float = 6,
              font: str | None = None) -> float:
        """Draw lines one under the other; returns the y below the last one."""
        for i, s in enumerate(texts):
            self.text(x, y + i * leading, s, size=size, font=font)
        return y + len(texts) * leading

    def width(self, s: str, size: float, font: str | None = None) -> float:
        return pdfmetrics.stringWidth(s, font or self.font, size) / mm

    # -- rules ------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, weight: float = 0.6) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.line(x0 * mm, (PAGE_H_MM - y0) * mm, x1 * mm, (PAGE_H_MM - y1) * mm)

    def box(self, x: float, y: float, w: float, h: float, weight: float = 0.6) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.rect(x * mm, (PAGE_H_MM - y - h) * mm, w * mm, h * mm)

    def shade(self, x: float, y: float, w: float, h: float, grey: float = 0.9) -> None:
        c = self.canvas
        c.saveState()
        c.setFillGray(grey)
        c.rect(x * mm, (PAGE_H_MM - y - h) * mm, w * mm, h * mm, stroke=0, fill=1)
        c.restoreState()

    def table(self, x: float, y: float, widths: Sequence[float], rows: Sequence[Sequence[Cell]],
              row_h: float | Sequence[float] = 7.0, size: float = 9, aligns: str = "",
              font: str | None = None, shade_rows: Sequence[int] = (), outer: float = 1.0,
              grid: bool = True) -> float:
        """A ruled table; ``aligns`` has one letter per column (l, r, c). Returns the y of its bottom.

        A cell may hold several lines separated by "\\n"; ``None`` merges a cell into its left neighbour.
        """
        heights = [row_h] * len(rows) if isinstance(row_h, (int, float)) else list(row_h)
        total_w = sum(widths)
        top = y
        for r, (row, h) in enumerate(zip(rows, heights)):
            if r in shade_rows:
                self.shade(x, top, total_w, h)
            col = 0
            cx = x
            while col < len(widths):
                span = 1
                while col + span < len(widths) and row[col + span] is None:
                    span += 1
                w = sum(widths[col:col + span])
                cell = row[col] or ""
                align = aligns[col] if col < len(aligns) else "l"
                self._cell(cx, top, w, h, cell, size, align, font)
                if grid and cx > x:
                    self.line(cx, top, cx, top + h, 0.4)
                cx += w
                col += span
            if grid:
                self.line(x, top, x + total_w, top, 0.4)
            top += h
        if grid:
            self.line(x, top, x + total_w, top, 0.4)
            self.box(x, y, total_w, top - y, outer)
        return top

    def _cell(self, x: float, y: float, w: float, h: float, cell: str, size: float, align: str,
              font: str | None) -> None:
        parts = cell.split("\n")
        leading = size * _PT_MM * 1.25
        first = y + h / 2 - leading * (len(parts) - 1) / 2 + size * _PT_MM * 0.35
        for i, part in enumerate(parts):
            by = first + i * leading
            if align == "r":
                self.text(x + w - 1.5, by, part, size, "right", font)
            elif align == "c":
                self.text(x + w / 2, by, part, size, "center", font)
            else:
                self.text(x + 1.5, by, part, size, "left", font)

    # -- pages ------------------------------------------------------------------------------------------
    def page_no(self, s: str, size: float = 8) -> None:
        self.text(PAGE_W_MM / 2, PAGE_H_MM - 8, s, size, "center")

    def next_page(self) -> None:
        self.canvas.showPage()
        self.page += 1

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


# -- how numbers and dates are written ------------------------------------------------------------------
_ZEN = str.maketrans("0123456789,.-()", "０１２３４５６７８９，．－（）")


def zen(s: str) -> str:
    """Full-width digits and punctuation, as a word processor form often has them."""
    return s.translate(_ZEN)


def amount(value: int, unit: int = 1, neg: str = "△") -> str:
    """``value`` yen printed in ``unit`` (1 or 1000), thousands separated, negatives with ``neg``."""
    if value % unit:
        raise ValueError(f"amount {value} is not a whole number of {unit}")
    v = value // unit
    return f"{neg}{-v:,}" if v < 0 else f"{v:,}"


_ERAS = ((date(2019, 5, 1), "令和", 2018), (date(1989, 1, 8), "平成", 1988), (date(1926, 12, 25), "昭和", 1925))


def wareki(d: date, day: bool = True) -> str:
    for start, era, offset in _ERAS:
        if d >= start:
            y = d.year - offset
            ys = "元" if y == 1 else str(y)
            return f"{era}{ys}年{d.month}月{d.day}日" if day else f"{era}{ys}年{d.month}月"
    raise ValueError(f"date {d} is before 昭和")


def wareki_year(fiscal_year: int) -> str:
    """令和6年度 for 2024."""
    if fiscal_year >= 2019:
        y = fiscal_year - 2018
        return f"令和{'元' if y == 1 else y}年度"
    return f"平成{fiscal_year - 1988}年度"


def seireki(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"

"""Drawing primitives for the sample documents: IPAex fonts, text placed from the top of the page,
ruled tables, stamps, and the small formatters (和暦/西暦 dates, yen amounts, spaced titles) every
form uses.

Coordinates are PDF points with the origin at the TOP-left (as pdfplumber reports them); the pen
converts to reportlab's bottom-left origin.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

MINCHO = "IPAexMincho"
GOTHIC = "IPAexGothic"
_FONT_FILES = {
    MINCHO: "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    GOTHIC: "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
}
PAGE_W, PAGE_H = A4

Align = Literal["l", "c", "r"]


def register_fonts() -> None:
    """Register the IPAex fonts once per process (reportlab keeps a global registry)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, path))


# ---------------------------------------------------------------- formatters

_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)
_FULLWIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def era_year(d: date) -> str:
    """「令和6年」 for 2024-06-01; 元年 for the first year of an era."""
    for start, name in _ERAS:
        if d >= start:
            n = d.year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年"
    raise ValueError(f"date {d} is before 昭和")


def fmt_date(d: date, wareki: bool) -> str:
    """「令和6年5月20日」 or 「2024年5月20日」."""
    year = era_year(d) if wareki else f"{d.year}年"
    return f"{year}{d.month}月{d.day}日"


def fiscal_year_label(fy: int, wareki: bool) -> str:
    """「令和5年度」 / 「2023年度」 for the fiscal year starting in April of ``fy``."""
    return f"{era_year(date(fy, 4, 1))}度" if wareki else f"{fy}年度"


def yen(n: int) -> str:
    return f"{n:,}"


def money(n: int, style: str) -> str:
    """An amount on a form: 「12,000,000円」, 「1,200万円」 or 「12,000千円」 (style yen / man / sen)."""
    if style == "man" and n % 10_000 == 0:
        return f"{n // 10_000:,}万円"
    if style == "sen" and n % 1_000 == 0:
        return f"{n // 1_000:,}千円"
    return f"{n:,}円"


def amount(n: int | None, unit: int, neg: str = "△", zero: str = "0") -> str:
    """A number in a statement column: ``n`` yen shown in ``unit`` (1 or 1000), negatives with △/▲."""
    if n is None:
        return ""
    if n == 0:
        return zero
    v = abs(n) // unit
    return f"{neg if n < 0 else ''}{v:,}"


def spaced(s: str, sep: str = " ") -> str:
    """「融 資 申 込 書」: one separator between characters, as printed on many real forms."""
    return sep.join(s)


def fullwidth(s: str) -> str:
    return s.translate(_FULLWIDTH)


# ---------------------------------------------------------------- the pen


@dataclass(frozen=True)
class Cell:
    """One table cell: text (lines split on ``\\n``), alignment, optional font/size, column span."""

    text: str = ""
    align: Align = "l"
    span: int = 1
    font: str | None = None
    size: float | None = None


class Pen:
    """Draws on a reportlab canvas with a top-left origin; ``fw`` turns ASCII digits into 全角."""

    def __init__(self, canvas: Canvas, fw: bool = False, family: str | None = None) -> None:
        register_fonts()
        self.c = canvas
        self.fw = fw
        self.family = family  # draw everything in this one font (one embedded subset per file)
        self.pages = 0  # pages started so far
        self._open = False

    # pages --------------------------------------------------------------
    def new_page(self) -> int:
        """Start a page (closing the previous one); returns its 1-based number."""
        if self._open:
            self.c.showPage()
        self._open = True
        self.pages += 1
        return self.pages

    def finish(self) -> None:
        if self._open:
            self.c.showPage()
            self._open = False

    # text ---------------------------------------------------------------
    def _t(self, s: str) -> str:
        return fullwidth(s) if self.fw else s

    def text(self, x: float, y: float, s: str, size: float = 10.5, font: str = MINCHO,
             align: Align = "l", raw: bool = False) -> None:
        """Draw ``s`` with its baseline at ``y`` (from the top); x is the left, centre or right edge."""
        s = s if raw else self._t(s)
        self.c.setFont(self.family or font, size)
        y_rl = PAGE_H - y
        if align == "c":
            self.c.drawCentredString(x, y_rl, s)
        elif align == "r":
            self.c.drawRightString(x, y_rl, s)
        else:
            self.c.drawString(x, y_rl, s)

    def para(self, x: float, y: float, s: str, width: float, size: float = 10.5, font: str = MINCHO,
             leading: float | None = None) -> float:
        """Wrap ``s`` character by character into ``width``; returns the baseline after the last line."""
        leading = leading or size * 1.6
        s = self._t(s)
        line = ""
        for ch in s:
            if ch == "\n" or pdfmetrics.stringWidth(line + ch, self.family or font, size) > width:
                self.text(x, y, line, size, font, raw=True)
                y += leading
                line = "" if ch == "\n" else ch
            else:
                line += ch
        if line:
            self.text(x, y, line, size, font, raw=True)
            y += leading
        return y

    def title(self, s: str, y: float, size: float = 16, font: str = GOTHIC) -> None:
        self.text(PAGE_W / 2, y, s, size, font, "c")

    # lines and shapes -----------------------------------------------------
    def hline(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.c.setLineWidth(width)
        self.c.line(x0, PAGE_H - y, x1, PAGE_H - y)

    def vline(self, x: float, y0: float, y1: float, width: float = 0.6) -> None:
        self.c.setLineWidth(width)
        self.c.line(x, PAGE_H - y0, x, PAGE_H - y1)

    def box(self, x: float, y: float, w: float, h: float, width: float = 0.6) -> None:
        self.c.setLineWidth(width)
        self.c.rect(x, PAGE_H - y - h, w, h)

    def stamp(self, x: float, y: float, s: str, r: float = 16) -> None:
        """A round seal centred at (x, y) with up to 2 short lines of text (印, 認定, 公印)."""
        self.c.setLineWidth(1.2)
        self.c.circle(x, PAGE_H - y, r)
        lines = s.split("\n")
        size = 9 if len(lines) > 1 else 11
        for i, line in enumerate(lines):
            dy = (i - (len(lines) - 1) / 2) * (size + 1)
            self.text(x, y + dy + size * 0.35, line, size, GOTHIC, "c", raw=True)

    # tables ---------------------------------------------------------------
    def table(self, x: float, y: float, widths: Sequence[float], rows: Sequence[Sequence[Cell | str]],
              row_h: float | Sequence[float] = 20, size: float = 9.5, font: str = MINCHO,
              pad: float = 4, rule_rows: bool = True) -> float:
        """A ruled table; returns the y of its bottom edge.

        ``rows`` hold cells left to right (a ``Cell.span`` covers several columns); a ``str`` is a
        left-aligned cell. ``row_h`` is one height or one per row. Multi-line cells are centred
        vertically as a block.
        """
        heights = [row_h] * len(rows) if isinstance(row_h, (int, float)) else list(row_h)
        total_w = sum(widths)
        top = y
        for row, h in zip(rows, heights):
            col = 0
            cx = x
            for raw_cell in row:
                cell = Cell(raw_cell) if isinstance(raw_cell, str) else raw_cell
                w = sum(widths[col:col + cell.span])
                self._cell_text(cx, top, w, h, cell, size, font, pad)
                cx += w
                col += cell.span
                if col < len(widths):
                    self.vline(cx, top, top + h)
            if rule_rows:
                self.hline(x, x + total_w, top + h)
            top += h
        self.box(x, y, total_w, top - y, 0.9)
        return top

    def _cell_text(self, x: float, top: float, w: float, h: float, cell: Cell, size: float, font: str,
                   pad: float) -> None:
        if not cell.text:
            return
        lines = cell.text.split("\n")
        sz = cell.size or size
        leading = sz * 1.35
        first = top + h / 2 - (len(lines) - 1) * leading / 2 + sz * 0.35
        room = w - 2 * pad
        for i, line in enumerate(lines):
            bx = {"l": x + pad, "c": x + w / 2, "r": x + w - pad}[cell.align]
            face = self.family or cell.font or font
            shown = self._t(line)
            if pdfmetrics.stringWidth(shown, face, sz) > room:  # 全角 digits that do not fit stay half-width
                shown = line
            fit = sz
            while fit > 5 and pdfmetrics.stringWidth(shown, face, fit) > room:
                fit -= 0.5
            self.text(bx, first + i * leading, shown, fit, face, cell.align, raw=True)

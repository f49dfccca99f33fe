"""Build ``Page`` objects from plain text lines for extractor unit tests (no PDF needed).

Each character gets a 10-point-wide box on its line; a line may carry column gaps written as
two or more spaces, which become wider gaps (so column positions are meaningful).
"""

from __future__ import annotations

from pipeline.model import BBox, Line, Page


def make_line(text: str, top: float, confidence: float = 1.0, char_width: float = 10.0) -> Line:
    boxes: list[BBox] = []
    x = 50.0
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            run = len(text[i:]) - len(text[i:].lstrip(" "))
            out.append(" ")
            boxes.append((x, top, x + char_width * run, top + 10.0))
            x += char_width * run * (3 if run > 1 else 1)
            i += run
            continue
        out.append(ch)
        boxes.append((x, top, x + char_width, top + 10.0))
        x += char_width
        i += 1
    return Line(text="".join(out), boxes=tuple(boxes), confidence=confidence)


def make_page(lines: list[str], number: int = 1, file: str = "test.pdf", source: str = "text",
              confidence: float = 1.0) -> Page:
    return Page(
        file=file,
        number=number,
        source=source,  # type: ignore[arg-type]
        width=595.0,
        height=842.0,
        lines=tuple(make_line(t, 40.0 + 14.0 * i, confidence) for i, t in enumerate(lines)),
    )


def grid_line(text: str, top: float, edges: list[float], confidence: float = 1.0, glue: bool = False,
              char_width: float = 10.0) -> Line:
    """``"label | a | b"``: the label from x=50, cell i right-aligned at ``edges[i]``; "" cells skipped.

    ``glue``: no space between cells, only the box gap (normalisation glues two Japanese cells).
    """
    label, *cells = [c.strip() for c in text.split("|")]
    parts: list[tuple[float, str]] = []
    if label:
        parts.append((50.0, label))
    for edge, cell in zip(edges, cells):
        if cell:
            parts.append((edge - char_width * len(cell), cell))
    chars: list[str] = []
    boxes: list[BBox] = []
    x_prev = None
    for x, s in parts:
        if x_prev is not None and not glue:
            chars.append(" ")
            boxes.append((x_prev, top, max(x, x_prev + 1), top + 10.0))
        for i, ch in enumerate(s):
            chars.append(ch)
            boxes.append((x + char_width * i, top, x + char_width * (i + 1), top + 10.0))
        x_prev = x + char_width * len(s)
    return Line("".join(chars), tuple(boxes), confidence)

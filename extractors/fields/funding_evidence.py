"""Fields of the evidence of funding need (見積書, 注文書, 請書, 契約書 of the equipment).

total_amount: the grand total, tax included when the document says so (税込合計, 御見積金額, 合計);
never a 小計, a tax line or a 税抜 total unless nothing else is printed. vendor: the company that issues
the quote (not the addressee written with 御中/様).
"""

from __future__ import annotations

from extractors.fields import common
from extractors.fields.common import Cell, Read, labels, put, read_field
from pipeline.model import Field, Page

# strongest first: a tax-included grand total, then the quote's headline amount, then any 合計
TOTAL_INCL = labels("税込合計金額", "税込合計", "合計金額(税込)", "合計(税込)", "総合計(税込)", "税込金額", "税込総額",
                    "御見積金額(税込)", "御見積合計(税込)")
TOTAL_HEAD = labels("御見積金額", "御見積合計", "御見積総額", "見積金額", "見積合計", "見積総額", "御請求金額",
                    "請求金額", "契約金額", "注文金額", "発注金額", "御注文金額", "請負代金額", "売買代金")
TOTAL_ANY = labels("総合計", "合計金額", "総額", "合計", not_after=("小",), not_before=r"\s*[(（]?\s*(?:税抜|税別|本体)")
TOTAL_EXCL = labels("税抜合計", "合計(税抜)", "合計(税別)", "税抜金額", "本体価格合計")
VENDOR = labels("見積者", "発行者", "販売者", "販売店", "業者名", "仕入先", "請負者", "受注者", "売主", "供給者", "発行元")
STOP = common.any_of(TOTAL_INCL, TOTAL_HEAD, TOTAL_ANY, TOTAL_EXCL, VENDOR,
                     labels("小計", "消費税", "有効期限", "納期", "支払条件", "納入場所"))


def _largest(cell: Cell, unit: int = 1) -> Read | None:
    """The largest amount in a cell (a total row also prints a quantity 「1式」 or a unit price)."""
    best: Read | None = None
    offset = 0
    while offset < len(cell.text):
        read = common.amount(cell.sub(offset, len(cell.text)), unit)
        if read is None:
            break
        if best is None or read.value > best.value:
            best = read
        offset = read.cell.end - cell.start
    return best


def _total(pages: list[Page], unit: int) -> Field | None:
    kinds: list[tuple[float, list[Read]]] = []
    for rx, base in ((TOTAL_INCL, 0.95), (TOTAL_HEAD, 0.93), (TOTAL_ANY, 0.9), (TOTAL_EXCL, 0.75)):
        reads: list[Read] = []
        for label in common.find_labels(pages, rx):
            after, note_unit = common.label_unit(label)
            row = Cell(label.page, label.line_index, after, len(label.line.text))  # 「合計 1式 3,300,000円」
            for cell in (row, *common.value_cells(label, STOP)):
                read = _largest(cell, note_unit or unit)
                if read is not None and read.value > 0:
                    reads.append(read)
                    break
        kinds.append((base, reads))
    for k, (base, reads) in enumerate(kinds):
        if not reads:
            continue
        # several totals of one kind (a per-page 合計 and the grand 合計): the largest is the document's
        best = max(reads, key=lambda r: r.value)
        others = {r.value for r in reads} - {best.value}
        confirmed = any(r.value == best.value for _, later in kinds[k + 1:] for r in later)
        factor = 0.9 if others and not confirmed else 1.0
        return common.to_field(Read(best.value, best.cell, best.confidence * factor),
                               max(base, 0.97) if confirmed else base)
    return None


def _vendor(pages: list[Page]) -> Field | None:
    labelled = read_field(pages, VENDOR, common.name, stop=STOP)
    if labelled is not None:
        return labelled
    # the company that is not the addressee (the addressee is the applicant, not the vendor)
    return next((f for f in (common.first_company(p, 0.8) for p in pages) if f is not None), None)


def extract(pages: list[Page]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    put(fields, "total_amount", _total(pages, common.page_unit(pages)))
    put(fields, "vendor", _vendor(pages))
    return fields

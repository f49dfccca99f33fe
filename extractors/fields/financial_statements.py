"""Fields of a 決算書 (one fiscal period): the P/L figures the programs' rules use, with their evidence.

The pages are walked line by line. A title (損益計算書, 販売費及び一般管理費内訳書, 製造原価報告書, 貸借対照表)
sets the statement being read; a section header (売上高, 販売費及び一般管理費, 営業外収益, ... and, in a
製造原価報告書, 材料費 / 労務費 / 経費) opens a section whose items follow. A section's total is read from
(in order of trust) a ``<section>合計`` / ``<section>計`` / ``当期<section>`` line, the header line itself, the right-hand
(totals) sub-column, an unlabelled number line, a bare 合計/計 line; failing all, the sum of its items.

Columns: a header line with 前期/当期 (前事業年度/当事業年度, 前期実績/当期実績) or with two different periods
(第11期/第12期, two 自…至 dates) makes period columns; every number of a row goes to the nearest one by x.
The 当期 column is the document's period; 前期 values become ``prior_<name>``. Without such a header, every
number is 当期.

``personnel_cost`` is the sum of the 人件費 lines of 販売費及び一般管理費 (``_PERSONNEL`` below: 役員報酬,
役員給与, 役員賞与, 給料手当 / 給与手当 / 給料及び手当 / 給料 / 給与 / 給料賃金 / 賃金 / 従業員給与, 雑給, 賞与,
賞与引当金繰入額, 退職金 / 退職給付費用 / 退職給与引当金繰入額, 法定福利費, 福利厚生費; a 人件費計 line inside
販管費 replaces its items) plus the 労務費 total of the 製造原価報告書 (its 合計 line or header number, or the sum
of its items: never both). ``depreciation`` is 減価償却費 of 販管費 plus 減価償却費 of the 製造原価報告書.

Self-checks (±1 printed unit per summand): 売上総利益 = 売上高 − 売上原価; 営業利益 = 売上総利益 − 販管費;
経常利益 = 営業利益 + 営業外収益 − 営業外費用; 販管費 = Σ its items. A broken identity caps the confidence of
the fields in it at 0.6; a held one raises them to 0.97; a value printed twice differently caps it at 0.5.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from extractors.fields import common
from extractors.fields.common import read_field
from extractors.fields.table import (
    Num,
    Row,
    assign_columns,
    evidence,
    is_outer,
    label_head,
    line_unit,
    split_row,
    subcolumn_split,
    tokens,
)
from extractors.normalize import parse_date, parse_term_number, parse_year_month
from pipeline.model import Field, Line, Page

log = logging.getLogger(__name__)

CURRENT, PRIOR = "current", "prior"
OTHER_COLUMN_GAP = 5.0  # points: a 増減 column this close to a period column is that column's own label
MAX_HEADER_CHARS = 24  # a header line naming a 増減 column is short (「科目 増減」)
DIRECT, SUMMED, VERIFIED, BROKEN, CONFLICT = 0.92, 0.8, 0.97, 0.6, 0.5
# a sum of items read by OCR outside any section it recognised (the page's title misread): the items whose
# labels OCR lost there go unseen and no total checks the sum, so it is never certain
LOOSE_OCR = 0.7

# --- statements (titles) -------------------------------------------------------------------------------
_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    # 「製」 may be lost or misread (「衣造原価報告書」): 「造原価報告書」 names no other statement
    (re.compile(r"造原価(?:報告書|明細書|計算書)|工事原価(?:報告書|明細書)"), "mfg"),
    (re.compile(r"(?:販売費及び|販売費および|販売費及)?一般管理費.{0,2}(?:内訳|明細)|販(?:売)?管(?:理)?費(?:内訳|明細)"), "sga"),
    (re.compile(r"損益計算書"), "pl"),
    (re.compile(r"貸借対照表"), "bs"),
    (re.compile(r"(?:株主|社員)資本等変動計算書|個別注記表|注記表"), "other"),
)

# --- sections ------------------------------------------------------------------------------------------
_PL_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sales", re.compile(r"純?売上高?|売上金額|売上収益|営業収益|営業収入|完成工事高|売上高?金額|収入金額")),
    ("cogs", re.compile(r"売上原価|完成工事原価|営業原価")),
    ("sga", re.compile(r"(?:販売費及び|販売費および|販売費・|販売費及)?一般管理費|販売管理費|販管費|営業費用")),
    ("noi", re.compile(r"営業外収益")),
    ("noe", re.compile(r"営業外費用")),
    ("sp_gain", re.compile(r"特別利益")),
    ("sp_loss", re.compile(r"特別損失")),
)
_MFG_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("material", re.compile(r"(?:原)?材料費")),
    ("labor", re.compile(r"労務費")),
    ("outsourcing", re.compile(r"外注(?:加工)?費")),
    ("expense", re.compile(r"(?:製造)?経費")),
)
_MFG_ONLY = re.compile(r"(?:原)?材料費|労務費")  # sections no statement but a 製造原価報告書 has
_MISREAD_NUMERAL = re.compile(r"^[A-Z](?=[\u4e00-\u9fff])")  # a roman section numeral read as one letter
_SUBTOTALS_PL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gross", re.compile(r"(?:売上|完成工事)総(?:利益|損失|損益).*")),
    ("operating", re.compile(r"営業(?:利益|損失|損益)(?:又は|または|/|・).*|営業(?:利益|損失|損益)")),
    ("ordinary", re.compile(r"経常(?:利益|損失|損益)(?:又は|または|/|・).*|経常(?:利益|損失|損益)")),
    ("pretax", re.compile(r"税引前当期(?:純)?(?:利益|損失|損益).*")),
    ("net", re.compile(r"当期純(?:利益|損失|損益).*")),
)
_SUBTOTALS_MFG: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mfg_total", re.compile(r"当期総製造費用|当期総工事費用")),
    ("mfg_cogm", re.compile(r"当期(?:製品)?製造原価|当期完成工事原価")),
)
_MFG_COGM = re.compile(r"当期(?:製品)?製造原価")
_TOTAL_SUFFIX = re.compile(r"(?:の)?(?:合計|総計|総額|計)$")
_AMOUNT_SUFFIX = re.compile(r"(?:金額|の部)$")
_BARE_TOTAL = re.compile(r"合計|総計|計|合計額")
_SUBTOTAL_WORD = re.compile(r"小計|差引.*")
# Sections whose bare 合計 is an intermediate sum (期首棚卸 + 仕入), not the section total.
_NO_BARE_TOTAL = {"cogs", "material"}

_PERSONNEL = re.compile(
    r"役員(?:報酬|給与|賞与|給与手当|給料手当)"
    r"|給料手当|給与手当|給料及び?手当|給料・手当|給料|給与|給料賃金|賃金|従業員(?:給与|給料)(?:手当)?"
    r"|雑給|賞与|従業員賞与|賞与手当|賞与引当金繰入額?"
    r"|退職金|退職給付費用|退職給与|退職給与引当金繰入額?"
    r"|法定福利費|福利厚生費"
)
_PERSONNEL_SUBTOTAL = re.compile(r"人件費(?:合計|小計|計)?")
# 人件費 items as printed (for reading an OCR-misread label back: 「賢与」 is 賞与)
_PERSONNEL_NAMES = (
    "役員報酬", "役員給与", "役員賞与", "給料手当", "給与手当", "給料及び手当", "給料", "給与", "給料賃金", "賃金",
    "従業員給与", "従業員給料", "雑給", "賞与", "従業員賞与", "賞与手当", "賞与引当金繰入額", "退職金", "退職給付費用",
    "退職給与", "退職給与引当金繰入額", "法定福利費", "福利厚生費", "賞与引当金繰入", "役員退職金",
)
# the other items of 販管費 and 製造経費 a statement commonly prints
_OTHER_ITEM_NAMES = (
    "減価償却費", "地代家賃", "支払家賃", "賃借料", "リース料", "修繕費", "水道光熱費", "電力費", "消耗品費", "事務用品費",
    "消耗工具器具備品費", "租税公課", "支払手数料", "販売手数料", "保険料", "雑費", "荷造運賃", "荷造発送費", "運賃",
    "発送配達費", "旅費交通費", "通信費", "広告宣伝費", "販売促進費", "接待交際費", "交際費", "会議費", "研究開発費",
    "外注費", "外注加工費", "車両費", "燃料費", "新聞図書費", "諸会費", "貸倒引当金繰入額", "貸倒損失", "支払報酬",
    "支払報酬料", "教育研修費", "研修費", "採用費", "寄付金", "見本費", "倉庫料", "保守料", "衛生費", "備品費",
    "管理費", "顧問料", "清掃費", "警備費", "長期前払費用償却", "のれん償却額", "ソフトウェア償却", "システム利用料",
)
_ITEM_NAMES = frozenset(_PERSONNEL_NAMES + _OTHER_ITEM_NAMES)
_DEPRECIATION = re.compile(r"減価償却費?|減価償却費計")

# --- header lines --------------------------------------------------------------------------------------
_HEADER_STRIP = re.compile(r"[()（）【】\[\]〔〕<>]")
# 期 as OCR misreads it: 「前其 当期」
_PRIOR_TOK = re.compile(r"前[期其]|前事業年度|前会計年度|前年度|前年|前[期其](?:実績|金額|決算)|前事業年度実績")
_CURRENT_TOK = re.compile(r"当[期其]|当事業年度|当会計年度|当年度|今期|本年度|当[期其](?:実績|金額|決算)|当事業年度実績")
_PERIOD_WORD = re.compile(
    r"(?:前|当)(?:事業年度|会計年度|[期其])(?:実績|金額|決算)?(?!純|首|末|製品|商品|総|損|利|未|売|仕|製|材|比|増|差)")
_OTHER_COLUMN = re.compile(r"(?:対前期|対前年)?(?:増減額?|差額|差異|比較増減)|(?:前期|前年)(?:比|対比)|構成比|百分比|比率")
_AMOUNT_HEADER = re.compile(r"金額(?:\((?:千円|百万円|円)\))?")
_DATE = "(?:" + common.DATE_RX.pattern + ")"
_FROM = re.compile(r"自\s*(" + _DATE + ")")
_TO = re.compile(r"至\s*(" + _DATE + ")")
# 「…から…」, 「…~…」 (OCR reads ~ as 一 or ー), and 「… 至 …」 whose 自 OCR lost
_FROM_TO = re.compile(r"(?<!至)(?<!至\s)(" + _DATE + r")\s*(?:から|より|~|〜|至|(?<=日)[一ー])\s*(" + _DATE + r")")
# 「自 DATE DATE」: 至 lost by OCR between the two dates
_FROM_BARE = re.compile(r"自\s*(" + _DATE + r")\s+(" + _DATE + r")")
# 令和 as OCR misreads its 令 on a scan (「自人和4年7月1日」): no other era ends in 和 but 昭和, which a statement's
# period no longer falls in; a date so read stands only when its period is a whole fiscal year (see _year_verified)
_ERA_LOOKALIKE = re.compile(r"[人今合]和(?=\s*(?:\d{1,2}|元)\s*年)")
_ERA_CHARS = frozenset("令和平成昭大正明治人今合元")
_AS_OF = re.compile(r"(" + _DATE + r")\s*現在")
_TERM = re.compile(r"第\s?\d{1,3}\s?期")
_ERA_YEAR = r"(?:(?:令和|平成|R|H)\s?(?:\d{1,2}|元)|\d{4})\s?年"
_MONTH_TERM = re.compile(_ERA_YEAR + r"\s?\d{1,2}\s?月期")  # 「令和6年3月期」
_FISCAL_YEAR = re.compile(_ERA_YEAR + r"度")  # 「2023年度」

# --- company name --------------------------------------------------------------------------------------
_NAME_LABELS = common.labels("会社名", "商号", "法人名", "事業者名", "企業名", "申込者名", "申込人", "申請者名",
                             "氏名又は名称", "社名")


@dataclass
class _Block:
    """One printed instance of a section: its items and the totals read for it, per column."""

    ctx: str
    section: str
    items: list[tuple[str, dict[str, Num]]] = field(default_factory=list)
    totals: list[tuple[int, dict[str, Num]]] = field(default_factory=list)  # (rank: lower is trusted more)


@dataclass
class _Val:
    value: int
    nums: list[Num]
    conf: float

    def capped(self, cap: float) -> _Val:
        return _Val(self.value, self.nums, min(self.conf, cap))


@dataclass
class _Reading:
    blocks: list[_Block] = field(default_factory=list)
    subtotals: dict[str, list[tuple[dict[str, Num], bool]]] = field(default_factory=dict)  # (nums, loss-only)
    loose: list[tuple[str, str, dict[str, Num]]] = field(default_factory=list)  # ctx, label, nums
    has_prior: bool = False


# ------------------------------------------------------------------------------------------------------
def extract(pages: list[Page]) -> dict[str, Field]:
    """The 決算書 fields of one document (one fiscal period, possibly several pages)."""
    if not pages:
        return {}
    fields: dict[str, Field] = {}
    source = pages[0].source
    name = find_company_name(pages)
    if name is not None:
        fields["company_name"] = name
    fields.update(_period_fields(pages))

    reading = _read(pages)
    cols = [CURRENT, PRIOR] if reading.has_prior else [CURRENT]
    for col in cols:
        values = _figures(reading, col)
        prefix = "" if col == CURRENT else "prior_"
        for key, val in values.items():
            page, bbox, raw, line_conf = evidence(val.nums)
            src = next((p.source for p in pages if p.number == page), source)
            fields[prefix + key] = Field(value=val.value, confidence=round(val.conf * line_conf, 3), page=page,
                                         bbox=bbox, source=src, raw=raw)
    return fields


# --- walking the pages ---------------------------------------------------------------------------------
@dataclass
class _Line:
    """A line after the per-page pass: its title / header role, or its rows with numbers per column."""

    title: str | None
    rows: list[tuple[Row, dict[str, list[Num]]]]


def _title_of(line: Line) -> str | None:
    text = line.text.replace(" ", "")
    if len(text) > 40 or any(c.isdigit() for c in _TERM.sub("", _strip_dates(text))):
        return None
    for pattern, ctx in _TITLES:
        if pattern.search(text):
            return ctx
    return None


def _strip_dates(text: str) -> str:
    return re.sub(_DATE, "", text)


def _period_columns(line: Line) -> list[tuple[str, float]] | None:
    """Column centers of a 前期/当期 (or two-period) header line, as (CURRENT|PRIOR|other, x).

    Columns that are not a period (増減, 前期比, 構成比) are kept as "other", so their numbers are not
    taken for the nearest period's.
    """
    periods = _period_marks(line)
    if periods is None:
        return None
    return periods + _other_columns(line)


def _other_columns(line: Line) -> list[tuple[str, float]]:
    """Centers of the columns of a header line that are not a period (増減, 前期比, 構成比)."""
    others = []
    for m in _OTHER_COLUMN.finditer(line.text):
        box = line.span_bbox(m.start(), m.end())
        others.append(("other", (box[0] + box[2]) / 2))
    return others


def _with_others(columns: list[tuple[str, float]], others: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Period columns plus the non-period columns a neighbouring header line named (a header printed over
    several lines: 「前期 当期」 / 「科目 増減」 / 「(第55期) (第56期)」), never two at one place."""
    extra = [o for o in others if all(abs(o[1] - x) > OTHER_COLUMN_GAP for _, x in columns)]
    return columns + extra


def _period_marks(line: Line) -> list[tuple[str, float]] | None:
    text = line.text
    found: dict[str, list[float]] = {}
    for start, end in tokens(line):
        tok = _HEADER_STRIP.sub("", text[start:end])
        key = PRIOR if _PRIOR_TOK.fullmatch(tok) else CURRENT if _CURRENT_TOK.fullmatch(tok) else None
        if key:
            box = line.span_bbox(start, end)
            found.setdefault(key, []).append((box[0] + box[2]) / 2)
    if not (PRIOR in found and CURRENT in found):  # 「科目前期当期」 glued into one token
        found = {}
        for m in _PERIOD_WORD.finditer(text):
            box = line.span_bbox(m.start(), m.end())
            found.setdefault(PRIOR if m.group().startswith("前") else CURRENT, []).append((box[0] + box[2]) / 2)
    if PRIOR in found and CURRENT in found:
        return [(PRIOR, found[PRIOR][0]), (CURRENT, found[CURRENT][-1])]
    for pattern, parse in ((_TERM, _term_key), (_TO, _date_key), (_FROM, _date_key), (_MONTH_TERM, _month_key),
                           (_FISCAL_YEAR, _fiscal_year_key)):
        marks = []
        for m in pattern.finditer(text):
            key_val = parse(m.group(1) if m.groups() else m.group())
            box = line.span_bbox(m.start(), m.end())
            marks.append((key_val, (box[0] + box[2]) / 2))
        distinct = {k for k, _ in marks if k is not None}
        if len(distinct) >= 2 and len(marks) == len(distinct):
            ordered = sorted(marks, key=lambda kv: kv[0])  # type: ignore[arg-type, return-value]
            names = ["other"] * (len(ordered) - 2) + [PRIOR, CURRENT]
            return [(names[i], x) for i, (_, x) in enumerate(ordered)]
    return None


def _term_key(s: str) -> date | int | None:
    return parse_term_number(s.replace(" ", ""))


def _date_key(s: str) -> date | int | None:
    return parse_date(s)


def _month_key(s: str) -> date | int | None:
    ym = parse_year_month(s.replace("期", ""))
    return None if ym is None else ym[0] * 12 + ym[1]


def _fiscal_year_key(s: str) -> date | int | None:
    ym = parse_year_month(s.replace("年度", "年4月"))
    return None if ym is None else ym[0]


def _is_amount_header(line: Line) -> bool:
    """「科目 金額」: a one-column header (「金 額」 spread out reads as one word too)."""
    text = _HEADER_STRIP.sub("", line.text.replace(" ", ""))
    return len(text) <= 16 and bool(_AMOUNT_HEADER.search(text))


@dataclass
class _Layout:
    """What the lines read so far declared: the table unit and the period columns (None: one column)."""

    unit: int = 1
    columns: list[tuple[str, float]] | None = None
    others: list[tuple[str, float]] = field(default_factory=list)  # 増減 / 構成比 columns of the header lines


def _page_lines(page: Page, layout: _Layout) -> list[_Line]:
    """First pass over one page: titles, unit and column headers, rows with their numbers per column."""
    out: list[_Line] = []
    for index, line in enumerate(page.lines):
        unit = line_unit(line)
        if unit is not None:
            layout.unit = unit
        title = _title_of(line)
        if title is not None:
            layout.columns = _period_columns(line)  # 「損益計算書 前期 当期」: title and header in one line
            layout.others = []
            out.append(_Line(title, []))
            continue
        rows = split_row(line, page.number, index, layout.unit)
        if not any(r.nums for r in rows):
            cols = _period_columns(line)
            if cols is not None:
                layout.columns = _with_others(cols, layout.others)
                continue
            others = _other_columns(line)
            if others and len(_HEADER_STRIP.sub("", line.text.replace(" ", ""))) <= MAX_HEADER_CHARS:
                layout.others = others  # 「科目 増減」 between two lines of a period header
                if layout.columns is not None:
                    layout.columns = _with_others(layout.columns, others)
                continue
            if _is_amount_header(line):
                layout.columns = None
                continue
        columns = layout.columns
        grouped: list[tuple[Row, dict[str, list[Num]]]] = []
        for row in rows:
            if not row.nums:
                grouped.append((row, {}))
                continue
            if columns is None:
                grouped.append((row, {CURRENT: list(row.nums)}))
            else:
                by_index = assign_columns(row.nums, [x for _, x in columns])
                grouped.append((row, {columns[i][0]: nums for i, nums in by_index.items()}))
        out.append(_Line(None, grouped))
    return out


def _read(pages: list[Page]) -> _Reading:
    reading = _Reading()
    layout = _Layout()
    ctx: str | None = None
    block: _Block | None = None
    for page in pages:
        lines = _page_lines(page, layout)
        splits: dict[str, tuple[float, float] | None] = {}
        for col in (CURRENT, PRIOR):
            splits[col] = subcolumn_split([g[col] for ln in lines for _, g in ln.rows if col in g])
        for ln in lines:
            if ln.title is not None:
                ctx = ln.title
                block = _Block(ctx, "sga") if ctx == "sga" else None
                if block is not None:
                    reading.blocks.append(block)
                continue
            # two label/number rows on one line: a side-by-side table (a 内訳書 in two halves), whose
            # right half is not a totals sub-column
            side_by_side = sum(1 for _, g in ln.rows if g) >= 2
            for row, groups in ln.rows:
                if PRIOR in groups:
                    reading.has_prior = True
                ctx, block = _interpret(reading, ctx, block, row, groups, splits, side_by_side)
    return reading


def _section_of(head: str, ctx: str | None) -> str | None:
    table = _MFG_SECTIONS if ctx == "mfg" else _PL_SECTIONS
    for key, pattern in table:
        if pattern.fullmatch(head):
            return key
    return None


def _subtotal_of(head: str, ctx: str | None) -> str | None:
    table = _SUBTOTALS_MFG if ctx == "mfg" else _SUBTOTALS_PL
    for key, pattern in table:
        if pattern.fullmatch(head):
            return key
    return None


_PL_MARKERS = {"sales", "cogs", "noi", "noe", "sp_gain", "sp_loss"}


def _interpret(reading: _Reading, ctx: str | None, block: _Block | None, row: Row,
               groups: dict[str, list[Num]], splits: dict[str, tuple[float, float] | None],
               side_by_side: bool = False) -> tuple[str | None, _Block | None]:
    """Second pass: one row changes the statement / section state and records items, totals, subtotals."""
    label = row.label
    head = _AMOUNT_SUFFIX.sub("", label_head(label))
    stripped = _TOTAL_SUFFIX.sub("", head)
    is_named_total = stripped != head
    if not is_named_total and head.startswith("当期") and _section_of(head[2:], ctx or "pl") is not None:
        stripped, is_named_total = head[2:], True  # 「当期労務費」, 「当期材料費」: a section's total
    if ctx != "pl" and (_section_of(stripped, "pl") in _PL_MARKERS or _subtotal_of(head, "pl") is not None):
        ctx, block = "pl", None  # a P/L whose title was not seen, or the P/L after another statement
    mfg_head = _MISREAD_NUMERAL.sub("", stripped)  # 「【T 労務費】」: Ⅱ read as a letter
    if ctx != "mfg" and _MFG_ONLY.fullmatch(mfg_head):
        # a 製造原価報告書 whose title OCR garbled (「製造原価報和汗書」): only it has 材料費 / 労務費 sections
        ctx, block = "mfg", None
    if ctx == "mfg":
        stripped = mfg_head
    if ctx in ("bs", "other"):
        return ctx, block
    last = {c: g[-1] for c, g in groups.items()}
    own = {c: g[0] for c, g in groups.items()}

    if _SUBTOTAL_WORD.fullmatch(head):  # 小計, 差引…: intermediate sums, neither a total nor an item
        return ctx, block

    subtotal = _subtotal_of(head, ctx)
    if subtotal is not None:
        if last:
            loss_only = "損失" in label and "利益" not in label and "損益" not in label
            reading.subtotals.setdefault(subtotal, []).append((last, loss_only))
        return ctx, None

    section = _section_of(stripped, ctx)
    if section is not None:
        if block is not None and block.section == section:
            if is_named_total or (last and block.items):
                if last:  # 「売上原価 29,000」 closing the 売上原価 items, or 「営業外収益合計」
                    block.totals.append((0, last))
                return ctx, None
            if last:
                block.totals.append((1, last))
            return ctx, block  # the section named again (一般管理費 inside a 販管費 内訳書)
        if is_named_total:
            if last:
                closed = _Block(ctx or "pl", section)
                closed.totals.append((0, last))
                reading.blocks.append(closed)
            return ctx, None
        block = _Block(ctx or "pl", section)
        reading.blocks.append(block)
        if last:  # the total printed on the header line; items may still follow
            block.totals.append((1, last))
        return ctx, block

    if not label and groups:  # a number line without a label closes the open section
        if block is not None:
            block.totals.append((3, last))
        return ctx, None

    if _BARE_TOTAL.fullmatch(head):
        if block is not None and block.section not in _NO_BARE_TOTAL:
            if last:
                block.totals.append((4, last))
            return ctx, None
        return ctx, block

    if not groups:
        return ctx, block
    if block is None:
        reading.loose.append((ctx or "pl", head, own))
        return ctx, block
    block.items.append((head, own))
    outer = {c: g[-1] for c, g in groups.items()
             if len(g) >= 2 or (not side_by_side and is_outer(g[0], splits.get(c)))}
    if outer:  # the section total in the right-hand sub-column, on its last item's line
        block.totals.append((2, outer))
        return ctx, None
    return ctx, block


# --- from readings to figures --------------------------------------------------------------------------
def _tol(nums: list[Num]) -> int:
    return sum(max(n.unit, 1) for n in nums)


def _agree(vals: list[_Val]) -> _Val | None:
    """The first value, capped when another reading of the same figure disagrees."""
    if not vals:
        return None
    first = vals[0]
    if any(v.value != first.value for v in vals[1:]):
        return first.capped(CONFLICT)
    return first


def _section_total(reading: _Reading, section: str, col: str, ctxs: tuple[str, ...]) -> _Val | None:
    candidates: list[tuple[int, Num]] = []
    for b in reading.blocks:
        if b.section == section and b.ctx in ctxs:
            candidates.extend((rank, nums[col]) for rank, nums in b.totals if col in nums)
    if candidates:
        candidates.sort(key=lambda rn: rn[0])
        return _agree([_Val(n.value, [n], DIRECT) for _, n in candidates])
    items = _primary_items(reading, section, col, ctxs)
    if items:
        nums = [n for _, n in items]
        return _Val(sum(n.value for n in nums), nums, SUMMED)
    return None


def _primary_items(reading: _Reading, section: str, col: str, ctxs: tuple[str, ...]) -> list[tuple[str, Num]]:
    """Items of the fullest printed block of a section (a P/L and its 内訳書 may both list them)."""
    best: list[tuple[str, Num]] = []
    for b in reading.blocks:
        if b.section == section and b.ctx in ctxs:
            items = [(label, nums[col]) for label, nums in b.items
                     if col in nums and not _TOTAL_SUFFIX.search(label)]
            if len(items) >= len(best):
                best = items
    return best


def _all_items(reading: _Reading, section: str | None, col: str, ctxs: tuple[str, ...]
               ) -> list[list[tuple[str, Num]]]:
    blocks = [[(label, nums[col]) for label, nums in b.items if col in nums]
              for b in reading.blocks if (section is None or b.section == section) and b.ctx in ctxs]
    return [b for b in blocks if b]


def _matching(reading: _Reading, section: str | None, col: str, ctxs: tuple[str, ...],
              pattern: re.Pattern[str], loose: bool) -> _Val | None:
    """Sum of the items matching ``pattern``, each label counted once across printed blocks.

    A P/L may itemise 販管費 and a 内訳書 repeat the items: a label met again in another block is the same
    item (a different value there makes the sum doubtful); rows of one block all count.
    """
    blocks = _all_items(reading, section, col, ctxs)
    extra: list[tuple[str, Num]] = []
    if loose:
        extra = [(label, nums[col]) for c, label, nums in reading.loose if c in ctxs and col in nums]
        if extra:
            blocks.append(extra)
    hits = [[(read, n) for read, n in ((item_name(label), n) for label, n in b) if pattern.fullmatch(read)]
            for b in blocks]
    hits = sorted((h for h in hits if h), key=len, reverse=True)
    if not hits:
        return None
    merged: dict[str, list[Num]] = {}
    doubtful = False
    for block in hits:
        by_label: dict[str, list[Num]] = {}
        for label, n in block:
            by_label.setdefault(label, []).append(n)
        for label, nums in by_label.items():
            if label not in merged:
                merged[label] = nums
            elif sum(n.value for n in merged[label]) != sum(n.value for n in nums):
                doubtful = True
    chosen = [n for nums in merged.values() for n in nums]
    val = _Val(sum(n.value for n in chosen), chosen, DIRECT)
    if any(n is e and n.confidence < 1.0 for n in chosen for _, e in extra):  # OCR (a text layer reads 1.0)
        val = val.capped(LOOSE_OCR)
    return val.capped(CONFLICT) if doubtful else val


def item_name(label: str) -> str:
    """An item's label, or the known item name it is one misread character away from (「賢与」 → 賞与,
    「荷造運任」 → 荷造運賃): only when every known name that near means the same for the sums (all 人件費,
    or all other items), else the label as read."""
    if label in _ITEM_NAMES or len(label) < 2:
        return label
    near = [n for n in _ITEM_NAMES if _one_apart(n, label)]
    if not near:
        return label
    if len({n in _PERSONNEL_NAMES for n in near}) == 1 and len({bool(_DEPRECIATION.fullmatch(n)) for n in near}) == 1:
        return sorted(near)[0]
    return label


def _maybe_personnel(label: str) -> bool:
    """A label not read as a 人件費 item that is one character from one (「雑絵」: 雑給 or 雑費)."""
    if _PERSONNEL.fullmatch(item_name(label)) or label in _ITEM_NAMES:
        return False
    return any(_one_apart(n, label) for n in _PERSONNEL_NAMES)


_PLAIN_LABEL = re.compile(r"[\u4e00-\u9fff\u30a1-\u30faー々]{2,}")  # kanji and katakana, as item names are printed


def _unreadable(label: str) -> bool:
    """An item label OCR garbled past naming (「しを3」 for 賞与): no known item, nor written as item names are."""
    name = item_name(label)
    return name not in _ITEM_NAMES and not _PLAIN_LABEL.fullmatch(name)


def _one_apart(a: str, b: str) -> bool:
    """Same length, one character different (how OCR misreads a printed label)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _subtotal(reading: _Reading, key: str, col: str) -> _Val | None:
    vals = []
    for nums, loss_only in reading.subtotals.get(key, []):
        if col in nums:
            n = nums[col]
            vals.append(_Val(-abs(n.value) if loss_only else n.value, [n], DIRECT))
    return _agree(vals)


def _add(a: _Val | None, b: _Val | None) -> _Val | None:
    if a is None or b is None:
        return a or b
    return _Val(a.value + b.value, a.nums + b.nums, min(a.conf, b.conf))


def _figures(reading: _Reading, col: str) -> dict[str, _Val]:
    pl = ("pl",)
    sga_ctx = ("pl", "sga")
    sales = _section_total(reading, "sales", col, pl)
    cogs = _section_total(reading, "cogs", col, pl)
    sga = _section_total(reading, "sga", col, sga_ctx)
    noi = _section_total(reading, "noi", col, pl)
    noe = _section_total(reading, "noe", col, pl)
    gross = _subtotal(reading, "gross", col)
    if gross is None and cogs is None:
        gross = sales  # 営業収益 − 営業費用 = 営業利益: no 売上原価, no 売上総利益
    operating = _subtotal(reading, "operating", col)
    ordinary = _subtotal(reading, "ordinary", col)

    # OCR'd 販管費 items whose label may hide a 人件費 or 減価償却費 item the sums below leave out (販管費 = Σ its
    # items still holds: the amount is there, only its name is lost)
    ocr_labels = [label for b in _all_items(reading, "sga", col, sga_ctx) for label, n in b if n.confidence < 1.0]
    unnamed = any(_unreadable(label) for label in ocr_labels)
    sga_personnel = _matching(reading, "sga", col, sga_ctx, _PERSONNEL_SUBTOTAL, loose=False)
    personnel_doubt = False
    if sga_personnel is None:
        sga_personnel = _matching(reading, "sga", col, sga_ctx, _PERSONNEL, loose=True)
        personnel_doubt = unnamed or any(_maybe_personnel(label) for label in ocr_labels)
    labor, labor_ok = _labor(reading, col)
    personnel = _add(sga_personnel, labor)
    if personnel is not None and personnel_doubt:
        personnel = personnel.capped(BROKEN)
    depreciation = _add(_matching(reading, "sga", col, sga_ctx, _DEPRECIATION, loose=True),
                        _matching(reading, None, col, ("mfg",), _DEPRECIATION, loose=True))
    if depreciation is not None and unnamed:
        depreciation = depreciation.capped(BROKEN)

    out: dict[str, _Val | None] = {
        "sales": sales, "operating_profit": operating, "non_operating_income": noi,
        "non_operating_expenses": noe, "ordinary_profit": ordinary, "depreciation": depreciation,
        "personnel_cost": personnel,
    }
    checks: list[tuple[bool | None, tuple[str, ...]]] = [
        (_identity(gross, [sales], [cogs]), ("sales",)),
        (_identity(operating, [gross], [sga]), ("operating_profit",)),
        (_identity(ordinary, [operating, noi or _zero()], [noe or _zero()]),
         ("ordinary_profit", "operating_profit", "non_operating_income", "non_operating_expenses")),
    ]
    sga_items = _primary_items(reading, "sga", col, sga_ctx)
    if sga is not None and sga_items and not (len(sga.nums) == len(sga_items) and sga.conf == SUMMED):
        items_sum = _Val(sum(n.value for _, n in sga_items), [n for _, n in sga_items], DIRECT)
        checks.append((_identity(sga, [items_sum], []), ("personnel_cost", "depreciation")))
    if labor_ok is False and personnel is not None:  # only ever lowers: it says nothing of the 販管費 part
        out["personnel_cost"] = personnel.capped(BROKEN)
        log.info("financial_statements: labour cost not certain (column %s)", col)
    for ok, names in checks:
        for name in names:
            val = out.get(name)
            if val is None or ok is None:
                continue
            if ok:
                if val.conf == DIRECT:
                    out[name] = _Val(val.value, val.nums, VERIFIED)
            else:
                out[name] = val.capped(BROKEN)
                log.info("financial_statements: identity broken for %s (column %s)", name, col)
    if _unreported_manufacturing(reading):  # 当期製品製造原価 without its 製造原価報告書: 労務費 and its 減価償却費 unseen
        for name in ("personnel_cost", "depreciation"):
            val = out.get(name)
            if val is not None:
                out[name] = val.capped(BROKEN)
        log.info("financial_statements: manufacturing cost report not printed (column %s)", col)
    return {k: v for k, v in out.items() if v is not None}


def _unreported_manufacturing(reading: _Reading) -> bool:
    """Whether the P/L prints a 当期製品製造原価 while no 製造原価報告書 was read: the 販管費 parts alone are
    not the company's whole 人件費 and 減価償却費."""
    made = any(b.ctx == "pl" and any(_MFG_COGM.fullmatch(h) for h, _ in b.items) for b in reading.blocks) \
        or any(c == "pl" and _MFG_COGM.fullmatch(h) for c, h, _ in reading.loose)
    seen = any(b.ctx == "mfg" for b in reading.blocks) or any(c == "mfg" for c, _, _ in reading.loose) \
        or any(k in reading.subtotals for k, _ in _SUBTOTALS_MFG if k != "mfg_cogm")
    return made and not seen


def _labor(reading: _Reading, col: str) -> tuple[_Val | None, bool | None]:
    """The 労務費 of the 製造原価報告書, and whether it is sure (None: no 製造原価報告書 or nothing to check).

    The section total (a 労務費計 / 当期労務費 line, the header line, the right sub-column of its last item)
    is checked against the sum of its items when they are printed. A 製造原価報告書 whose 労務費 section was
    not recognised falls back on its 人件費-like items (賃金, 賞与, 法定福利費 ...) and is doubtful either way.
    """
    mfg = ("mfg",)
    labor = _section_total(reading, "labor", col, mfg)
    if labor is not None:
        items = _primary_items(reading, "labor", col, mfg)
        if labor.conf == SUMMED or not items:
            return labor, None
        items_sum = _Val(sum(n.value for _, n in items), [n for _, n in items], DIRECT)
        return labor, _identity(labor, [items_sum], [])
    seen = any(b.ctx == "mfg" and (b.items or b.totals) for b in reading.blocks) \
        or any(c == "mfg" and col in nums for c, _, nums in reading.loose)
    if not seen:
        return None, None
    return _matching(reading, None, col, mfg, _PERSONNEL, loose=True), False


def _zero() -> _Val:
    return _Val(0, [], DIRECT)


def _identity(result: _Val | None, plus: list[_Val | None], minus: list[_Val | None]) -> bool | None:
    """Whether result = Σplus − Σminus within ±1 printed unit per summand; None when a term is missing."""
    terms = [result, *plus, *minus]
    if any(t is None for t in terms):
        return None
    expected = sum(t.value for t in plus if t) - sum(t.value for t in minus if t)
    tolerance = sum(_tol(t.nums) for t in terms if t)
    return abs(result.value - expected) <= tolerance  # type: ignore[union-attr]


# --- document-level fields -----------------------------------------------------------------------------
def _field(page: Page, line: Line, start: int, end: int, value: object, confidence: float) -> Field:
    return Field(value=value, confidence=round(confidence * line.span_confidence(start, end), 3),
                 page=page.number, bbox=line.span_bbox(start, end), source=page.source, raw=line.text[start:end])


def _whole_year(start: date, end: date) -> bool:
    """Whether ``start``..``end`` is one fiscal year (end = start + 12 months − 1 day)."""
    try:
        return end == date(start.year + 1, start.month, start.day) - timedelta(days=1)
    except ValueError:  # 29 February
        return end == date(start.year + 1, 2, 28)


def _year_verified(f: Field, line: Line, start: int, end: int) -> Field:
    """A period date whose other end makes it a whole fiscal year: two readings of its digits agree (as the
    P/L's identities verify its figures), so its digits' doubt (a single digit the digits model did not
    see) is lifted; the confidence is ``VERIFIED`` × its other characters' confidence."""
    # the era (「令和」, or its misread 「人和」) is verified with the digits: the year it makes is the one that fits
    confs = [c for ch, c in zip(line.text[start:end], line.char_confidence[start:end])
             if not ch.isdigit() and ch not in _ERA_CHARS]
    if not confs:
        return f
    return f.model_copy(update={"confidence": round(max(f.confidence, VERIFIED * sum(confs) / len(confs)), 3)})


def _period_fields(pages: list[Page]) -> dict[str, Field]:
    """period_start / period_end (the latest 自…至 period printed: the 当期), fiscal_term (the highest 第N期)."""
    periods: list[tuple[date, date | None, Field, Field | None]] = []
    pending: list[tuple[date, Field]] = []
    as_of: list[tuple[date, Field]] = []
    terms: list[tuple[int, Field]] = []
    spans: dict[int, tuple[Line, int, int]] = {}  # id(field) → where it was read

    def mk(page: Page, line: Line, start: int, end: int, value: object, confidence: float) -> Field:
        f = _field(page, line, start, end, value, confidence)
        spans[id(f)] = (line, start, end)
        return f

    for page in pages:
        for line in page.lines:
            text = line.text
            era = DIRECT
            if page.source == "ocr" and _ERA_LOOKALIKE.search(text):
                text, era = _ERA_LOOKALIKE.sub("令和", text), BROKEN  # same length: spans stay the line's
            bare = set()
            for m in itertools.chain(_FROM_TO.finditer(text), _FROM_BARE.finditer(text)):
                start, end = parse_date(m.group(1)), parse_date(m.group(2))
                if start and end and start < end:
                    periods.append((end, start, mk(page, line, m.start(2), m.end(2), end, era),
                                    mk(page, line, m.start(1), m.end(1), start, era)))
                    if m.re is _FROM_BARE:
                        bare.add(m.start(1))
            for m in _FROM.finditer(text):
                if m.start(1) in bare:
                    continue
                d = parse_date(m.group(1))
                if d:
                    pending.append((d, mk(page, line, m.start(1), m.end(1), d, era)))
            for m in _TO.finditer(text):
                d = parse_date(m.group(1))
                if d is None:
                    continue
                end_field = mk(page, line, m.start(1), m.end(1), d, era)
                starts = [(s, f) for s, f in pending if s < d]
                if starts:
                    s, f = max(starts, key=lambda sf: sf[0])
                    pending.remove((s, f))
                    periods.append((d, s, end_field, f))
                else:
                    periods.append((d, None, end_field, None))
            for m in _AS_OF.finditer(text):
                d = parse_date(m.group(1))
                if d:
                    as_of.append((d, mk(page, line, m.start(1), m.end(1), d, DIRECT * 0.9)))
            for m in _TERM.finditer(text):
                n = parse_term_number(m.group().replace(" ", ""))
                if n is not None:
                    terms.append((n, mk(page, line, m.start(), m.end(), n, DIRECT)))
    out: dict[str, Field] = {}
    if periods:
        end, _, end_field, _ = max(periods, key=lambda p: (p[0], p[1] is not None))
        same = [p for p in periods if p[0] == end]
        with_start = [p for p in same if p[3] is not None]
        out["period_end"] = end_field
        start_field = with_start[0][3] if with_start else None
        if start_field is not None:
            if len({p[1] for p in with_start}) > 1:
                start_field = start_field.model_copy(update={"confidence": CONFLICT})
            elif with_start[0][1] is not None and _whole_year(with_start[0][1], end):
                out["period_end"] = _year_verified(with_start[0][2], *spans[id(with_start[0][2])])
                start_field = _year_verified(start_field, *spans[id(start_field)])
            out["period_start"] = start_field
    elif as_of:
        out["period_end"] = max(as_of, key=lambda df: df[0])[1]
    if terms:
        out["fiscal_term"] = max(terms, key=lambda nf: nf[0])[1]
    return out


HEAD_LINES = 4  # a statement's head: its title, the period or date, the company, the unit
HEAD_NAME = 0.92  # base confidence of an unlabelled company name there (0.85 further down the page)
SURE_NAME = 0.8  # a page's name read this surely, unlike the one most pages read, makes the name doubtful


def find_company_name(pages: list[Page], max_lines: int = 25) -> Field | None:
    """The company (or applicant) name: a labelled name (会社名, 商号, 申込者名 ...), else the legal-form name
    (株式会社…) first in the top lines of the pages, as most pages read it."""
    labelled = read_field(pages, _NAME_LABELS, common.name)
    if labelled is not None:
        return labelled
    first: Field | None = None  # the first name found, in a page's top lines
    heads: list[Field] = []  # each page's first name in its head (under the title and the date), where a
    for page in pages:       # statement names the company it is of
        read = next(common.company_names(page, range(min(max_lines, len(page.lines)))), None)
        if read is None:
            continue
        head = read.cell.line_index < HEAD_LINES
        field = common.to_field(read, base=HEAD_NAME if head else 0.85)
        first = first or field
        if head:
            heads.append(field)
    if first is None:
        return None
    # the name most pages read (a cover's large title may read 「株式会社あさMM」 where the pages' heads read
    # 「株式会社あさひ精密」; one page's 「加貨精工」 among 「加賀精工」s), the first found on a tie, at its best
    # page's confidence; doubtful when another name is read as surely as the rules need
    readings = heads if any(f is first for f in heads) else [first, *heads]
    votes = Counter(f.value for f in readings)
    top = max(votes.values())
    winner = next(f.value for f in readings if votes[f.value] == top)
    best = max((f for f in readings if f.value == winner), key=lambda f: f.confidence)
    if any(f.value != winner and f.confidence >= SURE_NAME for f in readings):
        return best.model_copy(update={"confidence": round(best.confidence * common.CONFLICT, 3)})
    return best


__all__ = ["extract", "find_company_name"]

"""extractors/normalize.py: tables of real-looking strings, one id per case saying what it covers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors import normalize as n
from pipeline.model import BBox


def P(value: object, expected: object, id: str) -> object:  # noqa: A002 - pytest's own word
    return pytest.param(value, expected, id=id)


# -- normalize_text -------------------------------------------------------------------------------------

TEXT = [
    P("融 資 申 込 書", "融資申込書", "spaced-kanji-title"),
    P("住　　所", "住所", "justified-label-ideographic-spaces"),
    P("福井県 I o T ・ A I 等 導 入 支 援 資 金 要 綱", "福井県IoT・AI等導入支援資金要綱", "seed-title-spaced-letters"),
    P("I o T や A I を導入する", "IoTやAIを導入する", "letter-run-at-line-start"),
    P("また、A I とは", "また、AIとは", "letter-run-after-japanese-comma"),
    P("Total amount 12,345", "Total amount 12,345", "english-words-untouched"),
    P("A B C", "A B C", "letter-run-without-japanese-stays"),
    P("No. A B 12", "No. A B 12", "letter-run-next-to-digit-stays"),
    P("10,000 12,000", "10,000 12,000", "space-between-two-numbers-kept"),
    P("売上高 10,000", "売上高 10,000", "space-between-label-and-number-kept"),
    P("売上高　　　１０，０００", "売上高 10,000", "full-width-number-and-spaces"),
    P("3 融 資 限 度 額 1, 5 0 0 万円", "3 融資限度額 1, 5 0 0 万円", "seed-spaced-digits-kept"),
    P("  前期  当期  ", "前期当期", "strip-and-japanese-columns-merge"),
    P("ＡＢＣ　ｶﾞｽ", "ABC ガス", "full-width-latin-half-width-kana"),
    P("㈱サンプル工業", "(株)サンプル工業", "parenthesised-kabu-expands"),
    P("㍻31年", "平成31年", "era-square-ligature"),
    P("①売上高", "①売上高", "circled-number-kept"),
    P("△1,234 ▲5", "△1,234 ▲5", "triangles-kept"),
    P("〔融資対象者（1）の場合〕", "〔融資対象者(1)の場合〕", "tortoise-brackets-kept"),
    P("−1,234", "-1,234", "minus-sign-before-digit"),
    P("ー1,234", "-1,234", "prolonged-mark-used-as-minus"),
    P("データー 1", "データー 1", "prolonged-mark-after-kana-stays"),
    P("0776−20−0537", "0776-20-0537", "dashes-between-digits"),
    P("R5.4.1〜R6.3.31", "R5.4.1~R6.3.31", "wave-dash-to-tilde"),
    P("2023年4月1日～2024年3月31日", "2023年4月1日~2024年3月31日", "fullwidth-tilde-to-tilde"),
    P("融\u200b資", "融資", "zero-width-space-removed"),
    P("前期\t1,234", "前期 1,234", "tab-to-space"),
    P("一行目 \n  二行目", "一行目\n二行目", "newline-kept-spaces-around-it-dropped"),
    P("", "", "empty"),
]


@pytest.mark.parametrize("raw, expected", TEXT)
def test_normalize_text(raw: str, expected: str) -> None:
    assert n.normalize_text(raw) == expected


def _chars(s: str) -> list[tuple[str, BBox]]:
    return [(c, (float(i), 0.0, float(i) + 1.0, 10.0)) for i, c in enumerate(s)]


SINGLE_LINES = [p for p in TEXT if "\n" not in p.values[0]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw, expected", SINGLE_LINES)
def test_normalize_chars_gives_the_same_text_and_one_box_per_char(raw: str, expected: str) -> None:
    text, boxes = n.normalize_chars(_chars(raw))
    assert text == expected
    assert len(boxes) == len(text)


@pytest.mark.parametrize("raw, text, lefts", [
    pytest.param("融 資", "融資", [0, 2], id="removed-space-drops-its-box"),
    pytest.param("㈱サ", "(株)サ", [0, 0, 0, 1], id="expansion-shares-the-box"),
    pytest.param("ｶﾞｽ", "ガス", [0, 2], id="voiced-half-width-kana-unions-boxes"),
    pytest.param("A B  C", "A B C", [0, 1, 2, 3, 5], id="collapsed-run-keeps-first-space-box"),
    pytest.param(" ① 1", "① 1", [1, 2, 3], id="leading-space-dropped"),
])
def test_normalize_chars_boxes(raw: str, text: str, lefts: list[int]) -> None:
    got, boxes = n.normalize_chars(_chars(raw))
    assert got == text
    assert [int(b[0]) for b in boxes] == lefts


def test_normalize_chars_multi_char_and_empty_entries() -> None:
    chars = [("ﬁ", (0.0, 0.0, 2.0, 10.0)), ("", (2.0, 0.0, 3.0, 10.0)), ("le", (3.0, 0.0, 5.0, 10.0))]
    text, boxes = n.normalize_chars(chars)
    assert text == "file"
    assert [b[0] for b in boxes] == [0.0, 0.0, 3.0, 3.0]


def test_normalize_chars_empty() -> None:
    assert n.normalize_chars([]) == ("", ())


# -- amounts --------------------------------------------------------------------------------------------

AMOUNTS = [
    P(("1,234,567", 1), 1_234_567, "commas"),
    P(("1，234", 1), 1_234, "full-width-comma"),
    P(("１２３，４５６円", 1), 123_456, "full-width-digits-yen"),
    P(("1,234", 1000), 1_234_000, "thousand-yen-table"),
    P(("12.5", 1_000_000), 12_500_000, "million-yen-table-decimal"),
    P(("1,234千円", 1), 1_234_000, "sen-en-in-string"),
    P(("1,234千円", 1000), 1_234_000, "explicit-unit-wins-over-table-unit"),
    P(("1,234円", 1000), 1_234, "explicit-yen-wins-over-table-unit"),
    P(("12.5百万円", 1), 12_500_000, "hyakuman-decimal"),
    P(("1,500万円", 1), 15_000_000, "man-en"),
    P(("1, 5 0 0 万円", 1), 15_000_000, "seed-spaced-digits"),
    P(("1億2,000万円", 1), 120_000_000, "oku-and-man"),
    P(("7億2,000万円", 1), 720_000_000, "jfc-limit"),
    P(("3億円", 1), 300_000_000, "oku-en"),
    P(("金壱千五百万円", 1), 15_000_000, "daiji"),
    P(("金一千五百万円", 1), 15_000_000, "kanji"),
    P(("金 壱 阡 伍 佰 萬 円", 1), 15_000_000, "spaced-daiji-variants"),
    P(("金15,000,000円也", 1), 15_000_000, "kin-yen-nari"),
    P(("￥1,500,000-", 1), 1_500_000, "yen-sign-trailing-dash-is-nari"),
    P(("△1,234", 1), -1_234, "triangle-negative"),
    P(("▲1,234", 1000), -1_234_000, "black-triangle-negative-table"),
    P(("△ 1,234", 1), -1_234, "triangle-space"),
    P(("(1,234)", 1), -1_234, "parentheses-negative"),
    P(("（1,234）", 1), -1_234, "full-width-parentheses-negative"),
    P(("-1,234", 1), -1_234, "hyphen-minus"),
    P(("−1,234", 1), -1_234, "unicode-minus"),
    P(("1,234 ※2", 1), 1_234, "note-mark-stripped"),
    P(("1,234(注3)", 1), 1_234, "note-reference-stripped"),
    P(("売上高 10,000", 1000), 10_000_000, "label-then-number"),
    P(("販売費及び一般管理費 1,234", 1), 1_234, "kanji-one-in-label-ignored"),
    P(("売上高(千円) 1,234", 1), 1_234_000, "declaration-in-string-wins"),
    P(("資本金 10,000,000円", 1000), 10_000_000, "shihonkin-not-kin-prefix"),
    P(("借入金 1,234", 1000), 1_234_000, "karikirekin-not-kin-prefix"),
    P(("0", 1000), 0, "zero"),
    P(("三十", 1), 30, "whole-string-kanji"),
    P(("-", 1), None, "nil-is-not-an-amount-by-default"),
    P(("前期 1,234 当期 5,678", 1), None, "two-amounts-ambiguous"),
    P(("10,000 12,000", 1), None, "two-numbers-ambiguous"),
    P(("1.234", 1000), None, "ocr-comma-as-dot-doubtful"),
    P(("1,2345", 1), None, "bad-comma-grouping"),
    P(("1,234-", 1), None, "bare-trailing-minus-doubtful"),
    P(("(1,234", 1), None, "unclosed-parenthesis-doubtful"),
    P(("2024年3月31日", 1), None, "date-is-not-an-amount"),
    P(("令和5年", 1), None, "era-year-is-not-an-amount"),
    P(("0776-20-0537", 1), None, "phone-number"),
    P(("25名", 1), None, "count-is-not-an-amount"),
    P(("一般管理費", 1), None, "label-only"),
    P(("0.5円", 1), None, "not-whole-yen"),
    P(("", 1), None, "empty"),
    P(("abc", 1), None, "junk"),
]


@pytest.mark.parametrize("args, expected", AMOUNTS)
def test_parse_amount(args: tuple[str, int], expected: int | None) -> None:
    assert n.parse_amount(*args) == expected


@pytest.mark.parametrize("raw, expected", [
    P("-", True, "hyphen"), P("−", True, "minus"), P("―", True, "horizontal-bar"), P("ー", True, "choon"),
    P("－", True, "full-width-hyphen"), P(" — ", True, "em-dash-spaced"), P("--", True, "double"),
    P("0", False, "zero-is-a-value"), P("△", False, "triangle-alone"), P("", False, "empty"),
    P("-1", False, "negative-number"),
])
def test_is_nil(raw: str, expected: bool) -> None:
    assert n.is_nil(raw) is expected


def test_parse_amount_nil_is_zero_on_request() -> None:
    assert n.parse_amount("―", 1000, nil_is_zero=True) == 0
    assert n.parse_amount("abc", 1000, nil_is_zero=True) is None


@pytest.mark.parametrize("raw, expected", [
    P("(単位：千円)", 1000, "paren-sen-en"),
    P("（単位:円）", 1, "full-width-paren-en"),
    P("単位 千円", 1000, "bare-label"),
    P("[単位：百万円]", 1_000_000, "square-bracket-hyakuman"),
    P("【単位：千円】", 1000, "lenticular-bracket"),
    P("(千円)", 1000, "paren-unit-only"),
    P("(単位:万円)", 10_000, "man-en"),
    P("損益計算書　　　（単位：千円）", 1000, "after-a-title"),
    P("売上高", None, "no-declaration"),
    P("1,234千円", None, "amount-with-unit-is-not-a-declaration"),
])
def test_detect_unit(raw: str, expected: int | None) -> None:
    assert n.detect_unit(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    P("三十一", 31, "thirty-one"), P("二〇二四", 2024, "positional"), P("二千二十四", 2024, "counted"),
    P("壱千五百萬", 15_000_000, "daiji"), P("1億2千万", 120_000_000, "mixed"), P("千五百万", 15_000_000, "implicit-one"),
    P("百", 100, "hundred"), P("〇", 0, "zero"), P("十百", None, "bad-order"), P("一般", None, "not-a-number"),
    P("", None, "empty"),
])
def test_kanji_to_int(raw: str, expected: int | None) -> None:
    assert n.kanji_to_int(raw) == expected


# -- dates ----------------------------------------------------------------------------------------------

DATES = [
    P("2024年3月31日", date(2024, 3, 31), "seireki-kanji"),
    P("2024/3/31", date(2024, 3, 31), "slash"),
    P("2024-03-31", date(2024, 3, 31), "iso"),
    P("2024.3.31", date(2024, 3, 31), "dot"),
    P("２０２４年３月３１日", date(2024, 3, 31), "full-width-digits"),
    P("令和5年3月31日", date(2023, 3, 31), "reiwa"),
    P("令和元年5月1日", date(2019, 5, 1), "reiwa-gannen-first-day"),
    P("令和元年4月30日", None, "before-reiwa"),
    P("平成31年4月30日", date(2019, 4, 30), "heisei-last-day"),
    P("平成31年5月1日", date(2019, 5, 1), "heisei-counted-on-preprinted-form"),
    P("平成32年3月31日", date(2020, 3, 31), "heisei-32-is-2020"),
    P("平成元年1月8日", date(1989, 1, 8), "heisei-first-day"),
    P("平成元年1月7日", None, "before-heisei"),
    P("昭和64年1月7日", date(1989, 1, 7), "showa-last-day"),
    P("昭和64年1月8日", None, "after-showa"),
    P("昭和元年12月25日", date(1926, 12, 25), "showa-first-day"),
    P("昭和50年4月1日", date(1975, 4, 1), "showa"),
    P("大正元年7月30日", date(1912, 7, 30), "taisho-first-day"),
    P("大正15年12月25日", None, "after-taisho"),
    P("明治45年7月29日", date(1912, 7, 29), "meiji-last-day"),
    P("明治元年10月23日", date(1868, 10, 23), "meiji-gannen"),
    P("R5.3.31", date(2023, 3, 31), "abbrev-r"),
    P("H31.4.30", date(2019, 4, 30), "abbrev-h"),
    P("S50.1.1", date(1975, 1, 1), "abbrev-s"),
    P("令5.3.31", date(2023, 3, 31), "abbrev-rei"),
    P("R元.5.1", date(2019, 5, 1), "abbrev-gannen"),
    P("令和五年三月三十一日", date(2023, 3, 31), "kanji-numerals"),
    P("二〇二四年三月三十一日", date(2024, 3, 31), "kanji-seireki"),
    P("令 和 5 年 3 月 3 1 日", date(2023, 3, 31), "spaced"),
    P("㋿6年4月1日", date(2024, 4, 1), "reiwa-ligature"),
    P("発行日 令和6年4月1日", date(2024, 4, 1), "with-label"),
    P("令和6年3月31日現在", date(2024, 3, 31), "as-of"),
    P("令和6年2月29日", date(2024, 2, 29), "leap-day"),
    P("令和5年2月29日", None, "not-a-leap-year"),
    P("2024年2月30日", None, "no-such-day"),
    P("2024/13/1", None, "no-such-month"),
    P("令和0年5月1日", None, "year-zero"),
    P("自 令和5年4月1日 至 令和6年3月31日", None, "two-dates-ambiguous"),
    P("R5", None, "era-year-only"),
    P("24/3/31", None, "two-digit-year"),
    P("0776-20-0537", None, "phone-number"),
    P("第12期", None, "term-is-not-a-date"),
    P("", None, "empty"),
]


@pytest.mark.parametrize("raw, expected", DATES)
def test_parse_date(raw: str, expected: date | None) -> None:
    assert n.parse_date(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    P("令和5年4月", (2023, 4), "reiwa"), P("2023年4月", (2023, 4), "seireki"), P("R5.4", (2023, 4), "abbrev"),
    P("2023/4", (2023, 4), "slash"), P("令和元年5月", (2019, 5), "reiwa-first-month"),
    P("令和元年4月", None, "before-reiwa"), P("平成31年4月", (2019, 4), "heisei-last-month"),
    P("令和5年4月1日", (2023, 4), "full-date"), P("令和5年13月", None, "no-such-month"),
    P("令和5年4月 令和6年3月", None, "two"), P("abc", None, "junk"),
])
def test_parse_year_month(raw: str, expected: tuple[int, int] | None) -> None:
    assert n.parse_year_month(raw) == expected


FY = (date(2023, 4, 1), date(2024, 3, 31))


@pytest.mark.parametrize("raw, expected", [
    P("自 令和5年4月1日 至 令和6年3月31日", FY, "ji-shi"),
    P("自2023年4月1日至2024年3月31日", FY, "ji-shi-seireki"),
    P("令和5年4月1日から令和6年3月31日まで", FY, "kara-made"),
    P("2023年4月1日～2024年3月31日", FY, "tilde"),
    P("R5.4.1〜R6.3.31", FY, "abbrev-wave-dash"),
    P("令和5年4月1日～6年3月31日", FY, "era-carried-over"),
    P("自 平成30年4月1日 至 平成31年3月31日", (date(2018, 4, 1), date(2019, 3, 31)), "heisei"),
    P("自 平成31年4月1日 至 令和2年3月31日", (date(2019, 4, 1), date(2020, 3, 31)), "across-eras"),
    P("自 令和6年4月1日 至 令和5年3月31日", None, "end-before-start"),
    P("令和5年4月1日", None, "one-date"),
    P("前期 自R4.4.1至R5.3.31 当期 自R5.4.1至R6.3.31", None, "two-periods"),
])
def test_parse_period(raw: str, expected: tuple[date, date] | None) -> None:
    assert n.parse_period(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    P("第12期", 12, "arabic"), P("第 1 2 期", 12, "spaced"), P("第十二期", 12, "kanji"),
    P("第１２期", 12, "full-width"), P("第12期 第13期", None, "two"), P("12期", None, "no-dai"),
])
def test_parse_term_number(raw: str, expected: int | None) -> None:
    assert n.parse_term_number(raw) == expected


# -- durations, counts, rates ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    P("5年", 60, "years"), P("60か月", 60, "ka-getsu"), P("60ヶ月", 60, "small-ke"), P("60カ月", 60, "katakana-ka"),
    P("6ケ月", 6, "katakana-ke"), P("60ヵ月", 60, "small-ka"), P("5年6か月", 66, "years-and-months"),
    P("据置6か月", 6, "grace"), P("7年以内", 84, "within"), P("半年", 6, "half-year"), P("1年半", 18, "year-and-half"),
    P("10年間", 120, "kan"), P("１２０ヶ月", 120, "full-width"), P("五年", 60, "kanji"),
    P("5年以内(据置6か月以内を含む。)", None, "two-durations"), P("令和5年", None, "era-year"),
    P("2023年", None, "western-year"), P("6月", None, "a-month-name"), P("5年度", None, "fiscal-year"),
    P("5年6月1日", None, "a-date"), P("", None, "empty"),
])
def test_parse_months(raw: str, expected: int | None) -> None:
    assert n.parse_months(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    P("25名", 25, "mei"), P("25人", 25, "nin"), P("従業員数 1,200 人", 1200, "label-comma-spaced"),
    P("２５名", 25, "full-width"), P("25 名(うちパート5名)", 25, "breakdown-ignored"), P("25", 25, "bare"),
    P("二十五名", 25, "kanji"), P("1人当たり付加価値額", None, "per-head-is-not-a-count"),
    P("役員3名 従業員25名", None, "two"), P("25.5", None, "decimal"), P("abc", None, "junk"),
])
def test_parse_count(raw: str, expected: int | None) -> None:
    assert n.parse_count(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    P("0.80%", Decimal("0.80"), "rate"), P("15％", Decimal("15"), "full-width"),
    P("年率 1.5 %", Decimal("1.5"), "label-spaced"), P("0.8パーセント", Decimal("0.8"), "word"),
    P("△1.5%", Decimal("-1.5"), "negative"), P("1% 2%", None, "two"), P("abc", None, "junk"),
])
def test_parse_percent(raw: str, expected: Decimal | None) -> None:
    got = n.parse_percent(raw)
    assert got == expected
    if expected is not None:
        assert str(got) == str(expected)  # precision kept: 0.80 stays 0.80


# -- never raise ----------------------------------------------------------------------------------------

JUNK = ["", " ", "\n", "-", "()", "金", "円", "万", "億億", "1,", ",1", ".5", "1..2", "令和", "R", "第期", "年月日",
        "9" * 40, "九" * 40, "\u3099", "゛", "ｰ", "\x00", "(単位:", "1/0/0", "令和99年99月99日", "△" * 5]


@pytest.mark.parametrize("fn", [n.parse_amount, n.parse_date, n.parse_year_month, n.parse_period,
                                n.parse_term_number, n.parse_months, n.parse_count, n.parse_percent,
                                n.kanji_to_int, n.detect_unit, n.is_nil, n.normalize_text],
                         ids=lambda f: f.__name__)
def test_junk_never_raises(fn: object) -> None:
    for s in JUNK:
        fn(s)  # type: ignore[operator]
    assert fn(None) in (None, False, "")  # type: ignore[operator]


@pytest.mark.parametrize("era, year, expected", [
    ("令和", "5", 2023), ("R", "元", 2019), ("平成", "31", 2019), ("H", "30", 2018), ("昭和", "53", 1978),
    ("X", "5", None),
])
def test_era_year(era: str, year: str, expected: int | None) -> None:
    assert n.era_year(era, year) == expected

"""Japanese language tools, loaded once and only when first needed.

* SudachiPy (split mode C, ``sudachidict_core``): cheap (≈ 20 µs for a short label), used to compare
  labels across wording variants: 申込額 / 申し込み額, 据置期間 / 据え置き期間, 又は / または.
* GiNZA (``ja_ginza``): ≈ 1.3 s to load and ≈ 10 ms per short string, so it is never run on whole
  pages. Measured on this project's strings it tags 「株式会社福井」 as a Person and misses most legal
  forms, so company names are found by their legal form (``fields.common``) and GiNZA is only the
  last resort for a 宛先 or name line that carries no legal form (a sole proprietor, 「越前商店」).
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import Any

log = logging.getLogger(__name__)

_HIRAGANA = re.compile(r"[ぁ-ゖ\s]")
# GiNZA (Sekine's extended named entities) labels that can name an applicant or an addressee.
_NAME_LABELS = frozenset({"Person", "Company", "Organization_Other", "Corporation_Other",
                          "Government", "Political_Organization_Other", "Show_Organization"})


@cache
def sudachi() -> tuple[Any, Any]:
    """The shared SudachiPy tokenizer and its split mode C."""
    from sudachipy import dictionary, tokenizer

    return dictionary.Dictionary(dict="core").create(), tokenizer.Tokenizer.SplitMode.C


@cache
def ginza() -> Any:
    """The shared GiNZA pipeline (loaded on first use, ≈ 1.3 s)."""
    import spacy

    log.info("loading GiNZA (ja_ginza)")
    return spacy.load("ja_ginza")


@lru_cache(maxsize=8192)
def normalized_form_key(s: str) -> str:
    """A key under which wording variants of one label compare equal.

    Sudachi's normalised forms, joined, with hiragana (okurigana, particles) and spaces dropped:
    「融資申し込み書」 and 「融資申込書」 both give 「融資申込書」, 「氏名または名称」 gives 「氏名又名称」.
    Meant for labels and titles (a few words), not for sentences.
    """
    if not s:
        return ""
    tok, mode = sudachi()
    return _HIRAGANA.sub("", "".join(m.normalized_form() for m in tok.tokenize(s, mode)))


@lru_cache(maxsize=4096)
def word_overrun(s: str, at: int) -> int:
    """How many characters past ``at`` the word holding ``s[at - 1]`` runs on; 0 when a word ends at ``at``.

    Only a common noun counts (「申込者の名|称」 → 1, 「名称」 is one word): a proper noun or a number
    running across ``at`` is a value written right after a label, not the label's own end.
    """
    if not 0 < at < len(s):
        return 0
    tok, mode = sudachi()
    for m in tok.tokenize(s, mode):
        if m.begin() < at < m.end():
            pos = m.part_of_speech()
            return int(m.end()) - at if pos[0] == "名詞" and pos[1] == "普通名詞" else 0
        if m.begin() >= at:
            break
    return 0


def org_or_person_names(s: str) -> list[str]:
    """Names of organisations and people GiNZA finds in a short string, in order of appearance.

    Costs ≈ 10 ms a call after a 1.3 s first load: callers use it only on one candidate line.
    """
    s = s.strip()
    if not s:
        return []
    doc = ginza()(s[:200])
    return [e.text for e in doc.ents if e.label_ in _NAME_LABELS]


# -- tolerant label patterns ------------------------------------------------------------------------

_VARIANTS: dict[str, str] = {
    "又は": "(?:又は|または|又|若しくは|もしくは)",
    "及び": "(?:及び|および|及|並びに|ならびに)",
    "ヶ月": "(?:ヶ月|ケ月|か月|カ月|ヵ月|箇月|月)",
    "御": "(?:御|お|ご)?",
}
_VARIANT_SPLIT = re.compile("(" + "|".join(map(re.escape, _VARIANTS)) + ")")


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "々〆ヶ"


_GAP = r"[\s.^]*"  # what may stand between two characters of a label


def tolerant(name: str) -> str:
    """A regex source matching ``name`` written with or without okurigana and with stray spaces.

    Between two kanji up to two hiragana may appear (申込額 / 申し込み額, 据置 / 据え置き); 又は,
    及び, ヶ月 and a leading 御 accept their usual variants; any character may be followed by
    spaces (「融 資 申 込 書」), or by the specks OCR reads as 「.」 or 「^」 (「名 .称」). The name is literal text, not
    a regex.
    """
    parts: list[str] = []
    prev = ""
    for chunk in _VARIANT_SPLIT.split(name):
        if not chunk:
            continue
        if chunk in _VARIANTS:
            parts.append(_VARIANTS[chunk] + _GAP)
            prev = ""
            continue
        for ch in chunk:
            if prev and _is_kanji(prev) and _is_kanji(ch):
                parts.append(r"[ぁ-ゖ]{0,2}\s*")
            parts.append(re.escape(ch) + (_GAP if not ch.isspace() else ""))
            prev = ch
    src = "".join(parts)
    return src[:-len(_GAP)] if src.endswith(_GAP) else src


def label_pattern(*names: str) -> re.Pattern[str]:
    """One compiled regex matching any of ``names`` tolerantly (see ``tolerant``), longest first."""
    return re.compile("|".join(tolerant(n) for n in sorted(names, key=len, reverse=True)))


def key_prefix_length(s: str, key: str) -> int | None:
    """How many characters of ``s`` make up a label whose ``normalized_form_key`` is ``key``.

    ``key_prefix_length("すえ置き期間6か月", "据置期間")`` → 6. None when ``s`` does not start with it.
    """
    if not key:
        return None
    tok, mode = sudachi()
    acc = ""
    for m in tok.tokenize(s, mode):
        acc += _HIRAGANA.sub("", m.normalized_form())
        if acc == key:
            return int(m.end())
        if not key.startswith(acc):
            return None
    return None

"""pipeline.cache: a file read once comes back from the cache, under its name in this packet, until the
extractor key changes; a damaged or unwritable cache only costs a re-read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from extractors.ingest import SourceFile
from pipeline import cache as cache_mod
from pipeline.cache import ExtractionCache, code_fingerprint, default_cache_dir, extractor_key, write_atomic
from pipeline.packet import extract_file

PACKET = Path(__file__).resolve().parent.parent / "samples" / "packets" / "fukui-t1-eligible"


@pytest.fixture()
def pdf(tmp_path: Path) -> Path:
    if not PACKET.exists():
        pytest.skip("sample packets not generated")
    target = tmp_path / "in" / "scan0037.pdf"  # a tax certificate: text, a date, a bool
    target.parent.mkdir()
    shutil.copy(PACKET / "scan0037.pdf", target)
    return target


def test_second_read_comes_from_the_cache_without_pages(pdf: Path, tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    first = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    second = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    assert first.entry.status == "ok" and first.pages and first.documents
    assert (cache.hits, cache.misses) == (1, 1)
    assert second.entry == first.entry
    assert second.documents == first.documents
    assert second.pages == []


def test_cached_values_keep_their_python_types(pdf: Path, tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    first = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    second = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    kinds = {type(f.value) for d in second.documents for f in d.fields.values()}
    assert {str, date, bool} <= kinds, kinds
    for before, after in zip(first.documents, second.documents, strict=True):
        for name, field in before.fields.items():
            assert type(after.fields[name].value) is type(field.value), name  # a date stays a date


def test_same_bytes_under_another_name_are_reported_under_that_name(pdf: Path, tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    renamed = tmp_path / "in" / "scan9999.pdf"
    shutil.copy(pdf, renamed)
    hit = extract_file(SourceFile(name="sub/scan9999.pdf", path=renamed), cache)
    assert cache.hits == 1
    assert hit.entry.file == "sub/scan9999.pdf"
    assert {d.file for d in hit.documents} == {"sub/scan9999.pdf"}


@pytest.mark.parametrize(
    ("content", "status", "cached"),
    [
        (b"just some text, not a PDF\n", "unsupported", True),
        (b"%PDF-1.4\n garbage that no reader can parse", "unreadable", False),
    ],
    ids=["unsupported-is-cached", "unreadable-is-read-again"],
)
def test_which_failures_are_cached(tmp_path: Path, content: bytes, status: str, cached: bool) -> None:
    f = tmp_path / "file.bin"
    f.write_bytes(content)
    cache = ExtractionCache(tmp_path / "cache")
    result = extract_file(SourceFile(name=f.name, path=f), cache)
    assert result.entry.status == status
    assert cache.path_for(result.entry.sha256 or "").exists() is cached


def test_a_problem_file_is_never_looked_up(tmp_path: Path) -> None:
    from extractors.errors import UnsafeArchive

    cache = ExtractionCache(tmp_path / "cache")
    problem = UnsafeArchive("../evil.pdf", "x")
    src = SourceFile(name="../evil.pdf", path=tmp_path / "missing.zip", problem=problem)
    assert extract_file(src, cache).entry.status != "ok"
    assert (cache.hits, cache.misses) == (0, 0)


def test_another_extractor_key_is_a_miss(pdf: Path, tmp_path: Path) -> None:
    old = ExtractionCache(tmp_path / "cache", key="v1-old")
    extract_file(SourceFile(name=pdf.name, path=pdf), old)
    new = ExtractionCache(tmp_path / "cache", key="v2-new")
    extract_file(SourceFile(name=pdf.name, path=pdf), new)
    assert (new.hits, new.misses) == (0, 1)


def test_bumping_the_version_changes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = extractor_key()
    monkeypatch.setattr(cache_mod, "EXTRACTOR_VERSION", "999")
    extractor_key.cache_clear()
    try:
        assert extractor_key() != before and extractor_key().startswith("v999-")
    finally:
        extractor_key.cache_clear()


def test_code_fingerprint_follows_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "extractors").mkdir()
    code = tmp_path / "extractors" / "x.py"
    code.write_text("A = 1\n")
    (tmp_path / "extractors" / "__pycache__").mkdir()
    monkeypatch.setattr(cache_mod, "_ROOT", tmp_path)
    first = code_fingerprint("extractors")
    (tmp_path / "extractors" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert code_fingerprint("extractors") == first, "compiled files must not count"
    code.write_text("A = 2\n")
    assert code_fingerprint("extractors") != first


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05\x95garbage"],
    ids=["empty", "text", "truncated-pickle"],
)
def test_a_damaged_entry_is_a_miss_then_replaced(pdf: Path, tmp_path: Path, damage: bytes) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    first = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    entry = cache.path_for(first.entry.sha256 or "")
    entry.write_bytes(damage)
    again = extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    assert again.pages, "a damaged entry must be read again, not trusted"
    assert cache.get(first.entry.sha256 or "", pdf.name) is not None, "the entry is rewritten"


def test_a_cache_path_that_is_a_file_only_costs_a_reread(pdf: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = ExtractionCache(blocker)
    assert extract_file(SourceFile(name=pdf.name, path=pdf), cache).entry.status == "ok"
    assert cache.put(extract_file(SourceFile(name=pdf.name, path=pdf))) is False


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SHINSA_CACHE_DIR": "/srv/shinsa-cache", "XDG_CACHE_HOME": "/x"}, "/srv/shinsa-cache"),
        ({"XDG_CACHE_HOME": "/x"}, "/x/shinsa"),
        ({"HOME": "/home/clerk"}, "/home/clerk/.cache/shinsa"),
    ],
    ids=["shinsa-env-wins", "xdg", "home"],
)
def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name in ("SHINSA_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_cache_dir() == Path(expected)


def test_cache_folder_is_private(pdf: Path, tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    extract_file(SourceFile(name=pdf.name, path=pdf), cache)
    assert (tmp_path / "cache").stat().st_mode & 0o077 == 0


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "d" / "report.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]

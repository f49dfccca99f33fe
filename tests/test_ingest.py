"""extractors.ingest: packets (folders, zips) → files with a status → pages.

A bad file is an entry with a reason, never a crash, and the reason never quotes the file's text.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption

from extractors import ingest
from extractors.errors import PacketNotFound, UnsafeArchive
from extractors.ingest import SourceFile, open_packet, read_file
from tests.test_pdf import statement_page, write_pdf

SECRET = "秘密の売上高 123,456,789"  # document text that must never reach a reason


def _pdf_bytes(tmp_path: Path) -> bytes:
    return write_pdf(tmp_path / "_src.pdf", statement_page, statement_page).read_bytes()


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# --- packets ----------------------------------------------------------------------------------------


def test_directory_packet_is_walked_sorted_without_litter(tmp_path: Path) -> None:
    root = tmp_path / "A-0012"
    for rel in ["scan0002.pdf", "scan0001.pdf", "sub/決算書.pdf", ".DS_Store", "__MACOSX/._scan0001.pdf",
                ".hidden/x.pdf", "Thumbs.db", "~$申込書.docx"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"%PDF-1.4\n")
    with open_packet(root) as files:
        assert [f.name for f in files] == ["scan0001.pdf", "scan0002.pdf", "sub/決算書.pdf"]
        assert all(f.path.is_file() and f.problem is None for f in files)


def test_zip_packet_is_extracted_and_removed_on_exit(tmp_path: Path) -> None:
    pdf = _pdf_bytes(tmp_path)
    archive = _zip(tmp_path / "A-0013.zip", {"b/scan0002.pdf": pdf, "scan0001.pdf": pdf,
                                              "__MACOSX/._scan0001.pdf": b"junk", "b/": b""})
    with open_packet(archive) as files:
        assert [f.name for f in files] == ["b/scan0002.pdf", "scan0001.pdf"]
        assert [f.path.read_bytes() == pdf for f in files] == [True, True]
        entry, pages = read_file(files[0])
        assert (entry.status, entry.pages, len(pages)) == ("ok", 2, 2)
        folder = files[0].path.parent
    assert not folder.exists()


@pytest.mark.parametrize(
    "member",
    ["../evil.pdf", "a/../../evil.pdf", "/etc/evil.pdf", "C:/Windows/evil.pdf", "..\\evil.pdf"],
    ids=["parent-dir", "parent-dir-nested", "absolute-path", "drive-letter", "backslash-parent-dir"],
)
def test_zip_slip_member_is_reported_not_extracted(tmp_path: Path, member: str) -> None:
    archive = _zip(tmp_path / "p.zip", {member: _pdf_bytes(tmp_path), "ok.pdf": _pdf_bytes(tmp_path)})
    with open_packet(archive) as files:
        bad = [f for f in files if f.name != "ok.pdf"]
        assert len(bad) == 1 and isinstance(bad[0].problem, UnsafeArchive)
        entry, pages = read_file(bad[0])
        assert (entry.status, entry.pages, entry.sha256, pages) == ("unsupported", 0, None, [])
        assert "unsafe path" in (entry.error or "")
    assert not (tmp_path / "evil.pdf").exists() and not (tmp_path.parent / "evil.pdf").exists()


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "p.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("link.pdf")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with open_packet(archive) as files:
        entry, _ = read_file(files[0])
    assert (entry.status, entry.error) == ("unsupported", "ZIP内のシンボリックリンク (symbolic link in zip)")


@pytest.mark.parametrize(
    ("placeholder", "real"),
    [(b"XXXXXX.pdf", "決算書.pdf"), (b"XXXXXXXXXXX.pdf", "申込/決算表.pdf")],
    ids=["cp932-name", "cp932-name-with-0x5c-byte-in-folder"],
)
def test_cp932_member_name_is_decoded(tmp_path: Path, placeholder: bytes, real: str) -> None:
    raw = real.encode("cp932")
    assert len(raw) == len(placeholder)
    data = _zip(tmp_path / "p.zip", {placeholder.decode(): _pdf_bytes(tmp_path)}).read_bytes()
    archive = tmp_path / "cp932.zip"
    archive.write_bytes(data.replace(placeholder, raw))  # as Windows Explorer writes it: no UTF-8 flag
    with open_packet(archive) as files:
        assert [f.name for f in files] == [real]
        assert read_file(files[0])[0].status == "ok"


@pytest.mark.parametrize(
    ("member", "name"),
    [("納税証明書.pdf", "納税証明書.pdf"), ("./a//scan.pdf", "a/scan.pdf"),
     ("ケ\u3099ンセン.pdf", "ゲンセン.pdf")],
    ids=["utf8-flagged-name", "dot-and-empty-steps-dropped", "macos-decomposed-name-composed"],
)
def test_member_name_is_cleaned(tmp_path: Path, member: str, name: str) -> None:
    archive = _zip(tmp_path / "p.zip", {member: _pdf_bytes(tmp_path)})
    with open_packet(archive) as files:
        assert [f.name for f in files] == [name]


@pytest.mark.parametrize(
    ("limit", "value"),
    [("MAX_TOTAL_BYTES", 10_000), ("MAX_MEMBERS", 2)],
    ids=["uncompressed-size-over-limit", "too-many-members"],
)
def test_zip_bomb_is_refused_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str,
                                   value: int) -> None:
    monkeypatch.setattr(ingest, limit, value)
    archive = _zip(tmp_path / "bomb.zip", {"a.pdf": b"0" * 20_000, "b.pdf": b"1", "c.pdf": b"2"})
    with open_packet(archive) as files:
        assert [f.name for f in files] == ["bomb.zip"]
        entry, _ = read_file(files[0])
    assert entry.status == "unsupported" and "zip refused" in (entry.error or "")


def test_damaged_zip_is_one_unreadable_entry(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    with open_packet(archive) as files:
        entry, _ = read_file(files[0])
    assert (entry.file, entry.status) == ("broken.zip", "unreadable")


def test_duplicate_member_name_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "dup.zip"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.pdf", _pdf_bytes(tmp_path))
        zf.writestr("a.pdf", b"second")
    with open_packet(archive) as files:
        statuses = [read_file(f)[0].status for f in files]
    assert statuses == ["ok", "unsupported"]


def test_single_file_is_a_one_file_packet(tmp_path: Path) -> None:
    path = tmp_path / "scan0001.pdf"
    path.write_bytes(_pdf_bytes(tmp_path))
    with open_packet(path) as files:
        assert files == [SourceFile(name="scan0001.pdf", path=path)]


def test_missing_packet_raises(tmp_path: Path) -> None:
    with pytest.raises(PacketNotFound), open_packet(tmp_path / "nope"):
        pass


# --- files ------------------------------------------------------------------------------------------


def _docx() -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", f"<w:t>{SECRET}</w:t>")
    return buf.getvalue()


def _png(frames: int = 1, fmt: str = "PNG") -> bytes:
    import io

    buf = io.BytesIO()
    images = [Image.new("L", (850, 1100), 255) for _ in range(frames)]
    images[0].save(buf, format=fmt, save_all=frames > 1, append_images=images[1:], dpi=(100, 100))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "status", "pages", "reason"),
    [
        (b"", "unreadable", 0, "空のファイル (empty file)"),
        (_docx(), "unsupported", 0, "ZIP archive"),
        (SECRET.encode("utf-8"), "unsupported", 0, "text file"),
        (SECRET.encode("cp932"), "unsupported", 0, "text file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported", 0, "OLE2"),
        (b"GIF89a" + b"\x00" * 100, "unsupported", 0, "GIF image"),
        (b"\x00\x01\x02\x03garbage", "unsupported", 0, "unknown binary data"),
        (_png(), "unreadable", 1, "blank page"),
        (_png(3, "TIFF"), "unreadable", 3, "3ページ目: 空白ページ (blank page"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "unreadable", 0, "cannot read image"),
    ],
    ids=["zero-byte", "docx-named-pdf", "utf8-text-named-pdf", "shift-jis-text-named-pdf", "old-word-doc",
         "gif", "unknown-binary", "blank-png-named-pdf", "blank-three-page-tiff-named-pdf", "truncated-png"],
)
def test_kind_is_decided_by_content(tmp_path: Path, content: bytes, status: str, pages: int,
                                    reason: str | None) -> None:
    path = tmp_path / "scan0001.pdf"
    path.write_bytes(content)
    entry, read = read_file(SourceFile(name="scan0001.pdf", path=path))
    assert (entry.status, entry.pages, len(read)) == (status, pages, pages)
    assert entry.sha256 == hashlib.sha256(content).hexdigest()
    if reason is None:
        assert entry.error is None
        assert all(p.source == "ocr" and p.lines == () for p in read)
    else:
        assert reason in (entry.error or "")
        assert "秘密" not in (entry.error or "") and "123,456" not in (entry.error or "")


def test_text_pdf_reads_pages(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(_pdf_bytes(tmp_path))
    entry, pages = read_file(SourceFile(name="a.pdf", path=path))
    assert (entry.status, entry.pages, entry.error) == ("ok", 2, None)
    assert [(p.number, p.source) for p in pages] == [(1, "text"), (2, "text")]


def test_pdf_header_after_leading_junk_is_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"\r\n" * 10 + _pdf_bytes(tmp_path))
    assert read_file(SourceFile(name="a.pdf", path=path))[0].status == "ok"


@pytest.mark.parametrize(
    ("encrypt", "status", "reason"),
    [("secret", "unreadable", "暗号化されたPDF (encrypted PDF, password required)"),
     (StandardEncryption("", ownerPassword="owner", canModify=0), "ok", None)],
    ids=["user-password", "owner-password-only-opens"],
)
def test_encrypted_pdf(tmp_path: Path, encrypt: object, status: str, reason: str | None) -> None:
    path = write_pdf(tmp_path / "e.pdf", statement_page, encrypt=encrypt)
    entry, pages = read_file(SourceFile(name="e.pdf", path=path))
    assert (entry.status, entry.error, len(pages)) == (status, reason, 1 if status == "ok" else 0)


def test_truncated_pdf_is_unreadable(tmp_path: Path) -> None:
    data = _pdf_bytes(tmp_path)
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    entry, pages = read_file(SourceFile(name="half.pdf", path=path))
    assert (entry.status, entry.pages, pages) == ("unreadable", 0, [])
    assert "壊れたPDF" in (entry.error or "")


def test_pdf_without_xref_is_repaired_and_ok(tmp_path: Path) -> None:
    data = _pdf_bytes(tmp_path)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: data.rindex(b"xref")])
    entry, pages = read_file(SourceFile(name="cut.pdf", path=path))
    assert (entry.status, entry.pages, len(pages)) == ("ok", 2, 2)
    assert "修復" in (entry.error or "")


def test_unexpected_error_becomes_unreadable_without_its_message(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(path: Path, name: str) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(ingest, "read_pdf", boom)
    path = tmp_path / "a.pdf"
    path.write_bytes(_pdf_bytes(tmp_path))
    entry, pages = read_file(SourceFile(name="a.pdf", path=path))
    assert (entry.status, pages) == ("unreadable", [])
    assert "RuntimeError" in (entry.error or "") and "秘密" not in (entry.error or "")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    entry, _ = read_file(SourceFile(name="gone.pdf", path=tmp_path / "gone.pdf"))
    assert (entry.status, entry.sha256) == ("unreadable", None)

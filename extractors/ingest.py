"""A packet (a folder or a .zip) → its files → a report entry and pages for each file.

:func:`open_packet` lists a packet's files in a stable order, extracting a zip into a temporary
folder that is removed on exit. A zip member that is unsafe (a path escaping the folder, a link) or
cannot be extracted is not fatal: it comes back as a :class:`SourceFile` carrying its ``problem``, and
:func:`read_file` turns it into a report entry like any other bad file.

:func:`read_file` never raises. It decides a file's kind from its first bytes, not its name: a PDF
is read by :mod:`extractors.pdf`, a PNG/JPEG/TIFF becomes pages for OCR, anything else is
``unsupported`` with a reason that describes the bytes (never quotes them). Pages without a usable text
layer are read by :mod:`extractors.ocr`; :func:`read_files` does that for a whole packet at once, so the
pages of all its files share the cores.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from extractors import ocr
from extractors.errors import FileError, PacketNotFound, UnreadableFile, UnsafeArchive, UnsupportedFile
from extractors.pdf import image_pages, needs_ocr, read_pdf
from pipeline.model import FileEntry, Page

log = logging.getLogger(__name__)

MAX_MEMBERS = 10_000  # a zip with more members is refused whole
MAX_TOTAL_BYTES = 1 << 30  # 1 GiB: uncompressed size allowed for a whole zip (zip bomb guard)
HEAD_BYTES = 1024  # the PDF header may sit anywhere in the first 1024 bytes

JUNK_NAMES = frozenset({"__MACOSX", "Thumbs.db", "desktop.ini"})  # OS litter, never part of a packet

_UTF8_NAME_FLAG = 0x800  # zip general-purpose flag bit 11: member name is UTF-8
_DRIVE = re.compile(r"^[A-Za-z]:")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff",  # PNG, JPEG
                b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # TIFF, BigTIFF (both byte orders)
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of a packet: its name inside the packet (posix, relative) and where it is on disk.

    ``problem`` is set for a zip member that was refused or could not be extracted; ``path`` is then
    the archive and is not read.
    """

    name: str
    path: Path
    problem: FileError | None = None


@contextmanager
def open_packet(path: Path) -> Iterator[list[SourceFile]]:
    """The files of a packet, sorted by name; a zip is extracted to a temporary folder removed on exit.

    A folder is walked recursively, skipping hidden entries and OS litter (``.DS_Store``, ``__MACOSX``,
    ``Thumbs.db``, Office ``~$`` lock files). A path that is a single other file is a one-file packet.
    """
    path = Path(path)
    if path.is_dir():
        yield _walk(path)
    elif path.is_file() and path.suffix.lower() == ".zip":
        tmp = tempfile.mkdtemp(prefix="shinsa-")
        try:
            yield _extract(path, Path(tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    elif path.is_file():
        yield [SourceFile(name=path.name, path=path)]
    else:
        raise PacketNotFound(str(path))


def read_file(src: SourceFile) -> tuple[FileEntry, list[Page]]:
    """The report entry and the pages of one file; never raises (a bad file is an entry with a reason).

    Pages without a usable text layer are read by OCR (in parallel); a page OCR could not read is named in
    the entry's ``error`` (the file stays ``ok``); a file none of whose pages could be read is ``unreadable``.
    """
    return read_files([src])[0]


def read_files(sources: Sequence[SourceFile],
               workers: int | None = None) -> list[tuple[FileEntry, list[Page]]]:
    """:func:`read_file` for several files, the pages needing OCR read together, in parallel across cores."""
    read = [_read(src) for src in sources]
    jobs: list[tuple[int, int, ocr.PageSource]] = []
    for i, (src, (entry, pages, kind)) in enumerate(zip(sources, read)):
        if kind is None:
            continue
        for j, page in enumerate(pages):
            if needs_ocr(page):
                jobs.append((i, j, ocr.PageSource(path=src.path, kind=kind, index=page.number - 1,
                                                  width=page.width, height=page.height, name=src.name)))
    results = ocr.ocr_pages([job for _, _, job in jobs], workers) if ocr_enabled() else []
    problems: dict[int, list[str]] = {}
    out = [[entry, pages] for entry, pages, _ in read]
    for (i, j, _), result in zip(jobs, results):
        pages = out[i][1]
        pages[j] = replace(pages[j], lines=result.lines)
        if result.problem:
            problems.setdefault(i, []).append(result.problem)
    for i, notes in problems.items():
        entry, pages = out[i]
        if any(p.lines for p in pages):
            note = "; ".join(([entry.error] if entry.error else []) + notes)
            out[i][0] = entry.model_copy(update={"error": note})
        else:
            out[i][0] = entry.model_copy(update={"status": "unreadable", "error": "; ".join(notes)})
    return [(entry, pages) for entry, pages in out]


def ocr_enabled() -> bool:
    """False when ``$SHINSA_OCR`` is ``0``/``off``: pages without a text layer then stay empty (review)."""
    return os.environ.get("SHINSA_OCR", "1").lower() not in ("0", "off", "no", "false")


def _read(src: SourceFile) -> tuple[FileEntry, list[Page], ocr.Kind | None]:
    """The entry and the pages of one file before OCR, and the file's kind for OCR (None: nothing to OCR)."""
    if src.problem is not None:
        return _failed(src.name, None, src.problem), [], None
    try:
        with open(src.path, "rb") as f:
            head = f.read(HEAD_BYTES)
            f.seek(0)
            sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        error = UnreadableFile(src.name, f"ファイルを開けません (cannot open file: {type(exc).__name__})")
        return _failed(src.name, None, error), [], None
    try:
        note = None
        if not head:
            raise UnreadableFile(src.name, "空のファイル (empty file)")
        kind = sniff(head)
        if kind == "pdf":
            read = read_pdf(src.path, src.name)
            pages = read.pages
            if read.repaired:
                note = (f"破損したPDFを修復して読み込みました (damaged PDF repaired: {len(pages)} pages read, "
                        "some content may be missing)")
        elif kind == "image":
            pages = image_pages(src.path, src.name)
        else:
            raise UnsupportedFile(src.name, describe(head))
    except FileError as exc:
        log.info("%s: %s", src.name, exc.status)
        return _failed(src.name, sha256, exc), [], None
    except Exception as exc:  # anything unexpected: the class name only, its message could hold text
        log.warning("%s: unexpected %s while reading", src.name, type(exc).__name__)
        error = UnreadableFile(src.name, f"読み込み中にエラーが発生しました (error while reading: {type(exc).__name__})")
        return _failed(src.name, sha256, error), [], None
    entry = FileEntry(file=src.name, sha256=sha256, pages=len(pages), status="ok", error=note)
    return entry, pages, "pdf" if kind == "pdf" else "image"


def sniff(head: bytes) -> str:
    """``"pdf"``, ``"image"`` (PNG, JPEG, TIFF) or ``"other"``, from a file's first bytes."""
    if b"%PDF-" in head[:HEAD_BYTES]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    return "other"


_KINDS: tuple[tuple[bytes, int, str], ...] = (  # (signature, offset, what it is)
    (b"PK\x03\x04", 0, "ZIP archive, e.g. .docx/.xlsx/.zip; starts with 'PK'"),
    (b"PK\x05\x06", 0, "empty ZIP archive; starts with 'PK'"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "OLE2 compound file, e.g. old .doc/.xls"),
    (b"GIF8", 0, "GIF image; use PNG, JPEG or TIFF"),
    (b"BM", 0, "BMP image; use PNG, JPEG or TIFF"),
    (b"WEBP", 8, "WebP image; use PNG, JPEG or TIFF"),
    (b"ftyp", 4, "HEIC/MP4 media file; use PNG, JPEG or TIFF"),
    (b"Rar!", 0, "RAR archive"),
    (b"7z\xbc\xaf", 0, "7-Zip archive"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"{\\rtf", 0, "RTF document"),
)


def describe(head: bytes) -> str:
    """Why a file is unsupported, naming the kind of its bytes (never their text)."""
    what = "unknown binary data"
    for sig, offset, kind in _KINDS:
        if head[offset:offset + len(sig)] == sig and (sig != b"BM" or not _is_text(head)):
            what = kind
            break
    else:
        lowered = head.lstrip()[:64].lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            what = "HTML document"
        elif lowered.startswith(b"<?xml"):
            what = "XML document"
        elif _is_text(head):
            what = "text file"
    return f"PDFでも画像でもありません (not a PDF or image: {what})"


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:  # a multi-byte character cut by the head's end
                return True
    return False


def _failed(name: str, sha256: str | None, error: FileError) -> FileEntry:
    return FileEntry(file=name, sha256=sha256, pages=0, status=error.status, error=error.reason)


def _is_junk(parts: list[str]) -> bool:
    """Hidden entries and OS litter (``.`` and ``..`` are path steps, not hidden names)."""
    return any((p.startswith((".", "~$")) and p not in (".", "..")) or p in JUNK_NAMES for p in parts)


def _walk(root: Path) -> list[SourceFile]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _is_junk([d])]
        for filename in filenames:
            path = Path(dirpath, filename)
            if _is_junk([filename]) or not path.is_file():
                continue
            name = unicodedata.normalize("NFC", path.relative_to(root).as_posix())
            files.append(SourceFile(name=name, path=path))
    files.sort(key=lambda s: s.name)
    log.info("packet %s: %d files", root.name, len(files))
    return files


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: UTF-8 if flagged (or valid), else cp932 (Japanese Windows)."""
    name = info.filename
    if not info.flag_bits & _UTF8_NAME_FLAG:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as cp437: undo it
        for encoding in ("utf-8", "cp932"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


def _unsafe(name: str, info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be extracted, or None."""
    parts = name.split("/")
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        return "ZIPの外を指すパス (unsafe path in zip: it escapes the packet folder)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "ZIP内のシンボリックリンク (symbolic link in zip)"
    return None


def _extract(archive: Path, dest: Path) -> list[SourceFile]:
    """Extract a zip's members to ``dest`` under generated names; refused members carry their problem."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        error = UnreadableFile(archive.name, f"壊れたZIP (damaged zip archive: {type(exc).__name__})")
        return [SourceFile(name=archive.name, path=archive, problem=error)]
    with zf:
        infos = zf.infolist()
        members = [(member_name(i), i) for i in infos if not i.is_dir()]
        members = [(n, i) for n, i in members if n.strip("/") and not _is_junk(n.split("/"))]
        declared = sum(i.file_size for _, i in members)
        if len(infos) > MAX_MEMBERS or declared > MAX_TOTAL_BYTES:
            reason = (f"ZIPが大きすぎます (zip refused: {len(infos)} members, {declared} bytes uncompressed; "
                      f"limits {MAX_MEMBERS} members, {MAX_TOTAL_BYTES} bytes)")
            log.warning("packet %s: zip refused (size or member limit)", archive.name)
            return [SourceFile(name=archive.name, path=archive, problem=UnsafeArchive(archive.name, reason))]
        files: list[SourceFile] = []
        seen: set[str] = set()
        budget = MAX_TOTAL_BYTES
        for index, (name, info) in enumerate(members):
            problem: FileError | None = None
            reason = _unsafe(name, info)
            if reason is not None:
                problem = UnsafeArchive(name, reason)  # named as written in the zip
            else:
                name = "/".join(p for p in name.split("/") if p not in ("", "."))  # ./a//b.pdf → a/b.pdf
                if name in seen:
                    problem = UnsupportedFile(name, "ZIP内で同じ名前のファイルが重複 (duplicate name in zip)")
            if problem is not None:
                log.warning("packet %s: member refused (%s)", archive.name, type(problem).__name__)
                files.append(SourceFile(name=name, path=archive, problem=problem))
                continue
            seen.add(name)
            suffix = m.group(0) if (m := _SAFE_SUFFIX.search(name)) else ""
            target = dest / f"{index:05d}{suffix}"
            try:
                budget -= _copy_member(zf, info, target, budget)
            except FileError as exc:
                problem = type(exc)(name, exc.reason)
            except Exception as exc:  # CRC error, unknown compression method, ...
                encrypted = bool(info.flag_bits & 0x1)
                reason = ("暗号化されたZIPのファイル (encrypted zip member, password required)" if encrypted
                          else f"ZIPから取り出せません (cannot extract from zip: {type(exc).__name__})")
                problem = UnreadableFile(name, reason)
            files.append(SourceFile(name=name, path=target if problem is None else archive, problem=problem))
    files.sort(key=lambda s: s.name)
    log.info("packet %s: %d files", archive.name, len(files))
    return files


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Stream one member to ``target``; stops past ``budget`` bytes. Returns the bytes written."""
    written = 0
    with zf.open(info) as src, open(target, "wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > budget:
                out.close()
                target.unlink(missing_ok=True)
                raise UnsafeArchive(info.filename, "ZIPの展開サイズが上限を超えました (zip bomb guard: size limit)")
            out.write(chunk)
    return written

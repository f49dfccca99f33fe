"""Extraction results cached by file content, so a file already read is never read again.

A file's result (its report entry and the documents found in it, with their fields; not its pages)
is stored under the sha256 of its bytes and the *extractor key*: :data:`EXTRACTOR_VERSION`, the
versions of the libraries that read pages and text, and a fingerprint of the extractor code
(``extractors/``, ``pipeline/model.py``, ``pipeline/packet.py``). Editing an extractor therefore
invalidates the cache by itself; bump :data:`EXTRACTOR_VERSION` for what the fingerprint cannot see
(Tesseract or its language data, a dictionary installed outside the listed packages).

The cache lives in ``$SHINSA_CACHE_DIR`` (default ``$XDG_CACHE_HOME/shinsa``, i.e. ``~/.cache/shinsa``),
one folder per extractor key, created private to the user (it holds what the documents say, like the
reports do). Entries are pickles written atomically (temp file + rename), so concurrent workers and a
killed run never leave a half-written entry; an entry that cannot be read is a miss. Only results
worth keeping are stored: a file read ``ok`` or judged ``unsupported``; an ``unreadable`` file is read
again next time (its failure may have been passing, and failing is cheap).

Deleting the folder is always safe; old extractor keys are never read again and can be removed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from extractors.ingest import SourceFile
from pipeline.model import Document, FileEntry
from pipeline.packet import FileResult

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "1"  # bump to invalidate every cached extraction (e.g. new Tesseract language data)
CACHE_DIR_ENV = "SHINSA_CACHE_DIR"
CACHEABLE_STATUSES = frozenset({"ok", "unsupported"})

_ROOT = Path(__file__).resolve().parent.parent  # holds the packages pipeline/, extractors/, checks/
_EXTRACTOR_CODE = ("extractors", "pipeline/model.py", "pipeline/packet.py")
_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pillow", "SudachiPy", "SudachiDict-core", "ginza",
              "ja-ginza", "spacy", "pydantic")


def default_cache_dir() -> Path:
    """``$SHINSA_CACHE_DIR``, else ``$XDG_CACHE_HOME/shinsa``, else ``~/.cache/shinsa``."""
    if configured := os.environ.get(CACHE_DIR_ENV):
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shinsa"


def file_sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def code_fingerprint(*relative: str) -> str:
    """sha256 of the files named relative to the source root (folders recursively), in a stable order."""
    digest = hashlib.sha256()
    for rel in relative:
        target = _ROOT / rel
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for f in files:
            if "__pycache__" in f.parts or f.suffix in (".pyc", ".pyo"):
                continue
            digest.update(f.relative_to(_ROOT).as_posix().encode())
            digest.update(b"\0")
            digest.update(f.read_bytes() if f.is_file() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def _library_versions() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ";".join(versions)


@lru_cache(maxsize=1)
def extractor_key() -> str:
    """The part of every cache key that changes when the extractors would read a file differently."""
    digest = hashlib.sha256()
    for part in (EXTRACTOR_VERSION, _library_versions(), code_fingerprint(*_EXTRACTOR_CODE)):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"v{EXTRACTOR_VERSION}-{digest.hexdigest()[:16]}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ExtractionCache:
    """File results by content hash under one extractor key; see the module's docstring."""

    def __init__(self, root: Path | str | None = None, key: str | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_cache_dir()
        self.key = key or extractor_key()
        self.folder = self.root / "extraction" / self.key
        self.hits = 0
        self.misses = 0

    def path_for(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.pickle"

    def lookup(self, src: SourceFile) -> FileResult | None:
        """The cached result for this file's bytes, under the file's name in this packet; None on a miss."""
        if src.problem is not None:
            return None
        try:
            sha256 = file_sha256(src.path)
        except OSError:
            return None
        result = self.get(sha256, src.name)
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def get(self, sha256: str, name: str) -> FileResult | None:
        path = self.path_for(sha256)
        try:
            with open(path, "rb") as fh:
                stored = pickle.load(fh)
            entry, documents = stored["entry"], stored["documents"]
            if not isinstance(entry, FileEntry) or entry.sha256 != sha256 or not all(
                    isinstance(d, Document) for d in documents):
                raise TypeError("unexpected cache entry")
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or outdated entry is a miss, and is replaced on the next put
            log.warning("cache entry %s unusable (%s); reading the file again", path.name, type(exc).__name__)
            return None
        # the same bytes may carry another name in this packet: the report names the file as it is here
        return FileResult(
            entry=entry.model_copy(update={"file": name}),
            pages=[],
            documents=[d.model_copy(update={"file": name}) for d in documents],
        )

    def put(self, result: FileResult) -> bool:
        """Store a result worth keeping (see the module's docstring); True if stored."""
        entry = result.entry
        if entry.sha256 is None or entry.status not in CACHEABLE_STATUSES:
            return False
        try:
            if not self.folder.exists():
                self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
                self.folder.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps({"entry": entry, "documents": list(result.documents)},
                                protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.path_for(entry.sha256), data)
        except Exception as exc:  # a full disk, a read-only cache, an unpicklable value: a slower next run
            log.warning("cannot write the extraction cache in %s (%s)", self.root, type(exc).__name__)
            return False
        return True

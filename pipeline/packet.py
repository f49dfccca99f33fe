"""Orchestration in plain Python: packet → files → pages → documents → fields → checks → report.

The CLI and the Prefect flows both call these functions; nothing here imports Prefect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from checks import engine
from extractors import classify, ingest
from extractors.fields import extract_fields
from pipeline.model import Document, FileEntry, Page, Report

if TYPE_CHECKING:
    from pipeline.cache import ExtractionCache

log = logging.getLogger(__name__)

ProgressHook = Callable[[str, int, int], None]  # (file name, index done, total)


@dataclass(frozen=True)
class FileResult:
    """What one input file yielded: its report entry, its pages, and the documents found in it."""

    entry: FileEntry
    pages: list[Page]
    documents: list[Document]


def packet_name(path: Path) -> str:
    """The packet's name in reports: the folder's name, or the zip's name without ``.zip``."""
    path = Path(path)
    return path.stem if path.suffix.lower() == ".zip" else path.name


def _text_source(pages: list[Page]) -> str:
    sources = {p.source for p in pages}
    return sources.pop() if len(sources) == 1 else "mixed"


def documents_from_pages(file_name: str, pages: list[Page]) -> list[Document]:
    """Classify pages, split them into documents and read each document's fields.

    A failure inside one document's extractor leaves that document with no fields (so every check
    that needs them ends in review) and never stops the packet.
    """
    if not pages:
        return []
    documents: list[Document] = []
    for span in classify.split_documents(pages):
        try:
            fields = extract_fields(span.type, span.pages) if span.type != "unknown" else {}
        except Exception as exc:  # an extractor bug must not lose the packet
            log.warning("field extraction failed for %s pages %s (%s): %s",
                        file_name, [p.number for p in span.pages], span.type, type(exc).__name__)
            fields = {}
        documents.append(
            Document(
                type=span.type,
                file=file_name,
                pages=[p.number for p in span.pages],
                text_source=_text_source(span.pages),  # type: ignore[arg-type]
                confidence=round(float(span.confidence), 3),
                fields=fields,
            )
        )
    return documents


def extract_file(src: ingest.SourceFile, cache: ExtractionCache | None = None) -> FileResult:
    """Read one file of a packet: never raises; a bad file is an entry with a status and a reason.

    With a ``cache`` (``pipeline.cache``), a file whose bytes were read before comes back from it
    without its pages (``pages`` is empty), and a new result is stored.
    """
    return extract_files([src], cache)[0]


def _documents_of(src: ingest.SourceFile, entry: FileEntry, pages: list[Page]) -> FileResult:
    try:
        documents = documents_from_pages(src.name, pages) if entry.status == "ok" else []
    except Exception as exc:
        log.warning("classification failed for %s: %s", src.name, type(exc).__name__)
        entry = entry.model_copy(update={
            "status": "unreadable",
            "error": f"文書の判別中にエラーが発生しました (internal error: {type(exc).__name__})",
        })
        documents = []
    return FileResult(entry=entry, pages=pages, documents=documents)


def extract_files(sources: list[ingest.SourceFile], cache: ExtractionCache | None = None,
                  progress: ProgressHook | None = None) -> list[FileResult]:
    """Every file's result, in the order given; the pages that need OCR are read together, across cores.

    Files found in the ``cache`` are not read again; the others are read with ``ingest.read_files`` (one
    pool of OCR workers for the whole packet, not one per file) and stored in the cache.
    """
    results: dict[int, FileResult] = {}
    todo: list[int] = []
    for i, src in enumerate(sources):
        hit = cache.lookup(src) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    read = ingest.read_files([sources[i] for i in todo]) if todo else []
    for i, (entry, pages) in zip(todo, read):
        results[i] = _documents_of(sources[i], entry, pages)
        if cache is not None:
            cache.put(results[i])
    ordered = [results[i] for i in range(len(sources))]
    if progress:
        for i, src in enumerate(sources, start=1):
            progress(src.name, i, len(sources))
    return ordered


def extract_packet(path: Path, progress: ProgressHook | None = None,
                   cache: ExtractionCache | None = None) -> list[FileResult]:
    """Every file of the packet, in a stable order, each with its documents."""
    with ingest.open_packet(Path(path)) as sources:
        return extract_files(list(sources), cache, progress)


def build_report(packet: str, program_id: str, results: list[FileResult], as_of: date) -> Report:
    """Evaluate the program's rules on what was read and assemble the contract's report."""
    program = engine.load_program(program_id)
    files = [r.entry for r in results]
    documents = [d for r in results for d in r.documents]
    evaluation = engine.evaluate(program, documents, files, as_of)
    return Report(
        packet=packet,
        program=program_id,
        edition=evaluation.edition,
        as_of=as_of,
        verdict=evaluation.verdict,
        track=evaluation.track,
        files=files,
        documents=documents,
        requirements=evaluation.requirements,
        checks=evaluation.checks,
        missing_documents=evaluation.missing_documents,
    )


def check_packet(
    path: Path | str,
    program: str = "fukui-iot-ai",
    as_of: date | str | None = None,
    progress: ProgressHook | None = None,
) -> Report:
    """The contract's Python API: check one packet (a folder or a .zip) against a program.

    ``as_of`` is a ``date`` or an ISO ``YYYY-MM-DD`` string; default today.
    """
    path = Path(path)
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    engine.load_program(program)  # an unknown program fails before any file is read
    if not path.exists():
        raise FileNotFoundError(f"no such packet: {path}")
    as_of = as_of or date.today()
    results = extract_packet(path, progress)
    return build_report(packet_name(path), program, results, as_of)

"""Exceptions raised while reading a packet's files.

One base class, one subclass per kind of problem, each carrying the offending file and the reason
as attributes (invoice2data style). Messages name the file and the reason, never the text read from
it: they end up in logs and reports that outlive the packet.

Each subclass also says which ``FileEntry.status`` it maps to, so a caller turns a caught error into a
report entry without a lookup table.
"""

from __future__ import annotations

from typing import ClassVar, Literal

FileProblem = Literal["unreadable", "unsupported"]


class ShinsaError(Exception):
    """Base class of every error this project raises on purpose."""


class FileError(ShinsaError):
    """A file of the packet cannot be used; ``reason`` is a short Japanese + English explanation."""

    status: ClassVar[FileProblem] = "unreadable"

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason

    def __reduce__(self) -> tuple[type[FileError], tuple[str, str]]:  # picklable across processes
        return (type(self), (self.file, self.reason))


class UnreadableFile(FileError):
    """A file of a supported kind that cannot be read: empty, encrypted, damaged."""

    status: ClassVar[FileProblem] = "unreadable"


class UnsupportedFile(FileError):
    """A file whose kind the pipeline does not read (a .docx, a text file, ...)."""

    status: ClassVar[FileProblem] = "unsupported"


class UnsafeArchive(FileError):
    """A zip member (or a whole zip) refused for safety: a path escaping the folder, a zip bomb."""

    status: ClassVar[FileProblem] = "unsupported"

    def __init__(self, member: str, reason: str) -> None:
        super().__init__(member, reason)
        self.member = member

    def __reduce__(self) -> tuple[type[FileError], tuple[str, str]]:
        return (type(self), (self.member, self.reason))


class PacketNotFound(ShinsaError):
    """The packet path is neither a folder nor a file."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no such packet: {path}")
        self.path = path

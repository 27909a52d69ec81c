"""The unit of output: one finding at one place in one file, the other places it involves, and the
fix that would repair it."""
from __future__ import annotations

from typing import NamedTuple

from stslint.model.nodes import Span

INPUT_ERROR_CODES = frozenset({"STS001", "STS002", "STS003", "STS004"})

APPLICABILITIES = ("safe", "unsafe")
"""A safe fix keeps what the manifest means; an unsafe one changes behaviour or an immutable field."""


class Related(NamedTuple):
    """Another place a finding involves (the Service that is not headless, the StorageClass that
    deletes), with the object it lies in: an ``stslint.io/ignore`` annotation on that object
    suppresses the finding too."""

    file: str
    span: Span
    message: str
    object: str | None = None
    namespace: str | None = None
    object_at: int | None = None
    source_path: str | None = None

    @property
    def line(self) -> int:
        """1-based line of the start."""
        return self.span[0]

    @property
    def column(self) -> int:
        """1-based column of the start."""
        return self.span[1]

    @property
    def file_key(self) -> str:
        """What identifies the file (its real path; the shown name when it has none, as standard input)."""
        return self.source_path or self.file


class Edit(NamedTuple):
    """Replace the code points ``[start, end)`` of a file's decoded text with ``replacement``."""

    file: str
    start: int
    end: int
    replacement: str
    source_path: str | None = None


class Fix(NamedTuple):
    """How to repair a finding: a title, whether it is safe (one of :data:`APPLICABILITIES`), and
    edits, possibly in several files."""

    title: str
    applicability: str
    edits: tuple[Edit, ...]


class Finding(NamedTuple):
    """A problem found in a manifest.

    ``file`` is the path as shown to the user; ``object`` is ``Kind/name`` of the object the location
    is in (None for input errors); ``namespace`` its effective namespace (None when unknown or
    cluster-scoped); ``anchor`` is the dotted path of the field the finding points at, which keeps
    fingerprints stable when lines move. ``object_at`` is the offset where the object's mapping starts
    in its file (what tells apart two objects of one kind and name in one file, List items included).
    ``severity`` is resolved for the run by the engine; ``related`` are the other places involved.
    """

    code: str
    message: str
    file: str
    span: Span
    object: str | None = None
    kind: str | None = None
    namespace: str | None = None
    container: str | None = None
    anchor: str = ""
    source_path: str | None = None
    object_at: int | None = None
    severity: str = ""
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    @property
    def line(self) -> int:
        """1-based line of the start."""
        return self.span[0]

    @property
    def column(self) -> int:
        """1-based column of the start."""
        return self.span[1]

    @property
    def end_line(self) -> int:
        """1-based line of the end."""
        return self.span[2]

    @property
    def end_column(self) -> int:
        """1-based column of the end (exclusive)."""
        return self.span[3]

    @property
    def start(self) -> int:
        """Code-point offset of the start in the file's decoded text."""
        return self.span[4]

    @property
    def end(self) -> int:
        """Code-point offset of the end (exclusive)."""
        return self.span[5]

    @property
    def file_key(self) -> str:
        """What identifies the file (its real path; the shown name when it has none, as standard
        input): two files whose names show alike are still two files."""
        return self.source_path or self.file

    @property
    def is_input_error(self) -> bool:
        """True for STS001-STS004: the file could not be read as manifests."""
        return self.code in INPUT_ERROR_CODES

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order of output: file, line, column, code."""
        return (self.file, self.span[0], self.span[1], self.code)

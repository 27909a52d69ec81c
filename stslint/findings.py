"""The unit of output: one finding at one place in one file."""
from __future__ import annotations

from dataclasses import dataclass, field

from stslint.model.nodes import Span

INPUT_ERROR_CODES = frozenset({"STS001", "STS002", "STS003", "STS004"})


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in a manifest.

    ``file`` is the path as shown to the user; ``object`` is ``Kind/name`` of the object the location
    is in (None for input errors); ``namespace`` its effective namespace (None when unknown or
    cluster-scoped); ``anchor`` is the dotted path of the field the finding points at, which keeps
    fingerprints stable when lines move. ``document`` is the 0-based index, in its file, of the
    document that holds the object (what tells apart two definitions of one object in one file).
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
    source_path: str | None = field(default=None, compare=False)
    document: int | None = field(default=None, compare=False)

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
    def is_input_error(self) -> bool:
        """True for STS001-STS004: the file could not be read as manifests."""
        return self.code in INPUT_ERROR_CODES

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order of output: file, line, column, code."""
        return (self.file, self.span[0], self.span[1], self.code)

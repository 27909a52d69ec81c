"""Loading: files to positioned YAML documents, and input errors for files that cannot be loaded."""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any

from stslint.findings import Finding
from stslint.loading.decode import DecodeError, decode
from stslint.loading.discover import Source
from stslint.loading.source_text import SourceText
from stslint.loading.yamlload import Document, LoadError, load_manifest_text, quoted
from stslint.model.nodes import point_span

DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024


@dataclass
class FileResult:
    """A source after loading: its documents, its one source text (for comments, code frames and
    fixes) and the input errors it produced."""

    source: Source
    documents: list[Document] = field(default_factory=list)
    content: SourceText = field(default_factory=lambda: SourceText(""))
    errors: list[Finding] = field(default_factory=list)
    real_path: str | None = None
    scalar_ranges: list[tuple[int, int]] | None = None
    """Where scalars are (see yamlload.Loaded): a ``#`` in one is not a comment."""

    @property
    def text(self) -> str:
        """The decoded text (BOM excluded)."""
        return self.content.text


def _error(source: Source, code: str, message: str, line: int = 1, column: int = 1,
           content: SourceText | None = None) -> Finding:
    offset = content.offset(line, column) if content is not None else 0
    return Finding(code, message, source.display, point_span(line, column, offset), source_path=_real(source))


def _real(source: Source) -> str | None:
    return os.path.realpath(source.path) if source.path is not None else None


def _read_bytes(source: Source, max_size: int) -> bytes:
    """The bytes of a source; raise ValueError with a message for what must not be read.

    The file is opened without blocking (a FIFO swapped in for a file cannot hang the run) and its
    type and size are checked on the open descriptor, so what is checked is what is read."""
    if source.path is None:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise ValueError("standard input is closed")
        data = stream.read(max_size + 1)
        if len(data) > max_size:
            raise ValueError(f"standard input is larger than the {max_size}-byte limit (--max-file-size)")
        return data
    if source.error is not None:
        raise ValueError(source.error)
    descriptor = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(descriptor)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file (a device, FIFO or socket)")
        if st.st_size > max_size:
            raise ValueError(f"file is {st.st_size} bytes, larger than the {max_size}-byte limit (--max-file-size)")
        handle = os.fdopen(descriptor, "rb", buffering=0)
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        data = _read_at_most(handle, st.st_size + 1, max_size + 1)
    if len(data) > max_size:
        raise ValueError(f"file grew past the {max_size}-byte limit (--max-file-size) while being read")
    return data


def _read_at_most(handle: Any, expected: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of an unbuffered binary file whose size is said to be ``expected - 1``."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = handle.read(min(remaining, max(expected, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def load_source(source: Source, max_size: int = DEFAULT_MAX_FILE_SIZE) -> FileResult:
    """Read and parse one source; problems become STS001/STS002/STS004 findings, never exceptions."""
    result = FileResult(source)
    if source.path is not None:
        result.real_path = os.path.realpath(source.path)
    try:
        data = _read_bytes(source, max_size)
    except ValueError as exc:
        result.errors.append(_error(source, "STS004", f"cannot read file: {exc}"))
        return result
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        result.errors.append(_error(source, "STS004", f"cannot read file: {reason}"))
        return result
    try:
        decoded = decode(data)
    except DecodeError as exc:
        result.errors.append(_error(source, "STS004", f"cannot read file: {exc.message}", exc.line, exc.column))
        return result
    result.content = SourceText(decoded.text, decoded.encoding, decoded.bom)
    return load_content(result)


def load_content(result: FileResult) -> FileResult:
    """Parse the text of a FileResult into its documents (a JSON stream when it starts with ``{``, as
    kubectl reads it, YAML otherwise); problems become STS001/STS002 findings."""
    source = result.source
    try:
        loaded = load_manifest_text(result.content.text, result.content)
    except LoadError as exc:
        result.errors.append(_error(source, exc.code, exc.message, exc.line, exc.column, result.content))
        return result
    result.documents = loaded.documents
    result.scalar_ranges = loaded.scalar_ranges
    for key, span in loaded.duplicate_keys:
        result.errors.append(Finding("STS002", f"duplicate key {quoted(str(key))}: Kubernetes rejects a mapping that repeats "
                                     "a key (the last value is used for linting)", source.display, span,
                                     source_path=result.real_path))
    return result

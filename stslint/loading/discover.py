"""Which files a run reads: paths as given, directories walked, standard input."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """A file to read: the path shown to the user, the path on disk (None for stdin), how it was found."""

    display: str
    path: str | None
    explicit: bool

    @property
    def is_stdin(self) -> bool:
        """True for standard input."""
        return self.path is None


def printable(path: str) -> str:
    """A file name safe to show: undecodable bytes (surrogate escapes) become U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_manifest_name(name: str) -> bool:
    """True for the file names a directory walk reads."""
    return name.endswith(MANIFEST_SUFFIXES) or name == "Kustomization"


def _join(base: str, *parts: str) -> str:
    if base in (".", "./"):
        return os.path.join(*parts)
    return os.path.join(base, *parts)


def walk(directory: str) -> Iterator[str]:
    """Manifest files below ``directory`` in a stable order, skipping hidden directories and the
    ``templates/`` directory of a Helm chart. Symbolic links to directories are not followed."""
    for root, dirs, files in os.walk(directory, onerror=None, followlinks=False):
        chart = "Chart.yaml" in files
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (chart and d == "templates"))
        for name in sorted(files):
            if is_manifest_name(name):
                yield os.path.join(root, name)


def discover(paths: list[str], stdin_filename: str | None = None) -> Iterator[Source]:
    """The sources for the paths of a command line ("-" is standard input; none means ".")."""
    for given in paths or ["."]:
        if given == STDIN:
            yield Source(printable(stdin_filename or STDIN), None, True)
            continue
        if os.path.isdir(given) and not given.endswith(MANIFEST_SUFFIXES):
            for path in walk(given):
                rel = os.path.relpath(path, given)
                yield Source(printable(_join(given, rel)), path, False)
            continue
        yield Source(printable(given), given, True)

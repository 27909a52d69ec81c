"""Which files a run reads: paths as given, directories walked, standard input."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """A file to read: the path shown to the user, the path on disk (None for stdin), how it was found."""

    display: str
    path: str | None
    explicit: bool
    error: str | None = None
    """Why the file must not be read (set by a directory walk), reported as an unreadable file."""


def printable(path: str) -> str:
    """A file name safe to show: undecodable bytes (surrogate escapes) become U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class PathFilter(Protocol):
    """The ``exclude`` globs of the configuration (stslint.globs.PathMatcher)."""

    def matches_entry(self, path: str, is_dir: bool) -> bool:
        """True when ``path`` itself is excluded (a walk has asked about its parents already)."""

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """True when ``path`` or one of its parent directories is excluded."""


KUSTOMIZATION_FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
"""The names of a kustomization file (as stslint.model.kustomize.KUSTOMIZATION_NAMES, without importing it)."""

NOT_MANIFESTS = ("Chart.yaml",)
"""Files a walk never reads: a Helm chart's metadata (an apiVersion without a kind)."""


def is_manifest_name(name: str) -> bool:
    """True for the file names a directory walk reads: manifests and kustomizations, not hidden
    files (.gitlab-ci.yml, .stslint.yaml) nor a Helm chart's Chart.yaml."""
    if name.startswith(".") or name in NOT_MANIFESTS:
        return False
    return name.endswith(MANIFEST_SUFFIXES) or name == "Kustomization"


LOG_COMMAND_STARTS = (":", "#", "-")
"""What a line starting with a file name must not start with: ``::`` starts a GitHub Actions workflow
command, ``##[`` an Azure Pipelines one, and ``-`` reads as an option."""


def display_name(path: str) -> str:
    """A path as reports show it: printable, and ``./PATH`` when a relative path starts with ``:``,
    ``#`` or ``-`` (a line starting with the name must not be a CI runner's command)."""
    shown = printable(path)
    return f"./{shown}" if shown.startswith(LOG_COMMAND_STARTS) else shown


def _join(base: str, *parts: str) -> str:
    if base in (".", "./"):
        return os.path.join(*parts)
    return os.path.join(base, *parts)


SKIPPED_TEMPLATES, SKIPPED_HIDDEN, SKIPPED_EXCLUDED = "templates", "hidden", "excluded"
"""Why a walk (or ``--force-exclude``) left something out: a Helm chart's ``templates/``, a hidden
file or directory, the configuration's ``exclude``."""

UNREMARKABLE_HIDDEN = frozenset({".git", ".hg", ".svn"})
"""Hidden directories a walk skips without it being worth a mention (every checkout has one)."""


@dataclass
class PathReport:
    """What one path of the command line gave a discovery: the files it reached (their keys: the
    real path, or the display name of standard input; a file another path reached first included)
    and what was left out, and why."""

    given: str
    display: str
    is_dir: bool = False
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Why a walk of the path left parts out (SKIPPED_*), each reason once, in the order met."""
    itself: str | None = None
    """Why the path itself was left out (``--force-exclude``): one of SKIPPED_*."""
    charts: list[str] = field(default_factory=list)
    """The Helm chart directories (holding Chart.yaml) a walk of the path met."""

    def note(self, reason: str) -> None:
        """Record that something was left out for ``reason``."""
        if reason not in self.skipped:
            self.skipped.append(reason)


def source_key(source: Source) -> str:
    """What identifies a source's file in a run (as stslint.analysis.FileAnalysis.key does): its real
    path, or the display name of standard input."""
    return os.path.realpath(source.path) if source.path is not None else source.display


def skips_directory(name: str, parent_holds_chart: Callable[[], bool]) -> bool:
    """The built-in skips of a walk, for a directory ``name`` below the walked root: a hidden
    directory, or the ``templates/`` directory of a Helm chart (``parent_holds_chart()`` says whether
    the directory holding it holds Chart.yaml; it is asked only about a ``templates``)."""
    return name.startswith(".") or (name == "templates" and parent_holds_chart())


def in_skipped_directory(relative: str, holds_chart: Callable[[str], bool]) -> bool:
    """True when ``relative``, a "/"-separated normalised path below a root (a directory when it
    ends with "/"), lies in a directory a walk of that root skips (:func:`skips_directory`).
    ``holds_chart(directory)`` says whether a directory, relative to the root ("" for the root
    itself), holds Chart.yaml. What lies above the root never counts."""
    directory = relative.rpartition("/")[0]
    if "/." not in "/" + directory and "templates" not in directory:
        return False  # the common case, without splitting (git ls-files lists whole repositories)
    parts = directory.split("/")
    return any(skips_directory(name, lambda: holds_chart("/".join(parts[:index])))
               for index, name in enumerate(parts))


_DIRECTORY_PROBLEM = "cannot read directory"
OUTSIDE_LINK = ("symbolic link to a file outside the directory being checked, not followed (name the file "
                "on the command line to lint it)")


def walk_checked(directory: str, exclude: PathFilter | None = None,
                 report: PathReport | None = None) -> Iterator[tuple[str, str]]:
    """Manifest files below ``directory`` in a stable order, skipping hidden files and directories,
    the ``templates/`` directory of a Helm chart and what ``exclude`` matches (symbolic links to
    directories are not followed); each path with the reason it must not be read ("" for none): a
    directory that cannot be listed, or a symbolic link leading out of ``directory`` (a checkout
    must not make stslint read, and echo, files elsewhere such as credentials or /proc).
    ``report`` records why parts were left out (a hidden file only when its name is a manifest's,
    a hidden directory unless it is a version-control one such as ``.git``)."""
    top = os.path.realpath(directory)
    failures: list[OSError] = []
    for root, dirs, files in _walk_top_down(directory, failures):
        yield from _failed_directories(failures)
        chart = "Chart.yaml" in files
        if chart and report is not None:
            report.charts.append(root)
        dirs[:] = sorted(d for d in dirs if _enters(root, d, chart, exclude, report))
        for name in sorted(files):
            if is_manifest_name(name):
                path = os.path.join(root, name)
                if exclude is None or not exclude.matches_entry(path, False):
                    yield path, OUTSIDE_LINK if _leads_outside(path, top) else ""
                elif report is not None:
                    report.note(SKIPPED_EXCLUDED)
            elif report is not None and name.startswith(".") and name.endswith(MANIFEST_SUFFIXES):
                report.note(SKIPPED_HIDDEN)
    yield from _failed_directories(failures)


def _enters(root: str, name: str, chart: bool, exclude: PathFilter | None, report: PathReport | None) -> bool:
    """Whether a walk enters the directory ``name`` below ``root`` (whose files include Chart.yaml
    when ``chart``); what it skips is noted in ``report``."""
    if skips_directory(name, lambda: chart):
        if report is not None and name not in UNREMARKABLE_HIDDEN:
            report.note(SKIPPED_HIDDEN if name.startswith(".") else SKIPPED_TEMPLATES)
        return False
    if exclude is not None and exclude.matches_entry(os.path.join(root, name), True):
        if report is not None:
            report.note(SKIPPED_EXCLUDED)
        return False
    return True


def _walk_top_down(directory: str, failures: list[OSError]) -> Iterator[tuple[str, list[str], list[str]]]:
    """What ``os.walk(directory, onerror=failures.append, followlinks=False)`` yields, in the same
    order, without recursion (a tree can be nested deeper than Python's recursion limit): each
    directory, the names of its subdirectories (including symbolic links to directories, which are
    not entered) and of its other entries. The caller may prune and reorder the subdirectory list
    it is given; the walk enters what is left, in that order, before the next directory."""
    pending = [directory]
    while pending:
        current = pending.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError as error:
            failures.append(error)
            continue
        yield current, dirs, files
        below = [os.path.join(current, name) for name in dirs]
        pending.extend(path for path in reversed(below) if not os.path.islink(path))


def _failed_directories(failures: list[OSError]) -> Iterator[tuple[str, str]]:
    while failures:
        failure = failures.pop(0)
        yield str(failure.filename), f"{_DIRECTORY_PROBLEM}: {failure.strerror or type(failure).__name__}"


def _leads_outside(path: str, top: str) -> bool:
    """True for a symbolic link whose target is not below ``top`` (a real path)."""
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return not (target == top or target.startswith(os.path.join(top, "")))


def _walk_would_skip(path: str, is_dir: bool, config_dir: str | None) -> str | None:
    """Why a walk would skip ``path`` (SKIPPED_HIDDEN: a hidden file or directory; SKIPPED_TEMPLATES: a
    chart's ``templates/``; the directory itself counts when ``is_dir``), walking from the current
    directory or the configuration's directory, whichever is the closer one holding it: only the
    parts below that root count (the checkout itself may well sit below a hidden directory). None
    when it would not (a path below neither root is never skipped)."""
    absolute = os.path.abspath(path)
    roots = [os.getcwd()] + ([os.path.abspath(config_dir)] if config_dir else [])
    holding = [root for root in roots if absolute.startswith(os.path.join(root, ""))]
    if not holding:
        return None
    root = max(holding, key=len)
    relative = os.path.relpath(absolute, root).replace(os.sep, "/") + ("/" if is_dir else "")
    if not is_dir and os.path.basename(absolute).startswith("."):
        return SKIPPED_HIDDEN  # a hidden file (.gitlab-ci.yml, .pre-commit-config.yaml): a walk never reads it
    if not in_skipped_directory(relative, lambda directory: os.path.isfile(os.path.join(root, directory,
                                                                                            "Chart.yaml"))):
        return None
    hidden = any(part.startswith(".") for part in relative.split("/")[:-1])
    return SKIPPED_HIDDEN if hidden else SKIPPED_TEMPLATES


def _force_excluded(path: str, exclude: PathFilter | None, is_dir: bool, config_dir: str | None = None) -> str | None:
    """Why ``--force-exclude`` leaves out ``path`` named on the command line (SKIPPED_*), or None."""
    skipped = _walk_would_skip(path, is_dir, config_dir)
    if skipped is None and exclude is not None and exclude.matches(path, is_dir):
        skipped = SKIPPED_EXCLUDED
    return skipped


def discover(paths: list[str], stdin_filename: str | None = None, exclude: PathFilter | None = None,
             force_exclude: bool = False, config_dir: str | None = None,
             reports: list[PathReport] | None = None) -> Iterator[Source]:
    """The sources for the paths of a command line ("-" is standard input; none means ".").
    ``exclude`` applies to what directory walks find; with ``force_exclude`` it applies, together
    with the walk's built-in skips, to paths named on the command line (and --stdin-filename) too
    (the skips counting only the directories below the current directory or ``config_dir``, the
    configuration's directory).
    A regular file reached twice (named twice, or named and found by a walk) is read once, as first
    met; what cannot be read (a link refused as leading out of a walked directory included) is
    reported under every name it was given and claims no file: the file itself is still read when
    named. ``reports``, when given, receives a PathReport per path of the command line, filled as
    the sources are yielded."""
    seen: set[str] = set()
    for report, source in _all_sources(paths, stdin_filename, exclude, force_exclude, config_dir, reports):
        key: str | None = None
        if report is not None:
            key = source_key(source)
            report.files.append(key)
        if source.path is not None and source.error is None and os.path.isfile(source.path):
            real = key or os.path.realpath(source.path)
            if real in seen:
                continue
            seen.add(real)
        yield source


def _all_sources(paths: list[str], stdin_filename: str | None, exclude: PathFilter | None,
                 force_exclude: bool, config_dir: str | None,
                 reports: list[PathReport] | None) -> Iterator[tuple[PathReport | None, Source]]:
    for given in paths or ["."]:
        report: PathReport | None = None
        if given == STDIN:
            if reports is not None:
                report = PathReport(given, display_name(stdin_filename) if stdin_filename else STDIN)
                reports.append(report)
            skipped = _force_excluded(stdin_filename, exclude, False, config_dir) \
                if force_exclude and stdin_filename else None
            if skipped:
                if report is not None:
                    report.itself = skipped
                continue
            yield report, Source(display_name(stdin_filename) if stdin_filename else STDIN, None, True)
            continue
        is_dir = os.path.isdir(given) and not given.endswith(MANIFEST_SUFFIXES)
        if reports is not None:
            report = PathReport(given, display_name(given), is_dir)
            reports.append(report)
        skipped = _force_excluded(given, exclude, is_dir, config_dir) if force_exclude else None
        if skipped:
            if report is not None:
                report.itself = skipped
            continue
        if is_dir:
            for path, problem in walk_checked(given, exclude, report):
                rel = os.path.relpath(path, given)
                yield report, Source(display_name(_join(given, rel)), path, False, problem or None)
            continue
        yield report, Source(display_name(given), given, True)

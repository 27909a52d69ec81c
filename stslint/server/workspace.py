"""What the language server knows, without the protocol: the workspace folders, each with its
configuration and an index of its manifests, and the open buffers linted against that index.

A folder's index is the command line's context made implicit: the configuration's ``context`` when
it has one, the whole folder otherwise (walked with the walk's skips and the configuration's
``exclude``). It is built once in the background (through the context cache, so a warm start parses
nothing) and then updated file by file: an open buffer's entries replace its saved file's, a file
changed on disk is read again, a deleted one is dropped. A buffer is linted as a checked file of a
run whose other files are the index (stslint.engine.Run), exactly as ``lint_text`` does, and the
entries that lint extracts go straight into the index, so a keystroke parses the buffer once.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote, urlparse

from stslint.analysis import FileAnalysis, analyze
from stslint.config import CONFIG_FILES, PYPROJECT, Config, ConfigError, resolve_config
from stslint.engine import Run, RunResult
from stslint.findings import Finding
from stslint.loading import FileResult, load_content, load_source
from stslint.loading.discover import Source, in_skipped_directory, is_manifest_name
from stslint.loading.source_text import SourceText
from stslint.model.index import Index
from stslint.model.nodes import point_span

if TYPE_CHECKING:
    from stslint.settings import Settings

CONFIG_NAMES = (*CONFIG_FILES, PYPROJECT)


def path_of_uri(uri: str) -> str | None:
    """The absolute file path a ``file:`` URI names; None for other schemes (``untitled:``)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and path[2:3] == ":":  # file:///C:/x
        path = path[1:]
    return os.path.abspath(path)


@dataclass
class Buffer:
    """An open document: its URI, the file it is (None for ``untitled:``), version and text."""

    uri: str
    path: str | None
    version: int | None
    text: str
    language_id: str = ""

    @property
    def key(self) -> str:
        """What identifies the buffer's file in an index (its real path; the URI without one)."""
        return os.path.realpath(self.path) if self.path is not None else self.uri


@dataclass
class Linted:
    """The outcome of linting one buffer version: the findings (sorted), the run's result, and
    whether the index was complete when it was linted."""

    uri: str
    version: int | None
    text: str
    result: RunResult
    complete: bool
    entries_changed: bool = False

    @property
    def findings(self) -> list[Finding]:
        """The buffer's findings."""
        return self.result.findings


@dataclass
class Folder:
    """A workspace folder (or, for a file outside every folder, its directory without an index):
    its configuration, settings, and index of the other files."""

    root: str
    indexed: bool = True
    config: Config = field(init=False)
    config_error: ConfigError | None = field(init=False, default=None)
    settings: Settings = field(init=False)
    exclude: Any = field(init=False, default=None)
    """The configuration's ``exclude`` matcher (None: nothing excluded)."""
    index: Index = field(init=False, default_factory=Index)
    ready: bool = field(init=False, default=False)
    """Whether the index of the folder's files is complete."""
    generation: int = field(init=False, default=0)
    """Bumped by every configuration reload: an index built for an older one is thrown away."""
    files: int = field(init=False, default=0)
    """How many files the last complete index read."""
    shown_config: str | None = field(init=False, default=None)
    """The configuration file whose diagnostics were last published (the server clears them there
    when another file takes over)."""
    _patches: dict[str, set[str]] = field(init=False, default_factory=dict)
    _overlays: dict[str, tuple[list, set[str]]] = field(init=False, default_factory=dict)
    _lock: threading.RLock = field(init=False, default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.root = os.path.abspath(self.root)
        self.load_config()
        if not self.indexed:
            self.ready = True

    # --- configuration -------------------------------------------------------------------------

    def load_config(self) -> None:
        """Read the configuration that governs the folder's root (discovered as the command line
        does from there); an invalid one is kept as ``config_error`` and the defaults apply."""
        try:
            config = resolve_config(cwd=self.root)
            error = None
        except ConfigError as exc:
            config, error = Config(directory=self.root), exc
        from stslint.selection import SelectionError

        try:
            settings = config.settings()
        except SelectionError as exc:  # not expected from a validated file; never a crash
            error = ConfigError(config.display or config.path or self.root, None, str(exc))
            config = Config(directory=self.root)
            settings = config.settings()
        exclude = config.exclude_matcher()
        with self._lock:
            self.config, self.config_error, self.settings, self.exclude = config, error, settings, exclude
            self.generation += 1
            self.ready = not self.indexed

    def config_file(self) -> str | None:
        """The absolute path of the configuration file in use, or of the invalid one."""
        if self.config_error is not None:
            return os.path.abspath(self.config_error.file)
        return os.path.abspath(self.config.path) if self.config.path else None

    def loads_policy(self, path: str) -> bool:
        """Whether ``path`` is (in) a policy file or directory the configuration names."""
        for given in self.config.policies:
            policy = os.path.abspath(os.path.join(self.config.directory, given))
            if path == policy or path.startswith(policy.rstrip(os.sep) + os.sep):
                return True
        return False

    def governs(self, path: str) -> bool:
        """Whether ``path`` lies in the folder."""
        root = self.root.rstrip(os.sep) + os.sep
        return path == self.root or path.startswith(root)

    # --- the index -----------------------------------------------------------------------------

    def build_index(self) -> bool:
        """Build the index of the folder's files (the configuration's context, or the whole folder)
        and make it the folder's, with the open buffers' entries in place of their files'. False
        when the configuration changed meanwhile (the index was built for the old one)."""
        from stslint.context import ContextRequest, load_context

        with self._lock:
            generation, config, settings = self.generation, self.config, self.settings
        if config.context is not None:
            request = ContextRequest().with_config(config.context, config.directory)
        else:
            request = ContextRequest([self.root])
        context = load_context(request, set(), [self.root], namespace=settings.namespace,
                               max_file_size=settings.max_file_size, cwd=self.root,
                               exclude=self.exclude, kinds=settings.rules.indexed_kinds())
        index = Index()
        patches: dict[str, set[str]] = {}
        for file in context.files:
            index.replace_lazily(file.real_path, file)
            if file.patches:
                patches[file.real_path] = set(file.patches)
        index.all_entries()  # rebuild every kind now, in the background, never on a keystroke
        with self._lock:
            if generation != self.generation:
                return False
            for key, (entries, listed) in self._overlays.items():
                index.replace_file(key, entries, subject=False)
                patches.pop(key, None)
                if listed:
                    patches[key] = set(listed)
            self.index, self._patches, self.ready = index, patches, True
            self.files = context.loaded
        return True

    def in_scope(self, path: str) -> bool:
        """Whether a file belongs in the index: a manifest name the walk reads, in the folder (or in
        the configured context), not in a directory the walk skips, not excluded."""
        if not is_manifest_name(os.path.basename(path)):
            return False
        config = self.config
        if isinstance(config.context, list):
            scopes = [os.path.abspath(os.path.join(config.directory, p)) for p in config.context]
        else:
            scopes = [self.root]
        for scope in scopes:
            if path == scope:
                return True
            prefix = scope.rstrip(os.sep) + os.sep
            if path.startswith(prefix):
                relative = path[len(prefix):].replace(os.sep, "/")
                if in_skipped_directory(relative, lambda d: os.path.isfile(os.path.join(scope, d, "Chart.yaml"))):
                    return False
                return self.exclude is None or not self.exclude.matches(path)
        return False

    def refresh_file(self, path: str) -> bool:
        """Read a file changed on disk (created, changed or deleted) into the index; an open buffer's
        entries stay in place of its file's. True when the index changed."""
        if not self.indexed:
            return False
        real = os.path.realpath(path)
        with self._lock:
            if real in self._overlays:
                return False
            settings = self.settings
        if not os.path.isfile(real) or not self.in_scope(os.path.abspath(path)):
            with self._lock:
                self.index.drop_files([real])
                self._patches.pop(real, None)
            return True
        display = os.path.relpath(real, self.root) if self.governs(real) else real
        analysis = analyze(load_source(Source(display, real, False), settings.max_file_size), settings)
        with self._lock:
            if real in self._overlays:
                return False
            self.index.replace_file(real, analysis.entries, subject=False)
            self._set_patches(real, analysis.patches)
        return True

    def _set_patches(self, key: str, listed: set[str]) -> None:
        if listed:
            self._patches[key] = set(listed)
        else:
            self._patches.pop(key, None)

    def close_buffer(self, buffer: Buffer) -> None:
        """Forget an open buffer's entries: its saved file's count again."""
        with self._lock:
            had = self._overlays.pop(buffer.key, None)
            if had is not None:
                self.index.drop_files([buffer.key])
                self._patches.pop(buffer.key, None)
        if had is not None and buffer.path is not None:
            self.refresh_file(buffer.path)

    # --- linting -------------------------------------------------------------------------------

    def lint(self, buffer: Buffer) -> Linted | None:
        """Lint a buffer's text against the index of the other files; its entries then replace its
        file's in the index (an open buffer wins over its saved version). None when the buffer
        changed while its text was parsed (a newer change has its own lint: the rest is not done)."""
        with self._lock:
            settings, generation, complete = self.settings, self.generation, self.ready
            run = Run(settings, self.index if self.indexed else None)
            run.patch_files = {patch for key, listed in self._patches.items() if key != buffer.key
                               for patch in listed}
            before = self._overlays.get(buffer.key)
        text, version = buffer.text, buffer.version  # one snapshot: the event loop may change the buffer
        real = os.path.realpath(buffer.path) if buffer.path is not None else None
        result = FileResult(Source(buffer.uri, buffer.path, True), content=SourceText(text))
        result.real_path = real
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > settings.max_file_size:
            result.errors.append(Finding("STS004", f"cannot read file: file is {size} bytes, larger than the "
                                         f"{settings.max_file_size}-byte limit (max-file-size)", buffer.uri,
                                         point_span(1, 1, 0), source_path=real))
            analysis = analyze(result, settings, run.plan)
        else:
            loaded = load_content(result)
            if buffer.text is not text:
                return None
            analysis = analyze(loaded, settings, run.plan)
        run.add(analysis)
        outcome = run.finish()
        changed = self._remember(buffer, analysis, before, generation)
        return Linted(buffer.uri, version, text, outcome, complete, changed)

    def _remember(self, buffer: Buffer, analysis: FileAnalysis, before: tuple[list, set[str]] | None,
                  generation: int) -> bool:
        """Put a buffer's entries in the index; True when what they tell other files changed (their
        values, positions or the kustomize patches the buffer lists)."""
        if not self.indexed or buffer.path is None:
            return False
        if not self.in_scope(os.path.abspath(buffer.path)):  # a hidden or excluded file is no context
            return False
        with self._lock:
            if generation != self.generation:
                return False
            self._overlays[buffer.key] = (analysis.entries, set(analysis.patches))
            self.index.replace_file(buffer.key, analysis.entries, subject=False)
            self._set_patches(buffer.key, analysis.patches)
        if before is None:
            return bool(analysis.entries or analysis.patches)
        return _signature(before[0], before[1]) != _signature(analysis.entries, analysis.patches)


def _signature(entries: list[Any], patches: set[str]) -> tuple[Any, ...]:
    """What a file's entries tell other files (positions included: related locations point there)."""
    return tuple(repr(entry.to_record()) for entry in entries), tuple(sorted(patches))


class Workspace:
    """The workspace folders and the open buffers."""

    def __init__(self, roots: list[str]) -> None:
        self.folders: list[Folder] = [Folder(root) for root in dict.fromkeys(os.path.abspath(r) for r in roots)]
        self.loose: dict[str, Folder] = {}
        self.buffers: dict[str, Buffer] = {}
        self.linted: dict[str, Linted] = {}

    def folder_of(self, path: str | None) -> Folder:
        """The folder a file is in (the innermost), or a folder without an index for a file outside
        every folder (configured from its directory) and for a buffer that is no file."""
        if path is not None:
            found = [folder for folder in self.folders if folder.governs(path)]
            if found:
                return max(found, key=lambda folder: len(folder.root))
        directory = os.path.dirname(path) if path is not None else os.getcwd()
        folder = self.loose.get(directory)
        if folder is None:
            folder = self.loose[directory] = Folder(directory, indexed=False)
        return folder

    def open(self, uri: str, version: int | None, text: str, language_id: str = "") -> Buffer:
        """Start tracking an open document."""
        buffer = Buffer(uri, path_of_uri(uri), version, text, language_id)
        self.buffers[uri] = buffer
        return buffer

    def close(self, uri: str) -> None:
        """Stop tracking a document (its saved file's entries count again)."""
        buffer = self.buffers.pop(uri, None)
        self.linted.pop(uri, None)
        if buffer is not None:
            self.folder_of(buffer.path).close_buffer(buffer)

    def lint(self, uri: str) -> Linted | None:
        """Lint an open buffer as it is now (None when it is not open, or changed meanwhile)."""
        buffer = self.buffers.get(uri)
        if buffer is None:
            return None
        linted = self.folder_of(buffer.path).lint(buffer)
        current = self.buffers.get(uri)
        if linted is None:
            return None
        if current is not None and current.version == linted.version and current.text == linted.text:
            self.linted[uri] = linted
        return linted

    def others_in(self, folder: Folder, uri: str) -> list[str]:
        """The other open buffers of ``folder``."""
        return [other for other, buffer in self.buffers.items()
                if other != uri and self.folder_of(buffer.path) is folder]

    def is_config_file(self, path: str) -> Folder | None:
        """The folder whose configuration ``path`` is (or may become: a configuration file's name in
        a folder, the file in use or that failed, or a policy file it loads), or None."""
        for folder in self.folders:
            if path == folder.config_file() or folder.loads_policy(path):
                return folder
            if os.path.basename(path) in CONFIG_NAMES and folder.governs(path):
                return folder
        return None

    def add_folder(self, root: str) -> Folder:
        """Start serving a workspace folder added while running."""
        folder = Folder(root)
        self.folders.append(folder)
        return folder

    def remove_folder(self, root: str) -> Folder | None:
        """Stop serving a workspace folder (its open buffers are then linted alone)."""
        root = os.path.abspath(root)
        for folder in self.folders:
            if folder.root == root:
                self.folders.remove(folder)
                return folder
        return None

    def text_of(self, path: str, read: Callable[[str], str | None]) -> str | None:
        """The text of a file: its open buffer's, else what ``read`` gives."""
        for buffer in self.buffers.values():
            if buffer.path is not None and (buffer.path == path or buffer.key == path):
                return buffer.text
        return read(path)

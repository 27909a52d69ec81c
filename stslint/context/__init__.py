"""Context: manifests loaded only to resolve references of the checked files.

A StatefulSet's governing Service and StorageClass often live in other files. ``--context PATH``
and ``--context-git`` (config ``context``) name those files; the index entries of their objects
(every indexed kind) and their kustomize patch lists enter the index, but they give no findings and no input
errors (a file that fails to load is skipped and listed with ``--verbose``). A checked file is
never also context. What each context file contributes is cached by content (see ``cache``), so a
warm run parses only the files being checked.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from stslint.context.records import (BadRecord, Record, annotated_kinds, entry_records_of, error_of, kinds_of,
                                     patches_of, record_of, refused_of)
from stslint.loading import DEFAULT_MAX_FILE_SIZE
from stslint.model.entries import Entry

if TYPE_CHECKING:
    from stslint.context.cache import ContextCache
    from stslint.context.listing import Candidate, Listing
    from stslint.loading.discover import PathFilter, Source


@dataclass
class ContextFile:
    """What one context file contributes: its record — the entries of its objects, decoded and rebuilt
    kind by kind when a rule first looks that kind up — and the patch files its kustomization lists.

    A record read from the cache is checked for its shape when loaded and for every value when
    rebuilt; a record found damaged then is replaced by parsing the file again."""

    display: str
    real_path: str
    record: Record = field(default_factory=lambda: {"entries": {}})
    patches: list[str] = field(default_factory=list)
    namespace: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    kinds_recorded: frozenset[str] | None = None
    """The kinds a record holds (those the rules read; None: every indexed kind)."""
    documents_recorded: frozenset[str] = frozenset()
    """The kinds whose entries hold the whole object (what user policies' refs read)."""
    reparsed: bool = False
    """True when a damaged record made the file be parsed again."""
    _built: dict[tuple[str, int], Entry] = field(default_factory=dict, repr=False)
    _kinds: frozenset[str] | None = field(default=None, repr=False)

    def kinds(self) -> frozenset[str]:
        """The kinds of the file's entries."""
        if self._kinds is None:
            self._kinds = kinds_of(self.record)
        return self._kinds

    def _items(self, kind: str) -> list[dict[str, Any]]:
        """The entry records of ``kind``, checked for shape (parsing the file again when damaged)."""
        try:
            return entry_records_of(self.record, kind)
        except BadRecord:
            if self.reparsed:
                raise
            self._reparse()
            return entry_records_of(self.record, kind)

    def _entry(self, kind: str, index: int, item: dict[str, Any]) -> Entry:
        """The entry of record ``index`` of ``kind`` (built once)."""
        entry = self._built.get((kind, index))
        if entry is None:
            entry = self._built[(kind, index)] = Entry.from_record(item, self.display, self.real_path, self.namespace)
        return entry

    def _rebuilt(self, kind: str, name: str | None) -> list[Entry]:
        items = self._items(kind)
        try:
            return [self._entry(kind, index, item) for index, item in enumerate(items)
                    if name is None or item["name"] == name]
        except BadRecord:
            if self.reparsed:
                raise
            self._reparse()
            return self._rebuilt(kind, name)

    def names(self, kind: str) -> frozenset[str]:
        """The names of the file's entries of ``kind`` (without rebuilding them)."""
        return frozenset(item["name"] for item in self._items(kind))

    def entries_of_kind(self, kind: str) -> list[Entry]:
        """The file's entries of ``kind``, rebuilt from their records (the same objects every time)."""
        return self._rebuilt(kind, None)

    def entries_named(self, kind: str, name: str) -> list[Entry]:
        """The file's entries of ``kind`` called ``name`` (only those are rebuilt)."""
        return self._rebuilt(kind, name)

    def entries(self) -> list[Entry]:
        """Every entry of the file, kind by kind."""
        return [entry for kind in sorted(self.kinds()) for entry in self.entries_of_kind(kind)]

    def annotated(self) -> list[Entry]:
        """The entries whose object carries an ``stslint.io/ignore`` annotation (only their kinds are
        rebuilt)."""
        try:
            kinds = annotated_kinds(self.record)
        except BadRecord:
            self._reparse()
            kinds = annotated_kinds(self.record)
        return [entry for kind in kinds for entry in self.entries_of_kind(kind) if entry.annotation]

    def refused(self) -> list[tuple[int, str]]:
        """The (line, message) of the patch entries the file's kustomization lists outside its root."""
        try:
            return refused_of(self.record)
        except BadRecord:
            self._reparse()
            return refused_of(self.record)

    def _reparse(self) -> None:
        self.record = _parse(self.display, self.real_path, self.max_file_size, self.kinds_recorded,
                             self.documents_recorded)
        self._kinds = None
        self._built = {}
        self.reparsed = True


@dataclass
class Context:
    """The context of a run: the files loaded, the files skipped (with why) and cache use."""

    files: list[ContextFile] = field(default_factory=list)
    """The files that contribute something (entries or patch files)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(path, message): context asked for that could not be loaded at all (see Listing.warnings)."""
    loaded: int = 0
    from_cache: int = 0
    parsed: int = 0


@dataclass
class ContextRequest:
    """Which context a run asks for."""

    paths: Sequence[str] = ()
    git: bool = False
    use_cache: bool = True

    def __bool__(self) -> bool:
        return bool(self.paths) or self.git

    def with_config(self, configured: Sequence[str] | str | None, directory: str) -> ContextRequest:
        """This request plus the configuration's ``context`` (``"git"``, or a list of paths relative
        to the configuration file's ``directory``): the command line adds to the file, never removes."""
        if configured is None:
            return self
        if isinstance(configured, str):
            return ContextRequest(self.paths, self.git or configured == "git", self.use_cache)
        return ContextRequest([*self.paths, *(os.path.join(directory, p) for p in configured)], self.git,
                              self.use_cache)


def _parse(display: str, real_path: str, max_file_size: int, kinds: frozenset[str] | None = None,
           documents: frozenset[str] = frozenset()) -> Record:
    """Load a context file and make its record (its input errors become the record's error)."""
    from stslint.loading import load_source
    from stslint.model.documents import indexable_objects
    from stslint.loading.discover import Source
    from stslint.model.kustomize import kustomization_patches

    result = load_source(Source(display, real_path, False), max_file_size)
    blocking = [e for e in result.errors if e.code != "STS002"]  # duplicate keys still load, as when checked
    if blocking:
        first = blocking[0]
        return record_of([], display, real_path, set(), f"{first.code} at {first.line}:{first.column}: "
                         f"{first.message}")
    objects = [obj for doc in result.documents for obj in indexable_objects(doc.root)]
    patches = kustomization_patches(real_path, (doc.root for doc in result.documents), real_path)
    return record_of(objects, display, real_path, patches.paths, None, kinds, patches.refused, result.content,
                     documents)


def _cacheable(record: Record) -> bool:
    """Unreadable files (STS004: missing, permissions, size limit) are tried again next time."""
    error = record.get("error")
    return not (isinstance(error, str) and error.startswith("STS004"))


def list_context(request: ContextRequest, checked: set[str], anchors: Sequence[str], cwd: str,
                 exclude: PathFilter | None = None) -> Listing:
    """The context files of a run: ``checked`` are the resolved paths of the checked files (never
    context); ``anchors`` are the directories whose git work trees ``--context-git`` lists."""
    from stslint.context.listing import (GitError, Listing, add_git_files, add_paths, shown_path,  # git, only here
                                         work_tree_of)

    cwd_real = os.path.realpath(cwd)
    listing = Listing()
    add_paths(listing, request.paths, checked, cwd_real, exclude)
    if request.git:
        tops: dict[str, None] = {}
        outside: list[str] = []
        for anchor in anchors or [cwd]:
            top = work_tree_of(anchor)
            if top is None:
                outside.append(anchor)
            else:
                tops.setdefault(top)
        if outside:
            others = f" (nor are {len(outside) - 1} other directories of checked files)" if len(outside) > 1 else ""
            listing.warnings.append((shown_path(outside[0]), f"not in a git work tree{others}, so --context-git "
                                     "(or the configuration's context: git) loads no context for the files there; "
                                     "references to other files (a governing Service, a StorageClass) may be "
                                     "reported as missing"))
        for top in tops:
            try:
                add_git_files(listing, top, checked, cwd_real, exclude)
            except GitError as exc:
                listing.warnings.append((top, f"--context-git cannot list the work tree ({exc}); no context "
                                         "loaded from it"))
    return listing


def load_context(request: ContextRequest, checked: set[str], anchors: Sequence[str], *,
                 namespace: str | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 cwd: str | None = None, exclude: PathFilter | None = None,
                 kinds: frozenset[str] | None = None, documents: frozenset[str] = frozenset()) -> Context:
    """The context a run asks for, from the cache where the content is unchanged; context files
    record the entries of ``kinds``, the kinds the run's rules read (default: the built-in rules'),
    those of ``documents`` with their whole object (user policies' refs read them; the cache keys
    records by both sets)."""
    if kinds is None:
        from stslint.rules import BUILTIN

        kinds = BUILTIN.indexed_kinds()
    cwd = cwd or os.getcwd()
    listing = list_context(request, checked, anchors, cwd, exclude)
    context = Context(skipped=list(listing.skipped), warnings=list(listing.warnings))
    cache = None
    if request.use_cache:
        from stslint.context.cache import ContextCache, cache_directory

        key: dict[str, Any] = {"max_file_size": max_file_size, "kinds": sorted(kinds)}
        if documents:
            key["documents"] = sorted(documents)  # a run without policy refs keeps the key it always had
        cache = ContextCache(cache_directory(cwd), key)
    for candidate in listing.candidates.values():
        loaded, error = _load_one(candidate, cache, context, max_file_size, kinds, documents)
        if error is not None:
            context.skipped.append((candidate.display, error))
            continue
        context.loaded += 1
        if loaded is not None:
            loaded.namespace, loaded.max_file_size = namespace, max_file_size  # how its entries are rebuilt
            loaded.kinds_recorded, loaded.documents_recorded = kinds, documents
            context.files.append(loaded)
    if cache is not None:
        cache.forget_unlisted(listing.scopes, set(listing.candidates))
        cache.save()
    return context


def _load_one(candidate: Candidate, cache: ContextCache | None, context: Context, max_file_size: int,
              kinds: frozenset[str] | None, documents: frozenset[str] = frozenset()
              ) -> tuple[ContextFile | None, str | None]:
    """A context file from its cached record, or parsed (and then cached), None when it contributes
    nothing; and why it was skipped."""
    from stslint.context.listing import still_matches

    record = cache.get(candidate.real_path, candidate.key) if cache is not None else None
    if record is not None:
        assert cache is not None
        try:
            loaded = _context_file(candidate, record)
            context.from_cache += 1
            return loaded, error_of(record)
        except BadRecord:
            cache.discard(candidate.real_path)
    record = _parse(candidate.display, candidate.real_path, max_file_size, kinds, documents)
    context.parsed += 1
    if cache is not None and _cacheable(record) and still_matches(candidate):
        cache.put(candidate.real_path, candidate.key, record)
    return _context_file(candidate, record), error_of(record)


def checked_files(sources: Iterable[Source], stdin_filename: str | None) -> tuple[set[str], list[str]]:
    """The resolved paths of the files being checked (standard input counts as the file it is named
    after) and the directories they are in."""
    checked: set[str] = set()
    directories: dict[str, None] = {}
    for source in sources:
        path = source.path if source.path is not None else stdin_filename
        if path is None:
            continue
        real = os.path.realpath(path)
        checked.add(real)
        directories.setdefault(os.path.dirname(real))
    return checked, list(directories)


def context_for(request: ContextRequest, sources: Sequence[Source], stdin_filename: str | None = None, *,
                namespace: str | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                exclude: PathFilter | None = None, kinds: frozenset[str] | None = None,
                documents: frozenset[str] = frozenset()) -> Context:
    """The context of a run over ``sources``: ``--context-git`` lists the work trees they are in."""
    checked, directories = checked_files(sources, stdin_filename)
    return load_context(request, checked, directories, namespace=namespace, max_file_size=max_file_size,
                        exclude=exclude, kinds=kinds, documents=documents)


def _context_file(candidate: Candidate, record: Record) -> ContextFile | None:
    """A context file from its record, whose shape is checked (BadRecord when it is malformed); its
    entries' values are checked when rebuilt. None for the many files that contribute nothing."""
    if type(record) is not dict:
        raise BadRecord("a record is a mapping")
    if record.get("entries") == {} and record.get("patches") == [] and "refused" not in record:
        error_of(record)
        return None
    error_of(record)
    return ContextFile(candidate.display, candidate.real_path, record, patches_of(record), _kinds=kinds_of(record))

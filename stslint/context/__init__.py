"""Context: manifests loaded only to resolve references of the checked files.

A StatefulSet's governing Service and StorageClass often live in other files. ``--context PATH``
and ``--context-git`` (config ``context``) name those files; their Services, StorageClasses and
kustomize patch lists enter the index, but they give no findings and no input
errors (a file that fails to load is skipped and listed with ``--verbose``). A checked file is
never also context. What each context file contributes is cached by content (see ``cache``), so a
warm run parses only the files being checked.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from stslint.context.listing import (Candidate, GitError, Listing, add_git_files, add_paths, still_matches,
                                     work_tree_of)
from stslint.context.records import BadRecord, Record, entries_of, error_of, patches_of, record_of
from stslint.loading import DEFAULT_MAX_FILE_SIZE
from stslint.loading.discover import PathFilter, Source
from stslint.model.index import ServiceEntry, StorageClassEntry

if TYPE_CHECKING:
    from stslint.context.cache import ContextCache


@dataclass
class ContextFile:
    """What one context file contributes: index entries and the patch files its kustomization lists."""

    display: str
    real_path: str
    services: list[ServiceEntry] = field(default_factory=list)
    storage_classes: list[StorageClassEntry] = field(default_factory=list)
    patches: list[str] = field(default_factory=list)


@dataclass
class Context:
    """The context of a run: the files loaded, the files skipped (with why) and cache use."""

    files: list[ContextFile] = field(default_factory=list)
    """The files that contribute something (entries or patch files)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
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


def _parse(candidate: Candidate, max_file_size: int) -> Record:
    """Load a context file and make its record (its input errors become the record's error)."""
    from stslint.model.documents import indexable_objects
    from stslint.loading import load_source
    from stslint.loading.discover import Source
    from stslint.model.kustomize import kustomization_patches

    result = load_source(Source(candidate.display, candidate.real_path, False), max_file_size)
    blocking = [e for e in result.errors if e.code != "STS002"]  # duplicate keys still load, as when checked
    if blocking:
        first = blocking[0]
        return record_of([], candidate.display, candidate.real_path, set(),
                         f"{first.code} at {first.line}:{first.column}: {first.message}")
    objects = [obj for doc in result.documents for obj in indexable_objects(doc.root)]
    patches = kustomization_patches(candidate.real_path, (doc.root for doc in result.documents),
                                    candidate.real_path)
    return record_of(objects, candidate.display, candidate.real_path, patches, None)


def _cacheable(record: Record) -> bool:
    """Unreadable files (STS004: missing, permissions, size limit) are tried again next time."""
    error = record.get("error")
    return not (isinstance(error, str) and error.startswith("STS004"))


def list_context(request: ContextRequest, checked: set[str], anchors: Sequence[str], cwd: str,
                 exclude: PathFilter | None = None) -> Listing:
    """The context files of a run: ``checked`` are the resolved paths of the checked files (never
    context); ``anchors`` are the directories whose git work trees ``--context-git`` lists."""
    cwd_real = os.path.realpath(cwd)
    listing = Listing()
    add_paths(listing, request.paths, checked, cwd_real, exclude)
    if request.git:
        tops: dict[str, None] = {}
        for anchor in anchors or [cwd]:
            top = work_tree_of(anchor)
            if top is None:
                listing.skipped.append((anchor, "--context-git: not in a git work tree"))
            else:
                tops.setdefault(top)
        for top in tops:
            try:
                add_git_files(listing, top, checked, cwd_real, exclude)
            except GitError as exc:
                listing.skipped.append((top, f"--context-git: {exc}"))
    return listing


def load_context(request: ContextRequest, checked: set[str], anchors: Sequence[str], *,
                 namespace: str | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 cwd: str | None = None, exclude: PathFilter | None = None) -> Context:
    """The context a run asks for, from the cache where the content is unchanged."""
    cwd = cwd or os.getcwd()
    listing = list_context(request, checked, anchors, cwd, exclude)
    context = Context(skipped=list(listing.skipped))
    cache = None
    if request.use_cache:
        from stslint.context.cache import ContextCache, cache_directory

        cache = ContextCache(cache_directory(cwd), {"max_file_size": max_file_size})
    for candidate in listing.candidates.values():
        loaded, error = _load_one(candidate, cache, context, namespace, max_file_size)
        if error is not None:
            context.skipped.append((candidate.display, error))
            continue
        context.loaded += 1
        if loaded.services or loaded.storage_classes or loaded.patches:
            context.files.append(loaded)
    if cache is not None:
        cache.forget_unlisted(listing.scopes, set(listing.candidates))
        cache.save()
    return context


def _load_one(candidate: Candidate, cache: ContextCache | None, context: Context, namespace: str | None,
              max_file_size: int) -> tuple[ContextFile, str | None]:
    """A context file from its cached record, or parsed (and then cached); and why it was skipped."""
    record = cache.get(candidate.real_path, candidate.key) if cache is not None else None
    if record is not None:
        assert cache is not None
        try:
            loaded = _context_file(candidate, record, namespace)
            context.from_cache += 1
            return loaded, error_of(record)
        except BadRecord:
            cache.discard(candidate.real_path)
    record = _parse(candidate, max_file_size)
    context.parsed += 1
    if cache is not None and _cacheable(record) and still_matches(candidate):
        cache.put(candidate.real_path, candidate.key, record)
    return _context_file(candidate, record, namespace), error_of(record)


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
                exclude: PathFilter | None = None) -> Context:
    """The context of a run over ``sources``: ``--context-git`` lists the work trees they are in."""
    checked, directories = checked_files(sources, stdin_filename)
    return load_context(request, checked, directories, namespace=namespace, max_file_size=max_file_size,
                        exclude=exclude)


def _context_file(candidate: Candidate, record: Record, namespace: str | None) -> ContextFile:
    """Rebuild a context file's entries from its record (BadRecord when it is malformed)."""
    if not isinstance(record, dict):
        raise BadRecord("a record is a mapping")
    error_of(record)
    if record.get("entries") == [] and record.get("patches") == []:
        return ContextFile(candidate.display, candidate.real_path)  # most files: nothing to rebuild
    services, classes = entries_of(record, candidate.display, candidate.real_path, namespace)
    return ContextFile(candidate.display, candidate.real_path, services, classes, patches_of(record))

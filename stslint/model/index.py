"""The index across all files of a run: a multimap of entries by (kind, namespace, name).

Entries are kept per file, so a file's entries can be replaced (an editor buffer re-linted against
the others) or dropped (a kustomize patch is not an object). Lookup tables are built per kind on the
first query after a change, and the entries of context files are rebuilt kind by kind only when a
rule first looks that kind up: a context costs what the selected rules read, not what it holds. An
object defined twice is kept twice. Only the entries of *subject* files — the files being checked —
are judged by rules; entries of context files, or of an index of other files handed to a run, are
looked up like any other but never judged.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from stslint.model.entries import Entry, namespaces_match


class LazyEntries(Protocol):
    """The entries of a file that are rebuilt on demand (a context file's cached record)."""

    def kinds(self) -> frozenset[str]:
        """The kinds of the file's entries."""

    def names(self, kind: str) -> frozenset[str]:
        """The names of the file's entries of ``kind`` (without rebuilding them)."""

    def entries_of_kind(self, kind: str) -> list[Entry]:
        """The file's entries of ``kind`` (the same objects every time)."""

    def entries_named(self, kind: str, name: str) -> list[Entry]:
        """The file's entries of ``kind`` called ``name`` (the same objects every time)."""

    def annotated(self) -> list[Entry]:
        """The file's entries whose object carries an ``stslint.io/ignore`` annotation."""


class Index:
    """Every entry of a run, looked up by kind, name, namespace and the pod labels they select."""

    def __init__(self, entries: Iterable[Entry] = (), *, subject: bool = True) -> None:
        self._by_file: dict[str, list[Entry]] = {}
        self._lazy: dict[str, LazyEntries] = {}
        self._taken: dict[str, set[str]] = {}
        self._subject_files: set[str] = set()
        self._kinds: dict[str, tuple[list[Entry], dict[str, list[Entry]]]] = {}
        self._files_by_kind: dict[str, list[str]] | None = None
        self._names: dict[str, dict[str, list[Entry | str]]] = {}
        self._selectors: dict[str, tuple[dict[tuple[str, str], list[int]], list[int]]] = {}
        self.patch_files: set[str] = set()
        """Real paths of the files the kustomizations of the indexed files list as patches."""
        self.has_context = False
        """Whether files besides the checked ones were given to resolve references (a context, or the
        other files of a workspace): a reference that resolves nowhere is then not merely elsewhere."""
        self.add_all(entries, subject=subject)

    def _changed(self) -> None:
        self._kinds = {}
        self._files_by_kind = None
        self._names = {}
        self._selectors = {}

    def add(self, entry: Entry, *, subject: bool = True) -> None:
        """Add one entry; ``subject`` says whether its file is being checked (judged by rules)."""
        self._by_file.setdefault(entry.file_key, []).append(entry)
        if subject:
            self._subject_files.add(entry.file_key)
        self._changed()

    def add_all(self, entries: Iterable[Entry], *, subject: bool = True) -> None:
        """Add entries."""
        for entry in entries:
            self.add(entry, subject=subject)

    def _forget(self, file_key: str) -> bool:
        found = self._by_file.pop(file_key, None) is not None
        found = self._lazy.pop(file_key, None) is not None or found
        self._taken.pop(file_key, None)
        self._subject_files.discard(file_key)
        self._changed()
        return found

    def replace_file(self, file_key: str, entries: Iterable[Entry], *, subject: bool = True) -> None:
        """Make ``entries`` the entries of one file (an edited file, re-read); ``subject`` says whether
        it is being checked."""
        self._forget(file_key)
        self._by_file[file_key] = []
        if subject:
            self._subject_files.add(file_key)
        self.add_all(entries, subject=subject)

    def replace_lazily(self, file_key: str, lazy: LazyEntries) -> None:
        """Make the entries of a file not being checked (a context file) those ``lazy`` rebuilds, kind
        by kind, when first looked up."""
        self._forget(file_key)
        self._by_file[file_key] = []
        self._lazy[file_key] = lazy
        self._taken[file_key] = set()
        self._changed()

    def drop_files(self, file_keys: Iterable[str]) -> None:
        """Forget every entry read from these files (kustomize patches are not objects)."""
        for key in file_keys:
            self._forget(key)

    def copy(self, *, subjects: bool = True) -> Index:
        """An index holding the same entries (shared, not copied); with ``subjects`` False none of
        its files is judged (the other files of a workspace, when one file is re-linted)."""
        other = Index()
        other._by_file = {key: list(entries) for key, entries in self._by_file.items()}
        other._lazy = dict(self._lazy)
        other._taken = {key: set(kinds) for key, kinds in self._taken.items()}
        other.patch_files = set(self.patch_files)
        other.has_context = self.has_context
        if subjects:
            other._subject_files = set(self._subject_files)
        return other

    def __len__(self) -> int:
        return len(self.all_entries())

    def all_entries(self) -> list[Entry]:
        """Every entry, every kind rebuilt (for inspection; rules look entries up by kind)."""
        kinds = {entry.kind for entries in self._by_file.values() for entry in entries}
        for lazy in self._lazy.values():
            kinds |= lazy.kinds()
        return [entry for kind in sorted(kinds) for entry in self.entries(kind)]

    def annotated(self) -> Iterable[Entry]:
        """Every entry whose object carries an ``stslint.io/ignore`` annotation (context files'
        rebuilt only for that)."""
        for key, entries in self._by_file.items():
            yield from (entry for entry in entries if entry.annotation is not None)
            lazy = self._lazy.get(key)
            if lazy is not None:
                yield from (entry for entry in lazy.annotated() if entry not in entries)

    def all_subjects(self) -> Iterable[Entry]:
        """Every entry of the files being checked."""
        for key, entries in self._by_file.items():
            if key in self._subject_files:
                yield from entries

    def _files_of(self, kind: str) -> list[str]:
        """The files holding entries of ``kind`` (rebuilt or not), in the order added."""
        if self._files_by_kind is None:
            files: dict[str, dict[str, None]] = {}
            for key, entries in self._by_file.items():
                lazy = self._lazy.get(key)
                for entry_kind in lazy.kinds() if lazy is not None else ():
                    files.setdefault(entry_kind, {})[key] = None
                for entry in entries:
                    files.setdefault(entry.kind, {})[key] = None
            self._files_by_kind = {entry_kind: list(keys) for entry_kind, keys in files.items()}
        return self._files_by_kind.get(kind, [])

    def _table(self, kind: str) -> tuple[list[Entry], dict[str, list[Entry]]]:
        found = self._kinds.get(kind)
        if found is None:
            listed: list[Entry] = []
            by_name: dict[str, list[Entry]] = {}
            for key in self._files_of(kind):
                entries = self._by_file[key]
                lazy = self._lazy.get(key)
                if lazy is not None and kind not in self._taken[key] and kind in lazy.kinds():
                    self._taken[key].add(kind)
                    entries.extend(lazy.entries_of_kind(kind))
                for entry in entries:
                    if entry.kind == kind:
                        listed.append(entry)
                        by_name.setdefault(entry.name, []).append(entry)
            found = self._kinds[kind] = (listed, by_name)
        return found

    def _by_name(self, kind: str) -> dict[str, list[Entry | str]]:
        """For each name, in file order, the entries of ``kind`` with that name — or, for a context
        file whose entries of ``kind`` are not rebuilt yet, the file's key (a lookup by name then
        rebuilds only the entries it finds). Built once per kind and change."""
        found = self._names.get(kind)
        if found is None:
            found = {}
            for key in self._files_of(kind):
                lazy = self._lazy.get(key)
                if lazy is not None and kind not in self._taken[key]:
                    for name in lazy.names(kind):
                        found.setdefault(name, []).append(key)
                else:
                    for entry in self._by_file[key]:
                        if entry.kind == kind:
                            found.setdefault(entry.name, []).append(entry)
            self._names[kind] = found
        return found

    def _named(self, kind: str, name: str) -> list[Entry]:
        if kind in self._kinds:
            return self._kinds[kind][1].get(name, [])
        found: list[Entry] = []
        for item in self._by_name(kind).get(name, ()):
            if isinstance(item, str):
                lazy = self._lazy[item]
                found += lazy.entries_named(kind, name) if kind not in self._taken[item] else [
                    e for e in self._by_file[item] if e.kind == kind and e.name == name]
            else:
                found.append(item)
        return found

    def entries(self, kind: str) -> list[Entry]:
        """Every entry of ``kind``, in the order added (context files first)."""
        return self._table(kind)[0]

    def subjects(self, kind: str) -> list[Entry]:
        """The entries of ``kind`` that rules judge: those of checked files, not of context files (which
        are not rebuilt for this)."""
        return [entry for key, entries in self._by_file.items() if key in self._subject_files
                for entry in entries if entry.kind == kind]

    def named(self, kind: str, name: str, namespace: str | None) -> list[Entry]:
        """Entries of ``kind`` called ``name`` whose namespace can be ``namespace`` (an unknown
        namespace matches any; cluster-scoped entries match whatever the namespace)."""
        return [entry for entry in self._named(kind, name) if namespaces_match(entry.namespace, namespace)]

    def named_anywhere(self, kind: str, name: str) -> list[Entry]:
        """Entries of ``kind`` called ``name``, in any namespace."""
        return list(self._named(kind, name))

    def in_namespace(self, kind: str, namespace: str | None) -> list[Entry]:
        """Entries of ``kind`` whose namespace can be ``namespace``."""
        return [entry for entry in self.entries(kind) if namespaces_match(entry.namespace, namespace)]

    def selecting(self, kind: str, namespace: str | None, labels: dict[str, str]) -> list[Entry]:
        """Entries of ``kind`` in ``namespace`` that select a pod with ``labels``, in Kubernetes
        semantics (each entry type's ``selects``: a Service or NetworkPolicy without a selector selects
        nothing, a NetworkPolicy's ``podSelector: {}`` every pod of its namespace, a ``policy/v1``
        PodDisruptionBudget's ``selector: {}`` every pod and a ``policy/v1beta1`` one's none)."""
        entries = self.entries(kind)
        by_pair, unkeyed = self._selector_table(kind)
        candidates = set(unkeyed)
        for pair in labels.items():
            candidates.update(by_pair.get(pair, ()))
        found = (entries[index] for index in sorted(candidates))
        return [entry for entry in found if namespaces_match(entry.namespace, namespace) and entry.selects(labels)]

    def _selector_table(self, kind: str) -> tuple[dict[tuple[str, str], list[int]], list[int]]:
        """The entries of ``kind`` (by position) under the rarest label pair their selector requires of
        every pod it selects, and those whose selector requires none (expressions only, one that
        selects every pod, or one that cannot be read): a query looks at the buckets of its pod's
        labels only, never at every entry. Built once per kind and change."""
        found = self._selectors.get(kind)
        if found is None:
            entries = self.entries(kind)
            required = [_required_pairs(entry) for entry in entries]
            counts: dict[tuple[str, str], int] = {}
            for pairs in required:
                for pair in pairs:
                    counts[pair] = counts.get(pair, 0) + 1
            by_pair: dict[tuple[str, str], list[int]] = {}
            unkeyed: list[int] = []
            for index, pairs in enumerate(required):
                if pairs:
                    by_pair.setdefault(min(pairs, key=lambda pair: (counts[pair], pair)), []).append(index)
                else:
                    unkeyed.append(index)
            found = self._selectors[kind] = (by_pair, unkeyed)
        return found


def _required_pairs(entry: Entry) -> list[tuple[str, str]]:
    """The labels (key, value) an entry's selector requires of every pod it selects: its
    ``matchLabels`` (a Service's selector); none when it has none, or its selector cannot be read
    (then every query asks the entry itself, which reports its problems as before)."""
    if entry.SELECTOR:
        if entry.has_problems("selector"):
            return []
        selector = getattr(entry, entry.SELECTOR)
        labels = getattr(selector, "match_labels", None)
    else:
        if entry.has_problems("selector"):
            return []
        labels = getattr(entry, "selector", None)
    if not isinstance(labels, dict):
        return []
    return [(key, value) for key, value in labels.items() if isinstance(key, str) and isinstance(value, str)]

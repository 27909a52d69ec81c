"""The index across all files of a run: a multimap of entries by (kind, namespace, name).

Entries are kept per file, so a file's entries can be replaced (an editor buffer re-linted against
the others) or dropped (a kustomize patch is not an object); the lookup tables are built on the
first query after a change. An object defined twice is kept twice. Only the entries of *subject*
files — the files being checked — are judged by rules; entries of context files, or of an index of
other files handed to a run, are looked up like any other but never judged.
"""
from __future__ import annotations

from typing import Iterable

from stslint.model.entries import Entry, namespaces_match


class Index:
    """Every entry of a run, looked up by kind, name, namespace and the pod labels they select."""

    def __init__(self, entries: Iterable[Entry] = (), *, subject: bool = True) -> None:
        self._by_file: dict[str, list[Entry]] = {}
        self._subject_files: set[str] = set()
        self._by_name: dict[str, dict[str, list[Entry]]] | None = None
        self._by_kind: dict[str, list[Entry]] | None = None
        self.add_all(entries, subject=subject)

    def add(self, entry: Entry, *, subject: bool = True) -> None:
        """Add one entry; ``subject`` says whether its file is being checked (judged by rules)."""
        self._by_file.setdefault(entry.file_key, []).append(entry)
        if subject:
            self._subject_files.add(entry.file_key)
        self._by_name = self._by_kind = None

    def add_all(self, entries: Iterable[Entry], *, subject: bool = True) -> None:
        """Add entries."""
        for entry in entries:
            self.add(entry, subject=subject)

    def replace_file(self, file_key: str, entries: Iterable[Entry], *, subject: bool = True) -> None:
        """Make ``entries`` the entries of one file (an edited file, re-read); ``subject`` says whether
        it is being checked."""
        self._by_file.pop(file_key, None)
        self._subject_files.discard(file_key)
        if subject:
            self._subject_files.add(file_key)
        self._by_name = self._by_kind = None
        self.add_all(entries, subject=subject)

    def drop_files(self, file_keys: Iterable[str]) -> None:
        """Forget every entry read from these files (kustomize patches are not objects)."""
        changed = False
        for key in file_keys:
            changed = self._by_file.pop(key, None) is not None or changed
        if changed:
            self._by_name = self._by_kind = None

    def copy(self, *, subjects: bool = True) -> Index:
        """An index holding the same entries (shared, not copied); with ``subjects`` False none of
        its files is judged (the other files of a workspace, when one file is re-linted)."""
        other = Index()
        other._by_file = {key: list(entries) for key, entries in self._by_file.items()}
        if subjects:
            other._subject_files = set(self._subject_files)
        return other

    def all_subjects(self) -> Iterable[Entry]:
        """Every entry of the files being checked."""
        for key, entries in self._by_file.items():
            if key in self._subject_files:
                yield from entries

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._by_file.values())

    def _tables(self) -> tuple[dict[str, dict[str, list[Entry]]], dict[str, list[Entry]]]:
        if self._by_name is None or self._by_kind is None:
            by_name: dict[str, dict[str, list[Entry]]] = {}
            by_kind: dict[str, list[Entry]] = {}
            for entries in self._by_file.values():
                for entry in entries:
                    by_kind.setdefault(entry.kind, []).append(entry)
                    by_name.setdefault(entry.kind, {}).setdefault(entry.name, []).append(entry)
            self._by_name, self._by_kind = by_name, by_kind
        return self._by_name, self._by_kind

    def entries(self, kind: str) -> list[Entry]:
        """Every entry of ``kind``, in the order added (context files first)."""
        return self._tables()[1].get(kind, [])

    def subjects(self, kind: str) -> list[Entry]:
        """The entries of ``kind`` that rules judge: those of checked files, not of context files."""
        return [entry for entry in self.entries(kind) if entry.file_key in self._subject_files]

    def named(self, kind: str, name: str, namespace: str | None) -> list[Entry]:
        """Entries of ``kind`` called ``name`` whose namespace can be ``namespace`` (an unknown
        namespace matches any; cluster-scoped entries match whatever the namespace)."""
        found = self._tables()[0].get(kind, {}).get(name, [])
        return [entry for entry in found if namespaces_match(entry.namespace, namespace)]

    def named_anywhere(self, kind: str, name: str) -> list[Entry]:
        """Entries of ``kind`` called ``name``, in any namespace."""
        return list(self._tables()[0].get(kind, {}).get(name, []))

    def in_namespace(self, kind: str, namespace: str | None) -> list[Entry]:
        """Entries of ``kind`` whose namespace can be ``namespace``."""
        return [entry for entry in self.entries(kind) if namespaces_match(entry.namespace, namespace)]

    def selecting(self, kind: str, namespace: str | None, labels: dict[str, str]) -> list[Entry]:
        """Entries of ``kind`` in ``namespace`` that select a pod with ``labels``, in Kubernetes
        semantics (each entry type's ``selects``: a Service or NetworkPolicy without a selector selects
        nothing, a NetworkPolicy's ``podSelector: {}`` every pod of its namespace, a ``policy/v1``
        PodDisruptionBudget's ``selector: {}`` every pod and a ``policy/v1beta1`` one's none)."""
        return [entry for entry in self.in_namespace(kind, namespace) if entry.selects(labels)]

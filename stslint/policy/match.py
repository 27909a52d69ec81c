"""Which objects a policy applies to: kinds, namespaces, names, labels and files.

Namespace and name filters are globs (``prod-*``); a glob starting with ``!`` excludes. An object
matches when it matches one of the including globs (if there are any) and none of the excluding
ones. An object without a namespace takes the run's ``--namespace`` (its view already has it); with
none, it matches no namespace filter at all — an including or an excluding one — so a policy about
some namespaces never reports an object whose namespace nobody knows. ``labels`` is a label selector
on the object's own ``metadata.labels``; ``files`` are path globs relative to the directory of the
configuration file that names the policy (the current directory for ``--policy``).
"""
from __future__ import annotations

import os
from fnmatch import fnmatchcase
from typing import Any

from stslint.model.resource import Resource
from stslint.policy.files import Match


def globs_match(globs: tuple[str, ...], value: str) -> bool:
    """Whether ``value`` matches the including globs (any, or there are none) and no excluding one."""
    including = [glob for glob in globs if not glob.startswith("!")]
    if any(fnmatchcase(value, glob[1:]) for glob in globs if glob.startswith("!")):
        return False
    return not including or any(fnmatchcase(value, glob) for glob in including)


class Matcher:
    """A policy's ``match`` compiled for a run."""

    def __init__(self, match: Match, *, any_kind: bool = False) -> None:
        self.match = match
        self.kinds = frozenset(match.kinds)
        self.any_kind = any_kind and not match.kinds
        """No kinds listed means every kind (a policy exception's match)."""
        self._files: Any = None
        if match.files:
            from stslint.globs import PathMatcher

            self._files = PathMatcher(match.files, match.base)

    def __call__(self, view: Resource) -> bool:
        """Whether the policy applies to the object ``view``."""
        match = self.match
        if not self.any_kind and (type(view).KIND or view.kind) not in self.kinds:
            return False
        if match.namespaces and (view.namespace is None or not globs_match(match.namespaces, view.namespace)):
            return False
        if match.names and not globs_match(match.names, view.name):
            return False
        if match.labels is not None and not self._labels_match(view):
            return False
        if self._files is not None:
            path = view.source_path or os.path.abspath(view.file)
            if not self._files.matches(path):
                return False
        return True

    def _labels_match(self, view: Resource) -> bool:
        from stslint.model.selectors import requirement_matches

        labels = view.meta.string_map("labels") if view.meta.present("labels") else {}
        if labels is None:
            return False  # labels that cannot be read (STS006) match no selector
        selector = self.match.labels
        return (all(labels.get(key) == value for key, value in selector.match_labels.items())
                and all(requirement_matches(expression, labels) for expression in selector.expressions))

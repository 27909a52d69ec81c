"""Path globs of the configuration (``exclude``, ``per-file-ignores``), matched the way ruff does.

A pattern without a slash (``vendor``, ``*.generated.yaml``) matches a file or directory of that
name anywhere below the configuration file's directory. A pattern with a slash (``charts/*/tests``,
``apps/**/secret*.yaml``) matches a path relative to that directory; ``*`` and ``?`` never cross a
slash, ``**`` crosses any number of directories, ``[abc]``/``[!abc]`` are character classes. A
trailing slash (``build/``) matches directories only. A directory that matches covers everything
below it.

Matching takes time linear in the path: the globs of a kind form one automaton (a nondeterministic
one, run as a deterministic one built lazily, state by state), never a backtracking search. A
regular expression with several ``*`` would backtrack: ``*a*a*a*a*a*b`` against a 250-character
file name takes minutes.
"""
from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from typing import Iterable

MAX_DFA_STATES = 4096
"""States an automaton keeps before it forgets them all and builds them again: bounds its memory
(each state costs the globs' length to build), not its time per character."""


class GlobError(ValueError):
    """A glob that cannot be used: a character class that is not one (``[z-a]``)."""


_NOT_SLASH = "not-slash"
_ANY = "any"


@dataclass
class _State:
    """A state of the automaton of the globs: it may stay on a character (``loop``), move to
    ``target`` on one (``step``), and move to ``free`` states without reading one."""

    loop: object = None
    step: object = None
    target: int = -1
    free: list[int] = field(default_factory=list)


def _accepts(test: object, char: str) -> bool:
    """Whether a character test (a character, _NOT_SLASH, _ANY or a compiled class) accepts ``char``."""
    if test is None:
        return False
    if test is _NOT_SLASH:
        return char != "/"
    if test is _ANY:
        return True
    if isinstance(test, str):
        return char == test
    return test.match(char) is not None  # type: ignore[attr-defined,no-any-return]


def _character_class(pattern: str, start: int, end: int) -> re.Pattern[str]:
    """The character class ``pattern[start:end + 1]`` (``[...]``, ``[!...]``) as a regular
    expression matching one character; GlobError when it is not a valid class."""
    body = pattern[start + 1:end]
    if body.startswith("!"):
        body = "^" + body[1:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set" and the like: read literally
            return re.compile("[" + body.replace("\\", "\\\\") + "]")
    except re.error as exc:
        raise GlobError(f'character class "{pattern[start:end + 1]}" is not valid: {exc.msg}') from None


def _add_glob(states: list[_State], pattern: str) -> int:
    """Append the states of one glob to ``states``; the index of its accepting state."""
    i, n = 0, len(pattern)
    while i < n:
        here = len(states)
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):  # "**/": no directory, or any directories
                    states.append(_State(free=[here + 1, here + 2]))
                    states.append(_State(loop=_ANY, step="/", target=here + 2))
                    i += 1
                else:  # "**" elsewhere: anything, slashes included
                    states.append(_State(loop=_ANY, free=[here + 1]))
                continue
            states.append(_State(loop=_NOT_SLASH, free=[here + 1]))
        elif ch == "?":
            states.append(_State(step=_NOT_SLASH, target=here + 1))
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            end = pattern.find("]", j)
            if end == -1:
                states.append(_State(step="[", target=here + 1))  # no closing bracket: a plain "["
            else:
                states.append(_State(step=_character_class(pattern, i, end), target=here + 1))
                i = end
        else:
            states.append(_State(step=ch, target=here + 1))
        i += 1
    states.append(_State())
    return len(states) - 1


class _Automaton:
    """Full matches of a string against any of several globs, in time linear in the string."""

    def __init__(self, patterns: list[str]) -> None:
        self._states: list[_State] = []
        finals = [_add_glob(self._states, pattern) for pattern in patterns]
        self._final_mask = sum(1 << index for index in finals)
        self._closures = [self._closure(index) for index in range(len(self._states))]
        self._start_mask = 0
        starts, offset = [], 0
        for final in finals:
            starts.append(offset)
            offset = final + 1
        for start in starts:
            self._start_mask |= self._closures[start]
        self._reset()

    def _closure(self, index: int) -> int:
        """The states reachable from ``index`` without reading a character, as a bit mask."""
        mask, pending = 0, [index]
        while pending:
            current = pending.pop()
            if not mask >> current & 1:
                mask |= 1 << current
                pending.extend(self._states[current].free)
        return mask

    def _reset(self) -> None:
        """Forget every deterministic state built so far (0 is the dead state, 1 the start)."""
        self._masks: list[int] = []
        self._ids: dict[int, int] = {}
        self._rows: list[dict[str, int]] = []
        self._accepting: list[bool] = []
        self._intern(0)
        self.start = self._intern(self._start_mask)

    def _intern(self, mask: int) -> int:
        """The deterministic state of a set of states (made when new)."""
        found = self._ids.get(mask)
        if found is None:
            found = self._ids[mask] = len(self._masks)
            self._masks.append(mask)
            self._rows.append({})
            self._accepting.append(bool(mask & self._final_mask))
        return found

    def _advance(self, state: int, char: str) -> int:
        """The state after reading ``char`` in ``state``, built and remembered."""
        mask, after = self._masks[state], 0
        while mask:
            low = mask & -mask
            mask ^= low
            source = self._states[low.bit_length() - 1]
            if _accepts(source.loop, char):
                after |= self._closures[low.bit_length() - 1]
            if _accepts(source.step, char):
                after |= self._closures[source.target]
        if len(self._masks) >= MAX_DFA_STATES:
            self._reset()
            return self._intern(after)
        following = self._intern(after)
        self._rows[state][char] = following
        return following

    def fullmatch(self, text: str) -> bool:
        """True when one of the globs matches the whole of ``text``."""
        return self.scan(text)[1]

    def scan(self, text: str) -> tuple[bool, bool]:
        """Whether a glob matches a part of ``text`` that ends before one of its slashes, and
        whether one matches the whole of it."""
        state, before_slash = self.start, False
        for char in text:
            if char == "/" and self._accepting[state]:
                before_slash = True
            following = self._rows[state].get(char)
            if following is None:
                following = self._advance(state, char)
            if following == 0:
                return before_slash, False
            state = following
        return before_slash, self._accepting[state]


def check_glob(pattern: str) -> None:
    """Raise GlobError (with a one-line reason) when ``pattern`` cannot be used as a glob."""
    _add_glob([], pattern.replace(os.sep, "/"))


def _compile(patterns: list[str]) -> _Automaton | None:
    return _Automaton(patterns) if patterns else None


class PathMatcher:
    """Matches paths against a set of globs relative to a base directory."""

    def __init__(self, patterns: Iterable[str], base: str) -> None:
        self.base = os.path.abspath(base)
        names: list[str] = []
        paths: list[str] = []
        dir_names: list[str] = []
        dir_paths: list[str] = []
        for raw in patterns:
            pattern = raw.replace(os.sep, "/")
            while pattern.startswith("./"):
                pattern = pattern[2:]
            dir_only = pattern.endswith("/")
            pattern = pattern.strip("/")
            if not pattern:
                continue
            anchored = "/" in pattern
            target = (dir_paths if dir_only else paths) if anchored else (dir_names if dir_only else names)
            target.append(pattern)
        self._names = _compile(names)
        self._paths = _compile(paths)
        self._dir_names = _compile(dir_names)
        self._dir_paths = _compile(dir_paths)

    def relative(self, path: str) -> str:
        """``path`` relative to the base directory, with forward slashes."""
        rel = os.path.relpath(os.path.abspath(path), self.base)
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def _name_matches(self, name: str, is_dir: bool) -> bool:
        if self._names is not None and self._names.fullmatch(name):
            return True
        return is_dir and self._dir_names is not None and self._dir_names.fullmatch(name)

    def _entry_matches(self, rel: str, name: str, is_dir: bool) -> bool:
        if self._name_matches(name, is_dir):
            return True
        if self._paths is not None and self._paths.fullmatch(rel):
            return True
        return is_dir and self._dir_paths is not None and self._dir_paths.fullmatch(rel)

    def matches_entry(self, path: str, is_dir: bool) -> bool:
        """True when ``path`` itself (not its parents) matches; what a directory walk asks of each
        entry, its parents having been asked already."""
        rel = self.relative(path)
        name = rel.rsplit("/", 1)[-1]
        if rel == ".." or rel.startswith("../"):
            return self._entry_matches("", name, is_dir) if name != ".." else False
        return self._entry_matches(rel, name, is_dir)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """True when ``path`` or one of its parent directories (below the base) matches."""
        rel = self.relative(path)
        parts = rel.split("/")
        if parts[0] == "..":
            parts = [p for p in parts if p != ".."]
            return any(self._entry_matches("", part, is_dir or i < len(parts) - 1) for i, part in enumerate(parts))
        if rel == ".":
            return False
        last = len(parts) - 1
        if any(self._name_matches(part, is_dir or i < last) for i, part in enumerate(parts)):
            return True
        if self._paths is not None and any(self._paths.scan(rel)):
            return True  # the path, or a parent directory of it
        if self._dir_paths is not None:
            parent_matches, path_matches = self._dir_paths.scan(rel)
            return parent_matches or (is_dir and path_matches)
        return False

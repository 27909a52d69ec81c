"""The glob matcher of exclude and per-file-ignores."""
from __future__ import annotations

import re
import signal
import time
import warnings
from contextlib import contextmanager
from typing import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stslint import globs
from stslint.globs import PathMatcher

PATTERNS = ["vendor", "*.generated.yaml", "charts/*/tests", "apps/**/secret*.yaml", "build/", "[!a]x.yaml", "./top.yaml"]


@pytest.mark.parametrize(("path", "is_dir", "expected"), [
    ("/r/vendor/a.yaml", False, True),          # a name matches a directory anywhere...
    ("/r/deep/vendor", True, True),
    ("/r/vendored/a.yaml", False, False),
    ("/r/x/a.generated.yaml", False, True),     # ...or a file anywhere
    ("/r/charts/c/tests/t.yaml", False, True),  # with a slash: relative to the base; * stops at /
    ("/r/charts/c/d/tests/t.yaml", False, False),
    ("/r/sub/charts/c/tests/t.yaml", False, False),
    ("/r/apps/secret1.yaml", False, True),      # ** crosses directories, including none
    ("/r/apps/a/b/secret.yaml", False, True),
    ("/r/build/x.yaml", False, True),           # a trailing slash: directories only
    ("/r/build", False, False),
    ("/r/bx.yaml", False, True),
    ("/r/ax.yaml", False, False),
    ("/r/top.yaml", False, True),
    ("/r/ok.yaml", False, False),
    ("/elsewhere/vendor/q.yaml", False, True),  # outside the base only names apply
    ("/elsewhere/charts/c/tests/t.yaml", False, False),
])
def test_matches(path, is_dir, expected):
    assert PathMatcher(PATTERNS, "/r").matches(path, is_dir) is expected


def test_matches_entry_asks_about_the_entry_only():
    matcher = PathMatcher(["vendor"], "/r")
    assert matcher.matches_entry("/r/vendor", True)
    assert not matcher.matches_entry("/r/vendor/a.yaml", False)
    assert matcher.matches("/r/vendor/a.yaml")


def test_no_patterns_match_nothing():
    assert not PathMatcher([], "/r").matches("/r/a.yaml")


# --- matching is linear: no backtracking however many wildcards -------------------------------------


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError when the block runs longer (the regular expression engine, too, is
    interrupted by the signal)."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


NAME = "a" * 250 + ".yaml"  # file names can be 255 bytes long
ADVERSARIAL = [
    ("*a*a*a*a*a*a*a*b", f"/r/{NAME}"),                  # a name glob: a backtracking matcher takes hours
    ("k8s/*a*a*a*a*a*a*b", f"/r/k8s/{NAME}"),            # an anchored glob
    ("**/*a*a*a*a*a*a*b", f"/r/x/y/{NAME}"),
    ("**a**a**a**a**a**b", "/r/" + "/".join(["a" * 100] * 8)),  # ** crosses slashes
    ("*a*a*a*a*a*a*b/", f"/r/{NAME}/{NAME}/x.yaml"),     # directories only, every parent asked
    ("[a]*[a]*?*a*a*a*b", f"/r/{NAME}"),
]


@pytest.mark.parametrize(("pattern", "path"), ADVERSARIAL)
def test_globs_with_many_stars_against_long_names_match_in_linear_time(pattern, path):
    matcher = PathMatcher([pattern, "vendor"], "/r")
    start = time.monotonic()
    with time_limit(10):  # today's regular expressions need hours; the test would stop at 10 s
        assert not matcher.matches(path)
        assert not matcher.matches_entry(path, True)
    assert time.monotonic() - start < 1.0


def _reference(pattern: str) -> re.Pattern[str]:
    """The glob as the regular expression it used to be compiled to (``**`` crossing newlines)."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            end = pattern.find("]", j)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": read literally
        return re.compile("".join(out) + r"\Z", re.DOTALL)


GLOB_PIECES = st.sampled_from(["*", "**", "**/", "?", "a", "b", "/", ".", "[ab]", "[!a]", "[]a]", "[!]]", "[",
                               "]", "!", "-", "[a-c]", "\\", "\n"])
TEXT = st.text(alphabet="ab/.c]![-\\\n", max_size=12)


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(GLOB_PIECES, max_size=8), texts=st.lists(TEXT, min_size=1, max_size=6))
def test_the_automaton_matches_what_the_regular_expression_matched(pieces, texts):
    pattern = "".join(pieces)
    try:
        reference = _reference(pattern)
    except re.error:
        with pytest.raises(globs.GlobError):
            globs.check_glob(pattern)
        return
    automaton = globs._Automaton([pattern])
    for text in texts:
        assert automaton.fullmatch(text) == bool(reference.match(text)), (pattern, text)
        parts = text.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
        assert automaton.scan(text) == (any(reference.match(p) for p in prefixes), bool(reference.match(text)))


@settings(max_examples=300, deadline=None)
@given(patterns=st.lists(st.lists(GLOB_PIECES, min_size=1, max_size=6).map("".join), min_size=1, max_size=4),
       text=TEXT)
def test_several_globs_match_as_any_one_of_them(patterns, text):
    try:
        references = [_reference(p) for p in patterns]
    except re.error:
        return
    assert globs._Automaton(patterns).fullmatch(text) == any(r.match(text) for r in references)


def test_the_automaton_forgets_its_states_past_the_limit_and_still_matches(monkeypatch):
    monkeypatch.setattr(globs, "MAX_DFA_STATES", 3)
    automaton = globs._Automaton(["*a?b*c", "**/x*"])
    for text, expected in [("zzaxbqqc", True), ("q/r/xyz", True), ("aab/c", False), ("x", True), ("ab", False)]:
        assert automaton.fullmatch(text) is expected
        assert len(automaton._masks) <= 4


def test_double_star_crosses_newlines_in_names_as_star_does():
    matcher = PathMatcher(["apps/**/x", "k8s/*.yaml"], "/r")
    assert matcher.matches("/r/apps/new\nline/x")
    assert matcher.matches("/r/k8s/new\nline.yaml")


@pytest.mark.parametrize("pattern", ["[z-a]", "x/[9-0]*.yaml", "[!z-a]", "[a-\\]"])
def test_a_character_class_that_is_not_one_is_a_glob_error(pattern):
    with pytest.raises(globs.GlobError) as info:
        globs.check_glob(pattern)
    assert "\n" not in str(info.value) and "is not valid" in str(info.value)
    with pytest.raises(globs.GlobError):
        PathMatcher([pattern], "/r")

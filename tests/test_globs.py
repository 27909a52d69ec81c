"""The glob matcher of exclude and per-file-ignores."""
from __future__ import annotations

import pytest

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

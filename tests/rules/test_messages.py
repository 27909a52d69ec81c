"""Messages, one style for every rule: names and values in double quotes, under about 160
characters (what is wrong and why; the fix is the rule's remediation, shown by ``full`` as
``help:`` and by ``explain``)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.conftest import CORPUS, FIXTURES

MAX_LENGTH = 160
NO_CONTEXT_HINT = "; if it is defined in another file, pass that file or use --context/--context-git"
SINGLE_QUOTED = re.compile(r"(?<![\w])'[^'\s][^']*'(?![\w])")
"""A name or value in single quotes ('web'), not an apostrophe (the StatefulSet's, the pods')."""
LONGEST_NAME = 16
"""Messages are measured with quoted names cut to this length (a typical name): the wording is
what must stay short; three 30-character names make any message long."""


def _messages(paths: list[Path]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        result = lint(discover([str(path)]), Settings(selected=resolve(["ALL"])))
        found += [(f.code, f.message) for f in result.findings]
    return found


def _shortened(message: str) -> str:
    """The message with every double-quoted name cut to LONGEST_NAME characters, the context hint removed."""
    message = message.removesuffix(NO_CONTEXT_HINT)
    return re.sub(r'"([^"]*)"', lambda m: f'"{m.group(1)[:LONGEST_NAME]}"', message)


FIXTURE_FILES = sorted(FIXTURES.rglob("*.yaml"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_messages_quote_with_double_quotes_and_stay_short(path: Path):
    for code, message in _messages([path]):
        assert not SINGLE_QUOTED.search(message), (code, message)
        assert len(_shortened(message)) <= MAX_LENGTH, (code, len(_shortened(message)), message)


def test_corpus_messages_quote_with_double_quotes_and_stay_short(corpus: Path):
    sets = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    messages = _messages(sets)
    assert messages
    for code, message in messages:
        assert not SINGLE_QUOTED.search(message), (code, message)
        assert len(_shortened(message)) <= MAX_LENGTH, (code, len(_shortened(message)), message)

"""A strict unified-diff applier for tests: every hunk's context and removed lines must match the
file exactly (line breaks included), or it raises."""
from __future__ import annotations

import re
from pathlib import Path

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class HunkMismatch(AssertionError):
    """A hunk that does not apply to the file as it is."""


def _split(text: str) -> list[str]:
    """Lines split after each LF only, as patch(1) splits them."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _lines(diff: str) -> list[str]:
    """The diff's lines with their own line breaks; a ``\\ No newline at end of file`` marker takes
    the line break off the line before it."""
    out: list[str] = []
    for line in _split(diff):
        if line.startswith("\\ No newline at end of file"):
            out[-1] = out[-1].rstrip("\n")
            continue
        out.append(line)
    return out


def apply_unified_diff(root: Path, diff: str, strip: int = 1) -> list[str]:
    """Apply a (multi-file) unified diff under ``root``; returns the files changed."""
    lines = _lines(diff)
    changed: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("--- "):
            index += 1
            continue
        target = lines[index + 1][4:].rstrip("\r\n").split("/", strip)[-1]
        index += 2
        path = root / target
        old = _split(path.read_bytes().decode("utf-8"))
        new: list[str] = []
        position = 0
        while index < len(lines) and lines[index].startswith("@@"):
            match = _HUNK.match(lines[index])
            assert match, lines[index]
            start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
            new.extend(old[position:start])
            position = start
            index += 1
            old_left = int(match.group(2) or 1)
            new_left = int(match.group(4) or 1)
            while old_left or new_left:  # the hunk's own line counts say where it ends
                tag, body = lines[index][0], lines[index][1:]
                if tag in (" ", "-"):
                    if position >= len(old) or old[position] != body:
                        raise HunkMismatch(f"{target}:{position + 1}: expected {body!r}")
                    position += 1
                    old_left -= 1
                if tag in (" ", "+"):
                    new.append(body)
                    new_left -= 1
                index += 1
        new.extend(old[position:])
        path.write_bytes("".join(new).encode("utf-8"))
        changed.append(target)
    return changed

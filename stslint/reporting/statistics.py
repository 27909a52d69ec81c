"""``--statistics``: how many findings each code has, most frequent first (like ruff)."""
from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from stslint.engine import RunResult


def rows(result: RunResult) -> list[dict[str, Any]]:
    """``{"code", "name", "count", "fixable"}`` per code that has findings, by count then code."""
    counts = Counter(f.code for f in result.findings)
    from stslint.reporting.json_format import fixable as is_fixable

    fixable = {f.code for f in result.findings if is_fixable(result, f)}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"code": code, "name": result.rules[code].name, "count": count, "fixable": code in fixable}
            for code, count in ordered]


def render(result: RunResult, out: TextIO, as_json: bool = False) -> None:
    """Print the statistics as a JSON list, or as ``count<TAB>code<TAB>name`` lines."""
    table = rows(result)
    if as_json:
        json.dump(table, out, indent=2)
        out.write("\n")
        return
    width = max((len(str(row["count"])) for row in table), default=1)
    for row in table:
        out.write(f"{row['count']:>{width}}\t{row['code']}\t{row['name']}\n")

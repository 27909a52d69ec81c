"""Policy exceptions: a ``kind: PolicyException`` file (listed in ``policies`` like a policy file)
exempts the objects it matches from some codes — policies' and built-in rules' alike — without
touching the manifests (a third-party chart cannot carry annotations)::

    kind: PolicyException
    exceptions:
      - codes: [ACME107, STS402]
        match: {namespaces: [legacy-*], names: [old-db]}
        reason: The legacy cluster has no PodDisruptionBudgets until it is moved.
        owner: team-storage
        expires: 2027-03-31

``codes`` and ``reason`` are required; ``match`` takes the keys of a policy's match (without
``kinds``, every kind). An exception whose ``expires`` date (UTC) has passed no longer applies and
is reported as a warning of the run; with STS005 selected, one that exempted nothing is reported at
its ``codes:`` key.
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any, Iterable

from stslint.findings import Finding
from stslint.model.nodes import Span, YMap
from stslint.policy.files import MATCH_KEYS, Match, PolicyError, Reader, _found, suggest

EXCEPTION_KEYS = ("codes", "match", "reason", "owner", "expires")


@dataclass
class PolicyException:
    """One exception: the codes it exempts, which objects, why, who owns it and until when."""

    codes: tuple[str, ...]
    match: Match
    reason: str
    file: str
    span: Span
    codes_spans: tuple[Span, ...] = ()
    owner: str | None = None
    expires: datetime.date | None = None
    source_path: str | None = None
    _matcher: Any = None

    def matches(self, view: Any) -> bool:
        """Whether the exception applies to the object ``view`` (its kind included when listed)."""
        if self._matcher is None:
            from stslint.policy.match import Matcher

            self._matcher = Matcher(self.match, any_kind=True)
        return bool(self._matcher(view))

    def expired(self, today: datetime.date) -> bool:
        """Whether the exception's date has passed."""
        return self.expires is not None and self.expires < today


def _date(reader: Reader, node: YMap, key: str) -> datetime.date:
    value = node[key]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise reader.fail(node.value_span(key), f'"expires" must be a date, YYYY-MM-DD; {_found(value)}')


def read_exceptions(reader: Reader, root: YMap) -> list[PolicyException]:
    """The exceptions of a ``kind: PolicyException`` file (its codes are checked later, against the
    rule set of the run: :func:`check_codes`)."""
    reader.keys(root, ("kind", "exceptions"), "PolicyException", ("exceptions",))
    items = root["exceptions"]
    if not isinstance(items, list) or not items:
        raise reader.fail(root.value_span("exceptions"), f'"exceptions" must be a non-empty list; {_found(items)}')
    found: list[PolicyException] = []
    for index, item in enumerate(items):
        node = reader.mapping(item, reader.value_span(items, index), f"exception {index + 1}")
        what = f"exception {index + 1}"
        reader.keys(node, EXCEPTION_KEYS, what, ("codes", "reason"))
        codes = reader.strings(node, "codes", "rule codes or names")
        spans = tuple(reader.value_span(node["codes"], i) if isinstance(node["codes"], list) else
                      node.value_span("codes") for i in range(len(codes)))
        match = Match(kinds=(), base=reader.base)
        if "match" in node:
            given = reader.mapping(node["match"], node.value_span("match"), f'{what} "match"')
            reader.keys(given, MATCH_KEYS, f'{what} "match"')
            for name, check in MATCH_KEYS.items():
                if name in given:
                    setattr(match, name, check(reader, given, name))
        exception = PolicyException(tuple(codes), match, reader.string(node, "reason"), reader.display,
                                    node.key_span("codes"), spans,
                                    reader.string(node, "owner", one_line=True) if "owner" in node else None,
                                    _date(reader, node, "expires") if "expires" in node else None,
                                    os.path.realpath(reader.path) if reader.path else None)
        found.append(exception)
    return found


def check_codes(exceptions: Iterable[PolicyException], rules: Any) -> None:
    """Make each exception's codes those of ``rules`` (codes or names; a name becomes its code);
    PolicyError for an unknown code or an input error (which is never exempted)."""
    from stslint.findings import INPUT_ERROR_CODES

    known = list(rules)
    for exception in exceptions:
        codes: list[str] = []
        for code, span in zip(exception.codes, exception.codes_spans):
            rule = rules.lookup(code)
            if rule is None:
                raise PolicyError(exception.file, span[0], span[1], f'unknown rule "{code}" in the exception'
                                  f"{suggest(code, known)} (`stslint rules` lists the codes, policies included)")
            if rule.code in INPUT_ERROR_CODES:
                raise PolicyError(exception.file, span[0], span[1], f"{rule.code} is an input error, which no "
                                  "exception can exempt (exclude the file instead)")
            codes.append(rule.code)
        exception.codes = tuple(dict.fromkeys(codes))


def today() -> datetime.date:
    """Today's date (UTC), what ``expires`` is compared with."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def apply_exceptions(exceptions: tuple[PolicyException, ...], findings: list[Finding],
                     exempted: set[tuple[str, str, str | None, int | None, int]],
                     selected: frozenset[str], on: datetime.date | None = None
                     ) -> tuple[list[Finding], list[tuple[str, int, str]]]:
    """The findings the exceptions leave (plus STS005 for an unused exception when selected), and the
    warnings of expired exceptions. ``exempted`` holds (file key, object, namespace, offset, exception
    number) for each object an exception matches."""
    on = on or today()
    active = {number for number, exception in enumerate(exceptions) if not exception.expired(on)}
    by_object: dict[tuple[str, str, str | None, int | None], list[int]] = {}
    for file_key, ref, namespace, offset, number in exempted:
        if number in active:
            by_object.setdefault((file_key, ref, namespace, offset), []).append(number)
    used: set[int] = set()
    kept: list[Finding] = []
    for finding in findings:
        numbers = by_object.get((finding.file_key, finding.object, finding.namespace, finding.object_at)) \
            if finding.object is not None else None
        hit = [n for n in numbers or () if finding.code in exceptions[n].codes]
        if hit:
            used.update(hit)
        else:
            kept.append(finding)
    warnings = [(exception.file, exception.span[0], f"the exception for {', '.join(exception.codes)} expired on "
                 f"{exception.expires}; it no longer applies ({exception.reason.strip()[:80]})")
                for number, exception in enumerate(exceptions) if number not in active]
    if "STS005" in selected:
        for number in sorted(active - used):
            exception = exceptions[number]
            codes = [code for code in exception.codes if code in selected]
            if not codes:
                continue  # its codes are not checked in this run: nothing to say
            kept.append(Finding("STS005", f"unused policy exception for {', '.join(codes)}: it exempted no "
                                "finding; remove it", exception.file, exception.span, anchor="exception",
                                source_path=exception.source_path))
    return kept, warnings

"""``stslint test``: policies are code, and code has tests.

Two kinds of tests run:

- every policy's ``examples``: ``bad`` must give at least one finding of that policy, ``good`` none
  (findings of other rules are ignored);
- every case of a ``kind: PolicyTest`` file::

      kind: PolicyTest
      policies: [../ACME107-pdb-coverage.yaml]      # paths relative to this file
      cases:
        - name: a StatefulSet without a budget
          files: [bad.yaml]
          context: [budgets/]                        # optional: loaded only to resolve refs
          expect:                                    # optional: else the files' "# expect: CODE" comments
            - {code: ACME107, at: "bad.yaml:2:1", message: "no PodDisruptionBudget"}

  A case compares the findings of its policies' codes (and of any code it expects) with its
  expectations: ``at`` is ``file[:line[:column]]`` relative to the test file, ``message`` a regular
  expression searched in the message. Without ``expect``, a ``# expect: CODE`` comment expects a
  finding of CODE on its own line, ``# expect: CODE LINE:COLUMN`` at that position.

The run fails (exit 1) on any failing test **and** when no test was found.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from stslint.policy.files import POLICY_SUFFIXES, PolicyError, PolicySource, Reader, _found

EXPECT_COMMENT = re.compile(r"#\s*expect:\s*([A-Z][A-Z0-9]*[0-9]{3})(?:\s+(\d+):(\d+))?")
CASE_KEYS = ("name", "files", "context", "namespace", "expect")
EXPECT_KEYS = ("code", "at", "message")


@dataclass
class Expectation:
    """One expected finding: its code, where (file, line, column; None: any) and a message pattern."""

    code: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    message: str | None = None

    def matches(self, found: Found) -> bool:
        """Whether the finding ``found`` meets this expectation."""
        return (found.code == self.code and (self.file is None or found.file == self.file)
                and (self.line is None or found.line == self.line)
                and (self.column is None or found.column == self.column)
                and (self.message is None or re.search(self.message, found.message) is not None))

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)
        text = f"{self.code} at {where}" if where else self.code
        return text + (f" with a message matching /{self.message}/" if self.message else "")


@dataclass
class Found:
    """A finding as a test sees it (its file relative to the test's directory)."""

    code: str
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.code} at {self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class Outcome:
    """The result of one test: its name, where it is defined, and why it failed (empty: it passed)."""

    name: str
    where: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether the test passed."""
        return not self.problems


@dataclass
class Case:
    """One case of a PolicyTest file."""

    name: str
    files: list[str]
    context: list[str]
    namespace: str | None
    expect: list[Expectation] | None
    line: int


@dataclass
class PolicyTest:
    """A ``kind: PolicyTest`` file: its policies and cases."""

    path: str
    display: str
    policies: list[str]
    cases: list[Case]


# ---- finding the tests -------------------------------------------------------------------------


def is_policy_test(path: str) -> bool:
    """Whether ``path`` is a ``kind: PolicyTest`` file (its text names the kind at the top level)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(1 << 20)
    except OSError:
        return False
    return re.search(r"^kind:\s*[\"']?PolicyTest[\"']?\s*$", text, re.MULTILINE) is not None


def _test_files_under(directory: str) -> list[str]:
    found = []
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(top, name)
            if name.endswith(POLICY_SUFFIXES) and not name.startswith(".") and is_policy_test(path):
                found.append(path)
    return found


def collect(paths: Sequence[str], configured: Sequence[PolicySource]) -> tuple[list[PolicySource], list[str]]:
    """The policy sources and the PolicyTest files ``paths`` name (policy files, directories — their
    policy files and every PolicyTest file below them — and PolicyTest files); with no paths, the
    configuration's policies and the PolicyTest files beside them."""
    sources: list[PolicySource] = []
    tests: list[str] = []
    if paths:
        for path in paths:
            if os.path.isdir(path):
                sources.append(PolicySource(path, os.getcwd()))
                tests += _test_files_under(path)
            elif is_policy_test(path):
                tests.append(path)
            else:
                sources.append(PolicySource(path, os.getcwd()))
    else:
        sources = list(configured)
        for source in configured:
            if source.path.startswith("pkg:"):
                continue
            tests += _test_files_under(source.path) if os.path.isdir(source.path) else [
                os.path.join(os.path.dirname(source.path) or ".", name)
                for name in sorted(os.listdir(os.path.dirname(source.path) or "."))
                if name.endswith(POLICY_SUFFIXES) and is_policy_test(os.path.join(os.path.dirname(source.path) or ".",
                                                                                  name))]
    return sources, list(dict.fromkeys(os.path.normpath(t) for t in tests))


# ---- reading PolicyTest files ------------------------------------------------------------------


def read_test(path: str) -> PolicyTest:
    """A PolicyTest file, validated (PolicyError at the problem's position)."""
    from stslint.loading.yamlload import LoadError, load_text
    from stslint.policy.files import _display, _read

    display = _display(path)
    reader = Reader(display, os.path.dirname(os.path.abspath(path)))
    reader.text = _read(path, display)
    try:
        loaded = load_text(reader.text)
    except LoadError as exc:
        raise PolicyError(display, exc.line, exc.column, f"invalid YAML: {exc.message}") from None
    documents = [doc for doc in loaded.documents if doc.root is not None]
    if len(documents) != 1:
        raise PolicyError(display, 1, 1, f"a PolicyTest file holds one YAML document; found {len(documents)}")
    root = reader.mapping(documents[0].root, documents[0].span, "a PolicyTest file")
    reader.keys(root, ("kind", "policies", "cases"), "PolicyTest", ("policies", "cases"))
    policies = reader.strings(root, "policies", "policy paths")
    items = root["cases"]
    if not isinstance(items, list):
        raise reader.fail(root.value_span("cases"), f'"cases" must be a list of cases; {_found(items)}')
    cases = []
    for index, item in enumerate(items):
        node = reader.mapping(item, reader.value_span(items, index), f"case {index + 1}")
        reader.keys(node, CASE_KEYS, f"case {index + 1}", ("name", "files"))
        expect = None
        if "expect" in node:
            given = node["expect"]
            if not isinstance(given, list):
                raise reader.fail(node.value_span("expect"), f'"expect" must be a list; {_found(given)}')
            expect = [_expectation(reader, given, number) for number in range(len(given))]
        cases.append(Case(reader.string(node, "name", one_line=True), reader.strings(node, "files", "paths"),
                          reader.strings(node, "context", "paths") if "context" in node else [],
                          reader.string(node, "namespace") if "namespace" in node else None, expect,
                          node.span[0]))
    return PolicyTest(path, display, policies, cases)


def _expectation(reader: Reader, items: Any, number: int) -> Expectation:
    node = reader.mapping(items[number], reader.value_span(items, number), f"expectation {number + 1}")
    reader.keys(node, EXPECT_KEYS, f"expectation {number + 1}", ("code",))
    expectation = Expectation(reader.string(node, "code", one_line=True))
    if "at" in node:
        at = reader.string(node, "at", one_line=True)
        parts = at.rsplit(":", 2)
        while len(parts) > 1 and not parts[-1].isdigit():
            parts = [":".join(parts)]
        numbers = [int(p) for p in parts[1:] if p.isdigit()]
        expectation.file = os.path.normpath(parts[0])
        expectation.line = numbers[0] if numbers else None
        expectation.column = numbers[1] if len(numbers) > 1 else None
    if "message" in node:
        pattern = reader.string(node, "message")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise reader.fail(node.value_span("message"), f"invalid regular expression: {exc}") from None
        expectation.message = pattern
    return expectation


def comment_expectations(base: str, files: Iterable[str]) -> list[Expectation]:
    """The expectations the ``# expect: CODE [LINE:COLUMN]`` comments of ``files`` state."""
    found = []
    for name in files:
        path = os.path.join(base, name)
        if os.path.isdir(path):
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            match = EXPECT_COMMENT.search(line)
            if match:
                code, at_line, at_column = match.groups()
                found.append(Expectation(code, os.path.normpath(name), int(at_line) if at_line else number,
                                         int(at_column) if at_column else None))
    return found


# ---- running -----------------------------------------------------------------------------------


def _lint(rules: Any, files: Sequence[str], context: Sequence[str], namespace: str | None) -> Any:
    from stslint.api import lint_paths
    from stslint.context import ContextRequest
    from stslint.engine import Settings
    from stslint.selection import resolve

    settings = Settings(selected=resolve(["ALL"], rules=rules), rules=rules, namespace=namespace, keep_texts=False)
    request = ContextRequest(list(context), False, False) if context else None
    return lint_paths(list(files), settings, request)


def _relative(finding: Any, base: str) -> Found:
    path = finding.source_path or finding.file
    real = os.path.realpath(path) if os.path.exists(path) else path
    return Found(finding.code, os.path.normpath(os.path.relpath(real, os.path.realpath(base))), finding.line,
                 finding.column, finding.message)


def run_examples(rules: Any, policies: Sequence[Any]) -> list[Outcome]:
    """One test per example of each policy: ``bad`` gives a finding of the policy, ``good`` none."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="stslint-test-") as directory:
        for policy in policies:
            for label in ("bad", "good"):
                text = policy.examples.get(label)
                if text is None:
                    continue
                path = os.path.join(directory, f"{policy.code}-{label}.yaml")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
                result = _lint(rules, [path], [], None)
                own = [f for f in result.findings if f.code == policy.code]
                outcome = Outcome(f"{policy.code} examples.{label}", f"{policy.file}:{policy.line}")
                if label == "bad" and not own:
                    outcome.problems.append(f"- expected at least one {policy.code} finding in examples.bad; found "
                                            "none")
                if label == "good":
                    outcome.problems += [f"+ unexpected {f.code} at examples.good:{f.line}:{f.column}: {f.message}"
                                         for f in own]
                outcomes.append(outcome)
    return outcomes


def run_test_file(test: PolicyTest, base_rules: Any) -> list[Outcome]:
    """One outcome per case of a PolicyTest file."""
    from stslint.policy import policy_rule_set

    base = os.path.dirname(os.path.abspath(test.path))
    sources = [PolicySource(os.path.join(base, path), base) for path in test.policies]
    for source, written in zip(sources, test.policies):
        if not os.path.exists(source.path):
            raise PolicyError(test.display, None, None, f'the policy path "{written}" does not exist (relative to '
                              "the test file)")
    rules = policy_rule_set(sources, base_rules)
    codes = {code for code in rules if code not in base_rules}
    outcomes = []
    for case in test.cases:
        outcome = Outcome(case.name, f"{test.display}:{case.line}")
        missing = [name for name in (*case.files, *case.context) if not os.path.exists(os.path.join(base, name))]
        if missing:
            outcome.problems.append(f'the file "{missing[0]}" does not exist (relative to the test file)')
            outcomes.append(outcome)
            continue
        expectations = case.expect if case.expect is not None else comment_expectations(base, case.files)
        wanted = codes | {e.code for e in expectations}
        result = _lint(rules, [os.path.join(base, name) for name in case.files],
                       [os.path.join(base, name) for name in case.context], case.namespace)
        found = [_relative(f, base) for f in result.findings if f.code in wanted]
        unmatched = list(found)
        for expectation in expectations:
            hit = next((f for f in unmatched if expectation.matches(f)), None)
            if hit is None:
                outcome.problems.append(f"- expected {expectation}")
            else:
                unmatched.remove(hit)
        outcome.problems += [f"+ found    {f}" for f in unmatched]
        if not expectations and not found:
            pass  # a case that expects nothing and finds nothing passes: a passing manifest
        outcomes.append(outcome)
    return outcomes


def run_tests(paths: Sequence[str], configured: Sequence[PolicySource]) -> list[Outcome]:
    """Every test ``paths`` name (see :func:`collect`); PolicyError for an invalid policy or test file."""
    from stslint.policy import policy_rule_set
    from stslint.rules import BUILTIN

    sources, tests = collect(paths, configured)
    rules = policy_rule_set(sources) if sources else BUILTIN
    policies = [getattr(rule.check, "policy") for code, rule in rules.items()
                if code not in BUILTIN and hasattr(rule.check, "policy")]
    outcomes = run_examples(rules, policies)
    for path in tests:
        outcomes += run_test_file(read_test(path), BUILTIN)
    return outcomes


def text_report(outcomes: Sequence[Outcome]) -> str:
    """The outcomes as text: each failure with its diff, then a summary line."""
    lines = []
    for outcome in outcomes:
        if outcome.passed:
            continue
        lines.append(f"FAIL {outcome.where}: {outcome.name}")
        lines += [f"  {problem}" for problem in outcome.problems]
    failed = sum(1 for outcome in outcomes if not outcome.passed)
    if not outcomes:
        lines.append("No policy test found: no policy has examples and no PolicyTest file was given (a run "
                     "without tests fails)")
    else:
        lines.append(f"{len(outcomes)} test{'s' if len(outcomes) != 1 else ''}: {len(outcomes) - failed} passed, "
                     f"{failed} failed")
    return "\n".join(lines)


def junit_report(outcomes: Sequence[Outcome]) -> str:
    """The outcomes as JUnit XML (one testcase per test, a failure element with its diff)."""
    from xml.sax.saxutils import escape, quoteattr

    failed = sum(1 for outcome in outcomes if not outcome.passed)
    errors = 1 if not outcomes else 0
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuite name="stslint policies" tests="{len(outcomes)}" failures="{failed}" errors="{errors}">']
    for outcome in outcomes:
        lines.append(f"  <testcase classname={quoteattr(outcome.where)} name={quoteattr(outcome.name)}>")
        if not outcome.passed:
            lines.append(f"    <failure message={quoteattr(outcome.problems[0])}>"
                         f"{escape(chr(10).join(outcome.problems))}</failure>")
        lines.append("  </testcase>")
    if not outcomes:
        lines.append('  <testcase classname="stslint" name="policy tests"><error message="no policy test found"/>'
                     "</testcase>")
    lines.append("</testsuite>")
    return "\n".join(lines)

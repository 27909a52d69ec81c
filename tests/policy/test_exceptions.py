"""PolicyException files: they exempt matched objects from policy and built-in codes alike, stop
applying (with a warning) once expired, and with STS005 an exception that exempted nothing is reported."""
from __future__ import annotations

import datetime

import pytest

from stslint.policy.exceptions import apply_exceptions
from tests.config_helpers import STATEFULSET, repo, stslint
from tests.policy.helpers import HEADER, STS, check, findings

POLICY = HEADER + "schema: {properties: {spec: {properties: {replicas: {minimum: 3}}}}}\n"
"""ACME101: replicas >= 3 (STS has replicas: 1 at 10:3)."""


def exceptions(*items: str) -> str:
    return "kind: PolicyException\nexceptions:\n" + "".join(items)


def exception(codes: str, match: str = "", expires: str = "") -> str:
    text = f"  - codes: {codes}\n    reason: The legacy database moves next quarter.\n    owner: team-db\n"
    text += f"    match: {match}\n" if match else ""
    text += f"    expires: {expires}\n" if expires else ""
    return text


def run_with(tmp_path, exception_text: str, *args: str, manifests: dict[str, str] | None = None):
    files = {"policy.yaml": POLICY, "exceptions.yaml": exception_text, "sts.yaml": STS, **(manifests or {})}
    return check(tmp_path, files, "sts.yaml", *args, policies=("policy.yaml", "exceptions.yaml"))


def test_without_an_exception_the_policy_and_built_in_rules_report(tmp_path):
    run = check(tmp_path, {"policy.yaml": POLICY, "sts.yaml": STS}, "sts.yaml")
    assert ("ACME101", 10, 3) in run.triples() and ("STS102", 9, 3) in run.triples()


@pytest.mark.parametrize("match", ["", "{names: [db]}", "{namespaces: [prod-*]}", "{kinds: [StatefulSet]}",
                                   "{labels: {matchLabels: {tier: database}}}", "{files: [sts.yaml]}"])
def test_a_matching_exception_exempts_policy_and_built_in_codes(tmp_path, match):
    run = run_with(tmp_path, exceptions(exception("[ACME101, service-not-found]", match)))
    codes = {code for code, _, _ in run.triples()}
    assert "ACME101" not in codes and "STS102" not in codes
    assert codes  # other rules still report


@pytest.mark.parametrize("match", ["{names: [web]}", "{namespaces: [staging]}", "{kinds: [Deployment]}",
                                   "{labels: {matchLabels: {tier: cache}}}", "{files: [other/*.yaml]}"])
def test_an_exception_that_does_not_match_exempts_nothing(tmp_path, match):
    run = run_with(tmp_path, exceptions(exception("[ACME101]", match)))
    assert ("ACME101", 10, 3) in run.triples()


def test_an_expired_exception_stops_applying_and_warns(tmp_path):
    run = run_with(tmp_path, exceptions(exception("[ACME101]", expires="2020-01-31")))
    assert ("ACME101", 10, 3) in run.triples()
    warning = [w for w in run.json()["warnings"] if "expired" in w["message"]]
    assert warning == [{"file": "exceptions.yaml", "line": 3,
                        "message": "the exception for ACME101 expired on 2020-01-31; it no longer applies (The legacy "
                                   "database moves next quarter.)"}]
    assert "stslint: exceptions.yaml:3: warning: the exception for ACME101 expired on 2020-01-31" in run.stderr
    future = run_with(tmp_path / "future", exceptions(exception("[ACME101]", expires="2999-12-31")))
    assert ("ACME101", 10, 3) not in future.triples() and not future.json()["warnings"]


def test_an_unused_exception_is_sts005_when_selected(tmp_path):
    text = exceptions(exception("[ACME101]"), exception("[STS403]"), exception("[ACME101]", "{names: [web]}"))
    quiet = run_with(tmp_path / "quiet", text, "--select", "ACME,STS4")
    assert not [t for t in quiet.triples() if t[0] == "STS005"]
    run = run_with(tmp_path, text, "--select", "ACME,STS4,STS005")
    unused = [(f["file"], f["line"], f["column"], f["message"]) for f in run.json()["findings"] if f["code"] == "STS005"]
    assert unused == [
        ("exceptions.yaml", 6, 5, "unused policy exception for STS403: it exempted no finding; remove it"),
        ("exceptions.yaml", 9, 5, "unused policy exception for ACME101: it exempted no finding; remove it")]


def test_exceptions_in_a_configuration(tmp_path):
    files = {".stslint.yaml": "policies: [policy.yaml, exceptions.yaml]\n", "policy.yaml": POLICY,
             "exceptions.yaml": exceptions(exception("[ACME101]")), "sts.yaml": STS}
    run = stslint(repo(tmp_path, files), "check", "--format", "json", "sts.yaml")
    assert ("ACME101", 10, 3) not in run.triples()


@pytest.mark.parametrize(("text", "error"), [
    (exceptions(exception("[ACME999]")), 'exceptions.yaml:3:13: unknown rule "ACME999" in the exception'),
    (exceptions(exception("[STS001]")), "exceptions.yaml:3:13: STS001 is an input error"),
    (exceptions("  - codes: [ACME101]\n"), 'exceptions.yaml:3:5: exception 1: missing key "reason"'),
    (exceptions("  - reason: x\n"), 'exceptions.yaml:3:5: exception 1: missing key "codes"'),
    (exceptions(exception("[ACME101]", expires="next week")), 'exceptions.yaml:6:14: "expires" must be a date'),
    (exceptions(exception("[ACME101]", "{name: [db]}")), 'exceptions.yaml:6:13: exception 1 "match": unknown key '
                                                          '"name"'),
    ("kind: PolicyException\nexceptions: []\n", 'exceptions.yaml:2:13: "exceptions" must be a non-empty list'),
])
def test_invalid_exceptions_exit_2_with_their_location(tmp_path, text, error):
    run = run_with(tmp_path, text)
    assert run.exit_code == 2 and run.stderr.startswith(f"stslint: {error}"), run.stderr


def test_an_exception_never_exempts_other_objects_or_codes():
    from stslint.findings import Finding
    from stslint.policy.exceptions import PolicyException
    from stslint.policy.files import Match

    rule = PolicyException(("ACME101",), Match(kinds=()), "why", "exceptions.yaml", (3, 5, 3, 10, 0, 0))
    ours = Finding("ACME101", "m", "a.yaml", (1, 1, 1, 1, 0, 0), object="StatefulSet/db", object_at=0,
                   source_path="/r/a.yaml")
    other_object = ours._replace(object="StatefulSet/web", object_at=50)
    other_code = ours._replace(code="ACME102")
    exempted = {("/r/a.yaml", "StatefulSet/db", None, 0, 0)}
    kept, warnings = apply_exceptions((rule,), [ours, other_object, other_code], exempted, frozenset({"ACME101"}),
                                      datetime.date(2026, 1, 1))
    assert kept == [other_object, other_code] and warnings == []


def test_an_exception_file_in_the_checked_tree_is_not_a_manifest(tmp_path):
    root = repo(tmp_path, {"exceptions.yaml": exceptions(exception("[STS301]")), "sts.yaml": STATEFULSET})
    run = stslint(root, "check", "--format", "json", ".")
    assert not [t for t in run.triples() if t[0] == "STS003"]

"""The rule registry and rule sets: dispatch to every view kind, one declaration per rule, typed
options with defaults, rules that keep to their own code, and a rule set per run."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest

from stslint.analysis import RuleError
from stslint.engine import Settings, lint
from stslint.findings import Finding
from stslint.loading.discover import discover
from stslint.model import workloads
from stslint.model.index import Index
from stslint.model.resource import Resource
from stslint.model.views import view_classes
from stslint.model.workloads import PodTemplateWorkload
from stslint.rules import (
    BUILTIN,
    RuleDefinitionError,
    RuleSet,
    define_index_rule,
    define_object_rule,
    object_rule,
)
from stslint.rules.options import Option
from stslint.selection import SelectionError, canonical_selectors, resolve

KINDS = {
    "Deployment": ("apps/v1", "spec:\n  template:\n    metadata: {labels: {app: x}}\n"),
    "ReplicaSet": ("apps/v1", "spec:\n  template:\n    metadata: {labels: {app: x}}\n"),
    "DaemonSet": ("apps/v1", "spec:\n  template:\n    metadata: {labels: {app: x}}\n"),
    "Job": ("batch/v1", "spec:\n  template:\n    metadata: {labels: {app: x}}\n"),
    "CronJob": ("batch/v1", "spec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: x}}\n"),
    "StatefulSet": ("apps/v1", "spec:\n  template:\n    metadata: {labels: {app: x}}\n"),
    "Service": ("v1", "spec: {}\n"),
    "StorageClass": ("storage.k8s.io/v1", "provisioner: p\n"),
    "PersistentVolume": ("v1", "spec: {}\n"),
    "PersistentVolumeClaim": ("v1", "spec: {}\n"),
    "PodDisruptionBudget": ("policy/v1", "spec: {maxUnavailable: 1}\n"),
    "NetworkPolicy": ("networking.k8s.io/v1", "spec: {podSelector: {}}\n"),
}


def manifest(kind: str, name: str = "it") -> str:
    api, body = KINDS[kind]
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}}}\n{body}"


def run(tmp_path: Path, text: str, rules: RuleSet, select: list[str], **settings: Any) -> list[tuple[str, int, int]]:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    result = lint(discover([str(path)]), Settings(selected=resolve(select, rules=rules), rules=rules, **settings))
    return [(f.code, f.line, f.column) for f in result.findings]


def test_every_kind_the_issue_names_has_a_view():
    assert {cls.KIND for cls in view_classes()} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_throwaway_object_rule_runs_on_its_kind_and_reports(tmp_path, kind):
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("TST100", f"saw {view.ref}", view.fields.key_span("kind"), anchor="kind")

    rule = define_object_rule("TST100", "sees-kind", "warning", check, view=kind)
    rules = BUILTIN.with_rules([rule])
    other = next(k for k in sorted(KINDS) if k != kind)
    assert run(tmp_path, manifest(kind) + "---\n" + manifest(other), rules, ["TST100"]) == [("TST100", 2, 1)]


def view_for_kind(kind: str) -> type[Resource]:
    return next(cls for cls in view_classes() if cls.KIND == kind)


INDEXED = sorted(k for k in KINDS if view_for_kind(k).entry is not Resource.entry)


def test_the_kinds_that_rules_relate_are_indexed():
    assert set(INDEXED) == set(KINDS)  # every kind: STS007 relates definitions of one name


@pytest.mark.parametrize("kind", INDEXED)
def test_a_throwaway_index_rule_reads_the_entries_of_its_kind(tmp_path, kind):
    def check(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
        for entry in index.subjects(kind):
            yield entry.finding("TST200", f"indexed {entry.ref}", entry.name_span, anchor="metadata.name")

    rules = BUILTIN.with_rules([define_index_rule("TST200", "indexes-kind", "warning", check, judges=kind)])
    assert run(tmp_path, manifest(kind), rules, ["TST200"]) == [("TST200", 3, 12)]


def test_a_rule_on_the_pod_template_base_runs_on_every_workload(tmp_path):
    def check(view: PodTemplateWorkload, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("TST300", f"labels {view.template_labels()}", view.fields.key_span("kind"))

    rules = BUILTIN.with_rules([define_object_rule("TST300", "workloads", "warning", check, view=PodTemplateWorkload)])
    workloads_only = [k for k in sorted(KINDS) if issubclass(view_for_kind(k), PodTemplateWorkload)]
    text = "---\n".join(manifest(k) for k in sorted(KINDS))
    assert len(run(tmp_path, text, rules, ["TST300"])) == len(workloads_only) == 6


def test_an_object_of_an_unknown_api_version_has_no_view(tmp_path):
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("TST100", "seen", view.fields.key_span("kind"))

    rules = BUILTIN.with_rules([define_object_rule("TST100", "sees", "warning", check, view="StatefulSet")])
    text = manifest("StatefulSet").replace("apps/v1", "apps.kruise.io/v1beta1")
    assert run(tmp_path, text, rules, ["TST100"]) == []


@pytest.mark.parametrize("view", ["Pod", "ConfigMap", "Resource", int])
def test_a_rule_for_a_kind_without_a_view_fails_when_it_is_declared(view):
    with pytest.raises(RuleDefinitionError):
        define_object_rule("TST100", "nope", "warning", lambda v, o: (), view=view)
    with pytest.raises(RuleDefinitionError):
        define_index_rule("TST101", "nope", "warning", lambda i, o: (), judges=[view])
    with pytest.raises(RuleDefinitionError):
        define_index_rule("TST101", "nope", "warning", lambda i, o: (), judges="Service", reads=[view])


def test_the_decorator_fails_at_import_for_a_kind_without_a_view():
    with pytest.raises(RuleDefinitionError, match="has no view"):
        @object_rule("TST102", "import-time", "warning", view="HorizontalPodAutoscaler")
        def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
            yield from ()


@pytest.mark.parametrize("severity, code", [("fatal", "TST100"), ("error", "100"), ("error", "tst100")])
def test_bad_declarations_are_refused(severity, code):
    with pytest.raises(RuleDefinitionError):
        define_object_rule(code, "bad", severity, lambda v, o: (), view=workloads.StatefulSet)


def test_a_rule_set_refuses_a_code_twice():
    rule = define_object_rule("STS301", "again", "warning", lambda v, o: (), view="StatefulSet")
    with pytest.raises(RuleDefinitionError):
        BUILTIN.with_rules([rule])


def test_a_rule_that_yields_another_code_is_a_bug_not_a_silent_reroute(tmp_path):
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("STS006", "not mine", view.fields.key_span("kind"))

    rules = BUILTIN.with_rules([define_object_rule("TST100", "liar", "warning", check, view="Service")])
    with pytest.raises(RuleError, match="TST100 yielded a finding of STS006"):
        run(tmp_path, manifest("Service"), rules, ["TST100", "STS006"])


def test_option_defaults_reach_a_rule_with_no_configuration(tmp_path):
    seen: list[dict[str, Any]] = []

    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        seen.append(options)
        yield from ()

    options = [Option("max-size", "quantity", "2Ti"), Option("names", "array", ["a"], items="string"),
               Option("strict", "boolean", True), Option("limit", "integer", 3), Option("label", "string", "x")]
    rule = define_object_rule("TST100", "with-options", "warning", check, view="Service", options=options)
    rules = BUILTIN.with_rules([rule])
    run(tmp_path, manifest("Service"), rules, ["TST100"])
    assert seen == [{"max-size": "2Ti", "names": ["a"], "strict": True, "limit": 3, "label": "x"}]
    seen.clear()
    run(tmp_path, manifest("Service"), rules, ["TST100"], rule_options={"TST100": {"limit": 5}})
    assert seen[0]["limit"] == 5 and seen[0]["max-size"] == "2Ti"


@pytest.mark.parametrize("option, good, bad", [
    (Option("q", "quantity", "1Gi"), ["2Ti", "500M", "1.5", 3, "100m", "1e3"], ["2TB", "", True, "x1"]),
    (Option("n", "integer", 1), [0, -3], [1.5, True, "1"]),
    (Option("b", "boolean", False), [True], [1, "yes"]),
    (Option("l", "array", [], items="quantity"), [["1Gi", 2]], [["1Gi", "nope"], "1Gi"]),
])
def test_options_are_typed(option, good, bad):
    assert all(option.problem(value) is None for value in good)
    assert all(option.problem(value) is not None for value in bad)


def test_an_option_whose_default_breaks_its_type_is_refused():
    with pytest.raises(TypeError):
        Option("n", "integer", "three")


def _org_rules() -> RuleSet:
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding(options["code"], "org policy", view.fields.key_span("kind"))

    def make(code: str, opt_in: bool = False) -> Any:
        return define_object_rule(code, f"org-{code.lower()}", "error",
                                  lambda v, o, code=code: check(v, {"code": code}), view="Service", opt_in=opt_in)

    return BUILTIN.with_rules([make("ORG101"), make("ORG102"), make("ORG201", opt_in=True)])


def test_prefixes_select_any_code_family():
    rules = _org_rules()
    assert {"ORG101", "ORG102"} <= resolve(["ORG1"], rules=rules)
    assert "ORG201" not in resolve(["ORG"], rules=rules)  # a bare family never selects opt-in rules
    assert "ORG201" in resolve(["ORG2"], rules=rules) and "ORG201" in resolve(["org-org201"], rules=rules)
    assert not {c for c in resolve(["STS"], rules=rules) if c.startswith("ORG")}
    assert "ORG1" in canonical_selectors(rules) and "OR" not in canonical_selectors(rules)
    with pytest.raises(SelectionError):
        resolve(["ORG9"], rules=rules)


def test_reports_read_metadata_from_the_run_s_rule_set(tmp_path):
    from stslint.reporting.json_format import document
    from stslint.reporting.sarif import document as sarif_document

    rules = _org_rules()
    path = tmp_path / "svc.yaml"
    path.write_text(manifest("Service"))
    result = lint(discover([str(path)]), Settings(selected=resolve(["ORG1"], rules=rules), rules=rules))
    report = document(result, "test")
    assert [(f["code"], f["name"], f["severity"]) for f in report["findings"]] == [
        ("ORG101", "org-org101", "error"), ("ORG102", "org-org102", "error")]
    rules_listed = [r["id"] for r in sarif_document(result, "t")["runs"][0]["tool"]["driver"]["rules"]]
    assert "ORG101" in rules_listed and rules_listed == sorted(rules_listed)
    json.dumps(report)


def test_configuration_selectors_are_validated_against_the_run_s_rule_set():
    from stslint.config_validation import ConfigInvalid, validate

    rules = _org_rules()
    assert validate({"select": ["ORG1"], "severity": {"ORG101": "warning"}}, rules)["select"] == ["ORG1"]
    with pytest.raises(ConfigInvalid):
        validate({"select": ["ORG1"]})  # the built-in rules alone know no ORG family


def test_suppressions_name_the_codes_of_the_run_s_rule_set(tmp_path):
    rules = _org_rules()
    text = manifest("Service").replace("kind: Service", "kind: Service  # stslint: disable-line=ORG101")
    assert run(tmp_path, text, rules, ["ORG1"]) == [("ORG102", 2, 1)]
    text = textwrap.dedent(manifest("Service")).replace("metadata: {name: it}",
                                                        "metadata: {name: it, annotations: {stslint.io/ignore: org-org102}}")
    assert run(tmp_path, text, rules, ["ORG1"]) == [("ORG101", 2, 1)]


def test_a_fix_that_is_neither_safe_nor_unsafe_is_a_bug(tmp_path):
    from stslint.findings import Edit, Fix

    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        fix = Fix("do it", "maybe", (Edit(view.file, 0, 0, "x"),))
        yield view.finding("TST100", "fixable", view.fields.key_span("kind"), fix=fix)

    rules = BUILTIN.with_rules([define_object_rule("TST100", "odd-fix", "warning", check, view="Service")])
    with pytest.raises(RuleError, match="neither safe nor unsafe|not safe or unsafe"):
        run(tmp_path, manifest("Service"), rules, ["TST100"])


@pytest.mark.parametrize("api, viewed", [("apps/v1", True), ("apps/v1beta1", True), ("apps/v1beta3", True),
                                         ("apps.kruise.io/v1beta1", False), ("v1", False)])
def test_views_are_chosen_by_kind_and_api_group(tmp_path, api, viewed):
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("TST100", "seen", view.fields.key_span("kind"))

    rules = BUILTIN.with_rules([define_object_rule("TST100", "sees", "warning", check, view="StatefulSet")])
    text = manifest("StatefulSet").replace("apps/v1", api)
    assert bool(run(tmp_path, text, rules, ["TST100"])) is viewed


@pytest.mark.parametrize("api, viewed", [("v1", True), ("v2", False), ("core/v1", False)])
def test_core_kinds_need_their_version(tmp_path, api, viewed):
    def check(view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        yield view.finding("TST100", "seen", view.fields.key_span("kind"))

    rules = BUILTIN.with_rules([define_object_rule("TST100", "sees", "warning", check, view="Service")])
    text = manifest("Service").replace("apiVersion: v1", f"apiVersion: {api}")
    assert bool(run(tmp_path, text, rules, ["TST100"])) is viewed


def test_rule_names_are_lowercase_kebab_case_and_defaults_are_copies():
    with pytest.raises(RuleDefinitionError):
        define_object_rule("TST100", "Upper-Case", "warning", lambda v, o: (), view="Service")
    option = Option("names", "array", ["a"], items="string")
    rule = define_object_rule("TST100", "lower", "warning", lambda v, o: (), view="Service", options=[option])
    rule.defaults()["names"].append("changed")
    assert rule.defaults() == {"names": ["a"]}


def test_legacy_workloads_select_their_template_labels_when_no_selector_is_written():
    from tests.model.test_index import index_of

    text = ("apiVersion: {api}\nkind: Deployment\nmetadata: {{name: d, namespace: db}}\n"
            "spec:\n  template:\n    metadata: {{labels: {{app: db}}}}\n")
    for api, selects in (("extensions/v1beta1", True), ("apps/v1beta1", True), ("apps/v1", False)):
        index = index_of(text.format(api=api))
        assert bool(index.selecting("Deployment", "db", {"app": "db"})) is selects, api

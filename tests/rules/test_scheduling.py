"""STS604 and STS605: whether podAntiAffinity terms and topologySpreadConstraints select the
StatefulSet's own pods; STS605 is opt-in."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.rules.helpers import run, service, sts


def anti(selector: str | None, *, preferred: bool = False, extra: str = "") -> str:
    """A pod spec fragment with one podAntiAffinity term (``selector`` is the labelSelector's YAML)."""
    sel = f"labelSelector: {selector}\n" if selector is not None else ""
    term = f"{sel}topologyKey: kubernetes.io/hostname\n{extra}"
    if preferred:
        body = ("preferredDuringSchedulingIgnoredDuringExecution:\n  - weight: 100\n    podAffinityTerm:\n"
                + textwrap.indent(term, "      "))
    else:
        body = "requiredDuringSchedulingIgnoredDuringExecution:\n  - " + textwrap.indent(term, "    ").lstrip()
    return "affinity:\n  podAntiAffinity:\n" + textwrap.indent(body, "    ")


def spread(selector: str | None) -> str:
    sel = f"\n    labelSelector: {selector}" if selector is not None else ""
    return f"topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n" \
           f"    whenUnsatisfiable: DoNotSchedule{sel}"


def with_pod(pod: str, *, replicas: str | None = "3", namespace: str | None = None,
             labels: str = "app: web") -> str:
    extra = f"  replicas: {replicas}\n" if replicas is not None else ""
    return sts(pod=pod, extra_spec=extra, namespace=namespace, labels=labels)


def codes604(tmp_path: Path, pod: str, **kwargs) -> list[tuple[str, str, int]]:
    return run(tmp_path, service(), with_pod(pod, **kwargs), select=["STS604", "STS006"])


@pytest.mark.parametrize("selector, fires", [
    ("{matchLabels: {app: web}}", False),
    ("{matchLabels: {app: nginx}}", True),
    ("{matchLabels: {app.kubernetes.io/name: web}}", True),
    ("{matchExpressions: [{key: app, operator: In, values: [web]}]}", False),
    ("{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", True),
    ("{matchExpressions: [{key: tier, operator: DoesNotExist}]}", False),
    ("{matchExpressions: [{key: statefulset.kubernetes.io/pod-name, operator: Exists}]}", False),
    ("{matchExpressions: [{key: controller-revision-hash, operator: DoesNotExist}]}", True),
    ("{matchLabels: {app: web, statefulset.kubernetes.io/pod-name: web-0}}", False),
    ("{}", False),  # an empty selector selects every pod
])
def test_604_selector_semantics(tmp_path, selector, fires):
    assert (codes604(tmp_path, anti(selector)) != []) is fires


def test_604_points_at_the_label_selector_of_the_first_term(tmp_path):
    got = codes604(tmp_path, anti("{matchLabels: {app: nginx}}"))
    assert got == [("STS604", "main.yaml", 33)]
    text = (tmp_path / "main.yaml").read_text().splitlines()
    assert text[32] == "            - labelSelector: {matchLabels: {app: nginx}}"


def test_604_preferred_term(tmp_path):
    got = codes604(tmp_path, anti("{matchLabels: {app: nginx}}", preferred=True))
    text = (tmp_path / "main.yaml").read_text().splitlines()
    assert len(got) == 1 and text[got[0][2] - 1].strip().startswith("labelSelector:")


def test_604_a_term_without_label_selector_selects_no_pod(tmp_path):
    got = codes604(tmp_path, anti(None))
    text = (tmp_path / "main.yaml").read_text().splitlines()
    assert len(got) == 1 and "topologyKey" in text[got[0][2] - 1]


@pytest.mark.parametrize("extra, namespace, judged", [
    ("namespaces: [data]\n", "data", True),
    ("namespaces: []\n", None, True),
    ("namespaces: [other]\n", "data", False),
    ("namespaces: [data]\n", None, False),  # the pod's namespace is unknown
    ("namespaceSelector: {}\n", None, False),
])
def test_604_only_terms_in_the_pods_namespace(tmp_path, extra, namespace, judged):
    pod = anti("{matchLabels: {app: nginx}}", extra=extra)
    got = run(tmp_path, service(namespace=namespace), with_pod(pod, namespace=namespace), select=["STS604"])
    assert (got != []) is judged


def test_604_quiet_when_another_term_selects_the_pods(tmp_path):
    pod = anti("{matchLabels: {app: nginx}}") + "\n" + textwrap.indent(
        "preferredDuringSchedulingIgnoredDuringExecution:\n  - weight: 1\n    podAffinityTerm:\n"
        "      labelSelector: {matchLabels: {app: web}}\n      topologyKey: topology.kubernetes.io/zone", "    ")
    assert codes604(tmp_path, pod) == []


def test_604_mismatch_label_keys_excludes_the_own_replicas(tmp_path):
    pod = anti("{matchLabels: {app: web}}", extra="mismatchLabelKeys: [app]\n")
    assert [c for c, _, _ in codes604(tmp_path, pod)] == ["STS604"]


def test_604_unreadable_selector_is_sts006_only(tmp_path):
    assert [c for c, _, _ in codes604(tmp_path, anti("{matchLabels: [app, web]}"))] == ["STS006"]


# --- STS605 replicas-not-spread -------------------------------------------------------------------


def lint_main(tmp_path: Path, *docs: str, select=None, options=None) -> list[str]:
    path = tmp_path / "main.yaml"
    path.write_text("---\n".join(docs), encoding="utf-8")
    result = lint(discover([str(path)]), Settings(selected=resolve(select, extend_select=()),
                                                  rule_options=options or {}))
    return [f.code for f in result.findings]


def test_605_is_opt_in(tmp_path):
    docs = (service(), with_pod(""))
    assert "STS605" not in lint_main(tmp_path, *docs)
    assert "STS605" not in lint_main(tmp_path, *docs, select=["STS"])  # a bare family never selects opt-in rules
    for selector in ("STS605", "replicas-not-spread", "STS6", "ALL"):
        assert "STS605" in lint_main(tmp_path, *docs, select=[selector]), selector


@pytest.mark.parametrize("pod, fires", [
    ("", True),
    (spread("{matchLabels: {app: web}}"), False),
    (spread("{matchLabels: {app: other}}"), True),
    (spread(None), True),  # a constraint without a labelSelector counts no pods
    (anti("{matchLabels: {app: web}}", preferred=True), False),
    (anti("{matchLabels: {app: nginx}}"), True),
])
def test_605_spreading_that_counts(tmp_path, pod, fires):
    assert ("STS605" in lint_main(tmp_path, service(), with_pod(pod), select=["STS605"])) is fires


@pytest.mark.parametrize("replicas, options, fires", [
    (None, {}, False), ("1", {}, False), ("2", {}, True),
    ("2", {"STS605": {"min-replicas": 3}}, False), ("3", {"STS605": {"min-replicas": 3}}, True),
])
def test_605_replicas_and_min_replicas(tmp_path, replicas, options, fires):
    codes = lint_main(tmp_path, service(), with_pod("", replicas=replicas), select=["STS605"], options=options)
    assert ("STS605" in codes) is fires

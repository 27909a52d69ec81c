"""STS601-STS603: PodDisruptionBudgets related to the StatefulSets whose pods they select, across
files, namespaces and API versions."""
from __future__ import annotations

from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.rules.disruption import percent
from stslint.selection import resolve
from tests.rules.helpers import related, run, service, sts

ALL_PDB = ["STS601", "STS602", "STS603", "STS006"]


def pdb(name: str = "web", *, budget: str = "maxUnavailable: 1", selector: str = "matchLabels: {app: web}",
        namespace: str | None = None, api: str = "policy/v1") -> str:
    """A PodDisruptionBudget manifest."""
    meta_ns = f"\n  namespace: {namespace}" if namespace else ""
    sel = f"\n  selector:\n    {selector}" if selector else ""
    return f"apiVersion: {api}\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}{meta_ns}\nspec:\n  {budget}{sel}\n"


def replicated(count: str | None = "3", **kwargs) -> str:
    """A StatefulSet ``web`` with that many replicas (omitted when None)."""
    extra = f"  replicas: {count}\n" if count is not None else ""
    return sts(extra_spec=extra, **kwargs)


def found(tmp_path: Path, *docs: str, **kwargs) -> list[tuple[str, str, int]]:
    kwargs.setdefault("select", ALL_PDB)
    return run(tmp_path, *docs, **kwargs)


# --- STS601 pdb-missing ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [None, "1", "0"])
def test_601_quiet_below_two_replicas_or_when_omitted(tmp_path, count):
    assert found(tmp_path, service(), replicated(count)) == []


def test_601_fires_at_kind_without_a_budget(tmp_path):
    assert found(tmp_path, service(), replicated("3")) == [("STS601", "main.yaml", 11)]


def test_601_min_replicas_option(tmp_path):
    docs = (service(), replicated("3"))
    paths = [str(tmp_path / "main.yaml")]
    (tmp_path / "main.yaml").write_text("---\n".join(docs), encoding="utf-8")
    quiet = lint(discover(paths), Settings(selected=resolve(["STS601"]), rule_options={"STS601": {"min-replicas": 4}}))
    loud = lint(discover(paths), Settings(selected=resolve(["STS601"]), rule_options={"STS601": {"min-replicas": 3}}))
    assert [f.code for f in quiet.findings] == [] and [f.code for f in loud.findings] == ["STS601"]


def test_601_wrong_typed_replicas_is_sts006_only(tmp_path):
    assert found(tmp_path, service(), replicated('"3"')) == [("STS006", "main.yaml", 19)]


@pytest.mark.parametrize("selector, covered", [
    ("matchLabels: {app: web}", True),
    ("matchLabels: {app: db}", False),
    ("matchExpressions: [{key: app, operator: In, values: [web, api]}]", True),
    ("matchExpressions: [{key: app, operator: NotIn, values: [web]}]", False),
    ("matchExpressions: [{key: tier, operator: DoesNotExist}]", True),
    ("matchExpressions: [{key: app, operator: Exists}]", True),
    ("{}", True),  # policy/v1: every pod of the namespace
])
def test_601_budget_selector_semantics(tmp_path, selector, covered):
    selector_text = selector if selector != "{}" else ""
    doc = pdb(selector=selector_text) if selector_text else pdb().replace("  selector:\n    matchLabels: {app: web}\n",
                                                                          "  selector: {}\n")
    assert (found(tmp_path, service(), replicated(), doc) == []) is covered


def test_601_v1beta1_empty_selector_selects_nothing(tmp_path):
    doc = pdb(api="policy/v1beta1").replace("  selector:\n    matchLabels: {app: web}\n", "  selector: {}\n")
    assert found(tmp_path, service(), replicated(), doc) == [("STS601", "main.yaml", 11)]


def test_601_budget_in_another_file_covers(tmp_path):
    assert found(tmp_path, service(), replicated(), files={"pdb.yaml": pdb()}) == []


def test_601_budget_of_unknown_namespace_covers(tmp_path):
    assert found(tmp_path, service(namespace="data"), replicated(namespace="data"), files={"pdb.yaml": pdb()}) == []


def test_601_budget_in_another_namespace_is_named_and_related(tmp_path):
    result = related(tmp_path, {"sts.yaml": "---\n".join([service(namespace="data"), replicated(namespace="data")]),
                                "pdb.yaml": pdb("web-pdb", namespace="other")}, select=["STS601"])
    assert result == [("STS601", [("pdb.yaml", 8, 3, 'PodDisruptionBudget "web-pdb" in namespace "other" selects '
                                   "these labels")])]
    messages = [f.message for f in lint(discover([str(tmp_path / "sts.yaml"), str(tmp_path / "pdb.yaml")]),
                                        Settings(selected=resolve(["STS601"]))).findings]
    assert '"web-pdb" is in namespace "other"' in messages[0]


def test_601_unreadable_budget_selector_is_sts006_and_quiet(tmp_path):
    broken = pdb(selector="matchLabels: [app, web]")
    assert found(tmp_path, service(), replicated(), broken) == [("STS006", "main.yaml", 38)]


# --- STS602 pdb-blocks-eviction -------------------------------------------------------------------


@pytest.mark.parametrize("budget, replicas, fires", [
    ("maxUnavailable: 0", "3", True),
    ('maxUnavailable: "0%"', "3", True),
    ('maxUnavailable: "0"', "3", False),  # the API rejects it: not a budget
    ("maxUnavailable: 1", "3", False),
    ('maxUnavailable: "10%"', "3", False),  # rounds up to 1
    ("minAvailable: 3", "3", True),
    ("minAvailable: 4", "3", True),
    ("minAvailable: 2", "3", False),
    ('minAvailable: "100%"', None, True),
    ('minAvailable: "150%"', "3", False),  # rejected by the API: not a budget
    ('minAvailable: "67%"', "3", True),  # ceil(2.01) = 3
    ('minAvailable: "66%"', "3", False),  # ceil(1.98) = 2
    ("minAvailable: 1", None, False),  # replicas omitted: no comparison
    ("minAvailable: 1", "1", True),  # the typical trap
    ("minAvailable: 1", "0", False),  # no pods to evict
    ("minAvailable: 3\n  maxUnavailable: 0", "3", False),  # both set: rejected by the API
])
def test_602_budget_values(tmp_path, budget, replicas, fires):
    got = found(tmp_path, service(), replicated(replicas), pdb(budget=budget), select=["STS602"])
    assert (got != []) is fires, got


def test_602_points_at_the_key_in_the_budget_file_and_relates_the_statefulset(tmp_path):
    files = {"sts.yaml": "---\n".join([service(), replicated()]), "pdb.yaml": pdb("web-pdb", budget="minAvailable: 3")}
    got = related(tmp_path, files, select=["STS602"])
    assert got == [("STS602", [("sts.yaml", 11, 1, 'StatefulSet "web" is selected by PodDisruptionBudget "web-pdb"')])]
    finding = lint(discover([str(tmp_path / n) for n in files]), Settings(selected=resolve(["STS602"]))).findings[0]
    assert (Path(finding.file).name, finding.line, finding.column, finding.object) == (
        "pdb.yaml", 6, 3, "PodDisruptionBudget/web-pdb")
    assert finding.message == ('StatefulSet "web": PodDisruptionBudget "web-pdb" requires minAvailable 3 of 3 '
                               "replicas; node drains will never finish")


def test_602_sums_the_replicas_of_every_selected_workload(tmp_path):
    deploy = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n"
              "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
              "      containers: [{name: api, image: api:1}]\n")
    wide = pdb(budget="minAvailable: 3")
    assert found(tmp_path, service(), replicated(), deploy, wide, select=["STS602"]) == []
    assert found(tmp_path, service(), replicated(), deploy, pdb(budget="minAvailable: 5"),
                 select=["STS602"]) == [("STS602", "main.yaml", 50)]


def test_602_skips_the_comparison_for_a_daemonset(tmp_path):
    daemon = ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n"
              "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
              "      containers: [{name: agent, image: agent:1}]\n")
    assert found(tmp_path, service(), replicated(), daemon, pdb(budget="minAvailable: 3"), select=["STS602"]) == []
    assert found(tmp_path, service(), replicated(), daemon, pdb(budget="maxUnavailable: 0"),
                 select=["STS602"]) != []


def test_602_another_definition_of_the_statefulset_is_not_more_pods(tmp_path):
    files = {"a.yaml": replicated(), "b.yaml": replicated(), "pdb.yaml": pdb(budget="minAvailable: 3")}
    assert [c for c, _, _ in found(tmp_path, files=files, select=["STS602"])] == ["STS602"]


def test_602_only_budgets_that_select_a_statefulset(tmp_path):
    other = pdb(budget="maxUnavailable: 0", selector="matchLabels: {app: other}")
    assert found(tmp_path, service(), replicated(), other, select=["STS602"]) == []


def test_602_a_budget_in_a_context_file_is_not_judged(tmp_path):
    from stslint.api import lint_paths
    from stslint.context import ContextRequest

    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "pdb.yaml").write_text(pdb(budget="maxUnavailable: 0"), encoding="utf-8")
    (tmp_path / "sts.yaml").write_text("---\n".join([service(), replicated()]), encoding="utf-8")
    result = lint_paths([str(tmp_path / "sts.yaml")], Settings(selected=resolve(["STS601", "STS602"])),
                        ContextRequest(paths=[str(tmp_path / "ctx")], use_cache=False))
    assert result.findings == []  # the budget covers (no STS601) and is never reported on


@pytest.mark.parametrize("value, share", [("0%", 0), ("67%", 67), ("100%", 100), ("0", None), ("1.5%", None),
                                          ("%", None), (3, None), ("-1%", None)])
def test_percent(value, share):
    assert percent(value) == share


# --- STS603 pdb-overlap ---------------------------------------------------------------------------


def test_603_two_budgets_in_one_file(tmp_path):
    assert found(tmp_path, service(), replicated(), pdb("a"), pdb("b"), select=["STS603"]) == [
        ("STS603", "main.yaml", 11)]


def test_603_related_locations_name_each_budget(tmp_path):
    files = {"sts.yaml": "---\n".join([service(namespace="db"), replicated(namespace="db"), pdb("a", namespace="db")]),
             "b.yaml": pdb("b", namespace="db")}
    assert related(tmp_path, files, select=["STS603"]) == [("STS603", [
        ("sts.yaml", 40, 3, 'PodDisruptionBudget "a" selects the pods of StatefulSet "web"'),
        ("b.yaml", 8, 3, 'PodDisruptionBudget "b" selects the pods of StatefulSet "web"')])]


def test_603_namespace_certainty(tmp_path):
    # no namespace, other files: not certain; with --namespace: certain
    files = {"b.yaml": pdb("b")}
    assert found(tmp_path, service(), replicated(), pdb("a"), files=files, select=["STS603"]) == []
    assert found(tmp_path, service(), replicated(), pdb("a"), files=files, select=["STS603"],
                 namespace="db") == [("STS603", "main.yaml", 11)]
    # explicit on one side only: not certain
    files = {"b.yaml": pdb("b", namespace="db")}
    assert found(tmp_path, service(), replicated(), pdb("a"), files=files, select=["STS603"]) == []


def test_603_one_budget_defined_twice_is_one_budget(tmp_path):
    assert found(tmp_path, service(), replicated(), pdb("a"), pdb("a"), select=["STS603"]) == []


def test_603_v1_empty_selector_overlaps_a_specific_budget(tmp_path):
    empty = ("  selector:\n    matchLabels: {app: web}\n", "  selector: {}\n")
    everything = pdb("all").replace(*empty)
    assert found(tmp_path, service(), replicated(), pdb("a"), everything, select=["STS603"]) == [
        ("STS603", "main.yaml", 11)]
    nothing = pdb("none", api="policy/v1beta1").replace(*empty)
    assert found(tmp_path, service(), replicated(), pdb("a"), nothing, select=["STS603"]) == []


# --- work stays linear ----------------------------------------------------------------------------


def test_many_statefulsets_budgets_and_workloads_stay_linear(tmp_path):
    """Thousands of StatefulSets, budgets and Deployments sharing a label (part-of) in one stream:
    every StatefulSet is related to its own budget and Deployment only, in linear work."""
    from tests.hostile.test_linear_work import _growth

    def make(n: int) -> str:
        docs = []
        for i in range(n):
            labels = f"{{app: a{i}, part-of: shop}}"
            docs.append(f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: w{i}}}\nspec:\n  replicas: 3\n"
                        f"  serviceName: s{i}\n  selector: {{matchLabels: {labels}}}\n"
                        f"  template:\n    metadata: {{labels: {labels}}}\n"
                        "    spec: {containers: [{name: c, image: i}]}\n")
            docs.append(pdb(f"p{i}", budget="minAvailable: 2", selector=f"matchLabels: {labels}"))
            docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\nspec:\n"
                        f"  selector: {{matchLabels: {{app: d{i}, part-of: shop}}}}\n"
                        f"  template:\n    metadata: {{labels: {{app: d{i}, part-of: shop}}}}\n"
                        "    spec: {containers: [{name: c, image: i}]}\n")
        return "---\n".join(docs)

    path = tmp_path / "check.yaml"
    path.write_text(make(20), encoding="utf-8")
    result = lint(discover([str(path)]), Settings(selected=resolve(["STS601", "STS602", "STS603", "STS608"])))
    assert result.findings == []
    assert _growth(tmp_path, make, 150) < 8

"""STS101-STS104: the governing Service, with Kubernetes' namespace and headless semantics."""
from __future__ import annotations

from stslint.engine import lint
from stslint.loading.discover import discover
from tests.rules.helpers import codes, run, service, sts


def test_clean_pair(tmp_path):
    assert codes(tmp_path, sts(), service()) == []


def test_service_name_absent_points_at_kind_and_empty_at_the_key(tmp_path):
    assert run(tmp_path, sts(service=None)) == [("STS101", "main.yaml", 2)]
    assert run(tmp_path, sts(service='""')) == [("STS101", "main.yaml", 6)]
    assert run(tmp_path, sts(service="")) == [("STS101", "main.yaml", 6)]  # null


def test_service_not_found_with_did_you_mean_and_other_namespace(tmp_path):
    result = lint(discover([_write(tmp_path, sts(service="jenkins", namespace="db"), service("jenkins-ui"),
                                   service("jenkins", namespace="other"))]))
    [finding] = result.findings
    assert finding.code == "STS102" and finding.line == 7 and finding.column == 3
    assert 'did you mean "jenkins-ui"?' in finding.message
    assert 'Service "jenkins" is in namespace "other"; it must be in' in finding.message


def test_namespace_semantics(tmp_path):
    # unknown namespace matches any; explicit ones must be equal
    assert codes(tmp_path, sts(namespace="db"), service()) == []
    assert codes(tmp_path, sts(), service(namespace="db")) == []
    assert codes(tmp_path, sts(namespace="db"), service(namespace="default")) == ["STS102"]
    assert codes(tmp_path, sts(namespace="db"), service(), namespace="web") == ["STS102"]
    assert codes(tmp_path, sts(namespace="db"), service(), namespace="db") == []
    assert codes(tmp_path, sts(namespace='""'), service(namespace="x")) == []  # "" is absent


def test_not_headless_variants(tmp_path):
    assert codes(tmp_path, sts(), service(cluster_ip=None)) == ["STS103"]
    assert codes(tmp_path, sts(), service(cluster_ip="10.0.0.5")) == ["STS103"]
    assert codes(tmp_path, sts(), service(extra="  type: NodePort\n")) == ["STS103"]
    assert codes(tmp_path, sts(), service(extra="  clusterIPs: [10.0.0.5]\n")) == ["STS103"]
    assert codes(tmp_path, sts(), service(extra="  clusterIPs: [None]\n")) == []
    assert codes(tmp_path, sts(), service(extra="  type: ClusterIP\n")) == []


def test_any_definition_satisfies_the_lookup(tmp_path):
    # the second definition is a duplicate (STS007), but either one governs
    assert codes(tmp_path, sts(), service(cluster_ip=None), service()) == ["STS007"]


def test_selector_mismatch(tmp_path):
    assert codes(tmp_path, sts(), service(selector=None)) == ["STS104"]
    assert codes(tmp_path, sts(), service(selector="app: other")) == ["STS104"]
    assert codes(tmp_path, sts(labels="app: web\ntier: db"), service(selector="tier: db")) == []
    both = run(tmp_path, sts(), service(cluster_ip=None, selector=None))
    assert both == [("STS103", "main.yaml", 6), ("STS104", "main.yaml", 6)]


def test_service_in_another_file_is_found(tmp_path):
    assert codes(tmp_path, sts(), files={"svc/web.yaml": service()}) == []


def test_kustomize_patch_statefulset_without_template_is_not_judged(tmp_path):
    patch = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
    assert codes(tmp_path, patch) == []


def test_patch_files_listed_by_a_kustomization_are_not_objects(tmp_path):
    files = {
        "overlay/kustomization.yaml": "resources: [../base]\npatchesStrategicMerge:\n- web.yaml\n"
                                      "patchesJson6902:\n- target: {kind: StatefulSet, name: web}\n  path: ops.json\n",
        "overlay/web.yaml": sts(service="missing"),
        "overlay/ops.json": '[{"op": "replace", "path": "/spec/replicas", "value": 1}]',
        "overlay/svc.yaml": service("missing", cluster_ip=None),
    }
    found = run(tmp_path, files=files)
    assert found == []  # no findings in patches; the JSON6902 list is skipped; the patch Service is not indexed
    files["overlay/kustomization.yaml"] = "resources: [web.yaml]\n"
    again = run(tmp_path, files=files)
    assert [c for c, _, _ in again] == ["STS103"]  # a list that is not objects is never a finding


def _write(tmp_path, *docs: str) -> str:
    path = tmp_path / "main.yaml"
    path.write_text("---\n".join(docs), encoding="utf-8")
    return str(path)


def test_empty_type_and_empty_cluster_ips_are_defaults_not_problems(tmp_path):
    assert codes(tmp_path, sts(), service(extra='  type: ""\n')) == []
    assert codes(tmp_path, sts(), service(extra="  clusterIPs: []\n")) == []


def test_not_headless_messages_show_the_values(tmp_path):
    def message(svc: str) -> str:
        [finding] = lint(discover([_write(tmp_path, sts(), svc)])).findings
        assert (finding.code, finding.line, finding.column) == ("STS103", 6, 3)
        return finding.message

    assert "(spec.clusterIPs is [\"10.0.0.9\"], not [None])" in message(service(extra="  clusterIPs: [10.0.0.9]\n"))
    assert "(type LoadBalancer cannot be headless)" in message(service(extra="  type: LoadBalancer\n"))
    assert "spec.clusterIPs is [None] but spec.clusterIP is not set" in message(
        service(cluster_ip=None, extra="  clusterIPs: [None]\n"))


def test_did_you_mean_prefers_a_headless_service_that_selects_the_pods(tmp_path):
    docs = [sts(service="web-hl", namespace="db"), service("web-h1", cluster_ip=None), service("web-hs"),
            service("cache", namespace="db")]
    [finding] = lint(discover([_write(tmp_path, *docs)])).findings
    assert 'did you mean "web-hs"?' in finding.message
    lone = [sts(service="database", namespace="db"), service("pods")]
    [finding] = lint(discover([_write(tmp_path, *lone)])).findings
    assert 'did you mean "pods"?' in finding.message


NO_CONTEXT_HINT = "; if it is defined in another file, pass that file or use --context/--context-git"


def _message(tmp_path, *docs: str) -> str:
    [finding] = [f for f in lint(discover([_write(tmp_path, *docs)])).findings if f.code == "STS102"]
    return finding.message


def test_did_you_mean_never_suggests_a_service_that_would_fail(tmp_path):
    # the only close name is not headless: said, not suggested
    message = _message(tmp_path, sts(service="web-hl"), service("web-h1", cluster_ip=None))
    assert "did you mean" not in message
    assert message.endswith('; Service "web-h1" is close but not headless' + NO_CONTEXT_HINT)
    # headless but selecting other pods: said, not suggested
    message = _message(tmp_path, sts(service="web-hl"), service("web-h1", selector="app: other"))
    assert 'Service "web-h1" is close but selects other pods' in message
    # a headless Service selecting the pods wins over a closer name that would fail
    message = _message(tmp_path, sts(service="web-hl"), service("web-h1", cluster_ip=None),
                       service("database", selector="app: web"))
    assert 'did you mean "database"?' in message and "web-h1" not in message
    # pod labels unknown (wrong type): a close headless name is still preferred to a non-headless one
    labels_wrong = sts(service="web-hl", labels="app: [web]")
    message = _message(tmp_path, labels_wrong, service("web-h1", cluster_ip=None), service("web-hs"))
    assert 'did you mean "web-hs"?' in message


def test_no_context_hint_only_without_context(tmp_path):
    from click.testing import CliRunner

    from stslint.cli import cli

    (tmp_path / "sts.yaml").write_text(sts(service="db"), encoding="utf-8")
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "other.yaml").write_text(service("other"), encoding="utf-8")
    runner = CliRunner()
    alone = runner.invoke(cli, ["check", "--isolated", "--format", "json", str(tmp_path / "sts.yaml")])
    [finding] = __import__("json").loads(alone.output)["findings"]
    assert finding["message"].endswith(NO_CONTEXT_HINT)
    with_context = runner.invoke(cli, ["check", "--isolated", "--format", "json", "--context", str(tmp_path / "ctx"),
                                       str(tmp_path / "sts.yaml")])
    [finding] = __import__("json").loads(with_context.output)["findings"]
    assert finding["code"] == "STS102" and "--context" not in finding["message"]


def test_related_locations_point_at_the_service(tmp_path):
    from tests.rules.helpers import related

    not_headless = service(cluster_ip=None, extra="  type: NodePort\n")
    assert related(tmp_path, {"sts.yaml": sts(), "svc.yaml": not_headless}) == [
        ("STS103", [("svc.yaml", 8, 3, 'Service "web" is not headless here')])]
    no_ip = service(cluster_ip=None)
    assert related(tmp_path, {"sts.yaml": sts(), "svc.yaml": no_ip}) == [
        ("STS103", [("svc.yaml", 2, 1, 'Service "web" is not headless here')])]
    other = service(selector="app: other")
    assert related(tmp_path, {"sts.yaml": sts(), "svc.yaml": other}) == [
        ("STS104", [("svc.yaml", 7, 3, 'Service "web" selects app=other here')])]
    assert related(tmp_path, {"sts.yaml": sts(), "svc.yaml": service(selector=None)}) == [
        ("STS104", [("svc.yaml", 2, 1, 'Service "web" has no selector')])]


def test_did_you_mean_relates_the_candidate_and_nothing_without_one(tmp_path):
    from tests.rules.helpers import related

    assert related(tmp_path, {"sts.yaml": sts(service="wbe"), "svc.yaml": service()}) == [
        ("STS102", [("svc.yaml", 4, 3, 'Service "web" is defined here')])]
    assert related(tmp_path, {"sts.yaml": sts(service="zzz-unrelated"), "svc.yaml": service(selector="x: y")}) == [
        ("STS102", [])]


def test_messages_name_at_most_five_items(tmp_path):
    services = "".join(f"---\n{service(namespace=f'ns-{i}')}" for i in range(40))
    [message] = [f.message for f in lint(discover([_write_one(tmp_path, sts(namespace="db") + services)])).findings]
    assert '"ns-0", "ns-1", "ns-10", "ns-11", "ns-12" and 35 more' in message and 'ns-9"' not in message


def _write_one(tmp_path, text: str) -> str:
    path = tmp_path / "many.yaml"
    path.write_text(text)
    return str(path)


def test_did_you_mean_looks_at_a_bounded_number_of_names(tmp_path, monkeypatch):
    import difflib

    from stslint.rules import governing_service

    sizes: list[int] = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):
        sizes.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(governing_service.difflib, "get_close_matches", counting)
    services = "".join(f"---\n{service(f'service-{i:04d}', selector=f'app: a{i}')}" for i in range(400))
    workloads = "".join(f"---\n{sts(f'w{i}', service=f'service-{i:04d}x')}" for i in range(300))
    repeated = "".join(f"---\n{sts(f'r{i}', service='service-0001x')}" for i in range(50))
    findings = lint(discover([_write_one(tmp_path, services + workloads + repeated)])).findings
    assert len([f for f in findings if f.code == "STS102"]) == 350
    assert max(sizes) == governing_service._Suggestions.MAX_CANDIDATES
    assert len(sizes) == 300  # once per namespace and name, not once per StatefulSet

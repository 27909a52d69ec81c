"""STS301-STS303: probes of regular containers; init containers and sidecars are never required.
STS306: a probe without a handler (containers and native sidecars)."""
from __future__ import annotations

from click.testing import CliRunner

from stslint.cli import cli
from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.conftest import check_json, triples
from tests.rules.helpers import codes, run, service, sts

NO_PROBES = "- name: app\n  image: nginx:1.25"


def test_container_without_probes_gets_both_at_its_name(tmp_path):
    assert run(tmp_path, sts(containers=NO_PROBES), service()) == [
        ("STS301", "main.yaml", 16), ("STS302", "main.yaml", 16)]


def test_startup_probe_replaces_neither(tmp_path):
    containers = NO_PROBES + "\n  startupProbe: {tcpSocket: {port: 80}}"
    assert codes(tmp_path, sts(containers=containers), service()) == ["STS301", "STS302"]


def test_init_containers_and_sidecars_are_never_required(tmp_path):
    pod = ("initContainers:\n- name: init\n  image: busybox\n"
           "- name: proxy\n  image: envoy:1\n  restartPolicy: Always\n")
    containers = "- name: app\n  image: nginx:1.25\n  readinessProbe: {exec: {command: [true]}}\n" \
                 "  livenessProbe: {exec: {command: [true]}, failureThreshold: 6}"
    assert codes(tmp_path, sts(containers=containers, pod=pod), service()) == []
    assert codes(tmp_path, sts(containers=NO_PROBES, pod=pod), service()) == ["STS301", "STS302"]  # app's only


def test_named_probe_ports(tmp_path):
    containers = ("- name: app\n  image: nginx:1.25\n  ports: [{name: http, containerPort: 80}]\n"
                  "  readinessProbe: {httpGet: {path: /, port: http}}\n"
                  "  livenessProbe: {tcpSocket: {port: htp}}\n"
                  "  startupProbe: {httpGet: {port: '8080'}}")
    found = run(tmp_path, sts(containers=containers), service())
    assert found == [("STS303", "main.yaml", 20)]


def test_probe_exemptions_by_container_name_and_image(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("---\n".join([sts(containers=NO_PROBES), service()]))
    options = {"STS301": {"exempt-containers": ["app"]}, "STS302": {"exempt-images": ["nginx:*"]}}
    result = lint(discover([str(path)]), Settings(selected=resolve(None), rule_options=options))
    assert result.findings == []


# -- STS306 probe-handler-missing ----------------------------------------------------------------------

def _probes(tmp_path, containers: str, *extra: str, pod: str = "") -> dict:
    """Lint one StatefulSet with these containers (and ``pod``, more of its pod spec) through the command
    line; the JSON report."""
    (tmp_path / "db.yaml").write_text("---\n".join([sts(containers=containers, pod=pod), service()]))
    return check_json("db.yaml", cwd=tmp_path, extra=extra)


def test_a_probe_without_a_handler_is_one_sts306_at_its_key(tmp_path):
    containers = ("- name: app\n  image: nginx:1.25\n  readinessProbe: {}\n"
                  "  livenessProbe:\n    initialDelaySeconds: 10\n    failureThreshold: 6\n"
                  "  startupProbe: {periodSeconds: 5}")
    report = _probes(tmp_path, containers)
    assert report["exit_code"] == 1
    assert triples(report) == [("STS306", 18, 9), ("STS306", 19, 9), ("STS306", 22, 9)]  # no STS301/STS302
    assert [f["severity"] for f in report["findings"]] == ["error"] * 3
    assert report["findings"][0]["message"] == (
        'StatefulSet "web": container "app" readinessProbe has no handler (exec, httpGet, tcpSocket or grpc); '
        'the API server rejects it')
    assert {f["container"] for f in report["findings"]} == {"app"}


def test_a_null_handler_is_no_handler_and_any_handler_is_one(tmp_path):
    containers = ("- name: app\n  image: nginx:1.25\n  readinessProbe:\n    httpGet:\n    periodSeconds: 5\n"
                  "  livenessProbe: {grpc: {port: 9090}}\n  startupProbe: {exec: {command: [true]}}")
    assert triples(_probes(tmp_path, containers)) == [("STS306", 18, 9)]
    handlers = ("- name: app\n  image: nginx:1.25\n  readinessProbe: {httpGet: {}}\n"  # other API errors, not this one
                "  livenessProbe: {tcpSocket: {port: 80}, exec: 5}\n  startupProbe: {grpc: {port: 1}}")
    assert [c for c, _, _ in triples(_probes(tmp_path, handlers))] == []


def test_native_sidecars_are_checked_and_plain_init_containers_are_not(tmp_path):
    containers = ("- name: app\n  image: nginx:1.25\n  readinessProbe: {tcpSocket: {port: 80}}\n"
                  "  livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}")
    pod = ("initContainers:\n- name: init\n  image: busybox\n  readinessProbe: {}\n"
           "- name: proxy\n  image: envoy:1\n  restartPolicy: Always\n  startupProbe: {}\n")
    report = _probes(tmp_path, containers, pod=pod)
    # the sidecar's is STS306; the plain init container's is STS305 alone (no probe is allowed there at all)
    assert triples(report) == [("STS305", 23, 9), ("STS306", 27, 9)]
    assert [f["container"] for f in report["findings"]] == ["init", "proxy"]


def test_a_probe_that_is_not_a_mapping_is_sts006_and_a_null_one_is_missing(tmp_path):
    wrong = "- name: app\n  image: nginx:1.25\n  readinessProbe: 5\n  livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}"
    assert [c for c, _, _ in triples(_probes(tmp_path, wrong))] == ["STS006"]  # one finding: no STS306, no STS301
    assert [c for c, _, _ in triples(_probes(tmp_path, wrong, "--select", "STS006,STS306"))] == ["STS006"]
    null = "- name: app\n  image: nginx:1.25\n  readinessProbe:\n  livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}"
    assert [c for c, _, _ in triples(_probes(tmp_path, null))] == ["STS301"]


def test_with_sts306_ignored_the_missing_probe_rules_stay_quiet(tmp_path):
    containers = "- name: app\n  image: nginx:1.25\n  readinessProbe: {}\n  livenessProbe: {}"
    ignored = _probes(tmp_path, containers, "--ignore", "STS306")
    assert (ignored["exit_code"], ignored["findings"]) == (0, [])  # the probes are there: not "missing"
    assert [c for c, _, _ in triples(_probes(tmp_path, containers, "--select", "STS3"))] == ["STS306", "STS306"]


def test_an_aliased_empty_probe_is_reported_where_it_is_used(tmp_path):
    containers = ("- name: app\n  image: nginx:1.25\n  readinessProbe: &none {}\n  livenessProbe: *none\n"
                  "- name: two\n  image: nginx:1.25\n  readinessProbe: *none\n  livenessProbe: {exec: {command: [a]}, failureThreshold: 6}")
    assert triples(_probes(tmp_path, containers)) == [("STS306", 18, 9), ("STS306", 19, 9), ("STS306", 22, 9)]


def test_sts306_is_listed_and_explained_with_examples():
    runner = CliRunner()
    listed = runner.invoke(cli, ["rules"])
    assert "STS306  probe-handler-missing" in listed.stdout
    explained = runner.invoke(cli, ["explain", "probe-handler-missing"])
    assert explained.exit_code == 0
    assert explained.stdout.startswith("STS306 probe-handler-missing [error]")
    assert "Example (bad):" in explained.stdout and "Example (good):" in explained.stdout
    assert "readinessProbe: {}" in explained.stdout


def _identical(tmp_path, readiness: str, liveness: str, pod: str = "") -> list[str]:
    containers = f"- name: app\n  image: nginx:1.25\n  readinessProbe: {readiness}\n  livenessProbe: {liveness}"
    return [c for c in codes(tmp_path, sts(containers=containers, pod=pod), service()) if c == "STS304"]


def test_identical_probes_are_compared_after_defaulting(tmp_path):
    assert _identical(tmp_path, "{tcpSocket: {port: 80}}", "{tcpSocket: {port: 80}}") == ["STS304"]
    # scheme HTTP and path / are the defaults; timings 0 or absent are the defaults; successThreshold is ignored
    assert _identical(tmp_path, "{httpGet: {port: 80}}",
                      "{httpGet: {port: 80, path: /, scheme: HTTP}, periodSeconds: 10, timeoutSeconds: 0, "
                      "failureThreshold: 3, initialDelaySeconds: 0}") == ["STS304"]
    assert _identical(tmp_path, "{exec: {command: [a]}, successThreshold: 3}", "{exec: {command: [a]}}") == ["STS304"]
    assert _identical(tmp_path, "{grpc: {port: 9000}}", "{grpc: {port: 9000, service: ''}}") == ["STS304"]


def test_probes_that_differ_in_a_handler_or_a_timing_are_not_identical(tmp_path):
    assert _identical(tmp_path, "{tcpSocket: {port: 80}}", "{tcpSocket: {port: 80}, failureThreshold: 6}") == []
    assert _identical(tmp_path, "{tcpSocket: {port: 80}}", "{tcpSocket: {port: 81}}") == []
    assert _identical(tmp_path, "{httpGet: {port: 80, path: /ready}}", "{httpGet: {port: 80, path: /live}}") == []
    assert _identical(tmp_path, "{httpGet: {port: 80}}", "{tcpSocket: {port: 80}}") == []
    # ports as written: a named port is not compared with its number
    assert _identical(tmp_path, "{tcpSocket: {port: 80}}", "{tcpSocket: {port: http}}") == []


def test_a_probe_without_a_handler_is_never_identical(tmp_path):
    assert _identical(tmp_path, "{periodSeconds: 5}", "{periodSeconds: 5}") == []
    assert _identical(tmp_path, "{tcpSocket: {port: 80}, exec: {command: [a]}}",
                      "{tcpSocket: {port: 80}, exec: {command: [a]}}") == []  # two handlers: the API rejects it


def test_identical_probes_of_a_native_sidecar_are_reported_and_of_an_init_container_not(tmp_path):
    sidecar = ("initContainers:\n- name: proxy\n  image: envoy:1\n  restartPolicy: Always\n"
               "  readinessProbe: {tcpSocket: {port: 9901}}\n  livenessProbe: {tcpSocket: {port: 9901}}\n")
    different = "{tcpSocket: {port: 80}}", "{tcpSocket: {port: 80}, failureThreshold: 6}"
    assert _identical(tmp_path, *different, pod=sidecar) == ["STS304"]
    init = sidecar.replace("  restartPolicy: Always\n", "")
    assert _identical(tmp_path, *different, pod=init) == []  # STS305 reports those probes


def test_init_container_probes_are_sts305_at_each_probe_key_whatever_they_hold(tmp_path):
    pod = ("initContainers:\n- name: init\n  image: busybox\n  readinessProbe: {}\n  livenessProbe: 5\n"
           "  startupProbe: {exec: {command: [true]}}\n  lifecycle: null\n")
    report = _probes(tmp_path, "- name: app\n  image: nginx:1.25\n  readinessProbe: {tcpSocket: {port: 80}}\n"
                     "  livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}", pod=pod)
    assert triples(report) == [("STS305", 23, 9), ("STS305", 24, 9), ("STS305", 25, 9)]
    assert all("init container \"init\"" in f["message"] for f in report["findings"])
    null = pod.replace("  readinessProbe: {}\n  livenessProbe: 5\n", "  readinessProbe:\n")
    assert [c for c, _, _ in triples(_probes(tmp_path, "- name: app\n  image: nginx:1.25\n  readinessProbe: "
                                             "{tcpSocket: {port: 80}}\n  livenessProbe: {tcpSocket: {port: 80}, "
                                             "failureThreshold: 6}", pod=null))] == ["STS305"]  # null: absent

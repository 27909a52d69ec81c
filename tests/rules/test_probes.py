"""STS301-STS303: probes of regular containers; init containers and sidecars are never required."""
from __future__ import annotations

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.rules.helpers import codes, run, service, sts

NO_PROBES = "- name: app\n  image: nginx:1.25"


def test_container_without_probes_gets_both_at_its_name(tmp_path):
    assert run(tmp_path, sts(containers=NO_PROBES), service()) == [
        ("STS301", "main.yaml", 16), ("STS302", "main.yaml", 16)]


def test_startup_probe_replaces_neither(tmp_path):
    containers = NO_PROBES + "\n  startupProbe: {tcpSocket: {port: 80}}"
    assert codes(tmp_path, sts(containers=containers), service()) == ["STS301", "STS302"]


def test_init_containers_and_sidecars_are_never_required(tmp_path):
    extra = ("  initContainers:\n  - name: init\n    image: busybox\n"
             "  - name: proxy\n    image: envoy:1\n    restartPolicy: Always\n")
    containers = "- name: app\n  image: nginx:1.25\n  readinessProbe: {exec: {command: [true]}}\n" \
                 "  livenessProbe: {exec: {command: [true]}}\n" + extra
    assert codes(tmp_path, sts(containers=containers), service()) == []


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

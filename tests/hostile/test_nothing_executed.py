"""Nothing in a manifest is ever executed, fetched or expanded: a run over manifests full of
commands, URLs, variables and paths opens no socket, starts no process, expands nothing from the
environment and reads no file but the ones it was given."""
from __future__ import annotations

import builtins
import os
import socket
import subprocess

import pytest

from tests.conftest import check_json

MANIFESTS = {
    "sts.yaml": """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${NAME}
  annotations: {note: "$(cat /etc/passwd)"}
spec:
  serviceName: $HOME
  selector: {matchLabels: {app: "`id`"}}
  template:
    metadata: {labels: {app: "`id`"}}
    spec:
      containers:
        - name: app
          image: ~/image
          command: ["/bin/sh", "-c", "touch {canary}"]
          readinessProbe: {exec: {command: [touch, "{canary}"]}, httpGet: {host: example.com, port: http}}
          volumeMounts: [{name: "%(x)s", mountPath: "~root"}]
  volumeClaimTemplates:
    - metadata: {name: "{{ .Values.name }}"}
      spec: {storageClassName: "file:///etc/passwd"}
""",
    "kustomization.yaml": """\
resources:
  - https://github.com/example/base?ref=v1
  - git@github.com:example/base.git
  - ssh://example.com/base
patchesStrategicMerge: [$HOME/patch.yaml, ~/patch.yaml, /etc/passwd, "../../../../etc/shadow"]
patches:
  - path: ${PATCH}
  - patch: "touch {canary}"
helmCharts: [{name: x, repo: "https://charts.example.com"}]
""",
    "url.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: https://example.com/svc.yaml}\nspec: {}\n",
}


def test_a_run_opens_no_socket_starts_no_process_and_reads_only_its_files(tmp_path, monkeypatch):
    canary = tmp_path / "pwned"
    for name, text in MANIFESTS.items():
        (tmp_path / name).write_text(text.replace("{canary}", str(canary)))
    monkeypatch.setenv("NAME", "expanded")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATCH", "patch.yaml")
    calls: list[str] = []

    def forbidden(what: str):
        def record(*args, **kwargs):
            calls.append(what)
            raise AssertionError(f"{what} called while linting")
        return record

    for target, name in [(socket, "socket"), (socket, "create_connection"), (socket, "getaddrinfo"),
                         (subprocess, "Popen"), (os, "system"), (os, "popen"), (os, "execv"), (os, "execvp"),
                         (os, "fork"), (os.path, "expandvars"), (os.path, "expanduser")]:
        monkeypatch.setattr(target, name, forbidden(f"{target.__name__}.{name}"))
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def record_open(file, *args, **kwargs):
        opened.append(os.fsdecode(file) if isinstance(file, (str, bytes, os.PathLike)) else str(file))
        return real_open(file, *args, **kwargs)

    def record_os_open(path, *args, **kwargs):
        opened.append(os.fsdecode(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", record_open)
    monkeypatch.setattr(os, "open", record_os_open)
    report = check_json(str(tmp_path), extra=("--isolated",))
    assert calls == []
    assert not canary.exists()
    manifests = {str(tmp_path / name) for name in MANIFESTS}
    read = {path for path in opened if not path.endswith((".py", ".pyc")) and "site-packages" not in path}
    assert read == manifests, read ^ manifests
    # the values are linted as the literal text they are
    messages = " ".join(f["message"] for f in report["findings"])
    assert 'StatefulSet "${NAME}"' in messages and 'no Service "$HOME"' in messages
    assert report["exit_code"] == 1


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/apply:subprocess.call",
                                 "!!python/object/new:type", "!!python/name:builtins.exec"])
def test_object_tags_never_reach_a_constructor(tmp_path, monkeypatch, tag):
    import yaml.constructor

    def refuse(*args, **kwargs):
        raise AssertionError("a Python object constructor was called")

    for name in ("construct_python_object_apply", "construct_python_object_new", "construct_python_name"):
        monkeypatch.setattr(yaml.constructor.FullConstructor, name, refuse, raising=False)
        monkeypatch.setattr(yaml.constructor.UnsafeConstructor, name, refuse, raising=False)
    (tmp_path / "tag.yaml").write_text(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {tag} [x]\n")
    report = check_json(str(tmp_path / "tag.yaml"), extra=("--isolated",))
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("STS001", 4, 9)]

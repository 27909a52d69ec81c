"""Property tests: whatever the bytes, stslint never raises and exits 0 or 1.

Random YAML and JSON documents shaped like the objects stslint reads, and random mutations (byte
flips, truncation, indentation changes, inserted YAML tokens) of the fixtures and the shared corpus,
are linted through the command line in-process in every output format.

The default run is short. For a long one: STSLINT_PROPERTY_EXAMPLES=5000 python -m pytest
tests/hostile/test_properties.py
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, FIXTURES
from stslint.cli import cli
from stslint.reporting import FORMATS

EXAMPLES = int(os.environ.get("STSLINT_PROPERTY_EXAMPLES", "40"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

SEEDS = sorted(
    [p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    + ([p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.stat().st_size < 100_000]
       if CORPUS.is_dir() else [])
)
"""Files to mutate: the fixtures and the shared corpus (small files, to keep examples fast)."""


def lint_files(files: dict[str, bytes], output_format: str, extra: tuple[str, ...] = ()) -> int:
    """Lint ``files`` (name to content) as one directory run through the CLI; its exit code. Any
    exception escapes (``catch_exceptions=False``) and fails the test."""
    with tempfile.TemporaryDirectory() as directory:
        for name, data in files.items():
            (Path(directory) / name).write_bytes(data)
        result = CliRunner().invoke(cli, ["check", "--isolated", "--format", output_format, "--select", "ALL",
                                          *extra, directory], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output[-2000:]
    return result.exit_code


# --- random documents shaped like the objects stslint reads -------------------------------------

KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec", "serviceName",
        "selector", "matchLabels", "matchExpressions", "key", "operator", "values", "template", "containers",
        "initContainers", "ports", "containerPort", "readinessProbe", "livenessProbe", "startupProbe", "httpGet",
        "tcpSocket", "port", "volumeMounts", "volumeDevices", "volumes", "volumeClaimTemplates",
        "storageClassName", "persistentVolumeClaimRetentionPolicy", "whenDeleted", "whenScaled", "clusterIP",
        "clusterIPs", "type", "reclaimPolicy", "persistentVolumeReclaimPolicy", "items", "restartPolicy", "image",
        "patchesStrategicMerge", "patches", "path", "stslint.io/ignore", "app", "<<", "replicas", "In", "Delete"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
    st.sampled_from(KEYS + ["None", "Retain", "apps/v1", "apps/v1beta1", "v1", "StatefulSet", "Service",
                            "StorageClass", "PersistentVolume", "List", "Always", "web", "db", "STS101", "ALL",
                            "", "{{ .Values.x }}", "${VAR}", "../x.yaml", "/etc/passwd", "a\0b", "\u202e"]),
    st.text(max_size=20),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(KEYS), SCALARS), children, max_size=5)),
    max_leaves=40,
)


@st.composite
def objects(draw: st.DrawFn) -> dict:
    """A mapping with an apiVersion and kind stslint reads, and random fields below."""
    kind, api = draw(st.sampled_from([("StatefulSet", "apps/v1"), ("StatefulSet", "apps/v1beta1"), ("Service", "v1"),
                                      ("StorageClass", "storage.k8s.io/v1"), ("PersistentVolume", "v1"),
                                      ("List", "v1"), ("Kustomization", "kustomize.config.k8s.io/v1beta1")]))
    obj = {"apiVersion": api, "kind": kind, "metadata": draw(st.one_of(VALUES, st.fixed_dictionaries(
        {"name": st.sampled_from(["web", "db", 42, None]), "annotations": VALUES})))}
    spec = draw(st.fixed_dictionaries({}, optional={key: VALUES for key in KEYS[7:45]}))
    obj["spec"] = draw(st.one_of(st.just(spec), VALUES))
    if kind == "List":
        obj["items"] = draw(st.lists(st.deferred(objects), max_size=3))
    return obj


def dump(documents: list, style: str) -> bytes:
    """Documents as YAML (block or flow style, with anchors for shared values) or as a JSON stream
    (the objects one after another, as kubectl reads a text that starts with ``{``)."""
    if style == "json":
        return "\n".join(json.dumps(d, default=str) for d in documents).encode()
    return yaml.safe_dump_all(documents, default_flow_style=style == "flow", allow_unicode=True).encode()


@PROPERTY
@given(documents=st.lists(objects(), min_size=1, max_size=4), style=st.sampled_from(["block", "flow", "json"]),
       output_format=st.sampled_from(sorted(FORMATS)))
def test_random_documents_never_crash(documents, style, output_format):
    shared = documents[0]
    documents.append({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": shared.get("metadata"),
                      "spec": {"template": shared, "selector": shared, "serviceName": shared}})
    try:
        data = dump(documents, style)
    except (ValueError, yaml.YAMLError):  # e.g. JSON cannot hold what YAML can
        return
    lint_files({f"docs.{'json' if style == 'json' else 'yaml'}": data}, output_format)


# --- mutations of real manifests -----------------------------------------------------------------

TOKENS = [b"{{ .Values.x }}", b"{%", b"&a ", b"*a", b"<<: *a\n", b"\n---\n", b"!!python/object/apply:os.system [x]",
          b"\t", b"\0", b": ", b"- ", b'"', b"'", b"[", b"]{", b"? ", b"|\n", b"%YAML 1.1\n", b"\xef\xbb\xbf",
          b"\xff\xfe", b"\r", b"# stslint: disable-line=STS301\n", b"null", b"~", b"yes", b"0x" + b"f" * 20]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture or corpus file with a few random mutations."""
    path = draw(st.sampled_from(SEEDS))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["flip", "truncate", "indent", "dedent", "insert", "delete-line", "repeat-line"]))
        if how == "flip" and data:
            data[where] = draw(st.integers(0, 255))
        elif how == "truncate":
            del data[where:]
        elif how in ("indent", "dedent", "delete-line", "repeat-line"):
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if how == "indent":
                lines[index] = b" " * draw(st.integers(1, 4)) + lines[index]
            elif how == "dedent":
                lines[index] = lines[index][draw(st.integers(1, 4)):] if lines[index].startswith(b" ") else lines[index]
            elif how == "delete-line":
                del lines[index]
            else:
                lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        elif how == "insert":
            data[where:where] = draw(st.sampled_from(TOKENS))
    return path.name, bytes(data)


@pytest.mark.skipif(not SEEDS, reason="no fixtures or corpus files to mutate")
@PROPERTY
@given(files=st.lists(mutated(), min_size=1, max_size=3), output_format=st.sampled_from(sorted(FORMATS)))
def test_mutated_fixtures_and_corpus_files_never_crash(files, output_format):
    named = {f"{index}-{name}": data for index, (name, data) in enumerate(files)}
    lint_files(named, output_format)


@PROPERTY
@given(data=st.binary(max_size=300), output_format=st.sampled_from(["text", "json"]))
def test_arbitrary_bytes_never_crash(data, output_format):
    lint_files({"x.yaml": data, "kustomization.yaml": data}, output_format)

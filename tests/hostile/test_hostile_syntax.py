"""Templates, tags, merge keys, anchors, odd keys and YAML 1.1 scalars: what is valid YAML is linted
correctly, what is not gets a located one-line STS001, and no tag ever constructs anything."""
from __future__ import annotations

from tests.hostile.hostile_helpers import GOOD, assert_good_linted, run_limited, write_good

INVALID = {
    "helm.yaml": ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n"
                  "  {{- if .Values.persistence }}\n  serviceName: x\n  {{- end }}\n", (4, 10),
                  "a mapping or list cannot be a mapping key (a Go/Helm template such as {{ .Value }}?)"),
    "helm-block.yaml": ("apiVersion: v1\nkind: Service\n{{- if .Values.enabled }}\nspec: {}\n{{- end }}\n", (3, 1),
                        "could not find expected ':' (a Go/Helm template?)"),
    "quoted-template.yaml": ('kind: ConfigMap\ndata:\n  a: "{{ x }}"\n  b: [\n', (5, 1), "did not find expected node content"),
    "jinja.yaml": ("apiVersion: v1\nkind: Service\nmetadata:\n  name: {% if prod %}web{% endif %}\n", (4, 9),
                   "found character that cannot start any token (a Jinja template?)"),
    "comments.json": ('{\n  // the service\n  "apiVersion": "v1",\n  "kind": "Service"\n}\n', (2, 3),
                      "a // or /* comment, which neither JSON nor YAML has (YAML comments start with #)"),
    "block-comment.json": ('[\n/* patch */\n{"op": "remove", "path": "/spec"}\n]\n', (2, 1),
                           "a // or /* comment, which neither JSON nor YAML has (YAML comments start with #)"),
    "tab.yaml": ("apiVersion: v1\nkind: Service\nspec:\n\tclusterIP: None\n", (4, 1),
                 "a tab character where YAML forbids one (indent with spaces)"),
    "cross-document.yaml": ("apiVersion: v1\nkind: Service\nmetadata: &meta {name: a}\n---\napiVersion: v1\n"
                            "kind: Service\nmetadata: *meta\n", (7, 11), "undefined alias *meta"),
    "merge-scalar.yaml": ("a: &a 1\nb:\n  <<: *a\n", (3, 3), "a merge key (<<) must name a mapping or a list of mappings"),
}
TAGS = {
    "apply.yaml": "a: !!python/object/apply:os.system ['touch {canary}']\n",
    "new.yaml": "a: !!python/object/new:os.system ['touch {canary}']\n",
    "name.yaml": "a: !!python/name:os.system\n",
    "module.yaml": "a: !!python/module:os\n",
    "object.yaml": "a: !!python/object:subprocess.Popen {{args: ['touch', '{canary}']}}\n",
    "verbatim.yaml": "a: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {canary}']\n",
    "directive.yaml": "%TAG !py! tag:yaml.org,2002:python/\n---\na: !py!object/apply:os.system ['touch {canary}']\n",
    "sequence.yaml": "a: !!python/tuple [1, 2]\n",
    # a local tag is refused in what could be a Kubernetes object (in a playbook it is skipped with its document)
    "custom.yaml": "a: !Ref MyBucket\nkind: ConfigMap\n",
    "include.yaml": "a: !include /etc/passwd\nkind: ConfigMap\n",
    "local.yaml": "a: !!str ok\nb: !foo {{x: 1}}\nkind: ConfigMap\n",
}
TAG_POSITIONS = {"directive.yaml": (3, 4), "local.yaml": (2, 4)}


def test_templates_comments_and_broken_structure_are_located_input_errors(tmp_path):
    for name, (text, _, _) in INVALID.items():
        (tmp_path / name).write_text(text)
    good = write_good(tmp_path)
    run = run_limited(*INVALID, good.name, cwd=tmp_path)
    assert run.exit_code == 1
    for name, (_, where, message) in INVALID.items():
        assert run.at(name) == [("STS001", *where)], name
        assert run.messages(name) == [message], name
    assert_good_linted(run, good)


def test_tags_that_could_construct_objects_are_refused_at_the_tag_and_never_run(tmp_path):
    canary = tmp_path / "pwned"
    for name, text in TAGS.items():
        (tmp_path / name).write_text(text.format(canary=canary))
    good = write_good(tmp_path)
    run = run_limited(*TAGS, good.name, cwd=tmp_path)
    assert run.exit_code == 1
    for name in TAGS:
        assert run.at(name) == [("STS001", *TAG_POSITIONS.get(name, (1, 4)))], name
        assert run.messages(name)[0].startswith("unsupported YAML tag !"), name
        assert "(only YAML 1.1's own tags are read)" in run.messages(name)[0]
    assert not canary.exists()
    assert_good_linted(run, good)


VALID = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${NAME}
  labels: &labels
    app: web
    on: yes
spec:
  serviceName: $(SERVICE)
  selector:
    matchLabels:
      <<: *labels
  template:
    metadata:
      labels:
        <<: *labels
        2: two
        null: nothing
    spec:
      containers:
        - &app
          name: app
          image: ${IMAGE:-nginx}
          readinessProbe: {tcpSocket: {port: 80}}
          livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}
        - <<: *app
          name: sidecar
"""


def test_valid_yaml_with_variables_merge_keys_and_odd_keys_is_linted_as_written(tmp_path):
    (tmp_path / "valid.yaml").write_text(VALID)
    run = run_limited("valid.yaml", cwd=tmp_path, env={"NAME": "expanded", "SERVICE": "web", "IMAGE": "evil"})
    assert run.exit_code == 1
    # nothing expanded from the environment: no Service "$(SERVICE)" exists
    assert run.messages("valid.yaml")[0].startswith('StatefulSet "${NAME}": no Service "$(SERVICE)"')
    # YAML 1.1: `on: yes` is a boolean key and value; kubectl makes every key a JSON string, so the
    # keys `on`, `2` and `null` are the labels "true", "2" and "null" — only the boolean value `yes`
    # is a wrong type, reported once where it is merged in, however many rules read the labels (the
    # StatefulSet's own labels are read by none)
    assert run.at("valid.yaml") == [("STS102", 9, 3), ("STS006", 12, 7), ("STS006", 16, 9)]
    assert run.messages("valid.yaml")[1:] == [
        f'StatefulSet "${{NAME}}": spec.{path}.true must be a string (quote it), not boolean True'
        for path in ("selector.matchLabels", "template.metadata.labels")]


KUSTOMIZE = {
    "kustomization.yaml": ("resources: [sts.yaml, https://github.com/example/base?ref=v1]\n"
                           "patchesStrategicMerge: [patch.yaml, 'nul\\0.yaml', '$HOME/x.yaml', '~/y.yaml']\n"
                           "patchesJson6902:\n  - target: {kind: StatefulSet, name: web}\n    path: ops.json\n"),
    "patch.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n",
    "ops.json": '[{"op": "replace", "path": "/spec/serviceName", "value": "web"}]\n',
    "sts.yaml": GOOD,
}


def test_a_kustomization_with_patches_and_remote_bases_is_read_locally(tmp_path):
    from stslint.render.engines import kustomize_available

    for name, text in KUSTOMIZE.items():
        (tmp_path / name).write_text(text)
    run = run_limited(".", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at("sts.yaml") == [("STS302", 16, 11)]
    # patches are no objects; the URL is not fetched: with a kustomize engine installed the overlay is
    # refused before the engine runs (an input error at the entry), and its files are linted as they are
    expected = ["kustomization.yaml", "sts.yaml"] if kustomize_available() else ["sts.yaml"]
    assert [f.file for f in run.lines] == expected
    if kustomize_available():
        assert run.at("kustomization.yaml") == [("STS001", 1, 23)]  # at the URL

"""Aliases and merge keys: a finding about an aliased or merged item (container, claim template,
volumeMount, template, list) points where the item is used — the alias item, or the key whose value
the alias is — never inside the anchor, which may be another object; the stslint.io/ignore
annotation covers its own object's findings, wherever they point."""
from __future__ import annotations

from tests.conftest import check_json

SHARED = """\
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: a}
  spec: &spec
    serviceName: a
    selector: {matchLabels: {app: a}}
    template: &tmpl
      metadata: {labels: {app: a}}
      spec:
        containers: &list
        - &c {name: c, image: x, volumeMounts: [&m {name: nope, mountPath: /x}]}
    volumeClaimTemplates: [&claim {metadata: {name: data}}]
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: b}
  spec:
    serviceName: a
    selector: {matchLabels: {app: a}}
    template:
      metadata: {labels: {app: a}}
      spec:
        containers:
        - *c
        - {name: d, image: x, readinessProbe: {httpGet: {port: http}}, livenessProbe: {}, volumeMounts: [*m]}
    volumeClaimTemplates: [*claim]
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: c}
  spec:
    serviceName: a
    selector: {matchLabels: {app: a}}
    template:
      metadata: {labels: {app: a}}
      spec:
        containers: *list
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: d}
  spec:
    <<: *spec
    volumeClaimTemplates: []
"""


def findings(tmp_path, text: str, *extra: str) -> list[tuple[str, str, int, int]]:
    (tmp_path / "list.yaml").write_text(text)
    # the four StatefulSets share one selector (STS608: tests/rules/test_overlap.py follows it through aliases)
    report = check_json("list.yaml", extra=("--isolated", "--ignore", "STS102,STS608", *extra), cwd=tmp_path)
    return [(f["code"], f["object"], f["line"], f["column"]) for f in report["findings"]]


def test_aliased_items_are_located_where_each_object_uses_them(tmp_path):
    assert findings(tmp_path, SHARED) == [
        # a: the anchors are its own fields
        ("STS301", "StatefulSet/a", 14, 15), ("STS302", "StatefulSet/a", 14, 15),
        ("STS405", "StatefulSet/a", 14, 53),
        ("STS404", "StatefulSet/a", 15, 47), ("STS406", "StatefulSet/a", 15, 47),
        # b: an aliased container (*c), an aliased volumeMount (*m), an aliased claim template (*claim)
        ("STS301", "StatefulSet/b", 26, 11), ("STS302", "StatefulSet/b", 26, 11),
        ("STS405", "StatefulSet/b", 26, 11),
        ("STS303", "StatefulSet/b", 27, 64), ("STS306", "StatefulSet/b", 27, 72),  # livenessProbe: {}
        ("STS405", "StatefulSet/b", 27, 106),
        ("STS404", "StatefulSet/b", 28, 28), ("STS406", "StatefulSet/b", 28, 28),
        # c: an aliased list of containers, at its containers: key
        ("STS301", "StatefulSet/c", 38, 9), ("STS302", "StatefulSet/c", 38, 9),
        ("STS405", "StatefulSet/c", 38, 9),
        # d: a spec merged in (<<: *spec), at the << key
        ("STS301", "StatefulSet/d", 43, 5), ("STS302", "StatefulSet/d", 43, 5),
        ("STS405", "StatefulSet/d", 43, 5),
    ]


def test_an_aliased_template_and_wrong_types_inside_aliased_items(tmp_path):
    text = SHARED.replace("{name: c, image: x,", "{name: c, image: x, ports: 80,").replace(
        "    volumeClaimTemplates: []\n", "    volumeClaimTemplates: []\n    template: *tmpl\n")
    found = findings(tmp_path, text, "--select", "STS006,STS302,STS303")  # STS303 reads ports
    assert found == [
        ("STS302", "StatefulSet/a", 14, 15), ("STS006", "StatefulSet/a", 14, 41),
        ("STS006", "StatefulSet/b", 26, 11), ("STS302", "StatefulSet/b", 26, 11),
        ("STS303", "StatefulSet/b", 27, 64),
        ("STS006", "StatefulSet/c", 38, 9), ("STS302", "StatefulSet/c", 38, 9),
        # d's own template: key holds the alias (and overrides the merged one)
        ("STS006", "StatefulSet/d", 45, 5), ("STS302", "StatefulSet/d", 45, 5),
    ]


def test_the_annotation_covers_its_own_object_wherever_its_findings_point(tmp_path):
    b_ignores = SHARED.replace("metadata: {name: b}",
                               'metadata: {name: b, annotations: {stslint.io/ignore: "STS301,STS404"}}')
    found = findings(tmp_path, b_ignores)
    assert [f for f in found if f[0] in ("STS301", "STS404")] == [
        ("STS301", "StatefulSet/a", 14, 15), ("STS404", "StatefulSet/a", 15, 47),
        ("STS301", "StatefulSet/c", 38, 9), ("STS301", "StatefulSet/d", 43, 5)]
    a_ignores = SHARED.replace("metadata: {name: a}",
                               'metadata: {name: a, annotations: {stslint.io/ignore: "STS301,STS404"}}')
    found = findings(tmp_path, a_ignores)
    assert [f for f in found if f[0] in ("STS301", "STS404")] == [
        ("STS301", "StatefulSet/b", 26, 11), ("STS404", "StatefulSet/b", 28, 28),
        ("STS301", "StatefulSet/c", 38, 9), ("STS301", "StatefulSet/d", 43, 5)]


def test_the_annotation_of_one_definition_does_not_cover_another_in_the_same_file(tmp_path):
    sts = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n{annotations}spec:\n"
           "  serviceName: web\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n"
           "    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: app, image: x}}]\n")
    annotated = sts.format(annotations='  annotations: {stslint.io/ignore: "STS301,STS302"}\n')
    # three definitions of StatefulSet/web: only the second, annotated one, is suppressed
    text = sts.format(annotations="") + "---\n" + annotated + "---\n" + sts.format(annotations="")
    assert [f for f in findings(tmp_path, text) if f[0] != "STS007"] == [
        ("STS301", "StatefulSet/web", 11, 21), ("STS302", "StatefulSet/web", 11, 21),
        ("STS301", "StatefulSet/web", 36, 21), ("STS302", "StatefulSet/web", 36, 21)]


def test_an_unused_annotation_in_aliased_annotations_points_at_its_object(tmp_path):
    text = SHARED.replace("metadata: {name: a}", 'metadata: {name: a, annotations: &ann {stslint.io/ignore: STS501}}') \
        .replace("metadata: {name: b}", "metadata: {name: b, annotations: *ann}")
    found = findings(tmp_path, text, "--extend-select", "STS005")
    # a's at the annotation's value; b's at its annotations: key, whose value is the alias
    assert [f for f in found if f[0] == "STS005"] == [("STS005", "StatefulSet/a", 6, 61),
                                                      ("STS005", "StatefulSet/b", 18, 23)]

"""Schema errors mapped to the failing field: a wrong value at its key, a list item at the item, a
missing field at its nearest existing ancestor's key, through aliases at the place of use; one
finding per failing field."""
from __future__ import annotations

from stslint.loading.yamlload import load_text
from stslint.policy.locate import dotted, field_span
from tests.policy.helpers import STS, check, findings, messages, policy


def root_of(text: str):
    return load_text(text).documents[0].root


def position(text: str, path: tuple, *, missing: bool = False) -> tuple[int, int]:
    return field_span(root_of(text), path, missing=missing)[:2]


def test_a_wrong_value_is_reported_at_its_key():
    assert position(STS, ("spec", "replicas")) == (10, 3)
    assert position(STS, ("spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage")) == (45, 13)


def test_a_list_item_is_reported_at_the_item():
    column = STS.splitlines()[28].index("7]") + 1
    assert position(STS, ("spec", "template", "spec", "containers", 0, "args", 2)) == (29, column)
    assert position(STS, ("spec", "template", "spec", "containers", 0, "args", 0)) == (29, 18)


def test_a_missing_field_is_reported_at_its_nearest_existing_ancestor():
    assert position(STS, (), missing=True) == (2, 1)  # a top-level field: kind:
    assert position(STS, ("spec",), missing=True) == (8, 1)
    assert position(STS, ("spec", "template", "spec", "containers", 0), missing=True) == (27, 11)  # name:
    assert position(STS, ("spec", "volumeClaimTemplates", 0), missing=True) == (40, 9)  # metadata.name
    assert position(STS, ("spec", "volumeClaimTemplates", 0, "spec", "resources"), missing=True) == (43, 9)
    # a path that stops existing half-way: the last key that exists
    assert position(STS, ("spec", "template", "spec", "securityContext", "runAsUser")) == (16, 5)


def test_an_unnamed_list_item_missing_a_field_is_reported_at_the_item():
    text = "apiVersion: v1\nkind: X\nitems:\n  - a: 1\n"
    assert position(text, ("items", 0), missing=True) == (4, 5)


ALIASED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
x-base: &base
  name: shared
  image: postgres:16
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - *base
        - <<: *base
          name: second
"""


def test_through_an_alias_the_place_of_use_is_reported():
    assert position(ALIASED, ("spec", "template", "spec", "containers", 0, "image")) == (15, 11)  # the *base item
    assert position(ALIASED, ("spec", "template", "spec", "containers", 0), missing=True) == (15, 11)
    assert position(ALIASED, ("spec", "template", "spec", "containers", 1, "image")) == (16, 11)  # the << key
    assert position(ALIASED, ("spec", "template", "spec", "containers", 1, "name")) == (17, 11)


def test_paths_as_text():
    assert dotted(("spec", "template", "spec", "containers", 0, "image")) == "spec.template.spec.containers[0].image"
    assert dotted(("metadata", "labels", "app.kubernetes.io/name")) == 'metadata.labels["app.kubernetes.io/name"]'
    assert dotted(()) == ""


REQUIRES = "target: containers\nschema:\n  required: [image, resources, ports]\n"


def test_one_finding_per_missing_field(tmp_path):
    run = check(tmp_path, {"policy.yaml": policy(REQUIRES), "sts.yaml": STS})
    assert findings(run) == [("ACME101", 27, 11), ("ACME101", 27, 11)]
    assert sorted(messages(run)) == [
        'StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].ports is missing)',
        'StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].resources is missing)']


def test_errors_on_one_field_make_one_finding(tmp_path):
    body = "target: containers\nschema:\n  properties:\n    image: {pattern: '^r/', maxLength: 3, not: {const: x}}\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert findings(run) == [("ACME101", 28, 11)]


def test_unexpected_keys_are_each_reported_at_their_key(tmp_path):
    body = ("target: containers\nschema:\n  properties: {name: {}, image: {}}\n  patternProperties: {'^volume': {}}\n"
            "  additionalProperties: false\n")
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert findings(run) == [("ACME101", 29, 11)]  # args; volumeMounts matches the pattern
    assert messages(run) == ['StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].args is '
                             '["-c", "max_connections=100", 7])']


def test_a_nested_array_item_with_the_object_target(tmp_path):
    body = ("schema:\n  properties:\n    spec:\n      properties:\n        template:\n          properties:\n"
            "            spec:\n              properties:\n                containers:\n"
            "                  items:\n                    properties:\n                      args:\n"
            "                        items: {type: string}\n")
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    column = STS.splitlines()[28].index("7]") + 1
    assert findings(run) == [("ACME101", 29, column)]
    assert messages(run) == ['StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].args[2] is 7)']


def test_aliased_containers_are_judged_where_they_are_used(tmp_path):
    body = "target: containers\nschema:\n  properties:\n    image: {pattern: '^registry/'}\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": ALIASED})
    assert findings(run) == [("ACME101", 15, 11), ("ACME101", 16, 11)]

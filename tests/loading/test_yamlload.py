"""The positioned YAML loader: values, spans, aliases, merge keys, tags and errors."""
from __future__ import annotations

import pytest

from stslint.loading import yamlload
from stslint.loading.yamlload import LoadError, load_text


def only(text: str):
    docs = load_text(text).documents
    assert len(docs) == 1
    return docs[0].root


def test_key_and_value_spans_are_one_based_token_starts():
    root = only('apiVersion: apps/v1\nspec:\n  "serviceName": web\n')
    assert root.key_span("apiVersion")[:2] == (1, 1)
    assert root.value_span("apiVersion")[:2] == (1, 13)
    spec = root["spec"]
    assert spec.key_span("serviceName")[:2] == (3, 3)  # the opening quote of a quoted key
    assert spec.value_span("serviceName") == (3, 18, 3, 21, 43, 46)  # with code-point offsets


def test_sequence_items_have_spans():
    root = only("containers:\n- name: a\n-   name: b\n")
    items = root["containers"]
    assert items.item_span(0)[:2] == (2, 3)
    assert items[1].key_span("name")[:2] == (3, 5)


def test_yaml_1_1_scalars_as_kubernetes_reads_them():
    root = only("a: on\nb: yes\nc: 0644\nd: 1_000\ne: ~\nf: '1'\ng: 2001-12-14\nh: 1.5\ni: 0x1F\n")
    assert root == {"a": True, "b": True, "c": 420, "d": 1000, "e": None, "f": "1", "g": "2001-12-14",
                    "h": 1.5, "i": 31}


def test_y_and_n_are_booleans_as_kubernetes_reads_them():
    assert only("a: y\nb: N\nc: 'y'\nd: yes\ne: yEs\n") == {"a": True, "b": False, "c": "y", "d": True, "e": "yEs"}


def test_keys_become_strings_as_kubectl_makes_them():
    root = only("on: push\n1: one\ntrue: yes\nnull: x\n1.0: f\n")
    assert root == {"true": True, "1": "f", "null": "x"}  # `on`/`true` and `1`/`1.0` are the same JSON key
    assert load_text("1: a\ntrue: b\n").duplicate_keys == []  # 1 and true are two keys, not a duplicate


def test_alias_gets_the_position_where_it_is_used():
    root = only("a: &name web\nspec:\n  serviceName: *name\n")
    assert root["spec"]["serviceName"] == "web"
    assert root["spec"].key_span("serviceName")[:2] == (3, 3)
    assert root["spec"].value_span("serviceName")[:2] == (3, 16)


def test_merge_keys_are_located_at_the_merge_key():
    root = only("base: &b\n  app: db\n  tier: data\nlabels:\n  <<: *b\n  tier: cache\n")
    labels = root["labels"]
    assert labels == {"app": "db", "tier": "cache"}
    assert labels.key_span("app")[:2] == (5, 3)  # merged: the << key
    assert labels.key_span("tier")[:2] == (6, 3)  # explicit keys win
    assert labels.merged("app") and not labels.merged("tier")  # flagged: a fix never edits through <<


def test_merge_of_a_list_of_mappings():
    root = only("a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n")
    assert root["c"] == {"x": 1, "z": 2}


def test_aliases_are_shared_not_copied():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        lines.append(f"{chr(97 + i % 26)}{i}: &a{i} [{', '.join(['*a' if i == 1 else f'*a{i - 1}'] * 10)}]")
    root = only("\n".join(lines) + "\n")
    assert len(root) == 30  # built in linear time: 10**29 elements were never expanded


def test_recursive_alias_does_not_hang():
    root = only("x: &a [*a]\n")
    assert root["x"][0] is root["x"]


def test_duplicate_keys_are_reported_at_the_repeated_key_and_last_wins():
    loaded = load_text("kind: A\nkind: B\n")
    assert loaded.documents[0].root["kind"] == "B"
    assert loaded.duplicate_keys == [("kind", (2, 1, 2, 5, 8, 12))]


def test_multi_document_indexes_and_empty_documents():
    docs = load_text("---\n# only a comment\n---\na: 1\n---\n").documents
    assert [d.root for d in docs] == [None, {"a": 1}, None]
    assert [d.index for d in docs] == [0, 1, 2]


@pytest.mark.parametrize("text, line, column, words", [
    ("image: {{.Image}}\n", 1, 9, "mapping key"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, 4, "!!python/object/apply:os.system"),
    ("a: !Ref x\nkind: K\n", 1, 4, "!Ref"),
    ("a:\n\tb: 1\n", 2, 1, "tab"),
    ("a: b\n  c: d\n", 2, 4, "mapping values"),
    ("a: *nope\n", 1, 4, "undefined alias"),
    ("a: !!int abc\n", 1, 4, "invalid int"),
    ("k: \x07\n", 1, 4, "control character"),
])
def test_load_errors_carry_position(text, line, column, words):
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert (info.value.code, info.value.line, info.value.column) == ("STS001", line, column)
    assert words in info.value.message


def test_tabs_inside_scalars_and_comments_are_legal():
    root = only("a: 'x\ty'  # a\tcomment\n")
    assert root["a"] == "x\ty"


def test_nesting_limit(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_DEPTH", 5)
    with pytest.raises(LoadError) as info:
        load_text("a: [[[[[[1]]]]]]\n")
    assert "nesting deeper than 5" in info.value.message


def test_json_is_read_with_positions():
    root = only('{\n  "kind": "Service",\n  "spec": {"clusterIP": "None"}\n}\n')
    assert root["spec"]["clusterIP"] == "None"
    assert root.key_span("spec")[:2] == (3, 3)


def test_json_surrogate_pair_escapes_are_the_characters_they_stand_for():
    import json

    data = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "annotations": {"emoji": "😀 x 𝄞"}}}
    text = json.dumps(data)  # ensure_ascii: "\ud83d\ude00"
    assert "\\ud83d" in text
    [doc] = load_text(text).documents
    assert doc.root == data
    assert doc.root["metadata"]["annotations"].value_span("emoji")[4] == text.index('"\\ud83d')


def test_a_surrogate_escape_outside_json_stays_an_error():
    with pytest.raises(LoadError):
        load_text('a: "\\ud83d\\ude00"\n')


@pytest.mark.parametrize("text", [
    "- hosts: all\n  vars:\n    password: !vault |\n      abc\n",  # an Ansible playbook
    "password: !vault |\n  abc\nname: !unsafe x\n",  # Ansible vars
    "!custom scalar\n",
    "- !custom {a: 1}\n",
])
def test_a_local_tag_outside_anything_kubernetes_is_read_as_untagged(text):
    loaded = load_text(text)
    assert len(loaded.documents) == 1


@pytest.mark.parametrize("text, line, column", [
    ("kind: Secret\nstringData: {password: !vault abc}\n", 2, 24),
    ("apiVersion: v1\nvalue: !custom {a: 1}\n", 2, 8),
    ("- apiVersion: v1\n  kind: ConfigMap\n  data: !custom {a: 1}\n", 3, 9),
    ("a: 1\n---\nkind: Secret\nb: !x y\n", 4, 4),  # in the second document, which is the object
])
def test_a_local_tag_in_what_could_be_a_kubernetes_object_is_sts001_at_the_tag(text, line, column):
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert (info.value.code, info.value.line, info.value.column) == ("STS001", line, column)
    assert "unsupported YAML tag !" in info.value.message

"""Which parts of a document are Kubernetes objects."""
from __future__ import annotations

from stslint.loading.yamlload import load_text
from stslint.model.documents import indexable_objects, is_object, non_object_items, objects_of


def root(text: str):
    return load_text(text).documents[0].root


def test_an_object_document_is_its_own_object():
    doc = root("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")
    assert is_object(doc) and list(objects_of(doc)) == [doc]


def test_list_items_are_the_objects_and_aliases_count_once():
    doc = root("apiVersion: v1\nkind: List\nitems:\n- &s {apiVersion: v1, kind: Service}\n- *s\n"
               "- {apiVersion: v1, kind: ConfigMap}\n")
    assert [o["kind"] for o in objects_of(doc)] == ["Service", "ConfigMap"]
    assert list(non_object_items(doc)) == []


def test_non_objects_hold_no_objects():
    assert indexable_objects(root("replicas: 3\n")) == []
    assert indexable_objects(root("- a\n")) == []
    assert indexable_objects(root("apiVersion: v1\nkind: ServiceList\n")) == []


def test_non_object_items_are_located():
    doc = root("apiVersion: v1\nkind: List\nitems:\n- kind: Service\n- [1]\n")
    assert [(span[:2], text) for span, text in non_object_items(doc)] == [
        ((4, 3), "items[0] has kind but no apiVersion"), ((5, 3), "items[1] is a list, not a mapping")]

"""Which StorageClasses a StatefulSet's claim templates may name (STS407): a repository's own list.

A storage rule (STS4xx) of its own module: it reads only the claim templates and the rule's option,
never the StorageClass objects (STS402 judges those).
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.fields import listed
from stslint.model.workloads import ClaimTemplate, StatefulSet
from stslint.rules import object_rule
from stslint.rules.options import Option

LEGACY_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def allowed(name: str, patterns: list[str]) -> bool:
    """Whether the class ``name`` is in the list (names or fnmatch globs); ``""`` only when listed as
    such (a glob such as ``*`` does not allow "no class")."""
    if name == "":
        return "" in patterns
    return any(fnmatchcase(name, pattern) for pattern in patterns)


@object_rule("STS407", "storage-class-not-allowed", "error", view=StatefulSet,
             options=(Option("allowed-storage-classes", "array", [], items="string"),))
def storage_class_not_allowed(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A claim template's StorageClass is not in ``allowed-storage-classes``; runs only when the list
    is configured. The legacy annotation wins over the field, as for STS402; an omitted class is
    STS404's business."""
    patterns = options.get("allowed-storage-classes") or []
    spec = sts.spec() if patterns else None
    if spec is None:
        return
    for index, fields in spec.maps("volumeClaimTemplates"):
        claim = ClaimTemplate.read(fields, index)
        name = claim.class_name
        if name is None or allowed(name, patterns):
            continue  # omitted (STS404), unreadable (STS006), or allowed
        meta = fields.map("metadata")
        annotations = meta.map("annotations") if meta is not None else None
        if annotations is not None and annotations.present(LEGACY_CLASS_ANNOTATION):
            span = annotations.key_span(LEGACY_CLASS_ANNOTATION)
            anchor = f'spec.volumeClaimTemplates[{index}].metadata.annotations["{LEGACY_CLASS_ANNOTATION}"]'
        else:
            claim_spec = fields.map("spec")
            assert claim_spec is not None  # the class was read from it
            span = claim_spec.key_span("storageClassName")
            anchor = f"spec.volumeClaimTemplates[{index}].spec.storageClassName"
        yield sts.finding("STS407", f'StatefulSet "{sts.name}": volumeClaimTemplate "{claim.label}" uses StorageClass '
                          f'"{name}", which is not one of the classes this repository allows ({listed(patterns)})', span, anchor=anchor)

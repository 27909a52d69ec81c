"""Storage rules (STS401-STS404, STS411): what happens to the data when claims or volumes go away."""
from __future__ import annotations

from typing import Any, Iterator, cast

from stslint.findings import Finding, Fix
from stslint.model.entries import MISSING
from stslint.model.fields import Fields
from stslint.model.index import Index
from stslint.model.resource import Resource
from stslint.model.storage import PersistentVolume, StorageClass, StorageClassEntry
from stslint.model.workloads import ClaimTemplate, StatefulSet, StatefulSetEntry
from stslint.rules import index_rule, object_rule
from stslint.rules.options import Option


@object_rule("STS401", "retention-policy-delete", "error", view=StatefulSet)
def retention_policy_delete(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """persistentVolumeClaimRetentionPolicy.whenDeleted/whenScaled is Delete."""
    spec = sts.spec()
    policy = spec.map("persistentVolumeClaimRetentionPolicy") if spec else None
    if policy is None:
        return
    events = {"whenDeleted": "the StatefulSet is deleted", "whenScaled": "the StatefulSet is scaled down"}
    for key, event in events.items():
        if policy.str(key) == "Delete":
            yield sts.finding("STS401", f'StatefulSet "{sts.name}": persistentVolumeClaimRetentionPolicy.{key} is '
                              f"Delete; its PersistentVolumeClaims are deleted when {event}", policy.key_span(key),
                              anchor=f"spec.persistentVolumeClaimRetentionPolicy.{key}",
                              fix=_retain_fix(sts, policy, key))


def _retain_fix(view: Resource, fields: Fields, key: str) -> Fix | None:
    """The safe fix that sets ``key`` from Delete to Retain."""
    if view.source is None:
        return None
    from stslint.edits import make_fix, replace_scalar

    return make_fix(f"Set {key} to Retain", "safe",
                    [replace_scalar(view.source, fields, key, "Retain", view.file, view.source_path)])


def _deletes(storage_class: StorageClassEntry) -> bool:
    return storage_class.reclaim_policy is MISSING or storage_class.reclaim_policy in (None, "Delete")


@index_rule("STS402", "storage-class-reclaim-delete", "error", judges=StatefulSet, reads=StorageClass)
def storage_class_reclaim_delete(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """A claim template's StorageClass, defined in the scanned files, reclaims with Delete."""
    for sts in cast("list[StatefulSetEntry]", index.subjects("StatefulSet")):
        for claim in sts.claims:
            classes = cast("list[StorageClassEntry]", index.named("StorageClass", claim.class_name or "", None))
            readable = [c.readable("reclaim") for c in classes]  # every one: their problems are reported
            if not all(readable):
                continue  # a reclaimPolicy of the wrong type: STS006
            deleting = [c for c in classes if _deletes(c)]
            if not claim.class_name or not deleting:
                continue
            how = ("omits reclaimPolicy (Delete)" if deleting[0].reclaim_policy in (MISSING, None)
                   else "has reclaimPolicy: Delete")
            count = f" ({len(deleting)} of its {len(classes)} definitions)" if len(deleting) < len(classes) else ""
            related = [c.related(c.reclaim_span or c.kind_span,
                                 f'StorageClass "{c.name}" ' + ("has reclaimPolicy: Delete here" if c.reclaim_span
                                                                 and c.reclaim_policy == "Delete"
                                                                 else "omits reclaimPolicy (Delete)"))
                       for c in deleting]
            yield sts.finding("STS402", f'StatefulSet "{sts.name}": volumeClaimTemplate "{claim.label}" uses '
                              f'StorageClass "{claim.class_name}", which {how}{count}; the data is '
                              "destroyed with the claim",
                              claim.span, anchor=claim.anchor, related=related, fix=_class_retain_fix(deleting))


def _class_retain_fix(classes: list[StorageClassEntry]) -> Fix | None:
    """The unsafe fix that sets ``reclaimPolicy: Retain`` on every deleting definition of a class
    (None when one of them cannot be edited)."""
    if any(c.retain_edits is None for c in classes):
        return None
    from stslint.edits import make_fix, record_edit

    return make_fix(f'Set reclaimPolicy: Retain on StorageClass "{classes[0].name}"', "unsafe",
                    [record_edit(record, c.file, c.source_path) for c in classes for record in c.retain_edits])


@object_rule("STS403", "pv-reclaim-delete", "error", view=PersistentVolume)
def pv_reclaim_delete(pv: PersistentVolume, options: dict[str, Any]) -> Iterator[Finding]:
    """A PersistentVolume has persistentVolumeReclaimPolicy: Delete."""
    spec = pv.spec()
    if spec is not None and spec.str("persistentVolumeReclaimPolicy") == "Delete":
        yield pv.finding("STS403", f'PersistentVolume "{pv.name}" has persistentVolumeReclaimPolicy: Delete; the '
                         "backing storage is destroyed when its claim is released", spec.key_span("persistentVolumeReclaimPolicy"),
                         anchor="spec.persistentVolumeReclaimPolicy",
                         fix=_retain_fix(pv, spec, "persistentVolumeReclaimPolicy"))


@object_rule("STS411", "pv-recycle", "warning", view=PersistentVolume)
def pv_recycle(pv: PersistentVolume, options: dict[str, Any]) -> Iterator[Finding]:
    """A PersistentVolume has persistentVolumeReclaimPolicy: Recycle (deprecated)."""
    spec = pv.spec()
    if spec is not None and spec.str("persistentVolumeReclaimPolicy") == "Recycle":
        yield pv.finding("STS411", f'PersistentVolume "{pv.name}" has persistentVolumeReclaimPolicy: Recycle, which '
                         "is deprecated; the volume is scrubbed (rm -rf) when its claim is released",
                         spec.key_span("persistentVolumeReclaimPolicy"), anchor="spec.persistentVolumeReclaimPolicy")


ALPHA_CLASS = "volume.alpha.kubernetes.io/storage-class"
"""The storage-class annotation of alpha dynamic provisioning: Kubernetes ignores it (it honours the beta one)."""


def _alpha_class(claim: Fields) -> str | None:
    """The value of a claim template's alpha storage-class annotation, or None."""
    meta = claim.map("metadata")
    annotations = meta.string_map("annotations") if meta is not None and meta.present("annotations") else None
    return (annotations or {}).get(ALPHA_CLASS)


@object_rule("STS404", "storage-class-missing", "warning", view=StatefulSet,
             options=(Option("default-storage-class", "string", ""),))
def storage_class_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A claim template names no StorageClass (an alpha annotation names none either)."""
    spec = sts.spec()
    if spec is None:
        return
    for index, fields in spec.maps("volumeClaimTemplates"):
        claim = ClaimTemplate.read(fields, index)
        if claim.class_given:
            continue
        alpha = _alpha_class(fields)
        if alpha is not None:
            value = f': "{alpha}"' if alpha else ""
            yield sts.finding("STS404", f'StatefulSet "{sts.name}": volumeClaimTemplate "{claim.label}": Kubernetes '
                              f'ignores annotation "{ALPHA_CLASS}"; set spec.storageClassName{value} instead',
                              claim.span, anchor=claim.anchor)
            continue
        yield sts.finding("STS404", f'StatefulSet "{sts.name}": volumeClaimTemplate "{claim.label}" has no '
                          "storageClassName, so it takes the cluster's default class (usually reclaimPolicy: "
                          "Delete)", claim.span, anchor=claim.anchor,
                          fix=_class_name_fix(sts, fields, options.get("default-storage-class") or ""))


def _class_name_fix(sts: StatefulSet, claim: Fields, class_name: str) -> Fix | None:
    """The unsafe fix that sets a claim template's ``spec.storageClassName`` (None without a class
    to set, or when the claim has no block or flow ``spec`` mapping to add it to)."""
    spec = claim.map("spec") if class_name and sts.source is not None else None
    if spec is None or sts.source is None:
        return None
    from stslint.edits import insert_key, make_fix

    return make_fix(f'Set storageClassName: "{class_name}"', "unsafe",
                    [insert_key(sts.source, spec, "storageClassName", class_name, sts.file, sts.source_path)])

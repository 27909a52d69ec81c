"""Storage: StorageClasses, PersistentVolumes and PersistentVolumeClaims (what keeps the data, and who may
share it)."""
from __future__ import annotations

from stslint.model.entries import EDITS, OPTIONAL_STRING, SPAN, STRING, Entry, Value, list_of
from stslint.model.resource import Resource, register_view


class StorageClassEntry(Entry):
    """A StorageClass and its reclaim policy."""

    __slots__ = ()
    KINDS = frozenset({"StorageClass"})
    CLUSTER_SCOPED = True

    reclaim_policy = Value(OPTIONAL_STRING, group="reclaim")
    """``reclaimPolicy`` (MISSING when omitted, which means Delete)."""
    reclaim_span = Value(SPAN, default=None)
    """Where ``reclaimPolicy:`` is (None when omitted)."""
    retain_edits = Value(EDITS, default=None)
    """The edits that make the class retain (``reclaimPolicy: Retain``; None when they cannot be
    built, as for a context file)."""


@register_view
class StorageClass(Resource):
    """A StorageClass (storage.k8s.io/v1; storage.k8s.io/v1beta1); cluster-scoped."""

    KIND = "StorageClass"
    API_VERSIONS = ("storage.k8s.io/v1", "storage.k8s.io/v1beta1")
    CLUSTER_SCOPED = True

    def entry(self) -> StorageClassEntry:
        """The index entry: the reclaim policy and where it is written."""

        def reclaim(entry: Entry) -> None:
            if self.fields.has_key("reclaimPolicy"):
                entry.reclaim_span = self.fields.key_span("reclaimPolicy")  # type: ignore[attr-defined]
                if self.fields.str_readable("reclaimPolicy"):
                    entry.reclaim_policy = self.data.get("reclaimPolicy")  # type: ignore[attr-defined]
            if self.source is not None and self.data.get("reclaimPolicy") in (None, "Delete"):
                entry.retain_edits = self._retain_edits()  # type: ignore[attr-defined]

        return self.build_entry(StorageClassEntry, [("reclaim", reclaim)])

    def _retain_edits(self) -> list[list[object]] | None:
        """``reclaimPolicy: Retain`` as edits of this object's text (None when they cannot be built)."""
        from stslint.edits import edit_record, insert_key, replace_scalar

        assert self.source is not None
        if self.fields.present("reclaimPolicy"):
            edit = replace_scalar(self.source, self.fields, "reclaimPolicy", "Retain", self.file, self.source_path)
        elif self.fields.has_key("reclaimPolicy"):
            return None  # ``reclaimPolicy:`` with no value: nothing to replace in place
        else:
            edit = insert_key(self.source, self.fields, "reclaimPolicy", "Retain", self.file, self.source_path,
                              before=("provisioner", "parameters", "volumeBindingMode", "kind"))
        return None if edit is None else [edit_record(edit)]


class PersistentVolumeEntry(Entry):
    """A PersistentVolume: its identity only (STS007 relates definitions of one name)."""

    __slots__ = ()
    KINDS = frozenset({"PersistentVolume"})
    CLUSTER_SCOPED = True


@register_view
class PersistentVolume(Resource):
    """A PersistentVolume (v1); cluster-scoped."""

    KIND = "PersistentVolume"
    API_VERSIONS = ("v1",)
    CLUSTER_SCOPED = True

    def entry(self) -> PersistentVolumeEntry:
        """The index entry: identity only."""
        return self.build_entry(PersistentVolumeEntry, [])


class PersistentVolumeClaimEntry(Entry):
    """A PersistentVolumeClaim and its access modes."""

    __slots__ = ()
    KINDS = frozenset({"PersistentVolumeClaim"})

    access_modes = Value(list_of(STRING), group="accessModes", default=None)
    """``spec.accessModes`` (None when absent or unreadable)."""

    def shared_by_design(self) -> bool:
        """Whether every access mode lets several nodes mount the claim (ReadWriteMany, ReadOnlyMany)."""
        modes = self.access_modes
        return bool(modes) and all(mode in ("ReadWriteMany", "ReadOnlyMany") for mode in modes)


@register_view
class PersistentVolumeClaim(Resource):
    """A PersistentVolumeClaim (v1)."""

    KIND = "PersistentVolumeClaim"
    API_VERSIONS = ("v1",)

    def entry(self) -> PersistentVolumeClaimEntry:
        """The index entry: the access modes."""

        def access_modes(entry: Entry) -> None:
            spec = self.spec()
            modes = spec.seq("accessModes") if spec is not None else None
            if modes is None:
                return
            for index, mode in enumerate(modes):
                if not isinstance(mode, str):
                    assert spec is not None
                    spec.report(f"spec.accessModes[{index}]", spec.item_span("accessModes", index), "a string", mode)
                    return
            entry.access_modes = list(modes)  # type: ignore[attr-defined]

        return self.build_entry(PersistentVolumeClaimEntry, [("accessModes", access_modes)])

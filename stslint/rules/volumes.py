"""Volume rules (STS405-STS406, STS408-STS410): mounts, pod volumes and claim templates that must line
up, and where the data of the replicas lives."""
from __future__ import annotations

from typing import Any, Iterator, cast

from stslint.findings import Finding
from stslint.model.fields import Fields
from stslint.model.index import Index
from stslint.model.storage import PersistentVolumeClaim, PersistentVolumeClaimEntry
from stslint.model.workloads import Container, StatefulSet, StatefulSetEntry
from stslint.rules import index_rule, object_rule

MOUNT_LISTS = ("volumeMounts", "volumeDevices")


def _mounts(container: Container) -> Iterator[tuple[str, Fields]]:
    for key in MOUNT_LISTS:
        for _, mount in container.fields.maps(key):
            yield key, mount


def _claim_names(sts: StatefulSet) -> set[str]:
    return {c.name for c in sts.claims() if c.name}


@object_rule("STS405", "volume-mount-unknown", "error", view=StatefulSet)
def volume_mount_unknown(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A volumeMount names neither a pod volume nor a claim template."""
    if sts.pod_spec() is None:
        return
    pod_volumes = sts.volume_names()
    if pod_volumes is None or not sts.claim_templates_readable():
        return  # what a mount may name cannot be read: STS006
    volumes = pod_volumes | _claim_names(sts)
    for container in sts.containers(include_init=True):
        for key, mount in _mounts(container):
            name = mount.str("name")
            if name is None or name in volumes:
                continue
            yield sts.finding("STS405", f'StatefulSet "{sts.name}": container "{container.label}" {key[:-1]} '
                              f'"{name}" names no volume of the pod and no volumeClaimTemplate; every pod '
                              "creation fails", mount.key_span("name"),
                              container=container.name, anchor=f"{key}.name")


@object_rule("STS406", "claim-template-unused", "warning", view=StatefulSet)
def claim_template_unused(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A claim template that no container mounts."""
    if not sts.containers_readable(include_init=True):
        return  # unreadable containers: cannot tell (STS006)
    mounted: set[str] = set()
    for container in sts.containers(include_init=True):
        for key in MOUNT_LISTS:
            if not container.fields.maps_readable(key):
                return  # unreadable mounts: cannot tell (STS006)
        for _, mount in _mounts(container):
            if not mount.str_readable("name"):
                return
            mounted.add(mount.str("name") or "")
    for claim in sts.claims():
        if claim.name and claim.name not in mounted:
            yield sts.finding("STS406", f'StatefulSet "{sts.name}": volumeClaimTemplate "{claim.label}" is mounted '
                              "by no container; a volume is still provisioned for every replica",
                              claim.span, anchor=claim.anchor)


@object_rule("STS408", "claim-template-shadowed", "warning", view=StatefulSet)
def claim_template_shadowed(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A pod template volume has the name of a volumeClaimTemplate (the claim replaces it)."""
    pod = sts.pod_spec()
    if pod is None or not sts.claim_templates_readable():
        return
    claims = _claim_names(sts)
    for _, volume in pod.maps("volumes"):
        name = volume.str("name")
        if name is not None and name in claims:
            yield sts.finding("STS408", f'StatefulSet "{sts.name}": pod volume "{name}" has the name of a '
                              "volumeClaimTemplate, which replaces it; what the volume says is never used",
                              volume.key_span("name"), anchor="spec.template.spec.volumes.name")


PERSISTENT_SOURCES = ("persistentVolumeClaim", "nfs", "iscsi", "cephfs", "rbd", "glusterfs", "fc", "azureFile",
                      "azureDisk", "gcePersistentDisk", "awsElasticBlockStore", "cinder", "vsphereVolume",
                      "portworxVolume")
"""Volume sources whose data outlives the pod: a claim, or network storage named inline (emptyDir,
hostPath, ephemeral, inline csi, configMap, secret, projected and downwardAPI do not)."""


@object_rule("STS409", "no-persistent-storage", "warning", view=StatefulSet, opt_in=True)
def no_persistent_storage(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """The StatefulSet has no volumeClaimTemplates and no volume whose data outlives the pod."""
    spec, pod = sts.spec(), sts.pod_spec()
    if spec is None or pod is None or not spec.maps_readable("volumeClaimTemplates"):
        return
    if not pod.maps_readable("volumes") or any(True for _ in spec.maps("volumeClaimTemplates")):
        return
    if any(volume.present(source) for _, volume in pod.maps("volumes") for source in PERSISTENT_SOURCES):
        return
    yield sts.finding("STS409", f'StatefulSet "{sts.name}" has no volumeClaimTemplate and mounts no persistent '
                      "volume; its data is lost when a pod is replaced or moves to another node",
                      sts.fields.key_span("kind"), anchor="kind")


@index_rule("STS410", "claim-shared-by-replicas", "warning", judges=StatefulSet, reads=PersistentVolumeClaim)
def claim_shared_by_replicas(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """Several replicas mount one writable PersistentVolumeClaim through a pod volume."""
    for sts in cast("list[StatefulSetEntry]", index.subjects("StatefulSet")):
        for shared in sts.shared_claims:
            claims = cast("list[PersistentVolumeClaimEntry]",
                          index.named("PersistentVolumeClaim", shared.claim, sts.namespace))
            if claims and all(claim.readable("accessModes") and claim.shared_by_design() for claim in claims):
                continue  # ReadWriteMany / ReadOnlyMany: shared on purpose
            yield sts.finding("STS410", f'StatefulSet "{sts.name}": every replica mounts PersistentVolumeClaim '
                              f'"{shared.claim}" (volume "{shared.volume}") writable; they share one volume '
                              "instead of each getting its own", shared.span, anchor=shared.anchor)

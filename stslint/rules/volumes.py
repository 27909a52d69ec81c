"""Volume rules (STS405-STS406): mounts, pod volumes and claim templates that must line up."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.fields import Fields
from stslint.model.workloads import Container, StatefulSet
from stslint.rules import object_rule

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

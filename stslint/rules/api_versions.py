"""API version rules: apiVersions the API server no longer serves (STS501 for StatefulSets, STS502 for
every other object), limited to the removals at or before the run's ``--kubernetes-version``."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding
from stslint.kubernetes import format_version, removed
from stslint.model.resource import Resource
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule


@object_rule("STS501", "deprecated-api-version", "error", view=StatefulSet, run_inputs=["kubernetes-version"])
def deprecated_api_version(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """apiVersion apps/v1beta1 or apps/v1beta2."""
    gone = removed(sts.api_version, "StatefulSet", options["kubernetes-version"])
    if gone is not None:
        yield sts.finding("STS501", f'StatefulSet "{sts.name}" uses apiVersion {sts.api_version}, which is not '
                          f"served since Kubernetes {format_version(gone.removed_in)}",
                          sts.fields.key_span("apiVersion"), anchor="apiVersion")


@object_rule("STS502", "removed-api-version", "error", view=Resource, run_inputs=["kubernetes-version"])
def removed_api_version(obj: Resource, options: dict[str, Any]) -> Iterator[Finding]:
    """Any object but a StatefulSet (STS501) uses an apiVersion Kubernetes no longer serves for its kind."""
    if obj.kind == "StatefulSet":
        return  # STS501
    gone = removed(obj.api_version, obj.kind, options["kubernetes-version"])
    if gone is not None:
        yield obj.finding("STS502", f'{obj.kind} "{obj.name}" uses apiVersion {obj.api_version}, which Kubernetes '
                          f"{format_version(gone.removed_in)} removed (replaced by {gone.replacement})",
                          obj.fields.key_span("apiVersion"), anchor="apiVersion")

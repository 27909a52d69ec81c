"""API version rules (STS501): StatefulSet API versions the API server no longer serves."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule

REMOVED = {"apps/v1beta1": "1.16", "apps/v1beta2": "1.16"}


@object_rule("STS501", "deprecated-api-version", "error", view=StatefulSet)
def deprecated_api_version(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """apiVersion apps/v1beta1 or apps/v1beta2."""
    removed_in = REMOVED.get(sts.api_version)
    if removed_in:
        yield sts.finding("STS501", f'StatefulSet "{sts.name}" uses apiVersion {sts.api_version}, which is not '
                          f"served since Kubernetes {removed_in}",
                          sts.fields.key_span("apiVersion"), anchor="apiVersion")

"""Kubernetes releases: the newest one stslint knows, the ``--kubernetes-version`` a run targets, and
the API versions Kubernetes stopped serving (one table, read by STS501 and STS502).

A target version limits those rules to APIs removed at or before it, as kubent's and pluto's target
versions do. Sources: the ``zz_generated.prerelease-lifecycle.go`` files of k8s.io/api and the
Kubernetes deprecated API migration guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
"""
from __future__ import annotations

from typing import NamedTuple

Version = tuple[int, int]
"""A Kubernetes minor release: (1, 29)."""

NEWEST_RELEASE: Version = (1, 37)
"""The newest Kubernetes release this table knows (the default ``--kubernetes-version``); pinned, and
tested, so a run never depends on the date or the network."""

VERSION_PATTERN = r"v?(\d{1,3})\.(\d{1,3})(?:\.\d{1,4})?\Z"
"""``1.29``, ``v1.29``, ``v1.29.3`` (compiled only when a version is given: start-up is watched)."""


class RemovedApi(NamedTuple):
    """An apiVersion/kind pair Kubernetes no longer serves: the release that removed it and what
    replaces it."""

    api_version: str
    kind: str
    removed_in: Version
    replacement: str


REMOVED_APIS: dict[tuple[str, str], RemovedApi] = {
    (api.api_version, api.kind): api for api in (
        RemovedApi("apps/v1beta1", "StatefulSet", (1, 16), "apps/v1"),
        RemovedApi("apps/v1beta2", "StatefulSet", (1, 16), "apps/v1"),
        RemovedApi("extensions/v1beta1", "Deployment", (1, 16), "apps/v1"),
        RemovedApi("extensions/v1beta1", "DaemonSet", (1, 16), "apps/v1"),
        RemovedApi("extensions/v1beta1", "ReplicaSet", (1, 16), "apps/v1"),
        RemovedApi("apps/v1beta1", "Deployment", (1, 16), "apps/v1"),
        RemovedApi("apps/v1beta2", "Deployment", (1, 16), "apps/v1"),
        RemovedApi("apps/v1beta2", "DaemonSet", (1, 16), "apps/v1"),
        RemovedApi("apps/v1beta2", "ReplicaSet", (1, 16), "apps/v1"),
        RemovedApi("storage.k8s.io/v1beta1", "StorageClass", (1, 22), "storage.k8s.io/v1"),
        RemovedApi("policy/v1beta1", "PodDisruptionBudget", (1, 25), "policy/v1"),
        RemovedApi("batch/v1beta1", "CronJob", (1, 25), "batch/v1"),
    )
}
"""Every removed apiVersion/kind pair stslint reports (StatefulSets: STS501; the others: STS502)."""


def parse_version(text: str) -> Version | None:
    """The minor release ``text`` names (``1.29``, ``v1.29``; a patch release such as ``v1.29.3``
    names its minor), or None when it names none (Kubernetes releases are all 1.x)."""
    import re

    match = re.match(VERSION_PATTERN, text.strip()) if isinstance(text, str) else None
    if match is None or int(match.group(1)) != 1:
        return None
    return int(match.group(1)), int(match.group(2))


def version_problem(text: object) -> str | None:
    """Why ``text`` is not a Kubernetes version (``must be ...; found ...``), or None when it is one:
    the same words for ``--kubernetes-version`` and the configuration's ``kubernetes-version``."""
    if isinstance(text, str) and parse_version(text) is not None:
        return None
    shown = f'"{text}"' if isinstance(text, str) else repr(text)
    return f"must be a Kubernetes release such as 1.29 or v1.29; found {shown}"


def format_version(version: Version) -> str:
    """``1.29``."""
    return f"{version[0]}.{version[1]}"


def removed(api_version: str, kind: str, target: Version) -> RemovedApi | None:
    """The removal of ``api_version``/``kind`` when it happened at or before ``target``, else None."""
    found = REMOVED_APIS.get((api_version, kind))
    return found if found is not None and found.removed_in <= target else None

"""Fingerprints that identify a finding across runs (SARIF ``partialFingerprints``, GitLab ``fingerprint``).

A fingerprint hashes what a finding is about, never where its lines are: the code, the
repository-relative path, the object (namespace and ``Kind/name``), the container and the anchoring
field path. Inserting or deleting lines keeps it. When two findings of one run would share a
fingerprint, the second and later ones add their occurrence number, so the first keeps its value.
"""
from __future__ import annotations

import hashlib
from typing import Sequence

from stslint.findings import Finding

_SEPARATOR = "\x1f"


def identity(finding: Finding, path: str) -> str:
    """The line-independent identity of a finding whose file is at repository path ``path``."""
    parts = (finding.code, path, finding.namespace or "", finding.object or "", finding.container or "",
             finding.anchor)
    return _SEPARATOR.join(parts)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprints(findings: Sequence[Finding], paths: Sequence[str]) -> list[str]:
    """One fingerprint per finding (``paths[i]`` is the repository path of ``findings[i]``), unique in the run."""
    seen: dict[str, int] = {}
    result = []
    for finding, path in zip(findings, paths):
        key = identity(finding, path)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result.append(_digest(key if occurrence == 0 else f"{key}{_SEPARATOR}#{occurrence}"))
    return result

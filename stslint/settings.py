"""What a run checks and how: the selected rules, their options and severities, the namespace, the
target Kubernetes release, the limits, and the rule set they come from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from stslint.kubernetes import NEWEST_RELEASE, Version
from stslint.loading import DEFAULT_MAX_FILE_SIZE
from stslint.rules import BUILTIN, RuleSet
from stslint.selection import resolve


@dataclass
class Settings:
    """What a run checks and how."""

    selected: frozenset[str] = field(default_factory=resolve)
    namespace: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Options the configuration sets, by code (each rule's declared defaults fill in the rest)."""
    severities: dict[str, str] = field(default_factory=dict)
    file_ignores: Callable[[str], frozenset[str]] | None = None
    """The codes per-file-ignores turns off for a file path (None: no per-file-ignores)."""
    keep_texts: bool = True
    """Keep the text of files with findings for the report (code frames); off saves memory."""
    rules: RuleSet = field(default_factory=lambda: BUILTIN)
    """The rules of the run (the built-in ones; user policies later)."""
    kubernetes_version: Version = NEWEST_RELEASE
    """The Kubernetes release the manifests target: STS501 and STS502 report only APIs removed at or
    before it (``--kubernetes-version``; default the newest release stslint knows)."""

    def run_input(self, name: str) -> Any:
        """The run-wide setting a rule declares among its ``run_inputs`` (stslint.rules.RUN_INPUTS)."""
        if name == "kubernetes-version":
            return self.kubernetes_version
        raise KeyError(name)

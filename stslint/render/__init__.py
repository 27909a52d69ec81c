"""Rendering Helm charts and kustomize overlays, so that what the cluster gets is checked and each
finding is reported where the user wrote it.

This module holds only what a run is asked (imported by every check); :mod:`stslint.render.plan`
finds what to render and renders it, :mod:`stslint.render.helm` and :mod:`stslint.render.kustomize`
drive the engines and map their output back, :mod:`stslint.render.origin` moves the findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RENDER_MODES = ("auto", "always", "never")


class RenderUsageError(Exception):
    """Rendering was asked for explicitly and cannot be done (no engine): a usage error (exit 2)."""


@dataclass
class RenderRequest:
    """What to render and how: the mode, the command line's Helm options (which override the
    configuration's per chart), the configuration's charts and kustomize roots."""

    mode: str = "auto"
    values: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    release_name: str | None = None
    namespace: str | None = None
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Configuration ``helm:``: options per chart path (absolute)."""
    overlays: list[str] = field(default_factory=list)
    """Configuration ``kustomize: {overlays: [...]}``: roots named explicitly (absolute)."""

    @property
    def explicit(self) -> bool:
        """Whether the command line or configuration asked for rendering (a missing engine is then an error)."""
        return self.mode == "always" or bool(self.values or self.set_values or self.release_name)



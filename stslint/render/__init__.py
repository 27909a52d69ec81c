"""Rendering Helm charts and kustomize overlays, so that what the cluster gets is checked and each
finding is reported where the user wrote it.

This module holds only what a run is asked (imported by every check); :mod:`stslint.render.plan`
finds what to render and renders it, :mod:`stslint.render.helm` and :mod:`stslint.render.kustomize`
drive the engines and map their output back, :mod:`stslint.render.origin` moves the findings.
"""
from __future__ import annotations

from typing import Any

RENDER_MODES = ("auto", "always", "never")


class RenderUsageError(Exception):
    """Rendering was asked for explicitly and cannot be done (no engine): a usage error (exit 2)."""


class RenderRequest:
    """What to render and how: the mode (one of RENDER_MODES), the command line's Helm options (which
    override the configuration's per chart), the configuration's charts (``helm:``, options by
    absolute chart path) and kustomize roots (``kustomize: {overlays: [...]}``, absolute). A plain
    class, not a dataclass: every check builds one, and start-up is watched."""

    __slots__ = ("mode", "values", "set_values", "release_name", "namespace", "charts", "overlays")

    def __init__(self, mode: str = "auto", values: list[str] | None = None, set_values: list[str] | None = None,
                 release_name: str | None = None, namespace: str | None = None,
                 charts: dict[str, dict[str, Any]] | None = None, overlays: list[str] | None = None) -> None:
        self.mode = mode
        self.values = list(values or [])
        self.set_values = list(set_values or [])
        self.release_name = release_name
        self.namespace = namespace
        self.charts = dict(charts or {})
        self.overlays = list(overlays or [])

    @property
    def explicit(self) -> bool:
        """Whether the command line or configuration asked for rendering (a missing engine is then an error)."""
        return self.mode == "always" or bool(self.values or self.set_values or self.release_name)

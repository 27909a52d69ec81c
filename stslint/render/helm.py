"""Helm charts: rendering a chart offline into a ``helm template`` stream, and mapping a stream's
documents back to their templates through its ``# Source:`` lines.

A ``# Source:`` path starts with the chart's *name* (``postgres/templates/sts.yaml``; a subchart's
``postgres/charts/metrics/templates/cm.yaml``), resolved through the ``Chart.yaml`` files that name it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import yaml

from stslint.findings import Related
from stslint.loading.source_text import SourceText
from stslint.model.nodes import Span
from stslint.render.align import LineOrigin, align, emitter_values
from stslint.render.engines import Engine, EngineError, run_engine
from stslint.render.origin import Located, line_span, read_text, shown_path
from stslint.repository import ancestors

SOURCE_HEADER = re.compile(r"^# Source: (.+?)\s*$")
DEFAULT_RELEASE = "release-name"
LOCATION = re.compile(r"\(?(?P<path>[\w.@+-]+(?:/[\w.@+-]+)*\.(?:yaml|yml|tpl|txt|json))"
                      r":(?P<line>\d+)(?::(?P<col>\d+))?\)?")


class RenderFailure(Exception):
    """A chart or overlay that cannot be rendered: the file and line to report it at, and why."""

    def __init__(self, file: str, line: int, message: str, column: int = 1, warning: bool = False) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.warning = warning
        """A warning, not an input error: the overlay is linted as plain files instead (a partial checkout)."""


@dataclass
class HelmOptions:
    """How to render a chart: values files, ``--set`` assignments, release name and namespace."""

    values: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    release_name: str = DEFAULT_RELEASE
    namespace: str | None = None


def chart_name(chart_dir: str) -> str | None:
    """The ``name:`` of a chart directory's Chart.yaml (None when it has none)."""
    try:
        with open(os.path.join(chart_dir, "Chart.yaml"), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def subchart_dirs(chart_dir: str) -> dict[str, str]:
    """The unpacked subcharts under a chart's ``charts/``, by chart name."""
    found: dict[str, str] = {}
    charts = os.path.join(chart_dir, "charts")
    try:
        names = sorted(os.listdir(charts))
    except OSError:
        return found
    for entry in names:
        path = os.path.join(charts, entry)
        name = chart_name(path) if os.path.isdir(path) else None
        if name is not None:
            found[name] = path
    return found


def check_dependencies(chart_dir: str) -> None:
    """Refuse a chart whose Chart.yaml declares a dependency missing from ``charts/`` (rendering would
    need to fetch it; nothing is ever fetched): RenderFailure at the dependency's line."""
    path = os.path.join(chart_dir, "Chart.yaml")
    text = read_text(path)
    if text is None:
        return
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = load_manifest_text(text.text, text).documents
    except LoadError as exc:
        raise RenderFailure(shown_path(path), exc.line, f"cannot read Chart.yaml: {exc.message}", exc.column)
    root = documents[0].root if documents else None
    dependencies = root.get("dependencies") if isinstance(root, dict) else None
    if not isinstance(dependencies, list):
        return
    present = set(subchart_dirs(chart_dir))
    archives = _archives(chart_dir)
    for index, dependency in enumerate(dependencies):
        if not isinstance(dependency, dict):
            continue
        name = dependency.get("name")
        if not isinstance(name, str) or name in present or any(a.startswith(name + "-") for a in archives):
            continue
        repository = str(dependency.get("repository") or "")
        line, column = dependencies.item_span(index)[:2] if hasattr(dependencies, "item_span") else (1, 1)
        where = (f"it would be fetched from {repository}" if repository and not repository.startswith("file://")
                 else "it is not vendored")
        raise RenderFailure(shown_path(path), line, f"dependency \"{name}\" is missing from charts/ and {where}; "
                            "stslint never fetches (run helm dependency build first)", column)


def _archives(chart_dir: str) -> list[str]:
    try:
        return [name for name in os.listdir(os.path.join(chart_dir, "charts")) if name.endswith(".tgz")]
    except OSError:
        return []


def check_links(chart_dir: str) -> None:
    """Refuse a chart holding a symbolic link that leads out of it (Helm follows links: a template or
    ``.Files`` could otherwise echo any file of the machine): RenderFailure at the link."""
    top = os.path.realpath(chart_dir)
    for root, dirs, files in os.walk(chart_dir):
        for name in dirs + files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not (target == top or target.startswith(top.rstrip(os.sep) + os.sep)):
                    raise RenderFailure(shown_path(path), 1, "symbolic link leading out of the chart; the chart is "
                                        "not rendered (a render must not read files elsewhere)")


def render_chart(chart_dir: str, options: HelmOptions, engine: Engine) -> str:
    """The chart rendered as ``helm template`` prints it (documents headed by ``# Source:`` lines,
    NOTES.txt and empty renders left out), or RenderFailure located at the template line the engine
    names."""
    check_links(chart_dir)
    check_dependencies(chart_dir)
    if engine.sdk:
        manifests = _render_with_sdk(chart_dir, options)
    else:
        manifests = _render_with_binary(chart_dir, options, engine)
    parts = []
    for name in sorted(manifests):
        if name.endswith("NOTES.txt"):
            continue
        for document in re.split(r"(?m)^---[ \t]*$", manifests[name]):  # one header per document, as helm prints
            if _has_content(document):
                parts.append(f"---\n# Source: {name}\n{document.strip(chr(10))}\n")
    return "".join(parts)


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") and line.strip() != "---"
               for line in text.splitlines())


def _values(chart_dir: str, options: HelmOptions) -> dict[str, Any]:
    """The user-supplied values: the values files in order, then the ``--set`` assignments."""
    import helm_python

    merged: dict[str, Any] = {}
    for path in options.values:
        try:
            with open(path, encoding="utf-8") as handle:
                merged = _merge(merged, helm_python.values_from_yaml(handle.read()))
        except OSError as exc:
            raise RenderFailure(shown_path(path), 1, f"cannot read values file: {exc.strerror}") from exc
        except helm_python.HelmError as exc:
            raise RenderFailure(shown_path(path), *_first_location(str(exc))[1:2], _clean(str(exc))) from exc
    for assignment in options.set_values:
        try:
            merged = _merge(merged, helm_python.parse_set_string(assignment))
        except helm_python.HelmError as exc:
            raise RenderFailure(shown_path(chart_dir), 1, f"--set {assignment}: {_clean(str(exc))}") from exc
    return merged


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _render_with_sdk(chart_dir: str, options: HelmOptions) -> dict[str, str]:
    import helm_python

    values = _values(chart_dir, options)
    saved = {name: os.environ.get(name) for name in ("HTTP_PROXY", "HTTPS_PROXY", "GIT_ALLOW_PROTOCOL")}
    from stslint.render.engines import sandbox_environment

    sandbox = sandbox_environment()
    os.environ.update({name: sandbox[name] for name in saved})
    try:
        with helm_python.Chart.load(chart_dir) as chart:
            chart.validate_schema(values)
            return chart.render(values, name=options.release_name, namespace=options.namespace or "default",
                                is_install=True)
    except helm_python.HelmError as exc:
        raise _located_failure(chart_dir, str(exc)) from exc
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _render_with_binary(chart_dir: str, options: HelmOptions, engine: Engine) -> dict[str, str]:
    command = [*engine.command, options.release_name, chart_dir, "--namespace", options.namespace or "default"]
    for path in options.values:
        command += ["--values", path]
    for assignment in options.set_values:
        command += ["--set", assignment]
    try:
        output = run_engine(command)
    except EngineError as exc:
        raise _located_failure(chart_dir, str(exc)) from exc
    manifests: dict[str, str] = {}
    for name, lines in split_sources(output.split("\n")):
        manifests[name] = manifests.get(name, "") + "\n---\n" * bool(name in manifests) + "\n".join(lines)
    return manifests


def _clean(message: str) -> str:
    return " ".join(message.replace("Error: ", "").split())


def _first_location(message: str) -> tuple[str | None, int, int]:
    match = LOCATION.search(message)
    if match is None:
        return None, 1, 1
    return match.group("path"), int(match.group("line")), int(match.group("col") or 1)


def _located_failure(chart_dir: str, message: str) -> RenderFailure:
    """A render error at the template file and line it names (Helm's ``chart/templates/x.yaml:8:15``),
    else at the chart's Chart.yaml."""
    source, line, column = _first_location(message)
    if source is not None:
        resolved = resolve_source(source, {chart_name(chart_dir) or "": chart_dir})
        if resolved is not None:
            return RenderFailure(shown_path(resolved), line, f"chart does not render: {_clean(message)}", column)
    return RenderFailure(shown_path(os.path.join(chart_dir, "Chart.yaml")), 1,
                         f"chart does not render: {_clean(message)}")


def resolve_source(source: str, charts: dict[str, str]) -> str | None:
    """The file a ``# Source:`` path names: ``NAME/rest`` below the chart named NAME (its subcharts
    followed through ``charts/NAME/``), or None when no known chart has that name or the file is absent."""
    name, _, rest = source.partition("/")
    directory = charts.get(name)
    if directory is None:
        return None
    while rest.startswith("charts/"):
        sub, _, after = rest[len("charts/"):].partition("/")
        subcharts = subchart_dirs(directory)
        if sub not in subcharts:
            break
        directory, rest = subcharts[sub], after
    path = os.path.join(directory, rest)
    return path if os.path.isfile(path) else None


def split_sources(lines: list[str]) -> Iterable[tuple[str, list[str]]]:
    """(source path, its rendered lines without the header) per ``# Source:`` section of a stream."""
    current: str | None = None
    body: list[str] = []
    for line in lines:
        match = SOURCE_HEADER.match(line)
        if match:
            if current is not None:
                yield current, _without_separator(body)
            current, body = match.group(1), []
        elif current is not None:
            body.append(line)
    if current is not None:
        yield current, _without_separator(body)


def split_stream(text: str) -> list[tuple[str, str]]:
    """(source path, text) per template of a stream: the documents of one ``# Source:`` path together,
    each headed by its ``# Source:`` line as in the stream."""
    grouped: dict[str, list[str]] = {}
    for source, lines in split_sources(text.split("\n")):
        grouped.setdefault(source, []).append("\n".join(lines))
    return [(source, "".join(f"---\n# Source: {source}\n{body}\n" for body in bodies))
            for source, bodies in grouped.items()]


def _without_separator(body: list[str]) -> list[str]:
    while body and body[-1].strip() in ("", "---"):
        body = body[:-1]
    return body


@dataclass
class _Section:
    """A ``# Source:`` section of a stream: its rendered lines (1-based, first..last) and template."""

    first: int
    last: int
    source: str
    template_path: str | None
    origins: list[LineOrigin | None]
    template: SourceText | None


class HelmStreamOrigin:
    """Where the lines of a ``helm template`` stream were written: each ``# Source:`` section aligned
    with its template (see stslint.render.align); a toYaml'd values key named as a related location."""

    def __init__(self, text: str, charts: dict[str, str]) -> None:
        self.charts = charts
        self.sections: list[_Section] = []
        self.rendered = text.split("\n")
        current: tuple[int, str] | None = None
        for number, line in enumerate(self.rendered, start=1):
            match = SOURCE_HEADER.match(line)
            if match:
                if current is not None:
                    self._add(current[0], number - 1, current[1])
                current = (number + 1, match.group(1))
        if current is not None:
            self._add(current[0], len(self.rendered), current[1])

    def _add(self, first: int, last: int, source: str) -> None:
        while last >= first and self.rendered[last - 1].strip() in ("", "---"):
            last -= 1
        path = resolve_source(source, self.charts)
        template = read_text(path) if path is not None else None
        origins = _aligned(template.text, self.rendered[first - 1:last]) if template is not None else []
        self.sections.append(_Section(first, last, source, path, origins, template))

    def locate_precisely(self, span: Span) -> Located | None:
        """The template line (and column) that produced the span's first line; the template's first
        line, approximate, when no line can be determined; the source path as given when it names no
        file here; None outside every section."""
        line = span[0]
        for number, section in enumerate(self.sections):
            following = self.sections[number + 1].first - 2 if number + 1 < len(self.sections) else len(self.rendered)
            if not section.first - 1 <= line <= max(following, section.first):
                continue  # a section owns the separator after it (and the end of the text: a YAML error there)
            line = min(line, max(section.last, section.first))
            if section.template_path is None or section.template is None:
                return Located(section.source, None, (1, 1, 1, 2, 0, 1), False)
            display, real = shown_path(section.template_path), os.path.realpath(section.template_path)
            index = line - section.first
            found = section.origins[index] if 0 <= index < len(section.origins) else None
            if found is None:
                return Located(display, real, line_span(section.template, 1), False)
            rendered_line = self.rendered[line - 1]
            if found.literal:
                column, end = span[1], span[3] if span[2] == line else None
            elif found.action_column and span[1] >= found.action_column:
                column, end = found.action_column, None
            elif found.action_column:
                column, end = span[1], (span[3] if span[2] == line and span[3] <= found.action_column else None)
            else:
                column, end = 1 + len(rendered_line) - len(rendered_line.lstrip()), None
            located_span = line_span(section.template, found.line, column, end)
            related = self._values_related(section, found.line, line)
            return Located(display, real, located_span, found.exact, related)
        return None

    def _values_related(self, section: _Section, template_line: int, rendered_line: int) -> tuple[Related, ...]:
        """The values.yaml key that a line emitted by ``toYaml .Values.KEY`` came from, when found."""
        assert section.template is not None and section.template_path is not None
        template_text = section.template.text
        source_line = template_text.split("\n")[template_line - 1]
        if "toYaml" not in source_line:
            return ()
        keys = emitter_values(template_text, template_line)
        chart_dir = _chart_dir_of(section.template_path)
        if len(keys) != 1 or chart_dir is None:
            return ()
        values_path = os.path.join(chart_dir, "values.yaml")
        values_text = read_text(values_path)
        if values_text is None:
            return ()
        from stslint.loading.yamlload import LoadError, load_manifest_text
        from stslint.render.paths import node_at

        try:
            documents = load_manifest_text(values_text.text, values_text).documents
        except LoadError:
            return ()
        if not documents:
            return ()
        steps: list[Any] = list(keys[0].split("."))
        steps += self._relative_steps(section, template_line, rendered_line)
        depth, _, key_span, value_span = node_at(documents[0].root, tuple(steps))
        if depth < len(keys[0].split(".")) or (key_span or value_span) is None:
            return ()
        span = key_span or value_span
        assert span is not None
        return (Related(shown_path(values_path), span, f"from values key \"{'.'.join(map(str, steps[:depth]))}\"",
                        source_path=os.path.realpath(values_path)),)

    def _relative_steps(self, section: _Section, template_line: int, rendered_line: int) -> list[Any]:
        """The keys leading from the start of a ``toYaml`` block to ``rendered_line``, by indentation."""
        lines = self.rendered
        start = rendered_line
        while start - 1 >= section.first:
            previous = section.origins[start - 1 - section.first]
            if previous is None or previous.line != template_line:
                break
            start -= 1
        steps: list[str] = []
        indent = None
        for number in range(rendered_line, start - 1, -1):
            text = lines[number - 1]
            stripped = text.lstrip()
            if not stripped or stripped.startswith("- "):
                continue
            this_indent = len(text) - len(stripped)
            if indent is None or this_indent < indent:
                key = stripped.split(":", 1)[0].strip()
                if ":" in stripped:
                    steps.append(key)
                indent = this_indent
        return list(reversed(steps))


DOCUMENT_SEPARATOR = re.compile(r"^---\s*$")


def _aligned(template: str, rendered: list[str]) -> list[LineOrigin | None]:
    """The alignment of one rendered document with its template; a template of several documents
    (``---`` lines) is aligned document by document and the one that the most rendered lines match
    literally wins (helm template orders documents by kind, not by their place in the template)."""
    lines = template.split("\n")
    bounds = [0] + [number for number, line in enumerate(lines, start=1) if DOCUMENT_SEPARATOR.match(line)]
    if len(bounds) == 1:
        return align(template, rendered)
    best: list[LineOrigin | None] = []
    best_score = -1
    for index, start in enumerate(bounds):
        end = bounds[index + 1] if index + 1 < len(bounds) else len(lines)
        masked = "\n".join(line if start < number <= end else "" for number, line in enumerate(lines, start=1))
        origins = align(masked, rendered)
        score = sum(1 for origin in origins if origin is not None and origin.exact and origin.literal)
        if score > best_score:
            best, best_score = origins, score
    return best


def _chart_dir_of(template_path: str) -> str | None:
    return next((directory for directory in ancestors(os.path.dirname(os.path.abspath(template_path)))
                 if os.path.isfile(os.path.join(directory, "Chart.yaml"))), None)


def charts_by_name(root: str = ".") -> dict[str, str]:
    """The charts below ``root`` (hidden directories and subcharts' ``charts/`` not entered... but
    listed through their parents), by the name their Chart.yaml gives: how a stream's ``# Source:``
    paths are resolved. A name given twice keeps the first directory found (sorted walk)."""
    found: dict[str, str] = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "templates"))
        if "Chart.yaml" in files:
            name = chart_name(directory)
            if name is not None and name not in found:
                found[name] = os.path.normpath(directory)
            dirs[:] = [d for d in dirs if d != "charts"]
    return found

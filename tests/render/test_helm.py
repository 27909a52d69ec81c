"""Helm charts rendered by the real engine, findings at the template line that produced them."""
from __future__ import annotations

from stslint.render.align import align
from stslint.render.helm import HelmOptions, HelmStreamOrigin, render_chart
from stslint.render.engines import helm_engine
from tests.conftest import run_stslint
from tests.render.render_helpers import RENDER, findings, needs_helm

from stslint.render import RenderRequest

TEMPLATE = "fixtures/render/chart/postgres/templates/statefulset.yaml"


@needs_helm
def test_a_chart_directory_is_rendered_and_findings_point_at_template_lines():
    assert findings(["fixtures/render/chart/postgres"]) == [
        ("STS101", TEMPLATE, 2, 1, False),   # kind: StatefulSet, a literal line
        ("STS301", TEMPLATE, 18, 11, False),  # "- name: postgres": probes are in a false if block
        ("STS302", TEMPLATE, 18, 11, False),
        ("STS404", TEMPLATE, 43, 9, False),  # the claim template; storageClassName's if block is false
    ]


@needs_helm
def test_values_files_and_set_change_what_is_rendered():
    request = RenderRequest(values=["fixtures/render/chart/prod-values.yaml"], set_values=["replicas=3"],
                            release_name="db")
    assert findings(["fixtures/render/chart/postgres"], request) == [("STS101", TEMPLATE, 2, 1, False)]


@needs_helm
def test_a_named_template_file_renders_its_chart_as_pre_commit_passes_it():
    assert [f[:3] for f in findings([TEMPLATE])] == [("STS101", TEMPLATE, 2), ("STS301", TEMPLATE, 18),
                                                     ("STS302", TEMPLATE, 18), ("STS404", TEMPLATE, 43)]


@needs_helm
def test_range_include_and_to_yaml_lines_map_to_the_expression_line_and_the_values_key(monkeypatch):
    monkeypatch.chdir(RENDER.parent.parent)  # paths are shown relative to the current directory
    text = render_chart(str(RENDER / "chart" / "postgres"), HelmOptions(), helm_engine())
    origin = HelmStreamOrigin(text, {"postgres": str(RENDER / "chart" / "postgres")})
    lines = text.split("\n")

    def at(fragment: str, occurrence: int = 0):
        number = [i for i, line in enumerate(lines, start=1) if fragment in line][occurrence]
        column = len(lines[number - 1]) - len(lines[number - 1].lstrip()) + 1
        return origin.locate_precisely((number, column, number, column + 1, 0, 1))

    second_env = at("- name: POSTGRES_DB")  # the range's second iteration
    assert second_env.span[0] == 25
    assert second_env.exact
    memory = at("memory: 1Gi")
    assert (memory.span[0], memory.exact) == (37, True)
    assert [(r.file, r.span[0], r.message) for r in memory.related] == [
        ("fixtures/render/chart/postgres/values.yaml", 15, 'from values key "resources.limits.memory"')]
    label = at("app.kubernetes.io/instance: release-name", 2)  # the selector's include (the PDB renders first)
    assert (label.span[0], label.exact) == (11, True)
    subchart = at("name: release-name-metrics")
    assert subchart.file == "fixtures/render/chart/postgres/charts/metrics/templates/service.yaml"
    assert subchart.span[0] == 4


def test_alignment_of_literal_if_and_range_lines():
    template = "a: 1\n{{- if .x }}\nb: 2\n{{- end }}\nitems:\n{{- range .l }}\n  - {{ . }}\n{{- end }}\nc: 3\n"
    rendered = ["a: 1", "items:", "  - x", "  - y", "c: 3"]
    assert [(o.line, o.exact) for o in align(template, rendered)] == [(1, True), (5, True), (7, True), (7, True),
                                                                       (9, True)]


@needs_helm
def test_a_render_error_is_an_input_error_at_the_template_line(tmp_path):
    chart = tmp_path / "broken"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 0.1.0\n")
    (chart / "templates" / "sts.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\nspec:\n"
        "  replicas: {{ required \"replicas is required\" .Values.replicas }}\n")
    done = run_stslint("check", "broken", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("broken/templates/sts.yaml:6:15: STS001 [error] chart does not render: ")
    assert "replicas is required" in done.stdout


@needs_helm
def test_a_dependency_missing_from_charts_is_refused_before_rendering(tmp_path):
    chart = tmp_path / "app"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n"
                                      "  - name: redis\n    version: 1.0.0\n"
                                      "    repository: https://charts.example.com\n")
    done = run_stslint("check", "app", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith('app/Chart.yaml:5:5: STS001 [error] dependency "redis" is missing from charts/ '
                                  "and it would be fetched from https://charts.example.com")


@needs_helm
def test_a_chart_with_a_link_leading_out_is_not_rendered(tmp_path):
    chart = tmp_path / "repo" / "leaky"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: leaky\nversion: 0.1.0\n")
    secret = tmp_path / "secret.yaml"
    secret.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {token: hunter2}\n")
    (chart / "templates" / "cm.yaml").symlink_to(secret)
    done = run_stslint("check", "leaky", cwd=tmp_path / "repo")
    assert done.stdout.startswith("leaky/templates/cm.yaml:1:1: STS001 [error] symbolic link leading out of the chart")
    assert "hunter2" not in done.stdout


@needs_helm
def test_the_hook_renders_the_chart_of_a_changed_template_despite_force_exclude():
    done = run_stslint("check", "--hook", "--force-exclude", TEMPLATE, "fixtures/render/chart/postgres/values.yaml",
                       cwd=RENDER.parent.parent)
    assert [line.split(" [")[0] for line in done.stdout.splitlines()[:-1]] == [
        f"{TEMPLATE}:2:1: STS101", f"{TEMPLATE}:18:11: STS301", f"{TEMPLATE}:18:11: STS302",
        f"{TEMPLATE}:43:9: STS404"]
    assert "no manifest found" not in done.stderr


def test_adjacent_emitting_lines_make_the_position_approximate_and_a_with_block_names_its_values_key():
    from stslint.render.align import emitter_values

    template = ("labels:\n  {{- include \"x.labels\" . | nindent 2 }}\n  {{- with .Values.podLabels }}\n"
                "  {{- toYaml . | nindent 2 }}\n  {{- end }}\nspec:\n")
    origins = align(template, ["labels:", "  a: b", "  c: d", "spec:"])
    assert [(o.line, o.exact) for o in origins] == [(1, True), (2, False), (2, False), (6, True)]
    assert emitter_values(template, 4) == ["podLabels"]
    assert emitter_values(template, 2) == []


@needs_helm
def test_invalid_yaml_a_template_renders_is_an_input_error_in_that_template_and_the_others_are_still_checked(tmp_path):
    import shutil

    shutil.copytree(RENDER / "chart" / "postgres", tmp_path / "postgres")
    (tmp_path / "postgres" / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [{{ .Values.image }}\n")
    done = run_stslint("check", "postgres", cwd=tmp_path)
    lines = [line.split(" [")[0] for line in done.stdout.splitlines()[:-1]]
    assert lines == ["postgres/templates/cm.yaml:6:1: STS001", "postgres/templates/statefulset.yaml:2:1: STS101",
                     "postgres/templates/statefulset.yaml:18:11: STS301",
                     "postgres/templates/statefulset.yaml:18:11: STS302",
                     "postgres/templates/statefulset.yaml:43:9: STS404"]


@needs_helm
def test_json_carries_the_rendered_position_as_the_last_related_location():
    from tests.conftest import check_json

    report = check_json("fixtures/render/chart/postgres", cwd=RENDER.parent.parent)
    first = report["findings"][0]
    assert (first["file"], first["line"]) == (TEMPLATE, 2)
    # line 4 of the rendered text: after "---" and "# Source:"
    assert first["related"][-1] == {"file": f"<rendered {TEMPLATE}>", "line": 4, "column": 1, "end_line": 4,
                                    "end_column": 5, "message": "rendered here"}


def test_a_helm_binary_on_path_is_used_without_the_package(tmp_path, monkeypatch):
    from stslint.render import engines
    from stslint.render.engines import Engine

    stream = RENDER / "streams" / "helm-template.yaml"
    fake = tmp_path / "helm"
    fake.write_text(f"#!/bin/sh\ncat '{stream}'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(engines, "helm_engine", lambda: Engine("helm", (str(fake), "template")))
    monkeypatch.chdir(RENDER.parent.parent)
    assert findings(["fixtures/render/chart/postgres"], cwd=RENDER.parent.parent) == [
        ("STS101", TEMPLATE, 2, 1, False), ("STS301", TEMPLATE, 18, 11, False), ("STS302", TEMPLATE, 18, 11, False),
        ("STS404", TEMPLATE, 43, 9, False)]


def test_each_document_of_a_template_aligns_with_its_own_lines_in_any_order(tmp_path):
    chart = tmp_path / "two"
    (chart / "templates").mkdir(parents=True)
    template = chart / "templates" / "both.yaml"
    template.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n---\n"
                        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\n")
    # as helm template prints it: ordered by kind, each document headed by its own "# Source:"
    stream = ("---\n# Source: two/templates/both.yaml\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n"
              "---\n# Source: two/templates/both.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n")
    origin = HelmStreamOrigin(stream, {"two": str(chart)})
    statefulset_kind = origin.locate_precisely((4, 1, 4, 5, 0, 1))
    service_kind = origin.locate_precisely((10, 1, 10, 5, 0, 1))
    assert (statefulset_kind.span[0], statefulset_kind.exact) == (7, True)
    assert (service_kind.span[0], service_kind.exact) == (2, True)


@needs_helm
def test_a_template_of_two_documents_is_rendered_and_mapped_per_document(tmp_path):
    chart = tmp_path / "two"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: two\nversion: 0.1.0\n")
    (chart / "templates" / "both.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  clusterIP: None\n"
        "  selector: {app: db}\n  ports: [{port: 5432}]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n"
        "  name: {{ .Release.Name }}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n"
        "    metadata: {labels: {app: db}}\n    spec:\n      containers:\n        - name: db\n          image: pg\n")
    assert [f[:4] for f in findings(["two"], cwd=tmp_path)] == [
        ("STS101", "two/templates/both.yaml", 11, 1), ("STS409", "two/templates/both.yaml", 11, 1),  # no storage
        ("STS301", "two/templates/both.yaml", 20, 11), ("STS302", "two/templates/both.yaml", 20, 11)]

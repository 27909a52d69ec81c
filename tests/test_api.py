"""The Python API: lint paths, lint an in-memory text with a URI against an index of other files,
and map positions of a text back to the files it came from."""
from __future__ import annotations

from pathlib import Path

from stslint.api import Segment, SegmentOrigin, build_index, lint_paths, lint_text
from stslint.context import ContextRequest
from stslint.loading.source_text import SourceText

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          readinessProbe: {tcpSocket: {port: 80}}
          livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}
"""
SVC = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: 10.0.0.1\n  selector: {app: db}\n"


def triples(result) -> list[tuple[str, str, int]]:
    return [(f.code, Path(f.file).name, f.line) for f in result.findings]


def test_lint_text_lints_a_string_named_by_a_uri(tmp_path):
    uri = (tmp_path / "buffer.yaml").as_uri()
    result = lint_text(STS.replace("  serviceName: db\n", ""), uri)
    assert [(f.code, f.file, f.line) for f in result.findings] == [("STS101", uri, 2)]
    assert result.files == 1 and result.objects == 1
    assert lint_text(STS + "---\n" + SVC.replace("10.0.0.1", "None"), "untitled:1").findings == []


def test_lint_text_relates_one_buffer_to_an_index_of_the_other_files(tmp_path):
    (tmp_path / "svc.yaml").write_text(SVC)
    (tmp_path / "sts.yaml").write_text("not: [valid")  # the buffer's saved version: replaced by the text
    index = build_index([str(tmp_path)])
    result = lint_text(STS, str(tmp_path / "sts.yaml"), index=index)
    assert triples(result) == [("STS103", "sts.yaml", 6)]
    [finding] = result.findings
    assert [(Path(r.file).name, r.line) for r in finding.related] == [("svc.yaml", 6)]
    assert triples(lint_text(STS, str(tmp_path / "sts.yaml"))) == [("STS102", "sts.yaml", 6)]  # no index: not found
    assert len(index.entries("Service")) == 1
    again = lint_text(STS, str(tmp_path / "sts.yaml"), index=index)
    assert triples(again) == triples(result)  # the index it was given serves the next run unchanged


def test_the_other_files_of_an_index_are_never_judged(tmp_path):
    (tmp_path / "other.yaml").write_text(STS.replace("name: db", "name: other", 1))
    result = lint_text(SVC, str(tmp_path / "svc.yaml"), index=build_index([str(tmp_path)]))
    assert result.findings == []


def test_an_origin_maps_positions_back_to_the_files_the_text_came_from(tmp_path):
    header = "# Source: chart/templates/sts.yaml\n"
    text = header + STS.replace("  serviceName: db\n", "")
    origin = SegmentOrigin([Segment(2, 17, "chart/templates/sts.yaml", 1, len(header), 0)])
    result = lint_text(text, "rendered.yaml", origin=origin)
    [finding] = result.findings
    assert (finding.code, finding.file, finding.line, finding.column) == ("STS101", "chart/templates/sts.yaml", 2, 1)
    assert finding.start == STS.index("kind:")
    unmapped = lint_text(text, "rendered.yaml", origin=SegmentOrigin([]))
    assert unmapped.findings[0].file == "rendered.yaml" and unmapped.findings[0].line == 3


def test_segment_origin_maps_offsets_within_one_segment():
    text = SourceText("a: 1\nb: 2\nc: 3\n")
    origin = SegmentOrigin([Segment(2, 3, "f.yaml", 10, 5, 100)])
    assert origin.locate_offsets(5, 9, text) == ("f.yaml", 100, 104)
    assert origin.locate_offsets(0, 4, text) is None


def test_lint_paths_with_a_context_request(tmp_path):
    (tmp_path / "sts").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "sts" / "db.yaml").write_text(STS)
    (tmp_path / "svc" / "db.yaml").write_text(SVC.replace("10.0.0.1", "None"))
    assert triples(lint_paths([str(tmp_path / "sts")])) == [("STS102", "db.yaml", 6)]
    result = lint_paths([str(tmp_path / "sts")], context=ContextRequest([str(tmp_path / "svc")], use_cache=False))
    assert result.findings == [] and result.context is not None and result.context.loaded == 1


def test_context_records_the_kinds_the_run_s_rules_read(tmp_path):
    from stslint.engine import Settings
    from stslint.rules import BUILTIN, define_index_rule
    from stslint.selection import resolve

    def uncovered(index, options):
        for sts in index.subjects("StatefulSet"):
            if not index.selecting("NetworkPolicy", sts.namespace, sts.pod_labels or {}):
                yield sts.finding("TST600", "no network policy", sts.kind_span)

    rules = BUILTIN.with_rules([define_index_rule("TST600", "netpol", "warning", uncovered,
                                                  judges="StatefulSet", reads="NetworkPolicy")])
    assert "NetworkPolicy" in rules.indexed_kinds() and "NetworkPolicy" not in BUILTIN.indexed_kinds()
    repo = tmp_path / "repo"
    (repo / "ctx").mkdir(parents=True)
    (repo / "sts.yaml").write_text(STS)
    (repo / "ctx" / "netpol.yaml").write_text("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                                              "metadata: {name: p}\nspec: {podSelector: {matchLabels: {app: db}}}\n")
    settings = Settings(selected=resolve(["TST600"], rules=rules), rules=rules)
    for _ in range(2):  # parsed, then from the cache
        result = lint_paths([str(repo / "sts.yaml")], settings, ContextRequest([str(repo / "ctx")]))
        assert result.findings == [] and result.context is not None
    assert result.context.from_cache == 1
    builtin_only = lint_paths([str(repo / "sts.yaml")], context=ContextRequest([str(repo / "ctx")]))
    assert builtin_only.context is not None and builtin_only.context.files == []  # nothing the rules read


def test_one_file_against_an_index_gets_the_verdict_of_the_whole_workspace(tmp_path):
    """Annotations and kustomize patches of the other files count, as when linting them together."""
    annotated = SVC.replace("  name: db\n", "  name: db\n  annotations: {stslint.io/ignore: STS103}\n")
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "sts.yaml").write_text(STS)
    (tmp_path / "ann" / "svc.yaml").write_text(annotated)
    together = triples(lint_paths([str(tmp_path / "ann")]))
    alone = triples(lint_text(STS, str(tmp_path / "ann" / "sts.yaml"), index=build_index([str(tmp_path / "ann")])))
    assert together == alone == []

    (tmp_path / "kz").mkdir()
    (tmp_path / "kz" / "sts.yaml").write_text(STS)
    (tmp_path / "kz" / "patch.yaml").write_text(SVC.replace("10.0.0.1", "None"))
    (tmp_path / "kz" / "kustomization.yaml").write_text("resources: [sts.yaml]\npatchesStrategicMerge: [patch.yaml]\n")
    together = triples(lint_paths([str(tmp_path / "kz")]))
    alone = triples(lint_text(STS, str(tmp_path / "kz" / "sts.yaml"), index=build_index([str(tmp_path / "kz")])))
    assert together == alone == [("STS102", "sts.yaml", 6)]  # the Service in a patch is no object


def test_an_origin_moves_only_positions_of_the_text(tmp_path):
    (tmp_path / "svc.yaml").write_text(SVC)
    index = build_index([str(tmp_path)])
    header = "# Source: chart/templates/sts.yaml\n"
    origin = SegmentOrigin([Segment(2, 17, "chart/templates/sts.yaml", 1, len(header), 0)])
    [finding] = lint_text(header + STS, "rendered.yaml", index=index, origin=origin).findings
    assert (finding.code, finding.file, finding.line) == ("STS103", "chart/templates/sts.yaml", 6)
    assert [(Path(r.file).name, r.line) for r in finding.related] == [("svc.yaml", 6)]  # not moved

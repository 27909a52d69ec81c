"""Fingerprints (SARIF primaryLocationLineHash, GitLab fingerprint): stable across runs and line moves,
different for different findings, unique within a run."""
from __future__ import annotations

import json

from stslint.findings import Finding
from stslint.reporting.fingerprints import fingerprints
from tests.reporting.helpers import PV_DELETE, invoke, make_repo, statefulset


def _sarif_prints(cwd) -> list[tuple[str, int, str]]:
    run = json.loads(invoke("--format", "sarif", ".", cwd=cwd).output)["runs"][0]
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["partialFingerprints"]["primaryLocationLineHash"]) for r in run["results"]]


def _gitlab_prints(cwd) -> list[tuple[str, int, str]]:
    issues = json.loads(invoke("--format", "gitlab", ".", cwd=cwd).output)
    return [(i["check_name"], i["location"]["lines"]["begin"], i["fingerprint"]) for i in issues]


def test_blank_lines_above_move_lines_but_keep_fingerprints(tmp_path):
    make_repo(tmp_path)
    manifest = tmp_path / "web.yaml"
    manifest.write_text(statefulset() + "---\n" + PV_DELETE.format(name="data"))
    before = _sarif_prints(tmp_path), _gitlab_prints(tmp_path)
    manifest.write_text("\n\n\n# moved\n" + manifest.read_text())
    after = _sarif_prints(tmp_path), _gitlab_prints(tmp_path)
    for old, new in zip(before, after):
        assert len(old) == len(new) == 4
        assert [line + 4 for _, line, _ in old] == [line for _, line, _ in new]
        assert [(code, fp) for code, _, fp in old] == [(code, fp) for code, _, fp in new]
    assert [fp for *_, fp in before[0]] == [fp for *_, fp in before[1]]  # one scheme for both formats


def test_fingerprints_are_the_same_from_run_to_run_and_unique(tmp_path):
    make_repo(tmp_path)
    (tmp_path / "web.yaml").write_text(statefulset())
    first, second = _gitlab_prints(tmp_path), _gitlab_prints(tmp_path)
    assert first == second
    assert len({fp for *_, fp in first}) == len(first)


def test_what_a_finding_is_about_changes_its_fingerprint(tmp_path):
    make_repo(tmp_path)
    manifest = tmp_path / "web.yaml"
    manifest.write_text(statefulset("web"))
    before = _gitlab_prints(tmp_path)
    manifest.write_text(statefulset("db"))
    after = _gitlab_prints(tmp_path)
    assert not {fp for *_, fp in before} & {fp for *_, fp in after}
    manifest.rename(tmp_path / "other.yaml")
    manifest.write_text(statefulset("web"))
    (tmp_path / "other.yaml").unlink()
    assert _gitlab_prints(tmp_path) == before


def test_colliding_findings_get_an_occurrence_index_and_the_first_keeps_its_value():
    one = Finding("STS002", "duplicate key", "a.yaml", (3, 1, 3, 5))
    two = Finding("STS002", "duplicate key", "a.yaml", (9, 1, 9, 5))
    alone = fingerprints([one], ["a.yaml"])
    both = fingerprints([one, two], ["a.yaml", "a.yaml"])
    assert both[0] == alone[0] and both[1] != both[0]


def test_identity_fields_each_matter():
    base = Finding("STS301", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/web", namespace="ns",
                   container="app", anchor="spec.x")
    variants = [base,
                Finding("STS302", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/web", namespace="ns",
                        container="app", anchor="spec.x"),
                Finding("STS301", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/db", namespace="ns",
                        container="app", anchor="spec.x"),
                Finding("STS301", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/web", namespace="other",
                        container="app", anchor="spec.x"),
                Finding("STS301", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/web", namespace="ns",
                        container="sidecar", anchor="spec.x"),
                Finding("STS301", "m", "a.yaml", (1, 1, 1, 2), object="StatefulSet/web", namespace="ns",
                        container="app", anchor="spec.y")]
    prints = [fingerprints([f], ["a.yaml"])[0] for f in variants] + fingerprints([base], ["b.yaml"])
    assert len(set(prints)) == len(prints)
    moved = Finding("STS301", "other message", "a.yaml", (40, 7, 41, 2), object="StatefulSet/web",
                    namespace="ns", container="app", anchor="spec.x")
    assert fingerprints([moved], ["a.yaml"]) == fingerprints([base], ["a.yaml"])

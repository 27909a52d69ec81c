"""Baselines: written sorted, one entry per line; survive lines moving; a new finding beside
baselined ones fails the gate; stale entries are listed under -v, reported as STS005 at their line,
and dropped by writing the baseline again."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from stslint.baseline import BaselineError, apply, build, dumps, load
from stslint.engine import lint
from stslint.loading.discover import discover
from tests.conftest import _invoke_in

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
      - name: side
        image: busybox
"""


def _check(tmp_path: Path, *args: str):
    return _invoke_in(tmp_path, ["check", "--isolated", *args, "db.yaml"])


def test_written_baseline_is_sorted_json_with_one_entry_per_line(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    result = _check(tmp_path, "--write-baseline", "baseline.json")
    assert result.exit_code == 0
    text = (tmp_path / "baseline.json").read_text()
    data = json.loads(text)
    entries = data["findings"]
    assert data["stslint-baseline"] == 1
    assert [(e["path"], e["object"], e["code"], e["field"], e["container"]) for e in entries] == sorted(
        (e["path"], e["object"], e["code"], e["field"], e["container"]) for e in entries)
    assert all(line.strip().startswith('{"fingerprint"') for line in text.splitlines()[3:-2])
    assert {e["code"] for e in entries} == {"STS102", "STS301", "STS302", "STS401"}
    assert dumps(load(str(tmp_path / "baseline.json"))) == text  # reading and writing again keeps it


def test_the_baseline_survives_lines_inserted_above_every_finding(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    _check(tmp_path, "--write-baseline", "baseline.json")
    moved = "\n".join(f"# note {n}\n{line}" for n, line in enumerate(STS.splitlines())) + "\n"
    moved = moved.replace("  selector:", "  replicas: 1\n  selector:")  # another field edited (1: no STS601)
    (tmp_path / "db.yaml").write_text(moved)
    result = _check(tmp_path, "--baseline", "baseline.json")
    assert result.exit_code == 0, result.stdout
    assert "No problems found" in result.stdout


def test_a_new_finding_beside_baselined_ones_fails(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    _check(tmp_path, "--write-baseline", "baseline.json")
    (tmp_path / "db.yaml").write_text(STS.replace("{whenDeleted: Delete}", "{whenDeleted: Delete, whenScaled: Delete}")
                                      + "      - name: third\n        image: busybox\n")
    result = _check(tmp_path, "--baseline", "baseline.json", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert sorted((f["code"], f["container"] or f["message"].split(".")[1].split(" ")[0]) for f in findings) == [
        ("STS301", "third"), ("STS302", "third"), ("STS401", "whenScaled")]


def test_a_count_above_the_recorded_one_is_new(tmp_path):
    first = lint(discover([str(_write(tmp_path, "a.yaml", STS))])).findings
    baseline = build(first)
    twice = list(first) + [first[-1]]  # one more finding of the same fingerprint
    filtered = apply(twice, baseline)
    assert len(filtered.new) == 1 and filtered.known == len(first) and not filtered.stale


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_stale_entries_are_listed_reported_as_sts005_and_dropped_when_written_again(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    _check(tmp_path, "--write-baseline", "baseline.json")
    (tmp_path / "db.yaml").write_text(STS.replace("whenDeleted: Delete", "whenDeleted: Retain"))
    quiet = _check(tmp_path, "--baseline", "baseline.json")
    assert quiet.exit_code == 0
    verbose = _check(tmp_path, "--baseline", "baseline.json", "-v")
    assert "1 stale entry" in verbose.stderr and "stale baseline entry STS401" in verbose.stderr
    stale = _check(tmp_path, "--baseline", "baseline.json", "--extend-select", "STS005", "--format", "json")
    [finding] = json.loads(stale.stdout)["findings"]
    lines = (tmp_path / "baseline.json").read_text().splitlines()
    assert finding["code"] == "STS005" and finding["file"] == "baseline.json"
    assert '"STS401"' in lines[finding["line"] - 1]
    _check(tmp_path, "--write-baseline", "baseline.json")
    assert "STS401" not in (tmp_path / "baseline.json").read_text()


def test_the_configuration_names_the_baseline(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    _check(tmp_path, "--write-baseline", "known.json")
    (tmp_path / ".stslint.yaml").write_text("baseline: known.json\n")
    result = _invoke_in(tmp_path, ["check", "db.yaml"])
    assert result.exit_code == 0


@pytest.mark.parametrize("content, reason", [("not json", "is not JSON"),
                                             ('{"findings": []}', "not an stslint baseline"),
                                             ('{"stslint-baseline": 1, "findings": [{"count": 1}]}', "fingerprint")])
def test_a_bad_baseline_is_a_one_line_error(tmp_path, content, reason):
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=reason):
        load(str(path))
    (tmp_path / "db.yaml").write_text(STS)
    result = _check(tmp_path, "--baseline", "b.json")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


def test_input_errors_are_never_baselined(tmp_path):
    (tmp_path / "db.yaml").write_text("a: [\n")
    _check(tmp_path, "--write-baseline", "baseline.json")
    assert json.loads((tmp_path / "baseline.json").read_text())["findings"] == []
    assert _check(tmp_path, "--baseline", "baseline.json").exit_code == 1


def test_write_baseline_is_refused_in_hook_mode(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    result = _invoke_in(tmp_path, ["check", "--write-baseline", "b.json", "--hook", "db.yaml"])
    assert result.exit_code == 2 and not (tmp_path / "b.json").exists()


def test_write_baseline_is_refused_while_fixing(tmp_path):
    (tmp_path / "db.yaml").write_text(STS)
    result = _invoke_in(tmp_path, ["fix", "--isolated", "--write-baseline", "b.json", "db.yaml"])
    assert result.exit_code == 2 and not (tmp_path / "b.json").exists()
    assert "whenDeleted: Delete" in (tmp_path / "db.yaml").read_text()

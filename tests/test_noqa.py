"""check --add-noqa: each comment suppresses exactly its findings, codes merged per line, into an
existing directive or after another comment, disable-next-line above a line that ends inside a
multi-line value; JSON skipped; idempotent; no other byte changed."""
from __future__ import annotations

import json

from stslint.loading.source_text import SourceText
from stslint.noqa import _ranges, noqa_edits
from tests.conftest import _invoke_in

STS = """\
apiVersion: apps/v1
kind: StatefulSet  # the database
metadata:
  name: db
spec:
  serviceName: >-
    db
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete  # stslint: disable-line=STS301 -- not this line's
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c,
                    image: x}]
"""


def _noqa(tmp_path, *args: str):
    return _invoke_in(tmp_path, ["check", "--isolated", "--add-noqa", *args, "."])


def _lines_outside_comments(text: str) -> list[str]:
    return [line.split("  # stslint:")[0].split("# stslint: disable-line")[0].rstrip()
            for line in text.splitlines() if not line.lstrip().startswith("# stslint: disable-next-line")]


def test_every_finding_is_suppressed_and_nothing_else_changes(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_bytes(STS.replace("\n", "\r\n").encode())
    before = _invoke_in(tmp_path, ["check", "--isolated", "--format", "json", "."])
    assert before.exit_code == 1
    result = _noqa(tmp_path, "--noqa-reason", "adopted 2026")
    assert result.exit_code == 0
    text = path.read_bytes().decode()
    assert "\n" not in text.replace("\r\n", "")  # CRLF kept, also on the added line
    lf = text.replace("\r\n", "\n")
    assert "kind: StatefulSet  # the database  # stslint: disable-line=STS102 -- adopted 2026\n" not in lf
    assert "whenDeleted: Delete  # stslint: disable-line=STS301,STS401 -- not this line's\n" in lf
    assert "      # stslint: disable-next-line=STS301,STS302 -- adopted 2026\n      containers: [{name: c,\n" in lf
    assert _lines_outside_comments(lf.replace("STS301,STS401", "STS301")) == _lines_outside_comments(STS)
    after = _invoke_in(tmp_path, ["check", "--isolated", "--extend-select", "STS005", "--format", "json", "."])
    unused = json.loads(after.stdout)["findings"]  # every finding suppressed; only the old STS301 is unused
    assert [(f["code"], f["line"], "STS301" in f["message"]) for f in unused] == [("STS005", 9, True)]


def test_add_noqa_is_idempotent(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    _noqa(tmp_path)
    once = path.read_bytes()
    result = _noqa(tmp_path)
    assert path.read_bytes() == once
    assert "added 0 suppression comments" in result.stderr


def test_a_directive_after_another_comment_suppresses(tmp_path):
    text = STS.replace("name: db\nspec:", "name: db\nspec:") .replace("  serviceName: >-\n    db\n", "")
    path = tmp_path / "db.yaml"
    path.write_text(text)
    _noqa(tmp_path)
    assert "kind: StatefulSet  # the database  # stslint: disable-line=STS101" in path.read_text()
    assert _invoke_in(tmp_path, ["check", "--isolated", "--select", "STS101", "."]).exit_code == 0


def test_json_files_are_skipped_and_listed(tmp_path):
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}
    path = tmp_path / "db.json"
    path.write_text(json.dumps(sts))
    before = path.read_bytes()
    result = _noqa(tmp_path)
    assert path.read_bytes() == before
    assert "db.json: --add-noqa skips JSON files" in result.stderr


def test_a_line_ending_inside_a_multiline_scalar_gets_a_comment_above():
    source = SourceText('a: "one\n  two"\nb: 1\n')
    edits, unplaced = noqa_edits(source, {1: ["STS101"], 3: ["STS102"]}, None, *_ranges(source.text))
    assert edits == [(0, 0, "# stslint: disable-next-line=STS101\n"), (19, 19, "  # stslint: disable-line=STS102")]
    assert unplaced == []


def test_a_hash_inside_a_scalar_is_not_a_comment():
    source = SourceText('a: "x # stslint: disable-line=STS301"\n')
    edits, _ = noqa_edits(source, {1: ["STS101"]}, None, *_ranges(source.text))
    assert edits == [(len(source.text) - 1, len(source.text) - 1, "  # stslint: disable-line=STS101")]


def test_add_noqa_is_refused_with_fix(tmp_path):
    assert _invoke_in(tmp_path, ["check", "--add-noqa", "--fix", "."]).exit_code == 2

"""The full format: finding line, code frame with carets under the span, help from the rule docs."""
from __future__ import annotations

from stslint.catalog import rule_doc
from stslint.findings import Finding
from stslint.reporting.full import code_frame, display_width
from tests.reporting.helpers import invoke, statefulset


def test_finding_frame_and_help(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset())
    output = invoke("--format", "full", "--select", "STS101", "web.yaml", cwd=tmp_path).output
    remediation = str(rule_doc("STS101")["remediation"]).strip().splitlines()
    assert output.splitlines()[:7] == [
        'web.yaml:6:3: STS101 [error] StatefulSet "web": spec.serviceName is empty; pods get no stable DNS '
        "names",
        "  |",
        '6 |   serviceName: ""',
        "  |   ^^^^^^^^^^^",
        "  |",
        f"help: {remediation[0]}",
        f"      {remediation[1]}",
    ]
    assert output.endswith("\n\nFound 1 problem (1 error, 0 warnings) in 1 file.\n")
    quiet = invoke("--format", "full", "-q", "--select", "STS101", "web.yaml", cwd=tmp_path).output
    assert "Found" not in quiet and quiet.startswith("web.yaml:6:3: STS101")


def test_input_errors_without_text_have_no_frame(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    output = invoke("--format", "full", "dir.yaml", cwd=tmp_path).output
    assert output.splitlines()[0].startswith("dir.yaml:1:1: STS004")
    assert output.splitlines()[1].startswith("help: ")


def test_carets_span_multiple_lines_and_long_spans_are_elided():
    lines = ["spec:", "  a: 1", "  b: 2", "  c: 3", "  d: 4", "  e: 5", "  f: 6", "end"]
    finding = Finding("STS006", "m", "x.yaml", (2, 3, 7, 7))
    assert code_frame(finding, lines) == [
        "  |", "2 |   a: 1", "  |   ^^^^", "3 |   b: 2", "  |   ^^^^", ". | ...", "6 |   e: 5", "  |   ^^^^",
        "7 |   f: 6", "  |   ^^^^", "  |"]
    short = Finding("STS006", "m", "x.yaml", (2, 5, 3, 1))  # ends at the start of the next line
    assert code_frame(short, lines) == ["  |", "2 |   a: 1", "  |     ^^", "  |"]


def test_carets_stay_under_the_span_after_escapes_tabs_and_wide_characters():
    lines = ["a\x1b[0m\t名前: value"]
    finding = Finding("STS006", "m", "x.yaml", (1, 11, 1, 16))
    frame = code_frame(finding, lines)
    assert frame[1] == "1 | a\\x1b[0m 名前: value"
    assert frame[2] == "  | " + " " * display_width("a\\x1b[0m 名前: ") + "^^^^^"
    assert display_width("名前") == 4 and display_width("e\u0301") == 1


def test_terminal_control_characters_from_the_manifest_are_escaped_with_and_without_colour(tmp_path):
    (tmp_path / f"x\x1b[31m{chr(13)}.yaml").write_text(statefulset('"evil\\e]0;pwned\\a\\r\\u202e-\\e[2J"'))
    (tmp_path / "raw.yaml").write_text("# evil\x1b]0;pwned\x07\x9b\u202e-\x1b[2J\n")
    for colour in ("never", "always"):
        output = invoke("--format", "full", "--color", colour, ".", cwd=tmp_path).output
        ours = output
        for sequence in ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m"):
            ours = ours.replace(sequence, "")
        assert (ours == output) == (colour == "never")
        assert not any(char in ours for char in "\x1b\x07\x9b\r\u202e"), repr(ours)
        assert 'x\\x1b[31m\\r.yaml:6:3: STS101 [error] StatefulSet "evil\\x1b]0;pwned\\x07\\r\\u202e-\\x1b[2J"' in ours
        assert "1 | # evil\\x1b]0;pwned\\x07\\x9b\\u202e-\\x1b[2J\n" in ours  # the code frame of raw.yaml's STS001


RELATED_STS = """\
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
RELATED_SVC = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: 10.0.0.1\n  selector: {app: db}\n"


def test_related_locations_show_as_notes_with_their_own_frame(tmp_path):
    (tmp_path / "sts.yaml").write_text(RELATED_STS)
    (tmp_path / "svc.yaml").write_text(RELATED_SVC)
    output = invoke("--format", "full", "sts.yaml", "svc.yaml", cwd=tmp_path).output
    lines = output.splitlines()
    assert lines[0].startswith("sts.yaml:6:3: STS103 [error]")
    assert lines[5:10] == [
        'svc.yaml:6:3: note: Service "db" is not headless here',
        "  |",
        "6 |   clusterIP: 10.0.0.1",
        "  |   ^^^^^^^^^",
        "  |",
    ]
    assert lines[10].startswith("help: ")


def test_long_lines_are_clipped_around_the_span():
    line = "x" * 5000 + "TARGET" + "y" * 5000
    finding = Finding("STS006", "m", "x.yaml", (1, 5001, 1, 5007, 5000, 5006))
    frame = code_frame(finding, [line])
    shown, carets = frame[1], frame[2]
    assert len(shown) < 220 and "TARGET" in shown and shown.count("…") == 2
    assert carets.index("^") == shown.index("TARGET") and carets.count("^") == 6


def test_the_report_of_a_huge_minified_line_stays_small(tmp_path):
    items = ",".join('{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "p%d"}, '
                     '"spec": {"persistentVolumeReclaimPolicy": "Delete"}}' % i for i in range(2000))
    (tmp_path / "list.json").write_text('{"apiVersion": "v1", "kind": "List", "items": [' + items + "]}")
    output = invoke("--format", "full", "list.json", cwd=tmp_path).output
    assert output.count("STS403") == 2000 and len(output) < 2000 * 1200  # each frame line clipped

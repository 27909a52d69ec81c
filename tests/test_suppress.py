"""Suppressions end to end through the CLI: every comment form, the annotation, what cannot be
suppressed, misplaced and unknown directives (warnings, never exit 2), and STS005."""
from __future__ import annotations

import pytest

from stslint.loading.yamlload import load_text
from stslint.suppress import parse_codes, parse_comments
from tests.config_helpers import PV_DELETE, STATEFULSET, repo, stslint
from tests.conftest import run_stslint

NGINX = "        - name: nginx\n"


def lint(tmp_path, text: str, *args: str, config: str | None = None):
    files = {"sts.yaml": text}
    if config is not None:
        files[".stslint.yaml"] = config
    root = repo(tmp_path, files)
    return stslint(root, "check", "--format", "json", *args, "sts.yaml")


def with_comment(comment: str, *, before: str = "") -> str:
    """The StatefulSet with ``comment`` at the end of the container line and ``before`` above it."""
    line = NGINX.rstrip("\n") + (f"  {comment}" if comment else "") + "\n"
    return STATEFULSET.replace(NGINX, before + line)


# --- comment forms ------------------------------------------------------------------------------

@pytest.mark.parametrize("comment", [
    "# stslint: disable-line=STS301",
    "# stslint: disable=STS301",
    "# stslint: disable-line=readiness-probe-missing",
    "# stslint: disable-line=STS301 -- the proxy has no health endpoint",
    "#stslint:disable-line=STS301",
])
def test_disable_line_covers_its_line_for_the_codes_it_names(tmp_path, comment):
    run = lint(tmp_path, with_comment(comment))
    assert (run.exit_code, run.triples(), run.stderr) == (1, [("STS302", 14, 11)], "")


def test_disable_line_with_several_codes(tmp_path):
    run = lint(tmp_path, with_comment("# stslint: disable-line=STS301, liveness-probe-missing -- both"))
    assert (run.exit_code, run.triples()) == (0, [])


def test_disable_next_line_covers_the_next_line_that_is_not_blank_or_a_comment(tmp_path):
    before = "        # stslint: disable-next-line=STS302 -- restarts are handled by the operator\n\n" \
             "        # an ordinary comment\n"
    run = lint(tmp_path, with_comment("", before=before))
    assert run.triples() == [("STS301", 17, 11)]


def test_disable_file_anywhere_covers_the_whole_file(tmp_path):
    run = lint(tmp_path, STATEFULSET + "# stslint: disable-file=STS301,STS302 -- demo manifests\n")
    assert (run.exit_code, run.triples()) == (0, [])


def test_a_directive_inside_a_quoted_value_is_not_a_comment(tmp_path):
    text = STATEFULSET.replace("  name: web\nspec:", '  name: web\n  labels: {note: "x # stslint: disable-file=STS301"}\nspec:', 1)
    assert [code for code, _, _ in lint(tmp_path, text).triples()] == ["STS301", "STS302"]


CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
data:
"""


@pytest.mark.parametrize("data", [
    "  notes: |\n    # stslint: disable-file=STS301,STS302\n",  # block scalar text
    "  notes: >-\n    folded\n\n    # stslint: disable-file=STS301,STS302\n    more\n",
    '  notes: "first line\n    # stslint: disable-file=STS301,STS302"\n',  # a quoted string's continuation
    "  notes: 'first line\n    # stslint: disable-file=STS301,STS302\n    last'\n",
])
def test_a_directive_inside_a_multi_line_scalar_is_not_a_comment(tmp_path, data):
    text = CONFIGMAP + data + "---\n" + STATEFULSET
    lines = (CONFIGMAP + data).count("\n") + 1  # the StatefulSet's lines are shifted by the ConfigMap's
    run = lint(tmp_path, text)
    assert (run.exit_code, run.triples(), run.stderr) == (1, [("STS301", 14 + lines, 11), ("STS302", 14 + lines, 11)], "")


def test_a_comment_after_a_multi_line_scalar_still_counts(tmp_path):
    # on the header line of a block scalar, after the closing quote of a multi-line string, and on the
    # first line less indented than a block scalar's text, "#" starts a comment
    for data in ("  notes: |  # stslint: disable-file=STS301\n    text\n",
                 '  notes: "first\n    # not a comment" # stslint: disable-file=STS301\n',
                 "  notes: |\n    text\n# stslint: disable-file=STS301\n"):
        run = lint(tmp_path / str(len(data)), CONFIGMAP + data + "---\n" + STATEFULSET)
        assert [code for code, _, _ in run.triples()] == ["STS302"], data


def test_parse_comments_skips_the_scalars_the_parser_bounds():
    text = 'a: |\n  # stslint: disable-file=STS301\nb: "x\n  # stslint: disable-file=STS302" # stslint: disable=STS404\n'
    ranges = load_text(text).scalar_ranges
    assert ranges is not None and [text[start:end] for start, end in ranges] == [
        "a", "  # stslint: disable-file=STS301\n", "b", '"x\n  # stslint: disable-file=STS302"']
    found, warnings = parse_comments(text, ranges)
    assert ([(s.kind, sorted(s.codes), s.span) for s in found], warnings) == ([("line", ["STS404"], (4, 35, 4, 60, 78, 103))], [])
    assert [s.kind for s in parse_comments(text)[0]] == ["line"]  # a text alone is parsed for its scalars
    assert load_text("a: 1\n").scalar_ranges is None  # only recorded where a directive may be


@pytest.mark.parametrize("value", [
    '!!str "x # stslint: disable-file=STS301 -- looks like a directive"',
    '&anchor "x # stslint: disable-file=STS301 -- looks like a directive"',
    "!!str 'x # stslint: disable-file=STS301 -- looks like a directive'",
    '&a !!str "x # stslint: disable-file=STS301 -- looks like a directive"',
    "[a, 'b # stslint: disable-file=STS301 -- looks like a directive']",
    '{k: "v # stslint: disable-file=STS301 -- looks like a directive"}',
])
def test_a_directive_inside_a_tagged_anchored_or_flow_scalar_is_not_a_comment(tmp_path, value):
    text = CONFIGMAP + f"  note: {value}\n---\n" + STATEFULSET
    run = lint(tmp_path, text)
    assert [code for code, _, _ in run.triples()] == ["STS301", "STS302"] and run.stderr == ""


def test_parse_codes_and_reason():
    assert parse_codes("STS301, storage-class-missing -- why -- not") == (["STS301", "STS404"], [], "why -- not")
    assert parse_codes("STS999,STS001") == ([], ["STS999", "STS001"], "")


def test_only_lines_holding_the_marker_are_parsed():
    assert parse_comments("a: 1\n# disable-line=STS301\n") == ([], [])


# --- the annotation -------------------------------------------------------------------------------

ANNOTATED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  annotations:
    stslint.io/ignore: "STS301,STS404,STS102 -- generated by our operator"
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: pg
          image: postgres:16
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: other
spec:
  serviceName: db
  selector:
    matchLabels: {app: other}
  template:
    metadata:
      labels: {app: other}
    spec:
      containers:
        - name: app
          image: app:1
          livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}
"""


def test_annotation_covers_the_object_its_containers_claims_and_cross_file_findings(tmp_path):
    run = lint(tmp_path, ANNOTATED)
    # db: STS302 stays (not named); its STS301 (container), STS404 (claim template) and STS102
    # (an index rule) are suppressed. "other" is not annotated: its STS102 and STS301 stay.
    assert run.triples() == [("STS302", 16, 11), ("STS102", 30, 3), ("STS301", 38, 11)]


def test_annotation_that_is_not_a_string_or_names_unknown_codes_warns(tmp_path):
    text = ANNOTATED.replace('"STS301,STS404,STS102 -- generated by our operator"', "[STS301]")
    run = lint(tmp_path, text)
    assert run.stderr == ("stslint: sts.yaml:6: warning: the stslint.io/ignore annotation must be a string of "
                          "rule codes or names; ignored\n")
    text = ANNOTATED.replace("STS301,STS404,STS102", "STS301,STS4O4")
    run = lint(tmp_path / "b", text)
    assert "sts.yaml:6: warning: unknown rule STS4O4 in the stslint.io/ignore annotation" in run.stderr
    assert ("STS301", 16, 11) not in run.triples()


# --- what is never suppressed, and misplaced directives ------------------------------------------------

def test_input_errors_cannot_be_suppressed(tmp_path):
    text = STATEFULSET.replace("  name: web\nspec:", "  name: web\n  name: web  # stslint: disable-line=STS002\nspec:", 1)
    run = lint(tmp_path, text + "# stslint: disable-file=STS301,STS302,duplicate-key\n")
    assert run.triples() == [("STS002", 5, 3)]
    assert run.stderr.splitlines() == [
        "stslint: sts.yaml:5: warning: STS002 in disable-line= cannot be suppressed (input errors; exclude the "
        "file instead); ignored",
        "stslint: sts.yaml:25: warning: duplicate-key in disable-file= cannot be suppressed (input errors; "
        "exclude the file instead); ignored",
    ]


def test_a_file_that_does_not_parse_keeps_its_error(tmp_path):
    run = lint(tmp_path, "# stslint: disable-file=STS301\na: [\n")
    assert [code for code, _, _ in run.triples()] == ["STS001"] and run.exit_code == 1


@pytest.mark.parametrize(("text", "line", "warning"), [
    (with_comment("", before="        # stslint: disable-line=STS301\n"), 14,
     "disable-line= stands on a line of its own, where it covers nothing; ignored"),
    (with_comment("# stslint: disable-next-line=STS301"), 14, "disable-next-line= follows code on its line; ignored"),
    (STATEFULSET + "# stslint: disable-next-line=STS301\n", 24, "disable-next-line= has no line after it to cover"),
    (with_comment("# stslint: disable-line=STS9999"), 14, "unknown rule STS9999 in disable-line=; ignored"),
    (with_comment("# stslint: enable=STS301"), 14, 'unknown stslint directive "enable=STS301"'),
    (with_comment("# stslint: disable-line="), 14, "disable-line= names no rule; ignored"),
])
def test_misplaced_or_unknown_directive_warns_with_file_and_line_and_is_ignored(tmp_path, text, line, warning):
    run = lint(tmp_path, text)
    assert run.exit_code == 1  # the findings stay; never exit 2
    assert [code for code, _, _ in run.triples()] == ["STS301", "STS302"]
    assert run.stderr.startswith(f"stslint: sts.yaml:{line}: warning: {warning}"), run.stderr
    assert run.stderr.count("\n") == 1


def test_unknown_code_next_to_known_codes_keeps_the_known_ones(tmp_path):
    run = lint(tmp_path, with_comment("# stslint: disable-line=STS301,STS3O2"))
    assert run.triples() == [("STS302", 14, 11)]
    assert "unknown rule STS3O2" in run.stderr


def test_warning_goes_to_stderr_through_the_real_entry_point(tmp_path):
    root = repo(tmp_path, {"sts.yaml": with_comment("# stslint: disable-next-line=STS301")})
    done = run_stslint("check", "sts.yaml", cwd=root)
    assert done.returncode == 1
    assert done.stderr.startswith("stslint: sts.yaml:14: warning: disable-next-line= follows code")
    assert "STS301" in done.stdout


# --- STS005 unused-suppression -------------------------------------------------------------------

UNUSED = with_comment("# stslint: disable-line=STS301,STS404 -- one of them is stale")


def test_unused_suppression_is_opt_in(tmp_path):
    assert lint(tmp_path, UNUSED).triples() == [("STS302", 14, 11)]
    assert lint(tmp_path / "b", UNUSED, "--select", "STS").triples() == [("STS302", 14, 11)]


@pytest.mark.parametrize("selector", ["STS005", "unused-suppression", "STS0", "ALL"])
def test_unused_suppression_reports_the_codes_that_suppressed_nothing(tmp_path, selector):
    run = lint(tmp_path, UNUSED, "--extend-select", selector)
    found = run.json()["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in found if f["code"] == "STS005"] == [("STS005", 14, 24)]
    message = next(f["message"] for f in found if f["code"] == "STS005")
    assert "STS404 (storage-class-missing)" in message and "STS301" not in message


def test_unused_suppression_is_never_reported_for_a_code_not_selected(tmp_path):
    run = lint(tmp_path, UNUSED, "--extend-select", "STS005", "--ignore", "STS404")
    assert run.triples() == [("STS302", 14, 11)]
    run = lint(tmp_path / "b", UNUSED, config="extend-select: [STS005]\nper-file-ignores: {sts.yaml: [STS404]}\n")
    assert run.triples() == [("STS302", 14, 11)]


def test_unused_annotation_and_disable_file_and_next_line(tmp_path):
    text = ANNOTATED.replace("STS301,STS404,STS102", "STS301,STS501") + "# stslint: disable-file=STS403\n"
    run = lint(tmp_path, text, "--extend-select", "STS005")
    unused = [f for f in run.json()["findings"] if f["code"] == "STS005"]
    assert [(f["line"], f["object"]) for f in unused] == [(6, "StatefulSet/db"), (41, None)]
    assert "STS501 (deprecated-api-version)" in unused[0]["message"]


def test_unused_suppression_can_itself_be_suppressed(tmp_path):
    run = lint(tmp_path, UNUSED + "# stslint: disable-file=STS005 -- cleaning up later\n", "--extend-select", "STS005")
    assert run.triples() == [("STS302", 14, 11)]


def test_suppressions_in_a_clean_pv_file_and_errors(tmp_path):
    text = PV_DELETE.replace("Delete\n", "Delete  # stslint: disable-line=pv-reclaim-delete -- scratch volume\n")
    run = lint(tmp_path, text)
    assert (run.exit_code, run.triples()) == (0, [])


# --- one source text: every line break YAML knows ---------------------------------------------

BREAKS = {"CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LS": "\u2028"}
FORMS = {
    "disable-line": with_comment("# stslint: disable-line=STS301"),
    "disable-next-line": with_comment("", before="        # stslint: disable-next-line=STS301\n\n"),
    "disable-file": STATEFULSET + "# stslint: disable-file=STS301\n",
    "annotation": STATEFULSET.replace("  name: web\nspec:\n  serviceName",
                                      "  name: web\n  annotations: {stslint.io/ignore: STS301}\nspec:\n  serviceName"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("line_break", sorted(BREAKS))
def test_every_suppression_form_works_whatever_the_line_breaks(tmp_path, form, line_break):
    text = FORMS[form].replace("\n", BREAKS[line_break])
    root = repo(tmp_path, {})
    (root / "sts.yaml").write_bytes(text.encode("utf-8"))
    run = stslint(root, "check", "--format", "json", "sts.yaml")
    assert [code for code, _, _ in run.triples()] == ["STS302"], run.output
    assert run.stderr == ""  # no bogus "unknown rules" or misplaced-directive warning
    lf = lint(tmp_path / "lf", FORMS[form])
    assert run.triples() == lf.triples()  # the same lines as with LF


def test_parse_comments_counts_lines_by_yaml_line_breaks():
    text = "a: 1\rb: 2  # stslint: disable-line=STS301\x85# stslint: disable-next-line=STS302\u2028c: 3\r\n"
    found, warnings = parse_comments(text)
    assert [(s.kind, s.first, s.span[:2]) for s in found] == [("line", 2, (2, 7)), ("next-line", 4, (3, 1))]
    assert warnings == []
    assert text[found[0].span[4]:found[0].span[5]] == "# stslint: disable-line=STS301"


def test_thousands_of_next_line_directives_stay_linear():
    import time

    text = "# stslint: disable-next-line=STS301\n" * 20000 + "a: 1\n"
    start = time.perf_counter()
    found, _ = parse_comments(text)
    assert len(found) == 20000 and {s.first for s in found} == {20001}
    assert time.perf_counter() - start < 5  # quadratic rescanning took minutes


# --- annotations on the object a finding is about, or on a related object ---------------------

GOVERNED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          readinessProbe: {tcpSocket: {port: 80}}
          livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}
"""
NOT_HEADLESS = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    stslint.io/ignore: "STS103 -- a shared, load-balanced Service by design"
spec:
  selector: {app: other}
"""


def test_an_annotation_on_the_service_suppresses_the_findings_it_causes(tmp_path):
    root = repo(tmp_path, {"sts.yaml": GOVERNED, "svc.yaml": NOT_HEADLESS})
    run = stslint(root, "check", "--format", "json", "sts.yaml", "svc.yaml")
    assert run.triples() == [("STS104", 6, 3)]  # STS103 is suppressed by the Service's annotation; STS104 stays
    plain = stslint(root, "check", "--format", "json", "sts.yaml", "svc.yaml", "--select", "STS103,STS104,STS005")
    assert plain.triples() == [("STS104", 6, 3)]  # the annotation was used: no STS005


def test_an_unused_annotation_on_a_related_object_is_reported(tmp_path):
    headless = NOT_HEADLESS.replace("spec:\n", "spec:\n  clusterIP: None\n")
    root = repo(tmp_path, {"sts.yaml": GOVERNED, "svc.yaml": headless})
    run = stslint(root, "check", "--format", "json", "sts.yaml", "svc.yaml", "--extend-select", "STS005")
    assert run.triples() == [("STS104", 6, 3), ("STS005", 6, 24)]


def test_an_annotation_on_a_context_service_suppresses_too(tmp_path):
    root = repo(tmp_path, {"sts.yaml": GOVERNED, "services/svc.yaml": NOT_HEADLESS})
    run = stslint(root, "check", "--format", "json", "sts.yaml", "--context", "services", "--no-cache",
                  "--extend-select", "STS005")
    assert run.triples() == [("STS104", 6, 3)]  # the same verdict as checking both files together


def test_an_annotation_covers_its_own_list_item_only(tmp_path):
    item = ("  - apiVersion: {api}\n    kind: StatefulSet\n    metadata:\n      name: web\n{annotations}"
            "    spec:\n      serviceName: web\n      selector: {{matchLabels: {{app: web}}}}\n"
            "      template:\n        metadata: {{labels: {{app: web}}}}\n        spec:\n"
            "          containers: [{{name: nginx, image: nginx}}]\n")
    annotated = "      annotations: {stslint.io/ignore: STS301}\n"
    text = ("apiVersion: v1\nkind: List\nitems:\n" + item.format(api="example.com/v1", annotations=annotated)
            + item.format(api="apps/v1", annotations="") + item.format(api="apps/v1", annotations=annotated)
            + "---\n" + STATEFULSET.split("---\n")[1])
    codes = [(code, line) for code, line, _ in lint(tmp_path, text, "--select", "STS301").triples()]
    assert codes == [("STS301", 26)]  # the unannotated apps/v1 item; neither annotation covers another object

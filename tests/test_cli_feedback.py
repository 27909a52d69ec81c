"""What the command line tells the user when a run could silently do less than asked (issue 19):
a run that checks nothing, context that is not loaded, standard input named but not read, options
validated like their configuration keys, near misses, the bare command, and what ``-v`` says."""
from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from stslint.cli import cli
from tests.config_helpers import PV_DELETE, STATEFULSET, repo, stslint, write
from tests.conftest import ROOT, run_stslint

SERVICE_ONLY = STATEFULSET.split("---\n")[1]
"""The headless Service of STATEFULSET alone: one object, no StatefulSet, no finding."""
CHART = {"charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
         "charts/app/templates/sts.yaml": STATEFULSET}
"""A Helm chart whose only manifests are templates (a walk skips them)."""


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("stslint: warning: ")]


# --- 2. a run that checks nothing ---------------------------------------------------------------

@pytest.mark.parametrize(("files", "path", "reason"), [
    (CHART, "charts", "Helm templates/ skipped"),
    ({**CHART, "charts/app/values.yaml": "replicas: 3\n"}, "charts/app",
     "no Kubernetes object; Helm templates/ skipped"),
    ({"empty/.keep": ""}, "empty", "no YAML/JSON file"),
    ({"j2/sts.yaml.j2": STATEFULSET, "j2/svc.yml.j2": SERVICE_ONLY}, "j2", "no YAML/JSON file"),
    ({"ci/.gitlab-ci.yml": "job: {script: [make]}\n", "ci/.hidden/sts.yaml": STATEFULSET}, "ci",
     "hidden files and directories skipped"),
    ({"k8s/vendor/sts.yaml": STATEFULSET, ".stslint.yaml": "exclude: [vendor]\n"}, "k8s", "excluded paths skipped"),
    ({"values.yaml": "replicas: 3\n"}, "values.yaml", "no Kubernetes object"),
])
def test_a_run_that_checks_nothing_warns_for_each_path_and_exits_zero(tmp_path, files, path, reason):
    root = repo(tmp_path, files)
    run = stslint(root, "check", "--render", "never", path)  # a chart not rendered: its templates are skipped
    assert run.exit_code == 0
    assert run.stdout.endswith("(no Kubernetes object).\n"), run.stdout
    assert warnings_of(run.stderr) == [f"stslint: warning: {path}: no manifest found ({reason})"]


def test_the_default_path_and_standard_input_are_paths_given_too(tmp_path):
    root = repo(tmp_path, {"notes/a.txt": "hello\n"})
    assert warnings_of(stslint(root, "check").stderr) == ["stslint: warning: .: no manifest found (no YAML/JSON file)"]
    named = stslint(root, "check", "-", "--stdin-filename", "values.yaml")
    assert warnings_of(named.stderr) == ["stslint: warning: values.yaml: no manifest found (no Kubernetes object)"]


def test_a_path_left_out_by_force_exclude_says_so(tmp_path):
    root = repo(tmp_path, {"vendor/sts.yaml": STATEFULSET, ".hidden/sts.yaml": STATEFULSET,
                           ".stslint.yaml": "exclude: [vendor]\n"})
    run = stslint(root, "check", "--force-exclude", "vendor/sts.yaml", ".hidden/sts.yaml")
    assert run.exit_code == 0
    assert warnings_of(run.stderr) == [
        "stslint: warning: .hidden/sts.yaml: no manifest found (hidden, skipped by --force-exclude)",
        "stslint: warning: vendor/sts.yaml: no manifest found (excluded by --force-exclude)"]


def test_a_directory_that_gives_nothing_is_warned_about_beside_paths_that_give_objects(tmp_path):
    root = repo(tmp_path, {**CHART, "k8s/sts.yaml": STATEFULSET, "values.yaml": "replicas: 3\n"})
    run = stslint(root, "check", "--render", "never", "--exit-zero", "k8s", "charts", "values.yaml")
    # a named file without objects (Helm values, what pre-commit passes) is not: the run checked something
    assert warnings_of(run.stderr) == ["stslint: warning: charts: no manifest found (Helm templates/ skipped)"]


def test_files_with_input_errors_explain_themselves(tmp_path):
    root = repo(tmp_path, {"broken/a.yaml": "a: [\n"})
    run = stslint(root, "check", "broken")
    assert run.exit_code == 1 and "STS001" in run.stdout
    assert warnings_of(run.stderr) == []


def test_fail_on_empty_from_the_command_line_and_the_configuration(tmp_path):
    root = repo(tmp_path, {**CHART, "k8s/sts.yaml": STATEFULSET})
    args = ("--extend-select", "STS3", "--ignore", "STS3")  # k8s/sts.yaml then has no finding
    assert stslint(root, "check", "--render", "never", "charts").exit_code == 0
    assert stslint(root, "check", "--render", "never", "--fail-on-empty", "charts").exit_code == 1
    assert stslint(root, "check", "--render", "never", "--fail-on-empty", "charts", "k8s", *args).exit_code == 0
    assert stslint(root, "check", "--render", "never", "--fail-on-empty", "--exit-zero", "charts").exit_code == 0
    write(root, {".stslint.yaml": "fail-on-empty: true\n"})
    failed = stslint(root, "check", "--render", "never", "charts")
    assert failed.exit_code == 1
    assert warnings_of(failed.stderr) == ["stslint: warning: charts: no manifest found (Helm templates/ skipped)"]
    assert stslint(root, "check", "--render", "never", "--no-fail-on-empty", "charts").exit_code == 0
    # in hook mode pre-commit names the files (a commit may touch only Helm values): the file's gate is not applied
    write(root, {"values.yaml": "replicas: 3\n"})
    assert stslint(root, "check", "--render", "never", "--hook", "values.yaml").exit_code == 0
    assert stslint(root, "check", "--render", "never", "--hook", "--fail-on-empty", "values.yaml").exit_code == 1


def test_fail_on_empty_must_be_a_boolean(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "fail-on-empty: 'true'\n"})
    run = stslint(root, "check", "sts.yaml")
    assert (run.exit_code, run.stderr) == (
        2, 'stslint: .stslint.yaml:1: "fail-on-empty" must be true or false; found string "true"\n')


@pytest.mark.parametrize(("files", "summary"), [
    ({"a.yaml": SERVICE_ONLY}, "No problems found in 1 file (0 StatefulSets, 1 other object)."),
    ({"a.yaml": SERVICE_ONLY + "---\n" + SERVICE_ONLY.replace("name: web", "name: db")},
     "No problems found in 1 file (0 StatefulSets, 2 other objects)."),
    ({"a.yaml": STATEFULSET}, "No problems found in 1 file (1 StatefulSet)."),
    ({"a.yaml": STATEFULSET, "b.yaml": STATEFULSET.replace("web", "db")},
     "No problems found in 2 files (2 StatefulSets)."),
    ({"a.yaml": "replicas: 3\n"}, "No problems found in 1 file (no Kubernetes object)."),
])
def test_the_clean_summary_names_what_was_checked(tmp_path, files, summary):
    root = repo(tmp_path, files)
    for fmt in ("text", "full", "github"):
        run = stslint(root, "check", "--format", fmt, "--ignore", "STS3", *files)
        assert (run.exit_code, run.stdout.splitlines()[-1]) == (0, summary)


def test_the_found_line_and_json_summary(tmp_path):
    root = repo(tmp_path, {"a.yaml": STATEFULSET, "pv.yaml": PV_DELETE})
    assert stslint(root, "check", "a.yaml", "pv.yaml").stdout.splitlines()[-1] == \
        "Found 3 problems (1 error, 2 warnings) in 2 files."
    report = stslint(root, "check", "--format", "json", "a.yaml", "pv.yaml").json()
    assert report["summary"] == {"files": 2, "objects": 3, "statefulsets": 1, "errors": 1, "warnings": 2}


def test_no_manifest_warnings_are_carried_by_json_and_sarif(tmp_path):
    root = repo(tmp_path, CHART)
    report = stslint(root, "check", "--render", "never", "--format", "json", "charts").json()
    assert report["warnings"] == [{"file": "charts", "line": 0,
                                   "message": "no manifest found (Helm templates/ skipped)"}]
    sarif = json.loads(stslint(root, "check", "--render", "never", "--format", "sarif", "charts").stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)  # a location without a region: the directory as a whole
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == "no manifest found (Helm templates/ skipped)"
    assert note["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "charts",
                                                                             "uriBaseId": "%SRCROOT%"}}


# --- 3. context asked for and not used ----------------------------------------------------------

def test_context_git_outside_a_git_work_tree_warns_without_verbose(tmp_path):
    write(tmp_path, {"db.yaml": STATEFULSET})
    done = run_stslint("check", "--isolated", "--context-git", "db.yaml", cwd=tmp_path,
                       env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert done.returncode == 1
    [line] = warnings_of(done.stderr)
    assert line.startswith("stslint: warning: .: not in a git work tree, so --context-git (or the configuration's "
                           "context: git) loads no context for the files there;"), line


def test_a_missing_context_path_is_a_usage_error_on_the_command_line_and_a_warning_in_the_file(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    done = run_stslint("check", "--context", "services", "sts.yaml", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1 and "'--context'" in done.stderr and "'services' does not exist" in done.stderr
    write(root, {".stslint.yaml": "context: [services, shared]\n", "shared/x.yaml": SERVICE_ONLY})
    run = stslint(root, "check", "--ignore", "STS3", "sts.yaml")
    assert run.exit_code == 0
    assert warnings_of(run.stderr) == ["stslint: warning: services: context path does not exist; skipped"]
    report = stslint(root, "check", "--format", "json", "--ignore", "STS3", "sts.yaml").json()
    assert report["warnings"] == [{"file": "services", "line": 0, "message": "context path does not exist; skipped"}]


# --- 5. --stdin-filename ------------------------------------------------------------------------

def test_stdin_filename_without_a_path_reads_standard_input(tmp_path, monkeypatch):
    root = repo(tmp_path, {"other.yaml": PV_DELETE})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check", "--stdin-filename", "k8s/web.yaml"], input=STATEFULSET)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("k8s/web.yaml:14:11: STS301")
    assert "other.yaml" not in result.stdout  # "." was not linted
    assert result.stdout.splitlines()[-1] == "Found 2 problems (0 errors, 2 warnings) in 1 file."


def test_stdin_filename_with_paths_but_without_dash_is_a_usage_error(tmp_path):
    root = repo(tmp_path, {"other.yaml": PV_DELETE})
    done = run_stslint("check", "--stdin-filename", "x.yaml", "other.yaml", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("stslint: error: --stdin-filename names standard input, which is not among the paths; "
                           "add - to read it (see stslint check --help)\n")


# --- 9. the command line validated like the configuration ---------------------------------------

@pytest.mark.parametrize("value", ["Prod", "", "-a", "a" * 64, "a_b"])
def test_namespace_option_is_checked_like_the_configuration_key(tmp_path, value):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    run = stslint(root, "check", "-n", value, "sts.yaml")
    assert run.exit_code == 2 and run.stdout == ""
    found = f'found string "{value}"'
    assert ("must be a Kubernetes namespace name (lowercase letters, digits and '-', at most 63 characters); "
            + found) in run.stderr
    write(root, {".stslint.yaml": f"namespace: '{value}'\n"})
    from_file = stslint(root, "check", "sts.yaml")
    assert from_file.exit_code == 2 and ("must be a Kubernetes namespace name (lowercase letters, digits and '-', "
                                         "at most 63 characters); " + found) in from_file.stderr


@pytest.mark.parametrize("value", ["", " ", ",", " , "])
def test_an_empty_select_is_a_usage_error(tmp_path, value):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    done = run_stslint("check", "--select", value, "sts.yaml", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("stslint: error: --select names no rule;") and done.stderr.count("\n") == 1


def test_an_empty_select_in_the_configuration_is_a_configuration_error(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "select: []\n"})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2 and run.stderr.startswith('stslint: .stslint.yaml:1: "select" names no rule;')


def test_format_near_misses_get_did_you_mean(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    done = run_stslint("check", "--format", "sarf", "sts.yaml", cwd=root)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "Invalid value for '--format'" in done.stderr and 'did you mean "sarif"?' in done.stderr
    assert 'did you mean "json"?' in run_stslint("rules", "--format", "jsno").stderr
    assert "did you mean" not in run_stslint("check", "--format", "xml", "sts.yaml", cwd=root).stderr
    write(root, {".stslint.yaml": "format: gitlba\n"})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2 and run.stderr.rstrip().endswith('found string "gitlba"; did you mean "gitlab"?')


@pytest.mark.parametrize(("word", "meant"), [
    ("readiness-probe", "did you mean STS301 (readiness-probe-missing)?"),
    ("probe", "did you mean one of STS301 (readiness-probe-missing), STS302 (liveness-probe-missing), "
              "STS303 (probe-port-unknown), STS304 (probes-identical), STS305 (init-container-probe), "
              "STS306 (probe-handler-missing)?"),
    ("STS10", "did you mean one of STS101 (service-name-missing), STS102 (service-not-found), "
              "STS103 (service-not-headless), STS104 (service-selector-mismatch)?"),
    ("STS0301", "did you mean STS301 (readiness-probe-missing)?"),
    ("servce-not-headless", "did you mean STS103 (service-not-headless)?"),
    ("no-such-rule", "`stslint rules` lists them"),
])
def test_explain_of_an_unknown_rule_lists_what_it_may_mean(word, meant):
    done = run_stslint("explain", word)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"stslint: error: unknown rule {word!r}; {meant} (see stslint explain --help)\n"


def test_naming_an_input_error_in_a_selection_warns_that_it_is_always_reported(tmp_path):
    root = repo(tmp_path, {"broken.yaml": "a: [\n"})
    run = stslint(root, "check", "--ignore", "STS001,STS3", "--extend-select", "duplicate-key", "broken.yaml")
    assert run.exit_code == 1 and "STS001" in run.stdout
    assert warnings_of(run.stderr) == [
        "stslint: warning: --extend-select: duplicate-key (STS002) is an input error, always reported: naming it "
        "in a selection has no effect",
        "stslint: warning: --ignore: STS001 (invalid-yaml) is an input error, always reported: naming it in a "
        "selection has no effect"]
    assert warnings_of(stslint(root, "check", "--ignore", "STS0", "broken.yaml").stderr) == []  # a prefix: no
    write(root, {".stslint.yaml": "select: [ALL]\nignore:\n  - STS3\n  - invalid-yaml\n"
                                  "per-file-ignores:\n  'legacy/**': [STS004]\n"})
    run = stslint(root, "check", "broken.yaml")
    assert run.stderr.splitlines() == [
        'stslint: .stslint.yaml:4: warning: "ignore": invalid-yaml (STS001) is an input error, always reported: '
        "naming it in a selection has no effect",
        'stslint: .stslint.yaml:6: warning: "per-file-ignores.legacy/**": STS004 (unreadable-file) is an input '
        "error, always reported: naming it in a selection has no effect"]
    assert [w["line"] for w in stslint(root, "check", "--format", "json", "broken.yaml").json()["warnings"]] == [4, 6]


@pytest.mark.parametrize("comment", [
    "# STSLINT: disable-line=STS301",
    "# StsLint: DISABLE-LINE=sts301",
    "# stslint: Disable=Readiness-Probe-Missing",
])
def test_suppression_directives_are_recognised_whatever_their_case(tmp_path, comment):
    text = STATEFULSET.replace("        - name: nginx\n", f"        - name: nginx  {comment}\n")
    root = repo(tmp_path, {"sts.yaml": text})
    run = stslint(root, "check", "--format", "json", "--extend-select", "STS005", "sts.yaml")
    assert (run.triples(), run.stderr) == ([("STS302", 14, 11)], "")


def test_an_uppercase_directive_inside_a_quoted_value_is_not_a_comment(tmp_path):
    text = STATEFULSET.replace("        - name: nginx\n", '        - name: "nginx # STSLINT: disable-line=STS301"\n')
    root = repo(tmp_path, {"sts.yaml": text})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11),
                                                                                ("STS302", 14, 11)]
    disabled = text.replace('"\n', '"  # STSLINT: disable-line=STS302\n', 1)
    write(root, {"sts.yaml": disabled})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]


# --- 10. the bare command and -v ----------------------------------------------------------------

def test_bare_stslint_is_a_one_line_usage_error_listing_the_commands():
    done = run_stslint()
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("stslint: error: missing command; usage: stslint COMMAND [ARGS]..., where COMMAND is "
                           "check, explain, fix, rules or server (see stslint --help)\n")
    helped = run_stslint("--help")
    assert helped.returncode == 0 and helped.stdout.startswith("Usage: stslint [OPTIONS] COMMAND [ARGS]...")
    checked = run_stslint("check", "--help")
    assert checked.returncode == 0 and checked.stdout.startswith("Usage: stslint check [OPTIONS] [PATHS]...")


@pytest.mark.parametrize(("files", "args", "line"), [
    ({".stslint.yaml": "fail-on: error\n"}, (), "stslint: configuration file: .stslint.yaml"),
    ({"pyproject.toml": "[tool.stslint]\nfail-on = 'error'\n"}, (), "stslint: configuration file: pyproject.toml"),
    ({"c.yml": "fail-on: error\n"}, ("--config", "c.yml"), "stslint: configuration file: c.yml"),
    ({}, (), "stslint: no configuration file"),
    ({".stslint.yaml": "fail-on: error\n"}, ("--isolated",), "stslint: no configuration file (--isolated)"),
])
def test_verbose_names_the_configuration_file_in_use(tmp_path, files, args, line):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, **files})
    run = stslint(root, "check", "-v", *args, "sts.yaml")
    assert line in run.stderr.splitlines()
    assert line not in stslint(root, "check", *args, "sts.yaml").stderr


def test_a_configuration_file_beside_the_one_in_use_is_a_warning(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "fail-on: error\n",
                           ".stslint.yml": "select: [STS1]\n",
                           "pyproject.toml": "[tool.stslint]\nfail-on = 'warning'\n"})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 0  # .stslint.yaml is the one read: only warnings, which fail-on: error lets pass
    assert warnings_of(run.stderr) == [
        "stslint: warning: .stslint.yml: not read: .stslint.yaml beside it is the configuration in use (one file "
        "per directory is read; merge the two and delete one)",
        "stslint: warning: pyproject.toml: not read: .stslint.yaml beside it is the configuration in use (one file "
        "per directory is read; merge the two and delete one)"]
    assert warnings_of(stslint(root, "check", "--config", ".stslint.yml", "sts.yaml").stderr) == []
    write(root, {"pyproject.toml": "[tool.black]\n"})  # no [tool.stslint] table: nothing is shadowed
    (root / ".stslint.yml").unlink()
    assert warnings_of(stslint(root, "check", "sts.yaml").stderr) == []


# --- 11. -v counts ------------------------------------------------------------------------------

def test_verbose_context_counts_agree_in_number(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, "ctx/pv.yaml": PV_DELETE, "ctx2/a.yaml": SERVICE_ONLY})
    one = stslint(root, "check", "-v", "--context", "ctx", "sts.yaml")
    assert "stslint: context: 1 file loaded, 0 skipped (0 read from the cache, 1 parsed)" in one.stderr
    two = stslint(root, "check", "-v", "--no-cache", "--context", "ctx", "--context", "ctx2", "sts.yaml")
    assert "stslint: context: 2 files loaded, 0 skipped (0 read from the cache, 2 parsed)" in two.stderr


def test_check_help_lists_what_a_walk_reads_and_what_force_exclude_covers():
    from click.testing import CliRunner

    from stslint.cli import cli

    done = CliRunner().invoke(cli, ["check", "--help"])
    assert done.exit_code == 0
    text = " ".join(done.output.split())
    assert "A directory walk reads *.yaml, *.yml, *.json and Kustomization files" in text
    assert "Chart.yaml and templates/" in text
    assert ("--force-exclude Apply the configuration's exclude and the walk's skips (hidden files, Chart.yaml, a "
            "chart's templates/) to files named on the command line too") in text

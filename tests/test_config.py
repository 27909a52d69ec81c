"""Configuration end to end through the CLI: discovery, every validation message (file and line),
command-line precedence, per-rule options, severity overrides, exclude and per-file-ignores."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stslint.config import Config, find_config, load_config
from tests.config_helpers import PV_DELETE, STATEFULSET, repo, stslint, write
from tests.conftest import ROOT, run_stslint

PROBES_ONLY = [("STS301", 14, 11), ("STS302", 14, 11)]


# --- discovery -------------------------------------------------------------------------------------

def test_yaml_config_in_the_current_directory_is_used(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "ignore: [STS302]\n"})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]


def test_yml_config_is_found_from_a_subdirectory(tmp_path):
    root = repo(tmp_path, {"k8s/app/sts.yaml": STATEFULSET, ".stslint.yml": "ignore: [STS301]\n"})
    run = stslint(root / "k8s" / "app", "check", "--format", "json", "sts.yaml")
    assert run.triples() == [("STS302", 14, 11)]


def test_yaml_beats_yml_beats_pyproject_in_one_directory(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "ignore: [STS302]\n",
                           ".stslint.yml": "ignore: [STS301]\n",
                           "pyproject.toml": "[tool.stslint]\nignore = ['STS3']\n"})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]
    (root / ".stslint.yaml").unlink()
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS302", 14, 11)]
    (root / ".stslint.yml").unlink()
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == []


def test_pyproject_table_is_used(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, "pyproject.toml": """\
        [project]
        name = "demo"

        [tool.stslint]
        select = ["readiness-probe-missing"]
        """})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]


def test_pyproject_without_the_table_is_skipped_and_the_search_goes_on(tmp_path):
    root = repo(tmp_path, {"sub/sts.yaml": STATEFULSET, ".stslint.yaml": "ignore: [STS302]\n",
                           "sub/pyproject.toml": "[project]\nname = 'demo'  # mentions stslint\n"})
    assert find_config(str(root / "sub"), home=str(tmp_path)) == str(root / ".stslint.yaml")
    assert stslint(root / "sub", "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]


def test_discovery_stops_at_the_repository_root(tmp_path):
    write(tmp_path, {".stslint.yaml": "ignore: [ALL]\n"})  # above the repository: never read
    root = repo(tmp_path, {"app/sts.yaml": STATEFULSET})
    assert find_config(str(root / "app"), home="/nonexistent") is None
    assert stslint(root / "app", "check", "--format", "json", "sts.yaml").triples() == PROBES_ONLY


def test_discovery_stops_at_the_home_directory(tmp_path):
    write(tmp_path, {".stslint.yaml": "ignore: [ALL]\n", "home/me/proj/sts.yaml": STATEFULSET})
    home = tmp_path / "home" / "me"
    assert find_config(str(home / "proj"), home=str(home)) is None
    write(home, {".stslint.yaml": "ignore: [STS302]\n"})
    assert find_config(str(home / "proj"), home=str(home)) == str(home / ".stslint.yaml")


def test_config_option_names_the_file_and_isolated_ignores_all(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "ignore: [STS302]\n",
                           "ci/strict.yaml": "ignore: [STS301]\n", "ci/tool.toml": "ignore = ['STS3']\n"})
    assert stslint(root, "check", "--format", "json", "--config", "ci/strict.yaml", "sts.yaml").triples() == \
        [("STS302", 14, 11)]
    assert stslint(root, "check", "--format", "json", "--config", "ci/tool.toml", "sts.yaml").triples() == []
    assert stslint(root, "check", "--format", "json", "--isolated", "sts.yaml").triples() == PROBES_ONLY
    both = stslint(root, "check", "--isolated", "--config", "ci/strict.yaml", "sts.yaml")
    assert both.exit_code == 2 and "cannot be combined" in both.stderr


def test_globs_and_context_are_relative_to_the_config_file(tmp_path):
    root = repo(tmp_path, {"k8s/.stslint.yaml": "exclude: [legacy]\ncontext: [../shared]\npolicies: [policies]\n",
                           "k8s/policies/README.md": "policy files go here\n"})
    config = load_config(str(root / "k8s" / ".stslint.yaml"))
    assert config.directory == str(root / "k8s")
    assert config.context == ["../shared"] and config.policies == ["policies"]
    assert load_config(str(write(root, {"g.yaml": "context: git\n"}) / "g.yaml")).context == "git"


# --- validation: one line, the file, the key's line, what was expected ---------------------------

YAML_ERRORS = [
    ("select:\n  - STS3\n  - STS999\n", 3, '"select": unknown rule selector "STS999"; expected a rule code (STS103), '
     "a code prefix (STS1), a rule name or ALL"),
    ("select: STS3\n", 1, '"select" must be a list of rule selectors'),
    ("ignore: [readines-probe-missing]\n", 1, 'did you mean "readiness-probe-missing"?'),
    ("extend-select: [1]\n", 1, 'item 1 of "extend-select" must be a non-empty string'),
    ("fail-on: info\n", 1, '"fail-on" must be "error" or "warning"; found string "info"'),
    ("format: xml\n", 1, '"format" must be'),
    ("namespace: Prod\n", 1, '"namespace" must be a Kubernetes namespace name'),
    ("namespace: yes\n", 1, "found boolean true (YAML reads yes/no/on/off as booleans: quote it)"),
    ("context: hg\n", 1, '"context" must be "git" or a list of paths; found string "hg"'),
    ("policies: p.rego\n", 1, '"policies" must be a list of paths'),
    ("exclude:\n  - ok\n  - ''\n", 3, 'item 2 of "exclude" must be a non-empty string (path globs)'),
    ("severity:\n  STS301: fatal\n", 2, '"severity.STS301" must be "error" or "warning"; found string "fatal"'),
    ("severity:\n  STS001: warning\n", 2, '"severity": STS001 is an input error'),
    ("severity:\n  STS999: error\n", 2, '"severity": unknown rule "STS999"; expected a rule code or name'),
    ("severity: [STS301]\n", 1, '"severity" must be a mapping of rule code or name to "error" or "warning"'),
    ("per-file-ignores:\n  'tests/*':\n    - STS9\n", 3, '"per-file-ignores.tests/*": unknown rule selector "STS9"'),
    ("per-file-ignores: [x]\n", 1, '"per-file-ignores" must be a mapping of path globs'),
    ("rules:\n  STS301:\n    exempt-container: [x]\n", 3,
     '"rules.STS301": unknown option "exempt-container"; expected one of exempt-containers, exempt-images; '
     'did you mean "exempt-containers"?'),
    ("rules:\n  STS301:\n    exempt-images: fluent\n", 3,
     '"rules.STS301.exempt-images" must be a list of strings; found string "fluent"'),
    ("rules:\n  STS101:\n    x: 1\n", 3, '"rules.STS101": unknown option "x"; STS101 has no options'),
    ("rules:\n  nope: {}\n", 2, '"rules": unknown rule "nope"'),
    ("rules:\n  STS301: [x]\n", 2, '"rules.STS301" must be a mapping of the options of STS301; found list'),
    ("rules:\n  STS301: {}\n  readiness-probe-missing: {}\n", 3, "rule STS301 is given twice"),
    ("selct: [STS1]\n", 1, 'unknown key "selct"; expected one of baseline, context, exclude, extend-select, fail-on, '
     'fail-on-empty, format, helm, ignore, kubernetes-version, kustomize, namespace, per-file-ignores, policies, '
     'render, rules, select, '
     'severity; did you mean '
     '"select"?'),
    ("# comment\n- STS1\n", 2, "the configuration must be a mapping of settings"),
    ("kubernetes-version: 1.29\n", 1, '"kubernetes-version" must be a Kubernetes release such as 1.29 or v1.29; '
     "found 1.29"),
    ("kubernetes-version: v2.0\n", 1, '"kubernetes-version" must be a Kubernetes release such as 1.29 or v1.29; '
     'found "v2.0"'),
    ("a: [\n", 2, "invalid YAML:"),
    ("select: []\nselect: []\n", 2, 'duplicate key "select"'),
    ("select: []\n---\nignore: []\n", 3, "several YAML documents"),
]


@pytest.mark.parametrize(("text", "line", "message"), YAML_ERRORS, ids=[e[2][:40] for e in YAML_ERRORS])
def test_yaml_config_error_is_one_line_naming_file_and_line(tmp_path, text, line, message):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    (root / ".stslint.yaml").write_text(text)
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"stslint: .stslint.yaml:{line}: "), run.stderr
    assert message in run.stderr


TOML_ERRORS = [
    ('[tool.stslint]\nselect = [\n  "STS3",\n  "STS9",\n]\n', 4, '"select": unknown rule selector "STS9"'),
    ("[project]\nname = 'x'\n\n[tool.stslint.rules.STS301]\nexempt-images = 3\n", 5,
     '"rules.STS301.exempt-images" must be a list of strings; found integer 3'),
    ("[tool.stslint]\nrules = { STS302 = { exempt = [] } }\n", 2, '"rules.STS302": unknown option "exempt"'),
    ('[tool.stslint]\nfail-on = "warning"\n[tool.stslint.severity]\nSTS301 = "fatal"\n', 4,
     '"severity.STS301" must be "error" or "warning"'),
    ("[tool.stslint]\nformt = 'json'\n", 2, 'unknown key "formt"'),
    ("[tool]\nstslint = 3\n", 2, "the configuration must be a mapping of settings"),
    ("[tool.stslint\n", 1, "invalid TOML: "),
]


@pytest.mark.parametrize(("text", "line", "message"), TOML_ERRORS, ids=[e[2][:40] for e in TOML_ERRORS])
def test_pyproject_error_names_the_line_of_the_key(tmp_path, text, line, message):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, "pyproject.toml": text})
    run = stslint(root, "check", "sts.yaml")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(f"stslint: pyproject.toml:{line}: "), run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_missing_config_file_and_pyproject_without_table_named_explicitly(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, "pyproject.toml": "[project]\nname = 'x'\n"})
    missing = stslint(root, "check", "--config", "nope.yaml", "sts.yaml")
    assert (missing.exit_code, missing.stderr) == (
        2, "stslint: nope.yaml: cannot read the configuration file: No such file or directory\n")
    no_table = stslint(root, "check", "--config", "pyproject.toml", "sts.yaml")
    assert no_table.exit_code == 2 and "has no [tool.stslint] table" in no_table.stderr


def test_config_error_through_the_real_entry_point(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "rules:\n  STS301:\n    bogus: 1\n"})
    done = run_stslint("check", "sts.yaml", cwd=root)
    assert done.returncode == 2
    assert done.stderr == ('stslint: .stslint.yaml:3: "rules.STS301": unknown option "bogus"; expected one of '
                           "exempt-containers, exempt-images\n")


# --- what the settings do ----------------------------------------------------------------------

def test_every_key_at_once_is_accepted(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": """\
        select: [ALL]
        ignore: [STS4]
        extend-select: [STS005]
        severity: {readiness-probe-missing: error}
        exclude: [vendor]
        per-file-ignores: {"legacy/*.yaml": [STS1]}
        namespace: prod
        fail-on: error
        format: json
        context: []
        policies: []
        rules:
          STS302: {exempt-containers: [sidecar]}
        """})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 1  # STS301 is an error now, and fail-on: error
    report = run.json()
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("STS301", "error"), ("STS302", "warning")]


def test_rule_options_exempt_containers_and_images(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    write(root, {".stslint.yaml": "rules:\n  readiness-probe-missing:\n    exempt-containers: [nginx]\n"})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS302", 14, 11)]
    write(root, {".stslint.yaml": "rules:\n  STS302:\n    exempt-images: ['nginx:*']\n"})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS301", 14, 11)]


def test_declared_defaults_fill_in_the_options_of_configured_rules(tmp_path):
    from stslint.analysis import RulePlan

    config = Config(rules={"STS301": {"exempt-images": ["x"]}})
    assert config.rule_options() == {"STS301": {"exempt-images": ["x"]}}
    options = RulePlan.of(config.settings()).options
    assert options["STS301"] == {"exempt-containers": [], "exempt-images": ["x"]}
    assert options["STS302"] == {"exempt-containers": [], "exempt-images": []}  # not configured: defaults


def test_command_line_overrides_the_file(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, "pv.yaml": PV_DELETE, ".stslint.yaml": """\
        select: [STS302]
        format: json
        fail-on: error
        """})
    from_file = stslint(root, "check", "sts.yaml")
    assert from_file.exit_code == 0 and from_file.triples() == [("STS302", 14, 11)]
    cli = stslint(root, "check", "--select", "STS301", "--format", "text", "--fail-on", "warning", "sts.yaml")
    assert cli.exit_code == 1
    assert cli.stdout.startswith("sts.yaml:14:11: STS301 [warning]")


def test_namespace_from_the_file_and_the_command_line(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "namespace: prod\nformat: json\n"})
    assert {f["namespace"] for f in stslint(root, "check", "sts.yaml").json()["findings"]} == {"prod"}
    assert {f["namespace"] for f in stslint(root, "check", "-n", "dev", "sts.yaml").json()["findings"]} == {"dev"}


def test_format_from_the_file_beats_github_actions_detection(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    detected = stslint(root, "check", "sts.yaml", env={"GITHUB_ACTIONS": "true"})
    assert detected.stdout.startswith("::warning ") or "github" not in _formats()
    write(root, {".stslint.yaml": "format: json\n"})
    assert stslint(root, "check", "sts.yaml", env={"GITHUB_ACTIONS": "true"}).json()["findings"]


def _formats() -> list[str]:
    from stslint.reporting import FORMATS

    return list(FORMATS)


def test_exclude_applies_to_walks_and_with_force_exclude_to_named_files(tmp_path):
    root = repo(tmp_path, {"k8s/app/sts.yaml": STATEFULSET, "k8s/vendor/pv.yaml": PV_DELETE,
                           "k8s/gen/x.generated.yaml": PV_DELETE, "k8s/.stslint.yaml": "exclude: [vendor, '*.generated.yaml']\n"})
    walked = stslint(root / "k8s", "check", "--format", "json", ".")
    assert {f["file"] for f in walked.json()["findings"]} == {"app/sts.yaml"}
    named = stslint(root / "k8s", "check", "--format", "json", "vendor/pv.yaml")
    assert named.triples() == [("STS403", 6, 3)]
    forced = stslint(root / "k8s", "check", "--format", "json", "--force-exclude", "vendor/pv.yaml",
                     "gen/x.generated.yaml", "app/sts.yaml")
    assert {f["file"] for f in forced.json()["findings"]} == {"app/sts.yaml"}


def test_force_exclude_applies_the_built_in_walk_skips_to_named_files(tmp_path):
    root = repo(tmp_path, {".hidden/pv.yaml": PV_DELETE, "chart/Chart.yaml": "name: c\n",
                           "chart/templates/pv.yaml": PV_DELETE, "pv.yaml": PV_DELETE})
    named = ["--format", "json", ".hidden/pv.yaml", "chart/templates/pv.yaml", "pv.yaml"]
    assert len(stslint(root, "check", *named).json()["findings"]) == 3
    forced = stslint(root, "check", "--force-exclude", "--render", "never", *named).json()
    assert [f["file"] for f in forced["findings"]] == ["pv.yaml"]
    # rendering (an engine installed): the named template renders its chart instead, here a broken one
    rendered = stslint(root, "check", "--force-exclude", *named).json()
    assert "chart/templates/pv.yaml" not in [f["file"] for f in rendered["findings"]]


def test_per_file_ignores(tmp_path):
    root = repo(tmp_path, {"apps/sts.yaml": STATEFULSET, "legacy/sts.yaml": STATEFULSET, ".stslint.yaml": """\
        per-file-ignores:
          "legacy/*.yaml": [STS3]
          "apps/sts.yaml": [liveness-probe-missing]
        """})
    report = stslint(root, "check", "--format", "json", ".").json()
    assert [(f["file"], f["code"]) for f in report["findings"]] == [("apps/sts.yaml", "STS301")]


def test_the_readme_examples_are_valid_configurations(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("## Configuration"):]
    yaml_example = section[section.index("```yaml\n# .stslint.yaml") + 8:]
    yaml_example = yaml_example[:yaml_example.index("```")]
    toml_example = section[section.index("```toml\n") + 8:]
    toml_example = toml_example[:toml_example.index("```")]
    write(tmp_path, {".stslint.yaml": yaml_example, "pyproject.toml": toml_example,
                     "policies/README.md": "the example's policies/ directory: no policy files yet\n"})
    config = load_config(str(tmp_path / ".stslint.yaml"))
    assert config.rules == {"STS301": {"exempt-containers": ["log-forwarder"]},
                            "STS302": {"exempt-images": ["*/fluent-bit:*"]}}
    assert load_config(str(tmp_path / "pyproject.toml")).fail_on == "error"


def test_stdin_filename_meets_per_file_ignores_and_force_exclude(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from stslint.cli import cli

    monkeypatch.chdir(repo(tmp_path, {".stslint.yaml": "exclude: [vendor]\nper-file-ignores: {'apps/*': [STS302]}\n"}))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def codes(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["check", "--format", "json", *args, "-"], input=STATEFULSET)
        return [f["code"] for f in json.loads(result.stdout)["findings"]]

    assert codes("--stdin-filename", "apps/sts.yaml") == ["STS301"]
    assert codes("--stdin-filename", "vendor/sts.yaml", "--force-exclude") == []
    assert codes("--stdin-filename", "vendor/sts.yaml") == ["STS301", "STS302"]


def test_exclude_globs_stay_relative_to_the_config_file_from_a_subdirectory(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "exclude: ['k8s/old/*.yaml']\n", "k8s/old/pv.yaml": PV_DELETE,
                           "k8s/new/pv.yaml": PV_DELETE})
    report = stslint(root / "k8s", "check", "--format", "json", ".").json()
    assert [f["file"] for f in report["findings"]] == ["new/pv.yaml"]


# --- hostile configuration files: located one-line errors, bounded reads ----------------------------

ORDERED = "0123456789ABCZabcz"
REVERSED_RANGE = st.tuples(st.sampled_from(ORDERED), st.sampled_from(ORDERED)).filter(
    lambda pair: pair[0] > pair[1]).map(lambda pair: f"{pair[0]}-{pair[1]}")
INVALID_GLOB = st.builds(lambda before, negate, body, after: f"{before}[{negate}{body}]{after}",
                         st.sampled_from(["", "x/", "**/", "*."]), st.sampled_from(["", "!"]), REVERSED_RANGE,
                         st.sampled_from(["", "*.yaml", "/y"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(glob=INVALID_GLOB, where=st.sampled_from(["exclude", "per-file-ignores", "pyproject exclude",
                                                 "pyproject per-file-ignores"]))
def test_a_glob_that_is_not_one_is_a_located_configuration_error(tmp_path_factory, glob, where):
    root = repo(tmp_path_factory.mktemp("globs"), {"sts.yaml": STATEFULSET})
    quoted = "'" + glob + "'"
    if where == "exclude":
        name, text, line = ".stslint.yaml", f"select: [ALL]\nexclude:\n  - vendor\n  - {quoted}\n", 4
        expected = 'item 2 of "exclude" is not a valid path glob: '
    elif where == "per-file-ignores":
        name, text, line = ".stslint.yaml", f"per-file-ignores:\n  ok/*: [STS3]\n  {quoted}: [STS3]\n", 3
        expected = f'"per-file-ignores": key "{glob}" is not a valid path glob: '
    elif where == "pyproject exclude":
        name, text, line = "pyproject.toml", f"[tool.stslint]\nexclude = [\n  'vendor',\n  {quoted},\n]\n", 4
        expected = 'item 2 of "exclude" is not a valid path glob: '
    else:
        name, text, line = "pyproject.toml", f"[tool.stslint.per-file-ignores]\n{quoted} = ['STS3']\n", 2
        expected = f'"per-file-ignores": key "{glob}" is not a valid path glob: '
    (root / name).write_text(text)
    run = stslint(root, "check", "sts.yaml")
    assert (run.exit_code, run.stdout) == (2, "")
    first, last = glob.index("["), glob.index("]")
    assert run.stderr == (f"stslint: {name}:{line}: {expected}character class \"{glob[first:last + 1]}\" is not "
                          f"valid: bad character range {glob[first + 1:last].lstrip('!')}\n")


def test_an_invalid_glob_through_the_real_entry_point(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "exclude: ['[z-a]']\n"})
    done = run_stslint("check", "sts.yaml", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ('stslint: .stslint.yaml:1: item 1 of "exclude" is not a valid path glob: character class '
                           '"[z-a]" is not valid: bad character range z-a\n')


def _nested(kind: str, depth: int) -> str:
    if kind == "arrays":
        return "exclude = " + "[" * depth + "]" * depth + "\n"
    return "rules = " + "{a = " * depth + "1" + "}" * depth + "\n"


@pytest.mark.parametrize("depth", [200, 1000, 5000, 100_000])
@pytest.mark.parametrize("kind", ["arrays", "inline tables"])
@pytest.mark.parametrize("name", ["stslint.toml", "pyproject.toml"])
def test_a_deeply_nested_toml_configuration_is_a_configuration_error(tmp_path, name, kind, depth):
    prefix = "[tool.stslint]\n" if name == "pyproject.toml" else ""
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, name: prefix + _nested(kind, depth)})
    for args in (("--config", name), ()) if name == "pyproject.toml" else (("--config", name),):
        run = stslint(root, "check", *args, "sts.yaml")
        assert (run.exit_code, run.stdout) == (2, "")
        assert run.stderr.startswith(f"stslint: {name}") and run.stderr.count("\n") == 1, run.stderr
        if depth >= 1000:
            assert run.stderr == f"stslint: {name}: invalid TOML: nested too deeply\n"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _run_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``stslint ARGS`` as a subprocess under 1 GiB of address space and a minute."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "stslint", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, preexec_fn=_limited, stdin=subprocess.DEVNULL)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(1024 * 1024 + 1)


@pytest.mark.parametrize(("make", "reason"), [
    (None, "not a regular file (a device, FIFO or socket)"),
    (_fifo, "not a regular file (a device, FIFO or socket)"),
    (_huge, "the file is 1048577 bytes, larger than the 1048576-byte limit"),
], ids=["dev-zero", "fifo", "over-1-MiB"])
@pytest.mark.parametrize("suffix", [".yaml", ".toml"])
def test_a_configuration_file_is_read_only_if_it_is_a_small_regular_file(tmp_path, make, reason, suffix):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET})
    if make is None:
        config = root / f"zero{suffix}"
        config.symlink_to("/dev/zero")
    else:
        config = root / f"config{suffix}"
        make(config)
    done = _run_limited("check", "--config", config.name, "sts.yaml", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"stslint: {config.name}: cannot read the configuration file: {reason}\n"


def test_a_discovered_pyproject_past_the_size_limit_is_a_configuration_error(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET,
                           "pyproject.toml": "[tool.stslint]\nignore = []\n" + "# stslint\n" * 120_000})
    run = stslint(root, "check", "sts.yaml")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == ("stslint: pyproject.toml: cannot read the configuration file: the file is 1200027 bytes, "
                          "larger than the 1048576-byte limit\n")

"""The command line end to end: commands, options, exit codes, stdin and messages."""
from __future__ import annotations

import json
import os

import pytest

from stslint import __version__
from stslint.rules import RULES
from tests.conftest import FIXTURES, ROOT, run_stslint

BAD_HEADLESS = FIXTURES / "STS103-service-not-headless" / "bad.yaml"
GOOD_HEADLESS = FIXTURES / "STS103-service-not-headless" / "good.yaml"


def test_version():
    done = run_stslint("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"stslint {__version__}"


def test_clean_file_exits_zero_with_summary():
    done = run_stslint("check", str(GOOD_HEADLESS))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "No problems found in 1 file (1 StatefulSet).\n"


def test_findings_exit_one_with_text_lines():
    done = run_stslint("check", str(BAD_HEADLESS))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{BAD_HEADLESS}:21:3: STS103 [error] StatefulSet \"redis\": governing Service")
    assert lines[-1] == "Found 1 problem (1 error, 0 warnings) in 1 file."


def test_paths_are_shown_as_given_and_dot_is_the_default(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yaml").write_text(BAD_HEADLESS.read_text())
    as_dir = run_stslint("check", "sub", cwd=tmp_path)
    assert as_dir.stdout.startswith("sub/bad.yaml:21:3: STS103")
    default = run_stslint("check", cwd=tmp_path)
    assert default.stdout.startswith("sub/bad.yaml:21:3: STS103")
    assert default.returncode == 1


def test_stdin_with_and_without_a_file_name():
    data = BAD_HEADLESS.read_bytes()
    plain = run_stslint("check", "-", input=data)
    assert plain.stdout.startswith("-:21:3: STS103")
    named = run_stslint("check", "-", "--stdin-filename", "k8s/redis.yaml", input=data)
    assert named.stdout.startswith("k8s/redis.yaml:21:3: STS103")


def test_select_and_ignore_by_code_prefix_and_name():
    bad = str(FIXTURES / "STS401-retention-policy-delete" / "bad.yaml")
    assert run_stslint("check", bad, "--select", "STS1").returncode == 0
    assert run_stslint("check", bad, "--ignore", "retention-policy-delete").returncode == 0
    assert run_stslint("check", bad, "--select", "STS4,STS103").returncode == 1
    assert run_stslint("check", bad, "--select", "ALL", "--ignore", "STS401,replicas-not-spread").returncode == 0
    assert run_stslint("check", bad, "--select", "ALL", "--ignore", "STS401").returncode == 1  # opt-in STS605


def test_unknown_selector_is_a_usage_error():
    done = run_stslint("check", str(GOOD_HEADLESS), "--select", "STS999")
    assert done.returncode == 2
    assert "unknown rule selector 'STS999'" in done.stderr
    assert "Traceback" not in done.stderr


def test_input_errors_cannot_be_deselected(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n")
    done = run_stslint("check", str(broken), "--select", "STS101", "--ignore", "STS001")
    assert done.returncode == 1
    assert f"{broken}:2:1: STS001 [error]" in done.stdout


def test_namespace_option_decides_namespace_less_objects(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(GOOD_HEADLESS.read_text().replace("kind: StatefulSet\nmetadata:\n",
                                                          "kind: StatefulSet\nmetadata:\n  namespace: db\n", 1))
    assert run_stslint("check", str(manifest)).returncode == 0
    assert run_stslint("check", str(manifest), "-n", "db").returncode == 0
    other = run_stslint("check", str(manifest), "--namespace", "web")
    assert other.returncode == 1 and "STS102" in other.stdout and 'namespace "web"' in other.stdout


def test_rules_lists_every_code():
    done = run_stslint("rules")
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines()]
    assert listed == sorted(RULES)
    defaults = {line.split()[0]: line.split()[3] for line in done.stdout.splitlines()}
    assert defaults == {code: "opt-in" if rule.opt_in else "on" for code, rule in RULES.items()}
    assert {code for code, state in defaults.items() if state == "opt-in"} == {"STS005", "STS409", "STS605"}
    as_json = json.loads(run_stslint("rules", "--format", "json").stdout)
    assert [r["code"] for r in as_json] == sorted(RULES)
    assert all(r["summary"] for r in as_json)


@pytest.mark.parametrize("code", sorted(RULES))
def test_explain_by_code_and_name(code):
    by_code = run_stslint("explain", code)
    assert by_code.returncode == 0, by_code.stderr
    assert by_code.stdout.startswith(f"{code} {RULES[code].name} [{RULES[code].severity}]")
    assert "Why it matters:" in by_code.stdout and "How to fix it:" in by_code.stdout
    assert "Example (bad):" in by_code.stdout
    by_name = json.loads(run_stslint("explain", RULES[code].name, "--format", "json").stdout)
    assert by_name["code"] == code and by_name["rationale"] and by_name["remediation"]
    assert by_name["examples"]["bad"]


def test_explain_unknown_rule():
    done = run_stslint("explain", "no-such-rule")
    assert done.returncode == 2 and "unknown rule 'no-such-rule'" in done.stderr


def test_internal_error_message(monkeypatch, capsys):
    from stslint import api, cli

    monkeypatch.setattr(api, "lint", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("kaboom")))
    monkeypatch.delenv("STSLINT_DEBUG", raising=False)
    monkeypatch.setattr("sys.argv", ["stslint", "check", str(GOOD_HEADLESS)])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == "stslint: internal error: RuntimeError: kaboom (set STSLINT_DEBUG=1 for a traceback)\n"


def test_python_dash_m_and_from_another_directory(tmp_path):
    done = run_stslint("check", str(ROOT / "fixtures" / "example-app"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.path.isabs(str(ROOT))


@pytest.mark.parametrize("args, words", [
    (["check", "--format", "bogus"], "Invalid value for '--format'"),
    (["check", "--bogus"], "No such option '--bogus'"),
    (["nosuch"], "No such command 'nosuch'"),
])
def test_usage_errors_are_one_line_on_stderr(args, words):
    done = run_stslint(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("stslint: error: ") and words in done.stderr


def test_verbose_context_lines_are_terminal_safe(tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "evil\x1b]0;pwn\x07.yaml").write_text("a: [\n")
    checked = tmp_path / "pv.yaml"
    checked.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    done = run_stslint("check", str(checked), "--context", str(context), "-v")
    assert done.returncode == 0
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "skipped" in done.stderr and "\\x1b]0;pwn\\x07.yaml" in done.stderr


def test_hook_mode_reads_existing_paths_as_file_names(tmp_path):
    from stslint.cli import hook_arguments

    for name in ("-", "--output-file=db.yaml", "-o.yaml", "-x.yaml"):
        (tmp_path / name).write_text("just: settings\n")
    os_cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        args = ["check", "--hook", "--context-git", "--select", "STS3", "-", "--output-file=db.yaml", "-o.yaml",
                "-x.yaml", "--select=STS1", "missing.yaml"]
        assert hook_arguments(args) == ["check", "--hook", "--context-git", "--select", "STS3", "--select=STS1",
                                        "missing.yaml", "--", "./-", "--output-file=db.yaml", "-o.yaml",
                                        "-x.yaml"]
        assert hook_arguments(["check", "-o.yaml"]) == ["check", "-o.yaml"]  # only in hook mode
        done = run_stslint("check", "--hook", "--select=STS3", "-", "--output-file=db.yaml", cwd=tmp_path)
        assert done.returncode == 0 and "in 2 files" in done.stdout, done.stdout + done.stderr
        assert not (tmp_path / "db.yaml").exists()
        refused = run_stslint("check", "--hook", "-o", "report.txt", "-x.yaml", cwd=tmp_path)
        assert refused.returncode == 2 and "refused in hook mode" in refused.stderr
        assert not (tmp_path / "report.txt").exists()
    finally:
        os.chdir(os_cwd)


# --- JSON streams: a text that starts with "{" holds JSON values one after another, as kubectl reads it ---

JSON_STREAM = """{
  "apiVersion": "apps/v1",
  "kind": "StatefulSet",
  "metadata": {"name": "pg"},
  "spec": {
    "serviceName": "pg",
    "selector": {"matchLabels": {"app": "pg"}},
    "template": {
      "metadata": {"labels": {"app": "pg"}},
      "spec": {
        "containers": [
          {
            "name": "postgres",
            "image": "postgres:16.4",
            "livenessProbe": {"tcpSocket": {"port": 5432}, "failureThreshold": 6}
          }
        ]
      }
    }
  }
}{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {"name": "pg"},
  "spec": {"clusterIP": "None", "selector": {"app": "pg"}, "ports": [{"port": 5432}]}
}
{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "cache"},
 "spec": {"serviceName": "cahce", "selector": {"matchLabels": {"app": "cache"}},
  "template": {"metadata": {"labels": {"app": "cache"}}, "spec": {"containers": [{"name": "redis",
   "image": "redis:7", "readinessProbe": {"exec": {"command": ["true"]}}, "livenessProbe": {"exec": {"command": ["true"]}, "failureThreshold": 6}}]}}}}
"""
STREAM_FINDINGS = [("STS301", 13, 13), ("STS102", 28, 11)]
"""The pg container without a readinessProbe (the first object); the cache StatefulSet's serviceName,
naming no Service (the third, at its key); the Service of the second object governs pg."""


def _check(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict]]:
    from click.testing import CliRunner

    from stslint.cli import cli

    result = CliRunner().invoke(cli, ["check", "--isolated", "--format", "json", *args], input=stdin,
                                catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_a_json_stream_file_is_linted_object_by_object_at_its_json_lines(tmp_path):
    (tmp_path / "db.json").write_text(JSON_STREAM)
    code, findings = _check(str(tmp_path / "db.json"))
    assert code == 1
    assert [(f["code"], f["line"], f["column"]) for f in findings] == STREAM_FINDINGS
    assert [f["object"] for f in findings] == ["StatefulSet/pg", "StatefulSet/cache"]
    assert (findings[1]["end_line"], findings[1]["end_column"]) == (28, 24)  # "serviceName" with its quotes


def test_a_json_stream_on_standard_input_is_linted_object_by_object():
    code, findings = _check("-", stdin=JSON_STREAM.encode())
    assert [(f["file"], f["code"], f["line"], f["column"]) for f in findings] == [
        ("-", *where) for where in STREAM_FINDINGS]
    code, findings = _check("-", "--stdin-filename", "k8s/db.yaml", stdin=JSON_STREAM.encode("utf-16"))
    assert [(f["file"], f["code"], f["line"], f["column"]) for f in findings] == [
        ("k8s/db.yaml", *where) for where in STREAM_FINDINGS]


def test_a_yaml_named_file_that_starts_with_a_brace_is_read_as_a_json_stream(tmp_path):
    (tmp_path / "db.yaml").write_text("\n  \n" + JSON_STREAM.replace("\n", "\r\n"))
    code, findings = _check(str(tmp_path / "db.yaml"))
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [
        (rule, line + 2, column) for rule, line, column in STREAM_FINDINGS]


def test_a_syntax_error_in_a_json_stream_is_sts001_at_its_place(tmp_path):
    broken = JSON_STREAM.replace('"image": "redis:7",', '"image": "redis:7",,')
    (tmp_path / "db.json").write_text(broken)
    code, findings = _check(str(tmp_path / "db.json"))
    assert code == 1
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in findings] == [
        ("STS001", 30, 23, "invalid JSON: expected a string in double quotes as an object key, found \",\"")]

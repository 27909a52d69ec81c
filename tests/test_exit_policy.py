"""Exit policy end to end: --fail-on (and the config's fail-on), --exit-zero, severity overrides,
input errors counting as errors, and exit 2 staying exit 2."""
from __future__ import annotations

from tests.config_helpers import PV_DELETE, STATEFULSET, repo, stslint
from tests.conftest import run_stslint


def files(tmp_path, **extra: str):
    return repo(tmp_path, {"warn.yaml": STATEFULSET, "err.yaml": PV_DELETE, "broken.yaml": "a: [\n", **extra})


def test_default_fails_on_warnings(tmp_path):
    root = files(tmp_path)
    assert stslint(root, "check", "warn.yaml").exit_code == 1
    assert stslint(root, "check", "--fail-on", "warning", "warn.yaml").exit_code == 1


def test_fail_on_error_ignores_warnings_but_not_errors_or_input_errors(tmp_path):
    root = files(tmp_path)
    only_warnings = stslint(root, "check", "--fail-on", "error", "warn.yaml")
    assert only_warnings.exit_code == 0 and "STS301" in only_warnings.stdout  # still reported
    assert stslint(root, "check", "--fail-on", "error", "warn.yaml", "err.yaml").exit_code == 1
    assert stslint(root, "check", "--fail-on", "error", "warn.yaml", "broken.yaml").exit_code == 1


def test_fail_on_from_the_config_and_the_command_line_overriding_it(tmp_path):
    root = files(tmp_path, **{".stslint.yaml": "fail-on: error\n"})
    assert stslint(root, "check", "warn.yaml").exit_code == 0
    assert stslint(root, "check", "--fail-on", "warning", "warn.yaml").exit_code == 1


def test_severity_override_moves_a_finding_across_the_gate(tmp_path):
    root = files(tmp_path, **{".stslint.yaml": "fail-on: error\nseverity: {STS301: error, STS403: warning}\n"})
    run = stslint(root, "check", "warn.yaml")
    assert run.exit_code == 1 and "STS301 [error]" in run.stdout
    assert stslint(root, "check", "err.yaml").exit_code == 0


def test_exit_zero_whatever_was_found(tmp_path):
    root = files(tmp_path)
    run = stslint(root, "check", "--exit-zero", "warn.yaml", "err.yaml", "broken.yaml")
    assert run.exit_code == 0 and "STS001" in run.stdout and "STS403" in run.stdout


def test_exit_zero_does_not_hide_configuration_or_usage_errors(tmp_path):
    root = files(tmp_path, **{".stslint.yaml": "fail-on: never\n"})
    assert stslint(root, "check", "--exit-zero", "warn.yaml").exit_code == 2
    assert stslint(root, "check", "--exit-zero", "--isolated", "--select", "nope", "warn.yaml").exit_code == 2


def test_exit_codes_through_the_real_entry_point(tmp_path):
    root = files(tmp_path)
    assert run_stslint("check", "--fail-on", "error", "warn.yaml", cwd=root).returncode == 0
    assert run_stslint("check", "--fail-on", "error", "broken.yaml", cwd=root).returncode == 1
    assert run_stslint("check", "--exit-zero", "err.yaml", cwd=root).returncode == 0

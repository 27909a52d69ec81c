"""-o/--output-file, the format choices, and --quiet across formats."""
from __future__ import annotations

import json

import pytest

from stslint.reporting import FORMATS
from tests.conftest import run_stslint
from tests.reporting.helpers import invoke, statefulset


def test_every_format_is_a_choice_and_renders(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset())
    assert set(FORMATS) == {"text", "full", "json", "sarif", "github", "gitlab", "junit"}
    for name in FORMATS:
        result = invoke("--format", name, "web.yaml", cwd=tmp_path)
        assert result.exit_code == 1 and result.output, name
    assert invoke("--format", "xml", "web.yaml", cwd=tmp_path).exit_code == 2


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset())
    (tmp_path / "out").mkdir()
    result = invoke("--format", "sarif", "--output-file", "out/report.sarif", "web.yaml", cwd=tmp_path)
    assert (result.exit_code, result.output) == (1, "")
    assert json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


@pytest.mark.parametrize("target", ["missing-dir/report.txt", "a-directory"])
def test_unwritable_output_file_is_an_error_exit_2(tmp_path, target):
    (tmp_path / "web.yaml").write_text(statefulset())
    (tmp_path / "a-directory").mkdir()
    done = run_stslint("check", "-o", target, "web.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.strip().splitlines()) == 1 and target in done.stderr
    assert not (tmp_path / "missing-dir").exists()


@pytest.mark.parametrize("name", ["text", "full", "github"])
def test_quiet_drops_the_summary(tmp_path, name):
    (tmp_path / "web.yaml").write_text(statefulset())
    loud = invoke("--format", name, "web.yaml", cwd=tmp_path).output
    quiet = invoke("--format", name, "-q", "web.yaml", cwd=tmp_path).output
    assert "Found 3 problems" in loud and "Found" not in quiet and quiet.strip()

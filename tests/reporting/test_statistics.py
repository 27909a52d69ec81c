"""--statistics: counts per code, most frequent first; a table, or a JSON list with --format json."""
from __future__ import annotations

import json

from tests.reporting.helpers import PV_DELETE, invoke, statefulset


def _write(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(statefulset("a"))
    (tmp_path / "b.yaml").write_text(statefulset("b") + "---\n" + PV_DELETE.format(name="pv"))


def test_statistics_table(tmp_path):
    _write(tmp_path)
    result = invoke("--statistics", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output == ("2\tSTS101\tservice-name-missing\n2\tSTS301\treadiness-probe-missing\n"
                             "2\tSTS302\tliveness-probe-missing\n1\tSTS403\tpv-reclaim-delete\n")


def test_statistics_json(tmp_path):
    _write(tmp_path)
    rows = json.loads(invoke("--statistics", "--format", "json", ".", cwd=tmp_path).output)
    assert rows[0] == {"code": "STS101", "name": "service-name-missing", "count": 2, "fixable": False}
    assert [(row["code"], row["count"]) for row in rows] == [("STS101", 2), ("STS301", 2), ("STS302", 2),
                                                             ("STS403", 1)]


def test_statistics_of_a_clean_run(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    assert invoke("--statistics", ".", cwd=tmp_path).stdout == ""
    result = invoke("--statistics", "--format", "json", ".", cwd=tmp_path)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_statistics_with_a_ci_format_is_a_usage_error():
    from tests.conftest import FIXTURES, run_stslint

    done = run_stslint("check", "--statistics", "--format", "sarif", str(FIXTURES / "example-app"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("stslint: error: --statistics prints text or json, not sarif")

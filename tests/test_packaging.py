"""The wheel: rule docs and schemas ship inside it, and an installed stslint works from any directory."""
from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True)
    return next(out.glob("stslint-*.whl"))


def test_wheel_ships_rules_and_schemas(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = {n for n in names if n.startswith("stslint/_data/rules/") and n.endswith(".yaml")}
    assert len(rule_files) == len(list((ROOT / "rules").glob("*.yaml")))
    assert "stslint/_data/schemas/rule.schema.json" in names


@pytest.mark.slow
def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stslint = env_dir / "bin" / "stslint"
    explain = subprocess.run([str(stslint), "explain", "STS103"], cwd=elsewhere, capture_output=True, text=True)
    assert explain.returncode == 0, explain.stderr
    assert explain.stdout.startswith("STS103 service-not-headless [error]")
    check = subprocess.run([str(stslint), "check", str(FIXTURES / "example-app")], cwd=elsewhere,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    where = subprocess.run([str(python), "-c", "import stslint.package_data as r; print(r.data_dir('rules'))"],
                           cwd=elsewhere, capture_output=True, text=True)
    assert str(env_dir) in where.stdout  # read from the installed package, not the checkout


def test_readme_quickstart_uses_a_virtual_environment_and_the_ci_test_command():
    """The Quickstart's two commands work where pip refuses system installs (PEP 668), and the test
    command is the one ``.ci/run`` runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme[readme.index("## Quickstart"):readme.index("## Usage")]
    commands = [block.strip() for block in quickstart.split("```sh")[1:]]
    commands = [block[:block.index("```")].strip() for block in commands]
    assert len(commands) == 2
    install, test = commands
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert install.endswith("pip install . && stslint check fixtures/")
    assert test.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    pytest_command = test.split(" && ")[-1]
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert pytest_command in ci_run
    assert 'python -m pip install --quiet -e ".[test]"' in ci_run and 'pip install -e ".[test]"' in test

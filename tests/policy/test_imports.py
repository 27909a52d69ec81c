"""A plain check imports neither stslint.policy nor jsonschema; a loaded policy brings both."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.policy.helpers import HEADER, STS

PROBE = ("import sys, runpy\nsys.argv = ['stslint', 'check', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('stslint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
         "print('stslint.policy' in sys.modules, 'jsonschema' in sys.modules)\n")


@pytest.mark.parametrize(("config", "args", "expected"), [
    ("select: [ALL]\n", (), "False False"),
    ("policies: []\n", (), "False False"),
    ("policies: [policy.yaml]\n", (), "True True"),
    ("select: [ALL]\n", ("--policy", "policy.yaml"), "True True"),
])
def test_what_a_check_imports(tmp_path, config, args, expected):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".stslint.yaml").write_text(config)
    (tmp_path / "policy.yaml").write_text(HEADER + "schema: {required: [spec]}\n")
    (tmp_path / "sts.yaml").write_text(STS)
    done = subprocess.run([sys.executable, "-c", PROBE, *args, "sts.yaml"], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.stdout.strip().splitlines()[-1] == expected, done.stderr

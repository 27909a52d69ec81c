"""Rule selection: codes, prefixes, names, ALL, opt-in rules, and the file/command-line layers."""
from __future__ import annotations

import pytest

from stslint.rules import RULES
from stslint.selection import SelectionError, canonical_selectors, resolve, resolve_layers
from tests.config_helpers import STATEFULSET, repo, stslint

INPUT = {"STS001", "STS002", "STS003", "STS004"}
ALL_CODES = set(RULES)


def test_default_set_is_every_rule_but_the_opt_in_ones():
    assert resolve() == ALL_CODES - {"STS005", "STS409", "STS605"}


@pytest.mark.parametrize(("select", "has_opt_in"), [
    (["STS005"], True), (["unused-suppression"], True), (["sts005"], True), (["STS0"], True), (["STS00"], True),
    (["ALL"], True), (["STS"], False),
])
def test_opt_in_rules_need_their_code_name_a_longer_prefix_or_all(select, has_opt_in):
    assert ("STS005" in resolve(select)) is has_opt_in


@pytest.mark.parametrize(("select", "has_opt_in"), [
    (["STS409"], True), (["no-persistent-storage"], True), (["STS4"], True), (["STS40"], True), (["ALL"], True),
    (["STS"], False), (None, False), (["STS41"], False),
])
def test_sts409_is_opt_in_like_sts005(select, has_opt_in):
    assert ("STS409" in resolve(select)) is has_opt_in


def test_prefix_name_and_ignore():
    assert resolve(["STS3"]) == INPUT | {"STS301", "STS302", "STS303", "STS304", "STS305", "STS306"}
    assert resolve(["ALL"], ignore=["STS3", "storage-class-missing"]) == ALL_CODES - {
        "STS301", "STS302", "STS303", "STS304", "STS305", "STS306", "STS404"}
    assert resolve(["STS1"], extend_select=["STS501"]) == INPUT | {"STS101", "STS102", "STS103", "STS104", "STS501"}


def test_input_errors_are_always_selected():
    assert resolve([], ignore=["ALL"]) == INPUT


def test_unknown_selector_is_an_error():
    with pytest.raises(SelectionError, match="unknown rule selector 'STS9'"):
        resolve(["STS9"])


def test_command_line_layer_overrides_the_file_layer():
    file_layer = (["STS3"], ["STS302"], [])
    probes = {"STS301", "STS303", "STS304", "STS305", "STS306"}
    assert resolve_layers([file_layer, (None, [], [])]) == INPUT | probes
    assert resolve_layers([file_layer, (["STS4"], [], [])]) == INPUT | {
        "STS401", "STS402", "STS403", "STS404", "STS405", "STS406", "STS407", "STS408", "STS409", "STS410", "STS411"}
    assert resolve_layers([file_layer, (None, ["STS301"], ["STS005"])]) == INPUT | (probes - {"STS301"}) | {"STS005"}
    assert resolve_layers([(None, ["STS302"], []), (None, [], ["STS302"])]) >= {"STS302"}


def test_canonical_selectors_cover_every_code_name_and_prefix():
    selectors = set(canonical_selectors())
    assert {"ALL", "STS", "STS3", "STS30", "STS301", "readiness-probe-missing"} <= selectors
    assert "STS9" not in selectors and "sts301" not in selectors


def test_selection_through_the_cli_and_the_config(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STATEFULSET, ".stslint.yaml": "select: [STS302]\n"})
    assert stslint(root, "check", "--format", "json", "sts.yaml").triples() == [("STS302", 14, 11)]
    assert stslint(root, "check", "--format", "json", "--extend-select", "STS301", "sts.yaml").triples() == [
        ("STS301", 14, 11), ("STS302", 14, 11)]
    assert stslint(root, "check", "--format", "json", "--select", "ALL", "--ignore", "STS302",
                   "sts.yaml").triples() == [("STS409", 2, 1), ("STS301", 14, 11)]  # ALL: opt-in STS409 too
    bad = stslint(root, "check", "--select", "STS9", "sts.yaml")
    assert bad.exit_code == 2 and "unknown rule selector 'STS9'" in bad.stderr

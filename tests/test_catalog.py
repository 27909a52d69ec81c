"""The rule documentation: one valid file per rule, holding documentation only; code, name, severity,
opt-in and options are declared once, with the rule."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from stslint.catalog import all_rules, explain, rule_doc
from stslint.rules import RULES
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
RULE_FILES = sorted((ROOT / "rules").glob("*.yaml"))


def test_one_file_per_rule_named_code_dash_name():
    assert sorted(p.name for p in RULE_FILES) == sorted(f"{r.code}-{r.name}.yaml" for r in RULES.values())


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_is_valid_documentation_of_exactly_the_declared_options(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert not {"code", "name", "severity", "opt_in"} & set(doc)  # declared once, in Python
    rule = RULES[path.stem.split("-", 1)[0]]
    assert set(doc["options"]) == {option.name for option in rule.options}


def test_schema_rejects_a_bad_rule_file():
    doc = yaml.safe_load(RULE_FILES[0].read_text(encoding="utf-8"))
    doc["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_explain_by_code_or_name_is_the_same_document():
    assert explain("STS103") == explain("service-not-headless") == explain("sts103")
    assert explain("STS103")["summary"] == rule_doc("STS103")["summary"]


def test_catalog_lists_every_rule_in_code_order():
    assert [r["code"] for r in all_rules()] == sorted(RULES)


def test_probe_rules_declare_their_exemption_options():
    for code in ("STS301", "STS302"):
        options = explain(code)["options"]
        assert set(options) == {"exempt-containers", "exempt-images"}
        assert all(spec["type"] == "array" and spec["items"] == "string" and spec["default"] == []
                   and spec["description"] for spec in options.values())

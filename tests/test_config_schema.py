"""schemas/config.schema.json and the hand-written validator describe the same file: the committed
schema is what the registry builds, and both give the same verdict on a set of sample configs."""
from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import jsonschema
import pytest

from stslint.config_schema import FORMAT_NAMES, render
from stslint.config_validation import VALIDATORS, ConfigInvalid, validate
from stslint.reporting import FORMATS
from stslint.package_data import data_dir
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "schemas" / "config.schema.json"


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text() == render(), \
        "schemas/config.schema.json is stale: python -m stslint.config_schema > schemas/config.schema.json"


def test_schema_ships_as_package_data():
    assert (data_dir("schemas") / "config.schema.json").is_file()


def test_schema_and_validator_know_the_same_keys_and_formats():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert set(schema["properties"]) == set(VALIDATORS)
    assert schema["properties"]["format"]["enum"] == FORMAT_NAMES == list(FORMATS)


VALID: list[Any] = [
    {},
    {"select": ["ALL"], "ignore": ["STS3", "storage-class-missing"], "extend-select": ["STS005"]},
    {"select": ["STS", "STS4", "STS40", "STS401", "retention-policy-delete"]},
    {"severity": {"STS301": "error", "liveness-probe-missing": "warning", "STS005": "error"}},
    {"exclude": ["vendor", "charts/*/templates/", "**/*.generated.yaml"]},
    {"per-file-ignores": {"legacy/**": ["STS1", "ALL"], "x.yaml": []}},
    {"namespace": "prod"}, {"namespace": "a"}, {"namespace": "a-1"},
    {"fail-on": "error"}, {"fail-on": "warning"}, {"fail-on-empty": True}, {"fail-on-empty": False},
    {"format": "json"}, {"format": "text"},
    {"context": "git"}, {"context": []}, {"context": ["../shared", "services/"]},
    {"policies": ["policies/"]},
    {"rules": {}}, {"rules": {"STS301": {}}},
    {"rules": {"STS301": {"exempt-containers": ["a"], "exempt-images": ["*/fluent-bit:*"]}}},
    {"rules": {"liveness-probe-missing": {"exempt-images": []}, "STS101": {}}},
]

POLICY_CODES: list[Any] = [  # valid with a policy ACME101 loaded: the schema knows policy codes by their form
    {"rules": {"ACME101": {"registry": "x"}}}, {"severity": {"ACME101": "warning"}},
    {"select": ["ACME", "ACME1", "ACME101"]},
]

INVALID: list[Any] = [
    [], "select", None, 3,
    {"selct": []}, {"Select": []},
    {"select": "ALL"}, {"select": ["STS999"]}, {"select": ["sts301"]}, {"select": ["STS9"]}, {"select": [3]},
    {"select": None}, {"select": []}, {"ignore": ["nope"]}, {"extend-select": [["STS1"]]},
    {"severity": []}, {"severity": {"STS301": "info"}}, {"severity": {"STS001": "warning"}},
    {"severity": {"STS999": "error"}}, {"severity": {"STS301": None}},
    {"exclude": "vendor"}, {"exclude": [""]}, {"exclude": [1]},
    {"per-file-ignores": []}, {"per-file-ignores": {"x": "STS1"}}, {"per-file-ignores": {"x": ["STS9"]}},
    {"per-file-ignores": {"": ["STS1"]}},
    {"namespace": ""}, {"namespace": "Prod"}, {"namespace": "-a"}, {"namespace": "a" * 64}, {"namespace": 3},
    {"namespace": True},
    {"fail-on": "info"}, {"fail-on": None}, {"fail-on-empty": "yes"}, {"fail-on-empty": 1},
    {"format": "xml"}, {"format": ["json"]},
    {"context": "hg"}, {"context": [1]}, {"context": {"a": 1}}, {"context": [""]},
    {"policies": "p"}, {"policies": [2]},
    {"rules": []}, {"rules": {"STS999": {}}}, {"rules": {"STS301": []}}, {"rules": {"STS301": None}},
    {"rules": {"STS301": {"exempt-container": []}}}, {"rules": {"STS301": {"exempt-images": "x"}}},
    {"rules": {"STS301": {"exempt-images": [1]}}}, {"rules": {"STS101": {"x": 1}}},
    {"rules": {"readiness-probe-mising": {}}},
]


def _validator_accepts(data: Any) -> bool:
    try:
        validate(data)
    except ConfigInvalid:
        return False
    return True


@pytest.mark.parametrize("data", VALID, ids=[json.dumps(d)[:60] for d in VALID])
def test_both_accept(schema_validator, data):
    assert _validator_accepts(data)
    assert schema_validator.is_valid(data), list(schema_validator.iter_errors(data))


@pytest.mark.parametrize("data", POLICY_CODES, ids=[json.dumps(d)[:60] for d in POLICY_CODES])
def test_the_schema_accepts_policy_codes(schema_validator, data):
    assert schema_validator.is_valid(data), list(schema_validator.iter_errors(data))
    key, value = next(iter(data.items()))
    sts = {"STS999": value["ACME101"]} if isinstance(value, dict) else ["STS9"]
    assert not schema_validator.is_valid({key: sts})  # never a code of the STS family


@pytest.mark.parametrize("data", INVALID, ids=[json.dumps(d)[:60] for d in INVALID])
def test_both_reject(schema_validator, data):
    assert not _validator_accepts(data)
    assert not schema_validator.is_valid(data)


def test_what_only_the_validator_can_check():
    """One rule given by code and by name is a valid JSON object, but ambiguous: only the validator
    rejects it."""
    with pytest.raises(ConfigInvalid, match="given twice"):
        validate({"rules": {"STS301": {}, "readiness-probe-missing": {}}})


def test_a_plain_check_never_imports_jsonschema_or_reads_rule_docs(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".stslint.yaml").write_text("select: [ALL]\nseverity: {STS301: error}\nexclude: [x]\n")
    (tmp_path / "empty.yaml").write_text("a: 1\n")
    code = ("import sys, runpy\nsys.argv = ['stslint', 'check', 'empty.yaml']\n"
            "try:\n    runpy.run_module('stslint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "import stslint.catalog as c\n"
            "print('jsonschema' in sys.modules, c._builtin_doc.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.stdout.strip().splitlines()[-1] == "False 0", done.stderr

"""The quantity keywords, and schemas compiled once per run and set of param values, with nothing
ever fetched."""
from __future__ import annotations

import pytest

from stslint.policy import schema as policy_schema
from stslint.policy.schema import compile_schema
from tests.policy.helpers import STS, check, findings, policy


@pytest.mark.parametrize(("keyword", "limit", "value", "valid"), [
    ("maximumQuantity", "2Ti", "500Gi", True),
    ("maximumQuantity", "2Ti", "2Ti", True),
    ("maximumQuantity", "2Ti", "2049Gi", False),
    ("maximumQuantity", "2Ti", "3T", False),  # 3e12 bytes > 2 * 2**40
    ("maximumQuantity", "2Ti", "2T", True),
    ("minimumQuantity", "500m", "0.5", True),
    ("minimumQuantity", "500m", "250m", False),
    ("minimumQuantity", "500m", 1, True),
    ("maximumQuantity", "1", 1.5, False),
    ("maximumQuantity", 2, "1500m", True),
    ("maximumQuantity", "2Ti", "lots", False),  # not a quantity: fails
    ("maximumQuantity", "2Ti", {"a": 1}, True),  # another type: left to "type"
    ("maximumQuantity", "2Ti", True, True),
])
def test_quantity_keywords(keyword, limit, value, valid):
    validator = compile_schema({keyword: limit}, {})
    assert validator.is_valid(value) is valid


def test_quantity_keywords_take_params():
    validator = compile_schema({"maximumQuantity": {"$param": "max"}}, {"max": "100Gi"})
    assert validator.is_valid("100Gi") and not validator.is_valid("101Gi")


def test_claim_template_storage_limit_end_to_end(tmp_path):
    body = ("target: volumeClaimTemplates\nparams: {max-size: {default: 2Ti, type: quantity}}\nschema:\n"
            "  properties:\n    spec:\n      properties:\n        resources:\n          properties:\n"
            "            requests:\n              properties:\n"
            "                storage: {maximumQuantity: {$param: max-size}}\n")
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert findings(run) == [("ACME101", 45, 13)]
    small = check(tmp_path / "small", {"policy.yaml": policy(body),
                                       "sts.yaml": STS.replace("storage: 4Ti", "storage: 500Gi")})
    assert findings(small) == []


def test_cpu_quantities_end_to_end(tmp_path):
    manifest = STS.replace("          image: postgres:16\n",
                           "          image: postgres:16\n          resources: {requests: {cpu: 100m}}\n")
    body = ("target: containers\nschema:\n  properties:\n    resources:\n      properties:\n        requests:\n"
            "          properties:\n            cpu: {minimumQuantity: 500m}\n")
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": manifest})
    assert findings(run) == [("ACME101", 29, 34)]  # the cpu: key inside the flow mapping


def test_an_omitted_field_is_not_a_wrong_one(tmp_path):
    body = "target: containers\nschema:\n  properties:\n    resources: {properties: {limits: {required: [memory]}}}\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert findings(run) == []  # no resources at all: nothing required it


def test_schemas_are_compiled_once_per_run(tmp_path, monkeypatch):
    calls = []
    real = policy_schema.compile_schema

    def counting(schema, params):
        calls.append(dict(params))
        return real(schema, params)

    monkeypatch.setattr(policy_schema, "compile_schema", counting)
    many = "---\n".join(STS.replace("name: db\n", f"name: db-{index}\n", 1) for index in range(20))
    body = "target: allContainers\nparams: {registry: r}\nschema:\n  properties:\n    image: {pattern: '^r/'}\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "many.yaml": many})
    assert len(findings(run)) == 60  # 20 objects, 3 containers each
    assert calls == [{"registry": "r"}]


def test_nothing_is_ever_fetched(monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("a schema tried to fetch something")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    validator = compile_schema({"$ref": "#/$defs/x", "$defs": {"x": {"type": "string"}}}, {})
    assert validator.is_valid("a") and not validator.is_valid(1)
    from referencing.exceptions import Unresolvable

    remote = compile_schema({"$ref": "https://example.com/schema.json"}, {})  # refused at load; here: unresolvable
    with pytest.raises(Unresolvable):
        remote.is_valid("a")

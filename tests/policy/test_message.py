"""Message templates: placeholders replaced as plain text only."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stslint.policy.message import as_text, placeholders, render
from tests.policy.helpers import STS, check, messages, policy


def test_placeholders_and_escapes():
    assert list(placeholders("{object} uses {value}; {{literal}} {max-size}")) == ["object", "value", "max-size"]
    assert render("{object} uses {value}; {{literal}} {max-size}",
                  {"object": "StatefulSet/db", "value": '"gp2"', "max-size": "2Ti"}) == \
        'StatefulSet/db uses "gp2"; {literal} 2Ti'
    assert render("a { b } c {", {}) == "a { b } c {"  # braces that open no known placeholder stay


def test_values_are_inserted_as_they_are_never_formatted_again():
    assert render("{value}", {"value": "{object.__class__} {0}"}) == "{object.__class__} {0}"


@given(st.text())
def test_rendering_never_fails_and_keeps_text_without_braces(text):
    rendered = render(text, {"value": "V"})
    if "{" not in text and "}" not in text:
        assert rendered == text


def test_param_values_as_text():
    assert as_text(["gp3", "io2-*"]) == "gp3, io2-*"
    assert as_text(True) == "true" and as_text(3) == "3"


def test_a_custom_message_end_to_end(tmp_path):
    body = ("target: allContainers\nparams: {registry: registry.acme.io/}\nschema:\n  properties:\n"
            "    image: {pattern: '^registry[.]acme[.]io/'}\n"
            "message: '{kind} {name} in {namespace}: container \"{container}\" pulls {value} ({path}); use {registry} "
            "{{sic}}'\n")
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert messages(run)[0] == ('StatefulSet db in prod-a: container "init" pulls "busybox:1.36" '
                                "(spec.template.spec.initContainers[0].image); use registry.acme.io/ {sic}")


def test_the_default_message_is_the_summary_then_the_field(tmp_path):
    body = "target: containers\nschema:\n  required: [resources]\n  properties:\n    image: {maxLength: 3}\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS})
    assert messages(run) == [
        'StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].resources is missing)',
        'StatefulSet "db": The ACME check holds (spec.template.spec.containers[0].image is "postgres:16")']


def test_long_values_are_cut_in_messages(tmp_path):
    long_image = "x" * 500
    body = "target: containers\nschema:\n  properties:\n    image: {maxLength: 3}\nmessage: '{value}'\n"
    run = check(tmp_path, {"policy.yaml": policy(body), "sts.yaml": STS.replace("postgres:16", long_image)})
    assert messages(run) == ['"' + "x" * 60 + '..."']

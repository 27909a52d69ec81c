"""Findings as LSP data: diagnostics, quick fixes (a fix's edits, suppression comments), hover."""
from __future__ import annotations

from lsprotocol import types

from stslint.api import lint_text
from stslint.config import ConfigError
from stslint.findings import Edit, Fix
from stslint.fixes import apply_edits
from stslint.rules import BUILTIN
from stslint.server import convert
from stslint.server.positions import UTF16, LspText
from tests.server.helpers import STS

NO_NAME = STS.replace("  serviceName: db\n", "")


def apply(text: str, edit: types.TextEdit) -> str:
    table = LspText(text, UTF16)
    start = table.offset(edit.range.start.line, edit.range.start.character)
    end = table.offset(edit.range.end.line, edit.range.end.character)
    return text[:start] + edit.new_text + text[end:]


def actions_for(text: str, uri: str = "file:///ws/sts.yaml"):
    findings = lint_text(text, uri).findings
    return findings, convert.code_actions(uri, text, findings, {}, UTF16, lambda name: None, "/ws/sts.yaml")


def test_suppressing_on_the_line_or_in_the_file_silences_the_finding():
    for text in (NO_NAME, NO_NAME.replace("\n", "\r\n"), NO_NAME.replace("kind: StatefulSet\n",
                                                                           "kind: StatefulSet  # the kind\n")):
        findings, actions = actions_for(text)
        assert [f.code for f in findings] == ["STS101"]
        assert [a.title for a in actions] == ["Suppress STS101 on this line", "Suppress STS101 in this file"]
        for action in actions:
            [edit] = action.edit.changes["file:///ws/sts.yaml"]
            fixed = apply(text, edit)
            assert lint_text(fixed, "file:///ws/sts.yaml").findings == []
            assert fixed.count("\r\n") == text.count("\r\n") + ("\r\n" in text and "file" in action.title)
            assert "-- TODO: reason" in fixed
            if "the kind" in text and "line" in action.title:  # a comment there: a directive above it
                assert "\n# stslint: disable-next-line=STS101 -- TODO: reason\nkind: StatefulSet  # the kind\n" in fixed


def test_a_directive_already_on_the_line_gets_the_code():
    text = NO_NAME.replace("kind: StatefulSet\n", "kind: StatefulSet  # stslint: disable-line=STS301 -- why\n")
    findings, actions = actions_for(text)
    [edit] = actions[0].edit.changes["file:///ws/sts.yaml"]
    fixed = apply(text, edit)
    assert "# stslint: disable-line=STS301,STS101 -- why\n" in fixed
    assert lint_text(fixed, "x.yaml").findings == []


def test_a_json_stream_gets_no_comment():
    text = ('{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {"selector": '
            '{"matchLabels": {"app": "db"}}, "template": {"metadata": {"labels": {"app": "db"}}}}}')
    findings, actions = actions_for(text, "file:///ws/sts.json")
    assert findings and actions == []


def test_a_fix_is_a_quick_fix_with_edits_in_every_file_it_touches():
    text = NO_NAME
    [finding] = lint_text(text, "file:///ws/sts.yaml").findings
    at = text.index("  selector:")
    other = "apiVersion: v1\nkind: Service\n"
    safe = finding._replace(fix=Fix("Add serviceName", "safe", (
        Edit("file:///ws/sts.yaml", at, at, "  serviceName: db\n", "/ws/sts.yaml"),
        Edit("svc.yaml", len(other), len(other), "metadata: {name: db}\n", "/ws/svc.yaml"))))
    texts = {"/ws/svc.yaml": ("file:///ws/svc.yaml", other)}
    actions = convert.code_actions("file:///ws/sts.yaml", text, [safe], {}, UTF16, texts.get, "/ws/sts.yaml")
    fix = actions[0]
    assert (fix.title, fix.is_preferred, fix.kind) == ("Add serviceName (STS101)", True, types.CodeActionKind.QuickFix)
    assert apply(text, fix.edit.changes["file:///ws/sts.yaml"][0]) == STS
    assert apply(other, fix.edit.changes["file:///ws/svc.yaml"][0]) == other + "metadata: {name: db}\n"
    assert apply(text, fix.edit.changes["file:///ws/sts.yaml"][0]) == apply_edits(text, [safe.fix.edits[0]])

    unsafe = finding._replace(fix=safe.fix._replace(applicability="unsafe"))
    [fix, *_] = convert.code_actions("file:///ws/sts.yaml", text, [unsafe], {}, UTF16, texts.get, "/ws/sts.yaml")
    assert fix.title == "Add serviceName (unsafe fix) (STS101)" and not fix.is_preferred
    unreadable = convert.code_actions("file:///ws/sts.yaml", text, [safe], {}, UTF16, lambda name: None, "/ws/sts.yaml")
    assert [a.title for a in unreadable][0].startswith("Suppress")  # a fix whose file cannot be read is not offered


def test_a_diagnostic_carries_code_severity_link_and_related_information():
    svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: 10.0.0.1\n  selector: {app: db}\n"
    from stslint.api import build_index

    import tempfile, os
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "svc.yaml"), "w") as handle:
            handle.write(svc)
        result = lint_text(STS, os.path.join(directory, "sts.yaml"), index=build_index([directory]))
        [finding] = result.findings
        text_of = lambda name: ("file:///svc.yaml", svc) if name.endswith("svc.yaml") else None  # noqa: E731
        diagnostic = convert.diagnostic(finding, LspText(STS), result.severity("STS103"), result.rules, text_of, UTF16)
    assert (diagnostic.code, diagnostic.severity, diagnostic.source) == ("STS103", types.DiagnosticSeverity.Error,
                                                                         "stslint")
    assert diagnostic.code_description.href.startswith("file://")
    assert diagnostic.code_description.href.endswith("/STS103-governing-service-not-headless.yaml") or \
        diagnostic.code_description.href.endswith(".yaml")
    [related] = diagnostic.related_information
    assert (related.location.uri, related.location.range.start.line) == ("file:///svc.yaml", 5)
    assert diagnostic.data["rule"] == BUILTIN["STS103"].name


def test_hover_text_is_the_explanation():
    text = convert.hover_text(["STS101", "STS101", "NOPE"], BUILTIN)
    assert text.count("**STS101 ") == 1 and "*How to fix it*" in text and "```yaml" in text


def test_configuration_diagnostics():
    error = ConfigError(".stslint.yaml", 2, "unknown rule")
    [found, warned] = convert.config_diagnostics(error, [(".stslint.yaml", 1, "no effect")], "a: 1\nb: 2\n", UTF16)
    assert (found.range.start.line, found.range.end.character, found.severity) == (1, 4, types.DiagnosticSeverity.Error)
    assert found.message.startswith("unknown rule") and warned.range.start.line == 0
    assert convert.config_diagnostics(None, [], None, UTF16) == []

"""GitHub workflow commands: the command grammar, GitHub's escaping rules, and that no file name or
manifest value can end a command or inject another one."""
from __future__ import annotations

import re

import pytest

from stslint.rules import RULES
from stslint.reporting.github import escape_data, escape_property
from stslint.rules import RULES
from tests.conftest import FIXTURES
from tests.reporting.helpers import invoke, make_repo, statefulset

# ::level key=value,key=value::message, with nothing in keys/values/message that GitHub would split on.
COMMAND = re.compile(r"^::(error|warning) ((?:[a-zA-Z]+=[^,:\r\n]*)(?:,[a-zA-Z]+=[^,:\r\n]*)*)::([^\r\n]*)$")
PROPERTY_ORDER = ["file", "line", "endLine", "col", "endColumn", "title"]
SUMMARY = re.compile(r"^(Found \d+ problems? .*|No problems found in \d+ files? \(.*\)\.)$")


def unescape(text: str) -> str:
    """What the runner makes of an escaped value (actions/runner's unescaping)."""
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse(output: str) -> list[tuple[str, dict[str, str], str]]:
    """The commands of an output; every other line must be the summary line."""
    commands = []
    lines = output.split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        match = COMMAND.match(line)
        if match is None:
            assert SUMMARY.match(line), f"not a command nor the summary: {line!r}"
            continue
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        assert list(properties) == PROPERTY_ORDER
        commands.append((match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))))
    return commands


def test_every_fixture_finding_is_one_well_formed_command():
    result = invoke("--format", "github", str(FIXTURES))
    commands = parse(result.output)
    assert len(commands) > 15 and result.exit_code == 1
    for level, properties, message in commands:
        code = properties["title"].split()[0]
        assert level == RULES[code].severity
        assert int(properties["endLine"]) >= int(properties["line"]) >= 1 and int(properties["col"]) >= 1
        assert properties["file"].startswith("fixtures/") and message


def test_command_fields(tmp_path):
    make_repo(tmp_path)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(statefulset())
    lines = invoke("--format", "github", "k8s", cwd=tmp_path).output.splitlines()
    assert lines[0] == ('::error file=k8s/web.yaml,line=6,endLine=6,col=3,endColumn=14,title=STS101 '
                        'service-name-missing::StatefulSet "web": spec.serviceName is empty; pods get no stable '
                        'DNS names')
    assert lines[1].startswith("::warning file=k8s/web.yaml,line=14,endLine=14,col=11,endColumn=")
    assert lines[-1] == "Found 3 problems (1 error, 2 warnings) in 1 file."
    assert invoke("--format", "github", "-q", "k8s", cwd=tmp_path).output.splitlines() == lines[:-1]


def test_escaping_rules():
    assert escape_data("100%\r\n::x, a:b") == "100%25%0D%0A::x, a:b"
    assert escape_property("100%\r\n::x, a:b") == "100%25%0D%0A%3A%3Ax%2C a%3Ab"
    assert escape_data("%0A") == "%250A"
    assert escape_data("\x1b[31mred") == "\\x1b[31mred"


HOSTILE_NAME = "evil%0A::set-env name=PATH::x\n::error file=a.yaml::pwned,b:c\r::warning::%25.yaml"


def test_hostile_file_name_round_trips_and_injects_nothing(tmp_path):
    make_repo(tmp_path)
    (tmp_path / HOSTILE_NAME).write_text("kind: [\n")
    result = invoke("--format", "github", ".", cwd=tmp_path)
    commands = parse(result.output)
    assert [(level, props["file"], props["title"]) for level, props, _ in commands] == [
        ("error", HOSTILE_NAME, "STS001 invalid-yaml")]
    assert not any(line.startswith("::set-env") for line in result.output.splitlines())


def test_hostile_values_in_the_manifest_round_trip(tmp_path):
    name = "db\n::set-env name=X::1\r\n::error::fake %0A, x:y"
    (tmp_path / "web.yaml").write_text(statefulset('"db\\n::set-env name=X::1\\r\\n::error::fake %0A, x:y"'))
    commands = parse(invoke("--format", "github", "web.yaml", cwd=tmp_path).output)
    assert len(commands) == 3
    assert all(message.startswith(f'StatefulSet "{name}"') for _, _, message in commands)


def test_ansi_escapes_in_values_are_shown_not_sent(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset('"db\\e[2J\\x9b1m"'))
    output = invoke("--format", "github", "web.yaml", cwd=tmp_path).output
    assert "\x1b" not in output and "\x9b" not in output
    assert 'StatefulSet "db\\x1b[2J\\x9b1m"' in output


@pytest.mark.parametrize("env, github", [({"GITHUB_ACTIONS": "true"}, True), ({"GITHUB_ACTIONS": "false"}, False),
                                         ({}, False)])
def test_github_is_the_default_on_github_actions(tmp_path, env, github):
    (tmp_path / "web.yaml").write_text(statefulset())
    result = invoke("web.yaml", cwd=tmp_path, env=env)
    assert result.output.startswith("::error file=web.yaml,line=6," if github else "web.yaml:6:3: STS101")
    explicit = invoke("--format", "text", "web.yaml", cwd=tmp_path, env=env)
    assert explicit.output.startswith("web.yaml:6:3: STS101")


def test_bidirectional_overrides_are_shown_not_sent():
    from stslint.reporting.github import escape_data

    assert escape_data("name\u202eyaml.exe\u2066x\u2069") == "name\\u202eyaml.exe\\u2066x\\u2069"

"""YAML 1.1 base-60 numbers (``1:30:00``, ``1:30:00.5``): any number of parts loads or is refused as
STS001 at the scalar, in bounded time, wherever the YAML is read (a checked file, a context file,
the configuration file); never an OverflowError or an "internal error"."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import check_json, run_stslint
from tests.context.context_helpers import statefulset
from stslint.loading import yamlload
from stslint.loading.yamlload import MAX_INT_LENGTH, LoadError, load_text, quoted

MAX_BASE60_FLOAT_PARTS: int = getattr(yamlload, "MAX_BASE60_FLOAT_PARTS", 100)

FLOAT_REFUSAL = f"base-60 float of more than {MAX_BASE60_FLOAT_PARTS} parts"


def base60(parts: int, fraction: bool, sign: str = "", first: str = "1", part: str = "59") -> str:
    """A base-60 number of ``parts`` colon-separated parts (a float when ``fraction``)."""
    return sign + ":".join([first] + [part] * (parts - 1)) + (".5" if fraction else "")


@settings(max_examples=300, deadline=1000)
@given(parts=st.integers(min_value=2, max_value=700), fraction=st.booleans(), sign=st.sampled_from(["", "-", "+"]),
       first=st.from_regex(r"[1-9][0-9_]{0,40}", fullmatch=True), part=st.sampled_from(["0", "00", "7", "59"]),
       tag=st.sampled_from(["", "!!float ", "!!int "]), where=st.sampled_from(["x: {}\n", "- {}\n", "? {}\n: v\n",
                                                                               "x: [a, {}]\n"]))
def test_any_base60_number_loads_or_is_refused_at_the_scalar(parts: int, fraction: bool, sign: str, first: str,
                                                             part: str, tag: str, where: str) -> None:
    number = base60(parts, fraction, sign, first, part)
    text = where.format(tag + number)
    column = text.index(tag + number) + 1
    too_many_parts = (tag == "!!float " or (tag == "" and fraction)) and parts > MAX_BASE60_FLOAT_PARTS
    start = time.monotonic()
    try:
        loaded = load_text(text)
    except LoadError as exc:
        assert (exc.code, exc.line, exc.column) == ("STS001", 1, column)
        assert exc.message in (FLOAT_REFUSAL, f"integer longer than {MAX_INT_LENGTH} characters",
                               f"invalid int {quoted(number)}")
        assert (exc.message == FLOAT_REFUSAL) == too_many_parts
    else:
        assert not too_many_parts
        assert isinstance(loaded.documents[0].root, (dict, list))
    assert time.monotonic() - start < 0.5


@pytest.mark.parametrize("parts", [MAX_BASE60_FLOAT_PARTS + 1, 175, 300, 5000])
def test_base60_float_with_too_many_parts_is_refused_with_a_message(parts: int) -> None:
    with pytest.raises(LoadError) as info:
        load_text("a: b\nx: " + base60(parts, True) + "\n")
    assert (info.value.code, info.value.line, info.value.column, info.value.message) == ("STS001", 2, 4, FLOAT_REFUSAL)


def test_base60_floats_up_to_the_limit_keep_their_value() -> None:
    assert load_text("x: 1:30:00.5\n").documents[0].root["x"] == 5400.5
    assert load_text(f"x: {base60(MAX_BASE60_FLOAT_PARTS, True, first='0', part='0')}\n").documents[0].root["x"] == 0.5
    assert load_text(f"x: {base60(MAX_BASE60_FLOAT_PARTS, True)}\n").documents[0].root["x"] > 1e176


def test_huge_base60_integers_stay_bounded_by_the_integer_length_limit() -> None:
    widest = base60((MAX_INT_LENGTH - 1) // 3 + 1, False, first="1", part="59")
    assert len(widest) == MAX_INT_LENGTH
    start = time.monotonic()
    value = load_text(f"x: {widest}\n").documents[0].root["x"]
    assert isinstance(value, int) and len(str(value)) < 4300  # Python can still print it
    with pytest.raises(LoadError) as info:
        load_text(f"x: {widest}:59\n")
    assert info.value.message == f"integer longer than {MAX_INT_LENGTH} characters"
    assert time.monotonic() - start < 1


HUGE = base60(300, True)


def test_in_a_checked_file_it_is_sts001_at_the_scalar(tmp_path: Path) -> None:
    line = statefulset().count("\n") + 1
    (tmp_path / "db.yaml").write_text(statefulset() + f"x-timeout: {HUGE}\n")
    report = check_json(str(tmp_path / "db.yaml"))
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        ("STS001", line, 12, FLOAT_REFUSAL)]
    assert report["exit_code"] == 1


def test_in_a_context_file_it_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "db.yaml").write_text(statefulset())
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "svc.yaml").write_text(f"apiVersion: v1\nkind: Service\nmetadata: {{name: db}}\nx: {HUGE}\n")
    done = run_stslint("check", "--isolated", "-v", "--no-cache", "db.yaml", "--context", "ctx", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert f"skipped ctx/svc.yaml: STS001 at 4:4: {FLOAT_REFUSAL}" in done.stderr


def test_in_the_configuration_file_it_is_a_located_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "db.yaml").write_text(statefulset())
    (tmp_path / ".stslint.yaml").write_text(f"select: [ALL]\nnamespace: {HUGE}\n")
    done = run_stslint("check", "db.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"stslint: .stslint.yaml:2: invalid YAML: {FLOAT_REFUSAL}\n"

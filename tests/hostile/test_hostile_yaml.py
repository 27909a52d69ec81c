"""YAML bombs and oversized input: each refused with a located one-line error or linted, in bounded
time and memory, while a good file in the same run is still linted."""
from __future__ import annotations

import pytest
import yaml

from tests.hostile.hostile_helpers import GOOD, assert_good_linted, run_limited, write_good
from stslint.loading import yamlload
from stslint.loading.yamlload import LoadError, load_text

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bomb
spec:
  serviceName: bomb
  selector: {matchLabels: {app: bomb}}
  template:
    metadata: {labels: {app: bomb}}
    spec:
      containers:
"""


def laughs(levels: int = 30, fan: int = 10) -> str:
    """Anchors that would expand to fan**levels values if aliases were copied."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_in_the_fields_rules_read(tmp_path):
    # 10**30 values if expanded: every field a rule reads holds the bomb, plus a List of it
    bomb = laughs()
    fields = STS.replace("      containers:\n", "      containers: *l29\n      volumes: *l29\n")
    text = ("x-bomb:\n" + "\n".join("  " + line for line in bomb.splitlines()) + "\n"
            + fields.replace("{labels: {app: bomb}}", "{labels: *l29, annotations: *l29}")
            .replace("{matchLabels: {app: bomb}}", "{matchLabels: {app: bomb}, matchExpressions: *l29}")
            .replace("serviceName: bomb", "serviceName: *l29\n  volumeClaimTemplates: *l29"))
    (tmp_path / "bomb.yaml").write_text(text)
    listed = bomb + "kind: List\napiVersion: v1\nitems: *l29\nmetadata: {name: *l29, annotations: *l29}\n"
    (tmp_path / "list.yaml").write_text(listed)
    good = write_good(tmp_path)
    run = run_limited("bomb.yaml", "list.yaml", good.name, cwd=tmp_path)
    assert run.exit_code == 1
    codes = {code for code, _, _ in run.at("bomb.yaml")}
    assert codes == {"STS006"}  # wrong types, each reported once: nothing expanded, nothing crashed
    reports = list(zip(run.at("bomb.yaml"), run.messages("bomb.yaml")))
    # serviceName, labels and the 4 lists: the lists' items are written in x-bomb, so each wrong item is
    # reported where the list is used (the key whose value is the alias), once
    assert len(reports) == len(set(reports)) == 6
    assert [place for place, _ in reports] == [("STS006", 37, 16), ("STS006", 38, 3), ("STS006", 39, 40),
                                               ("STS006", 41, 24), ("STS006", 43, 7), ("STS006", 44, 7)]
    # the List's items are all the same list: one STS003 at its first use, not 10**29
    assert run.at("list.yaml") == [("STS003", 30, 12)]
    assert_good_linted(run, good)


def test_merge_keys_that_copy_a_big_mapping_many_times_hit_the_value_limit(tmp_path):
    big = "base: &a {" + ", ".join(f"k{i}: 1" for i in range(1000)) + "}\n"
    (tmp_path / "merge.yaml").write_text(big + "items:\n" + "- {<<: *a}\n" * 3000)
    good = write_good(tmp_path)
    run = run_limited("merge.yaml", good.name, cwd=tmp_path)
    assert run.exit_code == 1
    # 2,006 values before the items, then 1,003 an item (a mapping, <<, the alias and the 1,000 keys
    # merged in): item 1,993 goes past 2,000,000, at its closing brace where the keys are merged
    assert run.at("merge.yaml") == [("STS004", 2 + 1993, len("- {<<: *a}"))]
    assert "more than 2,000,000 YAML values" in run.messages("merge.yaml")[0]
    assert_good_linted(run, good)


LIMIT = yamlload.MAX_DEPTH


# Block styles reach stslint's limit first. For flow styles libyaml >= 0.2.6 (PyPI's PyYAML 6.0.4
# wheels) scans the brackets ahead of the parser and stops at its own 1,000-level limit, older
# libyaml and the pure-Python parser do not: both answers are the same one-line STS001.
LIBYAML = {"flow-sequences": (1, 4 + 999), "flow-mappings": (1, 4 + 999 * 4), "json": (1, 1 + 1000 * 6)}


@pytest.mark.parametrize("shape, where", [
    ("block-sequences", (1, 2 * LIMIT + 1)),
    ("flow-sequences", (1, 4 + LIMIT - 1)),  # the root mapping is a level
    ("flow-mappings", (1, 4 + (LIMIT - 1) * 4)),
    ("json", (1, 1 + LIMIT * 6)),
    ("block-mappings", (LIMIT + 1, 2 * LIMIT + 1)),
])
def test_nesting_ten_thousand_levels_deep(tmp_path, shape, where):
    depth = 10_000
    text = {
        "block-sequences": "- " * depth + "x\n",
        "flow-sequences": "a: " + "[" * depth + "]" * depth + "\n",
        "flow-mappings": "a: " + "{a: " * depth + "x" + "}" * depth + "\n",
        "json": '{"a": ' * depth + "1" + "}" * depth + "\n",
        "block-mappings": "".join("  " * level + "a:\n" for level in range(1100)),
    }[shape]
    name = "deep.json" if shape == "json" else "deep.yaml"
    (tmp_path / name).write_text(text)
    good = write_good(tmp_path)
    run = run_limited(name, good.name, cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at(name) in ([("STS001", *where)], [("STS001", *LIBYAML.get(shape, where))])
    assert run.messages(name) == [f"nesting deeper than {LIMIT} levels"]  # ours, whoever stops it
    assert_good_linted(run, good)


@pytest.mark.parametrize("text", [
    "- " * 20_000 + "x\n",
    "a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 2000)),
    "[" * 1500 + "]" * 1500 + "\n",
], ids=["block-sequences", "block-mappings", "flow-sequences"])
def test_the_pure_python_parser_builds_deep_documents_without_recursion(monkeypatch, text):
    # the fallback when PyYAML has no libyaml: the builder must be iterative at any depth (deeper
    # than Python's recursion limit of 1000)
    monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yamlload, "MAX_DEPTH", 10**9)
    root = load_text(text).documents[0].root
    depth = 0
    while isinstance(root, (list, dict)) and root:
        root = root[0] if isinstance(root, list) else next(iter(root.values()))
        depth += 1
    assert depth >= 1499


def test_the_pure_python_parser_refuses_past_the_depth_limit(monkeypatch):
    monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)
    with pytest.raises(LoadError) as info:
        load_text('{"a": ' * 10_000 + "1" + "}" * 10_000)
    assert (info.value.code, info.value.line, info.value.column) == ("STS001", 1, 6 * LIMIT + 1)


@pytest.mark.slow
def test_a_hundred_thousand_documents(tmp_path):
    doc = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
    (tmp_path / "many.yaml").write_text(doc * 100_000 + "---\n" + GOOD)
    run = run_limited("many.yaml", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at("many.yaml") == [("STS302", 500_001 + 16, 11)]  # the StatefulSet after them


def test_a_very_long_line_and_a_huge_scalar(tmp_path):
    (tmp_path / "long.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "
                                        + "x" * 30_000_000 + "}\n")
    (tmp_path / "scalar.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: |\n"
                                          + ("    " + "y" * 99 + "\n") * 200_000)
    (tmp_path / "typed.yaml").write_text(STS + "        " + '"' + "z" * 1_000_000 + '"\n')
    good = write_good(tmp_path)
    run = run_limited("long.yaml", "scalar.yaml", "typed.yaml", good.name, cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at("long.yaml") == run.at("scalar.yaml") == []
    # a megabyte-long value of the wrong type is named, not printed
    typed = [(where, message) for where, message in zip(run.at("typed.yaml"), run.messages("typed.yaml"))
             if where[0] == "STS006"]
    assert [where for where, _ in typed] == [("STS006", 12, 9)]
    assert len(typed[0][1]) < 300
    assert_good_linted(run, good)


def test_files_over_the_size_limit_are_refused_at_1_1_without_being_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:  # a sparse 8 GiB file: reading it would exhaust the memory limit
        handle.truncate(8 << 30)
    (tmp_path / "small.yaml").write_text(GOOD.replace("good", "small"))
    good = write_good(tmp_path)
    run = run_limited("big.yaml", "small.yaml", good.name, cwd=tmp_path)
    assert run.at("big.yaml") == [("STS004", 1, 1)]
    assert run.messages("big.yaml") == [f"cannot read file: file is {8 << 30} bytes, larger than the "
                                        f"{64 << 20}-byte limit (--max-file-size)"]
    run = run_limited("--max-file-size", "100", "small.yaml", good.name, cwd=tmp_path)
    assert run.at("small.yaml") == [("STS004", 1, 1)]
    assert "larger than the 100-byte limit" in run.messages("small.yaml")[0]
    assert run.at(good.name) == [("STS004", 1, 1)]
    run = run_limited("--max-file-size", "100", "-", cwd=tmp_path, stdin=GOOD.encode())
    assert run.at("-") == [("STS004", 1, 1)]


def test_deep_flow_nesting_repeated_is_refused_where_the_work_limit_is_reached(tmp_path):
    # each line costs a YAML scanner 450 x 451 / 2 steps (minutes a megabyte in pure Python); the
    # 20,000,000-step budget runs out in the 198th such line (line 199 of the file)
    (tmp_path / "limit.yaml").write_text("a:\n" + ("- " + "[" * 450 + "]" * 450 + "\n") * 220)
    good = write_good(tmp_path)
    run = run_limited("limit.yaml", good.name, cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at("limit.yaml") == [("STS004", 199, 446)]
    assert "nested too deeply too often" in run.messages("limit.yaml")[0]
    assert_good_linted(run, good)


@pytest.mark.slow
@pytest.mark.parametrize("text, where", [
    ("a: [" + "{}, " * 2_000_000 + "]\n", (1, 5 + 4 * (1_999_997 - 1))),  # 4 values before the first
    ("---\n" * 1_100_000, (1_000_001, 1)),
], ids=["empty-mappings", "empty-documents"])
def test_the_value_limit_keeps_the_costliest_shapes_under_the_memory_limit(tmp_path, text, where):
    # an empty mapping is the most memory per byte of input: 2,000,000 of them fit in 1 GiB
    (tmp_path / "limit.yaml").write_text(text)
    good = write_good(tmp_path)
    run = run_limited("limit.yaml", good.name, cwd=tmp_path)
    assert run.exit_code == 1
    assert run.at("limit.yaml") == [("STS004", *where)]
    assert "more than 2,000,000 YAML values" in run.messages("limit.yaml")[0]
    assert_good_linted(run, good)


@pytest.mark.parametrize("text, column", [
    ("a: 0x" + "f" * 5000 + "\n", 4),
    ("a: 1" + ":1" * 200_000 + "\n", 4),
    ("a: " + "7" * 5000 + "\n", 4),
], ids=["hex", "base-60", "decimal"])
def test_integers_too_long_to_build_or_print_are_refused(text, column):
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert (info.value.code, info.value.line, info.value.column) == ("STS001", 1, column)
    assert info.value.message == "integer longer than 1000 characters"


def test_a_duplicate_huge_key_is_reported_with_the_key_cut_short():
    key = "k" * 100_000
    loaded = load_text(f"? {key}\n: 1\n? {key}\n: 2\n")
    [(shown, span)] = loaded.duplicate_keys
    assert len(shown) < 100 and span[:2] == (3, 3)


def test_anchors_do_not_cross_documents():
    with pytest.raises(LoadError) as info:
        load_text("a: &x 1\n---\nb: *x\n")
    assert (info.value.code, info.value.line, info.value.column) == ("STS001", 3, 4)
    assert "undefined alias" in info.value.message


def test_the_value_limit_counts_values_not_bytes(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_VALUES", 11)
    load_text("a: [1, 2, 3]\nb: {c: 4}\n")  # the document, 2 mappings, 1 list, 7 scalars
    with pytest.raises(LoadError) as info:
        load_text("a: [1, 2, 3]\nb: {c: 4, d: 5}\n")
    assert (info.value.code, info.value.line, info.value.column) == ("STS004", 2, 11)


def test_empty_documents_count_against_the_value_limit(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_VALUES", 10)
    with pytest.raises(LoadError) as info:
        load_text("---\n" * 6)  # a document and its empty (null) value each
    assert (info.value.code, info.value.line, info.value.column) == ("STS004", 6, 1)


def test_the_flow_work_limit_counts_values_by_enclosing_flow_collections(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_FLOW_WORK", 5)
    load_text("a: [[1, 2]]\nb:\n- - - 3\n")  # 1 + 2 + 2 in flow; block nesting is free
    with pytest.raises(LoadError) as info:
        load_text("a: [[1, 2]]\nb: [3]\n")
    assert (info.value.code, info.value.line, info.value.column) == ("STS004", 2, 5)


def test_an_object_or_container_aliased_many_times_is_judged_once(tmp_path):
    container = "- &c {name: app, image: nginx, readinessProbe: {tcpSocket: {port: 80}}, ports: 80}\n"
    many = GOOD.replace("        - name: app\n          image: nginx:1.25\n          readinessProbe: {tcpSocket: {port: 80}}\n",
                        "        " + container + "        - *c\n" * 20_000)
    sts = many.split("---\n")[0]
    (tmp_path / "aliased.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n- &sts\n" + "\n".join("  " + line for line in sts.splitlines())
        + "\n" + "- *sts\n" * 20_000)
    run = run_limited("aliased.yaml", cwd=tmp_path)
    # 20,001 StatefulSets that are one object, of 20,001 containers: the object is judged once, its
    # containers each where it is used (the anchor's own fields, then every *c item)
    uses = [(code, line, 13) for line in range(21, 20_021) for code in ("STS006", "STS302")]
    assert run.at("aliased.yaml") == [("STS102", 10, 5), ("STS302", 20, 17), ("STS006", 20, 90), *uses]

"""stslint fix / check --fix: each fix of the table end to end, byte preservation (comments, odd
indentation, flow mappings, several documents, CRLF, BOM, no final newline), idempotence, the
pass limit, what is never written (symlinks out of the repository, files that fail to load, files
that are not being fixed) and atomic writes."""
from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from stslint.api import fix_paths
from stslint.engine import lint
from stslint.fixes import FixFile, apply_edits, write_fixed
from stslint.loading import FileResult
from stslint.loading.discover import Source, discover
from stslint.loading.source_text import SourceText
from stslint.selection import resolve
from stslint.settings import Settings
from tests.conftest import _invoke_in, run_stslint

STS = """\
# a StatefulSet written by hand
apiVersion: apps/v1beta1   # old
kind: StatefulSet
metadata:
   name: db
spec:
   serviceName: db
   replicas: 3
   persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: 'Delete'}
   template:
      metadata:
         labels:
            app: db
            enabled: "on"
      spec:
         containers:
         - name: db
           image: postgres:16
   volumeClaimTemplates:
   - metadata: {name: data}
     spec:
        accessModes: [ReadWriteOnce]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: 10.0.0.7   # set by hand
  selector: {app: db}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: kubernetes.io/no-provisioner
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec: {persistentVolumeReclaimPolicy: Delete, capacity: {storage: 1Gi}}
"""


def _variants(text: str) -> list[tuple[str, bytes]]:
    """The text as LF, CRLF, with a BOM, UTF-16 and without a final newline."""
    return [("lf", text.encode()), ("crlf", text.replace("\n", "\r\n").encode()),
            ("bom", codecs.BOM_UTF8 + text.encode()),
            ("utf16", codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")),
            ("no-final-newline", text.rstrip("\n").encode())]


def _fix(*args: str, cwd: Path) -> tuple[int, str]:
    result = _invoke_in(cwd, ["fix", "--isolated", *args])
    return result.exit_code, result.stdout


def _changed_lines(before: str, after: str) -> set[int]:
    import difflib

    changed: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes():
        if tag in ("replace", "delete"):
            changed.update(range(i1 + 1, i2 + 1))
    return changed


@pytest.mark.parametrize("name, data", _variants(STS))
def test_safe_fixes_change_only_the_fixed_values_whatever_the_encoding(tmp_path, name, data):
    path = tmp_path / "db.yaml"
    path.write_bytes(data)
    code, _ = _fix("db.yaml", cwd=tmp_path)
    assert code == 1  # unsafe and unfixable findings remain
    decoded = SourceText  # the expected bytes: the same decoded edits, re-encoded as the file was
    encoding = "utf-16-le" if name == "utf16" else "utf-8"
    bom = data[:3] if name == "bom" else data[:2] if name == "utf16" else b""
    text = data[len(bom):].decode(encoding)
    expected = (text.replace("whenDeleted: Delete", "whenDeleted: Retain")
                .replace("whenScaled: 'Delete'", "whenScaled: 'Retain'")
                .replace("persistentVolumeReclaimPolicy: Delete", "persistentVolumeReclaimPolicy: Retain"))
    assert path.read_bytes() == bom + expected.encode(encoding)
    assert decoded is SourceText


@pytest.mark.parametrize("name, data", _variants(STS))
def test_unsafe_fixes_insert_blocks_in_the_file_s_own_style(tmp_path, name, data):
    path = tmp_path / "db.yaml"
    path.write_bytes(data)
    (tmp_path / ".stslint.yaml").write_text("rules: {STS404: {default-storage-class: ssd-retain}}\n")
    result = _invoke_in(tmp_path, ["fix", "--unsafe-fixes", "db.yaml"])
    after = lint(discover([str(path)]), Settings(rule_options={"STS404": {"default-storage-class": "ssd-retain"}}))
    codes = {f.code for f in after.findings}
    assert not codes & {"STS103", "STS201", "STS401", "STS402", "STS403", "STS404", "STS501"}, result.stdout
    raw = path.read_bytes()
    bom = codecs.BOM_UTF8 if name == "bom" else codecs.BOM_UTF16_LE if name == "utf16" else b""
    assert raw.startswith(bom)
    text = raw[len(bom):].decode("utf-16-le" if name == "utf16" else "utf-8")
    newline = "\r\n" if name in ("crlf", "utf16") else "\n"
    assert ("\n" in text.replace("\r\n", "")) is (newline == "\n")  # no stray line break style
    lf = text.replace("\r\n", "\n")
    assert lf.startswith("# a StatefulSet written by hand\napiVersion: apps/v1   # old\n")
    assert ("spec:\n   selector:\n      matchLabels:\n         app: db\n         enabled: 'on'\n"
            "   updateStrategy:\n      type: OnDelete\n   serviceName: db\n") in lf
    assert "spec:\n        storageClassName: ssd-retain\n        accessModes: [ReadWriteOnce]" in lf
    assert "clusterIP: None   # set by hand" in lf
    assert lf.endswith("capacity: {storage: 1Gi}}" + ("\n" if name != "no-final-newline" else ""))


def test_fix_then_fix_changes_nothing_and_check_no_longer_reports(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    _fix("--unsafe-fixes", "db.yaml", cwd=tmp_path)
    once = path.read_bytes()
    _fix("--unsafe-fixes", "db.yaml", cwd=tmp_path)
    assert path.read_bytes() == once
    code, out = _fix("--unsafe-fixes", "--diff", "db.yaml", cwd=tmp_path)
    assert code == 0 and out == ""


def test_diff_writes_nothing_and_exits_1_with_applicable_hunks(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    result = run_stslint("fix", "--isolated", "--diff", "--unsafe-fixes", "db.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert path.read_text() == STS
    assert "# unsafe fix STS501" in result.stdout and "immutable" in result.stdout
    from tests.diff_helpers import apply_unified_diff

    assert apply_unified_diff(tmp_path, result.stdout) == ["db.yaml"]
    fixed = fix_paths([str(path)], Settings(), unsafe=True)
    assert path.read_text() == fixed.files[0].original.text  # patch applied = the text as read by fix again
    assert not fixed.files[0].changed or fixed.fixed == []


def test_safe_only_diff_touches_only_the_lines_of_the_fixed_fields(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    outcome = fix_paths([str(path)], Settings())
    [item] = outcome.files
    changed = _changed_lines(STS, item.current.content.text)
    assert changed == {9, 40}  # the retention policy line and the PersistentVolume's spec line
    assert {f.code for f in outcome.fixed} == {"STS401", "STS403"}


def test_stdin_gives_the_fixed_text_and_edits_no_other_file(tmp_path):
    other = tmp_path / "svc.yaml"
    other.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: 1.2.3.4}\n")
    stdin = STS.split("---\n")[0]
    result = run_stslint("fix", "--isolated", "--unsafe-fixes", "-", str(other), cwd=tmp_path,
                         input=stdin.encode())
    assert "apiVersion: apps/v1   # old" in result.stdout
    assert other.read_text().endswith("{clusterIP: 1.2.3.4}\n")  # not standard input: not fixed
    assert "Found" in result.stderr


def test_check_fix_is_fix(tmp_path):
    path = tmp_path / "pv.yaml"
    path.write_text(STS.split("---\n")[-1])
    result = _invoke_in(tmp_path, ["check", "--isolated", "--fix", "pv.yaml"])
    assert result.exit_code == 0
    assert "persistentVolumeReclaimPolicy: Retain" in path.read_text()


def test_unsafe_fixes_needs_fix(tmp_path):
    result = _invoke_in(tmp_path, ["check", "--unsafe-fixes", "."])
    assert result.exit_code == 2


def test_select_restricts_the_fixes(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    _fix("--select", "STS403", "db.yaml", cwd=tmp_path)
    text = path.read_text()
    assert "persistentVolumeReclaimPolicy: Retain" in text and "whenDeleted: Delete" in text


def test_selector_and_api_version_fixes_never_both_insert_a_selector(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS.split("---\n")[0])
    outcome = fix_paths([str(path)], Settings(), unsafe=True)
    text = outcome.files[0].current.content.text
    assert text.count("selector:") == 1 and text.count("matchLabels:") == 1
    fixed = {f.code for f in outcome.fixed}
    assert "STS501" in fixed and "STS201" not in fixed  # STS201 overlapped STS501 and was gone in the next pass
    assert not {f.code for f in outcome.result.findings} & {"STS201", "STS501"}


def test_a_file_that_does_not_load_is_never_touched(tmp_path):
    path = tmp_path / "bad.yaml"
    data = b"apiVersion: v1\nkind: PersistentVolume\nspec: {persistentVolumeReclaimPolicy: Delete}\n: [\n"
    path.write_bytes(data)
    _fix("bad.yaml", cwd=tmp_path)
    assert path.read_bytes() == data


def test_context_files_are_not_edited(tmp_path):
    (tmp_path / "ctx").mkdir()
    service = tmp_path / "ctx" / "svc.yaml"
    service.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: 1.2.3.4\n")
    sts = tmp_path / "sts.yaml"
    sts.write_text(STS.split("---\n")[0].replace("apps/v1beta1", "apps/v1"))
    result = _invoke_in(tmp_path, ["fix", "--isolated", "-v", "--unsafe-fixes", "--select", "STS103",
                                   "--context", "ctx", "sts.yaml"])
    assert "clusterIP: 1.2.3.4" in service.read_text()
    assert "STS103 fix was not applied" in result.stderr


def _in_repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    return repo


def test_a_symlink_out_of_the_repository_is_not_followed_for_writing(tmp_path):
    repo = _in_repository(tmp_path)
    outside = tmp_path / "outside.yaml"
    pv = STS.split("---\n")[-1]
    outside.write_text(pv)
    (repo / "link.yaml").symlink_to(outside)
    result = _invoke_in(repo, ["fix", "--isolated", "link.yaml"])
    assert outside.read_text() == pv
    assert "outside the repository" in result.stderr
    linked = repo / "sub"
    linked.symlink_to(tmp_path, target_is_directory=True)  # a directory link leading out
    _invoke_in(repo, ["fix", "--isolated", "sub/outside.yaml"])
    assert outside.read_text() == pv


def test_a_symlink_inside_the_repository_stays_a_symlink_and_its_target_is_fixed(tmp_path):
    repo = _in_repository(tmp_path)
    (repo / "real").mkdir()
    target = repo / "real" / "pv.yaml"
    target.write_text(STS.split("---\n")[-1])
    target.chmod(0o640)
    (repo / "pv.yaml").symlink_to(target)
    _invoke_in(repo, ["fix", "--isolated", "pv.yaml"])
    assert (repo / "pv.yaml").is_symlink()
    assert "persistentVolumeReclaimPolicy: Retain" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_crash_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "pv.yaml"
    path.write_text(STS.split("---\n")[-1])
    outcome = fix_paths([str(path)], Settings())
    [item] = outcome.files

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    assert write_fixed(item) == "No space left on device"
    assert path.read_text() == STS.split("---\n")[-1]
    assert [p.name for p in tmp_path.iterdir()] == ["pv.yaml"]  # no temporary file left


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = tmp_path / "pv.yaml"
    path.write_text(STS.split("---\n")[-1])
    [item] = fix_paths([str(path)], Settings()).files
    path.write_text("changed by someone else\n")
    assert write_fixed(item) == "it changed on disk while being fixed"
    assert path.read_text() == "changed by someone else\n"


def test_a_fix_that_would_not_read_back_as_intended_is_not_applied(tmp_path):
    from stslint.findings import Edit
    from stslint.fixes import _reloaded, verify
    from stslint.loading import load_content

    text = "a: 1\nb:\n  c: 2\n"
    old = load_content(FileResult(Source("f", None, True), content=SourceText(text)))

    def reads_back(edit: Edit) -> bool:
        new = _reloaded(old, apply_edits(text, [edit]))
        return new is not None and verify(old, new, [edit])

    assert reads_back(Edit("f", 3, 4, "3"))
    assert reads_back(Edit("f", 10, 10, "d: 4\n  "))  # an insertion before c: is an entry of b
    assert not reads_back(Edit("f", 10, 10, "d: 4\n"))  # c: would move out of b
    assert reads_back(Edit("f", 3, 4, "yes"))  # the value the replacement reads as (a boolean) is intended
    assert not reads_back(Edit("f", 0, 4, "a: 1\nz: 2"))  # more than one scalar replaced
    assert not reads_back(Edit("f", 10, 10, "c: 4\n  "))  # a repeated key: rejected by the loader


def test_json_output_marks_fixable_findings_and_their_edits(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text(STS)
    result = _invoke_in(tmp_path, ["check", "--isolated", "--format", "json", "db.yaml"])
    findings = json.loads(result.stdout)["findings"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["STS401"]["fixable"] and by_code["STS401"]["fix"]["applicability"] == "safe"
    assert by_code["STS103"]["fix"]["applicability"] == "unsafe"
    assert by_code["STS103"]["fix"]["edits"][0]["replacement"] == "None"
    assert not by_code["STS301"]["fixable"] and by_code["STS301"]["fix"] is None
    assert "fix" not in by_code["STS404"] or by_code["STS404"]["fix"] is None  # no default class configured


def test_storage_class_fix_edits_every_definition(tmp_path):
    sts = STS.split("---\n")[0].replace("accessModes: [ReadWriteOnce]",
                                        "storageClassName: fast\n        accessModes: [ReadWriteOnce]")
    (tmp_path / "sts.yaml").write_text(sts)
    for name, body in (("a.yaml", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                                  "provisioner: x\nreclaimPolicy: Delete\n"),
                       ("b.json", '{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", '
                                  '"metadata": {"name": "fast"}, "provisioner": "x"}\n')):
        (tmp_path / name).write_text(body)
    outcome = fix_paths([str(tmp_path)], Settings(selected=resolve(["STS402"])), unsafe=True)
    texts = {Path(item.key).name: item.current.content.text for item in outcome.files}
    assert "reclaimPolicy: Retain\n" in texts["a.yaml"]
    assert texts["b.json"].startswith('{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": '
                                      '{"name": "fast"}, "reclaimPolicy": "Retain", "provisioner": "x"}')
    assert not outcome.result.findings


def test_headless_fix_is_not_offered_for_a_node_port_service(tmp_path):
    svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {type: NodePort, selector: {app: db}}\n"
    sts = STS.split("---\n")[0].replace("apps/v1beta1", "apps/v1")
    (tmp_path / "all.yaml").write_text(sts + "---\n" + svc)
    result = lint(discover([str(tmp_path / "all.yaml")]), Settings(selected=resolve(["STS103"])))
    [finding] = result.findings
    assert finding.fix is None


def test_the_fix_loop_stops_after_ten_passes(tmp_path, monkeypatch):
    import stslint.fixes as fixes

    path = tmp_path / "pv.yaml"
    path.write_text(STS.split("---\n")[-1])
    calls = []
    real = fixes._apply_verified

    def counting(chosen, by_key, not_applied):
        calls.append(len(chosen))
        return real(chosen, by_key, not_applied)

    monkeypatch.setattr(fixes, "_apply_verified", counting)
    monkeypatch.setattr(fixes, "MAX_PASSES", 0)
    outcome = fix_paths([str(path)], Settings())
    assert calls == [] and outcome.passes == 0 and not outcome.files[0].changed


def test_fixed_bytes_keep_everything_outside_the_edit(tmp_path):
    text = STS.replace("\n", "\r\n")
    outcome = fix_paths  # noqa: F841 - the API is what the CLI runs
    path = tmp_path / "x.yaml"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    [item] = fix_paths([str(path)], Settings()).files
    assert isinstance(item, FixFile)
    new = item.new_bytes()
    assert new.startswith(codecs.BOM_UTF8) and new.count(b"\r\n") == text.count("\r\n")


def test_a_fix_that_edits_a_context_file_is_not_fixable(tmp_path):
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
                                               "spec:\n  clusterIP: 1.2.3.4\n")
    (tmp_path / "sts.yaml").write_text(STS.split("---\n")[0].replace("apps/v1beta1", "apps/v1"))
    result = _invoke_in(tmp_path, ["check", "--isolated", "--format", "json", "--select", "STS103", "--context",
                                   "ctx", "sts.yaml"])
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["fix"] is not None and finding["fixable"] is False
    both = _invoke_in(tmp_path, ["check", "--isolated", "--format", "json", "--select", "STS103", "sts.yaml",
                                 "ctx/svc.yaml"])
    assert json.loads(both.stdout)["findings"][0]["fixable"] is True


SVC = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
WORKLOAD = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n"
            "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
            "    spec: {containers: [{name: c, image: x}]}\n---\n")


@pytest.mark.parametrize("code, before, after", [
    ("STS103", WORKLOAD + SVC + "spec:\n  selector: {app: db}  # who\n  ports: [{port: 80}]\n",
     WORKLOAD + SVC + "spec:\n  clusterIP: None\n  selector: {app: db}  # who\n  ports: [{port: 80}]\n"),
    ("STS103", WORKLOAD + SVC + "spec: {clusterIP: 10.0.0.1, clusterIPs: [10.0.0.1], selector: {app: db}}\n",
     WORKLOAD + SVC + "spec: {clusterIP: None, clusterIPs: [None], selector: {app: db}}\n"),
    ("STS103", WORKLOAD + SVC + "spec:\n  clusterIP: \"10.0.0.1\"\n  clusterIPs:\n    - '10.0.0.1'\n",
     WORKLOAD + SVC + "spec:\n  clusterIP: \"None\"\n  clusterIPs:\n    - 'None'\n"),
    ("STS501", "apiVersion: \"apps/v1beta2\"\n" + WORKLOAD.split("\n", 1)[1].split("---")[0],
     "apiVersion: \"apps/v1\"\n" + WORKLOAD.split("\n", 1)[1].split("---")[0]),
    ("STS201", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
               "spec: {serviceName: db, template: {metadata: {labels: {app: db, v: '1.10'}}}}\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
     "spec: {selector: {matchLabels: {app: db, v: '1.10'}}, serviceName: db, "
     "template: {metadata: {labels: {app: db, v: '1.10'}}}}\n"),
    ("STS401", "kind: StatefulSet\napiVersion: apps/v1\nmetadata: {name: db}\nspec:\n  template: {}\n"
               "  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n    whenDeleted: Retain\n",
     "kind: StatefulSet\napiVersion: apps/v1\nmetadata: {name: db}\nspec:\n  template: {}\n"
     "  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Retain\n    whenDeleted: Retain\n"),
])
def test_each_fix(tmp_path, code, before, after):
    path = tmp_path / "m.yaml"
    path.write_text(before)
    outcome = fix_paths([str(path)], Settings(selected=resolve([code])), unsafe=True)
    assert outcome.files[0].current.content.text == after
    assert code in {f.code for f in outcome.fixed}

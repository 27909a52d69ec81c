"""kustomize: what an overlay consumes, building it offline, and mapping the build back by field path.

An overlay is built through a temporary wrapper kustomization (``buildMetadata: [originAnnotations]``,
referring to the overlay by a relative path; the user's files are never edited), so each object's
``config.kubernetes.io/origin`` annotation names the file it came from. kustomize re-serialises its
output, so fields are mapped by path: a field a patch of the chain of kustomizations sets points at
that key in the patch (an inline patch at its line in the kustomization), every other field at the
same path in the origin file; a generated object at the generator's entry.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any

import yaml

from stslint.loading.source_text import SourceText
from stslint.model.kustomize import KUSTOMIZATION_NAMES
from stslint.model.nodes import Span, YMap, YSeq
from stslint.render.engines import Engine, EngineError, run_engine
from stslint.render.helm import RenderFailure
from stslint.render.origin import Located, line_span, read_text, shown_path
from stslint.render.paths import Path, indexed_path, node_at, path_at, pointer_steps

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
REFERENCE_KEYS = ("resources", "bases", "components")
FILE_KEYS = ("crds", "configurations", "generators", "transformers", "validators")
GENERATOR_KEYS = {"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)|\?ref=|//")
ERROR_LOCATION = re.compile(r"(?P<path>/[^\s:'\"]+):(?P<line>\d+)")


def kustomization_file(directory: str) -> str | None:
    """The kustomization file of a directory, or None."""
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


@dataclass
class Patch:
    """A patch of a kustomization: strategic-merge (``ops`` None) or JSON6902 (a list of operations),
    where it was written (its root node, and the line/column shift of an inline patch), and its target."""

    file: str
    real_path: str
    root: Any
    target: dict[str, Any] | None
    json6902: bool
    line_shift: int = 0
    column_shift: int = 0


@dataclass
class Kustomization:
    """A parsed kustomization: its file, the files and kustomizations it consumes, its patches."""

    path: str
    root: Any
    text: SourceText
    files: set[str] = field(default_factory=set)
    """Real paths of the plain files it consumes (resources, patches, generator inputs)."""
    children: list[str] = field(default_factory=list)
    """Real paths of the directories of the kustomizations it refers to (bases, components)."""
    patches: list[Patch] = field(default_factory=list)


def load_kustomization(directory: str, remote_ok: bool = False) -> Kustomization:
    """Parse the kustomization of ``directory``; a reference that is not an existing local path is
    refused (RenderFailure at its line: kustomize would fetch it)."""
    path = kustomization_file(directory)
    if path is None:
        raise RenderFailure(shown_path(directory), 1, "no kustomization.yaml in this directory")
    text = read_text(path) or SourceText("")
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = load_manifest_text(text.text, text).documents
    except LoadError as exc:
        raise RenderFailure(shown_path(path), exc.line, f"cannot read kustomization: {exc.message}", exc.column)
    root = documents[0].root if documents else YMap()
    if not isinstance(root, YMap):
        root = YMap()
    found = Kustomization(os.path.realpath(path), root, text, files={os.path.realpath(path)})
    base = os.path.dirname(os.path.realpath(path))
    for key in REFERENCE_KEYS + FILE_KEYS:
        entries = root.get(key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, str):
                continue
            line, column = entries.item_span(index)[:2] if isinstance(entries, YSeq) else (1, 1)
            target = _local(base, entry, path, line, key, column)
            if os.path.isdir(target):
                if key in REFERENCE_KEYS and kustomization_file(target) is None:
                    raise RenderFailure(shown_path(path), line, f"{key} entry \"{entry}\" is a directory without a "
                                        "kustomization; kustomize cannot build it", column)
                found.children.append(target)
            else:
                found.files.add(target)
    _generator_files(root, base, found, path)
    _patches(root, base, found, path)
    return found


def _local(base: str, entry: str, path: str, line: int, key: str, column: int = 1) -> str:
    """The real path of a local reference, or RenderFailure: nothing remote is ever fetched."""
    if REMOTE.search(entry) or os.path.isabs(entry):
        raise RenderFailure(shown_path(path), line, f"{key} entry \"{entry}\" is not a local relative path; "
                            "stslint renders offline and never fetches", column)
    target = os.path.realpath(os.path.join(base, entry))
    if not os.path.exists(target):
        raise RenderFailure(shown_path(path), line, f"{key} entry \"{entry}\" does not exist; overlay not built "
                            "(its patches are not objects)", column, warning=True)
    fence = os.path.realpath(os.getcwd())
    if base.startswith(fence.rstrip(os.sep) + os.sep) and not target.startswith(fence.rstrip(os.sep) + os.sep):
        raise RenderFailure(shown_path(path), line, f"{key} entry \"{entry}\" leads out of the current directory; "
                            "a build must not read files elsewhere", column)
    if not os.path.isdir(target) and not (target == base or target.startswith(base.rstrip(os.sep) + os.sep)):
        raise RenderFailure(shown_path(path), line, f"{key} entry \"{entry}\" lies outside the kustomization's "
                            "directory; kustomize refuses it (load restrictor)", column)
    return target


def _generator_files(root: YMap, base: str, found: Kustomization, path: str) -> None:
    for key in ("configMapGenerator", "secretGenerator"):
        generators = root.get(key)
        if not isinstance(generators, list):
            continue
        for generator in generators:
            if not isinstance(generator, YMap):
                continue
            for list_key in ("files", "envs"):
                items = generator.get(list_key)
                for index, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, str):
                        name = item.split("=", 1)[-1]
                        line = items.item_span(index)[0] if isinstance(items, YSeq) else 1
                        found.files.add(_local(base, name, path, line, f"{key} {list_key}"))
            env = generator.get("env")
            if isinstance(env, str):
                found.files.add(_local(base, env, path, generator.value_span("env")[0], f"{key} env"))


def _patches(root: YMap, base: str, found: Kustomization, path: str) -> None:
    """The patches of a kustomization, in the order kustomize applies them (patchesStrategicMerge,
    then patches, then patchesJson6902)."""
    display = shown_path(path)
    for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
        entries = root.get(key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            line = entries.item_span(index)[0] if isinstance(entries, YSeq) else 1
            target = entry.get("target") if isinstance(entry, YMap) and isinstance(entry.get("target"), dict) else None
            file = entry if isinstance(entry, str) and key == "patchesStrategicMerge" else (
                entry.get("path") if isinstance(entry, YMap) else None)
            if isinstance(file, str):
                if key == "patchesStrategicMerge" and "\n" in file:
                    found.patches += _inline(entry, entries.item_span(index), found, display, None)
                    continue
                real = _local(base, file, path, line, key)
                found.files.add(real)
                found.patches += _patch_documents(real, target, key == "patchesJson6902")
            elif isinstance(entry, YMap) and isinstance(entry.get("patch"), str):
                found.patches += _inline(entry["patch"], entry.value_span("patch"), found, display, target)


def _patch_documents(real: str, target: dict[str, Any] | None, json6902: bool) -> list[Patch]:
    text = read_text(real)
    if text is None:
        return []
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = load_manifest_text(text.text, text).documents
    except LoadError:
        return []
    return [Patch(shown_path(real), real, document.root, target, json6902 or isinstance(document.root, list))
            for document in documents if document.root is not None]


def _inline(value: str, span: Span, found: Kustomization, display: str, target: dict[str, Any] | None) -> list[Patch]:
    """The documents of an inline patch, positioned in the kustomization: a block scalar's content
    starts on the line after its indicator, at the indentation of its first line."""
    lines = found.text.text.split("\n")
    first = span[0]  # the line of "|" or of a quoted scalar
    is_block = lines[first - 1][span[1] - 1:span[1]] in ("|", ">")
    start = first + 1 if is_block else first
    content = next((line for line in lines[start - 1:] if line.strip()), "")
    indent = len(content) - len(content.lstrip()) if is_block else span[1]
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = load_manifest_text(value).documents
    except LoadError:
        return []
    return [Patch(display, found.path, document.root, target, isinstance(document.root, list), start - 1, indent)
            for document in documents if document.root is not None]


def closure(directory: str, seen: dict[str, Kustomization] | None = None) -> dict[str, Kustomization]:
    """The kustomizations an overlay consists of (itself, its bases and components, recursively), by
    the real path of their directories."""
    seen = {} if seen is None else seen
    real = os.path.realpath(directory)
    if real in seen:
        return seen
    seen[real] = load_kustomization(real)
    for child in seen[real].children:
        closure(child, seen)
    return seen


def consumed_files(directory: str) -> set[str]:
    """Real paths of every file a build of the overlay reads."""
    files: set[str] = set()
    for kustomization in closure(directory).values():
        files |= kustomization.files
    return files


def build(directory: str, engine: Engine) -> tuple[str, str]:
    """The overlay built with origin annotations, and the directory its origin paths are relative to
    (removed again: only the text matters), or RenderFailure."""
    closure(directory)  # refuses remote references before the engine runs
    wrapper = tempfile.mkdtemp(prefix="stslint-kustomize-")
    try:
        relative = os.path.relpath(os.path.realpath(directory), wrapper)
        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as handle:
            handle.write(f"resources:\n  - {relative}\nbuildMetadata: [originAnnotations]\n")
        try:
            output = run_engine([*engine.command, wrapper])
        except EngineError as exc:
            raise _located_failure(directory, str(exc), wrapper) from exc
        return output, wrapper
    finally:
        shutil.rmtree(wrapper, ignore_errors=True)


def _located_failure(directory: str, message: str, wrapper: str) -> RenderFailure:
    text = " ".join(message.replace("error: ", "").replace(wrapper, "<wrapper>").split())
    match = ERROR_LOCATION.search(message)
    if match and os.path.isfile(match.group("path")):
        return RenderFailure(shown_path(match.group("path")), int(match.group("line")),
                             f"overlay does not build: {text}")
    path = kustomization_file(directory) or directory
    line = 1
    for name in re.findall(r"(?:/|^)([\w.-]+\.ya?ml)\b", message):
        hit = _line_naming(path, name)
        if hit:
            line = hit
            break
    return RenderFailure(shown_path(path), line, f"overlay does not build: {text}")


def _line_naming(path: str, name: str) -> int:
    text = read_text(path)
    if text is None:
        return 0
    for number, line in enumerate(text.text.split("\n"), start=1):
        if name in line:
            return number
    return 0


@dataclass
class _Object:
    """A document of the build: its lines, root, kind and name, and where its origin says it came from."""

    first: int
    last: int
    root: Any
    origin_path: str | None
    generator: tuple[str, str] | None  # (kustomization real path, generator kind)
    chain: list[Kustomization] = field(default_factory=list)


class KustomizeOrigin:
    """Where the fields of a kustomize build were written (by field path, see the module)."""

    def __init__(self, text: str, relative_to: str, roots: dict[str, Kustomization]) -> None:
        from stslint.loading.yamlload import LoadError, load_manifest_text

        self.roots = roots
        self.objects: list[_Object] = []
        self.sources: set[str] = set()
        try:
            documents = load_manifest_text(text).documents
        except LoadError:
            return
        for document in documents:
            root = document.root
            if not isinstance(root, YMap):
                continue
            origin = _origin_of(root)
            path = origin.get("path") if isinstance(origin.get("path"), str) else None
            origin_path = _resolve(path, relative_to) if path else None
            generator = None
            if isinstance(origin.get("configuredIn"), str):
                configured = _resolve(origin["configuredIn"], relative_to)
                by = origin.get("configuredBy")
                kind = by.get("kind") if isinstance(by, dict) else None
                if configured is not None:
                    generator = (configured, str(kind or ""))
            chain = self._chain(origin_path) if origin_path else []
            if origin_path:
                self.sources.add(origin_path)
            self.objects.append(_Object(document.span[0], document.span[2], root, origin_path, generator, chain))

    def _chain(self, file: str) -> list[Kustomization]:
        """The kustomizations from a root down to the one that lists ``file``, each followed by the
        components it includes (their patches apply too, before its own)."""
        for directory in self.roots:
            found = _path_to(directory, file, self.roots, [])
            if found is not None:
                chain: list[Kustomization] = []
                for kustomization in found:
                    chain.append(kustomization)
                    chain += [self.roots[child] for child in kustomization.children if child in self.roots
                              and self.roots[child].root.get("kind") == "Component"]
                return chain
        return []

    def locate_precisely(self, span: Span) -> Located | None:
        """Where the field at ``span`` was written (see the module)."""
        for item in self.objects:
            if item.first <= span[0] <= item.last:
                return self._locate(item, span)
        return None

    def _locate(self, item: _Object, span: Span) -> Located | None:
        if item.generator is not None:
            return _generator_location(item, item.generator)
        if item.origin_path is None:
            return None
        found = path_at(item.root, span)
        path, is_key = found if found is not None else ((), False)
        kind, names = item.root.get("kind"), _names(item)
        origin_root, origin_text = _origin_document(item.origin_path, kind, names)
        reached = node_at(origin_root, path) if origin_root is not None else (0, None, None, None)
        in_origin = origin_root is not None and reached[0] == len(path)
        for patch in reversed([p for k in reversed(item.chain) for p in k.patches]):
            hit = _patch_location(patch, item, path, is_key, kind, names, in_origin, reached[1])
            if hit is not None:
                return hit
        display, real = shown_path(item.origin_path), item.origin_path
        if origin_root is None or origin_text is None:
            return Located(display, real, (1, 1, 1, 2, 0, 1), False)
        depth, _, key_span, value_span = node_at(origin_root, path)
        chosen = (key_span if is_key and key_span is not None else value_span or key_span)
        if chosen is None:
            return Located(display, real, line_span(origin_text, _doc_line(origin_root)), False)
        return Located(display, real, chosen, depth == len(path))


def _origin_of(root: YMap) -> dict[str, Any]:
    metadata = root.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    value = annotations.get(ORIGIN_ANNOTATION) if isinstance(annotations, dict) else None
    if not isinstance(value, str):
        return {}
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _resolve(path: str, relative_to: str) -> str | None:
    """An origin path made absolute (relative to the build's root, else to the current directory)."""
    for base in (relative_to, os.getcwd()):
        candidate = os.path.realpath(os.path.join(base, path))
        if os.path.exists(candidate):
            return candidate
    return None


def _path_to(directory: str, file: str, known: dict[str, Kustomization],
             trail: list[Kustomization]) -> list[Kustomization] | None:
    """The chain of kustomizations from ``directory`` down to the one listing ``file``, or None."""
    kustomization = known.get(directory)
    if kustomization is None or kustomization in trail:
        return None
    trail = trail + [kustomization]
    if file in kustomization.files:
        return trail
    for child in kustomization.children:
        found = _path_to(child, file, known, trail)
        if found is not None:
            return found
    return None


def _names(item: _Object) -> set[str]:
    metadata = item.root.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    names = {name} if isinstance(name, str) else set()
    if item.origin_path:
        origin_root, _ = _origin_document(item.origin_path, item.root.get("kind"), names, strict=False)
        if isinstance(origin_root, dict) and isinstance(origin_root.get("metadata"), dict):
            original = origin_root["metadata"].get("name")
            if isinstance(original, str):
                names.add(original)
    return names


def _origin_document(path: str, kind: Any, names: set[str], strict: bool = True) -> tuple[Any, SourceText | None]:
    """The document of ``kind`` in the origin file whose name the built name contains (the only one of
    that kind when names do not tell)."""
    text = read_text(path)
    if text is None:
        return None, None
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = [d.root for d in load_manifest_text(text.text, text).documents if isinstance(d.root, YMap)]
    except LoadError:
        return None, text
    same_kind = [root for root in documents if root.get("kind") == kind]
    for root in same_kind:
        name = root.get("metadata", {}).get("name") if isinstance(root.get("metadata"), dict) else None
        if isinstance(name, str) and any(name in built for built in names):
            return root, text
    return (same_kind[0] if len(same_kind) == 1 else None), text


def _doc_line(root: Any) -> int:
    return root.span[0] if hasattr(root, "span") else 1


def _targets(patch: Patch, kind: Any, names: set[str]) -> bool:
    """Whether a patch applies to an object of ``kind`` known by ``names``."""
    selector: dict[str, Any] | None = patch.target
    if selector is None and isinstance(patch.root, dict):
        metadata = patch.root.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        selector = {"kind": patch.root.get("kind"), "name": name}
    if selector is None:
        return False
    if selector.get("kind") not in (None, kind):
        return False
    wanted = selector.get("name")
    if wanted is None:
        return True
    try:
        return any(re.fullmatch(str(wanted), name) for name in names)
    except re.error:
        return str(wanted) in names


def _patch_location(patch: Patch, item: _Object, path: Path, is_key: bool, kind: Any, names: set[str],
                    in_origin: bool, origin_value: Any = None) -> Located | None:
    """Where a patch sets the field at ``path``, or None when it does not."""
    if not _targets(patch, kind, names):
        return None
    if patch.json6902:
        tokens = indexed_path(item.root, path)
        if tokens is None or not isinstance(patch.root, list):
            return None
        for operation in reversed(patch.root):
            if not isinstance(operation, YMap) or operation.get("op") not in ("add", "replace", "copy", "move"):
                continue
            steps = pointer_steps(str(operation.get("path", "")))
            if steps and len(tokens) >= len(steps) and all(
                    want == got or (want == "-" and not in_origin) for want, got in zip(steps, tokens)):
                rest = path[len(steps):]
                depth, _, key_span, value_span = node_at(operation, ("value",) + tuple(rest))
                chosen = key_span if is_key and key_span is not None and depth == len(rest) + 1 else value_span
                return _shifted(patch, chosen or operation.span, depth == len(rest) + 1)
        return None
    depth, node, key_span, value_span = node_at(patch.root, path)
    if depth < len(path) or not path:
        return None
    if in_origin and (isinstance(node, (dict, list)) or node == origin_value):
        return None  # the patch merges into (or repeats) a field the origin file holds: that field is the origin's
    chosen = key_span if is_key and key_span is not None else value_span
    return _shifted(patch, chosen or patch.root.span, True)


def _shifted(patch: Patch, span: Span, exact: bool) -> Located:
    text = read_text(patch.real_path) or SourceText("")
    if not patch.line_shift and not patch.column_shift:
        return Located(patch.file, patch.real_path, span, exact)
    line = span[0] + patch.line_shift
    column = span[1] + patch.column_shift
    end = span[3] + patch.column_shift if span[2] == span[0] else None
    return Located(patch.file, patch.real_path, line_span(text, line, column, end), exact)


def _generator_location(item: _Object, generator: tuple[str, str]) -> Located:
    path, kind = generator
    text = read_text(path) or SourceText("")
    from stslint.loading.yamlload import LoadError, load_manifest_text

    try:
        documents = load_manifest_text(text.text, text).documents
    except LoadError:
        documents = []
    root = documents[0].root if documents else None
    key = GENERATOR_KEYS.get(kind)
    metadata = item.root.get("metadata")
    built = metadata.get("name") if isinstance(metadata, dict) else ""
    entries = root.get(key) if isinstance(root, YMap) and key else None
    if isinstance(entries, YSeq):
        for generator_entry in entries:
            if isinstance(generator_entry, YMap) and isinstance(generator_entry.get("name"), str) \
                    and generator_entry["name"] in str(built):
                return Located(shown_path(path), path, generator_entry.value_span("name"), True)
    return Located(shown_path(path), path, line_span(text, 1), False)


def roots_among(directories: list[str]) -> list[str]:
    """The kustomization directories that no other of them refers to (an overlay's base is built
    through the overlay, not alone), components left out (they cannot be built alone)."""
    known: dict[str, Kustomization] = {}
    for directory in directories:
        try:
            closure(directory, known)
        except RenderFailure:
            continue
    referenced = {child for kustomization in known.values() for child in kustomization.children}
    return [d for d in directories if os.path.realpath(d) not in referenced
            and not (os.path.realpath(d) in known and known[os.path.realpath(d)].root.get("kind") == "Component")]

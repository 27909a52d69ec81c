"""The configuration file: where it is found, how it is read, and the settings it gives a run.

Discovery walks up from the current directory and stops at the repository root (a directory
holding ``.git``) or the home directory; in each directory ``.stslint.yaml``, ``.stslint.yml`` and
then a ``pyproject.toml`` with a ``[tool.stslint]`` table are tried (a ``pyproject.toml`` without
it is skipped). ``--config PATH`` names the file instead, ``--isolated`` ignores every file.
Command-line options override the file. Every problem is a :class:`ConfigError` naming the file
and the line of the offending key.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from stslint.config_validation import ConfigInvalid, KeyPath, validate
from stslint.repository import ancestors

if TYPE_CHECKING:
    from stslint.settings import Settings
    from stslint.globs import PathMatcher
    from stslint.rules import RuleSet

CONFIG_FILES = (".stslint.yaml", ".stslint.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = ("tool", "stslint")
MAX_CONFIG_BYTES = 1024 * 1024
"""A longer configuration file is refused: real ones are a few kilobytes (a pyproject.toml a few
dozen), and the file is read whole before it is parsed."""


class ConfigError(Exception):
    """A configuration file that cannot be used: unreadable, not YAML/TOML, or invalid."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass
class Config:
    """The settings of a configuration file (defaults when there is none). Relative paths and
    globs in it (``exclude``, ``per-file-ignores``, ``context``, ``policies``) are relative to
    ``directory``, the directory of the file."""

    path: str | None = None
    directory: str = field(default_factory=os.getcwd)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    namespace: str | None = None
    kubernetes_version: str | None = None
    """``kubernetes-version`` as written (``1.29`` or ``v1.29``; validated)."""
    fail_on: str | None = None
    fail_on_empty: bool | None = None
    format: str | None = None
    context: list[str] | str | None = None
    policies: list[str] = field(default_factory=list)
    render: str | None = None
    helm: dict[str, dict[str, Any]] = field(default_factory=dict)
    kustomize: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: str | None = None
    """The baseline file (``--baseline``), relative to ``directory``."""
    rule_set: RuleSet | None = None
    """The rules this configuration was validated against (None: the built-in rules)."""
    display: str | None = None
    """The file as messages name it."""
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    """(file, line, message): what in or around the file has no effect — an input error named by a
    selector, a configuration file beside it that is not read (line 0: the file as a whole)."""

    def rule_set_or_builtin(self) -> RuleSet:
        """The run's rule set."""
        from stslint.rules import BUILTIN

        return self.rule_set or BUILTIN

    def baseline_path(self) -> str | None:
        """The configured baseline file's path (None when none is configured)."""
        return os.path.join(self.directory, self.baseline) if self.baseline else None

    def rule_options(self) -> dict[str, dict[str, Any]]:
        """The options the file sets, by rule code (a run fills in every rule's declared defaults)."""
        return {code: dict(given) for code, given in self.rules.items()}

    def exclude_matcher(self) -> PathMatcher | None:
        """The matcher of the ``exclude`` globs (None when there are none)."""
        if not self.exclude:
            return None
        from stslint.globs import PathMatcher

        return PathMatcher(self.exclude, self.directory)

    def file_ignores(self) -> Callable[[str], frozenset[str]] | None:
        """A function giving the codes ``per-file-ignores`` turns off for a file path (None when the
        file has no per-file-ignores)."""
        if not self.per_file_ignores:
            return None
        from stslint.globs import PathMatcher
        from stslint.selection import expand_ignored

        table = [(PathMatcher([glob], self.directory), expand_ignored(codes, self.rule_set_or_builtin()))
                 for glob, codes in self.per_file_ignores.items()]

        def codes_for(path: str) -> frozenset[str]:
            found: frozenset[str] = frozenset()
            for matcher, codes in table:
                if matcher.matches(path):
                    found |= codes
            return found

        return codes_for

    def settings(self, *, select: list[str] | None = None, ignore: list[str] | None = None,
                 extend_select: list[str] | None = None, namespace: str | None = None,
                 max_file_size: int | None = None, kubernetes_version: str | None = None) -> Settings:
        """The engine settings of a run: this file's, overridden by the command line's. Raises
        stslint.selection.SelectionError for an unknown command-line selector."""
        from stslint.settings import Settings
        from stslint.loading import DEFAULT_MAX_FILE_SIZE
        from stslint.selection import resolve_layers

        rules = self.rule_set_or_builtin()
        selected = resolve_layers([(self.select, self.ignore, self.extend_select),
                                   (select, ignore or [], extend_select or [])], rules)
        from stslint.kubernetes import NEWEST_RELEASE, parse_version

        target = kubernetes_version or self.kubernetes_version
        return Settings(selected=selected, namespace=namespace or self.namespace,
                        max_file_size=max_file_size or DEFAULT_MAX_FILE_SIZE,
                        rule_options=self.rule_options(), severities=dict(self.severity),
                        file_ignores=self.file_ignores(), rules=rules,
                        kubernetes_version=(parse_version(target) if target else None) or NEWEST_RELEASE)


def _is_git_root(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, ".git"))


def _pyproject_has_table(path: str, display: str) -> bool:
    try:
        raw = _read_bounded(path)
    except OSError:
        return False
    except _Unreadable as exc:
        raise ConfigError(display, None, f"cannot read the configuration file: {exc}") from None
    if b"stslint" not in raw:
        return False
    data, _ = _parse_toml(raw, display)
    tool = data.get("tool")
    return isinstance(tool, dict) and "stslint" in tool


def find_config(start: str | None = None, home: str | None = None) -> str | None:
    """The configuration file that governs ``start`` (default: the current directory), or None."""
    home = os.path.abspath(home if home is not None else os.path.expanduser("~"))
    for directory in ancestors(os.path.abspath(start or os.getcwd())):
        for name in CONFIG_FILES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(directory, PYPROJECT)
        if os.path.isfile(candidate) and _pyproject_has_table(candidate, _display(candidate)):
            return candidate
        if directory == home or _is_git_root(directory):
            return None
    return None


def shadowed_files(found: str) -> list[str]:
    """The configuration files beside ``found`` (a discovered one) that discovery passes over: one
    file shadows the others of its directory (``.stslint.yaml``, then ``.stslint.yml``, then a
    ``pyproject.toml`` with a ``[tool.stslint]`` table)."""
    directory, name = os.path.split(found)
    later = CONFIG_FILES[CONFIG_FILES.index(name) + 1:] if name in CONFIG_FILES else ()
    shadowed = [os.path.join(directory, other) for other in later if os.path.isfile(os.path.join(directory, other))]
    pyproject = os.path.join(directory, PYPROJECT)
    if name != PYPROJECT and os.path.isfile(pyproject):
        try:
            if _pyproject_has_table(pyproject, _display(pyproject)):
                shadowed.append(pyproject)
        except ConfigError:
            pass  # a pyproject.toml that is not read need not be readable
    return shadowed


def _display(path: str) -> str:
    """A file name for messages: relative to the current directory when that is shorter."""
    relative = os.path.relpath(path)
    return relative if len(relative) < len(path) else path


class _Unreadable(ValueError):
    """A configuration file that must not be read: not a regular file, or too long."""


def _read_bounded(path: str) -> bytes:
    """The bytes of a regular file of at most MAX_CONFIG_BYTES. It is opened without blocking (a
    FIFO cannot hang the run) and checked on the open descriptor; raise _Unreadable for what must
    not be read, OSError for what cannot be."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(descriptor)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise _Unreadable("not a regular file (a device, FIFO or socket)")
        if st.st_size > MAX_CONFIG_BYTES:
            raise _Unreadable(f"the file is {st.st_size} bytes, larger than the {MAX_CONFIG_BYTES}-byte limit")
        chunks: list[bytes] = []
        remaining = MAX_CONFIG_BYTES + 1
        while remaining > 0:
            chunk = os.read(descriptor, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(descriptor)
    if remaining <= 0:
        raise _Unreadable(f"the file grew past the {MAX_CONFIG_BYTES}-byte limit while being read")
    return b"".join(chunks)


def _read(path: str, display: str) -> bytes:
    try:
        return _read_bounded(path)
    except OSError as exc:
        raise ConfigError(display, None, f"cannot read the configuration file: {exc.strerror or exc}") from None
    except _Unreadable as exc:
        raise ConfigError(display, None, f"cannot read the configuration file: {exc}") from None


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _parse_toml(raw: bytes, display: str) -> tuple[dict[str, Any], str]:
    import tomllib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(display, None, "cannot read the configuration file: not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(display, None, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        raise ConfigError(display, line, f"invalid TOML: {_TOML_POSITION.sub('', message).strip()}") from None


def _load_yaml(raw: bytes, display: str) -> tuple[Any, Callable[[KeyPath], int | None]]:
    from stslint.loading.decode import DecodeError, decode
    from stslint.loading.yamlload import LoadError, load_text

    try:
        text = decode(raw).text
    except DecodeError as exc:
        raise ConfigError(display, exc.line, f"cannot read the configuration file: {exc.message}") from None
    try:
        loaded = load_text(text)
    except LoadError as exc:
        raise ConfigError(display, exc.line, f"invalid YAML: {exc.message}") from None
    if loaded.duplicate_keys:
        key, span = loaded.duplicate_keys[0]
        raise ConfigError(display, span[0], f'duplicate key "{key}"; expected each key once')
    documents = [doc for doc in loaded.documents if doc.root is not None]
    if len(documents) > 1:
        raise ConfigError(display, documents[1].span[0], "the file holds several YAML documents; expected one")
    root = documents[0].root if documents else {}
    root_line = documents[0].span[0] if documents else 1
    return root, lambda path: _yaml_line(root, path) or root_line


def _yaml_line(root: Any, path: KeyPath) -> int | None:
    """The line where the key (or list item) at ``path`` is written."""
    node, line = root, None
    for part in path:
        if isinstance(node, dict) and part in node:
            line = node.key_span(part)[0] if hasattr(node, "key_span") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_span(part)[0] if hasattr(node, "item_span") else line
            node = node[part]
        else:
            break
    return line


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TOML_DOTTED = rf"{_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*"
_TOML_HEADER = re.compile(rf"\s*\[\[?\s*({_TOML_DOTTED})\s*\]\]?")
_TOML_ASSIGN = re.compile(rf"\s*({_TOML_DOTTED})\s*=")


def _toml_keys(dotted: str) -> list[str]:
    keys = []
    for key in re.findall(_TOML_KEY, dotted):
        if key[:1] in "\"'":
            key = key[1:-1]
        keys.append(key)
    return keys


def _toml_line(text: str, prefix: tuple[str, ...], path: KeyPath, data: Any) -> int | None:
    """The line of the key at ``path`` below the table ``prefix``: the line whose key (table header or
    dotted assignment) shares the longest start with it; a string list item is searched for below."""
    keys_wanted = [*prefix]
    node: Any = data
    item: Any = None
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            break
        keys_wanted.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    lines = text.splitlines()
    best_line, best = None, len(prefix) - 1
    table: list[str] = []
    for number, line in enumerate(lines, 1):
        header = _TOML_HEADER.match(line)
        if header:
            table = _toml_keys(header.group(1))
            keys = table
        else:
            assign = _TOML_ASSIGN.match(line)
            if not assign:
                continue
            keys = table + _toml_keys(assign.group(1))
        common = 0
        for have, want in zip(keys, keys_wanted):
            if have != want:
                break
            common += 1
        if common > best and common >= len(prefix):
            best_line, best = number, common
    if best_line is not None and isinstance(item, str):
        for number in range(best_line, len(lines) + 1):
            if f'"{item}"' in lines[number - 1] or f"'{item}'" in lines[number - 1]:
                return number
    return best_line


def load_config(path: str, display: str | None = None, policies: Sequence[str] = ()) -> Config:
    """Read and validate one configuration file (YAML, or the ``[tool.stslint]`` table of a
    ``pyproject.toml``, or a whole other ``.toml`` file). Its ``policies`` and ``policies`` (given on
    the command line) are loaded first: the file is validated against the rule set they make."""
    display = display or path
    raw = _read(path, display)
    name = os.path.basename(path)
    if name.endswith(".toml"):
        parsed, text = _parse_toml(raw, display)
        prefix: tuple[str, ...] = ()
        data: Any = parsed
        if name == PYPROJECT:
            prefix = TOOL_TABLE
            tool = parsed.get("tool")
            if not isinstance(tool, dict) or "stslint" not in tool:
                raise ConfigError(display, None, "has no [tool.stslint] table; expected the settings there")
            data = tool["stslint"]
        locate: Callable[[KeyPath], int | None] = lambda key_path: _toml_line(text, prefix, key_path, data)  # noqa: E731
    else:
        data, locate = _load_yaml(raw, display)
    directory = os.path.dirname(os.path.abspath(path))
    rule_set = _with_policies(data, directory, policies, display, locate)
    try:
        values = validate(data, rule_set) if rule_set is not None else validate(data)
    except ConfigInvalid as exc:
        raise ConfigError(display, locate(exc.path), exc.message) from None
    config = Config(path=path, directory=directory, display=display, rule_set=rule_set)
    for key, value in values.items():
        setattr(config, key.replace("-", "_"), value)
    config.warnings = [(display, locate(key_path) or 0, message) for key_path, message in _input_selectors(values)]
    return config


def _input_selectors(values: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """(key path, message) for every selector that names an input error by its code or name: input
    errors are always reported, so naming one has no effect."""
    from stslint.selection import input_error_selectors

    lists: list[tuple[tuple[Any, ...], list[str]]] = [((key,), values[key]) for key in ("select", "extend-select",
                                                                                        "ignore") if key in values]
    lists += [(("per-file-ignores", glob), codes) for glob, codes in values.get("per-file-ignores", {}).items()]
    found = []
    for key_path, tokens in lists:
        label = ".".join(str(part) for part in key_path)
        for index, message in input_error_selectors(tokens):
            found.append(((*key_path, index), f'"{label}": {message}'))
    return found


def resolve_config(config_path: str | None = None, isolated: bool = False, cwd: str | None = None,
                   policies: Sequence[str] = ()) -> Config:
    """The configuration of a run: ``--isolated`` gives the defaults, ``--config PATH`` that file,
    otherwise the discovered file or the defaults; ``policies`` (``--policy``) are added in every case."""
    directory = os.path.abspath(cwd or os.getcwd())
    if isolated:
        return Config(directory=directory, rule_set=_with_policies({}, directory, policies, "", lambda p: None))
    if config_path is not None:
        return load_config(config_path, config_path, policies)
    found = find_config(directory)
    if not found:
        return Config(directory=directory, rule_set=_with_policies({}, directory, policies, "", lambda p: None))
    config = load_config(found, _display(found), policies)
    config.warnings[:0] = [(_display(other), 0, f"not read: {_display(found)} beside it is the configuration in use "
                            "(one file per directory is read; merge the two and delete one)")
                           for other in shadowed_files(found)]
    return config


def _with_policies(data: Any, directory: str, extra: Sequence[str], display: str,
                   locate: Callable[[KeyPath], int | None]) -> RuleSet | None:
    """The built-in rules plus the policies the configuration data names (relative to ``directory``)
    and ``extra`` ones (relative to the current directory); None when there are none (nothing of
    stslint.policy is imported then)."""
    given: list[str] = []
    if isinstance(data, dict) and "policies" in data:
        try:
            given = validate({"policies": data["policies"]})["policies"]
        except ConfigInvalid as exc:
            raise ConfigError(display, locate(exc.path), exc.message) from None
    if not given and not extra:
        return None
    from stslint.policy import PolicySource, policy_rule_set

    sources = [PolicySource(path if path.startswith("pkg:") else os.path.join(directory, path), directory,
                            (display, locate(("policies", index)), path))
               for index, path in enumerate(given)]
    sources += [PolicySource(path, os.getcwd()) for path in extra]
    return policy_rule_set(sources)

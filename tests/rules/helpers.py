"""Build small manifests in a temporary directory and lint them in-process."""
from __future__ import annotations

import textwrap
from pathlib import Path

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve


def sts(name: str = "web", *, service: str | None = "web", labels: str = "app: web", selector: str | None = None,
        containers: str | None = None, extra_spec: str = "", namespace: str | None = None,
        api: str = "apps/v1", claims: str = "", pod: str = "") -> str:
    """A StatefulSet manifest; every part can be replaced."""
    meta_ns = f"\n  namespace: {namespace}" if namespace else ""
    service_line = f"\n  serviceName: {service}" if service is not None else ""
    selector = selector if selector is not None else "selector:\n    matchLabels:\n      app: web"
    containers = containers if containers is not None else textwrap.dedent("""\
      - name: app
        image: nginx:1.25
        readinessProbe: {tcpSocket: {port: 80}}
        livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}""")
    containers = textwrap.indent(containers, "      ")
    labels = textwrap.indent(labels, "        ")
    pod = textwrap.indent(pod, "      ") + "\n" if pod else ""
    return (f"apiVersion: {api}\nkind: StatefulSet\nmetadata:\n  name: {name}{meta_ns}\nspec:{service_line}\n"
            f"  {selector}\n{extra_spec}  template:\n    metadata:\n      labels:\n{labels}\n    spec:\n"
            f"      containers:\n{containers}\n{pod}{claims}")


def service(name: str = "web", *, cluster_ip: str | None = "None", selector: str | None = "app: web",
            namespace: str | None = None, extra: str = "") -> str:
    """A Service manifest."""
    meta_ns = f"\n  namespace: {namespace}" if namespace else ""
    ip = f"\n  clusterIP: {cluster_ip}" if cluster_ip is not None else ""
    sel = f"\n  selector:\n    {selector}" if selector is not None else ""
    return f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}{meta_ns}\nspec:{ip}{sel}\n{extra}"


def run(tmp_path: Path, *docs: str, files: dict[str, str] | None = None, namespace: str | None = None,
        select: list[str] | None = None) -> list[tuple[str, str, int]]:
    """Lint the documents (one file) plus extra files; (code, file name, line) of each finding."""
    paths = []
    if docs:
        main = tmp_path / "main.yaml"
        main.write_text("---\n".join(docs), encoding="utf-8")
        paths.append(str(main))
    for name, text in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    settings = Settings(selected=resolve(select), namespace=namespace)
    result = lint(discover(paths), settings)
    return [(f.code, Path(f.file).name, f.line) for f in result.findings]


def codes(tmp_path: Path, *docs: str, **kwargs) -> list[str]:
    """Just the codes."""
    return [code for code, _, _ in run(tmp_path, *docs, **kwargs)]


def related(tmp_path: Path, files: dict[str, str], select: list[str] | None = None
            ) -> list[tuple[str, list[tuple[str, int, int, str]]]]:
    """Lint ``files`` (name → text); each finding's code with its related locations as (file name,
    line, column, message)."""
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = lint(discover(paths), Settings(selected=resolve(select)))
    return [(f.code, [(Path(r.file).name, r.line, r.column, r.message) for r in f.related]) for f in result.findings]

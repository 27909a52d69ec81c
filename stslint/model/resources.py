"""Typed views of the Kubernetes objects stslint reads, over positioned YAML.

A view never raises on a badly typed manifest: a field of the wrong type is reported through the
view's ``report`` callback (which becomes STS006 invalid-field-type when that rule is selected) and
is then treated as absent, so the rules that need it stay quiet. A null value is an omitted field.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from stslint.findings import Finding
from stslint.model.nodes import Span, YMap, YSeq, type_name

TypeReport = Callable[[str, Span, str, Any], None]
"""Called as report(field_path, value_span, expected_type, value) for a field of the wrong type."""

FindingSink = Callable[[Finding], None]
"""Receives STS006 findings for wrong-typed fields."""


def _ignore(path: str, span: Span, expected: str, value: Any) -> None:
    return None


class Fields:
    """Typed, position-aware reads of one mapping; ``path`` is its dotted path in the object.

    ``site`` is set when the mapping was reached through an alias or a merge key (``containers:
    [*c]``, ``template: *t``, ``<<: *base``): the mapping's own positions are then those of its
    anchor, elsewhere in the file (often inside another object), so every position read through it
    is the place where it is used instead — the alias item, or the key whose value the alias is."""

    __slots__ = ("data", "path", "report", "site")

    def __init__(self, data: YMap, path: str, report: TypeReport = _ignore, site: Span | None = None) -> None:
        self.data = data
        self.path = path
        self.report = report
        self.site = site

    @property
    def span(self) -> Span:
        """Where the mapping is (where it is used, when reached through an alias)."""
        return self.site or self.data.span

    def sub(self, key: str) -> str:
        """The dotted path of ``key`` below this mapping."""
        return f"{self.path}.{key}" if self.path else key

    def present(self, key: str) -> bool:
        """True when ``key`` is there with a non-null value."""
        return self.data.get(key) is not None

    def has_key(self, key: str) -> bool:
        """True when ``key`` is written in the mapping, even with a null value."""
        return key in self.data

    def raw(self, key: str) -> Any:
        """The value under ``key`` as loaded, unchecked."""
        return self.data.get(key)

    def key_span(self, key: str) -> Span:
        """Where ``key`` is written (the mapping itself when absent)."""
        return self.site or self.data.key_span(key)

    def value_span(self, key: str) -> Span:
        """Where the value of ``key`` is written (the mapping itself when absent)."""
        return self.site or self.data.value_span(key)

    def _site_of(self, key: str, value: YMap | YSeq) -> Span | None:
        """The use site of the collection under ``key``: this mapping's own site, or the key when the
        value is an alias or merged in (then its recorded value span is not the collection's own)."""
        if self.site is not None:
            return self.site
        return self.data.key_span(key) if self.data.value_span(key) != value.span else None

    def item_site(self, key: str, items: YSeq, index: int) -> Span | None:
        """The use site of item ``index`` of the list ``items`` under ``key`` (None when the item is
        where it is written): the list's site, or the alias item itself."""
        site = self._site_of(key, items)
        if site is not None:
            return site
        item = items[index]
        if isinstance(item, (YMap, YSeq)) and items.item_span(index) != item.span:
            return items.item_span(index)
        return None

    def item_span(self, key: str, index: int) -> Span:
        """Where item ``index`` of the list under ``key`` is (where it is used, through an alias)."""
        items = self.data.get(key)
        if not isinstance(items, YSeq):
            return self.value_span(key)
        return self.item_site(key, items, index) or items.item_span(index)

    def nested(self, key: str, value: YMap) -> Fields:
        """The mapping ``value`` under ``key`` as Fields, located where it is used."""
        return Fields(value, self.sub(key), self.report, self._site_of(key, value))

    def _typed(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else ()):
            self.report(self.sub(key), self.value_span(key), expected, value)
            return None
        if not isinstance(value, kind):
            self.report(self.sub(key), self.value_span(key), expected, value)
            return None
        return value

    def map(self, key: str) -> Fields | None:
        """The mapping under ``key`` as Fields, or None when absent, null or not a mapping."""
        value = self._typed(key, dict, "a mapping")
        return self.nested(key, value) if value is not None else None

    def str(self, key: str) -> str | None:
        """The string under ``key``, or None."""
        return self._typed(key, str, "a string")  # type: ignore[no-any-return]

    def int_or_str(self, key: str) -> int | str | None:
        """An IntOrString field (ports), or None. An integral float (``8080.0``) is the integer it
        reaches the API server as (YAML to JSON writes it ``8080``)."""
        value = self.data.get(key)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self._typed(key, (int, str), "an integer or a string")  # type: ignore[no-any-return]

    def seq(self, key: str) -> YSeq | None:
        """The list under ``key``, or None."""
        return self._typed(key, list, "a list")  # type: ignore[no-any-return]

    def maps_readable(self, key: str) -> bool:
        """True when the list under ``key`` is absent, null, or a list of mappings (null items are
        skipped); otherwise the bad value or items are reported and the answer is False."""
        items = self.seq(key)
        if items is None:
            return not self.present(key)
        readable = True
        for index, item in enumerate(items):
            if item is not None and not isinstance(item, dict):
                self.report(f"{self.sub(key)}[{index}]", self.item_span(key, index), "a mapping", item)
                readable = False
        return readable

    def str_readable(self, key: str) -> bool:
        """True when the value under ``key`` is absent, null or a string (otherwise it is reported)."""
        return self.str(key) is not None or not self.present(key)

    def maps(self, key: str) -> Iterator[tuple[int, Fields]]:
        """The mapping items of the list under ``key`` with their indexes; other items are reported."""
        items = self.seq(key)
        if items is None:
            return
        for index, item in enumerate(items):
            if item is None:
                continue
            path = f"{self.sub(key)}[{index}]"
            if not isinstance(item, dict):
                self.report(path, self.item_span(key, index), "a mapping", item)
                continue
            yield index, Fields(item, path, self.report, self.item_site(key, items, index))

    def string_map(self, key: str) -> dict[str, str] | None:
        """A map of strings (labels, selectors, annotations): wrong-typed values are reported and the
        whole map is then None, so a rule never judges a half-read map."""
        value = self._typed(key, dict, "a mapping of strings")
        if value is None:
            return None
        ok = True
        where = self.nested(key, value)
        for item_key, item in value.items():
            if not isinstance(item_key, str):
                self.report(f"{self.sub(key)}.{describe(item_key)}", where.key_span(item_key),
                            "a string key (quote it)", item_key)
                ok = False
            elif not isinstance(item, str):
                shown = item_key if len(item_key) <= DESCRIBE_LIMIT else describe(item_key)
                self.report(f"{self.sub(key)}.{shown}", where.value_span(item_key), "a string (quote it)", item)
                ok = False
        return dict(value) if ok else None


class Resource:
    """Any Kubernetes object: identity, namespace as kubectl apply would give it, and positions."""

    cluster_scoped = False

    def __init__(self, data: YMap, file: str, default_namespace: str | None,
                 sink: FindingSink | None = None, source_path: str | None = None,
                 document: int | None = None) -> None:
        self.data = data
        self.file = file
        self.source_path = source_path
        self.document = document
        self.sink = sink
        report = self._report if sink is not None else _ignore
        self.fields = Fields(data, "", report)
        self.api_version = data.get("apiVersion") if isinstance(data.get("apiVersion"), str) else ""
        self.kind = data.get("kind") if isinstance(data.get("kind"), str) else ""
        meta = data.get("metadata")
        self.meta = self.fields.nested("metadata", meta) if isinstance(meta, dict) else \
            Fields(YMap(data.span), "metadata", report)
        name = self.meta.raw("name")
        self.name = name if isinstance(name, str) else ("" if name is None else _scalar_text(name))
        namespace = self.meta.raw("namespace")
        explicit = namespace if isinstance(namespace, str) and namespace else None
        self.namespace_explicit = explicit
        self.namespace = None if self.cluster_scoped else (explicit or default_namespace)

    @property
    def ref(self) -> str:
        """``Kind/name``."""
        return f"{self.kind}/{self.name}"

    def check_identity(self) -> None:
        """Report a wrong-typed ``metadata``, ``metadata.name`` or ``metadata.namespace`` (every rule
        reads an object's identity: its name is in every message and names are what objects are
        looked up by)."""
        if self.fields.map("metadata") is not None:
            self.meta.str("name")
            self.meta.str("namespace")

    def _report(self, path: str, span: Span, expected: str, value: Any) -> None:
        assert self.sink is not None
        message = (f'{self.kind} "{self.name}": {path} must be {expected}, not {type_name(value)} '
                   f"{describe(value) if value is not None and not isinstance(value, (dict, list)) else ''}".rstrip())
        self.sink(self.finding("STS006", message, span, anchor=path))

    def with_sink(self, sink: FindingSink | None) -> None:
        """Send this view's wrong-type reports to ``sink`` from now on."""
        self.sink = sink
        report = self._report if sink is not None else _ignore
        self.fields.report = report
        self.meta.report = report

    def spec(self) -> Fields | None:
        """The object's ``spec``."""
        return self.fields.map("spec")

    def finding(self, code: str, message: str, span: Span, *, container: str | None = None,
                anchor: str = "") -> Finding:
        """A finding located in this object."""
        return Finding(code, message, self.file, span, object=self.ref, kind=self.kind,
                       namespace=self.namespace, container=container, anchor=anchor,
                       source_path=self.source_path, document=self.document)


class Container:
    """A container of a pod template: its fields, its name and where it is declared."""

    __slots__ = ("fields", "name", "role", "span")

    def __init__(self, fields: Fields, role: str, span: Span) -> None:
        self.fields = fields
        self.name = fields.str("name")
        self.role = role  # "container", "init" or "sidecar"
        self.span = span

    @property
    def label(self) -> str:
        """The name to show in messages."""
        return self.name if self.name is not None else "(unnamed)"

    @property
    def name_span(self) -> Span:
        """The ``name:`` key of the container (the item itself when it has none)."""
        return self.fields.key_span("name") if self.fields.has_key("name") else self.span


class StatefulSet(Resource):
    """A StatefulSet (apps/v1, v1beta1, v1beta2)."""

    def template(self) -> Fields | None:
        """``spec.template``."""
        spec = self.spec()
        return spec.map("template") if spec else None

    def is_patch(self) -> bool:
        """True for a StatefulSet without ``spec.template`` (or without ``spec``): a kustomize patch, not
        an object to judge. A ``spec`` or ``template`` of the wrong type is an object (STS006)."""
        spec = self.data.get("spec")
        if not isinstance(spec, dict):
            return spec is None
        return spec.get("template") is None

    def template_labels(self) -> dict[str, str] | None:
        """``spec.template.metadata.labels`` ({} when absent; None when it, or a mapping on the way to
        it, is badly typed)."""
        template = self.template()
        if template is None:
            return None
        if not template.present("metadata"):
            return {}
        meta = template.map("metadata")
        if meta is None:
            return None
        if not meta.present("labels"):
            return {}
        return meta.string_map("labels")

    def pod_spec(self) -> Fields | None:
        """``spec.template.spec``."""
        template = self.template()
        return template.map("spec") if template else None

    def containers(self, *, include_init: bool = False) -> Iterator[Container]:
        """Regular containers, then (when asked) init containers and native sidecars."""
        pod = self.pod_spec()
        if pod is None:
            return
        groups = ["containers", "initContainers"] if include_init else ["containers"]
        for group in groups:
            for _, item in pod.maps(group):
                role = "container"
                if group == "initContainers":
                    role = "sidecar" if item.str("restartPolicy") == "Always" else "init"
                yield Container(item, role, item.span)

    def containers_readable(self, *, include_init: bool = False) -> bool:
        """True when every container list of the pod template can be read; the wrong-typed values on
        the way are reported (a rule that needs all containers then stays quiet)."""
        template = self.template()
        if template is None:
            return False
        if not template.present("spec"):
            return True
        pod = template.map("spec")
        if pod is None:
            return False
        groups = ["containers", "initContainers"] if include_init else ["containers"]
        return all([pod.maps_readable(group) for group in groups])

    def claim_templates_readable(self) -> bool:
        """True when ``spec.volumeClaimTemplates`` and each template's name can be read."""
        spec = self.spec()
        if spec is None or not spec.maps_readable("volumeClaimTemplates"):
            return False
        return all([claim.name_readable for claim in self.claims()])

    def claims(self) -> Iterator[ClaimTemplate]:
        """``spec.volumeClaimTemplates`` items as ClaimTemplates (read one by one, as iterated)."""
        spec = self.spec()
        if spec is not None:
            for index, fields in spec.maps("volumeClaimTemplates"):
                yield ClaimTemplate(fields, index)


class ClaimTemplate:
    """A volumeClaimTemplate: its name, where its ``metadata.name`` is, and the class it asks for."""

    __slots__ = ("name", "span", "class_name", "class_given", "anchor", "name_readable")

    def __init__(self, fields: Fields, index: int) -> None:
        meta = fields.map("metadata")
        self.name = meta.str("name") if meta else None
        self.name_readable = meta.str_readable("name") if meta else not fields.present("metadata")
        self.span = meta.key_span("name") if meta and meta.has_key("name") else fields.span
        self.anchor = f"spec.volumeClaimTemplates[{index}].metadata.name"
        annotations = meta.string_map("annotations") if meta and meta.present("annotations") else {}
        legacy = (annotations or {}).get("volume.beta.kubernetes.io/storage-class")
        spec = fields.map("spec")
        field_class = spec.str("storageClassName") if spec else None
        # a class that cannot be read is "given" (no STS404) but unknown (no STS402): STS006 tells
        unreadable = (annotations is None or (spec is None and fields.present("spec"))
                      or (spec is not None and field_class is None and spec.present("storageClassName")))
        self.class_given = legacy is not None or field_class is not None or unreadable
        self.class_name = legacy if legacy is not None else field_class


class Service(Resource):
    """A Service (v1)."""


class StorageClass(Resource):
    """A StorageClass (storage.k8s.io); cluster-scoped."""

    cluster_scoped = True


class PersistentVolume(Resource):
    """A PersistentVolume (v1); cluster-scoped."""

    cluster_scoped = True


class PersistentVolumeClaim(Resource):
    """A PersistentVolumeClaim (v1)."""


class PodDisruptionBudget(Resource):
    """A PodDisruptionBudget (policy/v1, policy/v1beta1)."""


VIEWS: dict[str, type[Resource]] = {
    "StatefulSet": StatefulSet,
    "Service": Service,
    "StorageClass": StorageClass,
    "PersistentVolume": PersistentVolume,
    "PersistentVolumeClaim": PersistentVolumeClaim,
    "PodDisruptionBudget": PodDisruptionBudget,
}


def view_for(data: YMap, file: str, default_namespace: str | None, sink: FindingSink | None = None,
             source_path: str | None = None, document: int | None = None) -> Resource:
    """The typed view for an object (a plain Resource for kinds stslint does not model);
    ``document`` is the index of the document holding it in its file."""
    kind = data.get("kind")
    cls = VIEWS.get(kind, Resource) if isinstance(kind, str) else Resource
    api = data.get("apiVersion")
    if cls is StatefulSet and not (isinstance(api, str) and api.startswith("apps/")):
        cls = Resource  # e.g. apps.kruise.io's StatefulSet: another API
    if cls in (Service, PersistentVolume, PersistentVolumeClaim) and api != "v1":
        cls = Resource
    if cls is StorageClass and not (isinstance(api, str) and api.startswith("storage.k8s.io/")):
        cls = Resource
    if cls is PodDisruptionBudget and not (isinstance(api, str) and api.startswith("policy/")):
        cls = Resource
    return cls(data, file, default_namespace, sink, source_path, document)


def _scalar_text(value: Any) -> str:
    """A wrong-typed name as text: a number or boolean as written, a collection as nothing (it may be
    an alias-shared structure that printing would expand exponentially)."""
    return "" if isinstance(value, (dict, list)) else str(value)


DESCRIBE_LIMIT = 60
"""Longer strings are cut in messages (a value can be megabytes long)."""


def describe(value: Any) -> str:
    """A short rendering of a value for messages."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= DESCRIBE_LIMIT else f'"{value[:DESCRIBE_LIMIT]}..."'
    if isinstance(value, list) and len(value) <= 4 and all(isinstance(v, (str, int, float)) or v is None
                                                           for v in value):
        return f"[{', '.join(describe(v) for v in value)}]"[:DESCRIBE_LIMIT]
    return type_name(value) if isinstance(value, (dict, list)) else repr(value)[:DESCRIBE_LIMIT]

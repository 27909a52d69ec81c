"""Pod-template workloads: StatefulSet, Deployment, ReplicaSet, DaemonSet, Job and CronJob.

They share one base for what a pod template has (labels, selector, containers, init containers,
volumes); a CronJob's template is at ``spec.jobTemplate.spec.template``. A workload without its
template is a kustomize patch, not an object to judge.
"""
from __future__ import annotations

from typing import Any, ClassVar, Iterator

from stslint.model.entries import (
    OPTIONAL_INT,
    OPTIONAL_STRING,
    SPAN,
    STRING_MAP,
    BadRecord,
    Entry,
    Record,
    Value,
    list_of,
)
from stslint.model.fields import Fields
from stslint.model.nodes import Span
from stslint.model.resource import Resource, register_view
from stslint.model.selectors import LabelSelector, read_label_selector


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


class PodTemplateWorkload(Resource):
    """A workload that creates pods from a template; ``TEMPLATE_PATH`` is where the template is."""

    TEMPLATE_PATH: ClassVar[tuple[str, ...]] = ("spec", "template")

    def template(self) -> Fields | None:
        """The pod template (``spec.template``; a CronJob's ``spec.jobTemplate.spec.template``)."""
        fields: Fields | None = self.fields
        for key in self.TEMPLATE_PATH:
            if fields is None:
                return None
            fields = fields.map(key)
        return fields

    def is_patch(self) -> bool:
        """True when the pod template, or a mapping on the way to it, is absent: a kustomize patch.
        A mapping of the wrong type on the way is an object (STS006)."""
        node: Any = self.data
        for key in self.TEMPLATE_PATH:
            node = node.get(key)
            if not isinstance(node, dict):
                return node is None
        return False

    def template_labels(self) -> dict[str, str] | None:
        """The pod template's ``metadata.labels`` ({} when absent; None when it, or a mapping on the
        way to it, is badly typed)."""
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
        """The pod template's ``spec``."""
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

    DEFAULTED_SELECTOR_VERSIONS: ClassVar[tuple[str, ...]] = ("apps/v1beta1", "extensions/v1beta1")
    """API versions that defaulted an absent selector to the pod template's labels."""

    def selector(self) -> LabelSelector | None:
        """The selector beside the pod template (``spec.selector``; a CronJob's
        ``spec.jobTemplate.spec.selector``) as a LabelSelector (None when absent, empty, invalid or
        wrong-typed); an absent one is the template's labels in the API versions that defaulted it."""
        owner: Fields | None = self.fields
        for key in self.TEMPLATE_PATH[:-1]:
            owner = owner.map(key) if owner is not None else None
        if owner is None:
            return None
        if not owner.present("selector") and self.api_version in self.DEFAULTED_SELECTOR_VERSIONS:
            labels = self.template_labels()
            return LabelSelector(labels) if labels else None
        return read_label_selector(owner, "selector", empty_selects_all=False)

    REPLICATED: ClassVar[bool] = False
    """Whether the kind has ``spec.replicas`` (StatefulSet, Deployment, ReplicaSet)."""

    def replicas_written(self) -> int | None:
        """``spec.replicas`` as written, or None when the kind has none, it is omitted (the API
        default of 1, or an autoscaler owns it) or wrong-typed (reported). An integral float is the
        integer it reaches the API server as."""
        spec = self.spec() if self.REPLICATED else None
        if spec is None or not spec.present("replicas"):
            return None
        value = spec.raw("replicas")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            spec.report(spec.sub("replicas"), spec.value_span("replicas"), "an integer", value)
            return None
        return value

    def selector_span(self) -> Span | None:
        """Where the ``selector:`` key beside the pod template is written (None when absent)."""
        owner: Fields | None = self.fields
        for key in self.TEMPLATE_PATH[:-1]:
            owner = owner.map(key) if owner is not None else None
        return owner.key_span("selector") if owner is not None and owner.has_key("selector") else None

    def volume_names(self) -> set[str] | None:
        """The names of the pod template's volumes, or None when they cannot be read (every
        wrong-typed name is reported)."""
        pod = self.pod_spec()
        if pod is None or not pod.maps_readable("volumes"):
            return None
        names: set[str] = set()
        readable = True
        for _, volume in pod.maps("volumes"):  # read them all: every wrong-typed name is reported
            if volume.str_readable("name"):
                names.add(volume.str("name") or "")
            else:
                readable = False
        return names if readable else None

    def entry(self) -> WorkloadEntry:
        """The index entry: pod labels and selector."""
        return self.build_entry(WorkloadEntry, self._entry_groups())

    def _entry_groups(self) -> list[tuple[str | None, Any]]:
        def labels(entry: Entry) -> None:
            entry.pod_labels = self.template_labels()  # type: ignore[attr-defined]

        def selector(entry: Entry) -> None:
            entry.selector = self.selector()  # type: ignore[attr-defined]
            span = self.selector_span()
            if span is not None:
                entry.selector_span = span  # type: ignore[attr-defined]

        def replicas(entry: Entry) -> None:
            entry.replicas = self.replicas_written()  # type: ignore[attr-defined]

        return [("labels", labels), ("selector", selector), ("replicas", replicas)]


class ClaimTemplate:
    """A volumeClaimTemplate: its name, where its ``metadata.name`` is, and the class it asks for."""

    __slots__ = ("name", "span", "class_name", "class_given", "anchor", "name_readable")

    def __init__(self, name: str | None, span: Span, class_name: str | None, class_given: bool, anchor: str,
                 name_readable: bool = True) -> None:
        self.name = name
        self.span = span
        self.class_name = class_name
        self.class_given = class_given
        self.anchor = anchor
        self.name_readable = name_readable

    @property
    def label(self) -> str:
        """The name to show in messages."""
        return self.name if self.name is not None else "(unnamed)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClaimTemplate) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ClaimTemplate({self.to_record()!r})"

    @classmethod
    def read(cls, fields: Fields, index: int) -> ClaimTemplate:
        """The claim template ``fields`` (item ``index`` of ``spec.volumeClaimTemplates``)."""
        meta = fields.map("metadata")
        name = meta.str("name") if meta else None
        name_readable = meta.str_readable("name") if meta else not fields.present("metadata")
        span = meta.key_span("name") if meta and meta.has_key("name") else fields.span
        annotations = meta.string_map("annotations") if meta and meta.present("annotations") else {}
        legacy = (annotations or {}).get("volume.beta.kubernetes.io/storage-class")
        spec = fields.map("spec")
        field_class = spec.str("storageClassName") if spec else None
        # a class that cannot be read is "given" (no STS404) but unknown (no STS402): STS006 tells
        unreadable = (annotations is None or (spec is None and fields.present("spec"))
                      or (spec is not None and field_class is None and spec.present("storageClassName")))
        return cls(name, span, legacy if legacy is not None else field_class,
                   legacy is not None or field_class is not None or unreadable,
                   f"spec.volumeClaimTemplates[{index}].metadata.name", name_readable)

    def to_record(self) -> dict[str, Any]:
        """The claim template as JSON data."""
        return {"name": self.name, "span": list(self.span), "class_name": self.class_name,
                "class_given": self.class_given, "anchor": self.anchor, "name_readable": self.name_readable}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ClaimTemplate:
        """A claim template from :meth:`to_record` data (BadRecord when malformed)."""
        flags = data.get("class_given"), data.get("name_readable")
        if not all(isinstance(flag, bool) for flag in flags) or not isinstance(data.get("anchor"), str):
            raise BadRecord("a claim template record has flags and an anchor")
        return cls(OPTIONAL_STRING.load(data.get("name")), SPAN.load(data.get("span")),
                   OPTIONAL_STRING.load(data.get("class_name")), data["class_given"], data["anchor"],
                   data["name_readable"])


class SharedClaim:
    """A pod volume that mounts one existing PersistentVolumeClaim into every replica, writable: the
    volume's name, the claim's, where ``claimName:`` is and its anchor."""

    __slots__ = ("volume", "claim", "span", "anchor")

    def __init__(self, volume: str, claim: str, span: Span, anchor: str) -> None:
        self.volume = volume
        self.claim = claim
        self.span = span
        self.anchor = anchor

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SharedClaim) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SharedClaim({self.to_record()!r})"

    def to_record(self) -> dict[str, Any]:
        """The shared claim as JSON data."""
        return {"volume": self.volume, "claim": self.claim, "span": list(self.span), "anchor": self.anchor}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> SharedClaim:
        """A shared claim from :meth:`to_record` data (BadRecord when malformed)."""
        texts = data.get("volume"), data.get("claim"), data.get("anchor")
        if not all(isinstance(text, str) for text in texts):
            raise BadRecord("a shared claim record has a volume, a claim and an anchor")
        return cls(data["volume"], data["claim"], SPAN.load(data.get("span")), data["anchor"])


class WorkloadEntry(Entry):
    """A pod-template workload as cross-object rules see it: its pods' labels and its selector."""

    __slots__ = ()
    KINDS = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "Job", "CronJob"})
    SELECTOR = "selector"

    pod_labels = Value(STRING_MAP, group="labels", default=None)
    """The pod template's labels (None when they cannot be read)."""
    selector = Value(Record(LabelSelector), group="selector", default=None)
    """``spec.selector`` (None: selects nothing)."""
    selector_span = Value(SPAN, default=None)
    """Where the ``selector:`` key is (None when absent)."""
    replicas = Value(OPTIONAL_INT, group="replicas", default=None)
    """``spec.replicas`` (None: omitted, wrong-typed, or a kind without replicas)."""



class StatefulSetEntry(WorkloadEntry):
    """A StatefulSet: also its governing Service name and its claim templates."""

    __slots__ = ()
    KINDS = frozenset({"StatefulSet"})

    service_name = Value(OPTIONAL_STRING, group="serviceName", default=None)
    service_name_span = Value(SPAN, default=None)
    """Where ``serviceName:`` is (the ``kind:`` when absent)."""
    claims = Value(list_of(Record(ClaimTemplate)), group="claims", default=())
    shared_claims = Value(list_of(Record(SharedClaim)), group="sharedClaims", default=())
    """Writable ``persistentVolumeClaim`` volumes every one of several replicas mounts (empty with
    fewer than 2 replicas, and without replicas: an autoscaler owns the count)."""


@register_view
class StatefulSet(PodTemplateWorkload):
    """A StatefulSet (apps/v1; apps/v1beta1 and apps/v1beta2, removed in Kubernetes 1.16)."""

    KIND = "StatefulSet"
    REPLICATED = True
    API_VERSIONS = ("apps/v1", "apps/v1beta1", "apps/v1beta2")

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
                yield ClaimTemplate.read(fields, index)

    def replicas(self) -> int | None:
        """``spec.replicas``: 1 when omitted (the API default), None when unreadable."""
        spec = self.spec()
        if spec is None or not spec.present("replicas"):
            return 1
        return spec.integer("replicas")

    def writable_volume_names(self) -> set[str] | None:
        """The volumes some container (init containers and sidecars included) mounts writable: a
        volumeMount without ``readOnly: true``, or a volumeDevice; None when the mounts cannot be read."""
        if not self.containers_readable(include_init=True):
            return None
        names: set[str] = set()
        for container in self.containers(include_init=True):
            for key in ("volumeMounts", "volumeDevices"):
                if not container.fields.maps_readable(key):
                    return None
                for _, mount in container.fields.maps(key):
                    name = mount.str("name")
                    if name is not None and (key == "volumeDevices" or mount.raw("readOnly") is not True):
                        names.add(name)
        return names

    def shared_claims(self) -> list[SharedClaim]:
        """The writable ``persistentVolumeClaim`` volumes of a StatefulSet of 2 replicas or more whose
        names are not a claim template's (a claim template replaces those: STS408): every replica
        mounts the same claim."""
        pod = self.pod_spec()
        if pod is None:
            return []
        candidates = [(index, volume) for index, volume in pod.maps("volumes")
                      if isinstance(volume.raw("persistentVolumeClaim"), dict)]
        if not candidates:
            return []  # replicas and mounts are read only for a StatefulSet that mounts claims
        replicas = self.replicas()
        if replicas is None or replicas < 2 or not self.claim_templates_readable():
            return []
        templates = {claim.name for claim in self.claims() if claim.name}
        writable = self.writable_volume_names()
        if writable is None:
            return []
        shared = []
        for index, volume in candidates:
            claim = volume.map("persistentVolumeClaim")
            name = volume.str("name")
            claim_name = claim.str("claimName") if claim is not None else None
            if claim is None or not claim_name or name in templates or name not in writable:
                continue
            if claim.raw("readOnly") is True:
                continue
            shared.append(SharedClaim(name or "", claim_name, claim.key_span("claimName"),
                                      f"spec.template.spec.volumes[{index}].persistentVolumeClaim.claimName"))
        return shared

    def entry(self) -> StatefulSetEntry:
        """The index entry: serviceName, pod labels, selector, claim templates and shared claims."""

        def service_name(entry: Entry) -> None:
            spec = self.spec()
            entry.service_name_span = self.fields.key_span("kind")  # type: ignore[attr-defined]
            if spec is not None:
                entry.service_name = spec.str("serviceName")  # type: ignore[attr-defined]
                entry.service_name_span = spec.key_span("serviceName")  # type: ignore[attr-defined]

        def claims(entry: Entry) -> None:
            if isinstance(self.data.get("spec"), dict):
                entry.claims = list(self.claims())  # type: ignore[attr-defined]

        def shared_claims(entry: Entry) -> None:
            entry.shared_claims = self.shared_claims()  # type: ignore[attr-defined]

        groups = [("serviceName", service_name), *self._entry_groups(), ("claims", claims),
                  ("sharedClaims", shared_claims)]
        return self.build_entry(StatefulSetEntry, groups)


@register_view
class Deployment(PodTemplateWorkload):
    """A Deployment (apps/v1; apps/v1beta1, apps/v1beta2 and extensions/v1beta1, removed in 1.16)."""

    KIND = "Deployment"
    REPLICATED = True
    API_VERSIONS = ("apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1")


@register_view
class ReplicaSet(PodTemplateWorkload):
    """A ReplicaSet (apps/v1; apps/v1beta2 and extensions/v1beta1, removed in 1.16)."""

    KIND = "ReplicaSet"
    REPLICATED = True
    API_VERSIONS = ("apps/v1", "apps/v1beta2", "extensions/v1beta1")


@register_view
class DaemonSet(PodTemplateWorkload):
    """A DaemonSet (apps/v1; apps/v1beta2 and extensions/v1beta1, removed in 1.16)."""

    KIND = "DaemonSet"
    API_VERSIONS = ("apps/v1", "apps/v1beta2", "extensions/v1beta1")


@register_view
class Job(PodTemplateWorkload):
    """A Job (batch/v1)."""

    KIND = "Job"
    API_VERSIONS = ("batch/v1",)


@register_view
class CronJob(PodTemplateWorkload):
    """A CronJob (batch/v1; batch/v1beta1, removed in 1.25; batch/v2alpha1, never served by default)."""

    KIND = "CronJob"
    API_VERSIONS = ("batch/v1", "batch/v1beta1", "batch/v2alpha1")
    TEMPLATE_PATH = ("spec", "jobTemplate", "spec", "template")

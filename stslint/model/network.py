"""Services and NetworkPolicies: what selects a workload's pods for traffic."""
from __future__ import annotations

from typing import Any

from stslint.model.entries import EDITS, OPTIONAL_STRING, SPAN, STRING, STRING_MAP, Entry, Record, Value, list_of
from stslint.model.resource import Resource, register_view
from stslint.model.selectors import LabelSelector, read_label_selector, unmatched_labels


class ServiceEntry(Entry):
    """A Service: how it is exposed (whether it is headless) and what it selects."""

    __slots__ = ()
    KINDS = frozenset({"Service"})

    type = Value(OPTIONAL_STRING, group="headless", default=None)
    cluster_ip = Value(OPTIONAL_STRING, group="headless")
    """``spec.clusterIP`` (MISSING when not written, None when null)."""
    cluster_ips = Value(list_of(STRING, nullable=True), group="headless")
    """``spec.clusterIPs`` (MISSING when not written, None when null)."""
    selector = Value(STRING_MAP, group="selector", default=None)
    """``spec.selector`` (None when absent or empty: it selects no pods)."""
    type_span = Value(SPAN, default=None)
    cluster_ip_span = Value(SPAN, default=None)
    selector_span = Value(SPAN, default=None)
    headless_edits = Value(EDITS, default=None)
    """The edits that make the Service headless (``clusterIP: None``, and ``clusterIPs: [None]`` when
    set); None when they cannot be built (a NodePort or LoadBalancer Service, a context file)."""

    def selects(self, labels: dict[str, str]) -> bool:
        """Whether the Service selects a pod with ``labels`` (a Service without a selector selects none)."""
        selector = self.selector
        return bool(selector) and not unmatched_labels(selector, labels)


@register_view
class Service(Resource):
    """A Service (v1)."""

    KIND = "Service"
    API_VERSIONS = ("v1",)

    def entry(self) -> ServiceEntry:
        """The index entry: type, clusterIP(s), selector and their positions."""

        def headless(entry: Entry) -> None:
            before = len(self.problems.problems)
            spec = self.spec()
            if spec is None:
                return
            cluster_ips = spec.seq("clusterIPs")
            for index, ip in enumerate(cluster_ips or []):
                if not isinstance(ip, str):
                    spec.report(f"spec.clusterIPs[{index}]", spec.item_span("clusterIPs", index), "a string", ip)
            kind = spec.str("type")
            spec.str_readable("clusterIP")
            if spec.has_key("type"):
                entry.type_span = spec.key_span("type")  # type: ignore[attr-defined]
            if spec.has_key("clusterIP"):
                entry.cluster_ip_span = spec.key_span("clusterIP")  # type: ignore[attr-defined]
            if len(self.problems.problems) > before:
                return  # a wrong-typed field: not judged (STS006)
            entry.type = kind  # type: ignore[attr-defined]
            if spec.has_key("clusterIP"):
                entry.cluster_ip = spec.raw("clusterIP")  # type: ignore[attr-defined]
            if spec.has_key("clusterIPs"):
                entry.cluster_ips = None if cluster_ips is None else list(cluster_ips)  # type: ignore[attr-defined]
            ips = spec.raw("clusterIPs")
            headless = spec.raw("clusterIP") == "None" and ips in (None, [], ["None"])
            if self.source is not None and kind in (None, "", "ClusterIP") and not headless:
                entry.headless_edits = self._headless_edits(spec)  # type: ignore[attr-defined]

        def selector(entry: Entry) -> None:
            spec = self.spec()
            if spec is None:
                return
            if spec.has_key("selector"):
                entry.selector_span = spec.key_span("selector")  # type: ignore[attr-defined]
            if spec.present("selector"):
                entry.selector = spec.string_map("selector")  # type: ignore[attr-defined]

        return self.build_entry(ServiceEntry, [("headless", headless), ("selector", selector)])

    def _headless_edits(self, spec: Any) -> list[list[Any]] | None:
        """``clusterIP: None`` (replacing a fixed one, or added) and ``clusterIPs: [None]`` (when
        set) as edits of this Service's text; None when they cannot be built."""
        from stslint.edits import edit_record, insert_key, replace_scalar

        assert self.source is not None
        source, file, path = self.source, self.file, self.source_path
        edits = []
        if spec.raw("clusterIP") != "None":
            if spec.present("clusterIP"):
                edits.append(replace_scalar(source, spec, "clusterIP", "None", file, path))
            elif spec.has_key("clusterIP"):
                return None  # ``clusterIP:`` with no value
            else:
                edits.append(insert_key(source, spec, "clusterIP", "None", file, path, before=("clusterIPs",)))
        ips = spec.raw("clusterIPs")
        if isinstance(ips, list) and ips and ips != ["None"]:
            edits.append(self._cluster_ips_edit(spec, ips))
        if not edits or any(edit is None for edit in edits):
            return None
        return [edit_record(edit) for edit in edits]

    def _cluster_ips_edit(self, spec: Any, ips: Any) -> Any:
        """``clusterIPs`` as ``[None]``: a flow list replaced whole, a one-item block list's item
        replaced (None for a longer block list: removing lines is not done)."""
        from stslint.edits import scalar_text
        from stslint.findings import Edit

        assert self.source is not None
        if not spec.editable("clusterIPs"):
            return None
        span = spec.data.value_span("clusterIPs")
        text = self.source.text
        json_style = text[span[4]:span[4] + 1] == "[" and text.lstrip().startswith("{")
        if text[span[4]:span[4] + 1] == "[" and text[span[5] - 1:span[5]] == "]":
            return Edit(self.file, span[4], span[5], f"[{scalar_text('None', json_style)}]", self.source_path)
        if len(ips) != 1 or not isinstance(ips[0], str):
            return None
        item = ips.item_span(0)
        written = text[item[4]:item[5]]
        if not written or written[0] in "&*!|>[{":
            return None
        replacement = '"None"' if written[0] == '"' else "'None'" if written[0] == "'" else "None"
        return Edit(self.file, item[4], item[5], replacement, self.source_path)


class NetworkPolicyEntry(Entry):
    """A NetworkPolicy: which pods of its namespace it applies to."""

    __slots__ = ()
    KINDS = frozenset({"NetworkPolicy"})
    SELECTOR = "pod_selector"

    pod_selector = Value(Record(LabelSelector), group="selector", default=None)
    """``spec.podSelector`` (``{}`` selects every pod of the namespace; absent selects none)."""



@register_view
class NetworkPolicy(Resource):
    """A NetworkPolicy (networking.k8s.io/v1; extensions/v1beta1, removed in 1.16)."""

    KIND = "NetworkPolicy"
    API_VERSIONS = ("networking.k8s.io/v1", "extensions/v1beta1")

    def entry(self) -> NetworkPolicyEntry:
        """The index entry: the pod selector."""

        def selector(entry: Entry) -> None:
            spec = self.spec()
            if spec is not None:
                entry.pod_selector = read_label_selector(spec, "podSelector", empty_selects_all=True)  # type: ignore[attr-defined]

        return self.build_entry(NetworkPolicyEntry, [("selector", selector)])

"""Services and NetworkPolicies: what selects a workload's pods for traffic."""
from __future__ import annotations

from stslint.model.entries import OPTIONAL_STRING, SPAN, STRING, STRING_MAP, Entry, Record, Value, list_of
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

        def selector(entry: Entry) -> None:
            spec = self.spec()
            if spec is None:
                return
            if spec.has_key("selector"):
                entry.selector_span = spec.key_span("selector")  # type: ignore[attr-defined]
            if spec.present("selector"):
                entry.selector = spec.string_map("selector")  # type: ignore[attr-defined]

        return self.build_entry(ServiceEntry, [("headless", headless), ("selector", selector)])


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

"""PodDisruptionBudgets: how many pods a voluntary disruption (a node drain) may evict at once."""
from __future__ import annotations

from stslint.model.entries import OPTIONAL_INT_OR_STRING, SPAN, Entry, Record, Value
from stslint.model.resource import Resource, register_view
from stslint.model.selectors import LabelSelector, read_label_selector


class PodDisruptionBudgetEntry(Entry):
    """A PodDisruptionBudget: which pods it covers and its budget."""

    __slots__ = ()
    KINDS = frozenset({"PodDisruptionBudget"})
    SELECTOR = "selector"

    selector = Value(Record(LabelSelector), group="selector", default=None)
    """``spec.selector``: ``{}`` selects every pod of the namespace in policy/v1 and none in
    policy/v1beta1; null or absent selects none in both (None)."""
    min_available = Value(OPTIONAL_INT_OR_STRING, group="budget", default=None)
    max_unavailable = Value(OPTIONAL_INT_OR_STRING, group="budget", default=None)
    selector_span = Value(SPAN, default=None)
    min_available_span = Value(SPAN, default=None)
    max_unavailable_span = Value(SPAN, default=None)



@register_view
class PodDisruptionBudget(Resource):
    """A PodDisruptionBudget (policy/v1; policy/v1beta1, removed in 1.25)."""

    KIND = "PodDisruptionBudget"
    API_VERSIONS = ("policy/v1", "policy/v1beta1")

    def entry(self) -> PodDisruptionBudgetEntry:
        """The index entry: selector and budget, and where they are written."""

        def selector(entry: Entry) -> None:
            spec = self.spec()
            if spec is None:
                return
            if spec.has_key("selector"):
                entry.selector_span = spec.key_span("selector")  # type: ignore[attr-defined]
            entry.selector = read_label_selector(  # type: ignore[attr-defined]
                spec, "selector", empty_selects_all=self.api_version == "policy/v1")

        def budget(entry: Entry) -> None:
            spec = self.spec()
            if spec is None:
                return
            for key, value, span in (("minAvailable", "min_available", "min_available_span"),
                                     ("maxUnavailable", "max_unavailable", "max_unavailable_span")):
                if spec.has_key(key):
                    setattr(entry, span, spec.key_span(key))
                    setattr(entry, value, spec.int_or_str(key))

        return self.build_entry(PodDisruptionBudgetEntry,
                           [("selector", selector), ("budget", budget)])

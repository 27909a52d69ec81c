"""Every view kind stslint reads, and the view of an object.

Importing this module registers the views of every kind family: pod-template workloads, Services
and NetworkPolicies, storage, and PodDisruptionBudgets.
"""
from __future__ import annotations

from stslint.model import disruption, network, storage, workloads
from stslint.model.nodes import YMap
from stslint.model.resource import VIEWS, Resource, view_class

KIND_MODULES = (workloads, network, storage, disruption)
"""The modules that define views (imported for their registration)."""


def view_for(data: YMap, file: str, default_namespace: str | None, source_path: str | None = None) -> Resource:
    """The typed view of an object (a plain Resource for kinds stslint does not model)."""
    return view_class(data)(data, file, default_namespace, source_path)


def view_classes() -> list[type[Resource]]:
    """Every registered view class, once each, by kind."""
    return sorted(set(VIEWS.values()), key=lambda cls: cls.KIND)

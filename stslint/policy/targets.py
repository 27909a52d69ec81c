"""Where a policy applies in an object: the values its schema judges, each with its path from the
object's root (what locates a failing field) and the container it belongs to.

Targets are read through the object's view, so a wrong-typed field on the way (``containers`` a
mapping) is recorded as the view's type problem (STS006 when selected) and the policy stays quiet
about what it cannot read. Items that are not mappings are skipped the same way.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, NamedTuple

from stslint.model.fields import Fields
from stslint.model.resource import Resource
from stslint.model.workloads import PodTemplateWorkload, StatefulSet

Path = tuple[Any, ...]


class Target(NamedTuple):
    """A value a policy judges: the value, its path from the object's root (keys and list indexes),
    and the name of the container it belongs to (None when it is not a container's)."""

    value: Any
    path: Path
    container: str | None = None


def _object(view: Resource) -> Iterator[Target]:
    yield Target(view.data, ())


def _pod_path(view: PodTemplateWorkload) -> Path:
    return (*view.TEMPLATE_PATH, "spec")


def _pod_spec(view: Resource) -> Iterator[Target]:
    assert isinstance(view, PodTemplateWorkload)
    pod = view.pod_spec()
    if pod is not None:
        yield Target(pod.data, _pod_path(view))


def _items(view: Resource, key: str) -> Iterator[tuple[int, Fields]]:
    assert isinstance(view, PodTemplateWorkload)
    pod = view.pod_spec()
    if pod is not None:
        yield from pod.maps(key)


def _container_list(*keys: str) -> Callable[[Resource], Iterator[Target]]:
    def targets(view: Resource) -> Iterator[Target]:
        for key in keys:
            for index, item in _items(view, key):
                yield Target(item.data, (*_pod_path(view), key, index), _name(item))  # type: ignore[arg-type]
    return targets


def _name(item: Fields) -> str | None:
    return item.str("name")


def _volumes(view: Resource) -> Iterator[Target]:
    for index, item in _items(view, "volumes"):
        yield Target(item.data, (*_pod_path(view), "volumes", index))  # type: ignore[arg-type]


def _volume_mounts(view: Resource) -> Iterator[Target]:
    for key in ("containers", "initContainers"):
        for index, container in _items(view, key):
            base = (*_pod_path(view), key, index, "volumeMounts")  # type: ignore[arg-type]
            for mount_index, mount in container.maps("volumeMounts"):
                yield Target(mount.data, (*base, mount_index), _name(container))


def _claim_templates(view: Resource) -> Iterator[Target]:
    spec = view.spec()
    if spec is not None:
        for index, item in spec.maps("volumeClaimTemplates"):
            yield Target(item.data, ("spec", "volumeClaimTemplates", index))


TARGETS: dict[str, tuple[type[Resource], Callable[[Resource], Iterator[Target]]]] = {
    "object": (Resource, _object),
    "podSpec": (PodTemplateWorkload, _pod_spec),
    "containers": (PodTemplateWorkload, _container_list("containers")),
    "initContainers": (PodTemplateWorkload, _container_list("initContainers")),
    "allContainers": (PodTemplateWorkload, _container_list("containers", "initContainers")),
    "volumeClaimTemplates": (StatefulSet, _claim_templates),
    "volumes": (PodTemplateWorkload, _volumes),
    "volumeMounts": (PodTemplateWorkload, _volume_mounts),
}
"""Each target: the view class its kinds must have, and how to find its values in an object.
``initContainers`` includes native sidecars (init containers with ``restartPolicy: Always``);
``volumeMounts`` are every container's, init containers' included."""


def targets(name: str, view: Resource) -> Iterator[Target]:
    """The values target ``name`` judges in the object ``view``."""
    return TARGETS[name][1](view)


def target_problem(name: str, kinds: tuple[str, ...]) -> str | None:
    """Why target ``name`` cannot apply to objects of ``kinds``, or None when it can."""
    from stslint.rules import resolve_view

    needed = TARGETS[name][0]
    wrong = [kind for kind in kinds if not issubclass(resolve_view(kind), needed)]
    if not wrong:
        return None
    what = "a pod template" if needed is PodTemplateWorkload else "claim templates (a StatefulSet)"
    return (f'target "{name}" applies to kinds with {what}; {", ".join(wrong)} '
            f'{"has" if len(wrong) == 1 else "have"} none: list only such kinds in match.kinds, or use another target')

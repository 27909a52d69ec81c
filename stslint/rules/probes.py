"""Probe rules (STS301-STS306): readiness and liveness of the containers of a StatefulSet, probes no
container may have, probes without a handler and liveness probes identical to the readiness probe."""
from __future__ import annotations

import fnmatch
from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.fields import Fields, listed
from stslint.model.workloads import Container, StatefulSet
from stslint.rules import object_rule
from stslint.rules.options import Option

EXEMPTIONS = (Option("exempt-containers", "array", [], items="string"),
              Option("exempt-images", "array", [], items="string"))
"""Containers that need no probe, by name or by image glob."""

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
"""A probe's handler types; the API server requires exactly one (a null one is absent)."""


def _exempt(container: Container, options: dict[str, Any]) -> bool:
    if container.name is not None and container.name in (options.get("exempt-containers") or ()):
        return True
    image = container.fields.str("image")
    return image is not None and any(fnmatch.fnmatchcase(image, pattern)
                                          for pattern in options.get("exempt-images") or ())


def _missing(sts: StatefulSet, options: dict[str, Any], probe: str) -> Iterator[tuple[Container, str]]:
    for container in sts.containers():
        if _exempt(container, options) or container.fields.present(probe):  # image read (and typed) always
            continue
        yield container, container.label


@object_rule("STS301", "readiness-probe-missing", "warning", view=StatefulSet, options=EXEMPTIONS)
def readiness_probe_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A container has no readinessProbe."""
    for container, name in _missing(sts, options, "readinessProbe"):
        yield sts.finding("STS301", f'StatefulSet "{sts.name}": container "{name}" has no readinessProbe; it '
                          "is Ready as soon as it starts, so rollouts do not wait for it to serve",
                          container.name_span,
                          container=container.name, anchor="readinessProbe")


@object_rule("STS302", "liveness-probe-missing", "warning", view=StatefulSet, options=EXEMPTIONS)
def liveness_probe_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A container has no livenessProbe."""
    for container, name in _missing(sts, options, "livenessProbe"):
        yield sts.finding("STS302", f'StatefulSet "{sts.name}": container "{name}" has no livenessProbe; a hung '
                          "process is never restarted", container.name_span,
                          container=container.name, anchor="livenessProbe")


def _declared_ports(container: Container) -> set[str] | None:
    """The port names a container declares, or None when its ports cannot be read (STS006)."""
    if not container.fields.maps_readable("ports"):
        return None
    declared: set[str] = set()
    for _, port in container.fields.maps("ports"):
        if not port.str_readable("name"):
            return None
        name = port.str("name")
        if name is not None:
            declared.add(name)
    return declared


@object_rule("STS303", "probe-port-unknown", "error", view=StatefulSet)
def probe_port_unknown(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A probe's named port is not declared by the container."""
    for container in sts.containers(include_init=True):
        if container.role == "init":
            continue  # plain init containers cannot have probes
        declared = _declared_ports(container)
        if declared is None:
            continue  # unreadable ports: STS006
        for probe_name in PROBES:
            probe = container.fields.map(probe_name)
            if probe is None:
                continue
            for handler in ("httpGet", "tcpSocket"):
                action = probe.map(handler)
                port = action.int_or_str("port") if action else None
                if not isinstance(port, str) or port.isdigit() or port in declared:
                    continue
                assert action is not None
                known = listed(sorted(declared)) or "it names none"
                yield sts.finding("STS303", f'StatefulSet "{sts.name}": container "{container.label}" {probe_name} '
                                  f'uses port "{port}", not a port the container names ({known}); the probe '
                                  "always fails",
                                  action.value_span("port"), container=container.name,
                                  anchor=f"{probe_name}.{handler}.port")


@object_rule("STS306", "probe-handler-missing", "error", view=StatefulSet)
def probe_handler_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A probe of a container or native sidecar has no handler (exec, httpGet, tcpSocket or grpc)."""
    for container in sts.containers(include_init=True):
        if container.role == "init":
            continue  # plain init containers cannot have probes
        for probe_name in PROBES:
            probe = container.fields.map(probe_name)  # absent or null: STS301/STS302; not a mapping: STS006
            if probe is None or any(probe.present(handler) for handler in HANDLERS):
                continue
            yield sts.finding("STS306", f'StatefulSet "{sts.name}": container "{container.label}" {probe_name} has '
                              "no handler (exec, httpGet, tcpSocket or grpc); the API server rejects it",
                              container.fields.key_span(probe_name),
                              container=container.name, anchor=probe_name)


TIMING_DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}
"""The probe timings Kubernetes compares by, with the defaults it gives an absent or 0 value
(``SetDefaults_Probe``); successThreshold is left out (liveness must keep it at 1)."""


def _plain(value: Any) -> Any:
    """A loaded value without positions, nulls in mappings dropped (a null field is an omitted one)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _defaulted_handler(handler: str, action: dict[str, Any]) -> dict[str, Any]:
    """A handler as the API server stores it: an httpGet's path "/" and scheme HTTP, a grpc service ""."""
    if handler == "httpGet":
        action = {**action, "path": action.get("path") or "/", "scheme": action.get("scheme") or "HTTP"}
    elif handler == "grpc":
        action = {**action, "service": action.get("service") or ""}
    return action


def defaulted_probe(probe: Fields) -> tuple[str, dict[str, Any], tuple[int, ...]] | None:
    """A probe after Kubernetes' defaulting: its handler type, handler and timings; None when it has no
    single handler (STS306, or more than one) or a timing that is not an integer."""
    handlers = [handler for handler in HANDLERS if probe.present(handler)]
    if len(handlers) != 1 or not isinstance(probe.raw(handlers[0]), dict):
        return None
    timings = []
    for key, default in TIMING_DEFAULTS.items():
        value = probe.raw(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            return None
        timings.append(value or default)
    return handlers[0], _defaulted_handler(handlers[0], _plain(probe.raw(handlers[0]))), tuple(timings)


@object_rule("STS304", "probes-identical", "warning", view=StatefulSet)
def probes_identical(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A container's livenessProbe equals its readinessProbe after defaulting (successThreshold aside)."""
    for container in sts.containers(include_init=True):
        if container.role == "init":
            continue  # plain init containers cannot have probes (STS305)
        liveness, readiness = container.fields.map("livenessProbe"), container.fields.map("readinessProbe")
        if liveness is None or readiness is None:
            continue
        defaulted = defaulted_probe(liveness)
        if defaulted is None or defaulted != defaulted_probe(readiness):
            continue
        yield sts.finding("STS304", f'StatefulSet "{sts.name}": container "{container.label}" livenessProbe equals '
                          "its readinessProbe; a slow dependency restarts it instead of only making it unready",
                          container.fields.key_span("livenessProbe"),
                          container=container.name, anchor="livenessProbe")


@object_rule("STS305", "init-container-probe", "error", view=StatefulSet)
def init_container_probe(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """A plain init container (no restartPolicy: Always) declares a liveness, readiness or startup probe."""
    for container in sts.containers(include_init=True):
        if container.role != "init":
            continue
        for probe_name in PROBES:
            if container.fields.present(probe_name):
                yield sts.finding("STS305", f'StatefulSet "{sts.name}": init container "{container.label}" has a '
                                  f"{probe_name}; the API server rejects probes on init containers without "
                                  "restartPolicy: Always", container.fields.key_span(probe_name),
                                  container=container.name, anchor=probe_name)

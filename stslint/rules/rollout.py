"""Rollout rules (STS606, STS607): what makes replacing a StatefulSet's pods unsafe or a no-op."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule


@object_rule("STS606", "termination-grace-period-zero", "error", view=StatefulSet)
def termination_grace_period_zero(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """The pod template sets terminationGracePeriodSeconds: 0."""
    pod = sts.pod_spec()
    if pod is None or pod.integer("terminationGracePeriodSeconds") != 0:
        return
    yield sts.finding("STS606", f'StatefulSet "{sts.name}": terminationGracePeriodSeconds 0 is unsafe; a killed pod '
                      "may still run beside its replacement, which has the same identity",
                      pod.key_span("terminationGracePeriodSeconds"), anchor="spec.template.spec.terminationGracePeriodSeconds")


@object_rule("STS607", "partition-blocks-rollout", "warning", view=StatefulSet)
def partition_blocks_rollout(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """updateStrategy.rollingUpdate.partition is at least replicas (plus ordinals.start): no pod is updated."""
    spec = sts.spec()
    strategy = spec.map("updateStrategy") if spec is not None else None
    if spec is None or strategy is None or strategy.str("type") == "OnDelete":
        return  # OnDelete: pods are replaced by hand whatever the partition
    rolling = strategy.map("rollingUpdate")
    partition = rolling.integer("partition") if rolling is not None else None
    replicas = spec.integer("replicas")
    if rolling is None or partition is None or not replicas:
        return  # replicas omitted or 0: an autoscaler (or nobody) owns the count
    ordinals = spec.map("ordinals")
    start = (ordinals.integer("start") if ordinals is not None else None) or 0
    if replicas < 0 or start < 0 or partition < start + replicas:
        return
    last = start + replicas - 1
    ordinals_text = f"{start}" if last == start else f"{start}-{last}"
    yield sts.finding("STS607", f'StatefulSet "{sts.name}": rollingUpdate.partition {partition} is above every pod '
                      f"ordinal ({ordinals_text}), so no template change rolls out unless you are deliberately "
                      "staging an update",
                      rolling.key_span("partition"), anchor="spec.updateStrategy.rollingUpdate.partition")

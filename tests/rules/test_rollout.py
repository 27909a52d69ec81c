"""STS606 termination-grace-period-zero and STS607 partition-blocks-rollout."""
from __future__ import annotations

from tests.rules.helpers import codes, run, service, sts


def test_grace_period_zero_is_reported_at_its_key(tmp_path):
    assert run(tmp_path, sts(pod="terminationGracePeriodSeconds: 0"), service(), select=["STS606"]) == [
        ("STS606", "main.yaml", 20)]
    for value in ("30", "1", "null"):
        assert codes(tmp_path, sts(pod=f"terminationGracePeriodSeconds: {value}"), service(),
                     select=["STS606"]) == [], value


def test_a_grace_period_of_the_wrong_type_is_sts006_not_sts606(tmp_path):
    assert codes(tmp_path, sts(pod='terminationGracePeriodSeconds: "0"'), service(),
                 select=["STS006", "STS606"]) == ["STS006"]


def strategy(replicas: str | None, partition: int, kind: str = "RollingUpdate", start: int | None = None) -> str:
    lines = f"  replicas: {replicas}\n" if replicas is not None else ""
    lines += f"  ordinals: {{start: {start}}}\n" if start is not None else ""
    return lines + f"  updateStrategy:\n    type: {kind}\n    rollingUpdate: {{partition: {partition}}}\n"


def partition(tmp_path, *args, **kwargs) -> list[tuple[str, str, int]]:
    return run(tmp_path, sts(extra_spec=strategy(*args, **kwargs)), service(), select=["STS607"])


def test_partition_at_or_above_replicas_blocks_the_rollout(tmp_path):
    assert partition(tmp_path, "3", 3) == [("STS607", "main.yaml", 13)]
    assert partition(tmp_path, "3", 10) == [("STS607", "main.yaml", 13)]
    assert partition(tmp_path, "3", 2) == []  # a staged update: the last pod gets it
    assert partition(tmp_path, "1", 1) == [("STS607", "main.yaml", 13)]


def test_ordinals_start_moves_the_last_ordinal(tmp_path):
    assert partition(tmp_path, "3", 3, start=5) == []  # pods 5, 6, 7: 5 and up are updated
    assert partition(tmp_path, "3", 7, start=5) == []
    assert partition(tmp_path, "3", 8, start=5) == [("STS607", "main.yaml", 14)]


def test_quiet_without_replicas_with_zero_and_with_on_delete(tmp_path):
    assert partition(tmp_path, None, 5) == []  # an autoscaler owns the count
    assert partition(tmp_path, "0", 5) == []
    assert partition(tmp_path, "3", 3, kind="OnDelete") == []


def test_the_message_says_a_staged_update_may_be_deliberate(tmp_path):
    from stslint.engine import Settings, lint
    from stslint.loading.discover import discover
    from stslint.selection import resolve

    (tmp_path / "sts.yaml").write_text(sts(extra_spec=strategy("3", 3)))
    [finding] = lint(discover([str(tmp_path / "sts.yaml")]), Settings(selected=resolve(["STS607"]))).findings
    assert "(0-2)" in finding.message and "unless you are deliberately staging an update" in finding.message

"""API version rules (STS501): StatefulSet API versions the API server no longer serves."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding, Fix
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule

REMOVED = {"apps/v1beta1": "1.16", "apps/v1beta2": "1.16"}


@object_rule("STS501", "deprecated-api-version", "error", view=StatefulSet)
def deprecated_api_version(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """apiVersion apps/v1beta1 or apps/v1beta2."""
    removed_in = REMOVED.get(sts.api_version)
    if removed_in:
        yield sts.finding("STS501", f'StatefulSet "{sts.name}" uses apiVersion {sts.api_version}, which is not '
                          f"served since Kubernetes {removed_in}",
                          sts.fields.key_span("apiVersion"), anchor="apiVersion", fix=_apps_v1_fix(sts))


def _apps_v1_fix(sts: StatefulSet) -> Fix | None:
    """apiVersion apps/v1: safe for apps/v1beta2 with a selector; otherwise unsafe, adding the
    selector apps/v1 requires (the template labels) when missing and, for apps/v1beta1, its default
    update strategy (OnDelete; apps/v1 defaults to RollingUpdate) when none is set."""
    if sts.source is None or not sts.fields.editable("apiVersion"):
        return None
    from stslint.edits import insert_entries, make_fix, nesting_step, replace_scalar
    from stslint.rules.selectors import selector_entries

    source = sts.source
    api_edit = replace_scalar(source, sts.fields, "apiVersion", "apps/v1", sts.file, sts.source_path)
    spec_data = sts.fields.raw("spec")
    spec = sts.fields.nested("spec", spec_data) if isinstance(spec_data, dict) else None
    selector = spec.raw("selector") if spec is not None else None
    has_selector = isinstance(selector, dict) and bool(selector.get("matchLabels") or selector.get("matchExpressions"))
    if sts.api_version == "apps/v1beta2" and has_selector:
        return make_fix("Set apiVersion: apps/v1", "safe", [api_edit])
    if spec is None:
        return None
    entries: dict[str, Any] = {}
    added = []
    if not has_selector:
        wanted = selector_entries(spec)
        if wanted is None:
            return None  # an empty or wrong-typed selector, or no labels to select by
        entries.update(wanted)
        added.append("spec.selector.matchLabels from the template labels")
    if sts.api_version == "apps/v1beta1" and not spec.has_key("updateStrategy"):
        entries["updateStrategy"] = {"type": "OnDelete"}
        added.append("updateStrategy OnDelete (the apps/v1beta1 default)")
    edits = [api_edit]
    if entries:
        edits.append(insert_entries(source, spec, entries, sts.file, sts.source_path,
                                    step=nesting_step(sts.fields, "spec", spec)))
    title = "Set apiVersion: apps/v1" + (f", add {' and '.join(added)}" if added else "")
    return make_fix(title, "unsafe", edits)

"""User policies: organisation rules written as data, run as rules of the same rule set as the
built-in ones (selection, severities, suppressions, every format and STS005 treat them alike).

A policy file (YAML) holds one policy or a ``kind: PolicySet`` of them. Each policy carries a
rule's metadata (code, name, severity, summary, rationale, remediation, examples), what it matches
(kinds, namespaces, names, labels, files), where it applies (its ``target``: the object, the pod
spec, each container, each claim template...), a JSON Schema the target must satisfy (with the
quantity keywords ``minimumQuantity``/``maximumQuantity``), joins to other objects (``refs``), a
CEL expression (``expr``), typed ``params`` and a message template. A policy path may also be
``pkg:NAME``: the policies an installed package ships under the entry point group ``stslint.policies``.

- :mod:`.files` reads and validates policy files, every problem at ``file:line:column``;
- :mod:`.schema` checks and compiles the JSON Schemas (jsonschema is imported only here);
- :mod:`.targets` maps an object's view to the values a policy judges, with their paths;
- :mod:`.match` decides which objects a policy applies to;
- :mod:`.locate` maps a schema error's path to the span of the failing field;
- :mod:`.rule` turns a policy into a :class:`~stslint.rules.Rule` (an index rule when it has
  ``refs``: joins resolved through the index);
- :mod:`.cel` evaluates ``expr`` (cel-python, the ``policy`` extra, imported only for a policy with one);
- :mod:`.exceptions` reads ``kind: PolicyException`` files and applies them to a run's findings;
- :mod:`.testing` runs ``stslint test``: policies' examples and ``kind: PolicyTest`` cases.

Nothing here is imported by a run that loads no policy.
"""
from __future__ import annotations

from typing import Iterable

from stslint.policy.files import Policy, PolicyError, PolicySource, load_policies
from stslint.rules import BUILTIN, RuleSet

__all__ = ["Policy", "PolicyError", "PolicySource", "load_policies", "policy_rule_set"]


def policy_rule_set(sources: Iterable[PolicySource], rules: RuleSet = BUILTIN) -> RuleSet:
    """``rules`` plus the policies of ``sources`` (files or directories), each one a rule. Raises
    PolicyError (a ConfigError) for the first invalid policy."""
    from stslint.policy.files import load_all
    from stslint.policy.rule import policy_rule

    policies, exceptions = load_all(sources, rules)
    combined = rules.with_rules(policy_rule(policy) for policy in policies)
    if exceptions:
        from stslint.policy.exceptions import check_codes

        check_codes(exceptions, combined)
        combined.exceptions = tuple(exceptions)
    return combined

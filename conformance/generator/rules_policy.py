"""Rules of the policy cases (besides the seed rules in rules.py: policy.bool-default-false,
policy.executables-only, policy.sysext-runtime-exceptions, policy.notarization-hardened-runtime,
policy.jit-vs-unsigned-memory)."""

from rule_type import Rule

_A = "entitlements-policy"
_PAGE = "docs/entitlements-rules.md"

POLICY_RULES = [
    Rule("policy.boolean-value", _A,
         "An entitlement documented as a Boolean holds a Boolean; a string \"true\", a number or a container is "
         "not the true that grants it. Keys outside the catalogue are not judged.",
         ["Apple: Entitlements (Bundle Resources)", _PAGE + " non-boolean"]),
    Rule("policy.value-type", _A,
         "A known non-Boolean entitlement has the shape its page gives (string, array of strings, array of "
         "dictionaries); an empty array is of any element type.",
         ["Apple: Entitlements (Bundle Resources)", _PAGE + " wrong-type"]),
    Rule("policy.key-typo", _A,
         "A top-level key within two edits (Levenshtein, case counting) of a known entitlement but not equal to "
         "it is a misspelling that grants nothing; three edits away it is just another key.",
         ["Apple: Entitlements (Bundle Resources)", _PAGE + " unknown-key"]),
    Rule("policy.findings-order", _A,
         "Findings come rule by rule in the page's table order, then by key in document order; only top-level "
         "keys are entitlements, and a root that is not a dict has none.",
         [_PAGE + " When each rule applies", "conformance/ADAPTERS.md Structure areas"]),
    Rule("policy.case-shape", _A,
         "A case is a plist dict with \"context\" and \"entitlements\"; the context has kind (app, library, "
         "plugin, sysext, dext, unknown) and optionally hardened_runtime, platform (macos, other) and "
         "platform_binary. Anything else is an input the checker cannot read.",
         ["conformance/ADAPTERS.md Structure areas"]),
]

"""entitlements-policy cases: an XML plist {context, entitlements} and the findings of
docs/entitlements-rules.md, computed by policy_model.py from the page's statement of each
rule. Each rule is shown firing and not firing in the contexts the page names."""

import plistlib

import policy_model as pm
from model import Case, accept, reject, t_array, t_dict, t_str

AREA = "entitlements-policy"
SEC = "com.apple.security."
CS = SEC + "cs."
JIT, UNSIGNED, NO_PAGE_PROT = pm.JIT, pm.UNSIGNED_MEMORY, pm.NO_PAGE_PROTECTION
DLV, DYLD, DEBUGGER = CS + "disable-library-validation", CS + "allow-dyld-environment-variables", CS + "debugger"
SANDBOX, CAMERA = SEC + "app-sandbox", SEC + "device.camera"
USB = "com.apple.developer.driverkit.transport.usb"

# Contexts.
APP = {"kind": "app", "hardened_runtime": True}
APP_NO_HR = {"kind": "app", "hardened_runtime": False}
LIBRARY = {"kind": "library"}
PLUGIN = {"kind": "plugin"}
SYSEXT = {"kind": "sysext", "hardened_runtime": True}
DEXT = {"kind": "dext", "hardened_runtime": True}
UNKNOWN = {"kind": "unknown"}


def encode(document):
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=False)


def findings_value(findings):
    return t_array(*[t_dict(("rule", t_str(r)), ("severity", t_str(s)), ("key", t_str(k))) for r, s, k in findings])


def valid(name, rule, context, ents, description):
    value = findings_value(pm.check(ents, context))
    return Case(area=AREA, name=name, cls="valid", rule=rule, data=encode({"context": context, "entitlements": ents}),
                description=description, expect=accept(value))


def false_value_cases():
    r = "policy.bool-default-false"
    return [
        valid("false-known-key", r, APP, {SANDBOX: False}, "app-sandbox false: a warning"),
        valid("false-unknown-key", r, APP, {"com.example.feature": False}, "false-value fires for keys outside the "
              "catalogue too"),
        valid("true-no-finding", r, APP, {SANDBOX: True, SEC + "network.client": True}, "true values: nothing"),
        valid("false-nested-not-counted", r, APP, {"com.example.settings": {"enabled": False}},
              "a false inside a dict value is content, not an entitlement"),
        valid("false-exception-in-dext", r, DEXT, {JIT: False}, "allow-jit false in a dext: only false-value, "
              "since only true exceptions count"),
        valid("false-two-keys-document-order", r, APP, {SEC + "network.server": False, SANDBOX: False},
              "two false keys, reported in document order"),
    ]


def type_cases():
    b, t = "policy.boolean-value", "policy.value-type"
    return [
        valid("boolean-as-string", b, APP, {SANDBOX: "true"}, "app-sandbox as the string \"true\""),
        valid("boolean-as-integer", b, APP, {CAMERA: 1}, "device.camera as the integer 1"),
        valid("boolean-as-array", b, APP, {SEC + "network.client": [True]}, "network.client as [true]"),
        valid("unknown-key-string-not-judged", b, APP, {"com.example.flag": "yes"},
              "a string under a key outside the catalogue: no type rule"),
        valid("strings-as-string", t, APP, {"keychain-access-groups": "ABCDE12345.shared"},
              "keychain-access-groups as one string instead of an array"),
        valid("strings-holding-integer", t, APP, {SEC + "application-groups": ["group.a", 1]},
              "application-groups with an integer element"),
        valid("empty-array-any-type", t, APP, {"keychain-access-groups": [], USB: []},
              "empty arrays fit every element type"),
        valid("usb-array-of-dicts", t, DEXT, {USB: [{"idVendor": 1452}]}, "transport.usb as its page gives it"),
        valid("usb-as-dict", t, DEXT, {USB: {"idVendor": 1452}}, "transport.usb as a bare dict"),
        valid("string-key-as-boolean", t, APP, {"com.apple.developer.team-identifier": True},
              "team-identifier true: wrong-type, not non-boolean (its type is string)"),
        valid("identity-strings-fit", t, APP, {"com.apple.application-identifier": "ABCDE12345.com.example.app",
                                               "com.apple.developer.team-identifier": "ABCDE12345"},
              "identity strings as documented"),
    ]


def context_rule_cases():
    lib, sx, rt = "policy.executables-only", "policy.sysext-runtime-exceptions", "policy.notarization-hardened-runtime"
    return [
        valid("library-with-entitlements", lib, LIBRARY, {SANDBOX: True}, "a dylib with one entitlement"),
        valid("plugin-with-entitlements", lib, PLUGIN, {SANDBOX: True, CAMERA: True},
              "an in-process plug-in: one finding for the file"),
        valid("library-empty", lib, LIBRARY, {}, "a dylib with an empty dict: nothing"),
        valid("library-false-value", lib, LIBRARY, {SANDBOX: False}, "false-value, then library-entitlements"),
        valid("app-carries-entitlements", lib, APP, {SANDBOX: True}, "an executable: no library finding"),
        valid("sysext-allow-jit", sx, SYSEXT, {JIT: True}, "allow-jit is open to system extensions"),
        valid("sysext-library-validation", sx, SYSEXT, {DLV: True}, "disable-library-validation in a sysext"),
        valid("sysext-resource-access", sx, SYSEXT, {CAMERA: True, SEC + "device.audio-input": True},
              "resource-access entitlements are not exceptions"),
        valid("sysext-exception-false", sx, SYSEXT, {DEBUGGER: False}, "debugger false: only false-value"),
        valid("sysext-unsigned-memory", sx, SYSEXT, {UNSIGNED: True},
              "allow-unsigned-executable-memory in a sysext: sysext-exception and the note"),
        valid("dext-allow-jit", sx, DEXT, {JIT: True}, "allow-jit in a DriverKit extension"),
        valid("dext-jit-and-dyld", sx, DEXT, {JIT: True, DYLD: True},
              "allow-jit then dyld variables: sysext-exception comes first (table order)"),
        valid("app-library-validation", sx, APP, {DLV: True}, "an app may relax the runtime"),
        valid("runtime-missing-app", rt, APP_NO_HR, {}, "an app without the hardened runtime, no entitlements"),
        valid("runtime-missing-sysext", rt, {"kind": "sysext", "hardened_runtime": False}, {SANDBOX: True},
              "a system extension without the hardened runtime"),
        valid("runtime-missing-macos", rt, dict(APP_NO_HR, platform="macos"), {}, "platform macos"),
        valid("runtime-unknown-app", rt, {"kind": "app"}, {}, "a bare file: the runtime flag is not known"),
        valid("runtime-platform-binary", rt, dict(APP_NO_HR, platform_binary=True), {},
              "Apple's platform code is not notarized"),
        valid("runtime-other-platform", rt, dict(APP_NO_HR, platform="other"), {}, "not macOS: no notarization"),
        valid("runtime-dext", rt, {"kind": "dext", "hardened_runtime": False}, {}, "the rule names app and sysext"),
        valid("runtime-library", rt, {"kind": "library", "hardened_runtime": False}, {}, "a library: no finding"),
    ]


def exception_cases():
    r = "policy.jit-vs-unsigned-memory"
    return [
        valid("jit-and-unsigned-memory", r, APP, {JIT: True, UNSIGNED: True},
              "allow-jit covered by unsigned memory, plus the unsigned-memory note"),
        valid("all-three-exceptions", r, APP, {JIT: True, UNSIGNED: True, NO_PAGE_PROT: True},
              "the whole cascade: two warnings and the note"),
        valid("jit-and-page-protection", r, APP, {JIT: True, NO_PAGE_PROT: True},
              "allow-jit covered by disable-executable-page-protection"),
        valid("page-protection-only", r, APP, {NO_PAGE_PROT: True}, "the widest one alone: nothing"),
        valid("unsigned-memory-only", r, APP, {UNSIGNED: True}, "unsigned memory alone: the note"),
        valid("jit-only", r, APP, {JIT: True}, "allow-jit alone: nothing"),
        valid("jit-false-page-protection", r, APP, {JIT: False, NO_PAGE_PROT: True},
              "a false exception is not set: false-value only"),
        valid("unsigned-memory-before-jit", r, APP, {UNSIGNED: True, JIT: True},
              "unsigned memory written first: its note, then the allow-jit warning (findings in document order)"),
        valid("cascade-reversed", r, APP, {NO_PAGE_PROT: True, UNSIGNED: True, JIT: True},
              "the cascade written widest first: the unsigned-memory warning and note, then allow-jit's warning"),
    ]


def typo_and_order_cases():
    k, o = "policy.key-typo", "policy.findings-order"
    return [
        valid("typo-one-deletion", k, APP, {SEC + "app-sandbx": True}, "app-sandbox with a letter dropped"),
        valid("typo-case", k, APP, {SEC + "App-Sandbox": True}, "two capitals: distance 2"),
        valid("typo-transposition", k, APP, {CS + "allow-jti": True}, "a swap is two edits"),
        valid("typo-three-edits", k, APP, {SEC + "app-sanxxxx": True}, "three edits away: not a typo"),
        valid("typo-false", k, APP, {SEC + "get-task-alow": False}, "false-value and unknown-key on one key"),
        valid("empty-dict", o, APP, {}, "no entitlements, hardened runtime on: nothing"),
        valid("kind-unknown", o, UNKNOWN, {DLV: True, JIT: True},
              "kind unknown: the kind rules are skipped"),
        valid("context-without-kind", o, {"hardened_runtime": False}, {SANDBOX: False},
              "no kind: unknown, so no runtime-missing"),
        valid("root-not-dict", o, APP_NO_HR, [SANDBOX],
              "entitlements as an array: no keys, but runtime-missing needs none"),
        valid("many-rules", o, {"kind": "dext", "hardened_runtime": True},
              {"com.apple.developer.driverkit.famly.audio": True, DYLD: True, SANDBOX: False, CAMERA: "yes",
               USB: "none", JIT: True, UNSIGNED: True},
              "one finding of each kind rule in a dext, in table order"),
    ]


def invalid(name, error, document, description):
    data = encode(document)
    return Case(area=AREA, name=name, cls="invalid", rule="policy.case-shape", data=data, description=description,
                expect=reject(error, "malformed"))


def shape_cases():
    return [
        invalid("no-context", "conform.policy.shape", {"entitlements": {}}, "no \"context\""),
        invalid("no-entitlements", "conform.policy.shape", {"context": APP}, "no \"entitlements\""),
        invalid("root-array", "conform.policy.shape", [APP, {}], "the case is an array"),
        invalid("kind-daemon", "conform.policy.context", {"context": {"kind": "daemon"}, "entitlements": {}},
                "kind \"daemon\" is not a kind"),
        invalid("context-not-dict", "conform.policy.context", {"context": "app", "entitlements": {}},
                "the context is a string"),
        invalid("context-key-misspelt", "conform.policy.context",
                {"context": {"kind": "app", "hardened-runtime": False}, "entitlements": {}},
                "hardened-runtime with a hyphen"),
        invalid("runtime-as-string", "conform.policy.context",
                {"context": {"kind": "app", "hardened_runtime": "no"}, "entitlements": {}},
                "hardened_runtime as a string"),
    ]


def cases():
    return (false_value_cases() + type_cases() + context_rule_cases() + exception_cases() + typo_and_order_cases() +
            shape_cases())

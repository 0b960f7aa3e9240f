"""der-entitlements cases: the DER payload of the 0xfade7172 blob (the bytes after its 8-byte
magic/length header). Canonical forms (codesign-rules section E and apple-codesign's test
vectors), ldid's and ChOma's legacy SET form, and DER (X.690) rule violations."""

from der_build import (canonical, der_bool, der_integer, der_string, dictionary, encode_value, entry,
                       integer_content, sorted_value, tlv, wrapper)
from bplist_build import unhex
from model import Case, accept, reject, t_array, t_bool, t_data, t_dict, t_int, t_str
from peers import P, A

AREA = "der-entitlements"
TRUE = t_bool(True)
FALSE = t_bool(False)
SET_READERS = P(rcodesign=A(note="falls back to the SET form (SetPlist)"),
                ce=A(note="provisioning profiles are read with CCDER_CONSTRUCTED_SET, sorted=false (pmap.c)"))


def make(name, cls, rule, data, description, expect=None, cf=None, peers=None, refs=()):
    if isinstance(data, str):
        data = unhex(data)
    return Case(area=AREA, name=name, cls=cls, rule=rule, data=data, description=description, expect=expect,
                expect_cf=cf, behaviours=peers or {}, refs=list(refs))


def ok(v):
    return accept(v)


def bad(error, error_class):
    return reject(error, error_class)


def valid(name, rule, value, description, expected_hex=None, refs=()):
    data = canonical(value)
    if expected_hex is not None:
        assert data == unhex(expected_hex), name + ": encoder disagrees with the published vector"
    return make(name, "valid", rule, data, description, ok(sorted_value(value)), refs=refs)


def one(key, value):
    return t_dict((key, value))


def canonical_cases():
    out = [
        valid("vector-empty", "der.canonical.form", t_dict(), "{} (apple-codesign plist_der.rs test vector)",
              "70 05 02 01 01 B0 00", ["apple-codesign plist_der.rs"]),
        valid("vector-key-true", "der.canonical.form", one("key", TRUE), "{\"key\": true}",
              "70 0F 02 01 01 B0 0A 30 08 0C 03 6B 65 79 01 01 FF", ["apple-codesign plist_der.rs"]),
        valid("vector-key-empty-array", "der.canonical.form", one("key", t_array()), "{\"key\": []}",
              "70 0E 02 01 01 B0 09 30 07 0C 03 6B 65 79 30 00", ["apple-codesign plist_der.rs"]),
        valid("vector-nested-dict", "der.canonical.form", one("key", one("inner", FALSE)),
              "{\"key\": {\"inner\": false}}",
              "70 1A 02 01 01 B0 15 30 13 0C 03 6B 65 79 B0 0C 30 0A 0C 05 69 6E 6E 65 72 01 01 00",
              ["apple-codesign plist_der.rs"]),
    ]
    for n in (0, -1, 42, 127, 128, 255, 256, -129, -32768, 2**63 - 1, -2**63, -2**63 + 1, 2**55):
        out.append(valid("integer-%s" % str(n).replace("-", "minus-"), "der.canonical.integer", one("i", t_int(n)),
                         "INTEGER %d as %s" % (n, integer_content(n).hex(" ").upper())))
    out.append(make("integer-minus-128-ldid-128", "valid", "der.canonical.integer", canonical(one("i", t_int(-128))),
                    "02 01 80: DER (and the OS) read -128; ldid writes 128 this way", ok(one("i", t_int(-128))),
                    peers=P(ce=A(one("i", t_int(-128)), "INTEGERs are two's complement"))))
    mixed = t_dict(("a", t_array(t_int(1), t_str("x"), TRUE, t_array(), t_dict())),
                   ("b", one("c", one("d", t_int(-5)))))
    out.append(valid("arrays-and-nested-dicts", "der.canonical.form", mixed, "arrays and dicts inside each other",
                     "70 2F 02 01 01 B0 2A 30 12 0C 01 61 30 0D 02 01 01 0C 01 78 01 01 FF 30 00 B0 00"
                     " 30 14 0C 01 62 B0 0F 30 0D 0C 01 63 B0 08 30 06 0C 01 64 02 01 FB"))
    order = t_dict(("B", t_int(2)), ("a", t_int(3)), ("aa", t_int(4)), ("b", t_int(1)), ("\u00e9", t_int(5)))
    out.append(valid("keys-sorted-bytewise", "der.canonical.key-order", order,
                     "keys in byte order: B < a < aa < b < U+00E9 (a prefix sorts first)",
                     "70 2F 02 01 01 B0 2A 30 06 0C 01 42 02 01 02 30 06 0C 01 61 02 01 03 30 07 0C 02 61 61 02 01 04"
                     " 30 06 0C 01 62 02 01 01 30 07 0C 02 C3 A9 02 01 05"))
    out.append(valid("long-form-length-200", "der.canonical.length", one("k", t_str("a" * 200)),
                     "a 200-byte string: one length byte after 0x81"))
    out.append(valid("long-form-length-300", "der.canonical.length", one("k", t_str("b" * 300)),
                     "a 300-byte string: two length bytes after 0x82"))
    out.append(valid("length-127-short-form", "der.canonical.length", one("k", t_str("s" * 122)),
                     "an entry of exactly 127 content bytes keeps the short form"))
    out.append(valid("length-128-long-form", "der.canonical.length", one("k", t_str("s" * 123)),
                     "an entry of 128 content bytes is the first long form"))
    out.append(valid("empty-key-and-empty-string", "der.canonical.form", t_dict(("", t_str(""))),
                     "an empty key and an empty string"))
    out.append(valid("utf8-key-and-value", "der.canonical.form", one("cl\u00e9 \U0001F511", t_str("\u20ac")),
                     "multi-byte UTF-8 in a key and a value"))
    many = t_dict(*[("com.example.key%02d" % i, t_int(i)) for i in range(50)])
    out.append(valid("fifty-keys", "der.canonical.key-order", many, "fifty entries in key order"))
    deep = TRUE
    for _ in range(127):
        deep = t_array(deep)
    out.append(valid("depth-128", "der.limit.depth", one("a", deep), "the root dict and 127 nested arrays: depth 128"))
    return out


def entitlement_cases():
    sandbox = t_dict(("com.apple.security.app-sandbox", TRUE), ("com.apple.security.network.client", TRUE))
    ios = t_dict(("application-identifier", t_str("ABCDE12345.com.example.app")),
                 ("com.apple.developer.team-identifier", t_str("ABCDE12345")), ("get-task-allow", FALSE),
                 ("keychain-access-groups", t_array(t_str("ABCDE12345.com.example.app"), t_str("ABCDE12345.shared"))))
    return [
        valid("entitlements-mac-sandbox", "der.canonical.form", sandbox, "a sandboxed Mac app's entitlements"),
        valid("entitlements-ios-app", "der.canonical.form", ios, "an iOS app's entitlements with an array"),
        valid("entitlements-platform-application", "der.canonical.form",
              t_dict(("platform-application", TRUE), ("com.apple.private.security.no-container", TRUE)),
              "the keys psychicpaper smuggled, as DER"),
    ]


def A1(body):
    """A canonical wrapper around one raw dictionary body (entries already encoded)."""
    return wrapper(dictionary([body]))


def noncanonical_cases():
    inv = "invalid"
    ldid = unhex("31 30 30 06 0C 01 62 01 01 01 30 06 0C 01 63 04 01 00 30 07 0C 02 61 61 02 01 80"
                 " 30 15 0C 01 64 31 10 30 06 0C 01 78 02 01 02 30 06 0C 01 79 02 01 01")
    ldid_value = t_dict(("b", TRUE), ("c", t_data(b"\x00")), ("aa", t_int(-128)),
                        ("d", t_dict(("x", t_int(2)), ("y", t_int(1)))))
    bare_set = tlv(0x31, entry("key", der_bool(True)))
    return [
        make("set-form-root", inv, "der.legacy.set-form", bare_set,
             "a bare SET of entries, no wrapper and no version (ldid, ChOma, provisioning profiles)",
             bad("der.noncanonical.set_form", "noncanonical"), ok(one("key", TRUE)), SET_READERS),
        make("set-form-empty", inv, "der.legacy.set-form", "31 00", "an empty bare SET",
             bad("der.noncanonical.set_form", "noncanonical"), ok(t_dict()), SET_READERS),
        make("set-form-in-wrapper", inv, "der.legacy.set-form", "70 05 02 01 01 31 00",
             "the wrapper holding a SET instead of [CONTEXT 16]", bad("der.noncanonical.set_form", "noncanonical"),
             ok(t_dict())),
        make("set-form-nested", inv, "der.legacy.set-form", "70 0C 02 01 01 B0 07 30 05 0C 01 61 31 00",
             "a nested dictionary as a SET", bad("der.noncanonical.set_form", "noncanonical"), ok(one("a", t_dict()))),
        make("ldid-output", inv, "der.legacy.set-form", ldid,
             "what ldid writes for {b: true, c: <00>, aa: 128, d: {x: 2, y: 1}}: SET form, entries ordered by "
             "encoding, true as 01, 128 as 02 01 80, data as OCTET STRING",
             bad("der.noncanonical.set_form", "noncanonical"), ok(ldid_value), refs=["ldid.cpp der(plist_t)"]),
        make("boolean-true-01", inv, "der.canonical.boolean", "70 0D 02 01 01 B0 08 30 06 0C 01 61 01 01 01",
             "BOOLEAN true as 01 (ldid); DER requires FF (X.690 11.1)", bad("der.noncanonical.boolean", "noncanonical"),
             ok(one("a", TRUE))),
        make("boolean-true-7f", inv, "der.canonical.boolean", "70 0D 02 01 01 B0 08 30 06 0C 01 61 01 01 7F",
             "BOOLEAN true as 7F", bad("der.noncanonical.boolean", "noncanonical"), ok(one("a", TRUE))),
        make("keys-out-of-order", inv, "der.canonical.key-order",
             "70 15 02 01 01 B0 10 30 06 0C 01 62 01 01 FF 30 06 0C 01 61 01 01 00",
             "\"b\" before \"a\" (ChOma writes CFDictionary order)", bad("der.noncanonical.unsorted_keys", "noncanonical"),
             ok(t_dict(("b", TRUE), ("a", FALSE)))),
        make("longer-key-before-prefix", inv, "der.canonical.key-order",
             "70 16 02 01 01 B0 11 30 07 0C 02 61 61 01 01 FF 30 06 0C 01 61 01 01 00",
             "\"aa\" before \"a\": ldid orders by encoded entry, so a longer key can come first",
             bad("der.noncanonical.unsorted_keys", "noncanonical"), ok(t_dict(("aa", TRUE), ("a", FALSE)))),
        make("octet-string-value", inv, "der.canonical.types", "70 0D 02 01 01 B0 08 30 06 0C 01 61 04 01 00",
             "an OCTET STRING value (ldid's data)", bad("der.noncanonical.octet_string", "noncanonical"),
             ok(one("a", t_data(b"\x00")))),
        make("integer-redundant-00", inv, "der.canonical.integer", "70 0E 02 01 01 B0 09 30 07 0C 01 61 02 02 00 7F",
             "INTEGER 00 7F: a redundant leading zero", bad("der.integer.non_minimal", "noncanonical")),
        make("integer-redundant-ff", inv, "der.canonical.integer", "70 0E 02 01 01 B0 09 30 07 0C 01 61 02 02 FF 80",
             "INTEGER FF 80: a redundant leading FF", bad("der.integer.non_minimal", "noncanonical")),
        make("ldid-minus-one-8-bytes", inv, "der.canonical.integer", "31 0F 30 0D 0C 01 69 02 08 FF FF FF FF FF FF FF FF",
             "ldid's -1: its 8-byte pattern, non-minimal in DER", bad("der.noncanonical.set_form", "noncanonical"),
             bad("der.integer.non_minimal", "noncanonical")),
        make("version-not-minimal", inv, "der.canonical.integer", "70 06 02 02 00 01 B0 00",
             "the version as 02 02 00 01", bad("der.integer.non_minimal", "noncanonical")),
        make("length-long-form-for-short", inv, "der.canonical.length", "70 81 05 02 01 01 B0 00",
             "a long-form length for 5 (BER allows it, DER does not)", bad("der.length.non_minimal", "noncanonical")),
        make("length-leading-zero-byte", inv, "der.canonical.length", "70 82 00 05 02 01 01 B0 00",
             "a long-form length with a leading zero byte", bad("der.length.non_minimal", "noncanonical")),
        make("length-indefinite", inv, "der.canonical.length", "70 80 02 01 01 B0 00 00 00",
             "indefinite length (BER only)", bad("der.length.indefinite", "noncanonical")),
    ]


def malformed_cases():
    inv = "invalid"
    rows = [
        ("empty-input", "", "core.empty_input", "zero bytes"),
        ("tag-without-length", "70", "der.header.truncated", "a tag and no length"),
        ("long-length-bytes-missing", "70 83 01 00", "der.header.truncated", "three length bytes announced, two present"),
        ("length-past-end", "70 06 02 01 01 B0 00", "der.length.out_of_range", "a length one past the input"),
        ("length-4-gib", "70 84 FF FF FF FF 02 01 01", "der.length.out_of_range", "a length of 0xFFFFFFFF"),
        ("length-nine-bytes", "70 89 01 00 00 00 00 00 00 00 00", "der.length.out_of_range", "nine length bytes"),
        ("trailing-byte", "70 05 02 01 01 B0 00 00", "der.trailing_bytes", "a byte after the outermost element"),
        ("outer-sequence", "30 00", "der.container.unexpected_tag", "a SEQUENCE instead of [APPLICATION 16]"),
        ("no-version", "70 00", "der.version.not_integer", "an empty wrapper"),
        ("version-is-string", "70 05 0C 01 31 B0 00", "der.version.not_integer", "the version as a UTF8String"),
        ("version-2", "70 05 02 01 02 B0 00", "der.version.unsupported", "version 2"),
        ("version-0", "70 05 02 01 00 B0 00", "der.version.unsupported", "version 0"),
        ("no-dictionary", "70 03 02 01 01", "der.container.missing_dict", "a version and no dictionary"),
        ("dictionary-is-sequence", "70 05 02 01 01 30 00", "der.container.unexpected_tag", "the dictionary as a SEQUENCE"),
        ("element-after-dictionary", "70 07 02 01 01 B0 00 05 00", "der.container.trailing",
         "an element after the dictionary"),
        ("member-not-sequence", "70 08 02 01 01 B0 03 0C 01 61", "der.entry.not_sequence",
         "a dictionary member that is a string"),
        ("entry-empty", "70 07 02 01 01 B0 02 30 00", "der.entry.bad_arity", "an empty entry"),
        ("entry-without-value", "70 0A 02 01 01 B0 05 30 03 0C 01 61", "der.entry.bad_arity", "a key and no value"),
        ("entry-three-elements", "70 10 02 01 01 B0 0B 30 09 0C 01 61 01 01 FF 01 01 00", "der.entry.bad_arity",
         "an entry with a second value"),
        ("entry-three-elements-container", "70 0E 02 01 01 B0 09 30 07 0C 01 61 30 00 05 00", "der.entry.bad_arity",
         "an array value followed by another element"),
        ("key-is-integer", "70 0D 02 01 01 B0 08 30 06 02 01 01 01 01 FF", "der.key.not_string", "an INTEGER key"),
        ("key-invalid-utf8", "70 0D 02 01 01 B0 08 30 06 0C 01 FF 01 01 FF", "der.string.invalid_utf8",
         "a key byte 0xFF"),
        ("key-bad-continuation", "70 0F 02 01 01 B0 0A 30 08 0C 03 61 C3 28 01 01 FF", "der.string.invalid_utf8",
         "C3 followed by '('"),
        ("key-duplicate", "70 15 02 01 01 B0 10 30 06 0C 01 61 01 01 FF 30 06 0C 01 61 01 01 00", "der.key.duplicate",
         "\"a\" twice"),
        ("boolean-two-bytes", "70 0E 02 01 01 B0 09 30 07 0C 01 61 01 02 FF FF", "der.boolean.bad_length",
         "a two-byte BOOLEAN"),
        ("boolean-empty", "70 0C 02 01 01 B0 07 30 05 0C 01 61 01 00", "der.boolean.bad_length", "an empty BOOLEAN"),
        ("integer-empty", "70 0C 02 01 01 B0 07 30 05 0C 01 61 02 00", "der.integer.empty", "an empty INTEGER"),
        ("integer-2-pow-63", "70 15 02 01 01 B0 10 30 0E 0C 01 61 02 09 00 80 00 00 00 00 00 00 00",
         "der.integer.too_large", "2^63 needs nine bytes"),
        ("high-tag-number", "70 0D 02 01 01 B0 08 30 06 0C 01 61 1F 20 00", "der.value.unexpected_tag",
         "a high-tag-number value"),
        ("value-length-past-entry", "70 0D 02 01 01 B0 08 30 06 0C 01 61 01 05 FF", "der.length.out_of_range",
         "a value longer than its entry"),
        ("string-surrogate", "70 0F 02 01 01 B0 0A 30 08 0C 01 61 0C 03 ED A0 80", "der.string.invalid_utf8",
         "a UTF-8-encoded surrogate"),
        ("array-item-bad-tag", "70 0E 02 01 01 B0 09 30 07 0C 01 61 30 02 05 00", "der.value.unexpected_tag",
         "a NULL inside an array"),
        ("array-item-truncated", "70 0D 02 01 01 B0 08 30 06 0C 01 61 30 01 01", "der.header.truncated",
         "an array item cut after its tag"),
    ]
    out = [make(name, inv, "der.structure", hexdata, description, bad(error, "malformed"))
           for name, hexdata, error, description in rows]
    for name, hexdata, description in (
            ("null-value", "70 0C 02 01 01 B0 07 30 05 0C 01 61 05 00", "a NULL value: no entitlement type"),
            ("real-value", "70 0F 02 01 01 B0 0A 30 08 0C 01 61 09 03 80 00 01", "a REAL value"),
            ("utctime-value", "70 17 02 01 01 B0 12 30 10 0C 01 61 17 0B 32 30 30 31 30 31 30 30 30 30 5A",
             "a UTCTime value")):
        out.append(make(name, inv, "der.canonical.types", hexdata, description,
                        bad("der.value.unexpected_tag", "unrepresentable")))
    return out


def limit_cases():
    deep = TRUE
    for _ in range(512):
        deep = t_array(deep)
    return [
        make("depth-513", "invalid", "der.limit.depth", canonical(one("a", deep)),
             "the root dict and 512 nested arrays: depth 513", bad("der.depth.limit", "limit")),
    ]


def cases():
    return canonical_cases() + entitlement_cases() + noncanonical_cases() + malformed_cases() + limit_cases()

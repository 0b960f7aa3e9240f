"""Tagged JSON (docs/json-schema.md, "Reading it back"): depth, width, huge values, bad
strings, and a valid document cut at every token boundary."""
import json

from . import PLIST_VERBS, Case, accept, reject

GROUP = "json"


def tagged(kind, value):
    return {"type": kind, "value": value}


def text(value):
    return json.dumps(value, separators=(",", ":")).encode()


def nested(arrays):
    """A dict holding `arrays` nested tagged arrays (depth 1 + arrays)."""
    opened = '{"type":"dict","value":{"a":' + '{"type":"array","value":[' * arrays
    return (opened + "]}" * arrays + "}}").encode()


def cases():
    out = []
    add = out.append
    add(Case("json-depth-512", GROUP, nested(511), PLIST_VERBS, accept(),
             "a dict holding 511 arrays is depth 512, max_depth exactly"))
    add(Case("json-depth-513", GROUP, nested(512), PLIST_VERBS, reject("plist.json.depth_limit"),
             "the 512th array is depth 513"))
    add(Case("json-depth-38000", GROUP, nested(38000), PLIST_VERBS, reject("plist.json.depth_limit"),
             "38000 nested arrays stop at the limit, without recursion"))
    wide = tagged("dict", {"k": tagged("array", [tagged("bool", "true")] * 30000)})
    add(Case("json-wide-array", GROUP, text(wide), PLIST_VERBS, accept(), "30000 values in one array"))
    add(Case("json-key-64k", GROUP, text(tagged("dict", {"k" * 65536: tagged("bool", "true")})), PLIST_VERBS,
             accept(), "one 64 KiB key"))
    data = text(tagged("dict", {"i": tagged("integer", "18446744073709551616")}))
    add(Case("json-integer-2e64", GROUP, data, PLIST_VERBS,
             reject("plist.json.bad_value", data.index(b'"18446744073709551616"')),
             "2^64 does not parse as an integer; the offset is the value's opening quote"))
    data = text(tagged("dict", {"i": tagged("integer", "1" + "0" * 65536)}))
    add(Case("json-integer-64k-digits", GROUP, data, PLIST_VERBS,
             reject("plist.json.bad_value", data.index(b'"10000')), "65537 digits: not a bignum"))
    data = b'{"type":"dict","value":{"s":{"type":"string","value":"\\ud800x"}}}'
    add(Case("json-lone-surrogate", GROUP, data, PLIST_VERBS, reject("plist.json.bad_string"),
             "\\ud800 without its low surrogate"))
    data = b'{"type":"dict","value":{"k":{"type":"bool","value":"true"},"k":{"type":"bool","value":"true"}}}'
    add(Case("json-duplicate-key", GROUP, data, PLIST_VERBS,
             reject("plist.json.duplicate_key", data.rindex(b'"k"')), "the second \"k\", at its quote"))
    valid = text(tagged("dict", {"k": tagged("string", "v")}))
    add(Case("json-leading-whitespace-1m", GROUP, b" " * 1000000 + valid, PLIST_VERBS, accept(),
             "a million spaces before the brace: detection skips JSON whitespace"))
    data = valid + b" x"
    add(Case("json-trailing-content", GROUP, data, PLIST_VERBS,
             reject("plist.json.trailing_content", len(valid) + 1), "a byte after the root value"))
    add(Case("json-cut-empty", GROUP, b"", PLIST_VERBS, reject("core.empty_input", 0), "nothing at all"))
    add(Case("json-cut-after-brace", GROUP, valid[:1], PLIST_VERBS, reject("core.unknown_format", 0),
             "'{' without \"type\" after it is not recognised as tagged JSON"))
    for name, marker in (("type-key", b'"type"'), ("type-value", b'"dict",'), ("value-key", b'"value":{'),
                         ("inner-value", b'"v"}')):
        end = valid.index(marker) + len(marker)
        out.append(Case("json-cut-after-" + name, GROUP, valid[:end], PLIST_VERBS, reject("plist.json.syntax"),
                        "cut after %s: the JSON text ends inside an object" % marker.decode()))
    return out

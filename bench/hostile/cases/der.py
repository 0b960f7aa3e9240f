"""DER entitlements, raw and in the 0xfade7172 blob (docs/der.md, docs/cli.md "convert"):
lengths that wrap, depth, width, huge values, and valid files cut at every TLV boundary.
Offsets: tag errors at the tag byte, length errors at the first length byte."""
import struct

from builders.der import APPLICATION_16, DICT, SEQUENCE, UTF8_STRING, entitlements, integer, tlv

from . import PLIST_VERBS, Case, accept, reject

GROUP = "der"
DER_BLOB = 0xFADE7172


def wrap(dict_content):
    """[APPLICATION 16] { INTEGER 1, [CONTEXT 16] dict_content }"""
    return tlv(APPLICATION_16, integer(1) + tlv(DICT, dict_content))


def entry(key, value_der):
    return tlv(SEQUENCE, tlv(UTF8_STRING, key.encode()) + value_der)


def blob(der, length=None):
    return struct.pack(">II", DER_BLOB, 8 + len(der) if length is None else length) + der


def nested_sequences(depth):
    """{a: SEQUENCE(SEQUENCE(...))} with `depth` sequences, and the offset of each one's tag."""
    inner = tlv(SEQUENCE, b"")
    for _ in range(depth - 1):
        inner = tlv(SEQUENCE, inner)
    data = wrap(entry("a", inner))
    at = data.index(tlv(UTF8_STRING, b"a")) + 3
    tags = []
    while at < len(data) and data[at] == SEQUENCE:
        tags.append(at)
        first = data[at + 1]
        at += 2 + (first & 0x7F if first & 0x80 else 0)
    assert len(tags) == depth
    return data, tags


def cases():
    out = []
    add = out.append
    data, _ = nested_sequences(511)
    add(Case("der-depth-512", GROUP, data, PLIST_VERBS, accept(),
             "the root dict (depth 1) holding 511 nested arrays is depth 512"))
    data, tags = nested_sequences(512)
    add(Case("der-depth-513", GROUP, data, PLIST_VERBS, reject("der.depth.limit", tags[511]),
             "the 512th array is depth 513, at its tag"))
    data, tags = nested_sequences(100000)
    add(Case("der-depth-100000", GROUP, data, PLIST_VERBS, reject("der.depth.limit", tags[511]),
             "100000 nested arrays stop at depth 513, without recursion"))
    body = integer(1) + tlv(DICT, entry("a", tlv(0x01, b"\xff")))
    for name, length in (("length-2e32-1", b"\x84\xff\xff\xff\xff"), ("length-2e64-1", b"\x88" + b"\xff" * 8)):
        add(Case("der-" + name, GROUP, bytes([APPLICATION_16]) + length + body, PLIST_VERBS,
                 reject("der.length.out_of_range", 1), "outer length runs past the input, at its first byte"))
    add(Case("der-length-indefinite", GROUP, bytes([APPLICATION_16, 0x80]) + body + b"\0\0", PLIST_VERBS,
             reject("der.length.indefinite", 1), "0x80 is BER's indefinite length"))
    data = wrap(entry("a", bytes([UTF8_STRING]) + b"\x84\xff\xff\xff\xffx"))
    add(Case("der-inner-length-2e32-1", GROUP, data, PLIST_VERBS,
             reject("der.length.out_of_range", data.index(b"\x0c\x84") + 1),
             "a value's length 2^32-1 runs past its entry, at its first length byte"))
    data = wrap(entry("i", tlv(0x02, b"\x01" + bytes(15))))
    add(Case("der-integer-16-bytes", GROUP, data, PLIST_VERBS, reject("der.integer.too_large"),
             "a 16-byte INTEGER does not fit in 64 bits"))
    wide = wrap(b"".join(entry("k%06d" % i, tlv(0x01, b"\xff")) for i in range(30000)))
    add(Case("der-wide-dict", GROUP, wide, PLIST_VERBS, accept(), "30000 sorted keys"))
    add(Case("der-wide-array", GROUP, wrap(entry("a", tlv(SEQUENCE, tlv(0x01, b"\xff") * 200000))), PLIST_VERBS,
             accept(), "200000 booleans in one array"))
    add(Case("der-key-64k", GROUP, entitlements({"k" * 65536: True}), PLIST_VERBS, accept(), "one 64 KiB key"))
    add(Case("der-string-900k", GROUP, entitlements({"s": "v" * 900000}), PLIST_VERBS, accept(),
             "a 900 KB UTF8String"))
    valid = entitlements({"com.apple.security.app-sandbox": True, "com.example.name": "hostile"})
    add(Case("der-blob-valid", GROUP, blob(valid), PLIST_VERBS, accept(),
             "a 0xfade7172 blob whose length covers the input exactly"))
    add(Case("der-blob-length-2e32-1", GROUP, blob(valid, 0xFFFFFFFF), PLIST_VERBS,
             reject("entitlements.der_blob.truncated"), "blob length 2^32-1 is longer than the input"))
    add(Case("der-blob-length-8", GROUP, blob(valid, 8), PLIST_VERBS,
             reject("entitlements.der_blob.trailing_bytes"), "blob length 8 covers only the header; DER follows it"))
    out += truncations(valid)
    return out


def truncations(valid):
    out = [Case("der-cut-empty", GROUP, b"", PLIST_VERBS, reject("core.empty_input", 0), "nothing at all"),
           Case("der-cut-after-tag", GROUP, valid[:1], PLIST_VERBS, reject("der.header.truncated"),
                "the outer tag with no length")]
    dict_at = valid.index(bytes([DICT]))
    first_entry = dict_at + 2
    first_end = first_entry + 2 + valid[first_entry + 1]
    for name, end in (("length", 2), ("version", dict_at), ("dict-header", first_entry),
                      ("first-entry", first_end), ("last-byte", len(valid) - 1)):
        out.append(Case("der-cut-after-" + name, GROUP, valid[:end], PLIST_VERBS, reject("der.length.out_of_range", 1),
                        "cut at %d bytes: the outer length runs past the input" % end))
    b = blob(valid)
    out.append(Case("der-blob-cut-magic", GROUP, b[:3], PLIST_VERBS, reject("core.unknown_format", 0),
                    "three bytes of the blob magic are no known format"))
    for end in (8, 8 + dict_at):
        out.append(Case("der-blob-cut-%d" % end, GROUP, b[:end], PLIST_VERBS,
                        reject("entitlements.der_blob.truncated"), "the blob's length field is longer than the input"))
    return out

"""Code requirement programs (Security requirement.h ExprOp / MatchOperation): every
opcode, every match operation, generic (unknown) opcodes with their skip flags, deep
nesting, and Requirement / Requirements blobs around them."""
import struct

REQUIREMENT, REQUIREMENTS = 0xFADE0C00, 0xFADE0C01
LEAF, ROOT = 0, -1
(FALSE, TRUE, IDENT, APPLE_ANCHOR, ANCHOR_HASH, INFO_KEY_VALUE, AND, OR, CD_HASH, NOT,
 INFO_KEY_FIELD, CERT_FIELD, TRUSTED_CERT, TRUSTED_CERTS, CERT_GENERIC, APPLE_GENERIC_ANCHOR,
 ENTITLEMENT_FIELD, CERT_POLICY, NAMED_ANCHOR, NAMED_CODE, PLATFORM, NOTARIZED, CERT_FIELD_DATE,
 LEGACY_DEV_ID) = range(24)
GENERIC_FALSE, GENERIC_SKIP = 0x80000000, 0x40000000
MATCH_TIMESTAMP = range(9, 14)


def u32(v):
    return struct.pack(">I", v & 0xFFFFFFFF)


def data(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b + b"\0" * (-len(b) % 4)


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        while p > 0x7F:
            p >>= 7
            chunk.append(0x80 | (p & 0x7F))
        out += bytes(reversed(chunk))
    return bytes(out)


def match(op, operand=b"x"):
    if op in (0, 14):  # exists, absent: no operand
        return u32(op)
    if op in MATCH_TIMESTAMP:  # int64 seconds since 2001
        return u32(op) + struct.pack(">q", operand if isinstance(operand, int) else 600000000)
    return u32(op) + data(operand)


def op(code, *operands):
    return u32(code) + b"".join(operands)


def and_(*terms):
    out = terms[-1]
    for t in reversed(terms[:-1]):
        out = op(AND, t, out)
    return out


def or_(*terms):
    out = terms[-1]
    for t in reversed(terms[:-1]):
        out = op(OR, t, out)
    return out


def requirement(expr, trailing=b""):
    body = u32(1) + expr + trailing
    return struct.pack(">II", REQUIREMENT, 8 + len(body)) + body


def requirement_set(entries):
    """entries: [(type, requirement blob)] as a 0xfade0c01 SuperBlob."""
    header = 12 + 8 * len(entries)
    index, blobs, offset = b"", b"", header
    for kind, blob in entries:
        index += struct.pack(">II", kind, offset)
        blobs += blob
        offset += len(blob)
    return struct.pack(">III", REQUIREMENTS, offset, len(entries)) + index + blobs


APPLE_DEV_OID = "1.2.840.113635.100.6.2.6"
TEAM = "A1B2C3D4E5"


def expressions():
    """(name, expression bytes)."""
    cdhash = bytes(range(20))
    designated = and_(op(IDENT, data("com.example.app")), op(APPLE_GENERIC_ANCHOR),
                      op(CERT_FIELD, u32(LEAF), data("subject.OU"), match(1, TEAM)),
                      op(CERT_GENERIC, u32(1), data(oid(APPLE_DEV_OID)), match(0)))
    out = [
        ("designated", designated),
        ("adhoc-cdhash", op(CD_HASH, data(cdhash))),
        ("host", op(APPLE_ANCHOR)),
        ("precedence", and_(or_(op(IDENT, data("a")), op(IDENT, data("b.c"))),
                            op(NOT, op(INFO_KEY_FIELD, data("CFBundleVersion"), match(8, "1.0"))))),
        ("features", and_(op(ENTITLEMENT_FIELD, data("com.apple.security.app-sandbox"), match(0)),
                          op(PLATFORM, u32(2)), op(NOTARIZED), op(LEGACY_DEV_ID), op(TRUE), op(FALSE))),
        ("certs", and_(op(ANCHOR_HASH, u32(ROOT), data(cdhash)), op(TRUSTED_CERT, u32(LEAF)),
                       op(TRUSTED_CERTS), op(NAMED_ANCHOR, data("Developer ID")), op(NAMED_CODE, data("signer")),
                       op(CERT_POLICY, u32(2), data(oid("1.2.840.113635.100.5.1")), match(0)))),
        ("timestamp", op(CERT_FIELD_DATE, u32(LEAF), data(oid("1.2.840.113635.100.6.1.33")), match(10, 123456789))),
        ("legacy-info", op(INFO_KEY_VALUE, data("CFBundleIdentifier"), data("com.example"))),
        ("generic", and_(op(GENERIC_FALSE | 99, data(b"\1\2\3")), op(GENERIC_SKIP | 98, data(b"")), op(TRUE))),
        ("data-forms", and_(op(IDENT, data("has space")), op(IDENT, data("9digit")), op(IDENT, data(b"\x01\xff")),
                            op(IDENT, data("and")), op(IDENT, data("")))),
        ("deep-not", b"".join(u32(NOT) for _ in range(64)) + op(TRUE)),
        ("deep-and", and_(*[op(IDENT, data("i%d" % i)) for i in range(48)])),
    ]
    # Every match operation once.
    out.append(("matches", and_(*[op(INFO_KEY_FIELD, data("k%d" % m), match(m, "v")) for m in range(15)])))
    return out


def blobs():
    """(name, blob bytes): single requirements, sets of every type, odd shapes."""
    exprs = expressions()
    out = [("req-" + name, requirement(e)) for name, e in exprs]
    out.append(("req-trailing", requirement(op(TRUE), trailing=b"\0" * 8)))
    out.append(("req-kind-2", struct.pack(">III", REQUIREMENT, 16, 2) + b"\0" * 4))
    by_name = dict(exprs)
    out.append(("set-designated", requirement_set([(3, requirement(by_name["designated"]))])))
    out.append(("set-all-types", requirement_set([(t, requirement(e)) for t, (_, e) in zip([1, 2, 3, 4, 5, 6, 0], exprs)])))
    out.append(("set-empty", requirement_set([])))
    shared = requirement(op(TRUE))
    table = requirement_set([(1, shared), (3, shared)])
    # Both index entries at one blob (Security allows it).
    out.append(("set-shared-entry", table[:24] + struct.pack(">I", 28) + table[28:]))
    return out

"""requirements cases: requirement sets (slot 2) and the expression language they hold
(codesign-rules A13; Security requirement.h, reqreader.cpp, reqdumper.cpp). Each valid case
states the text `codesign -d -r-` prints for its program, written out by hand."""

from model import t_array, t_dict, t_int, t_str
from peers import A, P, R
from signature_common import AreaCases, accept, patch32, requirements as rq

AREA = "requirements"
CASES = AreaCases(AREA)
make, invalid = CASES.make, CASES.invalid
HOST, GUEST, DESIGNATED, LIBRARY, PLUGIN = 1, 2, 3, 4, 5
CDHASH = bytes(range(20))


def value(*entries):
    return t_array(*[t_dict(("type", t_int(kind)), ("text", t_str(text))) for kind, text in entries])


def one(expr, text, kind=DESIGNATED):
    """A set holding one requirement, and its expected value."""
    return rq.requirement_set([(kind, rq.requirement(expr))]), value((kind, text))


def valid(name, rule, expr, text, description, kind=DESIGNATED):
    data, v = one(expr, text, kind)
    return make(name, "valid", rule, data, description, accept(v))


def ident(s):
    return rq.op(rq.IDENT, rq.data(s))


def valid_cases():
    out = [
        valid("designated-developer-id", "req.text.opcodes",
              rq.and_(ident("com.example.app"), rq.op(rq.APPLE_GENERIC_ANCHOR),
                      rq.op(rq.CERT_FIELD, rq.u32(rq.LEAF), rq.data("subject.OU"), rq.match(1, rq.TEAM)),
                      rq.op(rq.CERT_GENERIC, rq.u32(1), rq.data(rq.oid(rq.APPLE_DEV_OID)), rq.match(0))),
              'identifier "com.example.app" and anchor apple generic and certificate leaf[subject.OU] = A1B2C3D4E5 '
              'and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */',
              "the designated requirement codesign writes for a Developer ID team"),
        valid("adhoc-cdhash", "req.text.opcodes", rq.op(rq.CD_HASH, rq.data(CDHASH)),
              'cdhash H"000102030405060708090a0b0c0d0e0f10111213"', "an ad-hoc signature's cdhash requirement"),
        valid("host-anchor-apple", "req.text.opcodes", rq.op(rq.APPLE_ANCHOR), "anchor apple",
              "a host requirement", kind=HOST),
        valid("always-never", "req.text.opcodes", rq.or_(rq.op(rq.TRUE), rq.op(rq.FALSE)), "always or never",
              "opTrue and opFalse"),
        valid("and-inside-or", "req.text.precedence", rq.or_(rq.and_(ident("a"), ident("b")), ident("c")),
              "identifier a and identifier b or identifier c", "and binds tighter than or: no parentheses"),
        valid("or-inside-and", "req.text.precedence", rq.and_(rq.or_(ident("a"), ident("b")), ident("c")),
              "(identifier a or identifier b) and identifier c", "an or inside an and is parenthesised"),
        valid("not-of-and", "req.text.precedence", rq.op(rq.NOT, rq.and_(ident("a"), ident("b"))),
              "! (identifier a and identifier b)", "an and inside ! is parenthesised"),
        valid("not-of-ident", "req.text.precedence", rq.op(rq.NOT, ident("a")), "! identifier a",
              "! of a primary needs no parentheses"),
        valid("info-key-begins-with", "req.text.matches",
              rq.op(rq.INFO_KEY_FIELD, rq.data("CFBundleVersion"), rq.match(3, "1.")),
              'info[CFBundleVersion] = "1."*', "beginsWith: the star follows the quoted operand"),
        valid("info-key-ends-with", "req.text.matches",
              rq.op(rq.INFO_KEY_FIELD, rq.data("CFBundleName"), rq.match(4, "app")),
              "info[CFBundleName] = *app", "endsWith: the star precedes a bare operand"),
        valid("entitlement-exists", "req.text.matches",
              rq.op(rq.ENTITLEMENT_FIELD, rq.data("com.apple.security.app-sandbox"), rq.match(0)),
              'entitlement["com.apple.security.app-sandbox"] /* exists */',
              "a key with '-' is quoted even inside brackets, where only '.' joins letters and digits"),
        valid("entitlement-dotted-key-bare", "req.text.data",
              rq.op(rq.ENTITLEMENT_FIELD, rq.data("com.apple.developer.team1"), rq.match(1, "T")),
              "entitlement[com.apple.developer.team1] = T", "a dotted key is bare inside brackets"),
        valid("entitlement-absent", "req.text.matches",
              rq.op(rq.ENTITLEMENT_FIELD, rq.data("k"), rq.match(14)), "entitlement[k] absent ",
              "matchAbsent prints with the trailing space Apple's dumper gives it"),
        valid("contains-and-compare", "req.text.matches",
              rq.and_(rq.op(rq.INFO_KEY_FIELD, rq.data("a"), rq.match(2, "x")),
                      rq.op(rq.INFO_KEY_FIELD, rq.data("b"), rq.match(5, "y")),
                      rq.op(rq.INFO_KEY_FIELD, rq.data("c"), rq.match(8, "z"))),
              "info[a] ~ x and info[b] < y and info[c] >= z", "contains, less-than and greater-or-equal"),
        valid("quoted-identifier", "req.text.data", ident("com.example.app"), 'identifier "com.example.app"',
              "a dotted identifier is quoted (dots are bare only in keys)"),
        valid("reserved-word-quoted", "req.text.data", ident("and"), 'identifier "and"',
              "a reserved word is quoted"),
        valid("digit-first-quoted", "req.text.data", ident("9lives"), 'identifier "9lives"',
              "a word starting with a digit is quoted"),
        valid("non-ascii-as-hex", "req.text.data", ident(b"\x01\xff"), "identifier 0x01ff",
              "bytes that are not printable print as hex"),
        valid("quote-escaped", "req.text.data", ident('a"b'), 'identifier "a\\"b"', "a quote is escaped"),
        valid("empty-data", "req.text.data", ident(""), 'identifier ""', "empty data prints as \"\""),
        valid("certificate-root-trusted", "req.text.opcodes",
              rq.and_(rq.op(rq.ANCHOR_HASH, rq.u32(rq.ROOT), rq.data(CDHASH)), rq.op(rq.TRUSTED_CERT, rq.u32(rq.LEAF))),
              'certificate root = H"000102030405060708090a0b0c0d0e0f10111213" and certificate leaftrusted',
              "anchor hash on the root; opTrustedCert prints with no space, as Apple's dumper does"),
        valid("platform-notarized-legacy", "req.text.opcodes",
              rq.and_(rq.op(rq.PLATFORM, rq.u32(2)), rq.op(rq.NOTARIZED), rq.op(rq.LEGACY_DEV_ID)),
              "platform = 2 and notarized and legacy", "opPlatform, opNotarized, opLegacyDevID"),
        valid("named-anchor-and-code", "req.text.opcodes",
              rq.and_(rq.op(rq.NAMED_ANCHOR, rq.data("Developer ID")), rq.op(rq.NAMED_CODE, rq.data("signer"))),
              'anchor apple "Developer ID" and (signer)', "opNamedAnchor and opNamedCode"),
        valid("generic-false-opcode", "req.opcodes.unknown",
              rq.or_(rq.op(rq.GENERIC_FALSE | 99, rq.u32(3) + b"\1\2\3"), rq.op(rq.TRUE)),
              "false /* opcode 99 */ or always",
              "an unknown opcode with opGenericFalse: skipped by its length, false (A13 #13.2)"),
        valid("generic-skip-opcode", "req.opcodes.unknown",
              rq.op(rq.GENERIC_SKIP | 98, rq.u32(0)) + rq.op(rq.TRUE), "/* opcode 98 */ always",
              "an unknown opcode with opGenericSkip: skipped, the next expression stands in its place"),
        valid("depth-999", "req.depth", b"".join(rq.u32(rq.NOT) for _ in range(998)) + rq.op(rq.TRUE),
              "! " * 998 + "always", "998 nested ! and a leaf: 999 levels, the most Security's stackLimit allows"),
    ]
    everyone = rq.requirement_set([(kind, rq.requirement(ident("t%d" % kind))) for kind in (1, 2, 3, 4, 5)])
    out.append(make("set-every-type", "valid", "req.set.layout", everyone,
                    "host, guest, designated, library and plugin entries",
                    accept(value(*[(kind, "identifier t%d" % kind) for kind in (1, 2, 3, 4, 5)]))))
    out.append(make("set-empty", "valid", "req.set.layout", rq.requirement_set([]), "a set with no entries",
                    accept(value())))
    shared = rq.requirement_set([(HOST, rq.requirement(rq.op(rq.TRUE))), (DESIGNATED, rq.requirement(rq.op(rq.TRUE)))])
    shared = patch32(shared, 24, 28)  # the second entry points at the first blob
    out.append(make("set-shared-blob", "valid", "req.set.layout", shared,
                    "two entries at one blob (Security's SuperBlob allows it)",
                    accept(value((HOST, "always"), (DESIGNATED, "always")))))
    trailing = rq.requirement(rq.op(rq.TRUE), trailing=b"\0" * 8)
    out.append(make("trailing-bytes", "valid", "req.set.layout", rq.requirement_set([(DESIGNATED, trailing)]),
                    "8 bytes after the expression inside the requirement's length: Security ignores them",
                    accept(value((DESIGNATED, "always")))))
    return out


def invalid_cases():
    good = rq.requirement_set([(DESIGNATED, rq.requirement(rq.op(rq.TRUE)))])
    n = len(good)
    return [
        invalid("bad-set-magic", "req.set.layout", rq.requirement(rq.op(rq.TRUE)),
                "a single requirement 0xfade0c00 where the set should be", "requirements.blob.bad_magic"),
        invalid("set-length-past-buffer", "req.set.layout", patch32(good, 4, n + 4),
                "the set's length runs past the input", "requirements.blob.bad_length"),
        invalid("set-count-past-length", "req.set.layout", patch32(good, 8, 0x20000000),
                "count 0x20000000: 12 + 8*count wraps in 32 bits", "requirements.set.count_out_of_range",
                peers=P(rcodesign=R("Vec::with_capacity(count)"))),
        invalid("set-offset-past-length", "req.set.layout", patch32(good, 16, n),
                "an entry offset at the end of the set", "requirements.set.offset_out_of_range"),
        invalid("set-offset-zero", "req.set.layout", patch32(good, 16, 0),
                "offset 0: Security's SuperBlob treats it as unused, but its dumper then dereferences it",
                "requirements.set.offset_out_of_range", "ambiguous"),
        invalid("requirement-length-past-set", "req.set.layout", patch32(good, 24, 64),
                "a requirement whose length runs past the set", "requirements.blob.bad_length"),
        invalid("kind-lwcr", "req.kind", patch32(good, 28, 2),
                "kind 2, the DER lightweight code requirement: not an expression program (A13 #13.1)",
                "requirements.kind.unsupported", "unrepresentable"),
        invalid("unknown-opcode", "req.opcodes.unknown",
                rq.requirement_set([(DESIGNATED, rq.requirement(rq.op(77)))]),
                "opcode 77 without a skip flag: errSecCSUnimplemented (A13 #13.2)", "requirements.opcode.unknown",
                peers=P(rcodesign=A(note="ignores the opcode flags (A13 #13.3)"))),
        invalid("unknown-match", "req.text.matches",
                rq.requirement_set([(DESIGNATED, rq.requirement(rq.op(rq.INFO_KEY_FIELD, rq.data("k"),
                                                                       rq.u32(15))))]),
                "match operation 15: no such match", "requirements.match.unknown"),
        invalid("data-length-0xffffffff", "req.data",
                rq.requirement_set([(DESIGNATED, rq.requirement(rq.op(rq.IDENT, rq.u32(0xFFFFFFFF))))]),
                "a data operand of length 0xffffffff: go-macho's RoundUp(len, 4) wraps to 0 and panics (A13 #13.4)",
                "requirements.data.out_of_range", peers=P(gomacho=R("panic: data[:len] out of range"))),
        invalid("truncated-expression", "req.data",
                rq.requirement_set([(DESIGNATED, rq.requirement(rq.u32(rq.AND) + rq.op(rq.TRUE)))]),
                "an and with one operand: the program ends early", "requirements.expr.truncated"),
        invalid("depth-1000", "req.depth",
                rq.requirement_set([(DESIGNATED, rq.requirement(b"".join(rq.u32(rq.NOT) for _ in range(999)) +
                                                                rq.op(rq.TRUE)))]),
                "999 nested ! and a leaf: 1000 levels, past Security's stackLimit; go-macho and rcodesign recurse "
                "without a bound (A13 #13.3, #13.4)", "requirements.depth.limit", "limit"),
    ]


def cases():
    return valid_cases() + invalid_cases()

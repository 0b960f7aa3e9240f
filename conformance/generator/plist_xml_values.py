"""plist-xml cases about values: dicts and keys, integers, reals, dates, data, booleans,
strings, nesting depth, and typical entitlement files.

Peer behaviours are plist-behaviours table A1; the kernel's OSUnserializeXML has no <real>
and no <date> element, so every accepted real or date is a differential case."""

from model import t_array, t_data, t_date, t_dict, t_int, t_real, t_str, t_uid
from peers import P, A, AU, R, crash, unknown
from plist_xml_common import FALSE, TRUE, W, bad, make, ok

NO_REAL = R("no <real> element")
NO_DATE = R("no <date> element")


def I(text):
    return W("<integer>" + text + "</integer>")


def RL(text):
    return W("<real>" + text + "</real>")


def D(text):
    return W("<date>" + text + "</date>")


def B(text):
    return W("<data>" + text + "</data>")


def cf_lenient_base64(text):
    """CoreFoundation's parseDataTag reading of base64 text, as docs/plist-xml.md describes
    it: '=' counts as a zero digit and marks bytes to drop, other ASCII outside the alphabet
    is skipped, an incomplete final quantum is dropped."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = bytearray()
    acc = count = equals = 0
    for ch in text:
        if ch == "=":
            equals += 1
            digit = 0
        elif ch in alphabet:
            equals = 0
            digit = alphabet.index(ch)
        else:
            if not ch.isspace():
                equals = 0
            continue
        acc = ((acc << 6) | digit) & 0xFFFFFF
        count += 1
        if count % 4 == 0:
            out.append((acc >> 16) & 0xFF)
            if equals < 2:
                out.append((acc >> 8) & 0xFF)
            if equals < 1:
                out.append(acc & 0xFF)
    return bytes(out)


def dicts():
    inv = "invalid"
    a2 = t_dict(("a", t_int(2)))
    x121 = t_dict(("a", FALSE), ("b", TRUE))
    big_keys = "".join("<key>k%d</key><integer>%d</integer>" % (i, i) for i in range(20))
    big_last = t_dict(*[("k%d" % i, t_int(99 if i == 0 else i)) for i in range(20)])
    return [
        make("x110-duplicate-key", inv, "xml.key.duplicate",
             W("<dict><key>a</key><integer>1</integer><key>a</key><integer>2</integer></dict>"),
             "a key twice: everyone keeps the last value but the kernel, which rejects the document (A1 #58)",
             bad("plist_xml.duplicate_key", "ambiguous"), ok(a2),
             P(cf=A(a2, "CFDictionarySetValue (L1532)"), lp=A(a2, "replaced in place (plist.c:1314ff)"),
               kernel=R("duplicate dictionary key"), py=A(a2), go=A(a2)),
             ref="x110"),
        make("x121-duplicate-key-not-adjacent", inv, "xml.key.duplicate",
             W("<dict><key>a</key><true/><key>b</key><true/><key>a</key><false/></dict>"),
             "a repeated key two entries later; the last value stays at the first key's place",
             bad("plist_xml.duplicate_key", "ambiguous"), ok(x121),
             P(cf=A(x121), lp=A(x121), kernel=R("duplicate dictionary key"), py=A(x121), go=A(x121)), ref="x121"),
        make("duplicate-key-flips-sandbox", inv, "xml.key.duplicate",
             W("<dict><key>com.apple.security.app-sandbox</key><true/>"
               "<key>com.apple.security.app-sandbox</key><false/></dict>"),
             "app-sandbox true then false: CF reads false, the kernel refuses the document",
             bad("plist_xml.duplicate_key", "ambiguous"), ok(t_dict(("com.apple.security.app-sandbox", FALSE)))),
        make("duplicate-key-nested", inv, "xml.key.duplicate",
             W("<dict><key>o</key><dict><key>x</key><true/><key>x</key><true/></dict></dict>"),
             "a duplicate key in a nested dict", bad("plist_xml.duplicate_key", "ambiguous"),
             ok(t_dict(("o", t_dict(("x", TRUE)))))),
        make("duplicate-key-in-large-dict", inv, "xml.key.duplicate",
             W("<dict>" + big_keys + "<key>k0</key><integer>99</integer></dict>"),
             "the first of 20 keys repeated at the end", bad("plist_xml.duplicate_key", "ambiguous"), ok(big_last)),
        make("x111-key-key-value", inv, "xml.dict.pairs",
             W("<dict><key>a</key><key>b</key><string>v</string></dict>"),
             "two keys in a row: go-plist silently drops the first (A1 #59)",
             bad("plist_xml.dict_missing_value", "ambiguous"), None,
             P(cf=R("the second key becomes the value: Found non-key"), lp=R("missing key name"), kernel=R(),
               py=R(), go=A(t_dict(("b", t_str("v"))), "key = &k (xml_parser.go:168)")),
             ref="x111"),
        make("x115-key-without-value", inv, "xml.dict.pairs", W("<dict><key>a</key></dict>"),
             "a last key without a value: libplist drops it (A1 #61)", bad("plist_xml.dict_missing_value", "ambiguous"),
             None, P(cf=R("Value missing"), lp=A(t_dict(), "key silently dropped"), kernel=R(), py=R(), go=R()),
             ref="x115"),
        make("value-without-key", inv, "xml.dict.pairs", W("<dict><string>helo</string></dict>"),
             "a dict value without its key (go-plist xml_test illegal document)",
             bad("plist_xml.dict_value_without_key", "malformed")),
        make("container-without-key", inv, "xml.dict.pairs", W("<dict><array><foo/></array></dict>"),
             "an array in a dict without a key", bad("plist_xml.dict_value_without_key", "malformed")),
        make("x112-key-in-array", inv, "xml.key.outside-dict", W("<array><key>k</key></array>"),
             "<key> inside an array: CF and libplist read a string (A1 #60)",
             bad("plist_xml.key_outside_dict", "ambiguous"), ok(t_array(t_str("k"))),
             P(cf=A(t_array(t_str("k")), "keys parse as strings outside a dict"), lp=A(t_array(t_str("k"))),
               kernel=R(), py=R(), go=R()),
             ref="x112"),
        make("x113-key-as-root", inv, "xml.key.outside-dict", W("<key>k</key>"), "<key> as the root value (A1 #60)",
             bad("plist_xml.key_outside_dict", "ambiguous"), ok(t_str("k")),
             P(cf=A(t_str("k")), lp=A(t_str("k")), kernel=R(), py=crash("IndexError instead of InvalidFileException"),
               go=R()),
             ref="x113"),
        make("x119-key-self-closing", inv, "xml.key.empty", W("<dict><key/><string>v</string></dict>"),
             "<key/>: the kernel's grammar has no empty key (A1 #62)", bad("plist_xml.empty_key", "ambiguous"),
             ok(t_dict(("", t_str("v")))),
             P(cf=A(t_dict(("", t_str("v")))), lp=R(), kernel=R("empty key is a syntax error"),
               py=A(t_dict(("", t_str("v")))), go=A(t_dict(("", t_str("v"))))),
             ref="x119"),
        make("key-empty-element", inv, "xml.key.empty", W("<dict><key></key><true/></dict>"), "<key></key>",
             bad("plist_xml.empty_key", "ambiguous"), ok(t_dict(("", TRUE)))),
        make("key-whitespace-only", "valid", "xml.key.text", W("<dict><key> </key><true/></dict>"),
             "a key that is one space is kept as it is", ok(t_dict((" ", TRUE)))),
        make("x118-cf-uid-dict", "differential", "xml.dict.cf-uid",
             W("<dict><key>CF$UID</key><integer>7</integer></dict>"),
             "{CF$UID: 7}: a UID to CF, libplist and go-plist, a dict to the kernel and plistlib (A1 #64)", None, None,
             P(cf=A(t_uid(7), "L1560"), lp=A(t_uid(7), "xplist.c:1569-1585"),
               kernel=A(t_dict(("CF$UID", t_int(7)))), py=A(t_dict(("CF$UID", t_int(7)))),
               go=A(t_uid(7), "maybeUID")),
             ref="x118"),
        make("nested-containers", "valid", "xml.structure.nesting",
             W("<dict><key>a</key><array><dict/><array/><dict><key>b</key><false/></dict></array></dict>"),
             "dicts and arrays inside each other, empty ones self-closing",
             ok(t_dict(("a", t_array(t_dict(), t_array(), t_dict(("b", FALSE)))))))
    ]


def integers():
    inv = "invalid"
    return [
        make("integer-zero", "valid", "xml.integer.decimal", I("0"), "0", ok(t_int(0))),
        make("integer-42", "valid", "xml.integer.decimal", I("42"), "42", ok(t_int(42))),
        make("integer-minus-one", "valid", "xml.integer.decimal", I("-1"), "-1", ok(t_int(-1))),
        make("integer-int64-max", "valid", "xml.integer.decimal", I("9223372036854775807"), "2^63-1",
             ok(t_int(2**63 - 1))),
        make("integer-int64-max-plus-one", "valid", "xml.integer.decimal", I("9223372036854775808"),
             "2^63, in the unsigned half of the range", ok(t_int(2**63))),
        make("x50-integer-uint64-max", "valid", "xml.integer.decimal", I("18446744073709551615"), "2^64-1 (A1 #40)",
             ok(t_int(2**64 - 1)), None,
             P(cf=A(t_int(2**64 - 1)), lp=A(t_int(2**64 - 1)), py=A(t_int(2**64 - 1)), go=A(t_int(2**64 - 1))),
             ref="x50"),
        make("x51-integer-int64-min", "valid", "xml.integer.decimal", I("-9223372036854775808"), "-2^63 (A1 #40)",
             ok(t_int(-2**63)), None,
             P(cf=A(t_int(-2**63)), lp=A(t_int(-2**63)), py=A(t_int(-2**63)), go=A(t_int(-2**63))), ref="x51"),
        make("x40-integer-spaces-around", inv, "xml.integer.whitespace", I(" 5 "), "' 5 ' (A1 #29)",
             bad("plist_xml.integer_whitespace", "ambiguous"), None,
             P(cf=R("trailing whitespace is an unknown character (L1958)"), lp=A(t_int(5), "trimmed"), kernel=R(),
               py=A(t_int(5)), go=R()),
             ref="x40"),
        make("x41-integer-leading-space", inv, "xml.integer.whitespace", I(" 5"), "' 5' (A1 #30)",
             bad("plist_xml.integer_whitespace", "ambiguous"), ok(t_int(5)),
             P(cf=A(t_int(5)), lp=A(t_int(5)), kernel=R(), py=A(t_int(5)), go=R()), ref="x41"),
        make("x42-integer-trailing-space", inv, "xml.integer.whitespace", I("5 "), "'5 ' (A1 #30)",
             bad("plist_xml.integer_whitespace", "ambiguous"), None,
             P(cf=R(), lp=A(t_int(5)), kernel=R(), py=A(t_int(5)), go=R()), ref="x42"),
        make("x60-integer-space-after-sign", inv, "xml.integer.whitespace", I("- 5"), "'- 5' (A1 #37)",
             bad("plist_xml.integer_whitespace", "ambiguous"), ok(t_int(-5)),
             P(cf=A(t_int(-5), "whitespace after the sign is skipped (L1905-1908)"), lp=A(t_int(-5)), kernel=R(),
               py=R(), go=R()),
             ref="x60"),
        make("x43-integer-hex", inv, "xml.integer.hex", I("0x1F"), "0x1F: read alike, but its variants split (A1 #31)",
             bad("plist_xml.integer_hex", "noncanonical"), ok(t_int(31)),
             P(cf=A(t_int(31)), lp=A(t_int(31)), kernel=A(t_int(31)), py=A(t_int(31)), go=A(t_int(31))), ref="x43"),
        make("x44-integer-hex-upper-x", inv, "xml.integer.hex", I("0X1f"), "0X1f (A1 #31)",
             bad("plist_xml.integer_hex", "ambiguous"), ok(t_int(31)),
             P(cf=A(t_int(31)), lp=A(t_int(31)), kernel=R("only x"), py=A(t_int(31)), go=A(t_int(31))), ref="x44"),
        make("x59-integer-hex-upper-digits", inv, "xml.integer.hex", I("0xAB"), "0xAB (A1 #31)",
             bad("plist_xml.integer_hex", "ambiguous"), ok(t_int(171)),
             P(cf=A(t_int(171)), lp=A(t_int(171)), kernel=R("only a-f"), py=A(t_int(171)), go=A(t_int(171))),
             ref="x59"),
        make("x45-integer-negative-hex", inv, "xml.integer.hex", I("-0x10"), "-0x10 (A1 #32)",
             bad("plist_xml.integer_hex", "ambiguous"), ok(t_int(-16)),
             P(cf=A(t_int(-16)), lp=A(t_int(-16)), kernel=R(), py=R("int('-0x10')"), go=A(t_int(-16))), ref="x45"),
        make("y04-integer-hex-no-digits", inv, "xml.integer.hex", I("0x"), "0x without digits (A1 #42)",
             bad("plist_xml.integer_hex", "ambiguous"), bad("plist_xml.integer_syntax", "ambiguous"),
             P(cf=R("Incomplete"), lp=R(), kernel=A(t_int(0)), py=R(), go=R()), ref="y04"),
        make("integer-hex-beyond-64-bits", inv, "xml.integer.hex", I("0x10000000000000000"), "hex 2^64",
             bad("plist_xml.integer_hex", "noncanonical"), bad("plist_xml.integer_out_of_range", "ambiguous")),
        make("x46-integer-leading-zero-octal", inv, "xml.integer.leading-zero", I("010"),
             "010: libplist reads octal 8, everyone else 10 (A1 #33)",
             bad("plist_xml.integer_leading_zero", "ambiguous"), ok(t_int(10)),
             P(cf=A(t_int(10)), lp=A(t_int(8), "strtoull(str, &endp, 0) (xplist.c:1264)"), kernel=A(t_int(10)),
               py=A(t_int(10)), go=A(t_int(10))),
             ref="x46"),
        make("y07-integer-leading-zero-08", inv, "xml.integer.leading-zero", I("08"), "08: invalid octal (A1 #34)",
             bad("plist_xml.integer_leading_zero", "ambiguous"), ok(t_int(8)),
             P(cf=A(t_int(8)), lp=R("invalid octal"), kernel=A(t_int(8)), py=A(t_int(8)), go=A(t_int(8))), ref="y07"),
        make("x47-integer-plus-sign", inv, "xml.integer.plus", I("+5"), "+5 (A1 #35)",
             bad("plist_xml.integer_plus_sign", "ambiguous"), ok(t_int(5)),
             P(cf=A(t_int(5)), lp=A(t_int(5)), kernel=R(), py=A(t_int(5)), go=R()), ref="x47"),
        make("x55-integer-plus-minus", inv, "xml.integer.plus", I("+-5"),
             "+-5: libplist strips '+' and wraps strtoull(\"-5\") (A1 #36)",
             bad("plist_xml.integer_plus_sign", "ambiguous"), bad("plist_xml.integer_syntax", "ambiguous"),
             P(cf=R(), lp=A(t_int(18446744073709551611)), kernel=R(), py=R(), go=R()), ref="x55"),
        make("x56-integer-zero-minus-five", inv, "xml.integer.syntax", I("0-5"),
             "0-5: the kernel reads -5 (A1 #38)", bad("plist_xml.integer_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=A(t_int(-5), "getNumber: base 10, then '-' sets negate"), py=R(), go=R()),
             ref="x56"),
        make("x53-integer-underscore", inv, "xml.integer.syntax", I("1_000"), "1_000: Python's int() reads 1000 (A1 #41)",
             bad("plist_xml.integer_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=R(), py=A(t_int(1000)), go=R()), ref="x53"),
        make("integer-lone-minus", inv, "xml.integer.syntax", I("-"), "a lone '-'",
             bad("plist_xml.integer_syntax", "malformed")),
        make("integer-character-reference", inv, "xml.integer.syntax", I("&#49;"),
             "&#49; as the digits: an XML parser decodes it to 1 before the integer grammar sees it",
             bad("plist_xml.integer_syntax", "ambiguous")),
        make("integer-negative-zero", inv, "xml.integer.negative-zero", I("-0"), "-0: one value, one spelling",
             bad("plist_xml.integer_negative_zero", "noncanonical"), ok(t_int(0))),
        make("x49-integer-2-pow-64", inv, "xml.integer.range", I("18446744073709551616"),
             "2^64: the kernel wraps, plistlib keeps an unbounded int (A1 #39)",
             bad("plist_xml.integer_out_of_range", "ambiguous"), None,
             P(cf=R("Integer overflow (L1966)"), lp=R("ERANGE"), kernel=A(t_int(0), "wraps: getNumber has no overflow check"),
               py=AU("integer outside the schema's range", "18446744073709551616"), go=R()),
             ref="x49"),
        make("x52-integer-below-int64-min", inv, "xml.integer.range", I("-9223372036854775809"), "-2^63-1 (A1 #40)",
             bad("plist_xml.integer_out_of_range", "ambiguous"), None,
             P(cf=R("underflow (L1976)"), lp=R(), kernel=A(note="wraps"),
               py=AU("integer outside the schema's range", "-9223372036854775809"), go=R()),
             ref="x52"),
        make("x54-integer-empty", inv, "xml.integer.empty", I(""), "<integer></integer>: the kernel reads 0 (A1 #42)",
             bad("plist_xml.integer_empty", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=A(t_int(0), "TAG_EMPTY sets 0"), py=R(), go=R()), ref="x54"),
        make("x61-integer-self-closing", inv, "xml.integer.empty", W("<integer/>"), "<integer/> (A1 #42)",
             bad("plist_xml.integer_empty", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=A(t_int(0), "TAG_EMPTY sets 0"), py=R(), go=R()), ref="x61"),
    ]


def reals():
    inv = "invalid"
    nan, inf, ninf = t_real(float("nan")), t_real(float("inf")), t_real(float("-inf"))

    def diff(name, text, value, description, ref=None, full_peers=False):
        peers = P(cf=A(value), lp=A(value), kernel=NO_REAL, py=A(value), go=A(value)) if full_peers else P(kernel=NO_REAL)
        return make(name, "differential", "xml.real.kernel-has-none", RL(text), description, None, None, peers, ref=ref)

    return [
        diff("real-1.5", "1.5", t_real(1.5), "<real>1.5</real>: the kernel has no <real> element", full_peers=True),
        diff("real-negative-zero", "-0.0", t_real(-0.0), "-0.0 keeps its sign"),
        diff("real-point-five-exponent", ".5e1", t_real(5.0), ".5e1"),
        diff("real-trailing-point", "5.", t_real(5.0), "5."),
        diff("real-integer-text", "42", t_real(42.0), "42 as a real"),
        diff("real-underflow-to-zero", "1e-400", t_real(0.0), "1e-400 rounds to 0"),
        make("x70-real-nan", inv, "xml.real.nonfinite", RL("nan"), "nan (A1 #43)",
             bad("plist_xml.real_nonfinite", "ambiguous"), ok(nan),
             P(cf=A(nan, "case-insensitive list (L1810-1816)"), lp=R("!isfinite (xplist.c:1344)"), kernel=NO_REAL,
               py=A(nan), go=A(nan)),
             ref="x70"),
        make("x71-real-nan-mixed-case", inv, "xml.real.nonfinite", RL("NaN"), "NaN (A1 #43)",
             bad("plist_xml.real_nonfinite", "ambiguous"), ok(nan),
             P(cf=A(nan), lp=R(), kernel=NO_REAL, py=A(nan), go=A(nan)), ref="x71"),
        make("x72-real-inf", inv, "xml.real.nonfinite", RL("inf"), "inf (A1 #43)",
             bad("plist_xml.real_nonfinite", "ambiguous"), ok(inf),
             P(cf=A(inf), lp=R(), kernel=NO_REAL, py=A(inf), go=A(inf)), ref="x72"),
        make("x77-real-minus-infinity", inv, "xml.real.nonfinite", RL("-infinity"), "-infinity (A1 #43)",
             bad("plist_xml.real_nonfinite", "ambiguous"), ok(ninf),
             P(cf=A(ninf), lp=R(), kernel=NO_REAL, py=A(ninf), go=A(ninf)), ref="x77"),
        make("real-plus-infinity", inv, "xml.real.grammar", RL("+infinity"), "+infinity",
             bad("plist_xml.real_syntax", "ambiguous"), ok(inf)),
        make("x73-real-overflow", inv, "xml.real.range", RL("1e400"), "1e400: plistlib reads inf (A1 #44)",
             bad("plist_xml.real_out_of_range", "ambiguous"), ok(inf),
             P(cf=unknown("__CFStringScanDouble not read"), lp=R(), kernel=NO_REAL, py=A(inf), go=R()), ref="x73"),
        make("real-negative-overflow", inv, "xml.real.range", RL("-1e400"), "-1e400",
             bad("plist_xml.real_out_of_range", "ambiguous"), ok(ninf)),
        make("x74-real-hex-float", inv, "xml.real.grammar", RL("0x1p3"), "0x1p3 (A1 #44)",
             bad("plist_xml.real_syntax", "ambiguous"), None,
             P(cf=unknown("__CFStringScanDouble not read"), lp=A(t_real(8.0)), kernel=NO_REAL, py=R(),
               go=A(t_real(8.0))),
             ref="x74"),
        make("x75-real-spaces-around", inv, "xml.real.grammar", RL(" 1.5 "), "' 1.5 ' (A1 #44)",
             bad("plist_xml.real_syntax", "ambiguous"), ok(t_real(1.5)),
             P(cf=unknown("__CFStringScanDouble not read"), lp=A(t_real(1.5)), kernel=NO_REAL, py=A(t_real(1.5)),
               go=R()),
             ref="x75"),
        make("real-plus-sign", inv, "xml.real.grammar", RL("+1.5"), "+1.5", bad("plist_xml.real_syntax", "ambiguous"),
             ok(t_real(1.5))),
        make("real-exponent-without-digits", inv, "xml.real.grammar", RL("1e"), "1e",
             bad("plist_xml.real_syntax", "malformed")),
        make("real-two-points", inv, "xml.real.grammar", RL("1.5.3"), "1.5.3",
             bad("plist_xml.real_syntax", "malformed")),
        make("real-empty", inv, "xml.real.grammar", W("<real/>"), "<real/>", bad("plist_xml.real_syntax", "malformed")),
    ]


def dates():
    inv = "invalid"
    d2020 = t_date(2020, 1, 1)
    return [
        make("x80-date", "differential", "xml.date.kernel-has-none", D("2020-01-01T00:00:00Z"),
             "a date: the kernel has no <date> element (A1 #45)", None, None,
             P(cf=A(d2020), lp=A(d2020), kernel=NO_DATE, py=A(d2020), go=A(d2020)), ref="x80"),
        make("date-leap-day", "differential", "xml.date.kernel-has-none", D("2000-02-29T00:00:00Z"),
             "29 February of a leap year", None, None, P(kernel=NO_DATE)),
        make("date-last-second-of-9999", "differential", "xml.date.kernel-has-none", D("9999-12-31T23:59:59Z"),
             "the last second the strict grammar reads", None, None, P(kernel=NO_DATE)),
        make("x81-date-without-z", inv, "xml.date.grammar", D("2020-01-01T00:00:00"), "no Z (A1 #46)",
             bad("plist_xml.date_syntax", "malformed"), None,
             P(cf=R("ss then Z (L1701-1750)"), lp=R("strptime %Y-%m-%dT%H:%M:%SZ (xplist.c:393)"), kernel=NO_DATE,
               py=crash("AttributeError instead of InvalidFileException"), go=R()),
             ref="x81"),
        make("x82-date-offset", inv, "xml.date.grammar", D("2020-01-01T00:00:00+00:00"),
             "+00:00 instead of Z: go-plist reads RFC 3339 (A1 #46)", bad("plist_xml.date_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=NO_DATE, py=crash("AttributeError instead of InvalidFileException"),
               go=A(d2020, "RFC 3339 (xml_parser.go:123)")),
             ref="x82"),
        make("x83-date-fraction", inv, "xml.date.grammar", D("2020-01-01T00:00:00.5Z"), ".5Z (A1 #46)",
             bad("plist_xml.date_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=NO_DATE, py=R(), go=A({"type": "date", "value": "2020-01-01T00:00:00.5Z"})),
             ref="x83"),
        make("x84-date-month-13", inv, "xml.date.range", D("2020-13-01T00:00:00Z"), "month 13 (A1 #47)",
             bad("plist_xml.date_out_of_range", "ambiguous"), None,
             P(cf=A(note="parseDateTag does no range check; CFGregorianDateGetAbsoluteTime not read"), lp=R(),
               kernel=NO_DATE, py=R(), go=R()),
             ref="x84"),
        make("x88-date-february-30", inv, "xml.date.range", D("2021-02-30T00:00:00Z"),
             "30 February: libplist normalises it to 2 March (A1 #47)", bad("plist_xml.date_out_of_range", "ambiguous"),
             None,
             P(cf=A(note="no range check"), lp=A(t_date(2021, 3, 2), "normalised"), kernel=NO_DATE, py=R(), go=R()),
             ref="x88"),
        make("date-1900-february-29", inv, "xml.date.range", D("1900-02-29T00:00:00Z"), "29 February 1900 (not leap)",
             bad("plist_xml.date_out_of_range", "malformed")),
        make("date-hour-24", inv, "xml.date.range", D("2020-01-01T24:00:00Z"), "hour 24",
             bad("plist_xml.date_out_of_range", "malformed")),
        make("date-second-60", inv, "xml.date.range", D("2020-01-01T00:00:60Z"), "second 60",
             bad("plist_xml.date_out_of_range", "malformed")),
        make("x86-date-trailing-junk", inv, "xml.date.grammar", D("2020-01-01T00:00:00Zjunk"),
             "text after Z: plistlib uses match, not fullmatch (A1 #48)", bad("plist_xml.date_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=NO_DATE, py=A(d2020, "_dateParser.match (plistlib.py:145)"), go=R()), ref="x86"),
        make("x87-date-spaces-around", inv, "xml.date.grammar", D(" 2020-01-01T00:00:00Z "),
             "whitespace around the date: libplist trims (A1 #49)", bad("plist_xml.date_syntax", "ambiguous"), None,
             P(cf=R(), lp=A(d2020, "trimmed"), kernel=NO_DATE, py=R(), go=R()), ref="x87"),
        make("y13-date-only", inv, "xml.date.grammar", D("2020-01-01Z"), "a date without a time (A1 #50)",
             bad("plist_xml.date_syntax", "ambiguous"), None,
             P(cf=R(), lp=R(), kernel=NO_DATE, py=A(d2020), go=R()), ref="y13"),
        make("x85-date-year-only", inv, "xml.date.grammar", D("2020Z"), "2020Z (A1 #50)",
             bad("plist_xml.date_syntax", "malformed"), None,
             P(cf=R(), lp=R(), kernel=NO_DATE, py=crash("TypeError instead of InvalidFileException"), go=R()), ref="x85"),
        make("x89-date-negative-year", inv, "xml.date.grammar", D("-0001-01-01T00:00:00Z"),
             "year -1: only CF reads signed years (A1 #51)", bad("plist_xml.date_syntax", "ambiguous"),
             ok(t_date(-1, 1, 1)),
             P(cf=A(t_date(-1, 1, 1), "yearIsNegative, unbounded digits (L1708-1714)"), lp=R(), kernel=NO_DATE,
               py=R(), go=R()),
             ref="x89"),
        make("x90-date-five-digit-year", inv, "xml.date.grammar", D("10000-01-01T00:00:00Z"), "year 10000 (A1 #51)",
             bad("plist_xml.date_syntax", "ambiguous"), ok(t_date(10000, 1, 1)),
             P(cf=A(t_date(10000, 1, 1)), lp=R(), kernel=NO_DATE, py=R(), go=R()), ref="x90"),
        make("date-year-zero", inv, "xml.date.range", D("0000-01-01T00:00:00Z"), "year 0000",
             bad("plist_xml.date_out_of_range", "ambiguous"), ok(t_date(0, 1, 1))),
        make("date-empty", inv, "xml.date.grammar", W("<date/>"), "<date/>", bad("plist_xml.date_syntax", "malformed")),
    ]


def data():
    inv = "invalid"
    hello = t_data(b"Hello")
    hel = t_data(b"Hel")
    empty = t_data(b"")
    cluster_text = '\n\t/EN" "http://www.apple.com/DTDs========================/PropertyList-1.0.dtd\n\t'
    return [
        make("data-hello", "valid", "xml.data.base64", B("SGVsbG8="), "base64 'Hello'", ok(hello), None,
             P(cf=A(hello), lp=A(hello), kernel=A(hello), py=A(hello), go=A(hello))),
        make("x101-data-whitespace", "valid", "xml.data.base64", B("\n\tSGV sbG\n8=\n"),
             "whitespace anywhere inside base64 (A1 #52)", ok(hello), None,
             P(cf=A(hello), lp=A(hello), kernel=A(hello), py=A(hello), go=A(hello)), ref="x101"),
        make("data-split-quanta-cve-2017-5209", "valid", "xml.data.base64", B("SG\nVsb\nG8="),
             "base64 split by newlines into pieces that are not multiples of 4 (CVE-2017-5209)", ok(hello),
             refs=["CVE-2017-5209"]),
        make("data-empty-element", "valid", "xml.data.base64", B(""), "<data></data> is empty data", ok(empty)),
        make("data-whitespace-only", "valid", "xml.data.base64", B("\n\t"), "whitespace-only data is empty", ok(empty)),
        make("x102-data-star", inv, "xml.data.alphabet", B("SGVs*bG8="), "'*' inside base64: go-plist alone rejects (A1 #53)",
             bad("plist_xml.data_invalid_char", "ambiguous"), ok(hello),
             P(cf=A(hello, "skipped: table entry -1 (L1638)"), lp=A(hello, "skipped (base64.c:94)"),
               kernel=A(hello, "skipped"), py=A(hello, "skipped"), go=R()),
             ref="x102"),
        make("x105-data-non-ascii", inv, "xml.data.alphabet", B("SGVs\u00e9bG8="),
             "U+00E9 inside base64: the kernel masks it into a valid digit (A1 #54)",
             bad("plist_xml.data_invalid_char", "ambiguous"), None,
             P(cf=R("c >= 128 (L1630)"), lp=A(hello, "skipped"),
               kernel=A(note="masks c & 0x7f: 0xC3 becomes 'C', so the data is corrupted"), py=A(hello, "skipped"),
               go=R()),
             ref="x105"),
        make("data-clusterfuzz-quotes-and-equals", inv, "xml.data.alphabet",
             '<?xml version="1.0" encoding="UTF-8"?>\n<plist>\n\t<data>' + cluster_text + '</data>\n</plist>\n',
             "base64 with quotes, spaces and a run of '=' (libplist xplist-crashes clusterfuzz-testcase-4663876528373760)",
             bad("plist_xml.data_invalid_char", "ambiguous"), ok(t_data(cf_lenient_base64(cluster_text))),
             refs=["libplist fuzz/xplist-crashes/clusterfuzz-testcase-4663876528373760"]),
        make("x103-data-missing-padding", inv, "xml.data.padding", B("SGVsbG8"),
             "missing padding: CF and the kernel drop the incomplete quantum (A1 #55)",
             bad("plist_xml.data_padding", "ambiguous"), ok(hel),
             P(cf=A(hel), lp=A(hel), kernel=A(hel), py=R("Incorrect padding"), go=R()), ref="x103"),
        make("x107-data-lone-digit", inv, "xml.data.padding", B("S"), "one base64 digit (A1 #55)",
             bad("plist_xml.data_padding", "ambiguous"), ok(empty),
             P(cf=A(empty), lp=A(empty), kernel=A(empty), py=R(), go=R()), ref="x107"),
        make("data-nonzero-padding-bits", inv, "xml.data.padding", B("QR=="), "QR==: the padding bits are not zero",
             bad("plist_xml.data_padding", "noncanonical"), ok(t_data(b"A"))),
        make("data-after-padding", inv, "xml.data.padding", B("QQ==QQ=="), "a quantum after padding",
             bad("plist_xml.data_padding", "ambiguous"), ok(t_data(b"AA"))),
        make("data-padding-too-early", inv, "xml.data.padding", B("Q==="), "three padding characters",
             bad("plist_xml.data_padding", "malformed"), ok(t_data(b"@"))),
        make("x108-data-self-closing", inv, "xml.data.empty-tag", W("<data/>"),
             "<data/>: CF alone rejects it (A1 #56)", bad("plist_xml.data_empty_tag", "ambiguous"), None,
             P(cf=R("empty <data> (L2154)"), lp=A(empty), kernel=A(empty), py=A(empty), go=A(empty)), ref="x108"),
    ]


def booleans_and_strings():
    inv = "invalid"
    return [
        make("bool-true", "valid", "xml.bool.self-closing", W("<true/>"), "<true/>", ok(TRUE)),
        make("bool-false-space", "valid", "xml.bool.self-closing", W("<false />"), "<false />", ok(FALSE)),
        make("bool-tab-before-slash", "valid", "xml.bool.self-closing", W("<array><true\t/><false/></array>"),
             "<true\\t/> in an array", ok(t_array(TRUE, FALSE))),
        make("x130-bool-open-close", inv, "xml.bool.self-closing", W("<true></true>"),
             "<true></true>: the kernel accepts only <true/> (A1 #65)", bad("plist_xml.bool_not_self_closing", "ambiguous"),
             ok(TRUE), P(cf=A(TRUE), lp=A(TRUE), kernel=R("only <true/>"), py=A(TRUE), go=A(TRUE)), ref="x130"),
        make("bool-open-close-space", inv, "xml.bool.self-closing", W("<true ></true>"), "<true ></true>",
             bad("plist_xml.bool_not_self_closing", "ambiguous"), ok(TRUE)),
        make("bool-false-open-close-tabs", inv, "xml.bool.self-closing", W("<array><false\t\t></false></array>"),
             "<false\\t\\t></false>", bad("plist_xml.bool_not_self_closing", "ambiguous"), ok(t_array(FALSE))),
        make("x131-bool-true-containing-false", inv, "xml.bool.content", W("<true>false</true>"),
             "<true>false</true>: libplist, plistlib and go-plist ignore the content and read true (A1 #65)",
             bad("plist_xml.bool_content", "ambiguous"), None,
             P(cf=R("the close tag must follow at once (L2169)"), lp=A(TRUE, "content ignored (xplist.c:1364)"),
               kernel=R(), py=A(TRUE), go=A(TRUE)),
             ref="x131"),
        make("x132-bool-space-content", inv, "xml.bool.content", W("<true> </true>"), "<true> </true> (A1 #65)",
             bad("plist_xml.bool_content", "ambiguous"), None,
             P(cf=R(), lp=A(TRUE), kernel=R(), py=A(TRUE), go=A(TRUE)), ref="x132"),
        make("x143-bool-false-containing-true", inv, "xml.bool.content", W("<false><true/></false>"),
             "<false><true/></false>: plistlib and go-plist read false (A1 #66)", bad("plist_xml.bool_content", "ambiguous"),
             None, P(cf=R(), lp=R(), kernel=R(), py=A(FALSE, "inner value overwritten"), go=A(FALSE)), ref="x143"),
        make("bool-get-task-allow-true-false", inv, "xml.bool.content",
             W("<dict><key>com.apple.security.get-task-allow</key><true>false</true></dict>"),
             "get-task-allow as <true>false</true>: lenient readers grant it", bad("plist_xml.bool_content", "ambiguous")),
        make("string-empty-forms", "valid", "xml.string.text",
             W("<array><string/><string></string><string> </string></array>"),
             "<string/>, <string></string> and a one-space string", ok(t_array(t_str(""), t_str(""), t_str(" ")))),
        make("string-utf8", "valid", "xml.string.text", W("<string>\u00a9 \u20ac</string>"), "two- and three-byte UTF-8",
             ok(t_str("\u00a9 \u20ac"))),
        make("string-utf8-four-byte", "valid", "xml.string.text", W("<string>\U0001F600</string>"), "a four-byte sequence",
             ok(t_str("\U0001F600"))),
        make("string-gt", "valid", "xml.string.text", W("<string>a>b</string>"), "a raw '>' in text", ok(t_str("a>b"))),
        make("string-tab-and-newline", "valid", "xml.string.text", W("<string>a\tb\nc</string>"), "tab and LF kept",
             ok(t_str("a\tb\nc"))),
        make("string-long", "valid", "xml.string.text", W("<string>" + "x" * 1000 + "</string>"), "1000 characters",
             ok(t_str("x" * 1000))),
    ]


def nested(levels, container="array"):
    if container == "array":
        return W("<array>" * levels + "<true/>" + "</array>" * levels)
    return W("<dict><key>k</key>" * levels + "<true/>" + "</dict>" * levels)


def nested_value(levels):
    v = TRUE
    for _ in range(levels):
        v = t_array(v)
    return v


def nesting():
    inv = "invalid"
    macos = A(note="macOS limit 512 (_CFPropertyListMaxRecursionDepth); iOS's 128 rejects it")
    return [
        make("x160-nesting-128", "valid", "xml.limit.depth", nested(128), "128 nested arrays: every limit allows it",
             ok(nested_value(128)), ref="x160"),
        make("x161-nesting-129", "differential", "xml.limit.depth", nested(129),
             "129 nested arrays: over CF's iOS limit, under its macOS limit (A1 #79)", None, None,
             P(cf=macos, lp=A(), kernel=A(note="no depth limit"), py=A(), go=A()), ref="x161"),
        make("x162-nesting-512", "differential", "xml.limit.depth", nested(512),
             "512 nested arrays: CF's macOS limit and libplist's (A1 #79)", None, None,
             P(cf=macos, lp=A(), kernel=A(note="no depth limit"), py=A(), go=A()), ref="x162"),
        make("x163-nesting-513", inv, "xml.limit.depth", nested(513), "513 nested arrays (A1 #79)",
             bad("plist_xml.depth_limit", "limit"), None,
             P(cf=R("over 512 (L908)"), lp=R("PLIST_MAX_NESTING_DEPTH 512 (xplist.c:1534)"),
               kernel=A(note="no depth limit"), py=A(note="expat and an explicit stack"), go=A()),
             ref="x163"),
        make("x165-nesting-5000", inv, "xml.limit.depth", nested(5000), "5000 nested arrays (A1 #79)",
             bad("plist_xml.depth_limit", "limit"), None,
             P(cf=R(), lp=R(), kernel=A(note="no depth limit"), py=A(), go=A()), ref="x165"),
        make("nesting-dicts-513", inv, "xml.limit.depth", nested(513, "dict"), "513 nested dicts",
             bad("plist_xml.depth_limit", "limit")),
    ]


def entitlements():
    sandbox = t_dict(("com.apple.security.app-sandbox", TRUE), ("com.apple.security.network.client", TRUE),
                     ("com.apple.security.files.user-selected.read-only", TRUE))
    ios = t_dict(("application-identifier", t_str("ABCDE12345.com.example.app")),
                 ("com.apple.developer.team-identifier", t_str("ABCDE12345")),
                 ("get-task-allow", FALSE),
                 ("keychain-access-groups", t_array(t_str("ABCDE12345.com.example.app"), t_str("ABCDE12345.shared"))))
    return [
        make("entitlements-mac-sandbox", "valid", "xml.entitlements.typical",
             W("<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n"
               "\t<key>com.apple.security.network.client</key>\n\t<true/>\n"
               "\t<key>com.apple.security.files.user-selected.read-only</key>\n\t<true/>\n</dict>"),
             "a sandboxed Mac app's entitlements in Xcode's layout", ok(sandbox)),
        make("entitlements-ios-app", "valid", "xml.entitlements.typical",
             W("<dict>\n\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.example.app</string>\n"
               "\t<key>com.apple.developer.team-identifier</key>\n\t<string>ABCDE12345</string>\n"
               "\t<key>get-task-allow</key>\n\t<false/>\n\t<key>keychain-access-groups</key>\n\t<array>\n"
               "\t\t<string>ABCDE12345.com.example.app</string>\n\t\t<string>ABCDE12345.shared</string>\n"
               "\t</array>\n</dict>"),
             "an iOS app's entitlements: strings, a false value and an array", ok(ios)),
        make("entitlements-hardened-runtime-jit", "valid", "xml.entitlements.typical",
             W("<dict>\n\t<key>com.apple.security.cs.allow-jit</key>\n\t<true/>\n</dict>"),
             "a hardened-runtime exception", ok(t_dict(("com.apple.security.cs.allow-jit", TRUE)))),
        make("entitlements-empty-dict", "valid", "xml.entitlements.typical", W("<dict/>"), "no entitlements: <dict/>",
             ok(t_dict())),
        make("entitlements-empty-array-root", "valid", "xml.entitlements.typical", W("<array/>"), "an <array/> root",
             ok(t_array())),
        make("entitlements-integer-and-nested-dict", "valid", "xml.entitlements.typical",
             W("<dict><key>com.apple.developer.icloud-container-environment</key><string>Production</string>"
               "<key>com.example.limits</key><dict><key>max</key><integer>100</integer></dict></dict>"),
             "a nested dict with an integer",
             ok(t_dict(("com.apple.developer.icloud-container-environment", t_str("Production")),
                       ("com.example.limits", t_dict(("max", t_int(100))))))),
    ]


def cases():
    return dicts() + integers() + reals() + dates() + data() + booleans_and_strings() + nesting() + entitlements()

"""plist-binary cases built one broken field at a time with bplist_build: trailer fields,
addressability, the offset table, every marker, lengths, references, sharing, cycles, sets,
dict keys, depth and the doubling DAG (b75)."""

import struct

from bplist_build import (Builder, array_object, ascii_object, be, counted, data_object, dict_object,
                          doubling_dag, int_object, nested_arrays, single, utf16_object)
from model import t_array, t_bool, t_data, t_date, t_dict, t_int, t_real, t_str, t_uid
from peers import P, A, AU, R, hang
from plist_binary_reference import bad, make, ok

TRUE = t_bool(True)
FALSE = t_bool(False)


def base():
    """["a"]: the two-object plist the trailer cases break."""
    b = Builder()
    b.add(array_object([1]))
    b.add(ascii_object("a"))
    return b


def patched(b, at, value):
    data = bytearray(b.build())
    data[at(b):at(b) + len(value)] = value
    return bytes(data)


def trailer():
    inv = "invalid"
    out = []
    for size in (9, 255):
        out.append(make("trailer-offset-size-%d" % size, inv, "bplist.trailer.sizes",
                        patched(base(), lambda b: b.trailer_offset + 6, bytes([size])),
                        "offset size %d in the trailer" % size, bad("bplist.trailer.offset_size", "malformed")))
    out.append(make("trailer-ref-size-9", inv, "bplist.trailer.sizes",
                    patched(base(), lambda b: b.trailer_offset + 7, b"\x09"), "object ref size 9",
                    bad("bplist.trailer.ref_size", "malformed")))
    top = base()
    top.top = 2
    out.append(make("trailer-top-equals-count", inv, "bplist.trailer.fields", top.build(), "top object 2 of 2",
                    bad("bplist.trailer.top_out_of_range", "malformed")))
    for table in (0, 8):
        t = base()
        t.table_offset_override = table
        out.append(make("trailer-table-offset-%d" % table, inv, "bplist.trailer.fields", t.build(),
                        "offset table at %d: no room for an object before it (CF L756)" % table,
                        bad("bplist.trailer.table_offset_out_of_range", "malformed")))
    t = base()
    t.build()
    t.table_offset_override = t.trailer_offset
    out.append(make("trailer-table-offset-at-trailer", inv, "bplist.trailer.fields", t.build(),
                    "offset table starting at the trailer", bad("bplist.trailer.table_offset_out_of_range", "malformed")))
    over = base()
    over.count_override = 3
    out.append(make("trailer-table-overrun", inv, "bplist.trailer.fields", over.build(),
                    "3 objects claimed, 2 offset entries before the trailer", bad("bplist.trailer.table_overrun", "malformed")))
    gap = base()
    gap.gap = b"xy"
    out.append(make("trailer-gap-two-bytes", inv, "bplist.trailer.exact-end", gap.build(),
                    "two bytes between offset table and trailer", bad("bplist.trailer.gap", "ambiguous"), None,
                    P(cf=R("L776-783"), go=R("garbage between offset table and trailer"))))
    return out


def addressability():
    inv = "invalid"
    out = []
    for n in (255, 256):
        b = Builder(offset_size=2)
        b.add(array_object([]))
        while len(b.objects) < n:
            b.add(b"\x09")
        if n == 255:
            out.append(make("refs-255-objects-1-byte", "valid", "bplist.trailer.addressable", b.build(),
                            "255 objects named by 1-byte refs", ok(t_array())))
        else:
            out.append(make("refs-256-objects-1-byte", inv, "bplist.trailer.addressable", b.build(),
                            "256 objects cannot all be named by 1-byte refs (CF L786-789, go-plist check it)",
                            bad("bplist.trailer.ref_size_too_small", "ambiguous"), None,
                            P(cf=R("L786-789"), go=R("bplist_parser.go:51-60"))))
    for table in (255, 256):
        b = Builder()
        b.add(data_object(b"x" * (table - 8 - 3)))
        if table == 255:
            out.append(make("table-at-255-offset-1-byte", "valid", "bplist.trailer.addressable", b.build(),
                            "offset table at 255, reachable with 1-byte offsets", ok(t_data(b"x" * 244))))
        else:
            out.append(make("table-at-256-offset-1-byte", inv, "bplist.trailer.addressable", b.build(),
                            "offset table at 256, beyond 1-byte offsets", bad("bplist.trailer.offset_size_too_small", "ambiguous"),
                            None, P(cf=R("L786-789"), go=R("bplist_parser.go:51-60"))))
    return out


def offset_table():
    inv = "invalid"
    out = []
    for bad_offset in (0, 7):
        b = Builder()
        b.add(array_object([1]))
        b.add(b"\x09")
        b.add(b"\x08")
        b.offset_override[2] = bad_offset
        out.append(make("offset-unreferenced-object-at-%d" % bad_offset, inv, "bplist.offset-table.in-object-area",
                        b.build(), "an unreferenced object's offset %d: CF checks every entry up front (A2 #12)" % bad_offset,
                        bad("bplist.offset_table.out_of_range", "ambiguous"), None,
                        P(cf=R("each entry < table offset, checked up front (L800-804)"),
                          lp=A(t_array(TRUE), "checked lazily per node (bplist.c:863)"),
                          go=A(t_array(TRUE), "checked lazily (objectAtIndex)"))))
    c = Builder()
    c.add(b"\x09")
    c.add(b"\xff")
    out.append(make("unreferenced-garbage-object", "valid", "bplist.offset-table.in-object-area", c.build(),
                    "an object nobody references is not read (CF reads lazily too)", ok(TRUE)))
    for offset_size, ref_size in ((1, 1), (2, 2), (4, 4), (8, 8), (1, 8), (8, 1), (3, 5), (6, 7)):
        b = Builder(offset_size, ref_size)
        b.add(dict_object([1, 2], [3, 4], ref_size))
        b.add(ascii_object("k1"))
        b.add(ascii_object("k2"))
        b.add(int_object(7))
        b.add(array_object([3, 3], ref_size))
        out.append(make("sizes-offset-%d-ref-%d" % (offset_size, ref_size), "valid", "bplist.trailer.sizes", b.build(),
                        "offset size %d, ref size %d" % (offset_size, ref_size),
                        ok(t_dict(("k1", t_int(7)), ("k2", t_array(t_int(7), t_int(7))))),
                        refs=["libplist test/data/off{1..8}bytes.bplist"]))
    return out


def f64(x):
    return struct.pack(">d", x)


def f32(x):
    return struct.pack(">f", x)


def scalars():
    inv = "invalid"
    out = []

    def v(name, rule, obj, value, description):
        out.append(make(name, "valid", rule, single(obj), description, ok(value)))

    def x(name, rule, obj, error, description, error_class="malformed", cf=None):
        out.append(make(name, inv, rule, single(obj), description, bad(error, error_class), cf))

    v("false", "bplist.object.scalar", b"\x08", FALSE, "0x08 false")
    for marker, what in ((0x01, "0x01"), (0x0C, "0x0C (url, version 1 only)"), (0x0E, "0x0E (uuid, version 1 only)"),
                         (0x90, "0x90"), (0xB0, "0xB0 (ordered set, version 1 only)"), (0xE0, "0xE0"), (0xF0, "0xF0")):
        x("marker-%02x" % marker, "bplist.object.markers", bytes([marker]), "bplist.object.unknown_marker",
          "marker " + what)
    x("marker-71-utf8-string", "bplist.object.markers", b"\x71a", "bplist.object.unknown_marker",
      "0x71, a UTF-8 string of version 1 only")
    v("int-1-byte-zero", "bplist.integer.sizes", b"\x10\x00", t_int(0), "1-byte 0")
    v("int-2-bytes-256", "bplist.integer.sizes", b"\x11\x01\x00", t_int(256), "2-byte 256")
    v("int-4-bytes-high-bit", "bplist.integer.sizes", b"\x12" + be(0x80000000, 4), t_int(2**31),
      "4-byte 0x80000000 is unsigned")
    v("int-8-bytes-max", "bplist.integer.sizes", b"\x13" + be(2**63 - 1, 8), t_int(2**63 - 1), "8-byte 2^63-1")
    v("int-16-bytes-uint64-max", "bplist.integer.wide", b"\x14" + be(0, 8) + be(2**64 - 1, 8), t_int(2**64 - 1),
      "16 bytes, high half zero: CF's form for values above 2^63-1")
    v("int-16-bytes-small", "bplist.integer.wide", b"\x14" + be(0, 8) + be(5, 8), t_int(5),
      "16 bytes holding 5 (not minimal, still fine)")
    x("int-16-bytes-sign-bit", "bplist.integer.wide", b"\x14" + be(1 << 63, 8) + be(9, 8), "bplist.integer.too_wide",
      "16 bytes with the top bit set: CF keeps the low 64 bits", "ambiguous", ok(t_int(9)))
    x("int-marker-1f", "bplist.integer.sizes", b"\x1f", "bplist.integer.bad_size", "integer marker 0x1F")
    x("int-truncated", "bplist.integer.sizes", b"\x13\x00\x00", "bplist.object.truncated",
      "an 8-byte integer with two bytes")
    x("real-marker-20", "bplist.real.sizes", b"\x20\x00", "bplist.real.bad_size", "a 1-byte real")
    x("real-marker-21", "bplist.real.sizes", b"\x21\x00\x00", "bplist.real.bad_size", "a 2-byte real")
    v("real-4-bytes-minus-one", "bplist.real.sizes", b"\x22" + f32(-1.0), t_real(-1.0), "4-byte -1.0")
    v("real-8-bytes-quarter", "bplist.real.sizes", b"\x23" + f64(0.25), t_real(0.25), "8-byte 0.25")
    v("real-8-bytes-negative-zero", "bplist.real.sizes", b"\x23" + f64(-0.0), t_real(-0.0), "8-byte -0.0")
    x("real-truncated", "bplist.real.sizes", b"\x23\x00\x00\x00", "bplist.object.truncated",
      "an 8-byte real with three bytes")
    v("date-one-day", "bplist.date.marker", b"\x33" + f64(86400.0), t_date(2001, 1, 2), "86400 s after 2001")
    v("date-2020", "bplist.date.marker", b"\x33" + f64(599529600.0), t_date(2020, 1, 1), "2020-01-01")
    x("date-marker-30", "bplist.date.marker", b"\x30", "bplist.date.bad_marker", "date marker 0x30")
    x("date-marker-34", "bplist.date.marker", b"\x34" + bytes(16), "bplist.date.bad_marker", "date marker 0x34")
    x("date-truncated", "bplist.date.marker", b"\x33\x00", "bplist.object.truncated", "a date with one byte")
    v("data-empty", "bplist.object.scalar", data_object(b""), t_data(b""), "empty data")
    v("data-two-bytes", "bplist.object.scalar", data_object(b"\x01\x02"), t_data(b"\x01\x02"), "two bytes of data")
    v("ascii-empty", "bplist.string.ascii", ascii_object(""), t_str(""), "empty ASCII string")
    v("ascii-extended-count", "bplist.string.ascii", ascii_object("z" * 20), t_str("z" * 20),
      "20 characters: the count follows as an int object")
    v("ascii-del", "bplist.string.ascii", b"\x53ab\x7f", t_str("ab\x7f"), "0x7F is ASCII")
    x("ascii-byte-c3", "bplist.string.ascii", b"\x53ab\xc3", "bplist.string.non_ascii",
      "a UTF-8 lead byte in an ASCII string", "ambiguous")
    v("utf16-latin", "bplist.string.utf16", utf16_object("\u00e9t\u00e9"), t_str("\u00e9t\u00e9"), "UTF-16 'été'")
    v("utf16-surrogate-pair", "bplist.string.utf16", utf16_object("\U0001F600"), t_str("\U0001F600"),
      "a surrogate pair")
    x("utf16-lone-low-surrogate", "bplist.string.utf16", utf16_object([0x61, 0xDC00]), "bplist.string.invalid_utf16",
      "a lone low surrogate", "ambiguous")
    x("utf16-high-surrogate-at-end", "bplist.string.utf16", utf16_object([0x61, 0x62, 0xD83D]),
      "bplist.string.invalid_utf16", "a high surrogate as the last unit", "ambiguous")
    x("utf16-high-then-not-low", "bplist.string.utf16", utf16_object([0xD83D, 0x7A]), "bplist.string.invalid_utf16",
      "a high surrogate followed by 'z'", "ambiguous")
    v("uid-zero", "bplist.uid.range", b"\x80\x00", t_uid(0), "UID 0")
    v("uid-4-bytes-max", "bplist.uid.range", b"\x83" + be(0xFFFFFFFF, 4), t_uid(0xFFFFFFFF), "UID 2^32-1")
    x("uid-8-bytes-above-32-bits", "bplist.uid.range", b"\x87" + be(2**32, 8), "bplist.uid.too_large",
      "UID 2^32 in 8 bytes", "ambiguous")
    x("uid-16-bytes-high-half", "bplist.uid.range", b"\x8f" + be(1, 8) + be(2, 8), "bplist.uid.too_large",
      "a 16-byte UID with a non-zero high half: CF keeps the low 64 bits", "ambiguous", ok(t_uid(2)))
    x("uid-truncated", "bplist.uid.range", b"\x81\x00", "bplist.object.truncated", "a 2-byte UID with one byte")
    return out


def lengths():
    inv = "invalid"
    huge = b"\x13" + be(2**64 - 1, 8)
    big = b"\x13" + be(2**63 - 1, 8)
    out = []

    def x(name, obj, error, description, rule="bplist.length.fits", cf=None):
        out.append(make(name, inv, rule, single(obj), description, bad(error, "malformed"), cf))

    x("length-ascii-2-pow-63", b"\x5f" + big + b"abc", "bplist.length.out_of_range", "ASCII length 2^63-1")
    x("length-data-2-pow-63", b"\x4f" + big + b"abc", "bplist.length.out_of_range", "data length 2^63-1")
    x("length-array-2-pow-63", b"\xaf" + big + b"\x00", "bplist.length.out_of_range", "array count 2^63-1")
    x("length-dict-2-pow-63", b"\xdf" + big + b"\x00", "bplist.length.out_of_range", "dict count 2^63-1")
    x("length-dict-all-ones", b"\xdf" + huge + b"\x00", "bplist.length.out_of_range",
      "dict count 0xFFFFFFFFFFFFFFFF (GNUstep libs-base PR #630 shape)")
    out.append(make("length-16-byte-count", "differential", "bplist.length.integer-marker",
                    single(b"\x6f\x14" + be(0, 8) + be(3, 8) + b"abcdef"),
                    "a UTF-16 count given as a 16-byte integer: plistlib uses only the marker's low two bits",
                    None, None, P(py=A(t_str(""), "only marker & 3 is used, so 0x14 is a 1-byte count (plistlib.py:495)"))))
    x("length-16-byte-count-high-half", b"\x5f\x14" + be(1, 8) + be(3, 8) + b"abc", "bplist.integer.too_wide",
      "a 16-byte count with a non-zero high half: CF keeps the low 64 bits", "bplist.integer.wide", ok(t_str("abc")))
    x("length-count-marker-15", b"\x5f\x15", "bplist.integer.bad_size", "a count behind marker 0x15",
      "bplist.length.integer-marker")
    x("length-count-truncated", b"\x5f\x10", "bplist.object.truncated", "the count's int object has no byte",
      "bplist.length.integer-marker")
    x("length-marker-only", b"\x5f", "bplist.object.truncated", "0x5F and nothing after it",
      "bplist.length.integer-marker")
    x("length-ascii-nibble-beyond", b"\x53ab", "bplist.length.out_of_range", "3 characters claimed, 2 present")
    x("length-utf16-nibble-beyond", b"\x62abc", "bplist.length.out_of_range", "2 UTF-16 units claimed, 3 bytes present")
    x("length-data-nibble-beyond", b"\x42a", "bplist.length.out_of_range", "2 data bytes claimed, 1 present")
    x("length-array-refs-beyond", b"\xa3\x00\x00", "bplist.length.out_of_range", "3 refs claimed, 2 present")
    x("length-dict-refs-beyond", b"\xd1\x00", "bplist.length.out_of_range", "a one-entry dict with one ref byte")
    b = Builder()
    b.add(array_object([1]))
    b.add(b"\x43ab")
    out.append(make("length-data-into-offset-table", inv, "bplist.length.fits", b.build(),
                    "data whose bytes would run into the offset table", bad("bplist.length.out_of_range", "malformed")))
    return out


def references():
    inv = "invalid"
    out = []
    b = Builder()
    b.add(array_object([1, 2]))
    b.add(b"\x09")
    out.append(make("ref-array-item-out-of-range", inv, "bplist.ref.in-range", b.build(),
                    "an array ref equal to the object count", bad("bplist.object_ref.out_of_range", "malformed")))
    b = Builder()
    b.add(dict_object([2], [1]))
    b.add(b"\x09")
    out.append(make("ref-dict-key-out-of-range", inv, "bplist.ref.in-range", b.build(), "a key ref beyond the objects",
                    bad("bplist.object_ref.out_of_range", "malformed")))
    b = Builder(ref_size=2)
    b.add(array_object([1, 300], 2))
    b.add(b"\x09")
    out.append(make("ref-2-bytes-out-of-range", inv, "bplist.ref.in-range", b.build(), "a 2-byte ref of 300 with 2 objects",
                    bad("bplist.object_ref.out_of_range", "malformed")))
    b = Builder()
    b.add(array_object([1, 2, 1]))
    b.add(array_object([2]))
    b.add(ascii_object("s"))
    shared = t_array(t_array(t_str("s")), t_str("s"), t_array(t_str("s")))
    out.append(make("b20-shared-objects", "valid", "bplist.ref.shared", b.build(),
                    "objects referenced twice: a DAG, not a cycle (A2 #16)", ok(shared), None,
                    P(cf=A(shared), lp=A(shared), py=A(shared), go=A(shared)), ref="b20"))
    b = Builder()
    b.add(array_object([1, 1]))
    b.add(array_object([2]))
    b.add(b"\x09")
    out.append(make("shared-array-twice-in-one-array", "valid", "bplist.ref.shared", b.build(),
                    "the same array twice in one array is sharing, not a cycle",
                    ok(t_array(t_array(TRUE), t_array(TRUE)))))
    b = Builder()
    b.add(array_object([1]))
    b.add(dict_object([3], [2]))
    b.add(array_object([4, 0]))
    b.add(ascii_object("k"))
    b.add(b"\x09")
    out.append(make("cycle-through-dict-three-levels", inv, "bplist.ref.no-cycle", b.build(),
                    "array -> dict -> array -> the first array", bad("bplist.object.cycle", "ambiguous"), None,
                    P(cf=R(), lp=R(), py=AU("cycle"), go=R("self-referential collection"))))
    out.append(make("b75-doubling-dag-4", "valid", "bplist.limit.expansion", doubling_dag(4),
                    "4 levels of [x, x]: 16 leaves from 5 objects", ok(dag_value(4))))
    for levels, note in ((28, "2^28 leaves"), (40, "2^40 leaves")):
        out.append(make("b75-doubling-dag-%d" % levels, inv, "bplist.limit.expansion", doubling_dag(levels),
                        "%d levels of [x, x]: %s from %d objects (A2 #17; plaso PR #5108)" % (levels, note, levels + 1),
                        bad("bplist.limit.expansion", "limit"), None,
                        P(cf=A(note="immutable parse caches by offset: linear (L1179, L1758)"),
                          lp=hang("no sharing: 2^20 takes 4.7 s, 2^24 over 60 s"),
                          py=A(note="object cache: 0.3 s at every size"),
                          go=hang("unmarshal expands: 2^24 takes 5.6 s, 2^28 over 60 s")),
                        ref="b75"))
    return out


def dag_value(levels):
    v = TRUE
    for _ in range(levels):
        v = t_array(v, v)
    return v


def sets_and_keys():
    inv = "invalid"
    out = []
    b = Builder()
    b.add(array_object([1]))
    b.add(b"\xc2\x02\x02")
    b.add(b"\x09")
    out.append(make("set-inside-array", inv, "bplist.object.no-set", b.build(), "a set holding true twice, inside an array",
                    bad("bplist.object.set", "ambiguous"), ok(t_array(t_array(TRUE, TRUE)))))
    b = Builder()
    b.add(dict_object([1, 2], [3, 3]))
    b.add(utf16_object("\u00fc"))
    b.add(ascii_object("a"))
    b.add(int_object(1))
    out.append(make("dict-utf16-and-ascii-keys", "valid", "bplist.dict.string-keys", b.build(),
                    "UTF-16 and ASCII keys in one dict", ok(t_dict(("\u00fc", t_int(1)), ("a", t_int(1))))))
    b = Builder()
    b.add(dict_object([1], [2]))
    b.add(ascii_object(b"a\x00b"))
    b.add(b"\x09")
    out.append(make("dict-key-with-nul", "differential", "bplist.string.ascii", b.build(),
                    "the key \"a\\0b\": libplist (and so ldid) reads it as \"a\" (A2 #32)", None, None,
                    P(cf=A(t_dict(("a\x00b", TRUE)), "kept"), lp=A(t_dict(("a", TRUE)), "strlen (bplist.c:381)"),
                      py=A(t_dict(("a\x00b", TRUE))), go=A(t_dict(("a\x00b", TRUE))))))
    b = Builder()
    b.add(dict_object([1, 2], [3, 3]))
    b.add(ascii_object("ab"))
    b.add(utf16_object("ab"))
    b.add(int_object(1))
    out.append(make("dict-duplicate-ascii-and-utf16", inv, "bplist.dict.unique-keys", b.build(),
                    "\"ab\" as ASCII and as UTF-16: one key to every reader that compares text",
                    bad("bplist.dict.duplicate_key", "ambiguous"), ok(t_dict(("ab", t_int(1))))))
    for name, key in (("integer", int_object(5)), ("bool", b"\x09"), ("real", b"\x23" + bytes(8)),
                      ("date", b"\x33" + bytes(8)), ("data", data_object(b"k")), ("uid", b"\x80\x01")):
        b = Builder()
        b.add(dict_object([1, 2], [3, 3]))
        b.add(ascii_object("a"))
        b.add(key)
        b.add(int_object(1))
        out.append(make("dict-%s-key" % name, inv, "bplist.dict.string-keys", b.build(),
                        "a %s key next to a string key: CF accepts any scalar key (L1719)" % name,
                        bad("bplist.dict.key_not_string", "ambiguous"), ok(t_dict(("a", t_int(1)))),
                        P(cf=AU("non-string key", "_typeIsPlistPrimitive (L1719)"), lp=R("bplist.c:556"), go=R())))
    for name, key in (("array", array_object([])), ("dict", dict_object([], [])), ("set", b"\xc0")):
        b = Builder()
        b.add(dict_object([1], [2]))
        b.add(key)
        b.add(int_object(1))
        out.append(make("dict-%s-key" % name, inv, "bplist.dict.string-keys", b.build(),
                        "a %s as a key: no reader accepts a collection key" % name,
                        bad("bplist.dict.key_not_string", "malformed")))
    b = Builder()
    b.add(dict_object([1], [2]))
    b.add(b"\x00")
    b.add(int_object(1))
    out.append(make("dict-null-key", inv, "bplist.object.no-null", b.build(), "a null object as a key",
                    bad("bplist.object.null", "unrepresentable")))
    b = Builder()
    b.add(dict_object([0], [1]))
    b.add(b"\x09")
    out.append(make("dict-is-its-own-key", inv, "bplist.dict.string-keys", b.build(), "a dict used as its own key",
                    bad("bplist.dict.key_not_string", "malformed")))
    b = Builder()
    b.add(dict_object([1, 2, 1, 1], [3, 4, 5, 6]))
    b.add(ascii_object("x"))
    b.add(ascii_object("y"))
    for n in (1, 2, 3, 4):
        b.add(int_object(n))
    out.append(make("dict-key-three-times", inv, "bplist.dict.unique-keys", b.build(),
                    "\"x\" three times, not adjacent", bad("bplist.dict.duplicate_key", "ambiguous"),
                    ok(t_dict(("x", t_int(4)), ("y", t_int(2))))))
    n = 17
    b = Builder(offset_size=2)
    b.add(dict_object(list(range(1, n + 1)), [n + 1] * n))
    for i in range(n):
        b.add(ascii_object("key0" if i == n - 1 else "key%d" % i))
    b.add(int_object(1))
    out.append(make("dict-duplicate-in-17-keys", inv, "bplist.dict.unique-keys", b.build(),
                    "17 keys, the last repeating the first", bad("bplist.dict.duplicate_key", "ambiguous"),
                    ok(t_dict(*[("key%d" % i, t_int(1)) for i in range(n - 1)]))))
    return out


def nested_empty(levels):
    v = t_array()
    for _ in range(levels - 1):
        v = t_array(v)
    return v


def depth():
    inv = "invalid"
    macos = A(note="macOS limit 512 (L1171); iOS's 128 rejects it")
    return [
        make("depth-128", "valid", "bplist.limit.depth", nested_arrays(128), "128 nested arrays",
             ok(nested_empty(128))),
        make("depth-129", "differential", "bplist.limit.depth", nested_arrays(129),
             "129 nested arrays: over CF's iOS limit (A2 #38)", None, None,
             P(cf=macos, lp=A(), go=A(note="no limit"))),
        make("depth-512", "differential", "bplist.limit.depth", nested_arrays(512),
             "512 nested arrays: CF's macOS limit (A2 #38)", None, None,
             P(cf=macos, lp=A(), go=A(note="no limit"))),
        make("b72-depth-513", inv, "bplist.limit.depth", nested_arrays(513), "513 nested arrays (A2 #38)",
             bad("bplist.limit.depth", "limit"), None,
             P(cf=R("over 512; the caller then falls back to XML and OpenStep (L1171)"),
               lp=R("PLIST_ERR_MAX_NESTING"), py=R("RecursionError (test_deep_nesting allows it)"),
               go=A(note="no limit")),
             ref="b72"),
        make("b73-depth-5000", inv, "bplist.limit.depth", nested_arrays(5000), "5000 nested arrays (A2 #38)",
             bad("bplist.limit.depth", "limit"), None,
             P(cf=R(), lp=R(), py=R("RecursionError"), go=A(note="no limit")), ref="b73"),
    ]


def cases():
    return trailer() + addressability() + offset_table() + scalars() + lengths() + references() + sets_and_keys() + \
        depth()

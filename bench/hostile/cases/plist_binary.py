"""Binary property lists: fan-out DAGs (one big string referenced many times, [x, x]
doubling chains), counts, offsets and sizes that wrap, depth, 16-byte integers, cycles, and a
valid file cut at every structure boundary. Rules and offsets: docs/plist-binary.md."""
import struct

from bplist_build import Builder, array_object, ascii_object, be, dict_object, doubling_dag, nested_arrays

from . import BUDGET, PLIST_VERBS, Case, accept, reject

GROUP = "bplist"
U64_MAX = (1 << 64) - 1
MAX_OBJECTS = 16 << 20  # Limits::default_max_objects


def with_trailer(b, **fields):
    """Build, then overwrite trailer fields (count, top, table) with raw 64-bit values."""
    data = bytearray(b.build())
    t = len(data) - 32
    for name, at in (("count", 8), ("top", 16), ("table", 24)):
        if name in fields:
            data[t + at:t + at + 8] = be(fields[name], 8)
    return bytes(data), t


def one_dict(key, value_obj, offset_size=1):
    """{key: value}: object 0 is the dict, 1 the key, 2 the value."""
    b = Builder(offset_size=offset_size)
    b.add(dict_object([1], [2]))
    b.add(ascii_object(key))
    b.add(value_obj)
    return b


def fanout(refs, string_size):
    """{k0000: S, k0001: S, ...}: one string S referenced `refs` times; 2-byte refs."""
    b = Builder(offset_size=4, ref_size=2)
    b.add(b"")  # the dict, filled in below
    keys = [b.add(ascii_object("k%04d" % i)) for i in range(refs)]
    s = b.add(ascii_object("s" * string_size))
    b.objects[0] = bytes([0xDF, 0x11]) + be(refs, 2) + b"".join(be(k, 2) for k in keys) + be(s, 2) * refs
    data = b.build()
    return data, 8 + sum(len(o) for o in b.objects[:s])


def string_doubling(levels, leaf_size):
    """[x, x] chain of `levels` arrays whose leaf is a `leaf_size`-byte string."""
    b = Builder()
    for i in range(levels):
        b.add(array_object([i + 1, i + 1]))
    b.add(ascii_object("x" * leaf_size))
    return b.build()


def deep_chain(n):
    """n nested one-element arrays with 4-byte refs and offsets (2-byte refs cannot address
    more than 65535 objects); object i is at 8 + 5 * i."""
    b = Builder(offset_size=4, ref_size=4)
    for i in range(n - 1):
        b.add(array_object([i + 1], 4))
    b.add(array_object([], 4))
    return b.build()


def cases():
    out = []
    add = out.append
    data, s_at = fanout(513, 65536)
    add(Case("bplist-fanout-513x64k", GROUP, data, PLIST_VERBS, reject("core.budget.expanded_bytes", s_at),
             "one 64 KiB string under 513 keys stands for 513 * 64 KiB > 32 MiB; the 513th reference "
             "passes the budget, at the string's offset"))
    data, _ = fanout(256, 65536)
    add(Case("bplist-fanout-256x64k", GROUP, data, PLIST_VERBS, accept(),
             "256 references to one 64 KiB string: 16 MiB expanded, under the budget; each output is "
             "about 16 MiB, under the output budget (binary output keeps the sharing)"))
    assert 256 * 65536 < BUDGET < 513 * 65536
    add(Case("bplist-doubling-40", GROUP, doubling_dag(40), PLIST_VERBS, reject("bplist.limit.expansion"),
             "[x, x] 40 levels over `true`: 2^41 expanded nodes, refused at max_expanded_nodes (no bytes)"))
    add(Case("bplist-doubling-string-24", GROUP, string_doubling(24, 64), PLIST_VERBS,
             reject("core.budget.expanded_bytes"),
             "[x, x] 24 levels over a 64-byte string: 1 GiB of string bytes passes 32 MiB at 2^19 leaves, "
             "long before 2^25 nodes"))
    count_marker = lambda kind, width, value: bytes([kind | 0x0F, 0x10 | width]) + be(value, 1 << width)
    for name, obj in (("array-count-2e64-1", count_marker(0xA0, 3, U64_MAX)),
                      ("array-count-2e32-1", count_marker(0xA0, 2, 0xFFFFFFFF)),
                      ("string-length-1m", count_marker(0x50, 2, 1 << 20) + b"abc"),
                      ("data-length-2e63", count_marker(0x40, 3, 1 << 63)),
                      ("dict-count-2e62", count_marker(0xD0, 3, 1 << 62))):
        b = one_dict("k", obj)
        add(Case("bplist-" + name, GROUP, b.build(), PLIST_VERBS, reject("bplist.length.out_of_range"),
                 "a count larger than the object area (negative as int64 included) is refused before "
                 "anything is allocated"))
    b = one_dict("k", b"\x09")
    for name, fields, error, at in (("count-2e64-1", {"count": U64_MAX}, "bplist.limit.objects", 8),
                                    ("count-2e32", {"count": 1 << 32}, "bplist.limit.objects", 8),
                                    ("count-limit-plus-1", {"count": MAX_OBJECTS + 1}, "bplist.limit.objects", 8),
                                    ("count-1m", {"count": 1 << 20}, "bplist.trailer.table_overrun", 8),
                                    ("top-2e64-1", {"top": U64_MAX}, "bplist.trailer.top_out_of_range", 16),
                                    ("table-2e64-1", {"table": U64_MAX},
                                     "bplist.trailer.table_offset_out_of_range", 24)):
        data, t = with_trailer(b, **fields)
        add(Case("bplist-trailer-" + name, GROUP, data, PLIST_VERBS, reject(error, t + at),
                 "trailer field %s = %#x" % (next(iter(fields)), next(iter(fields.values())))))
    b = Builder(offset_size=8)
    b.add(dict_object([1], [2]))
    b.add(ascii_object("k"))
    b.add(b"\x09")
    b.offset_override[2] = U64_MAX
    data = b.build()
    add(Case("bplist-offset-entry-2e64-1", GROUP, data, PLIST_VERBS,
             reject("bplist.offset_table.out_of_range", b.table_offset + 16),
             "8-byte offset-table entry 2 is 2^64-1, checked up front at the entry"))
    b = Builder(ref_size=8)
    b.add(bytes([0xD1]) + be(1, 8) + be(U64_MAX, 8))
    b.add(ascii_object("k"))
    add(Case("bplist-ref-2e64-1", GROUP, b.build(), PLIST_VERBS,
             reject("bplist.object_ref.out_of_range", 8 + 1 + 8), "8-byte value ref 2^64-1, at the ref bytes"))
    b = one_dict("k", b"\x14" + be(1, 8) + be(5, 8))
    add(Case("bplist-int16-high-bits", GROUP, b.build(), PLIST_VERBS,
             reject("bplist.integer.too_wide", 8 + 3 + 2), "16-byte integer with high half 1, at its marker"))
    b = one_dict("k", b"\x14" + be(0, 8) + be(U64_MAX, 8))
    add(Case("bplist-int16-u64-max", GROUP, b.build(), PLIST_VERBS, accept(),
             "16-byte integer with a zero high half is its low 64 bits, 2^64-1",
             overrides={"convert-der": reject("der.not_representable")}))
    b = one_dict("k", b"\x15" + bytes(32))
    add(Case("bplist-int32-bytes", GROUP, b.build(), PLIST_VERBS, reject("bplist.integer.bad_size", 8 + 3 + 2),
             "marker 0x15 asks for a 32-byte integer"))
    b = one_dict("k", b"\x87" + be(U64_MAX, 8))
    add(Case("bplist-uid-2e64-1", GROUP, b.build(), PLIST_VERBS, reject("bplist.uid.too_large", 8 + 3 + 2),
             "an 8-byte UID above 2^32-1, at its marker"))
    b = Builder()
    b.add(array_object([0]))
    add(Case("bplist-self-cycle", GROUP, b.build(), PLIST_VERBS, reject("bplist.object.cycle", 9),
             "an array whose one ref is itself, at the ref"))
    add(Case("bplist-depth-512", GROUP, nested_arrays(512), PLIST_VERBS, accept(),
             "512 nested arrays: max_depth exactly",
             overrides={"convert-der": reject("der.not_representable"), "check": reject("entitlements.root_not_dict")}))
    add(Case("bplist-depth-513", GROUP, nested_arrays(513), PLIST_VERBS, reject("bplist.limit.depth", 8 + 3 * 512),
             "the 513th array (object 512, 3 bytes each from offset 8) is one too deep"))
    add(Case("bplist-depth-100000", GROUP, deep_chain(100000), PLIST_VERBS,
             reject("bplist.limit.depth", 8 + 5 * 512), "100000 nested arrays stop at the 513th, without recursion"))
    b = one_dict("k" * 65536, b"\x09", offset_size=4)
    add(Case("bplist-key-64k", GROUP, b.build(), PLIST_VERBS, accept(), "one 64 KiB key"))
    b = Builder(offset_size=4, ref_size=4)
    n = 70000
    b.add(dict_object([1], [2], 4))
    b.add(ascii_object("k"))
    b.add(bytes([0xAF, 0x12]) + be(n, 4) + b"".join(be(3 + i, 4) for i in range(n)))
    for i in range(n):
        b.add(b"\x11" + be(i, 2))
    add(Case("bplist-wide-array-70000", GROUP, b.build(), PLIST_VERBS, accept(), "70000 distinct integers in one array"))
    out += truncations()
    return out


def trailer_verdict(data):
    """The first header or trailer rule of docs/plist-binary.md's table that `data` breaks, in
    the table's order, as (id, offset); None if it breaks none of them."""
    if len(data) == 0:
        return "core.empty_input", 0
    if not data.startswith(b"bplist"):
        return "core.unknown_format", 0
    if len(data) < 8 + 1 + 32:
        return "bplist.trailer.too_short", 0
    t = len(data) - 32
    offset_size, ref_size = data[t + 6], data[t + 7]
    count, top, table = struct.unpack(">QQQ", data[t + 8:t + 32])
    if not 1 <= offset_size <= 8:
        return "bplist.trailer.offset_size", t + 6
    if not 1 <= ref_size <= 8:
        return "bplist.trailer.ref_size", t + 7
    if count == 0:
        return "bplist.trailer.no_objects", t + 8
    if count > MAX_OBJECTS:
        return "bplist.limit.objects", t + 8
    if top >= count:
        return "bplist.trailer.top_out_of_range", t + 16
    if not 9 <= table < t:
        return "bplist.trailer.table_offset_out_of_range", t + 24
    if count * offset_size > t - table:
        return "bplist.trailer.table_overrun", t + 8
    if table + count * offset_size < t:
        return "bplist.trailer.gap", table + count * offset_size
    return None


def truncations():
    b = Builder()
    b.add(dict_object([1, 2], [3, 4]))
    b.add(ascii_object("application-identifier"))
    b.add(ascii_object("get-task-allow"))
    b.add(ascii_object("A1B2C3D4E5.com.example.hostile"))
    b.add(b"\x09")
    valid = b.build()
    bounds = {"magic": 3, "header": 8}
    at = 8
    for i, obj in enumerate(b.objects):
        at += len(obj)
        bounds["object-%d" % i] = at
    bounds["offset-table"] = b.trailer_offset
    for name, field in (("trailer-sizes", 8), ("trailer-count", 16), ("trailer-top", 24)):
        bounds[name] = b.trailer_offset + field
    out = []
    for name, end in bounds.items():
        verdict = trailer_verdict(valid[:end])
        assert verdict is not None, name
        error, offset = verdict
        out.append(Case("bplist-cut-after-" + name, GROUP, valid[:end], PLIST_VERBS, reject(error, offset),
                        "a valid file cut at %d bytes: the last 32 bytes read as a trailer break %s" % (end, error)))
    return out

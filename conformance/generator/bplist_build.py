"""A small bplist00 builder for the plist-binary cases: objects are raw bytes from the
encoders below; Builder lays out header, objects, offset table and trailer, and lets a case
override any trailer field or offset-table entry to break exactly one rule."""


def be(value, width):
    """`value` as `width` big-endian bytes (bytes above the low 8 are zero)."""
    return bytes(((value >> (8 * k)) & 0xFF) if k < 8 else 0 for k in reversed(range(width)))


def unhex(text):
    return bytes.fromhex("".join(text.split()))


def int_object(v):
    if v <= 0xFF:
        return b"\x10" + be(v, 1)
    if v <= 0xFFFF:
        return b"\x11" + be(v, 2)
    if v <= 0xFFFFFFFF:
        return b"\x12" + be(v, 4)
    return b"\x13" + be(v, 8)


def counted(kind, count):
    """A marker with its count: in the low nibble below 15, else 0xF and an int object."""
    if count < 15:
        return bytes([kind | count])
    return bytes([kind | 0x0F]) + int_object(count)


def ascii_object(text):
    raw = text.encode("latin-1") if isinstance(text, str) else text
    return counted(0x50, len(raw)) + raw


def data_object(raw):
    return counted(0x40, len(raw)) + raw


def utf16_object(units):
    """`units`: a str (encoded as UTF-16BE) or a list of 16-bit code units."""
    if isinstance(units, str):
        raw = units.encode("utf-16-be")
        return counted(0x60, len(raw) // 2) + raw
    return counted(0x60, len(units)) + b"".join(be(u, 2) for u in units)


def refs(items, ref_size):
    return b"".join(be(r, ref_size) for r in items)


def array_object(items, ref_size=1):
    return counted(0xA0, len(items)) + refs(items, ref_size)


def dict_object(keys, values, ref_size=1):
    return counted(0xD0, len(keys)) + refs(keys, ref_size) + refs(values, ref_size)


class Builder:
    def __init__(self, offset_size=1, ref_size=1):
        self.magic = b"bplist00"
        self.offset_size = offset_size
        self.ref_size = ref_size
        self.top = 0
        self.gap = b""  # bytes between the offset table and the trailer
        self.count_override = None
        self.table_offset_override = None
        self.offset_override = {}  # offset-table entry -> value
        self.trailer_unused = bytes(6)
        self.objects = []

    def add(self, obj):
        self.objects.append(obj)
        return len(self.objects) - 1

    def build(self):
        out = bytearray(self.magic)
        offsets = []
        for o in self.objects:
            offsets.append(len(out))
            out += o
        self.table_offset = len(out)
        for i, off in enumerate(offsets):
            out += be(self.offset_override.get(i, off), self.offset_size)
        out += self.gap
        self.trailer_offset = len(out)
        out += self.trailer_unused
        out += bytes([self.offset_size & 0xFF, self.ref_size & 0xFF])
        out += be(len(self.objects) if self.count_override is None else self.count_override, 8)
        out += be(self.top, 8)
        out += be(self.table_offset if self.table_offset_override is None else self.table_offset_override, 8)
        return bytes(out)


def single(obj):
    """One object as the whole plist."""
    b = Builder()
    b.add(obj)
    return b.build()


def nested_arrays(n):
    """n arrays in a chain: object i = [i+1], the last one empty; 2-byte refs, 4-byte offsets
    (the layout of the notes' b72/b73)."""
    b = Builder(offset_size=4, ref_size=2)
    for i in range(n - 1):
        b.add(array_object([i + 1], 2))
    b.add(array_object([], 2))
    return b.build()


def doubling_dag(levels):
    """b75: object i = [i+1, i+1] for i < levels, the last object `true`."""
    b = Builder()
    for i in range(levels):
        b.add(array_object([i + 1, i + 1]))
    b.add(b"\x09")
    return b.build()

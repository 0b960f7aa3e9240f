"""The `full` profile's scale-ups: 1 MiB to 100 MiB convert series (XML and binary to JSON)
that must grow linearly in time, the same inputs under the default 32 MiB output budget, a
511 MiB sparse fat file whose only slice starts at byte 0 (its offset field, byte 16, is bad),
and a 2 GiB sparse universal binary with two signed slices."""
import struct

from bplist_build import Builder, be
from builders import macho as mb

from . import INPUT_LIMIT, MACHO_VERBS, MIB, Case, accept, reject

GROUP = "scale"
SERIES_MIB = (1, 4, 16, 64, 100)
RAISED = ["--max-expanded-bytes", str(4 << 30), "--max-output-bytes", str(4 << 30)]
ITEM = b"<integer>123456</integer>"


def xml_integers(size):
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict><key>a</key><array>'
    tail = b"</array></dict>\n</plist>\n"
    return head + ITEM * ((size - len(head) - len(tail)) // len(ITEM)) + tail


def binary_integers(size):
    """{a: [int, int, ...]}: each integer 5 bytes + a 4-byte ref + a 4-byte offset."""
    n = (size - 64) // 13
    b = Builder(offset_size=4, ref_size=4)
    b.add(bytes([0xD1]) + be(1, 4) + be(2, 4))
    b.add(b"\x51a")
    b.add(bytes([0xAF, 0x12]) + be(n, 4) + b"".join(be(3 + i, 4) for i in range(n)))
    for i in range(n):
        b.add(b"\x12" + be(i, 4))
    return b.build()


def cases():
    out = []
    for mib in SERIES_MIB:
        for kind, make in (("xml", xml_integers), ("binary", binary_integers)):
            data = make(mib * MIB)
            out.append(Case("series-%s-json-%dm" % (kind, mib), GROUP, data, ("convert-json",), accept(),
                            "%d MiB of integers with the budgets raised: time should grow linearly" % mib,
                            extra_args=RAISED))
            if mib == 100:
                out.append(Case("series-%s-json-%dm-default-budget" % (kind, mib), GROUP, data, ("convert-json",),
                                reject("core.budget.output_bytes"),
                                "the JSON of 100 MiB of integers is over the 32 MiB output budget"))
    size = 511 * MIB
    header = struct.pack(">IIIIIII", mb.FAT_MAGIC, 1, mb.CPU_ARM64, 0, 0, size - 4096, 12)
    out.append(Case("fat-511m-offset-0", GROUP, None, MACHO_VERBS, reject("macho.fat.slice_overlaps_header"),
                    "511 MiB fat file whose one slice offset (byte 16) is 0: decided from the header",
                    source={"kind": "sparse", "size": size}, pieces=[(0, header)]))
    arm64 = dict(mb.samples())["macho-arm64-full"]
    x86 = dict(mb.samples())["macho-x86_64-adhoc"]
    size = 2 << 30
    second = size - 4096 * ((len(x86) + 4095) // 4096)
    table = struct.pack(">II", mb.FAT_MAGIC, 2) + struct.pack(">IIIII", mb.CPU_ARM64, 0, 4096, len(arm64), 12) \
        + struct.pack(">IIIII", mb.CPU_X86_64, 3, second, len(x86), 12)
    out.append(Case("universal-2g", GROUP, None, MACHO_VERBS, reject("core.input_too_large", INPUT_LIMIT),
                    "2 GiB universal binary, both slices signed: over the 512 MiB input limit by size",
                    source={"kind": "sparse", "size": size},
                    pieces=[(0, table), (4096, arm64), (second, x86)]))
    return out

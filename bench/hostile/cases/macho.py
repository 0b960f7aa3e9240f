"""Thin and fat Mach-O for inspect, verify and check: header and load-command counts and sizes
that wrap, segment and signature ranges past the file, fat tables that overflow, nest or repeat,
100000 load commands, and valid files cut at every structure boundary. Rules: docs/codesign.md
("Mach-O rules")."""
import struct

from builders import macho as mb

from . import MACHO_VERBS, Case, accept, reject, verify_status

GROUP = "macho"
TEXT_CMD, LINKEDIT_CMD, CODESIG_CMD = 32, 104, 224  # where thin() puts them (64-bit)
SIZEOFCMDS = 208


def put32(data, at, value, order="<"):
    return data[:at] + struct.pack(order + "I", value & 0xFFFFFFFF) + data[at + 4:]


def put64(data, at, value, order="<"):
    return data[:at] + struct.pack(order + "Q", value) + data[at + 8:]


def samples():
    return dict(mb.samples())


def thin_cases(arm64):
    out = []
    add = out.append
    assert struct.unpack("<I", arm64[20:24])[0] == SIZEOFCMDS
    assert struct.unpack("<I", arm64[CODESIG_CMD:CODESIG_CMD + 4])[0] == mb.LC_CODE_SIGNATURE
    for name, data, error, why in (
            ("ncmds-2e32-1", put32(arm64, 16, 0xFFFFFFFF), "macho.load_commands.count_exceeds_size",
             "ncmds 2^32-1 > sizeofcmds / 8, before any command is read"),
            ("sizeofcmds-2e32-1", put32(arm64, 20, 0xFFFFFFFF), "macho.load_commands.exceed_slice",
             "sizeofcmds 2^32-1 runs past the file"),
            ("cmdsize-0", put32(arm64, TEXT_CMD + 4, 0), "macho.load_command.too_small",
             "the first command's cmdsize is 0"),
            ("cmdsize-2e32-8", put32(arm64, TEXT_CMD + 4, 0xFFFFFFF8), "macho.load_command.exceeds_sizeofcmds",
             "the first command's cmdsize (aligned) runs past sizeofcmds"),
            ("segment-fileoff-2e64-1", put64(arm64, TEXT_CMD + 40, (1 << 64) - 1),
             "macho.segment.file_range_outside_slice", "__TEXT fileoff 2^64-1: fileoff + filesize wraps"),
            ("segment-filesize-2e64-1", put64(arm64, TEXT_CMD + 48, (1 << 64) - 1),
             "macho.segment.file_range_outside_slice", "__TEXT filesize 2^64-1"),
            ("codesig-dataoff-wrap", put32(arm64, CODESIG_CMD + 8, 0xFFFFFFF0),
             "macho.code_signature.range_overflow", "dataoff 2^32-16 + datasize wraps 32 bits"),
            ("codesig-datasize-2e31-1", put32(arm64, CODESIG_CMD + 12, 0x7FFFFFFF),
             "macho.code_signature.outside_slice", "datasize 2^31-1 runs past the slice")):
        add(Case("macho-" + name, GROUP, data, MACHO_VERBS, reject(error), why))
    many = mb.thin(code_pages=180, extra_commands=[(0x99, b"")] * 90000)
    add(Case("macho-90000-commands", GROUP, many, MACHO_VERBS, accept(),
             "90000 unknown 8-byte load commands are skipped in one pass; the signature covers 180 pages"))
    bounds = {"empty": 0, "magic": 3, "header-half": 16, "header": 32, "text-command": LINKEDIT_CMD,
              "commands": 32 + SIZEOFCMDS, "text": 4096, "signature-header": 4096 + 32 + 12}
    for name, end in bounds.items():
        if end == 0:
            expect, why = reject("core.empty_input", 0), "nothing at all"
        elif end < 4:
            expect, why = reject("core.unknown_format", 0), "three bytes are no magic"
        elif end < 32:
            expect, why = reject("macho.header.truncated"), "the input ends inside mach_header_64"
        elif end < 32 + SIZEOFCMDS:
            expect, why = reject("macho.load_commands.exceed_slice"), "sizeofcmds runs past the input"
        else:
            expect, why = reject("macho.segment.file_range_outside_slice"), "a segment runs past the input"
        add(Case("macho-cut-after-" + name, GROUP, arm64[:end], MACHO_VERBS, expect, "cut at %d bytes: %s" % (end, why)))
    return out


def fat_cases(arm64, x86):
    out = []
    add = out.append
    fat = mb.fat([(mb.CPU_X86_64, 3, x86), (mb.CPU_ARM64, 0, arm64)])
    be = lambda data, at, value: put32(data, at, value, ">")
    for name, data, error, why in (
            ("nfat-2e32-1", be(fat, 4, 0xFFFFFFFF), "macho.fat.arch_count_exceeds_file",
             "nfat_arch 2^32-1, checked against the file before allocating"),
            ("nfat-0", be(fat, 4, 0), "macho.fat.no_arches", "nfat_arch 0"),
            ("slice-offset-0", be(fat, 8 + 8, 0), "macho.fat.slice_overlaps_header",
             "the first slice starts at byte 0, inside the fat header"),
            ("slice-wrap", be(be(fat, 8 + 8, 0xFFFFF000), 8 + 12, 0x2000), "macho.fat.slice_range_overflow",
             "offset 2^32-4096 + size 8192 wraps 32 bits"),
            ("slice-size-2e31-1", be(fat, 8 + 12, 0x7FFFFFFF), "macho.fat.slice_outside_file",
             "the first slice's size runs past the file")):
        # check reads ca fe ba be with a count of 43 or more as a Java class file (docs/cli.md).
        java = {"check": reject("core.unknown_format", 0)} if name == "nfat-2e32-1" else None
        add(Case("fat-" + name, GROUP, data, MACHO_VERBS, reject(error), why, overrides=java))
    fat64 = mb.fat([(mb.CPU_ARM64, 0, arm64)], fat64=True)
    wrapped = put64(put64(fat64, 8 + 8, (1 << 64) - 4096, ">"), 8 + 16, 8192, ">")
    add(Case("fat64-slice-wrap", GROUP, wrapped, MACHO_VERBS, reject("macho.fat.slice_range_overflow"),
             "fat_arch_64 offset 2^64-4096 + size 8192 wraps 64 bits"))
    add(Case("fat-duplicate-arch", GROUP, mb.fat([(mb.CPU_ARM64, 0, arm64), (mb.CPU_ARM64, 0, arm64)]), MACHO_VERBS,
             reject("macho.fat.duplicate_arch"), "two arm64 slices"))
    add(Case("fat-nested", GROUP, mb.fat([(mb.CPU_ARM64, 0, mb.fat([(mb.CPU_ARM64, 0, arm64)]))]), MACHO_VERBS,
             reject("macho.fat.nested"), "a slice that is itself a fat file"))
    first_slice = struct.unpack(">I", fat[16:20])[0]
    second_slice = struct.unpack(">I", fat[36:40])[0]
    for name, end, verbs, error in (("magic+2", 6, ("inspect", "verify"), "macho.header.truncated"),
                                    ("header", 8, MACHO_VERBS, "macho.fat.arch_count_exceeds_file"),
                                    ("arch-0", 28, MACHO_VERBS, "macho.fat.arch_count_exceeds_file"),
                                    ("arch-table", 48, MACHO_VERBS, "macho.fat.slice_outside_file"),
                                    ("slice-0-header", first_slice + 32, MACHO_VERBS, "macho.fat.slice_outside_file"),
                                    ("slice-1-header", second_slice + 32, MACHO_VERBS, "macho.fat.slice_outside_file")):
        add(Case("fat-cut-after-" + name, GROUP, fat[:end], verbs, reject(error),
                 "a valid fat file cut at %d bytes" % end))
    return out


def cases():
    s = samples()
    arm64, x86 = s["macho-arm64-full"], s["macho-x86_64-adhoc"]
    out = [Case("macho-valid", GROUP, arm64, MACHO_VERBS, accept(),
                "a signed arm64 image with requirements, XML and DER entitlements, two CDs"),
           Case("macho-unsigned", GROUP, s["macho-unsigned"], MACHO_VERBS, accept(),
                "no LC_CODE_SIGNATURE: inspect prints Signature=none, check skips the slice",
                overrides={"verify": verify_status("unsigned")}),
           Case("fat-valid", GROUP, s["macho-fat"], MACHO_VERBS, accept(), "x86_64 and arm64 slices, both signed")]
    return out + thin_cases(arm64) + fat_cases(arm64, x86)

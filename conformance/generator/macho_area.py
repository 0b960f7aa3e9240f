"""macho cases: thin and fat Mach-O files built by corpus/builders (signed, so the
signature bytes are real), then bent one field at a time. Expected summaries come from what
was built (macho_build.py); error ids are entsig's (parsers/include/entsig/errors/macho.def).
The entsig-cf adapter reads Mach-O as XNU accepts it (unaligned load commands, fat_arch CPUs
unchecked), so those cases carry expect_cf."""

import struct

import macho_build as mb
from macho_build import (CPU_ARM64, CPU_I386, CPU_PPC, CPU_PPC64, CPU_X86_64, LC_BUILD_VERSION,
                         LC_CODE_SIGNATURE, LC_DYLIB_CODE_SIGN_DRS, LC_RPATH, LC_SEGMENT_64, LC_UUID,
                         LC_VERSION_MIN_MACOSX, PAGE)
from model import Case, accept, reject, unknown
from peers import A, P, R

AREA = "macho"
CPU_ARM64E = 2  # cpusubtype of arm64e
PTRAUTH_ABI = 0x80000000  # a capability bit in cpusubtype's top byte (CPU_SUBTYPE_PTRAUTH_ABI)
XNU_SLICE_BOUND = A(note="load_code_signature checks only dataoff + datasize <= macho_size")


def make(name, cls, rule, data, description, expect=None, cf=None, peers=None, refs=()):
    return Case(area=AREA, name=name, cls=cls, rule=rule, data=data, description=description, expect=expect,
                expect_cf=cf, behaviours=peers or {}, refs=list(refs))


def bad(error, error_class="malformed"):
    return reject(error, error_class)


def valid(name, rule, data, value, description, peers=None):
    return make(name, "valid", rule, data, description, accept(value), peers=peers)


def invalid(name, rule, data, error, description, cf=None, peers=None, refs=()):
    """Malformed, unless a documented reader accepts it (XNU, mostly): then refusing it sides
    with the others, which is what `ambiguous` means."""
    accepted = any(b["result"] == "accept" for b in (peers or {}).values()) or cf is not None
    return make(name, "invalid", rule, data, description, bad(error, "ambiguous" if accepted else "malformed"), cf,
                peers, refs)


# Images reused below.
ARM64 = mb.thin()
X86_64 = mb.thin(cputype=CPU_X86_64, cpusubtype=3)
I386 = mb.thin(is_64=False, cputype=CPU_I386, cpusubtype=3, version_min=True)


LC_ID_DYLIB = 0xD


def id_dylib(order, word):
    """LC_ID_DYLIB's body (name offset, timestamp, versions, name), padded to the word size: every
    dylib a linker writes names itself this way, and LLVM refuses an MH_DYLIB without it."""
    name = b"@rpath/libexample.dylib\0"
    name += b"\0" * (-(8 + 16 + len(name)) % word)
    return (LC_ID_DYLIB, struct.pack(order + "IIII", 24, 2, 0x10000, 0x10000) + name)


def thin_valid_cases():
    ppc = mb.thin(is_64=False, big_endian=True, cputype=CPU_PPC, filetype=6, extra_commands=[id_dylib(">", 4)])
    ppc64 = mb.thin(big_endian=True, cputype=CPU_PPC64, filetype=2)
    unsigned = mb.thin(unsigned=True)
    dylib = mb.thin(filetype=6, extra_commands=[id_dylib("<", 8)])
    pages16k = mb.thin(page_log2=14)
    unknown_cpu = mb.thin(cputype=0x01000099, cpusubtype=7)
    rpath = mb.thin(extra_commands=[(LC_RPATH, struct.pack("<I", 12) + b"@rpath/x\0\0\0\0")])
    layout = "macho.thin.layout"
    rows = [
        ("thin-arm64", ARM64, "a signed arm64 executable, 64-bit little-endian"),
        ("thin-x86-64", X86_64, "a signed x86_64 executable (cpusubtype 3)"),
        ("thin-i386", I386, "a signed 32-bit little-endian i386 image with LC_VERSION_MIN_MACOSX"),
        ("thin-ppc-big-endian", ppc, "a signed 32-bit big-endian ppc dylib"),
        ("thin-ppc64-big-endian", ppc64, "a signed 64-bit big-endian ppc64 executable"),
        ("thin-unsigned", unsigned, "no LC_CODE_SIGNATURE: no code_signature in the summary"),
        ("thin-dylib", dylib, "a signed arm64 dylib (MH_DYLIB) naming itself with LC_ID_DYLIB"),
        ("thin-16k-page", pages16k, "one 16 KiB code page: the signature starts at 16384 + 32"),
        ("thin-unknown-cpu", unknown_cpu, "a cputype no table names: read as stored"),
        ("thin-rpath-command", rpath, "an LC_RPATH the reader skips (cmdsize 24)"),
    ]
    rules = {"thin-unsigned": "macho.code-signature.located"}
    return [valid(name, rules.get(name, layout), img.data, mb.thin_value(img), text) for name, img, text in rows]


def fat_valid_cases():
    x86, arm = (CPU_X86_64, 3, X86_64), (CPU_ARM64, 0, ARM64)
    data2, placed2 = mb.fat([x86, arm])
    data64, placed64 = mb.fat([arm], fat64=True)
    data3, placed3 = mb.fat([(CPU_I386, 3, I386), x86, arm])
    mixed = [(CPU_X86_64, 3, mb.thin(cputype=CPU_X86_64, cpusubtype=3, unsigned=True)), arm]
    data_mixed, placed_mixed = mb.fat(mixed)
    data_16k, placed_16k = mb.fat([x86, arm], align_log2=14)
    data64_2, placed64_2 = mb.fat([x86, arm], fat64=True)
    arm64e = mb.thin(cpusubtype=CPU_ARM64E)
    # The fat_arch carries the pointer-authentication ABI bit, the header does not: equal
    # once capability bits are masked (CPU_SUBTYPE_MASK).
    data_e, placed_e = mb.fat([(CPU_ARM64, CPU_ARM64E, arm64e)], arch_override={0: (CPU_ARM64, CPU_ARM64E | PTRAUTH_ABI)})
    rows = [
        ("fat-two-slices", data2, mb.fat_value(placed2), "x86_64 and arm64 slices, 4 KiB aligned"),
        ("fat64-one-slice", data64, mb.fat_value(placed64, True), "FAT_MAGIC_64 with one arm64 slice"),
        ("fat64-two-slices", data64_2, mb.fat_value(placed64_2, True), "FAT_MAGIC_64 with x86_64 and arm64"),
        ("fat-three-slices", data3, mb.fat_value(placed3), "i386, x86_64 and arm64 slices"),
        ("fat-unsigned-and-signed", data_mixed, mb.fat_value(placed_mixed),
         "an unsigned x86_64 slice next to a signed arm64 one"),
        ("fat-16k-aligned", data_16k, mb.fat_value(placed_16k), "slices aligned to 2^14"),
        ("fat-arm64e-capability-bits", data_e, mb.fat_value(placed_e),
         "fat_arch cpusubtype 0x80000002 for a header that says 2: equal without the capability bits"),
    ]
    rules = {"fat-arm64e-capability-bits": "macho.fat.cpu-match"}
    return [valid(name, rules.get(name, "macho.fat.layout"), data, value, text) for name, data, value, text in rows]


def header_cases():
    hdr64 = struct.pack("<IIIII", 0xFEEDFACF, CPU_ARM64, 0, 2, 0)
    return [
        invalid("empty", "macho.header.truncated", b"", "macho.header.truncated", "zero bytes"),
        invalid("magic-cut", "macho.header.truncated", b"\xcf\xfa\xed", "macho.header.truncated",
                "three bytes of MH_MAGIC_64"),
        invalid("header-64-cut", "macho.header.truncated", hdr64, "macho.header.truncated",
                "a 64-bit mach_header cut after 20 of its 32 bytes"),
        invalid("header-32-cut", "macho.header.truncated", I386.data[:27], "macho.header.truncated",
                "a 32-bit mach_header one byte short"),
        invalid("fat-header-cut", "macho.header.truncated", b"\xca\xfe\xba\xbe\x00\x00", "macho.header.truncated",
                "a fat_header cut after 6 of its 8 bytes"),
        invalid("elf-magic", "macho.header.magic", b"\x7fELF\x02\x01\x01" + bytes(57), "macho.header.bad_magic",
                "an ELF header"),
        invalid("magic-off-by-one", "macho.header.magic", b"\xfe\xed\xfa\xcd" + ARM64.data[4:],
                "macho.header.bad_magic", "0xfeedfacd: one off from MH_MAGIC"),
    ]


def load_command_cases():
    o = ARM64
    uuid = mb.find_command(o, LC_UUID)
    sizeofcmds = struct.unpack_from("<I", o.data, 20)[0]
    rpath12 = [(LC_RPATH, struct.pack("<I", 12) + b"@rpath/\0")]  # cmdsize 20: 4- but not 8-aligned
    misaligned = mb.thin(extra_commands=rpath12)
    i386_odd = mb.thin(is_64=False, cputype=CPU_I386, cpusubtype=3, version_min=True,
                       extra_commands=[(LC_RPATH, struct.pack("<I", 12) + b"@r")])  # cmdsize 14
    xnu_ignores = P(xnu=A(note="parse_machfile checks cmdsize >= 8 and the bounds, not its alignment"))
    return [
        invalid("sizeofcmds-past-file", "macho.load-commands.bounds", mb.put32(o, 20, len(o.data)),
                "macho.load_commands.exceed_slice", "sizeofcmds equal to the file size: header + commands pass the end"),
        invalid("sizeofcmds-4-gib", "macho.load-commands.bounds", mb.put32(o, 20, 0xFFFFFFFF),
                "macho.load_commands.exceed_slice", "sizeofcmds 0xffffffff"),
        invalid("ncmds-past-sizeofcmds", "macho.load-commands.bounds", mb.put32(o, 16, sizeofcmds // 8 + 1),
                "macho.load_commands.count_exceeds_size", "ncmds one more than sizeofcmds / 8"),
        invalid("ncmds-one-extra", "macho.load-commands.bounds", mb.put32(o, 16, o.ncmds + 1),
                "macho.load_command.truncated", "ncmds one more than the commands: the last one has no room"),
        invalid("cmdsize-0", "macho.load-command.cmdsize", mb.put32(o, uuid + 4, 0), "macho.load_command.too_small",
                "LC_UUID with cmdsize 0 (a loop that trusts it never advances)"),
        invalid("cmdsize-4", "macho.load-command.cmdsize", mb.put32(o, uuid + 4, 4), "macho.load_command.too_small",
                "LC_UUID with cmdsize 4, less than a load_command"),
        invalid("cmdsize-past-sizeofcmds", "macho.load-command.cmdsize", mb.put32(o, uuid + 4, 0x1000),
                "macho.load_command.exceeds_sizeofcmds", "LC_UUID with cmdsize 4096, past sizeofcmds"),
        invalid("cmdsize-misaligned-64", "macho.load-command.alignment", misaligned.data,
                "macho.load_command.misaligned", "an LC_RPATH of cmdsize 20 in a 64-bit image",
                accept(mb.thin_value(misaligned)), xnu_ignores),
        invalid("cmdsize-misaligned-32", "macho.load-command.alignment", i386_odd.data,
                "macho.load_command.misaligned", "an LC_RPATH of cmdsize 14 in a 32-bit image",
                accept(mb.thin_value(i386_odd)), xnu_ignores),
        invalid("uuid-cmdsize-32", "macho.command.fixed-size",
                mb.thin(extra_commands=[(LC_UUID, bytes(24))]).data, "macho.uuid.bad_size",
                "an LC_UUID of cmdsize 32"),
        invalid("build-version-tool-missing", "macho.command.fixed-size",
                mb.put32(o, mb.find_command(o, LC_BUILD_VERSION) + 20, 1), "macho.build_version.bad_size",
                "LC_BUILD_VERSION says one tool in cmdsize 24"),
        invalid("version-min-cmdsize-24", "macho.command.fixed-size",
                mb.thin(extra_commands=[(LC_VERSION_MIN_MACOSX, bytes(16))]).data, "macho.version_min.bad_size",
                "an LC_VERSION_MIN_MACOSX of cmdsize 24"),
    ]


def segment_cases():
    o = ARM64
    linkedit = mb.find_segment(o, "__LINKEDIT")
    text = mb.find_segment(o, "__TEXT")
    linkedit_size = len(o.data) - PAGE
    wrap = mb.put_word(o, linkedit + 40, 2**64 - 16)  # segment_command_64.fileoff
    return [
        invalid("segment-past-slice", "macho.segment.bounds",
                mb.put_word(o, mb.segment_filesize_at(o, linkedit), linkedit_size + 1),
                "macho.segment.file_range_outside_slice", "__LINKEDIT one byte longer than the file"),
        invalid("segment-range-wraps", "macho.segment.bounds", wrap, "macho.segment.file_range_outside_slice",
                "__LINKEDIT fileoff 2^64 - 16: fileoff + filesize wraps"),
        invalid("segment-sections-past-cmdsize", "macho.segment.bounds",
                mb.put32(o, mb.segment_nsects_at(o, text), 1), "macho.segment.command_too_small",
                "__TEXT says one section in a 72-byte command"),
    ]


LC_SEGMENT = 0x1
XNU_WRONG_ABI = P(xnu=R("parse_machfile: an LC_SEGMENT command for the wrong ABI is LOAD_BADMACHO"))


def segment_word_size_cases():
    seg32_in_64 = mb.thin(extra_commands=[(LC_SEGMENT, mb.segment_body("<", False, "__DATA", 0, 0))])
    seg64_in_32 = mb.thin(is_64=False, cputype=CPU_I386, cpusubtype=3, version_min=True,
                          extra_commands=[(LC_SEGMENT_64, mb.segment_body("<", True, "__DATA", 0, 0))])
    return [
        invalid("segment-32-in-64-bit-image", "macho.segment.word-size", seg32_in_64.data,
                "macho.segment.wrong_word_size", "an empty LC_SEGMENT (cmdsize 56) in a 64-bit arm64 image",
                peers=XNU_WRONG_ABI),
        invalid("segment-64-in-32-bit-image", "macho.segment.word-size", seg64_in_32.data,
                "macho.segment.wrong_word_size", "an empty LC_SEGMENT_64 (cmdsize 72) in a 32-bit i386 image",
                peers=XNU_WRONG_ABI),
    ]


def catalyst_build_version():
    """LC_BUILD_VERSION for Mac Catalyst (platform 6) 14.0, SDK 15.0, no tools: the second
    platform command of a zippered image."""
    return (LC_BUILD_VERSION, struct.pack("<IIII", 6, 0x000E0000, 0x000F0000, 0))


def platform_cases():
    zippered = mb.thin(filetype=6, extra_commands=[id_dylib("<", 8), catalyst_build_version()])
    two = mb.thin(extra_commands=[catalyst_build_version()])
    version_min_too = mb.thin(extra_commands=[(LC_VERSION_MIN_MACOSX, struct.pack("<II", 0x000A0F00, 0x000B0000))])
    xnu = P(xnu=R("load_version / LC_BUILD_VERSION: a second platform command is LOAD_BADMACHO"))
    return [
        valid("zippered-dylib-two-build-versions", "macho.platform.single", zippered.data, mb.thin_value(zippered),
              "an arm64 dylib with LC_BUILD_VERSION for macOS and for Mac Catalyst, as zippered frameworks are built"),
        invalid("executable-two-build-versions", "macho.platform.single", two.data, "macho.platform.duplicate",
                "an executable with LC_BUILD_VERSION for macOS and a second for Mac Catalyst", peers=xnu),
        invalid("executable-build-version-and-version-min", "macho.platform.single", version_min_too.data,
                "macho.platform.duplicate", "an executable with LC_BUILD_VERSION and LC_VERSION_MIN_MACOSX",
                peers=xnu),
    ]


def code_signature_cases():
    o = ARM64
    sig = mb.find_command(o, LC_CODE_SIGNATURE)
    dataoff, datasize = o.signature
    linkedit = mb.find_segment(o, "__LINKEDIT")
    filler = (PAGE, 32)  # the LINKEDIT filler bytes before the signature
    cmd24 = mb.thin(unsigned=True, extra_commands=[(LC_CODE_SIGNATURE, struct.pack("<IIII", *filler, 0, 0))])
    cmd8 = mb.thin(unsigned=True, extra_commands=[(LC_CODE_SIGNATURE, b"")])
    cmd12_32 = mb.thin(is_64=False, cputype=CPU_I386, cpusubtype=3, version_min=True, unsigned=True,
                       extra_commands=[(LC_CODE_SIGNATURE, struct.pack("<I", PAGE))])
    twice = mb.thin(extra_commands=[(LC_CODE_SIGNATURE, struct.pack("<II", *filler))])
    renamed = bytearray(o.data)
    renamed[linkedit + 8:linkedit + 24] = b"__DATA".ljust(16, b"\0")
    go_alloc = P(gomacho=R("allocates datasize bytes as given (make([]byte, hdr.Size)) before the read fails"),
                 ldid=unknown("uses dataoff unchecked (code reading)"))
    rcodesign_underflow = P(xnu=XNU_SLICE_BOUND,
                            rcodesign=unknown("dataoff < __LINKEDIT.fileoff underflows a usize in "
                                              "find_signature_data (code reading, not run)"))
    fat_data, placed = mb.fat([(CPU_X86_64, 3, X86_64), (CPU_ARM64, 0, ARM64)])
    first_at, first = placed[0]
    second_at = placed[1][0]
    # Slice 0's signature grows to reach into slice 1: inside the file, outside the slice.
    grown = bytearray(fat_data)
    x_sig = first_at + mb.find_command(first, LC_CODE_SIGNATURE)
    struct.pack_into("<I", grown, x_sig + 12, second_at + 64 - first_at - first.signature[0])
    return [
        invalid("cmdsize-24", "macho.code-signature.cmdsize", cmd24.data, "macho.code_signature.bad_cmdsize",
                "LC_CODE_SIGNATURE with cmdsize 24 (8-aligned, still not 16)"),
        invalid("cmdsize-8", "macho.code-signature.cmdsize", cmd8.data, "macho.code_signature.bad_cmdsize",
                "LC_CODE_SIGNATURE with cmdsize 8: no dataoff or datasize"),
        invalid("cmdsize-12-32-bit", "macho.code-signature.cmdsize", cmd12_32.data,
                "macho.code_signature.bad_cmdsize", "LC_CODE_SIGNATURE with cmdsize 12 in a 32-bit image"),
        invalid("range-overflow", "macho.code-signature.range",
                mb.put32(o.replaced(mb.put32(o, sig + 8, 0xFFFFFFF0)), sig + 12, 0x20),
                "macho.code_signature.range_overflow", "dataoff 0xfffffff0 + datasize 0x20 wraps 32 bits"),
        invalid("datasize-one-past-end", "macho.code-signature.range", mb.put32(o, sig + 12, datasize + 1),
                "macho.code_signature.outside_slice", "the signature one byte longer than the file",
                peers=go_alloc),
        invalid("datasize-4-gib", "macho.code-signature.range", mb.put32(o, sig + 12, 0xFFFFFFFF - dataoff),
                "macho.code_signature.outside_slice", "datasize up to 0xffffffff: no wrap, far past the end",
                peers=go_alloc),
        invalid("dataoff-past-end", "macho.code-signature.range",
                mb.put32(o.replaced(mb.put32(o, sig + 8, len(o.data) + 16)), sig + 12, 0),
                "macho.code_signature.outside_slice", "dataoff 16 bytes past the end, datasize 0"),
        invalid("fat-signature-past-slice", "macho.code-signature.range", bytes(grown),
                "macho.code_signature.outside_slice",
                "slice 0's signature runs 64 bytes into slice 1: inside the file, outside macho_size"),
        invalid("in-text", "macho.code-signature.linkedit",
                mb.put32(o.replaced(mb.put32(o, sig + 8, 0x400)), sig + 12, 0x40),
                "macho.code_signature.outside_linkedit", "dataoff 0x400: the signature lies in __TEXT",
                peers=rcodesign_underflow),
        invalid("past-linkedit-end", "macho.code-signature.linkedit",
                mb.put_word(o, mb.segment_filesize_at(o, linkedit), len(o.data) - PAGE - 16),
                "macho.code_signature.outside_linkedit",
                "__LINKEDIT ends 16 bytes before the signature does", peers=P(xnu=XNU_SLICE_BOUND)),
        invalid("no-linkedit", "macho.code-signature.linkedit", bytes(renamed),
                "macho.code_signature.outside_linkedit", "the __LINKEDIT segment renamed __DATA",
                peers=P(xnu=XNU_SLICE_BOUND)),
        invalid("two-code-signatures", "macho.code-signature.single", twice.data,
                "macho.code_signature.duplicate", "a second LC_CODE_SIGNATURE (over the LINKEDIT filler)"),
    ]


def code_signature_differentials():
    o = ARM64
    drs = mb.thin(extra_commands=[(LC_DYLIB_CODE_SIGN_DRS, struct.pack("<II", PAGE, 32))])
    # __LINKEDIT grown by 16 bytes of padding after the signature.
    linkedit = mb.find_segment(o, "__LINKEDIT")
    padded = mb.put_word(o.replaced(o.data + bytes(16)), mb.segment_filesize_at(o, linkedit),
                         len(o.data) + 16 - PAGE)
    after = mb.thin(extra_commands=[(LC_SEGMENT_64, mb.segment_body("<", True, "__DATA", PAGE, 0))])
    return [
        make("dylib-code-sign-drs", "differential", "macho.code-signature.located", drs.data,
             "an LC_DYLIB_CODE_SIGN_DRS before LC_CODE_SIGNATURE: entsig reads the signature from 0x1d only",
             peers=P(xnu=A(), lief=A(mb.thin_value(drs.replaced(drs.data, signature=(PAGE, 32))),
                                     "issue #476: code_signature() returned the LC_DYLIB_CODE_SIGN_DRS command"))),
        make("signature-not-last-in-linkedit", "differential", "macho.code-signature.linkedit", padded,
             "16 bytes of __LINKEDIT after the signature",
             peers=P(xnu=A(), rcodesign=R("verify reports a signature that is not the last data in __LINKEDIT"))),
        make("linkedit-not-last-segment", "differential", "macho.code-signature.linkedit", after.data,
             "an empty __DATA segment command after __LINKEDIT",
             peers=P(xnu=A(), rcodesign=R("verify reports a __LINKEDIT that is not the last segment"))),
    ]


def fat_invalid_cases():
    x86, arm = (CPU_X86_64, 3, X86_64), (CPU_ARM64, 0, ARM64)
    (x_at, _), (a_at, _) = mb.fat([x86, arm])[1]
    xs, as_ = len(X86_64.data), len(ARM64.data)
    body = [(x_at, X86_64.data), (a_at, ARM64.data)]

    def table(*arches, fat64=False, count=None, bodies=body, size=None):
        return mb.fat_bytes(list(arches), bodies, fat64=fat64, count=count, size=size)

    java = bytes.fromhex("cafebabe00000034") + bytes(56)  # a class file: minor 0, major 52
    nested_inner, _ = mb.fat([arm])
    nested = table((CPU_ARM64, 0, PAGE, len(nested_inner), 12), bodies=[(PAGE, nested_inner)])
    c9_data, c9_placed = mb.fat([(0x12345, 0, ARM64), (CPU_X86_64, 3, I386)])
    mismatch_sub, mismatch_sub_placed = mb.fat([x86], arch_override={0: (CPU_X86_64, 8)})
    i386_as_x86, i386_as_x86_placed = mb.fat([(CPU_X86_64, 3, I386)])
    kernel_runs = P(xnu=A(note="the loader takes the fat_arch's slice; exec_mach_imgact compares only the header's "
                               "CPU family with the host"))
    return [
        invalid("fat-no-arches", "macho.fat.arch-count", table(count=0), "macho.fat.no_arches",
                "nfat_arch 0 before two slices"),
        invalid("fat-count-past-file", "macho.fat.arch-count", table((CPU_X86_64, 3, x_at, xs, 12),
                                                                    (CPU_ARM64, 0, a_at, as_, 12), count=0x1000),
                "macho.fat.arch_count_exceeds_file", "nfat_arch 4096: the table would pass the end"),
        invalid("fat64-count-past-file", "macho.fat.arch-count", b"\xca\xfe\xba\xbf\x00\x00\x00\x02" + bytes(40),
                "macho.fat.arch_count_exceeds_file", "FAT_MAGIC_64 with two fat_arch_64 in 40 bytes"),
        invalid("java-class-file", "macho.fat.arch-count", java, "macho.fat.arch_count_exceeds_file",
                "a Java class file: 0xcafebabe, then version 52 read as 52 architectures"),
        invalid("fat-slice-at-0", "macho.fat.slice-bounds", table((CPU_ARM64, 0, 0, as_, 12), bodies=[(PAGE, ARM64.data)]),
                "macho.fat.slice_overlaps_header", "a slice at offset 0: the fat header itself"),
        invalid("fat-slice-in-table", "macho.fat.slice-bounds",
                table((CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, 40, as_, 12)),
                "macho.fat.slice_overlaps_header", "slice 1 at offset 40, inside the 48-byte table"),
        invalid("fat-slice-wraps-32", "macho.fat.slice-bounds",
                table((CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, 0xFFFFF000, 0x2000, 12)),
                "macho.fat.slice_range_overflow", "offset 0xfffff000 + size 0x2000 wraps 32 bits"),
        invalid("fat64-slice-wraps", "macho.fat.slice-bounds",
                table((CPU_ARM64, 0, 2**64 - 0x1000, 0x2000, 12), fat64=True, bodies=[(PAGE, ARM64.data)]),
                "macho.fat.slice_range_overflow", "fat_arch_64 offset 2^64 - 4096 + size 8192 wraps"),
        invalid("fat-slice-past-file", "macho.fat.slice-bounds",
                table((CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, a_at, as_ + 1, 12)),
                "macho.fat.slice_outside_file", "the last slice one byte longer than the file"),
        invalid("fat64-slice-past-file", "macho.fat.slice-bounds",
                table((CPU_ARM64, 0, PAGE, 2**40, 12), fat64=True, bodies=[(PAGE, ARM64.data)]),
                "macho.fat.slice_outside_file", "a fat_arch_64 of size 2^40"),
        invalid("fat-slices-overlap", "macho.fat.slices-disjoint",
                table((CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, x_at + xs - 16, as_, 12),
                      bodies=[(x_at, X86_64.data), (x_at + xs - 16, ARM64.data)]),
                "macho.fat.slices_overlap", "slice 1 starts 16 bytes before slice 0 ends"),
        invalid("fat-same-slice-twice", "macho.fat.slices-disjoint",
                table((CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, x_at, xs, 12)),
                "macho.fat.slices_overlap", "two fat_archs (x86_64, arm64) naming the same bytes"),
        invalid("fat-duplicate-arch", "macho.fat.slices-disjoint",
                table((CPU_ARM64, 0, x_at, as_, 12), (CPU_ARM64, 0, a_at, as_, 12),
                      bodies=[(x_at, ARM64.data), (a_at, ARM64.data)]),
                "macho.fat.duplicate_arch", "two arm64 entries for two disjoint slices"),
        invalid("fat-nested", "macho.fat.nested", nested, "macho.fat.nested", "the slice is itself a fat file"),
        invalid("fat-slice-bad-magic", "macho.header.magic", table((CPU_ARM64, 0, PAGE, 64, 12), bodies=[(PAGE, bytes(64))]),
                "macho.header.bad_magic", "a slice of 64 zero bytes"),
        invalid("fat-slice-header-cut", "macho.header.truncated",
                table((CPU_ARM64, 0, PAGE, 16, 12), bodies=[(PAGE, ARM64.data[:16])]),
                "macho.header.truncated", "a slice of 16 bytes: half a mach_header_64"),
        invalid("fat-second-slice-cmdsize-0", "macho.load-command.cmdsize",
                mb.fat_bytes([(CPU_X86_64, 3, x_at, xs, 12), (CPU_ARM64, 0, a_at, as_, 12)],
                             [(x_at, X86_64.data), (a_at, mb.put32(ARM64, mb.find_command(ARM64, LC_UUID) + 4, 0))]),
                "macho.load_command.too_small", "slice 1's LC_UUID has cmdsize 0"),
        invalid("c9-invalid-cpu-and-i386-as-x86-64", "macho.fat.cpu-match", c9_data, "macho.fat.cpu_mismatch",
                "CVE-2018-10405's shape: slice 0's fat_arch cputype 0x12345 for an arm64 image, slice 1 an i386 "
                "image listed as x86_64", accept(mb.fat_value(c9_placed)), kernel_runs, ["CVE-2018-10405"]),
        invalid("i386-listed-as-x86-64", "macho.fat.cpu-match", i386_as_x86, "macho.fat.cpu_mismatch",
                "one i386 image under an x86_64 fat_arch", accept(mb.fat_value(i386_as_x86_placed)), kernel_runs,
                ["CVE-2018-10405"]),
        invalid("cpusubtype-mismatch", "macho.fat.cpu-match", mismatch_sub, "macho.fat.cpu_mismatch",
                "fat_arch says x86_64h (subtype 8), the header x86_64 (subtype 3)",
                accept(mb.fat_value(mismatch_sub_placed)), kernel_runs),
    ]


def cases():
    return (thin_valid_cases() + fat_valid_cases() + header_cases() + load_command_cases() + segment_cases() +
            segment_word_size_cases() + platform_cases() + code_signature_cases() + code_signature_differentials() + fat_invalid_cases())

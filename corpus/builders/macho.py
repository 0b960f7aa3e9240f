"""Small Mach-O files (mach-o/loader.h, fat.h), thin in either word size and byte order
or fat/fat64, with __TEXT, __LINKEDIT, LC_UUID, LC_BUILD_VERSION and an embedded signature
that verifies; and a reader that finds the LC_CODE_SIGNATURE bytes of existing files."""
import struct

from . import codesign

MH_MAGIC, MH_MAGIC_64, FAT_MAGIC, FAT_MAGIC_64 = 0xFEEDFACE, 0xFEEDFACF, 0xCAFEBABE, 0xCAFEBABF
LC_SEGMENT, LC_SEGMENT_64, LC_UUID, LC_CODE_SIGNATURE, LC_BUILD_VERSION = 0x1, 0x19, 0x1B, 0x1D, 0x32
LC_VERSION_MIN_MACOSX = 0x24
LC_DYLD_INFO_ONLY, LC_MAIN, LC_LOAD_DYLIB = 0x80000022, 0x80000028, 0xC
CPU_X86_64, CPU_ARM64, CPU_I386, CPU_ARM, CPU_PPC = 0x01000007, 0x0100000C, 7, 12, 18


def segment(order, is_64, name, fileoff, filesize, prot):
    seg = name.encode().ljust(16, b"\0")
    if is_64:
        return struct.pack(order + "II16sQQQQIIII", LC_SEGMENT_64, 72, seg, fileoff, filesize, fileoff, filesize,
                           prot, prot, 0, 0)
    return struct.pack(order + "II16sIIIIIIII", LC_SEGMENT, 56, seg, fileoff, filesize, fileoff, filesize,
                       prot, prot, 0, 0)


def thin(*, is_64=True, big_endian=False, cputype=CPU_ARM64, cpusubtype=0, filetype=2, code_pages=2,
         page_log2=12, signer_options=None, version_min=False, unsigned=False, extra_commands=()):
    """A signed image: header and commands, code_pages of __TEXT, then __LINKEDIT ending in
    the signature. signer_options go to codesign.signature(); extra_commands are
    (cmd, body) pairs placed before LC_CODE_SIGNATURE."""
    order = ">" if big_endian else "<"
    word = 8 if is_64 else 4
    header_size = 32 if is_64 else 28
    page = 1 << page_log2
    text_size = code_pages * page

    def commands(sig_offset, sig_size):
        out = segment(order, is_64, "__TEXT", 0, text_size, 5)
        out += segment(order, is_64, "__LINKEDIT", text_size, sig_offset + sig_size - text_size, 1)
        out += struct.pack(order + "II", LC_UUID, 24) + bytes(range(16))
        if version_min:
            out += struct.pack(order + "IIII", LC_VERSION_MIN_MACOSX, 16, 0x000A0F00, 0x000B0000)
        else:
            out += struct.pack(order + "IIIIII", LC_BUILD_VERSION, 24, 1, 0x000B0000, 0x000B0300, 0)
        for cmd, body in extra_commands:
            out += struct.pack(order + "II", cmd, 8 + len(body)) + body
        if not unsigned:
            out += struct.pack(order + "IIII", LC_CODE_SIGNATURE, 16, sig_offset, sig_size)
        return out

    def image(sig_offset, sig_size):
        cmds = commands(sig_offset, sig_size)
        ncmds = (4 if unsigned else 5) + len(extra_commands)
        magic = MH_MAGIC_64 if is_64 else MH_MAGIC
        hdr = struct.pack(order + "IIIIIII", magic, cputype, cpusubtype, filetype, ncmds, len(cmds), 0)
        if is_64:
            hdr += b"\0" * 4
        body = hdr + cmds
        code = bytearray(body.ljust(text_size, b"\0"))
        for i in range(len(body), text_size, 97):  # something other than zeros to hash
            code[i] = i & 0xFF
        linkedit = b"LINKEDIT" * 4
        return bytes(code) + linkedit

    options = dict(signer_options or {})
    options.setdefault("exec_seg", (0, text_size, 1 if filetype == 2 else 0))
    options.setdefault("page_log2", page_log2)
    sig_offset = text_size + 32
    if unsigned:
        return image(sig_offset, 0)
    # The signature's size does not depend on the hashes, so size it first, then sign.
    draft = codesign.signature(b"\0" * sig_offset, **options)
    prefix = image(sig_offset, len(draft))
    assert len(prefix) == sig_offset
    return prefix + codesign.signature(prefix, **options)


def fat(slices, *, fat64=False, align_log2=12):
    """slices: [(cputype, cpusubtype, image bytes)]."""
    entry = 32 if fat64 else 20
    offset = 8 + entry * len(slices)
    table, body = b"", b""
    for cputype, cpusubtype, data in slices:
        pad = -(offset + len(body)) % (1 << align_log2)
        body += b"\0" * pad
        at = offset + len(body)
        if fat64:
            table += struct.pack(">IIQQII", cputype, cpusubtype, at, len(data), align_log2, 0)
        else:
            table += struct.pack(">IIIII", cputype, cpusubtype, at, len(data), align_log2)
        body += data
    return struct.pack(">II", FAT_MAGIC_64 if fat64 else FAT_MAGIC, len(slices)) + table + body


def samples():
    """(name, bytes) of built Mach-O files."""
    from . import der, requirements
    ents = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n</dict>\n</plist>\n'
    full = {"entitlements_xml": ents, "entitlements_der": der.entitlements({"com.apple.security.app-sandbox": True}),
            "requirements": requirements.requirement_set([(3, requirements.requirement(requirements.expressions()[0][1]))]),
            "hash_types": (codesign.SHA1, codesign.SHA256), "team": "A1B2C3D4E5", "flags": 0x10000,
            "runtime": 0x000B0000}
    arm64 = thin(code_pages=1, signer_options=full)
    x86 = thin(cputype=CPU_X86_64, cpusubtype=3, code_pages=1, signer_options={"flags": 0x20002})
    return [
        ("macho-arm64-full", arm64),
        ("macho-x86_64-adhoc", x86),
        ("macho-i386", thin(is_64=False, cputype=CPU_I386, cpusubtype=3, version_min=True)),
        ("macho-ppc-big-endian", thin(is_64=False, big_endian=True, cputype=CPU_PPC, filetype=6,
                                      signer_options={"hash_types": (codesign.SHA1,)})),
        ("macho-arm64-16k-pages", thin(page_log2=14, code_pages=1, signer_options={"version": 0x20600})),
        ("macho-unsigned", thin(unsigned=True, code_pages=1)),
        ("macho-fat", fat([(CPU_X86_64, 3, x86), (CPU_ARM64, 0, arm64)])),
        ("macho-fat64", fat([(CPU_ARM64, 0, thin(code_pages=1))], fat64=True)),
        # LC_DYLD_INFO_ONLY whose tables lie past the file, LC_MAIN, LC_LOAD_DYLIB: commands
        # entsig only skips, but other readers follow.
        ("macho-other-commands", thin(code_pages=1, extra_commands=[
            (LC_DYLD_INFO_ONLY, struct.pack("<10I", 0x100000, 8, 0, 0, 0, 0, 0, 0, 0x100000, 16)),
            (LC_MAIN, struct.pack("<QQ", 0x100, 0)),
            (LC_LOAD_DYLIB, struct.pack("<IIII", 24, 2, 0x10000, 0x10000) + b"/usr/lib/libSystem.B.dylib\0\0\0\0\0\0")])),
    ]


def signatures(data):
    """LC_CODE_SIGNATURE bytes of every slice of a thin or fat file (best effort: files we
    cannot walk give nothing)."""
    out = []
    if len(data) < 8:
        return out
    magic = struct.unpack(">I", data[:4])[0]
    if magic in (FAT_MAGIC, FAT_MAGIC_64):
        count = struct.unpack(">I", data[4:8])[0]
        entry = 32 if magic == FAT_MAGIC_64 else 20
        for i in range(min(count, 64)):
            at = 8 + i * entry
            if magic == FAT_MAGIC_64:
                _, _, off, size, _, _ = struct.unpack(">IIQQII", data[at:at + entry])
            else:
                _, _, off, size, _ = struct.unpack(">IIIII", data[at:at + entry])
            out += _slice_signature(data[off:off + size])
        return out
    return _slice_signature(data)


def _slice_signature(image):
    if len(image) < 28:
        return []
    raw = image[:4]
    order = {b"\xfe\xed\xfa\xce": ">", b"\xfe\xed\xfa\xcf": ">", b"\xce\xfa\xed\xfe": "<", b"\xcf\xfa\xed\xfe": "<"}.get(raw)
    if order is None:
        return []
    is_64 = raw in (b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe")
    ncmds = struct.unpack(order + "I", image[16:20])[0]
    pos = 32 if is_64 else 28
    for _ in range(ncmds):
        if pos + 8 > len(image):
            break
        cmd, size = struct.unpack(order + "II", image[pos:pos + 8])
        if cmd == LC_CODE_SIGNATURE and pos + 16 <= len(image):
            off, length = struct.unpack(order + "II", image[pos + 8:pos + 16])
            return [image[off:off + length]] if off + length <= len(image) else []
        if size < 8:
            break
        pos += size
    return []


def split_superblob(sig):
    """(slot, blob bytes) of each index entry that lies inside the SuperBlob."""
    if len(sig) < 12 or struct.unpack(">I", sig[:4])[0] != codesign.EMBEDDED:
        return []
    length, count = struct.unpack(">II", sig[4:12])
    out = []
    for i in range(min(count, (len(sig) - 12) // 8)):
        slot, off = struct.unpack(">II", sig[12 + 8 * i:20 + 8 * i])
        if off + 8 <= len(sig):
            size = struct.unpack(">I", sig[off + 4:off + 8])[0]
            if size >= 8 and off + size <= len(sig):
                out.append((slot, sig[off:off + size]))
    return out

"""Mach-O inputs for the macho area: thin images from the corpus builders (which sign them),
fat containers laid out here so that a case can bend any fat_arch field, byte patches of
built images, and the expected tagged summary (conformance/ADAPTERS.md, "Structure areas")
computed from what was built."""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus"))

from builders import macho  # noqa: E402

from model import t_array, t_bool, t_dict, t_int, t_str  # noqa: E402

CPU_X86_64, CPU_ARM64, CPU_I386, CPU_PPC = macho.CPU_X86_64, macho.CPU_ARM64, macho.CPU_I386, macho.CPU_PPC
CPU_PPC64 = CPU_PPC | 0x01000000
LC_SEGMENT, LC_SEGMENT_64, LC_UUID, LC_CODE_SIGNATURE = 0x1, 0x19, 0x1B, 0x1D
LC_BUILD_VERSION, LC_VERSION_MIN_MACOSX, LC_RPATH, LC_DYLIB_CODE_SIGN_DRS = 0x32, 0x24, 0x8000001C, 0x2B
PAGE = 4096  # every image here has one 4 KiB code page


class Image:
    """A built thin image and the fields its summary reports."""

    def __init__(self, data, *, cputype, cpusubtype, filetype, is_64, big_endian, ncmds, signature):
        self.data = bytes(data)
        self.cputype, self.cpusubtype, self.filetype = cputype, cpusubtype, filetype
        self.is_64, self.big_endian, self.ncmds = is_64, big_endian, ncmds
        self.signature = signature  # (dataoff, datasize) or None

    def order(self):
        return ">" if self.big_endian else "<"

    def replaced(self, data, **fields):
        """The same image with other bytes (a patch) and, where given, other summary fields."""
        keep = dict(cputype=self.cputype, cpusubtype=self.cpusubtype, filetype=self.filetype, is_64=self.is_64,
                    big_endian=self.big_endian, ncmds=self.ncmds, signature=self.signature)
        keep.update(fields)
        return Image(data, **keep)


def thin(*, is_64=True, big_endian=False, cputype=CPU_ARM64, cpusubtype=0, filetype=2, unsigned=False,
         version_min=False, extra_commands=(), page_log2=12):
    """macho.thin() with one code page. The builder writes __TEXT, __LINKEDIT, LC_UUID, a
    platform command, the extra commands and LC_CODE_SIGNATURE, and puts the signature 32
    bytes after the code page (right after the LINKEDIT filler), up to the end of the file."""
    data = macho.thin(is_64=is_64, big_endian=big_endian, cputype=cputype, cpusubtype=cpusubtype, filetype=filetype,
                      code_pages=1, page_log2=page_log2, unsigned=unsigned, version_min=version_min,
                      extra_commands=list(extra_commands))
    ncmds = (4 if unsigned else 5) + len(extra_commands)
    dataoff = (1 << page_log2) + 32
    signature = None if unsigned else (dataoff, len(data) - dataoff)
    return Image(data, cputype=cputype, cpusubtype=cpusubtype, filetype=filetype, is_64=is_64,
                 big_endian=big_endian, ncmds=ncmds, signature=signature)


# ---------------------------------------------------------------------------
# Load-command patches


def header_size(image):
    return 32 if image.is_64 else 28


def command_offsets(image):
    """(offset, cmd, cmdsize) of each load command of a well-formed built image."""
    o = image.order()
    ncmds = struct.unpack_from(o + "I", image.data, 16)[0]
    pos, out = header_size(image), []
    for _ in range(ncmds):
        cmd, size = struct.unpack_from(o + "II", image.data, pos)
        out.append((pos, cmd, size))
        pos += size
    return out


def find_command(image, cmd, nth=0):
    return [at for at, c, _ in command_offsets(image) if c == cmd][nth]


def find_segment(image, name):
    """Offset of the segment command called `name`."""
    for at, cmd, _ in command_offsets(image):
        if cmd in (LC_SEGMENT, LC_SEGMENT_64) and image.data[at + 8:at + 24].rstrip(b"\0") == name.encode():
            return at
    raise KeyError(name)


def put32(image, at, value):
    out = bytearray(image.data)
    struct.pack_into(image.order() + "I", out, at, value & 0xFFFFFFFF)
    return bytes(out)


def put_word(image, at, value):
    """A segment field: 8 bytes in a 64-bit image, 4 in a 32-bit one."""
    out = bytearray(image.data)
    struct.pack_into(image.order() + ("Q" if image.is_64 else "I"), out, at, value)
    return bytes(out)


def segment_filesize_at(image, seg):
    """Offset of a segment command's filesize field."""
    return seg + (48 if image.is_64 else 36)


def segment_nsects_at(image, seg):
    return seg + (64 if image.is_64 else 48)


def segment_body(order, is_64, name, fileoff, filesize, prot=3):
    """An extra segment command for thin(extra_commands=...): the bytes after cmd and cmdsize."""
    return macho.segment(order, is_64, name, fileoff, filesize, prot)[8:]


# ---------------------------------------------------------------------------
# Fat containers


FAT_MAGIC, FAT_MAGIC_64 = 0xCAFEBABE, 0xCAFEBABF


def align_up(n, alignment):
    return -(-n // alignment) * alignment


def fat_layout(images, *, fat64=False, align_log2=12):
    """[(cputype, cpusubtype, offset, size, align)] with each slice at the next aligned offset
    after the table, in table order: the layout lipo writes."""
    pos = 8 + (32 if fat64 else 20) * len(images)
    arches = []
    for cputype, cpusubtype, image in images:
        pos = align_up(pos, 1 << align_log2)
        arches.append((cputype, cpusubtype, pos, len(image.data), align_log2))
        pos += len(image.data)
    return arches


def fat_bytes(arches, bodies, *, fat64=False, count=None, size=None):
    """A fat header with `count` (default: the table's length), the fat_arch table, and each
    (offset, bytes) of `bodies` placed in a file of `size` bytes (default: just long enough)."""
    head = struct.pack(">II", FAT_MAGIC_64 if fat64 else FAT_MAGIC, len(arches) if count is None else count)
    for cputype, cpusubtype, offset, length, align in arches:
        if fat64:
            head += struct.pack(">IIQQII", cputype, cpusubtype, offset, length, align, 0)
        else:
            head += struct.pack(">IIIII", cputype, cpusubtype, offset, length, align)
    end = max([len(head)] + [at + len(b) for at, b in bodies])
    out = bytearray(head.ljust(end if size is None else size, b"\0"))
    for at, b in bodies:
        out[at:at + len(b)] = b
    return bytes(out)


def fat(images, *, fat64=False, align_log2=12, arch_override=None):
    """(file bytes, [(offset, image)]) of a fat file holding images = [(cputype, cpusubtype,
    Image)]. arch_override maps a table index to (cputype, cpusubtype) written in place of the
    slice's own. The plain layout is checked against corpus/builders macho.fat()."""
    arches = fat_layout(images, fat64=fat64, align_log2=align_log2)
    bodies = [(a[2], img.data) for a, (_, _, img) in zip(arches, images)]
    plain = fat_bytes(arches, bodies, fat64=fat64)
    assert plain == macho.fat([(c, s, img.data) for c, s, img in images], fat64=fat64, align_log2=align_log2)
    for index, (cputype, cpusubtype) in (arch_override or {}).items():
        arches[index] = (cputype, cpusubtype) + arches[index][2:]
    return fat_bytes(arches, bodies, fat64=fat64), [(a[2], img) for a, (_, _, img) in zip(arches, images)]


# ---------------------------------------------------------------------------
# Expected summaries


def slice_value(offset, image):
    pairs = [("offset", t_int(offset)), ("size", t_int(len(image.data))), ("cputype", t_int(image.cputype)),
             ("cpusubtype", t_int(image.cpusubtype)), ("filetype", t_int(image.filetype)),
             ("ncmds", t_int(image.ncmds)), ("is_64", t_bool(image.is_64)), ("big_endian", t_bool(image.big_endian))]
    if image.signature is not None:
        pairs.append(("code_signature", t_dict(("dataoff", t_int(image.signature[0])),
                                               ("datasize", t_int(image.signature[1])))))
    return t_dict(*pairs)


def thin_value(image):
    return t_dict(("kind", t_str("thin")), ("slices", t_array(slice_value(0, image))))


def fat_value(placed, fat64=False):
    return t_dict(("kind", t_str("fat64" if fat64 else "fat")),
                  ("slices", t_array(*[slice_value(at, img) for at, img in placed])))

"""Shared by the superblob, code-directory and requirements areas: the corpus builders
(corpus/builders, which also make the fuzz seeds) and small independent readers that give
the expected tagged values from the bytes a case holds (conformance/ADAPTERS.md, "Structure
areas")."""

import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus"))

from builders import codesign, requirements  # noqa: E402,F401
from model import Case, accept, reject, t_array, t_dict, t_int, t_str  # noqa: E402


def u32(data, at):
    return struct.unpack(">I", data[at:at + 4])[0]


def superblob_value(sb):
    """The superblob area's value, read from the header and index of well-formed bytes."""
    magic, length = u32(sb, 0), u32(sb, 4)
    if magic == codesign.CODE_DIRECTORY:
        return t_dict(("magic", t_int(magic)), ("length", t_int(length)), ("count", t_int(0)), ("blobs", t_array()))
    count = u32(sb, 8)
    blobs = []
    for i in range(count):
        slot, offset = u32(sb, 12 + 8 * i), u32(sb, 16 + 8 * i)
        blobs.append(t_dict(("slot", t_int(slot)), ("offset", t_int(offset)),
                            ("magic", t_int(u32(sb, offset))), ("length", t_int(u32(sb, offset + 4)))))
    return t_dict(("magic", t_int(magic)), ("length", t_int(length)), ("count", t_int(count)),
                  ("blobs", t_array(*blobs)))


def c_string(data, at):
    end = data.index(b"\0", at)
    return data[at:end].decode("utf-8")


def code_directory_value(cd):
    """The code-directory area's value, read from a well-formed CodeDirectory's header."""
    (_, length, version, flags, hash_offset, ident_offset, n_special, n_code, limit32, hash_size, hash_type,
     platform, page_log2, _) = struct.unpack(">IIIIIIIIIBBBBI", cd[:44])
    limit = limit32
    if version >= 0x20300:
        limit64 = struct.unpack(">Q", cd[56:64])[0]
        limit = limit64 or limit32
    pairs = [("version", t_int(version)), ("flags", t_int(flags)), ("hash_type", t_int(hash_type)),
             ("hash_size", t_int(hash_size)), ("page_size_log2", t_int(page_log2)), ("platform", t_int(platform)),
             ("special_slots", t_int(n_special)), ("code_slots", t_int(n_code)), ("code_limit", t_int(limit)),
             ("identifier", t_str(c_string(cd, ident_offset)))]
    if version >= 0x20200 and u32(cd, 48):
        pairs.append(("team_id", t_str(c_string(cd, u32(cd, 48)))))
    if version >= 0x20400:
        base, seg_limit, seg_flags = struct.unpack(">QQQ", cd[64:88])
        pairs += [("exec_seg_base", t_int(base)), ("exec_seg_limit", t_int(seg_limit)),
                  ("exec_seg_flags", t_int(seg_flags))]
    if version >= 0x20500:
        pairs.append(("runtime", t_int(u32(cd, 88))))
    name, _ = codesign.HASHES[hash_type]
    pairs.append(("cdhash", t_str(hashlib.new(name, cd[:length]).hexdigest()[:40])))
    return t_dict(*pairs)


def patch32(data, at, value):
    return data[:at] + struct.pack(">I", value & 0xFFFFFFFF) + data[at + 4:]


def patch8(data, at, value):
    return data[:at] + bytes([value]) + data[at + 1:]


def case_maker(area):
    def make(name, cls, rule, data, description, expect=None, cf=None, peers=None, refs=()):
        return Case(area=area, name=name, cls=cls, rule=rule, data=data, description=description, expect=expect,
                    expect_cf=cf, behaviours=peers or {}, refs=list(refs))
    return make


class AreaCases:
    """The case constructors of an area whose valid value is read back from the case's bytes
    by `value_of` (superblob_value, code_directory_value)."""

    def __init__(self, area, value_of=None):
        self.make = case_maker(area)
        self.value_of = value_of

    def valid(self, name, rule, data, description, peers=None):
        return self.make(name, "valid", rule, data, description, accept(self.value_of(data)), peers=peers)

    def invalid(self, name, rule, data, description, error, error_class="malformed", peers=None, cf=None):
        return self.make(name, "invalid", rule, data, description, reject(error, error_class), peers=peers, cf=cf)

    def differential(self, name, rule, data, description, peers):
        return self.make(name, "differential", rule, data, description, peers=peers)


__all__ = ["codesign", "requirements", "superblob_value", "code_directory_value", "patch32", "patch8", "u32",
           "case_maker", "AreaCases", "accept", "reject"]

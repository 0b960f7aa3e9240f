"""Raw code signatures for `entsig inspect`: SuperBlobs, bare CodeDirectories and the
requirement sets inside them, with counts, offsets and lengths that wrap, fan-out indexes,
deep requirement programs, and valid blobs cut at every boundary. Rules: docs/codesign.md
("SuperBlob rules", "CodeDirectory rules"), docs/requirements.md."""
import struct

from builders import codesign as cs
from builders import der as der_builder
from builders import requirements as rq
from builders.signatures import CODE, code_directories

from . import SIGNATURE_VERBS, Case, accept, reject

GROUP = "signature"
ENTS = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>get-task-allow</key>\n\t<true/>\n</dict>\n</plist>\n'


def put32(data, at, value):
    return data[:at] + struct.pack(">I", value & 0xFFFFFFFF) + data[at + 4:]


def put64(data, at, value):
    return data[:at] + struct.pack(">Q", value) + data[at + 8:]


def designated():
    return rq.requirement_set([(3, rq.requirement(rq.expressions()[0][1]))])


def with_requirements(reqset):
    """SuperBlob [CD in slot 0, reqset in slot 2] and the requirement set's offset."""
    cd = cs.code_directory(CODE)
    return cs.superblob([(cs.SLOT_CD, cd), (cs.SLOT_REQUIREMENTS, reqset)]), 12 + 16 + len(cd)


def superblob_cases():
    out = []
    add = out.append
    sig = cs.signature(CODE, entitlements_xml=ENTS, entitlements_der=der_builder.entitlements({"get-task-allow": True}),
                       requirements=designated(), hash_types=(cs.SHA1, cs.SHA256), team="A1B2C3D4E5")
    add(Case("sb-valid", GROUP, sig, SIGNATURE_VERBS, accept(),
             "CD, requirements, XML and DER entitlements, alternate CD: the layout codesign writes"))
    cd_at = struct.unpack(">I", sig[16:20])[0]
    add(Case("sb-count-2e32-1", GROUP, put32(sig, 8, 0xFFFFFFFF), SIGNATURE_VERBS,
             reject("codesign.superblob.count_exceeds_length"), "index count 2^32-1, checked before allocating"))
    add(Case("sb-length-2e32-1", GROUP, put32(sig, 4, 0xFFFFFFFF), SIGNATURE_VERBS,
             reject("codesign.superblob.length_exceeds_buffer"), "SuperBlob length 2^32-1 is past the input"))
    add(Case("sb-length-8", GROUP, put32(sig, 4, 8), SIGNATURE_VERBS,
             reject("codesign.superblob.length_too_small"), "SuperBlob length 8 is below its 12-byte header"))
    add(Case("sb-index-offset-2e32-1", GROUP, put32(sig, 16, 0xFFFFFFFF), SIGNATURE_VERBS,
             reject("codesign.blob.offset_out_of_range"), "entry 0's offset 2^32-1 leaves no room for a blob"))
    add(Case("sb-blob-length-2e32-1", GROUP, put32(sig, cd_at + 4, 0xFFFFFFFF), SIGNATURE_VERBS,
             reject("codesign.blob.length_exceeds_superblob"), "the CD's length 2^32-1 runs past the SuperBlob"))
    add(Case("sb-blob-length-0", GROUP, put32(sig, cd_at + 4, 0), SIGNATURE_VERBS,
             reject("codesign.blob.length_too_small"), "the CD's length 0 is below its 8-byte header"))
    twice = put32(put32(sig, 12 + 8, cs.SLOT_CD), 12 + 8 + 4, cd_at)
    add(Case("sb-duplicate-slot", GROUP, twice, SIGNATURE_VERBS,
             reject("codesign.superblob.duplicate_slot"), "entry 1 is the slot-0 CodeDirectory again"))
    cd = cs.code_directory(CODE)
    n = 100000
    header = 12 + 8 * (n + 1)
    generic = cs.blob(0x12345678, b"")
    index = struct.pack(">II", cs.SLOT_CD, header) + b"".join(
        struct.pack(">II", 0x20000 + i, header + len(cd)) for i in range(n))
    body = cd + generic
    fan = struct.pack(">III", cs.EMBEDDED, header + len(body), n + 1) + index + body
    add(Case("sb-fanout-100000", GROUP, fan, SIGNATURE_VERBS, accept(),
             "100000 index entries (unknown slots) at one 8-byte blob: overlaps are diagnostics, found in "
             "O(n log n), not rejections"))
    reqs, at = with_requirements(designated())
    add(Case("sb-requirements-count-2e32-1", GROUP, put32(reqs, at + 8, 0xFFFFFFFF), SIGNATURE_VERBS,
             reject("requirements.set.count_out_of_range"), "requirement set count 2^32-1"))
    deep = rq.requirement(struct.pack(">I", rq.NOT) * 100000 + struct.pack(">I", rq.TRUE))
    reqs, at = with_requirements(rq.requirement_set([(3, deep)]))
    add(Case("sb-requirements-not-100000", GROUP, reqs, SIGNATURE_VERBS,
             reject("requirements.depth.limit", at + 32 + 4 * 999),
             "100000 nested `!`: the node at level 1000 (max_depth, the top is level 1) is refused, at its opcode"))
    big = rq.requirement(struct.pack(">II", rq.IDENT, 0xFFFFFFFF) + b"abcd")
    reqs, at = with_requirements(rq.requirement_set([(3, big)]))
    add(Case("sb-requirements-data-2e32-1", GROUP, reqs, SIGNATURE_VERBS,
             reject("requirements.data.out_of_range"), "identifier data length 2^32-1"))
    add(Case("requirements-raw", GROUP, designated(), SIGNATURE_VERBS, reject("core.unknown_format", 0),
             "inspect reads Mach-O, SuperBlobs and CodeDirectories; a bare requirement set is none of them"))
    out += requirement_truncations()
    out += cut(sig, "sb", {"magic": 2, "magic+2": 6, "header-8": 8, "header": 12, "index": 12 + 8 * 5,
                           "cd-header": cd_at + 8, "cd-middle": cd_at + 60})
    return out


def requirement_truncations():
    """A requirement set whose own length says it ends at k bytes (the SuperBlob agrees)."""
    full = designated()
    out = []
    for k, error, why in ((8, "requirements.blob.bad_length", "the set's length 8 is below its 12-byte header"),
                          (12, "requirements.set.count_out_of_range", "no room for the one index entry"),
                          (20, "requirements.set.offset_out_of_range", "the entry's offset leaves no room for a blob"),
                          (28, "requirements.blob.bad_length", "the requirement's length is past the set"),
                          (40, "requirements.blob.bad_length", "the requirement's length is past the set")):
        reqset = put32(full[:k], 4, k)
        sig, _ = with_requirements(reqset)
        out.append(Case("sb-requirements-cut-%d" % k, GROUP, sig, SIGNATURE_VERBS, reject(error), why))
    return out


def cut(valid, prefix, bounds):
    out = []
    for name, end in bounds.items():
        data = valid[:end]
        if end == 0:
            error = "core.empty_input"
        elif end < 4:
            error = "core.unknown_format"
        elif end < 8:
            error = "codesign.superblob.truncated"
        else:
            error = "codesign.superblob.length_exceeds_buffer"
        out.append(Case("%s-cut-after-%s" % (prefix, name), GROUP, data, SIGNATURE_VERBS,
                        reject(error, 0 if end < 4 else None),
                        "cut at %d bytes: %s" % (end, "the length field is past the input" if end >= 8 else
                                                 "shorter than a blob header" if end >= 4 else "no magic")))
    return out


def code_directory_cases():
    out = []
    add = out.append
    cd = cs.code_directory(CODE)
    add(Case("cd-valid", GROUP, cd, SIGNATURE_VERBS, accept(), "a bare version 0x20400 CodeDirectory"))
    for name, at, error in (("code-slots-2e32-1", 28, "codesign.cd.code_slots_out_of_range"),
                            ("special-slots-2e32-1", 24, "codesign.cd.special_slots_out_of_range"),
                            ("hash-offset-2e32-1", 16, "codesign.cd.hash_offset_out_of_range"),
                            ("ident-offset-2e32-1", 20, "codesign.cd.identifier_out_of_range")):
        add(Case("cd-" + name, GROUP, put32(cd, at, 0xFFFFFFFF), SIGNATURE_VERBS, reject(error),
                 "field at CD offset %d is 2^32-1; slot arithmetic is 64-bit" % at))
    add(Case("cd-code-limit64-2e64-1", GROUP, put64(cd, 56, (1 << 64) - 1), SIGNATURE_VERBS,
             reject("codesign.cd.code_slot_count_mismatch"),
             "codeLimit64 2^64-1 becomes the signing limit, which 4 code slots do not cover"))
    scatter = dict(code_directories())["cd-scatter"]
    patched = put32(put32(scatter, 48, 0xFFFFFFFF), 48 + 24 + 4, 0xFFFFFFFF)
    add(Case("cd-scatter-pages-wrap", GROUP, patched, SIGNATURE_VERBS, reject("codesign.cd.scatter_page_overflow"),
             "scatter counts 2^32-1 and 1 (bases 0 and 2^32-1, no overlap) total 2^32 pages"))
    out += cut(cd, "cd", {"magic+2": 6, "header-8": 8, "version-header": 44, "hashes": 100})
    return out


def cases():
    return superblob_cases() + code_directory_cases()

"""Signature-shaped seeds that no Mach-O carries: CodeDirectories of every version, hash
type and optional field, bare CodeDirectories, and SuperBlob layouts that Security and
XNU read differently (unsorted index, gaps, unknown slots, a second CD in an alternate
slot)."""
import struct

from . import codesign as cs
from . import requirements

CODE = bytes((i * 7) & 0xFF for i in range(3 * 4096 + 100))


def code_directories():
    """(name, CodeDirectory bytes)."""
    out = []
    for version in (0x20001, 0x20100, 0x20200, 0x20300, 0x20400, 0x20500, 0x20600, 0x20700):
        out.append(("cd-v%x" % version, cs.code_directory(CODE, version=version, team="A1B2C3D4E5")))
    for hash_type in (cs.SHA1, cs.SHA256_TRUNCATED, cs.SHA384):
        out.append(("cd-hash%d" % hash_type, cs.code_directory(CODE, hash_type=hash_type)))
    out += [
        ("cd-scatter", cs.code_directory(CODE, version=0x20100, scatter=[(2, 0, 0), (1, 3, 8192)])),
        ("cd-linkage", cs.code_directory(CODE, version=0x20600, linkage=(2, bytes(20)))),
        ("cd-pre-encrypt", cs.code_directory(CODE, version=0x20500, pre_encrypt=True, runtime=0x000C0000)),
        ("cd-codelimit64", cs.code_directory(CODE, version=0x20300, code_limit64=len(CODE))),
        ("cd-16k-pages", cs.code_directory(CODE, page_log2=14)),
        ("cd-special-slots", cs.code_directory(CODE, special={n: b"blob%d" % n for n in range(1, 12)})),
        ("cd-flags", cs.code_directory(CODE, flags=0x3FFFF, exec_seg=(0, 4096, 0x3F1), platform=2)),
        ("cd-empty-code", cs.code_directory(b"", code_limit=0)),
    ]
    return out


def superblobs():
    """(name, signature bytes) beyond what built Mach-O files hold."""
    ents = b"<plist version=\"1.0\"><dict><key>get-task-allow</key><true/></dict></plist>"
    reqs = requirements.requirement_set([(3, requirements.requirement(requirements.expressions()[1][1]))])
    cd = cs.code_directory(CODE)
    alt = cs.code_directory(CODE, hash_type=cs.SHA1)
    out = [
        ("sig-bare-cd", cd),
        ("sig-empty", cs.superblob([])),
        ("sig-full", cs.signature(CODE, entitlements_xml=ents, requirements=reqs, cms=b"\x30\x80",
                                  hash_types=(cs.SHA1, cs.SHA256, cs.SHA384), team="A1B2C3D4E5")),
        ("sig-alternate-only", cs.superblob([(cs.SLOT_ALT, cd)])),
        ("sig-alternate-gap", cs.superblob([(0, alt), (cs.SLOT_ALT + 1, cd)])),
        ("sig-unknown-slots", cs.superblob([(0, cd), (0x30, cs.blob(0x12345678, b"??")),
                                            (8, cs.blob(cs.LAUNCH_CONSTRAINT, b"\x70\x00")),
                                            (0x10001, cs.blob(0xFADE0B02, b""))])),
        ("sig-cd-outside-cd-slots", cs.superblob([(0, cd), (0x40, alt)])),
    ]
    sig = cs.superblob([(0, cd), (2, reqs)])
    # Index sorted by slot but blobs laid out in reverse: Security's rcodesign-style
    # slicing breaks on it, XNU does not care.
    header = 12 + 16
    reordered = sig[:12] + struct.pack(">IIII", 0, header + len(reqs), 2, header) + reqs + cd
    out.append(("sig-unsorted-offsets", reordered))
    # Zero padding inside the length after the last blob, as codesign leaves it.
    out.append(("sig-padded", sig[:4] + struct.pack(">I", len(sig) + 16) + sig[8:] + b"\0" * 16))
    return out

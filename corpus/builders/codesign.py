"""Embedded signatures (xnu cs_blobs.h): CodeDirectories of every version and hash type,
generic blobs, and the SuperBlob around them. A CodeDirectory built here hashes the code
it is given, so signatures of built Mach-O files verify."""
import hashlib
import struct

EMBEDDED, CODE_DIRECTORY, REQUIREMENTS = 0xFADE0CC0, 0xFADE0C02, 0xFADE0C01
ENTITLEMENTS, DER_ENTITLEMENTS, LAUNCH_CONSTRAINT, BLOB_WRAPPER = 0xFADE7171, 0xFADE7172, 0xFADE8181, 0xFADE0B01
SLOT_CD, SLOT_REQUIREMENTS, SLOT_ENTITLEMENTS, SLOT_DER, SLOT_ALT, SLOT_CMS = 0, 2, 5, 7, 0x1000, 0x10000
SHA1, SHA256, SHA256_TRUNCATED, SHA384 = 1, 2, 3, 4
HASHES = {SHA1: ("sha1", 20), SHA256: ("sha256", 32), SHA256_TRUNCATED: ("sha256", 20), SHA384: ("sha384", 48)}
# Where each version's fixed header ends (cs_blobs.h CS_CodeDirectory).
HEADER_SIZE = [(0x20600, 108), (0x20500, 96), (0x20400, 88), (0x20300, 64), (0x20200, 52), (0x20100, 48), (0, 44)]


def digest(hash_type, data):
    name, size = HASHES[hash_type]
    return hashlib.new(name, data).digest()[:size]


def blob(magic, payload):
    return struct.pack(">II", magic, 8 + len(payload)) + payload


def superblob(entries, magic=EMBEDDED):
    """entries: [(slot, blob bytes)] in index order."""
    header = 12 + 8 * len(entries)
    index, body, offset = b"", b"", header
    for slot, b in entries:
        index += struct.pack(">II", slot, offset)
        body += b
        offset += len(b)
    return struct.pack(">III", magic, offset, len(entries)) + index + body


def header_size(version):
    return next(size for v, size in HEADER_SIZE if version >= v)


def code_directory(code, *, version=0x20400, hash_type=SHA256, identifier="com.example.app", team=None,
                   page_log2=12, special=None, flags=0x2, code_limit=None, exec_seg=(0, 0, 0), runtime=0,
                   platform=0, scatter=None, linkage=None, pre_encrypt=False, code_limit64=0):
    """special: {slot number: blob bytes}, hashed into the special slots."""
    special = special or {}
    hsize = HASHES[hash_type][1]
    limit = len(code) if code_limit is None else code_limit
    page = 1 << page_log2
    pages = [code[i:min(i + page, limit)] for i in range(0, limit, page)]
    if scatter:  # one hash slot per scattered page, in entry order
        slots = [code[(e[1] + k) * page:(e[1] + k + 1) * page] for e in scatter for k in range(e[0])]
    else:
        slots = pages
    n_special = max(special, default=0)
    fixed = header_size(version)
    tail = b""
    scatter_offset = 0
    if scatter and version >= 0x20100:
        scatter_offset = fixed + len(tail)
        for count, base, target in scatter:
            tail += struct.pack(">IIQQ", count, base, target, 0)
        tail += b"\0" * 24  # sentinel
    ident_offset = fixed + len(tail)
    tail += identifier.encode() + b"\0"
    team_offset = 0
    if team is not None and version >= 0x20200:
        team_offset = fixed + len(tail)
        tail += team.encode() + b"\0"
    tail += b"\0" * (-len(tail) % 4)
    for n in range(n_special, 0, -1):
        tail += digest(hash_type, special[n]) if n in special else b"\0" * hsize
    hash_offset = fixed + len(tail)
    for p in slots:
        tail += digest(hash_type, p)
    pre_offset = 0
    if pre_encrypt and version >= 0x20500:
        pre_offset = fixed + len(tail)
        for p in slots:
            tail += digest(hash_type, p)
    link_offset = link_size = 0
    link_type = 0
    if linkage and version >= 0x20600:
        link_type, link_data = linkage
        link_offset, link_size = fixed + len(tail), len(link_data)
        tail += link_data
    length = fixed + len(tail)
    h = struct.pack(">IIIIIIIIIBBBBI", CODE_DIRECTORY, length, version, flags, hash_offset, ident_offset,
                    n_special, len(slots), limit if limit < 2**32 else 0, hsize, hash_type, platform,
                    page_log2, 0)
    if version >= 0x20100:
        h += struct.pack(">I", scatter_offset)
    if version >= 0x20200:
        h += struct.pack(">I", team_offset)
    if version >= 0x20300:
        h += struct.pack(">IQ", 0, code_limit64)
    if version >= 0x20400:
        h += struct.pack(">QQQ", *exec_seg)
    if version >= 0x20500:
        h += struct.pack(">II", runtime, pre_offset)
    if version >= 0x20600:
        h += struct.pack(">BBHII", link_type, 1 if link_type else 0, 0, link_offset, link_size)
    assert len(h) == fixed, (hex(version), len(h), fixed)
    # XNU wants at least sizeof(CS_CodeDirectory) bytes whatever the version.
    cd = h + tail
    if len(cd) < 112:
        cd += b"\0" * (112 - len(cd))
        cd = cd[:4] + struct.pack(">I", len(cd)) + cd[8:]
    return cd


def signature(code, *, entitlements_xml=None, entitlements_der=None, requirements=None, cms=None,
              hash_types=(SHA256,), **cd_options):
    """A SuperBlob as codesign lays it out: CD, requirements, entitlements, DER entitlements,
    alternate CDs, then the CMS wrapper; special slots bind every blob present."""
    blobs = []
    if requirements is not None:
        blobs.append((SLOT_REQUIREMENTS, requirements))
    if entitlements_xml is not None:
        blobs.append((SLOT_ENTITLEMENTS, blob(ENTITLEMENTS, entitlements_xml)))
    if entitlements_der is not None:
        blobs.append((SLOT_DER, blob(DER_ENTITLEMENTS, entitlements_der)))
    special = {slot: b for slot, b in blobs}
    cds = []
    for i, hash_type in enumerate(hash_types):
        cd = code_directory(code, hash_type=hash_type, special=special, **cd_options)
        cds.append((SLOT_CD if i == 0 else SLOT_ALT + i - 1, cd))
    entries = cds[:1] + blobs + cds[1:]
    if cms is not None:
        entries.append((SLOT_CMS, blob(BLOB_WRAPPER, cms)))
    return superblob(entries)

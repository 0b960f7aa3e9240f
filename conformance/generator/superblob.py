"""superblob cases: the embedded signature container (codesign-rules A1, A2): header and
index bounds, blob bounds, slot typing, duplicates, alternate CodeDirectories."""

import struct

from peers import A, P, R
from signature_common import AreaCases, codesign, patch32, requirements, superblob_value

AREA = "superblob"
CASES = AreaCases(AREA, superblob_value)
valid, invalid, differential = CASES.valid, CASES.invalid, CASES.differential
CODE = bytes(range(256)) * 32  # two 4 KiB pages
ENTS = b'<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>k</key><true/></dict></plist>'
SB = codesign


def cd(**options):
    return SB.code_directory(CODE, **options)


def raw(magic, length, entries, body=b""):
    """A SuperBlob from explicit header fields and (slot, offset) entries, then `body`."""
    return struct.pack(">III", magic, length, len(entries)) + b"".join(
        struct.pack(">II", s, o) for s, o in entries) + body


def valid_cases():
    req = requirements.requirement_set([(3, requirements.requirement(requirements.op(requirements.TRUE)))])
    full = SB.signature(CODE, entitlements_xml=ENTS, entitlements_der=b"\x70\x05\x02\x01\x01\xb0\x00",
                        requirements=req, cms=b"", hash_types=(SB.SHA1, SB.SHA256))
    out = [
        valid("code-directory-only", "superblob.header.bounds", SB.superblob([(0, cd())]), "one CodeDirectory at slot 0"),
        valid("codesign-layout", "superblob.slots.typed", full,
              "CodeDirectory, requirements, XML and DER entitlements, an alternate SHA-256 CodeDirectory and the "
              "CMS wrapper, as codesign lays them out"),
        valid("bare-code-directory", "superblob.magic", cd(),
              "a bare CodeDirectory where the SuperBlob would be: the kernel accepts it (A1 #1.2)",
              peers=P(xnu=A(note="cs_validate_csblob accepts CSMAGIC_CODEDIRECTORY"))),
        valid("unknown-slots", "superblob.slots.generic",
              SB.superblob([(0, cd()), (0x10001, SB.blob(0xFADE0B01, b"x" * 4)), (0x12345, SB.blob(0x11111111, b""))]),
              "slots the kernel does not know get only the generic header and length check (A2 #2.3)"),
        valid("launch-constraint-slot", "superblob.slots.typed",
              SB.superblob([(0, cd()), (8, SB.blob(SB.LAUNCH_CONSTRAINT, b"\x70\x00"))]),
              "slot 8 holds a 0xfade8181 launch-constraint blob"),
        valid("alternates-0x1000-0x1004", "superblob.alternates.range",
              SB.superblob([(0, cd(hash_type=SB.SHA1))] + [(0x1000 + i, cd(hash_type=h)) for i, h in
                                                              enumerate((SB.SHA256, SB.SHA384, SB.SHA256_TRUNCATED))]),
              "slot 0 SHA-1 and alternates 0x1000..0x1002 with three other hash types"),
    ]
    # Unsorted offsets, gaps and trailing bytes: the kernel checks each blob's bounds only.
    a, b = cd(), SB.blob(SB.ENTITLEMENTS, ENTS)
    header = 12 + 16
    out.append(valid("offsets-unsorted", "superblob.layout.free",
                     raw(SB.EMBEDDED, header + len(b) + len(a), [(0, header + len(b)), (5, header)], b + a),
                     "index entries whose offsets run backwards: XNU requires no order (A1 #1.4); rcodesign assumes "
                     "sorted offsets (A1 #1.7)",
                     peers=P(xnu=A(), rcodesign=R("slices [offset_i, offset_i+1): an earlier blob's end lies before "
                                                   "its start"))))
    gap = b"\0" * 16
    out.append(valid("gap-between-blobs", "superblob.layout.free",
                     raw(SB.EMBEDDED, header + len(a) + len(gap) + len(b), [(0, header), (5, header + len(a) + len(gap))],
                         a + gap + b),
                     "16 bytes of padding between two blobs: only disk-image signatures must tile exactly (A1 #1.6)"))
    one = SB.superblob([(0, cd())])
    out.append(valid("trailing-bytes-after-length", "superblob.header.bounds", one + b"\0" * 64,
                     "64 zero bytes after the SuperBlob's length: length, not the buffer, bounds the blobs (A1 #1.1); "
                     "LC_CODE_SIGNATURE often rounds up"))
    shared = raw(SB.EMBEDDED, 12 + 16 + len(a), [(0, 28), (0x10001, 28)], a)
    out.append(valid("two-entries-one-blob", "superblob.layout.free", shared,
                     "two index entries at one blob offset (a generic slot aliases the CodeDirectory)"))
    return out


def invalid_cases():
    one = SB.superblob([(0, cd())])
    n = len(one)
    out = [
        invalid("empty", "superblob.code-directory.required", SB.superblob([]),
                "count 0 and length 12: the bounds hold, but there is no CodeDirectory (A2 #2.1)",
                "codesign.superblob.no_code_directory", peers=P(xnu=R("EBADEXEC: no CodeDirectory"))),
        invalid("entitlements-without-code-directory", "superblob.code-directory.required",
                SB.superblob([(5, SB.blob(SB.ENTITLEMENTS, ENTS))]),
                "an entitlements blob and no CodeDirectory: nothing binds the entitlements (A2 #2.1, #6.4)",
                "codesign.superblob.no_code_directory", peers=P(xnu=R("EBADEXEC: no CodeDirectory"))),
        invalid("code-directory-only-at-0x1005", "superblob.code-directory.required",
                SB.superblob([(0x1005, cd())]),
                "a CodeDirectory at 0x1005, past CSSLOT_ALTERNATE_CODEDIRECTORY_LIMIT, and none where the kernel "
                "looks (A2 #2.1, #2.7)", "codesign.superblob.no_code_directory", "ambiguous",
                peers=P(xnu=R("EBADEXEC: no CodeDirectory"), ldid=A(note="hashes it as a CodeDirectory (A2 #2.7)"))),
        invalid("truncated-header", "superblob.header.bounds", one[:7], "7 bytes: shorter than a blob header",
                "codesign.superblob.truncated"),
        invalid("length-below-12", "superblob.header.bounds", patch32(SB.superblob([]), 4, 8),
                "length 8: a SuperBlob header is 12 bytes (A1 #1.3)", "codesign.superblob.length_too_small"),
        invalid("length-past-buffer", "superblob.header.bounds", patch32(one, 4, n + 1),
                "length one byte more than the buffer (A1 #1.1)", "codesign.superblob.length_exceeds_buffer"),
        invalid("magic-embedded-old", "superblob.magic", patch32(one, 0, 0xFADE0B02),
                "CSMAGIC_EMBEDDED_SIGNATURE_OLD 0xfade0b02: EBADEXEC (A1 #1.2)", "codesign.superblob.bad_magic"),
        invalid("magic-requirements", "superblob.magic", requirements.requirement_set([]),
                "a requirement set 0xfade0c01 where the signature should be", "codesign.superblob.bad_magic"),
        invalid("count-exceeds-length", "superblob.header.count", patch32(one, 8, (n - 12) // 8 + 1),
                "count one more than (length-12)/8 index entries fit in length (A1 #1.3)",
                "codesign.superblob.count_exceeds_length"),
        invalid("count-0x10000000", "superblob.header.count", patch32(one, 8, 0x10000000),
                "count 0x10000000: go-macho allocated 2 GiB for it before reading (A1 #1.8)",
                "codesign.superblob.count_exceeds_length",
                peers=P(gomacho=R("make([]BlobIndex, count) first: 2 GiB, then EOF"))),
        invalid("count-0xffffffff", "superblob.header.count", patch32(one, 8, 0xFFFFFFFF),
                "count 0xffffffff: 12 + 8*count wraps in 32 bits", "codesign.superblob.count_exceeds_length",
                peers=P(ldid=R("walks super->count entries with no bounds check (A1 #1.9)"))),
        invalid("blob-offset-past-length", "superblob.blob.bounds", patch32(one, 16, n + 4),
                "index offset past the SuperBlob's length (A1 #1.4)", "codesign.blob.offset_out_of_range"),
        invalid("blob-header-past-length", "superblob.blob.bounds", patch32(one, 16, n - 4),
                "index offset 4 bytes before the end: no room for the blob's 8-byte header",
                "codesign.blob.offset_out_of_range"),
        invalid("blob-length-past-superblob", "superblob.blob.bounds", patch32(one, 24, n - 20 + 1),
                "a blob whose length runs one byte past the SuperBlob (A1 #1.4)", "codesign.blob.length_exceeds_superblob"),
        invalid("blob-length-below-8", "superblob.blob.bounds",
                SB.superblob([(0, cd()), (0x10001, struct.pack(">II", 0xFADE0B01, 4))]),
                "a blob whose length field (4) is smaller than its header", "codesign.blob.length_too_small"),
        invalid("entitlements-wrong-magic", "superblob.slots.typed",
                SB.superblob([(0, cd()), (5, SB.blob(SB.DER_ENTITLEMENTS, b"\x70\x00"))]),
                "slot 5 holding a 0xfade7172 blob: slot 5 must be 0xfade7171 (A2 #2.2)", "codesign.blob.wrong_magic"),
        invalid("der-entitlements-wrong-magic", "superblob.slots.typed",
                SB.superblob([(0, cd()), (7, SB.blob(SB.ENTITLEMENTS, ENTS))]),
                "slot 7 holding a 0xfade7171 blob: slot 7 must be 0xfade7172 (A2 #2.2)", "codesign.blob.wrong_magic"),
        invalid("code-directory-wrong-magic", "superblob.slots.typed",
                SB.superblob([(0, SB.blob(SB.ENTITLEMENTS, ENTS))]),
                "slot 0 holding an entitlements blob", "codesign.blob.wrong_magic"),
        invalid("duplicate-entitlements-slot", "superblob.slots.duplicates",
                SB.superblob([(0, cd()), (5, SB.blob(SB.ENTITLEMENTS, ENTS)), (5, SB.blob(SB.ENTITLEMENTS, ENTS))]),
                "two slot-5 entitlements blobs: \"multiple entitlements blobs\" (A2 #2.2)",
                "codesign.superblob.duplicate_slot", "ambiguous",
                peers=P(xnu=R("EBADEXEC"), ldid=A(note="reads the first"))),
        invalid("duplicate-code-directory-slot", "superblob.slots.duplicates",
                SB.superblob([(0, cd()), (0, cd(identifier="com.example.other"))]),
                "two slot-0 CodeDirectories naming different identifiers", "codesign.superblob.duplicate_slot",
                "ambiguous"),
        invalid("duplicate-hash-type", "superblob.alternates.hash-types",
                SB.superblob([(0, cd(hash_type=SB.SHA256)), (0x1000, cd(hash_type=SB.SHA256, identifier="com.x"))]),
                "two SHA-256 CodeDirectories: \"multiple hash=2 CodeDirectories\" (A2 #2.4)",
                "codesign.superblob.duplicate_hash_type", "ambiguous",
                peers=P(xnu=R("rank equal to the current best"), security=R("errSecCSSignatureInvalid (A2 #2.5)"))),
    ]
    return out


def differential_cases():
    sha1, sha256 = cd(hash_type=SB.SHA1), cd(hash_type=SB.SHA256)
    return [
        differential("duplicate-lower-hash-after-higher", "superblob.alternates.hash-types",
                     SB.superblob([(0, sha256), (0x1000, sha1), (0x1001, cd(hash_type=SB.SHA1, identifier="com.x"))]),
                     "SHA-256, SHA-1, SHA-1: the kernel compares each CD only with the current best rank, so the "
                     "second SHA-1 passes; Security rejects any duplicate hash type (A2 #2.4, #2.5)",
                     P(xnu=A(), security=R("errSecCSSignatureInvalid"))),
        differential("alternate-gap", "superblob.alternates.range",
                     SB.superblob([(0, sha1), (0x1001, sha256)]),
                     "an alternate at 0x1001 with 0x1000 empty: Security's scan stops at the first missing slot and "
                     "never sees it; the kernel validates every slot in 0x1000..0x1004 (A2 #2.1, #2.5)",
                     P(xnu=A(note="validates 0x1001 and may prefer its SHA-256"),
                       security=A(note="loadCodeDirectories stops at 0x1000"),
                       gomacho=A(note="only 0x1000 is an alternate; 0x1001 is an unknown slot type (A2 #2.8)"))),
        differential("alternate-0x1005", "superblob.alternates.range",
                     SB.superblob([(0, sha1), (0x1005, sha256)]),
                     "a CodeDirectory at 0x1005, one past CSSLOT_ALTERNATE_CODEDIRECTORY_LIMIT: the kernel ignores it; "
                     "ldid treats every type >= 0x1000 as a CodeDirectory (A2 #2.1, #2.7)",
                     P(xnu=A(note="not a CodeDirectory slot"), ldid=A(note="hashed as a CodeDirectory"))),
        differential("blob-offset-inside-index", "superblob.blob.bounds",
                     raw(SB.EMBEDDED, 12 + 16 + len(sha1), [(0, 28), (0x10001, 12)], sha1),
                     "an entry whose offset (12) points into the index: Security requires offset >= 12 + count*8 "
                     "(A1 #1.5); the kernel has no lower bound (A1 #1.4)",
                     P(xnu=A(note="no lower bound on offsets"), security=R("SuperBlobCore::validateBlob"))),
        differential("null-entry-offset-0", "superblob.layout.free",
                     raw(SB.EMBEDDED, 12 + 16 + len(sha1), [(0, 28), (0x10001, 0)], sha1),
                     "an entry with offset 0: Security skips it as unused (A1 #1.5); the kernel's bounds hold, since "
                     "the SuperBlob's own header is a valid blob header at offset 0",
                     P(security=A(note="offset 0 is a null entry"), xnu=A(note="generic check of the header at 0"))),
    ]


def cases():
    return valid_cases() + invalid_cases() + differential_cases()

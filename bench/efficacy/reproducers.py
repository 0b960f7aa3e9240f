#!/usr/bin/env python3
"""Writes one tiny reproducer per seeded bug (bench/efficacy/bugs.txt) as OUTDIR/<NAME>.

  bench/efficacy/reproducers.py OUTDIR

Each file is a whole fuzz input for the bug's target, leading option bytes included. A
seeded build of that target must crash on it and a clean build must reject it quietly;
`bench/efficacy/run --prove` and the `efficacy: reproducers` test check that. The files are
never given to a fuzzer: the benchmark starts from the committed seeds only.
"""
import struct
import sys
from pathlib import Path


def be32(*values):
    return b"".join(struct.pack(">I", v) for v in values)


def le32(*values):
    return b"".join(struct.pack("<I", v) for v in values)


def bplist(objects, table, offset_size, ref_size, count):
    """bplist00 + objects + offset table + trailer (top object 0)."""
    table_offset = 8 + len(objects)
    trailer = bytes(6) + bytes([offset_size, ref_size]) + struct.pack(">QQQ", count, 0, table_offset)
    return b"bplist00" + objects + table + trailer


def bplist_offset_table():
    # One object (false at 8); its table entry points one byte past the end of the input.
    payload_size = 8 + 1 + 1 + 32
    return b"\x00" + bplist(b"\x08", bytes([payload_size]), 1, 1, 1)


def bplist_object_size():
    # An ASCII string whose int length (255) runs past the end of the file.
    return b"\x00" + bplist(b"\x5f\x10\xff", b"\x08", 1, 1, 1)


def bplist_ref_range():
    # A one-object array whose 8-byte ref is 2^56: far past the per-object table.
    return b"\x00" + bplist(b"\xa1" + struct.pack(">Q", 1 << 56), b"\x08", 1, 8, 1)


def superblob_count():
    # Length 12 (header only) but count 1: the index entry lies past the input.
    return b"\x00\x00" + be32(0xFADE0CC0, 12, 1)


def code_directory(hash_offset, ident_offset, code_slots, code_limit, tail):
    """A 112-byte version 0x20001 SHA-256 CodeDirectory; `tail` fills bytes 44..112."""
    header = be32(0xFADE0C02, 112, 0x20001, 0, hash_offset, ident_offset, 0, code_slots, code_limit)
    header += bytes([32, 2, 0, 12]) + be32(0)  # hashSize, hashType, platform, pageSize, spare2
    assert len(header) == 44 and len(tail) == 68
    return header + tail


def blob_length_underflow():
    # featherPoC's go-macho panic: an entitlements blob of length 0. A CodeDirectory (identifier
    # "a", one code slot at 80) sits in slot 0, since a SuperBlob without one is refused whole.
    cd = code_directory(80, 44, 1, 1, b"a" + bytes(67))
    index_end = 12 + 2 * 8
    entitlements_at = index_end + len(cd)
    length = entitlements_at + 8
    return b"\x00\x00" + be32(0xFADE0CC0, length, 2, 0, index_end, 5, entitlements_at) + cd + be32(0xFADE7171, 0)


def cd_hash_offset():
    # hashOffset 64 KiB in a 112-byte CD with one code slot.
    return b"\x00" + code_directory(0x10000, 44, 1, 1, b"a" + bytes(67))


def cd_ident_nul():
    # The identifier at 44 runs to the end of the blob and the input with no NUL.
    return b"\x00" + code_directory(112, 44, 0, 0, b"a" * 68)


def req_data_length():
    # A single requirement: identifier "..." with data length 0xffffffff (go-macho C6).
    return b"\x00" + be32(0xFADE0C00, 20, 1, 2, 0xFFFFFFFF)


def der_length():
    # [APPLICATION 16] of length 5 with only 3 content bytes (INTEGER 1) in the input.
    return b"\x00\x00" + bytes([0x70, 0x05, 0x02, 0x01, 0x01])


def macho_header(ncmds, sizeofcmds):
    # 64-bit little-endian arm64 executable.
    return le32(0xFEEDFACF, 0x0100000C, 0, 2, ncmds, sizeofcmds, 0, 0)


def macho_lc_size():
    # Two commands in sizeofcmds 16; the first says cmdsize 24, so the second is read
    # past the end of the input.
    return b"\x00\x00" + macho_header(2, 16) + le32(0x99, 24, 0, 0)


def macho_codesig_overflow():
    # __LINKEDIT covers the file; LC_CODE_SIGNATURE dataoff 0xfffffff0 + datasize 0x20
    # wraps to 0x10 in 32 bits.
    size = 32 + 72 + 16
    segment = le32(0x19, 72) + b"__LINKEDIT".ljust(16, b"\0")
    segment += struct.pack("<QQQQ", 0, 0x4000, 0, size) + le32(1, 1, 0, 0)
    signature = le32(0x1D, 16, 0xFFFFFFF0, 0x20)
    return b"\x00\x00" + macho_header(2, 72 + 16) + segment + signature


REPRODUCERS = {
    "BPLIST_OFFSET_TABLE": bplist_offset_table,
    "BPLIST_OBJECT_SIZE": bplist_object_size,
    "BPLIST_REF_RANGE": bplist_ref_range,
    "SUPERBLOB_COUNT": superblob_count,
    "BLOB_LENGTH_UNDERFLOW": blob_length_underflow,
    "CD_HASH_OFFSET": cd_hash_offset,
    "CD_IDENT_NUL": cd_ident_nul,
    "REQ_DATA_LENGTH": req_data_length,
    "DER_LENGTH": der_length,
    "MACHO_LC_SIZE": macho_lc_size,
    "MACHO_CODESIG_OVERFLOW": macho_codesig_overflow,
}

# Leading option bytes of each target's fuzz input (docs/fuzzing.md, "Targets").
LEADING_BYTES = {"plist_binary": 1, "superblob": 2, "code_directory": 1, "requirements": 1,
                 "der_entitlements": 2, "macho": 2}

# What a clean build's `entsig` says about the payload (the input without its leading
# bytes): the check each seeded bug removes. The requirement has no `entsig` verb of its own.
CLEAN_ERRORS = {
    "BPLIST_OFFSET_TABLE": "bplist.offset_table.out_of_range",
    "BPLIST_OBJECT_SIZE": "bplist.length.out_of_range",
    "BPLIST_REF_RANGE": "bplist.object_ref.out_of_range",
    "SUPERBLOB_COUNT": "codesign.superblob.count_exceeds_length",
    "BLOB_LENGTH_UNDERFLOW": "codesign.blob.length_too_small",
    "CD_HASH_OFFSET": "codesign.cd.hash_offset_out_of_range",
    "CD_IDENT_NUL": "codesign.cd.identifier_unterminated",
    "REQ_DATA_LENGTH": None,
    "DER_LENGTH": "der.length.out_of_range",
    "MACHO_LC_SIZE": "macho.load_command.exceeds_sizeofcmds",
    "MACHO_CODESIG_OVERFLOW": "macho.code_signature.range_overflow",
}


def write_all(outdir):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for name, make in REPRODUCERS.items():
        (outdir / name).write_bytes(make())
    return outdir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_all(sys.argv[1])

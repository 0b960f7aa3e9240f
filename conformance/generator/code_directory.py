"""code-directory cases: one CodeDirectory blob of every version and hash type, and each
field check of codesign-rules A3-A10 (versions, hash sizes, page size, slot arithmetic,
scatter, identifier and team strings, linkage and pre-encrypt)."""

from peers import A, P, R
from signature_common import AreaCases, code_directory_value, codesign, patch32, patch8, u32

AREA = "code-directory"
CASES = AreaCases(AREA, code_directory_value)
valid, invalid = CASES.valid, CASES.invalid
SB = codesign
CODE = bytes((i * 7) & 0xFF for i in range(3 * 4096 + 100))  # three pages and a partial one
# Field offsets in CS_CodeDirectory (cs_blobs.h; codesign-rules A3 table).
LENGTH, VERSION, FLAGS, HASH_OFFSET, IDENT_OFFSET, N_SPECIAL, N_CODE, CODE_LIMIT = 4, 8, 12, 16, 20, 24, 28, 32
HASH_SIZE, HASH_TYPE, PLATFORM, PAGE_SIZE = 36, 37, 38, 39
SCATTER_OFFSET, TEAM_OFFSET, CODE_LIMIT64, PRE_ENCRYPT, LINKAGE_TYPE, LINKAGE_OFFSET, LINKAGE_SIZE = (
    44, 48, 56, 92, 96, 100, 104)


def cd(**options):
    return SB.code_directory(CODE, **options)


PRE = SB.code_directory(CODE, version=0x20500, pre_encrypt=True)


def valid_cases():
    out = []
    for version in (0x20001, 0x20100, 0x20200, 0x20300, 0x20400, 0x20500, 0x20600):
        out.append(valid("version-%x" % version, "cd.version.fields",
                         cd(version=version, team="A1B2C3D4E5" if version >= 0x20200 else None),
                         "version 0x%x: the fields up to its header end are read, later ones are not" % version))
    for hash_type, name in ((SB.SHA1, "sha1"), (SB.SHA256, "sha256"), (SB.SHA256_TRUNCATED, "sha256-truncated"),
                            (SB.SHA384, "sha384")):
        out.append(valid("hash-" + name, "cd.hash.type-and-size", cd(hash_type=hash_type),
                         "hash type %d with its hash size; the cdhash is that hash truncated to 20 bytes" % hash_type))
    out += [
        valid("page-size-16k", "cd.page-size", cd(page_log2=14), "pageSize 14: 16 KiB pages (arm64 kernels)"),
        valid("special-slots-7", "cd.slots.arithmetic", cd(special={n: bytes([n]) * 8 for n in (1, 2, 5, 7)}),
              "seven special slots, 3, 4 and 6 zero (absent blobs)"),
        valid("code-limit-partial-page", "cd.slots.arithmetic", cd(code_limit=4096 * 2 + 1),
              "codeLimit one byte into the third page: three code slots (A5 #5.2)"),
        valid("code-limit-one-byte", "cd.code-range", cd(code_limit=1),
              "codeLimit 1: one code slot, and the kernel's covered range [0, 4096) is not empty (A10 #10.1)"),
        valid("scatter-range-one-byte-past-start", "cd.code-range",
              cd(version=0x20100, scatter=[(1, 2, 0)], code_limit=2 * 4096 + 1),
              "one scatter entry at page 2 and codeLimit 8193: the range [8192, 12288) holds one page (A7 #7.4)"),
        valid("code-limit64", "cd.version.fields", cd(version=0x20300, code_limit64=len(CODE) - 50),
              "codeLimit64 set (version 0x20300), 50 bytes below codeLimit: it is the code limit (A3 #3.3)"),
        valid("code-limit64-zero", "cd.version.fields", cd(version=0x20300, code_limit64=0),
              "codeLimit64 0: codeLimit stays the limit"),
        valid("exec-seg-main-binary", "cd.version.fields", cd(exec_seg=(0, 0x4000, 1)),
              "execSegFlags CS_EXECSEG_MAIN_BINARY with base 0 and limit 0x4000"),
        valid("runtime-version", "cd.version.fields", cd(version=0x20500, runtime=0x000E0000, flags=0x10000),
              "hardened runtime flag and runtime version 14.0.0"),
        valid("platform-binary", "cd.version.fields", cd(platform=1, flags=0),
              "platform 1: Apple's own code, no team id"),
        valid("scatter", "cd.scatter", cd(version=0x20100, scatter=[(2, 0, 0), (1, 2, 0x8000)]),
              "two scatter entries and the count-0 sentinel (A7)"),
        valid("identifier-utf8", "cd.strings", cd(identifier="com.example.\u00e9t\u00e9"),
              "an identifier with UTF-8 letters"),
        valid("pre-encrypt", "cd.version.fields", cd(version=0x20500, pre_encrypt=True),
              "preEncryptOffset points at a second table of code hashes inside the blob (A9 #9.2)"),
        valid("linkage", "cd.version.fields", cd(version=0x20600, linkage=(SB.SHA256, b"L" * 32)),
              "linkage hash type SHA-256 with 32 bytes at linkageOffset (A9 #9.1)"),
        valid("version-above-known", "cd.version.range", patch32(cd(version=0x20600), VERSION, 0x20700),
              "version 0x20700: above the newest known, below compatibilityLimit 0x2f000; Security only logs it "
              "(A3 #3.3)"),
        valid("special-slots-overlap-header", "cd.slots.arithmetic",
              patch32(cd(), N_SPECIAL, u32(cd(), HASH_OFFSET) // 32),
              "nSpecialSlots = hashOffset / hashSize: special hashes reach back into the header, which the kernel "
              "allows (A6 #6.1)", peers=P(xnu=A(), security=A(note="contains() needs offset >= 8 only"))),
    ]
    return out


def invalid_cases():
    base = cd()
    n = len(base)
    ho = u32(base, HASH_OFFSET)
    out = [
        invalid("shorter-than-struct", "cd.header.size", patch32(base[:100], LENGTH, 100),
                "a 100-byte CodeDirectory: the kernel wants sizeof(CS_CodeDirectory) whatever the version (A3 #3.1)",
                "codesign.cd.too_short"),
        invalid("version-below-earliest", "cd.version.range", patch32(base, VERSION, 0x20000),
                "version 0x20000, below Security's earliestVersion 0x20001 (A3 #3.3)", "codesign.cd.version_too_old"),
        invalid("version-past-compatibility-limit", "cd.version.range", patch32(base, VERSION, 0x2F000),
                "version 0x2f000: Security's compatibilityLimit (A3 #3.3)", "codesign.cd.version_unsupported",
                peers=P(xnu=A(note="no version bound (A3 #3.2)"), security=R("errSecCSSignatureUnsupported"))),
        invalid("hash-type-0", "cd.hash.type-and-size", patch8(base, HASH_TYPE, 0), "hash type 0 (A4 #4.1)",
                "codesign.cd.unknown_hash_type"),
        invalid("hash-type-5", "cd.hash.type-and-size", patch8(base, HASH_TYPE, 5),
                "hash type 5: no such algorithm", "codesign.cd.unknown_hash_type"),
        invalid("hash-size-mismatch", "cd.hash.type-and-size", patch8(base, HASH_SIZE, 20),
                "SHA-256 with hashSize 20 (A4 #4.1)", "codesign.cd.hash_size_mismatch",
                peers=P(rcodesign=A(note="checks no hashType/hashSize consistency (A4 #4.7)"))),
        invalid("page-size-0", "cd.page-size", patch8(base, PAGE_SIZE, 0),
                "pageSize 0 (\"infinite\"): the kernel rejects it (A5 #5.1)", "codesign.cd.page_size_zero",
                peers=P(rcodesign=A(note="2^0: one-byte pages (A5 #5.3)"))),
        invalid("page-size-32", "cd.page-size", patch8(base, PAGE_SIZE, 32),
                "pageSize 32: 1 << 32 overflows a u32 (A5 #5.3)", "codesign.cd.page_size_too_large"),
    ]
    # Each side of the two page shifts the kernel accepts, and the largest shift below 32
    # (2 GiB pages); nCodeSlots still counts 4 KiB pages, but the page shift is refused first.
    for shift in (11, 13, 15, 31):
        out.append(invalid("page-size-%d" % shift, "cd.page-size", patch8(base, PAGE_SIZE, shift),
                           "pageSize %d: neither PAGE_SHIFT_4K (12) nor a 16 KiB kernel's PAGE_SHIFT (14) "
                           "(A5 #5.1)" % shift, "codesign.cd.page_size_unsupported",
                           peers=P(xnu=R("disallowing unsupported code signature page shift"))))
    limit64 = cd(version=0x20300, code_limit64=len(CODE))
    scattered = cd(version=0x20100, scatter=[(1, 2, 0)], code_limit=2 * 4096)
    out += [
        invalid("code-limit-zero-with-code-limit64", "cd.code-range", patch32(limit64, CODE_LIMIT, 0),
                "codeLimit 0 and codeLimit64 the whole code: Security pages up to codeLimit64, the kernel rounds "
                "codeLimit up to 0 and refuses the empty range (A3 #3.2, A7 #7.4)", "codesign.cd.code_range_empty",
                "ambiguous", peers=P(xnu=R("csb_end_offset 0: EINVAL in ubc_cs_blob_add"),
                                     security=A(note="signingLimit() is codeLimit64"))),
        invalid("scatter-starts-at-code-limit", "cd.code-range", scattered,
                "one scatter entry at page 2 and codeLimit 8192: the range [8192, 8192) is empty (A7 #7.4)",
                "codesign.cd.code_range_empty", peers=P(xnu=R("csb_start_offset >= csb_end_offset: EINVAL"))),
        invalid("hash-offset-past-length", "cd.slots.arithmetic", patch32(base, HASH_OFFSET, n + 4),
                "hashOffset past the blob (A6 #6.1)", "codesign.cd.hash_offset_out_of_range"),
        invalid("code-slots-past-length", "cd.slots.arithmetic",
                patch32(base, N_CODE, (n - ho) // 32 + 1),
                "one code slot more than fits between hashOffset and the end (A6 #6.1)",
                "codesign.cd.code_slots_out_of_range"),
        invalid("special-slots-past-hash-offset", "cd.slots.arithmetic", patch32(base, N_SPECIAL, ho // 32 + 1),
                "nSpecialSlots > hashOffset / hashSize: special hashes would start before the blob (A6 #6.1, #6.6)",
                "codesign.cd.special_slots_out_of_range",
                peers=P(rcodesign=R("u32 underflow in digest_offset - digest_size * n_special_slots (A6 #6.6)"))),
        invalid("code-slot-count-mismatch", "cd.slots.arithmetic",
                patch32(patch32(base, N_CODE, 3), CODE_LIMIT, len(CODE)),
                "codeLimit needs four pages but nCodeSlots is 3 (A5 #5.2, Security checkIntegrity)",
                "codesign.cd.code_slot_count_mismatch"),
        invalid("identifier-offset-past-length", "cd.strings", patch32(base, IDENT_OFFSET, n + 1),
                "identOffset past the blob (A8 #8.1)", "codesign.cd.identifier_out_of_range"),
        invalid("identifier-unterminated", "cd.strings",
                patch32(base, IDENT_OFFSET, n - 1)[:n - 1] + b"x",
                "identOffset at the last byte, which is not NUL: no terminator before length (A8 #8.1)",
                "codesign.cd.identifier_unterminated",
                peers=P(rcodesign=A(note="the string may run to the end of the blob (A8 #8.4)"))),
        invalid("identifier-offset-0", "cd.strings", patch32(base, IDENT_OFFSET, 0),
                "identOffset 0: the kernel accepts it and Security reads the magic bytes up to the length's NUL as "
                "the identifier (A8 #8.1, #8.3)", "codesign.cd.identifier_offset_zero", "ambiguous",
                peers=P(xnu=A(note="identOffset == 0 accepted"), security=A(note="identifier \"\\xfa\\xde\\x0c\\x02\""))),
        invalid("identifier-in-header", "cd.strings", patch32(base, IDENT_OFFSET, 8),
                "identOffset 8: the identifier overlaps the header fields", "codesign.cd.identifier_in_header",
                "ambiguous"),
        invalid("team-offset-past-length", "cd.strings",
                patch32(cd(version=0x20200, team="T"), TEAM_OFFSET, len(cd(version=0x20200, team="T")) + 1),
                "teamOffset past the blob (A8 #8.2)", "codesign.cd.team_id_out_of_range"),
        invalid("scatter-offset-past-length", "cd.scatter",
                patch32(cd(version=0x20100, scatter=[(2, 0, 0), (1, 2, 0)]), SCATTER_OFFSET, n + 64),
                "scatterOffset past the blob (A7 #7.1)", "codesign.cd.scatter_out_of_range"),
        invalid("scatter-bases-decreasing", "cd.scatter", cd(version=0x20100, scatter=[(1, 2, 0), (2, 0, 0)]),
                "scatter bases that go down: the kernel's lookup wants them strictly increasing (A7 #7.2)",
                "codesign.cd.scatter_not_increasing"),
        invalid("linkage-past-length", "cd.version.fields",
                patch32(cd(version=0x20600, linkage=(SB.SHA256, b"L" * 32)), LINKAGE_SIZE, 0x10000),
                "linkageSize runs past the blob (A9 #9.1)", "codesign.cd.linkage_out_of_range",
                peers=P(gomacho=A(note="allocates LinkageSize bytes from the file (A9 #9.3)"))),
        invalid("pre-encrypt-past-length", "cd.version.fields",
                patch32(PRE, PRE_ENCRYPT, len(PRE) - 8),
                "preEncryptOffset whose table of nCodeSlots hashes runs past the blob (A9 #9.2)",
                "codesign.cd.pre_encrypt_out_of_range"),
    ]
    return out


def cases():
    return valid_cases() + invalid_cases()

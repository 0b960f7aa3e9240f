"""Rules of the signature cases."""

from rule_type import Rule

SIGNATURE_RULES = []

_K = "XNU bsd/kern/ubc_subr.c"
_S = "Security.framework"

SIGNATURE_RULES += [
    # -- superblob --------------------------------------------------------------------------
    Rule("superblob.magic", "superblob",
         "The signature is a SuperBlob (0xfade0cc0) or a bare CodeDirectory (0xfade0c02); any other magic, the old "
         "0xfade0b02 included, is refused.", ["codesign-rules A1 #1.2", _K + " cs_validate_csblob"]),
    Rule("superblob.header.bounds", "superblob",
         "At least 8 bytes; 12 <= length <= the buffer, and from then on length, not the buffer, bounds everything.",
         ["codesign-rules A1 #1.1, #1.3", _K + " cs_validate_blob, cs_validate_csblob"]),
    Rule("superblob.header.count", "superblob",
         "The index fits in length: (length - 12) / 8 >= count, computed without overflow, before anything is "
         "allocated for it.", ["codesign-rules A1 #1.3, #1.8, #1.9", _K + " cs_validate_csblob"]),
    Rule("superblob.blob.bounds", "superblob",
         "Each entry's blob lies inside length: room for its 8-byte header at the offset, 8 <= blob length <= "
         "length - offset, and the offset past the index.",
         ["codesign-rules A1 #1.4, #1.5", _K + " cs_validate_csblob", _S + " superblob.h SuperBlobCore::validateBlob"]),
    Rule("superblob.layout.free", "superblob",
         "Blobs need not be sorted, contiguous or unique: the kernel checks each one's bounds only (strict tiling is "
         "for disk images).", ["codesign-rules A1 #1.4, #1.6, #1.7", _K + " cs_validate_csblob"]),
    Rule("superblob.code-directory.required", "superblob",
         "A SuperBlob holds a CodeDirectory in slot 0 or 0x1000..0x1004: the kernel refuses one without, and "
         "Security counts the code as unsigned.",
         ["codesign-rules A2 #2.1, #2.5", _K + " cs_validate_csblob"]),
    Rule("superblob.slots.typed", "superblob",
         "Typed slots hold their magic: 0 and 0x1000..0x1004 a CodeDirectory 0xfade0c02, 5 0xfade7171, 7 0xfade7172, "
         "8..11 0xfade8181.", ["codesign-rules A2 #2.1, #2.2", _K + " cs_validate_csblob"]),
    Rule("superblob.slots.generic", "superblob",
         "Other slots (requirements, CMS, unknown types) get only the generic header and length check.",
         ["codesign-rules A2 #2.3", _K + " csblob_find_blob_bytes"]),
    Rule("superblob.slots.duplicates", "superblob",
         "At most one blob per typed slot: two would let two readers pick different ones.",
         ["codesign-rules A2 #2.2", _K + " cs_validate_csblob (\"multiple ... blobs\")"]),
    Rule("superblob.alternates.range", "superblob",
         "Alternate CodeDirectories sit at 0x1000..0x1004; Security stops at the first missing one, the kernel does "
         "not, and 0x1005 is no CodeDirectory slot.",
         ["codesign-rules A2 #2.1, #2.5, #2.7, #2.8", _S + " StaticCode.cpp SecStaticCode::loadCodeDirectories"]),
    Rule("superblob.alternates.hash-types", "superblob",
         "No two CodeDirectories share a hash type (Security rejects any duplicate; the kernel one equal to the best "
         "so far).", ["codesign-rules A2 #2.4, #2.5", _K + " cs_validate_csblob"]),
]

SIGNATURE_RULES += [
    # -- code-directory ---------------------------------------------------------------------
    Rule("cd.header.size", "code-directory",
         "A CodeDirectory is at least sizeof(CS_CodeDirectory) bytes whatever its version, and its magic is "
         "0xfade0c02.", ["codesign-rules A3 #3.1", _K + " cs_validate_codedirectory"]),
    Rule("cd.version.range", "code-directory",
         "The version lies in [0x20001, 0x2f000); a version above the newest known is read as the newest.",
         ["codesign-rules A3 #3.2, #3.3", _S + " codedirectory.cpp CodeDirectory::checkIntegrity"]),
    Rule("cd.version.fields", "code-directory",
         "A field is read only when the version has it (scatter 0x20100, team 0x20200, codeLimit64 0x20300, exec "
         "segment 0x20400, runtime and pre-encrypt 0x20500, linkage 0x20600), and what it points at lies inside the "
         "blob.", ["codesign-rules A3 table, A9 #9.1, #9.2", _K + " cs_validate_codedirectory"]),
    Rule("cd.hash.type-and-size", "code-directory",
         "hashType is 1 SHA-1, 2 SHA-256, 3 SHA-256 truncated or 4 SHA-384, and hashSize is that type's size; the "
         "cdhash is the type's hash of the blob truncated to 20 bytes.",
         ["codesign-rules A4 #4.1, A12 #12.1", _K + " cs_find_md, cs_blob_init_validated"]),
    Rule("cd.page-size", "code-directory",
         "pageSize (log2) is 12 (PAGE_SHIFT_4K) or 14, the page shift of 16 KiB arm64 kernels; the kernel refuses "
         "every other value, 0 included.",
         ["codesign-rules A5 #5.1, #5.3", _K + " cs_validate_codedirectory", "XNU osfmk/mach/arm/vm_param.h"]),
    Rule("cd.code-range", "code-directory",
         "The code the kernel covers, from the first scatter entry's page (or 0) to the 32-bit codeLimit rounded up "
         "to a page, is not empty; codeLimit64 does not stand in for a zero codeLimit.",
         ["codesign-rules A3 #3.2, A7 #7.4, A10 #10.1", _K + " cs_blob_init_validated, ubc_cs_blob_add"]),
    Rule("cd.slots.arithmetic", "code-directory",
         "hashOffset <= length; the special slots fit before hashOffset and the code slots after it; nCodeSlots is "
         "the page count of the code limit.",
         ["codesign-rules A5 #5.2, A6 #6.1, #6.2", _K + " cs_validate_codedirectory", _S + " checkIntegrity"]),
    Rule("cd.scatter", "code-directory",
         "Scatter entries and their count-0 sentinel lie inside the blob, bases strictly increase, and the page sum "
         "does not overflow.", ["codesign-rules A7 #7.1-7.3", _K + " cs_validate_codedirectory, hashes()"]),
    Rule("cd.strings", "code-directory",
         "The identifier (and team id when present) is a NUL-terminated string inside the blob, past the header; "
         "identOffset 0 reads the header as a string.",
         ["codesign-rules A8 #8.1-8.4", _S + " blob.cpp BlobCore::stringAt"]),
]

SIGNATURE_RULES += [
    # -- requirements -----------------------------------------------------------------------
    Rule("req.set.layout", "requirements",
         "A set is a 0xfade0c01 SuperBlob whose index fits in its length and whose entries point past the index at "
         "0xfade0c00 requirements inside it; entries may share a blob and bytes may follow an expression.",
         ["codesign-rules A13 #13.1", "Security requirement.h, superblob.h SuperBlobCore::validateBlob"]),
    Rule("req.kind", "requirements", "Kind 1 is the expression program; kind 2 (DER lightweight requirement) is not.",
         ["codesign-rules A13 #13.1", "Security requirement.h"]),
    Rule("req.data", "requirements",
         "Every operand read is bounds-checked against the bytes left, lengths included, before anything is "
         "allocated.", ["codesign-rules A13 #13.2, #13.4", "Security reqreader.h checkSize, reqreader.cpp getData"]),
    Rule("req.depth", "requirements",
         "Expressions nest at most 999 levels (Security's stackLimit 1000, decremented before the check).",
         ["codesign-rules A13 #13.2", "Security reqinterp.cpp Interpreter::eval"]),
    Rule("req.opcodes.unknown", "requirements",
         "An unknown opcode with opGenericFalse is skipped and false, with opGenericSkip skipped in favour of the "
         "next expression, and without either an error.",
         ["codesign-rules A13 #13.2", "Security reqinterp.cpp Interpreter::eval"]),
    Rule("req.text.opcodes", "requirements", "Each opcode prints as Security's dumper prints it.",
         ["Security reqdumper.cpp Dumper::expr"]),
    Rule("req.text.precedence", "requirements",
         "Parentheses follow the dumper's syntax levels: an or inside an and or !, an and inside !.",
         ["Security reqdumper.cpp Dumper::SyntaxLevel"]),
    Rule("req.text.matches", "requirements", "Match operations print as the dumper's match suffixes; others are errors.",
         ["Security reqdumper.cpp Dumper::match", "requirement.h MatchOperation"]),
    Rule("req.text.data", "requirements",
         "Data prints bare (letters and digits, not a reserved word, not starting with a digit), quoted (printable "
         "ASCII, \" and \\ escaped) or as hex.", ["Security reqdumper.cpp Dumper::data"]),
]

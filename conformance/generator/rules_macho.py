"""Rules of the macho cases."""

from rule_type import Rule

_A = "macho"
_LOADER = "XNU bsd/kern/mach_loader.c"
_FAT = "XNU bsd/kern/mach_fat.c fatfile_validate_fatarches"
_LLVM = "LLVM lib/Object/MachOObjectFile.cpp"
_DOC = "docs/codesign.md"

MACHO_RULES = [
    Rule("macho.header.magic", _A,
         "A Mach-O file starts with MH_MAGIC or MH_MAGIC_64 in the file's byte order, or with FAT_MAGIC or "
         "FAT_MAGIC_64, always big-endian; anything else is not Mach-O.",
         ["<mach-o/loader.h>", "<mach-o/fat.h>", _LOADER + " load_machfile"]),
    Rule("macho.header.truncated", _A,
         "The whole mach_header (28 bytes, or 32 for 64-bit) or fat_header (8 bytes) lies in the input.",
         [_LOADER + " parse_machfile", _FAT]),
    Rule("macho.thin.layout", _A,
         "A thin image in either word size and byte order is read with its header fields as stored; "
         "load commands other than those checked here are skipped after the generic bounds checks.",
         ["<mach-o/loader.h>", _DOC]),
    Rule("macho.load-commands.bounds", _A,
         "The load commands lie in the image: header + sizeofcmds within the slice, ncmds at most sizeofcmds / 8, "
         "and room for each command's 8-byte header before sizeofcmds ends.",
         [_LOADER + " parse_machfile", _LLVM + " getNextLoadCommandInfo"]),
    Rule("macho.load-command.cmdsize", _A,
         "Each load command's cmdsize is at least 8 and the command ends within sizeofcmds.",
         [_LOADER + " parse_machfile", _LLVM + " getLoadCommandInfo"]),
    Rule("macho.load-command.alignment", _A,
         "cmdsize is a multiple of 8 in a 64-bit image and of 4 in a 32-bit one. LLVM and cctools refuse other "
         "sizes; XNU does not check, so the kernel-compatible reader accepts them.",
         [_LLVM + " getLoadCommandInfo", "cctools checkout()", _LOADER + " parse_machfile"]),
    Rule("macho.segment.bounds", _A,
         "A segment command holds its nsects section headers, and fileoff + filesize neither wraps nor passes the "
         "end of the slice.", [_LOADER + " load_segment", _LLVM + " parseSegmentLoadCommand"]),
    Rule("macho.segment.word-size", _A,
         "LC_SEGMENT appears only in 32-bit images and LC_SEGMENT_64 only in 64-bit ones: the kernel refuses a "
         "segment command for the other ABI.", [_LOADER + " parse_machfile"]),
    Rule("macho.platform.single", _A,
         "An executable carries one platform command, LC_BUILD_VERSION or LC_VERSION_MIN_*, in all; the kernel "
         "refuses a second. Other file types may carry more: zippered dylibs name macOS and Mac Catalyst.",
         [_LOADER + " parse_machfile, load_version"]),
    Rule("macho.command.fixed-size", _A,
         "Fixed-size commands have their size: LC_UUID 24, LC_VERSION_MIN_* 16, LC_BUILD_VERSION 24 plus 8 per "
         "tool.", [_LLVM + " checkVersCommand, parseBuildVersionCommand", "<mach-o/loader.h>"]),
    Rule("macho.code-signature.cmdsize", _A,
         "LC_CODE_SIGNATURE's cmdsize is sizeof(linkedit_data_command), 16.",
         [_LOADER + " load_code_signature", "codesign-rules A0 0.1"]),
    Rule("macho.code-signature.range", _A,
         "dataoff + datasize does not overflow 32 bits and ends within the slice (macho_size), not merely within "
         "the file.", [_LOADER + " load_code_signature (os_add_overflow)", "codesign-rules A0 0.2, 0.3"]),
    Rule("macho.code-signature.linkedit", _A,
         "The signature lies inside __LINKEDIT. rcodesign's verify also reports a __LINKEDIT that is not the last "
         "segment and a signature that is not the last data in it; entsig does not require either.",
         ["apple-codesign src/macho.rs MachOBinary::find_signature_data", "apple-codesign verify.rs",
          "codesign-rules A0 0.5, C7", _DOC]),
    Rule("macho.code-signature.single", _A, "An image has at most one LC_CODE_SIGNATURE.",
         [_LLVM + " (more than one LC_CODE_SIGNATURE command)", _DOC]),
    Rule("macho.code-signature.located", _A,
         "The signature is what LC_CODE_SIGNATURE (0x1d) points at; an image without one is unsigned, and other "
         "linkedit_data commands such as LC_DYLIB_CODE_SIGN_DRS are not the signature.",
         [_LOADER + " load_code_signature", "LIEF issue #476", "<mach-o/loader.h>"]),
    Rule("macho.fat.layout", _A,
         "A fat (FAT_MAGIC, 32-bit fat_arch) or fat64 (FAT_MAGIC_64, fat_arch_64) file is big-endian; each fat_arch "
         "names a slice that is read as a thin image, in table order.", ["<mach-o/fat.h>", _FAT,
                                                                          "codesign-rules A11"]),
    Rule("macho.fat.arch-count", _A,
         "nfat_arch is not 0 and the fat_arch table fits in the file (a Java class file, also 0xcafebabe, fails "
         "here).", [_FAT]),
    Rule("macho.fat.slice-bounds", _A,
         "Each slice starts after the fat_arch table, offset + size does not wrap (in 32 bits for fat_arch), and "
         "the slice ends within the file.", [_FAT]),
    Rule("macho.fat.slices-disjoint", _A,
         "No two slices overlap and no two fat_arch entries share cputype and cpusubtype.", [_FAT]),
    Rule("macho.fat.nested", _A, "A slice is a Mach-O image, never another fat file: the kernel's fat loader does "
         "not recurse.", [_FAT, "XNU bsd/kern/kern_exec.c exec_fat_imgact"]),
    Rule("macho.fat.cpu-match", _A,
         "Each fat_arch's cputype and cpusubtype (capability bits aside) equal its slice's mach_header. The loader "
         "picks a slice by its fat_arch and checks only the header's CPU family, so a checker that reads the "
         "header can judge another slice than the one that runs (CVE-2018-10405 and the 2018 fat-file bypasses).",
         ["codesign-rules C9", "CVE-2018-10405", "XNU bsd/kern/kern_exec.c exec_mach_imgact", _DOC]),
]

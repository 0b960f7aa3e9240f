// Shared between the Mach-O reader's files; not part of the public API.
#pragma once

#include "entsig/macho.h"

namespace entsig::macho::detail {

// Reads the mach_header and load commands of the slice [offset, offset + size) of `input`
// (the caller has already checked that range). Fat fields are left for the caller.
Result<Slice> parse_slice(Bytes input, std::uint64_t offset, std::uint64_t size,
                          const ParseOptions& options);

// Reads a fat or fat64 container and every slice in it.
Result<File> parse_fat(Bytes input, bool is_fat64, const Limits& limits, const ParseOptions& options);

// Decodes one load command into `slice`. `command` covers exactly cmdsize bytes and carries
// absolute offsets; `cmd` and `cmdsize` have been read and checked (>= 8, inside sizeofcmds).
Status read_load_command(const Cursor& command, std::uint32_t cmd, Slice& slice);

// Checks that need every load command: the signature must lie inside __LINKEDIT.
Status check_code_signature_placement(const Slice& slice);

}  // namespace entsig::macho::detail

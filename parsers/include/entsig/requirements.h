// Code requirements: the Requirements set blob (magic 0xfade0c01, code signature slot 2)
// and single Requirement blobs (0xfade0c00), decoded to Apple's requirement language
// exactly as `codesign -d -r-` prints it (Security.framework reqdumper.cpp), e.g.
//
//   designated => identifier "com.example" and anchor apple generic and
//                 certificate leaf[subject.OU] = TEAM1234
//
// Every read is bounds-checked; the expression tree is walked with an explicit stack and a
// depth limit. See docs/requirements.md for the opcode table and rendering rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "entsig/core.h"

namespace entsig::codesign {

inline constexpr std::uint32_t requirement_set_magic = 0xfade0c01;  // Security: Requirements
inline constexpr std::uint32_t requirement_magic = 0xfade0c00;      // Security: Requirement

// SecRequirementType (CSCommon.h). Other values are kept and printed as Apple prints them.
enum class RequirementType : std::uint32_t {
  host = 1,
  guest = 2,
  designated = 3,
  library = 4,
  plugin = 5,
};

// "host", "guest", "designated", "library", "plugin", "invalid" (0), or
// "/*unknown type*/ N" for any other value (Requirement::typeNames, Dumper::dump).
std::string requirement_type_name(std::uint32_t type);

// Requirement kinds (requirement.h): 1 expression program; 2 is the DER "lightweight code
// requirement" form, which this decoder reports as requirements.kind.unsupported.
inline constexpr std::uint32_t requirement_kind_expression = 1;

struct RequirementOptions {
  // Security.framework's Requirement::Interpreter::stackLimit. Its eval() decrements before
  // it checks, so an expression node nested max_depth levels deep (top level = 1) is
  // rejected: the default accepts 999 levels, as Security does.
  static constexpr std::uint32_t default_max_depth = 1000;
  // Total text of one set. Index entries may all point at the same blob, so without a cap
  // a set could print count times its size; real sets print well under a kilobyte.
  static constexpr std::uint64_t default_max_text_bytes = 16ull << 20;

  std::uint32_t max_depth = default_max_depth;
  std::uint64_t max_text_bytes = default_max_text_bytes;
};

struct Requirement {
  std::uint64_t offset = 0;          // absolute offset of the 0xfade0c00 magic
  std::uint32_t length = 0;          // the blob's length field
  std::uint32_t kind = 0;            // requirement_kind_expression
  std::string text;                  // the expression in requirement language
  std::uint32_t trailing_bytes = 0;  // bytes after the expression, inside `length` (ignored by Security)
};

struct RequirementSetEntry {
  std::uint32_t type = 0;         // RequirementType value, or any other number found
  std::uint32_t blob_offset = 0;  // index offset field, relative to the set
  Requirement requirement;
};

struct RequirementSet {
  std::uint64_t offset = 0;                  // absolute offset of the 0xfade0c01 magic
  std::uint32_t length = 0;                  // the set's length field
  std::vector<RequirementSetEntry> entries;  // in index order

  // First entry of this type, or nullptr (Security's SuperBlob::find).
  const RequirementSetEntry* find(RequirementType type) const;
  // One line per entry, "<type> => <expression>\n", as `codesign -d -r-` prints.
  std::string text() const;
};

// A single 0xfade0c00 blob. `base_offset` is the blob's offset in the outermost input, so
// errors and offsets point at the right byte there.
Result<Requirement> parse_requirement(Bytes blob, const RequirementOptions& options = {},
                                      std::uint64_t base_offset = 0);

// A 0xfade0c01 set: header, index (bounds-checked before any entry is read), then each entry.
Result<RequirementSet> parse_requirement_set(Bytes blob, const RequirementOptions& options = {},
                                             std::uint64_t base_offset = 0);

// Either kind, chosen by magic, as Security's Dumper::dump(const BlobCore*) does: a set gives
// RequirementSet::text(); a single requirement gives its expression and "\n".
Result<std::string> requirements_text(Bytes blob, const RequirementOptions& options = {},
                                      std::uint64_t base_offset = 0);

}  // namespace entsig::codesign

// The structure areas of the conformance corpus: what entsig's readers give for one input
// of superblob, code-directory, requirements, macho and entitlements-policy, as the tagged
// value conformance/ADAPTERS.md ("Structure areas") defines. The plist and DER areas read
// the input as a property list and need nothing from here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "entsig/core.h"
#include "entsig/macho.h"
#include "entsig/plist.h"

namespace entsig::tools::conform {

// Rejections by these readers are entsig errors; the policy area's own input-shape errors
// carry their id in `error_id` with no ErrorCode behind it.
struct AreaResult {
  std::optional<plist::Document> value;
  std::string error_id;
  std::string message;
  bool internal = false;  // an internal error: a bug of ours, reported as a crash
};

bool is_structure_area(std::string_view area);

struct StructurePreset {
  macho::ParseOptions macho;  // strict: LLVM/cctools checks; kernel: XNU's acceptance
};

AreaResult read_structure_area(std::string_view area, Bytes input, const StructurePreset& preset);

}  // namespace entsig::tools::conform

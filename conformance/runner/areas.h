// The conformance areas: one table (conformance/areas.tsv, compiled in as area_table.inc)
// naming each area, the built-in reader that gives entsig's answer for one input, and what
// that answer is: a property-list value, or the structure summary conformance/ADAPTERS.md
// ("Structure areas") defines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/core.h"
#include "entsig/der.h"
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

// The reader options of one built-in adapter (strict, or CF / kernel acceptance).
struct AreaPreset {
  plist::ReadOptions plist;
  der::DerOptions der;
  macho::ParseOptions macho;  // strict: LLVM/cctools checks; kernel: XNU's acceptance
};

enum class AreaOutput { value, structure };

struct AreaInfo {
  std::string_view name;
  AreaOutput output;
  std::string_view input;  // what an adapter reads on stdin
  AreaResult (*read)(Bytes input, const AreaPreset& preset);
};

// Every area, in the table's order.
const std::vector<AreaInfo>& area_table();
// The row of `name`, or nullptr.
const AreaInfo* find_area(std::string_view name);
std::string_view output_name(AreaOutput output);

}  // namespace entsig::tools::conform

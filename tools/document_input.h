// Reading a value tree from a verb's input in any format entsig reads: XML or binary plist,
// tagged JSON, DER entitlements (raw, or in a 0xfade7172 blob).
#pragma once

#include <string_view>

#include "entsig/core.h"
#include "entsig/der.h"
#include "entsig/plist.h"

namespace entsig::tools {

enum class InputFormat : std::uint8_t { plist, tagged_json, der, der_blob };

// From the first bytes: a 0xfade7172 header is a DER blob; 0x70 ([APPLICATION 16]) is DER, and
// so is 0x31 (a bare SET) when `der.allow_set_form`; '{' then "type" is tagged JSON; anything
// else goes to the plist reader, which names an unknown format.
InputFormat detect_input(std::string_view bytes, const der::DerOptions& der);

// Reads `bytes` in the detected format. Plist and tagged JSON use `plist`'s options and
// limits; DER uses `der` with the same limits.
Result<plist::Document> read_document(std::string_view bytes, const plist::ReadOptions& plist,
                                      const der::DerOptions& der);
// The same, charging the run's `budget`, whose limits() apply instead of plist.limits.
Result<plist::Document> read_document(std::string_view bytes, const plist::ReadOptions& plist,
                                      const der::DerOptions& der, Budget& budget);

}  // namespace entsig::tools

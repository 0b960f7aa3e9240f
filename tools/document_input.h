// Reading a value tree from a verb's input in any format entsig reads: XML or binary plist,
// tagged JSON, DER entitlements (raw, or in a 0xfade7172 blob).
#pragma once

#include <optional>
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

// For a stream (io.h EarlyReject): when the first byte starts no format entsig reads (a BOM,
// XML whitespace, '<', "bplist", '{', DER's 0x70 or 0x31, the blob's 0xfa, or a Mach-O magic's
// first byte), read_document rejects any input beginning with `head` at offset 0 with the
// same error it gives `head`: that error. Otherwise nullopt.
std::optional<Error> reject_by_first_byte(Bytes head, const plist::ReadOptions& plist, const der::DerOptions& der);

}  // namespace entsig::tools

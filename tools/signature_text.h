// The text form of `inspect`: one "Key=value" line per fact, in the spirit of
// `codesign -dvvv`, followed by the entitlements and requirements themselves.
#pragma once

#include <cstdint>
#include <string>

#include "signature_input.h"

namespace entsig::tools {

// Appends the lines for one signature; `size` as for signature_json.
void append_signature_text(std::string& out, const SignatureDetails& details, std::uint64_t size);

}  // namespace entsig::tools

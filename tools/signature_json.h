// The JSON objects of `inspect --json` and `verify --json` (docs/json-schema.md, "Code
// signatures"). Member names and value spellings are stable.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "entsig/codesign.h"
#include "signature_input.h"

namespace entsig::tools {

using Json = nlohmann::ordered_json;

// {"code","offset","message"}: the members of the error object of docs/cli.md.
Json error_object(const Error& error);
// The "signature" object of inspect; `size` is the bytes LC_CODE_SIGNATURE names (or the
// whole input for a raw signature).
Json signature_json(const SignatureDetails& details, std::uint64_t size);
// One element of verify's "slices".
Json verification_json(const codesign::SliceVerification& slice);
// Compact, one line; bytes that are not UTF-8 (an identifier may hold any) become U+FFFD.
std::string dump_json(const Json& json);

}  // namespace entsig::tools

// The JSON objects of `inspect --json` and `verify --json` (docs/json-schema.md, "Code
// signatures"). Member names and value spellings are stable.
#pragma once

#include <cstdint>

#include "entsig/codesign.h"
#include "json_out.h"
#include "signature_input.h"

namespace entsig::tools {

// {"code","offset","message"}: the members of the error object of docs/cli.md.
Json error_object(const Error& error);
// Writes the "signature" object of inspect; `size` is the bytes LC_CODE_SIGNATURE names (or
// the whole input for a raw signature). Fails only when the output budget runs out.
Status write_signature_json(JsonOut& out, const SignatureDetails& details, std::uint64_t size);
// One element of verify's "slices".
Json verification_json(const codesign::SliceVerification& slice);

}  // namespace entsig::tools

// Text forms shared by the tagged-JSON writer and reader (docs/json-schema.md).
#pragma once

#include <string>
#include <string_view>

namespace entsig::plist::detail {

// A JSON string literal for UTF-8 text; each byte that is not part of valid UTF-8 becomes
// U+FFFD, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);
// "nan", "inf", "-inf", or the shortest round-trip decimal.
void append_tagged_real(std::string& out, double v);
// ISO 8601 UTC with "Z"; ".digits" before the Z only when the time has a fraction of a second.
// Dates outside the years 0001-9999 (or not finite) as their seconds since 2001, in real form.
std::string tagged_date_text(double seconds_since_2001);

}  // namespace entsig::plist::detail

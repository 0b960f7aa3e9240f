// Text-to-value rules for the XML reader's scalar elements: <integer>, <real>, <date>,
// <data> and the entity references inside <string>/<key>. Internal to parsers/plist.
//
// Each parser works on the element's raw text and, on failure, says which rule broke and
// at which byte of that text, so the reader can turn it into an exact input offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "entsig/core.h"
#include "entsig/plist.h"

namespace entsig::plist::xml_detail {

// Why a scalar's text was refused: the error code and the byte index inside the text.
struct TextFailure {
  ErrorCode code = ErrorCode::ok;
  std::size_t at = 0;
};

// XML whitespace as the plist parsers treat it between markup (space, tab, LF, CR).
constexpr bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_all_space(std::string_view text);

// <integer>. Strict: -?(0|[1-9][0-9]*) in [-2^63, 2^64-1], "-0" refused. Lenient follows
// CoreFoundation's parseIntegerTag: leading whitespace, one sign, whitespace after the sign,
// 0x/0X hex, leading zeros as decimal; trailing whitespace is still refused.
bool parse_integer(std::string_view text, bool lenient, Integer& out, TextFailure& failure);

// <real>. Strict: -?(digits[.digits*] | .digits)([eE][+-]?digits)?, finite, no overflow
// (values too small for a double round to zero). Lenient adds surrounding whitespace, a
// leading '+', nan/inf/infinity in any case, and overflow to +-infinity.
bool parse_real(std::string_view text, bool lenient, double& out, TextFailure& failure);

// <date>. Strict: YYYY-MM-DDTHH:MM:SSZ, years 0001-9999, every field range-checked.
// Lenient also takes a leading '-' and 4 to 9 year digits (CF's yearIsNegative path), in
// the proleptic Gregorian calendar with astronomical years (0 = 1 BC).
bool parse_date(std::string_view text, bool lenient, double& out, TextFailure& failure);

// <data>. Appends the decoded bytes to `out`. Strict: RFC 4648 alphabet, whitespace
// anywhere, exact padding, zero padding bits. Lenient decodes as CF's parseDataTag does:
// other ASCII bytes are skipped, '=' marks bytes to drop, an incomplete quantum is dropped;
// bytes >= 0x80 are still refused.
bool decode_base64(std::string_view text, bool lenient, std::string& out, TextFailure& failure);

// Which entity references <string>/<key> text may use besides &amp; &lt; &gt;.
struct EntityRules {
  bool quot_apos = false;        // &quot; &apos;
  bool char_references = false;  // &#NNN; and &#xHHH;
};

// Appends `text` with entity references replaced. Unknown names, a '&' that does not start
// a reference, and character references CF refuses (uppercase X, more than 8 digits) fail;
// so do references to NUL, surrogates and values beyond U+10FFFF (the model is UTF-8).
bool decode_entities(std::string_view text, const EntityRules& rules, std::string& out,
                     TextFailure& failure);

// Dates: the CF absolute time of a civil date-time (no range checks), and back.
double civil_to_cf_seconds(std::int64_t year, int month, int day, int hour, int minute, int second);
bool is_leap_year(std::int64_t year);
int days_in_month(std::int64_t year, int month);

}  // namespace entsig::plist::xml_detail

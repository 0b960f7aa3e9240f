// Scalar text rules of the XML reader: integers, reals, base64 and entity references.
// Strict forms are the ones every Apple parser reads the same way; lenient forms follow
// CoreFoundation (CFPropertyList.c) as described in plist-behaviours table A1.
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "xml_scalars.h"

namespace entsig::plist::xml_detail {
namespace {

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool fail(TextFailure& failure, ErrorCode code, std::size_t at) {
  failure = {code, at};
  return false;
}

// Magnitude plus sign into the plist integer model; false when outside [-2^63, 2^64-1].
bool to_integer(bool negative, std::uint64_t magnitude, Integer& out) {
  if (!negative) {
    out = Integer::from_unsigned(magnitude);
    return true;
  }
  if (magnitude > (std::uint64_t{1} << 63)) return false;  // A1 #40: -2^63-1 underflows in CF
  if (magnitude == 0) {
    out = Integer::from_unsigned(0);
    return true;
  }
  out = Integer{true, ~magnitude + 1};
  return true;
}

// Accumulates digits of `base` from text[pos]; stops at the first non-digit. Returns false
// on overflow of 64 bits.
bool accumulate(std::string_view text, std::size_t& pos, unsigned base, std::uint64_t& value) {
  value = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    unsigned digit;
    if (base == 16 ? !is_hex_digit(c) : !is_digit(c)) break;
    digit = base == 16 ? static_cast<unsigned>(hex_value(c)) : static_cast<unsigned>(c - '0');
    auto times = checked_mul<std::uint64_t>(value, base);
    if (!times) return false;
    auto plus = checked_add<std::uint64_t>(*times, digit);
    if (!plus) return false;
    value = *plus;
  }
  return true;
}

bool parse_integer_strict(std::string_view text, Integer& out, TextFailure& failure) {
  // A1 #42: the kernel reads an empty <integer> as 0, CF rejects it.
  if (text.empty()) return fail(failure, ErrorCode::plist_xml_integer_empty, 0);
  // A1 #29-30: CF skips leading whitespace only, the kernel none, libplist trims both.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (is_xml_space(text[i])) return fail(failure, ErrorCode::plist_xml_integer_whitespace, i);
  // A1 #35: "+5" is 5 in CF, an error in the kernel.
  if (text[0] == '+') return fail(failure, ErrorCode::plist_xml_integer_plus_sign, 0);
  std::size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) pos = 1;
  if (pos == text.size()) return fail(failure, ErrorCode::plist_xml_integer_syntax, pos);
  if (text[pos] == '0' && pos + 1 < text.size()) {
    // A1 #31-32: hex differs between CF ("0X", "-0x") and the kernel (only "0x", a-f).
    if (text[pos + 1] == 'x' || text[pos + 1] == 'X')
      return fail(failure, ErrorCode::plist_xml_integer_hex, pos);
    // A1 #33-34: "010" is 10 in CF and the kernel, 8 in libplist.
    if (is_digit(text[pos + 1])) return fail(failure, ErrorCode::plist_xml_integer_leading_zero, pos);
  }
  std::uint64_t magnitude = 0;
  const std::size_t digits_start = pos;
  // A1 #39: the kernel wraps silently past 2^64.
  if (!accumulate(text, pos, 10, magnitude))
    return fail(failure, ErrorCode::plist_xml_integer_out_of_range, 0);
  // A1 #36, #38, #41: "+-5", "0-5" (the kernel reads -5), "1_000".
  if (pos != text.size() || pos == digits_start)
    return fail(failure, ErrorCode::plist_xml_integer_syntax, pos);
  if (negative && magnitude == 0) return fail(failure, ErrorCode::plist_xml_integer_negative_zero, 0);
  if (!to_integer(negative, magnitude, out))
    return fail(failure, ErrorCode::plist_xml_integer_out_of_range, 0);
  return true;
}

// CF's parseIntegerTag as described in A1 #29-42.
bool parse_integer_lenient(std::string_view text, Integer& out, TextFailure& failure) {
  std::size_t pos = 0;
  while (pos < text.size() && is_xml_space(text[pos])) ++pos;
  if (pos == text.size()) return fail(failure, ErrorCode::plist_xml_integer_empty, 0);
  bool negative = false;
  if (text[pos] == '-' || text[pos] == '+') {
    negative = text[pos] == '-';
    ++pos;
    while (pos < text.size() && is_xml_space(text[pos])) ++pos;  // A1 #37: "- 5" is -5
  }
  unsigned base = 10;
  if (pos + 1 < text.size() && text[pos] == '0' && (text[pos + 1] == 'x' || text[pos + 1] == 'X')) {
    base = 16;  // A1 #31-32
    pos += 2;
  }
  const std::size_t digits_start = pos;
  std::uint64_t magnitude = 0;
  if (!accumulate(text, pos, base, magnitude))
    return fail(failure, ErrorCode::plist_xml_integer_out_of_range, 0);
  // "0x" alone, "+-5", "-": CF reports an incomplete number (A1 #36, #42).
  if (pos == digits_start) return fail(failure, ErrorCode::plist_xml_integer_syntax, pos);
  if (pos != text.size()) {
    // A1 #30: CF stops at trailing whitespace with "Unknown character".
    const ErrorCode code = is_xml_space(text[pos]) ? ErrorCode::plist_xml_integer_whitespace
                                                   : ErrorCode::plist_xml_integer_syntax;
    return fail(failure, code, pos);
  }
  if (!to_integer(negative, magnitude, out))
    return fail(failure, ErrorCode::plist_xml_integer_out_of_range, 0);
  return true;
}

// Length of the decimal floating literal at text[pos] (the strict <real> grammar), or 0.
std::size_t decimal_literal_length(std::string_view text, std::size_t pos) {
  const std::size_t start = pos;
  std::size_t int_digits = 0, frac_digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++int_digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    std::size_t e = pos + 1;
    if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
    std::size_t exp_digits = 0;
    while (e < text.size() && is_digit(text[e])) ++e, ++exp_digits;
    if (exp_digits == 0) return 0;
    pos = e;
  }
  return pos - start;
}

// from_chars reports both overflow and underflow as out of range: tell them apart by the
// decimal exponent of the first significant digit.
bool literal_overflows(std::string_view digits) {
  long exponent = 0;
  std::size_t e = digits.find_first_of("eE");
  std::string_view mantissa = digits.substr(0, e);
  if (e != std::string_view::npos) {
    std::string_view exp_text = digits.substr(e + 1);
    bool neg = !exp_text.empty() && exp_text[0] == '-';
    if (!exp_text.empty() && (exp_text[0] == '-' || exp_text[0] == '+')) exp_text.remove_prefix(1);
    long v = 0;
    for (char c : exp_text) v = v > 100000 ? v : v * 10 + (c - '0');  // saturates; huge is huge
    exponent = neg ? -v : v;
  }
  // Position of the first non-zero digit relative to the decimal point.
  const std::size_t point = mantissa.find('.');
  const std::size_t int_len = point == std::string_view::npos ? mantissa.size() : point;
  long lead = 0;
  bool found = false;
  for (std::size_t i = 0; i < mantissa.size() && !found; ++i) {
    if (mantissa[i] == '.' || mantissa[i] == '0') continue;
    found = true;
    lead = i < int_len ? static_cast<long>(int_len - i) : -static_cast<long>(i - int_len - 1);
  }
  return found && lead + exponent > 0;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

constexpr std::array<std::int8_t, 256> make_base64_values() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto kBase64 = make_base64_values();

bool decode_base64_strict(std::string_view text, std::string& out, TextFailure& failure) {
  const std::size_t base = out.size();
  out.resize(base + (text.size() / 4 + 1) * 3);
  char* dst = out.data() + base;
  std::uint32_t acc = 0;
  int count = 0;    // alphabet characters in the current quantum
  int padding = 0;  // '=' seen so far
  std::size_t quantum_start = 0;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    if (count == 0 && padding == 0 && n - i >= 4) {  // a whole quantum at once, the usual case
      const int a = kBase64[static_cast<unsigned char>(text[i])], b = kBase64[static_cast<unsigned char>(text[i + 1])],
                c = kBase64[static_cast<unsigned char>(text[i + 2])], d = kBase64[static_cast<unsigned char>(text[i + 3])];
      if ((a | b | c | d) >= 0) {
        const std::uint32_t v = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6) | std::uint32_t(d);
        *dst++ = static_cast<char>(v >> 16);
        *dst++ = static_cast<char>((v >> 8) & 0xFF);
        *dst++ = static_cast<char>(v & 0xFF);
        i += 4;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (is_xml_space(static_cast<char>(c))) {  // A1 #52: every parser skips whitespace
      ++i;
      continue;
    }
    if (c == '=') {
      // Padding only completes a quantum that has 2 or 3 characters.
      if ((padding == 0 && count < 2) || count + padding + 1 > 4) {
        out.resize(base);
        return fail(failure, ErrorCode::plist_xml_data_padding, i);
      }
      ++padding;
      ++i;
      continue;
    }
    // A1 #53-54: CF and the kernel skip '*', CF rejects bytes >= 0x80, the kernel masks them.
    if (kBase64[c] < 0 || padding != 0) {
      out.resize(base);
      return fail(failure, kBase64[c] < 0 ? ErrorCode::plist_xml_data_invalid_char : ErrorCode::plist_xml_data_padding, i);
    }
    if (count == 0) quantum_start = i;
    acc = (acc << 6) | static_cast<std::uint32_t>(kBase64[c]);
    if (++count == 4) {
      *dst++ = static_cast<char>(acc >> 16);
      *dst++ = static_cast<char>((acc >> 8) & 0xFF);
      *dst++ = static_cast<char>(acc & 0xFF);
      acc = 0;
      count = 0;
    }
    ++i;
  }
  bool ok = true;
  if (count != 0) {
    // A1 #55: "SGVsbG8" is "Hel" in CF and the kernel, an error in plistlib; and non-zero
    // bits under the padding would give two texts one meaning.
    if (count + padding != 4 || (count == 2 && (acc & 0xF) != 0) || (count == 3 && (acc & 0x3) != 0)) {
      ok = fail(failure, ErrorCode::plist_xml_data_padding, quantum_start);
    } else if (count == 2) {
      *dst++ = static_cast<char>(acc >> 4);
    } else {
      *dst++ = static_cast<char>(acc >> 10);
      *dst++ = static_cast<char>((acc >> 2) & 0xFF);
    }
  }
  out.resize(ok ? static_cast<std::size_t>(dst - out.data()) : base);
  return ok;
}

// As CF's parseDataTag decodes (A1 #53-55): '=' counts as a zero digit and marks trailing
// bytes to drop, other ASCII outside the alphabet is skipped, an incomplete quantum is
// dropped, bytes >= 0x80 fail.
bool decode_base64_lenient(std::string_view text, std::string& out, TextFailure& failure) {
  std::uint32_t acc = 0;
  int count = 0;
  int equals = 0;  // '=' since the last other non-space character
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) return fail(failure, ErrorCode::plist_xml_data_invalid_char, i);
    int value;
    if (c == '=') {
      ++equals;
      value = 0;
    } else {
      if (!is_xml_space(static_cast<char>(c)) && c != '\v' && c != '\f') equals = 0;
      if (kBase64[c] < 0) continue;
      value = kBase64[c];
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>(acc >> 16);
      if (equals < 2) out += static_cast<char>((acc >> 8) & 0xFF);
      if (equals < 1) out += static_cast<char>(acc & 0xFF);
      acc = 0;
      count = 0;
    }
  }
  return true;
}

// Entity names are ASCII letters/digits; the longest we decode is 8 digits after "&#x".
bool is_entity_name_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '#' || c == '_' ||
         c == '-' || c == '.' || c == ':';
}

}  // namespace

bool is_all_space(std::string_view text) {
  for (char c : text)
    if (!is_xml_space(c)) return false;
  return true;
}

bool parse_integer(std::string_view text, bool lenient, Integer& out, TextFailure& failure) {
  return lenient ? parse_integer_lenient(text, out, failure) : parse_integer_strict(text, out, failure);
}

bool parse_real(std::string_view text, bool lenient, double& out, TextFailure& failure) {
  std::size_t begin = 0, end = text.size();
  if (lenient) {  // A1 #44: " 1.5 " (plistlib, libplist); CF scans past whitespace
    while (begin < end && is_xml_space(text[begin])) ++begin;
    while (end > begin && is_xml_space(text[end - 1])) --end;
  }
  std::string_view body = text.substr(begin, end - begin);
  std::size_t pos = 0;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || (lenient && body[0] == '+'))) {
    negative = body[0] == '-';
    pos = 1;
  }
  const std::string_view word = body.substr(pos);
  // A1 #43: CF reads nan/inf (any case), libplist refuses non-finite values.
  const bool is_nan = equals_ignore_case(word, "nan");
  const bool is_inf = equals_ignore_case(word, "inf") || equals_ignore_case(word, "infinity");
  if (is_nan || is_inf) {
    if (!lenient) return fail(failure, ErrorCode::plist_xml_real_nonfinite, begin);
    out = is_nan ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    if (negative) out = -out;
    return true;
  }
  const std::size_t length = decimal_literal_length(body, pos);
  // A1 #44: hex floats ("0x1p3") and whitespace split the parsers; only decimals pass.
  if (length == 0 || pos + length != body.size())
    return fail(failure, ErrorCode::plist_xml_real_syntax, begin + pos + length);
  const std::string_view digits = body.substr(pos, length);
  double value = 0;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    if (literal_overflows(digits)) {
      // A1 #44: "1e400" is inf for plistlib, an error for libplist and go-plist.
      if (!lenient) return fail(failure, ErrorCode::plist_xml_real_out_of_range, begin);
      value = std::numeric_limits<double>::infinity();
    } else {
      value = 0.0;  // below the smallest subnormal: the correctly rounded value is zero
    }
  } else if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) {
    return fail(failure, ErrorCode::plist_xml_real_syntax, begin + pos);
  }
  out = negative ? -value : value;
  return true;
}

bool decode_base64(std::string_view text, bool lenient, std::string& out, TextFailure& failure) {
  return lenient ? decode_base64_lenient(text, out, failure) : decode_base64_strict(text, out, failure);
}

bool decode_entities(std::string_view text, const EntityRules& rules, std::string& out,
                     TextFailure& failure) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const void* amp_ptr = std::memchr(text.data() + pos, '&', text.size() - pos);
    if (!amp_ptr) {
      out.append(text.data() + pos, text.size() - pos);
      break;
    }
    const std::size_t amp = static_cast<std::size_t>(static_cast<const char*>(amp_ptr) - text.data());
    out.append(text.data() + pos, amp - pos);
    std::size_t end = amp + 1;
    while (end < text.size() && end - amp <= 16 && is_entity_name_char(text[end])) ++end;
    if (end >= text.size() || text[end] != ';' || end == amp + 1)
      return fail(failure, ErrorCode::plist_xml_entity_syntax, amp);
    const std::string_view name = text.substr(amp + 1, end - amp - 1);
    if (name == "amp") {
      out += '&';
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "quot" || name == "apos") {
      // A1 #11: the kernel's getString knows only lt, gt and amp.
      if (!rules.quot_apos) return fail(failure, ErrorCode::plist_xml_entity_quot_apos, amp);
      out += name == "quot" ? '"' : '\'';
    } else if (name[0] == '#') {
      // A1 #12: the kernel rejects character references.
      if (!rules.char_references) return fail(failure, ErrorCode::plist_xml_char_reference, amp);
      std::string_view digits = name.substr(1);
      const bool hex = !digits.empty() && digits[0] == 'x';  // A1 #13: CF takes only lowercase x
      if (hex) digits.remove_prefix(1);
      // A1 #14: CF refuses more than 8 digits.
      if (digits.empty() || digits.size() > 8)
        return fail(failure, ErrorCode::plist_xml_char_reference_invalid, amp);
      std::uint32_t cp = 0;
      for (char c : digits) {
        if (hex ? !is_hex_digit(c) : !is_digit(c))
          return fail(failure, ErrorCode::plist_xml_char_reference_invalid, amp);
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(hex ? hex_value(c) : c - '0');
      }
      // A1 #15-16: NUL (CF keeps it, others refuse), surrogates, beyond Unicode.
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return fail(failure, ErrorCode::plist_xml_char_reference_invalid, amp);
      append_utf8(out, cp);
    } else {
      // A1 #19: every Apple parser rejects undefined entities.
      return fail(failure, ErrorCode::plist_xml_undefined_entity, amp);
    }
    pos = end + 1;
  }
  return true;
}

}  // namespace entsig::plist::xml_detail

// Number-to-text helpers shared by the XML and tagged-JSON writers and the tagged-JSON reader.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace entsig::plist::detail {

// Shortest text that reads back to the same double (std::to_chars with no precision),
// e.g. 0.1 -> "0.1", 1e300 -> "1e+300", -0.0 -> "-0". Finite values only.
inline void append_shortest_real(std::string& out, double v) {
  char buf[32];  // the longest shortest form is 24 chars ("-2.2250738585072014e-308")
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// 10^n - F for an n-digit decimal fraction F > 0, as n digits ("25" -> "75", "001" -> "999").
// Dates before a whole second are written as the earlier second plus this complement.
inline std::string decimal_complement(std::string_view digits) {
  std::string out(digits);
  std::size_t last = out.find_last_not_of('0');
  if (last == std::string::npos) return out;  // F == 0 has no complement; callers never pass it
  out[last] = static_cast<char>('0' + (10 - (out[last] - '0')));
  for (std::size_t i = 0; i < last; ++i) out[i] = static_cast<char>('0' + (9 - (out[i] - '0')));
  return out;
}

}  // namespace entsig::plist::detail

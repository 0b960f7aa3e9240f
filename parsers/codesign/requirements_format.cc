// Operand printing for requirement text, following Security's reqdumper.cpp and
// cssmdata.cpp (CssmData::toOid). Character classes are the C locale's (ASCII only).
#include <cinttypes>
#include <cstdio>
#include <string_view>

#include "requirements_format.h"

namespace entsig::codesign::requirements_detail {
namespace {

// Reserved words of the requirement grammar (RequirementKeywords.h, newest list, which adds
// "absent" and "timestamp"), plus "" so that empty data prints as "".
constexpr std::string_view kKeywords[] = {
    "guest",  "host",     "designated", "library", "plugin",     "or",          "and",
    "always", "true",     "never",      "false",   "identifier", "cdhash",      "platform",
    "notarized", "anchor", "apple",     "generic", "certificate", "cert",       "trusted",
    "info",   "entitlement", "exists",  "absent",  "leaf",       "root",        "timestamp",
    "",
};

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }
bool is_alnum(std::uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_graph(std::uint8_t c) { return c >= 0x21 && c <= 0x7E; }
bool is_space(std::uint8_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

void append_hex(std::string& out, Bytes data) {
  static const char digits[] = "0123456789abcdef";
  for (std::uint8_t b : data) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
}

enum class PrintMode { simple, printable, binary };

}  // namespace

void append_data(std::string& out, Bytes data, bool dot_okay) {
  PrintMode mode = PrintMode::simple;
  for (std::size_t n = 0; n < data.size(); ++n) {
    const std::uint8_t c = data[n];
    if (is_alnum(c) || (c == '.' && dot_okay)) {
      if (n == 0 && is_digit(c)) mode = PrintMode::printable;  // bare words can't start with a digit
    } else if (is_graph(c) || is_space(c)) {
      if (mode == PrintMode::simple) mode = PrintMode::printable;
    } else {
      mode = PrintMode::binary;
      break;
    }
  }
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  if (mode == PrintMode::simple) {
    for (auto keyword : kKeywords) {
      if (text == keyword) {
        mode = PrintMode::printable;
        break;
      }
    }
  }
  switch (mode) {
    case PrintMode::simple: out += text; break;
    case PrintMode::printable:
      out += '"';
      for (char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        out += c;
      }
      out += '"';
      break;
    case PrintMode::binary:
      out += "0x";
      append_hex(out, data);
      break;
  }
}

void append_hash(std::string& out, Bytes data) {
  out += "H\"";
  append_hex(out, data);
  out += '"';
}

void append_oid(std::string& out, Bytes data) {
  std::size_t pos = 0;
  // Base-128 arcs, high bit = more bytes follow; arithmetic wraps in 64 bits as
  // unsigned long does on macOS. An arc cut off by the end of the data ends there (Apple's
  // loop reads one byte past the data in that case).
  auto next_arc = [&]() {
    std::uint64_t q = 0;
    while (pos < data.size()) {
      const std::uint8_t b = data[pos++];
      q = q * 128 + (b & 0x7F);
      if (!(b & 0x80)) break;
    }
    return q;
  };
  if (data.empty()) return;
  // The first arc packs the first two components: X*40 + Y, with X at most 2.
  const std::uint64_t first = next_arc();
  const std::uint64_t x = first / 40 < 2 ? first / 40 : 2;
  out += std::to_string(x);
  out += '.';
  out += std::to_string(first - x * 40);
  while (pos < data.size()) {
    out += '.';
    out += std::to_string(next_arc());
  }
}

void append_timestamp(std::string& out, std::int64_t seconds_since_2001) {
  // Split into whole days and seconds of day, rounding toward negative infinity.
  std::int64_t days = seconds_since_2001 / 86400;
  std::int64_t secs = seconds_since_2001 % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  days += 11323;  // 1970-01-01 to 2001-01-01
  // Civil date from days since 1970-01-01 (proleptic Gregorian), valid for any int64 range here.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[80];
  std::snprintf(buf, sizeof buf, "<%04" PRId64 "-%02" PRId64 "-%02" PRId64 " %02" PRId64 ":%02" PRId64
                ":%02" PRId64 " +0000>",
                year, month, day, secs / 3600, (secs / 60) % 60, secs % 60);
  out += buf;
}

}  // namespace entsig::codesign::requirements_detail

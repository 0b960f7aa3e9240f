// Short renderings of values and key paths for finding messages. Messages quote input, so
// renderings are cut short: a finding names a value, it does not reproduce it.
#include <cstdio>

#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {
namespace {

constexpr std::size_t kMaxQuotedBytes = 64;

// Cuts at a UTF-8 boundary at or below `limit` so the text stays valid.
std::string_view cut_utf8(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

// Quotes and backslashes get a backslash; control characters become \n, \t or \xNN, so a
// message stays on one line whatever the input holds.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
}

std::string display_key(std::string_view key) {
  std::string out;
  append_escaped(out, key);
  return out;
}

namespace {

std::string shortest_real(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    double back = 0;
    if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
  }
  return buf;
}

}  // namespace

std::string key_segment(std::string_view key) {
  std::string out = "[\"";
  append_escaped(out, key);
  return out + "\"]";
}

std::string value_summary(const plist::Value& value) {
  using plist::Type;
  switch (value.type()) {
    case Type::boolean: return value.as_bool() ? "true" : "false";
    case Type::integer: return value.as_integer().to_string();
    case Type::string: {
      const std::string_view text = value.as_string();
      std::string out = "\"";
      append_escaped(out, cut_utf8(text, kMaxQuotedBytes));
      out += '"';
      if (text.size() > kMaxQuotedBytes) out += "...";
      return out;
    }
    case Type::data: return "<data " + std::to_string(value.as_data().size()) + " bytes>";
    case Type::array: return "<array of " + std::to_string(value.size()) + ">";
    case Type::dict: return "<dict of " + std::to_string(value.size()) + ">";
    case Type::real: return "<real " + shortest_real(value.as_real()) + ">";
    case Type::date: {
      const std::string text = plist::format_iso8601(value.as_date());
      return "<date " + (text.empty() ? shortest_real(value.as_date()) : text) + ">";
    }
    case Type::uid: return "<uid " + std::to_string(value.as_uid()) + ">";
  }
  return "<unknown>";
}

}  // namespace entsig::entitlements

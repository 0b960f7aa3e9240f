// Test-only bplist00 builder: objects are written as raw bytes with the encoders below, and
// the builder lays out header, objects, offset table and trailer, with every trailer field
// and offset-table entry overridable so tests can break exactly one rule at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bplist_test {

// `v` as `width` big-endian bytes (width up to 16; bytes above 8 are zero).
inline std::string be(std::uint64_t v, unsigned width) {
  std::string out;
  for (unsigned k = width; k-- > 0;) out += static_cast<char>(k < 8 ? (v >> (8 * k)) & 0xFF : 0);
  return out;
}

inline std::string hex(std::string_view text) {
  std::string out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex");
  };
  std::string digits;
  for (char c : text)
    if (c != ' ') digits += c;
  if (digits.size() % 2) throw std::invalid_argument("odd hex");
  for (std::size_t i = 0; i < digits.size(); i += 2)
    out += static_cast<char>(nibble(digits[i]) * 16 + nibble(digits[i + 1]));
  return out;
}

// An int object of 1, 2, 4 or 8 bytes (the smallest that holds v).
inline std::string int_object(std::uint64_t v) {
  if (v <= 0xFF) return "\x10" + be(v, 1);
  if (v <= 0xFFFF) return "\x11" + be(v, 2);
  if (v <= 0xFFFFFFFF) return "\x12" + be(v, 4);
  return "\x13" + be(v, 8);
}

// A marker with its count: in the low nibble below 15, else 0xF and an int object.
inline std::string counted(std::uint8_t type, std::uint64_t count) {
  if (count < 15) return std::string(1, static_cast<char>(type | count));
  return std::string(1, static_cast<char>(type | 0x0F)) + int_object(count);
}

inline std::string ascii(std::string_view s) { return counted(0x50, s.size()) + std::string(s); }
inline std::string data_object(std::string_view s) { return counted(0x40, s.size()) + std::string(s); }
inline std::string utf16(std::u16string_view s) {
  std::string out = counted(0x60, s.size());
  for (char16_t c : s) out += be(c, 2);
  return out;
}

inline std::string refs(const std::vector<std::uint64_t>& list, unsigned ref_size) {
  std::string out;
  for (std::uint64_t r : list) out += be(r, ref_size);
  return out;
}

inline std::string array(const std::vector<std::uint64_t>& items, unsigned ref_size = 1) {
  return counted(0xA0, items.size()) + refs(items, ref_size);
}

inline std::string dict(const std::vector<std::uint64_t>& keys,
                        const std::vector<std::uint64_t>& values, unsigned ref_size = 1) {
  return counted(0xD0, keys.size()) + refs(keys, ref_size) + refs(values, ref_size);
}

struct Builder {
  std::string magic = "bplist00";
  unsigned offset_size = 1;
  unsigned ref_size = 1;
  std::uint64_t top = 0;
  std::string gap;  // bytes between the offset table and the trailer
  std::optional<std::uint64_t> count_override;
  std::optional<std::uint64_t> table_offset_override;
  std::map<std::size_t, std::uint64_t> offset_override;  // offset-table entry -> value
  std::string trailer_unused = std::string(6, '\0');

  std::vector<std::string> objects;
  // Filled by build():
  std::vector<std::uint64_t> offsets;
  std::uint64_t table_offset = 0;
  std::uint64_t trailer_offset = 0;

  std::size_t add(std::string object) {
    objects.push_back(std::move(object));
    return objects.size() - 1;
  }

  std::string build() {
    std::string out = magic;
    offsets.clear();
    for (const auto& o : objects) {
      offsets.push_back(out.size());
      out += o;
    }
    table_offset = out.size();
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      auto it = offset_override.find(i);
      out += be(it == offset_override.end() ? offsets[i] : it->second, offset_size);
    }
    out += gap;
    trailer_offset = out.size();
    out += trailer_unused;
    out += static_cast<char>(offset_size);
    out += static_cast<char>(ref_size);
    out += be(count_override.value_or(objects.size()), 8);
    out += be(top, 8);
    out += be(table_offset_override.value_or(table_offset), 8);
    return out;
  }
};

}  // namespace bplist_test

// UTF-16BE <-> UTF-8 for bplist00 Unicode strings (marker 0x6n, big-endian 16-bit units,
// CFBinaryPList.c format comment). Lone surrogates have no UTF-8 form, so they are reported,
// not replaced: libplist drops them and go-plist writes U+FFFD (plist-behaviours A2 #33).
#include "binary_format.h"

namespace entsig::plist::bplist {

std::optional<std::size_t> append_utf8_from_utf16be(Bytes units, std::string& out) {
  const std::size_t count = units.size() / 2;
  // At most 3 UTF-8 bytes per unit (a surrogate pair is 2 units -> 4 bytes).
  const std::size_t start = out.size();
  out.resize(start + 3 * count);
  char* dst = out.data() + start;
  std::size_t w = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t u = (std::uint32_t{units[2 * i]} << 8) | units[2 * i + 1];
    if (u < 0x80) {
      dst[w++] = static_cast<char>(u);
      continue;
    }
    if (u < 0x800) {
      dst[w++] = static_cast<char>(0xC0 | (u >> 6));
      dst[w++] = static_cast<char>(0x80 | (u & 0x3F));
      continue;
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      if (u >= 0xDC00 || i + 1 == count) {
        out.resize(start + w);
        return i;
      }
      const std::uint32_t low = (std::uint32_t{units[2 * i + 2]} << 8) | units[2 * i + 3];
      if (low < 0xDC00 || low > 0xDFFF) {
        out.resize(start + w);
        return i;
      }
      const std::uint32_t cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
      dst[w++] = static_cast<char>(0xF0 | (cp >> 18));
      dst[w++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      dst[w++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      dst[w++] = static_cast<char>(0x80 | (cp & 0x3F));
      ++i;
      continue;
    }
    dst[w++] = static_cast<char>(0xE0 | (u >> 12));
    dst[w++] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    dst[w++] = static_cast<char>(0x80 | (u & 0x3F));
  }
  out.resize(start + w);
  return std::nullopt;
}

std::uint64_t append_utf16be_from_utf8(std::string_view utf8, std::string& out) {
  std::uint64_t units = 0;
  auto put = [&](std::uint32_t u) {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
    ++units;
  };
  const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const std::size_t n = utf8.size();
  for (std::size_t i = 0; i < n;) {
    const std::uint8_t c = s[i];
    std::uint32_t cp;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c < 0xE0) {
      cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      i += 2;
    } else if (c < 0xF0) {
      cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      i += 3;
    } else {
      cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
      i += 4;
    }
    if (cp < 0x10000) {
      put(cp);
    } else {
      cp -= 0x10000;
      put(0xD800 | (cp >> 10));
      put(0xDC00 | (cp & 0x3FF));
    }
  }
  return units;
}

}  // namespace entsig::plist::bplist

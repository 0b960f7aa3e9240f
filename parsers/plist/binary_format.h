// Internal to the bplist00 reader and writer: the layout constants, the validated trailer,
// and the helpers the binary_*.cc files share. Layout: the format comment in CoreFoundation's
// CFBinaryPList.c ("HEADER / OBJECT TABLE / OFFSET TABLE / TRAILER").
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/core.h"
#include "entsig/plist.h"

namespace entsig::plist::bplist {

inline constexpr std::string_view kMagic = "bplist00";
inline constexpr std::uint64_t kHeaderSize = 8;
inline constexpr std::uint64_t kTrailerSize = 32;
// CF needs the header, at least one object byte and the trailer (CFBinaryPList.c L731).
inline constexpr std::uint64_t kMinimumSize = kHeaderSize + 1 + kTrailerSize;

// Object markers: the high nibble is the type, the low nibble a size or count.
inline constexpr std::uint8_t kSimple = 0x00;  // null 00, false 08, true 09, fill 0F
inline constexpr std::uint8_t kInt = 0x10;
inline constexpr std::uint8_t kReal = 0x20;
inline constexpr std::uint8_t kDate = 0x30;
inline constexpr std::uint8_t kData = 0x40;
inline constexpr std::uint8_t kAscii = 0x50;
inline constexpr std::uint8_t kUtf16 = 0x60;
inline constexpr std::uint8_t kUid = 0x80;
inline constexpr std::uint8_t kArray = 0xA0;
inline constexpr std::uint8_t kSet = 0xC0;
inline constexpr std::uint8_t kDict = 0xD0;
inline constexpr std::uint8_t kNull = 0x00;
inline constexpr std::uint8_t kFalse = 0x08;
inline constexpr std::uint8_t kTrue = 0x09;
inline constexpr std::uint8_t kDateMarker = 0x33;
inline constexpr std::uint8_t kLongCount = 0x0F;  // low nibble: an int object with the count follows

inline bool is_container_marker(std::uint8_t marker) {
  const std::uint8_t type = marker & 0xF0;
  return type == kArray || type == kDict || type == kSet;
}

// The 32-byte trailer, after read_trailer has checked every field against the input.
struct Trailer {
  unsigned offset_size = 0;        // bytes per offset-table entry, 1..8
  unsigned ref_size = 0;           // bytes per object reference, 1..8
  std::uint64_t object_count = 0;  // >= 1, entries in the offset table
  std::uint64_t top_object = 0;    // < object_count
  std::uint64_t table_offset = 0;  // first byte of the offset table = end of the object area
  std::uint64_t trailer_offset = 0;
};

// Checks magic, trailer, offset table placement and every offset-table entry (each must point
// into [8, table_offset), CFBinaryPList.c L800-809). Objects are not read.
Result<Trailer> read_trailer(Bytes input, const BinaryOptions& options, const Limits& limits);

// Big-endian unsigned field of `width` (1..8) bytes at `at` inside `checked`, a span that a
// Cursor has already bounds-checked to hold it. Kept inline for the reference loop.
inline std::uint64_t load_be(Bytes checked, std::size_t at, unsigned width) {
  switch (width) {
    case 1: return checked[at];
    case 2: return (std::uint64_t{checked[at]} << 8) | checked[at + 1];
    case 3:  // libplist's choice for files between 64 KiB and 16 MiB
      return (std::uint64_t{checked[at]} << 16) | (std::uint64_t{checked[at + 1]} << 8) |
             checked[at + 2];
    case 4:
      return (std::uint64_t{checked[at]} << 24) | (std::uint64_t{checked[at + 1]} << 16) |
             (std::uint64_t{checked[at + 2]} << 8) | checked[at + 3];
    default: {
      std::uint64_t v = 0;
      for (unsigned k = 0; k < width; ++k) v = (v << 8) | checked[at + k];
      return v;
    }
  }
}

// Smallest of 1, 2, 4 or 8 bytes that holds `value` (CF's _byteCount for refs and offsets).
inline unsigned byte_count(std::uint64_t value) {
  if (value <= 0xFF) return 1;
  if (value <= 0xFFFF) return 2;
  if (value <= 0xFFFFFFFF) return 4;
  return 8;
}

// UTF-16BE code units -> UTF-8 appended to `out`. Returns the index of the first unit that is
// a lone surrogate (nothing is appended for it), or nullopt when the whole text converted.
std::optional<std::size_t> append_utf8_from_utf16be(Bytes units, std::string& out);
// Valid UTF-8 -> UTF-16BE appended to `out`; returns the number of code units written.
std::uint64_t append_utf16be_from_utf8(std::string_view utf8, std::string& out);

// Marks entries whose key (a string the reader could not use, e.g. a number) is dropped.
// Compared by address: no interned key has this pointer.
inline constexpr char kSkippedKeyStorage[1] = {0};
inline constexpr std::string_view kSkippedKey{kSkippedKeyStorage, 0};
inline bool is_skipped_key(std::string_view key) { return key.data() == kSkippedKeyStorage; }

// A key's size and its first and last 8 bytes, mixed: O(1) per key, and different for nearly
// all real keys (entitlement keys share prefixes, not suffixes). Equal prints are compared in
// full. The reader takes it while the key's bytes are still in cache.
inline std::uint64_t key_fingerprint(std::string_view key) {
  std::uint64_t first = 0, last = 0;
  const std::size_t n = key.size();
  if (n >= 8) {
    std::memcpy(&first, key.data(), 8);
    std::memcpy(&last, key.data() + n - 8, 8);
  } else if (n > 0) {
    std::memcpy(&first, key.data(), n);
  }
  return (first * 0x9E3779B97F4A7C15ull) ^ (last * 0xC2B2AE3D27D4EB4Full) ^ n;
}

// Buffers for map_duplicate_keys, reused from one dictionary to the next.
struct KeyScratch {
  std::vector<std::size_t> first_of;  // result: per entry, the first entry with an equal key
  std::vector<std::size_t> slots;     // hash table of entry index + 1
  std::vector<std::size_t> order;     // sort fallback
};

// Fills scratch.first_of: for every entry, the index of the first entry with an equal key
// (itself when unique; skipped entries map to themselves). `prints[i]` is
// key_fingerprint(entries[i].key). Returns true when a key repeats.
bool map_duplicate_keys(std::span<const DictEntry> entries, std::span<const std::uint64_t> prints,
                        KeyScratch& scratch);

}  // namespace entsig::plist::bplist

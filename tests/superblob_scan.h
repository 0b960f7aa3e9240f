// Finds code-signature SuperBlobs (0xfade0cc0) in a file by a plain byte scan, without the
// library, so tests that compare the library's reading with these bytes check it
// independently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace entsig_test {

// One index entry of a SuperBlob found in the file: the SuperBlob's position and length,
// and the entry's slot type and offset (relative to the SuperBlob).
struct SuperBlobEntry {
  std::uint64_t superblob_at = 0;
  std::uint64_t superblob_length = 0;
  std::uint64_t type = 0;
  std::uint64_t offset = 0;
};

inline std::uint64_t big_endian_u32_at(const std::string& file, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(file[at + i]);
  return v;
}

// Every index entry of every place the magic starts something shaped like a SuperBlob
// (its length inside the file, its index inside its length).
inline std::vector<SuperBlobEntry> superblob_entries(const std::string& file) {
  std::vector<SuperBlobEntry> out;
  const std::string magic("\xfa\xde\x0c\xc0", 4);
  for (std::size_t at = file.find(magic); at != std::string::npos; at = file.find(magic, at + 4)) {
    if (file.size() - at < 12) break;
    const std::uint64_t length = big_endian_u32_at(file, at + 4), count = big_endian_u32_at(file, at + 8);
    if (length > file.size() - at || 12 + count * 8 > length) continue;  // not a SuperBlob
    for (std::uint64_t i = 0; i < count; ++i)
      out.push_back({at, length, big_endian_u32_at(file, at + 12 + 8 * i), big_endian_u32_at(file, at + 16 + 8 * i)});
  }
  return out;
}

}  // namespace entsig_test

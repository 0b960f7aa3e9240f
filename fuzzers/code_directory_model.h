// CodeDirectory blobs for the structure-aware SuperBlob mutator: the fixed fields by
// version (a table of offset and width, for edits in place that keep every other byte), and
// an editable form that rebuilds a CD with consistent offsets, hash sizes and slot counts.
// Field offsets are those of CS_CodeDirectory in xnu cs_blobs.h (see code_directory.cc).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "entsig/codesign.h"
#include "superblob_model.h"

namespace entsig::fuzz::sb {

// The blob length (offset 4) is not here: the blob-level length mutation owns it.
struct CdField {
  const char* name;
  std::uint32_t offset;
  std::uint8_t width;         // bytes, big-endian
  std::uint32_t min_version;  // the first version that has the field
};

inline constexpr CdField kCdFields[] = {
    {"version", 8, 4, 0},          {"flags", 12, 4, 0},
    {"hashOffset", 16, 4, 0},      {"identOffset", 20, 4, 0},     {"nSpecialSlots", 24, 4, 0},
    {"nCodeSlots", 28, 4, 0},      {"codeLimit", 32, 4, 0},       {"hashSize", 36, 1, 0},
    {"hashType", 37, 1, 0},        {"platform", 38, 1, 0},        {"pageSize", 39, 1, 0},
    {"spare2", 40, 4, 0},          {"scatterOffset", 44, 4, 0x20100}, {"teamOffset", 48, 4, 0x20200},
    {"spare3", 52, 4, 0x20300},    {"codeLimit64", 56, 8, 0x20300},   {"execSegBase", 64, 8, 0x20400},
    {"execSegLimit", 72, 8, 0x20400}, {"execSegFlags", 80, 8, 0x20400}, {"runtime", 88, 4, 0x20500},
    {"preEncryptOffset", 92, 4, 0x20500}, {"linkageHashType", 96, 1, 0x20600},
    {"linkageApplicationType", 97, 1, 0x20600}, {"linkageApplicationSubtype", 98, 2, 0x20600},
    {"linkageOffset", 100, 4, 0x20600}, {"linkageSize", 104, 4, 0x20600},
};

inline std::uint64_t load_be(const ByteVec& b, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | b[at + i];
  return v;
}
inline void store_be(ByteVec& b, std::size_t at, std::size_t width, std::uint64_t v) {
  for (std::size_t i = width; i-- > 0; v >>= 8) b[at + i] = static_cast<std::uint8_t>(v);
}
// A field of a CD blob, or nullopt when the blob is too short to hold it.
inline std::optional<std::uint64_t> get_field(const ByteVec& cd, const CdField& f) {
  if (cd.size() < f.offset + f.width) return std::nullopt;
  return load_be(cd, f.offset, f.width);
}
inline bool set_field(ByteVec& cd, const CdField& f, std::uint64_t v) {
  if (cd.size() < f.offset + f.width) return false;
  store_be(cd, f.offset, f.width, v);
  return true;
}

inline constexpr std::uint32_t kCdVersions[] = {0x20001, 0x20100, 0x20200, 0x20300, 0x20400,
                                                0x20500, 0x20600, 0x20700, 0x2efff};
inline constexpr std::uint32_t kCdMinimumLength = 112;  // XNU's sizeof(CS_CodeDirectory)

// Stored digest size per hash type; 0 for a type the parser does not know.
inline std::uint8_t cd_hash_size(std::uint8_t type) {
  return static_cast<std::uint8_t>(codesign::hash_size_for_type(type).value_or(0));
}

// The parts of a CD that a consistent rebuild keeps; offsets and counts are derived.
struct CdModel {
  std::uint32_t version = 0x20400;
  std::uint32_t flags = 0;
  std::uint8_t hash_type = 2;
  std::uint8_t platform = 0;
  std::uint8_t page_log2 = 12;
  std::uint32_t code_limit = 1;
  std::uint64_t code_limit64 = 0;
  std::uint64_t exec_seg[3] = {0, 0, 0};
  std::uint32_t runtime = 0;
  std::string identifier = "fuzz";
  std::optional<std::string> team;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> scatter;  // (count, base) pages
  std::uint32_t special_count = 0;
  ByteVec special_hashes;  // special_count * hash size, slot n at (count - n)
  ByteVec code_hashes;     // code slot count * hash size
};

// Reads what a rebuild needs from a CD blob, tolerating any field value: strings and hash
// areas outside the blob read as defaults. nullopt when the blob lacks the base header.
inline std::optional<CdModel> parse_cd(const ByteVec& b) {
  if (b.size() < 44 || load32(b.data()) != kCodeDirectoryMagic) return std::nullopt;
  CdModel cd;
  const auto field = [&](std::uint32_t off, std::uint32_t width) {
    return b.size() >= off + width ? load_be(b, off, width) : 0;
  };
  cd.version = static_cast<std::uint32_t>(field(8, 4));
  cd.flags = static_cast<std::uint32_t>(field(12, 4));
  cd.hash_type = static_cast<std::uint8_t>(field(37, 1));
  if (cd_hash_size(cd.hash_type) == 0) cd.hash_type = 2;
  cd.platform = static_cast<std::uint8_t>(field(38, 1));
  cd.page_log2 = static_cast<std::uint8_t>(field(39, 1));
  cd.code_limit = static_cast<std::uint32_t>(field(32, 4));
  if (cd.version >= 0x20300) cd.code_limit64 = field(56, 8);
  if (cd.version >= 0x20400)
    for (int i = 0; i < 3; ++i) cd.exec_seg[i] = field(64 + 8 * i, 8);
  if (cd.version >= 0x20500) cd.runtime = static_cast<std::uint32_t>(field(88, 4));
  const auto string_at = [&](std::uint64_t off) -> std::optional<std::string> {
    if (off == 0 || off >= b.size()) return std::nullopt;
    auto nul = std::find(b.begin() + static_cast<std::ptrdiff_t>(off), b.end(), 0);
    if (nul == b.end()) return std::nullopt;
    return std::string(b.begin() + static_cast<std::ptrdiff_t>(off), nul);
  };
  cd.identifier = string_at(field(20, 4)).value_or("fuzz");
  if (cd.version >= 0x20200) cd.team = string_at(field(48, 4));
  if (cd.version >= 0x20100) {
    std::uint64_t pos = field(44, 4);
    while (pos != 0 && pos + 24 <= b.size() && cd.scatter.size() < 8 && load_be(b, pos, 4) != 0) {
      cd.scatter.emplace_back(static_cast<std::uint32_t>(load_be(b, pos, 4)), static_cast<std::uint32_t>(load_be(b, pos + 4, 4)));
      pos += 24;
    }
  }
  // Hash areas: as many whole hashes as the blob holds around hashOffset (at most 64 each).
  const std::uint64_t hsize = cd_hash_size(cd.hash_type);
  const std::uint64_t hash_offset = std::min<std::uint64_t>(field(16, 4), b.size());
  const std::uint64_t specials = std::min<std::uint64_t>({field(24, 4), (hash_offset - std::min<std::uint64_t>(hash_offset, 8)) / hsize, 64});
  const std::uint64_t codes = std::min<std::uint64_t>({field(28, 4), (b.size() - hash_offset) / hsize, 64});
  cd.special_count = static_cast<std::uint32_t>(specials);
  cd.special_hashes.assign(b.begin() + static_cast<std::ptrdiff_t>(hash_offset - specials * hsize), b.begin() + static_cast<std::ptrdiff_t>(hash_offset));
  cd.code_hashes.assign(b.begin() + static_cast<std::ptrdiff_t>(hash_offset), b.begin() + static_cast<std::ptrdiff_t>(hash_offset + codes * hsize));
  return cd;
}

// At most this many code slots in a rebuilt CD: larger code limits are cut down so a CD
// stays a few KiB (the parser's arithmetic on big counts is reached by field edits).
inline constexpr std::uint64_t kMaxRebuiltCodeSlots = 64;

// The number of code slots the CD needs: the scatter's page total, or one per page up to
// the signing limit (Security signingLimit: codeLimit64 when the version has it and it is
// nonzero). Cuts the limits down first when they need too many slots.
inline std::uint32_t fit_code_slots(CdModel& cd) {
  if (cd.page_log2 == 0 || cd.page_log2 >= 32) cd.page_log2 = 12;
  if (cd.version < 0x20100) cd.scatter.clear();  // the version has no scatterOffset field
  if (!cd.scatter.empty()) {
    std::uint64_t pages = 0;
    for (const auto& [count, base] : cd.scatter) pages += count;
    if (pages <= kMaxRebuiltCodeSlots) return static_cast<std::uint32_t>(pages);
    cd.scatter.clear();
  }
  const std::uint64_t page = std::uint64_t{1} << cd.page_log2;
  const std::uint64_t max_limit = std::min<std::uint64_t>(kMaxRebuiltCodeSlots * page, UINT32_MAX);
  if (cd.version < 0x20300 || cd.code_limit64 == 0) {
    cd.code_limit = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(cd.code_limit, 1, max_limit));
    cd.code_limit64 = cd.version < 0x20300 ? cd.code_limit64 : 0;
    return static_cast<std::uint32_t>(((std::uint64_t{cd.code_limit} - 1) >> cd.page_log2) + 1);
  }
  cd.code_limit64 = std::clamp<std::uint64_t>(cd.code_limit64, 1, max_limit);
  return static_cast<std::uint32_t>(((cd.code_limit64 - 1) >> cd.page_log2) + 1);
}

// A CD blob with every offset, size and count consistent: header of the version, scatter
// vector, identifier, team ID, special hashes, code hashes; padded to XNU's minimum length.
inline ByteVec build_cd(CdModel cd) {
  if (cd_hash_size(cd.hash_type) == 0) cd.hash_type = 2;
  const std::uint8_t hsize = cd_hash_size(cd.hash_type);
  const std::uint32_t code_count = fit_code_slots(cd);
  const std::uint32_t header = codesign::code_directory_header_size(cd.version);
  ByteVec b(header, 0);
  std::uint32_t scatter_offset = 0;
  if (cd.version >= 0x20100 && !cd.scatter.empty()) {
    scatter_offset = static_cast<std::uint32_t>(b.size());
    for (const auto& [count, base] : cd.scatter) {
      append32(b, count);
      append32(b, base);
      b.resize(b.size() + 16, 0);  // targetOffset, spare
    }
    b.resize(b.size() + 24, 0);  // the count == 0 sentinel
  }
  const std::uint32_t ident_offset = static_cast<std::uint32_t>(b.size());
  b.insert(b.end(), cd.identifier.begin(), cd.identifier.end());
  b.push_back(0);
  std::uint32_t team_offset = 0;
  if (cd.version >= 0x20200 && cd.team) {
    team_offset = static_cast<std::uint32_t>(b.size());
    b.insert(b.end(), cd.team->begin(), cd.team->end());
    b.push_back(0);
  }
  cd.special_hashes.resize(std::size_t{cd.special_count} * hsize, 0);
  cd.code_hashes.resize(std::size_t{code_count} * hsize, 0);
  b.insert(b.end(), cd.special_hashes.begin(), cd.special_hashes.end());
  const std::uint32_t hash_offset = static_cast<std::uint32_t>(b.size());
  b.insert(b.end(), cd.code_hashes.begin(), cd.code_hashes.end());
  if (b.size() < kCdMinimumLength) b.resize(kCdMinimumLength, 0);

  store32(b.data(), kCodeDirectoryMagic);
  store32(b.data() + 4, static_cast<std::uint32_t>(b.size()));
  store32(b.data() + 8, cd.version);
  store32(b.data() + 12, cd.flags);
  store32(b.data() + 16, hash_offset);
  store32(b.data() + 20, ident_offset);
  store32(b.data() + 24, cd.special_count);
  store32(b.data() + 28, code_count);
  store32(b.data() + 32, cd.code_limit);
  b[36] = hsize;
  b[37] = cd.hash_type;
  b[38] = cd.platform;
  b[39] = cd.page_log2;
  if (cd.version >= 0x20100) store32(b.data() + 44, scatter_offset);
  if (cd.version >= 0x20200) store32(b.data() + 48, team_offset);
  if (cd.version >= 0x20300) store_be(b, 56, 8, cd.code_limit64);
  if (cd.version >= 0x20400)
    for (int i = 0; i < 3; ++i) store_be(b, 64 + 8 * static_cast<std::size_t>(i), 8, cd.exec_seg[i]);
  if (cd.version >= 0x20500) store32(b.data() + 88, cd.runtime);  // no pre-encrypt hashes
  return b;
}

}  // namespace entsig::fuzz::sb

// Helpers for the Mach-O and code-signature tests: file reading, fixture and real-world
// paths, the macho_signatures.tsv reader, and a small byte builder for crafted inputs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/core.h"

#ifndef ENTSIG_MACHO_FIXTURES_DIR
#define ENTSIG_MACHO_FIXTURES_DIR ""
#endif

namespace entsig_test {

namespace fs = std::filesystem;

inline std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline entsig::Bytes view(const std::vector<std::uint8_t>& data) { return {data.data(), data.size()}; }

// Empty when the fixtures could not be built (no clang / ld64.lld / llvm-lipo).
inline fs::path fixtures_dir() { return fs::path(ENTSIG_MACHO_FIXTURES_DIR); }
inline bool have_fixtures() {
  return !fixtures_dir().empty() && fs::exists(fixtures_dir() / "exe_arm64");
}

inline fs::path realworld_dir() { return fs::path(ENTSIG_SHARED_DIR) / "realworld"; }
inline bool have_realworld() { return fs::is_directory(realworld_dir() / "macho"); }

// Every real-world Mach-O, sorted by name.
inline std::vector<fs::path> realworld_machos() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(realworld_dir() / "macho"))
    if (entry.is_regular_file()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------------------
// realworld/macho_signatures.tsv: "path<TAB>slice || slice ...", each slice
//   "<cpu> ft<N> id=<id> team=<team|-> CDs=<cd>+<cd> flags=<a,b|-> ents=<xml+der|xml|-> cms=<N> leaf=<...>"
// and each CD "sha256(v20400,f0x2[,rt0xc0000][,platN],pages_ok|PAGES_MISMATCH,special_ok)".

struct TsvCodeDirectory {
  std::string hash;  // "sha1", "sha256"
  std::uint32_t version = 0;
  std::uint32_t flags = 0;
  std::optional<std::uint32_t> runtime;
  std::optional<std::uint32_t> platform;
  bool pages_ok = false;
  bool special_ok = false;
};

struct TsvSlice {
  std::string cpu;
  std::uint32_t file_type = 0;
  std::string identifier;
  std::optional<std::string> team;
  std::vector<TsvCodeDirectory> code_directories;
  std::vector<std::string> flags;
  std::string entitlements;  // "xml", "xml+der", "-"
  std::uint64_t cms_size = 0;
  std::string leaf;  // the signer certificate's CN up to its first comma, or "-"
};

struct TsvRow {
  std::string path;  // relative to realworld/
  std::vector<TsvSlice> slices;
};

inline std::vector<std::string> split(std::string_view text, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + sep.size();
  }
}

// The text between `key` and the next `next_key` (or the end when next_key is empty).
inline std::string field_between(std::string_view text, std::string_view key, std::string_view next_key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) throw std::runtime_error("tsv: no " + std::string(key));
  const std::size_t start = at + key.size();
  const std::size_t end = next_key.empty() ? text.size() : text.find(next_key, start);
  if (end == std::string_view::npos) throw std::runtime_error("tsv: no " + std::string(next_key));
  return std::string(text.substr(start, end - start));
}

inline std::uint32_t parse_hex(std::string_view text) { return static_cast<std::uint32_t>(std::stoul(std::string(text), nullptr, 16)); }

inline TsvCodeDirectory parse_tsv_cd(std::string_view text) {
  TsvCodeDirectory cd;
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')') throw std::runtime_error("tsv: bad CD " + std::string(text));
  cd.hash = std::string(text.substr(0, open));
  for (const auto& part : split(text.substr(open + 1, text.size() - open - 2), ",")) {
    if (part.rfind("v", 0) == 0) cd.version = parse_hex(part.substr(1));
    else if (part.rfind("f0x", 0) == 0) cd.flags = parse_hex(part.substr(3));
    else if (part.rfind("rt0x", 0) == 0) cd.runtime = parse_hex(part.substr(4));
    else if (part.rfind("plat", 0) == 0) cd.platform = static_cast<std::uint32_t>(std::stoul(part.substr(4)));
    else if (part == "pages_ok") cd.pages_ok = true;
    else if (part == "PAGES_MISMATCH") cd.pages_ok = false;
    else if (part == "special_ok") cd.special_ok = true;
    else throw std::runtime_error("tsv: unknown CD field " + part);
  }
  return cd;
}

inline TsvSlice parse_tsv_slice(std::string_view text) {
  TsvSlice s;
  const auto words = split(text, " ");
  s.cpu = words.at(0);
  s.file_type = static_cast<std::uint32_t>(std::stoul(words.at(1).substr(2)));
  s.identifier = field_between(text, " id=", " team=");
  const std::string team = field_between(text, " team=", " CDs=");
  if (team != "-") s.team = team;
  for (const auto& cd : split(field_between(text, " CDs=", " flags="), "+")) s.code_directories.push_back(parse_tsv_cd(cd));
  const std::string flags = field_between(text, " flags=", " ents=");
  if (flags != "-") s.flags = split(flags, ",");
  s.entitlements = field_between(text, " ents=", " cms=");
  s.cms_size = std::stoull(field_between(text, " cms=", " leaf="));
  s.leaf = field_between(text, " leaf=", "");
  return s;
}

inline std::vector<TsvRow> read_signatures_tsv() {
  std::ifstream in(realworld_dir() / "macho_signatures.tsv");
  if (!in) throw std::runtime_error("cannot read macho_signatures.tsv");
  std::vector<TsvRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) { header = false; continue; }
    if (line.empty()) continue;
    const std::size_t tab = line.find('\t');
    TsvRow row;
    row.path = line.substr(0, tab);
    for (const auto& slice : split(std::string_view(line).substr(tab + 1), " || ")) row.slices.push_back(parse_tsv_slice(slice));
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Byte builder for crafted inputs.

class Bin {
 public:
  explicit Bin(entsig::Endian e = entsig::Endian::little) : e_(e) {}
  Bin& u8(std::uint8_t v) { data_.push_back(v); return *this; }
  Bin& u16(std::uint16_t v) { return uint(v, 2); }
  Bin& u32(std::uint32_t v) { return uint(v, 4); }
  Bin& u64(std::uint64_t v) { return uint(v, 8); }
  Bin& be32(std::uint32_t v) { return uint(v, 4, entsig::Endian::big); }
  Bin& be64(std::uint64_t v) { return uint(v, 8, entsig::Endian::big); }
  // A fixed-width field: the text, NUL-padded to `width`.
  Bin& fixed(std::string_view text, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) data_.push_back(i < text.size() ? static_cast<std::uint8_t>(text[i]) : 0);
    return *this;
  }
  Bin& text(std::string_view s) { data_.insert(data_.end(), s.begin(), s.end()); return *this; }
  Bin& zeros(std::size_t n) { data_.insert(data_.end(), n, 0); return *this; }
  Bin& pad_to(std::size_t size) { if (data_.size() < size) zeros(size - data_.size()); return *this; }
  Bin& append(const std::vector<std::uint8_t>& other) { data_.insert(data_.end(), other.begin(), other.end()); return *this; }
  Bin& append(entsig::Bytes other) { data_.insert(data_.end(), other.begin(), other.end()); return *this; }
  std::size_t size() const { return data_.size(); }
  const std::vector<std::uint8_t>& data() const { return data_; }
  std::vector<std::uint8_t>& data() { return data_; }

 private:
  Bin& uint(std::uint64_t v, int width, std::optional<entsig::Endian> order = std::nullopt) {
    const entsig::Endian e = order.value_or(e_);
    for (int i = 0; i < width; ++i) {
      const int shift = e == entsig::Endian::big ? (width - 1 - i) * 8 : i * 8;
      data_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    return *this;
  }
  entsig::Endian e_;
  std::vector<std::uint8_t> data_;
};

inline void put_u32(std::vector<std::uint8_t>& data, std::size_t at, std::uint32_t v, entsig::Endian e) {
  for (int i = 0; i < 4; ++i) {
    const int shift = e == entsig::Endian::big ? (3 - i) * 8 : i * 8;
    data.at(at + i) = static_cast<std::uint8_t>(v >> shift);
  }
}

inline void put_u64(std::vector<std::uint8_t>& data, std::size_t at, std::uint64_t v, entsig::Endian e) {
  for (int i = 0; i < 8; ++i) {
    const int shift = e == entsig::Endian::big ? (7 - i) * 8 : i * 8;
    data.at(at + i) = static_cast<std::uint8_t>(v >> shift);
  }
}

}  // namespace entsig_test

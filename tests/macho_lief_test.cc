// Differential check against LIEF 0.9: for every fixture and real-world Mach-O, the
// LC_CODE_SIGNATURE location and the slice CPUs entsig reads equal LIEF's.
#include <catch2/catch.hpp>

#include <LIEF/MachO.hpp>

#include "entsig/macho.h"
#include "macho_test_support.h"

using namespace entsig;
using namespace entsig_test;

namespace {

struct LiefSlice {
  std::uint32_t cpu_type = 0;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> signature;  // data_offset, data_size
};

std::optional<std::vector<LiefSlice>> lief_read(const fs::path& path) {
  try {
    std::unique_ptr<LIEF::MachO::FatBinary> fat = LIEF::MachO::Parser::parse(path.string());
    if (!fat) return std::nullopt;
    std::vector<LiefSlice> out;
    for (std::size_t i = 0; i < fat->size(); ++i) {
      const LIEF::MachO::Binary& bin = fat->at(i);
      LiefSlice s;
      s.cpu_type = static_cast<std::uint32_t>(bin.header().cpu_type());
      if (bin.has_code_signature())
        s.signature = std::make_pair(bin.code_signature().data_offset(), bin.code_signature().data_size());
      out.push_back(s);
    }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::uint32_t byte_swap(std::uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

struct Counts {
  std::size_t slices = 0;
  std::size_t big_endian_deviations = 0;
};

// Compares every slice; returns how many were compared and how many hit the known LIEF 0.9
// deviation: it reads big-endian (ppc) images without swapping, so it sees cputype
// 0x12000000 and no load commands it knows, hence no LC_CODE_SIGNATURE.
Counts compare_with_lief(const fs::path& path) {
  INFO(path.filename().string());
  const auto data = read_file(path);
  auto ours = macho::parse(view(data));
  REQUIRE(ours.ok());
  auto theirs = lief_read(path);
  REQUIRE(theirs.has_value());
  REQUIRE(theirs->size() == ours->slices.size());
  Counts counts;
  for (std::size_t i = 0; i < theirs->size(); ++i) {
    const auto& s = ours->slices[i];
    const auto& t = (*theirs)[i];
    INFO("slice " << i << " " << s.cpu_name());
    ++counts.slices;
    if (s.endian == Endian::big) {
      CHECK(t.cpu_type == byte_swap(s.cpu_type));
      CHECK_FALSE(t.signature.has_value());
      ++counts.big_endian_deviations;
      continue;
    }
    CHECK(s.cpu_type == t.cpu_type);
    REQUIRE(s.code_signature.has_value() == t.signature.has_value());
    if (t.signature) {
      CHECK(s.code_signature->dataoff == t.signature->first);
      CHECK(s.code_signature->datasize == t.signature->second);
    }
  }
  return counts;
}

}  // namespace

TEST_CASE("macho_lief: fixtures, LC_CODE_SIGNATURE equals LIEF's", "[macho][lief][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  std::size_t slices = 0;
  for (const char* name : {"exe_arm64", "exe_x86_64", "libfixture.dylib", "fixture.bundle", "fat_exe"}) {
    const Counts c = compare_with_lief(fixtures_dir() / name);
    slices += c.slices;
    CHECK(c.big_endian_deviations == 0);
  }
  CHECK(slices == 6);
}

TEST_CASE("macho_lief: real-world files, LC_CODE_SIGNATURE equals LIEF's", "[macho][lief][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  std::size_t files = 0, slices = 0, deviations = 0;
  for (const auto& path : realworld_machos()) {
    const Counts c = compare_with_lief(path);
    slices += c.slices;
    deviations += c.big_endian_deviations;
    ++files;
  }
  CHECK(files == 30);
  CHECK(slices == 39);
  // The known deviation: only the ppc slice of fatmach0-3true is big-endian.
  CHECK(deviations == 1);
}

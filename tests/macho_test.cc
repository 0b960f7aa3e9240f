#include <catch2/catch.hpp>

#include "entsig/macho.h"
#include "macho_test_support.h"

using namespace entsig;
using namespace entsig_test;

namespace {

constexpr std::uint32_t kSegmentCmd64 = 0x19;

// Load commands for crafted 64-bit little-endian images.
Bin segment64(std::string_view name, std::uint64_t fileoff, std::uint64_t filesize, std::uint32_t nsects = 0,
              std::optional<std::uint32_t> cmdsize = std::nullopt) {
  Bin b;
  b.u32(kSegmentCmd64).u32(cmdsize.value_or(72 + nsects * 80)).fixed(name, 16);
  b.u64(0x100000000 + fileoff).u64(filesize).u64(fileoff).u64(filesize).u32(5).u32(5).u32(nsects).u32(0);
  if (cmdsize) b.pad_to(*cmdsize);
  else b.zeros(nsects * 80);
  return b;
}

Bin code_signature_cmd(std::uint32_t dataoff, std::uint32_t datasize, std::uint32_t cmdsize = 16) {
  Bin b;
  b.u32(macho::kLcCodeSignature).u32(cmdsize).u32(dataoff).u32(datasize);
  b.pad_to(cmdsize);
  return b;
}

// A command of any type: its header and zeros up to max(cmdsize, 8) bytes.
Bin raw_cmd(std::uint32_t cmd, std::uint32_t cmdsize) {
  Bin b;
  b.u32(cmd).u32(cmdsize);
  b.pad_to(cmdsize);
  return b;
}

struct Image {
  std::vector<Bin> commands;
  std::optional<std::uint32_t> ncmds;
  std::optional<std::uint32_t> sizeofcmds;
  std::size_t file_size = 0x1000;
  std::uint32_t cpu_type = macho::kCpuTypeArm64;
  std::uint32_t cpu_subtype = 0;
  std::uint32_t file_type = macho::kFileTypeExecute;
};

std::vector<std::uint8_t> build(const Image& image) {
  std::uint32_t total = 0;
  for (const auto& c : image.commands) total += static_cast<std::uint32_t>(c.size());
  Bin b;
  b.u32(macho::kMagic64).u32(image.cpu_type).u32(image.cpu_subtype).u32(image.file_type);
  b.u32(image.ncmds.value_or(static_cast<std::uint32_t>(image.commands.size())));
  b.u32(image.sizeofcmds.value_or(total)).u32(0).u32(0);
  for (const auto& c : image.commands) b.append(c.data());
  b.pad_to(image.file_size);
  return b.data();
}

// __TEXT [0, 0x800), __LINKEDIT [0x800, 0x1000), signature [0x900, 0xa00) in a 0x1000 file.
// Commands start at 32, 104 and 176.
Image good_image() {
  Image image;
  image.commands = {segment64("__TEXT", 0, 0x800), segment64("__LINKEDIT", 0x800, 0x800), code_signature_cmd(0x900, 0x100)};
  return image;
}

void check_error(const Result<macho::File>& r, std::string_view id, std::uint64_t offset) {
  INFO("expected " << id << " at " << offset);
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().id() == id);
  CHECK(r.error().offset == offset);
}

Result<macho::File> parse_vec(const std::vector<std::uint8_t>& data, const macho::ParseOptions& options = {}) {
  return macho::parse(view(data), Limits{}, options);
}

// Fat header + arch table (big-endian), slices copied in at their offsets.
struct FatArch {
  std::uint32_t cpu_type;
  std::uint32_t cpu_subtype;
  std::uint64_t offset;
  std::uint64_t size;
  std::uint32_t align = 12;
};

std::vector<std::uint8_t> build_fat(const std::vector<FatArch>& arches, std::size_t file_size, bool fat64 = false,
                                    std::optional<std::uint32_t> count = std::nullopt) {
  Bin b(Endian::big);
  b.u32(fat64 ? macho::kFatMagic64 : macho::kFatMagic).u32(count.value_or(static_cast<std::uint32_t>(arches.size())));
  for (const auto& a : arches) {
    b.u32(a.cpu_type).u32(a.cpu_subtype);
    if (fat64) b.u64(a.offset).u64(a.size).u32(a.align).u32(0);
    else b.u32(static_cast<std::uint32_t>(a.offset)).u32(static_cast<std::uint32_t>(a.size)).u32(a.align);
  }
  b.pad_to(file_size);
  return b.data();
}

void place(std::vector<std::uint8_t>& into, std::size_t at, const std::vector<std::uint8_t>& what) {
  if (into.size() < at + what.size()) into.resize(at + what.size());
  std::copy(what.begin(), what.end(), into.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

// ---------------------------------------------------------------------------
// Crafted thin images

TEST_CASE("macho: thin 64-bit image, commands and signature location", "[macho]") {
  auto data = build(good_image());
  auto r = parse_vec(data);
  REQUIRE(r.ok());
  REQUIRE(r->kind == macho::FileKind::thin);
  REQUIRE(r->slices.size() == 1);
  const auto& s = r->slices[0];
  CHECK(s.is_64);
  CHECK(s.endian == Endian::little);
  CHECK(s.cpu_name() == "arm64");
  CHECK(s.file_type_name() == "execute");
  CHECK(s.ncmds == 3);
  CHECK(s.sizeofcmds == 72 + 72 + 16);
  REQUIRE(s.segments.size() == 2);
  CHECK(s.segments[1].name == "__LINKEDIT");
  CHECK(s.segments[1].fileoff == 0x800);
  CHECK(s.segments[1].command_offset == 104);
  REQUIRE(s.code_signature);
  CHECK(s.code_signature->dataoff == 0x900);
  CHECK(s.code_signature->datasize == 0x100);
  CHECK(s.code_signature->command_offset == 176);
  CHECK(s.signature_offset() == 0x900);
  CHECK(s.signature_bytes().data() == data.data() + 0x900);
  CHECK(s.signature_bytes().size() == 0x100);
}

TEST_CASE("macho: header and load-command bounds, exact ids and offsets", "[macho]") {
  SECTION("empty and short inputs") {
    check_error(macho::parse(Bytes{}), "macho.header.truncated", 0);
    const std::uint8_t three[] = {0xcf, 0xfa, 0xed};
    check_error(macho::parse(Bytes(three, 3)), "macho.header.truncated", 3);
    auto data = build(good_image());
    data.resize(20);  // magic ok, header needs 32
    check_error(parse_vec(data), "macho.header.truncated", 20);
  }
  SECTION("bad magic") {
    const std::uint8_t elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    check_error(macho::parse(Bytes(elf, sizeof elf)), "macho.header.bad_magic", 0);
  }
  SECTION("sizeofcmds past the slice") {
    Image image = good_image();
    image.sizeofcmds = 0x1000;  // 32 + 0x1000 > 0x1000
    check_error(parse_vec(build(image)), "macho.load_commands.exceed_slice", 20);
  }
  SECTION("ncmds larger than sizeofcmds / 8, checked before reading") {
    Image image = good_image();
    image.ncmds = 0xffffffff;
    check_error(parse_vec(build(image)), "macho.load_commands.count_exceeds_size", 16);
    image.ncmds = 160 / 8 + 1;  // sizeofcmds is 160
    check_error(parse_vec(build(image)), "macho.load_commands.count_exceeds_size", 16);
  }
  SECTION("ncmds promises more commands than sizeofcmds holds") {
    Image image = good_image();
    image.ncmds = 4;
    image.sizeofcmds = 160 + 4;  // 4 spare bytes: not room for a load_command
    check_error(parse_vec(build(image)), "macho.load_command.truncated", 32 + 160);
  }
  SECTION("cmdsize below 8") {
    Image image;
    image.commands = {raw_cmd(0x26, 4), raw_cmd(0x26, 8)};
    image.sizeofcmds = 16;
    check_error(parse_vec(build(image)), "macho.load_command.too_small", 36);
  }
  SECTION("cmdsize past sizeofcmds") {
    Image image = good_image();
    image.sizeofcmds = 72 + 72 + 8;  // the signature command claims 16
    check_error(parse_vec(build(image)), "macho.load_command.exceeds_sizeofcmds", 180);
  }
  SECTION("cmdsize not a multiple of 8 in a 64-bit image") {
    Image image;
    image.commands = {raw_cmd(0x26, 12), raw_cmd(0x26, 12)};
    check_error(parse_vec(build(image)), "macho.load_command.misaligned", 36);
    macho::ParseOptions kernel_like;
    kernel_like.require_aligned_load_commands = false;
    CHECK(parse_vec(build(image), kernel_like).ok());
  }
  SECTION("segment command shorter than its sections") {
    Image image;
    image.commands = {segment64("__TEXT", 0, 0x800, 3, 72 + 80)};
    check_error(parse_vec(build(image)), "macho.segment.command_too_small", 36);
    image.commands = {raw_cmd(kSegmentCmd64, 64)};
    check_error(parse_vec(build(image)), "macho.segment.command_too_small", 36);
  }
  SECTION("segment command of the other word size (XNU parse_machfile)") {
    Image image;
    image.commands = {segment64("__TEXT", 0, 0x800), raw_cmd(macho::kLcSegment, 56)};
    check_error(parse_vec(build(image)), "macho.segment.wrong_word_size", 32 + 72);
    image.commands = {segment64("__TEXT", 0, 0x800), segment64("__DATA", 0x800, 0x800)};
    CHECK(parse_vec(build(image)).ok());
  }
  SECTION("segment file range outside the slice or wrapping") {
    Image image;
    image.commands = {segment64("__DATA", 0x800, 0x801)};
    check_error(parse_vec(build(image)), "macho.segment.file_range_outside_slice", 32 + 40);
    image.commands = {segment64("__DATA", 0xffffffffffffff00ull, 0x200)};
    check_error(parse_vec(build(image)), "macho.segment.file_range_outside_slice", 32 + 40);
  }
  SECTION("platform commands") {
    Image image;
    Bin bv;
    bv.u32(macho::kLcBuildVersion).u32(32).u32(1).u32(0x000b0000).u32(0x000c0100).u32(1).u32(3).u32(0x03000000);
    image.commands = {bv};
    auto r = parse_vec(build(image));
    REQUIRE(r.ok());
    REQUIRE(r->slices[0].platforms.size() == 1);
    CHECK(macho::platform_name(r->slices[0].platforms[0].platform) == "macos");
    CHECK(macho::format_version(r->slices[0].platforms[0].minos) == "11.0");
    CHECK(macho::format_version(r->slices[0].platforms[0].sdk) == "12.1");
    image.commands[0].data()[20] = 2;  // ntools 2 in a 32-byte command
    check_error(parse_vec(build(image)), "macho.build_version.bad_size", 36);
    image.commands = {raw_cmd(macho::kLcVersionMinIPhoneOS, 24)};
    check_error(parse_vec(build(image)), "macho.version_min.bad_size", 36);
    Bin vm;
    vm.u32(macho::kLcVersionMinIPhoneOS).u32(16).u32(0x00080300).u32(0x00090000);
    image.commands = {vm};
    r = parse_vec(build(image));
    REQUIRE(r.ok());
    CHECK(macho::platform_name(r->slices[0].platforms[0].platform) == "ios");
    CHECK(macho::format_version(r->slices[0].platforms[0].minos) == "8.3");
  }
  SECTION("one platform command in an executable (XNU load_version), any number elsewhere") {
    Bin macos;
    macos.u32(macho::kLcBuildVersion).u32(24).u32(1).u32(0x000b0000).u32(0x000c0000).u32(0);
    Bin catalyst;
    catalyst.u32(macho::kLcBuildVersion).u32(24).u32(6).u32(0x000e0000).u32(0x000f0000).u32(0);
    Bin vm;
    vm.u32(macho::kLcVersionMinMacOS).u32(16).u32(0x000a0f00).u32(0x000b0000);
    Image image;
    image.commands = {macos};
    CHECK(parse_vec(build(image)).ok());
    image.commands = {macos, catalyst};
    check_error(parse_vec(build(image)), "macho.platform.duplicate", 32 + 24);
    image.commands = {vm, macos};  // LC_VERSION_MIN_* and LC_BUILD_VERSION count together
    check_error(parse_vec(build(image)), "macho.platform.duplicate", 32 + 16);
    image.commands = {macos, vm};
    check_error(parse_vec(build(image)), "macho.platform.duplicate", 32 + 24);
    image.file_type = macho::kFileTypeDylib;  // a zippered dylib
    image.commands = {macos, catalyst};
    auto r = parse_vec(build(image));
    REQUIRE(r.ok());
    CHECK(r->slices[0].platforms.size() == 2);
  }
}

TEST_CASE("macho: LC_CODE_SIGNATURE rules", "[macho]") {
  SECTION("cmdsize must be 16 (xnu load_code_signature)") {
    Image image = good_image();
    image.commands[2] = code_signature_cmd(0x900, 0x100, 24);
    check_error(parse_vec(build(image)), "macho.code_signature.bad_cmdsize", 180);
  }
  SECTION("dataoff + datasize overflows 32 bits") {
    Image image = good_image();
    image.commands[2] = code_signature_cmd(0xfffffff0, 0x20);
    check_error(parse_vec(build(image)), "macho.code_signature.range_overflow", 184);
  }
  SECTION("signature past the slice") {
    Image image = good_image();
    image.commands[2] = code_signature_cmd(0xf00, 0x101);
    check_error(parse_vec(build(image)), "macho.code_signature.outside_slice", 184);
    image.commands[2] = code_signature_cmd(0xf00, 0x100);  // ends exactly at the end
    CHECK(parse_vec(build(image)).ok());
  }
  SECTION("more than one") {
    Image image = good_image();
    image.commands.push_back(code_signature_cmd(0x900, 0x10));
    check_error(parse_vec(build(image)), "macho.code_signature.duplicate", 192);
  }
  SECTION("outside __LINKEDIT") {
    Image image = good_image();
    image.commands[2] = code_signature_cmd(0x700, 0x200);  // starts inside __TEXT
    check_error(parse_vec(build(image)), "macho.code_signature.outside_linkedit", 184);
    image.commands = {segment64("__TEXT", 0, 0x800), segment64("__LINKEDIT", 0x800, 0x400),
                      code_signature_cmd(0xb00, 0x200)};  // runs past __LINKEDIT's end
    check_error(parse_vec(build(image)), "macho.code_signature.outside_linkedit", 184);
    image.commands = {segment64("__TEXT", 0, 0x800), code_signature_cmd(0x900, 0x100)};
    check_error(parse_vec(build(image)), "macho.code_signature.outside_linkedit", 112);
  }
  SECTION("unsigned image has no location") {
    Image image = good_image();
    image.commands.pop_back();
    auto r = parse_vec(build(image));
    REQUIRE(r.ok());
    CHECK_FALSE(r->slices[0].code_signature);
    CHECK(r->slices[0].signature_bytes().empty());
  }
}

TEST_CASE("macho: 32-bit big-endian image", "[macho]") {
  Bin b(Endian::big);
  b.u32(macho::kMagic32).u32(macho::kCpuTypePowerPC).u32(10).u32(macho::kFileTypeExecute).u32(2).u32(56 + 16).u32(0);
  b.u32(macho::kLcSegment).u32(56).fixed("__LINKEDIT", 16).u32(0x3000).u32(0x400).u32(0x400).u32(0x400).u32(1).u32(1).u32(0).u32(0);
  b.u32(macho::kLcCodeSignature).u32(16).u32(0x500).u32(0x100);
  b.pad_to(0x800);
  auto r = parse_vec(b.data());
  REQUIRE(r.ok());
  const auto& s = r->slices[0];
  CHECK_FALSE(s.is_64);
  CHECK(s.endian == Endian::big);
  CHECK(s.cpu_name() == "ppc7400");
  CHECK(macho::cpu_type_name(s.cpu_type) == "ppc");
  REQUIRE(s.code_signature);
  CHECK(s.code_signature->dataoff == 0x500);
  CHECK(s.segments.at(0).filesize == 0x400);
  // A 32-bit image needs 4-byte multiples only.
  Bin c(Endian::big);
  c.u32(macho::kMagic32).u32(macho::kCpuTypePowerPC).u32(0).u32(macho::kFileTypeExecute).u32(1).u32(12).u32(0);
  c.u32(0x26).u32(12).u32(0);
  CHECK(parse_vec(c.data()).ok());
  put_u32(c.data(), 32, 10, Endian::big);
  put_u32(c.data(), 20, 10, Endian::big);
  check_error(parse_vec(c.data()), "macho.load_command.misaligned", 32);
  // LC_SEGMENT_64 in a 32-bit image (XNU parse_machfile: wrong ABI).
  Bin d(Endian::big);
  d.u32(macho::kMagic32).u32(macho::kCpuTypePowerPC).u32(0).u32(macho::kFileTypeExecute).u32(1).u32(72).u32(0);
  d.u32(macho::kLcSegment64).u32(72).zeros(64);
  check_error(parse_vec(d.data()), "macho.segment.wrong_word_size", 28);
}

TEST_CASE("macho: input size limit at limit-1, limit, limit+1", "[macho]") {
  auto data = build(good_image());
  Limits limits;
  limits.max_input_bytes = data.size() - 1;
  auto r = macho::parse(view(data), limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "core.input_too_large");
  CHECK(r.error().kind() == ErrorKind::limit);
  limits.max_input_bytes = data.size();
  CHECK(macho::parse(view(data), limits).ok());
  limits.max_input_bytes = data.size() + 1;
  CHECK(macho::parse(view(data), limits).ok());
}

// ---------------------------------------------------------------------------
// Crafted fat files

TEST_CASE("macho: fat container rules", "[macho]") {
  const auto slice_a = build(good_image());  // 0x1000 bytes, arm64
  Image x86 = good_image();
  x86.cpu_type = macho::kCpuTypeX86_64;
  x86.cpu_subtype = 3;
  const auto slice_b = build(x86);

  SECTION("two slices parse with absolute offsets") {
    auto fat = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1000, 12}, {macho::kCpuTypeX86_64, 3, 0x2000, 0x1000, 12}}, 0x3000);
    place(fat, 0x1000, slice_a);
    place(fat, 0x2000, slice_b);
    auto r = parse_vec(fat);
    REQUIRE(r.ok());
    CHECK(r->kind == macho::FileKind::fat);
    REQUIRE(r->slices.size() == 2);
    CHECK(r->slices[1].cpu_name() == "x86_64");
    CHECK(r->slices[1].offset == 0x2000);
    CHECK(r->slices[1].signature_offset() == 0x2900);
    CHECK(r->slices[1].code_signature->command_offset == 0x2000 + 176);
  }
  SECTION("fat64 with 64-bit offsets") {
    auto fat = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1000, 12}}, 0x2000, true);
    place(fat, 0x1000, slice_a);
    auto r = parse_vec(fat);
    REQUIRE(r.ok());
    CHECK(r->kind == macho::FileKind::fat64);
    CHECK(r->slices[0].offset == 0x1000);
  }
  SECTION("no architectures") {
    check_error(parse_vec(build_fat({}, 64)), "macho.fat.no_arches", 4);
  }
  SECTION("huge arch count is refused from the file size, without allocating") {
    check_error(parse_vec(build_fat({}, 100, false, 0x10000000)), "macho.fat.arch_count_exceeds_file", 4);
    check_error(parse_vec(build_fat({}, 100, true, 0xffffffff)), "macho.fat.arch_count_exceeds_file", 4);
    // (100 - 8) / 20 = 4 entries fit; 5 do not.
    check_error(parse_vec(build_fat({}, 100, false, 5)), "macho.fat.arch_count_exceeds_file", 4);
  }
  SECTION("slice inside the header, wrapping, or past the file") {
    check_error(parse_vec(build_fat({{macho::kCpuTypeArm64, 0, 20, 0x100}}, 0x1000)), "macho.fat.slice_overlaps_header", 16);
    check_error(parse_vec(build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0xfffff001}}, 0x2000)),
                "macho.fat.slice_range_overflow", 16);
    check_error(parse_vec(build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1001}}, 0x2000)), "macho.fat.slice_outside_file", 16);
    check_error(parse_vec(build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0xffffffffffffff00ull}}, 0x2000, true)),
                "macho.fat.slice_range_overflow", 16);
  }
  SECTION("overlapping and duplicate slices (xnu fatfile_validate_fatarches)") {
    auto overlap = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1000}, {macho::kCpuTypeX86_64, 3, 0x1800, 0x1000}}, 0x3000);
    check_error(parse_vec(overlap), "macho.fat.slices_overlap", 28 + 8);
    // The same slice twice under two CPUs overlaps too.
    auto twice = build_fat({{macho::kCpuTypeX86_64, 3, 0x1000, 0x1000}, {macho::kCpuTypeArm64, 0, 0x1000, 0x1000}}, 0x2000);
    check_error(parse_vec(twice), "macho.fat.slices_overlap", 28 + 8);
    auto dup = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1000}, {macho::kCpuTypeArm64, 0, 0x2000, 0x1000}}, 0x3000);
    check_error(parse_vec(dup), "macho.fat.duplicate_arch", 28);
  }
  SECTION("slice that is not an image") {
    auto nested = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x100}}, 0x1100);
    place(nested, 0x1000, build_fat({{macho::kCpuTypeArm64, 0, 0x40, 0x40}}, 0x80));
    check_error(parse_vec(nested), "macho.fat.nested", 0x1000);
    auto truncated = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 16}}, 0x1010);
    place(truncated, 0x1000, std::vector<std::uint8_t>(slice_a.begin(), slice_a.begin() + 16));
    check_error(parse_vec(truncated), "macho.header.truncated", 0x1010);
  }
  SECTION("fat_arch CPU differs from the slice header (CVE-2018-10405 shape)") {
    auto fat = build_fat({{macho::kCpuTypeX86, 3, 0x1000, 0x1000}}, 0x2000);
    place(fat, 0x1000, slice_a);
    check_error(parse_vec(fat), "macho.fat.cpu_mismatch", 8);
    macho::ParseOptions lenient;
    lenient.require_fat_cpu_match = false;
    auto r = parse_vec(fat, lenient);
    REQUIRE(r.ok());
    CHECK(r->slices[0].fat_cpu_type == macho::kCpuTypeX86);
    CHECK(r->slices[0].cpu_type == macho::kCpuTypeArm64);
  }
  SECTION("slice errors carry absolute offsets") {
    Image bad = good_image();
    bad.commands[2] = code_signature_cmd(0xfffffff0, 0x20);
    auto fat = build_fat({{macho::kCpuTypeArm64, 0, 0x1000, 0x1000}}, 0x2000);
    place(fat, 0x1000, build(bad));
    check_error(parse_vec(fat), "macho.code_signature.range_overflow", 0x1000 + 184);
  }
}

TEST_CASE("macho: names", "[macho]") {
  CHECK(macho::cpu_name(macho::kCpuTypeArm64, 0x80000002) == "arm64e");
  CHECK(macho::cpu_name(macho::kCpuTypeArm64, 0) == "arm64");
  CHECK(macho::cpu_name(macho::kCpuTypeArm64_32, 1) == "arm64_32");
  CHECK(macho::cpu_name(macho::kCpuTypeX86_64, 0x80000003) == "x86_64");
  CHECK(macho::cpu_name(macho::kCpuTypeX86_64, 8) == "x86_64h");
  CHECK(macho::cpu_name(macho::kCpuTypeX86, 3) == "i386");
  CHECK(macho::cpu_name(macho::kCpuTypeArm, 9) == "armv7");
  CHECK(macho::cpu_name(macho::kCpuTypeArm, 11) == "armv7s");
  CHECK(macho::cpu_name(macho::kCpuTypePowerPC, 0) == "ppc");
  CHECK(macho::cpu_name(0x77, 0) == "unknown(0x77)");
  CHECK(macho::file_type_name(macho::kFileTypeDylib) == "dylib");
  CHECK(macho::file_type_constant(macho::kFileTypeBundle) == "MH_BUNDLE");
  CHECK(macho::file_type_name(0x99) == "unknown(153)");
  CHECK(macho::platform_name(7) == "iossimulator");
  CHECK(macho::platform_name(99) == "unknown(99)");
  CHECK(macho::format_version(0x000a0f01) == "10.15.1");
  CHECK(macho::file_kind_name(macho::FileKind::fat64) == "fat64");
}

// ---------------------------------------------------------------------------
// Fixtures built by clang + ld64.lld + llvm-lipo (tests/fixtures)

TEST_CASE("macho: fixtures, thin executables, dylib and bundle", "[macho][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  struct Expect {
    const char* name;
    const char* cpu;
    std::uint32_t file_type;
  };
  const Expect cases[] = {{"exe_arm64", "arm64", macho::kFileTypeExecute},
                          {"exe_x86_64", "x86_64", macho::kFileTypeExecute},
                          {"libfixture.dylib", "arm64", macho::kFileTypeDylib},
                          {"fixture.bundle", "arm64", macho::kFileTypeBundle}};
  for (const auto& c : cases) {
    INFO(c.name);
    const auto data = read_file(fixtures_dir() / c.name);
    auto r = parse_vec(data);
    REQUIRE(r.ok());
    REQUIRE(r->slices.size() == 1);
    const auto& s = r->slices[0];
    CHECK(s.cpu_name() == c.cpu);
    CHECK(s.file_type == c.file_type);
    CHECK(s.is_64);
    CHECK(s.endian == Endian::little);
    REQUIRE(s.platforms.size() == 1);
    CHECK(s.platforms[0].command == macho::kLcBuildVersion);
    CHECK(macho::platform_name(s.platforms[0].platform) == "macos");
    CHECK(macho::format_version(s.platforms[0].minos) == "11.0");
    REQUIRE(s.code_signature);
    const auto* linkedit = s.linkedit_segment();
    REQUIRE(linkedit);
    // ld64.lld puts the signature last in __LINKEDIT, at the end of the file, 16-aligned.
    CHECK(std::uint64_t{s.code_signature->dataoff} + s.code_signature->datasize == linkedit->fileoff + linkedit->filesize);
    CHECK(std::uint64_t{s.code_signature->dataoff} + s.code_signature->datasize == data.size());
    CHECK(s.code_signature->dataoff % 16 == 0);
    REQUIRE(s.text_segment());
    CHECK(s.text_segment()->fileoff == 0);
    // The signature starts with the SuperBlob magic.
    CHECK(Cursor(s.signature_bytes()).u32_at(0, Endian::big) == 0xfade0cc0u);
  }
}

TEST_CASE("macho: fixtures, fat file made by llvm-lipo", "[macho][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  const auto fat = read_file(fixtures_dir() / "fat_exe");
  auto r = parse_vec(fat);
  REQUIRE(r.ok());
  CHECK(r->kind == macho::FileKind::fat);
  REQUIRE(r->slices.size() == 2);
  for (const auto& s : r->slices) {
    const std::string name = s.cpu_name() == "arm64" ? "exe_arm64" : "exe_x86_64";
    INFO(name);
    // lipo copies each image verbatim at a 2^align boundary.
    const auto thin = read_file(fixtures_dir() / name);
    CHECK(s.size == thin.size());
    CHECK(std::equal(s.data.begin(), s.data.end(), thin.begin(), thin.end()));
    CHECK(s.offset % (std::uint64_t{1} << s.fat_align) == 0);
    CHECK(s.fat_cpu_type == s.cpu_type);
    REQUIRE(s.code_signature);
    auto alone = parse_vec(thin);
    REQUIRE(alone.ok());
    CHECK(s.code_signature->dataoff == alone->slices[0].code_signature->dataoff);
    CHECK(s.signature_offset() == s.offset + s.code_signature->dataoff);
  }
  CHECK(r->slices[0].cpu_name() != r->slices[1].cpu_name());
  CHECK(r->slices[0].fat_align == (r->slices[0].cpu_name() == "arm64" ? 14u : 12u));
}

TEST_CASE("macho: every truncation of a fixture fails cleanly", "[macho][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  const auto full = read_file(fixtures_dir() / "fat_exe");
  std::size_t failures = 0;
  for (std::size_t n = 0; n < full.size(); n += 7) {
    auto r = macho::parse(Bytes(full.data(), n));
    if (!r.ok()) {
      ++failures;
      CHECK(r.error().kind() == ErrorKind::malformed);
      CHECK(r.error().offset <= n);
    }
  }
  // Every proper prefix cuts the last slice short.
  CHECK(failures == (full.size() + 6) / 7);
}

// ---------------------------------------------------------------------------
// Real-world corpus

TEST_CASE("macho: real-world files parse, slices match macho_signatures.tsv", "[macho][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  const auto files = realworld_machos();
  CHECK(files.size() == 30);
  std::size_t parsed = 0;
  for (const auto& path : files) {
    INFO(path.filename().string());
    const auto data = read_file(path);
    auto r = parse_vec(data);
    REQUIRE(r.ok());
    ++parsed;
    for (const auto& s : r->slices) CHECK(s.code_signature.has_value());
  }
  CHECK(parsed == files.size());

  const auto rows = read_signatures_tsv();
  CHECK(rows.size() == 30);
  for (const auto& row : rows) {
    INFO(row.path);
    const auto data = read_file(realworld_dir() / row.path);
    auto r = parse_vec(data);
    REQUIRE(r.ok());
    REQUIRE(r->slices.size() == row.slices.size());
    for (std::size_t i = 0; i < row.slices.size(); ++i) {
      const auto& s = r->slices[i];
      const auto& want = row.slices[i];
      // The TSV names CPU families, except arm64e.
      const std::string cpu = s.cpu_name() == "arm64e" ? "arm64e" : macho::cpu_type_name(s.cpu_type);
      CHECK(cpu == want.cpu);
      CHECK(s.file_type == want.file_type);
    }
  }
}

TEST_CASE("macho: real-world fat layouts", "[macho][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  const auto data = read_file(realworld_dir() / "macho" / "radareorg__radare2-testbins__fatmach0-3true");
  auto r = parse_vec(data);
  REQUIRE(r.ok());
  REQUIRE(r->slices.size() == 3);
  CHECK(r->slices[0].cpu_name() == "x86_64");
  CHECK(r->slices[0].offset == 4096);
  CHECK(r->slices[1].cpu_name() == "i386");
  CHECK_FALSE(r->slices[1].is_64);
  CHECK(r->slices[2].cpu_name() == "ppc7400");
  CHECK(r->slices[2].endian == Endian::big);
  CHECK(r->slices[2].offset == 36864);
  CHECK(r->slices[2].code_signature->dataoff == 8288);
  CHECK(r->slices[2].code_signature->datasize == 5328);
}

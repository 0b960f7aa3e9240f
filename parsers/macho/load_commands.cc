// Decoders for the load commands entsig needs: segments (for __TEXT and __LINKEDIT),
// LC_CODE_SIGNATURE, LC_BUILD_VERSION / LC_VERSION_MIN_*, LC_UUID. Others are skipped after
// the generic bounds checks in slice.cc.
#include <cstdio>

#include "internal.h"

namespace entsig::macho::detail {
namespace {

constexpr std::uint64_t kSegment32Size = 56;   // sizeof(segment_command)
constexpr std::uint64_t kSegment64Size = 72;   // sizeof(segment_command_64)
constexpr std::uint64_t kSection32Size = 68;   // sizeof(section)
constexpr std::uint64_t kSection64Size = 80;   // sizeof(section_64)
constexpr std::uint32_t kLinkeditDataSize = 16;  // sizeof(linkedit_data_command)
constexpr std::uint64_t kBuildVersionSize = 24;  // sizeof(build_version_command)
constexpr std::uint64_t kBuildToolSize = 8;      // sizeof(build_tool_version)
constexpr std::uint32_t kVersionMinSize = 16;    // sizeof(version_min_command)
constexpr std::uint32_t kUuidSize = 24;          // sizeof(uuid_command)

Status read_segment(const Cursor& command, bool is_64, Slice& slice) {
  const Endian e = slice.endian;
  // XNU parse_machfile: "Having an LC_SEGMENT command for the wrong ABI is invalid"; the
  // other command's layout would be read over this one's fields.
  if (is_64 != slice.is_64)
    return make_error(ErrorCode::macho_segment_wrong_word_size, command.base(),
                      std::string(is_64 ? "LC_SEGMENT_64 in a 32-bit image" : "LC_SEGMENT in a 64-bit image"));
  const std::uint64_t fixed = is_64 ? kSegment64Size : kSegment32Size;
  const std::uint64_t section_size = is_64 ? kSection64Size : kSection32Size;
  const std::uint64_t cmdsize = command.size();
  if (cmdsize < fixed)
    return make_error(ErrorCode::macho_segment_command_too_small, command.offset_of(4),
                      "cmdsize " + std::to_string(cmdsize));
  Cursor c = command;
  c.skip(8);
  Segment seg;
  seg.command_offset = command.base();
  Bytes name = *c.bytes(16);
  for (std::uint8_t ch : name) {
    if (ch == 0) break;
    seg.name.push_back(static_cast<char>(ch));
  }
  const std::size_t word = is_64 ? 8 : 4;
  seg.vmaddr = *c.uint(word, e);
  seg.vmsize = *c.uint(word, e);
  seg.fileoff = *c.uint(word, e);
  seg.filesize = *c.uint(word, e);
  seg.maxprot = *c.u32(e);
  seg.initprot = *c.u32(e);
  seg.section_count = *c.u32(e);
  seg.flags = *c.u32(e);
  // XNU load_segment: the section headers must fit in cmdsize. 2^32 * 80 fits in 64 bits.
  if (seg.section_count * section_size > cmdsize - fixed)
    return make_error(ErrorCode::macho_segment_command_too_small, command.offset_of(4),
                      std::to_string(seg.section_count) + " sections in cmdsize " +
                          std::to_string(cmdsize));
  // XNU load_segment: fileoff + filesize must not wrap and must lie inside the slice.
  if (!range_fits(seg.fileoff, seg.filesize, slice.size))
    return make_error(ErrorCode::macho_segment_file_range, command.offset_of(is_64 ? 40 : 32),
                      seg.name);
  slice.segments.push_back(std::move(seg));
  return Ok{};
}

Status read_code_signature(const Cursor& command, Slice& slice) {
  const Endian e = slice.endian;
  // xnu mach_loader.c load_code_signature: cmdsize must be sizeof(linkedit_data_command)
  // (codesign-rules A0 #0.1).
  if (command.size() != kLinkeditDataSize)
    return make_error(ErrorCode::macho_code_signature_bad_cmdsize, command.offset_of(4),
                      "cmdsize " + std::to_string(command.size()));
  if (slice.code_signature)
    return make_error(ErrorCode::macho_code_signature_duplicate, command.base());
  CodeSignatureLocation loc;
  loc.command_offset = command.base();
  loc.dataoff = *command.u32_at(8, e);
  loc.datasize = *command.u32_at(12, e);
  // os_add_overflow on the 32-bit sum, then end <= macho_size (A0 #0.2).
  auto end = checked_add<std::uint32_t>(loc.dataoff, loc.datasize);
  if (!end)
    return make_error(ErrorCode::macho_code_signature_range_overflow, command.offset_of(8));
  if (*end > slice.size)
    return make_error(ErrorCode::macho_code_signature_outside_slice, command.offset_of(8),
                      "ends at " + std::to_string(*end) + ", slice size " + std::to_string(slice.size));
  slice.code_signature = loc;
  return Ok{};
}

// XNU parse_machfile and load_version: the main executable carries one LC_BUILD_VERSION or
// LC_VERSION_MIN_* in all, and a second is LOAD_BADMACHO. Other file types are not loaded by
// the kernel, and zippered dylibs carry two LC_BUILD_VERSION by design.
Status check_single_platform(const Cursor& command, const Slice& slice) {
  if (slice.file_type == kFileTypeExecute && !slice.platforms.empty())
    return make_error(ErrorCode::macho_platform_duplicate, command.base(),
                      "platform command " + std::to_string(slice.platforms.size() + 1) + " in an executable");
  return Ok{};
}

Status read_build_version(const Cursor& command, Slice& slice) {
  const Endian e = slice.endian;
  if (command.size() < kBuildVersionSize)
    return make_error(ErrorCode::macho_build_version_bad_size, command.offset_of(4),
                      "cmdsize " + std::to_string(command.size()));
  PlatformVersion v;
  v.command = kLcBuildVersion;
  v.platform = *command.u32_at(8, e);
  v.minos = *command.u32_at(12, e);
  v.sdk = *command.u32_at(16, e);
  const std::uint64_t ntools = *command.u32_at(20, e);
  // LLVM MachOObjectFile: cmdsize must be exactly the fixed part plus ntools entries.
  if (kBuildVersionSize + ntools * kBuildToolSize != command.size())
    return make_error(ErrorCode::macho_build_version_bad_size, command.offset_of(4),
                      std::to_string(ntools) + " tools in cmdsize " + std::to_string(command.size()));
  if (auto st = check_single_platform(command, slice); !st) return st.error();
  slice.platforms.push_back(v);
  return Ok{};
}

Status read_version_min(const Cursor& command, std::uint32_t cmd, Slice& slice) {
  const Endian e = slice.endian;
  if (command.size() != kVersionMinSize)
    return make_error(ErrorCode::macho_version_min_bad_size, command.offset_of(4),
                      "cmdsize " + std::to_string(command.size()));
  PlatformVersion v;
  v.command = cmd;
  switch (cmd) {
    case kLcVersionMinMacOS: v.platform = 1; break;
    case kLcVersionMinIPhoneOS: v.platform = 2; break;
    case kLcVersionMinTvOS: v.platform = 3; break;
    case kLcVersionMinWatchOS: v.platform = 4; break;
    default: break;
  }
  v.minos = *command.u32_at(8, e);
  v.sdk = *command.u32_at(12, e);
  if (auto st = check_single_platform(command, slice); !st) return st.error();
  slice.platforms.push_back(v);
  return Ok{};
}

Status read_uuid(const Cursor& command, Slice& slice) {
  if (command.size() != kUuidSize)
    return make_error(ErrorCode::macho_uuid_bad_size, command.offset_of(4),
                      "cmdsize " + std::to_string(command.size()));
  Bytes raw = *command.bytes_at(8, 16);
  std::string text;
  char buf[4];
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    std::snprintf(buf, sizeof buf, "%02X", raw[i]);
    text += buf;
  }
  slice.uuid = std::move(text);
  return Ok{};
}

}  // namespace

Status read_load_command(const Cursor& command, std::uint32_t cmd, Slice& slice) {
  switch (cmd) {
    case kLcSegment: return read_segment(command, false, slice);
    case kLcSegment64: return read_segment(command, true, slice);
    case kLcCodeSignature: return read_code_signature(command, slice);
    case kLcBuildVersion: return read_build_version(command, slice);
    case kLcVersionMinMacOS:
    case kLcVersionMinIPhoneOS:
    case kLcVersionMinTvOS:
    case kLcVersionMinWatchOS: return read_version_min(command, cmd, slice);
    case kLcUuid: return read_uuid(command, slice);
    default: return Ok{};
  }
}

Status check_code_signature_placement(const Slice& slice) {
  if (!slice.code_signature) return Ok{};
  const auto& loc = *slice.code_signature;
  // The signature must lie inside __LINKEDIT (codesign-rules A0 #0.5, rcodesign
  // find_signature_data); a signature elsewhere would be covered by, or overlap, code.
  const Segment* linkedit = slice.linkedit_segment();
  if (!linkedit)
    return make_error(ErrorCode::macho_code_signature_outside_linkedit, loc.command_offset + 8,
                      "no __LINKEDIT segment");
  const std::uint64_t end = std::uint64_t{loc.dataoff} + loc.datasize;
  // Segment ranges were checked to lie inside the slice, so this sum cannot wrap.
  const std::uint64_t linkedit_end = linkedit->fileoff + linkedit->filesize;
  if (loc.dataoff < linkedit->fileoff || end > linkedit_end)
    return make_error(ErrorCode::macho_code_signature_outside_linkedit, loc.command_offset + 8,
                      "signature [" + std::to_string(loc.dataoff) + ", " + std::to_string(end) +
                          "), __LINKEDIT [" + std::to_string(linkedit->fileoff) + ", " +
                          std::to_string(linkedit_end) + ")");
  return Ok{};
}

}  // namespace entsig::macho::detail

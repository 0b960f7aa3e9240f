// One Mach-O image: the mach_header and its load commands, every one bounded by sizeofcmds.
#include <cstdio>

#include "internal.h"

namespace entsig::macho::detail {
namespace {

constexpr std::uint32_t kCigam32 = 0xcefaedfe;  // MH_CIGAM: MH_MAGIC written little-endian
constexpr std::uint32_t kCigam64 = 0xcffaedfe;  // MH_CIGAM_64
constexpr std::uint32_t kFatCigam = 0xbebafeca;
constexpr std::uint32_t kFatCigam64 = 0xbfbafeca;
constexpr std::uint64_t kLoadCommandHeaderSize = 8;  // sizeof(struct load_command)

}  // namespace

Result<Slice> parse_slice(Bytes input, std::uint64_t offset, std::uint64_t size,
                          const ParseOptions& options) {
  auto sub = Cursor(input).sub(offset, size);
  if (!sub) return make_error(ErrorCode::core_internal, offset, "slice range not checked");
  const Cursor& image = *sub;

  Slice slice;
  slice.offset = offset;
  slice.size = size;
  slice.data = image.data();

  auto magic = image.u32_at(0, Endian::big);
  if (!magic) return make_error(ErrorCode::macho_header_truncated, offset + size);
  switch (*magic) {
    case kMagic32: slice.endian = Endian::big; break;
    case kCigam32: slice.endian = Endian::little; break;
    case kMagic64: slice.endian = Endian::big; slice.is_64 = true; break;
    case kCigam64: slice.endian = Endian::little; slice.is_64 = true; break;
    case kFatMagic:
    case kFatMagic64:
    case kFatCigam:
    case kFatCigam64:
      // XNU's fat loader never recurses; a fat file inside a slice is not an image.
      return make_error(ErrorCode::macho_fat_nested, offset);
    default: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08x", *magic);
      return make_error(ErrorCode::macho_bad_magic, offset, buf);
    }
  }
  if (size < slice.header_size()) return make_error(ErrorCode::macho_header_truncated, offset + size);

  const Endian e = slice.endian;
  Cursor header = image;
  header.skip(4);
  slice.cpu_type = *header.u32(e);
  slice.cpu_subtype = *header.u32(e);
  slice.file_type = *header.u32(e);
  slice.ncmds = *header.u32(e);
  slice.sizeofcmds = *header.u32(e);
  slice.flags = *header.u32(e);
  slice.fat_cpu_type = slice.cpu_type;
  slice.fat_cpu_subtype = slice.cpu_subtype;

  // XNU parse_machfile: the commands area (header + sizeofcmds) must lie in the image.
  const std::uint64_t commands_end = slice.header_size() + std::uint64_t{slice.sizeofcmds};
  if (commands_end > size)
    return make_error(ErrorCode::macho_load_commands_exceed_slice, offset + 20,
                      "sizeofcmds " + std::to_string(slice.sizeofcmds) + ", slice size " +
                          std::to_string(size));
  // Every command is at least 8 bytes, so ncmds can be checked before reading any.
  if (slice.ncmds > slice.sizeofcmds / kLoadCommandHeaderSize)
    return make_error(ErrorCode::macho_load_commands_count_exceeds_size, offset + 16,
                      "ncmds " + std::to_string(slice.ncmds) + ", sizeofcmds " +
                          std::to_string(slice.sizeofcmds));

  const std::uint64_t alignment = slice.is_64 ? 8 : 4;
  std::uint64_t pos = slice.header_size();
  for (std::uint32_t i = 0; i < slice.ncmds; ++i) {
    // XNU parse_machfile prevalidation: room for a load_command, cmdsize >= 8, the whole
    // command inside sizeofcmds, no wrap.
    if (commands_end - pos < kLoadCommandHeaderSize)
      return make_error(ErrorCode::macho_load_command_truncated, offset + pos,
                        "command " + std::to_string(i));
    const std::uint32_t cmd = *image.u32_at(pos, e);
    const std::uint32_t cmdsize = *image.u32_at(pos + 4, e);
    if (cmdsize < kLoadCommandHeaderSize)
      return make_error(ErrorCode::macho_load_command_too_small, offset + pos + 4,
                        "command " + std::to_string(i) + " cmdsize " + std::to_string(cmdsize));
    if (cmdsize > commands_end - pos)
      return make_error(ErrorCode::macho_load_command_exceeds_sizeofcmds, offset + pos + 4,
                        "command " + std::to_string(i) + " cmdsize " + std::to_string(cmdsize));
    // LLVM MachOObjectFile / cctools checkout(): cmdsize is a multiple of the word size.
    if (options.require_aligned_load_commands && cmdsize % alignment != 0)
      return make_error(ErrorCode::macho_load_command_misaligned, offset + pos + 4,
                        "command " + std::to_string(i) + " cmdsize " + std::to_string(cmdsize));
    auto command = image.sub(pos, cmdsize);
    if (!command) return make_error(ErrorCode::core_internal, offset + pos, "load command range");
    if (auto st = read_load_command(*command, cmd, slice); !st) return st.error();
    pos += cmdsize;
  }
  if (auto st = check_code_signature_placement(slice); !st) return st.error();
  return slice;
}

}  // namespace entsig::macho::detail

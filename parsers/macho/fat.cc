// Fat (universal) containers: FAT_MAGIC with 32-bit fat_arch entries and FAT_MAGIC_64 with
// 64-bit ones. Always big-endian. Checks follow XNU bsd/kern/mach_fat.c
// fatfile_validate_fatarches, applied to both forms.
#include <algorithm>
#include <cstdio>

#include "internal.h"

namespace entsig::macho::detail {
namespace {

constexpr std::uint64_t kFatHeaderSize = 8;    // sizeof(fat_header)
constexpr std::uint64_t kFatArchSize = 20;     // sizeof(fat_arch)
constexpr std::uint64_t kFatArch64Size = 32;   // sizeof(fat_arch_64)

struct FatArch {
  std::uint64_t entry_offset = 0;  // of the fat_arch in the file
  std::uint32_t cpu_type = 0;
  std::uint32_t cpu_subtype = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t align = 0;
};

}  // namespace

Result<File> parse_fat(Bytes input, bool is_fat64, const Limits& limits, const ParseOptions& options) {
  Cursor file(input);
  if (input.size() < kFatHeaderSize) return make_error(ErrorCode::macho_header_truncated, input.size());
  const std::uint32_t count = *file.u32_at(4, Endian::big);
  if (count == 0) return make_error(ErrorCode::macho_fat_no_arches, 4);
  const std::uint64_t entry_size = is_fat64 ? kFatArch64Size : kFatArchSize;
  // XNU: nfat_arch <= (size - sizeof(fat_header)) / sizeof(fat_arch), so the table is in
  // the file before anything is allocated from the count.
  if (count > (input.size() - kFatHeaderSize) / entry_size)
    return make_error(ErrorCode::macho_fat_arch_count_exceeds_file, 4,
                      std::to_string(count) + " entries of " + std::to_string(entry_size) + " bytes");
  if (count > limits.max_objects)
    return limit_error(ErrorCode::macho_fat_arch_count_exceeds_file, 4, "max_objects", limits.max_objects);
  const std::uint64_t table_end = kFatHeaderSize + count * entry_size;

  std::vector<FatArch> arches;
  arches.reserve(count);
  Cursor table = *file.sub(kFatHeaderSize, count * entry_size);
  for (std::uint32_t i = 0; i < count; ++i) {
    FatArch a;
    a.entry_offset = table.offset();
    a.cpu_type = *table.u32be();
    a.cpu_subtype = *table.u32be();
    if (is_fat64) {
      a.offset = *table.u64be();
      a.size = *table.u64be();
      a.align = *table.u32be();
      table.skip(4);  // reserved
    } else {
      a.offset = *table.u32be();
      a.size = *table.u32be();
      a.align = *table.u32be();
    }
    // XNU: a slice may not start inside the header or the fat_arch table.
    if (a.offset < table_end)
      return make_error(ErrorCode::macho_fat_slice_overlaps_header, a.entry_offset + 8,
                        "slice " + std::to_string(i) + " at " + std::to_string(a.offset));
    // XNU: offset + size must not wrap (in 32 bits for fat_arch).
    const std::uint64_t max_end = is_fat64 ? UINT64_MAX : UINT32_MAX;
    if (a.size > max_end - a.offset)
      return make_error(ErrorCode::macho_fat_slice_range_overflow, a.entry_offset + 8,
                        "slice " + std::to_string(i));
    if (!range_fits(a.offset, a.size, input.size()))
      return make_error(ErrorCode::macho_fat_slice_outside_file, a.entry_offset + 8,
                        "slice " + std::to_string(i) + " ends at " + std::to_string(a.offset + a.size) +
                            ", file size " + std::to_string(input.size()));
    arches.push_back(a);
  }

  // XNU rejects two entries with equal cputype and cpusubtype, and any two slices that
  // overlap. Sorting keeps both checks O(n log n); the entry reported is the later one in
  // table order.
  std::vector<std::uint32_t> order(count);
  for (std::uint32_t i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const auto& a = arches[x];
    const auto& b = arches[y];
    if (a.cpu_type != b.cpu_type) return a.cpu_type < b.cpu_type;
    if (a.cpu_subtype != b.cpu_subtype) return a.cpu_subtype < b.cpu_subtype;
    return x < y;
  });
  for (std::uint32_t k = 1; k < count; ++k) {
    const auto& a = arches[order[k - 1]];
    const auto& b = arches[order[k]];
    if (a.cpu_type == b.cpu_type && a.cpu_subtype == b.cpu_subtype)
      return make_error(ErrorCode::macho_fat_duplicate_arch, b.entry_offset,
                        cpu_name(b.cpu_type, b.cpu_subtype));
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (arches[x].offset != arches[y].offset) return arches[x].offset < arches[y].offset;
    return x < y;
  });
  std::uint64_t covered_end = 0;
  std::uint32_t covered_by = 0;
  for (std::uint32_t k = 0; k < count; ++k) {
    const auto& a = arches[order[k]];
    if (k > 0 && a.offset < covered_end) {
      const auto& later = order[k] > covered_by ? a : arches[covered_by];
      return make_error(ErrorCode::macho_fat_slices_overlap, later.entry_offset + 8,
                        "slices " + std::to_string(std::min(order[k], covered_by)) + " and " +
                            std::to_string(std::max(order[k], covered_by)));
    }
    if (a.offset + a.size > covered_end || k == 0) {
      covered_end = a.offset + a.size;
      covered_by = order[k];
    }
  }

  File out;
  out.kind = is_fat64 ? FileKind::fat64 : FileKind::fat;
  out.data = input;
  out.slices.reserve(count);
  for (const auto& a : arches) {
    auto slice = parse_slice(input, a.offset, a.size, options);
    if (!slice) return slice.take_error();
    Slice& s = slice.value();
    s.fat_cpu_type = a.cpu_type;
    s.fat_cpu_subtype = a.cpu_subtype;
    s.fat_align = a.align;
    // The loader picks a slice by its fat_arch; a checker that reads the mach_header must
    // see the same CPU (codesign-rules C9).
    if (options.require_fat_cpu_match &&
        (s.cpu_type != a.cpu_type ||
         (s.cpu_subtype & ~kCpuSubtypeMask) != (a.cpu_subtype & ~kCpuSubtypeMask)))
      return make_error(ErrorCode::macho_fat_cpu_mismatch, a.entry_offset,
                        "fat_arch says " + cpu_name(a.cpu_type, a.cpu_subtype) + ", header says " +
                            cpu_name(s.cpu_type, s.cpu_subtype));
    out.slices.push_back(std::move(s));
  }
  return out;
}

}  // namespace entsig::macho::detail

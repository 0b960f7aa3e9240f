// bplist00 header and trailer: every trailer field and every offset-table entry is checked
// before any object is read, in the order CoreFoundation checks them
// (__CFBinaryPlistGetTopLevelInfo, CFBinaryPList.c L731-809; plist-behaviours A2 #1-#13).
#include <algorithm>
#include <string>

#include "binary_format.h"

namespace entsig::plist::bplist {
namespace {

// Trailer layout (CFBinaryPlistTrailer): 5 unused bytes, sortVersion, offsetIntSize,
// objectRefSize, numObjects (8), topObject (8), offsetTableOffset (8), all big-endian.
constexpr std::uint64_t kOffsetSizeField = 6;
constexpr std::uint64_t kRefSizeField = 7;
constexpr std::uint64_t kCountField = 8;
constexpr std::uint64_t kTopField = 16;
constexpr std::uint64_t kTableOffsetField = 24;

// True when `value` needs more than `width` bytes (width 8 holds everything).
bool exceeds_width(std::uint64_t value, unsigned width) {
  return width < 8 && (value >> (8 * width)) != 0;
}

// Index of the first offset-table entry outside [8, end), or `count` when all are inside.
// `Width` fixes the entry size at compile time for the common sizes (0: use `width`).
template <unsigned Width>
std::uint64_t first_entry_outside(Bytes table, std::uint64_t count, std::uint64_t end,
                                  unsigned width = Width) {
  const std::uint64_t span = end - kHeaderSize;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t offset = load_be(table, static_cast<std::size_t>(i * width), width);
    if (offset - kHeaderSize >= span) return i;  // below 8 wraps round to a huge value
  }
  return count;
}

Status check_magic(const Cursor& input, const BinaryOptions& options) {
  // CF compares only "bplist0" (L735); libplist and plistlib's auto-detection need "bplist00"
  // (A2 #1), so any other version byte is a differential and strict rejects it.
  const std::size_t available = std::min<std::size_t>(input.size(), kMagic.size());
  for (std::size_t i = 0; i < available; ++i) {
    const std::uint8_t byte = *input.u8_at(i);
    if (byte == static_cast<std::uint8_t>(kMagic[i])) continue;
    if (i == kMagic.size() - 1) {
      if (options.allow_any_version_0) continue;
      return make_error(ErrorCode::bplist_header_version, i,
                        "version byte 0x" + hex_encode(Bytes(&byte, 1)));
    }
    return make_error(ErrorCode::bplist_header_bad_magic, i);
  }
  return Ok{};
}

}  // namespace

Result<Trailer> read_trailer(Bytes bytes, const BinaryOptions& options, const Limits& limits) {
  const Cursor input(bytes);
  if (auto s = check_magic(input, options); !s.ok()) return s.take_error();
  if (input.size() < kMinimumSize)
    return make_error(ErrorCode::bplist_trailer_too_short, 0,
                      std::to_string(input.size()) + " bytes, need at least " +
                          std::to_string(kMinimumSize));

  Trailer t;
  const std::uint64_t at = input.size() - kTrailerSize;
  t.trailer_offset = at;
  Cursor fields = *input.sub(at, kTrailerSize);
  const std::uint8_t offset_size = *fields.u8_at(kOffsetSizeField);
  const std::uint8_t ref_size = *fields.u8_at(kRefSizeField);
  t.object_count = *fields.uint_at(kCountField, 8, Endian::big);
  t.top_object = *fields.uint_at(kTopField, 8, Endian::big);
  t.table_offset = *fields.uint_at(kTableOffsetField, 8, Endian::big);

  // CF accepts any size >= 1 and keeps the low 8 bytes (L707-725, A2 #4); sizes above 8 only
  // make sense as zero padding, and rust-plist accepts only 1/2/4/8, so 1..8 is the safe set.
  if (offset_size < 1 || offset_size > 8)
    return make_error(ErrorCode::bplist_trailer_offset_size, at + kOffsetSizeField,
                      std::to_string(offset_size) + " bytes");
  if (ref_size < 1 || ref_size > 8)  // CF L763 rejects 0 (A2 #5)
    return make_error(ErrorCode::bplist_trailer_ref_size, at + kRefSizeField,
                      std::to_string(ref_size) + " bytes");
  t.offset_size = offset_size;
  t.ref_size = ref_size;

  if (t.object_count == 0)  // CF L750 (A2 #8, b13)
    return make_error(ErrorCode::bplist_trailer_no_objects, at + kCountField);
  if (t.object_count > limits.max_objects)
    return limit_error(ErrorCode::bplist_limit_objects, at + kCountField, "max_objects",
                       limits.max_objects);
  if (t.top_object >= t.object_count)  // CF L753 (b12)
    return make_error(ErrorCode::bplist_trailer_top_out_of_range, at + kTopField,
                      "top " + std::to_string(t.top_object) + ", count " +
                          std::to_string(t.object_count));
  // At least one object byte before the table, and the table before the trailer (CF L759, b14).
  if (t.table_offset < kHeaderSize + 1 || t.table_offset >= at)
    return make_error(ErrorCode::bplist_trailer_table_offset_out_of_range, at + kTableOffsetField,
                      "table offset " + std::to_string(t.table_offset));

  // The table must end exactly where the trailer starts (CF L776-783, A2 #9 b15).
  const auto table_size = checked_mul<std::uint64_t>(t.object_count, t.offset_size);
  if (!table_size || !range_fits(t.table_offset, *table_size, at))
    return make_error(ErrorCode::bplist_trailer_table_overrun, at + kCountField,
                      std::to_string(t.object_count) + " entries of " +
                          std::to_string(t.offset_size) + " bytes from offset " +
                          std::to_string(t.table_offset));
  const std::uint64_t table_end = t.table_offset + *table_size;
  if (table_end != at && !options.allow_trailer_gap)
    return make_error(ErrorCode::bplist_trailer_gap, table_end,
                      std::to_string(at - table_end) + " bytes");

  // Refs must be able to name every object, offsets to reach the table (CF L786-789, A2 #7).
  if (exceeds_width(t.object_count, t.ref_size))
    return make_error(ErrorCode::bplist_trailer_ref_size_too_small, at + kRefSizeField,
                      std::to_string(t.object_count) + " objects with " +
                          std::to_string(t.ref_size) + "-byte refs");
  if (exceeds_width(t.table_offset, t.offset_size))
    return make_error(ErrorCode::bplist_trailer_offset_size_too_small, at + kOffsetSizeField,
                      "table offset " + std::to_string(t.table_offset) + " with " +
                          std::to_string(t.offset_size) + "-byte offsets");

  // Every entry up front, not lazily per object (CF L800-809; A2 #12, #13: b56, b57).
  const Bytes table = *input.bytes_at(t.table_offset, *table_size);
  std::uint64_t bad = t.object_count;
  switch (t.offset_size) {
    case 1: bad = first_entry_outside<1>(table, t.object_count, t.table_offset); break;
    case 2: bad = first_entry_outside<2>(table, t.object_count, t.table_offset); break;
    case 4: bad = first_entry_outside<4>(table, t.object_count, t.table_offset); break;
    case 8: bad = first_entry_outside<8>(table, t.object_count, t.table_offset); break;
    default: bad = first_entry_outside<0>(table, t.object_count, t.table_offset, t.offset_size);
  }
  if (bad < t.object_count) {
    const std::size_t pos = static_cast<std::size_t>(bad * t.offset_size);
    return make_error(ErrorCode::bplist_offset_table_out_of_range, t.table_offset + pos,
                      "object " + std::to_string(bad) + " at offset " +
                          std::to_string(load_be(table, pos, t.offset_size)));
  }
  return t;
}

}  // namespace entsig::plist::bplist

// One bplist00 object at a time. Every length is checked against the bytes left in the object
// area before anything is copied (CFBinaryPList.c checks `extent` the same way; go-plist and
// libplist failed here: plist-behaviours A2 #25-#27, B1 CVE-2017-6436/6438/6439/6440).
#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

#include "binary_objects.h"

namespace entsig::plist::bplist {
namespace {

std::string hex_marker(std::uint8_t marker) { return "marker 0x" + hex_encode(Bytes(&marker, 1)); }

// Index of the first byte >= 0x80, or nullopt. Eight bytes at a time inside the checked span;
// the byte scan runs only on failure.
std::optional<std::size_t> first_non_ascii(Bytes text) {
  std::uint64_t all = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    all |= word;
  }
  for (; i < text.size(); ++i) all |= text[i];
  if ((all & 0x8080808080808080ull) == 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] >= 0x80) return i;
  return std::nullopt;
}

}  // namespace

bool ObjectDecoder::fail(ErrorCode code, std::uint64_t offset, std::string_view detail) {
  error_ = make_error(code, offset, detail);
  return false;
}

bool ObjectDecoder::read_int(std::uint64_t offset, std::uint8_t marker, Integer& out,
                             std::uint64_t& end) {
  // 2^n bytes; CF rejects more than 16 (`16 < cnt`, L1228; A2 #22 b37).
  const unsigned size_code = marker & 0x0F;
  if (size_code > 4) return fail(ErrorCode::bplist_integer_bad_size, offset, hex_marker(marker));
  const unsigned width = 1u << size_code;
  const auto payload = objects_.bytes_at(offset + 1, width);
  if (!payload)
    return fail(ErrorCode::bplist_object_truncated, offset,
                std::to_string(width) + "-byte integer");
  end = offset + 1 + width;
  if (width < 8) {  // 1, 2 and 4 bytes are unsigned in format 00 (CF's comment in the int case; A2 #18)
    out = Integer::from_unsigned(load_be(*payload, 0, width));
    return true;
  }
  if (width == 8) {  // signed (A2 #19)
    out = Integer::from_signed(static_cast<std::int64_t>(load_be(*payload, 0, 8)));
    return true;
  }
  // 16 bytes: CF keeps only the low 64 bits, as an unsigned value (L1236-1241). That equals the
  // 128-bit value only when the high half is zero; otherwise readers disagree (all-ones is
  // UINT64_MAX for CF, -1 for plistlib and go-plist; A2 #20/#21), so strict rejects it.
  const std::uint64_t high = load_be(*payload, 0, 8);
  const std::uint64_t low = load_be(*payload, 8, 8);
  if (high != 0 && !options_.allow_wide_int_truncation)
    return fail(ErrorCode::bplist_integer_too_wide, offset,
                "high 64 bits 0x" + hex_encode(payload->first(8)));
  out = Integer::from_unsigned(low);
  return true;
}

bool ObjectDecoder::read_count(std::uint64_t offset, std::uint8_t marker, std::uint64_t unit,
                               std::uint64_t& count, std::uint64_t& payload) {
  std::uint64_t n = marker & 0x0F;
  // Fast path: a count in the nibble, and room for it.
  if (n != kLongCount && n * unit <= objects_.size() - (offset + 1)) {
    count = n;
    payload = offset + 1;
    return true;
  }
  std::uint64_t field = offset;  // where the count lives: the marker, or the int after it
  payload = offset + 1;
  if (n == kLongCount) {
    field = offset + 1;
    const auto int_marker = objects_.u8_at(field);
    if (!int_marker) return fail(ErrorCode::bplist_object_truncated, offset, "missing length");
    // CF's _readInt checks the marker (L824); plistlib and go-plist read any byte (A2 #27 b45).
    if ((*int_marker & 0xF0) != kInt)
      return fail(ErrorCode::bplist_length_not_integer, field, hex_marker(*int_marker));
    Integer length;
    if (!read_int(field, *int_marker, length, payload)) return false;
    // A negative 8-byte length is above LONG_MAX for CF too (`LONG_MAX < bigint`, A2 #26).
    if (length.negative)
      return fail(ErrorCode::bplist_length_out_of_range, field, "negative length");
    n = length.bits;
  }
  // Before any allocation: n units must fit in what is left (n * unit cannot overflow here).
  const std::uint64_t remaining = objects_.size() - payload;
  if (n > remaining / unit)
    return fail(ErrorCode::bplist_length_out_of_range, field,
                "length " + std::to_string(n) + " x " + std::to_string(unit) + " bytes, " +
                    std::to_string(remaining) + " bytes left before the offset table");
  count = n;
  return true;
}

bool ObjectDecoder::decode_real(std::uint64_t offset, std::uint8_t marker, Value& out) {
  // Only 4 and 8 bytes (CF's real case; A2 #34/#35).
  const unsigned size_code = marker & 0x0F;
  if (size_code != 2 && size_code != 3)
    return fail(ErrorCode::bplist_real_bad_size, offset, hex_marker(marker));
  const unsigned width = 1u << size_code;
  const auto payload = objects_.bytes_at(offset + 1, width);
  if (!payload) return fail(ErrorCode::bplist_object_truncated, offset, "real");
  const std::uint64_t bits = load_be(*payload, 0, width);
  if (width == 4)
    out = Value::real(static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits))));
  else
    out = Value::real(std::bit_cast<double>(bits));
  return true;
}

bool ObjectDecoder::decode_date(std::uint64_t offset, std::uint8_t marker, Value& out) {
  // Exactly 0x33; go-plist ignores the nibble and reads 8 bytes (CF L1312; A2 #36 b61).
  if (marker != kDateMarker) return fail(ErrorCode::bplist_date_bad_marker, offset, hex_marker(marker));
  const auto payload = objects_.bytes_at(offset + 1, 8);
  if (!payload) return fail(ErrorCode::bplist_object_truncated, offset, "date");
  out = Value::date(std::bit_cast<double>(load_be(*payload, 0, 8)));
  return true;
}

bool ObjectDecoder::decode_data(std::uint64_t offset, std::uint8_t marker, Value& out) {
  std::uint64_t count = 0, payload = 0;
  if (!read_count(offset, marker, 1, count, payload)) return false;
  ::new (static_cast<void*>(&out)) Value(doc_.data(checked_bytes(payload, count)));
  return true;
}

bool ObjectDecoder::decode_ascii(std::uint64_t offset, std::uint8_t marker, Value& out) {
  std::uint64_t count = 0, payload = 0;
  if (!read_count(offset, marker, 1, count, payload)) return false;
  const Bytes text = checked_bytes(payload, count);
  // CF decodes as ASCII (L1390, result for high bytes unverified); libplist and go-plist keep
  // the raw bytes, plistlib rejects (A2 #31 b53). NUL is kept, as CF does (libplist truncates
  // at it, A2 #32 b54), so such strings cannot round-trip through XML.
  if (auto bad = first_non_ascii(text))
    return fail(ErrorCode::bplist_string_non_ascii, payload + *bad, hex_marker(text[*bad]));
  // Built in place (guaranteed elision): copying the returned temporary reads it back in wider
  // loads than the builder's stores and stalls on store forwarding, once per string.
  ::new (static_cast<void*>(&out))
      Value(doc_.string({reinterpret_cast<const char*>(text.data()), text.size()}));
  return true;
}

bool ObjectDecoder::decode_utf16(std::uint64_t offset, std::uint8_t marker, Value& out) {
  std::uint64_t count = 0, payload = 0;
  if (!read_count(offset, marker, 2, count, payload)) return false;
  text_.clear();
  if (auto bad = append_utf8_from_utf16be(checked_bytes(payload, 2 * count), text_))
    return fail(ErrorCode::bplist_string_invalid_utf16, payload + 2 * *bad, "lone surrogate");
  ::new (static_cast<void*>(&out)) Value(doc_.string(text_));
  return true;
}

bool ObjectDecoder::decode_uid(std::uint64_t offset, std::uint8_t marker, Value& out) {
  // nnnn + 1 bytes; CF keeps the low 64 bits and requires a 32-bit value (L1464; A2 #28).
  const unsigned width = (marker & 0x0F) + 1u;
  const auto payload = objects_.bytes_at(offset + 1, width);
  if (!payload) return fail(ErrorCode::bplist_object_truncated, offset, "uid");
  std::uint64_t value = 0;
  if (width <= 8) {
    value = load_be(*payload, 0, width);
  } else {
    const Bytes high = payload->first(width - 8);
    const bool high_zero = std::all_of(high.begin(), high.end(), [](std::uint8_t b) { return b == 0; });
    if (!high_zero && !options_.allow_wide_int_truncation)
      return fail(ErrorCode::bplist_uid_too_large, offset, "non-zero bytes above the low 64 bits");
    value = load_be(*payload, width - 8, 8);
  }
  if (value > 0xFFFFFFFFu)
    return fail(ErrorCode::bplist_uid_too_large, offset, "value " + std::to_string(value));
  out = Value::uid(value);
  return true;
}

bool ObjectDecoder::decode_scalar(std::uint64_t offset, std::uint8_t marker, Value& out) {
  switch (marker & 0xF0) {
    case kSimple:
      if (marker == kTrue || marker == kFalse) {
        out = Value::boolean(marker == kTrue);
        return true;
      }
      // CF returns kCFNull (L1202), which no plist type (or XML) can hold (A2 #30 b51);
      // fill 0x0F and the v1 markers (url 0C/0D, uuid 0E) are unknown to format 00.
      if (marker == kNull) return fail(ErrorCode::bplist_object_null, offset);
      return fail(ErrorCode::bplist_object_unknown_marker, offset, hex_marker(marker));
    case kInt: {
      Integer v;
      std::uint64_t end = 0;
      if (!read_int(offset, marker, v, end)) return false;
      out = Value::integer(v);
      return true;
    }
    case kReal: return decode_real(offset, marker, out);
    case kDate: return decode_date(offset, marker, out);
    case kData: return decode_data(offset, marker, out);
    case kAscii: return decode_ascii(offset, marker, out);
    case kUtf16: return decode_utf16(offset, marker, out);
    case kUid: return decode_uid(offset, marker, out);
    default:
      // 0x7n (UTF-8, v1 only), 0x9n, 0xBn (ordset, v1), 0xEn, 0xFn: unused in format 00 (A2 #37).
      return fail(ErrorCode::bplist_object_unknown_marker, offset, hex_marker(marker));
  }
}

}  // namespace entsig::plist::bplist

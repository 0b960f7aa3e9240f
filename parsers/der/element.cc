// DER element headers and INTEGER contents, strictly per X.690 section 10 (DER).
#include "element.h"

namespace entsig::der {

Result<Element> read_element(Cursor& in) {
  Element e;
  e.offset = in.offset();
  auto tag_byte = in.u8();
  if (!tag_byte) return make_error(ErrorCode::der_header_truncated, e.offset, "no tag byte");
  e.tag = *tag_byte;
  // High-tag-number form (X.690 8.1.2.4): no tag in DER entitlements uses it.
  if ((e.tag & 0x1F) == 0x1F)
    return make_error(ErrorCode::der_value_unexpected_tag, e.offset, "high-tag-number form");

  const std::uint64_t length_offset = in.offset();
  auto first = in.u8();
  if (!first) return make_error(ErrorCode::der_header_truncated, length_offset, "no length byte");
  std::uint64_t length = *first;
  if (*first == 0x80) return make_error(ErrorCode::der_length_indefinite, length_offset);
  if (*first > 0x80) {
    const unsigned count = *first & 0x7Fu;
    auto length_bytes = in.bytes(count);
    if (!length_bytes)
      return make_error(ErrorCode::der_header_truncated, length_offset,
                        "long-form length bytes missing");
    // X.690 10.1: the fewest length octets; so no leading zero octet and no long form < 128.
    if ((*length_bytes)[0] == 0)
      return make_error(ErrorCode::der_length_non_minimal, length_offset, "leading zero length byte");
    // Nine or more significant octets is at least 2^64: it cannot fit in any input.
    if (count > 8)
      return make_error(ErrorCode::der_length_out_of_range, length_offset,
                        std::to_string(count) + " length bytes");
    length = load_uint(length_bytes->data(), count, Endian::big);
    if (length < 0x80)
      return make_error(ErrorCode::der_length_non_minimal, length_offset,
                        "long form used for length " + std::to_string(length));
  }
  if (!in.can_read(length))
    return make_error(ErrorCode::der_length_out_of_range, length_offset,
                      "length " + std::to_string(length) + ", " + std::to_string(in.remaining()) +
                          " bytes left");
  auto content = in.sub(in.position(), length);
  if (!content || !in.skip(length)) return make_error(ErrorCode::core_internal, length_offset);
  e.content = *content;
  return e;
}

Result<std::int64_t> decode_integer(const Cursor& content, bool ldid_unsigned) {
  const Bytes c = content.data();
  const std::uint64_t at = content.offset();
  if (c.empty()) return make_error(ErrorCode::der_integer_empty, at);
  if (c.size() > 1) {
    // X.690 8.3.2: the first nine bits must not be all zeros or all ones.
    const bool redundant_zero = c[0] == 0x00 && c[1] < 0x80;
    const bool redundant_ones = c[0] == 0xFF && c[1] >= 0x80;
    if (redundant_zero || (redundant_ones && !ldid_unsigned))
      return make_error(ErrorCode::der_integer_non_minimal, at);
  }
  if (c.size() > 8)
    return make_error(ErrorCode::der_integer_too_large, at,
                      std::to_string(c.size()) + " content bytes");
  const std::uint64_t raw = load_uint(c.data(), c.size(), Endian::big);
  if (ldid_unsigned || c.size() == 8 || c[0] < 0x80) return static_cast<std::int64_t>(raw);
  // Negative and shorter than 8 bytes: sign-extend.
  const std::uint64_t sign_fill = ~std::uint64_t{0} << (8 * c.size());
  return static_cast<std::int64_t>(raw | sign_fill);
}

}  // namespace entsig::der

// A bounded BER reader for the CMS walk (X.690): one element at a time through a Cursor, with
// absolute offsets for errors. Apple's codesign writes CMS in BER with indefinite lengths,
// so this is not the DER reader of parsers/der. The end of an indefinite-length element is
// found iteratively with a depth counter, never by recursion.
#pragma once

#include <cstdint>
#include <string>

#include "entsig/core.h"

namespace entsig::codesign::ber {

// Identifier octets used by CMS (low-tag-number form only).
namespace tag {
inline constexpr std::uint8_t integer = 0x02;
inline constexpr std::uint8_t octet_string = 0x04;
inline constexpr std::uint8_t null = 0x05;
inline constexpr std::uint8_t oid = 0x06;
inline constexpr std::uint8_t utc_time = 0x17;
inline constexpr std::uint8_t generalized_time = 0x18;
inline constexpr std::uint8_t sequence = 0x30;
inline constexpr std::uint8_t set = 0x31;
inline constexpr std::uint8_t context_0 = 0xA0;  // [0] constructed
inline constexpr std::uint8_t context_1 = 0xA1;  // [1] constructed
inline constexpr std::uint8_t context_0_primitive = 0x80;
}  // namespace tag

struct Element {
  std::uint8_t tag = 0;
  std::uint64_t offset = 0;       // absolute offset of the tag byte
  std::uint64_t size = 0;         // whole encoding: header, contents and any end-of-contents
  bool indefinite = false;
  Cursor content;                 // the contents (without the end-of-contents marker)
  Bytes encoded;                  // the whole encoding, for OpenSSL's d2i_* functions
  bool constructed() const { return (tag & 0x20) != 0; }
};

// Reads the element at the cursor and moves past it. `max_depth` bounds the nesting of
// indefinite-length elements inside it (limit error cms.ber.depth_limit).
Result<Element> read(Cursor& in, std::uint32_t max_depth);

// Reads the next element and requires `expected` as its tag; otherwise `code` at the element
// (or at the end of `in` when nothing is left), with `what` in the message.
Result<Element> expect(Cursor& in, std::uint8_t expected, ErrorCode code, std::string_view what,
                       std::uint32_t max_depth);

// The next element's tag, without reading it; 0 at the end.
std::uint8_t peek_tag(const Cursor& in);

// OBJECT IDENTIFIER contents as dotted text (X.690 8.19); cms.oid.malformed otherwise.
Result<std::string> decode_oid(const Element& oid);

// A small non-negative INTEGER (versions); `code` when it is not one.
Result<std::uint32_t> decode_small_integer(const Element& integer, ErrorCode code, std::string_view what);

}  // namespace entsig::codesign::ber

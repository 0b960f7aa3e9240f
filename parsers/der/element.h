// One DER element (tag, length, content) read through a Cursor; shared by the reader.
#pragma once

#include <cstdint>

#include "entsig/core.h"

namespace entsig::der {

// The tags DER entitlements use (X.690 identifier octets).
namespace tag {
inline constexpr std::uint8_t boolean = 0x01;
inline constexpr std::uint8_t integer = 0x02;
inline constexpr std::uint8_t octet_string = 0x04;
inline constexpr std::uint8_t utf8_string = 0x0C;
inline constexpr std::uint8_t sequence = 0x30;         // constructed SEQUENCE: arrays, entries
inline constexpr std::uint8_t set = 0x31;              // constructed SET: legacy dictionaries
inline constexpr std::uint8_t application_16 = 0x70;   // constructed [APPLICATION 16]: the wrapper
inline constexpr std::uint8_t context_16 = 0xB0;       // constructed [CONTEXT 16]: dictionaries
}  // namespace tag

struct Element {
  std::uint8_t tag = 0;
  std::uint64_t offset = 0;  // absolute offset of the tag byte
  Cursor content;            // the content bytes, with absolute offsets
};

// Reads the element at the cursor and moves past it. Only definite, minimal lengths are
// accepted (X.690 10.1), and the length is checked against the bytes left in `in` (the
// enclosing element) before any use.
Result<Element> read_element(Cursor& in);

// Decodes INTEGER content as minimal two's complement into 64 bits (X.690 8.3.2).
// `ldid_unsigned`: ldid writes the minimal unsigned bytes of the uint64 it holds, so
// contents under 8 bytes are read as unsigned, and 8 bytes as the raw 64-bit pattern
// (a negative number stored by libplist), where a leading FF is not "non-minimal".
Result<std::int64_t> decode_integer(const Cursor& content, bool ldid_unsigned);

}  // namespace entsig::der

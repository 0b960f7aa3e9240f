#include <catch2/catch.hpp>

#include "entsig/core.h"

using namespace entsig;

TEST_CASE("core: error table, ids and kinds", "[core]") {
  CHECK(error_id(ErrorCode::core_empty_input) == "core.empty_input");
  CHECK(error_kind(ErrorCode::core_input_too_large) == ErrorKind::limit);
  CHECK(error_kind(ErrorCode::core_internal) == ErrorKind::internal);
  CHECK(error_code_from_id("core.unknown_format") == ErrorCode::core_unknown_format);
  CHECK_FALSE(error_code_from_id("no.such.id").has_value());
  CHECK(error_id(static_cast<ErrorCode>(65000)) == "core.unknown_error_code");
  // Area ranges are fixed: core codes start at 100.
  CHECK(static_cast<int>(ErrorCode::core_unknown_error_code) == 100);
  for (const auto& info : all_error_infos()) {
    CHECK(error_code_from_id(info.id) == info.code);
  }
}

TEST_CASE("core: error message and describe", "[core]") {
  Error e = make_error(ErrorCode::core_empty_input, 7, "nothing here");
  CHECK(e.message == "input is empty: nothing here");
  CHECK(e.describe() == "core.empty_input at offset 7: input is empty: nothing here");
  Error l = limit_error(ErrorCode::core_input_too_large, 0, "max_input_bytes", 10);
  CHECK(l.kind() == ErrorKind::limit);
  CHECK(l.message.find("Limits::max_input_bytes") != std::string::npos);
  CHECK(l.message.find("limit is 10") != std::string::npos);
}

TEST_CASE("core: checked arithmetic", "[core]") {
  CHECK(checked_add<std::uint32_t>(0xFFFFFFF0u, 0x10u) == std::nullopt);
  CHECK(checked_add<std::uint32_t>(0xFFFFFFF0u, 0x0Fu) == 0xFFFFFFFFu);
  CHECK(checked_mul<std::uint64_t>(1ull << 32, 1ull << 32) == std::nullopt);
  CHECK(checked_mul<std::uint64_t>(1ull << 31, 1ull << 32) == (1ull << 63));
  CHECK(range_fits(0, 10, 10));
  CHECK_FALSE(range_fits(1, 10, 10));
  CHECK_FALSE(range_fits(~0ull, 2, 10));
  CHECK_FALSE(range_fits(2, ~0ull, 10));
}

TEST_CASE("core: cursor reads in both byte orders and stops at the end", "[core]") {
  const std::uint8_t raw[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  Cursor c(Bytes(raw, sizeof raw), 100);
  CHECK(c.u16be() == 0x0102);
  CHECK(c.u16le() == 0x0403);
  CHECK(c.offset() == 104);
  CHECK(c.uint(3, Endian::big) == 0x050607u);
  CHECK(c.u32be() == std::nullopt);  // only 2 bytes left: fails and does not move
  CHECK(c.position() == 7);
  CHECK(c.u16be() == 0x0809);
  CHECK(c.at_end());
  CHECK(c.u8() == std::nullopt);
  CHECK_FALSE(c.skip(1));
  CHECK(c.uint(0, Endian::big) == std::nullopt);
  CHECK(c.uint(9, Endian::big) == std::nullopt);
}

TEST_CASE("core: cursor sub-views keep absolute offsets", "[core]") {
  const std::uint8_t raw[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  Cursor c(Bytes(raw, sizeof raw), 1000);
  auto sub = c.sub(4, 8);
  REQUIRE(sub);
  CHECK(sub->base() == 1004);
  CHECK(sub->u8() == 4);
  CHECK(sub->offset() == 1005);
  CHECK(sub->u32_at(4, Endian::big) == 0x08090a0bu);
  CHECK(sub->u32_at(5, Endian::big) == std::nullopt);
  CHECK_FALSE(c.sub(12, 5));
  CHECK_FALSE(c.sub(~0ull, 2));
  CHECK(c.sub(16, 0));
  CHECK(c.bytes_at(15, 1)->size() == 1);
  CHECK_FALSE(c.bytes_at(16, 1));
  CHECK_FALSE(c.seek(17));
  CHECK(c.seek(16));
}

TEST_CASE("core: strict UTF-8 validation", "[core]") {
  CHECK_FALSE(find_invalid_utf8(as_bytes("plain ascii")));
  CHECK_FALSE(find_invalid_utf8(as_bytes("caf\xC3\xA9 \xF0\x9F\x98\x80")));
  CHECK(find_invalid_utf8(as_bytes("ab\xC0\xAF")) == 2u);       // overlong
  CHECK(find_invalid_utf8(as_bytes("\xED\xA0\x80")) == 0u);     // surrogate
  CHECK(find_invalid_utf8(as_bytes("x\xF4\x90\x80\x80")) == 1u); // > U+10FFFF
  CHECK(find_invalid_utf8(as_bytes("x\xE2\x82")) == 1u);        // truncated
  CHECK(find_invalid_utf8(as_bytes("\x80")) == 0u);             // lone continuation
  std::string s;
  append_utf8(s, 0x1F600);
  append_utf8(s, 0xE9);
  CHECK(s == "\xF0\x9F\x98\x80\xC3\xA9");
}

TEST_CASE("core: base64 strict round trip", "[core]") {
  CHECK(base64_encode(as_bytes("Hello")) == "SGVsbG8=");
  CHECK(base64_encode(as_bytes("")) == "");
  CHECK(base64_encode(as_bytes("Hel")) == "SGVs");
  CHECK(base64_decode_strict("SGVsbG8=") == "Hello");
  CHECK(base64_decode_strict("SGVsbA==") == "Hell");
  CHECK(base64_decode_strict("") == "");
  CHECK(base64_decode_strict("SGVsbG8") == std::nullopt);   // missing padding
  CHECK(base64_decode_strict("SGV*bG8=") == std::nullopt);  // invalid character
  CHECK(base64_decode_strict("SG=sbG8=") == std::nullopt);  // padding in the middle
  CHECK(base64_decode_strict("QR==") == std::nullopt);      // non-zero padding bits
  CHECK(hex_encode(as_bytes("\x01\xab")) == "01ab");
}

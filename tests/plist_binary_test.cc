// Binary plist reader and writer: every rule with its exact error id and offset, the binary
// cases of plist-behaviours Appendix A, limits at limit-1/limit/limit+1, writer layout and
// round trips, and the real-world bplist00 samples.
#include <catch2/catch.hpp>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "bplist_builder.h"
#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;
using namespace bplist_test;

namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\0')
      out += "\\0";
    else
      out += c;
  }
  return out;
}

// Compact text of a value, for table expectations (tests only handle shallow values).
std::string show(const Value& v) {
  switch (v.type()) {
    case Type::boolean: return v.as_bool() ? "true" : "false";
    case Type::integer: return v.as_integer().to_string();
    case Type::real: {
      const double d = v.as_real();
      if (std::isnan(d)) return "real(nan)";
      std::string s = std::to_string(d);
      return "real(" + s.substr(0, s.find_last_not_of('0') + 1) + ")";
    }
    case Type::date: return "date(" + std::to_string(static_cast<long long>(v.as_date())) + ")";
    case Type::data: return "data(" + hex_encode(v.as_data()) + ")";
    case Type::string: return "\"" + escape(v.as_string()) + "\"";
    case Type::uid: return "uid(" + std::to_string(v.as_uid()) + ")";
    case Type::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + show(v.as_array()[i]);
      return out + "]";
    }
    case Type::dict: {
      std::string out = "{";
      for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? "," : "") + std::string(v.as_dict()[i].key) + ":" + show(v.as_dict()[i].value);
      return out + "}";
    }
  }
  return "?";
}

Result<Document> read(const std::string& bytes, const BinaryOptions& o = {}, const Limits& l = {}) {
  return read_binary(as_bytes(bytes), o, l);
}

// "ok:<value>" or "<error id>@<offset>".
std::string outcome(const std::string& bytes, const BinaryOptions& o = {}, const Limits& l = {}) {
  auto r = read(bytes, o, l);
  if (r) return "ok:" + show(r->root());
  return std::string(r.error().id()) + "@" + std::to_string(r.error().offset);
}

std::string err(std::string_view id, std::uint64_t offset) {
  return std::string(id) + "@" + std::to_string(offset);
}

// One object as the whole plist (top object 0).
std::string single(std::string object) {
  Builder b;
  b.add(std::move(object));
  return b.build();
}

const std::uint64_t kHeader = 8;

// Bytes of a literal, embedded NULs included.
template <std::size_t N>
std::string bin(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

}  // namespace

// ---------------------------------------------------------------------------
// plist-behaviours Appendix A binary cases, strict and cf_compat.

TEST_CASE("plist binary: reference cases b01-b77, strict and cf_compat", "[plist][bplist]") {
  struct Case {
    const char* name;
    const char* hex;
    std::string strict;
    std::string cf;
  };
  const std::string ok_a = "ok:[\"a\"]";
  const Case cases[] = {
      {"b01_valid_true", "62706c697374303009080000000000000101000000000000000100000000000000000000000000000009", "ok:true", "ok:true"},
      {"b02_version_01", "62706c697374303109080000000000000101000000000000000100000000000000000000000000000009", err("bplist.header.version", 7), "ok:true"},
      {"b03_version_0q", "62706c697374303f09080000000000000101000000000000000100000000000000000000000000000009", err("bplist.header.version", 7), "ok:true"},
      {"b04_version_15", "62706c697374313509080000000000000101000000000000000100000000000000000000000000000009", err("bplist.header.bad_magic", 6), err("bplist.header.bad_magic", 6)},
      {"b05_offsize_0", "62706c697374303009080000000000000001000000000000000100000000000000000000000000000009", err("bplist.trailer.offset_size", 16), err("bplist.trailer.offset_size", 16)},
      {"b06_offsize_3", "62706c6973743030a101516100000800000a000000000000030100000000000000020000000000000000000000000000000c", ok_a, ok_a},
      {"b07_offsize_5", "62706c6973743030a10151610000000008000000000a000000000000050100000000000000020000000000000000000000000000000c", ok_a, ok_a},
      {"b08_offsize_16", "62706c6973743030a1015161000000000000000000000000000000080000000000000000000000000000000a000000000000100100000000000000020000000000000000000000000000000c", err("bplist.trailer.offset_size", 76 - 32 + 6), err("bplist.trailer.offset_size", 76 - 32 + 6)},
      {"b09_refsize_0", "62706c697374303009080000000000000100000000000000000100000000000000000000000000000009", err("bplist.trailer.ref_size", 17), err("bplist.trailer.ref_size", 17)},
      {"b10_refsize_3", "62706c6973743030a10000015161080c000000000000010300000000000000020000000000000000000000000000000e", ok_a, ok_a},
      {"b11_refsize_8", "62706c6973743030a10000000000000001516108110000000000000108000000000000000200000000000000000000000000000013", ok_a, ok_a},
      {"b12_top_out_of_range", "62706c697374303009080000000000000101000000000000000100000000000000010000000000000009", err("bplist.trailer.top_out_of_range", 26), err("bplist.trailer.top_out_of_range", 26)},
      {"b13_numobj_0", "62706c697374303009080000000000000101000000000000000000000000000000000000000000000009", err("bplist.trailer.no_objects", 18), err("bplist.trailer.no_objects", 18)},
      {"b14_tableoff_beyond", "62706c697374303009080000000000000101000000000000000100000000000000000000000000001000", err("bplist.trailer.table_offset_out_of_range", 34), err("bplist.trailer.table_offset_out_of_range", 34)},
      {"b15_gap_before_trailer", "62706c69737430300908000000000000000000000101000000000000000100000000000000000000000000000009", err("bplist.trailer.gap", 10), err("bplist.trailer.gap", 10)},
      {"b16_trailing_after_trailer", "62706c6973743030090800000000000001010000000000000001000000000000000000000000000000094a554e4b", err("bplist.trailer.offset_size", 20), err("bplist.trailer.offset_size", 20)},
      {"b17_unused_trailer_nonzero", "62706c697374303009080102030405070101000000000000000100000000000000000000000000000009", "ok:true", "ok:true"},
      {"b18_array_self_ref", "62706c6973743030a10008000000000000010100000000000000010000000000000000000000000000000a", err("bplist.object.cycle", 9), err("bplist.object.cycle", 9)},
      {"b19_indirect_cycle", "62706c6973743030a101a100080a000000000000010100000000000000020000000000000000000000000000000c", err("bplist.object.cycle", 11), err("bplist.object.cycle", 11)},
      {"b21_dict_self_value", "62706c6973743030d101005161080b000000000000010100000000000000020000000000000000000000000000000d", err("bplist.object.cycle", 10), err("bplist.object.cycle", 10)},
      {"b30_int1", "62706c697374303010ff08000000000000010100000000000000010000000000000000000000000000000a", "ok:255", "ok:255"},
      {"b31_int2", "62706c697374303011ffff08000000000000010100000000000000010000000000000000000000000000000b", "ok:65535", "ok:65535"},
      {"b32_int4", "62706c697374303012ffffffff08000000000000010100000000000000010000000000000000000000000000000d", "ok:4294967295", "ok:4294967295"},
      {"b33_int8_neg", "62706c697374303013ffffffffffffffff080000000000000101000000000000000100000000000000000000000000000011", "ok:-1", "ok:-1"},
      {"b34_int16_pos", "62706c69737430301400000000000000000100000000000000080000000000000101000000000000000100000000000000000000000000000019", "ok:72057594037927936", "ok:72057594037927936"},
      {"b35_int16_neg", "62706c697374303014ffffffffffffffffffffffffffffffff080000000000000101000000000000000100000000000000000000000000000019", err("bplist.integer.too_wide", 8), "ok:18446744073709551615"},
      {"b36_int16_hi_nonzero", "62706c69737430301400000000000000010000000000000005080000000000000101000000000000000100000000000000000000000000000019", err("bplist.integer.too_wide", 8), "ok:5"},
      {"b37_int32bytes", "62706c6973743030150000000000000000000000000000000000000000000000000000000000000007080000000000000101000000000000000100000000000000000000000000000029", err("bplist.integer.bad_size", 8), err("bplist.integer.bad_size", 8)},
      {"b38_int8_2p63", "62706c6973743030138000000000000000080000000000000101000000000000000100000000000000000000000000000011", "ok:-9223372036854775808", "ok:-9223372036854775808"},
      {"b40_dict_dup_keys", "62706c6973743030d201010203516110011002080d0f110000000000000101000000000000000400000000000000000000000000000013", err("bplist.dict.duplicate_key", 10), "ok:{a:2}"},
      {"b41_dict_int_key", "62706c6973743030d1010210055161080b0d000000000000010100000000000000030000000000000000000000000000000f", err("bplist.dict.key_not_string", 9), "ok:{}"},
      {"b42_dict_dict_key", "62706c6973743030d102015161d0080b0d000000000000010100000000000000030000000000000000000000000000000e", err("bplist.dict.key_not_string", 9), err("bplist.dict.key_not_string", 9)},
      {"b43_string_len_beyond", "62706c69737430305f104061626308000000000000010100000000000000010000000000000000000000000000000e", err("bplist.length.out_of_range", 9), err("bplist.length.out_of_range", 9)},
      {"b44_string_len_huge", "62706c69737430305f13ffffffffffffffff616263080000000000000101000000000000000100000000000000000000000000000015", err("bplist.length.out_of_range", 9), err("bplist.length.out_of_range", 9)},
      {"b45_len_nonint_marker", "62706c69737430305f2200000003616263080000000000000101000000000000000100000000000000000000000000000011", err("bplist.length.not_integer", 9), err("bplist.length.not_integer", 9)},
      {"b46_array_count_beyond", "62706c6973743030af10400008000000000000010100000000000000010000000000000000000000000000000c", err("bplist.length.out_of_range", 9), err("bplist.length.out_of_range", 9)},
      {"b47_uid_1", "62706c6973743030800508000000000000010100000000000000010000000000000000000000000000000a", "ok:uid(5)", "ok:uid(5)"},
      {"b48_uid_5bytes_big", "62706c697374303084010000000008000000000000010100000000000000010000000000000000000000000000000e", err("bplist.uid.too_large", 8), err("bplist.uid.too_large", 8)},
      {"b49_uid_16", "62706c69737430308f00000000000000000000000000000003080000000000000101000000000000000100000000000000000000000000000019", "ok:uid(3)", "ok:uid(3)"},
      {"b50_set", "62706c6973743030c1015161080a000000000000010100000000000000020000000000000000000000000000000c", err("bplist.object.set", 8), ok_a},
      {"b51_null_root", "62706c697374303000080000000000000101000000000000000100000000000000000000000000000009", err("bplist.object.null", 8), err("bplist.object.null", 8)},
      {"b52_fill_root", "62706c69737430300f080000000000000101000000000000000100000000000000000000000000000009", err("bplist.object.unknown_marker", 8), err("bplist.object.unknown_marker", 8)},
      {"b53_ascii_highbit", "62706c697374303052618008000000000000010100000000000000010000000000000000000000000000000b", err("bplist.string.non_ascii", 10), err("bplist.string.non_ascii", 10)},
      {"b54_ascii_nul", "62706c69737430305361006208000000000000010100000000000000010000000000000000000000000000000c", "ok:\"a\\0b\"", "ok:\"a\\0b\""},
      {"b55_utf16_lone_surrogate", "62706c697374303061d80008000000000000010100000000000000010000000000000000000000000000000b", err("bplist.string.invalid_utf16", 9), err("bplist.string.invalid_utf16", 9)},
      {"b56_offset_into_header", "62706c697374303009020000000000000101000000000000000100000000000000000000000000000009", err("bplist.offset_table.out_of_range", 9), err("bplist.offset_table.out_of_range", 9)},
      {"b57_offset_eq_table", "62706c697374303009090000000000000101000000000000000100000000000000000000000000000009", err("bplist.offset_table.out_of_range", 9), err("bplist.offset_table.out_of_range", 9)},
      {"b58_overlapping_objects", "62706c6973743030a20102525161080b0c000000000000010100000000000000030000000000000000000000000000000e", "ok:[\"Qa\",\"a\"]", "ok:[\"Qa\",\"a\"]"},
      {"b59_real4", "62706c6973743030223fc0000008000000000000010100000000000000010000000000000000000000000000000d", "ok:real(1.5)", "ok:real(1.5)"},
      {"b60_real16", "62706c69737430302400000000000000000000000000000000080000000000000101000000000000000100000000000000000000000000000019", err("bplist.real.bad_size", 8), err("bplist.real.bad_size", 8)},
      {"b61_date_0x32", "62706c6973743030320000000008000000000000010100000000000000010000000000000000000000000000000d", err("bplist.date.bad_marker", 8), err("bplist.date.bad_marker", 8)},
      {"b62_date_ok", "62706c6973743030330000000000000000080000000000000101000000000000000100000000000000000000000000000011", "ok:date(0)", "ok:date(0)"},
      {"b63_real_nan", "62706c6973743030237ff8000000000000080000000000000101000000000000000100000000000000000000000000000011", "ok:real(nan)", "ok:real(nan)"},
      {"b64_bool_0x0a", "62706c69737430300a080000000000000101000000000000000100000000000000000000000000000009", err("bplist.object.unknown_marker", 8), err("bplist.object.unknown_marker", 8)},
      {"b65_empty_dict", "62706c6973743030d0080000000000000101000000000000000100000000000000000000000000000009", "ok:{}", "ok:{}"},
      {"b66_dict_odd_valref_oob", "62706c6973743030d1000508000000000000010100000000000000010000000000000000000000000000000b", err("bplist.dict.key_not_string", 9), err("bplist.dict.key_not_string", 9)},
      {"b67_unused_0x70", "62706c697374303070080000000000000101000000000000000100000000000000000000000000000009", err("bplist.object.unknown_marker", 8), err("bplist.object.unknown_marker", 8)},
      {"b76_data_len_wrap", "62706c69737430304f13ffffffffffffffff616263080000000000000101000000000000000100000000000000000000000000000015", err("bplist.length.out_of_range", 9), err("bplist.length.out_of_range", 9)},
      {"b77_array_len_wrap", "62706c6973743030af13ffffffffffffffff00080000000000000101000000000000000100000000000000000000000000000013", err("bplist.length.out_of_range", 9), err("bplist.length.out_of_range", 9)},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string bytes = hex(c.hex);
    CHECK(outcome(bytes) == c.strict);
    CHECK(outcome(bytes, BinaryOptions::cf_compat()) == c.cf);
  }
}

TEST_CASE("plist binary: libplist regression inputs (plist-behaviours B2)", "[plist][bplist]") {
  // fuzz/bplist-crashes/crash-4c54...: numObjects 0xF400000000000008.
  const std::string crash = hex(
      "62706c6973743030d2010402056f14657374a2030310015366ff7f0000000006a103d10104080d1200171b20"
      "220000000000000101f40000000000000800000000000000000000000000000025");
  CHECK(outcome(crash) == err("bplist.limit.objects", 77 - 32 + 8));
  Limits unlimited;
  unlimited.max_objects = ~std::uint64_t{0};
  CHECK(outcome(crash, {}, unlimited) == err("bplist.trailer.table_overrun", 77 - 32 + 8));
  // test/data/recursion.bplist as stored: 5 two-byte entries do not fit in the 4 table bytes.
  const std::string recursion = hex(
      "62706c6973743030d10201d30404040000005141100151420008000b0012001400160201000000000000000500"
      "000000000000010000000000000018");
  CHECK(outcome(recursion) == err("bplist.trailer.table_overrun", 60 - 32 + 8));
  // test/data/malformed_dict.bplist: the root's first key is a dict (object 7).
  const std::string malformed = hex(
      "62706c6973743030d2070402055474657374a20303100153666f6fa406060606a103d10201080d1215171b2022"
      "0000000000000101000000000000000800000000000000000000000000000025");
  CHECK(outcome(malformed) == err("bplist.dict.key_not_string", 9));
  CHECK(outcome(malformed, BinaryOptions::cf_compat()) == err("bplist.dict.key_not_string", 9));
  // test/data/off3bytes.bplist: 3-byte offsets.
  CHECK(outcome(hex("62706c6973743030d101025141514200000800000b00000d00000000000003010000000000000003"
                    "0000000000000000000000000000000f")) == "ok:{A:\"B\"}");
}

TEST_CASE("plist binary: b15 gap accepted with allow_trailer_gap", "[plist][bplist]") {
  const std::string bytes =
      hex("62706c69737430300908000000000000000000000101000000000000000100000000000000000000000000000009");
  BinaryOptions o;
  o.allow_trailer_gap = true;
  CHECK(outcome(bytes, o) == "ok:true");
}

TEST_CASE("plist binary: b63 NaN keeps its bit pattern", "[plist][bplist]") {
  auto doc = read(hex("62706c6973743030237ff8000000000000080000000000000101000000000000000100000000000000000000000000000011"));
  REQUIRE(doc);
  CHECK(std::bit_cast<std::uint64_t>(doc->root().as_real()) == 0x7ff8000000000000ull);
}

// ---------------------------------------------------------------------------
// Header and trailer rules, built one broken field at a time.

TEST_CASE("plist binary: header, magic and length", "[plist][bplist]") {
  CHECK(outcome("") == err("bplist.trailer.too_short", 0));
  CHECK(outcome("bpl") == err("bplist.trailer.too_short", 0));  // CVE-2017-5545 shape
  CHECK(outcome("bplisx") == err("bplist.header.bad_magic", 5));
  CHECK(outcome("<?xml version") == err("bplist.header.bad_magic", 0));
  // 8 + 32 bytes (no object byte) is one short of CF's minimum (L731).
  std::string forty = "bplist00" + std::string(32, '\0');
  CHECK(outcome(forty) == err("bplist.trailer.too_short", 0));
  // 41 bytes pass the length check; this trailer is all zeros, so its offset size fails first.
  CHECK(outcome(forty + '\x09') == err("bplist.trailer.offset_size", 41 - 32 + 6));
  Builder b;
  b.add("\x09");
  std::string ok = b.build();
  REQUIRE(ok.size() == 42);
  CHECK(outcome(ok) == "ok:true");
}

TEST_CASE("plist binary: trailer field rules", "[plist][bplist]") {
  auto base = [] {
    Builder b;
    b.add(array({1}));
    b.add(ascii("a"));
    return b;
  };
  {
    Builder b = base();
    CHECK(outcome(b.build()) == "ok:[\"a\"]");
  }
  for (unsigned size : {0u, 9u, 16u, 255u}) {
    Builder b = base();
    b.offset_size = size;
    if (size > 8) b.offset_size = 1;  // lay out with 1-byte entries, then lie in the trailer
    std::string bytes = b.build();
    bytes[b.trailer_offset + 6] = static_cast<char>(size);
    INFO("offset size " << size);
    CHECK(outcome(bytes) == err("bplist.trailer.offset_size", b.trailer_offset + 6));
  }
  for (unsigned size : {0u, 9u}) {
    Builder b = base();
    std::string bytes = b.build();
    bytes[b.trailer_offset + 7] = static_cast<char>(size);
    INFO("ref size " << size);
    CHECK(outcome(bytes) == err("bplist.trailer.ref_size", b.trailer_offset + 7));
  }
  {
    Builder b = base();
    b.count_override = 0;
    std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.trailer.no_objects", b.trailer_offset + 8));
  }
  {
    Builder b = base();
    b.top = 2;
    std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.trailer.top_out_of_range", b.trailer_offset + 16));
  }
  for (std::uint64_t table : {0ull, 8ull}) {  // must leave one object byte (CF L756)
    Builder b = base();
    b.table_offset_override = table;
    std::string bytes = b.build();
    INFO("table offset " << table);
    CHECK(outcome(bytes) == err("bplist.trailer.table_offset_out_of_range", b.trailer_offset + 24));
  }
  {
    Builder b = base();
    b.table_offset_override = 0;
    std::string bytes = b.build();
    // Exactly the trailer's own offset, and beyond: both outside.
    for (std::uint64_t table : {b.trailer_offset, b.trailer_offset + 5, ~std::uint64_t{0}}) {
      std::string copy = bytes;
      copy.replace(b.trailer_offset + 24, 8, be(table, 8));
      INFO("table offset " << table);
      CHECK(outcome(copy) == err("bplist.trailer.table_offset_out_of_range", b.trailer_offset + 24));
    }
  }
  {
    // count x offset size runs into the trailer, including a multiplication that overflows
    // (the CVE-2017-7982 shape: 0x4000000000000001 entries of 5 bytes).
    Builder b = base();
    b.count_override = 3;
    std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.trailer.table_overrun", b.trailer_offset + 8));
    Builder c = base();
    c.offset_size = 5;
    c.count_override = 0x4000000000000001ull;
    c.top = 0;
    std::string wrap = c.build();
    BinaryOptions o;
    Limits l;
    l.max_objects = ~0ull;
    auto r = read(wrap, o, l);
    REQUIRE_FALSE(r);
    CHECK(r.error().id() == "bplist.trailer.table_overrun");
    CHECK(r.error().offset == c.trailer_offset + 8);
  }
  {
    Builder b = base();
    b.gap = "xy";
    std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.trailer.gap", b.table_offset + 2));
    BinaryOptions o;
    o.allow_trailer_gap = true;
    CHECK(outcome(bytes, o) == "ok:[\"a\"]");
  }
}

TEST_CASE("plist binary: ref and offset sizes must address objects and table (CF L786-789)",
          "[plist][bplist]") {
  // 256 objects cannot be named by 1-byte refs (CF: 1 << 8 <= 256), 255 can.
  for (std::uint64_t n : {255ull, 256ull}) {
    Builder b;
    b.offset_size = 2;
    b.add(array({}));
    while (b.objects.size() < n) b.add("\x09");
    std::string bytes = b.build();
    INFO(n << " objects");
    if (n == 255)
      CHECK(outcome(bytes) == "ok:[]");
    else
      CHECK(outcome(bytes) == err("bplist.trailer.ref_size_too_small", b.trailer_offset + 7));
  }
  // A table at offset 256 cannot be reached with 1-byte offsets, at 255 it can.
  for (std::uint64_t table : {255ull, 256ull}) {
    Builder b;
    b.add(data_object(std::string(table - kHeader - 3, 'x')));  // 0x4F 0x10 nn, then the bytes
    std::string bytes = b.build();
    REQUIRE(b.table_offset == table);
    INFO("table at " << table);
    if (table == 255)
      CHECK(outcome(bytes).rfind("ok:data(", 0) == 0);
    else
      CHECK(outcome(bytes) == err("bplist.trailer.offset_size_too_small", b.trailer_offset + 6));
  }
}

TEST_CASE("plist binary: every offset-table entry checked up front", "[plist][bplist]") {
  // Object 2 is never referenced, but its bad entry is still found (CF L800-804).
  for (std::uint64_t bad : {0ull, 7ull}) {
    Builder b;
    b.add(array({1}));
    b.add("\x09");
    b.add("\x08");
    b.offset_override[2] = bad;
    std::string bytes = b.build();
    INFO("offset " << bad);
    CHECK(outcome(bytes) == err("bplist.offset_table.out_of_range", b.table_offset + 2));
  }
  Builder b;
  b.offset_size = 2;
  b.add(array({1}));
  b.add("\x09");
  b.add("\x08");
  b.offset_override[1] = 0;  // set below to the table offset itself
  std::string bytes = b.build();
  bytes.replace(b.table_offset + 2, 2, be(b.table_offset, 2));
  CHECK(outcome(bytes) == err("bplist.offset_table.out_of_range", b.table_offset + 2));
  // Unreferenced objects are otherwise not read (CF reads lazily too).
  Builder c;
  c.add("\x09");
  c.add("\xFF");
  CHECK(outcome(c.build()) == "ok:true");
}

TEST_CASE("plist binary: offset sizes 1-8 and ref sizes 1-8 read the same value", "[plist][bplist]") {
  for (unsigned offset_size = 1; offset_size <= 8; ++offset_size) {
    for (unsigned ref_size = 1; ref_size <= 8; ++ref_size) {
      Builder b;
      b.offset_size = offset_size;
      b.ref_size = ref_size;
      b.add(dict({1, 2}, {3, 4}, ref_size));
      b.add(ascii("k1"));
      b.add(ascii("k2"));
      b.add(int_object(7));
      b.add(array({3, 3}, ref_size));
      INFO("offset size " << offset_size << ", ref size " << ref_size);
      CHECK(outcome(b.build()) == "ok:{k1:7,k2:[7,7]}");
    }
  }
}

// ---------------------------------------------------------------------------
// Objects.

TEST_CASE("plist binary: scalar markers", "[plist][bplist]") {
  struct Case {
    std::string object;
    std::string expect;
  };
  const Case cases[] = {
      {"\x08", "ok:false"},
      {"\x09", "ok:true"},
      {std::string(1, '\0'), err("bplist.object.null", 8)},
      {"\x0F", err("bplist.object.unknown_marker", 8)},
      {"\x01", err("bplist.object.unknown_marker", 8)},
      {"\x0C", err("bplist.object.unknown_marker", 8)},  // url, v1 only
      {"\x0E", err("bplist.object.unknown_marker", 8)},  // uuid, v1 only
      {bin("\x10\x00"), "ok:0"},
      {bin("\x11\x01\x00"), "ok:256"},
      {"\x12" + be(0x80000000, 4), "ok:2147483648"},  // 4 bytes are unsigned
      {"\x13" + be(0x7FFFFFFFFFFFFFFFull, 8), "ok:9223372036854775807"},
      {"\x14" + be(0, 8) + be(~0ull, 8), "ok:18446744073709551615"},  // CF's UINT64_MAX form
      {"\x14" + be(0, 8) + be(5, 8), "ok:5"},  // non-minimal is fine
      {"\x14" + be(1ull << 63, 8) + be(0, 8), err("bplist.integer.too_wide", 8)},
      {"\x15" + std::string(32, '\0'), err("bplist.integer.bad_size", 8)},
      {"\x1F", err("bplist.integer.bad_size", 8)},
      {bin("\x13\x00\x00"), err("bplist.object.truncated", 8)},
      {bin("\x20\x00"), err("bplist.real.bad_size", 8)},
      {bin("\x21\x00\x00"), err("bplist.real.bad_size", 8)},
      {"\x22" + be(0xBF800000, 4), "ok:real(-1.)"},
      {"\x23" + be(std::bit_cast<std::uint64_t>(0.25), 8), "ok:real(0.25)"},
      {bin("\x23\x00\x00\x00"), err("bplist.object.truncated", 8)},
      {"\x33" + be(std::bit_cast<std::uint64_t>(86400.0), 8), "ok:date(86400)"},
      {"\x30", err("bplist.date.bad_marker", 8)},
      {"\x34" + std::string(16, '\0'), err("bplist.date.bad_marker", 8)},
      {bin("\x33\x00"), err("bplist.object.truncated", 8)},
      {data_object(""), "ok:data()"},
      {data_object("\x01\x02"), "ok:data(0102)"},
      {ascii(""), "ok:\"\""},
      {ascii(std::string(20, 'z')), "ok:\"" + std::string(20, 'z') + "\""},  // extended count
      {"\x53" "ab\x7F", "ok:\"ab\x7F\""},
      {"\x53" "ab\xC3", err("bplist.string.non_ascii", 11)},
      {utf16(u"\u00e9t\u00e9"), "ok:\"\xC3\xA9t\xC3\xA9\""},
      {utf16(u"\U0001F600"), "ok:\"\xF0\x9F\x98\x80\""},  // surrogate pair
      {utf16(u"a\xDC00"), err("bplist.string.invalid_utf16", 11)},     // lone low
      {utf16(u"ab\xD83D"), err("bplist.string.invalid_utf16", 13)},    // high at the end
      {utf16(u"\xD83Dz"), err("bplist.string.invalid_utf16", 9)},      // high, then not low
      {bin("\x80\x00"), "ok:uid(0)"},
      {"\x83" + be(0xFFFFFFFF, 4), "ok:uid(4294967295)"},
      {"\x87" + be(0x100000000ull, 8), err("bplist.uid.too_large", 8)},
      {"\x8F" + be(1, 8) + be(2, 8), err("bplist.uid.too_large", 8)},
      {bin("\x81\x00"), err("bplist.object.truncated", 8)},
      {"\x90", err("bplist.object.unknown_marker", 8)},
      {"\xB0", err("bplist.object.unknown_marker", 8)},  // ordset, v1 only
      {"\xE0", err("bplist.object.unknown_marker", 8)},
      {"\xF0", err("bplist.object.unknown_marker", 8)},
      {"\x71" "a", err("bplist.object.unknown_marker", 8)},  // UTF-8 string, v1 only
  };
  for (const Case& c : cases) {
    INFO("object " << hex_encode(as_bytes(c.object)));
    CHECK(outcome(single(c.object)) == c.expect);
  }
}

TEST_CASE("plist binary: wide ints and UIDs under allow_wide_int_truncation", "[plist][bplist]") {
  BinaryOptions o;
  o.allow_wide_int_truncation = true;
  CHECK(outcome(single("\x14" + be(1ull << 63, 8) + be(9, 8)), o) == "ok:9");
  CHECK(outcome(single("\x8F" + be(1, 8) + be(2, 8)), o) == "ok:uid(2)");
  CHECK(outcome(single("\x8F" + be(1, 8) + be(0x100000000ull, 8)), o) ==
        err("bplist.uid.too_large", 8));
}

TEST_CASE("plist binary: lengths and counts checked before any allocation", "[plist][bplist]") {
  struct Case {
    std::string object;
    std::string expect;
  };
  const std::string huge = "\x13" + be(~0ull, 8);
  const std::string big = "\x13" + be(0x7FFFFFFFFFFFFFFFull, 8);
  const Case cases[] = {
      {"\x5F" + huge + "abc", err("bplist.length.out_of_range", 9)},  // b44, negative as int64
      {"\x5F" + big + "abc", err("bplist.length.out_of_range", 9)},
      {"\x4F" + big + "abc", err("bplist.length.out_of_range", 9)},
      {"\x6F" + big + "abcd", err("bplist.length.out_of_range", 9)},  // CVE-2017-6438: count*2
      {"\xAF" + big + bin("\x00"), err("bplist.length.out_of_range", 9)},
      {"\xDF" + big + bin("\x00"), err("bplist.length.out_of_range", 9)},
      {"\x6F\x14" + be(0, 8) + be(3, 8) + "abcdef", "ok:\"\xE6\x85\xA2\xE6\x8D\xA4\xE6\x95\xA6\""},
      {"\x5F\x14" + be(1, 8) + be(3, 8) + "abc", err("bplist.integer.too_wide", 9)},
      {"\x5F\x15", err("bplist.integer.bad_size", 9)},
      {"\x5F\x10", err("bplist.object.truncated", 9)},
      {"\x5F", err("bplist.object.truncated", 8)},
      {bin("\x5F\x22\x00\x00\x00\x03" "abc"), err("bplist.length.not_integer", 9)},  // b45
      {"\x53" "ab", err("bplist.length.out_of_range", 8)},  // nibble count, 2 bytes left
      {"\x62" "abc", err("bplist.length.out_of_range", 8)},
      {"\x42" "a", err("bplist.length.out_of_range", 8)},
      {bin("\xA3\x00\x00"), err("bplist.length.out_of_range", 8)},
      {bin("\xD1\x00"), err("bplist.length.out_of_range", 8)},
  };
  for (const Case& c : cases) {
    INFO("object " << hex_encode(as_bytes(c.object)));
    CHECK(outcome(single(c.object)) == c.expect);
  }
  // Data and strings may run up to the offset table, not into it.
  Builder b;
  b.add(array({1}));
  b.add("\x43" "ab");  // 3 bytes claimed, 2 before the table
  const std::string short_data = b.build();
  CHECK(outcome(short_data) == err("bplist.length.out_of_range", b.offsets[1]));
}

TEST_CASE("plist binary: references", "[plist][bplist]") {
  {
    Builder b;
    b.add(array({1, 2}));
    b.add("\x09");
    CHECK(outcome(b.build()) == err("bplist.object_ref.out_of_range", 10));
  }
  {
    Builder b;
    b.add(dict({2}, {1}));
    b.add("\x09");
    CHECK(outcome(b.build()) == err("bplist.object_ref.out_of_range", 9));  // key ref
  }
  {
    Builder b;
    b.ref_size = 2;
    b.add(array({1, 300}, 2));
    b.add("\x09");
    CHECK(outcome(b.build()) == err("bplist.object_ref.out_of_range", 11));
  }
  {
    // Shared objects (b20) are fine and read once.
    Builder b;
    b.add(array({1, 2, 1}));
    b.add(array({2}));
    b.add(ascii("s"));
    CHECK(outcome(b.build()) == "ok:[[\"s\"],\"s\",[\"s\"]]");
  }
}

TEST_CASE("plist binary: cycles through arrays and dicts", "[plist][bplist]") {
  {
    Builder b;  // 0 -> 1 -> 2 -> 0
    b.add(array({1}));
    b.add(dict({3}, {2}));
    b.add(array({4, 0}));
    b.add(ascii("k"));
    b.add("\x09");
    const std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.object.cycle", b.offsets[2] + 2));
    CHECK(outcome(bytes, BinaryOptions::cf_compat()) == err("bplist.object.cycle", b.offsets[2] + 2));
  }
  {
    // The same object twice on one level is sharing, not a cycle.
    Builder b;
    b.add(array({1, 1}));
    b.add(array({2}));
    b.add("\x09");
    CHECK(outcome(b.build()) == "ok:[[true],[true]]");
  }
  {
    // A dict used as its own key is a collection key, found before the cycle.
    Builder b;
    b.add(dict({0}, {1}));
    b.add("\x09");
    CHECK(outcome(b.build()) == err("bplist.dict.key_not_string", 9));
  }
}

TEST_CASE("plist binary: sets", "[plist][bplist]") {
  Builder b;
  b.add(array({1}));
  b.add(std::string("\xC2\x02\x02", 3));
  b.add("\x09");
  const std::string bytes = b.build();
  CHECK(outcome(bytes) == err("bplist.object.set", 10));
  BinaryOptions o;
  o.allow_sets_as_arrays = true;
  CHECK(outcome(bytes, o) == "ok:[[true,true]]");
}

TEST_CASE("plist binary: dict keys", "[plist][bplist]") {
  {
    // UTF-16 keys are strings too; order is kept.
    Builder b;
    b.add(dict({1, 2}, {3, 3}));
    b.add(utf16(u"\u00fc"));
    b.add(ascii("a"));
    b.add(int_object(1));
    CHECK(outcome(b.build()) == "ok:{\xC3\xBC:1,a:1}");
  }
  {
    // An ASCII key and an equal UTF-16 key in different objects still collide.
    Builder b;
    b.add(dict({1, 2}, {3, 3}));
    b.add(ascii("ab"));
    b.add(utf16(u"ab"));
    b.add(int_object(1));
    CHECK(outcome(b.build()) == err("bplist.dict.duplicate_key", 10));
  }
  for (const std::string& key : {int_object(5), std::string("\x09"), "\x23" + be(0, 8),
                                  "\x33" + be(0, 8), data_object("k"), std::string("\x80\x01")}) {
    Builder b;
    b.add(dict({1, 2}, {3, 3}));
    b.add(ascii("a"));
    b.add(key);
    b.add(int_object(1));
    const std::string bytes = b.build();
    INFO("key " << hex_encode(as_bytes(key)));
    CHECK(outcome(bytes) == err("bplist.dict.key_not_string", 10));
    BinaryOptions o;
    o.allow_non_string_keys = true;
    CHECK(outcome(bytes, o) == "ok:{a:1}");
  }
  for (const std::string& key : {array({}), dict({}, {}), std::string("\xC0")}) {
    Builder b;
    b.add(dict({1}, {2}));
    b.add(key);
    b.add(int_object(1));
    INFO("key " << hex_encode(as_bytes(key)));
    CHECK(outcome(b.build(), BinaryOptions::cf_compat()) == err("bplist.dict.key_not_string", 9));
  }
  {
    // A null key is still an error: the key object itself is malformed.
    Builder b;
    b.add(dict({1}, {2}));
    b.add(std::string(1, '\0'));
    b.add(int_object(1));
    CHECK(outcome(b.build(), BinaryOptions::cf_compat()) == err("bplist.object.null", 11));
  }
}

TEST_CASE("plist binary: duplicate keys, small and large dicts", "[plist][bplist]") {
  // Sizes on both sides of the pairwise/sort switch; the duplicate is the last key.
  for (std::size_t n : {2u, 3u, 16u, 17u, 40u}) {
    Builder b;
    b.offset_size = 2;
    std::vector<std::uint64_t> keys, values;
    const std::uint64_t first_key = 1;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back(first_key + i);
      values.push_back(first_key + n);
    }
    b.add(dict(keys, values));
    for (std::size_t i = 0; i < n; ++i)
      b.add(ascii(i + 1 == n ? "key0" : "key" + std::to_string(i)));  // last repeats the first
    b.add(int_object(1));
    std::string bytes = b.build();
    const std::uint64_t refs_at = b.offsets[0] + (n < 15 ? 1 : 3);
    INFO(n << " keys");
    CHECK(outcome(bytes) == err("bplist.dict.duplicate_key", refs_at + n - 1));
    // With the flag the last value wins, in the first key's place.
    Builder c = b;
    c.objects[0] = dict(keys, [&] {
      std::vector<std::uint64_t> v(n, first_key + n);
      v[n - 1] = first_key + n + 1;
      return v;
    }());
    c.add(int_object(2));
    BinaryOptions o;
    o.allow_duplicate_keys = true;
    auto doc = read(c.build(), o);
    REQUIRE(doc);
    REQUIRE(doc->root().size() == n - 1);
    CHECK(doc->root().as_dict()[0].key == "key0");
    CHECK(doc->root().as_dict()[0].value.as_integer().bits == 2);
  }
  {
    // Three times the same key, non-adjacent: one entry, last value, first place.
    Builder b;
    b.add(dict({1, 2, 1, 1}, {3, 4, 5, 6}));
    b.add(ascii("x"));
    b.add(ascii("y"));
    b.add(int_object(1));
    b.add(int_object(2));
    b.add(int_object(3));
    b.add(int_object(4));
    const std::string bytes = b.build();
    CHECK(outcome(bytes) == err("bplist.dict.duplicate_key", 11));
    CHECK(outcome(bytes, BinaryOptions::cf_compat()) == "ok:{x:4,y:2}");
  }
}

// ---------------------------------------------------------------------------
// Limits at limit-1, limit and limit+1.

namespace {

// n arrays nested in a chain: object i = [i+1], the last one empty; 2-byte refs (4 beyond
// 65534 objects) and 4-byte offsets (the b72/b73 layout).
Builder nested_arrays(std::size_t n) {
  Builder b;
  b.offset_size = 4;
  b.ref_size = n < 0xFFFF ? 2 : 4;
  for (std::size_t i = 0; i + 1 < n; ++i) b.add(array({i + 1}, b.ref_size));
  b.add(array({}, b.ref_size));
  return b;
}

// b75: object i = [i+1, i+1] for i < levels, the last object `true`.
std::string doubling_dag(std::size_t levels) {
  Builder b;
  for (std::size_t i = 0; i < levels; ++i) b.add(array({i + 1, i + 1}));
  b.add("\x09");
  return b.build();
}

}  // namespace

TEST_CASE("plist binary: depth limit", "[plist][bplist]") {
  Limits l;
  l.max_depth = 10;
  for (std::size_t n : {9u, 10u, 11u}) {
    Builder b = nested_arrays(n);
    const std::string bytes = b.build();
    INFO(n << " levels");
    if (n <= 10)
      CHECK(read(bytes, {}, l).ok());
    else
      CHECK(outcome(bytes, {}, l) == err("bplist.limit.depth", b.offsets[10]));
  }
  // Default 512 (CF): b72 at 513 fails, 512 passes; b73 at 5000 fails without recursion.
  {
    Builder b = nested_arrays(512);
    CHECK(read(b.build()).ok());
    Builder c = nested_arrays(513);
    const std::string c_bytes = c.build();
    CHECK(outcome(c_bytes) == err("bplist.limit.depth", c.offsets[512]));
    Builder d = nested_arrays(5000);
    const std::string d_bytes = d.build();
    CHECK(outcome(d_bytes) == err("bplist.limit.depth", d.offsets[512]));
  }
  {
    auto r = read(nested_arrays(513).build());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == ErrorKind::limit);
    CHECK(r.error().message.find("max_depth") != std::string::npos);
  }
}

TEST_CASE("plist binary: depth limit on a shared container met deeper", "[plist][bplist]") {
  // 0 = [2, 1], 1 = [2], 2 = [3], 3 = true: object 2 is read at depth 2, then met at depth 3.
  Builder b;
  b.add(array({2, 1}));
  b.add(array({2}));
  b.add(array({3}));
  b.add("\x09");
  const std::string bytes = b.build();
  Limits l;
  l.max_depth = 3;
  CHECK(outcome(bytes, {}, l) == "ok:[[true],[[true]]]");
  l.max_depth = 2;
  CHECK(outcome(bytes, {}, l) == err("bplist.limit.depth", b.offsets[2]));
}

TEST_CASE("plist binary: deep nesting under a raised limit needs no recursion", "[plist][bplist]") {
  Limits l;
  l.max_depth = 200000;
  Builder b = nested_arrays(100000);
  auto doc = read(b.build(), {}, l);
  REQUIRE(doc);
  const Value* v = &doc->root();
  std::size_t depth = 1;
  while (v->size() == 1) {
    v = &v->as_array()[0];
    ++depth;
  }
  CHECK(depth == 100000);
  // The writer keeps to the default depth, so its output always reads back.
  auto written = write_binary(doc->root());
  REQUIRE_FALSE(written);
  CHECK(written.error().id() == "bplist.limit.depth");
}

TEST_CASE("plist binary: object count limit", "[plist][bplist]") {
  Builder b;
  b.add(array({1, 2, 3, 4}));
  for (int i = 0; i < 4; ++i) b.add(int_object(i));
  const std::string bytes = b.build();  // 5 objects
  for (std::uint64_t limit : {4ull, 5ull, 6ull}) {
    Limits l;
    l.max_objects = limit;
    INFO("max_objects " << limit);
    if (limit < 5)
      CHECK(outcome(bytes, {}, l) == err("bplist.limit.objects", b.trailer_offset + 8));
    else
      CHECK(outcome(bytes, {}, l) == "ok:[0,1,2,3]");
  }
}

TEST_CASE("plist binary: input size limit", "[plist][bplist]") {
  Builder b;
  b.add("\x09");
  const std::string bytes = b.build();
  for (std::uint64_t limit : {bytes.size() - 1, bytes.size(), bytes.size() + 1}) {
    Limits l;
    l.max_input_bytes = limit;
    INFO("max_input_bytes " << limit);
    if (limit < bytes.size())
      CHECK(outcome(bytes, {}, l) == err("core.input_too_large", 0));
    else
      CHECK(outcome(bytes, {}, l) == "ok:true");
  }
}

TEST_CASE("plist binary: expansion limit counts shared objects each time", "[plist][bplist]") {
  // [[true, true], same] is 7 nodes expanded: 1 + 2 x (1 + 2).
  Builder b;
  b.add(array({1, 1}));
  b.add(array({2, 2}));
  b.add("\x09");
  const std::string bytes = b.build();
  for (std::uint64_t limit : {6ull, 7ull, 8ull}) {
    Limits l;
    l.max_expanded_nodes = limit;
    INFO("max_expanded_nodes " << limit);
    if (limit < 7)
      CHECK(outcome(bytes, {}, l) == err("bplist.limit.expansion", 8));
    else
      CHECK(outcome(bytes, {}, l) == "ok:[[true,true],[true,true]]");
  }
  // Dict keys count as nodes: {a: true} is 3.
  Builder d;
  d.add(dict({1}, {2}));
  d.add(ascii("a"));
  d.add("\x09");
  const std::string dict_bytes = d.build();
  for (std::uint64_t limit : {2ull, 3ull, 4ull}) {
    Limits l;
    l.max_expanded_nodes = limit;
    INFO("dict, max_expanded_nodes " << limit);
    if (limit < 3)
      CHECK(outcome(dict_bytes, {}, l) == err("bplist.limit.expansion", 8));
    else
      CHECK(outcome(dict_bytes, {}, l) == "ok:{a:true}");
  }
  Limits zero;
  zero.max_expanded_nodes = 0;
  CHECK(outcome(single("\x09"), {}, zero) == err("bplist.limit.expansion", 8));
}

TEST_CASE("plist binary: exponential DAG of 40 levels is rejected quickly", "[plist][bplist]") {
  const std::string bytes = doubling_dag(40);
  const auto start = std::chrono::steady_clock::now();
  auto r = read(bytes);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(r);
  CHECK(r.error().id() == "bplist.limit.expansion");
  CHECK(r.error().kind() == ErrorKind::limit);
  // Object k expands to 2^(41-k) - 1 nodes; object 15 is the first above 2^25 (the default).
  CHECK(r.error().offset == kHeader + 3 * 15);
  CHECK(seconds < 0.1);
  // Below the limit the DAG reads, shares its objects, and writes back just as small.
  auto small = read(doubling_dag(20));
  REQUIRE(small);
  CHECK(&small->root().as_array()[0].as_array()[0] == &small->root().as_array()[1].as_array()[0]);
  auto written = write_binary(small->root());
  REQUIRE(written);
  CHECK(*written == doubling_dag(20));
}

// ---------------------------------------------------------------------------
// Writer.

namespace {

Value roundtrip_ok(const Value& v, Document& holder) {
  auto bytes = write_binary(v);
  REQUIRE(bytes);
  auto doc = read_binary(as_bytes(*bytes));
  INFO("written: " << hex_encode(as_bytes(*bytes)));
  REQUIRE(doc);
  CHECK(equal(v, doc->root()));
  holder = std::move(*doc);
  return holder.root();
}

std::uint64_t trailer_count(const std::string& bytes) {
  Bytes t = as_bytes(bytes).last(32);
  return load_uint(t.data() + 8, 8, Endian::big);
}

}  // namespace

TEST_CASE("plist binary writer: exact layout of small values", "[plist][bplist][writer]") {
  // write_binary(true) is byte for byte CF's output (= case b01).
  auto t = write_binary(Value::boolean(true));
  REQUIRE(t);
  CHECK(hex_encode(as_bytes(*t)) ==
        "62706c697374303009080000000000000101000000000000000100000000000000000000000000000009");
  // ["a", "a"]: the string is written once.
  Document doc;
  Value items[] = {doc.string("a"), doc.string("a")};
  auto arr = write_binary(doc.array(items));
  REQUIRE(arr);
  CHECK(hex_encode(as_bytes(*arr)) ==
        "62706c6973743030" "a2010151" "61" "080b" "000000000000" "0101" "0000000000000002"
        "0000000000000000" "000000000000000d");
  Value distinct[] = {doc.string("a"), doc.string("b")};
  auto arr2 = write_binary(doc.array(distinct));
  REQUIRE(arr2);
  CHECK(trailer_count(*arr) == 2);
  CHECK(trailer_count(*arr2) == 3);
  // Dict: keys first, then values, CF order; equal key and value strings share an object.
  DictEntry e[] = {{doc.intern("k"), doc.string("v")}, {doc.intern("v"), doc.string("k")}};
  auto d = write_binary(doc.dict(e));
  REQUIRE(d);
  CHECK(hex_encode(as_bytes(*d)).substr(16, 18) == "d2010202" "01" "516b" "5176");
  CHECK(trailer_count(*d) == 3);
}

TEST_CASE("plist binary writer: integer, uid and string encodings", "[plist][bplist][writer]") {
  struct Case {
    Value value;
    const char* object_hex;
  };
  Document doc;
  const Case cases[] = {
      {Value::integer(Integer::from_unsigned(0)), "1000"},
      {Value::integer(Integer::from_unsigned(255)), "10ff"},
      {Value::integer(Integer::from_unsigned(256)), "110100"},
      {Value::integer(Integer::from_unsigned(65536)), "1200010000"},
      {Value::integer(Integer::from_unsigned(1ull << 32)), "130000000100000000"},
      {Value::integer(Integer::from_signed(INT64_MAX)), "137fffffffffffffff"},
      {Value::integer(Integer::from_unsigned(UINT64_MAX)), "1400000000000000" "00ffffffffffffffff"},
      {Value::integer(Integer::from_signed(-1)), "13ffffffffffffffff"},
      {Value::integer(Integer::from_signed(INT64_MIN)), "138000000000000000"},
      {Value::real(1.5), "233ff8000000000000"},
      {Value::date(0.0), "330000000000000000"},
      {Value::uid(0), "8000"},
      {Value::uid(256), "810100"},
      {Value::uid(0xFFFFFFFF), "83ffffffff"},
      {doc.string(""), "50"},
      {doc.string("\xC3\xA9"), "6100e9"},
      {doc.string("\xF0\x9F\x98\x80"), "62d83dde00"},
      {doc.string(std::string(15, 'x')), "5f100f787878787878787878787878787878"},
      {doc.data(as_bytes("")), "40"},
  };
  for (const Case& c : cases) {
    auto bytes = write_binary(c.value);
    REQUIRE(bytes);
    const std::string h = hex_encode(as_bytes(*bytes));
    const std::string object = h.substr(16, h.size() - 16 - 2 - 64);  // minus 1-byte table, trailer
    INFO(show(c.value));
    CHECK(object == c.object_hex);
    Document back;
    roundtrip_ok(c.value, back);
  }
}

TEST_CASE("plist binary writer: round trips", "[plist][bplist][writer]") {
  Document doc;
  const Value scalars[] = {
      Value::boolean(false),
      Value::boolean(true),
      Value::integer(Integer::from_unsigned(UINT64_MAX)),
      Value::integer(Integer::from_signed(INT64_MIN)),
      Value::integer(Integer::from_signed(-129)),
      Value::real(std::nan("")),
      Value::real(-0.0),
      Value::real(std::bit_cast<double>(0x7ff0000000000001ull)),  // signalling NaN bits
      Value::real(1e308),
      Value::date(-978307200.0),
      Value::date(123.456),
      Value::uid(42),
      doc.string(""),
      doc.string("plain"),
      doc.string("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"),
      doc.string(std::string("nul\0inside", 10)),
      doc.data(as_bytes(std::string(300, '\xAB'))),
      doc.data(as_bytes("")),
      doc.array({}),
      doc.dict({}),
  };
  for (const Value& v : scalars) {
    INFO(show(v));
    Document back;
    roundtrip_ok(v, back);
  }
  // Nested, with shared subvalues and a mix of everything.
  Value inner[] = {doc.string("x"), Value::integer(Integer::from_signed(-5)), doc.array({}),
                   doc.dict({})};
  const Value inner_array = doc.array(inner);
  DictEntry entries[] = {
      {doc.intern("com.apple.security.app-sandbox"), Value::boolean(true)},
      {doc.intern("list"), inner_array},
      {doc.intern("again"), inner_array},
      {doc.intern(""), doc.string("empty key")},
      {doc.intern("\xE2\x9C\x93"), Value::uid(7)},
  };
  Value outer[] = {doc.dict(entries), doc.array(scalars), inner_array};
  Document back;
  roundtrip_ok(doc.array(outer), back);
}

TEST_CASE("plist binary writer: ref and offset sizes grow as needed", "[plist][bplist][writer]") {
  Document doc;
  std::vector<Value> items;
  for (int i = 0; i < 300; ++i) items.push_back(Value::integer(Integer::from_signed(i * 1000)));
  const Value arr = doc.array(items);
  auto bytes = write_binary(arr);
  REQUIRE(bytes);
  const Bytes t = as_bytes(*bytes).last(32);
  CHECK(t[7] == 2);  // 301 objects need 2-byte refs
  CHECK(t[6] == 2);  // table offset below 65536
  Document back;
  roundtrip_ok(arr, back);
  const Value big = doc.data(as_bytes(std::string(70000, 'q')));
  auto big_bytes = write_binary(big);
  REQUIRE(big_bytes);
  CHECK(as_bytes(*big_bytes).last(32)[6] == 4);
  roundtrip_ok(big, back);
}

TEST_CASE("plist binary writer: values the strict reader would reject", "[plist][bplist][writer]") {
  Document doc;
  auto uid = write_binary(Value::uid(0x100000000ull));
  REQUIRE_FALSE(uid);
  CHECK(uid.error().id() == "bplist.write.uid_too_large");
  auto bad_utf8 = write_binary(doc.string("\xC3("));
  REQUIRE_FALSE(bad_utf8);
  CHECK(bad_utf8.error().id() == "bplist.write.invalid_utf8");
  DictEntry bad_key[] = {{doc.intern("\xFF"), Value::boolean(true)}};
  auto key = write_binary(doc.dict(bad_key));
  REQUIRE_FALSE(key);
  CHECK(key.error().id() == "bplist.write.invalid_utf8");
  DictEntry dup[] = {{doc.intern("a"), Value::boolean(true)}, {doc.intern("a"), Value::boolean(false)}};
  auto d = write_binary(doc.dict(dup));
  REQUIRE_FALSE(d);
  CHECK(d.error().id() == "bplist.write.duplicate_key");
  // Nesting: 512 containers write, 513 do not.
  Value v = doc.array({});
  for (int i = 1; i < 512; ++i) v = doc.array(std::span<const Value>(&v, 1));
  CHECK(write_binary(v).ok());
  v = doc.array(std::span<const Value>(&v, 1));
  auto deep = write_binary(v);
  REQUIRE_FALSE(deep);
  CHECK(deep.error().id() == "bplist.limit.depth");
  // A shared-value DAG of 40 levels: linear to walk, but too large to expand on reading.
  Value dag = Value::boolean(true);
  for (int i = 0; i < 40; ++i) {
    Value pair[] = {dag, dag};
    dag = doc.array(pair);
  }
  auto big = write_binary(dag);
  REQUIRE_FALSE(big);
  CHECK(big.error().id() == "bplist.limit.expansion");
}

TEST_CASE("plist binary writer: generated values round trip", "[plist][bplist][writer]") {
  std::mt19937_64 rng(20240611);
  for (int round = 0; round < 200; ++round) {
    Document doc;
    // Bottom-up: a pool of values, containers drawn from earlier ones.
    std::vector<Value> pool;
    for (int i = 0; i < 40; ++i) {
      const unsigned kind = rng() % 10;
      const std::uint64_t r = rng();
      switch (kind) {
        case 0: pool.push_back(Value::boolean(r & 1)); break;
        case 1: pool.push_back(Value::integer(Integer::from_signed(static_cast<std::int64_t>(r) >> (r % 64)))); break;
        case 2: pool.push_back(Value::integer(Integer::from_unsigned(r))); break;
        case 3: pool.push_back(Value::real(std::bit_cast<double>(r))); break;
        case 4: pool.push_back(Value::uid(r & 0xFFFFFFFF)); break;
        case 5: {
          std::string s;
          const std::string pieces[] = {"a", "\xC3\xA9", "\xF0\x9F\x98\x80", "key", std::string(1, '\0')};
          for (unsigned k = 0; k < r % 20; ++k) s += pieces[(r >> (2 * k)) % 5];
          pool.push_back(doc.string(s));
          break;
        }
        case 6: pool.push_back(doc.data(as_bytes(std::string(r % 40, static_cast<char>(r))))); break;
        case 7:
        case 8: {
          std::vector<Value> items;
          for (unsigned k = 0; k < r % 6 && !pool.empty(); ++k) items.push_back(pool[rng() % pool.size()]);
          pool.push_back(doc.array(items));
          break;
        }
        default: {
          std::vector<DictEntry> entries;
          for (unsigned k = 0; k < r % 20 && !pool.empty(); ++k)
            entries.push_back({doc.intern("k" + std::to_string(k)), pool[rng() % pool.size()]});
          pool.push_back(doc.dict(entries));
        }
      }
    }
    Document back;
    INFO("round " << round);
    roundtrip_ok(pool.back(), back);
  }
}

TEST_CASE("plist binary: cf_compat values survive write and strict read", "[plist][bplist][writer]") {
  const char* hexes[] = {
      "62706c697374303014ffffffffffffffffffffffffffffffff080000000000000101000000000000000100000000000000000000000000000019",
      "62706c6973743030d201010203516110011002080d0f110000000000000101000000000000000400000000000000000000000000000013",
      "62706c6973743030c1015161080a000000000000010100000000000000020000000000000000000000000000000c",
      "62706c6973743030d1010210055161080b0d000000000000010100000000000000030000000000000000000000000000000f",
  };
  for (const char* h : hexes) {
    auto doc = read(hex(h), BinaryOptions::cf_compat());
    REQUIRE(doc);
    Document back;
    roundtrip_ok(doc->root(), back);
  }
}

// ---------------------------------------------------------------------------
// Real-world samples.

TEST_CASE("plist binary: real-world bplist00 files parse strictly", "[plist][bplist][realworld]") {
  const std::filesystem::path dir = std::filesystem::path(ENTSIG_SHARED_DIR) / "realworld" / "plists";
  if (!std::filesystem::is_directory(dir)) {
    WARN("real-world corpus not found at " << dir.string() << "; skipped");
    return;
  }
  // Files rejected on purpose, with the exact reason.
  const std::map<std::string, std::string> expected_rejects = {};
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.rfind("bplist00", 0) != 0) continue;
    ++seen;
    const std::string name = entry.path().filename().string();
    INFO(name);
    auto doc = read(bytes);
    auto it = expected_rejects.find(name);
    if (it != expected_rejects.end()) {
      REQUIRE_FALSE(doc);
      CHECK(err(doc.error().id(), doc.error().offset) == it->second);
      continue;
    }
    if (!doc) FAIL_CHECK(doc.error().describe());
    if (!doc) continue;
    CHECK(read(bytes, BinaryOptions::cf_compat()).ok());
    Document back;
    roundtrip_ok(doc->root(), back);
  }
  CHECK(seen >= 1);
}

TEST_CASE("plist binary writer: reproduces CF-layout samples byte for byte", "[plist][bplist][writer][realworld]") {
  const std::filesystem::path dir = std::filesystem::path(ENTSIG_SHARED_DIR) / "realworld" / "plists";
  if (!std::filesystem::is_directory(dir)) {
    WARN("real-world corpus not found at " << dir.string() << "; skipped");
    return;
  }
  // Written in CF's layout with no repeated booleans (CF writes one object per occurrence),
  // so ours matches exactly: pre-order objects, keys before values, shared scalars, minimal
  // ref and offset sizes.
  const char* names[] = {
      "libimobiledevice__libplist__signedunsigned.bplist",
      "radareorg__radare2-testbins__other-Info.plist",
      "libimobiledevice__libplist__data.bplist",
      "libimobiledevice__libplist__uid.bplist",
      "ebarnard__rust-plist__binary.plist",
      "ebarnard__rust-plist__utf16_bplist.plist",
  };
  for (const char* name : names) {
    INFO(name);
    std::ifstream in(dir / name, std::ios::binary);
    if (!in) {
      WARN(name << " not found; skipped");
      continue;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto doc = read(bytes);
    REQUIRE(doc);
    auto written = write_binary(doc->root());
    REQUIRE(written);
    CHECK(*written == bytes);
  }
}

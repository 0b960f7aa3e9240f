#include <catch2/catch.hpp>

#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "entsig/der.h"
#include "entsig/plist.h"
#include "superblob_scan.h"

using namespace entsig;
using namespace entsig::der;
using entsig::plist::DictEntry;
using entsig::plist::Document;
using entsig::plist::Integer;
using entsig::plist::Type;
using entsig::plist::Value;

namespace {

std::string unhex(std::string_view text) {
  std::string out;
  int pending = -1;
  for (char c : text) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<char>(pending * 16 + v));
      pending = -1;
    }
  }
  return out;
}

std::string spaced_hex(std::string_view bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char b : bytes) {
    if (!out.empty()) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

Value int_value(std::int64_t v) { return Value::integer(Integer::from_signed(v)); }

Value one_entry(Document& doc, std::string_view key, Value v) {
  DictEntry e[] = {{doc.intern(key), v}};
  return doc.dict(e);
}

std::string write_ok(const Value& v) {
  auto r = write_der(v);
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  return r.value();
}

Document read_ok(const std::string& bytes, const DerOptions& options = {},
                 DerDeviations* deviations = nullptr) {
  auto r = read_der(as_bytes(bytes), options, Limits{}, deviations);
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  return std::move(r.value());
}

void check_rejected(const std::string& bytes, std::string_view id, std::uint64_t offset,
                    const DerOptions& options = {}, const Limits& limits = {}) {
  auto r = read_der(as_bytes(bytes), options, limits);
  INFO("input: " << spaced_hex(bytes));
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().id() == id);
  CHECK(r.error().offset == offset);
}

// Both directions: the value writes to exactly these bytes, and the bytes read back to it.
void check_vector(const Value& v, std::string_view hex) {
  const std::string expected = unhex(hex);
  CHECK(spaced_hex(write_ok(v)) == spaced_hex(expected));
  Document back = read_ok(expected);
  CHECK(plist::equal(back.root(), v));
}

}  // namespace

TEST_CASE("der: rcodesign vectors, both directions", "[der]") {
  Document doc;
  check_vector(doc.dict({}), "70 05 02 01 01 B0 00");
  check_vector(one_entry(doc, "key", Value::boolean(true)),
               "70 0F 02 01 01 B0 0A 30 08 0C 03 6B 65 79 01 01 FF");
  check_vector(one_entry(doc, "key", doc.array({})), "70 0E 02 01 01 B0 09 30 07 0C 03 6B 65 79 30 00");
  check_vector(one_entry(doc, "key", one_entry(doc, "inner", Value::boolean(false))),
               "70 1A 02 01 01 B0 15 30 13 0C 03 6B 65 79 B0 0C 30 0A 0C 05 69 6E 6E 65 72 01 01 00");
}

TEST_CASE("der: integers, minimal two's complement", "[der]") {
  struct Case {
    std::int64_t value;
    const char* content;  // INTEGER element
  };
  const Case cases[] = {
      {0, "02 01 00"},
      {-1, "02 01 FF"},
      {42, "02 01 2A"},
      {127, "02 01 7F"},
      {128, "02 02 00 80"},
      {255, "02 02 00 FF"},
      {256, "02 02 01 00"},
      {-128, "02 01 80"},
      {-129, "02 02 FF 7F"},
      {-32768, "02 02 80 00"},
      {INT64_MAX, "02 08 7F FF FF FF FF FF FF FF"},
      {INT64_MIN, "02 08 80 00 00 00 00 00 00 00"},
      {INT64_MIN + 1, "02 08 80 00 00 00 00 00 00 01"},
      {std::int64_t{1} << 55, "02 08 00 80 00 00 00 00 00 00"},
  };
  for (const auto& c : cases) {
    INFO("value " << c.value);
    Document doc;
    const std::string integer = unhex(c.content);
    // {"i": value}: entry = 0C 01 69 + integer.
    const std::size_t entry_len = 3 + integer.size();
    std::string expected = unhex("70");
    expected += static_cast<char>(3 + 2 + 2 + entry_len);
    expected += unhex("02 01 01 B0");
    expected += static_cast<char>(2 + entry_len);
    expected += unhex("30");
    expected += static_cast<char>(entry_len);
    expected += unhex("0C 01 69") + integer;
    check_vector(one_entry(doc, "i", int_value(c.value)), spaced_hex(expected));
  }
}

TEST_CASE("der: arrays and nested dictionaries", "[der]") {
  Document doc;
  Value inner_items[] = {int_value(1), doc.string("x"), Value::boolean(true), doc.array({}), doc.dict({})};
  Value deepest = one_entry(doc, "d", int_value(-5));
  DictEntry entries[] = {{doc.intern("a"), doc.array(inner_items)},
                         {doc.intern("b"), one_entry(doc, "c", deepest)}};
  check_vector(doc.dict(entries),
               "70 2F 02 01 01 B0 2A 30 12 0C 01 61 30 0D 02 01 01 0C 01 78 01 01 FF 30 00 B0 00"
               " 30 14 0C 01 62 B0 0F 30 0D 0C 01 63 B0 08 30 06 0C 01 64 02 01 FB");
}

TEST_CASE("der: writer sorts keys byte-wise", "[der]") {
  Document doc;
  // Input order is not sorted; output is B < a < aa < b < é (C3 A9).
  DictEntry entries[] = {{doc.intern("b"), int_value(1)},   {doc.intern("B"), int_value(2)},
                         {doc.intern("a"), int_value(3)},   {doc.intern("aa"), int_value(4)},
                         {doc.intern("\xC3\xA9"), int_value(5)}};
  const std::string expected = unhex(
      "70 2F 02 01 01 B0 2A 30 06 0C 01 42 02 01 02 30 06 0C 01 61 02 01 03 30 07 0C 02 61 61 02 01 04"
      " 30 06 0C 01 62 02 01 01 30 07 0C 02 C3 A9 02 01 05");
  CHECK(spaced_hex(write_ok(doc.dict(entries))) == spaced_hex(expected));
  Document back = read_ok(expected);
  CHECK(plist::equivalent(back.root(), doc.dict(entries)));
  CHECK(back.root().as_dict()[0].key == "B");
}

TEST_CASE("der: long-form lengths, 128+ and 256+ content bytes", "[der]") {
  Document doc;
  const std::string a200(200, 'a');
  const std::string expected200 = unhex("70 81 D7 02 01 01 B0 81 D1 30 81 CE 0C 01 6B 0C 81 C8") + a200;
  check_vector(one_entry(doc, "k", doc.string(a200)), spaced_hex(expected200));

  const std::string b300(300, 'b');
  const std::string expected300 =
      unhex("70 82 01 3E 02 01 01 B0 82 01 37 30 82 01 33 0C 01 6B 0C 82 01 2C") + b300;
  check_vector(one_entry(doc, "k", doc.string(b300)), spaced_hex(expected300));

  // Exactly 127 content bytes stays in the short form; 128 is the first long form.
  const std::string s127(127 - 3 - 2, 's');  // entry content = key (3) + string header (2) + s
  auto bytes127 = write_ok(one_entry(doc, "k", doc.string(s127)));
  CHECK(spaced_hex(bytes127.substr(6, 5)) == "B0 81 81 30 7F");
  const std::string s128(128 - 3 - 2, 's');
  auto bytes128 = write_ok(one_entry(doc, "k", doc.string(s128)));
  CHECK(spaced_hex(bytes128.substr(6, 6)) == "B0 81 83 30 81 80");
}

namespace {

// Deterministic random values that DER can hold.
class ValueGenerator {
 public:
  explicit ValueGenerator(std::uint32_t seed) : rng_(seed) {}

  Value make(Document& doc, int depth) {
    const unsigned kind = pick(depth >= 4 ? 3 : 5);
    switch (kind) {
      case 0: return Value::boolean(pick(2) == 1);
      case 1: return int_value(integer());
      case 2: return doc.string(text());
      case 3: {
        std::vector<Value> items;
        for (unsigned n = pick(5); n > 0; --n) items.push_back(make(doc, depth + 1));
        return doc.array(items);
      }
      default: return dict(doc, depth);
    }
  }

  Value dict(Document& doc, int depth) {
    std::vector<DictEntry> entries;
    std::vector<std::string> used;
    for (unsigned n = pick(6); n > 0; --n) {
      std::string key = text();
      bool duplicate = false;
      for (const auto& u : used) duplicate = duplicate || u == key;
      if (duplicate) continue;
      used.push_back(key);
      entries.push_back({doc.intern(key), make(doc, depth + 1)});
    }
    return doc.dict(entries);
  }

 private:
  unsigned pick(unsigned n) { return static_cast<unsigned>(rng_() % n); }

  std::int64_t integer() {
    static const std::int64_t edges[] = {0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, -32768,
                                         INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN};
    if (pick(3) == 0) return edges[pick(std::size(edges))];
    return static_cast<std::int64_t>((static_cast<std::uint64_t>(rng_()) << 32) | rng_()) >> pick(64);
  }

  std::string text() {
    static const char* const pieces[] = {"com.apple.", "security", "a", "", "\xC3\xA9", "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80", "-", "key", "Z", "\x01"};
    std::string out;
    for (unsigned n = pick(4); n > 0; --n) out += pieces[pick(std::size(pieces))];
    if (pick(8) == 0) out += std::string(130 + pick(200), 'x');  // long-form lengths
    return out;
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("der: round trip value -> DER -> value over generated values", "[der]") {
  ValueGenerator gen(20240611);
  for (int i = 0; i < 300; ++i) {
    Document doc;
    doc.set_root(gen.dict(doc, 0));
    const std::string bytes = write_ok(doc.root());
    Document back = read_ok(bytes);
    INFO("case " << i << ": " << spaced_hex(bytes));
    REQUIRE(plist::equivalent(back.root(), doc.root()));
    // Canonical: writing what was read gives the same bytes.
    CHECK(write_ok(back.root()) == bytes);
  }
}

TEST_CASE("der: strict reader rejections, exact id and offset", "[der]") {
  struct Case {
    const char* name;
    const char* hex;
    const char* id;
    std::uint64_t offset;
  };
  const Case cases[] = {
      {"empty input", "", "core.empty_input", 0},
      {"no length byte", "70", "der.header.truncated", 1},
      {"indefinite length", "70 80 02 01 01 B0 00 00 00", "der.length.indefinite", 1},
      {"long form for a short length", "70 81 05 02 01 01 B0 00", "der.length.non_minimal", 1},
      {"leading zero length byte", "70 82 00 05 02 01 01 B0 00", "der.length.non_minimal", 1},
      {"long-form length bytes missing", "70 83 01 00", "der.header.truncated", 1},
      {"length past the end", "70 06 02 01 01 B0 00", "der.length.out_of_range", 1},
      {"length 0xFFFFFFFF", "70 84 FF FF FF FF 02 01 01", "der.length.out_of_range", 1},
      {"nine length bytes", "70 89 01 00 00 00 00 00 00 00 00", "der.length.out_of_range", 1},
      {"bytes after the outermost element", "70 05 02 01 01 B0 00 00", "der.trailing_bytes", 7},
      {"outer SEQUENCE", "30 00", "der.container.unexpected_tag", 0},
      {"bare SET in strict mode", "31 00", "der.noncanonical.set_form", 0},
      {"no version", "70 00", "der.version.not_integer", 2},
      {"version is a string", "70 05 0C 01 31 B0 00", "der.version.not_integer", 2},
      {"version 2", "70 05 02 01 02 B0 00", "der.version.unsupported", 4},
      {"version 0", "70 05 02 01 00 B0 00", "der.version.unsupported", 4},
      {"version not minimal", "70 06 02 02 00 01 B0 00", "der.integer.non_minimal", 4},
      {"no dictionary", "70 03 02 01 01", "der.container.missing_dict", 5},
      {"dictionary is a SEQUENCE", "70 05 02 01 01 30 00", "der.container.unexpected_tag", 5},
      {"SET dictionary in the wrapper", "70 05 02 01 01 31 00", "der.noncanonical.set_form", 5},
      {"element after the dictionary", "70 07 02 01 01 B0 00 05 00", "der.container.trailing", 7},
      {"dictionary member not a SEQUENCE", "70 08 02 01 01 B0 03 0C 01 61", "der.entry.not_sequence", 7},
      {"empty entry", "70 07 02 01 01 B0 02 30 00", "der.entry.bad_arity", 9},
      {"entry without value", "70 0A 02 01 01 B0 05 30 03 0C 01 61", "der.entry.bad_arity", 12},
      {"entry with three elements", "70 10 02 01 01 B0 0B 30 09 0C 01 61 01 01 FF 01 01 00",
       "der.entry.bad_arity", 15},
      {"entry with three elements, container value", "70 0E 02 01 01 B0 09 30 07 0C 01 61 30 00 05 00",
       "der.entry.bad_arity", 14},
      {"key is an INTEGER", "70 0D 02 01 01 B0 08 30 06 02 01 01 01 01 FF", "der.key.not_string", 9},
      {"key not UTF-8", "70 0D 02 01 01 B0 08 30 06 0C 01 FF 01 01 FF", "der.string.invalid_utf8", 11},
      {"key with a bad continuation byte", "70 0F 02 01 01 B0 0A 30 08 0C 03 61 C3 28 01 01 FF",
       "der.string.invalid_utf8", 12},
      {"duplicate key", "70 15 02 01 01 B0 10 30 06 0C 01 61 01 01 FF 30 06 0C 01 61 01 01 00",
       "der.key.duplicate", 17},
      {"keys out of order", "70 15 02 01 01 B0 10 30 06 0C 01 62 01 01 FF 30 06 0C 01 61 01 01 00",
       "der.noncanonical.unsorted_keys", 17},
      {"longer key before its prefix", "70 16 02 01 01 B0 11 30 07 0C 02 61 61 01 01 FF 30 06 0C 01 61 01 01 00",
       "der.noncanonical.unsorted_keys", 18},
      {"BOOLEAN true as 01", "70 0D 02 01 01 B0 08 30 06 0C 01 61 01 01 01", "der.noncanonical.boolean", 14},
      {"BOOLEAN with two bytes", "70 0E 02 01 01 B0 09 30 07 0C 01 61 01 02 FF FF", "der.boolean.bad_length", 12},
      {"BOOLEAN with no bytes", "70 0C 02 01 01 B0 07 30 05 0C 01 61 01 00", "der.boolean.bad_length", 12},
      {"INTEGER with no bytes", "70 0C 02 01 01 B0 07 30 05 0C 01 61 02 00", "der.integer.empty", 14},
      {"INTEGER with a redundant 00", "70 0E 02 01 01 B0 09 30 07 0C 01 61 02 02 00 7F",
       "der.integer.non_minimal", 14},
      {"INTEGER with a redundant FF", "70 0E 02 01 01 B0 09 30 07 0C 01 61 02 02 FF 80",
       "der.integer.non_minimal", 14},
      {"INTEGER of 2^63", "70 15 02 01 01 B0 10 30 0E 0C 01 61 02 09 00 80 00 00 00 00 00 00 00",
       "der.integer.too_large", 14},
      {"NULL value", "70 0C 02 01 01 B0 07 30 05 0C 01 61 05 00", "der.value.unexpected_tag", 12},
      {"high tag number value", "70 0D 02 01 01 B0 08 30 06 0C 01 61 1F 20 00", "der.value.unexpected_tag", 12},
      {"OCTET STRING in strict mode", "70 0D 02 01 01 B0 08 30 06 0C 01 61 04 01 00",
       "der.noncanonical.octet_string", 12},
      {"nested SET dictionary in strict mode", "70 0C 02 01 01 B0 07 30 05 0C 01 61 31 00",
       "der.noncanonical.set_form", 12},
      {"value length past its entry", "70 0D 02 01 01 B0 08 30 06 0C 01 61 01 05 FF", "der.length.out_of_range", 13},
      {"string value not UTF-8 (surrogate)", "70 0F 02 01 01 B0 0A 30 08 0C 01 61 0C 03 ED A0 80",
       "der.string.invalid_utf8", 14},
      {"array item with a bad tag", "70 0E 02 01 01 B0 09 30 07 0C 01 61 30 02 05 00",
       "der.value.unexpected_tag", 14},
      {"array item truncated", "70 0D 02 01 01 B0 08 30 06 0C 01 61 30 01 01", "der.header.truncated", 15},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    check_rejected(unhex(c.hex), c.id, c.offset);
  }
}

TEST_CASE("der: input size limit", "[der]") {
  Limits limits;
  limits.max_input_bytes = 6;
  check_rejected(unhex("70 05 02 01 01 B0 00"), "core.input_too_large", 0, {}, limits);
  limits.max_input_bytes = 7;
  CHECK(read_der(as_bytes(unhex("70 05 02 01 01 B0 00")), {}, limits).ok());
}

namespace {

// {"a": [[[...]]]} with `arrays` nested arrays; `tag_offsets[i]` is where array i starts
// (0 = outermost). Sizes are computed inside out, then the bytes are written front to back.
std::string nested_arrays(std::size_t arrays, std::vector<std::uint64_t>& tag_offsets) {
  auto header = [](std::uint8_t t, std::size_t len) {
    std::string h(1, static_cast<char>(t));
    if (len < 0x80) {
      h += static_cast<char>(len);
    } else {
      std::string bytes;
      for (std::size_t v = len; v; v >>= 8) bytes.insert(bytes.begin(), static_cast<char>(v & 0xFF));
      h += static_cast<char>(0x80 | bytes.size());
      h += bytes;
    }
    return h;
  };
  std::vector<std::size_t> content_sizes(arrays);  // innermost first
  std::size_t size = 0;
  for (std::size_t i = 0; i < arrays; ++i) {
    content_sizes[i] = size;
    size += header(0x30, size).size();
  }
  std::string entry_content = unhex("0C 01 61");
  std::string prefix_entry = header(0x30, 3 + size) + entry_content;
  std::string dict_header = header(0xB0, prefix_entry.size() + size);
  std::string wrapper_content_head = unhex("02 01 01") + dict_header + prefix_entry;
  std::string out = header(0x70, wrapper_content_head.size() + size) + wrapper_content_head;
  tag_offsets.clear();
  for (std::size_t i = arrays; i-- > 0;) {
    tag_offsets.push_back(out.size());
    out += header(0x30, content_sizes[i]);
  }
  return out;
}

}  // namespace

TEST_CASE("der: depth limit at limit-1, limit and limit+1", "[der]") {
  std::vector<std::uint64_t> offsets;
  Limits limits;
  limits.max_depth = 4;  // the root dictionary is depth 1
  CHECK(read_der(as_bytes(nested_arrays(2, offsets)), {}, limits).ok());
  CHECK(read_der(as_bytes(nested_arrays(3, offsets)), {}, limits).ok());
  const std::string over = nested_arrays(4, offsets);
  check_rejected(over, "der.depth.limit", offsets[3], {}, limits);
  auto r = read_der(as_bytes(over), {}, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().message.find("Limits::max_depth") != std::string::npos);
}

TEST_CASE("der: 100000 nested arrays hit the default depth limit without recursion", "[der]") {
  std::vector<std::uint64_t> offsets;
  const std::string deep = nested_arrays(100000, offsets);
  // Root dictionary is depth 1, so array index 511 is depth 513.
  check_rejected(deep, "der.depth.limit", offsets[Limits::default_max_depth - 1]);
  Limits unlimited;
  unlimited.max_depth = 200000;
  auto r = read_der(as_bytes(deep), {}, unlimited);
  REQUIRE(r.ok());
  // The writer is iterative too.
  auto again = write_der(r->root());
  REQUIRE(again.ok());
  CHECK(again.value() == deep);
}

TEST_CASE("der: object limit", "[der]") {
  // {"a": 1, "b": 2, "c": 3}: root + 3 values = 4 objects.
  const std::string bytes =
      unhex("70 1D 02 01 01 B0 18 30 06 0C 01 61 02 01 01 30 06 0C 01 62 02 01 02 30 06 0C 01 63 02 01 03");
  Limits limits;
  limits.max_objects = 4;
  CHECK(read_der(as_bytes(bytes), {}, limits).ok());
  limits.max_objects = 3;
  check_rejected(bytes, "der.objects.limit", 28, {}, limits);
}

TEST_CASE("der: ldid output, lenient and strict", "[der]") {
  // What ldid writes for {"b": true, "c": <00>, "aa": 128, "d": {"x": 2, "y": 1}}: a bare SET
  // whose entries are ordered by their encoded bytes (so "aa", a longer entry, sorts after "c"),
  // true as 01, 128 as 02 01 80, data as OCTET STRING, the nested dictionary as a SET.
  const std::string input = unhex(
      "31 30"
      " 30 06 0C 01 62 01 01 01"     // "b": true as 01
      " 30 06 0C 01 63 04 01 00"     // "c": data
      " 30 07 0C 02 61 61 02 01 80"  // "aa": 128 as ldid writes it
      " 30 15 0C 01 64 31 10"        // "d": nested SET
      "   30 06 0C 01 78 02 01 02"
      "   30 06 0C 01 79 02 01 01");

  SECTION("strict rejects the bare SET first") {
    check_rejected(input, "der.noncanonical.set_form", 0);
  }
  SECTION("lenient reads it as the OS does: 02 01 80 is -128") {
    DerDeviations dev;
    Document doc = read_ok(input, DerOptions::lenient(), &dev);
    const Value& root = doc.root();
    REQUIRE(root.size() == 4);
    CHECK(root.as_dict()[0].key == "b");  // input order is kept
    CHECK(root.as_dict()[2].key == "aa");
    CHECK(root.find("b")->as_bool());
    CHECK(root.find("aa")->as_integer() == Integer::from_signed(-128));
    REQUIRE(root.find("c")->is(Type::data));
    CHECK(root.find("c")->as_data().size() == 1);
    CHECK(root.find("d")->find("x")->as_integer() == Integer::from_signed(2));
    CHECK(dev.set_form);
    CHECK(dev.nonzero_true);
    CHECK(dev.unsorted_keys);
    CHECK(dev.data_values);
    CHECK(dev.any());
  }
  SECTION("ldid preset recovers ldid's unsigned 128") {
    Document doc = read_ok(input, DerOptions::ldid());
    CHECK(doc.root().find("aa")->as_integer() == Integer::from_signed(128));
  }
  SECTION("each leniency alone, others strict") {
    DerOptions options;
    options.allow_set_form = true;
    check_rejected(input, "der.noncanonical.boolean", 9, options);
    options.allow_nonzero_true = true;
    check_rejected(input, "der.noncanonical.octet_string", 15, options);
    options.allow_data = true;
    check_rejected(input, "der.noncanonical.unsorted_keys", 20, options);
    options.allow_unsorted_keys = true;
    CHECK(read_der(as_bytes(input), options).ok());
  }
}

TEST_CASE("der: canonical input reports no deviations", "[der]") {
  DerDeviations dev;
  read_ok(unhex("70 0F 02 01 01 B0 0A 30 08 0C 03 6B 65 79 01 01 FF"), DerOptions::lenient(), &dev);
  CHECK_FALSE(dev.any());
}

TEST_CASE("der: lenient still rejects duplicates, also out of order", "[der]") {
  // SET { "b", "a", "b" }
  const std::string bytes = unhex(
      "31 18 30 06 0C 01 62 01 01 FF 30 06 0C 01 61 01 01 FF 30 06 0C 01 62 01 01 00");
  check_rejected(bytes, "der.key.duplicate", 20, DerOptions::lenient());
}

TEST_CASE("der: ldid integers", "[der]") {
  struct Case {
    const char* integer;
    std::int64_t strict_value;
    std::int64_t ldid_value;
  };
  const Case cases[] = {
      {"02 01 00", 0, 0},
      {"02 01 7F", 127, 127},
      {"02 01 80", -128, 128},
      {"02 01 FF", -1, 255},
      {"02 02 80 00", -32768, 32768},
      {"02 02 00 80", 128, 128},  // canonical positive reads the same
      {"02 08 7F FF FF FF FF FF FF FF", INT64_MAX, INT64_MAX},
  };
  for (const auto& c : cases) {
    INFO(c.integer);
    const std::string integer = unhex(c.integer);
    std::string bytes = unhex("31");
    bytes += static_cast<char>(2 + 3 + integer.size());
    bytes += unhex("30");
    bytes += static_cast<char>(3 + integer.size());
    bytes += unhex("0C 01 69") + integer;
    CHECK(read_ok(bytes, DerOptions::lenient()).root().find("i")->as_integer() ==
          Integer::from_signed(c.strict_value));
    CHECK(read_ok(bytes, DerOptions::ldid()).root().find("i")->as_integer() ==
          Integer::from_signed(c.ldid_value));
  }
  // ldid writes a negative libplist integer as its 8-byte pattern; DER calls that non-minimal.
  const std::string minus_one = unhex("31 0F 30 0D 0C 01 69 02 08 FF FF FF FF FF FF FF FF");
  check_rejected(minus_one, "der.integer.non_minimal", 9, DerOptions::lenient());
  CHECK(read_ok(minus_one, DerOptions::ldid()).root().find("i")->as_integer() == Integer::from_signed(-1));
}

TEST_CASE("der: writer rejects values DER cannot hold, naming the path", "[der]") {
  Document doc;
  auto check = [](const Value& v, std::string_view message_part) {
    auto r = write_der(v);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().describe());
    CHECK(r.error().id() == "der.not_representable");
    CHECK(r.error().offset == 0);
    CHECK(r.error().message.find(message_part) != std::string::npos);
  };
  check(one_entry(doc, "k", doc.data(as_bytes("xy"))), "data value at [\"k\"]");
  Value items[] = {Value::boolean(true), Value::real(1.5)};
  check(one_entry(doc, "a", doc.array(items)), "real value at [\"a\"][1]");
  check(one_entry(doc, "o", one_entry(doc, "when", Value::date(0))), "date value at [\"o\"][\"when\"]");
  check(one_entry(doc, "u", Value::uid(3)), "uid value at [\"u\"]");
  check(one_entry(doc, "big", Value::integer(Integer::from_unsigned(UINT64_MAX))),
        "integer above INT64_MAX at [\"big\"]");
  check(one_entry(doc, "q\"uote", Value::uid(1)), "at [\"q\\\"uote\"]");
  check(doc.array({}), "array root (must be dict)");
  DictEntry dup[] = {{doc.intern("x"), Value::boolean(true)}, {doc.intern("x"), Value::boolean(false)}};
  check(one_entry(doc, "outer", doc.dict(dup)), "duplicate key at [\"outer\"][\"x\"]");
  // INT64_MAX itself is fine.
  CHECK(write_der(one_entry(doc, "m", Value::integer(Integer::from_unsigned(INT64_MAX)))).ok());
}

TEST_CASE("der: real-world entitlements, XML -> DER -> value", "[der][realworld]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(ENTSIG_SHARED_DIR) / "realworld" / "entitlements";
  if (!fs::is_directory(dir)) {
    WARN("real-world entitlements not found at " << dir << "; skipped");
    return;
  }
  std::size_t converted = 0, skipped = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(entry.path().filename().string());
    auto doc = plist::read_xml(as_bytes(xml));
    INFO((doc.ok() ? std::string() : doc.error().describe()));
    REQUIRE(doc.ok());
    auto der = write_der(doc->root());
    if (!der.ok()) {
      CHECK(der.error().id() == "der.not_representable");
      ++skipped;
      continue;
    }
    Document back = read_ok(der.value());
    CHECK(plist::equivalent(back.root(), doc->root()));
    CHECK(write_ok(back.root()) == der.value());
    ++converted;
  }
  CHECK(converted > 0);
  WARN(converted << " real-world entitlements round-tripped, " << skipped << " not representable");
}

namespace {

// Payloads of the blobs in code signature SuperBlob slot `slot` (0xfade0cc0) found in a file,
// with the payload's offset in the file (after the 8-byte blob header).
std::vector<std::pair<std::uint64_t, std::string>> signature_blobs(const std::string& file,
                                                                   std::uint32_t slot) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& e : entsig_test::superblob_entries(file)) {
    if (e.type != slot || e.offset + 8 > e.superblob_length) continue;
    const std::uint64_t blob = e.superblob_at + e.offset;
    const std::uint64_t blob_length = entsig_test::big_endian_u32_at(file, blob + 4);
    if (blob_length < 8 || e.offset + blob_length > e.superblob_length) continue;
    out.push_back({blob + 8, file.substr(blob + 8, blob_length - 8)});
  }
  return out;
}

}  // namespace

TEST_CASE("der: real-world Mach-O DER entitlement blobs", "[der][realworld]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(ENTSIG_SHARED_DIR) / "realworld" / "macho";
  if (!fs::is_directory(dir)) {
    WARN("real-world Mach-O files not found at " << dir << "; skipped");
    return;
  }
  std::size_t canonical = 0, legacy = 0, compared = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(entry.path().filename().string());
    const auto xml_blobs = signature_blobs(file, 5);  // 0xfade7171 XML entitlements
    for (const auto& [offset, payload] : signature_blobs(file, 7)) {
      INFO("DER payload at " << offset << ": " << spaced_hex(payload.substr(0, 16)));
      REQUIRE_FALSE(payload.empty());
      DerDeviations dev;
      Document doc;
      if (static_cast<unsigned char>(payload[0]) == 0x70) {
        // Apple's encoder: strict read, and our writer reproduces the bytes exactly.
        doc = read_ok(payload);
        CHECK(write_ok(doc.root()) == payload);
        ++canonical;
      } else {
        // Other signers' legacy SET form: strict names it, lenient reads it.
        check_rejected(payload, "der.noncanonical.set_form", 0);
        doc = read_ok(payload, DerOptions::lenient(), &dev);
        CHECK(dev.set_form);
        ++legacy;
      }
      // The XML blob of the same signature holds the same entitlements.
      for (const auto& [xml_offset, xml] : xml_blobs) {
        if (xml_offset > offset || offset - xml_offset > 4096) continue;  // same SuperBlob
        auto from_xml = plist::read_xml(as_bytes(xml));
        INFO((from_xml.ok() ? std::string() : from_xml.error().describe()));
        REQUIRE(from_xml.ok());
        CHECK(plist::equivalent(doc.root(), from_xml->root()));
        ++compared;
      }
    }
  }
  CHECK(canonical > 0);
  CHECK(compared >= canonical + legacy);
  WARN(canonical << " canonical and " << legacy << " legacy DER entitlement blobs decoded, "
                 << compared << " compared with their XML blob");
}

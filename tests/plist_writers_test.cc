// Writers (XML, tagged JSON), the tagged-JSON reader, format detection and read_any.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;

namespace {

const std::string kXmlHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n";

std::string tagged(const Value& v) { return write_tagged_json(v).value(); }

// A scalar's compact tagged JSON.
std::string tagged_scalar(std::string_view type, std::string_view value) {
  return "{\"type\":\"" + std::string(type) + "\",\"value\":\"" + std::string(value) + "\"}";
}

Value sample_document(Document& doc) {
  Value list_items[] = {Value::integer(Integer::from_signed(1)), doc.dict({}), doc.array({}), Value::uid(7)};
  DictEntry entries[] = {
      {doc.intern("name"), doc.string("a<b>&c")},
      {doc.intern("count"), Value::integer(Integer::from_signed(-5))},
      {doc.intern("big"), Value::integer(Integer::from_unsigned(UINT64_MAX))},
      {doc.intern("ratio"), Value::real(0.5)},
      {doc.intern("third"), Value::real(0.1)},
      {doc.intern("on"), Value::boolean(true)},
      {doc.intern("off"), Value::boolean(false)},
      {doc.intern("when"), Value::date(0)},
      {doc.intern("blob"), doc.data(as_bytes("hello"))},
      {doc.intern("list"), doc.array(list_items)},
      {doc.intern("k&y"), doc.string("")},
  };
  return doc.dict(entries);
}

const std::string kSampleXml = kXmlHeader +
                               "<dict>\n"
                               "\t<key>name</key>\n"
                               "\t<string>a&lt;b&gt;&amp;c</string>\n"
                               "\t<key>count</key>\n"
                               "\t<integer>-5</integer>\n"
                               "\t<key>big</key>\n"
                               "\t<integer>18446744073709551615</integer>\n"
                               "\t<key>ratio</key>\n"
                               "\t<real>0.5</real>\n"
                               "\t<key>third</key>\n"
                               "\t<real>0.1</real>\n"
                               "\t<key>on</key>\n"
                               "\t<true/>\n"
                               "\t<key>off</key>\n"
                               "\t<false/>\n"
                               "\t<key>when</key>\n"
                               "\t<date>2001-01-01T00:00:00Z</date>\n"
                               "\t<key>blob</key>\n"
                               "\t<data>\n"
                               "\taGVsbG8=\n"
                               "\t</data>\n"
                               "\t<key>list</key>\n"
                               "\t<array>\n"
                               "\t\t<integer>1</integer>\n"
                               "\t\t<dict/>\n"
                               "\t\t<array/>\n"
                               "\t\t<dict>\n"
                               "\t\t\t<key>CF$UID</key>\n"
                               "\t\t\t<integer>7</integer>\n"
                               "\t\t</dict>\n"
                               "\t</array>\n"
                               "\t<key>k&amp;y</key>\n"
                               "\t<string></string>\n"
                               "</dict>\n"
                               "</plist>\n";

// Wraps a scalar's XML element as the root of a document.
std::string xml_root(const std::string& element) { return kXmlHeader + element + "</plist>\n"; }

// `depth` arrays nested in one another, the innermost empty.
Value nested_arrays(Document& doc, std::size_t depth) {
  Value v = doc.array({});
  for (std::size_t i = 1; i < depth; ++i) v = doc.array({&v, 1});
  return v;
}

std::string nested_tagged_arrays(std::size_t depth) {
  std::string s;
  for (std::size_t i = 1; i < depth; ++i) s += "{\"type\":\"array\",\"value\":[";
  s += "{\"type\":\"array\",\"value\":[]}";
  for (std::size_t i = 1; i < depth; ++i) s += "]}";
  return s;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// ---------------------------------------------------------------------------
// Random values for round trips. `xml_safe` keeps to values strict XML reads back exactly:
// finite reals, whole-second dates in 0001-9999, strings without CR or NUL, non-empty keys.

class ValueGenerator {
 public:
  ValueGenerator(std::uint64_t seed, bool xml_safe) : rng_(seed), xml_safe_(xml_safe) {}

  Value make(Document& doc, int depth) {
    const int kinds = depth >= 4 ? 7 : 9;
    switch (pick(kinds)) {
      case 0: return doc.string(text());
      case 1: return Value::integer(integer());
      case 2: return Value::real(real());
      case 3: return Value::boolean(pick(2) == 1);
      case 4: return Value::date(date());
      case 5: {
        std::string bytes = raw_bytes(pick(100));
        return doc.data(as_bytes(bytes));
      }
      case 6: return Value::uid(rng_() >> 32);  // 32-bit, as CF's readers and writer require
      case 7: {
        std::vector<Value> items;
        for (std::size_t i = 0, n = pick(5); i < n; ++i) items.push_back(make(doc, depth + 1));
        return doc.array(items);
      }
      default: {
        std::vector<DictEntry> entries;
        for (std::size_t i = 0, n = pick(5); i < n; ++i)
          entries.push_back({doc.intern(text() + "#" + std::to_string(i)), make(doc, depth + 1)});
        return doc.dict(entries);
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

  std::string text() {
    static const char* const kPieces[] = {"a", "Z", " ", "<", ">", "&", "\"", "'", "\t", "\n", "é", "😀",
                                          "日本", "]]>", "&amp;", "\x01", "\x7f", "\r"};
    std::string out;
    for (std::size_t i = 0, n = pick(8); i < n; ++i) {
      const std::size_t k = pick(std::size(kPieces) + 1);
      if (k == std::size(kPieces))
        out.push_back('\0');
      else
        out += kPieces[k];
    }
    if (xml_safe_) {
      std::string clean;
      for (char c : out)
        if (c != '\r' && c != '\0') clean += c;
      return clean;
    }
    return out;
  }

  Integer integer() {
    switch (pick(4)) {
      case 0: return Integer::from_signed(static_cast<std::int64_t>(rng_()));
      case 1: return Integer::from_unsigned(rng_());
      case 2: return Integer::from_signed(static_cast<std::int64_t>(pick(2001)) - 1000);
      default: return pick(2) ? Integer::from_signed(INT64_MIN) : Integer::from_unsigned(UINT64_MAX);
    }
  }

  double real() {
    if (!xml_safe_ && pick(8) == 0) {
      const double specials[] = {std::numeric_limits<double>::quiet_NaN(), INFINITY, -INFINITY};
      return specials[pick(3)];
    }
    switch (pick(5)) {
      case 0: {
        double d;
        std::uint64_t bits = rng_();
        std::memcpy(&d, &bits, sizeof d);
        return std::isfinite(d) ? d : 1.25;
      }
      case 1: return static_cast<double>(static_cast<std::int64_t>(rng_() % 2000001) - 1000000) / 1000.0;
      case 2: return pick(2) ? 0.0 : -0.0;
      case 3: return std::ldexp(static_cast<double>(rng_() >> 11), -static_cast<int>(pick(1100)));
      default: return 0.1 * static_cast<double>(pick(100));
    }
  }

  double date() {
    // Whole seconds between 0001-01-01 and 9999-12-31.
    const double whole = std::floor(-63113904000.0 + static_cast<double>(rng_() % 315537897600ull));
    if (xml_safe_ || pick(2) == 0) return whole;
    return whole + static_cast<double>(pick(1000000)) / 1048576.0;
  }

  std::string raw_bytes(std::size_t n) {
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(rng_());
    return out;
  }

  std::mt19937_64 rng_;
  bool xml_safe_;
};

}  // namespace

// ---------------------------------------------------------------------------
// XML writer

TEST_CASE("plist writers: XML layout matches Apple's, every type", "[plist]") {
  Document doc;
  doc.set_root(sample_document(doc));
  CHECK(write_xml(doc.root()).value() == kSampleXml);
}

TEST_CASE("plist writers: XML scalars at the root and reals", "[plist]") {
  CHECK(write_xml(Value::boolean(true)).value() == xml_root("<true/>\n"));
  CHECK(write_xml(Value::integer(Integer::from_signed(INT64_MIN))).value() ==
        xml_root("<integer>-9223372036854775808</integer>\n"));
  CHECK(write_xml(Value::real(1e300)).value() == xml_root("<real>1e+300</real>\n"));
  CHECK(write_xml(Value::real(-0.0)).value() == xml_root("<real>-0</real>\n"));
  CHECK(write_xml(Value::real(3.0)).value() == xml_root("<real>3</real>\n"));
  // Non-finite reals as CoreFoundation writes them.
  CHECK(write_xml(Value::real(NAN)).value() == xml_root("<real>nan</real>\n"));
  CHECK(write_xml(Value::real(INFINITY)).value() == xml_root("<real>+infinity</real>\n"));
  CHECK(write_xml(Value::real(-INFINITY)).value() == xml_root("<real>-infinity</real>\n"));
  CHECK(write_xml(Value::uid(UINT64_MAX)).value() ==
        xml_root("<dict>\n\t<key>CF$UID</key>\n\t<integer>18446744073709551615</integer>\n</dict>\n"));
  Document doc;
  CHECK(write_xml(doc.string("\x01 \"quoted\" 'x' ]]> é")).value() ==
        xml_root("<string>\x01 \"quoted\" 'x' ]]&gt; é</string>\n"));
  CHECK(write_xml(doc.dict({})).value() == xml_root("<dict/>\n"));
  CHECK(write_xml(doc.array({})).value() == xml_root("<array/>\n"));
  CHECK(write_xml(doc.data({})).value() == xml_root("<data>\n</data>\n"));
}

TEST_CASE("plist writers: XML data lines are 76 - 8 * depth wide, capped at 8 tabs", "[plist]") {
  std::string bytes(200, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + 3);
  const std::string b64 = base64_encode(as_bytes(bytes));  // 268 characters
  REQUIRE(b64.size() == 268);
  Document doc;
  // Root: 76 per line.
  CHECK(write_xml(doc.data(as_bytes(bytes))).value() ==
        xml_root("<data>\n" + b64.substr(0, 76) + "\n" + b64.substr(76, 76) + "\n" + b64.substr(152, 76) + "\n" +
                 b64.substr(228) + "\n</data>\n"));
  // Depth 1 (inside an array): 68 per line, one tab.
  Value in_array = doc.data(as_bytes(bytes.substr(0, 102)));  // 136 characters: two full lines
  CHECK(write_xml(doc.array({&in_array, 1})).value() ==
        xml_root("<array>\n\t<data>\n\t" + b64.substr(0, 68) + "\n\t" +
                 base64_encode(as_bytes(bytes.substr(0, 102))).substr(68) + "\n\t</data>\n</array>\n"));
  // Depth 10: lines keep 8 tabs and 12 characters; the closing tag has all 10.
  Value v = doc.data(as_bytes(bytes.substr(0, 10)));  // "AwoRGB8mLTQ7Qg==": 16 characters
  for (int i = 0; i < 10; ++i) v = doc.array({&v, 1});
  const std::string xml = write_xml(v).value();
  const std::string expected_lines = std::string(10, '\t') + "<data>\n" + std::string(8, '\t') + "AwoRGB8mLTQ7\n" +
                                     std::string(8, '\t') + "Qg==\n" + std::string(10, '\t') + "</data>\n";
  CHECK(base64_encode(as_bytes(bytes.substr(0, 10))) == "AwoRGB8mLTQ7Qg==");
  CHECK(xml.find(expected_lines) != std::string::npos);
}

TEST_CASE("plist writers: XML writer handles nesting far past any read limit", "[plist]") {
  Document doc;
  const std::size_t depth = 2000;  // the output grows with depth squared (one tab per level)
  const std::string xml = write_xml(nested_arrays(doc, depth)).value();
  // Line i (0-based) holds i tabs; the innermost is <array/>.
  CHECK(xml.size() == kXmlHeader.size() + 2 * (depth - 1) * 8 + (depth - 1) * (depth - 1) +
                          (depth - 1) + 9 + std::string("</plist>\n").size());
  CHECK(xml.find(std::string(depth - 1, '\t') + "<array/>\n") != std::string::npos);
}

TEST_CASE("plist writers: check_xml_writable refuses NUL and unwritable dates", "[plist]") {
  Document doc;
  CHECK(check_xml_writable(doc.string("fine")).ok());
  CHECK(check_xml_writable(Value::date(-63113904000.0)).ok());  // 0001-01-01
  Value nul = doc.string(std::string("ab\0c", 4));
  DictEntry entry{doc.intern("k"), nul};
  auto s = check_xml_writable(doc.dict({&entry, 1}));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().id() == "plist.write.nul_in_string");
  CHECK(s.error().offset == 0);
  CHECK(s.error().message == "a string or key holds U+0000, which XML cannot carry: string at byte 2");
  DictEntry key_entry{doc.intern(std::string("\0", 1)), Value::boolean(true)};
  auto k = check_xml_writable(doc.dict({&key_entry, 1}));
  REQUIRE_FALSE(k.ok());
  CHECK(k.error().message.ends_with(": key at byte 0"));
  auto d = check_xml_writable(Value::date(NAN));
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().id() == "plist.write.date_not_representable");
  CHECK(d.error().message.ends_with(": nan s since 2001"));
  CHECK_FALSE(check_xml_writable(Value::date(1e300)).ok());
}

// ---------------------------------------------------------------------------
// Tagged JSON writer

TEST_CASE("plist writers: tagged JSON integers, reals, bools, uids", "[plist]") {
  CHECK(tagged(Value::integer(Integer::from_unsigned(UINT64_MAX))) == tagged_scalar("integer", "18446744073709551615"));
  CHECK(tagged(Value::integer(Integer::from_signed(INT64_MIN))) == tagged_scalar("integer", "-9223372036854775808"));
  CHECK(tagged(Value::integer(Integer::from_signed(-5))) == tagged_scalar("integer", "-5"));
  CHECK(tagged(Value::integer(Integer::from_signed(0))) == tagged_scalar("integer", "0"));
  CHECK(tagged(Value::real(NAN)) == tagged_scalar("real", "nan"));
  CHECK(tagged(Value::real(-NAN)) == tagged_scalar("real", "nan"));
  CHECK(tagged(Value::real(INFINITY)) == tagged_scalar("real", "inf"));
  CHECK(tagged(Value::real(-INFINITY)) == tagged_scalar("real", "-inf"));
  CHECK(tagged(Value::real(-0.0)) == tagged_scalar("real", "-0"));
  CHECK(tagged(Value::real(0.0)) == tagged_scalar("real", "0"));
  CHECK(tagged(Value::real(0.1)) == tagged_scalar("real", "0.1"));
  CHECK(tagged(Value::real(1.5)) == tagged_scalar("real", "1.5"));
  CHECK(tagged(Value::real(1e300)) == tagged_scalar("real", "1e+300"));
  CHECK(tagged(Value::real(5e-324)) == tagged_scalar("real", "5e-324"));
  CHECK(tagged(Value::boolean(true)) == tagged_scalar("bool", "true"));
  CHECK(tagged(Value::boolean(false)) == tagged_scalar("bool", "false"));
  CHECK(tagged(Value::uid(0)) == tagged_scalar("uid", "0"));
  CHECK(tagged(Value::uid(UINT64_MAX)) == tagged_scalar("uid", "18446744073709551615"));
}

TEST_CASE("plist writers: tagged JSON dates", "[plist]") {
  CHECK(tagged(Value::date(0)) == tagged_scalar("date", "2001-01-01T00:00:00Z"));
  CHECK(tagged(Value::date(-0.0)) == tagged_scalar("date", "2001-01-01T00:00:00Z"));
  CHECK(tagged(Value::date(599529600)) == tagged_scalar("date", "2020-01-01T00:00:00Z"));
  CHECK(tagged(Value::date(0.5)) == tagged_scalar("date", "2001-01-01T00:00:00.5Z"));
  CHECK(tagged(Value::date(599529600.125)) == tagged_scalar("date", "2020-01-01T00:00:00.125Z"));
  // Before a whole second: the earlier second plus the complement of the fraction.
  CHECK(tagged(Value::date(-0.25)) == tagged_scalar("date", "2000-12-31T23:59:59.75Z"));
  CHECK(tagged(Value::date(-1.1)) == tagged_scalar("date", "2000-12-31T23:59:58.9Z"));
  // Fractions the shortest way that reads back: 0.1 s after a whole second.
  CHECK(tagged(Value::date(1.1)) == tagged_scalar("date", "2001-01-01T00:00:01.1Z"));
  // Not finite, or outside 0001-9999: seconds since 2001 as a real.
  CHECK(tagged(Value::date(NAN)) == tagged_scalar("date", "nan"));
  CHECK(tagged(Value::date(-INFINITY)) == tagged_scalar("date", "-inf"));
  CHECK(tagged(Value::date(1e12)) == tagged_scalar("date", "1e+12"));
  CHECK(tagged(Value::date(-63113904001.0)) == tagged_scalar("date", "-63113904001"));  // 0000-12-31T23:59:59
  CHECK(tagged(Value::date(-63113904000.0)) == tagged_scalar("date", "0001-01-01T00:00:00Z"));
}

TEST_CASE("plist writers: tagged JSON strings, data and escaping", "[plist]") {
  Document doc;
  CHECK(tagged(doc.string("")) == tagged_scalar("string", ""));
  CHECK(tagged(doc.string("é日😀")) == tagged_scalar("string", "é日😀"));
  CHECK(tagged(doc.string(std::string("\x01\x1f\n\t\r\b\f\"\\/\x7f\0z", 13))) ==
        tagged_scalar("string", "\\u0001\\u001f\\n\\t\\r\\b\\f\\\"\\\\/\x7f\\u0000z"));
  // Bytes that are not UTF-8 (only hand-built values can hold them) become U+FFFD.
  CHECK(tagged(doc.string("a\xff" "b\xe2\x82")) == tagged_scalar("string", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD"));
  CHECK(tagged(doc.data({})) == tagged_scalar("data", ""));
  CHECK(tagged(doc.data(as_bytes("hello"))) == tagged_scalar("data", "aGVsbG8="));
  CHECK(tagged(doc.dict({})) == "{\"type\":\"dict\",\"value\":{}}");
  CHECK(tagged(doc.array({})) == "{\"type\":\"array\",\"value\":[]}");
  DictEntry entries[] = {{doc.intern("k\"\n\x02"), Value::boolean(true)}, {doc.intern(""), doc.array({})}};
  CHECK(tagged(doc.dict(entries)) ==
        "{\"type\":\"dict\",\"value\":{\"k\\\"\\n\\u0002\":{\"type\":\"bool\",\"value\":\"true\"},"
        "\"\":{\"type\":\"array\",\"value\":[]}}}");
}

TEST_CASE("plist writers: tagged JSON keeps dict order, compact and pretty", "[plist]") {
  Document doc;
  doc.set_root(sample_document(doc));
  CHECK(write_tagged_json(doc.root()).value() ==
        "{\"type\":\"dict\",\"value\":{"
        "\"name\":{\"type\":\"string\",\"value\":\"a<b>&c\"},"
        "\"count\":{\"type\":\"integer\",\"value\":\"-5\"},"
        "\"big\":{\"type\":\"integer\",\"value\":\"18446744073709551615\"},"
        "\"ratio\":{\"type\":\"real\",\"value\":\"0.5\"},"
        "\"third\":{\"type\":\"real\",\"value\":\"0.1\"},"
        "\"on\":{\"type\":\"bool\",\"value\":\"true\"},"
        "\"off\":{\"type\":\"bool\",\"value\":\"false\"},"
        "\"when\":{\"type\":\"date\",\"value\":\"2001-01-01T00:00:00Z\"},"
        "\"blob\":{\"type\":\"data\",\"value\":\"aGVsbG8=\"},"
        "\"list\":{\"type\":\"array\",\"value\":["
        "{\"type\":\"integer\",\"value\":\"1\"},"
        "{\"type\":\"dict\",\"value\":{}},"
        "{\"type\":\"array\",\"value\":[]},"
        "{\"type\":\"uid\",\"value\":\"7\"}]},"
        "\"k&y\":{\"type\":\"string\",\"value\":\"\"}}}");
  Value inner[] = {Value::integer(Integer::from_signed(1)), doc.dict({})};
  DictEntry entries[] = {{doc.intern("k"), doc.string("v")}, {doc.intern("a"), doc.array(inner)}};
  CHECK(write_tagged_json(doc.dict(entries), true).value() ==
        "{\n"
        "  \"type\": \"dict\",\n"
        "  \"value\": {\n"
        "    \"k\": {\"type\": \"string\", \"value\": \"v\"},\n"
        "    \"a\": {\n"
        "      \"type\": \"array\",\n"
        "      \"value\": [\n"
        "        {\"type\": \"integer\", \"value\": \"1\"},\n"
        "        {\"type\": \"dict\", \"value\": {}}\n"
        "      ]\n"
        "    }\n"
        "  }\n"
        "}");
  CHECK(write_tagged_json(Value::boolean(true), true).value() == "{\"type\": \"bool\", \"value\": \"true\"}");
}

TEST_CASE("plist writers: tagged JSON writer handles deep nesting iteratively", "[plist]") {
  Document doc;
  const std::size_t depth = 100000;
  CHECK(write_tagged_json(nested_arrays(doc, depth)).value() == nested_tagged_arrays(depth));
}

// ---------------------------------------------------------------------------
// Tagged JSON reader

TEST_CASE("plist tagged json: reads back every writer output", "[plist]") {
  Document doc;
  doc.set_root(sample_document(doc));
  for (bool pretty : {false, true}) {
    auto back = read_tagged_json(write_tagged_json(doc.root(), pretty).value());
    REQUIRE(back.ok());
    CHECK(equal(back->root(), doc.root()));
  }
  const double dates[] = {0.0, 0.5, -0.25, -1.1, 1.1, 599529600.125, 1e-300, -1e-300, 252423993599.75,
                          -63113904000.0 + 1e-6, NAN, INFINITY, -INFINITY, 1e12, -1e300, 5e-324};
  for (double t : dates) {
    const std::string text = tagged(Value::date(t));
    auto back = read_tagged_json(text);
    INFO(text);
    REQUIRE(back.ok());
    REQUIRE(back->root().is(Type::date));
    CHECK(same_bits(back->root().as_date(), std::isnan(t) ? std::numeric_limits<double>::quiet_NaN() : t));
  }
}

TEST_CASE("plist tagged json: accepted spellings", "[plist]") {
  auto read_root = [](std::string_view text) {
    auto r = read_tagged_json(text);
    REQUIRE(r.ok());
    return std::move(r).value();
  };
  {
    auto d = read_root(" \n{ \"type\" : \"integer\" , \"value\" : \"-9223372036854775808\" }\r\n\t");
    CHECK(d.root().as_integer() == Integer::from_signed(INT64_MIN));
  }
  CHECK(read_root(tagged_scalar("integer", "18446744073709551615")).root().as_integer() ==
        Integer::from_unsigned(UINT64_MAX));
  CHECK(read_root(tagged_scalar("real", "1.50")).root().as_real() == 1.5);
  CHECK(read_root(tagged_scalar("real", "-0")).root().as_real() == 0.0);
  CHECK(std::signbit(read_root(tagged_scalar("real", "-0")).root().as_real()));
  CHECK(read_root(tagged_scalar("real", "2E-3")).root().as_real() == 0.002);
  CHECK(std::isnan(read_root(tagged_scalar("real", "nan")).root().as_real()));
  CHECK(read_root(tagged_scalar("real", "-inf")).root().as_real() == -INFINITY);
  CHECK(read_root(tagged_scalar("string", "\\u00e9\\ud83d\\ude00\\/")).root().as_string() == "é😀/");
  CHECK(read_root(tagged_scalar("uid", "42")).root().as_uid() == 42);
  CHECK(read_root(tagged_scalar("data", "")).root().as_data().size() == 0);
}

namespace {

struct JsonErrorCase {
  const char* name;
  std::string text;
  const char* id;
  std::uint64_t offset;
};

}  // namespace

TEST_CASE("plist tagged json: rejections with exact id and offset", "[plist]") {
  const std::string dup = "{\"type\":\"dict\",\"value\":{\"a\":" + tagged_scalar("bool", "true") +
                          ",\"a\":" + tagged_scalar("bool", "true") + "}}";
  const JsonErrorCase cases[] = {
      {"empty", "", "core.empty_input", 0},
      {"only whitespace", "  \n", "core.empty_input", 3},
      {"array root", "[]", "plist.json.not_tagged", 0},
      {"number root", "5", "plist.json.not_tagged", 0},
      {"garbage root", "x", "plist.json.syntax", 0},
      {"empty object", "{}", "plist.json.not_tagged", 1},
      {"value first", "{\"value\":\"x\",\"type\":\"string\"}", "plist.json.not_tagged", 1},
      {"type not a string", "{\"type\":1,\"value\":\"x\"}", "plist.json.not_tagged", 8},
      {"unknown type", "{\"type\":\"strin\",\"value\":\"x\"}", "plist.json.unknown_type", 8},
      {"missing value", "{\"type\":\"string\"}", "plist.json.not_tagged", 16},
      {"missing colon", "{\"type\" \"string\"}", "plist.json.syntax", 8},
      {"extra member", "{\"type\":\"string\",\"value\":\"x\",\"extra\":1}", "plist.json.not_tagged", 28},
      {"scalar value not string", "{\"type\":\"integer\",\"value\":5}", "plist.json.not_tagged", 26},
      {"dict value is array", "{\"type\":\"dict\",\"value\":[]}", "plist.json.not_tagged", 23},
      {"array value is object", "{\"type\":\"array\",\"value\":{}}", "plist.json.not_tagged", 24},
      {"trailing content", tagged_scalar("bool", "true") + " x", "plist.json.trailing_content", 31},
      {"unterminated", "{\"type\":\"string\",\"value\":\"x\"", "plist.json.syntax", 28},
      {"unterminated string", "{\"type\":\"string\",\"value\":\"x", "plist.json.syntax", 25},
      {"trailing comma", "{\"type\":\"array\",\"value\":[" + tagged_scalar("bool", "true") + ",]}",
       "plist.json.syntax", 56},
      {"missing comma", "{\"type\":\"array\",\"value\":[" + tagged_scalar("bool", "true") + " " +
                            tagged_scalar("bool", "true") + "]}",
       "plist.json.syntax", 56},
      {"duplicate key", dup, "plist.json.duplicate_key", 59},
      {"raw tab in string", "{\"type\":\"string\",\"value\":\"a\tb\"}", "plist.json.bad_string", 27},
      {"invalid UTF-8", "{\"type\":\"string\",\"value\":\"a\xff\"}", "plist.json.bad_string", 27},
      {"bad escape", "{\"type\":\"string\",\"value\":\"\\x\"}", "plist.json.bad_string", 26},
      {"short \\u", "{\"type\":\"string\",\"value\":\"\\u12\"}", "plist.json.bad_string", 26},
      {"lone high surrogate", "{\"type\":\"string\",\"value\":\"a\\ud800\"}", "plist.json.bad_string", 27},
      {"lone low surrogate", "{\"type\":\"string\",\"value\":\"\\udc00\"}", "plist.json.bad_string", 26},
      {"integer leading zero", tagged_scalar("integer", "01"), "plist.json.bad_value", 26},
      {"integer minus zero", tagged_scalar("integer", "-0"), "plist.json.bad_value", 26},
      {"integer plus", tagged_scalar("integer", "+1"), "plist.json.bad_value", 26},
      {"integer above 2^64-1", tagged_scalar("integer", "18446744073709551616"), "plist.json.bad_value", 26},
      {"integer below -2^63", tagged_scalar("integer", "-9223372036854775809"), "plist.json.bad_value", 26},
      {"real overflow", tagged_scalar("real", "1e400"), "plist.json.bad_value", 23},
      {"real NaN spelling", tagged_scalar("real", "NaN"), "plist.json.bad_value", 23},
      {"real leading dot", tagged_scalar("real", ".5"), "plist.json.bad_value", 23},
      {"bool", tagged_scalar("bool", "True"), "plist.json.bad_value", 23},
      {"date trailing zero", tagged_scalar("date", "2020-01-01T00:00:00.50Z"), "plist.json.bad_value", 23},
      {"date seconds form in range", tagged_scalar("date", "0"), "plist.json.bad_value", 23},
      {"date field range", tagged_scalar("date", "2020-13-01T00:00:00Z"), "plist.json.bad_value", 23},
      {"data padding", tagged_scalar("data", "aGVsbG8"), "plist.json.bad_value", 23},
      {"uid negative", tagged_scalar("uid", "-1"), "plist.json.bad_value", 22},
  };
  for (const auto& c : cases) {
    INFO(c.name << ": " << c.text);
    auto r = read_tagged_json(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id() == c.id);
    CHECK(r.error().offset == c.offset);
  }
}

TEST_CASE("plist tagged json: depth limit at limit - 1, limit, limit + 1", "[plist]") {
  Limits limits;
  limits.max_depth = 3;
  CHECK(read_tagged_json(nested_tagged_arrays(2), limits).ok());
  CHECK(read_tagged_json(nested_tagged_arrays(3), limits).ok());
  auto r = read_tagged_json(nested_tagged_arrays(4), limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist.json.depth_limit");
  CHECK(r.error().kind() == ErrorKind::limit);
  // The '[' of the fourth array.
  CHECK(r.error().offset == 3 * std::string("{\"type\":\"array\",\"value\":[").size() + 24);
  CHECK(r.error().message.find("Limits::max_depth") != std::string::npos);
  // The default limit holds far past itself without recursion.
  auto deep = read_tagged_json(nested_tagged_arrays(100000));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().id() == "plist.json.depth_limit");
}

TEST_CASE("plist tagged json: object limit and input size limit", "[plist]") {
  const std::string item = tagged_scalar("bool", "true");
  const std::string three = "{\"type\":\"array\",\"value\":[" + item + "," + item + "]}";  // 3 objects
  Limits limits;
  limits.max_objects = 3;
  CHECK(read_tagged_json(three, limits).ok());
  limits.max_objects = 2;
  auto r = read_tagged_json(three, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist.json.objects_limit");
  CHECK(r.error().offset == 25 + item.size() + 1);  // the third object's '{'
  limits = {};
  limits.max_input_bytes = item.size();
  CHECK(read_tagged_json(item, limits).ok());
  limits.max_input_bytes = item.size() - 1;
  auto big = read_tagged_json(item, limits);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().id() == "core.input_too_large");
  CHECK(big.error().offset == item.size() - 1);
}

// ---------------------------------------------------------------------------
// Detection and read_any

TEST_CASE("plist read_any: format detection", "[plist]") {
  CHECK(detect_format(as_bytes("bplist00")) == Format::binary);
  CHECK(detect_format(as_bytes("bplist15xyz")) == Format::binary);
  CHECK(detect_format(as_bytes("bplis")) == Format::unknown);
  CHECK(detect_format(as_bytes("<plist/>")) == Format::xml);
  CHECK(detect_format(as_bytes(" \t\r\n<?xml")) == Format::xml);
  CHECK(detect_format(as_bytes("\xEF\xBB\xBF<?xml")) == Format::xml);
  CHECK(detect_format(as_bytes("\xEF\xBB\xBF  <")) == Format::xml);
  CHECK(detect_format(as_bytes("\xEF\xBB<")) == Format::unknown);
  CHECK(detect_format(as_bytes("{\"type\"")) == Format::unknown);
  CHECK(detect_format(as_bytes("")) == Format::unknown);
  CHECK(detect_format(as_bytes("   ")) == Format::unknown);
}

TEST_CASE("plist read_any: empty, unknown and oversized input", "[plist]") {
  auto empty = read_any(as_bytes(""));
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().id() == "core.empty_input");
  CHECK(empty.error().offset == 0);
  auto unknown = read_any(as_bytes("  \n hello"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().id() == "core.unknown_format");
  CHECK(unknown.error().offset == 4);
  auto blank = read_any(as_bytes("\xEF\xBB\xBF  "));
  REQUIRE_FALSE(blank.ok());
  CHECK(blank.error().id() == "core.unknown_format");
  CHECK(blank.error().offset == 5);
  ReadOptions options;
  options.limits.max_input_bytes = 6;
  auto over = read_any(as_bytes("abcdefg"), options);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().id() == "core.input_too_large");
  CHECK(over.error().kind() == ErrorKind::limit);
  CHECK(over.error().offset == 6);
  auto at = read_any(as_bytes("abcdef"), options);  // at the limit: read, then refused as unknown
  REQUIRE_FALSE(at.ok());
  CHECK(at.error().id() == "core.unknown_format");
  auto below = read_any(as_bytes("abcde"), options);
  REQUIRE_FALSE(below.ok());
  CHECK(below.error().id() == "core.unknown_format");
}

// Strict XML reads {CF$UID: n} as a dict (the kernel's reading); this flag gives CF's uid.
ReadOptions with_cf_uid() {
  ReadOptions options;
  options.xml.allow_cf_uid = true;
  return options;
}

TEST_CASE("plist read_any: dispatches to the XML and binary readers", "[plist]") {
  auto xml = read_any(as_bytes(kSampleXml), with_cf_uid());
  REQUIRE(xml.ok());
  Document doc;
  doc.set_root(sample_document(doc));
  CHECK(equal(xml->root(), doc.root()));
  auto binary = write_binary(doc.root());
  REQUIRE(binary.ok());
  auto from_binary = read_any(as_bytes(*binary));
  REQUIRE(from_binary.ok());
  CHECK(equal(from_binary->root(), doc.root()));
  // The binary reader, not detection, names a bad version.
  auto bad_version = read_any(as_bytes("bplist15" + binary->substr(8)));
  REQUIRE_FALSE(bad_version.ok());
  CHECK(bad_version.error().id().starts_with("bplist."));
}

TEST_CASE("plist read_any: cf_compat uses each reader's CoreFoundation preset", "[plist]") {
  const std::string dup = xml_root("<dict>\n\t<key>a</key>\n\t<integer>1</integer>\n\t<key>a</key>\n\t<integer>2</integer>\n</dict>\n");
  auto strict = read_any(as_bytes(dup));
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().id() == "plist_xml.duplicate_key");
  auto cf = read_any(as_bytes(dup), ReadOptions::cf_compat());
  REQUIRE(cf.ok());
  REQUIRE(cf->root().size() == 1);
  CHECK(cf->root().find("a")->as_integer() == Integer::from_signed(2));
  CHECK(ReadOptions::cf_compat().binary.allow_duplicate_keys == BinaryOptions::cf_compat().allow_duplicate_keys);
  // Non-finite reals as the XML writer writes them read back under the CF preset.
  for (double v : {double(INFINITY), -double(INFINITY)}) {
    auto r = read_any(as_bytes(write_xml(Value::real(v)).value()), ReadOptions::cf_compat());
    REQUIRE(r.ok());
    CHECK(r->root().as_real() == v);
  }
}

// ---------------------------------------------------------------------------
// Round trips

TEST_CASE("plist writers: XML -> value -> XML is identity for Apple-layout XML", "[plist]") {
  for (bool cf_uid : {false, true}) {  // the {CF$UID: 7} dict reads as a dict or as uid 7
    XmlOptions options;
    options.allow_cf_uid = cf_uid;
    auto doc = read_xml(as_bytes(kSampleXml), options);
    REQUIRE(doc.ok());
    CHECK(doc->root().find("list")->as_array()[3].is(cf_uid ? Type::uid : Type::dict));
    CHECK(write_xml(doc->root()).value() == kSampleXml);
  }
}

TEST_CASE("plist writers: generated values round-trip through binary, XML and tagged JSON", "[plist]") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    {
      Document doc;
      ValueGenerator gen(seed, false);
      doc.set_root(gen.make(doc, 0));
      auto binary = write_binary(doc.root());
      REQUIRE(binary.ok());
      auto from_binary = read_binary(as_bytes(*binary));
      REQUIRE(from_binary.ok());
      CHECK(equal(from_binary->root(), doc.root()));
      auto from_json = read_tagged_json(write_tagged_json(doc.root(), seed % 2 == 0).value());
      REQUIRE(from_json.ok());
      // Every NaN reads back as the one quiet NaN the generator uses.
      CHECK(equal(from_json->root(), doc.root()));
    }
    {
      Document doc;
      ValueGenerator gen(seed, true);
      doc.set_root(gen.make(doc, 0));
      REQUIRE(check_xml_writable(doc.root()).ok());
      const std::string xml = write_xml(doc.root()).value();
      auto from_xml = read_xml(as_bytes(xml), with_cf_uid().xml);
      if (!from_xml.ok()) FAIL(from_xml.error().describe() << "\n" << xml);
      CHECK(equal(from_xml->root(), doc.root()));
      CHECK(write_xml(from_xml->root()).value() == xml);
    }
  }
}

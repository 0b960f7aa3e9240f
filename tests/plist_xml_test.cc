// XML plist reader: every strict rule with its exact error id and offset, the same inputs
// under the CoreFoundation-compatible preset, limits, deep nesting, dates, and the
// real-world corpus. Case names follow plist-behaviours Appendix A (x01..x171, y01..).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;

namespace {

constexpr std::string_view kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n";

// The standard wrapper of Appendix A: declaration, Apple DOCTYPE, <plist>.
std::string wrap(std::string_view body) {
  std::string out(kHead);
  out += body;
  out += "\n</plist>\n";
  return out;
}

// A compact, unambiguous text form of a value: {"k":v}, [v], "s", i:5, r:1.5, d:<seconds>,
// h:<hex data>, u:7, true/false. Recursive: only for the small values of these tests.
void describe_into(const Value& v, std::string& out) {
  char buf[64];
  switch (v.type()) {
    case Type::dict: {
      out += '{';
      bool first = true;
      for (const auto& e : v.as_dict()) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += e.key;
        out += "\":";
        describe_into(e.value, out);
      }
      out += '}';
      break;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += ',';
        first = false;
        describe_into(item, out);
      }
      out += ']';
      break;
    }
    case Type::string:
      out += '"';
      for (char c : v.as_string()) {
        if (c == '"' || c == '\\') {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
      }
      out += '"';
      break;
    case Type::integer: out += "i:" + v.as_integer().to_string(); break;
    case Type::real:
      if (std::isnan(v.as_real())) {
        out += std::signbit(v.as_real()) ? "r:-nan" : "r:nan";
      } else {
        std::snprintf(buf, sizeof buf, "r:%.17g", v.as_real());
        out += buf;
      }
      break;
    case Type::date:
      std::snprintf(buf, sizeof buf, "d:%.17g", v.as_date());
      out += buf;
      break;
    case Type::data: out += "h:" + hex_encode(v.as_data()); break;
    case Type::uid: out += "u:" + std::to_string(v.as_uid()); break;
    case Type::boolean: out += v.as_bool() ? "true" : "false"; break;
  }
}

std::string describe(const Value& v) {
  std::string out;
  describe_into(v, out);
  return out;
}

// What a case expects: a value (its describe() text) or an error id at the offset of the
// `nth` occurrence of `marker` in the input, plus `delta`. marker "" is offset 0, "$" the
// input's size.
struct Expect {
  std::string value;
  std::string error_id;
  std::string marker;
  long delta = 0;
  int nth = 1;
};

Expect V(std::string value) { return Expect{std::move(value), {}, {}, 0, 1}; }
Expect E(std::string id, std::string marker = {}, long delta = 0, int nth = 1) {
  return Expect{{}, std::move(id), std::move(marker), delta, nth};
}

std::uint64_t resolve_offset(const std::string& input, const Expect& e) {
  if (e.marker.empty()) return static_cast<std::uint64_t>(e.delta);
  if (e.marker == "$") return input.size() + e.delta;
  std::size_t at = std::string::npos;
  std::size_t from = 0;
  for (int i = 0; i < e.nth; ++i) {
    at = input.find(e.marker, from);
    if (at == std::string::npos) FAIL("marker not found: " << e.marker);
    from = at + 1;
  }
  return at + e.delta;
}

void check(const std::string& input, const XmlOptions& options, const Expect& expect, const Limits& limits = {}) {
  auto result = read_xml(as_bytes(input), options, limits);
  if (expect.error_id.empty()) {
    INFO("expected a value; got " << (result ? std::string("a value") : result.error().describe()));
    REQUIRE(result.ok());
    CHECK(describe(result->root()) == expect.value);
  } else {
    INFO("expected " << expect.error_id);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().id() == expect.error_id);
    CHECK(result.error().offset == resolve_offset(input, expect));
    INFO(result.error().describe());
  }
}

struct Case {
  const char* name;
  std::string input;
  Expect strict;
  Expect cf;  // under XmlOptions::cf_compat()
};

void run_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SECTION(c.name) {
      INFO("input: " << c.input);
      {
        INFO("strict");
        check(c.input, XmlOptions::strict(), c.strict);
      }
      {
        INFO("cf_compat");
        check(c.input, XmlOptions::cf_compat(), c.cf);
      }
    }
  }
}

const std::string kPsychicPaper =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\"><dict>\n"
    "    <!-- these aren't the droids you're looking for -->\n"
    "    <!---><!-->\n"
    "    <key>platform-application</key><true/>\n"
    "    <key>com.apple.private.security.no-container</key><true/>\n"
    "    <key>task_for_pid-allow</key><true/>\n"
    "    <!-- -->\n"
    "</dict></plist>\n";

}  // namespace

TEST_CASE("plist xml: markup, comments PIs and CDATA", "[plist][xml]") {
  run_cases({
      // A1 #1 / B3: old CF saw {}, the kernel saw the keys. Strict never yields a value.
      {"x01 psychicpaper", kPsychicPaper, E("plist_xml.comment_dash_start", "<!--->"),
       V("{\"platform-application\":true,\"com.apple.private.security.no-container\":true,"
         "\"task_for_pid-allow\":true}")},
      {"x01 variant <!----->", wrap("<dict><!-----><key>a</key><true/><!-- --></dict>"),
       E("plist_xml.comment_dash_start", "<!-----"), V("{\"a\":true}")},
      {"x02 double dash", wrap("<dict><!-- a -- b --><key>a</key><true/></dict>"),
       E("plist_xml.comment_double_dash", "-- b"), V("{\"a\":true}")},
      {"x02 variant --->", wrap("<dict><!-- a ---><key>a</key><true/></dict>"),
       E("plist_xml.comment_double_dash", "--->"), V("{\"a\":true}")},
      {"x03 <!--> opens a comment", wrap("<dict><!--><key>a</key><true/>--></dict>"), V("{}"), V("{}")},
      {"x04 comment in string", wrap("<string>x<!--c-->y</string>"), E("plist_xml.comment_in_value", "<!--c"),
       E("plist_xml.comment_in_value", "<!--c")},
      {"x05 comment in integer", wrap("<integer>1<!--c-->2</integer>"), E("plist_xml.comment_in_value", "<!--c"),
       E("plist_xml.comment_in_value", "<!--c")},
      {"y11 comment in data", wrap("<data>SGVs<!--c-->bG8=</data>"), E("plist_xml.comment_in_value", "<!--c"),
       E("plist_xml.comment_in_value", "<!--c")},
      // A1 #7: CF ends the PI at the first "?>", the kernel does not; pugixml refuses "<???>".
      {"x07 PI variant", wrap("<dict><??" "?><!-- ?><key>a</key><true/><!-- --></dict>"),
       E("plist_xml.processing_instruction", "<??" "?>"), E("plist_xml.syntax", "<??" "?>", 2)},
      // A1 #8: CF ends the tag at the first '>' and sees {}; the kernel and pugixml see a.
      {"x08 attribute variant", wrap("<dict hurr=\">\n</dict>\n</plist>\n\"><key>a</key><true/></dict>"),
       E("plist_xml.attribute_on_value", "hurr"), E("plist_xml.attribute_value_gt", "hurr", 6)},
      {"y12 '>' in attribute", wrap("<string a=\">\">x</string>"), E("plist_xml.attribute_on_value", "a=\""),
       E("plist_xml.attribute_value_gt", "a=\"", 3)},
      // A1 #2: CF's prolog scan starts a byte late: x171 fails, x170 yields the 2nd plist.
      {"x170 empty prolog comment, two plists",
       "<!----><plist version=\"1.0\"><dict><key>a</key><true/></dict></plist><!-- -->"
       "<plist version=\"1.0\"><dict><key>b</key><true/></dict></plist>",
       E("plist_xml.comment_empty"), E("plist_xml.comment_empty")},
      {"x171 empty prolog comment", "<!----><plist version=\"1.0\"><dict><key>a</key><true/></dict></plist>",
       E("plist_xml.comment_empty"), E("plist_xml.comment_empty")},
      {"empty comment inside the document", wrap("<dict><!----><key>a</key><true/></dict>"), V("{\"a\":true}"),
       V("{\"a\":true}")},
      // cf_compat leaves it to pugixml, which runs to the end of the input.
      {"comment unterminated", wrap("<dict><!-- x</dict>"), E("plist_xml.comment_unterminated", "<!-- x"),
       E("plist_xml.syntax", "$")},
      {"comments around the root", "<!-- a --><plist version=\"1.0\"><true/></plist><!-- b -->\n", V("true"),
       V("true")},
      {"PI inside dict", wrap("<dict><?foo bar?><key>a</key><true/></dict>"),
       E("plist_xml.processing_instruction", "<?foo"), V("{\"a\":true}")},
      {"PI inside string", wrap("<string>a<?foo bar?>b</string>"), E("plist_xml.processing_instruction", "<?foo"),
       E("plist_xml.comment_in_value", "<?foo")},
      {"PI before root", "<?foo bar?><plist version=\"1.0\"><true/></plist>",
       E("plist_xml.processing_instruction"), V("true")},
      {"declaration after a comment", "<!-- c --><?xml version=\"1.0\"?><plist version=\"1.0\"><true/></plist>",
       E("plist_xml.declaration_misplaced", "<?xml"), V("true")},
      // A1 #10: CF reads CDATA in strings and keys, the kernel rejects it.
      {"x10 CDATA in string", wrap("<string><![CDATA[x<y&z]]></string>"), E("plist_xml.cdata_section", "<![CDATA["),
       V("\"x<y&z\"")},
      {"x11 CDATA in key", wrap("<dict><key><![CDATA[k]]></key><true/></dict>"),
       E("plist_xml.cdata_section", "<![CDATA["), V("{\"k\":true}")},
      {"CDATA mixed with text", wrap("<string>a <![CDATA[<b>]]> c</string>"), E("plist_xml.cdata_section", "<![CDATA["),
       V("\"a <b> c\"")},
      {"CDATA in integer", wrap("<integer><![CDATA[5]]></integer>"), E("plist_xml.cdata_section", "<![CDATA["),
       E("plist_xml.cdata_section", "<![CDATA[")},
      {"CDATA in dict", wrap("<dict><![CDATA[x]]></dict>"), E("plist_xml.cdata_section", "<![CDATA["),
       E("plist_xml.text_in_container", "<![CDATA[")},
  });
}

TEST_CASE("plist xml: markup, DOCTYPE entities and character references", "[plist][xml]") {
  run_cases({
      {"x16 entity declaration",
       "<!DOCTYPE plist [<!ENTITY e \"EVIL\">]><plist version=\"1.0\"><string>&e;</string></plist>",
       E("plist_xml.entity_declaration", "<!ENTITY"), E("plist_xml.entity_declaration", "<!ENTITY")},
      {"x17 internal subset", "<!DOCTYPE plist [<!ELEMENT plist ANY>]><plist version=\"1.0\"><true/></plist>",
       E("plist_xml.doctype_internal_subset", "["), E("plist_xml.doctype_internal_subset", "[")},
      {"'>' inside a DOCTYPE literal", "<!DOCTYPE plist PUBLIC \"a>b\" \"c\"><plist version=\"1.0\"><true/></plist>",
       E("plist_xml.doctype_malformed"), E("plist_xml.doctype_malformed")},
      {"second DOCTYPE", "<!DOCTYPE plist><!DOCTYPE plist><plist version=\"1.0\"><true/></plist>",
       E("plist_xml.doctype_misplaced", "<!DOCTYPE", 0, 2), E("plist_xml.doctype_misplaced", "<!DOCTYPE", 0, 2)},
      {"DOCTYPE inside the root", "<plist version=\"1.0\"><!DOCTYPE plist><true/></plist>",
       E("plist_xml.doctype_misplaced", "<!DOCTYPE"), E("plist_xml.syntax", "<!DOCTYPE")},
      {"x18 undefined entity", wrap("<string>&nbsp;</string>"), E("plist_xml.undefined_entity", "&nbsp;"),
       E("plist_xml.undefined_entity", "&nbsp;")},
      {"y08 undefined entity without DOCTYPE", "<plist version=\"1.0\"><string>a&nbsp;</string></plist>",
       E("plist_xml.undefined_entity", "&nbsp;"), E("plist_xml.undefined_entity", "&nbsp;")},
      {"x12 predefined entities", wrap("<string>&amp;&lt;&gt;&quot;&apos;</string>"),
       E("plist_xml.entity_quot_apos", "&quot;"), V("\"&<>\\\"'\"")},
      {"kernel's three entities", wrap("<string>a&amp;b&lt;c&gt;d</string>"), V("\"a&b<c>d\""), V("\"a&b<c>d\"")},
      {"x13 character references", wrap("<string>&#65;&#x42;&#x1F600;</string>"),
       E("plist_xml.char_reference", "&#65;"), V("\"AB\xF0\x9F\x98\x80\"")},
      {"entities in a key", wrap("<dict><key>a&amp;b</key><true/></dict>"), V("{\"a&b\":true}"), V("{\"a&b\":true}")},
      {"y01 uppercase X", wrap("<string>&#X41;</string>"), E("plist_xml.char_reference", "&#X"),
       E("plist_xml.char_reference_invalid", "&#X")},
      {"y03 nine digits", wrap("<string>&#000000065;</string>"), E("plist_xml.char_reference", "&#"),
       E("plist_xml.char_reference_invalid", "&#")},
      {"eight digits", wrap("<string>&#00000065;</string>"), E("plist_xml.char_reference", "&#"), V("\"A\"")},
      {"x14 &#0;", wrap("<string>&#0;</string>"), E("plist_xml.char_reference", "&#"),
       E("plist_xml.char_reference_invalid", "&#")},
      {"x15 surrogate", wrap("<string>&#xD800;</string>"), E("plist_xml.char_reference", "&#"),
       E("plist_xml.char_reference_invalid", "&#")},
      {"beyond U+10FFFF", wrap("<string>&#x110000;</string>"), E("plist_xml.char_reference", "&#"),
       E("plist_xml.char_reference_invalid", "&#")},
      {"bare ampersand", wrap("<string>a & b</string>"), E("plist_xml.entity_syntax", "& b"),
       E("plist_xml.entity_syntax", "& b")},
      {"unterminated reference", wrap("<string>a&amp</string>"), E("plist_xml.entity_syntax", "&amp"),
       E("plist_xml.entity_syntax", "&amp")},
      {"empty reference", wrap("<string>&;</string>"), E("plist_xml.entity_syntax", "&;"),
       E("plist_xml.entity_syntax", "&;")},
  });
}

TEST_CASE("plist xml: structure, document and elements", "[plist][xml]") {
  run_cases({
      {"x20 no declaration, no DOCTYPE", "<plist version=\"1.0\"><string>a</string></plist>", V("\"a\""), V("\"a\"")},
      {"x21 bare dict root", "<dict><key>a</key><true/></dict>", E("plist_xml.missing_plist_root"),
       V("{\"a\":true}")},
      {"bare scalar root", "<string>s</string>", E("plist_xml.missing_plist_root"), V("\"s\"")},
      {"x22 two plist roots",
       "<plist version=\"1.0\"><string>a</string></plist><plist version=\"1.0\"><string>b</string></plist>",
       E("plist_xml.multiple_roots", "<plist", 0, 2), V("\"a\"")},
      {"x23 two values in plist", wrap("<string>a</string><string>b</string>"),
       E("plist_xml.plist_multiple_values", "<string>b"), E("plist_xml.plist_multiple_values", "<string>b")},
      {"x24 text after </plist>", "<plist version=\"1.0\"><true/></plist>junk", E("plist_xml.trailing_content", "junk"),
       V("true")},
      {"x25 element after </plist>", "<plist version=\"1.0\"><true/></plist><false/>",
       E("plist_xml.multiple_roots", "<false/>"), V("true")},
      {"one byte after the root", "<plist version=\"1.0\"><true/></plist>x", E("plist_xml.trailing_content", "$", -1),
       V("true")},
      {"one byte after the root, not even XML", "<plist version=\"1.0\"><true/></plist><",
       E("plist_xml.syntax", "$"), V("true")},
      {"input ends inside an attribute", "<plist ver", E("plist_xml.syntax", "$"), E("plist_xml.syntax", "$")},
      {"last '>' missing", "<plist version=\"1.0\"><true/></plist", E("plist_xml.syntax", "$"),
       E("plist_xml.syntax", "$")},
      {"garbage after the root", "<plist version=\"1.0\"><true/></plist><<<&&",
       E("plist_xml.syntax", "<<<&&", 1), V("true")},
      {"x26 <plist></plist>", "<plist version=\"1.0\"></plist>", E("plist_xml.plist_empty"),
       E("plist_xml.plist_empty")},
      {"x27 <plist/>", "<plist version=\"1.0\"/>", E("plist_xml.plist_empty"), E("plist_xml.plist_empty")},
      {"whitespace-only plist", "<plist version=\"1.0\">\n\t</plist>", E("plist_xml.plist_empty"),
       E("plist_xml.plist_empty")},
      {"x28 nested plist", wrap("<dict><key>a</key><plist><string>x</string></plist></dict>"),
       E("plist_xml.nested_plist", "<plist><string>"), V("{\"a\":\"x\"}")},
      {"x29 text inside dict", wrap("<dict>junk<key>a</key><true/></dict>"), E("plist_xml.text_in_container", "junk"),
       E("plist_xml.text_in_container", "junk")},
      {"text after a dict child", wrap("<dict><key>a</key><true/>junk</dict>"),
       E("plist_xml.text_in_container", "junk"), E("plist_xml.text_in_container", "junk")},
      {"text inside array", wrap("<array><true/> x </array>"), E("plist_xml.text_in_container", " x "),
       E("plist_xml.text_in_container", " x ")},
      {"text inside plist", "<plist version=\"1.0\">junk<true/></plist>", E("plist_xml.text_in_container", "junk"),
       E("plist_xml.text_in_container", "junk")},
      {"text before the root", "junk<plist version=\"1.0\"><true/></plist>", E("plist_xml.text_before_root"),
       E("plist_xml.text_before_root")},
      {"x30 whitespace before <?xml", "  \n<?xml version=\"1.0\"?><plist version=\"1.0\"><true/></plist>", V("true"),
       V("true")},
      {"no root element", "<!-- only a comment -->\n", E("plist_xml.missing_root", "$"),
       E("plist_xml.missing_root", "$")},
      {"unclosed element", "<plist version=\"1.0\"><string>a</plist>", E("plist_xml.syntax", "</plist>", 2),
       E("plist_xml.syntax", "</plist>", 2)},
      {"plist version 2.0", "<plist version=\"2.0\"><true/></plist>", E("plist_xml.plist_attribute", "version"),
       V("true")},
      {"plist extra attribute", "<plist version=\"1.0\" xmlns=\"x\"><true/></plist>",
       E("plist_xml.plist_attribute", "xmlns"), V("true")},
      {"x138 single-quoted version", "<plist version='1.0'><true/></plist>", E("plist_xml.plist_attribute", "version"),
       V("true")},
      {"plist without version", "<plist><true/></plist>", V("true"), V("true")},
      {"'>' in plist attribute", "<plist version=\"1>0\"><true/></plist>",
       E("plist_xml.attribute_value_gt", "1>0"), E("plist_xml.attribute_value_gt", "1>0")},
      {"x133 <TRUE/>", wrap("<TRUE/>"), E("plist_xml.unknown_tag", "<TRUE"), E("plist_xml.unknown_tag", "<TRUE")},
      {"x136 <Dict>", wrap("<Dict></Dict>"), E("plist_xml.unknown_tag", "<Dict"), E("plist_xml.unknown_tag", "<Dict")},
      {"x135 unknown element", wrap("<array><foo>bar</foo><true/></array>"), E("plist_xml.unknown_tag", "<foo"),
       E("plist_xml.unknown_tag", "<foo")},
      {"x137 namespace prefix", wrap("<x:string xmlns:x=\"u\">a</x:string>"), E("plist_xml.unknown_tag", "<x:"),
       E("plist_xml.unknown_tag", "<x:")},
      {"x141 <set>", wrap("<set><string>a</string></set>"), E("plist_xml.unknown_tag", "<set"),
       E("plist_xml.unknown_tag", "<set")},
      {"x142 ID and IDREF", wrap("<array><string ID=\"1\">a</string><string IDREF=\"1\"/></array>"),
       E("plist_xml.attribute_on_value", "ID="), V("[\"a\",\"\"]")},
      {"x138 single-quoted attribute", wrap("<string id='1'>a</string>"), E("plist_xml.attribute_on_value", "id="),
       V("\"a\"")},
      {"element inside string", wrap("<string>a<b/>c</string>"), E("plist_xml.element_in_value", "<b/>"),
       E("plist_xml.element_in_value", "<b/>")},
  });
}

TEST_CASE("plist xml: structure, dicts and keys", "[plist][xml]") {
  run_cases({
      {"x110 duplicate keys", wrap("<dict><key>a</key><integer>1</integer><key>a</key><integer>2</integer></dict>"),
       E("plist_xml.duplicate_key", "<key>a", 0, 2), V("{\"a\":i:2}")},
      {"x121 duplicate keys, last wins in place",
       wrap("<dict><key>a</key><true/><key>b</key><true/><key>a</key><false/></dict>"),
       E("plist_xml.duplicate_key", "<key>a", 0, 2), V("{\"a\":false,\"b\":true}")},
      {"x111 key key value", wrap("<dict><key>a</key><key>b</key><string>v</string></dict>"),
       E("plist_xml.dict_missing_value", "<key>a"), E("plist_xml.dict_missing_value", "<key>a")},
      {"x115 key without value", wrap("<dict><key>a</key></dict>"), E("plist_xml.dict_missing_value", "<key>a"),
       E("plist_xml.dict_missing_value", "<key>a")},
      {"value without key", wrap("<dict><string>helo</string></dict>"),
       E("plist_xml.dict_value_without_key", "<string>"), E("plist_xml.dict_value_without_key", "<string>")},
      {"container value without key", wrap("<dict><array><foo/></array></dict>"),
       E("plist_xml.dict_value_without_key", "<array>"), E("plist_xml.dict_value_without_key", "<array>")},
      {"x112 key inside array", wrap("<array><key>k</key></array>"), E("plist_xml.key_outside_dict", "<key>"),
       V("[\"k\"]")},
      {"x113 key as root value", wrap("<key>k</key>"), E("plist_xml.key_outside_dict", "<key>"), V("\"k\"")},
      {"x119 <key/>", wrap("<dict><key/><string>v</string></dict>"), E("plist_xml.empty_key", "<key/>"),
       V("{\"\":\"v\"}")},
      {"<key></key>", wrap("<dict><key></key><true/></dict>"), E("plist_xml.empty_key", "<key>"), V("{\"\":true}")},
      {"whitespace key is kept", wrap("<dict><key> </key><true/></dict>"), V("{\" \":true}"), V("{\" \":true}")},
      // A1 #64: CF and libplist make a UID, the kernel and plistlib keep the dict.
      {"x118 CF$UID", wrap("<dict><key>CF$UID</key><integer>7</integer></dict>"), V("{\"CF$UID\":i:7}"), V("u:7")},
      {"CF$UID negative stays a dict", wrap("<dict><key>CF$UID</key><integer>-1</integer></dict>"),
       V("{\"CF$UID\":i:-1}"), V("{\"CF$UID\":i:-1}")},
      {"CF$UID beyond 32 bits stays a dict", wrap("<dict><key>CF$UID</key><integer>4294967296</integer></dict>"),
       V("{\"CF$UID\":i:4294967296}"), V("{\"CF$UID\":i:4294967296}")},
      {"CF$UID 2^32-1", wrap("<dict><key>CF$UID</key><integer>4294967295</integer></dict>"),
       V("{\"CF$UID\":i:4294967295}"), V("u:4294967295")},
      {"CF$UID string stays a dict", wrap("<dict><key>CF$UID</key><string>7</string></dict>"),
       V("{\"CF$UID\":\"7\"}"), V("{\"CF$UID\":\"7\"}")},
      {"CF$UID with a second key", wrap("<dict><key>CF$UID</key><integer>7</integer><key>x</key><true/></dict>"),
       V("{\"CF$UID\":i:7,\"x\":true}"), V("{\"CF$UID\":i:7,\"x\":true}")},
      {"nested containers", wrap("<dict><key>a</key><array><dict/><array/><dict><key>b</key><false/></dict></array></dict>"),
       V("{\"a\":[{},[],{\"b\":false}]}"), V("{\"a\":[{},[],{\"b\":false}]}")},
  });
}

TEST_CASE("plist xml: scalars, integers", "[plist][xml]") {
  auto I = [](const char* text) { return wrap(std::string("<integer>") + text + "</integer>"); };
  run_cases({
      {"zero", I("0"), V("i:0"), V("i:0")},
      {"x40 ' 5 '", I(" 5 "), E("plist_xml.integer_whitespace", "> 5 ", 1),
       E("plist_xml.integer_whitespace", " </integer>")},
      {"x41 ' 5'", I(" 5"), E("plist_xml.integer_whitespace", "> 5", 1), V("i:5")},
      {"x42 '5 '", I("5 "), E("plist_xml.integer_whitespace", " </integer>"),
       E("plist_xml.integer_whitespace", " </integer>")},
      {"x43 0x1F", I("0x1F"), E("plist_xml.integer_hex", "0x1F"), V("i:31")},
      {"x44 0X1f", I("0X1f"), E("plist_xml.integer_hex", "0X1f"), V("i:31")},
      {"x59 0xAB", I("0xAB"), E("plist_xml.integer_hex", "0xAB"), V("i:171")},
      {"x45 -0x10", I("-0x10"), E("plist_xml.integer_hex", "0x10"), V("i:-16")},
      {"y04 0x", I("0x"), E("plist_xml.integer_hex", "0x<"), E("plist_xml.integer_syntax", "0x<", 2)},
      {"x46 010", I("010"), E("plist_xml.integer_leading_zero", "010"), V("i:10")},
      {"y07 08", I("08"), E("plist_xml.integer_leading_zero", "08"), V("i:8")},
      {"x47 +5", I("+5"), E("plist_xml.integer_plus_sign", "+5"), V("i:5")},
      {"x55 +-5", I("+-5"), E("plist_xml.integer_plus_sign", "+-5"), E("plist_xml.integer_syntax", "-5<")},
      {"x60 '- 5'", I("- 5"), E("plist_xml.integer_whitespace", " 5<"), V("i:-5")},
      {"x56 0-5", I("0-5"), E("plist_xml.integer_syntax", "-5<"), E("plist_xml.integer_syntax", "-5<")},
      {"x53 1_000", I("1_000"), E("plist_xml.integer_syntax", "_000"), E("plist_xml.integer_syntax", "_000")},
      {"lone minus", I("-"), E("plist_xml.integer_syntax", "-<", 1), E("plist_xml.integer_syntax", "-<", 1)},
      {"-0", I("-0"), E("plist_xml.integer_negative_zero", "-0"), V("i:0")},
      {"x49 2^64", I("18446744073709551616"), E("plist_xml.integer_out_of_range", "18446744073709551616"),
       E("plist_xml.integer_out_of_range", "18446744073709551616")},
      {"x50 2^64-1", I("18446744073709551615"), V("i:18446744073709551615"), V("i:18446744073709551615")},
      {"x51 -2^63", I("-9223372036854775808"), V("i:-9223372036854775808"), V("i:-9223372036854775808")},
      {"x52 -2^63-1", I("-9223372036854775809"), E("plist_xml.integer_out_of_range", "-9223372036854775809"),
       E("plist_xml.integer_out_of_range", "-9223372036854775809")},
      {"hex beyond 64 bits", I("0x10000000000000000"), E("plist_xml.integer_hex", "0x1"),
       E("plist_xml.integer_out_of_range", "0x1")},
      {"x54 empty", I(""), E("plist_xml.integer_empty", "<integer>"), E("plist_xml.integer_empty", "<integer>")},
      {"x61 <integer/>", wrap("<integer/>"), E("plist_xml.integer_empty", "<integer/>"),
       E("plist_xml.integer_empty", "<integer/>")},
      {"entity in integer", I("&#49;"), E("plist_xml.integer_syntax", "&#49;"), E("plist_xml.integer_syntax", "&#49;")},
  });
}

TEST_CASE("plist xml: scalars, reals", "[plist][xml]") {
  auto R = [](const char* text) { return wrap(std::string("<real>") + text + "</real>"); };
  run_cases({
      {"1.5", R("1.5"), V("r:1.5"), V("r:1.5")},
      {"-0.0", R("-0.0"), V("r:-0"), V("r:-0")},
      {".5 and exponent", R(".5e1"), V("r:5"), V("r:5")},
      {"5.", R("5."), V("r:5"), V("r:5")},
      {"integer text", R("42"), V("r:42"), V("r:42")},
      {"x70 nan", R("nan"), E("plist_xml.real_nonfinite", "nan"), V("r:nan")},
      {"x71 NaN", R("NaN"), E("plist_xml.real_nonfinite", "NaN"), V("r:nan")},
      {"x72 inf", R("inf"), E("plist_xml.real_nonfinite", "inf"), V("r:inf")},
      {"x77 -infinity", R("-infinity"), E("plist_xml.real_nonfinite", "-infinity"), V("r:-inf")},
      {"+infinity", R("+infinity"), E("plist_xml.real_syntax", "+infinity"), V("r:inf")},
      {"x73 1e400", R("1e400"), E("plist_xml.real_out_of_range", "1e400"), V("r:inf")},
      {"-1e400", R("-1e400"), E("plist_xml.real_out_of_range", "-1e400"), V("r:-inf")},
      {"1e-400 rounds to zero", R("1e-400"), V("r:0"), V("r:0")},
      {"x74 hex float", R("0x1p3"), E("plist_xml.real_syntax", "x1p3"), E("plist_xml.real_syntax", "x1p3")},
      {"x75 ' 1.5 '", R(" 1.5 "), E("plist_xml.real_syntax", " 1.5"), V("r:1.5")},
      {"+1.5", R("+1.5"), E("plist_xml.real_syntax", "+1.5"), V("r:1.5")},
      {"1e", R("1e"), E("plist_xml.real_syntax", "1e<"), E("plist_xml.real_syntax", "1e<")},
      {"two points", R("1.5.3"), E("plist_xml.real_syntax", ".3<"), E("plist_xml.real_syntax", ".3<")},
      {"empty", wrap("<real/>"), E("plist_xml.real_syntax", "<real/>"), E("plist_xml.real_syntax", "<real/>")},
  });
}

TEST_CASE("plist xml: scalars, dates", "[plist][xml]") {
  auto D = [](const char* text) { return wrap(std::string("<date>") + text + "</date>"); };
  run_cases({
      {"x80 2020-01-01", D("2020-01-01T00:00:00Z"), V("d:599529600"), V("d:599529600")},
      {"2000-02-29", D("2000-02-29T00:00:00Z"), V("d:-26524800"), V("d:-26524800")},
      {"x81 no Z", D("2020-01-01T00:00:00"), E("plist_xml.date_syntax", "</date>"),
       E("plist_xml.date_syntax", "</date>")},
      {"x82 +00:00", D("2020-01-01T00:00:00+00:00"), E("plist_xml.date_syntax", "+00:00"),
       E("plist_xml.date_syntax", "+00:00")},
      {"x83 fraction", D("2020-01-01T00:00:00.5Z"), E("plist_xml.date_syntax", ".5Z"),
       E("plist_xml.date_syntax", ".5Z")},
      {"x84 month 13", D("2020-13-01T00:00:00Z"), E("plist_xml.date_out_of_range", "13-"),
       E("plist_xml.date_out_of_range", "13-")},
      {"x88 February 30", D("2021-02-30T00:00:00Z"), E("plist_xml.date_out_of_range", "30T"),
       E("plist_xml.date_out_of_range", "30T")},
      {"1900-02-29", D("1900-02-29T00:00:00Z"), E("plist_xml.date_out_of_range", "29T"),
       E("plist_xml.date_out_of_range", "29T")},
      {"hour 24", D("2020-01-01T24:00:00Z"), E("plist_xml.date_out_of_range", "24:"),
       E("plist_xml.date_out_of_range", "24:")},
      {"second 60", D("2020-01-01T00:00:60Z"), E("plist_xml.date_out_of_range", "60Z"),
       E("plist_xml.date_out_of_range", "60Z")},
      {"x86 Zjunk", D("2020-01-01T00:00:00Zjunk"), E("plist_xml.date_syntax", "junk"),
       E("plist_xml.date_syntax", "junk")},
      {"x87 surrounding whitespace", D(" 2020-01-01T00:00:00Z "), E("plist_xml.date_syntax", " 2020"),
       E("plist_xml.date_syntax", " 2020")},
      {"y13 date only", D("2020-01-01Z"), E("plist_xml.date_syntax", "Z</date>"),
       E("plist_xml.date_syntax", "Z</date>")},
      {"x85 2020Z", D("2020Z"), E("plist_xml.date_syntax", "Z</date>"), E("plist_xml.date_syntax", "Z</date>")},
      {"x89 negative year", D("-0001-01-01T00:00:00Z"), E("plist_xml.date_syntax", "-0001"),
       V("d:-63177062400")},
      {"x90 five-digit year", D("10000-01-01T00:00:00Z"), E("plist_xml.date_syntax", "0-01-01", 0),
       V("d:252423993600")},
      {"year 0000", D("0000-01-01T00:00:00Z"), E("plist_xml.date_out_of_range", "0000"), V("d:-63145526400")},
      {"empty", wrap("<date/>"), E("plist_xml.date_syntax", "<date/>"), E("plist_xml.date_syntax", "<date/>")},
  });
}

TEST_CASE("plist xml: scalars, data", "[plist][xml]") {
  auto B = [](const char* text) { return wrap(std::string("<data>") + text + "</data>"); };
  run_cases({
      {"Hello", B("SGVsbG8="), V("h:48656c6c6f"), V("h:48656c6c6f")},
      {"x101 whitespace anywhere", B("\n\tSGV sbG\n8=\n"), V("h:48656c6c6f"), V("h:48656c6c6f")},
      {"x102 '*'", B("SGVs*bG8="), E("plist_xml.data_invalid_char", "*"), V("h:48656c6c6f")},
      {"x105 non-ASCII", B("SGVs\xC3\xA9" "bG8="), E("plist_xml.data_invalid_char", "\xC3"),
       E("plist_xml.data_invalid_char", "\xC3")},
      {"x103 missing padding", B("SGVsbG8"), E("plist_xml.data_padding", "bG8"), V("h:48656c")},
      {"x107 lone S", B("S"), E("plist_xml.data_padding", "S<"), V("h:")},
      {"non-zero padding bits", B("QR=="), E("plist_xml.data_padding", "QR=="), V("h:41")},
      {"data after padding", B("QQ==QQ=="), E("plist_xml.data_padding", "QQ==", 4), V("h:4141")},
      {"padding too early", B("Q==="), E("plist_xml.data_padding", "==="), V("h:40")},
      {"x108 <data/>", wrap("<data/>"), E("plist_xml.data_empty_tag", "<data/>"),
       E("plist_xml.data_empty_tag", "<data/>")},
      {"<data></data>", wrap("<data></data>"), V("h:"), V("h:")},
      {"<data ></data>", wrap("<data ></data>"), V("h:"), V("h:")},
      {"<data />", wrap("<array><data /></array>"), E("plist_xml.data_empty_tag", "<data"),
       E("plist_xml.data_empty_tag", "<data")},
      {"whitespace-only data", B("\n\t"), V("h:"), V("h:")},
  });
}

TEST_CASE("plist xml: scalars, booleans and strings", "[plist][xml]") {
  run_cases({
      {"<true/>", wrap("<true/>"), V("true"), V("true")},
      {"<false />", wrap("<false />"), V("false"), V("false")},
      {"x130 <true></true>", wrap("<true></true>"), E("plist_xml.bool_not_self_closing", "<true>"), V("true")},
      {"<true ></true>", wrap("<true ></true>"), E("plist_xml.bool_not_self_closing", "<true "), V("true")},
      {"<false\t\t></false>", wrap("<array><false\t\t></false></array>"),
       E("plist_xml.bool_not_self_closing", "<false"), V("[false]")},
      {"<true\t/> in an array", wrap("<array><true\t/><false/></array>"), V("[true,false]"), V("[true,false]")},
      {"<true/> before </array>", wrap("<array><true/></array>"), V("[true]"), V("[true]")},
      {"x131 <true>false</true>", wrap("<true>false</true>"), E("plist_xml.bool_content", "false<"),
       E("plist_xml.bool_content", "false<")},
      {"x132 <true> </true>", wrap("<true> </true>"), E("plist_xml.bool_content", " </true>"),
       E("plist_xml.bool_content", " </true>")},
      {"x143 <false><true/></false>", wrap("<false><true/></false>"), E("plist_xml.bool_content", "<true/>"),
       E("plist_xml.bool_content", "<true/>")},
      {"empty string forms", wrap("<array><string/><string></string><string> </string></array>"),
       V("[\"\",\"\",\" \"]"), V("[\"\",\"\",\" \"]")},
      {"x157 control character kept", wrap("<string>a\x01" "b</string>"), V("\"a\\x01b\""), V("\"a\\x01b\"")},
      {"UTF-8 text", wrap("<string>\xC2\xA9 \xE2\x82\xAC</string>"), V("\"\xC2\xA9 \xE2\x82\xAC\""),
       V("\"\xC2\xA9 \xE2\x82\xAC\"")},
  });
}

TEST_CASE("plist xml: bytes, encodings NUL CR and UTF-8", "[plist][xml]") {
  run_cases({
      {"x150 UTF-8 BOM", "\xEF\xBB\xBF<plist version=\"1.0\"><true/></plist>", E("plist_xml.bom"), V("true")},
      {"x151 UTF-16LE", std::string("\xFF\xFE<\0p\0", 6), E("plist_xml.encoding_unsupported"),
       E("plist_xml.encoding_unsupported")},
      {"x152 UTF-16BE", std::string("\xFE\xFF\0<\0p", 6), E("plist_xml.encoding_unsupported"),
       E("plist_xml.encoding_unsupported")},
      {"x153 ISO-8859-1",
       "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><plist version=\"1.0\"><string>\xE9</string></plist>",
       E("plist_xml.encoding_unsupported", "ISO"), E("plist_xml.encoding_unsupported", "ISO")},
      {"lower-case utf-8 declared", "<?xml version=\"1.0\" encoding=\"utf-8\"?><plist version=\"1.0\"><true/></plist>",
       V("true"), V("true")},
      {"x154 NUL in string", wrap(std::string("<string>a\0b</string>", 20)), E("plist_xml.nul_byte", std::string("\0", 1)),
       E("plist_xml.nul_byte", std::string("\0", 1))},
      {"x120 NUL in key", wrap(std::string("<dict><key>a\0b</key><true/></dict>", 34)),
       E("plist_xml.nul_byte", std::string("\0", 1)), E("plist_xml.nul_byte", std::string("\0", 1))},
      {"x155 CRLF between tags", "<plist version=\"1.0\">\r\n<array>\r\n<true/>\r\n</array>\r\n</plist>\r\n",
       E("plist_xml.carriage_return", "\r"), V("[true]")},
      {"y15 CRLF inside a string", "<plist version=\"1.0\"><string>a\r\nb</string></plist>",
       E("plist_xml.carriage_return", "\r"), V("\"a\\x0d\\x0ab\"")},
      {"x156 invalid UTF-8", wrap("<string>a\xFF</string>"), E("plist_xml.invalid_utf8", "\xFF"),
       E("plist_xml.invalid_utf8", "\xFF")},
      {"x158 overlong", wrap("<string>\xC0\xAF</string>"), E("plist_xml.invalid_utf8", "\xC0"),
       E("plist_xml.invalid_utf8", "\xC0")},
      {"truncated sequence at the end", std::string("<plist version=\"1.0\"><true/></plist>\xE2\x82"),
       E("plist_xml.invalid_utf8", "\xE2"), V("true")},
      {"surrogate in UTF-8", wrap("<string>\xED\xA0\x80</string>"), E("plist_xml.invalid_utf8", "\xED"),
       E("plist_xml.invalid_utf8", "\xED")},
  });
}

TEST_CASE("plist xml: limits, empty and oversized input", "[plist][xml]") {
  auto empty = read_xml(Bytes{});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().id() == "core.empty_input");
  CHECK(empty.error().offset == 0);

  const std::string doc = "<plist version=\"1.0\"><true/></plist>";
  Limits limits;
  limits.max_input_bytes = doc.size() - 1;  // limit - 1
  auto over = read_xml(as_bytes(doc), {}, limits);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().id() == "core.input_too_large");
  CHECK(over.error().kind() == ErrorKind::limit);
  CHECK(over.error().offset == doc.size() - 1);
  CHECK(over.error().message.find("max_input_bytes") != std::string::npos);
  limits.max_input_bytes = doc.size();  // exactly at the limit
  CHECK(read_xml(as_bytes(doc), {}, limits).ok());
  limits.max_input_bytes = doc.size() + 1;
  CHECK(read_xml(as_bytes(doc), {}, limits).ok());
}

namespace {

std::string nested_arrays(std::size_t levels) {
  std::string out = "<plist version=\"1.0\">";
  for (std::size_t i = 0; i < levels; ++i) out += "<array>";
  out += "<true/>";
  for (std::size_t i = 0; i < levels; ++i) out += "</array>";
  out += "</plist>";
  return out;
}

// Offset of the n-th (1-based) "<array>" in nested_arrays().
std::uint64_t nth_array_offset(std::size_t n) { return 21 + (n - 1) * 7; }

}  // namespace

TEST_CASE("plist xml: limits, depth at limit-1 limit and limit+1", "[plist][xml][limits]") {
  Limits limits;
  limits.max_depth = 8;
  for (std::size_t levels : {7u, 8u}) {
    auto r = read_xml(as_bytes(nested_arrays(levels)), {}, limits);
    REQUIRE(r.ok());
    const Value* v = &r->root();
    for (std::size_t i = 0; i < levels; ++i) {
      REQUIRE(v->is(Type::array));
      REQUIRE(v->size() == 1);
      v = &v->as_array()[0];
    }
    CHECK(v->is(Type::boolean));
  }
  auto r = read_xml(as_bytes(nested_arrays(9)), {}, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist_xml.depth_limit");
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().offset == nth_array_offset(9));
  CHECK(r.error().message.find("max_depth") != std::string::npos);

  // Dicts count too, and closing a container frees its level.
  const std::string mixed = wrap(
      "<dict><key>a</key><array><dict><key>b</key><array/></dict></array>"
      "<key>c</key><array><dict><key>d</key><array><true/></array></dict></array></dict>");
  limits.max_depth = 4;
  CHECK(read_xml(as_bytes(mixed), {}, limits).ok());
  limits.max_depth = 3;
  auto deep = read_xml(as_bytes(mixed), {}, limits);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().id() == "plist_xml.depth_limit");
  CHECK(deep.error().offset == mixed.find("<array/>"));
}

TEST_CASE("plist xml: limits, default depth 512 as CF on macOS and libplist", "[plist][xml][limits]") {
  CHECK(read_xml(as_bytes(nested_arrays(512))).ok());
  auto r = read_xml(as_bytes(nested_arrays(513)));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist_xml.depth_limit");
  CHECK(r.error().offset == nth_array_offset(513));
}

TEST_CASE("plist xml: limits, one million nested arrays", "[plist][xml][limits]") {
  const std::string doc = nested_arrays(1'000'000);
  for (const auto& options : {XmlOptions::strict(), XmlOptions::cf_compat()}) {
    auto r = read_xml(as_bytes(doc), options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id() == "plist_xml.depth_limit");
    CHECK(r.error().offset == nth_array_offset(Limits::default_max_depth + 1));
  }
  // With the limit raised past the nesting, the walk still needs no recursion.
  Limits unlimited;
  unlimited.max_depth = 2'000'000;
  auto r = read_xml(as_bytes(doc), {}, unlimited);
  REQUIRE(r.ok());
  std::size_t levels = 0;
  for (const Value* v = &r->root(); v->is(Type::array); v = &v->as_array()[0]) ++levels;
  CHECK(levels == 1'000'000);
}

TEST_CASE("plist xml: limits, inputs that would be slow to a quadratic scan", "[plist][xml][limits]") {
  // A DOCTYPE of many literals and no '>': each literal must not rescan the rest.
  std::string doctype = "<!DOCTYPE plist";
  for (int i = 0; i < 200000; ++i) doctype += " \"x\"";
  auto r = read_xml(as_bytes(doctype));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist_xml.syntax");

  // Many comments, many keys, long text with many references.
  std::string body = "<dict>";
  for (int i = 0; i < 100000; ++i) body += "<!-- c --><key>k" + std::to_string(i) + "</key><true/>";
  body += "</dict>";
  auto d = read_xml(as_bytes(wrap(body)));
  REQUIRE(d.ok());
  CHECK(d->root().size() == 100000);
  std::string text = "<string>";
  for (int i = 0; i < 100000; ++i) text += "a&amp;";
  text += "</string>";
  auto t = read_xml(as_bytes(wrap(text)));
  REQUIRE(t.ok());
  CHECK(t->root().as_string().size() == 200000);
}

TEST_CASE("plist xml: limits, objects at limit-1 limit and limit+1", "[plist][xml][limits]") {
  // Three objects: the array and its two values (keys count too; <plist> does not).
  const std::string doc = wrap("<array><true/><false/></array>");
  Limits limits;
  limits.max_objects = 2;
  auto r = read_xml(as_bytes(doc), {}, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id() == "plist_xml.object_limit");
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().offset == doc.find("<false/>"));
  CHECK(r.error().message.find("max_objects") != std::string::npos);
  limits.max_objects = 3;
  CHECK(read_xml(as_bytes(doc), {}, limits).ok());
  limits.max_objects = 4;
  CHECK(read_xml(as_bytes(doc), {}, limits).ok());

  const std::string dict = wrap("<dict><key>a</key><true/></dict>");
  limits.max_objects = 2;
  auto d = read_xml(as_bytes(dict), {}, limits);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().offset == dict.find("<true/>"));
  limits.max_objects = 3;
  CHECK(read_xml(as_bytes(dict), {}, limits).ok());
}

TEST_CASE("plist xml: dicts, duplicate keys past the linear scan", "[plist][xml]") {
  // Past the linear-scan size the reader switches to a hash index; both must agree.
  for (int size : {10, 16, 17, 40, 3000}) {
    std::string body = "<dict>";
    for (int i = 0; i < size; ++i) body += "<key>k" + std::to_string(i) + "</key><integer>" + std::to_string(i) + "</integer>";
    const std::string unique = wrap(body + "</dict>");
    auto ok = read_xml(as_bytes(unique));
    REQUIRE(ok.ok());
    REQUIRE(ok->root().size() == static_cast<std::size_t>(size));
    CHECK(ok->root().find("k" + std::to_string(size - 1))->as_integer().to_string() == std::to_string(size - 1));

    // Key k3 again near the end, then more keys.
    const std::string dup = wrap(body + "<key>k3</key><string>again</string><key>zz</key><true/></dict>");
    auto bad = read_xml(as_bytes(dup));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().id() == "plist_xml.duplicate_key");
    CHECK(bad.error().offset == dup.find("<key>k3</key>", dup.find("<key>k3</key>") + 1));
    auto last = read_xml(as_bytes(dup), XmlOptions::cf_compat());
    REQUIRE(last.ok());
    const auto entries = last->root().as_dict();
    REQUIRE(entries.size() == static_cast<std::size_t>(size) + 1);
    CHECK(entries[3].key == "k3");
    CHECK(entries[3].value.as_string() == "again");
    CHECK(entries.back().key == "zz");
  }
}

TEST_CASE("plist xml: dicts, nested large dicts keep separate key sets", "[plist][xml]") {
  std::string inner = "<dict>";
  for (int i = 0; i < 30; ++i) inner += "<key>k" + std::to_string(i) + "</key><true/>";
  inner += "</dict>";
  std::string outer = "<dict>";
  for (int i = 0; i < 30; ++i) outer += "<key>k" + std::to_string(i) + "</key>" + (i == 20 ? inner : "<false/>");
  outer += "</dict>";
  auto r = read_xml(as_bytes(wrap(outer)));
  REQUIRE(r.ok());
  CHECK(r->root().size() == 30);
  CHECK(r->root().find("k20")->size() == 30);
}

TEST_CASE("plist xml: options, combinations of single flags", "[plist][xml]") {
  XmlOptions o;
  o.allow_empty_data = true;
  check(wrap("<data/>"), o, V("h:"));
  o = {};
  o.allow_comments_in_values = true;
  check(wrap("<array><string>x<!--c-->y</string><integer>1<!--c-->2</integer><data>SGVs<!--c-->bG8=</data></array>"), o,
        V("[\"xy\",i:12,h:48656c6c6f]"));
  check(wrap("<string>x<!-- a -- b -->y</string>"), o, E("plist_xml.comment_double_dash", "-- b"));
  o = {};
  o.allow_internal_subset = true;
  check("<!DOCTYPE plist [<!ELEMENT plist ANY>]><plist version=\"1.0\"><true/></plist>", o, V("true"));
  check("<!DOCTYPE plist [<!ENTITY e \"x\">]><plist version=\"1.0\"><true/></plist>", o,
        E("plist_xml.entity_declaration", "<!ENTITY"));
  o = {};
  o.allow_cf_uid = true;
  check(wrap("<dict><key>CF$UID</key><integer>7</integer></dict>"), o, V("u:7"));
  o = {};
  o.allow_multiple_roots = true;  // without allow_trailing_content: text after the root still fails
  check("<plist version=\"1.0\"><true/></plist><false/>", o, V("true"));
  check("<plist version=\"1.0\"><true/></plist>junk", o, E("plist_xml.trailing_content", "junk"));
  o = {};
  o.allow_trailing_content = true;
  check("<plist version=\"1.0\"><true/></plist>junk", o, V("true"));
  check("<plist version=\"1.0\"><true/></plist><false/>", o, E("plist_xml.multiple_roots", "<false/>"));
  o = {};
  o.allow_cdata = true;  // CDATA allowed, but "--" comments still checked beyond it
  check(wrap("<array><string><![CDATA[<!-- -- -->]]></string><!-- a -- b --></array>"), o,
        E("plist_xml.comment_double_dash", "-- b"));
}

TEST_CASE("plist xml: options, each flag relaxes exactly its rule", "[plist][xml]") {
  // Each row: a document strict refuses with `id`, and the one flag that makes it readable.
  struct Row {
    bool XmlOptions::*flag;
    const char* name;
    std::string input;
    const char* id;
    const char* value;  // with only that flag set
  };
  const std::vector<Row> rows = {
      {&XmlOptions::allow_duplicate_keys, "allow_duplicate_keys",
       wrap("<dict><key>a</key><true/><key>a</key><false/></dict>"), "plist_xml.duplicate_key", "{\"a\":false}"},
      {&XmlOptions::allow_cdata, "allow_cdata", wrap("<string><![CDATA[<x>]]></string>"), "plist_xml.cdata_section",
       "\"<x>\""},
      {&XmlOptions::allow_comments_in_values, "allow_comments_in_values", wrap("<string>a<!--c-->b</string>"),
       "plist_xml.comment_in_value", "\"ab\""},
      {&XmlOptions::allow_double_dash_comments, "allow_double_dash_comments", wrap("<array><!-- a -- b --></array>"),
       "plist_xml.comment_double_dash", "[]"},
      {&XmlOptions::allow_comment_dash_start, "allow_comment_dash_start", wrap("<array><!---x --></array>"),
       "plist_xml.comment_dash_start", "[]"},
      {&XmlOptions::allow_trailing_content, "allow_trailing_content", "<plist version=\"1.0\"><true/></plist>x",
       "plist_xml.trailing_content", "true"},
      {&XmlOptions::allow_multiple_roots, "allow_multiple_roots",
       "<plist version=\"1.0\"><true/></plist><plist version=\"1.0\"><false/></plist>", "plist_xml.multiple_roots",
       "true"},
      {&XmlOptions::allow_missing_plist_root, "allow_missing_plist_root", "<array><true/></array>",
       "plist_xml.missing_plist_root", "[true]"},
      {&XmlOptions::allow_lenient_integers, "allow_lenient_integers", wrap("<integer>+0x10</integer>"),
       "plist_xml.integer_plus_sign", "i:16"},
      {&XmlOptions::allow_lenient_reals, "allow_lenient_reals", wrap("<real> -Infinity </real>"),
       "plist_xml.real_syntax", "r:-inf"},
      {&XmlOptions::allow_lenient_base64, "allow_lenient_base64", wrap("<data>SGV*sbG8</data>"),
       "plist_xml.data_invalid_char", "h:48656c"},
      {&XmlOptions::allow_empty_data, "allow_empty_data", wrap("<data/>"), "plist_xml.data_empty_tag", "h:"},
      {&XmlOptions::allow_key_outside_dict, "allow_key_outside_dict", wrap("<array><key>k</key></array>"),
       "plist_xml.key_outside_dict", "[\"k\"]"},
      {&XmlOptions::allow_text_in_bool, "allow_text_in_bool", wrap("<false></false>"),
       "plist_xml.bool_not_self_closing", "false"},
      {&XmlOptions::allow_internal_subset, "allow_internal_subset",
       "<!DOCTYPE plist [<!ELEMENT plist ANY>]><plist version=\"1.0\"><true/></plist>",
       "plist_xml.doctype_internal_subset", "true"},
      {&XmlOptions::allow_processing_instructions, "allow_processing_instructions",
       wrap("<array><?x y?><true/></array>"), "plist_xml.processing_instruction", "[true]"},
      {&XmlOptions::allow_attributes, "allow_attributes", wrap("<string a=\"1\">s</string>"),
       "plist_xml.attribute_on_value", "\"s\""},
      {&XmlOptions::allow_nested_plist, "allow_nested_plist", wrap("<array><plist><true/></plist></array>"),
       "plist_xml.nested_plist", "[true]"},
      {&XmlOptions::allow_lenient_dates, "allow_lenient_dates", wrap("<date>-0001-01-01T00:00:00Z</date>"),
       "plist_xml.date_syntax", "d:-63177062400"},
      {&XmlOptions::allow_bom, "allow_bom", "\xEF\xBB\xBF<plist version=\"1.0\"><true/></plist>", "plist_xml.bom",
       "true"},
      {&XmlOptions::allow_carriage_return, "allow_carriage_return", "<plist version=\"1.0\">\r\n<true/></plist>",
       "plist_xml.carriage_return", "true"},
      {&XmlOptions::allow_quot_apos, "allow_quot_apos", wrap("<string>&apos;</string>"), "plist_xml.entity_quot_apos",
       "\"'\""},
      {&XmlOptions::allow_char_references, "allow_char_references", wrap("<string>&#x41;</string>"),
       "plist_xml.char_reference", "\"A\""},
      {&XmlOptions::allow_empty_key, "allow_empty_key", wrap("<dict><key/><true/></dict>"), "plist_xml.empty_key",
       "{\"\":true}"},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      auto strict = read_xml(as_bytes(row.input));
      REQUIRE_FALSE(strict.ok());
      CHECK(strict.error().id() == row.id);
      XmlOptions one;
      one.*row.flag = true;
      auto relaxed = read_xml(as_bytes(row.input), one);
      INFO((relaxed ? std::string("ok") : relaxed.error().describe()));
      REQUIRE(relaxed.ok());
      CHECK(describe(relaxed->root()) == row.value);
      auto cf = read_xml(as_bytes(row.input), XmlOptions::cf_compat());
      // CF itself refuses comments in values, <data/> and internal subsets.
      const bool cf_refuses = row.flag == &XmlOptions::allow_comments_in_values ||
                              row.flag == &XmlOptions::allow_empty_data || row.flag == &XmlOptions::allow_internal_subset;
      CHECK(cf.ok() == !cf_refuses);
    }
  }
  // The preset sets exactly the flags whose rows CF accepts.
  const XmlOptions cf = XmlOptions::cf_compat();
  for (const auto& row : rows) {
    INFO(row.name);
    const bool cf_refuses = row.flag == &XmlOptions::allow_comments_in_values ||
                            row.flag == &XmlOptions::allow_empty_data || row.flag == &XmlOptions::allow_internal_subset;
    CHECK(cf.*row.flag == !cf_refuses);
  }
  CHECK(cf.allow_cf_uid);
  CHECK_FALSE(XmlOptions::strict().allow_cf_uid);
}

TEST_CASE("plist xml: dates, ISO 8601 format and strict parse", "[plist][xml][dates]") {
  CHECK(parse_iso8601_strict("2001-01-01T00:00:00Z") == 0.0);
  CHECK(parse_iso8601_strict("1970-01-01T00:00:00Z") == -978307200.0);
  CHECK(parse_iso8601_strict("2020-01-01T00:00:00Z") == 599529600.0);
  CHECK(parse_iso8601_strict("0001-01-01T00:00:00Z") == -63113904000.0);
  CHECK(parse_iso8601_strict("9999-12-31T23:59:59Z") == 252423993599.0);
  CHECK(parse_iso8601_strict("2024-02-29T12:34:56Z").has_value());
  CHECK(parse_iso8601_strict("2000-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_iso8601_strict("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2100-02-29T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-04-31T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-00-10T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-01-00T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-01-01T23:60:00Z"));
  CHECK_FALSE(parse_iso8601_strict("0000-01-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("-0001-01-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("20200-01-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-01-01 00:00:00Z"));
  CHECK_FALSE(parse_iso8601_strict("2020-01-01T00:00:00z"));
  CHECK_FALSE(parse_iso8601_strict(""));

  CHECK(format_iso8601(0.0) == "2001-01-01T00:00:00Z");
  CHECK(format_iso8601(599529600.0) == "2020-01-01T00:00:00Z");
  CHECK(format_iso8601(0.999) == "2001-01-01T00:00:00Z");
  CHECK(format_iso8601(-0.5) == "2000-12-31T23:59:59Z");
  CHECK(format_iso8601(-26524800.0) == "2000-02-29T00:00:00Z");
  CHECK(format_iso8601(-63113904000.0) == "0001-01-01T00:00:00Z");
  CHECK(format_iso8601(252423993599.0) == "9999-12-31T23:59:59Z");
  // Outside 1..9999: the extended forms the lenient (cf_compat) reader takes back.
  CHECK(format_iso8601(-63145526400.0) == "0000-01-01T00:00:00Z");
  CHECK(format_iso8601(-63177062400.0) == "-0001-01-01T00:00:00Z");
  CHECK(format_iso8601(252423993600.0) == "10000-01-01T00:00:00Z");
  CHECK(format_iso8601(NAN) == "");
  CHECK(format_iso8601(INFINITY) == "");
  CHECK(format_iso8601(1e300) == "");
  CHECK(format_iso8601(-1e300) == "");

  // Every day of a leap and a common year round-trips.
  for (double t = -26611200.0; t < -26611200.0 + 2 * 366 * 86400.0; t += 86400.0 + 3661.0) {
    const std::string text = format_iso8601(t);
    auto back = parse_iso8601_strict(text);
    REQUIRE(back.has_value());
    CHECK(*back == std::floor(t));
  }
  CHECK(format_iso8601(31556888822937600.0) == "999999999-01-01T00:00:00Z");
  CHECK(format_iso8601(-31557015113904000.0) == "-999999999-01-01T00:00:00Z");
  CHECK(format_iso8601(31556888822937600.0 + 366 * 86400.0) == "");
  for (double t : {-63177062400.0, -63145526400.0, 252423993600.0, 31556888822937600.0, -31557015113904000.0}) {
    const std::string text = format_iso8601(t);
    REQUIRE_FALSE(text.empty());
    auto doc = read_xml(as_bytes(wrap("<date>" + text + "</date>")), XmlOptions::cf_compat());
    REQUIRE(doc.ok());
    CHECK(doc->root().as_date() == t);
  }
}

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

bool looks_like_xml(const std::string& bytes) {
  if (bytes.rfind("bplist", 0) == 0) return false;
  std::size_t i = bytes.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) ++i;
  return i < bytes.size() && bytes[i] == '<';
}

}  // namespace

TEST_CASE("plist xml: real world, entitlements and plists", "[plist][xml][realworld]") {
  const std::filesystem::path shared(ENTSIG_SHARED_DIR);
  // Files that use something strict refuses: the exact error, and whether cf_compat reads
  // them (an empty cf id) or cannot reproduce CoreFoundation and refuses too.
  struct Known {
    Expect strict;
    Expect cf;
  };
  const std::map<std::string, Known> known_refusals = {
      // go-plist's "unusual cases": a duplicate key, then <key Q=">">, which CF ends at the
      // first '>' (its key would be "\">test"); pugixml cannot tokenize it that way.
      // rust-plist's sample: <integer>0xDEADBEEF</integer> (CF and the kernel read 0x hex).
      {"ebarnard__rust-plist__xml.plist", {E("plist_xml.integer_hex", "0xDEADBEEF"), V("")}},
      // libplist's sample: &quot; in a key (the kernel knows only &amp; &lt; &gt;).
      {"libimobiledevice__libplist__1.plist", {E("plist_xml.entity_quot_apos", "&quot;"), V("")}},
      {"DHowett__go-plist__xml_unusual_cases-s11.plist",
       {E("plist_xml.duplicate_key", "<key>test", 0, 2), E("plist_xml.attribute_value_gt", "Q=\"", 3)}},
  };
  std::size_t parsed = 0, refused = 0, skipped = 0;
  bool any_folder = false;
  for (const char* folder : {"realworld/entitlements", "realworld/plists"}) {
    const auto dir = shared / folder;
    if (!std::filesystem::is_directory(dir)) continue;
    any_folder = true;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string bytes = read_file(path);
      if (!looks_like_xml(bytes)) {
        ++skipped;
        continue;
      }
      const std::string name = path.filename().string();
      INFO(path.string());
      auto strict = read_xml(as_bytes(bytes));
      auto cf = read_xml(as_bytes(bytes), XmlOptions::cf_compat());
      const auto known = known_refusals.find(name);
      if (known == known_refusals.end()) {
        INFO("strict: " << (strict ? std::string("ok") : strict.error().describe()));
        INFO("cf_compat: " << (cf ? std::string("ok") : cf.error().describe()));
        CHECK(strict.ok());
        CHECK(cf.ok());
        // CF$UID dicts become UIDs only under cf_compat; elsewhere both presets agree.
        if (strict && cf && bytes.find("CF$UID") == std::string::npos) CHECK(equal(strict->root(), cf->root()));
        ++parsed;
      } else {
        check(bytes, XmlOptions::strict(), known->second.strict);
        if (known->second.cf.error_id.empty()) {
          INFO("cf_compat: " << (cf ? std::string("ok") : cf.error().describe()));
          CHECK(cf.ok());
        } else {
          check(bytes, XmlOptions::cf_compat(), known->second.cf);
        }
        ++refused;
      }
    }
  }
  if (!any_folder) {
    WARN("real-world corpus not found under " << shared.string() << "; skipped");
    return;
  }
  CHECK(parsed > 50);
  CHECK(refused == known_refusals.size());
  (void)skipped;
}

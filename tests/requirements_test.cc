#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "entsig/requirements.h"
#include "superblob_scan.h"

using namespace entsig;
using namespace entsig::codesign;

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// Builds an expression program the way Security's Requirement::Maker lays it out.
class Program {
 public:
  Program& op(std::uint32_t v) { put_u32(bytes_, v); return *this; }
  Program& i32(std::int32_t v) { put_u32(bytes_, static_cast<std::uint32_t>(v)); return *this; }
  Program& u64(std::uint64_t v) {
    put_u32(bytes_, static_cast<std::uint32_t>(v >> 32));
    put_u32(bytes_, static_cast<std::uint32_t>(v));
    return *this;
  }
  // Length, bytes, zero padding to 4.
  Program& data(std::string_view d) {
    put_u32(bytes_, static_cast<std::uint32_t>(d.size()));
    bytes_ += d;
    while (bytes_.size() % 4) bytes_ += '\0';
    return *this;
  }
  Program& raw(std::string_view d) { bytes_ += d; return *this; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// Opcodes and match operations (Security requirement.h).
enum : std::uint32_t {
  opFalse, opTrue, opIdent, opAppleAnchor, opAnchorHash, opInfoKeyValue, opAnd, opOr, opCDHash,
  opNot, opInfoKeyField, opCertField, opTrustedCert, opTrustedCerts, opCertGeneric,
  opAppleGenericAnchor, opEntitlementField, opCertPolicy, opNamedAnchor, opNamedCode, opPlatform,
  opNotarized, opCertFieldDate, opLegacyDevID,
};
enum : std::uint32_t {
  matchExists, matchEqual, matchContains, matchBeginsWith, matchEndsWith, matchLessThan,
  matchGreaterThan, matchLessEqual, matchGreaterEqual, matchOn, matchBefore, matchAfter,
  matchOnOrBefore, matchOnOrAfter, matchAbsent,
};

std::string requirement_blob(const std::string& program, std::uint32_t kind = 1) {
  std::string out;
  put_u32(out, 0xfade0c00);
  put_u32(out, static_cast<std::uint32_t>(12 + program.size()));
  put_u32(out, kind);
  return out + program;
}

std::string requirement_set(const std::vector<std::pair<std::uint32_t, std::string>>& entries) {
  std::string index, blobs;
  const std::size_t header = 12 + 8 * entries.size();
  for (const auto& [type, blob] : entries) {
    put_u32(index, type);
    put_u32(index, static_cast<std::uint32_t>(header + blobs.size()));
    blobs += blob;
  }
  std::string out;
  put_u32(out, 0xfade0c01);
  put_u32(out, static_cast<std::uint32_t>(header + blobs.size()));
  put_u32(out, static_cast<std::uint32_t>(entries.size()));
  return out + index + blobs;
}

std::string text_of(const Program& p, RequirementOptions options = {}) {
  const std::string blob = requirement_blob(p.bytes());
  auto r = parse_requirement(as_bytes(blob), options);
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  return r->text;
}

void check_rejected(const std::string& blob, std::string_view id, std::uint64_t offset,
                    bool as_set = false, RequirementOptions options = {}, std::uint64_t base = 0) {
  if (as_set) {
    auto r = parse_requirement_set(as_bytes(blob), options, base);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().describe());
    CHECK(r.error().id() == id);
    CHECK(r.error().offset == offset);
  } else {
    auto r = parse_requirement(as_bytes(blob), options, base);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().describe());
    CHECK(r.error().id() == id);
    CHECK(r.error().offset == offset);
  }
}

Program ident(std::string_view id) { return Program().op(opIdent).data(id); }

const std::string kAppleWWDROid("\x2A\x86\x48\x86\xF7\x63\x64\x06\x02\x06", 10);  // 1.2.840.113635.100.6.2.6

}  // namespace

TEST_CASE("requirements: designated requirement of a developer-signed app", "[codesign][requirements]") {
  Program p;
  p.op(opAnd).op(opIdent).data("com.example")
   .op(opAnd).op(opAppleGenericAnchor)
   .op(opAnd).op(opCertField).i32(0).data("subject.OU").op(matchEqual).data("TEAM1234")
   .op(opCertGeneric).i32(1).data(kAppleWWDROid).op(matchExists);
  const std::string set = requirement_set({{3, requirement_blob(p.bytes())}});
  auto parsed = parse_requirement_set(as_bytes(set));
  REQUIRE(parsed.ok());
  // codesign prints a bare word when it can: TEAM1234 is letters and digits, not a keyword.
  CHECK(parsed->text() ==
        "designated => identifier \"com.example\" and anchor apple generic and "
        "certificate leaf[subject.OU] = TEAM1234 and "
        "certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */\n");
  REQUIRE(parsed->entries.size() == 1);
  CHECK(parsed->entries[0].type == 3);
  CHECK(parsed->entries[0].blob_offset == 20);
  CHECK(parsed->entries[0].requirement.offset == 20);
  CHECK(parsed->entries[0].requirement.kind == 1);
  CHECK(parsed->entries[0].requirement.trailing_bytes == 0);
  REQUIRE(parsed->find(RequirementType::designated));
  CHECK(parsed->find(RequirementType::host) == nullptr);
}

TEST_CASE("requirements: each opcode's text", "[codesign][requirements]") {
  const std::string hash20("\x01\x23\x45\x67\x89\xAB\xCD\xEF\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xAA\xBB", 20);
  const std::string hash_hex = "0123456789abcdef00112233445566778899aabb";
  struct Case {
    const char* name;
    Program program;
    std::string text;
  };
  const Case cases[] = {
      {"opFalse", Program().op(opFalse), "never"},
      {"opTrue", Program().op(opTrue), "always"},
      {"opIdent", ident("com.apple.ls"), "identifier \"com.apple.ls\""},
      {"opAppleAnchor", Program().op(opAppleAnchor), "anchor apple"},
      {"opAnchorHash root", Program().op(opAnchorHash).i32(-1).data(hash20), "certificate root = H\"" + hash_hex + "\""},
      {"opAnchorHash 2", Program().op(opAnchorHash).i32(2).data("\x0f"), "certificate 2 = H\"0f\""},
      {"opInfoKeyValue", Program().op(opInfoKeyValue).data("CFBundleVersion").data("1.0"),
       "info[CFBundleVersion] = \"1.0\""},
      {"opAnd", Program().op(opAnd).op(opTrue).op(opFalse), "always and never"},
      {"opOr", Program().op(opOr).op(opTrue).op(opFalse), "always or never"},
      {"opCDHash", Program().op(opCDHash).data(hash20), "cdhash H\"" + hash_hex + "\""},
      {"opNot", Program().op(opNot).op(opAppleAnchor), "! anchor apple"},
      {"opInfoKeyField", Program().op(opInfoKeyField).data("com.example.key").op(matchExists),
       "info[com.example.key] /* exists */"},
      {"opCertField", Program().op(opCertField).i32(0).data("subject.CN").op(matchEqual).data("Apple Development: A B (X)"),
       "certificate leaf[subject.CN] = \"Apple Development: A B (X)\""},
      {"opTrustedCert leaf", Program().op(opTrustedCert).i32(0), "certificate leaftrusted"},
      {"opTrustedCert 1", Program().op(opTrustedCert).i32(1), "certificate 1trusted"},
      {"opTrustedCerts", Program().op(opTrustedCerts), "anchor trusted"},
      {"opCertGeneric", Program().op(opCertGeneric).i32(1).data(kAppleWWDROid).op(matchExists),
       "certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */"},
      {"opAppleGenericAnchor", Program().op(opAppleGenericAnchor), "anchor apple generic"},
      {"opEntitlementField", Program().op(opEntitlementField).data("com.apple.security.app-sandbox").op(matchEqual).data("true"),
       "entitlement[\"com.apple.security.app-sandbox\"] = \"true\""},
      {"opCertPolicy", Program().op(opCertPolicy).i32(-1).data("\x2A\x86\x48\x86\xF7\x63\x64\x05\x01").op(matchExists),
       "certificate root[policy.1.2.840.113635.100.5.1] /* exists */"},
      {"opNamedAnchor", Program().op(opNamedAnchor).data("beta"), "anchor apple beta"},
      {"opNamedCode", Program().op(opNamedCode).data("myCode"), "(myCode)"},
      {"opPlatform", Program().op(opPlatform).i32(1), "platform = 1"},
      {"opPlatform negative", Program().op(opPlatform).i32(-7), "platform = -7"},
      {"opNotarized", Program().op(opNotarized), "notarized"},
      {"opCertFieldDate", Program().op(opCertFieldDate).i32(0).data("\x2A\x86\x48\x86\xF7\x63\x64\x06\x01\x21").op(matchBefore).u64(599529600),
       "certificate leaf[timestamp.1.2.840.113635.100.6.1.33] < <2020-01-01 00:00:00 +0000>"},
      {"opLegacyDevID", Program().op(opLegacyDevID), "legacy"},
      {"known opcode with flag bits", Program().op(0x80000000 | opTrue), "always"},
      {"unknown opcode, generic false", Program().op(0x80000064).data("abcd"), "false /* opcode 100 */"},
      {"unknown opcode, generic skip", Program().op(0x40000065).op(3).raw("xyz").op(opAppleAnchor),
       "/* opcode 101 */ anchor apple"},
      {"both flags: false wins", Program().op(0xC0000066).op(0), "false /* opcode 102 */"},
      {"generic false inside and", Program().op(opAnd).op(0x80000070).op(0).op(opTrue),
       "false /* opcode 112 */ and always"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(text_of(c.program) == c.text);
  }
}

TEST_CASE("requirements: match operations", "[codesign][requirements]") {
  auto with = [](std::uint32_t match, std::string_view value) {
    Program p;
    p.op(opInfoKeyField).data("K").op(match);
    if (match != matchExists && match != matchAbsent) p.data(value);
    return text_of(p);
  };
  CHECK(with(matchExists, "") == "info[K] /* exists */");
  CHECK(with(matchEqual, "v") == "info[K] = v");
  CHECK(with(matchContains, "abc") == "info[K] ~ abc");
  CHECK(with(matchBeginsWith, "abc") == "info[K] = abc*");
  CHECK(with(matchBeginsWith, "com.foo") == "info[K] = \"com.foo\"*");
  CHECK(with(matchEndsWith, "abc") == "info[K] = *abc");
  CHECK(with(matchLessThan, "v2") == "info[K] < v2");
  CHECK(with(matchGreaterThan, "v2") == "info[K] > v2");
  CHECK(with(matchLessEqual, "v2") == "info[K] <= v2");
  CHECK(with(matchGreaterEqual, "v2") == "info[K] >= v2");
  CHECK(with(matchAbsent, "") == "info[K] absent ");
  auto at = [](std::uint32_t match, std::int64_t seconds) {
    return text_of(Program().op(opCertFieldDate).i32(0).data("\x2A\x03").op(match).u64(static_cast<std::uint64_t>(seconds)));
  };
  CHECK(at(matchOn, 0) == "certificate leaf[timestamp.1.2.3] = <2001-01-01 00:00:00 +0000>");
  CHECK(at(matchBefore, -1) == "certificate leaf[timestamp.1.2.3] < <2000-12-31 23:59:59 +0000>");
  CHECK(at(matchAfter, 730907107) == "certificate leaf[timestamp.1.2.3] > <2024-02-29 13:45:07 +0000>");
  CHECK(at(matchOnOrBefore, -978307200) == "certificate leaf[timestamp.1.2.3] <= <1970-01-01 00:00:00 +0000>");
  CHECK(at(matchOnOrAfter, 3124137599) == "certificate leaf[timestamp.1.2.3] >= <2099-12-31 23:59:59 +0000>");
}

TEST_CASE("requirements: quoting of data values", "[codesign][requirements]") {
  struct Case {
    std::string data;
    const char* text;
  };
  const Case cases[] = {
      {"foo", "identifier foo"},
      {"Foo9", "identifier Foo9"},
      {"com.apple.ls", "identifier \"com.apple.ls\""},  // '.' is bare only in keys (dotString)
      {"9lives", "identifier \"9lives\""},               // bare words cannot start with a digit
      {"and", "identifier \"and\""},                     // reserved word
      {"timestamp", "identifier \"timestamp\""},
      {"", "identifier \"\""},
      {"a b", "identifier \"a b\""},
      {"say \"hi\" \\o/", "identifier \"say \\\"hi\\\" \\\\o/\""},
      {"tab\there", "identifier \"tab\there\""},
      {std::string("\x01\xff", 2), "identifier 0x01ff"},
      {"caf\xC3\xA9", "identifier 0x636166c3a9"},  // not ASCII: binary
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(text_of(ident(c.data)) == c.text);
  }
  // Keys allow dots unquoted, but not other punctuation.
  CHECK(text_of(Program().op(opEntitlementField).data("com.apple.app").op(matchExists)) ==
        "entitlement[com.apple.app] /* exists */");
  CHECK(text_of(Program().op(opEntitlementField).data("9.a").op(matchExists)) ==
        "entitlement[\"9.a\"] /* exists */");
}

TEST_CASE("requirements: OID rendering", "[codesign][requirements]") {
  auto oid = [](std::string bytes) {
    return text_of(Program().op(opCertGeneric).i32(0).data(bytes).op(matchExists));
  };
  CHECK(oid(std::string("\x2A\x86\x48\x86\xF7\x0D", 6)) == "certificate leaf[field.1.2.840.113549] /* exists */");
  CHECK(oid(std::string("\x55\x04\x03", 3)) == "certificate leaf[field.2.5.4.3] /* exists */");
  CHECK(oid(std::string("\x81\x34", 2)) == "certificate leaf[field.2.100] /* exists */");
  CHECK(oid(std::string("\x00", 1)) == "certificate leaf[field.0.0] /* exists */");
  CHECK(oid(std::string("\x28", 1)) == "certificate leaf[field.1.0] /* exists */");
  CHECK(oid("") == "certificate leaf[field.] /* exists */");
  // A final arc cut off by the end of the data ends there.
  CHECK(oid(std::string("\x2A\x86", 2)) == "certificate leaf[field.1.2.6] /* exists */");
  // Arcs wrap in 64 bits, as unsigned long does in CssmData::toOid.
  CHECK(oid(std::string("\x2A\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F", 11)) ==
        "certificate leaf[field.1.2.18446744073709551615] /* exists */");
}

TEST_CASE("requirements: parentheses follow precedence", "[codesign][requirements]") {
  auto a = ident("a").bytes(), b = ident("b").bytes(), c = ident("c").bytes(), d = ident("d").bytes();
  auto prog = [](std::initializer_list<std::string> parts) {
    Program p;
    for (const auto& part : parts) p.raw(part);
    return p;
  };
  auto op = [](std::uint32_t v) { std::string s; put_u32(s, v); return s; };
  CHECK(text_of(prog({op(opOr), op(opAnd), a, b, c})) == "identifier a and identifier b or identifier c");
  CHECK(text_of(prog({op(opAnd), op(opOr), a, b, c})) == "(identifier a or identifier b) and identifier c");
  CHECK(text_of(prog({op(opAnd), a, op(opOr), b, c})) == "identifier a and (identifier b or identifier c)");
  CHECK(text_of(prog({op(opOr), a, op(opAnd), b, c})) == "identifier a or identifier b and identifier c");
  CHECK(text_of(prog({op(opNot), op(opAnd), a, b})) == "! (identifier a and identifier b)");
  CHECK(text_of(prog({op(opNot), op(opOr), a, b})) == "! (identifier a or identifier b)");
  CHECK(text_of(prog({op(opOr), a, op(opOr), b, c})) == "identifier a or identifier b or identifier c");
  CHECK(text_of(prog({op(opAnd), op(opAnd), a, b, c})) == "identifier a and identifier b and identifier c");
  CHECK(text_of(prog({op(opAnd), op(opNot), a, b})) == "! identifier a and identifier b");
  CHECK(text_of(prog({op(opNot), op(opNot), a})) == "! ! identifier a");
  CHECK(text_of(prog({op(opAnd), op(opOr), a, b, op(opOr), c, d})) ==
        "(identifier a or identifier b) and (identifier c or identifier d)");
  CHECK(text_of(prog({op(opOr), op(opAnd), a, b, op(opAnd), c, d})) ==
        "identifier a and identifier b or identifier c and identifier d");
  CHECK(text_of(prog({op(opNot), op(opAnd), op(opOr), a, b, c})) ==
        "! ((identifier a or identifier b) and identifier c)");
  // A skipped unknown opcode stands in the place of the expression after it.
  CHECK(text_of(prog({op(opAnd), op(0x40000070), op(0), op(opOr), a, b, c})) ==
        "/* opcode 112 */ (identifier a or identifier b) and identifier c");
}

TEST_CASE("requirements: requirement sets and their text", "[codesign][requirements]") {
  const std::string host = requirement_blob(Program().op(opAnd).op(opIdent).data("com.apple.translate").op(opAppleAnchor).bytes());
  const std::string designated = requirement_blob(ident("x").bytes());
  const std::string library = requirement_blob(Program().op(opAppleAnchor).bytes());
  const std::string set = requirement_set({{1, host}, {3, designated}, {4, library}, {5, library},
                                           {2, library}, {0, library}, {9, library}, {0xFFFFFFFF, library}});
  auto parsed = parse_requirement_set(as_bytes(set), {}, 1000);
  REQUIRE(parsed.ok());
  CHECK(parsed->text() ==
        "host => identifier \"com.apple.translate\" and anchor apple\n"
        "designated => identifier x\n"
        "library => anchor apple\n"
        "plugin => anchor apple\n"
        "guest => anchor apple\n"
        "invalid => anchor apple\n"
        "/*unknown type*/ 9 => anchor apple\n"
        "/*unknown type*/ -1 => anchor apple\n");
  CHECK(parsed->offset == 1000);
  CHECK(parsed->length == set.size());
  REQUIRE(parsed->entries.size() == 8);
  CHECK(parsed->entries[1].requirement.offset == 1000 + parsed->entries[1].blob_offset);
  CHECK(parsed->find(RequirementType::designated)->requirement.text == "identifier x");
  CHECK(requirement_type_name(3) == "designated");

  auto text = requirements_text(as_bytes(set));
  REQUIRE(text.ok());
  CHECK(text.value() == parsed->text());
  auto single = requirements_text(as_bytes(designated));
  REQUIRE(single.ok());
  CHECK(single.value() == "identifier x\n");

  // An empty set prints nothing.
  auto empty = parse_requirement_set(as_bytes(requirement_set({})));
  REQUIRE(empty.ok());
  CHECK(empty->entries.empty());
  CHECK(empty->text().empty());
}

TEST_CASE("requirements: trailing bytes and cut-off padding are tolerated, as in Security", "[codesign][requirements]") {
  auto with_trailing = parse_requirement(as_bytes(requirement_blob(Program().op(opTrue).raw(std::string(8, '\x7f')).bytes())));
  REQUIRE(with_trailing.ok());
  CHECK(with_trailing->text == "always");
  CHECK(with_trailing->trailing_bytes == 8);
  // identifier "abc": 3 data bytes and no padding before the end of the blob.
  std::string program;
  put_u32(program, opIdent);
  put_u32(program, 3);
  program += "abc";
  auto cut = parse_requirement(as_bytes(requirement_blob(program)));
  REQUIRE(cut.ok());
  CHECK(cut->text == "identifier abc");
}

TEST_CASE("requirements: hostile blobs, exact id and offset", "[codesign][requirements]") {
  SECTION("data length 0xFFFFFFFF (go-macho panic, codesign-rules C6)") {
    // Requirements fade0c01 len 44 count 1 {designated, 20}; @20: fade0c00 len 24 kind 1,
    // opIdent, length ffffffff.
    std::string set;
    for (std::uint32_t v : {0xfade0c01u, 44u, 1u, 3u, 20u, 0xfade0c00u, 24u, 1u, 2u, 0xffffffffu}) put_u32(set, v);
    REQUIRE(set.size() == 40);
    set += std::string(4, '\0');
    check_rejected(set, "requirements.data.out_of_range", 36, true);
    // Inside the 64-byte SuperBlob the set starts at 20: offsets are absolute.
    check_rejected(set, "requirements.data.out_of_range", 56, true, {}, 20);
  }
  SECTION("set count huge") {
    std::string set;
    for (std::uint32_t v : {0xfade0c01u, 20u, 0xffffffffu, 3u, 20u}) put_u32(set, v);
    check_rejected(set, "requirements.set.count_out_of_range", 8, true);
    std::string one;
    for (std::uint32_t v : {0xfade0c01u, 12u, 1u}) put_u32(one, v);
    check_rejected(one, "requirements.set.count_out_of_range", 8, true);
  }
  SECTION("set entry offsets") {
    const std::string blob = requirement_blob(Program().op(opTrue).bytes());  // 16 bytes
    for (std::uint32_t bad : {0u, 8u, 19u, 100u, 29u}) {
      INFO("offset " << bad);
      std::string set;
      for (std::uint32_t v : {0xfade0c01u, 36u, 1u, 3u, bad}) put_u32(set, v);
      set += blob;
      check_rejected(set, "requirements.set.offset_out_of_range", 16, true);
    }
  }
  SECTION("set entry longer than the set") {
    std::string set;
    for (std::uint32_t v : {0xfade0c01u, 36u, 1u, 3u, 20u, 0xfade0c00u, 100u, 1u, 1u}) put_u32(set, v);
    check_rejected(set, "requirements.blob.bad_length", 24, true);
  }
  SECTION("set entry with the wrong magic") {
    std::string set;
    for (std::uint32_t v : {0xfade0c01u, 36u, 1u, 3u, 20u, 0xfade0c02u, 16u, 1u, 1u}) put_u32(set, v);
    check_rejected(set, "requirements.blob.bad_magic", 20, true);
  }
  SECTION("set header") {
    std::string set;
    for (std::uint32_t v : {0xfade0c01u, 200u, 0u}) put_u32(set, v);
    check_rejected(set, "requirements.blob.bad_length", 4, true);
    std::string small;
    for (std::uint32_t v : {0xfade0c01u, 8u, 0u}) put_u32(small, v);
    check_rejected(small, "requirements.blob.bad_length", 4, true);
    check_rejected(std::string("\xfa\xde\x0c\x01\x00\x00", 6), "requirements.blob.truncated", 4, true);
    check_rejected(std::string("\xfa\xde", 2), "requirements.blob.truncated", 0, true);
    check_rejected(requirement_blob(Program().op(opTrue).bytes()), "requirements.blob.bad_magic", 0, true);
  }
  SECTION("requirement header") {
    check_rejected(requirement_blob(Program().op(opTrue).bytes(), 2), "requirements.kind.unsupported", 8);
    check_rejected(requirement_blob(Program().op(opTrue).bytes(), 0), "requirements.kind.unsupported", 8);
    std::string short_length;
    for (std::uint32_t v : {0xfade0c00u, 8u, 1u}) put_u32(short_length, v);
    check_rejected(short_length, "requirements.blob.bad_length", 4);
    std::string long_length;
    for (std::uint32_t v : {0xfade0c00u, 17u, 1u, 1u}) put_u32(long_length, v);
    check_rejected(long_length, "requirements.blob.bad_length", 4);
    check_rejected(std::string("\xfa\xde\x0c\x00\x00\x00\x00\x10", 8), "requirements.blob.bad_length", 4);
    check_rejected(requirement_blob(""), "requirements.expr.truncated", 12);
  }
  SECTION("program errors") {
    check_rejected(requirement_blob(std::string("\x00\x00", 2)), "requirements.expr.truncated", 12);
    check_rejected(requirement_blob(Program().op(opAnd).op(opTrue).bytes()), "requirements.expr.truncated", 20);
    check_rejected(requirement_blob(Program().op(opIdent).bytes()), "requirements.expr.truncated", 16);
    check_rejected(requirement_blob(Program().op(opIdent).op(5).raw("abcd").bytes()),
                   "requirements.data.out_of_range", 16);
    check_rejected(requirement_blob(Program().op(opAnd).op(opTrue).op(24).bytes()), "requirements.opcode.unknown", 20);
    check_rejected(requirement_blob(Program().op(0x00FFFFFF).bytes()), "requirements.opcode.unknown", 12);
    check_rejected(requirement_blob(Program().op(opInfoKeyField).data("K").op(15).bytes()),
                   "requirements.match.unknown", 24);
    check_rejected(requirement_blob(Program().op(opInfoKeyField).data("K").bytes()), "requirements.expr.truncated", 24);
    check_rejected(requirement_blob(Program().op(0x40000070).op(9).raw("abcd").bytes()),
                   "requirements.data.out_of_range", 16);
    check_rejected(requirement_blob(Program().op(0x40000070).op(0).bytes()), "requirements.expr.truncated", 20);
    check_rejected(requirement_blob(Program().op(opCertField).bytes()), "requirements.expr.truncated", 16);
    check_rejected(requirement_blob(Program().op(opPlatform).raw("\x00\x01").bytes()), "requirements.expr.truncated", 16);
    check_rejected(requirement_blob(Program().op(opCertFieldDate).i32(0).data("\x2A").op(matchOn).op(0).bytes()),
                   "requirements.expr.truncated", 32);
  }
}

TEST_CASE("requirements: text limit stops aliased set entries", "[codesign][requirements]") {
  // Three index entries pointing at one blob that prints "anchor apple generic" (20 bytes).
  std::string set;
  for (std::uint32_t v : {0xfade0c01u, 52u, 3u, 3u, 36u, 4u, 36u, 5u, 36u}) put_u32(set, v);
  set += requirement_blob(Program().op(opAppleGenericAnchor).bytes());
  REQUIRE(set.size() == 52);
  RequirementOptions options;
  options.max_text_bytes = 60;
  auto ok = parse_requirement_set(as_bytes(set), options);
  REQUIRE(ok.ok());
  CHECK(ok->text() == "designated => anchor apple generic\nlibrary => anchor apple generic\n"
                      "plugin => anchor apple generic\n");
  options.max_text_bytes = 59;
  check_rejected(set, "requirements.text.limit", 36, true, options);
  auto r = parse_requirement_set(as_bytes(set), options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().message.find("RequirementOptions::max_text_bytes") != std::string::npos);
  // A single requirement is held to the same limit.
  options.max_text_bytes = 19;
  check_rejected(requirement_blob(Program().op(opAppleGenericAnchor).bytes()), "requirements.text.limit", 0,
                 false, options);
  options.max_text_bytes = 20;
  CHECK(parse_requirement(as_bytes(requirement_blob(Program().op(opAppleGenericAnchor).bytes())), options).ok());
}

namespace {

std::string nested_nots(std::size_t nots) {
  Program p;
  for (std::size_t i = 0; i < nots; ++i) p.op(opNot);
  p.op(opTrue);
  return requirement_blob(p.bytes());
}

}  // namespace

TEST_CASE("requirements: depth limit matches Security's stackLimit", "[codesign][requirements]") {
  // Levels: the top expression is 1. Security rejects a node at level >= 1000.
  auto ok = parse_requirement(as_bytes(nested_nots(998)));  // 999 levels
  REQUIRE(ok.ok());
  CHECK(ok->text.size() == 998 * 2 + 6);
  // 1000 levels: the innermost node (offset 12 + 4 * 999) is at level 1000.
  check_rejected(nested_nots(999), "requirements.depth.limit", 12 + 4 * 999);
  // 1001 levels: the 1000th not is the first rejected.
  check_rejected(nested_nots(1000), "requirements.depth.limit", 12 + 4 * 999);
  auto r = parse_requirement(as_bytes(nested_nots(1000)));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().message.find("RequirementOptions::max_depth") != std::string::npos);

  RequirementOptions three;
  three.max_depth = 3;
  CHECK(parse_requirement(as_bytes(nested_nots(1)), three).ok());   // 2 levels
  check_rejected(nested_nots(2), "requirements.depth.limit", 20, false, three);  // 3 levels
  check_rejected(nested_nots(3), "requirements.depth.limit", 20, false, three);  // 4 levels
  RequirementOptions deep;
  deep.max_depth = 2000;
  CHECK(parse_requirement(as_bytes(nested_nots(1500)), deep).ok());
}

TEST_CASE("requirements: 200000 nested nots and ands stop at the limit without recursion", "[codesign][requirements]") {
  check_rejected(nested_nots(200000), "requirements.depth.limit", 12 + 4 * 999);
  Program left;
  for (int i = 0; i < 200000; ++i) left.op(opAnd);
  check_rejected(requirement_blob(left.bytes()), "requirements.depth.limit", 12 + 4 * 999);
  // Wide but shallow: a long right-leaning chain of ors within the limit.
  Program chain;
  for (int i = 0; i < 900; ++i) chain.op(opOr).op(opTrue);
  chain.op(opFalse);
  auto wide = parse_requirement(as_bytes(requirement_blob(chain.bytes())));
  REQUIRE(wide.ok());
  CHECK(wide->text.size() == 900 * std::string("always or ").size() + 5);
}

namespace {

// Requirement sets found through code signature SuperBlobs (0xfade0cc0, slot 2) in a file.
std::vector<std::pair<std::uint64_t, std::string>> requirement_sets_in(const std::string& file) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& e : entsig_test::superblob_entries(file))
    if (e.type == 2 && e.offset < e.superblob_length)
      out.push_back({e.superblob_at + e.offset, file.substr(e.superblob_at + e.offset, e.superblob_length - e.offset)});
  return out;
}

}  // namespace

TEST_CASE("requirements: real-world Mach-O requirement sets", "[codesign][requirements][realworld]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(ENTSIG_SHARED_DIR) / "realworld" / "macho";
  if (!fs::is_directory(dir)) {
    WARN("real-world Mach-O files not found at " << dir << "; skipped");
    return;
  }
  // What codesign -d -r- prints for some of them (the requirement forms codesign writes for
  // Apple binaries, Developer ID, development and self-signed identities). Each set found in
  // the file must print as one of the listed texts.
  const std::map<std::string, std::vector<std::string>> known = {
      {"radareorg__radare2-testbins__cat-macos-arm64", {"designated => identifier \"com.apple.cat\" and anchor apple\n"}},
      {"radareorg__radare2-testbins__ls-sequoia", {"designated => identifier \"com.apple.ls\" and anchor apple\n"}},
      {"radareorg__radare2-testbins__libexpat.1.dylib",
       {"designated => identifier \"libexpat.1\" and anchor apple generic and "
        "certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and "
        "certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and "
        "certificate leaf[subject.OU] = EG7KH642X6\n"}},
      {"radareorg__radare2-testbins__libr_flag.dylib",
       {"designated => identifier \"libr_flag\" and certificate leaf = H\"00d2a810e79afcd64ec1937fdc6ef6dbc0788ec4\"\n"}},
      {"radareorg__radare2-testbins__TestSwiftObjc",
       {"designated => identifier TestSwiftObjc and anchor apple generic and "
        "certificate leaf[subject.CN] = \"Apple Development: Francesco Tamagni (EKF6CY57W8)\" and "
        "certificate 1[field.1.2.840.113635.100.6.2.1] /* exists */\n"}},
      {"radareorg__radare2-testbins__fatmach0-3true",
       {"library => identifier \"libSystem.B.dylib\" and anchor apple\n",
        "host => anchor apple and identifier \"com.apple.translate\"\n"
        "library => identifier \"libSystem.B.dylib\" and anchor apple\n"}},
  };
  std::size_t files = 0, sets = 0, designated = 0, matched_known = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string name = entry.path().filename().string();
    INFO(name);
    ++files;
    for (const auto& [offset, blob] : requirement_sets_in(file)) {
      auto set = parse_requirement_set(as_bytes(blob), {}, offset);
      INFO("set at " << offset << ": " << (set.ok() ? std::string() : set.error().describe()));
      REQUIRE(set.ok());
      ++sets;
      const std::string text = set->text();
      for (const auto& e : set->entries) {
        if (e.type != 3) continue;
        ++designated;
        CHECK(text.find("designated => " + e.requirement.text + "\n") != std::string::npos);
        CHECK(e.requirement.trailing_bytes == 0);
      }
      if (set->entries.size() == 1 && set->entries[0].type == 3) CHECK(text.rfind("designated => ", 0) == 0);
      if (auto k = known.find(name); k != known.end()) {
        CHECK_THAT(k->second, Catch::Matchers::VectorContains(text));
        ++matched_known;
      }
    }
  }
  CHECK(files > 0);
  CHECK(sets > 0);
  CHECK(designated > 0);
  CHECK(matched_known >= known.size());
  WARN(files << " files, " << sets << " requirement sets, " << designated << " designated requirements decoded");
}

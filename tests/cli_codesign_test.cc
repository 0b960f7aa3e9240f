// CLI tests for `entsig inspect` and `entsig verify`: the built binary on the ld64.lld
// fixtures, damaged copies of them, and the real-world files. Expected values come from the
// library's own model of the same bytes (cdhash, offsets, counts) and from
// macho_signatures.tsv; the tests check that the CLI reports them exactly.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "entsig/codesign.h"
#include "entsig/plist.h"
#include "macho_test_support.h"

using namespace entsig;
using entsig_cli_test::quote;
using entsig_cli_test::RunResult;
using entsig_cli_test::Scratch;
using entsig_test::fixtures_dir;
using entsig_test::have_fixtures;
using entsig_test::have_realworld;
using entsig_test::put_u32;
using entsig_test::read_file;
using entsig_test::realworld_dir;
using entsig_test::view;
using Json = nlohmann::ordered_json;

namespace {

struct Parsed {
  std::vector<std::uint8_t> data;
  std::optional<macho::File> file;
};

Parsed parse_file(const std::vector<std::uint8_t>& data) {
  Parsed p;
  p.data = data;
  auto file = macho::parse(view(p.data));
  REQUIRE(file.ok());
  p.file = std::move(*file);
  return p;
}

codesign::Signature signature_of(const macho::Slice& slice) {
  auto sig = codesign::parse_signature(slice);
  REQUIRE(sig.ok());
  return std::move(*sig);
}

Json parse_json(const RunResult& r) {
  INFO(r.out << r.err);
  REQUIRE(!r.out.empty());
  REQUIRE(r.out.back() == '\n');
  return Json::parse(r.out);
}

// What inspect must print for an ld64.lld CodeDirectory, built from the library's model.
Json expected_lld_code_directory(const codesign::CodeDirectory& cd, const std::string& name, bool main_binary) {
  Json j;
  j["slot"] = "code-directory";
  j["offset"] = cd.file_offset;
  j["length"] = cd.length;
  j["version"] = "0x20400";
  j["flags"] = "0x20002";
  j["flag_names"] = {"adhoc", "linker-signed"};
  j["hash_type"] = "sha256";
  j["hash_size"] = 32;
  j["page_size"] = 4096;
  j["identifier"] = name;  // lld names the CodeDirectory after the output file
  j["team_id"] = nullptr;
  j["platform"] = 0;
  j["code_slots"] = cd.code_slot_count;
  j["special_slots"] = 0;
  j["code_limit"] = cd.code_limit();
  j["exec_segment"] = {{"base", cd.exec_seg_base},
                       {"limit", cd.exec_seg_limit},
                       {"flags", main_binary ? "0x1" : "0x0"},
                       {"flag_names", main_binary ? Json::array({"main-binary"}) : Json::array()}};
  j["runtime"] = nullptr;
  j["cdhash"] = cd.cdhash_hex();
  j["cdhash_full"] = cd.cdhash_full.hex();
  return j;
}

std::string error_line_of(const Error& e) { return "error: " + e.describe() + "\n"; }

std::string error_json_of(const Error& e) {
  Json j;
  j["error"] = {{"code", std::string(e.id())}, {"offset", e.offset}, {"message", e.message}};
  return j.dump() + "\n";
}

std::string realworld_file(std::string_view name) {
  return (realworld_dir() / "macho" / ("radareorg__radare2-testbins__" + std::string(name))).string();
}

}  // namespace

// ---------------------------------------------------------------------------
// inspect on the fixtures

TEST_CASE("cli codesign: inspect --json on ld64.lld fixtures", "[cli][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::map<std::string, std::pair<std::string, std::string>> fixtures = {
      {"exe_arm64", {"arm64", "execute"}},
      {"exe_x86_64", {"x86_64", "execute"}},
      {"libfixture.dylib", {"arm64", "dylib"}},
      {"fixture.bundle", {"arm64", "bundle"}},
  };
  for (const auto& [name, kind] : fixtures) {
    INFO(name);
    const std::string path = (fixtures_dir() / name).string();
    auto p = parse_file(read_file(path));
    const auto& slice = p.file->slices.at(0);
    const auto sig = signature_of(slice);
    const auto& cd = sig.code_directories.at(0);
    auto r = s.run("inspect --json " + quote(path));
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    const Json j = parse_json(r);
    CHECK(j["format"] == "macho");
    CHECK(j["kind"] == "thin");
    REQUIRE(j["slices"].size() == 1);
    const Json& js = j["slices"][0];
    CHECK(js["cpu"] == kind.first);
    CHECK(js["file_type"] == kind.second);
    CHECK(js["offset"] == 0);
    CHECK(js["size"] == p.data.size());
    // -platform_version macos 11.0 11.0 (tests/fixtures/CMakeLists.txt).
    CHECK(js["platforms"] == Json::array({Json{{"platform", "macos"}, {"minos", "11.0"}, {"sdk", "11.0"}}}));
    const Json& sj = js["signature"];
    CHECK(sj["offset"] == slice.signature_offset());
    CHECK(sj["size"] == slice.code_signature->datasize);
    CHECK(sj["magic"] == "embedded-signature");
    CHECK(sj["blobs"] == Json::array({Json{{"slot", "code-directory"},
                                           {"magic", "code-directory"},
                                           {"offset", cd.file_offset},
                                           {"length", cd.length}}}));
    REQUIRE(sj["code_directories"].size() == 1);
    CHECK(sj["code_directories"][0] == expected_lld_code_directory(cd, name, kind.second == "execute"));
    CHECK(sj["code_directories"][0]["cdhash"].get<std::string>().size() == 40);
    for (const char* key : {"entitlements", "der_entitlements", "der_entitlements_deviations", "requirements", "cms"})
      CHECK(sj[key].is_null());
    // lld aligns the CodeDirectory after the index.
    REQUIRE(sj["diagnostics"].size() == 1);
    CHECK(sj["diagnostics"][0]["id"] == "codesign.diag.blobs_not_tiled");
  }
}

TEST_CASE("cli codesign: inspect text on a fixture", "[cli][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string path = (fixtures_dir() / "exe_arm64").string();
  auto p = parse_file(read_file(path));
  const auto& slice = p.file->slices.at(0);
  const auto sig = signature_of(slice);
  const auto& cd = sig.code_directories.at(0);
  const auto n = [](std::uint64_t v) { return std::to_string(v); };
  const std::string expected =
      "Format=Mach-O thin (arm64)\n"
      "Slice 0: arm64 execute offset=0 size=" + n(p.data.size()) + "\n" +
      "Signature offset=" + n(slice.signature_offset()) + " size=" + n(slice.code_signature->datasize) +
      " magic=embedded-signature length=" + n(sig.length) + " blobs=1\n" +
      "Blob slot=code-directory magic=code-directory offset=" + n(cd.file_offset) + " length=" + n(cd.length) + "\n" +
      "CodeDirectory v=20400 size=" + n(cd.length) + " flags=0x20002(adhoc,linker-signed) hashes=" +
      n(cd.code_slot_count) + "+0 slot=code-directory offset=" + n(cd.file_offset) + "\n" +
      "Identifier=exe_arm64\n"
      "TeamIdentifier=not set\n"
      "Hash type=sha256 size=32\n"
      "Page size=4096\n"
      "Code limit=" + n(cd.code_limit()) + "\n" +
      "Executable segment base=" + n(cd.exec_seg_base) + " limit=" + n(cd.exec_seg_limit) + " flags=0x1(main-binary)\n" +
      "CDHash=" + cd.cdhash_hex() + "\n" +
      "CandidateCDHashFull sha256=" + cd.cdhash_full.hex() + "\n" +
      "Signature=none (no CMS blob)\n"
      "Entitlements=none\n"
      "DER Entitlements=none\n"
      "Requirements=none\n"
      "Diagnostic " + std::string(sig.diagnostics.at(0).id) + " at offset " + n(sig.diagnostics.at(0).offset) + ": " +
      sig.diagnostics.at(0).message + "\n";
  auto r = s.run("inspect " + quote(path));
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == expected);
}

TEST_CASE("cli codesign: inspect a fat file, a raw SuperBlob and a raw CodeDirectory", "[cli][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  auto fat = parse_file(read_file(fixtures_dir() / "fat_exe"));
  auto r = s.run("inspect --json " + quote((fixtures_dir() / "fat_exe").string()));
  CHECK(r.status == 0);
  const Json j = parse_json(r);
  CHECK(j["kind"] == "fat");
  REQUIRE(j["slices"].size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& slice = fat.file->slices[i];
    const auto sig = signature_of(slice);
    CHECK(j["slices"][i]["cpu"] == slice.cpu_name());
    CHECK(j["slices"][i]["offset"] == slice.offset);
    CHECK(j["slices"][i]["signature"]["offset"] == slice.signature_offset());
    CHECK(j["slices"][i]["signature"]["code_directories"][0]["cdhash"] == sig.code_directories.at(0).cdhash_hex());
    // The slice's cdhash is the thin file's: lipo copies the slices unchanged.
    const std::string thin = slice.cpu_name() == "arm64" ? "exe_arm64" : "exe_x86_64";
    auto t = parse_file(read_file(fixtures_dir() / thin));
    CHECK(j["slices"][i]["signature"]["code_directories"][0]["cdhash"] ==
          signature_of(t.file->slices[0]).code_directories.at(0).cdhash_hex());
  }

  auto thin = parse_file(read_file(fixtures_dir() / "exe_arm64"));
  const auto& slice = thin.file->slices[0];
  const auto sig = signature_of(slice);
  const auto& cd = sig.code_directories.at(0);
  const auto sb = Bytes(thin.data).subspan(slice.signature_offset(), slice.code_signature->datasize);
  const auto cd_bytes = Bytes(thin.data).subspan(cd.file_offset, cd.length);

  r = s.run("inspect --json " + quote(s.file("sig.bin", std::vector<std::uint8_t>(sb.begin(), sb.end()))));
  CHECK(r.status == 0);
  const Json raw = parse_json(r);
  CHECK(raw["format"] == "superblob");
  CHECK_FALSE(raw.contains("slices"));
  const Json& rs = raw["signature"];
  CHECK(rs["offset"] == 0);
  CHECK(rs["size"] == sb.size());
  // Offsets are within the input file: the CodeDirectory sits where it sat in the SuperBlob.
  CHECK(rs["blobs"][0]["offset"] == cd.file_offset - slice.signature_offset());
  CHECK(rs["code_directories"][0]["cdhash"] == cd.cdhash_hex());

  r = s.run("inspect --json " + quote(s.file("cd.bin", std::vector<std::uint8_t>(cd_bytes.begin(), cd_bytes.end()))));
  CHECK(r.status == 0);
  const Json bare = parse_json(r);
  CHECK(bare["format"] == "code-directory");
  CHECK(bare["signature"]["magic"] == "code-directory");
  CHECK(bare["signature"]["blobs"] == Json::array());
  CHECK(bare["signature"]["size"] == cd.length);
  Json expected_cd = expected_lld_code_directory(cd, "exe_arm64", true);
  expected_cd["offset"] = 0;
  CHECK(bare["signature"]["code_directories"][0] == expected_cd);
}

// ---------------------------------------------------------------------------
// verify on the fixtures and damaged copies

TEST_CASE("cli codesign: verify fixtures", "[cli][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string path = (fixtures_dir() / "exe_arm64").string();
  auto p = parse_file(read_file(path));
  const auto sig = signature_of(p.file->slices[0]);
  const auto& cd = sig.code_directories.at(0);
  auto r = s.run("verify " + quote(path));
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "slice 0 (arm64): valid, cdhash " + cd.cdhash_hex() + " (sha256, code-directory), cms absent\nvalid\n");

  r = s.run("verify --json " + quote(path));
  CHECK(r.status == 0);
  const Json j = parse_json(r);
  CHECK(j["valid"] == true);
  REQUIRE(j["slices"].size() == 1);
  const Json& v = j["slices"][0];
  CHECK(v["status"] == "valid");
  CHECK(v["error"].is_null());
  CHECK(v["chosen_slot"] == "code-directory");
  CHECK(v["cdhash"] == cd.cdhash_hex());
  CHECK(v["hash_type"] == "sha256");
  CHECK(v["code_pages_ok"] == true);
  CHECK(v["bad_pages"] == Json::array());
  CHECK(v["special_slots_ok"] == true);
  CHECK(v["cms"] == Json{{"status", "absent"}, {"signers", Json::array()}});
  REQUIRE(v["code_directories"].size() == 1);
  CHECK(v["code_directories"][0]["pages_checked"] == cd.code_slot_count);
  CHECK(v["code_directories"][0]["special_slots"].size() == 11);

  r = s.run("verify " + quote((fixtures_dir() / "fat_exe").string()));
  CHECK(r.status == 0);
  CHECK(r.out.substr(r.out.size() - 6) == "valid\n");
}

TEST_CASE("cli codesign: verify names the damaged page and slot", "[cli][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const auto original = read_file(fixtures_dir() / "exe_arm64");
  auto p = parse_file(original);
  const auto& slice = p.file->slices[0];
  const auto sig = signature_of(slice);
  const auto& cd = sig.code_directories.at(0);
  const std::uint32_t pages = cd.code_slot_count;
  REQUIRE(pages > 4);

  SECTION("one flipped byte in page 2") {
    auto copy = original;
    copy[2 * 4096 + 5] ^= 0x01;
    const std::string file = s.file("page2", copy);
    auto r = s.run("verify " + quote(file));
    CHECK(r.status == 1);
    CHECK(r.err.empty());
    CHECK(r.out == "slice 0 (arm64): invalid, cdhash " + cd.cdhash_hex() +
                       " (sha256, code-directory), cms absent\n  code-directory: page 2 hash mismatch\ninvalid\n");
    r = s.run("verify --json " + quote(file));
    CHECK(r.status == 1);
    const Json j = parse_json(r);
    CHECK(j["valid"] == false);
    CHECK(j["slices"][0]["status"] == "invalid");
    CHECK(j["slices"][0]["bad_pages"] == Json::array({2}));
    CHECK(j["slices"][0]["code_directories"][0]["bad_pages"] == Json::array({2}));
    CHECK(j["slices"][0]["code_pages_ok"] == false);
    CHECK(j["slices"][0]["special_slots_ok"] == true);
  }
  SECTION("page 3 and the partial last page") {
    auto copy = original;
    copy[3 * 4096 + 100] ^= 0x40;
    copy[slice.code_signature->dataoff - 1] ^= 0x80;
    auto r = s.run("verify --json " + quote(s.file("two", copy)));
    CHECK(r.status == 1);
    CHECK(parse_json(r)["slices"][0]["bad_pages"] == Json::array({3, pages - 1}));
  }
  SECTION("a malformed signature is a rejected input") {
    auto copy = original;
    put_u32(copy, slice.signature_offset(), codesign::kMagicEmbeddedSignatureOld, Endian::big);
    auto damaged = parse_file(copy);
    auto expected = codesign::parse_signature(damaged.file->slices[0]);
    REQUIRE_FALSE(expected.ok());
    REQUIRE(expected.error().id() == "codesign.superblob.bad_magic");
    const std::string file = s.file("magic", copy);
    auto r = s.run("verify " + quote(file));
    CHECK(r.status == 1);
    CHECK(r.err == error_line_of(expected.error()));
    CHECK(r.out == "slice 0 (arm64): malformed: " + expected.error().describe() + "\ninvalid\n");
    r = s.run("verify --json " + quote(file));
    CHECK(r.status == 1);
    CHECK(r.err.empty());
    const Json j = parse_json(r);
    CHECK(j["slices"][0]["status"] == "malformed");
    CHECK(j["slices"][0]["error"] == Json{{"code", "codesign.superblob.bad_magic"},
                                          {"offset", slice.signature_offset()},
                                          {"message", expected.error().message}});
    r = s.run("inspect " + quote(file));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == error_line_of(expected.error()));
    r = s.run("inspect --json " + quote(file));
    CHECK(r.status == 1);
    CHECK(r.err.empty());
    CHECK(r.out == error_json_of(expected.error()));
  }
  SECTION("a Mach-O error rejects the input before any slice") {
    auto copy = original;
    put_u32(copy, slice.code_signature->command_offset + 8, 0xffffff00, Endian::little);
    auto expected = macho::parse(view(copy));
    REQUIRE_FALSE(expected.ok());
    REQUIRE(expected.error().id() == "macho.code_signature.range_overflow");
    const std::string file = s.file("dataoff", copy);
    for (const char* verb : {"verify ", "inspect "}) {
      INFO(verb);
      auto r = s.run(verb + quote(file));
      CHECK(r.status == 1);
      CHECK(r.out.empty());
      CHECK(r.err == error_line_of(expected.error()));
      r = s.run(std::string(verb) + "--json " + quote(file));
      CHECK(r.status == 1);
      CHECK(r.out == error_json_of(expected.error()));
    }
  }
}

TEST_CASE("cli codesign: inputs that are not signatures", "[cli]") {
  Scratch s;
  const std::string text = s.file("text", std::string("hello"));
  auto r = s.run("inspect " + quote(text));
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: core.unknown_format at offset 0: input is not in any recognised format: expected a Mach-O file, an "
        "embedded signature (0xfade0cc0) or a CodeDirectory (0xfade0c02)\n");
  r = s.run("inspect --json " + quote(s.file("empty", std::string())));
  CHECK(r.status == 1);
  CHECK(r.out == "{\"error\":{\"code\":\"core.empty_input\",\"offset\":0,\"message\":\"input is empty\"}}\n");
  // verify needs the code the page hashes cover.
  const std::string superblob = s.file("sb", std::vector<std::uint8_t>{0xfa, 0xde, 0x0c, 0xc0, 0, 0, 0, 12, 0, 0, 0, 0});
  r = s.run("verify " + quote(superblob));
  CHECK(r.status == 1);
  CHECK(r.err ==
        "error: core.unknown_format at offset 0: input is not in any recognised format: verify needs a Mach-O file\n");
  r = s.run("inspect --json " + quote(superblob));  // no CodeDirectory: XNU refuses it
  CHECK(r.status == 1);
  CHECK(parse_json(r)["error"]["code"] == "codesign.superblob.no_code_directory");
  CHECK(parse_json(r)["error"]["offset"] == 8);
  r = s.run("verify " + quote(s.path("missing").string()));
  CHECK(r.status == 1);
  CHECK(r.err == "error: core.io at offset 0: input could not be read: " + s.path("missing").string() +
                     ": No such file or directory\n");
  r = s.run("verify");
  CHECK(r.status == 2);
  r = s.run("inspect --help");
  CHECK(r.status == 0);
  CHECK(r.out.find("--json") != std::string::npos);
}

TEST_CASE("cli codesign: inspect, verify and check charge the run's output budget", "[cli][fixtures][budget]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string exe = quote((fixtures_dir() / "exe_arm64").string());
  // The full outputs, then each with a budget one byte short of them.
  for (const std::string verb : {"inspect --json", "inspect", "verify --json", "verify", "check --json", "check"}) {
    INFO(verb);
    auto full = s.run(verb + " " + exe);
    // check finds runtime-missing (an error finding: exit 1); the others pass.
    REQUIRE(full.status == (verb.rfind("check", 0) == 0 ? 1 : 0));
    const std::string size = std::to_string(full.out.size());
    auto exact = s.run(verb + " --max-output-bytes " + size + " " + exe);
    CHECK(exact.status == full.status);
    CHECK(exact.out == full.out);
    auto short_one = s.run(verb + " --max-output-bytes " + std::to_string(full.out.size() - 1) + " " + exe);
    CHECK(short_one.status == 1);
    const bool json = verb.find("--json") != std::string::npos;
    const std::string& report = json ? short_one.out : short_one.err;
    CHECK(report.find("core.budget.output_bytes") != std::string::npos);
    // Text is charged whole (offset 0); JSON as it is written, so it stops before the limit.
    if (!json) CHECK(short_one.err.rfind("error: core.budget.output_bytes at offset 0: ", 0) == 0);
    if (json) CHECK(parse_json(short_one)["error"]["offset"].get<std::uint64_t>() < full.out.size());
  }
  auto bad = s.run("inspect --max-expanded-bytes lots " + exe);
  CHECK(bad.status == 2);
}

TEST_CASE("cli codesign: inspect reads entitlements under the run's expanded budget", "[cli][realworld][budget]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  Scratch s;
  const std::string path = realworld_file("SwiftUITest");
  auto p = parse_file(read_file(path));
  const auto sig = signature_of(p.file->slices.at(0));
  const codesign::Blob* blob = sig.find_blob(codesign::kSlotEntitlements);
  REQUIRE(blob != nullptr);
  // Where the XML reader refuses its first string under a budget of one byte, in the file.
  Limits tight;
  tight.max_expanded_bytes = 1;
  Budget one(tight);
  auto refused = plist::read_xml(blob->payload(), plist::XmlOptions::strict(), one);
  REQUIRE_FALSE(refused.ok());
  REQUIRE(refused.error().id() == "core.budget.expanded_bytes");
  const std::uint64_t offset = blob->file_offset + 8 + refused.error().offset;
  auto r = s.run("inspect --json --max-expanded-bytes 1 " + quote(path));
  CHECK(r.status == 1);
  const Json j = parse_json(r);
  CHECK(j["error"]["code"] == "core.budget.expanded_bytes");
  CHECK(j["error"]["offset"] == offset);
  // The default budget reads it.
  CHECK(s.run("inspect --json " + quote(path)).status == 0);
}

// ---------------------------------------------------------------------------
// Real-world files

TEST_CASE("cli codesign: verify real-world files", "[cli][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  Scratch s;
  // realworld/README.md: these two were modified after signing.
  const std::map<std::string, std::vector<int>> invalid = {
      {"radareorg__radare2-testbins__TestMacOS-arm64e", {0, 12, 13}},
      {"radareorg__radare2-testbins__r2_hang_test", {2}},
  };
  std::size_t valid_files = 0, invalid_files = 0;
  for (const auto& path : entsig_test::realworld_machos()) {
    const std::string name = path.filename().string();
    INFO(name);
    auto r = s.run("verify --json " + quote(path.string()));
    CHECK(r.err.empty());
    const Json j = parse_json(r);
    const auto it = invalid.find(name);
    if (it == invalid.end()) {
      CHECK(r.status == 0);
      CHECK(j["valid"] == true);
      for (const auto& slice : j["slices"]) CHECK(slice["status"] == "valid");
      ++valid_files;
      continue;
    }
    CHECK(r.status == 1);
    CHECK(j["valid"] == false);
    REQUIRE(j["slices"].size() == 1);
    CHECK(j["slices"][0]["status"] == "invalid");
    CHECK(j["slices"][0]["bad_pages"] == Json(it->second));
    CHECK(j["slices"][0]["special_slots_ok"] == true);
    // The CMS still agrees: only code pages changed after signing.
    const bool adhoc = name.find("r2_hang_test") != std::string::npos;
    CHECK(j["slices"][0]["cms"]["status"] == (adhoc ? "empty" : "agree"));
    auto text = s.run("verify " + quote(path.string()));
    CHECK(text.status == 1);
    for (int page : it->second)
      CHECK(text.out.find("  code-directory: page " + std::to_string(page) + " hash mismatch\n") != std::string::npos);
    CHECK(text.out.substr(text.out.size() - 8) == "invalid\n");
    ++invalid_files;
  }
  CHECK(valid_files == 28);
  CHECK(invalid_files == 2);
}

TEST_CASE("cli codesign: inspect real-world files against macho_signatures.tsv", "[cli][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  Scratch s;
  std::size_t slices = 0;
  for (const auto& row : entsig_test::read_signatures_tsv()) {
    INFO(row.path);
    auto r = s.run("inspect --json " + quote((realworld_dir() / row.path).string()));
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    const Json j = parse_json(r);
    REQUIRE(j["slices"].size() == row.slices.size());
    for (std::size_t i = 0; i < row.slices.size(); ++i) {
      INFO("slice " << i);
      const auto& want = row.slices[i];
      const Json& sig = j["slices"][i]["signature"];
      REQUIRE(sig.is_object());
      REQUIRE(sig["code_directories"].size() == want.code_directories.size());
      for (std::size_t k = 0; k < want.code_directories.size(); ++k) {
        const Json& cd = sig["code_directories"][k];
        CHECK(cd["identifier"] == want.identifier);
        CHECK(cd["team_id"] == (want.team ? Json(*want.team) : Json(nullptr)));
        CHECK(cd["hash_type"] == want.code_directories[k].hash);
        CHECK(cd["version"] == codesign::format_hex(want.code_directories[k].version));
        CHECK(cd["flags"] == codesign::format_hex(want.code_directories[k].flags));
      }
      CHECK(sig["entitlements"].is_null() == (want.entitlements.find("xml") == std::string::npos));
      CHECK(sig["der_entitlements"].is_null() == (want.entitlements.find("der") == std::string::npos));
      if (want.cms_size == 0) {
        CHECK((sig["cms"].is_null() || sig["cms"]["empty"] == true));
      } else {
        const Json& cms = sig["cms"];
        CHECK(cms["empty"] == false);
        CHECK(cms["length"] == want.cms_size);
        REQUIRE(cms["signers"].size() == 1);
        const Json& signer = cms["signers"][0];
        const std::string cn = cms["certificates"][signer["certificate"].get<std::size_t>()]["common_name"];
        CHECK(cn.substr(0, cn.find(',')) == want.leaf);
      }
      ++slices;
    }
  }
  CHECK(slices == 39);
  // Text output names the signer chain as codesign does (Authority= lines, leaf first).
  auto r = s.run("inspect " + quote(realworld_file("MASTestApp")));
  CHECK(r.status == 0);
  CHECK(r.out.find("Authority=Apple Development: perezholguera@hotmail.com (ZPS6MDSKNS)\n"
                   "Authority=Apple Worldwide Developer Relations Certification Authority\n"
                   "Authority=Apple Root CA\n"
                   "Signed Time=2024-08-19T08:05:54Z\n") != std::string::npos);
  CHECK(r.out.find("Requirements:\ndesignated => identifier \"org.owasp.mastestapp.MASTestApp-iOS\" and anchor apple "
                   "generic") != std::string::npos);
}

TEST_CASE("cli codesign: verify reports a CMS that disagrees", "[cli][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  Scratch s;
  auto copy = read_file(realworld_file("MASTestApp"));
  auto p = parse_file(copy);
  const auto sig = signature_of(p.file->slices[0]);
  const auto& cd = *sig.primary_code_directory();
  const std::string signed_cdhash = cd.cdhash_hex();
  copy[cd.file_offset + cd.identifier_offset] ^= 0x20;  // pages still match; the cdhash does not
  const std::string file = s.file("changed", copy);
  auto r = s.run("verify " + quote(file));
  CHECK(r.status == 1);
  auto changed = parse_file(copy);
  const std::string now = signature_of(changed.file->slices[0]).primary_code_directory()->cdhash_hex();
  CHECK(now != signed_cdhash);
  CHECK(r.out == "slice 0 (arm64): invalid, cdhash " + now +
                     " (sha256, code-directory), cms disagree\n"
                     "  cms signer 0: message digest does not match the code-directory\n"
                     "  cms signer 0: cdhash " + signed_cdhash + " matches no CodeDirectory\n" +
                     "  cms signer 0: sha256 cdhash " + cd.cdhash_full.hex() + " matches no CodeDirectory\n" +
                     "  cms signer 0: code-directory is not listed\n"
                     "invalid\n");
  r = s.run("verify --json " + quote(file));
  const Json j = parse_json(r);
  const Json& cms = j["slices"][0]["cms"];
  CHECK(cms["status"] == "disagree");
  CHECK(cms["signers"][0]["ok"] == false);
  CHECK(cms["signers"][0]["message_digest_ok"] == false);
  CHECK(cms["signers"][0]["cdhashes"] ==
        Json::array({Json{{"cdhash", signed_cdhash}, {"match", "mismatch"}, {"slot", nullptr}}}));
  CHECK(cms["signers"][0]["unlisted_slots"] == Json::array({"code-directory"}));
}

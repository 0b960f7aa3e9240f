// `entsig check`: exact text, JSON and SARIF output, exit statuses, every input kind (plist,
// DER, Mach-O, bundle directories built from the ld64.lld fixtures), rejected inputs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "entitlements_test_support.h"
#include "entsig/entitlements.h"
#include "sarif_validator.h"

using namespace entsig_cli_test;
using entsig_test::der_of;
using entsig_test::plist_xml;
using entsig_test::with_entitlements;

namespace {

std::string key(std::string_view k, std::string_view v = "<true/>") {
  return "<key>" + std::string(k) + "</key>" + std::string(v);
}

const std::string kJit = "com.apple.security.cs.allow-jit";
const std::string kUnsigned = "com.apple.security.cs.allow-unsigned-executable-memory";
const std::string kDlv = "com.apple.security.cs.disable-library-validation";

// The lines of the cascade finding for allow-jit + allow-unsigned-executable-memory.
std::string cascade_lines(const std::string& file) {
  return file + ": warning: exception-unneeded: " + kJit + " is already covered by " + kUnsigned +
         "; use only the exception the app needs\n" + file + ": note: exception-unneeded: " + kUnsigned +
         " exposes the app to the flaws of memory-unsafe code; prefer " + kJit + " (MAP_JIT) where it is enough\n";
}

const std::string kRuntimeLine =
    ": error: runtime-missing: executable is signed without the hardened runtime (CodeDirectory flag CS_RUNTIME, "
    "0x10000); the notary service rejects it\n";

std::vector<std::uint8_t> fixture(const std::string& name) { return entsig_test::read_file(entsig_test::fixtures_dir() / name); }

std::string info_plist(const std::string& executable) {
  return plist_xml(key("CFBundleExecutable", "<string>" + executable + "</string>") +
                   key("CFBundleIdentifier", "<string>com.example." + executable + "</string>"));
}

}  // namespace

TEST_CASE("cli check: text output and exit status", "[cli][check]") {
  Scratch s;
  s.file("false.plist", plist_xml(key("com.apple.security.app-sandbox", "<false/>")));
  auto warn = s.run("check false.plist");
  CHECK(warn.status == 0);  // warnings alone
  CHECK(warn.err.empty());
  CHECK(warn.out == "false.plist: warning: false-value: com.apple.security.app-sandbox is false; Boolean "
                    "entitlements default to false, so leave it out\n");
  CHECK(s.run("check --strict false.plist").status == 1);

  s.file("ok.plist", plist_xml(key(kJit)));
  auto clean = s.run("check --strict ok.plist");
  CHECK(clean.status == 0);
  CHECK(clean.out.empty());

  s.file("note.plist", plist_xml(key(kUnsigned)));
  CHECK(s.run("check --strict note.plist").status == 0);  // notes never fail

  s.file("bad.plist", plist_xml(key(kJit, "<string>yes</string>")));
  auto error = s.run("check bad.plist");
  CHECK(error.status == 1);
  CHECK(error.out == "bad.plist: error: non-boolean: " + kJit +
                         " holds \"yes\", not a Boolean; only true grants this entitlement\n");

  s.file("cascade.plist", plist_xml(key(kJit) + key(kUnsigned)));
  CHECK(s.run("check cascade.plist").out == cascade_lines("cascade.plist"));
  // Standard input.
  auto from_stdin = s.run("check -", s.path("bad.plist").string());
  CHECK(from_stdin.status == 1);
  CHECK(from_stdin.out.rfind("<stdin>: error: non-boolean: ", 0) == 0);
}

TEST_CASE("cli check: --kind and the hardened-runtime flags", "[cli][check]") {
  Scratch s;
  s.file("ext.plist", plist_xml(key(kJit) + key(kDlv)));
  auto app = s.run("check ext.plist");
  CHECK(app.status == 0);
  CHECK(app.out.empty());
  auto sysext = s.run("check --kind sysext ext.plist");
  CHECK(sysext.status == 1);
  CHECK(sysext.out == "ext.plist: error: sysext-exception: " + kDlv +
                          " is a hardened-runtime exception, which a system extension may not use; macOS will not "
                          "load it\n");
  auto dext = s.run("check --kind dext ext.plist");
  CHECK(dext.out == "ext.plist: error: sysext-exception: " + kDlv +
                        " is a hardened-runtime exception, which a DriverKit extension may not use; macOS will not "
                        "load it\next.plist: error: dext-jit: " + kJit +
                        " in a DriverKit extension: allow-jit is open only to system extensions that are not "
                        "DriverKit extensions\n");
  auto library = s.run("check --kind library ext.plist");
  CHECK(library.status == 0);
  CHECK(library.out == "ext.plist: warning: library-entitlements: a library carries 2 entitlement(s), which have no "
                       "effect: libraries and plug-ins inherit the entitlements of the executable that hosts them\n");
  auto no_runtime = s.run("check --no-hardened-runtime ext.plist");
  CHECK(no_runtime.status == 1);
  CHECK(no_runtime.out == "ext.plist" + kRuntimeLine);
  CHECK(s.run("check --hardened-runtime ext.plist").out.empty());
}

TEST_CASE("cli check: --json", "[cli][check]") {
  Scratch s;
  s.file("e.plist", plist_xml(key("com.apple.security.app-sandbox", "<false/>") + key(kUnsigned)));
  auto r = s.run("check --json e.plist");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "{\"findings\":["
        "{\"rule\":\"false-value\",\"severity\":\"warning\",\"key\":\"com.apple.security.app-sandbox\","
        "\"message\":\"com.apple.security.app-sandbox is false; Boolean entitlements default to false, so leave it "
        "out\",\"file\":\"e.plist\"},"
        "{\"rule\":\"exception-unneeded\",\"severity\":\"note\",\"key\":\"" + kUnsigned + "\","
        "\"message\":\"" + kUnsigned + " exposes the app to the flaws of memory-unsafe code; prefer " + kJit +
        " (MAP_JIT) where it is enough\",\"file\":\"e.plist\"}],"
        "\"errors\":0,\"warnings\":1,\"notes\":1}\n");
  s.file("clean.plist", plist_xml(""));
  CHECK(s.run("check --json clean.plist").out == "{\"findings\":[],\"errors\":0,\"warnings\":0,\"notes\":0}\n");
  // A rejected input is a JSON error object.
  s.file("junk", "  junk");
  auto junk = s.run("check --json junk");
  CHECK(junk.status == 1);
  CHECK(junk.err.empty());
  CHECK(junk.out == "{\"error\":{\"code\":\"core.unknown_format\",\"offset\":2,\"message\":\"input is not in any "
                    "recognised format: expected \\\"bplist\\\" or '<'\"}}\n");
}

TEST_CASE("cli check: SARIF 2.1.0 output passes the schema's structure", "[cli][check][sarif]") {
  Scratch s;
  s.file("many.plist", plist_xml(key("com.apple.security.app-sandbox", "<false/>") + key(kJit, "<integer>1</integer>") +
                                 key(kJit + "t") + key(kUnsigned) + key("com.apple.security.cs.allow-jitx")));
  fs::create_directories(s.path("dir with space"));
  s.file("dir with space/e.plist", plist_xml(key("com.apple.security.app-sandbox", "<false/>")));
  auto r = s.run("check --sarif many.plist");
  CHECK(r.status == 1);
  const auto log = nlohmann::json::parse(r.out);
  entsig_test::SarifValidator validator;
  const auto problems = validator.validate(log);
  for (const auto& p : problems) WARN(p);
  CHECK(problems.empty());

  CHECK(log["version"] == "2.1.0");
  const auto& driver = log["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "entsig");
  CHECK(driver["version"] == ENTSIG_VERSION);
  const auto rules = entsig::entitlements::all_rules();
  REQUIRE(driver["rules"].size() == rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    CHECK(driver["rules"][i]["id"] == std::string(rules[i].id));
    CHECK(driver["rules"][i]["helpUri"] == std::string(rules[i].help_uri));
    CHECK(driver["rules"][i]["shortDescription"]["text"] == std::string(rules[i].summary));
    CHECK(driver["rules"][i]["defaultConfiguration"]["level"] ==
          std::string(entsig::entitlements::severity_name(rules[i].severity)));
  }
  const auto& results = log["runs"][0]["results"];
  std::vector<std::string> seen;
  for (const auto& result : results)
    seen.push_back(result["ruleId"].get<std::string>() + "/" + result["level"].get<std::string>());
  CHECK(seen == std::vector<std::string>{"false-value/warning", "non-boolean/error", "exception-unneeded/note",
                                         "unknown-key/warning", "unknown-key/warning"});
  CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "many.plist");
  CHECK(results[0]["properties"]["key"] == "com.apple.security.app-sandbox");
  CHECK(results[1]["ruleIndex"] == 1);

  auto spaced = s.run("check --sarif " + quote("dir with space/e.plist"));
  const auto spaced_log = nlohmann::json::parse(spaced.out);
  CHECK(validator.validate(spaced_log).empty());
  CHECK(spaced_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "dir%20with%20space/e.plist");
  auto absolute = s.run("check --sarif " + quote(s.path("many.plist").string()));
  CHECK(nlohmann::json::parse(absolute.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                                            ["artifactLocation"]["uri"]
            .get<std::string>()
            .rfind("file:///", 0) == 0);

  // No findings: still a valid log, with an empty results array.
  s.file("clean.plist", plist_xml(""));
  const auto empty = nlohmann::json::parse(s.run("check --sarif clean.plist").out);
  CHECK(validator.validate(empty).empty());
  CHECK(empty["runs"][0]["results"].empty());
}

TEST_CASE("cli check: the SARIF validator rejects what the schema rejects", "[cli][check][sarif]") {
  Scratch s;
  s.file("e.plist", plist_xml(key(kJit, "<string>x</string>")));
  const auto good = nlohmann::json::parse(s.run("check --sarif e.plist").out);
  entsig_test::SarifValidator validator;
  REQUIRE(validator.validate(good).empty());
  auto broken = [&](auto&& mutate) {
    nlohmann::json j = good;
    mutate(j);
    return validator.validate(j).size();
  };
  CHECK(broken([](auto& j) { j.erase("version"); }) > 0);
  CHECK(broken([](auto& j) { j["version"] = "2.0.0"; }) > 0);
  CHECK(broken([](auto& j) { j["extra"] = 1; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["tool"]["driver"].erase("name"); }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["tool"]["driver"]["rules"][0].erase("id"); }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md"; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"] = "text"; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0]["level"] = "fatal"; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0].erase("message"); }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0]["message"] = nlohmann::json::object(); }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0]["ruleIndex"] = 0; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0]["ruleId"] = "nope"; }) > 0);
  CHECK(broken([](auto& j) { j["runs"][0]["results"][0].erase("locations"); }) > 0);
  CHECK(broken([](auto& j) {
          j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b";
        }) > 0);
}

TEST_CASE("cli check: DER input, raw and in a blob", "[cli][check]") {
  Scratch s;
  const std::string xml = plist_xml(key("com.apple.security.app-sandbox", "<false/>"));
  const std::string der = der_of(xml);
  s.file("e.der", der);
  entsig_test::Bin blob(entsig::Endian::big);
  blob.u32(0xfade7172).u32(static_cast<std::uint32_t>(8 + der.size())).text(der);
  s.file("e.blob", blob.data());
  const std::string expected = ": warning: false-value: com.apple.security.app-sandbox is false; Boolean "
                               "entitlements default to false, so leave it out\n";
  CHECK(s.run("check e.der").out == "e.der" + expected);
  CHECK(s.run("check e.blob").out == "e.blob" + expected);
  // The legacy SET form (ldid, other signers) is read too.
  s.file("set.der", std::string("\x31\x08\x30\x06\x0c\x01k\x01\x01\x00", 10));
  CHECK(s.run("check set.der").out == "set.der: warning: false-value: k is false; Boolean entitlements default to "
                                      "false, so leave it out\n");
  auto cut = s.run("check " + s.file("cut.blob", std::string(reinterpret_cast<const char*>(blob.data().data()), 6)));
  CHECK(cut.status == 1);
  CHECK(cut.err == "error: entitlements.der_blob.truncated at offset 6: DER entitlements blob (0xfade7172) is "
                   "shorter than its 8-byte header or than its length field: input ends inside the header\n");
}

TEST_CASE("cli check: rejected inputs and usage errors", "[cli][check]") {
  Scratch s;
  s.file("array.plist", "<plist version=\"1.0\"><array/></plist>");
  auto array = s.run("check array.plist");
  CHECK(array.status == 1);
  CHECK(array.out.empty());
  CHECK(array.err == "error: entitlements.root_not_dict at offset 0: entitlements root is not a dictionary\n");
  auto missing = s.run("check nothing.plist");
  CHECK(missing.status == 1);
  CHECK(missing.err == "error: core.io at offset 0: input could not be read: nothing.plist: No such file or directory\n");
  s.file("e.plist", plist_xml(""));
  for (const std::string& args :
       {std::string("check"), std::string("check --json --sarif e.plist"),
        std::string("check --hardened-runtime --no-hardened-runtime e.plist"), std::string("check --kind daemon e.plist"),
        std::string("check --bogus e.plist")}) {
    INFO(args);
    auto r = s.run(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
  }
  auto help = s.run("check --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--sarif") != std::string::npos);
}

TEST_CASE("cli check: Mach-O files", "[cli][check][fixtures]") {
  if (!entsig_test::have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  s.file("exe", fixture("exe_arm64"));
  auto exe = s.run("check exe");
  CHECK(exe.status == 1);
  CHECK(exe.out == "exe" + kRuntimeLine);  // ld64.lld signs without CS_RUNTIME
  CHECK(s.run("check --hardened-runtime exe").out.empty());
  s.file("fat", fixture("fat_exe"));
  CHECK(s.run("check fat").out == "fat" + kRuntimeLine);  // both slices: reported once
  s.file("lib.dylib", fixture("libfixture.dylib"));
  auto lib = s.run("check lib.dylib");
  CHECK(lib.status == 0);
  CHECK(lib.out.empty());

  // Entitlements in the signature, with the hardened runtime on.
  const std::string ents = plist_xml(key(kJit) + key(kUnsigned));
  s.file("hardened", with_entitlements(fixture("exe_arm64"), ents, der_of(ents), entsig::codesign::kFlagRuntime));
  auto hardened = s.run("check hardened");
  CHECK(hardened.status == 0);
  CHECK(hardened.out == cascade_lines("hardened"));
  s.file("ent.dylib", with_entitlements(fixture("libfixture.dylib"), ents, std::nullopt));
  CHECK(s.run("check ent.dylib").out ==
        "ent.dylib: warning: library-entitlements: a library carries 2 entitlement(s), which have no effect: "
        "libraries and plug-ins inherit the entitlements of the executable that hosts them\n" +
            cascade_lines("ent.dylib"));
  // --kind overrides what the file type says.
  CHECK(s.run("check --kind app ent.dylib").out == "ent.dylib" + kRuntimeLine + cascade_lines("ent.dylib"));

  // The XML says one thing, the DER another: the DER is what counts, and the mismatch is an error.
  const std::string der_side = plist_xml(key(kJit, "<false/>") + key("com.example.extra", "<string>x</string>"));
  s.file("mismatch", with_entitlements(fixture("exe_arm64"), plist_xml(key(kJit)), der_of(der_side),
                                       entsig::codesign::kFlagRuntime));
  auto mismatch = s.run("check mismatch");
  CHECK(mismatch.status == 1);
  CHECK(mismatch.out ==
        "mismatch: warning: false-value: " + kJit + " is false; Boolean entitlements default to false, so leave it out\n"
        "mismatch: error: xml-der-mismatch: [\"" + kJit + "\"] is true in the XML blob but false in the DER blob; the "
        "OS reads the DER\n"
        "mismatch: error: xml-der-mismatch: [\"com.example.extra\"] is in the DER blob (\"x\") but not in the XML "
        "blob; the OS reads the DER\n");

  // A broken blob inside the signature is a rejected input, at its offset in the file.
  auto broken = with_entitlements(fixture("exe_arm64"), std::string("<plist><dict><key>a</key></dict></plist>"), std::nullopt);
  s.file("broken", broken);
  auto rejected = s.run("check broken");
  CHECK(rejected.status == 1);
  CHECK(rejected.err.rfind("error: plist_xml.", 0) == 0);
  auto file = entsig::macho::parse(entsig_test::view(broken));
  REQUIRE(file.ok());
  auto signature = entsig::codesign::parse_signature(file->slices[0]);
  REQUIRE(signature.ok());
  const auto* blob = signature->find_blob(entsig::codesign::kSlotEntitlements);
  REQUIRE(blob);
  auto direct = entsig::plist::read_xml(blob->payload());
  REQUIRE_FALSE(direct.ok());
  CHECK(rejected.err.find(" at offset " + std::to_string(blob->file_offset + 8 + direct.error().offset) + ": ") !=
        std::string::npos);
}

TEST_CASE("cli check: a macOS .app bundle, every Mach-O in its context", "[cli][check][fixtures]") {
  if (!entsig_test::have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string ents = plist_xml(key(kJit) + key(kUnsigned));
  s.file("Foo.app/Contents/Info.plist", info_plist("Foo"));
  s.file("Foo.app/Contents/MacOS/Foo", with_entitlements(fixture("exe_arm64"), ents, der_of(ents)));
  s.file("Foo.app/Contents/MacOS/helper", fixture("exe_arm64"));
  s.file("Foo.app/Contents/Frameworks/libfixture.dylib",
         with_entitlements(fixture("libfixture.dylib"), plist_xml(key(kJit)), std::nullopt));
  s.file("Foo.app/Contents/PlugIns/fixture.bundle", fixture("fixture.bundle"));
  s.file("Foo.app/Contents/Resources/image.png", std::string("\x89PNG\r\n\x1a\n", 8));
  // A Java class file shares the fat magic; its count field (major version 52) says otherwise.
  s.file("Foo.app/Contents/Resources/Main.class", std::string("\xca\xfe\xba\xbe\x00\x00\x00\x34", 8));
  fs::create_symlink("libfixture.dylib", s.path("Foo.app/Contents/Frameworks/link.dylib"));

  auto r = s.run("check Foo.app");
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "Foo.app/Contents/Frameworks/libfixture.dylib: warning: library-entitlements: a library carries 1 "
        "entitlement(s), which have no effect: libraries and plug-ins inherit the entitlements of the executable "
        "that hosts them\n"
        "Foo.app/Contents/MacOS/Foo" + kRuntimeLine + cascade_lines("Foo.app/Contents/MacOS/Foo") +
        "Foo.app/Contents/MacOS/helper" + kRuntimeLine);
  // The flags apply to the main executable only.
  auto hardened = s.run("check --hardened-runtime Foo.app/");
  CHECK(hardened.out.find("Foo.app/Contents/MacOS/Foo: error: runtime-missing") == std::string::npos);
  CHECK(hardened.out.find("Foo.app/Contents/MacOS/helper: error: runtime-missing") != std::string::npos);
  // SARIF locations name the nested files.
  const auto log = nlohmann::json::parse(s.run("check --sarif Foo.app").out);
  CHECK(entsig_test::SarifValidator().validate(log).empty());
  CHECK(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "Foo.app/Contents/Frameworks/libfixture.dylib");
}

TEST_CASE("cli check: system extension and DriverKit bundles", "[cli][check][fixtures]") {
  if (!entsig_test::have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string ents = plist_xml(key(kJit) + key(kDlv));
  const auto hardened = with_entitlements(fixture("exe_arm64"), ents, der_of(ents), entsig::codesign::kFlagRuntime);
  s.file("Ext.systemextension/Contents/Info.plist", info_plist("ext"));
  s.file("Ext.systemextension/Contents/MacOS/ext", hardened);
  const std::string sysext_line = ": error: sysext-exception: " + kDlv +
                                  " is a hardened-runtime exception, which a system extension may not use; macOS "
                                  "will not load it\n";
  CHECK(s.run("check Ext.systemextension").out == "Ext.systemextension/Contents/MacOS/ext" + sysext_line);

  // A .dext is flat: Info.plist and the executable at its top.
  s.file("Drv.dext/Info.plist", info_plist("drv"));
  s.file("Drv.dext/drv", hardened);
  auto dext = s.run("check Drv.dext");
  CHECK(dext.status == 1);
  CHECK(dext.out == "Drv.dext/drv: error: sysext-exception: " + kDlv +
                        " is a hardened-runtime exception, which a DriverKit extension may not use; macOS will not "
                        "load it\nDrv.dext/drv: error: dext-jit: " + kJit +
                        " in a DriverKit extension: allow-jit is open only to system extensions that are not "
                        "DriverKit extensions\n");

  // Nested in an app: the app's executable is an app, the extension's is a system extension.
  s.file("Host.app/Contents/Info.plist", info_plist("Host"));
  s.file("Host.app/Contents/MacOS/Host", hardened);
  s.file("Host.app/Contents/Library/SystemExtensions/Ext.systemextension/Contents/Info.plist", info_plist("ext"));
  s.file("Host.app/Contents/Library/SystemExtensions/Ext.systemextension/Contents/MacOS/ext", hardened);
  CHECK(s.run("check Host.app").out ==
        "Host.app/Contents/Library/SystemExtensions/Ext.systemextension/Contents/MacOS/ext" + sysext_line);

  // iOS-style flat .app.
  s.file("Flat.app/Info.plist", info_plist("Flat"));
  s.file("Flat.app/Flat", fixture("exe_arm64"));
  CHECK(s.run("check Flat.app").out == "Flat.app/Flat" + kRuntimeLine);
}

TEST_CASE("cli check: broken bundles are rejected", "[cli][check]") {
  Scratch s;
  fs::create_directories(s.path("Empty.app"));
  auto empty = s.run("check Empty.app");
  CHECK(empty.status == 1);
  CHECK(empty.err == "error: entitlements.bundle.no_info_plist at offset 0: bundle has no Info.plist (neither "
                     "Contents/Info.plist nor Info.plist at its top): Empty.app\n");
  s.file("NoName.app/Contents/Info.plist", plist_xml(key("CFBundleIdentifier", "<string>x</string>")));
  CHECK(s.run("check NoName.app").err.rfind("error: entitlements.bundle.no_executable at offset 0: ", 0) == 0);
  s.file("Escape.app/Contents/Info.plist", info_plist("../../etc"));
  CHECK(s.run("check Escape.app").err.rfind("error: entitlements.bundle.no_executable at offset 0: ", 0) == 0);
  s.file("Gone.app/Contents/Info.plist", info_plist("Gone"));
  auto gone = s.run("check Gone.app");
  CHECK(gone.status == 1);
  CHECK(gone.err == "error: entitlements.bundle.executable_missing at offset 0: bundle's main executable "
                    "(CFBundleExecutable) is not a regular file in the bundle: Gone.app\n");
  // A damaged Mach-O inside names its file.
  s.file("Bad.app/Contents/Info.plist", info_plist("Bad"));
  s.file("Bad.app/Contents/MacOS/Bad", std::string("\xcf\xfa\xed\xfe\x0c\x00\x00\x01", 8));
  auto bad = s.run("check Bad.app");
  CHECK(bad.status == 1);
  CHECK(bad.err.rfind("error: macho.", 0) == 0);
  CHECK(bad.err.find(" (in Bad.app/Contents/MacOS/Bad)\n") != std::string::npos);
}

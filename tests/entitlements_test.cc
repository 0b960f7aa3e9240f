// Entitlements module: catalogue, each policy rule (a case that fires and one that does not),
// XML <-> DER equivalence with exact key paths, the DER blob reader and the Mach-O context.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "entitlements_test_support.h"
#include "entsig/entitlements.h"

using namespace entsig;
using namespace entsig::entitlements;
using namespace entsig_test;

namespace {

Context ctx(Kind kind, std::optional<bool> hardened_runtime = std::nullopt, Platform platform = Platform::unknown,
            bool platform_binary = false) {
  Context c;
  c.kind = kind;
  c.hardened_runtime = hardened_runtime;
  c.platform = platform;
  c.platform_binary = platform_binary;
  return c;
}

std::vector<Finding> run(std::string_view entries, const Context& context = ctx(Kind::app)) {
  const auto doc = parse_plist(plist_xml(entries));
  return check(doc.root(), context);
}

std::vector<Finding> of_rule(const std::vector<Finding>& findings, std::string_view rule_id) {
  std::vector<Finding> out;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule_id; });
  return out;
}

void check_one(const std::vector<Finding>& findings, std::string_view rule_id, Severity severity,
               std::string_view key, std::string_view message) {
  INFO("rule " << rule_id);
  const auto hits = of_rule(findings, rule_id);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].severity == severity);
  CHECK(hits[0].key == key);
  CHECK(hits[0].message == message);
}

constexpr std::string_view kTrue = "<true/>";

std::filesystem::path realworld_path(std::string_view name) {
  return realworld_dir() / "macho" / ("radareorg__radare2-testbins__" + std::string(name));
}

std::string entry(std::string_view key, std::string_view value = kTrue) {
  return "<key>" + std::string(key) + "</key>" + std::string(value);
}

}  // namespace

TEST_CASE("entitlements: catalogue, Hardened Runtime keys and documented types", "[entitlements]") {
  const auto all = catalogue();
  CHECK(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.key < b.key; }));
  for (auto key : {"com.apple.security.cs.allow-jit", "com.apple.security.cs.allow-unsigned-executable-memory",
                   "com.apple.security.cs.allow-dyld-environment-variables",
                   "com.apple.security.cs.disable-library-validation",
                   "com.apple.security.cs.disable-executable-page-protection", "com.apple.security.cs.debugger"}) {
    INFO(key);
    const KnownEntitlement* k = find_known(key);
    REQUIRE(k);
    CHECK(k->type == ValueType::boolean);
    CHECK(k->group == Group::runtime_exception);
    CHECK(k->source == "Hardened Runtime");
  }
  for (auto key : {"com.apple.security.device.audio-input", "com.apple.security.device.camera",
                   "com.apple.security.personal-information.location",
                   "com.apple.security.personal-information.addressbook",
                   "com.apple.security.personal-information.calendars",
                   "com.apple.security.personal-information.photos-library",
                   "com.apple.security.automation.apple-events"}) {
    INFO(key);
    const KnownEntitlement* k = find_known(key);
    REQUIRE(k);
    CHECK(k->group == Group::resource_access);
  }
  CHECK(std::count_if(all.begin(), all.end(), [](const auto& k) { return k.group == Group::runtime_exception; }) == 6);
  CHECK(std::count_if(all.begin(), all.end(), [](const auto& k) { return k.group == Group::resource_access; }) == 7);
  CHECK(find_known("com.apple.security.app-sandbox")->type == ValueType::boolean);
  CHECK(find_known("com.apple.security.application-groups")->type == ValueType::array_of_strings);
  CHECK(find_known("com.apple.developer.driverkit.transport.usb")->type == ValueType::array_of_dicts);
  CHECK(find_known("com.apple.developer.driverkit.userclient-access")->type == ValueType::array_of_strings);
  CHECK(find_known("com.apple.developer.system-extension.install")->group == Group::system_extension);
  CHECK(find_known("com.apple.developer.driverkit")->group == Group::driverkit);
  CHECK(find_known("com.apple.security.cs.allow-jitt") == nullptr);
  CHECK(find_known("") == nullptr);
  CHECK(find_known("zzz") == nullptr);

  auto doc = parse_plist(plist_xml(entry("s", "<array><string>a</string><string>b</string></array>") +
                                   entry("m", "<array><string>a</string><integer>1</integer></array>") +
                                   entry("d", "<array><dict/></array>") + entry("e", "<array/>")));
  const auto& root = doc.root();
  CHECK(has_type(*root.find("s"), ValueType::array_of_strings));
  CHECK_FALSE(has_type(*root.find("m"), ValueType::array_of_strings));
  CHECK(has_type(*root.find("d"), ValueType::array_of_dicts));
  CHECK_FALSE(has_type(*root.find("d"), ValueType::array_of_strings));
  CHECK(has_type(*root.find("e"), ValueType::array_of_dicts));  // an empty array is of any element type
  CHECK_FALSE(has_type(*root.find("s"), ValueType::boolean));
  CHECK(value_type_name(ValueType::array_of_dicts) == "array of dictionaries");
}

TEST_CASE("entitlements: rule table", "[entitlements]") {
  const auto rules = all_rules();
  std::vector<std::string_view> ids;
  for (const auto& r : rules) {
    ids.push_back(r.id);
    INFO(r.id);
    CHECK_FALSE(r.summary.empty());
    CHECK_FALSE(r.reason.empty());
    CHECK_FALSE(r.source.empty());
    CHECK(r.help_uri.starts_with("https://"));
    CHECK(find_rule(r.id) == &r);
  }
  CHECK(ids == std::vector<std::string_view>{"false-value", "non-boolean", "wrong-type", "library-entitlements",
                                             "sysext-exception", "dext-jit", "runtime-missing", "exception-unneeded",
                                             "unknown-key", "xml-der-mismatch"});
  CHECK(find_rule("false-value")->severity == Severity::warning);
  CHECK(find_rule("non-boolean")->severity == Severity::error);
  CHECK(find_rule("sysext-exception")->severity == Severity::error);
  CHECK(find_rule("dext-jit")->severity == Severity::error);
  CHECK(find_rule("runtime-missing")->severity == Severity::error);
  CHECK(find_rule("xml-der-mismatch")->severity == Severity::error);
  CHECK(find_rule("nope") == nullptr);
  CHECK(kind_from_name("sysext") == Kind::sysext);
  CHECK(kind_from_name("dext") == Kind::dext);
  CHECK_FALSE(kind_from_name("daemon"));
}

TEST_CASE("entitlements: docs/entitlements-rules.md lists every rule as the table has it", "[entitlements]") {
  std::ifstream in(std::filesystem::path(ENTSIG_SOURCE_DIR) / "docs" / "entitlements-rules.md");
  REQUIRE(in);
  std::map<std::string, std::string> rows;  // id -> its row in the rule table (the first table)
  std::string docs;
  std::string line;
  bool in_rule_table = true;
  while (std::getline(in, line)) {
    docs += line + "\n";
    if (line.rfind("## ", 0) == 0) in_rule_table = false;
    if (in_rule_table && line.rfind("| `", 0) == 0) rows[line.substr(3, line.find('`', 3) - 3)] = line;
  }
  for (const auto& r : all_rules()) {
    INFO(r.id);
    REQUIRE(rows.count(std::string(r.id)));
    const std::string& row = rows[std::string(r.id)];
    CHECK(row.rfind("| `" + std::string(r.id) + "` | " + std::string(severity_name(r.severity)), 0) == 0);
    CHECK(row.find("| " + std::string(r.source) + " |") != std::string::npos);
    CHECK(docs.find(std::string(r.help_uri)) != std::string::npos);
  }
  CHECK(rows.size() == all_rules().size());
}

TEST_CASE("entitlements: false-value", "[entitlements][rules]") {
  check_one(run(entry("com.apple.security.app-sandbox", "<false/>")), rule::kFalseValue, Severity::warning,
            "com.apple.security.app-sandbox",
            "com.apple.security.app-sandbox is false; Boolean entitlements default to false, so leave it out");
  // Any Boolean set to false, known or not.
  CHECK(of_rule(run(entry("com.example.flag", "<false/>")), rule::kFalseValue).size() == 1);
  CHECK(run(entry("com.apple.security.app-sandbox")).empty());
  CHECK(run(entry("com.example.flag", "<string>false</string>")).empty());
}

TEST_CASE("entitlements: non-boolean", "[entitlements][rules]") {
  check_one(run(entry("com.apple.security.cs.allow-jit", "<string>true</string>")), rule::kNonBoolean,
            Severity::error, "com.apple.security.cs.allow-jit",
            "com.apple.security.cs.allow-jit holds \"true\", not a Boolean; only true grants this entitlement");
  check_one(run(entry("com.apple.security.app-sandbox", "<integer>1</integer>")), rule::kNonBoolean,
            Severity::error, "com.apple.security.app-sandbox",
            "com.apple.security.app-sandbox holds 1, not a Boolean; only true grants this entitlement");
  CHECK(of_rule(run(entry("com.apple.security.device.camera", "<array/>")), rule::kNonBoolean).size() == 1);
  CHECK(run(entry("com.apple.security.cs.allow-jit")).empty());
  // Unknown keys have no documented type.
  CHECK(run(entry("com.example.anything", "<string>yes</string>")).empty());
}

TEST_CASE("entitlements: wrong-type", "[entitlements][rules]") {
  check_one(run(entry("com.apple.developer.driverkit.transport.usb")), rule::kWrongType, Severity::warning,
            "com.apple.developer.driverkit.transport.usb",
            "com.apple.developer.driverkit.transport.usb holds true; the entitlement takes an array of dictionaries");
  check_one(run(entry("com.apple.security.application-groups", "<array><integer>3</integer></array>")),
            rule::kWrongType, Severity::warning, "com.apple.security.application-groups",
            "com.apple.security.application-groups holds <array of 1>; the entitlement takes an array of strings");
  CHECK(run(entry("com.apple.developer.driverkit.transport.usb",
                  "<array><dict><key>idVendor</key><integer>1118</integer></dict></array>"))
            .empty());
  CHECK(run(entry("com.apple.application-identifier", "<string>TEAM.id</string>")).empty());
}

TEST_CASE("entitlements: library-entitlements", "[entitlements][rules]") {
  const std::string two = entry("com.apple.security.cs.allow-jit") + entry("com.apple.security.app-sandbox");
  check_one(run(two, ctx(Kind::library)), rule::kLibraryEntitlements, Severity::warning, "",
            "a library carries 2 entitlement(s), which have no effect: libraries and plug-ins inherit the "
            "entitlements of the executable that hosts them");
  check_one(run(two, ctx(Kind::plugin)), rule::kLibraryEntitlements, Severity::warning, "",
            "a in-process plug-in carries 2 entitlement(s), which have no effect: libraries and plug-ins inherit "
            "the entitlements of the executable that hosts them");
  CHECK(of_rule(run(two, ctx(Kind::app)), rule::kLibraryEntitlements).empty());
  CHECK(of_rule(run(two, ctx(Kind::unknown)), rule::kLibraryEntitlements).empty());
  CHECK(run("", ctx(Kind::library)).empty());
}

TEST_CASE("entitlements: sysext-exception", "[entitlements][rules]") {
  const std::string dlv = entry("com.apple.security.cs.disable-library-validation");
  check_one(run(dlv, ctx(Kind::sysext)), rule::kSysextException, Severity::error,
            "com.apple.security.cs.disable-library-validation",
            "com.apple.security.cs.disable-library-validation is a hardened-runtime exception, which a system "
            "extension may not use; macOS will not load it");
  check_one(run(dlv, ctx(Kind::dext)), rule::kSysextException, Severity::error,
            "com.apple.security.cs.disable-library-validation",
            "com.apple.security.cs.disable-library-validation is a hardened-runtime exception, which a DriverKit "
            "extension may not use; macOS will not load it");
  // allow-jit is the one exception a (non-DriverKit) system extension may have.
  CHECK(run(entry("com.apple.security.cs.allow-jit"), ctx(Kind::sysext)).empty());
  CHECK(run(dlv, ctx(Kind::app)).empty());
  // A false exception asks for nothing (false-value says to drop it).
  CHECK(of_rule(run(entry("com.apple.security.cs.debugger", "<false/>"), ctx(Kind::sysext)), rule::kSysextException).empty());
  // Resource-access entitlements are not exceptions.
  CHECK(run(entry("com.apple.security.device.camera"), ctx(Kind::sysext)).empty());
}

TEST_CASE("entitlements: dext-jit", "[entitlements][rules]") {
  check_one(run(entry("com.apple.security.cs.allow-jit"), ctx(Kind::dext)), rule::kDextJit, Severity::error,
            "com.apple.security.cs.allow-jit",
            "com.apple.security.cs.allow-jit in a DriverKit extension: allow-jit is open only to system extensions "
            "that are not DriverKit extensions");
  CHECK(of_rule(run(entry("com.apple.security.cs.allow-jit"), ctx(Kind::sysext)), rule::kDextJit).empty());
  CHECK(run(entry("com.apple.developer.driverkit"), ctx(Kind::dext)).empty());
}

TEST_CASE("entitlements: runtime-missing", "[entitlements][rules]") {
  const Context no_runtime = ctx(Kind::app, false);
  check_one(run("", no_runtime), rule::kRuntimeMissing, Severity::error, "",
            "executable is signed without the hardened runtime (CodeDirectory flag CS_RUNTIME, 0x10000); the "
            "notary service rejects it");
  check_one(run("", ctx(Kind::sysext, false, Platform::macos)), rule::kRuntimeMissing, Severity::error, "",
            "system extension is signed without the hardened runtime (CodeDirectory flag CS_RUNTIME, 0x10000); "
            "the notary service rejects it");
  CHECK(run("", ctx(Kind::app, true)).empty());
  CHECK(run("", ctx(Kind::app, std::nullopt)).empty());  // unknown: a bare file says nothing
  CHECK(run("", ctx(Kind::app, false, Platform::other)).empty());
  CHECK(run("", ctx(Kind::app, false, Platform::macos, true)).empty());  // Apple's own code
  CHECK(run("", ctx(Kind::library, false)).empty());
  CHECK(run("", ctx(Kind::dext, false)).empty());
  // The rule needs no entitlements at all.
  CHECK(check(Subject{}, no_runtime).size() == 1);
}

TEST_CASE("entitlements: exception-unneeded", "[entitlements][rules]") {
  const std::string jit = entry("com.apple.security.cs.allow-jit");
  const std::string unsigned_memory = entry("com.apple.security.cs.allow-unsigned-executable-memory");
  const std::string depp = entry("com.apple.security.cs.disable-executable-page-protection");
  const std::string note =
      "com.apple.security.cs.allow-unsigned-executable-memory exposes the app to the flaws of memory-unsafe code; "
      "prefer com.apple.security.cs.allow-jit (MAP_JIT) where it is enough";

  auto both = run(jit + unsigned_memory);
  REQUIRE(both.size() == 2);
  CHECK(both[0].rule == rule::kExceptionUnneeded);
  CHECK(both[0].severity == Severity::warning);
  CHECK(both[0].key == "com.apple.security.cs.allow-jit");
  CHECK(both[0].message == "com.apple.security.cs.allow-jit is already covered by "
                           "com.apple.security.cs.allow-unsigned-executable-memory; use only the exception the app needs");
  CHECK(both[1].severity == Severity::note);
  CHECK(both[1].key == "com.apple.security.cs.allow-unsigned-executable-memory");
  CHECK(both[1].message == note);

  auto all_three = run(depp + jit + unsigned_memory);
  REQUIRE(all_three.size() == 3);
  CHECK(all_three[0].message == "com.apple.security.cs.allow-jit is already covered by "
                                "com.apple.security.cs.disable-executable-page-protection; use only the exception "
                                "the app needs");
  CHECK(all_three[1].key == "com.apple.security.cs.allow-unsigned-executable-memory");
  CHECK(all_three[1].severity == Severity::warning);
  CHECK(all_three[2].severity == Severity::note);

  auto jit_depp = run(jit + depp);
  REQUIRE(jit_depp.size() == 1);
  CHECK(jit_depp[0].key == "com.apple.security.cs.allow-jit");

  auto alone = run(unsigned_memory);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].severity == Severity::note);
  CHECK(alone[0].message == note);

  CHECK(run(jit).empty());
  CHECK(run(depp).empty());
  CHECK(run(jit + entry("com.apple.security.cs.allow-unsigned-executable-memory", "<false/>")).size() == 1);  // false-value only
}

TEST_CASE("entitlements: unknown-key", "[entitlements][rules]") {
  check_one(run(entry("com.apple.security.cs.allow-jitt")), rule::kUnknownKey, Severity::warning,
            "com.apple.security.cs.allow-jitt",
            "com.apple.security.cs.allow-jitt is not a known entitlement; did you mean com.apple.security.cs.allow-jit?");
  // Two edits away: still a typo. Case counts as an edit.
  CHECK(of_rule(run(entry("com.apple.security.cs.allow-jxx")), rule::kUnknownKey).size() == 1);
  CHECK(of_rule(run(entry("com.apple.security.CS.allow-jit")), rule::kUnknownKey).size() == 1);
  CHECK(of_rule(run(entry("com.apple.security.cs.alow-jit")), rule::kUnknownKey).size() == 1);
  CHECK(of_rule(run(entry("om.apple.security.app-sandbox")), rule::kUnknownKey)[0].message ==
        "om.apple.security.app-sandbox is not a known entitlement; did you mean com.apple.security.app-sandbox?");
  // Three edits away, or a real key: nothing.
  CHECK(run(entry("com.apple.security.cs.allow-xyz")).empty());
  CHECK(run(entry("com.apple.security.cs.allow-jit")).empty());
  CHECK(run(entry("com.apple.security.get-movable-control-port")).empty());
  CHECK(run(entry("x")).empty());
  // Control characters in a key are escaped, so a finding stays on one line.
  plist::Document doc;
  plist::DictEntry e{doc.intern("com.apple.security.cs.allow-jit\n"), plist::Value::boolean(true)};
  doc.set_root(doc.dict({&e, 1}));
  auto newline = check(doc.root(), ctx(Kind::app));
  REQUIRE(newline.size() == 1);
  CHECK(newline[0].message == "com.apple.security.cs.allow-jit\\n is not a known entitlement; did you mean "
                              "com.apple.security.cs.allow-jit?");
}

// ---------------------------------------------------------------------------
// XML <-> DER equivalence

namespace {

struct Pair {
  plist::Document xml;
  plist::Document der;
};

Pair pair_of(std::string_view xml_entries, std::string_view der_entries) {
  return {parse_plist(plist_xml(xml_entries)), parse_plist(plist_xml(der_entries))};
}

std::vector<std::string> described(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& d : c.differences)
    out.push_back(std::string(difference_kind_name(d.kind)) + " " + d.path + " xml=" + d.xml_value + " der=" + d.der_value);
  return out;
}

}  // namespace

TEST_CASE("entitlements: XML and DER equal as values", "[entitlements][equivalence]") {
  const std::string a = entry("b", "<array><string>x</string><integer>-7</integer></array>") + entry("a");
  const std::string b = entry("a") + entry("b", "<array><string>x</string><integer>-7</integer></array>");
  auto same = pair_of(a, b);  // key order is not a difference
  CHECK(compare_xml_der(same.xml.root(), same.der.root()).equivalent());
  auto empty = pair_of("", "");
  CHECK(compare_xml_der(empty.xml.root(), empty.der.root(), 0).equivalent());
}

TEST_CASE("entitlements: XML and DER differences with key paths", "[entitlements][equivalence]") {
  auto p = pair_of(entry("gone") + entry("flag") + entry("nested", "<dict><key>list</key><array><integer>1</integer>"
                                                                   "<integer>2</integer><integer>3</integer></array>"
                                                                   "<key>kind</key><string>a</string></dict>"),
                   entry("flag", "<false/>") + entry("nested", "<dict><key>kind</key><array/><key>list</key><array>"
                                                               "<integer>1</integer><integer>5</integer></array></dict>") +
                       entry("added", "<string>x</string>"));
  const Comparison c = compare_xml_der(p.xml.root(), p.der.root());
  CHECK_FALSE(c.truncated);
  CHECK(described(c) == std::vector<std::string>{
                            "missing [\"gone\"] xml=true der=",
                            "differs [\"flag\"] xml=true der=false",
                            "differs [\"nested\"][\"list\"][1] xml=2 der=5",
                            "missing [\"nested\"][\"list\"][2] xml=3 der=",
                            "differs [\"nested\"][\"kind\"] xml=\"a\" der=<array of 0>",
                            "extra [\"added\"] xml= der=\"x\"",
                        });
  CHECK(describe(c.differences[0]) == "[\"gone\"] is in the XML blob (true) but not in the DER blob");
  CHECK(describe(c.differences[1]) == "[\"flag\"] is true in the XML blob but false in the DER blob");
  CHECK(describe(c.differences[5]) == "[\"added\"] is in the DER blob (\"x\") but not in the XML blob");

  // ldid's 02 01 80: the OS reads -128 where the XML says 128.
  auto ldid = pair_of(entry("n", "<integer>128</integer>"), entry("n", "<integer>-128</integer>"));
  CHECK(described(compare_xml_der(ldid.xml.root(), ldid.der.root())) ==
        std::vector<std::string>{"differs [\"n\"] xml=128 der=-128"});
  // Extra array elements on the DER side, keys that need escaping, the root itself.
  auto longer = pair_of(entry("q\"k", "<array/>"), entry("q\"k", "<array><true/></array>"));
  CHECK(described(compare_xml_der(longer.xml.root(), longer.der.root())) ==
        std::vector<std::string>{"extra [\"q\\\"k\"][0] xml= der=true"});
  plist::Document array_root;
  array_root.set_root(array_root.array({}));
  const auto dict_root = parse_plist(plist_xml(""));
  CHECK(described(compare_xml_der(dict_root.root(), array_root.root())) ==
        std::vector<std::string>{"differs (root) xml=<dict of 0> der=<array of 0>"});
}

TEST_CASE("entitlements: XML and DER comparison is bounded", "[entitlements][equivalence]") {
  auto p = pair_of(entry("a") + entry("b") + entry("c"), "");
  const Comparison two = compare_xml_der(p.xml.root(), p.der.root(), 2);
  CHECK(two.differences.size() == 2);
  CHECK(two.truncated);
  CHECK_FALSE(two.equivalent());
  const Comparison three = compare_xml_der(p.xml.root(), p.der.root(), 3);
  CHECK(three.differences.size() == 3);
  CHECK_FALSE(three.truncated);

  // 100 000 nested arrays, far past any parser's depth limit: the walk has no recursion, and
  // the path of the one difference at the bottom is exact.
  constexpr std::size_t kDepth = 100000;
  plist::Document xml;
  plist::Document der;
  plist::Value x = plist::Value::boolean(true), d = plist::Value::boolean(false);
  for (std::size_t i = 0; i < kDepth; ++i) {
    x = xml.array({&x, 1});
    d = der.array({&d, 1});
  }
  const Comparison deep = compare_xml_der(x, d);
  REQUIRE(deep.differences.size() == 1);
  CHECK(deep.differences[0].path.size() == 3 * kDepth);
  CHECK(deep.differences[0].path.substr(0, 6) == "[0][0]");
  CHECK(deep.differences[0].xml_value == "true");

  // A wide dictionary: one key missing among 200 000.
  plist::Document wide_xml;
  plist::Document wide_der;
  std::vector<plist::DictEntry> xs;
  std::vector<plist::DictEntry> ds;
  for (int i = 0; i < 200000; ++i) {
    const std::string_view k = wide_xml.intern("k" + std::to_string(i));
    xs.push_back({k, plist::Value::boolean(true)});
    if (i != 123456) ds.push_back({wide_der.intern(k), plist::Value::boolean(true)});
  }
  std::reverse(ds.begin(), ds.end());
  const Comparison wide = compare_xml_der(wide_xml.dict(xs), wide_der.dict(ds));
  CHECK(described(wide) == std::vector<std::string>{"missing [\"k123456\"] xml=true der="});
}

TEST_CASE("entitlements: xml-der-mismatch", "[entitlements][rules]") {
  auto p = pair_of(entry("com.apple.security.app-sandbox"), entry("com.apple.security.app-sandbox", "<false/>"));
  const auto findings = check(Subject{&p.xml.root(), &p.der.root()}, ctx(Kind::app));
  // The DER is the effective set: its false is what false-value sees.
  check_one(findings, rule::kFalseValue, Severity::warning, "com.apple.security.app-sandbox",
            "com.apple.security.app-sandbox is false; Boolean entitlements default to false, so leave it out");
  check_one(findings, rule::kXmlDerMismatch, Severity::error, "[\"com.apple.security.app-sandbox\"]",
            "[\"com.apple.security.app-sandbox\"] is true in the XML blob but false in the DER blob; the OS reads the DER");
  CHECK(findings.back().rule == rule::kXmlDerMismatch);  // findings come in rule order

  auto equal = pair_of(entry("com.apple.security.app-sandbox"), entry("com.apple.security.app-sandbox"));
  CHECK(check(Subject{&equal.xml.root(), &equal.der.root()}, ctx(Kind::app)).empty());
  CHECK(check(Subject{&p.xml.root(), nullptr}, ctx(Kind::app)).empty());

  // More differences than reported: a last finding says so.
  std::string many;
  for (int i = 0; i < 300; ++i) many += entry("k" + std::to_string(i));
  auto lots = pair_of(many, "");
  const auto capped = of_rule(check(Subject{&lots.xml.root(), &lots.der.root()}, ctx(Kind::app)), rule::kXmlDerMismatch);
  REQUIRE(capped.size() == kDefaultMaxDifferences + 1);
  CHECK(capped.back().key.empty());
  CHECK(capped.back().message == "more than 256 differences between the XML and DER blobs; the rest are not listed");
}

TEST_CASE("entitlements: value summaries", "[entitlements]") {
  auto doc = parse_plist(plist_xml(entry("s", "<string>" + std::string(70, 'a') + "</string>") +
                                   entry("d", "<data>aGk=</data>") + entry("r", "<real>1.5</real>") +
                                   entry("t", "<date>2020-01-01T00:00:00Z</date>") + entry("q", "<string>a\"b</string>")));
  CHECK(value_summary(*doc.root().find("s")) == "\"" + std::string(64, 'a') + "\"...");
  CHECK(value_summary(*doc.root().find("d")) == "<data 2 bytes>");
  CHECK(value_summary(*doc.root().find("r")) == "<real 1.5>");
  CHECK(value_summary(*doc.root().find("t")) == "<date 2020-01-01T00:00:00Z>");
  CHECK(value_summary(*doc.root().find("q")) == "\"a\\\"b\"");
  CHECK(value_summary(plist::Value::uid(3)) == "<uid 3>");
  CHECK(key_segment("a\\b") == "[\"a\\\\b\"]");
}

// ---------------------------------------------------------------------------
// Inputs

TEST_CASE("entitlements: DER blob reader, exact errors", "[entitlements][der]") {
  auto blob = [](std::string_view payload, std::optional<std::uint32_t> length = std::nullopt) {
    Bin b(Endian::big);
    b.u32(kDerBlobMagic).u32(length.value_or(static_cast<std::uint32_t>(8 + payload.size()))).text(payload);
    return std::string(b.data().begin(), b.data().end());
  };
  const std::string der("\x70\x0f\x02\x01\x01\xb0\x0a\x30\x08\x0c\x03key\x01\x01\xff", 17);
  auto ok = read_der_blob(as_bytes(blob(der)));
  REQUIRE(ok.ok());
  CHECK(ok->root().find("key")->as_bool());
  CHECK(has_der_blob_magic(as_bytes(blob(der))));
  CHECK_FALSE(has_der_blob_magic(as_bytes(der)));

  auto error_of = [](const std::string& input, der::DerOptions options = {}) {
    auto r = read_der_blob(as_bytes(input), options);
    REQUIRE_FALSE(r.ok());
    return std::pair<std::string, std::uint64_t>(std::string(r.error().id()), r.error().offset);
  };
  using E = std::pair<std::string, std::uint64_t>;
  CHECK(error_of(blob(der).substr(0, 6)) == E{"entitlements.der_blob.truncated", 6});
  CHECK(error_of(blob(der, 7)) == E{"entitlements.der_blob.truncated", 4});
  CHECK(error_of(blob(der, 26)) == E{"entitlements.der_blob.truncated", 25});
  CHECK(error_of(blob(der) + "xy") == E{"entitlements.der_blob.trailing_bytes", 25});
  CHECK(error_of(der) == E{"core.unknown_format", 0});
  // DER errors point into the blob: the version byte of 70 05 02 01 02 B0 00 is at 8 + 4.
  CHECK(error_of(blob(std::string("\x70\x05\x02\x01\x02\xb0\x00", 7))) == E{"der.version.unsupported", 12});
  CHECK(error_of(blob("")) == E{"core.empty_input", 8});
  // The legacy SET form needs the lenient preset.
  const std::string set("\x31\x08\x30\x06\x0c\x01k\x01\x01\xff", 10);
  CHECK(error_of(blob(set)) == E{"der.noncanonical.set_form", 8});
  auto lenient = read_der_blob(as_bytes(blob(set)), der::DerOptions::lenient());
  REQUIRE(lenient.ok());
  CHECK(lenient->root().find("k")->as_bool());

  // The Budget form charges the caller's run: "key" is 3 expanded bytes, and a budget of 2
  // refuses it at its UTF8String (offset 9 of the DER, 17 of the blob).
  Budget run;
  REQUIRE(read_der_blob(as_bytes(blob(der)), {}, run).ok());
  CHECK(run.expanded_bytes() == 3);
  Limits tight;
  tight.max_expanded_bytes = 2;
  Budget small(tight);
  auto refused = read_der_blob(as_bytes(blob(der)), {}, small);
  REQUIRE_FALSE(refused.ok());
  CHECK(E{std::string(refused.error().id()), refused.error().offset} == E{"core.budget.expanded_bytes", 17});
}

TEST_CASE("entitlements: context of ld64.lld fixture slices", "[entitlements][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  auto context_of = [](const std::vector<std::uint8_t>& data) {
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    auto signature = codesign::parse_signature(file->slices[0]);
    REQUIRE(signature.ok());
    return context_for_slice(file->slices[0], &*signature);
  };
  const auto exe = read_file(fixtures_dir() / "exe_arm64");
  const Context app = context_of(exe);
  CHECK(app.kind == Kind::app);
  CHECK(app.hardened_runtime == false);  // ld64.lld signs ad hoc, without CS_RUNTIME
  CHECK(app.platform == Platform::macos);
  CHECK_FALSE(app.platform_binary);
  CHECK(context_of(with_entitlements(exe, std::nullopt, std::nullopt, codesign::kFlagRuntime)).hardened_runtime == true);
  CHECK(context_of(read_file(fixtures_dir() / "libfixture.dylib")).kind == Kind::library);
  CHECK(context_of(read_file(fixtures_dir() / "fixture.bundle")).kind == Kind::plugin);
  auto file = macho::parse(view(exe));
  REQUIRE(file.ok());
  const Context unsigned_context = context_for_slice(file->slices[0], nullptr);
  CHECK_FALSE(unsigned_context.hardened_runtime.has_value());
}

// ---------------------------------------------------------------------------
// Real-world corpus

namespace {

namespace fs = std::filesystem;

fs::path golden_path() { return fs::path(ENTSIG_SOURCE_DIR) / "tests" / "golden" / "realworld_check.txt"; }

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool regenerate() {
  const char* v = std::getenv("ENTSIG_REGENERATE");
  return v && std::string_view(v) == "1";
}

}  // namespace

TEST_CASE("entitlements: real-world entitlements match the golden findings", "[entitlements][realworld]") {
  const fs::path dir = realworld_dir() / "entitlements";
  if (!fs::is_directory(dir)) {
    WARN("real-world entitlements not found at " << dir << "; skipped");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 57);
  // One line per finding, as `entsig check` prints them, under the default context of a bare
  // entitlements file (an app, hardened runtime unknown); "no findings" for a clean file.
  std::string report;
  for (const auto& path : files) {
    INFO(path.filename().string());
    const auto doc = parse_plist(slurp(path));
    const auto findings = check(doc.root(), ctx(Kind::app));
    if (findings.empty()) report += path.filename().string() + ": no findings\n";
    for (const auto& f : findings)
      report += path.filename().string() + ": " + std::string(severity_name(f.severity)) + ": " +
                std::string(f.rule) + ": " + f.message + "\n";
  }
  if (regenerate()) {
    fs::create_directories(golden_path().parent_path());
    std::ofstream(golden_path(), std::ios::binary) << report;
    WARN("regenerated " << golden_path());
    return;
  }
  REQUIRE(fs::exists(golden_path()));
  CHECK(report == slurp(golden_path()));
}

namespace {

struct DerSlices {
  std::size_t with_both = 0;     // slices whose signature has XML and DER blobs
  std::size_t legacy_form = 0;   // of those, DER in the SET form
  std::size_t differences = 0;   // summed over those slices
};

// Every slice's XML and DER blobs of one real-world file, compared.
DerSlices compare_file(const fs::path& path) {
  const auto data = read_file(path);
  auto file = macho::parse(view(data));
  REQUIRE(file.ok());
  DerSlices out;
  for (const auto& slice : file->slices) {
    auto signature = codesign::parse_signature(slice);
    REQUIRE(signature.ok());
    auto xml_bytes = signature->entitlements_xml();
    auto der_bytes = signature->entitlements_der();
    if (!xml_bytes || !der_bytes) continue;
    ++out.with_both;
    out.legacy_form += !der_bytes->empty() && (*der_bytes)[0] == 0x31 ? 1 : 0;
    auto xml = plist::read_xml(*xml_bytes);
    auto der = der::read_der(*der_bytes, der::DerOptions::lenient());
    REQUIRE(xml.ok());
    REQUIRE(der.ok());
    const Comparison c = compare_xml_der(xml->root(), der->root());
    for (const auto& d : c.differences) WARN(path.filename().string() << ": " << describe(d));
    out.differences += c.differences.size();
  }
  return out;
}

}  // namespace

TEST_CASE("entitlements: real-world Mach-O XML and DER blobs agree", "[entitlements][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  // From macho_signatures.tsv (ents=xml+der) and the blobs' first bytes.
  const std::map<std::string, std::pair<std::size_t, std::size_t>> expected = {
      {"InsecurePasswordStore", {1, 0}}, {"MASTestApp", {1, 0}},       {"PasswordCheck-swift", {1, 0}},
      {"SwiftAsynciOS", {1, 0}},         {"TestMacOS-arm64e", {1, 0}}, {"TrollStore", {2, 2}},
      {"WheresMyBrowser", {1, 0}},       {"modernobjc-noarm64", {2, 2}},
  };
  std::map<std::string, std::pair<std::size_t, std::size_t>> found;
  for (const auto& path : realworld_machos()) {
    INFO(path.filename().string());
    const DerSlices r = compare_file(path);
    CHECK(r.differences == 0);
    if (r.with_both == 0) continue;
    std::string name = path.filename().string();
    name = name.substr(name.rfind("__") + 2);
    found[name] = {r.with_both, r.legacy_form};
  }
  auto text = [](const auto& m) {
    std::string out;
    for (const auto& [name, counts] : m)
      out += name + ":" + std::to_string(counts.first) + "/" + std::to_string(counts.second) + " ";
    return out;
  };
  CHECK(text(found) == text(expected));
}

TEST_CASE("entitlements: a changed DER blob in a real signature is reported at its key", "[entitlements][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  const auto data = read_file(realworld_path("MASTestApp"));
  auto file = macho::parse(view(data));
  REQUIRE(file.ok());
  auto signature = codesign::parse_signature(file->slices[0]);
  REQUIRE(signature.ok());
  auto xml = plist::read_xml(*signature->entitlements_xml());
  REQUIRE(xml.ok());
  std::string der(signature->entitlements_der()->begin(), signature->entitlements_der()->end());
  // Turn the first BOOLEAN true (01 01 FF) into false and find which key it belonged to.
  const std::size_t at = der.find(std::string("\x01\x01\xff", 3));
  REQUIRE(at != std::string::npos);
  der[at + 2] = '\0';
  auto changed = der::read_der(as_bytes(der));
  REQUIRE(changed.ok());
  std::string flipped;
  for (const auto& e : changed->root().as_dict())
    if (e.value.is(plist::Type::boolean) && !e.value.as_bool() && xml->root().find(e.key)->as_bool()) flipped = e.key;
  REQUIRE_FALSE(flipped.empty());
  const Comparison c = compare_xml_der(xml->root(), changed->root());
  REQUIRE(c.differences.size() == 1);
  CHECK(c.differences[0].kind == DifferenceKind::differs);
  CHECK(c.differences[0].path == key_segment(flipped));
  CHECK(c.differences[0].xml_value == "true");
  CHECK(c.differences[0].der_value == "false");
}

TEST_CASE("entitlements: real-world slice contexts", "[entitlements][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto context_of = [](std::string_view name) {
    const auto data = read_file(realworld_path(name));
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    auto signature = codesign::parse_signature(file->slices[0]);
    REQUIRE(signature.ok());
    return context_for_slice(file->slices[0], &*signature);
  };
  // flags=hardened-runtime in macho_signatures.tsv.
  const Context hardened = context_of("TestMacOS-arm64e");
  CHECK(hardened.kind == Kind::app);
  CHECK(hardened.hardened_runtime == true);
  CHECK(hardened.platform == Platform::macos);
  CHECK(context_of("MASTestApp").platform == Platform::other);  // an iOS app
  CHECK(context_of("ls-ios").platform == Platform::other);      // 32-bit ARM
  CHECK(context_of("libswiftCoreFoundation.dylib").kind == Kind::library);
  CHECK(context_of("ls-sequoia").platform_binary);  // plat16
  const Context plain = context_of("hello-macos-arm64-chained");
  CHECK(plain.hardened_runtime == false);
  CHECK_FALSE(plain.platform_binary);
}

// entsig conform through the peer adapters in conformance/adapters (python-biplist, ruby-plist,
// gnustep and the npm readers), each where its runtime is installed: the deviations docs/
// conformance.md reports for it, down to the value or message, and that every crash is the
// peer's own exception, never the adapter's glue.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_support.h"

using namespace entsig_cli_test;
using Json = nlohmann::json;

namespace {

const fs::path kSource = ENTSIG_SOURCE_DIR;
const fs::path kCases = kSource / "conformance" / "cases";

// Whether the adapter's runtime is here: it answers --capabilities.
bool available(const std::string& adapter) {
  const fs::path script = kSource / "conformance" / "adapters" / adapter / "adapter";
  return std::system((quote(script.string()) + " --capabilities >/dev/null 2>&1").c_str()) == 0;
}

// The adapter's report over the cases matching `patterns` (--case globs, space-separated).
Json run_peer(const Scratch& s, const std::string& adapter, const std::string& patterns) {
  std::string args = "conform --adapter " + adapter + " --cases " + quote(kCases.string());
  std::istringstream globs(patterns);
  for (std::string glob; globs >> glob;) args += " --case " + quote(glob);
  const RunResult r = s.run(args + " --report json -o " + quote(s.path("report.json").string()));
  INFO(r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  const Json report = Json::parse(slurp(s.path("report.json")));
  REQUIRE(report["adapters"].size() == 1);
  CHECK(report["adapters"][0]["name"] == adapter);
  return report["adapters"][0];
}

const Json& result(const Json& adapter, const std::string& id) {
  for (const Json& r : adapter["results"])
    if (r["case"] == id) return r;
  throw std::runtime_error("no result for " + id);
}

std::string field(const Json& adapter, const std::string& id, const std::string& name) {
  const Json& r = result(adapter, id);
  return r.contains(name) ? r[name].get<std::string>() : std::string();
}

// Passed cases of a class, and every crash's reason starting with one of `peer_errors`.
std::size_t passed(const Json& adapter, const std::string& cls) {
  std::size_t n = 0;
  for (const Json& r : adapter["results"]) n += r["class"] == cls && r["outcome"] == "pass";
  return n;
}

void check_crashes_are_the_peers(const Json& adapter, const std::vector<std::string>& peer_errors) {
  for (const Json& r : adapter["results"]) {
    if (r["outcome"] != "crash") continue;
    const std::string reason = r["reason"];
    bool known = false;
    for (const std::string& e : peer_errors) known = known || reason.rfind("crashed: " + e, 0) == 0;
    INFO(r["case"] << ": " << reason);
    CHECK(known);
  }
}

}  // namespace

TEST_CASE("conformance peers: python-biplist", "[conformance]") {
  if (!available("python-biplist")) {
    WARN("python3-biplist is not installed");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "python-biplist", "plist-binary/* plist-xml/valid/bool-true");
  CHECK(passed(a, "valid") == 57);
  CHECK(result(a, "plist-xml/valid/bool-true")["outcome"] == "skipped");  // binary only
  // Cycles are detected and rejected; duplicate keys are not (the last value wins).
  CHECK(field(a, "plist-binary/invalid/b18-array-contains-itself", "outcome") == "pass");
  CHECK(field(a, "plist-binary/invalid/b18-array-contains-itself", "message") ==
        "InvalidPlistException: Recursive data structure detected in object: 0");
  CHECK(field(a, "plist-binary/invalid/b40-dict-duplicate-keys", "output") ==
        R"({"type":"dict","value":{"a":{"type":"integer","value":"2"}}})");
  // Bytes that do not decode escape as UnicodeDecodeError, not InvalidPlistException.
  CHECK(field(a, "plist-binary/invalid/b53-ascii-high-bit", "reason") ==
        "crashed: UnicodeDecodeError: 'ascii' codec can't decode byte 0x80 in position 1: ordinal not in range(128)");
  check_crashes_are_the_peers(a, {"UnicodeDecodeError"});
  CHECK(a["summary"]["crashed"] == 6);
}

TEST_CASE("conformance peers: ruby-plist", "[conformance]") {
  if (!available("ruby-plist")) {
    WARN("ruby-plist is not installed");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "ruby-plist", "plist-xml/* plist-binary/valid/ascii-del");
  CHECK(passed(a, "valid") == 39);
  CHECK(result(a, "plist-binary/valid/ascii-del")["outcome"] == "skipped");  // XML only
  // A regex scanner: the psychicpaper comment hides nothing from it, and its keys are read.
  const std::string psychic = field(a, "plist-xml/invalid/x01-psychicpaper", "output");
  CHECK(psychic.find("\"platform-application\":{\"type\":\"bool\",\"value\":\"true\"}") != std::string::npos);
  // Errors the gem does not catch: DateTime.parse's, and a nil tag class for unknown case.
  CHECK(field(a, "plist-xml/invalid/x84-date-month-13", "reason") == "crashed: Date::Error: invalid date");
  CHECK(field(a, "plist-xml/invalid/x133-upper-case-true", "reason")
            .rfind("crashed: NoMethodError: undefined method `new' for nil:NilClass", 0) == 0);
  check_crashes_are_the_peers(a, {"Date::Error", "NoMethodError", "ArgumentError: invalid byte sequence", "TypeError"});
}

TEST_CASE("conformance peers: npm-plist", "[conformance]") {
  if (!available("npm-plist")) {
    WARN("conformance/adapters/node/node_modules is not installed (npm ci)");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "npm-plist",
                          "plist-xml/invalid/x102-data-star plist-xml/valid/integer-int64-max "
                          "plist-binary/valid/b06-offset-size-3 plist-binary/valid/uid-zero "
                          "plist-binary/valid/real-4-bytes-minus-one plist-binary/valid/int-8-bytes-max");
  // Bad base64 escapes from atob() as a DOMException.
  CHECK(field(a, "plist-xml/invalid/x102-data-star", "reason") == "crashed: InvalidCharacterError: Invalid character");
  // Integers are JavaScript numbers: 2^63-1 becomes 2^63, and a real -1.0 is the number -1.
  CHECK(field(a, "plist-xml/valid/integer-int64-max", "output") ==
        R"({"type":"integer","value":"9223372036854775808"})");
  CHECK(field(a, "plist-binary/valid/int-8-bytes-max", "output") ==
        R"({"type":"integer","value":"9223372036854775808"})");
  CHECK(field(a, "plist-binary/valid/real-4-bytes-minus-one", "output") == R"({"type":"integer","value":"-1"})");
  CHECK(field(a, "plist-binary/valid/b06-offset-size-3", "reason") ==
        "rejected a valid input: Error: Unsupported int size: 3");
  CHECK(field(a, "plist-binary/valid/uid-zero", "output") ==
        R"({"type":"dict","value":{"UID":{"type":"integer","value":"0"}}})");
  check_crashes_are_the_peers(a, {"InvalidCharacterError"});
}

TEST_CASE("conformance peers: npm-expo-plist", "[conformance]") {
  if (!available("npm-expo-plist")) {
    WARN("conformance/adapters/node/node_modules is not installed (npm ci)");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "npm-expo-plist",
                          "plist-xml/invalid/x21-bare-dict-root plist-xml/invalid/empty-document "
                          "plist-xml/invalid/x16-entity-declaration plist-binary/valid/ascii-del");
  CHECK(field(a, "plist-xml/invalid/x21-bare-dict-root", "outcome") == "pass");  // its assert() is its parse error
  CHECK(field(a, "plist-xml/invalid/x21-bare-dict-root", "message") ==
        "AssertionError: malformed document. First element should be <plist>");
  CHECK(field(a, "plist-xml/invalid/empty-document", "reason") ==
        "crashed: TypeError: Cannot read properties of undefined (reading 'documentElement')");
  // xmldom keeps an undeclared-looking entity reference as its text.
  CHECK(field(a, "plist-xml/invalid/x16-entity-declaration", "output") == R"({"type":"string","value":"&e;"})");
  CHECK(field(a, "plist-binary/valid/ascii-del", "outcome") == "skipped");
  check_crashes_are_the_peers(a, {"TypeError"});
}

TEST_CASE("conformance peers: npm-plist-parse", "[conformance]") {
  if (!available("npm-plist-parse")) {
    WARN("conformance/adapters/node/node_modules is not installed (npm ci)");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "npm-plist-parse",
                          "plist-xml/invalid/x16-entity-declaration plist-xml/valid/x160-nesting-128 "
                          "plist-xml/invalid/garbage-after-root plist-binary/valid/b30-int-1-byte "
                          "plist-binary/valid/b47-uid-1-byte");
  // fast-xml-parser expands the internal subset's entities.
  CHECK(field(a, "plist-xml/invalid/x16-entity-declaration", "output") == R"({"type":"string","value":"EVIL"})");
  CHECK(field(a, "plist-xml/valid/x160-nesting-128", "reason") == "rejected a valid input: Error: Maximum nested tags exceeded");
  CHECK(field(a, "plist-xml/invalid/garbage-after-root", "reason") ==
        "crashed: TypeError: Cannot read properties of undefined (reading 'tagName')");
  // 1-, 2- and 4-byte integers are read as signed; a UID is the plain object {CF$UID: n}.
  CHECK(field(a, "plist-binary/valid/b30-int-1-byte", "output") == R"({"type":"integer","value":"-1"})");
  CHECK(field(a, "plist-binary/valid/b47-uid-1-byte", "output") ==
        R"({"type":"dict","value":{"CF$UID":{"type":"integer","value":"5"}}})");
  check_crashes_are_the_peers(a, {"TypeError"});
}

TEST_CASE("conformance peers: npm-bplist-parser", "[conformance]") {
  if (!available("npm-bplist-parser")) {
    WARN("conformance/adapters/node/node_modules is not installed (npm ci)");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "npm-bplist-parser", "plist-binary/valid/* plist-binary/invalid/b4[0-4]*");
  // Every valid case but one: a 4-byte real is a JavaScript number, so -1.0 reads as -1.
  CHECK(passed(a, "valid") == 56);
  CHECK(field(a, "plist-binary/valid/real-4-bytes-minus-one", "output") == R"({"type":"integer","value":"-1"})");
  CHECK(field(a, "plist-binary/valid/uid-zero", "outcome") == "pass");
  // No bounds on string lengths: a length past the end reads what is there.
  CHECK(field(a, "plist-binary/invalid/b43-string-length-beyond", "outcome") == "fail");
  CHECK(a["summary"]["crashed"] == 0);
}

TEST_CASE("conformance peers: npm-simple-plist", "[conformance]") {
  if (!available("npm-simple-plist")) {
    WARN("conformance/adapters/node/node_modules is not installed (npm ci)");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "npm-simple-plist",
                          "plist-binary/valid/int-8-bytes-max plist-binary/valid/uid-4-bytes-max "
                          "plist-binary/valid/b34-int-16-bytes-positive plist-xml/valid/bool-true");
  // Its bplist-parser 0.3 reads 8-byte integers and 4-byte UIDs through 32-bit arithmetic.
  CHECK(field(a, "plist-binary/valid/int-8-bytes-max", "output") == R"({"type":"integer","value":"-1"})");
  CHECK(field(a, "plist-binary/valid/uid-4-bytes-max", "output") == R"({"unrepresentable":"UID -1"})");
  CHECK(field(a, "plist-binary/valid/b34-int-16-bytes-positive", "outcome") == "pass");  // a big-integer object
  CHECK(field(a, "plist-xml/valid/bool-true", "outcome") == "pass");
  CHECK(a["summary"]["crashed"] == 0);
}

#ifdef ENTSIG_ADAPTER_GNUSTEP_PATH
TEST_CASE("conformance peers: gnustep", "[conformance]") {
  // The wrapper conformance/adapters/gnustep/adapter runs the adapter of this build.
  ::setenv("ENTSIG_ADAPTER_GNUSTEP", ENTSIG_ADAPTER_GNUSTEP_PATH, 1);
  Scratch s;
  const Json a = run_peer(s, "gnustep",
                          "plist-xml/valid/x20-no-declaration-no-doctype plist-xml/valid/x50-integer-uint64-max "
                          "plist-binary/invalid/b18-array-contains-itself plist-binary/invalid/cve-2017-6435-string-malloc "
                          "plist-binary/valid/uid-zero");
  // XML is recognised only after "<?xml"; anything else goes to the OpenStep parser.
  CHECK(field(a, "plist-xml/valid/x20-no-declaration-no-doctype", "reason") ==
        "rejected a valid input: Parse failed at line 1 (char 2) - unexpected character (wanted '>')");
  CHECK(field(a, "plist-xml/valid/x50-integer-uint64-max", "output") ==
        "{\"type\":\"integer\",\"value\":\"9223372036854775807\"}\n");
  // The binary reader raises instead of returning an error, and crashes on huge lengths.
  CHECK(field(a, "plist-binary/invalid/b18-array-contains-itself", "stderr") ==
        "raised NSGenericException: Cyclic object graph\n");
  CHECK(field(a, "plist-binary/invalid/cve-2017-6435-string-malloc", "reason") ==
        "crashed: killed by signal 11 (Segmentation fault)");
  CHECK(field(a, "plist-binary/valid/uid-zero", "output") ==
        "{\"type\":\"dict\",\"value\":{\"CF$UID\":{\"type\":\"integer\",\"value\":\"0\"}}}\n");
}
#endif

// The macho-area peers. Each reads the file with its own Mach-O model; the summary's fields are
// conformance/ADAPTERS.md's ("Structure areas").
TEST_CASE("conformance peers: lief", "[conformance]") {
#ifdef ENTSIG_ADAPTER_LIEF_PATH
  ::setenv("ENTSIG_ADAPTER_LIEF", ENTSIG_ADAPTER_LIEF_PATH, 1);
#endif
  if (!available("lief")) {
    WARN("the LIEF adapter is not built");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "lief", "macho/*");
  // LIEF 0.9 reads a big-endian header unswapped: ppc64's 0x01000012 becomes 0x12000001.
  CHECK(field(a, "macho/valid/thin-ppc64-big-endian", "outcome") == "fail");
  const Json out = Json::parse(field(a, "macho/valid/thin-ppc64-big-endian", "output"));
  CHECK(out["value"]["slices"]["value"][0]["value"]["cputype"]["value"] == "301989889");
  // It has no fat64 reader, and takes a fat_arch whose CPU differs from its slice (CVE-2018-10405).
  CHECK(field(a, "macho/valid/fat64-one-slice", "message") == "LIEF: 'stdin' is not a MachO binary");
  CHECK(field(a, "macho/invalid/i386-listed-as-x86-64", "observed") == "accepted");
  CHECK(field(a, "macho/invalid/fat-no-arches", "outcome") == "pass");
  CHECK(a["summary"]["crashed"] == 0);
}

TEST_CASE("conformance peers: llvm-objdump", "[conformance]") {
  if (!available("llvm-objdump")) {
    WARN("llvm-objdump-14 is not installed");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "llvm-objdump", "macho/*");
  // LLVM's MachOObjectFile checks the fat CPU against the slice, but not the subtype.
  CHECK(field(a, "macho/invalid/i386-listed-as-x86-64", "outcome") == "pass");
  CHECK(field(a, "macho/invalid/cpusubtype-mismatch", "observed") == "accepted");
  // Where the signature lies among the segments is no object-file rule for it.
  CHECK(field(a, "macho/invalid/in-text", "observed") == "accepted");
  // llvm-objdump 14 prints fat_magic 0xcafebabe for fat64 files too.
  const Json out = Json::parse(field(a, "macho/valid/fat64-one-slice", "output"));
  CHECK(out["value"]["kind"]["value"] == "fat");
  CHECK(passed(a, "valid") == 16);
  CHECK(a["summary"]["crashed"] == 0);
}

TEST_CASE("conformance peers: python-macholib", "[conformance]") {
  if (!available("python-macholib")) {
    WARN("python3-macholib is not installed");
    return;
  }
  Scratch s;
  const Json a = run_peer(s, "python-macholib", "macho/*");
  CHECK(passed(a, "valid") == 18);
  // macholib bounds neither the fat table nor LC_CODE_SIGNATURE's range.
  CHECK(field(a, "macho/invalid/fat-no-arches", "observed") == "accepted");
  CHECK(field(a, "macho/invalid/datasize-4-gib", "observed") == "accepted");
  CHECK(field(a, "macho/invalid/i386-listed-as-x86-64", "observed") == "accepted");
  CHECK(field(a, "macho/invalid/header-64-cut", "outcome") == "pass");
  CHECK(a["summary"]["crashed"] == 0);
}

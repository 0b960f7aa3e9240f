// entsig conform: the committed corpus through the built-in adapters, the corpus against its
// generator, and the adapter protocol with small adapters written into a scratch directory
// (crashing, hanging, printing garbage, lacking an area, batch mode with a restart).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <csignal>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_support.h"

using namespace entsig_cli_test;
using Json = nlohmann::json;

namespace {

const fs::path kSource = ENTSIG_SOURCE_DIR;
const fs::path kCases = kSource / "conformance" / "cases";

std::string executable(const Scratch& s, const std::string& name, const std::string& script) {
  const std::string path = s.file(name, script);
  ::chmod(path.c_str(), 0755);
  return path;
}

// A small corpus: four plist-xml cases (valid true, invalid junk, differential x, valid false)
// and one plist-binary case, so an adapter declaring only plist-xml skips one.
std::string mini_corpus(const Scratch& s, const std::string& junk_error = "plist_xml.text_before_root") {
  const fs::path dir = s.path("cases");
  spit(dir / "plist-xml/valid/true.plist", "<plist version=\"1.0\"><true/></plist>");
  spit(dir / "plist-xml/valid/true.json", "{\"type\": \"bool\", \"value\": \"true\"}\n");
  spit(dir / "plist-xml/valid/false.plist", "<plist version=\"1.0\"><false/></plist>");
  spit(dir / "plist-xml/valid/false.json", "{\"type\": \"bool\", \"value\": \"false\"}\n");
  spit(dir / "plist-xml/invalid/junk.plist", "junk<plist version=\"1.0\"><string>s</string></plist>");
  spit(dir / "plist-xml/differential/x.plist", "x");
  spit(dir / "plist-xml/manifest.json",
       R"({"area": "plist-xml", "cases": [
  {"id": "true", "class": "valid", "rule": "r", "path": "valid/true.plist", "expect": {"result": "accept", "value_path": "valid/true.json"}},
  {"id": "junk", "class": "invalid", "rule": "r", "path": "invalid/junk.plist", "expect": {"result": "reject", "error": ")" +
           junk_error + R"(", "class": "malformed"}},
  {"id": "x", "class": "differential", "rule": "r", "path": "differential/x.plist",
   "behaviours": {"cf": {"result": "accept", "value": {"type": "bool", "value": "true"}}, "kernel": {"result": "reject"}}},
  {"id": "false", "class": "valid", "rule": "r", "path": "valid/false.plist", "expect": {"result": "accept", "value_path": "valid/false.json"}}
]})");
  spit(dir / "plist-binary/valid/bin.bplist", "bplist00");
  spit(dir / "plist-binary/valid/bin.json", "{\"type\": \"bool\", \"value\": \"true\"}\n");
  spit(dir / "plist-binary/manifest.json",
       R"({"area": "plist-binary", "cases": [
  {"id": "bin", "class": "valid", "rule": "r", "path": "valid/bin.bplist", "expect": {"result": "accept", "value_path": "valid/bin.json"}}
]})");
  return quote(dir.string());
}

// Reads a shell-adapter case: true/false for the two plists, exit 1 otherwise.
const char* kGoodAdapter = R"(#!/bin/sh
if [ "$1" = --capabilities ]; then echo '["plist-xml"]'; exit 0; fi
input=$(cat)
case "$input" in
  *"<true/>"*) echo '{"type":"bool","value":"true"}' ;;
  *"<false/>"*) echo '{"type":"bool","value":"false"}' ;;
  *) echo "not a plist" >&2; exit 1 ;;
esac
)";

Json json_run(const Scratch& s, const std::string& args, int expected_status) {
  const RunResult r = s.run("conform " + args + " --report json -o " + quote(s.path("report.json").string()));
  INFO(r.err);
  CHECK(r.status == expected_status);
  return Json::parse(slurp(s.path("report.json")));
}

// The result for one case ("plist-xml/valid/true") in an adapter's report.
const Json& result(const Json& adapter, const std::string& id) {
  for (const Json& r : adapter["results"])
    if (r["case"] == id) return r;
  throw std::runtime_error("no result for " + id);
}

std::map<std::string, std::string> outcomes(const Json& adapter) {
  std::map<std::string, std::string> out;
  for (const Json& r : adapter["results"]) out[r["case"].get<std::string>()] = r["outcome"].get<std::string>();
  return out;
}

void check_summary(const Json& summary, int passed, int failed, int crashed, int timed_out, int skipped, int recorded) {
  CHECK(summary["passed"] == passed);
  CHECK(summary["failed"] == failed);
  CHECK(summary["crashed"] == crashed);
  CHECK(summary["timed_out"] == timed_out);
  CHECK(summary["skipped"] == skipped);
  CHECK(summary["recorded"] == recorded);
  CHECK(summary["total"] == passed + failed + crashed + timed_out + skipped + recorded);
}

}  // namespace

TEST_CASE("conformance: the built-in adapters pass every judged case of the corpus", "[conformance]") {
  // Counts come from the manifests, not from a previous run.
  std::size_t judged = 0, differential = 0;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (!fs::is_regular_file(entry.path() / "manifest.json")) continue;
    const Json manifest = Json::parse(slurp(entry.path() / "manifest.json"));
    for (const Json& c : manifest["cases"]) (c["class"] == "differential" ? differential : judged) += 1;
  }
  REQUIRE(judged + differential >= 500);
  Scratch s;
  const Json report = json_run(s, "--adapter entsig --adapter entsig-cf --cases " + quote(kCases.string()), 0);
  REQUIRE(report["adapters"].size() == 2);
  for (const Json& adapter : report["adapters"]) {
    INFO(adapter["name"]);
    check_summary(adapter["summary"], static_cast<int>(judged), 0, 0, 0, 0, static_cast<int>(differential));
    for (const Json& r : adapter["results"])
      if (r["outcome"] != "pass" && r["outcome"] != "recorded") FAIL(r.dump());
  }
  CHECK(report["adapters"][0]["profile"] == "hardened");
  CHECK(report["adapters"][1]["profile"] == "cf");
}

TEST_CASE("conformance: the committed corpus is what conformance/generate writes", "[conformance]") {
  Scratch s;
  const fs::path out = s.path("generated");
  const std::string command = "python3 " + quote((kSource / "conformance" / "generate").string()) + " --out " +
                              quote(out.string()) + " >/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  auto files = [](const fs::path& root) {
    std::set<std::string> names{"RULES.md"};
    for (const auto& e : fs::recursive_directory_iterator(root / "cases"))
      if (e.is_regular_file()) names.insert(fs::relative(e.path(), root).string());
    return names;
  };
  const auto generated = files(out);
  const auto committed = files(kSource / "conformance");
  CHECK(generated == committed);
  for (const std::string& name : generated) {
    if (!committed.count(name)) continue;
    INFO(name);
    CHECK(slurp(out / name) == slurp(kSource / "conformance" / name));
  }
}

TEST_CASE("conformance: an adapter declaring one area passes it and skips the other", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  const std::string adapter = executable(s, "good.sh", kGoodAdapter);
  const Json report = json_run(s, "--adapter-cmd " + quote(adapter) + " --cases " + cases, 0);
  const Json& a = report["adapters"][0];
  check_summary(a["summary"], 3, 0, 0, 0, 1, 1);
  CHECK(a["kind"] == "command");
  CHECK(outcomes(a) == std::map<std::string, std::string>{{"plist-xml/valid/true", "pass"},
                                                          {"plist-xml/valid/false", "pass"},
                                                          {"plist-xml/invalid/junk", "pass"},
                                                          {"plist-xml/differential/x", "recorded"},
                                                          {"plist-binary/valid/bin", "skipped"}});
  // The differential case was rejected: like the kernel, unlike CoreFoundation.
  CHECK(a["behaves_like"]["kernel"] == Json({{"matched", 1}, {"known", 1}}));
  CHECK(a["behaves_like"]["cf"] == Json({{"matched", 0}, {"known", 1}}));
  CHECK(result(a, "plist-xml/invalid/junk")["message"] == "not a plist");

  const RunResult text = s.run("conform --adapter-cmd " + quote(adapter) + " --cases " + cases);
  CHECK(text.status == 0);
  CHECK(text.out.substr(text.out.rfind("\nconform:") + 1) ==
        "conform: 3 passed, 0 failed, 0 crashed, 0 timed out, 1 skipped, 1 recorded (1 adapter)\n");
}

TEST_CASE("conformance: JUnit report counts", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  const std::string good = executable(s, "good.sh", kGoodAdapter);
  const std::string crash = executable(s, "crash.sh", "#!/bin/sh\nkill -SEGV $$\n");
  const RunResult r = s.run("conform --adapter-cmd " + quote(good) + " --adapter-cmd " + quote(crash) + " --cases " +
                            cases + " --report junit");
  CHECK(r.status == 1);
  CHECK(r.out.find("<testsuites name=\"entsig conform\" tests=\"10\" failures=\"0\" errors=\"5\" skipped=\"1\"") !=
        std::string::npos);
  CHECK(r.out.find("<testsuite name=\"" + good + "/plist-xml\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"0\"") !=
        std::string::npos);
  CHECK(r.out.find("<testsuite name=\"" + good + "/plist-binary\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\"") !=
        std::string::npos);
  CHECK(r.out.find("<testsuite name=\"" + crash + "/plist-xml\" tests=\"4\" failures=\"0\" errors=\"4\" skipped=\"0\"") !=
        std::string::npos);
  CHECK(r.out.find("<error message=\"crashed: killed by signal 11") != std::string::npos);
}

TEST_CASE("conformance: crashes, exit statuses and signals are crashes, not rejections", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  SECTION("signal") {
    const std::string crash = executable(s, "crash.sh", "#!/bin/sh\nkill -SEGV $$\n");
    const Json report = json_run(s, "--adapter-cmd " + quote(crash) + " --cases " + cases, 1);
    check_summary(report["adapters"][0]["summary"], 0, 0, 5, 0, 0, 0);
    CHECK(result(report["adapters"][0], "plist-xml/valid/true")["reason"] ==
          "crashed: killed by signal 11 (Segmentation fault)");
  }
  SECTION("exit status 2") {
    const std::string two = executable(s, "two.sh", "#!/bin/sh\ncat >/dev/null\nexit 2\n");
    const Json report = json_run(s, "--adapter-cmd " + quote(two) + " --cases " + cases, 1);
    check_summary(report["adapters"][0]["summary"], 0, 0, 5, 0, 0, 0);
    CHECK(result(report["adapters"][0], "plist-xml/invalid/junk")["reason"] == "crashed: exit status 2");
  }
  SECTION("not startable") {
    const Json report = json_run(s, "--adapter-cmd " + quote(s.path("missing").string()) + " --cases " + cases, 1);
    check_summary(report["adapters"][0]["summary"], 0, 0, 5, 0, 0, 0);
  }
}

TEST_CASE("conformance: a hanging adapter times out and is killed with its children", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  // Each start records its pid; `exec` makes the sleep that pid, so a kill must reach it.
  const std::string pids = s.path("pids").string();
  const std::string hang = executable(s, "hang.sh", "#!/bin/sh\necho $$ >> " + quote(pids) + "\nexec sleep 30\n");
  const auto start = std::chrono::steady_clock::now();
  const Json report = json_run(s, "--adapter-cmd " + quote(hang) + " --cases " + cases + " --timeout 0.3 --jobs 5", 1);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check_summary(report["adapters"][0]["summary"], 0, 0, 0, 5, 0, 0);
  // One capabilities probe (at least 1 s) plus one 0.3 s round: far below a single sleep.
  CHECK(seconds < 10);
  std::istringstream started(slurp(pids));
  std::size_t count = 0;
  for (pid_t pid; started >> pid; ++count) {
    INFO("pid " << pid);
    CHECK((::kill(pid, 0) != 0 && errno == ESRCH));
  }
  CHECK(count == 6);  // the probe and five cases
}

TEST_CASE("conformance: garbage, wrong values and unrepresentable outputs", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  SECTION("garbage on stdout") {
    const std::string garbage = executable(s, "garbage.sh", "#!/bin/sh\ncat >/dev/null\necho 'not json'\n");
    const Json report = json_run(s, "--adapter-cmd " + quote(garbage) + " --cases " + cases, 1);
    const Json& a = report["adapters"][0];
    check_summary(a["summary"], 0, 4, 0, 0, 0, 1);
    const Json& first = result(a, "plist-xml/valid/true");
    CHECK(first["outcome"] == "fail");
    CHECK(first["reason"].get<std::string>().rfind("output is not tagged JSON: plist.json.", 0) == 0);
    CHECK(first["output"] == "not json\n");
  }
  SECTION("a wrong value") {
    const std::string liar = executable(s, "liar.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"type\":\"integer\",\"value\":\"1\"}'\n");
    const Json report = json_run(s, "--adapter-cmd " + quote(liar) + " --cases " + cases, 1);
    check_summary(report["adapters"][0]["summary"], 0, 4, 0, 0, 0, 1);
    const Json& a = report["adapters"][0];
    CHECK(result(a, "plist-xml/valid/true")["reason"] == "accepted with a different value");
    CHECK(result(a, "plist-xml/invalid/junk")["reason"] ==
          "accepted an input that must be rejected (plist_xml.text_before_root)");
  }
  SECTION("unrepresentable") {
    const std::string cycle = executable(s, "cycle.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"unrepresentable\": \"cycle\"}'\n");
    const Json report = json_run(s, "--adapter-cmd " + quote(cycle) + " --cases " + cases, 1);
    check_summary(report["adapters"][0]["summary"], 0, 4, 0, 0, 0, 1);
    const Json& a = report["adapters"][0];
    CHECK(result(a, "plist-xml/valid/true")["reason"] == "accepted, but printed no tagged value: cycle");
    CHECK(result(a, "plist-xml/differential/x")["observed"] == "unrepresentable");
  }
}

TEST_CASE("conformance: batch mode, with a restart after the adapter dies", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  // Answers from the input, logs every request id, and exits on the differential case's "x".
  const std::string batch = executable(s, "batch.py", R"(#!/usr/bin/env python3
import base64, json, sys
if sys.argv[1:] == ["--capabilities"]:
    print(json.dumps({"name": "batchy", "areas": ["plist-xml"], "batch": True}))
    sys.exit(0)
assert sys.argv[1:] == ["--batch", "plist-xml"]
for line in sys.stdin:
    request = json.loads(line)
    with open(sys.argv[0] + ".log", "a") as log:
        log.write(request["id"] + "\n")
    data = base64.b64decode(request["input"])
    if data == b"x":
        sys.exit(5)
    value = "true" if b"<true/>" in data else "false" if b"<false/>" in data else None
    reply = {"id": request["id"], "status": "accept" if value else "reject", "message": "no"}
    if value:
        reply["output"] = json.dumps({"type": "bool", "value": value})
    print(json.dumps(reply), flush=True)
)");
  const Json report = json_run(s, "--adapter-cmd " + quote(batch) + " --cases " + cases + " --jobs 1", 1);
  const Json& a = report["adapters"][0];
  CHECK(a["name"] == "batchy");
  CHECK(a["description"] == batch + " (batch)");
  check_summary(a["summary"], 3, 0, 1, 0, 1, 0);
  CHECK(outcomes(a)["plist-xml/differential/x"] == "crash");
  CHECK(outcomes(a)["plist-xml/valid/false"] == "pass");  // answered by the restarted process
  CHECK(result(a, "plist-xml/differential/x")["reason"] == "crashed: exited before answering (exit status 5)");
  CHECK(slurp(batch + ".log") ==
        "plist-xml/valid/true\nplist-xml/invalid/junk\nplist-xml/differential/x\nplist-xml/valid/false\n");
}

TEST_CASE("conformance: built-in adapters check the error id", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s, "plist_xml.syntax");
  const Json report = json_run(s, "--adapter entsig --cases " + cases + " --area plist-xml", 1);
  const Json& junk = result(report["adapters"][0], "plist-xml/invalid/junk");
  CHECK(junk["outcome"] == "fail");
  CHECK(junk["reason"] == "rejected with plist_xml.text_before_root, expected plist_xml.syntax");
  CHECK(junk["error"] == "plist_xml.text_before_root");
}

TEST_CASE("conformance: usage and corpus errors", "[conformance]") {
  Scratch s;
  const std::string cases = mini_corpus(s);
  CHECK(s.run("conform --cases " + quote(s.path("none").string())).status == 2);
  CHECK(s.run("conform --cases " + cases + " --area macho").status == 2);
  CHECK(s.run("conform --cases " + cases + " --adapter no-such-adapter").status == 2);
  spit(s.path("cases/plist-xml/manifest.json"), R"({"cases": [{"id": "a", "class": "valid"}]})");
  const RunResult broken = s.run("conform --cases " + cases);
  CHECK(broken.status == 1);
  CHECK(broken.err == "error: conform: corpus: plist-xml/a: missing \"rule\"\n");
}

TEST_CASE("conformance: python-plistlib gives the same observations in batch and per-case mode", "[conformance]") {
  Scratch s;
  // A sample of the corpus keeps the per-case run (one interpreter per case) short.
  const std::string args = "--adapter python-plistlib --case 'plist-xml/*/x1[0-3]*' --case 'plist-binary/*/b[3-4]*' --cases " +
                           quote(kCases.string());
  const Json batch = json_run(s, args, 1);
  const Json single = json_run(s, args + " --no-batch", 1);
  REQUIRE(batch["adapters"][0]["description"].get<std::string>().find("(batch)") != std::string::npos);
  REQUIRE(single["adapters"][0]["description"].get<std::string>().find("(batch)") == std::string::npos);
  const Json& a = batch["adapters"][0]["results"];
  const Json& b = single["adapters"][0]["results"];
  REQUIRE(a.size() == b.size());
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i]["case"]);
    CHECK(a[i]["observed"] == b[i]["observed"]);
    CHECK(a[i]["outcome"] == b[i]["outcome"]);
    CHECK(a[i]["matches"] == b[i]["matches"]);
    accepted += a[i]["observed"] == "accepted";
  }
  CHECK(accepted > 0);
}

#ifdef ENTSIG_ADAPTER_LIBPLIST_PATH
TEST_CASE("conformance: the libplist adapter reads every valid plist-xml case", "[conformance]") {
  // The wrapper conformance/adapters/libplist/adapter runs the adapter of this build.
  ::setenv("ENTSIG_ADAPTER_LIBPLIST", ENTSIG_ADAPTER_LIBPLIST_PATH, 1);
  Scratch s;
  const Json report = json_run(s, "--adapter libplist --case 'plist-xml/valid/*' --cases " + quote(kCases.string()), 0);
  const Json& adapter = report["adapters"][0];
  CHECK(adapter["name"] == "libplist");
  std::size_t passed = 0;
  for (const Json& r : adapter["results"]) passed += r["class"] == "valid" && r["outcome"] == "pass";
  CHECK(passed == 39);
  check_summary(adapter["summary"], 39, 0, 0, 0, 0, 0);
}
#endif

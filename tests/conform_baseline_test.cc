// entsig conform baselines: the file format (sorted, exact text), reading it back and its
// errors, the comparison (changed, added, removed, missing adapters, versions), and the CLI's
// --write-baseline / --baseline exit statuses on a small corpus.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "runner/baseline.h"

using namespace entsig::tools::conform;
using namespace entsig_cli_test;

namespace {

Baseline sample() {
  Baseline b;
  BaselineAdapter& a = b.adapters["peer"];
  a.kind = "command";
  a.version = "peer 1.0";
  a.outcomes = {{"plist-xml/valid/b", "pass"}, {"plist-xml/invalid/a", "fail"}, {"plist-binary/valid/c", "skipped"}};
  b.adapters["entsig"].kind = "builtin";
  b.adapters["entsig"].outcomes = {{"plist-xml/valid/b", "pass"}};
  return b;
}

bool everything(const std::string&) { return true; }

}  // namespace

TEST_CASE("baseline: sorted JSON, one case per line, and read back") {
  const std::string text = baseline_json(sample());
  CHECK(text == R"({
  "adapters": {
    "entsig": {
      "kind": "builtin",
      "outcomes": {
        "plist-xml/valid/b": "pass"
      }
    },
    "peer": {
      "kind": "command",
      "outcomes": {
        "plist-binary/valid/c": "skipped",
        "plist-xml/invalid/a": "fail",
        "plist-xml/valid/b": "pass"
      },
      "version": "peer 1.0"
    }
  },
  "format": "entsig-conform-baseline",
  "version": 1
}
)");
  const Baseline back = parse_baseline(text);
  REQUIRE(back.adapters.size() == 2);
  CHECK(back.adapters.at("peer").version == "peer 1.0");
  CHECK(back.adapters.at("peer").outcomes == sample().adapters.at("peer").outcomes);
  CHECK(back.adapters.at("entsig").version.empty());
  CHECK(baseline_json(back) == text);
}

TEST_CASE("baseline: malformed files are refused with a reason") {
  CHECK_THROWS_WITH(parse_baseline("{"), "not JSON");
  CHECK_THROWS_WITH(parse_baseline(R"({"format": "entsig-conform", "version": 1})"),
                    Catch::Contains("not a baseline"));
  CHECK_THROWS_WITH(parse_baseline(R"({"format": "entsig-conform-baseline", "version": 2, "adapters": {}})"),
                    Catch::Contains("unsupported baseline version"));
  CHECK_THROWS_WITH(parse_baseline(R"({"format": "entsig-conform-baseline", "version": 1})"),
                    "no \"adapters\" object");
  CHECK_THROWS_WITH(
      parse_baseline(R"({"format": "entsig-conform-baseline", "version": 1, "adapters": {"a": {"outcomes": {"x": "passed"}}}})"),
      "adapter a: case x: outcome must be pass, fail, crash, timeout, skipped or recorded");
  CHECK_THROWS_WITH(parse_baseline(R"({"format": "entsig-conform-baseline", "version": 1, "adapters": {"a": {"kind": 1, "outcomes": {}}}})"),
                    "adapter a: \"kind\" is not a string");
}

TEST_CASE("baseline: the comparison lists every changed, added and removed case") {
  const Baseline before = sample();
  SECTION("no change") {
    const BaselineComparison c = compare_baseline(before, before, everything);
    CHECK_FALSE(c.changed());
    CHECK(describe_comparison(c, "b.json") == "baseline: no change against b.json\n");
  }
  SECTION("changes") {
    Baseline now = sample();
    now.adapters["peer"].version = "peer 2.0";
    now.adapters["peer"].outcomes["plist-xml/invalid/a"] = "pass";
    now.adapters["peer"].outcomes.erase("plist-binary/valid/c");
    now.adapters["peer"].outcomes["plist-xml/valid/new"] = "crash";
    now.adapters["other"].kind = "command";
    now.adapters.erase("entsig");
    const BaselineComparison c = compare_baseline(before, now, everything);
    CHECK(c.changed());
    REQUIRE(c.changes.size() == 3);
    CHECK(c.missing == std::vector<std::string>{"other"});
    CHECK(describe_comparison(c, "b.json") ==
          "baseline: peer: plist-xml/invalid/a: fail -> pass\n"
          "baseline: peer: plist-xml/valid/new: added (crash)\n"
          "baseline: peer: plist-binary/valid/c: removed (was skipped)\n"
          "baseline: other: no baseline for this adapter in b.json\n"
          "baseline: note: peer: version peer 1.0 -> peer 2.0\n"
          "baseline: note: entsig: in the baseline, not run\n"
          "baseline: 1 outcome changed, 1 case added, 1 case removed, 1 adapter missing, against b.json\n");
  }
  SECTION("cases the run left out are not removed") {
    Baseline now = sample();
    now.adapters["peer"].outcomes.erase("plist-binary/valid/c");
    const auto xml_only = [](const std::string& id) { return id.starts_with("plist-xml/"); };
    CHECK_FALSE(compare_baseline(before, now, xml_only).changed());
    CHECK(compare_baseline(before, now, everything).changed());
  }
  SECTION("a version change alone is a note") {
    Baseline now = sample();
    now.adapters["peer"].version.clear();
    const BaselineComparison c = compare_baseline(before, now, everything);
    CHECK_FALSE(c.changed());
    CHECK(c.notes == std::vector<std::string>{"peer: version peer 1.0 -> unknown"});
  }
}

namespace {

// Two plist-xml cases: valid <true/>, invalid junk.
std::string tiny_corpus(const Scratch& s) {
  const fs::path dir = s.path("cases");
  spit(dir / "plist-xml/valid/true.plist", "<plist version=\"1.0\"><true/></plist>");
  spit(dir / "plist-xml/valid/true.json", "{\"type\": \"bool\", \"value\": \"true\"}\n");
  spit(dir / "plist-xml/invalid/junk.plist", "junk<plist version=\"1.0\"><true/></plist>");
  spit(dir / "plist-xml/manifest.json", R"({"area": "plist-xml", "cases": [
  {"id": "true", "class": "valid", "rule": "r", "path": "valid/true.plist", "expect": {"result": "accept", "value_path": "valid/true.json"}},
  {"id": "junk", "class": "invalid", "rule": "r", "path": "invalid/junk.plist", "expect": {"result": "reject", "class": "malformed"}}
]})");
  return quote(dir.string());
}

}  // namespace

TEST_CASE("conform --write-baseline and --baseline") {
  const Scratch s;
  const std::string cases = tiny_corpus(s);
  const std::string file = quote(s.path("base.json").string());
  RunResult r = s.run("conform --cases " + cases + " --adapter entsig --write-baseline " + file + " -o /dev/null");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto written = nlohmann::json::parse(slurp(s.path("base.json")));
  CHECK(written["adapters"]["entsig"]["kind"] == "builtin");
  CHECK(written["adapters"]["entsig"]["version"].get<std::string>().starts_with("entsig "));
  CHECK(written["adapters"]["entsig"]["outcomes"] ==
        nlohmann::json({{"plist-xml/invalid/junk", "pass"}, {"plist-xml/valid/true", "pass"}}));

  r = s.run("conform --cases " + cases + " --adapter entsig --baseline " + file + " -o /dev/null");
  CHECK(r.status == 0);
  CHECK(r.err == "baseline: no change against " + s.path("base.json").string() + "\n");

  // A case whose outcome changed, one more case, and an adapter with no baseline: exit 1.
  const std::string original = slurp(s.path("base.json"));
  std::string text = original;
  text.replace(text.find("\"plist-xml/invalid/junk\": \"pass\""), 32, "\"plist-xml/invalid/junk\": \"fail\"");
  spit(s.path("base.json"), text);
  r = s.run("conform --cases " + cases + " --adapter entsig --adapter entsig-cf --baseline " + file + " -o /dev/null");
  CHECK(r.status == 1);
  CHECK(r.err.find("baseline: entsig: plist-xml/invalid/junk: fail -> pass\n") != std::string::npos);
  CHECK(r.err.find("baseline: entsig-cf: no baseline for this adapter in ") != std::string::npos);
  CHECK(r.err.find("baseline: 1 outcome changed, 0 cases added, 0 cases removed, 1 adapter missing, against ") !=
        std::string::npos);

  // --case narrows the run: the left-out case is not reported removed.
  spit(s.path("base.json"), original);
  r = s.run("conform --cases " + cases + " --adapter entsig --case 'plist-xml/valid/*' --baseline " + file + " -o /dev/null");
  CHECK(r.status == 0);

  r = s.run("conform --cases " + cases + " --baseline " + quote(s.path("missing.json").string()));
  CHECK(r.status == 2);
  CHECK(r.err.starts_with("error: conform: cannot read baseline "));
  spit(s.path("bad.json"), "[]");
  r = s.run("conform --cases " + cases + " --baseline " + quote(s.path("bad.json").string()));
  CHECK(r.status == 2);
  CHECK(r.err.find("not a baseline") != std::string::npos);
}

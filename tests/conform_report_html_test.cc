// The HTML conformance report generator: the embedded data (every adapter, every case, exact
// outcomes and counts), escaping of names and inputs that hold markup, binary inputs as base64,
// cut inputs, rule texts read from RULES.md, and the static summary.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runner/report_html.h"
#include "runner/rules.h"

using namespace entsig::tools::conform;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A command-line-free adapter whose name holds markup.
class NamedAdapter : public Adapter {
 public:
  explicit NamedAdapter(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  std::string kind() const override { return "command"; }
  std::string description() const override { return "./adapter \"x\" & <y>"; }
  std::string version() const override { return "1.2 <beta>"; }
  bool supports(const std::string&) const override { return true; }
  std::unique_ptr<AdapterSession> open_session() const override { return nullptr; }

 private:
  std::string name_;
};

Case make_case(std::string area, std::string id, CaseClass cls, std::string rule, std::string input) {
  Case c;
  c.area = std::move(area);
  c.id = std::move(id);
  c.cls = cls;
  c.rule = std::move(rule);
  c.input = std::move(input);
  return c;
}

// Three cases: a valid XML one, an invalid one whose input closes the script element, and a
// binary differential one with NUL bytes.
Corpus sample_corpus() {
  Corpus corpus;
  corpus.dir = "cases";
  corpus.areas = {"plist-xml", "plist-binary"};
  Case valid = make_case("plist-xml", "true", CaseClass::valid, "xml.document.minimal", "<plist><true/></plist>");
  valid.description = "a <true/> root";
  Expectation e;
  e.accept = true;
  e.value = std::move(read_tagged_value(R"({"type":"bool","value":"true"})").value());
  valid.expect = std::move(e);
  corpus.cases.push_back(std::move(valid));
  Case invalid = make_case("plist-xml", "script", CaseClass::invalid, "xml.comment.dash-start",
                           "</script><script>alert(1)</script> & <!--");
  Expectation r;
  r.error = "plist_xml.text_before_root";
  r.error_class = "malformed";
  invalid.expect = std::move(r);
  Behaviour cf;
  cf.peer = "cf";
  cf.result = Behaviour::Result::reject;
  cf.note = "CF </script> note";
  invalid.behaviours.push_back(std::move(cf));
  corpus.cases.push_back(std::move(invalid));
  corpus.cases.push_back(make_case("plist-binary", "nul", CaseClass::differential, "bin.rule",
                                   std::string("bplist00\0\x01\xff", 11)));
  return corpus;
}

CaseRun case_run(const Case& c, Outcome outcome, Observation::Kind kind, std::string output = {}) {
  CaseRun r;
  r.c = &c;
  r.verdict.outcome = outcome;
  r.observation.kind = kind;
  r.observation.output = std::move(output);
  return r;
}

struct Sample {
  Corpus corpus = sample_corpus();
  std::unique_ptr<Adapter> entsig = make_builtin_adapter("entsig");
  std::unique_ptr<Adapter> odd = std::make_unique<NamedAdapter>("odd</th><script>x</script>");
  std::vector<AdapterRun> runs;

  Sample() {
    using K = Observation::Kind;
    const auto& cs = corpus.cases;
    runs.resize(2);
    runs[0].adapter = entsig.get();
    runs[0].results.push_back(case_run(cs[0], Outcome::pass, K::accepted, R"({"type":"bool","value":"true"})"));
    runs[0].results.push_back(case_run(cs[1], Outcome::pass, K::rejected));
    runs[0].results.push_back(case_run(cs[2], Outcome::recorded, K::accepted));
    runs[1].adapter = odd.get();
    runs[1].results.push_back(case_run(cs[0], Outcome::fail, K::rejected));
    runs[1].results.push_back(case_run(cs[1], Outcome::crash, K::crashed));
    runs[1].results.push_back(case_run(cs[2], Outcome::timeout, K::timed_out));
    runs[1].results[1].observation.stderr_text = "Traceback </script>";
  }

  std::string html(const HtmlReportOptions& options = {}) const {
    return html_report(ReportInput{&corpus, &runs, 0.5}, options);
  }
};

// The text of the page's data element.
std::string embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"entsig-data\">";
  const auto start = html.find(open);
  REQUIRE(start != std::string::npos);
  const auto end = html.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return html.substr(start + open.size(), end - start - open.size());
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("html report: the embedded data holds every adapter and case with exact outcomes") {
  const Sample s;
  const Json data = Json::parse(embedded_data(s.html()));
  CHECK(data["report"] == "entsig-conform");
  CHECK(data["areas"] == Json::array({"plist-xml", "plist-binary"}));
  CHECK(data["outcomes"] == Json::array({"pass", "fail", "crash", "timeout", "skipped", "recorded"}));
  REQUIRE(data["adapters"].size() == 2);
  CHECK(data["adapters"][0]["name"] == "entsig");
  CHECK(data["adapters"][0]["kind"] == "builtin");
  CHECK(data["adapters"][1]["name"] == "odd</th><script>x</script>");
  CHECK(data["adapters"][1]["version"] == "1.2 <beta>");
  CHECK(data["adapters"][0]["summary"] ==
        Json({{"total", 3}, {"passed", 2}, {"failed", 0}, {"crashed", 0}, {"timed_out", 0}, {"skipped", 0}, {"recorded", 1}}));
  CHECK(data["adapters"][1]["summary"] ==
        Json({{"total", 3}, {"passed", 0}, {"failed", 1}, {"crashed", 1}, {"timed_out", 1}, {"skipped", 0}, {"recorded", 0}}));
  REQUIRE(data["cases"].size() == 3);
  const std::vector<std::vector<std::string>> outcomes = {{"pass", "fail"}, {"pass", "crash"}, {"recorded", "timeout"}};
  for (std::size_t i = 0; i < 3; ++i) {
    const Json& c = data["cases"][i];
    REQUIRE(c["results"].size() == 2);
    CHECK(c["results"][0]["outcome"] == outcomes[i][0]);
    CHECK(c["results"][1]["outcome"] == outcomes[i][1]);
  }
  const Json& valid = data["cases"][0];
  CHECK(valid["id"] == "plist-xml/valid/true");
  CHECK(valid["class"] == "valid");
  CHECK(valid["expect"]["result"] == "accept");
  CHECK(valid["expect"]["value"] == "{\"type\": \"bool\", \"value\": \"true\"}");
  CHECK(valid["results"][0]["output"] == R"({"type":"bool","value":"true"})");
  const Json& invalid = data["cases"][1];
  CHECK(invalid["expect"] == Json({{"result", "reject"}, {"error", "plist_xml.text_before_root"}, {"class", "malformed"}}));
  CHECK(invalid["behaviours"] == Json::array({{{"peer", "cf"}, {"result", "reject"}, {"note", "CF </script> note"}}}));
  CHECK(invalid["results"][1]["stderr"] == "Traceback </script>");
  CHECK_FALSE(data["cases"][2].contains("expect"));
}

TEST_CASE("html report: markup in inputs, names and notes cannot close the data script") {
  const Sample s;
  const std::string html = s.html();
  const std::string data = embedded_data(html);
  CHECK(data.find('<') == std::string::npos);
  CHECK(data.find('>') == std::string::npos);
  CHECK(data.find('&') == std::string::npos);
  // Exactly two script elements: the data and the renderer.
  CHECK(occurrences(html, "<script") == 2);
  CHECK(occurrences(html, "</script>") == 2);
  // The input text survives exactly once decoded.
  const Json j = Json::parse(data);
  CHECK(j["cases"][1]["input_text"] == "</script><script>alert(1)</script> & <!--");
  CHECK(j["cases"][1]["input_size"] == 41);
  // Names outside the data (the static summary) are escaped as HTML.
  CHECK(html.find("<td>odd&lt;/th&gt;&lt;script&gt;x&lt;/script&gt;</td>") != std::string::npos);
  CHECK(html.find("odd</th>") == std::string::npos);
}

TEST_CASE("html report: binary inputs are base64, long inputs are cut and say so") {
  Sample s;
  Json j = Json::parse(embedded_data(s.html()));
  const Json& bin = j["cases"][2];
  CHECK_FALSE(bin.contains("input_text"));
  CHECK(bin["input_base64"] == "YnBsaXN0MDAAAf8=");
  CHECK(bin["input_size"] == 11);
  CHECK(bin["input_shown"] == 11);

  s.corpus.cases[0].input = std::string(kHtmlInputLimit + 100, 'a');
  j = Json::parse(embedded_data(s.html()));
  CHECK(j["cases"][0]["input_size"] == kHtmlInputLimit + 100);
  CHECK(j["cases"][0]["input_shown"] == kHtmlInputLimit);
  CHECK(j["cases"][0]["input_text"].get<std::string>().size() == kHtmlInputLimit);
  // A cut never splits a UTF-8 character: "é" straddling the limit is dropped whole.
  s.corpus.cases[0].input = std::string(kHtmlInputLimit - 1, 'a') + "\xC3\xA9" + "tail";
  j = Json::parse(embedded_data(s.html()));
  CHECK(j["cases"][0]["input_shown"] == kHtmlInputLimit - 1);
}

TEST_CASE("html report: the static summary counts each adapter") {
  const Sample s;
  const std::string html = s.html();
  CHECK(html.find("<tr><td>entsig</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td>"
                  "<td>100.0%</td></tr>") != std::string::npos);
  CHECK(html.find("<td>0</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0.0%</td></tr>") !=
        std::string::npos);
  CHECK(html.find("<title>entsig conform: 3 cases, 2 adapters</title>") != std::string::npos);
  // Self-contained: nothing is fetched.
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);
}

TEST_CASE("html report: rule texts from RULES.md, with the section anchor") {
  char dir[] = "/tmp/entsig_rules_XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const fs::path rules = fs::path(dir) / "RULES.md";
  std::ofstream(rules) << "# Conformance rules\n\n## plist-xml\n\n| rule | paraphrase | sources | cases |\n|---|---|---|---|\n"
                          "| `xml.document.minimal` | A &lt;plist> root holding one value. | A1 #20 | `x20` |\n"
                          "| `xml.pipe` | a \\| b | XML 1.0 | `x` |\n\n## Entitlements policy!\n\n"
                          "| `xml.comment.dash-start` | No &lt;!---&gt; &amp; friends. | A1 #1 | `x01` |\n";
  const auto texts = load_rule_texts(rules.string());
  REQUIRE(texts.size() == 3);
  CHECK(texts.at("xml.document.minimal").text == "A <plist> root holding one value.");
  CHECK(texts.at("xml.document.minimal").sources == "A1 #20");
  CHECK(texts.at("xml.document.minimal").section == "plist-xml");
  CHECK(texts.at("xml.pipe").text == "a | b");
  CHECK(texts.at("xml.comment.dash-start").text == "No <!---> & friends.");
  CHECK(load_rule_texts((fs::path(dir) / "missing.md").string()).empty());
  fs::remove_all(dir);

  CHECK(rules_path_for("conformance/cases") == "conformance/RULES.md");
  CHECK(rules_path_for("conformance/cases/") == "conformance/RULES.md");
  CHECK(heading_anchor("plist-xml") == "plist-xml");
  CHECK(heading_anchor("Entitlements policy!") == "entitlements-policy");

  const Sample s;
  HtmlReportOptions options;
  options.rules = texts;
  options.rules_link = "../conformance/RULES.md";
  const Json j = Json::parse(embedded_data(s.html(options)));
  CHECK(j["rules_file"] == "../conformance/RULES.md");
  // Only the rules the cases name.
  CHECK(j["rules"] == Json({{"xml.document.minimal", {{"anchor", "plist-xml"}, {"text", "A <plist> root holding one value."}, {"sources", "A1 #20"}}},
                            {"xml.comment.dash-start", {{"anchor", "entitlements-policy"}, {"text", "No <!---> & friends."}, {"sources", "A1 #1"}}}}));
}

TEST_CASE("html escaping and script-safe JSON") {
  CHECK(html_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(script_safe_json(R"({"a":"</script>&"})") == R"({"a":"\u003c/script\u003e\u0026"})");
  CHECK(Json::parse(script_safe_json(R"({"a":"</script>&"})"))["a"] == "</script>&");
}

TEST_CASE("html report: every rule the committed corpus names has its RULES.md text") {
  const fs::path conformance = fs::path(ENTSIG_SOURCE_DIR) / "conformance";
  const auto texts = load_rule_texts((conformance / "RULES.md").string());
  CHECK(texts.at("xml.comment.dash-start").text.starts_with("A comment must not start with '-' (<!--->)"));
  CHECK(texts.at("xml.comment.dash-start").section == "plist-xml");
  const Corpus corpus = load_corpus((conformance / "cases").string(), {});
  REQUIRE(corpus.cases.size() >= 505);
  for (const Case& c : corpus.cases) {
    INFO(c.full_id() << " names rule " << c.rule);
    CHECK(texts.count(c.rule) == 1);
  }
}

// The HTML report: the page's data as one JSON object (cases, adapters, results, rule texts),
// a static summary for readers without JavaScript, and the style and script of
// report_html_page.h that draw the matrix from the data.
#include "runner/report_html.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "runner/report_html_page.h"
#include "entsig/core.h"

namespace entsig::tools::conform {
namespace {

using Json = nlohmann::ordered_json;

constexpr Outcome kOutcomes[] = {Outcome::pass,    Outcome::fail,    Outcome::crash,
                                 Outcome::timeout, Outcome::skipped, Outcome::recorded};

std::string_view result_name(Behaviour::Result r) {
  switch (r) {
    case Behaviour::Result::accept: return "accept";
    case Behaviour::Result::reject: return "reject";
    case Behaviour::Result::crash: return "crash";
    case Behaviour::Result::hang: return "hang";
    case Behaviour::Result::unknown: return "unknown";
  }
  return "?";
}

std::string value_text(const plist::Document& doc) {
  auto json = plist::write_tagged_json(doc.root(), true);
  return clip(json ? *json : json.error().describe(), kHtmlInputLimit);
}

Json expectation_json(const Expectation& e) {
  Json j;
  j["result"] = e.accept ? "accept" : "reject";
  if (e.accept && e.value) j["value"] = value_text(*e.value);
  if (!e.error.empty()) j["error"] = e.error;
  if (!e.error_class.empty()) j["class"] = e.error_class;
  return j;
}

// Printable text (UTF-8 with no control characters but tab, CR and LF) is embedded as text;
// anything else as base64 for the page's hex view.
bool is_printable_text(std::string_view s) {
  if (find_invalid_utf8(as_bytes(s))) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
  }
  return true;
}

void add_input(Json& j, const std::string& input) {
  const bool text = is_printable_text(input);
  std::size_t n = std::min(input.size(), kHtmlInputLimit);
  if (text)
    while (n < input.size() && n > 0 && (static_cast<unsigned char>(input[n]) & 0xC0) == 0x80) --n;  // whole characters
  j["input_size"] = input.size();
  j["input_shown"] = n;
  if (text) j["input_text"] = input.substr(0, n);
  else j["input_base64"] = base64_encode(as_bytes(std::string_view(input).substr(0, n)));
}

Json result_json(const CaseRun& r) {
  const Observation& o = r.observation;
  Json j;
  j["outcome"] = std::string(outcome_name(r.verdict.outcome));
  j["observed"] = std::string(kind_name(o.kind));
  if (!r.verdict.reason.empty()) j["reason"] = clip(r.verdict.reason);
  if (!o.error_id.empty()) j["error"] = o.error_id;
  if (!o.message.empty()) j["message"] = clip(o.message);
  if (!o.output.empty()) j["output"] = clip(o.output);
  if (!o.stderr_text.empty()) j["stderr"] = clip(o.stderr_text);
  j["seconds"] = o.seconds;
  j["matches"] = r.verdict.matches;
  return j;
}

Json case_json(const Case& c, const std::vector<AdapterRun>& runs, std::size_t index) {
  Json j;
  j["id"] = c.full_id();
  j["area"] = c.area;
  j["class"] = std::string(class_name(c.cls));
  j["rule"] = c.rule;
  if (!c.description.empty()) j["description"] = c.description;
  if (!c.ref.empty()) j["ref"] = c.ref;
  add_input(j, c.input);
  if (c.expect) j["expect"] = expectation_json(*c.expect);
  if (c.expect_cf) j["expect_cf"] = expectation_json(*c.expect_cf);
  Json behaviours = Json::array();
  for (const Behaviour& b : c.behaviours) {
    Json bj;
    bj["peer"] = b.peer;
    bj["result"] = std::string(result_name(b.result));
    if (b.value) bj["value"] = value_text(*b.value);
    if (!b.unrepresentable.empty()) bj["unrepresentable"] = b.unrepresentable;
    if (!b.note.empty()) bj["note"] = b.note;
    behaviours.push_back(std::move(bj));
  }
  j["behaviours"] = std::move(behaviours);
  // One result per adapter, in the adapters' order (the runs keep corpus order).
  Json results = Json::array();
  for (const AdapterRun& run : runs) results.push_back(result_json(run.results.at(index)));
  j["results"] = std::move(results);
  return j;
}

Json tally_json(const Tally& t) {
  return Json{{"total", t.total},         {"passed", t.passed},   {"failed", t.failed},    {"crashed", t.crashed},
              {"timed_out", t.timed_out}, {"skipped", t.skipped}, {"recorded", t.recorded}};
}

Json page_data(const ReportInput& in, const HtmlReportOptions& options) {
  Json root;
  root["report"] = "entsig-conform";
  root["version"] = 1;
  root["cases_dir"] = in.corpus->dir;
  root["rules_file"] = options.rules_link;
  root["seconds"] = in.seconds;
  root["areas"] = in.corpus->areas;
  Json outcomes = Json::array();
  for (Outcome o : kOutcomes) outcomes.push_back(std::string(outcome_name(o)));
  root["outcomes"] = std::move(outcomes);
  Json adapters = Json::array();
  for (const AdapterRun& run : *in.runs) {
    Json a;
    a["name"] = run.adapter->name();
    a["kind"] = run.adapter->kind();
    a["description"] = run.adapter->description();
    a["version"] = run.adapter->version();
    a["profile"] = run.adapter->profile().empty() ? "hardened" : run.adapter->profile();
    a["summary"] = tally_json(summarize(run).all);
    adapters.push_back(std::move(a));
  }
  root["adapters"] = std::move(adapters);
  // Only the rules the cases name, keyed by id.
  Json rules = Json::object();
  for (const Case& c : in.corpus->cases) {
    auto it = options.rules.find(c.rule);
    if (it == options.rules.end() || rules.contains(c.rule)) continue;
    rules[c.rule] = {{"anchor", heading_anchor(it->second.section)}, {"text", it->second.text},
                     {"sources", it->second.sources}};
  }
  root["rules"] = std::move(rules);
  Json cases = Json::array();
  for (std::size_t i = 0; i < in.corpus->cases.size(); ++i) cases.push_back(case_json(in.corpus->cases[i], *in.runs, i));
  root["cases"] = std::move(cases);
  return root;
}

std::string percent(std::size_t passed, std::size_t judged) {
  if (judged == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(passed) / static_cast<double>(judged));
  return buf;
}

// The counts per adapter as a plain table, for readers without JavaScript.
std::string noscript_summary(const ReportInput& in) {
  std::string out =
      "<noscript><section id=\"noscript-summary\"><p>The matrix needs JavaScript; the counts per adapter:</p>\n"
      "<table class=\"plain\"><tr><th>adapter</th><th>passed</th><th>failed</th><th>crashed</th><th>timed out</th>"
      "<th>skipped</th><th>recorded</th><th>pass rate</th></tr>\n";
  for (const AdapterRun& run : *in.runs) {
    const Tally t = summarize(run).all;
    out += "<tr><td>" + html_escape(run.adapter->name()) + "</td>";
    for (std::size_t n : {t.passed, t.failed, t.crashed, t.timed_out, t.skipped, t.recorded})
      out += "<td>" + std::to_string(n) + "</td>";
    out += "<td>" + percent(t.passed, t.total - t.skipped - t.recorded) + "</td></tr>\n";
  }
  return out + "</table></section></noscript>\n";
}

std::string legend() {
  std::string out = "<p id=\"legend\">";
  for (Outcome o : kOutcomes) {
    const std::string name(outcome_name(o));
    out += "<span class=\"o o-" + name + "\">" + name + "</span>";
  }
  return out + " (recorded: differential cases, not judged)</p>\n";
}

std::string select(const char* id, const char* label) {
  return std::string("<label>") + label + " <select id=\"" + id + "\"><option value=\"\">all</option></select></label>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_safe_json(std::string_view json) {
  // In JSON text these characters only occur inside strings, where the escape means the same.
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string heading_anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_') out += static_cast<char>(std::tolower(u));
    else if (c == ' ') out += '-';
  }
  return out;
}

std::string html_report(const ReportInput& in, const HtmlReportOptions& options) {
  const std::string data =
      script_safe_json(page_data(in, options).dump(-1, ' ', false, Json::error_handler_t::replace));
  std::string title = "entsig conform: " + std::to_string(in.corpus->cases.size()) + " cases, " +
                      std::to_string(in.runs->size()) + " adapters";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                    html_escape(title) + "</title>\n<style>" + html_page::kStyle + "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + html_escape(title) + "</h1><p>cases from <code>" + html_escape(in.corpus->dir) +
         "</code>; click a case for its rule, input, expectation and every adapter's output.</p>\n" + legend() +
         "</header>\n";
  out += noscript_summary(in);
  out += "<section id=\"controls\" hidden>\n" + select("filter-area", "area") + select("filter-class", "class") +
         select("filter-outcome", "any adapter's outcome") +
         "<label>id or rule contains <input id=\"filter-text\" type=\"search\"></label>\n</section>\n";
  out += "<div id=\"matrix-wrap\"><table class=\"matrix\"><thead id=\"matrix-head\"></thead>"
         "<tbody id=\"matrix-body\"></tbody></table></div>\n<section id=\"detail\" hidden></section>\n";
  out += "<script type=\"application/json\" id=\"entsig-data\">" + data + "</script>\n";
  out += std::string("<script>") + html_page::kScript + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace entsig::tools::conform

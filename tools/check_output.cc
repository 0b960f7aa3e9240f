// `entsig check` text and JSON outputs (docs/cli.md). Text is one compiler-style line per
// finding; JSON is one object with the findings and their counts.
#include <nlohmann/json.hpp>

#include "check.h"

namespace entsig::tools::check {
namespace {

using entitlements::Severity;

std::size_t count(const std::vector<Located>& findings, Severity severity) {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.finding.severity == severity ? 1 : 0;
  return n;
}

}  // namespace

std::string render_text(const std::vector<Located>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.file + ": " + std::string(entitlements::severity_name(f.finding.severity)) + ": " +
           std::string(f.finding.rule) + ": " + f.finding.message + "\n";
  }
  return out;
}

std::string render_json(const std::vector<Located>& findings) {
  nlohmann::ordered_json j;
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : findings) {
    nlohmann::ordered_json item;
    item["rule"] = std::string(f.finding.rule);
    item["severity"] = std::string(entitlements::severity_name(f.finding.severity));
    item["key"] = f.finding.key;
    item["message"] = f.finding.message;
    item["file"] = f.file;
    j["findings"].push_back(std::move(item));
  }
  j["errors"] = count(findings, Severity::error);
  j["warnings"] = count(findings, Severity::warning);
  j["notes"] = count(findings, Severity::note);
  // Keys and paths come from the input; replace, rather than throw on, bytes that are not UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace entsig::tools::check

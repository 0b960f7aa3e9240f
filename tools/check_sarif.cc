// `entsig check --sarif`: a SARIF 2.1.0 log as GitHub code scanning takes it. Every rule is
// listed in tool.driver.rules (so ruleIndex is stable); each finding is a result whose
// location is the checked file. The entitlement key travels in the result's property bag.
#include <nlohmann/json.hpp>

#include "check.h"

#ifndef ENTSIG_VERSION
#define ENTSIG_VERSION "unknown"
#endif

namespace entsig::tools::check {
namespace {

using nlohmann::ordered_json;

// SARIF's level names are the same words as our severities.
std::string level(entitlements::Severity s) { return std::string(entitlements::severity_name(s)); }

ordered_json rule_descriptor(const entitlements::Rule& r) {
  ordered_json j;
  j["id"] = std::string(r.id);
  j["shortDescription"]["text"] = std::string(r.summary);
  j["fullDescription"]["text"] = std::string(r.reason) + " (" + std::string(r.source) + ")";
  j["helpUri"] = std::string(r.help_uri);
  j["defaultConfiguration"]["level"] = level(r.severity);
  return j;
}

}  // namespace

std::string path_to_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out = path.starts_with("/") ? "file://" : "";
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    // RFC 3986 unreserved characters and the path separator stay; everything else is escaped.
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string render_sarif(const std::vector<Located>& findings) {
  const auto rules = entitlements::all_rules();
  ordered_json driver;
  driver["name"] = "entsig";
  driver["version"] = ENTSIG_VERSION;
  driver["rules"] = ordered_json::array();
  for (const auto& r : rules) driver["rules"].push_back(rule_descriptor(r));

  ordered_json results = ordered_json::array();
  for (const auto& f : findings) {
    ordered_json result;
    result["ruleId"] = std::string(f.finding.rule);
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i].id == f.finding.rule) result["ruleIndex"] = i;
    result["level"] = level(f.finding.severity);
    result["message"]["text"] = f.finding.message;
    ordered_json location;
    location["physicalLocation"]["artifactLocation"]["uri"] = path_to_uri(f.file);
    result["locations"] = ordered_json::array({location});
    if (!f.finding.key.empty()) result["properties"]["key"] = f.finding.key;
    results.push_back(std::move(result));
  }

  ordered_json run;
  run["tool"]["driver"] = std::move(driver);
  run["results"] = std::move(results);
  ordered_json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = ordered_json::array({run});
  return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace entsig::tools::check

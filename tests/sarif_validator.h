// A structural validator for the part of SARIF 2.1.0 that `entsig check --sarif` writes, taken
// from the OASIS schema (sarif-schema-2.1.0.json): each object's required properties, the
// types and enums of the properties used, and additionalProperties: false, which the schema
// sets on every object but property bags. Objects entsig does not write are checked for
// their property names only. Also the rules GitHub code scanning adds: every result has a
// ruleId and a file location, and ruleIndex points at the rule of that id.
#pragma once

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace entsig_test {

class SarifValidator {
 public:
  // Problems found, each "path: what"; empty when the log passes.
  std::vector<std::string> validate(const nlohmann::json& log) {
    problems_.clear();
    object(log, "sarifLog", "$");
    if (problems_.empty()) github_rules(log);
    return problems_;
  }

 private:
  struct Spec {
    std::set<std::string> required;
    std::vector<std::string> any_of_required;  // at least one of these
    std::map<std::string, std::string> typed;  // property -> type (see check_value)
    std::set<std::string> other;               // allowed, not checked further
  };

  static const std::map<std::string, Spec>& specs() {
    static const std::map<std::string, Spec> table = {
        {"sarifLog",
         {{"version", "runs"}, {}, {{"$schema", "uri"}, {"version", "version"}, {"runs", "array:run"}, {"properties", "propertyBag"}},
          {"inlineExternalProperties"}}},
        {"run",
         {{"tool"}, {}, {{"tool", "object:tool"}, {"results", "array:result"}, {"properties", "propertyBag"}},
          {"invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds", "artifacts",
           "logicalLocations", "graphs", "automationDetails", "runAggregates", "baselineGuid", "redactionReleases",
           "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
           "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses", "translations",
           "policies", "webRequests", "webResponses", "specialLocations"}}},
        {"tool", {{"driver"}, {}, {{"driver", "object:toolComponent"}, {"extensions", "array:toolComponent"}, {"properties", "propertyBag"}}, {}}},
        {"toolComponent",
         {{"name"}, {},
          {{"name", "string"}, {"version", "string"}, {"informationUri", "uri"}, {"rules", "array:reportingDescriptor"},
           {"shortDescription", "object:multiformatMessageString"}, {"fullDescription", "object:multiformatMessageString"},
           {"properties", "propertyBag"}},
          {"guid", "organization", "product", "productSuite", "fullName", "semanticVersion", "dottedQuadFileVersion",
           "releaseDateUtc", "downloadUri", "globalMessageStrings", "notifications", "taxa", "locations", "language",
           "contents", "isComprehensive", "localizedDataSemanticVersion",
           "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent", "translationMetadata",
           "supportedTaxonomies"}}},
        {"reportingDescriptor",
         {{"id"}, {},
          {{"id", "string"}, {"name", "string"}, {"shortDescription", "object:multiformatMessageString"},
           {"fullDescription", "object:multiformatMessageString"}, {"help", "object:multiformatMessageString"},
           {"helpUri", "uri"}, {"defaultConfiguration", "object:reportingConfiguration"}, {"properties", "propertyBag"}},
          {"deprecatedIds", "guid", "deprecatedGuids", "deprecatedNames", "messageStrings", "relationships"}}},
        {"multiformatMessageString", {{"text"}, {}, {{"text", "string"}, {"markdown", "string"}, {"properties", "propertyBag"}}, {}}},
        {"reportingConfiguration",
         {{}, {}, {{"enabled", "boolean"}, {"level", "level"}, {"rank", "number"}, {"properties", "propertyBag"}}, {"parameters"}}},
        {"result",
         {{"message"}, {},
          {{"ruleId", "string"}, {"ruleIndex", "index"}, {"level", "level"}, {"message", "object:message"},
           {"locations", "array:location"}, {"properties", "propertyBag"}},
          {"rule", "kind", "analysisTarget", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
           "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals", "relatedLocations", "suppressions",
           "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
           "webRequest", "webResponse"}}},
        {"message",
         {{}, {"text", "id"}, {{"text", "string"}, {"markdown", "string"}, {"id", "string"}, {"properties", "propertyBag"}},
          {"arguments"}}},
        {"location",
         {{}, {}, {{"physicalLocation", "object:physicalLocation"}, {"message", "object:message"}, {"properties", "propertyBag"}},
          {"id", "logicalLocations", "annotations", "relationships"}}},
        {"physicalLocation",
         {{}, {"address", "artifactLocation"}, {{"artifactLocation", "object:artifactLocation"}, {"properties", "propertyBag"}},
          {"address", "region", "contextRegion"}}},
        {"artifactLocation",
         {{}, {}, {{"uri", "uri-reference"}, {"uriBaseId", "string"}, {"index", "index"}, {"properties", "propertyBag"}},
          {"description"}}},
    };
    return table;
  }

  void fail(const std::string& path, const std::string& what) { problems_.push_back(path + ": " + what); }

  void object(const nlohmann::json& j, const std::string& type, const std::string& path) {
    if (!j.is_object()) return fail(path, "not an object (" + type + ")");
    const Spec& spec = specs().at(type);
    for (const auto& name : spec.required)
      if (!j.contains(name)) fail(path, "missing required " + name);
    if (!spec.any_of_required.empty()) {
      bool any = false;
      for (const auto& name : spec.any_of_required) any = any || j.contains(name);
      if (!any) fail(path, "needs one of its anyOf properties");
    }
    for (const auto& [name, value] : j.items()) {
      if (auto it = spec.typed.find(name); it != spec.typed.end())
        check_value(value, it->second, path + "." + name);
      else if (!spec.other.count(name))
        fail(path, "property " + name + " not allowed in " + type);
    }
  }

  static bool is_uri_reference(const std::string& s) {
    for (unsigned char c : s)
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
          c == '{' || c == '|' || c == '}')
        return false;
    return true;
  }

  // An absolute URI: a scheme (letter, then letters, digits, + - .), a colon, a valid reference.
  static bool is_absolute_uri(const std::string& s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (std::size_t i = 1; i < colon; ++i) {
      const char c = s[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return is_uri_reference(s);
  }

  void check_value(const nlohmann::json& v, const std::string& type, const std::string& path) {
    if (type.rfind("object:", 0) == 0) return object(v, type.substr(7), path);
    if (type.rfind("array:", 0) == 0) {
      if (!v.is_array()) return fail(path, "not an array");
      for (std::size_t i = 0; i < v.size(); ++i) check_value(v[i], "object:" + type.substr(6), path + "[" + std::to_string(i) + "]");
      return;
    }
    if (type == "propertyBag") {
      if (!v.is_object()) return fail(path, "property bag is not an object");
      if (v.contains("tags") && !v["tags"].is_array()) fail(path, "tags is not an array");
      return;
    }
    if (type == "string") {
      if (!v.is_string()) fail(path, "not a string");
    } else if (type == "boolean") {
      if (!v.is_boolean()) fail(path, "not a boolean");
    } else if (type == "number") {
      if (!v.is_number()) fail(path, "not a number");
    } else if (type == "index") {
      if (!v.is_number_integer() || v.get<long long>() < -1) fail(path, "not an integer >= -1");
    } else if (type == "version") {
      if (v != "2.1.0") fail(path, "version is not 2.1.0");
    } else if (type == "level") {
      if (!v.is_string() || !std::set<std::string>{"none", "note", "warning", "error"}.count(v.get<std::string>()))
        fail(path, "level not one of none, note, warning, error");
    } else if (type == "uri") {
      if (!v.is_string() || !is_absolute_uri(v.get<std::string>())) fail(path, "not an absolute URI");
    } else if (type == "uri-reference") {
      if (!v.is_string() || !is_uri_reference(v.get<std::string>())) fail(path, "not a URI reference");
    }
  }

  void github_rules(const nlohmann::json& log) {
    for (std::size_t r = 0; r < log["runs"].size(); ++r) {
      const auto& run = log["runs"][r];
      const std::string base = "$.runs[" + std::to_string(r) + "]";
      const auto rules = run["tool"]["driver"].value("rules", nlohmann::json::array());
      std::set<std::string> ids;
      for (const auto& rule : rules)
        if (!ids.insert(rule["id"].get<std::string>()).second) fail(base, "duplicate rule id " + rule["id"].get<std::string>());
      const auto results = run.value("results", nlohmann::json::array());
      for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& result = results[i];
        const std::string path = base + ".results[" + std::to_string(i) + "]";
        if (!result.contains("ruleId")) fail(path, "no ruleId");
        else if (!ids.count(result["ruleId"].get<std::string>())) fail(path, "ruleId names no rule");
        if (result.contains("ruleIndex")) {
          const auto index = result["ruleIndex"].get<long long>();
          if (index < 0 || static_cast<std::size_t>(index) >= rules.size() || rules[index]["id"] != result["ruleId"])
            fail(path, "ruleIndex does not point at the rule");
        }
        if (!result.contains("locations") || result["locations"].empty() ||
            !result["locations"][0].contains("physicalLocation") ||
            !result["locations"][0]["physicalLocation"].contains("artifactLocation") ||
            !result["locations"][0]["physicalLocation"]["artifactLocation"].contains("uri"))
          fail(path, "no file location");
      }
    }
  }

  std::vector<std::string> problems_;
};

}  // namespace entsig_test

// entsig conform: the rule texts of conformance/RULES.md (id, paraphrase, sources), so reports
// can show a case's rule beside its result.
#pragma once

#include <map>
#include <string>

namespace entsig::tools::conform {

struct RuleText {
  std::string section;  // the "## <area>" heading it is listed under (an anchor in RULES.md)
  std::string text;     // the paraphrase
  std::string sources;
};

// Rule id -> text. Reads the table rows "| `id` | paraphrase | sources | cases |" of RULES.md;
// a missing or unreadable file gives an empty map (reports then show the rule id alone).
std::map<std::string, RuleText> load_rule_texts(const std::string& path);

// The RULES.md beside a cases directory: "<cases>/../RULES.md".
std::string rules_path_for(const std::string& cases_dir);

}  // namespace entsig::tools::conform

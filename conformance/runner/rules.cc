// Reading rule texts from conformance/RULES.md. The file is generated (conformance/generate),
// so its table rows have one fixed shape; anything else in it is skipped.
#include "runner/rules.h"

#include <filesystem>
#include <fstream>
#include <vector>

namespace entsig::tools::conform {
namespace {

// The generator writes '<' as &lt; (and may write &gt;, &amp;) so Markdown keeps tags as text.
std::string unescape_markdown(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      bool replaced = false;
      for (auto [entity, ch] : {std::pair{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&#124;", '|'}}) {
        const std::string_view e(entity);
        if (text.substr(i, e.size()) == e) {
          out += ch;
          i += e.size() - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += text[i];
  }
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(' ') - b + 1));
}

// "| a | b | c |" -> {"a", "b", "c"}; a '|' escaped as "\|" stays in its cell.
std::vector<std::string> cells(std::string_view line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

}  // namespace

std::map<std::string, RuleText> load_rule_texts(const std::string& path) {
  std::map<std::string, RuleText> rules;
  std::ifstream in(path);
  std::string section;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## ")) section = trim(std::string_view(line).substr(3));
    if (!line.starts_with("| `")) continue;
    const std::vector<std::string> row = cells(line);
    if (row.size() < 3 || row[0].size() < 3 || row[0].back() != '`') continue;
    RuleText& r = rules[row[0].substr(1, row[0].size() - 2)];
    r.section = section;
    r.text = unescape_markdown(row[1]);
    r.sources = unescape_markdown(row[2]);
  }
  return rules;
}

std::string rules_path_for(const std::string& cases_dir) {
  namespace fs = std::filesystem;
  fs::path cases = fs::path(cases_dir).lexically_normal();
  if (!cases.has_filename()) cases = cases.parent_path();  // "conformance/cases/"
  return (cases.parent_path() / "RULES.md").string();
}

}  // namespace entsig::tools::conform

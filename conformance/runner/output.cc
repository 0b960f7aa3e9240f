// What an adapter printed for an accepted case: a tagged value, or the marker for a parse result
// that tagged JSON cannot hold (conformance/ADAPTERS.md).
#include <nlohmann/json.hpp>

#include "runner/adapters.h"
#include "runner/cases.h"

namespace entsig::tools::conform {
namespace {

bool starts_unrepresentable(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t i = text.find_first_not_of(kSpace);
  if (i == std::string_view::npos || text[i] != '{') return false;
  i = text.find_first_not_of(kSpace, i + 1);
  return i != std::string_view::npos && text.substr(i).starts_with("\"unrepresentable\"");
}

}  // namespace

std::string_view kind_name(Observation::Kind k) {
  switch (k) {
    case Observation::Kind::accepted: return "accepted";
    case Observation::Kind::rejected: return "rejected";
    case Observation::Kind::unrepresentable: return "unrepresentable";
    case Observation::Kind::crashed: return "crashed";
    case Observation::Kind::timed_out: return "timed_out";
    case Observation::Kind::skipped: return "skipped";
  }
  return "?";
}

void interpret_output(Observation& o, std::string text) {
  o.kind = Observation::Kind::accepted;
  if (starts_unrepresentable(text)) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object() && j.size() == 1 && j["unrepresentable"].is_string()) {
      o.kind = Observation::Kind::unrepresentable;
      o.message = j["unrepresentable"].get<std::string>();
    } else {
      o.output_error = "expected {\"unrepresentable\": \"<reason>\"}";
    }
    o.output = std::move(text);
    return;
  }
  auto doc = read_tagged_value(text);
  if (doc)
    o.value = std::move(doc.value());
  else
    o.output_error = doc.error().describe();
  o.output = std::move(text);
}

}  // namespace entsig::tools::conform

// Baselines: making one from a run, its JSON form, and the comparison of a run with one.
#include "runner/baseline.h"

#include <nlohmann/json.hpp>

namespace entsig::tools::conform {
namespace {

using Json = nlohmann::json;  // std::map objects: members sorted, so the file diffs well

constexpr const char* kFormat = "entsig-conform-baseline";

bool known_outcome(const std::string& name) {
  for (Outcome o : {Outcome::pass, Outcome::fail, Outcome::crash, Outcome::timeout, Outcome::skipped, Outcome::recorded})
    if (outcome_name(o) == name) return true;
  return false;
}

std::string string_member(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (!it->is_string()) throw BaselineError(where + ": \"" + key + "\" is not a string");
  return it->get<std::string>();
}

std::string plural(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

Baseline make_baseline(const std::vector<AdapterRun>& runs) {
  Baseline b;
  for (const AdapterRun& run : runs) {
    BaselineAdapter& a = b.adapters[run.adapter->name()];
    a.kind = run.adapter->kind();
    a.version = run.adapter->version();
    for (const CaseRun& r : run.results) a.outcomes[r.c->full_id()] = std::string(outcome_name(r.verdict.outcome));
  }
  return b;
}

std::string baseline_json(const Baseline& baseline) {
  Json adapters = Json::object();
  for (const auto& [name, a] : baseline.adapters) {
    Json j = {{"kind", a.kind}, {"outcomes", Json::object()}};
    if (!a.version.empty()) j["version"] = a.version;
    for (const auto& [id, outcome] : a.outcomes) j["outcomes"][id] = outcome;
    adapters[name] = std::move(j);
  }
  const Json root = {{"format", kFormat}, {"version", 1}, {"adapters", std::move(adapters)}};
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Baseline parse_baseline(std::string_view text) {
  const Json root = Json::parse(text, nullptr, false);
  if (root.is_discarded()) throw BaselineError("not JSON");
  if (!root.is_object() || root.value("format", Json()) != kFormat)
    throw BaselineError(std::string("not a baseline (\"format\" must be \"") + kFormat + "\")");
  if (root.value("version", Json()) != 1) throw BaselineError("unsupported baseline version (expected 1)");
  auto adapters = root.find("adapters");
  if (adapters == root.end() || !adapters->is_object()) throw BaselineError("no \"adapters\" object");
  Baseline b;
  for (const auto& [name, j] : adapters->items()) {
    const std::string where = "adapter " + name;
    if (!j.is_object()) throw BaselineError(where + " is not an object");
    BaselineAdapter& a = b.adapters[name];
    a.kind = string_member(j, "kind", where);
    a.version = string_member(j, "version", where);
    auto outcomes = j.find("outcomes");
    if (outcomes == j.end() || !outcomes->is_object()) throw BaselineError(where + ": no \"outcomes\" object");
    for (const auto& [id, outcome] : outcomes->items()) {
      if (!outcome.is_string() || !known_outcome(outcome.get<std::string>()))
        throw BaselineError(where + ": case " + id + ": outcome must be pass, fail, crash, timeout, skipped or recorded");
      a.outcomes[id] = outcome.get<std::string>();
    }
  }
  return b;
}

BaselineComparison compare_baseline(const Baseline& baseline, const Baseline& run,
                                    const std::function<bool(const std::string& case_id)>& selected) {
  BaselineComparison out;
  for (const auto& [name, now] : run.adapters) {
    auto found = baseline.adapters.find(name);
    if (found == baseline.adapters.end()) {
      out.missing.push_back(name);
      continue;
    }
    const BaselineAdapter& before = found->second;
    if (before.version != now.version)
      out.notes.push_back(name + ": version " + (before.version.empty() ? "unknown" : before.version) + " -> " +
                          (now.version.empty() ? "unknown" : now.version));
    for (const auto& [id, outcome] : now.outcomes) {
      auto was = before.outcomes.find(id);
      if (was == before.outcomes.end()) out.changes.push_back({name, id, "", outcome});
      else if (was->second != outcome) out.changes.push_back({name, id, was->second, outcome});
    }
    for (const auto& [id, outcome] : before.outcomes)
      if (!now.outcomes.count(id) && selected(id)) out.changes.push_back({name, id, outcome, ""});
  }
  for (const auto& [name, a] : baseline.adapters)
    if (!run.adapters.count(name)) out.notes.push_back(name + ": in the baseline, not run");
  return out;
}

std::string describe_comparison(const BaselineComparison& c, const std::string& file) {
  std::string out;
  std::size_t changed = 0, added = 0, removed = 0;
  for (const BaselineChange& ch : c.changes) {
    out += "baseline: " + ch.adapter + ": " + ch.case_id + ": ";
    if (ch.before.empty()) {
      out += "added (" + ch.after + ")\n";
      ++added;
    } else if (ch.after.empty()) {
      out += "removed (was " + ch.before + ")\n";
      ++removed;
    } else {
      out += ch.before + " -> " + ch.after + "\n";
      ++changed;
    }
  }
  for (const std::string& name : c.missing) out += "baseline: " + name + ": no baseline for this adapter in " + file + "\n";
  for (const std::string& note : c.notes) out += "baseline: note: " + note + "\n";
  if (!c.changed()) return out + "baseline: no change against " + file + "\n";
  return out + "baseline: " + plural(changed, "outcome") + " changed, " + plural(added, "case") + " added, " +
         plural(removed, "case") + " removed, " + plural(c.missing.size(), "adapter") + " missing, against " + file +
         "\n";
}

}  // namespace entsig::tools::conform

// entsig conform baselines: the outcome of every case per adapter, written once and compared
// with later runs, so a change in a reader's behaviour (a peer upgraded, or entsig itself)
// shows up as a list of cases (docs/conformance.md, "Baselines"; schema: docs/json-schema.md).
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runner/run.h"

namespace entsig::tools::conform {

struct BaselineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct BaselineAdapter {
  std::string kind;                             // "builtin" or "command"
  std::string version;                          // the reader's version, where it reports one
  std::map<std::string, std::string> outcomes;  // full case id -> outcome name
};

struct Baseline {
  std::map<std::string, BaselineAdapter> adapters;  // by adapter name
};

Baseline make_baseline(const std::vector<AdapterRun>& runs);
// Sorted, indented JSON with one case per line, so a baseline diffs well.
std::string baseline_json(const Baseline& baseline);
// Throws BaselineError when the text is not a baseline.
Baseline parse_baseline(std::string_view text);

struct BaselineChange {
  std::string adapter, case_id;
  std::string before, after;  // before empty: a case added; after empty: a case removed
};

struct BaselineComparison {
  std::vector<BaselineChange> changes;
  std::vector<std::string> missing;  // adapters of the run the baseline does not have
  std::vector<std::string> notes;    // versions that differ, baseline adapters not run
  bool changed() const { return !changes.empty() || !missing.empty(); }
};

// Compares a run with a baseline. A baseline case that is not in the run is reported removed
// only when `selected` says the run would have included it (it was not left out by --area or --case).
BaselineComparison compare_baseline(const Baseline& baseline, const Baseline& run,
                                    const std::function<bool(const std::string& case_id)>& selected);

// The comparison as text, one line per change and a summary line last.
std::string describe_comparison(const BaselineComparison& comparison, const std::string& file);

}  // namespace entsig::tools::conform

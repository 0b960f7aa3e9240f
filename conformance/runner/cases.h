// entsig conform: the conformance corpus in memory. Loads conformance/cases/<area>/manifest.json
// and the files it names (layout and fields: conformance/ADAPTERS.md, conformance/RULES.md).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "entsig/plist.h"

namespace entsig::tools::conform {

// The corpus is unreadable or inconsistent (a missing file, a manifest field of the wrong type).
struct CorpusError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class CaseClass : std::uint8_t { valid, invalid, differential };
std::string_view class_name(CaseClass c);

// What a reader must do with a case: accept it with `value`, or reject it.
struct Expectation {
  bool accept = false;
  std::optional<plist::Document> value;  // accept: the expected value
  std::string error;                     // reject: the entsig error id
  std::string error_class;               // reject: malformed, ambiguous, noncanonical, unrepresentable, limit
};

// What a documented parser (CoreFoundation, the kernel, libplist, ...) does with a case.
struct Behaviour {
  enum class Result : std::uint8_t { accept, reject, crash, hang, unknown };
  std::string peer;
  Result result = Result::unknown;
  std::optional<plist::Document> value;  // accept: the value, when recorded
  std::string unrepresentable;           // accept: why the result has no tagged value
  std::string note;
};

struct Case {
  std::string area;
  std::string id;  // unique within the area
  CaseClass cls = CaseClass::valid;
  std::string rule;
  std::string description;
  std::string ref;  // case id in the reference notes, if any
  std::string input;
  std::optional<Expectation> expect;     // valid and invalid cases
  std::optional<Expectation> expect_cf;  // the CoreFoundation-compatible preset, where it differs
  std::vector<Behaviour> behaviours;

  std::string full_id() const;  // "<area>/<class>/<id>"
};

struct Corpus {
  std::string dir;
  std::vector<std::string> areas;  // in load order
  std::vector<Case> cases;
};

// The areas present under `dir` (subdirectories with a manifest.json), sorted.
std::vector<std::string> list_areas(const std::string& dir);

// Loads the named areas (all of them when `areas` is empty). Throws CorpusError.
Corpus load_corpus(const std::string& dir, const std::vector<std::string>& areas);

// Tagged JSON text (docs/json-schema.md) to a value, with limits generous enough for any case.
Result<plist::Document> read_tagged_value(std::string_view text);

}  // namespace entsig::tools::conform

// entsig conform: turns an adapter's observation of a case into an outcome, and says which
// documented parsers (CoreFoundation, the kernel, libplist, ...) it behaved like.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/adapters.h"
#include "runner/cases.h"

namespace entsig::tools::conform {

enum class Outcome : std::uint8_t { pass, fail, crash, timeout, skipped, recorded };
std::string_view outcome_name(Outcome o);

struct Verdict {
  Outcome outcome = Outcome::skipped;
  std::string reason;                // why it failed, or what was recorded
  std::vector<std::string> matches;  // peers whose documented behaviour this observation matches
};

// `profile` selects expect_cf ("cf") over expect; `check_error_ids` compares a rejection's
// entsig error id with the expected one.
Verdict judge(const Case& c, const Observation& o, std::string_view profile, bool check_error_ids);

// The expectation that applies to `c` under `profile` (nullptr for differential cases).
const Expectation* effective_expectation(const Case& c, std::string_view profile);

// True when an observation matches a documented behaviour.
bool behaves_like(const Observation& o, const Behaviour& b);

}  // namespace entsig::tools::conform

// entsig conform reports: a text summary, JSON (docs/json-schema.md, "Conformance report") and
// JUnit XML for CI systems.
#pragma once

#include <string>
#include <vector>

#include "runner/run.h"

namespace entsig::tools::conform {

struct ReportInput {
  const Corpus* corpus = nullptr;
  const std::vector<AdapterRun>* runs = nullptr;
  double seconds = 0;
};

std::string text_report(const ReportInput& in);
std::string json_report(const ReportInput& in);
std::string junit_report(const ReportInput& in);

// Output text in reports is cut to this many bytes.
inline constexpr std::size_t kReportOutputLimit = 2000;
std::string clip(const std::string& text, std::size_t limit = kReportOutputLimit);

}  // namespace entsig::tools::conform

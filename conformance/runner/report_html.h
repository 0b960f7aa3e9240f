// The HTML conformance report: one self-contained page, a matrix of cases x adapters with
// filters, pass rates and each case's rule, input, expectation and adapter outputs
// (docs/conformance.md, "Reports").
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "runner/report.h"
#include "runner/rules.h"

namespace entsig::tools::conform {

struct HtmlReportOptions {
  std::map<std::string, RuleText> rules;  // rule texts from RULES.md (may be empty)
  std::string rules_link = "RULES.md";    // where the page links a rule to (plus "#<section anchor>")
};

std::string html_report(const ReportInput& in, const HtmlReportOptions& options);

// Inputs above this many bytes are embedded cut to it (the page says so).
inline constexpr std::size_t kHtmlInputLimit = 64 * 1024;

// Text for HTML element content and attribute values.
std::string html_escape(std::string_view text);
// JSON text that is safe inside <script>: '<', '>' and '&' become \u003c, \u003e, \u0026.
std::string script_safe_json(std::string_view json);
// The anchor a Markdown heading gets on GitHub: lower case, spaces to '-', other punctuation dropped.
std::string heading_anchor(std::string_view heading);

}  // namespace entsig::tools::conform

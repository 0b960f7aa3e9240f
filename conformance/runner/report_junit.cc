// The JUnit XML report: one <testsuite> per adapter and area, one <testcase> per case. Failures
// are <failure>, crashes and timeouts <error>, unsupported areas <skipped/>; differential cases
// pass and carry what was recorded in <system-out>.
#include <cstdio>

#include "runner/report.h"

namespace entsig::tools::conform {
namespace {

// XML 1.0 text: escapes markup, drops characters XML cannot carry, replaces invalid UTF-8.
std::string xml_escape(std::string_view text) {
  std::string out;
  const Bytes bytes = as_bytes(text);
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const auto bad = find_invalid_utf8(bytes.subspan(i, std::min<std::size_t>(4, text.size() - i)));
      std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if (bad && *bad == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      out.append(text.substr(i, len));
      i += len;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (c >= 0x20 || c == '\t' || c == '\n') out += static_cast<char>(c);
        else if (c == '\r') out += "&#13;";
    }
    ++i;
  }
  return out;
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", s);
  return buf;
}

}  // namespace

std::string junit_report(const ReportInput& in) {
  std::string suites;
  Tally overall;
  for (const AdapterRun& run : *in.runs) {
    for (const std::string& area : in.corpus->areas) {
      Tally t;
      double seconds = 0;
      std::string cases;
      for (const CaseRun& r : run.results) {
        if (r.c->area != area) continue;
        t.add(r.verdict.outcome);
        seconds += r.observation.seconds;
        cases += "    <testcase classname=\"" + xml_escape(run.adapter->name() + "." + area + "." +
                                                          std::string(class_name(r.c->cls))) +
                 "\" name=\"" + xml_escape(r.c->id) + "\" time=\"" + seconds_text(r.observation.seconds) + "\"";
        const std::string reason = xml_escape(clip(r.verdict.reason, 500));
        switch (r.verdict.outcome) {
          case Outcome::pass: cases += "/>\n"; break;
          case Outcome::fail:
            cases += ">\n      <failure message=\"" + reason + "\" type=\"" + xml_escape(r.c->rule) + "\"/>\n    </testcase>\n";
            break;
          case Outcome::crash:
          case Outcome::timeout:
            cases += ">\n      <error message=\"" + reason + "\" type=\"" + std::string(outcome_name(r.verdict.outcome)) +
                     "\"/>\n    </testcase>\n";
            break;
          case Outcome::skipped: cases += ">\n      <skipped message=\"" + reason + "\"/>\n    </testcase>\n"; break;
          case Outcome::recorded: {
            std::string like;
            for (const auto& peer : r.verdict.matches) like += (like.empty() ? "" : ", ") + peer;
            cases += ">\n      <system-out>" + reason + (like.empty() ? "" : "; behaves like " + xml_escape(like)) +
                     "</system-out>\n    </testcase>\n";
            break;
          }
        }
      }
      if (t.total == 0) continue;
      overall += t;
      suites += "  <testsuite name=\"" + xml_escape(run.adapter->name() + "/" + area) + "\" tests=\"" +
                std::to_string(t.total) + "\" failures=\"" + std::to_string(t.failed) + "\" errors=\"" +
                std::to_string(t.crashed + t.timed_out) + "\" skipped=\"" + std::to_string(t.skipped) + "\" time=\"" +
                seconds_text(seconds) + "\">\n" + cases + "  </testsuite>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"entsig conform\" tests=\"" +
         std::to_string(overall.total) + "\" failures=\"" + std::to_string(overall.failed) + "\" errors=\"" +
         std::to_string(overall.crashed + overall.timed_out) + "\" skipped=\"" + std::to_string(overall.skipped) +
         "\" time=\"" + seconds_text(in.seconds) + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace entsig::tools::conform

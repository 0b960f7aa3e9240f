// The text report: per adapter a table of area x class, the documented parsers it behaved like,
// every failing case with its reason, and one summary line; the last line sums all adapters.
#include <cstdio>

#include "runner/report.h"

namespace entsig::tools::conform {
namespace {

std::string format(const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

std::string summary_line(const Tally& t) {
  return format("%zu passed, %zu failed, %zu crashed, %zu timed out, %zu skipped, %zu recorded", t.passed, t.failed,
                t.crashed, t.timed_out, t.skipped, t.recorded);
}

std::string count(std::size_t n, const char* noun) { return format("%zu %s%s", n, noun, n == 1 ? "" : "s"); }

std::string cell(const Tally& t, bool recorded_class) {
  if (t.total == 0) return "-";
  if (t.skipped == t.total) return "skipped";
  std::string out = recorded_class ? format("%zu recorded", t.recorded) : format("%zu/%zu", t.passed, t.total - t.skipped);
  if (t.crashed) out += format(" %zu crash", t.crashed);
  if (t.timed_out) out += format(" %zu timeout", t.timed_out);
  return out;
}

}  // namespace

std::string clip(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 sequences
  return text.substr(0, n) + "...";
}

std::string text_report(const ReportInput& in) {
  std::string out = "entsig conform: " + count(in.corpus->cases.size(), "case") + " in " +
                    count(in.corpus->areas.size(), "area") + " (" + in.corpus->dir + "), " +
                    count(in.runs->size(), "adapter") + format(", %.2f s\n", in.seconds);
  Tally overall;
  for (const AdapterRun& run : *in.runs) {
    const AdapterSummary s = summarize(run);
    out += "\n" + run.adapter->name() + " (" + run.adapter->kind() + ": " + run.adapter->description() + ")\n";
    out += format("  %-18s %-16s %-16s %s\n", "area", "valid", "invalid", "differential");
    for (const std::string& area : in.corpus->areas) {
      auto it = s.by_area_class.find(area);
      if (it == s.by_area_class.end()) continue;
      auto get = [&](const char* cls) {
        auto found = it->second.find(cls);
        return found == it->second.end() ? Tally{} : found->second;
      };
      out += format("  %-18s %-16s %-16s %s\n", area.c_str(), cell(get("valid"), false).c_str(),
                    cell(get("invalid"), false).c_str(), cell(get("differential"), true).c_str());
    }
    std::string peers;
    for (const std::string& peer : peer_order()) {
      auto it = s.peers.find(peer);
      if (it == s.peers.end() || it->second.known == 0) continue;
      peers += format("%s%s %zu/%zu", peers.empty() ? "" : ", ", peer.c_str(), it->second.matched, it->second.known);
    }
    if (!peers.empty()) out += "  behaves like (cases matching the documented behaviour): " + peers + "\n";
    for (const CaseRun& r : run.results) {
      const Outcome o = r.verdict.outcome;
      if (o != Outcome::fail && o != Outcome::crash && o != Outcome::timeout) continue;
      std::string label(outcome_name(o));
      for (char& ch : label) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out += "  " + label + " " + r.c->full_id() + ": " + clip(r.verdict.reason, 300) + "\n";
    }
    out += run.adapter->name() + ": " + summary_line(s.all) + "\n";
    overall += s.all;
  }
  out += "\nconform: " + summary_line(overall) + " (" + count(in.runs->size(), "adapter") + ")\n";
  return out;
}

}  // namespace entsig::tools::conform

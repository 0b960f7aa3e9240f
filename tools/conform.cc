// entsig conform: run the conformance corpus (conformance/cases) through built-in and external
// adapters and report, as text, JSON, JUnit XML or an HTML page. Exit 1 when a judged case fails,
// or any case crashes or times out; with --baseline, when an outcome differs from the baseline
// (docs/conformance.md).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fnmatch.h>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "commands.h"
#include "runner/adapters.h"
#include "runner/areas.h"
#include "runner/baseline.h"
#include "runner/cases.h"
#include "runner/report.h"
#include "runner/report_html.h"
#include "runner/run.h"
#include "io.h"
#include "report.h"

namespace entsig::tools {
namespace {

using namespace conform;

struct ConformOptions {
  std::vector<std::string> areas;
  std::vector<std::string> case_patterns;
  std::vector<std::string> adapters;
  std::vector<std::string> adapter_commands;
  std::string cases = "conformance/cases";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  double timeout = 5.0;
  bool no_batch = false;
  std::string report = "text";
  std::string output;
  std::string baseline;        // compare with this baseline file
  std::string write_baseline;  // write the run's outcomes here
  bool list_areas = false;     // print the area table and stop
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "error: conform: %s\n", message.c_str());
  return kExitUsage;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

// A named adapter: a built-in one, or conformance/adapters/<name>/adapter beside the cases.
std::unique_ptr<Adapter> named_adapter(const std::string& name, const ConformOptions& o, const CommandOptions& command) {
  if (auto builtin = make_builtin_adapter(name)) return builtin;
  namespace fs = std::filesystem;
  fs::path cases = fs::path(o.cases).lexically_normal();
  if (!cases.has_filename()) cases = cases.parent_path();  // "conformance/cases/"
  const fs::path script = cases.parent_path() / "adapters" / name / "adapter";
  if (::access(script.c_str(), X_OK) == 0) return make_command_adapter({script.string()}, name, command);
  return nullptr;
}

// Keeps the cases whose full id matches one of the globs (fnmatch, as a shell matches paths).
void select_cases(Corpus& corpus, const std::vector<std::string>& patterns) {
  std::vector<Case> kept;
  for (Case& c : corpus.cases) {
    const std::string id = c.full_id();
    for (const std::string& p : patterns)
      if (::fnmatch(p.c_str(), id.c_str(), 0) == 0) {
        kept.push_back(std::move(c));
        break;
      }
  }
  corpus.cases = std::move(kept);
}

// A case id the run would include: its area was loaded and it matches --case (when given).
bool in_selection(const std::string& id, const Corpus& corpus, const std::vector<std::string>& patterns) {
  const std::string area = id.substr(0, id.find('/'));
  if (std::find(corpus.areas.begin(), corpus.areas.end(), area) == corpus.areas.end()) return false;
  if (patterns.empty()) return true;
  for (const std::string& p : patterns)
    if (::fnmatch(p.c_str(), id.c_str(), 0) == 0) return true;
  return false;
}

// The HTML report links rules to the RULES.md beside the cases, relative to the report file.
HtmlReportOptions html_options(const ConformOptions& o) {
  namespace fs = std::filesystem;
  HtmlReportOptions h;
  const std::string rules = rules_path_for(o.cases);
  h.rules = load_rule_texts(rules);
  h.rules_link = rules;
  if (!o.output.empty() && o.output != "-") {
    std::error_code ec;
    const fs::path rel = fs::relative(fs::absolute(rules), fs::absolute(o.output).parent_path(), ec);
    if (!ec && !rel.empty()) h.rules_link = rel.string();
  }
  return h;
}

std::string render_report(const ConformOptions& o, const ReportInput& in) {
  if (o.report == "json") return json_report(in);
  if (o.report == "junit") return junit_report(in);
  if (o.report == "html") return html_report(in, html_options(o));
  return text_report(in);
}

// One line per area of conformance/areas.tsv: name, what the built-in reader answers, input.
int print_area_table() {
  std::string out;
  for (const AreaInfo& a : area_table())
    out += std::string(a.name) + "\t" + std::string(output_name(a.output)) + "\t" + std::string(a.input) + "\n";
  return write_stdout(out, kExitOk);
}

int run_conform(ConformOptions o) {
  if (o.list_areas) return print_area_table();
  if (!std::filesystem::is_directory(o.cases)) return usage_error("no cases directory " + o.cases + " (--cases DIR)");
  if (o.timeout <= 0) return usage_error("--timeout must be positive");
  // A child that exits while we write its input must not kill the runner.
  std::signal(SIGPIPE, SIG_IGN);
  Corpus corpus;
  try {
    const auto present = list_areas(o.cases);
    for (const auto& area : o.areas)
      if (std::find(present.begin(), present.end(), area) == present.end())
        return usage_error("unknown area " + area + " (present: " + join(present) + ")");
    corpus = load_corpus(o.cases, o.areas);
    if (!o.case_patterns.empty()) select_cases(corpus, o.case_patterns);
  } catch (const CorpusError& e) {
    std::fprintf(stderr, "error: conform: corpus: %s\n", e.what());
    return kExitRejected;
  }
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    auto text = read_input(o.baseline, 64u << 20);
    if (!text) return usage_error("cannot read baseline " + o.baseline + ": " + text.error().describe());
    try {
      baseline = parse_baseline(*text);
    } catch (const BaselineError& e) {
      return usage_error("baseline " + o.baseline + ": " + e.what());
    }
  }
  CommandOptions command;
  command.timeout = std::chrono::duration<double>(o.timeout);
  command.allow_batch = !o.no_batch;
  if (o.adapters.empty() && o.adapter_commands.empty()) o.adapters.push_back("entsig");
  std::vector<std::unique_ptr<Adapter>> adapters;
  for (const std::string& name : o.adapters) {
    auto adapter = named_adapter(name, o, command);
    if (!adapter) return usage_error("unknown adapter " + name + " (built in: entsig, entsig-cf; or conformance/adapters/<name>/adapter)");
    adapters.push_back(std::move(adapter));
  }
  for (const std::string& cmd : o.adapter_commands) {
    auto argv = split_words(cmd);
    if (argv.empty()) return usage_error("--adapter-cmd needs a command");
    adapters.push_back(make_command_adapter(argv, cmd, command));
  }
  RunOptions run;
  run.jobs = o.jobs;
  run.progress = ::isatty(STDERR_FILENO) == 1;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<AdapterRun> runs = run_all(corpus, adapters, run);
  ReportInput in{&corpus, &runs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  if (auto failure = write_output(o.output, render_report(o, in))) return report_write_failure(*failure);
  // With baselines the status says whether outcomes changed, not whether cases failed.
  const Baseline now = make_baseline(runs);
  if (!o.write_baseline.empty()) {
    if (auto failure = write_output(o.write_baseline, baseline_json(now))) return report_write_failure(*failure);
  }
  if (baseline) {
    const BaselineComparison diff = compare_baseline(
        *baseline, now, [&](const std::string& id) { return in_selection(id, corpus, o.case_patterns); });
    std::fputs(describe_comparison(diff, o.baseline).c_str(), stderr);
    return diff.changed() ? kExitRejected : kExitOk;
  }
  if (!o.write_baseline.empty()) return kExitOk;
  for (const AdapterRun& r : runs)
    if (summarize(r).all.bad()) return kExitRejected;
  return kExitOk;
}

}  // namespace

void add_conform_command(CLI::App& app) {
  auto o = std::make_shared<ConformOptions>();
  CLI::App* cmd = app.add_subcommand("conform", "Run the conformance corpus through built-in and external adapters");
  cmd->add_option("--area", o->areas, "Area to run (repeatable; default: every area under --cases)");
  cmd->add_option("--case", o->case_patterns,
                  "Only cases whose id (area/class/name) matches this glob (repeatable; default: all)");
  cmd->add_option("--adapter", o->adapters,
                  "Adapter by name: entsig, entsig-cf, or conformance/adapters/<name>/adapter (repeatable; default entsig)");
  cmd->add_option("--adapter-cmd", o->adapter_commands,
                  "External adapter command, split on whitespace (repeatable; protocol: conformance/ADAPTERS.md)");
  cmd->add_option("--cases", o->cases, "Cases directory (default conformance/cases)");
  cmd->add_flag("--list-areas", o->list_areas,
                "Print the area table (name, built-in answer: value or structure, input) and exit");
  cmd->add_option("--jobs", o->jobs, "Cases run in parallel (default: the number of CPUs)")->check(CLI::PositiveNumber);
  cmd->add_option("--timeout", o->timeout, "Seconds an external adapter may take per case (default 5)");
  cmd->add_flag("--no-batch", o->no_batch, "Start an external adapter once per case even if it offers --batch");
  cmd->add_option("--report", o->report, "Report format")->check(CLI::IsMember({"text", "json", "junit", "html"}));
  cmd->add_option("-o,--output", o->output, "Report file (default: standard output)");
  cmd->add_option("--write-baseline", o->write_baseline,
                  "Write every case's outcome per adapter to this file (exit 0 once written)");
  cmd->add_option("--baseline", o->baseline,
                  "Compare outcomes with this baseline file; exit 1 when any changed, a case was added or removed");
  cmd->callback([o] { finish(run_conform(*o)); });
}

}  // namespace entsig::tools

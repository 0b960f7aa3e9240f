// entsig conform: run the conformance corpus (conformance/cases) through built-in and external
// adapters and report, as text, JSON or JUnit XML. Exit 1 when a judged case fails, or any case
// crashes or times out (docs/conformance.md).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fnmatch.h>
#include <memory>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "commands.h"
#include "conform_adapters.h"
#include "conform_cases.h"
#include "conform_report.h"
#include "conform_run.h"
#include "io.h"

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

int run_conform(ConformOptions o) {
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
  const std::string text = o.report == "json" ? json_report(in) : o.report == "junit" ? junit_report(in) : text_report(in);
  if (auto failure = write_output(o.output, text)) {
    std::fprintf(stderr, "error: %s\n", failure->c_str());
    return kExitInternal;
  }
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
  cmd->add_option("--jobs", o->jobs, "Cases run in parallel (default: the number of CPUs)")->check(CLI::PositiveNumber);
  cmd->add_option("--timeout", o->timeout, "Seconds an external adapter may take per case (default 5)");
  cmd->add_flag("--no-batch", o->no_batch, "Start an external adapter once per case even if it offers --batch");
  cmd->add_option("--report", o->report, "Report format")->check(CLI::IsMember({"text", "json", "junit"}));
  cmd->add_option("-o,--output", o->output, "Report file (default: standard output)");
  cmd->callback([o] { finish(run_conform(*o)); });
}

}  // namespace entsig::tools

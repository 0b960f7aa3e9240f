// entsig check: runs the entitlement policy rules (docs/entitlements-rules.md) on an
// entitlements file, a DER blob, a Mach-O or a bundle directory, and prints the findings as
// compiler-style lines, JSON or SARIF. Exit 1 when there are errors (or warnings, with --strict).
#include <filesystem>
#include <memory>

#include "check.h"
#include "commands.h"
#include "entsig/macho.h"
#include "io.h"
#include "report.h"

namespace entsig::tools {
namespace {

namespace fs = std::filesystem;

struct CheckOptions {
  std::string input;
  std::string kind;
  bool json = false;
  bool sarif = false;
  bool strict = false;
  bool hardened_runtime = false;
  bool no_hardened_runtime = false;
  Limits limits;  // --max-input-bytes, --max-expanded-bytes, --max-output-bytes
};

check::Overrides overrides_of(const CheckOptions& o) {
  check::Overrides out;
  if (!o.kind.empty()) out.kind = entitlements::kind_from_name(o.kind);
  if (o.hardened_runtime) out.hardened_runtime = true;
  if (o.no_hardened_runtime) out.hardened_runtime = false;
  return out;
}

int exit_status(const std::vector<check::Located>& findings, bool strict) {
  for (const auto& f : findings) {
    if (f.finding.severity == entitlements::Severity::error) return kExitRejected;
    if (strict && f.finding.severity == entitlements::Severity::warning) return kExitRejected;
  }
  return kExitOk;
}

int run_check(const CheckOptions& o) {
  const ErrorFormat format = o.json ? ErrorFormat::json : ErrorFormat::text;
  const Limits& limits = o.limits;
  auto findings = check::check_path(o.input, overrides_of(o), limits);
  if (!findings) return report_error(findings.error(), format);
  const std::string out = o.sarif  ? check::render_sarif(*findings)
                          : o.json ? check::render_json(*findings)
                                   : check::render_text(*findings);
  // The report is charged once written: a few lines per finding, so it grows with the input.
  Budget budget(limits);
  if (Status charged = budget.charge_output(out.size()); !charged) return report_error(charged.error(), format);
  return write_stdout(out, exit_status(*findings, o.strict));
}

}  // namespace

namespace check {

bool looks_like_macho(Bytes first_bytes) {
  if (!macho::has_macho_magic(first_bytes)) return false;
  Cursor c(first_bytes);
  if (c.u32be() != macho::kFatMagic) return true;
  auto count = c.u32be();
  return count && *count < 43;
}

Result<std::vector<Located>> check_path(const std::string& path, const Overrides& overrides, const Limits& limits) {
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) return check_bundle(path, overrides, limits);
  auto input = open_input(path, limits.max_input_bytes, [&](Bytes head) { return reject_stream_early(head, limits); });
  if (!input) return input.take_error();
  auto findings = looks_like_macho(input->bytes()) ? check_macho_bytes(input->bytes(), overrides, std::nullopt, limits)
                                                   : check_entitlements_bytes(input->text(), overrides, limits);
  if (!findings) return findings.take_error();
  std::vector<Located> out;
  const std::string shown = path == "-" ? "<stdin>" : path;
  for (auto& f : *findings) out.push_back({shown, std::move(f)});
  return out;
}

}  // namespace check

void add_check_command(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Check entitlements (a plist, a DER blob, a Mach-O or a bundle) against the policy rules");
  auto* json = cmd->add_flag("--json", o->json, "Print the findings (or a rejected input's error) as JSON");
  cmd->add_flag("--sarif", o->sarif, "Print the findings as SARIF 2.1.0")->excludes(json);
  cmd->add_option("--kind", o->kind, "What carries the entitlements: app (default for plist input), library, "
                                     "plugin, sysext or dext; for Mach-O input, read from the file")
      ->check(CLI::IsMember({"app", "library", "plugin", "sysext", "dext"}));
  auto* on = cmd->add_flag("--hardened-runtime", o->hardened_runtime,
                           "Treat the code as signed with the hardened runtime (overrides the file)");
  cmd->add_flag("--no-hardened-runtime", o->no_hardened_runtime,
                "Treat the code as signed without the hardened runtime (overrides the file)")
      ->excludes(on);
  cmd->add_flag("--strict", o->strict, "Exit 1 on warnings too");
  add_budget_options(*cmd, o->limits);
  cmd->add_option("FILE", o->input, "Entitlements plist, DER blob, Mach-O, bundle directory, or - for standard input")
      ->required();
  cmd->callback([o] { finish(run_check(*o)); });
}

}  // namespace entsig::tools

// entsig convert: read a property list in any supported format (XML, binary, tagged JSON,
// DER entitlements; detected from the first bytes) and write it as XML, binary, tagged JSON or
// DER entitlements. One Budget covers the run: the reader charges expanded bytes, the writer
// output bytes (docs/cli.md, "Budget").
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "commands.h"
#include "document_input.h"
#include "entsig/der.h"
#include "entsig/plist.h"
#include "io.h"
#include "report.h"

namespace entsig::tools {
namespace {

struct ConvertOptions {
  std::string input;
  std::string output;
  std::string to;
  std::string compat = "strict";
  std::string der = "strict";
  bool json_errors = false;
  bool pretty = false;
  Limits limits;  // --max-input-bytes, --max-expanded-bytes, --max-output-bytes
};

der::DerOptions der_options(std::string_view preset) {
  if (preset == "lenient") return der::DerOptions::lenient();
  if (preset == "ldid") return der::DerOptions::ldid();
  return der::DerOptions::strict();
}

Result<std::string> render(const plist::Value& root, const ConvertOptions& o, Budget& budget) {
  if (o.to == "binary") return plist::write_binary(root, budget);
  if (o.to == "json") {
    auto json = plist::write_tagged_json(root, budget, o.pretty);
    if (!json) return json;
    if (Status s = budget.charge_output(1); !s) return s.take_error();
    return std::move(*json) + "\n";
  }
  if (o.to == "der") return der::write_der(root, budget);
  // XML: refuse values the XML text cannot carry rather than write a file no reader takes.
  Status writable = plist::check_xml_writable(root);
  if (!writable) return writable.error();
  return plist::write_xml(root, budget);
}

int run_convert(const ConvertOptions& o) {
  const ErrorFormat format = o.json_errors ? ErrorFormat::json : ErrorFormat::text;
  const plist::ReadOptions options =
      o.compat == "cf" ? plist::ReadOptions::cf_compat() : plist::ReadOptions::strict();
  const Limits& limits = o.limits;
  Budget budget(limits);
  auto bytes = open_input(o.input, limits.max_input_bytes,
                          [&](Bytes head) { return reject_by_first_byte(head, options, der_options(o.der)); });
  if (!bytes) return report_error(bytes.error(), format);
  auto doc = read_document(bytes->text(), options, der_options(o.der), budget);
  if (!doc) return report_error(doc.error(), format);
  auto out = render(doc->root(), o, budget);
  if (!out) return report_error(out.error(), format);
  // Output failures go to stderr as text even with --json: standard output may be what failed.
  if (auto failure = write_output(o.output, *out)) return report_write_failure(*failure);
  return kExitOk;
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd =
      app.add_subcommand("convert", "Convert a property list between XML, binary, tagged JSON and DER entitlements");
  cmd->add_option("--to", o->to, "Output format")
      ->required()
      ->check(CLI::IsMember({"xml", "binary", "json", "der"}));
  cmd->add_option("--compat", o->compat,
                  "Reader preset: strict (default), or cf to accept what CoreFoundation accepts")
      ->check(CLI::IsMember({"strict", "cf"}));
  cmd->add_option("--der", o->der,
                  "DER reader preset: strict (default), lenient (also the legacy SET form), or ldid")
      ->check(CLI::IsMember({"strict", "lenient", "ldid"}));
  cmd->add_flag("--json", o->json_errors, "Report a rejected input as JSON on standard output");
  cmd->add_flag("--pretty", o->pretty, "Indent tagged JSON output");
  add_budget_options(*cmd, o->limits);
  cmd->add_option("-o,--output", o->output, "Output file (default: standard output)");
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_convert(*o)); });
}

}  // namespace entsig::tools

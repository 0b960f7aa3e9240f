// entsig convert: read a property list in any supported format (XML, binary, tagged JSON;
// detected from the first bytes) and write it as XML, binary or tagged JSON.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
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
  bool json_errors = false;
  bool pretty = false;
};

// Tagged JSON is recognised by its first member: '{', whitespace, "type". A bare '{' is not
// enough: OpenStep plists (not supported) start that way too, and should read as unknown.
bool looks_like_tagged_json(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const std::size_t brace = text.find_first_not_of(kWhitespace);
  if (brace == std::string_view::npos || text[brace] != '{') return false;
  const std::size_t member = text.find_first_not_of(kWhitespace, brace + 1);
  return member != std::string_view::npos && text.substr(member).starts_with("\"type\"");
}

Result<plist::Document> read_document(std::string_view bytes, const plist::ReadOptions& options) {
  if (plist::detect_format(as_bytes(bytes)) == plist::Format::unknown && looks_like_tagged_json(bytes))
    return plist::read_tagged_json(bytes, options.limits);
  return plist::read_any(as_bytes(bytes), options);
}

Result<std::string> render(const plist::Value& root, const ConvertOptions& o) {
  if (o.to == "binary") return plist::write_binary(root);
  if (o.to == "json") return plist::write_tagged_json(root, o.pretty) + "\n";
  // XML: refuse values the XML text cannot carry rather than write a file no reader takes.
  Status writable = plist::check_xml_writable(root);
  if (!writable) return writable.error();
  return plist::write_xml(root);
}

int run_convert(const ConvertOptions& o) {
  const ErrorFormat format = o.json_errors ? ErrorFormat::json : ErrorFormat::text;
  const plist::ReadOptions options =
      o.compat == "cf" ? plist::ReadOptions::cf_compat() : plist::ReadOptions::strict();
  auto bytes = read_input(o.input, options.limits.max_input_bytes);
  if (!bytes) return report_error(bytes.error(), format);
  auto doc = read_document(*bytes, options);
  if (!doc) return report_error(doc.error(), format);
  auto out = render(doc->root(), o);
  if (!out) return report_error(out.error(), format);
  // Output failures go to stderr as text even with --json: standard output may be what failed.
  if (auto failure = write_output(o.output, *out)) {
    std::fprintf(stderr, "error: %s\n", failure->c_str());
    return kExitInternal;
  }
  return kExitOk;
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd =
      app.add_subcommand("convert", "Convert a property list between XML, binary and tagged JSON");
  cmd->add_option("--to", o->to, "Output format")
      ->required()
      ->check(CLI::IsMember({"xml", "binary", "json"}));
  cmd->add_option("--compat", o->compat,
                  "Reader preset: strict (default), or cf to accept what CoreFoundation accepts")
      ->check(CLI::IsMember({"strict", "cf"}));
  cmd->add_flag("--json", o->json_errors, "Report a rejected input as JSON on standard output");
  cmd->add_flag("--pretty", o->pretty, "Indent tagged JSON output");
  cmd->add_option("-o,--output", o->output, "Output file (default: standard output)");
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_convert(*o)); });
}

}  // namespace entsig::tools

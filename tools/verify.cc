// entsig verify: check every slice of a Mach-O file against its signature: code page hashes,
// special slot bindings and the CMS cdhash lists. Exit 0 only when every slice is valid; each
// failure is named (page, special slot, cdhash, or the error that stopped the parse).
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "entsig/macho.h"
#include "io.h"
#include "report.h"
#include "signature_json.h"

namespace entsig::tools {
namespace {

using namespace codesign;

struct VerifyOptions {
  std::string input;
  bool json = false;
  Limits limits;  // --max-input-bytes, --max-expanded-bytes, --max-output-bytes
};

// Page hashes need the code they cover: only a Mach-O file carries it. The first bytes decide,
// so a stream that is not Mach-O is rejected without keeping the rest.
std::optional<Error> not_macho(Bytes head) {
  if (head.empty()) return make_error(ErrorCode::core_empty_input, 0);
  if (!macho::has_macho_magic(head)) return make_error(ErrorCode::core_unknown_format, 0, "verify needs a Mach-O file");
  return std::nullopt;
}

void append_cms_findings(std::string& out, const CmsAgreement& cms) {
  for (const SignerAgreement& s : cms.signers) {
    const std::string who = "  cms signer " + std::to_string(s.signer) + ": ";
    if (s.message_digest_ok == false) out += who + "message digest does not match the code-directory\n";
    for (const CdHashCheck& c : s.v1)
      if (c.match == CdHashMatch::mismatch) out += who + "cdhash " + c.hex + " matches no CodeDirectory\n";
    for (const CdHashCheck& c : s.v2)
      if (c.match == CdHashMatch::mismatch) out += who + c.algorithm + " cdhash " + c.hex + " matches no CodeDirectory\n";
    for (std::uint32_t slot : s.unlisted_slots) out += who + slot_name(slot) + " is not listed\n";
  }
}

void append_slice_text(std::string& out, const SliceVerification& s) {
  out += "slice " + std::to_string(s.slice_index) + " (" + s.cpu + "): " + std::string(slice_status_name(s.status));
  if (s.error) {
    out += ": " + s.error->describe() + "\n";
    return;
  }
  if (s.chosen_slot)
    out += ", cdhash " + s.cdhash + " (" + s.hash_type + ", " + slot_name(*s.chosen_slot) + "), cms " +
           std::string(cms_agreement_status_name(s.cms.status));
  out += "\n";
  if (s.status == SliceStatus::invalid && s.code_directories.empty()) out += "  no CodeDirectory\n";
  for (const CodeDirectoryCheck& cd : s.code_directories) {
    const std::string who = "  " + slot_name(cd.slot) + ": ";
    for (std::uint32_t page : cd.bad_pages) out += who + "page " + std::to_string(page) + " hash mismatch\n";
    for (const SpecialSlotCheck& slot : cd.special_slots)
      if (!slot_status_ok(slot.status))
        out += who + "special slot -" + std::to_string(slot.slot) + " (" + slot_name(slot.slot) + ") " +
               std::string(slot_status_name(slot.status)) + "\n";
  }
  append_cms_findings(out, s.cms);
}

int run_verify(const VerifyOptions& o) {
  const ErrorFormat errors = o.json ? ErrorFormat::json : ErrorFormat::text;
  const Limits& limits = o.limits;
  auto input = open_input(o.input, limits.max_input_bytes, not_macho);
  if (!input) return report_error(input.error(), errors);
  const Bytes bytes = input->bytes();
  if (auto rejected = not_macho(bytes)) return report_error(*rejected, errors);
  auto file = macho::parse(bytes, limits);
  if (!file) return report_error(file.error(), errors);
  const Verification result = verify(*file, limits);
  Budget budget(limits);
  std::string out;
  if (o.json) {
    JsonOut json(budget);
    json.begin_object();
    json.member("valid", result.valid());
    json.key("slices");
    json.begin_array();
    for (const auto& s : result.slices) json.value(verification_json(s));
    json.end_array();
    json.end_object();
    auto text = json.take();
    if (!text) return report_error(text.error(), errors);
    out = std::move(*text);
  } else {
    for (const auto& s : result.slices) {
      append_slice_text(out, s);
      // A signature that could not be read is a rejected input: its error line goes to stderr.
      if (s.error) std::fprintf(stderr, "%s\n", error_line(*s.error).c_str());
    }
    out += result.valid() ? "valid\n" : "invalid\n";
    if (Status charged = budget.charge_output(out.size()); !charged) return report_error(charged.error(), errors);
  }
  int status = result.valid() ? kExitOk : kExitRejected;
  for (const auto& s : result.slices)
    if (s.error && s.error->kind() == ErrorKind::internal) status = kExitInternal;
  return write_stdout(out, status);
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand("verify", "Check a Mach-O file's page hashes, special slots and CMS cdhashes");
  cmd->add_flag("--json", o->json, "Write the result as JSON (docs/json-schema.md)");
  add_budget_options(*cmd, o->limits);
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_verify(*o)); });
}

}  // namespace entsig::tools

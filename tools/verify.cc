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
};

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
  auto input = read_input(o.input, Limits{}.max_input_bytes);
  if (!input) return report_error(input.error(), errors);
  const Bytes bytes = as_bytes(*input);
  if (bytes.empty()) return report_error(make_error(ErrorCode::core_empty_input, 0), errors);
  // Page hashes need the code they cover: only a Mach-O file carries it.
  if (!macho::has_macho_magic(bytes))
    return report_error(make_error(ErrorCode::core_unknown_format, 0, "verify needs a Mach-O file"), errors);
  auto file = macho::parse(bytes);
  if (!file) return report_error(file.error(), errors);
  const Verification result = verify(*file);
  std::string out;
  if (o.json) {
    Json j;
    j["valid"] = result.valid();
    j["slices"] = Json::array();
    for (const auto& s : result.slices) j["slices"].push_back(verification_json(s));
    out = dump_json(j) + "\n";
  } else {
    for (const auto& s : result.slices) {
      append_slice_text(out, s);
      // A signature that could not be read is a rejected input: its error line goes to stderr.
      if (s.error) std::fprintf(stderr, "%s\n", error_line(*s.error).c_str());
    }
    out += result.valid() ? "valid\n" : "invalid\n";
  }
  if (auto failure = write_output("", out)) {
    std::fprintf(stderr, "error: %s\n", failure->c_str());
    return kExitInternal;
  }
  for (const auto& s : result.slices)
    if (s.error && s.error->kind() == ErrorKind::internal) return kExitInternal;
  return result.valid() ? kExitOk : kExitRejected;
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand("verify", "Check a Mach-O file's page hashes, special slots and CMS cdhashes");
  cmd->add_flag("--json", o->json, "Write the result as JSON (docs/json-schema.md)");
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_verify(*o)); });
}

}  // namespace entsig::tools

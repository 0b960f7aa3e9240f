// entsig inspect: print the code signature of a Mach-O file (every slice), a raw SuperBlob or
// a raw CodeDirectory: blobs, CodeDirectories, entitlements, requirements and CMS signers.
// A signature that cannot be read rejects the whole input (the first error is final).
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "entsig/macho.h"
#include "io.h"
#include "report.h"
#include "signature_json.h"
#include "signature_text.h"

namespace entsig::tools {
namespace {

struct InspectOptions {
  std::string input;
  bool json = false;
  Limits limits;  // --max-input-bytes, --max-expanded-bytes, --max-output-bytes
};

struct SliceDetails {
  const macho::Slice* slice = nullptr;
  std::optional<SignatureDetails> details;  // nullopt: no LC_CODE_SIGNATURE
};

Result<SignatureDetails> details_of(Result<codesign::Signature> sig, Budget& budget) {
  if (!sig) return sig.take_error();
  return read_signature_details(std::move(sig.value()), budget);
}

Status write_slice_json(JsonOut& out, const SliceDetails& s) {
  out.begin_object();
  out.member("cpu", s.slice->cpu_name());
  out.member("file_type", s.slice->file_type_name());
  out.member("offset", s.slice->offset);
  out.member("size", s.slice->size);
  Json platforms = Json::array();
  for (const auto& p : s.slice->platforms)
    platforms.push_back({{"platform", macho::platform_name(p.platform)},
                         {"minos", macho::format_version(p.minos)},
                         {"sdk", macho::format_version(p.sdk)}});
  out.member("platforms", platforms);
  out.key("signature");
  if (s.details) {
    if (Status st = write_signature_json(out, *s.details, s.slice->code_signature->datasize); !st) return st;
  } else {
    out.value(nullptr);
  }
  out.end_object();
  return Ok{};
}

std::string macho_format_line(const macho::File& file) {
  std::string cpus;
  for (const auto& slice : file.slices) cpus += (cpus.empty() ? "" : " ") + slice.cpu_name();
  return std::string("Format=Mach-O ") + (file.kind == macho::FileKind::thin ? "thin" : "universal") + " (" + cpus + ")\n";
}

void append_slice_text(std::string& out, std::size_t index, const SliceDetails& s) {
  out += "Slice " + std::to_string(index) + ": " + s.slice->cpu_name() + " " + s.slice->file_type_name() +
         " offset=" + std::to_string(s.slice->offset) + " size=" + std::to_string(s.slice->size) + "\n";
  if (s.details)
    append_signature_text(out, *s.details, s.slice->code_signature->datasize);
  else
    out += "Signature=none (no LC_CODE_SIGNATURE)\n";
}

// Text output is built whole and then charged: it is a few lines per model part, so it grows
// with the input, never with what shared objects stand for.
Result<std::string> charged_text(std::string text, Budget& budget) {
  if (Status s = budget.charge_output(text.size()); !s) return s.take_error();
  return text;
}

Result<std::string> render_macho(Bytes bytes, Budget& budget, bool json) {
  auto file = macho::parse(bytes, budget.limits());
  if (!file) return file.take_error();
  std::vector<SliceDetails> slices;
  for (const auto& slice : file->slices) {
    SliceDetails s{&slice, std::nullopt};
    if (slice.code_signature) {
      auto details = details_of(codesign::parse_signature(slice, budget.limits()), budget);
      if (!details) return details.take_error();
      s.details = std::move(*details);
    }
    slices.push_back(std::move(s));
  }
  if (json) {
    JsonOut out(budget);
    out.begin_object();
    out.member("format", "macho");
    out.member("kind", std::string(macho::file_kind_name(file->kind)));
    out.key("slices");
    out.begin_array();
    for (const auto& s : slices)
      if (Status st = write_slice_json(out, s); !st) return st.take_error();
    out.end_array();
    out.end_object();
    return out.take();
  }
  std::string text = macho_format_line(*file);
  for (std::size_t i = 0; i < slices.size(); ++i) append_slice_text(text, i, slices[i]);
  return charged_text(std::move(text), budget);
}

// A raw SuperBlob or CodeDirectory: the signature object sits at the top level.
Result<std::string> render_raw(Bytes bytes, SignatureFormat format, Budget& budget, bool json) {
  auto details = details_of(codesign::parse_signature(bytes, 0, budget.limits()), budget);
  if (!details) return details.take_error();
  if (json) {
    JsonOut out(budget);
    out.begin_object();
    out.member("format", std::string(signature_format_name(format)));
    out.key("signature");
    if (Status st = write_signature_json(out, *details, bytes.size()); !st) return st.take_error();
    out.end_object();
    return out.take();
  }
  std::string text = format == SignatureFormat::superblob ? "Format=embedded signature\n" : "Format=CodeDirectory\n";
  append_signature_text(text, *details, bytes.size());
  return charged_text(std::move(text), budget);
}

int run_inspect(const InspectOptions& o) {
  const ErrorFormat errors = o.json ? ErrorFormat::json : ErrorFormat::text;
  const Limits& limits = o.limits;
  // A stream whose first bytes are no signature format is rejected without keeping the rest.
  auto input = open_input(o.input, limits.max_input_bytes, [](Bytes head) -> std::optional<Error> {
    auto format = detect_signature_format(head);
    if (!format) return format.take_error();
    return std::nullopt;
  });
  if (!input) return report_error(input.error(), errors);
  const Bytes bytes = input->bytes();
  auto format = detect_signature_format(bytes);
  if (!format) return report_error(format.error(), errors);
  Budget budget(limits);
  auto out = *format == SignatureFormat::macho ? render_macho(bytes, budget, o.json)
                                               : render_raw(bytes, *format, budget, o.json);
  if (!out) return report_error(out.error(), errors);
  return write_stdout(*out, kExitOk);
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto o = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Print the code signature of a Mach-O file, a raw SuperBlob or a raw CodeDirectory");
  cmd->add_flag("--json", o->json, "Write JSON (docs/json-schema.md); a rejected input is reported as JSON too");
  add_budget_options(*cmd, o->limits);
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_inspect(*o)); });
}

}  // namespace entsig::tools

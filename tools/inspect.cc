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
  std::uint64_t max_input_bytes = Limits::default_max_input_bytes;
};

struct SliceDetails {
  const macho::Slice* slice = nullptr;
  std::optional<SignatureDetails> details;  // nullopt: no LC_CODE_SIGNATURE
};

Result<SignatureDetails> details_of(Result<codesign::Signature> sig) {
  if (!sig) return sig.take_error();
  return read_signature_details(std::move(sig.value()));
}

Json slice_json(const SliceDetails& s) {
  Json j;
  j["cpu"] = s.slice->cpu_name();
  j["file_type"] = s.slice->file_type_name();
  j["offset"] = s.slice->offset;
  j["size"] = s.slice->size;
  j["platforms"] = Json::array();
  for (const auto& p : s.slice->platforms)
    j["platforms"].push_back({{"platform", macho::platform_name(p.platform)},
                              {"minos", macho::format_version(p.minos)},
                              {"sdk", macho::format_version(p.sdk)}});
  j["signature"] = s.details ? signature_json(*s.details, s.slice->code_signature->datasize) : Json(nullptr);
  return j;
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

Result<std::string> render_macho(Bytes bytes, const Limits& limits, bool json) {
  auto file = macho::parse(bytes, limits);
  if (!file) return file.take_error();
  std::vector<SliceDetails> slices;
  for (const auto& slice : file->slices) {
    SliceDetails s{&slice, std::nullopt};
    if (slice.code_signature) {
      auto details = details_of(codesign::parse_signature(slice, limits));
      if (!details) return details.take_error();
      s.details = std::move(*details);
    }
    slices.push_back(std::move(s));
  }
  if (json) {
    Json j;
    j["format"] = "macho";
    j["kind"] = std::string(macho::file_kind_name(file->kind));
    j["slices"] = Json::array();
    for (const auto& s : slices) j["slices"].push_back(slice_json(s));
    return dump_json(j) + "\n";
  }
  std::string out = macho_format_line(*file);
  for (std::size_t i = 0; i < slices.size(); ++i) append_slice_text(out, i, slices[i]);
  return out;
}

// A raw SuperBlob or CodeDirectory: the signature object sits at the top level.
Result<std::string> render_raw(Bytes bytes, SignatureFormat format, const Limits& limits, bool json) {
  auto details = details_of(codesign::parse_signature(bytes, 0, limits));
  if (!details) return details.take_error();
  if (json) {
    Json j;
    j["format"] = std::string(signature_format_name(format));
    j["signature"] = signature_json(*details, bytes.size());
    return dump_json(j) + "\n";
  }
  std::string out = format == SignatureFormat::superblob ? "Format=embedded signature\n" : "Format=CodeDirectory\n";
  append_signature_text(out, *details, bytes.size());
  return out;
}

int run_inspect(const InspectOptions& o) {
  const ErrorFormat errors = o.json ? ErrorFormat::json : ErrorFormat::text;
  Limits limits;
  limits.max_input_bytes = o.max_input_bytes;
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
  auto out = *format == SignatureFormat::macho ? render_macho(bytes, limits, o.json)
                                               : render_raw(bytes, *format, limits, o.json);
  if (!out) return report_error(out.error(), errors);
  return write_stdout(*out, kExitOk);
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto o = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Print the code signature of a Mach-O file, a raw SuperBlob or a raw CodeDirectory");
  cmd->add_flag("--json", o->json, "Write JSON (docs/json-schema.md); a rejected input is reported as JSON too");
  add_max_input_bytes_option(*cmd, o->max_input_bytes);
  cmd->add_option("FILE", o->input, "Input file, or - for standard input")->required();
  cmd->callback([o] { finish(run_inspect(*o)); });
}

}  // namespace entsig::tools

// inspect's text lines. Names follow codesign -dvvv where it has one (Identifier=,
// TeamIdentifier=, CDHash=, Authority=, Signed Time=); the rest use the model's names.
#include "signature_text.h"

namespace entsig::tools {
namespace {

using namespace codesign;

void line(std::string& out, const std::string& text) {
  out += text;
  out += '\n';
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string hex_digits(std::uint32_t version) {
  const std::string hex = format_hex(version);
  return hex.substr(2);  // codesign prints v=20400
}

void append_code_directory(std::string& out, const CodeDirectory& cd) {
  line(out, "CodeDirectory v=" + hex_digits(cd.version) + " size=" + std::to_string(cd.length) +
                " flags=" + format_flags(cd.flags) + " hashes=" + std::to_string(cd.code_slot_count) + "+" +
                std::to_string(cd.special_slot_count) + " slot=" + slot_name(cd.slot) +
                " offset=" + std::to_string(cd.file_offset));
  line(out, "Identifier=" + cd.identifier);
  line(out, "TeamIdentifier=" + cd.team_id.value_or("not set"));
  line(out, "Hash type=" + hash_type_name(cd.hash_type) + " size=" + std::to_string(cd.hash_size));
  line(out, "Page size=" + std::to_string(cd.page_size()));
  line(out, "Code limit=" + std::to_string(cd.code_limit()));
  if (cd.platform != 0) line(out, "Platform identifier=" + std::to_string(cd.platform));
  if (cd.has_runtime()) line(out, "Runtime Version=" + format_runtime_version(cd.runtime));
  if (cd.has_exec_segment()) {
    auto names = exec_seg_flag_names(cd.exec_seg_flags);
    line(out, "Executable segment base=" + std::to_string(cd.exec_seg_base) + " limit=" +
                  std::to_string(cd.exec_seg_limit) + " flags=" + format_hex(cd.exec_seg_flags) + "(" +
                  (names.empty() ? std::string("none") : join(names, ",")) + ")");
  }
  line(out, "CDHash=" + cd.cdhash_hex());
  line(out, "CandidateCDHashFull " + hash_type_name(cd.hash_type) + "=" + cd.cdhash_full.hex());
}

void append_cdhash_list(std::string& out, const std::string& label, const std::optional<std::vector<CmsCdHash>>& list) {
  if (!list) return;
  for (const CmsCdHash& h : *list)
    line(out, label + (h.algorithm ? " " + h.algorithm->name : std::string()) + "=" + h.hex());
}

void append_cms(std::string& out, const std::optional<CmsSignature>& cms) {
  if (!cms) {
    line(out, "Signature=none (no CMS blob)");
    return;
  }
  if (cms->empty) {
    line(out, "Signature=adhoc (empty CMS blob)");
    return;
  }
  line(out, "Signature size=" + std::to_string(cms->length));
  for (std::size_t i = 0; i < cms->signers.size(); ++i) {
    const CmsSigner& s = cms->signers[i];
    line(out, "Signer " + std::to_string(i) + " digest=" + s.digest_algorithm.name + " signature=" + s.signature_algorithm);
    for (std::size_t index : s.chain) {
      const CmsCertificate& c = cms->certificates[index];
      line(out, "Authority=" + c.common_name.value_or(c.subject));
    }
    if (!s.certificate) line(out, "Authority=(signer certificate not in the SignedData)");
    line(out, "Signed Time=" + s.signing_time.value_or("none"));
    append_cdhash_list(out, "Signed CDHash", s.cdhashes_v1);
    append_cdhash_list(out, "Signed CDHash V2", s.cdhashes_v2);
  }
  for (std::size_t i = 0; i < cms->certificates.size(); ++i) {
    const CmsCertificate& c = cms->certificates[i];
    line(out, "Certificate " + std::to_string(i) + " subject=" + c.subject);
    line(out, "Certificate " + std::to_string(i) + " issuer=" + c.issuer + " serial=" + c.serial + " valid=" +
                  c.not_before + ".." + c.not_after);
  }
}

void append_block(std::string& out, const std::string& label, const std::optional<std::string>& text) {
  if (!text) {
    line(out, label + "=none");
    return;
  }
  line(out, label + ":");
  out += *text;
  if (!text->empty() && text->back() != '\n') out += '\n';
}

// A value as XML, or the writer's error (past the output budget) in its place.
std::optional<std::string> xml_or_error(const plist::Value& root) {
  auto xml = plist::write_xml(root);
  return xml ? std::move(*xml) : "error: " + xml.error().describe() + "\n";
}

std::optional<std::string> payload_text(const Signature& sig, std::uint32_t slot) {
  const Blob* blob = sig.find_blob(slot);
  if (!blob) return std::nullopt;
  const Bytes p = blob->payload();
  return std::string(reinterpret_cast<const char*>(p.data()), p.size());
}

}  // namespace

void append_signature_text(std::string& out, const SignatureDetails& details, std::uint64_t size) {
  const Signature& sig = details.signature;
  line(out, "Signature offset=" + std::to_string(sig.file_offset) + " size=" + std::to_string(size) +
                " magic=" + magic_name(sig.magic) + " length=" + std::to_string(sig.length) +
                " blobs=" + std::to_string(sig.blobs.size()));
  for (const Blob& b : sig.blobs)
    line(out, "Blob slot=" + slot_name(b.slot) + " magic=" + magic_name(b.magic) + " offset=" +
                  std::to_string(b.file_offset) + " length=" + std::to_string(b.length));
  for (const CodeDirectory& cd : sig.code_directories) append_code_directory(out, cd);
  append_cms(out, details.cms);
  // The XML entitlements as signed (the strict reader accepted them, so they are text).
  append_block(out, "Entitlements", details.entitlements ? payload_text(sig, kSlotEntitlements) : std::nullopt);
  append_block(out, "DER Entitlements",
               details.der_entitlements ? xml_or_error(details.der_entitlements->root()) : std::nullopt);
  append_block(out, "Requirements", details.requirements);
  for (const Diagnostic& d : sig.diagnostics)
    line(out, "Diagnostic " + std::string(d.id) + " at offset " + std::to_string(d.offset) + ": " + d.message);
}

}  // namespace entsig::tools

// Input detection for the signature verbs, and decoding of the blobs a signature carries.
#include "signature_input.h"

#include "entsig/macho.h"
#include "entsig/requirements.h"

namespace entsig::tools {
namespace {

// Readers of embedded payloads report offsets within the payload; the CLI reports offsets
// in the file.
Error at_absolute(Error error, std::uint64_t payload_offset) {
  error.offset += payload_offset;
  return error;
}

std::uint64_t payload_offset(const codesign::Blob& blob) { return blob.file_offset + 8; }

}  // namespace

std::string_view signature_format_name(SignatureFormat format) {
  switch (format) {
    case SignatureFormat::macho: return "macho";
    case SignatureFormat::superblob: return "superblob";
    case SignatureFormat::code_directory: return "code-directory";
  }
  return "macho";
}

Result<SignatureFormat> detect_signature_format(Bytes input) {
  if (input.empty()) return make_error(ErrorCode::core_empty_input, 0);
  if (macho::has_macho_magic(input)) return SignatureFormat::macho;
  const auto magic = Cursor(input).u32_at(0, Endian::big);
  if (magic == codesign::kMagicEmbeddedSignature) return SignatureFormat::superblob;
  if (magic == codesign::kMagicCodeDirectory) return SignatureFormat::code_directory;
  return make_error(ErrorCode::core_unknown_format, 0,
                    "expected a Mach-O file, an embedded signature (0xfade0cc0) or a CodeDirectory (0xfade0c02)");
}

Result<SignatureDetails> read_signature_details(codesign::Signature signature, Budget& budget) {
  SignatureDetails out;
  out.signature = std::move(signature);
  const codesign::Signature& sig = out.signature;
  if (const codesign::Blob* blob = sig.find_blob(codesign::kSlotEntitlements)) {
    auto doc = plist::read_xml(blob->payload(), plist::XmlOptions::strict(), budget);
    if (!doc) return at_absolute(doc.take_error(), payload_offset(*blob));
    out.entitlements = std::move(*doc);
  }
  if (const codesign::Blob* blob = sig.find_blob(codesign::kSlotDerEntitlements)) {
    // Lenient: ldid and ChOma write the bare SET form (codesign-rules E); what was relaxed
    // is reported beside the value.
    auto doc = der::read_der(blob->payload(), der::DerOptions::lenient(), budget, &out.der_deviations);
    if (!doc) return at_absolute(doc.take_error(), payload_offset(*blob));
    out.der_entitlements = std::move(*doc);
  }
  if (const codesign::Blob* blob = sig.requirements()) {
    auto text = codesign::requirements_text(blob->data, {}, blob->file_offset);
    if (!text) return text.take_error();
    out.requirements = std::move(*text);
  }
  if (auto cms = codesign::parse_signature_cms(sig)) {
    if (!*cms) return cms->take_error();
    out.cms = std::move(cms->value());
  }
  return out;
}

}  // namespace entsig::tools

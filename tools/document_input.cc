// Input format detection shared by convert and check. DER is recognised by its first tag, so
// it is tried before the plist reader (whose error for unknown input is the final word).
#include "document_input.h"

#include "entsig/entitlements.h"

namespace entsig::tools {
namespace {

constexpr unsigned char kDerApplication16 = 0x70;  // [APPLICATION 16], constructed
constexpr unsigned char kDerSet = 0x31;            // SET, constructed (legacy form)

// Tagged JSON is recognised by its first member: '{', whitespace, "type". A bare '{' is not
// enough: OpenStep plists (not supported) start that way too, and should read as unknown.
bool looks_like_tagged_json(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const std::size_t brace = text.find_first_not_of(kWhitespace);
  if (brace == std::string_view::npos || text[brace] != '{') return false;
  const std::size_t member = text.find_first_not_of(kWhitespace, brace + 1);
  return member != std::string_view::npos && text.substr(member).starts_with("\"type\"");
}

}  // namespace

InputFormat detect_input(std::string_view bytes, const der::DerOptions& der) {
  if (entitlements::has_der_blob_magic(as_bytes(bytes))) return InputFormat::der_blob;
  if (!bytes.empty()) {
    const auto first = static_cast<unsigned char>(bytes[0]);
    if (first == kDerApplication16 || (first == kDerSet && der.allow_set_form)) return InputFormat::der;
  }
  if (plist::detect_format(as_bytes(bytes)) == plist::Format::unknown && looks_like_tagged_json(bytes))
    return InputFormat::tagged_json;
  return InputFormat::plist;
}

Result<plist::Document> read_document(std::string_view bytes, const plist::ReadOptions& plist,
                                      const der::DerOptions& der) {
  Budget budget(plist.limits);
  return read_document(bytes, plist, der, budget);
}

Result<plist::Document> read_document(std::string_view bytes, const plist::ReadOptions& plist,
                                      const der::DerOptions& der, Budget& budget) {
  switch (detect_input(bytes, der)) {
    case InputFormat::der_blob: return entitlements::read_der_blob(as_bytes(bytes), der, budget);
    case InputFormat::der: return der::read_der(as_bytes(bytes), der, budget);
    case InputFormat::tagged_json: return plist::read_tagged_json(bytes, budget);
    case InputFormat::plist: break;
  }
  return plist::read_any(as_bytes(bytes), plist, budget);
}

std::optional<Error> reject_by_first_byte(Bytes head, const plist::ReadOptions& plist, const der::DerOptions& der) {
  if (head.empty()) return std::nullopt;
  switch (head[0]) {
    case 0xEF: case ' ': case '\t': case '\n': case '\r':  // BOM, whitespace: the format comes later
    case '<': case 'b': case '{': case kDerApplication16: case kDerSet: case 0xfa:
    case 0xfe: case 0xce: case 0xcf: case 0xca:  // Mach-O magics (check reads those)
      return std::nullopt;
    default:
      break;
  }
  // Nothing after the first byte is looked at: the head's answer is the whole input's.
  auto doc = read_document(std::string_view(reinterpret_cast<const char*>(head.data()), head.size()), plist, der);
  if (doc || doc.error().code != ErrorCode::core_unknown_format || doc.error().offset != 0) return std::nullopt;
  return doc.take_error();
}

}  // namespace entsig::tools

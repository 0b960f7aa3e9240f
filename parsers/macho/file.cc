// Entry point: thin or fat by magic; Slice helpers.
#include <new>

#include "internal.h"

namespace entsig::macho {

bool has_macho_magic(Bytes input) {
  auto magic = Cursor(input).u32_at(0, Endian::big);
  if (!magic) return false;
  switch (*magic) {
    case kMagic32: case kMagic64: case 0xcefaedfe: case 0xcffaedfe:
    case kFatMagic: case kFatMagic64:
      return true;
    default:
      return false;
  }
}

Result<File> parse(Bytes input, const Limits& limits, const ParseOptions& options) {
  if (input.size() > limits.max_input_bytes)
    return limit_error(ErrorCode::core_input_too_large, 0, "max_input_bytes", limits.max_input_bytes);
  try {
    auto magic = Cursor(input).u32_at(0, Endian::big);
    if (!magic) return make_error(ErrorCode::macho_header_truncated, input.size());
    if (*magic == kFatMagic || *magic == kFatMagic64)
      return detail::parse_fat(input, *magic == kFatMagic64, limits, options);
    auto slice = detail::parse_slice(input, 0, input.size(), options);
    if (!slice) return slice.take_error();
    File out;
    out.kind = FileKind::thin;
    out.data = input;
    out.slices.push_back(std::move(slice.value()));
    return out;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_internal, 0, "out of memory");
  }
}

const Segment* Slice::find_segment(std::string_view name) const {
  for (const auto& seg : segments)
    if (seg.name == name) return &seg;
  return nullptr;
}

Bytes Slice::signature_bytes() const {
  if (!code_signature) return {};
  // parse() checked dataoff + datasize against the slice size.
  return data.subspan(code_signature->dataoff, code_signature->datasize);
}

std::uint64_t Slice::signature_offset() const {
  return code_signature ? offset + code_signature->dataoff : 0;
}

std::string Slice::cpu_name() const { return macho::cpu_name(cpu_type, cpu_subtype); }
std::string Slice::file_type_name() const { return macho::file_type_name(file_type); }

}  // namespace entsig::macho

// Requirement and requirement-set blobs: headers, index and bounds, per Security's
// requirement.h (Requirement, Requirements = SuperBlob<0xfade0c01>) and superblob.h
// (SuperBlobCore::validateBlob). The expression itself is rendered in requirements_expr.cc.
#include <cstdio>
#include <iterator>
#include <new>

#include "entsig/requirements.h"
#include "requirements_expr.h"

namespace entsig::codesign {

namespace {

constexpr std::uint32_t requirement_header_size = 12;  // magic, length, kind
constexpr std::uint32_t set_header_size = 12;          // magic, length, count
constexpr std::uint32_t set_index_entry_size = 8;      // type, offset

Result<std::uint32_t> read_u32(const Cursor& c, std::uint64_t local, std::string_view what) {
  auto v = c.u32_at(local, Endian::big);
  if (!v) return make_error(ErrorCode::requirements_blob_truncated, c.offset_of(local), what);
  return *v;
}

std::string hex32(std::uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// magic + length, with length >= min_length and <= the bytes present.
Result<std::uint32_t> read_blob_header(const Cursor& c, std::uint32_t magic,
                                       std::uint32_t min_length) {
  auto found = read_u32(c, 0, "magic");
  if (!found.ok()) return found.take_error();
  if (found.value() != magic)
    return make_error(ErrorCode::requirements_blob_bad_magic, c.offset_of(0),
                      hex32(found.value()) + ", expected " + hex32(magic));
  auto length = read_u32(c, 4, "length");
  if (!length.ok()) return length.take_error();
  if (length.value() < min_length || length.value() > c.size())
    return make_error(ErrorCode::requirements_blob_bad_length, c.offset_of(4),
                      "length " + std::to_string(length.value()) + ", header needs " +
                          std::to_string(min_length) + ", " + std::to_string(c.size()) +
                          " bytes available");
  return length.value();
}

Result<Requirement> parse_requirement_impl(Bytes blob, const RequirementOptions& options,
                                           std::uint64_t base_offset) {
  const Cursor whole(blob, base_offset);
  auto length = read_blob_header(whole, requirement_magic, requirement_header_size);
  if (!length.ok()) return length.take_error();
  auto kind = read_u32(whole, 8, "kind");
  if (!kind.ok()) return kind.take_error();
  // Reader accepts exprForm (and lwcrForm, a DER form this decoder does not render).
  if (kind.value() != requirement_kind_expression)
    return make_error(ErrorCode::requirements_kind_unsupported, whole.offset_of(8),
                      kind.value() == 2 ? "kind 2 (lightweight code requirement, DER)"
                                        : "kind " + std::to_string(kind.value()));
  auto program = whole.sub(requirement_header_size, length.value() - requirement_header_size);
  if (!program) return make_error(ErrorCode::core_internal, whole.offset_of(0));
  auto rendered = requirements_detail::render_expression(*program, options.max_depth);
  if (!rendered.ok()) return rendered.take_error();
  if (rendered->text.size() > options.max_text_bytes)
    return make_error(ErrorCode::requirements_text_limit, base_offset,
                      "limit is " + std::to_string(options.max_text_bytes) +
                          " (raise RequirementOptions::max_text_bytes)");
  Requirement r;
  r.offset = base_offset;
  r.length = length.value();
  r.kind = kind.value();
  r.text = std::move(rendered->text);
  r.trailing_bytes = static_cast<std::uint32_t>(rendered->trailing_bytes);
  return r;
}

Result<RequirementSet> parse_set_impl(Bytes blob, const RequirementOptions& options,
                                      std::uint64_t base_offset) {
  const Cursor whole(blob, base_offset);
  auto length = read_blob_header(whole, requirement_set_magic, set_header_size);
  if (!length.ok()) return length.take_error();
  auto count = read_u32(whole, 8, "count");
  if (!count.ok()) return count.take_error();
  // The index must fit inside the set before any entry is read or anything is reserved;
  // 64-bit arithmetic, so a count like 0xFFFFFFFF cannot wrap.
  const std::uint64_t index_end =
      set_header_size + std::uint64_t{count.value()} * set_index_entry_size;
  if (index_end > length.value())
    return make_error(ErrorCode::requirements_set_count_out_of_range, whole.offset_of(8),
                      "count " + std::to_string(count.value()) + " needs " +
                          std::to_string(index_end) + " bytes, length is " +
                          std::to_string(length.value()));
  const Cursor set(blob.first(length.value()), base_offset);
  RequirementSet out;
  out.offset = base_offset;
  out.length = length.value();
  std::uint64_t text_bytes = 0;
  for (std::uint32_t i = 0; i < count.value(); ++i) {
    const std::uint64_t entry_at = set_header_size + std::uint64_t{i} * set_index_entry_size;
    auto type = read_u32(set, entry_at, "index type");
    auto offset = read_u32(set, entry_at + 4, "index offset");
    if (!type.ok()) return type.take_error();
    if (!offset.ok()) return offset.take_error();
    // SuperBlobCore::validateBlob: an entry may not point into the header or index, and a
    // blob header must fit. (Security skips offset 0 as unused, but its dumper would then
    // dereference a null blob; here it is an error like any other offset inside the index.)
    if (offset.value() < index_end || std::uint64_t{offset.value()} + 8 > length.value())
      return make_error(ErrorCode::requirements_set_offset_out_of_range, set.offset_of(entry_at + 4),
                        "offset " + std::to_string(offset.value()) + ", index ends at " +
                            std::to_string(index_end) + ", length is " +
                            std::to_string(length.value()));
    // The entry's own length is checked against the rest of the set by parse_requirement.
    auto requirement = parse_requirement_impl(blob.subspan(offset.value(), length.value() - offset.value()),
                                              options, base_offset + offset.value());
    if (!requirement.ok()) return requirement.take_error();
    text_bytes += requirement->text.size();
    if (text_bytes > options.max_text_bytes)
      return make_error(ErrorCode::requirements_text_limit, base_offset + offset.value(),
                        "limit is " + std::to_string(options.max_text_bytes) +
                            " (raise RequirementOptions::max_text_bytes)");
    out.entries.push_back({type.value(), offset.value(), std::move(requirement.value())});
  }
  return out;
}

}  // namespace

std::string requirement_type_name(std::uint32_t type) {
  // Requirement::typeNames; other values as Dumper::dump prints them ("%d").
  static const char* const names[] = {"invalid", "host", "guest", "designated", "library", "plugin"};
  if (type < std::size(names)) return names[type];
  return "/*unknown type*/ " + std::to_string(static_cast<std::int32_t>(type));
}

const RequirementSetEntry* RequirementSet::find(RequirementType type) const {
  for (const auto& e : entries)
    if (e.type == static_cast<std::uint32_t>(type)) return &e;
  return nullptr;
}

std::string RequirementSet::text() const {
  std::string out;
  for (const auto& e : entries) {
    out += requirement_type_name(e.type);
    out += " => ";
    out += e.requirement.text;
    out += '\n';
  }
  return out;
}

Result<Requirement> parse_requirement(Bytes blob, const RequirementOptions& options,
                                      std::uint64_t base_offset) {
  try {
    return parse_requirement_impl(blob, options, base_offset);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, base_offset, "out of memory");
  }
}

Result<RequirementSet> parse_requirement_set(Bytes blob, const RequirementOptions& options,
                                             std::uint64_t base_offset) {
  try {
    return parse_set_impl(blob, options, base_offset);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, base_offset, "out of memory");
  }
}

Result<std::string> requirements_text(Bytes blob, const RequirementOptions& options,
                                      std::uint64_t base_offset) {
  const Cursor whole(blob, base_offset);
  auto magic = whole.u32_at(0, Endian::big);
  if (!magic) return make_error(ErrorCode::requirements_blob_truncated, base_offset, "magic");
  if (*magic == requirement_magic) {
    auto r = parse_requirement(blob, options, base_offset);
    if (!r.ok()) return r.take_error();
    return r->text + "\n";
  }
  if (*magic == requirement_set_magic) {
    auto set = parse_requirement_set(blob, options, base_offset);
    if (!set.ok()) return set.take_error();
    return set->text();
  }
  return make_error(ErrorCode::requirements_blob_bad_magic, base_offset, hex32(*magic));
}

}  // namespace entsig::codesign

// The error table: built from errors/*.def and checked at compile time.
#include <algorithm>
#include <array>

#include "entsig/core.h"

namespace entsig {
namespace {

constexpr ErrorInfo kErrorTable[] = {
#define ENTSIG_ERROR_AREA(area, base)
#define ENTSIG_ERROR(name, id, kind, message) {ErrorCode::name, id, ErrorKind::kind, message},
#include "entsig/errors/all.def"
#undef ENTSIG_ERROR
#undef ENTSIG_ERROR_AREA
};

constexpr std::size_t kErrorCount = std::size(kErrorTable);

// Codes must be strictly increasing (area ranges must not overlap) so lookup can bisect.
constexpr bool codes_increase() {
  for (std::size_t i = 1; i < kErrorCount; ++i)
    if (static_cast<unsigned>(kErrorTable[i - 1].code) >= static_cast<unsigned>(kErrorTable[i].code))
      return false;
  return true;
}
static_assert(codes_increase(), "error areas overlap or codes are out of order");

// Ids must be unique and of the form "<area>.<what>".
constexpr bool ids_unique_and_dotted() {
  for (std::size_t i = 0; i < kErrorCount; ++i) {
    if (kErrorTable[i].id.find('.') == std::string_view::npos) return false;
    if (kErrorTable[i].message.empty()) return false;
    for (std::size_t j = i + 1; j < kErrorCount; ++j)
      if (kErrorTable[i].id == kErrorTable[j].id) return false;
  }
  return true;
}
static_assert(ids_unique_and_dotted(), "error ids must be unique, dotted, with a message");

const ErrorInfo& unknown_info() { return kErrorTable[0]; }

}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  const auto* end = kErrorTable + kErrorCount;
  const auto* it = std::lower_bound(kErrorTable, end, code, [](const ErrorInfo& info, ErrorCode c) {
    return static_cast<unsigned>(info.code) < static_cast<unsigned>(c);
  });
  if (it == end || it->code != code) return unknown_info();
  return *it;
}

std::string_view error_id(ErrorCode code) {
  if (code == ErrorCode::ok) return "ok";
  return error_info(code).id;
}

ErrorKind error_kind(ErrorCode code) { return error_info(code).kind; }

std::optional<ErrorCode> error_code_from_id(std::string_view id) {
  for (const auto& info : kErrorTable)
    if (info.id == id) return info.code;
  return std::nullopt;
}

std::span<const ErrorInfo> all_error_infos() { return {kErrorTable, kErrorCount}; }

std::string Error::describe() const {
  std::string out(id());
  out += " at offset ";
  out += std::to_string(offset);
  out += ": ";
  out += message;
  return out;
}

Error make_error(ErrorCode code, std::uint64_t offset, std::string_view detail) {
  Error e;
  e.code = code;
  e.offset = offset;
  e.message = std::string(error_info(code).message);
  if (!detail.empty()) {
    e.message += ": ";
    e.message += detail;
  }
  return e;
}

Error limit_error(ErrorCode code, std::uint64_t offset, std::string_view limit_field,
                  std::uint64_t limit_value) {
  std::string detail = "limit is " + std::to_string(limit_value) + " (raise Limits::" +
                       std::string(limit_field) + " or the matching command-line option)";
  return make_error(code, offset, detail);
}

}  // namespace entsig

// The run budget: overflow-safe accumulation against the configured caps.
#include "entsig/core.h"

namespace entsig {
namespace {

// Adds n to spent unless the sum passes cap (or wraps); spent is left unchanged on failure.
bool spend(std::uint64_t& spent, std::uint64_t n, std::uint64_t cap) {
  const auto total = checked_add(spent, n);
  if (!total || *total > cap) return false;
  spent = *total;
  return true;
}

}  // namespace

Status Budget::charge_expanded(std::uint64_t n, std::uint64_t offset) {
  if (!spend(expanded_bytes_, n, limits_.max_expanded_bytes))
    return limit_error(ErrorCode::core_budget_expanded_bytes, offset, "max_expanded_bytes",
                       limits_.max_expanded_bytes);
  return Ok{};
}

Status Budget::charge_output(std::uint64_t n) {
  if (!spend(output_bytes_, n, limits_.max_output_bytes))
    return limit_error(ErrorCode::core_budget_output_bytes, output_bytes_, "max_output_bytes",
                       limits_.max_output_bytes);
  return Ok{};
}

}  // namespace entsig

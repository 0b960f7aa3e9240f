// The run budget's slow path: the limit errors. The accounting itself is inline in core.h;
// spent never passes its cap (a charge that would is refused whole), so the subtraction
// there cannot wrap.
#include "entsig/core.h"

namespace entsig {

Error Budget::expanded_exhausted(std::uint64_t offset) const {
  return limit_error(ErrorCode::core_budget_expanded_bytes, offset, "max_expanded_bytes",
                     limits_.max_expanded_bytes);
}

Error Budget::output_exhausted() const {
  return limit_error(ErrorCode::core_budget_output_bytes, output_bytes_, "max_output_bytes",
                     limits_.max_output_bytes);
}

}  // namespace entsig

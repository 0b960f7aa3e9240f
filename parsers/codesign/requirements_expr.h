// Internal: renders one requirement expression program (the bytes after a 0xfade0c00
// header) to requirement language text.
#pragma once

#include <cstdint>
#include <string>

#include "entsig/core.h"

namespace entsig::codesign::requirements_detail {

struct RenderedExpression {
  std::string text;
  std::uint64_t trailing_bytes = 0;  // program bytes after the expression
};

// `program` starts at the first opcode; its base is the absolute offset of that opcode.
Result<RenderedExpression> render_expression(Cursor program, std::uint32_t max_depth);

}  // namespace entsig::codesign::requirements_detail

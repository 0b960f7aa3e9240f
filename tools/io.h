// Reading a verb's input (a file, or standard input for "-") and writing its output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "entsig/core.h"

namespace entsig::tools {

// The whole of `path` ("-" is standard input). Fails with core.io when it cannot be read and
// with core.input_too_large (offset max_bytes) when it holds more than max_bytes.
Result<std::string> read_input(const std::string& path, std::uint64_t max_bytes);

// Writes `bytes` to `path`, or to standard output when path is empty or "-". On failure
// returns the line to print: "cannot write <path>: <reason>". (Not an entsig Error: those
// describe inputs.)
std::optional<std::string> write_output(const std::string& path, std::string_view bytes);

}  // namespace entsig::tools

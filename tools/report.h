// How verbs report a rejected input: one line on stderr, or one JSON object on stdout.
#pragma once

#include <string>

#include "entsig/core.h"

namespace entsig::tools {

enum class ErrorFormat : std::uint8_t {
  text,  // stderr: error: <id> at offset N: <message>
  json,  // stdout: {"error":{"code":"<id>","offset":N,"message":"..."}}
};

// The text line (without newline) and the JSON object for an error (docs/cli.md).
std::string error_line(const Error& error);
std::string error_json(const Error& error);

// Prints the error in `format` and returns the exit status for it: 1 (input rejected or a
// limit hit), or 3 when the error is of the internal kind.
int report_error(const Error& error, ErrorFormat format);

}  // namespace entsig::tools

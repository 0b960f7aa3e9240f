// How verbs report a rejected input: one line on stderr, or one JSON object on stdout.
#pragma once

#include <string>
#include <string_view>

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
// limit hit), or 3 when the error is of the internal kind. A JSON error that cannot be
// written is reported as report_write_failure does.
int report_error(const Error& error, ErrorFormat format);

// For a verb's output that could not be written (write_output's line): prints
// "error: <failure>" on standard error, in every output format, and returns 1.
int report_write_failure(const std::string& failure);

// Writes a verb's output to standard output; the exit status is `status`, or that of
// report_write_failure when the write fails.
int write_stdout(std::string_view out, int status);

}  // namespace entsig::tools

// Error reporting shared by every verb.
#include "report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "io.h"

namespace entsig::tools {

std::string error_line(const Error& error) { return "error: " + error.describe(); }

std::string error_json(const Error& error) {
  nlohmann::ordered_json j;
  j["error"]["code"] = std::string(error.id());
  j["error"]["offset"] = error.offset;
  j["error"]["message"] = error.message;
  // Messages quote input text; replace, rather than throw on, anything that is not UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int report_error(const Error& error, ErrorFormat format) {
  const int status = error.kind() == ErrorKind::internal ? kExitInternal : kExitRejected;
  if (format == ErrorFormat::json) return write_stdout(error_json(error) + "\n", status);
  const std::string out = error_line(error) + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  return status;
}

int report_write_failure(const std::string& failure) {
  std::fprintf(stderr, "error: %s\n", failure.c_str());
  // Status 1, as for an input that cannot be read: nothing broke inside entsig (docs/cli.md).
  return kExitRejected;
}

int write_stdout(std::string_view out, int status) {
  if (auto failure = write_output("-", out)) return report_write_failure(*failure);
  return status;
}

}  // namespace entsig::tools

// Error reporting shared by every verb.
#include "report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"

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
  if (format == ErrorFormat::json) {
    std::string out = error_json(error) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  } else {
    std::string out = error_line(error) + "\n";
    std::fwrite(out.data(), 1, out.size(), stderr);
  }
  return error.kind() == ErrorKind::internal ? kExitInternal : kExitRejected;
}

}  // namespace entsig::tools

// entsig conform: adapters, the readers under test. Built-in ones call entsig's parsers in
// process; command adapters follow the protocol of conformance/ADAPTERS.md.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/plist.h"

namespace entsig::tools::conform {

// What an adapter did with one case's input.
struct Observation {
  enum class Kind : std::uint8_t { accepted, rejected, unrepresentable, crashed, timed_out, skipped };
  Kind kind = Kind::skipped;
  std::optional<plist::Document> value;  // accepted: the output read as tagged JSON
  std::string output;                    // accepted: the output text (tagged JSON), as printed
  std::string output_error;              // accepted: why the output is not tagged JSON
  std::string error_id;                  // rejected by a built-in adapter: the entsig error id
  std::string message;                   // rejection message, crash description, unrepresentable reason
  std::string stderr_text;
  double seconds = 0;
};
std::string_view kind_name(Observation::Kind k);

// Reads an adapter's accepted output: tagged JSON, or {"unrepresentable": "reason"}.
void interpret_output(Observation& o, std::string text);

// One worker's handle on an adapter (command adapters keep their batch processes here).
class AdapterSession {
 public:
  virtual ~AdapterSession() = default;
  virtual Observation run(const std::string& area, const std::string& case_id, std::string_view input) = 0;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual const std::string& name() const = 0;
  virtual std::string kind() const = 0;         // "builtin" or "command"
  virtual std::string description() const = 0;  // the preset, or the command line
  // The reader's version where known (entsig's, or "version" from --capabilities); baselines keep it.
  virtual std::string version() const { return {}; }
  virtual bool supports(const std::string& area) const = 0;
  // Which expectation applies: "" the hardened one, "cf" the CoreFoundation-compatible one.
  virtual std::string profile() const { return {}; }
  // Built-in adapters report entsig error ids, so rejections are checked down to the id.
  virtual bool reports_error_ids() const { return false; }
  virtual std::unique_ptr<AdapterSession> open_session() const = 0;
};

// "entsig" (strict presets) and "entsig-cf" (cf_compat; DerOptions::lenient() for DER).
std::unique_ptr<Adapter> make_builtin_adapter(std::string_view name);  // nullptr if unknown
std::vector<std::string> builtin_adapter_names();

struct CommandOptions {
  std::chrono::duration<double> timeout{5.0};
  bool allow_batch = true;  // false: one process per case even when the adapter offers --batch
};
// An external adapter run as `argv... <area>`. Asks `argv... --capabilities` once for its name,
// areas and batch mode. `fallback_name` names it when the adapter does not.
std::unique_ptr<Adapter> make_command_adapter(std::vector<std::string> argv, std::string fallback_name,
                                              const CommandOptions& options);

}  // namespace entsig::tools::conform

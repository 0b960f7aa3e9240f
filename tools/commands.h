// The entsig verbs. Each verb lives in its own file and adds its subcommand to the app;
// main.cc calls every add_*_command. Adding a verb: a new <verb>.cc with an
// add_<verb>_command, its declaration here, one call in main.cc, one line in CMakeLists.txt.
#pragma once

#include <CLI/CLI.hpp>

namespace entsig::tools {

// Exit statuses, the same for every verb (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // input rejected, or findings
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitInternal = 3;  // an invariant of ours broke, or output could not be written

// Ends a verb's callback. CLI11 callbacks return nothing, so a non-zero status travels to
// main as CLI::RuntimeError, which CLI::App::exit passes through without printing.
inline void finish(int status) {
  if (status != kExitOk) throw CLI::RuntimeError(status);
}

void add_convert_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_conform_command(CLI::App& app);

}  // namespace entsig::tools

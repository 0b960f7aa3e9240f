// The entsig command: registers every verb, runs the one named, maps failures to exit
// statuses (docs/cli.md): usage errors 2, internal errors 3.
#include <cstdio>
#include <exception>
#include <new>

#include "commands.h"

#ifndef ENTSIG_VERSION
#define ENTSIG_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace entsig::tools;
  CLI::App app{"entsig: hardened parsers for Apple entitlement plists and code signatures", "entsig"};
  app.set_version_flag("--version", "entsig " ENTSIG_VERSION);
  app.require_subcommand(1);
  add_convert_command(app);
  add_check_command(app);
  add_inspect_command(app);
  add_verify_command(app);
  add_conform_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a verb's own status (finish)
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::fputs("error: internal: out of memory\n", stderr);
    return kExitInternal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return kExitInternal;
  }
  return kExitOk;
}

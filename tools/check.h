// Shared by the check_*.cc files of `entsig check`: a finding located in a file, what the
// command line overrides, and the three steps (entitlement files, Mach-O, bundles) and the
// three output formats.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "entsig/core.h"
#include "entsig/entitlements.h"

namespace entsig::tools::check {

// A finding and the file it was found in (as shown: the argument, or argument/relative path).
struct Located {
  std::string file;
  entitlements::Finding finding;
};

// What --kind and --hardened-runtime / --no-hardened-runtime say; they replace what is read
// from the input (for a bundle, from its main executable).
struct Overrides {
  std::optional<entitlements::Kind> kind;
  std::optional<bool> hardened_runtime;
};

// Walk limits for bundle directories: a bundle is a tree of files we read, so its size is
// bounded like any other input.
inline constexpr std::size_t kMaxBundleFiles = 100000;  // far above any shipping app's file count
inline constexpr int kMaxBundleDepth = 64;               // nesting in real bundles stays under 20

// Mach-O magic (thin or fat). 0xcafebabe also starts Java class files: as in LLVM's
// identify_magic, a fat header counts only when its architecture count is below 43 (class
// files have their major version, 45 or more, there).
bool looks_like_macho(Bytes first_bytes);

// Each step takes the run's Limits (--max-input-bytes sets max_input_bytes).

// An entitlements file (plist, tagged JSON, DER): root must be a dict. Kind defaults to app.
Result<std::vector<entitlements::Finding>> check_entitlements_bytes(std::string_view bytes, const Overrides& overrides,
                                                                    const Limits& limits);
// For a stream (io.h EarlyReject): the error check gives every input starting with `head`,
// when its first byte starts neither a Mach-O nor an entitlements format.
std::optional<Error> reject_stream_early(Bytes head, const Limits& limits);
// A thin or fat Mach-O: every signed slice, with its own context; findings of all slices
// merged, those of some slices only marked with their architectures. `bundle_kind` is the
// kind the enclosing bundle gives a main executable (sysext, dext), applied before overrides.
Result<std::vector<entitlements::Finding>> check_macho_bytes(Bytes bytes, const Overrides& overrides,
                                                             std::optional<entitlements::Kind> bundle_kind,
                                                             const Limits& limits);
// A bundle directory: its main executable in the bundle's context, every other Mach-O inside
// in its own (a dylib as a library, a nested .systemextension's executable as a sysext).
// Files are mapped (io.h open_input), each refused above the limit before it is read.
Result<std::vector<Located>> check_bundle(const std::string& path, const Overrides& overrides, const Limits& limits);
// Any FILE argument: directory, Mach-O, or entitlements file.
Result<std::vector<Located>> check_path(const std::string& path, const Overrides& overrides, const Limits& limits);

// Outputs (docs/cli.md): compiler-style lines, JSON, SARIF 2.1.0.
std::string render_text(const std::vector<Located>& findings);
std::string render_json(const std::vector<Located>& findings);
std::string render_sarif(const std::vector<Located>& findings);

// Percent-encodes a file path as a SARIF artifact URI: relative paths stay relative, absolute
// ones become file:// URIs.
std::string path_to_uri(std::string_view path);

}  // namespace entsig::tools::check

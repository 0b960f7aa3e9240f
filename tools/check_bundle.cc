// `entsig check` on a bundle directory. The main executable is named by CFBundleExecutable in
// Contents/Info.plist (macOS layout, executable in Contents/MacOS) or in a top-level
// Info.plist (iOS-style and DriverKit flat bundles). Every Mach-O in the tree is checked in its
// own context: a dylib as a library, a plug-in as a plug-in, the executable of a nested
// .systemextension or .dext as one. Symbolic links are not followed (a framework's
// Versions/Current is the same files again), and the walk is bounded like any input.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "check.h"
#include "entsig/plist.h"
#include "io.h"

namespace entsig::tools::check {
namespace {

namespace fs = std::filesystem;
using entitlements::Kind;

Error with_path(Error e, const std::string& shown) {
  e.message += " (in " + shown + ")";
  return e;
}

Error io_error(const fs::path& path, const std::error_code& ec) {
  return make_error(ErrorCode::core_io, 0, path.string() + ": " + ec.message());
}

struct Tree {
  std::vector<fs::path> files;        // regular files, sorted
  std::vector<fs::path> directories;  // sorted
};

Result<Tree> walk(const fs::path& root) {
  Tree tree;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return io_error(root, ec);
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return io_error(root, ec);
    if (it.depth() >= kMaxBundleDepth)
      return make_error(ErrorCode::entitlements_bundle_depth_limit, 0,
                        "limit is " + std::to_string(kMaxBundleDepth) + " levels: " + it->path().string());
    const fs::file_status status = it->symlink_status(ec);
    if (ec) return io_error(it->path(), ec);
    if (fs::is_directory(status)) {
      tree.directories.push_back(it->path());
    } else if (fs::is_regular_file(status)) {
      if (tree.files.size() == kMaxBundleFiles)
        return make_error(ErrorCode::entitlements_bundle_files_limit, 0,
                          "limit is " + std::to_string(kMaxBundleFiles) + " files");
      tree.files.push_back(it->path());
    }
  }
  std::sort(tree.files.begin(), tree.files.end());
  std::sort(tree.directories.begin(), tree.directories.end());
  return tree;
}

bool is_regular(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(p, ec));
}

// The kind a bundle's extension gives its main executable, if any.
std::optional<Kind> kind_of_bundle(const fs::path& dir) {
  const std::string ext = dir.extension().string();
  if (ext == ".systemextension") return Kind::sysext;
  if (ext == ".dext") return Kind::dext;
  return std::nullopt;
}

// The main executable of the bundle at `dir`. For the checked bundle itself a missing piece is
// an error; for nested bundles it only means there is no main executable to single out.
Result<std::optional<fs::path>> main_executable(const fs::path& dir, bool required, const Limits& limits) {
  fs::path info = dir / "Contents" / "Info.plist";
  fs::path exe_dir = dir / "Contents" / "MacOS";
  if (!is_regular(info)) {
    info = dir / "Info.plist";
    exe_dir = dir;
  }
  auto fail = [&](ErrorCode code) -> Result<std::optional<fs::path>> {
    if (!required) return std::optional<fs::path>();
    return make_error(code, 0, dir.string());
  };
  if (!is_regular(info)) return fail(ErrorCode::entitlements_bundle_no_info_plist);
  auto bytes = open_input(info.string(), limits.max_input_bytes);
  if (!bytes) return with_path(bytes.take_error(), info.string());
  // Info.plist is not what check judges; read it as CoreFoundation would.
  auto doc = plist::read_any(bytes->bytes(), plist::ReadOptions::cf_compat());
  if (!doc) return required ? Result<std::optional<fs::path>>(with_path(doc.take_error(), info.string()))
                            : Result<std::optional<fs::path>>(std::optional<fs::path>());
  const plist::Value* name = doc->root().is(plist::Type::dict) ? doc->root().find("CFBundleExecutable") : nullptr;
  if (!name || !name->is(plist::Type::string)) return fail(ErrorCode::entitlements_bundle_no_executable);
  const std::string_view text = name->as_string();
  if (text.empty() || text == "." || text == ".." || text.find('/') != std::string_view::npos ||
      text.find('\0') != std::string_view::npos)
    return fail(ErrorCode::entitlements_bundle_no_executable);
  const fs::path exe = exe_dir / std::string(text);
  if (!is_regular(exe)) return fail(ErrorCode::entitlements_bundle_executable_missing);
  return std::optional<fs::path>(exe.lexically_normal());
}

// The first bytes of a file, enough to recognise a Mach-O.
std::string head_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[8] = {};
  in.read(buf, sizeof buf);
  return std::string(buf, static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
}

std::string shown_path(const std::string& argument, const fs::path& root, const fs::path& file) {
  const std::string relative = file.lexically_relative(root).generic_string();
  if (!argument.empty() && argument.back() == '/') return argument + relative;
  return argument + "/" + relative;
}

}  // namespace

Result<std::vector<Located>> check_bundle(const std::string& path, const Overrides& overrides, const Limits& limits) {
  const fs::path root(path);
  auto main = main_executable(root, true, limits);
  if (!main) return main.take_error();
  auto tree = walk(root);
  if (!tree) return tree.take_error();
  // Main executables of nested system and DriverKit extensions get their bundle's kind.
  std::map<fs::path, Kind> bundle_kinds;
  if (auto kind = kind_of_bundle(root)) bundle_kinds[**main] = *kind;
  for (const auto& dir : tree->directories) {
    auto kind = kind_of_bundle(dir);
    if (!kind) continue;
    auto exe = main_executable(dir, false, limits);
    if (exe && *exe) bundle_kinds[**exe] = *kind;
  }
  std::vector<Located> out;
  for (const auto& found : tree->files) {
    const fs::path file = found.lexically_normal();
    if (!looks_like_macho(as_bytes(head_of(file)))) continue;
    const std::string shown = shown_path(path, root, file);
    auto bytes = open_input(file.string(), limits.max_input_bytes);
    if (!bytes) return bytes.take_error();
    std::optional<Kind> kind;
    if (auto it = bundle_kinds.find(file); it != bundle_kinds.end()) kind = it->second;
    const bool is_main = file == **main;
    auto findings = check_macho_bytes(bytes->bytes(), is_main ? overrides : Overrides{}, kind, limits);
    if (!findings) return with_path(findings.take_error(), shown);
    for (auto& f : *findings) out.push_back({shown, std::move(f)});
  }
  return out;
}

}  // namespace entsig::tools::check

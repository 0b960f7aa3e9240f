// exception-unneeded: the executable-memory exceptions form a cascade, each covering the one
// before (allow-jit < allow-unsigned-executable-memory < disable-executable-page-protection,
// per the Disable Executable Memory Protection page); asking for two is asking for more than
// one needs. allow-unsigned-executable-memory on its own gets a note: its page warns that it
// exposes the app to memory-unsafe code.
#include <algorithm>
#include <array>
#include <iterator>

#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {

namespace {

// Where `key` first appears in the root dict: findings of one rule come in document order.
std::size_t position(const plist::Value& root, std::string_view key) {
  const auto entries = root.as_dict();
  const auto at = std::find_if(entries.begin(), entries.end(), [&](const plist::DictEntry& e) { return e.key == key; });
  return static_cast<std::size_t>(at - entries.begin());
}

}  // namespace

void check_exceptions(const plist::Value& root, std::vector<Finding>& all) {
  std::vector<Finding> out;
  constexpr std::array<std::string_view, 3> kCascade = {
      keys::kAllowJit, keys::kAllowUnsignedExecutableMemory, keys::kDisableExecutablePageProtection};
  std::string_view broadest;
  for (auto key : kCascade)
    if (is_true(root, key)) broadest = key;
  for (auto key : kCascade) {
    if (key == broadest) break;
    if (!is_true(root, key)) continue;
    out.push_back(make_finding(rule::kExceptionUnneeded, std::string(key),
                               std::string(key) + " is already covered by " + std::string(broadest) +
                                   "; use only the exception the app needs"));
  }
  if (is_true(root, keys::kAllowUnsignedExecutableMemory)) {
    Finding note = make_finding(rule::kExceptionUnneeded, std::string(keys::kAllowUnsignedExecutableMemory),
                                std::string(keys::kAllowUnsignedExecutableMemory) +
                                    " exposes the app to the flaws of memory-unsafe code; prefer " +
                                    std::string(keys::kAllowJit) + " (MAP_JIT) where it is enough");
    note.severity = Severity::note;
    out.push_back(std::move(note));
  }
  std::stable_sort(out.begin(), out.end(),
                   [&](const Finding& a, const Finding& b) { return position(root, a.key) < position(root, b.key); });
  std::move(out.begin(), out.end(), std::back_inserter(all));
}

}  // namespace entsig::entitlements

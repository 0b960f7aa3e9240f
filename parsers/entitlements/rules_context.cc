// Rules that depend on what carries the entitlements: a library or plug-in (where they do
// nothing), a system or DriverKit extension (where runtime exceptions stop it loading), an
// executable without the hardened runtime (which notarization refuses).
#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {

void check_library(const plist::Value& root, const Context& context, std::vector<Finding>& out) {
  if (root.size() == 0) return;
  if (context.kind != Kind::library && context.kind != Kind::plugin) return;
  const std::string what = context.kind == Kind::library ? "library" : "in-process plug-in";
  out.push_back(make_finding(rule::kLibraryEntitlements, "",
                             "a " + what + " carries " + std::to_string(root.size()) +
                                 " entitlement(s), which have no effect: libraries and plug-ins inherit the "
                                 "entitlements of the executable that hosts them"));
}

void check_system_extension(const plist::Value& root, const Context& context, std::vector<Finding>& out) {
  if (context.kind != Kind::sysext && context.kind != Kind::dext) return;
  const bool dext = context.kind == Kind::dext;
  for (const auto& entry : root.as_dict()) {
    const KnownEntitlement* known = find_known(entry.key);
    if (!known || known->group != Group::runtime_exception || !is_true(root, entry.key)) continue;
    if (entry.key == keys::kAllowJit) {
      if (dext)
        out.push_back(make_finding(rule::kDextJit, std::string(entry.key),
                                   std::string(keys::kAllowJit) +
                                       " in a DriverKit extension: allow-jit is open only to system extensions "
                                       "that are not DriverKit extensions"));
      continue;
    }
    out.push_back(make_finding(rule::kSysextException, std::string(entry.key),
                               std::string(entry.key) + " is a hardened-runtime exception, which a " +
                                   (dext ? "DriverKit" : "system") +
                                   " extension may not use; macOS will not load it"));
  }
}

void check_runtime(const Context& context, std::vector<Finding>& out) {
  if (context.kind != Kind::app && context.kind != Kind::sysext) return;
  // Only a known absence counts; notarization is macOS's, and Apple's own code is not notarized.
  if (context.hardened_runtime != false || context.platform == Platform::other || context.platform_binary) return;
  const std::string what = context.kind == Kind::app ? "executable" : "system extension";
  out.push_back(make_finding(rule::kRuntimeMissing, "",
                             what + " is signed without the hardened runtime (CodeDirectory flag CS_RUNTIME, "
                                    "0x10000); the notary service rejects it"));
}

}  // namespace entsig::entitlements

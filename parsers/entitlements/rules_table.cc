// The rule descriptors: id, default severity, what each finds and why, with the source it
// paraphrases. docs/entitlements-rules.md lists the same table; tests keep the two in step.
#include <algorithm>
#include <iterator>

#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {
namespace {

constexpr std::string_view kHardenedRuntimeUri = "https://developer.apple.com/documentation/security/hardened-runtime";
constexpr std::string_view kEntitlementsUri = "https://developer.apple.com/documentation/bundleresources/entitlements";

constexpr Rule kRules[] = {
    {rule::kFalseValue, Severity::warning, "A Boolean entitlement is set to false",
     "Boolean entitlements default to false and Xcode writes one only when it is true; manual signers are asked to "
     "follow that convention and leave false ones out",
     "Hardened Runtime", kHardenedRuntimeUri},
    {rule::kNonBoolean, Severity::error, "A known Boolean entitlement holds a value that is not a Boolean",
     "The entitlement is documented as a Boolean value; a string, number or container in its place is not the true "
     "that grants it",
     "Entitlements", kEntitlementsUri},
    {rule::kWrongType, Severity::warning, "A known entitlement holds a value of another type than documented",
     "The entitlement's page gives the shape of its value (a string, an array of strings, an array of dictionaries); "
     "a value of another shape does not describe what the page defines",
     "Entitlements", kEntitlementsUri},
    {rule::kLibraryEntitlements, Severity::warning, "A library or in-process plug-in carries entitlements",
     "Entitlements go on executables only: shared libraries, frameworks and in-process plug-ins inherit the "
     "entitlements of the executable that hosts them, so their own have no effect",
     "Hardened Runtime", kHardenedRuntimeUri},
    {rule::kSysextException, Severity::error, "A system extension uses a hardened-runtime exception",
     "System extensions may not relax the hardened runtime with exception entitlements (allow-jit aside, for those "
     "that are not DriverKit extensions); macOS refuses to load one that does",
     "Hardened Runtime relaxation entitlements disallowed on System Extensions",
     "https://developer.apple.com/forums/thread/757540"},
    {rule::kDextJit, Severity::error, "A DriverKit extension uses allow-jit",
     "The allow-jit exception is open to system extensions that are not DriverKit extensions only",
     "How to use the WebAssembly (wasm) binary module in macos App",
     "https://developer.apple.com/forums/thread/805941"},
    {rule::kRuntimeMissing, Severity::error, "An executable is signed without the hardened runtime",
     "The notary service requires the hardened runtime (CodeDirectory flag CS_RUNTIME, 0x10000) on the executables "
     "it is given, so it rejects this one",
     "Notarizing macOS software before distribution",
     "https://developer.apple.com/documentation/security/notarizing-macos-software-before-distribution"},
    {rule::kExceptionUnneeded, Severity::warning, "A runtime exception that another one already covers, or that weakens memory safety",
     "Use only the exceptions the app needs: allow-unsigned-executable-memory covers allow-jit and "
     "disable-executable-page-protection covers both, and allow-unsigned-executable-memory exposes the app to the "
     "flaws of memory-unsafe code",
     "Hardened Runtime", kHardenedRuntimeUri},
    {rule::kUnknownKey, Severity::warning, "A key that is close to a known entitlement but not equal to it",
     "A misspelt entitlement key is simply another key: it grants nothing the documented one does",
     "Entitlements", kEntitlementsUri},
    {rule::kXmlDerMismatch, Severity::error, "The XML and DER entitlement blobs of one signature disagree",
     "When a signature carries both blobs, Security's SecStaticCode::entitlements builds the entitlements from the "
     "DER, so an XML blob that says something else misleads whoever reads it",
     "Security framework: SecStaticCode::entitlements (StaticCode.cpp)",
     "https://github.com/apple-oss-distributions/Security"},
};

}  // namespace

std::span<const Rule> all_rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  const auto* it = std::find_if(std::begin(kRules), std::end(kRules), [&](const Rule& r) { return r.id == id; });
  return it == std::end(kRules) ? nullptr : it;
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "unknown";
}

Finding make_finding(std::string_view rule_id, std::string key, std::string message) {
  const Rule* r = find_rule(rule_id);
  return {r ? r->id : rule_id, r ? r->severity : Severity::error, std::move(key), std::move(message)};
}

}  // namespace entsig::entitlements

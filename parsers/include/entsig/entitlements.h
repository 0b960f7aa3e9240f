// entsig entitlements: a catalogue of known entitlement keys and their types, the policy rules
// of Apple's Hardened Runtime and entitlement documentation, and the XML <-> DER equivalence
// check for signatures that carry both blobs.
//
// The rules engine takes a value tree plus a Context (what kind of code carries it, whether it
// runs with the hardened runtime, ...); it knows nothing of Mach-O. context_for_slice() reads a
// Context from a signed slice for callers that have one. Rule ids, severities and sources are
// listed in docs/entitlements-rules.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/codesign.h"
#include "entsig/core.h"
#include "entsig/der.h"
#include "entsig/macho.h"
#include "entsig/plist.h"

namespace entsig::entitlements {

// ---------------------------------------------------------------------------
// Catalogue of known entitlements

// The value type an entitlement's documentation gives it.
enum class ValueType : std::uint8_t {
  boolean,
  string,
  array_of_strings,
  array_of_dicts,
  dict,
};
// "Boolean", "string", "array of strings", "array of dictionaries", "dictionary".
std::string_view value_type_name(ValueType type);
// Whether `value` has the documented shape (arrays: every element of the element type).
bool has_type(const plist::Value& value, ValueType type);

enum class Group : std::uint8_t {
  runtime_exception,  // the Hardened Runtime's runtime exceptions
  resource_access,    // the Hardened Runtime's resource-access entitlements
  sandbox,            // App Sandbox and its common companions
  driverkit,          // DriverKit extensions and the apps that talk to them
  system_extension,   // system extensions and the apps that install them
  identity,           // application and team identifiers, groups, services
  virtualization,     // Hypervisor and Virtualization frameworks
};
std::string_view group_name(Group group);  // "runtime exception", "resource access", ...

struct KnownEntitlement {
  std::string_view key;
  ValueType type;
  Group group;
  std::string_view source;  // title of the documentation page that defines it
};

// Every known entitlement, sorted by key.
std::span<const KnownEntitlement> catalogue();
// The catalogue entry for exactly `key`, or nullptr.
const KnownEntitlement* find_known(std::string_view key);

namespace keys {
inline constexpr std::string_view kAllowJit = "com.apple.security.cs.allow-jit";
inline constexpr std::string_view kAllowUnsignedExecutableMemory = "com.apple.security.cs.allow-unsigned-executable-memory";
inline constexpr std::string_view kAllowDyldEnvironmentVariables = "com.apple.security.cs.allow-dyld-environment-variables";
inline constexpr std::string_view kDisableLibraryValidation = "com.apple.security.cs.disable-library-validation";
inline constexpr std::string_view kDisableExecutablePageProtection = "com.apple.security.cs.disable-executable-page-protection";
inline constexpr std::string_view kDebugger = "com.apple.security.cs.debugger";
}  // namespace keys

// ---------------------------------------------------------------------------
// XML <-> DER equivalence
//
// Compares the two entitlement blobs of one signature as values: dictionaries as key sets,
// arrays element by element, scalars by type and value. The DER is what the OS uses when both
// exist (Security's SecStaticCode::entitlements builds the dictionary from it), so the
// differences are named from the DER's side: a key the XML has and the DER lacks is missing.

enum class DifferenceKind : std::uint8_t {
  missing,  // in the XML, not in the DER
  extra,    // in the DER, not in the XML
  differs,  // in both, with different types or values
};
std::string_view difference_kind_name(DifferenceKind kind);  // "missing", "extra", "differs"

struct Difference {
  DifferenceKind kind;
  std::string path;       // ["key"]["inner"][2]; (root) for the root itself
  std::string xml_value;  // short rendering (value_summary); empty when missing from the XML
  std::string der_value;  // empty when missing from the DER
};

// A message for one difference, e.g. `["k"]: XML has true, DER has false`.
std::string describe(const Difference& difference);

struct Comparison {
  std::vector<Difference> differences;  // in the XML's document order, extras where they appear
  bool truncated = false;               // more differences than max_differences
  bool equivalent() const { return differences.empty() && !truncated; }
};

// Bounds the report, not the work: the walk itself is linear in the two trees.
inline constexpr std::size_t kDefaultMaxDifferences = 256;

// Never recurses; dictionaries are matched through sorted key indexes, so large ones cost
// n log n. A key present twice in one dictionary is matched by its first entry.
Comparison compare_xml_der(const plist::Value& xml, const plist::Value& der,
                           std::size_t max_differences = kDefaultMaxDifferences);

// A short rendering of a value for messages: true, -7, "text" (cut at 64 bytes), <data 5
// bytes>, <array of 3>, <dict of 2>, <real 1.5>, <date 2020-01-01T00:00:00Z>, <uid 3>.
std::string value_summary(const plist::Value& value);
// A dictionary key path segment: ["key"] with " and \ escaped.
std::string key_segment(std::string_view key);

// ---------------------------------------------------------------------------
// Rules

enum class Severity : std::uint8_t { note, warning, error };
std::string_view severity_name(Severity severity);  // "note", "warning", "error"

struct Rule {
  std::string_view id;        // stable, e.g. "false-value"
  Severity severity;          // the default; a rule may report some findings lower
  std::string_view summary;   // one line: what the rule finds
  std::string_view reason;    // one line: why, paraphrasing the source
  std::string_view source;    // title of the page the reason comes from
  std::string_view help_uri;  // where that page lives
};

namespace rule {
inline constexpr std::string_view kFalseValue = "false-value";
inline constexpr std::string_view kNonBoolean = "non-boolean";
inline constexpr std::string_view kWrongType = "wrong-type";
inline constexpr std::string_view kLibraryEntitlements = "library-entitlements";
inline constexpr std::string_view kSysextException = "sysext-exception";
inline constexpr std::string_view kDextJit = "dext-jit";
inline constexpr std::string_view kRuntimeMissing = "runtime-missing";
inline constexpr std::string_view kExceptionUnneeded = "exception-unneeded";
inline constexpr std::string_view kUnknownKey = "unknown-key";
inline constexpr std::string_view kXmlDerMismatch = "xml-der-mismatch";
}  // namespace rule

// Every rule, in the order above.
std::span<const Rule> all_rules();
const Rule* find_rule(std::string_view id);

// What carries the entitlements.
enum class Kind : std::uint8_t {
  unknown,  // rules that depend on the kind are skipped
  app,      // a main executable (MH_EXECUTE): app, helper tool, app extension
  library,  // a dylib or framework (MH_DYLIB)
  plugin,   // an in-process plug-in (MH_BUNDLE)
  sysext,   // the executable of a .systemextension
  dext,     // the executable of a DriverKit extension (.dext)
};
std::string_view kind_name(Kind kind);  // "unknown", "app", "library", "plugin", "sysext", "dext"
std::optional<Kind> kind_from_name(std::string_view name);

enum class Platform : std::uint8_t { unknown, macos, other };

struct Context {
  Kind kind = Kind::unknown;
  // CS_RUNTIME in the CodeDirectory flags; nullopt when not known (a bare entitlements file).
  std::optional<bool> hardened_runtime;
  Platform platform = Platform::unknown;  // the hardened runtime and notarization are macOS's
  bool platform_binary = false;           // Apple's own code (CodeDirectory platform != 0)
};

struct Finding {
  std::string_view rule;  // one of rule::k*
  Severity severity;
  std::string key;        // the entitlement (a key path for xml-der-mismatch); empty if none
  std::string message;
};

// The entitlements of one piece of code. When both blobs are there the DER is the one the
// rules read, as Apple's tools do, and the two are compared.
struct Subject {
  const plist::Value* xml = nullptr;
  const plist::Value* der = nullptr;
  const plist::Value* effective() const { return der ? der : xml; }
};

// Runs every rule. A root that is not a dictionary has no entitlement keys to check.
// Findings come rule by rule (in all_rules() order), keys in document order.
std::vector<Finding> check(const Subject& subject, const Context& context);
std::vector<Finding> check(const plist::Value& entitlements, const Context& context);

// ---------------------------------------------------------------------------
// Inputs

inline constexpr std::uint32_t kDerBlobMagic = codesign::kMagicDerEntitlements;  // 0xfade7172

// True when `input` starts with a 0xfade7172 blob header.
bool has_der_blob_magic(Bytes input);
// Reads a whole 0xfade7172 blob (8-byte big-endian magic and length, then DER). The length
// must cover exactly the input: entitlements.der_blob.truncated / .trailing_bytes otherwise.
// Errors inside the DER keep offsets into `input` (8 past read_der's). The Budget form charges
// a run's budget (whose limits() are the read's limits), as der::read_der does; the other
// reads under `limits` with a Budget of its own.
Result<plist::Document> read_der_blob(Bytes input, const der::DerOptions& options, Budget& budget);
Result<plist::Document> read_der_blob(Bytes input, const der::DerOptions& options = {},
                                      const Limits& limits = {});

// The Context of a signed slice: kind from the file type (MH_EXECUTE app, MH_DYLIB library,
// MH_BUNDLE plugin), the hardened runtime from the CodeDirectory XNU uses, platform from
// LC_BUILD_VERSION / LC_VERSION_MIN_*. `signature` may be null (unsigned).
Context context_for_slice(const macho::Slice& slice, const codesign::Signature* signature);

}  // namespace entsig::entitlements

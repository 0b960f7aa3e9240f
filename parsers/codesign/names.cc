// Printable names for slots, magics, flags and statuses. Unknown values are kept and
// printed as unknown(N), never dropped.
#include <array>
#include <cstdio>

#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

std::string unknown_hex(std::uint64_t value) { return "unknown(" + format_hex(value) + ")"; }

struct FlagName {
  std::uint64_t bit;
  const char* name;
};

// codesign's option names where it has one (-o hard,kill,...), cs_blobs.h otherwise.
constexpr FlagName kCdFlags[] = {
    {kFlagHost, "host"},
    {kFlagAdhoc, "adhoc"},
    {kFlagGetTaskAllow, "get-task-allow"},
    {kFlagInstaller, "installer"},
    {kFlagForcedLv, "forced-lv"},
    {kFlagInvalidAllowed, "invalid-allowed"},
    {kFlagHard, "hard"},
    {kFlagKill, "kill"},
    {kFlagCheckExpiration, "expires"},
    {kFlagRestrict, "restrict"},
    {kFlagEnforcement, "enforcement"},
    {kFlagRequireLv, "library-validation"},
    {0x4000, "entitlements-validated"},
    {0x8000, "nvram-unrestricted"},
    {kFlagRuntime, "runtime"},
    {kFlagLinkerSigned, "linker-signed"},
};

constexpr FlagName kExecSegFlags[] = {
    {kExecSegMainBinary, "main-binary"},     {kExecSegAllowUnsigned, "allow-unsigned"},
    {kExecSegDebugger, "debugger"},          {kExecSegJit, "jit"},
    {kExecSegSkipLv, "skip-lv"},             {kExecSegCanLoadCdHash, "can-load-cdhash"},
    {kExecSegCanExecCdHash, "can-exec-cdhash"},
};

template <std::size_t N>
std::vector<std::string> names_of(std::uint64_t flags, const FlagName (&table)[N]) {
  std::vector<std::string> out;
  std::uint64_t rest = flags;
  for (const auto& entry : table) {
    if (flags & entry.bit) {
      out.emplace_back(entry.name);
      rest &= ~entry.bit;
    }
  }
  if (rest != 0) out.push_back(unknown_hex(rest));
  return out;
}

constexpr std::string_view kDiagnosticIds[] = {
    diag::kNullIndexEntry,        diag::kBlobOverlapsIndex,     diag::kIndexUnsorted,
    diag::kBlobsOverlap,          diag::kBlobsNotTiled,         diag::kNoPrimaryCodeDirectory,
    diag::kAlternateGap,          diag::kCodeDirectoryOutsideCdSlots,
    diag::kTeamIdMismatch,        diag::kIdentifierMismatch,    diag::kFlagsMismatch,
    diag::kVersionNewer,          diag::kSpareNonzero,          diag::kFlagsIgnoredByKernel,
    diag::kCodeLimit64,
    diag::kSpecialSlotsOverlapHeader, diag::kIdentifierNotUtf8, diag::kSignatureNotAtLinkeditEnd,
    diag::kLinkeditNotLast,       diag::kCodeLimitNotSignatureOffset, diag::kExecSegMismatch,
    diag::kCodeLimitPastSlice,
};

}  // namespace

std::string format_hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

std::span<const std::string_view> all_diagnostic_ids() { return kDiagnosticIds; }

std::string slot_name(std::uint32_t slot) {
  switch (slot) {
    case kSlotCodeDirectory: return "code-directory";
    case kSlotInfoPlist: return "info-plist";
    case kSlotRequirements: return "requirements";
    case kSlotResources: return "resources";
    case kSlotApplication: return "application";
    case kSlotEntitlements: return "entitlements";
    case kSlotRepSpecific: return "rep-specific";
    case kSlotDerEntitlements: return "der-entitlements";
    case kSlotLaunchConstraintSelf: return "launch-constraint-self";
    case kSlotLaunchConstraintParent: return "launch-constraint-parent";
    case kSlotLaunchConstraintResponsible: return "launch-constraint-responsible";
    case kSlotLibraryConstraint: return "library-constraint";
    case kSlotSignature: return "cms-signature";
    case kSlotIdentification: return "identification";
    case kSlotTicket: return "ticket";
    default: break;
  }
  if (slot >= kSlotAlternateCodeDirectories && slot < kSlotAlternateCodeDirectories + kAlternateCodeDirectoryCount)
    return "alternate-code-directory-" + std::to_string(slot - kSlotAlternateCodeDirectories);
  return unknown_hex(slot);
}

std::string magic_name(std::uint32_t magic) {
  switch (magic) {
    case kMagicEmbeddedSignature: return "embedded-signature";
    case kMagicEmbeddedSignatureOld: return "embedded-signature-old";
    case kMagicDetachedSignature: return "detached-signature";
    case kMagicCodeDirectory: return "code-directory";
    case kMagicRequirements: return "requirements";
    case kMagicRequirement: return "requirement";
    case kMagicEntitlements: return "entitlements";
    case kMagicDerEntitlements: return "der-entitlements";
    case kMagicLaunchConstraint: return "launch-constraint";
    case kMagicBlobWrapper: return "blob-wrapper";
    default: return unknown_hex(magic);
  }
}

std::vector<std::string> flag_names(std::uint32_t flags) { return names_of(flags, kCdFlags); }

std::string format_flags(std::uint32_t flags) {
  std::string out = format_hex(flags) + "(";
  auto names = flag_names(flags);
  if (names.empty()) out += "none";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ",";
    out += names[i];
  }
  return out + ")";
}

std::vector<std::string> exec_seg_flag_names(std::uint64_t flags) { return names_of(flags, kExecSegFlags); }

std::string format_runtime_version(std::uint32_t runtime) {
  return std::to_string(runtime >> 16) + "." + std::to_string((runtime >> 8) & 0xff) + "." +
         std::to_string(runtime & 0xff);
}

std::string_view slot_status_name(SlotStatus status) {
  switch (status) {
    case SlotStatus::ok: return "ok";
    case SlotStatus::absent: return "absent";
    case SlotStatus::not_checked: return "not-checked";
    case SlotStatus::unknown_slot: return "unknown-slot";
    case SlotStatus::mismatch: return "mismatch";
    case SlotStatus::missing_blob: return "missing-blob";
    case SlotStatus::unbound_blob: return "unbound-blob";
  }
  return "mismatch";
}

bool slot_status_ok(SlotStatus status) {
  return status == SlotStatus::ok || status == SlotStatus::absent || status == SlotStatus::not_checked ||
         status == SlotStatus::unknown_slot;
}

std::string_view slice_status_name(SliceStatus status) {
  switch (status) {
    case SliceStatus::valid: return "valid";
    case SliceStatus::invalid: return "invalid";
    case SliceStatus::unsigned_: return "unsigned";
    case SliceStatus::malformed: return "malformed";
  }
  return "malformed";
}

}  // namespace entsig::codesign

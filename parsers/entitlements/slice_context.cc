// The Context of a signed Mach-O slice, for callers that check a binary rather than a bare
// entitlements file.
#include "entsig/entitlements.h"

namespace entsig::entitlements {
namespace {

// PLATFORM_MACOS and PLATFORM_MACCATALYST from <mach-o/loader.h>: both run under macOS's
// hardened runtime and notarization rules.
constexpr std::uint32_t kPlatformMacOS = 1;
constexpr std::uint32_t kPlatformMacCatalyst = 6;

Kind kind_for_file_type(std::uint32_t file_type) {
  switch (file_type) {
    case macho::kFileTypeExecute: return Kind::app;
    case macho::kFileTypeDylib: return Kind::library;
    case macho::kFileTypeBundle: return Kind::plugin;
    default: return Kind::unknown;
  }
}

}  // namespace

Context context_for_slice(const macho::Slice& slice, const codesign::Signature* signature) {
  Context context;
  context.kind = kind_for_file_type(slice.file_type);
  // 32-bit ARM and arm64_32 code never ran on macOS, whatever its load commands say.
  if (slice.cpu_type == macho::kCpuTypeArm || slice.cpu_type == macho::kCpuTypeArm64_32)
    context.platform = Platform::other;
  else if (!slice.platforms.empty()) {
    context.platform = Platform::other;
    for (const auto& p : slice.platforms)
      if (p.platform == kPlatformMacOS || p.platform == kPlatformMacCatalyst) context.platform = Platform::macos;
  }
  if (signature) {
    // The CodeDirectory XNU pages with carries the flags the kernel applies (A4 #4.2).
    if (const codesign::CodeDirectory* cd = signature->best_code_directory()) {
      context.hardened_runtime = (cd->flags & codesign::kFlagRuntime) != 0;
      context.platform_binary = cd->platform != 0;
    }
  }
  return context;
}

}  // namespace entsig::entitlements

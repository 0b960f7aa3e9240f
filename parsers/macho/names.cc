// Printable names for Mach-O numbers. Values follow <mach/machine.h> and <mach-o/loader.h>;
// the short names are the ones lipo and otool print.
#include <cstdio>

#include "entsig/macho.h"

namespace entsig::macho {
namespace {

std::string unknown_hex(std::uint32_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "unknown(0x%x)", value);
  return buf;
}

std::string unknown_dec(std::uint32_t value) { return "unknown(" + std::to_string(value) + ")"; }

std::string arm_name(std::uint32_t subtype) {
  switch (subtype) {
    case 5: return "armv4t";
    case 6: return "armv6";
    case 7: return "armv5";
    case 8: return "xscale";
    case 9: return "armv7";
    case 10: return "armv7f";
    case 11: return "armv7s";
    case 12: return "armv7k";
    case 13: return "armv8";
    case 14: return "armv6m";
    case 15: return "armv7m";
    case 16: return "armv7em";
    default: return "arm";
  }
}

std::string ppc_name(std::uint32_t subtype) {
  switch (subtype) {
    case 10: return "ppc7400";
    case 11: return "ppc7450";
    case 100: return "ppc970";
    default: return "ppc";
  }
}

struct FileTypeName {
  std::uint32_t value;
  const char* short_name;
  const char* constant;
};

constexpr FileTypeName kFileTypes[] = {
    {0x1, "object", "MH_OBJECT"},       {0x2, "execute", "MH_EXECUTE"},
    {0x3, "fvmlib", "MH_FVMLIB"},       {0x4, "core", "MH_CORE"},
    {0x5, "preload", "MH_PRELOAD"},     {0x6, "dylib", "MH_DYLIB"},
    {0x7, "dylinker", "MH_DYLINKER"},   {0x8, "bundle", "MH_BUNDLE"},
    {0x9, "dylib_stub", "MH_DYLIB_STUB"}, {0xa, "dsym", "MH_DSYM"},
    {0xb, "kext_bundle", "MH_KEXT_BUNDLE"}, {0xc, "fileset", "MH_FILESET"},
    {0xd, "gpu_execute", "MH_GPU_EXECUTE"}, {0xe, "gpu_dylib", "MH_GPU_DYLIB"},
};

const FileTypeName* find_file_type(std::uint32_t value) {
  for (const auto& entry : kFileTypes)
    if (entry.value == value) return &entry;
  return nullptr;
}

}  // namespace

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::thin: return "thin";
    case FileKind::fat: return "fat";
    case FileKind::fat64: return "fat64";
  }
  return "thin";
}

std::string cpu_type_name(std::uint32_t cpu_type) {
  switch (cpu_type) {
    case kCpuTypeX86: return "i386";
    case kCpuTypeX86_64: return "x86_64";
    case kCpuTypeArm: return "arm";
    case kCpuTypeArm64: return "arm64";
    case kCpuTypeArm64_32: return "arm64_32";
    case kCpuTypePowerPC: return "ppc";
    case kCpuTypePowerPC64: return "ppc64";
    case 6: return "m68k";
    case 10: return "mc98000";
    case 11: return "hppa";
    case 13: return "m88k";
    case 14: return "sparc";
    case 15: return "i860";
    default: return unknown_hex(cpu_type);
  }
}

std::string cpu_name(std::uint32_t cpu_type, std::uint32_t cpu_subtype) {
  const std::uint32_t subtype = cpu_subtype & ~kCpuSubtypeMask;
  switch (cpu_type) {
    case kCpuTypeX86_64: return subtype == 8 ? "x86_64h" : "x86_64";
    case kCpuTypeArm: return arm_name(subtype);
    case kCpuTypeArm64:
      if (subtype == kCpuSubtypeArm64e) return "arm64e";
      if (subtype == 1) return "arm64v8";
      return "arm64";
    case kCpuTypePowerPC: return ppc_name(subtype);
    default: return cpu_type_name(cpu_type);
  }
}

std::string file_type_name(std::uint32_t file_type) {
  const auto* entry = find_file_type(file_type);
  return entry ? entry->short_name : unknown_dec(file_type);
}

std::string file_type_constant(std::uint32_t file_type) {
  const auto* entry = find_file_type(file_type);
  return entry ? entry->constant : unknown_dec(file_type);
}

std::string platform_name(std::uint32_t platform) {
  switch (platform) {
    case 1: return "macos";
    case 2: return "ios";
    case 3: return "tvos";
    case 4: return "watchos";
    case 5: return "bridgeos";
    case 6: return "maccatalyst";
    case 7: return "iossimulator";
    case 8: return "tvossimulator";
    case 9: return "watchossimulator";
    case 10: return "driverkit";
    case 11: return "visionos";
    case 12: return "visionossimulator";
    case 13: return "firmware";
    case 14: return "sepos";
    default: return unknown_dec(platform);
  }
}

std::string format_version(std::uint32_t packed) {
  const std::uint32_t major = packed >> 16;
  const std::uint32_t minor = (packed >> 8) & 0xff;
  const std::uint32_t patch = packed & 0xff;
  std::string out = std::to_string(major) + "." + std::to_string(minor);
  if (patch != 0) out += "." + std::to_string(patch);
  return out;
}

}  // namespace entsig::macho

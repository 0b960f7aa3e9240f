// entsig Mach-O reader: thin (32/64-bit, either byte order), fat and fat64 containers,
// load commands bounded by sizeofcmds, and the LC_CODE_SIGNATURE locator.
//
// The model keeps views and offsets into the caller's bytes; nothing large is copied, so the
// input must outlive the File. Rules enforced (with the XNU/LLVM source each follows) are
// listed in docs/codesign.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/core.h"

namespace entsig::macho {

// ---------------------------------------------------------------------------
// Constants from <mach-o/loader.h>, <mach-o/fat.h>, <mach/machine.h>.

inline constexpr std::uint32_t kMagic32 = 0xfeedface;  // MH_MAGIC (read in the file's order)
inline constexpr std::uint32_t kMagic64 = 0xfeedfacf;  // MH_MAGIC_64
inline constexpr std::uint32_t kFatMagic = 0xcafebabe;    // FAT_MAGIC, always big-endian
inline constexpr std::uint32_t kFatMagic64 = 0xcafebabf;  // FAT_MAGIC_64

inline constexpr std::uint32_t kCpuArchAbi64 = 0x01000000;     // CPU_ARCH_ABI64
inline constexpr std::uint32_t kCpuArchAbi64_32 = 0x02000000;  // CPU_ARCH_ABI64_32
inline constexpr std::uint32_t kCpuTypeX86 = 7;
inline constexpr std::uint32_t kCpuTypeX86_64 = kCpuTypeX86 | kCpuArchAbi64;
inline constexpr std::uint32_t kCpuTypeArm = 12;
inline constexpr std::uint32_t kCpuTypeArm64 = kCpuTypeArm | kCpuArchAbi64;
inline constexpr std::uint32_t kCpuTypeArm64_32 = kCpuTypeArm | kCpuArchAbi64_32;
inline constexpr std::uint32_t kCpuTypePowerPC = 18;
inline constexpr std::uint32_t kCpuTypePowerPC64 = kCpuTypePowerPC | kCpuArchAbi64;
// The top byte of cpusubtype carries capability bits (CPU_SUBTYPE_MASK), e.g. LIB64 and
// the arm64e pointer-authentication ABI version.
inline constexpr std::uint32_t kCpuSubtypeMask = 0xff000000;
inline constexpr std::uint32_t kCpuSubtypeArm64e = 2;

// File types (MH_*).
inline constexpr std::uint32_t kFileTypeObject = 0x1;
inline constexpr std::uint32_t kFileTypeExecute = 0x2;
inline constexpr std::uint32_t kFileTypeDylib = 0x6;
inline constexpr std::uint32_t kFileTypeBundle = 0x8;

// Load commands read here.
inline constexpr std::uint32_t kLcSegment = 0x1;
inline constexpr std::uint32_t kLcSegment64 = 0x19;
inline constexpr std::uint32_t kLcUuid = 0x1b;
inline constexpr std::uint32_t kLcCodeSignature = 0x1d;
inline constexpr std::uint32_t kLcVersionMinMacOS = 0x24;
inline constexpr std::uint32_t kLcVersionMinIPhoneOS = 0x25;
inline constexpr std::uint32_t kLcVersionMinTvOS = 0x2f;
inline constexpr std::uint32_t kLcVersionMinWatchOS = 0x30;
inline constexpr std::uint32_t kLcBuildVersion = 0x32;

// ---------------------------------------------------------------------------
// Model

enum class FileKind : std::uint8_t { thin, fat, fat64 };

struct Segment {
  std::string name;  // segname up to its first NUL (16 bytes at most)
  std::uint64_t vmaddr = 0;
  std::uint64_t vmsize = 0;
  std::uint64_t fileoff = 0;   // relative to the slice
  std::uint64_t filesize = 0;
  std::uint32_t maxprot = 0;
  std::uint32_t initprot = 0;
  std::uint32_t section_count = 0;  // nsects
  std::uint32_t flags = 0;
  std::uint64_t command_offset = 0;  // absolute offset of the load command in the input
};

// LC_CODE_SIGNATURE (a linkedit_data_command).
struct CodeSignatureLocation {
  std::uint32_t dataoff = 0;   // relative to the slice start, as in the file
  std::uint32_t datasize = 0;
  std::uint64_t command_offset = 0;  // absolute offset of the load command
};

// One LC_BUILD_VERSION or LC_VERSION_MIN_* command. Versions are X.Y.Z packed as
// xxxx.yy.zz nibbles (format_version() prints them).
struct PlatformVersion {
  std::uint32_t platform = 0;  // PLATFORM_* (1 macOS, 2 iOS, ...); inferred for VERSION_MIN
  std::uint32_t minos = 0;
  std::uint32_t sdk = 0;
  std::uint32_t command = 0;  // the load command it came from
};

struct Slice {
  std::uint64_t offset = 0;  // of the slice in the input (0 for a thin file)
  std::uint64_t size = 0;
  Bytes data;  // the slice's bytes: a view into the input

  // From the fat_arch entry (equal to the header's values for a thin file).
  std::uint32_t fat_cpu_type = 0;
  std::uint32_t fat_cpu_subtype = 0;
  std::uint32_t fat_align = 0;

  // From the mach_header.
  bool is_64 = false;
  Endian endian = Endian::little;
  std::uint32_t cpu_type = 0;
  std::uint32_t cpu_subtype = 0;  // with capability bits; mask with ~kCpuSubtypeMask
  std::uint32_t file_type = 0;
  std::uint32_t ncmds = 0;
  std::uint32_t sizeofcmds = 0;
  std::uint32_t flags = 0;

  std::vector<Segment> segments;          // in load-command order
  std::vector<PlatformVersion> platforms;  // zippered binaries carry more than one
  std::optional<CodeSignatureLocation> code_signature;
  std::optional<std::string> uuid;  // LC_UUID as upper-case 8-4-4-4-12 text

  std::size_t header_size() const { return is_64 ? 32 : 28; }
  const Segment* find_segment(std::string_view name) const;
  const Segment* text_segment() const { return find_segment("__TEXT"); }
  const Segment* linkedit_segment() const { return find_segment("__LINKEDIT"); }
  // The LC_CODE_SIGNATURE bytes (a view into the input); empty when unsigned.
  Bytes signature_bytes() const;
  // Absolute offset of the signature in the input (slice offset + dataoff).
  std::uint64_t signature_offset() const;
  // Names for printing: "arm64e", "x86_64", "execute", "macos", "11.0".
  std::string cpu_name() const;
  std::string file_type_name() const;
};

struct File {
  FileKind kind = FileKind::thin;
  std::vector<Slice> slices;  // one for a thin file; in fat_arch order otherwise
  Bytes data;                 // the whole input
};

// ---------------------------------------------------------------------------
// Parsing

struct ParseOptions {
  // Reject a load command whose cmdsize is not a multiple of 8 (64-bit) or 4 (32-bit), as
  // LLVM's MachOObjectFile and cctools' checkout() do. XNU's parse_machfile does not check
  // this, so turning it off reproduces the kernel's acceptance.
  bool require_aligned_load_commands = true;
  // Reject a fat_arch whose cputype (or cpusubtype, capability bits aside) differs from its
  // slice's mach_header: the 2018 fat-file bypasses (CVE-2018-10405 and others) relied on
  // a checker and the loader reading different slices (codesign-rules C9).
  bool require_fat_cpu_match = true;
};

// True when the input starts with a thin or fat Mach-O magic (either byte order).
bool has_macho_magic(Bytes input);

// Parses a thin or fat Mach-O. The first error is final; its offset is absolute.
Result<File> parse(Bytes input, const Limits& limits = {}, const ParseOptions& options = {});

// ---------------------------------------------------------------------------
// Names

std::string_view file_kind_name(FileKind kind);  // "thin", "fat", "fat64"
// "x86_64", "x86_64h", "i386", "arm64", "arm64e", "arm64_32", "armv7", "armv7s", "ppc",
// "ppc64", ... or "unknown(0x...)" for a cpu type we do not know.
std::string cpu_name(std::uint32_t cpu_type, std::uint32_t cpu_subtype);
// Family name only ("arm", "arm64", "x86_64", "i386", "ppc"), ignoring the subtype.
std::string cpu_type_name(std::uint32_t cpu_type);
// "object", "execute", "dylib", "bundle", "dylinker", "dsym", ... or "unknown(N)".
std::string file_type_name(std::uint32_t file_type);
// The MH_* constant name: "MH_EXECUTE", ... or "unknown(N)".
std::string file_type_constant(std::uint32_t file_type);
// "macos", "ios", "tvos", "watchos", "bridgeos", "maccatalyst", "iossimulator", ...
std::string platform_name(std::uint32_t platform);
// Packed nibble version xxxx.yy.zz as "X.Y" or "X.Y.Z" (Z printed only when nonzero).
std::string format_version(std::uint32_t packed);

}  // namespace entsig::macho

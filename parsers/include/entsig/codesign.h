// entsig code-signature reader: the embedded SuperBlob (0xfade0cc0) or a bare
// CodeDirectory (0xfade0c02), every CodeDirectory version through 0x20600, cdhash, and
// verification of page and special-slot hashes against a Mach-O slice.
//
// Rules that XNU enforces are errors; Security.framework's stricter layout rules, and
// places where Apple's components disagree, are diagnostics on the model. The rule table
// (rule, id, function) is docs/codesign.md; rule numbers such as "A1 #1.3" refer to
// shared/reference/codesign-rules.md.
//
// The model keeps views into the caller's bytes; the input must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/cms.h"
#include "entsig/core.h"
#include "entsig/macho.h"

namespace entsig::codesign {

// ---------------------------------------------------------------------------
// Constants from xnu osfmk/kern/cs_blobs.h.

inline constexpr std::uint32_t kMagicEmbeddedSignature = 0xfade0cc0;     // CSMAGIC_EMBEDDED_SIGNATURE
inline constexpr std::uint32_t kMagicEmbeddedSignatureOld = 0xfade0b02;  // rejected by XNU
inline constexpr std::uint32_t kMagicDetachedSignature = 0xfade0cc1;
inline constexpr std::uint32_t kMagicCodeDirectory = 0xfade0c02;
inline constexpr std::uint32_t kMagicRequirements = 0xfade0c01;
inline constexpr std::uint32_t kMagicRequirement = 0xfade0c00;
inline constexpr std::uint32_t kMagicEntitlements = 0xfade7171;
inline constexpr std::uint32_t kMagicDerEntitlements = 0xfade7172;
inline constexpr std::uint32_t kMagicLaunchConstraint = 0xfade8181;
inline constexpr std::uint32_t kMagicBlobWrapper = 0xfade0b01;  // CMS signature

inline constexpr std::uint32_t kSlotCodeDirectory = 0;
inline constexpr std::uint32_t kSlotInfoPlist = 1;
inline constexpr std::uint32_t kSlotRequirements = 2;
inline constexpr std::uint32_t kSlotResources = 3;
inline constexpr std::uint32_t kSlotApplication = 4;
inline constexpr std::uint32_t kSlotEntitlements = 5;
inline constexpr std::uint32_t kSlotRepSpecific = 6;
inline constexpr std::uint32_t kSlotDerEntitlements = 7;
inline constexpr std::uint32_t kSlotLaunchConstraintSelf = 8;
inline constexpr std::uint32_t kSlotLaunchConstraintParent = 9;
inline constexpr std::uint32_t kSlotLaunchConstraintResponsible = 10;
inline constexpr std::uint32_t kSlotLibraryConstraint = 11;
inline constexpr std::uint32_t kMaxKnownSpecialSlot = 11;  // Security cdSlotMax
inline constexpr std::uint32_t kSlotAlternateCodeDirectories = 0x1000;
inline constexpr std::uint32_t kAlternateCodeDirectoryCount = 5;  // 0x1000..0x1004
inline constexpr std::uint32_t kSlotSignature = 0x10000;          // CMS BlobWrapper
inline constexpr std::uint32_t kSlotIdentification = 0x10001;
inline constexpr std::uint32_t kSlotTicket = 0x10002;

// CodeDirectory versions: the first version that has each group of fields.
inline constexpr std::uint32_t kCdVersionEarliest = 0x20001;      // Security earliestVersion
inline constexpr std::uint32_t kCdVersionScatter = 0x20100;
inline constexpr std::uint32_t kCdVersionTeamId = 0x20200;
inline constexpr std::uint32_t kCdVersionCodeLimit64 = 0x20300;
inline constexpr std::uint32_t kCdVersionExecSeg = 0x20400;
inline constexpr std::uint32_t kCdVersionRuntime = 0x20500;
inline constexpr std::uint32_t kCdVersionLinkage = 0x20600;
inline constexpr std::uint32_t kCdVersionLatestKnown = kCdVersionLinkage;
inline constexpr std::uint32_t kCdVersionCompatibilityLimit = 0x2F000;  // Security compatibilityLimit
// sizeof(CS_CodeDirectory) in current XNU; cs_validate_codedirectory requires at least this
// many bytes whatever the version (A3 #3.1).
inline constexpr std::uint32_t kCdKernelMinimumLength = 112;
// The CodeDirectory page shifts XNU accepts: PAGE_SHIFT_4K, and PAGE_SHIFT of a 16 KiB arm64
// kernel (ARM_PGSHIFT). An x86_64 kernel's PAGE_SHIFT is 12 as well.
inline constexpr std::uint8_t kPageShift4K = 12;
inline constexpr std::uint8_t kPageShift16K = 14;

inline constexpr std::uint8_t kHashSha1 = 1;
inline constexpr std::uint8_t kHashSha256 = 2;
inline constexpr std::uint8_t kHashSha256Truncated = 3;
inline constexpr std::uint8_t kHashSha384 = 4;
inline constexpr std::size_t kCdHashSize = 20;  // CS_CDHASH_LEN

// CodeDirectory flags (CS_*) as codesign names them.
inline constexpr std::uint32_t kFlagHost = 0x1;
inline constexpr std::uint32_t kFlagAdhoc = 0x2;
inline constexpr std::uint32_t kFlagGetTaskAllow = 0x4;
inline constexpr std::uint32_t kFlagInstaller = 0x8;
inline constexpr std::uint32_t kFlagForcedLv = 0x10;
inline constexpr std::uint32_t kFlagInvalidAllowed = 0x20;
inline constexpr std::uint32_t kFlagHard = 0x100;
inline constexpr std::uint32_t kFlagKill = 0x200;
inline constexpr std::uint32_t kFlagCheckExpiration = 0x400;
inline constexpr std::uint32_t kFlagRestrict = 0x800;
inline constexpr std::uint32_t kFlagEnforcement = 0x1000;
inline constexpr std::uint32_t kFlagRequireLv = 0x2000;
inline constexpr std::uint32_t kFlagRuntime = 0x10000;
inline constexpr std::uint32_t kFlagLinkerSigned = 0x20000;
// CS_ALLOWED_MACHO: the flags XNU keeps from a CodeDirectory (A3 #3.6).
inline constexpr std::uint32_t kFlagsAllowedByKernel =
    kFlagAdhoc | kFlagHard | kFlagKill | kFlagCheckExpiration | kFlagRestrict | kFlagEnforcement |
    kFlagRequireLv | kFlagRuntime | kFlagLinkerSigned;

// Exec segment flags (CS_EXECSEG_*).
inline constexpr std::uint64_t kExecSegMainBinary = 0x1;
inline constexpr std::uint64_t kExecSegAllowUnsigned = 0x10;
inline constexpr std::uint64_t kExecSegDebugger = 0x20;
inline constexpr std::uint64_t kExecSegJit = 0x40;
inline constexpr std::uint64_t kExecSegSkipLv = 0x80;
inline constexpr std::uint64_t kExecSegCanLoadCdHash = 0x100;
inline constexpr std::uint64_t kExecSegCanExecCdHash = 0x200;

// ---------------------------------------------------------------------------
// Diagnostics: findings that do not make the input unreadable. Ids are stable.

struct Diagnostic {
  std::string_view id;   // "codesign.diag.*", one of the constants below
  std::uint64_t offset;  // absolute offset in the outermost input
  std::string message;
};

namespace diag {
// SuperBlob layout (Security superblob.h validateBlob / strictValidateBlob, rcodesign).
inline constexpr std::string_view kNullIndexEntry = "codesign.diag.null_index_entry";
inline constexpr std::string_view kBlobOverlapsIndex = "codesign.diag.blob_overlaps_index";
inline constexpr std::string_view kIndexUnsorted = "codesign.diag.index_unsorted";
inline constexpr std::string_view kBlobsOverlap = "codesign.diag.blobs_overlap";
inline constexpr std::string_view kBlobsNotTiled = "codesign.diag.blobs_not_tiled";
// CodeDirectory set (XNU vs Security differentials, CVE-2023-41991 shapes).
inline constexpr std::string_view kNoPrimaryCodeDirectory = "codesign.diag.no_primary_code_directory";
inline constexpr std::string_view kAlternateGap = "codesign.diag.alternate_code_directory_gap";
inline constexpr std::string_view kCodeDirectoryOutsideCdSlots = "codesign.diag.code_directory_outside_cd_slots";
inline constexpr std::string_view kTeamIdMismatch = "codesign.diag.team_id_mismatch";
inline constexpr std::string_view kIdentifierMismatch = "codesign.diag.identifier_mismatch";
inline constexpr std::string_view kFlagsMismatch = "codesign.diag.flags_mismatch";
// One CodeDirectory.
inline constexpr std::string_view kVersionNewer = "codesign.diag.cd_version_newer_than_known";
inline constexpr std::string_view kSpareNonzero = "codesign.diag.spare_nonzero";
inline constexpr std::string_view kFlagsIgnoredByKernel = "codesign.diag.flags_ignored_by_kernel";
inline constexpr std::string_view kCodeLimit64 = "codesign.diag.code_limit64_ignored_by_kernel";
inline constexpr std::string_view kSpecialSlotsOverlapHeader = "codesign.diag.special_slots_overlap_header";
inline constexpr std::string_view kIdentifierNotUtf8 = "codesign.diag.identifier_not_utf8";
// Verification against a Mach-O slice.
inline constexpr std::string_view kSignatureNotAtLinkeditEnd = "codesign.diag.signature_not_at_linkedit_end";
inline constexpr std::string_view kLinkeditNotLast = "codesign.diag.linkedit_not_last_segment";
inline constexpr std::string_view kCodeLimitNotSignatureOffset = "codesign.diag.code_limit_not_signature_offset";
inline constexpr std::string_view kExecSegMismatch = "codesign.diag.exec_seg_mismatch";
inline constexpr std::string_view kCodeLimitPastSlice = "codesign.diag.code_limit_past_slice";
}  // namespace diag

// Every diagnostic id above, for docs and tests.
std::span<const std::string_view> all_diagnostic_ids();

// ---------------------------------------------------------------------------
// Hashes (OpenSSL stays behind parsers/codesign/hashes.cc).

// The digest size stored in a CodeDirectory for a hash type (SHA-256-truncated: 20), or
// nullopt for a type XNU's cs_find_md does not know.
std::optional<std::size_t> hash_size_for_type(std::uint8_t hash_type);
// "sha1", "sha256", "sha256-truncated", "sha384", or "unknown(N)".
std::string hash_type_name(std::uint8_t hash_type);
// XNU hash_rank: SHA-1 1 < SHA-256-truncated 2 < SHA-256 3 < SHA-384 4; 0 for unknown.
int hash_rank(std::uint8_t hash_type);

struct Digest {
  std::array<std::uint8_t, 64> bytes{};
  std::size_t size = 0;  // 0 when the hash could not be computed
  Bytes view() const { return Bytes(bytes.data(), size); }
  std::string hex() const { return hex_encode(view()); }
};

// A reusable hasher for one hash type: the digest algorithm is looked up once, so hashing
// many 4 KiB pages costs little more than the hash itself.
class Hasher {
 public:
  explicit Hasher(std::uint8_t hash_type);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  bool valid() const;
  // The native digest size (32 for SHA-256-truncated, which stores only 20 bytes).
  std::size_t digest_size() const;
  // The full native digest; size 0 on failure.
  Digest digest(Bytes data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot digest of `data` with a CodeDirectory hash type (native length).
Digest compute_digest(std::uint8_t hash_type, Bytes data);

// ---------------------------------------------------------------------------
// Model

// One SuperBlob index entry and the blob it points at.
struct Blob {
  std::uint32_t slot = 0;    // CS_BlobIndex.type
  std::uint32_t offset = 0;  // CS_BlobIndex.offset, relative to the SuperBlob
  std::uint32_t magic = 0;
  std::uint32_t length = 0;
  std::uint64_t index_offset = 0;  // absolute offset of the index entry
  std::uint64_t file_offset = 0;   // absolute offset of the blob
  Bytes data;                      // the blob's `length` bytes, header included

  // The bytes after the 8-byte magic/length header (e.g. the entitlements plist or DER).
  Bytes payload() const { return data.size() >= 8 ? data.subspan(8) : Bytes{}; }
};

struct ScatterEntry {
  std::uint32_t count = 0;  // pages
  std::uint32_t base = 0;   // first page
  std::uint64_t target_offset = 0;
  std::uint64_t spare = 0;
};

// CS_CodeDirectory. Apple's field names are given once beside ours.
struct CodeDirectory {
  std::uint32_t slot = 0;          // where it sits in the SuperBlob (0 or 0x1000..0x1004)
  std::uint64_t file_offset = 0;   // absolute offset of the blob
  Bytes data;                      // the CD's `length` bytes: what cdhash covers

  std::uint32_t length = 0;
  std::uint32_t version = 0;
  std::uint32_t flags = 0;
  std::uint32_t hash_offset = 0;         // hashOffset: slot 0's hash
  std::uint32_t identifier_offset = 0;   // identOffset
  std::uint32_t special_slot_count = 0;  // nSpecialSlots
  std::uint32_t code_slot_count = 0;     // nCodeSlots
  std::uint32_t code_limit32 = 0;        // codeLimit
  std::uint8_t hash_size = 0;
  std::uint8_t hash_type = 0;
  std::uint8_t platform = 0;
  std::uint8_t page_size_log2 = 0;       // pageSize
  std::uint32_t spare2 = 0;
  // Version >= 0x20100
  std::uint32_t scatter_offset = 0;
  // Version >= 0x20200
  std::uint32_t team_offset = 0;
  // Version >= 0x20300
  std::uint32_t spare3 = 0;
  std::uint64_t code_limit64 = 0;
  // Version >= 0x20400
  std::uint64_t exec_seg_base = 0;
  std::uint64_t exec_seg_limit = 0;
  std::uint64_t exec_seg_flags = 0;
  // Version >= 0x20500
  std::uint32_t runtime = 0;
  std::uint32_t pre_encrypt_offset = 0;
  // Version >= 0x20600 (XNU's names; rcodesign calls the second field linkage_truncated)
  std::uint8_t linkage_hash_type = 0;
  std::uint8_t linkage_application_type = 0;
  std::uint16_t linkage_application_subtype = 0;
  std::uint32_t linkage_offset = 0;
  std::uint32_t linkage_size = 0;

  std::string identifier;              // bytes up to the NUL (may be non-UTF-8: see diagnostics)
  std::optional<std::string> team_id;  // when version >= 0x20200 and teamOffset != 0
  std::vector<ScatterEntry> scatter;   // without the count == 0 sentinel

  Digest cdhash_full;                  // H(data) at native length
  std::array<std::uint8_t, kCdHashSize> cdhash{};  // truncated to 20 bytes (A12 #12.1)

  std::string cdhash_hex() const { return hex_encode(Bytes(cdhash.data(), cdhash.size())); }
  // Security signingLimit(): codeLimit64 when the version has it and it is nonzero.
  std::uint64_t code_limit() const;
  // 1 << pageSize (never 0: parse rejects pageSize 0 and >= 32).
  std::uint64_t page_size() const { return std::uint64_t{1} << page_size_log2; }
  bool has_exec_segment() const { return version >= kCdVersionExecSeg; }
  bool has_runtime() const { return version >= kCdVersionRuntime; }
  bool has_linkage() const { return version >= kCdVersionLinkage; }
  // Stored hash of special slot n (1..special_slot_count); empty when out of range.
  Bytes special_slot_hash(std::uint32_t n) const;
  // Stored hash of code page i (0..code_slot_count-1); empty when out of range.
  Bytes code_slot_hash(std::uint32_t i) const;
};

struct Signature {
  std::uint64_t file_offset = 0;  // absolute offset of the signature
  std::uint32_t magic = 0;        // kMagicEmbeddedSignature or kMagicCodeDirectory (bare)
  std::uint32_t length = 0;
  std::uint32_t count = 0;        // index entries (0 for a bare CodeDirectory)
  Bytes data;                     // the `length` bytes
  std::vector<Blob> blobs;        // in index order, unknown slots and magics included
  std::vector<CodeDirectory> code_directories;  // slots 0 and 0x1000..0x1004, index order
  std::vector<Diagnostic> diagnostics;

  bool is_bare_code_directory() const { return magic == kMagicCodeDirectory; }
  const Blob* find_blob(std::uint32_t slot) const;
  const CodeDirectory* find_code_directory(std::uint32_t slot) const;
  // The slot-0 CodeDirectory (the one the CMS signature covers, A4 #4.4).
  const CodeDirectory* primary_code_directory() const { return find_code_directory(kSlotCodeDirectory); }
  // The CodeDirectory XNU pages with: highest hash rank (A4 #4.2); nullptr when none.
  const CodeDirectory* best_code_directory() const;
  // Payload views of well-known blobs; nullopt when the slot is empty.
  std::optional<Bytes> entitlements_xml() const;
  std::optional<Bytes> entitlements_der() const;
  std::optional<Bytes> cms_payload() const;
  const Blob* requirements() const { return find_blob(kSlotRequirements); }
  bool has_diagnostic(std::string_view id) const;
};

struct SignatureOptions {
  // CS_MAX_BLOB_SIZE: XNU's F_ADDSIGS path refuses larger signatures with E2BIG (A0 #0.4).
  static constexpr std::uint64_t default_max_signature_bytes = 40ull << 20;
  std::uint64_t max_signature_bytes = default_max_signature_bytes;
};

// Parses an embedded signature (SuperBlob) or a bare CodeDirectory. `base_offset` is the
// position of `bytes` in the outermost input, used for every offset in the model and errors.
Result<Signature> parse_signature(Bytes bytes, std::uint64_t base_offset = 0,
                                  const Limits& limits = {}, const SignatureOptions& options = {});
// The LC_CODE_SIGNATURE bytes of a slice; "codesign.signature.absent" when it has none.
Result<Signature> parse_signature(const macho::Slice& slice, const Limits& limits = {},
                                  const SignatureOptions& options = {});
// Where a CodeDirectory version's fixed header ends: 44 (0x20001) up to 108 (0x20600 and later).
std::uint32_t code_directory_header_size(std::uint32_t version);
// One CodeDirectory blob (exactly its `length` bytes or more); diagnostics are appended to
// `diagnostics` when given.
Result<CodeDirectory> parse_code_directory(Bytes blob, std::uint64_t base_offset, std::uint32_t slot,
                                           std::vector<Diagnostic>* diagnostics = nullptr);

// ---------------------------------------------------------------------------
// Verification

enum class SlotStatus : std::uint8_t {
  ok,            // the blob's hash matches
  absent,        // zero hash (or slot past nSpecialSlots) and no blob: fine
  not_checked,   // Info.plist (-1) and resources (-3) live in the bundle, not the signature
  unknown_slot,  // a nonzero hash for a slot above 11: nothing known to check it against
  mismatch,      // the blob's hash differs
  missing_blob,  // nonzero hash but no blob in the SuperBlob
  unbound_blob,  // blob present but its hash is zero or its slot is past nSpecialSlots
};
std::string_view slot_status_name(SlotStatus status);
bool slot_status_ok(SlotStatus status);

struct SpecialSlotCheck {
  std::uint32_t slot = 0;  // printed as -slot
  SlotStatus status = SlotStatus::absent;
  std::string expected_hex;  // stored in the CD (empty when past nSpecialSlots)
  std::string actual_hex;    // computed from the blob (empty when there is none)
};

struct CodeDirectoryCheck {
  std::uint32_t slot = 0;
  std::uint8_t hash_type = 0;
  std::string cdhash_hex;
  std::uint32_t pages_checked = 0;
  bool code_pages_ok = false;
  std::vector<std::uint32_t> bad_pages;  // page indexes, ascending
  bool special_slots_ok = false;
  std::vector<std::uint32_t> bad_special_slots;  // slot numbers, ascending
  std::vector<SpecialSlotCheck> special_slots;   // 1..max(nSpecialSlots, 11)
  bool ok() const { return code_pages_ok && special_slots_ok; }
};

enum class SliceStatus : std::uint8_t {
  valid,      // every CodeDirectory's pages and special slots match
  invalid,    // a hash differs, the CMS cdhashes disagree, or there is no CodeDirectory
  unsigned_,  // no LC_CODE_SIGNATURE
  malformed,  // the signature (or its CMS blob) could not be parsed: see `error`
};
std::string_view slice_status_name(SliceStatus status);

struct SliceVerification {
  std::size_t slice_index = 0;
  std::uint64_t slice_offset = 0;
  std::string cpu;
  SliceStatus status = SliceStatus::unsigned_;
  std::optional<Error> error;  // set when malformed

  // The CodeDirectory XNU would page with (best hash rank), when there is one.
  std::optional<std::uint32_t> chosen_slot;
  std::string cdhash;  // hex, 40 characters
  std::string hash_type;
  bool code_pages_ok = false;
  std::vector<std::uint32_t> bad_pages;
  bool special_slots_ok = false;
  std::vector<std::uint32_t> bad_special_slots;

  // Every CodeDirectory is checked: an invalid weaker CD next to a valid stronger one must
  // not pass (codesign-rules C3, santa PR #942).
  std::vector<CodeDirectoryCheck> code_directories;
  // What the CMS signers signed against the CodeDirectories (hash agility, A4 #4.5). A
  // disagreement makes the slice invalid; a CMS that cannot be read makes it malformed.
  CmsAgreement cms;
  std::vector<Diagnostic> diagnostics;  // the signature's, plus placement findings

  bool valid() const { return status == SliceStatus::valid; }
};

struct Verification {
  std::vector<SliceVerification> slices;
  bool valid() const;  // every slice valid
};

// Checks one CodeDirectory's page hashes against `code` (the slice bytes) and its special
// slots against the signature's blobs.
CodeDirectoryCheck check_code_directory(const CodeDirectory& cd, const Signature& signature, Bytes code);
// Parses and checks the slice's signature. Never fails: problems are in the status.
SliceVerification verify_slice(const macho::Slice& slice, std::size_t slice_index = 0,
                               const Limits& limits = {}, const SignatureOptions& options = {});
Verification verify(const macho::File& file, const Limits& limits = {}, const SignatureOptions& options = {});

// ---------------------------------------------------------------------------
// Names for printing

// "code-directory", "requirements", "entitlements", "der-entitlements",
// "launch-constraint-self", "alternate-code-directory-1", "cms-signature", "unknown(0x...)".
std::string slot_name(std::uint32_t slot);
// "embedded-signature", "code-directory", "entitlements", "blob-wrapper", "unknown(0x...)".
std::string magic_name(std::uint32_t magic);
// Names of set flags ("adhoc", "runtime", "linker-signed", unknown bits as "unknown(0x...)").
std::vector<std::string> flag_names(std::uint32_t flags);
// codesign -dvvv style: "0x20002(adhoc,linker-signed)", "0x0(none)".
std::string format_flags(std::uint32_t flags);
// "main-binary", "allow-unsigned", "debugger", "jit", "skip-lv", "can-load-cdhash", ...
std::vector<std::string> exec_seg_flag_names(std::uint64_t flags);
// Packed runtime version (xxxx.yy.zz) as "12.0.0".
std::string format_runtime_version(std::uint32_t runtime);
// "0x20400"
std::string format_hex(std::uint64_t value);

}  // namespace entsig::codesign

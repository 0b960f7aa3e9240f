// CS_CodeDirectory, versions 0x20001 through 0x20600. Checks follow xnu ubc_subr.c
// cs_validate_codedirectory (K) and Security codedirectory.cpp checkIntegrity (S); rule
// numbers refer to shared/reference/codesign-rules.md section A.
#include <algorithm>

#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

// Field offsets inside CS_CodeDirectory.
constexpr std::uint64_t kOffLength = 4;
constexpr std::uint64_t kOffVersion = 8;
constexpr std::uint64_t kOffHashOffset = 16;
constexpr std::uint64_t kOffIdentOffset = 20;
constexpr std::uint64_t kOffSpecialSlots = 24;
constexpr std::uint64_t kOffCodeSlots = 28;
constexpr std::uint64_t kOffCodeLimit = 32;
constexpr std::uint64_t kOffHashSize = 36;
constexpr std::uint64_t kOffHashType = 37;
constexpr std::uint64_t kOffPageSize = 39;
constexpr std::uint64_t kOffSpare2 = 40;
constexpr std::uint64_t kOffScatter = 44;
constexpr std::uint64_t kOffTeam = 48;
constexpr std::uint64_t kOffSpare3 = 52;
constexpr std::uint64_t kOffCodeLimit64 = 56;
constexpr std::uint64_t kOffPreEncrypt = 92;
constexpr std::uint64_t kOffLinkageOffset = 100;
constexpr std::uint64_t kScatterEntrySize = 24;  // sizeof(SC_Scatter)
constexpr std::uint64_t kBlobHeaderSize = 8;

void add_diagnostic(std::vector<Diagnostic>* out, std::string_view id, std::uint64_t offset,
                    std::string message) {
  if (out) out->push_back(Diagnostic{id, offset, std::move(message)});
}

struct StringErrors {
  ErrorCode offset_zero;  // ok when zero offsets are allowed
  ErrorCode in_header;
  ErrorCode out_of_range;
  ErrorCode unterminated;
};

// A NUL-terminated string at `offset` inside the blob's `length` bytes (K A8 #8.1-8.2,
// S #8.3). A zero offset is refused here for the identifier, though both XNU and Security
// accept it: Security then reads the magic bytes as the identifier (A8 #8.3, C3).
Result<std::string> read_string(const Cursor& cd, std::uint32_t offset, std::uint64_t field_offset,
                                std::uint32_t header_size, const StringErrors& errors) {
  if (offset == 0) return make_error(errors.offset_zero, field_offset);
  if (offset < header_size)
    return make_error(errors.in_header, field_offset,
                      "offset " + std::to_string(offset) + " < header size " + std::to_string(header_size));
  if (offset >= cd.size())
    return make_error(errors.out_of_range, field_offset,
                      "offset " + std::to_string(offset) + ", length " + std::to_string(cd.size()));
  Bytes tail = *cd.bytes_at(offset, cd.size() - offset);
  auto nul = std::find(tail.begin(), tail.end(), std::uint8_t{0});
  if (nul == tail.end()) return make_error(errors.unterminated, cd.offset_of(offset));
  return std::string(tail.begin(), nul);
}

}  // namespace

// Where the fixed fields of a version end (sizes computed from cs_blobs.h, A3 table).
std::uint32_t code_directory_header_size(std::uint32_t version) {
  if (version >= kCdVersionLinkage) return 108;
  if (version >= kCdVersionRuntime) return 96;
  if (version >= kCdVersionExecSeg) return 88;
  if (version >= kCdVersionCodeLimit64) return 64;
  if (version >= kCdVersionTeamId) return 52;
  if (version >= kCdVersionScatter) return 48;
  return 44;
}

std::uint64_t CodeDirectory::code_limit() const {
  if (version >= kCdVersionCodeLimit64 && code_limit64 != 0) return code_limit64;
  return code_limit32;
}

Bytes CodeDirectory::special_slot_hash(std::uint32_t n) const {
  if (n == 0 || n > special_slot_count) return {};
  // parse_code_directory proved hash_offset - special_slot_count * hash_size >= 8.
  const std::uint64_t at = std::uint64_t{hash_offset} - std::uint64_t{n} * hash_size;
  return data.subspan(static_cast<std::size_t>(at), hash_size);
}

Bytes CodeDirectory::code_slot_hash(std::uint32_t i) const {
  if (i >= code_slot_count) return {};
  const std::uint64_t at = std::uint64_t{hash_offset} + std::uint64_t{i} * hash_size;
  return data.subspan(static_cast<std::size_t>(at), hash_size);
}

Result<CodeDirectory> parse_code_directory(Bytes blob, std::uint64_t base_offset, std::uint32_t slot,
                                           std::vector<Diagnostic>* diagnostics) {
  const Cursor whole(blob, base_offset);
  auto magic = whole.u32_at(0, Endian::big);
  auto declared_length = whole.u32_at(kOffLength, Endian::big);
  if (!magic || !declared_length)
    return make_error(ErrorCode::codesign_cd_too_short, base_offset + blob.size(), "no blob header");
  if (*magic != kMagicCodeDirectory)
    return make_error(ErrorCode::codesign_blob_wrong_magic, base_offset,
                      "expected code-directory, found " + magic_name(*magic));
  if (*declared_length > blob.size())
    return make_error(ErrorCode::codesign_superblob_length_exceeds_buffer, base_offset + kOffLength,
                      "length " + std::to_string(*declared_length) + ", available " +
                          std::to_string(blob.size()));
  // XNU cs_validate_codedirectory: length >= sizeof(CS_CodeDirectory) whatever the version
  // (A3 #3.1). Security's Blob validation asks for its own (equal or larger) struct size.
  if (*declared_length < kCdKernelMinimumLength)
    return make_error(ErrorCode::codesign_cd_too_short, base_offset + kOffLength,
                      "length " + std::to_string(*declared_length) + " < " +
                          std::to_string(kCdKernelMinimumLength));
  const Cursor cd = *whole.sub(0, *declared_length);
  const auto u8 = [&](std::uint64_t at) { return *cd.u8_at(at); };
  const auto u32 = [&](std::uint64_t at) { return *cd.u32_at(at, Endian::big); };
  const auto u64 = [&](std::uint64_t at) { return *cd.uint_at(at, 8, Endian::big); };

  CodeDirectory out;
  out.slot = slot;
  out.file_offset = base_offset;
  out.data = cd.data();
  out.length = *declared_length;
  out.version = u32(kOffVersion);
  // Security checkIntegrity: earliestVersion <= version < compatibilityLimit (A3 #3.3).
  if (out.version < kCdVersionEarliest)
    return make_error(ErrorCode::codesign_cd_version_too_old, base_offset + kOffVersion,
                      format_hex(out.version));
  if (out.version >= kCdVersionCompatibilityLimit)
    return make_error(ErrorCode::codesign_cd_version_unsupported, base_offset + kOffVersion,
                      format_hex(out.version));
  const std::uint32_t header_size = code_directory_header_size(out.version);

  out.flags = u32(12);
  out.hash_offset = u32(kOffHashOffset);
  out.identifier_offset = u32(kOffIdentOffset);
  out.special_slot_count = u32(kOffSpecialSlots);
  out.code_slot_count = u32(kOffCodeSlots);
  out.code_limit32 = u32(kOffCodeLimit);
  out.hash_size = u8(kOffHashSize);
  out.hash_type = u8(kOffHashType);
  out.platform = u8(38);
  out.page_size_log2 = u8(kOffPageSize);
  out.spare2 = u32(kOffSpare2);
  // Fields exist only from their version on; below it the bytes belong to something else.
  if (out.version >= kCdVersionScatter) out.scatter_offset = u32(kOffScatter);
  if (out.version >= kCdVersionTeamId) out.team_offset = u32(kOffTeam);
  if (out.version >= kCdVersionCodeLimit64) {
    out.spare3 = u32(kOffSpare3);
    out.code_limit64 = u64(kOffCodeLimit64);
  }
  if (out.version >= kCdVersionExecSeg) {
    out.exec_seg_base = u64(64);
    out.exec_seg_limit = u64(72);
    out.exec_seg_flags = u64(80);
  }
  if (out.version >= kCdVersionRuntime) {
    out.runtime = u32(88);
    out.pre_encrypt_offset = u32(kOffPreEncrypt);
  }
  if (out.version >= kCdVersionLinkage) {
    out.linkage_hash_type = u8(96);
    out.linkage_application_type = u8(97);
    out.linkage_application_subtype = static_cast<std::uint16_t>(*cd.uint_at(98, 2, Endian::big));
    out.linkage_offset = u32(kOffLinkageOffset);
    out.linkage_size = u32(104);
  }

  // XNU cs_find_md + hashSize check (A4 #4.1).
  auto expected_size = hash_size_for_type(out.hash_type);
  if (!expected_size)
    return make_error(ErrorCode::codesign_cd_unknown_hash_type, base_offset + kOffHashType,
                      "hashType " + std::to_string(out.hash_type));
  if (out.hash_size != *expected_size)
    return make_error(ErrorCode::codesign_cd_hash_size_mismatch, base_offset + kOffHashSize,
                      "hashSize " + std::to_string(out.hash_size) + " for " + hash_type_name(out.hash_type));

  // XNU cs_validate_codedirectory accepts PAGE_SHIFT_4K (12) or PAGE_SHIFT, which is 12 on
  // x86_64 and 14 on 16 KiB arm64 kernels (A5 #5.1). 0, which Security reads as one
  // infinite page, and shifts of 32 or more keep their own ids.
  if (out.page_size_log2 == 0) return make_error(ErrorCode::codesign_cd_page_size_zero, base_offset + kOffPageSize);
  if (out.page_size_log2 >= 32)
    return make_error(ErrorCode::codesign_cd_page_size_too_large, base_offset + kOffPageSize,
                      "pageSize " + std::to_string(out.page_size_log2));
  if (out.page_size_log2 != kPageShift4K && out.page_size_log2 != kPageShift16K)
    return make_error(ErrorCode::codesign_cd_page_size_unsupported, base_offset + kOffPageSize,
                      "pageSize " + std::to_string(out.page_size_log2));

  // Slot arithmetic in 64 bits (K A6 #6.1, S #6.2): special hashes lie between the blob
  // header and hashOffset, code hashes between hashOffset and length.
  if (out.hash_offset > out.length)
    return make_error(ErrorCode::codesign_cd_hash_offset_out_of_range, base_offset + kOffHashOffset,
                      "hashOffset " + std::to_string(out.hash_offset) + ", length " + std::to_string(out.length));
  const std::uint64_t special_bytes = std::uint64_t{out.special_slot_count} * out.hash_size;
  if (special_bytes > out.hash_offset || out.hash_offset - special_bytes < kBlobHeaderSize)
    return make_error(ErrorCode::codesign_cd_special_slots_out_of_range, base_offset + kOffSpecialSlots,
                      std::to_string(out.special_slot_count) + " special slots before hashOffset " +
                          std::to_string(out.hash_offset));
  if (out.hash_offset - special_bytes < header_size)
    add_diagnostic(diagnostics, diag::kSpecialSlotsOverlapHeader, base_offset + kOffSpecialSlots,
                   "special slot hashes start at " + std::to_string(out.hash_offset - special_bytes) +
                       ", inside the " + std::to_string(header_size) + "-byte header");
  const std::uint64_t code_bytes = std::uint64_t{out.code_slot_count} * out.hash_size;
  if (code_bytes > out.length - out.hash_offset)
    return make_error(ErrorCode::codesign_cd_code_slots_out_of_range, base_offset + kOffCodeSlots,
                      std::to_string(out.code_slot_count) + " code slots after hashOffset " +
                          std::to_string(out.hash_offset) + ", length " + std::to_string(out.length));

  // Identifier (mandatory) and team ID (version >= 0x20200, when nonzero).
  auto identifier = read_string(cd, out.identifier_offset, base_offset + kOffIdentOffset, header_size,
                                {ErrorCode::codesign_cd_identifier_offset_zero,
                                 ErrorCode::codesign_cd_identifier_in_header,
                                 ErrorCode::codesign_cd_identifier_out_of_range,
                                 ErrorCode::codesign_cd_identifier_unterminated});
  if (!identifier) return identifier.take_error();
  out.identifier = std::move(identifier.value());
  if (find_invalid_utf8(as_bytes(out.identifier)))
    add_diagnostic(diagnostics, diag::kIdentifierNotUtf8, base_offset + out.identifier_offset,
                   "identifier is not valid UTF-8");
  if (out.team_offset != 0) {
    auto team = read_string(cd, out.team_offset, base_offset + kOffTeam, header_size,
                            {ErrorCode::codesign_cd_team_id_in_header, ErrorCode::codesign_cd_team_id_in_header,
                             ErrorCode::codesign_cd_team_id_out_of_range,
                             ErrorCode::codesign_cd_team_id_unterminated});
    if (!team) return team.take_error();
    out.team_id = std::move(team.value());
  }

  // Scatter vector (K A7 #7.1-7.2, S #7.3): every entry and the count==0 sentinel inside
  // length, page total within 32 bits, bases strictly increasing, total <= nCodeSlots;
  // and (ours) no entry overlapping the previous one.
  if (out.scatter_offset != 0) {
    if (out.scatter_offset > out.length)
      return make_error(ErrorCode::codesign_cd_scatter_out_of_range, base_offset + kOffScatter,
                        "scatterOffset " + std::to_string(out.scatter_offset));
    std::uint64_t pos = out.scatter_offset;
    std::uint32_t pages = 0;
    for (;;) {  // ends: each round consumes 24 of at most `length` bytes
      if (out.length - pos < kScatterEntrySize)
        return make_error(ErrorCode::codesign_cd_scatter_out_of_range, base_offset + pos,
                          "entry " + std::to_string(out.scatter.size()) + " or its sentinel");
      ScatterEntry entry;
      entry.count = u32(pos);
      entry.base = u32(pos + 4);
      entry.target_offset = u64(pos + 8);
      entry.spare = u64(pos + 16);
      if (entry.count == 0) break;
      auto sum = checked_add<std::uint32_t>(pages, entry.count);
      if (!sum) return make_error(ErrorCode::codesign_cd_scatter_page_overflow, base_offset + pos);
      pages = *sum;
      if (!out.scatter.empty() && entry.base <= out.scatter.back().base)
        return make_error(ErrorCode::codesign_cd_scatter_not_increasing, base_offset + pos + 4,
                          "base " + std::to_string(entry.base) + " after " + std::to_string(out.scatter.back().base));
      // XNU leaves overlapping ranges unchecked ("XXX", A7 #7.1). Refused here: overlapping
      // entries would let a small signature make verify hash the same pages many times.
      if (!out.scatter.empty() &&
          entry.base < std::uint64_t{out.scatter.back().base} + out.scatter.back().count)
        return make_error(ErrorCode::codesign_cd_scatter_overlap, base_offset + pos + 4,
                          "base " + std::to_string(entry.base) + " inside pages " +
                              std::to_string(out.scatter.back().base) + "+" + std::to_string(out.scatter.back().count));
      out.scatter.push_back(entry);
      pos += kScatterEntrySize;
    }
    if (pages > out.code_slot_count)
      return make_error(ErrorCode::codesign_cd_scatter_exceeds_code_slots, base_offset + kOffScatter,
                        std::to_string(pages) + " pages, " + std::to_string(out.code_slot_count) + " code slots");
  }

  // Security checkIntegrity page-count consistency (A5 #5.2, A10 #10.2). XNU compiled its
  // scatter form out (#if 0, A7 #7.1), so a scattered CD is checked by its entries only.
  if (out.scatter.empty()) {
    const std::uint64_t limit = out.code_limit();
    const std::uint64_t expected = limit == 0 ? 0 : ((limit - 1) >> out.page_size_log2) + 1;
    if (limit == 0 || out.code_slot_count != expected)
      return make_error(ErrorCode::codesign_cd_code_slot_count_mismatch, base_offset + kOffCodeSlots,
                        std::to_string(out.code_slot_count) + " code slots for code limit " +
                            std::to_string(limit) + " and page size " + std::to_string(out.page_size()));
  }

  // XNU ubc_cs_blob_add: the code the CD covers runs from the first scatter entry's page to
  // the 32-bit codeLimit rounded up to a page, and an empty range is EINVAL (A7 #7.4,
  // A10 #10.1). The kernel reads codeLimit only (A3 #3.2), so codeLimit64 cannot stand in
  // for a zero codeLimit. The entry at scatterOffset (the sentinel when there is no other)
  // was checked to lie inside the blob above.
  const std::uint64_t page_mask = out.page_size() - 1;
  const std::uint64_t range_end = (std::uint64_t{out.code_limit32} + page_mask) & ~page_mask;
  const std::uint64_t range_start =
      out.scatter_offset == 0 ? 0 : std::uint64_t{u32(std::uint64_t{out.scatter_offset} + 4)} << out.page_size_log2;
  if (range_start >= range_end)
    return make_error(ErrorCode::codesign_cd_code_range_empty,
                      base_offset + (out.code_limit32 == 0 ? kOffCodeLimit : out.scatter_offset + 4),
                      "pages from " + std::to_string(range_start) + " to codeLimit " + std::to_string(out.code_limit32) +
                          " rounded up to " + std::to_string(range_end));

  // Pre-encrypt hashes: contains(preEncryptOffset, hashSize * nCodeSlots) (S A9 #9.2).
  if (out.pre_encrypt_offset != 0 &&
      (out.pre_encrypt_offset < kBlobHeaderSize || !range_fits(out.pre_encrypt_offset, code_bytes, out.length)))
    return make_error(ErrorCode::codesign_cd_pre_encrypt_out_of_range, base_offset + kOffPreEncrypt,
                      "preEncryptOffset " + std::to_string(out.pre_encrypt_offset));
  // Linkage: offset + size must not wrap and must stay inside the blob (K A9 #9.1).
  if (out.linkage_hash_type != 0 &&
      (!checked_add<std::uint32_t>(out.linkage_offset, out.linkage_size) ||
       !range_fits(out.linkage_offset, out.linkage_size, out.length)))
    return make_error(ErrorCode::codesign_cd_linkage_out_of_range, base_offset + kOffLinkageOffset,
                      "linkageOffset " + std::to_string(out.linkage_offset) + ", linkageSize " +
                          std::to_string(out.linkage_size));

  // Findings that do not stop the parse.
  if (out.version > kCdVersionLatestKnown)
    add_diagnostic(diagnostics, diag::kVersionNewer, base_offset + kOffVersion,
                   "version " + format_hex(out.version) + " is newer than " + format_hex(kCdVersionLatestKnown) +
                       "; fields past it are not read");
  if (out.spare2 != 0 || out.spare3 != 0)
    add_diagnostic(diagnostics, diag::kSpareNonzero, base_offset + (out.spare2 != 0 ? kOffSpare2 : kOffSpare3),
                   "spare fields are documented as zero (A3 #3.5)");
  if ((out.flags & ~kFlagsAllowedByKernel) != 0)
    add_diagnostic(diagnostics, diag::kFlagsIgnoredByKernel, base_offset + 12,
                   "flags " + format_hex(out.flags & ~kFlagsAllowedByKernel) + " are outside CS_ALLOWED_MACHO");
  if (out.code_limit64 != 0)
    add_diagnostic(diagnostics, diag::kCodeLimit64, base_offset + kOffCodeLimit64,
                   "codeLimit64 " + std::to_string(out.code_limit64) + " is used by Security; XNU pages with codeLimit " +
                       std::to_string(out.code_limit32) + " (A3 #3.2)");

  // cdhash: H(cd[0 .. length)) with the CD's own hash type, truncated to 20 (A12 #12.1).
  out.cdhash_full = compute_digest(out.hash_type, out.data);
  if (out.cdhash_full.size < kCdHashSize)
    return make_error(ErrorCode::codesign_hash_unavailable, base_offset, hash_type_name(out.hash_type));
  std::copy_n(out.cdhash_full.bytes.begin(), kCdHashSize, out.cdhash.begin());
  return out;
}

}  // namespace entsig::codesign

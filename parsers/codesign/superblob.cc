// The embedded signature SuperBlob (CSMAGIC_EMBEDDED_SIGNATURE) and its index. XNU's
// cs_validate_csblob rules are errors; Security's stricter layout rules (superblob.h
// validateBlob / strictValidateBlob) are diagnostics. Rule numbers: codesign-rules.md A1/A2.
#include <algorithm>
#include <new>
#include <unordered_set>

#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

constexpr std::uint64_t kBlobHeaderSize = 8;        // CS_GenericBlob
constexpr std::uint64_t kSuperBlobHeaderSize = 12;  // CS_SuperBlob without its index
constexpr std::uint64_t kIndexEntrySize = 8;        // CS_BlobIndex

bool is_code_directory_slot(std::uint32_t slot) {
  return slot == kSlotCodeDirectory ||
         (slot >= kSlotAlternateCodeDirectories &&
          slot < kSlotAlternateCodeDirectories + kAlternateCodeDirectoryCount);
}

// The magic a slot must hold, or nullopt when any magic is kept (unknown slots stay as
// they are). XNU requires 5/7/8-11 (A2 #2.2) and validates every CD slot as a CD (#2.1);
// requirements and the CMS wrapper are required by Security's readers.
std::optional<std::uint32_t> required_magic(std::uint32_t slot) {
  if (is_code_directory_slot(slot)) return kMagicCodeDirectory;
  switch (slot) {
    case kSlotRequirements: return kMagicRequirements;
    case kSlotEntitlements: return kMagicEntitlements;
    case kSlotDerEntitlements: return kMagicDerEntitlements;
    case kSlotLaunchConstraintSelf:
    case kSlotLaunchConstraintParent:
    case kSlotLaunchConstraintResponsible:
    case kSlotLibraryConstraint: return kMagicLaunchConstraint;
    case kSlotSignature: return kMagicBlobWrapper;
    default: return std::nullopt;
  }
}

void add(std::vector<Diagnostic>& out, std::string_view id, std::uint64_t offset, std::string message) {
  out.push_back(Diagnostic{id, offset, std::move(message)});
}

// Security's layout rules, reported but not enforced: XNU accepts all of these (A1 #1.4).
void check_layout(Signature& sig) {
  const std::uint64_t index_end = kSuperBlobHeaderSize + std::uint64_t{sig.count} * kIndexEntrySize;
  std::vector<const Blob*> placed;
  std::uint32_t previous_offset = 0;
  bool unsorted_reported = false;
  for (const auto& blob : sig.blobs) {
    if (blob.offset == 0) {
      // Security skips a zero offset as a null entry; XNU reads the SuperBlob header there.
      add(sig.diagnostics, diag::kNullIndexEntry, blob.index_offset,
          "slot " + slot_name(blob.slot) + " has offset 0");
      continue;
    }
    if (blob.offset < index_end)
      add(sig.diagnostics, diag::kBlobOverlapsIndex, blob.index_offset + 4,
          "blob at " + std::to_string(blob.offset) + " starts inside the index ending at " + std::to_string(index_end));
    if (blob.offset < previous_offset && !unsorted_reported) {
      // rcodesign slices blob i as [offset_i, offset_i+1) (A1 #1.7): unsorted offsets break it.
      add(sig.diagnostics, diag::kIndexUnsorted, blob.index_offset + 4,
          "offset " + std::to_string(blob.offset) + " after " + std::to_string(previous_offset));
      unsorted_reported = true;
    }
    previous_offset = blob.offset;
    placed.push_back(&blob);
  }
  std::stable_sort(placed.begin(), placed.end(), [](const Blob* a, const Blob* b) { return a->offset < b->offset; });
  bool overlap = false;
  std::uint64_t end = index_end;
  bool tiled = true;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const Blob* b = placed[i];
    if (i > 0 && b->offset < end && !overlap) {
      add(sig.diagnostics, diag::kBlobsOverlap, b->index_offset + 4,
          slot_name(b->slot) + " at " + std::to_string(b->offset) + " overlaps the blob ending at " + std::to_string(end));
      overlap = true;
    }
    if (b->offset != end) tiled = false;
    end = std::max<std::uint64_t>(end, std::uint64_t{b->offset} + b->length);
  }
  if (end != sig.length) tiled = false;
  // strictValidateBlob (A1 #1.6): blobs tile [index end, length) exactly. Apple applies it
  // to disk images only, so this is informational for Mach-O.
  if (!tiled && !overlap)
    add(sig.diagnostics, diag::kBlobsNotTiled, sig.file_offset,
        "blobs do not exactly cover bytes " + std::to_string(index_end) + " to " + std::to_string(sig.length));
}

Status check_code_directory_set(Signature& sig) {
  // Any two CDs with one hash type: Security rejects always, XNU when it equals the best
  // so far (A2 #2.4-2.5). Refused here in every order.
  for (std::size_t i = 0; i < sig.code_directories.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (sig.code_directories[i].hash_type == sig.code_directories[j].hash_type)
        return make_error(ErrorCode::codesign_superblob_duplicate_hash_type,
                          sig.code_directories[i].file_offset + 37,
                          hash_type_name(sig.code_directories[i].hash_type) + " in " +
                              slot_name(sig.code_directories[j].slot) + " and " + slot_name(sig.code_directories[i].slot));
  if (sig.is_bare_code_directory()) return Ok{};
  // cs_validate_csblob ends with EBADEXEC when no index entry gave it a CodeDirectory
  // (A2 #2.1); Security counts such code as unsigned (A2 #2.5). The offset is the count field.
  if (sig.code_directories.empty())
    return make_error(ErrorCode::codesign_superblob_no_code_directory, sig.file_offset + 8,
                      std::to_string(sig.count) + " index entries, none in slot 0 or 0x1000..0x1004");
  if (!sig.find_code_directory(kSlotCodeDirectory))
    add(sig.diagnostics, diag::kNoPrimaryCodeDirectory, sig.file_offset,
        "no CodeDirectory in slot 0: Security treats the code as unsigned, XNU uses the alternates (C3)");
  // Security scans alternates upward and stops at the first empty slot (A2 #2.5).
  bool gap = false;
  for (std::uint32_t k = 0; k < kAlternateCodeDirectoryCount; ++k) {
    const bool present = sig.find_code_directory(kSlotAlternateCodeDirectories + k) != nullptr;
    if (!present) gap = true;
    if (present && gap) {
      add(sig.diagnostics, diag::kAlternateGap, sig.find_code_directory(kSlotAlternateCodeDirectories + k)->file_offset,
          slot_name(kSlotAlternateCodeDirectories + k) + " follows an empty alternate slot: Security never reads it");
      break;
    }
  }
  // CVE-2023-41991 put an App Store CD in slot 0 and the attacker's CD in 0x1000 with a
  // rewritten team ID and flags 0 (C2 d): CDs of one signature should describe one code.
  const CodeDirectory& first = sig.code_directories.front();
  for (std::size_t i = 1; i < sig.code_directories.size(); ++i) {
    const CodeDirectory& cd = sig.code_directories[i];
    if (cd.team_id != first.team_id)
      add(sig.diagnostics, diag::kTeamIdMismatch, cd.file_offset,
          slot_name(cd.slot) + " team ID differs from " + slot_name(first.slot));
    if (cd.identifier != first.identifier)
      add(sig.diagnostics, diag::kIdentifierMismatch, cd.file_offset,
          slot_name(cd.slot) + " identifier differs from " + slot_name(first.slot));
    if (cd.flags != first.flags)
      add(sig.diagnostics, diag::kFlagsMismatch, cd.file_offset,
          slot_name(cd.slot) + " flags " + format_hex(cd.flags) + " differ from " + format_hex(first.flags));
  }
  return Ok{};
}

Result<Signature> parse_superblob(const Cursor& input, const Limits& limits) {
  Signature sig;
  sig.file_offset = input.base();
  sig.magic = kMagicEmbeddedSignature;
  sig.length = *input.u32_at(4, Endian::big);
  // cs_validate_csblob: length >= 12, length <= buffer; from here `length` is the bound
  // (A1 #1.1, #1.3).
  if (sig.length < kSuperBlobHeaderSize)
    return make_error(ErrorCode::codesign_superblob_length_too_small, input.offset_of(4),
                      "length " + std::to_string(sig.length));
  if (sig.length > input.size())
    return make_error(ErrorCode::codesign_superblob_length_exceeds_buffer, input.offset_of(4),
                      "length " + std::to_string(sig.length) + ", available " + std::to_string(input.size()));
  const Cursor super = *input.sub(0, sig.length);
  sig.data = super.data();
  sig.count = *super.u32_at(8, Endian::big);
  // (length - 12) / 8 >= count, in the division form that cannot overflow (A1 #1.3). The
  // count is checked before anything is allocated from it (go-macho allocated 2 GiB, #1.8).
  if (sig.count > (sig.length - kSuperBlobHeaderSize) / kIndexEntrySize)
    return make_error(ErrorCode::codesign_superblob_count_exceeds_length, super.offset_of(8),
                      "count " + std::to_string(sig.count) + ", length " + std::to_string(sig.length));
  if (sig.count > limits.max_objects)
    return limit_error(ErrorCode::codesign_superblob_count_exceeds_length, super.offset_of(8), "max_objects",
                       limits.max_objects);
  sig.blobs.reserve(sig.count);
  std::unordered_set<std::uint32_t> seen_slots;  // linear in count: count may be millions

  for (std::uint32_t i = 0; i < sig.count; ++i) {
    const std::uint64_t entry = kSuperBlobHeaderSize + std::uint64_t{i} * kIndexEntrySize;
    Blob blob;
    blob.index_offset = super.offset_of(entry);
    blob.slot = *super.u32_at(entry, Endian::big);
    blob.offset = *super.u32_at(entry + 4, Endian::big);
    // Each entry: a blob header fits at offset, and its length stays inside `length`
    // (A1 #1.4). A blob shorter than its own header is refused too: ldid and go-macho
    // underflow on it (C6, C8).
    if (!range_fits(blob.offset, kBlobHeaderSize, sig.length))
      return make_error(ErrorCode::codesign_blob_offset_out_of_range, blob.index_offset + 4,
                        slot_name(blob.slot) + " at offset " + std::to_string(blob.offset) + ", length " +
                            std::to_string(sig.length));
    blob.file_offset = super.offset_of(blob.offset);
    blob.magic = *super.u32_at(blob.offset, Endian::big);
    blob.length = *super.u32_at(std::uint64_t{blob.offset} + 4, Endian::big);
    if (blob.length < kBlobHeaderSize)
      return make_error(ErrorCode::codesign_blob_length_too_small, blob.file_offset + 4,
                        slot_name(blob.slot) + " length " + std::to_string(blob.length));
    if (blob.length > sig.length - blob.offset)
      return make_error(ErrorCode::codesign_blob_length_exceeds_superblob, blob.file_offset + 4,
                        slot_name(blob.slot) + " length " + std::to_string(blob.length) + " at offset " +
                            std::to_string(blob.offset) + ", SuperBlob length " + std::to_string(sig.length));
    if (auto want = required_magic(blob.slot); want && blob.magic != *want)
      return make_error(ErrorCode::codesign_blob_wrong_magic, blob.file_offset,
                        slot_name(blob.slot) + " holds " + magic_name(blob.magic) + ", expected " + magic_name(*want));
    // XNU: "multiple ... blobs" for slots 5, 7, 8-11 and equal-rank CDs (A2 #2.2, #2.4);
    // lookup elsewhere takes the first match (#2.3), so a second blob in any slot is a
    // second reading. Refused for every slot.
    if (!seen_slots.insert(blob.slot).second)
      return make_error(ErrorCode::codesign_superblob_duplicate_slot, blob.index_offset,
                        slot_name(blob.slot));
    blob.data = *super.bytes_at(blob.offset, blob.length);
    sig.blobs.push_back(blob);
  }

  check_layout(sig);
  for (const auto& blob : sig.blobs) {
    if (is_code_directory_slot(blob.slot)) {
      // XNU validates every CD slot, not just the one it will use (A2 #2.1).
      auto cd = parse_code_directory(blob.data, blob.file_offset, blob.slot, &sig.diagnostics);
      if (!cd) return cd.take_error();
      sig.code_directories.push_back(std::move(cd.value()));
    } else if (blob.magic == kMagicCodeDirectory) {
      // XNU and Security ignore it; ldid -h hashes it as a candidate CD (A2 #2.1, #2.7).
      add(sig.diagnostics, diag::kCodeDirectoryOutsideCdSlots, blob.file_offset,
          "a CodeDirectory in " + slot_name(blob.slot) + " is ignored by XNU and Security");
    }
  }
  if (auto st = check_code_directory_set(sig); !st) return st.error();
  return sig;
}

}  // namespace

Result<Signature> parse_signature(Bytes bytes, std::uint64_t base_offset, const Limits& limits,
                                  const SignatureOptions& options) {
  if (bytes.size() > options.max_signature_bytes)
    return limit_error(ErrorCode::codesign_signature_too_large, base_offset, "max_signature_bytes (SignatureOptions)",
                       options.max_signature_bytes);
  try {
    const Cursor input(bytes, base_offset);
    // cs_validate_blob: at least a blob header (A1 #1.1).
    auto magic = input.u32_at(0, Endian::big);
    auto length = input.u32_at(4, Endian::big);
    if (!magic || !length)
      return make_error(ErrorCode::codesign_superblob_truncated, base_offset + bytes.size(),
                        std::to_string(bytes.size()) + " bytes");
    if (*magic == kMagicEmbeddedSignature) return parse_superblob(input, limits);
    if (*magic == kMagicCodeDirectory) {
      // cs_validate_csblob accepts a bare CodeDirectory as the whole signature (A1 #1.2).
      if (*length > bytes.size())
        return make_error(ErrorCode::codesign_superblob_length_exceeds_buffer, base_offset + 4,
                          "length " + std::to_string(*length) + ", available " + std::to_string(bytes.size()));
      Signature sig;
      sig.file_offset = base_offset;
      sig.magic = kMagicCodeDirectory;
      sig.length = *length;
      sig.data = bytes.subspan(0, *length);
      auto cd = parse_code_directory(sig.data, base_offset, kSlotCodeDirectory, &sig.diagnostics);
      if (!cd) return cd.take_error();
      sig.code_directories.push_back(std::move(cd.value()));
      if (auto st = check_code_directory_set(sig); !st) return st.error();
      return sig;
    }
    // Everything else, including the old embedded magic 0xfade0b02, is EBADEXEC (A1 #1.2).
    return make_error(ErrorCode::codesign_superblob_bad_magic, base_offset, magic_name(*magic));
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_internal, base_offset, "out of memory");
  }
}

Result<Signature> parse_signature(const macho::Slice& slice, const Limits& limits, const SignatureOptions& options) {
  if (!slice.code_signature) return make_error(ErrorCode::codesign_signature_absent, slice.offset);
  return parse_signature(slice.signature_bytes(), slice.signature_offset(), limits, options);
}

const Blob* Signature::find_blob(std::uint32_t slot) const {
  for (const auto& blob : blobs)
    if (blob.slot == slot) return &blob;
  return nullptr;
}

const CodeDirectory* Signature::find_code_directory(std::uint32_t slot) const {
  for (const auto& cd : code_directories)
    if (cd.slot == slot) return &cd;
  return nullptr;
}

const CodeDirectory* Signature::best_code_directory() const {
  // XNU keeps the CD of highest hash rank (A4 #4.2); hash types are unique after parsing.
  const CodeDirectory* best = nullptr;
  for (const auto& cd : code_directories)
    if (!best || hash_rank(cd.hash_type) > hash_rank(best->hash_type)) best = &cd;
  return best;
}

std::optional<Bytes> Signature::entitlements_xml() const {
  if (const Blob* b = find_blob(kSlotEntitlements)) return b->payload();
  return std::nullopt;
}

std::optional<Bytes> Signature::entitlements_der() const {
  if (const Blob* b = find_blob(kSlotDerEntitlements)) return b->payload();
  return std::nullopt;
}

std::optional<Bytes> Signature::cms_payload() const {
  if (const Blob* b = find_blob(kSlotSignature)) return b->payload();
  return std::nullopt;
}

bool Signature::has_diagnostic(std::string_view id) const {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) { return d.id == id; });
}

}  // namespace entsig::codesign

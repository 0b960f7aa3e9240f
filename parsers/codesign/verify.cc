// Hash verification of a slice against its CodeDirectories: code pages (xnu
// cs_validate_hash / Security validateExecutable) and special slots (xnu
// csblob_find_special_slot_blob and friends, A6 #6.4). Pages are hashed straight from the
// input span, one reusable hasher per CodeDirectory. The CMS blob's cdhash lists are compared
// with the CodeDirectories (cms_agreement.cc).
#include <algorithm>
#include <new>

#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

bool all_zero(Bytes bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool digest_matches(const Digest& digest, Bytes stored) {
  // SHA-256-truncated stores the first 20 bytes of the 32-byte digest.
  return digest.size >= stored.size() && std::equal(stored.begin(), stored.end(), digest.bytes.begin());
}

// Blobs sorted by slot, for lookups from special-slot numbers (there may be millions of
// index entries in a hostile signature, and as many special slots).
class BlobsBySlot {
 public:
  explicit BlobsBySlot(const Signature& sig) {
    sorted_.reserve(sig.blobs.size());
    for (const auto& blob : sig.blobs) sorted_.push_back(&blob);
    std::sort(sorted_.begin(), sorted_.end(), [](const Blob* a, const Blob* b) { return a->slot < b->slot; });
  }
  const Blob* find(std::uint32_t slot) const {
    auto it = std::lower_bound(sorted_.begin(), sorted_.end(), slot,
                               [](const Blob* b, std::uint32_t s) { return b->slot < s; });
    return it != sorted_.end() && (*it)->slot == slot ? *it : nullptr;
  }

 private:
  std::vector<const Blob*> sorted_;
};

// One page: [start, min(start + page size, code limit)) of the slice, hashed and compared.
// The last page is partial up to the code limit (A10 #10.1). A page outside the slice
// cannot match.
bool page_matches(Hasher& hasher, Bytes code, std::uint64_t start, std::uint64_t page_size, std::uint64_t limit,
                  Bytes stored) {
  if (start >= limit) return false;
  const std::uint64_t end = std::min(start + page_size, limit);
  if (!range_fits(start, end - start, code.size())) return false;
  const Digest digest = hasher.digest(code.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
  return digest_matches(digest, stored);
}

void check_pages(const CodeDirectory& cd, Bytes code, Hasher& hasher, CodeDirectoryCheck& out) {
  const std::uint64_t page_size = cd.page_size();
  const std::uint64_t limit = cd.code_limit();
  if (cd.scatter.empty()) {
    for (std::uint32_t i = 0; i < cd.code_slot_count; ++i) {
      // i < 2^32 and page_size <= 2^31, so the product fits in 64 bits.
      if (!page_matches(hasher, code, std::uint64_t{i} * page_size, page_size, limit, cd.code_slot_hash(i)))
        out.bad_pages.push_back(i);
      ++out.pages_checked;
    }
    return;
  }
  // Scattered: entry k covers pages base .. base+count-1 with consecutive hash slots
  // (xnu hashes()); parse proved the slot total is <= nCodeSlots.
  std::uint32_t slot = 0;
  for (const auto& entry : cd.scatter) {
    for (std::uint32_t j = 0; j < entry.count; ++j, ++slot) {
      const std::uint64_t page = std::uint64_t{entry.base} + j;
      if (!page_matches(hasher, code, page * page_size, page_size, limit, cd.code_slot_hash(slot)))
        out.bad_pages.push_back(slot);
      ++out.pages_checked;
    }
  }
}

void check_special_slots(const CodeDirectory& cd, const BlobsBySlot& blobs, Hasher& hasher, CodeDirectoryCheck& out) {
  const std::uint32_t last = std::max(cd.special_slot_count, kMaxKnownSpecialSlot);
  for (std::uint32_t n = 1; n <= last; ++n) {
    SpecialSlotCheck check;
    check.slot = n;
    const Bytes stored = cd.special_slot_hash(n);  // empty past nSpecialSlots
    const bool zero = stored.empty() || all_zero(stored);
    // Info.plist and resources are files of a bundle, not blobs of the signature.
    const bool bundle_file = n == kSlotInfoPlist || n == kSlotResources;
    const Blob* blob = bundle_file ? nullptr : blobs.find(n);
    if (!stored.empty()) check.expected_hex = hex_encode(stored);
    if (bundle_file) {
      check.status = zero ? SlotStatus::absent : SlotStatus::not_checked;
    } else if (zero) {
      // A zero hash, or a slot past nSpecialSlots, means the blob must be absent (A6 #6.4).
      check.status = blob ? SlotStatus::unbound_blob : SlotStatus::absent;
    } else if (!blob) {
      check.status = n > kMaxKnownSpecialSlot ? SlotStatus::unknown_slot : SlotStatus::missing_blob;
    } else {
      // H(blob[0 .. length)), header included, under the CD's hash type (A6 #6.4).
      const Digest digest = hasher.digest(blob->data);
      check.actual_hex = hex_encode(Bytes(digest.bytes.data(), std::min(digest.size, stored.size())));
      check.status = digest_matches(digest, stored) ? SlotStatus::ok : SlotStatus::mismatch;
    }
    if (blob && check.actual_hex.empty() && check.status == SlotStatus::unbound_blob) {
      const Digest digest = hasher.digest(blob->data);
      check.actual_hex = hex_encode(Bytes(digest.bytes.data(), std::min<std::size_t>(digest.size, cd.hash_size)));
    }
    if (!slot_status_ok(check.status)) out.bad_special_slots.push_back(n);
    // Keep the known slots always, and any other only when it says something.
    if (n <= kMaxKnownSpecialSlot || check.status != SlotStatus::absent) out.special_slots.push_back(std::move(check));
  }
}

void add(std::vector<Diagnostic>& out, std::string_view id, std::uint64_t offset, std::string message) {
  out.push_back(Diagnostic{id, offset, std::move(message)});
}

// Where the signature sits in the slice, and how the CD's ranges relate to the segments.
void check_placement(const macho::Slice& slice, const Signature& sig, SliceVerification& out) {
  const auto& loc = *slice.code_signature;
  const macho::Segment* linkedit = slice.linkedit_segment();
  // rcodesign verify reports both (A0 #0.5).
  if (linkedit && std::uint64_t{loc.dataoff} + loc.datasize != linkedit->fileoff + linkedit->filesize)
    add(out.diagnostics, diag::kSignatureNotAtLinkeditEnd, loc.command_offset + 8,
        "signature ends at " + std::to_string(std::uint64_t{loc.dataoff} + loc.datasize) + ", __LINKEDIT at " +
            std::to_string(linkedit->fileoff + linkedit->filesize));
  if (linkedit && !slice.segments.empty() && &slice.segments.back() != linkedit)
    add(out.diagnostics, diag::kLinkeditNotLast, linkedit->command_offset,
        "__LINKEDIT is followed by " + slice.segments.back().name);
  const macho::Segment* text = slice.text_segment();
  for (const auto& cd : sig.code_directories) {
    // Signers hash up to the signature; a different limit leaves bytes unhashed or
    // hashes the signature itself.
    if (cd.code_limit() != loc.dataoff)
      add(out.diagnostics, diag::kCodeLimitNotSignatureOffset, cd.file_offset + 32,
          slot_name(cd.slot) + " code limit " + std::to_string(cd.code_limit()) + ", signature at " +
              std::to_string(loc.dataoff));
    if (cd.code_limit() > slice.size)
      add(out.diagnostics, diag::kCodeLimitPastSlice, cd.file_offset + 32,
          slot_name(cd.slot) + " code limit " + std::to_string(cd.code_limit()) + ", slice size " +
              std::to_string(slice.size));
    // The exec segment is __TEXT or a prefix of it (lld uses the whole segment, ld64 the
    // end of its executable sections); all-zero fields failed on arm64 macOS (C10,
    // golang/go #42684).
    if (cd.has_exec_segment() && text &&
        (cd.exec_seg_limit == 0 || cd.exec_seg_base != text->fileoff || cd.exec_seg_limit > text->filesize))
      add(out.diagnostics, diag::kExecSegMismatch, cd.file_offset + 64,
          slot_name(cd.slot) + " execSeg [" + std::to_string(cd.exec_seg_base) + ", +" +
              std::to_string(cd.exec_seg_limit) + "), __TEXT [" + std::to_string(text->fileoff) + ", +" +
              std::to_string(text->filesize) + ")");
  }
}

}  // namespace

CodeDirectoryCheck check_code_directory(const CodeDirectory& cd, const Signature& signature, Bytes code) {
  CodeDirectoryCheck out;
  out.slot = cd.slot;
  out.hash_type = cd.hash_type;
  out.cdhash_hex = cd.cdhash_hex();
  Hasher hasher(cd.hash_type);
  check_pages(cd, code, hasher, out);
  check_special_slots(cd, BlobsBySlot(signature), hasher, out);
  out.code_pages_ok = out.bad_pages.empty();
  out.special_slots_ok = out.bad_special_slots.empty();
  return out;
}

SliceVerification verify_slice(const macho::Slice& slice, std::size_t slice_index, const Limits& limits,
                               const SignatureOptions& options) {
  SliceVerification out;
  out.slice_index = slice_index;
  out.slice_offset = slice.offset;
  out.cpu = slice.cpu_name();
  try {
    if (!slice.code_signature) {
      out.status = SliceStatus::unsigned_;
      return out;
    }
    auto sig = parse_signature(slice, limits, options);
    if (!sig) {
      out.status = SliceStatus::malformed;
      out.error = sig.take_error();
      return out;
    }
    out.diagnostics = sig->diagnostics;
    check_placement(slice, *sig, out);
    bool all_ok = !sig->code_directories.empty();
    for (const auto& cd : sig->code_directories) {
      out.code_directories.push_back(check_code_directory(cd, *sig, slice.data));
      all_ok = all_ok && out.code_directories.back().ok();
    }
    // The CMS signs the slot-0 CodeDirectory and lists every cdhash (A4 #4.4, #4.5).
    CmsOptions cms_options;
    cms_options.decode_certificates = false;  // agreement reads only the signed attributes
    if (auto cms = parse_signature_cms(*sig, cms_options)) {
      if (cms->ok()) {
        out.cms = check_cms_agreement(cms->value(), *sig);
      } else {
        out.cms.status = CmsAgreementStatus::malformed;
        out.error = cms->take_error();
      }
    }
    if (const CodeDirectory* best = sig->best_code_directory()) {
      const auto& chosen = out.code_directories[static_cast<std::size_t>(best - sig->code_directories.data())];
      out.chosen_slot = best->slot;
      out.cdhash = chosen.cdhash_hex;
      out.hash_type = hash_type_name(best->hash_type);
      out.code_pages_ok = chosen.code_pages_ok;
      out.bad_pages = chosen.bad_pages;
      out.special_slots_ok = chosen.special_slots_ok;
      out.bad_special_slots = chosen.bad_special_slots;
    }
    if (out.error)
      out.status = SliceStatus::malformed;
    else
      out.status = all_ok && out.cms.ok() ? SliceStatus::valid : SliceStatus::invalid;
  } catch (const std::bad_alloc&) {
    out.status = SliceStatus::malformed;
    out.error = make_error(ErrorCode::core_internal, slice.offset, "out of memory");
  }
  return out;
}

Verification verify(const macho::File& file, const Limits& limits, const SignatureOptions& options) {
  Verification out;
  for (std::size_t i = 0; i < file.slices.size(); ++i)
    out.slices.push_back(verify_slice(file.slices[i], i, limits, options));
  return out;
}

bool Verification::valid() const {
  return !slices.empty() &&
         std::all_of(slices.begin(), slices.end(), [](const SliceVerification& s) { return s.valid(); });
}

}  // namespace entsig::codesign

// Invariants of a parsed code signature, shared by the superblob, code_directory and macho
// targets: every view lies inside the bytes it came from, CodeDirectory accessors stay in
// range, cdhash is the hash of the CD's bytes, and the embedded entitlements and
// requirements go through their own readers (where rejects are fine).
#pragma once

#include <algorithm>
#include <functional>

#include "entsig/codesign.h"
#include "entsig/der.h"
#include "entsig/plist.h"
#include "entsig/requirements.h"
#include "fuzz_helpers.h"

namespace entsig::fuzz {

// True when `inner` is a sub-span of `outer` (an empty span anywhere counts).
inline bool within(Bytes inner, Bytes outer) {
  if (inner.empty()) return true;
  const std::less_equal<const std::uint8_t*> le;
  return le(outer.data(), inner.data()) && le(inner.data() + inner.size(), outer.data() + outer.size());
}

inline bool is_code_directory_slot(std::uint32_t slot) {
  return slot == codesign::kSlotCodeDirectory ||
         (slot >= codesign::kSlotAlternateCodeDirectories &&
          slot < codesign::kSlotAlternateCodeDirectories + codesign::kAlternateCodeDirectoryCount);
}

inline void check_code_directory(const codesign::CodeDirectory& cd, Bytes outer) {
  if (!within(cd.data, outer) || cd.data.size() != cd.length) fail("CodeDirectory bytes are not its length");
  if (cd.length < codesign::kCdKernelMinimumLength) fail("CodeDirectory shorter than XNU's minimum was accepted");
  if (cd.page_size_log2 == 0 || cd.page_size_log2 >= 32) fail("CodeDirectory page size out of range");
  if (codesign::hash_size_for_type(cd.hash_type) != cd.hash_size) fail("hash size does not match hash type");
  // Every stored hash is a hash_size view inside the CD; one past either end is empty.
  for (std::uint64_t n = 1; n <= cd.special_slot_count; ++n) {
    const Bytes h = cd.special_slot_hash(static_cast<std::uint32_t>(n));
    if (h.size() != cd.hash_size || !within(h, cd.data)) fail("special slot hash outside the CodeDirectory");
  }
  if (!cd.special_slot_hash(0).empty()) fail("special slot 0 has a hash");
  if (cd.special_slot_count < UINT32_MAX && !cd.special_slot_hash(cd.special_slot_count + 1).empty())
    fail("special slot past nSpecialSlots has a hash");
  for (std::uint64_t i = 0; i < cd.code_slot_count; ++i) {
    const Bytes h = cd.code_slot_hash(static_cast<std::uint32_t>(i));
    if (h.size() != cd.hash_size || !within(h, cd.data)) fail("code slot hash outside the CodeDirectory");
  }
  if (!cd.code_slot_hash(cd.code_slot_count).empty()) fail("code slot past nCodeSlots has a hash");
  std::uint64_t scattered = 0;
  for (const auto& entry : cd.scatter) scattered += entry.count;
  if (scattered > cd.code_slot_count) fail("scatter covers more pages than code slots");
  if (cd.scatter.empty()) {
    const std::uint64_t limit = cd.code_limit();
    if (limit == 0 || cd.code_slot_count != ((limit - 1) >> cd.page_size_log2) + 1)
      fail("code slot count does not match the code limit");
  }
  if (cd.identifier.find('\0') != std::string::npos) fail("identifier holds a NUL");
  // cdhash: H(CD bytes) with the CD's own hash type, truncated to 20 bytes.
  const codesign::Digest digest = codesign::compute_digest(cd.hash_type, cd.data);
  if (digest.size != cd.cdhash_full.size || !std::equal(digest.bytes.begin(), digest.bytes.begin() + digest.size,
                                                        cd.cdhash_full.bytes.begin()))
    fail("cdhash_full is not the hash of the CodeDirectory");
  if (!std::equal(cd.cdhash.begin(), cd.cdhash.end(), cd.cdhash_full.bytes.begin()) || cd.cdhash_hex().size() != 40)
    fail("cdhash is not the truncated full hash");
  (void)codesign::format_flags(cd.flags);
  (void)codesign::exec_seg_flag_names(cd.exec_seg_flags);
  (void)codesign::format_runtime_version(cd.runtime);
}

// What check_code_directory (verify) reports about one CD against `code`.
inline void check_verification(const codesign::CodeDirectoryCheck& check, const codesign::CodeDirectory& cd) {
  if (check.pages_checked > cd.code_slot_count) fail("verify checked more pages than code slots");
  if (!std::is_sorted(check.bad_pages.begin(), check.bad_pages.end()) ||
      std::adjacent_find(check.bad_pages.begin(), check.bad_pages.end()) != check.bad_pages.end())
    fail("bad pages are not strictly ascending");
  if (!check.bad_pages.empty() && check.bad_pages.back() >= cd.code_slot_count) fail("bad page past nCodeSlots");
  if (check.code_pages_ok != check.bad_pages.empty() || check.special_slots_ok != check.bad_special_slots.empty())
    fail("verify ok flags disagree with the bad lists");
  if (check.special_slots.size() < codesign::kMaxKnownSpecialSlot) fail("verify skipped a known special slot");
  for (const auto& s : check.special_slots) (void)codesign::slot_status_name(s.status);
}

// Entitlement payloads through the plist and DER readers, each read under the amplification
// bound of its payload (BoundedRun); requirements to text.
inline void check_embedded_blobs(const codesign::Signature& sig) {
  if (auto xml = sig.entitlements_xml()) {
    for (std::uint8_t cf = 0; cf < 2; ++cf) {
      BoundedRun run(xml->size());
      auto doc = plist::read_xml(*xml, cf ? plist::XmlOptions::cf_compat() : plist::XmlOptions::strict(), run.budget());
      if (!doc) check_rejection(doc.error(), xml->size());
      run.check_expanded();
    }
  }
  if (auto der_payload = sig.entitlements_der()) {
    for (const auto& options : {der::DerOptions::strict(), der::DerOptions::ldid()}) {
      BoundedRun run(der_payload->size());
      auto doc = der::read_der(*der_payload, options, run.budget());
      if (!doc) check_rejection(doc.error(), der_payload->size());
      run.check_expanded();
    }
  }
  if (const codesign::Blob* reqs = sig.requirements()) {
    auto text = codesign::requirements_text(reqs->data, {}, reqs->file_offset);
    if (!text) check_rejection(text.error(), reqs->file_offset, reqs->data.size());
  }
  if (auto cms = sig.cms_payload(); cms && !within(*cms, sig.data)) fail("CMS payload outside the signature");
}

// `outer` is the span given to parse_signature, at `base` in the outermost input.
inline void check_signature(const codesign::Signature& sig, Bytes outer, std::uint64_t base) {
  if (sig.file_offset != base || !within(sig.data, outer) || sig.data.size() != sig.length)
    fail("signature bytes are not its length");
  for (const auto& blob : sig.blobs) {
    if (!within(blob.data, sig.data) || blob.data.size() != blob.length || blob.length < 8)
      fail("blob bytes are not its length inside the signature");
    if (blob.file_offset != base + blob.offset || blob.payload().size() != blob.length - 8)
      fail("blob offset or payload is off");
    check_offset(blob.index_offset, base, sig.length, "index entry outside the signature");
    if (sig.find_blob(blob.slot) != &blob) fail("a slot holds two blobs");
    (void)codesign::slot_name(blob.slot);
    (void)codesign::magic_name(blob.magic);
  }
  int best_rank = -1;
  for (std::size_t i = 0; i < sig.code_directories.size(); ++i) {
    const auto& cd = sig.code_directories[i];
    check_code_directory(cd, sig.data);
    if (!is_code_directory_slot(cd.slot) || sig.find_code_directory(cd.slot) != &cd)
      fail("CodeDirectory slot is wrong or taken twice");
    for (std::size_t j = 0; j < i; ++j)
      if (sig.code_directories[j].hash_type == cd.hash_type) fail("two CodeDirectories share a hash type");
    best_rank = std::max(best_rank, codesign::hash_rank(cd.hash_type));
  }
  const codesign::CodeDirectory* best = sig.best_code_directory();
  if ((best == nullptr) != sig.code_directories.empty()) fail("best CodeDirectory missing or invented");
  if (best && codesign::hash_rank(best->hash_type) != best_rank) fail("best CodeDirectory is not of the best rank");
  for (const auto& d : sig.diagnostics) check_offset(d.offset, base, outer.size(), "diagnostic offset outside input");
  check_embedded_blobs(sig);
}

// The superblob targets' run: parse_signature on the bytes after two option bytes, at a base
// offset and under limits the first two bytes pick (a nonzero base catches offsets computed
// from the wrong origin; a small signature cap reaches the size limit). A rejection is checked
// as one; an accepted signature is checked whole, and every CodeDirectory is verified
// against the input itself.
struct SignatureRun {
  Bytes payload;
  std::uint64_t base = 0;
  Result<codesign::Signature> signature;
};

inline SignatureRun run_signature(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Limits limits = pick_limits(in.take_byte());
  const Bytes payload = in.rest();
  const std::uint64_t base = static_cast<std::uint64_t>(choice & 0x0f) << 12;
  codesign::SignatureOptions options;
  if (choice & 0x80) options.max_signature_bytes = payload.size() / 2;
  SignatureRun run{payload, base, codesign::parse_signature(payload, base, limits, options)};
  if (!run.signature) {
    check_rejection(run.signature.error(), base, payload.size());
    return run;
  }
  check_signature(*run.signature, payload, base);
  for (const auto& cd : run.signature->code_directories)
    check_verification(codesign::check_code_directory(cd, *run.signature, payload), cd);
  return run;
}

}  // namespace entsig::fuzz

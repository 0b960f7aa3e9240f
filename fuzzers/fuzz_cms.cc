// parse_cms / parse_blob_wrapper on raw bytes, options from the first byte. An accepted
// SignedData must describe only its own bytes, and check_cms_agreement against a fixed
// two-CodeDirectory signature must report on exactly those signers and CodeDirectories.
#include <algorithm>
#include <string_view>

#include "entsig/codesign.h"
#include "fuzz_helpers.h"

using namespace entsig;

namespace {

// Slot 0 (SHA-1) and 0x1000 (SHA-256) CodeDirectories over fixed bytes: only the fields the
// agreement check reads (slot, hash type, data, cdhashes) matter to it.
const codesign::Signature& fixed_signature() {
  static const codesign::Signature sig = [] {
    static constexpr std::string_view kCdBytes = "\xfa\xde\x0c\x02 fixed CodeDirectory bytes";
    codesign::Signature s;
    s.magic = codesign::kMagicEmbeddedSignature;
    const Bytes data(reinterpret_cast<const std::uint8_t*>(kCdBytes.data()), kCdBytes.size());
    for (auto [slot, hash_type] : {std::pair{0u, codesign::kHashSha1}, std::pair{0x1000u, codesign::kHashSha256}}) {
      codesign::CodeDirectory cd;
      cd.slot = slot;
      cd.hash_type = hash_type;
      cd.data = data;
      cd.cdhash_full = codesign::compute_digest(hash_type, data);
      std::copy_n(cd.cdhash_full.bytes.begin(), cd.cdhash.size(), cd.cdhash.begin());
      s.code_directories.push_back(cd);
    }
    return s;
  }();
  return sig;
}

void check_inside(std::uint64_t offset, std::uint64_t length, std::uint64_t base, std::uint64_t size,
                  const char* what) {
  fuzz::check_offset(offset, base, size, what);
  if (length > size - (offset - base)) fuzz::fail(what);
}

void check_cms(const codesign::CmsSignature& cms, std::uint64_t base, std::uint64_t size,
               const codesign::CmsOptions& options) {
  check_inside(cms.offset, cms.length, base, size, "CMS bytes outside the input");
  if (cms.empty != (cms.length == 0)) fuzz::fail("empty flag disagrees with the CMS length");
  if (!options.decode_certificates && !cms.certificates.empty()) fuzz::fail("certificates decoded when asked not to");
  for (const auto& cert : cms.certificates) check_inside(cert.offset, cert.length, base, size, "certificate outside the input");
  for (const auto& signer : cms.signers) {
    fuzz::check_offset(signer.offset, base, size, "SignerInfo outside the input");
    if (signer.certificate && *signer.certificate >= cms.certificates.size()) fuzz::fail("signer certificate index out of range");
    if (signer.chain.size() > options.max_chain_length) fuzz::fail("chain longer than max_chain_length");
    for (std::size_t i : signer.chain)
      if (i >= cms.certificates.size()) fuzz::fail("chain index out of range");
    for (const auto* list : {&signer.cdhashes_v1, &signer.cdhashes_v2})
      if (*list)
        for (const auto& h : **list) fuzz::check_offset(h.offset, base, size, "cdhash outside the input");
  }
}

void check_agreement(const codesign::CmsSignature& cms) {
  const codesign::Signature& sig = fixed_signature();
  const codesign::CmsAgreement agreement = codesign::check_cms_agreement(cms, sig);
  if (cms.empty != (agreement.status == codesign::CmsAgreementStatus::empty)) fuzz::fail("agreement status for an empty CMS");
  if (!cms.empty && agreement.signers.size() != cms.signers.size()) fuzz::fail("agreement has not one entry per signer");
  for (const auto& s : agreement.signers) {
    const auto& signer = cms.signers.at(s.signer);
    if (s.has_v1 != signer.cdhashes_v1.has_value() || s.has_v2 != signer.cdhashes_v2.has_value())
      fuzz::fail("agreement lists a hash-agility attribute the signer lacks");
    for (const auto* checks : {&s.v1, &s.v2})
      for (const auto& c : *checks)
        if ((c.match == codesign::CdHashMatch::match) != c.slot.has_value() || (c.slot && !sig.find_code_directory(*c.slot)))
          fuzz::fail("cdhash match names no CodeDirectory");
    if (!std::is_sorted(s.unlisted_slots.begin(), s.unlisted_slots.end())) fuzz::fail("unlisted slots not ascending");
    for (std::uint32_t slot : s.unlisted_slots)
      if (!sig.find_code_directory(slot)) fuzz::fail("unlisted slot names no CodeDirectory");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Bytes payload = in.rest();
  codesign::CmsOptions options;
  options.decode_certificates = !(choice & 0x01);
  // Odd high nibbles pick small limits so the depth and chain-length rejects are fuzzed.
  if (choice & 0x10) {
    options.max_depth = 1 + ((choice >> 5) & 7);
    options.max_chain_length = 1 + ((choice >> 5) & 3);
  }
  const std::uint64_t base = static_cast<std::uint64_t>((choice >> 2) & 1) << 14;  // catches wrong-origin offsets
  const bool wrapped = choice & 0x02;
  auto cms = wrapped ? codesign::parse_blob_wrapper(payload, base, options) : codesign::parse_cms(payload, base, options);
  if (!cms) {
    fuzz::check_rejection(cms.error(), base, payload.size());
    return 0;
  }
  check_cms(*cms, base, payload.size(), options);
  check_agreement(*cms);
  return 0;
}

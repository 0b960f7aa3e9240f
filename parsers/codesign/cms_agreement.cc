// What the CMS signers signed, against the signature's CodeDirectories. Security's rules
// (A4 #4.5): V1 lists every CodeDirectory's cdhash truncated to 20 bytes; V2 has one entry
// per CodeDirectory with the untruncated digest, and entries of unknown algorithms are
// ignored. The messageDigest covers the slot-0 CodeDirectory only (A4 #4.4, #4.6).
#include <algorithm>
#include <set>

#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

// The digest algorithm a CodeDirectory hash type computes: SHA-256-truncated is SHA-256.
std::string_view algorithm_of(std::uint8_t hash_type) {
  switch (hash_type) {
    case kHashSha1: return "sha1";
    case kHashSha256:
    case kHashSha256Truncated: return "sha256";
    case kHashSha384: return "sha384";
    default: return {};
  }
}

bool equal_bytes(Bytes a, const std::vector<std::uint8_t>& b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

void check_v1(const std::vector<CmsCdHash>& listed, const Signature& sig, SignerAgreement& out,
              std::set<std::uint32_t>& covered) {
  for (const CmsCdHash& entry : listed) {
    CdHashCheck check{entry.hex(), "cdhash", CdHashMatch::mismatch, std::nullopt};
    for (const CodeDirectory& cd : sig.code_directories) {
      if (equal_bytes(Bytes(cd.cdhash.data(), cd.cdhash.size()), entry.digest)) {
        check.match = CdHashMatch::match;
        check.slot = cd.slot;
        covered.insert(cd.slot);
        break;
      }
    }
    out.v1.push_back(std::move(check));
  }
}

void check_v2(const std::vector<CmsCdHash>& listed, const Signature& sig, SignerAgreement& out,
              std::set<std::uint32_t>& covered) {
  for (const CmsCdHash& entry : listed) {
    const std::string name = entry.algorithm ? entry.algorithm->name : std::string();
    CdHashCheck check{entry.hex(), name, CdHashMatch::unknown_algorithm, std::nullopt};
    if (entry.algorithm && entry.algorithm->hash_type) {
      check.match = CdHashMatch::mismatch;
      for (const CodeDirectory& cd : sig.code_directories) {
        if (algorithm_of(cd.hash_type) == name && equal_bytes(cd.cdhash_full.view(), entry.digest)) {
          check.match = CdHashMatch::match;
          check.slot = cd.slot;
          covered.insert(cd.slot);
          break;
        }
      }
    }
    out.v2.push_back(std::move(check));
  }
}

void add_unlisted(const Signature& sig, const std::set<std::uint32_t>& covered, std::set<std::uint32_t>& unlisted) {
  for (const CodeDirectory& cd : sig.code_directories)
    if (!covered.count(cd.slot)) unlisted.insert(cd.slot);
}

SignerAgreement check_signer(const CmsSigner& signer, std::size_t index, const Signature& sig) {
  SignerAgreement out;
  out.signer = index;
  const CodeDirectory* primary = sig.primary_code_directory();
  if (signer.message_digest && primary && signer.digest_algorithm.hash_type) {
    const Digest digest = compute_digest(*signer.digest_algorithm.hash_type, primary->data);
    out.message_digest_ok = digest.size != 0 && equal_bytes(digest.view(), *signer.message_digest);
  }
  std::set<std::uint32_t> unlisted;
  if (signer.cdhashes_v1) {
    out.has_v1 = true;
    std::set<std::uint32_t> covered;
    check_v1(*signer.cdhashes_v1, sig, out, covered);
    add_unlisted(sig, covered, unlisted);
  }
  if (signer.cdhashes_v2) {
    out.has_v2 = true;
    std::set<std::uint32_t> covered;
    check_v2(*signer.cdhashes_v2, sig, out, covered);
    add_unlisted(sig, covered, unlisted);
  }
  out.unlisted_slots.assign(unlisted.begin(), unlisted.end());
  return out;
}

}  // namespace

bool SignerAgreement::ok() const {
  auto bad = [](const CdHashCheck& c) { return c.match == CdHashMatch::mismatch; };
  return message_digest_ok != false && std::none_of(v1.begin(), v1.end(), bad) &&
         std::none_of(v2.begin(), v2.end(), bad) && unlisted_slots.empty();
}

CmsAgreement check_cms_agreement(const CmsSignature& cms, const Signature& signature) {
  CmsAgreement out;
  if (cms.empty) {
    out.status = CmsAgreementStatus::empty;
    return out;
  }
  bool listed = false, all_ok = true;
  for (std::size_t i = 0; i < cms.signers.size(); ++i) {
    out.signers.push_back(check_signer(cms.signers[i], i, signature));
    listed = listed || out.signers.back().has_v1 || out.signers.back().has_v2;
    all_ok = all_ok && out.signers.back().ok();
  }
  out.status = !all_ok ? CmsAgreementStatus::disagree : listed ? CmsAgreementStatus::agree : CmsAgreementStatus::no_attributes;
  return out;
}

std::string_view cdhash_match_name(CdHashMatch match) {
  switch (match) {
    case CdHashMatch::match: return "match";
    case CdHashMatch::mismatch: return "mismatch";
    case CdHashMatch::unknown_algorithm: return "unknown-algorithm";
  }
  return "mismatch";
}

std::string_view cms_agreement_status_name(CmsAgreementStatus status) {
  switch (status) {
    case CmsAgreementStatus::agree: return "agree";
    case CmsAgreementStatus::disagree: return "disagree";
    case CmsAgreementStatus::no_attributes: return "no-attributes";
    case CmsAgreementStatus::empty: return "empty";
    case CmsAgreementStatus::absent: return "absent";
    case CmsAgreementStatus::malformed: return "malformed";
  }
  return "malformed";
}

}  // namespace entsig::codesign

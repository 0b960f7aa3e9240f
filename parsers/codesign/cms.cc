// The BlobWrapper (CSMAGIC_BLOBWRAPPER) in slot 0x10000, and the CMS ContentInfo and
// SignedData (RFC 5652 3, 5.1) inside it. Our BER walk bounds every element and gives the
// offsets; OpenSSL must then accept the whole ContentInfo, and reads the certificates.
#include <algorithm>
#include <new>
#include <unordered_map>

#include "cms_internal.h"
#include "entsig/codesign.h"

namespace entsig::codesign {
namespace {

using ber::Element;
namespace tag = ber::tag;
using cms_detail::read_algorithm_oid;

constexpr std::uint64_t kBlobHeaderSize = 8;  // magic, length

Error signed_data_error(std::uint64_t offset, std::string detail) {
  return make_error(ErrorCode::cms_signed_data_malformed, offset, detail);
}

// digestAlgorithms ::= SET OF AlgorithmIdentifier.
Status read_digest_algorithms(const Element& set, CmsSignature& out, std::uint32_t depth) {
  Cursor in = set.content;
  while (!in.at_end()) {
    auto algorithm = ber::read(in, depth);
    if (!algorithm) return algorithm.take_error();
    auto oid = read_algorithm_oid(*algorithm, ErrorCode::cms_signed_data_malformed, depth);
    if (!oid) return oid.take_error();
    out.digest_algorithms.push_back(cms_detail::digest_algorithm(*oid));
  }
  return Ok{};
}

// EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OPTIONAL }.
Status read_encapsulated_content(const Element& info, CmsSignature& out, std::uint32_t depth) {
  Cursor in = info.content;
  auto type = ber::expect(in, tag::oid, ErrorCode::cms_signed_data_malformed, "eContentType", depth);
  if (!type) return type.take_error();
  auto oid = ber::decode_oid(*type);
  if (!oid) return oid.take_error();
  out.content_type = std::move(*oid);
  if (ber::peek_tag(in) == tag::context_0) {
    auto content = ber::read(in, depth);
    if (!content) return content.take_error();
    out.detached = false;
  }
  if (!in.at_end()) return signed_data_error(in.offset(), "element after eContent");
  return Ok{};
}

// CertificateSet ::= SET OF CertificateChoices; only the X.509 choice (a SEQUENCE) is read.
Status read_certificates(const Element& set, CmsSignature& out, std::uint32_t depth) {
  Cursor in = set.content;
  while (!in.at_end()) {
    auto element = ber::read(in, depth);
    if (!element) return element.take_error();
    if (element->tag != tag::sequence) {
      ++out.other_certificates;
      continue;
    }
    auto certificate = cms_detail::read_certificate(*element);
    if (!certificate) return certificate.take_error();
    out.certificates.push_back(std::move(*certificate));
  }
  return Ok{};
}

// Certificates by the keys a signer or a chain step looks them up by; each list keeps
// SignedData order.
struct CertificateIndex {
  std::unordered_map<std::string, std::size_t> by_issuer_serial, by_key_id;  // first match
  std::unordered_map<std::string, std::vector<std::size_t>> by_subject;

  explicit CertificateIndex(const std::vector<CmsCertificate>& certs) {
    for (std::size_t i = 0; i < certs.size(); ++i) {
      by_issuer_serial.try_emplace(certs[i].issuer + '\n' + certs[i].serial, i);
      if (certs[i].subject_key_id) by_key_id.try_emplace(*certs[i].subject_key_id, i);
      by_subject[certs[i].subject].push_back(i);
    }
  }
  std::optional<std::size_t> signer_certificate(const CmsSigner& signer) const {
    const auto* map = &by_key_id;
    std::string key;
    if (signer.sid_issuer && signer.sid_serial) {
      map = &by_issuer_serial;
      key = *signer.sid_issuer + '\n' + *signer.sid_serial;
    } else if (signer.sid_subject_key_id) {
      key = *signer.sid_subject_key_id;
    } else {
      return std::nullopt;
    }
    auto it = map->find(key);
    if (it == map->end()) return std::nullopt;
    return it->second;
  }
};

// Links each signer to the certificate its sid names, then follows issuer names upwards.
// Names, not signatures, decide: this is the chain as the SignedData presents it, untrusted.
// Lookups are hashed and chains stop at max_chain_length, so many certificates and signers
// cost about linear time, not a product of the counts.
void link_certificates(CmsSignature& cms, std::uint32_t max_chain_length) {
  const auto& certs = cms.certificates;
  const CertificateIndex index(certs);
  for (CmsSigner& signer : cms.signers) {
    signer.certificate = index.signer_certificate(signer);
    if (!signer.certificate) continue;
    std::size_t current = *signer.certificate;
    while (signer.chain.size() < max_chain_length) {
      signer.chain.push_back(current);
      if (certs[current].self_issued()) break;
      auto candidates = index.by_subject.find(certs[current].issuer);
      if (candidates == index.by_subject.end()) break;
      // The first certificate with that subject that the chain does not hold yet; at most
      // chain-length candidates are skipped.
      std::optional<std::size_t> parent;
      for (std::size_t candidate : candidates->second) {
        if (std::find(signer.chain.begin(), signer.chain.end(), candidate) == signer.chain.end()) {
          parent = candidate;
          break;
        }
      }
      if (!parent) break;
      current = *parent;
    }
  }
}

// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
//   certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }.
Status read_signed_data(const Element& signed_data, CmsSignature& out, const CmsOptions& options) {
  const std::uint32_t depth = options.max_depth;
  Cursor in = signed_data.content;
  auto version = ber::expect(in, tag::integer, ErrorCode::cms_signed_data_malformed, "version", depth);
  if (!version) return version.take_error();
  auto v = ber::decode_small_integer(*version, ErrorCode::cms_signed_data_malformed, "version");
  if (!v) return v.take_error();
  out.version = *v;
  auto digests = ber::expect(in, tag::set, ErrorCode::cms_signed_data_malformed, "digestAlgorithms", depth);
  if (!digests) return digests.take_error();
  if (Status s = read_digest_algorithms(*digests, out, depth); !s) return s;
  auto encapsulated = ber::expect(in, tag::sequence, ErrorCode::cms_signed_data_malformed, "encapContentInfo", depth);
  if (!encapsulated) return encapsulated.take_error();
  if (Status s = read_encapsulated_content(*encapsulated, out, depth); !s) return s;
  if (ber::peek_tag(in) == tag::context_0) {
    auto certificates = ber::read(in, depth);
    if (!certificates) return certificates.take_error();
    if (options.decode_certificates)
      if (Status s = read_certificates(*certificates, out, depth); !s) return s;
  }
  if (ber::peek_tag(in) == tag::context_1) {
    auto crls = ber::read(in, depth);
    if (!crls) return crls.take_error();
  }
  auto signers = ber::expect(in, tag::set, ErrorCode::cms_signed_data_malformed, "signerInfos", depth);
  if (!signers) return signers.take_error();
  if (!in.at_end()) return signed_data_error(in.offset(), "element after signerInfos");
  Cursor list = signers->content;
  while (!list.at_end()) {
    auto signer_info = ber::read(list, depth);
    if (!signer_info) return signer_info.take_error();
    auto signer = cms_detail::read_signer(*signer_info, options);
    if (!signer) return signer.take_error();
    out.signers.push_back(std::move(*signer));
  }
  return Ok{};
}

Error content_info_error(std::uint64_t offset, std::string detail) {
  return make_error(ErrorCode::cms_content_info_malformed, offset, detail);
}

// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }.
Result<CmsSignature> read_content_info(Bytes payload, std::uint64_t base_offset, const CmsOptions& options) {
  const std::uint32_t depth = options.max_depth == 0 ? 1 : options.max_depth;
  CmsSignature out;
  out.offset = base_offset;
  out.length = payload.size();
  Cursor whole(payload, base_offset);
  auto info = ber::read(whole, depth);
  if (!info) return info.take_error();
  if (info->tag != tag::sequence) return content_info_error(info->offset, "not a SEQUENCE");
  // Code signatures hold exactly one ContentInfo; padding would be bytes no signer covers.
  if (!whole.at_end())
    return make_error(ErrorCode::cms_ber_trailing_bytes, whole.offset(),
                      std::to_string(whole.remaining()) + " bytes after the ContentInfo");
  Cursor in = info->content;
  auto type = ber::expect(in, tag::oid, ErrorCode::cms_content_info_malformed, "contentType", depth);
  if (!type) return type.take_error();
  auto oid = ber::decode_oid(*type);
  if (!oid) return oid.take_error();
  if (*oid != kOidSignedData) return make_error(ErrorCode::cms_content_type_not_signed_data, type->offset, *oid);
  auto explicit_content = ber::expect(in, tag::context_0, ErrorCode::cms_content_info_malformed, "content [0]", depth);
  if (!explicit_content) return explicit_content.take_error();
  if (!in.at_end()) return content_info_error(in.offset(), "element after content");
  Cursor inner = explicit_content->content;
  auto signed_data = ber::expect(inner, tag::sequence, ErrorCode::cms_signed_data_malformed, "SignedData", depth);
  if (!signed_data) return signed_data.take_error();
  if (!inner.at_end()) return content_info_error(inner.offset(), "element after SignedData");
  CmsOptions bounded = options;
  bounded.max_depth = depth;
  if (Status s = read_signed_data(*signed_data, out, bounded); !s) return s.take_error();
  // Our walk accepted it; OpenSSL, which reads CMS for most consumers, must agree.
  if (!options.decode_certificates) return out;
  if (Status s = cms_detail::openssl_accepts(info->encoded, info->offset); !s) return s.take_error();
  link_certificates(out, options.max_chain_length);
  return out;
}

}  // namespace

std::string CmsCdHash::hex() const { return hex_encode(Bytes(digest.data(), digest.size())); }

Result<CmsSignature> parse_cms(Bytes payload, std::uint64_t base_offset, const CmsOptions& options) {
  if (payload.empty()) {
    // Ad-hoc signers write an empty wrapper (length 8) as a placeholder.
    CmsSignature out;
    out.offset = base_offset;
    out.empty = true;
    return out;
  }
  try {
    return read_content_info(payload, base_offset, options);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_internal, base_offset, "out of memory");
  }
}

Result<CmsSignature> parse_blob_wrapper(Bytes blob, std::uint64_t base_offset, const CmsOptions& options) {
  const Cursor c(blob, base_offset);
  auto magic = c.u32_at(0, Endian::big);
  auto length = c.u32_at(4, Endian::big);
  if (!magic || !length)
    return make_error(ErrorCode::cms_wrapper_truncated, base_offset, std::to_string(blob.size()) + " bytes");
  if (*magic != kMagicBlobWrapper) return make_error(ErrorCode::cms_wrapper_bad_magic, base_offset, format_hex(*magic));
  // The header is part of the length (CS_GenericBlob); the length bounds everything after.
  if (*length < kBlobHeaderSize || *length > blob.size())
    return make_error(ErrorCode::cms_wrapper_bad_length, base_offset + 4,
                      "length " + std::to_string(*length) + ", " + std::to_string(blob.size()) + " bytes present");
  return parse_cms(blob.subspan(kBlobHeaderSize, *length - kBlobHeaderSize), base_offset + kBlobHeaderSize, options);
}

std::optional<Result<CmsSignature>> parse_signature_cms(const Signature& signature, const CmsOptions& options) {
  const Blob* blob = signature.find_blob(kSlotSignature);
  if (!blob) return std::nullopt;
  return parse_blob_wrapper(blob->data, blob->file_offset, options);
}

}  // namespace entsig::codesign

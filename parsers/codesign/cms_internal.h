// Shared by the CMS files: the SignerInfo walk (cms_signer.cc) and the OpenSSL calls
// (cms_openssl.cc, the only CMS file that includes OpenSSL headers).
#pragma once

#include <string>

#include "cms_ber.h"
#include "entsig/cms.h"
#include "entsig/codesign.h"

namespace entsig::codesign::cms_detail {

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280
// 4.1.1.2); `code` names the structure it sits in.
Result<std::string> read_algorithm_oid(const ber::Element& algorithm, ErrorCode code, std::uint32_t max_depth);
// Our names for digest OIDs, and the CodeDirectory hash type of each.
CmsAlgorithm digest_algorithm(const std::string& oid);

// SignerInfo (RFC 5652 5.3) with its signed attributes.
Result<CmsSigner> read_signer(const ber::Element& signer_info, const CmsOptions& options);

// --- OpenSSL (cms_openssl.cc) ---

// d2i_CMS_ContentInfo must accept the whole ContentInfo our walk accepted.
Status openssl_accepts(Bytes content_info, std::uint64_t offset);
// One X.509 certificate (a Certificate SEQUENCE); cms.certificate.malformed otherwise.
Result<CmsCertificate> read_certificate(const ber::Element& certificate);
// A DER Name (RFC 5280 4.1.2.4) in the RFC 2253 one-line form; nullopt when OpenSSL cannot read it.
std::optional<std::string> name_text(Bytes encoded_name);
// An encoded INTEGER as the serial text CmsCertificate::serial uses; nullopt when unreadable.
std::optional<std::string> serial_text(Bytes encoded_integer);
// An encoded UTCTime or GeneralizedTime as ISO 8601 UTC; nullopt when unreadable.
std::optional<std::string> time_text(Bytes encoded_time);
// OpenSSL's long name for an OID ("rsaEncryption", "sha256WithRSAEncryption"), or the OID.
std::string oid_long_name(const std::string& oid);

}  // namespace entsig::codesign::cms_detail

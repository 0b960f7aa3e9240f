// entsig CMS signature reader: the BlobWrapper (0xfade0b01) in code signature slot 0x10000
// and the CMS SignedData (RFC 5652) inside it, as Apple's codesign writes it: BER with
// indefinite lengths, the slot-0 CodeDirectory as detached content, X.509 certificates, and
// the hash-agility signed attributes that list the cdhashes of every CodeDirectory.
//
// What is read: certificates (subject, issuer, serial, validity), each signer (its
// certificate and the chain above it among the SignedData's certificates), the signing time,
// the message digest and the hash-agility attributes. What is not done: trust evaluation and
// signature verification (no root store, no chain validation). The agreement of the signed
// cdhashes with the CodeDirectories is checked by check_cms_agreement.
//
// OpenSSL (libcrypto) reads the ContentInfo, the certificates, names and times; a bounded BER
// walk of our own gives byte offsets for errors and decodes the signed attributes. Rule
// numbers ("A4 #4.5") refer to shared/reference/codesign-rules.md. Error ids: errors/cms.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entsig/core.h"

namespace entsig::codesign {

struct Signature;  // entsig/codesign.h, which includes this header

// Object identifiers read here, in dotted form.
inline constexpr std::string_view kOidSignedData = "1.2.840.113549.1.7.2";     // id-signedData
inline constexpr std::string_view kOidData = "1.2.840.113549.1.7.1";           // id-data
inline constexpr std::string_view kOidContentType = "1.2.840.113549.1.9.3";    // id-contentType
inline constexpr std::string_view kOidMessageDigest = "1.2.840.113549.1.9.4";  // id-messageDigest
inline constexpr std::string_view kOidSigningTime = "1.2.840.113549.1.9.5";    // id-signingTime
// Apple's hash agility: V1 an XML plist {cdhashes: [data]}, V2 SEQUENCE { hash OID, digest }
// per CodeDirectory (Security CMSDecoderCopySignerAppleCodesigningHashAgility / ...V2).
inline constexpr std::string_view kOidHashAgilityV1 = "1.2.840.113635.100.9.1";
inline constexpr std::string_view kOidHashAgilityV2 = "1.2.840.113635.100.9.2";

struct CmsOptions {
  // Nesting of indefinite-length elements the BER walk follows. Apple's signatures nest 4;
  // the walk itself is iterative, so this only bounds what a hostile input may ask for.
  static constexpr std::uint32_t default_max_depth = 64;
  // Certificates in one signer's chain (leaf included). Apple's chains hold 3; X.509 paths
  // in use stay under 10. Bounds the work a SignedData of many certificates can cause.
  static constexpr std::uint32_t default_max_chain_length = 16;
  std::uint32_t max_depth = default_max_depth;
  std::uint32_t max_chain_length = default_max_chain_length;
  // Decode each certificate (names, serial, validity) with OpenSSL and cross-check the
  // whole ContentInfo with OpenSSL's CMS reader. OpenSSL 3 decodes every public key as it
  // reads a certificate, which costs more than hashing a small binary's pages; verify turns
  // this off, since agreement needs only the signed attributes. Certificates are still
  // framed by the BER walk; `certificates` then stays empty.
  bool decode_certificates = true;
};

// A digest algorithm named by OID: "sha1", "sha256", "sha384", "sha512", or the dotted OID.
struct CmsAlgorithm {
  std::string oid;
  std::string name;
  // The CodeDirectory hash type that uses this algorithm (sha1 1, sha256 2, sha384 4).
  std::optional<std::uint8_t> hash_type;
};

struct CmsCertificate {
  std::uint64_t offset = 0;  // absolute offset of the Certificate SEQUENCE
  std::uint64_t length = 0;  // its encoded size
  std::string subject;       // RFC 2253 one-line form, most specific first: "CN=...,O=...,C=US"
  std::string issuer;
  std::optional<std::string> common_name;  // the subject's first CN, as UTF-8
  std::string serial;                      // hex, "-" first when negative
  std::string not_before;                  // ISO 8601 UTC, "2020-02-19T18:13:47Z"
  std::string not_after;
  std::optional<std::string> subject_key_id;  // the SubjectKeyIdentifier extension, hex
  std::string sha256;  // SHA-256 of the DER bytes, hex (the fingerprint tools print)
  bool self_issued() const { return subject == issuer; }
};

// One cdhash a signer listed. V1 entries carry no algorithm (they are the CodeDirectory's own
// hash truncated to 20 bytes, A4 #4.6); V2 entries name theirs and hold the full digest.
struct CmsCdHash {
  std::uint64_t offset = 0;  // absolute offset of the element that holds it
  std::optional<CmsAlgorithm> algorithm;  // V2 only
  std::vector<std::uint8_t> digest;
  std::string hex() const;
};

struct CmsSigner {
  std::uint64_t offset = 0;  // absolute offset of the SignerInfo SEQUENCE
  std::uint32_t version = 0;
  // SignerIdentifier: issuerAndSerialNumber (issuer, serial) or subjectKeyIdentifier.
  std::optional<std::string> sid_issuer;
  std::optional<std::string> sid_serial;
  std::optional<std::string> sid_subject_key_id;  // hex
  // Index into CmsSignature::certificates of the certificate sid names, and the chain from
  // it upwards (leaf first) by issuer name among the SignedData's certificates.
  std::optional<std::size_t> certificate;
  std::vector<std::size_t> chain;
  CmsAlgorithm digest_algorithm;
  std::string signature_algorithm;  // OpenSSL's long name ("rsaEncryption") or the dotted OID
  std::vector<std::string> signed_attributes;  // attribute OIDs in order
  bool has_unsigned_attributes = false;
  std::optional<std::string> content_type;  // id-contentType value, dotted
  std::optional<std::vector<std::uint8_t>> message_digest;
  std::optional<std::string> signing_time;  // ISO 8601 UTC
  std::optional<std::vector<CmsCdHash>> cdhashes_v1;  // 1.2.840.113635.100.9.1
  std::optional<std::vector<CmsCdHash>> cdhashes_v2;  // 1.2.840.113635.100.9.2
};

struct CmsSignature {
  std::uint64_t offset = 0;  // absolute offset of the CMS bytes (after the BlobWrapper header)
  std::uint64_t length = 0;  // CMS bytes
  // An empty BlobWrapper: the placeholder ad-hoc signers write (codesign -s -, Go's linker).
  bool empty = false;
  std::uint32_t version = 0;  // SignedData version
  std::vector<CmsAlgorithm> digest_algorithms;
  std::string content_type;  // eContentType, dotted ("1.2.840.113549.1.7.1")
  bool detached = true;      // eContent absent: code signatures sign the CodeDirectory detached
  std::vector<CmsCertificate> certificates;  // in SignedData order (X.509 choices only)
  std::uint32_t other_certificates = 0;      // non-X.509 CertificateChoices, skipped
  std::vector<CmsSigner> signers;
};

// The CMS bytes of a BlobWrapper payload (Signature::cms_payload()). `base_offset` is their
// position in the outermost input. An empty payload gives CmsSignature{empty = true}.
Result<CmsSignature> parse_cms(Bytes payload, std::uint64_t base_offset = 0, const CmsOptions& options = {});
// A whole BlobWrapper blob (magic, length, payload), e.g. Blob::data of slot 0x10000.
Result<CmsSignature> parse_blob_wrapper(Bytes blob, std::uint64_t base_offset = 0, const CmsOptions& options = {});
// The signature's slot-0x10000 blob; nullopt when the signature has none.
std::optional<Result<CmsSignature>> parse_signature_cms(const Signature& signature, const CmsOptions& options = {});

// ---------------------------------------------------------------------------
// Agreement of the CMS with the CodeDirectories (hash agility, A4 #4.5, #4.6)

enum class CdHashMatch : std::uint8_t {
  match,              // equals a CodeDirectory's cdhash
  mismatch,           // equals none
  unknown_algorithm,  // V2 algorithm no CodeDirectory hash type uses: ignored, as Security does
};
std::string_view cdhash_match_name(CdHashMatch match);  // "match", "mismatch", "unknown-algorithm"

struct CdHashCheck {
  std::string hex;
  std::string algorithm;  // V2: the algorithm name; V1: "cdhash"
  CdHashMatch match = CdHashMatch::mismatch;
  std::optional<std::uint32_t> slot;  // the CodeDirectory it equals
};

struct SignerAgreement {
  std::size_t signer = 0;  // index into CmsSignature::signers
  // messageDigest against H(slot-0 CodeDirectory) with the signer's digest algorithm: the CMS
  // signs the first CodeDirectory only (A4 #4.4). nullopt when it cannot be computed (no
  // attribute, no slot-0 CodeDirectory, or an algorithm no CodeDirectory hash type uses).
  std::optional<bool> message_digest_ok;
  bool has_v1 = false;
  bool has_v2 = false;
  std::vector<CdHashCheck> v1;  // each listed cdhash against cdhash (20 bytes)
  std::vector<CdHashCheck> v2;  // each listed digest against cdhash_full of its hash type
  // CodeDirectory slots a present list leaves out (V1 must list every CodeDirectory; V2
  // must have an entry for every CodeDirectory's hash type), ascending, no repeats.
  std::vector<std::uint32_t> unlisted_slots;
  bool ok() const;
};

enum class CmsAgreementStatus : std::uint8_t {
  agree,          // every signer's listed cdhashes and message digest match
  disagree,       // some listed cdhash, coverage or message digest does not
  no_attributes,  // signed, but no signer carries hash-agility attributes (pre-10.11 signers)
  empty,          // empty BlobWrapper (ad-hoc)
  absent,         // no slot-0x10000 blob
  malformed,      // the CMS could not be read (verify: SliceVerification::error says why)
};
std::string_view cms_agreement_status_name(CmsAgreementStatus status);  // "agree", ..., "no-attributes"

struct CmsAgreement {
  CmsAgreementStatus status = CmsAgreementStatus::absent;
  std::vector<SignerAgreement> signers;
  bool ok() const { return status != CmsAgreementStatus::disagree && status != CmsAgreementStatus::malformed; }
};

// Compares what every signer signed with the signature's CodeDirectories.
CmsAgreement check_cms_agreement(const CmsSignature& cms, const Signature& signature);

}  // namespace entsig::codesign

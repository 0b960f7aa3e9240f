// One SignerInfo (RFC 5652 5.3) and its signed attributes: content type, message digest,
// signing time, and Apple's hash agility, V1 (an XML plist {cdhashes: [data]}) and V2
// (SEQUENCE { hash OID, OCTET STRING } per CodeDirectory), codesign-rules A4 #4.5, #4.6.
#include <set>

#include "cms_internal.h"
#include "entsig/plist.h"

namespace entsig::codesign::cms_detail {
namespace {

using ber::Element;
namespace tag = ber::tag;

// The values of an attribute's SET, each read as one element.
Result<std::vector<Element>> attribute_values(const Element& set, std::uint32_t max_depth) {
  std::vector<Element> values;
  Cursor in = set.content;
  while (!in.at_end()) {
    auto value = ber::read(in, max_depth);
    if (!value) return value.take_error();
    values.push_back(std::move(*value));
  }
  if (values.empty()) return make_error(ErrorCode::cms_attribute_malformed, set.offset, "no values");
  return values;
}

// Attributes whose type allows one value of one tag (RFC 5652 11.1-11.3).
Result<Element> single_value(const std::vector<Element>& values, std::uint8_t tag_a, std::uint8_t tag_b,
                             std::uint64_t attribute_offset, std::string_view what) {
  if (values.size() != 1)
    return make_error(ErrorCode::cms_attribute_bad_value, attribute_offset,
                      std::string(what) + " has " + std::to_string(values.size()) + " values");
  if (values[0].tag != tag_a && values[0].tag != tag_b)
    return make_error(ErrorCode::cms_attribute_bad_value, values[0].offset, std::string(what) + " value has the wrong type");
  return values[0];
}

Error v1_error(std::uint64_t offset, std::string detail) {
  return make_error(ErrorCode::cms_hash_agility_v1_malformed, offset, detail);
}

// V1: one OCTET STRING holding an XML plist whose "cdhashes" is an array of data.
Result<std::vector<CmsCdHash>> read_v1(const std::vector<Element>& values, std::uint64_t attribute_offset) {
  if (values.size() != 1) return v1_error(attribute_offset, std::to_string(values.size()) + " values");
  const Element& octets = values[0];
  if (octets.tag != tag::octet_string) return v1_error(octets.offset, "value is not a primitive OCTET STRING");
  auto doc = plist::read_xml(octets.content.data());
  if (!doc) {
    const Error& e = doc.error();
    return v1_error(octets.content.offset_of(e.offset), std::string(e.id()) + ": " + e.message);
  }
  const plist::Value& root = doc->root();
  const plist::Value* list = root.is(plist::Type::dict) ? root.find("cdhashes") : nullptr;
  if (!list || !list->is(plist::Type::array)) return v1_error(octets.offset, "no cdhashes array");
  std::vector<CmsCdHash> out;
  for (const plist::Value& item : list->as_array()) {
    if (!item.is(plist::Type::data)) return v1_error(octets.offset, "a cdhashes entry is not data");
    const Bytes digest = item.as_data();
    out.push_back(CmsCdHash{octets.offset, std::nullopt, std::vector<std::uint8_t>(digest.begin(), digest.end())});
  }
  return out;
}

Error v2_error(std::uint64_t offset, std::string detail) {
  return make_error(ErrorCode::cms_hash_agility_v2_malformed, offset, detail);
}

// V2: every value is SEQUENCE { digest algorithm OID, OCTET STRING full cdhash }.
Result<std::vector<CmsCdHash>> read_v2(const std::vector<Element>& values, std::uint32_t max_depth) {
  std::vector<CmsCdHash> out;
  for (const Element& value : values) {
    if (value.tag != tag::sequence) return v2_error(value.offset, "value is not a SEQUENCE");
    Cursor in = value.content;
    auto oid = ber::expect(in, tag::oid, ErrorCode::cms_hash_agility_v2_malformed, "hash algorithm", max_depth);
    if (!oid) return oid.take_error();
    auto dotted = ber::decode_oid(*oid);
    if (!dotted) return dotted.take_error();
    auto digest = ber::expect(in, tag::octet_string, ErrorCode::cms_hash_agility_v2_malformed, "digest", max_depth);
    if (!digest) return digest.take_error();
    if (!in.at_end()) return v2_error(in.offset(), "element after the digest");
    const Bytes bytes = digest->content.data();
    out.push_back(CmsCdHash{value.offset, digest_algorithm(*dotted), std::vector<std::uint8_t>(bytes.begin(), bytes.end())});
  }
  return out;
}

// One Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }.
Status read_attribute(const Element& attribute, std::set<std::string>& seen, CmsSigner& signer,
                      std::uint32_t max_depth) {
  if (attribute.tag != tag::sequence)
    return make_error(ErrorCode::cms_attribute_malformed, attribute.offset, "not a SEQUENCE");
  Cursor in = attribute.content;
  auto type = ber::expect(in, tag::oid, ErrorCode::cms_attribute_malformed, "attribute type", max_depth);
  if (!type) return type.take_error();
  auto oid = ber::decode_oid(*type);
  if (!oid) return oid.take_error();
  auto set = ber::expect(in, tag::set, ErrorCode::cms_attribute_malformed, "attribute values", max_depth);
  if (!set) return set.take_error();
  if (!in.at_end()) return make_error(ErrorCode::cms_attribute_malformed, in.offset(), "element after the values");
  // Two attributes of one type leave a reader to pick one (RFC 5652 5.3 forbids it for the
  // attributes it defines; a second cdhashes list is the CVE-2023-41991 shape of C2 (b)).
  if (!seen.insert(*oid).second)
    return make_error(ErrorCode::cms_attribute_duplicate, attribute.offset, *oid);
  signer.signed_attributes.push_back(*oid);
  auto values = attribute_values(*set, max_depth);
  if (!values) return values.take_error();

  if (*oid == kOidContentType) {
    auto value = single_value(*values, tag::oid, tag::oid, attribute.offset, "content-type");
    if (!value) return value.take_error();
    auto text = ber::decode_oid(*value);
    if (!text) return text.take_error();
    signer.content_type = std::move(*text);
  } else if (*oid == kOidMessageDigest) {
    auto value = single_value(*values, tag::octet_string, tag::octet_string, attribute.offset, "message-digest");
    if (!value) return value.take_error();
    const Bytes digest = value->content.data();
    signer.message_digest = std::vector<std::uint8_t>(digest.begin(), digest.end());
  } else if (*oid == kOidSigningTime) {
    auto value = single_value(*values, tag::utc_time, tag::generalized_time, attribute.offset, "signing-time");
    if (!value) return value.take_error();
    auto text = time_text(value->encoded);
    if (!text) return make_error(ErrorCode::cms_attribute_bad_value, value->offset, "signing-time is not a valid time");
    signer.signing_time = std::move(*text);
  } else if (*oid == kOidHashAgilityV1) {
    auto list = read_v1(*values, attribute.offset);
    if (!list) return list.take_error();
    signer.cdhashes_v1 = std::move(*list);
  } else if (*oid == kOidHashAgilityV2) {
    auto list = read_v2(*values, max_depth);
    if (!list) return list.take_error();
    signer.cdhashes_v2 = std::move(*list);
  }
  return Ok{};
}

Error signer_error(std::uint64_t offset, std::string detail) {
  return make_error(ErrorCode::cms_signer_info_malformed, offset, detail);
}

// SignerIdentifier ::= CHOICE { issuerAndSerialNumber, subjectKeyIdentifier [0] }.
Status read_sid(Cursor& in, CmsSigner& signer, std::uint32_t max_depth) {
  if (in.at_end()) return signer_error(in.offset(), "missing sid");
  auto sid = ber::read(in, max_depth);
  if (!sid) return sid.take_error();
  if (sid->tag == tag::context_0_primitive) {
    signer.sid_subject_key_id = hex_encode(sid->content.data());
    return Ok{};
  }
  if (sid->tag != tag::sequence) return signer_error(sid->offset, "sid is neither issuerAndSerialNumber nor [0]");
  Cursor fields = sid->content;
  auto issuer = ber::expect(fields, tag::sequence, ErrorCode::cms_signer_info_malformed, "sid issuer", max_depth);
  if (!issuer) return issuer.take_error();
  auto serial = ber::expect(fields, tag::integer, ErrorCode::cms_signer_info_malformed, "sid serial number", max_depth);
  if (!serial) return serial.take_error();
  if (!fields.at_end()) return signer_error(fields.offset(), "element after the sid serial number");
  signer.sid_issuer = name_text(issuer->encoded);
  if (!signer.sid_issuer) return signer_error(issuer->offset, "sid issuer is not a Name OpenSSL can read");
  signer.sid_serial = serial_text(serial->encoded);
  if (!signer.sid_serial) return signer_error(serial->offset, "sid serial number unreadable");
  return Ok{};
}

}  // namespace

Result<std::string> read_algorithm_oid(const Element& algorithm, ErrorCode code, std::uint32_t max_depth) {
  if (algorithm.tag != tag::sequence) return make_error(code, algorithm.offset, "AlgorithmIdentifier is not a SEQUENCE");
  Cursor in = algorithm.content;
  auto oid = ber::expect(in, tag::oid, code, "algorithm", max_depth);
  if (!oid) return oid.take_error();
  if (!in.at_end()) {
    auto parameters = ber::read(in, max_depth);
    if (!parameters) return parameters.take_error();
  }
  if (!in.at_end()) return make_error(code, in.offset(), "element after the algorithm parameters");
  return ber::decode_oid(*oid);
}

CmsAlgorithm digest_algorithm(const std::string& oid) {
  struct Known {
    std::string_view oid, name;
    std::optional<std::uint8_t> hash_type;
  };
  static constexpr Known kKnown[] = {
      {"1.3.14.3.2.26", "sha1", kHashSha1},
      {"2.16.840.1.101.3.4.2.1", "sha256", kHashSha256},
      {"2.16.840.1.101.3.4.2.2", "sha384", kHashSha384},
      {"2.16.840.1.101.3.4.2.3", "sha512", std::nullopt},
      {"2.16.840.1.101.3.4.2.4", "sha224", std::nullopt},
  };
  for (const auto& k : kKnown)
    if (k.oid == oid) return CmsAlgorithm{oid, std::string(k.name), k.hash_type};
  return CmsAlgorithm{oid, oid, std::nullopt};
}

Result<CmsSigner> read_signer(const Element& signer_info, const CmsOptions& options) {
  const std::uint32_t depth = options.max_depth;
  CmsSigner signer;
  signer.offset = signer_info.offset;
  if (signer_info.tag != tag::sequence) return signer_error(signer_info.offset, "not a SEQUENCE");
  Cursor in = signer_info.content;
  auto version = ber::expect(in, tag::integer, ErrorCode::cms_signer_info_malformed, "version", depth);
  if (!version) return version.take_error();
  auto v = ber::decode_small_integer(*version, ErrorCode::cms_signer_info_malformed, "version");
  if (!v) return v.take_error();
  signer.version = *v;
  if (Status sid = read_sid(in, signer, depth); !sid) return sid.take_error();
  auto digest = ber::expect(in, tag::sequence, ErrorCode::cms_signer_info_malformed, "digestAlgorithm", depth);
  if (!digest) return digest.take_error();
  auto digest_oid = read_algorithm_oid(*digest, ErrorCode::cms_signer_info_malformed, depth);
  if (!digest_oid) return digest_oid.take_error();
  signer.digest_algorithm = digest_algorithm(*digest_oid);
  if (ber::peek_tag(in) == tag::context_0) {
    auto attributes = ber::read(in, depth);
    if (!attributes) return attributes.take_error();
    std::set<std::string> seen;
    Cursor list = attributes->content;
    while (!list.at_end()) {
      auto attribute = ber::read(list, depth);
      if (!attribute) return attribute.take_error();
      if (Status s = read_attribute(*attribute, seen, signer, depth); !s) return s.take_error();
    }
  }
  auto signature_algorithm =
      ber::expect(in, tag::sequence, ErrorCode::cms_signer_info_malformed, "signatureAlgorithm", depth);
  if (!signature_algorithm) return signature_algorithm.take_error();
  auto signature_oid = read_algorithm_oid(*signature_algorithm, ErrorCode::cms_signer_info_malformed, depth);
  if (!signature_oid) return signature_oid.take_error();
  signer.signature_algorithm = oid_long_name(*signature_oid);
  // SignatureValue is an OCTET STRING, which BER may also encode constructed (0x24).
  if (in.at_end()) return signer_error(in.offset(), "missing signature");
  auto signature = ber::read(in, depth);
  if (!signature) return signature.take_error();
  if (signature->tag != tag::octet_string && signature->tag != (tag::octet_string | 0x20))
    return signer_error(signature->offset, "signature is not an OCTET STRING");
  if (ber::peek_tag(in) == tag::context_1) {
    auto unsigned_attributes = ber::read(in, depth);
    if (!unsigned_attributes) return unsigned_attributes.take_error();
    signer.has_unsigned_attributes = true;
  }
  if (!in.at_end()) return signer_error(in.offset(), "element after the signature");
  return signer;
}

}  // namespace entsig::codesign::cms_detail

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "entsig/cms.h"
#include "entsig/codesign.h"
#include "macho_test_support.h"

using namespace entsig;
using namespace entsig_test;

namespace {

// ---------------------------------------------------------------------------
// A small DER builder for crafted CMS structures.

using Der = std::vector<std::uint8_t>;

Der tlv(std::uint8_t tag, const Der& content) {
  Der out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Der cat(std::initializer_list<Der> parts) {
  Der out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Der bytes_of(std::string_view text) { return Der(text.begin(), text.end()); }
Der raw(std::initializer_list<std::uint8_t> b) { return Der(b); }

// Encoded OIDs used below (X.690 8.19).
const Der kOidSignedData = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02});
const Der kOidData = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01});
const Der kOidContentType = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03});
const Der kOidMessageDigest = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04});
const Der kOidSigningTime = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05});
const Der kOidAgilityV1 = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x09, 0x01});
const Der kOidAgilityV2 = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x09, 0x02});
const Der kOidSha1 = raw({0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a});
const Der kOidSha256 = raw({0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01});
const Der kOidSha512 = raw({0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03});
const Der kOidRsa = raw({0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01});
const Der kOidCommonName = raw({0x06, 0x03, 0x55, 0x04, 0x03});
const Der kNull = raw({0x05, 0x00});

Der attribute(const Der& oid, std::initializer_list<Der> values) { return tlv(0x30, cat({oid, tlv(0x31, cat(values))})); }
Der octets(const Der& content) { return tlv(0x04, content); }

Der v1_plist(const std::vector<Der>& cdhashes) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>cdhashes</key>\n\t<array>\n";
  for (const auto& h : cdhashes) xml += "\t\t<data>" + base64_encode(Bytes(h.data(), h.size())) + "</data>\n";
  return bytes_of(xml + "\t</array>\n</dict>\n</plist>\n");
}

Der v2_entry(const Der& algorithm, const Der& digest) { return tlv(0x30, cat({algorithm, octets(digest)})); }

// issuerAndSerialNumber { CN=Test CA, 5 }.
Der test_sid() {
  const Der name = tlv(0x30, tlv(0x31, tlv(0x30, cat({kOidCommonName, tlv(0x0c, bytes_of("Test CA"))}))));
  return tlv(0x30, cat({name, raw({0x02, 0x01, 0x05})}));
}

// SignerInfo v1 with the given sid, SHA-256, RSA.
Der signer_info(const Der& signed_attributes, const Der& sid = test_sid()) {
  return tlv(0x30, cat({raw({0x02, 0x01, 0x01}), sid,
                        tlv(0x30, cat({kOidSha256, kNull})), signed_attributes.empty() ? Der{} : tlv(0xa0, signed_attributes),
                        tlv(0x30, cat({kOidRsa, kNull})), octets(bytes_of("signature"))}));
}

// ContentInfo { signedData, [0] SignedData { v1, {sha256}, {data}, [certificates], signers } }.
Der content_info(const std::vector<Der>& signers, const Der& certificates = {}, const Der& encapsulated = {}) {
  Der signer_set;
  for (const auto& s : signers) signer_set.insert(signer_set.end(), s.begin(), s.end());
  const Der signed_data =
      tlv(0x30, cat({raw({0x02, 0x01, 0x01}), tlv(0x31, tlv(0x30, cat({kOidSha256, kNull}))),
                     encapsulated.empty() ? tlv(0x30, kOidData) : encapsulated,
                     certificates.empty() ? Der{} : tlv(0xa0, certificates), tlv(0x31, signer_set)}));
  return tlv(0x30, cat({kOidSignedData, tlv(0xa0, signed_data)}));
}

// A bare CodeDirectory v0x20400 (SHA-256, one 4 KiB page) to check agreement against.
std::vector<std::uint8_t> bare_code_directory() {
  Bin b(Endian::big);
  b.u32(codesign::kMagicCodeDirectory).u32(128).u32(0x20400).u32(codesign::kFlagAdhoc);
  b.u32(96).u32(88).u32(0).u32(1).u32(1);                           // hash, ident, special, code, limit
  b.u8(32).u8(codesign::kHashSha256).u8(0).u8(12).u32(0);           // hashSize .. spare2
  b.u32(0).u32(0).u32(0).u64(0).u64(0).u64(1).u64(0);               // scatter .. execSegFlags
  b.text("t").u8(0).pad_to(96).zeros(32);
  REQUIRE(b.size() == 128);
  return b.data();
}

template <class T>
void check_error(const Result<T>& r, std::string_view id, std::uint64_t offset) {
  INFO("expected " << id << " at " << offset);
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().id() == id);
  CHECK(r.error().offset == offset);
}

Result<codesign::CmsSignature> parse(const Der& der, std::uint64_t base = 0, const codesign::CmsOptions& o = {}) {
  return codesign::parse_cms(Bytes(der.data(), der.size()), base, o);
}

std::string realworld_path(std::string_view name) {
  return (realworld_dir() / "macho" / ("radareorg__radare2-testbins__" + std::string(name))).string();
}

struct RealSlice {
  std::vector<std::uint8_t> data;
  std::optional<macho::File> file;
  std::optional<codesign::Signature> signature;
};

RealSlice read_slice(std::string_view name, std::size_t index = 0) {
  RealSlice out;
  out.data = read_file(realworld_path(name));
  auto file = macho::parse(view(out.data));
  REQUIRE(file.ok());
  out.file = std::move(*file);
  auto sig = codesign::parse_signature(out.file->slices.at(index));
  REQUIRE(sig.ok());
  out.signature = std::move(*sig);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Real-world signatures

TEST_CASE("cms: real-world signers match macho_signatures.tsv", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  std::size_t signed_slices = 0, empty = 0, absent = 0, without_attributes = 0;
  std::map<std::string, std::size_t> statuses;
  for (const auto& row : read_signatures_tsv()) {
    INFO(row.path);
    const auto data = read_file(realworld_dir() / row.path);
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    for (std::size_t i = 0; i < row.slices.size(); ++i) {
      INFO("slice " << i);
      const auto& want = row.slices[i];
      auto sig = codesign::parse_signature(file->slices[i]);
      REQUIRE(sig.ok());
      auto cms = codesign::parse_signature_cms(*sig);
      if (!cms) {
        CHECK(want.cms_size == 0);
        ++absent;
        continue;
      }
      REQUIRE(cms->ok());
      const auto agreement = codesign::check_cms_agreement(cms->value(), *sig);
      ++statuses[std::string(codesign::cms_agreement_status_name(agreement.status))];
      if (want.cms_size == 0) {
        CHECK(cms->value().empty);
        CHECK(agreement.status == codesign::CmsAgreementStatus::empty);
        ++empty;
        continue;
      }
      const auto& c = cms->value();
      CHECK_FALSE(c.empty);
      CHECK(c.length == want.cms_size);
      CHECK(c.offset == sig->find_blob(codesign::kSlotSignature)->file_offset + 8);
      CHECK(c.content_type == codesign::kOidData);
      CHECK(c.detached);
      REQUIRE(c.signers.size() == 1);
      const auto& signer = c.signers[0];
      REQUIRE(signer.certificate);
      // The TSV's leaf field is the signer's CN cut at its first comma.
      const std::string cn = c.certificates.at(*signer.certificate).common_name.value_or("");
      CHECK(cn.substr(0, cn.find(',')) == want.leaf);
      // Every chain ends at a self-issued root that the SignedData carries.
      REQUIRE_FALSE(signer.chain.empty());
      CHECK(signer.chain.front() == *signer.certificate);
      CHECK(c.certificates.at(signer.chain.back()).self_issued());
      CHECK(agreement.ok());
      for (const auto& s : agreement.signers) CHECK(s.unlisted_slots.empty());
      // Old Apple signatures sign the content directly, with no signed attributes.
      if (signer.signed_attributes.empty()) ++without_attributes;
      CHECK(signer.message_digest.has_value() == !signer.signed_attributes.empty());
      ++signed_slices;
    }
  }
  CHECK(signed_slices == 29);
  CHECK(empty == 4);
  CHECK(absent == 6);
  CHECK(without_attributes == 4);
  // 22 slices carry hash-agility attributes; 3 signers before 10.11 (FileDP, BatteryLife x2) have
  // neither, nor do the 4 whose old Apple signature has no signed attributes at all.
  CHECK(statuses == std::map<std::string, std::size_t>{{"agree", 22}, {"empty", 4}, {"no-attributes", 7}});
}

TEST_CASE("cms: MASTestApp, every field against openssl's reading", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto s = read_slice("MASTestApp");
  auto cms = codesign::parse_signature_cms(*s.signature);
  REQUIRE(cms);
  REQUIRE(cms->ok());
  const auto& c = cms->value();
  // Offsets: the BlobWrapper payload starts at 101211 + 8; element offsets from
  // `openssl asn1parse` of the payload.
  const std::uint64_t base = 101219;
  CHECK(c.offset == base);
  CHECK(c.length == 4804);
  CHECK(c.version == 1);
  REQUIRE(c.digest_algorithms.size() == 1);
  CHECK(c.digest_algorithms[0].name == "sha256");
  CHECK(c.digest_algorithms[0].oid == "2.16.840.1.101.3.4.2.1");
  REQUIRE(c.certificates.size() == 3);
  CHECK(c.other_certificates == 0);
  const auto& wwdr = c.certificates[0];
  CHECK(wwdr.offset == base + 56);
  CHECK(wwdr.length == 1109);
  CHECK(wwdr.subject == "C=US,O=Apple Inc.,OU=G3,CN=Apple Worldwide Developer Relations Certification Authority");
  CHECK(wwdr.issuer == "CN=Apple Root CA,OU=Apple Certification Authority,O=Apple Inc.,C=US");
  CHECK(wwdr.serial == "7caf690a25b739fe7b9b447ac178c5ee");
  CHECK(wwdr.not_before == "2020-02-19T18:13:47Z");
  CHECK(wwdr.not_after == "2030-02-20T00:00:00Z");
  CHECK(wwdr.sha256 == "dcf21878c77f4198e4b4614f03d696d89c66c66008d4244e1b99161aac91601f");
  const auto& root = c.certificates[1];
  CHECK(root.offset == base + 1165);
  CHECK(root.self_issued());
  CHECK(root.serial == "02");
  CHECK(root.not_after == "2035-02-09T21:40:36Z");
  CHECK(root.sha256 == "b0b1730ecbc7ff4505142c49f1295e6eda6bcaed7e2c68c5be91b5a11001f024");
  const auto& leaf = c.certificates[2];
  CHECK(leaf.offset == base + 2380);
  CHECK(leaf.subject ==
        "C=US,O=Carlos P\xc3\xa9rez Holguera,OU=D4WYSK5293,CN=Apple Development: perezholguera@hotmail.com "
        "(ZPS6MDSKNS),UID=X52583DW3H");
  CHECK(leaf.common_name == "Apple Development: perezholguera@hotmail.com (ZPS6MDSKNS)");
  CHECK(leaf.serial == "718db09628e46b8214dec7873b377022");

  REQUIRE(c.signers.size() == 1);
  const auto& signer = c.signers[0];
  CHECK(signer.offset == base + 3889);
  CHECK(signer.version == 1);
  CHECK(signer.sid_issuer == wwdr.subject);
  CHECK(signer.sid_serial == leaf.serial);
  CHECK(signer.certificate == 2u);
  CHECK(signer.chain == std::vector<std::size_t>{2, 0, 1});
  CHECK(signer.digest_algorithm.name == "sha256");
  CHECK(signer.signature_algorithm == "sha256WithRSAEncryption");
  CHECK(signer.signing_time == "2024-08-19T08:05:54Z");
  CHECK(signer.content_type == codesign::kOidData);
  CHECK(signer.signed_attributes ==
        std::vector<std::string>{std::string(codesign::kOidContentType), std::string(codesign::kOidSigningTime),
                                 std::string(codesign::kOidMessageDigest), std::string(codesign::kOidHashAgilityV2),
                                 std::string(codesign::kOidHashAgilityV1)});
  CHECK_FALSE(signer.has_unsigned_attributes);
  const std::string full = "012edcc2192c43411809ad009850988cbb4209e4c1edcbac1f363743a3fc2d81";
  REQUIRE(signer.message_digest);
  CHECK(hex_encode(Bytes(signer.message_digest->data(), signer.message_digest->size())) == full);
  REQUIRE(signer.cdhashes_v1);
  REQUIRE(signer.cdhashes_v1->size() == 1);
  CHECK((*signer.cdhashes_v1)[0].hex() == full.substr(0, 40));  // base64 AS7cwhksQ0EYCa0AmFCYjLtCCeQ=
  CHECK((*signer.cdhashes_v1)[0].offset == base + 4241);
  REQUIRE(signer.cdhashes_v2);
  REQUIRE(signer.cdhashes_v2->size() == 1);
  CHECK((*signer.cdhashes_v2)[0].hex() == full);
  CHECK((*signer.cdhashes_v2)[0].algorithm->name == "sha256");
  CHECK((*signer.cdhashes_v2)[0].offset == base + 4175);

  // The signed cdhash is the one the library computes for the slot-0 CodeDirectory.
  CHECK(s.signature->primary_code_directory()->cdhash_full.hex() == full);
  const auto a = codesign::check_cms_agreement(c, *s.signature);
  CHECK(a.status == codesign::CmsAgreementStatus::agree);
  REQUIRE(a.signers.size() == 1);
  CHECK(a.signers[0].message_digest_ok == true);
  REQUIRE(a.signers[0].v1.size() == 1);
  CHECK(a.signers[0].v1[0].match == codesign::CdHashMatch::match);
  CHECK(a.signers[0].v1[0].slot == 0u);
  REQUIRE(a.signers[0].v2.size() == 1);
  CHECK(a.signers[0].v2[0].slot == 0u);
  CHECK(a.signers[0].v2[0].algorithm == "sha256");
}

TEST_CASE("cms: two CodeDirectories, V2 lists both digests", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto s = read_slice("TestRTTI-arm64");
  auto cms = codesign::parse_signature_cms(*s.signature);
  REQUIRE(cms);
  REQUIRE(cms->ok());
  const auto& signer = cms->value().signers.at(0);
  REQUIRE(signer.cdhashes_v2);
  REQUIRE(signer.cdhashes_v2->size() == 2);
  // openssl asn1parse of the attribute.
  CHECK((*signer.cdhashes_v2)[0].algorithm->name == "sha1");
  CHECK((*signer.cdhashes_v2)[0].hex() == "f9b1a551089d57dae84e3fc0f94999cedca98e50");
  CHECK((*signer.cdhashes_v2)[1].algorithm->name == "sha256");
  CHECK((*signer.cdhashes_v2)[1].hex() == "21e4632eceec63a0208a6b35ebac988490324ba0f48b954ceb974893818ea8cd");
  const auto a = codesign::check_cms_agreement(cms->value(), *s.signature);
  CHECK(a.status == codesign::CmsAgreementStatus::agree);
  REQUIRE(a.signers.at(0).v2.size() == 2);
  CHECK(a.signers[0].v2[0].slot == codesign::kSlotCodeDirectory);
  CHECK(a.signers[0].v2[1].slot == codesign::kSlotAlternateCodeDirectories);
  REQUIRE(a.signers[0].v1.size() == 2);
  CHECK(a.signers[0].v1[0].slot == codesign::kSlotCodeDirectory);
  CHECK(a.signers[0].v1[1].slot == codesign::kSlotAlternateCodeDirectories);
}

TEST_CASE("cms: ad-hoc signatures carry an empty wrapper", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto s = read_slice("InsecurePasswordStore");
  const auto* blob = s.signature->find_blob(codesign::kSlotSignature);
  REQUIRE(blob);
  CHECK(blob->length == 8);
  auto cms = codesign::parse_signature_cms(*s.signature);
  REQUIRE(cms);
  REQUIRE(cms->ok());
  CHECK(cms->value().empty);
  CHECK(cms->value().offset == blob->file_offset + 8);
  CHECK(cms->value().signers.empty());
  CHECK(codesign::check_cms_agreement(cms->value(), *s.signature).status == codesign::CmsAgreementStatus::empty);
  auto v = codesign::verify_slice(s.file->slices[0]);
  CHECK(v.status == codesign::SliceStatus::valid);
  CHECK(v.cms.status == codesign::CmsAgreementStatus::empty);
}

TEST_CASE("cms: agreement fails when the CodeDirectory changes", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto original = read_slice("MASTestApp");
  const auto& cd = *original.signature->primary_code_directory();
  // A byte of the identifier: page hashes and special slots still match, the cdhash does not.
  auto copy = original.data;
  copy[cd.file_offset + cd.identifier_offset] ^= 0x20;
  auto file = macho::parse(view(copy));
  REQUIRE(file.ok());
  auto v = codesign::verify_slice(file->slices[0]);
  CHECK(v.status == codesign::SliceStatus::invalid);
  CHECK(v.code_pages_ok);
  CHECK(v.special_slots_ok);
  CHECK(v.cms.status == codesign::CmsAgreementStatus::disagree);
  REQUIRE(v.cms.signers.size() == 1);
  const auto& s = v.cms.signers[0];
  CHECK(s.message_digest_ok == false);
  REQUIRE(s.v1.size() == 1);
  CHECK(s.v1[0].match == codesign::CdHashMatch::mismatch);
  CHECK(s.v1[0].hex == cd.cdhash_hex());  // what was signed: the original cdhash
  REQUIRE(s.v2.size() == 1);
  CHECK(s.v2[0].match == codesign::CdHashMatch::mismatch);
  CHECK(s.unlisted_slots == std::vector<std::uint32_t>{0});
}

TEST_CASE("cms: a damaged CMS makes the slice malformed", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto original = read_slice("MASTestApp");
  const std::uint64_t base = 101219;
  auto copy = original.data;
  copy[base + 12] = 0x01;  // the contentType OID's last byte: id-data instead of id-signedData
  auto file = macho::parse(view(copy));
  REQUIRE(file.ok());
  auto v = codesign::verify_slice(file->slices[0]);
  CHECK(v.status == codesign::SliceStatus::malformed);
  CHECK(v.cms.status == codesign::CmsAgreementStatus::malformed);
  REQUIRE(v.error);
  CHECK(v.error->id() == "cms.content_type.not_signed_data");
  CHECK(v.error->offset == base + 2);
  CHECK(v.code_pages_ok);  // the page checks still ran
}

TEST_CASE("cms: chains follow issuer names among the SignedData's certificates", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  // MASTestApp's certificates (WWDR G3 at 56, Apple Root CA at 1165, the leaf at 2380 of the
  // CMS bytes) and its signer's sid (at 3896, 140 bytes), from openssl asn1parse.
  auto s = read_slice("MASTestApp");
  const Bytes cms = *s.signature->cms_payload();
  auto piece = [&](std::size_t at, std::size_t n) { return Der(cms.begin() + at, cms.begin() + at + n); };
  const Der wwdr = piece(56, 1109), root = piece(1165, 1215), leaf = piece(2380, 1505), sid = piece(3896, 140);
  const Der signer = signer_info(attribute(kOidContentType, {kOidData}), sid);
  auto chain_of = [&](const Der& certificates, const codesign::CmsOptions& o = {}) {
    auto r = parse(content_info({signer}, certificates), 0, o);
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(r->signers.size() == 1);
    return std::make_pair(r->signers[0].certificate, r->signers[0].chain);
  };
  using Chain = std::vector<std::size_t>;
  CHECK(chain_of(cat({root, wwdr, leaf})) == std::make_pair(std::optional<std::size_t>(2), Chain{2, 1, 0}));
  // A repeated certificate is used once: the chain stops at the self-issued root.
  CHECK(chain_of(cat({leaf, root, wwdr, root})).second == Chain{0, 2, 1});
  // Without the intermediate the chain ends at the leaf; without the leaf there is none.
  CHECK(chain_of(cat({leaf, root})).second == Chain{0});
  CHECK(chain_of(cat({wwdr, root})) == std::make_pair(std::optional<std::size_t>(), Chain{}));
  codesign::CmsOptions short_chains;
  short_chains.max_chain_length = 2;
  CHECK(chain_of(cat({root, wwdr, leaf}), short_chains).second == Chain{2, 1});
  CHECK(codesign::CmsOptions::default_max_chain_length == 16);
}

// ---------------------------------------------------------------------------
// Truncated and hostile inputs

TEST_CASE("cms: truncated real CMS, exact ids and offsets", "[cms][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  auto s = read_slice("MASTestApp");
  const Bytes cms = *s.signature->cms_payload();
  REQUIRE(cms.size() == 4804);
  const std::uint64_t base = 101219;
  auto cut = [&](std::size_t n) { return codesign::parse_cms(cms.first(n), base); };
  // Offsets from openssl asn1parse: SET of digest algorithms at 20 (length 15), certificates
  // [0] at 52 (length 3829), end-of-contents markers at 4798, 4800, 4802.
  check_error(cut(30), "cms.ber.length_out_of_range", base + 21);
  check_error(cut(1000), "cms.ber.length_out_of_range", base + 53);
  check_error(cut(4802), "cms.ber.truncated", base + 4802);
  check_error(cut(1), "cms.ber.truncated", base + 1);
  std::vector<std::uint8_t> longer(cms.begin(), cms.end());
  longer.push_back(0);
  check_error(codesign::parse_cms(view(longer), base), "cms.ber.trailing_bytes", base + 4804);
  CHECK(codesign::parse_cms(cms, base).ok());
}

TEST_CASE("cms: BlobWrapper header", "[cms]") {
  Bin empty(Endian::big);
  empty.u32(codesign::kMagicBlobWrapper).u32(8);
  auto r = codesign::parse_blob_wrapper(view(empty.data()), 100);
  REQUIRE(r.ok());
  CHECK(r->empty);
  CHECK(r->offset == 108);
  CHECK(r->length == 0);

  check_error(codesign::parse_blob_wrapper(view(Der{0xfa, 0xde, 0x0b}), 100), "cms.wrapper.truncated", 100);
  Bin bad(Endian::big);
  bad.u32(0xfade0b02).u32(8);
  check_error(codesign::parse_blob_wrapper(view(bad.data()), 100), "cms.wrapper.bad_magic", 100);
  Bin huge(Endian::big);
  huge.u32(codesign::kMagicBlobWrapper).u32(0xffffffff).zeros(8);
  check_error(codesign::parse_blob_wrapper(view(huge.data()), 100), "cms.wrapper.bad_length", 104);
  Bin small(Endian::big);
  small.u32(codesign::kMagicBlobWrapper).u32(7);
  check_error(codesign::parse_blob_wrapper(view(small.data()), 100), "cms.wrapper.bad_length", 104);
  // The length, not the buffer, bounds the payload: garbage after it is not read.
  Bin padded(Endian::big);
  padded.u32(codesign::kMagicBlobWrapper).u32(8).text("garbage");
  auto p = codesign::parse_blob_wrapper(view(padded.data()), 0);
  REQUIRE(p.ok());
  CHECK(p->empty);
}

TEST_CASE("cms: BER framing errors, exact ids and offsets", "[cms]") {
  struct Case {
    const char* name;
    Der input;
    std::string_view id;
    std::uint64_t offset;  // relative; the base 1000 is added
  };
  const std::vector<Case> cases = {
      {"garbage text", bytes_of("hello world"), "cms.ber.length_out_of_range", 1},
      {"length 0xFFFFFFFF", raw({0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00}), "cms.ber.length_out_of_range", 1},
      {"length of 9 bytes", raw({0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1}), "cms.ber.bad_length", 1},
      {"reserved length 0xFF", raw({0x30, 0xff}), "cms.ber.bad_length", 1},
      {"indefinite primitive", raw({0x04, 0x80, 0x00, 0x00}), "cms.ber.bad_length", 1},
      {"high tag number", raw({0x1f, 0x01, 0x00}), "cms.ber.bad_tag", 0},
      {"end-of-contents as element", raw({0x00, 0x00}), "cms.ber.bad_tag", 0},
      {"end-of-contents with length", raw({0x30, 0x80, 0x00, 0x05, 0x00, 0x00}), "cms.ber.bad_tag", 2},
      {"tag only", raw({0x30}), "cms.ber.truncated", 1},
      {"inside long length", raw({0x30, 0x82, 0x01}), "cms.ber.truncated", 1},
      {"no end-of-contents", raw({0x30, 0x80, 0x30, 0x00}), "cms.ber.truncated", 4},
      {"inner runs past outer", raw({0x30, 0x80, 0x04, 0x05, 0x00, 0x00}), "cms.ber.length_out_of_range", 3},
      {"trailing byte", raw({0x30, 0x00, 0x00}), "cms.ber.trailing_bytes", 2},
      {"not a SEQUENCE", raw({0x31, 0x00}), "cms.content_info.malformed", 0},
      {"empty ContentInfo", raw({0x30, 0x00}), "cms.content_info.malformed", 2},
      {"empty OID", raw({0x30, 0x02, 0x06, 0x00}), "cms.oid.malformed", 2},
      {"OID not minimal", raw({0x30, 0x03, 0x06, 0x01, 0x80}), "cms.oid.malformed", 4},
      {"OID unterminated", raw({0x30, 0x03, 0x06, 0x01, 0x81}), "cms.oid.malformed", 4},
      {"OID arc above 64 bits",
       raw({0x30, 0x0e, 0x06, 0x0c, 0x2a, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01}),
       "cms.oid.malformed", 15},
      {"id-data, not signedData", cat({raw({0x30, 0x0b}), kOidData}), "cms.content_type.not_signed_data", 2},
      {"no [0] content", cat({raw({0x30, 0x0b}), kOidSignedData}), "cms.content_info.malformed", 13},
      {"[0] holds no SEQUENCE", tlv(0x30, cat({kOidSignedData, tlv(0xa0, raw({0x02, 0x01, 0x01}))})),
       "cms.signed_data.malformed", 15},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    check_error(parse(c.input, 1000), c.id, 1000 + c.offset);
  }
}

TEST_CASE("cms: depth limit at limit-1, limit, limit+1", "[cms]") {
  // n nested indefinite SEQUENCEs, properly closed.
  auto nested = [](std::size_t n) {
    Der d;
    for (std::size_t i = 0; i < n; ++i) d.insert(d.end(), {0x30, 0x80});
    for (std::size_t i = 0; i < n; ++i) d.insert(d.end(), {0x00, 0x00});
    return d;
  };
  codesign::CmsOptions o;
  o.max_depth = 8;
  // Within the limit the walk succeeds and the structure check names the first child.
  check_error(parse(nested(7), 0, o), "cms.content_info.malformed", 2);
  check_error(parse(nested(8), 0, o), "cms.content_info.malformed", 2);
  check_error(parse(nested(9), 0, o), "cms.ber.depth_limit", 16);
  CHECK(error_kind(ErrorCode::cms_ber_depth_limit) == ErrorKind::limit);
  CHECK(codesign::CmsOptions::default_max_depth == 64);
  check_error(parse(nested(64)), "cms.content_info.malformed", 2);
  check_error(parse(nested(65)), "cms.ber.depth_limit", 128);
  // 100,000 levels with the limit raised: the walk counts, it does not recurse.
  o.max_depth = 200000;
  check_error(parse(nested(100000), 0, o), "cms.content_info.malformed", 2);
}

TEST_CASE("cms: SignedData and SignerInfo structure errors", "[cms]") {
  const Der good_attributes = attribute(kOidContentType, {kOidData});
  SECTION("a crafted signature reads") {
    auto r = parse(content_info({signer_info(good_attributes)}));
    REQUIRE(r.ok());
    REQUIRE(r->signers.size() == 1);
    CHECK(r->signers[0].sid_issuer == "CN=Test CA");
    CHECK(r->signers[0].sid_serial == "05");
    CHECK_FALSE(r->signers[0].certificate);  // no certificates in the SignedData
    CHECK(r->signers[0].chain.empty());
    CHECK(r->signers[0].content_type == codesign::kOidData);
    CHECK_FALSE(r->signers[0].signing_time);
    CHECK(r->signers[0].signature_algorithm == "rsaEncryption");
  }
  SECTION("duplicate attribute") {
    const Der two = cat({good_attributes, good_attributes});
    const Der ci = content_info({signer_info(two)});
    // The error points at the second attribute.
    const auto first = std::search(ci.begin(), ci.end(), two.begin(), two.end()) - ci.begin();
    check_error(parse(ci), "cms.attribute.duplicate", static_cast<std::uint64_t>(first) + good_attributes.size());
  }
  SECTION("attribute value errors") {
    // Offsets are relative to the attribute: SEQUENCE header 2, type OID 11, SET header 2, so
    // the first value is at 15.
    struct Case {
      const char* name;
      Der attributes;
      std::string_view id;
      std::uint64_t offset;
    };
    const std::vector<Case> cases = {
        {"attribute without values", tlv(0x30, cat({kOidContentType, tlv(0x31, {})})), "cms.attribute.malformed", 13},
        {"attribute not a SEQUENCE", tlv(0x31, kOidContentType), "cms.attribute.malformed", 0},
        {"two message digests", attribute(kOidMessageDigest, {octets(raw({1})), octets(raw({2}))}),
         "cms.attribute.bad_value", 0},
        {"signing time as INTEGER", attribute(kOidSigningTime, {raw({0x02, 0x01, 0x01})}), "cms.attribute.bad_value", 15},
        {"signing time not a time", attribute(kOidSigningTime, {tlv(0x17, bytes_of("nonsense"))}),
         "cms.attribute.bad_value", 15},
        {"V1 as INTEGER", attribute(kOidAgilityV1, {raw({0x02, 0x01, 0x01})}), "cms.hash_agility_v1.malformed", 15},
        // The plist reader's own offset, inside the OCTET STRING's contents (which start at 17):
        // the input ends after "<plist".
        {"V1 not a plist", attribute(kOidAgilityV1, {octets(bytes_of("<plist"))}), "cms.hash_agility_v1.malformed", 23},
        {"V1 without cdhashes",
         attribute(kOidAgilityV1, {octets(bytes_of("<plist version=\"1.0\"><dict/></plist>"))}),
         "cms.hash_agility_v1.malformed", 15},
        {"V2 value not a SEQUENCE", attribute(kOidAgilityV2, {octets(raw({1, 2}))}), "cms.hash_agility_v2.malformed", 15},
        // The SEQUENCE (header 2) ends after the OID (11): the digest is missing there.
        {"V2 digest missing", attribute(kOidAgilityV2, {tlv(0x30, kOidSha256)}), "cms.hash_agility_v2.malformed", 28},
        {"V2 extra element", attribute(kOidAgilityV2, {tlv(0x30, cat({kOidSha256, octets(raw({1})), kNull}))}),
         "cms.hash_agility_v2.malformed", 31},
    };
    for (const auto& c : cases) {
      INFO(c.name);
      const Der ci = content_info({signer_info(c.attributes)});
      const auto at = std::search(ci.begin(), ci.end(), c.attributes.begin(), c.attributes.end()) - ci.begin();
      check_error(parse(ci), c.id, static_cast<std::uint64_t>(at) + c.offset);
    }
  }
  SECTION("SignerInfo fields") {
    // ContentInfo header 2, OID 11, [0] 2, SignedData 2, version 3, digestAlgorithms 17,
    // encapContentInfo 13, signerInfos header 2: the first SignerInfo is at 52.
    check_error(parse(content_info({tlv(0x30, raw({0x04, 0x00}))})), "cms.signer_info.malformed", 54);
    check_error(parse(content_info({raw({0x02, 0x01, 0x01})})), "cms.signer_info.malformed", 52);
  }
  SECTION("a certificate that is not X.509") {
    const Der certificate = raw({0x30, 0x03, 0x02, 0x01, 0x00});
    const Der ci = content_info({signer_info(good_attributes)}, certificate);
    const auto at = std::search(ci.begin(), ci.end(), certificate.begin(), certificate.end()) - ci.begin();
    check_error(parse(ci), "cms.certificate.malformed", static_cast<std::uint64_t>(at));
  }
  SECTION("OpenSSL must accept what the walk accepted") {
    // eContent [0] must hold an OCTET STRING; the walk does not look inside it.
    const Der encapsulated = tlv(0x30, cat({kOidData, tlv(0xa0, raw({0x02, 0x01, 0x01}))}));
    check_error(parse(content_info({signer_info(good_attributes)}, {}, encapsulated)), "cms.openssl_rejected", 0);
  }
}

TEST_CASE("cms: agreement of the hash-agility attributes with the CodeDirectories", "[cms]") {
  const auto cd_bytes = bare_code_directory();
  auto sig = codesign::parse_signature(view(cd_bytes));
  REQUIRE(sig.ok());
  const auto& cd = sig->code_directories.at(0);
  const Der cdhash(cd.cdhash.begin(), cd.cdhash.end());
  const Der full(cd.cdhash_full.bytes.begin(), cd.cdhash_full.bytes.begin() + static_cast<long>(cd.cdhash_full.size));
  const Der other(20, 0xaa);
  const Der md = full;  // the CMS signs the slot-0 CodeDirectory; here the only one
  auto signer_with = [&](const Der& message_digest, const std::vector<Der>& v1, std::initializer_list<Der> v2) {
    Der attrs = cat({attribute(kOidContentType, {kOidData}), attribute(kOidMessageDigest, {octets(message_digest)}),
                     attribute(kOidAgilityV1, {octets(v1_plist(v1))})});
    if (v2.size() != 0) attrs = cat({attrs, attribute(kOidAgilityV2, v2)});
    return signer_info(attrs);
  };
  auto agreement = [&](const std::vector<Der>& signers) {
    auto cms = parse(content_info(signers));
    INFO((cms.ok() ? std::string() : cms.error().describe()));
    REQUIRE(cms.ok());
    return codesign::check_cms_agreement(*cms, *sig);
  };
  SECTION("V1 and V2 list the CodeDirectory") {
    auto a = agreement({signer_with(md, {cdhash}, {v2_entry(kOidSha256, full)})});
    CHECK(a.status == codesign::CmsAgreementStatus::agree);
    REQUIRE(a.signers.size() == 1);
    CHECK(a.signers[0].message_digest_ok == true);
    REQUIRE(a.signers[0].v1.size() == 1);
    CHECK(a.signers[0].v1[0].hex == cd.cdhash_hex());
    CHECK(a.signers[0].v1[0].slot == 0u);
    REQUIRE(a.signers[0].v2.size() == 1);
    CHECK(a.signers[0].v2[0].match == codesign::CdHashMatch::match);
  }
  SECTION("an extra cdhash in V1") {
    auto a = agreement({signer_with(md, {cdhash, other}, {})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    REQUIRE(a.signers[0].v1.size() == 2);
    CHECK(a.signers[0].v1[1].match == codesign::CdHashMatch::mismatch);
    CHECK(a.signers[0].v1[1].hex == std::string(40, 'a'));
    CHECK_FALSE(a.signers[0].v1[1].slot);
    CHECK(a.signers[0].unlisted_slots.empty());
  }
  SECTION("V1 leaves the CodeDirectory out") {
    auto a = agreement({signer_with(md, {}, {})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    CHECK(a.signers[0].unlisted_slots == std::vector<std::uint32_t>{0});
  }
  SECTION("V2 truncated digest is a mismatch: V2 holds the full digest") {
    auto a = agreement({signer_with(md, {cdhash}, {v2_entry(kOidSha256, cdhash)})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    CHECK(a.signers[0].v2.at(0).match == codesign::CdHashMatch::mismatch);
  }
  SECTION("V2 SHA-1 entry for a SHA-256 CodeDirectory") {
    auto a = agreement({signer_with(md, {cdhash}, {v2_entry(kOidSha1, cdhash)})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    CHECK(a.signers[0].v2.at(0).match == codesign::CdHashMatch::mismatch);
    CHECK(a.signers[0].unlisted_slots == std::vector<std::uint32_t>{0});
  }
  SECTION("V2 entry of an unknown algorithm is ignored") {
    auto a = agreement({signer_with(md, {cdhash}, {v2_entry(kOidSha256, full), v2_entry(kOidSha512, Der(64, 1))})});
    CHECK(a.status == codesign::CmsAgreementStatus::agree);
    REQUIRE(a.signers[0].v2.size() == 2);
    CHECK(a.signers[0].v2[1].match == codesign::CdHashMatch::unknown_algorithm);
    CHECK(a.signers[0].v2[1].algorithm == "sha512");
  }
  SECTION("message digest of other bytes") {
    auto a = agreement({signer_with(Der(32, 0), {cdhash}, {})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    CHECK(a.signers[0].message_digest_ok == false);
  }
  SECTION("a second signer lists another cdhash (CVE-2023-41991 shape, rules C2 b)") {
    auto a = agreement({signer_with(md, {cdhash}, {}), signer_with(md, {other}, {})});
    CHECK(a.status == codesign::CmsAgreementStatus::disagree);
    REQUIRE(a.signers.size() == 2);
    CHECK(a.signers[0].ok());
    CHECK_FALSE(a.signers[1].ok());
    CHECK(a.signers[1].signer == 1);
  }
  SECTION("no hash-agility attributes") {
    auto a = agreement({signer_info(attribute(kOidMessageDigest, {octets(md)}))});
    CHECK(a.status == codesign::CmsAgreementStatus::no_attributes);
    CHECK(a.signers.at(0).message_digest_ok == true);
    CHECK_FALSE(a.signers[0].has_v1);
  }
}

TEST_CASE("cms: names", "[cms]") {
  CHECK(codesign::cms_agreement_status_name(codesign::CmsAgreementStatus::no_attributes) == "no-attributes");
  CHECK(codesign::cms_agreement_status_name(codesign::CmsAgreementStatus::malformed) == "malformed");
  CHECK(codesign::cdhash_match_name(codesign::CdHashMatch::unknown_algorithm) == "unknown-algorithm");
  // Every cms error id is registered in the cms area.
  std::size_t cms_errors = 0;
  for (const auto& info : all_error_infos())
    if (info.id.rfind("cms.", 0) == 0) ++cms_errors;
  CHECK(cms_errors == 21);
}

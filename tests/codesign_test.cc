#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "entsig/codesign.h"
#include "macho_test_support.h"

using namespace entsig;
using namespace entsig_test;
using codesign::SlotStatus;

namespace {

// ---------------------------------------------------------------------------
// Builders for crafted signatures. Hashes inside them are made with entsig's Hasher: these
// cases test structure and binding rules. Agreement with foreign signers is checked on the
// ld64.lld fixtures and on the real-world files (whose CMS carries Apple's own cdhashes).

std::vector<std::uint8_t> blob(std::uint32_t magic, std::string_view payload) {
  Bin b(Endian::big);
  b.u32(magic).u32(static_cast<std::uint32_t>(8 + payload.size())).text(payload);
  return b.data();
}

// A SuperBlob with the blobs tiled after the index, in the order given.
std::vector<std::uint8_t> superblob(const std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>>& blobs) {
  const std::uint32_t index_end = static_cast<std::uint32_t>(12 + 8 * blobs.size());
  std::uint32_t total = index_end;
  for (const auto& [slot, bytes] : blobs) total += static_cast<std::uint32_t>(bytes.size());
  Bin b(Endian::big);
  b.u32(codesign::kMagicEmbeddedSignature).u32(total).u32(static_cast<std::uint32_t>(blobs.size()));
  std::uint32_t at = index_end;
  for (const auto& [slot, bytes] : blobs) {
    b.u32(slot).u32(at);
    at += static_cast<std::uint32_t>(bytes.size());
  }
  for (const auto& entry : blobs) b.append(entry.second);
  return b.data();
}

std::uint32_t header_size(std::uint32_t version) {
  if (version >= 0x20600) return 108;
  if (version >= 0x20500) return 96;
  if (version >= 0x20400) return 88;
  if (version >= 0x20300) return 64;
  if (version >= 0x20200) return 52;
  if (version >= 0x20100) return 48;
  return 44;
}

struct CdSpec {
  std::uint32_t version = codesign::kCdVersionExecSeg;
  std::uint32_t flags = codesign::kFlagAdhoc;
  std::uint8_t hash_type = codesign::kHashSha256;
  std::uint8_t page_log2 = 12;
  std::string identifier = "com.example.fixture";
  std::optional<std::string> team;
  std::uint32_t special_slots = 0;
  std::map<std::uint32_t, std::vector<std::uint8_t>> bound;   // slot -> blob whose hash it holds
  std::map<std::uint32_t, std::uint8_t> filled;               // slot -> hash of this repeated byte
  std::vector<codesign::ScatterEntry> scatter;                // the sentinel is added
  std::optional<std::uint64_t> code_limit64;
  std::optional<std::uint32_t> code_limit32;
  std::uint32_t runtime = 0;
  std::uint32_t spare2 = 0;
  std::uint8_t platform = 0;
};

struct BuiltCd {
  std::vector<std::uint8_t> bytes;
  std::uint32_t hash_offset = 0;
  std::uint32_t ident_offset = 0;
  std::uint32_t team_offset = 0;
  std::uint32_t scatter_offset = 0;
};

codesign::Digest hash_of(std::uint8_t type, Bytes data) { return codesign::compute_digest(type, data); }

BuiltCd build_cd(const CdSpec& spec, Bytes code) {
  const std::size_t hsize = *codesign::hash_size_for_type(spec.hash_type);
  const std::uint64_t page = std::uint64_t{1} << spec.page_log2;
  const std::uint64_t limit = spec.code_limit64.value_or(code.size());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pages;  // [start, end) per code slot
  if (spec.scatter.empty()) {
    for (std::uint64_t start = 0; start < limit; start += page) pages.emplace_back(start, std::min(start + page, limit));
  } else {
    for (const auto& s : spec.scatter)
      for (std::uint32_t j = 0; j < s.count; ++j) {
        const std::uint64_t start = (std::uint64_t{s.base} + j) * page;
        pages.emplace_back(start, std::min(start + page, limit));
      }
  }
  BuiltCd out;
  const std::uint32_t header = header_size(spec.version);
  std::uint32_t pos = header;
  if (!spec.scatter.empty()) {
    out.scatter_offset = pos;
    pos += static_cast<std::uint32_t>(24 * (spec.scatter.size() + 1));
  }
  out.ident_offset = pos;
  pos += static_cast<std::uint32_t>(spec.identifier.size() + 1);
  if (spec.team) {
    out.team_offset = pos;
    pos += static_cast<std::uint32_t>(spec.team->size() + 1);
  }
  out.hash_offset = pos + static_cast<std::uint32_t>(spec.special_slots * hsize);
  std::uint32_t length = out.hash_offset + static_cast<std::uint32_t>(pages.size() * hsize);
  if (length < 112) {  // XNU's minimum: pad before the hashes
    out.hash_offset += 112 - length;
    length = 112;
  }

  Bin b(Endian::big);
  b.u32(codesign::kMagicCodeDirectory).u32(length).u32(spec.version).u32(spec.flags).u32(out.hash_offset);
  b.u32(out.ident_offset).u32(spec.special_slots).u32(static_cast<std::uint32_t>(pages.size()));
  b.u32(spec.code_limit32.value_or(static_cast<std::uint32_t>(spec.code_limit64 ? 0 : limit)));
  b.u8(static_cast<std::uint8_t>(hsize)).u8(spec.hash_type).u8(spec.platform).u8(spec.page_log2).u32(spec.spare2);
  if (spec.version >= 0x20100) b.u32(out.scatter_offset);
  if (spec.version >= 0x20200) b.u32(out.team_offset);
  if (spec.version >= 0x20300) b.u32(0).u64(spec.code_limit64.value_or(0));
  if (spec.version >= 0x20400) b.u64(0).u64(limit).u64(0);
  if (spec.version >= 0x20500) b.u32(spec.runtime).u32(0);
  if (spec.version >= 0x20600) b.u8(0).u8(0).u16(0).u32(0).u32(0);
  REQUIRE(b.size() == header);
  for (const auto& s : spec.scatter) b.u32(s.count).u32(s.base).u64(s.target_offset).u64(0);
  if (!spec.scatter.empty()) b.zeros(24);
  b.text(spec.identifier).u8(0);
  if (spec.team) b.text(*spec.team).u8(0);
  b.pad_to(out.hash_offset - spec.special_slots * hsize);
  for (std::uint32_t n = spec.special_slots; n >= 1; --n) {
    std::vector<std::uint8_t> h(hsize, 0);
    if (auto it = spec.bound.find(n); it != spec.bound.end()) {
      auto d = hash_of(spec.hash_type, view(it->second));
      std::copy_n(d.bytes.begin(), hsize, h.begin());
    } else if (auto f = spec.filled.find(n); f != spec.filled.end()) {
      std::fill(h.begin(), h.end(), f->second);
    }
    b.append(h);
  }
  for (const auto& [start, end] : pages) {
    std::vector<std::uint8_t> h(hsize, 0);
    if (end <= code.size()) {
      auto d = hash_of(spec.hash_type, code.subspan(start, end - start));
      std::copy_n(d.bytes.begin(), hsize, h.begin());
    }
    b.append(h);
  }
  REQUIRE(b.size() == length);
  out.bytes = b.data();
  return out;
}

std::vector<std::uint8_t> sample_code(std::size_t size) {
  std::vector<std::uint8_t> code(size);
  for (std::size_t i = 0; i < size; ++i) code[i] = static_cast<std::uint8_t>((i * 131 + 7) ^ (i >> 9));
  return code;
}

// A valid one-page CodeDirectory for SuperBlobs that need one: XNU refuses a SuperBlob
// without a CodeDirectory (codesign.superblob.no_code_directory).
std::vector<std::uint8_t> one_page_cd() { return build_cd(CdSpec{}, view(sample_code(100))).bytes; }

template <class T>
void check_error(const Result<T>& r, std::string_view id, std::uint64_t offset) {
  INFO("expected " << id << " at " << offset);
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().id() == id);
  CHECK(r.error().offset == offset);
}

std::set<std::string_view> diagnostic_ids(const std::vector<codesign::Diagnostic>& diags) {
  std::set<std::string_view> out;
  for (const auto& d : diags) out.insert(d.id);
  return out;
}

const codesign::Diagnostic* find_diag(const std::vector<codesign::Diagnostic>& diags, std::string_view id) {
  for (const auto& d : diags)
    if (d.id == id) return &d;
  return nullptr;
}

// The cdhashes array a signer put in the CMS signed attributes (hash agility V1 plist), hex.
std::optional<std::vector<std::string>> cms_cdhashes(Bytes cms) {
  const std::string_view text(reinterpret_cast<const char*>(cms.data()), cms.size());
  const std::size_t key = text.find("<key>cdhashes</key>");
  if (key == std::string_view::npos) return std::nullopt;
  const std::size_t end = text.find("</array>", key);
  std::vector<std::string> out;
  for (std::size_t pos = text.find("<data>", key); pos < end; pos = text.find("<data>", pos)) {
    const std::size_t close = text.find("</data>", pos);
    std::string b64;
    for (char c : text.substr(pos + 6, close - pos - 6))
      if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
    auto raw = base64_decode_strict(b64);
    if (!raw) return std::nullopt;
    out.push_back(hex_encode(as_bytes(*raw)));
    pos = close;
  }
  return out;
}

std::string realworld_path(std::string_view name) {
  return (realworld_dir() / "macho" / ("radareorg__radare2-testbins__" + std::string(name))).string();
}

}  // namespace

// ---------------------------------------------------------------------------
// Hashes

TEST_CASE("codesign: hash types, sizes, ranks and known answers", "[codesign]") {
  CHECK(codesign::hash_size_for_type(1) == 20u);
  CHECK(codesign::hash_size_for_type(2) == 32u);
  CHECK(codesign::hash_size_for_type(3) == 20u);
  CHECK(codesign::hash_size_for_type(4) == 48u);
  CHECK_FALSE(codesign::hash_size_for_type(0));
  CHECK_FALSE(codesign::hash_size_for_type(5));
  CHECK(codesign::hash_type_name(3) == "sha256-truncated");
  CHECK(codesign::hash_type_name(9) == "unknown(9)");
  CHECK(codesign::hash_rank(4) > codesign::hash_rank(2));
  CHECK(codesign::hash_rank(2) > codesign::hash_rank(3));
  CHECK(codesign::hash_rank(3) > codesign::hash_rank(1));
  CHECK(codesign::hash_rank(7) == 0);
  // FIPS 180 test vectors for "abc".
  const Bytes abc = as_bytes("abc");
  CHECK(codesign::compute_digest(1, abc).hex() == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(codesign::compute_digest(2, abc).hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(codesign::compute_digest(3, abc).hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(codesign::compute_digest(4, abc).hex() ==
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  CHECK(codesign::compute_digest(9, abc).size == 0);
  codesign::Hasher reused(2);
  REQUIRE(reused.valid());
  CHECK(reused.digest_size() == 32);
  CHECK(reused.digest(abc).hex() == reused.digest(abc).hex());
  CHECK_FALSE(codesign::Hasher(0).valid());
}

// ---------------------------------------------------------------------------
// SuperBlob rules on crafted inputs

TEST_CASE("codesign: SuperBlob kernel rules, exact ids and offsets", "[codesign]") {
  SECTION("too short for a blob header") {
    const std::uint8_t seven[] = {0xfa, 0xde, 0x0c, 0xc0, 0, 0, 0};
    check_error(codesign::parse_signature(Bytes(seven, 7), 1000), "codesign.superblob.truncated", 1007);
    check_error(codesign::parse_signature(Bytes{}), "codesign.superblob.truncated", 0);
  }
  SECTION("magic other than SuperBlob or CodeDirectory, the old embedded magic included") {
    check_error(codesign::parse_signature(view(blob(codesign::kMagicEmbeddedSignatureOld, "xxxx")), 64),
                "codesign.superblob.bad_magic", 64);
    check_error(codesign::parse_signature(view(blob(codesign::kMagicEntitlements, "xxxx"))), "codesign.superblob.bad_magic", 0);
  }
  SECTION("length below 12 and above the buffer") {
    Bin b(Endian::big);
    b.u32(codesign::kMagicEmbeddedSignature).u32(11).u32(0);
    check_error(codesign::parse_signature(view(b.data())), "codesign.superblob.length_too_small", 4);
    put_u32(b.data(), 4, 13, Endian::big);
    check_error(codesign::parse_signature(view(b.data())), "codesign.superblob.length_exceeds_buffer", 4);
    put_u32(b.data(), 4, 12, Endian::big);
    // The bounds hold; cs_validate_csblob then finds no CodeDirectory (EBADEXEC).
    check_error(codesign::parse_signature(view(b.data()), 100), "codesign.superblob.no_code_directory", 108);
  }
  SECTION("a SuperBlob needs a CodeDirectory in slot 0 or 0x1000..0x1004") {
    auto ents = blob(codesign::kMagicEntitlements, "<dict/>");
    check_error(codesign::parse_signature(view(superblob({{5, ents}}))), "codesign.superblob.no_code_directory", 8);
    // 0x1005 is past CSSLOT_ALTERNATE_CODEDIRECTORY_LIMIT: a CD there is not one to XNU.
    check_error(codesign::parse_signature(view(superblob({{5, ents}, {0x1005, one_page_cd()}}))),
                "codesign.superblob.no_code_directory", 8);
    for (std::uint32_t slot : {0u, 0x1000u, 0x1004u}) {
      INFO("slot " << slot);
      auto r = codesign::parse_signature(view(superblob({{5, ents}, {slot, one_page_cd()}})));
      REQUIRE(r.ok());
      CHECK(r->code_directories.size() == 1);
    }
  }
  SECTION("count 0x10000000 is refused from the length, without allocating") {
    Bin b(Endian::big);
    b.u32(codesign::kMagicEmbeddedSignature).u32(28).u32(0x10000000).u32(5).u32(20).u32(0xfade7171).u32(8);
    check_error(codesign::parse_signature(view(b.data())), "codesign.superblob.count_exceeds_length", 8);
    put_u32(b.data(), 8, 3, Endian::big);  // (28 - 12) / 8 = 2
    check_error(codesign::parse_signature(view(b.data())), "codesign.superblob.count_exceeds_length", 8);
    put_u32(b.data(), 8, 2, Endian::big);  // fits; the second entry is all zeros
    CHECK(codesign::parse_signature(view(b.data())).error().id() != "codesign.superblob.count_exceeds_length");
  }
  SECTION("go-macho PR #80 input: entitlements blob of length 0") {
    Bin b(Endian::big);
    b.u32(0xfade0cc0).u32(0x1c).u32(1).u32(5).u32(0x14).u32(0xfade7171).u32(0);
    REQUIRE(b.size() == 28);
    check_error(codesign::parse_signature(view(b.data())), "codesign.blob.length_too_small", 24);
    put_u32(b.data(), 24, 7, Endian::big);
    check_error(codesign::parse_signature(view(b.data())), "codesign.blob.length_too_small", 24);
    put_u32(b.data(), 24, 8, Endian::big);  // the blob is now sound; the signature still has no CD
    check_error(codesign::parse_signature(view(b.data())), "codesign.superblob.no_code_directory", 8);
    auto ok = codesign::parse_signature(view(superblob({{5, blob(codesign::kMagicEntitlements, "")}, {0, one_page_cd()}})));
    REQUIRE(ok.ok());
    REQUIRE(ok->entitlements_xml());
    CHECK(ok->entitlements_xml()->empty());
  }
  SECTION("blob offset and length inside the SuperBlob") {
    auto sig = superblob({{0x20000, blob(0x12345678, "abcd")}});  // index ends at 20, blob 20..32
    put_u32(sig, 16, 25, Endian::big);  // 25 + 8 > 32
    check_error(codesign::parse_signature(view(sig), 100), "codesign.blob.offset_out_of_range", 116);
    put_u32(sig, 16, 0xfffffffc, Endian::big);
    check_error(codesign::parse_signature(view(sig), 100), "codesign.blob.offset_out_of_range", 116);
    put_u32(sig, 16, 20, Endian::big);
    put_u32(sig, 24, 13, Endian::big);  // blob length 13 from 20 > 32
    check_error(codesign::parse_signature(view(sig), 100), "codesign.blob.length_exceeds_superblob", 124);
  }
  SECTION("required magic per slot") {
    struct Case {
      std::uint32_t slot;
      std::uint32_t magic;
    };
    for (const Case c : {Case{5, codesign::kMagicDerEntitlements}, Case{7, codesign::kMagicEntitlements},
                         Case{8, codesign::kMagicRequirements}, Case{11, 0xfade8182}, Case{2, codesign::kMagicEntitlements},
                         Case{0, codesign::kMagicRequirements}, Case{0x1003, codesign::kMagicEntitlements},
                         Case{0x10000, codesign::kMagicCodeDirectory}}) {
      INFO("slot " << c.slot);
      auto sig = superblob({{c.slot, blob(c.magic, "payload!")}});
      check_error(codesign::parse_signature(view(sig), 0), "codesign.blob.wrong_magic", 20);
    }
  }
  SECTION("one blob per slot") {
    auto sig = superblob({{0x20000, blob(1, "a")}, {0x20000, blob(2, "b")}});
    check_error(codesign::parse_signature(view(sig)), "codesign.superblob.duplicate_slot", 20);
    sig = superblob({{5, blob(codesign::kMagicEntitlements, "a")}, {7, blob(codesign::kMagicDerEntitlements, "b")},
                     {5, blob(codesign::kMagicEntitlements, "c")}});
    check_error(codesign::parse_signature(view(sig)), "codesign.superblob.duplicate_slot", 28);
  }
  SECTION("signature size limit (CS_MAX_BLOB_SIZE) at limit-1, limit, limit+1") {
    auto sig = superblob({{0x20000, blob(1, "abcd")}, {0, one_page_cd()}});
    codesign::SignatureOptions options;
    options.max_signature_bytes = sig.size();
    CHECK(codesign::parse_signature(view(sig), 0, {}, options).ok());
    options.max_signature_bytes = sig.size() + 1;
    CHECK(codesign::parse_signature(view(sig), 0, {}, options).ok());
    options.max_signature_bytes = sig.size() - 1;
    auto r = codesign::parse_signature(view(sig), 0, {}, options);
    check_error(r, "codesign.signature.too_large", 0);
    CHECK(r.error().kind() == ErrorKind::limit);
    CHECK(codesign::SignatureOptions::default_max_signature_bytes == 40u * 1024 * 1024);
  }
}

TEST_CASE("codesign: Security's layout rules are diagnostics, unknown blobs are kept", "[codesign]") {
  // Index ends at 44; blobs at 44, 56, 68, and the CodeDirectory at 80.
  auto sig = superblob({{0x20000, blob(0x11111111, "aaaa")}, {0x20001, blob(0x22222222, "bbbb")},
                        {0x30000, blob(0x33333333, "cccc")}, {0, one_page_cd()}});
  SECTION("well-formed: no layout diagnostics, names for unknown values") {
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    REQUIRE(r->blobs.size() == 4);
    CHECK(codesign::slot_name(r->blobs[0].slot) == "unknown(0x20000)");
    CHECK(codesign::magic_name(r->blobs[1].magic) == "unknown(0x22222222)");
    CHECK(r->blobs[2].file_offset == 68);
    CHECK(r->blobs[2].index_offset == 28);
    CHECK(std::string(r->blobs[2].payload().begin(), r->blobs[2].payload().end()) == "cccc");
    CHECK(r->diagnostics.empty());
  }
  SECTION("unsorted offsets") {
    put_u32(sig, 16, 56, Endian::big);
    put_u32(sig, 24, 44, Endian::big);
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    const auto* d = find_diag(r->diagnostics, codesign::diag::kIndexUnsorted);
    REQUIRE(d);
    CHECK(d->offset == 24);
    CHECK_FALSE(r->has_diagnostic(codesign::diag::kBlobsOverlap));
  }
  SECTION("overlapping blobs") {
    put_u32(sig, 24, 44, Endian::big);  // second entry points at the first blob's bytes
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    const auto* d = find_diag(r->diagnostics, codesign::diag::kBlobsOverlap);
    REQUIRE(d);
    CHECK(d->offset == 24);
  }
  SECTION("blob inside the index, and a null entry") {
    put_u32(sig, 16, 20, Endian::big);  // blob header read from the second index entry {0x20001, 56}
    put_u32(sig, 32, 0, Endian::big);   // offset 0: XNU reads the SuperBlob header there
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    CHECK(r->blobs[0].magic == 0x20001);
    CHECK(r->blobs[0].length == 56);
    const auto* inside = find_diag(r->diagnostics, codesign::diag::kBlobOverlapsIndex);
    REQUIRE(inside);
    CHECK(inside->offset == 16);
    const auto* null_entry = find_diag(r->diagnostics, codesign::diag::kNullIndexEntry);
    REQUIRE(null_entry);
    CHECK(null_entry->offset == 28);
    CHECK(r->blobs[2].magic == codesign::kMagicEmbeddedSignature);  // kept, as XNU reads it
  }
  SECTION("gap before the end") {
    Bin padded(Endian::big);
    padded.append(sig).zeros(8);
    put_u32(padded.data(), 4, static_cast<std::uint32_t>(sig.size() + 8), Endian::big);
    auto r = codesign::parse_signature(view(padded.data()));
    REQUIRE(r.ok());
    CHECK(r->has_diagnostic(codesign::diag::kBlobsNotTiled));
  }
}

// ---------------------------------------------------------------------------
// CodeDirectory rules on crafted inputs

TEST_CASE("codesign: CodeDirectory fields through every version", "[codesign]") {
  const auto code = sample_code(10000);
  for (std::uint32_t version : {0x20001u, 0x20100u, 0x20200u, 0x20300u, 0x20400u, 0x20500u, 0x20600u}) {
    INFO(codesign::format_hex(version));
    CdSpec spec;
    spec.version = version;
    spec.team = "TEAM123456";
    spec.runtime = 0x000c0000;
    const auto built = build_cd(spec, view(code));
    std::vector<codesign::Diagnostic> diags;
    auto r = codesign::parse_code_directory(view(built.bytes), 500, codesign::kSlotCodeDirectory, &diags);
    REQUIRE(r.ok());
    CHECK(r->version == version);
    CHECK(r->identifier == "com.example.fixture");
    CHECK(r->identifier_offset == built.ident_offset);
    CHECK(r->team_id.has_value() == (version >= 0x20200));
    if (version >= 0x20200) CHECK(*r->team_id == "TEAM123456");
    CHECK(r->code_slot_count == 3);
    CHECK(r->code_limit() == 10000);
    CHECK(r->page_size() == 4096);
    CHECK(r->hash_size == 32);
    CHECK(r->file_offset == 500);
    CHECK(r->exec_seg_limit == (version >= 0x20400 ? 10000u : 0u));
    CHECK(r->runtime == (version >= 0x20500 ? 0x000c0000u : 0u));
    CHECK(r->code_slot_hash(2).size() == 32);
    CHECK(r->code_slot_hash(3).empty());
    CHECK(r->special_slot_hash(1).empty());
    CHECK(diags.empty());
    auto check = codesign::check_code_directory(*r, codesign::Signature{}, view(code));
    CHECK(check.ok());
    CHECK(check.pages_checked == 3);
  }
}

TEST_CASE("codesign: CodeDirectory rejections, exact ids and offsets", "[codesign]") {
  const auto code = sample_code(10000);
  const auto base = build_cd(CdSpec{}, view(code)).bytes;  // version 0x20400, SHA-256
  const std::uint64_t at = 1000;                            // where the blob sits in the input
  auto parse = [&](const std::vector<std::uint8_t>& bytes) {
    return codesign::parse_code_directory(view(bytes), at, 0);
  };
  auto with_u32 = [&](std::size_t field, std::uint32_t value) {
    auto copy = base;
    put_u32(copy, field, value, Endian::big);
    return copy;
  };
  auto with_u8 = [&](std::size_t field, std::uint8_t value) {
    auto copy = base;
    copy.at(field) = value;
    return copy;
  };
  REQUIRE(parse(base).ok());

  check_error(parse(with_u32(4, 111)), "codesign.cd.too_short", at + 4);
  check_error(parse(with_u32(4, static_cast<std::uint32_t>(base.size() + 1))), "codesign.superblob.length_exceeds_buffer", at + 4);
  check_error(parse(with_u32(0, codesign::kMagicRequirements)), "codesign.blob.wrong_magic", at);
  check_error(parse(with_u32(8, 0x20000)), "codesign.cd.version_too_old", at + 8);
  check_error(parse(with_u32(8, 0x2f000)), "codesign.cd.version_unsupported", at + 8);
  check_error(parse(with_u8(37, 0)), "codesign.cd.unknown_hash_type", at + 37);
  check_error(parse(with_u8(37, 5)), "codesign.cd.unknown_hash_type", at + 37);
  check_error(parse(with_u8(36, 0)), "codesign.cd.hash_size_mismatch", at + 36);
  check_error(parse(with_u8(37, codesign::kHashSha1)), "codesign.cd.hash_size_mismatch", at + 36);
  check_error(parse(with_u8(39, 0)), "codesign.cd.page_size_zero", at + 39);
  check_error(parse(with_u8(39, 32)), "codesign.cd.page_size_too_large", at + 39);
  check_error(parse(with_u8(39, 255)), "codesign.cd.page_size_too_large", at + 39);
  check_error(parse(with_u8(39, 13)), "codesign.cd.page_size_unsupported", at + 39);
  check_error(parse(with_u32(16, static_cast<std::uint32_t>(base.size() + 1))), "codesign.cd.hash_offset_out_of_range", at + 16);
  check_error(parse(with_u32(16, 0xffff0000)), "codesign.cd.hash_offset_out_of_range", at + 16);
  check_error(parse(with_u32(24, 0x7fffffff)), "codesign.cd.special_slots_out_of_range", at + 24);
  check_error(parse(with_u32(24, 4)), "codesign.cd.special_slots_out_of_range", at + 24);  // 4 * 32 > hashOffset - 8
  check_error(parse(with_u32(28, 0xffffffff)), "codesign.cd.code_slots_out_of_range", at + 28);
  check_error(parse(with_u32(28, 2)), "codesign.cd.code_slot_count_mismatch", at + 28);
  check_error(parse(with_u32(32, 0)), "codesign.cd.code_slot_count_mismatch", at + 28);
  check_error(parse(with_u32(32, 8192)), "codesign.cd.code_slot_count_mismatch", at + 28);
  check_error(parse(with_u32(20, 0)), "codesign.cd.identifier_offset_zero", at + 20);
  check_error(parse(with_u32(20, 40)), "codesign.cd.identifier_in_header", at + 20);
  check_error(parse(with_u32(20, static_cast<std::uint32_t>(base.size()))), "codesign.cd.identifier_out_of_range", at + 20);
  {
    auto copy = with_u32(20, static_cast<std::uint32_t>(base.size() - 1));
    copy.back() = 'A';
    check_error(parse(copy), "codesign.cd.identifier_unterminated", at + base.size() - 1);
  }
  // Truncated: fewer bytes than the header.
  check_error(codesign::parse_code_directory(Bytes(base.data(), 6), at, 0), "codesign.cd.too_short", at + 6);
}

TEST_CASE("codesign: pageSize is 12 or 14, as XNU cs_validate_codedirectory accepts", "[codesign]") {
  const auto code = sample_code(3 * 16384 + 5);
  for (std::uint8_t shift : {std::uint8_t{12}, std::uint8_t{14}}) {
    INFO("pageSize " << int(shift));
    CdSpec spec;
    spec.page_log2 = shift;
    const auto built = build_cd(spec, view(code));
    auto r = codesign::parse_code_directory(view(built.bytes), 0, 0);
    REQUIRE(r.ok());
    CHECK(r->page_size() == (std::uint64_t{1} << shift));
  }
  // Every other shift, each side of both accepted values included; the id is decided before
  // nCodeSlots is compared with the page count.
  const auto base = build_cd(CdSpec{}, view(code)).bytes;
  for (int shift = 0; shift < 256; ++shift) {
    if (shift == 12 || shift == 14) continue;
    INFO("pageSize " << shift);
    auto copy = base;
    copy[39] = static_cast<std::uint8_t>(shift);
    const std::string_view id = shift == 0    ? "codesign.cd.page_size_zero"
                                : shift >= 32 ? "codesign.cd.page_size_too_large"
                                              : "codesign.cd.page_size_unsupported";
    check_error(codesign::parse_code_directory(view(copy), 2000, 0), id, 2039);
  }
}

TEST_CASE("codesign: the covered code range is not empty (XNU ubc_cs_blob_add)", "[codesign]") {
  const auto code = sample_code(5 * 4096);
  SECTION("codeLimit 0 with codeLimit64 set: XNU pages with the 32-bit limit") {
    CdSpec spec;
    spec.code_limit64 = code.size();
    spec.code_limit32 = 0;
    auto built = build_cd(spec, view(code));
    check_error(codesign::parse_code_directory(view(built.bytes), 300, 0), "codesign.cd.code_range_empty", 332);
    put_u32(built.bytes, 32, 1, Endian::big);  // one byte: rounds up to one page
    CHECK(codesign::parse_code_directory(view(built.bytes), 300, 0).ok());
  }
  SECTION("codeLimit rounded up must pass the first scatter page") {
    CdSpec spec;
    spec.scatter = {{1, 2, 0, 0}};  // page 2 only: the range starts at 8192
    spec.code_limit32 = 8193;       // rounds up to 12288
    auto built = build_cd(spec, view(code));
    REQUIRE(codesign::parse_code_directory(view(built.bytes), 0, 0).ok());
    put_u32(built.bytes, 32, 8192, Endian::big);  // rounds to 8192: [8192, 8192) is empty
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.code_range_empty",
                built.scatter_offset + 4);
    put_u32(built.bytes, 32, 0, Endian::big);
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.code_range_empty", 32);
  }
}

TEST_CASE("codesign: team ID, scatter, pre-encrypt and linkage bounds", "[codesign]") {
  const auto code = sample_code(5 * 4096);
  SECTION("team ID") {
    CdSpec spec;
    spec.team = "ABCDE12345";
    auto built = build_cd(spec, view(code));
    put_u32(built.bytes, 48, 20, Endian::big);
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.team_id_in_header", 48);
    put_u32(built.bytes, 48, static_cast<std::uint32_t>(built.bytes.size()), Endian::big);
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.team_id_out_of_range", 48);
    put_u32(built.bytes, 48, static_cast<std::uint32_t>(built.bytes.size() - 1), Endian::big);
    built.bytes.back() = 'Z';
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.team_id_unterminated",
                built.bytes.size() - 1);
  }
  SECTION("scatter vector") {
    CdSpec spec;
    spec.version = 0x20100;
    spec.scatter = {{2, 0, 0, 0}, {1, 3, 0x4000, 0}};  // pages 0, 1 and 3
    auto built = build_cd(spec, view(code));
    auto r = codesign::parse_code_directory(view(built.bytes), 0, 0);
    REQUIRE(r.ok());
    REQUIRE(r->scatter.size() == 2);
    CHECK(r->scatter[1].base == 3);
    CHECK(r->scatter[1].target_offset == 0x4000);
    auto check = codesign::check_code_directory(*r, codesign::Signature{}, view(code));
    CHECK(check.ok());
    CHECK(check.pages_checked == 3);
    auto damaged = code;
    damaged[3 * 4096 + 1] ^= 1;  // page 3 is hash slot 2
    damaged[2 * 4096 + 1] ^= 1;  // page 2 is not covered
    check = codesign::check_code_directory(*r, codesign::Signature{}, view(damaged));
    CHECK(check.bad_pages == std::vector<std::uint32_t>{2});

    const std::size_t first = built.scatter_offset;
    auto bytes = built.bytes;
    put_u32(bytes, first + 24 + 4, 0, Endian::big);  // second base 0 after 0
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_not_increasing", first + 24 + 4);
    bytes = built.bytes;
    put_u32(bytes, first + 24 + 4, 1, Endian::big);  // second base 1 is inside pages 0..1
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_overlap", first + 24 + 4);
    put_u32(bytes, first + 24 + 4, 2, Endian::big);  // adjacent: fine
    CHECK(codesign::parse_code_directory(view(bytes), 0, 0).ok());
    bytes = built.bytes;
    put_u32(bytes, first + 24, 0xffffffff, Endian::big);  // 2 + 0xffffffff wraps
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_page_overflow", first + 24);
    bytes = built.bytes;
    put_u32(bytes, first + 24, 4, Endian::big);  // 6 pages > 3 code slots
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_exceeds_code_slots", 44);
    bytes = built.bytes;
    put_u32(bytes, 44, static_cast<std::uint32_t>(bytes.size() + 4), Endian::big);
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_out_of_range", 44);
    bytes = built.bytes;
    put_u32(bytes, 44, static_cast<std::uint32_t>(bytes.size() - 30), Endian::big);  // entry fits, sentinel does not
    put_u32(bytes, bytes.size() - 30, 1, Endian::big);                               // a 1-page entry there
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.scatter_out_of_range", bytes.size() - 6);
  }
  SECTION("pre-encrypt hashes") {
    CdSpec spec;
    spec.version = 0x20500;
    auto built = build_cd(spec, view(code));
    put_u32(built.bytes, 92, static_cast<std::uint32_t>(built.bytes.size() - 5 * 32 + 1), Endian::big);
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.pre_encrypt_out_of_range", 92);
    put_u32(built.bytes, 92, built.hash_offset, Endian::big);  // the code hashes themselves: in range
    CHECK(codesign::parse_code_directory(view(built.bytes), 0, 0).ok());
  }
  SECTION("linkage") {
    CdSpec spec;
    spec.version = 0x20600;
    auto built = build_cd(spec, view(code));
    built.bytes[96] = codesign::kHashSha256;
    put_u32(built.bytes, 100, 200, Endian::big);
    put_u32(built.bytes, 104, 0xffffff80, Endian::big);  // wraps
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.linkage_out_of_range", 100);
    put_u32(built.bytes, 104, static_cast<std::uint32_t>(built.bytes.size() - 199), Endian::big);
    check_error(codesign::parse_code_directory(view(built.bytes), 0, 0), "codesign.cd.linkage_out_of_range", 100);
    put_u32(built.bytes, 104, static_cast<std::uint32_t>(built.bytes.size() - 200), Endian::big);
    CHECK(codesign::parse_code_directory(view(built.bytes), 0, 0).ok());
  }
}

TEST_CASE("codesign: CodeDirectory diagnostics", "[codesign]") {
  const auto code = sample_code(3 * 16384 + 5);
  auto diags_of = [&](const CdSpec& spec, std::vector<std::uint8_t>* bytes_out = nullptr) {
    auto built = build_cd(spec, view(code));
    std::vector<codesign::Diagnostic> diags;
    auto r = codesign::parse_code_directory(view(built.bytes), 0, 0, &diags);
    REQUIRE(r.ok());
    if (bytes_out) *bytes_out = built.bytes;
    return diagnostic_ids(diags);
  };
  CdSpec spec;
  spec.page_log2 = 14;
  CHECK(diags_of(spec).empty());
  spec = CdSpec{};
  spec.version = 0x20700;
  CHECK(diags_of(spec) == std::set<std::string_view>{codesign::diag::kVersionNewer});
  spec = CdSpec{};
  spec.spare2 = 1;
  CHECK(diags_of(spec) == std::set<std::string_view>{codesign::diag::kSpareNonzero});
  spec = CdSpec{};
  spec.flags = codesign::kFlagGetTaskAllow | codesign::kFlagRuntime;
  CHECK(diags_of(spec) == std::set<std::string_view>{codesign::diag::kFlagsIgnoredByKernel});
  spec = CdSpec{};
  spec.identifier = "bad\xff\xfe";
  CHECK(diags_of(spec) == std::set<std::string_view>{codesign::diag::kIdentifierNotUtf8});
  spec = CdSpec{};
  spec.code_limit64 = code.size();
  spec.code_limit32 = 16384;  // nonzero: XNU pages with it (a zero one is code_range_empty)
  CHECK(diags_of(spec) == std::set<std::string_view>{codesign::diag::kCodeLimit64});
  {
    // codeLimit64 (Security's signingLimit) is what pages are checked against.
    auto built = build_cd(spec, view(code));
    auto r = codesign::parse_code_directory(view(built.bytes), 0, 0);
    REQUIRE(r.ok());
    CHECK(r->code_limit32 == 16384);
    CHECK(r->code_limit() == code.size());
    CHECK(codesign::check_code_directory(*r, codesign::Signature{}, view(code)).ok());
  }
  {
    // Special hashes that start inside the header: XNU allows it, Security needs >= 8.
    spec = CdSpec{};
    std::vector<std::uint8_t> bytes;
    diags_of(spec, &bytes);
    const std::uint32_t hash_offset = Cursor(view(bytes)).u32_at(16, Endian::big).value();
    const std::uint32_t special = (hash_offset - 8) / 32;  // first hash within 8..39
    put_u32(bytes, 24, special, Endian::big);
    std::vector<codesign::Diagnostic> diags;
    REQUIRE(codesign::parse_code_directory(view(bytes), 0, 0, &diags).ok());
    CHECK(diagnostic_ids(diags) == std::set<std::string_view>{codesign::diag::kSpecialSlotsOverlapHeader});
    put_u32(bytes, 24, special + 1, Endian::big);
    check_error(codesign::parse_code_directory(view(bytes), 0, 0), "codesign.cd.special_slots_out_of_range", 24);
  }
}

TEST_CASE("codesign: bare CodeDirectory and cdhash truncation", "[codesign]") {
  const auto code = sample_code(9000);
  for (std::uint8_t type : {codesign::kHashSha1, codesign::kHashSha256, codesign::kHashSha256Truncated, codesign::kHashSha384}) {
    INFO(codesign::hash_type_name(type));
    CdSpec spec;
    spec.hash_type = type;
    const auto built = build_cd(spec, view(code));
    auto r = codesign::parse_signature(view(built.bytes), 64);
    REQUIRE(r.ok());
    CHECK(r->is_bare_code_directory());
    CHECK(r->blobs.empty());
    REQUIRE(r->code_directories.size() == 1);
    const auto& cd = r->code_directories[0];
    CHECK(cd.file_offset == 64);
    CHECK(cd.cdhash_full.size == (type == codesign::kHashSha1 ? 20u : type == codesign::kHashSha384 ? 48u : 32u));
    CHECK(cd.cdhash_full.hex() == codesign::compute_digest(type, view(built.bytes)).hex());
    CHECK(cd.cdhash_hex() == cd.cdhash_full.hex().substr(0, 40));
    CHECK(codesign::check_code_directory(cd, *r, view(code)).ok());
    auto damaged = code;
    damaged.back() ^= 0x80;  // the partial last page
    CHECK(codesign::check_code_directory(cd, *r, view(damaged)).bad_pages == std::vector<std::uint32_t>{2});
  }
}

TEST_CASE("codesign: CodeDirectory sets, ranking and CVE-2023-41991 shapes", "[codesign]") {
  const auto code = sample_code(8192);
  auto cd_of = [&](std::uint8_t type, std::string team = "TEAMAAAAAA", std::uint32_t flags = 0) {
    CdSpec spec;
    spec.hash_type = type;
    spec.team = team;
    spec.flags = flags;
    return build_cd(spec, view(code)).bytes;
  };
  SECTION("best CodeDirectory by XNU rank") {
    auto sig = superblob({{0, cd_of(codesign::kHashSha1)}, {0x1000, cd_of(codesign::kHashSha384)},
                          {0x1001, cd_of(codesign::kHashSha256)}, {0x1002, cd_of(codesign::kHashSha256Truncated)}});
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    REQUIRE(r->code_directories.size() == 4);
    CHECK(r->primary_code_directory()->hash_type == codesign::kHashSha1);
    CHECK(r->best_code_directory()->slot == 0x1000);
    CHECK(r->diagnostics.empty());
    CHECK(codesign::slot_name(0x1002) == "alternate-code-directory-2");
  }
  SECTION("two CodeDirectories with one hash type") {
    auto sig = superblob({{0, cd_of(codesign::kHashSha256)}, {0x1000, cd_of(codesign::kHashSha1)},
                          {0x1001, cd_of(codesign::kHashSha1)}});
    const std::uint64_t third = 12 + 3 * 8 + cd_of(codesign::kHashSha256).size() + cd_of(codesign::kHashSha1).size();
    check_error(codesign::parse_signature(view(sig)), "codesign.superblob.duplicate_hash_type", third + 37);
  }
  SECTION("gap in alternates, missing slot 0") {
    auto sig = superblob({{0, cd_of(codesign::kHashSha1)}, {0x1001, cd_of(codesign::kHashSha256)}});
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    CHECK(r->has_diagnostic(codesign::diag::kAlternateGap));
    CHECK(r->best_code_directory()->slot == 0x1001);  // XNU ranks it anyway
    sig = superblob({{0x1000, cd_of(codesign::kHashSha256)}});
    r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    CHECK(r->has_diagnostic(codesign::diag::kNoPrimaryCodeDirectory));
    CHECK(r->primary_code_directory() == nullptr);
  }
  SECTION("team ID and flags differ between CDs (C2 d)") {
    auto sig = superblob({{0, cd_of(codesign::kHashSha1, "APPSTORE01")}, {0x1000, cd_of(codesign::kHashSha256, "ATTACKER01", 0x2)}});
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    CHECK(diagnostic_ids(r->diagnostics) ==
          std::set<std::string_view>{codesign::diag::kTeamIdMismatch, codesign::diag::kFlagsMismatch});
  }
  SECTION("a CodeDirectory outside the CD slots is kept but ignored") {
    auto sig = superblob({{0, cd_of(codesign::kHashSha256)}, {0x1005, cd_of(codesign::kHashSha1)}});
    auto r = codesign::parse_signature(view(sig));
    REQUIRE(r.ok());
    CHECK(r->code_directories.size() == 1);
    REQUIRE(r->find_blob(0x1005));
    CHECK(codesign::slot_name(0x1005) == "unknown(0x1005)");
    const auto* d = find_diag(r->diagnostics, codesign::diag::kCodeDirectoryOutsideCdSlots);
    REQUIRE(d);
    CHECK(d->offset == r->find_blob(0x1005)->file_offset);
  }
  SECTION("an invalid CD in any CD slot rejects the signature") {
    auto bad = cd_of(codesign::kHashSha1);
    bad.at(39) = 0;  // page size 0
    auto sig = superblob({{0, cd_of(codesign::kHashSha256)}, {0x1000, bad}});
    auto r = codesign::parse_signature(view(sig));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id() == "codesign.cd.page_size_zero");
    CHECK(r.error().offset == 12 + 16 + cd_of(codesign::kHashSha256).size() + 39);
  }
}

TEST_CASE("codesign: special slot binding", "[codesign]") {
  const auto code = sample_code(6000);
  const auto requirements = blob(codesign::kMagicRequirements, std::string("\0\0\0\0", 4));
  const auto entitlements = blob(codesign::kMagicEntitlements, "<?xml version=\"1.0\"?><plist><dict/></plist>");
  const auto der = blob(codesign::kMagicDerEntitlements, std::string("\x70\x05\x02\x01\x01\xb0\x00", 7));
  CdSpec spec;
  spec.special_slots = 7;
  spec.bound = {{2, requirements}, {5, entitlements}, {7, der}};
  spec.filled = {{1, 0x11}, {3, 0x33}};  // Info.plist and resources: bundle files
  auto make = [&](const CdSpec& s, std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> extra) {
    std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> blobs = {{0, build_cd(s, view(code)).bytes}};
    for (auto& e : extra) blobs.push_back(std::move(e));
    return superblob(blobs);
  };
  auto check_of = [&](const std::vector<std::uint8_t>& sig_bytes) {
    auto sig = codesign::parse_signature(view(sig_bytes));
    REQUIRE(sig.ok());
    return codesign::check_code_directory(sig->code_directories.at(0), *sig, view(code));
  };
  auto status = [](const codesign::CodeDirectoryCheck& c, std::uint32_t slot) {
    for (const auto& s : c.special_slots)
      if (s.slot == slot) return s.status;
    FAIL("no slot " << slot);
    return SlotStatus::mismatch;
  };

  SECTION("all bound, bundle slots not checked") {
    auto c = check_of(make(spec, {{2, requirements}, {5, entitlements}, {7, der}}));
    CHECK(c.ok());
    CHECK(c.special_slots.size() == 11);
    CHECK(status(c, 1) == SlotStatus::not_checked);
    CHECK(status(c, 2) == SlotStatus::ok);
    CHECK(status(c, 3) == SlotStatus::not_checked);
    CHECK(status(c, 4) == SlotStatus::absent);
    CHECK(status(c, 5) == SlotStatus::ok);
    CHECK(status(c, 7) == SlotStatus::ok);
    CHECK(status(c, 8) == SlotStatus::absent);
    CHECK(c.special_slots[4].expected_hex == c.special_slots[4].actual_hex);
    CHECK(codesign::slot_status_name(SlotStatus::not_checked) == "not-checked");
  }
  SECTION("entitlements changed after signing") {
    auto changed = entitlements;
    changed[20] ^= 1;
    auto c = check_of(make(spec, {{2, requirements}, {5, changed}, {7, der}}));
    CHECK(c.code_pages_ok);
    CHECK_FALSE(c.special_slots_ok);
    CHECK(c.bad_special_slots == std::vector<std::uint32_t>{5});
    CHECK(status(c, 5) == SlotStatus::mismatch);
  }
  SECTION("bound blob missing, unbound blobs present") {
    auto c = check_of(make(spec, {{2, requirements}, {5, entitlements}, {6, blob(0x12345678, "rep")},
                                  {8, blob(codesign::kMagicLaunchConstraint, "lc")}}));
    CHECK(c.bad_special_slots == std::vector<std::uint32_t>{6, 7, 8});
    CHECK(status(c, 6) == SlotStatus::unbound_blob);  // zero hash
    CHECK(status(c, 7) == SlotStatus::missing_blob);
    CHECK(status(c, 8) == SlotStatus::unbound_blob);  // past nSpecialSlots
  }
  SECTION("nonzero hash of a slot nobody knows") {
    CdSpec wide = spec;
    wide.special_slots = 13;
    wide.filled[13] = 0x5a;
    auto c = check_of(make(wide, {{2, requirements}, {5, entitlements}, {7, der}}));
    CHECK(c.ok());
    CHECK(c.special_slots.size() == 12);  // 1..11 plus 13
    CHECK(c.special_slots.back().slot == 13);
    CHECK(c.special_slots.back().status == SlotStatus::unknown_slot);
  }
  SECTION("payload views") {
    const auto bytes = make(spec, {{2, requirements}, {5, entitlements}, {7, der}});  // outlives the views
    auto sig = codesign::parse_signature(view(bytes));
    REQUIRE(sig.ok());
    REQUIRE(sig->entitlements_xml());
    CHECK(std::string(sig->entitlements_xml()->begin(), sig->entitlements_xml()->end()).rfind("<?xml", 0) == 0);
    REQUIRE(sig->entitlements_der());
    CHECK(sig->entitlements_der()->size() == 7);
    CHECK(sig->entitlements_der()->front() == 0x70);
    CHECK(sig->requirements() != nullptr);
    CHECK_FALSE(sig->cms_payload());
  }
}

TEST_CASE("codesign: names", "[codesign]") {
  CHECK(codesign::format_flags(0x20002) == "0x20002(adhoc,linker-signed)");
  CHECK(codesign::format_flags(0) == "0x0(none)");
  CHECK(codesign::format_flags(0x10000) == "0x10000(runtime)");
  CHECK(codesign::flag_names(0x80000000 | codesign::kFlagHard) == std::vector<std::string>{"hard", "unknown(0x80000000)"});
  CHECK(codesign::exec_seg_flag_names(0x41) == std::vector<std::string>{"main-binary", "jit"});
  CHECK(codesign::format_runtime_version(0x000c0000) == "12.0.0");
  CHECK(codesign::slot_name(5) == "entitlements");
  CHECK(codesign::slot_name(0x10000) == "cms-signature");
  CHECK(codesign::magic_name(0xfade8181) == "launch-constraint");
  CHECK(codesign::slice_status_name(codesign::SliceStatus::unsigned_) == "unsigned");
  std::set<std::string_view> ids;
  for (auto id : codesign::all_diagnostic_ids()) {
    CHECK(id.rfind("codesign.diag.", 0) == 0);
    ids.insert(id);
  }
  CHECK(ids.size() == codesign::all_diagnostic_ids().size());
  CHECK(ids.count(codesign::diag::kExecSegMismatch) == 1);
}

// ---------------------------------------------------------------------------
// Fixtures signed by ld64.lld

TEST_CASE("codesign: fixtures, ld64.lld ad-hoc signatures read and verify", "[codesign][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  std::set<std::string> cdhashes;
  for (const char* name : {"exe_arm64", "exe_x86_64", "libfixture.dylib", "fixture.bundle"}) {
    INFO(name);
    const auto data = read_file(fixtures_dir() / name);
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    const auto& slice = file->slices.at(0);
    auto sig = codesign::parse_signature(slice);
    REQUIRE(sig.ok());
    CHECK(sig->magic == codesign::kMagicEmbeddedSignature);
    CHECK(sig->file_offset == slice.code_signature->dataoff);
    REQUIRE(sig->blobs.size() == 1);  // lld writes the CodeDirectory only
    CHECK(sig->blobs[0].slot == codesign::kSlotCodeDirectory);
    REQUIRE(sig->code_directories.size() == 1);
    const auto& cd = sig->code_directories[0];
    CHECK(cd.version == codesign::kCdVersionExecSeg);
    CHECK(cd.flags == (codesign::kFlagAdhoc | codesign::kFlagLinkerSigned));
    CHECK(cd.hash_type == codesign::kHashSha256);
    CHECK(cd.hash_size == 32);
    CHECK(cd.page_size_log2 == 12);
    CHECK(cd.identifier == name);  // lld uses the output file name
    CHECK_FALSE(cd.team_id);
    CHECK(cd.special_slot_count == 0);
    CHECK(cd.code_limit() == slice.code_signature->dataoff);
    CHECK(cd.code_slot_count == (slice.code_signature->dataoff + 4095) / 4096);
    CHECK(cd.code_slot_count >= 5);  // the 16 KiB table spans several pages
    CHECK(cd.exec_seg_base == slice.text_segment()->fileoff);
    CHECK(cd.exec_seg_limit == slice.text_segment()->filesize);
    CHECK(cd.exec_seg_flags == (slice.file_type == macho::kFileTypeExecute ? codesign::kExecSegMainBinary : 0u));
    CHECK(cd.cdhash_hex().size() == 40);
    cdhashes.insert(cd.cdhash_hex());

    auto v = codesign::verify_slice(slice);
    CHECK(v.status == codesign::SliceStatus::valid);
    CHECK_FALSE(v.error);
    CHECK(v.chosen_slot == 0u);
    CHECK(v.cdhash == cd.cdhash_hex());
    CHECK(v.hash_type == "sha256");
    CHECK(v.code_pages_ok);
    CHECK(v.special_slots_ok);
    REQUIRE(v.code_directories.size() == 1);
    CHECK(v.code_directories[0].pages_checked == cd.code_slot_count);
    for (const auto& s : v.code_directories[0].special_slots) CHECK(s.status == SlotStatus::absent);
    // lld aligns the CodeDirectory after the index, which is all Security's strict form
    // (disk images only) would note.
    for (const auto& d : v.diagnostics) CHECK(d.id == codesign::diag::kBlobsNotTiled);
  }
  CHECK(cdhashes.size() == 4);
}

TEST_CASE("codesign: fixtures, damaged copies", "[codesign][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  const auto original = read_file(fixtures_dir() / "exe_arm64");
  auto file = macho::parse(view(original));
  REQUIRE(file.ok());
  const auto& slice = file->slices.at(0);
  const std::uint64_t sig_at = slice.signature_offset();
  const std::uint64_t cmd_at = slice.code_signature->command_offset;
  auto sig = codesign::parse_signature(slice);
  REQUIRE(sig.ok());
  const auto& cd = sig->code_directories.at(0);
  const std::uint64_t cd_at = cd.file_offset;
  const std::uint32_t pages = cd.code_slot_count;

  auto verify_copy = [](const std::vector<std::uint8_t>& data) {
    auto f = macho::parse(view(data));
    REQUIRE(f.ok());
    return codesign::verify_slice(f->slices.at(0));
  };
  auto parse_copy = [](const std::vector<std::uint8_t>& data) {
    auto f = macho::parse(view(data));
    REQUIRE(f.ok());
    return codesign::parse_signature(f->slices.at(0));
  };
  auto set32 = [&](std::uint64_t at, std::uint32_t value, Endian e = Endian::big) {
    auto copy = original;
    put_u32(copy, at, value, e);
    return copy;
  };

  SECTION("flipped code byte: exactly that page") {
    auto copy = original;
    copy[2 * 4096 + 5] ^= 0x01;
    auto v = verify_copy(copy);
    CHECK(v.status == codesign::SliceStatus::invalid);
    CHECK(v.bad_pages == std::vector<std::uint32_t>{2});
    CHECK(v.special_slots_ok);
    CHECK(v.cdhash == cd.cdhash_hex());  // the CD itself is untouched
  }
  SECTION("flipped bytes in page 3 and in the partial last page") {
    auto copy = original;
    copy[3 * 4096 + 100] ^= 0x40;
    copy[slice.code_signature->dataoff - 1] ^= 0x80;  // the byte before the signature
    auto v = verify_copy(copy);
    REQUIRE(pages > 4);
    CHECK(v.bad_pages == std::vector<std::uint32_t>{3, pages - 1});
  }
  SECTION("flipped hash in the CodeDirectory: page 0 and a new cdhash") {
    auto copy = original;
    copy[cd_at + cd.hash_offset] ^= 0x01;
    auto v = verify_copy(copy);
    CHECK(v.bad_pages == std::vector<std::uint32_t>{0});
    CHECK(v.cdhash != cd.cdhash_hex());
  }
  SECTION("truncated signature") {
    auto copy = set32(cmd_at + 12, 4, Endian::little);  // datasize 4
    check_error(parse_copy(copy), "codesign.superblob.truncated", sig_at + 4);
    auto v = verify_copy(copy);
    CHECK(v.status == codesign::SliceStatus::malformed);
    REQUIRE(v.error);
    CHECK(v.error->id() == "codesign.superblob.truncated");
  }
  SECTION("SuperBlob fields") {
    check_error(parse_copy(set32(sig_at + 4, 8)), "codesign.superblob.length_too_small", sig_at + 4);
    check_error(parse_copy(set32(sig_at + 4, slice.code_signature->datasize + 1)),
                "codesign.superblob.length_exceeds_buffer", sig_at + 4);
    check_error(parse_copy(set32(sig_at + 8, 0x10000000)), "codesign.superblob.count_exceeds_length", sig_at + 8);
    check_error(parse_copy(set32(sig_at + 16, sig->length)), "codesign.blob.offset_out_of_range", sig_at + 16);
    check_error(parse_copy(set32(sig_at, codesign::kMagicEmbeddedSignatureOld)), "codesign.superblob.bad_magic", sig_at);
    check_error(parse_copy(set32(sig_at + 12, codesign::kSlotEntitlements)), "codesign.blob.wrong_magic", cd_at);
  }
  SECTION("CodeDirectory fields") {
    check_error(parse_copy(set32(cd_at + 4, 4)), "codesign.blob.length_too_small", cd_at + 4);
    check_error(parse_copy(set32(cd_at + 4, sig->length)), "codesign.blob.length_exceeds_superblob", cd_at + 4);
    check_error(parse_copy(set32(cd_at + 16, 0xffff0000)), "codesign.cd.hash_offset_out_of_range", cd_at + 16);
    check_error(parse_copy(set32(cd_at + 20, 0)), "codesign.cd.identifier_offset_zero", cd_at + 20);
    check_error(parse_copy(set32(cd_at + 28, pages + 1)), "codesign.cd.code_slots_out_of_range", cd_at + 28);
    check_error(parse_copy(set32(cd_at + 32, slice.code_signature->dataoff + 4096)),
                "codesign.cd.code_slot_count_mismatch", cd_at + 28);
    auto copy = original;
    copy[cd_at + 39] = 0;
    check_error(parse_copy(copy), "codesign.cd.page_size_zero", cd_at + 39);
    copy[cd_at + 39] = 40;
    check_error(parse_copy(copy), "codesign.cd.page_size_too_large", cd_at + 39);
    copy = original;
    copy[cd_at + 36] = 0;
    check_error(parse_copy(copy), "codesign.cd.hash_size_mismatch", cd_at + 36);
  }
  SECTION("LC_CODE_SIGNATURE dataoff overflow is a Mach-O error") {
    auto copy = set32(cmd_at + 8, 0xffffff00, Endian::little);
    auto f = macho::parse(view(copy));
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().id() == "macho.code_signature.range_overflow");
    CHECK(f.error().offset == cmd_at + 8);
  }
}

TEST_CASE("codesign: fixtures, fat file verifies per slice", "[codesign][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  auto data = read_file(fixtures_dir() / "fat_exe");
  auto file = macho::parse(view(data));
  REQUIRE(file.ok());
  auto v = codesign::verify(*file);
  REQUIRE(v.slices.size() == 2);
  CHECK(v.valid());
  std::size_t arm = v.slices[0].cpu == "arm64" ? 0 : 1;
  const auto thin = read_file(fixtures_dir() / "exe_arm64");
  auto thin_file = macho::parse(view(thin));
  REQUIRE(thin_file.ok());
  CHECK(v.slices[arm].cdhash == codesign::verify_slice(thin_file->slices[0]).cdhash);

  data[file->slices[arm].offset + 4096 + 9] ^= 0x10;  // page 1 of the arm64 slice
  file = macho::parse(view(data));
  REQUIRE(file.ok());
  v = codesign::verify(*file);
  CHECK_FALSE(v.valid());
  CHECK(v.slices[arm].status == codesign::SliceStatus::invalid);
  CHECK(v.slices[arm].bad_pages == std::vector<std::uint32_t>{1});
  CHECK(v.slices[1 - arm].status == codesign::SliceStatus::valid);
  CHECK(v.slices[arm].slice_index == arm);
  CHECK(v.slices[arm].slice_offset == file->slices[arm].offset);
}

// ---------------------------------------------------------------------------
// Real-world corpus

TEST_CASE("codesign: real-world verify results", "[codesign][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found at " << realworld_dir() << "; skipped");
    return;
  }
  // realworld/README.md: these two were modified after signing.
  const std::map<std::string, std::vector<std::uint32_t>> invalid = {
      {"radareorg__radare2-testbins__TestMacOS-arm64e", {0, 12, 13}},
      {"radareorg__radare2-testbins__r2_hang_test", {2}},
  };
  std::size_t valid_slices = 0, invalid_slices = 0, files = 0;
  for (const auto& path : realworld_machos()) {
    const std::string name = path.filename().string();
    INFO(name);
    const auto data = read_file(path);
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    ++files;
    auto v = codesign::verify(*file);
    for (const auto& s : v.slices) {
      CHECK_FALSE(s.error);
      CHECK(s.special_slots_ok);
      if (auto it = invalid.find(name); it != invalid.end()) {
        CHECK(s.status == codesign::SliceStatus::invalid);
        CHECK(s.bad_pages == it->second);
        ++invalid_slices;
      } else {
        CHECK(s.status == codesign::SliceStatus::valid);
        CHECK(s.bad_pages.empty());
        ++valid_slices;
      }
      for (const auto& cd : s.code_directories)
        for (const auto& slot : cd.special_slots) CHECK(codesign::slot_status_ok(slot.status));
    }
  }
  CHECK(files == 30);
  CHECK(invalid_slices == 2);
  CHECK(valid_slices == 37);
}

TEST_CASE("codesign: real-world facts match macho_signatures.tsv", "[codesign][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  std::size_t slices_checked = 0;
  for (const auto& row : read_signatures_tsv()) {
    INFO(row.path);
    const auto data = read_file(realworld_dir() / row.path);
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    REQUIRE(file->slices.size() == row.slices.size());
    for (std::size_t i = 0; i < row.slices.size(); ++i) {
      INFO("slice " << i);
      const auto& want = row.slices[i];
      const auto& slice = file->slices[i];
      auto sig = codesign::parse_signature(slice);
      REQUIRE(sig.ok());
      auto v = codesign::verify_slice(slice, i);
      REQUIRE(sig->code_directories.size() == want.code_directories.size());
      const auto& primary = *sig->primary_code_directory();
      CHECK(primary.identifier == want.identifier);
      CHECK(primary.team_id == want.team);
      for (std::size_t k = 0; k < want.code_directories.size(); ++k) {
        const auto& cd = sig->code_directories[k];
        const auto& w = want.code_directories[k];
        CHECK(codesign::hash_type_name(cd.hash_type) == w.hash);
        CHECK(cd.version == w.version);
        CHECK(cd.flags == w.flags);
        CHECK(cd.runtime == w.runtime.value_or(0));
        CHECK(cd.platform == w.platform.value_or(0));
        CHECK(cd.identifier == want.identifier);
        CHECK(cd.team_id == want.team);
        CHECK(v.code_directories.at(k).code_pages_ok == w.pages_ok);
        CHECK(v.code_directories.at(k).special_slots_ok == w.special_ok);
      }
      std::vector<std::string> flags;
      for (auto name : codesign::flag_names(primary.flags)) flags.push_back(name == "runtime" ? "hardened-runtime" : name);
      CHECK(flags == want.flags);
      std::string ents = sig->entitlements_xml() ? (sig->entitlements_der() ? "xml+der" : "xml") : (sig->entitlements_der() ? "der" : "-");
      CHECK(ents == want.entitlements);
      CHECK(sig->cms_payload().value_or(Bytes{}).size() == want.cms_size);
      if (auto xml = sig->entitlements_xml())
        CHECK(std::string_view(reinterpret_cast<const char*>(xml->data()), std::min<std::size_t>(5, xml->size())) == "<?xml");
      // Canonical [APPLICATION 16] (0x70), or the bare SET form ldid writes (0x31, rules E).
      if (auto der = sig->entitlements_der()) CHECK((der->front() == 0x70 || der->front() == 0x31));
      ++slices_checked;
    }
  }
  CHECK(slices_checked == 39);
}

TEST_CASE("codesign: real-world cdhashes equal the ones their signers put in the CMS", "[codesign][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  std::size_t compared = 0;
  for (const auto& path : realworld_machos()) {
    INFO(path.filename().string());
    const auto data = read_file(path);
    auto file = macho::parse(view(data));
    REQUIRE(file.ok());
    for (const auto& slice : file->slices) {
      auto sig = codesign::parse_signature(slice);
      REQUIRE(sig.ok());
      auto cms = sig->cms_payload();
      if (!cms) continue;
      // The CMS reader's V1 list must equal what a plain text scan of the blob finds.
      auto parsed = codesign::parse_signature_cms(*sig);
      REQUIRE(parsed);
      REQUIRE(parsed->ok());
      const auto& signers = parsed->value().signers;
      auto listed = cms_cdhashes(*cms);
      if (!listed) {
        for (const auto& signer : signers) CHECK_FALSE(signer.cdhashes_v1);
        continue;
      }
      REQUIRE(signers.size() == 1);
      REQUIRE(signers[0].cdhashes_v1);
      std::vector<std::string> read;
      for (const auto& h : *signers[0].cdhashes_v1) read.push_back(h.hex());
      CHECK(read == *listed);
      std::vector<std::string> ours;
      for (const auto& cd : sig->code_directories) ours.push_back(cd.cdhash_hex());
      CHECK(ours == *listed);
      CHECK(codesign::check_cms_agreement(parsed->value(), *sig).status == codesign::CmsAgreementStatus::agree);
      ++compared;
    }
  }
  // Slices whose CMS has the hash-agility plist (macho_signatures.tsv: signed after 10.11).
  CHECK(compared == 22);
}

TEST_CASE("codesign: real-world special slots detect changed blobs", "[codesign][realworld]") {
  if (!have_realworld()) {
    WARN("real-world corpus not found; skipped");
    return;
  }
  const auto original = read_file(realworld_path("MASTestApp"));
  auto file = macho::parse(view(original));
  REQUIRE(file.ok());
  auto sig = codesign::parse_signature(file->slices[0]);
  REQUIRE(sig.ok());
  for (std::uint32_t slot : {codesign::kSlotRequirements, codesign::kSlotEntitlements, codesign::kSlotDerEntitlements}) {
    INFO("slot " << slot);
    const auto* b = sig->find_blob(slot);
    REQUIRE(b);
    auto copy = original;
    copy[b->file_offset + b->length - 1] ^= 0x01;
    auto f = macho::parse(view(copy));
    REQUIRE(f.ok());
    auto v = codesign::verify_slice(f->slices[0]);
    CHECK(v.status == codesign::SliceStatus::invalid);
    CHECK(v.code_pages_ok);
    CHECK(v.bad_special_slots == std::vector<std::uint32_t>{slot});
  }
}

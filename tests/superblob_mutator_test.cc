// The structure-aware mutator of fuzz_superblob_structured (fuzzers/superblob_mutator.h):
// the model gives back real SuperBlobs byte for byte, consistent mutations keep the layout
// rules, CD rebuilds and added alternates are accepted, output is a function of the seed
// and never longer than max_size.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "../fuzzers/superblob_mutator.h"
#include "entsig/codesign.h"
#include "superblob_scan.h"

using namespace entsig;
namespace sb = entsig::fuzz::sb;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

sb::ByteVec bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// A signature as codesign lays it out: CD, requirements, entitlements, empty CMS wrapper,
// tiled in index order, behind the target's two option bytes.
sb::ByteVec sample_signature() {
  sb::CdModel cd;
  cd.identifier = "com.example.app";
  cd.team = "ABCDE12345";
  cd.code_limit = 3 * 4096 + 100;
  cd.special_count = 5;
  cd.flags = 0x2;
  sb::Model m;
  m.prefix = {0, 0};
  const auto blob = [](std::uint32_t magic, std::string_view payload) {
    sb::ByteVec b(8, 0);
    b.insert(b.end(), payload.begin(), payload.end());
    sb::store32(b.data(), magic);
    sb::store32(b.data() + 4, static_cast<std::uint32_t>(b.size()));
    return b;
  };
  m.entries.push_back({0, 0, false, false, -1, {}, sb::build_cd(cd)});
  m.entries.push_back({2, 0, false, false, -1, {}, blob(0xfade0c01, std::string("\0\0\0\0", 4))});
  m.entries.push_back({5, 0, false, false, -1, {}, blob(0xfade7171, "<plist><dict/></plist>")});
  m.entries.push_back({0x10000, 0, false, false, -1, {}, blob(0xfade0b01, "")});
  return sb::serialize(m);
}

Result<codesign::Signature> parse(const sb::ByteVec& input) {
  return codesign::parse_signature(Bytes(input).subspan(sb::kPrefixBytes));
}

// Index offsets ascending, each blob after the index and inside `length`.
bool layout_consistent(const sb::ByteVec& input) {
  const Bytes payload = Bytes(input).subspan(sb::kPrefixBytes);
  auto entries = sb::raw_entries(payload);
  if (!entries) return false;
  const std::uint64_t length = sb::load32(payload.data() + 4);
  std::uint64_t end = sb::kHeaderSize + sb::kEntrySize * entries->size();
  for (const auto& e : *entries) {
    if (e.offset < end || e.blob.empty() || sb::load32(e.blob.data() + 4) != e.blob.size()) return false;
    end = std::uint64_t{e.offset} + e.blob.size();
  }
  return end <= length && length == payload.size();
}

// A deterministic stand-in for LLVMFuzzerMutate: flips one byte, sometimes appends one.
std::size_t fake_raw(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  if (size < max_size && size % 3 == 0) data[size++] = 0x41;
  if (size) data[size / 2] ^= 0x5a;
  return size;
}

}  // namespace

TEST_CASE("superblob_mutator: the model gives real SuperBlobs back byte for byte", "[fuzz]") {
  const auto sample = sample_signature();
  REQUIRE(parse(sample));
  auto model = sb::parse_model(sample);
  REQUIRE(model);
  CHECK(model->entries.size() == 4);
  CHECK(sb::serialize(*model) == sample);

  // Signatures from the real-world Mach-O files, found by a byte scan, with padding and
  // whatever follows `length` inside the file's signature area left as it is.
  const std::filesystem::path dir = std::filesystem::path(ENTSIG_SHARED_DIR) / "realworld" / "macho";
  if (!std::filesystem::is_directory(dir)) {
    WARN("no real-world Mach-O files in " << dir);
    return;
  }
  std::size_t signatures = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    const std::string file = read_file(f.path());
    std::set<std::uint64_t> seen;
    for (const auto& e : entsig_test::superblob_entries(file)) {
      if (!seen.insert(e.superblob_at).second) continue;
      const sb::ByteVec input = bytes_of(std::string(2, '\0') + file.substr(e.superblob_at, e.superblob_length + 64));
      if (!parse(input)) continue;  // the magic inside other data, not a signature
      auto m = sb::parse_model(input);
      REQUIRE(m);
      CHECK(sb::serialize(*m) == input);
      ++signatures;
    }
  }
  CHECK(signatures >= 30);
}

TEST_CASE("superblob_mutator: consistent mutations keep offsets sorted and inside the SuperBlob", "[fuzz]") {
  const auto sample = sample_signature();
  const auto model = sb::parse_model(sample);
  REQUIRE(model);
  sb::MutatorConfig config;
  config.allow_inconsistent = false;
  config.raw = fake_raw;
  std::size_t accepted = 0;
  for (unsigned seed = 0; seed < 2000; ++seed) {
    sb::Rng rng(seed);
    auto out = sb::mutate_structured(*model, rng, config, 1 << 16);
    REQUIRE(out);
    INFO("seed " << seed);
    REQUIRE(layout_consistent(*out));
    auto sig = parse(*out);
    if (!sig) {
      // The layout rules hold, so only blob contents, slots and magics can be refused.
      const std::string id(error_info(sig.error().code).id);
      CHECK(id.rfind("codesign.superblob.length", 0) != 0);
      CHECK(id != "codesign.superblob.count_exceeds_length");
      CHECK(id != "codesign.blob.offset_out_of_range");
      CHECK(id != "codesign.blob.length_exceeds_superblob");
      continue;
    }
    ++accepted;
    CHECK_FALSE(sig->has_diagnostic(codesign::diag::kIndexUnsorted));
    CHECK_FALSE(sig->has_diagnostic(codesign::diag::kBlobsOverlap));
    CHECK_FALSE(sig->has_diagnostic(codesign::diag::kBlobOverlapsIndex));
    CHECK_FALSE(sig->has_diagnostic(codesign::diag::kNullIndexEntry));
  }
  // Most structured mutations stay acceptable: that is what they are for.
  CHECK(accepted > 1000);
}

TEST_CASE("superblob_mutator: inconsistent mutations reach the layout errors and diagnostics", "[fuzz]") {
  const auto model = sb::parse_model(sample_signature());
  REQUIRE(model);
  std::set<std::string> seen;
  for (unsigned seed = 0; seed < 3000; ++seed) {
    sb::Rng rng(seed);
    auto out = sb::mutate_structured(*model, rng, {}, 1 << 16);
    if (!out) continue;  // four picks that did not apply (no raw mutator for payloads here)
    auto sig = parse(*out);
    if (!sig) {
      seen.insert(std::string(error_info(sig.error().code).id));
      continue;
    }
    for (const auto& d : sig->diagnostics) seen.insert(std::string(d.id));
  }
  for (const char* id : {"codesign.superblob.length_too_small", "codesign.superblob.length_exceeds_buffer",
                         "codesign.superblob.count_exceeds_length", "codesign.blob.offset_out_of_range",
                         "codesign.blob.length_too_small", "codesign.blob.length_exceeds_superblob",
                         "codesign.superblob.duplicate_slot", "codesign.superblob.duplicate_hash_type",
                         "codesign.blob.wrong_magic", "codesign.diag.index_unsorted", "codesign.diag.blobs_overlap",
                         "codesign.diag.blob_overlaps_index", "codesign.diag.null_index_entry"}) {
    INFO(id);
    CHECK(seen.count(id) == 1);
  }
}

TEST_CASE("superblob_mutator: rebuilt and added CodeDirectories are accepted", "[fuzz]") {
  const auto sample = sample_signature();
  const auto model = sb::parse_model(sample);
  REQUIRE(model);
  unsigned rebuilt_accepted = 0;
  for (unsigned seed = 0; seed < 300; ++seed) {
    INFO("seed " << seed);
    sb::Rng rng(seed);
    sb::Model rebuilt = *model;
    REQUIRE(sb::rebuild_cd(rebuilt, rng));
    auto sig = parse(sb::serialize(rebuilt));
    if (sig) {
      CHECK(sig->code_directories.size() == 1);
      ++rebuilt_accepted;
    } else {
      // rebuild_cd also picks page shifts XNU refuses (1, 9, 13, 16, 20, 31) and scatters that
      // start at or past the code limit: the only refusals a rebuilt CD may meet.
      INFO(sig.error().describe());
      const auto id = sig.error().id();
      CHECK((id == "codesign.cd.page_size_unsupported" || id == "codesign.cd.code_range_empty"));
    }

    sb::Model added = *model;
    REQUIRE(sb::add_alternate_cd(added, rng));
    auto two = parse(sb::serialize(added));
    REQUIRE(two);
    REQUIRE(two->code_directories.size() == 2);
    const auto& alt = two->code_directories[1].slot == 0 ? two->code_directories[0] : two->code_directories[1];
    CHECK(alt.slot >= 0x1000);
    CHECK(alt.slot <= 0x1004);
    CHECK(alt.hash_type != two->primary_code_directory()->hash_type);
    CHECK(alt.identifier == "com.example.app");
    CHECK(alt.team_id == std::optional<std::string>("ABCDE12345"));
  }
  INFO("rebuilt CDs accepted: " << rebuilt_accepted);
  CHECK(rebuilt_accepted >= 200);
}

TEST_CASE("superblob_mutator: the same seed gives the same output", "[fuzz]") {
  const auto sample = sample_signature();
  std::set<sb::ByteVec> outputs;
  for (unsigned seed = 0; seed < 100; ++seed) {
    for (sb::RawMutator raw : {static_cast<sb::RawMutator>(nullptr), fake_raw}) {
      sb::MutatorConfig config;
      config.raw = raw;
      sb::ByteVec a = sample, b = sample;
      a.resize(8192);
      b.resize(8192);
      const std::size_t na = sb::mutate(a.data(), sample.size(), a.size(), seed, config);
      const std::size_t nb = sb::mutate(b.data(), sample.size(), b.size(), seed, config);
      REQUIRE(na == nb);
      REQUIRE(a == b);
      if (raw == nullptr) outputs.insert(sb::ByteVec(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(na)));
    }
  }
  CHECK(outputs.size() > 75);  // and different seeds mostly differ
}

TEST_CASE("superblob_mutator: output never exceeds max_size", "[fuzz]") {
  const auto sample = sample_signature();
  for (std::size_t extra : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{100}, std::size_t{5000}}) {
    for (unsigned seed = 0; seed < 300; ++seed) {
      sb::MutatorConfig config;
      config.raw = seed % 2 ? fake_raw : nullptr;
      const std::size_t max_size = sample.size() + extra;
      sb::ByteVec buffer = sample;
      buffer.resize(max_size + 64, 0xee);
      const std::size_t n = sb::mutate(buffer.data(), sample.size(), max_size, seed, config);
      INFO("seed " << seed << " max_size " << max_size);
      REQUIRE(n <= max_size);
      CHECK(buffer[max_size] == 0xee);  // nothing written past max_size
    }
  }
  // Tiny inputs go to the raw mutator and stay within their bounds too.
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
    sb::ByteVec buffer(16, 0);
    CHECK(sb::mutate(buffer.data(), size, std::max<std::size_t>(size, 4), 7) <= std::max<std::size_t>(size, 4));
  }
  sb::ByteVec out(sample.size() * 2 + 64);
  for (unsigned seed = 0; seed < 100; ++seed) {
    const std::size_t n = sb::cross_over(sample.data(), sample.size(), sample.data(), sample.size(), out.data(),
                                         sample.size() + 40, seed);
    CHECK(n <= sample.size() + 40);
  }
}

TEST_CASE("superblob_mutator: structured mutations keep the option bytes", "[fuzz]") {
  auto sample = sample_signature();
  sample[0] = 0x13;
  sample[1] = 0x37;
  const auto model = sb::parse_model(sample);
  REQUIRE(model);
  for (int k = 0; k < sb::kMutationCount; ++k) {
    if (static_cast<sb::Mutation>(k) == sb::Mutation::option_bytes) continue;
    for (unsigned seed = 0; seed < 20; ++seed) {
      sb::Rng rng(seed);
      sb::Model m = *model;
      sb::MutatorConfig config;
      config.raw = fake_raw;
      if (!sb::apply_mutation(m, static_cast<sb::Mutation>(k), rng, config, 4096)) continue;
      const auto out = sb::serialize(m);
      INFO("mutation " << k << " seed " << seed);
      CHECK(out[0] == 0x13);
      CHECK(out[1] == 0x37);
    }
  }
}

TEST_CASE("superblob_mutator: crossover moves a blob between two signatures", "[fuzz]") {
  const auto a = sample_signature();
  auto model_b = sb::parse_model(a);
  REQUIRE(model_b);
  model_b->entries[2].bytes.insert(model_b->entries[2].bytes.end(), {'x', 'y', 'z'});  // entitlements differ
  const auto b = sb::serialize(*model_b);
  const auto donor = sb::parse_model(b)->entries[2].bytes;  // its length field now counts xyz
  std::size_t took_b = 0;
  for (unsigned seed = 0; seed < 50; ++seed) {
    sb::ByteVec out(a.size() + b.size());
    const std::size_t n = sb::cross_over(a.data(), a.size(), b.data(), b.size(), out.data(), out.size(), seed);
    REQUIRE(n > 0);
    out.resize(n);
    auto m = sb::parse_model(out);
    REQUIRE(m);
    for (const auto& e : m->entries) took_b += e.bytes == donor;
    CHECK(layout_consistent(out));
  }
  CHECK(took_b > 0);
}

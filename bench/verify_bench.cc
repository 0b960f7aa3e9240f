// Signature verification throughput: entsig's verify() against OpenSSL hashing the same
// bytes in the same run. The peer does the least work any verifier must do: one digest
// per CodeDirectory, with that CodeDirectory's hash algorithm, over the bytes its pages
// cover. entsig also parses, hashes page by page and compares every stored hash.
// Warm (one untimed run), best of N; ratio = OpenSSL time / entsig time (1.0 = as fast).
//
//   verify_bench [--runs N] [--shared DIR] [--big FILE]
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "entsig/codesign.h"
#include "entsig/macho.h"
#include "best_of.h"

using namespace entsig;
namespace fs = std::filesystem;
using bench::best_of;

namespace {

struct Input {
  std::string name;
  std::vector<std::uint8_t> bytes;
};

// One digest the peer computes: `length` bytes of `data` from the start, with `md`.
struct DigestJob {
  const EVP_MD* md;
  const std::uint8_t* data;
  std::size_t length;
};

std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const EVP_MD* openssl_md(std::uint8_t hash_type) {
  switch (hash_type) {
    case codesign::kHashSha1: return EVP_sha1();
    case codesign::kHashSha256:
    case codesign::kHashSha256Truncated: return EVP_sha256();
    case codesign::kHashSha384: return EVP_sha384();
    default: return nullptr;
  }
}

// The peer's work list for one file; false when entsig cannot read its signatures (such
// a file is left out of both sides).
bool digest_jobs(const std::vector<std::uint8_t>& bytes, std::vector<DigestJob>& jobs) {
  auto file = macho::parse(Bytes(bytes.data(), bytes.size()));
  if (!file) return false;
  bool any = false;
  for (const auto& slice : file->slices) {
    auto sig = codesign::parse_signature(slice);
    if (!sig) continue;
    for (const auto& cd : sig->code_directories) {
      const EVP_MD* md = openssl_md(cd.hash_type);
      const std::uint64_t limit = std::min<std::uint64_t>(cd.code_limit(), slice.data.size());
      if (!md) continue;
      jobs.push_back({md, slice.data.data(), static_cast<std::size_t>(limit)});
      any = true;
    }
  }
  return any;
}

void run_digests(const std::vector<DigestJob>& jobs) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (const auto& j : jobs)
    if (!EVP_Digest(j.data, j.length, out, &len, j.md, nullptr)) std::abort();
}

// Verifies every input; the valid/invalid count must not change between runs.
std::size_t run_verify(const std::vector<const Input*>& inputs) {
  std::size_t valid = 0;
  for (const auto* in : inputs) {
    auto file = macho::parse(Bytes(in->bytes.data(), in->bytes.size()));
    if (file && codesign::verify(*file).valid()) ++valid;
  }
  return valid;
}

void measure(const std::string& label, const std::vector<const Input*>& inputs, int runs) {
  std::vector<DigestJob> jobs;
  std::vector<const Input*> used;
  for (const auto* in : inputs)
    if (digest_jobs(in->bytes, jobs)) used.push_back(in);
  if (used.empty()) {
    std::printf("| %-34s |        - |           - |            - |      - |\n", (label + " (absent)").c_str());
    return;
  }
  std::size_t hashed = 0;
  for (const auto& j : jobs) hashed += j.length;
  std::size_t valid = 0;
  const double t_entsig = best_of(runs, [&] { valid = run_verify(used); });
  const double t_openssl = best_of(runs, [&] { run_digests(jobs); });
  const double mb = static_cast<double>(hashed) / 1e6;
  std::printf("| %-34s | %8.2f | %11.0f | %12.0f | %5.2fx |  (%zu files, %zu valid)\n", label.c_str(), mb,
              mb / t_entsig, mb / t_openssl, t_openssl / t_entsig, used.size(), valid);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string shared_dir = "../shared";
  std::string big;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (a == "--shared" && i + 1 < argc) shared_dir = argv[++i];
    else if (a == "--big" && i + 1 < argc) big = argv[++i];
    else {
      std::fprintf(stderr, "usage: verify_bench [--runs N] [--shared DIR] [--big FILE]\n");
      return 2;
    }
  }
  std::vector<Input> realworld;
  const fs::path dir = fs::path(shared_dir) / "realworld" / "macho";
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) realworld.push_back({e.path().filename().string(), read_file(e.path())});
  std::sort(realworld.begin(), realworld.end(), [](const Input& a, const Input& b) { return a.name < b.name; });

  std::printf("MB = bytes covered by code-page hashes (each CodeDirectory counts once)\n\n");
  std::printf("| input                              |       MB | entsig MB/s | OpenSSL MB/s |  ratio |\n");
  std::printf("|------------------------------------|----------|-------------|--------------|--------|\n");
  std::vector<const Input*> all;
  for (const auto& in : realworld) all.push_back(&in);
  measure("realworld macho", all, runs);

  if (!big.empty()) {
    Input in{fs::path(big).filename().string(), read_file(big)};
    measure("generated " + std::to_string(in.bytes.size() >> 20) + " MiB (ld64.lld ad-hoc)", {&in}, runs);
  }
  return 0;
}

// Plist parse throughput: entsig vs libplist on the same bytes in the same run.
// Warm (one untimed run first), best of N, MB/s for both and the ratio entsig/libplist.
//
//   plist_bench [--size-mb N] [--runs N] [--shared DIR] [--scaling]
#include <plist/plist.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "entsig/plist.h"
#include "plist_corpus.h"
#include "best_of.h"

using namespace entsig;
using bench::best_of;

namespace {

struct Options {
  std::size_t size_mb = 16;
  int runs = 7;
  std::string shared_dir = "../shared";
  bool scaling = false;
};

void entsig_parse(const std::string& bytes, bool binary) {
  auto doc = binary ? plist::read_binary(as_bytes(bytes)) : plist::read_xml(as_bytes(bytes));
  if (!doc) {
    std::fprintf(stderr, "entsig rejected bench input: %s\n", doc.error().describe().c_str());
    std::exit(1);
  }
}

void libplist_parse(const std::string& bytes, bool binary) {
  plist_t root = nullptr;
  if (binary)
    plist_from_bin(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  else
    plist_from_xml(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  if (!root) {
    std::fprintf(stderr, "libplist rejected bench input\n");
    std::exit(1);
  }
  plist_free(root);
}

bool both_accept(const std::string& bytes, bool binary) {
  plist_t root = nullptr;
  if (binary) plist_from_bin(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  else plist_from_xml(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  auto ours = binary ? plist::read_binary(as_bytes(bytes)) : plist::read_xml(as_bytes(bytes));
  if (root) plist_free(root);
  return root && ours;
}

std::string to_libplist_binary(const std::string& xml) {
  plist_t root = nullptr;
  plist_from_xml(xml.data(), static_cast<uint32_t>(xml.size()), &root);
  char* bin = nullptr;
  uint32_t len = 0;
  plist_to_bin(root, &bin, &len);
  std::string out(bin, len);
  plist_to_bin_free(bin);
  plist_free(root);
  return out;
}

struct Row {
  std::string input;
  std::string format;
  double mb;
  double entsig_mbps;
  double libplist_mbps;
};

Row measure(const std::string& name, const std::vector<const std::string*>& inputs, bool binary, int runs) {
  std::size_t total = 0;
  for (auto* s : inputs) total += s->size();
  const double mb = static_cast<double>(total) / 1e6;
  double t_entsig = best_of(runs, [&] {
    for (auto* s : inputs) entsig_parse(*s, binary);
  });
  double t_lib = best_of(runs, [&] {
    for (auto* s : inputs) libplist_parse(*s, binary);
  });
  return {name, binary ? "binary" : "xml", mb, mb / t_entsig, mb / t_lib};
}

void print_row(const Row& r) {
  std::printf("| %-28s | %-6s | %8.2f | %10.0f | %12.0f | %6.2fx |\n", r.input.c_str(), r.format.c_str(), r.mb,
              r.entsig_mbps, r.libplist_mbps, r.entsig_mbps / r.libplist_mbps);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--size-mb" && i + 1 < argc) opt.size_mb = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--runs" && i + 1 < argc) opt.runs = std::atoi(argv[++i]);
    else if (a == "--shared" && i + 1 < argc) opt.shared_dir = argv[++i];
    else if (a == "--scaling") opt.scaling = true;
    else {
      std::fprintf(stderr, "usage: plist_bench [--size-mb N] [--runs N] [--shared DIR] [--scaling]\n");
      return 2;
    }
  }

  std::printf("| input                        | format |       MB | entsig MB/s | libplist MB/s |  ratio |\n");
  std::printf("|------------------------------|--------|----------|-------------|---------------|--------|\n");
  const std::string xml = bench::generate_entitlements_xml(opt.size_mb << 20);
  const std::string bin = to_libplist_binary(xml);
  const std::string label = "generated " + std::to_string(opt.size_mb) + " MiB";
  print_row(measure(label, {&xml}, false, opt.runs));
  print_row(measure(label, {&bin}, true, opt.runs));

  for (bool binary : {false, true}) {
    auto files = bench::load_realworld(opt.shared_dir, binary);
    if (files.empty()) {
      std::printf("| realworld (absent)           | %-6s |        - |           - |             - |      - |\n",
                  binary ? "binary" : "xml");
      continue;
    }
    std::vector<const std::string*> ptrs;
    for (auto& f : files) {
      // libplist and entsig must both accept a file for it to count.
      if (both_accept(f.bytes, binary)) ptrs.push_back(&f.bytes);
    }
    // Small files: repeat the set so one timed pass is long enough to measure.
    std::vector<const std::string*> repeated;
    for (int r = 0; r < 200; ++r) repeated.insert(repeated.end(), ptrs.begin(), ptrs.end());
    print_row(measure("realworld " + std::to_string(ptrs.size()) + " files x200", repeated, binary, opt.runs));

    // The same set concatenated: one document whose root array holds every file's root,
    // 200 times over, written by our writer. Per-document setup no longer dominates, so
    // this row shows the cost of real-world content itself.
    plist::Document joined;
    std::vector<plist::Value> roots;
    for (const auto* bytes : repeated) {
      auto doc = binary ? plist::read_binary(as_bytes(*bytes)) : plist::read_xml(as_bytes(*bytes));
      roots.push_back(copy_value(joined, doc->root()));
    }
    const plist::Value all = joined.array(roots);
    std::string one;
    if (binary) {
      auto written = plist::write_binary(all);
      if (!written) continue;
      one = std::move(*written);
    } else {
      auto written = plist::write_xml(all);
      if (!written) continue;
      one = std::move(*written);
    }
    if (!both_accept(one, binary)) continue;
    print_row(measure("realworld concatenated x200", {&one}, binary, opt.runs));
  }

  if (opt.scaling) {
    std::printf("\nScaling (entsig, best of %d): MB/s should stay flat as size grows\n", opt.runs);
    std::printf("| MiB | xml MB/s | binary MB/s |\n|-----|----------|-------------|\n");
    for (std::size_t mib : {1, 10, 100}) {
      const std::string x = bench::generate_entitlements_xml(mib << 20);
      const std::string b = to_libplist_binary(x);
      const double mb = static_cast<double>(x.size()) / 1e6, mbb = static_cast<double>(b.size()) / 1e6;
      double tx = best_of(opt.runs, [&] { entsig_parse(x, false); });
      double tb = best_of(opt.runs, [&] { entsig_parse(b, true); });
      std::printf("| %3zu | %8.0f | %11.0f |\n", mib, mb / tx, mbb / tb);
    }
  }
  return 0;
}

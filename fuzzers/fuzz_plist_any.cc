// Format detection plus either reader, strict or CF-compatible, with tiny limits picked
// from the input so the limit paths are fuzzed too. The read and the tagged JSON run under
// the amplification bound (fuzz_helpers.h BoundedRun).
#include "entsig/plist.h"
#include "fuzz_helpers.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Bytes payload = in.rest();
  plist::ReadOptions options = (choice & 1) ? plist::ReadOptions::cf_compat() : plist::ReadOptions::strict();
  if (choice & 2) {
    options.limits.max_depth = 1 + (choice >> 4);
    options.limits.max_objects = 1 + (choice >> 2);
    options.limits.max_expanded_nodes = 1 + (choice >> 3);
  }
  fuzz::BoundedRun run(payload.size(), options.limits);
  auto doc = plist::read_any(payload, options, run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  run.check_expanded();
  (void)run.write([&](Budget& b) { return plist::write_tagged_json(doc->root(), b, (choice & 4) != 0); });
  return 0;
}

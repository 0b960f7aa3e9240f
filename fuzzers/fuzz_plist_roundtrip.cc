// Round trips. XML input: XML -> value -> binary -> value and -> XML -> value are identity.
// Binary input: binary -> value -> binary -> value is identity (XML cannot hold every
// binary value, e.g. NUL in strings, so that direction is not required). The read and both
// writes run under one amplification bound (fuzz_helpers.h BoundedRun); a write it stops
// ends the run.
#include "entsig/plist.h"
#include "fuzz_helpers.h"

using namespace entsig;

namespace {

// False when the run's budget stopped the write.
bool check_binary_round_trip(fuzz::BoundedRun& run, const plist::Value& value) {
  auto binary = run.write([&](Budget& b) { return plist::write_binary(value, b); });
  if (!binary && fuzz::is_budget_refusal(binary.error())) return false;
  if (!binary) fuzz::fail("binary writer failed", &binary.error());
  auto back = plist::read_binary(as_bytes(*binary));
  if (!back) fuzz::fail("strict binary reader rejects written binary", &back.error());
  if (!plist::equal(value, back->root())) fuzz::fail("binary round trip changed the value");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  const plist::Format format = plist::detect_format(input);
  if (format == plist::Format::unknown) return 0;
  fuzz::BoundedRun run(size);
  auto doc = plist::read_any(input, plist::ReadOptions::strict(), run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), size);
    return 0;
  }
  run.check_expanded();
  if (!check_binary_round_trip(run, doc->root())) return 0;
  if (format == plist::Format::xml) {
    auto xml = run.write([&](Budget& b) { return plist::write_xml(doc->root(), b); });
    if (!xml) return 0;  // past the output budget: a limit, not a finding
    auto back = plist::read_xml(as_bytes(*xml));
    if (!back) fuzz::fail("strict XML reader rejects written XML", &back.error());
    if (!plist::equal(doc->root(), back->root())) fuzz::fail("XML round trip changed the value");
  }
  return 0;
}

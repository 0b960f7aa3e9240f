// XML plist reader under every preset: rejects are fine; accepted values must write back
// to XML that the same preset reads as the same value. (Strict values may hold NaN/inf
// reals only if the preset allowed them, so the re-read allows what the first read did.)
// The read and the write run under the amplification bound (fuzz_helpers.h BoundedRun).
#include "entsig/plist.h"
#include "fuzz_helpers.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const bool cf = in.take_byte() & 1;
  const Bytes payload = in.rest();
  const plist::XmlOptions options = cf ? plist::XmlOptions::cf_compat() : plist::XmlOptions::strict();
  fuzz::BoundedRun run(payload.size());
  auto doc = plist::read_xml(payload, options, run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  run.check_expanded();
  auto xml = run.write([&](Budget& b) { return plist::write_xml(doc->root(), b); });
  if (!xml) return 0;  // past the output budget: a limit, not a finding
  auto again = plist::read_xml(as_bytes(*xml), options);
  if (!again) fuzz::fail("reader rejects the XML writer's output", &again.error());
  if (!plist::equal(doc->root(), again->root())) fuzz::fail("XML round trip changed the value");
  return 0;
}

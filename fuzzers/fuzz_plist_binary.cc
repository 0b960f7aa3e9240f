// Binary plist reader under every preset; accepted values must survive write_binary. The
// read and the write run under the amplification bound (fuzz_helpers.h BoundedRun).
#include "entsig/plist.h"
#include "fuzz_helpers.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const bool cf = in.take_byte() & 1;
  const Bytes payload = in.rest();
  fuzz::BoundedRun run(payload.size());
  auto doc = plist::read_binary(payload, cf ? plist::BinaryOptions::cf_compat() : plist::BinaryOptions::strict(),
                                run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  run.check_expanded();
  auto written = run.write([&](Budget& b) { return plist::write_binary(doc->root(), b); });
  if (!written && fuzz::is_budget_refusal(written.error())) return 0;
  if (!written) fuzz::fail("binary writer rejects a value the reader produced", &written.error());
  auto again = plist::read_binary(as_bytes(*written));
  if (!again) fuzz::fail("strict reader rejects the binary writer's output", &again.error());
  if (!plist::equal(doc->root(), again->root())) fuzz::fail("binary round trip changed the value");
  return 0;
}

// DER entitlements reader under every flag mix (first byte: strict, lenient, ldid and all
// between) and small limits (second byte). An accepted document is a dict; a deviation is
// reported only when its flag allowed it; tagged JSON of the value writes. The read and the
// write run under the amplification bound (fuzz_helpers.h BoundedRun).
#include "entsig/der.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const der::DerOptions options = fuzz::pick_der_options(in.take_byte());
  const Limits limits = fuzz::pick_limits(in.take_byte());
  const Bytes payload = in.rest();
  der::DerDeviations deviations;
  fuzz::BoundedRun run(payload.size(), limits);
  auto doc = der::read_der(payload, options, run.budget(), &deviations);
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  if (!doc->root().is(plist::Type::dict)) fuzz::fail("DER root is not a dict");
  if ((deviations.set_form && !options.allow_set_form) || (deviations.nonzero_true && !options.allow_nonzero_true) ||
      (deviations.unsorted_keys && !options.allow_unsorted_keys) || (deviations.data_values && !options.allow_data))
    fuzz::fail("a deviation was accepted without its flag");
  if (fuzz::is_strict(options) && deviations.any()) fuzz::fail("strict read reports deviations");
  run.check_expanded();
  (void)run.write([&](Budget& b) { return plist::write_tagged_json(doc->root(), b); });
  return 0;
}

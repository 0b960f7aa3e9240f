// DER read -> write_der -> strict read gives the same value, and writing is idempotent.
// Strict DER is canonical, so a strict read's value must write back to the input bytes.
// Lenient reads may hold values DER cannot (data, ldid integers past INT64_MAX): skipped.
// The read and both writes run under one amplification bound (fuzz_helpers.h BoundedRun).
#include <algorithm>

#include "entsig/der.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const der::DerOptions options = fuzz::pick_der_options(in.take_byte());
  const Bytes payload = in.rest();
  fuzz::BoundedRun run(payload.size());
  auto doc = der::read_der(payload, options, run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  run.check_expanded();
  auto written = run.write([&](Budget& b) { return der::write_der(doc->root(), b); });
  if (!written && fuzz::is_budget_refusal(written.error())) return 0;
  if (!written) {
    if (written.error().code != ErrorCode::der_not_representable) fuzz::fail("DER writer failed", &written.error());
    if (fuzz::is_strict(options)) fuzz::fail("strict DER value is not representable", &written.error());
    return 0;
  }
  if (fuzz::is_strict(options) && as_bytes(*written).size() != payload.size())
    fuzz::fail("strict DER input is not what the writer writes (length)");
  if (fuzz::is_strict(options) && !std::equal(payload.begin(), payload.end(), as_bytes(*written).begin()))
    fuzz::fail("strict DER input is not what the writer writes");
  auto back = der::read_der(as_bytes(*written));
  if (!back) fuzz::fail("strict DER reader rejects the writer's output", &back.error());
  // Lenient reads keep unsorted keys in input order; the writer sorts them.
  if (!plist::equivalent(doc->root(), back->root())) fuzz::fail("DER round trip changed the value");
  auto again = run.write([&](Budget& b) { return der::write_der(back->root(), b); });
  if (!again && fuzz::is_budget_refusal(again.error())) return 0;
  if (!again || *again != *written) fuzz::fail("write_der is not idempotent");
  return 0;
}

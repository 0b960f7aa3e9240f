// Binary plist reader under every preset; accepted values must survive write_binary.
#include "entsig/plist.h"
#include "fuzz_helpers.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const bool cf = in.take_byte() & 1;
  const Bytes payload = in.rest();
  auto doc = plist::read_binary(payload,
                                cf ? plist::BinaryOptions::cf_compat() : plist::BinaryOptions::strict());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  auto written = plist::write_binary(doc->root());
  if (!written) fuzz::fail("binary writer rejects a value the reader produced", &written.error());
  auto again = plist::read_binary(as_bytes(*written));
  if (!again) fuzz::fail("strict reader rejects the binary writer's output", &again.error());
  if (!plist::equal(doc->root(), again->root())) fuzz::fail("binary round trip changed the value");
  return 0;
}

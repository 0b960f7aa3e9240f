// parse_signature on raw bytes (a SuperBlob or a bare CodeDirectory) at a base offset and
// under limits picked by the first two bytes. An accepted signature is checked whole
// (fuzz_signature.h), and every CodeDirectory is verified against the input itself.
#include "entsig/codesign.h"
#include "fuzz_helpers.h"
#include "fuzz_signature.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Limits limits = fuzz::pick_limits(in.take_byte());
  const Bytes payload = in.rest();
  // A nonzero base catches offsets computed from the wrong origin; a small signature cap
  // reaches the size limit.
  const std::uint64_t base = static_cast<std::uint64_t>(choice & 0x0f) << 12;
  codesign::SignatureOptions options;
  if (choice & 0x80) options.max_signature_bytes = payload.size() / 2;
  auto sig = codesign::parse_signature(payload, base, limits, options);
  if (!sig) {
    fuzz::check_rejection(sig.error(), base, payload.size());
    return 0;
  }
  fuzz::check_signature(*sig, payload, base);
  for (const auto& cd : sig->code_directories)
    fuzz::check_verification(codesign::check_code_directory(cd, *sig, payload), cd);
  return 0;
}

// parse_signature on raw bytes (a SuperBlob or a bare CodeDirectory) at a base offset and
// under limits picked by the first two bytes. An accepted signature is checked whole
// (fuzz_signature.h), and every CodeDirectory is verified against the input itself.
#include "entsig/codesign.h"
#include "fuzz_helpers.h"
#include "fuzz_signature.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::run_signature(data, size);
  return 0;
}

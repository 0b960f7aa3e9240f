// The empty fuzz target: does nothing with its input. It measures what the engine, the
// sanitizers and the instrumentation cost on their own, so `ci/fuzz --ratio` can give each
// real target's exec/s as a ratio to this one on the same machine in the same run. It is
// not a target: no seeds, not in the smoke, not shipped to OSS-Fuzz.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)data;
  (void)size;
  return 0;
}

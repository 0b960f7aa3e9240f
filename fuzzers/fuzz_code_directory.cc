// parse_code_directory on one blob, in the slot and at the base offset the first byte
// picks. An accepted CodeDirectory is checked field by field (fuzz_signature.h); every
// diagnostic points inside the blob.
#include <vector>

#include "entsig/codesign.h"
#include "fuzz_helpers.h"
#include "fuzz_signature.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Bytes blob = in.rest();
  // Slot 0 or one of the alternates; the slot must come back as given.
  const unsigned pick = choice % 6;
  const std::uint32_t slot = pick == 0 ? codesign::kSlotCodeDirectory : codesign::kSlotAlternateCodeDirectories + pick - 1;
  const std::uint64_t base = std::uint64_t{choice / 6u} << 8;
  std::vector<codesign::Diagnostic> diagnostics;
  auto cd = codesign::parse_code_directory(blob, base, slot, &diagnostics);
  if (!cd) {
    fuzz::check_rejection(cd.error(), base, blob.size());
    return 0;
  }
  if (cd->slot != slot || cd->file_offset != base) fuzz::fail("CodeDirectory slot or offset changed");
  fuzz::check_code_directory(*cd, blob);
  for (const auto& d : diagnostics) fuzz::check_offset(d.offset, base, blob.size(), "diagnostic outside the blob");
  return 0;
}

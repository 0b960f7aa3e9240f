// Requirement blobs to requirement-language text: a set (0xfade0c01) or a single
// requirement (0xfade0c00), with the depth and text limits the first byte picks.
// requirements_text must agree with the set/single decoders it dispatches to.
#include "entsig/requirements.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"

using namespace entsig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const codesign::RequirementOptions options = fuzz::pick_requirement_options(choice);
  const Bytes blob = in.rest();
  const std::uint64_t base = choice & 0x80 ? 0x4000 : 0;
  auto text = codesign::requirements_text(blob, options, base);
  if (!text) fuzz::check_rejection(text.error(), base, blob.size());

  auto set = codesign::parse_requirement_set(blob, options, base);
  auto single = codesign::parse_requirement(blob, options, base);
  if (set && single) fuzz::fail("a blob is both a requirement set and a requirement");
  if (set) {
    if (!text || *text != set->text()) fuzz::fail("requirements_text differs from the set's text");
    for (const auto& entry : set->entries) {
      (void)codesign::requirement_type_name(entry.type);
      fuzz::check_offset(entry.requirement.offset, base, blob.size(), "requirement outside the set");
    }
  } else if (single) {
    if (!text || *text != single->text + "\n") fuzz::fail("requirements_text differs from the requirement's text");
    if (single->offset != base || single->length > blob.size()) fuzz::fail("requirement offset or length is off");
  } else {
    if (text) fuzz::fail("requirements_text accepts what neither decoder does");
    fuzz::check_rejection(set.error(), base, blob.size());
    fuzz::check_rejection(single.error(), base, blob.size());
  }
  return 0;
}

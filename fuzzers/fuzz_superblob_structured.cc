// parse_signature and parse_code_directory on SuperBlobs made by a structure-aware
// mutator (superblob_mutator.h): index entries, offsets, counts and CodeDirectory fields are
// edited as fields and re-serialised, mostly with consistent offsets, so inputs get past
// the layout checks that byte-level mutation rarely survives. The option bytes are
// fuzz_superblob's (base offset and size cap; limits).
//
// Checks: an accepted signature as fuzz_superblob checks it, plus every one of its CDs
// parsed alone gives the same CD; every other blob with the CD magic that the index names
// is parsed alone (as fuzz_code_directory does), also when the SuperBlob was refused.
#include <vector>

#include "entsig/codesign.h"
#include "fuzz_helpers.h"
#include "fuzz_signature.h"
#include "superblob_model.h"
#include "superblob_mutator.h"

using namespace entsig;

// libFuzzer provides it; the replay and AFL++ builds do not call the mutator hooks.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {

// parse_code_directory alone on one blob at its place in the input.
void check_lone_code_directory(Bytes blob, std::uint64_t at, std::uint32_t slot) {
  std::vector<codesign::Diagnostic> diagnostics;
  auto cd = codesign::parse_code_directory(blob, at, slot, &diagnostics);
  if (!cd) {
    fuzz::check_rejection(cd.error(), at, blob.size());
    return;
  }
  if (cd->slot != slot || cd->file_offset != at) fuzz::fail("CodeDirectory slot or offset changed");
  fuzz::check_code_directory(*cd, blob);
  for (const auto& d : diagnostics) fuzz::check_offset(d.offset, at, blob.size(), "diagnostic outside the blob");
}

// A CD of an accepted signature is what parse_code_directory makes of its blob alone.
void check_same_code_directory(const codesign::CodeDirectory& cd, const codesign::Signature& sig) {
  Bytes bytes = sig.data;  // a bare CodeDirectory is the whole signature
  std::uint64_t at = sig.file_offset;
  if (!sig.is_bare_code_directory()) {
    const codesign::Blob* blob = sig.find_blob(cd.slot);
    if (!blob) fuzz::fail("CodeDirectory without its blob");
    bytes = blob->data;
    at = blob->file_offset;
  }
  auto alone = codesign::parse_code_directory(bytes, at, cd.slot);
  if (!alone) fuzz::fail("CodeDirectory accepted in the SuperBlob is refused alone", &alone.error());
  if (alone->length != cd.length || alone->cdhash != cd.cdhash || alone->code_slot_count != cd.code_slot_count ||
      alone->special_slot_count != cd.special_slot_count || alone->identifier != cd.identifier || alone->team_id != cd.team_id)
    fuzz::fail("CodeDirectory differs when parsed alone");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::SignatureRun run = fuzz::run_signature(data, size);
  const auto& sig = run.signature;
  const Bytes payload = run.payload;
  const std::uint64_t base = run.base;
  if (sig)
    for (const auto& cd : sig->code_directories) check_same_code_directory(cd, *sig);
  // The accepted signature's own CDs were just compared with their lone parse.
  const auto parsed = [&](std::uint32_t type) { return sig && sig->find_code_directory(type) != nullptr; };
  if (auto entries = fuzz::sb::raw_entries(payload)) {
    for (const auto& e : *entries) {
      if (e.blob.size() < 4 || fuzz::sb::load32(e.blob.data()) != codesign::kMagicCodeDirectory || parsed(e.type)) continue;
      const std::uint32_t slot = fuzz::is_code_directory_slot(e.type) ? e.type : codesign::kSlotCodeDirectory;
      check_lone_code_directory(e.blob, base + e.offset, slot);
    }
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  fuzz::sb::MutatorConfig config;
  config.raw = LLVMFuzzerMutate;  // null outside libFuzzer: the mutator flips a byte instead
  return fuzz::sb::mutate(data, size, max_size, seed, config);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                                                 std::size_t size2, std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed) {
  return fuzz::sb::cross_over(data1, size1, data2, size2, out, max_out_size, seed);
}

// Mach-O parse (thin, fat, fat64) under the strict/kernel-compatible flags the first byte
// picks, then for each slice: its views lie inside the input, parse_signature on its
// LC_CODE_SIGNATURE is checked whole, and verify_slice agrees with it.
#include "entsig/codesign.h"
#include "entsig/macho.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"
#include "fuzz_signature.h"

using namespace entsig;

namespace {

void check_slice(const macho::Slice& slice, std::size_t index, Bytes input, const Limits& limits) {
  if (!fuzz::within(slice.data, input) || slice.data.size() != slice.size ||
      slice.data.data() != input.data() + slice.offset)
    fuzz::fail("slice bytes are not [offset, offset + size) of the input");
  for (const auto& seg : slice.segments)
    fuzz::check_offset(seg.command_offset, 0, input.size(), "segment command outside the input");
  (void)slice.cpu_name();
  (void)slice.file_type_name();
  for (const auto& p : slice.platforms) (void)macho::platform_name(p.platform), (void)macho::format_version(p.minos);

  const codesign::SliceVerification verification = codesign::verify_slice(slice, index, limits);
  if (!slice.code_signature) {
    if (verification.status != codesign::SliceStatus::unsigned_) fuzz::fail("unsigned slice not reported unsigned");
    return;
  }
  const Bytes signature = slice.signature_bytes();
  if (!fuzz::within(signature, slice.data) || signature.size() != slice.code_signature->datasize ||
      slice.signature_offset() != slice.offset + slice.code_signature->dataoff)
    fuzz::fail("LC_CODE_SIGNATURE bytes are not [dataoff, dataoff + datasize) of the slice");

  auto sig = codesign::parse_signature(slice, limits);
  if (!sig) {
    fuzz::check_rejection(sig.error(), input.size());
    if (verification.status != codesign::SliceStatus::malformed || !verification.error ||
        verification.error->code != sig.error().code)
      fuzz::fail("verify_slice does not report the signature's parse error");
    return;
  }
  fuzz::check_signature(*sig, signature, slice.signature_offset());
  if (verification.status == codesign::SliceStatus::malformed || verification.status == codesign::SliceStatus::unsigned_)
    fuzz::fail("verify_slice rejects a signature that parses");
  if (verification.code_directories.size() != sig->code_directories.size())
    fuzz::fail("verify_slice skipped a CodeDirectory");
  bool all_ok = !sig->code_directories.empty();
  for (std::size_t i = 0; i < sig->code_directories.size(); ++i) {
    fuzz::check_verification(verification.code_directories[i], sig->code_directories[i]);
    all_ok = all_ok && verification.code_directories[i].ok();
  }
  if (all_ok != verification.valid()) fuzz::fail("slice status disagrees with its CodeDirectory checks");
  const codesign::CodeDirectory* best = sig->best_code_directory();
  if (best ? (verification.chosen_slot != best->slot || verification.cdhash != best->cdhash_hex())
           : verification.chosen_slot.has_value())
    fuzz::fail("verify_slice chose another CodeDirectory than best_code_directory");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const macho::ParseOptions options = fuzz::pick_macho_options(in.take_byte());
  const Limits limits = fuzz::pick_limits(in.take_byte());
  const Bytes input = in.rest();
  auto file = macho::parse(input, limits, options);
  if (!file) {
    fuzz::check_rejection(file.error(), input.size());
    return 0;
  }
  if (file->slices.empty() || file->data.data() != input.data()) fuzz::fail("parsed file has no slices");
  (void)macho::file_kind_name(file->kind);
  for (std::size_t i = 0; i < file->slices.size(); ++i) check_slice(file->slices[i], i, input, limits);
  return 0;
}

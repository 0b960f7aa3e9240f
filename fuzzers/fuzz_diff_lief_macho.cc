// Differential: our LC_CODE_SIGNATURE location per slice against LIEF 0.9's, on Mach-O
// files we accept (where LIEF parses them too). LIEF 0.9 throws on some inputs (caught:
// no comparison) and is not hardened, so it sees only files that passed our rules. The
// known differential: LIEF 0.9 reads big-endian (ppc) images unswapped, so it finds no
// load commands there (as tests/macho_lief_test.cc documents); it is counted and printed
// once; so is a slice where LIEF stopped reading load commands early (observed: a command
// it cannot parse ends its walk, silently). Any other difference aborts.
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include <LIEF/MachO.hpp>
#include <LIEF/logging.hpp>

#include "entsig/macho.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"

using namespace entsig;

namespace {

struct LiefSlice {
  std::uint32_t cpu_type = 0;
  std::size_t commands = 0;
  bool signed_ = false;
  std::uint32_t dataoff = 0, datasize = 0;
};

std::optional<std::vector<LiefSlice>> lief_read(Bytes input) {
  try {
    std::unique_ptr<LIEF::MachO::FatBinary> fat =
        LIEF::MachO::Parser::parse(std::vector<std::uint8_t>(input.begin(), input.end()), "fuzz",
                                   LIEF::MachO::ParserConfig::quick());
    if (!fat) return std::nullopt;
    std::vector<LiefSlice> out;
    for (std::size_t i = 0; i < fat->size(); ++i) {
      const LIEF::MachO::Binary& bin = fat->at(i);
      LiefSlice s;
      s.cpu_type = static_cast<std::uint32_t>(bin.header().cpu_type());
      s.commands = bin.commands().size();
      if (bin.has_code_signature()) {
        s.signed_ = true;
        s.dataoff = bin.code_signature().data_offset();
        s.datasize = bin.code_signature().data_size();
      }
      out.push_back(s);
    }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  LIEF::Logger::disable();  // LIEF 0.9 logs every oddity it meets
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const macho::ParseOptions options = fuzz::pick_macho_options(in.take_byte());
  const Bytes input = in.rest();
  auto ours = macho::parse(input, {}, options);
  if (!ours) {
    fuzz::check_rejection(ours.error(), input.size());
    return 0;
  }
  auto theirs = lief_read(input);
  if (!theirs) return 0;
  if (theirs->size() != ours->slices.size()) fuzz::fail("LIEF sees another number of slices");
  for (std::size_t i = 0; i < theirs->size(); ++i) {
    const macho::Slice& s = ours->slices[i];
    const LiefSlice& t = (*theirs)[i];
    if (s.endian == Endian::big) {
      fuzz::note_known_differential("diff_lief_macho", "LIEF 0.9 reads big-endian slices unswapped",
                                    "tests/macho_lief_test.cc");
      continue;
    }
    if (t.commands != s.ncmds) {
      fuzz::note_known_differential("diff_lief_macho", "LIEF 0.9 stopped reading load commands early",
                                    "observed; docs/fuzzing.md");
      continue;
    }
    if (s.cpu_type != t.cpu_type) fuzz::fail("LIEF reads another cputype");
    if (s.code_signature.has_value() != t.signed_) fuzz::fail("LIEF disagrees on LC_CODE_SIGNATURE presence");
    if (t.signed_ && (s.code_signature->dataoff != t.dataoff || s.code_signature->datasize != t.datasize))
      fuzz::fail("LIEF reads another LC_CODE_SIGNATURE location");
  }
  return 0;
}

// entsig conformance adapter for LIEF 0.9's Mach-O parser (conformance/ADAPTERS.md), for the
// macho area: which slices LIEF finds, their header fields and where LIEF says each slice's
// LC_CODE_SIGNATURE data lies.
//
//   entsig_adapter_lief --capabilities   name, version and areas, as JSON
//   entsig_adapter_lief macho            one Mach-O file on stdin: the summary on stdout, exit 0
//                                        when LIEF parses it, exit 1 when it rejects it
//
// LIEF 0.9 rejects by throwing a LIEF::exception or returning no binary; both are exit 1.
// Any other exception escaping its parser is what a caller of LIEF would see as a crash,
// and is reported as one (exit 3). Everything in the summary comes from LIEF's model
// (Binary::fat_offset, Header, CodeSignature) but two fields LIEF 0.9 does not keep: `kind`
// comes from the input's magic, and `size` from the fat_arch entry of the slice's index (the
// input's length for a thin file), since LIEF leaves original_size 0 for Mach-O.
#include <LIEF/MachO.hpp>
#include <LIEF/logging.hpp>
#include <LIEF/version.h>

#include <cstdint>
#include <exception>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;
namespace MachO = LIEF::MachO;

Json integer(std::uint64_t v) { return Json{{"type", "integer"}, {"value", std::to_string(v)}}; }
Json boolean(bool v) { return Json{{"type", "bool"}, {"value", v ? "true" : "false"}}; }
Json dict(Json entries) { return Json{{"type", "dict"}, {"value", std::move(entries)}}; }

std::uint64_t be(const std::vector<std::uint8_t>& in, std::size_t at, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes && at + i < in.size(); ++i) v = v << 8 | in[at + i];
  return v;
}

std::string kind_of(const std::vector<std::uint8_t>& input) {
  const std::uint64_t magic = be(input, 0, 4);
  return magic == 0xCAFEBABE ? "fat" : magic == 0xCAFEBABF ? "fat64" : "thin";
}

// The size field of fat_arch[index] (20-byte entries after the 8-byte fat header).
std::uint64_t slice_size(const std::vector<std::uint8_t>& input, std::size_t index) {
  if (kind_of(input) == "thin") return input.size();
  return be(input, 8 + 20 * index + 12, 4);
}

Json slice_summary(const MachO::Binary& bin, std::uint64_t size) {
  const MachO::Header& h = bin.header();
  const auto magic = static_cast<std::uint32_t>(h.magic());
  Json d = Json::object();
  d["offset"] = integer(bin.fat_offset());
  d["size"] = integer(size);
  d["cputype"] = integer(static_cast<std::uint32_t>(h.cpu_type()));
  d["cpusubtype"] = integer(h.cpu_subtype());
  d["filetype"] = integer(static_cast<std::uint32_t>(h.file_type()));
  d["ncmds"] = integer(h.nb_cmds());
  d["is_64"] = boolean(magic == 0xFEEDFACF || magic == 0xCFFAEDFE);
  // LIEF names the byte-swapped magics MH_CIGAM*: the file is big-endian.
  d["big_endian"] = boolean(magic == 0xCEFAEDFE || magic == 0xCFFAEDFE);
  if (bin.has_code_signature()) {
    const MachO::CodeSignature& cs = bin.code_signature();
    d["code_signature"] = dict(Json{{"dataoff", integer(cs.data_offset())}, {"datasize", integer(cs.data_size())}});
  }
  return dict(std::move(d));
}

int run_case() {
  std::vector<std::uint8_t> input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::unique_ptr<MachO::FatBinary> fat;
  try {
    fat = MachO::Parser::parse(input, "stdin", MachO::ParserConfig::quick());
  } catch (const LIEF::exception& e) {
    std::cerr << "LIEF: " << e.what() << "\n";
    return 1;
  }
  if (!fat || fat->size() == 0) {
    std::cerr << "LIEF: no binary\n";
    return 1;
  }
  Json slices = Json::array();
  for (std::size_t i = 0; i < fat->size(); ++i) slices.push_back(slice_summary(fat->at(i), slice_size(input, i)));
  const Json root = dict(Json{{"kind", Json{{"type", "string"}, {"value", kind_of(input)}}},
                              {"slices", Json{{"type", "array"}, {"value", std::move(slices)}}}});
  std::cout << root.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc == 2 ? argv[1] : "";
  if (arg == "--capabilities") {
    std::cout << R"({"name": "lief", "version": "LIEF )" LIEF_VERSION R"(", "areas": ["macho"], "batch": false})"
              << "\n";
    return 0;
  }
  if (arg != "macho") {
    std::cerr << "usage: entsig_adapter_lief --capabilities | macho\n";
    return 2;
  }
  LIEF::Logger::disable();  // LIEF 0.9 logs every oddity it meets on stderr
  try {
    return run_case();
  } catch (const std::exception& e) {
    std::cerr << "LIEF threw " << e.what() << "\n";
    return 3;
  }
}

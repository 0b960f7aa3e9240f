// The area table, built from conformance/areas.tsv.
#include "runner/area_internal.h"

namespace entsig::tools::conform {

const std::vector<AreaInfo>& area_table() {
  static const std::vector<AreaInfo> table = {
#define ENTSIG_AREA(name, reader, output, input) {name, output, input, &reader},
#include "area_table.inc"
#undef ENTSIG_AREA
  };
  return table;
}

const AreaInfo* find_area(std::string_view name) {
  for (const AreaInfo& a : area_table())
    if (a.name == name) return &a;
  return nullptr;
}

std::string_view output_name(AreaOutput output) {
  return output == AreaOutput::value ? "value" : "structure";
}

}  // namespace entsig::tools::conform

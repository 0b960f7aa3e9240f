// Which reader a structure area uses.
#include "runner/area_internal.h"

namespace entsig::tools::conform {

bool is_structure_area(std::string_view area) {
  return area == "superblob" || area == "code-directory" || area == "requirements" || area == "macho" ||
         area == "entitlements-policy";
}

AreaResult read_structure_area(std::string_view area, Bytes input, const StructurePreset& preset) {
  if (area == "superblob") return read_superblob_area(input);
  if (area == "code-directory") return read_code_directory_area(input);
  if (area == "requirements") return read_requirements_area(input);
  if (area == "macho") return read_macho_area(input, preset.macho);
  return read_policy_area(input);
}

}  // namespace entsig::tools::conform

// Shared by the structure-area readers (conform_area_*.cc).
#pragma once

#include "runner/areas.h"
#include "runner/tree.h"

namespace entsig::tools::conform {

inline AreaResult rejection(const Error& e) {
  AreaResult r;
  r.error_id = std::string(e.id());
  r.message = e.describe();
  r.internal = e.kind() == ErrorKind::internal;
  return r;
}

inline AreaResult acceptance(plist::Document doc) {
  AreaResult r;
  r.value = std::move(doc);
  return r;
}

AreaResult read_superblob_area(Bytes input);
AreaResult read_code_directory_area(Bytes input);
AreaResult read_requirements_area(Bytes input);
AreaResult read_macho_area(Bytes input, const macho::ParseOptions& options);
AreaResult read_policy_area(Bytes input);

}  // namespace entsig::tools::conform

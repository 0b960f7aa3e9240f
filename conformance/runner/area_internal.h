// Shared by the area readers (area_*.cc); each reader is named by its row in conformance/areas.tsv.
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

// One reader per row of the area table.
#define ENTSIG_AREA(name, reader, output, input) AreaResult reader(Bytes input_bytes, const AreaPreset& preset);
#include "area_table.inc"
#undef ENTSIG_AREA

}  // namespace entsig::tools::conform

// plist-xml, plist-binary and der-entitlements: the input read as a property list.
#include "runner/area_internal.h"

namespace entsig::tools::conform {
namespace {

AreaResult decided(Result<plist::Document> doc) {
  if (!doc) return rejection(doc.error());
  return acceptance(std::move(doc.value()));
}

}  // namespace

AreaResult read_plist_xml_area(Bytes input, const AreaPreset& preset) {
  return decided(plist::read_xml(input, preset.plist.xml, preset.plist.limits));
}

AreaResult read_plist_binary_area(Bytes input, const AreaPreset& preset) {
  return decided(plist::read_binary(input, preset.plist.binary, preset.plist.limits));
}

AreaResult read_der_entitlements_area(Bytes input, const AreaPreset& preset) {
  return decided(der::read_der(input, preset.der, preset.plist.limits));
}

}  // namespace entsig::tools::conform

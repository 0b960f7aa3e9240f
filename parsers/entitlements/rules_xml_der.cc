// xml-der-mismatch: every difference between the two blobs is a finding with its key path.
// When there are more than the comparison reports, a last finding says so.
#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {

void check_xml_der(const plist::Value& xml, const plist::Value& der, std::vector<Finding>& out) {
  const Comparison comparison = compare_xml_der(xml, der);
  for (const auto& d : comparison.differences)
    out.push_back(make_finding(rule::kXmlDerMismatch, d.path, describe(d) + "; the OS reads the DER"));
  if (comparison.truncated)
    out.push_back(make_finding(rule::kXmlDerMismatch, "",
                               "more than " + std::to_string(kDefaultMaxDifferences) +
                                   " differences between the XML and DER blobs; the rest are not listed"));
}

}  // namespace entsig::entitlements

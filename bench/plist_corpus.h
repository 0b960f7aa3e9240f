// Inputs for the plist benchmark: a generated entitlements-like XML plist of a chosen size,
// and the real-world plists from ../shared/realworld when present.
#pragma once

#include <string>
#include <vector>

namespace entsig::bench {

// A dict of "profiles", each an entitlements dict (booleans, app groups, keychain groups,
// integers, small data), grown until the text reaches `target_bytes`.
std::string generate_entitlements_xml(std::size_t target_bytes);

struct NamedInput {
  std::string name;
  std::string bytes;
};

// Every file under <shared>/realworld/{entitlements,plists} whose first bytes say `xml`
// ('<') or `binary` ("bplist00").
std::vector<NamedInput> load_realworld(const std::string& shared_dir, bool binary);

}  // namespace entsig::bench

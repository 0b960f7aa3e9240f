// Rules on the values themselves: false Booleans (false-value), values of the wrong type for
// a known key (non-boolean, wrong-type), and keys a small typo away from a known one
// (unknown-key). Only top-level keys are entitlements; nested values are their contents.
#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {
namespace {

// Two edits catch a dropped, doubled or swapped character and a wrong letter or two, and
// stay far below the distance between any two catalogue keys.
constexpr std::size_t kMaxTypoDistance = 2;

std::string with_article(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiouAEIOU").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

}  // namespace

void check_false_values(const plist::Value& root, std::vector<Finding>& out) {
  for (const auto& entry : root.as_dict()) {
    if (!entry.value.is(plist::Type::boolean) || entry.value.as_bool()) continue;
    out.push_back(make_finding(rule::kFalseValue, std::string(entry.key),
                               display_key(entry.key) +
                                   " is false; Boolean entitlements default to false, so leave it out"));
  }
}

void check_types(const plist::Value& root, std::vector<Finding>& out) {
  for (const auto& entry : root.as_dict()) {
    const KnownEntitlement* known = find_known(entry.key);
    if (!known || has_type(entry.value, known->type)) continue;
    const std::string shown = display_key(entry.key) + " holds " + value_summary(entry.value);
    if (known->type == ValueType::boolean)
      out.push_back(make_finding(rule::kNonBoolean, std::string(entry.key),
                                 shown + ", not a Boolean; only true grants this entitlement"));
    else
      out.push_back(make_finding(rule::kWrongType, std::string(entry.key),
                                 shown + "; the entitlement takes " + with_article(value_type_name(known->type))));
  }
}

void check_unknown_keys(const plist::Value& root, std::vector<Finding>& out) {
  for (const auto& entry : root.as_dict()) {
    if (find_known(entry.key)) continue;
    const KnownEntitlement* nearest = nullptr;
    std::size_t best = kMaxTypoDistance + 1;
    for (const auto& known : catalogue()) {
      const std::size_t d = edit_distance_at_most(entry.key, known.key, kMaxTypoDistance);
      if (d < best) {
        best = d;
        nearest = &known;
      }
    }
    if (!nearest) continue;
    out.push_back(make_finding(rule::kUnknownKey, std::string(entry.key),
                               display_key(entry.key) + " is not a known entitlement; did you mean " +
                                   std::string(nearest->key) + "?"));
  }
}

}  // namespace entsig::entitlements

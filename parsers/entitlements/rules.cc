// The rules engine: runs each rule group over the effective entitlements (the DER when both
// blobs exist) and the context, then orders findings by rule.
#include <algorithm>

#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {
namespace {

std::size_t rule_index(std::string_view id) {
  const auto rules = all_rules();
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].id == id) return i;
  return rules.size();
}

}  // namespace

bool is_true(const plist::Value& root, std::string_view key) {
  const plist::Value* v = root.find(key);
  return v && v->is(plist::Type::boolean) && v->as_bool();
}

std::vector<Finding> check(const Subject& subject, const Context& context) {
  std::vector<Finding> out;
  const plist::Value* root = subject.effective();
  const bool have_dict = root && root->is(plist::Type::dict);
  if (have_dict) {
    check_false_values(*root, out);
    check_types(*root, out);
    check_library(*root, context, out);
    check_system_extension(*root, context, out);
  }
  check_runtime(context, out);
  if (have_dict) {
    check_exceptions(*root, out);
    check_unknown_keys(*root, out);
  }
  if (subject.xml && subject.der) check_xml_der(*subject.xml, *subject.der, out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return rule_index(a.rule) < rule_index(b.rule);
  });
  return out;
}

std::vector<Finding> check(const plist::Value& entitlements, const Context& context) {
  return check(Subject{&entitlements, nullptr}, context);
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::unknown: return "unknown";
    case Kind::app: return "app";
    case Kind::library: return "library";
    case Kind::plugin: return "plugin";
    case Kind::sysext: return "sysext";
    case Kind::dext: return "dext";
  }
  return "unknown";
}

std::optional<Kind> kind_from_name(std::string_view name) {
  for (Kind k : {Kind::unknown, Kind::app, Kind::library, Kind::plugin, Kind::sysext, Kind::dext})
    if (kind_name(k) == name) return k;
  return std::nullopt;
}

}  // namespace entsig::entitlements

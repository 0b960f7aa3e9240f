// entitlements-policy: an XML plist holding a context and an entitlements value; the
// findings of entsig's rules (docs/entitlements-rules.md) as conformance/ADAPTERS.md
// ("Structure areas") says.
#include "runner/area_internal.h"
#include "entsig/entitlements.h"

namespace entsig::tools::conform {
namespace {

namespace ent = entsig::entitlements;

AreaResult input_error(std::string id, std::string message) {
  AreaResult r;
  r.error_id = std::move(id);
  r.message = std::move(message);
  return r;
}

// Fills `context` from the case's "context" dict; returns an error message or "".
std::string read_context(const plist::Value& v, ent::Context& context) {
  if (!v.is(plist::Type::dict)) return "\"context\" is not a dict";
  for (const plist::DictEntry& e : v.as_dict()) {
    if (e.key == "kind") {
      std::optional<ent::Kind> kind = e.value.is(plist::Type::string) ? ent::kind_from_name(e.value.as_string()) : std::nullopt;
      if (!kind) return "\"kind\" is not one of app, library, plugin, sysext, dext, unknown";
      context.kind = *kind;
    } else if (e.key == "hardened_runtime" && e.value.is(plist::Type::boolean)) {
      context.hardened_runtime = e.value.as_bool();
    } else if (e.key == "platform" && e.value.is(plist::Type::string) &&
               (e.value.as_string() == "macos" || e.value.as_string() == "other")) {
      context.platform = e.value.as_string() == "macos" ? ent::Platform::macos : ent::Platform::other;
    } else if (e.key == "platform_binary" && e.value.is(plist::Type::boolean)) {
      context.platform_binary = e.value.as_bool();
    } else {
      return "context key \"" + std::string(e.key) + "\" is unknown or has the wrong type";
    }
  }
  return {};
}

}  // namespace

AreaResult read_policy_area(Bytes input, const AreaPreset&) {
  Result<plist::Document> doc = plist::read_xml(input);
  if (!doc) return rejection(doc.error());
  const plist::Value& root = doc->root();
  const plist::Value* context_value = root.is(plist::Type::dict) ? root.find("context") : nullptr;
  const plist::Value* entitlements = root.is(plist::Type::dict) ? root.find("entitlements") : nullptr;
  if (!context_value || !entitlements)
    return input_error("conform.policy.shape", "the case is not a dict with \"context\" and \"entitlements\"");
  ent::Context context;
  if (std::string why = read_context(*context_value, context); !why.empty())
    return input_error("conform.policy.context", why);
  Tree t;
  std::vector<plist::Value> findings;
  for (const ent::Finding& f : ent::check(*entitlements, context))
    findings.push_back(t.dict()
                           .add("rule", t.str(f.rule))
                           .add("severity", t.str(ent::severity_name(f.severity)))
                           .add("key", t.str(f.key))
                           .done());
  return acceptance(t.take(t.array(findings)));
}

}  // namespace entsig::tools::conform

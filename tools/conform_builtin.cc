// Built-in conformance adapters: entsig's own readers, called in process (no subprocess, so
// no timeout either; every entsig parse is bounded by its Limits).
#include <chrono>

#include "conform_adapters.h"
#include "conform_cases.h"
#include "entsig/der.h"

namespace entsig::tools::conform {
namespace {

struct Preset {
  plist::ReadOptions plist;
  der::DerOptions der;
};

class BuiltinSession : public AdapterSession {
 public:
  explicit BuiltinSession(const Preset& preset) : preset_(preset) {}

  Observation run(const std::string& area, const std::string&, std::string_view input) override {
    const auto start = std::chrono::steady_clock::now();
    const Bytes bytes = as_bytes(input);
    Result<plist::Document> doc = area == "plist-xml"      ? plist::read_xml(bytes, preset_.plist.xml, preset_.plist.limits)
                                  : area == "plist-binary" ? plist::read_binary(bytes, preset_.plist.binary, preset_.plist.limits)
                                                           : der::read_der(bytes, preset_.der, preset_.plist.limits);
    Observation o;
    if (doc) {
      o.kind = Observation::Kind::accepted;
      o.output = plist::write_tagged_json(doc->root());
      o.value = std::move(doc.value());
    } else {
      // An internal error is a bug of ours, not a rejection.
      o.kind = doc.error().kind() == ErrorKind::internal ? Observation::Kind::crashed : Observation::Kind::rejected;
      o.error_id = std::string(doc.error().id());
      o.message = doc.error().describe();
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return o;
  }

 private:
  const Preset& preset_;
};

class BuiltinAdapter : public Adapter {
 public:
  BuiltinAdapter(std::string name, std::string profile, std::string description, Preset preset)
      : name_(std::move(name)), profile_(std::move(profile)), description_(std::move(description)),
        preset_(std::move(preset)) {}

  const std::string& name() const override { return name_; }
  std::string kind() const override { return "builtin"; }
  std::string description() const override { return description_; }
  bool supports(const std::string& area) const override {
    return area == "plist-xml" || area == "plist-binary" || area == "der-entitlements";
  }
  std::string profile() const override { return profile_; }
  bool reports_error_ids() const override { return true; }
  std::unique_ptr<AdapterSession> open_session() const override { return std::make_unique<BuiltinSession>(preset_); }

 private:
  std::string name_, profile_, description_;
  Preset preset_;
};

}  // namespace

std::vector<std::string> builtin_adapter_names() { return {"entsig", "entsig-cf"}; }

std::unique_ptr<Adapter> make_builtin_adapter(std::string_view name) {
  if (name == "entsig")
    return std::make_unique<BuiltinAdapter>("entsig", "", "in process, strict presets",
                                            Preset{plist::ReadOptions::strict(), der::DerOptions::strict()});
  if (name == "entsig-cf")
    return std::make_unique<BuiltinAdapter>(
        "entsig-cf", "cf", "in process, ReadOptions::cf_compat() and DerOptions::lenient()",
        Preset{plist::ReadOptions::cf_compat(), der::DerOptions::lenient()});
  return nullptr;
}

}  // namespace entsig::tools::conform

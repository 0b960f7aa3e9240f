// Built-in conformance adapters: entsig's own readers, called in process (no subprocess, so
// no timeout either; every entsig parse is bounded by its Limits).
#include <chrono>

#include "runner/adapters.h"
#include "runner/area_internal.h"
#include "runner/cases.h"
#include "entsig/der.h"

#ifndef ENTSIG_VERSION
#define ENTSIG_VERSION "unknown"
#endif

namespace entsig::tools::conform {
namespace {

struct Preset {
  plist::ReadOptions plist;
  der::DerOptions der;
  StructurePreset structure;
};

// The plist and DER areas: the input read as a property list.
Result<plist::Document> read_value_area(const std::string& area, Bytes bytes, const Preset& preset) {
  if (area == "plist-xml") return plist::read_xml(bytes, preset.plist.xml, preset.plist.limits);
  if (area == "plist-binary") return plist::read_binary(bytes, preset.plist.binary, preset.plist.limits);
  return der::read_der(bytes, preset.der, preset.plist.limits);
}

class BuiltinSession : public AdapterSession {
 public:
  explicit BuiltinSession(const Preset& preset) : preset_(preset) {}

  Observation run(const std::string& area, const std::string&, std::string_view input) override {
    const auto start = std::chrono::steady_clock::now();
    const Bytes bytes = as_bytes(input);
    AreaResult r;
    if (is_structure_area(area)) {
      r = read_structure_area(area, bytes, preset_.structure);
    } else if (Result<plist::Document> doc = read_value_area(area, bytes, preset_)) {
      r = acceptance(std::move(doc.value()));
    } else {
      r = rejection(doc.error());
    }
    Observation o;
    if (r.value) {
      o.kind = Observation::Kind::accepted;
      auto json = plist::write_tagged_json(r.value->root());
      o.output = json ? std::move(*json) : json.error().describe();
      o.value = std::move(r.value);
    } else {
      // An internal error is a bug of ours, not a rejection.
      o.kind = r.internal ? Observation::Kind::crashed : Observation::Kind::rejected;
      o.error_id = std::move(r.error_id);
      o.message = std::move(r.message);
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
  std::string version() const override { return "entsig " ENTSIG_VERSION; }
  bool supports(const std::string& area) const override {
    return area == "plist-xml" || area == "plist-binary" || area == "der-entitlements" || is_structure_area(area);
  }
  std::string profile() const override { return profile_; }
  bool reports_error_ids() const override { return true; }
  std::unique_ptr<AdapterSession> open_session() const override { return std::make_unique<BuiltinSession>(preset_); }

 private:
  std::string name_, profile_, description_;
  Preset preset_;
};

// What XNU's parse_machfile accepts: unaligned load commands, fat_arch CPUs unchecked.
StructurePreset kernel_structure_preset() {
  StructurePreset p;
  p.macho.require_aligned_load_commands = false;
  p.macho.require_fat_cpu_match = false;
  return p;
}

}  // namespace

std::vector<std::string> builtin_adapter_names() { return {"entsig", "entsig-cf"}; }

std::unique_ptr<Adapter> make_builtin_adapter(std::string_view name) {
  if (name == "entsig")
    return std::make_unique<BuiltinAdapter>("entsig", "", "in process, strict presets",
                                            Preset{plist::ReadOptions::strict(), der::DerOptions::strict(), {}});
  if (name == "entsig-cf")
    return std::make_unique<BuiltinAdapter>(
        "entsig-cf", "cf", "in process, ReadOptions::cf_compat(), DerOptions::lenient(), XNU's Mach-O acceptance",
        Preset{plist::ReadOptions::cf_compat(), der::DerOptions::lenient(), kernel_structure_preset()});
  return nullptr;
}

}  // namespace entsig::tools::conform

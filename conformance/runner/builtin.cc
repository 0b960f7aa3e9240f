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

class BuiltinSession : public AdapterSession {
 public:
  explicit BuiltinSession(const AreaPreset& preset) : preset_(preset) {}

  Observation run(const std::string& area, const std::string&, std::string_view input) override {
    const auto start = std::chrono::steady_clock::now();
    const Bytes bytes = as_bytes(input);
    const AreaInfo* info = find_area(area);
    AreaResult r;
    if (info) {
      r = info->read(bytes, preset_);
    } else {
      r.error_id = "conform.area.unknown";  // not reached: supports() is asked first
      r.message = "no built-in reader for area " + area;
      r.internal = true;
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
  const AreaPreset& preset_;
};

class BuiltinAdapter : public Adapter {
 public:
  BuiltinAdapter(std::string name, std::string profile, std::string description, AreaPreset preset)
      : name_(std::move(name)), profile_(std::move(profile)), description_(std::move(description)),
        preset_(std::move(preset)) {}

  const std::string& name() const override { return name_; }
  std::string kind() const override { return "builtin"; }
  std::string description() const override { return description_; }
  std::string version() const override { return "entsig " ENTSIG_VERSION; }
  bool supports(const std::string& area) const override {
    return find_area(area) != nullptr;
  }
  std::string profile() const override { return profile_; }
  bool reports_error_ids() const override { return true; }
  std::unique_ptr<AdapterSession> open_session() const override { return std::make_unique<BuiltinSession>(preset_); }

 private:
  std::string name_, profile_, description_;
  AreaPreset preset_;
};

// What XNU's parse_machfile accepts: unaligned load commands, fat_arch CPUs unchecked.
macho::ParseOptions kernel_macho_options() {
  macho::ParseOptions o;
  o.require_aligned_load_commands = false;
  o.require_fat_cpu_match = false;
  return o;
}

}  // namespace

std::vector<std::string> builtin_adapter_names() { return {"entsig", "entsig-cf"}; }

std::unique_ptr<Adapter> make_builtin_adapter(std::string_view name) {
  if (name == "entsig")
    return std::make_unique<BuiltinAdapter>("entsig", "", "in process, strict presets",
                                            AreaPreset{plist::ReadOptions::strict(), der::DerOptions::strict(), {}});
  if (name == "entsig-cf")
    return std::make_unique<BuiltinAdapter>(
        "entsig-cf", "cf", "in process, ReadOptions::cf_compat(), DerOptions::lenient(), XNU's Mach-O acceptance",
        AreaPreset{plist::ReadOptions::cf_compat(), der::DerOptions::lenient(), kernel_macho_options()});
  return nullptr;
}

}  // namespace entsig::tools::conform

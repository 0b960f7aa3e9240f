// The entitlements policy check over any value tree, in any Kind x hardened-runtime context.
// The first byte picks the input form (plist, DER, DER blob, or a plist and a DER together as
// one signature's two blobs) and the platform, the second the kind and the hardened runtime
// (one context per run keeps exec/s up; the fuzzer reaches the others through that byte). The check must not crash, must
// report only registered rules, and a tree compared with itself has no differences.
#include <array>
#include <optional>

#include "entsig/entitlements.h"
#include "fuzz_helpers.h"

using namespace entsig;
namespace ent = entitlements;

namespace {

void check_findings(const std::vector<ent::Finding>& findings) {
  for (const auto& f : findings) {
    if (!ent::find_rule(f.rule)) fuzz::fail("finding names an unregistered rule");
    if (f.severity > ent::Severity::error) fuzz::fail("finding has an unknown severity");
  }
}

void check_self_comparison(const plist::Value& v) {
  if (!ent::compare_xml_der(v, v).equivalent()) fuzz::fail("a tree differs from itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const std::uint8_t context_choice = in.take_byte();
  // Bits 0-1: form; 2-3: platform; 4: platform binary; 5-6: DER strict / lenient / ldid.
  const std::uint8_t der_preset = (choice >> 5) & 3;
  const der::DerOptions der_options =
      der_preset == 0 ? der::DerOptions::strict() : der_preset == 1 ? der::DerOptions::lenient() : der::DerOptions::ldid();
  std::optional<Result<plist::Document>> xml, der;
  switch (choice & 3) {
    case 0: xml = plist::read_any(in.rest(), plist::ReadOptions::cf_compat()); break;
    case 1: der = der::read_der(in.rest(), der_options); break;
    case 2: der = ent::read_der_blob(in.rest(), der_options); break;
    default: {
      // Two blobs: a big-endian length, that many bytes of plist, then the DER.
      const std::size_t xml_size = (std::size_t{in.take_byte()} << 8) | in.take_byte();
      xml = plist::read_any(in.take(xml_size), plist::ReadOptions::cf_compat());
      der = der::read_der(in.rest(), der_options);
    }
  }
  ent::Subject subject;
  if (xml && *xml) subject.xml = &(*xml)->root();
  if (der && *der) subject.der = &(*der)->root();
  if (!subject.effective()) return 0;
  for (const plist::Value* v : {subject.xml, subject.der})
    if (v) check_self_comparison(*v);

  ent::Context context;
  context.platform = static_cast<ent::Platform>(((choice >> 2) & 3) % 3);
  context.platform_binary = choice & 0x10;
  constexpr std::array kinds{ent::Kind::unknown, ent::Kind::app,    ent::Kind::library,
                             ent::Kind::plugin,  ent::Kind::sysext, ent::Kind::dext};
  constexpr std::array<std::optional<bool>, 3> runtimes{std::nullopt, false, true};
  context.kind = kinds[context_choice % kinds.size()];
  context.hardened_runtime = runtimes[(context_choice / kinds.size()) % runtimes.size()];
  check_findings(ent::check(subject, context));
  check_findings(ent::check(*subject.effective(), context));
  return 0;
}

// Differential: one value tree, two encodings. The input is read as a plist (read_any) or
// as DER; what DER cannot hold is dropped; the rest is written with write_der and write_xml,
// both are read back strictly, and the two results must be plist::equivalent (to each other
// and to the tree written). Signatures carry entitlements both ways, and the OS reads the
// DER: an encoding pair that reads back differently is a finding. The read and both writes
// run under one amplification bound (fuzz_helpers.h BoundedRun); a write it stops ends the run.
#include <set>
#include <string_view>
#include <vector>

#include "entsig/der.h"
#include "entsig/plist.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"

using namespace entsig;

namespace {

// Text both encodings carry unchanged: UTF-8 (DER UTF8String) without U+0000 (XML).
bool text_ok(std::string_view s) {
  return !find_invalid_utf8(as_bytes(s)) && s.find('\0') == std::string_view::npos;
}

bool keep(const plist::Value& v) {
  switch (v.type()) {
    case plist::Type::dict:
    case plist::Type::array:
    case plist::Type::boolean: return true;
    case plist::Type::integer: return v.as_integer().fits_int64();
    case plist::Type::string: return text_ok(v.as_string());
    default: return false;  // data, real, date, uid: no DER form
  }
}

// A copy of `v` with only what DER can hold; duplicate keys keep their first entry. The
// recursion is bounded by the readers' depth limit (Limits::max_depth).
plist::Value prune(plist::Document& into, const plist::Value& v) {
  if (v.is(plist::Type::array)) {
    std::vector<plist::Value> items;
    for (const auto& item : v.as_array())
      if (keep(item)) items.push_back(prune(into, item));
    return into.array(items);
  }
  if (v.is(plist::Type::dict)) {
    std::vector<plist::DictEntry> entries;
    std::set<std::string_view> seen;
    for (const auto& e : v.as_dict())
      if (text_ok(e.key) && keep(e.value) && seen.insert(e.key).second)
        entries.push_back({into.intern(e.key), prune(into, e.value)});
    return into.dict(entries);
  }
  return plist::copy_value(into, v);
}

// Strict, except for what write_xml may emit for values DER holds: an empty key and a raw
// carriage return in text.
plist::XmlOptions xml_read_back() {
  plist::XmlOptions o = plist::XmlOptions::strict();
  o.allow_empty_key = true;
  o.allow_carriage_return = true;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Bytes payload = in.rest();
  fuzz::BoundedRun run(payload.size());
  auto doc = (choice & 1) ? der::read_der(payload, fuzz::pick_der_options(choice >> 1), run.budget())
                          : plist::read_any(payload, (choice & 2) ? plist::ReadOptions::cf_compat() : plist::ReadOptions::strict(),
                                            run.budget());
  if (!doc) return 0;  // the reader targets check rejections
  run.check_expanded();
  if (!doc->root().is(plist::Type::dict)) return 0;  // DER holds a dict root only
  plist::Document tree;
  tree.set_root(prune(tree, doc->root()));

  auto der_bytes = run.write([&](Budget& b) { return der::write_der(tree.root(), b); });
  if (!der_bytes && fuzz::is_budget_refusal(der_bytes.error())) return 0;
  if (!der_bytes) fuzz::fail("write_der rejects a value DER can hold", &der_bytes.error());
  if (auto s = plist::check_xml_writable(tree.root()); !s.ok()) fuzz::fail("write_xml cannot write a value DER can hold", &s.error());
  auto written_xml = run.write([&](Budget& b) { return plist::write_xml(tree.root(), b); });
  if (!written_xml) return 0;  // past the output budget: a limit, not a finding
  const std::string& xml = *written_xml;

  auto from_der = der::read_der(as_bytes(*der_bytes));
  if (!from_der) fuzz::fail("strict DER reader rejects write_der's output", &from_der.error());
  auto from_xml = plist::read_xml(as_bytes(xml), xml_read_back());
  if (!from_xml) fuzz::fail("XML reader rejects write_xml's output", &from_xml.error());
  if (!plist::equivalent(from_der->root(), from_xml->root())) fuzz::fail("XML and DER encodings read back differently");
  if (!plist::equivalent(tree.root(), from_der->root())) fuzz::fail("DER encoding changed the value");
  return 0;
}

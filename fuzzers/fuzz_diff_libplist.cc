// Differential: our XML/binary reader (strict or CF-compatible, first byte) against
// libplist 2.2 on the same bytes. Where both accept, the values must be equal; a known,
// documented differential (libplist_known.h) is counted and printed once per kind; any
// other disagreement aborts. libplist runs only on inputs we accept: what we reject has
// nothing to compare, and libplist 2.2 is neither hardened nor bounded (a bplist DAG
// takes it exponential time, plist-behaviours A2 #17). Our read runs under the amplification
// bound (fuzz_helpers.h BoundedRun), so libplist never sees a DAG that expands past it.
#include <cstdio>

#include <plist/plist.h>

#include "entsig/plist.h"
#include "fuzz_helpers.h"
#include "fuzz_options.h"
#include "libplist_compare.h"
#include "libplist_known.h"

using namespace entsig;

namespace {

[[noreturn]] void report_unexplained(const fuzz::Mismatch& m) {
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(m.theirs, &xml, &length);
  std::fprintf(stderr, "diff_libplist: %s differs at %s\n  ours: %s\n  libplist: %.*s\n", m.what.c_str(),
               m.path.empty() ? "the root" : m.path.c_str(), plist::write_tagged_json(*m.ours).value().c_str(),
               static_cast<int>(length), xml ? xml : "");
  plist_to_xml_free(xml);
  fuzz::fail("unexplained difference from libplist");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t choice = in.take_byte();
  const Bytes payload = in.rest();
  const plist::Format format = plist::detect_format(payload);
  if (format == plist::Format::unknown || payload.size() > UINT32_MAX) return 0;
  fuzz::BoundedRun run(payload.size());
  auto doc = format == plist::Format::xml ? plist::read_xml(payload, fuzz::pick_xml_options(choice), run.budget())
                                          : plist::read_binary(payload, fuzz::pick_binary_options(choice), run.budget());
  if (!doc) {
    fuzz::check_rejection(doc.error(), payload.size());
    return 0;
  }
  run.check_expanded();
  plist_t theirs = nullptr;
  const char* bytes = reinterpret_cast<const char*>(payload.data());
  if (format == plist::Format::xml)
    plist_from_xml(bytes, static_cast<uint32_t>(payload.size()), &theirs);
  else
    plist_from_bin(bytes, static_cast<uint32_t>(payload.size()), &theirs);
  if (!theirs) return 0;  // libplist rejects: nothing to compare
  if (auto m = fuzz::compare_with_libplist(doc->root(), theirs)) {
    if (const fuzz::KnownDifferential* k = fuzz::classify(*m, format, payload))
      fuzz::note_known_differential("diff_libplist", k->id, k->source);
    else
      report_unexplained(*m);
  }
  plist_free(theirs);
  return 0;
}

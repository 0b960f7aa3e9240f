// `entsig check` on an entitlements file: XML or binary plist, tagged JSON, or DER (raw or a
// 0xfade7172 blob). A bare file says nothing of what will carry it, so the kind is app unless
// --kind says otherwise, and the hardened runtime is unknown unless a flag says.
#include "check.h"
#include "document_input.h"

namespace entsig::tools::check {

namespace {

plist::ReadOptions read_options(const Limits& limits) {
  plist::ReadOptions options = plist::ReadOptions::strict();
  options.limits.max_input_bytes = limits.max_input_bytes;
  return options;
}

}  // namespace

std::optional<Error> reject_stream_early(Bytes head, const Limits& limits) {
  return reject_by_first_byte(head, read_options(limits), der::DerOptions::lenient());
}

Result<std::vector<entitlements::Finding>> check_entitlements_bytes(std::string_view bytes, const Overrides& overrides,
                                                                    const Limits& limits) {
  // DER is read leniently: check reports on what a signature says, conformance is convert's job.
  auto doc = read_document(bytes, read_options(limits), der::DerOptions::lenient());
  if (!doc) return doc.take_error();
  if (!doc->root().is(plist::Type::dict)) return make_error(ErrorCode::entitlements_root_not_dict, 0);
  entitlements::Context context;
  context.kind = overrides.kind.value_or(entitlements::Kind::app);
  context.hardened_runtime = overrides.hardened_runtime;
  return entitlements::check(doc->root(), context);
}

}  // namespace entsig::tools::check

// `entsig check` on a Mach-O: each signed slice is checked with the context read from it
// (file type, CS_RUNTIME, platform) and the entitlements from its signature, the DER preferred
// when both blobs are there, the two compared. Findings shared by every signed slice are
// reported once; the others name their slices.
#include <unordered_map>

#include "check.h"
#include "entsig/codesign.h"
#include "entsig/der.h"
#include "entsig/macho.h"

namespace entsig::tools::check {
namespace {

using entitlements::Finding;

// The entitlements blob in `slot` (XML 5, DER 7) as a value tree; nullopt when the slot is
// empty. Errors point into the file: the payload's offset is added to the reader's.
Result<std::optional<plist::Document>> read_blob(const codesign::Signature& signature, std::uint32_t slot,
                                                 const Limits& limits) {
  const codesign::Blob* blob = signature.find_blob(slot);
  if (!blob) return std::optional<plist::Document>();
  const std::uint64_t base = blob->file_offset + 8;
  auto doc = slot == codesign::kSlotEntitlements
                 ? plist::read_xml(blob->payload(), plist::XmlOptions::strict(), limits)
                 : der::read_der(blob->payload(), der::DerOptions::lenient(), limits);
  if (!doc) {
    Error e = doc.take_error();
    e.offset += base;
    return e;
  }
  if (!doc->root().is(plist::Type::dict)) return make_error(ErrorCode::entitlements_root_not_dict, base);
  return std::optional<plist::Document>(std::move(doc).value());
}

struct SliceFindings {
  std::string cpu;
  std::vector<Finding> findings;
};

Result<SliceFindings> check_slice(const macho::Slice& slice, const Overrides& overrides,
                                  std::optional<entitlements::Kind> bundle_kind, const Limits& limits) {
  auto signature = codesign::parse_signature(slice, limits);
  if (!signature) return signature.take_error();
  auto xml = read_blob(*signature, codesign::kSlotEntitlements, limits);
  if (!xml) return xml.take_error();
  auto der = read_blob(*signature, codesign::kSlotDerEntitlements, limits);
  if (!der) return der.take_error();
  entitlements::Context context = entitlements::context_for_slice(slice, &*signature);
  if (bundle_kind && context.kind == entitlements::Kind::app) context.kind = *bundle_kind;
  if (overrides.kind) context.kind = *overrides.kind;
  if (overrides.hardened_runtime) context.hardened_runtime = overrides.hardened_runtime;
  entitlements::Subject subject;
  if (*xml) subject.xml = &(*xml)->root();
  if (*der) subject.der = &(*der)->root();
  return SliceFindings{slice.cpu_name(), entitlements::check(subject, context)};
}

// Identity of a finding across slices (severity follows from rule and message).
std::string identity(const Finding& f) {
  std::string id(f.rule);
  id += '\0';
  id += f.key;
  id += '\0';
  id += f.message;
  return id;
}

// One list for the file, in first-seen order; a finding missing from some signed slice gets
// " [cpu, cpu]" naming the slices that have it. Hashing keeps wide inputs linear.
std::vector<Finding> merge(const std::vector<SliceFindings>& slices) {
  std::vector<Finding> out;
  std::vector<std::vector<std::size_t>> seen_in;  // slice indexes per finding
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t s = 0; s < slices.size(); ++s) {
    for (const auto& f : slices[s].findings) {
      auto [it, added] = index.try_emplace(identity(f), out.size());
      if (added) {
        out.push_back(f);
        seen_in.emplace_back();
      }
      auto& where = seen_in[it->second];
      if (where.empty() || where.back() != s) where.push_back(s);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (seen_in[i].size() == slices.size()) continue;
    std::string names;
    for (std::size_t s : seen_in[i]) names += (names.empty() ? "" : ", ") + slices[s].cpu;
    out[i].message += " [" + names + "]";
  }
  return out;
}

}  // namespace

Result<std::vector<Finding>> check_macho_bytes(Bytes bytes, const Overrides& overrides,
                                               std::optional<entitlements::Kind> bundle_kind, const Limits& limits) {
  auto file = macho::parse(bytes, limits);
  if (!file) return file.take_error();
  std::vector<SliceFindings> slices;
  for (const auto& slice : file->slices) {
    if (!slice.code_signature) continue;  // unsigned: there is no signature to check
    auto checked = check_slice(slice, overrides, bundle_kind, limits);
    if (!checked) return checked.take_error();
    slices.push_back(std::move(checked).value());
  }
  return merge(slices);
}

}  // namespace entsig::tools::check

// superblob, code-directory and requirements: the embedded signature, one CodeDirectory,
// and a requirement set, summarised as conformance/ADAPTERS.md ("Structure areas") says.
#include "runner/area_internal.h"
#include "entsig/codesign.h"
#include "entsig/requirements.h"

namespace entsig::tools::conform {

AreaResult read_superblob_area(Bytes input, const AreaPreset&) {
  Result<codesign::Signature> sig = codesign::parse_signature(input);
  if (!sig) return rejection(sig.error());
  Tree t;
  std::vector<plist::Value> blobs;
  for (const codesign::Blob& b : sig->blobs)
    blobs.push_back(t.dict()
                        .add("slot", t.num(b.slot))
                        .add("offset", t.num(b.offset))
                        .add("magic", t.num(b.magic))
                        .add("length", t.num(b.length))
                        .done());
  const plist::Value root = t.dict()
                                .add("magic", t.num(sig->magic))
                                .add("length", t.num(sig->length))
                                .add("count", t.num(sig->count))
                                .add("blobs", t.array(blobs))
                                .done();
  return acceptance(t.take(root));
}

AreaResult read_code_directory_area(Bytes input, const AreaPreset&) {
  Result<codesign::CodeDirectory> parsed = codesign::parse_code_directory(input, 0, codesign::kSlotCodeDirectory);
  if (!parsed) return rejection(parsed.error());
  const codesign::CodeDirectory& cd = *parsed;
  Tree t;
  Tree::Dict d = t.dict();
  d.add("version", t.num(cd.version))
      .add("flags", t.num(cd.flags))
      .add("hash_type", t.num(cd.hash_type))
      .add("hash_size", t.num(cd.hash_size))
      .add("page_size_log2", t.num(cd.page_size_log2))
      .add("platform", t.num(cd.platform))
      .add("special_slots", t.num(cd.special_slot_count))
      .add("code_slots", t.num(cd.code_slot_count))
      .add("code_limit", t.num(cd.code_limit()))
      .add("identifier", t.str(cd.identifier));
  if (cd.team_id) d.add("team_id", t.str(*cd.team_id));
  if (cd.version >= codesign::kCdVersionExecSeg)
    d.add("exec_seg_base", t.num(cd.exec_seg_base))
        .add("exec_seg_limit", t.num(cd.exec_seg_limit))
        .add("exec_seg_flags", t.num(cd.exec_seg_flags));
  if (cd.version >= codesign::kCdVersionRuntime) d.add("runtime", t.num(cd.runtime));
  d.add("cdhash", t.str(cd.cdhash_hex()));
  return acceptance(t.take(d.done()));
}

AreaResult read_requirements_area(Bytes input, const AreaPreset&) {
  Result<codesign::RequirementSet> set = codesign::parse_requirement_set(input);
  if (!set) return rejection(set.error());
  Tree t;
  std::vector<plist::Value> entries;
  for (const codesign::RequirementSetEntry& e : set->entries)
    entries.push_back(t.dict().add("type", t.num(e.type)).add("text", t.str(e.requirement.text)).done());
  return acceptance(t.take(t.array(entries)));
}

}  // namespace entsig::tools::conform

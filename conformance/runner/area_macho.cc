// macho: a thin or fat file, each slice's header fields and LC_CODE_SIGNATURE location, as
// conformance/ADAPTERS.md ("Structure areas") says.
#include "runner/area_internal.h"

namespace entsig::tools::conform {

AreaResult read_macho_area(Bytes input, const AreaPreset& preset) {
  Result<macho::File> file = macho::parse(input, {}, preset.macho);
  if (!file) return rejection(file.error());
  Tree t;
  std::vector<plist::Value> slices;
  for (const macho::Slice& s : file->slices) {
    Tree::Dict d = t.dict();
    d.add("offset", t.num(s.offset))
        .add("size", t.num(s.size))
        .add("cputype", t.num(s.cpu_type))
        .add("cpusubtype", t.num(s.cpu_subtype))
        .add("filetype", t.num(s.file_type))
        .add("ncmds", t.num(s.ncmds))
        .add("is_64", t.boolean(s.is_64))
        .add("big_endian", t.boolean(s.endian == Endian::big));
    if (s.code_signature)
      d.add("code_signature", t.dict()
                                  .add("dataoff", t.num(s.code_signature->dataoff))
                                  .add("datasize", t.num(s.code_signature->datasize))
                                  .done());
    slices.push_back(d.done());
  }
  const plist::Value root =
      t.dict().add("kind", t.str(macho::file_kind_name(file->kind))).add("slices", t.array(slices)).done();
  return acceptance(t.take(root));
}

}  // namespace entsig::tools::conform

// CodeDirectory mutations for fuzz_superblob_structured: a field set in place to a
// boundary value (every other byte kept, so offsets go stale on purpose), or a change of
// version, hash type, page size, counts, strings, scatter or flags followed by a consistent
// rebuild (build_cd), which reaches the checks that come after the layout rules.
#pragma once

#include "code_directory_model.h"
#include "superblob_mutations.h"

namespace entsig::fuzz::sb {

// A value worth trying for one CD field: its own special values (versions, hash types,
// page sizes) or a boundary relative to the blob length or the current value.
inline std::uint64_t cd_field_value(Rng& rng, const CdField& f, std::uint64_t current, std::uint64_t length) {
  const std::string_view name = f.name;
  if (name == "version" && rng.one_in(2))
    return rng.one_in(4) ? rng.pick<std::uint64_t>({0, 0x20000, 0x2f000, 0x2f001}) : kCdVersions[rng.below(std::size(kCdVersions))];
  if (name == "hashType" && rng.one_in(2)) return rng.below(6);
  if (name == "hashSize" && rng.one_in(2)) return rng.pick<std::uint64_t>({0, 19, 20, 21, 32, 48, 255});
  if (name == "pageSize" && rng.one_in(2)) return rng.pick<std::uint64_t>({0, 1, 11, 12, 13, 14, 16, 31, 32, 255});
  if (name == "linkageHashType" && rng.one_in(2)) return 1 + rng.below(4);
  return boundary_value(rng, current, length, f.width);
}

inline bool mutate_cd_field(Model& m, Rng& rng) {
  const int i = pick_cd(m, rng);
  if (i < 0) return false;
  ByteVec& b = m.entries[static_cast<std::size_t>(i)].bytes;
  const std::uint64_t version = load_be(b, 8, 4);
  // Mostly fields the version has; sometimes one it lacks (the parser must not read it).
  std::vector<const CdField*> fields;
  for (const CdField& f : kCdFields)
    if ((f.min_version <= version || rng.one_in(8)) && f.offset + f.width <= b.size()) fields.push_back(&f);
  if (fields.empty()) return false;
  const CdField& f = *fields[rng.below(fields.size())];
  return set_field(b, f, cd_field_value(rng, f, *get_field(b, f), b.size()));
}

// One change to the editable form of a CD, then a consistent rebuild in place.
inline bool rebuild_cd(Model& m, Rng& rng) {
  const int i = pick_cd(m, rng);
  if (i < 0) return false;
  Entry& e = m.entries[static_cast<std::size_t>(i)];
  auto cd = parse_cd(e.bytes);
  if (!cd) return false;
  const std::uint64_t page = std::uint64_t{1} << std::min<std::uint8_t>(cd->page_log2, 31);
  switch (rng.below(9)) {
    case 0: cd->version = kCdVersions[rng.below(std::size(kCdVersions))]; break;
    case 1: cd->hash_type = static_cast<std::uint8_t>(1 + rng.below(4)); break;
    case 2: cd->page_log2 = rng.pick<std::uint8_t>({1, 9, 12, 13, 14, 16, 20, 31}); break;
    case 3:  // the code limit at a page boundary: one slot more or less
      cd->code_limit = static_cast<std::uint32_t>(rng.pick<std::uint64_t>({1, page - 1, page, page + 1, 2 * page, 3 * page + 1}));
      cd->code_limit64 = 0;
      break;
    case 4: cd->special_count = static_cast<std::uint32_t>(rng.pick<std::uint64_t>({0, 1, 2, 5, 7, 11, 12, 20})); break;
    case 5:
      cd->identifier = rng.pick<const char*>({"", "a", "com.apple.fuzz", "\xff\xfe", "com.example.app.with.a.long.identifier"});
      break;
    case 6:
      if (rng.one_in(3)) cd->team.reset();
      else cd->team = rng.pick<const char*>({"", "ABCDE12345", "TEAM\xc3"});
      break;
    case 7: {  // a scatter vector: increasing, non-overlapping runs of pages
      cd->scatter.clear();
      std::uint32_t base = static_cast<std::uint32_t>(rng.below(3));
      for (std::uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k) {
        const std::uint32_t count = static_cast<std::uint32_t>(1 + rng.below(4));
        cd->scatter.emplace_back(count, base);
        base += count + static_cast<std::uint32_t>(rng.below(3));
      }
      if (cd->version < 0x20100) cd->version = 0x20100;
      break;
    }
    default:
      cd->flags = static_cast<std::uint32_t>(rng.pick<std::uint64_t>({0, 0x2, 0x10000, 0x20002, 0x12302, rng.next()}));
      cd->runtime = static_cast<std::uint32_t>(rng.pick<std::uint64_t>({0, 0x0a0e00, 0x0c0000}));
      cd->exec_seg[2] = rng.pick<std::uint64_t>({0, 1, 0x10, 0x40, 0x3f1});
      if (rng.one_in(3)) cd->code_limit64 = rng.pick<std::uint64_t>({0, cd->code_limit, std::uint64_t{cd->code_limit} + page});
      cd->platform = static_cast<std::uint8_t>(rng.below(3));
      break;
  }
  e.bytes = build_cd(std::move(*cd));
  e.stale_length = false;
  return true;
}

}  // namespace entsig::fuzz::sb

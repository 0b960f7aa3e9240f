// The structured mutations of fuzz_superblob_structured, one function each, on the model
// of superblob_model.h and code_directory_model.h. Each takes its randomness from one Rng,
// so a mutation is a function of (input, seed). A mutation returns false when it does not
// apply to the model (no CD to edit, no entry to drop); the driver then picks another.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>

#include "code_directory_model.h"
#include "superblob_model.h"

namespace entsig::fuzz::sb {

// libFuzzer's byte-level mutator (LLVMFuzzerMutate) or a stand-in: mutates data[0, size)
// in place within max_size and returns the new size.
using RawMutator = std::size_t (*)(std::uint8_t* data, std::size_t size, std::size_t max_size);

// splitmix64: a tiny generator whose sequence is the same on every platform (the standard
// distributions are not), so a seed names one mutation everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  template <typename T>
  T pick(std::initializer_list<T> values) {
    return *(values.begin() + below(values.size()));
  }

 private:
  std::uint64_t state_;
};

inline constexpr std::uint32_t kInterestingSlots[] = {0,      1,      2,      3,      4,       5,       6,
                                                      7,      8,      9,      10,     11,      12,      0x1000,
                                                      0x1001, 0x1002, 0x1003, 0x1004, 0x1005,  0x10000, 0x10001,
                                                      0x10002, 0xffffffff};
inline constexpr std::uint32_t kInterestingMagics[] = {0xfade0cc0, 0xfade0cc1, 0xfade0c02, 0xfade0c01, 0xfade0c00,
                                                       0xfade7171, 0xfade7172, 0xfade8181, 0xfade0b01, 0xfade0b02};

// A boundary value for a field of `width` bytes that describes something `length` long:
// 0, 1, all ones, length - 1, length, length + 1, or one step from the current value.
inline std::uint64_t boundary_value(Rng& rng, std::uint64_t current, std::uint64_t length, std::size_t width) {
  const std::uint64_t max = width >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * width)) - 1;
  const std::uint64_t v = rng.pick<std::uint64_t>({0, 1, max, length - 1, length, length + 1, current - 1,
                                                   current + 1, current * 2, max / 2 + 1});
  return v & max;
}

inline bool is_cd_slot(std::uint32_t type) { return type == 0 || (type >= 0x1000 && type < 0x1005); }

// Turns every alias into a copy of its target's bytes, before entries move or go.
inline void resolve_aliases(Model& m) {
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    Entry& e = m.entries[i];
    if (e.alias < 0) continue;
    if (static_cast<std::size_t>(e.alias) < i) e.bytes = m.entries[static_cast<std::size_t>(e.alias)].bytes;
    e.alias = -1;
  }
}

// Index of a random entry whose blob bytes satisfy `want`, or -1.
template <typename Pred>
int pick_entry(const Model& m, Rng& rng, Pred want) {
  std::vector<int> candidates;
  for (std::size_t i = 0; i < m.entries.size(); ++i)
    if (m.entries[i].alias < 0 && want(m.entries[i])) candidates.push_back(static_cast<int>(i));
  return candidates.empty() ? -1 : candidates[rng.below(candidates.size())];
}
inline int pick_cd(const Model& m, Rng& rng) {
  return pick_entry(m, rng, [](const Entry& e) { return e.magic() == kCodeDirectoryMagic && e.bytes.size() >= 44; });
}

// ---------------------------------------------------------------------------
// SuperBlob header and index

inline bool mutate_length_field(Model& m, Rng& rng) {
  std::uint64_t end = 0;
  layout_offsets(m, &end);
  const std::uint64_t index_end = kHeaderSize + kEntrySize * m.entries.size();
  m.length_field = static_cast<std::uint32_t>(
      rng.one_in(3) ? rng.pick<std::uint64_t>({11, 12, index_end - 1, index_end}) : boundary_value(rng, end, end, 4));
  return true;
}

inline bool mutate_count_field(Model& m, Rng& rng) {
  std::uint64_t end = 0;
  layout_offsets(m, &end);
  const std::uint64_t fit = (end - kHeaderSize) / kEntrySize;  // the most that pass the count rule
  m.count_field = static_cast<std::uint32_t>(
      rng.one_in(2) ? rng.pick<std::uint64_t>({0, fit, fit + 1, 0xffffffff}) : boundary_value(rng, m.entries.size(), m.entries.size(), 4));
  return true;
}

inline bool mutate_superblob_magic(Model& m, Rng& rng) {
  m.magic = rng.pick<std::uint32_t>({0xfade0cc1, 0xfade0b02, 0xfade0c02, 0xfade0cc0 ^ (1u << rng.below(32))});
  return true;
}

inline bool mutate_entry_type(Model& m, Rng& rng) {
  if (m.entries.empty()) return false;
  Entry& e = m.entries[rng.below(m.entries.size())];
  e.type = rng.one_in(8) ? static_cast<std::uint32_t>(rng.next()) : kInterestingSlots[rng.below(std::size(kInterestingSlots))];
  return true;
}

// Pins one entry's index offset to a boundary: inside the header or index (an index entry
// read as a blob header has a plausible length: its offset), the last bytes of the
// SuperBlob, past it, onto another blob or one byte into it.
inline bool mutate_entry_offset(Model& m, Rng& rng) {
  if (m.entries.empty()) return false;
  std::uint64_t end = 0;
  const auto at = layout_offsets(m, &end);
  const std::size_t i = rng.below(m.entries.size());
  const std::uint64_t index_end = kHeaderSize + kEntrySize * m.entries.size();
  const std::uint64_t other = at[rng.below(at.size())];
  Entry& e = m.entries[i];
  e.offset = static_cast<std::uint32_t>(rng.pick<std::uint64_t>(
      {0, 1, 8, kHeaderSize, kHeaderSize + kEntrySize, index_end - 1, index_end, end - 8, end - 7, end, end + 1, 0xffffffff, other, other + 1, other + 4,
       at[i] - 1, at[i] + 1}));
  e.pinned = true;
  // Slots with a required magic end the parse at the wrong bytes; a slot without one lets
  // the layout diagnostics (null entry, blob inside the index) see the offset.
  if (rng.one_in(3)) e.type = rng.pick<std::uint32_t>({1, 3, 4, 6, 12, 0x1005, 0x10001});
  return true;
}

inline bool duplicate_entry(Model& m, Rng& rng, bool allow_alias) {
  if (m.entries.empty() || m.entries.size() >= kMaxModelEntries) return false;
  resolve_aliases(m);
  const std::size_t i = rng.below(m.entries.size());
  Entry copy = m.entries[i];
  copy.pad.clear();
  // Half the time a second index entry for the same bytes (an overlap, so only when the
  // layout may be inconsistent), else a second copy; either in the same slot or another.
  if (allow_alias && rng.one_in(2)) copy.alias = static_cast<int>(i), copy.bytes.clear(), copy.pinned = false;
  if (rng.one_in(2)) copy.type = kInterestingSlots[rng.below(std::size(kInterestingSlots))];
  const std::size_t where = i + 1 + rng.below(m.entries.size() - i);
  m.entries.insert(m.entries.begin() + static_cast<std::ptrdiff_t>(where), std::move(copy));
  return true;
}

inline bool drop_entry(Model& m, Rng& rng) {
  if (m.entries.empty()) return false;
  resolve_aliases(m);
  m.entries.erase(m.entries.begin() + static_cast<std::ptrdiff_t>(rng.below(m.entries.size())));
  return true;
}

inline bool reorder_entries(Model& m, Rng& rng) {
  if (m.entries.size() < 2) return false;
  resolve_aliases(m);
  switch (rng.below(3)) {
    case 0: std::swap(m.entries[rng.below(m.entries.size())], m.entries[rng.below(m.entries.size())]); break;
    case 1: std::reverse(m.entries.begin(), m.entries.end()); break;
    default: std::rotate(m.entries.begin(), m.entries.begin() + 1, m.entries.end()); break;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Blobs

// Cuts a blob down or grows it (zeros, a copy of its own bytes, or random bytes); with
// stale_length its length field keeps the old size.
inline bool resize_blob(Model& m, Rng& rng, std::size_t budget) {
  const int i = pick_entry(m, rng, [](const Entry& e) { return !e.bytes.empty(); });
  if (i < 0) return false;
  ByteVec& b = m.entries[static_cast<std::size_t>(i)].bytes;
  const std::size_t n = b.size();
  std::size_t want = rng.pick<std::size_t>({8, 9, n - 1, n + 1, n / 2, n + 4, n + 8, n * 2, n + rng.below(256)});
  want = std::clamp<std::size_t>(want, 8, std::max<std::size_t>(8, std::min(budget, n * 2 + 256)));
  if (want > n) {
    const std::size_t extra = want - n;
    const int fill = static_cast<int>(rng.below(3));
    for (std::size_t k = 0; k < extra; ++k) {
      std::uint8_t v = 0;
      if (fill == 1 && n > kBlobHeaderSize) v = b[kBlobHeaderSize + k % (n - kBlobHeaderSize)];
      if (fill == 2) v = static_cast<std::uint8_t>(rng.next());
      b.push_back(v);
    }
  } else {
    b.resize(want);
  }
  return true;
}

inline bool mutate_blob_length_field(Model& m, Rng& rng) {
  const int i = pick_entry(m, rng, [](const Entry& e) { return e.bytes.size() >= kBlobHeaderSize; });
  if (i < 0) return false;
  Entry& e = m.entries[static_cast<std::size_t>(i)];
  store32(e.bytes.data() + 4, static_cast<std::uint32_t>(rng.one_in(3) ? rng.pick<std::uint64_t>({7, 8})
                                                                       : boundary_value(rng, e.bytes.size(), e.bytes.size(), 4)));
  e.stale_length = true;
  return true;
}

inline bool mutate_blob_magic(Model& m, Rng& rng) {
  const int i = pick_entry(m, rng, [](const Entry& e) { return e.bytes.size() >= 4; });
  if (i < 0) return false;
  store32(m.entries[static_cast<std::size_t>(i)].bytes.data(), kInterestingMagics[rng.below(std::size(kInterestingMagics))]);
  return true;
}

// Byte-level mutation of one blob's payload (its header stays), so plist, DER,
// requirement and CMS payloads are fuzzed inside an intact SuperBlob.
inline bool mutate_blob_payload(Model& m, Rng& rng, RawMutator raw, std::size_t budget) {
  const int i = pick_entry(m, rng, [](const Entry& e) { return e.bytes.size() >= kBlobHeaderSize; });
  if (i < 0 || raw == nullptr) return false;
  ByteVec& b = m.entries[static_cast<std::size_t>(i)].bytes;
  const std::size_t payload = b.size() - kBlobHeaderSize;
  const std::size_t max_payload = std::max(payload, std::min(budget, payload * 2 + 64));
  b.resize(kBlobHeaderSize + max_payload);
  b.resize(kBlobHeaderSize + raw(b.data() + kBlobHeaderSize, payload, max_payload));
  return true;
}

// A second CodeDirectory in a free alternate slot (0x1000..0x1004), a copy of an existing
// CD rebuilt with a hash type no other CD uses, placed after the last CD in the index.
inline bool add_alternate_cd(Model& m, Rng& rng) {
  if (m.entries.size() >= kMaxModelEntries) return false;
  const int source = pick_cd(m, rng);
  if (source < 0) return false;
  auto cd = parse_cd(m.entries[static_cast<std::size_t>(source)].bytes);
  if (!cd) return false;
  resolve_aliases(m);
  bool used_type[5] = {}, used_slot[5] = {};
  std::size_t last_cd = 0;
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    if (e.type >= 0x1000 && e.type < 0x1005) used_slot[e.type - 0x1000] = true;
    if (is_cd_slot(e.type) && e.magic() == kCodeDirectoryMagic && e.bytes.size() > 37) {
      if (e.bytes[37] >= 1 && e.bytes[37] <= 4) used_type[e.bytes[37]] = true;
      last_cd = i;
    }
  }
  std::vector<std::uint8_t> free_types;
  for (std::uint8_t t = 1; t <= 4; ++t)
    if (!used_type[t]) free_types.push_back(t);
  cd->hash_type = free_types.empty() ? static_cast<std::uint8_t>(1 + rng.below(4)) : free_types[rng.below(free_types.size())];
  Entry alt;
  alt.type = 0x1000 + static_cast<std::uint32_t>(rng.below(5));
  for (std::uint32_t k = 0; k < 5 && !rng.one_in(6); ++k)
    if (!used_slot[k]) {
      alt.type = 0x1000 + k;
      break;
    }
  alt.bytes = build_cd(*cd);
  const std::size_t where = rng.one_in(4) ? rng.below(m.entries.size() + 1) : last_cd + 1;
  m.entries.insert(m.entries.begin() + static_cast<std::ptrdiff_t>(std::min(where, m.entries.size())), std::move(alt));
  return true;
}

}  // namespace entsig::fuzz::sb

// The driver of fuzz_superblob_structured's LLVMFuzzerCustomMutator and
// LLVMFuzzerCustomCrossOver: parse the input into the model, apply one structured mutation
// picked by the seed, and serialise it with recomputed offsets or, now and then, with some
// offsets left stale. Inputs the model cannot hold go to the raw (byte-level) mutator,
// keeping the option bytes in front.
#pragma once

#include <cstring>

#include "code_directory_mutations.h"
#include "superblob_mutations.h"
#include "superblob_model.h"

namespace entsig::fuzz::sb {

enum class Mutation : std::uint8_t {
  length_field, count_field, superblob_magic, entry_type, entry_offset, duplicate_entry, drop_entry,
  reorder_entries, resize_blob, blob_length_field, blob_magic, blob_payload, add_alternate_cd, cd_field,
  rebuild_cd, option_bytes,
};
inline constexpr int kMutationCount = static_cast<int>(Mutation::option_bytes) + 1;

// Structured outputs grow past this only 512 bytes at a time.
inline constexpr std::size_t kSoftMaxSize = 8192;

struct MutatorConfig {
  RawMutator raw = nullptr;  // byte-level fallback; nullptr: flip one byte
  // Off: only layout-consistent outputs (for tests); on: sometimes stale offsets.
  bool allow_inconsistent = true;
};

// Mutations that move blobs, after which stale offsets are worth keeping now and then.
inline bool moves_blobs(Mutation k) {
  return k == Mutation::duplicate_entry || k == Mutation::drop_entry || k == Mutation::reorder_entries ||
         k == Mutation::resize_blob || k == Mutation::blob_payload || k == Mutation::add_alternate_cd ||
         k == Mutation::rebuild_cd;
}
// Mutations whose very point is a header, index or length that does not match the layout.
inline bool breaks_layout(Mutation k) {
  return k == Mutation::length_field || k == Mutation::count_field || k == Mutation::superblob_magic ||
         k == Mutation::entry_offset || k == Mutation::blob_length_field;
}

inline bool apply_mutation(Model& m, Mutation k, Rng& rng, const MutatorConfig& config, std::size_t budget) {
  const RawMutator raw = config.raw;
  switch (k) {
    case Mutation::length_field: return mutate_length_field(m, rng);
    case Mutation::count_field: return mutate_count_field(m, rng);
    case Mutation::superblob_magic: return mutate_superblob_magic(m, rng);
    case Mutation::entry_type: return mutate_entry_type(m, rng);
    case Mutation::entry_offset: return mutate_entry_offset(m, rng);
    case Mutation::duplicate_entry: return duplicate_entry(m, rng, config.allow_inconsistent);
    case Mutation::drop_entry: return drop_entry(m, rng);
    case Mutation::reorder_entries: return reorder_entries(m, rng);
    case Mutation::resize_blob: return resize_blob(m, rng, budget);
    case Mutation::blob_length_field: return mutate_blob_length_field(m, rng);
    case Mutation::blob_magic: return mutate_blob_magic(m, rng);
    case Mutation::blob_payload: return mutate_blob_payload(m, rng, raw, budget);
    case Mutation::add_alternate_cd: return add_alternate_cd(m, rng);
    case Mutation::cd_field: return mutate_cd_field(m, rng);
    case Mutation::rebuild_cd: return rebuild_cd(m, rng);
    case Mutation::option_bytes:  // a new option choice, rarely: the seeds all start with 0 0
      for (auto& b : m.prefix) b = static_cast<std::uint8_t>(rng.next());
      return true;
  }
  return false;
}

// Weights: CD edits and blob payloads most, the header fields that end the parse at once
// least (each of those is a single check).
inline Mutation pick_mutation(Rng& rng, bool allow_inconsistent) {
  static constexpr std::uint8_t kWeights[kMutationCount] = {2, 2, 1, 6, 4, 5, 4, 4, 5, 2, 2, 12, 6, 12, 14, 1};
  for (;;) {
    unsigned total = 0;
    for (auto w : kWeights) total += w;
    std::uint64_t r = rng.below(total);
    int k = 0;
    while (r >= kWeights[k]) r -= kWeights[k++];
    const auto kind = static_cast<Mutation>(k);
    if (allow_inconsistent || !breaks_layout(kind)) return kind;
  }
}

// The byte-level mutator on the payload after the option bytes.
inline std::size_t raw_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, Rng& rng, RawMutator raw) {
  size = std::min(size, max_size);
  const std::size_t keep = (size > kPrefixBytes && max_size > kPrefixBytes) ? kPrefixBytes : 0;
  if (raw) return keep + raw(data + keep, size - keep, max_size - keep);
  if (size == 0) {
    if (max_size == 0) return 0;
    data[0] = static_cast<std::uint8_t>(rng.next());
    return 1;
  }
  data[keep + rng.below(size - keep)] ^= static_cast<std::uint8_t>(1u << rng.below(8));
  return size;
}

// One structured mutation of `model`, serialised; nullopt when four picks in a row did not
// apply or came out larger than max_size.
inline std::optional<ByteVec> mutate_structured(const Model& model, Rng& rng, const MutatorConfig& config,
                                                std::size_t max_size) {
  std::uint64_t end = 0;
  layout_offsets(model, &end);
  const std::uint64_t size = model.prefix.size() + end + model.after.size();
  const std::size_t budget = max_size > size ? static_cast<std::size_t>(max_size - size) : 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    Model m = model;
    refresh_offsets(m);
    const Mutation kind = pick_mutation(rng, config.allow_inconsistent);
    if (!apply_mutation(m, kind, rng, config, budget + 64)) continue;
    // Stale offsets: the index still says where the blobs were before they moved.
    if (config.allow_inconsistent && moves_blobs(kind) && rng.one_in(6))
      for (auto& e : m.entries)
        if (rng.one_in(2)) e.pinned = true;
    ByteVec out = serialize(m);
    if (out.size() <= max_size && !out.empty()) return out;
  }
  return std::nullopt;
}

// One mutation of data[0, size) into data (at most max_size bytes); the same input, seed
// and raw mutator give the same output.
inline std::size_t mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                          const MutatorConfig& config = {}) {
  Rng rng(seed);
  auto model = parse_model({data, size});
  // libFuzzer's length control does not reach custom mutators: growth per step is capped
  // here instead, so inputs stay small and fast unless growing them pays.
  const std::size_t soft_max = std::min(max_size, std::max<std::size_t>(size + 512, kSoftMaxSize));
  // Byte-level havoc on structured inputs too, now and then: it finds what no model knows.
  if (model && !rng.one_in(10))
    if (auto out = mutate_structured(*model, rng, config, soft_max)) {
      std::memcpy(data, out->data(), out->size());
      return out->size();
    }
  return raw_mutate(data, size, max_size, rng, config.raw);
}

// Crossover: a blob of the second input replaces the blob of the same slot in the first,
// or joins it as a new entry. 0 (no output) when either input is not a SuperBlob.
inline std::size_t cross_over(const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2, std::size_t size2,
                              std::uint8_t* out, std::size_t max_out, unsigned seed) {
  Rng rng(seed);
  auto a = parse_model({data1, size1});
  auto b = parse_model({data2, size2});
  if (!a || !b) return 0;
  resolve_aliases(*b);
  const int from = pick_entry(*b, rng, [](const Entry& e) { return !e.bytes.empty(); });
  if (from < 0) return 0;
  resolve_aliases(*a);
  Entry donor = b->entries[static_cast<std::size_t>(from)];
  donor.pad.clear();
  donor.pinned = false;
  auto same = std::find_if(a->entries.begin(), a->entries.end(), [&](const Entry& e) { return e.type == donor.type; });
  if (same != a->entries.end() && !rng.one_in(3)) {
    *same = std::move(donor);
  } else if (a->entries.size() < kMaxModelEntries) {
    a->entries.insert(a->entries.begin() + static_cast<std::ptrdiff_t>(rng.below(a->entries.size() + 1)), std::move(donor));
  }
  const ByteVec bytes = serialize(*a);
  if (bytes.size() > max_out) return 0;
  std::memcpy(out, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace entsig::fuzz::sb

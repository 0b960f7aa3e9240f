// An editable model of a fuzz input that holds a SuperBlob, for the structure-aware
// mutator of fuzz_superblob_structured: the option bytes, the header, the index entries
// (type, offset) and each blob's bytes. serialize() lays the blobs out again in index order
// with offsets, count and lengths recomputed, except where an entry or field is pinned to
// a stale or deliberately wrong value. A sorted, non-overlapping SuperBlob (what signers
// write, padding and trailing bytes included) serialises back byte for byte.
//
// This is fuzzing scaffolding, not a parser: it accepts far more than parse_signature does
// and never decides what is valid.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace entsig::fuzz::sb {

using ByteVec = std::vector<std::uint8_t>;

inline constexpr std::uint32_t kSuperBlobMagic = 0xfade0cc0;
inline constexpr std::uint32_t kCodeDirectoryMagic = 0xfade0c02;
inline constexpr std::size_t kHeaderSize = 12;     // magic, length, count
inline constexpr std::size_t kEntrySize = 8;       // CS_BlobIndex: type, offset
inline constexpr std::size_t kBlobHeaderSize = 8;  // magic, length
// fuzz_superblob_structured reads two option bytes (as fuzz_superblob): they stay in front.
inline constexpr std::size_t kPrefixBytes = 2;
// More entries than this are not modelled (the raw mutator takes over): real signatures
// have fewer than a dozen, and the parser's count rules are reached with the count field.
inline constexpr std::uint32_t kMaxModelEntries = 64;

inline std::uint32_t load32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
inline void store32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
inline void append32(ByteVec& out, std::uint32_t v) {
  std::uint8_t b[4];
  store32(b, v);
  out.insert(out.end(), b, b + 4);
}

struct Entry {
  std::uint32_t type = 0;    // slot
  std::uint32_t offset = 0;  // as last parsed or laid out; written as is when pinned
  bool pinned = false;       // keep `offset` (stale, out of bounds or overlapping on purpose)
  bool stale_length = false; // keep the blob's own length field instead of its byte count
  int alias = -1;            // shares the bytes of that (earlier) entry: same offset, no copy
  ByteVec pad;               // bytes laid out before the blob (signers' alignment padding)
  ByteVec bytes;             // the blob, its 8-byte header included; empty for an alias

  std::uint32_t magic() const { return bytes.size() >= 4 ? load32(bytes.data()) : 0; }
};

struct Model {
  ByteVec prefix;  // the target's option bytes, never mutated as SuperBlob bytes
  std::uint32_t magic = kSuperBlobMagic;
  std::optional<std::uint32_t> length_field;  // written instead of the laid-out length
  std::optional<std::uint32_t> count_field;   // written instead of the number of entries
  std::vector<Entry> entries;                 // index order
  ByteVec trailer;                            // inside `length`, after the last blob
  ByteVec after;                              // past `length` (the rest of the input)
};

// One index entry as found in raw bytes, for walks that need no model.
struct RawEntry {
  std::uint32_t type;
  std::uint32_t offset;
  std::span<const std::uint8_t> blob;  // [offset, offset + clamped length), empty when out of range
};

// The index entries of a SuperBlob at the start of `payload`, with each blob's bytes
// clamped to the SuperBlob's length; nullopt when the header itself does not hold.
inline std::optional<std::vector<RawEntry>> raw_entries(std::span<const std::uint8_t> payload) {
  if (payload.size() < kHeaderSize || load32(payload.data()) != kSuperBlobMagic) return std::nullopt;
  const std::uint64_t length = load32(payload.data() + 4);
  const std::uint64_t count = load32(payload.data() + 8);
  if (length < kHeaderSize || length > payload.size()) return std::nullopt;
  if (count > (length - kHeaderSize) / kEntrySize || count > kMaxModelEntries) return std::nullopt;
  std::vector<RawEntry> out;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint8_t* e = payload.data() + kHeaderSize + i * kEntrySize;
    RawEntry r{load32(e), load32(e + 4), {}};
    if (std::uint64_t{r.offset} + kBlobHeaderSize <= length) {
      const std::uint64_t declared = load32(payload.data() + r.offset + 4);
      std::uint64_t n = declared < kBlobHeaderSize ? kBlobHeaderSize : declared;
      if (n > length - r.offset) n = length - r.offset;
      r.blob = payload.subspan(r.offset, static_cast<std::size_t>(n));
    }
    out.push_back(r);
  }
  return out;
}

// Builds the model of a fuzz input (option bytes, then a SuperBlob), or nullopt when the
// bytes after the option bytes are not shaped like one.
inline std::optional<Model> parse_model(std::span<const std::uint8_t> input) {
  if (input.size() < kPrefixBytes) return std::nullopt;
  const auto payload = input.subspan(kPrefixBytes);
  auto raw = raw_entries(payload);
  if (!raw) return std::nullopt;
  Model m;
  m.prefix.assign(input.begin(), input.begin() + kPrefixBytes);
  const std::uint32_t length = load32(payload.data() + 4);
  std::uint64_t cursor = kHeaderSize + raw->size() * kEntrySize;
  for (const RawEntry& r : *raw) {
    Entry e;
    e.type = r.type;
    e.offset = r.offset;
    for (std::size_t j = 0; j < m.entries.size(); ++j)
      if (m.entries[j].alias < 0 && !m.entries[j].bytes.empty() && m.entries[j].offset == r.offset) e.alias = static_cast<int>(j);
    if (e.alias < 0 && r.blob.empty()) e.pinned = true;  // out of range: only the offset is kept
    if (e.alias < 0 && !r.blob.empty()) {
      // A blob at or after the laid-out end keeps the gap as padding; one that overlaps
      // or comes earlier (unsorted) is copied, so the layout becomes tiled.
      if (r.offset >= cursor) {
        e.pad.assign(payload.begin() + static_cast<std::ptrdiff_t>(cursor), payload.begin() + r.offset);
        cursor = r.offset + r.blob.size();
      } else {
        cursor += r.blob.size();
      }
      e.bytes.assign(r.blob.begin(), r.blob.end());
      e.stale_length = load32(e.bytes.data() + 4) != e.bytes.size();
    }
    m.entries.push_back(std::move(e));
  }
  if (cursor < length)
    m.trailer.assign(payload.begin() + static_cast<std::ptrdiff_t>(cursor), payload.begin() + length);
  else if (cursor > length)
    m.length_field = length;  // copied overlaps made the layout longer: keep the old length
  m.after.assign(payload.begin() + length, payload.end());
  return m;
}

// Where each entry's blob lands when the model is laid out (pinned entries included: their
// bytes are laid out, only their index offset is stale); aliases take their target's.
inline std::vector<std::uint64_t> layout_offsets(const Model& m, std::uint64_t* end = nullptr) {
  std::vector<std::uint64_t> at(m.entries.size(), 0);
  std::uint64_t pos = kHeaderSize + m.entries.size() * kEntrySize;
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    if (e.alias >= 0 && static_cast<std::size_t>(e.alias) < i) {
      at[i] = at[static_cast<std::size_t>(e.alias)];
      continue;
    }
    pos += e.pad.size();
    at[i] = pos;
    pos += e.bytes.size();
  }
  if (end) *end = pos + m.trailer.size();
  return at;
}

// Writes each unpinned entry's laid-out offset into `offset`, so that a later mutation can
// pin entries to the offsets they had before it (stale offsets).
inline void refresh_offsets(Model& m) {
  const auto at = layout_offsets(m);
  for (std::size_t i = 0; i < m.entries.size(); ++i)
    if (!m.entries[i].pinned) m.entries[i].offset = static_cast<std::uint32_t>(at[i]);
}

// The fuzz input the model describes: option bytes, header, index, blobs, trailer, rest.
inline ByteVec serialize(const Model& m) {
  std::uint64_t end = 0;
  const auto at = layout_offsets(m, &end);
  ByteVec out(m.prefix);
  out.reserve(out.size() + end + m.after.size());
  append32(out, m.magic);
  append32(out, m.length_field.value_or(static_cast<std::uint32_t>(end)));
  append32(out, m.count_field.value_or(static_cast<std::uint32_t>(m.entries.size())));
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    append32(out, m.entries[i].type);
    append32(out, m.entries[i].pinned ? m.entries[i].offset : static_cast<std::uint32_t>(at[i]));
  }
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    if (e.alias >= 0 && static_cast<std::size_t>(e.alias) < i) continue;
    out.insert(out.end(), e.pad.begin(), e.pad.end());
    const std::size_t blob_at = out.size();
    out.insert(out.end(), e.bytes.begin(), e.bytes.end());
    if (!e.stale_length && e.bytes.size() >= kBlobHeaderSize)
      store32(out.data() + blob_at + 4, static_cast<std::uint32_t>(e.bytes.size()));
  }
  out.insert(out.end(), m.trailer.begin(), m.trailer.end());
  out.insert(out.end(), m.after.begin(), m.after.end());
  return out;
}

}  // namespace entsig::fuzz::sb

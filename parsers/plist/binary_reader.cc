// bplist00 reader: walks the object graph from the top object with an explicit stack (no
// recursion), decodes each object once and shares the result wherever it is referenced again
// (CF's immutable parse caches by offset the same way, L1179/L1758). Three things bound the
// walk: the objects on the current path (a reference back to one is a cycle, A2 #15), the
// nesting depth, and the size of the tree with shared objects expanded (a DAG of [x, x] arrays
// doubles per level: libplist takes > 60 s at 24 levels, A2 #17). The run Budget is charged the
// expanded bytes of every string, key and data at every reference; a shared container's total
// is kept with it, so a reference costs O(1) however large the subtree.
#include <cstring>
#include <new>

#include "binary_objects.h"
#include "binary_walk_state.h"

namespace entsig::plist {

BinaryOptions BinaryOptions::cf_compat() {
  BinaryOptions o;
  o.allow_duplicate_keys = true;
  o.allow_non_string_keys = true;
  o.allow_any_version_0 = true;
  o.allow_sets_as_arrays = true;
  o.allow_wide_int_truncation = true;
  // allow_trailer_gap stays off: CF requires the table to end at the trailer (L776-783).
  return o;
}

namespace {

using bplist::Frame;
using bplist::load_be;
using bplist::ObjectSlot;
using bplist::Scratch;

class Reader {
 public:
  Reader(Bytes input, const bplist::Trailer& trailer, const BinaryOptions& options,
         Budget& budget, Scratch& scratch)
      : trailer_(trailer),
        options_(options),
        limits_(budget.limits()),
        budget_(budget),
        objects_(input.first(static_cast<std::size_t>(trailer.table_offset))),
        table_(*Cursor(input).bytes_at(trailer.table_offset, trailer.object_count * trailer.offset_size)),
        decoder_(objects_, doc_, options),
        scratch_(scratch),
        stack_(scratch.stack),
        items_(scratch.items),
        entries_(scratch.entries),
        prints_(scratch.prints),
        keys_(scratch.keys) {}

  Result<Document> run();

 private:
  bool walk();
  bool open_container(std::uint64_t object, std::uint64_t offset, std::uint8_t marker);
  bool close_container();
  bool deliver(Frame& f, std::string_view key, std::uint64_t print, const Value& v,
               std::uint64_t expanded, std::uint32_t height);
  bool resolve_key(const Frame& f, std::uint64_t i, std::string_view& key, std::uint64_t& print);
  bool finish_dict(const Frame& f, Value& out);

  // Table entries and the offsets they hold were all checked by read_trailer.
  std::uint64_t offset_of(std::uint64_t object) const {
    return load_be(table_, static_cast<std::size_t>(object * trailer_.offset_size), trailer_.offset_size);
  }
  std::uint8_t marker_at(std::uint64_t offset) const {
    return objects_.data()[static_cast<std::size_t>(offset)];
  }
  bool is_done(const ObjectSlot& s) const { return s.mark == done_mark_; }
  bool is_on_path(const ObjectSlot& s) const { return s.mark == path_mark_; }
  static Value memo(const ObjectSlot& s) {
    Value v;
    std::memcpy(static_cast<void*>(&v), &s.value, sizeof(Value));
    return v;
  }
  void remember(ObjectSlot& s, const Value& v) {
    std::memcpy(&s.value, static_cast<const void*>(&v), sizeof(Value));
    s.mark = done_mark_;
    if (v.is(Type::string)) s.aux = bplist::key_fingerprint(v.as_string());
  }
  static bool is_container(const Value& v) { return v.is(Type::array) || v.is(Type::dict); }
  // A scalar's expanded bytes: its payload as the model holds it (UTF-8 text, raw data).
  static std::uint64_t payload_bytes(const Value& v) {
    if (v.is(Type::string)) return v.as_string().size();
    if (v.is(Type::data)) return v.as_data().size();
    return 0;
  }
  // Charges n expanded bytes for the object at `offset`.
  bool charge(std::uint64_t n, std::uint64_t offset) {
    if (n == 0) return true;
    Status s = budget_.charge_expanded(n, offset);
    if (s.ok()) [[likely]]
      return true;
    error_ = s.take_error();
    return false;
  }
  bool fail(ErrorCode code, std::uint64_t offset, std::string_view detail = {}) {
    error_ = make_error(code, offset, detail);
    return false;
  }
  bool fail_limit(ErrorCode code, std::uint64_t offset, std::string_view field, std::uint64_t limit) {
    error_ = limit_error(code, offset, field, limit);
    return false;
  }
  bool fail_decoder() {
    error_ = std::move(decoder_.error());
    return false;
  }

  const bplist::Trailer trailer_;
  const BinaryOptions& options_;
  const Limits& limits_;
  Budget& budget_;
  Document doc_;
  Cursor objects_;  // [0, table_offset): offsets are absolute
  Bytes table_;     // the offset table
  bplist::ObjectDecoder decoder_;

  Scratch& scratch_;
  ObjectSlot* slots_ = nullptr;  // scratch_.slots, object_count of them
  std::uint32_t path_mark_ = 0;
  std::uint32_t done_mark_ = 0;
  std::vector<Frame>& stack_;
  bplist::WorkList<Value>& items_;
  bplist::WorkList<DictEntry>& entries_;
  bplist::WorkList<std::uint64_t>& prints_;
  bplist::KeyScratch& keys_;
  Value root_;
  Error error_;
};

Result<Document> Reader::run() {
  const std::uint32_t generation = scratch_.prepare(trailer_.object_count);
  slots_ = scratch_.slots.get();
  path_mark_ = 2 * generation;
  done_mark_ = 2 * generation + 1;
  if (!walk()) return std::move(error_);
  doc_.set_root(root_);
  return std::move(doc_);
}

bool Reader::walk() {
  const std::uint64_t top = trailer_.top_object;
  const std::uint64_t top_offset = offset_of(top);
  const std::uint8_t top_marker = marker_at(top_offset);
  if (!bplist::is_container_marker(top_marker)) {
    if (limits_.max_expanded_nodes < 1)
      return fail_limit(ErrorCode::bplist_limit_expansion, top_offset, "max_expanded_nodes",
                        limits_.max_expanded_nodes);
    if (!decoder_.decode_scalar(top_offset, top_marker, root_)) return fail_decoder();
    return charge(payload_bytes(root_), top_offset);
  }
  if (!open_container(top, top_offset, top_marker)) return false;

  const unsigned ref_size = trailer_.ref_size;
  const std::uint64_t count = trailer_.object_count;
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    if (f.next == f.count) {
      if (!close_container()) return false;
      continue;
    }
    const std::uint64_t i = f.next;
    std::string_view key;
    std::uint64_t print = 0;
    if (f.is_dict && !resolve_key(f, i, key, print)) return false;
    const std::size_t at = static_cast<std::size_t>((f.is_dict ? f.count + i : i) * ref_size);
    const std::uint64_t ref = load_be(f.refs, at, ref_size);
    if (ref >= count)
      return fail(ErrorCode::bplist_object_ref_out_of_range, f.refs_offset + at,
                  "ref " + std::to_string(ref) + ", count " + std::to_string(count));
    ObjectSlot& slot = slots_[ref];
    if (is_done(slot)) {
      const Value v = memo(slot);
      if (!is_container(v)) {
        if (!charge(payload_bytes(v), offset_of(ref)) || !deliver(f, key, print, v, 1, 0)) return false;
        continue;
      }
      // A shared container sits at a new depth here: its whole height must still fit.
      if (stack_.size() + slot.height > limits_.max_depth)
        return fail_limit(ErrorCode::bplist_limit_depth, offset_of(ref), "max_depth",
                          limits_.max_depth);
      if (!charge(slot.bytes, offset_of(ref)) || !deliver(f, key, print, v, slot.aux, slot.height))
        return false;
      continue;
    }
    if (is_on_path(slot))
      return fail(ErrorCode::bplist_object_cycle, f.refs_offset + at,
                  "object " + std::to_string(ref) + " contains itself");
    const std::uint64_t offset = offset_of(ref);
    const std::uint8_t marker = marker_at(offset);
    if (bplist::is_container_marker(marker)) {
      f.pending_key = key;
      f.pending_print = print;
      if (!open_container(ref, offset, marker)) return false;  // invalidates f
      continue;
    }
    Value v;
    if (!decoder_.decode_scalar(offset, marker, v)) return fail_decoder();
    remember(slot, v);
    if (!charge(payload_bytes(v), offset) || !deliver(f, key, print, v, 1, 0)) return false;
  }
  return true;
}

bool Reader::open_container(std::uint64_t object, std::uint64_t offset, std::uint8_t marker) {
  // CF fails past _CFPropertyListMaxRecursionDepth (L1171; A2 #38).
  if (stack_.size() + 1 > limits_.max_depth)
    return fail_limit(ErrorCode::bplist_limit_depth, offset, "max_depth", limits_.max_depth);
  const std::uint8_t type = marker & 0xF0;
  // A set has no plist value; libplist reads it as an array (A2 #29 b50).
  if (type == bplist::kSet && !options_.allow_sets_as_arrays)
    return fail(ErrorCode::bplist_object_set, offset);
  const bool is_dict = type == bplist::kDict;
  const std::uint64_t unit = is_dict ? 2ull * trailer_.ref_size : trailer_.ref_size;
  std::uint64_t count = 0, payload = 0;
  if (!decoder_.read_count(offset, marker, unit, count, payload)) return fail_decoder();
  Frame f;
  f.object = object;
  f.offset = offset;
  f.refs = decoder_.checked_bytes(payload, count * unit);
  f.refs_offset = payload;
  f.count = count;
  f.next = 0;
  f.expanded = 1;
  f.spent_at_open = budget_.expanded_bytes();
  f.height = 1;
  f.is_dict = is_dict;
  f.scratch_start = is_dict ? entries_.size() : items_.size();
  slots_[object].mark = path_mark_;
  stack_.push_back(f);
  return true;
}

// Key i of dict frame f: must be a string (CF accepts any non-collection key, L1719; libplist
// and go-plist only strings, A2 #24). With allow_non_string_keys a scalar key marks the entry
// to be dropped: the model's keys are strings, and no string lookup can reach such an entry.
bool Reader::resolve_key(const Frame& f, std::uint64_t i, std::string_view& key,
                         std::uint64_t& print) {
  const std::size_t at = static_cast<std::size_t>(i * trailer_.ref_size);
  const std::uint64_t ref_offset = f.refs_offset + at;
  const std::uint64_t ref = load_be(f.refs, at, trailer_.ref_size);
  if (ref >= trailer_.object_count)
    return fail(ErrorCode::bplist_object_ref_out_of_range, ref_offset,
                "key ref " + std::to_string(ref) + ", count " + std::to_string(trailer_.object_count));
  Value v;
  ObjectSlot& slot = slots_[ref];
  if (is_done(slot)) {
    v = memo(slot);
  } else {
    const std::uint64_t offset = offset_of(ref);
    const std::uint8_t marker = marker_at(offset);
    if (bplist::is_container_marker(marker))
      return fail(ErrorCode::bplist_dict_key_not_string, ref_offset, "key is a collection");
    if (!decoder_.decode_scalar(offset, marker, v)) return fail_decoder();
    remember(slot, v);
  }
  if (v.is(Type::string)) {
    key = v.as_string();
    print = slot.aux;
    return charge(key.size(), offset_of(ref));
  }
  if (is_container(v))
    return fail(ErrorCode::bplist_dict_key_not_string, ref_offset, "key is a collection");
  if (!options_.allow_non_string_keys)
    return fail(ErrorCode::bplist_dict_key_not_string, ref_offset,
                "key is a " + std::string(type_name(v.type())));
  key = bplist::kSkippedKey;
  return true;
}

// Hot: once per child. Inlined into the walk.
[[gnu::always_inline]] inline bool Reader::deliver(Frame& f, std::string_view key,
                                                   std::uint64_t print, const Value& v,
                                                   std::uint64_t expanded, std::uint32_t height) {
  // Keys count as nodes too: the expanded size is what a consumer walking the tree visits.
  const std::uint64_t added = f.is_dict ? expanded + 1 : expanded;
  if (__builtin_add_overflow(f.expanded, added, &f.expanded) ||
      f.expanded > limits_.max_expanded_nodes)
    return fail_limit(ErrorCode::bplist_limit_expansion, f.offset, "max_expanded_nodes",
                      limits_.max_expanded_nodes);
  if (height + 1 > f.height) f.height = height + 1;
  if (f.is_dict) {
    DictEntry& e = entries_.push();
    e.key = key;
    e.value = v;
    prints_.push(print);
  } else
    items_.push(v);
  ++f.next;
  return true;
}

bool Reader::close_container() {
  Frame& f = stack_.back();
  Value v;
  if (f.is_dict) {
    if (!finish_dict(f, v)) return false;
  } else {
    v = doc_.array(items_.from(f.scratch_start));
    items_.truncate(f.scratch_start);
  }
  ObjectSlot& slot = slots_[f.object];
  remember(slot, v);
  slot.aux = f.expanded;
  slot.bytes = budget_.expanded_bytes() - f.spent_at_open;
  slot.height = f.height;
  stack_.pop_back();
  if (stack_.empty()) {
    root_ = v;
    return true;
  }
  Frame& parent = stack_.back();
  return deliver(parent, parent.pending_key, parent.pending_print, v, slot.aux, slot.height);
}

bool Reader::finish_dict(const Frame& f, Value& out) {
  const std::span<DictEntry> entries = entries_.from(f.scratch_start);
  bool drop = false;
  const std::span<const std::uint64_t> prints = prints_.from(f.scratch_start);
  if (entries.size() > 1 && bplist::map_duplicate_keys(entries, prints, keys_)) {
    for (std::size_t j = 0; j < entries.size(); ++j) {
      const std::size_t first = keys_.first_of[j];
      if (first == j) continue;
      // Readers disagree on which value wins (A2 #23); with the flag the last value is kept,
      // in the place of the first key (plistlib's dict semantics).
      if (!options_.allow_duplicate_keys)
        return fail(ErrorCode::bplist_dict_duplicate_key, f.refs_offset + j * trailer_.ref_size,
                    "key \"" + std::string(entries[j].key) + "\"");
      entries[first].value = entries[j].value;
      entries[j].key = bplist::kSkippedKey;
      drop = true;
    }
  }
  if (!drop && options_.allow_non_string_keys)
    for (const DictEntry& e : entries) drop = drop || bplist::is_skipped_key(e.key);
  if (drop) {
    std::size_t kept = 0;
    for (const DictEntry& e : entries)
      if (!bplist::is_skipped_key(e.key)) entries[kept++] = e;
    out = doc_.dict(entries.first(kept));
  } else {
    out = doc_.dict(entries);
  }
  entries_.truncate(f.scratch_start);
  prints_.truncate(f.scratch_start);
  return true;
}

}  // namespace

Result<Document> read_binary(Bytes input, const BinaryOptions& options, const Limits& limits) {
  Budget budget(limits);
  return read_binary(input, options, budget);
}

Result<Document> read_binary(Bytes input, const BinaryOptions& options, Budget& budget) {
  const Limits& limits = budget.limits();
  if (input.size() > limits.max_input_bytes)
    return limit_error(ErrorCode::core_input_too_large, 0, "max_input_bytes", limits.max_input_bytes);
  try {
    auto trailer = bplist::read_trailer(input, options, limits);
    if (!trailer) return trailer.take_error();
    thread_local Scratch scratch;
    Reader reader(input, *trailer, options, budget, scratch);
    auto result = reader.run();
    scratch.release();
    return result;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, 0, "out of memory while reading a binary plist");
  }
}

}  // namespace entsig::plist

// Internal: what the binary reader's walk keeps per object and per open container, and the
// per-thread scratch that holds them between parses.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "binary_format.h"
#include "binary_work_list.h"

namespace entsig::plist::bplist {

// Finished values are kept in raw cells (Value is trivially copyable), so the per-object
// table needs no initialisation pass.
static_assert(std::is_trivially_copyable_v<Value>);
struct alignas(Value) ValueCell {
  unsigned char bytes[sizeof(Value)];
};

// What the walk knows about one object, in one place so a reference touches one cache line.
struct ObjectSlot {
  ValueCell value;         // valid when done
  // Containers: nodes of the expanded tree under it, itself included. Strings: the key
  // fingerprint, taken at decoding while the bytes are in cache, for the duplicate-key check.
  std::uint64_t aux;
  std::uint64_t bytes;     // containers: expanded bytes (core.h Budget) under it, charged again per reference
  std::uint32_t height;    // containers: containers on the longest path down, itself included
  std::uint32_t mark;      // 2g: on the current path, 2g + 1: done (g: this parse's generation)
};

// An array or dictionary whose children are being read.
struct Frame {
  std::uint64_t object;       // index in the offset table
  std::uint64_t offset;       // marker offset
  Bytes refs;                 // refs (array) or key refs then value refs (dict)
  std::uint64_t refs_offset;  // offset of refs[0]
  std::uint64_t count;        // elements, or entries of a dict
  std::uint64_t next;         // next child to read
  std::uint64_t expanded;     // nodes so far in the expanded tree under this one, itself included
  std::uint64_t spent_at_open;  // the budget's expanded bytes when it was opened
  std::uint32_t height;       // containers on the longest path down, itself included
  bool is_dict;
  std::string_view pending_key;  // key of the entry whose value is an open child container
  std::uint64_t pending_print = 0;  // and its fingerprint
  std::size_t scratch_start;     // first child in items_ / entries_
};

// Buffers a parse needs besides the document. Kept per thread between parses (up to
// kRetainBytes), so repeated parses neither fault fresh pages in nor clear the object table:
// marks from earlier parses belong to older generations and read as "unread".
struct Scratch {
  static constexpr std::size_t kRetainBytes = 32u << 20;

  std::unique_ptr<ObjectSlot[]> slots;
  std::size_t capacity = 0;
  std::uint32_t generation = 0;
  std::vector<Frame> stack;
  WorkList<Value> items;          // children of open arrays, innermost last
  WorkList<DictEntry> entries;    // entries of open dicts, innermost last
  WorkList<std::uint64_t> prints; // key_fingerprint of each entry in `entries`
  KeyScratch keys;

  // Slots for n objects, all unread, and empty work lists; returns this parse's generation.
  std::uint32_t prepare(std::uint64_t n) {
    stack.clear();  // also after a parse that ended in an exception
    items.clear();
    entries.clear();
    prints.clear();
    if (n > capacity) {
      slots.reset();
      capacity = 0;  // stays consistent if the allocation below throws
      slots = std::make_unique_for_overwrite<ObjectSlot[]>(n);
      capacity = n;
      for (std::size_t i = 0; i < n; ++i) slots[i].mark = 0;
      generation = 0;
    }
    if (++generation > 0x7FFFFFFE) {  // marks would wrap: start over
      for (std::size_t i = 0; i < capacity; ++i) slots[i].mark = 0;
      generation = 1;
    }
    return generation;
  }

  // Drops whatever is above the retention budget, and the references into the document.
  void release() {
    if (capacity * sizeof(ObjectSlot) > kRetainBytes) {
      slots.reset();
      capacity = 0;
    }
    stack.clear();
    if (stack.capacity() * sizeof(Frame) > kRetainBytes) stack.shrink_to_fit();
    items.trim(kRetainBytes);
    entries.trim(kRetainBytes);
    prints.trim(kRetainBytes);
  }
};

}  // namespace entsig::plist::bplist

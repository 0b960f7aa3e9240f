// Duplicate dictionary keys. Readers disagree on them (CF keeps the first, plistlib and go-plist
// the last, libplist keeps both entries: plist-behaviours A2 #23), so strict rejects them.
// Keys are found by fingerprint in an open-addressing table: on the stack for small dicts
// (entitlements have a dozen keys), on the heap with a per-process seed for large ones. If
// probing ever runs long (many equal prints), the dict is sorted instead, so no input can make
// the check quadratic.
#include <algorithm>
#include <chrono>

#include "binary_format.h"

namespace entsig::plist::bplist {
namespace {

constexpr std::size_t kSmallLimit = 16;

bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.data() == b.data() || a == b);
}

// Seeded once per process, so colliding slots cannot be prepared in advance.
std::uint64_t process_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    s ^= reinterpret_cast<std::uintptr_t>(&s);
    return s | 1;
  }();
  return seed;
}

// Sort entry indices by (key, index); the first of each run of equal keys is the original.
bool map_sorted(std::span<const DictEntry> entries, KeyScratch& s) {
  s.order.clear();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    s.first_of[i] = i;
    if (!is_skipped_key(entries[i].key)) s.order.push_back(i);
  }
  std::sort(s.order.begin(), s.order.end(), [&](std::size_t a, std::size_t b) {
    const int c = entries[a].key.compare(entries[b].key);
    return c != 0 ? c < 0 : a < b;
  });
  bool any = false;
  for (std::size_t k = 1; k < s.order.size(); ++k) {
    const std::size_t prev = s.order[k - 1], cur = s.order[k];
    if (same_key(entries[prev].key, entries[cur].key)) {
      s.first_of[cur] = s.first_of[prev];
      any = true;
    }
  }
  return any;
}

// Linear probing over `slots` (entry index + 1, 0 empty; size a power of two >= 2n). Returns
// nullopt when the probe budget runs out.
template <class Slot>
std::optional<bool> map_probed(std::span<const DictEntry> entries,
                               std::span<const std::uint64_t> prints, std::span<Slot> slots,
                               std::uint64_t seed, std::vector<std::size_t>& first_of) {
  const std::size_t mask = slots.size() - 1;
  const unsigned shift = 64 - static_cast<unsigned>(std::countr_zero(slots.size()));
  const std::size_t budget = 4 * entries.size() + 64;
  std::size_t probes = 0;
  bool any = false;
  for (std::size_t j = 0; j < entries.size(); ++j) {
    first_of[j] = j;
    const std::string_view key = entries[j].key;
    if (is_skipped_key(key)) continue;
    const std::uint64_t print = prints[j];
    std::size_t pos = static_cast<std::size_t>(((print ^ seed) * 0xBF58476D1CE4E5B9ull) >> shift);
    bool found = false;
    while (slots[pos] != 0) {
      const std::size_t i = slots[pos] - 1u;  // only first occurrences are in the table
      if (prints[i] == print && same_key(entries[i].key, key)) {
        first_of[j] = i;
        any = found = true;
        break;
      }
      pos = (pos + 1) & mask;
      if (++probes > budget) return std::nullopt;
    }
    if (!found) slots[pos] = static_cast<Slot>(j + 1);
  }
  return any;
}

}  // namespace

bool map_duplicate_keys(std::span<const DictEntry> entries, std::span<const std::uint64_t> prints,
                        KeyScratch& scratch) {
  const std::size_t n = entries.size();
  scratch.first_of.resize(n);
  std::optional<bool> result;
  if (n <= kSmallLimit) {
    std::uint8_t slots[64] = {};
    result = map_probed<std::uint8_t>(entries, prints, slots, 0, scratch.first_of);
  } else {
    std::size_t size = 64;
    while (size < 2 * n) size *= 2;
    scratch.slots.assign(size, 0);
    result = map_probed<std::size_t>(entries, prints, scratch.slots, process_seed(),
                                     scratch.first_of);
  }
  return result ? *result : map_sorted(entries, scratch);
}

}  // namespace entsig::plist::bplist

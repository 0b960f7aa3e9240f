// Bounded Levenshtein distance, for spotting misspelt entitlement keys. Only the diagonal band
// of width 2 * limit + 1 can hold distances within the limit, so only it is filled.
#include <algorithm>
#include <vector>

#include "internal.h"

namespace entsig::entitlements {

std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  const std::size_t over = limit + 1;
  if ((n > m ? n - m : m - n) > limit) return over;
  std::vector<std::size_t> prev(m + 1, over), cur(m + 1, over);
  for (std::size_t j = 0; j <= std::min(m, limit); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > limit ? i - limit : 0;
    const std::size_t hi = std::min(m, i + limit);
    std::size_t start = lo;
    if (lo == 0) {
      cur[0] = i;
      start = 1;
    } else {
      cur[lo - 1] = over;  // left of the band: out of reach
    }
    for (std::size_t j = start; j <= hi; ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({substitute, prev[j] + 1, cur[j - 1] + 1, over});
    }
    if (hi + 1 <= m) cur[hi + 1] = over;  // right of the band, read by the next row
    std::swap(prev, cur);
  }
  return std::min(prev[m], over);
}

}  // namespace entsig::entitlements

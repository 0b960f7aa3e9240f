// A generous estimate of a writer's output size, so the writer reserves once: a string that
// grows by doubling copies everything written so far at each step, and on a cold heap the
// copies and page faults cost more than the formatting.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "entsig/plist.h"

namespace entsig::plist::detail {

// Sums node_cost(value, depth) over every value and key_cost(key, depth) over every dict key,
// walking with an explicit stack (depth of the root is 0).
template <class NodeCost, class KeyCost>
std::size_t estimate_output_size(const Value& root, NodeCost node_cost, KeyCost key_cost) {
  std::size_t total = 0;
  std::vector<std::pair<const Value*, std::size_t>> work{{&root, 0}};
  while (!work.empty()) {
    auto [v, depth] = work.back();
    work.pop_back();
    total += node_cost(*v, depth);
    if (v->is(Type::array)) {
      for (const auto& item : v->as_array()) work.push_back({&item, depth + 1});
    } else if (v->is(Type::dict)) {
      for (const auto& entry : v->as_dict()) {
        total += key_cost(entry.key, depth + 1);
        work.push_back({&entry.value, depth + 1});
      }
    }
  }
  return total;
}

}  // namespace entsig::plist::detail

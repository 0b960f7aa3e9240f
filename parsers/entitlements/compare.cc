// XML <-> DER equivalence: one walk over both trees with an explicit work stack. Dictionaries
// are matched by key (sorted indexes, so wide ones cost n log n), arrays by position. Items are
// pushed in reverse so differences come out in the XML's document order, and a dictionary's
// extra DER keys after its XML keys.
#include <algorithm>
#include <utility>

#include "entsig/entitlements.h"
#include "internal.h"

namespace entsig::entitlements {
namespace {

using plist::Type;
using plist::Value;

enum class Op : std::uint8_t { compare, missing, extra };

// Paths are a tree of (container, index) nodes built as the walk goes: a deep chain costs one
// small node per level, not a copy of the path, and text is made only for a reported path.
struct PathNode {
  std::size_t parent;
  const Value* container;  // the dict or array holding this element (null for the root)
  std::size_t index;
};

struct Item {
  Op op;
  const Value* xml;
  const Value* der;
  std::size_t path;  // index into Walker::paths_
};

using KeyIndex = std::vector<std::pair<std::string_view, std::size_t>>;

// Keys with their entry index, sorted; stable so the first of duplicate keys comes first.
KeyIndex index_keys(const Value& dict) {
  KeyIndex index;
  index.reserve(dict.size());
  const auto entries = dict.as_dict();
  for (std::size_t i = 0; i < entries.size(); ++i) index.emplace_back(entries[i].key, i);
  std::stable_sort(index.begin(), index.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return index;
}

const Value* lookup(const KeyIndex& index, const Value& dict, std::string_view key) {
  auto it = std::lower_bound(index.begin(), index.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == index.end() || it->first != key) return nullptr;
  return &dict.as_dict()[it->second].value;
}

bool is_container(const Value& v) { return v.is(Type::dict) || v.is(Type::array); }

class Walker {
 public:
  explicit Walker(std::size_t max) : max_(max) {}

  Comparison run(const Value& xml, const Value& der) {
    paths_.push_back({0, nullptr, 0});
    stack_.push_back({Op::compare, &xml, &der, 0});
    while (!stack_.empty() && !result_.truncated) {
      const Item item = stack_.back();
      stack_.pop_back();
      visit(item);
    }
    return std::move(result_);
  }

 private:
  void report(DifferenceKind kind, const Item& item) {
    if (result_.differences.size() >= max_) {
      result_.truncated = true;
      return;
    }
    result_.differences.push_back({kind, path_text(item.path),
                                   item.xml ? value_summary(*item.xml) : std::string(),
                                   item.der ? value_summary(*item.der) : std::string()});
  }

  void visit(const Item& item) {
    if (item.op == Op::missing) return report(DifferenceKind::missing, item);
    if (item.op == Op::extra) return report(DifferenceKind::extra, item);
    const Value& xml = *item.xml;
    const Value& der = *item.der;
    if (xml.type() != der.type()) return report(DifferenceKind::differs, item);
    if (!is_container(xml)) {
      if (!plist::equal(xml, der)) report(DifferenceKind::differs, item);
      return;
    }
    std::vector<Item> children = xml.is(Type::dict) ? dict_children(item) : array_children(item);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack_.push_back(std::move(*it));
  }

  std::string path_text(std::size_t node) const {
    if (node == 0) return "(root)";
    std::vector<std::size_t> chain;
    for (; node != 0; node = paths_[node].parent) chain.push_back(node);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const PathNode& n = paths_[*it];
      out += n.container->is(Type::dict) ? key_segment(n.container->as_dict()[n.index].key)
                                         : "[" + std::to_string(n.index) + "]";
    }
    return out;
  }

  std::size_t child_path(std::size_t parent, const Value& container, std::size_t index) {
    paths_.push_back({parent, &container, index});
    return paths_.size() - 1;
  }

  std::vector<Item> dict_children(const Item& item) {
    const Value& xml = *item.xml;
    const Value& der = *item.der;
    const KeyIndex xml_keys = index_keys(xml);
    const KeyIndex der_keys = index_keys(der);
    std::vector<Item> out;
    out.reserve(xml.size());
    const auto xml_entries = xml.as_dict();
    for (std::size_t i = 0; i < xml_entries.size(); ++i) {
      const auto& entry = xml_entries[i];
      // A duplicate XML key was compared at its first entry; report it once.
      if (lookup(xml_keys, xml, entry.key) != &entry.value) continue;
      const Value* other = lookup(der_keys, der, entry.key);
      out.push_back({other ? Op::compare : Op::missing, &entry.value, other, child_path(item.path, xml, i)});
    }
    const auto der_entries = der.as_dict();
    for (std::size_t i = 0; i < der_entries.size(); ++i) {
      const auto& entry = der_entries[i];
      if (lookup(der_keys, der, entry.key) != &entry.value) continue;
      if (!lookup(xml_keys, xml, entry.key))
        out.push_back({Op::extra, nullptr, &entry.value, child_path(item.path, der, i)});
    }
    return out;
  }

  std::vector<Item> array_children(const Item& item) {
    const auto xml = item.xml->as_array();
    const auto der = item.der->as_array();
    std::vector<Item> out;
    out.reserve(std::max(xml.size(), der.size()));
    for (std::size_t i = 0; i < std::max(xml.size(), der.size()); ++i) {
      const std::size_t path = child_path(item.path, *item.xml, i);
      if (i < xml.size() && i < der.size())
        out.push_back({Op::compare, &xml[i], &der[i], path});
      else if (i < xml.size())
        out.push_back({Op::missing, &xml[i], nullptr, path});
      else
        out.push_back({Op::extra, nullptr, &der[i], path});
    }
    return out;
  }

  std::size_t max_;
  std::vector<PathNode> paths_;
  std::vector<Item> stack_;
  Comparison result_;
};

}  // namespace

Comparison compare_xml_der(const Value& xml, const Value& der, std::size_t max_differences) {
  return Walker(max_differences).run(xml, der);
}

std::string_view difference_kind_name(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::missing: return "missing";
    case DifferenceKind::extra: return "extra";
    case DifferenceKind::differs: return "differs";
  }
  return "unknown";
}

std::string describe(const Difference& d) {
  switch (d.kind) {
    case DifferenceKind::missing:
      return d.path + " is in the XML blob (" + d.xml_value + ") but not in the DER blob";
    case DifferenceKind::extra:
      return d.path + " is in the DER blob (" + d.der_value + ") but not in the XML blob";
    case DifferenceKind::differs:
      return d.path + " is " + d.xml_value + " in the XML blob but " + d.der_value + " in the DER blob";
  }
  return d.path;
}

}  // namespace entsig::entitlements

// Walks one of our plist values and one of libplist 2.2's side by side (explicit stack)
// and returns the first place they differ. Only what libplist's API can express is
// compared: its integers are 64 raw bits without a sign, its keys C strings (a key of ours
// with a NUL is a "key" mismatch whose libplist side is the part before the NUL).
#pragma once

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <plist/plist.h>

#include "entsig/plist.h"

namespace entsig::fuzz {

struct Mismatch {
  std::string path;                     // ["key"][2] style, "" for the root
  std::string what;                     // "type", "size", "key", "value"
  const plist::Value* ours = nullptr;   // the node (or container) that differs
  plist_t theirs = nullptr;
  std::string our_key, their_key;       // for "key"
};

// libplist's exact date value: its binary writer stores the double it holds, which our
// strict binary reader gives back (plist_get_date_val truncates to int32 seconds).
inline std::optional<double> libplist_date(plist_t node) {
  char* bin = nullptr;
  uint32_t length = 0;
  plist_to_bin(node, &bin, &length);
  if (!bin) return std::nullopt;
  auto doc = plist::read_binary(Bytes(reinterpret_cast<const std::uint8_t*>(bin), length));
  plist_to_bin_free(bin);
  if (!doc || !doc->root().is(plist::Type::date)) return std::nullopt;
  return doc->root().as_date();
}

// A key as libplist's C-string API shows it. plist_get_key_val (and so plist_dict_next_item
// with a key) asserts length == strlen, which a UTF-16 key holding U+0000 breaks in 2.2; the
// XML writer prints the C string instead.
inline std::string libplist_key(plist_t key) {
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(key, &xml, &length);
  std::string text = xml ? std::string(xml, length) : std::string();
  plist_to_xml_free(xml);
  const std::size_t open = text.find("<key>"), close = text.rfind("</key>");
  return open == std::string::npos || close == std::string::npos || close < open ? text
                                                                                  : text.substr(open + 5, close - open - 5);
}

inline bool same_bits(double a, double b) {
  if (a != a && b != b) return true;  // any NaN: libplist and we may pick other payloads
  return std::memcmp(&a, &b, sizeof a) == 0;
}

inline bool scalar_equal(const plist::Value& ours, plist_t theirs) {
  switch (ours.type()) {
    case plist::Type::string: {
      uint64_t length = 0;
      const char* s = plist_get_string_ptr(theirs, &length);
      if (!s) return false;
      return std::string_view(s, length) == ours.as_string();
    }
    case plist::Type::integer: {
      uint64_t v = 0;
      plist_get_uint_val(theirs, &v);
      return v == ours.as_integer().bits;
    }
    case plist::Type::real: {
      double v = 0;
      plist_get_real_val(theirs, &v);
      return same_bits(v, ours.as_real());
    }
    case plist::Type::boolean: {
      uint8_t v = 0;
      plist_get_bool_val(theirs, &v);
      return (v != 0) == ours.as_bool();
    }
    case plist::Type::date: {
      auto v = libplist_date(theirs);
      return v && same_bits(*v, ours.as_date());
    }
    case plist::Type::data: {
      uint64_t length = 0;
      const char* d = plist_get_data_ptr(theirs, &length);
      const Bytes b = ours.as_data();
      return length == b.size() && (length == 0 || (d && std::memcmp(d, b.data(), length) == 0));
    }
    case plist::Type::uid: {
      uint64_t v = 0;
      plist_get_uid_val(theirs, &v);
      return v == ours.as_uid();
    }
    default:
      return false;
  }
}

inline plist_type expected_type(plist::Type t) {
  switch (t) {
    case plist::Type::dict: return PLIST_DICT;
    case plist::Type::array: return PLIST_ARRAY;
    case plist::Type::string: return PLIST_STRING;
    case plist::Type::integer: return PLIST_UINT;
    case plist::Type::real: return PLIST_REAL;
    case plist::Type::boolean: return PLIST_BOOLEAN;
    case plist::Type::date: return PLIST_DATE;
    case plist::Type::data: return PLIST_DATA;
    case plist::Type::uid: return PLIST_UID;
  }
  return PLIST_NONE;
}

// Compares at most `budget` nodes (shared bplist references expand); nullopt when equal
// or when the budget ran out first.
inline std::optional<Mismatch> compare_with_libplist(const plist::Value& root, plist_t their_root,
                                                     std::size_t budget = 100000) {
  struct Item {
    const plist::Value* ours;
    plist_t theirs;
    std::string path;
  };
  std::vector<Item> stack{{&root, their_root, ""}};
  while (!stack.empty() && budget-- > 0) {
    Item item = std::move(stack.back());
    stack.pop_back();
    const plist::Value& v = *item.ours;
    const plist_type their_type = plist_get_node_type(item.theirs);
    if (their_type != expected_type(v.type())) return Mismatch{item.path, "type", item.ours, item.theirs, {}, {}};
    if (v.is(plist::Type::array)) {
      if (plist_array_get_size(item.theirs) != v.size()) return Mismatch{item.path, "size", item.ours, item.theirs, {}, {}};
      const auto items = v.as_array();
      for (std::size_t i = items.size(); i-- > 0;)
        stack.push_back({&items[i], plist_array_get_item(item.theirs, static_cast<uint32_t>(i)),
                         item.path + "[" + std::to_string(i) + "]"});
    } else if (v.is(plist::Type::dict)) {
      if (plist_dict_get_size(item.theirs) != v.size()) return Mismatch{item.path, "size", item.ours, item.theirs, {}, {}};
      const auto entries = v.as_dict();
      std::vector<Item> children;
      plist_dict_iter iter = nullptr;
      plist_dict_new_iter(item.theirs, &iter);
      for (const auto& entry : entries) {
        plist_t value = nullptr;
        plist_dict_next_item(item.theirs, iter, nullptr, &value);  // no key: see libplist_key
        plist_t key = value ? plist_dict_item_get_key(value) : nullptr;
        const std::string our_key(entry.key);
        const std::string our_c_key = our_key.substr(0, our_key.find('\0'));
        if (!key || plist_key_val_compare(key, our_c_key.c_str()) != 0 || our_c_key.size() != our_key.size()) {
          std::free(iter);
          const std::string their_key = !key ? "" : our_c_key.size() != our_key.size() && plist_key_val_compare(key, our_c_key.c_str()) == 0
                                                        ? our_c_key : libplist_key(key);
          return Mismatch{item.path, "key", item.ours, item.theirs, our_key, their_key};
        }
        children.push_back({&entry.value, value, item.path + "[\"" + our_key + "\"]"});
      }
      std::free(iter);
      for (std::size_t i = children.size(); i-- > 0;) stack.push_back(std::move(children[i]));
    } else if (!scalar_equal(v, item.theirs)) {
      return Mismatch{item.path, "value", item.ours, item.theirs, {}, {}};
    }
  }
  return std::nullopt;
}

}  // namespace entsig::fuzz

// Building the tagged values the structure areas compare (superblob, code-directory,
// requirements, macho, entitlements-policy): small dicts and arrays of integers and strings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "entsig/plist.h"

namespace entsig::tools::conform {

class Tree {
 public:
  plist::Document& doc() { return doc_; }
  plist::Document take(const plist::Value& root) {
    doc_.set_root(root);
    return std::move(doc_);
  }

  plist::Value num(std::uint64_t v) { return plist::Value::integer(plist::Integer::from_unsigned(v)); }
  plist::Value str(std::string_view s) { return doc_.string(s); }
  plist::Value boolean(bool v) { return plist::Value::boolean(v); }
  plist::Value array(const std::vector<plist::Value>& items) { return doc_.array(items); }

  // Entries in the order given; keys are copied into the document.
  class Dict {
   public:
    explicit Dict(Tree& tree) : tree_(tree) {}
    Dict& add(std::string_view key, plist::Value value) {
      entries_.push_back({tree_.doc_.intern(key), value});
      return *this;
    }
    plist::Value done() { return tree_.doc_.dict(entries_); }

   private:
    Tree& tree_;
    std::vector<plist::DictEntry> entries_;
  };
  Dict dict() { return Dict(*this); }

 private:
  plist::Document doc_;
};

}  // namespace entsig::tools::conform

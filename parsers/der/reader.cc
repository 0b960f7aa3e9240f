// DER entitlements reader: bytes -> plist::Document, with an explicit stack (no recursion).
#include <new>
#include <unordered_set>
#include <vector>

#include "element.h"
#include "entsig/der.h"

namespace entsig::der {

DerOptions DerOptions::lenient() {
  DerOptions o;
  o.allow_set_form = true;
  o.allow_nonzero_true = true;
  o.allow_unsorted_keys = true;
  o.allow_data = true;
  return o;
}

DerOptions DerOptions::ldid() {
  DerOptions o = lenient();
  o.ldid_unsigned_integers = true;
  return o;
}

namespace {

using plist::DictEntry;
using plist::Value;

std::string hex_byte(std::uint8_t b) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}

// One open array or dictionary. Members are read from `content` one at a time.
struct Frame {
  bool is_dict = false;
  Cursor content;
  std::vector<Value> items;
  std::vector<DictEntry> entries;
  // The entry whose value is the container being read one frame up the stack.
  std::string_view pending_key;
  Cursor pending_entry;
  // Key order and duplicate checks.
  bool has_last_key = false;
  std::string_view last_key;
  std::unordered_set<std::string_view> seen_keys;  // only once keys arrive out of order
};

class Reader {
 public:
  Reader(const DerOptions& options, Budget& budget)
      : options_(options), limits_(budget.limits()), budget_(budget) {}

  Result<plist::Document> run(Bytes input) {
    if (input.empty()) return make_error(ErrorCode::core_empty_input, 0);
    if (input.size() > limits_.max_input_bytes)
      return limit_error(ErrorCode::core_input_too_large, 0, "max_input_bytes",
                         limits_.max_input_bytes);
    Cursor in(input);
    auto root = read_element(in);
    if (!root.ok()) return root.take_error();

    Cursor body;  // what remains of [APPLICATION 16] after the dictionary
    Element dict;
    if (root->tag == tag::application_16) {
      body = root->content;
      auto header = read_wrapper_header(body);
      if (!header.ok()) return header.take_error();
      dict = std::move(header.value());
    } else if (root->tag == tag::set) {
      // Legacy bare SET form: no wrapper, no version (codesign-rules E, "Alternate SET form").
      dict = std::move(root.value());
    } else {
      return make_error(ErrorCode::der_container_unexpected_tag, root->offset,
                        "tag " + hex_byte(root->tag));
    }
    if (auto s = open_container(dict); !s.ok()) return s.take_error();
    auto value = walk();
    if (!value.ok()) return value.take_error();
    if (!body.at_end()) return make_error(ErrorCode::der_container_trailing, body.offset());
    if (!in.at_end()) return make_error(ErrorCode::der_trailing_bytes, in.offset());
    doc_.set_root(value.value());
    return std::move(doc_);
  }

  const DerDeviations& deviations() const { return deviations_; }

 private:
  // INTEGER 1 then the [CONTEXT 16] dictionary element.
  Result<Element> read_wrapper_header(Cursor& body) {
    if (body.at_end())
      return make_error(ErrorCode::der_version_not_integer, body.offset(), "no version");
    auto version = read_element(body);
    if (!version.ok()) return version.take_error();
    if (version->tag != tag::integer)
      return make_error(ErrorCode::der_version_not_integer, version->offset,
                        "tag " + hex_byte(version->tag));
    auto number = decode_integer(version->content, false);
    if (!number.ok()) return number.take_error();
    // CEVersion kCEVersionZero = 1 is the encoding codesign writes (xnu CoreEntitlements headers).
    if (number.value() != 1)
      return make_error(ErrorCode::der_version_unsupported, version->content.offset(),
                        "version " + std::to_string(number.value()));
    if (body.at_end()) return make_error(ErrorCode::der_container_missing_dict, body.offset());
    auto dict = read_element(body);
    if (!dict.ok()) return dict.take_error();
    if (dict->tag != tag::context_16 && dict->tag != tag::set)
      return make_error(ErrorCode::der_container_unexpected_tag, dict->offset,
                        "tag " + hex_byte(dict->tag));
    return dict;
  }

  Status count_object(std::uint64_t offset) {
    if (++objects_ > limits_.max_objects)
      return limit_error(ErrorCode::der_objects_limit, offset, "max_objects", limits_.max_objects);
    return Ok{};
  }

  // Charges the content bytes of a string, key or data element at `offset` (its tag).
  Status charge(const Bytes& content, std::uint64_t offset) { return budget_.charge_expanded(content.size(), offset); }

  static bool is_container(std::uint8_t t) {
    return t == tag::sequence || t == tag::context_16 || t == tag::set;
  }

  // Pushes a frame for an array or dictionary element.
  Status open_container(const Element& e) {
    if (e.tag == tag::set) {
      if (!options_.allow_set_form) return make_error(ErrorCode::der_noncanonical_set_form, e.offset);
      deviations_.set_form = true;
    }
    if (stack_.size() + 1 > limits_.max_depth)
      return limit_error(ErrorCode::der_depth_limit, e.offset, "max_depth", limits_.max_depth);
    if (auto s = count_object(e.offset); !s.ok()) return s;
    Frame f;
    f.is_dict = e.tag != tag::sequence;
    f.content = e.content;
    stack_.push_back(std::move(f));
    return Ok{};
  }

  Result<Value> scalar(const Element& e) {
    if (auto s = count_object(e.offset); !s.ok()) return s.take_error();
    const Bytes c = e.content.data();
    switch (e.tag) {
      case tag::boolean: {
        if (c.size() != 1)
          return make_error(ErrorCode::der_boolean_bad_length, e.offset,
                            std::to_string(c.size()) + " content bytes");
        if (c[0] == 0x00) return Value::boolean(false);
        if (c[0] == 0xFF) return Value::boolean(true);
        // X.690 11.1: DER true is FF; ldid writes 01 (codesign-rules E, SET form).
        if (!options_.allow_nonzero_true)
          return make_error(ErrorCode::der_noncanonical_boolean, e.content.offset(),
                            "content " + hex_byte(c[0]));
        deviations_.nonzero_true = true;
        return Value::boolean(true);
      }
      case tag::integer: {
        auto v = decode_integer(e.content, options_.ldid_unsigned_integers);
        if (!v.ok()) return v.take_error();
        return Value::integer(plist::Integer::from_signed(v.value()));
      }
      case tag::utf8_string: {
        if (auto bad = find_invalid_utf8(c))
          return make_error(ErrorCode::der_string_invalid_utf8, e.content.offset() + *bad);
        if (auto s = charge(c, e.offset); !s.ok()) return s.take_error();
        return doc_.string({reinterpret_cast<const char*>(c.data()), c.size()});
      }
      case tag::octet_string:
        if (!options_.allow_data) return make_error(ErrorCode::der_noncanonical_octet_string, e.offset);
        deviations_.data_values = true;
        if (auto s = charge(c, e.offset); !s.ok()) return s.take_error();
        return doc_.data(c);
      default:
        return make_error(ErrorCode::der_value_unexpected_tag, e.offset, "tag " + hex_byte(e.tag));
    }
  }

  // Key order: canonical DER sorts keys byte-wise (rcodesign BTreeMap; CoreEntitlements
  // der_vm sorted_keys). Duplicates are rejected in every mode.
  Status check_key(Frame& f, std::string_view key, std::uint64_t offset) {
    if (f.has_last_key) {
      if (key == f.last_key) return make_error(ErrorCode::der_key_duplicate, offset, quoted(key));
      if (key < f.last_key) {
        if (!options_.allow_unsorted_keys)
          return make_error(ErrorCode::der_noncanonical_unsorted_keys, offset,
                            quoted(key) + " after " + quoted(f.last_key));
        deviations_.unsorted_keys = true;
        // From the first out-of-order key on, earlier keys are no longer all smaller.
        if (f.seen_keys.empty())
          for (const auto& entry : f.entries) f.seen_keys.insert(entry.key);
      }
    }
    if (!f.seen_keys.empty() && !f.seen_keys.insert(key).second)
      return make_error(ErrorCode::der_key_duplicate, offset, quoted(key));
    f.has_last_key = true;
    f.last_key = key;
    return Ok{};
  }

  static std::string quoted(std::string_view key) { return "\"" + std::string(key) + "\""; }

  // Adds a finished value to the frame on top of the stack.
  Status deliver(Value v) {
    Frame& f = stack_.back();
    if (!f.is_dict) {
      f.items.push_back(v);
      return Ok{};
    }
    if (!f.pending_entry.at_end())
      return make_error(ErrorCode::der_entry_bad_arity, f.pending_entry.offset(),
                        "elements after the value");
    f.entries.push_back({f.pending_key, v});
    return Ok{};
  }

  // Reads one dictionary entry: SEQUENCE { UTF8String key, value }.
  Status read_entry(Frame& f) {
    auto entry = read_element(f.content);
    if (!entry.ok()) return entry.take_error();
    if (entry->tag != tag::sequence)
      return make_error(ErrorCode::der_entry_not_sequence, entry->offset,
                        "tag " + hex_byte(entry->tag));
    Cursor members = entry->content;
    if (members.at_end())
      return make_error(ErrorCode::der_entry_bad_arity, members.offset(), "no key");
    auto key = read_element(members);
    if (!key.ok()) return key.take_error();
    if (key->tag != tag::utf8_string)
      return make_error(ErrorCode::der_key_not_string, key->offset, "tag " + hex_byte(key->tag));
    const Bytes key_bytes = key->content.data();
    if (auto bad = find_invalid_utf8(key_bytes))
      return make_error(ErrorCode::der_string_invalid_utf8, key->content.offset() + *bad);
    if (auto s = charge(key_bytes, key->offset); !s.ok()) return s;
    std::string_view key_text =
        doc_.intern({reinterpret_cast<const char*>(key_bytes.data()), key_bytes.size()});
    if (auto s = check_key(f, key_text, key->offset); !s.ok()) return s;
    if (members.at_end())
      return make_error(ErrorCode::der_entry_bad_arity, members.offset(), "no value");
    auto value = read_element(members);
    if (!value.ok()) return value.take_error();
    f.pending_key = key_text;
    f.pending_entry = members;
    if (is_container(value->tag)) return open_container(value.value());  // f may move now
    auto v = scalar(value.value());
    if (!v.ok()) return v.take_error();
    return deliver(v.value());
  }

  Status read_item(Frame& f) {
    auto value = read_element(f.content);
    if (!value.ok()) return value.take_error();
    if (is_container(value->tag)) return open_container(value.value());  // f may move now
    auto v = scalar(value.value());
    if (!v.ok()) return v.take_error();
    f.items.push_back(v.value());
    return Ok{};
  }

  Result<Value> walk() {
    while (true) {
      Frame& f = stack_.back();
      if (f.content.at_end()) {
        Value done = f.is_dict ? doc_.dict(f.entries) : doc_.array(f.items);
        stack_.pop_back();
        if (stack_.empty()) return done;
        if (auto s = deliver(done); !s.ok()) return s.take_error();
        continue;
      }
      Status s = f.is_dict ? read_entry(f) : read_item(f);
      if (!s.ok()) return s.take_error();
    }
  }

  DerOptions options_;
  const Limits& limits_;
  Budget& budget_;
  plist::Document doc_;
  DerDeviations deviations_;
  std::uint64_t objects_ = 0;
  std::vector<Frame> stack_;
};

}  // namespace

Result<plist::Document> read_der(Bytes input, const DerOptions& options, const Limits& limits,
                                 DerDeviations* deviations) {
  Budget budget(limits);
  return read_der(input, options, budget, deviations);
}

Result<plist::Document> read_der(Bytes input, const DerOptions& options, Budget& budget,
                                 DerDeviations* deviations) {
  try {
    Reader reader(options, budget);
    auto result = reader.run(input);
    if (deviations) *deviations = reader.deviations();
    return result;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, 0, "out of memory while reading DER");
  }
}

}  // namespace entsig::der

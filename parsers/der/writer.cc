// Canonical DER entitlements writer. A first pass checks every value can be encoded (and
// names the first one that cannot); a second writes the encoding back to front, so each
// element's length is known when its header is written. Both passes use explicit stacks. The
// check visits each shared container once; the writing charges the run Budget before every
// byte it adds, so a tree of shared values costs at most the output budget.
#include <algorithm>
#include <new>
#include <unordered_set>
#include <vector>

#include "element.h"
#include "entsig/der.h"

namespace entsig::der {
namespace {

using plist::DictEntry;
using plist::Type;
using plist::Value;

// A JSON-like path segment: ["key"] for dictionaries, [n] for arrays.
void append_segment(std::string& path, const Value& container, std::size_t index) {
  if (container.is(Type::dict)) {
    path += "[\"";
    for (char c : container.as_dict()[index].key) {
      if (c == '"' || c == '\\') path += '\\';
      path += c;
    }
    path += "\"]";
  } else {
    path += "[" + std::to_string(index) + "]";
  }
}

struct CheckFrame {
  const Value* container;
  std::size_t next = 0;  // index of the child being visited, once visiting has begun
};

std::string path_of(const std::vector<CheckFrame>& stack) {
  std::string path;
  for (const auto& f : stack) append_segment(path, *f.container, f.next);
  return path.empty() ? "(root)" : path;
}

Error not_representable(const std::vector<CheckFrame>& stack, std::string_view what) {
  return make_error(ErrorCode::der_not_representable, 0,
                    std::string(what) + " at " + path_of(stack));
}

// Entries of a dictionary in canonical (byte-wise key) order.
std::vector<const DictEntry*> sorted_entries(const Value& dict) {
  std::vector<const DictEntry*> out;
  out.reserve(dict.size());
  for (const auto& e : dict.as_dict()) out.push_back(&e);
  std::sort(out.begin(), out.end(),
            [](const DictEntry* a, const DictEntry* b) { return a->key < b->key; });
  return out;
}

// Checks keys of one dictionary: valid UTF-8 and no duplicates (DER has one value per key).
Status check_keys(std::vector<CheckFrame>& stack, const Value& dict) {
  auto entries = dict.as_dict();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (find_invalid_utf8(as_bytes(entries[i].key))) {
      stack.back().next = i;
      return not_representable(stack, "key that is not valid UTF-8");
    }
  }
  auto sorted = sorted_entries(dict);
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1]->key == sorted[i]->key) {
      stack.back().next = static_cast<std::size_t>(sorted[i] - entries.data());
      return not_representable(stack, "duplicate key");
    }
  }
  return Ok{};
}

std::string_view unrepresentable_reason(const Value& v) {
  switch (v.type()) {
    case Type::data: return "data value";
    case Type::date: return "date value";
    case Type::real: return "real value";
    case Type::uid: return "uid value";
    case Type::integer: return v.as_integer().fits_int64() ? "" : "integer above INT64_MAX";
    case Type::string: return find_invalid_utf8(as_bytes(v.as_string())) ? "string that is not valid UTF-8" : "";
    default: return "";
  }
}

// A container's identity: its arena storage (the reader shares it between references).
const void* storage_of(const Value& v) {
  return v.is(Type::array) ? static_cast<const void*>(v.as_array().data())
                           : static_cast<const void*>(v.as_dict().data());
}

Status check_representable(const Value& root) {
  std::vector<CheckFrame> stack;
  std::unordered_set<const void*> checked;  // a container's first visit finds its problems
  if (!root.is(Type::dict)) return not_representable(stack, std::string(plist::type_name(root.type())) + " root (must be dict)");
  stack.push_back({&root, 0});
  if (auto s = check_keys(stack, root); !s.ok()) return s;
  stack.back().next = 0;
  while (!stack.empty()) {
    CheckFrame& f = stack.back();
    if (f.next == f.container->size()) {
      stack.pop_back();
      if (!stack.empty()) ++stack.back().next;
      continue;
    }
    const Value& child = f.container->is(Type::dict) ? f.container->as_dict()[f.next].value
                                                     : f.container->as_array()[f.next];
    if (child.is(Type::array) || child.is(Type::dict)) {
      if (child.size() > 0 && !checked.insert(storage_of(child)).second) {
        ++f.next;
        continue;
      }
      stack.push_back({&child, 0});
      if (child.is(Type::dict)) {
        if (auto s = check_keys(stack, child); !s.ok()) return s;
        stack.back().next = 0;
      }
      continue;
    }
    if (auto reason = unrepresentable_reason(child); !reason.empty())
      return not_representable(stack, reason);
    ++f.next;
  }
  return Ok{};
}

// ---------------------------------------------------------------------------
// Back-to-front writing: `bytes` holds the encoding reversed until the end. Every byte is
// charged before it is added; after a refused charge nothing more is added.

class ReversedOutput {
 public:
  explicit ReversedOutput(Budget& budget) : charge_(budget) {}

  bool ok() const { return charge_.ok(); }
  std::size_t size() const { return bytes_.size(); }
  void put_reversed(const std::uint8_t* p, std::size_t n) {
    if (!charge(n)) return;
    for (std::size_t i = n; i-- > 0;) bytes_.push_back(static_cast<char>(p[i]));
  }
  void put(std::uint8_t b) { put_reversed(&b, 1); }
  Result<std::string> finish() {
    if (!charge_.ok()) return charge_.take_error();
    std::reverse(bytes_.begin(), bytes_.end());
    return std::move(bytes_);
  }

 private:
  bool charge(std::size_t n) { return charge_.charge(n); }

  OutputCharge charge_;
  std::string bytes_;
};

// Length octets (X.690 10.1: short form below 128, else the fewest long-form octets).
void put_header_reversed(ReversedOutput& out, std::uint8_t tag_byte, std::uint64_t length) {
  std::uint8_t buf[10];
  std::size_t n = 0;
  buf[n++] = tag_byte;
  if (length < 0x80) {
    buf[n++] = static_cast<std::uint8_t>(length);
  } else {
    std::size_t count = 0;
    for (std::uint64_t v = length; v != 0; v >>= 8) ++count;
    buf[n++] = static_cast<std::uint8_t>(0x80 | count);
    for (std::size_t i = count; i-- > 0;) buf[n++] = static_cast<std::uint8_t>(length >> (8 * i));
  }
  out.put_reversed(buf, n);
}

void put_primitive_reversed(ReversedOutput& out, std::uint8_t tag_byte, const std::uint8_t* p,
                            std::size_t n) {
  out.put_reversed(p, n);
  put_header_reversed(out, tag_byte, n);
}

// Minimal two's complement (X.690 8.3.2): drop leading bytes that only repeat the sign.
void put_integer_reversed(ReversedOutput& out, std::int64_t value) {
  std::uint8_t buf[8];
  const auto bits = static_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<std::uint8_t>(bits >> (8 * (7 - i)));
  std::size_t start = 0;
  while (start < 7 && ((buf[start] == 0x00 && buf[start + 1] < 0x80) ||
                       (buf[start] == 0xFF && buf[start + 1] >= 0x80)))
    ++start;
  put_primitive_reversed(out, tag::integer, buf + start, 8 - start);
}

void put_string_reversed(ReversedOutput& out, std::string_view s) {
  put_primitive_reversed(out, tag::utf8_string, reinterpret_cast<const std::uint8_t*>(s.data()),
                         s.size());
}

void put_scalar_reversed(ReversedOutput& out, const Value& v) {
  switch (v.type()) {
    case Type::boolean: {
      const std::uint8_t b = v.as_bool() ? 0xFF : 0x00;  // X.690 11.1
      put_primitive_reversed(out, tag::boolean, &b, 1);
      break;
    }
    case Type::integer: put_integer_reversed(out, v.as_integer().as_int64()); break;
    case Type::string: put_string_reversed(out, v.as_string()); break;
    default: break;  // excluded by check_representable
  }
}

struct WriteItem {
  enum Kind : std::uint8_t { value, entry, key, close } kind;
  const Value* v = nullptr;
  const DictEntry* e = nullptr;
  std::uint8_t tag_byte = 0;
  std::size_t mark = 0;  // out.size() when the element's content began
};

Result<std::string> encode(const Value& root, Budget& budget) {
  ReversedOutput out(budget);
  std::vector<WriteItem> work;
  work.push_back({WriteItem::value, &root});
  while (!work.empty() && out.ok()) {
    WriteItem item = work.back();
    work.pop_back();
    switch (item.kind) {
      case WriteItem::close:
        put_header_reversed(out, item.tag_byte, out.size() - item.mark);
        break;
      case WriteItem::key: put_string_reversed(out, item.e->key); break;
      case WriteItem::entry:
        // Written back to front: value first, then key, then the SEQUENCE header.
        work.push_back({WriteItem::close, nullptr, nullptr, tag::sequence, out.size()});
        work.push_back({WriteItem::key, nullptr, item.e});
        work.push_back({WriteItem::value, &item.e->value});
        break;
      case WriteItem::value:
        if (item.v->is(Type::array)) {
          work.push_back({WriteItem::close, nullptr, nullptr, tag::sequence, out.size()});
          for (const auto& child : item.v->as_array()) work.push_back({WriteItem::value, &child});
        } else if (item.v->is(Type::dict)) {
          work.push_back({WriteItem::close, nullptr, nullptr, tag::context_16, out.size()});
          for (const DictEntry* e : sorted_entries(*item.v)) work.push_back({WriteItem::entry, nullptr, e});
        } else {
          put_scalar_reversed(out, *item.v);
        }
        break;
    }
  }
  // [APPLICATION 16] { INTEGER 1, dictionary }
  const std::uint8_t version[] = {0x01};
  put_primitive_reversed(out, tag::integer, version, 1);
  put_header_reversed(out, tag::application_16, out.size());
  return out.finish();
}

}  // namespace

Result<std::string> write_der(const plist::Value& root) {
  Budget budget;
  return write_der(root, budget);
}

Result<std::string> write_der(const plist::Value& root, Budget& budget) {
  try {
    if (auto s = check_representable(root); !s.ok()) return s.take_error();
    return encode(root, budget);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, 0, "out of memory while writing DER");
  }
}

}  // namespace entsig::der

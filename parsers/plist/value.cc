// Value accessors, the arena-backed Document builders, deep copy and equality.
#include <cassert>
#include <cstring>
#include <vector>

#include "entsig/plist.h"

namespace entsig::plist {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::dict: return "dict";
    case Type::array: return "array";
    case Type::string: return "string";
    case Type::integer: return "integer";
    case Type::real: return "real";
    case Type::boolean: return "bool";
    case Type::date: return "date";
    case Type::data: return "data";
    case Type::uid: return "uid";
  }
  return "unknown";
}

std::string Integer::to_string() const {
  return negative ? std::to_string(static_cast<std::int64_t>(bits)) : std::to_string(bits);
}

bool Value::as_bool() const { assert(type_ == Type::boolean); return payload_.boolean; }
Integer Value::as_integer() const { assert(type_ == Type::integer); return payload_.integer; }
double Value::as_real() const { assert(type_ == Type::real); return payload_.real; }
double Value::as_date() const { assert(type_ == Type::date); return payload_.real; }
std::uint64_t Value::as_uid() const { assert(type_ == Type::uid); return payload_.uid; }

std::string_view Value::as_string() const {
  assert(type_ == Type::string);
  return {payload_.bytes.ptr, payload_.bytes.len};
}

Bytes Value::as_data() const {
  assert(type_ == Type::data);
  return {reinterpret_cast<const std::uint8_t*>(payload_.bytes.ptr), payload_.bytes.len};
}

std::span<const Value> Value::as_array() const {
  assert(type_ == Type::array);
  return {payload_.array.ptr, payload_.array.len};
}

std::span<const DictEntry> Value::as_dict() const {
  assert(type_ == Type::dict);
  return {payload_.dict.ptr, payload_.dict.len};
}

std::size_t Value::size() const {
  if (type_ == Type::array) return payload_.array.len;
  if (type_ == Type::dict) return payload_.dict.len;
  return 0;
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::dict) return nullptr;
  for (const auto& e : as_dict())
    if (e.key == key) return &e.value;
  return nullptr;
}

Value Value::boolean(bool v) { Value out; out.type_ = Type::boolean; out.payload_.boolean = v; return out; }
Value Value::integer(Integer v) { Value out; out.type_ = Type::integer; out.payload_.integer = v; return out; }
Value Value::real(double v) { Value out; out.type_ = Type::real; out.payload_.real = v; return out; }
Value Value::date(double v) { Value out; out.type_ = Type::date; out.payload_.real = v; return out; }
Value Value::uid(std::uint64_t v) { Value out; out.type_ = Type::uid; out.payload_.uid = v; return out; }

Document::Document() : arena_(std::make_unique<Arena>()) {}

std::string_view Document::intern(std::string_view text) {
  if (text.empty()) return {};
  auto* p = static_cast<char*>(arena_->resource.allocate(text.size(), 1));
  std::memcpy(p, text.data(), text.size());
  return {p, text.size()};
}

Value Document::string(std::string_view utf8) {
  Value v;
  v.type_ = Type::string;
  auto s = intern(utf8);
  v.payload_.bytes = {s.data(), s.size()};
  return v;
}

Value Document::data(Bytes bytes) {
  Value v;
  v.type_ = Type::data;
  auto s = intern({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
  v.payload_.bytes = {s.data(), s.size()};
  return v;
}

Value Document::array(std::span<const Value> items) {
  Value v;
  v.type_ = Type::array;
  Value* p = nullptr;
  if (!items.empty()) {
    p = static_cast<Value*>(arena_->resource.allocate(items.size_bytes(), alignof(Value)));
    std::memcpy(static_cast<void*>(p), items.data(), items.size_bytes());
  }
  v.payload_.array = {p, items.size()};
  return v;
}

Value Document::dict(std::span<const DictEntry> entries) {
  Value v;
  v.type_ = Type::dict;
  DictEntry* p = nullptr;
  if (!entries.empty()) {
    p = static_cast<DictEntry*>(arena_->resource.allocate(entries.size_bytes(), alignof(DictEntry)));
    std::memcpy(static_cast<void*>(p), entries.data(), entries.size_bytes());
  }
  v.payload_.dict = {p, entries.size()};
  return v;
}

namespace {

// Copies a scalar; strings and data are re-interned into the target arena.
Value copy_scalar(Document& into, const Value& v) {
  switch (v.type()) {
    case Type::string: return into.string(v.as_string());
    case Type::data: return into.data(v.as_data());
    default: return v;
  }
}

struct CopyFrame {
  const Value* source;
  std::size_t next = 0;
  std::vector<Value> items;
  std::vector<DictEntry> entries;
};

}  // namespace

// Post-order walk with an explicit stack: no recursion, whatever the depth.
Value copy_value(Document& into, const Value& root) {
  if (root.size() == 0 && root.type() != Type::array && root.type() != Type::dict)
    return copy_scalar(into, root);
  std::vector<CopyFrame> stack;
  stack.push_back(CopyFrame{&root, 0, {}, {}});
  Value finished;
  while (!stack.empty()) {
    CopyFrame& f = stack.back();
    const bool is_dict = f.source->is(Type::dict);
    const std::size_t n = f.source->size();
    if (f.next == n) {
      finished = is_dict ? into.dict(f.entries) : into.array(f.items);
      stack.pop_back();
      if (stack.empty()) break;
      CopyFrame& parent = stack.back();
      if (parent.source->is(Type::dict)) {
        const auto& src = parent.source->as_dict()[parent.next];
        parent.entries.push_back({into.intern(src.key), finished});
      } else {
        parent.items.push_back(finished);
      }
      ++parent.next;
      continue;
    }
    const Value& child = is_dict ? f.source->as_dict()[f.next].value : f.source->as_array()[f.next];
    if (child.is(Type::array) || child.is(Type::dict)) {
      stack.push_back(CopyFrame{&child, 0, {}, {}});
      continue;
    }
    Value copied = copy_scalar(into, child);
    if (is_dict)
      f.entries.push_back({into.intern(f.source->as_dict()[f.next].key), copied});
    else
      f.items.push_back(copied);
    ++f.next;
  }
  return finished;
}

namespace {

bool scalar_equal(const Value& a, const Value& b) {
  switch (a.type()) {
    case Type::boolean: return a.as_bool() == b.as_bool();
    case Type::integer: return a.as_integer() == b.as_integer();
    case Type::real: {
      double x = a.as_real(), y = b.as_real();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Type::date: {
      double x = a.as_date(), y = b.as_date();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Type::uid: return a.as_uid() == b.as_uid();
    case Type::string: return a.as_string() == b.as_string();
    case Type::data: {
      auto x = a.as_data(), y = b.as_data();
      return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size()) == 0);
    }
    default: return false;
  }
}

// Iterative comparison; `ordered` decides whether dict entry order matters.
bool compare(const Value& a, const Value& b, bool ordered) {
  std::vector<std::pair<const Value*, const Value*>> work{{&a, &b}};
  while (!work.empty()) {
    auto [x, y] = work.back();
    work.pop_back();
    if (x->type() != y->type()) return false;
    if (x->is(Type::array)) {
      auto xs = x->as_array(), ys = y->as_array();
      if (xs.size() != ys.size()) return false;
      for (std::size_t i = 0; i < xs.size(); ++i) work.push_back({&xs[i], &ys[i]});
    } else if (x->is(Type::dict)) {
      auto xs = x->as_dict(), ys = y->as_dict();
      if (xs.size() != ys.size()) return false;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        if (ordered) {
          if (xs[i].key != ys[i].key) return false;
          work.push_back({&xs[i].value, &ys[i].value});
        } else {
          const Value* match = y->find(xs[i].key);
          if (!match) return false;
          work.push_back({&xs[i].value, match});
        }
      }
    } else if (!scalar_equal(*x, *y)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool equal(const Value& a, const Value& b) { return compare(a, b, true); }
bool equivalent(const Value& a, const Value& b) { return compare(a, b, false); }

std::string_view format_name(Format f) {
  switch (f) {
    case Format::xml: return "xml";
    case Format::binary: return "binary";
    case Format::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace entsig::plist

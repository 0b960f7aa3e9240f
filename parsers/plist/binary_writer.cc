// bplist00 writer, laid out as CoreFoundation's __CFBinaryPlistWriteOrPresize does: objects in
// pre-order from the root (object 0; a dict's keys, then each value's subtree), equal strings,
// numbers, dates and data written once, the smallest ref and offset sizes, a zeroed trailer
// with top object 0. Unlike CF, equal booleans and UIDs are shared too, and an array or dict
// that appears twice (the same arena storage, as the reader produces for shared objects) is
// written once, so a shared-object tree stays linear in size. Strings and data are found first
// by their storage (a shared object the reader handed out again), so a shared string is hashed
// once, not at every reference. No recursion.
#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <new>
#include <unordered_map>
#include <vector>

#include "binary_format.h"
#include "charged_output.h"

namespace entsig::plist {
namespace {

using namespace bplist;

// A scalar's identity for de-duplication: type plus bits, or type plus bytes.
struct ScalarKey {
  Type type = Type::boolean;
  std::uint64_t bits = 0;
  bool negative = false;
  std::string_view bytes;
  bool operator==(const ScalarKey&) const = default;
};

struct ScalarKeyHash {
  std::size_t operator()(const ScalarKey& k) const {
    std::size_t h = std::hash<std::string_view>{}(k.bytes);
    h ^= std::hash<std::uint64_t>{}(k.bits) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h ^ (static_cast<std::size_t>(k.type) << 1) ^ static_cast<std::size_t>(k.negative);
  }
};

// A container's identity: its arena storage (empty ones of a type are all one object).
struct ContainerKey {
  Type type;
  const void* items;
  std::size_t size;
  bool operator==(const ContainerKey&) const = default;
};

struct ContainerKeyHash {
  std::size_t operator()(const ContainerKey& k) const {
    return std::hash<const void*>{}(k.items) ^ (k.size * 31) ^ static_cast<std::size_t>(k.type);
  }
};

// A string's or data's identity: where its bytes are stored.
struct StorageKey {
  Type type;
  const char* bytes;
  std::size_t size;
  bool operator==(const StorageKey&) const = default;
};

struct StorageKeyHash {
  std::size_t operator()(const StorageKey& k) const {
    return std::hash<const void*>{}(k.bytes) ^ (k.size * 31) ^ static_cast<std::size_t>(k.type);
  }
};

StorageKey storage_key(Type type, std::string_view bytes) { return {type, bytes.data(), bytes.size()}; }

ScalarKey scalar_key(const Value& v) {
  ScalarKey k;
  k.type = v.type();
  switch (v.type()) {
    case Type::boolean: k.bits = v.as_bool(); break;
    case Type::integer: k.bits = v.as_integer().bits; k.negative = v.as_integer().negative; break;
    // Bit patterns, so NaN payloads and -0.0 survive; CF would also merge 1 and 1.0 (CFEqual).
    case Type::real: k.bits = std::bit_cast<std::uint64_t>(v.as_real()); break;
    case Type::date: k.bits = std::bit_cast<std::uint64_t>(v.as_date()); break;
    case Type::uid: k.bits = v.as_uid(); break;
    case Type::string: k.bytes = v.as_string(); break;
    case Type::data: {
      const Bytes d = v.as_data();
      k.bytes = {reinterpret_cast<const char*>(d.data()), d.size()};
      break;
    }
    default: break;
  }
  return k;
}

ContainerKey container_key(const Value& v) {
  if (v.is(Type::array)) return {Type::array, v.as_array().data(), v.size()};
  return {Type::dict, v.as_dict().data(), v.size()};
}

bool is_ascii(std::string_view s) {
  unsigned char all = 0;
  for (char c : s) all |= static_cast<unsigned char>(c);
  return all < 0x80;
}

class Writer {
 public:
  explicit Writer(Budget& budget) : limits_(budget.limits()), out_(budget) {}
  Result<std::string> run(const Value& root);

 private:
  struct Object {
    Type type;
    Value value;                   // scalars and containers
    std::string_view text;         // strings, including keys (which have no Value)
    std::uint64_t refs_begin = 0;  // containers: first of their refs in refs_
  };
  struct Frame {
    std::uint64_t object;
    const Value* value;  // the caller's value or an element in its arena: stable
    std::size_t next;    // next child value to place
  };

  bool flatten(const Value& root);
  // Object index for v, appending it (and for a container, opening a frame) when it is new.
  bool place(const Value& v, std::uint64_t& index);
  bool place_key(std::string_view key, std::uint64_t& index);
  // Index of an equal scalar placed before (by storage, then by content), remembering this
  // storage for the next reference; false when there is none.
  bool find_scalar(const StorageKey& id, const ScalarKey& key, std::uint64_t& index);
  bool open(const Value& v, std::uint64_t index);
  bool close();
  std::uint64_t append(Object o, std::uint64_t expanded);
  void write();
  void write_object(const Object& o);
  void put_be(std::uint64_t v, unsigned width);
  void put_marker_and_count(std::uint8_t type, std::uint64_t count);
  void put_count(std::uint64_t v);  // an int object: smallest of 1/2/4/8 bytes (CF _appendInt)
  bool fail(ErrorCode code, std::string_view detail) {
    error_ = make_error(code, 0, detail);
    return false;
  }

  const Limits limits_;  // the output must pass a strict read under these
  std::vector<Object> objects_;
  std::vector<std::uint64_t> refs_;
  std::vector<std::uint32_t> height_;     // containers on the longest path down (0: scalar)
  std::vector<std::uint64_t> expanded_;   // nodes in the expanded tree, counted as the reader does
  std::vector<std::uint64_t> key_stamp_;  // per object: the last dict (index + 1) using it as key
  std::unordered_map<ScalarKey, std::uint64_t, ScalarKeyHash> scalars_;
  std::unordered_map<ContainerKey, std::uint64_t, ContainerKeyHash> containers_;
  std::unordered_map<StorageKey, std::uint64_t, StorageKeyHash> stored_;
  std::vector<Frame> stack_;
  unsigned ref_size_ = 1;
  detail::ChargedOutput out_;
  std::string units_;  // UTF-16 conversion scratch
  Error error_;
};

Result<std::string> Writer::run(const Value& root) {
  if (!flatten(root)) return std::move(error_);
  write();
  return out_.finish();
}

std::uint64_t Writer::append(Object o, std::uint64_t expanded) {
  objects_.push_back(o);
  height_.push_back(0);
  expanded_.push_back(expanded);
  key_stamp_.push_back(0);
  return objects_.size() - 1;
}

bool Writer::flatten(const Value& root) {
  std::uint64_t index = 0;
  if (!place(root, index)) return false;
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    const std::size_t n = f.value->size();
    if (f.next == n) {
      if (!close()) return false;
      continue;
    }
    const std::size_t i = f.next++;
    const bool is_dict = f.value->is(Type::dict);
    const Value& child = is_dict ? f.value->as_dict()[i].value : f.value->as_array()[i];
    const std::uint64_t slot = objects_[f.object].refs_begin + (is_dict ? n : 0) + i;
    if (!place(child, index)) return false;  // may push a frame: f is not used after this
    refs_[slot] = index;
  }
  return true;
}

bool Writer::find_scalar(const StorageKey& id, const ScalarKey& key, std::uint64_t& index) {
  if (auto it = stored_.find(id); it != stored_.end()) {
    index = it->second;
    return true;
  }
  auto it = scalars_.find(key);
  if (it == scalars_.end()) return false;
  index = it->second;
  stored_.emplace(id, index);
  return true;
}

bool Writer::place_key(std::string_view key, std::uint64_t& index) {
  const StorageKey id = storage_key(Type::string, key);
  const ScalarKey sk{Type::string, 0, false, key};
  if (find_scalar(id, sk, index)) return true;
  if (auto bad = find_invalid_utf8(as_bytes(key)))
    return fail(ErrorCode::bplist_write_invalid_utf8, "key, byte " + std::to_string(*bad));
  index = append({Type::string, Value(), key, 0}, 1);
  scalars_.emplace(sk, index);
  stored_.emplace(id, index);
  return true;
}

bool Writer::place(const Value& v, std::uint64_t& index) {
  if (v.is(Type::array) || v.is(Type::dict)) {
    const ContainerKey key = container_key(v);
    if (auto it = containers_.find(key); it != containers_.end()) {
      index = it->second;
      // Written once, but the reader meets it at this depth as well.
      if (stack_.size() + height_[index] > limits_.max_depth)
        return fail(ErrorCode::bplist_limit_depth, "nesting deeper than Limits::max_depth");
      return true;
    }
    if (stack_.size() + 1 > limits_.max_depth)
      return fail(ErrorCode::bplist_limit_depth, "nesting deeper than Limits::max_depth");
    index = append({v.type(), v, {}, refs_.size()}, 0);
    containers_.emplace(key, index);
    return open(v, index);
  }
  if (v.is(Type::string)) return place_key(v.as_string(), index);
  const ScalarKey key = scalar_key(v);
  if (v.is(Type::data)) {
    const StorageKey id = storage_key(Type::data, key.bytes);
    if (find_scalar(id, key, index)) return true;
    index = append({v.type(), v, {}, 0}, 1);
    scalars_.emplace(key, index);
    stored_.emplace(id, index);
    return true;
  }
  if (auto it = scalars_.find(key); it != scalars_.end()) {
    index = it->second;
    return true;
  }
  // CF's reader requires a 32-bit UID (CFBinaryPList.c L1464, plist-behaviours A2 #28).
  if (v.is(Type::uid) && v.as_uid() > 0xFFFFFFFFu)
    return fail(ErrorCode::bplist_write_uid_too_large, "uid " + std::to_string(v.as_uid()));
  index = append({v.type(), v, {}, 0}, 1);
  scalars_.emplace(key, index);
  return true;
}

bool Writer::open(const Value& v, std::uint64_t index) {
  const bool is_dict = v.is(Type::dict);
  const std::size_t n = v.size();
  refs_.resize(refs_.size() + (is_dict ? 2 * n : n));
  if (is_dict) {
    // All keys first, in order, as CF's _flattenPlist does. Equal keys share one object, so a
    // repeated key shows up as a repeated index.
    const std::uint64_t stamp = index + 1;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view k = v.as_dict()[i].key;
      std::uint64_t key_index = 0;
      if (!place_key(k, key_index)) return false;
      if (key_stamp_[key_index] == stamp)
        return fail(ErrorCode::bplist_write_duplicate_key, "key \"" + std::string(k) + "\"");
      key_stamp_[key_index] = stamp;
      refs_[objects_[index].refs_begin + i] = key_index;
    }
  }
  stack_.push_back({index, &v, 0});
  return true;
}

bool Writer::close() {
  const Frame f = stack_.back();
  stack_.pop_back();
  const Object& o = objects_[f.object];
  const bool is_dict = o.type == Type::dict;
  const std::size_t n = f.value->size();
  std::uint32_t height = 0;
  std::uint64_t expanded = 1 + (is_dict ? n : 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t child = refs_[o.refs_begin + (is_dict ? n : 0) + i];
    height = std::max(height, height_[child]);
    if (__builtin_add_overflow(expanded, expanded_[child], &expanded) ||
        expanded > limits_.max_expanded_nodes)
      return fail(ErrorCode::bplist_limit_expansion, "expanded tree larger than Limits::max_expanded_nodes");
  }
  height_[f.object] = height + 1;
  expanded_[f.object] = expanded;
  return true;
}

void Writer::put_be(std::uint64_t v, unsigned width) {
  char buf[8];
  for (unsigned k = 0; k < width; ++k) buf[k] = static_cast<char>((v >> (8 * (width - 1 - k))) & 0xFF);
  out_.append(buf, width);
}

void Writer::put_count(std::uint64_t v) {
  const unsigned width = byte_count(v);
  out_ += static_cast<char>(kInt | std::countr_zero(width));
  put_be(v, width);
}

void Writer::put_marker_and_count(std::uint8_t type, std::uint64_t count) {
  out_ += static_cast<char>(type | (count < 15 ? count : kLongCount));
  if (count >= 15) put_count(count);
}

void Writer::write_object(const Object& o) {
  switch (o.type) {
    case Type::boolean: out_ += static_cast<char>(o.value.as_bool() ? kTrue : kFalse); break;
    case Type::integer: {
      const Integer v = o.value.as_integer();
      if (v.negative) {  // always 8 bytes, signed (CF _appendInt)
        out_ += static_cast<char>(kInt | 3);
        put_be(v.bits, 8);
      } else if (v.bits > static_cast<std::uint64_t>(INT64_MAX)) {
        // 16 bytes with a zero high half, as CF writes kCFNumberSInt128Type (_appendNumber).
        out_ += static_cast<char>(kInt | 4);
        put_be(0, 8);
        put_be(v.bits, 8);
      } else {
        put_count(v.bits);
      }
      break;
    }
    case Type::real:
      out_ += static_cast<char>(kReal | 3);
      put_be(std::bit_cast<std::uint64_t>(o.value.as_real()), 8);
      break;
    case Type::date:
      out_ += static_cast<char>(kDateMarker);
      put_be(std::bit_cast<std::uint64_t>(o.value.as_date()), 8);
      break;
    case Type::data: {
      const Bytes d = o.value.as_data();
      put_marker_and_count(kData, d.size());
      out_.append(reinterpret_cast<const char*>(d.data()), d.size());
      break;
    }
    case Type::string:
      // ASCII as 0x5n, anything else as UTF-16BE 0x6n counted in code units (CF _appendString).
      if (is_ascii(o.text)) {
        put_marker_and_count(kAscii, o.text.size());
        out_.append(o.text);
      } else {
        units_.clear();
        const std::uint64_t count = append_utf16be_from_utf8(o.text, units_);
        put_marker_and_count(kUtf16, count);
        out_ += units_;
      }
      break;
    case Type::uid: {
      const unsigned width = byte_count(o.value.as_uid());
      out_ += static_cast<char>(kUid | (width - 1));
      put_be(o.value.as_uid(), width);
      break;
    }
    case Type::array:
    case Type::dict: {
      const bool is_dict = o.type == Type::dict;
      const std::size_t n = o.value.size();
      put_marker_and_count(is_dict ? kDict : kArray, n);
      for (std::size_t i = 0; i < (is_dict ? 2 * n : n); ++i) put_be(refs_[o.refs_begin + i], ref_size_);
      break;
    }
  }
}

void Writer::write() {
  const std::uint64_t count = objects_.size();
  ref_size_ = byte_count(count);  // CF: _byteCount(cnt), so refs can address `count` itself
  out_ += kMagic;
  std::vector<std::uint64_t> offsets(count);
  for (std::uint64_t i = 0; i < count && out_.ok(); ++i) {
    offsets[i] = out_.size();
    write_object(objects_[i]);
  }
  const std::uint64_t table_offset = out_.size();
  const unsigned offset_size = byte_count(table_offset);
  for (std::uint64_t off : offsets) put_be(off, offset_size);
  out_.append(6, '\0');  // unused and sortVersion
  out_ += static_cast<char>(offset_size);
  out_ += static_cast<char>(ref_size_);
  put_be(count, 8);
  put_be(0, 8);  // top object: the root is always object 0
  put_be(table_offset, 8);
}

}  // namespace

Result<std::string> write_binary(const Value& root, Budget& budget) {
  try {
    Writer writer(budget);
    return writer.run(root);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_input_too_large, 0, "out of memory while writing a binary plist");
  }
}

Result<std::string> write_binary(const Value& root) {
  Budget budget;
  return write_binary(root, budget);
}

}  // namespace entsig::plist

// entsig core: the one error model, limits, result type, checked arithmetic and the
// bounds-checked byte cursor that every binary parser reads through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace entsig {

using Bytes = std::span<const std::uint8_t>;

inline Bytes as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// ---------------------------------------------------------------------------
// Errors

// Three kinds of failure, kept apart: fuzzers abort only on `internal`.
enum class ErrorKind : std::uint8_t {
  malformed,  // the input breaks the format's rules
  limit,      // a configured limit was hit; the message names it and how to raise it
  internal,   // an invariant of ours broke: a bug
};

// Append-only. Each area has its own numeric range (see errors/*.def), so codes
// never move when another area grows. The string id is what tools and tests match.
enum class ErrorCode : std::uint16_t {
  ok = 0,
#define ENTSIG_ERROR_AREA(area, base) area##_area_start_ = (base)-1,
#define ENTSIG_ERROR(name, id, kind, message) name,
#include "entsig/errors/all.def"
#undef ENTSIG_ERROR
#undef ENTSIG_ERROR_AREA
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view id;       // stable dotted id, e.g. "bplist.offset_table.out_of_range"
  ErrorKind kind;
  std::string_view message;  // one-line description
};

// Metadata for a code; unknown codes map to the internal "core.unknown_error_code".
const ErrorInfo& error_info(ErrorCode code);
std::string_view error_id(ErrorCode code);
ErrorKind error_kind(ErrorCode code);
// Looks a code up by its string id; nullopt when no code has that id.
std::optional<ErrorCode> error_code_from_id(std::string_view id);
// Every registered code, in numeric order (for docs and tests).
std::span<const ErrorInfo> all_error_infos();

struct Error {
  ErrorCode code = ErrorCode::ok;
  std::uint64_t offset = 0;  // byte offset into the outermost input
  std::string message;       // table message, plus detail when given

  std::string_view id() const { return error_id(code); }
  ErrorKind kind() const { return error_kind(code); }
  // "<id> at offset N: <message>"
  std::string describe() const;
};

// Builds an error whose message is the table message, followed by ": detail" if any.
Error make_error(ErrorCode code, std::uint64_t offset, std::string_view detail = {});

// ---------------------------------------------------------------------------
// Result

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }
  Error&& take_error() { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Result for operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

// ---------------------------------------------------------------------------
// Limits: named defaults, each overridable per call.

struct Limits {
  // macOS CoreFoundation's _CFPropertyListMaxRecursionDepth (iOS uses 128); libplist also uses 512.
  static constexpr std::uint32_t default_max_depth = 512;
  // A hard cap on input size so a caller cannot be made to parse gigabytes by accident.
  static constexpr std::uint64_t default_max_input_bytes = 512ull << 20;
  // Objects/nodes created by one parse (bplist object count, XML elements, DER items).
  static constexpr std::uint64_t default_max_objects = 16ull << 20;
  // Nodes a parse may materialise after following shared references: bounds a bplist DAG
  // whose tree is exponentially larger than the file (libplist takes > 60 s at 2^24 nodes).
  static constexpr std::uint64_t default_max_expanded_nodes = 32ull << 20;

  // Bytes the values stand for once shared references are followed (strings, keys, data,
  // counted again at every reference): bounds what a writer or consumer must produce from a
  // small DAG. Real entitlements and plists need well under 1 MiB.
  static constexpr std::uint64_t default_max_expanded_bytes = 32ull << 20;
  // Bytes one writer may produce (JSON, XML, binary, DER), charged before it allocates.
  static constexpr std::uint64_t default_max_output_bytes = 32ull << 20;

  std::uint32_t max_depth = default_max_depth;
  std::uint64_t max_input_bytes = default_max_input_bytes;
  std::uint64_t max_objects = default_max_objects;
  std::uint64_t max_expanded_nodes = default_max_expanded_nodes;
  std::uint64_t max_expanded_bytes = default_max_expanded_bytes;
  std::uint64_t max_output_bytes = default_max_output_bytes;
};

// One run's resource budget: the limits plus what has been spent against them. Readers charge
// expanded bytes as they materialise values; writers charge output bytes before they allocate.
// Running out is a limit error (core.budget.*) at the offset where it happened: the input
// offset for expanded bytes, the output offset reached for output bytes.
//
// Expanded bytes (the same in every reader, docs/cli.md "Budget"): the payload bytes of every
// string, dict key and data value as the value model holds them (UTF-8 text, decoded data),
// counted again at every reference to a shared object. Node counts have their own limits
// (max_objects, max_expanded_nodes), so a charge here is never made for a node as such.
class Budget {
 public:
  explicit Budget(const Limits& limits = {}) : limits_(limits) {}

  const Limits& limits() const { return limits_; }
  std::uint64_t expanded_bytes() const { return expanded_bytes_; }
  std::uint64_t output_bytes() const { return output_bytes_; }

  // Charges `n` expanded bytes for a value read at input `offset`. Nothing is spent on failure.
  Status charge_expanded(std::uint64_t n, std::uint64_t offset) {
    if (n <= limits_.max_expanded_bytes - expanded_bytes_) [[likely]] {
      expanded_bytes_ += n;
      return Ok{};
    }
    return expanded_exhausted(offset);
  }
  // Charges `n` output bytes; the error's offset is the output size already charged.
  Status charge_output(std::uint64_t n) {
    if (n <= limits_.max_output_bytes - output_bytes_) [[likely]] {
      output_bytes_ += n;
      return Ok{};
    }
    return output_exhausted();
  }

 private:
  Error expanded_exhausted(std::uint64_t offset) const;
  Error output_exhausted() const;

  Limits limits_;
  std::uint64_t expanded_bytes_ = 0;
  std::uint64_t output_bytes_ = 0;
};

// A writer's side of the budget: charges output before each append and remembers the first
// refusal, after which every charge is refused, so a writer can keep going without checks
// and report the one error at the end.
class OutputCharge {
 public:
  explicit OutputCharge(Budget& budget) : budget_(budget) {}

  bool ok() const { return ok_; }
  // True when `n` more output bytes fit; false (and the error kept) otherwise. Inline: writers
  // call it for every append.
  bool charge(std::uint64_t n) {
    if (!ok_) return false;
    Status status = budget_.charge_output(n);
    if (status.ok()) return true;
    ok_ = false;
    error_ = status.take_error();
    return false;
  }
  Error take_error() { return std::move(error_); }

 private:
  Budget& budget_;
  bool ok_ = true;
  Error error_;
};

// A limit error: "<what> exceeds the limit of N (raise Limits::<field>)".
Error limit_error(ErrorCode code, std::uint64_t offset, std::string_view limit_field,
                  std::uint64_t limit_value);

// ---------------------------------------------------------------------------
// Checked arithmetic: every size/offset/count from input goes through these.

template <class T>
constexpr std::optional<T> checked_add(T a, T b) {
  T out{};
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

template <class T>
constexpr std::optional<T> checked_mul(T a, T b) {
  T out{};
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// True when [offset, offset + length) lies inside [0, size), without overflow.
constexpr bool range_fits(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

// ---------------------------------------------------------------------------
// Cursor: a bounds-checked read position inside a byte span. Reads return nullopt
// (and do not move) when the bytes are not there. `base` is the span's offset in the
// outermost input, so errors from sub-views point at the right byte.

enum class Endian : std::uint8_t { little, big };

class Cursor {
 public:
  Cursor() = default;
  explicit Cursor(Bytes data, std::uint64_t base = 0) : data_(data), base_(base) {}

  std::size_t size() const { return data_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  // Offset of the current position (or of a local position) in the outermost input.
  std::uint64_t offset() const { return base_ + pos_; }
  std::uint64_t offset_of(std::size_t local) const { return base_ + local; }
  std::uint64_t base() const { return base_; }
  Bytes data() const { return data_; }

  bool can_read(std::uint64_t n) const { return n <= remaining(); }
  bool seek(std::uint64_t local);
  bool skip(std::uint64_t n);

  std::optional<std::uint8_t> u8();
  std::optional<std::uint16_t> u16(Endian e);
  std::optional<std::uint32_t> u32(Endian e);
  std::optional<std::uint64_t> u64(Endian e);
  std::optional<std::uint16_t> u16be() { return u16(Endian::big); }
  std::optional<std::uint32_t> u32be() { return u32(Endian::big); }
  std::optional<std::uint64_t> u64be() { return u64(Endian::big); }
  std::optional<std::uint16_t> u16le() { return u16(Endian::little); }
  std::optional<std::uint32_t> u32le() { return u32(Endian::little); }
  std::optional<std::uint64_t> u64le() { return u64(Endian::little); }
  // Unsigned integer of 1..8 bytes.
  std::optional<std::uint64_t> uint(std::size_t width, Endian e);
  std::optional<Bytes> bytes(std::uint64_t n);

  // Reads at an absolute local offset without moving the cursor.
  std::optional<std::uint8_t> u8_at(std::uint64_t local) const;
  std::optional<std::uint32_t> u32_at(std::uint64_t local, Endian e) const;
  std::optional<std::uint64_t> uint_at(std::uint64_t local, std::size_t width, Endian e) const;
  std::optional<Bytes> bytes_at(std::uint64_t local, std::uint64_t n) const;

  // A cursor over [local, local + length) of this one; nullopt when out of range.
  std::optional<Cursor> sub(std::uint64_t local, std::uint64_t length) const;

 private:
  Bytes data_;
  std::size_t pos_ = 0;
  std::uint64_t base_ = 0;
};

// Decodes an unsigned big/little-endian integer of width 1..8 from exactly `width` bytes.
std::uint64_t load_uint(const std::uint8_t* p, std::size_t width, Endian e);

// ---------------------------------------------------------------------------
// Text helpers shared by formats.

// Strict UTF-8 validation (no overlongs, no surrogates, <= U+10FFFF). Returns the byte
// index of the first invalid sequence, or nullopt when valid.
std::optional<std::size_t> find_invalid_utf8(Bytes text);
// Appends the UTF-8 encoding of a scalar value (caller guarantees validity).
void append_utf8(std::string& out, std::uint32_t code_point);

// Standard base64 (RFC 4648 alphabet, with padding).
std::string base64_encode(Bytes data);
// Strict decode: only alphabet characters, correct padding; nullopt otherwise.
std::optional<std::string> base64_decode_strict(std::string_view text);

// Lower-case hex of bytes.
std::string hex_encode(Bytes data);

}  // namespace entsig

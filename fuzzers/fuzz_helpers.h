// Shared pieces of every fuzz target: option selection from leading bytes and the
// invariants a target checks. Targets abort only on broken invariants, never on rejects.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "entsig/core.h"

namespace entsig::fuzz {

// Splits a fuzz input into a few leading choice bytes and the payload. Missing choice
// bytes read as 0, so tiny inputs (AFL++'s 4-byte dry run) are fine.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t take_byte() {
    if (size_ == 0) return 0;
    std::uint8_t b = *data_;
    ++data_;
    --size_;
    return b;
  }
  Bytes rest() const { return {data_, size_}; }
  // Splits off the first `n` payload bytes (fewer when the input is shorter).
  Bytes take(std::size_t n) {
    if (n > size_) n = size_;
    Bytes out(data_, n);
    data_ += n;
    size_ -= n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

[[noreturn]] inline void fail(const char* what, const Error* e = nullptr) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  if (e) std::fprintf(stderr, "  %s\n", e->describe().c_str());
  std::abort();
}

// Differential targets: a disagreement that a documented differential explains is not a
// finding. It is printed the first time and counted; the counts print at exit.
inline void note_known_differential(const char* target, const char* id, const char* source) {
  static std::map<std::string, std::size_t> counts;
  static const char* name = target;
  if (counts.empty())
    std::atexit([] {
      for (const auto& [known, count] : counts) std::fprintf(stderr, "%s: %zu x known differential: %s\n", name, count, known.c_str());
    });
  if (counts[id]++ == 0) std::fprintf(stderr, "%s: known differential \"%s\" (%s)\n", target, id, source);
}

// Default limits for an even choice byte; for an odd one, small limits drawn from its
// other bits, so the limit paths of every parser are fuzzed too (rejects, not crashes).
inline Limits pick_limits(std::uint8_t choice) {
  Limits limits;
  if ((choice & 1) == 0) return limits;
  limits.max_depth = 1 + ((choice >> 1) & 7);
  limits.max_objects = 1 + (choice >> 4) * 4;
  limits.max_expanded_nodes = 1 + (choice >> 3) * 2;
  return limits;
}

// Amplification bound: a run may expand (readers: Budget expanded bytes) and write (all its
// writers together: output bytes) at most kAmplificationFactor times its input plus
// kAmplificationSlack. Past that the Budget refuses (core.budget.*: a rejection, not a
// finding); with max_len at most 64 KiB that is about 4.3 MiB, far under the options'
// malloc_limit_mb. 64x covers what the writers legitimately add: XML indentation and tags
// around a 2-byte bplist integer, tagged-JSON escapes of control characters.
inline constexpr std::uint64_t kAmplificationFactor = 64;
inline constexpr std::uint64_t kAmplificationSlack = 256 << 10;

inline std::uint64_t amplification_bound(std::uint64_t input_size) {
  return kAmplificationFactor * input_size + kAmplificationSlack;  // input_size <= max_len: no overflow
}

// A writer or reader stopped by the run's Budget: a limit, never a finding.
inline bool is_budget_refusal(const Error& e) {
  return e.code == ErrorCode::core_budget_output_bytes || e.code == ErrorCode::core_budget_expanded_bytes;
}

// One run's Budget under the amplification bound, and the checks on what its writers return.
class BoundedRun {
 public:
  explicit BoundedRun(std::uint64_t input_size, Limits limits = {})
      : bound_(amplification_bound(input_size)), budget_(bounded(limits, bound_)) {}

  Budget& budget() { return budget_; }
  std::uint64_t bound() const { return bound_; }

  // Calls writer(budget()) and checks its result: never more bytes than it charged, and all
  // the run's results together within the bound. A refusal must be a registered limit or
  // write error, never internal.
  template <class Writer>
  Result<std::string> write(Writer&& writer) {
    const std::uint64_t charged_before = budget_.output_bytes();
    Result<std::string> out = writer(budget_);
    if (!out) {
      const Error& e = out.error();
      if (error_info(e.code).code != e.code || e.code == ErrorCode::ok) fail("writer error code is not registered", &e);
      if (e.kind() == ErrorKind::internal) fail("writer failed with an internal error", &e);
      return out;
    }
    if (out->size() > budget_.output_bytes() - charged_before) fail("writer returned more bytes than it charged");
    written_ += out->size();
    if (written_ > bound_) fail("the run's output exceeds the amplification bound");
    return out;
  }

  // After a successful read: what the reader expanded stayed within the bound.
  void check_expanded() const {
    if (budget_.expanded_bytes() > bound_) fail("the run's expanded bytes exceed the amplification bound");
  }

 private:
  static Limits bounded(Limits limits, std::uint64_t bound) {
    if (limits.max_expanded_bytes > bound) limits.max_expanded_bytes = bound;
    if (limits.max_output_bytes > bound) limits.max_output_bytes = bound;
    return limits;
  }

  std::uint64_t bound_;
  Budget budget_;
  std::uint64_t written_ = 0;
};

// An offset a model or error reports must lie inside [base, base + size].
inline void check_offset(std::uint64_t offset, std::uint64_t base, std::uint64_t size, const char* what) {
  if (offset < base || offset - base > size) fail(what);
}

// Every rejection must be a registered, non-internal code that points inside the input.
inline void check_rejection(const Error& e, std::size_t input_size) {
  if (e.code == ErrorCode::ok) fail("error result carries code ok", &e);
  if (error_info(e.code).code != e.code) fail("error code is not registered", &e);
  if (e.kind() == ErrorKind::internal) fail("internal error", &e);
  if (e.offset > input_size) fail("error offset lies past the end of the input", &e);
}

// The same for a parse of bytes that sit at `base` in the outermost input.
inline void check_rejection(const Error& e, std::uint64_t base, std::uint64_t size) {
  if (e.offset < base) fail("error offset lies before the input", &e);
  check_rejection(Error{e.code, e.offset - base, e.message}, size);
}

}  // namespace entsig::fuzz

// Shared pieces of every fuzz target: option selection from leading bytes and the
// invariants a target checks. Targets abort only on broken invariants, never on rejects.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

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

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

[[noreturn]] inline void fail(const char* what, const Error* e = nullptr) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  if (e) std::fprintf(stderr, "  %s\n", e->describe().c_str());
  std::abort();
}

// Every rejection must be a registered, non-internal code that points inside the input.
inline void check_rejection(const Error& e, std::size_t input_size) {
  if (e.code == ErrorCode::ok) fail("error result carries code ok", &e);
  if (error_info(e.code).code != e.code) fail("error code is not registered", &e);
  if (e.kind() == ErrorKind::internal) fail("internal error", &e);
  if (e.offset > input_size) fail("error offset lies past the end of the input", &e);
}

}  // namespace entsig::fuzz

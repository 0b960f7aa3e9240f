// Reading a verb's input (a file, or standard input for "-") and writing its output.
// docs/cli.md, "How inputs are read", describes the behaviour.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "entsig/core.h"

namespace entsig::tools {

// A verb's input bytes: a read-only private mapping of a regular file, or a buffer holding
// what was read from a stream. Move-only; views into bytes() live as long as it does.
class InputBytes {
 public:
  InputBytes() = default;
  // Takes ownership of `data`: an mmap of `size` bytes when `mapped`, else a malloc'd buffer.
  InputBytes(const std::uint8_t* data, std::size_t size, bool mapped) : data_(data), size_(size), mapped_(mapped) {}
  InputBytes(InputBytes&& other) noexcept;
  InputBytes& operator=(InputBytes&& other) noexcept;
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;
  ~InputBytes();

  Bytes bytes() const { return {data_, size_}; }
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }
  bool mapped() const { return mapped_; }

 private:
  void release();

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;  // data_ is an mmap of size_ bytes; otherwise malloc'd (or null)
};

// How many leading bytes of a stream an EarlyReject sees (fewer only when the stream ends).
inline constexpr std::size_t kStreamHeadBytes = 64 * 1024;

// Judges a stream from its first bytes: an error when those bytes already decide that the
// input is rejected, whatever follows. The rest of the stream is then only counted, not kept,
// so the result is the same as for a file of the same bytes: core.input_too_large when it is
// over the limit, else this error.
using EarlyReject = std::function<std::optional<Error>(Bytes head)>;

// The input at `path` ("-" is standard input). A regular file is sized with fstat and refused
// above max_bytes before anything is read (core.input_too_large, offset max_bytes), then
// mapped. Standard input and other files (pipes, devices) are read to at most max_bytes + 1
// bytes. core.io when the input cannot be opened, read or mapped.
Result<InputBytes> open_input(const std::string& path, std::uint64_t max_bytes, const EarlyReject& early = nullptr);

// The same, copied into a string (small inputs such as baselines and Info.plist files).
Result<std::string> read_input(const std::string& path, std::uint64_t max_bytes);

// Adds the run's limits to a verb (docs/cli.md, "Budget"): --max-input-bytes,
// --max-expanded-bytes and --max-output-bytes, stored into `limits` (defaults: Limits's).
void add_budget_options(CLI::App& cmd, Limits& limits);

// Writes `bytes` to `path`, or to standard output when path is empty or "-". On failure
// returns the line to print: "cannot write <path>: <reason>" (path "standard output" for
// stdout). A closed pipe is a failure (EPIPE), not a signal. (Not an entsig Error: those
// describe inputs.)
std::optional<std::string> write_output(const std::string& path, std::string_view bytes);

}  // namespace entsig::tools

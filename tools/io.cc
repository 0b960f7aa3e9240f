// File and stdio plumbing for the verbs. A regular file's size is known before any byte is
// read, so it is checked first and the file mapped, not copied: parsers take a byte span, and
// a mapping is one. Streams have no size: they are read in blocks, never keeping more than one
// byte past the limit.
#include "io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace entsig::tools {
namespace {

Error io_error(const std::string& path, int err, std::string_view what = {}) {
  std::string detail = path == "-" ? std::string("standard input") : path;
  if (!what.empty()) detail += ": " + std::string(what);
  return make_error(ErrorCode::core_io, 0, detail + ": " + std::strerror(err));
}

Error too_large(std::uint64_t max_bytes) {
  return limit_error(ErrorCode::core_input_too_large, max_bytes, "max_input_bytes", max_bytes);
}

// A file that shrinks while mapped raises SIGBUS when its lost pages are touched. That is the
// file changing under us, not a fault of ours: report it as an unreadable input (exit 1).
// Only async-signal-safe calls here; the line is built when the file is mapped.
char sigbus_line[1024];
std::size_t sigbus_line_size = 0;
int live_mappings = 0;  // the handler is installed while any mapping is

void on_sigbus(int) {
  if (::write(STDERR_FILENO, sigbus_line, sigbus_line_size) < 0) {
    // Nothing left to report to.
  }
  ::_exit(1);
}

void arm_sigbus_report(const std::string& path) {
  const Error e = make_error(ErrorCode::core_io, 0, path + ": the file shrank while it was being read");
  const std::string line = "error: " + e.describe() + "\n";
  sigbus_line_size = std::min(line.size(), sizeof sigbus_line);
  std::memcpy(sigbus_line, line.data(), sigbus_line_size);
  struct sigaction action {};
  action.sa_handler = on_sigbus;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
  ++live_mappings;
}

// Past the last mapping, a SIGBUS is no longer a shrunken input: the default action again.
void disarm_sigbus_report() {
  if (--live_mappings == 0) std::signal(SIGBUS, SIG_DFL);
}

// read(2), retried when a signal interrupts it.
ssize_t read_some(int fd, std::uint8_t* into, std::size_t n) {
  while (true) {
    const ssize_t got = ::read(fd, into, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

// A malloc'd buffer that grows by doubling: realloc moves large blocks with mremap, so
// growing does not hold two copies.
struct StreamBuffer {
  std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t capacity = 0;

  StreamBuffer() = default;
  StreamBuffer(const StreamBuffer&) = delete;
  StreamBuffer& operator=(const StreamBuffer&) = delete;
  ~StreamBuffer() { std::free(data); }

  // Hands the bytes to an InputBytes, which frees them.
  InputBytes release() {
    InputBytes out(data, size, false);
    data = nullptr;
    size = capacity = 0;
    return out;
  }
  bool reserve(std::size_t wanted) {
    if (wanted <= capacity) return true;
    void* grown = std::realloc(data, wanted);
    if (!grown) return false;
    data = static_cast<std::uint8_t*>(grown);
    capacity = wanted;
    return true;
  }
};

// Reads until end of stream or until `buffer` holds `until` bytes. False on a read error
// (errno says which) or when the buffer cannot grow (ENOMEM).
bool fill(int fd, StreamBuffer& buffer, std::size_t until, bool& at_end) {
  at_end = false;
  while (buffer.size < until) {
    if (buffer.size == buffer.capacity) {
      const std::size_t doubled = std::max<std::size_t>(buffer.capacity * 2, 64 * 1024);
      if (!buffer.reserve(std::min(doubled, until))) {
        errno = ENOMEM;
        return false;
      }
    }
    const ssize_t got = read_some(fd, buffer.data + buffer.size, buffer.capacity - buffer.size);
    if (got < 0) return false;
    if (got == 0) {
      at_end = true;
      return true;
    }
    buffer.size += static_cast<std::size_t>(got);
  }
  return true;
}

// Reads and drops the rest of a stream, counting it into `total`, until it ends or the count
// passes `max_bytes`.
bool drain(int fd, std::uint64_t& total, std::uint64_t max_bytes) {
  std::uint8_t block[64 * 1024];
  while (total <= max_bytes) {
    const ssize_t got = read_some(fd, block, sizeof block);
    if (got < 0) return false;
    if (got == 0) break;
    total += static_cast<std::uint64_t>(got);
  }
  return true;
}

// At most max_bytes + 1 bytes of a stream: one more than the limit proves the input too large.
Result<InputBytes> read_stream(int fd, const std::string& path, std::uint64_t max_bytes, const EarlyReject& early) {
  const std::size_t cap = max_bytes >= SIZE_MAX ? SIZE_MAX : static_cast<std::size_t>(max_bytes) + 1;
  StreamBuffer buffer;
  bool at_end = false;
  if (!fill(fd, buffer, std::min(cap, kStreamHeadBytes), at_end)) return io_error(path, errno);
  if (early && !at_end) {
    if (std::optional<Error> rejected = early(Bytes(buffer.data, buffer.size))) {
      std::uint64_t total = buffer.size;
      buffer.release();  // the head is not needed any more: free it before draining
      if (!drain(fd, total, max_bytes)) return io_error(path, errno);
      if (total > max_bytes) return too_large(max_bytes);
      return std::move(*rejected);
    }
  }
  if (!at_end && !fill(fd, buffer, cap, at_end)) return io_error(path, errno);
  if (buffer.size > max_bytes) return too_large(max_bytes);
  return buffer.release();
}

// Closes a file descriptor we opened (not standard input) when it goes out of scope.
struct FdCloser {
  int fd;
  bool owned;
  ~FdCloser() {
    if (owned) ::close(fd);
  }
};

}  // namespace

InputBytes::InputBytes(InputBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

InputBytes& InputBytes::operator=(InputBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

InputBytes::~InputBytes() { release(); }

void InputBytes::release() {
  if (mapped_) {
    ::munmap(const_cast<std::uint8_t*>(data_), size_);
    disarm_sigbus_report();
  } else {
    std::free(const_cast<std::uint8_t*>(data_));
  }
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
}

Result<InputBytes> open_input(const std::string& path, std::uint64_t max_bytes, const EarlyReject& early) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path, errno);
  const FdCloser closer{fd, !is_stdin};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(path, errno);
  if (!S_ISREG(st.st_mode)) return read_stream(fd, path, max_bytes, early);
  // A regular file on standard input may have been read partly already: what is left counts.
  off_t start = 0;
  if (is_stdin) start = std::max<off_t>(::lseek(fd, 0, SEEK_CUR), 0);
  const auto size = static_cast<std::uint64_t>(std::max<off_t>(st.st_size - start, 0));
  if (size > max_bytes) return too_large(max_bytes);
  // Standard input is read, not mapped (its position need not be page-aligned); so is an
  // empty regular file, which may be a /proc file whose size fstat does not know.
  if (is_stdin || size == 0) return read_stream(fd, path, max_bytes, early);
  void* map = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  // Some special filesystems cannot map files; their files are read like streams.
  if (map == MAP_FAILED && errno == ENODEV) return read_stream(fd, path, max_bytes, early);
  if (map == MAP_FAILED) return io_error(path, errno, "cannot map");
  arm_sigbus_report(path);
  return InputBytes(static_cast<const std::uint8_t*>(map), static_cast<std::size_t>(size), true);
}

Result<std::string> read_input(const std::string& path, std::uint64_t max_bytes) {
  auto input = open_input(path, max_bytes);
  if (!input) return input.take_error();
  return std::string(input->text());
}

void add_budget_options(CLI::App& cmd, Limits& limits) {
  cmd.add_option("--max-input-bytes", limits.max_input_bytes,
                 "Refuse inputs larger than this many bytes (default 536870912, 512 MiB)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--max-expanded-bytes", limits.max_expanded_bytes,
                 "Budget for the bytes of strings, keys and data once shared objects are followed "
                 "(default 33554432)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--max-output-bytes", limits.max_output_bytes, "Budget for the bytes written (default 33554432)")
      ->check(CLI::NonNegativeNumber);
}

std::optional<std::string> write_output(const std::string& path, std::string_view bytes) {
  const bool is_stdout = path.empty() || path == "-";
  const std::string name = is_stdout ? std::string("standard output") : path;
  // A reader that went away is a failed write to report, not a reason to die by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::FILE* file = is_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (!file) return "cannot write " + name + ": " + std::strerror(errno);
  errno = 0;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const int write_errno = errno;
  ok = (is_stdout ? std::fflush(file) : std::fclose(file)) == 0 && ok;
  if (!ok) {
    const int err = write_errno != 0 ? write_errno : (errno != 0 ? errno : EIO);
    return "cannot write " + name + ": " + std::strerror(err);
  }
  return std::nullopt;
}

}  // namespace entsig::tools

// File and stdio plumbing for the verbs. Input is read in chunks so standard input and
// files share one path, and the size cap holds however large the source is.
#include "io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace entsig::tools {
namespace {

Error io_error(const std::string& path, int err) {
  const std::string name = path == "-" ? std::string("standard input") : path;
  return make_error(ErrorCode::core_io, 0, name + ": " + std::strerror(err));
}

}  // namespace

Result<std::string> read_input(const std::string& path, std::uint64_t max_bytes) {
  const bool is_stdin = path == "-";
  std::FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!file) return io_error(path, errno);
  std::string data;
  char chunk[1 << 16];
  Result<std::string> result{std::string()};
  while (true) {
    const std::size_t n = std::fread(chunk, 1, sizeof chunk, file);
    // Keep at most max_bytes + 1 bytes: one more than the cap proves the input too large.
    if (data.size() + n > max_bytes) {
      result = limit_error(ErrorCode::core_input_too_large, max_bytes, "max_input_bytes", max_bytes);
      break;
    }
    data.append(chunk, n);
    if (n < sizeof chunk) {
      if (std::ferror(file))
        result = io_error(path, errno != 0 ? errno : EIO);
      else
        result = std::move(data);
      break;
    }
  }
  if (!is_stdin) std::fclose(file);
  return result;
}

std::optional<std::string> write_output(const std::string& path, std::string_view bytes) {
  const bool is_stdout = path.empty() || path == "-";
  const std::string name = is_stdout ? std::string("standard output") : path;
  std::FILE* file = is_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (!file) return "cannot write " + name + ": " + std::strerror(errno);
  errno = 0;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  ok = (is_stdout ? std::fflush(file) : std::fclose(file)) == 0 && ok;
  if (!ok) return "cannot write " + name + ": " + std::strerror(errno != 0 ? errno : EIO);
  return std::nullopt;
}

}  // namespace entsig::tools

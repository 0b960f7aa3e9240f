// entsig conform: child processes for external adapters. posix_spawn with three pipes, poll()
// with a deadline, and SIGKILL to the child's process group when it runs out of time, so an
// adapter that is a shell script cannot leave its interpreter behind.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace entsig::tools::conform {

using Clock = std::chrono::steady_clock;

// How a child ended.
struct ExitStatus {
  enum class Kind : std::uint8_t { exited, signaled, timed_out, spawn_failed };
  Kind kind = Kind::exited;
  int code = 0;  // exit code, or the signal number
  std::string describe() const;  // "exit status 2", "killed by signal 11 (Segmentation fault)", ...
};

// A running child with pipes to its standard input, output and error.
class Child {
 public:
  // Most bytes kept from each of stdout and stderr; beyond that a child counts as misbehaving.
  static constexpr std::size_t kMaxOutput = 64u << 20;

  // Starts argv[0] (looked up in PATH when it has no '/'). On failure returns nullopt and
  // fills `error`.
  static std::optional<Child> spawn(const std::vector<std::string>& argv, std::string& error);

  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  ~Child();  // kills and reaps a child still running

  // Writes all of `data` to the child's stdin while draining its stdout and stderr (so neither
  // side blocks). False on timeout or when the child closed its stdin.
  bool write_all(std::string_view data, Clock::time_point deadline);
  void close_stdin();
  // Reads stdout and stderr to end of file. False on timeout or too much output.
  bool read_to_end(Clock::time_point deadline);
  // Reads one line from stdout (without the newline) into `line`.
  enum class LineResult : std::uint8_t { line, end_of_file, timeout, too_long };
  LineResult read_line(std::string& line, Clock::time_point deadline);

  // Waits for the child until `deadline`, then kills it.
  ExitStatus wait(Clock::time_point deadline);
  void kill();  // SIGKILL to the process group

  std::string& out() { return out_; }
  std::string& err() { return err_; }
  bool output_overflow() const { return overflow_; }

 private:
  Child() = default;
  // One poll() round: reads what is ready on stdout/stderr, writes to stdin when `pending` is
  // not empty. Returns false when the deadline passed.
  bool pump(std::string_view& pending, Clock::time_point deadline);
  void close_fd(int& fd);

  pid_t pid_ = -1;
  int in_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  std::size_t line_start_ = 0;
  bool overflow_ = false;
  bool reaped_ = false;
};

// Runs argv with `input` on stdin and collects everything, within `timeout`.
struct RunResult {
  ExitStatus status;
  std::string out, err;
  std::string problem;  // why it could not start, or that it wrote too much
  double seconds = 0;
};
RunResult run_process(const std::vector<std::string>& argv, std::string_view input, std::chrono::duration<double> timeout);

}  // namespace entsig::tools::conform

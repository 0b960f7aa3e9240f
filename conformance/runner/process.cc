// Child processes for external conformance adapters (see process.h).
#include "runner/process.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace entsig::tools::conform {
namespace {

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

ExitStatus from_wait_status(int status) {
  if (WIFSIGNALED(status)) return {ExitStatus::Kind::signaled, WTERMSIG(status)};
  return {ExitStatus::Kind::exited, WEXITSTATUS(status)};
}

}  // namespace

std::string ExitStatus::describe() const {
  switch (kind) {
    case Kind::exited: return "exit status " + std::to_string(code);
    case Kind::signaled: return "killed by signal " + std::to_string(code) + " (" + ::strsignal(code) + ")";
    case Kind::timed_out: return "timed out";
    case Kind::spawn_failed: return "could not be started";
  }
  return "?";
}

std::optional<Child> Child::spawn(const std::vector<std::string>& argv, std::string& error) {
  int in[2], out[2], err[2];
  // O_CLOEXEC: children spawned by other worker threads must not inherit these ends.
  if (::pipe2(in, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    ::close(in[0]), ::close(in[1]);
    return std::nullopt;
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group (killed as a whole on timeout); default SIGPIPE (the runner ignores it).
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]), ::close(out[1]), ::close(err[1]);
  if (rc != 0) {
    error = argv[0] + ": " + std::strerror(rc);
    ::close(in[1]), ::close(out[0]), ::close(err[0]);
    return std::nullopt;
  }
  Child child;
  child.pid_ = pid;
  child.in_ = in[1];
  child.out_fd_ = out[0];
  child.err_fd_ = err[0];
  set_nonblocking(child.in_);
  set_nonblocking(child.out_fd_);
  set_nonblocking(child.err_fd_);
  return child;
}

Child::Child(Child&& o) noexcept
    : pid_(o.pid_), in_(o.in_), out_fd_(o.out_fd_), err_fd_(o.err_fd_), out_(std::move(o.out_)),
      err_(std::move(o.err_)), line_start_(o.line_start_), overflow_(o.overflow_), reaped_(o.reaped_) {
  o.pid_ = -1;
  o.in_ = o.out_fd_ = o.err_fd_ = -1;
  o.reaped_ = true;
}

Child::~Child() {
  close_fd(in_);
  close_fd(out_fd_);
  close_fd(err_fd_);
  if (pid_ > 0 && !reaped_) {
    kill();
    ::waitpid(pid_, nullptr, 0);
  }
}

void Child::close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void Child::close_stdin() { close_fd(in_); }

void Child::kill() {
  if (pid_ <= 0 || reaped_) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);  // in case it left its group
}

bool Child::pump(std::string_view& pending, Clock::time_point deadline) {
  pollfd fds[3];
  int n = 0;
  int in_slot = -1, out_slot = -1, err_slot = -1;
  if (in_ >= 0 && !pending.empty()) fds[in_slot = n++] = {in_, POLLOUT, 0};
  if (out_fd_ >= 0) fds[out_slot = n++] = {out_fd_, POLLIN, 0};
  if (err_fd_ >= 0) fds[err_slot = n++] = {err_fd_, POLLIN, 0};
  if (n == 0) return true;
  if (Clock::now() >= deadline) return false;
  const int ready = ::poll(fds, n, remaining_ms(deadline));
  if (ready < 0) return errno == EINTR;
  if (ready == 0) return Clock::now() < deadline;
  char buf[1 << 16];
  auto drain = [&](int slot, int& fd, std::string& into, bool is_stdout) {
    if (slot < 0 || !(fds[slot].revents & (POLLIN | POLLHUP | POLLERR))) return;
    while (fd >= 0) {
      const ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) {
        into.append(buf, static_cast<std::size_t>(got));
        if (into.size() > kMaxOutput) {
          if (is_stdout) {
            overflow_ = true;
            return;
          }
          into.erase(0, into.size() - kMaxOutput / 2);  // stderr: keep the most recent part
        }
      } else if (got == 0) {
        close_fd(fd);
      } else if (errno == EINTR) {
        continue;
      } else {
        if (errno != EAGAIN && errno != EWOULDBLOCK) close_fd(fd);
        return;
      }
    }
  };
  if (in_slot >= 0 && fds[in_slot].revents) {
    if (fds[in_slot].revents & (POLLERR | POLLHUP)) {
      close_fd(in_);  // the child closed its stdin: nothing more to send
      pending = {};
    } else {
      const ssize_t put = ::write(in_, pending.data(), pending.size());
      if (put > 0) {
        pending.remove_prefix(static_cast<std::size_t>(put));
      } else if (put < 0 && errno != EAGAIN && errno != EINTR) {
        close_fd(in_);
        pending = {};
      }
    }
  }
  drain(out_slot, out_fd_, out_, true);
  drain(err_slot, err_fd_, err_, false);
  return true;
}

bool Child::write_all(std::string_view data, Clock::time_point deadline) {
  while (!data.empty() && in_ >= 0) {
    if (!pump(data, deadline) || overflow_) return false;
  }
  return true;
}

bool Child::read_to_end(Clock::time_point deadline) {
  close_stdin();
  std::string_view nothing;
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    if (!pump(nothing, deadline) || overflow_) return false;
  }
  return true;
}

Child::LineResult Child::read_line(std::string& line, Clock::time_point deadline) {
  std::string_view nothing;
  std::size_t scanned = line_start_;
  while (true) {
    const std::size_t nl = out_.find('\n', scanned);
    if (nl != std::string::npos) {
      line.assign(out_, line_start_, nl - line_start_);
      line_start_ = nl + 1;
      if (line_start_ > (1u << 20)) {  // drop consumed lines now and then
        out_.erase(0, line_start_);
        line_start_ = 0;
      }
      return LineResult::line;
    }
    scanned = out_.size();
    if (out_fd_ < 0) return LineResult::end_of_file;
    if (overflow_ || out_.size() - line_start_ > kMaxOutput) return LineResult::too_long;
    if (!pump(nothing, deadline)) return LineResult::timeout;
  }
}

ExitStatus Child::wait(Clock::time_point deadline) {
  if (reaped_) return {ExitStatus::Kind::exited, 0};
  auto pause = std::chrono::microseconds(200);
  while (true) {
    int status = 0;
    const pid_t got = ::waitpid(pid_, &status, WNOHANG);
    if (got == pid_) {
      reaped_ = true;
      return from_wait_status(status);
    }
    if (got < 0 && errno != EINTR) {
      reaped_ = true;
      return {ExitStatus::Kind::spawn_failed, 0};
    }
    if (Clock::now() >= deadline) {
      kill();
      ::waitpid(pid_, &status, 0);
      reaped_ = true;
      return {ExitStatus::Kind::timed_out, 0};
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20000));
  }
}

RunResult run_process(const std::vector<std::string>& argv, std::string_view input,
                      std::chrono::duration<double> timeout) {
  RunResult r;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(timeout);
  auto child = Child::spawn(argv, r.problem);
  if (!child) {
    r.status = {ExitStatus::Kind::spawn_failed, 0};
    return r;
  }
  const bool finished = child->write_all(input, deadline) && child->read_to_end(deadline);
  if (!finished) {
    const bool overflow = child->output_overflow();
    child->kill();
    child->wait(Clock::now());
    r.status = overflow ? ExitStatus{ExitStatus::Kind::signaled, SIGKILL} : ExitStatus{ExitStatus::Kind::timed_out, 0};
    if (overflow) r.problem = "more than 64 MiB of output";
  } else {
    r.status = child->wait(deadline);
  }
  r.out = std::move(child->out());
  r.err = std::move(child->err());
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

}  // namespace entsig::tools::conform

// How the verbs read their input and write their output (docs/cli.md, "How inputs are read"):
// oversized files refused before a byte is read, devices and pipes read to at most the limit,
// Mach-O files mapped rather than copied, and failed writes reported with exit status 1.
//
// Memory is proved with resource limits on the entsig child. RLIMIT_AS bounds the address
// space, so it shows that nothing was read or mapped; a mapped file counts towards it, so the
// runs that map a large file are bounded by RLIMIT_DATA instead, which counts what malloc can
// get (the heap and private writable mappings) but not a read-only file mapping.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "cli_support.h"
#include "io.h"
#include "macho_test_support.h"

using entsig_cli_test::quote;
using entsig_cli_test::RunResult;
using entsig_cli_test::Scratch;
using entsig_cli_test::slurp;
using entsig_test::fixtures_dir;
using entsig_test::have_fixtures;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kDefaultLimit = 512 * kMiB;  // Limits::default_max_input_bytes

std::string too_large_line(std::uint64_t limit) {
  const std::string n = std::to_string(limit);
  return "error: core.input_too_large at offset " + n + ": input is larger than the input size limit: limit is " + n +
         " (raise Limits::max_input_bytes or the matching command-line option)\n";
}

const std::string kFatLine =
    "error: macho.fat.slice_overlaps_header at offset 16: fat slice starts inside the fat header or architecture "
    "table: slice 0 at 4\n";

// A file of `size` bytes that holds `head` and then a hole (no disk used).
std::string sparse_file(const Scratch& s, const std::string& name, std::uint64_t size, const std::string& head = {}) {
  const std::string path = s.path(name).string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  REQUIRE(::ftruncate(fd, static_cast<off_t>(size)) == 0);
  ::close(fd);
  return path;
}

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

// 0xcafebabe with two fat_arch entries; the first slice's offset (byte 16) is 4, inside the
// header.
std::string bad_fat_header() {
  std::string h;
  for (std::uint32_t v : {0xcafebabeu, 2u, 0x0100000cu, 0u, 4u, 4096u, 14u}) put_be32(h, v);
  return h;
}

enum class Limit { none, address_space, data };

struct Child {
  Limit limit = Limit::none;
  std::uint64_t limit_bytes = 0;
  std::string stdin_path = "/dev/null";
  std::string stdout_path;  // empty: captured
  int stdout_fd = -1;       // used instead of stdout_path when >= 0
};

// Runs `argv` (argv[0] is the program) with the limit applied to it alone.
RunResult run_child(const Scratch& s, const std::vector<std::string>& argv, const Child& c) {
  const std::string out = s.path(".stdout").string(), err = s.path(".stderr").string();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (c.limit != Limit::none) {
      const rlimit r{c.limit_bytes, c.limit_bytes};
      if (::setrlimit(c.limit == Limit::address_space ? RLIMIT_AS : RLIMIT_DATA, &r) != 0) ::_exit(120);
    }
    const int in = ::open(c.stdin_path.c_str(), O_RDONLY);
    const int o = c.stdout_fd >= 0 ? c.stdout_fd
                                   : ::open((c.stdout_path.empty() ? out : c.stdout_path).c_str(),
                                            O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || o < 0 || e < 0) ::_exit(121);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(122);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out), slurp(err)};
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

std::vector<std::string> entsig_argv(std::vector<std::string> args) {
  args.insert(args.begin(), ENTSIG_CLI_PATH);
  return args;
}

Child limited(Limit limit, std::uint64_t bytes) {
  Child c;
  c.limit = limit;
  c.limit_bytes = bytes;
  return c;
}
Child address_space(std::uint64_t bytes) { return limited(Limit::address_space, bytes); }
Child data_limit(std::uint64_t bytes) { return limited(Limit::data, bytes); }

// A fat file of `size` bytes: exe_x86_64 at 16 KiB, exe_arm64 at the last 16 KiB boundary
// with room for it, a hole between (tests/cli_input_memory.py builds the same).
std::string universal_file(const Scratch& s, std::uint64_t size) {
  const std::string x86 = slurp(fixtures_dir() / "exe_x86_64");
  const std::string arm = slurp(fixtures_dir() / "exe_arm64");
  const std::uint64_t x86_at = 16384;
  const std::uint64_t arm_at = (size - arm.size()) / 16384 * 16384;
  std::string header;
  const std::uint64_t fields[] = {0xcafebabe, 2, 0x01000007, 3, x86_at, x86.size(), 14,
                                  0x0100000c, 0, arm_at, arm.size(), 14};
  for (std::uint64_t v : fields) put_be32(header, static_cast<std::uint32_t>(v));
  const std::string path = sparse_file(s, "universal", size, header);
  const int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::pwrite(fd, x86.data(), x86.size(), static_cast<off_t>(x86_at)) == static_cast<ssize_t>(x86.size()));
  REQUIRE(::pwrite(fd, arm.data(), arm.size(), static_cast<off_t>(arm_at)) == static_cast<ssize_t>(arm.size()));
  ::close(fd);
  return path;
}

}  // namespace

TEST_CASE("cli input: a 2 GB sparse file is refused from its size, before it is read", "[cli][input]") {
  Scratch s;
  const std::string big = sparse_file(s, "big", 2000 * 1000 * 1000);
  // 256 MiB of address space cannot hold the 512 MiB the limit would let a reader keep.
  for (const std::string verb : {"inspect", "verify", "check"}) {
    auto r = run_child(s, entsig_argv({verb, big}), address_space(256 * kMiB));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == too_large_line(kDefaultLimit));
  }
  auto r = run_child(s, entsig_argv({"inspect", "--json", big}), address_space(256 * kMiB));
  CHECK(r.status == 1);
  CHECK(r.out.starts_with("{\"error\":{\"code\":\"core.input_too_large\",\"offset\":536870912,"));
}

TEST_CASE("cli input: --max-input-bytes at the limit, one below and one above", "[cli][input]") {
  Scratch s;
  const std::string zeros = sparse_file(s, "zeros", 1000);
  const std::string not_macho =
      "error: core.unknown_format at offset 0: input is not in any recognised format: verify needs a Mach-O file\n";
  // Files and pipes of the same bytes give the same answers: the limit first, then the format.
  for (const bool piped : {false, true}) {
    CAPTURE(piped);
    for (const auto& [limit, expected] : std::vector<std::pair<std::string, std::string>>{
             {"999", too_large_line(999)}, {"1000", not_macho}, {"1001", not_macho}}) {
      CAPTURE(limit);
      const auto argv = piped ? std::vector<std::string>{"/bin/sh", "-c",
                                                         "cat " + quote(zeros) + " | exec " + quote(ENTSIG_CLI_PATH) +
                                                             " verify --max-input-bytes " + limit + " -"}
                              : entsig_argv({"verify", "--max-input-bytes", limit, zeros});
      auto r = run_child(s, argv, Child{});
      CHECK(r.status == 1);
      CHECK(r.err == expected);
    }
  }
  auto r = run_child(s, entsig_argv({"check", "--max-input-bytes", "-1", zeros}), Child{});
  CHECK(r.status == 2);
}

TEST_CASE("cli input: /dev/zero as a file, as standard input and through a pipe", "[cli][input]") {
  Scratch s;
  // inspect and verify see from the first bytes that zeros are no signature: the rest is
  // counted, not kept, so even the default 512 MiB limit runs in 256 MiB of address space.
  for (const std::string verb : {"inspect", "verify"}) {
    CAPTURE(verb);
    auto r = run_child(s, entsig_argv({verb, "/dev/zero"}), address_space(256 * kMiB));
    CHECK(r.status == 1);
    CHECK(r.err == too_large_line(kDefaultLimit));
    Child from_stdin = address_space(256 * kMiB);
    from_stdin.stdin_path = "/dev/zero";
    r = run_child(s, entsig_argv({verb, "-"}), from_stdin);
    CHECK(r.status == 1);
    CHECK(r.err == too_large_line(kDefaultLimit));
  }
  auto r = run_child(s,
                     {"/bin/sh", "-c", "head -c 600000000 /dev/zero | exec " + quote(ENTSIG_CLI_PATH) + " inspect -"},
                     address_space(256 * kMiB));
  CHECK(r.status == 1);
  CHECK(r.err == too_large_line(kDefaultLimit));
  // check and convert see it too: 0x00 starts no format they read.
  for (const auto& verb : std::vector<std::vector<std::string>>{{"check"}, {"convert", "--to", "json"}}) {
    CAPTURE(verb);
    auto args = verb;
    args.push_back("/dev/zero");
    r = run_child(s, entsig_argv(args), address_space(256 * kMiB));
    CHECK(r.status == 1);
    CHECK(r.err == too_large_line(kDefaultLimit));
  }
  // Leading whitespace leaves the format open, so the stream is kept: a lower limit bounds it.
  r = run_child(s, {"/bin/sh", "-c",
                    "{ printf '   '; head -c 20000000 /dev/zero; } | exec " + quote(ENTSIG_CLI_PATH) +
                        " check --max-input-bytes 16777216 -"},
                address_space(256 * kMiB));
  CHECK(r.status == 1);
  CHECK(r.err == too_large_line(16 * kMiB));
}

TEST_CASE("cli input: a stream and a file of the same bytes get the same answer", "[cli][input]") {
  Scratch s;
  // 100 000 bytes, more than the first block a stream is judged by.
  const std::string zeros = s.file("zeros", std::string(100000, '\0'));
  const std::string spaced = s.file("spaced", "   " + std::string(100000, '\0'));
  const std::string unknown_at = "error: core.unknown_format at offset ";
  const std::string plist_tail = ": input is not in any recognised format: expected \"bplist\" or '<'\n";
  struct Expect {
    std::string verb, file, limit, err;
  };
  const std::vector<Expect> cases = {
      {"check", zeros, "100000", unknown_at + "0" + plist_tail},
      {"check", zeros, "99999", too_large_line(99999)},
      {"check", spaced, "100003", unknown_at + "3" + plist_tail},
      {"check", spaced, "100002", too_large_line(100002)},
      {"inspect", zeros, "100000",
       unknown_at + "0: input is not in any recognised format: expected a Mach-O file, an embedded signature "
                    "(0xfade0cc0) or a CodeDirectory (0xfade0c02)\n"},
      {"inspect", zeros, "99999", too_large_line(99999)},
      {"convert", zeros, "100000", unknown_at + "0" + plist_tail},
      {"convert", zeros, "99999", too_large_line(99999)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.verb, c.file, c.limit);
    const bool convert = c.verb == "convert";
    auto argv = convert ? entsig_argv({"convert", "--to", "json", "--max-input-bytes", c.limit, c.file})
                        : entsig_argv({c.verb, "--max-input-bytes", c.limit, c.file});
    auto from_file = run_child(s, argv, Child{});
    CHECK(from_file.status == 1);
    CHECK(from_file.err == c.err);
    auto piped = run_child(s, {"/bin/sh", "-c", "cat " + quote(c.file) + " | exec " + quote(ENTSIG_CLI_PATH) + " " +
                                                    c.verb + (convert ? " --to json" : "") + " --max-input-bytes " +
                                                    c.limit + " -"},
                           Child{});
    CHECK(piped.status == 1);
    CHECK(piped.err == c.err);
  }
}

TEST_CASE("cli input: a 511 MB file with a bad fat header is rejected at byte 16 without being copied", "[cli][input]") {
  Scratch s;
  const std::string fat = sparse_file(s, "fat", 511 * 1000 * 1000, bad_fat_header());
  for (const std::string verb : {"inspect", "verify", "check"}) {
    CAPTURE(verb);
    auto r = run_child(s, entsig_argv({verb, fat}), data_limit(256 * kMiB));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == kFatLine);
  }
  auto r = run_child(s, entsig_argv({"check", "--json", fat}), data_limit(256 * kMiB));
  CHECK(r.status == 1);
  CHECK(r.out ==
        "{\"error\":{\"code\":\"macho.fat.slice_overlaps_header\",\"offset\":16,\"message\":\"fat slice starts "
        "inside the fat header or architecture table: slice 0 at 4\"}}\n");
  // The control: the same bytes on standard input must be read into memory, which the limit
  // forbids. That is an input that cannot be read (exit 1), not a crash.
  Child piped = data_limit(256 * kMiB);
  piped.stdin_path = fat;
  r = run_child(s, entsig_argv({"inspect", "-"}), piped);
  CHECK(r.status == 1);
  CHECK(r.err == "error: core.io at offset 0: input could not be read: standard input: Cannot allocate memory\n");
}

TEST_CASE("cli input: a 2 GiB universal binary verifies in 64 MiB", "[cli][input][fixtures]") {
  if (!have_fixtures()) {
    WARN("Mach-O fixtures not built; skipped");
    return;
  }
  Scratch s;
  const std::string uni = universal_file(s, 2048 * kMiB);
  auto r = run_child(s, entsig_argv({"verify", uni}), Child{});
  CHECK(r.status == 1);
  CHECK(r.err == too_large_line(kDefaultLimit));
  r = run_child(s, entsig_argv({"verify", "--max-input-bytes", "4294967296", uni}), data_limit(64 * kMiB));
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("slice 0 (x86_64): valid"));
  CHECK(r.out.find("slice 1 (arm64): valid") != std::string::npos);
  CHECK(r.out.ends_with("\nvalid\n"));
  r = run_child(s, entsig_argv({"inspect", "--json", "--max-input-bytes", "4294967296", uni}), data_limit(64 * kMiB));
  CHECK(r.status == 0);
  CHECK(r.out.find("\"offset\":2147434496") != std::string::npos);  // arm64 slice, last 16 KiB boundary
  // The fixtures are signed without the hardened runtime: the same finding as for fat_exe.
  const std::string fat = (fixtures_dir() / "fat_exe").string();
  const RunResult thin = run_child(s, entsig_argv({"check", fat}), Child{});
  r = run_child(s, entsig_argv({"check", "--max-input-bytes", "4294967296", uni}), data_limit(64 * kMiB));
  CHECK(r.status == 1);
  CHECK(r.out == uni + thin.out.substr(fat.size()));
}

TEST_CASE("cli input: a failed write to standard output exits 1 with its reason", "[cli][input]") {
  Scratch s;
  // One warning (false-value), so every output format has something to write.
  const std::string plist = s.file(
      "app.entitlements", std::string("<plist><dict><key>com.apple.security.app-sandbox</key><false/></dict></plist>"));
  const std::string full = "error: cannot write standard output: No space left on device\n";
  std::vector<std::vector<std::string>> runs = {
      {"check", "--json", plist}, {"check", "--sarif", plist}, {"check", plist},
      // A rejected input's JSON error object goes to standard output too.
      {"inspect", "--json", s.file("empty", std::string())},
      {"convert", "--to", "json", plist}};
  if (have_fixtures()) {
    runs.push_back({"inspect", (fixtures_dir() / "fat_exe").string()});
    runs.push_back({"verify", "--json", (fixtures_dir() / "fat_exe").string()});
  }
  for (const auto& args : runs) {
    CAPTURE(args);
    Child to_full;
    to_full.stdout_path = "/dev/full";
    auto r = run_child(s, entsig_argv(args), to_full);
    CHECK(r.status == 1);
    CHECK(r.err == full);
  }
  // A reader that has gone away: EPIPE, not death by SIGPIPE.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  Child to_closed;
  to_closed.stdout_fd = fds[1];
  auto r = run_child(s, entsig_argv({"check", "--json", plist}), to_closed);
  ::close(fds[1]);
  CHECK(r.status == 1);
  CHECK(r.err == "error: cannot write standard output: Broken pipe\n");
}

TEST_CASE("cli input: open_input maps regular files and reads the rest", "[cli][input]") {
  Scratch s;
  const std::string file = s.file("abc", std::string("abc"));
  auto mapped = entsig::tools::open_input(file, 3);
  REQUIRE(mapped);
  CHECK(mapped->mapped());
  CHECK(mapped->text() == "abc");
  auto over = entsig::tools::open_input(file, 2);
  REQUIRE_FALSE(over);
  CHECK(over.error().id() == "core.input_too_large");
  CHECK(over.error().offset == 2);
  // /proc files are regular but report size 0: they are read, not mapped.
  auto proc = entsig::tools::open_input("/proc/self/status", kMiB);
  REQUIRE(proc);
  CHECK_FALSE(proc->mapped());
  CHECK(proc->text().starts_with("Name:"));
  auto empty = entsig::tools::open_input(s.file("empty", std::string()), 10);
  REQUIRE(empty);
  CHECK(empty->bytes().empty());
  auto missing = entsig::tools::open_input(s.path("missing").string(), 10);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().id() == "core.io");
  // An early rejection of a device: the count still decides first.
  int calls = 0;
  const auto reject = [&](entsig::Bytes head) -> std::optional<entsig::Error> {
    ++calls;
    CHECK(head.size() == entsig::tools::kStreamHeadBytes);
    return entsig::make_error(entsig::ErrorCode::core_unknown_format, 0);
  };
  auto zero = entsig::tools::open_input("/dev/zero", 100000, reject);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().id() == "core.input_too_large");
  CHECK(zero.error().offset == 100000);
  CHECK(calls == 1);
}

TEST_CASE("cli input: a mapped file that shrinks is an unreadable input, not a crash", "[cli][input]") {
  Scratch s;
  const std::string path = s.file("shrinks", std::string(64 * 1024, 'x'));
  const std::string err = s.path(".err").string();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(e, 2);
    auto input = entsig::tools::open_input(path, kMiB);
    if (!input || ::truncate(path.c_str(), 0) != 0) ::_exit(120);
    volatile std::uint8_t sum = 0;
    for (std::uint8_t b : input->bytes()) sum = static_cast<std::uint8_t>(sum + b);
    ::_exit(121);  // not reached: the pages are gone
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(err) == "error: core.io at offset 0: input could not be read: " + path +
                          ": the file shrank while it was being read\n");
}

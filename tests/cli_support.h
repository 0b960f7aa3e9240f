// Running the built entsig binary from tests: a scratch directory per test case, files in
// it, and `entsig <args>` with its exit status, standard output and standard error.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace entsig_cli_test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void spit(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  spit(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// Single-quotes a string for /bin/sh.
inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct RunResult {
  int status;
  std::string out;
  std::string err;
};

// A fresh directory per test case, removed afterwards.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "entsig_cli_XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const fs::path& dir() const { return dir_; }
  fs::path path(const std::string& name) const { return dir_ / name; }
  template <class Bytes>
  std::string file(const std::string& name, const Bytes& bytes) const {
    spit(path(name), bytes);
    return path(name).string();
  }

  // Runs `entsig <args>` in the scratch directory with standard input from `stdin_path`.
  RunResult run(const std::string& args, const std::string& stdin_path = "/dev/null") const {
    const std::string out = path(".stdout").string(), err = path(".stderr").string();
    const std::string command = "cd " + quote(dir_.string()) + " && " + quote(ENTSIG_CLI_PATH) + " " + args +
                                " >" + quote(out) + " 2>" + quote(err) + " <" + quote(stdin_path);
    const int rc = std::system(command.c_str());
    RunResult r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
    fs::remove(out);
    fs::remove(err);
    return r;
  }

 private:
  fs::path dir_;
};

}  // namespace entsig_cli_test

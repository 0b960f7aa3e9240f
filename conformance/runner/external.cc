// Command adapters (conformance/ADAPTERS.md): `CMD <area>` per case, or one `CMD --batch <area>`
// per worker and area exchanging JSON lines. Exit 0 accepts, 1 rejects; anything else, a signal
// or the timeout is a crash or hang of the adapter.
#include <map>
#include <nlohmann/json.hpp>

#include "runner/adapters.h"
#include "runner/process.h"
#include "entsig/core.h"

namespace entsig::tools::conform {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kKeepStderr = 4096;  // per case, for reports

std::string first_line(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find('\n', start);
  std::string line(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string tail(std::string text) {
  if (text.size() > kKeepStderr) text.erase(0, text.size() - kKeepStderr);
  return text;
}

struct Capabilities {
  std::optional<std::string> name;
  std::string version;
  std::optional<std::set<std::string>> areas;
  bool batch = false;
};

// `CMD --capabilities` prints a JSON list of areas, or {"name", "areas", "batch"}. Anything
// else means the adapter declares nothing: every area is tried, one process per case.
Capabilities probe(const std::vector<std::string>& argv, std::chrono::duration<double> timeout) {
  std::vector<std::string> args = argv;
  args.push_back("--capabilities");
  const RunResult r = run_process(args, {}, timeout);
  Capabilities caps;
  if (r.status.kind != ExitStatus::Kind::exited || r.status.code != 0) return caps;
  const Json j = Json::parse(r.out, nullptr, false);
  auto read_areas = [&](const Json& list) {
    if (!list.is_array()) return;
    std::set<std::string> areas;
    for (const Json& a : list)
      if (a.is_string()) areas.insert(a.get<std::string>());
    caps.areas = std::move(areas);
  };
  if (j.is_array()) {
    read_areas(j);
  } else if (j.is_object()) {
    if (j.contains("name") && j["name"].is_string()) caps.name = j["name"].get<std::string>();
    if (j.contains("version") && j["version"].is_string()) caps.version = j["version"].get<std::string>();
    if (j.contains("areas")) read_areas(j["areas"]);
    caps.batch = j.contains("batch") && j["batch"].is_boolean() && j["batch"].get<bool>();
  }
  return caps;
}

class CommandSession : public AdapterSession {
 public:
  CommandSession(const std::vector<std::string>& argv, bool batch, std::chrono::duration<double> timeout)
      : argv_(argv), batch_(batch), timeout_(timeout) {}
  // Batch processes get end of input and a moment to exit before they are killed.
  ~CommandSession() override {
    for (auto& [area, child] : children_) {
      child.close_stdin();
      child.wait(Clock::now() + std::chrono::seconds(2));
    }
  }

  Observation run(const std::string& area, const std::string& case_id, std::string_view input) override {
    return batch_ ? run_batch(area, case_id, input) : run_once(area, input);
  }

 private:
  Observation run_once(const std::string& area, std::string_view input) {
    std::vector<std::string> args = argv_;
    args.push_back(area);
    RunResult r = run_process(args, input, timeout_);
    Observation o;
    o.seconds = r.seconds;
    o.stderr_text = tail(std::move(r.err));
    switch (r.status.kind) {
      case ExitStatus::Kind::spawn_failed:
        o.kind = Observation::Kind::crashed;
        o.message = "could not start: " + r.problem;
        break;
      case ExitStatus::Kind::timed_out: o.kind = Observation::Kind::timed_out; break;
      case ExitStatus::Kind::signaled:
        o.kind = Observation::Kind::crashed;
        o.message = r.problem.empty() ? r.status.describe() : r.problem;
        break;
      case ExitStatus::Kind::exited:
        if (r.status.code == 0) {
          interpret_output(o, std::move(r.out));
        } else if (r.status.code == 1) {
          o.kind = Observation::Kind::rejected;
          o.message = first_line(o.stderr_text);
        } else {
          o.kind = Observation::Kind::crashed;
          o.message = r.status.describe();
        }
        break;
    }
    return o;
  }

  // The batch child for an area, started on first use and after a crash or timeout.
  Child* child_for(const std::string& area, std::string& error) {
    auto it = children_.find(area);
    if (it != children_.end()) return &it->second;
    std::vector<std::string> args = argv_;
    args.push_back("--batch");
    args.push_back(area);
    auto child = Child::spawn(args, error);
    if (!child) return nullptr;
    return &children_.emplace(area, std::move(*child)).first->second;
  }

  Observation crashed(const std::string& area, Child& child, std::string why) {
    Observation o;
    o.kind = Observation::Kind::crashed;
    child.kill();
    const ExitStatus status = child.wait(Clock::now() + std::chrono::seconds(1));
    o.message = why + " (" + status.describe() + ")";
    o.stderr_text = tail(std::move(child.err()));
    children_.erase(area);
    return o;
  }

  Observation run_batch(const std::string& area, const std::string& case_id, std::string_view input) {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(timeout_);
    std::string error;
    Child* child = child_for(area, error);
    if (!child) {
      Observation o;
      o.kind = Observation::Kind::crashed;
      o.message = "could not start: " + error;
      return o;
    }
    Json request = {{"id", case_id}, {"input", base64_encode(as_bytes(input))}};
    std::string line = request.dump() + "\n";
    Observation o;
    if (!child->write_all(line, deadline)) {
      if (Clock::now() >= deadline) {
        o = crashed(area, *child, "timed out");
        o.kind = Observation::Kind::timed_out;
      } else {
        o = crashed(area, *child, "stopped reading its input");
      }
      o.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return o;
    }
    std::string reply;
    switch (child->read_line(reply, deadline)) {
      case Child::LineResult::line: o = answer(area, *child, case_id, reply); break;
      case Child::LineResult::timeout:
        o = crashed(area, *child, "timed out");
        o.kind = Observation::Kind::timed_out;
        break;
      case Child::LineResult::end_of_file: o = crashed(area, *child, "exited before answering"); break;
      case Child::LineResult::too_long: o = crashed(area, *child, "answer longer than 64 MiB"); break;
    }
    o.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return o;
  }

  // One reply line: {"id": ..., "status": "accept" | "reject" | "crash", "output": ..., "message": ...}.
  Observation answer(const std::string& area, Child& child, const std::string& case_id, const std::string& reply) {
    const Json j = Json::parse(reply, nullptr, false);
    auto text = [&](const char* key) {
      return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    if (!j.is_object() || !j.contains("status") || !j["status"].is_string())
      return crashed(area, child, "batch reply is not a JSON object with a \"status\"");
    if (j.contains("id") && (!j["id"].is_string() || j["id"].get<std::string>() != case_id))
      return crashed(area, child, "batch reply for another case");
    Observation o;
    const std::string status = j["status"].get<std::string>();
    if (status == "accept") {
      interpret_output(o, text("output"));
    } else if (status == "reject") {
      o.kind = Observation::Kind::rejected;
      o.message = text("message");
    } else if (status == "crash") {
      o.kind = Observation::Kind::crashed;
      o.message = text("message");
    } else {
      return crashed(area, child, "unknown batch status \"" + status + "\"");
    }
    o.stderr_text = tail(std::move(child.err()));
    child.err().clear();
    return o;
  }

  const std::vector<std::string>& argv_;
  bool batch_;
  std::chrono::duration<double> timeout_;
  std::map<std::string, Child> children_;
};

class CommandAdapter : public Adapter {
 public:
  CommandAdapter(std::vector<std::string> argv, std::string fallback_name, const CommandOptions& options)
      : argv_(std::move(argv)), timeout_(options.timeout) {
    // The probe gets the per-case timeout too (at least a second: interpreters start slowly).
    const Capabilities caps = probe(argv_, std::max(timeout_, std::chrono::duration<double>(1.0)));
    name_ = caps.name.value_or(std::move(fallback_name));
    version_ = caps.version;
    areas_ = caps.areas;
    batch_ = caps.batch && options.allow_batch;
  }

  const std::string& name() const override { return name_; }
  std::string kind() const override { return "command"; }
  std::string description() const override {
    std::string out;
    for (const auto& a : argv_) out += (out.empty() ? "" : " ") + a;
    return out + (batch_ ? " (batch)" : "");
  }
  std::string version() const override { return version_; }
  bool supports(const std::string& area) const override { return !areas_ || areas_->count(area) != 0; }
  std::unique_ptr<AdapterSession> open_session() const override {
    return std::make_unique<CommandSession>(argv_, batch_, timeout_);
  }

 private:
  std::vector<std::string> argv_;
  std::string name_, version_;
  std::optional<std::set<std::string>> areas_;
  bool batch_ = false;
  std::chrono::duration<double> timeout_;
};

}  // namespace

std::unique_ptr<Adapter> make_command_adapter(std::vector<std::string> argv, std::string fallback_name,
                                              const CommandOptions& options) {
  return std::make_unique<CommandAdapter>(std::move(argv), std::move(fallback_name), options);
}

}  // namespace entsig::tools::conform

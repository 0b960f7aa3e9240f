// A JSON document written as it goes (compact, the form nlohmann's dump(-1) gives), so a model
// with many parts never becomes a JSON tree in memory: containers are opened and closed in
// order and each small part is a nlohmann value dumped at once. Every append is charged to the
// run's Budget first; after a refusal nothing more is appended and take() returns the error
// (core.budget.output_bytes, offset = the output bytes charged so far).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "entsig/core.h"

namespace entsig::tools {

using Json = nlohmann::ordered_json;

class JsonOut {
 public:
  explicit JsonOut(Budget& budget) : budget_(budget), charge_(budget) {}

  // The run's budget, for writers whose text goes in through charged_value().
  Budget& budget() { return budget_; }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The name of the next member of the innermost object.
  void key(std::string_view name);
  // A whole value: the next array element, or the value of the member just named.
  void value(const Json& json);
  // JSON text already charged to the same Budget (a writer's output, such as tagged JSON).
  void charged_value(std::string_view json_text);
  void member(std::string_view name, const Json& json) {
    key(name);
    value(json);
  }

  // The document and a newline, or the budget error.
  Result<std::string> take();

 private:
  void open(char bracket);
  void close(char bracket);
  void before_value();
  void append(std::string_view text);

  std::string out_;
  Budget& budget_;
  OutputCharge charge_;
  std::vector<bool> has_items_;  // per open container: something was written in it
  bool after_key_ = false;
};

// Compact, one line; bytes that are not UTF-8 (an identifier may hold any) become U+FFFD.
std::string dump_json(const Json& json);

}  // namespace entsig::tools

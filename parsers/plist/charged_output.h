// Internal: a writer's output string that charges the run Budget before every append, so a
// writer holds no more than it was allowed and never reserves from the value's expanded size.
// After the first refused charge nothing more is appended and the error is kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "entsig/core.h"

namespace entsig::plist::detail {

class ChargedOutput {
 public:
  explicit ChargedOutput(Budget& budget) : charge_(budget) {}

  bool ok() const { return charge_.ok(); }
  std::size_t size() const { return out_.size(); }

  void append(std::string_view text) {
    if (charge(text.size())) out_.append(text);
  }
  void append(const char* p, std::size_t n) { append(std::string_view(p, n)); }
  void append(std::size_t n, char c) {
    if (charge(n)) out_.append(n, c);
  }
  void push(char c) {
    if (charge(1)) out_ += c;
  }
  ChargedOutput& operator+=(std::string_view text) {
    append(text);
    return *this;
  }
  ChargedOutput& operator+=(char c) {
    push(c);
    return *this;
  }

  // The output, or the budget error once a charge was refused.
  Result<std::string> finish() {
    if (!charge_.ok()) return charge_.take_error();
    return std::move(out_);
  }

 private:
  bool charge(std::size_t n) { return charge_.charge(n); }

  OutputCharge charge_;
  std::string out_;
};

}  // namespace entsig::plist::detail

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
  explicit ChargedOutput(Budget& budget) : budget_(budget) {}

  bool ok() const { return ok_; }
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
    if (!ok_) return std::move(error_);
    return std::move(out_);
  }

 private:
  bool charge(std::size_t n) {
    if (!ok_) return false;
    Status s = budget_.charge_output(n);
    if (s.ok()) return true;
    ok_ = false;
    error_ = s.take_error();
    return false;
  }

  Budget& budget_;
  std::string out_;
  bool ok_ = true;
  Error error_;
};

}  // namespace entsig::plist::detail

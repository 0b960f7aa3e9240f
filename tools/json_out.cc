#include "json_out.h"

namespace entsig::tools {

std::string dump_json(const Json& json) { return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void JsonOut::append(std::string_view text) {
  if (charge_.charge(text.size())) out_.append(text);
}

void JsonOut::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) append(",");
    has_items_.back() = true;
  }
}

void JsonOut::open(char bracket) {
  before_value();
  append(std::string_view(&bracket, 1));
  has_items_.push_back(false);
}

void JsonOut::close(char bracket) {
  has_items_.pop_back();
  append(std::string_view(&bracket, 1));
}

void JsonOut::key(std::string_view name) {
  before_value();
  append(dump_json(Json(std::string(name))));
  append(":");
  after_key_ = true;
}

void JsonOut::value(const Json& json) {
  before_value();
  append(dump_json(json));
}

void JsonOut::charged_value(std::string_view json_text) {
  before_value();
  if (charge_.ok()) out_.append(json_text);
}

Result<std::string> JsonOut::take() {
  append("\n");
  if (!charge_.ok()) return charge_.take_error();
  return std::move(out_);
}

}  // namespace entsig::tools

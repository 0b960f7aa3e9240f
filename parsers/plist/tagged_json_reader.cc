// Tagged JSON reader: strict RFC 8259 JSON, parsed straight into plist values following the
// schema of docs/json-schema.md. Each tagged value is {"type": T, "value": V} with exactly these
// two members in this order, so the parser knows V's shape before reading it. Iterative (an
// explicit stack of open containers), bounded by Limits::max_depth and max_objects; every error
// points at the first byte of the offending token.
#include <charconv>
#include <cmath>
#include <limits>
#include <new>
#include <optional>
#include <unordered_set>
#include <vector>

#include "entsig/plist.h"
#include "number_text.h"
#include "tagged_json_text.h"

namespace entsig::plist {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Canonical unsigned decimal: "0" or a non-zero digit followed by digits; nullopt on overflow.
std::optional<std::uint64_t> parse_canonical_unsigned(std::string_view s) {
  if (s.empty() || (s[0] == '0' && s.size() > 1)) return std::nullopt;
  for (char c : s)
    if (!is_digit(c)) return std::nullopt;
  std::uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<Integer> parse_integer(std::string_view s) {
  if (!s.empty() && s[0] == '-') {
    auto magnitude = parse_canonical_unsigned(s.substr(1));
    // "-0" is not canonical; the magnitude of INT64_MIN is 2^63.
    if (!magnitude || *magnitude == 0 || *magnitude > (std::uint64_t{1} << 63)) return std::nullopt;
    return Integer{true, 0 - *magnitude};
  }
  auto v = parse_canonical_unsigned(s);
  if (!v) return std::nullopt;
  return Integer::from_unsigned(*v);
}

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

std::optional<double> parse_real(std::string_view s) {
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  if (!is_json_number(s)) return std::nullopt;
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;  // 1e400
  return v;
}

// Inverse of tagged_date_text: whole seconds through parse_iso8601_strict, then the fraction
// re-joined to them as one decimal so the double is rounded once (and so reads back exactly).
std::optional<double> parse_date_text(std::string_view s) {
  if (s.find('T') == std::string_view::npos) return parse_real(s);  // the seconds form
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos) return parse_iso8601_strict(s);
  if (s.back() != 'Z' || dot + 2 >= s.size()) return std::nullopt;
  std::string_view digits = s.substr(dot + 1, s.size() - dot - 2);
  for (char c : digits)
    if (!is_digit(c)) return std::nullopt;
  std::string whole_text(s.substr(0, dot));
  whole_text += 'Z';
  auto whole = parse_iso8601_strict(whole_text);
  if (!whole || std::floor(*whole) != *whole || std::fabs(*whole) > 9.0e15) return std::nullopt;
  if (digits.find_first_not_of('0') == std::string_view::npos) return *whole;
  const auto w = static_cast<std::int64_t>(*whole);
  // w + 0.F, written as one decimal: for w < 0 that is -((|w| - 1) + (1 - 0.F)).
  std::string decimal = w >= 0 ? std::to_string(w) + "." + std::string(digits)
                               : "-" + std::to_string(-(w + 1)) + "." + detail::decimal_complement(digits);
  double v = 0;
  auto r = std::from_chars(decimal.data(), decimal.data() + decimal.size(), v);
  if (r.ec != std::errc{} || r.ptr != decimal.data() + decimal.size()) return std::nullopt;
  return v;
}

// Only the text the writer produces is accepted (one spelling per date), so a date's text
// and its value correspond one to one.
std::optional<double> parse_tagged_date(std::string_view s) {
  auto v = parse_date_text(s);
  if (!v || detail::tagged_date_text(*v) != s) return std::nullopt;
  return v;
}

// The start of a rejected value for an error message (whole UTF-8 sequences only).
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return "\"" + std::string(text.substr(0, n)) + "...\"";
}

std::optional<Type> parse_type_name(std::string_view name) {
  for (Type t : {Type::dict, Type::array, Type::string, Type::integer, Type::real, Type::boolean,
                 Type::date, Type::data, Type::uid})
    if (type_name(t) == name) return t;
  return std::nullopt;
}

struct Frame {
  bool is_dict;
  std::vector<Value> items;
  std::vector<DictEntry> entries;
  std::unordered_set<std::string_view> keys;
  std::string_view pending_key;
};

class Reader {
 public:
  Reader(std::string_view text, Budget& budget) : text_(text), limits_(budget.limits()), budget_(budget) {}

  Result<Document> run() {
    if (text_.size() > limits_.max_input_bytes)
      return limit_error(ErrorCode::core_input_too_large, limits_.max_input_bytes, "max_input_bytes",
                         limits_.max_input_bytes);
    skip_ws();
    if (at_end()) return make_error(ErrorCode::core_empty_input, pos_);
    std::optional<Value> done = begin_value();
    while (!error_) {
      if (!done) {  // a container was opened: its first member follows
        done = begin_value();
        continue;
      }
      if (stack_.empty()) break;
      done = add_to_parent(*done);
    }
    if (error_) return std::move(*error_);
    skip_ws();
    if (!at_end()) return make_error(ErrorCode::plist_json_trailing_content, pos_);
    doc_.set_root(*done);
    return std::move(doc_);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_ws() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  std::nullopt_t fail(ErrorCode code, std::size_t offset, std::string_view detail = {}) {
    if (!error_) error_ = make_error(code, offset, detail);
    return std::nullopt;
  }

  // Where any JSON value may stand, something that starts a value is valid JSON of the wrong
  // shape (a schema error); anything else is a syntax error.
  std::nullopt_t unexpected_value(std::string_view wanted) {
    const char c = peek();
    const bool value_start = c == '{' || c == '[' || c == '"' || c == '-' || is_digit(c) || c == 't' ||
                             c == 'f' || c == 'n';
    return unexpected(wanted, value_start ? ErrorCode::plist_json_not_tagged : ErrorCode::plist_json_syntax);
  }

  std::nullopt_t unexpected(std::string_view wanted, ErrorCode code = ErrorCode::plist_json_syntax) {
    std::string detail = "expected " + std::string(wanted);
    if (at_end()) return fail(ErrorCode::plist_json_syntax, pos_, "unexpected end of input, " + detail);
    return fail(code, pos_, detail);
  }

  bool expect(char c, std::string_view wanted) {
    skip_ws();
    if (peek() != c) {
      unexpected(wanted);
      return false;
    }
    ++pos_;
    return true;
  }

  // Reads a JSON string at pos_ (which must be '"') into `out`.
  bool read_string(std::string& out) {
    const std::size_t open = pos_;
    std::size_t i = pos_ + 1;
    bool has_escape = false;
    while (true) {
      if (i >= text_.size()) {
        fail(ErrorCode::plist_json_syntax, open, "unterminated string");
        return false;
      }
      const unsigned char c = static_cast<unsigned char>(text_[i]);
      if (c == '"') break;
      if (c < 0x20) {
        fail(ErrorCode::plist_json_bad_string, i, "raw control character");
        return false;
      }
      if (c == '\\') {
        has_escape = true;
        ++i;
        if (i >= text_.size()) continue;  // reported as unterminated
      }
      ++i;
    }
    const std::string_view raw = text_.substr(open + 1, i - open - 1);
    if (auto bad = find_invalid_utf8(as_bytes(raw))) {
      fail(ErrorCode::plist_json_bad_string, open + 1 + *bad, "invalid UTF-8");
      return false;
    }
    pos_ = i + 1;
    out.clear();
    if (!has_escape) {
      out.assign(raw);
      return true;
    }
    return unescape(raw, open + 1, out);
  }

  std::optional<std::uint32_t> hex4(std::string_view raw, std::size_t at) const {
    if (raw.size() - at < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = raw[at + k];
      v <<= 4;
      if (is_digit(c)) v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return std::nullopt;
    }
    return v;
  }

  bool unescape(std::string_view raw, std::size_t base, std::string& out) {
    std::size_t i = 0;
    while (i < raw.size()) {
      const std::size_t slash = raw.find('\\', i);
      if (slash == std::string_view::npos) {
        out.append(raw.substr(i));
        break;
      }
      out.append(raw.substr(i, slash - i));
      const char e = raw[slash + 1];  // read_string guarantees a byte after '\'
      i = slash + 2;
      switch (e) {
        case '"': out += '"'; continue;
        case '\\': out += '\\'; continue;
        case '/': out += '/'; continue;
        case 'b': out += '\b'; continue;
        case 'f': out += '\f'; continue;
        case 'n': out += '\n'; continue;
        case 'r': out += '\r'; continue;
        case 't': out += '\t'; continue;
        case 'u': break;
        default:
          fail(ErrorCode::plist_json_bad_string, base + slash, "unknown escape");
          return false;
      }
      auto unit = hex4(raw, i);
      if (!unit) {
        fail(ErrorCode::plist_json_bad_string, base + slash, "\\u needs four hex digits");
        return false;
      }
      i += 4;
      std::uint32_t cp = *unit;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        // A high surrogate must be followed by an escaped low surrogate.
        std::optional<std::uint32_t> low;
        if (raw.size() - i >= 6 && raw[i] == '\\' && raw[i + 1] == 'u') low = hex4(raw, i + 2);
        if (!low || *low < 0xDC00 || *low > 0xDFFF) {
          fail(ErrorCode::plist_json_bad_string, base + slash, "lone surrogate");
          return false;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
        i += 6;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        fail(ErrorCode::plist_json_bad_string, base + slash, "lone surrogate");
        return false;
      }
      append_utf8(out, cp);
    }
    return true;
  }

  // Reads `"name"` where a member name is expected; `want` is the required name, if any.
  bool read_member_name(std::string& out, std::string_view want) {
    skip_ws();
    const std::size_t at = pos_;
    if (peek() != '"') {
      const bool empty_object = want == "type" && peek() == '}';
      unexpected(want.empty() ? "a dict key string" : "member \"" + std::string(want) + "\"",
                 empty_object ? ErrorCode::plist_json_not_tagged : ErrorCode::plist_json_syntax);
      return false;
    }
    if (!read_string(out)) return false;
    if (!want.empty() && out != want) {
      fail(ErrorCode::plist_json_not_tagged, at, "expected member \"" + std::string(want) + "\"");
      return false;
    }
    return expect(':', "':'");
  }

  bool count_object(std::size_t at) {
    if (++objects_ > limits_.max_objects) {
      error_ = limit_error(ErrorCode::plist_json_objects_limit, at, "max_objects", limits_.max_objects);
      return false;
    }
    return true;
  }

  // Reads the closing '}' of a tagged value's object.
  bool close_tagged() {
    skip_ws();
    if (peek() == ',') {
      fail(ErrorCode::plist_json_not_tagged, pos_, "a tagged value has only \"type\" and \"value\"");
      return false;
    }
    return expect('}', "'}'");
  }

  // Parses a tagged value starting at pos_. Returns it when complete (a scalar or an empty
  // container); returns nullopt with no error after opening a non-empty container, leaving
  // pos_ at its first member's value (a dict's key and ':' already read).
  std::optional<Value> begin_value() {
    skip_ws();
    const std::size_t open = pos_;
    if (peek() != '{') return unexpected_value("a tagged value {\"type\": ..., \"value\": ...}");
    ++pos_;
    if (!count_object(open)) return std::nullopt;
    if (!read_member_name(scratch_, "type")) return std::nullopt;
    skip_ws();
    const std::size_t type_at = pos_;
    if (peek() != '"') return unexpected_value("a type name string");
    if (!read_string(scratch_)) return std::nullopt;
    const auto type = parse_type_name(scratch_);
    if (!type) return fail(ErrorCode::plist_json_unknown_type, type_at, excerpt(scratch_));
    skip_ws();
    if (peek() != ',')
      return unexpected("',' and member \"value\"",
                        peek() == '}' ? ErrorCode::plist_json_not_tagged : ErrorCode::plist_json_syntax);
    ++pos_;
    if (!read_member_name(scratch_, "value")) return std::nullopt;
    skip_ws();
    const std::size_t value_at = pos_;

    if (*type == Type::dict || *type == Type::array) {
      const bool is_dict = *type == Type::dict;
      if (peek() != (is_dict ? '{' : '['))
        return unexpected_value(is_dict ? "a JSON object" : "a JSON array");
      if (stack_.size() >= limits_.max_depth) {
        error_ = limit_error(ErrorCode::plist_json_depth_limit, value_at, "max_depth", limits_.max_depth);
        return std::nullopt;
      }
      ++pos_;
      skip_ws();
      if (peek() == (is_dict ? '}' : ']')) {
        ++pos_;
        if (!close_tagged()) return std::nullopt;
        return is_dict ? doc_.dict({}) : doc_.array({});
      }
      stack_.push_back(Frame{is_dict, {}, {}, {}, {}});
      if (is_dict && !read_key()) return std::nullopt;
      return std::nullopt;
    }

    if (peek() != '"') return unexpected_value("a string value");
    std::string text;
    if (!read_string(text)) return std::nullopt;
    std::optional<Value> v = scalar(*type, text);
    if (!v)
      return fail(ErrorCode::plist_json_bad_value, value_at, std::string(type_name(*type)) + " " + excerpt(text));
    if (v->is(Type::string) && !charge(v->as_string().size(), value_at)) return std::nullopt;
    if (v->is(Type::data) && !charge(v->as_data().size(), value_at)) return std::nullopt;
    if (!close_tagged()) return std::nullopt;
    return v;
  }

  std::optional<Value> scalar(Type type, const std::string& text) {
    switch (type) {
      case Type::string: return doc_.string(text);
      case Type::integer: {
        auto n = parse_integer(text);
        if (!n) return std::nullopt;
        return Value::integer(*n);
      }
      case Type::real: {
        auto r = parse_real(text);
        if (!r) return std::nullopt;
        return Value::real(*r);
      }
      case Type::boolean:
        if (text == "true") return Value::boolean(true);
        if (text == "false") return Value::boolean(false);
        return std::nullopt;
      case Type::date: {
        auto d = parse_tagged_date(text);
        if (!d) return std::nullopt;
        return Value::date(*d);
      }
      case Type::data: {
        auto bytes = base64_decode_strict(text);
        if (!bytes) return std::nullopt;
        return doc_.data(as_bytes(*bytes));
      }
      case Type::uid: {
        auto n = parse_canonical_unsigned(text);
        if (!n) return std::nullopt;
        return Value::uid(*n);
      }
      default: return std::nullopt;
    }
  }

  // Reads a dict key and its ':' into the top frame, rejecting a repeated key.
  bool read_key() {
    skip_ws();
    const std::size_t at = pos_;
    if (!read_member_name(scratch_, {})) return false;
    if (!charge(scratch_.size(), at)) return false;
    Frame& f = stack_.back();
    const std::string_view key = doc_.intern(scratch_);
    if (!f.keys.insert(key).second) {
      fail(ErrorCode::plist_json_duplicate_key, at, excerpt(scratch_));
      return false;
    }
    f.pending_key = key;
    return true;
  }

  // Adds a finished value to the open container; returns the container when it closes,
  // nullopt when another member follows (or on error).
  std::optional<Value> add_to_parent(Value v) {
    Frame& f = stack_.back();
    if (f.is_dict)
      f.entries.push_back({f.pending_key, v});
    else
      f.items.push_back(v);
    skip_ws();
    if (peek() == ',') {
      ++pos_;
      if (f.is_dict && !read_key()) return std::nullopt;
      return std::nullopt;
    }
    if (peek() != (f.is_dict ? '}' : ']')) return unexpected(f.is_dict ? "',' or '}'" : "',' or ']'");
    ++pos_;
    Value container = f.is_dict ? doc_.dict(f.entries) : doc_.array(f.items);
    stack_.pop_back();
    if (!close_tagged()) return std::nullopt;
    return container;
  }

  // Charges the decoded bytes of a string, key or data whose JSON text starts at `at`.
  bool charge(std::size_t n, std::size_t at) {
    Status s = budget_.charge_expanded(n, at);
    if (!s.ok()) error_ = s.take_error();
    return s.ok();
  }

  std::string_view text_;
  const Limits& limits_;
  Budget& budget_;
  std::size_t pos_ = 0;
  std::uint64_t objects_ = 0;
  Document doc_;
  std::vector<Frame> stack_;
  std::optional<Error> error_;
  std::string scratch_;
};

}  // namespace

Result<Document> read_tagged_json(std::string_view text, const Limits& limits) {
  Budget budget(limits);
  return read_tagged_json(text, budget);
}

Result<Document> read_tagged_json(std::string_view text, Budget& budget) {
  try {
    return Reader(text, budget).run();
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::core_internal, 0, "out of memory");
  }
}

}  // namespace entsig::plist

// Tagged JSON writer (toml-test style): every value is {"type": T, "value": V}; dicts and
// arrays hold tagged values, scalars are strings. Schema and examples: docs/json-schema.md.
// Walks the tree with an explicit stack, so any depth is safe.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "charged_output.h"
#include "entsig/plist.h"
#include "number_text.h"
#include "tagged_json_text.h"

namespace entsig::plist {
namespace detail {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  // Bytes from `valid_until` on have not been validated as UTF-8 yet.
  std::size_t valid_until = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (i >= valid_until) {
      auto bad = find_invalid_utf8(as_bytes(text.substr(i)));
      if (bad && *bad == 0) {
        // Not UTF-8: one U+FFFD per offending byte keeps the output valid JSON.
        out.append(text.substr(run, i - run));
        out += "\xEF\xBF\xBD";
        run = ++i;
        continue;
      }
      valid_until = bad ? i + *bad : text.size();
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(text.substr(run, i - run));
    // Short escapes where JSON has them, \u00xx otherwise (RFC 8785 section 3.2.2.2).
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, 6);
      }
    }
    run = ++i;
  }
  out.append(text.substr(run));
  out += '"';
}

void append_tagged_real(std::string& out, double v) {
  if (std::isnan(v))
    out += "nan";
  else if (std::isinf(v))
    out += v > 0 ? "inf" : "-inf";
  else
    append_shortest_real(out, v);
}

// ISO 8601 when the strict date grammar can read the whole second back (years 0001-9999);
// otherwise the seconds since 2001 as a real ("nan", "-inf", "1e+300"), so no date is lost.
// Whole seconds come from format_iso8601 of floor(t); a fraction, when t has one, is the
// shortest decimal that reads back to t (tagged_json_reader.cc has the inverse). A date
// before a whole second is written as that earlier second plus the complement, so
// -0.25 s is "2000-12-31T23:59:59.75Z".
std::string tagged_date_text(double t) {
  const double whole = std::floor(t);
  std::string text = std::isfinite(t) ? format_iso8601(whole) : std::string();
  if (text.empty() || !parse_iso8601_strict(text)) {
    text.clear();
    append_tagged_real(text, t);
    return text;
  }
  if (whole == t) return text;
  char buf[400];  // a fixed-notation double needs at most ~330 characters
  auto r = std::to_chars(buf, buf + sizeof buf, t, std::chars_format::fixed);
  const std::string_view fixed(buf, static_cast<std::size_t>(r.ptr - buf));
  const std::size_t dot = fixed.find('.');
  if (r.ec != std::errc{} || dot == std::string_view::npos || text.back() != 'Z') return text;
  const std::string_view digits = fixed.substr(dot + 1);
  text.pop_back();
  text += '.';
  text += t < 0 ? decimal_complement(digits) : std::string(digits);
  text += 'Z';
  return text;
}

}  // namespace detail

namespace {

struct Frame {
  const Value* container;
  std::size_t next;
  std::size_t level;  // indentation level of the container's tagged object
};

// Every byte goes through the budget (ChargedOutput), and the walk stops at the first refusal,
// so a tree of shared values costs at most the output budget, whatever its expanded size.
class JsonWriter {
 public:
  JsonWriter(Budget& budget, bool pretty) : out_(budget), pretty_(pretty) {}

  Result<std::string> run(const Value& root) {
    write_value(root, 0);
    while (!stack_.empty() && out_.ok()) {
      Frame& f = stack_.back();
      const bool is_dict = f.container->is(Type::dict);
      if (f.next == f.container->size()) {
        newline(f.level + 1);
        out_ += is_dict ? '}' : ']';
        newline(f.level);
        out_ += '}';
        stack_.pop_back();
        continue;
      }
      if (f.next > 0) out_ += ',';
      const std::size_t child_level = f.level + 2;
      newline(child_level);
      const Value* child;
      if (is_dict) {
        const DictEntry& entry = f.container->as_dict()[f.next++];
        json_string(entry.key);
        out_ += pretty_ ? ": " : ":";
        child = &entry.value;
      } else {
        child = &f.container->as_array()[f.next++];
      }
      write_value(*child, child_level);  // may push: `f` is not used after this
    }
    return out_.finish();
  }

 private:
  void newline(std::size_t level) {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(level * 2, ' ');
  }

  // Escaped into scratch first: the charge is the exact escaped size.
  void json_string(std::string_view text) {
    scratch_.clear();
    detail::append_json_string(scratch_, text);
    out_.append(scratch_);
  }

  void open_tag(Type t) {
    out_ += pretty_ ? "{\"type\": \"" : "{\"type\":\"";
    out_ += type_name(t);
    out_ += pretty_ ? "\", \"value\": " : "\",\"value\":";
  }

  // A scalar's value string is ASCII without specials except for strings themselves.
  void scalar(Type t, std::string_view text) {
    open_tag(t);
    out_ += '"';
    out_ += text;
    out_ += "\"}";
  }

  void write_value(const Value& v, std::size_t level) {
    char buf[32];
    switch (v.type()) {
      case Type::dict:
      case Type::array: {
        const bool is_dict = v.is(Type::dict);
        if (v.size() == 0) {
          open_tag(v.type());
          out_ += is_dict ? "{}}" : "[]}";
          return;
        }
        // Containers spread over lines when pretty: {"type": ..., "value": {...}}.
        out_ += '{';
        newline(level + 1);
        out_ += pretty_ ? "\"type\": \"" : "\"type\":\"";
        out_ += type_name(v.type());
        out_ += "\",";
        newline(level + 1);
        out_ += pretty_ ? "\"value\": " : "\"value\":";
        out_ += is_dict ? '{' : '[';
        stack_.push_back(Frame{&v, 0, level});
        return;
      }
      case Type::string:
        open_tag(Type::string);
        json_string(v.as_string());
        out_ += '}';
        return;
      case Type::integer: {
        const Integer n = v.as_integer();
        auto r = n.negative ? std::to_chars(buf, buf + sizeof buf, n.as_int64())
                            : std::to_chars(buf, buf + sizeof buf, n.bits);
        scalar(Type::integer, {buf, static_cast<std::size_t>(r.ptr - buf)});
        return;
      }
      case Type::real: {
        std::string text;
        detail::append_tagged_real(text, v.as_real());
        scalar(Type::real, text);
        return;
      }
      case Type::boolean:
        scalar(Type::boolean, v.as_bool() ? "true" : "false");
        return;
      case Type::date:
        open_tag(Type::date);
        json_string(detail::tagged_date_text(v.as_date()));
        out_ += '}';
        return;
      case Type::data: {
        // In pieces of whole quanta, each charged before the next is encoded, so a refused
        // charge stops the work early.
        constexpr std::size_t kPiece = 48 * 1024;
        const Bytes data = v.as_data();
        open_tag(Type::data);
        out_ += '"';
        for (std::size_t i = 0; i < data.size() && out_.ok(); i += kPiece)
          out_ += base64_encode(data.subspan(i, std::min(kPiece, data.size() - i)));
        out_ += "\"}";
        return;
      }
      case Type::uid: {
        auto r = std::to_chars(buf, buf + sizeof buf, v.as_uid());
        scalar(Type::uid, {buf, static_cast<std::size_t>(r.ptr - buf)});
        return;
      }
    }
  }

  detail::ChargedOutput out_;
  bool pretty_;
  std::string scratch_;
  std::vector<Frame> stack_;
};

}  // namespace

Result<std::string> write_tagged_json(const Value& root, Budget& budget, bool pretty) {
  return JsonWriter{budget, pretty}.run(root);
}

Result<std::string> write_tagged_json(const Value& root, bool pretty) {
  Budget budget;
  return write_tagged_json(root, budget, pretty);
}

}  // namespace entsig::plist

// XML plist writer in Apple's layout, as CoreFoundation's _CFAppendXML0 writes it
// (CFPropertyList.c): the Apple header and DOCTYPE, one element per line, tab indentation,
// <array/> and <dict/> for empty containers, base64 data in indented lines, a uid as a
// one-entry {CF$UID: n} dict. Two deliberate differences from CF, both so a value read back
// is `equal` to the one written: dict entries keep document order (CF sorts keys), and reals
// use the shortest text that reads back to the same double (CF prints %.17g and "0.0" for
// both zeros). Walks the tree with an explicit stack, so any depth is safe.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "charged_output.h"
#include "entsig/plist.h"
#include "number_text.h"

namespace entsig::plist {
namespace {

constexpr std::string_view kHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n";

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The helpers write to a std::string or to a writer's ChargedOutput.
template <class Out>
void append_indent(Out& out, std::size_t depth) { out.append(depth, '\t'); }

// CF escapes exactly these three (_appendEscapedString); every other character, control
// characters included, is written as is.
template <class Out>
void append_escaped(Out& out, std::string_view text) {
  std::size_t start = 0;
  while (true) {
    std::size_t hit = text.find_first_of("<>&", start);
    if (hit == std::string_view::npos) {
      out.append(text.substr(start));
      return;
    }
    out.append(text.substr(start, hit - start));
    switch (text[hit]) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += "&amp;"; break;
    }
    start = hit + 1;
  }
}

template <class Out, class T>
void append_decimal(Out& out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

template <class Out>
void append_integer(Out& out, Integer v) {
  if (v.negative)
    append_decimal(out, v.as_int64());
  else
    append_decimal(out, v.bits);
}

// Non-finite values as CF's __CFNumberCopyFormattingDescriptionAsFloat64 writes them.
template <class Out>
void append_real(Out& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+infinity" : "-infinity";
  } else {
    std::string text;
    detail::append_shortest_real(text, v);
    out += text;
  }
}

// Base64 in lines as CF's _XMLPlistAppendDataUsingBase64: the indent is capped at 8 tabs and
// each line holds 76 - 8 * indent characters, so text plus 8-column tabs fits in 76 columns
// (76, 68, ... down to 12). Every width is a multiple of 4, so lines break between quanta.
void append_data_lines(detail::ChargedOutput& out, Bytes data, std::size_t depth) {
  const std::size_t tabs = std::min<std::size_t>(depth, 8);
  const std::size_t bytes_per_line = (76 - 8 * tabs) / 4 * 3;
  std::size_t i = 0;
  while (i < data.size() && out.ok()) {
    const std::size_t line_end = data.size() - i > bytes_per_line ? i + bytes_per_line : data.size();
    append_indent(out, tabs);
    for (; i + 3 <= line_end; i += 3) {
      const std::uint32_t v =
          (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
      const char quad[4] = {kBase64Alphabet[v >> 18], kBase64Alphabet[(v >> 12) & 63],
                            kBase64Alphabet[(v >> 6) & 63], kBase64Alphabet[v & 63]};
      out.append(quad, 4);
    }
    if (i < line_end) {  // the last 1 or 2 bytes, padded
      const bool two = line_end - i == 2;
      const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (two ? std::uint32_t{data[i + 1]} << 8 : 0);
      const char quad[4] = {kBase64Alphabet[v >> 18], kBase64Alphabet[(v >> 12) & 63],
                            two ? kBase64Alphabet[(v >> 6) & 63] : '=', '='};
      out.append(quad, 4);
      i = line_end;
    }
    out += '\n';
  }
}

struct Frame {
  const Value* container;
  std::size_t next;
  std::size_t depth;
};

// Every byte goes through the budget (ChargedOutput), and the walk stops at the first refusal,
// so a tree of shared values costs at most the output budget, whatever its expanded size.
class XmlWriter {
 public:
  explicit XmlWriter(Budget& budget) : out_(budget) {}

  Result<std::string> run(const Value& root) {
    out_ += kHeader;
    write_value(root, 0);
    while (!stack_.empty() && out_.ok()) {
      Frame& f = stack_.back();
      const bool is_dict = f.container->is(Type::dict);
      if (f.next == f.container->size()) {
        append_indent(out_, f.depth);
        out_ += is_dict ? "</dict>\n" : "</array>\n";
        stack_.pop_back();
        continue;
      }
      const std::size_t child_depth = f.depth + 1;
      const Value* child;
      if (is_dict) {
        const DictEntry& entry = f.container->as_dict()[f.next++];
        append_indent(out_, child_depth);
        out_ += "<key>";
        append_escaped(out_, entry.key);
        out_ += "</key>\n";
        child = &entry.value;
      } else {
        child = &f.container->as_array()[f.next++];
      }
      write_value(*child, child_depth);  // may push: `f` is not used after this
    }
    out_ += "</plist>\n";
    return out_.finish();
  }

 private:
  // Writes a scalar or an empty container whole; opens a non-empty container and pushes it.
  void write_value(const Value& v, std::size_t depth) {
    append_indent(out_, depth);
    switch (v.type()) {
      case Type::dict:
      case Type::array: {
        const bool is_dict = v.is(Type::dict);
        if (v.size() == 0) {
          out_ += is_dict ? "<dict/>\n" : "<array/>\n";
          return;
        }
        out_ += is_dict ? "<dict>\n" : "<array>\n";
        stack_.push_back(Frame{&v, 0, depth});
        return;
      }
      case Type::string:
        out_ += "<string>";
        append_escaped(out_, v.as_string());
        out_ += "</string>\n";
        return;
      case Type::integer:
        out_ += "<integer>";
        append_integer(out_, v.as_integer());
        out_ += "</integer>\n";
        return;
      case Type::real:
        out_ += "<real>";
        append_real(out_, v.as_real());
        out_ += "</real>\n";
        return;
      case Type::boolean:
        out_ += v.as_bool() ? "<true/>\n" : "<false/>\n";
        return;
      case Type::date:
        out_ += "<date>";
        out_ += format_iso8601(v.as_date());
        out_ += "</date>\n";
        return;
      case Type::data:
        out_ += "<data>\n";
        append_data_lines(out_, v.as_data(), depth);
        append_indent(out_, depth);
        out_ += "</data>\n";
        return;
      case Type::uid:
        // CF writes a uid as the dict {CF$UID: n} (_CFAppendXML0, uidtype branch).
        out_ += "<dict>\n";
        append_indent(out_, depth + 1);
        out_ += "<key>CF$UID</key>\n";
        append_indent(out_, depth + 1);
        out_ += "<integer>";
        append_decimal(out_, v.as_uid());
        out_ += "</integer>\n";
        append_indent(out_, depth);
        out_ += "</dict>\n";
        return;
    }
  }

  detail::ChargedOutput out_;
  std::vector<Frame> stack_;
};

// A container's identity: its arena storage. Shared containers (a binary plist's DAG) are
// checked once, so the check is linear in the stored tree, not the expanded one.
const void* storage_of(const Value& v) {
  return v.is(Type::array) ? static_cast<const void*>(v.as_array().data())
                           : static_cast<const void*>(v.as_dict().data());
}

}  // namespace

Result<std::string> write_xml(const Value& root, Budget& budget) { return XmlWriter{budget}.run(root); }

Result<std::string> write_xml(const Value& root) {
  Budget budget;
  return write_xml(root, budget);
}

Status check_xml_writable(const Value& root) {
  std::vector<const Value*> work{&root};
  std::unordered_set<const void*> checked;
  auto nul_error = [](std::string_view where, std::string_view text) {
    return make_error(ErrorCode::plist_write_nul_in_string, 0,
                      std::string(where) + " at byte " + std::to_string(text.find('\0')));
  };
  while (!work.empty()) {
    const Value& v = *work.back();
    work.pop_back();
    if (v.size() > 0 && !checked.insert(storage_of(v)).second) continue;
    switch (v.type()) {
      case Type::dict:
        for (const auto& entry : v.as_dict()) {
          if (entry.key.find('\0') != std::string_view::npos) return nul_error("key", entry.key);
          work.push_back(&entry.value);
        }
        break;
      case Type::array:
        for (const auto& item : v.as_array()) work.push_back(&item);
        break;
      case Type::string:
        if (v.as_string().find('\0') != std::string_view::npos) return nul_error("string", v.as_string());
        break;
      case Type::date:
        if (format_iso8601(v.as_date()).empty()) {
          std::string seconds;
          append_real(seconds, v.as_date());
          return make_error(ErrorCode::plist_write_date_not_representable, 0, seconds + " s since 2001");
        }
        break;
      default: break;
    }
  }
  return Ok{};
}

}  // namespace entsig::plist

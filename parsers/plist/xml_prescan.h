// Checks the XML reader runs on the raw bytes before pugixml tokenizes them. Internal to
// parsers/plist.
//
// pugixml accepts markup that Apple's parsers read differently (comments such as <!--->,
// "--" inside comments, processing instructions, DOCTYPE internal subsets). These scans see
// the bytes as they are, so the reader can refuse such markup with its own error code and
// offset before any value is built; the DOM walk checks comments again as a backstop.
#pragma once

#include <cstddef>
#include <string_view>

#include "entsig/core.h"
#include "entsig/plist.h"

namespace entsig::plist::xml_detail {

struct PrescanResult {
  std::size_t start = 0;  // first byte given to pugixml (after an accepted byte order mark)
  std::size_t end = 0;    // one past the last byte given to pugixml (the root's end when cut)
  // False when no element inside the first root (nor a bare root) can have attributes, so
  // the walk need not ask pugixml for them.
  bool attributes = true;
};

// Byte order mark, encoding, NUL / CR / UTF-8 checks, the prolog (declaration, DOCTYPE,
// comments, PIs) and, unless the options allow all of it, every comment, PI and CDATA
// section of the body. With allow_trailing_content and allow_multiple_roots both set,
// everything after the first root element is cut off, as CoreFoundation ignores it.
// Bytes [0, out.end) are copied to `copy` (room for input.size()) on the way, for pugixml's
// in-place parse: one pass over the input does both. Last, the depth and object limits
// (check_structure_limits), so pugixml never builds a DOM for a document past them.
Status prescan(Bytes input, const XmlOptions& options, const Limits& limits, char* copy, PrescanResult& out);

// Counts the elements of the first root element, starting at its '<' (`body`), as the DOM
// walk counts them, and refuses the first one past Limits::max_objects or max_depth with
// the walk's error and offset (xml_limits_scan.cc). Sets `attributes` to false when it saw
// the root close and no start tag in it but a root <plist>'s held a quoted value.
Status check_structure_limits(std::string_view text, std::size_t body, std::size_t end, const XmlOptions& options,
                              const Limits& limits, bool& attributes);

// The '>' closing a start tag or DOCTYPE whose name begins at `pos`, stepping over quoted
// values as pugixml does; npos when `end` comes first. Sets *quoted when it stepped over one.
// Inline: the limits scan calls it for every element.
inline std::size_t find_tag_end(std::string_view text, std::size_t pos, std::size_t end,
                                bool* quoted = nullptr) {
  while (pos < end) {
    const char c = text[pos];
    if (c == '>') return pos;
    if (c == '"' || c == '\'') {
      if (quoted) *quoted = true;
      const std::size_t close = text.find(c, pos + 1);
      if (close == std::string_view::npos || close >= end) return std::string_view::npos;
      pos = close + 1;
      continue;
    }
    ++pos;
  }
  return std::string_view::npos;
}

// The comment rules shared with the DOM walk. `content` is the text between "<!--" and
// "-->"; `open` is the offset of its '<'. `in_prolog`: before the root element.
Status check_comment(std::string_view content, std::size_t open, bool in_prolog,
                     const XmlOptions& options);

}  // namespace entsig::plist::xml_detail

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
};

// Byte order mark, encoding, NUL / CR / UTF-8 checks, the prolog (declaration, DOCTYPE,
// comments, PIs) and, unless the options allow all of it, every comment, PI and CDATA
// section of the body. With allow_trailing_content and allow_multiple_roots both set,
// everything after the first root element is cut off, as CoreFoundation ignores it.
// Bytes [0, out.end) are copied to `copy` (room for input.size()) on the way, for pugixml's
// in-place parse: one pass over the input does both.
Status prescan(Bytes input, const XmlOptions& options, char* copy, PrescanResult& out);

// The comment rules shared with the DOM walk. `content` is the text between "<!--" and
// "-->"; `open` is the offset of its '<'. `in_prolog`: before the root element.
Status check_comment(std::string_view content, std::size_t open, bool in_prolog,
                     const XmlOptions& options);

}  // namespace entsig::plist::xml_detail

// The XML reader's depth and object limits, counted on the raw bytes (see xml_prescan.h) so
// that a document past them is refused before pugixml allocates a node for it.
//
// The count follows the DOM walk in xml_reader.cc: <plist> is not an object, every other
// element is (the walk refuses a name it does not know before counting it, so a document
// holding one is refused either way); every <array> and <dict>, empty or not, takes a level while
// it is open. Markup is stepped over the way pugixml reads it (quoted attribute values,
// comments, PIs, CDATA, the DOCTYPE), and only the first root element is counted, as the
// walk reads only that one.
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "xml_prescan.h"
#include "xml_scalars.h"

namespace entsig::plist::xml_detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool ends_name(char c) { return is_xml_space(c) || c == '>' || c == '/'; }


enum class Kind : std::uint8_t { container, plist, other };

// How the walk counts an element whose name starts at `p` (names are case-sensitive, A1 #67).
// Other names count as objects: a value or a key, or a name the walk refuses anyway.
Kind kind_at(std::string_view text, std::size_t pos, std::size_t end) {
  auto is = [&](std::string_view name) {
    return text.substr(pos, end - pos).starts_with(name) &&
           (pos + name.size() >= end || ends_name(text[pos + name.size()]));
  };
  switch (text[pos]) {
    case 'a': return is("array") ? Kind::container : Kind::other;
    case 'd': return is("dict") ? Kind::container : Kind::other;
    case 'p': return is("plist") ? Kind::plist : Kind::other;
    default: return Kind::other;
  }
}

// The next '<' at or after `pos`, or npos. Inline rather than memchr: in a plist the next
// '<' is usually a few bytes away, where a call costs more than the search.
std::size_t find_lt(std::string_view text, std::size_t pos, std::size_t end) {
  const char* p = text.data();
#if defined(__SSE2__)
  const __m128i lt = _mm_set1_epi8('<');
  for (; end - pos >= 16; pos += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + pos));
    const unsigned hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lt)));
    if (hits) return pos + static_cast<std::size_t>(__builtin_ctz(hits));
  }
#endif
  for (; pos < end; ++pos)
    if (p[pos] == '<') return pos;
  return npos;
}

// One past `terminator` searched from `from`, or npos when it is not before `end`.
std::size_t past(std::string_view text, std::size_t from, std::size_t end, std::string_view terminator) {
  const std::size_t at = text.find(terminator, from);
  if (at == npos || at + terminator.size() > end) return npos;
  return at + terminator.size();
}

// One past markup starting "<!" at `lt` (comment, CDATA, DOCTYPE), or npos when unterminated.
std::size_t past_bang_markup(std::string_view text, std::size_t lt, std::size_t end) {
  const std::string_view rest = text.substr(lt, end - lt);
  if (rest.starts_with("<!--")) return past(text, lt + 4, end, "-->");
  if (rest.starts_with("<![CDATA[")) return past(text, lt + 9, end, "]]>");
  if (rest.starts_with("<!DOCTYPE")) {
    // pugixml reads a DOCTYPE's internal subset up to "]" then ">"; a '[' before '>' opens one.
    const std::size_t gt = find_tag_end(text, lt + 9, end);
    const std::size_t bracket = text.find('[', lt + 9);
    if (gt != npos && (bracket == npos || bracket > gt)) return gt + 1;
    const std::size_t close = past(text, lt + 9, end, "]");
    if (close == npos) return npos;
    const std::size_t after = find_tag_end(text, close, end);
    return after == npos ? npos : after + 1;
  }
  return lt + 2;  // pugixml judges it
}

}  // namespace

Status check_structure_limits(std::string_view text, std::size_t body, std::size_t end, const XmlOptions& options,
                              const Limits& limits, bool& attributes) {
  attributes = true;  // unknown until the root has closed
  if (body >= end || text[body] != '<') return Ok{};
  // A root that the walk refuses at once is not counted (A1 #21).
  if (body + 1 >= end) return Ok{};
  if (!options.allow_missing_plist_root && kind_at(text, body + 1, end) != Kind::plist) return Ok{};
  std::uint64_t objects = 0;
  std::uint32_t depth = 0;     // open <array>/<dict>, as the walk's depth
  std::uint64_t open = 0;      // open elements of any name: 0 again when the root closes
  // pugixml requires attribute values to be quoted: a start tag without a quote has none.
  // The root <plist>'s own attributes are read separately.
  bool quoted_value_tag = false;
  std::size_t pos = body;
  while (pos < end) {
    const std::size_t lt = find_lt(text, pos, end);
    if (lt == npos || lt + 1 >= end) return Ok{};
    const char next = text[lt + 1];
    if (next == '?') {
      pos = past(text, lt + 2, end, "?>");
    } else if (next == '!') {
      pos = past_bang_markup(text, lt, end);
    } else if (next == '/') {
      // An end tag holds no '<', so the search goes on from its name.
      if (open == 0 || lt + 2 >= end) return Ok{};  // pugixml reports it
      if (kind_at(text, lt + 2, end) == Kind::container && depth > 0) --depth;
      if (--open == 0) {
        attributes = quoted_value_tag;
        return Ok{};
      }
      pos = lt + 2;
    } else {
      bool quoted = false;
      const std::size_t gt = find_tag_end(text, lt + 1, end, &quoted);
      if (gt == npos) return Ok{};
      const Kind kind = kind_at(text, lt + 1, end);
      if (quoted && (lt != body || kind != Kind::plist)) quoted_value_tag = true;
      if (kind != Kind::plist && ++objects > limits.max_objects)
        return limit_error(ErrorCode::plist_xml_object_limit, lt, "max_objects", limits.max_objects);
      const bool empty_element = text[gt - 1] == '/';
      if (kind == Kind::container) {
        // A1 #79: the same check the walk makes when it opens the container.
        if (depth >= limits.max_depth)
          return limit_error(ErrorCode::plist_xml_depth_limit, lt, "max_depth", limits.max_depth);
        if (!empty_element) ++depth;
      }
      if (!empty_element) ++open;
      else if (open == 0) {  // an empty root
        attributes = quoted_value_tag;
        return Ok{};
      }
      pos = gt + 1;
    }
    if (pos == npos) return Ok{};
  }
  return Ok{};
}

}  // namespace entsig::plist::xml_detail

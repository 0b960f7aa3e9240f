// Raw-byte checks of the XML reader (see xml_prescan.h): encoding, forbidden bytes, the
// prolog, and the comment / PI / CDATA markup of the body, before pugixml sees the input.
#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "xml_prescan.h"
#include "xml_scalars.h"

namespace entsig::plist::xml_detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

Status error_at(ErrorCode code, std::size_t offset, std::string_view detail = {}) {
  return make_error(code, offset, detail);
}

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view prefix) {
  return pos <= text.size() && text.substr(pos).starts_with(prefix);
}

// Copies [from, to) to `dst` (at the same offsets) up to the first byte that is NUL, CR
// (when `find_cr`) or >= 0x80, and returns that byte's offset, or `to`.
std::size_t copy_to_special_byte(const std::uint8_t* p, char* dst, std::size_t from, std::size_t to, bool find_cr) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i cr = find_cr ? _mm_set1_epi8('\r') : zero;
  while (to - i >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), v);
    const __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(v, zero), _mm_cmpeq_epi8(v, cr));
    const int mask = _mm_movemask_epi8(_mm_or_si128(hits, v));  // bit 7 of v: >= 0x80
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  for (; i < to; ++i) {
    if (p[i] == 0 || p[i] >= 0x80 || (find_cr && p[i] == '\r')) return i;
    dst[i] = static_cast<char>(p[i]);
  }
  return to;
}

// Copies [from, to) of the input to `dst` while checking NUL, CR and UTF-8. A run of bytes
// >= 0x80 is a whole number of UTF-8 sequences when valid (ASCII bytes cannot sit inside
// one), so each run is checked alone.
Status copy_and_check_bytes(Bytes input, char* dst, std::size_t from, std::size_t to, bool allow_cr) {
  const std::uint8_t* p = input.data();
  std::size_t i = from;
  while ((i = copy_to_special_byte(p, dst, i, to, !allow_cr)) < to) {
    const std::uint8_t c = p[i];
    // A1 #63, #75: the kernel stops at NUL, libplist truncates keys, CF keeps the byte;
    // pugixml would also stop there, so NUL is refused in every mode.
    if (c == 0) return error_at(ErrorCode::plist_xml_nul_byte, i);
    // A1 #77: the kernel's getTag returns TAG_BAD on '\r'.
    if (c == '\r') return error_at(ErrorCode::plist_xml_carriage_return, i);
    std::size_t j = i;
    while (j < to && p[j] >= 0x80) ++j;
    // A1 #76: CF fails "Unable to convert string", the kernel keeps raw bytes.
    if (auto bad = find_invalid_utf8(input.subspan(i, j - i))) return error_at(ErrorCode::plist_xml_invalid_utf8, i + *bad);
    std::memcpy(dst + i, p + i, j - i);
    i = j;
  }
  return Ok{};
}

// A1 #72-73: CF detects UTF-8/16 byte order marks, the kernel and libplist do not.
Status check_byte_order_mark(Bytes input, const XmlOptions& options, std::size_t& start) {
  start = 0;
  if (input.size() >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF) {
    if (!options.allow_bom) return error_at(ErrorCode::plist_xml_bom, 0);
    start = 3;
    return Ok{};
  }
  if (input.size() >= 2 && ((input[0] == 0xFE && input[1] == 0xFF) || (input[0] == 0xFF && input[1] == 0xFE)))
    return error_at(ErrorCode::plist_xml_encoding_unsupported, 0, "UTF-16 byte order mark");
  return Ok{};
}

// End of a DOCTYPE internal subset starting at `bracket`: the ']' before the closing '>',
// skipping quoted literals and comments. npos when unterminated.
std::size_t find_subset_end(std::string_view text, std::size_t bracket, std::size_t end) {
  std::size_t pos = bracket + 1;
  while (pos < end) {
    const char c = text[pos];
    if (c == ']') return pos;
    if (c == '"' || c == '\'') {
      const std::size_t close = text.find(c, pos + 1);
      if (close == npos || close >= end) return npos;
      pos = close + 1;
      continue;
    }
    if (starts_with_at(text, pos, "<!--")) {
      const std::size_t close = text.find("-->", pos + 4);
      if (close == npos || close >= end) return npos;
      pos = close + 3;
      continue;
    }
    ++pos;
  }
  return npos;
}

// One past the root element's end tag, following comments, PIs, CDATA and the DOCTYPE the
// way pugixml reads them; `end` when the root never closes (pugixml then reports why).
std::size_t find_root_end(std::string_view text, std::size_t pos, std::size_t end) {
  std::size_t depth = 0;
  while (pos < end) {
    const std::size_t lt = text.find('<', pos);
    if (lt == npos || lt >= end) return end;
    std::size_t close = npos;
    if (starts_with_at(text, lt, "<?")) {
      close = text.find("?>", lt + 2);
      if (close != npos) close += 2;
    } else if (starts_with_at(text, lt, "<!--")) {
      close = text.find("-->", lt + 4);
      if (close != npos) close += 3;
    } else if (starts_with_at(text, lt, "<![CDATA[")) {
      close = text.find("]]>", lt + 9);
      if (close != npos) close += 3;
    } else if (starts_with_at(text, lt, "<!DOCTYPE")) {
      std::size_t gt = find_tag_end(text, lt + 9, end);
      const std::size_t bracket = text.find('[', lt + 9);
      if (gt != npos && bracket != npos && bracket < gt) {
        const std::size_t subset_end = find_subset_end(text, bracket, end);
        gt = subset_end == npos ? npos : find_tag_end(text, subset_end, end);
      }
      if (gt != npos) close = gt + 1;
    } else if (starts_with_at(text, lt, "<!")) {
      close = lt + 2;
    } else if (starts_with_at(text, lt, "</")) {
      const std::size_t gt = text.find('>', lt + 2);
      if (gt == npos || gt >= end || depth == 0) return end;
      if (--depth == 0) return gt + 1;
      close = gt + 1;
    } else {
      const std::size_t gt = find_tag_end(text, lt + 1, end);
      if (gt == npos) return end;
      const bool empty_element = text[gt - 1] == '/';
      if (empty_element && depth == 0) return gt + 1;
      if (!empty_element) ++depth;
      close = gt + 1;
    }
    if (close == npos || close > end) return end;
    pos = close;
  }
  return end;
}

// <!DOCTYPE ...> at `lt` in the prolog; sets `next` past it.
Status check_doctype(std::string_view text, std::size_t lt, std::size_t end, const XmlOptions& options,
                     std::size_t& next) {
  next = end;
  std::size_t pos = lt + 9;
  // The kernel and CF end the DOCTYPE at the first '>'; pugixml steps over quoted literals.
  const std::size_t first_gt = text.find('>', pos);
  while (pos < end) {
    const char c = text[pos];
    if (c == '>') {
      next = pos + 1;
      return Ok{};
    }
    if (c == '"' || c == '\'') {
      const std::size_t close = text.find(c, pos + 1);
      if (close == npos || close >= end) return Ok{};  // unterminated: pugixml reports it
      if (first_gt < close) return error_at(ErrorCode::plist_xml_doctype_malformed, lt);
      pos = close + 1;
      continue;
    }
    if (c == '[') {
      const std::size_t subset_end = find_subset_end(text, pos, end);
      const std::size_t limit = subset_end == npos ? end : subset_end;
      // A1 #17: no parser expands entities; plistlib refuses declarations outright.
      const std::size_t entity = text.substr(0, limit).find("<!ENTITY", pos);
      if (entity != npos) return error_at(ErrorCode::plist_xml_entity_declaration, entity);
      // A1 #18: CF's skipDTD and the kernel stop at '['; libplist skips to "]>".
      if (!options.allow_internal_subset) return error_at(ErrorCode::plist_xml_doctype_internal_subset, pos);
      if (subset_end == npos) return Ok{};
      pos = subset_end + 1;
      continue;
    }
    ++pos;
  }
  return Ok{};
}

// Declaration or processing instruction at `lt`. Sets `next` past its "?>".
Status check_question(std::string_view text, std::size_t lt, std::size_t end, bool declaration_allowed,
                      const XmlOptions& options, std::size_t& next) {
  const std::size_t close = text.find("?>", lt + 2);
  next = close == npos || close + 2 > end ? end : close + 2;
  const bool is_declaration = starts_with_at(text, lt, "<?xml") && lt + 5 < end &&
                              (is_xml_space(text[lt + 5]) || text[lt + 5] == '?');
  if (is_declaration) {
    if (!declaration_allowed) return error_at(ErrorCode::plist_xml_declaration_misplaced, lt);
    return Ok{};
  }
  // A1 #7: "<???>" ends at the first "?>" for CF but not for the kernel.
  if (!options.allow_processing_instructions) return error_at(ErrorCode::plist_xml_processing_instruction, lt);
  return Ok{};
}

// A1 #74: CF converts a declared encoding, the kernel and libplist keep the raw bytes; this
// reader takes UTF-8 only. Checked before the bytes, so "ISO-8859-1" with a raw 0xE9 is
// reported as the encoding it is.
Status check_declared_encoding(std::string_view text, std::size_t start) {
  while (start < text.size() && is_xml_space(text[start])) ++start;  // A1 #28
  if (!starts_with_at(text, start, "<?xml") || start + 5 >= text.size() || !is_xml_space(text[start + 5]))
    return Ok{};
  const std::size_t close = text.find("?>", start);
  const std::string_view decl = text.substr(start, close == npos ? npos : close - start);
  std::size_t at = decl.find("encoding");
  if (at == npos) return Ok{};
  at += 8;
  while (at < decl.size() && is_xml_space(decl[at])) ++at;
  if (at >= decl.size() || decl[at] != '=') return Ok{};  // pugixml reports the syntax
  ++at;
  while (at < decl.size() && is_xml_space(decl[at])) ++at;
  if (at >= decl.size() || (decl[at] != '"' && decl[at] != '\'')) return Ok{};
  const std::size_t value_end = decl.find(decl[at], at + 1);
  if (value_end == npos) return Ok{};
  const std::string_view value = decl.substr(at + 1, value_end - at - 1);
  const bool utf8 = value.size() == 5 && (value[0] | 0x20) == 'u' && (value[1] | 0x20) == 't' &&
                    (value[2] | 0x20) == 'f' && value[3] == '-' && value[4] == '8';
  if (!utf8) return error_at(ErrorCode::plist_xml_encoding_unsupported, start + at + 1, value);
  return Ok{};
}

struct PrologEnd {
  std::size_t body = 0;  // where the prolog ends (the root's '<', or whatever is not prolog)
};

Status scan_prolog(std::string_view text, std::size_t start, std::size_t end, const XmlOptions& options,
                   PrologEnd& out) {
  const bool strict_declaration = !options.allow_processing_instructions;
  bool seen_markup = false;
  bool seen_doctype = false;
  std::size_t pos = start;
  while (true) {
    while (pos < end && is_xml_space(text[pos])) ++pos;  // A1 #28: whitespace before "<?xml"
    out.body = pos;
    if (pos >= end || text[pos] != '<') return Ok{};
    std::size_t next = end;
    if (starts_with_at(text, pos, "<?")) {
      // A declaration must come first; CF reads a later one as a PI (skipped).
      const bool declaration_allowed = !seen_markup || !strict_declaration;
      if (auto s = check_question(text, pos, end, declaration_allowed, options, next); !s) return s;
    } else if (starts_with_at(text, pos, "<!--")) {
      const std::size_t close = text.find("-->", pos + 4);
      if (close == npos || close + 3 > end) return error_at(ErrorCode::plist_xml_comment_unterminated, pos);
      if (auto s = check_comment(text.substr(pos + 4, close - pos - 4), pos, true, options); !s) return s;
      next = close + 3;
    } else if (starts_with_at(text, pos, "<!DOCTYPE")) {
      if (seen_doctype) return error_at(ErrorCode::plist_xml_doctype_misplaced, pos);
      seen_doctype = true;
      if (auto s = check_doctype(text, pos, end, options, next); !s) return s;
    } else {
      return Ok{};  // the root element, or markup pugixml will judge
    }
    seen_markup = true;
    pos = next;
  }
}

// Every "<!" and "<?" of the body, found by searching for the rare '!' and '?' bytes.
Status scan_body(std::string_view text, std::size_t start, std::size_t end, const XmlOptions& options) {
  const char* base = text.data();
  auto find = [&](char c, std::size_t from) -> std::size_t {
    if (from >= end) return npos;
    const void* hit = std::memchr(base + from, c, end - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - base) : npos;
  };
  std::size_t next_bang = find('!', start + 1);
  std::size_t next_question = find('?', start + 1);
  while (true) {
    const std::size_t at = std::min(next_bang, next_question);
    if (at == npos) return Ok{};
    std::size_t resume = at + 1;
    if (text[at - 1] == '<') {
      const std::size_t lt = at - 1;
      if (text[at] == '?') {
        if (auto s = check_question(text, lt, end, false, options, resume); !s) return s;
      } else if (starts_with_at(text, lt, "<!--")) {
        const std::size_t close = text.find("-->", lt + 4);
        if (close == npos || close + 3 > end) return error_at(ErrorCode::plist_xml_comment_unterminated, lt);
        if (auto s = check_comment(text.substr(lt + 4, close - lt - 4), lt, false, options); !s) return s;
        resume = close + 3;
      } else if (starts_with_at(text, lt, "<![CDATA[")) {
        // A1 #10: CF reads CDATA in strings and keys, the kernel's getTag says TAG_BAD.
        if (!options.allow_cdata) return error_at(ErrorCode::plist_xml_cdata_section, lt);
        const std::size_t close = text.find("]]>", lt + 9);
        if (close == npos || close + 3 > end) return Ok{};  // pugixml reports it
        resume = close + 3;
      } else if (starts_with_at(text, lt, "<!DOCTYPE")) {
        return error_at(ErrorCode::plist_xml_doctype_misplaced, lt);
      }
    }
    if (next_bang < resume) next_bang = find('!', resume);
    if (next_question < resume) next_question = find('?', resume);
  }
}

}  // namespace

Status check_comment(std::string_view content, std::size_t open, bool in_prolog, const XmlOptions& options) {
  // A1 #2: CF's prolog scan starts one byte late and misses the end of <!---->.
  if (content.empty()) {
    if (in_prolog) return error_at(ErrorCode::plist_xml_comment_empty, open);
    return Ok{};
  }
  // A1 #1 (B3): old CF closed <!---> at once and hid what followed; the kernel did not.
  if (content[0] == '-' && !options.allow_comment_dash_start)
    return error_at(ErrorCode::plist_xml_comment_dash_start, open);
  if (!options.allow_double_dash_comments) {
    // A1 #3: after "--" the kernel requires '>' (TAG_BAD otherwise); CF only looks for "-->".
    std::size_t dash = content.find("--");
    if (dash == npos && content.back() == '-') dash = content.size() - 1;  // "--->"
    if (dash != npos) return error_at(ErrorCode::plist_xml_comment_double_dash, open + 4 + dash);
  }
  return Ok{};
}

Status prescan(Bytes input, const XmlOptions& options, const Limits& limits, char* copy, PrescanResult& out) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  std::size_t start = 0;
  if (auto s = check_byte_order_mark(input, options, start); !s) return s;
  if (auto s = check_declared_encoding(text, start); !s) return s;
  std::size_t end = input.size();
  // A1 #22, #24: CF parses the first element and ignores whatever follows, even bytes
  // pugixml would call malformed; cutting there reproduces that.
  if (options.allow_trailing_content && options.allow_multiple_roots) end = find_root_end(text, start, end);
  std::memcpy(copy, input.data(), start);
  if (auto s = copy_and_check_bytes(input, copy, start, end, options.allow_carriage_return); !s) return s;
  PrologEnd prolog;
  if (auto s = scan_prolog(text, start, end, options, prolog); !s) return s;
  const bool body_needs_scan = !options.allow_double_dash_comments || !options.allow_comment_dash_start ||
                               !options.allow_processing_instructions || !options.allow_cdata;
  if (body_needs_scan)
    if (auto s = scan_body(text, prolog.body, end, options); !s) return s;
  if (auto s = check_structure_limits(text, prolog.body, end, options, limits, out.attributes); !s) return s;
  out.start = start;
  out.end = end;
  return Ok{};
}

}  // namespace entsig::plist::xml_detail

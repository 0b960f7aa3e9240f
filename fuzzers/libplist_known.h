// Known, documented differentials between our readers and libplist 2.2 (Debian's). Each
// entry cites its row in shared/reference/plist-behaviours.md (A1 = XML, A2 = binary) or,
// where only the 2.2 sources show it, the libplist function; docs/fuzzing.md lists them.
// A disagreement that none of these explains is a finding.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "entsig/plist.h"
#include "libplist_compare.h"

namespace entsig::fuzz {

struct KnownDifferential {
  const char* id;
  const char* source;
};

namespace known {

inline bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

inline std::string their_string(plist_t node) {
  uint64_t length = 0;
  const char* s = plist_get_string_ptr(node, &length);
  return s ? std::string(s, length) : std::string();
}

// A2 #23: libplist attaches every bplist dict entry, so duplicate keys stay twice: it has
// more entries than ours, and each of its keys is one of ours (compared as C strings).
inline bool dict_has_duplicate_keys(const plist::Value& ours, plist_t dict) {
  if (plist_dict_get_size(dict) <= ours.size()) return false;
  bool all_known = true;
  plist_dict_iter iter = nullptr;
  plist_dict_new_iter(dict, &iter);
  for (uint32_t i = 0, n = plist_dict_get_size(dict); i < n && all_known; ++i) {
    plist_t value = nullptr;
    plist_dict_next_item(dict, iter, nullptr, &value);
    plist_t key = value ? plist_dict_item_get_key(value) : nullptr;
    all_known = key && std::any_of(ours.as_dict().begin(), ours.as_dict().end(), [&](const plist::DictEntry& e) {
      return plist_key_val_compare(key, std::string(e.key).c_str()) == 0;
    });
  }
  std::free(iter);
  return all_known;
}

// libplist's XML integer rule (xplist.c node_from_xml): optional sign, then strtoull base 0,
// so "010" is octal 8 and "08" stops at the 8 (A1 #33, #34).
inline bool has_octal_integer_text(Bytes input, std::uint64_t theirs) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  for (std::size_t at = text.find("<integer"); at != std::string_view::npos; at = text.find("<integer", at + 1)) {
    const std::size_t open = text.find('>', at);
    const std::size_t close = text.find("</integer", at);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) continue;
    std::string body(text.substr(open + 1, close - open - 1));
    std::size_t i = body.find_first_not_of(" \t\r\n");
    if (i == std::string::npos) continue;
    bool negative = false;
    if (body[i] == '-' || body[i] == '+') negative = body[i++] == '-';
    const std::size_t digit = body.find_first_not_of(" \t\r\n", i);
    if (digit == std::string::npos || body[digit] != '0' || digit + 1 >= body.size() || body[digit + 1] < '0' ||
        body[digit + 1] > '9')
      continue;
    std::uint64_t v = std::strtoull(body.c_str() + i, nullptr, 0);
    if (negative) v = 0 - v;
    if (v == theirs) return true;
  }
  return false;
}

// '=' before the end of a <data> text: CF (and our CF preset) reads it as a zero digit;
// libplist 2.2's base64decode drops the bytes of any quantum holding it.
inline bool has_inner_base64_padding(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  for (std::size_t at = text.find("<data"); at != std::string_view::npos; at = text.find("<data", at + 1)) {
    const std::size_t open = text.find('>', at);
    const std::size_t close = text.find("</data", at);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) continue;
    const std::string_view body = text.substr(open + 1, close - open - 1);
    const std::size_t last = body.find_last_not_of("= \t\r\n");
    if (last != std::string_view::npos && body.substr(0, last).find('=') != std::string_view::npos) return true;
  }
  return false;
}

// A whole quantum whose second symbol is '=' ("M===", "===="): CF's parseDataTag takes '=' as a
// zero digit and always keeps a quantum's first byte (0x30 for "M==="); libplist 2.2's
// base64decode writes a byte only when both of its symbols are digits, so none. Symbols are
// the alphabet and '='; everything else is skipped by both.
inline bool has_one_digit_base64_quantum(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  auto is_symbol = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
  };
  for (std::size_t at = text.find("<data"); at != std::string_view::npos; at = text.find("<data", at + 1)) {
    const std::size_t open = text.find('>', at);
    const std::size_t close = text.find("</data", at);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) continue;
    std::size_t position = 0;  // of the symbol in its quantum
    for (char c : text.substr(open + 1, close - open - 1)) {
      if (!is_symbol(c)) continue;
      if (position == 1 && c == '=') return true;
      position = (position + 1) % 4;
    }
  }
  return false;
}

// libplist skips double-quoted text while looking for the end of a PI, DOCTYPE or tag
// (xplist.c find_str / find_next with skip_quotes); CF ends each at the first "?>" or ">"
// (A1 #8, #9). True when some markup's first end lies inside quotes: the two then read
// different documents.
inline bool has_quoted_markup_end(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  for (std::size_t at = text.find('<'); at != std::string_view::npos; at = text.find('<', at + 1)) {
    if (text.substr(at, 4) == "<!--") continue;
    const bool pi = text.substr(at, 2) == "<?";
    const std::size_t end = pi ? text.find("?>", at + 2) : text.find('>', at + 1);
    if (end == std::string_view::npos) continue;
    const auto quotes = std::count(text.begin() + static_cast<std::ptrdiff_t>(at),
                                   text.begin() + static_cast<std::ptrdiff_t>(end), '"');
    if (quotes % 2 == 1) return true;
  }
  return false;
}

// libplist reads <date> with strptime("%Y-%m-%dT%H:%M:%SZ") (xplist.c:393), whose %Y takes an
// unsigned year of at most four digits; CF's parseDateTag (and our CF preset) also reads a sign and
// more digits. True when some <date> text does not start with exactly four digits and a '-'.
inline bool has_unusual_date_year(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  for (std::size_t at = text.find("<date"); at != std::string_view::npos; at = text.find("<date", at + 1)) {
    const std::size_t open = text.find('>', at);
    if (open == std::string_view::npos) continue;
    const std::string_view body = text.substr(open + 1, 5);
    const bool four_digits = body.size() == 5 && body[4] == '-' &&
                             std::all_of(body.begin(), body.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (!four_digits) return true;
  }
  return false;
}

// libplist 2.2's node_from_xml (xplist.c:1329-1337) makes the first <array> or <dict> the parent
// even when it is written empty (`<array/>`), and nothing ends it, so the elements after it become
// its children. CF takes the first root and ignores the rest (plist-behaviours A1 #21, #22, L2246).
// True when the document's first element, after the prolog, comments and any <plist> tag, is an
// <array/> or <dict/> and some element follows it.
inline bool has_empty_container_root_with_siblings(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  std::size_t at = text.find('<');
  while (at != std::string_view::npos) {
    std::string_view end = "?>";
    if (text.substr(at, 4) == "<!--") end = "-->";
    else if (text.substr(at, 2) == "<!" || text.substr(at, 6) == "<plist") end = ">";
    else if (text.substr(at, 2) != "<?") break;
    const std::size_t close = text.find(end, at + 2);
    at = close == std::string_view::npos ? close : text.find('<', close + end.size());
  }
  if (at == std::string_view::npos) return false;
  const std::size_t gt = text.find('>', at);
  if (gt == std::string_view::npos) return false;
  const std::string_view tag = text.substr(at, gt + 1 - at);
  if (tag != "<array/>" && tag != "<dict/>") return false;
  return text.find('<', gt) != std::string_view::npos;
}

}  // namespace known

// The differential that explains `m`, or nullptr.
inline const KnownDifferential* classify(const Mismatch& m, plist::Format format, Bytes input) {
  static const KnownDifferential duplicate_keys{"binary dict keeps duplicate keys", "plist-behaviours A2 #23"};
  static const KnownDifferential key_nul{"key cut at NUL", "plist-behaviours A1 #63, A2 #32 (C-string keys)"};
  static const KnownDifferential string_nul{"string cut at NUL", "plist-behaviours A2 #32 (strlen); 2.2 xplist.c strncpy"};
  static const KnownDifferential cf_uid{"CF$UID dict kept as dict", "plist-behaviours A1 #64 (2.2 has no UID conversion)"};
  static const KnownDifferential octal{"XML integer with leading 0 read as octal", "plist-behaviours A1 #33, #34"};
  static const KnownDifferential raw_bytes{"raw non-UTF-8 string bytes kept", "plist-behaviours A1 #74, #76, A2 #31"};
  static const KnownDifferential inner_padding{"base64 '=' inside <data> text",
                                               "plist-behaviours A1 #53-55; libplist 2.2 base64.c base64decode"};

  static const KnownDifferential one_digit_quantum{"base64 quantum of one digit and '=' padding",
                                                   "plist-behaviours A1 #55; CF parseDataTag; libplist 2.2 base64.c base64decode"};
  static const KnownDifferential quoted_markup{"'>' or '?>' inside quotes ends markup for CF, not libplist",
                                               "plist-behaviours A1 #8, #9; libplist 2.2 xplist.c find_str"};

  static const KnownDifferential date_year{"XML date year with a sign or more than four digits",
                                           "plist-behaviours A1 #46; libplist 2.2 xplist.c strptime %Y"};
  static const KnownDifferential empty_root{"elements after an empty <array/> or <dict/> root become its children",
                                            "plist-behaviours A1 #21, #22; libplist 2.2 xplist.c node_from_xml"};

  const plist::Value& ours = *m.ours;
  // Markup that ends inside quotes makes the rest of the document differ: any mismatch.
  if (format == plist::Format::xml && known::has_quoted_markup_end(input)) return &quoted_markup;
  // Ours is the empty first root (as CF's); libplist's is the same container, filled by what follows.
  if (m.path.empty() && m.what == "size" && format == plist::Format::xml && ours.size() == 0 &&
      (ours.is(plist::Type::array) || ours.is(plist::Type::dict)) && known::has_empty_container_root_with_siblings(input))
    return &empty_root;
  if (m.what == "size" && ours.is(plist::Type::dict) && format == plist::Format::binary &&
      known::dict_has_duplicate_keys(ours, m.theirs))
    return &duplicate_keys;
  if (m.what == "key" && known::has_nul(m.our_key) && m.their_key == m.our_key.substr(0, m.our_key.find('\0')))
    return &key_nul;
  if (m.what == "value" && ours.is(plist::Type::string)) {
    const std::string_view s = ours.as_string();
    const std::string theirs = known::their_string(m.theirs);
    if (known::has_nul(s)) {
      const std::size_t nul = s.find('\0');
      // strlen (bplist ASCII) keeps the prefix; strncpy (XML) zero-fills the rest.
      if (theirs == s.substr(0, nul) || theirs == std::string(s.substr(0, nul)) + std::string(s.size() - nul, '\0'))
        return &string_nul;
    }
    if (find_invalid_utf8(as_bytes(theirs))) return &raw_bytes;
  }
  if (m.what == "type" && ours.is(plist::Type::uid) && plist_get_node_type(m.theirs) == PLIST_DICT &&
      plist_dict_get_size(m.theirs) == 1 && plist_dict_get_item(m.theirs, "CF$UID"))
    return &cf_uid;
  if (m.what == "value" && ours.is(plist::Type::data) && format == plist::Format::xml &&
      known::has_inner_base64_padding(input))
    return &inner_padding;
  if (m.what == "value" && ours.is(plist::Type::data) && format == plist::Format::xml &&
      known::has_one_digit_base64_quantum(input))
    return &one_digit_quantum;
  if (m.what == "value" && ours.is(plist::Type::date) && format == plist::Format::xml &&
      known::has_unusual_date_year(input))
    return &date_year;
  if (m.what == "value" && ours.is(plist::Type::integer) && format == plist::Format::xml) {
    uint64_t theirs = 0;
    plist_get_uint_val(m.theirs, &theirs);
    if (known::has_octal_integer_text(input, theirs)) return &octal;
  }
  return nullptr;
}

}  // namespace entsig::fuzz

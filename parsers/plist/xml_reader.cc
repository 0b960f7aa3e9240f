// XML property lists: raw-byte prescan (xml_prolog.cc), pugixml for tokenizing (this is
// the only file that includes it), then an iterative walk over pugixml's DOM that builds
// the value tree in the Document arena. Each rule cites its row of plist-behaviours A1.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <new>
#include <pugixml.hpp>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "entsig/plist.h"
#include "xml_prescan.h"
#include "xml_scalars.h"

namespace entsig::plist {

XmlOptions XmlOptions::cf_compat() {
  XmlOptions o;
  o.allow_duplicate_keys = true;        // A1 #58: CFDictionarySetValue, last wins
  o.allow_cdata = true;                 // A1 #10: parseCDSect_pl
  o.allow_comments_in_values = false;   // A1 #5, #6, #57: CF rejects them
  o.allow_double_dash_comments = true;  // A1 #3: skipXMLComment looks only for "-->"
  o.allow_trailing_content = true;      // A1 #24: ignored after the first element
  o.allow_multiple_roots = true;        // A1 #22: the first element wins
  o.allow_missing_plist_root = true;    // A1 #21: any root element
  o.allow_lenient_integers = true;      // A1 #29-37
  o.allow_lenient_reals = true;         // A1 #43-44
  o.allow_lenient_base64 = true;        // A1 #53, #55
  o.allow_empty_data = false;           // A1 #56: "empty <data>"
  o.allow_key_outside_dict = true;      // A1 #60
  o.allow_text_in_bool = true;          // A1 #65: <true></true>
  o.allow_internal_subset = false;      // A1 #18: skipDTD stops at '['
  o.allow_cf_uid = true;                // A1 #64
  o.allow_comment_dash_start = true;    // A1 #1: HEAD's getContentObject skips both dashes
  o.allow_processing_instructions = true;
  o.allow_attributes = true;            // A1 #70: attributes ignored
  o.allow_nested_plist = true;          // A1 #26
  o.allow_lenient_dates = true;         // A1 #51
  o.allow_bom = true;                   // A1 #72
  o.allow_carriage_return = true;       // A1 #77-78: kept raw
  o.allow_quot_apos = true;             // A1 #11
  o.allow_char_references = true;       // A1 #12
  o.allow_empty_key = true;             // A1 #62
  return o;
}

namespace {

using namespace xml_detail;

// ---------------------------------------------------------------------------------------
// pugixml's DOM, read through its public API only. Names and values are pointers into the
// buffer pugixml parsed in place (pugixml's documented in-place behaviour), which is how
// every node maps back to an input offset.

using Node = pugi::xml_node;
using Attr = pugi::xml_attribute;

// pugixml returns "" for a node without a value.
bool has_value(Node n) { return *n.value() != 0; }

// ---------------------------------------------------------------------------------------
// Element names

enum class Tag : std::uint8_t { plist, dict, array, key, string, integer, real, date, data, true_, false_, unknown };

// A name and its NUL as a little-endian word, and the mask covering those bytes.
constexpr std::uint64_t pack(std::string_view name) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < name.size(); ++i) v |= std::uint64_t(static_cast<unsigned char>(name[i])) << (8 * i);
  return v;
}
constexpr std::uint64_t mask_for(std::string_view name) {
  return name.size() + 1 >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * (name.size() + 1))) - 1;
}

struct TagName {
  std::uint64_t word;
  std::uint64_t mask;
};
template <std::size_t N>
constexpr TagName tag_name(const char (&name)[N]) {
  return {pack({name, N - 1}), mask_for({name, N - 1})};
}
constexpr TagName kKey = tag_name("key"), kString = tag_name("string"), kTrue = tag_name("true"),
                  kFalse = tag_name("false"), kInteger = tag_name("integer"), kReal = tag_name("real"),
                  kArray = tag_name("array"), kPlist = tag_name("plist"), kDict = tag_name("dict"),
                  kData = tag_name("data"), kDate = tag_name("date");

// Names are case-sensitive (A1 #67); prefixed names are unknown (A1 #69). The buffer is
// padded so that reading 8 bytes from any name stays inside it.
Tag classify(const char* n) {
  std::uint64_t w;
  std::memcpy(&w, n, 8);
  auto is = [w](const TagName& t) { return (w & t.mask) == t.word; };
  switch (n[0]) {
    case 'k': return is(kKey) ? Tag::key : Tag::unknown;
    case 's': return is(kString) ? Tag::string : Tag::unknown;
    case 't': return is(kTrue) ? Tag::true_ : Tag::unknown;
    case 'f': return is(kFalse) ? Tag::false_ : Tag::unknown;
    case 'i': return is(kInteger) ? Tag::integer : Tag::unknown;
    case 'r': return is(kReal) ? Tag::real : Tag::unknown;
    case 'a': return is(kArray) ? Tag::array : Tag::unknown;
    case 'p': return is(kPlist) ? Tag::plist : Tag::unknown;
    case 'd': return is(kDict) ? Tag::dict : is(kData) ? Tag::data : is(kDate) ? Tag::date : Tag::unknown;
    default: return Tag::unknown;
  }
}

constexpr std::size_t kTagNameLength[] = {5, 4, 5, 3, 6, 7, 4, 4, 4, 4, 5, 0};

// Length of the NUL-terminated text at `p` (inside the padded buffer), and whether it holds
// a '&'. One pass instead of strlen and memchr.
std::size_t text_length(const char* p, bool& has_amp) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i amp = _mm_set1_epi8('&');
  unsigned amps = 0;
  for (std::size_t i = 0;; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const unsigned ends = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)));
    const unsigned hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, amp)));
    if (ends) {
      const unsigned at = static_cast<unsigned>(__builtin_ctz(ends));
      has_amp = amps != 0 || (hits & ((1u << at) - 1)) != 0;
      return i + at;
    }
    amps |= hits;
  }
#else
  const std::size_t n = std::strlen(p);
  has_amp = std::memchr(p, '&', n) != nullptr;
  return n;
#endif
}

// ---------------------------------------------------------------------------------------
// Duplicate keys

// Dicts up to this size are checked for duplicate keys by a linear scan.
constexpr std::size_t kLinearKeyScan = 16;

std::uint64_t process_hash_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    s ^= reinterpret_cast<std::uintptr_t>(&s);
    return s * 0x9E3779B97F4A7C15ull;
  }();
  return seed;
}

// Seeded per process so that crafted keys cannot be aimed at one probe chain.
std::uint64_t hash_key(std::string_view key, std::uint64_t seed) {
  std::uint64_t h = seed ^ (key.size() * 0x9E3779B97F4A7C15ull);
  std::size_t i = 0;
  for (; key.size() - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  std::uint64_t w = 0;
  // An empty key's data() may be null, and memcpy from null is undefined even for 0 bytes.
  if (key.size() > i) std::memcpy(&w, key.data() + i, key.size() - i);
  h = (h ^ w) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

// Open-addressing set of the keys of one large dict (indices into its entries). Reused from
// dict to dict: a generation stamp empties it without touching the slots, and stored hashes
// let it grow without reading keys again.
class KeyIndex {
 public:
  void start(std::span<const DictEntry> entries, std::uint64_t seed) {
    seed_ = seed;
    count_ = 0;
    reserve(entries.size() + 1);
    if (++generation_ == 0) clear_all();
    for (std::size_t i = 0; i < entries.size(); ++i)
      place(hash_key(entries[i].key, seed_), static_cast<std::uint32_t>(i));
  }

  std::size_t bytes_held() const { return slots_.capacity() * sizeof(Slot); }

  // Index of the entry with this key, or npos after recording `index` for the key.
  std::size_t find_or_insert(std::string_view key, std::uint32_t index, std::span<const DictEntry> entries) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_key(key, seed_);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask;; at = (at + 1) & mask) {
      Slot& s = slots_[at];
      if (s.generation != generation_) {
        s = {generation_, index, h};
        ++count_;
        return std::string_view::npos;
      }
      if (s.hash == h && entries[s.index].key == key) return s.index;
    }
  }

 private:
  struct Slot {
    std::uint32_t generation = 0;  // in use when equal to generation_
    std::uint32_t index = 0;
    std::uint64_t hash = 0;
  };

  void reserve(std::size_t keys) {
    if (keys * 2 <= slots_.size()) return;
    std::size_t size = 64;
    while (size < keys * 2) size *= 2;
    slots_.assign(size, Slot{});
    generation_ = 0;
  }

  void clear_all() {  // after 2^32 generations
    for (auto& s : slots_) s.generation = 0;
    generation_ = 1;
  }

  void place(std::uint64_t h, std::uint32_t index) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = h & mask;
    while (slots_[at].generation == generation_) at = (at + 1) & mask;
    slots_[at] = {generation_, index, h};
    ++count_;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const std::uint32_t old_generation = generation_;
    reserve(count_ * 2 + 2);
    generation_ = 1;
    count_ = 0;
    for (const Slot& s : old)
      if (s.generation == old_generation) place(s.hash, s.index);
  }

  std::vector<Slot> slots_;
  std::uint32_t generation_ = 0;
  std::size_t count_ = 0;
  std::uint64_t seed_ = 0;
};

// ---------------------------------------------------------------------------------------
// The reader

// One open <plist>, <dict> or <array> of the walk.
struct Frame {
  Frame(Node first, Tag t, std::size_t b, std::uint64_t off) : next(first), tag(t), base(b), offset(off) {}

  Node next;             // next child to visit
  Tag tag;
  std::size_t base;      // first index of this container in values_ / entries_
  std::uint64_t offset;  // of its '<'
  bool has_key = false;    // dict: a key waits for its value
  bool has_value = false;  // plist: its one value was seen
  int key_index = -1;      // dict: its KeyIndex once it outgrew the linear scan
  std::size_t replace = std::string_view::npos;  // dict: entry a duplicate key overwrites
  std::string_view key;
  std::uint64_t key_offset = 0;
  Value value;  // plist: the value
};

// Zero bytes after the input copy: classify() reads 8 bytes from a name, text_length() 16
// bytes from a text, so neither can leave the buffer.
constexpr std::size_t kBufferPadding = 32;

// Working memory of one parse, kept by each thread for the next one so that repeated
// parses do not fault fresh pages in (the input copy alone is as large as the input). What
// exceeds kRetainedScratchBytes after a parse is released.
constexpr std::size_t kRetainedScratchBytes = 64u << 20;

struct Scratch {
  std::unique_ptr<char[]> buffer;  // pugixml parses this copy of the input in place
  std::size_t buffer_capacity = 0;
  std::vector<Frame> stack;
  std::vector<Value> values;       // children of the open arrays, innermost last
  std::vector<DictEntry> entries;  // entries of the open dicts, innermost last
  std::vector<KeyIndex> key_indexes;
  std::string text;
  std::string data;
  bool in_use = false;

  char* buffer_for(std::size_t size) {
    if (buffer_capacity < size + kBufferPadding) {
      buffer.reset();
      buffer.reset(new char[size + kBufferPadding]);
      buffer_capacity = size + kBufferPadding;
    }
    return buffer.get();
  }

  std::size_t bytes_held() const {
    std::size_t n = buffer_capacity + stack.capacity() * sizeof(Frame) + values.capacity() * sizeof(Value) +
                    entries.capacity() * sizeof(DictEntry) + text.capacity() + data.capacity();
    for (const auto& k : key_indexes) n += k.bytes_held();
    return n;
  }

  void release_if_large() {
    if (bytes_held() <= kRetainedScratchBytes) return;
    *this = Scratch{};
  }
};

// Methods return false after recording the error in failure_; the first error is final.
class Reader {
 public:
  Reader(Bytes input, const XmlOptions& options, Budget& budget, Scratch& scratch)
      : input_(input),
        options_(options),
        limits_(budget.limits()),
        budget_(budget),
        scratch_(scratch),
        stack_(scratch.stack),
        values_(scratch.values),
        entries_(scratch.entries),
        key_indexes_(scratch.key_indexes),
        text_scratch_(scratch.text),
        data_scratch_(scratch.data) {}

  Result<Document> run();

 private:
  // -- errors and offsets ---------------------------------------------------------------
  bool fail(ErrorCode code, std::uint64_t offset, std::string_view detail = {}) {
    failure_ = make_error(code, offset, detail);
    return false;
  }
  bool fail(Error e) {
    failure_ = std::move(e);
    return false;
  }
  // Decoded bytes of a key, string or data element, charged to the run budget (core.h).
  bool charge(std::size_t n, std::uint64_t offset) {
    Status s = budget_.charge_expanded(n, offset);
    return s.ok() || fail(s.take_error());
  }
  // Text and names point into buffer_, a copy of the input at the same offsets.
  std::uint64_t offset_of(const char* p) const {
    if (p >= buffer_ && p <= buffer_ + input_.size()) return static_cast<std::uint64_t>(p - buffer_);
    return 0;  // pugixml's shared empty string: never an error position
  }
  std::uint64_t element_offset(Node n) const { return offset_of(n.name()) - 1; }

  // -- document level -----------------------------------------------------------------
  bool check_top_level(Node node, bool after_root);
  bool check_declaration(Node node);
  bool check_plist_attributes(Node element);
  bool check_value_attributes(Node element) {
    return !may_have_attributes_ || !element.first_attribute() || check_attributes_slow(element);
  }
  bool check_attributes_slow(Node element);

  // -- the walk -----------------------------------------------------------------------
  bool walk(Node root, Value& out);
  bool open_container(Node element, Tag tag, std::uint64_t offset);
  bool visit_child(Frame& frame, Node child);
  bool visit_element(Frame& frame, Node element);
  bool close_container(Value& out);
  bool accept_key(Frame& frame, std::string_view key, std::uint64_t offset);
  void deliver(Frame& frame, Value v);

  // -- scalars ------------------------------------------------------------------------
  bool element_text(Node element, Tag tag, std::uint64_t offset, std::string_view& text, std::uint64_t& text_offset);
  bool append_text_part(std::string_view part, std::uint64_t part_offset, bool decode);
  bool scalar(Node element, Tag tag, std::uint64_t offset, Value& out);
  bool boolean(Node element, Tag tag, std::uint64_t offset, Value& out);
  bool is_self_closing(Node element, Tag tag, std::uint64_t offset) const;

  Bytes input_;
  const XmlOptions& options_;
  const Limits& limits_;
  Budget& budget_;
  Scratch& scratch_;
  const char* buffer_ = nullptr;  // scratch_.buffer: the copy pugixml parsed
  Error failure_;
  Document doc_;
  std::vector<Frame>& stack_;
  std::vector<Value>& values_;
  std::vector<DictEntry>& entries_;
  std::vector<KeyIndex>& key_indexes_;
  std::string& text_scratch_;
  std::string& data_scratch_;
  std::size_t key_indexes_used_ = 0;
  std::uint64_t hash_seed_ = process_hash_seed();
  std::uint64_t objects_ = 0;
  std::uint32_t depth_ = 0;
  bool may_have_attributes_ = true;  // from the prescan
};

Result<Document> Reader::run() {
  if (input_.size() > limits_.max_input_bytes)
    return limit_error(ErrorCode::core_input_too_large, limits_.max_input_bytes, "max_input_bytes",
                       limits_.max_input_bytes);
  if (input_.empty()) return make_error(ErrorCode::core_empty_input, 0);

  char* buffer = scratch_.buffer_for(input_.size());
  buffer_ = buffer;
  PrescanResult range;
  if (auto s = prescan(input_, options_, limits_, buffer, range); !s) return s.error();
  may_have_attributes_ = range.attributes;
  std::memset(buffer + range.end, 0, input_.size() + kBufferPadding - range.end);
  // pugixml replaces the last byte it is given with a NUL and treats it specially (only a
  // trailing '<' is reported), so a last byte of trailing text would vanish. It is given one
  // extra newline instead: whitespace at the end changes nothing else.
  buffer[range.end] = '\n';
  stack_.clear();
  values_.clear();
  entries_.clear();

  // No escapes or end-of-line conversion: text stays byte-for-byte where it was, so every
  // pointer maps back to an input offset, and entities are decoded by our own rules. CDATA,
  // comments, PIs and the DOCTYPE stay visible; parse_fragment keeps text outside the root;
  // parse_embed_pcdata stores an element's first text run in the element itself. Whitespace-
  // only text is kept when it is an element's only content (<string> </string>), or
  // everywhere when CDATA or comments may split a value's text.
  const bool split_text = options_.allow_cdata || options_.allow_comments_in_values;
  const unsigned flags = pugi::parse_cdata | pugi::parse_comments | pugi::parse_pi | pugi::parse_declaration |
                         pugi::parse_doctype | pugi::parse_fragment | pugi::parse_embed_pcdata |
                         (split_text ? pugi::parse_ws_pcdata : pugi::parse_ws_pcdata_single);
  pugi::xml_document dom;
  const pugi::xml_parse_result parsed =
      dom.load_buffer_inplace(buffer + range.start, range.end - range.start + 1, flags, pugi::encoding_utf8);
  if (!parsed) {
    if (parsed.status == pugi::status_out_of_memory) return make_error(ErrorCode::plist_xml_out_of_memory, 0);
    // Positions at or past the appended newline mean "at the end of the input".
    const std::uint64_t at = range.start + static_cast<std::uint64_t>(parsed.offset);
    return make_error(ErrorCode::plist_xml_syntax, std::min<std::uint64_t>(at, input_.size()), parsed.description());
  }

  Node node = dom.first_child();
  for (; node; node = node.next_sibling()) {
    if (node.type() == pugi::node_element) break;
    if (!check_top_level(node, false)) return std::move(failure_);
  }
  if (!node) return make_error(ErrorCode::plist_xml_missing_root, range.end);
  const Node root = node;

  Value value;
  if (!walk(root, value)) return std::move(failure_);

  for (node = root.next_sibling(); node; node = node.next_sibling())
    if (!check_top_level(node, true)) return std::move(failure_);

  doc_.set_root(value);
  return std::move(doc_);
}

// Anything beside the root element: comments, PIs, the declaration, DOCTYPE, stray text.
bool Reader::check_top_level(Node node, bool after_root) {
  switch (node.type()) {
    case pugi::node_element:
      // A1 #22: CF takes the first root, libplist and plistlib reject, the kernel stops.
      if (!options_.allow_multiple_roots) return fail(ErrorCode::plist_xml_multiple_roots, element_offset(node));
      return true;
    case pugi::node_pcdata:
    case pugi::node_cdata: {
      const char* v = node.value();
      if (node.type() == pugi::node_pcdata && is_all_space(v)) return true;
      const std::uint64_t at = offset_of(v) - (node.type() == pugi::node_cdata ? 9 : 0);
      if (!after_root) return fail(ErrorCode::plist_xml_text_before_root, at);
      // A1 #24: CF ignores text after the root, libplist and plistlib reject it.
      if (!options_.allow_trailing_content) return fail(ErrorCode::plist_xml_trailing_content, at);
      return true;
    }
    case pugi::node_comment: {
      const char* v = node.value();
      if (auto s = check_comment(v, offset_of(v) - 4, !after_root, options_); !s) return fail(s.error());
      return true;
    }
    case pugi::node_pi:
      if (after_root && !options_.allow_trailing_content)
        return fail(ErrorCode::plist_xml_trailing_content, offset_of(node.name()) - 2);
      if (!options_.allow_processing_instructions)
        return fail(ErrorCode::plist_xml_processing_instruction, offset_of(node.name()) - 2);
      return true;
    case pugi::node_declaration:
      if (after_root) return fail(ErrorCode::plist_xml_declaration_misplaced, offset_of(node.name()) - 2);
      return check_declaration(node);
    case pugi::node_doctype: {
      const std::string_view v = node.value();
      const std::uint64_t at = offset_of(node.value());
      if (after_root) return fail(ErrorCode::plist_xml_doctype_misplaced, at);
      // Backstop for the prescan (A1 #17-18).
      if (v.find("<!ENTITY") != std::string_view::npos) return fail(ErrorCode::plist_xml_entity_declaration, at);
      if (v.find('[') != std::string_view::npos && !options_.allow_internal_subset)
        return fail(ErrorCode::plist_xml_doctype_internal_subset, at);
      return true;
    }
    default:
      return fail(ErrorCode::plist_xml_syntax, 0, "unexpected node at document level");
  }
}

// Backstop for the prescan's encoding check (A1 #74): UTF-8 only.
bool Reader::check_declaration(Node node) {
  for (Attr a = node.first_attribute(); a; a = a.next_attribute()) {
    if (std::strcmp(a.name(), "encoding") != 0) continue;
    const std::string_view v = a.value();
    const bool utf8 = v.size() == 5 && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' && (v[2] | 0x20) == 'f' &&
                      v[3] == '-' && v[4] == '8';
    if (!utf8) return fail(ErrorCode::plist_xml_encoding_unsupported, offset_of(a.value()), v);
  }
  return true;
}

bool Reader::check_plist_attributes(Node element) {
  bool first = true;
  for (Attr a = element.first_attribute(); a; a = a.next_attribute(), first = false) {
    const char* value = a.value();
    // A1 #8-9: CF ends a tag at the first '>' even inside quotes; pugixml and the kernel do not.
    if (std::strchr(value, '>')) return fail(ErrorCode::plist_xml_attribute_value_gt, offset_of(value));
    if (options_.allow_attributes) continue;
    // A1 #71: the kernel reads only double-quoted values; nobody reads other attributes.
    const std::uint64_t value_at = offset_of(value);
    const bool double_quoted = value_at > 0 && input_[value_at - 1] == '"';
    const bool version = std::strcmp(a.name(), "version") == 0 && std::strcmp(value, "1.0") == 0;
    if (!version || !double_quoted || !first) return fail(ErrorCode::plist_xml_plist_attribute, offset_of(a.name()));
  }
  return true;
}

bool Reader::check_attributes_slow(Node element) {
  const Attr first = element.first_attribute();
  // A1 #8, #70: CF ignores attributes (and may end the tag early), the kernel reads ID/IDREF.
  if (!options_.allow_attributes) return fail(ErrorCode::plist_xml_attribute_on_value, offset_of(first.name()));
  for (Attr a = first; a; a = a.next_attribute())
    if (std::strchr(a.value(), '>')) return fail(ErrorCode::plist_xml_attribute_value_gt, offset_of(a.value()));
  return true;
}

// ---------------------------------------------------------------------------------------
// The walk: an explicit stack of open containers, so depth costs heap, not call stack.

bool Reader::walk(Node root, Value& out) {
  const std::uint64_t offset = element_offset(root);
  // stack_[0] holds the result; it takes exactly one value, like a <plist>.
  stack_.clear();
  stack_.emplace_back(Node(), Tag::plist, 0, offset);
  if (classify(root.name()) == Tag::plist) {
    if (!check_plist_attributes(root) || !open_container(root, Tag::plist, offset)) return false;
  } else {
    // A1 #21: CF, libplist and the kernel all take a bare value as the root.
    if (!options_.allow_missing_plist_root) return fail(ErrorCode::plist_xml_missing_plist_root, offset);
    if (!visit_element(stack_.back(), root)) return false;
  }
  while (stack_.size() > 1) {
    Frame& frame = stack_.back();
    if (!frame.next) {
      Value finished;
      if (!close_container(finished)) return false;
      deliver(stack_.back(), finished);
      continue;
    }
    const Node child = frame.next;
    frame.next = child.next_sibling();
    // visit_child may push a frame (invalidating `frame`); it does so as its last step.
    if (!visit_child(frame, child)) return false;
  }
  out = stack_[0].value;
  stack_.clear();
  return true;
}

bool Reader::open_container(Node element, Tag tag, std::uint64_t offset) {
  // Text directly inside a container (A1 #27): pugixml keeps the first run as its value.
  if (has_value(element) && !is_all_space(element.value()))
    return fail(ErrorCode::plist_xml_text_in_container, offset_of(element.value()));
  if (tag == Tag::dict || tag == Tag::array) {
    // A1 #79: CF's limit is 512 (128 on iOS), libplist's 512; the kernel has none.
    if (depth_ >= limits_.max_depth)
      return fail(limit_error(ErrorCode::plist_xml_depth_limit, offset, "max_depth", limits_.max_depth));
    ++depth_;
  }
  const std::size_t base = tag == Tag::dict ? entries_.size() : values_.size();
  stack_.emplace_back(element.first_child(), tag, base, offset);
  return true;
}

bool Reader::visit_child(Frame& frame, Node child) {
  switch (child.type()) {
    case pugi::node_element: return visit_element(frame, child);
    case pugi::node_pcdata: {
      const char* v = child.value();
      if (is_all_space(v)) return true;
      return fail(ErrorCode::plist_xml_text_in_container, offset_of(v));  // A1 #27
    }
    case pugi::node_cdata: {
      const std::uint64_t at = offset_of(child.value()) - 9;
      if (!options_.allow_cdata) return fail(ErrorCode::plist_xml_cdata_section, at);
      return fail(ErrorCode::plist_xml_text_in_container, at);
    }
    case pugi::node_comment: {
      const char* v = child.value();
      if (auto s = check_comment(v, offset_of(v) - 4, false, options_); !s) return fail(s.error());
      return true;
    }
    case pugi::node_pi:
      if (!options_.allow_processing_instructions)
        return fail(ErrorCode::plist_xml_processing_instruction, offset_of(child.name()) - 2);
      return true;
    default:
      return fail(ErrorCode::plist_xml_syntax, frame.offset, "unexpected node inside an element");
  }
}

bool Reader::visit_element(Frame& frame, Node element) {
  const char* name = element.name();
  const std::uint64_t offset = offset_of(name) - 1;
  const Tag tag = classify(name);
  if (tag == Tag::unknown) return fail(ErrorCode::plist_xml_unknown_tag, offset, name);
  if (frame.tag == Tag::dict) {
    // A1 #59, #61: a key must be followed by a value, a value preceded by a key.
    if (tag == Tag::key && frame.has_key) return fail(ErrorCode::plist_xml_dict_missing_value, frame.key_offset);
    if (tag != Tag::key && !frame.has_key) return fail(ErrorCode::plist_xml_dict_value_without_key, offset);
  } else if (frame.tag == Tag::plist && frame.has_value) {
    // A1 #23: CF and libplist reject, plistlib keeps the last value, go-plist the first.
    return fail(ErrorCode::plist_xml_plist_multiple_values, offset);
  }
  // Keys and values count; a nested <plist> is only a wrapper.
  if (tag != Tag::plist && ++objects_ > limits_.max_objects)
    return fail(limit_error(ErrorCode::plist_xml_object_limit, offset, "max_objects", limits_.max_objects));

  switch (tag) {
    case Tag::dict:
    case Tag::array:
      return check_value_attributes(element) && open_container(element, tag, offset);
    case Tag::plist:
      // A1 #26: CF accepts <plist> anywhere; the kernel ignores the tag.
      if (!options_.allow_nested_plist) return fail(ErrorCode::plist_xml_nested_plist, offset);
      return check_plist_attributes(element) && open_container(element, Tag::plist, offset);
    case Tag::key:
      if (frame.tag == Tag::dict) {
        std::string_view text;
        std::uint64_t text_offset = 0;
        return check_value_attributes(element) && element_text(element, Tag::key, offset, text, text_offset) &&
               accept_key(frame, text, offset);
      }
      // A1 #60: CF reads a stray key as a string; the kernel and plistlib reject it.
      if (!options_.allow_key_outside_dict) return fail(ErrorCode::plist_xml_key_outside_dict, offset);
      [[fallthrough]];
    default: {
      Value v;
      if (!scalar(element, tag, offset, v)) return false;
      deliver(frame, v);
      return true;
    }
  }
}

bool Reader::accept_key(Frame& frame, std::string_view text, std::uint64_t offset) {
  // A1 #62: the kernel's grammar has no empty key; CF and plistlib take "".
  if (text.empty() && !options_.allow_empty_key) return fail(ErrorCode::plist_xml_empty_key, offset);
  if (!charge(text.size(), offset)) return false;
  const std::span<const DictEntry> entries(entries_.data() + frame.base, entries_.size() - frame.base);
  std::size_t existing = std::string_view::npos;
  if (frame.key_index < 0 && entries.size() < kLinearKeyScan) {
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].key == text) {
        existing = i;
        break;
      }
  } else {
    if (entries.size() >= UINT32_MAX)  // the index holds 32-bit positions
      return fail(limit_error(ErrorCode::plist_xml_object_limit, offset, "max_objects", limits_.max_objects));
    if (frame.key_index < 0) {
      if (key_indexes_used_ == key_indexes_.size()) key_indexes_.emplace_back();
      frame.key_index = static_cast<int>(key_indexes_used_++);
      key_indexes_[static_cast<std::size_t>(frame.key_index)].start(entries, hash_seed_);
    }
    existing = key_indexes_[static_cast<std::size_t>(frame.key_index)].find_or_insert(
        text, static_cast<std::uint32_t>(entries.size()), entries);
  }
  if (existing != std::string_view::npos) {
    // A1 #58: CF, libplist, plistlib keep the last value; the kernel rejects the document.
    if (!options_.allow_duplicate_keys) return fail(ErrorCode::plist_xml_duplicate_key, offset, text);
    frame.replace = frame.base + existing;
    frame.key = entries[existing].key;
  } else {
    frame.replace = std::string_view::npos;
    frame.key = doc_.intern(text);
  }
  frame.has_key = true;
  frame.key_offset = offset;
  return true;
}

void Reader::deliver(Frame& frame, Value v) {
  switch (frame.tag) {
    case Tag::array:
      values_.push_back(v);
      break;
    case Tag::dict:
      if (frame.replace != std::string_view::npos)
        entries_[frame.replace].value = v;  // last duplicate wins, at the first key's place
      else
        entries_.push_back({frame.key, v});  // where the key index expects it
      frame.has_key = false;
      frame.replace = std::string_view::npos;
      break;
    default:
      frame.value = v;
      frame.has_value = true;
      break;
  }
}

bool Reader::close_container(Value& out) {
  Frame& frame = stack_.back();
  switch (frame.tag) {
    case Tag::dict: {
      if (frame.has_key) return fail(ErrorCode::plist_xml_dict_missing_value, frame.key_offset);  // A1 #61
      const std::span<const DictEntry> entries(entries_.data() + frame.base, entries_.size() - frame.base);
      // A1 #64: CF and libplist read {CF$UID: n} as a UID (CF's holds 32 bits), the kernel
      // and plistlib keep the dict.
      if (options_.allow_cf_uid && entries.size() == 1 && entries[0].key == "CF$UID" &&
          entries[0].value.is(Type::integer) && !entries[0].value.as_integer().negative &&
          entries[0].value.as_integer().bits <= UINT32_MAX) {
        out = Value::uid(entries[0].value.as_integer().bits);
      } else {
        out = doc_.dict(entries);
      }
      entries_.resize(frame.base);
      if (frame.key_index >= 0) --key_indexes_used_;
      --depth_;
      break;
    }
    case Tag::array:
      out = doc_.array(std::span<const Value>(values_.data() + frame.base, values_.size() - frame.base));
      values_.resize(frame.base);
      --depth_;
      break;
    default:
      // A1 #25: CF, libplist and the kernel reject an empty <plist>.
      if (!frame.has_value) return fail(ErrorCode::plist_xml_plist_empty, frame.offset);
      out = frame.value;
      break;
  }
  stack_.pop_back();
  return true;
}

// ---------------------------------------------------------------------------------------
// Scalars

// True for <true/>: the start tag ends with "/>". Called only for an element without
// attributes or content, so "<true>" must be followed at once by "</true". pugixml ends
// the name in its copy with a NUL where the '/', ' ' or '>' was: "<true/>" leaves
// "true\0>", "<true ></true>" leaves "true\0></true>", "<true></true>" leaves "true\0</true>".
// Other spellings (attributes, more spaces) are read from the input.
bool Reader::is_self_closing(Node element, Tag tag, std::uint64_t offset) const {
  const std::size_t length = kTagNameLength[static_cast<int>(tag)];
  const char* name = buffer_ + offset + 1;  // the element's name, where `offset` came from
  const char* after = name + length;  // in buffer_, padded past the end
  if ((!may_have_attributes_ || !element.first_attribute()) && after[0] == 0) {
    if (after[1] == '<') return false;
    if (after[1] == '>')
      return !(after[2] == '<' && after[3] == '/' && std::memcmp(after + 4, name, length) == 0);
  }
  char quote = 0;
  for (std::uint64_t pos = offset + 1 + length; pos < input_.size(); ++pos) {
    const char c = static_cast<char>(input_[pos]);
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return input_[pos - 1] == '/';
    }
  }
  return false;
}

bool Reader::append_text_part(std::string_view part, std::uint64_t part_offset, bool decode) {
  if (!decode) {
    text_scratch_.append(part);
    return true;
  }
  TextFailure failure;
  const EntityRules rules{options_.allow_quot_apos, options_.allow_char_references};
  if (!decode_entities(part, rules, text_scratch_, failure)) return fail(failure.code, part_offset + failure.at);
  return true;
}

// The character data of a value element. A single text run (the usual case) is returned in
// place; entity references, CDATA and comments (where allowed) go through text_scratch_.
bool Reader::element_text(Node element, Tag tag, std::uint64_t offset, std::string_view& text,
                          std::uint64_t& text_offset) {
  const bool is_text = tag == Tag::string || tag == Tag::key;
  const char* first = element.value();
  Node child = element.first_child();
  text_offset = *first ? offset_of(first) : offset;
  if (!child) {
    if (!*first) {
      text = {};
      return true;
    }
    bool has_amp = false;
    text = std::string_view(first, text_length(first, has_amp));
    if (is_text && has_amp) {
      text_scratch_.clear();
      if (!append_text_part(text, text_offset, true)) return false;
      text = text_scratch_;
    }
    return true;
  }
  text_scratch_.clear();
  if (*first && !append_text_part(first, offset_of(first), is_text)) return false;
  for (; child; child = child.next_sibling()) {
    switch (child.type()) {
      case pugi::node_pcdata:
        if (!append_text_part(child.value(), offset_of(child.value()), is_text)) return false;
        break;
      case pugi::node_cdata:
        // A1 #10: CF takes CDATA in <string> and <key> only; the kernel nowhere.
        if (!is_text || !options_.allow_cdata)
          return fail(ErrorCode::plist_xml_cdata_section, offset_of(child.value()) - 9);
        text_scratch_.append(child.value());
        break;
      case pugi::node_comment: {
        // A1 #5-6, #57: CF and the kernel reject comments inside values; libplist drops them.
        const char* v = child.value();
        if (!options_.allow_comments_in_values) return fail(ErrorCode::plist_xml_comment_in_value, offset_of(v) - 4);
        if (auto s = check_comment(v, offset_of(v) - 4, false, options_); !s) return fail(s.error());
        break;
      }
      case pugi::node_pi:
        if (!options_.allow_comments_in_values)
          return fail(ErrorCode::plist_xml_comment_in_value, offset_of(child.name()) - 2);
        break;
      case pugi::node_element:
        return fail(ErrorCode::plist_xml_element_in_value, element_offset(child));
      default:
        return fail(ErrorCode::plist_xml_syntax, offset, "unexpected node inside a value");
    }
  }
  text = text_scratch_;
  return true;
}

bool Reader::boolean(Node element, Tag tag, std::uint64_t offset, Value& out) {
  // A1 #65-66: only <true/> is read alike everywhere; CF also takes <true></true>, libplist
  // and plistlib ignore content ("<true>false</true>" is true), the kernel rejects it all.
  if (has_value(element)) return fail(ErrorCode::plist_xml_bool_content, offset_of(element.value()));
  if (const Node child = element.first_child()) {
    const std::uint64_t at = child.type() == pugi::node_element ? element_offset(child) : offset;
    return fail(ErrorCode::plist_xml_bool_content, at);
  }
  if (!options_.allow_text_in_bool && !is_self_closing(element, tag, offset))
    return fail(ErrorCode::plist_xml_bool_not_self_closing, offset);
  out = Value::boolean(tag == Tag::true_);
  return true;
}

bool Reader::scalar(Node element, Tag tag, std::uint64_t offset, Value& out) {
  if (tag == Tag::true_ || tag == Tag::false_) {
    // "<true/>" exactly as written has no attributes, text or children: the input says so
    // without asking pugixml (A1 #65, the one spelling every parser reads alike).
    const std::size_t slash = offset + 1 + kTagNameLength[static_cast<int>(tag)];
    if (slash + 1 < input_.size() && input_[slash] == '/' && input_[slash + 1] == '>') {
      out = Value::boolean(tag == Tag::true_);
      return true;
    }
  }
  if (!check_value_attributes(element)) return false;
  if (tag == Tag::true_ || tag == Tag::false_) return boolean(element, tag, offset, out);
  std::string_view text;
  std::uint64_t text_offset = 0;
  if (!element_text(element, tag, offset, text, text_offset)) return false;
  // Failures inside text pieced together from several nodes point at the element.
  const bool in_place = !element.first_child();
  auto failed = [&](const TextFailure& f) {
    return fail(f.code, in_place && !text.empty() ? text_offset + f.at : offset);
  };
  TextFailure failure;
  switch (tag) {
    case Tag::key:  // outside a dict, as CF reads it (A1 #60)
    case Tag::string:
      if (!charge(text.size(), offset)) return false;
      out = doc_.string(text);
      return true;
    case Tag::integer: {
      Integer v;
      if (!parse_integer(text, options_.allow_lenient_integers, v, failure)) return failed(failure);
      out = Value::integer(v);
      return true;
    }
    case Tag::real: {
      double v = 0;
      if (!parse_real(text, options_.allow_lenient_reals, v, failure)) return failed(failure);
      out = Value::real(v);
      return true;
    }
    case Tag::date: {
      double v = 0;
      if (!parse_date(text, options_.allow_lenient_dates, v, failure)) return failed(failure);
      out = Value::date(v);
      return true;
    }
    case Tag::data: {
      // A1 #56: CF refuses <data/>, the kernel and libplist read empty data.
      if (text.empty() && in_place && !options_.allow_empty_data && is_self_closing(element, tag, offset))
        return fail(ErrorCode::plist_xml_data_empty_tag, offset);
      data_scratch_.clear();
      if (!decode_base64(text, options_.allow_lenient_base64, data_scratch_, failure)) return failed(failure);
      if (!charge(data_scratch_.size(), offset)) return false;
      out = doc_.data(as_bytes(data_scratch_));
      return true;
    }
    default:
      return fail(ErrorCode::core_internal, offset, "unhandled element");
  }
}

}  // namespace

Result<Document> read_xml(Bytes input, const XmlOptions& options, const Limits& limits) {
  Budget budget(limits);
  return read_xml(input, options, budget);
}

Result<Document> read_xml(Bytes input, const XmlOptions& options, Budget& budget) {
  thread_local Scratch kept;
  Scratch fresh;  // used only if this thread is already inside read_xml
  Scratch& scratch = kept.in_use ? fresh : kept;
  scratch.in_use = true;
  struct Release {
    Scratch& s;
    ~Release() {
      s.in_use = false;
      s.release_if_large();
    }
  } release{scratch};
  try {
    Reader reader(input, options, budget, scratch);
    return reader.run();
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::plist_xml_out_of_memory, 0);
  }
}

}  // namespace entsig::plist

// Property-list value model, readers and writers.
//
// A parse returns a Document: it owns an arena (one monotonic buffer, so a parse does
// not malloc per node) and the root Value. Values are small handles whose strings and
// children live in that arena; they stay valid as long as the Document does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>

#include "entsig/core.h"

namespace entsig::plist {

enum class Type : std::uint8_t { dict, array, string, integer, real, boolean, date, data, uid };

std::string_view type_name(Type t);  // "dict", "array", ... as in tagged JSON

// A plist integer covers the full signed 64 and unsigned 64 ranges, as CoreFoundation does:
// values >= 0 are held as unsigned, values < 0 as signed.
struct Integer {
  bool negative = false;
  std::uint64_t bits = 0;  // the value itself when !negative; two's complement when negative

  static Integer from_signed(std::int64_t v) { return {v < 0, static_cast<std::uint64_t>(v)}; }
  static Integer from_unsigned(std::uint64_t v) { return {false, v}; }
  bool fits_int64() const { return negative || bits <= static_cast<std::uint64_t>(INT64_MAX); }
  std::int64_t as_int64() const { return static_cast<std::int64_t>(bits); }
  std::string to_string() const;
  friend bool operator==(const Integer&, const Integer&) = default;
};

struct DictEntry;

class Value {
 public:
  Value() : type_(Type::boolean) { payload_.boolean = false; }

  Type type() const { return type_; }
  bool is(Type t) const { return type_ == t; }

  // Accessors: valid only for the matching type (checked by assert in debug builds).
  bool as_bool() const;
  Integer as_integer() const;
  double as_real() const;
  double as_date() const;  // seconds since 2001-01-01T00:00:00Z (CF absolute time)
  std::uint64_t as_uid() const;
  std::string_view as_string() const;  // UTF-8
  Bytes as_data() const;
  std::span<const Value> as_array() const;
  std::span<const DictEntry> as_dict() const;  // in document order
  // Number of children of an array or dict; 0 for scalars.
  std::size_t size() const;
  // First entry with this key, or nullptr (dicts only).
  const Value* find(std::string_view key) const;

  // Scalars need no arena.
  static Value boolean(bool v);
  static Value integer(Integer v);
  static Value real(double v);
  static Value date(double seconds_since_2001);
  static Value uid(std::uint64_t v);

 private:
  friend class Document;
  Type type_;
  union Payload {
    bool boolean;
    Integer integer;
    double real;
    std::uint64_t uid;
    struct {
      const char* ptr;
      std::size_t len;
    } bytes;
    struct {
      const Value* ptr;
      std::size_t len;
    } array;
    struct {
      const DictEntry* ptr;
      std::size_t len;
    } dict;
    Payload() : uid(0) {}
  } payload_;
};

struct DictEntry {
  std::string_view key;
  Value value;
};

// Owns the arena for one value tree.
class Document {
 public:
  Document();
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;

  const Value& root() const { return root_; }
  void set_root(Value v) { root_ = v; }

  // Builders: copy their inputs into the arena.
  Value string(std::string_view utf8);
  Value data(Bytes bytes);
  Value array(std::span<const Value> items);
  Value dict(std::span<const DictEntry> entries);
  // Copies text into the arena (for dict keys built by hand).
  std::string_view intern(std::string_view text);

  std::pmr::memory_resource* arena() { return &arena_->resource; }

 private:
  // One allocation holds the arena and its first block, so a small parse allocates once.
  struct Arena {
    Arena() : resource(first_block, sizeof first_block) {}
    alignas(std::max_align_t) std::byte first_block[2048];
    std::pmr::monotonic_buffer_resource resource;
  };
  std::unique_ptr<Arena> arena_;
  Value root_;
};

// Deep copy of a value into another document.
Value copy_value(Document& into, const Value& v);

// Structural equality: same types, same scalars (reals compared by bit pattern, so NaN
// equals itself), same array order, same dict entries in the same order.
bool equal(const Value& a, const Value& b);
// Like equal, but dict entries compared as key sets (order ignored).
bool equivalent(const Value& a, const Value& b);

// ---------------------------------------------------------------------------
// Reading

enum class Format : std::uint8_t { xml, binary, unknown };
std::string_view format_name(Format f);
// A "bplist" prefix means binary (any version: the binary reader names a bad one); '<' after
// an optional UTF-8 BOM and whitespace means XML.
Format detect_format(Bytes input);

// XML reader flags. Strict (the default) rejects every construct on which Apple's own
// parsers (CoreFoundation, the kernel's OSUnserializeXML) disagree; see
// shared plist-behaviours table A1 and docs/plist-xml.md. Each flag relaxes one rule.
struct XmlOptions {
  bool allow_duplicate_keys = false;        // keep the last value (CF), instead of rejecting
  bool allow_cdata = false;                 // CDATA sections inside <string>/<key> (CF)
  bool allow_comments_in_values = false;    // comments/PIs inside value elements (libplist; CF, kernel reject)
  bool allow_double_dash_comments = false;  // "--" inside a comment (CF; kernel rejects)
  bool allow_trailing_content = false;      // text/PIs after the root element (CF ignores them)
  bool allow_multiple_roots = false;        // first root element wins (CF); with the flag above, CF's cut-off
  bool allow_missing_plist_root = false;    // a bare <dict> root without <plist>
  bool allow_lenient_integers = false;      // "+5", hex "0x1F", " 5", "- 5", leading zeros as decimal (CF)
  bool allow_lenient_reals = false;         // "nan", "inf", surrounding whitespace, '+', overflow to inf (CF)
  bool allow_lenient_base64 = false;        // skip invalid characters, drop an incomplete quantum (CF)
  bool allow_empty_data = false;            // <data/> (libplist, kernel; CF rejects)
  bool allow_key_outside_dict = false;      // <key> as a string in arrays / as root (CF)
  bool allow_text_in_bool = false;          // <true></true> (CF accepts empty content; text stays refused)
  bool allow_internal_subset = false;       // DOCTYPE internal subset without entities (libplist; CF rejects)
  bool allow_cf_uid = false;                // {CF$UID: n}, n in [0, 2^32), becomes a uid (CF, libplist); else a dict (kernel)
  bool allow_comment_dash_start = false;    // "<!--->" comments starting with '-' (CF now, kernel; old CF: psychicpaper)
  bool allow_processing_instructions = false;  // PIs between elements are skipped (CF)
  bool allow_attributes = false;            // attributes on value tags / extra <plist> attributes ignored (CF)
  bool allow_nested_plist = false;          // <plist> as a value stands for its one value (CF)
  bool allow_lenient_dates = false;         // "-0001-..." and 5-9 digit years (CF)
  bool allow_bom = false;                   // UTF-8 byte order mark (CF; kernel rejects)
  bool allow_carriage_return = false;       // \r anywhere, kept raw in text (CF; kernel rejects)
  bool allow_quot_apos = false;             // &quot; &apos; (CF; kernel knows only &amp; &lt; &gt;)
  bool allow_char_references = false;       // &#65; &#x41; (CF; kernel rejects)
  bool allow_empty_key = false;             // <key/> (CF; kernel rejects)

  static XmlOptions strict() { return {}; }
  // Accepts what CoreFoundation accepts (first root wins, last duplicate key wins, CDATA...).
  // Where CF's result cannot be reproduced it rejects instead (docs/plist-xml.md).
  static XmlOptions cf_compat();
};

// Binary (bplist00) reader flags. Strict (the default) rejects every construct on which
// CoreFoundation, libplist and other readers disagree; see shared plist-behaviours table A2
// and docs/plist-binary.md. Each flag relaxes one rule.
struct BinaryOptions {
  bool allow_duplicate_keys = false;   // keep the last value (at the first key's place), instead of rejecting
  bool allow_trailer_gap = false;      // bytes between offset table and trailer (libplist, plistlib; CF rejects)
  bool allow_non_string_keys = false;  // scalar keys (CF accepts them): such entries are dropped, as no string key can reach them
  bool allow_any_version_0 = false;    // "bplist0?" with any 8th byte, as CF compares only "bplist0"
  bool allow_sets_as_arrays = false;   // set objects (0xCn) read as arrays (libplist; CF makes a CFSet)
  bool allow_wide_int_truncation = false;  // 16-byte ints / 9-16-byte UIDs keep their low 64 bits (CF)
  static BinaryOptions strict() { return {}; }
  // Accepts what CoreFoundation accepts, where the value model can hold it.
  static BinaryOptions cf_compat();
};

struct ReadOptions {
  Limits limits;
  XmlOptions xml;
  BinaryOptions binary;
  static ReadOptions strict() { return {}; }
  static ReadOptions cf_compat();
};

// Every reader has two forms: one that charges a caller's run Budget (whose limits() are the
// limits of the read), and one that reads under `limits` with a Budget of its own. Readers
// charge expanded bytes (core.h, Budget) as they materialise strings, keys and data, at the
// input offset of the value: a binary plist's shared objects are charged at every reference.
Result<Document> read_xml(Bytes input, const XmlOptions& options, Budget& budget);
Result<Document> read_xml(Bytes input, const XmlOptions& options = {}, const Limits& limits = {});
Result<Document> read_binary(Bytes input, const BinaryOptions& options, Budget& budget);
Result<Document> read_binary(Bytes input, const BinaryOptions& options = {},
                             const Limits& limits = {});
// Checks limits.max_input_bytes (core.input_too_large, offset = the limit) and emptiness
// (core.empty_input), detects the format, then reads. Unknown format: core.unknown_format at
// the first byte after any BOM and whitespace. The Budget form reads under budget.limits()
// (options.limits is not used).
Result<Document> read_any(Bytes input, const ReadOptions& options, Budget& budget);
Result<Document> read_any(Bytes input, const ReadOptions& options = {});

// ---------------------------------------------------------------------------
// Writing

// Every writer charges the Budget's output bytes before it appends (the result never holds
// more than was charged, and the charge is exactly the result's size) and fails with
// core.budget.output_bytes, offset = the output bytes charged so far. The forms without a
// Budget use one with the default Limits.

// XML in Apple's layout: <?xml ...?>, the Apple DOCTYPE, tab indentation.
Result<std::string> write_xml(const Value& root, Budget& budget);
Result<std::string> write_xml(const Value& root);
// write_xml writes any value, but not every value has XML text that a reader gives back:
// strings and keys must not hold U+0000, and dates must be finite and within the years
// format_iso8601 writes. Returns the first such problem (plist.write.*). Each shared
// container is checked once.
Status check_xml_writable(const Value& root);
// bplist00, objects de-duplicated like CF's writer; a container or string that the reader
// shared (the same arena storage) is written once and found again by identity, without
// re-reading its bytes. Fails on values a strict read under budget.limits() would reject:
// nesting or expanded node count past those limits, a UID above 2^32-1, invalid UTF-8 in a
// string or key, or a duplicate key.
Result<std::string> write_binary(const Value& root, Budget& budget);
Result<std::string> write_binary(const Value& root);
// Tagged JSON (toml-test style), see docs/json-schema.md.
Result<std::string> write_tagged_json(const Value& root, Budget& budget, bool pretty = false);
Result<std::string> write_tagged_json(const Value& root, bool pretty = false);
// Reads tagged JSON back (strict RFC 8259 JSON, the schema of docs/json-schema.md);
// errors are plist.json.* with byte offsets into `text`.
Result<Document> read_tagged_json(std::string_view text, Budget& budget);
Result<Document> read_tagged_json(std::string_view text, const Limits& limits = {});

// ---------------------------------------------------------------------------
// Dates

// "2020-01-01T00:00:00Z" for CF absolute time (whole seconds; fractions are kept in
// tagged JSON as ".fff" when present). Fractions are floored (-0.5 is 2000-12-31T23:59:59Z).
// Years outside 1..9999 are not clamped: they are written as CF's lenient reader takes them
// (astronomical years: 0 = 1 BC is "0000-...", -1 is "-0001-...", 10000 is "10000-...");
// years beyond +-999,999,999 and NaN/infinity give "" (no date text stands for them).
std::string format_iso8601(double seconds_since_2001);
// Exactly YYYY-MM-DDTHH:MM:SSZ, years 0001-9999, every field range-checked (leap years
// included); nullopt otherwise.
std::optional<double> parse_iso8601_strict(std::string_view text);

}  // namespace entsig::plist

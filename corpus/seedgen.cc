// Seed material from our own writers, for corpus/generate:
//
//   entsig_seedgen OUT_DIR [FILE...]
//
// writes a set of built-in values, and every FILE that reads as a plist (XML, binary) or
// DER entitlements, as OUT_DIR/xml/<name>.plist, OUT_DIR/binary/<name>.bplist and
// OUT_DIR/der/<name>.der: whichever of the three can hold the value. The built-ins cover
// every type, the integer and real edges, nesting, sharing and Unicode.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "entsig/der.h"
#include "entsig/plist.h"

using namespace entsig;
using plist::DictEntry;
using plist::Document;
using plist::Value;
namespace fs = std::filesystem;

namespace {

Value str(Document& d, std::string_view s) { return d.string(s); }
Value dict(Document& d, std::vector<DictEntry> entries) { return d.dict(entries); }
Value array(Document& d, std::vector<Value> items) { return d.array(items); }
DictEntry entry(Document& d, std::string_view key, Value v) { return {d.intern(key), v}; }

Document entitlements() {
  Document d;
  const std::string team = "A1B2C3D4E5";
  d.set_root(dict(d, {
      entry(d, "application-identifier", str(d, team + ".com.example.app")),
      entry(d, "com.apple.developer.team-identifier", str(d, team)),
      entry(d, "com.apple.security.app-sandbox", Value::boolean(true)),
      entry(d, "com.apple.security.get-task-allow", Value::boolean(false)),
      entry(d, "com.apple.security.cs.allow-jit", Value::boolean(true)),
      entry(d, "com.apple.security.application-groups", array(d, {str(d, team + ".group.shared")})),
      entry(d, "keychain-access-groups", array(d, {str(d, team + ".*"), str(d, team + ".com.example.shared")})),
      entry(d, "com.apple.developer.icloud-container-environment", str(d, "Production")),
      entry(d, "com.apple.private.memorystatus", Value::integer(plist::Integer::from_signed(3))),
      entry(d, "com.apple.developer.associated-domains", array(d, {str(d, "applinks:example.com")})),
  }));
  return d;
}

Document scalars() {
  Document d;
  const std::uint8_t bytes[] = {0, 1, 2, 0xfe, 0xff};
  auto i = [](std::int64_t v) { return Value::integer(plist::Integer::from_signed(v)); };
  d.set_root(dict(d, {
      entry(d, "string", str(d, "text & <markup> \"quoted\"")),
      entry(d, "empty", str(d, "")),
      entry(d, "ints", array(d, {i(0), i(1), i(-1), i(127), i(128), i(255), i(256), i(-129), i(65536),
                                 i(INT32_MAX), i(INT32_MIN), i(INT64_MAX), i(INT64_MIN),
                                 Value::integer(plist::Integer::from_unsigned(UINT64_MAX))})),
      entry(d, "reals", array(d, {Value::real(0.5), Value::real(-0.0), Value::real(1e300), Value::real(5e-324),
                                  Value::real(3.25f), Value::real(std::numeric_limits<double>::infinity()),
                                  Value::real(std::nan(""))})),
      entry(d, "bools", array(d, {Value::boolean(true), Value::boolean(false)})),
      entry(d, "dates", array(d, {Value::date(0), Value::date(-978307200), Value::date(1e9), Value::date(0.5)})),
      entry(d, "data", array(d, {d.data({}), d.data(Bytes(bytes, sizeof bytes))})),
      entry(d, "uids", array(d, {Value::uid(0), Value::uid(255), Value::uid(65536), Value::uid(UINT32_MAX)})),
  }));
  return d;
}

Document nested() {
  Document d;
  Value v = str(d, "deep");
  for (int level = 0; level < 24; ++level)
    v = level % 2 ? array(d, {v, Value::boolean(level % 4 == 1)}) : dict(d, {entry(d, "k" + std::to_string(level), v)});
  d.set_root(dict(d, {entry(d, "nested", v), entry(d, "empty-dict", dict(d, {})),
                      entry(d, "empty-array", array(d, {}))}));
  return d;
}

Document shared() {
  Document d;
  // One value referenced many times: the binary writer stores it once.
  const Value leaf = array(d, {str(d, "shared"), Value::integer(plist::Integer::from_signed(42))});
  Value level = array(d, {leaf, leaf});
  for (int i = 0; i < 3; ++i) level = array(d, {level, level});
  d.set_root(dict(d, {entry(d, "dag", level), entry(d, "again", leaf)}));
  return d;
}

Document unicode() {
  Document d;
  d.set_root(dict(d, {
      entry(d, "z-last", str(d, "zebra")),
      entry(d, "a-first", str(d, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")),  // sorted by the DER writer
      entry(d, "\xc3\xa9-key", str(d, "\xe4\xb8\xad\xe6\x96\x87")),
      entry(d, "Capital", str(d, "ASCII only, long enough to need a two-byte length in bplist: "
                                 "0123456789012345678901234567890123456789")),
  }));
  return d;
}

Document scalar_root() {
  Document d;
  d.set_root(str(d, "a root that is not a container"));
  return d;
}

bool write(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// Every form the value can take; returns how many files were written.
int write_forms(const fs::path& out, const std::string& name, const Value& root) {
  int written = 0;
  if (plist::check_xml_writable(root))
    if (auto xml = plist::write_xml(root)) written += write(out / "xml" / (name + ".plist"), *xml);
  if (auto binary = plist::write_binary(root)) written += write(out / "binary" / (name + ".bplist"), *binary);
  if (auto der = der::write_der(root)) written += write(out / "der" / (name + ".der"), *der);
  return written;
}

std::optional<Document> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto doc = plist::read_any(as_bytes(bytes), plist::ReadOptions::cf_compat())) return std::move(doc.value());
  if (auto doc = der::read_der(as_bytes(bytes), der::DerOptions::lenient())) return std::move(doc.value());
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: entsig_seedgen OUT_DIR [FILE...]\n");
    return 2;
  }
  const fs::path out = argv[1];
  int files = 0;
  const std::pair<const char*, Document (*)()> builtins[] = {
      {"entitlements", entitlements}, {"scalars", scalars}, {"nested", nested},
      {"shared", shared},             {"unicode", unicode}, {"scalar-root", scalar_root},
  };
  for (const auto& [name, build] : builtins) files += write_forms(out, name, build().root());
  int unreadable = 0;
  for (int i = 2; i < argc; ++i) {
    auto doc = read_file(argv[i]);
    if (!doc) {
      ++unreadable;
      continue;
    }
    files += write_forms(out, fs::path(argv[i]).filename().string(), doc->root());
  }
  std::printf("entsig_seedgen: %d files written, %d inputs unreadable\n", files, unreadable);
  return 0;
}

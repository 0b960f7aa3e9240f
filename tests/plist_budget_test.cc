// The run Budget: readers charge expanded bytes at every reference to a shared object, writers
// charge output bytes before they append, exactly; sharing survives a binary round trip.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "bplist_builder.h"
#include "cli_support.h"
#include "entsig/der.h"
#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;
using bplist_test::ascii;
using bplist_test::Builder;

namespace {

// One ASCII string of `length` bytes (object 0, at offset 8) referenced `refs` times by the
// top array (object 1): the shape of a small file that stands for refs x length bytes.
std::string shared_string(std::size_t length, std::size_t refs) {
  Builder b;
  b.offset_size = 4;
  b.add(ascii(std::string(length, 'A')));
  b.add(bplist_test::counted(0xA0, refs) + std::string(refs, '\0'));
  b.top = 1;
  return b.build();
}

Limits expanded_limit(std::uint64_t bytes) {
  Limits l;
  l.max_expanded_bytes = bytes;
  return l;
}

Limits output_limit(std::uint64_t bytes) {
  Limits l;
  l.max_output_bytes = bytes;
  return l;
}

// {"alpha": "xyz", "list": ["a", "bc"], "n": 7}: 5 + 3 + 4 + 1 + 2 + 1 = 16 expanded bytes.
Value sample(Document& doc) {
  Value list[] = {doc.string("a"), doc.string("bc")};
  DictEntry entries[] = {{doc.intern("alpha"), doc.string("xyz")},
                         {doc.intern("list"), doc.array(list)},
                         {doc.intern("n"), Value::integer(Integer::from_signed(7))}};
  return doc.dict(entries);
}
constexpr std::uint64_t kSampleExpanded = 16;

}  // namespace

TEST_CASE("plist budget: charges reach the cap exactly and refuse whole", "[plist][budget][core]") {
  Limits l;
  l.max_expanded_bytes = 10;
  l.max_output_bytes = 4;
  Budget b(l);
  CHECK(b.charge_expanded(9, 0).ok());
  CHECK(b.charge_expanded(1, 5).ok());  // 10: at the limit
  auto over = b.charge_expanded(1, 77);
  REQUIRE_FALSE(over);
  CHECK(over.error().id() == "core.budget.expanded_bytes");
  CHECK(over.error().offset == 77);
  CHECK(b.expanded_bytes() == 10);
  CHECK(b.charge_output(3).ok());
  auto huge = b.charge_output(UINT64_MAX);  // would wrap: refused, nothing spent
  REQUIRE_FALSE(huge);
  CHECK(huge.error().id() == "core.budget.output_bytes");
  CHECK(huge.error().offset == 3);
  CHECK(b.output_bytes() == 3);
  CHECK(b.charge_output(1).ok());
  CHECK_FALSE(b.charge_output(1).ok());
  CHECK(b.output_bytes() == 4);
}

TEST_CASE("plist budget: a shared string is charged at every reference", "[plist][budget]") {
  const std::string bytes = shared_string(4096, 100);
  {
    Budget exact(expanded_limit(4096 * 100));
    auto doc = read_binary(as_bytes(bytes), {}, exact);
    REQUIRE(doc);
    CHECK(exact.expanded_bytes() == 4096 * 100);
    // Every element is the same arena string: the reader shares it.
    CHECK(doc->root().as_array()[0].as_string().data() == doc->root().as_array()[99].as_string().data());
  }
  Budget short_by_one(expanded_limit(4096 * 100 - 1));
  auto r = read_binary(as_bytes(bytes), {}, short_by_one);
  REQUIRE_FALSE(r);
  CHECK(r.error().id() == "core.budget.expanded_bytes");
  CHECK(r.error().kind() == ErrorKind::limit);
  CHECK(r.error().offset == 8);  // the string object
  CHECK(short_by_one.expanded_bytes() == 4096 * 99);
}

TEST_CASE("plist budget: the 98 KB fan-out is rejected by the default budget", "[plist][budget]") {
  // 64 KiB referenced 32,768 times stands for 2 GiB; the default budget is 32 MiB.
  const std::string bytes = shared_string(65536, 32768);
  CHECK(bytes.size() == 98362);
  const auto start = std::chrono::steady_clock::now();
  auto r = read_binary(as_bytes(bytes));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(r);
  CHECK(r.error().id() == "core.budget.expanded_bytes");
  CHECK(r.error().offset == 8);
  CHECK(seconds < 1.0);
}

TEST_CASE("plist budget: a shared container is charged its whole subtree per reference", "[plist][budget]") {
  // [[s, s], same] with s = "hello": 4 x 5 bytes; {k: "hello"} shared twice adds 2 x (1 + 5).
  Builder b;
  b.add(bplist_test::array({1, 1, 3, 3}));  // 0: top
  b.add(bplist_test::array({2, 2}));        // 1: [s, s]
  b.add(ascii("hello"));                    // 2
  b.add(bplist_test::dict({4}, {2}));       // 3: {k: s}
  b.add(ascii("k"));                        // 4
  const std::string bytes = b.build();
  Budget budget;
  auto doc = read_binary(as_bytes(bytes), {}, budget);
  REQUIRE(doc);
  CHECK(budget.expanded_bytes() == 4 * 5 + 2 * 6);
  Budget one_short(expanded_limit(4 * 5 + 2 * 6 - 1));
  auto r = read_binary(as_bytes(bytes), {}, one_short);
  REQUIRE_FALSE(r);
  CHECK(r.error().id() == "core.budget.expanded_bytes");
  // The second reference to {k: s} (object 3) is the one that no longer fits.
  CHECK(r.error().offset == b.offsets[3]);
}

TEST_CASE("plist budget: every reader counts the same expanded bytes", "[plist][budget]") {
  Document doc;
  const Value v = sample(doc);
  const std::string xml = write_xml(v).value();
  const std::string binary = write_binary(v).value();
  const std::string json = write_tagged_json(v).value();
  const std::string der_bytes = der::write_der(v).value();
  Budget x, b, j, d, a;
  REQUIRE(read_xml(as_bytes(xml), {}, x));
  REQUIRE(read_binary(as_bytes(binary), {}, b));
  REQUIRE(read_tagged_json(json, j));
  REQUIRE(der::read_der(as_bytes(der_bytes), {}, d));
  REQUIRE(read_any(as_bytes(xml), {}, a));
  CHECK(x.expanded_bytes() == kSampleExpanded);
  CHECK(b.expanded_bytes() == kSampleExpanded);
  CHECK(j.expanded_bytes() == kSampleExpanded);
  CHECK(d.expanded_bytes() == kSampleExpanded);
  CHECK(a.expanded_bytes() == kSampleExpanded);
  // One byte short: each reader stops at the last payload it reads, the key "n".
  Budget x1(expanded_limit(kSampleExpanded - 1)), j1(expanded_limit(kSampleExpanded - 1)),
      d1(expanded_limit(kSampleExpanded - 1));
  auto rx = read_xml(as_bytes(xml), {}, x1);
  auto rj = read_tagged_json(json, j1);
  auto rd = der::read_der(as_bytes(der_bytes), {}, d1);
  REQUIRE_FALSE(rx);
  REQUIRE_FALSE(rj);
  REQUIRE_FALSE(rd);
  CHECK(rx.error().id() == "core.budget.expanded_bytes");
  CHECK(rx.error().offset == xml.find("<key>n</key>"));
  CHECK(rj.error().id() == "core.budget.expanded_bytes");
  CHECK(rj.error().offset == json.find("\"n\""));
  CHECK(rd.error().id() == "core.budget.expanded_bytes");
  CHECK(rd.error().offset == der_bytes.find("\x0C\x01n"));
  CHECK(x1.expanded_bytes() == kSampleExpanded - 1);
}

TEST_CASE("plist budget: a wide DAG stays shared through the binary writer", "[plist][budget][writer]") {
  // 1 MiB referenced 100,000 times: 100 GB expanded, about 1.1 MB stored and written.
  const std::string bytes = shared_string(1 << 20, 100000);
  Budget budget(expanded_limit(UINT64_MAX));
  auto doc = read_binary(as_bytes(bytes), {}, budget);
  REQUIRE(doc);
  const auto start = std::chrono::steady_clock::now();
  auto written = write_binary(doc->root(), budget);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(written);
  // Root first: the array (object 0, refs of 1 byte to object 1), then the string once.
  CHECK(written->size() == bytes.size());
  CHECK(budget.output_bytes() == written->size());
  // The string is found by its storage at each reference, not hashed again (100 GB).
  CHECK(seconds < 1.0);
  Budget again(expanded_limit(UINT64_MAX));
  auto back = read_binary(as_bytes(*written), {}, again);
  REQUIRE(back);
  CHECK(again.expanded_bytes() == 100000ull << 20);
  const auto items = back->root().as_array();
  REQUIRE(items.size() == 100000);
  CHECK(items[0].as_string() == doc->root().as_array()[0].as_string());
  CHECK(items[0].as_string().data() == items[99999].as_string().data());
}

TEST_CASE("plist budget: writers charge exactly their output", "[plist][budget][writer]") {
  Document doc;
  const Value v = sample(doc);
  struct Case {
    const char* name;
    Result<std::string> (*write)(const Value&, Budget&);
    std::size_t last_append;  // size of the writer's final append
  };
  const Case cases[] = {
      {"xml", [](const Value& x, Budget& b) { return write_xml(x, b); }, 9},  // "</plist>\n"
      {"binary", [](const Value& x, Budget& b) { return write_binary(x, b); }, 8},  // table offset
      {"json", [](const Value& x, Budget& b) { return write_tagged_json(x, b); }, 1},  // '}'
      {"json pretty", [](const Value& x, Budget& b) { return write_tagged_json(x, b, true); }, 1},
      {"der", [](const Value& x, Budget& b) { return der::write_der(x, b); }, 2},  // 70 len
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Budget unlimited;
    auto full = c.write(v, unlimited);
    REQUIRE(full);
    const std::uint64_t size = full->size();
    CHECK(unlimited.output_bytes() == size);
    Budget exact(output_limit(size));
    auto at_limit = c.write(v, exact);
    REQUIRE(at_limit);
    CHECK(*at_limit == *full);
    CHECK(exact.output_bytes() == size);
    Budget short_by_one(output_limit(size - 1));
    auto over = c.write(v, short_by_one);
    REQUIRE_FALSE(over);
    CHECK(over.error().id() == "core.budget.output_bytes");
    CHECK(over.error().kind() == ErrorKind::limit);
    CHECK(over.error().offset == size - c.last_append);
  }
}

TEST_CASE("plist budget: writers stop at the output budget on a doubling DAG", "[plist][budget][writer]") {
  // 2^22 leaves from 23 stored values: the text writers would produce about 100 MB.
  Document doc;
  Value dag = doc.string("leaf");
  for (int i = 0; i < 22; ++i) {
    Value pair[] = {dag, dag};
    dag = doc.array(pair);
  }
  const auto start = std::chrono::steady_clock::now();
  for (int w = 0; w < 2; ++w) {
    Budget budget(output_limit(1 << 20));
    auto r = w == 0 ? write_xml(dag, budget) : write_tagged_json(dag, budget);
    REQUIRE_FALSE(r);
    CHECK(r.error().id() == "core.budget.output_bytes");
    CHECK(r.error().offset <= (1u << 20));
    CHECK(budget.output_bytes() <= (1u << 20));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 1.0);
  // The binary writer keeps it shared: 23 arrays and one string.
  auto binary = write_binary(dag);
  REQUIRE(binary);
  CHECK(binary->size() < 200);
}

TEST_CASE("plist budget: entsig convert takes one budget per run", "[plist][budget][cli]") {
  using entsig_cli_test::quote;
  entsig_cli_test::Scratch s;
  const std::string attack = s.file("fanout.bplist", shared_string(65536, 32768));
  auto json = s.run("convert --to json " + quote(attack));
  CHECK(json.status == 1);
  CHECK(json.out.empty());
  CHECK(json.err.rfind("error: core.budget.expanded_bytes at offset 8:", 0) == 0);
  // Raising the expanded budget moves the stop to the writer's output budget.
  auto output = s.run("convert --to json --max-expanded-bytes 4294967296 --max-output-bytes 1000 " + quote(attack));
  CHECK(output.status == 1);
  CHECK(output.err.rfind("error: core.budget.output_bytes at offset ", 0) == 0);
  // Binary output keeps the sharing: the same size as the input.
  auto binary = s.run("convert --to binary --max-expanded-bytes 4294967296 " + quote(attack));
  CHECK(binary.status == 0);
  CHECK(binary.out.size() == 98362);
  auto bad = s.run("convert --to json --max-output-bytes lots " + quote(attack));
  CHECK(bad.status == 2);
}

#include <catch2/catch.hpp>

#include <cmath>

#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;

TEST_CASE("plist value: builders and accessors", "[plist]") {
  Document doc;
  Value items[] = {doc.string("a"), Value::integer(Integer::from_signed(-5)), Value::boolean(true)};
  Value arr = doc.array(items);
  DictEntry entries[] = {{doc.intern("k"), arr}, {doc.intern("d"), doc.data(as_bytes("xy"))}};
  doc.set_root(doc.dict(entries));
  const Value& root = doc.root();
  REQUIRE(root.is(Type::dict));
  CHECK(root.size() == 2);
  const Value* k = root.find("k");
  REQUIRE(k);
  REQUIRE(k->size() == 3);
  CHECK(k->as_array()[0].as_string() == "a");
  CHECK(k->as_array()[1].as_integer().to_string() == "-5");
  CHECK(k->as_array()[2].as_bool());
  CHECK(root.find("d")->as_data().size() == 2);
  CHECK(root.find("missing") == nullptr);
}

TEST_CASE("plist value: integer range covers signed and unsigned 64", "[plist]") {
  CHECK(Integer::from_unsigned(UINT64_MAX).to_string() == "18446744073709551615");
  CHECK(Integer::from_signed(INT64_MIN).to_string() == "-9223372036854775808");
  CHECK_FALSE(Integer::from_unsigned(UINT64_MAX).fits_int64());
  CHECK(Integer::from_signed(-1).fits_int64());
  CHECK(Integer::from_signed(-1) != Integer::from_unsigned(UINT64_MAX));
}

TEST_CASE("plist value: equality, order and deep copy", "[plist]") {
  Document a;
  DictEntry ea[] = {{a.intern("x"), Value::real(NAN)}, {a.intern("y"), a.string("s")}};
  a.set_root(a.dict(ea));
  Document b;
  DictEntry eb[] = {{b.intern("y"), b.string("s")}, {b.intern("x"), Value::real(NAN)}};
  b.set_root(b.dict(eb));
  CHECK_FALSE(equal(a.root(), b.root()));
  CHECK(equivalent(a.root(), b.root()));
  Document c;
  c.set_root(copy_value(c, a.root()));
  CHECK(equal(a.root(), c.root()));
  CHECK(c.root().find("y")->as_string().data() != a.root().find("y")->as_string().data());
  CHECK_FALSE(equal(Value::real(0.0), Value::real(-0.0)));
  CHECK_FALSE(equal(Value::real(1.0), Value::date(1.0)));
}

TEST_CASE("plist value: deep copy and compare need no recursion", "[plist]") {
  Document doc;
  Value v = Value::boolean(true);
  for (int i = 0; i < 200000; ++i) v = doc.array(std::span<const Value>(&v, 1));
  doc.set_root(v);
  Document copy;
  copy.set_root(copy_value(copy, doc.root()));
  CHECK(equal(doc.root(), copy.root()));
}

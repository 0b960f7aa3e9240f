// `entsig convert` with DER entitlements: detected on input (0x70, a 0xfade7172 blob, the SET
// form with --der lenient), written with --to der; exact bytes and errors.
#include <catch2/catch.hpp>

#include "cli_support.h"
#include "entitlements_test_support.h"
#include "entsig/der.h"

using namespace entsig_cli_test;
using entsig_test::der_of;
using entsig_test::plist_xml;

namespace {

// apple-codesign's vector for {"key": true} (docs/der.md).
const std::string kKeyTrue("\x70\x0f\x02\x01\x01\xb0\x0a\x30\x08\x0c\x03key\x01\x01\xff", 17);
// As convert writes it (CoreFoundation's layout).
const std::string kKeyTrueXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n<dict>\n\t<key>key</key>\n\t<true/>\n</dict>\n</plist>\n";
const std::string kKeyTrueJson = "{\"type\":\"dict\",\"value\":{\"key\":{\"type\":\"bool\",\"value\":\"true\"}}}\n";

std::string blob_of(const std::string& der) {
  entsig_test::Bin b(entsig::Endian::big);
  b.u32(0xfade7172).u32(static_cast<std::uint32_t>(8 + der.size())).text(der);
  return std::string(b.data().begin(), b.data().end());
}

}  // namespace

TEST_CASE("cli der: convert writes DER with --to der", "[cli][der]") {
  Scratch s;
  s.file("e.plist", kKeyTrueXml);
  auto r = s.run("convert --to der e.plist");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == kKeyTrue);
  auto to_file = s.run("convert --to der e.plist -o out.der");
  CHECK(to_file.status == 0);
  CHECK(slurp(s.path("out.der")) == kKeyTrue);
  // Keys come out sorted, whatever the input order.
  s.file("two.plist", plist_xml("<key>b</key><integer>-1</integer><key>a</key><string>x</string>"));
  CHECK(s.run("convert --to der two.plist").out == der_of(plist_xml("<key>a</key><string>x</string><key>b</key><integer>-1</integer>")));
  // What DER cannot carry is refused, nothing written.
  s.file("data.plist", plist_xml("<key>k</key><data>aGk=</data>"));
  auto data = s.run("convert --to der data.plist -o never.der");
  CHECK(data.status == 1);
  CHECK(data.err == "error: der.not_representable at offset 0: value cannot be encoded as DER entitlements: data "
                    "value at [\"k\"]\n");
  CHECK_FALSE(fs::exists(s.path("never.der")));
  s.file("array.plist", "<plist version=\"1.0\"><array/></plist>");
  CHECK(s.run("convert --to der array.plist").status == 1);
}

TEST_CASE("cli der: convert reads raw DER and 0xfade7172 blobs", "[cli][der]") {
  Scratch s;
  s.file("e.der", kKeyTrue);
  s.file("e.blob", blob_of(kKeyTrue));
  CHECK(s.run("convert --to json e.der").out == kKeyTrueJson);
  CHECK(s.run("convert --to json e.blob").out == kKeyTrueJson);
  CHECK(s.run("convert --to xml e.der").out == kKeyTrueXml);
  CHECK(s.run("convert --to der e.blob").out == kKeyTrue);  // the blob's payload, unwrapped
  auto from_stdin = s.run("convert --to json -", s.path("e.der").string());
  CHECK(from_stdin.status == 0);
  CHECK(from_stdin.out == kKeyTrueJson);
  // XML -> DER -> XML round trip through files.
  s.file("rt.plist", kKeyTrueXml);
  CHECK(s.run("convert --to der rt.plist -o rt.der").status == 0);
  CHECK(s.run("convert --to xml rt.der").out == kKeyTrueXml);
}

TEST_CASE("cli der: strict and lenient DER reading", "[cli][der]") {
  Scratch s;
  // ldid's form: a bare SET, true as 01, keys in encoded order.
  const std::string set("\x31\x08\x30\x06\x0c\x01k\x01\x01\x01", 10);
  s.file("set.der", set);
  auto strict = s.run("convert --to json set.der");
  CHECK(strict.status == 1);  // 0x31 is not DER without --der lenient: not a known format
  CHECK(strict.err == "error: core.unknown_format at offset 0: input is not in any recognised format: expected "
                      "\"bplist\" or '<'\n");
  auto lenient = s.run("convert --to json --der lenient set.der");
  CHECK(lenient.status == 0);
  CHECK(lenient.out == "{\"type\":\"dict\",\"value\":{\"k\":{\"type\":\"bool\",\"value\":\"true\"}}}\n");
  // In a blob the SET form is recognised in strict mode too, and named.
  s.file("set.blob", blob_of(set));
  auto named = s.run("convert --to json set.blob");
  CHECK(named.status == 1);
  CHECK(named.err.rfind("error: der.noncanonical.set_form at offset 8: ", 0) == 0);
  CHECK(s.run("convert --to der --der lenient set.blob").out == der_of(plist_xml("<key>k</key><true/>")));
  // ldid's unsigned integers: 02 01 80 is -128 as DER, 128 as ldid meant it.
  const std::string ldid_int("\x31\x08\x30\x06\x0c\x01n\x02\x01\x80", 10);
  s.file("int.der", ldid_int);
  CHECK(s.run("convert --to json --der lenient int.der").out ==
        "{\"type\":\"dict\",\"value\":{\"n\":{\"type\":\"integer\",\"value\":\"-128\"}}}\n");
  CHECK(s.run("convert --to json --der ldid int.der").out ==
        "{\"type\":\"dict\",\"value\":{\"n\":{\"type\":\"integer\",\"value\":\"128\"}}}\n");
  // A broken DER file gives the DER reader's error; --json reports it as JSON.
  s.file("bad.der", std::string("\x70\x05\x02\x01\x02\xb0\x00", 7));
  auto bad = s.run("convert --to json bad.der");
  CHECK(bad.status == 1);
  CHECK(bad.err == "error: der.version.unsupported at offset 4: entitlements version is not 1: version 2\n");
  auto bad_json = s.run("convert --to xml --json bad.der");
  CHECK(bad_json.out ==
        "{\"error\":{\"code\":\"der.version.unsupported\",\"offset\":4,\"message\":\"entitlements version is not 1: version 2\"}}\n");
  s.file("short.blob", blob_of(kKeyTrue).substr(0, 20));
  CHECK(s.run("convert --to json short.blob").err ==
        "error: entitlements.der_blob.truncated at offset 20: DER entitlements blob (0xfade7172) is shorter than its "
        "8-byte header or than its length field: length field says 25 bytes, the input has 20\n");
  CHECK(s.run("convert --to json --der loose e.der").status == 2);
}

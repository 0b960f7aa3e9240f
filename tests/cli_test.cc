// Golden tests for the entsig command: runs the built binary on temporary files and checks
// exact standard output, standard error and exit status (docs/cli.md).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "cli_support.h"
#include "entsig/plist.h"

using namespace entsig;
using namespace entsig_cli_test;

namespace {

const std::string kXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n"
    "<dict>\n"
    "\t<key>com.apple.security.app-sandbox</key>\n"
    "\t<true/>\n"
    "\t<key>groups</key>\n"
    "\t<array>\n"
    "\t\t<string>a&amp;b</string>\n"
    "\t\t<integer>-7</integer>\n"
    "\t</array>\n"
    "\t<key>blob</key>\n"
    "\t<data>\n"
    "\taGk=\n"
    "\t</data>\n"
    "</dict>\n"
    "</plist>\n";

const std::string kJson =
    "{\"type\":\"dict\",\"value\":{"
    "\"com.apple.security.app-sandbox\":{\"type\":\"bool\",\"value\":\"true\"},"
    "\"groups\":{\"type\":\"array\",\"value\":[{\"type\":\"string\",\"value\":\"a&b\"},"
    "{\"type\":\"integer\",\"value\":\"-7\"}]},"
    "\"blob\":{\"type\":\"data\",\"value\":\"aGk=\"}}}\n";

std::string library_binary_of(const std::string& xml) {
  auto doc = plist::read_xml(as_bytes(xml));
  REQUIRE(doc.ok());
  auto binary = plist::write_binary(doc->root());
  REQUIRE(binary.ok());
  return *binary;
}

}  // namespace

TEST_CASE("cli: --version and --help", "[cli]") {
  Scratch s;
  auto r = s.run("--version");
  CHECK(r.status == 0);
  CHECK(r.out == std::string("entsig ") + ENTSIG_VERSION + "\n");
  CHECK(r.err.empty());
  auto h = s.run("convert --help");
  CHECK(h.status == 0);
  CHECK(h.out.find("--to") != std::string::npos);
  CHECK(h.out.find("--compat") != std::string::npos);
}

TEST_CASE("cli: convert XML to tagged JSON, XML and binary", "[cli]") {
  Scratch s;
  const std::string in = s.file("in.plist", kXml);
  auto json = s.run("convert --to json " + quote(in));
  CHECK(json.status == 0);
  CHECK(json.out == kJson);
  CHECK(json.err.empty());
  auto xml = s.run("convert --to xml " + quote(in));
  CHECK(xml.status == 0);
  CHECK(xml.out == kXml);
  auto binary = s.run("convert --to binary " + quote(in));
  CHECK(binary.status == 0);
  CHECK(binary.out == library_binary_of(kXml));
  auto pretty = s.run("convert --to json --pretty " + quote(in));
  CHECK(pretty.status == 0);
  CHECK(pretty.out ==
        "{\n"
        "  \"type\": \"dict\",\n"
        "  \"value\": {\n"
        "    \"com.apple.security.app-sandbox\": {\"type\": \"bool\", \"value\": \"true\"},\n"
        "    \"groups\": {\n"
        "      \"type\": \"array\",\n"
        "      \"value\": [\n"
        "        {\"type\": \"string\", \"value\": \"a&b\"},\n"
        "        {\"type\": \"integer\", \"value\": \"-7\"}\n"
        "      ]\n"
        "    },\n"
        "    \"blob\": {\"type\": \"data\", \"value\": \"aGk=\"}\n"
        "  }\n"
        "}\n");
}

TEST_CASE("cli: convert round trips through -o files and standard input", "[cli]") {
  Scratch s;
  const std::string in = s.file("in.plist", kXml);
  const std::string bin = s.path("out.bplist").string();
  auto to_binary = s.run("convert --to binary " + quote(in) + " -o " + quote(bin));
  CHECK(to_binary.status == 0);
  CHECK(to_binary.out.empty());
  CHECK(slurp(bin) == library_binary_of(kXml));
  auto back = s.run("convert --to xml " + quote(bin));
  CHECK(back.status == 0);
  CHECK(back.out == kXml);
  // "-" reads standard input; tagged JSON input is detected by its '{'.
  const std::string json = s.file("in.json", kJson);
  auto from_stdin = s.run("convert --to xml -", json);
  CHECK(from_stdin.status == 0);
  CHECK(from_stdin.out == kXml);
  // Pretty tagged JSON (whitespace before "type") is detected too.
  auto pretty = s.run("convert --to json --pretty " + quote(bin) + " -o " + quote(s.path("p.json").string()));
  CHECK(pretty.status == 0);
  auto from_pretty = s.run("convert --to xml " + quote(s.path("p.json").string()));
  CHECK(from_pretty.status == 0);
  CHECK(from_pretty.out == kXml);
  auto to_json = s.run("convert --to json --output " + quote(s.path("o.json").string()) + " " + quote(bin));
  CHECK(to_json.status == 0);
  CHECK(slurp(s.path("o.json")) == kJson);
}

TEST_CASE("cli: rejected input gives exit 1 and one exact error line", "[cli]") {
  Scratch s;
  auto unknown = s.run("convert --to json " + quote(s.file("x", "  hello")));
  CHECK(unknown.status == 1);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "error: core.unknown_format at offset 2: input is not in any recognised format: expected \"bplist\" or '<'\n");
  // OpenStep text also starts with '{' but is not tagged JSON: an unknown format.
  auto openstep = s.run("convert --to json " + quote(s.file("o.plist", "{\n  \"key\" = \"value\";\n}\n")));
  CHECK(openstep.status == 1);
  CHECK(openstep.err ==
        "error: core.unknown_format at offset 0: input is not in any recognised format: expected \"bplist\" or '<'\n");
  auto empty = s.run("convert --to xml " + quote(s.file("empty", "")));
  CHECK(empty.status == 1);
  CHECK(empty.err == "error: core.empty_input at offset 0: input is empty\n");
  auto bad_json = s.run("convert --to xml " + quote(s.file("bad.json", "{\"type\":\"integer\",\"value\":\"01\"}")));
  CHECK(bad_json.status == 1);
  CHECK(bad_json.err ==
        "error: plist.json.bad_value at offset 26: tagged scalar's \"value\" does not parse as its type: "
        "integer \"01\"\n");
  // An XML rejection prints exactly the library's error.
  const std::string broken = "<plist version=\"1.0\"><dict><key>a</key></dict></plist>";
  auto expected = plist::read_any(as_bytes(broken));
  REQUIRE_FALSE(expected.ok());
  auto xml = s.run("convert --to json " + quote(s.file("broken.plist", broken)));
  CHECK(xml.status == 1);
  CHECK(xml.out.empty());
  CHECK(xml.err == "error: " + expected.error().describe() + "\n");
  const std::string missing = s.path("missing.plist").string();
  auto absent = s.run("convert --to json " + quote(missing));
  CHECK(absent.status == 1);
  CHECK(absent.err == "error: core.io at offset 0: input could not be read: " + missing + ": No such file or directory\n");
}

TEST_CASE("cli: --json reports the error as one JSON object on standard output", "[cli]") {
  Scratch s;
  auto r = s.run("convert --to xml --json " + quote(s.file("x", "  hello")));
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "{\"error\":{\"code\":\"core.unknown_format\",\"offset\":2,"
        "\"message\":\"input is not in any recognised format: expected \\\"bplist\\\" or '<'\"}}\n");
}

TEST_CASE("cli: --compat cf reads what CoreFoundation reads", "[cli]") {
  Scratch s;
  const std::string dup = s.file(
      "dup.plist", "<plist version=\"1.0\"><dict><key>a</key><true/><key>a</key><false/></dict></plist>");
  auto strict = s.run("convert --to json " + quote(dup));
  CHECK(strict.status == 1);
  CHECK(strict.err.rfind("error: plist_xml.duplicate_key at offset ", 0) == 0);
  auto cf = s.run("convert --to json --compat cf " + quote(dup));
  CHECK(cf.status == 0);
  CHECK(cf.out == "{\"type\":\"dict\",\"value\":{\"a\":{\"type\":\"bool\",\"value\":\"false\"}}}\n");
}

TEST_CASE("cli: values XML cannot carry are refused before writing", "[cli]") {
  Scratch s;
  plist::Document doc;
  doc.set_root(doc.string(std::string("a\0b", 3)));
  const std::string json = s.file("nul.json", plist::write_tagged_json(doc.root()).value());
  const std::string out = s.path("out.xml").string();
  auto r = s.run("convert --to xml " + quote(json) + " -o " + quote(out));
  CHECK(r.status == 1);
  CHECK(r.err == "error: plist.write.nul_in_string at offset 0: a string or key holds U+0000, which XML cannot "
                 "carry: string at byte 1\n");
  CHECK_FALSE(fs::exists(out));
  auto as_binary = s.run("convert --to binary " + quote(json));
  CHECK(as_binary.status == 0);
  auto date = s.run("convert --to xml " + quote(s.file("nan.json", "{\"type\":\"date\",\"value\":\"nan\"}")));
  CHECK(date.status == 1);
  CHECK(date.err == "error: plist.write.date_not_representable at offset 0: a date is not finite or lies outside "
                    "the years ISO 8601 text is written for: nan s since 2001\n");
}

TEST_CASE("cli: usage errors exit 2", "[cli]") {
  Scratch s;
  const std::string in = s.file("in.plist", kXml);
  for (const std::string& args : {std::string(""), "convert " + quote(in), "convert --to yaml " + quote(in),
                                 std::string("convert --to xml"), "convert --to xml --bogus " + quote(in),
                                 "convert --to xml --compat libplist " + quote(in), std::string("frobnicate")}) {
    INFO("entsig " << args);
    auto r = s.run(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
  }
}

TEST_CASE("cli: an unwritable output path exits 1", "[cli]") {
  Scratch s;
  const std::string in = s.file("in.plist", kXml);
  const std::string out = s.path("no/such/dir/out.json").string();
  auto r = s.run("convert --to json " + quote(in) + " -o " + quote(out));
  CHECK(r.status == 1);
  CHECK(r.err == "error: cannot write " + out + ": No such file or directory\n");
}

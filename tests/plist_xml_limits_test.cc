// XML reader limits enforced before pugixml builds its DOM: depth and object limits at
// limit and limit+1 with exact ids and offsets, and proof that no DOM was built (a child
// process whose address space has no room for one still gets the limit error).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "entsig/plist.h"

using namespace entsig;
using namespace entsig::plist;

namespace {

const std::string kHead = "<plist version=\"1.0\">";  // 21 bytes

std::string wide_trues(std::size_t count) {
  std::string out = kHead + "<array>";
  out.reserve(out.size() + count * 7 + 16);
  for (std::size_t i = 0; i < count; ++i) out += "<true/>";
  return out + "</array></plist>";
}

// Offset of the n-th (1-based) "<true/>" in wide_trues().
std::uint64_t nth_true(std::size_t n) { return kHead.size() + 7 + (n - 1) * 7; }

// Virtual memory of this process now, from /proc/self/statm (pages).
std::uint64_t address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

// Runs read_xml in a child whose address space may grow by `headroom` bytes only, and
// returns the error id it got ("ok" when it read the document).
std::string read_in_small_address_space(const std::string& doc, const Limits& limits, std::uint64_t headroom) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    const rlim_t cap = address_space_bytes() + headroom;
    const rlimit rl{cap, cap};
    setrlimit(RLIMIT_AS, &rl);
    auto r = read_xml(as_bytes(doc), {}, limits);
    const std::string id = r.ok() ? "ok" : std::string(r.error().id()) + "@" + std::to_string(r.error().offset);
    (void)!write(fds[1], id.data(), id.size());
    _exit(0);
  }
  close(fds[1]);
  std::string got;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  return got;
}

}  // namespace

TEST_CASE("plist xml limits: objects at limit and limit+1 in a wide array", "[plist][xml][limits]") {
  const std::string doc = wide_trues(1000);
  Limits limits;
  limits.max_objects = 1001;  // the array and its 1000 values: exactly at the limit
  auto at = read_xml(as_bytes(doc), {}, limits);
  REQUIRE(at.ok());
  CHECK(at->root().size() == 1000);
  limits.max_objects = 1000;  // limit+1: the last <true/> is one too many
  auto over = read_xml(as_bytes(doc), {}, limits);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().id() == "plist_xml.object_limit");
  CHECK(over.error().kind() == ErrorKind::limit);
  CHECK(over.error().offset == nth_true(1000));
  CHECK(over.error().message.find("max_objects") != std::string::npos);
}

TEST_CASE("plist xml limits: markup that only looks like elements is not counted", "[plist][xml][limits]") {
  // Comments, CDATA and quoted attribute values hold "<dict>" text that is no element.
  const std::string doc = kHead +
                          "<array><!-- <dict><dict> --><string>a</string>"
                          "<string><![CDATA[<array><array>]]></string></array></plist>";
  XmlOptions options;
  options.allow_cdata = true;
  Limits limits;
  limits.max_objects = 3;
  limits.max_depth = 1;
  auto r = read_xml(as_bytes(doc), options, limits);
  REQUIRE(r.ok());
  CHECK(r->root().size() == 2);
  limits.max_objects = 2;
  auto over = read_xml(as_bytes(doc), options, limits);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().id() == "plist_xml.object_limit");
  CHECK(over.error().offset == doc.rfind("<string>"));

  XmlOptions attributes;
  attributes.allow_attributes = true;
  const std::string quoted = kHead + "<array><string a=\"&lt;\" b='>'>x</string><array/></array></plist>";
  limits = Limits{};
  limits.max_depth = 1;
  auto deep = read_xml(as_bytes(quoted), attributes, limits);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().id() == "plist_xml.depth_limit");
  CHECK(deep.error().offset == quoted.find("<array/>"));
}

TEST_CASE("plist xml limits: only the first root is counted", "[plist][xml][limits]") {
  // cf_compat reads the first root and ignores what follows, however deep.
  std::string doc = kHead + "<true/></plist>";
  for (int i = 0; i < 600; ++i) doc += "<array>";
  Limits limits;
  limits.max_objects = 1;
  auto r = read_xml(as_bytes(doc), XmlOptions::cf_compat(), limits);
  REQUIRE(r.ok());
  CHECK(r->root().as_bool());
}

TEST_CASE("plist xml limits: refused before pugixml allocates its DOM", "[plist][xml][limits]") {
  // Two million <true/> (14 MB): pugixml's DOM alone would take about 128 MB. The child
  // may grow by 64 MB, enough for the input copy and the prescan, not for the DOM.
  const std::size_t count = 2'000'000;
  const std::string doc = wide_trues(count);
  const std::uint64_t headroom = 64ull << 20;

  // Control: without the limit the DOM does not fit, so the read runs out of memory.
  CHECK(read_in_small_address_space(doc, Limits{}, headroom) == "plist_xml.out_of_memory@0");

  Limits limits;
  limits.max_objects = count;  // the array and count-1 values fit
  CHECK(read_in_small_address_space(doc, limits, headroom) ==
        "plist_xml.object_limit@" + std::to_string(nth_true(count)));

  // Depth: one million nested arrays, refused at level 513 before any node exists.
  std::string deep = kHead;
  for (int i = 0; i < 1'000'000; ++i) deep += "<array>";
  for (int i = 0; i < 1'000'000; ++i) deep += "</array>";
  deep += "</plist>";
  CHECK(read_in_small_address_space(deep, Limits{}, headroom) ==
        "plist_xml.depth_limit@" + std::to_string(kHead.size() + 512 * 7));
  Limits raised;
  raised.max_depth = 2'000'000;
  CHECK(read_in_small_address_space(deep, raised, headroom) == "plist_xml.out_of_memory@0");
}

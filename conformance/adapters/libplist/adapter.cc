// entsig conformance adapter for libplist (conformance/ADAPTERS.md).
//
//   entsig_adapter_libplist --capabilities   name and areas, as JSON
//   entsig_adapter_libplist <area>           one case on stdin: tagged JSON on stdout and exit 0
//                                            when libplist accepts it, exit 1 when it rejects it
//
// libplist 2.2 reports a rejection only as a null root from plist_from_xml / plist_from_bin.
// The area names the reader; the input is never sniffed (plist_from_memory would).
#include <plist/plist.h>

#ifndef ENTSIG_LIBPLIST_VERSION
#define ENTSIG_LIBPLIST_VERSION "unknown"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "entsig/plist.h"
#include "plist/tagged_json_text.h"

namespace {

using Json = nlohmann::ordered_json;
namespace detail = entsig::plist::detail;

// The value has no tagged-JSON form (a null node, a duplicate key, text that is not UTF-8).
struct Unrepresentable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Json tagged(const char* type, std::string value) { return Json{{"type", type}, {"value", std::move(value)}}; }

// The integer as libplist itself spells it: 2.2 keeps one uint64 and a hidden width (16 for
// values read as unsigned 128-bit), and only its XML writer tells signed from unsigned.
std::string integer_text(plist_t node) {
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(node, &xml, &length);
  const std::string text = xml ? std::string(xml, length) : std::string();
  plist_to_xml_free(xml);
  const std::size_t open = text.find("<integer>"), close = text.find("</integer>");
  if (open == std::string::npos || close == std::string::npos) throw std::logic_error("integer without XML form");
  return text.substr(open + 9, close - open - 9);
}

// libplist's exact date: plist_get_date_val truncates to int32 seconds and drops the sign of
// the fraction, but the binary writer stores the double it holds, which entsig reads back.
std::string date_text(plist_t node) {
  char* bin = nullptr;
  uint32_t length = 0;
  plist_to_bin(node, &bin, &length);
  auto doc = entsig::plist::read_binary(entsig::Bytes(reinterpret_cast<const std::uint8_t*>(bin), length));
  const bool ok = doc && doc->root().is(entsig::plist::Type::date);
  const std::string text = ok ? detail::tagged_date_text(doc->root().as_date()) : std::string();
  plist_to_bin_free(bin);
  if (!ok) throw std::logic_error("date without binary form");
  return text;
}

std::string base64(const char* data, uint64_t size) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  std::string out;
  for (uint64_t i = 0; i < size; i += 3) {
    const uint32_t n = (p[i] << 16) | (i + 1 < size ? p[i + 1] << 8 : 0) | (i + 2 < size ? p[i + 2] : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// `path` holds the containers above `node`: libplist 2.2's binary reader can build cycles.
Json to_tagged(plist_t node, std::set<plist_t>& path) {
  if (!node) throw Unrepresentable("null node");
  switch (plist_get_node_type(node)) {
    case PLIST_DICT:
    case PLIST_ARRAY: {
      if (!path.insert(node).second) throw Unrepresentable("cycle");
      const bool dict = plist_get_node_type(node) == PLIST_DICT;
      Json value = dict ? Json::object() : Json::array();
      if (dict) {
        plist_dict_iter it = nullptr;
        plist_dict_new_iter(node, &it);
        for (;;) {
          char* key = nullptr;
          plist_t item = nullptr;
          plist_dict_next_item(node, it, &key, &item);
          if (!key) break;
          const std::string k = key;
          free(key);
          // libplist keeps every entry of a repeated key; tagged JSON holds a key once.
          if (value.contains(k)) throw Unrepresentable("duplicate key");
          value[k] = to_tagged(item, path);
        }
        free(it);
      } else {
        const uint32_t n = plist_array_get_size(node);
        for (uint32_t i = 0; i < n; ++i) value.push_back(to_tagged(plist_array_get_item(node, i), path));
      }
      path.erase(node);
      return Json{{"type", dict ? "dict" : "array"}, {"value", std::move(value)}};
    }
    case PLIST_STRING: {
      uint64_t length = 0;
      const char* s = plist_get_string_ptr(node, &length);
      return tagged("string", s ? std::string(s, length) : std::string());
    }
    case PLIST_UINT: return tagged("integer", integer_text(node));
    case PLIST_REAL: {
      double v = 0;
      plist_get_real_val(node, &v);
      std::string text;
      detail::append_tagged_real(text, v);
      return tagged("real", text);
    }
    case PLIST_BOOLEAN: {
      uint8_t v = 0;
      plist_get_bool_val(node, &v);
      return tagged("bool", v ? "true" : "false");
    }
    case PLIST_DATE: return tagged("date", date_text(node));
    case PLIST_DATA: {
      uint64_t length = 0;
      const char* d = plist_get_data_ptr(node, &length);
      return tagged("data", base64(d, length));
    }
    case PLIST_UID: {
      uint64_t v = 0;
      plist_get_uid_val(node, &v);
      return tagged("uid", std::to_string(v));
    }
    default: throw Unrepresentable("node type " + std::to_string(plist_get_node_type(node)));
  }
}

// The accepted output: tagged JSON, or the unrepresentable object.
std::string output(plist_t root) {
  try {
    std::set<plist_t> path;
    return to_tagged(root, path).dump();
  } catch (const Unrepresentable& e) {
    return Json{{"unrepresentable", e.what()}}.dump();
  } catch (const Json::type_error& e) {
    if (e.id != 316) throw;  // 316: a string that is not UTF-8, which tagged JSON cannot hold
    return Json{{"unrepresentable", "text that is not UTF-8"}}.dump();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc == 2 ? argv[1] : "";
  if (arg == "--capabilities") {
    std::cout << R"({"name": "libplist", "version": "libplist )" ENTSIG_LIBPLIST_VERSION
              << R"(", "areas": ["plist-binary", "plist-xml"], "batch": false})" << "\n";
    return 0;
  }
  if (arg != "plist-xml" && arg != "plist-binary") {
    std::cerr << "usage: entsig_adapter_libplist --capabilities | plist-xml | plist-binary\n";
    return 2;
  }
  const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (input.size() > UINT32_MAX) {
    std::cerr << "input larger than libplist's 32-bit length\n";
    return 1;
  }
  plist_t root = nullptr;
  if (arg == "plist-xml")
    plist_from_xml(input.data(), static_cast<uint32_t>(input.size()), &root);
  else
    plist_from_bin(input.data(), static_cast<uint32_t>(input.size()), &root);
  if (!root) {
    std::cerr << "libplist: no property list\n";
    return 1;
  }
  std::cout << output(root) << "\n";
  plist_free(root);
  return 0;
}

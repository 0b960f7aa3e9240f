// Loading the conformance corpus: manifests with nlohmann::json, inputs as raw bytes, expected
// values through the tagged-JSON reader (so the corpus and adapters share one schema).
#include "runner/cases.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace entsig::tools::conform {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CorpusError("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Field access that names the case and field when the manifest has the wrong shape.
struct Fields {
  const Json& j;
  std::string where;

  std::string str(const char* key, bool required = true) const {
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) throw CorpusError(where + ": missing \"" + key + "\"");
      return {};
    }
    if (!it->is_string()) throw CorpusError(where + ": \"" + key + "\" is not a string");
    return it->get<std::string>();
  }
};

plist::Document value_from_json(const Json& j, const std::string& where) {
  // Inline values go back to text so that one reader (and one schema) handles every value.
  auto doc = read_tagged_value(j.dump(-1, ' ', false, Json::error_handler_t::strict));
  if (!doc) throw CorpusError(where + ": value is not tagged JSON: " + doc.error().describe());
  return std::move(doc.value());
}

Expectation expectation(const Json& j, const fs::path& area_dir, const std::string& where) {
  if (!j.is_object()) throw CorpusError(where + " is not an object");
  Fields f{j, where};
  Expectation e;
  const std::string result = f.str("result");
  if (result == "accept") {
    e.accept = true;
    if (j.contains("value_path")) {
      const fs::path path = area_dir / f.str("value_path");
      auto doc = read_tagged_value(read_file(path));
      if (!doc) throw CorpusError(path.string() + ": " + doc.error().describe());
      e.value = std::move(doc.value());
    } else if (j.contains("value")) {
      e.value = value_from_json(j["value"], where);
    } else {
      throw CorpusError(where + ": an accept expectation needs a value");
    }
  } else if (result == "reject") {
    e.error = f.str("error", false);
    e.error_class = f.str("class", false);
  } else {
    throw CorpusError(where + ": result must be accept or reject");
  }
  return e;
}

Behaviour behaviour(const std::string& peer, const Json& j, const std::string& where) {
  if (!j.is_object()) throw CorpusError(where + " is not an object");
  Fields f{j, where};
  Behaviour b;
  b.peer = peer;
  const std::string result = f.str("result");
  using R = Behaviour::Result;
  if (result == "accept") b.result = R::accept;
  else if (result == "reject") b.result = R::reject;
  else if (result == "crash") b.result = R::crash;
  else if (result == "hang") b.result = R::hang;
  else if (result == "unknown") b.result = R::unknown;
  else throw CorpusError(where + ": unknown result \"" + result + "\"");
  if (j.contains("value")) b.value = value_from_json(j["value"], where);
  b.unrepresentable = f.str("unrepresentable", false);
  b.note = f.str("note", false);
  return b;
}

CaseClass parse_class(const std::string& name, const std::string& where) {
  if (name == "valid") return CaseClass::valid;
  if (name == "invalid") return CaseClass::invalid;
  if (name == "differential") return CaseClass::differential;
  throw CorpusError(where + ": unknown class \"" + name + "\"");
}

Case load_case(const std::string& area, const Json& j, const fs::path& area_dir) {
  if (!j.is_object()) throw CorpusError(area + ": a case is not an object");
  Fields f{j, area + "/" + (j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "?")};
  Case c;
  c.area = area;
  c.id = f.str("id");
  c.cls = parse_class(f.str("class"), f.where);
  c.rule = f.str("rule");
  c.description = f.str("description", false);
  c.ref = f.str("ref", false);
  c.input = read_file(area_dir / f.str("path"));
  if (j.contains("expect")) c.expect = expectation(j["expect"], area_dir, f.where + " expect");
  if (j.contains("expect_cf")) c.expect_cf = expectation(j["expect_cf"], area_dir, f.where + " expect_cf");
  if (j.contains("behaviours")) {
    const Json& peers = j["behaviours"];
    if (!peers.is_object()) throw CorpusError(f.where + ": behaviours is not an object");
    for (const auto& [peer, b] : peers.items()) c.behaviours.push_back(behaviour(peer, b, f.where + " " + peer));
  }
  // Judged cases need an expectation; differential ones are only recorded.
  if (c.cls != CaseClass::differential && !c.expect) throw CorpusError(f.where + ": no expectation");
  if (c.cls == CaseClass::valid && !c.expect->accept) throw CorpusError(f.where + ": a valid case must be accepted");
  if (c.cls == CaseClass::invalid && c.expect->accept) throw CorpusError(f.where + ": an invalid case must be rejected");
  return c;
}

}  // namespace

std::string_view class_name(CaseClass c) {
  switch (c) {
    case CaseClass::valid: return "valid";
    case CaseClass::invalid: return "invalid";
    case CaseClass::differential: return "differential";
  }
  return "?";
}

std::string Case::full_id() const { return area + "/" + std::string(class_name(cls)) + "/" + id; }

std::vector<std::string> list_areas(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory() && fs::is_regular_file(entry.path() / "manifest.json"))
      out.push_back(entry.path().filename().string());
  if (ec) throw CorpusError("cannot list " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Corpus load_corpus(const std::string& dir, const std::vector<std::string>& areas) {
  Corpus corpus;
  corpus.dir = dir;
  const std::vector<std::string> present = list_areas(dir);
  corpus.areas = areas.empty() ? present : areas;
  for (const std::string& area : corpus.areas) {
    if (std::find(present.begin(), present.end(), area) == present.end())
      throw CorpusError("no area \"" + area + "\" in " + dir);
    const fs::path area_dir = fs::path(dir) / area;
    Json manifest;
    try {
      manifest = Json::parse(read_file(area_dir / "manifest.json"));
    } catch (const Json::exception& e) {
      throw CorpusError((area_dir / "manifest.json").string() + ": " + e.what());
    }
    if (!manifest.contains("cases") || !manifest["cases"].is_array())
      throw CorpusError(area + "/manifest.json: no \"cases\" array");
    for (const Json& j : manifest["cases"]) corpus.cases.push_back(load_case(area, j, area_dir));
  }
  return corpus;
}

Result<plist::Document> read_tagged_value(std::string_view text) {
  Limits limits;
  limits.max_depth = 1u << 20;  // adapters print what they read; depth is the case's business
  return plist::read_tagged_json(text, limits);
}

}  // namespace entsig::tools::conform

// The JSON report (schema: docs/json-schema.md, "Conformance report").
#include <nlohmann/json.hpp>

#include "runner/report.h"

namespace entsig::tools::conform {
namespace {

using Json = nlohmann::ordered_json;

Json tally_json(const Tally& t) {
  Json j;
  j["total"] = t.total;
  j["passed"] = t.passed;
  j["failed"] = t.failed;
  j["crashed"] = t.crashed;
  j["timed_out"] = t.timed_out;
  j["skipped"] = t.skipped;
  j["recorded"] = t.recorded;
  return j;
}

Json result_json(const CaseRun& r) {
  const Observation& o = r.observation;
  Json j;
  j["case"] = r.c->full_id();
  j["area"] = r.c->area;
  j["class"] = std::string(class_name(r.c->cls));
  j["rule"] = r.c->rule;
  j["outcome"] = std::string(outcome_name(r.verdict.outcome));
  j["observed"] = std::string(kind_name(o.kind));
  if (!r.verdict.reason.empty()) j["reason"] = r.verdict.reason;
  if (!o.error_id.empty()) j["error"] = o.error_id;
  if (!o.message.empty()) j["message"] = clip(o.message);
  // Outputs are kept where someone will read them: failures and recorded behaviours.
  const bool keep_output = r.verdict.outcome != Outcome::pass && r.verdict.outcome != Outcome::skipped;
  if (keep_output && !o.output.empty()) j["output"] = clip(o.output);
  if (keep_output && !o.stderr_text.empty()) j["stderr"] = clip(o.stderr_text);
  j["seconds"] = o.seconds;
  j["matches"] = r.verdict.matches;
  return j;
}

}  // namespace

std::string json_report(const ReportInput& in) {
  Json root;
  root["report"] = "entsig-conform";
  root["version"] = 1;
  root["cases_dir"] = in.corpus->dir;
  root["areas"] = in.corpus->areas;
  root["seconds"] = in.seconds;
  Tally overall;
  Json adapters = Json::array();
  for (const AdapterRun& run : *in.runs) {
    const AdapterSummary s = summarize(run);
    overall += s.all;
    Json a;
    a["name"] = run.adapter->name();
    a["kind"] = run.adapter->kind();
    a["description"] = run.adapter->description();
    a["profile"] = run.adapter->profile().empty() ? "hardened" : run.adapter->profile();
    a["summary"] = tally_json(s.all);
    Json areas = Json::object();
    for (const std::string& area : in.corpus->areas) {
      auto it = s.by_area_class.find(area);
      if (it == s.by_area_class.end()) continue;
      Json classes = Json::object();
      for (const char* cls : {"valid", "invalid", "differential"}) {
        auto found = it->second.find(cls);
        if (found != it->second.end()) classes[cls] = tally_json(found->second);
      }
      areas[area] = std::move(classes);
    }
    a["areas"] = std::move(areas);
    Json peers = Json::object();
    for (const std::string& peer : peer_order()) {
      auto it = s.peers.find(peer);
      if (it == s.peers.end()) continue;
      peers[peer] = {{"matched", it->second.matched}, {"known", it->second.known}};
    }
    a["behaves_like"] = std::move(peers);
    Json results = Json::array();
    for (const CaseRun& r : run.results) results.push_back(result_json(r));
    a["results"] = std::move(results);
    adapters.push_back(std::move(a));
  }
  root["summary"] = tally_json(overall);
  root["adapters"] = std::move(adapters);
  return root.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace entsig::tools::conform

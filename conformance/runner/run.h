// entsig conform: running every case through every adapter on a pool of worker threads, and
// the counts the reports are made of.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runner/adapters.h"
#include "runner/cases.h"
#include "runner/judge.h"

namespace entsig::tools::conform {

struct CaseRun {
  const Case* c = nullptr;
  Observation observation;
  Verdict verdict;
};

struct AdapterRun {
  const Adapter* adapter = nullptr;
  std::vector<CaseRun> results;  // in corpus order
};

struct RunOptions {
  unsigned jobs = 1;
  bool progress = false;  // a progress line on standard error
};

std::vector<AdapterRun> run_all(const Corpus& corpus, const std::vector<std::unique_ptr<Adapter>>& adapters,
                                const RunOptions& options);

struct Tally {
  std::size_t total = 0, passed = 0, failed = 0, crashed = 0, timed_out = 0, skipped = 0, recorded = 0;
  void add(Outcome o);
  Tally& operator+=(const Tally& o);
  bool bad() const { return failed + crashed + timed_out != 0; }  // what makes the exit status 1
};

// How often an adapter behaved like each documented parser: matched of known.
struct PeerMatch {
  std::size_t matched = 0, known = 0;
};

struct AdapterSummary {
  Tally all;
  std::map<std::string, std::map<std::string, Tally>> by_area_class;  // area -> class -> tally
  std::map<std::string, PeerMatch> peers;
};
AdapterSummary summarize(const AdapterRun& run);

// Documented parsers in the order reports list them.
const std::vector<std::string>& peer_order();

}  // namespace entsig::tools::conform

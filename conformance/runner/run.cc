// Runs (adapter, case) pairs on `jobs` threads. Each worker opens its own session per adapter,
// so a batch adapter gets one process per worker and area, and nothing is shared but the
// next-task counter.
#include "runner/run.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

namespace entsig::tools::conform {

void Tally::add(Outcome o) {
  ++total;
  switch (o) {
    case Outcome::pass: ++passed; break;
    case Outcome::fail: ++failed; break;
    case Outcome::crash: ++crashed; break;
    case Outcome::timeout: ++timed_out; break;
    case Outcome::skipped: ++skipped; break;
    case Outcome::recorded: ++recorded; break;
  }
}

Tally& Tally::operator+=(const Tally& o) {
  total += o.total;
  passed += o.passed;
  failed += o.failed;
  crashed += o.crashed;
  timed_out += o.timed_out;
  skipped += o.skipped;
  recorded += o.recorded;
  return *this;
}

const std::vector<std::string>& peer_order() {
  static const std::vector<std::string> order = {"cf", "kernel", "libplist", "plistlib", "go-plist",
                                                 "rcodesign", "coreentitlements"};
  return order;
}

AdapterSummary summarize(const AdapterRun& run) {
  AdapterSummary s;
  for (const CaseRun& r : run.results) {
    s.all.add(r.verdict.outcome);
    s.by_area_class[r.c->area][std::string(class_name(r.c->cls))].add(r.verdict.outcome);
    if (r.verdict.outcome == Outcome::skipped) continue;
    for (const Behaviour& b : r.c->behaviours) {
      if (b.result == Behaviour::Result::unknown) continue;
      PeerMatch& m = s.peers[b.peer];
      ++m.known;
      for (const std::string& peer : r.verdict.matches) m.matched += peer == b.peer;
    }
  }
  return s;
}

std::vector<AdapterRun> run_all(const Corpus& corpus, const std::vector<std::unique_ptr<Adapter>>& adapters,
                                const RunOptions& options) {
  std::vector<AdapterRun> runs(adapters.size());
  for (std::size_t a = 0; a < adapters.size(); ++a) {
    runs[a].adapter = adapters[a].get();
    runs[a].results.resize(corpus.cases.size());
  }
  const std::size_t total = adapters.size() * corpus.cases.size();
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;

  auto worker = [&] {
    std::vector<std::unique_ptr<AdapterSession>> sessions(adapters.size());
    for (std::size_t task; (task = next.fetch_add(1)) < total;) {
      const std::size_t a = task / corpus.cases.size();
      const Case& c = corpus.cases[task % corpus.cases.size()];
      CaseRun& out = runs[a].results[task % corpus.cases.size()];
      out.c = &c;
      if (adapters[a]->supports(c.area)) {
        if (!sessions[a]) sessions[a] = adapters[a]->open_session();
        out.observation = sessions[a]->run(c.area, c.full_id(), c.input);
      }
      out.verdict = judge(c, out.observation, adapters[a]->profile(), adapters[a]->reports_error_ids());
      const std::size_t finished = ++done;
      if (options.progress && (finished % 25 == 0 || finished == total)) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        std::fprintf(stderr, "\rconform: %zu/%zu cases (%s)%s", finished, total, adapters[a]->name().c_str(),
                     "          ");
        std::fflush(stderr);
      }
    }
  };
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(std::max<std::size_t>(total, 1))));
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < jobs; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (options.progress && total != 0) std::fputs("\r\033[K", stderr);
  return runs;
}

}  // namespace entsig::tools::conform

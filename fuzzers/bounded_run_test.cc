// fuzz_helpers.h BoundedRun: the amplification bound, the Budget it gives a run, refusals
// passed through, and a writer that returns more than it charged (or fails internally)
// ending the run with SIGABRT, as a fuzzer needs to see it. Each aborting case runs in a
// child process.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "fuzz_helpers.h"

using namespace entsig;

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bounded_run_test: FAILED: %s\n", what);
    ++failures;
  }
}

// A writer that charges `charged` bytes and returns `returned` bytes.
auto writer(std::uint64_t charged, std::size_t returned) {
  return [=](Budget& b) -> Result<std::string> {
    if (Status s = b.charge_output(charged); !s.ok()) return s.error();
    return std::string(returned, 'x');
  };
}

// True when `body` ends its process with SIGABRT.
template <class Body>
bool aborts(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stderr);  // the invariant message is expected
    body();
    _exit(0);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

}  // namespace

int main() {
  expect(fuzz::amplification_bound(0) == 262144, "bound of an empty input is the slack");
  expect(fuzz::amplification_bound(65536) == 64 * 65536 + 262144, "bound at max_len is 64x plus 256 KiB");

  fuzz::BoundedRun run(1000);
  expect(run.bound() == 326144, "bound of 1000 bytes");
  expect(run.budget().limits().max_output_bytes == 326144, "output budget is the bound");
  expect(run.budget().limits().max_expanded_bytes == 326144, "expanded budget is the bound");
  expect(run.budget().limits().max_depth == Limits{}.max_depth, "other limits kept");

  Limits small;
  small.max_output_bytes = 10;
  fuzz::BoundedRun tight(1000, small);
  expect(tight.budget().limits().max_output_bytes == 10, "a smaller output limit is kept");
  expect(tight.budget().limits().max_expanded_bytes == 326144, "expanded budget still the bound");

  auto honest = run.write(writer(5, 5));
  expect(honest && honest->size() == 5, "an honest writer's result is returned");
  auto shorter = run.write(writer(7, 3));
  expect(shorter && shorter->size() == 3, "a writer may return less than it charged");
  auto refused = run.write(writer(326144, 326144));
  expect(!refused && refused.error().code == ErrorCode::core_budget_output_bytes && fuzz::is_budget_refusal(refused.error()),
         "a write past the bound is a core.budget.output_bytes refusal");
  auto last = run.write(writer(326144 - 12, 326144 - 12));
  expect(last && run.budget().output_bytes() == 326144, "writes fill the bound exactly");

  expect(aborts([] { fuzz::BoundedRun r(100); (void)r.write(writer(3, 4)); }),
         "a writer returning more than it charged aborts");
  expect(aborts([] { fuzz::BoundedRun r(100); (void)r.write(writer(0, 1)); }),
         "a writer returning bytes it never charged aborts");
  expect(aborts([] {
           fuzz::BoundedRun r(100);
           (void)r.write([](Budget&) -> Result<std::string> { return make_error(ErrorCode::core_internal, 0); });
         }),
         "a writer's internal error aborts");
  expect(!aborts([] { fuzz::BoundedRun r(100); (void)r.write(writer(4, 4)); }), "an honest write does not abort");

  std::printf("bounded_run_test: %d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}

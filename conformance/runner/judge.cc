// Judging one observation. Values compare with plist::equivalent: dict order is free (JSON
// objects are unordered, and readers keep different orders), reals and dates compare by bit
// pattern (NaN equals NaN, -0 differs from 0).
#include "runner/judge.h"

namespace entsig::tools::conform {
namespace {

using Kind = Observation::Kind;

std::string with_message(std::string head, const std::string& message) {
  return message.empty() ? head : head + ": " + message;
}

// What happened, in words, for recorded cases and failure reasons.
std::string describe(const Observation& o) {
  switch (o.kind) {
    case Kind::accepted:
      if (!o.output_error.empty()) return "accepted, but the output is not tagged JSON (" + o.output_error + ")";
      return "accepted";
    case Kind::unrepresentable: return with_message("accepted, with no tagged value", o.message);
    case Kind::rejected: return with_message("rejected", o.error_id.empty() ? o.message : o.error_id);
    case Kind::crashed: return with_message("crashed", o.message);
    case Kind::timed_out: return "timed out";
    case Kind::skipped: return "skipped";
  }
  return "?";
}

Verdict expect_accept(const Expectation& e, const Observation& o) {
  switch (o.kind) {
    case Kind::accepted:
      if (!o.output_error.empty()) return {Outcome::fail, "output is not tagged JSON: " + o.output_error, {}};
      if (!o.value || !e.value || !plist::equivalent(o.value->root(), e.value->root()))
        return {Outcome::fail, "accepted with a different value", {}};
      return {Outcome::pass, {}, {}};
    case Kind::unrepresentable:
      return {Outcome::fail, with_message("accepted, but printed no tagged value", o.message), {}};
    case Kind::rejected: return {Outcome::fail, with_message("rejected a valid input", o.error_id.empty() ? o.message : o.error_id), {}};
    default: return {};
  }
}

Verdict expect_reject(const Expectation& e, const Observation& o, bool check_error_ids) {
  switch (o.kind) {
    case Kind::accepted:
    case Kind::unrepresentable:
      return {Outcome::fail, "accepted an input that must be rejected (" + e.error + ")", {}};
    case Kind::rejected:
      if (check_error_ids && !e.error.empty() && o.error_id != e.error)
        return {Outcome::fail, "rejected with " + o.error_id + ", expected " + e.error, {}};
      return {Outcome::pass, {}, {}};
    default: return {};
  }
}

}  // namespace

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::crash: return "crash";
    case Outcome::timeout: return "timeout";
    case Outcome::skipped: return "skipped";
    case Outcome::recorded: return "recorded";
  }
  return "?";
}

const Expectation* effective_expectation(const Case& c, std::string_view profile) {
  if (c.cls == CaseClass::differential) return nullptr;
  if (profile == "cf" && c.expect_cf) return &*c.expect_cf;
  return c.expect ? &*c.expect : nullptr;
}

bool behaves_like(const Observation& o, const Behaviour& b) {
  using R = Behaviour::Result;
  switch (b.result) {
    case R::reject: return o.kind == Kind::rejected;
    case R::crash: return o.kind == Kind::crashed;
    case R::hang: return o.kind == Kind::timed_out;
    case R::unknown: return false;
    case R::accept:
      if (!b.unrepresentable.empty()) return o.kind == Kind::unrepresentable;
      if (!b.value) return o.kind == Kind::accepted || o.kind == Kind::unrepresentable;
      return o.kind == Kind::accepted && o.value && plist::equivalent(o.value->root(), b.value->root());
  }
  return false;
}

Verdict judge(const Case& c, const Observation& o, std::string_view profile, bool check_error_ids) {
  Verdict v;
  if (o.kind == Kind::skipped) {
    v.outcome = Outcome::skipped;
    v.reason = "the adapter does not support " + c.area;
    return v;
  }
  for (const Behaviour& b : c.behaviours)
    if (behaves_like(o, b)) v.matches.push_back(b.peer);
  if (o.kind == Kind::crashed) {
    v.outcome = Outcome::crash;
    v.reason = describe(o);
    return v;
  }
  if (o.kind == Kind::timed_out) {
    v.outcome = Outcome::timeout;
    v.reason = describe(o);
    return v;
  }
  const Expectation* e = effective_expectation(c, profile);
  if (!e) {
    v.outcome = Outcome::recorded;
    v.reason = describe(o);
    return v;
  }
  Verdict judged = e->accept ? expect_accept(*e, o) : expect_reject(*e, o, check_error_ids);
  v.outcome = judged.outcome;
  v.reason = std::move(judged.reason);
  return v;
}

}  // namespace entsig::tools::conform

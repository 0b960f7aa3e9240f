// Requirement expression programs -> requirement language text.
//
// A program is prefix (Polish) notation: an opcode, then its operands, with and/or/not
// taking whole expressions as operands. The walk keeps an explicit stack of pending work
// (an expression to read at a syntax level, or literal text to emit), so nesting depth costs
// heap, not call stack. Opcodes, operands and text follow Security.framework: requirement.h
// (ExprOp, MatchOperation), reqinterp.cpp (what each opcode reads, the depth rule, generic
// skip/false) and reqdumper.cpp (the text).
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "requirements_expr.h"
#include "requirements_format.h"

namespace entsig::codesign::requirements_detail {
namespace {

// ExprOp (requirement.h). Values are fixed by the binary format.
enum ExprOp : std::uint32_t {
  op_false = 0,
  op_true = 1,
  op_ident = 2,
  op_apple_anchor = 3,
  op_anchor_hash = 4,
  op_info_key_value = 5,  // legacy form of op_info_key_field with an implied "="
  op_and = 6,
  op_or = 7,
  op_cd_hash = 8,
  op_not = 9,
  op_info_key_field = 10,
  op_cert_field = 11,
  op_trusted_cert = 12,
  op_trusted_certs = 13,
  op_cert_generic = 14,
  op_apple_generic_anchor = 15,
  op_entitlement_field = 16,
  op_cert_policy = 17,
  op_named_anchor = 18,
  op_named_code = 19,
  op_platform = 20,
  op_notarized = 21,
  op_cert_field_date = 22,
  op_legacy_dev_id = 23,
};

// High-byte flags: an unknown opcode carrying one of them has a length-prefixed operand and
// evaluates to false (generic false) or is skipped in favour of the next expression.
constexpr std::uint32_t op_flag_mask = 0xFF000000;
constexpr std::uint32_t op_generic_false = 0x80000000;
constexpr std::uint32_t op_generic_skip = 0x40000000;

// MatchOperation (requirement.h).
enum MatchOp : std::uint32_t {
  match_exists = 0,
  match_equal = 1,
  match_contains = 2,
  match_begins_with = 3,
  match_ends_with = 4,
  match_less_than = 5,
  match_greater_than = 6,
  match_less_equal = 7,
  match_greater_equal = 8,
  match_on = 9,
  match_before = 10,
  match_after = 11,
  match_on_or_before = 12,
  match_on_or_after = 13,
  match_absent = 14,
};

// Dumper::SyntaxLevel: and-terms are parenthesised below slAnd, or-terms below slOr.
enum Level : std::uint8_t { primary = 0, and_level = 1, or_level = 2, top = 3 };

// Certificate positions (Requirement::leafCert, anchorCert).
constexpr std::int32_t leaf_cert = 0;
constexpr std::int32_t anchor_cert = -1;

struct Work {
  bool is_expression;
  Level level = top;
  std::uint32_t depth = 0;    // nesting level of the expression; the top expression is 1
  const char* text = nullptr;  // literal to emit when !is_expression
};

class Renderer {
 public:
  Renderer(Cursor program, std::uint32_t max_depth) : in_(program), max_depth_(max_depth) {}

  Result<RenderedExpression> run() {
    work_.push_back({true, top, 1});
    while (!work_.empty()) {
      Work w = work_.back();
      work_.pop_back();
      if (!w.is_expression) {
        out_ += w.text;
        continue;
      }
      if (auto s = expression(w.level, w.depth); !s.ok()) return s.take_error();
    }
    return RenderedExpression{std::move(out_), in_.remaining()};
  }

 private:
  // -- operand readers (Requirement::Reader: every get checks the bytes are there) --------

  Result<std::uint32_t> u32(std::string_view what) {
    const std::uint64_t at = in_.offset();
    auto v = in_.u32be();
    if (!v) return make_error(ErrorCode::requirements_expr_truncated, at, what);
    return *v;
  }

  Result<std::int32_t> i32(std::string_view what) {
    auto v = u32(what);
    if (!v.ok()) return v.take_error();
    return static_cast<std::int32_t>(v.value());
  }

  // Reader::getData: a 32-bit length, the bytes, then padding to 4 bytes. Security checks
  // only the unpadded length; padding cut off by the end of the program is tolerated, and
  // any later read then fails, as in Security.
  Result<Bytes> data() {
    const std::uint64_t at = in_.offset();
    auto length = u32("data length");
    if (!length.ok()) return length.take_error();
    auto bytes = in_.bytes(length.value());
    if (!bytes)
      return make_error(ErrorCode::requirements_data_out_of_range, at,
                        "length " + std::to_string(length.value()) + ", " +
                            std::to_string(in_.remaining()) + " bytes left");
    const std::uint64_t padding = (4 - length.value() % 4) % 4;
    in_.skip(padding <= in_.remaining() ? padding : in_.remaining());
    return *bytes;
  }

  Status emit_data(bool dot_okay) {
    auto d = data();
    if (!d.ok()) return d.take_error();
    append_data(out_, d.value(), dot_okay);
    return Ok{};
  }

  Status emit_hash() {
    auto d = data();
    if (!d.ok()) return d.take_error();
    append_hash(out_, d.value());
    return Ok{};
  }

  Status emit_oid(const char* prefix) {
    auto d = data();
    if (!d.ok()) return d.take_error();
    out_ += prefix;
    append_oid(out_, d.value());
    return Ok{};
  }

  // Dumper::certSlot(): " leaf", " root" or " <n>".
  Status emit_cert_slot() {
    auto slot = i32("certificate index");
    if (!slot.ok()) return slot.take_error();
    if (slot.value() == leaf_cert) out_ += " leaf";
    else if (slot.value() == anchor_cert) out_ += " root";
    else out_ += " " + std::to_string(slot.value());
    return Ok{};
  }

  // Dumper::match() plus the timestamp operations Match(Interpreter&) reads.
  Status emit_match() {
    const std::uint64_t at = in_.offset();
    auto op = u32("match operation");
    if (!op.ok()) return op.take_error();
    switch (op.value()) {
      case match_exists: out_ += " /* exists */"; return Ok{};
      case match_absent: out_ += " absent "; return Ok{};
      case match_equal: out_ += " = "; return emit_data(false);
      case match_contains: out_ += " ~ "; return emit_data(false);
      case match_begins_with: {
        out_ += " = ";
        if (auto s = emit_data(false); !s.ok()) return s;
        out_ += "*";
        return Ok{};
      }
      case match_ends_with: out_ += " = *"; return emit_data(false);
      case match_less_than: out_ += " < "; return emit_data(false);
      case match_greater_than: out_ += " > "; return emit_data(false);
      case match_less_equal: out_ += " <= "; return emit_data(false);
      case match_greater_equal: out_ += " >= "; return emit_data(false);
      case match_on:
      case match_before:
      case match_after:
      case match_on_or_before:
      case match_on_or_after: {
        static const char* const ops[] = {" = ", " < ", " > ", " <= ", " >= "};
        out_ += ops[op.value() - match_on];
        const std::uint64_t time_at = in_.offset();
        auto seconds = in_.u64be();  // Reader::getAbsoluteTime: int64 seconds since 2001
        if (!seconds)
          return make_error(ErrorCode::requirements_expr_truncated, time_at, "timestamp");
        append_timestamp(out_, static_cast<std::int64_t>(*seconds));
        return Ok{};
      }
      default:
        return make_error(ErrorCode::requirements_match_unknown, at,
                          "match operation " + std::to_string(op.value()));
    }
  }

  void push_text(const char* text) { work_.push_back({false, top, 0, text}); }
  void push_expression(Level level, std::uint32_t depth) { work_.push_back({true, level, depth}); }

  // `a and b` / `a or b`, parenthesised when the surrounding level binds tighter.
  void binary(Level own, Level level, std::uint32_t depth, const char* joiner) {
    const bool parens = level < own;
    if (parens) out_ += "(";
    // Work is a stack: push in reverse of the order things are read and printed.
    if (parens) push_text(")");
    push_expression(own, depth + 1);
    push_text(joiner);
    push_expression(own, depth + 1);
  }

  Status expression(Level level, std::uint32_t depth) {
    const std::uint64_t at = in_.offset();
    // Interpreter::eval: `if (--depth <= 0)` with depth starting at stackLimit, i.e. a node
    // at nesting level >= stackLimit is rejected.
    if (depth >= max_depth_)
      return make_error(ErrorCode::requirements_depth_limit, at,
                        "limit is " + std::to_string(max_depth_) +
                            " (raise RequirementOptions::max_depth)");
    auto op_word = u32("opcode");
    if (!op_word.ok()) return op_word.take_error();
    const std::uint32_t op = op_word.value();
    switch (op & ~op_flag_mask) {  // flags are ignored on known opcodes, as in Security
      case op_false: out_ += "never"; return Ok{};
      case op_true: out_ += "always"; return Ok{};
      case op_ident: out_ += "identifier "; return emit_data(false);
      case op_apple_anchor: out_ += "anchor apple"; return Ok{};
      case op_apple_generic_anchor: out_ += "anchor apple generic"; return Ok{};
      case op_anchor_hash:
        out_ += "certificate";
        if (auto s = emit_cert_slot(); !s.ok()) return s;
        out_ += " = ";
        return emit_hash();
      case op_info_key_value:
        out_ += "info[";
        if (auto s = emit_data(true); !s.ok()) return s;
        out_ += "] = ";
        return emit_data(false);
      case op_and: binary(and_level, level, depth, " and "); return Ok{};
      case op_or: binary(or_level, level, depth, " or "); return Ok{};
      case op_not:
        out_ += "! ";
        push_expression(primary, depth + 1);
        return Ok{};
      case op_cd_hash: out_ += "cdhash "; return emit_hash();
      case op_info_key_field: return keyed("info[", "]");
      case op_entitlement_field: return keyed("entitlement[", "]");
      case op_cert_field: {
        out_ += "certificate";
        if (auto s = emit_cert_slot(); !s.ok()) return s;
        return keyed("[", "]");
      }
      case op_cert_generic: return cert_oid("[field.");
      case op_cert_policy: return cert_oid("[policy.");
      case op_cert_field_date: return cert_oid("[timestamp.");
      case op_trusted_cert:
        // Dumper prints no space before "trusted": "certificate leaftrusted".
        out_ += "certificate";
        if (auto s = emit_cert_slot(); !s.ok()) return s;
        out_ += "trusted";
        return Ok{};
      case op_trusted_certs: out_ += "anchor trusted"; return Ok{};
      case op_named_anchor: out_ += "anchor apple "; return emit_data(false);
      case op_named_code: {
        out_ += "(";
        if (auto s = emit_data(false); !s.ok()) return s;
        out_ += ")";
        return Ok{};
      }
      case op_platform: {
        auto platform = i32("platform");
        if (!platform.ok()) return platform.take_error();
        out_ += "platform = " + std::to_string(platform.value());
        return Ok{};
      }
      case op_notarized: out_ += "notarized"; return Ok{};
      case op_legacy_dev_id: out_ += "legacy"; return Ok{};
      default: return generic(op, at, level, depth);
    }
  }

  // info[key] / entitlement[key] / [field] followed by a match suffix.
  Status keyed(const char* open, const char* close) {
    out_ += open;
    if (auto s = emit_data(true); !s.ok()) return s;
    out_ += close;
    return emit_match();
  }

  Status cert_oid(const char* open) {
    out_ += "certificate";
    if (auto s = emit_cert_slot(); !s.ok()) return s;
    if (auto s = emit_oid(open); !s.ok()) return s;
    out_ += "]";
    return emit_match();
  }

  // Unknown opcodes: with a flag, skip the length-prefixed operand (Reader::skip, unpadded)
  // and print false, or go on to the next expression in its place (Interpreter::eval).
  Status generic(std::uint32_t op, std::uint64_t at, Level level, std::uint32_t depth) {
    const std::uint32_t number = op & ~op_flag_mask;
    if (!(op & (op_generic_false | op_generic_skip)))
      return make_error(ErrorCode::requirements_opcode_unknown, at, "opcode " + std::to_string(op));
    const std::uint64_t length_at = in_.offset();
    auto length = u32("operand length");
    if (!length.ok()) return length.take_error();
    if (!in_.skip(length.value()))
      return make_error(ErrorCode::requirements_data_out_of_range, length_at,
                        "length " + std::to_string(length.value()) + ", " +
                            std::to_string(in_.remaining()) + " bytes left");
    if (op & op_generic_false) {
      out_ += "false /* opcode " + std::to_string(number) + " */";
    } else {
      out_ += "/* opcode " + std::to_string(number) + " */ ";
      push_expression(level, depth + 1);
    }
    return Ok{};
  }

  Cursor in_;
  std::uint32_t max_depth_;
  std::string out_;
  std::vector<Work> work_;
};

}  // namespace

Result<RenderedExpression> render_expression(Cursor program, std::uint32_t max_depth) {
  return Renderer(program, max_depth).run();
}

}  // namespace entsig::codesign::requirements_detail

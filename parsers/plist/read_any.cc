// Format detection and the read_any dispatch: the one place that applies the input-size limit
// and the empty-input check before handing bytes to a format reader.
#include "entsig/plist.h"

namespace entsig::plist {

// Each format's own compatibility preset (xml_reader / binary_reader) under one name.
ReadOptions ReadOptions::cf_compat() {
  ReadOptions options;
  options.xml = XmlOptions::cf_compat();
  options.binary = BinaryOptions::cf_compat();
  return options;
}

namespace {

constexpr std::string_view kBinaryPrefix = "bplist";

// Offset of the first byte after an optional UTF-8 byte-order mark and XML whitespace.
std::size_t skip_bom_and_whitespace(Bytes input) {
  std::size_t i = 0;
  if (input.size() >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF) i = 3;
  while (i < input.size() && (input[i] == ' ' || input[i] == '\t' || input[i] == '\n' || input[i] == '\r'))
    ++i;
  return i;
}

}  // namespace

// Any "bplist" prefix counts as binary, not only "bplist00": the binary reader then names the
// exact problem (an unsupported version such as bplist15/bplist16) instead of "unknown format".
Format detect_format(Bytes input) {
  if (input.size() >= kBinaryPrefix.size() &&
      std::string_view(reinterpret_cast<const char*>(input.data()), kBinaryPrefix.size()) == kBinaryPrefix)
    return Format::binary;
  const std::size_t first = skip_bom_and_whitespace(input);
  if (first < input.size() && input[first] == '<') return Format::xml;
  return Format::unknown;
}

Result<Document> read_any(Bytes input, const ReadOptions& options) {
  Budget budget(options.limits);
  return read_any(input, options, budget);
}

Result<Document> read_any(Bytes input, const ReadOptions& options, Budget& budget) {
  const Limits& limits = budget.limits();
  if (input.size() > limits.max_input_bytes)
    return limit_error(ErrorCode::core_input_too_large, limits.max_input_bytes, "max_input_bytes",
                       limits.max_input_bytes);
  if (input.empty()) return make_error(ErrorCode::core_empty_input, 0);
  switch (detect_format(input)) {
    case Format::binary: return read_binary(input, options.binary, budget);
    case Format::xml: return read_xml(input, options.xml, budget);
    case Format::unknown: break;
  }
  // Points at the first byte that is neither a BOM nor whitespace (the input's end if none).
  return make_error(ErrorCode::core_unknown_format, skip_bom_and_whitespace(input),
                    "expected \"bplist\" or '<'");
}

}  // namespace entsig::plist

// A DER entitlements blob as a file: the 0xfade7172 header that codesign writes into special
// slot 7, then the DER. The header's length must cover the input exactly, as a blob cut out
// of a signature does.
#include "entsig/entitlements.h"

namespace entsig::entitlements {
namespace {

constexpr std::size_t kHeaderSize = 8;  // magic, length (big-endian)

}  // namespace

bool has_der_blob_magic(Bytes input) {
  Cursor c(input);
  auto magic = c.u32be();
  return magic && *magic == kDerBlobMagic;
}

Result<plist::Document> read_der_blob(Bytes input, const der::DerOptions& options, Budget& budget) {
  const Limits& limits = budget.limits();
  if (input.size() > limits.max_input_bytes)
    return limit_error(ErrorCode::core_input_too_large, limits.max_input_bytes, "max_input_bytes",
                       limits.max_input_bytes);
  if (!has_der_blob_magic(input))
    return make_error(ErrorCode::core_unknown_format, 0, "expected a 0xfade7172 blob header");
  Cursor c(input);
  c.skip(4);
  auto length = c.u32be();
  if (!length)
    return make_error(ErrorCode::entitlements_der_blob_truncated, input.size(), "input ends inside the header");
  if (*length < kHeaderSize)
    return make_error(ErrorCode::entitlements_der_blob_truncated, 4,
                      "length field " + std::to_string(*length) + " is below the header's 8 bytes");
  if (*length > input.size())
    return make_error(ErrorCode::entitlements_der_blob_truncated, input.size(),
                      "length field says " + std::to_string(*length) + " bytes, the input has " +
                          std::to_string(input.size()));
  if (*length < input.size())
    return make_error(ErrorCode::entitlements_der_blob_trailing_bytes, *length,
                      std::to_string(input.size() - *length) + " byte(s) after the blob");
  auto doc = der::read_der(input.subspan(kHeaderSize), options, budget);
  if (!doc) {
    Error e = doc.take_error();
    e.offset += kHeaderSize;  // read_der's offsets are into the payload
    return e;
  }
  return std::move(doc).value();
}

Result<plist::Document> read_der_blob(Bytes input, const der::DerOptions& options, const Limits& limits) {
  Budget budget(limits);
  return read_der_blob(input, options, budget);
}

}  // namespace entsig::entitlements

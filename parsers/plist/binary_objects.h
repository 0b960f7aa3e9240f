// Internal: decodes one bplist00 object (scalars, and the count of containers) from the
// object area. The traversal (binary_reader.cc) decides which objects to read and in what order.
#pragma once

#include <string>

#include "binary_format.h"

namespace entsig::plist::bplist {

class ObjectDecoder {
 public:
  // `objects` covers [0, table_offset) of the input, so local offsets are absolute offsets.
  ObjectDecoder(Cursor objects, Document& doc, const BinaryOptions& options)
      : objects_(objects), doc_(doc), options_(options) {}

  // The count of a data/string/array/set/dict object at `offset` (marker `marker`): the low
  // nibble, or the int object that follows when the nibble is 0xF. On success `count` items of
  // `unit` bytes are known to fit between `payload` and the end of the object area.
  bool read_count(std::uint64_t offset, std::uint8_t marker, std::uint64_t unit,
                  std::uint64_t& count, std::uint64_t& payload);

  // Any non-container object. `marker` is the byte at `offset`.
  bool decode_scalar(std::uint64_t offset, std::uint8_t marker, Value& out);

  // The bytes [at, at + length); only for ranges read_count has already checked.
  Bytes checked_bytes(std::uint64_t at, std::uint64_t length) const {
    return *objects_.bytes_at(at, length);
  }

  // The first (and final) error, after a call returned false.
  Error& error() { return error_; }

 private:
  bool fail(ErrorCode code, std::uint64_t offset, std::string_view detail = {});
  // An int object (marker 0x10..0x14) at `offset`; `end` is the offset after it.
  bool read_int(std::uint64_t offset, std::uint8_t marker, Integer& out, std::uint64_t& end);
  bool decode_real(std::uint64_t offset, std::uint8_t marker, Value& out);
  bool decode_date(std::uint64_t offset, std::uint8_t marker, Value& out);
  bool decode_data(std::uint64_t offset, std::uint8_t marker, Value& out);
  bool decode_ascii(std::uint64_t offset, std::uint8_t marker, Value& out);
  bool decode_utf16(std::uint64_t offset, std::uint8_t marker, Value& out);
  bool decode_uid(std::uint64_t offset, std::uint8_t marker, Value& out);

  Cursor objects_;
  Document& doc_;
  const BinaryOptions& options_;
  std::string text_;  // UTF-16 conversion scratch, reused
  Error error_;
};

}  // namespace entsig::plist::bplist

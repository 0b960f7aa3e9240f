// Bounds-checked reads. Every read checks remaining bytes first and never moves on failure.
#include "entsig/core.h"

namespace entsig {

std::uint64_t load_uint(const std::uint8_t* p, std::size_t width, Endian e) {
  std::uint64_t v = 0;
  if (e == Endian::big) {
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | p[i];
  } else {
    for (std::size_t i = width; i-- > 0;) v = (v << 8) | p[i];
  }
  return v;
}

bool Cursor::seek(std::uint64_t local) {
  if (local > data_.size()) return false;
  pos_ = static_cast<std::size_t>(local);
  return true;
}

bool Cursor::skip(std::uint64_t n) {
  if (!can_read(n)) return false;
  pos_ += static_cast<std::size_t>(n);
  return true;
}

std::optional<std::uint8_t> Cursor::u8() {
  if (!can_read(1)) return std::nullopt;
  return data_[pos_++];
}

std::optional<std::uint64_t> Cursor::uint(std::size_t width, Endian e) {
  if (width == 0 || width > 8 || !can_read(width)) return std::nullopt;
  std::uint64_t v = load_uint(data_.data() + pos_, width, e);
  pos_ += width;
  return v;
}

std::optional<std::uint16_t> Cursor::u16(Endian e) {
  auto v = uint(2, e);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

std::optional<std::uint32_t> Cursor::u32(Endian e) {
  auto v = uint(4, e);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<std::uint64_t> Cursor::u64(Endian e) { return uint(8, e); }

std::optional<Bytes> Cursor::bytes(std::uint64_t n) {
  if (!can_read(n)) return std::nullopt;
  Bytes out = data_.subspan(pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return out;
}

std::optional<std::uint8_t> Cursor::u8_at(std::uint64_t local) const {
  if (local >= data_.size()) return std::nullopt;
  return data_[static_cast<std::size_t>(local)];
}

std::optional<std::uint64_t> Cursor::uint_at(std::uint64_t local, std::size_t width, Endian e) const {
  if (width == 0 || width > 8 || !range_fits(local, width, data_.size())) return std::nullopt;
  return load_uint(data_.data() + local, width, e);
}

std::optional<std::uint32_t> Cursor::u32_at(std::uint64_t local, Endian e) const {
  auto v = uint_at(local, 4, e);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<Bytes> Cursor::bytes_at(std::uint64_t local, std::uint64_t n) const {
  if (!range_fits(local, n, data_.size())) return std::nullopt;
  return data_.subspan(static_cast<std::size_t>(local), static_cast<std::size_t>(n));
}

std::optional<Cursor> Cursor::sub(std::uint64_t local, std::uint64_t length) const {
  auto view = bytes_at(local, length);
  if (!view) return std::nullopt;
  return Cursor(*view, base_ + local);
}

}  // namespace entsig

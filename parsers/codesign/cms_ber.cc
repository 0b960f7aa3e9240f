// BER element reading for the CMS walk (X.690 8.1). Lengths may be long-form with leading
// zeros (BER allows it, and OpenSSL reads it); indefinite lengths end at a 00 00 marker,
// found by one iterative pass that counts nesting. Every length is checked against the bytes
// of the enclosing element before it is used.
#include "cms_ber.h"

#include <cstdio>

namespace entsig::codesign::ber {
namespace {

struct Header {
  std::uint8_t tag = 0;
  std::uint64_t header_size = 0;
  bool indefinite = false;
  std::uint64_t length = 0;
};

std::string hex8(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

// The tag and length at `local` of `in`; contents are not checked here.
Result<Header> read_header(const Cursor& in, std::uint64_t local) {
  Header h;
  auto tag = in.u8_at(local);
  if (!tag) return make_error(ErrorCode::cms_ber_truncated, in.offset_of(local), "no tag byte");
  h.tag = *tag;
  // CMS and X.509 use only tag numbers below 31 (X.690 8.1.2.4 high-tag-number form).
  if ((h.tag & 0x1f) == 0x1f)
    return make_error(ErrorCode::cms_ber_bad_tag, in.offset_of(local), "high-tag-number form " + hex8(h.tag));
  const std::uint64_t at = local + 1;
  auto first = in.u8_at(at);
  if (!first) return make_error(ErrorCode::cms_ber_truncated, in.offset_of(at), "no length byte");
  if (*first < 0x80) {
    h.header_size = 2;
    h.length = *first;
    return h;
  }
  if (*first == 0x80) {
    // X.690 8.1.3.2: the indefinite form is for constructed encodings only.
    if ((h.tag & 0x20) == 0)
      return make_error(ErrorCode::cms_ber_bad_length, in.offset_of(at), "indefinite length on primitive tag " + hex8(h.tag));
    h.header_size = 2;
    h.indefinite = true;
    return h;
  }
  if (*first == 0xff) return make_error(ErrorCode::cms_ber_bad_length, in.offset_of(at), "reserved length byte 0xff");
  const std::size_t count = *first & 0x7f;
  if (count > 8) return make_error(ErrorCode::cms_ber_bad_length, in.offset_of(at), std::to_string(count) + " length bytes");
  auto bytes = in.bytes_at(at + 1, count);
  if (!bytes) return make_error(ErrorCode::cms_ber_truncated, in.offset_of(at), "input ends inside the length bytes");
  h.header_size = 2 + count;
  h.length = load_uint(bytes->data(), count, Endian::big);
  return h;
}

Error out_of_range(const Cursor& in, std::uint64_t local, const Header& h) {
  const std::uint64_t left = in.size() - (local + h.header_size);
  return make_error(ErrorCode::cms_ber_length_out_of_range, in.offset_of(local + 1),
                    "length " + std::to_string(h.length) + ", " + std::to_string(left) + " bytes left");
}

// Position just past the end-of-contents that closes the indefinite element whose contents
// start at `local`; sets `content_end` to the marker's position.
Result<std::uint64_t> find_end_of_contents(const Cursor& in, std::uint64_t element_offset, std::uint64_t local,
                                           std::uint32_t max_depth, std::uint64_t& content_end) {
  std::uint32_t depth = 1;  // open indefinite elements, the outer one included
  std::uint64_t pos = local;
  for (;;) {
    if (in.size() - pos < 2)
      return make_error(ErrorCode::cms_ber_truncated, in.offset_of(in.size()),
                        "no end-of-contents for the element at " + std::to_string(element_offset));
    if (*in.u8_at(pos) == 0 && *in.u8_at(pos + 1) == 0) {
      pos += 2;
      if (--depth == 0) {
        content_end = pos - 2;
        return pos;
      }
      continue;
    }
    auto h = read_header(in, pos);
    if (!h) return h.take_error();
    if (h->tag == 0)
      return make_error(ErrorCode::cms_ber_bad_tag, in.offset_of(pos), "end-of-contents with a nonzero length");
    if (h->indefinite) {
      if (depth >= max_depth)
        return make_error(ErrorCode::cms_ber_depth_limit, in.offset_of(pos),
                          "limit is " + std::to_string(max_depth) + " (raise CmsOptions::max_depth)");
      ++depth;
      pos += h->header_size;
      continue;
    }
    if (h->length > in.size() - (pos + h->header_size)) return out_of_range(in, pos, *h);
    pos += h->header_size + h->length;
  }
}

}  // namespace

Result<Element> read(Cursor& in, std::uint32_t max_depth) {
  const std::uint64_t start = in.position();
  auto h = read_header(in, start);
  if (!h) return h.take_error();
  if (h->tag == 0)
    return make_error(ErrorCode::cms_ber_bad_tag, in.offset_of(start), "end-of-contents where an element belongs");
  Element e;
  e.tag = h->tag;
  e.offset = in.offset_of(start);
  e.indefinite = h->indefinite;
  const std::uint64_t content_start = start + h->header_size;
  std::uint64_t content_end = 0, end = 0;
  if (!h->indefinite) {
    if (h->length > in.size() - content_start) return out_of_range(in, start, *h);
    content_end = end = content_start + h->length;
  } else {
    auto found = find_end_of_contents(in, e.offset, content_start, max_depth, content_end);
    if (!found) return found.take_error();
    end = *found;
  }
  e.size = end - start;
  e.content = *in.sub(content_start, content_end - content_start);
  e.encoded = *in.bytes_at(start, e.size);
  in.seek(end);
  return e;
}

Result<Element> expect(Cursor& in, std::uint8_t expected, ErrorCode code, std::string_view what,
                       std::uint32_t max_depth) {
  if (in.at_end()) return make_error(code, in.offset(), "missing " + std::string(what));
  auto e = read(in, max_depth);
  if (!e) return e;
  if (e->tag != expected)
    return make_error(code, e->offset, std::string(what) + ": tag " + hex8(e->tag) + ", expected " + hex8(expected));
  return e;
}

std::uint8_t peek_tag(const Cursor& in) { return in.at_end() ? 0 : *in.u8_at(in.position()); }

Result<std::string> decode_oid(const Element& oid) {
  const Bytes b = oid.content.data();
  if (b.empty()) return make_error(ErrorCode::cms_oid_malformed, oid.offset, "empty");
  std::string out;
  std::uint64_t value = 0;
  bool first_arc = true, arc_start = true;
  for (std::size_t i = 0; i < b.size(); ++i) {
    // X.690 8.19.2: no leading 0x80 in a subidentifier.
    if (arc_start && b[i] == 0x80)
      return make_error(ErrorCode::cms_oid_malformed, oid.content.offset_of(i), "subidentifier not minimal");
    if (value > (UINT64_MAX >> 7))
      return make_error(ErrorCode::cms_oid_malformed, oid.content.offset_of(i), "arc above 64 bits");
    value = (value << 7) | (b[i] & 0x7f);
    arc_start = (b[i] & 0x80) == 0;
    if (!arc_start) continue;
    if (first_arc) {
      // The first subidentifier packs two arcs (X.690 8.19.4).
      const std::uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = std::to_string(top) + "." + std::to_string(value - top * 40);
      first_arc = false;
    } else {
      out += "." + std::to_string(value);
    }
    value = 0;
  }
  if (!arc_start)
    return make_error(ErrorCode::cms_oid_malformed, oid.content.offset_of(b.size() - 1), "last subidentifier unterminated");
  return out;
}

Result<std::uint32_t> decode_small_integer(const Element& integer, ErrorCode code, std::string_view what) {
  const Bytes b = integer.content.data();
  if (integer.tag != tag::integer || b.empty() || b.size() > 5)
    return make_error(code, integer.offset, std::string(what) + " is not an INTEGER of 1 to 5 bytes");
  // X.690 8.3.2: minimal two's complement; versions are never negative.
  if ((b[0] & 0x80) != 0) return make_error(code, integer.offset, std::string(what) + " is negative");
  if (b.size() > 1 && b[0] == 0 && (b[1] & 0x80) == 0)
    return make_error(code, integer.offset, std::string(what) + " is not minimal");
  const std::uint64_t v = load_uint(b.data(), b.size(), Endian::big);
  if (v > UINT32_MAX) return make_error(code, integer.offset, std::string(what) + " is above 2^32-1");
  return static_cast<std::uint32_t>(v);
}

}  // namespace entsig::codesign::ber

// Internal: how Security's requirement dumper (reqdumper.cpp) prints operand values.
#pragma once

#include <cstdint>
#include <string>

#include "entsig/core.h"

namespace entsig::codesign::requirements_detail {

// Dumper::data(): a bare word when every byte is an ASCII letter or digit (and '.' when
// `dot_okay`), it does not start with a digit and is not a reserved word; otherwise a
// quoted string when every byte is printable or space; otherwise 0x<hex>.
void append_data(std::string& out, Bytes data, bool dot_okay);

// Dumper::hashData(): H"<lowercase hex>".
void append_hash(std::string& out, Bytes data);

// CssmData::toOid(): DER OID content bytes as dotted decimal ("" when empty).
void append_oid(std::string& out, Bytes data);

// Dumper::timestamp(): seconds since 2001-01-01 00:00:00 UTC, shown as NSDate describes
// itself: <YYYY-MM-DD HH:MM:SS +0000>.
void append_timestamp(std::string& out, std::int64_t seconds_since_2001);

}  // namespace entsig::codesign::requirements_detail

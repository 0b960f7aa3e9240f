// Parser options from a fuzz input's choice byte: one bit per flag, so the fuzzer reaches
// every preset and every mix of flags between them. Shared by the targets of each format.
#pragma once

#include <cstdint>

#include "entsig/der.h"
#include "entsig/macho.h"
#include "entsig/plist.h"
#include "entsig/requirements.h"

namespace entsig::fuzz {

// Bits 0-4 are the five DerOptions flags: 0x00 is strict(), 0x0f lenient(), 0x1f ldid().
inline der::DerOptions pick_der_options(std::uint8_t choice) {
  der::DerOptions o;
  o.allow_set_form = choice & 0x01;
  o.allow_nonzero_true = choice & 0x02;
  o.allow_unsorted_keys = choice & 0x04;
  o.allow_data = choice & 0x08;
  o.ldid_unsigned_integers = choice & 0x10;
  return o;
}

inline bool is_strict(const der::DerOptions& o) {
  return !o.allow_set_form && !o.allow_nonzero_true && !o.allow_unsorted_keys && !o.allow_data &&
         !o.ldid_unsigned_integers;
}

// Bit 0 off keeps both strict Mach-O rules, as parse() does by default.
inline macho::ParseOptions pick_macho_options(std::uint8_t choice) {
  macho::ParseOptions o;
  o.require_aligned_load_commands = !(choice & 0x01);
  o.require_fat_cpu_match = !(choice & 0x02);
  return o;
}

// Even bytes keep Security's limits; odd ones pick a small depth and text budget.
inline codesign::RequirementOptions pick_requirement_options(std::uint8_t choice) {
  codesign::RequirementOptions o;
  if (choice & 1) {
    o.max_depth = 1 + ((choice >> 1) & 15);
    o.max_text_bytes = std::uint64_t{1} << (choice >> 5);  // 1 .. 128 bytes
  }
  return o;
}

// Bit 0: CoreFoundation-compatible presets instead of strict ones.
inline plist::XmlOptions pick_xml_options(std::uint8_t choice) {
  return (choice & 1) ? plist::XmlOptions::cf_compat() : plist::XmlOptions::strict();
}
inline plist::BinaryOptions pick_binary_options(std::uint8_t choice) {
  return (choice & 1) ? plist::BinaryOptions::cf_compat() : plist::BinaryOptions::strict();
}

}  // namespace entsig::fuzz

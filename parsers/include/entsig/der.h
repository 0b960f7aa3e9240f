// DER entitlements: the CoreEntitlements encoding Apple's codesign writes into the
// 0xfade7172 blob (special slot 7), read into and written from the plist value model.
//
//   [APPLICATION 16] (0x70) {
//     INTEGER 1                                   -- version
//     [CONTEXT 16] (0xB0) {                       -- dictionary
//       SEQUENCE (0x30) { UTF8String key, value } -- one per entry, keys in ascending byte order
//     }
//   }
//
// Values: BOOLEAN (00 / FF), INTEGER (minimal two's complement, 64-bit), UTF8String,
// SEQUENCE (array), [CONTEXT 16] (nested dictionary). See docs/der.md.
#pragma once

#include <string>

#include "entsig/core.h"
#include "entsig/plist.h"

namespace entsig::der {

// Reader flags. Strict (the default) accepts only the canonical form above. Each flag
// relaxes one rule, so that output of other signers can still be read.
struct DerOptions {
  bool allow_set_form = false;          // bare SET OF entries as a dictionary (ldid, ChOma, profiles)
  bool allow_nonzero_true = false;      // BOOLEAN true as any nonzero byte (ldid writes 01)
  bool allow_unsorted_keys = false;     // dictionary keys in any order (ldid sorts by encoded entry)
  bool allow_data = false;              // OCTET STRING values become data (ldid writes data this way)
  bool ldid_unsigned_integers = false;  // read INTEGERs under 8 bytes as unsigned, as ldid meant them

  static DerOptions strict() { return {}; }
  // Every allow_* flag. INTEGERs are still read as DER two's complement, which is how the
  // OS (CoreEntitlements) reads them: ldid's 128 (02 01 80) reads as -128.
  static DerOptions lenient();
  // lenient() plus ldid_unsigned_integers: recovers the values ldid was given.
  static DerOptions ldid();
};

// What a lenient read accepted that strict mode would have rejected.
struct DerDeviations {
  bool set_form = false;
  bool nonzero_true = false;
  bool unsorted_keys = false;
  bool data_values = false;
  bool any() const { return set_form || nonzero_true || unsorted_keys || data_values; }
};

// Reads DER entitlements into a Document whose root is a dict (keys in input order).
// Limits: max_input_bytes, max_depth (nesting of dictionaries and arrays, the root
// dictionary counting as 1) and max_objects (values created). Never recurses.
// Strings, keys and data charge the Budget's expanded bytes (core.h) at their element's offset;
// the form with `limits` reads with a Budget of its own.
Result<plist::Document> read_der(Bytes input, const DerOptions& options, Budget& budget,
                                 DerDeviations* deviations = nullptr);
Result<plist::Document> read_der(Bytes input, const DerOptions& options = {},
                                 const Limits& limits = {}, DerDeviations* deviations = nullptr);

// Canonical encoding (the form strict read_der accepts): keys sorted byte-wise, minimal
// integers, booleans 00/FF. The root must be a dict; data, date, real and uid values,
// integers above INT64_MAX and duplicate keys give der.not_representable with the path
// of the value (e.g. ["key"][2]) in the message. Output bytes are charged to the Budget
// before they are written (core.budget.output_bytes); the form without one uses the default
// Limits. Never recurses; each shared container is checked once.
Result<std::string> write_der(const plist::Value& root, Budget& budget);
Result<std::string> write_der(const plist::Value& root);

}  // namespace entsig::der

// What `inspect` and `verify` read: a Mach-O file (thin or fat), a raw embedded signature
// (SuperBlob 0xfade0cc0) or a raw CodeDirectory (0xfade0c02), told apart by the first bytes;
// and the blobs of one signature decoded for printing (entitlements, requirements, CMS).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "entsig/cms.h"
#include "entsig/codesign.h"
#include "entsig/core.h"
#include "entsig/der.h"
#include "entsig/plist.h"

namespace entsig::tools {

enum class SignatureFormat : std::uint8_t { macho, superblob, code_directory };

// "macho", "superblob", "code-directory" (the "format" member of inspect --json).
std::string_view signature_format_name(SignatureFormat format);

// core.empty_input for no bytes; core.unknown_format at offset 0 for any other first bytes.
Result<SignatureFormat> detect_signature_format(Bytes input);

// A signature with its blobs decoded. Views point into the input, which must outlive it.
struct SignatureDetails {
  codesign::Signature signature;
  std::optional<plist::Document> entitlements;      // slot 5, XML plist (strict reader)
  std::optional<plist::Document> der_entitlements;  // slot 7 (lenient reader: ldid's SET form)
  der::DerDeviations der_deviations;                // what the DER reader had to accept
  std::optional<std::string> requirements;          // slot 2 as requirement-language text
  std::optional<codesign::CmsSignature> cms;        // slot 0x10000
};

// Decodes every blob; the first error is final, with its offset absolute in the input. The
// entitlement readers charge the run's Budget and read under its limits.
Result<SignatureDetails> read_signature_details(codesign::Signature signature, Budget& budget);

}  // namespace entsig::tools

// Helpers for the entitlements and `entsig check` tests: plists from XML fragments, and
// fixtures re-signed with entitlement blobs (ld64.lld cannot embed entitlements).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "entsig/codesign.h"
#include "entsig/der.h"
#include "entsig/macho.h"
#include "entsig/plist.h"
#include "macho_test_support.h"

namespace entsig_test {

// A complete XML plist whose root dict holds `entries` (<key>..</key><value/> pairs).
inline std::string plist_xml(std::string_view entries) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\">\n<dict>" +
         std::string(entries) + "</dict>\n</plist>\n";
}

inline entsig::plist::Document parse_plist(std::string_view xml) {
  auto doc = entsig::plist::read_xml(entsig::as_bytes(xml));
  if (!doc) throw std::runtime_error("bad test plist: " + doc.error().describe());
  return std::move(doc).value();
}

// Canonical DER for the dict in an XML plist.
inline std::string der_of(std::string_view xml) {
  auto doc = parse_plist(xml);
  auto der = entsig::der::write_der(doc.root());
  if (!der) throw std::runtime_error("not DER-representable: " + der.error().describe());
  return *der;
}

inline void put_le(std::vector<std::uint8_t>& data, std::size_t at, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) data.at(at + i) = static_cast<std::uint8_t>(v >> (8 * i));
}

// Re-signs a thin little-endian fixture: its first CodeDirectory (flags OR `extra_flags`) and,
// when given, an XML entitlements blob (slot 5) and a DER one (slot 7) in a new SuperBlob that
// replaces the old one at the end of __LINKEDIT. LC_CODE_SIGNATURE and __LINKEDIT grow to fit.
// Hashes are not redone: `check` reads signatures, it does not verify them.
inline std::vector<std::uint8_t> with_entitlements(const std::vector<std::uint8_t>& original,
                                                   const std::optional<std::string>& xml,
                                                   const std::optional<std::string>& der,
                                                   std::uint32_t extra_flags = 0) {
  using namespace entsig;
  auto file = macho::parse(view(original));
  if (!file || file->slices.size() != 1) throw std::runtime_error("with_entitlements: not a thin Mach-O");
  const macho::Slice& slice = file->slices[0];
  auto signature = codesign::parse_signature(slice);
  if (!signature || signature->code_directories.empty()) throw std::runtime_error("with_entitlements: unsigned");
  const macho::Segment* linkedit = slice.linkedit_segment();
  if (!linkedit || !slice.code_signature) throw std::runtime_error("with_entitlements: no __LINKEDIT");

  std::vector<std::uint8_t> cd(signature->code_directories[0].data.begin(), signature->code_directories[0].data.end());
  put_u32(cd, 12, signature->code_directories[0].flags | extra_flags, Endian::big);
  std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> blobs = {{codesign::kSlotCodeDirectory, cd}};
  auto blob = [](std::uint32_t magic, const std::string& payload) {
    Bin b(Endian::big);
    b.u32(magic).u32(static_cast<std::uint32_t>(8 + payload.size())).text(payload);
    return b.data();
  };
  if (xml) blobs.push_back({codesign::kSlotEntitlements, blob(codesign::kMagicEntitlements, *xml)});
  if (der) blobs.push_back({codesign::kSlotDerEntitlements, blob(codesign::kMagicDerEntitlements, *der)});

  const auto index_end = static_cast<std::uint32_t>(12 + 8 * blobs.size());
  std::uint32_t total = index_end;
  for (const auto& b : blobs) total += static_cast<std::uint32_t>(b.second.size());
  Bin sb(Endian::big);
  sb.u32(codesign::kMagicEmbeddedSignature).u32(total).u32(static_cast<std::uint32_t>(blobs.size()));
  for (std::uint32_t at = index_end; const auto& b : blobs) {
    sb.u32(b.first).u32(at);
    at += static_cast<std::uint32_t>(b.second.size());
  }
  for (const auto& b : blobs) sb.append(b.second);
  sb.pad_to((sb.size() + 15) / 16 * 16);

  const std::uint32_t dataoff = slice.code_signature->dataoff;
  std::vector<std::uint8_t> out(original.begin(), original.begin() + dataoff);
  out.insert(out.end(), sb.data().begin(), sb.data().end());
  put_le(out, slice.code_signature->command_offset + 12, sb.size(), 4);           // datasize
  const std::uint64_t linkedit_size = out.size() - linkedit->fileoff;
  put_le(out, linkedit->command_offset + 48, linkedit_size, 8);                   // filesize
  put_le(out, linkedit->command_offset + 32, (linkedit_size + 0x3fff) & ~0x3fffull, 8);  // vmsize
  return out;
}

}  // namespace entsig_test

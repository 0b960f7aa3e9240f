// Builds the inspect and verify JSON from the library's models. Every value comes from the
// model; nothing is recomputed here.
#include "signature_json.h"

namespace entsig::tools {
namespace {

using namespace codesign;

template <class T, class F>
Json array_of(const std::vector<T>& items, F&& each) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(each(item));
  return out;
}

template <class T>
Json optional_value(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json names_json(const std::vector<std::string>& names) { return Json(names); }

Json blob_json(const Blob& blob) {
  Json j;
  j["slot"] = slot_name(blob.slot);
  j["magic"] = magic_name(blob.magic);
  j["offset"] = blob.file_offset;
  j["length"] = blob.length;
  return j;
}

Json code_directory_json(const CodeDirectory& cd) {
  Json j;
  j["slot"] = slot_name(cd.slot);
  j["offset"] = cd.file_offset;
  j["length"] = cd.length;
  j["version"] = format_hex(cd.version);
  j["flags"] = format_hex(cd.flags);
  j["flag_names"] = names_json(flag_names(cd.flags));
  j["hash_type"] = hash_type_name(cd.hash_type);
  j["hash_size"] = cd.hash_size;
  j["page_size"] = cd.page_size();
  j["identifier"] = cd.identifier;
  j["team_id"] = optional_value(cd.team_id);
  j["platform"] = cd.platform;
  j["code_slots"] = cd.code_slot_count;
  j["special_slots"] = cd.special_slot_count;
  j["code_limit"] = cd.code_limit();
  if (cd.has_exec_segment()) {
    j["exec_segment"] = {{"base", cd.exec_seg_base},
                         {"limit", cd.exec_seg_limit},
                         {"flags", format_hex(cd.exec_seg_flags)},
                         {"flag_names", names_json(exec_seg_flag_names(cd.exec_seg_flags))}};
  } else {
    j["exec_segment"] = nullptr;
  }
  j["runtime"] = cd.has_runtime() ? Json(format_runtime_version(cd.runtime)) : Json(nullptr);
  j["cdhash"] = cd.cdhash_hex();
  j["cdhash_full"] = cd.cdhash_full.hex();
  return j;
}

Json diagnostic_json(const Diagnostic& d) {
  return Json{{"id", std::string(d.id)}, {"offset", d.offset}, {"message", d.message}};
}

// The tagged JSON writer's text goes in as it is (it charges the run's output budget itself).
Status write_tagged(JsonOut& out, std::string_view name, const std::optional<plist::Document>& doc) {
  out.key(name);
  if (!doc) {
    out.value(nullptr);
    return Ok{};
  }
  auto json = plist::write_tagged_json(doc->root(), out.budget());
  if (!json) return json.take_error();
  out.charged_value(*json);
  return Ok{};
}

Json der_deviations_json(const der::DerDeviations& d) {
  Json out = Json::array();
  if (d.set_form) out.push_back("set-form");
  if (d.nonzero_true) out.push_back("nonzero-true");
  if (d.unsorted_keys) out.push_back("unsorted-keys");
  if (d.data_values) out.push_back("data-values");
  return out;
}

Json algorithm_json(const CmsAlgorithm& a) { return Json(a.name); }

Json certificate_json(const CmsCertificate& c) {
  Json j;
  j["offset"] = c.offset;
  j["length"] = c.length;
  j["subject"] = c.subject;
  j["issuer"] = c.issuer;
  j["common_name"] = optional_value(c.common_name);
  j["serial"] = c.serial;
  j["not_before"] = c.not_before;
  j["not_after"] = c.not_after;
  j["sha256"] = c.sha256;
  return j;
}

Json cdhash_list_json(const std::optional<std::vector<CmsCdHash>>& list) {
  if (!list) return nullptr;
  return array_of(*list, [](const CmsCdHash& h) {
    if (!h.algorithm) return Json(h.hex());
    return Json{{"algorithm", h.algorithm->name}, {"digest", h.hex()}};
  });
}

Json signer_json(const CmsSigner& s) {
  Json j;
  j["offset"] = s.offset;
  j["version"] = s.version;
  if (s.sid_subject_key_id)
    j["sid"] = {{"subject_key_id", *s.sid_subject_key_id}};
  else
    j["sid"] = {{"issuer", s.sid_issuer.value_or("")}, {"serial", s.sid_serial.value_or("")}};
  j["certificate"] = optional_value(s.certificate);
  j["chain"] = s.chain;
  j["digest_algorithm"] = algorithm_json(s.digest_algorithm);
  j["signature_algorithm"] = s.signature_algorithm;
  j["signing_time"] = optional_value(s.signing_time);
  j["content_type"] = optional_value(s.content_type);
  j["message_digest"] =
      s.message_digest ? Json(hex_encode(Bytes(s.message_digest->data(), s.message_digest->size()))) : Json(nullptr);
  j["cdhashes"] = cdhash_list_json(s.cdhashes_v1);
  j["cdhashes_v2"] = cdhash_list_json(s.cdhashes_v2);
  j["signed_attributes"] = s.signed_attributes;
  j["unsigned_attributes"] = s.has_unsigned_attributes;
  return j;
}

Json cms_json(const CmsSignature& cms) {
  Json j;
  j["offset"] = cms.offset;
  j["length"] = cms.length;
  j["empty"] = cms.empty;
  if (cms.empty) return j;
  j["version"] = cms.version;
  j["content_type"] = cms.content_type;
  j["detached"] = cms.detached;
  j["digest_algorithms"] = array_of(cms.digest_algorithms, algorithm_json);
  j["certificates"] = array_of(cms.certificates, certificate_json);
  j["other_certificates"] = cms.other_certificates;
  j["signers"] = array_of(cms.signers, signer_json);
  return j;
}

Json cdhash_check_json(const CdHashCheck& c, bool with_algorithm) {
  Json j;
  if (with_algorithm) j["algorithm"] = c.algorithm;
  j["cdhash"] = c.hex;
  j["match"] = std::string(cdhash_match_name(c.match));
  j["slot"] = c.slot ? Json(slot_name(*c.slot)) : Json(nullptr);
  return j;
}

Json agreement_json(const CmsAgreement& a) {
  Json j;
  j["status"] = std::string(cms_agreement_status_name(a.status));
  j["signers"] = array_of(a.signers, [](const SignerAgreement& s) {
    Json o;
    o["signer"] = s.signer;
    o["ok"] = s.ok();
    o["message_digest_ok"] = optional_value(s.message_digest_ok);
    o["cdhashes"] = s.has_v1 ? array_of(s.v1, [](const CdHashCheck& c) { return cdhash_check_json(c, false); })
                             : Json(nullptr);
    o["cdhashes_v2"] = s.has_v2 ? array_of(s.v2, [](const CdHashCheck& c) { return cdhash_check_json(c, true); })
                                : Json(nullptr);
    o["unlisted_slots"] = array_of(s.unlisted_slots, [](std::uint32_t slot) { return Json(slot_name(slot)); });
    return o;
  });
  return j;
}

Json special_slot_json(const SpecialSlotCheck& s) {
  Json j;
  j["slot"] = s.slot;
  j["name"] = slot_name(s.slot);
  j["status"] = std::string(slot_status_name(s.status));
  j["expected"] = s.expected_hex.empty() ? Json(nullptr) : Json(s.expected_hex);
  j["actual"] = s.actual_hex.empty() ? Json(nullptr) : Json(s.actual_hex);
  return j;
}

Json cd_check_json(const CodeDirectoryCheck& c) {
  Json j;
  j["slot"] = slot_name(c.slot);
  j["hash_type"] = hash_type_name(c.hash_type);
  j["cdhash"] = c.cdhash_hex;
  j["pages_checked"] = c.pages_checked;
  j["code_pages_ok"] = c.code_pages_ok;
  j["bad_pages"] = c.bad_pages;
  j["special_slots_ok"] = c.special_slots_ok;
  j["bad_special_slots"] = c.bad_special_slots;
  j["special_slots"] = array_of(c.special_slots, special_slot_json);
  return j;
}

}  // namespace

Json error_object(const Error& error) {
  return Json{{"code", std::string(error.id())}, {"offset", error.offset}, {"message", error.message}};
}

Status write_signature_json(JsonOut& out, const SignatureDetails& details, std::uint64_t size) {
  const Signature& sig = details.signature;
  out.begin_object();
  out.member("offset", sig.file_offset);
  out.member("size", size);
  out.member("magic", magic_name(sig.magic));
  out.member("length", sig.length);
  // The lists whose length the input sets are written one element at a time.
  out.key("blobs");
  out.begin_array();
  for (const Blob& blob : sig.blobs) out.value(blob_json(blob));
  out.end_array();
  out.key("code_directories");
  out.begin_array();
  for (const CodeDirectory& cd : sig.code_directories) out.value(code_directory_json(cd));
  out.end_array();
  if (Status s = write_tagged(out, "entitlements", details.entitlements); !s) return s;
  if (Status s = write_tagged(out, "der_entitlements", details.der_entitlements); !s) return s;
  out.member("der_entitlements_deviations",
             details.der_entitlements ? der_deviations_json(details.der_deviations) : Json(nullptr));
  out.member("requirements", optional_value(details.requirements));
  out.member("cms", details.cms ? cms_json(*details.cms) : Json(nullptr));
  out.key("diagnostics");
  out.begin_array();
  for (const Diagnostic& d : sig.diagnostics) out.value(diagnostic_json(d));
  out.end_array();
  out.end_object();
  return Ok{};
}

Json verification_json(const SliceVerification& s) {
  Json j;
  j["index"] = s.slice_index;
  j["cpu"] = s.cpu;
  j["offset"] = s.slice_offset;
  j["status"] = std::string(slice_status_name(s.status));
  j["error"] = s.error ? error_object(*s.error) : Json(nullptr);
  j["chosen_slot"] = s.chosen_slot ? Json(slot_name(*s.chosen_slot)) : Json(nullptr);
  j["cdhash"] = s.cdhash.empty() ? Json(nullptr) : Json(s.cdhash);
  j["hash_type"] = s.hash_type.empty() ? Json(nullptr) : Json(s.hash_type);
  j["code_pages_ok"] = s.code_pages_ok;
  j["bad_pages"] = s.bad_pages;
  j["special_slots_ok"] = s.special_slots_ok;
  j["bad_special_slots"] = s.bad_special_slots;
  j["cms"] = agreement_json(s.cms);
  j["code_directories"] = array_of(s.code_directories, cd_check_json);
  j["diagnostics"] = array_of(s.diagnostics, diagnostic_json);
  return j;
}

}  // namespace entsig::tools

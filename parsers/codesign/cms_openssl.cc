// The CMS reader's calls into OpenSSL libcrypto: acceptance of the whole ContentInfo,
// X.509 certificates, names, serial numbers, times and OID names. Every input here is a
// span our BER walk has already bounded; every OpenSSL object is freed on every path.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <cstdio>
#include <ctime>
#include <memory>

#include "cms_internal.h"
#include "entsig/codesign.h"

namespace entsig::codesign::cms_detail {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

// d2i_* take a long length; every span we pass is bounded by the 40 MiB signature limit, but
// a caller of parse_cms may pass more, which we refuse rather than truncate.
bool fits_long(Bytes b) { return b.size() <= static_cast<std::size_t>(LONG_MAX); }

// The first queued OpenSSL reason, and an empty queue afterwards.
std::string take_openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "error " + std::to_string(code);
}

std::optional<std::string> print_name(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return std::nullopt;
  // RFC 2253 order and escaping, with UTF-8 kept as UTF-8 instead of \XX escapes.
  const unsigned long flags = XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 && data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> print_serial(const ASN1_INTEGER* serial) {
  if (!serial) return std::nullopt;
  const unsigned char* data = ASN1_STRING_get0_data(serial);
  const int size = ASN1_STRING_length(serial);
  if (size < 0 || (size > 0 && !data)) return std::nullopt;
  const std::string hex = hex_encode(Bytes(data, static_cast<std::size_t>(size)));
  return (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" : "") + (hex.empty() ? std::string("00") : hex);
}

std::optional<std::string> print_time(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return std::string(buf);
}

std::optional<std::string> first_common_name(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return std::nullopt;
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = value ? ASN1_STRING_to_UTF8(&utf8, value) : -1;
  if (size < 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

Error certificate_error(const ber::Element& certificate, std::string detail) {
  return make_error(ErrorCode::cms_certificate_malformed, certificate.offset, detail);
}

}  // namespace

Status openssl_accepts(Bytes content_info, std::uint64_t offset) {
  if (!fits_long(content_info)) return make_error(ErrorCode::cms_openssl_rejected, offset, "input too large");
  const unsigned char* p = content_info.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(content_info.size())));
  if (!cms) return make_error(ErrorCode::cms_openssl_rejected, offset, take_openssl_reason());
  ERR_clear_error();
  return Ok{};
}

Result<CmsCertificate> read_certificate(const ber::Element& certificate) {
  if (!fits_long(certificate.encoded)) return certificate_error(certificate, "too large");
  const unsigned char* p = certificate.encoded.data();
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(certificate.encoded.size())));
  if (!x509) return certificate_error(certificate, take_openssl_reason());
  // d2i_X509 stops at the end of what it read; the walk bounded the element, so any rest is
  // a disagreement between the two readers about where the certificate ends.
  if (p != certificate.encoded.data() + certificate.encoded.size())
    return certificate_error(certificate, "OpenSSL read " + std::to_string(p - certificate.encoded.data()) + " of " +
                                              std::to_string(certificate.encoded.size()) + " bytes");
  CmsCertificate out;
  out.offset = certificate.offset;
  out.length = certificate.size;
  auto subject = print_name(X509_get_subject_name(x509.get()));
  auto issuer = print_name(X509_get_issuer_name(x509.get()));
  auto serial = print_serial(X509_get0_serialNumber(x509.get()));
  auto not_before = print_time(X509_get0_notBefore(x509.get()));
  auto not_after = print_time(X509_get0_notAfter(x509.get()));
  if (!subject || !issuer || !serial || !not_before || !not_after)
    return certificate_error(certificate, "subject, issuer, serial number or validity unreadable");
  out.subject = std::move(*subject);
  out.issuer = std::move(*issuer);
  out.serial = std::move(*serial);
  out.not_before = std::move(*not_before);
  out.not_after = std::move(*not_after);
  out.common_name = first_common_name(X509_get_subject_name(x509.get()));
  if (const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(x509.get()))
    out.subject_key_id = hex_encode(Bytes(ASN1_STRING_get0_data(ski), static_cast<std::size_t>(ASN1_STRING_length(ski))));
  ERR_clear_error();  // extension caching may queue errors for extensions we do not read
  out.sha256 = compute_digest(kHashSha256, certificate.encoded).hex();
  return out;
}

std::optional<std::string> name_text(Bytes encoded_name) {
  if (!fits_long(encoded_name)) return std::nullopt;
  const unsigned char* p = encoded_name.data();
  NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(encoded_name.size())));
  if (!name || p != encoded_name.data() + encoded_name.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  return print_name(name.get());
}

std::optional<std::string> serial_text(Bytes encoded_integer) {
  if (!fits_long(encoded_integer)) return std::nullopt;
  const unsigned char* p = encoded_integer.data();
  IntegerPtr integer(d2i_ASN1_INTEGER(nullptr, &p, static_cast<long>(encoded_integer.size())));
  if (!integer || p != encoded_integer.data() + encoded_integer.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  return print_serial(integer.get());
}

std::optional<std::string> time_text(Bytes encoded_time) {
  if (!fits_long(encoded_time)) return std::nullopt;
  const unsigned char* p = encoded_time.data();
  TimePtr time(d2i_ASN1_TIME(nullptr, &p, static_cast<long>(encoded_time.size())));
  if (!time || p != encoded_time.data() + encoded_time.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  return print_time(time.get());
}

std::string oid_long_name(const std::string& oid) {
  // no_name = 1: only the dotted form is accepted, so input text never selects a name.
  ASN1_OBJECT* object = OBJ_txt2obj(oid.c_str(), 1);
  if (!object) {
    ERR_clear_error();
    return oid;
  }
  const int nid = OBJ_obj2nid(object);
  ASN1_OBJECT_free(object);
  const char* name = nid == NID_undef ? nullptr : OBJ_nid2ln(nid);
  return name ? std::string(name) : oid;
}

}  // namespace entsig::codesign::cms_detail

// CodeDirectory hash types (xnu cs_find_md, Security bestHashOf) and the one place in the
// signature reader that calls OpenSSL (CMS has its own file).
#include <openssl/evp.h>

#include "entsig/codesign.h"

namespace entsig::codesign {

std::optional<std::size_t> hash_size_for_type(std::uint8_t hash_type) {
  switch (hash_type) {
    case kHashSha1: return 20;
    case kHashSha256: return 32;
    case kHashSha256Truncated: return 20;  // CS_SHA256_TRUNCATED_LEN
    case kHashSha384: return 48;
    default: return std::nullopt;
  }
}

std::string hash_type_name(std::uint8_t hash_type) {
  switch (hash_type) {
    case kHashSha1: return "sha1";
    case kHashSha256: return "sha256";
    case kHashSha256Truncated: return "sha256-truncated";
    case kHashSha384: return "sha384";
    default: return "unknown(" + std::to_string(hash_type) + ")";
  }
}

int hash_rank(std::uint8_t hash_type) {
  // xnu ubc_subr.c hashPriorities, lowest first.
  switch (hash_type) {
    case kHashSha1: return 1;
    case kHashSha256Truncated: return 2;
    case kHashSha256: return 3;
    case kHashSha384: return 4;
    default: return 0;
  }
}

namespace {

// An OpenSSL 3 fetch takes a lock and a name lookup, which costs as much as hashing a
// small blob; fetched algorithms are immutable and may be shared between threads, so each
// is fetched once per process and never freed.
const EVP_MD* fetched_md(std::uint8_t hash_type) {
  static const EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  switch (hash_type) {
    case kHashSha1: return sha1;
    case kHashSha256:
    case kHashSha256Truncated: return sha256;
    case kHashSha384: return sha384;
    default: return nullptr;
  }
}

}  // namespace

struct Hasher::Impl {
  const EVP_MD* md = nullptr;
  EVP_MD_CTX* ctx = nullptr;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(std::uint8_t hash_type) : impl_(std::make_unique<Impl>()) {
  // Bound once; each digest then re-initialises the bound context, which costs less per
  // 4 KiB page than re-binding the algorithm.
  impl_->md = fetched_md(hash_type);
  if (!impl_->md) return;
  impl_->ctx = EVP_MD_CTX_new();
  if (impl_->md && impl_->ctx && EVP_DigestInit_ex2(impl_->ctx, impl_->md, nullptr) != 1) {
    EVP_MD_CTX_free(impl_->ctx);
    impl_->ctx = nullptr;
  }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

bool Hasher::valid() const { return impl_ && impl_->md && impl_->ctx; }

std::size_t Hasher::digest_size() const {
  return valid() ? static_cast<std::size_t>(EVP_MD_get_size(impl_->md)) : 0;
}

Digest Hasher::digest(Bytes data) {
  Digest out;
  if (!valid()) return out;
  unsigned int size = 0;
  if (EVP_DigestInit_ex(impl_->ctx, nullptr, nullptr) != 1 ||
      EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(impl_->ctx, out.bytes.data(), &size) != 1 || size > out.bytes.size())
    return Digest{};
  out.size = size;
  return out;
}

Digest compute_digest(std::uint8_t hash_type, Bytes data) {
  Hasher hasher(hash_type);
  return hasher.digest(data);
}

}  // namespace entsig::codesign

// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, for shard checksums that
// `sha256sum` can verify.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

// libcrypto's EVP_MD_CTX, declared here so that includers need no OpenSSL
// header (libcrypto is a private dependency of pipeline/base).
struct evp_md_ctx_st;

namespace jsqa {

// Throws jsqa::Error with libcrypto's reason when libcrypto fails (out of
// memory, or a FIPS provider that refuses SHA-256).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void Update(const void* data, size_t size);
  // Lower-case hex digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct ContextFree {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, ContextFree> context_;
};

// Hex SHA-256 of a whole file, read once from start to end; throws
// jsqa::Error naming the path.
std::string Sha256File(const std::string& path);

}  // namespace jsqa

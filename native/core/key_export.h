// Serialises a key: PKCS#8 (optionally passphrase-encrypted) for the private half, SPKI for the public half.
#pragma once

#include <string>

#include <openssl/evp.h>

#include "result.h"

namespace keyscope {

enum class KeyEncoding { kPem, kDer };

// Bytes that hold private key material: wiped when destroyed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&&) = delete;
  SecretBytes(const SecretBytes&) = delete;
  ~SecretBytes();
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// Encrypted PKCS#8 uses PBES2 with scrypt (N=2^14, r=8, p=1: 16 MiB, inside OpenSSL's default 32 MiB decode
// limit so that node:crypto and the openssl CLI read it) and AES-256-CBC.
Result<SecretBytes> ExportPrivateKey(EVP_PKEY* key, KeyEncoding encoding, const std::string* passphrase);
Result<std::string> ExportPublicKey(EVP_PKEY* key, KeyEncoding encoding);

}  // namespace keyscope

#include "key_export.h"

#include <cstring>
#include <memory>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "openssl_errors.h"

namespace keyscope {
namespace {

constexpr uint64_t kScryptN = 1u << 14;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

Error ExportError(const char* what) { return DrainOpenSSLErrors("KS_OPENSSL", std::string("exporting ") + what + " failed"); }

struct Pkcs8Deleter {
  void operator()(PKCS8_PRIV_KEY_INFO* info) const { PKCS8_PRIV_KEY_INFO_free(info); }  // wipes the key octets
};
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Pkcs8Deleter>;

// ML-KEM and ML-DSA private keys are written in the seed form of their PKCS#8 CHOICE (RFC 9881, and the
// ML-KEM draft of LAMPS): `[0] IMPLICIT OCTET STRING` holding the 64-byte (ML-KEM) or 32-byte (ML-DSA) seed the
// whole key expands from. It is what those specifications recommend, what BoringSSL and WebCrypto read, 86 bytes
// instead of 2,490 for ML-KEM-768, and what Node 24 configures OpenSSL 3.5 to write; doing it here keeps the form
// the same whatever the running Node configured (OpenSSL 3.5's own default is the form holding both).
// Keys without a seed (none keyscope generates) keep OpenSSL's form. The key type is asked by name because the
// "seed" parameter means something else for other types (an EC curve's seed).
bool WritesSeedForm(EVP_PKEY* key) {
  const char* type = EVP_PKEY_get0_type_name(key);
  if (type == nullptr) return false;
  std::string_view name(type);
  return name.rfind("ML-KEM-", 0) == 0 || name.rfind("ML-DSA-", 0) == 0;
}

// The seed-form PKCS#8 of `key`, or nullptr when it has no seed; the algorithm identifier is OpenSSL's own.
PKCS8_PRIV_KEY_INFO* SeedFormPkcs8(EVP_PKEY* key, PKCS8_PRIV_KEY_INFO* openssl_form) {
  unsigned char seed[64];
  size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, "seed", seed, sizeof seed, &length) != 1 || length == 0) return nullptr;
  const ASN1_OBJECT* algorithm = nullptr;
  if (PKCS8_pkey_get0(&algorithm, nullptr, nullptr, nullptr, openssl_form) != 1) return nullptr;
  // [0] IMPLICIT OCTET STRING: tag 0x80, then the length (64 or 32: short form). OPENSSL_malloc, not the secure
  // heap: the PKCS#8 frees it with OPENSSL_free after wiping it, and a secure-heap block freed that way aborts the
  // process (node --secure-heap).
  auto* encoded = static_cast<unsigned char*>(OPENSSL_malloc(length + 2));
  PKCS8_PRIV_KEY_INFO* out = PKCS8_PRIV_KEY_INFO_new();
  ASN1_OBJECT* oid = OBJ_dup(algorithm);
  if (encoded == nullptr || out == nullptr || oid == nullptr) {
    OPENSSL_cleanse(seed, sizeof seed);
    OPENSSL_free(encoded);  // nothing written to it yet
    PKCS8_PRIV_KEY_INFO_free(out);
    ASN1_OBJECT_free(oid);
    return nullptr;
  }
  encoded[0] = 0x80;
  encoded[1] = static_cast<unsigned char>(length);
  std::memcpy(encoded + 2, seed, length);
  OPENSSL_cleanse(seed, sizeof seed);
  // Absent parameters (V_ASN1_UNDEF), as both specifications require. On success `out` owns oid and encoded.
  if (PKCS8_pkey_set0(out, oid, 0, V_ASN1_UNDEF, nullptr, encoded, static_cast<int>(length + 2)) != 1) {
    OPENSSL_clear_free(encoded, length + 2);
    ASN1_OBJECT_free(oid);
    PKCS8_PRIV_KEY_INFO_free(out);
    return nullptr;
  }
  return out;
}

// The PKCS#8 keyscope writes for `key`: the seed form where the key type has one, else OpenSSL's.
Pkcs8Ptr PrivateKeyInfo(EVP_PKEY* key) {
  Pkcs8Ptr info(EVP_PKEY2PKCS8(key));
  if (!info || !WritesSeedForm(key)) return info;
  Pkcs8Ptr seed_form(SeedFormPkcs8(key, info.get()));
  return seed_form ? std::move(seed_form) : std::move(info);
}

// Wraps a PKCS#8 in PBES2/scrypt encryption.
X509_SIG* EncryptPkcs8(PKCS8_PRIV_KEY_INFO* info, const std::string& passphrase) {
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 0, nullptr, kScryptN, kScryptR, kScryptP);
  X509_SIG* sig = nullptr;
  if (pbe != nullptr) sig = PKCS8_set0_pbe(passphrase.data(), static_cast<int>(passphrase.size()), info, pbe);
  if (sig == nullptr) X509_ALGOR_free(pbe);  // on success the X509_SIG owns it
  return sig;
}

}  // namespace

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

Result<SecretBytes> ExportPrivateKey(EVP_PKEY* key, KeyEncoding encoding, const std::string* passphrase) {
  ClearOpenSSLErrors();
  // A secure-memory BIO wipes its buffer when freed, so no copy of the key is left behind in the heap.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio) return ExportError("the private key");
  Pkcs8Ptr info = PrivateKeyInfo(key);
  if (!info) return ExportError("the private key");
  bool ok;
  if (passphrase != nullptr) {
    X509_SIG* sig = EncryptPkcs8(info.get(), *passphrase);
    if (sig == nullptr) return ExportError("the encrypted private key");
    ok = encoding == KeyEncoding::kPem ? PEM_write_bio_PKCS8(bio.get(), sig) == 1 : i2d_PKCS8_bio(bio.get(), sig) == 1;
    X509_SIG_free(sig);
  } else {
    ok = encoding == KeyEncoding::kPem ? PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio.get(), info.get()) == 1
                                       : i2d_PKCS8_PRIV_KEY_INFO_bio(bio.get(), info.get()) == 1;
  }
  if (!ok) return ExportError("the private key");
  return SecretBytes(BioContents(bio.get()));
}

Result<std::string> ExportPublicKey(EVP_PKEY* key, KeyEncoding encoding) {
  ClearOpenSSLErrors();
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return ExportError("the public key");
  bool ok = encoding == KeyEncoding::kPem ? PEM_write_bio_PUBKEY(bio.get(), key) == 1
                                          : i2d_PUBKEY_bio(bio.get(), key) == 1;
  if (!ok) return ExportError("the public key");
  return BioContents(bio.get());
}

}  // namespace keyscope

#include "key_export.h"

#include <memory>

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

// Wraps the key's PKCS#8 form in PBES2/scrypt encryption.
X509_SIG* EncryptPkcs8(EVP_PKEY* key, const std::string& passphrase) {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key);
  if (info == nullptr) return nullptr;
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 0, nullptr, kScryptN, kScryptR, kScryptP);
  X509_SIG* sig = nullptr;
  if (pbe != nullptr) sig = PKCS8_set0_pbe(passphrase.data(), static_cast<int>(passphrase.size()), info, pbe);
  if (sig == nullptr) X509_ALGOR_free(pbe);  // on success the X509_SIG owns it
  PKCS8_PRIV_KEY_INFO_free(info);
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
  bool ok;
  if (passphrase != nullptr) {
    X509_SIG* sig = EncryptPkcs8(key, *passphrase);
    if (sig == nullptr) return ExportError("the encrypted private key");
    ok = encoding == KeyEncoding::kPem ? PEM_write_bio_PKCS8(bio.get(), sig) == 1 : i2d_PKCS8_bio(bio.get(), sig) == 1;
    X509_SIG_free(sig);
  } else {
    ok = encoding == KeyEncoding::kPem
             ? PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1
             : i2d_PKCS8PrivateKey_bio(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
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

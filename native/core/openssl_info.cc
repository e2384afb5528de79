#include "openssl_info.h"

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/provider.h>

namespace keyscope {

OpenSSLInfo GetOpenSSLInfo() {
  OpenSSLInfo info;
  info.version = OpenSSL_version(OPENSSL_VERSION_STRING);
  info.header_version = OPENSSL_VERSION_STR;
  OSSL_PROVIDER_do_all(
      nullptr,
      [](OSSL_PROVIDER* provider, void* out) {
        static_cast<std::vector<std::string>*>(out)->push_back(OSSL_PROVIDER_get0_name(provider));
        return 1;
      },
      &info.providers);
  return info;
}

}  // namespace keyscope

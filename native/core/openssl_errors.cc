#include "openssl_errors.h"

#include <openssl/err.h>

namespace keyscope {

Error DrainOpenSSLErrors(std::string code, std::string message) {
  Error error{std::move(code), std::move(message), {}};
  unsigned long packed;
  while ((packed = ERR_get_error()) != 0) {
    const char* library = ERR_lib_error_string(packed);
    const char* reason = ERR_reason_error_string(packed);
    error.openssl.push_back({packed, library ? library : "unknown library",
                             reason ? reason : "unknown reason"});
  }
  if (!error.openssl.empty()) {
    const auto& first = error.openssl.front();
    error.message += ": " + first.library + ": " + first.reason;
  }
  return error;
}

void ClearOpenSSLErrors() { ERR_clear_error(); }

}  // namespace keyscope

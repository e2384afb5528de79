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

// Peeking first: the queue is empty nearly always (every failure path drains it, and node:crypto clears what it
// leaves), and ERR_clear_error resets all sixteen entries on every call: about 1% of a P-256 key.
void ClearOpenSSLErrors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

}  // namespace keyscope

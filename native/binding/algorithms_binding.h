#pragma once

#include <napi.h>

namespace keyscope::binding {

// parseAlgorithm(id, allowWeak) => { id, family, bits, securityBits, usages, weak, postQuantum }: the algorithm
// table's answer for one id (bits is the RSA modulus size, 0 for the fixed-size algorithms). Throws the
// KeyscopeError the keygen calls throw for the same id (KS_UNKNOWN_ALGORITHM, KS_INVALID_KEY_SIZE,
// KS_WEAK_KEY_SIZE without allowWeak). Whether this OpenSSL supports it is not asked: listAlgorithms says that.
Napi::Value ParseAlgorithmToJs(const Napi::CallbackInfo& info);
// listAlgorithms() => [{ ...what parseAlgorithm answers, supported, reason? }] for every listed id
Napi::Value ListAlgorithms(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

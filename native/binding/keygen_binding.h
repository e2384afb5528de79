#pragma once

#include <napi.h>

namespace keyscope::binding {

// generateKeyPairSync(id, allowWeak) => KeyPairHandle
Napi::Value GenerateKeyPairSync(const Napi::CallbackInfo& info);
// generateKeyPair(id, allowWeak) => Promise<KeyPairHandle>, generated on a libuv worker thread
Napi::Value GenerateKeyPairAsync(const Napi::CallbackInfo& info);
// listAlgorithms() => [{ id, family, securityBits, usages, supported, reason? }]
Napi::Value ListAlgorithms(const Napi::CallbackInfo& info);
// securityBits(id) => number | null: the strength listAlgorithms reports, for any id the table parses (any
// rsa-<bits>, weak sizes included); null for one it does not.
Napi::Value SecurityBitsOf(const Napi::CallbackInfo& info);


}  // namespace keyscope::binding

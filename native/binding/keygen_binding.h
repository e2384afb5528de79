#pragma once

#include <napi.h>

namespace keyscope::binding {

// generateKeyPairSync(id, allowWeak) => KeyPairHandle
Napi::Value GenerateKeyPairSync(const Napi::CallbackInfo& info);
// generateKeyPair(id, allowWeak) => Promise<KeyPairHandle>, generated on a libuv worker thread
Napi::Value GenerateKeyPairAsync(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

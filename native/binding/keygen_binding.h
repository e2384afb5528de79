#pragma once

#include <napi.h>

namespace keyscope::binding {

// generateKeyPairSync(id, allowWeak) => key handle (key_handle_binding.h)
Napi::Value GenerateKeyPairSync(const Napi::CallbackInfo& info);
// generateKeyPair(id, allowWeak) => Promise<key handle>, generated on a libuv worker thread
Napi::Value GenerateKeyPairAsync(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

// Keys in JavaScript are handles into the environment's KeyTable (key_table.h explains why).
//
//   exportPrivateKey(handle, 'pem' | 'der', passphrase?: Buffer) => Buffer
//   exportPublicKey(handle, 'pem' | 'der') => Buffer
//   releaseKey(handle) => undefined           frees the key now; exports then throw KS_KEY_RELEASED
//   keyCollected(handle) => undefined         the FinalizationRegistry's callback: the KeyPair is gone
#pragma once

#include <napi.h>

#include "../core/keygen.h"

namespace keyscope::binding {

// Hands a generated key to JavaScript: its handle, with its memory reported to V8 so that collection keeps pace.
Napi::Value HandOver(Napi::Env env, KeyPtr key);

Napi::Value ExportPrivateKey(const Napi::CallbackInfo& info);
Napi::Value ExportPublicKey(const Napi::CallbackInfo& info);
Napi::Value ReleaseKey(const Napi::CallbackInfo& info);
Napi::Value KeyCollected(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

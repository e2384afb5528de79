// Per-environment state of the addon (one per Node environment: the main thread and each worker_thread).
#pragma once

#include <napi.h>

#include <memory>
#include <optional>
#include <string>

#include "../core/keygen.h"
#include "key_table.h"

namespace keyscope::binding {

// The algorithm generateKeyPairSync was last asked for, parsed and checked, with a keygen context of its own: a
// loop of sync calls for one algorithm (the common case) skips the parse, the support check and the pool's lock
// and map. Only the environment's JS thread touches it, so it needs no lock.
struct SyncKeygenEntry {
  std::string id;
  bool allow_weak;
  AlgorithmSpec spec;
  std::unique_ptr<KeygenContext> ctx;
};

struct AddonData {
  KeygenContextPool pool;                 // reused keygen contexts for single-key calls
  // Contexts of the seeded library context, made on the first seeded measureKeygen; never used for keys that
  // leave the addon.
  std::unique_ptr<KeygenContextPool> seeded_pool;
  Napi::FunctionReference error_factory;  // (code, message, openssl[]) => KeyscopeError, set by the loader
  std::optional<SyncKeygenEntry> last_sync_keygen;
  KeyTable keys;                          // the keys JavaScript holds, by handle
};

inline AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace keyscope::binding

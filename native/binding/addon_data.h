// Per-environment state of the addon (one per Node environment: the main thread and each worker_thread).
#pragma once

#include <napi.h>

#include <memory>

#include "../core/keygen.h"

namespace keyscope::binding {

struct AddonData {
  KeygenContextPool pool;                 // reused keygen contexts for single-key calls
  // Contexts of the seeded library context, made on the first seeded measureKeygen; never used for keys that
  // leave the addon.
  std::unique_ptr<KeygenContextPool> seeded_pool;
  Napi::FunctionReference error_factory;  // (code, message, openssl[]) => KeyscopeError, set by the loader
  Napi::FunctionReference key_pair_class;
};

inline AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace keyscope::binding

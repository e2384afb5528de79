// A JS object that owns one generated EVP_PKEY and exports it on demand. The key is freed by release() or,
// failing that, when the object is collected.
#pragma once

#include <napi.h>

#include "../core/keygen.h"

namespace keyscope::binding {

class KeyPairHandle : public Napi::ObjectWrap<KeyPairHandle> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  // Takes ownership of the key.
  static Napi::Object Wrap(Napi::Env env, KeyPtr key);

  explicit KeyPairHandle(const Napi::CallbackInfo& info);
  ~KeyPairHandle() override;

 private:
  Napi::Value ExportPrivate(const Napi::CallbackInfo& info);
  Napi::Value ExportPublic(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value IsReleased(const Napi::CallbackInfo& info);
  EVP_PKEY* RequireKey(Napi::Env env) const;
  void Free();

  EVP_PKEY* key_ = nullptr;
  int64_t external_bytes_ = 0;  // reported to V8 so that collection keeps pace with native allocations
};

}  // namespace keyscope::binding

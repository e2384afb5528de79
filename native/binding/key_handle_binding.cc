#include "key_handle_binding.h"

#include "../core/key_export.h"
#include "addon_data.h"
#include "js_errors.h"

namespace keyscope::binding {
namespace {

KeyEncoding ParseEncoding(const Napi::CallbackInfo& info, size_t index) {
  std::string encoding = RequireString(info, index, "encoding");
  if (encoding == "pem") return KeyEncoding::kPem;
  if (encoding == "der") return KeyEncoding::kDer;
  throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "encoding must be \"pem\" or \"der\"", {}});
}

EVP_PKEY* RequireKey(const Napi::CallbackInfo& info) {
  EVP_PKEY* key = GetAddonData(info.Env()).keys.Find(RequireNumber(info, 0, "handle"));
  if (key == nullptr)
    throw ToJsError(info.Env(), Error{"KS_KEY_RELEASED", "the key pair was released and can no longer be exported", {}});
  return key;
}

void GiveBack(Napi::Env env, int64_t external_bytes) {
  if (external_bytes != 0) Napi::MemoryManagement::AdjustExternalMemory(env, -external_bytes);
}

}  // namespace

Napi::Value HandOver(Napi::Env env, KeyPtr key) {
  // What V8 is told a key costs: OpenSSL's structures around it, and the key's own size several times over.
  int64_t external_bytes = 1024 + 4 * static_cast<int64_t>(EVP_PKEY_get_size(key.get()));
  uint32_t handle = GetAddonData(env).keys.Insert(std::move(key), external_bytes);
  Napi::MemoryManagement::AdjustExternalMemory(env, external_bytes);
  return Napi::Number::New(env, handle);
}

Napi::Value ExportPrivateKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = RequireKey(info);
  KeyEncoding encoding = ParseEncoding(info, 1);
  std::string passphrase;
  bool encrypted = info.Length() > 2 && !info[2].IsUndefined();
  if (encrypted) {
    if (!info[2].IsBuffer()) throw ToJsError(env, Error{"KS_INVALID_OPTION", "passphrase must be a Buffer", {}});
    auto buffer = info[2].As<Napi::Buffer<char>>();
    passphrase.assign(buffer.Data(), buffer.Length());
  }
  auto exported = ExportPrivateKey(key, encoding, encrypted ? &passphrase : nullptr);
  OPENSSL_cleanse(passphrase.data(), passphrase.size());
  if (!exported.ok()) throw ToJsError(env, exported.error());
  const std::string& bytes = exported.value().bytes();
  return Napi::Buffer<char>::Copy(env, bytes.data(), bytes.size());
}

Napi::Value ExportPublicKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = RequireKey(info);
  auto exported = ExportPublicKey(key, ParseEncoding(info, 1));
  if (!exported.ok()) throw ToJsError(env, exported.error());
  return Napi::Buffer<char>::Copy(env, exported.value().data(), exported.value().size());
}

Napi::Value ReleaseKey(const Napi::CallbackInfo& info) {
  GiveBack(info.Env(), GetAddonData(info.Env()).keys.Release(RequireNumber(info, 0, "handle")));
  return info.Env().Undefined();
}

Napi::Value KeyCollected(const Napi::CallbackInfo& info) {
  GiveBack(info.Env(), GetAddonData(info.Env()).keys.Collected(RequireNumber(info, 0, "handle")));
  return info.Env().Undefined();
}

}  // namespace keyscope::binding

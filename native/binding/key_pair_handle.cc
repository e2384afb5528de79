#include "key_pair_handle.h"

#include "../core/key_export.h"
#include "addon_data.h"
#include "js_errors.h"

namespace keyscope::binding {
namespace {

KeyEncoding ParseEncoding(const Napi::CallbackInfo& info) {
  std::string encoding = RequireString(info, 0, "encoding");
  if (encoding == "pem") return KeyEncoding::kPem;
  if (encoding == "der") return KeyEncoding::kDer;
  throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "encoding must be \"pem\" or \"der\"", {}});
}

}  // namespace

Napi::Function KeyPairHandle::DefineClass(Napi::Env env) {
  return ObjectWrap<KeyPairHandle>::DefineClass(
      env, "KeyPairHandle",
      {InstanceMethod<&KeyPairHandle::ExportPrivate>("exportPrivate"),
       InstanceMethod<&KeyPairHandle::ExportPublic>("exportPublic"),
       InstanceMethod<&KeyPairHandle::Release>("release"),
       InstanceAccessor<&KeyPairHandle::IsReleased>("released")});
}

Napi::Object KeyPairHandle::Wrap(Napi::Env env, KeyPtr key) {
  return GetAddonData(env).key_pair_class.New({Napi::External<EVP_PKEY>::New(env, key.release())});
}

KeyPairHandle::KeyPairHandle(const Napi::CallbackInfo& info) : ObjectWrap<KeyPairHandle>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "key pairs are made by generateKeyPair()", {}});
  key_ = info[0].As<Napi::External<EVP_PKEY>>().Data();
  external_bytes_ = 1024 + 4 * static_cast<int64_t>(EVP_PKEY_get_size(key_));
  Napi::MemoryManagement::AdjustExternalMemory(info.Env(), external_bytes_);
}

KeyPairHandle::~KeyPairHandle() {
  if (key_ != nullptr) {
    Napi::MemoryManagement::AdjustExternalMemory(Env(), -external_bytes_);
    EVP_PKEY_free(key_);
  }
}

void KeyPairHandle::Free() {
  if (key_ == nullptr) return;
  EVP_PKEY_free(key_);
  key_ = nullptr;
  Napi::MemoryManagement::AdjustExternalMemory(Env(), -external_bytes_);
}

EVP_PKEY* KeyPairHandle::RequireKey(Napi::Env env) const {
  if (key_ == nullptr)
    throw ToJsError(env, Error{"KS_KEY_RELEASED", "the key pair was released and can no longer be exported", {}});
  return key_;
}

Napi::Value KeyPairHandle::ExportPrivate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  KeyEncoding encoding = ParseEncoding(info);
  std::string passphrase;
  bool encrypted = info.Length() > 1 && !info[1].IsUndefined();
  if (encrypted) {
    if (!info[1].IsBuffer())
      throw ToJsError(env, Error{"KS_INVALID_OPTION", "passphrase must be a Buffer", {}});
    auto buffer = info[1].As<Napi::Buffer<char>>();
    passphrase.assign(buffer.Data(), buffer.Length());
  }
  auto exported = ExportPrivateKey(RequireKey(env), encoding, encrypted ? &passphrase : nullptr);
  OPENSSL_cleanse(passphrase.data(), passphrase.size());
  if (!exported.ok()) throw ToJsError(env, exported.error());
  const std::string& bytes = exported.value().bytes();
  return Napi::Buffer<char>::Copy(env, bytes.data(), bytes.size());
}

Napi::Value KeyPairHandle::ExportPublic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto exported = ExportPublicKey(RequireKey(env), ParseEncoding(info));
  if (!exported.ok()) throw ToJsError(env, exported.error());
  return Napi::Buffer<char>::Copy(env, exported.value().data(), exported.value().size());
}

Napi::Value KeyPairHandle::Release(const Napi::CallbackInfo& info) {
  Free();
  return info.Env().Undefined();
}

Napi::Value KeyPairHandle::IsReleased(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), key_ == nullptr);
}

}  // namespace keyscope::binding

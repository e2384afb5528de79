#include "js_errors.h"

#include "addon_data.h"

namespace keyscope::binding {

Napi::Error ToJsError(Napi::Env env, const Error& error) {
  Napi::Array openssl = Napi::Array::New(env, error.openssl.size());
  for (size_t i = 0; i < error.openssl.size(); ++i) {
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("library", error.openssl[i].library);
    entry.Set("reason", error.openssl[i].reason);
    entry.Set("code", static_cast<double>(error.openssl[i].code));
    openssl.Set(i, entry);
  }
  AddonData& data = GetAddonData(env);
  if (data.error_factory.IsEmpty()) {
    Napi::Error plain = Napi::Error::New(env, error.message);
    plain.Set("code", error.code);
    plain.Set("openssl", openssl);
    return plain;
  }
  Napi::Value made = data.error_factory.Call({Napi::String::New(env, error.code),
                                              Napi::String::New(env, error.message), openssl});
  return Napi::Error(env, made);
}

namespace {
[[noreturn]] void ThrowInvalid(Napi::Env env, const char* name, const char* expected) {
  throw ToJsError(env, Error{"KS_INVALID_OPTION", std::string(name) + " must be " + expected, {}});
}
}  // namespace

std::string RequireString(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsString()) ThrowInvalid(info.Env(), name, "a string");
  return info[index].As<Napi::String>().Utf8Value();
}

double RequireNumber(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsNumber()) ThrowInvalid(info.Env(), name, "a number");
  return info[index].As<Napi::Number>().DoubleValue();
}

bool RequireBool(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean()) ThrowInvalid(info.Env(), name, "a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

}  // namespace keyscope::binding

// The addon's entry point: registers the bindings. Only files under native/binding include napi.h.
#include <napi.h>

#include "../core/openssl_info.h"
#include "addon_data.h"
#include "algorithms_binding.h"
#include "analytics_binding.h"
#include "key_handle_binding.h"
#include "keygen_binding.h"
#include "measure_binding.h"
#include "sampler.h"

namespace keyscope::binding {
namespace {

Napi::Value OpenSSLInfoToJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  OpenSSLInfo openssl = GetOpenSSLInfo();
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", openssl.version);
  out.Set("headerVersion", openssl.header_version);
  Napi::Array providers = Napi::Array::New(env, openssl.providers.size());
  for (size_t i = 0; i < openssl.providers.size(); ++i) providers.Set(i, openssl.providers[i]);
  out.Set("providers", providers);
  return out;
}

// The loader hands over the factory that builds KeyscopeError instances, so native errors are real
// instances of the TypeScript classes with their stable codes.
Napi::Value SetErrorFactory(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "setErrorFactory expects a function");
  GetAddonData(info.Env()).error_factory = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);
  exports.Set("setErrorFactory", Napi::Function::New<SetErrorFactory>(env, "setErrorFactory"));
  exports.Set("opensslInfo", Napi::Function::New<OpenSSLInfoToJs>(env, "opensslInfo"));
  exports.Set("listAlgorithms", Napi::Function::New<ListAlgorithms>(env, "listAlgorithms"));
  exports.Set("parseAlgorithm", Napi::Function::New<ParseAlgorithmToJs>(env, "parseAlgorithm"));
  exports.Set("generateKeyPairSync", Napi::Function::New<GenerateKeyPairSync>(env, "generateKeyPairSync"));
  exports.Set("generateKeyPair", Napi::Function::New<GenerateKeyPairAsync>(env, "generateKeyPair"));
  exports.Set("exportPrivateKey", Napi::Function::New<ExportPrivateKey>(env, "exportPrivateKey"));
  exports.Set("exportPublicKey", Napi::Function::New<ExportPublicKey>(env, "exportPublicKey"));
  exports.Set("releaseKey", Napi::Function::New<ReleaseKey>(env, "releaseKey"));
  exports.Set("keyCollected", Napi::Function::New<KeyCollected>(env, "keyCollected"));
  exports.Set("measureKeygen", Napi::Function::New<MeasureKeygenAsync>(env, "measureKeygen"));
  exports.Set("cycleCounter", Napi::Function::New<CycleCounter>(env, "cycleCounter"));
  exports.Set("Sampler", Sampler::DefineClass(env));
  exports.Set("analyticsSpoolOpen", Napi::Function::New<AnalyticsSpoolOpen>(env, "analyticsSpoolOpen"));
  exports.Set("analyticsSpoolSetMask", Napi::Function::New<AnalyticsSpoolSetMask>(env, "analyticsSpoolSetMask"));
  exports.Set("analyticsSpoolClose", Napi::Function::New<AnalyticsSpoolClose>(env, "analyticsSpoolClose"));
  exports.Set("analyticsSpoolSetMeasuring",
              Napi::Function::New<AnalyticsSpoolSetMeasuring>(env, "analyticsSpoolSetMeasuring"));
  exports.Set("analyticsSpoolRecordExport",
              Napi::Function::New<AnalyticsSpoolRecordExport>(env, "analyticsSpoolRecordExport"));
  exports.Set("analyticsSpoolRecordApiFailure",
              Napi::Function::New<AnalyticsSpoolRecordApiFailure>(env, "analyticsSpoolRecordApiFailure"));
  return exports;
}

}  // namespace keyscope::binding

static Napi::Object InitKeyscope(Napi::Env env, Napi::Object exports) { return keyscope::binding::Init(env, exports); }

NODE_API_MODULE(keyscope, InitKeyscope)

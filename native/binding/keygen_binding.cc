#include "keygen_binding.h"

#include "../analytics/recorded_keygen.h"
#include "../core/algorithms.h"
#include "../core/keygen.h"
#include "addon_data.h"
#include "algorithm_arg.h"
#include "js_errors.h"
#include "key_pair_handle.h"
#include "promise_worker.h"

namespace keyscope::binding {
namespace {

class GenerateKeyWorker : public PromiseWorker<KeyPtr> {
 public:
  GenerateKeyWorker(Napi::Env env, keyscope::AlgorithmSpec spec, bool allow_weak)
      : PromiseWorker(env, "keyscope.generateKeyPair"),
        spec_(std::move(spec)),
        allow_weak_(allow_weak),
        pool_(GetAddonData(env).pool) {}

 protected:
  Result<KeyPtr> Run() override {
    return analytics::GenerateKeyRecorded(pool_, spec_, analytics::ApiId::kGenerateKeyPair, allow_weak_);
  }
  Napi::Value ToJs(Napi::Env env, KeyPtr& key) override { return KeyPairHandle::Wrap(env, std::move(key)); }

 private:
  keyscope::AlgorithmSpec spec_;
  bool allow_weak_;
  KeygenContextPool& pool_;
};

}  // namespace

Napi::Value GenerateKeyPairSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  keyscope::AlgorithmSpec spec = RequireSupportedAlgorithm(info, 0, 1);
  bool allow_weak = info[1].As<Napi::Boolean>().Value();  // checked by RequireSupportedAlgorithm
  auto key = analytics::GenerateKeyRecorded(GetAddonData(env).pool, spec, analytics::ApiId::kGenerateKeyPairSync,
                                            allow_weak);
  if (!key.ok()) throw ToJsError(env, key.error());
  return KeyPairHandle::Wrap(env, std::move(key.value()));
}

Napi::Value GenerateKeyPairAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  keyscope::AlgorithmSpec spec = RequireSupportedAlgorithm(info, 0, 1);
  auto* worker = new GenerateKeyWorker(env, std::move(spec), info[1].As<Napi::Boolean>().Value());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace keyscope::binding

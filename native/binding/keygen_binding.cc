#include "keygen_binding.h"

#include "../analytics/recorded_keygen.h"
#include "../core/algorithms.h"
#include "../core/keygen.h"
#include "addon_data.h"
#include "algorithm_arg.h"
#include "js_errors.h"
#include "key_handle_binding.h"
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
  Napi::Value ToJs(Napi::Env env, KeyPtr& key) override { return HandOver(env, std::move(key)); }

 private:
  keyscope::AlgorithmSpec spec_;
  bool allow_weak_;
  KeygenContextPool& pool_;
};

// The entry of the last sync call when this call asks for the same algorithm, else null. Reads the id into a
// stack buffer: no allocation on the path a loop of keys takes.
SyncKeygenEntry* SameAsLastCall(const Napi::CallbackInfo& info, AddonData& data) {
  if (!data.last_sync_keygen || info.Length() < 2 || !info[0].IsString() || !info[1].IsBoolean()) return nullptr;
  char id[48];
  size_t length = 0;
  if (napi_get_value_string_utf8(info.Env(), info[0], id, sizeof id, &length) != napi_ok || length + 1 >= sizeof id)
    return nullptr;
  SyncKeygenEntry& last = *data.last_sync_keygen;
  bool same = std::string_view(id, length) == last.id && info[1].As<Napi::Boolean>().Value() == last.allow_weak;
  return same ? &last : nullptr;
}

// Parses and checks the call's algorithm (throwing as every binding does) and keeps it, with a context, for the
// next call. Null when no context could be made: the pool path then fails the call and records it.
SyncKeygenEntry* RememberForNextCall(AddonData& data, const AlgorithmSpec& spec, bool allow_weak) {
  auto acquired = data.pool.Acquire(spec);
  if (!acquired.ok()) return nullptr;
  if (data.last_sync_keygen) data.pool.Release(data.last_sync_keygen->spec, std::move(data.last_sync_keygen->ctx));
  data.last_sync_keygen.emplace(SyncKeygenEntry{spec.id, allow_weak, spec, std::move(acquired.value())});
  return &*data.last_sync_keygen;
}

}  // namespace

Napi::Value GenerateKeyPairSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = GetAddonData(env);
  constexpr auto api = analytics::ApiId::kGenerateKeyPairSync;
  SyncKeygenEntry* entry = SameAsLastCall(info, data);
  if (entry == nullptr) {
    keyscope::AlgorithmSpec spec = RequireSupportedAlgorithm(info, 0, 1);
    bool allow_weak = info[1].As<Napi::Boolean>().Value();  // checked by RequireSupportedAlgorithm
    entry = RememberForNextCall(data, spec, allow_weak);
    if (entry == nullptr) {
      auto key = analytics::GenerateKeyRecorded(data.pool, spec, api, allow_weak);
      if (!key.ok()) throw ToJsError(env, key.error());
      return HandOver(env, std::move(key.value()));
    }
  }
  auto key = analytics::GenerateKeyRecorded(*entry->ctx, entry->spec, api, entry->allow_weak);
  if (!key.ok()) throw ToJsError(env, key.error());
  return HandOver(env, std::move(key.value()));
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

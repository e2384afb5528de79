#include "algorithms_binding.h"

#include "../core/algorithms.h"
#include "js_errors.h"

namespace keyscope::binding {
namespace {

Napi::Object AlgorithmToJs(Napi::Env env, const keyscope::AlgorithmSpec& spec) {
  const FamilyRow& family = FamilyOf(spec);
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", spec.id);
  out.Set("family", family.name);
  out.Set("bits", spec.bits);
  out.Set("securityBits", spec.security_bits);
  out.Set("usages", spec.row->usages);
  out.Set("weak", spec.weak);
  out.Set("postQuantum", family.post_quantum);
  return out;
}

}  // namespace

Napi::Value ParseAlgorithmToJs(const Napi::CallbackInfo& info) {
  std::string id = RequireString(info, 0, "algorithm");
  bool allow_weak = RequireBool(info, 1, "allowWeak");
  auto parsed = ParseAlgorithm(id, allow_weak);
  if (!parsed.ok()) throw ToJsError(info.Env(), parsed.error());
  return AlgorithmToJs(info.Env(), parsed.value());
}

Napi::Value ListAlgorithms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<keyscope::AlgorithmSpec> specs = ListedAlgorithms();
  Napi::Array out = Napi::Array::New(env, specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    Napi::Object entry = AlgorithmToJs(env, specs[i]);
    std::string reason;
    bool supported = IsSupported(specs[i], &reason);
    entry.Set("supported", supported);
    if (!supported) entry.Set("reason", reason);
    out.Set(i, entry);
  }
  return out;
}

}  // namespace keyscope::binding

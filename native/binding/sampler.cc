#include "sampler.h"

#include "js_errors.h"
#include "to_js.h"

namespace keyscope::binding {

Napi::Function Sampler::DefineClass(Napi::Env env) {
  return ObjectWrap<Sampler>::DefineClass(env, "Sampler",
                                          {InstanceMethod<&Sampler::Begin>("begin"),
                                           InstanceMethod<&Sampler::End>("end"),
                                           InstanceMethod<&Sampler::StartCounters>("startCounters"),
                                           InstanceMethod<&Sampler::StopCounters>("stopCounters"),
                                           InstanceMethod<&Sampler::Take>("take")});
}

Sampler::Sampler(const Napi::CallbackInfo& info) : ObjectWrap<Sampler>(info) {
  const CycleCounterInfo& clock = GetCycleCounter();
  source_ = clock.source;
  has_cycles_ = clock.available;
  double capacity = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (capacity > 0 && capacity <= 1e7) {
    ns_.reserve(static_cast<size_t>(capacity));
    if (has_cycles_) cycles_.reserve(static_cast<size_t>(capacity));
  }
}

Napi::Value Sampler::Begin(const Napi::CallbackInfo& info) {
  start_ = StampBegin(source_);
  return info.Env().Undefined();
}

Napi::Value Sampler::End(const Napi::CallbackInfo& info) {
  Stamp end = StampEnd(source_);
  ns_.push_back(static_cast<double>(end.ns - start_.ns));
  if (has_cycles_) cycles_.push_back(static_cast<double>(end.cycles - start_.cycles));
  return info.Env().Undefined();
}

Napi::Value Sampler::StartCounters(const Napi::CallbackInfo& info) {
  double mask = RequireNumber(info, 0, "counters");
  if (!(mask >= 0 && mask <= 15)) throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "counter mask out of range", {}});
  CounterOptions options = CounterOptions::FromMask(static_cast<unsigned>(mask));
  counters_ = std::make_unique<CounterSession>(options);
  counters_->Start();
  return info.Env().Undefined();
}

Napi::Value Sampler::StopCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!counters_) return Napi::Array::New(env);
  counters_->Stop();
  Napi::Array out = CountersToJs(env, counters_->Readings());
  counters_.reset();
  return out;
}

Napi::Value Sampler::Take(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("ns", ToFloat64Array(env, ns_));
  out.Set("cycles", has_cycles_ ? ToFloat64Array(env, cycles_).As<Napi::Value>() : env.Null());
  ns_.clear();
  cycles_.clear();
  return out;
}

}  // namespace keyscope::binding

#include "to_js.h"

#include <cstring>

namespace keyscope::binding {

Napi::Float64Array ToFloat64Array(Napi::Env env, const std::vector<double>& values) {
  Napi::Float64Array array = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(array.Data(), values.data(), values.size() * sizeof(double));
  return array;
}

Napi::Array CountersToJs(Napi::Env env, const std::vector<CounterReading>& readings) {
  Napi::Array out = Napi::Array::New(env, readings.size());
  for (size_t i = 0; i < readings.size(); ++i) {
    const CounterReading& r = readings[i];
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("name", r.name);
    entry.Set("group", r.group);
    entry.Set("unit", r.unit);
    entry.Set("available", r.available);
    if (r.available) {
      entry.Set("value", r.value);
      entry.Set("scaled", r.scaled);
    } else {
      entry.Set("reason", r.reason);
    }
    out.Set(i, entry);
  }
  return out;
}

Napi::Object CycleCounterToJs(Napi::Env env, const CycleCounterInfo& info) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("available", info.available);
  if (info.available) {
    out.Set("source", info.source_name);
    out.Set("invariant", info.invariant);
    out.Set("frequencyHz", info.frequency_hz);
  }
  out.Set("note", info.note);
  return out;
}

Napi::Object TimerOverheadToJs(Napi::Env env, const TimerOverhead& overhead) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("ns", overhead.ns_median);
  out.Set("cycles", overhead.cycles_median);
  out.Set("samples", static_cast<double>(overhead.samples));
  return out;
}

}  // namespace keyscope::binding

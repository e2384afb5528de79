// Conversions from the core's plain structs to JS values, shared by the measuring bindings.
#pragma once

#include <napi.h>

#include <vector>

#include "../core/counters.h"
#include "../core/cycle_clock.h"
#include "../core/measure.h"

namespace keyscope::binding {

Napi::Float64Array ToFloat64Array(Napi::Env env, const std::vector<double>& values);
Napi::Array CountersToJs(Napi::Env env, const std::vector<CounterReading>& readings);
Napi::Object CycleCounterToJs(Napi::Env env, const CycleCounterInfo& info);
Napi::Object TimerOverheadToJs(Napi::Env env, const TimerOverhead& overhead);

}  // namespace keyscope::binding

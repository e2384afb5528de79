#pragma once

#include <napi.h>

namespace keyscope::binding {

// measureKeygen(id, allowWeak, iterations, timeMs, warmup, counterMask) => Promise<raw measurement>
Napi::Value MeasureKeygenAsync(const Napi::CallbackInfo& info);
// cycleCounter() => { available, source, invariant, frequencyHz, note }
Napi::Value CycleCounter(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

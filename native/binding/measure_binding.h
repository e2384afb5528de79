#pragma once

#include <napi.h>

namespace keyscope::binding {

// measureKeygen(id, allowWeak, iterations, timeMs, warmup, counterMask, seed?, firstKey?) => Promise<raw measurement>
// With a seed, keys come from the seeded library context: key firstKey + i depends on (seed, index) alone.
Napi::Value MeasureKeygenAsync(const Napi::CallbackInfo& info);
// cycleCounter() => { available, source, invariant, frequencyHz, note }
Napi::Value CycleCounter(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding

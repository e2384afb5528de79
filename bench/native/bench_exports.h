// The bench helper addon's parts; bench_addon.cc registers them all on one module.
#pragma once

#include <napi.h>

namespace keyscope_bench {

// bareKeygenLoop, bareKeygenLoopSync, bareKeygenPrepare/Call/Drop (bare_keygen_loop.cc)
void AddBareKeygenLoop(Napi::Env env, Napi::Object exports);
// measureSeeded (seeded_loop.cc)
void AddSeededLoop(Napi::Env env, Napi::Object exports);

}  // namespace keyscope_bench

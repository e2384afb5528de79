// The bench helper addon (build/bench/keyscope_bench.node): tools for benchmarking keyscope itself, never
// shipped. Its own module so that none of it can reach keyscope's published API.
#include <napi.h>

#include "bench_exports.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  keyscope_bench::AddBareKeygenLoop(env, exports);
  keyscope_bench::AddSeededLoop(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(keyscope_bench, Init)

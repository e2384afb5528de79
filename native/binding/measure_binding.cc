#include "measure_binding.h"

#include "../core/measure.h"
#include "../core/seeded_random.h"
#include "addon_data.h"
#include "algorithm_arg.h"
#include "promise_worker.h"
#include "to_js.h"

namespace keyscope::binding {
namespace {

class MeasureWorker : public PromiseWorker<MeasureResult> {
 public:
  MeasureWorker(Napi::Env env, keyscope::AlgorithmSpec spec, MeasureOptions options, KeygenContextPool& pool)
      : PromiseWorker(env, "keyscope.measureKeygen"), spec_(std::move(spec)), options_(options), pool_(pool) {}

 protected:
  Result<MeasureResult> Run() override { return MeasureKeygen(pool_, spec_, options_); }

  Napi::Value ToJs(Napi::Env env, MeasureResult& result) override {
    const CycleCounterInfo& clock = GetCycleCounter();
    Napi::Object out = Napi::Object::New(env);
    out.Set("ns", ToFloat64Array(env, result.ns));
    out.Set("cycles", clock.available ? ToFloat64Array(env, result.cycles).As<Napi::Value>() : env.Null());
    bool search = !result.candidates.empty();
    out.Set("candidates", search ? ToFloat64Array(env, result.candidates).As<Napi::Value>() : env.Null());
    out.Set("rounds", search ? ToFloat64Array(env, result.rounds).As<Napi::Value>() : env.Null());
    out.Set("overhead", TimerOverheadToJs(env, result.overhead));
    out.Set("counters", CountersToJs(env, result.counters));
    out.Set("totalNs", static_cast<double>(result.total_ns));
    out.Set("cycleCounter", CycleCounterToJs(env, clock));
    return out;
  }

 private:
  keyscope::AlgorithmSpec spec_;
  MeasureOptions options_;
  KeygenContextPool& pool_;
};

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1, Number.MAX_SAFE_INTEGER

// Optional whole number from 0 to 2^53 - 1 at `index`; undefined (or absent) means not given.
std::optional<uint64_t> OptionalIndex(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || info[index].IsUndefined()) return std::nullopt;
  double value = RequireNumber(info, index, name);
  if (!(value >= 0 && value <= kMaxSafeInteger && value == static_cast<double>(static_cast<uint64_t>(value))))
    throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", std::string("measureKeygen: ") + name +
                                                               " must be a whole number from 0 to 2^53 - 1", {}});
  return static_cast<uint64_t>(value);
}

// The seeded pool's contexts come from the seeded library context, made here on the first seeded call so that a
// failure to build it rejects the call instead of failing on a worker thread.
KeygenContextPool& SeededPool(Napi::Env env) {
  AddonData& data = GetAddonData(env);
  if (!data.seeded_pool) {
    auto libctx = SeededLibraryContext();
    if (!libctx.ok()) throw ToJsError(env, libctx.error());
    data.seeded_pool = std::make_unique<KeygenContextPool>(libctx.value());
  }
  return *data.seeded_pool;
}

}  // namespace

Napi::Value MeasureKeygenAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  keyscope::AlgorithmSpec spec = RequireSupportedAlgorithm(info, 0, 1);
  MeasureOptions options;
  double iterations = RequireNumber(info, 2, "iterations");
  double time_ms = RequireNumber(info, 3, "timeMs");
  double warmup = RequireNumber(info, 4, "warmup");
  double mask = RequireNumber(info, 5, "counters");
  if (!(mask >= 0 && mask <= 15)) throw ToJsError(env, Error{"KS_INVALID_OPTION", "measureKeygen: counter mask out of range", {}});
  options.counters = CounterOptions::FromMask(static_cast<unsigned>(mask));
  // TypeScript validated these with friendlier messages; this only keeps bad casts out of the core.
  if (!(iterations >= 0 && iterations <= 1e9) || !(time_ms >= 0 && time_ms <= 3.6e6) || !(warmup >= 0 && warmup <= 1e9) ||
      (iterations == 0 && time_ms == 0))
    throw ToJsError(env, Error{"KS_INVALID_OPTION", "measureKeygen: iterations, timeMs or warmup out of range", {}});
  options.iterations = static_cast<uint64_t>(iterations);
  options.time_ms = time_ms;
  options.warmup = static_cast<uint64_t>(warmup);
  std::optional<uint64_t> seed = OptionalIndex(info, 6, "seed");
  std::optional<uint64_t> first_key = OptionalIndex(info, 7, "firstKey");
  if (first_key && !seed)
    throw ToJsError(env, Error{"KS_INVALID_OPTION", "measureKeygen: firstKey needs seed", {}});
  if (seed) options.seeding = Seeding{*seed, first_key.value_or(0)};
  double handicap = info.Length() > 8 && !info[8].IsUndefined() ? RequireNumber(info, 8, "handicap") : 0;
  if (!(handicap >= 0 && handicap <= 1))
    throw ToJsError(env, Error{"KS_INVALID_OPTION", "measureKeygen: handicap out of range", {}});
  options.handicap = handicap;
  KeygenContextPool& pool = seed ? SeededPool(env) : GetAddonData(env).pool;
  auto* worker = new MeasureWorker(env, std::move(spec), options, pool);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value CycleCounter(const Napi::CallbackInfo& info) { return CycleCounterToJs(info.Env(), GetCycleCounter()); }

}  // namespace keyscope::binding

// measureSeeded: the seeded measurement loop of measureKeygen with a handicap, to find out how small a slowdown a
// paired comparison of two seeded runs can detect. With handicapFraction f, every key spins inside its timed
// span for f times its own keygen time, so the "candidate" is slower than the baseline by a known fraction while
// searching exactly the same primes. It lives here, not in the core, so that no published entry point can
// slow keys down.
#include <napi.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../../native/core/algorithms.h"
#include "../../native/core/cycle_clock.h"
#include "../../native/core/keygen.h"
#include "../../native/core/openssl_errors.h"
#include "../../native/core/seeded_random.h"
#include "bench_exports.h"

namespace {

struct SeededRun {
  std::vector<double> ns;
  std::vector<double> candidates;  // RSA only
  std::vector<double> rounds;      // RSA only
};

struct SeededArgs {
  keyscope::AlgorithmSpec spec;
  uint64_t seed = 0;
  uint64_t first_key = 0;
  uint64_t iterations = 0;
  double handicap = 0;
};

// One warm-up key (from the warm-up index domain, as measureKeygen's), then `iterations` timed keys.
keyscope::Result<SeededRun> RunSeeded(const SeededArgs& args) {
  auto libctx = keyscope::SeededLibraryContext();
  if (!libctx.ok()) return libctx.error();
  auto created = keyscope::KeygenContext::Create(args.spec, libctx.value());
  if (!created.ok()) return created.error();
  keyscope::KeygenContext& ctx = *created.value();
  auto stream_failed = [] { return keyscope::DrainOpenSSLErrors("KS_OPENSSL", "selecting a seeded stream failed"); };

  if (!keyscope::SelectKeyStream(ctx.libctx(), args.seed, keyscope::kWarmupKeyDomain)) return stream_failed();
  auto warm = ctx.Generate(nullptr);
  if (!warm.ok()) return warm.error();

  const keyscope::CycleSource source = keyscope::GetCycleCounter().source;
  const bool search = ctx.counts_search_work();
  SeededRun run;
  run.ns.reserve(args.iterations);
  if (search) {
    run.candidates.reserve(args.iterations);
    run.rounds.reserve(args.iterations);
  }
  keyscope::ClearOpenSSLErrors();
  for (uint64_t i = 0; i < args.iterations; ++i) {
    keyscope::SearchWork work;
    if (!keyscope::SelectKeyStream(ctx.libctx(), args.seed, args.first_key + i)) return stream_failed();
    keyscope::Stamp a = keyscope::StampBegin(source);
    EVP_PKEY* key = ctx.GenerateRaw(search ? &work : nullptr);
    if (args.handicap > 0) {
      const uint64_t generated = keyscope::NowNs();
      const uint64_t until = generated + static_cast<uint64_t>(static_cast<double>(generated - a.ns) * args.handicap);
      while (keyscope::NowNs() < until) {
      }
    }
    keyscope::Stamp b = keyscope::StampEnd(source);
    if (key == nullptr) return keyscope::DrainOpenSSLErrors("KS_OPENSSL", "EVP_PKEY_keygen failed for " + args.spec.id);
    EVP_PKEY_free(key);
    run.ns.push_back(static_cast<double>(b.ns - a.ns));
    if (search) {
      run.candidates.push_back(work.candidates);
      run.rounds.push_back(work.rounds);
    }
  }
  return run;
}

Napi::Value ToArrayOrNull(Napi::Env env, const std::vector<double>& values, bool present) {
  if (!present) return env.Null();
  Napi::Float64Array out = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(out.Data(), values.data(), values.size() * sizeof(double));
  return out;
}

class SeededWorker : public Napi::AsyncWorker {
 public:
  SeededWorker(Napi::Env env, SeededArgs args)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    auto result = RunSeeded(args_);
    if (!result.ok()) {
      SetError(result.error().message);
      return;
    }
    run_ = std::move(result.value());
    search_ = args_.spec.row->family == keyscope::Family::kRsa;
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object out = Napi::Object::New(env);
    out.Set("ns", ToArrayOrNull(env, run_.ns, true));
    out.Set("candidates", ToArrayOrNull(env, run_.candidates, search_));
    out.Set("rounds", ToArrayOrNull(env, run_.rounds, search_));
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  SeededArgs args_;
  SeededRun run_;
  bool search_ = false;
};

uint64_t RequireIndex(const Napi::CallbackInfo& info, size_t index, const char* name, double max) {
  double value = info[index].IsNumber() ? info[index].As<Napi::Number>().DoubleValue() : -1;
  if (!(value >= 0 && value <= max && value == std::floor(value)))
    throw Napi::TypeError::New(info.Env(), std::string("measureSeeded: ") + name + " must be a whole number from 0 to " +
                                               std::to_string(static_cast<uint64_t>(max)));
  return static_cast<uint64_t>(value);
}

// measureSeeded(algorithm, seed, firstKey, iterations, handicapFraction)
//   => Promise<{ ns: Float64Array, candidates: Float64Array | null, rounds: Float64Array | null }>
// Runs on a libuv worker thread, as measureKeygen does. RSA below 2048 bits is allowed: this is a bench tool.
Napi::Value MeasureSeeded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "measureSeeded: algorithm must be a string");
  std::string id = info[0].As<Napi::String>().Utf8Value();
  auto parsed = keyscope::ParseAlgorithm(id, true);
  if (!parsed.ok()) throw Napi::Error::New(env, "measureSeeded: " + parsed.error().message);
  std::string reason;
  if (!keyscope::IsSupported(parsed.value(), &reason)) throw Napi::Error::New(env, "measureSeeded: " + reason);
  SeededArgs args;
  args.spec = parsed.value();
  args.seed = RequireIndex(info, 1, "seed", 9007199254740991.0);
  args.first_key = RequireIndex(info, 2, "firstKey", 9007199254740991.0);
  args.iterations = RequireIndex(info, 3, "iterations", 1e7);
  double handicap = info[4].IsNumber() ? info[4].As<Napi::Number>().DoubleValue() : -1;
  if (!(handicap >= 0 && handicap <= 10))
    throw Napi::TypeError::New(env, "measureSeeded: handicapFraction must be a number from 0 to 10");
  args.handicap = handicap;
  auto* worker = new SeededWorker(env, std::move(args));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void keyscope_bench::AddSeededLoop(Napi::Env env, Napi::Object exports) {
  exports.Set("measureSeeded", Napi::Function::New<MeasureSeeded>(env, "measureSeeded"));
}

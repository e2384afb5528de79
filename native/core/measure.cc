#include "measure.h"

#include <algorithm>

#include "openssl_errors.h"
#include "seeded_random.h"

namespace keyscope {
namespace {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  return (*std::max_element(values.begin(), values.begin() + mid) + upper) / 2;
}

// Spins until the time since `begin_ns` is (1 + handicap) times what it was on entry: a slowdown of exactly
// that fraction of the work just done, whatever the work cost.
void SpinHandicap(uint64_t begin_ns, double handicap) {
  const uint64_t worked = NowNs() - begin_ns;
  const uint64_t until = begin_ns + worked + static_cast<uint64_t>(static_cast<double>(worked) * handicap);
  while (NowNs() < until) {
  }
}

}  // namespace

static Result<MeasureResult> MeasureWith(KeygenContext& ctx, const AlgorithmSpec& spec, const MeasureOptions& options);

TimerOverhead MeasureTimerOverhead(uint64_t samples) {
  const CycleCounterInfo& clock = GetCycleCounter();
  std::vector<double> ns, cycles;
  ns.reserve(samples);
  cycles.reserve(samples);
  for (uint64_t i = 0; i < samples; ++i) {
    Stamp a = StampBegin(clock.source);
    asm volatile("" ::: "memory");  // the empty operation: nothing the compiler may move across
    Stamp b = StampEnd(clock.source);
    ns.push_back(static_cast<double>(b.ns - a.ns));
    cycles.push_back(static_cast<double>(b.cycles - a.cycles));
  }
  TimerOverhead overhead;
  overhead.ns_median = Median(std::move(ns));
  overhead.cycles_median = clock.available ? Median(std::move(cycles)) : 0;
  overhead.samples = samples;
  return overhead;
}

Result<MeasureResult> MeasureKeygen(KeygenContextPool& pool, const AlgorithmSpec& spec, const MeasureOptions& options) {
  auto acquired = pool.Acquire(spec);
  if (!acquired.ok()) return acquired.error();
  std::unique_ptr<KeygenContext> owned = std::move(acquired.value());
  Result<MeasureResult> result = MeasureWith(*owned, spec, options);
  pool.Release(spec, std::move(owned));
  return result;
}

static Result<MeasureResult> MeasureWith(KeygenContext& ctx, const AlgorithmSpec& spec, const MeasureOptions& options) {
  const CycleCounterInfo& clock = GetCycleCounter();
  const bool search = ctx.counts_search_work();
  const Seeding* seeding = options.seeding ? &*options.seeding : nullptr;
  if (seeding != nullptr && !IsSeededLibraryContext(ctx.libctx()))
    return Error{"KS_INVALID_OPTION",
                 "seeded measurement of " + spec.id + " needs keygen contexts of the seeded library context", {}};
  // True when unseeded; seeded, false with OpenSSL's errors queued.
  auto select_stream = [&](uint64_t key_index) {
    return seeding == nullptr || SelectKeyStream(ctx.libctx(), seeding->seed, key_index);
  };
  auto stream_failed = [&](uint64_t key_index) {
    return DrainOpenSSLErrors("KS_OPENSSL", "selecting the seeded stream of key " + std::to_string(key_index) +
                                                " for " + spec.id + " failed");
  };

  // Warm-up keys have an index domain of their own: however many there are, measured key j is key first_key + j.
  for (uint64_t i = 0; i < options.warmup; ++i) {
    if (!select_stream(kWarmupKeyDomain | i)) return stream_failed(kWarmupKeyDomain | i);
    auto key = ctx.Generate(nullptr);
    if (!key.ok()) return key.error();
  }

  MeasureResult result;
  const uint64_t limit = options.iterations > 0 ? options.iterations : options.max_iterations;
  const uint64_t reserve = options.iterations > 0 ? options.iterations : std::min<uint64_t>(limit, 1 << 16);
  result.ns.reserve(reserve);
  if (clock.available) result.cycles.reserve(reserve);
  if (search) {
    result.candidates.reserve(reserve);
    result.rounds.reserve(reserve);
  }
  const uint64_t budget_ns = static_cast<uint64_t>(options.time_ms * 1e6);

  CounterSession counters(options.counters);
  ClearOpenSSLErrors();
  counters.Start();
  const uint64_t loop_start = NowNs();
  for (uint64_t i = 0; i < limit; ++i) {
    SearchWork work;
    const uint64_t key_index = seeding != nullptr ? seeding->first_key + i : 0;
    if (!select_stream(key_index)) {
      counters.Stop();
      return stream_failed(key_index);
    }
    Stamp a = StampBegin(clock.source);
    EVP_PKEY* key = ctx.GenerateRaw(search ? &work : nullptr);
    if (options.handicap > 0) SpinHandicap(a.ns, options.handicap);
    Stamp b = StampEnd(clock.source);
    if (key == nullptr) {
      counters.Stop();
      return DrainOpenSSLErrors("KS_OPENSSL", "EVP_PKEY_keygen failed for " + spec.id + " at iteration " +
                                                  std::to_string(i));
    }
    EVP_PKEY_free(key);
    result.ns.push_back(static_cast<double>(b.ns - a.ns));
    if (clock.available) result.cycles.push_back(static_cast<double>(b.cycles - a.cycles));
    if (search) {
      result.candidates.push_back(work.candidates);
      result.rounds.push_back(work.rounds);
    }
    if (options.iterations == 0 && b.ns - loop_start >= budget_ns) break;
  }
  result.total_ns = NowNs() - loop_start;
  counters.Stop();
  result.counters = counters.Readings();
  result.overhead = MeasureTimerOverhead(2'000);
  return result;
}

}  // namespace keyscope

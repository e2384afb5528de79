#include "recorded_keygen.h"

#include "../core/cycle_clock.h"
#include "../core/openssl_errors.h"

namespace keyscope::analytics {

Result<KeyPtr> GenerateKeyAndRecord(KeygenContext& ctx, const AlgorithmSpec& spec, ApiId api, bool allow_weak,
                                    uint32_t mask) {
  int64_t wall_ns = WallClockNs();
  // The span measureKeygen times: the keygen call alone, without the pool or the error queue.
  bool timed = (mask & kScopePerformance) != 0;
  CycleSource source = timed ? PerfSpool::Instance().cycle_source() : CycleSource::kNone;
  ClearOpenSSLErrors();
  Stamp begin = timed ? StampBegin(source) : Stamp{0, 0};
  EVP_PKEY* raw = ctx.GenerateRaw(nullptr);
  Stamp end = timed ? StampEnd(source) : Stamp{0, 0};
  Result<KeyPtr> key = raw != nullptr ? Result<KeyPtr>(KeyPtr(raw)) : DrainOpenSSLErrors("KS_OPENSSL", "EVP_PKEY_keygen failed");
  RecordKeygen(mask, api, spec.id, wall_ns, end.ns - begin.ns, end.cycles - begin.cycles, raw != nullptr, allow_weak);
  return key;
}

Result<KeyPtr> GenerateKeyAndRecord(KeygenContextPool& pool, const AlgorithmSpec& spec, ApiId api, bool allow_weak,
                                    uint32_t mask) {
  auto acquired = pool.Acquire(spec);
  if (!acquired.ok()) {
    RecordKeygen(mask, api, spec.id, WallClockNs(), 0, 0, false, allow_weak);
    return acquired.error();
  }
  std::unique_ptr<KeygenContext> ctx = std::move(acquired.value());
  Result<KeyPtr> key = GenerateKeyAndRecord(*ctx, spec, api, allow_weak, mask);
  pool.Release(spec, std::move(ctx));
  return key;
}

}  // namespace keyscope::analytics

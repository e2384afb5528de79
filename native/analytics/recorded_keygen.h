// One key, recorded into the performance spool when analytics has turned a scope on. Both generate bindings
// (sync on the JS thread, async on a libuv thread) call this, so every generate call that reaches OpenSSL yields
// its records in the same place. The core's GenerateKey stays measurement only; with every scope off this is
// exactly that call.
#pragma once

#include "../core/keygen.h"
#include "analytics_spool.h"

namespace keyscope::analytics {

// The recorded paths, kept out of line so the off paths below stay small.
Result<KeyPtr> GenerateKeyAndRecord(KeygenContext& ctx, const AlgorithmSpec& spec, ApiId api, bool allow_weak,
                                    uint32_t mask);
Result<KeyPtr> GenerateKeyAndRecord(KeygenContextPool& pool, const AlgorithmSpec& spec, ApiId api, bool allow_weak,
                                    uint32_t mask);

// With a context the caller owns (the sync binding keeps one for the algorithm it was last asked for).
inline Result<KeyPtr> GenerateKeyRecorded(KeygenContext& ctx, const AlgorithmSpec& spec, ApiId api,
                                          bool allow_weak) {
  uint32_t mask = ScopeMask();
  if (mask == 0) [[likely]] return ctx.Generate(nullptr);
  return GenerateKeyAndRecord(ctx, spec, api, allow_weak, mask);
}

// With a context from the pool.
inline Result<KeyPtr> GenerateKeyRecorded(KeygenContextPool& pool, const AlgorithmSpec& spec, ApiId api,
                                          bool allow_weak) {
  uint32_t mask = ScopeMask();
  if (mask == 0) [[likely]] return GenerateKey(pool, spec);
  return GenerateKeyAndRecord(pool, spec, api, allow_weak, mask);
}

}  // namespace keyscope::analytics

// The measurement runner: key generations in a tight loop, one sample per key.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "algorithms.h"
#include "counters.h"
#include "cycle_clock.h"
#include "keygen.h"
#include "result.h"

namespace keyscope {

// Seeded mode (seeded_random.h): measured key j draws from the stream of key first_key + j under seed, so
// two runs with the same seed search the same prime candidates key for key.
struct Seeding {
  uint64_t seed = 0;
  uint64_t first_key = 0;
};

struct MeasureOptions {
  uint64_t iterations = 0;       // exact count; 0 means run for time_ms
  double time_ms = 0;            // wall-clock budget when iterations is 0
  uint64_t warmup = 0;           // untimed generations first
  uint64_t max_iterations = 10'000'000;  // caps a time budget's sample memory
  CounterOptions counters;
  std::optional<Seeding> seeding;  // needs a pool on SeededLibraryContext()
  // Bench-only test hook: each key also spins for this fraction of its own generation time, inside the timed
  // region, so that a gate's power can be measured against a slowdown of known size. 0 in every honest run.
  double handicap = 0;
};

// The cost of the timing itself: the same stamps around an empty operation.
struct TimerOverhead {
  double ns_median = 0;
  double cycles_median = 0;
  uint64_t samples = 0;
};

struct MeasureResult {
  std::vector<double> ns;
  std::vector<double> cycles;          // empty when there is no cycle counter
  std::vector<double> candidates;      // RSA only: prime candidates tried per key
  std::vector<double> rounds;          // RSA only: Miller-Rabin rounds per key
  TimerOverhead overhead;
  std::vector<CounterReading> counters;  // totals over the whole timed loop
  uint64_t total_ns = 0;                 // wall time of the timed loop, stamps and frees included
};

// Generates keys with one reused context (as a caller that needs many keys would) on the calling thread.
// Key frees happen outside the timed span but inside the counted loop.
// The context comes from the pool (and goes back to it), so batches of one case reuse a warm context.
// Seeded, each key first restarts the thread's DRBGs on its own stream, outside the timed span.
Result<MeasureResult> MeasureKeygen(KeygenContextPool& pool, const AlgorithmSpec& spec, const MeasureOptions& options);

// The timer overhead alone: `samples` empty timed spans.
TimerOverhead MeasureTimerOverhead(uint64_t samples);

}  // namespace keyscope

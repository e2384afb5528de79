// The two clocks every sample is read from: CLOCK_MONOTONIC nanoseconds and the CPU's cycle counter.
// Reads are inline because they sit on the measured path.
#pragma once

#include <cstdint>
#include <string>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace keyscope {

inline uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

enum class CycleSource { kNone, kRdtscp, kLfenceRdtsc, kCntvct };

// Reads the cycle counter of the given source. RDTSCP waits for earlier instructions to retire and the
// LFENCE after it keeps later ones from starting early, so the same read serves as start and end stamp.
inline uint64_t ReadCycles(CycleSource source) {
#if defined(__x86_64__)
  if (source == CycleSource::kRdtscp) {
    unsigned aux;
    uint64_t t = __rdtscp(&aux);
    _mm_lfence();
    return t;
  }
  if (source == CycleSource::kLfenceRdtsc) {
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
  }
#elif defined(__aarch64__)
  if (source == CycleSource::kCntvct) {
    uint64_t t;
    asm volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(t)::"memory");
    return t;
  }
#endif
  (void)source;
  return 0;
}

// A timed span nests the nanosecond reads inside the cycle reads: the nanosecond span then carries the cost
// of one clock_gettime (about 25 ns on a kvm-clock VM) and the cycle span that of two plus one RDTSCP.
// Nanoseconds are the figure people compare, so they get the tighter bracket.
struct Stamp {
  uint64_t ns;
  uint64_t cycles;
};

inline Stamp StampBegin(CycleSource source) {
  Stamp s;
  s.cycles = ReadCycles(source);
  s.ns = NowNs();
  return s;
}

inline Stamp StampEnd(CycleSource source) {
  Stamp s;
  s.ns = NowNs();
  s.cycles = ReadCycles(source);
  return s;
}

struct CycleCounterInfo {
  bool available = false;
  CycleSource source = CycleSource::kNone;
  std::string source_name;         // "rdtscp", "lfence+rdtsc", "cntvct_el0"
  bool invariant = false;          // ticks at a constant rate whatever the core's frequency
  double frequency_hz = 0;         // calibrated against CLOCK_MONOTONIC
  std::string note;                // how the source was chosen, or why there is none
};

// Detected and calibrated once (about 30 ms on first use), then cached.
const CycleCounterInfo& GetCycleCounter();

}  // namespace keyscope

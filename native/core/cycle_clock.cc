#include "cycle_clock.h"

#include <algorithm>
#include <array>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace keyscope {
namespace {

#if defined(__x86_64__)
bool CpuidBit(unsigned leaf, int bit) {
  unsigned a, b, c, d;
  if (!__get_cpuid(leaf, &a, &b, &c, &d)) return false;
  return (d >> bit) & 1u;
}

// Some hypervisors execute RDTSCP but hide its CPUID bit. Trying the instruction in a forked child tells
// the truth without risking a SIGILL in this process; the child runs nothing but the instruction.
bool RdtscpRunsInChild() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    unsigned aux;
    volatile uint64_t t = __rdtscp(&aux);
    (void)t;
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#endif

double CalibrateHz(CycleSource source) {
  std::array<double, 3> estimates{};
  for (double& estimate : estimates) {
    uint64_t n0 = NowNs(), c0 = ReadCycles(source);
    while (NowNs() - n0 < 10'000'000) {
    }
    uint64_t c1 = ReadCycles(source), n1 = NowNs();
    estimate = static_cast<double>(c1 - c0) * 1e9 / static_cast<double>(n1 - n0);
  }
  std::sort(estimates.begin(), estimates.end());
  return estimates[1];
}

CycleCounterInfo Detect() {
  CycleCounterInfo info;
#if defined(__x86_64__)
  info.invariant = CpuidBit(0x80000007, 8);
  if (CpuidBit(0x80000001, 27)) {
    info.source = CycleSource::kRdtscp;
    info.note = "RDTSCP advertised by CPUID";
  } else if (RdtscpRunsInChild()) {
    info.source = CycleSource::kRdtscp;
    info.note = "CPUID does not advertise RDTSCP (hypervisor), but it executes";
  } else {
    info.source = CycleSource::kLfenceRdtsc;
    info.note = "RDTSCP unavailable; RDTSC fenced by LFENCE on both sides";
  }
  info.source_name = info.source == CycleSource::kRdtscp ? "rdtscp" : "lfence+rdtsc";
  if (!info.invariant) info.note += "; TSC is not invariant, so cycles drift with frequency changes";
#elif defined(__aarch64__)
  info.source = CycleSource::kCntvct;
  info.source_name = "cntvct_el0";
  info.invariant = true;  // the generic timer runs at a fixed frequency by architecture
  info.note = "ARM generic timer (virtual count)";
#else
  info.note = "no usable cycle counter on this architecture";
  return info;
#endif
  info.available = true;
  info.frequency_hz = CalibrateHz(info.source);
  return info;
}

}  // namespace

const CycleCounterInfo& GetCycleCounter() {
  static const CycleCounterInfo info = Detect();
  return info;
}

}  // namespace keyscope

// Counters around a measured region: a perf_event_open group of hardware events, one of software events,
// getrusage for the calling thread, and memory (RSS, peak RSS, malloc heap). Every counter comes back as a
// value or as unavailable with the reason; a counter the kernel refuses never turns into a zero.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace keyscope {

struct CounterReading {
  std::string name;    // "cycles", "task-clock", "rusage-user-time", "rss-before", ...
  std::string group;   // "hardware", "software", "rusage", "memory"
  std::string unit;    // "count", "ns", "bytes"
  bool available = false;
  double value = 0;
  bool scaled = false;  // multiplexed: value = raw * time_enabled / time_running
  std::string reason;   // why it is unavailable
};

struct CounterOptions {
  bool hardware = true;
  bool software = true;
  bool rusage = true;
  bool memory = true;

  // The binding's encoding: 1 hardware, 2 software, 4 rusage, 8 memory.
  static CounterOptions FromMask(unsigned mask) {
    return {(mask & 1u) != 0, (mask & 2u) != 0, (mask & 4u) != 0, (mask & 8u) != 0};
  }
};

// Opens its counters on construction for the calling thread: construct, Start() and Stop() on the thread
// that runs the measured code.
class CounterSession {
 public:
  explicit CounterSession(const CounterOptions& options);
  ~CounterSession();
  CounterSession(const CounterSession&) = delete;
  CounterSession& operator=(const CounterSession&) = delete;

  void Start();
  void Stop();
  std::vector<CounterReading> Readings() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyscope

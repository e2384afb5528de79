#include "counters.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
// From the ASan runtime (sanitizer/allocator_interface.h, which Debian's gcc does not ship).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

#if defined(__linux__)
#include <linux/perf_event.h>
#include <malloc.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#endif

namespace keyscope {
namespace {

struct EventSpec {
  const char* name;
  uint32_t type;
  uint64_t config;
  const char* unit;
};

#if defined(__linux__)
constexpr EventSpec kHardwareEvents[] = {
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "count"},
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "count"},
    {"branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, "count"},
    {"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "count"},
};
constexpr EventSpec kSoftwareEvents[] = {
    {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "ns"},
    {"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "count"},
    {"context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, "count"},
    {"cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, "count"},
};

std::string ParanoidLevel() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  std::string level;
  return (in >> level) ? level : "unknown";
}

std::string PerfErrorReason(int err) {
  std::string text = std::string(strerrordesc_np(err)) + " (" + strerrorname_np(err) + ")";
  switch (err) {
    case ENOENT:
    case EOPNOTSUPP:
      return "the CPU or hypervisor does not expose this event: " + text;
    case EACCES:
    case EPERM:
      return "not permitted (kernel.perf_event_paranoid=" + ParanoidLevel() + "): " + text;
    case ENOSYS:
      return "perf_event_open is not available in this kernel: " + text;
    default:
      return "perf_event_open failed: " + text;
  }
}

int OpenEvent(const EventSpec& spec, int group_fd, bool exclude_kernel) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = spec.type;
  attr.config = spec.config;
  attr.disabled = group_fd == -1 ? 1 : 0;  // the leader starts the whole group
  attr.exclude_hv = 1;
  attr.exclude_kernel = exclude_kernel ? 1 : 0;
  attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, 0 /* this thread */, -1, group_fd, 0));
}

// One perf_event_open group: its events are scheduled together, so their ratios are consistent.
class PerfGroup {
 public:
  PerfGroup(const char* group_name, const EventSpec* specs, size_t count) : group_name_(group_name) {
    for (size_t i = 0; i < count; ++i) members_.push_back({specs[i], -1, ""});
    // Count kernel work too where allowed; unprivileged users under paranoid=2 get user space only.
    for (bool exclude_kernel : {false, true}) {
      int fd = OpenEvent(members_[0].spec, -1, exclude_kernel);
      if (fd >= 0) {
        members_[0].fd = fd;
        exclude_kernel_ = exclude_kernel;
        break;
      }
      members_[0].reason = PerfErrorReason(errno);
      if (errno != EACCES && errno != EPERM) break;
    }
    for (size_t i = 1; i < members_.size(); ++i) {
      if (members_[0].fd < 0) {
        members_[i].reason = "group leader '" + std::string(members_[0].spec.name) +
                             "' unavailable: " + members_[0].reason;
        continue;
      }
      members_[i].fd = OpenEvent(members_[i].spec, members_[0].fd, exclude_kernel_);
      if (members_[i].fd < 0) members_[i].reason = PerfErrorReason(errno);
    }
  }

  ~PerfGroup() {
    for (auto& m : members_)
      if (m.fd >= 0) close(m.fd);
  }

  void Start() {
    read_error_.clear();
    for (auto& m : members_) {
      m.value = 0;
      m.scaled = false;
      m.fd_counted = false;
      m.not_scheduled = false;
    }
    if (members_[0].fd < 0) return;
    ioctl(members_[0].fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
    ioctl(members_[0].fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
  }

  void Stop() {
    if (members_[0].fd < 0) return;
    ioctl(members_[0].fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
    // Layout for PERF_FORMAT_GROUP: nr, time_enabled, time_running, then one value per open member.
    uint64_t buffer[3 + 8] = {};  // nr, enabled, running, then up to 8 member values
    ssize_t n = read(members_[0].fd, buffer, sizeof buffer);
    if (n < static_cast<ssize_t>(3 * sizeof(uint64_t))) {
      read_error_ = "reading the perf group failed: " + std::string(strerrordesc_np(errno));
      return;
    }
    uint64_t nr = buffer[0], enabled = buffer[1], running = buffer[2];
    size_t slot = 0;
    for (auto& m : members_) {
      if (m.fd < 0 || slot >= nr) continue;
      uint64_t raw = buffer[3 + slot++];
      if (running == 0) {
        m.not_scheduled = true;
        continue;
      }
      m.fd_counted = true;
      m.scaled = running < enabled;
      m.value = m.scaled ? static_cast<double>(raw) * static_cast<double>(enabled) / static_cast<double>(running)
                         : static_cast<double>(raw);
    }
  }

  void AppendReadings(std::vector<CounterReading>& out) const {
    for (const auto& m : members_) {
      CounterReading r;
      r.name = m.spec.name;
      r.group = group_name_;
      r.unit = m.spec.unit;
      if (m.fd >= 0 && m.fd_counted && read_error_.empty()) {
        r.available = true;
        r.value = m.value;
        r.scaled = m.scaled;
      } else if (m.fd >= 0) {
        r.reason = !read_error_.empty() ? read_error_
                   : m.not_scheduled    ? "the group was never scheduled on the PMU (multiplexed out)"
                                        : "counter was not read";
      } else {
        r.reason = m.reason;
      }
      out.push_back(std::move(r));
    }
  }

 private:
  struct Member {
    EventSpec spec;
    int fd;
    std::string reason;
    double value = 0;
    bool scaled = false;
    bool fd_counted = false;
    bool not_scheduled = false;
  };
  std::string group_name_;
  std::vector<Member> members_;
  bool exclude_kernel_ = false;
  std::string read_error_;
};

// Reads "VmRSS:" or "VmHWM:" (kB) from /proc/self/status.
bool ReadStatusBytes(const char* key, double* bytes) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t key_len = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, key_len, key) == 0) {
      std::istringstream fields(line.substr(key_len));
      double kb;
      if (!(fields >> kb)) return false;
      *bytes = kb * 1024;
      return true;
    }
  }
  return false;
}

// Bytes the C heap has handed out and not yet taken back. Under AddressSanitizer malloc is ASan's own
// allocator, which glibc's mallinfo2 cannot see, so ask ASan instead.
double HeapInUse() {
#if defined(__SANITIZE_ADDRESS__)
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
  struct mallinfo2 mi = mallinfo2();
  return static_cast<double>(mi.uordblks + mi.hblkhd);
#endif
}

// Resets the process's peak RSS to its current RSS so that the peak covers only the measured region.
bool ResetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  bool ok = std::fputs("5", f) >= 0;
  return (std::fclose(f) == 0) && ok;
}
#endif

double TimevalNs(const timeval& tv) { return tv.tv_sec * 1e9 + tv.tv_usec * 1e3; }

CounterReading Available(const char* name, const char* group, const char* unit, double value) {
  CounterReading r;
  r.name = name;
  r.group = group;
  r.unit = unit;
  r.available = true;
  r.value = value;
  return r;
}

CounterReading Unavailable(const char* name, const char* group, const char* unit, std::string reason) {
  CounterReading r;
  r.name = name;
  r.group = group;
  r.unit = unit;
  r.reason = std::move(reason);
  return r;
}

#if defined(__linux__)
// perf events count the thread that opened them, and closing one can wait out an RCU grace period
// (milliseconds on these VMs). So each thread opens its groups once and keeps them; a session only resets,
// enables and reads them. A thread runs one measurement at a time, so a session owns them while it lives.
struct ThreadPerfGroups {
  std::unique_ptr<PerfGroup> hardware;
  std::unique_ptr<PerfGroup> software;
};

ThreadPerfGroups& PerfGroupsOfThisThread() {
  thread_local ThreadPerfGroups groups;
  return groups;
}
#endif
}  // namespace

struct CounterSession::State {
  CounterOptions options;
#if defined(__linux__)
  PerfGroup* hardware = nullptr;
  PerfGroup* software = nullptr;
#endif
  rusage usage_before{}, usage_after{};
  bool rusage_ok = false;
  double rss_before = -1, rss_after = -1, peak_rss = -1;
  bool peak_reset = false;
  double heap_before = -1, heap_after = -1;
};

CounterSession::CounterSession(const CounterOptions& options) : state_(new State) {
  state_->options = options;
#if defined(__linux__)
  ThreadPerfGroups& groups = PerfGroupsOfThisThread();
  if (options.hardware) {
    if (!groups.hardware) groups.hardware.reset(new PerfGroup("hardware", kHardwareEvents, 4));
    state_->hardware = groups.hardware.get();
  }
  if (options.software) {
    if (!groups.software) groups.software.reset(new PerfGroup("software", kSoftwareEvents, 4));
    state_->software = groups.software.get();
  }
#endif
}

CounterSession::~CounterSession() = default;

void CounterSession::Start() {
  State& s = *state_;
#if defined(__linux__)
  if (s.options.memory) {
    ReadStatusBytes("VmRSS:", &s.rss_before);
    s.peak_reset = ResetPeakRss();
    s.heap_before = HeapInUse();
  }
  if (s.options.rusage) s.rusage_ok = getrusage(RUSAGE_THREAD, &s.usage_before) == 0;
  if (s.software) s.software->Start();
  if (s.hardware) s.hardware->Start();
#endif
}

void CounterSession::Stop() {
  State& s = *state_;
#if defined(__linux__)
  if (s.hardware) s.hardware->Stop();
  if (s.software) s.software->Stop();
  if (s.options.rusage) s.rusage_ok = s.rusage_ok && getrusage(RUSAGE_THREAD, &s.usage_after) == 0;
  if (s.options.memory) {
    ReadStatusBytes("VmRSS:", &s.rss_after);
    ReadStatusBytes("VmHWM:", &s.peak_rss);
    s.heap_after = HeapInUse();
  }
#endif
}

std::vector<CounterReading> CounterSession::Readings() const {
  const State& s = *state_;
  std::vector<CounterReading> out;
#if defined(__linux__)
  if (s.hardware) s.hardware->AppendReadings(out);
  if (s.software) s.software->AppendReadings(out);
  if (s.options.rusage) {
    const rusage &a = s.usage_before, &b = s.usage_after;
    if (s.rusage_ok) {
      out.push_back(Available("user-time", "rusage", "ns", TimevalNs(b.ru_utime) - TimevalNs(a.ru_utime)));
      out.push_back(Available("system-time", "rusage", "ns", TimevalNs(b.ru_stime) - TimevalNs(a.ru_stime)));
      out.push_back(Available("minor-faults", "rusage", "count", double(b.ru_minflt - a.ru_minflt)));
      out.push_back(Available("major-faults", "rusage", "count", double(b.ru_majflt - a.ru_majflt)));
      out.push_back(Available("voluntary-switches", "rusage", "count", double(b.ru_nvcsw - a.ru_nvcsw)));
      out.push_back(Available("involuntary-switches", "rusage", "count", double(b.ru_nivcsw - a.ru_nivcsw)));
    } else {
      for (const char* name : {"user-time", "system-time", "minor-faults", "major-faults", "voluntary-switches",
                               "involuntary-switches"})
        out.push_back(Unavailable(name, "rusage", "count", "getrusage(RUSAGE_THREAD) failed"));
    }
  }
  if (s.options.memory) {
    auto memory = [&](const char* name, double value, const char* why) {
      out.push_back(value >= 0 ? Available(name, "memory", "bytes", value) : Unavailable(name, "memory", "bytes", why));
    };
    memory("rss-before", s.rss_before, "/proc/self/status has no VmRSS");
    memory("rss-after", s.rss_after, "/proc/self/status has no VmRSS");
    memory("peak-rss", s.peak_reset ? s.peak_rss : -1,
           "the peak RSS could not be reset for this region (/proc/self/clear_refs), so it would cover the "
           "whole process");
    memory("heap-before", s.heap_before, "mallinfo2 unavailable");
    memory("heap-after", s.heap_after, "mallinfo2 unavailable");
  }
#else
  out.push_back(Unavailable("counters", "software", "count", "counters are implemented for Linux only"));
#endif
  return out;
}

}  // namespace keyscope

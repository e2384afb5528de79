#include "analytics_spool.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/algorithms.h"

namespace keyscope::analytics {

// One mapped segment file. `next` hands out slots; `done` counts the slots whose writer has finished, so the
// thread that retires the segment knows when it may seal and unmap it.
class Segment {
 public:
  SpoolHeader* header = nullptr;
  SpoolRecord* records = nullptr;
  size_t bytes = 0;
  uint64_t capacity = 0;
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> done{0};
};

namespace detail {
std::atomic<uint32_t> scope_mask{0};
}  // namespace detail

namespace {

// Past any capacity: a claim after retirement lands here and retries on the current segment.
constexpr uint64_t kRetired = uint64_t{1} << 62;

void CopyPadded(char* out, size_t size, std::string_view text) {
  size_t n = text.size() < size ? text.size() : size;
  std::memcpy(out, text.data(), n);
  std::memset(out + n, 0, size - n);
}

std::string ErrnoText(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

// mkdir -p with 0700 for every directory it creates.
bool MakeDirs(const std::string& dir, std::string* error) {
  if (dir.empty()) {
    *error = "the spool directory is empty";
    return false;
  }
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    std::string prefix = dir.substr(0, i);
    if (mkdir(prefix.c_str(), 0700) == 0 || errno == EEXIST) continue;
    *error = ErrnoText("cannot create", prefix);
    return false;
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    *error = ErrnoText("cannot use", dir);
    return false;
  }
  return true;
}

}  // namespace

int64_t WallClockNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

SpoolRecord MakeRecord(RecordKind kind, ApiId api, int64_t time_ns, std::string_view algorithm, bool ok,
                       uint8_t flags) {
  SpoolRecord record{};
  record.kind = static_cast<uint16_t>(kind);
  record.api = static_cast<uint16_t>(api);
  record.time_ns = time_ns;
  record.outcome = ok ? 0 : 1;
  record.flags = flags;
  // One byte short of the field, so a reader always finds a NUL.
  CopyPadded(record.algorithm, sizeof(record.algorithm) - 1, algorithm);
  return record;
}

PerfSpool& PerfSpool::Instance() {
  // Never destroyed: libuv threads may still append while static destructors run at exit.
  static PerfSpool* spool = new PerfSpool();
  return *spool;
}

PerfSpool::PerfSpool() {
  pthread_atfork(nullptr, nullptr, &PerfSpool::AfterForkInChild);
}

// A forked child must not write into its parent's segment: it forgets it (the mapping is the parent's to seal)
// and opens its own, named after its own pid, on its next record.
void PerfSpool::AfterForkInChild() {
  PerfSpool& spool = Instance();
  new (&spool.mutex_) std::mutex();  // another thread may have held it at the fork; none exists in the child
  spool.current_.store(nullptr, std::memory_order_relaxed);
  spool.pid_ = 0;
  spool.next_seq_ = 0;
  spool.next_capacity_ = spool.options_.first_segment_records;
}

uint64_t PerfSpool::Open(SpoolOptions options, SpoolFailureHook on_failure) {
  // Detected and calibrated (about 30 ms, once per process) here on the opening thread, never on the hot path.
  const CycleCounterInfo& counter = GetCycleCounter();
  cycle_source_.store(counter.available ? counter.source : CycleSource::kNone, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mutex_);
  if (Segment* segment = current_.load(std::memory_order_acquire)) RetireLocked(segment);
  if (options.first_segment_records == 0) options.first_segment_records = kFirstSegmentRecords;
  if (options.max_segment_records < options.first_segment_records)
    options.max_segment_records = options.first_segment_records;
  options_ = std::move(options);
  on_failure_ = std::move(on_failure);
  burst_threshold_.store(options_.burst_threshold, std::memory_order_relaxed);
  next_capacity_ = options_.first_segment_records;
  requested_mask_ = 0;
  detail::scope_mask.store(0, std::memory_order_relaxed);
  open_ = true;
  failed_ = false;
  return ++generation_;
}

void PerfSpool::SetScopeMask(uint64_t generation, uint32_t mask) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation != generation_ || !open_ || failed_) return;
  requested_mask_ = mask;
  detail::scope_mask.store(measuring_ ? 0 : mask, std::memory_order_relaxed);
}

void PerfSpool::SetMeasuring(bool measuring) {
  std::lock_guard<std::mutex> lock(mutex_);
  measuring_ = measuring;
  detail::scope_mask.store(measuring_ ? 0 : requested_mask_, std::memory_order_relaxed);
}

void PerfSpool::Close(uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation != generation_ || !open_) return;
  requested_mask_ = 0;
  detail::scope_mask.store(0, std::memory_order_relaxed);
  open_ = false;
  on_failure_ = nullptr;
  if (Segment* segment = current_.load(std::memory_order_acquire)) RetireLocked(segment);
}

void PerfSpool::ForgetFailureHook(uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation == generation_) on_failure_ = nullptr;
}

void PerfSpool::Append(const SpoolRecord* records, uint32_t count) {
  while (count > 0) {
    Segment* segment = current_.load(std::memory_order_acquire);
    if (segment == nullptr) {
      segment = OpenFirstSegment();
      if (segment == nullptr) return;  // closed or failed: analytics is off
    }
    uint64_t first = segment->next.fetch_add(count, std::memory_order_relaxed);
    uint64_t fit = first >= segment->capacity ? 0 : std::min<uint64_t>(count, segment->capacity - first);
    for (uint64_t i = 0; i < fit; ++i) {
      SpoolRecord* slot = segment->records + first + i;
      // Every field but the commit word, then the commit word with release order: a reader (or the page cache
      // after a kill) sees either a whole record or no record.
      std::memcpy(reinterpret_cast<char*>(slot) + sizeof(uint32_t),
                  reinterpret_cast<const char*>(records + i) + sizeof(uint32_t),
                  sizeof(SpoolRecord) - sizeof(uint32_t));
      std::atomic_ref<uint32_t>(slot->commit).store(kRecordCommitted, std::memory_order_release);
    }
    if (fit > 0) segment->done.fetch_add(fit, std::memory_order_release);
    if (fit == count) return;
    records += fit;
    count -= static_cast<uint32_t>(fit);
    Rotate(segment);
  }
}

uint32_t PerfSpool::CountBurstKey(int64_t time_ns) {
  uint64_t second = static_cast<uint64_t>(time_ns / 1000000000);
  uint64_t current = burst_.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    uint64_t counted_second = current >> 32;
    if (second < counted_second) return 0;  // a key from a second already over (threads racing at the edge)
    next = second == counted_second ? current + 1 : (second << 32) | 1u;
  } while (!burst_.compare_exchange_weak(current, next, std::memory_order_relaxed));
  uint32_t count = static_cast<uint32_t>(next);
  return count == burst_threshold_.load(std::memory_order_relaxed) ? count : 0;
}

Segment* PerfSpool::OpenFirstSegment() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Segment* segment = current_.load(std::memory_order_acquire)) return segment;
  if (!open_ || failed_) return nullptr;
  std::string error;
  Segment* segment = OpenSegmentLocked(&error);
  if (segment == nullptr) FailLocked(error);
  return segment;
}

// Whoever reaches the mutex first swaps the full segment for the next; the others find it done and retry.
void PerfSpool::Rotate(Segment* full) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_.load(std::memory_order_acquire) != full) return;
  RetireLocked(full);
  if (!open_ || failed_) return;
  std::string error;
  if (OpenSegmentLocked(&error) == nullptr) FailLocked(error);
}

void PerfSpool::RetireLocked(Segment* segment) {
  current_.store(nullptr, std::memory_order_release);
  // No claim after this lands inside the segment; wait for the writers of the slots already claimed.
  uint64_t claimed = segment->next.exchange(kRetired, std::memory_order_acq_rel);
  uint64_t written = std::min(claimed, segment->capacity);
  while (segment->done.load(std::memory_order_acquire) < written) std::this_thread::yield();
  std::atomic_ref<uint32_t>(segment->header->sealed).store(1, std::memory_order_release);
  munmap(segment->header, segment->bytes);
  segment->header = nullptr;
  segment->records = nullptr;
}

Segment* PerfSpool::OpenSegmentLocked(std::string* error) {
  if (!MakeDirs(options_.dir, error)) return nullptr;
  uint32_t pid = static_cast<uint32_t>(getpid());
  if (pid != pid_) {
    pid_ = pid;
    start_ms_ = WallClockNs() / 1000000;
    next_seq_ = 0;
  }
  uint64_t capacity = next_capacity_;
  std::string name = "perf-" + std::to_string(pid_) + "-" + std::to_string(start_ms_) + "-" +
                     std::to_string(next_seq_) + ".bin";
  std::string path = options_.dir + "/" + name;
  // Built under a hidden name and renamed when whole, so a reader never sees a file without its header.
  std::string temp = options_.dir + "/." + name + ".tmp";
  int fd = open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = ErrnoText("cannot create", temp);
    return nullptr;
  }
  size_t bytes = sizeof(SpoolHeader) + capacity * sizeof(SpoolRecord);
  void* base = MAP_FAILED;
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    *error = ErrnoText("cannot size", temp);
  } else {
    base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) *error = ErrnoText("cannot map", temp);
  }
  close(fd);  // the mapping keeps the file
#ifdef MADV_POPULATE_WRITE
  // Faulting the pages in one call costs about a quarter less than first-touching them one by one on the hot
  // path (and nothing where the kernel lacks it: the call then fails harmlessly).
  if (base != MAP_FAILED) madvise(base, bytes, MADV_POPULATE_WRITE);
#endif
  if (base == MAP_FAILED) {
    unlink(temp.c_str());
    return nullptr;
  }
  auto* header = static_cast<SpoolHeader*>(base);
  std::memcpy(header->magic, kSpoolMagic, sizeof(kSpoolMagic));
  header->version = kSpoolFormatVersion;
  header->record_size = sizeof(SpoolRecord);
  header->capacity = static_cast<uint32_t>(capacity);
  header->pid = pid_;
  header->created_ms = WallClockNs() / 1000000;
  CopyPadded(header->install_id, sizeof(header->install_id), options_.install_id);
  CopyPadded(header->session_id, sizeof(header->session_id), options_.session_id);
  CopyPadded(header->keyscope_version, sizeof(header->keyscope_version), options_.keyscope_version);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    *error = ErrnoText("cannot rename", temp);
    munmap(base, bytes);
    unlink(temp.c_str());
    return nullptr;
  }
  auto segment = std::make_unique<Segment>();
  segment->header = header;
  segment->records = reinterpret_cast<SpoolRecord*>(static_cast<char*>(base) + sizeof(SpoolHeader));
  segment->bytes = bytes;
  segment->capacity = capacity;
  ++next_seq_;
  next_capacity_ = static_cast<uint32_t>(std::min<uint64_t>(capacity * 4, options_.max_segment_records));
  Segment* raw = segment.get();
  segments_.push_back(std::move(segment));
  current_.store(raw, std::memory_order_release);
  return raw;
}

void PerfSpool::FailLocked(const std::string& reason) {
  failed_ = true;
  requested_mask_ = 0;
  detail::scope_mask.store(0, std::memory_order_relaxed);
  if (on_failure_) {
    SpoolFailureHook hook = std::move(on_failure_);
    on_failure_ = nullptr;
    hook("analytics performance spool turned off: " + reason);
  }
}

void RecordKeygen(uint32_t mask, ApiId api, std::string_view algorithm, int64_t time_ns, uint64_t duration_ns,
                  uint64_t cycles, bool ok, bool allow_weak) {
  PerfSpool& spool = PerfSpool::Instance();
  SpoolRecord records[2];
  uint32_t count = 0;
  uint8_t weak = allow_weak ? kFlagAllowWeak : 0;
  if (mask & kScopePerformance) {
    SpoolRecord& timing = records[count++];
    uint8_t flags = weak | ((mask & kScopeUsage) ? kFlagApiCall : 0);
    timing = MakeRecord(RecordKind::kKeygenTiming, api, time_ns, algorithm, ok, flags);
    timing.duration_ns = duration_ns;
    timing.cycles = cycles;
  } else if (mask & kScopeUsage) {
    records[count++] = MakeRecord(RecordKind::kApiCall, api, time_ns, algorithm, ok, weak);
  }
  if ((mask & kScopeSecurity) && ok) {
    if (uint32_t keys = spool.CountBurstKey(time_ns)) {
      SpoolRecord& burst = records[count++];
      // Stamped with the start of the second it describes.
      burst = MakeRecord(RecordKind::kBurst, api, time_ns - time_ns % 1000000000, algorithm, true, 0);
      burst.count = keys;
    }
  }
  if (count > 0) spool.Append(records, count);
}

void RecordApiCall(ApiId api, const std::string* algorithm, bool ok, uint8_t flags) {
  PerfSpool& spool = PerfSpool::Instance();
  if (!(ScopeMask() & kScopeUsage)) return;
  std::string id = kInvalidAlgorithm;
  if (algorithm != nullptr) {
    // allow_weak: a weak RSA size is still a valid id (the call was refused for it, which is worth counting).
    auto parsed = ParseAlgorithm(*algorithm, true);
    if (parsed.ok()) id = parsed.value().id;
  }
  SpoolRecord record = MakeRecord(RecordKind::kApiCall, api, WallClockNs(), id, ok, flags);
  spool.Append(&record, 1);
}

}  // namespace keyscope::analytics

// The performance spool: per-process, fixed-size binary records in a memory-mapped file (MAP_SHARED).
//
// Why: analytics with every scope on must cost under 2% of an ed25519 key (~25 us), and a kill -9 may lose at
// most the event being written. A write(2) per event costs 2-5 us; a batch in memory dies with the process.
// A store into a shared file mapping costs nanoseconds and lives in the page cache once the store is done, so
// the kernel writes it out even if the process is killed the next instant.
//
// Plain C++ (no Node-API), above the measurement core, which knows nothing of it: the binding turns it on and
// off, and the recorded keygen path (recorded_keygen.h) and the binding's export records append to it.
//
// File layout (little-endian; the TypeScript reader, src/analytics/spool/binary-segment.ts, mirrors it):
//   [SpoolHeader: 256 bytes][SpoolRecord: 64 bytes] x capacity
// A segment is named  perf-<pid>-<startMs>-<seq>.bin  in the spool directory. When one is full the writer
// seals it (header.sealed = 1) and opens the next seq. Close seals too. A reader takes every record whose
// `commit` equals kRecordCommitted, in order, and stops at the first that does not (not yet written, or torn
// by a kill mid-record: that one record is the only loss).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "../core/cycle_clock.h"

namespace keyscope::analytics {

constexpr char kSpoolMagic[8] = {'K', 'S', 'P', 'E', 'R', 'F', '0', '1'};
constexpr uint32_t kSpoolFormatVersion = 1;
constexpr uint32_t kRecordCommitted = 0x4B53524Du;  // "MRSK": set last, with release order
constexpr uint32_t kDefaultSegmentRecords = 65536;    // 4 MiB a segment

// Which scopes the recorder has turned on in the native layer (bit per scope).
enum ScopeBit : uint32_t {
  kScopeUsage = 1u << 0,
  kScopePerformance = 1u << 1,
  kScopeSecurity = 1u << 3,
};

enum class RecordKind : uint16_t {
  kApiCall = 1,      // usage: an API call (generateKeyPairSync, generateKeyPair, exportPrivateKey, ...)
  kKeygenTiming = 2, // performance: one key generation's duration and cycles
  kBurst = 3,        // security: more than the burst threshold of keys in one second
};

// Which API a record comes from (names in src/analytics/events/types.ts `apiNames`, same order).
enum class ApiId : uint16_t {
  kGenerateKeyPairSync = 0,
  kGenerateKeyPair = 1,
  kExportPrivateKey = 2,
  kExportPublicKey = 3,
};

enum RecordFlag : uint8_t {
  kFlagAllowWeak = 1u << 0,  // the caller passed allowWeak
  kFlagEncrypted = 1u << 1,  // exportPrivateKey with a passphrase
  // bits 2-3: export format (0 none, 1 pem, 2 der, 3 jwk); with bit 5 set, 4 + those bits (4 openssh). Bit 5
  // came later: a record without it reads as it always did.
  // A kKeygenTiming record that also stands for the call's api.call (usage and performance both on): one
  // record a key instead of two. Each new page of the mapping costs ~10 us on first touch on a VM, i.e. ~170 ns
  // a record, the largest part of the budget; the reader emits the api.call event first, then the timing.
  kFlagApiCall = 1u << 4,
  kFlagFormatHigh = 1u << 5,  // the export format's third bit (see bits 2-3)
};

struct SpoolHeader {          // 256 bytes
  char magic[8];              // kSpoolMagic
  uint32_t version;           // kSpoolFormatVersion
  uint32_t record_size;       // sizeof(SpoolRecord)
  uint32_t capacity;          // records in this segment
  uint32_t pid;
  int64_t created_ms;         // wall clock
  uint32_t sealed;            // 1 once the writer will append no more
  uint32_t reserved0;
  char install_id[40];        // NUL-padded: the records' envelope, fixed for the segment
  char session_id[40];
  char keyscope_version[24];
  char reserved[112];         // pads to 256 bytes (room for later header fields)
};
static_assert(sizeof(SpoolHeader) == 256);

struct SpoolRecord {          // 64 bytes
  uint32_t commit;            // kRecordCommitted once every other field is written
  uint16_t kind;              // RecordKind
  uint16_t api;               // ApiId
  int64_t time_ns;            // CLOCK_REALTIME at the start of the operation
  uint64_t duration_ns;       // kKeygenTiming: steady-clock duration; else 0
  uint64_t cycles;            // kKeygenTiming: rdtscp delta (0 when unavailable); else 0
  uint32_t count;             // kBurst: keys in the second; else 0
  uint8_t outcome;            // 0 ok, 1 error
  uint8_t flags;              // RecordFlag
  uint16_t reserved;
  char algorithm[24];         // NUL-padded algorithm id, e.g. "ed25519", "rsa-3072"
};
static_assert(sizeof(SpoolRecord) == 64);

// ---- The writer ------------------------------------------------------------------------------------------

constexpr uint32_t kFirstSegmentRecords = 1024;  // 64 KiB: a short CLI run leaves a small file
constexpr uint32_t kDefaultBurstThreshold = 1000;
constexpr uint8_t kFormatShift = 2;                // RecordFlag bits 2-3
constexpr char kInvalidAlgorithm[] = "<invalid>";  // what a record says when the caller's id was not valid

struct SpoolOptions {
  std::string dir;                 // the spool directory; created 0700 on the first record
  std::string install_id;          // envelope of every record (at most 40 bytes)
  std::string session_id;          // (at most 40 bytes)
  std::string keyscope_version;    // (at most 24 bytes)
  uint32_t burst_threshold = kDefaultBurstThreshold;
  uint32_t first_segment_records = kFirstSegmentRecords;  // grows x4 a segment up to max_segment_records
  uint32_t max_segment_records = kDefaultSegmentRecords;
};

// Told once, on the thread that failed, when a segment cannot be opened; the spool has turned itself off.
using SpoolFailureHook = std::function<void(const std::string& reason)>;

class Segment;

namespace detail {
// The scopes on now. A namespace-scope atomic (constant-initialised, no guard) so that with analytics off the
// hot path costs exactly one relaxed load and a branch.
extern std::atomic<uint32_t> scope_mask;
}  // namespace detail

// Which scopes the native layer records now (0 when analytics is off, closed or failed).
inline uint32_t ScopeMask() { return detail::scope_mask.load(std::memory_order_relaxed); }

// The process-wide performance spool: one per process, shared by the main thread, worker_threads and the libuv
// threads that run async keygen (they all load the same addon image). Appends never block on each other except
// for the moment a full segment is swapped for the next one.
class PerfSpool {
 public:
  static PerfSpool& Instance();

  // (Re)configures the spool and returns its generation: a later Open replaces this one (its segment is sealed),
  // and SetScopeMask/Close with a stale generation do nothing. Files appear only on the first record.
  uint64_t Open(SpoolOptions options, SpoolFailureHook on_failure);
  void SetScopeMask(uint64_t generation, uint32_t mask);
  // Measurement is not usage: while keyscope measures in this process (a bench run, profile(), measureKeygen()),
  // the keys it generates are not the user's, so nothing is recorded. Folded into the scope mask, so the hot path
  // stays one load; the mask the recorder asked for comes back when the measurement ends.
  void SetMeasuring(bool measuring);
  // Seals the segment, unmaps it and turns every scope off.
  void Close(uint64_t generation);
  // The failure hook's target is going away (its Node environment is torn down).
  void ForgetFailureHook(uint64_t generation);

  // The cycle counter the keygen timing reads (detected and calibrated by the first Open).
  CycleSource cycle_source() const { return cycle_source_.load(std::memory_order_relaxed); }

  // Writes records in consecutive slots (in order, possibly across a segment boundary). Never drops one unless
  // the spool is closed or has failed.
  void Append(const SpoolRecord* records, uint32_t count);

  // Counts one key into the current wall-clock second; returns the count when this key reached the burst
  // threshold (exactly once per second), else 0.
  uint32_t CountBurstKey(int64_t time_ns);

  PerfSpool(const PerfSpool&) = delete;
  PerfSpool& operator=(const PerfSpool&) = delete;

 private:
  PerfSpool();
  Segment* OpenFirstSegment();
  void Rotate(Segment* full);
  Segment* OpenSegmentLocked(std::string* error);
  void RetireLocked(Segment* segment);
  void FailLocked(const std::string& reason);
  static void AfterForkInChild();

  std::atomic<Segment*> current_{nullptr};
  std::atomic<uint64_t> burst_{0};        // (second << 32) | keys counted in that second
  std::atomic<uint32_t> burst_threshold_{kDefaultBurstThreshold};
  std::atomic<CycleSource> cycle_source_{CycleSource::kNone};

  std::mutex mutex_;                      // everything below; the hot path never takes it
  SpoolOptions options_;
  SpoolFailureHook on_failure_;
  uint64_t generation_ = 0;
  bool open_ = false;                     // between Open and Close
  bool failed_ = false;                   // a segment could not be opened: off until the next Open
  bool measuring_ = false;                // SetMeasuring: the mask stays 0 while true
  uint32_t requested_mask_ = 0;           // what SetScopeMask asked for (0 once closed or failed)
  uint32_t pid_ = 0;
  int64_t start_ms_ = 0;                  // names this process's segments (with the pid and a sequence)
  uint32_t next_seq_ = 0;
  uint32_t next_capacity_ = kFirstSegmentRecords;
  // Retired segments' control blocks stay allocated: a thread may still hold a pointer it loaded before the
  // swap; its claim then lands past the capacity and it retries on the current segment.
  std::vector<std::unique_ptr<Segment>> segments_;
};

// CLOCK_REALTIME in ns (vDSO: about 20 ns): the records' time.
int64_t WallClockNs();

// Fills a record (without its commit word) for Append. `algorithm` is cut to 23 bytes.
SpoolRecord MakeRecord(RecordKind kind, ApiId api, int64_t time_ns, std::string_view algorithm, bool ok,
                       uint8_t flags);

// Records one finished key generation per the mask: an api.call (usage), a keygen.timing (performance; with
// usage on too, flagged kFlagApiCall and standing for both) and, when this key makes the second's count reach
// the threshold, a security.burst (security).
void RecordKeygen(uint32_t mask, ApiId api, std::string_view algorithm, int64_t time_ns, uint64_t duration_ns,
                  uint64_t cycles, bool ok, bool allow_weak);

// An api.call (usage) from the JS layer: a call that failed before the native keygen, or an export.
// `algorithm` is recorded only when it is a valid algorithm id (canonicalised), else "<invalid>".
void RecordApiCall(ApiId api, const std::string* algorithm, bool ok, uint8_t flags);

}  // namespace keyscope::analytics

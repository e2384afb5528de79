#include "analytics_binding.h"

#include <memory>
#include <mutex>
#include <string>

#include "../analytics/analytics_spool.h"
#include "js_errors.h"

namespace keyscope::binding {
namespace {

using analytics::ApiId;
using analytics::PerfSpool;

// Carries the spool's one failure report from whichever thread failed (often a libuv thread) to the JS thread
// that opened the spool. The thread-safe function is unref'd: it never keeps the process alive. Its finalizer
// (release, or the environment's teardown) marks it dead, after which nobody may touch it.
struct WarningChannel {
  std::mutex mutex;
  Napi::ThreadSafeFunction tsfn;
  bool alive = true;
  uint64_t generation = 0;

  void Send(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!alive) return;
    auto* text = new std::string(reason);
    napi_status status = tsfn.NonBlockingCall(text, [](Napi::Env env, Napi::Function callback, std::string* data) {
      std::unique_ptr<std::string> owned(data);
      if (env != nullptr && callback != nullptr) callback.Call({Napi::String::New(env, *owned)});
    });
    if (status != napi_ok) delete text;
  }

  // The spool dropped its hook (closed, reopened, or it has reported): let the function go.
  void Release() {
    std::lock_guard<std::mutex> lock(mutex);
    if (alive) tsfn.Release();
    alive = false;
  }
};

// What the spool holds as its failure hook: when the spool drops the hook, the channel is released.
class WarningHook {
 public:
  explicit WarningHook(std::shared_ptr<WarningChannel> channel) : channel_(std::move(channel)) {}
  ~WarningHook() { channel_->Release(); }
  WarningHook(const WarningHook&) = delete;
  WarningHook& operator=(const WarningHook&) = delete;
  void operator()(const std::string& reason) const { channel_->Send(reason); }

 private:
  std::shared_ptr<WarningChannel> channel_;
};

ApiId RequireApi(const Napi::CallbackInfo& info, size_t index) {
  double api = RequireNumber(info, index, "api");
  if (api < 0 || api > static_cast<double>(ApiId::kExportPublicKey) || api != static_cast<int>(api))
    throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "api must be an ApiId", {}});
  return static_cast<ApiId>(static_cast<int>(api));
}

uint32_t OptionalCount(Napi::Object options, const char* name, uint32_t fallback) {
  Napi::Value value = options.Get(name);
  if (!value.IsNumber()) return fallback;
  double number = value.As<Napi::Number>().DoubleValue();
  return number >= 1 && number <= 4294967295.0 ? static_cast<uint32_t>(number) : fallback;
}

std::string StringOption(Napi::Object options, const char* name) {
  Napi::Value value = options.Get(name);
  if (!value.IsString())
    throw ToJsError(options.Env(), Error{"KS_INVALID_OPTION", std::string(name) + " must be a string", {}});
  return value.As<Napi::String>().Utf8Value();
}

}  // namespace

Napi::Value AnalyticsSpoolOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw ToJsError(env, Error{"KS_INVALID_OPTION", "options must be an object", {}});
  Napi::Object options = info[0].As<Napi::Object>();
  analytics::SpoolOptions spool;
  spool.dir = StringOption(options, "dir");
  spool.install_id = StringOption(options, "installId");
  spool.session_id = StringOption(options, "sessionId");
  spool.keyscope_version = StringOption(options, "keyscopeVersion");
  spool.burst_threshold = OptionalCount(options, "burstThreshold", analytics::kDefaultBurstThreshold);
  spool.first_segment_records = OptionalCount(options, "firstSegmentRecords", analytics::kFirstSegmentRecords);
  spool.max_segment_records = OptionalCount(options, "maxSegmentRecords", analytics::kDefaultSegmentRecords);

  analytics::SpoolFailureHook hook;
  std::shared_ptr<WarningChannel> channel;
  if (info[1].IsFunction()) {
    channel = std::make_shared<WarningChannel>();
    // The finalizer's own reference keeps the channel alive until the function is really gone.
    auto* finalizer_ref = new std::shared_ptr<WarningChannel>(channel);
    channel->tsfn = Napi::ThreadSafeFunction::New(
        env, info[1].As<Napi::Function>(), "keyscope.analyticsSpoolWarning", 0, 1,
        [](Napi::Env, std::shared_ptr<WarningChannel>* ref) {
          {
            std::lock_guard<std::mutex> lock((*ref)->mutex);
            (*ref)->alive = false;
          }
          PerfSpool::Instance().ForgetFailureHook((*ref)->generation);
          delete ref;
        },
        finalizer_ref);
    channel->tsfn.Unref(env);
    auto holder = std::make_shared<WarningHook>(channel);
    hook = [holder](const std::string& reason) { (*holder)(reason); };
  }
  uint64_t generation = PerfSpool::Instance().Open(std::move(spool), std::move(hook));
  if (channel) {
    std::lock_guard<std::mutex> lock(channel->mutex);
    channel->generation = generation;
  }
  return Napi::Number::New(env, static_cast<double>(generation));
}

Napi::Value AnalyticsSpoolSetMask(const Napi::CallbackInfo& info) {
  auto generation = static_cast<uint64_t>(RequireNumber(info, 0, "generation"));
  auto mask = static_cast<uint32_t>(RequireNumber(info, 1, "mask"));
  PerfSpool::Instance().SetScopeMask(generation, mask);
  return info.Env().Undefined();
}

Napi::Value AnalyticsSpoolSetMeasuring(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBoolean())
    throw ToJsError(info.Env(), Error{"KS_INVALID_OPTION", "measuring must be a boolean", {}});
  PerfSpool::Instance().SetMeasuring(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Value AnalyticsSpoolClose(const Napi::CallbackInfo& info) {
  PerfSpool::Instance().Close(static_cast<uint64_t>(RequireNumber(info, 0, "generation")));
  return info.Env().Undefined();
}

Napi::Value AnalyticsSpoolRecordExport(const Napi::CallbackInfo& info) {
  ApiId api = RequireApi(info, 0);
  std::string algorithm = RequireString(info, 1, "algorithm");
  auto format = static_cast<uint8_t>(static_cast<int>(RequireNumber(info, 2, "format")) & 7);
  bool encrypted = RequireBool(info, 3, "encrypted");
  uint8_t flags = static_cast<uint8_t>((format & 3) << analytics::kFormatShift) |
                  ((format & 4) ? analytics::kFlagFormatHigh : 0) | (encrypted ? analytics::kFlagEncrypted : 0);
  analytics::RecordApiCall(api, &algorithm, true, flags);
  return info.Env().Undefined();
}

Napi::Value AnalyticsSpoolRecordApiFailure(const Napi::CallbackInfo& info) {
  ApiId api = RequireApi(info, 0);
  if (info[1].IsString()) {
    std::string algorithm = info[1].As<Napi::String>().Utf8Value();
    analytics::RecordApiCall(api, &algorithm, false, 0);
  } else {
    analytics::RecordApiCall(api, nullptr, false, 0);
  }
  return info.Env().Undefined();
}

}  // namespace keyscope::binding

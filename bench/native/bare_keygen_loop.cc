// The physical limit that measureKeygen is compared against: EVP_PKEY_keygen on a reused context in a bare
// loop, timed with CLOCK_MONOTONIC and nothing else. Deliberately shares no code with keyscope's core.
#include <napi.h>
#include <openssl/evp.h>
#include <time.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_exports.h"

namespace {

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

// A keygen context for key_type (and group, unless empty), or null.
EVP_PKEY_CTX* NewKeygenContext(const std::string& key_type, const std::string& group) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, key_type.c_str(), nullptr);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) <= 0 ||
      (!group.empty() && EVP_PKEY_CTX_set_group_name(ctx, group.c_str()) <= 0)) {
    EVP_PKEY_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// Returns an error message, or "" with one sample per key in *samples.
std::string RunLoop(const std::string& key_type, const std::string& group, size_t iterations,
                    std::vector<double>* samples) {
  EVP_PKEY_CTX* ctx = NewKeygenContext(key_type, group);
  if (ctx == nullptr) return "bare loop: cannot set up " + key_type;
  samples->resize(iterations);
  for (size_t i = 0; i < iterations; ++i) {
    EVP_PKEY* key = nullptr;
    uint64_t start = NowNs();
    int ok = EVP_PKEY_keygen(ctx, &key);
    uint64_t end = NowNs();
    EVP_PKEY_free(key);
    if (ok <= 0) {
      EVP_PKEY_CTX_free(ctx);
      return "bare loop: EVP_PKEY_keygen failed";
    }
    (*samples)[i] = static_cast<double>(end - start);
  }
  EVP_PKEY_CTX_free(ctx);
  return "";
}

Napi::Float64Array ToArray(Napi::Env env, const std::vector<double>& samples) {
  Napi::Float64Array out = Napi::Float64Array::New(env, samples.size());
  for (size_t i = 0; i < samples.size(); ++i) out[i] = samples[i];
  return out;
}

// measureKeygen runs on a libuv worker thread, so its physical limit is measured there too: the JS thread's
// malloc arena and caches, shared with V8, make the same loop measurably slower on the main thread.
class LoopWorker : public Napi::AsyncWorker {
 public:
  LoopWorker(Napi::Env env, std::string key_type, std::string group, size_t iterations)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), key_type_(std::move(key_type)),
        group_(std::move(group)), iterations_(iterations) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }
  void Execute() override {
    std::string error = RunLoop(key_type_, group_, iterations_, &samples_);
    if (!error.empty()) SetError(error);
  }
  void OnOK() override { deferred_.Resolve(ToArray(Env(), samples_)); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string key_type_, group_;
  size_t iterations_;
  std::vector<double> samples_;
};

struct LoopArgs {
  std::string key_type, group;
  size_t iterations;
};

LoopArgs ReadArgs(const Napi::CallbackInfo& info) {
  return {info[0].As<Napi::String>().Utf8Value(), info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "",
          static_cast<size_t>(info[2].As<Napi::Number>().Int64Value())};
}

// bareKeygenLoop(keyType, group | null, iterations) => Promise<Float64Array>, run on a libuv worker thread
Napi::Value BareKeygenLoop(const Napi::CallbackInfo& info) {
  LoopArgs args = ReadArgs(info);
  auto* worker = new LoopWorker(info.Env(), args.key_type, args.group, args.iterations);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// bareKeygenLoopSync(keyType, group | null, iterations) => Float64Array, run on the JS thread
Napi::Value BareKeygenLoopSync(const Napi::CallbackInfo& info) {
  LoopArgs args = ReadArgs(info);
  std::vector<double> samples;
  std::string error = RunLoop(args.key_type, args.group, args.iterations, &samples);
  if (!error.empty()) throw Napi::Error::New(info.Env(), error);
  return ToArray(info.Env(), samples);
}

// The same keygen, one JavaScript call per key: what any keygen behind a JS function costs at the least (the
// call, and the JS thread's caches between keys). Keys are held until bareKeygenDrop(), as a collected key is
// held until its collection. JS thread only; one prepared context at a time.
struct CallState {
  EVP_PKEY_CTX* ctx = nullptr;
  std::vector<EVP_PKEY*> held;
};
CallState call_state;

void DropHeld() {
  for (EVP_PKEY* key : call_state.held) EVP_PKEY_free(key);
  call_state.held.clear();
}

// bareKeygenPrepare(keyType, group | null) => undefined
Napi::Value BareKeygenPrepare(const Napi::CallbackInfo& info) {
  std::string key_type = info[0].As<Napi::String>().Utf8Value();
  std::string group = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  DropHeld();
  EVP_PKEY_CTX_free(call_state.ctx);
  call_state.ctx = NewKeygenContext(key_type, group);
  if (call_state.ctx == nullptr) {
    throw Napi::Error::New(info.Env(), "bare keygen: cannot set up " + key_type);
  }
  return info.Env().Undefined();
}

// bareKeygenCall() => undefined: one key, held
Napi::Value BareKeygenCall(const Napi::CallbackInfo& info) {
  EVP_PKEY* key = nullptr;
  if (call_state.ctx == nullptr || EVP_PKEY_keygen(call_state.ctx, &key) <= 0)
    throw Napi::Error::New(info.Env(), "bare keygen: EVP_PKEY_keygen failed (prepared?)");
  call_state.held.push_back(key);
  return info.Env().Undefined();
}

// bareKeygenDrop() => undefined: frees the held keys
Napi::Value BareKeygenDrop(const Napi::CallbackInfo& info) {
  DropHeld();
  return info.Env().Undefined();
}

}  // namespace

void keyscope_bench::AddBareKeygenLoop(Napi::Env env, Napi::Object exports) {
  exports.Set("bareKeygenLoop", Napi::Function::New<BareKeygenLoop>(env, "bareKeygenLoop"));
  exports.Set("bareKeygenLoopSync", Napi::Function::New<BareKeygenLoopSync>(env, "bareKeygenLoopSync"));
  exports.Set("bareKeygenPrepare", Napi::Function::New<BareKeygenPrepare>(env, "bareKeygenPrepare"));
  exports.Set("bareKeygenCall", Napi::Function::New<BareKeygenCall>(env, "bareKeygenCall"));
  exports.Set("bareKeygenDrop", Napi::Function::New<BareKeygenDrop>(env, "bareKeygenDrop"));
}

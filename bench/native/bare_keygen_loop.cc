// The physical limit that measureKeygen is compared against: EVP_PKEY_keygen on a reused context in a bare
// loop, timed with CLOCK_MONOTONIC and nothing else. Deliberately shares no code with keyscope's core.
#include <napi.h>
#include <openssl/evp.h>
#include <time.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

// bareKeygenLoop(keyType, group | null, iterations) => Float64Array of nanoseconds per key
Napi::Value BareKeygenLoop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string key_type = info[0].As<Napi::String>().Utf8Value();
  std::string group = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  auto iterations = static_cast<size_t>(info[2].As<Napi::Number>().Int64Value());

  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, key_type.c_str(), nullptr);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) <= 0 ||
      (!group.empty() && EVP_PKEY_CTX_set_group_name(ctx, group.c_str()) <= 0)) {
    EVP_PKEY_CTX_free(ctx);
    throw Napi::Error::New(env, "bare loop: cannot set up " + key_type);
  }
  std::vector<double> samples(iterations);
  for (size_t i = 0; i < iterations; ++i) {
    EVP_PKEY* key = nullptr;
    uint64_t start = NowNs();
    int ok = EVP_PKEY_keygen(ctx, &key);
    uint64_t end = NowNs();
    EVP_PKEY_free(key);
    if (ok <= 0) {
      EVP_PKEY_CTX_free(ctx);
      throw Napi::Error::New(env, "bare loop: EVP_PKEY_keygen failed");
    }
    samples[i] = static_cast<double>(end - start);
  }
  EVP_PKEY_CTX_free(ctx);
  Napi::Float64Array out = Napi::Float64Array::New(env, iterations);
  for (size_t i = 0; i < iterations; ++i) out[i] = samples[i];
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("bareKeygenLoop", Napi::Function::New<BareKeygenLoop>(env, "bareKeygenLoop"));
  return exports;
}

}  // namespace

NODE_API_MODULE(keyscope_bench, Init)

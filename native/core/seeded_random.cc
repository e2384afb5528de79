#include "seeded_random.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "openssl_errors.h"

namespace keyscope {
namespace {

constexpr char kProviderName[] = "keyscope-seeded";
constexpr char kRandName[] = "KEYSCOPE-SEEDED";
constexpr char kProperties[] = "provider=keyscope-seeded";

// The reseed input that selects a stream: seed, key index and lane, each 8 bytes little-endian. The lane keeps
// the public and the private DRBG of one key on different streams.
constexpr size_t kStreamKeyBytes = 24;
constexpr uint64_t kPublicLane = 1;
constexpr uint64_t kPrivateLane = 2;

void PutLe64(unsigned char* out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

uint64_t GetLe64(const unsigned char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(in[i]) << (8 * i);
  return value;
}

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// xoshiro256** (Blackman and Vigna): fast, statistically sound, and nothing more is asked of it. It only has
// to make prime candidates that are as likely to be prime as OpenSSL's own; the keys are never used.
class Xoshiro256 {
 public:
  // Each input goes through SplitMix64 before the next is mixed in, so nearby seeds and indices (7 and 8, key 3
  // and key 4) give unrelated states; SplitMix64 never yields the all-zero state from four draws.
  void Seed(uint64_t seed, uint64_t index, uint64_t lane) {
    uint64_t mix = seed;
    mix = SplitMix64(mix) ^ index;
    mix = SplitMix64(mix) ^ lane;
    for (uint64_t& word : s_) word = SplitMix64(mix);
  }

  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  uint64_t s_[4] = {};
};

// One DRBG instance. Its parent (the seed source or the primary DRBG) is ignored: the stream is all there is.
struct SeededRand {
  Xoshiro256 stream;
  int state = EVP_RAND_STATE_UNINITIALISED;
  std::unique_ptr<std::mutex> lock;  // only the shared primary DRBG asks for one
};

SeededRand* AsRand(void* vctx) { return static_cast<SeededRand*>(vctx); }

void* RandNew(void* /*provctx*/, void* /*parent*/, const OSSL_DISPATCH* /*parent_dispatch*/) {
  auto* rand = new (std::nothrow) SeededRand();
  // Deterministic from birth: a stream no key selects, in case anything draws before a key picks its own.
  if (rand != nullptr) rand->stream.Seed(0, ~uint64_t{0}, 0);
  return rand;
}

void RandFree(void* vctx) { delete AsRand(vctx); }

int RandInstantiate(void* vctx, unsigned int /*strength*/, int /*prediction_resistance*/,
                    const unsigned char* /*pstr*/, size_t /*pstr_len*/, const OSSL_PARAM* /*params*/) {
  AsRand(vctx)->state = EVP_RAND_STATE_READY;
  return 1;
}

int RandUninstantiate(void* vctx) {
  AsRand(vctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

int RandGenerate(void* vctx, unsigned char* out, size_t outlen, unsigned int /*strength*/,
                 int /*prediction_resistance*/, const unsigned char* /*adin*/, size_t /*adin_len*/) {
  SeededRand* rand = AsRand(vctx);
  if (rand->state != EVP_RAND_STATE_READY) return 0;
  for (; outlen >= 8; outlen -= 8, out += 8) PutLe64(out, rand->stream.Next());
  if (outlen > 0) {
    unsigned char tail[8];
    PutLe64(tail, rand->stream.Next());
    std::memcpy(out, tail, outlen);
  }
  return 1;
}

// A reseed carrying a stream key restarts the stream; any other reseed (prediction resistance, RAND_add-style
// input) is accepted and ignored, since mixing it in would make the keys depend on it.
int RandReseed(void* vctx, int /*prediction_resistance*/, const unsigned char* ent, size_t ent_len,
               const unsigned char* /*adin*/, size_t /*adin_len*/) {
  if (ent != nullptr && ent_len == kStreamKeyBytes)
    AsRand(vctx)->stream.Seed(GetLe64(ent), GetLe64(ent + 8), GetLe64(ent + 16));
  return 1;
}

int RandEnableLocking(void* vctx) {
  SeededRand* rand = AsRand(vctx);
  if (!rand->lock) rand->lock.reset(new (std::nothrow) std::mutex());
  return rand->lock != nullptr;
}

int RandLock(void* vctx) {
  SeededRand* rand = AsRand(vctx);
  if (rand->lock) rand->lock->lock();
  return 1;
}

void RandUnlock(void* vctx) {
  SeededRand* rand = AsRand(vctx);
  if (rand->lock) rand->lock->unlock();
}

// EVP_RAND_generate asks for max_request before every call; strength answers callers that ask for 256 bits.
int RandGetCtxParams(void* vctx, OSSL_PARAM params[]) {
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (p != nullptr && !OSSL_PARAM_set_int(p, AsRand(vctx)->state)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, 256)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (p != nullptr && !OSSL_PARAM_set_size_t(p, size_t{1} << 16)) return 0;
  return 1;
}

const OSSL_PARAM* RandGettableCtxParams(void* /*vctx*/, void* /*provctx*/) {
  static const OSSL_PARAM gettable[] = {
      OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
      OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr),
      OSSL_PARAM_END,
  };
  return gettable;
}

template <typename Fn>
OSSL_DISPATCH Entry(int id, Fn* fn) {
  return {id, reinterpret_cast<void (*)(void)>(fn)};
}

const OSSL_DISPATCH kRandFunctions[] = {
    Entry(OSSL_FUNC_RAND_NEWCTX, RandNew),
    Entry(OSSL_FUNC_RAND_FREECTX, RandFree),
    Entry(OSSL_FUNC_RAND_INSTANTIATE, RandInstantiate),
    Entry(OSSL_FUNC_RAND_UNINSTANTIATE, RandUninstantiate),
    Entry(OSSL_FUNC_RAND_GENERATE, RandGenerate),
    Entry(OSSL_FUNC_RAND_RESEED, RandReseed),
    Entry(OSSL_FUNC_RAND_ENABLE_LOCKING, RandEnableLocking),
    Entry(OSSL_FUNC_RAND_LOCK, RandLock),
    Entry(OSSL_FUNC_RAND_UNLOCK, RandUnlock),
    Entry(OSSL_FUNC_RAND_GET_CTX_PARAMS, RandGetCtxParams),
    Entry(OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, RandGettableCtxParams),
    {0, nullptr},
};

const OSSL_ALGORITHM kRands[] = {
    {kRandName, kProperties, kRandFunctions, "keyscope's seeded stream for reproducible key generation timing"},
    {nullptr, nullptr, nullptr, nullptr},
};

const OSSL_ALGORITHM* QueryOperation(void* /*provctx*/, int operation_id, int* no_cache) {
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? kRands : nullptr;
}

const OSSL_DISPATCH kProviderFunctions[] = {
    Entry(OSSL_FUNC_PROVIDER_QUERY_OPERATION, QueryOperation),
    {0, nullptr},
};

int ProviderInit(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* /*in*/, const OSSL_DISPATCH** out,
                 void** provctx) {
  *out = kProviderFunctions;
  *provctx = const_cast<OSSL_CORE_HANDLE*>(handle);  // unused, but a provider context is expected to be set
  return 1;
}

Result<OSSL_LIB_CTX*> CreateContext() {
  ClearOpenSSLErrors();
  OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
  if (ctx == nullptr) return DrainOpenSSLErrors("KS_OPENSSL", "OSSL_LIB_CTX_new for seeded key generation failed");
  auto fail = [&](const char* what) {
    Error error = DrainOpenSSLErrors("KS_OPENSSL", std::string(what) + " for seeded key generation failed");
    OSSL_LIB_CTX_free(ctx);  // safe here: no thread has drawn from it yet
    return error;
  };
  // The DRBG types must be set before anything in the context draws: its DRBGs are made on first use.
  if (OSSL_PROVIDER_add_builtin(ctx, kProviderName, ProviderInit) != 1) return fail("OSSL_PROVIDER_add_builtin");
  if (RAND_set_DRBG_type(ctx, kRandName, kProperties, nullptr, nullptr) != 1) return fail("RAND_set_DRBG_type");
  if (RAND_set_seed_source_type(ctx, kRandName, kProperties) != 1) return fail("RAND_set_seed_source_type");
  // Providers loaded here stay loaded for the context's (the process's) life.
  if (OSSL_PROVIDER_load(ctx, kProviderName) == nullptr) return fail("loading the keyscope-seeded provider");
  if (OSSL_PROVIDER_load(ctx, "default") == nullptr) return fail("loading the default provider");
  EVP_RAND_CTX* primary = RAND_get0_primary(ctx);
  if (primary == nullptr) return fail("RAND_get0_primary");
  // A fallback to another DRBG would make "seeded" a lie; check what OpenSSL actually built.
  if (!EVP_RAND_is_a(EVP_RAND_CTX_get0_rand(primary), kRandName)) return fail("installing the seeded DRBG");
  return ctx;
}

// Set once the context is complete, so that IsSeededLibraryContext never creates it.
std::atomic<const OSSL_LIB_CTX*> seeded_ctx{nullptr};

}  // namespace

Result<OSSL_LIB_CTX*> SeededLibraryContext() {
  // A failure is kept too: it would fail the same way again (a missing default provider, say).
  static const struct Created {
    OSSL_LIB_CTX* ctx = nullptr;
    Error error;
  } created = [] {
    Created out;
    Result<OSSL_LIB_CTX*> made = CreateContext();
    if (made.ok()) {
      out.ctx = made.value();
      seeded_ctx.store(out.ctx, std::memory_order_release);
    } else {
      out.error = made.error();
    }
    return out;
  }();
  if (created.ctx == nullptr) return created.error;
  return created.ctx;
}

bool IsSeededLibraryContext(const OSSL_LIB_CTX* ctx) {
  return ctx != nullptr && ctx == seeded_ctx.load(std::memory_order_acquire);
}

bool SelectKeyStream(OSSL_LIB_CTX* ctx, uint64_t seed, uint64_t key_index) {
  unsigned char key[kStreamKeyBytes];
  PutLe64(key, seed);
  PutLe64(key + 8, key_index);
  EVP_RAND_CTX* drbg = RAND_get0_public(ctx);
  PutLe64(key + 16, kPublicLane);
  if (drbg == nullptr || EVP_RAND_reseed(drbg, 0, key, sizeof key, nullptr, 0) != 1) return false;
  drbg = RAND_get0_private(ctx);
  PutLe64(key + 16, kPrivateLane);
  return drbg != nullptr && EVP_RAND_reseed(drbg, 0, key, sizeof key, nullptr, 0) == 1;
}

}  // namespace keyscope

// Key generation with a reused OpenSSL context, as a real caller that makes many keys would do it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "algorithms.h"
#include "result.h"

namespace keyscope {

// The prime search of one RSA key, from OpenSSL's keygen callback: one event per candidate tried, and one per
// candidate that passed trial division or per Miller-Rabin round passed. RSA generation time is dominated by how
// lucky this search is.
struct SearchWork {
  uint32_t candidates = 0;
  uint32_t rounds = 0;
};

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

// An EVP_PKEY_CTX set up for keygen of one algorithm. Not thread-safe: one thread uses it at a time.
class KeygenContext {
 public:
  // libctx is the library context the key's algorithms and randomness come from: null for OpenSSL's default
  // (the one node:crypto uses), or the seeded context of seeded_random.h.
  static Result<std::unique_ptr<KeygenContext>> Create(const AlgorithmSpec& spec, OSSL_LIB_CTX* libctx = nullptr);
  ~KeygenContext();
  KeygenContext(const KeygenContext&) = delete;
  KeygenContext& operator=(const KeygenContext&) = delete;

  // Makes one key, or returns null with OpenSSL's errors left in this thread's queue. For RSA, counts the
  // search work into *work when it is non-null.
  EVP_PKEY* GenerateRaw(SearchWork* work);

  // The same, with errors drained into a Result.
  Result<KeyPtr> Generate(SearchWork* work);

  bool counts_search_work() const { return counts_search_work_; }
  OSSL_LIB_CTX* libctx() const { return libctx_; }

 private:
  explicit KeygenContext(EVP_PKEY_CTX* ctx, bool counts_search_work, OSSL_LIB_CTX* libctx)
      : ctx_(ctx), counts_search_work_(counts_search_work), libctx_(libctx) {}
  EVP_PKEY_CTX* ctx_;
  bool counts_search_work_;
  OSSL_LIB_CTX* libctx_;
};

// Contexts kept per algorithm id so that repeated single-key calls skip the setup. Thread-safe; a context is
// owned by one caller between Acquire and Release. Every context of a pool comes from the pool's libctx.
class KeygenContextPool {
 public:
  explicit KeygenContextPool(OSSL_LIB_CTX* libctx = nullptr) : libctx_(libctx) {}
  Result<std::unique_ptr<KeygenContext>> Acquire(const AlgorithmSpec& spec);
  void Release(const AlgorithmSpec& spec, std::unique_ptr<KeygenContext> ctx);
  OSSL_LIB_CTX* libctx() const { return libctx_; }

 private:
  static constexpr size_t kMaxIdlePerAlgorithm = 8;
  OSSL_LIB_CTX* const libctx_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<KeygenContext>>, std::less<>> idle_;
};

// One key through the pool: what generateKeyPair and generateKeyPairSync call.
Result<KeyPtr> GenerateKey(KeygenContextPool& pool, const AlgorithmSpec& spec);

}  // namespace keyscope

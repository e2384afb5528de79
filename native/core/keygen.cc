#include "keygen.h"

#include <openssl/rsa.h>

#include "openssl_errors.h"

namespace keyscope {
namespace {

// BN_GENCB events: 0 = a prime candidate was generated (before trial division); 1 = a candidate passed trial
// division, or passed one Miller-Rabin round (OpenSSL 3.1 runs far fewer rounds than 3.0: docs/compare.md).
int CountSearchWork(EVP_PKEY_CTX* ctx) {
  auto* work = static_cast<SearchWork*>(EVP_PKEY_CTX_get_app_data(ctx));
  if (work == nullptr) return 1;
  switch (EVP_PKEY_CTX_get_keygen_info(ctx, 0)) {
    case 0: ++work->candidates; break;
    case 1: ++work->rounds; break;
  }
  return 1;
}

}  // namespace

Result<std::unique_ptr<KeygenContext>> KeygenContext::Create(const AlgorithmSpec& spec, OSSL_LIB_CTX* libctx) {
  ClearOpenSSLErrors();
  const AlgorithmRow& row = *spec.row;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(libctx, row.openssl_name, nullptr);
  auto fail = [&](const char* what) {
    EVP_PKEY_CTX_free(ctx);
    return DrainOpenSSLErrors("KS_OPENSSL", std::string(what) + " for " + spec.id + " failed");
  };
  if (ctx == nullptr) return fail("EVP_PKEY_CTX_new_from_name");
  if (EVP_PKEY_keygen_init(ctx) <= 0) return fail("EVP_PKEY_keygen_init");
  if (row.group != nullptr && EVP_PKEY_CTX_set_group_name(ctx, row.group) <= 0)
    return fail("EVP_PKEY_CTX_set_group_name");
  bool is_rsa = row.family == Family::kRsa;
  if (is_rsa) {
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, spec.bits) <= 0) return fail("EVP_PKEY_CTX_set_rsa_keygen_bits");
    EVP_PKEY_CTX_set_cb(ctx, CountSearchWork);
  }
  return std::unique_ptr<KeygenContext>(new KeygenContext(ctx, is_rsa, libctx));
}

KeygenContext::~KeygenContext() { EVP_PKEY_CTX_free(ctx_); }

EVP_PKEY* KeygenContext::GenerateRaw(SearchWork* work) {
  if (counts_search_work_) EVP_PKEY_CTX_set_app_data(ctx_, work);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_keygen(ctx_, &key) <= 0) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  return key;
}

Result<KeyPtr> KeygenContext::Generate(SearchWork* work) {
  ClearOpenSSLErrors();
  EVP_PKEY* key = GenerateRaw(work);
  if (key == nullptr) return DrainOpenSSLErrors("KS_OPENSSL", "EVP_PKEY_keygen failed");
  return KeyPtr(key);
}

Result<std::unique_ptr<KeygenContext>> KeygenContextPool::Acquire(const AlgorithmSpec& spec) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = idle_.find(spec.id);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<KeygenContext> ctx = std::move(it->second.back());
      it->second.pop_back();
      return ctx;
    }
  }
  return KeygenContext::Create(spec, libctx_);
}

void KeygenContextPool::Release(const AlgorithmSpec& spec, std::unique_ptr<KeygenContext> ctx) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& idle = idle_[spec.id];
  if (idle.size() < kMaxIdlePerAlgorithm) idle.push_back(std::move(ctx));
}

Result<KeyPtr> GenerateKey(KeygenContextPool& pool, const AlgorithmSpec& spec) {
  auto acquired = pool.Acquire(spec);
  if (!acquired.ok()) return acquired.error();
  std::unique_ptr<KeygenContext> ctx = std::move(acquired.value());
  Result<KeyPtr> key = ctx->Generate(nullptr);
  pool.Release(spec, std::move(ctx));
  return key;
}

}  // namespace keyscope

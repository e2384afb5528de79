// The algorithm table. Each algorithm is a row: its canonical id, how OpenSSL names it, and how to describe
// it. Adding an algorithm is adding a row; nothing else branches on the id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace keyscope {

enum class Family { kRsa, kEc, kOkp, kMlKem, kMlDsa };

struct AlgorithmRow {
  const char* id;            // canonical id; the RSA row is the prefix "rsa-" with the bits after it
  Family family;
  const char* openssl_name;  // key type name for EVP_PKEY_CTX_new_from_name
  const char* group;         // EC curve name, or nullptr
  int security_bits;         // 0 for RSA: derived from the modulus size
  const char* usages;        // comma-separated: sign, encrypt, derive, encapsulate
  const char* needs_openssl; // first OpenSSL release that has it, for the "unsupported" reason
};

// A parsed, validated algorithm: a row plus the RSA modulus size where it applies.
struct AlgorithmSpec {
  const AlgorithmRow* row = nullptr;
  int bits = 0;
  std::string id;
};

const char* FamilyName(Family family);

// The algorithms listAlgorithms() shows: every fixed row plus rsa-2048, rsa-3072 and rsa-4096.
std::vector<AlgorithmSpec> ListedAlgorithms();

// Validates an id ("ec-p256", "rsa-3072", ...). RSA below 2048 bits needs allow_weak; below 1024 never.
Result<AlgorithmSpec> ParseAlgorithm(std::string_view id, bool allow_weak);

// Whether the running OpenSSL can generate this algorithm; otherwise *reason says why.
bool IsSupported(const AlgorithmSpec& spec, std::string* reason);

// Security strength in bits (NIST SP 800-57; RSA by the same estimate OpenSSL uses).
int SecurityBits(const AlgorithmSpec& spec);

constexpr int kRsaMinBits = 1024;
constexpr int kRsaMinStrongBits = 2048;
constexpr int kRsaMaxBits = 16384;

}  // namespace keyscope

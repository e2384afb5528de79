// The algorithm table: every fact keyscope knows about an algorithm id is a row here, and the TypeScript side
// asks this table (parseAlgorithm, listAlgorithms). The one list it keeps, the ids spelled out for its type
// (src/core/algorithms.ts), is checked against this table by a test. A fixed-size algorithm is one
// AlgorithmRow; RSA is one AlgorithmRow for what all sizes share plus RsaSizeRows for what depends on the modulus
// size (its strength, and whether only allow_weak admits it). Adding an algorithm is adding a row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace keyscope {

enum class Family { kRsa, kEc, kOkp, kMlKem, kMlDsa, kSlhDsa };

struct FamilyRow {
  Family family;
  const char* name;   // as listAlgorithms reports it: "rsa", "ec", "okp", "ml-kem", "ml-dsa", "slh-dsa"
  bool post_quantum;  // resists a quantum computer
};

struct AlgorithmRow {
  const char* id;            // canonical id; the RSA row's is the prefix "rsa-", followed by the modulus size
  Family family;
  const char* openssl_name;  // key type name for EVP_PKEY_CTX_new_from_name
  const char* group;         // EC curve name, or nullptr
  int security_bits;         // NIST SP 800-57 strength; 0 in the RSA row, whose RsaSizeRows say it per size
  const char* usages;        // comma-separated: sign, encrypt, derive, encapsulate
  const char* needs_openssl; // first OpenSSL release that has it, for the "unsupported" reason
};

// RSA moduli from min_bits to max_bits (multiples of kRsaBitsStep): their strength, and whether only allow_weak
// admits them. A size no row covers is refused (KS_INVALID_KEY_SIZE).
struct RsaSizeRow {
  int min_bits;
  int max_bits;
  int security_bits;
  bool weak;
};

constexpr int kRsaBitsStep = 8;

// A parsed, validated algorithm: its row, and what the id adds to it (for RSA the modulus size and what the size
// row says of it).
struct AlgorithmSpec {
  const AlgorithmRow* row = nullptr;
  int bits = 0;           // RSA modulus size; 0 for the fixed-size algorithms
  int security_bits = 0;  // from the row, or for RSA from its size row
  bool weak = false;      // only allow_weak admits it
  std::string id;
};

const FamilyRow& FamilyOf(const AlgorithmSpec& spec);

// The algorithms listAlgorithms() shows: the listed RSA sizes, then every fixed row.
std::vector<AlgorithmSpec> ListedAlgorithms();

// Validates an id ("ec-p256", "rsa-3072", ...) against the table: an RSA size its rows mark weak needs allow_weak;
// one they do not cover is refused.
Result<AlgorithmSpec> ParseAlgorithm(std::string_view id, bool allow_weak);

// Whether the running OpenSSL can generate this algorithm; otherwise *reason says why.
bool IsSupported(const AlgorithmSpec& spec, std::string* reason);

}  // namespace keyscope

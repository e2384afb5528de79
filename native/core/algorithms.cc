#include "algorithms.h"

#include <charconv>
#include <iterator>
#include <map>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace keyscope {
namespace {

constexpr FamilyRow kFamilies[] = {
    {Family::kRsa, "rsa", false},
    {Family::kEc, "ec", false},
    {Family::kOkp, "okp", false},
    {Family::kMlKem, "ml-kem", true},
    {Family::kMlDsa, "ml-dsa", true},
    {Family::kSlhDsa, "slh-dsa", true},
};

constexpr AlgorithmRow kRsaRow = {"rsa-", Family::kRsa, "RSA", nullptr, 0, "sign,encrypt", "1.0"};

// Strengths by SP 800-56B rev 2 Appendix D, as OpenSSL computes them: the canonical values at 2048, 3072, 4096,
// 6144 and 8192 bits (and FIPS 140-2 IG 7.5's at 7680 and 15360); between them the Appendix D estimate
// E = (1.923 * cbrt(n ln 2) * cbrt(ln(n ln 2))^2 - 4.69) / ln 2, rounded to a multiple of 8 and capped at 256.
// So 7664 and 7672 keep the estimate's 200 bits although 7680's canonical value is 192. Below 2048 bits a
// modulus is weak (SP 800-131A disallows it); below 1024 and above 16384 keyscope generates none.
constexpr RsaSizeRow kRsaSizes[] = {
    // min_bits, max_bits, security_bits, weak
    {1024, 1136, 80, true},
    {1144, 1376, 88, true},
    {1384, 1656, 96, true},
    {1664, 1960, 104, true},
    {1968, 2040, 112, true},
    {2048, 2296, 112, false},
    {2304, 2664, 120, false},
    {2672, 3072, 128, false},
    {3080, 3512, 136, false},
    {3520, 3984, 144, false},
    {3992, 4496, 152, false},
    {4504, 5048, 160, false},
    {5056, 5640, 168, false},
    {5648, 6264, 176, false},
    {6272, 6936, 184, false},
    {6944, 7656, 192, false},
    {7664, 7672, 200, false},
    {7680, 7680, 192, false},
    {7688, 8408, 200, false},
    {8416, 9208, 208, false},
    {9216, 10056, 216, false},
    {10064, 10944, 224, false},
    {10952, 11888, 232, false},
    {11896, 12872, 240, false},
    {12880, 13904, 248, false},
    {13912, 16384, 256, false},
};

// Each row starts where the one before ends, so every size from the first row's to the last row's has one.
constexpr bool RsaSizesTile() {
  for (size_t i = 0; i < std::size(kRsaSizes); ++i) {
    if (kRsaSizes[i].min_bits > kRsaSizes[i].max_bits) return false;
    if (i > 0 && kRsaSizes[i].min_bits != kRsaSizes[i - 1].max_bits + kRsaBitsStep) return false;
  }
  return true;
}
static_assert(RsaSizesTile());

// The RSA sizes listAlgorithms() shows; any size the rows above cover is valid too.
constexpr int kListedRsaBits[] = {2048, 3072, 4096};

constexpr AlgorithmRow kRows[] = {
    {"ec-p256", Family::kEc, "EC", "P-256", 128, "sign,derive", "1.0"},
    {"ec-p384", Family::kEc, "EC", "P-384", 192, "sign,derive", "1.0"},
    {"ec-p521", Family::kEc, "EC", "P-521", 256, "sign,derive", "1.0"},
    {"ec-secp256k1", Family::kEc, "EC", "secp256k1", 128, "sign,derive", "1.0"},
    {"ed25519", Family::kOkp, "ED25519", nullptr, 128, "sign", "1.1.1"},
    {"ed448", Family::kOkp, "ED448", nullptr, 224, "sign", "1.1.1"},
    {"x25519", Family::kOkp, "X25519", nullptr, 128, "derive", "1.1.0"},
    {"x448", Family::kOkp, "X448", nullptr, 224, "derive", "1.1.1"},
    {"ml-kem-512", Family::kMlKem, "ML-KEM-512", nullptr, 128, "encapsulate", "3.5"},
    {"ml-kem-768", Family::kMlKem, "ML-KEM-768", nullptr, 192, "encapsulate", "3.5"},
    {"ml-kem-1024", Family::kMlKem, "ML-KEM-1024", nullptr, 256, "encapsulate", "3.5"},
    {"ml-dsa-44", Family::kMlDsa, "ML-DSA-44", nullptr, 128, "sign", "3.5"},
    {"ml-dsa-65", Family::kMlDsa, "ML-DSA-65", nullptr, 192, "sign", "3.5"},
    {"ml-dsa-87", Family::kMlDsa, "ML-DSA-87", nullptr, 256, "sign", "3.5"},
    // FIPS 205's twelve parameter sets: s(mall) signatures are slow to sign (and, here, to generate), f(ast) ones
    // are larger. Categories 1, 3 and 5 are strengths 128, 192 and 256.
    {"slh-dsa-sha2-128s", Family::kSlhDsa, "SLH-DSA-SHA2-128s", nullptr, 128, "sign", "3.5"},
    {"slh-dsa-sha2-128f", Family::kSlhDsa, "SLH-DSA-SHA2-128f", nullptr, 128, "sign", "3.5"},
    {"slh-dsa-sha2-192s", Family::kSlhDsa, "SLH-DSA-SHA2-192s", nullptr, 192, "sign", "3.5"},
    {"slh-dsa-sha2-192f", Family::kSlhDsa, "SLH-DSA-SHA2-192f", nullptr, 192, "sign", "3.5"},
    {"slh-dsa-sha2-256s", Family::kSlhDsa, "SLH-DSA-SHA2-256s", nullptr, 256, "sign", "3.5"},
    {"slh-dsa-sha2-256f", Family::kSlhDsa, "SLH-DSA-SHA2-256f", nullptr, 256, "sign", "3.5"},
    {"slh-dsa-shake-128s", Family::kSlhDsa, "SLH-DSA-SHAKE-128s", nullptr, 128, "sign", "3.5"},
    {"slh-dsa-shake-128f", Family::kSlhDsa, "SLH-DSA-SHAKE-128f", nullptr, 128, "sign", "3.5"},
    {"slh-dsa-shake-192s", Family::kSlhDsa, "SLH-DSA-SHAKE-192s", nullptr, 192, "sign", "3.5"},
    {"slh-dsa-shake-192f", Family::kSlhDsa, "SLH-DSA-SHAKE-192f", nullptr, 192, "sign", "3.5"},
    {"slh-dsa-shake-256s", Family::kSlhDsa, "SLH-DSA-SHAKE-256s", nullptr, 256, "sign", "3.5"},
    {"slh-dsa-shake-256f", Family::kSlhDsa, "SLH-DSA-SHAKE-256f", nullptr, 256, "sign", "3.5"},
};

Error InvalidAlgorithm(std::string code, std::string message) { return Error{std::move(code), std::move(message), {}}; }

Error UnknownAlgorithm(std::string_view id) {
  // RSA and SLH-DSA are named by pattern, which keeps the line readable; the others one by one.
  std::string known = "rsa-<bits>";
  for (const auto& row : kRows)
    if (row.family != Family::kSlhDsa) known += std::string(", ") + row.id;
  known += ", slh-dsa-<sha2|shake>-<128|192|256><s|f>";
  return InvalidAlgorithm("KS_UNKNOWN_ALGORITHM", "unknown algorithm \"" + std::string(id) + "\" (known: " + known + ")");
}

const RsaSizeRow* RsaSizeOf(int bits) {
  if (bits % kRsaBitsStep != 0) return nullptr;
  for (const auto& size : kRsaSizes)
    if (bits >= size.min_bits && bits <= size.max_bits) return &size;
  return nullptr;
}

// The smallest size the rows admit without allow_weak.
int RsaStrongMinBits() {
  for (const auto& size : kRsaSizes)
    if (!size.weak) return size.min_bits;
  return 0;
}

Error InvalidRsaSize(int bits) {
  std::string max = std::to_string(kRsaSizes[std::size(kRsaSizes) - 1].max_bits);
  return InvalidAlgorithm("KS_INVALID_KEY_SIZE", "RSA modulus size " + std::to_string(bits) + " is invalid: use a multiple of " +
                                                     std::to_string(kRsaBitsStep) + " from " +
                                                     std::to_string(RsaStrongMinBits()) + " to " + max);
}

Error WeakRsaSize(int bits) {
  return InvalidAlgorithm("KS_WEAK_KEY_SIZE", "RSA modulus size " + std::to_string(bits) + " is below " +
                                                  std::to_string(RsaStrongMinBits()) +
                                                  " bits: pass allowWeak: true to generate it anyway");
}

AlgorithmSpec RsaSpec(int bits, const RsaSizeRow& size) {
  return AlgorithmSpec{&kRsaRow, bits, size.security_bits, size.weak, kRsaRow.id + std::to_string(bits)};
}

}  // namespace

const FamilyRow& FamilyOf(const AlgorithmSpec& spec) {
  for (const auto& family : kFamilies)
    if (family.family == spec.row->family) return family;
  return kFamilies[0];  // unreachable: every Family has a row
}

std::vector<AlgorithmSpec> ListedAlgorithms() {
  std::vector<AlgorithmSpec> out;
  for (int bits : kListedRsaBits) out.push_back(RsaSpec(bits, *RsaSizeOf(bits)));
  for (const auto& row : kRows) out.push_back({&row, 0, row.security_bits, false, row.id});
  return out;
}

Result<AlgorithmSpec> ParseAlgorithm(std::string_view id, bool allow_weak) {
  for (const auto& row : kRows)
    if (id == row.id) return AlgorithmSpec{&row, 0, row.security_bits, false, std::string(id)};

  std::string_view prefix = kRsaRow.id;
  if (id.substr(0, prefix.size()) != prefix)
    return UnknownAlgorithm(id);
  std::string_view digits = id.substr(prefix.size());
  int bits = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || digits[0] == '0')
    return UnknownAlgorithm(id);
  const RsaSizeRow* size = RsaSizeOf(bits);
  if (size == nullptr) return InvalidRsaSize(bits);
  if (size->weak && !allow_weak) return WeakRsaSize(bits);
  return RsaSpec(bits, *size);
}

namespace {

struct Support {
  bool supported;
  std::string reason;
};

Support CheckSupport(const AlgorithmRow& row) {
  ERR_set_mark();  // a failed fetch queues an error that is an answer here, not a failure
  EVP_KEYMGMT* keymgmt = EVP_KEYMGMT_fetch(nullptr, row.openssl_name, nullptr);
  ERR_pop_to_mark();
  if (keymgmt != nullptr) {
    EVP_KEYMGMT_free(keymgmt);
    return {true, ""};
  }
  return {false, std::string("OpenSSL ") + OpenSSL_version(OPENSSL_VERSION_STRING) + " has no " + row.openssl_name +
                     " key manager (it needs OpenSSL " + row.needs_openssl + " or later)"};
}

}  // namespace

bool IsSupported(const AlgorithmSpec& spec, std::string* reason) {
  // Checked once per row: the providers of the default library context do not change under us, and a fetch
  // on every single-key call would cost more than the bookkeeping around it.
  static const std::map<const AlgorithmRow*, Support> support = [] {
    std::map<const AlgorithmRow*, Support> table{{&kRsaRow, CheckSupport(kRsaRow)}};
    for (const auto& row : kRows) table.emplace(&row, CheckSupport(row));
    return table;
  }();
  const Support& s = support.at(spec.row);
  if (!s.supported && reason) *reason = s.reason;
  return s.supported;
}

}  // namespace keyscope

#include "algorithms.h"

#include <charconv>
#include <cmath>
#include <map>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace keyscope {
namespace {

constexpr AlgorithmRow kRsaRow = {"rsa-", Family::kRsa, "RSA", nullptr, 0, "sign,encrypt", "1.0"};

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
};

Error InvalidAlgorithm(std::string code, std::string message) { return Error{std::move(code), std::move(message), {}}; }

Error UnknownAlgorithm(std::string_view id) {
  std::string known = "rsa-<bits>";
  for (const auto& row : kRows) known += std::string(", ") + row.id;
  return InvalidAlgorithm("KS_UNKNOWN_ALGORITHM", "unknown algorithm \"" + std::string(id) + "\" (known: " + known + ")");
}

}  // namespace

const char* FamilyName(Family family) {
  switch (family) {
    case Family::kRsa: return "rsa";
    case Family::kEc: return "ec";
    case Family::kOkp: return "okp";
    case Family::kMlKem: return "ml-kem";
    case Family::kMlDsa: return "ml-dsa";
  }
  return "unknown";
}

std::vector<AlgorithmSpec> ListedAlgorithms() {
  std::vector<AlgorithmSpec> out;
  for (int bits : {2048, 3072, 4096}) out.push_back({&kRsaRow, bits, "rsa-" + std::to_string(bits)});
  for (const auto& row : kRows) out.push_back({&row, 0, row.id});
  return out;
}

Result<AlgorithmSpec> ParseAlgorithm(std::string_view id, bool allow_weak) {
  for (const auto& row : kRows)
    if (id == row.id) return AlgorithmSpec{&row, 0, std::string(id)};

  std::string_view prefix = kRsaRow.id;
  if (id.substr(0, prefix.size()) != prefix)
    return UnknownAlgorithm(id);
  std::string_view digits = id.substr(prefix.size());
  int bits = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || digits[0] == '0')
    return UnknownAlgorithm(id);
  if (bits < kRsaMinBits || bits > kRsaMaxBits || bits % 8 != 0)
    return InvalidAlgorithm("KS_INVALID_KEY_SIZE", "RSA modulus size " + std::to_string(bits) +
                                                       " is invalid: use a multiple of 8 from 2048 to 16384");
  if (bits < kRsaMinStrongBits && !allow_weak)
    return InvalidAlgorithm("KS_WEAK_KEY_SIZE", "RSA modulus size " + std::to_string(bits) +
                                                    " is below 2048 bits: pass allowWeak: true to generate it anyway");
  return AlgorithmSpec{&kRsaRow, bits, "rsa-" + std::to_string(bits)};
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

int SecurityBits(const AlgorithmSpec& spec) {
  if (spec.row->family != Family::kRsa) return spec.row->security_bits;
  // The canonical values of SP 800-56B rev 2 Appendix D and FIPS 140-2 IG 7.5, as OpenSSL uses them.
  switch (spec.bits) {
    case 2048: return 112;
    case 3072: return 128;
    case 4096: return 152;
    case 6144: return 176;
    case 7680: return 192;
    case 8192: return 200;
    case 15360: return 256;
  }
  // Otherwise the Appendix D estimate, rounded to a multiple of 8:
  // E = (1.923 * cbrt(n ln 2) * cbrt(ln(n ln 2))^2 - 4.69) / ln 2.
  double n_ln2 = spec.bits * std::log(2.0);
  double e = (1.923 * std::cbrt(n_ln2) * std::pow(std::cbrt(std::log(n_ln2)), 2) - 4.69) / std::log(2.0);
  int rounded = static_cast<int>(std::lround(e / 8)) * 8;
  return rounded > 256 ? 256 : rounded;
}

}  // namespace keyscope

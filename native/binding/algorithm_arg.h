#pragma once

#include <napi.h>

#include "../core/algorithms.h"
#include "js_errors.h"

namespace keyscope::binding {

// Reads (id, allowWeak) at the given argument positions, validates the id against the algorithm table and
// checks that the running OpenSSL supports it. Throws a KeyscopeError otherwise.
inline keyscope::AlgorithmSpec RequireSupportedAlgorithm(const Napi::CallbackInfo& info, size_t id_index,
                                                         size_t allow_weak_index) {
  std::string id = RequireString(info, id_index, "algorithm");
  bool allow_weak = RequireBool(info, allow_weak_index, "allowWeak");
  auto parsed = ParseAlgorithm(id, allow_weak);
  if (!parsed.ok()) throw ToJsError(info.Env(), parsed.error());
  std::string reason;
  if (!IsSupported(parsed.value(), &reason))
    throw ToJsError(info.Env(), Error{"KS_UNSUPPORTED_ALGORITHM", id + " is not supported here: " + reason, {}});
  return parsed.value();
}

}  // namespace keyscope::binding

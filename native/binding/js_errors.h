// Turns core errors into KeyscopeError instances built by the TypeScript error factory.
#pragma once

#include <napi.h>

#include "../core/result.h"

namespace keyscope::binding {

Napi::Error ToJsError(Napi::Env env, const Error& error);

// Argument guards for the binding's own entry points; TypeScript has validated with better messages already.
std::string RequireString(const Napi::CallbackInfo& info, size_t index, const char* name);
double RequireNumber(const Napi::CallbackInfo& info, size_t index, const char* name);
bool RequireBool(const Napi::CallbackInfo& info, size_t index, const char* name);

}  // namespace keyscope::binding

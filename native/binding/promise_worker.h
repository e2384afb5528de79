// One base for every async call: Execute() runs the core on a libuv worker thread and never touches JS;
// OnOK() resolves with the converted value or rejects with a KeyscopeError.
#pragma once

#include <napi.h>

#include <optional>

#include "../core/result.h"
#include "js_errors.h"

namespace keyscope::binding {

template <typename T>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  virtual Result<T> Run() = 0;                     // worker thread
  virtual Napi::Value ToJs(Napi::Env env, T& value) = 0;  // JS thread

 private:
  void Execute() final { result_.emplace(Run()); }

  void OnOK() final {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (!result_->ok()) {
      deferred_.Reject(ToJsError(env, result_->error()).Value());
      return;
    }
    try {
      deferred_.Resolve(ToJs(env, result_->value()));
    } catch (const Napi::Error& error) {
      deferred_.Reject(error.Value());
    }
  }

  void OnError(const Napi::Error& error) final { deferred_.Reject(error.Value()); }

  Napi::Promise::Deferred deferred_;
  std::optional<Result<T>> result_;
};

}  // namespace keyscope::binding

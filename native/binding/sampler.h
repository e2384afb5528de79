// The clock and counters of the native loop, offered to JS so that profile() measures any function the same
// way: begin() and end() stamp one iteration; counters cover the whole profiled loop on the JS thread.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "../core/counters.h"
#include "../core/cycle_clock.h"

namespace keyscope::binding {

class Sampler : public Napi::ObjectWrap<Sampler> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  explicit Sampler(const Napi::CallbackInfo& info);

 private:
  Napi::Value Begin(const Napi::CallbackInfo& info);
  Napi::Value End(const Napi::CallbackInfo& info);
  Napi::Value StartCounters(const Napi::CallbackInfo& info);
  Napi::Value StopCounters(const Napi::CallbackInfo& info);
  Napi::Value Take(const Napi::CallbackInfo& info);

  CycleSource source_;
  bool has_cycles_;
  Stamp start_{};
  std::vector<double> ns_;
  std::vector<double> cycles_;
  std::unique_ptr<CounterSession> counters_;
};

}  // namespace keyscope::binding

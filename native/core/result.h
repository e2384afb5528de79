// Plain error/result types shared by the measurement core. No Node in here: the binding layer turns
// these into JS values.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace keyscope {

// One entry drained from OpenSSL's thread-local error queue.
struct OpenSSLErrorEntry {
  unsigned long code = 0;
  std::string library;
  std::string reason;
};

// A failure with a stable code (the same codes the TypeScript KeyscopeError uses).
struct Error {
  std::string code;
  std::string message;
  std::vector<OpenSSLErrorEntry> openssl;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  T& value() { return std::get<T>(state_); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace keyscope

#pragma once

#include <string>

#include "result.h"

namespace keyscope {

// Empties this thread's OpenSSL error queue into an Error. Must run on the thread that made the failing call:
// the queue is thread-local, so the async workers drain it inside Execute().
Error DrainOpenSSLErrors(std::string code, std::string message);

// Discards whatever an earlier call left in this thread's queue.
void ClearOpenSSLErrors();

}  // namespace keyscope

// Seeded key generation, for paired comparisons of two builds: RSA time is mostly the luck of the prime search,
// so two runs that search the same candidates differ only by the code under test.
//
// The randomness comes from a private OpenSSL library context whose DRBGs are instances of a built-in RAND
// ("KEYSCOPE-SEEDED", a xoshiro256** stream). Node's RNG and every other caller use the default library
// context, which this never touches. Keys made here are for timing only: they are freed, never exported.
#pragma once

#include <cstdint>

#include <openssl/types.h>

#include "result.h"

namespace keyscope {

// Measured key indices are at most 2^53 - 1 (a JS safe integer); warm-up keys draw from indices with the top
// bit set, so a warm-up never shifts the measured stream and never repeats one of its keys.
constexpr uint64_t kWarmupKeyDomain = uint64_t{1} << 63;

// The private library context: the "default" provider for key generation plus the seeded RAND as its DRBG
// type and seed source. Created on the first call (thread-safe) and kept for the life of the process: OpenSSL
// frees a context's per-thread DRBGs only when each thread that used it exits, and calls back into the context
// then, so freeing it while libuv's worker threads live on would leave them a dangling pointer.
Result<OSSL_LIB_CTX*> SeededLibraryContext();

// Whether ctx is the seeded library context (false before it exists).
bool IsSeededLibraryContext(const OSSL_LIB_CTX* ctx);

// Restarts the calling thread's public and private DRBGs of the seeded context on the stream of one key, so
// that what the next key draws depends on (seed, key_index) alone: not on the thread, the batch, or anything
// drawn before. False with OpenSSL's errors queued when the DRBGs cannot be reached.
bool SelectKeyStream(OSSL_LIB_CTX* ctx, uint64_t seed, uint64_t key_index);

}  // namespace keyscope

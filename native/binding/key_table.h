// The keys handed to JavaScript, each behind a handle: a small number that a KeyPair keeps in a private field.
//
// Why not an ObjectWrap per key: Node-API runs a wrapped object's finalizer only at the next setImmediate after
// the collection that found it dead, so a synchronous loop of generateKeyPairSync kept every key it made until
// the loop ended; and the wrapper (an External, a constructor call, a wrap reference) cost about 1.3 us per key,
// a tenth of a P-256 keygen. A KeyPair now registers itself with a FinalizationRegistry, whose callback calls
// keyCollected(handle); release() frees the key at once.
//
// A slot is reused only once its KeyPair has been collected (release() frees the key but keeps the slot), so a
// handle never names two keys while anything can still hold it. Plain C++: the binding does the Node-API side.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/keygen.h"

namespace keyscope::binding {

class KeyTable {
 public:
  KeyTable() = default;
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;
  ~KeyTable();  // frees every key still held: the environment is going away

  // Takes ownership of the key; returns its handle.
  uint32_t Insert(KeyPtr key, int64_t external_bytes);
  // The key behind a handle, or null when it was released (or the handle is not one of ours).
  EVP_PKEY* Find(double handle) const;
  // Frees the key now and keeps the slot for the KeyPair that still holds the handle. Returns the external
  // bytes given back (0 when there was nothing to free).
  int64_t Release(double handle);
  // The KeyPair is gone: frees the key if release() did not, and makes the slot reusable.
  int64_t Collected(double handle);

 private:
  struct Slot {
    EVP_PKEY* key = nullptr;
    int64_t external_bytes = 0;
    bool in_use = false;  // a KeyPair holds this slot's handle
  };
  Slot* SlotOf(double handle);
  const Slot* SlotOf(double handle) const;

  std::vector<Slot> slots_;
  std::vector<uint32_t> reusable_;
};

}  // namespace keyscope::binding

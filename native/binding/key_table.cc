#include "key_table.h"

namespace keyscope::binding {

KeyTable::~KeyTable() {
  for (Slot& slot : slots_) EVP_PKEY_free(slot.key);
}

uint32_t KeyTable::Insert(KeyPtr key, int64_t external_bytes) {
  uint32_t index;
  if (!reusable_.empty()) {
    index = reusable_.back();
    reusable_.pop_back();
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  slots_[index] = Slot{key.release(), external_bytes, true};
  return index;
}

KeyTable::Slot* KeyTable::SlotOf(double handle) {
  return const_cast<Slot*>(static_cast<const KeyTable*>(this)->SlotOf(handle));
}

const KeyTable::Slot* KeyTable::SlotOf(double handle) const {
  // A handle is an index the table gave out; anything else (NaN, a fraction, out of range) names no slot.
  if (!(handle >= 0 && handle < static_cast<double>(slots_.size()))) return nullptr;
  auto index = static_cast<size_t>(handle);
  if (static_cast<double>(index) != handle || !slots_[index].in_use) return nullptr;
  return &slots_[index];
}

EVP_PKEY* KeyTable::Find(double handle) const {
  const Slot* slot = SlotOf(handle);
  return slot == nullptr ? nullptr : slot->key;
}

int64_t KeyTable::Release(double handle) {
  Slot* slot = SlotOf(handle);
  if (slot == nullptr || slot->key == nullptr) return 0;
  EVP_PKEY_free(slot->key);
  slot->key = nullptr;
  return slot->external_bytes;
}

int64_t KeyTable::Collected(double handle) {
  Slot* slot = SlotOf(handle);
  if (slot == nullptr) return 0;
  int64_t given_back = Release(handle);
  slot->in_use = false;
  reusable_.push_back(static_cast<uint32_t>(slot - slots_.data()));
  return given_back;
}

}  // namespace keyscope::binding

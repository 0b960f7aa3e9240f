// Internal: a stack of trivially copyable items for the binary reader's hot loop. Its push is a
// bounds check and a store; std::vector::push_back keeps the growth path out of line, and the
// call makes every pushed value take a round trip through the stack.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>

namespace entsig::plist::bplist {

template <class T>
class WorkList {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  T& push() {
    if (size_ == capacity_) [[unlikely]]
      grow();
    return data_[size_++];
  }
  void push(const T& value) { push() = value; }
  // Items [start, size()).
  std::span<T> from(std::size_t start) { return {data_.get() + start, size_ - start}; }
  void truncate(std::size_t size) { size_ = size; }
  void clear() { size_ = 0; }
  // Frees the storage when it is larger than `bytes`.
  void trim(std::size_t bytes) {
    size_ = 0;
    if (capacity_ * sizeof(T) > bytes) {
      data_.reset();
      capacity_ = 0;
    }
  }

 private:
  [[gnu::noinline]] void grow() {
    const std::size_t capacity = std::max<std::size_t>(64, 2 * capacity_);
    auto data = std::make_unique_for_overwrite<T[]>(capacity);
    std::copy(data_.get(), data_.get() + size_, data.get());
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace entsig::plist::bplist

// Memory the core allocates for the duration of one call, without exceptions.
//
// The WASM build has no C++ exceptions: a std::vector that cannot grow calls abort() and
// the module is dead. A CheckedBuffer is bounded (max_array_bytes, checked_size.hpp)
// before it is allocated and is simply empty when the bound or malloc says no, so the
// caller returns an error message and the module keeps working:
//
//   CheckedBuffer<double> logits(keys);
//   if (!logits) return "keys too large: out of memory for the logits";
#pragma once

#include <cstddef>
#include <cstdlib>
#include <type_traits>

#include "checked_size.hpp"

namespace attn {

template <class T>
class CheckedBuffer {
    static_assert(std::is_trivial_v<T>, "holds numbers only: no constructors run");

public:
    /// Room for `count` elements (contents unspecified), or empty if that is more than
    /// max_array_bytes or malloc fails.
    explicit CheckedBuffer(std::size_t count)
    {
        if (CheckedSize(count).fits(sizeof(T)))
            data_ = static_cast<T*>(std::malloc((count > 0 ? count : 1) * sizeof(T)));
        if (data_ != nullptr)
            size_ = count;
    }
    CheckedBuffer(const CheckedBuffer&) = delete;
    CheckedBuffer& operator=(const CheckedBuffer&) = delete;
    ~CheckedBuffer() { std::free(data_); }

    explicit operator bool() const { return data_ != nullptr; }
    T* data() { return data_; }
    const T* data() const { return data_; }
    std::size_t size() const { return size_; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }

private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace attn

// Size arithmetic that cannot wrap, and the one bound on every array the core handles.
//
// In WebAssembly size_t is 32 bits, so nq * dk silently wraps at 2^32 and a kernel that
// allocates the wrapped size writes far past its buffer. Every size the core derives
// from caller-given dimensions goes through CheckedSize, whose products and sums stick
// at "overflowed" instead of wrapping:
//
//   (CheckedSize(nq) * dk).fits_floats()     nq * dk floats fit in max_array_bytes
//   (CheckedSize(count) + 16) * sizeof(float) bytes for a padded buffer, or overflowed
//   check_float_arrays({{"q: nq x dk", {nq, dk}}, {"v: nk x dv", {nk, dv}}})
//                                            "" or a message naming the array too large
//
// and every array the core reads, writes or allocates is at most max_array_bytes, in the
// native and the WASM build alike (so both refuse the same calls, with the same message).
// Once the sizes of a call's arrays are checked, every offset inside them (i * nk + j, ...)
// is smaller than those sizes and needs no further check.
#pragma once

#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <string>

namespace attn {

/// The largest array (input, output or scratch) the core works with: 1 GiB, half of the
/// 2 GiB WebAssembly heap.
constexpr std::size_t max_array_bytes = std::size_t(1) << 30;
/// The same bound in floats (2^28).
constexpr std::size_t max_array_floats = max_array_bytes / sizeof(float);

/// A size that is either exact or "overflowed" (sticky): never a wrapped value.
class CheckedSize {
public:
    constexpr CheckedSize(std::size_t value) : value_(value) {}

    static constexpr CheckedSize overflowed() { return CheckedSize(0, true); }

    constexpr bool overflow() const { return overflow_; }
    /// The exact value; meaningful only when !overflow().
    constexpr std::size_t value() const { return value_; }

    /// True when this many elements of `element_bytes` bytes fit in max_array_bytes.
    constexpr bool fits(std::size_t element_bytes) const
    {
        return !overflow_ && value_ <= max_array_bytes / element_bytes;
    }
    constexpr bool fits_floats() const { return fits(sizeof(float)); }

    friend constexpr CheckedSize operator*(CheckedSize a, CheckedSize b)
    {
        std::size_t product = 0;
        if (a.overflow_ || b.overflow_ || __builtin_mul_overflow(a.value_, b.value_, &product))
            return overflowed();
        return CheckedSize(product);
    }

    friend constexpr CheckedSize operator+(CheckedSize a, CheckedSize b)
    {
        std::size_t sum = 0;
        if (a.overflow_ || b.overflow_ || __builtin_add_overflow(a.value_, b.value_, &sum))
            return overflowed();
        return CheckedSize(sum);
    }

private:
    constexpr CheckedSize(std::size_t value, bool overflow) : value_(value), overflow_(overflow) {}

    std::size_t value_ = 0;
    bool overflow_ = false;
};

/// The product of `factors`, checked.
inline CheckedSize checked_product(std::initializer_list<std::size_t> factors)
{
    CheckedSize p = 1;
    for (std::size_t f : factors)
        p = p * f;
    return p;
}

/// One array of a call: how its shape reads in a message ("q: nq x dk") and its
/// dimensions, whose product is its size in floats.
struct FloatArray {
    const char* shape_text;
    std::initializer_list<std::size_t> dims;
};

/// "" when every array fits in max_array_bytes; else a message that names the first one
/// that does not, with its true size. Builds no string unless one is too large.
inline std::string check_float_arrays(std::initializer_list<FloatArray> arrays)
{
    for (const FloatArray& a : arrays) {
        if (checked_product(a.dims).fits_floats())
            continue;
        double exact = 1.0; // the true product, for the message, however large
        for (std::size_t f : a.dims)
            exact *= double(f);
        char text[160];
        std::snprintf(text, sizeof text,
                      "%s = %.4g floats is too large: the core's arrays hold at most 2^28 floats (1 GiB)",
                      a.shape_text, exact);
        return text;
    }
    return std::string();
}

} // namespace attn

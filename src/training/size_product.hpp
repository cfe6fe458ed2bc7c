// Products of sizes that must not wrap around: in wasm32, size_t has 32 bits, and a
// buffer's length is a product of several sizes.
// (A stand-in for the core's shared checked-arithmetic header, when it lands.)
#pragma once

#include <cstddef>
#include <initializer_list>
#include <limits>

namespace attn::training {

/// The product of `factors` into `out`, or false if it exceeds `limit` (out is then 0).
inline bool size_product(std::initializer_list<std::size_t> factors, std::size_t& out,
                         std::size_t limit = std::numeric_limits<std::size_t>::max())
{
    std::size_t product = 1;
    for (std::size_t f : factors) {
        if (f != 0 && product > limit / f) {
            out = 0;
            return false;
        }
        product *= f;
    }
    out = product;
    return true;
}

} // namespace attn::training

#include "finite.hpp"

#include <algorithm>

#include "simd.hpp"

namespace attn {

std::size_t first_non_finite(const float* x, std::size_t n)
{
    constexpr std::size_t chunk = 1024;
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        const std::size_t end = std::min(n, begin + chunk);
        std::size_t i = begin;
        float sum = 0.0f;
#if ATTN_SIMD
        simd::floats acc(0.0f);
        for (; i + simd::width <= end; i += simd::width) {
            const simd::floats v = simd::floats::load_unaligned(x + i);
            acc += v - v;
        }
        sum = simd::reduce_sum(acc);
#endif
        for (; i < end; ++i)
            sum += x[i] - x[i];
        if (sum != 0.0f) // NaN != 0
            for (std::size_t j = begin; j < end; ++j)
                if (x[j] - x[j] != 0.0f)
                    return j;
    }
    return n;
}

} // namespace attn

#include "softmax.hpp"

#include <cfloat>

#include "exp.hpp"
#include "simd.hpp"

namespace attn {

namespace {
inline float saturate(float x)
{
    x = (-FLT_MAX < x) ? x : -FLT_MAX; // also maps nan to -FLT_MAX
    return (x < FLT_MAX) ? x : FLT_MAX;
}
} // namespace

float saturate_and_max(float* x, std::size_t n)
{
    std::size_t j = 0;
    float m = -FLT_MAX;
#if ATTN_SIMD
    using simd::floats;
    constexpr std::size_t W = simd::width;
    if (n >= W) {
        const floats lo(-FLT_MAX), hi(FLT_MAX);
        floats mv = lo;
        for (; j + W <= n; j += W) {
            floats v = simd::min(hi, simd::max(lo, floats::load_unaligned(x + j)));
            v.store_unaligned(x + j);
            mv = simd::max(mv, v);
        }
        m = simd::reduce_max(mv);
    }
#endif
    for (; j < n; ++j) {
        x[j] = saturate(x[j]);
        m = x[j] > m ? x[j] : m;
    }
    return m;
}

float exp_shifted_sum(float* x, std::size_t n, float shift, const Temperature& t)
{
    std::size_t j = 0;
    float sum = 0.0f;
    if (t.divides()) { // T below 2.9e-39: rare enough for the scalar loop
        for (; j < n; ++j) {
            x[j] = exp_nonpositive(t.gap(x[j] - shift));
            sum += x[j];
        }
        return sum;
    }
#if ATTN_SIMD
    using simd::floats;
    constexpr std::size_t W = simd::width;
    if (n >= W) {
        const floats s(shift), inverse(t.inverse());
        floats acc(0.0f);
        for (; j + W <= n; j += W) {
            floats e = exp_nonpositive((floats::load_unaligned(x + j) - s) * inverse);
            e.store_unaligned(x + j);
            acc += e;
        }
        sum = simd::reduce_sum(acc);
    }
#endif
    for (; j < n; ++j) {
        x[j] = exp_nonpositive(t.gap(x[j] - shift));
        sum += x[j];
    }
    return sum;
}

void scale_in_place(float* x, std::size_t n, float s)
{
    std::size_t j = 0;
#if ATTN_SIMD
    using simd::floats;
    constexpr std::size_t W = simd::width;
    const floats sv(s);
    for (; j + W <= n; j += W)
        (floats::load_unaligned(x + j) * sv).store_unaligned(x + j);
#endif
    for (; j < n; ++j)
        x[j] *= s;
}

void softmax_row(float* x, std::size_t n, const Temperature& t)
{
    const float m = saturate_and_max(x, n);
    const float sum = exp_shifted_sum(x, n, m, t); // >= 1: the maximum contributes e^0
    scale_in_place(x, n, 1.0f / sum);
}

} // namespace attn

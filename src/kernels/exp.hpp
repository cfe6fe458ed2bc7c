// exp for softmax: e^x for x <= 0 (softmax subtracts the row maximum first).
//
// xsimd::exp goes through float->int conversions that Emscripten 3.1.6 emulates with four
// scalar calls, so it is slower than scalar expf on WASM. This version never converts:
// it rounds x*log2(e) with the 1.5*2^23 "magic number" trick, whose bit pattern already
// holds the integer, and builds 2^n with an integer shift and add.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "simd.hpp"

namespace attn {

namespace exp_constants {
constexpr float log2e = 1.44269504088896341f;
constexpr float ln2_hi = 0.693359375f;          // exact in 9 bits, so n*ln2_hi is exact
constexpr float ln2_lo = -2.12194440e-4f;
constexpr float magic = 12582912.0f;            // 1.5 * 2^23
constexpr float lowest = -87.0f;                // below this e^x is treated as 0
// Minimax polynomial for e^r on [-ln2/2, ln2/2] (Cephes expf), relative error ~1e-7.
constexpr float p0 = 1.9875691500e-4f;
constexpr float p1 = 1.3981999507e-3f;
constexpr float p2 = 8.3334519073e-3f;
constexpr float p3 = 4.1665795894e-2f;
constexpr float p4 = 1.6666665459e-1f;
constexpr float p5 = 5.0000001201e-1f;
} // namespace exp_constants

/// e^x for x <= 0, the same arithmetic as exp_nonpositive(floats) lane by lane; returns
/// exactly 0 below -87 (and for -inf).
inline float exp_nonpositive(float x)
{
    using namespace exp_constants;
    if (!(x >= lowest))
        return 0.0f;
    float t = x * log2e + magic;
    float n = t - magic;
    float r = x - n * ln2_hi;
    r = r - n * ln2_lo;
    float p = p0;
    p = p * r + p1;
    p = p * r + p2;
    p = p * r + p3;
    p = p * r + p4;
    p = p * r + p5;
    p = p * (r * r) + r + 1.0f;
    // Unsigned: the shift pushes t's high bits out, which is undefined for signed ints.
    std::uint32_t tb, pb;
    std::memcpy(&tb, &t, 4);
    std::memcpy(&pb, &p, 4);
    pb += tb << 23;
    std::memcpy(&p, &pb, 4);
    return p;
}

#if ATTN_SIMD
/// Four lanes of e^x for x <= 0, with no float->int conversion instruction.
inline simd::floats exp_nonpositive(simd::floats x)
{
    using namespace exp_constants;
    using F = simd::floats;
    auto alive = x >= F(lowest);
    F t = x * F(log2e) + F(magic);
    F n = t - F(magic);
    F r = x - n * F(ln2_hi);
    r = r - n * F(ln2_lo);
    F p(p0);
    p = p * r + F(p1);
    p = p * r + F(p2);
    p = p * r + F(p3);
    p = p * r + F(p4);
    p = p * r + F(p5);
    p = p * (r * r) + r + F(1.0f);
    simd::ints scale = xsimd::bitwise_cast<simd::ints>(t) << 23;
    F e = xsimd::bitwise_cast<F>(xsimd::bitwise_cast<simd::ints>(p) + scale);
    return F(_mm_and_ps(e, alive)); // one AND, where select would be a shift and a bitselect
}
#endif

} // namespace attn

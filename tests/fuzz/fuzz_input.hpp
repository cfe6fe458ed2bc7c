// What every fuzz target draws its arguments from: libFuzzer's bytes, read through
// FuzzedDataProvider, turned into the sizes, codes and floats an entry point takes, and
// FUZZ_CHECK, which stops the run (a crash libFuzzer saves) when an oracle fails.
//
// A target is one file, tests/fuzz/<name>_fuzz.cpp, defining LLVMFuzzerTestOneInput;
// CMake builds it as build/sanitize/fuzz_<name> (ASan + UBSan + libFuzzer) and
// `npm run fuzz -- <name> <seconds>` runs it.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "checked_size.hpp"

#define FUZZ_CHECK(condition, ...)                                                   \
    do {                                                                             \
        if (!(condition)) {                                                          \
            std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, __LINE__, \
                         #condition);                                                \
            std::fprintf(stderr, __VA_ARGS__);                                       \
            std::fprintf(stderr, "\n");                                              \
            std::abort();                                                            \
        }                                                                            \
    } while (0)

namespace fuzz {

/// The most floats a target allocates for one array: larger calls are only checked to
/// be refused when they exceed the core's own bound (max_array_floats).
constexpr std::size_t max_floats = std::size_t(1) << 16;

/// A float: raw bits (NaN and infinities included), a boundary value, a small integer, or
/// a number in [-8, 8].
inline float any_float(FuzzedDataProvider& in)
{
    static const float edges[] = {0.0f, -0.0f, FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN,
                                  std::numeric_limits<float>::denorm_min(), 1.0f, -1.0f,
                                  3e38f, -3e38f, 1e-40f, 1e19f, -1e19f, 1e-19f, 65504.0f};
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: {
        const std::uint32_t bits = in.ConsumeIntegral<std::uint32_t>();
        float x;
        std::memcpy(&x, &bits, sizeof x);
        return x;
    }
    case 1:
        return edges[in.ConsumeIntegralInRange<std::size_t>(0, sizeof edges / sizeof edges[0] - 1)];
    case 2:
    case 3:
        return float(in.ConsumeIntegralInRange<int>(-3, 3));
    default:
        return in.ConsumeFloatingPointInRange<float>(-8.0f, 8.0f);
    }
}

/// `count` floats; non-finite ones become 0 unless `keep_non_finite`.
inline std::vector<float> floats(FuzzedDataProvider& in, std::size_t count, bool keep_non_finite)
{
    std::vector<float> x(count);
    for (float& e : x) {
        e = any_float(in);
        if (!keep_non_finite && !std::isfinite(e))
            e = 0.0f;
    }
    return x;
}

/// `count` floats of either sign whose size is from FLT_MAX / 4 to FLT_MAX: their sums
/// and products leave float range, which a kernel must refuse or saturate, never return
/// as infinity or NaN (raw bits rarely land there).
inline std::vector<float> huge_floats(FuzzedDataProvider& in, std::size_t count)
{
    std::vector<float> x(count);
    for (float& e : x)
        e = (in.ConsumeBool() ? 1.0f : -1.0f) * in.ConsumeFloatingPointInRange<float>(FLT_MAX / 4, FLT_MAX);
    return x;
}

/// A size: usually from 0 to `usual`, sometimes a power of two up to 2^40, or SIZE_MAX.
inline std::size_t size(FuzzedDataProvider& in, std::size_t usual)
{
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
        return std::size_t(1) << in.ConsumeIntegralInRange<int>(0, sizeof(std::size_t) == 8 ? 40 : 31);
    case 1:
        return std::numeric_limits<std::size_t>::max() - in.ConsumeIntegralInRange<std::size_t>(0, 2);
    default:
        return in.ConsumeIntegralInRange<std::size_t>(0, usual);
    }
}

/// A temperature: usually an ordinary one, often an extreme float32, sometimes raw bits.
inline float temperature(FuzzedDataProvider& in)
{
    static const float extremes[] = {1.0f, std::numeric_limits<float>::denorm_min(), 1e-44f, 1e-40f, 2.9e-39f,
                                     3e-39f, FLT_MIN, 1e-30f, 1e-6f, 1e6f, 1e30f, FLT_MAX, 0.0f, -1.0f};
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
        return extremes[in.ConsumeIntegralInRange<std::size_t>(0, sizeof extremes / sizeof extremes[0] - 1)];
    case 1:
        return any_float(in);
    default:
        return in.ConsumeFloatingPointInRange<float>(0.05f, 20.0f);
    }
}

/// Whether an array of the product of `factors` floats is small enough to allocate here.
inline bool allocatable(std::initializer_list<std::size_t> factors)
{
    const attn::CheckedSize n = attn::checked_product(factors);
    return !n.overflow() && n.value() <= max_floats;
}

/// Whether the core must refuse an array of the product of `factors` floats.
inline bool beyond_core(std::initializer_list<std::size_t> factors)
{
    return !attn::checked_product(factors).fits_floats();
}

inline bool all_finite(const std::vector<float>& x)
{
    for (float e : x)
        if (!std::isfinite(e))
            return false;
    return true;
}

inline double max_abs(const float* x, std::size_t n)
{
    double m = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        m = std::fmax(m, std::fabs(double(x[i])));
    return m;
}

} // namespace fuzz

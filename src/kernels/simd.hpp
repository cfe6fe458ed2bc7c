// Which vector instructions the core is built with, and the few vector operations
// xsimd 8.1 does not map well to WebAssembly SIMD128.
//
// The WASM module is built with -msimd128 -msse4.1: Emscripten translates xsimd's SSE4.1
// code to SIMD128. Natively the same code runs as real SSE4.1, so both builds take the
// same arithmetic path. A build without those flags (the "scalar" module) uses the plain
// loops that every kernel keeps beside its vector version.
#pragma once

#if defined(__SSE4_1__)
#define ATTN_SIMD 1
#include <xsimd/xsimd.hpp>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif
#else
#define ATTN_SIMD 0
#endif

namespace attn::simd {

/// True when the vector kernels are compiled in.
constexpr bool enabled = ATTN_SIMD != 0;

#if ATTN_SIMD
using floats = xsimd::batch<float, xsimd::sse4_1>;
using ints = xsimd::batch<int32_t, xsimd::sse4_1>;
constexpr std::size_t width = floats::size;

/// Lane-wise max that is one instruction on both targets. SSE's maxps is exact here; in
/// Emscripten 3.1.6 `_mm_max_ps` is emulated with several instructions to copy its NaN
/// rule, so on WASM use f32x4.pmax (a < b ? b : a), which agrees for non-NaN inputs.
inline floats max(floats a, floats b)
{
#if defined(__wasm_simd128__)
    return floats(static_cast<__m128>(wasm_f32x4_pmax(static_cast<v128_t>(static_cast<__m128>(a)),
                                                       static_cast<v128_t>(static_cast<__m128>(b)))));
#else
    return floats(_mm_max_ps(b, a));
#endif
}

inline floats min(floats a, floats b)
{
#if defined(__wasm_simd128__)
    return floats(static_cast<__m128>(wasm_f32x4_pmin(static_cast<v128_t>(static_cast<__m128>(a)),
                                                       static_cast<v128_t>(static_cast<__m128>(b)))));
#else
    return floats(_mm_min_ps(b, a));
#endif
}

/// Largest lane, by two shuffles instead of the emulated horizontal ops.
inline float reduce_max(floats a)
{
    __m128 v = a;
    floats m = max(a, floats(_mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2))));
    __m128 w = m;
    m = max(m, floats(_mm_shuffle_ps(w, w, _MM_SHUFFLE(2, 3, 0, 1))));
    return _mm_cvtss_f32(m);
}

/// Sum of the lanes, by two shuffles (no hadd, which is emulated on WASM).
inline float reduce_sum(floats a)
{
    __m128 v = a;
    __m128 s = _mm_add_ps(v, _mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_ps(s, _mm_shuffle_ps(s, s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtss_f32(s);
}
#endif

} // namespace attn::simd

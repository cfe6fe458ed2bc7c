#include "transpose.hpp"

#include "simd.hpp"

namespace attn {

void transpose_scaled(const float* src, std::size_t ld_src, std::size_t rows, std::size_t cols,
                      const float* row_scale, float* dst, std::size_t ld_dst)
{
    std::size_t r = 0;
#if ATTN_SIMD
    for (; r + 4 <= rows; r += 4) {
        const float* s = src + r * ld_src;
        const __m128 f0 = _mm_set1_ps(row_scale ? row_scale[r] : 1.0f);
        const __m128 f1 = _mm_set1_ps(row_scale ? row_scale[r + 1] : 1.0f);
        const __m128 f2 = _mm_set1_ps(row_scale ? row_scale[r + 2] : 1.0f);
        const __m128 f3 = _mm_set1_ps(row_scale ? row_scale[r + 3] : 1.0f);
        std::size_t c = 0;
        for (; c + 4 <= cols; c += 4) {
            __m128 x0 = _mm_mul_ps(_mm_loadu_ps(s + c), f0);
            __m128 x1 = _mm_mul_ps(_mm_loadu_ps(s + ld_src + c), f1);
            __m128 x2 = _mm_mul_ps(_mm_loadu_ps(s + 2 * ld_src + c), f2);
            __m128 x3 = _mm_mul_ps(_mm_loadu_ps(s + 3 * ld_src + c), f3);
            _MM_TRANSPOSE4_PS(x0, x1, x2, x3);
            _mm_storeu_ps(dst + c * ld_dst + r, x0);
            _mm_storeu_ps(dst + (c + 1) * ld_dst + r, x1);
            _mm_storeu_ps(dst + (c + 2) * ld_dst + r, x2);
            _mm_storeu_ps(dst + (c + 3) * ld_dst + r, x3);
        }
        for (; c < cols; ++c)
            for (std::size_t i = 0; i < 4; ++i)
                dst[c * ld_dst + r + i] = s[i * ld_src + c] * (row_scale ? row_scale[r + i] : 1.0f);
    }
#endif
    for (; r < rows; ++r) {
        const float f = row_scale ? row_scale[r] : 1.0f;
        for (std::size_t c = 0; c < cols; ++c)
            dst[c * ld_dst + r] = src[r * ld_src + c] * f;
    }
}

} // namespace attn

#include "matmul.hpp"

#include "simd.hpp"

namespace attn {

void matmul_plain(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
                  std::size_t ldc, std::size_t m, std::size_t k, std::size_t n, bool accumulate)
{
    for (std::size_t i = 0; i < m; ++i) {
        float* c_row = c + i * ldc;
        if (!accumulate)
            for (std::size_t j = 0; j < n; ++j)
                c_row[j] = 0.0f;
        for (std::size_t p = 0; p < k; ++p) {
            const float a_ip = a[i * lda + p];
            const float* b_row = b + p * ldb;
            for (std::size_t j = 0; j < n; ++j)
                c_row[j] += a_ip * b_row[j];
        }
    }
}

#if ATTN_SIMD
namespace {

using simd::floats;
constexpr std::size_t W = simd::width;

// C[R x V*4] (+)= A[R x K] * B[K x V*4]. R*V accumulators stay in registers across the
// whole K loop: with R = 4, V = 3 that is 12 accumulators, 3 loads of B and one
// broadcast of A live at once, 16 vector registers in all.
template <std::size_t R, std::size_t V>
inline void micro_kernel(const float* a, std::size_t lda, const float* b, std::size_t ldb,
                         float* c, std::size_t ldc, std::size_t k, bool accumulate)
{
    floats acc[R][V];
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < V; ++v)
            acc[r][v] = accumulate ? floats::load_unaligned(c + r * ldc + v * W) : floats(0.0f);
    for (std::size_t p = 0; p < k; ++p) {
        floats bv[V];
        for (std::size_t v = 0; v < V; ++v)
            bv[v] = floats::load_unaligned(b + p * ldb + v * W);
        for (std::size_t r = 0; r < R; ++r) {
            const floats ar(a[r * lda + p]);
            for (std::size_t v = 0; v < V; ++v)
                acc[r][v] += ar * bv[v];
        }
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < V; ++v)
            acc[r][v].store_unaligned(c + r * ldc + v * W);
}

// One horizontal strip of R rows: panels of 12 columns, then 8, then 4, then a scalar tail.
template <std::size_t R>
void row_strip(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
               std::size_t ldc, std::size_t k, std::size_t n, bool accumulate)
{
    std::size_t j = 0;
    for (; j + 3 * W <= n; j += 3 * W)
        micro_kernel<R, 3>(a, lda, b + j, ldb, c + j, ldc, k, accumulate);
    if (j + 2 * W <= n) {
        micro_kernel<R, 2>(a, lda, b + j, ldb, c + j, ldc, k, accumulate);
        j += 2 * W;
    }
    if (j + W <= n) {
        micro_kernel<R, 1>(a, lda, b + j, ldb, c + j, ldc, k, accumulate);
        j += W;
    }
    if (j < n)
        matmul_plain(a, lda, b + j, ldb, c + j, ldc, R, k, n - j, accumulate);
}

} // namespace
#endif

void matmul(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
            std::size_t ldc, std::size_t m, std::size_t k, std::size_t n, bool accumulate)
{
#if ATTN_SIMD
    std::size_t i = 0;
    for (; i + 4 <= m; i += 4)
        row_strip<4>(a + i * lda, lda, b, ldb, c + i * ldc, ldc, k, n, accumulate);
    switch (m - i) {
    case 3: row_strip<3>(a + i * lda, lda, b, ldb, c + i * ldc, ldc, k, n, accumulate); break;
    case 2: row_strip<2>(a + i * lda, lda, b, ldb, c + i * ldc, ldc, k, n, accumulate); break;
    case 1: row_strip<1>(a + i * lda, lda, b, ldb, c + i * ldc, ldc, k, n, accumulate); break;
    default: break;
    }
#else
    matmul_plain(a, lda, b, ldb, c, ldc, m, k, n, accumulate);
#endif
}

} // namespace attn

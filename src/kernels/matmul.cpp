#include "matmul.hpp"

#include <algorithm>

#include "simd.hpp"
#include "transpose.hpp"

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

// Register block: R rows x V vectors of C stay in registers across the K loop. V8 keeps
// 15 of the 16 xmm registers for values, and WASM has no fused multiply-add, so each
// product needs a temporary: 4 x 2 accumulators + 2 loads of B + 1 broadcast + 1 product
// is the largest block that does not spill (4 x 3 spills; read with --print-wasm-code).
constexpr std::size_t block_rows = 4;
constexpr std::size_t block_vecs = 2;
// A strip is packed in chunks of this many columns (k), so its copy stays in L1.
constexpr std::size_t k_chunk = 256;

// C[R x V*4] (+)= A[R x k] * B[k x V*4], A packed as k groups of R consecutive values, so
// each step broadcasts R values from one pointer and loads V vectors of B from another.
template <std::size_t R, std::size_t V>
inline void micro_kernel(const float* a_packed, const float* b, std::size_t ldb, float* c,
                         std::size_t ldc, std::size_t k, bool accumulate)
{
    floats acc[R][V];
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < V; ++v)
            acc[r][v] = accumulate ? floats::load_unaligned(c + r * ldc + v * W) : floats(0.0f);
    for (std::size_t p = 0; p < k; ++p, a_packed += R, b += ldb) {
        floats bv[V];
        for (std::size_t v = 0; v < V; ++v)
            bv[v] = floats::load_unaligned(b + v * W);
        for (std::size_t r = 0; r < R; ++r) {
            const floats ar(a_packed[r]);
            for (std::size_t v = 0; v < V; ++v)
                acc[r][v] += ar * bv[v];
        }
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < V; ++v)
            acc[r][v].store_unaligned(c + r * ldc + v * W);
}

// One horizontal strip of R rows of C: pack a chunk of A's rows, then sweep B's columns in
// panels of V vectors, then single vectors, then a scalar tail.
template <std::size_t R>
void row_strip(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
               std::size_t ldc, std::size_t k, std::size_t n, bool accumulate)
{
    alignas(16) float a_packed[k_chunk * R];
    for (std::size_t p0 = 0; p0 < k; p0 += k_chunk) {
        const std::size_t kc = std::min(k_chunk, k - p0);
        const bool acc = accumulate || p0 > 0;
        transpose_scaled(a + p0, lda, R, kc, nullptr, a_packed, R);
        const float* bp = b + p0 * ldb;
        std::size_t j = 0;
        for (; j + block_vecs * W <= n; j += block_vecs * W)
            micro_kernel<R, block_vecs>(a_packed, bp + j, ldb, c + j, ldc, kc, acc);
        for (; j + W <= n; j += W)
            micro_kernel<R, 1>(a_packed, bp + j, ldb, c + j, ldc, kc, acc);
        if (j < n)
            matmul_plain(a + p0, lda, bp + j, ldb, c + j, ldc, R, kc, n - j, acc);
    }
}

} // namespace
#endif

void matmul(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
            std::size_t ldc, std::size_t m, std::size_t k, std::size_t n, bool accumulate)
{
#if ATTN_SIMD
    static_assert(block_rows == 4, "the remainder below handles 1 to 3 rows");
    std::size_t i = 0;
    for (; i + block_rows <= m; i += block_rows)
        row_strip<block_rows>(a + i * lda, lda, b, ldb, c + i * ldc, ldc, k, n, accumulate);
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

// The one matrix product every layer of the core is made of:
//   C[M x N] = A[M x K] * B[K x N]      (or C += A * B with accumulate)
// A, B, C row-major, each with its own leading dimension (row stride, in floats), so
// the caller can multiply sub-blocks in place: a tile of queries by a packed tile of keys
// (attention scores), softmax weights by values (attention output), activations by a
// projection matrix (multi-head attention).
#pragma once

#include <cstddef>

namespace attn {

/// Plain triple loop, kept as the reference the vector kernel is compared against.
void matmul_plain(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
                  std::size_t ldc, std::size_t m, std::size_t k, std::size_t n, bool accumulate);

/// The fast path: A packed in strips, register-blocked 4 x 8 micro-kernel on SIMD128 (falls back to the
/// plain loop in a build without SIMD).
void matmul(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
            std::size_t ldc, std::size_t m, std::size_t k, std::size_t n, bool accumulate);

} // namespace attn

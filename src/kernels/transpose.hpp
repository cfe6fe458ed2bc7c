// Packing for the matrix kernels: copy a block transposed, each source row scaled.
//   dst[c * ld_dst + r] = src[r * ld_src + c] * row_scale[r]    (row_scale null: 1)
// Used to lay keys out column-wise (so one vector holds four keys) with the logit scaling
// folded in, and to interleave the rows of a strip of A for the matmul micro-kernel.
// In SIMD builds it moves 4 x 4 blocks through registers with four shuffles, instead of
// the lane-by-lane gathers a compiler would generate for the plain loop.
#pragma once

#include <cstddef>

namespace attn {

void transpose_scaled(const float* src, std::size_t ld_src, std::size_t rows, std::size_t cols,
                      const float* row_scale, float* dst, std::size_t ld_dst);

} // namespace attn

// Projections: every token's vector times a learned matrix, the step that turns a
// sentence's word vectors X into its queries, keys and values.
//
//   P = X W                  X: n x d_in, W: d_in x d_out, P: n x d_out (row-major)
//
// With heads = h, the d_out columns of P are h blocks of width w = d_out / h, and the
// result holds them one after the other: out[b][i][c] = P[i][b*w + c]
// (out: h x n x w). That is the layout attention() takes for h heads, so
// Q = project(X, W_Q) with h heads feeds h independent attentions directly.
#pragma once

#include <cstddef>
#include <string>

namespace attn {

struct ProjectionShape {
    std::size_t n = 0;     ///< rows of X (tokens)
    std::size_t d_in = 0;  ///< columns of X = rows of W (features per token)
    std::size_t d_out = 0; ///< columns of W; a multiple of heads
    std::size_t heads = 1; ///< column blocks of the result, stored one after the other
};

/// "" when usable, else a message that names the bad argument: sizes > 0, dOut a
/// multiple of heads, x, w and out within max_array_bytes (checked_size.hpp).
std::string check_projection(const ProjectionShape& shape);

/// Reference: plain loops, accumulating in double. Shapes as project.
void project_plain(const float* x, const float* w, const ProjectionShape& shape, float* out);

/// x: n x d_in, w: d_in x d_out (row-major); out: heads x n x (d_out / heads).
/// Each block is one matrix product (matmul) writing straight into its place.
void project(const float* x, const float* w, const ProjectionShape& shape, float* out);

/// lab.project: check_projection, x and w finite, project; "" or a message. Finite
/// entries near 3.4e38 can make a product beyond float32: that is refused with a message
/// (as multi-head attention refuses it), never returned as infinity or NaN.
std::string projection(const float* x, const float* w, const ProjectionShape& shape, float* out);

} // namespace attn

// Multi-head attention: several attention patterns over one sequence, each in its own
// subspace, their outputs concatenated and mixed by an output projection.
//
//   Q = x Wq, K = x Wk, V = x Wv            x: n x dModel, each W: dModel x dModel
//   head h uses columns [h*dh, (h+1)*dh) of Q, K, V, dh = dModel / heads,
//   O_h = softmax(Q_h K_h^T / sqrt(dh)) V_h
//   output = [O_1 ... O_heads] Wo
// With tie_kv the values are the keys (V = x Wk): one projection fewer, and each head
// returns a blend of exactly the vectors it matched against.
// A head switched off (options.active) still computes its weights, for display, but its
// block of the concatenation is zero: it adds nothing to the output.
// One head of the same total width is the same matrices with heads = 1: a single
// softmax over the sum of all blocks' scores (scaled by 1/sqrt(dModel)).
#pragma once

#include <cstddef>
#include <string>

#include "attention.hpp"
#include "workspace.hpp"

namespace attn {

struct MultiHeadShape {
    std::size_t n = 0;       ///< sequence length
    std::size_t d_model = 0; ///< model width; a multiple of heads
    std::size_t heads = 0;
};

struct MultiHeadOptions {
    Mask mask = Mask::none;
    std::size_t window = 0;
    bool tie_kv = false;
    /// heads flags: head h contributes to the output iff active[h] != 0; nullptr: all do.
    const unsigned char* active = nullptr;
};

/// "" when usable, else a message naming the bad argument: sizes > 0, dModel divisible
/// by heads, x and the matrices within max_array_bytes (checked_size.hpp), and, with
/// `weights`, the heads x n x n weights too.
std::string check_multi_head(const MultiHeadShape& shape, bool weights = false);

/// Writes output (n x dModel); if `weights` is not null also the per-head weights
/// (heads x n x n) and, if `head_entropy` is not null, each head's row entropies
/// (heads x n). Without weights the fused kernel runs. If not null, `head_outputs`
/// (n x dModel) gets the concatenation [O_1 ... O_heads] before Wo (zero blocks for heads
/// switched off) and `values` (n x dModel) gets V. Inputs must be finite. Returns "" or an
/// error message: a bad shape, out of memory, or a projection or the output that
/// overflows float32 (inputs near 3.4e38), which has no float32 answer.
std::string multi_head_attention(const float* x, const float* wq, const float* wk, const float* wv,
                                 const float* wo, const MultiHeadShape& shape,
                                 const MultiHeadOptions& options, Workspace& workspace,
                                 float* output, float* weights, float* head_entropy,
                                 float* head_outputs = nullptr, float* values = nullptr);

} // namespace attn

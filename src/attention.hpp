// Scaled dot-product attention: each query blends the values of the keys it matches.
//
//   logits[i][j]  = (q_i . k_j) * s / temperature        s = 1/sqrt(d_k), 1, or 1/|k_j|
//   weights[i][:] = softmax(logits[i][visible keys])      0 for keys the mask hides
//   output[i]     = sum_j weights[i][j] * v_j
//
// Everything is float32. The temperature divides the scores after the row's largest
// score is subtracted (kernels/softmax.hpp), so every float32 temperature works, from
// 1.4e-45 to 3.4e38: as T -> 0 the weights tend to the argmax, the keys that tie for the
// largest score sharing the weight equally; as T grows they tend to uniform. Scores
// beyond float32's range saturate at +/-3.4e38 (keys whose scores saturate tie). An
// output row whose running sums overflow float32 (values near 3.4e38) is recomputed with
// normalised weights, so no finite input gives an infinite or NaN output.
//
// Two kernels give the same output: attention_with_weights materialises the nq x nk
// weights (the teaching views draw them); attention_fused streams keys through an online
// softmax in tiles and never holds more than one tile of scores, so its scratch does not
// grow with the sequence length. attention_plain is the readable reference both are
// tested against.
//
// A query that sees no key at all (a local window past the end of the keys) gets a zero
// output row and zero weights.
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include "workspace.hpp"

namespace attn {

enum class Scaling {
    none,        ///< logits are raw dot products
    inv_sqrt_dk, ///< divide by sqrt(d_k): keeps the logits' variance near 1 for any d_k
    l2_keys,     ///< keys scaled to unit length first, no further factor
};

enum class Mask {
    none,   ///< every query sees every key
    causal, ///< query i sees key j iff j <= i
    local,  ///< query i sees key j iff |i - j| <= window
};

struct AttentionShape {
    std::size_t nq = 0; ///< number of queries (rows of Q)
    std::size_t nk = 0; ///< number of keys and values (rows of K and V)
    std::size_t dk = 0; ///< length of a query / key vector
    std::size_t dv = 0; ///< length of a value vector
};

struct AttentionOptions {
    Scaling scaling = Scaling::inv_sqrt_dk;
    float temperature = 1.0f; ///< > 0; small values sharpen the softmax towards argmax
    Mask mask = Mask::none;
    std::size_t window = 0;   ///< half-width of the local mask
};

/// The keys query i may look at: [begin, end). Both ends never decrease as i grows.
struct KeyRange {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool empty() const { return begin >= end; }
};
KeyRange visible_keys(const AttentionOptions& options, std::size_t query, std::size_t nk);

/// "" when shape and options are usable, else a message that names the bad argument:
/// sizes > 0, the arrays q, k, v and output within max_array_bytes (checked_size.hpp),
/// a temperature that is a float > 0.
std::string check_attention(const AttentionShape& shape, const AttentionOptions& options);

/// check_attention, and the nq x nk weights within max_array_bytes too.
std::string check_attention_weights(const AttentionShape& shape, const AttentionOptions& options);

/// Reference: plain loops, no tiling; logits and weights in double, the output summed
/// in float from normalised weights (so it cannot overflow). Shapes as
/// attention_with_weights; `weights` may be null.
void attention_plain(const float* q, const float* k, const float* v, const AttentionShape& shape,
                     const AttentionOptions& options, float* weights, float* output);

/// q: nq x dk, k: nk x dk, v: nk x dv (row-major), all finite. Writes weights (nq x nk),
/// output (nq x dv) and, if `logits` is not null, the logits (nq x nk; saturated to
/// +/-FLT_MAX, -inf where masked). Returns "" or an error message (bad shape, out of memory).
std::string attention_with_weights(const float* q, const float* k, const float* v,
                                   const AttentionShape& shape, const AttentionOptions& options,
                                   Workspace& workspace, float* weights, float* output,
                                   float* logits = nullptr);

/// Same output as attention_with_weights, without materialising the weights: queries in
/// blocks of 128, keys in tiles of 64, online softmax. Scratch is O(tile * (d_k + d_v)),
/// whatever the sequence length.
std::string attention_fused(const float* q, const float* k, const float* v,
                            const AttentionShape& shape, const AttentionOptions& options,
                            Workspace& workspace, float* output);

/// xtensor front door for C++ users and tests: returns {output, weights}. Throws
/// std::invalid_argument with check_attention's message (native C++ only: the JS API
/// goes through entry_points.hpp, which never throws).
struct AttentionResult {
    xt::xtensor<float, 2> output;
    xt::xtensor<float, 2> weights;
};
AttentionResult attention(const xt::xtensor<float, 2>& q, const xt::xtensor<float, 2>& k,
                          const xt::xtensor<float, 2>& v, const AttentionOptions& options = {});

/// The fused kernel behind an xtensor front door: returns the output only. Throws as
/// attention() does.
xt::xtensor<float, 2> attention_output(const xt::xtensor<float, 2>& q,
                                       const xt::xtensor<float, 2>& k,
                                       const xt::xtensor<float, 2>& v,
                                       const AttentionOptions& options = {});

} // namespace attn
